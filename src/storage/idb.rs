//! IndexedDB through web-sys, wrapped in futures.

use std::collections::{BTreeMap, HashMap, HashSet};

use buurtbel_core::compact::{decode_op, decode_ops, encode_id, encode_op, encode_ops};
use buurtbel_core::ids::{AddressId, OpId};
use buurtbel_core::op::{Operation, Stamp};
use buurtbel_core::protocol::Cursor;
use js_sys::{Array, Promise};
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{
    IdbDatabase, IdbObjectStore, IdbOpenDbRequest, IdbRequest, IdbTransaction, IdbTransactionMode,
};

use super::{Loaded, Reason, Refused, StorageError, key, strip_if_erased};

/// Operations written per step of a batch: the next step's writes are placed when the previous
/// step's last write succeeded, so the browser handles input and paints in between while the
/// transaction (and so the all-or-nothing) spans the whole batch.
const BATCH_STEP: usize = 250;

/// The schema version. Raise it and add a step to `upgrade` to change the layout.
pub const SCHEMA_VERSION: u32 = 2;

const LOG: &str = "log";
const PAGES: &str = "pages";
const OUTBOX: &str = "outbox";
const META: &str = "meta";
const CURSOR: &str = "cursor";

/// The operation log in IndexedDB.
#[derive(Clone, Debug)]
pub struct IdbStorage {
    db: IdbDatabase,
}

/// Classifies a failure the browser reported (a full quota is its own case).
pub fn js_error(value: JsValue) -> StorageError {
    match value.dyn_ref::<web_sys::DomException>() {
        Some(e) if e.name() == "QuotaExceededError" => StorageError::QuotaFull,
        Some(e) => StorageError::Failed(format!("{}: {}", e.name(), e.message())),
        None => StorageError::Failed(value.as_string().unwrap_or_else(|| "unknown error".into())),
    }
}

/// Resolves when `request` succeeds, with its result. The handlers are attached now, not when
/// the future is first polled, so a request that finishes early is not missed.
fn request(
    request: IdbRequest,
) -> impl std::future::Future<Output = Result<JsValue, StorageError>> {
    let request = &request;
    let promise = Promise::new(&mut |resolve, reject| {
        let req = request.clone();
        let on_success = Closure::once_into_js(move || {
            let _ = resolve.call1(&JsValue::NULL, &req.result().unwrap_or(JsValue::UNDEFINED));
        });
        let req = request.clone();
        let on_error = Closure::once_into_js(move || {
            let error = req
                .error()
                .ok()
                .flatten()
                .map_or(JsValue::UNDEFINED, JsValue::from);
            let _ = reject.call1(&JsValue::NULL, &error);
        });
        request.set_onsuccess(Some(on_success.unchecked_ref()));
        request.set_onerror(Some(on_error.unchecked_ref()));
    });
    let future = JsFuture::from(promise);
    async move { future.await.map_err(js_error) }
}

/// A future that resolves when `tx` commits and fails if it aborts (a full quota aborts the
/// transaction). Made right after the transaction, before any request, so no event is missed.
fn commit_future(tx: &IdbTransaction) -> JsFuture {
    let promise = Promise::new(&mut |resolve, reject| {
        let on_complete = Closure::once_into_js(move || {
            let _ = resolve.call0(&JsValue::NULL);
        });
        let t = tx.clone();
        let on_abort = Closure::once_into_js(move || {
            let error = t.error().map_or(JsValue::UNDEFINED, JsValue::from);
            let _ = reject.call1(&JsValue::NULL, &error);
        });
        tx.set_oncomplete(Some(on_complete.unchecked_ref()));
        // A failed request aborts its transaction, so `abort` reports every failure.
        tx.set_onabort(Some(on_abort.unchecked_ref()));
    });
    JsFuture::from(promise)
}

/// An open transaction: its object stores and the future of its commit.
struct Tx {
    stores: Vec<IdbObjectStore>,
    done: JsFuture,
}

