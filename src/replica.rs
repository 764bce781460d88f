//! The team's data on this device: the stored log, the outbox, the state folded from them, and
//! the sync engine that exchanges them with the server.
//!
//! Everything the user does goes through [`Replica::record`]: applied to the state at once,
//! saved to IndexedDB, queued for the server. [`Replica::sync`] runs the engine until it has
//! nothing more to do now. The transport is a trait so tests drive the replica against a model
//! server; the app uses [`crate::api_client::ApiClient`].

use std::collections::BTreeSet;

use buurtbel_core::ids::{DeviceId, OpId};
use buurtbel_core::op::Operation;
use buurtbel_core::protocol::{PullRequest, PullResponse, PushRequest, PushResponse};
use buurtbel_core::state::State;
use buurtbel_core::sync::{Failure, Next, SyncEngine, SyncStatus};

use crate::api_client::ApiClient;
use crate::storage::{IdbStorage, StorageError};

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

/// The device's replica of the team's data.
#[derive(Debug)]
pub struct Replica<T> {
    storage: IdbStorage,
    transport: T,
    engine: SyncEngine,
    /// Operations made here and not yet acknowledged, oldest first.
    outbox: Vec<Operation>,
    /// Operations the storage refused (full quota): kept in memory and saved again later.
    unsaved: Vec<Operation>,
    /// Operations the server refused for good: kept, shown, never sent again.
    refused: Vec<(Operation, String)>,
    state: State,
    /// Keys of stored records that could not be read at start.
    pub corrupt: Vec<String>,
}

impl<T: Transport> Replica<T> {
    /// Loads the stored log and outbox and folds the state.
    pub async fn open(
        storage: IdbStorage,
        transport: T,
        device: DeviceId,
    ) -> Result<Replica<T>, StorageError> {
        let loaded = storage.load().await?;
        let state = State::fold(&loaded.ops);
        Ok(Replica {
            engine: SyncEngine::new(device, loaded.cursor),
            storage,
            transport,
            outbox: loaded.outbox,
            unsaved: Vec::new(),
            refused: Vec::new(),
            state,
            corrupt: loaded.corrupt,
        })
    }

    /// The team's state on this device.
    pub fn state(&self) -> &State {
        &self.state
    }

    /// Operations waiting for the server.
    pub fn waiting(&self) -> usize {
        self.outbox.len()
    }

    /// Operations the storage could not save yet (full quota).
    pub fn unsaved(&self) -> usize {
        self.unsaved.len()
    }

    /// Operations the server refused, with its reason.
    pub fn refused(&self) -> &[(Operation, String)] {
        &self.refused
    }

    /// What to show about syncing.
    pub fn status(&self) -> SyncStatus {
        self.engine.status(self.outbox.len())
    }

    /// Sync as soon as possible (app start, connection back, page visible, the user asked).
    pub fn trigger(&mut self, now_ms: u64) {
        self.engine.trigger(now_ms);
    }

    /// Records an operation made on this device: shown at once, saved, queued for the server.
    /// If the storage is full the operation stays in memory (and in the outbox) and is saved
    /// again on the next [`Replica::retry_unsaved`]; it is never dropped.
    pub async fn record(&mut self, op: Operation) -> Result<(), StorageError> {
        self.state.apply(&op);
        self.outbox.push(op.clone());
        match self.storage.save_new(&op).await {
            Ok(()) => Ok(()),
            Err(e) => {
                self.unsaved.push(op);
                Err(e)
            }
        }
    }

    /// Tries again to save operations the storage refused before.
    pub async fn retry_unsaved(&mut self) -> Result<(), StorageError> {
        while let Some(op) = self.unsaved.first() {
            self.storage.save_new(op).await?;
            self.unsaved.remove(0);
        }
        Ok(())
    }

    /// Runs the engine until it has nothing more to do now; returns when the next attempt is due
    /// (or `None` when the device was removed from the team). `jitter` spreads retries.
    pub async fn sync(
        &mut self,
        now_ms: impl Fn() -> u64,
        jitter: impl Fn() -> u32,
    ) -> Option<u64> {
        loop {
            let sendable: Vec<Operation> = self
                .outbox
                .iter()
                .filter(|op| !self.unsaved.iter().any(|u| u.id == op.id))
                .cloned()
                .collect();
            match self.engine.next(&sendable, now_ms()) {
                Next::Push(request) => match self.transport.push(&request).await {
                    Ok(answer) => {
                        let acked: BTreeSet<OpId> =
                            self.engine.pushed(&answer, now_ms()).into_iter().collect();
                        let ids: Vec<OpId> = acked.iter().copied().collect();
                        // Forget them only once the storage forgot them: a crash before this
                        // point pushes them again, which the server answers the same way.
                        if self.storage.acknowledge(&ids).await.is_ok() {
                            self.outbox.retain(|op| !acked.contains(&op.id));
                        }
                    }
                    Err(Failure::ClockAhead { server_time_ms }) => {
                        self.restamp(server_time_ms, now_ms(), jitter()).await
                    }
                    Err(failure) => self.fail(failure, now_ms(), jitter()),
                },
                Next::Pull(request) => match self.transport.pull(&request).await {
                    Ok(answer) => {
                        let received = self.engine.pulled(answer, now_ms());
                        if let Err(e) = self
                            .storage
                            .save_pulled(&received.ops, received.cursor)
                            .await
                        {
                            self.engine
                                .failed(Failure::Server(e.to_string()), now_ms(), jitter());
                        }
                        for op in &received.ops {
                            self.state.apply(op);
                        }
                    }
                    Err(failure) => self.fail(failure, now_ms(), jitter()),
                },
                Next::WaitUntil(at) => return Some(at),
                Next::InFlight => return Some(now_ms()),
                Next::Stopped => return None,
            }
        }
    }

    /// The server says this device's clock runs ahead: re-stamp the operations still waiting
    /// (nobody else has seen them), save them, and rebuild the state from storage.
    async fn restamp(&mut self, server_time_ms: u64, now_ms: u64, jitter: u32) {
        let mut clock = buurtbel_core::clock::HlcClock::default();
        buurtbel_core::sync::restamp(&mut self.outbox, &mut clock, server_time_ms);
        for op in &self.outbox {
            if self.storage.save_new(op).await.is_err() {
                self.engine.failed(
                    Failure::Server("could not save re-stamped changes".into()),
                    now_ms,
                    jitter,
                );
                return;
            }
        }
        if let Ok(loaded) = self.storage.load().await {
            self.state = State::fold(&loaded.ops);
        }
        self.engine
            .failed(Failure::ClockAhead { server_time_ms }, now_ms, jitter);
    }

    fn fail(&mut self, failure: Failure, now_ms: u64, jitter: u32) {
        if let Failure::Rejected { op, reason } = &failure
            && let Some(at) = self.outbox.iter().position(|o| o.id == *op)
        {
            // Set aside, not dropped: the user sees it with the server's reason.
            self.refused.push((self.outbox.remove(at), reason.clone()));
        }
        self.engine.failed(failure, now_ms, jitter);
    }
}
