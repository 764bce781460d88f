//! Storage: the narrow interface the HTTP layer uses ([`Storage`]) and its SQLite
//! implementation (one file in WAL mode, migrated at start).
//!
//! SQLite takes one writer at a time, so the implementation keeps one connection behind a
//! mutex; the HTTP layer calls storage on tokio's blocking pool and never blocks the runtime.
//! Pushes that arrive while another is being written are committed together
//! ([`crate::commit`]): one transaction and one sync to disk for the group, each push in a
//! savepoint of its own so a refused one takes nothing of the others with it. A PostgreSQL
//! implementation of the same trait, for larger deployments, is planned.
//!
//! **Invariant:** every method that reads or writes team data takes the team id of the
//! authenticated device and scopes every query by it.

use std::path::Path;
use std::sync::{Arc, Mutex};

use buurtbel_core::ids::{DeviceId, MemberId, OpId, QuestionId, TeamId};
use buurtbel_core::op::{Operation, Payload, Stamp};
use buurtbel_core::plans::OrgPlan;
use buurtbel_core::protocol::{Ack, DeviceView, Introduction, InviteInfo};
use rusqlite::{Connection, OptionalExtension, params};
use sha2::{Digest, Sha256};
use uuid::Uuid;

use crate::commit::Group;

pub mod coach;
pub mod plans;
mod resident;
pub use coach::{Coach, CoachLink, Looker, NewIntroduction};
pub use plans::StoredPlan;
use resident::set_page;
pub use resident::{Page, PageAnswer, PageError, StoredAnswer};

