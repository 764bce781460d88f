//! The app's data layer as the screens see it: which team this device belongs to, the team's
//! state, recording a change, the sync status, and notices about storage. Shared through
//! Leptos context as [`Data`].
//!
//! Screens read the state with [`Data::with_state`] or, for derived views, through the memos of
//! [`Views`] (each re-derives only when the areas of the state it reads change), and change it
//! only through [`Data::record`] and [`Data::record_many`]; they never touch storage or the
//! network.

use std::collections::BTreeMap;
use std::rc::Rc;

use buurtbel_core::ids::{AddressId, ProjectId};
use buurtbel_core::op::{Area, Payload, Stamp};
use buurtbel_core::protocol::{CreateTeam, InviteView, Join, TeamView};
use buurtbel_core::rules::Entity;
use buurtbel_core::state::{Missing, State};
use buurtbel_core::sync::SyncStatus;
use buurtbel_core::validate::Problem;
use buurtbel_core::views::{self, AddressStatus, FollowUps, Funnel, HouseholdWord};
use chrono::NaiveDate;
use leptos::prelude::*;
use leptos::task::spawn_local;

pub use crate::replica::{RecordError, Touched};

use crate::api_client::{ApiClient, SetupError};
use crate::clock;
use crate::drafts;
use crate::i18n::{Key, Locale, fill, text};
use crate::replica::{Replica, Snapshot};
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
    /// An admin revoked this phone as lost: the team's data was deleted from it.
    Wiped,
    /// The member left the team from this phone; the team's data was deleted from it.
    Left,
}

