//! The app's data layer as the screens see it: which team this device belongs to, the team's
//! state, recording a change, the sync status, and notices about storage. Shared through
//! Leptos context as [`Data`].
//!
//! Screens read the state with [`Data::with_state`] (re-run when it changes) and change it only
//! through [`Data::record`]; they never touch storage or the network.

use std::rc::Rc;

use buurtbel_core::op::Payload;
use buurtbel_core::protocol::{CreateInvite, CreateTeam, InviteView, Join};
use buurtbel_core::state::State;
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::api_client::{ApiClient, SetupError};
use crate::replica::{RecordError, Replica, Snapshot};
use crate::session::{self, Session};
use crate::storage::{self, IdbStorage, Persistence, QuotaLevel, StorageError};
use crate::sync_loop::{self, AppReplica, Tabs, Wake};

/// Where the app is in getting the team's data ready.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Phase {
    /// Reading the device's storage.
    Loading,
    /// The device belongs to no team yet: start one or join one.
    Setup,
    /// The team's data is loaded.
    Ready,
    /// The storage cannot be used at all (with the reason).
    Failed(String),
}

/// Something about the device's storage the user should know.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Notice {
    /// Storage is nearly full (over 80% or 95% of the quota).
    StorageNearlyFull(QuotaLevel),
    /// Storage is full: changes are kept in memory and saved once there is room.
    StorageFull,
    /// Saving failed for another reason (kept in memory, tried again).
    StorageFailed(String),
    /// Stored records that could not be read (skipped, fetched again from the server).
    Unreadable(usize),
    /// The device's team details could not be read.
    SessionUnreadable(String),
}

/// The team's data on this device, for the screens. `Copy`: every field is a handle.
#[derive(Clone, Copy, Debug)]
pub struct Data {
    /// Where loading stands.
    pub phase: RwSignal<Phase>,
    /// The device's membership, once it has one.
    pub session: RwSignal<Option<Session>>,
    /// The replica's latest snapshot (sync status, waiting changes, revision).
    pub snapshot: RwSignal<Snapshot>,
    /// Storage notices, newest last.
    pub notices: RwSignal<Vec<Notice>>,
    /// The storage estimate and whether the browser keeps the data.
    pub persistence: RwSignal<Option<Persistence>>,
    live: StoredValue<Option<Live>, LocalStorage>,
}

/// The loaded team: replica, sync loop handle, channel to other tabs.
#[derive(Clone, Debug)]
struct Live {
    replica: Rc<AppReplica>,
    wake: Rc<Wake>,
    tabs: Rc<Tabs>,
    session: Session,
}

impl Data {
    /// Creates the data layer, makes it available to every component below and starts loading.
    pub fn provide() -> Data {
        let data = Data {
            phase: RwSignal::new(Phase::Loading),
            session: RwSignal::new(None),
            snapshot: RwSignal::new(Snapshot::default()),
            notices: RwSignal::new(Vec::new()),
            persistence: RwSignal::new(None),
            live: StoredValue::new_local(None),
        };
        provide_context(data);
        // Once for the page: whichever team is loaded then syncs.
        sync_loop::listen_for_wake_events(move || data.sync_now());
        match session::load() {
            Ok(Some(session)) => spawn_local(async move { data.open(session).await }),
            Ok(None) => data.phase.set(Phase::Setup),
            Err(e) => {
                data.notice(Notice::SessionUnreadable(e.to_string()));
                data.phase.set(Phase::Setup);
            }
        }
        data
    }

    /// The data layer of the surrounding app.
    pub fn current() -> Option<Data> {
        use_context::<Data>()
    }

    fn notice(self, notice: Notice) {
        self.notices.update(|n| {
            if !n.contains(&notice) {
                n.push(notice);
            }
        });
    }

    fn clear_notice(self, matches: impl Fn(&Notice) -> bool) {
        self.notices.update(|n| n.retain(|x| !matches(x)));
    }

    fn live(self) -> Option<Live> {
        // None too when the app was unmounted (tests mount it more than once per page).
        self.live.try_get_value().flatten()
    }

