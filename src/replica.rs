//! The team's data on this device: the browser shell around the replica core
//! ([`buurtbel_core::replica::ReplicaCore`]), which holds the state, the outbox and every
//! decision about them. This shell carries out what the core asks for: IndexedDB through a
//! [`Store`], requests through a [`Transport`], and the observer the screens listen to.
//!
//! Everything the user does goes through [`Replica::record`] (or [`Replica::record_many`] for
//! a batch): checked, applied to the state at once, saved to IndexedDB, queued for the server.
//! [`Replica::sync`] runs the engine until it has nothing more to do now. The transport is a
//! trait so tests drive the replica against a model server; the app uses
//! [`crate::api_client::ApiClient`].
//!
//! The core keeps the offset between the phone's clock and the server's, learned from every
//! answer, and stamps changes with the corrected time: a phone whose clock runs ten minutes
//! fast stamps its changes as the server expects instead of having them refused first.

use std::cell::RefCell;
use std::collections::BTreeSet;
use std::future::Future;

use buurtbel_core::ids::{DeviceId, OpId};
use buurtbel_core::op::{Author, Operation, Payload};
use buurtbel_core::protocol::{Cursor, PullRequest, PullResponse, PushRequest, PushResponse};
pub use buurtbel_core::replica::Touched;
use buurtbel_core::replica::{Refusal, ReplicaCore};
use buurtbel_core::state::State;
use buurtbel_core::sync::{Failure, Next, SyncStatus};

use crate::api_client::ApiClient;
use crate::storage::{IdbStorage, Reason, Refused, StorageError, Store};

/// Operations applied between two pauses of a batch, so a long batch leaves the browser room
/// to handle input and paint.
const BATCH_STEP: usize = 500;

/// How requests reach the server.
#[allow(
    async_fn_in_trait,
    reason = "the app is single-threaded wasm; futures need not be Send"
)]
pub trait Transport {
    /// Sends a push.
    async fn push(&self, request: &PushRequest) -> Result<PushResponse, Failure>;
    /// Sends a pull.
    async fn pull(&self, request: &PullRequest) -> Result<PullResponse, Failure>;
}

impl Transport for ApiClient {
    async fn push(&self, request: &PushRequest) -> Result<PushResponse, Failure> {
        ApiClient::push(self, request).await
    }

    async fn pull(&self, request: &PullRequest) -> Result<PullResponse, Failure> {
        ApiClient::pull(self, request).await
    }
}

/// Why an operation made on this device was not recorded, or not saved.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum RecordError {
    /// It breaks a rule, refers to something removed or unknown, or the clock cannot stamp
    /// it (core's checks): nothing was recorded.
    #[error("{0}")]
    Refused(#[from] buurtbel_core::replica::RecordError),
    /// The change is shown and queued, but storage refused it; it is kept in memory and saved
    /// again by [`Replica::retry_unsaved`].
    #[error("{0}")]
    Storage(#[from] StorageError),
}

/// What the screens show about the replica, handed to the observer after every change.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Snapshot {
    /// The sync status.
    pub status: Option<SyncStatus>,
    /// Changes waiting for the server.
    pub waiting: usize,
    /// Changes the storage could not save yet (kept in memory).
    pub unsaved: usize,
    /// Changes the server refused.
    pub refused: usize,
    /// Goes up with every change to the state.
    pub revision: u64,
    /// Goes up with every change to each area of the state (indexed by [`Area`] as `usize`), so
    /// a view re-derives only when what it reads changed.
    pub areas: [u64; 5],
    /// The server's clock minus the phone's, in milliseconds, as last learned.
    pub clock_offset_ms: i64,
    /// Whether this device is an admin's, as the server last said (none: not said yet).
    pub admin: Option<bool>,
    /// Goes up with every resident erasure applied since the replica was opened.
    pub erasures: u64,
}

/// Hears of every change to a replica.
struct Observer(Box<dyn Fn(Snapshot)>);

impl std::fmt::Debug for Observer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Observer")
    }
}

/// The device's replica of the team's data.
///
/// Methods take `&self`: the app shares one replica between the sync loop and the screens, and
/// a change made while a sync request is on the wire is recorded at once. No borrow of the
/// core is held across an `await`.
#[derive(Debug)]
pub struct Replica<T, S = IdbStorage> {
    storage: S,
    transport: T,
    core: RefCell<ReplicaCore>,
    observer: RefCell<Option<Observer>>,
    /// Keys of stored records that could not be read at start (skipped; fetched again).
    pub corrupt: Vec<String>,
}

impl<T: Transport, S: Store> Replica<T, S> {
    /// Loads the stored log and outbox and folds the state.
    pub async fn open(
        storage: S,
        transport: T,
        device: DeviceId,
    ) -> Result<Replica<T, S>, StorageError> {
        let loaded = storage.load().await?;
        let core = ReplicaCore::new(
            device,
            &loaded.ops,
            loaded.outbox,
            loaded.refused,
            loaded.cursor,
        );
        Ok(Replica {
            storage,
            transport,
            core: RefCell::new(core),
            observer: RefCell::new(None),
            corrupt: loaded.corrupt,
        })
    }

