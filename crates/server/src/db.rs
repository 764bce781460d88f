//! The SQLite database: one file in WAL mode, migrated at start.
//!
//! SQLite takes one writer at a time, so the server keeps one connection behind a mutex and
//! runs every query on tokio's blocking pool; handlers never block the async runtime.

use std::path::Path;
use std::sync::{Arc, Mutex};

use rusqlite::Connection;

/// Migrations, applied in order; each runs once, in a transaction. Never edit a released one:
/// add a new one.
const MIGRATIONS: &[&str] = &[
    // 1: facts about this server, such as when it was first started.
    "CREATE TABLE server_info (key TEXT PRIMARY KEY, value TEXT NOT NULL) STRICT;",
];

/// A failure of the database layer.
#[derive(Debug, thiserror::Error)]
pub enum DbError {
    /// SQLite reported an error.
    #[error(transparent)]
    Sqlite(#[from] rusqlite::Error),
    /// The database folder could not be created.
    #[error("cannot create {path}: {source}")]
    CreateDir {
        /// The folder.
        path: String,
        /// What the operating system said.
        source: std::io::Error,
    },
    /// The database was written by a newer server.
    #[error("database schema version {found} is newer than this server knows ({known})")]
    TooNew {
        /// Version in the file.
        found: usize,
        /// Newest version this build knows.
        known: usize,
    },
    /// A blocking task did not complete.
    #[error("database task failed")]
    Task,
}

/// The server's database handle; cheap to clone.
#[derive(Clone, Debug)]
pub struct Database {
    conn: Arc<Mutex<Connection>>,
}

impl Database {
    /// Opens (creating if needed) the database file and applies pending migrations.
    pub fn open(path: &Path) -> Result<Database, DbError> {
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir).map_err(|source| DbError::CreateDir {
                path: dir.display().to_string(),
                source,
            })?;
        }
        let conn = Connection::open(path)?;
        Database::setup(conn)
    }

    /// An in-memory database, for tests.
    pub fn open_in_memory() -> Result<Database, DbError> {
        Database::setup(Connection::open_in_memory()?)
    }

    fn setup(mut conn: Connection) -> Result<Database, DbError> {
        conn.pragma_update(None, "journal_mode", "WAL")?;
        // In WAL mode NORMAL still never corrupts the database; a power cut may lose the last
        // commits, but a process crash (the case the sync protocol retries over) loses nothing.
        conn.pragma_update(None, "synchronous", "NORMAL")?;
        conn.pragma_update(None, "foreign_keys", true)?;
        conn.busy_timeout(std::time::Duration::from_secs(5))?;
        migrate(&mut conn)?;
        Ok(Database {
            conn: Arc::new(Mutex::new(conn)),
        })
    }

    /// Runs `f` with the connection on the blocking pool.
    pub async fn call<T, F>(&self, f: F) -> Result<T, DbError>
    where
        T: Send + 'static,
        F: FnOnce(&mut Connection) -> Result<T, DbError> + Send + 'static,
    {
        let conn = Arc::clone(&self.conn);
        tokio::task::spawn_blocking(move || {
            // A panic while holding the lock leaves SQLite itself consistent (transactions roll
            // back), so a poisoned lock is safe to keep using.
            let mut guard = conn.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
            f(&mut guard)
        })
        .await
        .map_err(|_| DbError::Task)?
    }

    /// Checks that the database answers a query.
    pub async fn ping(&self) -> Result<(), DbError> {
        self.call(|conn| {
            conn.query_row("SELECT 1", [], |_| Ok(()))?;
            Ok(())
        })
        .await
    }
}

fn migrate(conn: &mut Connection) -> Result<(), DbError> {
    let current: usize = conn.pragma_query_value(None, "user_version", |row| row.get(0))?;
    if current > MIGRATIONS.len() {
        return Err(DbError::TooNew {
            found: current,
            known: MIGRATIONS.len(),
        });
    }
    for (index, sql) in MIGRATIONS.iter().enumerate().skip(current) {
        let tx = conn.transaction()?;
        tx.execute_batch(sql)?;
        tx.pragma_update(None, "user_version", index + 1)?;
        tx.commit()?;
        tracing::info!(version = index + 1, "database migrated");
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn migrations_run_once_and_a_newer_file_is_refused() {
        let dir = std::env::temp_dir().join(format!("buurtbel-db-{}", std::process::id()));
        let path = dir.join("nested").join("test.sqlite3");
        Database::open(&path).expect("first open creates and migrates");
        Database::open(&path).expect("second open finds nothing to do");
        let conn = Connection::open(&path).expect("open");
        conn.pragma_update(None, "user_version", MIGRATIONS.len() + 1)
            .expect("bump");
        drop(conn);
        assert!(matches!(Database::open(&path), Err(DbError::TooNew { .. })));
        let _ = std::fs::remove_dir_all(dir);
    }
}