/// How leaving the team went (see [`Data::leave`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Leaving {
    /// The server took the removal; the team's data is gone from this phone.
    Left,
    /// The removal waits for a connection.
    Waiting,
    /// The server refused it, or would: the team would have no admin left.
    Refused,
    /// An admin leaves only with a connection (the server must say who else is admin).
    NeedsConnection,
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
    /// One version counter per area of the state ([`Area`] as index): a view tracks only the
    /// areas it reads.
    areas: [RwSignal<u64>; 5],
    /// The replica's area counters as last seen, to tell which areas a snapshot changed.
    seen: StoredValue<[u64; 5]>,
    /// Goes up with every replica taken into use, so a view's place in one replica's log of
    /// changes is not mistaken for a place in another's.
    generation: StoredValue<u64>,
    /// The resident erasures as last seen: one arriving (from this tab, another tab or the
    /// server) clears the drafts this tab holds about that address.
    erasures_seen: StoredValue<BTreeMap<AddressId, Stamp>>,
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
        let data = Data::new();
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

    fn new() -> Data {
        Data {
            phase: RwSignal::new(Phase::Loading),
            session: RwSignal::new(None),
            snapshot: RwSignal::new(Snapshot::default()),
            notices: RwSignal::new(Vec::new()),
            persistence: RwSignal::new(None),
            areas: std::array::from_fn(|_| RwSignal::new(0)),
            seen: StoredValue::new([0; 5]),
            generation: StoredValue::new(0),
            erasures_seen: StoredValue::new(BTreeMap::new()),
            live: StoredValue::new_local(None),
        }
    }

    /// A data layer over a replica already open, without syncing (benchmarks and tests of the
    /// views use it).
    #[doc(hidden)]
    pub fn attach(session: Session, replica: Rc<AppReplica>) -> Data {
        let data = Data::new();
        let wake = Rc::new(Wake::default());
        let tabs = Rc::new(Tabs::open(&format!("buurtbel-{}", session.team.id)));
        tabs.attach(replica.clone(), wake.clone());
        data.go_live(Live {
            replica,
            wake,
            tabs,
            session,
        });
        data
    }

    /// The data layer of the surrounding app.
    pub fn current() -> Option<Data> {
        use_context::<Data>()
    }

    /// Takes a loaded replica into use: the screens see its state from now on.
    fn go_live(self, live: Live) {
        let replica = live.replica.clone();
        replica.set_clock_offset(crate::prefs::load_clock_offset(&live.session.team.id));
        let team = live.session.team.id;
        self.seen.set_value(replica.snapshot().areas);
        self.erasures_seen
            .set_value(replica.with_state(|s| s.erasures.clone()));
        replica.observe(move |s| self.observed(s, team));
        self.session.set(Some(live.session.clone()));
        self.live.set_value(Some(live));
        self.generation.update_value(|g| *g += 1);
        // A different replica: everything may differ.
        for area in self.areas {
            area.update(|n| *n += 1);
        }
        self.phase.set(Phase::Ready);
    }

    /// Hears a snapshot of the replica: wakes the views of the areas that changed, keeps the
    /// clock offset, and deletes the team's data when the device was revoked as lost.
    fn observed(self, s: Snapshot, team: buurtbel_core::ids::TeamId) {
        let seen = self.seen.get_value();
        for (i, area) in self.areas.iter().enumerate() {
            if s.areas[i] != seen[i] {
                area.update(|n| *n += 1);
            }
        }
        if s.erasures != self.snapshot.with_untracked(|old| old.erasures) {
            self.forget_erased_drafts();
        }
        self.seen.set_value(s.areas);
        if let Some(admin) = s.admin {
            self.learn_admin(admin);
        }
        if s.clock_offset_ms != self.snapshot.with_untracked(|old| old.clock_offset_ms) {
            crate::prefs::save_clock_offset(&team, s.clock_offset_ms);
        }
        let wiped = matches!(s.status, Some(SyncStatus::Wiped))
            && !matches!(
                self.snapshot.with_untracked(|old| old.status.clone()),
                Some(SyncStatus::Wiped)
            );
        self.snapshot.set(s);
        if wiped {
            spawn_local(async move {
                // A failed delete leaves the data; the next start gets the same answer and
                // tries again.
                if self.forget_team().await.is_ok() {
                    self.notice(Notice::Wiped);
                }
            });
        }
    }

    /// Keeps the server's word on whether this device is an admin's (promoted or no longer):
    /// the session is saved with it, and the screens for admins follow.
    fn learn_admin(self, admin: bool) {
        let Some(mut session) = self
            .session
            .get_untracked()
            .filter(|s| s.device.admin != admin)
        else {
            return;
        };
        session.device.admin = admin;
        // Unsaved, the next start reads the old word and the next sync corrects it again.
        let _ = session::save(&session);
        self.session.set(Some(session));
    }

    /// Clears the visit-sheet drafts (name, phone, e-mail, note typed and not saved) of every
    /// address erased since last seen.
    fn forget_erased_drafts(self) {
        let erasures = self.read_state(|s| s.erasures.clone());
        self.erasures_seen.update_value(|seen| {
            for (address, stamp) in &erasures {
                if seen.get(address) != Some(stamp) {
                    drafts::clear(&drafts::visit_prefix(*address));
                }
            }
            *seen = erasures;
        });
    }

    /// Makes the calling view depend on `areas` of the state.
    pub fn track(self, areas: &[Area]) {
        for area in areas {
            self.areas[*area as usize].track();
        }
    }

    /// A counter that goes up with every change to `area`, read without tracking.
    pub fn area_version(self, area: Area) -> u64 {
        self.areas[area as usize].get_untracked()
    }

    /// The addresses changed since `mark` (from an earlier call; [`Mark::default`] for none),
    /// and the mark to ask from next time. A view that follows single changes re-derives only
    /// those addresses.
    pub fn touched_since(self, mark: Mark) -> (Touched, Mark) {
        let generation = self.generation.get_value();
        let Some(live) = self.live() else {
            return (Touched::Everything, Mark(generation, 0));
        };
        if mark.0 != generation {
            return (
                Touched::Everything,
                Mark(generation, live.replica.touched_mark()),
            );
        }
        let (touched, end) = live.replica.touched_since(mark.1);
        (touched, Mark(generation, end))
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
        // Listening to the other tabs before reading the log: what they record or have
        // refused meanwhile is held, then applied on top of what was read.
        let tabs = Rc::new(Tabs::open(&format!("buurtbel-{}", session.team.id)));
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
        let wake = Rc::new(Wake::default());
        tabs.attach(replica.clone(), wake.clone());
        // Three pieces of work, each its own task so the browser gets the main thread between
        // them (input, a paint): reading and folding the log, drawing the page with it, and
        // the first sync. The other tabs are heard throughout.
        sync_loop::pause().await;
        self.go_live(Live {
            replica: replica.clone(),
            wake: wake.clone(),
            tabs: tabs.clone(),
            session: session.clone(),
        });
        sync_loop::pause().await;

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

    pub(crate) fn storage_failed(self, error: StorageError) {
        match error {
            StorageError::QuotaFull => self.notice(Notice::StorageFull),
            other => self.notice(Notice::StorageFailed(other.to_string())),
        }
    }

    /// Reads the team's state; inside a reactive scope it re-runs when any of the state
    /// changes. Before the data is loaded it reads an empty state.
    pub fn with_state<R>(self, read: impl FnOnce(&State) -> R) -> R {
        self.track(&Area::ALL);
        self.read_state(read)
    }

    /// Reads the team's state, re-running only when `areas` of it change.
    pub fn with_areas<R>(self, areas: &[Area], read: impl FnOnce(&State) -> R) -> R {
        self.track(areas);
        self.read_state(read)
    }

    fn read_state<R>(self, read: impl FnOnce(&State) -> R) -> R {
        match self.live() {
            Some(live) => live.replica.with_state(read),
            None => read(&State::default()),
        }
    }

    /// The time now by the server's clock (Unix milliseconds): what changes are stamped with
    /// and the time a visit took place.
    pub fn now_ms(self) -> u64 {
        let local = clock::now_ms();
        self.live().map_or(local, |live| live.replica.now(local))
    }

    /// Today's date where the phone is, by the server's clock.
    pub fn today(self) -> NaiveDate {
        clock::local_date(self.now_ms())
    }

    /// Records a change made by this device's member: saved and shown at once, sent when
    /// possible. An invalid change, or one about something removed or unknown, is refused with
    /// the reason ([`error_text`]) and changes nothing; when the storage is full the change is
    /// kept in memory, a notice says so, and it is saved later.
    pub async fn record(self, payload: Payload) -> Result<(), RecordError> {
        self.record_many(vec![payload]).await
    }

    /// Records many changes at once (an imported address list, "niet thuis" for twenty doors):
    /// all checked first, then one storage transaction (all or none), one message to the other
    /// tabs and one sync. A long batch pauses between steps so the page stays responsive.
    pub async fn record_many(self, payloads: Vec<Payload>) -> Result<(), RecordError> {
        const STEP: usize = 500;
        let Some(live) = self.live() else {
            return Err(RecordError::Storage(StorageError::Unavailable(
                "the team's data is not loaded".into(),
            )));
        };
        let author = live.session.author();
        let mut ops = Vec::with_capacity(payloads.len());
        for (i, payload) in payloads.into_iter().enumerate() {
            if i > 0 && i % STEP == 0 {
                sync_loop::pause().await;
            }
            ops.push(live.replica.stamp(
                author,
                payload,
                clock::now_ms(),
                sync_loop::random_bytes(),
            )?);
        }
        let result = live
            .replica
            .record_many(ops.clone(), sync_loop::pause)
            .await;
        match &result {
            Ok(()) => live.tabs.recorded(&ops).await,
            Err(RecordError::Storage(e)) => self.storage_failed(e.clone()),
            Err(_) => {}
        }
        if matches!(result, Ok(()) | Err(RecordError::Storage(_))) {
            live.replica.trigger(clock::now_ms());
            live.wake.wake();
        }
        match result {
            // Shown and queued; the notice tells the user it is not saved yet.
            Err(RecordError::Storage(_)) => Ok(()),
            other => other,
        }
    }

    /// Changes made here that the server refused for good.
    pub fn refused(self) -> Vec<crate::storage::Refused> {
        self.live()
            .map(|live| live.replica.refused())
            .unwrap_or_default()
    }

    /// Deletes a refused change from this phone.
    pub async fn discard(self, id: buurtbel_core::ids::OpId) -> Result<(), StorageError> {
        let Some(live) = self.live() else {
            return Ok(());
        };
        live.replica.discard(id).await?;
        live.tabs.discarded(id);
        Ok(())
    }

    /// Syncs now (the user asked).
    pub fn sync_now(self) {
        if let Some(live) = self.live() {
            live.replica.trigger(clock::now_ms());
            live.wake.wake();
        }
    }

    /// Starts a team on this server, with this device as its first member.
    pub async fn create_team(self, request: CreateTeam) -> Result<(), SetupError> {
        let (created, server_time) = ApiClient::anonymous().create_team(&request).await?;
        self.start(Session::created(created), server_time).await
    }

    /// Joins a team with an invite code.
    pub async fn join(self, request: Join) -> Result<(), SetupError> {
        let (joined, server_time) = ApiClient::anonymous().join(&request).await?;
        self.start(Session::joined(joined), server_time).await
    }

    /// The team an invite code opens (a join link's page names it), without using the code.
    pub async fn invited_to(code: &str) -> Result<TeamView, SetupError> {
        ApiClient::anonymous().join_preview(code).await
    }

    /// Saves the new session and opens the team's data. The server's time from the answer
    /// sets the clock offset before this device stamps its first change.
    async fn start(self, session: Session, server_time_ms: Option<u64>) -> Result<(), SetupError> {
        self.clear_notice(|n| matches!(n, Notice::SessionUnreadable(_) | Notice::Wiped));
        if let Some(server) = server_time_ms {
            let offset =
                i64::try_from(server).unwrap_or(0) - i64::try_from(clock::now_ms()).unwrap_or(0);
            // The Date header counts whole seconds: a smaller difference is not a wrong clock.
            let offset = if offset.abs() < 2_000 { 0 } else { offset };
            crate::prefs::save_clock_offset(&session.team.id, offset);
        }
        session::save(&session).map_err(|e| SetupError::Server(e.to_string()))?;
        spawn_local(async move { self.open(session).await });
        Ok(())
    }

    /// A new invite code for the team (admin devices only).
    pub async fn create_invite(self) -> Result<InviteView, SetupError> {
        self.client()?.create_invite(None).await
    }

    /// The client of [`Data::client`], or one without a token when there is no session.
    fn client_or_anonymous(self) -> ApiClient {
        self.client().unwrap_or_else(|_| ApiClient::anonymous())
    }

    /// A client of the sync API with this device's token, for what needs the server now
    /// (invites, devices, admins).
    pub fn client(self) -> Result<ApiClient, SetupError> {
        let session = self.session.get_untracked().ok_or(SetupError::Offline)?;
        Ok(ApiClient {
            base: String::new(),
            token: session.device.token,
        })
    }

    /// Leaves the team: records this member's removal and sends it; once the server has
    /// revoked this device for it, deletes the team's data from this phone. Without a
    /// connection the removal waits like any change and this answers `Waiting` (the phone
    /// learns it was removed at its next sync, and offers to delete); a server that refuses the
    /// removal (a team keeps at least one admin) answers `Refused` and nothing is deleted.
    pub async fn leave(self) -> Result<Leaving, RecordError> {
        let Some((member, admin)) = self
            .session
            .get_untracked()
            .map(|s| (s.member.id, s.device.admin))
        else {
            return Ok(Leaving::Waiting);
        };
        if admin {
            // The server would refuse the last admin's removal, and a refused removal would
            // stay on this phone: ask first whether another member is admin.
            let Ok(list) = ApiClient::devices(&self.client_or_anonymous()).await else {
                return Ok(Leaving::NeedsConnection);
            };
            let other_admin = list
                .devices
                .iter()
                .any(|d| d.admin && d.revoked_at_ms.is_none() && d.member != member);
            if !other_admin {
                return Ok(Leaving::Refused);
            }
        }
        let refused_before = self.snapshot.with_untracked(|s| s.refused);
        self.record(Payload::MemberRemove { member }).await?;
        self.sync_now();
        // A sync takes a moment; give it up to ten seconds.
        for round in 0..100 {
            let (removed, refused, sent) = self.snapshot.with_untracked(|s| {
                (
                    matches!(s.status, Some(SyncStatus::Removed)),
                    s.refused > refused_before,
                    s.waiting == 0,
                )
            });
            if removed {
                if self.forget_team().await.is_ok() {
                    self.notice(Notice::Left);
                }
                return Ok(Leaving::Left);
            }
            if refused {
                return Ok(Leaving::Refused);
            }
            if sent && round % 10 == 9 {
                // Sent and taken: the next request hears that this device is revoked.
                self.sync_now();
            }
            let wait = js_sys::Promise::new(&mut |resolve, _| {
                let _ =
                    window().set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, 100);
            });
            let _ = wasm_bindgen_futures::JsFuture::from(wait).await;
        }
        Ok(Leaving::Waiting)
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
            crate::prefs::forget_clock_offset(&live.session.team.id);
        }
        session::clear();
        // What was typed and not saved may name residents: it goes with the team's data.
        drafts::clear("");
        self.erasures_seen.set_value(BTreeMap::new());
        self.session.set(None);
        self.snapshot.set(Snapshot::default());
        self.notices.set(Vec::new());
        self.phase.set(Phase::Setup);
        Ok(())
    }
}

