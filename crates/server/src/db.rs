//! Storage: the narrow interface the HTTP layer uses ([`Storage`]), written once over the SQL
//! both engines share ([`sql`]), and the engines: SQLite, embedded, one file in WAL mode
//! ([`Sqlite`]), and PostgreSQL for deployments with several server instances ([`Postgres`]).
//!
//! An engine gives transactions and a group for pushes ([`Backend`]); everything else (the
//! rules of a push, erasure, quotas, invites, coaches, pages, plans) is written here once.
//! Pushes that arrive while another is being written are committed together
//! ([`crate::commit`]): one transaction and one sync to disk for the group, each push in a
//! savepoint of its own so a refused one takes nothing of the others with it. Whatever a
//! team's limits count is changed under a lock on the team's row ([`lock_team`]), so several
//! instances on one PostgreSQL give out gap-free numbers and hold the limits together.
//!
//! **Invariant:** every method that reads or writes team data takes the team id of the
//! authenticated device and scopes every query by it.

use std::path::Path;
use std::sync::Arc;

use buurtbel_core::ids::{DeviceId, MemberId, OpId, QuestionId, TeamId};
use buurtbel_core::op::{Operation, Payload, Stamp};
use buurtbel_core::plans::OrgPlan;
use buurtbel_core::protocol::{Ack, DeviceView, Introduction, InviteInfo};
use sha2::{Digest, Sha256};
use uuid::Uuid;

use crate::commit::Group;

pub mod coach;
pub mod plans;
pub mod postgres;
mod resident;
mod schema;
pub mod sql;
pub mod sqlite;
pub use coach::{Coach, CoachLink, Looker, NewIntroduction};
pub use plans::StoredPlan;
pub use postgres::Postgres;
use resident::set_page;
pub use resident::{Page, PageAnswer, PageError, StoredAnswer};
use sql::{Param, Sql, args, value, value_opt};
pub use sqlite::{Sqlite, invite_key_path};

/// A failure of the storage layer, in its own terms: callers never see the database engine's
/// error types.
#[derive(Debug, thiserror::Error)]
pub enum DbError {
    /// The disk (or the database's size limit) is full: nothing could be written.
    #[error("the storage is full: {0}")]
    Full(String),
    /// The database failed; what it said.
    #[error("the database failed: {0}")]
    Failed(String),
    /// The database folder could not be created.
    #[error("cannot create {path}: {source}")]
    CreateDir {
        /// The folder.
        path: String,
        /// What the operating system said.
        source: std::io::Error,
    },
    /// The database was written by a newer server.
    #[error("database schema version {found} is newer than this server knows ({known})")]
    TooNew {
        /// Version in the file.
        found: usize,
        /// Newest version this build knows.
        known: usize,
    },
    /// A stored row could not be read back (corruption or a foreign writer).
    #[error("stored data is unreadable: {0}")]
    Corrupt(String),
    /// A blocking task did not complete.
    #[error("database task failed")]
    Task,
}

/// The team behind the invite with `hash`, if the invite works now (not ended, not used up).
fn open_invite_team(
    tx: &mut dyn Sql,
    hash: &[u8],
    now_ms: u64,
) -> Result<Option<(TeamId, String, String)>, DbError> {
    tx.query_opt(
        "SELECT t.id, t.name, t.neighbourhood FROM invite_codes i JOIN teams t ON t.id = i.team_id
         WHERE i.code_hash = ?1 AND i.expires_at_ms > ?2 AND (i.max_uses IS NULL OR i.uses < i.max_uses) AND i.revoked_at_ms IS NULL",
        args![hash, ms(now_ms)],
    )?
    .map(|mut r| Ok((TeamId(r.get(0)?), r.get(1)?, r.get(2)?)))
    .transpose()
}

impl DbError {
    /// The disk (or the database's size limit) is full: nothing could be written.
    pub fn is_full(&self) -> bool {
        matches!(self, DbError::Full(_))
    }

    /// The same failure again, for each of several callers it failed.
    fn again(&self) -> DbError {
        match self {
            DbError::Full(what) => DbError::Full(what.clone()),
            other => DbError::Failed(other.to_string()),
        }
    }
}

/// A new team with its creator.
#[derive(Debug)]
pub struct NewTeam {
    /// The team.
    pub team: TeamId,
    /// Its name.
    pub name: String,
    /// Its buurt.
    pub neighbourhood: String,
    /// The creator's first device (an admin).
    pub device: NewDevice,
    /// The first invite.
    pub invite: NewInvite,
    /// Operations that record the team and its creator in the team's log.
    pub ops: Vec<PreparedOp>,
}

/// A device to register.
#[derive(Debug)]
pub struct NewDevice {
    /// The device.
    pub device: DeviceId,
    /// Its member.
    pub member: MemberId,
    /// Hash of its token.
    pub token_hash: [u8; 32],
    /// Admin rights.
    pub admin: bool,
    /// A label for the device list ("Anna's phone").
    pub label: String,
}

/// An invite to store.
#[derive(Clone, Debug)]
pub struct NewInvite {
    /// Normalized code.
    pub code: String,
    /// Expiry (Unix milliseconds).
    pub expires_at_ms: u64,
    /// How often it may be used (none: until expiry).
    pub max_uses: Option<u32>,
}

/// An operation checked by the HTTP layer (validated, authored by the pushing device).
#[derive(Clone, Debug)]
pub struct PreparedOp {
    /// The operation (personal fields already stripped where an erasure requires).
    pub op: Operation,
    /// Its JSON, made before the write lock is taken; empty when it must be made there.
    body: String,
}

impl PreparedOp {
    /// `op`, with its JSON written now (outside the one writer's lock).
    pub fn new(op: Operation) -> PreparedOp {
        let body = serde_json::to_string(&op).unwrap_or_default();
        PreparedOp { op, body }
    }
}

/// An invite as an admin names it: by its id (from the list) or its code.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum InviteRef {
    /// The id the list shows.
    Id(String),
    /// The normalized code.
    Code(String),
}

/// A device as stored: its team, itself, its member, and whether it is an admin device.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Device {
    /// The device's team.
    pub team: TeamId,
    /// The device.
    pub device: DeviceId,
    /// The member using it.
    pub member: MemberId,
    /// Whether the device may manage invites and devices.
    pub admin: bool,
}

/// Why a token does not authenticate.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Refused {
    /// No such token, or its device was revoked.
    Unknown,
    /// Its device was revoked as lost: it must delete the team's data.
    Wiped,
}

/// Why an admin change was refused.
#[derive(Debug, thiserror::Error)]
pub enum AdminError {
    /// It would leave the team without an admin.
    #[error("a team keeps at least one admin: make another member admin first")]
    LastAdmin,
    /// The team has as many open invites as it may.
    #[error("this team has {OPEN_INVITES_MAX} open invites; revoke one first")]
    TooManyInvites,
    /// Storage failed.
    #[error(transparent)]
    Db(#[from] DbError),
}

/// The members of `team` with a device that is admin and not revoked, except `leaving`.
fn other_admins(
    tx: &mut dyn Sql,
    team: &str,
    leaving_member: Option<&str>,
    leaving_device: Option<&str>,
) -> Result<i64, DbError> {
    value(
        tx,
        "SELECT COUNT(DISTINCT member_id) FROM devices WHERE team_id = ?1 AND admin = 1 AND revoked_at_ms IS NULL AND member_id IS DISTINCT FROM ?2 AND id IS DISTINCT FROM ?3",
        args![team, leaving_member, leaving_device],
    )
}

/// What a push stored.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Pushed {
    /// One acknowledgement per operation, in order.
    pub acks: Vec<Ack>,
    /// How many were new (the rest were retries).
    pub stored: usize,
}