impl Tx {
    async fn committed(self) -> Result<(), StorageError> {
        self.done.await.map(|_| ()).map_err(js_error)
    }
}

/// Creates or changes the object stores, from whatever version the database had up to `new`.
fn upgrade(db: &IdbDatabase, old: u32, new: u32) -> Result<(), JsValue> {
    // Version 1: the log (one record per operation), the outbox, the cursor.
    if old < 1 && new >= 1 {
        for name in [LOG, OUTBOX, META] {
            if !db.object_store_names().contains(name) {
                db.create_object_store(name)?;
            }
        }
    }
    // Version 2: pulled pages stored whole, one record per page (a cold load reads tens of
    // records instead of tens of thousands). Records of version 1 stay where they are and
    // still load.
    if old < 2 && new >= 2 && !db.object_store_names().contains(PAGES) {
        let params = web_sys::IdbObjectStoreParameters::new();
        params.set_auto_increment(true);
        db.create_object_store_with_optional_parameters(PAGES, &params)?;
    }
    Ok(())
}

fn factory() -> Result<web_sys::IdbFactory, StorageError> {
    web_sys::window()
        .and_then(|w| w.indexed_db().ok().flatten())
        .ok_or_else(|| StorageError::Unavailable("no IndexedDB".into()))
}

impl IdbStorage {
    /// Opens (creating or upgrading) the database `name`.
    pub async fn open(name: &str) -> Result<IdbStorage, StorageError> {
        IdbStorage::open_version(name, SCHEMA_VERSION).await
    }

    /// Opens the database at an older schema version (tests of the upgrade path use it).
    #[doc(hidden)]
    pub async fn open_version(name: &str, version: u32) -> Result<IdbStorage, StorageError> {
        let open: IdbOpenDbRequest = factory()?.open_with_u32(name, version).map_err(js_error)?;
        let on_upgrade = Closure::<dyn FnMut(web_sys::IdbVersionChangeEvent)>::new(
            move |event: web_sys::IdbVersionChangeEvent| {
                let db = event
                    .target()
                    .and_then(|t| t.dyn_into::<IdbOpenDbRequest>().ok())
                    .and_then(|r| r.result().ok())
                    .and_then(|r| r.dyn_into::<IdbDatabase>().ok());
                if let Some(db) = db {
                    // An error here aborts the upgrade; `open` then fails with it.
                    let _ = upgrade(&db, event.old_version() as u32, version);
                }
            },
        );
        open.set_onupgradeneeded(Some(on_upgrade.as_ref().unchecked_ref()));
        let result = request(open.clone().unchecked_into()).await;
        open.set_onupgradeneeded(None);
        drop(on_upgrade);
        let db: IdbDatabase = result?
            .dyn_into()
            .map_err(|_| StorageError::Failed("open returned no database".into()))?;
        // Another tab upgrading or deleting the database must not wait for this one forever.
        let this = db.clone();
        let on_version_change = Closure::<dyn Fn()>::new(move || this.close());
        db.set_onversionchange(Some(on_version_change.as_ref().unchecked_ref()));
        on_version_change.forget();
        Ok(IdbStorage { db })
    }

    /// Deletes the database `name` (a device wiped on purpose, or a test).
    pub async fn delete(name: &str) -> Result<(), StorageError> {
        let req = factory()?.delete_database(name).map_err(js_error)?;
        request(req.unchecked_into()).await.map(|_| ())
    }

    /// Closes the connection (so another can upgrade or delete the database).
    pub fn close(&self) {
        self.db.close();
    }

    fn transaction(&self, stores: &[&str], mode: IdbTransactionMode) -> Result<Tx, StorageError> {
        let names: Array = stores.iter().map(|s| JsValue::from_str(s)).collect();
        let tx = self
            .db
            .transaction_with_str_sequence_and_mode(&names, mode)
            .map_err(js_error)?;
        let done = commit_future(&tx);
        let stores = stores
            .iter()
            .map(|s| tx.object_store(s).map_err(js_error))
            .collect::<Result<_, _>>()?;
        Ok(Tx { stores, done })
    }