/// A place in the data layer's log of changed addresses (see [`Data::touched_since`]).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Mark(u64, u64);

/// The status of every live address, kept up to date address by address.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Statuses {
    mark: Mark,
    /// Per live address.
    pub by_address: BTreeMap<AddressId, AddressStatus>,
}

/// The funnels of every live project, kept up to date household by household.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Funnels {
    mark: Mark,
    plan: u64,
    words: BTreeMap<AddressId, HouseholdWord>,
    /// Per live project.
    pub by_project: BTreeMap<ProjectId, Funnel>,
}

/// The derived views the screens share, as memos: each re-derives only when an area of the
/// state it reads changed (a visit logged never re-sorts the walking order), the statuses and
/// funnels only for the addresses that changed, and a screen that reads a memo re-renders only
/// when its value changed.
#[derive(Clone, Copy, Debug)]
pub struct Views {
    /// Every live address in walking order (depends on the addresses only).
    pub walk_order: Memo<Vec<AddressId>>,
    /// What the walk list shows of each address.
    pub statuses: Memo<Statuses>,
    /// The doorstep funnel of every live project.
    pub funnels: Memo<Funnels>,
    /// Open follow-ups by when they are due (from the statuses).
    pub follow_ups: Memo<FollowUps>,
}

impl Views {
    /// The views over `data`. Memos are lazy: a view no screen reads costs nothing.
    pub fn new(data: Data) -> Views {
        use Area::{Addresses, Plan, Visits};
        let statuses = Memo::new_owning(move |old: Option<Statuses>| {
            data.track(&[Addresses, Visits]);
            let (touched, mark) =
                data.touched_since(old.as_ref().map_or(Mark::default(), |o| o.mark));
            match (old, touched) {
                (Some(mut old), Touched::Addresses(list)) => {
                    let mut changed = false;
                    data.read_state(|state| {
                        for address in list {
                            let now = views::address_status(state, address);
                            if old.by_address.get(&address) != now.as_ref() {
                                changed = true;
                                match now {
                                    Some(s) => old.by_address.insert(address, s),
                                    None => old.by_address.remove(&address),
                                };
                            }
                        }
                    });
                    old.mark = mark;
                    (old, changed)
                }
                _ => {
                    let by_address = data.read_state(views::address_statuses);
                    (Statuses { mark, by_address }, true)
                }
            }
        });
        let funnels = Memo::new_owning(move |old: Option<Funnels>| {
            data.track(&[Plan, Addresses, Visits]);
            let plan = data.area_version(Plan);
            let (touched, mark) =
                data.touched_since(old.as_ref().map_or(Mark::default(), |o| o.mark));
            match (old, touched) {
                // The projects are the same: follow the households that changed.
                (Some(mut old), Touched::Addresses(list)) if old.plan == plan => {
                    let before = old.by_project.clone();
                    data.read_state(|state| {
                        for address in list {
                            if let Some(word) = old.words.remove(&address) {
                                views::tally(&mut old.by_project, &word, false);
                            }
                            if let Some(word) = views::household_word(state, address) {
                                views::tally(&mut old.by_project, &word, true);
                                old.words.insert(address, word);
                            }
                        }
                    });
                    old.mark = mark;
                    let changed = old.by_project != before;
                    (old, changed)
                }
                _ => data.read_state(|state| {
                    let words: BTreeMap<AddressId, HouseholdWord> = buurtbel_core::sort::map(
                        state
                            .addresses
                            .keys()
                            .filter_map(|id| Some((*id, views::household_word(state, *id)?))),
                    );
                    let mut by_project = views::empty_funnels(state);
                    for word in words.values() {
                        views::tally(&mut by_project, word, true);
                    }
                    let funnels = Funnels {
                        mark,
                        plan,
                        words,
                        by_project,
                    };
                    (funnels, true)
                }),
            }
        });
        Views {
            walk_order: Memo::new(move |_| data.with_areas(&[Addresses], views::walk_order)),
            statuses,
            funnels,
            follow_ups: Memo::new(move |_| {
                // Today moves on by itself: the list is due again when the app is reopened or
                // the data changes, which is often enough for a list sorted by day.
                let today = data.today();
                statuses.with(|s| {
                    views::follow_ups_of(s.by_address.iter().map(|(id, st)| (*id, st)), today)
                })
            }),
        }
    }