/// Why joining failed.
#[derive(Debug, thiserror::Error)]
pub enum JoinError {
    /// No such code, expired, or used up. One answer for all, so codes cannot be probed.
    #[error("this invite code is not valid")]
    InvalidCode,
    /// Storage failed.
    #[error(transparent)]
    Db(#[from] DbError),
}

/// Why a push failed; nothing of the batch was stored.
#[derive(Debug, thiserror::Error)]
pub enum PushError {
    /// An operation id already names a different operation.
    #[error("operation {0} was stored before with different content")]
    Conflict(OpId),
    /// An erasure is stamped before personal data of that resident the server already holds:
    /// it must be stamped after this timestamp to reach it.
    #[error("erasure {0} is stamped before data the server holds")]
    ErasureBehind(OpId, buurtbel_core::clock::Hlc),
    /// The team's space on this server is used up.
    #[error("the team's quota of {0} bytes is used up")]
    QuotaFull(u64),
    /// The pushing device's member may not make this change (only admins may).
    #[error("operation {0}: {1}")]
    NotAllowed(OpId, &'static str),
    /// The operation refers to something the team never had.
    #[error("operation {0}: no {2} of this team has the id in {1}")]
    UnknownReference(OpId, &'static str, &'static str),
    /// The member erased as many residents' data this hour as one may.
    #[error("operation {0}: at most {1} erasures per hour")]
    ErasureLimit(OpId, u32),
    /// Storage failed.
    #[error(transparent)]
    Db(#[from] DbError),
}

/// What the HTTP layer needs from storage. Each method is one transaction.
pub trait Storage: Send + Sync + std::fmt::Debug + 'static {
    /// The database answers.
    fn ping(&self) -> Result<(), DbError>;
    /// Creates a team with its first admin device, invite and log entries; returns the invite's
    /// id.
    fn create_team(&self, team: NewTeam, now_ms: u64) -> Result<String, DbError>;
    /// Stores a new invite for `team` (and deletes its invites that ended long ago); refused
    /// when the team has [`OPEN_INVITES_MAX`] open already. Returns the invite's id.
    fn create_invite(
        &self,
        team: TeamId,
        by: DeviceId,
        invite: &NewInvite,
        now_ms: u64,
    ) -> Result<String, AdminError>;
    /// Uses an invite: registers the device and appends `ops` (the new member) to the team's
    /// log. Returns the team's id, name and buurt.
    fn join(
        &self,
        code: &str,
        device: NewDevice,
        ops: Vec<PreparedOp>,
        now_ms: u64,
    ) -> Result<(TeamId, String, String), JoinError>;
    /// The team an invite code opens now (its id, name and buurt), without using it; `None`
    /// when the code is unknown, ended or used up.
    fn invite_team(
        &self,
        code: &str,
        now_ms: u64,
    ) -> Result<Option<(TeamId, String, String)>, DbError>;
    /// The device behind a token hash, if it exists and is not revoked.
    fn authenticate(
        &self,
        token_hash: &[u8; 32],
        now_ms: u64,
    ) -> Result<Result<Device, Refused>, DbError>;
    /// The team's devices.
    fn list_devices(&self, team: TeamId) -> Result<Vec<DeviceView>, DbError>;
    /// The team's newest [`INVITES_LISTED`] invites, newest first.
    fn list_invites(&self, team: TeamId) -> Result<Vec<InviteInfo>, DbError>;
    /// Revokes one of the team's invites; `false` if there is none.
    fn revoke_invite(&self, team: TeamId, which: &InviteRef, now_ms: u64) -> Result<bool, DbError>;
    /// Makes `member` admin (on every device of theirs) or not. A team keeps at least one
    /// admin; `false` if the team has no such member with a device.
    fn set_admin(&self, team: TeamId, member: MemberId, admin: bool) -> Result<bool, AdminError>;
    /// Revokes one of the team's devices, as lost when `lost` (it is then told to delete the
    /// team's data); `false` if the team has no such device. The team's last admin device is
    /// not revoked.
    fn revoke_device(
        &self,
        team: TeamId,
        device: DeviceId,
        lost: bool,
        now_ms: u64,
    ) -> Result<bool, AdminError>;
    /// Stores a batch idempotently and returns each operation's sequence number, once it is
    /// on disk.
    fn push(
        &self,
        team: TeamId,
        device: DeviceId,
        ops: Vec<PreparedOp>,
        now_ms: u64,
    ) -> Result<Pushed, PushError>;
    /// The team's operations after `after`, at most `limit`, and whether more remain.
    fn pull(
        &self,
        team: TeamId,
        after: u64,
        limit: u32,
    ) -> Result<(Vec<(u64, String)>, bool), DbError>;
    /// The resident page with `code`, open or closed.
    fn page(&self, code: &str) -> Result<Option<Page>, DbError>;
    /// Stores a resident's new answer on the open page `code` with its operations; refused
    /// when the page has taken `per_hour` answers in the last hour.
    fn answer_page(
        &self,
        code: &str,
        answer: PageAnswer,
        per_hour: u32,
        now_ms: u64,
    ) -> Result<Pushed, PageError>;
    /// The answer behind a private link's token hash.
    fn page_answer(&self, token_hash: &[u8; 32]) -> Result<Option<StoredAnswer>, DbError>;
    /// Stores a change to the answer behind `answer.token_hash`, with its operations.
    fn change_page_answer(&self, answer: PageAnswer, now_ms: u64) -> Result<Pushed, PageError>;
    /// Makes the coach `name` with `code` in `organisation` (made too, unless it exists), and
    /// a sign-in link for them under `link_hash`.
    fn add_coach(
        &self,
        organisation: &str,
        name: &str,
        code: &str,
        link_hash: &[u8; 32],
        now_ms: u64,
    ) -> Result<Coach, DbError>;
    /// Stores a link in `organisation`: a sign-in link for `coach`, or with none an invite to
    /// become a coach there.
    fn add_coach_link(
        &self,
        organisation: &str,
        coach: Option<&str>,
        hash: &[u8; 32],
        now_ms: u64,
    ) -> Result<(), DbError>;
    /// The working link behind `hash`.
    fn coach_link(&self, hash: &[u8; 32], now_ms: u64) -> Result<Option<CoachLink>, DbError>;
    /// Uses a link once and starts a session under `session_hash`; an invite makes the coach
    /// `name` with `code`. `None` when the link does not work.
    fn use_coach_link(
        &self,
        link_hash: &[u8; 32],
        name: Option<&str>,
        code: &str,
        session_hash: &[u8; 32],
        now_ms: u64,
    ) -> Result<Option<Coach>, DbError>;
    /// The coach signed in with the session behind `hash`.
    fn coach_session(&self, hash: &[u8; 32], now_ms: u64) -> Result<Option<Coach>, DbError>;
    /// Ends the session behind `hash`.
    fn end_coach_session(&self, hash: &[u8; 32], now_ms: u64) -> Result<(), DbError>;
    /// The teams that let `coach` look along now.
    fn coach_teams(&self, coach: &str) -> Result<Vec<TeamId>, DbError>;
    /// Whether `team` lets `coach` look along now.
    fn coach_may_see(&self, coach: &str, team: TeamId) -> Result<bool, DbError>;
    /// `team` lets the coach with `code` look along; `None` when no coach has the code.
    fn grant_coach(
        &self,
        team: TeamId,
        code: &str,
        by: MemberId,
        now_ms: u64,
    ) -> Result<Option<Looker>, DbError>;
    /// `team` ends `coach`'s look along; `false` if there was none.
    fn withdraw_coach(&self, team: TeamId, coach: &str, now_ms: u64) -> Result<bool, DbError>;
    /// The coaches looking along with `team`.
    fn team_coaches(&self, team: TeamId) -> Result<Vec<Looker>, DbError>;
    /// Appends `op`, made for `coach` (advice), to `team`'s log if the team lets the coach
    /// look along now; `None` when it does not.
    fn coach_append(
        &self,
        coach: &str,
        team: TeamId,
        op: PreparedOp,
        now_ms: u64,
    ) -> Result<Option<Pushed>, PushError>;
    /// `coach` introduces a volunteer to `team`, if the team lets the coach look along now:
    /// the introduction's id, or `None`.
    fn introduce(
        &self,
        coach: &str,
        team: TeamId,
        new: &NewIntroduction,
        now_ms: u64,
    ) -> Result<Option<String>, DbError>;
    /// `team`'s introductions, oldest first; only those `coach` made, when given.
    fn introductions(
        &self,
        team: TeamId,
        coach: Option<&str>,
    ) -> Result<Vec<Introduction>, DbError>;
    /// Notes that `team` invited introduction `id`'s volunteer; `false` if it has no such one.
    fn introduction_invited(&self, team: TeamId, id: &str, now_ms: u64) -> Result<bool, DbError>;
    /// Erases `team`'s introduction `id` (only if `coach` made it, when given); `false` if
    /// there was none.
    fn forget_introduction(
        &self,
        team: TeamId,
        id: &str,
        coach: Option<&str>,
    ) -> Result<bool, DbError>;
    /// Saves an organisation's plan as `coach` of `organisation`: new when `id` is `None`,
    /// else a new version of it unless unchanged. Its id and latest version, or `None` when
    /// `id` is not the organisation's.
    fn save_plan(
        &self,
        organisation: &str,
        coach: &str,
        id: Option<&str>,
        plan: &OrgPlan,
        now_ms: u64,
    ) -> Result<Option<(String, u32)>, DbError>;
    /// The latest version of each of `organisation`'s plans, by name.
    fn plans(&self, organisation: &str) -> Result<Vec<StoredPlan>, DbError>;
    /// Every version of `organisation`'s plan `id`, oldest first (empty: not the
    /// organisation's).
    fn plan_versions(&self, organisation: &str, id: &str) -> Result<Vec<StoredPlan>, DbError>;
    /// The latest versions of the plans `team` may start from: those of the organisations
    /// whose coaches look along with it now.
    fn team_plans(&self, team: TeamId) -> Result<Vec<StoredPlan>, DbError>;
    /// Every version of plan `id`, oldest first, if `team` may use it (empty otherwise).
    fn team_plan_versions(&self, team: TeamId, id: &str) -> Result<Vec<StoredPlan>, DbError>;
    /// What is left now in the rate bucket `bucket` (full at `burst`, one back every
    /// `refill_ms`), in thousandths. Buckets live in the database, so every instance on it
    /// counts the same; a bucket's name is stored only as a keyed hash.
    fn bucket_level(
        &self,
        bucket: &str,
        burst: u32,
        refill_ms: u64,
        now_ms: u64,
    ) -> Result<u64, DbError>;
    /// Takes one from the rate bucket `bucket`; `false` when it had none left.
    fn bucket_take(
        &self,
        bucket: &str,
        burst: u32,
        refill_ms: u64,
        now_ms: u64,
    ) -> Result<bool, DbError>;
}

/// The operations one commit takes at most (5 pushes of 100): everyone in a group waits until
/// all of it is written, so a larger group makes paced pushes wait longer. Measured with
/// `make bench` on 2 cores, 300 to 500 gave the lowest paced p99 with the flat-out throughput
/// of 5,000.
const GROUP_OPS: usize = 500;

pub(crate) fn push_group() -> Arc<Group<PushJob, Result<Pushed, PushError>>> {
    Arc::new(Group::new(GROUP_OPS, |job| job.ops.len()))
}

/// One push waiting for its group's commit.
#[derive(Debug)]
pub struct PushJob {
    team: TeamId,
    device: DeviceId,
    ops: Vec<PreparedOp>,
    now_ms: u64,
}

/// The key invite codes are hashed with. An invite code is short (about 40 bits), so a plain
/// hash of it could be reversed by trying every code; keyed with 256 random bits kept outside
/// the database (in `<database>.invite-key`, private to the server's user), a copy of the
/// database alone (a backup) reveals no code. Losing the key ends the open invites, nothing
/// else: admins make new ones.
#[derive(Clone)]
pub struct InviteKey([u8; 32]);

impl std::fmt::Debug for InviteKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("InviteKey(..)")
    }
}