/// One step of the schema: SQL, or SQL followed by a step in Rust for what SQLite cannot do
/// (hashing, decoding operations).
enum Migration {
    Sql(&'static str),
    Rust(
        &'static str,
        fn(&rusqlite::Transaction<'_>, &InviteKey) -> Result<(), DbError>,
    ),
}

/// Migrations, applied in order; each runs once, in a transaction. Never edit a released one:
/// add a new one.
const MIGRATIONS: &[Migration] = &[
    // 1: facts about this server, such as when it was first started.
    Migration::Sql("CREATE TABLE server_info (key TEXT PRIMARY KEY, value TEXT NOT NULL) STRICT;"),
    // 2: teams, their devices and invites, and each team's operation log.
    Migration::Sql("CREATE TABLE teams (
        id TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        neighbourhood TEXT NOT NULL,
        created_at_ms INTEGER NOT NULL,
        next_seq INTEGER NOT NULL DEFAULT 1
    ) STRICT;
    CREATE TABLE devices (
        id TEXT PRIMARY KEY,
        team_id TEXT NOT NULL REFERENCES teams(id),
        member_id TEXT NOT NULL,
        token_hash BLOB NOT NULL UNIQUE,
        admin INTEGER NOT NULL,
        label TEXT NOT NULL,
        created_at_ms INTEGER NOT NULL,
        last_seen_ms INTEGER,
        revoked_at_ms INTEGER
    ) STRICT;
    CREATE INDEX devices_by_team ON devices(team_id);
    CREATE TABLE invites (
        code TEXT PRIMARY KEY,
        team_id TEXT NOT NULL REFERENCES teams(id),
        created_by TEXT NOT NULL,
        created_at_ms INTEGER NOT NULL,
        expires_at_ms INTEGER NOT NULL,
        max_uses INTEGER,
        uses INTEGER NOT NULL DEFAULT 0
    ) STRICT;
    CREATE TABLE ops (
        team_id TEXT NOT NULL REFERENCES teams(id),
        seq INTEGER NOT NULL,
        op_id TEXT NOT NULL,
        device_id TEXT NOT NULL,
        kind TEXT NOT NULL,
        address_id TEXT,
        body TEXT NOT NULL,
        received_at_ms INTEGER NOT NULL,
        PRIMARY KEY (team_id, seq)
    ) STRICT, WITHOUT ROWID;
    CREATE UNIQUE INDEX ops_by_id ON ops(team_id, op_id);
    CREATE INDEX ops_by_address ON ops(team_id, address_id);
    -- The latest erasure per address, so every pushed visit or consent checks it in one lookup.
    CREATE TABLE erasures (
        team_id TEXT NOT NULL REFERENCES teams(id),
        address_id TEXT NOT NULL,
        stamp TEXT NOT NULL,
        PRIMARY KEY (team_id, address_id)
    ) STRICT, WITHOUT ROWID;"),
    // 3: a device revoked as lost is told to delete the team's data when it next asks.
    Migration::Sql("ALTER TABLE devices ADD COLUMN lost INTEGER NOT NULL DEFAULT 0;"),
    // 4: which stored operations still hold a resident's personal data, so an erasure reads
    // only those (and erasing an address again reads nothing already stripped).
    Migration::Sql("ALTER TABLE ops ADD COLUMN personal INTEGER NOT NULL DEFAULT 0;
    UPDATE ops SET personal = 1 WHERE kind IN ('visit_log', 'consent_give');"),
    // 5: the bytes of operations each team has stored, for the per-team quota.
    Migration::Sql("ALTER TABLE teams ADD COLUMN bytes INTEGER NOT NULL DEFAULT 0;
    UPDATE teams SET bytes = (SELECT COALESCE(SUM(LENGTH(body)), 0) FROM ops WHERE ops.team_id = teams.id);"),
    // 6: admins revoke invites.
    Migration::Sql("ALTER TABLE invites ADD COLUMN revoked_at_ms INTEGER;
    CREATE INDEX invites_by_team ON invites(team_id);"),
    // 7: invite codes kept only as keyed hashes, under an id; what each team has created (so a
    // reference to anything else is refused) and, for questions, the address they were asked
    // at; erasures per member and hour found without reading the log.
    Migration::Rust(
        "CREATE TABLE invite_codes (
            id TEXT PRIMARY KEY,
            code_hash BLOB NOT NULL UNIQUE,
            team_id TEXT NOT NULL REFERENCES teams(id),
            created_by TEXT NOT NULL,
            created_at_ms INTEGER NOT NULL,
            expires_at_ms INTEGER NOT NULL,
            max_uses INTEGER,
            uses INTEGER NOT NULL DEFAULT 0,
            revoked_at_ms INTEGER
        ) STRICT;
        CREATE INDEX invite_codes_by_team ON invite_codes(team_id, created_at_ms);
        -- Keyed by the id's 16 bytes alone: ids are UUID v7, so new rows of every team go to
        -- the end of one B-tree (a push writes one page of it, not one per team).
        CREATE TABLE entities (
            id BLOB PRIMARY KEY,
            team_id TEXT NOT NULL,
            kind TEXT NOT NULL,
            seq INTEGER NOT NULL,
            address_id TEXT
        ) STRICT, WITHOUT ROWID;
        CREATE INDEX ops_erasures ON ops(team_id, received_at_ms) WHERE kind = 'erase_resident';",
        migrate_hash_invites_and_list_entities,
    ),
    // 8: projects' resident pages (open or closed, by the latest `project_page` of the log;
    // the member and device the page's answers are recorded as) and the answers residents
    // sent there, found by the hash of their private link's token.
    Migration::Sql("CREATE TABLE resident_pages (
        code TEXT PRIMARY KEY,
        team_id TEXT NOT NULL REFERENCES teams(id),
        project_id TEXT NOT NULL,
        open INTEGER NOT NULL,
        stamp TEXT NOT NULL,
        member_id TEXT NOT NULL,
        device_id TEXT NOT NULL UNIQUE
    ) STRICT;
    CREATE TABLE resident_answers (
        token_hash BLOB PRIMARY KEY,
        code TEXT NOT NULL REFERENCES resident_pages(code),
        team_id TEXT NOT NULL,
        address_id TEXT NOT NULL,
        visit_id TEXT,
        consent_id TEXT,
        created_at_ms INTEGER NOT NULL,
        changed_at_ms INTEGER NOT NULL
    ) STRICT;
    CREATE INDEX resident_answers_by_page ON resident_answers(code, created_at_ms);"),
    // 9: organisations, their coaches, coaches' sign-in links and sessions, and the teams
    // that let a coach look along.
    Migration::Sql(coach::MIGRATION),
    // 10: volunteers coaches introduce to teams.
    Migration::Sql(coach::INTRODUCTIONS),
    // 11: organisations' own step plans, every version kept.
    Migration::Sql(plans::MIGRATION),
];

/// Rewrites the plain invite codes as keyed hashes, and lists what each team's log created;
/// withdrawn consents and answers to questions asked at an erased address lose their text as
/// they would now.
fn migrate_hash_invites_and_list_entities(
    tx: &rusqlite::Transaction<'_>,
    key: &InviteKey,
) -> Result<(), DbError> {
    let codes: Vec<String> = tx
        .prepare("SELECT code FROM invites")?
        .query_map([], |r| r.get(0))?
        .collect::<Result<_, _>>()?;
    for code in codes {
        tx.execute(
            "INSERT INTO invite_codes (id, code_hash, team_id, created_by, created_at_ms, expires_at_ms, max_uses, uses, revoked_at_ms)
             SELECT ?1, ?2, team_id, created_by, created_at_ms, expires_at_ms, max_uses, uses, revoked_at_ms FROM invites WHERE code = ?3",
            params![new_invite_id()?, key.hash(&code).as_slice(), code],
        )?;
    }
    tx.execute_batch("DROP TABLE invites;")?;
    let ops: Vec<(String, i64, String)> = tx
        .prepare("SELECT team_id, seq, body FROM ops ORDER BY team_id, seq")?
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
        .collect::<Result<_, _>>()?;
    for (team, seq, body) in ops {
        let op: Operation =
            serde_json::from_str(&body).map_err(|e| DbError::Corrupt(e.to_string()))?;
        note_entities(tx, &team, seq, &op)?;
        after_stored(tx, &team, &op)?;
        if let Payload::QuestionAnswer { question, answer } = &op.payload
            && let Some(address) = question_address(tx, &team, *question)?
        {
            tx.execute(
                "UPDATE ops SET address_id = ?1, personal = ?2 WHERE team_id = ?3 AND seq = ?4",
                params![address, !answer.is_empty(), team, seq],
            )?;
            if erasure_stamp(tx, &team, &address)?.is_some_and(|e| op.stamp() <= e) {
                strip_stored(tx, &team, seq)?;
            }
        }
    }
    Ok(())
}

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
    conn: &Connection,
    hash: &[u8],
    now_ms: u64,
) -> Result<Option<(TeamId, String, String)>, DbError> {
    Ok(conn
        .query_row(
            "SELECT t.id, t.name, t.neighbourhood FROM invite_codes i JOIN teams t ON t.id = i.team_id
             WHERE i.code_hash = ?1 AND i.expires_at_ms > ?2 AND (i.max_uses IS NULL OR i.uses < i.max_uses) AND i.revoked_at_ms IS NULL",
            params![hash, ms(now_ms)],
            |r| Ok((TeamId(uuid_col(r, 0)?), r.get(1)?, r.get(2)?)),
        )
        .optional()?)
}

/// SQLite's error `e` as a storage failure; made again for every push of a group it failed.
fn shared(e: &rusqlite::Error) -> DbError {
    if e.sqlite_error_code() == Some(rusqlite::ErrorCode::DiskFull) {
        DbError::Full(e.to_string())
    } else {
        DbError::Failed(e.to_string())
    }
}

impl From<rusqlite::Error> for DbError {
    fn from(e: rusqlite::Error) -> DbError {
        shared(&e)
    }
}

impl DbError {
    /// The disk (or the database's size limit) is full: nothing could be written.
    pub fn is_full(&self) -> bool {
        matches!(self, DbError::Full(_))
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

impl From<rusqlite::Error> for AdminError {
    fn from(e: rusqlite::Error) -> AdminError {
        AdminError::Db(e.into())
    }
}

/// The members of `team` with a device that is admin and not revoked, except `leaving`.
fn other_admins(
    tx: &Connection,
    team: &str,
    leaving_member: Option<&str>,
    leaving_device: Option<&str>,
) -> Result<i64, DbError> {
    Ok(tx.query_row(
        "SELECT COUNT(DISTINCT member_id) FROM devices WHERE team_id = ?1 AND admin = 1 AND revoked_at_ms IS NULL AND member_id IS NOT ?2 AND id IS NOT ?3",
        params![team, leaving_member, leaving_device],
        |r| r.get(0),
    )?)
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
}

/// The SQLite implementation of [`Storage`].
#[derive(Debug)]
pub struct Sqlite {
    conn: Arc<Mutex<Connection>>,
    /// Most bytes of operations one team may store (none: no limit).
    team_quota: Option<u64>,
    invite_key: InviteKey,
    /// Copies the WAL into the database file in the background, so no push waits for it.
    checkpointer: Option<Checkpointer>,
    /// Pushes waiting to be committed together.
    pushes: Arc<Group<PushJob, Result<Pushed, PushError>>>,
}

/// The operations one commit takes at most (5 pushes of 100): everyone in a group waits until
/// all of it is written, so a larger group makes paced pushes wait longer. Measured with
/// `make bench` on 2 cores, 300 to 500 gave the lowest paced p99 with the flat-out throughput
/// of 5,000.
const GROUP_OPS: usize = 500;

fn push_group() -> Arc<Group<PushJob, Result<Pushed, PushError>>> {
    Arc::new(Group::new(GROUP_OPS, |job| job.ops.len()))
}

/// One push waiting for its group's commit.
#[derive(Debug)]
struct PushJob {
    team: TeamId,
    device: DeviceId,
    ops: Vec<PreparedOp>,
    now_ms: u64,
}

/// A thread that checkpoints the WAL with its own connection (passive: it never blocks a
/// writer), stopped and joined when the storage is dropped.
#[derive(Debug)]
struct Checkpointer {
    stop: Arc<std::sync::atomic::AtomicBool>,
    thread: Option<std::thread::JoinHandle<()>>,
}

/// How often the background checkpoint runs.
const CHECKPOINT_EVERY: std::time::Duration = std::time::Duration::from_millis(200);
/// WAL pages at which a committing push checkpoints itself, should the background thread fall
/// behind (SQLite's own rule, at 16 MB instead of 4).
const CHECKPOINT_PAGES_MAX: i64 = 4000;

impl Checkpointer {
    fn start(path: &Path) -> Result<Checkpointer, DbError> {
        let conn = Connection::open(path)?;
        conn.busy_timeout(std::time::Duration::ZERO)?;
        let stop = Arc::new(std::sync::atomic::AtomicBool::new(false));
        let stopping = Arc::clone(&stop);
        let thread = std::thread::Builder::new()
            .name("wal-checkpoint".into())
            .spawn(move || {
                while !stopping.load(std::sync::atomic::Ordering::Relaxed) {
                    std::thread::sleep(CHECKPOINT_EVERY);
                    if let Err(e) = conn.query_row("PRAGMA wal_checkpoint(PASSIVE)", [], |_| Ok(()))
                    {
                        tracing::debug!(error = %e, "background checkpoint did not run");
                    }
                }
            })
            .map_err(|e| DbError::Corrupt(format!("cannot start the checkpoint thread: {e}")))?;
        Ok(Checkpointer {
            stop,
            thread: Some(thread),
        })
    }
}

impl Drop for Checkpointer {
    fn drop(&mut self) {
        self.stop.store(true, std::sync::atomic::Ordering::Relaxed);
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
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

/// Where the invite key of the database at `path` is kept.
pub fn invite_key_path(path: &Path) -> std::path::PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(".invite-key");
    name.into()
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

impl Sqlite {
    /// Opens (creating if needed) the database file and applies pending migrations.
    /// Files and folders it creates are private to the server's user (0600 and 0700,
    /// whatever the umask), and existing database files are made so.
    pub fn open(path: &Path) -> Result<Sqlite, DbError> {
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            crate::files::create_private_dirs(dir).map_err(|source| DbError::CreateDir {
                path: dir.display().to_string(),
                source,
            })?;
        }
        let key = InviteKey::load_or_create(&invite_key_path(path))?;
        Sqlite::open_with_key(path, key)
    }

    /// Opens the database file at `path` (made private) with the invite key `key`.
    pub fn open_with_key(path: &Path, key: InviteKey) -> Result<Sqlite, DbError> {
        crate::files::prepare_database(path).map_err(|source| DbError::CreateDir {
            path: path.display().to_string(),
            source,
        })?;
        let mut sqlite = Sqlite::setup(Connection::open(path)?, key)?;
        sqlite.with(|conn| {
            conn.pragma_update(None, "wal_autocheckpoint", CHECKPOINT_PAGES_MAX)?;
            Ok(())
        })?;
        sqlite.checkpointer = Some(Checkpointer::start(path)?);
        Ok(sqlite)
    }

    /// Empties the WAL into the database file and closes it.
    pub fn close(mut self) -> Result<(), DbError> {
        drop(self.checkpointer.take());
        let conn = self.conn.lock().unwrap_or_else(|p| p.into_inner());
        conn.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()))?;
        Ok(())
    }

    /// Runs `f` in one transaction, committed when it succeeds.
    pub(crate) fn in_transaction<T>(
        &self,
        f: impl FnOnce(&rusqlite::Transaction<'_>) -> Result<T, DbError>,
    ) -> Result<T, DbError> {
        self.with(|conn| {
            let tx = conn.transaction()?;
            let out = f(&tx)?;
            tx.commit()?;
            Ok(out)
        })
    }

    /// Copies the database at `from` to the new file `to` while other processes may be
    /// writing it: one read transaction copies every page, so the copy holds exactly what was
    /// committed when it started. Returns the number of pages copied.
    pub fn backup(from: &Path, to: &Path) -> Result<u64, DbError> {
        if to.exists() {
            return Err(DbError::Corrupt(format!(
                "{} exists already; choose a new file",
                to.display()
            )));
        }
        let source = Connection::open_with_flags(
            from,
            rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY | rusqlite::OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )?;
        source.busy_timeout(std::time::Duration::from_secs(30))?;
        crate::files::create_private_file(to).map_err(|source| DbError::CreateDir {
            path: to.display().to_string(),
            source,
        })?;
        let mut target = Connection::open(to)?;
        {
            use rusqlite::backup::StepResult;
            let backup = rusqlite::backup::Backup::new(&source, &mut target)?;
            // All pages in one step (-1): a step-by-step copy starts over whenever the server
            // commits in between, and might never finish under a stream of pushes.
            loop {
                match backup.step(-1)? {
                    StepResult::Done => break,
                    StepResult::More | StepResult::Busy | StepResult::Locked => {
                        std::thread::sleep(std::time::Duration::from_millis(50));
                    }
                    _ => std::thread::sleep(std::time::Duration::from_millis(50)),
                }
            }
        }
        let pages: i64 = target.pragma_query_value(None, "page_count", |r| r.get(0))?;
        Ok(u64::try_from(pages).unwrap_or(0))
    }

    /// An in-memory database, for tests.
    pub fn open_in_memory() -> Result<Sqlite, DbError> {
        Sqlite::setup(Connection::open_in_memory()?, InviteKey::random()?)
    }

    fn setup(mut conn: Connection, invite_key: InviteKey) -> Result<Sqlite, DbError> {
        conn.pragma_update(None, "journal_mode", "WAL")?;
        // Acknowledged means durable: FULL syncs the WAL to disk at every commit, so a power
        // cut cannot lose a push the server answered (NORMAL could, and the sequence numbers
        // would then be given out again to other operations).
        conn.pragma_update(None, "synchronous", "FULL")?;
        // Deleted or overwritten content (a resident's erased data) is overwritten with zeros
        // instead of lingering in free pages.
        conn.pragma_update(None, "secure_delete", "ON")?;
        conn.pragma_update(None, "foreign_keys", true)?;
        conn.busy_timeout(std::time::Duration::from_secs(5))?;
        // Every statement of a push stays prepared: the default cache of 16 is smaller than
        // the statements one push runs, and preparing again costs more than running.
        conn.set_prepared_statement_cache_capacity(64);
        migrate(&mut conn, &invite_key)?;
        Ok(Sqlite {
            conn: Arc::new(Mutex::new(conn)),
            team_quota: None,
            invite_key,
            checkpointer: None,
            pushes: push_group(),
        })
    }

    /// Limits the bytes of operations each team may store; pushes beyond it are refused.
    pub fn with_team_quota(mut self, bytes: u64) -> Sqlite {
        self.team_quota = Some(bytes);
        self
    }

    /// The settings acknowledged writes rely on: the journal mode, `synchronous` (2 is FULL)
    /// and `secure_delete`.
    pub fn durability(&self) -> Result<(String, i64, bool), DbError> {
        self.with(|conn| {
            let mode: String = conn.pragma_query_value(None, "journal_mode", |r| r.get(0))?;
            let sync: i64 = conn.pragma_query_value(None, "synchronous", |r| r.get(0))?;
            let secure: i64 = conn.pragma_query_value(None, "secure_delete", |r| r.get(0))?;
            Ok((mode, sync, secure != 0))
        })
    }

    /// Caps the database at its current size plus `pages` pages, as a full disk would (tests of
    /// what still works then use it).
    #[doc(hidden)]
    pub fn cap_size(&self, pages: u64) -> Result<(), DbError> {
        self.with(|conn| {
            let count: i64 = conn.pragma_query_value(None, "page_count", |r| r.get(0))?;
            let cap = count + i64::try_from(pages).unwrap_or(i64::MAX);
            conn.query_row(&format!("PRAGMA max_page_count = {cap}"), [], |_| Ok(()))?;
            Ok(())
        })
    }

    /// Retries the checkpoint in the background until the WAL is empty.
    fn checkpoint_later(&self) {
        let conn = Arc::clone(&self.conn);
        let started = std::time::Instant::now();
        let spawned = std::thread::Builder::new()
            .name("checkpoint".into())
            .spawn(move || {
                loop {
                    std::thread::sleep(std::time::Duration::from_millis(200));
                    let guard = conn.lock().unwrap_or_else(|p| p.into_inner());
                    if checkpoint_now(&guard) {
                        tracing::info!("erased data left the WAL");
                        return;
                    }
                    drop(guard);
                    if started.elapsed() > std::time::Duration::from_secs(3600) {
                        tracing::error!("a reader kept erased data in the WAL for an hour; restart the server to remove it");
                        return;
                    }
                }
            });
        if let Err(e) = spawned {
            tracing::error!(error = %e, "cannot retry the checkpoint after an erasure");
        }
    }

    /// Writes a group of pushes in one transaction, each in a savepoint of its own: a refused
    /// push is rolled back alone, and the others are committed with one sync to disk.
    fn commit_pushes(&self, jobs: Vec<PushJob>) -> Vec<Result<Pushed, PushError>> {
        let mut conn = self.conn.lock().unwrap_or_else(|p| p.into_inner());
        let tx = match conn.transaction() {
            Ok(tx) => tx,
            Err(e) => return jobs.iter().map(|_| Err(shared(&e).into())).collect(),
        };
        let mut answers = Vec::with_capacity(jobs.len());
        let mut erased = false;
        for mut job in jobs {
            if let Err(e) = tx.execute_batch("SAVEPOINT push") {
                answers.push(Err(shared(&e).into()));
                continue;
            }
            let answer = append(
                &tx,
                job.team,
                job.device,
                &mut job.ops,
                job.now_ms,
                self.team_quota,
            );
            let end = if answer.is_ok() {
                "RELEASE push"
            } else {
                "ROLLBACK TO push; RELEASE push"
            };
            if let Err(e) = tx.execute_batch(end) {
                // The transaction is in a state no one can vouch for: nothing of it is kept.
                drop(tx);
                let n = answers.len() + 1;
                return (0..n).map(|_| Err(shared(&e).into())).collect();
            }
            erased |= answer.is_ok()
                && job.ops.iter().any(|p| {
                    matches!(
                        p.op.payload,
                        Payload::EraseResident { .. } | Payload::ConsentWithdraw { .. }
                    )
                });
            answers.push(answer);
        }
        if let Err(e) = tx.commit() {
            for answer in &mut answers {
                if answer.is_ok() {
                    *answer = Err(shared(&e).into());
                }
            }
            return answers;
        }
        if erased {
            // The WAL still holds the pages as they were before the erasure: copy the new
            // pages into the database file and empty the WAL, so the erased text is gone
            // from the disk and not only from the database. A reader still on the old pages
            // (a backup running) keeps the WAL from being emptied: then it is tried again
            // until it is.
            if !checkpoint_now(&conn) {
                drop(conn);
                self.checkpoint_later();
            }
        }
        answers
    }

    fn with<T>(&self, f: impl FnOnce(&mut Connection) -> Result<T, DbError>) -> Result<T, DbError> {
        // A panic while holding the lock leaves SQLite consistent (the transaction rolls back),
        // so a poisoned lock is safe to keep using.
        let mut conn = self.conn.lock().unwrap_or_else(|p| p.into_inner());
        f(&mut conn)
    }
}

/// Copies the WAL into the database file and empties it; `true` when that completed. It does
/// not wait for readers (a push must not stall on a backup).
fn checkpoint_now(conn: &Connection) -> bool {
    let _ = conn.busy_timeout(std::time::Duration::ZERO);
    let result = conn.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |r| {
        r.get::<_, i64>(0)
    });
    let _ = conn.busy_timeout(std::time::Duration::from_secs(5));
    match result {
        Ok(0) => true,
        Ok(_) => false,
        Err(e) => {
            tracing::warn!(error = %e, "checkpoint after an erasure failed; it is tried again");
            false
        }
    }
}

fn migrate(conn: &mut Connection, key: &InviteKey) -> Result<(), DbError> {
    let current: usize = conn.pragma_query_value(None, "user_version", |row| row.get(0))?;
    if current > MIGRATIONS.len() {
        return Err(DbError::TooNew {
            found: current,
            known: MIGRATIONS.len(),
        });
    }
    for (index, migration) in MIGRATIONS.iter().enumerate().skip(current) {
        let tx = conn.transaction()?;
        match migration {
            Migration::Sql(sql) => tx.execute_batch(sql)?,
            Migration::Rust(sql, step) => {
                tx.execute_batch(sql)?;
                step(&tx, key)?;
            }
        }
        tx.pragma_update(None, "user_version", index + 1)?;
        tx.commit()?;
        tracing::info!(version = index + 1, "database migrated");
    }
    Ok(())
}

fn ms(v: u64) -> i64 {
    i64::try_from(v).unwrap_or(i64::MAX)
}

fn uuid_col(row: &rusqlite::Row<'_>, i: usize) -> rusqlite::Result<Uuid> {
    let text: String = row.get(i)?;
    Uuid::parse_str(&text).map_err(|e| {
        rusqlite::Error::FromSqlConversionFailure(i, rusqlite::types::Type::Text, Box::new(e))
    })
}

fn register_device(
    tx: &rusqlite::Transaction<'_>,
    team: TeamId,
    d: &NewDevice,
    now_ms: u64,
) -> Result<(), DbError> {
    tx.execute(
        "INSERT INTO devices (id, team_id, member_id, token_hash, admin, label, created_at_ms) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        params![d.device.to_string(), team.to_string(), d.member.to_string(), d.token_hash.as_slice(), d.admin, d.label, ms(now_ms)],
    )?;
    Ok(())
}

/// The latest erasure stamp of `address` in `team`.
fn erasure_stamp(
    tx: &rusqlite::Transaction<'_>,
    team: &str,
    address: &str,
) -> Result<Option<Stamp>, DbError> {
    let stamp: Option<String> = tx
        .prepare_cached("SELECT stamp FROM erasures WHERE team_id = ?1 AND address_id = ?2")?
        .query_row(params![team, address], |row| row.get(0))
        .optional()?;
    stamp
        .map(|s| serde_json::from_str(&s).map_err(|e| DbError::Corrupt(e.to_string())))
        .transpose()
}

/// Records an erasure of `address` at `stamp`, keeping the latest; returns the latest.
fn record_erasure(
    tx: &rusqlite::Transaction<'_>,
    team: &str,
    address: &str,
    stamp: Stamp,
) -> Result<Stamp, DbError> {
    let latest = erasure_stamp(tx, team, address)?.map_or(stamp, |e| e.max(stamp));
    let json = serde_json::to_string(&latest).map_err(|e| DbError::Corrupt(e.to_string()))?;
    tx.prepare_cached("INSERT INTO erasures (team_id, address_id, stamp) VALUES (?1, ?2, ?3) ON CONFLICT (team_id, address_id) DO UPDATE SET stamp = excluded.stamp")?
        .execute(params![team, address, json])?;
    Ok(latest)
}

/// The stored operations about `address` that still hold personal data.
fn personal_ops(
    tx: &rusqlite::Transaction<'_>,
    team: &str,
    address: &str,
) -> Result<Vec<(i64, Operation)>, DbError> {
    let mut stmt = tx.prepare_cached(
        "SELECT seq, body FROM ops WHERE team_id = ?1 AND address_id = ?2 AND personal = 1",
    )?;
    let rows: Vec<(i64, String)> = stmt
        .query_map(params![team, address], |row| Ok((row.get(0)?, row.get(1)?)))?
        .collect::<Result<_, _>>()?;
    rows.into_iter()
        .map(|(seq, body)| {
            serde_json::from_str(&body)
                .map(|op| (seq, op))
                .map_err(|e| DbError::Corrupt(e.to_string()))
        })
        .collect()
}

/// Strips personal fields from stored operations about `address` made at or before `until`.
/// Operations stripped before are not read again.
fn erase_stored(
    tx: &rusqlite::Transaction<'_>,
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
    tx: &Connection,
    team: &str,
    op_id: &str,
    op: &Operation,
    body: &str,
) -> Result<Option<Ack>, PushError> {
    let existing: Option<(i64, String)> = tx
        .prepare_cached("SELECT seq, body FROM ops WHERE team_id = ?1 AND op_id = ?2")
        .map_err(DbError::from)?
        .query_row(params![team, op_id], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()
        .map_err(DbError::from)?;
    let Some((seq, stored)) = existing else {
        return Ok(None);
    };
    // Same operation, same answer. An erasure may have stripped either copy since (the stored
    // one here, or the retried one on the phone): compare both stripped.
    if stored != body && !same_but_personal(&stored, op) {
        return Err(PushError::Conflict(op.id));
    }
    Ok(Some(Ack {
        op: op.id,
        seq: u64::try_from(seq).unwrap_or(0),
    }))
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
    tx: &rusqlite::Transaction<'_>,
    team: TeamId,
    device: DeviceId,
    ops: &mut [PreparedOp],
    now_ms: u64,
    quota: Option<u64>,
) -> Result<Pushed, PushError> {
    let team_s = team.to_string();
    let device_s = device.to_string();
    let (mut next, mut bytes): (i64, i64) = tx
        .query_row(
            "SELECT next_seq, bytes FROM teams WHERE id = ?1",
            [&team_s],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .map_err(DbError::from)?;
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
    for prepared in ops.iter_mut() {
        let op = &mut prepared.op;
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
            let is_admin: bool = tx
                .query_row(
                    "SELECT EXISTS (SELECT 1 FROM devices WHERE team_id = ?1 AND member_id = ?2 AND admin = 1 AND revoked_at_ms IS NULL)",
                    params![team_s, member_s],
                    |r| r.get(0),
                )
                .map_err(DbError::from)?;
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
            serde_json::to_string(&*op).map_err(|e| DbError::Corrupt(e.to_string()))?
        } else {
            std::mem::take(&mut prepared.body)
        };
        let op_id = op.id.to_string();
        // An erasure counts against the pusher's limit: a retry of one must be known as a
        // retry before that is counted. Anything else is inserted unless it is stored already,
        // and only then compared (one lookup less for every new operation).
        if erasure && let Some(ack) = retried(tx, &team_s, &op_id, op, &body)? {
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
                    let found: (String, bool) = tx
                        .query_row(
                            "SELECT member_id, admin FROM devices WHERE id = ?1 AND team_id = ?2
                             UNION ALL SELECT member_id, 0 FROM resident_pages WHERE device_id = ?1 AND team_id = ?2",
                            params![device_s, team_s],
                            |r| Ok((r.get(0)?, r.get(1)?)),
                        )
                        .map_err(DbError::from)?;
                    pusher = Some(found.clone());
                    found
                }
            };
            let limit = buurtbel_core::rules::erasures_per_hour(buurtbel_core::rules::Pusher {
                member: op.author.member,
                admin,
            });
            let in_last_hour: i64 = tx
                .prepare_cached("SELECT COUNT(*) FROM ops o WHERE o.team_id = ?1 AND o.kind = 'erase_resident' AND o.received_at_ms > ?2 AND o.device_id IN (SELECT id FROM devices WHERE team_id = ?1 AND member_id = ?3 UNION ALL SELECT device_id FROM resident_pages WHERE team_id = ?1 AND member_id = ?3)")
                .map_err(DbError::from)?
                .query_row(params![team_s, ms(now_ms.saturating_sub(3_600_000)), member], |r| r.get(0))
                .map_err(DbError::from)?;
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
            // A retry of what is stored already takes no room.
            if let Some(ack) = retried(tx, &team_s, &op_id, op, &body)? {
                acks.push(ack);
                continue;
            }
            return Err(PushError::QuotaFull(quota));
        }
        let personal = match &op.payload {
            Payload::QuestionAnswer { answer, .. } => address.is_some() && !answer.is_empty(),
            _ => op.holds_personal(),
        };
        let inserted = tx.prepare_cached("INSERT INTO ops (team_id, seq, op_id, device_id, kind, address_id, body, received_at_ms, personal) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9) ON CONFLICT (team_id, op_id) DO NOTHING")
            .map_err(DbError::from)?
            .execute(params![team_s, next, op_id, device_s, op.kind(), address, &body, ms(now_ms), personal])
            .map_err(DbError::from)?;
        if inserted == 0 {
            let ack = retried(tx, &team_s, &op_id, op, &body)?.ok_or_else(|| {
                DbError::Corrupt(format!("operation {op_id} neither stored nor new"))
            })?;
            acks.push(ack);
            continue;
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
            tx.prepare_cached("UPDATE devices SET revoked_at_ms = COALESCE(revoked_at_ms, ?1) WHERE team_id = ?2 AND member_id = ?3")
                .map_err(DbError::from)?
                .execute(params![ms(now_ms), team_s, member.to_string()])
                .map_err(DbError::from)?;
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
    insert_entities(tx, &team_s, &mut created_now)?;
    tx.execute(
        "UPDATE teams SET next_seq = ?1, bytes = ?2 WHERE id = ?3",
        params![next, bytes, team_s],
    )
    .map_err(DbError::from)?;
    Ok(Pushed {
        acks,
        stored: usize::try_from(next - first).unwrap_or(0),
    })
}

impl Storage for Sqlite {
    fn ping(&self) -> Result<(), DbError> {
        self.with(|conn| Ok(conn.query_row("SELECT 1", [], |_| Ok(()))?))
    }

    fn create_team(&self, mut new: NewTeam, now_ms: u64) -> Result<String, DbError> {
        self.with(|conn| {
            let tx = conn.transaction()?;
            tx.execute(
                "INSERT INTO teams (id, name, neighbourhood, created_at_ms) VALUES (?1, ?2, ?3, ?4)",
                params![new.team.to_string(), new.name, new.neighbourhood, ms(now_ms)],
            )?;
            register_device(&tx, new.team, &new.device, now_ms)?;
            let invite = insert_invite(&tx, &self.invite_key, new.team, new.device.device, &new.invite, now_ms)?;
            // The server's own few operations for a new team or member are never over a quota.
            append(&tx, new.team, new.device.device, &mut new.ops, now_ms, None).map_err(|e| match e {
                PushError::Db(e) => e,
                other => DbError::Corrupt(format!("new team: {other}")),
            })?;
            tx.commit()?;
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
        let mut conn = self.conn.lock().unwrap_or_else(|p| p.into_inner());
        let tx = conn.transaction()?;
        let team_s = team.to_string();
        let kept_since = now_ms.saturating_sub(ENDED_INVITES_KEPT_DAYS * 86_400_000);
        tx.execute(
            "DELETE FROM invite_codes WHERE team_id = ?1 AND (expires_at_ms < ?2 OR revoked_at_ms < ?2 OR (max_uses IS NOT NULL AND uses >= max_uses AND created_at_ms < ?2))",
            params![team_s, ms(kept_since)],
        )?;
        let open: i64 = tx.query_row(
            "SELECT COUNT(*) FROM invite_codes WHERE team_id = ?1 AND expires_at_ms > ?2 AND revoked_at_ms IS NULL AND (max_uses IS NULL OR uses < max_uses)",
            params![team_s, ms(now_ms)],
            |r| r.get(0),
        )?;
        if open >= OPEN_INVITES_MAX {
            return Err(AdminError::TooManyInvites);
        }
        let id = insert_invite(&tx, &self.invite_key, team, by, invite, now_ms)?;
        tx.commit()?;
        Ok(id)
    }

    fn invite_team(
        &self,
        code: &str,
        now_ms: u64,
    ) -> Result<Option<(TeamId, String, String)>, DbError> {
        let hash = self.invite_key.hash(code);
        self.with(|conn| open_invite_team(conn, &hash, now_ms))
    }

    fn join(
        &self,
        code: &str,
        device: NewDevice,
        ops: Vec<PreparedOp>,
        now_ms: u64,
    ) -> Result<(TeamId, String, String), JoinError> {
        let hash = self.invite_key.hash(code);
        self.with(|conn| {
            let tx = conn.transaction()?;
            let Some((team, name, neighbourhood)) = open_invite_team(&tx, &hash, now_ms)? else {
                return Ok(Err(JoinError::InvalidCode));
            };
            tx.execute(
                "UPDATE invite_codes SET uses = uses + 1 WHERE code_hash = ?1",
                [hash.as_slice()],
            )?;
            register_device(&tx, team, &device, now_ms)?;
            let mut ops = ops;
            append(&tx, team, device.device, &mut ops, now_ms, None).map_err(|e| match e {
                PushError::Db(e) => e,
                other => DbError::Corrupt(format!("join: {other}")),
            })?;
            tx.commit()?;
            Ok(Ok((team, name, neighbourhood)))
        })?
    }

    fn authenticate(
        &self,
        token_hash: &[u8; 32],
        now_ms: u64,
    ) -> Result<Result<Device, Refused>, DbError> {
        self.with(|conn| {
            let found = conn
                .prepare_cached("SELECT team_id, id, member_id, admin, revoked_at_ms IS NOT NULL, lost FROM devices WHERE token_hash = ?1")?
                .query_row([token_hash.as_slice()], |r| {
                    let auth = Device { team: TeamId(uuid_col(r, 0)?), device: DeviceId(uuid_col(r, 1)?), member: MemberId(uuid_col(r, 2)?), admin: r.get(3)? };
                    Ok((auth, r.get::<_, bool>(4)?, r.get::<_, bool>(5)?))
                })
                .optional()?;
            let auth = match found {
                None | Some((_, true, false)) => return Ok(Err(Refused::Unknown)),
                Some((_, true, true)) => return Ok(Err(Refused::Wiped)),
                Some((auth, false, _)) => auth,
            };
            // Seen-times are for the admin's device list; minute precision is plenty and
            // keeps this from writing on every request. Best effort: a full disk must not stop
            // a device from reading (pulling) what is there.
            let seen = conn
                .prepare_cached("UPDATE devices SET last_seen_ms = ?1 WHERE id = ?2 AND (last_seen_ms IS NULL OR last_seen_ms < ?1 - 60000)")
                .and_then(|mut stmt| stmt.execute(params![ms(now_ms), auth.device.to_string()]));
            if let Err(e) = seen {
                tracing::warn!(error = %e, "could not note when the device was last seen");
            }
            Ok(Ok(auth))
        })
    }

    fn list_devices(&self, team: TeamId) -> Result<Vec<DeviceView>, DbError> {
        self.with(|conn| {
            let mut stmt = conn.prepare_cached(
                "SELECT id, member_id, label, admin, created_at_ms, last_seen_ms, revoked_at_ms, lost FROM devices WHERE team_id = ?1 ORDER BY created_at_ms, id",
            )?;
            let devices = stmt
                .query_map([team.to_string()], |r| {
                    Ok(DeviceView {
                        id: DeviceId(uuid_col(r, 0)?),
                        member: MemberId(uuid_col(r, 1)?),
                        label: r.get(2)?,
                        admin: r.get(3)?,
                        created_at_ms: r.get::<_, i64>(4)?.max(0) as u64,
                        last_seen_ms: r.get::<_, Option<i64>>(5)?.map(|v| v.max(0) as u64),
                        revoked_at_ms: r.get::<_, Option<i64>>(6)?.map(|v| v.max(0) as u64),
                        lost: r.get(7)?,
                    })
                })?
                .collect::<Result<_, _>>()?;
            Ok(devices)
        })
    }

    fn revoke_device(
        &self,
        team: TeamId,
        device: DeviceId,
        lost: bool,
        now_ms: u64,
    ) -> Result<bool, AdminError> {
        let mut conn = self.conn.lock().unwrap_or_else(|p| p.into_inner());
        let tx = conn.transaction()?;
        let (team_s, device_s) = (team.to_string(), device.to_string());
        let found: Option<bool> = tx
            .query_row(
                "SELECT admin = 1 AND revoked_at_ms IS NULL FROM devices WHERE id = ?1 AND team_id = ?2",
                params![device_s, team_s],
                |r| r.get(0),
            )
            .optional()?;
        let Some(live_admin) = found else {
            return Ok(false);
        };
        if live_admin && other_admins(&tx, &team_s, None, Some(&device_s))? == 0 {
            return Err(AdminError::LastAdmin);
        }
        tx.execute(
            "UPDATE devices SET revoked_at_ms = COALESCE(revoked_at_ms, ?1), lost = lost OR ?4 WHERE id = ?2 AND team_id = ?3",
            params![ms(now_ms), device_s, team_s, lost],
        )?;
        if lost {
            // The lost phone may still show an invite code: whoever finds it must not get in.
            revoke_open_invites(&tx, &team_s, now_ms)?;
        }
        tx.commit()?;
        Ok(true)
    }

    fn list_invites(&self, team: TeamId) -> Result<Vec<InviteInfo>, DbError> {
        self.with(|conn| {
            let mut stmt = conn.prepare_cached(
                "SELECT id, created_at_ms, expires_at_ms, max_uses, uses, revoked_at_ms IS NOT NULL FROM invite_codes WHERE team_id = ?1 ORDER BY created_at_ms DESC, id LIMIT ?2",
            )?;
            let invites = stmt
                .query_map(params![team.to_string(), INVITES_LISTED], |r| {
                    Ok(InviteInfo {
                        id: r.get(0)?,
                        created_at_ms: r.get::<_, i64>(1)?.max(0) as u64,
                        expires_at_ms: r.get::<_, i64>(2)?.max(0) as u64,
                        max_uses: r.get(3)?,
                        uses: r.get(4)?,
                        revoked: r.get(5)?,
                    })
                })?
                .collect::<Result<_, _>>()?;
            Ok(invites)
        })
    }

    fn revoke_invite(&self, team: TeamId, which: &InviteRef, now_ms: u64) -> Result<bool, DbError> {
        let (column, value) = match which {
            InviteRef::Id(id) => ("id", rusqlite::types::Value::Text(id.clone())),
            InviteRef::Code(code) => (
                "code_hash",
                rusqlite::types::Value::Blob(self.invite_key.hash(code).to_vec()),
            ),
        };
        self.with(|conn| {
            let changed = conn.execute(
                &format!("UPDATE invite_codes SET revoked_at_ms = COALESCE(revoked_at_ms, ?1) WHERE {column} = ?2 AND team_id = ?3"),
                params![ms(now_ms), value, team.to_string()],
            )?;
            Ok(changed > 0)
        })
    }

    fn set_admin(&self, team: TeamId, member: MemberId, admin: bool) -> Result<bool, AdminError> {
        let mut conn = self.conn.lock().unwrap_or_else(|p| p.into_inner());
        let tx = conn.transaction()?;
        let (team_s, member_s) = (team.to_string(), member.to_string());
        let devices: i64 = tx.query_row(
            "SELECT COUNT(*) FROM devices WHERE team_id = ?1 AND member_id = ?2 AND revoked_at_ms IS NULL",
            params![team_s, member_s],
            |r| r.get(0),
        )?;
        if devices == 0 {
            return Ok(false);
        }
        if !admin && other_admins(&tx, &team_s, Some(&member_s), None)? == 0 {
            return Err(AdminError::LastAdmin);
        }
        tx.execute(
            "UPDATE devices SET admin = ?1 WHERE team_id = ?2 AND member_id = ?3",
            params![admin, team_s, member_s],
        )?;
        tx.commit()?;
        Ok(true)
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
        self.pushes.submit(
            job,
            |jobs| self.commit_pushes(jobs),
            || Err(PushError::Db(DbError::Task)),
        )
    }

    fn pull(
        &self,
        team: TeamId,
        after: u64,
        limit: u32,
    ) -> Result<(Vec<(u64, String)>, bool), DbError> {
        self.with(|conn| {
            let mut stmt = conn.prepare_cached(
                "SELECT seq, body FROM ops WHERE team_id = ?1 AND seq > ?2 ORDER BY seq LIMIT ?3",
            )?;
            let mut found =
                stmt.query(params![team.to_string(), ms(after), i64::from(limit) + 1])?;
            let mut rows: Vec<(u64, String)> = Vec::new();
            let mut bytes = 0usize;
            while let Some(r) = found.next()? {
                let body: String = r.get(1)?;
                if rows.len() == limit as usize
                    || (!rows.is_empty() && bytes + body.len() > PULL_MAX_BYTES)
                {
                    return Ok((rows, true));
                }
                bytes += body.len();
                rows.push((r.get::<_, i64>(0)?.max(0) as u64, body));
            }
            Ok((rows, false))
        })
    }

    fn page(&self, code: &str) -> Result<Option<Page>, DbError> {
        self.with(|conn| resident::page(conn, code))
    }

    fn answer_page(
        &self,
        code: &str,
        mut answer: PageAnswer,
        per_hour: u32,
        now_ms: u64,
    ) -> Result<Pushed, PageError> {
        let quota = self.team_quota;
        self.page_transaction(&mut answer, |tx, answer| {
            resident::record_new(tx, code, answer, per_hour, now_ms, quota)
        })
    }

    fn page_answer(&self, token_hash: &[u8; 32]) -> Result<Option<StoredAnswer>, DbError> {
        self.with(|conn| resident::answer(conn, token_hash))
    }

    fn change_page_answer(&self, mut answer: PageAnswer, now_ms: u64) -> Result<Pushed, PageError> {
        let quota = self.team_quota;
        self.page_transaction(&mut answer, |tx, answer| {
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
        self.in_transaction(|tx| coach::add_coach(tx, organisation, name, code, link_hash, now_ms))
    }

    fn add_coach_link(
        &self,
        organisation: &str,
        coach: Option<&str>,
        hash: &[u8; 32],
        now_ms: u64,
    ) -> Result<(), DbError> {
        self.with(|conn| coach::insert_link(conn, organisation, coach, hash, now_ms))
    }

    fn coach_link(&self, hash: &[u8; 32], now_ms: u64) -> Result<Option<CoachLink>, DbError> {
        self.with(|conn| coach::link(conn, hash, now_ms))
    }

    fn use_coach_link(
        &self,
        link_hash: &[u8; 32],
        name: Option<&str>,
        code: &str,
        session_hash: &[u8; 32],
        now_ms: u64,
    ) -> Result<Option<Coach>, DbError> {
        self.in_transaction(|tx| coach::use_link(tx, link_hash, name, code, session_hash, now_ms))
    }

    fn coach_session(&self, hash: &[u8; 32], now_ms: u64) -> Result<Option<Coach>, DbError> {
        self.with(|conn| coach::by_session(conn, hash, now_ms))
    }

    fn end_coach_session(&self, hash: &[u8; 32], now_ms: u64) -> Result<(), DbError> {
        self.with(|conn| coach::end_session(conn, hash, now_ms))
    }

    fn coach_teams(&self, coach: &str) -> Result<Vec<TeamId>, DbError> {
        self.with(|conn| coach::teams(conn, coach))
    }

    fn coach_may_see(&self, coach: &str, team: TeamId) -> Result<bool, DbError> {
        self.with(|conn| coach::may_see(conn, coach, team))
    }

    fn grant_coach(
        &self,
        team: TeamId,
        code: &str,
        by: MemberId,
        now_ms: u64,
    ) -> Result<Option<Looker>, DbError> {
        self.in_transaction(|tx| coach::grant(tx, team, code, by, now_ms))
    }

    fn withdraw_coach(&self, team: TeamId, coach: &str, now_ms: u64) -> Result<bool, DbError> {
        self.with(|conn| coach::withdraw(conn, team, coach, now_ms))
    }

    fn team_coaches(&self, team: TeamId) -> Result<Vec<Looker>, DbError> {
        self.with(|conn| coach::lookers(conn, team))
    }

    fn coach_append(
        &self,
        coach: &str,
        team: TeamId,
        op: PreparedOp,
        now_ms: u64,
    ) -> Result<Option<Pushed>, PushError> {
        let mut conn = self.conn.lock().unwrap_or_else(|p| p.into_inner());
        let tx = conn.transaction().map_err(DbError::from)?;
        if !coach::may_see(&tx, coach, team)? {
            return Ok(None);
        }
        let device = op.op.author.device;
        let pushed = append(&tx, team, device, &mut [op], now_ms, self.team_quota)?;
        tx.commit().map_err(DbError::from)?;
        Ok(Some(pushed))
    }

    fn introduce(
        &self,
        coach: &str,
        team: TeamId,
        new: &NewIntroduction,
        now_ms: u64,
    ) -> Result<Option<String>, DbError> {
        self.in_transaction(|tx| coach::introduce(tx, coach, team, new, now_ms))
    }

    fn introductions(
        &self,
        team: TeamId,
        coach: Option<&str>,
    ) -> Result<Vec<Introduction>, DbError> {
        self.with(|conn| coach::introductions(conn, team, coach))
    }

    fn introduction_invited(&self, team: TeamId, id: &str, now_ms: u64) -> Result<bool, DbError> {
        self.with(|conn| coach::invited(conn, team, id, now_ms))
    }

    fn forget_introduction(
        &self,
        team: TeamId,
        id: &str,
        coach: Option<&str>,
    ) -> Result<bool, DbError> {
        self.with(|conn| coach::forget_introduction(conn, team, id, coach))
    }

    fn save_plan(
        &self,
        organisation: &str,
        coach: &str,
        id: Option<&str>,
        plan: &OrgPlan,
        now_ms: u64,
    ) -> Result<Option<(String, u32)>, DbError> {
        self.in_transaction(|tx| plans::save(tx, organisation, coach, id, plan, now_ms))
    }

    fn plans(&self, organisation: &str) -> Result<Vec<StoredPlan>, DbError> {
        self.with(|conn| plans::latest(conn, organisation))
    }

    fn plan_versions(&self, organisation: &str, id: &str) -> Result<Vec<StoredPlan>, DbError> {
        self.with(|conn| plans::versions(conn, organisation, id))
    }

    fn team_plans(&self, team: TeamId) -> Result<Vec<StoredPlan>, DbError> {
        self.with(|conn| plans::for_team(conn, team))
    }

    fn team_plan_versions(&self, team: TeamId, id: &str) -> Result<Vec<StoredPlan>, DbError> {
        self.with(|conn| plans::versions_for_team(conn, team, id))
    }
}

impl Sqlite {
    /// Runs `f` in a transaction of its own, committed when it succeeds; checkpoints after it
    /// when it stored an erasure or a consent withdrawal, as a push does.
    fn page_transaction(
        &self,
        answer: &mut PageAnswer,
        f: impl FnOnce(&rusqlite::Transaction<'_>, &mut PageAnswer) -> Result<Pushed, PageError>,
    ) -> Result<Pushed, PageError> {
        let erases = answer.ops.iter().any(|p| {
            matches!(
                p.op.payload,
                Payload::EraseResident { .. } | Payload::ConsentWithdraw { .. }
            )
        });
        let mut conn = self.conn.lock().unwrap_or_else(|p| p.into_inner());
        let tx = conn.transaction()?;
        let pushed = f(&tx, answer)?;
        tx.commit()?;
        if erases && !checkpoint_now(&conn) {
            drop(conn);
            self.checkpoint_later();
        }
        Ok(pushed)
    }
}

fn insert_invite(
    tx: &rusqlite::Transaction<'_>,
    key: &InviteKey,
    team: TeamId,
    by: DeviceId,
    invite: &NewInvite,
    now_ms: u64,
) -> Result<String, DbError> {
    let id = new_invite_id()?;
    tx.execute(
        "INSERT INTO invite_codes (id, code_hash, team_id, created_by, created_at_ms, expires_at_ms, max_uses) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        params![id, key.hash(&invite.code).as_slice(), team.to_string(), by.to_string(), ms(now_ms), ms(invite.expires_at_ms), invite.max_uses],
    )?;
    Ok(id)
}

/// Appends `op` (an erasure or a withdrawal from a replaced database) to `team`'s restored
/// log, unless the team or what it ends is not there or it is there already. `true` when
/// appended.
pub(crate) fn append_carried(
    tx: &rusqlite::Transaction<'_>,
    team: &str,
    device: &str,
    op: &Operation,
    now_ms: u64,
) -> Result<bool, DbError> {
    let Some((next, bytes)): Option<(i64, i64)> = tx
        .query_row(
            "SELECT next_seq, bytes FROM teams WHERE id = ?1",
            [team],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?
    else {
        return Ok(false);
    };
    let op_id = op.id.to_string();
    if has_op(tx, team, &op_id)? || !reaches_something(tx, team, op)? {
        return Ok(false);
    }
    let body = serde_json::to_string(op).map_err(|e| DbError::Corrupt(e.to_string()))?;
    tx.execute(
        "INSERT INTO ops (team_id, seq, op_id, device_id, kind, address_id, body, received_at_ms, personal) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, 0)",
        params![team, next, op_id, device, op.kind(), op.resident_address().map(|a| a.to_string()), body, ms(now_ms)],
    )?;
    after_stored(tx, team, op)?;
    tx.execute(
        "UPDATE teams SET next_seq = ?1, bytes = ?2 WHERE id = ?3",
        params![
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
    tx: &rusqlite::Transaction<'_>,
    team: &str,
    address: &str,
    stamp: Stamp,
) -> Result<bool, DbError> {
    let known: bool = tx.query_row(
        "SELECT EXISTS (SELECT 1 FROM teams WHERE id = ?1)",
        [team],
        |r| r.get(0),
    )?;
    if !known {
        return Ok(false);
    }
    let until = record_erasure(tx, team, address, stamp)?;
    erase_stored(tx, team, address, until)?;
    Ok(true)
}

/// Ends every open invite of `team`: after a member is removed or a phone is lost, a code they
/// saw must not let anyone in.
fn revoke_open_invites(tx: &Connection, team: &str, now_ms: u64) -> Result<usize, DbError> {
    Ok(tx.execute(
        "UPDATE invite_codes SET revoked_at_ms = ?1 WHERE team_id = ?2 AND revoked_at_ms IS NULL AND expires_at_ms > ?1",
        params![ms(now_ms), team],
    )?)
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
fn note_entities(tx: &Connection, team: &str, seq: i64, op: &Operation) -> Result<(), DbError> {
    if let Some(created) = op.creates() {
        insert_entities(tx, team, &mut vec![NewEntity::of(op, created, seq)])?;
    }
    Ok(())
}

/// Writes `rows` to `entities` (a hundred per statement) and empties it.
fn insert_entities(tx: &Connection, team: &str, rows: &mut Vec<NewEntity>) -> Result<(), DbError> {
    use rusqlite::types::Value;
    for chunk in rows.chunks(100) {
        let mut sql = String::from(
            "INSERT OR IGNORE INTO entities (id, team_id, kind, seq, address_id) VALUES ",
        );
        let mut values = Vec::with_capacity(chunk.len() * 5);
        for (i, row) in chunk.iter().enumerate() {
            sql.push_str(if i == 0 {
                "(?,?,?,?,?)"
            } else {
                ",(?,?,?,?,?)"
            });
            values.extend([
                Value::Blob(row.id.as_bytes().to_vec()),
                Value::Text(team.to_owned()),
                Value::Text(row.kind.to_owned()),
                Value::Integer(row.seq),
                row.address.clone().map_or(Value::Null, Value::Text),
            ]);
        }
        tx.prepare_cached(&sql)?
            .execute(rusqlite::params_from_iter(values))?;
    }
    rows.clear();
    Ok(())
}

/// Refuses `op` when it names anything the team never created. `seen` holds what is known to
/// exist already, and learns what this finds.
fn check_references(
    tx: &Connection,
    team: &str,
    op: &Operation,
    seen: &mut std::collections::HashSet<(buurtbel_core::rules::Entity, Uuid)>,
) -> Result<(), PushError> {
    for r in op.references() {
        if seen.contains(&(r.entity, r.id)) {
            continue;
        }
        let known: bool = tx
            .prepare_cached("SELECT EXISTS (SELECT 1 FROM entities WHERE id = ?3 AND team_id = ?1 AND kind = ?2)")
            .map_err(DbError::from)?
            .query_row(params![team, r.entity.name(), r.id.as_bytes().as_slice()], |row| row.get(0))
            .map_err(DbError::from)?;
        if !known {
            return Err(PushError::UnknownReference(op.id, r.field, r.entity.name()));
        }
        seen.insert((r.entity, r.id));
    }
    Ok(())
}

/// The address a question was asked at, when it carries one.
fn question_address(
    tx: &Connection,
    team: &str,
    question: QuestionId,
) -> Result<Option<String>, DbError> {
    Ok(tx
        .prepare_cached(
            "SELECT address_id FROM entities WHERE id = ?2 AND team_id = ?1 AND kind = 'question'",
        )?
        .query_row(params![team, question.0.as_bytes().as_slice()], |r| {
            r.get::<_, Option<String>>(0)
        })
        .optional()?
        .flatten())
}

/// What a stored operation changes in operations stored before it: a withdrawn consent keeps
/// no name, phone or e-mail.
fn after_stored(tx: &Connection, team: &str, op: &Operation) -> Result<(), DbError> {
    if let Payload::ProjectPage { project, open } = &op.payload {
        set_page(tx, team, *project, *open, op.stamp())?;
    }
    if let Payload::ConsentWithdraw { consent, .. } = &op.payload {
        let seq: Option<i64> = tx
            .prepare_cached(
                "SELECT seq FROM entities WHERE id = ?2 AND team_id = ?1 AND kind = 'consent'",
            )?
            .query_row(params![team, consent.0.as_bytes().as_slice()], |r| r.get(0))
            .optional()?;
        if let Some(seq) = seq {
            strip_stored(tx, team, seq)?;
        }
    }
    Ok(())
}

/// Strips the personal fields of the stored operation at `seq`.
fn strip_stored(tx: &Connection, team: &str, seq: i64) -> Result<(), DbError> {
    let body: Option<String> = tx
        .prepare_cached("SELECT body FROM ops WHERE team_id = ?1 AND seq = ?2 AND personal = 1")?
        .query_row(params![team, seq], |r| r.get(0))
        .optional()?;
    if let Some(body) = body {
        let op: Operation =
            serde_json::from_str(&body).map_err(|e| DbError::Corrupt(e.to_string()))?;
        store_stripped(tx, team, seq, op)?;
    }
    Ok(())
}

/// Stores `op`, the operation at `seq`, without its personal fields.
fn store_stripped(tx: &Connection, team: &str, seq: i64, mut op: Operation) -> Result<(), DbError> {
    op.strip_personal();
    let body = serde_json::to_string(&op).map_err(|e| DbError::Corrupt(e.to_string()))?;
    tx.prepare_cached("UPDATE ops SET body = ?1, personal = 0 WHERE team_id = ?2 AND seq = ?3")?
        .execute(params![body, team, seq])?;
    Ok(())
}

/// Whether the operation `op_id` is in `team`'s log.
fn has_op(tx: &Connection, team: &str, op_id: &str) -> Result<bool, DbError> {
    Ok(tx
        .prepare_cached("SELECT 1 FROM ops WHERE team_id = ?1 AND op_id = ?2")?
        .query_row(params![team, op_id], |_| Ok(()))
        .optional()?
        .is_some())
}

/// Whether `op` ends something the restored log holds (an erasure of a known address, a
/// withdrawal of a known consent); others have nothing to reach.
fn reaches_something(tx: &Connection, team: &str, op: &Operation) -> Result<bool, DbError> {
    let Some(r) = op.references().into_iter().next() else {
        return Ok(false);
    };
    let known = tx
        .prepare_cached("SELECT 1 FROM entities WHERE id = ?3 AND team_id = ?1 AND kind = ?2")?
        .query_row(
            params![team, r.entity.name(), r.id.as_bytes().as_slice()],
            |_| Ok(()),
        )
        .optional()?
        .is_some();
    Ok(known
        && matches!(
            op.payload,
            Payload::EraseResident { .. } | Payload::ConsentWithdraw { .. }
        ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn migrations_run_once_and_a_newer_file_is_refused() {
        let dir = std::env::temp_dir().join(format!("buurtbel-db-{}", std::process::id()));
        let path = dir.join("nested").join("test.sqlite3");
        Sqlite::open(&path).expect("first open creates and migrates");
        Sqlite::open(&path).expect("second open finds nothing to do");
        let conn = Connection::open(&path).expect("open");
        conn.pragma_update(None, "user_version", MIGRATIONS.len() + 1)
            .expect("bump");
        drop(conn);
        assert!(matches!(Sqlite::open(&path), Err(DbError::TooNew { .. })));
        let _ = std::fs::remove_dir_all(dir);
    }
}

#[cfg(test)]
mod group_tests {
    use buurtbel_core::factory::OpFactory;
    use buurtbel_core::ids::AddressId;

    use super::*;

    fn address(f: &mut OpFactory, number: u32) -> Operation {
        let address = f.id(AddressId::new_v7);
        f.op(Payload::AddressAdd {
            address,
            street: "Lindelaan".into(),
            number,
            letter: String::new(),
            addition: String::new(),
            postcode: "3581 BA".into(),
        })
    }

    fn job(f: &OpFactory, team: TeamId, ops: Vec<Operation>) -> PushJob {
        PushJob {
            team,
            device: f.author().device,
            ops: ops.into_iter().map(PreparedOp::new).collect(),
            now_ms: 1,
        }
    }

    /// Three pushes committed as one group, the middle one refused after it wrote its first
    /// operation: that write goes with it, and the others keep gap-free numbers.
    #[test]
    fn a_refused_push_in_a_group_takes_nothing_of_the_others_with_it() {
        let sqlite = Sqlite::open_in_memory().expect("db");
        let mut f = OpFactory::new(3);
        let team = TeamId::new_v7(1, [9; 10]);
        sqlite
            .create_team(
                NewTeam {
                    team,
                    name: "Lindelaan".into(),
                    neighbourhood: "Oost".into(),
                    device: NewDevice {
                        device: f.author().device,
                        member: f.author().member,
                        token_hash: [1; 32],
                        admin: true,
                        label: String::new(),
                    },
                    invite: NewInvite {
                        code: "ABCDEFGH".into(),
                        expires_at_ms: u64::MAX / 2,
                        max_uses: None,
                    },
                    ops: Vec::new(),
                },
                1,
            )
            .expect("team");
        let first = address(&mut f, 1);
        let mut changed = first.clone();
        let Payload::AddressAdd { number, .. } = &mut changed.payload else {
            unreachable!()
        };
        *number = 2;
        let refused = vec![address(&mut f, 3), changed];
        let third = address(&mut f, 4);
        let answers = sqlite.commit_pushes(vec![
            job(&f, team, vec![first.clone()]),
            job(&f, team, refused),
            job(&f, team, vec![third.clone()]),
        ]);
        assert!(
            matches!(&answers[0], Ok(p) if p.acks[0].seq == 1),
            "{answers:?}"
        );
        assert!(matches!(&answers[1], Err(PushError::Conflict(id)) if *id == first.id));
        assert!(
            matches!(&answers[2], Ok(p) if p.acks[0].seq == 2),
            "{answers:?}"
        );
        let (stored, more) = sqlite.pull(team, 0, 100).expect("pull");
        assert!(!more);
        let ids: Vec<(u64, bool)> = stored
            .iter()
            .map(|(seq, body)| (*seq, body.contains(&third.id.to_string())))
            .collect();
        assert_eq!(ids, [(1, false), (2, true)], "{stored:?}");
        // The next group carries on from there.
        let next = address(&mut f, 5);
        let answers = sqlite.commit_pushes(vec![job(&f, team, vec![next])]);
        assert!(
            matches!(&answers[0], Ok(p) if p.acks[0].seq == 3),
            "{answers:?}"
        );
    }
}

#[cfg(test)]
mod migration_tests {
    use buurtbel_core::domain::{Channel, ConsentPurpose};
    use buurtbel_core::factory::OpFactory;
    use buurtbel_core::ids::{AddressId, ConsentId, QuestionId};
    use buurtbel_core::op::ConsentGive;

    use super::*;

    /// A database as the server before hashed invites kept it: a plain code, and a log with a
    /// withdrawn consent and an answer to an erased resident's question.
    #[test]
    fn an_older_database_loses_its_plain_codes_and_erased_words_when_migrated() {
        let mut conn = Connection::open_in_memory().expect("open");
        for m in &MIGRATIONS[..6] {
            let Migration::Sql(sql) = m else {
                panic!("the first six are SQL")
            };
            conn.execute_batch(sql).expect("old schema");
        }
        conn.pragma_update(None, "user_version", 6)
            .expect("version");
        let mut f = OpFactory::new(4);
        let (address, consent, question) = (
            f.id(AddressId::new_v7),
            f.id(ConsentId::new_v7),
            f.id(QuestionId::new_v7),
        );
        let ops = [
            f.op(Payload::AddressAdd {
                address,
                street: "Lindelaan".into(),
                number: 3,
                letter: String::new(),
                addition: String::new(),
                postcode: "3581 BA".into(),
            }),
            f.op(Payload::ConsentGive(ConsentGive {
                consent,
                address,
                purposes: [ConsentPurpose::ProjectUpdates].into(),
                channels: [Channel::Phone].into(),
                name: "Mevrouw Jansen".into(),
                phone: "06 1234 5678".into(),
                email: String::new(),
                given_at_ms: 1,
            })),
            f.op(Payload::ConsentWithdraw {
                consent,
                withdrawn_at_ms: 2,
            }),
            f.op(Payload::QuestionAsk {
                question,
                project: None,
                text: String::new(),
                address: Some(address),
                asked_at_ms: 3,
            }),
            f.op(Payload::QuestionAnswer {
                question,
                answer: "Ja, mevrouw De Wit".into(),
            }),
            f.op(Payload::EraseResident { address }),
        ];
        let team = "0195e9b0-0000-7000-8000-000000000001";
        conn.execute(
            "INSERT INTO teams (id, name, neighbourhood, created_at_ms) VALUES (?1, 'T', 'B', 0)",
            [team],
        )
        .expect("team");
        conn.execute("INSERT INTO invites (code, team_id, created_by, created_at_ms, expires_at_ms) VALUES ('ABCDEFGH', ?1, 'x', 0, ?2)", params![team, i64::MAX]).expect("invite");
        for (seq, op) in ops.iter().enumerate() {
            conn.execute(
                "INSERT INTO ops (team_id, seq, op_id, device_id, kind, address_id, body, received_at_ms, personal) VALUES (?1, ?2, ?3, 'd', ?4, ?5, ?6, 0, ?7)",
                params![team, seq as i64 + 1, op.id.to_string(), op.kind(), op.resident_address().map(|a| a.to_string()), serde_json::to_string(op).expect("json"), op.holds_personal()],
            )
            .expect("op");
        }
        conn.execute(
            "INSERT INTO erasures (team_id, address_id, stamp) VALUES (?1, ?2, ?3)",
            params![
                team,
                address.to_string(),
                serde_json::to_string(&ops[5].stamp()).expect("json")
            ],
        )
        .expect("erasure");
        let key = InviteKey::random().expect("key");
        migrate(&mut conn, &key).expect("migrated");
        let bodies: String = conn
            .query_row("SELECT group_concat(body, ' ') FROM ops", [], |r| r.get(0))
            .expect("bodies");
        for gone in ["Mevrouw Jansen", "06 1234 5678", "De Wit"] {
            assert!(!bodies.contains(gone), "{gone} stayed: {bodies}");
        }
        let (hash, entities): (Vec<u8>, i64) = conn
            .query_row(
                "SELECT code_hash, (SELECT COUNT(*) FROM entities) FROM invite_codes",
                [],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .expect("hashed");
        assert_eq!(hash, key.hash("ABCDEFGH"));
        assert_eq!(entities, 3, "address, consent, question");
        let sqlite = Sqlite {
            conn: Arc::new(Mutex::new(conn)),
            team_quota: None,
            invite_key: key,
            checkpointer: None,
            pushes: push_group(),
        };
        let device = NewDevice {
            device: DeviceId::new_v7(1, [1; 10]),
            member: MemberId::new_v7(1, [2; 10]),
            token_hash: [7; 32],
            admin: false,
            label: String::new(),
        };
        assert!(matches!(
            sqlite.join("ABCDEFGH", device, Vec::new(), 1),
            Ok((..))
        ));
    }
}