    /// Closes the storage connection (before the team's data is deleted).
    pub fn close(&self) {
        self.storage.close();
    }

    /// Calls `observer` with a fresh [`Snapshot`] after every change (and once now).
    pub fn observe(&self, observer: impl Fn(Snapshot) + 'static) {
        *self.observer.borrow_mut() = Some(Observer(Box::new(observer)));
        self.notify();
    }

    /// The current snapshot.
    pub fn snapshot(&self) -> Snapshot {
        let core = self.core.borrow();
        Snapshot {
            status: Some(core.status()),
            waiting: core.outbox().len(),
            unsaved: core.unsaved_ops().len(),
            refused: core.refused().len(),
            revision: core.revision(),
            areas: core.areas(),
            clock_offset_ms: core.clock_offset(),
            admin: core.admin(),
            erasures: core.erasures_applied(),
        }
    }

    fn notify(&self) {
        let snapshot = self.snapshot();
        if let Some(observer) = self.observer.borrow().as_ref() {
            (observer.0)(snapshot);
        }
    }

    /// Reads the team's state on this device.
    pub fn with_state<R>(&self, read: impl FnOnce(&State) -> R) -> R {
        read(self.core.borrow().state())
    }

    /// A copy of the team's state (tests compare replicas with it).
    pub fn state(&self) -> State {
        self.with_state(State::clone)
    }

    /// Goes up by one with every change to the state.
    pub fn revision(&self) -> u64 {
        self.core.borrow().revision()
    }

    /// Operations waiting for the server.
    pub fn waiting(&self) -> usize {
        self.core.borrow().outbox().len()
    }

    /// Operations the storage could not save yet (full quota).
    pub fn unsaved(&self) -> usize {
        self.core.borrow().unsaved_ops().len()
    }

    /// Operations the server refused, with its reason.
    pub fn refused(&self) -> Vec<Refused> {
        self.core.borrow().refused().to_vec()
    }

    /// Lets go of an operation the server refused: it is deleted from this phone.
    pub async fn discard(&self, id: OpId) -> Result<(), StorageError> {
        self.storage.discard(id).await?;
        self.core.borrow_mut().discarded(id);
        self.notify();
        Ok(())
    }

    /// What to show about syncing.
    pub fn status(&self) -> SyncStatus {
        self.core.borrow().status()
    }

    /// Sync as soon as possible (app start, connection back, page visible, the user asked).
    pub fn trigger(&self, now_ms: u64) {
        self.core.borrow_mut().trigger(now_ms);
    }

    /// Where the touched log ends now: a view that derived everything now starts from here.
    pub fn touched_mark(&self) -> u64 {
        self.core.borrow().touched_mark()
    }

    /// The addresses changed since `mark` (from [`Replica::touched_mark`] or an earlier call), and
    /// the new mark.
    pub fn touched_since(&self, mark: u64) -> (Touched, u64) {
        self.core.borrow().touched_since(mark)
    }

    /// The server's clock minus the phone's, as last learned (0 until an answer said).
    pub fn clock_offset(&self) -> i64 {
        self.core.borrow().clock_offset()
    }

    /// The phone's time (`local_ms`, Unix milliseconds) corrected by the server's clock: the
    /// time changes are stamped with.
    pub fn now(&self, local_ms: u64) -> u64 {
        self.core.borrow().now(local_ms)
    }

    /// Takes the server's time from an answer received at `local_ms` (0 means the answer did
    /// not say); see [`ReplicaCore::learn_server_time`].
    pub fn learn_server_time(&self, server_time_ms: u64, local_ms: u64) {
        let changed = self
            .core
            .borrow_mut()
            .learn_server_time(server_time_ms, local_ms);
        if changed {
            self.notify();
        }
    }

    /// Sets the clock offset remembered from an earlier session.
    pub fn set_clock_offset(&self, offset_ms: i64) {
        self.core.borrow_mut().set_clock_offset(offset_ms);
    }

    /// A new operation by `author`, stamped by this device's clock corrected by the server's
    /// (`local_ms` is the phone's own time). `random` fills the id.
    pub fn stamp(
        &self,
        author: Author,
        payload: Payload,
        local_ms: u64,
        random: [u8; 10],
    ) -> Result<Operation, RecordError> {
        self.core
            .borrow_mut()
            .stamp(author, payload, local_ms, random)
            .map_err(|e| RecordError::Refused(e.into()))
    }

    /// Records an operation made on this device: saved, shown, queued for the server.
    /// An invalid operation, or one that refers to something removed or unknown, is refused
    /// and changes nothing. If the storage is full the operation stays in memory (and in the
    /// outbox) and is saved again on the next [`Replica::retry_unsaved`]; it is never dropped.
    pub async fn record(&self, op: Operation) -> Result<(), RecordError> {
        self.record_many(vec![op], || async {}).await
    }

