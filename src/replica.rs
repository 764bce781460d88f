//! The team's data on this device: the stored log, the outbox, the state folded from them, and
//! the sync engine that exchanges them with the server.
//!
//! Everything the user does goes through [`Replica::record`]: applied to the state at once,
//! saved to IndexedDB, queued for the server. [`Replica::sync`] runs the engine until it has
//! nothing more to do now. The transport is a trait so tests drive the replica against a model
//! server; the app uses [`crate::api_client::ApiClient`].

use std::cell::RefCell;
use std::collections::BTreeSet;

use buurtbel_core::clock::{ClockError, HlcClock};
use buurtbel_core::ids::{DeviceId, OpId};
use buurtbel_core::op::{Author, Operation, Payload};
use buurtbel_core::protocol::{PullRequest, PullResponse, PushRequest, PushResponse};
use buurtbel_core::state::State;
use buurtbel_core::sync::{Failure, Next, SyncEngine, SyncStatus};
use buurtbel_core::validate::ValidationError;

use crate::api_client::ApiClient;
use crate::storage::{IdbStorage, StorageError, Store};

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

/// Why an operation made on this device was not recorded.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum RecordError {
    /// The operation breaks a rule (too long a name, a bad postcode): nothing was recorded.
    #[error("{0}")]
    Invalid(#[from] ValidationError),
    /// The phone's clock cannot issue another timestamp: nothing was recorded.
    #[error("the phone's clock cannot stamp this change: {0}")]
    Clock(#[from] ClockError),
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
/// inner state is held across an `await`.
#[derive(Debug)]
pub struct Replica<T, S = IdbStorage> {
    storage: S,
    transport: T,
    inner: RefCell<Inner>,
    observer: RefCell<Option<Observer>>,
    /// Keys of stored records that could not be read at start (skipped; fetched again).
    pub corrupt: Vec<String>,
}

#[derive(Debug)]
struct Inner {
    engine: SyncEngine,
    /// Operations made here (or in another tab) and not yet acknowledged, oldest first.
    outbox: Vec<Operation>,
    /// Operations the storage refused (full quota): kept in memory and saved again later.
    unsaved: Vec<Operation>,
    /// Operations the server refused for good: kept, shown, never sent again.
    refused: Vec<(Operation, String)>,
    state: State,
    clock: HlcClock,
    /// Counts changes to `state`, so views know when to read it again.
    revision: u64,
}

impl Inner {
    fn apply(&mut self, op: &Operation) {
        if self.state.apply(op) {
            self.revision += 1;
        }
    }
}

impl<T: Transport, S: Store> Replica<T, S> {
    /// Loads the stored log and outbox and folds the state.
    pub async fn open(
        storage: S,
        transport: T,
        device: DeviceId,
    ) -> Result<Replica<T, S>, StorageError> {
        let loaded = storage.load().await?;
        let state = State::fold(&loaded.ops);
        let last = loaded.ops.iter().map(|op| op.hlc).max().unwrap_or_default();
        Ok(Replica {
            storage,
            transport,
            inner: RefCell::new(Inner {
                engine: SyncEngine::new(device, loaded.cursor),
                outbox: loaded.outbox,
                unsaved: Vec::new(),
                refused: Vec::new(),
                state,
                clock: HlcClock::resume(last),
                revision: 0,
            }),
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
        let inner = self.inner.borrow();
        Snapshot {
            status: Some(inner.engine.status(inner.outbox.len())),
            waiting: inner.outbox.len(),
            unsaved: inner.unsaved.len(),
            refused: inner.refused.len(),
            revision: inner.revision,
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
        read(&self.inner.borrow().state)
    }

    /// A copy of the team's state (tests compare replicas with it).
    pub fn state(&self) -> State {
        self.with_state(State::clone)
    }

    /// Goes up by one with every change to the state.
    pub fn revision(&self) -> u64 {
        self.inner.borrow().revision
    }

    /// Operations waiting for the server.
    pub fn waiting(&self) -> usize {
        self.inner.borrow().outbox.len()
    }

    /// Operations the storage could not save yet (full quota).
    pub fn unsaved(&self) -> usize {
        self.inner.borrow().unsaved.len()
    }

    /// Operations the server refused, with its reason.
    pub fn refused(&self) -> Vec<(Operation, String)> {
        self.inner.borrow().refused.clone()
    }

    /// What to show about syncing.
    pub fn status(&self) -> SyncStatus {
        let inner = self.inner.borrow();
        inner.engine.status(inner.outbox.len())
    }

    /// Sync as soon as possible (app start, connection back, page visible, the user asked).
    pub fn trigger(&self, now_ms: u64) {
        self.inner.borrow_mut().engine.trigger(now_ms);
    }

    /// A new operation by `author`, stamped by this device's clock. `random` fills the id.
    pub fn stamp(
        &self,
        author: Author,
        payload: Payload,
        now_ms: u64,
        random: [u8; 10],
    ) -> Result<Operation, RecordError> {
        let hlc = self.inner.borrow_mut().clock.tick(now_ms)?;
        Ok(Operation {
            id: OpId::new_v7(now_ms, random),
            hlc,
            author,
            payload,
        })
    }

    /// Records an operation made on this device: shown at once, saved, queued for the server.
    /// An invalid operation is refused and changes nothing. If the storage is full the
    /// operation stays in memory (and in the outbox) and is saved again on the next
    /// [`Replica::retry_unsaved`]; it is never dropped.
    pub async fn record(&self, op: Operation) -> Result<(), RecordError> {
        op.validate()?;
        {
            let mut inner = self.inner.borrow_mut();
            inner.apply(&op);
            inner.outbox.push(op.clone());
        }
        self.notify();
        if let Err(e) = self.storage.save_new(&op).await {
            self.inner.borrow_mut().unsaved.push(op);
            self.notify();
            return Err(e.into());
        }
        Ok(())
    }

    /// Tries again to save operations the storage refused before.
    pub async fn retry_unsaved(&self) -> Result<(), StorageError> {
        loop {
            let Some(op) = self.inner.borrow().unsaved.first().cloned() else {
                return Ok(());
            };
            self.storage.save_new(&op).await?;
            self.inner.borrow_mut().unsaved.retain(|u| u.id != op.id);
            self.notify();
        }
    }

    /// Takes in operations another tab of the app recorded and saved: shown here too, and
    /// queued here as well so they reach the server even if that tab closes first (the server
    /// stores an operation once, whoever sends it).
    pub fn merge_from_other_tab(&self, ops: &[Operation]) {
        self.merge(ops);
        self.notify();
    }

    fn merge(&self, ops: &[Operation]) {
        let mut inner = self.inner.borrow_mut();
        for op in ops {
            if op.validate().is_err() {
                continue;
            }
            inner.apply(op);
            if !inner.outbox.iter().any(|o| o.id == op.id) {
                inner.outbox.push(op.clone());
            }
        }
        inner.outbox.sort_by_key(|op| (op.hlc, op.id));
    }

    /// Another tab had these operations acknowledged: they no longer wait here either.
    pub fn acknowledged_elsewhere(&self, ids: &[OpId]) {
        self.inner
            .borrow_mut()
            .outbox
            .retain(|op| !ids.contains(&op.id));
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
        loop {
            // Changes the storage could not save are sent too: the server is the safest place
            // for them. They stay in `unsaved` and are written to the phone once there is room
            // (and then sent once more, which the server answers as before).
            let next = {
                let mut inner = self.inner.borrow_mut();
                let Inner { engine, outbox, .. } = &mut *inner;
                engine.next(outbox, now_ms())
            };
            self.notify();
            match next {
                Next::Push(request) => match self.transport.push(&request).await {
                    Ok(answer) => {
                        let ids = self.inner.borrow_mut().engine.pushed(&answer, now_ms());
                        // Forget them only once the storage forgot them: a crash before this
                        // point pushes them again, which the server answers the same way.
                        match self.storage.acknowledge(&ids).await {
                            Ok(()) => {
                                let acked_ids: BTreeSet<OpId> = ids.iter().copied().collect();
                                self.inner
                                    .borrow_mut()
                                    .outbox
                                    .retain(|op| !acked_ids.contains(&op.id));
                                acked(&ids);
                            }
                            Err(e) => self.fail(Failure::Server(e.to_string()), &now_ms, &jitter),
                        }
                    }
                    Err(Failure::ClockAhead { server_time_ms }) => {
                        self.restamp(server_time_ms, now_ms(), jitter()).await
                    }
                    Err(failure) => self.fail(failure, &now_ms, &jitter),
                },
                Next::Pull(request) => match self.transport.pull(&request).await {
                    Ok(answer) => {
                        let received = self.inner.borrow_mut().engine.pulled(answer, now_ms());
                        match self
                            .storage
                            .save_pulled(&received.ops, received.cursor)
                            .await
                        {
                            Ok(()) => {
                                let now = now_ms();
                                let mut inner = self.inner.borrow_mut();
                                for op in &received.ops {
                                    // A timestamp too far ahead is not taken into the clock;
                                    // the operation itself still counts.
                                    let _ = inner.clock.observe(op.hlc, now);
                                    inner.apply(op);
                                }
                            }
                            // Not stored, so not applied: the page comes again from the old
                            // cursor, which the storage kept.
                            Err(e) => {
                                let mut inner = self.inner.borrow_mut();
                                inner.engine.rewind(request.after);
                                inner.engine.failed(
                                    Failure::Server(e.to_string()),
                                    now_ms(),
                                    jitter(),
                                );
                            }
                        }
                    }
                    Err(failure) => self.fail(failure, &now_ms, &jitter),
                },
                Next::WaitUntil(at) => return Some(at),
                Next::InFlight => return Some(now_ms()),
                Next::Stopped => return None,
            }
        }
    }

    /// The server says this device's clock runs ahead: re-stamp the operations still waiting
    /// (nobody else has seen them), save them, and rebuild the state from storage.
    async fn restamp(&self, server_time_ms: u64, now_ms: u64, jitter: u32) {
        let outbox = {
            let mut inner = self.inner.borrow_mut();
            let Inner { outbox, clock, .. } = &mut *inner;
            buurtbel_core::sync::restamp(outbox, clock, server_time_ms);
            outbox.clone()
        };
        for op in &outbox {
            if self.storage.save_new(op).await.is_err() {
                self.inner.borrow_mut().engine.failed(
                    Failure::Server("could not save re-stamped changes".into()),
                    now_ms,
                    jitter,
                );
                return;
            }
        }
        if let Ok(loaded) = self.storage.load().await {
            let mut inner = self.inner.borrow_mut();
            inner.state = State::fold(&loaded.ops);
            inner.revision += 1;
        }
        self.inner.borrow_mut().engine.failed(
            Failure::ClockAhead { server_time_ms },
            now_ms,
            jitter,
        );
        self.notify();
    }

    fn fail(&self, failure: Failure, now_ms: &impl Fn() -> u64, jitter: &impl Fn() -> u32) {
        let mut inner = self.inner.borrow_mut();
        if let Failure::Rejected { op, reason } = &failure
            && let Some(at) = inner.outbox.iter().position(|o| o.id == *op)
        {
            // Set aside, not dropped: the user sees it with the server's reason.
            let op = inner.outbox.remove(at);
            inner.refused.push((op, reason.clone()));
        }
        inner.engine.failed(failure, now_ms(), jitter());
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
    use crate::storage::Loaded;

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
            let mut loaded = Loaded {
                ops: log.values().cloned().collect(),
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
        async fn save_new(&self, op: &Operation) -> Result<(), StorageError> {
            self.write()?;
            self.0.log.borrow_mut().insert(op.id, op.clone());
            self.0.outbox.borrow_mut().insert(op.id);
            Ok(())
        }
        async fn acknowledge(&self, ids: &[OpId]) -> Result<(), StorageError> {
            let mut outbox = self.0.outbox.borrow_mut();
            for id in ids {
                outbox.remove(id);
            }
            Ok(())
        }
        async fn save_pulled(&self, ops: &[Operation], cursor: Cursor) -> Result<(), StorageError> {
            self.write()?;
            let mut log = self.0.log.borrow_mut();
            log.extend(ops.iter().map(|op| (op.id, op.clone())));
            self.0.cursor.set(cursor.0);
            Ok(())
        }
        fn close(&self) {}
    }

    #[derive(Clone, Default)]
    struct Server(Rc<RefCell<ModelServer>>);

    impl Transport for Server {
        async fn push(&self, request: &PushRequest) -> Result<PushResponse, Failure> {
            Ok(self.0.borrow_mut().push(request))
        }
        async fn pull(&self, request: &PullRequest) -> Result<PullResponse, Failure> {
            Ok(self.0.borrow().pull(request))
        }
    }

    fn sync<S: Store>(replica: &Replica<Server, S>, now: u64) {
        replica.trigger(now);
        block_on(replica.sync(|| now, || 0, |_| {}));
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
}