impl InviteKey {
    /// A fresh random key.
    pub fn random() -> Result<InviteKey, DbError> {
        let mut key = [0u8; 32];
        getrandom::fill(&mut key)
            .map_err(|_| DbError::Corrupt("no randomness available".into()))?;
        Ok(InviteKey(key))
    }

    /// The key in `path`, made (private to this user) when there is none.
    pub fn load_or_create(path: &Path) -> Result<InviteKey, DbError> {
        let io = |source: std::io::Error| DbError::CreateDir {
            path: path.display().to_string(),
            source,
        };
        match std::fs::read(path) {
            Ok(bytes) => {
                crate::files::make_private(path).map_err(io)?;
                let key: [u8; 32] = bytes.as_slice().try_into().map_err(|_| {
                    DbError::Corrupt(format!("{} is not a 32-byte key", path.display()))
                })?;
                Ok(InviteKey(key))
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                let key = InviteKey::random()?;
                crate::files::write_private(path, &key.0).map_err(io)?;
                Ok(key)
            }
            Err(e) => Err(io(e)),
        }
    }

    /// The stored form of a normalized invite code.
    pub fn hash(&self, code: &str) -> [u8; 32] {
        let mut h = Sha256::new();
        h.update(self.0);
        h.update(code.as_bytes());
        h.finalize().into()
    }
}

/// A new invite's id: 128 random bits as hex.
/// `text` as an id the server makes ([`new_invite_id`]: 32 hex digits, lowercase), if it
/// has that shape.
pub fn hex_id(text: &str) -> Option<String> {
    (text.len() == 32 && text.bytes().all(|b| b.is_ascii_hexdigit()))
        .then(|| text.to_ascii_lowercase())
}

fn new_invite_id() -> Result<String, DbError> {
    let mut id = [0u8; 16];
    getrandom::fill(&mut id).map_err(|_| DbError::Corrupt("no randomness available".into()))?;
    Ok(id.iter().map(|b| format!("{b:02x}")).collect())
}

/// Bytes of operations one pull page carries at most (at least one operation): a page is
/// built in memory, so its size is bounded whatever the operations hold.
pub const PULL_MAX_BYTES: usize = 1024 * 1024;
/// Open invites (not expired, used up or revoked) one team may have at once.
pub const OPEN_INVITES_MAX: i64 = 20;
/// Invites an admin's list shows: the newest.
pub const INVITES_LISTED: i64 = 50;
/// Days an ended invite stays in the list before it is deleted.
pub const ENDED_INVITES_KEPT_DAYS: u64 = 30;

fn ms(v: u64) -> i64 {
    i64::try_from(v).unwrap_or(i64::MAX)
}

/// `v` as stored JSON.
fn json<T: serde::Serialize>(v: &T) -> Result<String, DbError> {
    serde_json::to_string(v).map_err(|e| DbError::Corrupt(e.to_string()))
}

/// Stored JSON as a `T`.
fn from_json<T: serde::de::DeserializeOwned>(text: &str) -> Result<T, DbError> {
    serde_json::from_str(text).map_err(|e| DbError::Corrupt(e.to_string()))
}

fn register_device(
    tx: &mut dyn Sql,
    team: TeamId,
    d: &NewDevice,
    now_ms: u64,
) -> Result<(), DbError> {
    tx.execute(
        "INSERT INTO devices (id, team_id, member_id, token_hash, admin, label, created_at_ms) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        args![&d.device.to_string(), &team.to_string(), &d.member.to_string(), &d.token_hash, d.admin, &d.label, ms(now_ms)],
    )?;
    Ok(())
}

/// The team's row, locked until the transaction ends: everything a team's limits count (its
/// log's numbers and bytes, its admins, its open invites) is changed by one transaction at a
/// time, on every instance. Its next sequence number and stored bytes; `None` when there is no
/// such team.
fn lock_team(tx: &mut dyn Sql, team: &str) -> Result<Option<(i64, i64)>, DbError> {
    tx.query_opt(
        "SELECT next_seq, bytes FROM teams WHERE id = ?1 FOR UPDATE",
        args![team],
    )?
    .map(|mut r| Ok((r.get(0)?, r.get(1)?)))
    .transpose()
}

/// The latest erasure stamp of `address` in `team`.
fn erasure_stamp(tx: &mut dyn Sql, team: &str, address: &str) -> Result<Option<Stamp>, DbError> {
    value_opt::<String>(
        tx,
        "SELECT stamp FROM erasures WHERE team_id = ?1 AND address_id = ?2",
        args![team, address],
    )?
    .map(|s| from_json(&s))
    .transpose()
}

/// Records an erasure of `address` at `stamp`, keeping the latest; returns the latest.
fn record_erasure(
    tx: &mut dyn Sql,
    team: &str,
    address: &str,
    stamp: Stamp,
) -> Result<Stamp, DbError> {
    let latest = erasure_stamp(tx, team, address)?.map_or(stamp, |e| e.max(stamp));
    tx.execute(
        "INSERT INTO erasures (team_id, address_id, stamp) VALUES (?1, ?2, ?3) ON CONFLICT (team_id, address_id) DO UPDATE SET stamp = excluded.stamp",
        args![team, address, &json(&latest)?],
    )?;
    Ok(latest)
}

/// The stored operations about `address` that still hold personal data.
fn personal_ops(
    tx: &mut dyn Sql,
    team: &str,
    address: &str,
) -> Result<Vec<(i64, Operation)>, DbError> {
    tx.query(
        "SELECT seq, body FROM ops WHERE team_id = ?1 AND address_id = ?2 AND personal = 1",
        args![team, address],
    )?
    .into_iter()
    .map(|mut row| Ok((row.get(0)?, from_json(&row.get::<String>(1)?)?)))
    .collect()
}

/// Strips personal fields from stored operations about `address` made at or before `until`.
/// Operations stripped before are not read again.
fn erase_stored(
    tx: &mut dyn Sql,
    team: &str,
    address: &str,
    until: Stamp,
) -> Result<usize, DbError> {
    let mut changed = 0;
    for (seq, op) in personal_ops(tx, team, address)? {
        if op.stamp() > until {
            continue; // given after the erasure: new data, kept
        }
        store_stripped(tx, team, seq, op)?;
        changed += 1;
    }
    Ok(changed)
}

/// The answer to a retry: the sequence number `op` was stored at, when it was; refused as a
/// conflict when the stored operation under its id is another one.
fn retried(
    tx: &mut dyn Sql,
    team: &str,
    op_id: &str,
    op: &Operation,
    body: &str,
) -> Result<Option<Ack>, PushError> {
    let Some(mut row) = tx.query_opt(
        "SELECT seq, body FROM ops WHERE team_id = ?1 AND op_id = ?2",
        args![team, op_id],
    )?
    else {
        return Ok(None);
    };
    let (seq, stored): (u64, String) = (row.get(0)?, row.get(1)?);
    same_or_conflict(op, body, &stored, seq).map(Some)
}

/// The answer to `op` (as `body`) when the log holds `stored` under its id at `seq`: the same
/// number for the same operation, refused as a conflict for another one. An erasure may have
/// stripped either copy since (the stored one here, or the retried one on the phone): they
/// are compared both stripped.
fn same_or_conflict(op: &Operation, body: &str, stored: &str, seq: u64) -> Result<Ack, PushError> {
    if stored != body && !same_but_personal(stored, op) {
        return Err(PushError::Conflict(op.id));
    }
    Ok(Ack { op: op.id, seq })
}

