//! The SQLite engine: one file in WAL mode, migrated at start, the embedded default.
//!
//! SQLite takes one writer at a time, so the store keeps one connection behind a mutex; the
//! HTTP layer calls storage on tokio's blocking pool and never blocks the runtime. A
//! background thread copies the WAL into the database file, and after an erasure the WAL is
//! emptied so the erased text is gone from the disk too.

use std::path::Path;
use std::sync::{Arc, Mutex};

use rusqlite::Connection;

use super::schema::{MIGRATIONS, Migration};
use super::sql::{Lite, Sql};
use buurtbel_core::ids::TeamId;

use super::{Backend, DbError, Group, InviteKey, PushError, PushJob, Pushed, push_group};

/// SQLite's error `e` as a storage failure; made again for every push of a group it failed.
fn shared(e: &rusqlite::Error) -> DbError {
    if e.sqlite_error_code() == Some(rusqlite::ErrorCode::DiskFull) {
        DbError::Full(e.to_string())
    } else {
        DbError::Failed(e.to_string())
    }
}

impl From<rusqlite::Error> for DbError {
    fn from(e: rusqlite::Error) -> DbError {
        shared(&e)
    }
}

/// The SQLite implementation of [`Storage`].
#[derive(Debug)]
pub struct Sqlite {
    conn: Arc<Mutex<Connection>>,
    /// Most bytes of operations one team may store (none: no limit).
    team_quota: Option<u64>,
    invite_key: InviteKey,
    /// Copies the WAL into the database file in the background, so no push waits for it.
    checkpointer: Option<Checkpointer>,
    /// Pushes waiting to be committed together.
    pushes: Arc<Group<PushJob, Result<Pushed, PushError>>>,
}

/// A thread that checkpoints the WAL with its own connection (passive: it never blocks a
/// writer), stopped and joined when the storage is dropped.
#[derive(Debug)]
struct Checkpointer {
    stop: Arc<std::sync::atomic::AtomicBool>,
    thread: Option<std::thread::JoinHandle<()>>,
}

/// How often the background checkpoint runs.
const CHECKPOINT_EVERY: std::time::Duration = std::time::Duration::from_millis(200);
/// WAL pages at which a committing push checkpoints itself, should the background thread fall
/// behind (SQLite's own rule, at 16 MB instead of 4).
const CHECKPOINT_PAGES_MAX: i64 = 4000;

impl Checkpointer {
    fn start(path: &Path) -> Result<Checkpointer, DbError> {
        let conn = Connection::open(path)?;
        conn.busy_timeout(std::time::Duration::ZERO)?;
        let stop = Arc::new(std::sync::atomic::AtomicBool::new(false));
        let stopping = Arc::clone(&stop);
        let thread = std::thread::Builder::new()
            .name("wal-checkpoint".into())
            .spawn(move || {
                while !stopping.load(std::sync::atomic::Ordering::Relaxed) {
                    std::thread::sleep(CHECKPOINT_EVERY);
                    if let Err(e) = conn.query_row("PRAGMA wal_checkpoint(PASSIVE)", [], |_| Ok(()))
                    {
                        tracing::debug!(error = %e, "background checkpoint did not run");
                    }
                }
            })
            .map_err(|e| DbError::Corrupt(format!("cannot start the checkpoint thread: {e}")))?;
        Ok(Checkpointer {
            stop,
            thread: Some(thread),
        })
    }
}

