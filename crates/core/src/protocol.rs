//! Types that cross the wire between the app and the server.
//!
//! Only these types are serialized between processes; JSON fixtures under `tests/fixtures`
//! pin their format.
//!
//! # The exchange
//! - **Push**: a device sends a batch of its operations. The server stores each operation once
//!   (by operation id) and answers, after commit, with the sequence number each has in the
//!   team's log. A retried batch gets the same answer and stores nothing twice.
//! - **Pull**: a device asks for the team's operations after a cursor (the last sequence
//!   number it has), a page at a time; the answer carries the new cursor and whether more
//!   remain.

use serde::{Deserialize, Serialize};

use crate::domain::Role;
use crate::ids::{DeviceId, MemberId, OpId, TeamId};
use crate::op::Operation;

/// The version of the sync protocol this build speaks. A server refuses requests from a
/// newer protocol instead of guessing what they mean.
pub const PROTOCOL_VERSION: u32 = 1;

/// Most operations in one push.
pub const PUSH_MAX_OPS: usize = 1000;

/// Largest page a pull may ask for.
pub const PULL_MAX_LIMIT: u32 = 1000;

/// A position in a team's log: the sequence number of the last operation seen; 0 before the
/// first.
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize,
)]
#[serde(transparent)]
pub struct Cursor(pub u64);

/// A batch of operations from one device.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PushRequest {
    /// The client's protocol version.
    pub protocol_version: u32,
    /// The sending device.
    pub device: DeviceId,
    /// The operations, oldest first.
    pub ops: Vec<Operation>,
}

/// Where one pushed operation landed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Ack {
    /// The operation.
    pub op: OpId,
    /// Its sequence number in the team's log.
    pub seq: u64,
}

/// The answer to a push, sent only after the batch is committed.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PushResponse {
    /// The server's protocol version.
    pub protocol_version: u32,
    /// One acknowledgement per pushed operation, in request order.
    pub acks: Vec<Ack>,
    /// The server's wall clock (Unix milliseconds), so a device can correct its clock offset.
    pub server_time_ms: u64,
}

/// A request for the team's operations after `after`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PullRequest {
    /// The client's protocol version.
    pub protocol_version: u32,
    /// The last sequence number the device has.
    pub after: Cursor,
    /// At most this many operations (capped at [`PULL_MAX_LIMIT`]).
    pub limit: u32,
}

/// An operation with its place in the team's log.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SequencedOp {
    /// Sequence number in the team's log.
    pub seq: u64,
    /// The operation.
    pub op: Operation,
}

/// A page of the team's log.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PullResponse {
    /// The server's protocol version.
    pub protocol_version: u32,
    /// Operations after the request's cursor, in sequence order.
    pub ops: Vec<SequencedOp>,
    /// The cursor to ask from next time.
    pub cursor: Cursor,
    /// Whether more operations remain after this page.
    pub more: bool,
    /// The server's wall clock (Unix milliseconds).
    pub server_time_ms: u64,
    /// Whether the pulling device is an admin's now: a promotion (or its end) reaches the
    /// phone at its next sync. Absent from a server that does not say.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub admin: Option<bool>,
}

/// The body of every error answer.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ErrorBody {
    /// A stable, machine-readable code such as `invalid_operation`.
    pub code: String,
    /// A short explanation for people.
    pub message: String,
    /// The operation at fault, when one is.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub op: Option<OpId>,
    /// The field at fault, when one is.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
    /// For an operation refused because it is stamped too early (an erasure older than data
    /// the server already holds): the timestamp to stamp it after.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stamp_after: Option<crate::clock::Hlc>,
    /// For an operation refused because it is stamped too far ahead of the server's clock
    /// ([`CLOCK_AHEAD_CODE`]): the server's time then (Unix milliseconds).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub server_time_ms: Option<u64>,
}

/// The error code of an operation stamped more than the drift bound ahead of the server's
/// clock; the body's `server_time_ms` says the server's time, and the phone stamps what waits
/// again from it. A phone never stamps again without that time.
pub const CLOCK_AHEAD_CODE: &str = "clock_ahead";

/// The error code of an erasure refused because the server holds data of that resident stamped
/// after it (the erasing phone's clock is slow, or it had not pulled yet): the phone stamps it
/// again after `stamp_after` and sends it again, so it reaches everything stored before it.
pub const ERASURE_BEHIND_CODE: &str = "erasure_behind";

/// The error code of an operation whose id the server holds with other content: the team has
/// that operation already (a copy sent before this phone stamped it again), and its copy is
/// the one that counts.
pub const CONFLICT_CODE: &str = "operation_conflict";

/// The answer of the health endpoints.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Health {
    /// `"ok"` when the check passed.
    pub status: String,
    /// The protocol version the server speaks.
    pub protocol_version: u32,
}

impl Health {
    /// A passing check.
    pub fn ok() -> Health {
        Health {
            status: "ok".to_owned(),
            protocol_version: PROTOCOL_VERSION,
        }
    }
}

/// A team, as the setup answers name it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TeamView {
    /// The team.
    pub id: TeamId,
    /// Its name.
    pub name: String,
    /// The buurt it works in.
    pub neighbourhood: String,
}

/// The member a device acts for.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MemberView {
    /// The member.
    pub id: MemberId,
    /// Name shown to the team.
    pub display_name: String,
}

/// A device's identity and bearer token. The token is shown once; the server keeps its hash.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeviceCredentials {
    /// The device.
    pub id: DeviceId,
    /// The bearer token for every sync request.
    pub token: String,
    /// Whether the device may invite and remove devices.
    pub admin: bool,
}