/// What the log holds already of the operations `ids`: their numbers and stored JSON.
fn stored_ops(
    tx: &mut dyn Sql,
    team: &str,
    ids: &[String],
) -> Result<std::collections::HashMap<String, (u64, String)>, DbError> {
    use std::fmt::Write as _;
    let mut found = std::collections::HashMap::new();
    for chunk in ids.chunks(100) {
        // One lookup by the unique index per id: with `op_id IN (…)` SQLite's planner may walk
        // the team's whole log by its primary key instead.
        let mut sql = String::new();
        for i in 0..chunk.len() {
            let _ = write!(
                sql,
                "{}SELECT op_id, seq, body FROM ops WHERE team_id = ?1 AND op_id = ?{}",
                if i == 0 { "" } else { " UNION ALL " },
                i + 2
            );
        }
        let mut params = vec![Param::Text(team)];
        params.extend(chunk.iter().map(Param::from));
        for mut row in tx.query(&sql, &params)? {
            found.insert(row.get(0)?, (row.get(1)?, row.get(2)?));
        }
    }
    Ok(found)
}

/// Whether storing an operation with `payload` reads or changes what the log holds (so the
/// operations before it must be written first, and it is written at once).
fn reads_log(payload: &Payload) -> bool {
    matches!(
        payload,
        Payload::EraseResident { .. }
            | Payload::ConsentWithdraw { .. }
            | Payload::QuestionAnswer { .. }
            | Payload::MemberRemove { .. }
            | Payload::ProjectPage { .. }
    )
}

/// A new operation of a push, to write.
struct NewOp {
    seq: i64,
    id: String,
    kind: &'static str,
    address: Option<String>,
    body: String,
    personal: bool,
}

/// The new operations of one push by `device` to `team`, written together.
struct NewOps<'a> {
    team: &'a str,
    device: &'a str,
    now_ms: u64,
    rows: Vec<NewOp>,
}

impl NewOps<'_> {
    /// Writes the operations waiting (fifty per statement) and forgets them.
    fn write(&mut self, tx: &mut dyn Sql) -> Result<(), DbError> {
        use std::fmt::Write as _;
        let received = ms(self.now_ms);
        for chunk in self.rows.chunks(50) {
            let mut sql = String::from(
                "INSERT INTO ops (team_id, seq, op_id, device_id, kind, address_id, body, received_at_ms, personal) VALUES ",
            );
            let mut params = Vec::with_capacity(chunk.len() * 9);
            for (i, row) in chunk.iter().enumerate() {
                let p = i * 9;
                let _ = write!(
                    sql,
                    "{}(?{}, ?{}, ?{}, ?{}, ?{}, ?{}, ?{}, ?{}, ?{})",
                    if i == 0 { "" } else { "," },
                    p + 1,
                    p + 2,
                    p + 3,
                    p + 4,
                    p + 5,
                    p + 6,
                    p + 7,
                    p + 8,
                    p + 9
                );
                params.extend([
                    Param::Text(self.team),
                    Param::Int(row.seq),
                    Param::Text(&row.id),
                    Param::Text(self.device),
                    Param::Text(row.kind),
                    Param::from(row.address.as_deref()),
                    Param::Text(&row.body),
                    Param::Int(received),
                    Param::from(row.personal),
                ]);
            }
            // The team's row is locked: no one else writes its log meanwhile, and what it held
            // was read before. A conflict here means something else did.
            sql.push_str(" ON CONFLICT (team_id, op_id) DO NOTHING");
            if tx.execute(&sql, &params)? != chunk.len() as u64 {
                return Err(DbError::Corrupt(
                    "operations of this push were stored by another writer meanwhile".into(),
                ));
            }
        }
        self.rows.clear();
        Ok(())
    }
}

/// Whether `op` is the stored operation `stored` with the personal data stripped from one of
/// them: an erasure stripped the stored copy since, or the phone's waiting copy before the
/// retry. Any other difference is a different operation.
fn same_but_personal(stored: &str, op: &Operation) -> bool {
    let Ok(mut stored) = serde_json::from_str::<Operation>(stored) else {
        return false;
    };
    let mut stripped = op.clone();
    stripped.strip_personal();
    if stripped == stored {
        return true;
    }
    stored.strip_personal();
    stored == *op
}

/// Appends operations to a team's log inside `tx`; see [`Storage::push`]. New operations may
/// bring the team's stored bytes up to `quota` (none: no limit).
fn append(
    tx: &mut dyn Sql,
    team: TeamId,
    device: DeviceId,
    ops: &mut [PreparedOp],
    now_ms: u64,
    quota: Option<u64>,
) -> Result<Pushed, PushError> {
    let team_s = team.to_string();
    let device_s = device.to_string();
    let (mut next, mut bytes) = lock_team(tx, &team_s)?
        .ok_or_else(|| DbError::Corrupt(format!("team {team_s} is not stored")))?;
    let mut acks = Vec::with_capacity(ops.len());
    let first = next;
    // The pushing member and whether they are an admin, read once when an erasure needs it.
    let mut pusher: Option<(String, bool)> = None;
    let mut erasures_now = 0u32;
    // What this push created or found already: naming it again needs no query.
    let mut seen = std::collections::HashSet::new();
    // The latest erasure of each address this push touches, read once.
    let mut erased_at: std::collections::HashMap<String, Option<Stamp>> =
        std::collections::HashMap::new();
    // What this push creates, written together (one statement, not one per operation).
    let mut created_now = Vec::new();
    // Its new operations, written together too, before anything reads the log; and what of
    // it the log holds already (retries), found with one query.
    let mut new_ops = NewOps {
        team: &team_s,
        device: &device_s,
        now_ms,
        rows: Vec::new(),
    };
    let ids: Vec<String> = ops.iter().map(|p| p.op.id.to_string()).collect();
    let stored_before = stored_ops(tx, &team_s, &ids)?;
    let mut in_push = std::collections::HashSet::new();
    for (prepared, op_id) in ops.iter_mut().zip(ids) {
        let op = &mut prepared.op;
        if reads_log(&op.payload) {
            new_ops.write(tx)?;
        }
        if matches!(op.payload, Payload::QuestionAnswer { .. }) {
            insert_entities(tx, &team_s, &mut created_now)?;
        }
        // An answer to a question asked at a door is about that resident: an erasure of the
        // address reaches what it quoted.
        let address = match &op.payload {
            Payload::QuestionAnswer { question, .. } => question_address(tx, &team_s, *question)?,
            _ => op.resident_address().map(|a| a.to_string()),
        };
        let erasure = matches!(op.payload, Payload::EraseResident { .. });
        if let Payload::MemberRemove { member } = op.payload {
            // Leaving (or removing someone) must not leave the team without an admin.
            let member_s = member.to_string();
            let is_admin = tx
                .query_opt(
                    "SELECT 1 FROM devices WHERE team_id = ?1 AND member_id = ?2 AND admin = 1 AND revoked_at_ms IS NULL",
                    args![&team_s, &member_s],
                )?
                .is_some();
            if is_admin && other_admins(tx, &team_s, Some(&member_s), None)? == 0 {
                return Err(PushError::NotAllowed(
                    op.id,
                    "a team keeps at least one admin: make another member admin first",
                ));
            }
        }
        // An operation made before an erasure of its address arrives stripped, so a late or
        // retried push cannot bring erased data back.
        if let Some(a) = &address
            && !erasure
        {
            let latest = match erased_at.get(a) {
                Some(known) => *known,
                None => {
                    let found = erasure_stamp(tx, &team_s, a)?;
                    erased_at.insert(a.clone(), found);
                    found
                }
            };
            if latest.is_some_and(|e| op.stamp() <= e) && op.strip_personal() {
                prepared.body.clear();
            }
        }
        let body = if prepared.body.is_empty() {
            json(&*op)?
        } else {
            std::mem::take(&mut prepared.body)
        };
        // A retry is answered with its number and nothing else is checked: what is stored
        // passed every check when it came. (An operation twice in one push is a retry of the
        // first: the log is written up to it and asked.)
        let known = if in_push.insert(op_id.clone()) {
            match stored_before.get(&op_id) {
                Some((seq, stored)) => Some(same_or_conflict(op, &body, stored, *seq)?),
                None => None,
            }
        } else {
            new_ops.write(tx)?;
            retried(tx, &team_s, &op_id, op, &body)?
        };
        if let Some(ack) = known {
            acks.push(ack);
            continue;
        }
        check_references(tx, &team_s, op, &mut seen)?;
        if erasure {
            let (member, admin) = match &pusher {
                Some(p) => p.clone(),
                None => {
                    // A project's resident page erases for the resident who asks through
                    // their private link; it is no admin.
                    let mut row = tx.query_one(
                        "SELECT member_id, admin FROM devices WHERE id = ?1 AND team_id = ?2
                         UNION ALL SELECT member_id, 0 FROM resident_pages WHERE device_id = ?1 AND team_id = ?2",
                        args![&device_s, &team_s],
                    )?;
                    let found: (String, bool) = (row.get(0)?, row.get(1)?);
                    pusher = Some(found.clone());
                    found
                }
            };
            let limit = buurtbel_core::rules::erasures_per_hour(buurtbel_core::rules::Pusher {
                member: op.author.member,
                admin,
            });
            let in_last_hour: i64 = value(
                tx,
                "SELECT COUNT(*) FROM ops o WHERE o.team_id = ?1 AND o.kind = 'erase_resident' AND o.received_at_ms > ?2 AND o.device_id IN (SELECT id FROM devices WHERE team_id = ?1 AND member_id = ?3 UNION ALL SELECT device_id FROM resident_pages WHERE team_id = ?1 AND member_id = ?3)",
                args![&team_s, ms(now_ms.saturating_sub(3_600_000)), &member],
            )?;
            erasures_now += 1;
            if u64::try_from(in_last_hour).unwrap_or(u64::MAX) + u64::from(erasures_now)
                > u64::from(limit)
            {
                return Err(PushError::ErasureLimit(op.id, limit));
            }
        }
        if erasure && let Some(a) = &address {
            // The erasure must reach everything the server holds of this resident: data stamped
            // after it (a slow clock on the erasing phone, or a phone that had not pulled yet)
            // would be left. The phone stamps it again after the newest and sends it again.
            let newest = personal_ops(tx, &team_s, a)?
                .into_iter()
                .map(|(_, stored)| stored.stamp())
                .max();
            if let Some(newest) = newest.filter(|n| *n > op.stamp()) {
                return Err(PushError::ErasureBehind(op.id, newest.hlc));
            }
        }
        let size = i64::try_from(body.len()).unwrap_or(i64::MAX);
        if let Some(quota) = quota
            && u64::try_from(bytes.saturating_add(size)).unwrap_or(0) > quota
        {
            return Err(PushError::QuotaFull(quota));
        }
        let personal = match &op.payload {
            Payload::QuestionAnswer { answer, .. } => address.is_some() && !answer.is_empty(),
            _ => op.holds_personal(),
        };
        new_ops.rows.push(NewOp {
            seq: next,
            id: op_id,
            kind: op.kind(),
            address: address.clone(),
            body,
            personal,
        });
        if reads_log(&op.payload) {
            new_ops.write(tx)?;
        }
        bytes += size;
        if let Some(created) = op.creates() {
            seen.insert(created);
            created_now.push(NewEntity::of(op, created, next));
        }
        if matches!(op.payload, Payload::ConsentWithdraw { .. }) {
            insert_entities(tx, &team_s, &mut created_now)?;
        }
        after_stored(tx, &team_s, op)?;
        if let Payload::MemberRemove { member } = op.payload {
            if member != op.author.member {
                // Removed by another: any invite code they saw must not bring them back.
                revoke_open_invites(tx, &team_s, now_ms)?;
            }
            // A removed member stays out: their devices are revoked with them.
            tx.execute(
                "UPDATE devices SET revoked_at_ms = COALESCE(revoked_at_ms, ?1) WHERE team_id = ?2 AND member_id = ?3",
                args![ms(now_ms), &team_s, &member.to_string()],
            )?;
            tracing::info!(member = %member, "member removed; their devices are revoked");
        }
        if erasure && let Some(a) = &address {
            let until = record_erasure(tx, &team_s, a, op.stamp())?;
            erased_at.insert(a.clone(), Some(until));
            let n = erase_stored(tx, &team_s, a, until)?;
            tracing::info!(
                operations = n,
                "resident data erased from stored operations"
            );
        }
        acks.push(Ack {
            op: op.id,
            seq: u64::try_from(next).unwrap_or(0),
        });
        next += 1;
    }
    new_ops.write(tx)?;
    insert_entities(tx, &team_s, &mut created_now)?;
    tx.execute(
        "UPDATE teams SET next_seq = ?1, bytes = ?2 WHERE id = ?3",
        args![next, bytes, &team_s],
    )?;
    Ok(Pushed {
        acks,
        stored: usize::try_from(next - first).unwrap_or(0),
    })
}