impl Drop for Checkpointer {
    fn drop(&mut self) {
        self.stop.store(true, std::sync::atomic::Ordering::Relaxed);
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

impl Sqlite {
    /// Opens (creating if needed) the database file and applies pending migrations.
    /// Files and folders it creates are private to the server's user (0600 and 0700,
    /// whatever the umask), and existing database files are made so.
    pub fn open(path: &Path) -> Result<Sqlite, DbError> {
        Sqlite::open_with_key_file(path, &invite_key_path(path))
    }

    /// [`Sqlite::open`], with the invite key kept in `key_file`.
    pub fn open_with_key_file(path: &Path, key_file: &Path) -> Result<Sqlite, DbError> {
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            crate::files::create_private_dirs(dir).map_err(|source| DbError::CreateDir {
                path: dir.display().to_string(),
                source,
            })?;
        }
        let key = InviteKey::load_or_create(key_file)?;
        Sqlite::open_with_key(path, key)
    }

    /// Opens the database file at `path` (made private) with the invite key `key`.
    pub fn open_with_key(path: &Path, key: InviteKey) -> Result<Sqlite, DbError> {
        crate::files::prepare_database(path).map_err(|source| DbError::CreateDir {
            path: path.display().to_string(),
            source,
        })?;
        let mut sqlite = Sqlite::setup(Connection::open(path)?, key)?;
        sqlite.with(|conn| {
            conn.pragma_update(None, "wal_autocheckpoint", CHECKPOINT_PAGES_MAX)?;
            Ok(())
        })?;
        sqlite.checkpointer = Some(Checkpointer::start(path)?);
        Ok(sqlite)
    }

    /// Empties the WAL into the database file and closes it.
    pub fn close(mut self) -> Result<(), DbError> {
        drop(self.checkpointer.take());
        let conn = self.conn.lock().unwrap_or_else(|p| p.into_inner());
        conn.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()))?;
        Ok(())
    }

    /// Runs `f` in one transaction, committed when it succeeds.
    pub(crate) fn in_transaction<T>(
        &self,
        f: impl FnOnce(&rusqlite::Transaction<'_>) -> Result<T, DbError>,
    ) -> Result<T, DbError> {
        self.with(|conn| {
            let tx = conn.transaction()?;
            let out = f(&tx)?;
            tx.commit()?;
            Ok(out)
        })
    }

    /// Copies the database at `from` to the new file `to` while other processes may be
    /// writing it: one read transaction copies every page, so the copy holds exactly what was
    /// committed when it started. Returns the number of pages copied.
    pub fn backup(from: &Path, to: &Path) -> Result<u64, DbError> {
        if to.exists() {
            return Err(DbError::Corrupt(format!(
                "{} exists already; choose a new file",
                to.display()
            )));
        }
        let source = Connection::open_with_flags(
            from,
            rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY | rusqlite::OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )?;
        source.busy_timeout(std::time::Duration::from_secs(30))?;
        crate::files::create_private_file(to).map_err(|source| DbError::CreateDir {
            path: to.display().to_string(),
            source,
        })?;
        let mut target = Connection::open(to)?;
        {
            use rusqlite::backup::StepResult;
            let backup = rusqlite::backup::Backup::new(&source, &mut target)?;
            // All pages in one step (-1): a step-by-step copy starts over whenever the server
            // commits in between, and might never finish under a stream of pushes.
            loop {
                match backup.step(-1)? {
                    StepResult::Done => break,
                    StepResult::More | StepResult::Busy | StepResult::Locked => {
                        std::thread::sleep(std::time::Duration::from_millis(50));
                    }
                    _ => std::thread::sleep(std::time::Duration::from_millis(50)),
                }
            }
        }
        let pages: i64 = target.pragma_query_value(None, "page_count", |r| r.get(0))?;
        Ok(u64::try_from(pages).unwrap_or(0))
    }

    /// An in-memory database, for tests.
    pub fn open_in_memory() -> Result<Sqlite, DbError> {
        Sqlite::setup(Connection::open_in_memory()?, InviteKey::random()?)
    }

    fn setup(mut conn: Connection, invite_key: InviteKey) -> Result<Sqlite, DbError> {
        conn.pragma_update(None, "journal_mode", "WAL")?;
        // Acknowledged means durable: FULL syncs the WAL to disk at every commit, so a power
        // cut cannot lose a push the server answered (NORMAL could, and the sequence numbers
        // would then be given out again to other operations).
        conn.pragma_update(None, "synchronous", "FULL")?;
        // Deleted or overwritten content (a resident's erased data) is overwritten with zeros
        // instead of lingering in free pages.
        conn.pragma_update(None, "secure_delete", "ON")?;
        conn.pragma_update(None, "foreign_keys", true)?;
        conn.busy_timeout(std::time::Duration::from_secs(5))?;
        // Every statement of a push stays prepared: the default cache of 16 is smaller than
        // the statements one push runs, and preparing again costs more than running.
        conn.set_prepared_statement_cache_capacity(64);
        migrate(&mut conn, &invite_key)?;
        Ok(Sqlite {
            conn: Arc::new(Mutex::new(conn)),
            team_quota: None,
            invite_key,
            checkpointer: None,
            pushes: push_group(),
        })
    }

    /// Limits the bytes of operations each team may store; pushes beyond it are refused.
    pub fn with_team_quota(mut self, bytes: u64) -> Sqlite {
        self.team_quota = Some(bytes);
        self
    }

    /// The settings acknowledged writes rely on: the journal mode, `synchronous` (2 is FULL)
    /// and `secure_delete`.
    pub fn durability(&self) -> Result<(String, i64, bool), DbError> {
        self.with(|conn| {
            let mode: String = conn.pragma_query_value(None, "journal_mode", |r| r.get(0))?;
            let sync: i64 = conn.pragma_query_value(None, "synchronous", |r| r.get(0))?;
            let secure: i64 = conn.pragma_query_value(None, "secure_delete", |r| r.get(0))?;
            Ok((mode, sync, secure != 0))
        })
    }

    /// Caps the database at its current size plus `pages` pages, as a full disk would (tests of
    /// what still works then use it).
    #[doc(hidden)]
    pub fn cap_size(&self, pages: u64) -> Result<(), DbError> {
        self.with(|conn| {
            let count: i64 = conn.pragma_query_value(None, "page_count", |r| r.get(0))?;
            let cap = count + i64::try_from(pages).unwrap_or(i64::MAX);
            conn.query_row(&format!("PRAGMA max_page_count = {cap}"), [], |_| Ok(()))?;
            Ok(())
        })
    }

    /// Retries the checkpoint in the background until the WAL is empty.
    fn checkpoint_later(&self) {
        let conn = Arc::clone(&self.conn);
        let started = std::time::Instant::now();
        let spawned = std::thread::Builder::new()
            .name("checkpoint".into())
            .spawn(move || {
                loop {
                    std::thread::sleep(std::time::Duration::from_millis(200));
                    let guard = conn.lock().unwrap_or_else(|p| p.into_inner());
                    if checkpoint_now(&guard) {
                        tracing::info!("erased data left the WAL");
                        return;
                    }
                    drop(guard);
                    if started.elapsed() > std::time::Duration::from_secs(3600) {
                        tracing::error!("a reader kept erased data in the WAL for an hour; restart the server to remove it");
                        return;
                    }
                }
            });
        if let Err(e) = spawned {
            tracing::error!(error = %e, "cannot retry the checkpoint after an erasure");
        }
    }

    fn with<T>(&self, f: impl FnOnce(&mut Connection) -> Result<T, DbError>) -> Result<T, DbError> {
        // A panic while holding the lock leaves SQLite consistent (the transaction rolls back),
        // so a poisoned lock is safe to keep using.
        let mut conn = self.conn.lock().unwrap_or_else(|p| p.into_inner());
        f(&mut conn)
    }
}

