//! The phone's own copy of the team's data: everything is saved here before it is shown, and
//! stays until the server has it.
//!
//! # Layout
//! The operation log lives in IndexedDB (a buurt of 5,000 addresses and 15,000 visits does not
//! fit localStorage; see docs/ARCHITECTURE.md for the measurement). One database per team
//! (`buurtbel-<team id>`) with four object stores, in `core::compact` form:
//! - `log`: operations made on this device, one record each, keyed by operation id;
//! - `pages`: pulled pages, one record per page (auto-numbered), never rewritten;
//! - `outbox`: the ids of operations made here and not yet acknowledged by the server; the
//!   value is `true` while one waits, and the server's refusal (a [`Refused`] reason) once the
//!   server refused it for good: then it is kept to be shown, left out of the state and never
//!   sent again, until the user discards it;
//! - `meta`: the pull cursor.
//!
//! An operation may be in both `log` and a page (made here, then pulled back); loading keeps
//! one copy. Schema version 1 had no `pages`; opening it adds the store and keeps every record.
//!
//! Each change is one IndexedDB transaction, so a crash leaves either all of it or none:
//! new operations go into `log` and `outbox` together (a batch of thousands, such as an
//! imported address list, in one transaction too); a pulled page and its cursor are saved
//! together. One change never rewrites the rest of the dataset, with one exception: an erasure
//! of a resident's data rewrites the records that hold it.
//!
//! **Invariant:** an operation leaves the outbox only when the server acknowledged it; a
//! record that cannot be read is skipped and reported, and everything else still loads.

mod idb;

pub use idb::{IdbStorage, SCHEMA_VERSION, js_error};

use buurtbel_core::ids::{AddressId, OpId};
use buurtbel_core::op::{Operation, Stamp};
use buurtbel_core::protocol::Cursor;

/// What the replica needs of the phone's storage. [`IdbStorage`] is the app's; tests use a
/// store in memory that can be made to fail.
#[allow(
    async_fn_in_trait,
    reason = "the app is single-threaded wasm; futures need not be Send"
)]
pub trait Store {
    /// Reads everything back. Unreadable records are skipped and named in `corrupt`.
    async fn load(&self) -> Result<Loaded, StorageError>;
    /// Saves operations made on this device, with their places in the outbox: all of them or
    /// none.
    async fn save_new(&self, ops: &[Operation]) -> Result<(), StorageError>;
    /// The server acknowledged these operations: they leave the outbox.
    async fn acknowledge(&self, ids: &[OpId]) -> Result<(), StorageError>;
    /// The server refused this operation for good: it stays, marked with `reason`, and is no
    /// longer loaded as waiting nor folded into the state.
    async fn refuse(&self, id: OpId, reason: &Reason) -> Result<(), StorageError>;
    /// The user let a refused operation go: it is deleted.
    async fn discard(&self, id: OpId) -> Result<(), StorageError>;
    /// Saves a pulled page and its cursor, together.
    async fn save_pulled(&self, ops: &[Operation], cursor: Cursor) -> Result<(), StorageError>;
    /// Rewrites every stored operation about `address`'s resident made at or before `until`
    /// without the resident's personal data (names, contact data, notes), in one transaction.
    /// Returns how many operations it stripped.
    async fn strip_resident(&self, address: AddressId, until: Stamp)
    -> Result<usize, StorageError>;
    /// Lets go of the storage (before it is deleted).
    fn close(&self);
}

pub use buurtbel_core::replica::{Reason, Refused, strip_if_erased};

impl Store for IdbStorage {
    async fn load(&self) -> Result<Loaded, StorageError> {
        IdbStorage::load(self).await
    }
    async fn save_new(&self, ops: &[Operation]) -> Result<(), StorageError> {
        IdbStorage::save_new(self, ops).await
    }
    async fn acknowledge(&self, ids: &[OpId]) -> Result<(), StorageError> {
        IdbStorage::acknowledge(self, ids).await
    }
    async fn refuse(&self, id: OpId, reason: &Reason) -> Result<(), StorageError> {
        IdbStorage::refuse(self, id, reason).await
    }
    async fn discard(&self, id: OpId) -> Result<(), StorageError> {
        IdbStorage::discard(self, id).await
    }
    async fn save_pulled(&self, ops: &[Operation], cursor: Cursor) -> Result<(), StorageError> {
        IdbStorage::save_pulled(self, ops, cursor).await
    }
    async fn strip_resident(
        &self,
        address: AddressId,
        until: Stamp,
    ) -> Result<usize, StorageError> {
        IdbStorage::strip_resident(self, address, until).await
    }
    fn close(&self) {
        IdbStorage::close(self);
    }
}

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
    /// Operations the server refused for good, with its reason (not in `ops`).
    pub refused: Vec<Refused>,
    /// Where the next pull starts.
    pub cursor: Cursor,
    /// Keys of records that could not be read. They are skipped; when there are any, the
    /// cursor starts from 0 so the server sends everything again.
    pub corrupt: Vec<String>,
}

