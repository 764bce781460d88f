//! The PostgreSQL engine, for deployments with many teams or several server instances: chosen
//! with `--database postgres://…`.
//!
//! Connections come from a small pool; each keeps its prepared statements. Every instance on
//! one database gives out gap-free sequence numbers because a push locks its team's row
//! (`FOR UPDATE`) for the rest of its transaction, and takes the rows of several teams in one
//! order. A commit is acknowledged after PostgreSQL has flushed it (`synchronous_commit`
//! stays `on`; the store refuses to start when the server turned it off).

use std::collections::HashMap;
use std::error::Error as StdError;
use std::sync::{Condvar, Mutex};

use buurtbel_core::ids::TeamId;
use postgres::types::{IsNull, ToSql, Type, to_sql_checked};
use postgres::{Client, GenericClient, NoTls, Statement};

use super::schema::{MIGRATIONS, Migration, for_postgres};
use super::sql::{Param, Row, Sql, Value};
use super::{Backend, DbError, Group, InviteKey, PushError, PushJob, Pushed, push_group};

/// Connections one instance keeps open at most.
const CONNECTIONS_MAX: usize = 16;

/// Groups of pushes one instance commits side by side (each on a connection of its own).
const PUSH_GROUPS: usize = 8;

/// Migrations of several instances starting at once run one after another under this lock.
const MIGRATION_LOCK: i64 = 0x6275_7572_7462_656c;

/// PostgreSQL's error `e` as a storage failure.
fn failure(e: &postgres::Error) -> DbError {
    use postgres::error::SqlState;
    match e.code() {
        Some(c) if *c == SqlState::DISK_FULL || *c == SqlState::PROGRAM_LIMIT_EXCEEDED => {
            DbError::Full(e.to_string())
        }
        _ => DbError::Failed(match e.as_db_error() {
            Some(db) => format!("{}: {}", db.code().code(), db.message()),
            None => e.to_string(),
        }),
    }
}

impl From<postgres::Error> for DbError {
    fn from(e: postgres::Error) -> DbError {
        failure(&e)
    }
}

/// One open connection and the statements prepared on it, by their SQL.
struct Conn {
    client: Client,
    statements: HashMap<String, Statement>,
}

/// The open connections not in use, and how many there are in all.
struct Pool {
    config: postgres::Config,
    idle: Mutex<(Vec<Conn>, usize)>,
    freed: Condvar,
}

impl Pool {
    /// A connection: an idle one, a new one while there are fewer than the most, or the next
    /// one given back.
    fn take(&self) -> Result<Conn, DbError> {
        let mut idle = self.idle.lock().unwrap_or_else(|p| p.into_inner());
        loop {
            if let Some(conn) = idle.0.pop() {
                return Ok(conn);
            }
            if idle.1 < CONNECTIONS_MAX {
                idle.1 += 1;
                drop(idle);
                return self.connect().inspect_err(|_| self.lost());
            }
            idle = self.freed.wait(idle).unwrap_or_else(|p| p.into_inner());
        }
    }

    fn connect(&self) -> Result<Conn, DbError> {
        Ok(Conn {
            client: self.config.connect(NoTls)?,
            statements: HashMap::new(),
        })
    }

    /// Gives `conn` back, unless the server closed it.
    fn give(&self, conn: Conn) {
        if conn.client.is_closed() {
            self.lost();
            return;
        }
        let mut idle = self.idle.lock().unwrap_or_else(|p| p.into_inner());
        idle.0.push(conn);
        drop(idle);
        self.freed.notify_one();
    }

    /// A connection taken will not come back.
    fn lost(&self) {
        let mut idle = self.idle.lock().unwrap_or_else(|p| p.into_inner());
        idle.1 -= 1;
        drop(idle);
        self.freed.notify_one();
    }

    /// Runs `f` with a connection, given back afterwards.
    fn with<T>(&self, f: impl FnOnce(&mut Conn) -> T) -> Result<T, DbError> {
        let mut conn = self.take()?;
        let out = f(&mut conn);
        self.give(conn);
        Ok(out)
    }
}

/// The PostgreSQL implementation of [`super::Storage`].
pub struct Postgres {
    pool: Pool,
    /// Most bytes of operations one team may store (none: no limit).
    team_quota: Option<u64>,
    invite_key: InviteKey,
    /// Pushes waiting to be committed together: one group per share of the teams, so pushes
    /// of different teams commit side by side on their own connections (one group would wait
    /// for each statement's round trip in turn).
    pushes: Vec<std::sync::Arc<Group<PushJob, Result<Pushed, PushError>>>>,
}

impl std::fmt::Debug for Postgres {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // The URL may hold a password.
        f.debug_struct("Postgres")
            .field("team_quota", &self.team_quota)
            .finish_non_exhaustive()
    }
}