    /// Records many operations made on this device at once (an imported address list, "niet
    /// thuis" for twenty doors): every one is checked first, and one invalid operation refuses
    /// the whole batch; then they are shown, queued, and saved in one storage transaction, all
    /// or none. Each operation may refer to what exists before the batch or to what an earlier
    /// operation of the batch makes (a new project and the steps of its plan). `pause` is
    /// awaited between steps of a long batch, to give the browser the main thread.
    pub async fn record_many<F: Future<Output = ()>>(
        &self,
        ops: Vec<Operation>,
        mut pause: impl FnMut() -> F,
    ) -> Result<(), RecordError> {
        self.core.borrow().check(&ops)?;
        let steps = ops.chunks(BATCH_STEP);
        let last_step = steps.len().saturating_sub(1);
        for (n, step) in steps.enumerate() {
            self.core.borrow_mut().record(step);
            if n < last_step {
                pause().await;
            }
        }
        // Shown once it is on disk (or known not to be): a change on the screen survives a
        // reload or a killed tab right after it. The save is one short transaction.
        let saved = self.storage.save_new(&ops).await;
        if let Err(e) = saved {
            self.core.borrow_mut().unsaved(ops);
            self.notify();
            return Err(e.into());
        }
        self.notify();
        self.erase_stored().await;
        Ok(())
    }

    /// Tries again to save operations the storage refused before.
    pub async fn retry_unsaved(&self) -> Result<(), StorageError> {
        let unsaved = self.core.borrow().unsaved_ops().to_vec();
        if unsaved.is_empty() {
            return Ok(());
        }
        self.storage.save_new(&unsaved).await?;
        let saved: BTreeSet<OpId> = buurtbel_core::sort::set(unsaved.iter().map(|op| op.id));
        self.core.borrow_mut().saved(&saved);
        self.notify();
        self.erase_stored().await;
        Ok(())
    }

    /// Carries the erasures applied so far into the stored records: every stored operation
    /// about that resident made before the erasure is rewritten without the personal data.
    /// An erasure the storage could not carry out stays queued and is tried again.
    pub async fn erase_stored(&self) {
        loop {
            let Some((address, until)) = self.core.borrow().next_erasure() else {
                return;
            };
            if self.storage.strip_resident(address, until).await.is_err() {
                return;
            }
            self.core.borrow_mut().erasure_stored(address);
        }
    }

    /// Takes in operations another tab of the app recorded and saved: shown here too, and
    /// queued here as well so they reach the server even if that tab closes first (the server
    /// stores an operation once, whoever sends it).
    pub fn merge_from_other_tab(&self, ops: &[Operation]) {
        self.core.borrow_mut().merge(ops);
        self.notify();
    }

    /// Another tab had these operations acknowledged: they no longer wait here either.
    pub fn acknowledged_elsewhere(&self, ids: &[OpId]) {
        self.core.borrow_mut().acknowledged(ids);
        self.notify();
    }

    /// Another tab had this operation refused by the server and stored the refusal: it no
    /// longer waits here, and leaves the state here too.
    pub async fn refused_elsewhere(&self, id: OpId, reason: Reason) {
        if self.core.borrow_mut().set_aside(id, reason) {
            self.refold().await;
            self.notify();
        }
    }

    /// Another tab discarded a refused operation.
    pub fn discarded_elsewhere(&self, id: OpId) {
        self.core.borrow_mut().discarded(id);
        self.notify();
    }

    /// Runs the engine until it has nothing more to do now; returns when the next attempt is due
    /// (or `None` when the device was removed from the team). `jitter` spreads retries.
    /// `acked` hears of every acknowledged batch (the app tells its other tabs).
    pub async fn sync(
        &self,
        now_ms: impl Fn() -> u64,
        jitter: impl Fn() -> u32,
        mut acked: impl FnMut(&[OpId]),
    ) -> Option<u64> {
        // Erasures another tab applied here are carried into the stored records too.
        self.erase_stored().await;
        loop {
            // Changes the storage could not save are sent too: the server is the safest place
            // for them. They stay unsaved and are written to the phone once there is room
            // (and then sent once more, which the server answers as before).
            let next = self.core.borrow_mut().next(now_ms());
            self.notify();
            match next {
                Next::Push(request) => match self.transport.push(&request).await {
                    Ok(answer) => {
                        let ids = self.core.borrow_mut().pushed(&answer, now_ms());
                        self.notify();
                        // Forget them only once the storage forgot them: a crash before this
                        // point pushes them again, which the server answers the same way.
                        match self.storage.acknowledge(&ids).await {
                            Ok(()) => {
                                self.core.borrow_mut().acknowledged(&ids);
                                acked(&ids);
                            }
                            Err(e) => self.core.borrow_mut().failed(
                                Failure::Server(e.to_string()),
                                now_ms(),
                                jitter(),
                            ),
                        }
                    }
                    Err(failure) => {
                        let refusal =
                            self.core
                                .borrow_mut()
                                .push_refused(failure, now_ms(), jitter());
                        self.carry_out(refusal, now_ms(), jitter()).await;
                    }
                },
                Next::Pull(request) => match self.transport.pull(&request).await {
                    Ok(answer) => {
                        let received = self.core.borrow_mut().pulled(answer, now_ms());
                        match self
                            .storage
                            .save_pulled(&received.ops, received.cursor)
                            .await
                        {
                            Ok(()) => {
                                let taken = self.core.borrow_mut().take_in(&received.ops, now_ms());
                                if !taken.back.is_empty() {
                                    // Refused here, stored there after all: no longer a
                                    // refusal. Should this fail, the refusal shows again
                                    // after a restart until the operation is pulled again.
                                    let _ = self.storage.acknowledge(&taken.back).await;
                                }
                                if taken.refold {
                                    self.refold().await;
                                }
                                self.erase_stored().await;
                            }
                            // Not stored, so not applied: the page comes again from the old
                            // cursor, which the storage kept.
                            Err(e) => self.core.borrow_mut().rewind(
                                request.after,
                                e.to_string(),
                                now_ms(),
                                jitter(),
                            ),
                        }
                    }
                    Err(failure) => self.core.borrow_mut().failed(failure, now_ms(), jitter()),
                },
                Next::WaitUntil(at) => return Some(at),
                Next::InFlight => return Some(now_ms()),
                Next::Stopped => return None,
            }
        }
    }