/// What an engine gives the rules above: transactions, the group its pushes wait in, and what
/// it must do once an erasure is committed. [`Storage`] is implemented once, for every
/// engine, on top of it.
pub trait Backend: Send + Sync + std::fmt::Debug + 'static {
    /// Runs `f` in one transaction, committed when it returns `Ok` (and rolled back when not).
    fn transaction<T, E: From<DbError>>(
        &self,
        f: impl FnOnce(&mut dyn Sql) -> Result<T, E>,
    ) -> Result<T, E>;
    /// Runs `f`'s statements each on its own, outside a transaction (reads, and writes that
    /// may fail without undoing the rest).
    fn statements<T>(
        &self,
        f: impl FnOnce(&mut dyn Sql) -> Result<T, DbError>,
    ) -> Result<T, DbError>;
    /// The key invite codes are hashed with.
    fn invite_key(&self) -> &InviteKey;
    /// Most bytes of operations one team may store (none: no limit).
    fn team_quota(&self) -> Option<u64>;
    /// The group a push to `team` waits in to be committed with others (SQLite has one;
    /// PostgreSQL several, committed side by side, a team always in the same one).
    fn pushes(&self, team: TeamId) -> &Group<PushJob, Result<Pushed, PushError>>;
    /// A transaction that erased a resident's data (or a consent's) was committed.
    fn erased(&self) {}
}

/// Whether `ops` erase anything once stored.
fn erases(ops: &[PreparedOp]) -> bool {
    ops.iter().any(|p| {
        matches!(
            p.op.payload,
            Payload::EraseResident { .. } | Payload::ConsentWithdraw { .. }
        )
    })
}

/// Writes a group of pushes in one transaction, each in a savepoint of its own: a refused push
/// is rolled back alone, and the others are committed with one sync to disk. The pushes are
/// written in the order of their teams (a team's in the order they came), so transactions of
/// several instances lock teams in one order and never wait on each other in a circle.
fn commit_pushes<B: Backend>(
    backend: &B,
    mut jobs: Vec<PushJob>,
) -> Vec<Result<Pushed, PushError>> {
    let mut order: Vec<usize> = (0..jobs.len()).collect();
    order.sort_by_key(|&i| jobs[i].team);
    let quota = backend.team_quota();
    let committed = backend.transaction(|tx| {
        let mut answers: Vec<Option<Result<Pushed, PushError>>> =
            jobs.iter().map(|_| None).collect();
        for &i in &order {
            let job = &mut jobs[i];
            tx.batch("SAVEPOINT push")?;
            let answer = append(tx, job.team, job.device, &mut job.ops, job.now_ms, quota);
            // A failed end leaves the transaction in a state no one can vouch for: nothing of
            // it is kept.
            tx.batch(if answer.is_ok() {
                "RELEASE SAVEPOINT push"
            } else {
                "ROLLBACK TO SAVEPOINT push; RELEASE SAVEPOINT push"
            })?;
            answers[i] = Some(answer);
        }
        Ok::<_, DbError>(answers)
    });
    match committed {
        Ok(answers) => {
            let answers: Vec<_> = answers
                .into_iter()
                .map(|a| a.unwrap_or(Err(PushError::Db(DbError::Task))))
                .collect();
            if answers
                .iter()
                .zip(&jobs)
                .any(|(a, job)| a.is_ok() && erases(&job.ops))
            {
                backend.erased();
            }
            answers
        }
        Err(e) => jobs.iter().map(|_| Err(e.again().into())).collect(),
    }
}

/// Stores a resident page's answer with `f` in a transaction of its own, and lets the engine
/// finish an erasure or a withdrawal it holds, as a push does.
fn page_transaction<B: Backend>(
    backend: &B,
    answer: &mut PageAnswer,
    f: impl FnOnce(&mut dyn Sql, &mut PageAnswer) -> Result<Pushed, PageError>,
) -> Result<Pushed, PageError> {
    let erased = erases(&answer.ops);
    let pushed = backend.transaction(|tx| f(tx, answer))?;
    if erased {
        backend.erased();
    }
    Ok(pushed)
}

impl<B: Backend> Storage for B {
    fn ping(&self) -> Result<(), DbError> {
        self.statements(|tx| tx.query_one("SELECT 1", &[]).map(|_| ()))
    }

    fn create_team(&self, mut new: NewTeam, now_ms: u64) -> Result<String, DbError> {
        self.transaction(|tx| {
            tx.execute(
                "INSERT INTO teams (id, name, neighbourhood, created_at_ms) VALUES (?1, ?2, ?3, ?4)",
                args![&new.team.to_string(), &new.name, &new.neighbourhood, ms(now_ms)],
            )?;
            register_device(tx, new.team, &new.device, now_ms)?;
            let invite = insert_invite(tx, self.invite_key(), new.team, new.device.device, &new.invite, now_ms)?;
            // The server's own few operations for a new team or member are never over a quota.
            append(tx, new.team, new.device.device, &mut new.ops, now_ms, None).map_err(|e| match e {
                PushError::Db(e) => e,
                other => DbError::Corrupt(format!("new team: {other}")),
            })?;
            Ok(invite)
        })
    }

    fn create_invite(
        &self,
        team: TeamId,
        by: DeviceId,
        invite: &NewInvite,
        now_ms: u64,
    ) -> Result<String, AdminError> {
        self.transaction(|tx| {
            let team_s = team.to_string();
            lock_team(tx, &team_s)?;
            let kept_since = now_ms.saturating_sub(ENDED_INVITES_KEPT_DAYS * 86_400_000);
            tx.execute(
                "DELETE FROM invite_codes WHERE team_id = ?1 AND (expires_at_ms < ?2 OR revoked_at_ms < ?2 OR (max_uses IS NOT NULL AND uses >= max_uses AND created_at_ms < ?2))",
                args![&team_s, ms(kept_since)],
            )?;
            let open: i64 = value(
                tx,
                "SELECT COUNT(*) FROM invite_codes WHERE team_id = ?1 AND expires_at_ms > ?2 AND revoked_at_ms IS NULL AND (max_uses IS NULL OR uses < max_uses)",
                args![&team_s, ms(now_ms)],
            )?;
            if open >= OPEN_INVITES_MAX {
                return Err(AdminError::TooManyInvites);
            }
            Ok(insert_invite(tx, self.invite_key(), team, by, invite, now_ms)?)
        })
    }

