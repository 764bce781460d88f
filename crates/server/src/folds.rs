//! Teams' states folded from their logs, kept in memory for the pages the server renders
//! itself (a project's resident page) and for what a newer organisation plan offers a project. Each is brought up to date from the log when it is used,
//! so it never shows less than what was stored before the request. A team's copy is dropped
//! when one of its devices pushes an erasure or a consent withdrawal, so the erased data does
//! not wait in memory for the next reader.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use buurtbel_core::ids::TeamId;
use buurtbel_core::op::Operation;
use buurtbel_core::state::State;

use crate::db::{DbError, Storage};

/// Operations read per pull while catching up.
const CATCH_UP: u32 = 1000;

/// Hands `team`'s operations after sequence number `after` to `each`, in log order, page by
/// page; returns the last sequence number read (`after` when there was none).
pub fn read_log(
    storage: &dyn Storage,
    team: TeamId,
    after: u64,
    mut each: impl FnMut(Operation),
) -> Result<u64, DbError> {
    let mut seq = after;
    loop {
        let (rows, more) = storage.pull(team, seq, CATCH_UP)?;
        for (s, body) in rows {
            each(serde_json::from_str(&body).map_err(|e| DbError::Corrupt(e.to_string()))?);
            seq = s;
        }
        if !more {
            return Ok(seq);
        }
    }
}

#[derive(Debug, Default)]
struct Folded {
    /// The last sequence number applied.
    seq: u64,
    state: State,
}

/// Folded states by team.
#[derive(Debug, Default)]
pub struct Folds {
    teams: Mutex<HashMap<TeamId, Arc<Mutex<Folded>>>>,
}

impl Folds {
    /// `f` of `team`'s state as stored now. Blocks on storage: call it off the async runtime.
    pub fn read<T>(
        &self,
        storage: &dyn Storage,
        team: TeamId,
        f: impl FnOnce(&State) -> T,
    ) -> Result<T, DbError> {
        let entry = Arc::clone(
            self.teams
                .lock()
                .unwrap_or_else(|p| p.into_inner())
                .entry(team)
                .or_default(),
        );
        let mut folded = entry.lock().unwrap_or_else(|p| p.into_inner());
        let Folded { seq, state } = &mut *folded;
        *seq = read_log(storage, team, *seq, |op| {
            state.apply(&op);
        })?;
        Ok(f(&folded.state))
    }

    /// Drops `team`'s copy; the next reader folds the log again.
    pub fn forget(&self, team: TeamId) {
        self.teams
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .remove(&team);
    }

    /// How many teams have a copy.
    #[cfg(test)]
    fn len(&self) -> usize {
        self.teams.lock().unwrap_or_else(|p| p.into_inner()).len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::db::Sqlite;

    #[test]
    fn a_forgotten_team_is_folded_again_from_its_log() {
        let storage = Sqlite::open_in_memory().expect("database");
        let folds = Folds::default();
        let team = TeamId::new_v7(1, [1; 10]);
        assert_eq!(
            folds
                .read(&storage, team, |s| s.applied.len())
                .expect("read"),
            0
        );
        assert_eq!(folds.len(), 1);
        folds.forget(team);
        assert_eq!(folds.len(), 0);
    }
}