    /// Carries out what a refused push asks for.
    async fn carry_out(&self, refusal: Refusal, now_ms: u64, jitter: u32) {
        match refusal {
            Refusal::Restamped(outbox) => {
                if self.storage.save_new(&outbox).await.is_err() {
                    self.core.borrow_mut().resave_failed(now_ms, jitter);
                    return;
                }
                // New stamps may change who wins a last-writer-wins field: fold again.
                self.refold().await;
                self.core.borrow_mut().resaved(now_ms, jitter);
                self.notify();
                self.erase_stored().await;
            }
            Refusal::SetAside {
                op,
                reason,
                store,
                repull,
            } => {
                if store {
                    // Should the storage fail, the operation is set aside here all the same;
                    // after a restart it is sent once more and refused again.
                    let _ = self.storage.refuse(op, &reason).await;
                }
                if repull {
                    // Pulled again from the start, after a restart too. Should this fail,
                    // this session still pulls everything again.
                    let _ = self.storage.save_pulled(&[], Cursor(0)).await;
                }
                self.refold().await;
            }
            Refusal::Held { op } => {
                // Should either fail, the operation is sent again after a restart and the
                // server answers the same.
                let _ = self.storage.acknowledge(&[op]).await;
                let _ = self.storage.save_pulled(&[], Cursor(0)).await;
            }
            Refusal::Wait => {}
        }
        self.notify();
    }

    /// Folds the state again from what is stored and what waits unsaved, without what the
    /// server refused.
    async fn refold(&self) {
        let Ok(loaded) = self.storage.load().await else {
            return;
        };
        self.core.borrow_mut().refold(loaded.ops);
    }
}

#[cfg(test)]
mod tests {
    //! The replica's own rules, natively: a store in memory that can be made full, and core's
    //! model of the server. (Chromium tests in `tests/replica.rs` use IndexedDB.)

    use std::cell::Cell;
    use std::collections::{BTreeMap, BTreeSet};
    use std::future::Future;
    use std::rc::Rc;
    use std::task::{Context, Poll, Waker};

    use buurtbel_core::factory::OpFactory;
    use buurtbel_core::protocol::Cursor;
    use buurtbel_core::sync::ModelServer;

    use super::*;
    use crate::storage::{Loaded, strip_if_erased};
    use buurtbel_core::ids::AddressId;
    use buurtbel_core::op::Area;
    use buurtbel_core::op::Stamp;
    use buurtbel_core::replica::RecordError as CoreRecordError;
    use buurtbel_core::rules::Entity;
    use buurtbel_core::state::{Missing, ReferenceError};

    /// Runs a future whose every step is ready at once (the test store and server are).
    fn block_on<F: Future>(future: F) -> F::Output {
        let mut future = std::pin::pin!(future);
        let mut cx = Context::from_waker(Waker::noop());
        loop {
            if let Poll::Ready(value) = future.as_mut().poll(&mut cx) {
                return value;
            }
        }
    }

    #[derive(Default)]
    struct Memory {
        log: RefCell<BTreeMap<OpId, Operation>>,
        outbox: RefCell<BTreeSet<OpId>>,
        refused: RefCell<BTreeMap<OpId, Reason>>,
        cursor: Cell<u64>,
        full: Cell<bool>,
    }

    #[derive(Clone, Default)]
    struct MemoryStore(Rc<Memory>);

    impl MemoryStore {
        fn write(&self) -> Result<(), StorageError> {
            if self.0.full.get() {
                Err(StorageError::QuotaFull)
            } else {
                Ok(())
            }
        }
    }