    fn invite_team(
        &self,
        code: &str,
        now_ms: u64,
    ) -> Result<Option<(TeamId, String, String)>, DbError> {
        let hash = self.invite_key().hash(code);
        self.statements(|tx| open_invite_team(tx, &hash, now_ms))
    }

    fn join(
        &self,
        code: &str,
        device: NewDevice,
        mut ops: Vec<PreparedOp>,
        now_ms: u64,
    ) -> Result<(TeamId, String, String), JoinError> {
        let hash = self.invite_key().hash(code);
        self.transaction(|tx| {
            // One use is taken in the statement that checks there is one left: joins through
            // several instances at once cannot use an invite more often than it allows.
            let team: Uuid = value_opt(
                tx,
                "UPDATE invite_codes SET uses = uses + 1 WHERE code_hash = ?1 AND expires_at_ms > ?2 AND (max_uses IS NULL OR uses < max_uses) AND revoked_at_ms IS NULL RETURNING team_id",
                args![&hash, ms(now_ms)],
            )?
            .ok_or(JoinError::InvalidCode)?;
            let team = TeamId(team);
            let mut row = tx.query_one(
                "SELECT name, neighbourhood FROM teams WHERE id = ?1",
                args![&team.to_string()],
            )?;
            let (name, neighbourhood): (String, String) = (row.get(0)?, row.get(1)?);
            register_device(tx, team, &device, now_ms)?;
            append(tx, team, device.device, &mut ops, now_ms, None).map_err(|e| match e {
                PushError::Db(e) => e,
                other => DbError::Corrupt(format!("join: {other}")),
            })?;
            Ok((team, name, neighbourhood))
        })
    }

    fn authenticate(
        &self,
        token_hash: &[u8; 32],
        now_ms: u64,
    ) -> Result<Result<Device, Refused>, DbError> {
        self.statements(|tx| {
            let found = tx.query_opt(
                "SELECT team_id, id, member_id, admin, revoked_at_ms IS NOT NULL, lost FROM devices WHERE token_hash = ?1",
                args![token_hash],
            )?;
            let Some(mut r) = found else {
                return Ok(Err(Refused::Unknown));
            };
            let auth = Device {
                team: TeamId(r.get(0)?),
                device: DeviceId(r.get(1)?),
                member: MemberId(r.get(2)?),
                admin: r.get(3)?,
            };
            match (r.get::<bool>(4)?, r.get::<bool>(5)?) {
                (true, false) => return Ok(Err(Refused::Unknown)),
                (true, true) => return Ok(Err(Refused::Wiped)),
                (false, _) => {}
            }
            // Seen-times are for the admin's device list; minute precision is plenty and
            // keeps this from writing on every request. Best effort: a full disk must not stop
            // a device from reading (pulling) what is there.
            let seen = tx.execute(
                "UPDATE devices SET last_seen_ms = ?1 WHERE id = ?2 AND (last_seen_ms IS NULL OR last_seen_ms < ?1 - 60000)",
                args![ms(now_ms), &auth.device.to_string()],
            );
            if let Err(e) = seen {
                tracing::warn!(error = %e, "could not note when the device was last seen");
            }
            Ok(Ok(auth))
        })
    }

    fn list_devices(&self, team: TeamId) -> Result<Vec<DeviceView>, DbError> {
        self.statements(|tx| {
            tx.query(
                "SELECT id, member_id, label, admin, created_at_ms, last_seen_ms, revoked_at_ms, lost FROM devices WHERE team_id = ?1 ORDER BY created_at_ms, id",
                args![&team.to_string()],
            )?
            .into_iter()
            .map(|mut r| {
                Ok(DeviceView {
                    id: DeviceId(r.get(0)?),
                    member: MemberId(r.get(1)?),
                    label: r.get(2)?,
                    admin: r.get(3)?,
                    created_at_ms: r.get(4)?,
                    last_seen_ms: r.get(5)?,
                    revoked_at_ms: r.get(6)?,
                    lost: r.get(7)?,
                })
            })
            .collect()
        })
    }

    fn revoke_device(
        &self,
        team: TeamId,
        device: DeviceId,
        lost: bool,
        now_ms: u64,
    ) -> Result<bool, AdminError> {
        self.transaction(|tx| {
            let (team_s, device_s) = (team.to_string(), device.to_string());
            lock_team(tx, &team_s)?;
            let found: Option<bool> = value_opt(
                tx,
                "SELECT admin = 1 AND revoked_at_ms IS NULL FROM devices WHERE id = ?1 AND team_id = ?2",
                args![&device_s, &team_s],
            )?;
            let Some(live_admin) = found else {
                return Ok(false);
            };
            if live_admin && other_admins(tx, &team_s, None, Some(&device_s))? == 0 {
                return Err(AdminError::LastAdmin);
            }
            tx.execute(
                "UPDATE devices SET revoked_at_ms = COALESCE(revoked_at_ms, ?1), lost = CASE WHEN ?4 = 1 THEN 1 ELSE lost END WHERE id = ?2 AND team_id = ?3",
                args![ms(now_ms), &device_s, &team_s, lost],
            )?;
            if lost {
                // The lost phone may still show an invite code: whoever finds it must not get in.
                revoke_open_invites(tx, &team_s, now_ms)?;
            }
            Ok(true)
        })
    }

    fn list_invites(&self, team: TeamId) -> Result<Vec<InviteInfo>, DbError> {
        self.statements(|tx| {
            tx.query(
                "SELECT id, created_at_ms, expires_at_ms, max_uses, uses, revoked_at_ms IS NOT NULL FROM invite_codes WHERE team_id = ?1 ORDER BY created_at_ms DESC, id LIMIT ?2",
                args![&team.to_string(), INVITES_LISTED],
            )?
            .into_iter()
            .map(|mut r| {
                Ok(InviteInfo {
                    id: r.get(0)?,
                    created_at_ms: r.get(1)?,
                    expires_at_ms: r.get(2)?,
                    max_uses: r.get(3)?,
                    uses: r.get(4)?,
                    revoked: r.get(5)?,
                })
            })
            .collect()
        })
    }

    fn revoke_invite(&self, team: TeamId, which: &InviteRef, now_ms: u64) -> Result<bool, DbError> {
        let hash;
        let (sql, value) = match which {
            InviteRef::Id(id) => (
                "UPDATE invite_codes SET revoked_at_ms = COALESCE(revoked_at_ms, ?1) WHERE id = ?2 AND team_id = ?3",
                Param::Text(id),
            ),
            InviteRef::Code(code) => {
                hash = self.invite_key().hash(code);
                (
                    "UPDATE invite_codes SET revoked_at_ms = COALESCE(revoked_at_ms, ?1) WHERE code_hash = ?2 AND team_id = ?3",
                    Param::Blob(&hash),
                )
            }
        };
        self.statements(|tx| {
            Ok(tx.execute(
                sql,
                &[
                    Param::Int(ms(now_ms)),
                    value,
                    Param::Text(&team.to_string()),
                ],
            )? > 0)
        })
    }

    fn set_admin(&self, team: TeamId, member: MemberId, admin: bool) -> Result<bool, AdminError> {
        self.transaction(|tx| {
            let (team_s, member_s) = (team.to_string(), member.to_string());
            lock_team(tx, &team_s)?;
            let devices: i64 = value(
                tx,
                "SELECT COUNT(*) FROM devices WHERE team_id = ?1 AND member_id = ?2 AND revoked_at_ms IS NULL",
                args![&team_s, &member_s],
            )?;
            if devices == 0 {
                return Ok(false);
            }
            if !admin && other_admins(tx, &team_s, Some(&member_s), None)? == 0 {
                return Err(AdminError::LastAdmin);
            }
            tx.execute(
                "UPDATE devices SET admin = ?1 WHERE team_id = ?2 AND member_id = ?3",
                args![admin, &team_s, &member_s],
            )?;
            Ok(true)
        })
    }

    fn push(
        &self,
        team: TeamId,
        device: DeviceId,
        ops: Vec<PreparedOp>,
        now_ms: u64,
    ) -> Result<Pushed, PushError> {
        let job = PushJob {
            team,
            device,
            ops,
            now_ms,
        };
        self.pushes(team).submit(
            job,
            |jobs| commit_pushes(self, jobs),
            || Err(PushError::Db(DbError::Task)),
        )
    }

