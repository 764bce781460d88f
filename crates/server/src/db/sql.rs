//! The SQL both stores speak: statements written once, in the dialect SQLite and PostgreSQL
//! share, run through [`Sql`] on either engine.
//!
//! The shared dialect: placeholders are `?1`, `?2`… (PostgreSQL's adapter numbers them `$1`…);
//! integers are 64-bit and flags are integers 0 or 1 (a comparison's result reads as one too);
//! bytes are BLOB in SQLite and BYTEA in PostgreSQL. A statement that ends in ` FOR UPDATE`
//! locks the rows it reads in PostgreSQL, where several server instances write one database;
//! SQLite has one writer at a time and runs it without the clause.

use crate::db::DbError;

/// A value bound to a statement.
#[derive(Clone, Copy, Debug)]
pub enum Param<'a> {
    /// NULL.
    Null,
    /// An integer (flags as 0 or 1).
    Int(i64),
    /// Text.
    Text(&'a str),
    /// Bytes.
    Blob(&'a [u8]),
}

impl From<i64> for Param<'_> {
    fn from(v: i64) -> Self {
        Param::Int(v)
    }
}

impl From<u32> for Param<'_> {
    fn from(v: u32) -> Self {
        Param::Int(i64::from(v))
    }
}

impl From<u64> for Param<'_> {
    fn from(v: u64) -> Self {
        Param::Int(i64::try_from(v).unwrap_or(i64::MAX))
    }
}

impl From<usize> for Param<'_> {
    fn from(v: usize) -> Self {
        Param::Int(i64::try_from(v).unwrap_or(i64::MAX))
    }
}

impl From<bool> for Param<'_> {
    fn from(v: bool) -> Self {
        Param::Int(i64::from(v))
    }
}

impl<'a> From<&'a str> for Param<'a> {
    fn from(v: &'a str) -> Self {
        Param::Text(v)
    }
}

impl<'a> From<&'a String> for Param<'a> {
    fn from(v: &'a String) -> Self {
        Param::Text(v)
    }
}

impl<'a> From<&'a [u8]> for Param<'a> {
    fn from(v: &'a [u8]) -> Self {
        Param::Blob(v)
    }
}

impl<'a, const N: usize> From<&'a [u8; N]> for Param<'a> {
    fn from(v: &'a [u8; N]) -> Self {
        Param::Blob(v)
    }
}

impl<'a, T: Into<Param<'a>>> From<Option<T>> for Param<'a> {
    fn from(v: Option<T>) -> Self {
        v.map_or(Param::Null, Into::into)
    }
}

impl<'a> From<&'a Option<String>> for Param<'a> {
    fn from(v: &'a Option<String>) -> Self {
        v.as_deref().map_or(Param::Null, Param::Text)
    }
}

/// The parameters of a statement: `args![a, b]`.
macro_rules! args {
    ($($v:expr),* $(,)?) => {
        &[$($crate::db::sql::Param::from($v)),*][..]
    };
}
pub(crate) use args;

/// A value read from a row.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Value {
    /// NULL.
    Null,
    /// An integer (a boolean reads as 0 or 1).
    Int(i64),
    /// Text.
    Text(String),
    /// Bytes.
    Blob(Vec<u8>),
}

impl Value {
    /// What kind of value this is, for an error text: never the value itself, which may be a
    /// resident's name.
    fn kind(&self) -> &'static str {
        match self {
            Value::Null => "NULL",
            Value::Int(_) => "an integer",
            Value::Text(_) => "text",
            Value::Blob(_) => "bytes",
        }
    }
}

/// One row of a result.
#[derive(Clone, Debug, Default)]
pub struct Row(pub Vec<Value>);

/// A column's value as a Rust type.
pub trait FromValue: Sized {
    /// `value`, or why it is not one of these.
    fn from_value(value: Value) -> Result<Self, String>;
}

impl FromValue for i64 {
    fn from_value(value: Value) -> Result<Self, String> {
        match value {
            Value::Int(v) => Ok(v),
            other => Err(format!("an integer was expected, not {}", other.kind())),
        }
    }
}

impl FromValue for u64 {
    fn from_value(value: Value) -> Result<Self, String> {
        Ok(u64::try_from(i64::from_value(value)?.max(0)).unwrap_or(0))
    }
}

impl FromValue for u32 {
    fn from_value(value: Value) -> Result<Self, String> {
        let v = i64::from_value(value)?;
        u32::try_from(v).map_err(|_| format!("{v} does not fit 32 bits"))
    }
}

impl FromValue for bool {
    fn from_value(value: Value) -> Result<Self, String> {
        Ok(i64::from_value(value)? != 0)
    }
}

impl FromValue for String {
    fn from_value(value: Value) -> Result<Self, String> {
        match value {
            Value::Text(v) => Ok(v),
            other => Err(format!("text was expected, not {}", other.kind())),
        }
    }
}

impl FromValue for Vec<u8> {
    fn from_value(value: Value) -> Result<Self, String> {
        match value {
            Value::Blob(v) => Ok(v),
            other => Err(format!("bytes were expected, not {}", other.kind())),
        }
    }
}