    /// Reads everything back. Unreadable records are skipped and named in `corrupt`.
    pub async fn load(&self) -> Result<Loaded, StorageError> {
        let stores = [LOG, OUTBOX, META, PAGES];
        let tx = self.transaction(&stores, IdbTransactionMode::Readonly)?;
        // All requests are placed before the first await, while the transaction is active.
        let keys = request(tx.stores[0].get_all_keys().map_err(js_error)?);
        let values = request(tx.stores[0].get_all().map_err(js_error)?);
        let outbox_keys = request(tx.stores[1].get_all_keys().map_err(js_error)?);
        let outbox_values = request(tx.stores[1].get_all().map_err(js_error)?);
        let cursor = request(
            tx.stores[2]
                .get(&JsValue::from_str(CURSOR))
                .map_err(js_error)?,
        );
        let page_keys = request(tx.stores[3].get_all_keys().map_err(js_error)?);
        let pages = request(tx.stores[3].get_all().map_err(js_error)?);
        let (keys, values, outbox_keys, outbox_values, cursor, page_keys, pages) = (
            keys.await?,
            values.await?,
            outbox_keys.await?,
            outbox_values.await?,
            cursor.await?,
            page_keys.await?,
            pages.await?,
        );
        tx.committed().await?;

        let mut loaded = Loaded::default();
        let mut by_id: HashMap<OpId, Operation> = HashMap::new();
        // What this device made first, then the pages pulled over it: the server's copy is
        // what the team has (an erasure the server refused stripped only the copy made here).
        let keys: Array = keys.unchecked_into();
        let values: Array = values.unchecked_into();
        for (k, v) in keys.iter().zip(values.iter()) {
            let name = k.as_string().unwrap_or_default();
            match v.as_string().map(|text| decode_op(&text)) {
                Some(Ok(op)) if key(op.id) == name && op.validate().is_ok() => {
                    by_id.insert(op.id, op);
                }
                _ => loaded.corrupt.push(format!("{LOG}/{name}")),
            }
        }
        let mut pulled: HashSet<OpId> = HashSet::new();
        let page_keys: Array = page_keys.unchecked_into();
        let pages: Array = pages.unchecked_into();
        for (k, v) in page_keys.iter().zip(pages.iter()) {
            match v.as_string().map(|text| decode_ops(&text)) {
                Some(Ok(ops)) if ops.iter().all(|op| op.validate().is_ok()) => {
                    pulled.extend(ops.iter().map(|op| op.id));
                    by_id.extend(ops.into_iter().map(|op| (op.id, op)));
                }
                _ => loaded
                    .corrupt
                    .push(format!("{PAGES}/{}", k.as_f64().map_or(-1, |n| n as i64))),
            }
        }
        let outbox_keys: Array = outbox_keys.unchecked_into();
        let outbox_values: Array = outbox_values.unchecked_into();
        // `true` while waiting; the server's reason once it refused the operation.
        let waiting: BTreeMap<String, Option<String>> = buurtbel_core::sort::map(
            outbox_keys
                .iter()
                .zip(outbox_values.iter())
                .filter_map(|(k, v)| Some((k.as_string()?, v.as_string()))),
        );
        for (id, refusal) in waiting {
            let known = id.parse::<OpId>().ok().filter(|id| by_id.contains_key(id));
            match (known, refusal) {
                (None, _) => loaded.corrupt.push(format!("{OUTBOX}/{id}")),
                (Some(id), None) => loaded.outbox.push(by_id[&id].clone()),
                // Refused, yet in a pulled page: stored after all by a late copy of an earlier
                // push, so not refused.
                (Some(id), Some(_)) if pulled.contains(&id) => {}
                // Out of the state: the team never got it.
                (Some(id), Some(reason)) => {
                    if let Some(op) = by_id.remove(&id) {
                        loaded.refused.push(Refused {
                            op,
                            reason: Reason::decode(&reason),
                        });
                    }
                }
            }
        }
        loaded.sort_outbox();
        loaded.ops = by_id.into_values().collect();
        loaded.cursor = Cursor(cursor.as_f64().map_or(0, |c| c as u64));
        if !loaded.corrupt.is_empty() {
            // What could not be read is fetched again from the team's server.
            loaded.cursor = Cursor(0);
        }
        Ok(loaded)
    }

