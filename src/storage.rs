//! The phone's own copy of the team's data: everything is saved here before it is shown, and
//! stays until the server has it.
//!
//! # Layout
//! The operation log lives in IndexedDB (a buurt of 5,000 addresses and 15,000 visits does not
//! fit localStorage; see docs/ARCHITECTURE.md for the measurement). One database, `buurtbel`,
//! with three object stores, each record keyed by operation id or name:
//! - `log`: every operation this device knows (made here or pulled), in `core::compact` form;
//! - `outbox`: the ids of operations made here and not yet acknowledged by the server;
//! - `meta`: the pull cursor.
//!
//! Each change is one IndexedDB transaction, so a crash leaves either all of it or none:
//! a new operation goes into `log` and `outbox` together; a pulled page and its cursor are
//! saved together. One change never rewrites the rest of the dataset.
//!
//! **Invariant:** an operation leaves the outbox only when the server acknowledged it; a
//! record that cannot be read is skipped and reported, and everything else still loads.

mod idb;

pub use idb::{IdbStorage, SCHEMA_VERSION, js_error};

use buurtbel_core::ids::OpId;
use buurtbel_core::op::Operation;
use buurtbel_core::protocol::Cursor;

/// Why the phone's storage failed.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum StorageError {
    /// The browser's storage quota is used up: nothing of the change was saved.
    #[error("the phone's storage for this app is full")]
    QuotaFull,
    /// The browser has no IndexedDB (a private window in some browsers) or refused it.
    #[error("this browser does not let the app store data: {0}")]
    Unavailable(String),
    /// Another open tab holds an older version of the database open.
    #[error("close the other Buurtbel tabs to finish updating")]
    Blocked,
    /// Any other failure, with the browser's words.
    #[error("storage failed: {0}")]
    Failed(String),
}

/// Everything read back from storage at start.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Loaded {
    /// Every known operation, in no particular order.
    pub ops: Vec<Operation>,
    /// Operations waiting for the server, oldest first.
    pub outbox: Vec<Operation>,
    /// Where the next pull starts.
    pub cursor: Cursor,
    /// Keys of records that could not be read. They are skipped; when there are any, the
    /// cursor starts from 0 so the server sends everything again.
    pub corrupt: Vec<String>,
}

impl Loaded {
    /// Orders the outbox as the device made it (by timestamp, then id).
    fn sort_outbox(&mut self) {
        self.outbox.sort_by_key(|op| (op.hlc, op.id));
    }
}

/// Ids of operations, as stored keys.
pub(crate) fn key(id: OpId) -> String {
    id.to_string()
}