impl FromValue for uuid::Uuid {
    fn from_value(value: Value) -> Result<Self, String> {
        uuid::Uuid::parse_str(&String::from_value(value)?).map_err(|_| "not a UUID".to_owned())
    }
}

impl<T: FromValue> FromValue for Option<T> {
    fn from_value(value: Value) -> Result<Self, String> {
        match value {
            Value::Null => Ok(None),
            other => T::from_value(other).map(Some),
        }
    }
}

impl Row {
    /// Column `i` as a `T`.
    pub fn get<T: FromValue>(&mut self, i: usize) -> Result<T, DbError> {
        let value = self
            .0
            .get_mut(i)
            .map(|v| std::mem::replace(v, Value::Null))
            .ok_or_else(|| DbError::Corrupt(format!("no column {i} in the row")))?;
        T::from_value(value).map_err(|e| DbError::Corrupt(format!("column {i}: {e}")))
    }
}

/// A connection inside a transaction, on either engine.
pub trait Sql {
    /// Runs `sql`; the number of rows it changed.
    fn execute(&mut self, sql: &str, params: &[Param<'_>]) -> Result<u64, DbError>;
    /// Runs `sql`; every row it answered.
    fn query(&mut self, sql: &str, params: &[Param<'_>]) -> Result<Vec<Row>, DbError>;
    /// Runs several statements without parameters (savepoints, a migration).
    fn batch(&mut self, sql: &str) -> Result<(), DbError>;

    /// The first row `sql` answers, if any.
    fn query_opt(&mut self, sql: &str, params: &[Param<'_>]) -> Result<Option<Row>, DbError> {
        Ok(self.query(sql, params)?.into_iter().next())
    }

    /// The first row `sql` answers; an error when there is none.
    fn query_one(&mut self, sql: &str, params: &[Param<'_>]) -> Result<Row, DbError> {
        self.query_opt(sql, params)?
            .ok_or_else(|| DbError::Corrupt("a query that always answers answered nothing".into()))
    }
}

/// The first column of the first row `sql` answers, if there is a row.
pub fn value_opt<T: FromValue>(
    tx: &mut dyn Sql,
    sql: &str,
    params: &[Param<'_>],
) -> Result<Option<T>, DbError> {
    tx.query_opt(sql, params)?.map(|mut r| r.get(0)).transpose()
}

/// The first column of the first row `sql` answers.
pub fn value<T: FromValue>(
    tx: &mut dyn Sql,
    sql: &str,
    params: &[Param<'_>],
) -> Result<T, DbError> {
    tx.query_one(sql, params)?.get(0)
}

/// The first column of every row `sql` answers.
pub fn column<T: FromValue>(
    tx: &mut dyn Sql,
    sql: &str,
    params: &[Param<'_>],
) -> Result<Vec<T>, DbError> {
    tx.query(sql, params)?
        .into_iter()
        .map(|mut r| r.get(0))
        .collect()
}

/// SQLite's side: a connection (or transaction) of rusqlite, its statements kept prepared.
#[derive(Debug)]
pub struct Lite<'c>(pub &'c rusqlite::Connection);

impl rusqlite::ToSql for Param<'_> {
    fn to_sql(&self) -> rusqlite::Result<rusqlite::types::ToSqlOutput<'_>> {
        use rusqlite::types::{ToSqlOutput, ValueRef};
        Ok(ToSqlOutput::Borrowed(match *self {
            Param::Null => ValueRef::Null,
            Param::Int(v) => ValueRef::Integer(v),
            Param::Text(v) => ValueRef::Text(v.as_bytes()),
            Param::Blob(v) => ValueRef::Blob(v),
        }))
    }
}

impl Sql for Lite<'_> {
    fn execute(&mut self, sql: &str, params: &[Param<'_>]) -> Result<u64, DbError> {
        let sql = sql.strip_suffix(" FOR UPDATE").unwrap_or(sql);
        let changed = self
            .0
            .prepare_cached(sql)?
            .execute(rusqlite::params_from_iter(params))?;
        Ok(u64::try_from(changed).unwrap_or(0))
    }

    fn query(&mut self, sql: &str, params: &[Param<'_>]) -> Result<Vec<Row>, DbError> {
        use rusqlite::types::ValueRef;
        let sql = sql.strip_suffix(" FOR UPDATE").unwrap_or(sql);
        let mut stmt = self.0.prepare_cached(sql)?;
        let columns = stmt.column_count();
        let mut found = stmt.query(rusqlite::params_from_iter(params))?;
        let mut rows = Vec::new();
        while let Some(r) = found.next()? {
            let mut row = Vec::with_capacity(columns);
            for i in 0..columns {
                row.push(match r.get_ref(i)? {
                    ValueRef::Null => Value::Null,
                    ValueRef::Integer(v) => Value::Int(v),
                    ValueRef::Text(t) => Value::Text(String::from_utf8_lossy(t).into_owned()),
                    ValueRef::Blob(b) => Value::Blob(b.to_vec()),
                    ValueRef::Real(v) => {
                        return Err(DbError::Corrupt(format!("column {i} holds the number {v}")));
                    }
                });
            }
            rows.push(Row(row));
        }
        Ok(rows)
    }

    fn batch(&mut self, sql: &str) -> Result<(), DbError> {
        Ok(self.0.execute_batch(sql)?)
    }
}