/// Whether `database` names a PostgreSQL database (`postgres://…` or `postgresql://…`).
pub fn is_url(database: &str) -> bool {
    database.starts_with("postgres://") || database.starts_with("postgresql://")
}

impl Postgres {
    /// Connects to the database at `url` and applies pending migrations; invite codes are
    /// hashed with `invite_key` (the same on every instance).
    pub fn open(url: &str, invite_key: InviteKey) -> Result<Postgres, DbError> {
        let config: postgres::Config = url
            .parse()
            .map_err(|e: postgres::Error| DbError::Failed(format!("the database URL: {e}")))?;
        let store = Postgres {
            pool: Pool {
                config,
                idle: Mutex::new((Vec::new(), 0)),
                freed: Condvar::new(),
            },
            team_quota: None,
            invite_key,
            pushes: (0..PUSH_GROUPS).map(|_| push_group()).collect(),
        };
        store.pool.with(|conn| -> Result<(), DbError> {
            let sync: String = conn
                .client
                .query_one("SHOW synchronous_commit", &[])?
                .try_get(0)?;
            if sync == "off" {
                return Err(DbError::Failed(
                    "synchronous_commit is off: an acknowledged push could be lost; turn it on"
                        .into(),
                ));
            }
            migrate(&mut conn.client, &store.invite_key)
        })??;
        Ok(store)
    }

    /// Limits the bytes of operations each team may store; pushes beyond it are refused.
    pub fn with_team_quota(mut self, bytes: u64) -> Postgres {
        self.team_quota = Some(bytes);
        self
    }
}

/// Applies the migrations the database lacks, one instance at a time.
fn migrate(client: &mut Client, key: &InviteKey) -> Result<(), DbError> {
    let mut tx = client.transaction()?;
    tx.execute("SELECT pg_advisory_xact_lock($1)", &[&MIGRATION_LOCK])?;
    tx.batch_execute(
        "CREATE TABLE IF NOT EXISTS schema_version (version BIGINT NOT NULL, migrated_at TIMESTAMPTZ NOT NULL DEFAULT now())",
    )?;
    let current: i64 = tx
        .query_one("SELECT COALESCE(MAX(version), 0) FROM schema_version", &[])?
        .try_get(0)?;
    let current = usize::try_from(current).unwrap_or(0);
    if current > MIGRATIONS.len() {
        return Err(DbError::TooNew {
            found: current,
            known: MIGRATIONS.len(),
        });
    }
    for (index, migration) in MIGRATIONS.iter().enumerate().skip(current) {
        let mut statements = HashMap::new();
        let mut sql = Pg {
            client: &mut tx,
            statements: &mut statements,
        };
        match migration {
            Migration::Sql(text) => sql.batch(&for_postgres(text))?,
            Migration::Rust(text, step) => {
                sql.batch(&for_postgres(text))?;
                step(&mut sql, key)?;
            }
        }
        let version = i64::try_from(index + 1).unwrap_or(i64::MAX);
        tx.execute(
            "INSERT INTO schema_version (version) VALUES ($1)",
            &[&version],
        )?;
        tracing::info!(version, "database migrated");
    }
    tx.commit()?;
    Ok(())
}

/// A statement's SQL with PostgreSQL's placeholders: `?1` is `$1`.
fn numbered(sql: &str) -> String {
    let mut out = String::with_capacity(sql.len());
    let mut chars = sql.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '?' && chars.peek().is_some_and(char::is_ascii_digit) {
            out.push('$');
        } else {
            out.push(c);
        }
    }
    out
}

/// A parameter bound as the type PostgreSQL inferred for its place: an integer is sent as
/// `int8`, `int4`, `int2` or `bool`, whichever the statement expects.
#[derive(Debug)]
struct Bind<'a>(Param<'a>);

impl ToSql for Bind<'_> {
    fn to_sql(
        &self,
        ty: &Type,
        out: &mut bytes::BytesMut,
    ) -> Result<IsNull, Box<dyn StdError + Sync + Send>> {
        match self.0 {
            Param::Null => Ok(IsNull::Yes),
            Param::Int(v) => match *ty {
                Type::INT8 => v.to_sql(ty, out),
                Type::INT4 => i32::try_from(v)?.to_sql(ty, out),
                Type::INT2 => i16::try_from(v)?.to_sql(ty, out),
                Type::BOOL => (v != 0).to_sql(ty, out),
                _ => Err(format!("an integer cannot be bound as {ty}").into()),
            },
            Param::Text(v) => v.to_sql(ty, out),
            Param::Blob(v) => v.to_sql(ty, out),
        }
    }

    fn accepts(_: &Type) -> bool {
        true
    }

    to_sql_checked!();
}