    /// Saves operations made on this device into the log and the outbox, in one transaction:
    /// all of them or none, however many.
    pub async fn save_new(&self, ops: &[Operation]) -> Result<(), StorageError> {
        let tx = self.transaction(&[LOG, OUTBOX], IdbTransactionMode::Readwrite)?;
        let chunks = ops.chunks(BATCH_STEP);
        let steps = chunks.len();
        for (n, chunk) in chunks.enumerate() {
            let mut last = None;
            for op in chunk {
                let id = JsValue::from_str(&key(op.id));
                tx.stores[0]
                    .put_with_key(&JsValue::from_str(&encode_op(op)), &id)
                    .map_err(js_error)?;
                last = Some(
                    tx.stores[1]
                        .put_with_key(&JsValue::TRUE, &id)
                        .map_err(js_error)?,
                );
            }
            // Waiting for the step's last write gives the browser the main thread; the
            // transaction stays active because the next writes are placed from its success.
            if n + 1 < steps
                && let Some(last) = last
            {
                request(last).await?;
            }
        }
        tx.committed().await
    }

    /// Rewrites every stored operation about `address`'s resident made at or before `until`
    /// without the resident's personal data: operations made here (`log`) and pulled pages,
    /// in one transaction. Records that do not mention the address are not decoded.
    pub async fn strip_resident(
        &self,
        address: AddressId,
        until: Stamp,
    ) -> Result<usize, StorageError> {
        let needle = encode_id(&address.0);
        let tx = self.transaction(&[LOG, PAGES], IdbTransactionMode::Readwrite)?;
        let log_keys = request(tx.stores[0].get_all_keys().map_err(js_error)?);
        let log_values = request(tx.stores[0].get_all().map_err(js_error)?);
        let page_keys = request(tx.stores[1].get_all_keys().map_err(js_error)?);
        let pages = request(tx.stores[1].get_all().map_err(js_error)?);
        let (log_keys, log_values, page_keys, pages) = (
            log_keys.await?,
            log_values.await?,
            page_keys.await?,
            pages.await?,
        );
        let mut stripped = 0;
        let log_keys: Array = log_keys.unchecked_into();
        let log_values: Array = log_values.unchecked_into();
        for (k, v) in log_keys.iter().zip(log_values.iter()) {
            let Some(text) = v.as_string().filter(|t| t.contains(&needle)) else {
                continue;
            };
            if let Ok(mut op) = decode_op(&text)
                && strip_if_erased(&mut op, address, until)
            {
                tx.stores[0]
                    .put_with_key(&JsValue::from_str(&encode_op(&op)), &k)
                    .map_err(js_error)?;
                stripped += 1;
            }
        }
        let page_keys: Array = page_keys.unchecked_into();
        let pages: Array = pages.unchecked_into();
        for (k, v) in page_keys.iter().zip(pages.iter()) {
            let Some(text) = v.as_string().filter(|t| t.contains(&needle)) else {
                continue;
            };
            let Ok(mut ops) = decode_ops(&text) else {
                continue;
            };
            let n = ops
                .iter_mut()
                .filter_map(|op| strip_if_erased(op, address, until).then_some(()))
                .count();
            if n > 0 {
                tx.stores[1]
                    .put_with_key(&JsValue::from_str(&encode_ops(&ops)), &k)
                    .map_err(js_error)?;
                stripped += n;
            }
        }
        tx.committed().await?;
        Ok(stripped)
    }