/// Copies the WAL into the database file and empties it; `true` when that completed. It does
/// not wait for readers (a push must not stall on a backup).
fn checkpoint_now(conn: &Connection) -> bool {
    let _ = conn.busy_timeout(std::time::Duration::ZERO);
    let result = conn.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |r| {
        r.get::<_, i64>(0)
    });
    let _ = conn.busy_timeout(std::time::Duration::from_secs(5));
    match result {
        Ok(0) => true,
        Ok(_) => false,
        Err(e) => {
            tracing::warn!(error = %e, "checkpoint after an erasure failed; it is tried again");
            false
        }
    }
}

fn migrate(conn: &mut Connection, key: &InviteKey) -> Result<(), DbError> {
    let current: usize = conn.pragma_query_value(None, "user_version", |row| row.get(0))?;
    if current > MIGRATIONS.len() {
        return Err(DbError::TooNew {
            found: current,
            known: MIGRATIONS.len(),
        });
    }
    for (index, migration) in MIGRATIONS.iter().enumerate().skip(current) {
        let tx = conn.transaction()?;
        match migration {
            Migration::Sql(sql) => tx.execute_batch(sql)?,
            Migration::Rust(sql, step) => {
                tx.execute_batch(sql)?;
                step(&mut Lite(&tx), key)?;
            }
        }
        tx.pragma_update(None, "user_version", index + 1)?;
        tx.commit()?;
        tracing::info!(version = index + 1, "database migrated");
    }
    Ok(())
}