/// PostgreSQL's side of [`Sql`]: a connection or a transaction on it, with the connection's
/// prepared statements.
struct Pg<'a, C: GenericClient> {
    client: &'a mut C,
    statements: &'a mut HashMap<String, Statement>,
}

impl<C: GenericClient> Pg<'_, C> {
    fn prepared(&mut self, sql: &str) -> Result<Statement, DbError> {
        if let Some(statement) = self.statements.get(sql) {
            return Ok(statement.clone());
        }
        let statement = self.client.prepare(&numbered(sql))?;
        self.statements.insert(sql.to_owned(), statement.clone());
        Ok(statement)
    }
}

/// Column `i` of `row` as one of the values both engines share.
fn read(row: &postgres::Row, i: usize) -> Result<Value, DbError> {
    let ty = row.columns()[i].type_();
    let value = match *ty {
        Type::INT8 => row.try_get::<_, Option<i64>>(i)?.map(Value::Int),
        Type::INT4 => row
            .try_get::<_, Option<i32>>(i)?
            .map(|v| Value::Int(v.into())),
        Type::INT2 => row
            .try_get::<_, Option<i16>>(i)?
            .map(|v| Value::Int(v.into())),
        Type::BOOL => row
            .try_get::<_, Option<bool>>(i)?
            .map(|v| Value::Int(v.into())),
        Type::TEXT | Type::VARCHAR | Type::BPCHAR | Type::NAME => {
            row.try_get::<_, Option<String>>(i)?.map(Value::Text)
        }
        Type::BYTEA => row.try_get::<_, Option<Vec<u8>>>(i)?.map(Value::Blob),
        _ => return Err(DbError::Corrupt(format!("column {i} has the type {ty}"))),
    };
    Ok(value.unwrap_or(Value::Null))
}

impl<C: GenericClient> Sql for Pg<'_, C> {
    fn execute(&mut self, sql: &str, params: &[Param<'_>]) -> Result<u64, DbError> {
        let statement = self.prepared(sql)?;
        let binds: Vec<Bind<'_>> = params.iter().map(|p| Bind(*p)).collect();
        let refs: Vec<&(dyn ToSql + Sync)> =
            binds.iter().map(|b| b as &(dyn ToSql + Sync)).collect();
        Ok(self.client.execute(&statement, &refs)?)
    }

    fn query(&mut self, sql: &str, params: &[Param<'_>]) -> Result<Vec<Row>, DbError> {
        let statement = self.prepared(sql)?;
        let binds: Vec<Bind<'_>> = params.iter().map(|p| Bind(*p)).collect();
        let refs: Vec<&(dyn ToSql + Sync)> =
            binds.iter().map(|b| b as &(dyn ToSql + Sync)).collect();
        self.client
            .query(&statement, &refs)?
            .iter()
            .map(|row| {
                Ok(Row((0..row.len())
                    .map(|i| read(row, i))
                    .collect::<Result<_, _>>()?))
            })
            .collect()
    }

    fn batch(&mut self, sql: &str) -> Result<(), DbError> {
        Ok(self.client.batch_execute(sql)?)
    }
}

impl Backend for Postgres {
    fn transaction<T, E: From<DbError>>(
        &self,
        f: impl FnOnce(&mut dyn Sql) -> Result<T, E>,
    ) -> Result<T, E> {
        self.pool.with(|conn| {
            let Conn { client, statements } = conn;
            let mut tx = client.transaction().map_err(DbError::from)?;
            let out = f(&mut Pg {
                client: &mut tx,
                statements,
            })?;
            tx.commit().map_err(DbError::from)?;
            Ok(out)
        })?
    }

    fn statements<T>(
        &self,
        f: impl FnOnce(&mut dyn Sql) -> Result<T, DbError>,
    ) -> Result<T, DbError> {
        self.pool.with(|conn| {
            let Conn { client, statements } = conn;
            f(&mut Pg { client, statements })
        })?
    }

    fn invite_key(&self) -> &InviteKey {
        &self.invite_key
    }

    fn team_quota(&self) -> Option<u64> {
        self.team_quota
    }

    fn pushes(&self, team: TeamId) -> &Group<PushJob, Result<Pushed, PushError>> {
        // A team's ids are UUID v7: the last bytes are random.
        let share = usize::from(team.0.as_bytes()[15]) % self.pushes.len();
        &self.pushes[share]
    }
}

#[cfg(test)]
mod tests {
    use super::numbered;

    #[test]
    fn placeholders_are_numbered_the_postgres_way() {
        assert_eq!(
            numbered("SELECT ?1, '?' FROM t WHERE a = ?12 AND b IS NULL"),
            "SELECT $1, '?' FROM t WHERE a = $12 AND b IS NULL"
        );
    }
}