    /// Every stored text value, store by store (tests read the database raw with it).
    #[doc(hidden)]
    pub async fn raw_values(&self) -> Result<Vec<String>, StorageError> {
        let stores = [LOG, OUTBOX, META, PAGES];
        let tx = self.transaction(&stores, IdbTransactionMode::Readonly)?;
        let requests = tx
            .stores
            .iter()
            .map(|s| s.get_all().map(request).map_err(js_error))
            .collect::<Result<Vec<_>, _>>()?;
        let mut out = Vec::new();
        for r in requests {
            let values: Array = r.await?.unchecked_into();
            // The outbox holds `true` and the cursor a number: only text can hold personal data.
            out.extend(values.iter().filter_map(|v| v.as_string()));
        }
        tx.committed().await?;
        Ok(out)
    }

    /// The server acknowledged these operations: they leave the outbox (and stay in the log).
    pub async fn acknowledge(&self, ids: &[OpId]) -> Result<(), StorageError> {
        let tx = self.transaction(&[OUTBOX], IdbTransactionMode::Readwrite)?;
        for id in ids {
            tx.stores[0]
                .delete(&JsValue::from_str(&key(*id)))
                .map_err(js_error)?;
        }
        tx.committed().await
    }

    /// Marks an operation of the outbox as refused by the server, with its reason.
    pub async fn refuse(&self, id: OpId, reason: &Reason) -> Result<(), StorageError> {
        let tx = self.transaction(&[OUTBOX], IdbTransactionMode::Readwrite)?;
        tx.stores[0]
            .put_with_key(
                &JsValue::from_str(&reason.encode()),
                &JsValue::from_str(&key(id)),
            )
            .map_err(js_error)?;
        tx.committed().await
    }

    /// Deletes a refused operation the user let go: its mark and its record, together.
    pub async fn discard(&self, id: OpId) -> Result<(), StorageError> {
        let tx = self.transaction(&[LOG, OUTBOX], IdbTransactionMode::Readwrite)?;
        let id = JsValue::from_str(&key(id));
        for store in &tx.stores {
            store.delete(&id).map_err(js_error)?;
        }
        tx.committed().await
    }

    /// Saves a pulled page, as one record, and its cursor, together.
    pub async fn save_pulled(&self, ops: &[Operation], cursor: Cursor) -> Result<(), StorageError> {
        let tx = self.transaction(&[PAGES, META], IdbTransactionMode::Readwrite)?;
        if !ops.is_empty() {
            tx.stores[0]
                .add(&JsValue::from_str(&encode_ops(ops)))
                .map_err(js_error)?;
        }
        tx.stores[1]
            .put_with_key(
                &JsValue::from_f64(cursor.0 as f64),
                &JsValue::from_str(CURSOR),
            )
            .map_err(js_error)?;
        tx.committed().await
    }

    /// Writes a raw value as a pulled page (tests use it to plant a corrupt page).
    #[doc(hidden)]
    pub async fn put_raw_page(&self, value: &str) -> Result<(), StorageError> {
        let tx = self.transaction(&[PAGES], IdbTransactionMode::Readwrite)?;
        tx.stores[0]
            .add(&JsValue::from_str(value))
            .map_err(js_error)?;
        tx.committed().await
    }

    /// Writes a raw value into the log (tests use it to plant a corrupt record).
    #[doc(hidden)]
    pub async fn put_raw(&self, id: &str, value: &str) -> Result<(), StorageError> {
        let tx = self.transaction(&[LOG], IdbTransactionMode::Readwrite)?;
        tx.stores[0]
            .put_with_key(&JsValue::from_str(value), &JsValue::from_str(id))
            .map_err(js_error)?;
        tx.committed().await
    }
}