/// An invite code to hand to a new member.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct InviteView {
    /// The code as people type it (`ABCD-EFGH`). Shown once: the server keeps only a hash.
    pub code: String,
    /// The invite's id, to revoke it by (empty from servers that named invites by code).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub id: String,
    /// When it stops working (Unix milliseconds).
    pub expires_at_ms: u64,
    /// How many devices may still join with it; `None` is unlimited until it expires.
    pub max_uses: Option<u32>,
}

/// `POST /api/v1/teams`: start a team on this server.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CreateTeam {
    /// The team's name.
    pub name: String,
    /// The buurt it works in.
    pub neighbourhood: String,
    /// The first member's name.
    pub display_name: String,
    /// What the device is called in the team's device list.
    #[serde(default)]
    pub device_label: String,
}

/// The answer to [`CreateTeam`].
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TeamCreated {
    /// The new team.
    pub team: TeamView,
    /// Its first member.
    pub member: MemberView,
    /// The device's credentials (an admin device).
    pub device: DeviceCredentials,
    /// A first invite for the rest of the team.
    pub invite: InviteView,
}

/// Hours an invite works when not said otherwise: three days, enough to pass it on after a
/// team evening, short enough that an old code found later opens nothing.
pub const INVITE_HOURS_DEFAULT: u32 = 72;

/// Devices that may join with an invite when not said otherwise.
pub const INVITE_USES_DEFAULT: u32 = 10;

/// `POST /api/v1/invites`: a new invite code (admin devices only).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CreateInvite {
    /// Hours the code works; [`INVITE_HOURS_DEFAULT`] when absent.
    #[serde(default)]
    pub valid_hours: Option<u32>,
    /// Devices that may join with it; [`INVITE_USES_DEFAULT`] when absent.
    #[serde(default)]
    pub max_uses: Option<u32>,
}

/// An invite as `GET /api/v1/invites` lists it for admins.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct InviteInfo {
    /// The invite's id (`DELETE /api/v1/invites/{id}` revokes it). The code itself is not
    /// kept by the server, so it is not listed.
    pub id: String,
    /// When it was made (Unix milliseconds).
    pub created_at_ms: u64,
    /// When it stops working (Unix milliseconds).
    pub expires_at_ms: u64,
    /// How many devices may join with it in all; `None` is unlimited.
    pub max_uses: Option<u32>,
    /// How many joined with it.
    pub uses: u32,
    /// An admin revoked it.
    pub revoked: bool,
}

/// The answer of `GET /api/v1/invites`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct InviteList {
    /// The team's invites, newest first.
    pub invites: Vec<InviteInfo>,
}

/// `PUT /api/v1/members/{id}/admin`: make a member admin, or not (admin devices only). A team
/// always keeps at least one admin.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SetAdmin {
    /// Admin or not.
    pub admin: bool,
}

/// `POST /api/v1/join`: join a team with an invite code.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Join {
    /// The invite code, as typed.
    pub code: String,
    /// The new member's name.
    pub display_name: String,
    /// What the device is called in the team's device list.
    #[serde(default)]
    pub device_label: String,
}

/// The answer to [`Join`].
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Joined {
    /// The team joined.
    pub team: TeamView,
    /// The new member.
    pub member: MemberView,
    /// The device's credentials.
    pub device: DeviceCredentials,
}

/// A device of the team, as `GET /api/v1/devices` lists it for admins.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeviceView {
    /// The device.
    pub id: DeviceId,
    /// The member using it.
    pub member: MemberId,
    /// What it is called ("Telefoon Anna").
    pub label: String,
    /// Whether it may manage invites and devices.
    pub admin: bool,
    /// When it joined (Unix milliseconds).
    pub created_at_ms: u64,
    /// Its last request, to the minute (Unix milliseconds).
    pub last_seen_ms: Option<u64>,
    /// When it was revoked, if it was (Unix milliseconds).
    pub revoked_at_ms: Option<u64>,
    /// Revoked as lost: the next time it reaches the server it deletes the team's data.
    #[serde(default)]
    pub lost: bool,
}

/// The answer of `GET /api/v1/devices`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeviceList {
    /// Every device of the team, revoked ones included, oldest first.
    pub devices: Vec<DeviceView>,
}

/// A buurtbegeleider (coach) the team lets look along: they see the team's figures, never a
/// resident's data.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CoachView {
    /// The coach's id (32 hex digits).
    pub coach: String,
    /// Their name.
    pub name: String,
    /// Their organisation.
    pub organisation: String,
    /// Since when they look along.
    pub granted_at_ms: u64,
}

/// The answer of `GET /api/v1/coaches`: who looks along with the team now, longest first,
/// and the volunteers coaches introduced to the team.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CoachList {
    /// The coaches.
    pub coaches: Vec<CoachView>,
    /// The introductions, oldest first (absent from servers without them).
    #[serde(default)]
    pub introductions: Vec<Introduction>,
}

/// A volunteer from a coach's organisation, introduced to the team for a role with their
/// consent: a candidate the team may invite. Kept on the server only, until the coach
/// withdraws it or the team removes it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Introduction {
    /// Its id (32 hex digits).
    pub id: String,
    /// The volunteer's name.
    pub name: String,
    /// The role they would take.
    pub role: Role,
    /// How to reach them (a phone number or an e-mail address), as the coach wrote it.
    pub contact: String,
    /// The coach who introduced them.
    pub coach: String,
    /// When the team invited them, if it did (Unix milliseconds).
    #[serde(default)]
    pub invited_at_ms: Option<u64>,
}

/// `POST /api/v1/coaches`: let the coach with this code look along (admin devices only).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct GrantCoach {
    /// The code the coach gave the team, as typed.
    pub code: String,
}

/// The error code of the answer a device revoked as lost gets (with status 401): delete the
/// team's data from the phone now.
pub const WIPE_CODE: &str = "device_wiped";