impl Loaded {
    /// Orders the outbox as the device made it (by timestamp, then id).
    pub fn sort_outbox(&mut self) {
        buurtbel_core::sort::sort_by_key(&mut self.outbox, |op| (op.hlc, op.id));
    }
}

/// How much of the browser's storage the app uses, and whether the browser promised to keep it.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Persistence {
    /// The browser will not evict the data under storage pressure (or after 7 days unused on
    /// iPhone, when the app is on the home screen); `None` when the browser cannot be asked
    /// (no `navigator.storage.persist`, as in WebKitGTK).
    pub persisted: Option<bool>,
    /// Bytes used by this origin, when the browser gives an estimate.
    pub usage: Option<f64>,
    /// Bytes this origin may use, when the browser gives an estimate.
    pub quota: Option<f64>,
}

/// How close storage is to full.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum QuotaLevel {
    /// Plenty of room.
    Fine,
    /// Over 80% used: warn the user while there is still room to act.
    Warn,
    /// Over 95% used: new changes may soon fail to save.
    Critical,
}

impl Persistence {
    /// The warning level for this usage. An unknown figure never warns.
    pub fn level(&self) -> QuotaLevel {
        let (Some(usage), Some(quota)) = (self.usage, self.quota) else {
            return QuotaLevel::Fine;
        };
        if quota <= 0.0 {
            return QuotaLevel::Fine;
        }
        let used = usage / quota;
        if used > 0.95 {
            QuotaLevel::Critical
        } else if used > 0.80 {
            QuotaLevel::Warn
        } else {
            QuotaLevel::Fine
        }
    }
}

/// Calls `target.name()` if the browser has that method, and awaits the promise it returns for
/// at most `wait_ms` (a browser that asks the user, as Firefox does for `persist()`, may never
/// answer while nobody looks; then the answer is unknown).
async fn call_if_present(
    target: &wasm_bindgen::JsValue,
    name: &str,
    wait_ms: i32,
) -> Option<wasm_bindgen::JsValue> {
    use wasm_bindgen::JsCast;
    let method = js_sys::Reflect::get(target, &name.into())
        .ok()?
        .dyn_into::<js_sys::Function>()
        .ok()?;
    let promise = method
        .call0(target)
        .ok()?
        .dyn_into::<js_sys::Promise>()
        .ok()?;
    let timeout = js_sys::Promise::new(&mut |resolve, _| {
        if let Some(window) = web_sys::window() {
            let _ = window.set_timeout_with_callback_and_timeout_and_arguments_1(
                &resolve,
                wait_ms,
                &wasm_bindgen::JsValue::UNDEFINED,
            );
        }
    });
    let first = js_sys::Promise::race(&js_sys::Array::of2(&promise, &timeout));
    wasm_bindgen_futures::JsFuture::from(first)
        .await
        .ok()
        .filter(|v| !v.is_undefined())
}

/// Asks the browser to keep the app's data (`navigator.storage.persist()`), then reports the
/// storage estimate. What the browser cannot tell (no Storage API, no `persist`, no
/// `estimate`, as in WebKitGTK) stays unknown rather than zero.
pub async fn request_persistence() -> Persistence {
    let Some(manager) = web_sys::window()
        .and_then(|w| js_sys::Reflect::get(&w.navigator(), &"storage".into()).ok())
        .filter(|m| m.is_object())
    else {
        return Persistence::default();
    };
    let estimate = call_if_present(&manager, "estimate", 5_000).await;
    let persisted = call_if_present(&manager, "persist", 3_000)
        .await
        .and_then(|v| v.as_bool());
    let number = |name: &str| {
        estimate
            .as_ref()
            .and_then(|e| js_sys::Reflect::get(e, &wasm_bindgen::JsValue::from_str(name)).ok())
            .and_then(|v| v.as_f64())
    };
    Persistence {
        persisted,
        usage: number("usage"),
        quota: number("quota").filter(|q| *q > 0.0),
    }
}

/// Ids of operations, as stored keys.
pub(crate) fn key(id: OpId) -> String {
    id.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_user_is_warned_well_before_storage_is_full() {
        let at = |usage| {
            Persistence {
                persisted: Some(false),
                usage: Some(usage),
                quota: Some(100.0),
            }
            .level()
        };
        assert_eq!(at(10.0), QuotaLevel::Fine);
        assert_eq!(at(80.0), QuotaLevel::Fine);
        assert_eq!(at(81.0), QuotaLevel::Warn);
        assert_eq!(at(96.0), QuotaLevel::Critical);
        assert_eq!(
            Persistence::default().level(),
            QuotaLevel::Fine,
            "unknown quota"
        );
    }
}