impl Backend for Sqlite {
    fn transaction<T, E: From<DbError>>(
        &self,
        f: impl FnOnce(&mut dyn Sql) -> Result<T, E>,
    ) -> Result<T, E> {
        self.with(|conn| {
            let tx = conn.transaction()?;
            let out = f(&mut Lite(&tx));
            match out {
                Ok(out) => {
                    tx.commit()?;
                    Ok(Ok(out))
                }
                Err(e) => Ok(Err(e)),
            }
        })?
    }

    fn statements<T>(
        &self,
        f: impl FnOnce(&mut dyn Sql) -> Result<T, DbError>,
    ) -> Result<T, DbError> {
        self.with(|conn| f(&mut Lite(conn)))
    }

    fn invite_key(&self) -> &InviteKey {
        &self.invite_key
    }

    fn team_quota(&self) -> Option<u64> {
        self.team_quota
    }

    fn pushes(&self, _team: TeamId) -> &Group<PushJob, Result<Pushed, PushError>> {
        &self.pushes
    }

    fn erased(&self) {
        // The WAL still holds the pages as they were before the erasure: copy the new pages
        // into the database file and empty the WAL, so the erased text is gone from the disk
        // and not only from the database. A reader still on the old pages (a backup running)
        // keeps the WAL from being emptied: then it is tried again until it is.
        let done = {
            let conn = self.conn.lock().unwrap_or_else(|p| p.into_inner());
            checkpoint_now(&conn)
        };
        if !done {
            self.checkpoint_later();
        }
    }
}

/// Where the invite key of the database at `path` is kept.
pub fn invite_key_path(path: &Path) -> std::path::PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(".invite-key");
    name.into()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::db::*;

    #[test]
    fn migrations_run_once_and_a_newer_file_is_refused() {
        let dir = std::env::temp_dir().join(format!("buurtbel-db-{}", std::process::id()));
        let path = dir.join("nested").join("test.sqlite3");
        Sqlite::open(&path).expect("first open creates and migrates");
        Sqlite::open(&path).expect("second open finds nothing to do");
        let conn = Connection::open(&path).expect("open");
        conn.pragma_update(None, "user_version", MIGRATIONS.len() + 1)
            .expect("bump");
        drop(conn);
        assert!(matches!(Sqlite::open(&path), Err(DbError::TooNew { .. })));
        let _ = std::fs::remove_dir_all(dir);
    }
}

#[cfg(test)]
mod group_tests {
    use buurtbel_core::factory::OpFactory;
    use buurtbel_core::ids::AddressId;

    use super::*;
    use crate::db::*;