    /// Makes the views available to every component below.
    pub fn provide(data: Data) -> Views {
        let views = Views::new(data);
        provide_context(views);
        views
    }

    /// The views of the surrounding app.
    pub fn current() -> Option<Views> {
        use_context::<Views>()
    }
}

/// The label of a field named by a validation error (`payload.postcode`).
fn field_key(field: &str) -> Key {
    match field.rsplit('.').next().unwrap_or(field) {
        "street" => Key::FieldStreet,
        "number" => Key::FieldNumber,
        "letter" => Key::FieldLetter,
        "addition" => Key::FieldAddition,
        "postcode" => Key::FieldPostcode,
        "name" | "display_name" | "neighbourhood" => Key::FieldName,
        "phone" => Key::FieldPhone,
        "email" => Key::FieldEmail,
        "note" => Key::FieldNote,
        "title" => Key::FieldTitle,
        "text" | "description" => Key::FieldText,
        "pledges" => Key::FieldPledge,
        "date" | "due" => Key::FieldDate,
        "target" | "evidence" => Key::FieldTarget,
        _ => Key::FieldOther,
    }
}

/// What a screen says when a change was not recorded, in the user's language.
pub fn error_text(locale: Locale, error: &RecordError) -> String {
    use buurtbel_core::replica::RecordError as Refused;
    let t = |key| text(locale, key);
    match error {
        RecordError::Refused(Refused::Invalid(e)) => {
            let field = t(field_key(e.field));
            match &e.problem {
                Problem::Empty => fill(t(Key::ErrFieldEmpty), &[field]),
                Problem::TooLong { max } => {
                    fill(t(Key::ErrFieldTooLong), &[field, &max.to_string()])
                }
                Problem::OutOfRange { min, max } => fill(
                    t(Key::ErrFieldRange),
                    &[field, &min.to_string(), &max.to_string()],
                ),
                Problem::TooMany { max } => {
                    fill(t(Key::ErrFieldTooMany), &[field, &max.to_string()])
                }
                Problem::DateOutOfRange => fill(t(Key::ErrFieldDate), &[field]),
                Problem::Malformed { .. } | Problem::NilId => {
                    fill(t(Key::ErrFieldFormat), &[field])
                }
                Problem::ControlCharacters => fill(t(Key::ErrFieldControl), &[field]),
            }
        }
        RecordError::Refused(Refused::Reference(e)) => t(match e.missing {
            Missing::Entity(entity) => match entity {
                Entity::Address => Key::GoneAddress,
                Entity::Project => Key::GoneProject,
                Entity::Step => Key::GoneStep,
                Entity::Member => Key::GoneMember,
                Entity::Meeting => Key::GoneMeeting,
                Entity::Visit => Key::GoneVisit,
                Entity::Consent => Key::GoneConsent,
                Entity::Decision => Key::GoneDecision,
                Entity::ActionItem => Key::GoneActionItem,
                Entity::GuideItem => Key::GoneGuideItem,
                Entity::Question => Key::GoneQuestion,
                Entity::Advice => Key::GoneAdvice,
            },
            Missing::FollowUp => Key::GoneFollowUp,
        })
        .to_owned(),
        RecordError::Refused(Refused::Clock(_)) => t(Key::ErrClock).to_owned(),
        RecordError::Storage(e) => fill(t(Key::NoticeSaveFailed), &[&e.to_string()]),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use buurtbel_core::factory::OpFactory;
    use buurtbel_core::replica::RecordError as Core;
    use buurtbel_core::state::ReferenceError;

    #[test]
    fn a_refused_change_is_explained_in_the_users_language() {
        let mut f = OpFactory::new(1);
        let mut op = f.address("Lindelaan", 1);
        if let Payload::AddressAdd { postcode, .. } = &mut op.payload {
            *postcode = "12".into();
        }
        let invalid = RecordError::Refused(Core::Invalid(op.validate().expect_err("bad postcode")));
        assert_eq!(
            error_text(Locale::Nl, &invalid),
            "Postcode: dit klopt niet, kijk het nog eens na."
        );
        assert_eq!(
            error_text(Locale::En, &invalid),
            "Postcode: this is not right, please check it."
        );
        // Every kind a reference can miss has its own words, none falls back to another's.
        for (missing, locale, words) in [
            (
                Missing::Entity(Entity::Address),
                Locale::Nl,
                "Dit adres staat niet meer op de looplijst; er is niets opgeslagen.",
            ),
            (
                Missing::Entity(Entity::Question),
                Locale::Nl,
                "Deze vraag bestaat niet meer; er is niets opgeslagen.",
            ),
            (
                Missing::Entity(Entity::GuideItem),
                Locale::En,
                "This part of the guide no longer exists; nothing was saved.",
            ),
        ] {
            let gone = RecordError::Refused(Core::Reference(ReferenceError {
                field: "payload",
                missing,
            }));
            assert_eq!(error_text(locale, &gone), words);
        }
        if let Payload::AddressAdd { street, .. } = &mut op.payload {
            *street = "x".repeat(300);
        }
        let long = RecordError::Refused(Core::Invalid(op.validate().expect_err("too long")));
        assert_eq!(
            error_text(Locale::Nl, &long),
            "Straat: te lang, hoogstens 200 tekens."
        );
    }
}