    /// Loads the team's data and starts syncing.
    async fn open(self, session: Session) {
        let storage = match IdbStorage::open(&session.database()).await {
            Ok(storage) => storage,
            Err(e) => return self.phase.set(Phase::Failed(e.to_string())),
        };
        let client = ApiClient {
            base: String::new(),
            token: session.device.token.clone(),
        };
        let replica = match Replica::open(storage, client, session.device.id).await {
            Ok(replica) => Rc::new(replica),
            Err(e) => return self.phase.set(Phase::Failed(e.to_string())),
        };
        if !replica.corrupt.is_empty() {
            self.notice(Notice::Unreadable(replica.corrupt.len()));
        }
        let snapshot = self.snapshot;
        replica.observe(move |s| snapshot.set(s));
        let wake = Rc::new(Wake::default());
        let tabs = Rc::new(Tabs::open(
            &format!("buurtbel-{}", session.team.id),
            replica.clone(),
            wake.clone(),
        ));
        let live = Live {
            replica: replica.clone(),
            wake: wake.clone(),
            tabs: tabs.clone(),
            session: session.clone(),
        };
        self.live.set_value(Some(live));
        self.session.set(Some(session.clone()));
        self.phase.set(Phase::Ready);

        spawn_local(async move {
            let persistence = storage::request_persistence().await;
            self.persistence.set(Some(persistence));
            if persistence.level() != QuotaLevel::Fine {
                self.notice(Notice::StorageNearlyFull(persistence.level()));
            }
        });
        let lock = format!("buurtbel-sync-{}", session.team.id);
        sync_loop::run(replica, wake, tabs, lock, move |failure| match failure {
            None => {
                self.clear_notice(|n| matches!(n, Notice::StorageFull | Notice::StorageFailed(_)))
            }
            Some(e) => self.storage_failed(e),
        })
        .await;
    }

    fn storage_failed(self, error: StorageError) {
        match error {
            StorageError::QuotaFull => self.notice(Notice::StorageFull),
            other => self.notice(Notice::StorageFailed(other.to_string())),
        }
    }

    /// Reads the team's state; inside a reactive scope it re-runs when the state changes.
    /// Before the data is loaded it reads an empty state.
    pub fn with_state<R>(self, read: impl FnOnce(&State) -> R) -> R {
        self.snapshot.with(|s| s.revision);
        match self.live() {
            Some(live) => live.replica.with_state(read),
            None => read(&State::default()),
        }
    }

    /// Records a change made by this device's member: shown at once, saved, sent when
    /// possible. An invalid change is refused with the reason and changes nothing; when the
    /// storage is full the change is kept in memory, a notice says so, and it is saved later.
    pub async fn record(self, payload: Payload) -> Result<(), RecordError> {
        let Some(live) = self.live() else {
            return Err(RecordError::Storage(StorageError::Unavailable(
                "the team's data is not loaded".into(),
            )));
        };
        let now = sync_loop::now_ms();
        let op = live.replica.stamp(
            live.session.author(),
            payload,
            now,
            sync_loop::random_bytes(),
        )?;
        let result = live.replica.record(op.clone()).await;
        match &result {
            Ok(()) => live.tabs.recorded(&op),
            Err(RecordError::Storage(e)) => self.storage_failed(e.clone()),
            Err(_) => {}
        }
        if !matches!(result, Err(RecordError::Invalid(_) | RecordError::Clock(_))) {
            live.replica.trigger(now);
            live.wake.wake();
        }
        match result {
            // Shown and queued; the notice tells the user it is not saved yet.
            Err(RecordError::Storage(_)) => Ok(()),
            other => other,
        }
    }

    /// Syncs now (the user asked).
    pub fn sync_now(self) {
        if let Some(live) = self.live() {
            live.replica.trigger(sync_loop::now_ms());
            live.wake.wake();
        }
    }

    /// Starts a team on this server, with this device as its first member.
    pub async fn create_team(self, request: CreateTeam) -> Result<(), SetupError> {
        let created = ApiClient::anonymous().create_team(&request).await?;
        self.start(Session::created(created)).await
    }

    /// Joins a team with an invite code.
    pub async fn join(self, request: Join) -> Result<(), SetupError> {
        let joined = ApiClient::anonymous().join(&request).await?;
        self.start(Session::joined(joined)).await
    }

    async fn start(self, session: Session) -> Result<(), SetupError> {
        self.clear_notice(|n| matches!(n, Notice::SessionUnreadable(_)));
        session::save(&session).map_err(|e| SetupError::Server(e.to_string()))?;
        spawn_local(async move { self.open(session).await });
        Ok(())
    }

    /// A new invite code for the team (admin devices only).
    pub async fn create_invite(self) -> Result<InviteView, SetupError> {
        let session = self.session.get_untracked().ok_or(SetupError::Offline)?;
        let client = ApiClient {
            base: String::new(),
            token: session.device.token,
        };
        client.create_invite(&CreateInvite::default()).await
    }

    /// Removes the team's data from this device (after it was removed from the team, or when
    /// the user leaves): stops syncing, deletes the database and the session.
    pub async fn forget_team(self) -> Result<(), StorageError> {
        if let Some(live) = self.live() {
            live.wake.stop();
            live.tabs.close();
            live.replica.close();
            self.live.set_value(None);
            IdbStorage::delete(&live.session.database()).await?;
        }
        session::clear();
        self.session.set(None);
        self.snapshot.set(Snapshot::default());
        self.notices.set(Vec::new());
        self.phase.set(Phase::Setup);
        Ok(())
    }
}