    fn address(f: &mut OpFactory, number: u32) -> Operation {
        let address = f.id(AddressId::new_v7);
        f.op(Payload::AddressAdd {
            address,
            street: "Lindelaan".into(),
            number,
            letter: String::new(),
            addition: String::new(),
            postcode: "3581 BA".into(),
        })
    }

    fn job(f: &OpFactory, team: TeamId, ops: Vec<Operation>) -> PushJob {
        PushJob {
            team,
            device: f.author().device,
            ops: ops.into_iter().map(PreparedOp::new).collect(),
            now_ms: 1,
        }
    }

    /// Three pushes committed as one group, the middle one refused after it wrote its first
    /// operation: that write goes with it, and the others keep gap-free numbers.
    #[test]
    fn a_refused_push_in_a_group_takes_nothing_of_the_others_with_it() {
        let sqlite = Sqlite::open_in_memory().expect("db");
        let mut f = OpFactory::new(3);
        let team = TeamId::new_v7(1, [9; 10]);
        sqlite
            .create_team(
                NewTeam {
                    team,
                    name: "Lindelaan".into(),
                    neighbourhood: "Oost".into(),
                    device: NewDevice {
                        device: f.author().device,
                        member: f.author().member,
                        token_hash: [1; 32],
                        admin: true,
                        label: String::new(),
                    },
                    invite: NewInvite {
                        code: "ABCDEFGH".into(),
                        expires_at_ms: u64::MAX / 2,
                        max_uses: None,
                    },
                    ops: Vec::new(),
                },
                1,
            )
            .expect("team");
        let first = address(&mut f, 1);
        let mut changed = first.clone();
        let Payload::AddressAdd { number, .. } = &mut changed.payload else {
            unreachable!()
        };
        *number = 2;
        let refused = vec![address(&mut f, 3), changed];
        let third = address(&mut f, 4);
        let answers = crate::db::commit_pushes(
            &sqlite,
            vec![
                job(&f, team, vec![first.clone()]),
                job(&f, team, refused),
                job(&f, team, vec![third.clone()]),
            ],
        );
        assert!(
            matches!(&answers[0], Ok(p) if p.acks[0].seq == 1),
            "{answers:?}"
        );
        assert!(matches!(&answers[1], Err(PushError::Conflict(id)) if *id == first.id));
        assert!(
            matches!(&answers[2], Ok(p) if p.acks[0].seq == 2),
            "{answers:?}"
        );
        let (stored, more) = sqlite.pull(team, 0, 100).expect("pull");
        assert!(!more);
        let ids: Vec<(u64, bool)> = stored
            .iter()
            .map(|(seq, body)| (*seq, body.contains(&third.id.to_string())))
            .collect();
        assert_eq!(ids, [(1, false), (2, true)], "{stored:?}");
        // The next group carries on from there.
        let next = address(&mut f, 5);
        let answers = crate::db::commit_pushes(&sqlite, vec![job(&f, team, vec![next])]);
        assert!(
            matches!(&answers[0], Ok(p) if p.acks[0].seq == 3),
            "{answers:?}"
        );
    }
}

#[cfg(test)]
mod migration_tests {
    use buurtbel_core::domain::{Channel, ConsentPurpose};
    use buurtbel_core::factory::OpFactory;
    use buurtbel_core::ids::{AddressId, ConsentId, QuestionId};
    use buurtbel_core::op::ConsentGive;

    use super::*;
    use crate::db::*;
    use rusqlite::params;