    impl Store for MemoryStore {
        async fn load(&self) -> Result<Loaded, StorageError> {
            let log = self.0.log.borrow();
            let refused = self.0.refused.borrow();
            let mut loaded = Loaded {
                ops: log
                    .values()
                    .filter(|op| !refused.contains_key(&op.id))
                    .cloned()
                    .collect(),
                refused: refused
                    .iter()
                    .map(|(id, reason)| Refused {
                        op: log[id].clone(),
                        reason: reason.clone(),
                    })
                    .collect(),
                outbox: self
                    .0
                    .outbox
                    .borrow()
                    .iter()
                    .map(|id| log[id].clone())
                    .collect(),
                cursor: Cursor(self.0.cursor.get()),
                corrupt: Vec::new(),
            };
            loaded.sort_outbox();
            Ok(loaded)
        }
        async fn save_new(&self, ops: &[Operation]) -> Result<(), StorageError> {
            self.write()?;
            for op in ops {
                self.0.log.borrow_mut().insert(op.id, op.clone());
                self.0.outbox.borrow_mut().insert(op.id);
            }
            Ok(())
        }
        async fn acknowledge(&self, ids: &[OpId]) -> Result<(), StorageError> {
            let mut outbox = self.0.outbox.borrow_mut();
            for id in ids {
                outbox.remove(id);
            }
            Ok(())
        }
        async fn refuse(&self, id: OpId, reason: &Reason) -> Result<(), StorageError> {
            self.write()?;
            self.0.outbox.borrow_mut().remove(&id);
            self.0.refused.borrow_mut().insert(id, reason.clone());
            Ok(())
        }
        async fn discard(&self, id: OpId) -> Result<(), StorageError> {
            self.0.refused.borrow_mut().remove(&id);
            self.0.log.borrow_mut().remove(&id);
            Ok(())
        }
        async fn save_pulled(&self, ops: &[Operation], cursor: Cursor) -> Result<(), StorageError> {
            self.write()?;
            let mut log = self.0.log.borrow_mut();
            log.extend(ops.iter().map(|op| (op.id, op.clone())));
            self.0.cursor.set(cursor.0);
            Ok(())
        }
        async fn strip_resident(
            &self,
            address: AddressId,
            until: Stamp,
        ) -> Result<usize, StorageError> {
            self.write()?;
            Ok(self
                .0
                .log
                .borrow_mut()
                .values_mut()
                .filter_map(|op| strip_if_erased(op, address, until).then_some(()))
                .count())
        }
        fn close(&self) {}
    }

    /// Core's model of the server, with a clock of its own (`time`; 0 says nothing) and the
    /// real server's drift rule.
    #[derive(Clone, Default)]
    struct Server(Rc<RefCell<ModelServer>>, Rc<Cell<u64>>);

    impl Transport for Server {
        async fn push(&self, request: &PushRequest) -> Result<PushResponse, Failure> {
            let now = self.1.get();
            if now > 0
                && request
                    .ops
                    .iter()
                    .any(|op| buurtbel_core::clock::check_drift(op.hlc, now).is_err())
            {
                return Err(Failure::ClockAhead {
                    server_time_ms: now,
                });
            }
            // A street this server refuses, as the real one refuses a change for good.
            if let Some(bad) = request.ops.iter().find(|op| {
                matches!(&op.payload, Payload::AddressAdd { street, .. } if street == "Weigerstraat")
            }) {
                return Err(Failure::Rejected {
                    op: bad.id,
                    code: "forbidden".into(),
                    reason: "only an admin may".into(),
                });
            }
            // The real server's rule for erasures stamped before the resident's data it holds.
            for op in &request.ops {
                let Payload::EraseResident { address } = op.payload else {
                    continue;
                };
                let newest = self
                    .0
                    .borrow()
                    .log
                    .iter()
                    .filter(|o| o.resident_address() == Some(address) && o.holds_personal())
                    .map(|o| o.hlc)
                    .max();
                if let Some(after) = newest.filter(|n| *n > op.hlc) {
                    return Err(Failure::Behind { op: op.id, after });
                }
            }
            let mut answer = self.0.borrow_mut().push(request);
            answer.server_time_ms = now;
            Ok(answer)
        }
        async fn pull(&self, request: &PullRequest) -> Result<PullResponse, Failure> {
            let mut answer = self.0.borrow().pull(request);
            answer.server_time_ms = self.1.get();
            Ok(answer)
        }
    }

    fn sync<S: Store>(replica: &Replica<Server, S>, now: u64) {
        replica.trigger(now);
        block_on(replica.sync(|| now, || 0, |_| {}));
    }

