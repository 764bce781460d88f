//! Restoring a backup without bringing back what was erased or ended since it was taken.
//!
//! A backup holds residents' data as it was that day. Since then residents may have asked for
//! erasure, consents may have been withdrawn, phones lost and members removed. `restore` puts
//! the backup in the database's place and carries all of that over from the database it
//! replaces: every erasure is recorded again and reaches the restored log, the erasing and
//! withdrawing operations are appended to it (so phones that never saw them learn of them),
//! devices and invites revoked since stay revoked, and a volunteer's introduction erased since
//! is erased again.

use std::path::{Path, PathBuf};

use buurtbel_core::op::Operation;
use rusqlite::{Connection, OpenFlags, params};

use crate::db::{DbError, InviteKey, Sqlite, invite_key_path};

/// What a restore carried over from the replaced database.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Restored {
    /// Erasures recorded again (one per team and address).
    pub erasures: usize,
    /// Erasing and withdrawing operations the backup lacked, appended to its log.
    pub appended: usize,
    /// Devices revoked since the backup, revoked again.
    pub devices_revoked: usize,
    /// Invites ended since the backup, ended again.
    pub invites_revoked: usize,
    /// Introductions of volunteers withdrawn or removed since the backup, erased again.
    pub introductions_erased: usize,
}

fn io(path: &Path) -> impl FnOnce(std::io::Error) -> DbError + '_ {
    move |source| DbError::CreateDir {
        path: path.display().to_string(),
        source,
    }
}

fn sibling(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(suffix);
    name.into()
}

/// Replaces the database at `database` (the server stopped) with the backup `from`, carrying
/// over every erasure and revocation recorded in the replaced database. The replaced file is
/// kept as `<database>.replaced` (remove it once the restore is checked).
pub fn restore(database: &Path, from: &Path) -> Result<Restored, DbError> {
    if !from.is_file() {
        return Err(DbError::Corrupt(format!(
            "{} is not a backup file",
            from.display()
        )));
    }
    // A running server holds the database open and writes; a restore under it would be lost
    // or lose its pushes. The lock is held until the restore is done.
    let _lock = if database.is_file() {
        Some(
            crate::files::lock_exclusive(database)
                .map_err(io(database))?
                .ok_or_else(|| {
                    DbError::Corrupt("the database is in use: stop the server first".into())
                })?,
        )
    } else {
        None
    };
    let live = database
        .is_file()
        .then(|| Connection::open_with_flags(database, OpenFlags::SQLITE_OPEN_READ_WRITE))
        .transpose()?;
    let work = sibling(database, ".restoring");
    let _ = std::fs::remove_file(&work);
    crate::files::create_private_file(&work).map_err(io(&work))?;
    std::fs::write(&work, std::fs::read(from).map_err(io(from))?).map_err(io(&work))?;
    let key = InviteKey::load_or_create(&invite_key_path(database))?;
    let restored = Sqlite::open_with_key(&work, key)?;
    let counts = match &live {
        Some(live) => restored.carry_over(live)?,
        None => Restored::default(),
    };
    restored.close()?;
    if let Some(live) = live {
        live.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()))?;
        drop(live);
        std::fs::rename(database, sibling(database, ".replaced")).map_err(io(database))?;
    }
    for suffix in ["-wal", "-shm"] {
        let _ = std::fs::remove_file(sibling(database, suffix));
        let _ = std::fs::remove_file(sibling(&work, suffix));
    }
    std::fs::rename(&work, database).map_err(io(database))?;
    Ok(counts)
}

impl Sqlite {
    /// Carries erasures, withdrawals and revocations over from `live` into this database.
    fn carry_over(&self, live: &Connection) -> Result<Restored, DbError> {
        let mut counts = Restored::default();
        let erasures: Vec<(String, String, String)> = live
            .prepare("SELECT team_id, address_id, stamp FROM erasures")?
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
            .collect::<Result<_, _>>()?;
        let ending: Vec<(String, String, String)> = live
            .prepare("SELECT team_id, device_id, body FROM ops WHERE kind IN ('erase_resident', 'consent_withdraw') ORDER BY team_id, seq")?
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
            .collect::<Result<_, _>>()?;
        let devices: Vec<(String, i64, bool)> = live
            .prepare("SELECT id, revoked_at_ms, lost FROM devices WHERE revoked_at_ms IS NOT NULL")?
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
            .collect::<Result<_, _>>()?;
        let invites: Vec<(String, i64)> = live
            .prepare("SELECT id, revoked_at_ms FROM invite_codes WHERE revoked_at_ms IS NOT NULL")
            .and_then(|mut s| {
                s.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
                    .collect::<Result<_, _>>()
            })
            // A replaced database from before hashed invites has no such table; its revoked
            // codes are in the backup's own list as they were.
            .unwrap_or_default();
        // The introductions the replaced database still has: the backup's others were erased
        // since. A database from before introductions has no such table, and erased none.
        let introductions: Option<std::collections::HashSet<String>> = live
            .prepare("SELECT id FROM introductions")
            .and_then(|mut s| s.query_map([], |r| r.get(0))?.collect::<Result<_, _>>())
            .ok();
        let now = crate::now_ms();
        self.in_transaction(|tx| {
            if let Some(kept) = &introductions {
                let backed_up: Vec<String> = tx
                    .prepare("SELECT id FROM introductions")?
                    .query_map([], |r| r.get(0))?
                    .collect::<Result<_, _>>()?;
                for id in backed_up.iter().filter(|id| !kept.contains(*id)) {
                    counts.introductions_erased +=
                        tx.execute("DELETE FROM introductions WHERE id = ?1", [id])?;
                }
            }
            for (team, device, body) in &ending {
                let op: Operation =
                    serde_json::from_str(body).map_err(|e| DbError::Corrupt(e.to_string()))?;
                if crate::db::append_carried(&mut crate::db::sql::Lite(tx), team, device, &op, now)? {
                    counts.appended += 1;
                }
            }
            for (team, address, stamp) in &erasures {
                let stamp =
                    serde_json::from_str(stamp).map_err(|e| DbError::Corrupt(e.to_string()))?;
                if crate::db::reapply_erasure(&mut crate::db::sql::Lite(tx), team, address, stamp)? {
                    counts.erasures += 1;
                }
            }
            for (device, at, lost) in &devices {
                counts.devices_revoked += tx.execute(
                    "UPDATE devices SET revoked_at_ms = COALESCE(revoked_at_ms, ?1), lost = lost OR ?2 WHERE id = ?3",
                    params![at, lost, device],
                )?;
            }
            for (invite, at) in &invites {
                counts.invites_revoked += tx.execute(
                    "UPDATE invite_codes SET revoked_at_ms = ?1 WHERE id = ?2 AND revoked_at_ms IS NULL",
                    params![at, invite],
                )?;
            }
            Ok(())
        })?;
        Ok(counts)
    }
}