    fn pull(
        &self,
        team: TeamId,
        after: u64,
        limit: u32,
    ) -> Result<(Vec<(u64, String)>, bool), DbError> {
        self.statements(|tx| {
            let found = tx.query(
                "SELECT seq, body FROM ops WHERE team_id = ?1 AND seq > ?2 ORDER BY seq LIMIT ?3",
                args![&team.to_string(), ms(after), i64::from(limit) + 1],
            )?;
            let mut rows: Vec<(u64, String)> = Vec::new();
            let mut bytes = 0usize;
            for mut r in found {
                let body: String = r.get(1)?;
                if rows.len() == limit as usize
                    || (!rows.is_empty() && bytes + body.len() > PULL_MAX_BYTES)
                {
                    return Ok((rows, true));
                }
                bytes += body.len();
                rows.push((r.get(0)?, body));
            }
            Ok((rows, false))
        })
    }

    fn page(&self, code: &str) -> Result<Option<Page>, DbError> {
        self.statements(|tx| resident::page(tx, code))
    }

    fn answer_page(
        &self,
        code: &str,
        mut answer: PageAnswer,
        per_hour: u32,
        now_ms: u64,
    ) -> Result<Pushed, PageError> {
        let quota = self.team_quota();
        page_transaction(self, &mut answer, |tx, answer| {
            resident::record_new(tx, code, answer, per_hour, now_ms, quota)
        })
    }

    fn page_answer(&self, token_hash: &[u8; 32]) -> Result<Option<StoredAnswer>, DbError> {
        self.statements(|tx| resident::answer(tx, token_hash))
    }

    fn change_page_answer(&self, mut answer: PageAnswer, now_ms: u64) -> Result<Pushed, PageError> {
        let quota = self.team_quota();
        page_transaction(self, &mut answer, |tx, answer| {
            resident::record_change(tx, answer, now_ms, quota)
        })
    }

    fn add_coach(
        &self,
        organisation: &str,
        name: &str,
        code: &str,
        link_hash: &[u8; 32],
        now_ms: u64,
    ) -> Result<Coach, DbError> {
        self.transaction(|tx| coach::add_coach(tx, organisation, name, code, link_hash, now_ms))
    }

    fn add_coach_link(
        &self,
        organisation: &str,
        coach: Option<&str>,
        hash: &[u8; 32],
        now_ms: u64,
    ) -> Result<(), DbError> {
        self.statements(|tx| coach::insert_link(tx, organisation, coach, hash, now_ms))
    }

    fn coach_link(&self, hash: &[u8; 32], now_ms: u64) -> Result<Option<CoachLink>, DbError> {
        self.statements(|tx| coach::link(tx, hash, now_ms))
    }

    fn use_coach_link(
        &self,
        link_hash: &[u8; 32],
        name: Option<&str>,
        code: &str,
        session_hash: &[u8; 32],
        now_ms: u64,
    ) -> Result<Option<Coach>, DbError> {
        self.transaction(|tx| coach::use_link(tx, link_hash, name, code, session_hash, now_ms))
    }

    fn coach_session(&self, hash: &[u8; 32], now_ms: u64) -> Result<Option<Coach>, DbError> {
        self.statements(|tx| coach::by_session(tx, hash, now_ms))
    }

    fn end_coach_session(&self, hash: &[u8; 32], now_ms: u64) -> Result<(), DbError> {
        self.statements(|tx| coach::end_session(tx, hash, now_ms))
    }

    fn coach_teams(&self, coach: &str) -> Result<Vec<TeamId>, DbError> {
        self.statements(|tx| coach::teams(tx, coach))
    }

    fn coach_may_see(&self, coach: &str, team: TeamId) -> Result<bool, DbError> {
        self.statements(|tx| coach::may_see(tx, coach, team))
    }

    fn grant_coach(
        &self,
        team: TeamId,
        code: &str,
        by: MemberId,
        now_ms: u64,
    ) -> Result<Option<Looker>, DbError> {
        self.transaction(|tx| coach::grant(tx, team, code, by, now_ms))
    }

    fn withdraw_coach(&self, team: TeamId, coach: &str, now_ms: u64) -> Result<bool, DbError> {
        self.statements(|tx| coach::withdraw(tx, team, coach, now_ms))
    }

    fn team_coaches(&self, team: TeamId) -> Result<Vec<Looker>, DbError> {
        self.statements(|tx| coach::lookers(tx, team))
    }

    fn coach_append(
        &self,
        coach: &str,
        team: TeamId,
        op: PreparedOp,
        now_ms: u64,
    ) -> Result<Option<Pushed>, PushError> {
        let quota = self.team_quota();
        self.transaction(|tx| {
            if !coach::may_see(tx, coach, team)? {
                return Ok(None);
            }
            let device = op.op.author.device;
            Ok(Some(append(tx, team, device, &mut [op], now_ms, quota)?))
        })
    }

    fn introduce(
        &self,
        coach: &str,
        team: TeamId,
        new: &NewIntroduction,
        now_ms: u64,
    ) -> Result<Option<String>, DbError> {
        self.transaction(|tx| coach::introduce(tx, coach, team, new, now_ms))
    }

    fn introductions(
        &self,
        team: TeamId,
        coach: Option<&str>,
    ) -> Result<Vec<Introduction>, DbError> {
        self.statements(|tx| coach::introductions(tx, team, coach))
    }

    fn introduction_invited(&self, team: TeamId, id: &str, now_ms: u64) -> Result<bool, DbError> {
        self.statements(|tx| coach::invited(tx, team, id, now_ms))
    }

    fn forget_introduction(
        &self,
        team: TeamId,
        id: &str,
        coach: Option<&str>,
    ) -> Result<bool, DbError> {
        self.statements(|tx| coach::forget_introduction(tx, team, id, coach))
    }

    fn save_plan(
        &self,
        organisation: &str,
        coach: &str,
        id: Option<&str>,
        plan: &OrgPlan,
        now_ms: u64,
    ) -> Result<Option<(String, u32)>, DbError> {
        self.transaction(|tx| plans::save(tx, organisation, coach, id, plan, now_ms))
    }

    fn plans(&self, organisation: &str) -> Result<Vec<StoredPlan>, DbError> {
        self.statements(|tx| plans::latest(tx, organisation))
    }

    fn plan_versions(&self, organisation: &str, id: &str) -> Result<Vec<StoredPlan>, DbError> {
        self.statements(|tx| plans::versions(tx, organisation, id))
    }

    fn team_plans(&self, team: TeamId) -> Result<Vec<StoredPlan>, DbError> {
        self.statements(|tx| plans::for_team(tx, team))
    }

    fn team_plan_versions(&self, team: TeamId, id: &str) -> Result<Vec<StoredPlan>, DbError> {
        self.statements(|tx| plans::versions_for_team(tx, team, id))
    }

    fn bucket_level(
        &self,
        bucket: &str,
        burst: u32,
        refill_ms: u64,
        now_ms: u64,
    ) -> Result<u64, DbError> {
        let key = self.invite_key().hash(bucket);
        let rule = Bucket { burst, refill_ms };
        self.statements(|tx| {
            let stored = tx.query_opt(
                "SELECT milli, at_ms FROM rate_buckets WHERE key = ?1",
                args![&key],
            )?;
            Ok(match stored {
                Some(mut row) => rule.level(row.get(0)?, row.get(1)?, now_ms),
                None => rule.full(),
            })
        })
    }

    fn bucket_take(
        &self,
        bucket: &str,
        burst: u32,
        refill_ms: u64,
        now_ms: u64,
    ) -> Result<bool, DbError> {
        let key = self.invite_key().hash(bucket);
        let rule = Bucket { burst, refill_ms };
        self.transaction(|tx| {
            // A full bucket unless there is one; then its row, locked until this is counted.
            tx.execute(
                "INSERT INTO rate_buckets (key, milli, at_ms) VALUES (?1, ?2, ?3) ON CONFLICT DO NOTHING",
                args![&key, rule.full(), ms(now_ms)],
            )?;
            let mut row = tx.query_one(
                "SELECT milli, at_ms FROM rate_buckets WHERE key = ?1 FOR UPDATE",
                args![&key],
            )?;
            let level = rule.level(row.get(0)?, row.get(1)?, now_ms);
            let taken = level >= 1_000;
            let left = if taken { level - 1_000 } else { level };
            tx.execute(
                "UPDATE rate_buckets SET milli = ?2, at_ms = ?3 WHERE key = ?1",
                args![&key, left, ms(now_ms)],
            )?;
            // Buckets full again are forgotten: no row per address stays for long.
            tx.execute(
                "DELETE FROM rate_buckets WHERE at_ms < ?1",
                args![ms(now_ms.saturating_sub(BUCKETS_KEPT_MS))],
            )?;
            Ok(taken)
        })
    }
}

/// How long a rate bucket is kept after its last use: longer than any bucket takes to fill.
const BUCKETS_KEPT_MS: u64 = 24 * 3_600_000;

/// A token bucket's rule: full at `burst`, one back every `refill_ms`.
struct Bucket {
    burst: u32,
    refill_ms: u64,
}

impl Bucket {
    /// A full bucket, in thousandths.
    fn full(&self) -> u64 {
        u64::from(self.burst) * 1_000
    }

    /// What a bucket holding `milli` at `at_ms` holds at `now_ms`.
    fn level(&self, milli: u64, at_ms: u64, now_ms: u64) -> u64 {
        let back = now_ms.saturating_sub(at_ms).saturating_mul(1_000) / self.refill_ms.max(1);
        milli.saturating_add(back).min(self.full())
    }
}