    #[test]
    fn a_change_the_server_refuses_is_stored_aside_left_out_and_never_sent_again() {
        let store = MemoryStore::default();
        let server = Server::default();
        let mut f = OpFactory::new(1);
        let device = f.author().device;
        let phone = block_on(Replica::open(store.clone(), server.clone(), device)).expect("open");
        let bad = f.address("Weigerstraat", 1);
        let good = f.address("Lindelaan", 2);
        block_on(phone.record(bad.clone())).expect("saved");
        block_on(phone.record(good.clone())).expect("saved");
        assert_eq!(phone.state().addresses.len(), 2, "shown at once");
        sync(&phone, f.now_ms());
        assert_eq!(
            server.0.borrow().log,
            vec![good.clone()],
            "the rest goes on"
        );
        let refused = phone.refused();
        assert_eq!(refused.len(), 1);
        assert_eq!(
            (refused[0].op.id, refused[0].reason.code.as_str()),
            (bad.id, "forbidden")
        );
        assert_eq!(phone.snapshot().refused, 1);
        assert_eq!(phone.waiting(), 0);
        let streets = |r: &Replica<Server, MemoryStore>| -> Vec<String> {
            r.state()
                .addresses
                .values()
                .map(|a| a.street.value.clone())
                .collect()
        };
        assert_eq!(streets(&phone), ["Lindelaan"], "the team never got it");

        // A restart: still shown with the reason, not in the state, and not sent again.
        let again = block_on(Replica::open(store.clone(), server.clone(), device)).expect("reload");
        assert_eq!(again.refused(), refused);
        assert_eq!(
            (again.waiting(), streets(&again)),
            (0, vec!["Lindelaan".to_owned()])
        );
        sync(&again, f.now_ms() + 1);
        assert_eq!(server.0.borrow().log.len(), 1);
        assert_eq!(again.refused().len(), 1, "refused once, not twice");

        // Another tab of the same phone hears of it and shows the same.
        let tab = block_on(Replica::open(store.clone(), server.clone(), device)).expect("tab");
        tab.merge_from_other_tab(std::slice::from_ref(&bad));
        assert_eq!(tab.waiting(), 1);
        block_on(tab.refused_elsewhere(bad.id, refused[0].reason.clone()));
        assert_eq!((tab.waiting(), tab.refused()), (0, refused.clone()));
        assert_eq!(tab.state(), again.state());
        tab.discarded_elsewhere(bad.id);
        assert!(tab.refused().is_empty());

        block_on(again.discard(bad.id)).expect("discarded");
        assert!(again.refused().is_empty());
        assert!(
            !store.0.log.borrow().contains_key(&bad.id),
            "gone from the phone"
        );
        let last = block_on(Replica::open(store.clone(), server.clone(), device)).expect("reload");
        assert!(last.refused().is_empty());
        assert_eq!(last.state(), again.state());
    }

    #[test]
    fn a_change_the_full_storage_refused_is_shown_sent_and_saved_later() {
        let store = MemoryStore::default();
        let server = Server::default();
        let mut f = OpFactory::new(1);
        let device = f.author().device;
        let phone = block_on(Replica::open(store.clone(), server.clone(), device)).expect("open");

        store.0.full.set(true);
        let op = f.address("Lindelaan", 1);
        assert_eq!(
            block_on(phone.record(op.clone())),
            Err(RecordError::Storage(StorageError::QuotaFull))
        );
        assert_eq!(phone.state().addresses.len(), 1, "shown at once");
        assert_eq!((phone.waiting(), phone.unsaved()), (1, 1));

        // The server is the safest place for it while the phone is full.
        sync(&phone, f.now_ms());
        assert_eq!(server.0.borrow().log, vec![op.clone()]);
        assert_eq!(phone.unsaved(), 1, "still to be written to the phone");
        assert!(block_on(phone.retry_unsaved()).is_err(), "still full");

        store.0.full.set(false);
        block_on(phone.retry_unsaved()).expect("room again");
        assert_eq!(phone.unsaved(), 0);
        assert!(store.0.log.borrow().contains_key(&op.id));
        sync(&phone, f.now_ms() + 1);
        assert_eq!(server.0.borrow().log.len(), 1, "sent again, stored once");

        let again = block_on(Replica::open(store.clone(), server.clone(), device)).expect("reload");
        sync(&again, f.now_ms() + 2);
        assert_eq!(again.state(), phone.state());
        assert_eq!(again.waiting(), 0);
    }

    #[test]
    fn a_pulled_page_the_storage_refused_is_pulled_again() {
        let server = Server::default();
        let mut other = OpFactory::new(2);
        let theirs = other.address("Lindelaan", 7);
        block_on(server.push(&PushRequest {
            protocol_version: buurtbel_core::protocol::PROTOCOL_VERSION,
            device: other.author().device,
            ops: vec![theirs.clone()],
        }))
        .expect("pushed");

        let store = MemoryStore::default();
        store.0.full.set(true);
        let f = OpFactory::new(3);
        let phone = block_on(Replica::open(
            store.clone(),
            server.clone(),
            f.author().device,
        ))
        .expect("open");
        sync(&phone, f.now_ms());
        assert!(
            phone.state().addresses.is_empty(),
            "not applied when not stored: a reload would lose it"
        );
        assert!(matches!(phone.status(), SyncStatus::Error { .. }));

        store.0.full.set(false);
        sync(&phone, f.now_ms() + 10_000);
        assert_eq!(phone.state().addresses.len(), 1);
        assert_eq!(store.0.log.borrow().len(), 1);
        assert_eq!(store.0.cursor.get(), 1);
    }

    fn visit(f: &mut OpFactory, address: AddressId, note: &str) -> Operation {
        let visit = f.id(buurtbel_core::ids::VisitId::new_v7);
        let at_ms = f.now_ms();
        f.op(Payload::VisitLog(buurtbel_core::op::VisitLog {
            visit,
            address,
            at_ms,
            outcome: buurtbel_core::domain::Outcome::Interested,
            interests: BTreeMap::new(),
            pledges: BTreeMap::new(),
            join_team: None,
            note: note.into(),
            follow_up: None,
            flyer: false,
            online: false,
        }))
    }

    fn address_of(op: &Operation) -> AddressId {
        match op.payload {
            Payload::AddressAdd { address, .. } => address,
            _ => panic!("an address"),
        }
    }