    /// A database as the server before hashed invites kept it: a plain code, and a log with a
    /// withdrawn consent and an answer to an erased resident's question.
    #[test]
    fn an_older_database_loses_its_plain_codes_and_erased_words_when_migrated() {
        let mut conn = Connection::open_in_memory().expect("open");
        for m in &MIGRATIONS[..6] {
            let Migration::Sql(sql) = m else {
                panic!("the first six are SQL")
            };
            conn.execute_batch(sql).expect("old schema");
        }
        conn.pragma_update(None, "user_version", 6)
            .expect("version");
        let mut f = OpFactory::new(4);
        let (address, consent, question) = (
            f.id(AddressId::new_v7),
            f.id(ConsentId::new_v7),
            f.id(QuestionId::new_v7),
        );
        let ops = [
            f.op(Payload::AddressAdd {
                address,
                street: "Lindelaan".into(),
                number: 3,
                letter: String::new(),
                addition: String::new(),
                postcode: "3581 BA".into(),
            }),
            f.op(Payload::ConsentGive(ConsentGive {
                consent,
                address,
                purposes: [ConsentPurpose::ProjectUpdates].into(),
                channels: [Channel::Phone].into(),
                name: "Mevrouw Jansen".into(),
                phone: "06 1234 5678".into(),
                email: String::new(),
                given_at_ms: 1,
            })),
            f.op(Payload::ConsentWithdraw {
                consent,
                withdrawn_at_ms: 2,
            }),
            f.op(Payload::QuestionAsk {
                question,
                project: None,
                text: String::new(),
                address: Some(address),
                asked_at_ms: 3,
            }),
            f.op(Payload::QuestionAnswer {
                question,
                answer: "Ja, mevrouw De Wit".into(),
            }),
            f.op(Payload::EraseResident { address }),
        ];
        let team = "0195e9b0-0000-7000-8000-000000000001";
        conn.execute(
            "INSERT INTO teams (id, name, neighbourhood, created_at_ms) VALUES (?1, 'T', 'B', 0)",
            [team],
        )
        .expect("team");
        conn.execute("INSERT INTO invites (code, team_id, created_by, created_at_ms, expires_at_ms) VALUES ('ABCDEFGH', ?1, 'x', 0, ?2)", params![team, i64::MAX]).expect("invite");
        for (seq, op) in ops.iter().enumerate() {
            conn.execute(
                "INSERT INTO ops (team_id, seq, op_id, device_id, kind, address_id, body, received_at_ms, personal) VALUES (?1, ?2, ?3, 'd', ?4, ?5, ?6, 0, ?7)",
                params![team, seq as i64 + 1, op.id.to_string(), op.kind(), op.resident_address().map(|a| a.to_string()), serde_json::to_string(op).expect("json"), op.holds_personal()],
            )
            .expect("op");
        }
        conn.execute(
            "INSERT INTO erasures (team_id, address_id, stamp) VALUES (?1, ?2, ?3)",
            params![
                team,
                address.to_string(),
                serde_json::to_string(&ops[5].stamp()).expect("json")
            ],
        )
        .expect("erasure");
        let key = InviteKey::random().expect("key");
        migrate(&mut conn, &key).expect("migrated");
        let bodies: String = conn
            .query_row("SELECT group_concat(body, ' ') FROM ops", [], |r| r.get(0))
            .expect("bodies");
        for gone in ["Mevrouw Jansen", "06 1234 5678", "De Wit"] {
            assert!(!bodies.contains(gone), "{gone} stayed: {bodies}");
        }
        let (hash, entities): (Vec<u8>, i64) = conn
            .query_row(
                "SELECT code_hash, (SELECT COUNT(*) FROM entities) FROM invite_codes",
                [],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .expect("hashed");
        assert_eq!(hash, key.hash("ABCDEFGH"));
        assert_eq!(entities, 3, "address, consent, question");
        let sqlite = Sqlite {
            conn: Arc::new(Mutex::new(conn)),
            team_quota: None,
            invite_key: key,
            checkpointer: None,
            pushes: push_group(),
        };
        let device = NewDevice {
            device: DeviceId::new_v7(1, [1; 10]),
            member: MemberId::new_v7(1, [2; 10]),
            token_hash: [7; 32],
            admin: false,
            label: String::new(),
        };
        assert!(matches!(
            sqlite.join("ABCDEFGH", device, Vec::new(), 1),
            Ok((..))
        ));
    }
}