fn insert_invite(
    tx: &mut dyn Sql,
    key: &InviteKey,
    team: TeamId,
    by: DeviceId,
    invite: &NewInvite,
    now_ms: u64,
) -> Result<String, DbError> {
    let id = new_invite_id()?;
    tx.execute(
        "INSERT INTO invite_codes (id, code_hash, team_id, created_by, created_at_ms, expires_at_ms, max_uses) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        args![&id, &key.hash(&invite.code), &team.to_string(), &by.to_string(), ms(now_ms), ms(invite.expires_at_ms), invite.max_uses],
    )?;
    Ok(id)
}

/// Appends `op` (an erasure or a withdrawal from a replaced database) to `team`'s restored
/// log, unless the team or what it ends is not there or it is there already. `true` when
/// appended.
pub(crate) fn append_carried(
    tx: &mut dyn Sql,
    team: &str,
    device: &str,
    op: &Operation,
    now_ms: u64,
) -> Result<bool, DbError> {
    let Some((next, bytes)) = lock_team(tx, team)? else {
        return Ok(false);
    };
    let op_id = op.id.to_string();
    if has_op(tx, team, &op_id)? || !reaches_something(tx, team, op)? {
        return Ok(false);
    }
    let body = json(op)?;
    tx.execute(
        "INSERT INTO ops (team_id, seq, op_id, device_id, kind, address_id, body, received_at_ms, personal) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, 0)",
        args![team, next, &op_id, device, op.kind(), &op.resident_address().map(|a| a.to_string()), &body, ms(now_ms)],
    )?;
    after_stored(tx, team, op)?;
    tx.execute(
        "UPDATE teams SET next_seq = ?1, bytes = ?2 WHERE id = ?3",
        args![
            next + 1,
            bytes + i64::try_from(body.len()).unwrap_or(0),
            team
        ],
    )?;
    Ok(true)
}

/// Records the erasure of `address` at `stamp` in `team` again and strips what it reaches;
/// `false` when the team is not in this database.
pub(crate) fn reapply_erasure(
    tx: &mut dyn Sql,
    team: &str,
    address: &str,
    stamp: Stamp,
) -> Result<bool, DbError> {
    if lock_team(tx, team)?.is_none() {
        return Ok(false);
    }
    let until = record_erasure(tx, team, address, stamp)?;
    erase_stored(tx, team, address, until)?;
    Ok(true)
}

/// Ends every open invite of `team`: after a member is removed or a phone is lost, a code they
/// saw must not let anyone in.
fn revoke_open_invites(tx: &mut dyn Sql, team: &str, now_ms: u64) -> Result<u64, DbError> {
    tx.execute(
        "UPDATE invite_codes SET revoked_at_ms = ?1 WHERE team_id = ?2 AND revoked_at_ms IS NULL AND expires_at_ms > ?1",
        args![ms(now_ms), team],
    )
}

/// Something an operation created, to note in `entities`.
struct NewEntity {
    id: Uuid,
    kind: &'static str,
    seq: i64,
    /// Where a question was asked, when it carries an address.
    address: Option<String>,
}

impl NewEntity {
    fn of(
        op: &Operation,
        (entity, id): (buurtbel_core::rules::Entity, Uuid),
        seq: i64,
    ) -> NewEntity {
        let address = match &op.payload {
            Payload::QuestionAsk { address, .. } => address.map(|a| a.to_string()),
            _ => None,
        };
        NewEntity {
            id,
            kind: entity.name(),
            seq,
            address,
        }
    }
}

/// Notes what `op` (stored at `seq`) created.
fn note_entities(tx: &mut dyn Sql, team: &str, seq: i64, op: &Operation) -> Result<(), DbError> {
    if let Some(created) = op.creates() {
        insert_entities(tx, team, &mut vec![NewEntity::of(op, created, seq)])?;
    }
    Ok(())
}

/// The statement that writes `n` rows to `entities`.
fn insert_entities_sql(n: usize) -> String {
    use std::fmt::Write as _;
    let mut sql = String::from("INSERT INTO entities (id, team_id, kind, seq, address_id) VALUES ");
    for i in 0..n {
        let p = i * 5;
        let comma = if i == 0 { "" } else { "," };
        let _ = write!(
            sql,
            "{comma}(?{}, ?{}, ?{}, ?{}, ?{})",
            p + 1,
            p + 2,
            p + 3,
            p + 4,
            p + 5
        );
    }
    sql.push_str(" ON CONFLICT DO NOTHING");
    sql
}

/// Writes `rows` to `entities` (a hundred per statement) and empties it.
fn insert_entities(tx: &mut dyn Sql, team: &str, rows: &mut Vec<NewEntity>) -> Result<(), DbError> {
    for chunk in rows.chunks(100) {
        let mut values = Vec::with_capacity(chunk.len() * 5);
        for row in chunk {
            values.extend([
                Param::Blob(row.id.as_bytes()),
                Param::Text(team),
                Param::Text(row.kind),
                Param::Int(row.seq),
                Param::from(row.address.as_deref()),
            ]);
        }
        tx.execute(&insert_entities_sql(chunk.len()), &values)?;
    }
    rows.clear();
    Ok(())
}

/// Refuses `op` when it names anything the team never created. `seen` holds what is known to
/// exist already, and learns what this finds.
fn check_references(
    tx: &mut dyn Sql,
    team: &str,
    op: &Operation,
    seen: &mut std::collections::HashSet<(buurtbel_core::rules::Entity, Uuid)>,
) -> Result<(), PushError> {
    for r in op.references() {
        if seen.contains(&(r.entity, r.id)) {
            continue;
        }
        if !has_entity(tx, team, r.entity.name(), r.id)? {
            return Err(PushError::UnknownReference(op.id, r.field, r.entity.name()));
        }
        seen.insert((r.entity, r.id));
    }
    Ok(())
}

/// Whether `team` created the `kind` with `id`.
fn has_entity(tx: &mut dyn Sql, team: &str, kind: &str, id: Uuid) -> Result<bool, DbError> {
    Ok(tx
        .query_opt(
            "SELECT 1 FROM entities WHERE id = ?3 AND team_id = ?1 AND kind = ?2",
            args![team, kind, id.as_bytes()],
        )?
        .is_some())
}

/// The address a question was asked at, when it carries one.
fn question_address(
    tx: &mut dyn Sql,
    team: &str,
    question: QuestionId,
) -> Result<Option<String>, DbError> {
    Ok(value_opt::<Option<String>>(
        tx,
        "SELECT address_id FROM entities WHERE id = ?2 AND team_id = ?1 AND kind = 'question'",
        args![team, question.0.as_bytes()],
    )?
    .flatten())
}

/// What a stored operation changes in operations stored before it: a withdrawn consent keeps
/// no name, phone or e-mail.
fn after_stored(tx: &mut dyn Sql, team: &str, op: &Operation) -> Result<(), DbError> {
    if let Payload::ProjectPage { project, open } = &op.payload {
        set_page(tx, team, *project, *open, op.stamp())?;
    }
    if let Payload::ConsentWithdraw { consent, .. } = &op.payload {
        let seq: Option<i64> = value_opt(
            tx,
            "SELECT seq FROM entities WHERE id = ?2 AND team_id = ?1 AND kind = 'consent'",
            args![team, consent.0.as_bytes()],
        )?;
        if let Some(seq) = seq {
            strip_stored(tx, team, seq)?;
        }
    }
    Ok(())
}

/// Strips the personal fields of the stored operation at `seq`.
fn strip_stored(tx: &mut dyn Sql, team: &str, seq: i64) -> Result<(), DbError> {
    let body: Option<String> = value_opt(
        tx,
        "SELECT body FROM ops WHERE team_id = ?1 AND seq = ?2 AND personal = 1",
        args![team, seq],
    )?;
    if let Some(body) = body {
        store_stripped(tx, team, seq, from_json(&body)?)?;
    }
    Ok(())
}

/// Stores `op`, the operation at `seq`, without its personal fields.
fn store_stripped(
    tx: &mut dyn Sql,
    team: &str,
    seq: i64,
    mut op: Operation,
) -> Result<(), DbError> {
    op.strip_personal();
    tx.execute(
        "UPDATE ops SET body = ?1, personal = 0 WHERE team_id = ?2 AND seq = ?3",
        args![&json(&op)?, team, seq],
    )?;
    Ok(())
}

/// Whether the operation `op_id` is in `team`'s log.
fn has_op(tx: &mut dyn Sql, team: &str, op_id: &str) -> Result<bool, DbError> {
    Ok(tx
        .query_opt(
            "SELECT 1 FROM ops WHERE team_id = ?1 AND op_id = ?2",
            args![team, op_id],
        )?
        .is_some())
}

/// Whether `op` ends something the restored log holds (an erasure of a known address, a
/// withdrawal of a known consent); others have nothing to reach.
fn reaches_something(tx: &mut dyn Sql, team: &str, op: &Operation) -> Result<bool, DbError> {
    let Some(r) = op.references().into_iter().next() else {
        return Ok(false);
    };
    Ok(has_entity(tx, team, r.entity.name(), r.id)?
        && matches!(
            op.payload,
            Payload::EraseResident { .. } | Payload::ConsentWithdraw { .. }
        ))
}