    #[test]
    fn a_change_about_something_removed_or_unknown_is_refused_and_nothing_is_kept() {
        let store = MemoryStore::default();
        let mut f = OpFactory::new(1);
        let phone = block_on(Replica::open(
            store.clone(),
            Server::default(),
            f.author().device,
        ))
        .expect("open");
        let add = f.address("Lindelaan", 1);
        let address = address_of(&add);
        block_on(phone.record(add)).expect("recorded");
        block_on(phone.record(f.op(Payload::AddressRemove { address }))).expect("removed");
        let late = visit(&mut f, address, "");
        let refused = block_on(phone.record(late.clone())).expect_err("refused");
        assert!(matches!(
            refused,
            RecordError::Refused(CoreRecordError::Reference(ReferenceError {
                missing: Missing::Entity(Entity::Address),
                ..
            }))
        ));
        let nowhere = f.id(AddressId::new_v7);
        let unknown = visit(&mut f, nowhere, "");
        assert!(block_on(phone.record(unknown)).is_err());
        assert_eq!(phone.waiting(), 2, "only the address and its removal wait");
        assert!(
            !store.0.log.borrow().contains_key(&late.id),
            "nothing stored"
        );
        assert!(phone.state().visits.is_empty());
    }

    #[test]
    fn a_batch_is_checked_whole_and_saved_all_or_none() {
        let store = MemoryStore::default();
        let mut f = OpFactory::new(1);
        let phone = block_on(Replica::open(
            store.clone(),
            Server::default(),
            f.author().device,
        ))
        .expect("open");
        let mut batch: Vec<Operation> = (1..=1200).map(|n| f.address("Lindelaan", n)).collect();
        let mut bad = f.address("Lindelaan", 1201);
        if let Payload::AddressAdd { postcode, .. } = &mut bad.payload {
            *postcode = "12345".into();
        }
        batch.push(bad);
        let pauses = Cell::new(0);
        let refused = block_on(phone.record_many(batch.clone(), || {
            pauses.set(pauses.get() + 1);
            async {}
        }));
        assert!(matches!(
            refused,
            Err(RecordError::Refused(CoreRecordError::Invalid(_)))
        ));
        assert_eq!((phone.waiting(), store.0.log.borrow().len()), (0, 0));
        assert_eq!(pauses.get(), 0, "checked before anything is applied");

        // A batch may refer to what it makes itself (a project and its plan), but not to
        // what nobody made.
        let project = f.id(buurtbel_core::ids::ProjectId::new_v7);
        let step = |f: &mut OpFactory, project| {
            let step = f.id(buurtbel_core::ids::StepId::new_v7);
            f.op(Payload::StepAdd {
                step,
                project,
                title: "Vorm het buurtteam".into(),
                description: String::new(),
                phase: buurtbel_core::domain::Phase::Initiate,
                owner: None,
                due: None,
                order: 1024,
                evidence: None,
            })
        };
        let dangling = step(&mut f, project);
        assert!(matches!(
            block_on(phone.record_many(vec![dangling], || async {})),
            Err(RecordError::Refused(CoreRecordError::Reference(_)))
        ));
        let start = f.op(Payload::ProjectAdd {
            project,
            theme: buurtbel_core::domain::Theme::Aed,
            title: "AED".into(),
            target: None,
        });
        let plan = vec![start, step(&mut f, project), step(&mut f, project)];
        block_on(phone.record_many(plan, || async {})).expect("a project with its plan");
        assert_eq!(phone.state().steps.len(), 2);
        assert_eq!(phone.waiting(), 3);
        let sent = phone.waiting();

        batch.pop();
        block_on(phone.record_many(batch.clone(), || {
            pauses.set(pauses.get() + 1);
            async {}
        }))
        .expect("recorded");
        assert_eq!(pauses.get(), 2, "1,200 operations in steps of 500");
        assert_eq!(phone.state().addresses.len(), 1200);
        assert_eq!(
            (phone.waiting(), store.0.log.borrow().len()),
            (1200 + sent, 1200 + sent)
        );
        assert_eq!(
            phone.snapshot().areas[Area::Addresses as usize],
            1200,
            "the addresses changed"
        );
        assert_eq!(phone.snapshot().areas[Area::Visits as usize], 0);

        // A full storage keeps the whole batch in memory, still sent, saved later.
        store.0.full.set(true);
        let more: Vec<Operation> = (1..=3).map(|n| f.address("Eikenstraat", n)).collect();
        assert!(matches!(
            block_on(phone.record_many(more, || async {})),
            Err(RecordError::Storage(StorageError::QuotaFull))
        ));
        assert_eq!((phone.unsaved(), phone.waiting()), (3, 1203 + sent));
        store.0.full.set(false);
        block_on(phone.retry_unsaved()).expect("saved");
        assert_eq!(
            (phone.unsaved(), store.0.log.borrow().len()),
            (0, 1203 + sent)
        );
    }

    #[test]
    fn an_erasure_strips_the_stored_records_and_the_waiting_copies() {
        let store = MemoryStore::default();
        let server = Server::default();
        let mut f = OpFactory::new(1);
        let phone = block_on(Replica::open(
            store.clone(),
            server.clone(),
            f.author().device,
        ))
        .expect("open");
        let add = f.address("Lindelaan", 7);
        let address = address_of(&add);
        block_on(phone.record(add)).expect("address");
        block_on(phone.record(visit(&mut f, address, "Mevrouw Jansen, slecht ter been")))
            .expect("visit");
        sync(&phone, f.now_ms());
        // Another phone's erasure arrives by pulling.
        let mut other = OpFactory::new(2);
        other.advance_ms(60_000);
        let erase = other.op(Payload::EraseResident { address });
        server.0.borrow_mut().push(&PushRequest {
            protocol_version: buurtbel_core::protocol::PROTOCOL_VERSION,
            device: other.author().device,
            ops: vec![erase.clone()],
        });
        sync(&phone, f.now_ms() + 1);
        assert!(
            !format!("{:?}", store.0.log.borrow()).contains("Jansen"),
            "stored records are stripped"
        );
        assert!(phone.state().visits.values().all(|v| v.note.is_empty()));

        // A note made before an erasure that another tab applies here, still waiting: the
        // waiting copy and its stored record are stripped before anything sends them.
        let waiting = visit(&mut f, address, "Nog een notitie over Jansen");
        block_on(phone.record(waiting)).expect("visit");
        f.advance_ms(1);
        let again = f.op(Payload::EraseResident { address });
        phone.merge_from_other_tab(&[again]);
        sync(&phone, f.now_ms() + 2);
        assert!(!format!("{:?}", store.0.log.borrow()).contains("Nog een notitie"));
        assert!(
            !format!("{:?}", server.0.borrow().log).contains("Nog een notitie"),
            "the waiting copy was stripped before it was sent"
        );
    }

    #[test]
    fn a_phone_clock_ten_minutes_fast_stamps_by_the_servers_clock() {
        let store = MemoryStore::default();
        let server = Server::default();
        let server_now = buurtbel_core::factory::EPOCH_MS;
        server.1.set(server_now);
        let phone_now = server_now + 600_000;
        let mut f = OpFactory::new(1).at(phone_now);
        let phone = block_on(Replica::open(
            store.clone(),
            server.clone(),
            f.author().device,
        ))
        .expect("open");
        sync(&phone, phone_now);
        assert_eq!(
            phone.clock_offset(),
            -600_000,
            "learned from the first answer"
        );
        let add = phone
            .stamp(
                f.author(),
                Payload::AddressAdd {
                    address: f.id(AddressId::new_v7),
                    street: "Lindelaan".into(),
                    number: 1,
                    letter: String::new(),
                    addition: String::new(),
                    postcode: "3581 BA".into(),
                },
                phone_now,
                [1; 10],
            )
            .expect("stamped");
        assert!(add.hlc.wall_ms <= server_now + 1_000, "{:?}", add.hlc);
        block_on(phone.record(add)).expect("recorded");
        sync(&phone, phone_now);
        assert_eq!(server.0.borrow().log.len(), 1, "accepted at once");
        assert!(phone.refused().is_empty());

        // Small differences are the time a request takes, not a wrong clock.
        phone.learn_server_time(server_now + 100_500, phone_now + 100_000);
        assert_eq!(phone.clock_offset(), -600_000);
        phone.learn_server_time(phone_now + 500, phone_now);
        assert_eq!(phone.clock_offset(), 0);
    }

    #[test]
    fn an_erasure_from_a_slow_clock_is_stamped_again_and_reaches_the_newer_note() {
        let store = MemoryStore::default();
        let server = Server::default();
        let mut piet = OpFactory::new(2);
        let add = piet.address("Lindelaan", 3);
        let address = address_of(&add);
        piet.advance_ms(3_600_000);
        let note = visit(&mut piet, address, "Meneer Hoekstra, tweede verdieping");
        let push = |ops: Vec<Operation>| {
            server.0.borrow_mut().push(&PushRequest {
                protocol_version: buurtbel_core::protocol::PROTOCOL_VERSION,
                device: piet.author().device,
                ops,
            })
        };
        push(vec![add]);
        // Anna's phone (an hour slow) has the address but not yet Piet's note.
        let anna = OpFactory::new(1);
        let phone = block_on(Replica::open(
            store.clone(),
            server.clone(),
            anna.author().device,
        ))
        .expect("open");
        sync(&phone, anna.now_ms());
        push(vec![note.clone()]);
        let erase = phone
            .stamp(
                anna.author(),
                Payload::EraseResident { address },
                anna.now_ms() + 10,
                [9; 10],
            )
            .expect("stamped");
        assert!(
            erase.hlc < note.hlc,
            "the slow clock stamps it before the note"
        );
        block_on(phone.record(erase.clone())).expect("recorded");
        sync(&phone, anna.now_ms() + 20);
        let sent = server
            .0
            .borrow()
            .log
            .iter()
            .find(|o| o.id == erase.id)
            .cloned()
            .expect("the erasure reached the server");
        assert!(sent.hlc > note.hlc, "stamped again after the note");
        assert_eq!(phone.waiting(), 0);
        assert!(
            phone.state().visits.values().all(|v| v.note.is_empty()),
            "the note is erased here too"
        );
        assert!(!format!("{:?}", store.0.log.borrow()).contains("Hoekstra"));
    }
}
