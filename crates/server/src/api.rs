//! The `/api` routes. `docs/sync-protocol.md` documents them with examples.

use axum::extract::{FromRequest, Path, Query, Request, State};
use axum::http::StatusCode;
use axum::http::header::HeaderMap;
use axum::response::IntoResponse;
use axum::routing::{delete, get, post, put};
use axum::{Json, Router};
use buurtbel_core::clock::check_drift;
use buurtbel_core::ids::{DeviceId, MemberId, OpId, TeamId};
use buurtbel_core::op::{Author, Operation, Payload};
use buurtbel_core::protocol::{
    CoachList, CreateInvite, CreateTeam, Cursor, DeviceCredentials, DeviceList, GrantCoach, Health,
    INVITE_HOURS_DEFAULT, INVITE_USES_DEFAULT, InviteList, InviteView, Join, Joined, MemberView,
    PROTOCOL_VERSION, PULL_MAX_LIMIT, PUSH_MAX_OPS, PullRequest, PushResponse, SetAdmin,
    TeamCreated, TeamView,
};
use buurtbel_core::validate::{NAME_MAX, ValidationError};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use serde_json::value::RawValue;

use crate::auth::{
    AdminAuth, DeviceAuth, SetupClient, SyncAuth, display_invite_code, is_server_key,
    new_invite_code, new_token, normalize_invite_code, random_bytes,
};
use crate::config::TeamCreation;
use crate::db::{DbError, InviteRef, NewDevice, NewInvite, NewTeam, PreparedOp};
use crate::error::ApiError;
use crate::{AppState, now_ms};

/// Routes below `/api`. Unknown paths answer a JSON 404, never the app's `index.html`.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/health", get(live))
        .route("/health/ready", get(ready))
        .route("/metrics", get(crate::metrics::serve))
        .route("/v1/teams", post(create_team).layer(small_body()))
        .route(
            "/v1/invites",
            post(create_invite).layer(small_body()).get(list_invites),
        )
        .route("/v1/invites/{which}", delete(revoke_invite))
        .route("/v1/members/{id}/admin", put(set_admin).layer(small_body()))
        .route("/v1/join", post(join).layer(small_body()))
        .route("/v1/join/preview", post(join_preview).layer(small_body()))
        .route("/v1/devices", get(list_devices))
        .route(
            "/v1/coaches",
            get(list_coaches).post(grant_coach).layer(small_body()),
        )
        .route("/v1/coaches/{id}", delete(withdraw_coach))
        .route("/v1/devices/{id}", delete(revoke_device))
        .route("/v1/push", post(push))
        .route("/v1/pull", post(pull))
        .merge(crate::org::routes())
        .fallback(|| async { ApiError::NotFound })
}

/// Largest body of the set-up and admin routes: their requests are a few short fields, and
/// team creation and joining are open to anyone.
pub const SETUP_BODY_LIMIT: usize = 16 * 1024;

fn small_body() -> axum::extract::DefaultBodyLimit {
    axum::extract::DefaultBodyLimit::max(SETUP_BODY_LIMIT)
}

/// A JSON body whose errors answer in our JSON error format (axum's own answer plain text).
#[derive(Debug)]
pub struct JsonBody<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequest<S> for JsonBody<T> {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, ApiError> {
        let bytes = axum::body::Bytes::from_request(req, state)
            .await
            .map_err(|rejection| {
                if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE {
                    ApiError::TooLarge
                } else {
                    ApiError::Malformed("the request body could not be read".into())
                }
            })?;
        serde_json::from_slice(&bytes).map(JsonBody).map_err(|e| {
            ApiError::Malformed(format!(
                "the body is not valid JSON of the expected shape: {}",
                crate::error::json_problem(&e)
            ))
        })
    }
}

/// Liveness: the process answers.
async fn live() -> Json<Health> {
    Json(Health::ok())
}

/// Readiness: the database answers a query.
async fn ready(State(state): State<AppState>) -> Result<Json<Health>, ApiError> {
    state.storage(|s| s.ping()).await?;
    Ok(Json(Health::ok()))
}

/// Longest lifetime of an invite: 30 days.
const INVITE_HOURS_MAX: u32 = 30 * 24;

fn invalid(err: ValidationError) -> ApiError {
    ApiError::InvalidField {
        field: err.field.trim_start_matches("payload.").to_owned(),
        message: err.problem.to_string(),
    }
}

fn device_label(label: &str) -> Result<String, ApiError> {
    let label = label.trim();
    if label.chars().count() > NAME_MAX || label.chars().any(char::is_control) {
        return Err(ApiError::InvalidField {
            field: "device_label".into(),
            message: format!("at most {NAME_MAX} characters"),
        });
    }
    Ok(label.to_owned())
}

impl AppState {
    /// An operation made by the server on behalf of a member (team creation, joining).
    pub(crate) fn server_op(
        &self,
        author: Author,
        payload: Payload,
    ) -> Result<Operation, ApiError> {
        let now = now_ms();
        let hlc = self
            .clock
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .tick(now)
            .map_err(|_| ApiError::Internal("clock counter exhausted"))?;
        let op = Operation {
            id: OpId::new_v7(now, random_bytes()?),
            hlc,
            author,
            payload,
        };
        op.validate().map_err(invalid)?;
        Ok(op)
    }

    pub(crate) fn new_invite(
        &self,
        hours: u32,
        max_uses: Option<u32>,
    ) -> Result<NewInvite, ApiError> {
        Ok(NewInvite {
            code: new_invite_code()?,
            expires_at_ms: now_ms() + u64::from(hours) * 3_600_000,
            max_uses,
        })
    }
}

async fn create_team(
    State(state): State<AppState>,
    SetupClient(client): SetupClient,
    headers: HeaderMap,
    JsonBody(req): JsonBody<CreateTeam>,
) -> Result<impl IntoResponse, ApiError> {
    // The rate limit was taken first (by `SetupClient`), so the key cannot be guessed fast.
    let allowed = match &state.team_creation {
        TeamCreation::Open => true,
        TeamCreation::Local => client.is_local(),
        TeamCreation::Key(key) => headers
            .get("x-server-key")
            .and_then(|v| v.to_str().ok())
            .is_some_and(|given| is_server_key(given, key)),
    };
    if !allowed {
        return Err(ApiError::Forbidden(
            "creating teams on this server needs the server key",
        ));
    }
    let team = TeamId::new_v7(now_ms(), random_bytes()?);
    let author = Author {
        member: MemberId::new_v7(now_ms(), random_bytes()?),
        device: DeviceId::new_v7(now_ms(), random_bytes()?),
    };
    let ops = vec![
        state.server_op(
            author,
            Payload::TeamUpdate {
                name: Some(req.name.trim().to_owned()),
                neighbourhood: Some(req.neighbourhood.trim().to_owned()),
            },
        )?,
        state.server_op(
            author,
            Payload::MemberAdd {
                member: author.member,
                display_name: req.display_name.trim().to_owned(),
                roles: Default::default(),
            },
        )?,
    ];
    let (token, token_hash) = new_token()?;
    let label = device_label(&req.device_label)?;
    let invite = state.new_invite(INVITE_HOURS_DEFAULT, Some(INVITE_USES_DEFAULT))?;
    let mut created = TeamCreated {
        team: TeamView {
            id: team,
            name: req.name.trim().to_owned(),
            neighbourhood: req.neighbourhood.trim().to_owned(),
        },
        member: MemberView {
            id: author.member,
            display_name: req.display_name.trim().to_owned(),
        },
        device: DeviceCredentials {
            id: author.device,
            token,
            admin: true,
        },
        invite: InviteView {
            code: display_invite_code(&invite.code),
            id: String::new(),
            expires_at_ms: invite.expires_at_ms,
            max_uses: invite.max_uses,
        },
    };
    let new = NewTeam {
        team,
        name: created.team.name.clone(),
        neighbourhood: created.team.neighbourhood.clone(),
        device: NewDevice {
            device: author.device,
            member: author.member,
            token_hash,
            admin: true,
            label,
        },
        invite,
        ops: ops.into_iter().map(PreparedOp::new).collect(),
    };
    let now = now_ms();
    created.invite.id = state.storage(move |s| s.create_team(new, now)).await?;
    tracing::info!(team = %team, "team created");
    Ok((StatusCode::CREATED, Json(created)))
}

async fn create_invite(
    State(state): State<AppState>,
    AdminAuth(auth): AdminAuth,
    JsonBody(req): JsonBody<CreateInvite>,
) -> Result<impl IntoResponse, ApiError> {
    let hours = req.valid_hours.unwrap_or(INVITE_HOURS_DEFAULT);
    if !(1..=INVITE_HOURS_MAX).contains(&hours) {
        return Err(ApiError::InvalidField {
            field: "valid_hours".into(),
            message: format!("must be between 1 and {INVITE_HOURS_MAX}"),
        });
    }
    if req.max_uses.is_some_and(|n| !(1..=1000).contains(&n)) {
        return Err(ApiError::InvalidField {
            field: "max_uses".into(),
            message: "must be between 1 and 1000".into(),
        });
    }
    let invite = state.new_invite(hours, Some(req.max_uses.unwrap_or(INVITE_USES_DEFAULT)))?;
    let mut view = InviteView {
        code: display_invite_code(&invite.code),
        id: String::new(),
        expires_at_ms: invite.expires_at_ms,
        max_uses: invite.max_uses,
    };
    let now = now_ms();
    view.id = state
        .storage(move |s| s.create_invite(auth.team, auth.device, &invite, now))
        .await?;
    Ok((StatusCode::CREATED, Json(view)))
}

/// Whether an address may try an invite code now (to join, or to see the team it opens).
/// Failed attempts from all addresses together are limited too: while many addresses guess at
/// once, an address that guessed wrong lately waits. Addresses without a wrong guess go on, so
/// a team evening where people join with the right code is not stopped by them.
async fn may_guess(state: &AppState, key: std::net::IpAddr) -> Result<(), ApiError> {
    let (everyone, burst) = (GUESSES_EVERYONE, state.join_failures_burst);
    let this = guesses_from(key);
    let now = now_ms();
    let (all, mine) = state
        .storage(move |s| {
            Ok::<_, DbError>((
                s.bucket_level(everyone, burst, 1_000, now)?,
                s.bucket_level(&this, GUESSES_PER_ADDRESS, GUESS_BACK_MS, now)?,
            ))
        })
        .await?;
    if all < 1_000 && mine < u64::from(GUESSES_PER_ADDRESS) * 1_000 {
        return Err(ApiError::TooManyRequests);
    }
    Ok(())
}

/// The rate bucket of wrong invite codes from all addresses together: full at
/// `--join-failures-burst`, one back a second. Kept in the database, so several instances on
/// one database count them together.
const GUESSES_EVERYONE: &str = "wrong invite codes";
/// Wrong codes one address may try before it waits, and how long it waits for each next one.
const GUESSES_PER_ADDRESS: u32 = 3;
const GUESS_BACK_MS: u64 = 600_000;

/// The rate bucket of wrong invite codes from `key` (stored as a keyed hash).
fn guesses_from(key: std::net::IpAddr) -> String {
    format!("wrong invite codes from {key}")
}

/// Counts a wrong invite code against all addresses and against this one.
async fn guessed_wrong(state: &AppState, key: std::net::IpAddr) {
    let burst = state.join_failures_burst;
    let this = guesses_from(key);
    let now = now_ms();
    let counted = state
        .storage(move |s| {
            s.bucket_take(GUESSES_EVERYONE, burst, 1_000, now)?;
            s.bucket_take(&this, GUESSES_PER_ADDRESS, GUESS_BACK_MS, now)
        })
        .await;
    if let Err(e) = counted {
        tracing::warn!(error = %e, "a wrong invite code could not be counted");
    }
}

/// The team an invite code opens, for the page a join link opens: the new member sees which
/// team they join before typing a name. Nothing is used up; a wrong code counts as a wrong guess
/// exactly as with joining, so guessing here is no faster than there.
async fn join_preview(
    State(state): State<AppState>,
    SetupClient(client): SetupClient,
    JsonBody(req): JsonBody<Join>,
) -> Result<Json<TeamView>, ApiError> {
    let key = client.rate_key();
    may_guess(&state, key).await?;
    let now = now_ms();
    let found = match normalize_invite_code(&req.code) {
        Some(code) => state.storage(move |s| s.invite_team(&code, now)).await?,
        None => None,
    };
    let Some((id, name, neighbourhood)) = found else {
        guessed_wrong(&state, key).await;
        return Err(ApiError::InvalidInvite);
    };
    Ok(Json(TeamView {
        id,
        name,
        neighbourhood,
    }))
}

async fn join(
    State(state): State<AppState>,
    SetupClient(client): SetupClient,
    JsonBody(req): JsonBody<Join>,
) -> Result<impl IntoResponse, ApiError> {
    let key = client.rate_key();
    may_guess(&state, key).await?;
    let joined = join_with(&state, req).await;
    if matches!(joined, Err(ApiError::InvalidInvite)) {
        guessed_wrong(&state, key).await;
    }
    joined
}

/// Joins the team `req`'s code opens.
async fn join_with(state: &AppState, req: Join) -> Result<(StatusCode, Json<Joined>), ApiError> {
    let code = normalize_invite_code(&req.code).ok_or(ApiError::InvalidInvite)?;
    if !state.join_by_code.check(&code) {
        return Err(ApiError::TooManyRequests);
    }
    let author = Author {
        member: MemberId::new_v7(now_ms(), random_bytes()?),
        device: DeviceId::new_v7(now_ms(), random_bytes()?),
    };
    let display_name = req.display_name.trim().to_owned();
    let member_op = state.server_op(
        author,
        Payload::MemberAdd {
            member: author.member,
            display_name: display_name.clone(),
            roles: Default::default(),
        },
    )?;
    let (token, token_hash) = new_token()?;
    let device = NewDevice {
        device: author.device,
        member: author.member,
        token_hash,
        admin: false,
        label: device_label(&req.device_label)?,
    };
    let now = now_ms();
    let (team, name, neighbourhood) = state
        .storage(move |s| s.join(&code, device, vec![PreparedOp::new(member_op)], now))
        .await?;
    tracing::info!(team = %team, "device joined");
    Ok((
        StatusCode::CREATED,
        Json(Joined {
            team: TeamView {
                id: team,
                name,
                neighbourhood,
            },
            member: MemberView {
                id: author.member,
                display_name,
            },
            device: DeviceCredentials {
                id: author.device,
                token,
                admin: false,
            },
        }),
    ))
}

async fn list_devices(
    State(state): State<AppState>,
    AdminAuth(auth): AdminAuth,
) -> Result<impl IntoResponse, ApiError> {
    let devices = state.storage(move |s| s.list_devices(auth.team)).await?;
    Ok(Json(DeviceList { devices }))
}

/// Every member sees who looks along with the team, and the volunteers they introduced.
async fn list_coaches(
    State(state): State<AppState>,
    auth: DeviceAuth,
) -> Result<impl IntoResponse, ApiError> {
    let (coaches, introductions) = state
        .storage(move |s| {
            Ok::<_, DbError>((
                s.team_coaches(auth.team)?,
                s.introductions(auth.team, None)?,
            ))
        })
        .await?;
    Ok(Json(CoachList {
        coaches,
        introductions,
    }))
}

async fn grant_coach(
    State(state): State<AppState>,
    AdminAuth(auth): AdminAuth,
    JsonBody(req): JsonBody<GrantCoach>,
) -> Result<impl IntoResponse, ApiError> {
    let code = normalize_invite_code(&req.code).ok_or(ApiError::NotFound)?;
    let now = now_ms();
    let granted = state
        .storage(move |s| s.grant_coach(auth.team, &code, auth.member, now))
        .await?
        .ok_or(ApiError::NotFound)?;
    tracing::info!(team = %auth.team, coach = %granted.coach, "coach may look along");
    Ok((StatusCode::CREATED, Json(granted)))
}

async fn withdraw_coach(
    State(state): State<AppState>,
    AdminAuth(auth): AdminAuth,
    Path(coach): Path<String>,
) -> Result<StatusCode, ApiError> {
    let coach = crate::db::hex_id(&coach).ok_or(ApiError::NotFound)?;
    let now = now_ms();
    let id = coach.clone();
    if state
        .storage(move |s| s.withdraw_coach(auth.team, &id, now))
        .await?
    {
        tracing::info!(team = %auth.team, coach = %coach, "coach no longer looks along");
        Ok(StatusCode::NO_CONTENT)
    } else {
        Err(ApiError::NotFound)
    }
}

async fn list_invites(
    State(state): State<AppState>,
    AdminAuth(auth): AdminAuth,
) -> Result<impl IntoResponse, ApiError> {
    let invites = state.storage(move |s| s.list_invites(auth.team)).await?;
    Ok(Json(InviteList { invites }))
}

async fn revoke_invite(
    State(state): State<AppState>,
    AdminAuth(auth): AdminAuth,
    Path(which): Path<String>,
) -> Result<StatusCode, ApiError> {
    let which = if which.len() == 32 && which.bytes().all(|b| b.is_ascii_hexdigit()) {
        InviteRef::Id(which.to_ascii_lowercase())
    } else {
        InviteRef::Code(normalize_invite_code(&which).ok_or(ApiError::NotFound)?)
    };
    let now = now_ms();
    if state
        .storage(move |s| s.revoke_invite(auth.team, &which, now))
        .await?
    {
        tracing::info!(team = %auth.team, "invite revoked");
        Ok(StatusCode::NO_CONTENT)
    } else {
        Err(ApiError::NotFound)
    }
}

async fn set_admin(
    State(state): State<AppState>,
    AdminAuth(auth): AdminAuth,
    Path(id): Path<String>,
    JsonBody(req): JsonBody<SetAdmin>,
) -> Result<StatusCode, ApiError> {
    let member = uuid::Uuid::parse_str(&id)
        .map(MemberId)
        .map_err(|_| ApiError::NotFound)?;
    if state
        .storage(move |s| s.set_admin(auth.team, member, req.admin))
        .await?
    {
        tracing::info!(team = %auth.team, member = %member, admin = req.admin, "admin changed");
        Ok(StatusCode::NO_CONTENT)
    } else {
        Err(ApiError::NotFound)
    }
}

/// `DELETE /api/v1/devices/{id}?lost=true`: revoke as lost.
#[derive(Debug, Default, Deserialize)]
struct RevokeQuery {
    #[serde(default)]
    lost: bool,
}

async fn revoke_device(
    State(state): State<AppState>,
    AdminAuth(auth): AdminAuth,
    Path(id): Path<String>,
    query: Result<Query<RevokeQuery>, axum::extract::rejection::QueryRejection>,
) -> Result<StatusCode, ApiError> {
    let device = uuid::Uuid::parse_str(&id)
        .map(DeviceId)
        .map_err(|_| ApiError::NotFound)?;
    let Query(RevokeQuery { lost }) =
        query.map_err(|_| ApiError::Malformed("lost must be true or false".into()))?;
    let now = now_ms();
    if state
        .storage(move |s| s.revoke_device(auth.team, device, lost, now))
        .await?
    {
        tracing::info!(team = %auth.team, device = %device, lost, "device revoked");
        Ok(StatusCode::NO_CONTENT)
    } else {
        Err(ApiError::NotFound)
    }
}

/// A push as it arrives: operations stay raw until the protocol version is known, so each can
/// be decoded on its own and an error can name it.
#[derive(Debug, Deserialize)]
struct RawPush {
    protocol_version: u32,
    device: DeviceId,
    ops: LimitedOps,
}

/// The operations of a push, at most [`PUSH_MAX_OPS`] of them: past the limit the rest of the
/// list is skipped without keeping anything, so a body of a million tiny elements costs no
/// more memory than the body itself.
#[derive(Debug)]
struct LimitedOps {
    ops: Vec<Box<RawValue>>,
    over: bool,
}

impl<'de> Deserialize<'de> for LimitedOps {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Visit;
        impl<'de> serde::de::Visitor<'de> for Visit {
            type Value = LimitedOps;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a list of operations")
            }
            fn visit_seq<A: serde::de::SeqAccess<'de>>(
                self,
                mut seq: A,
            ) -> Result<LimitedOps, A::Error> {
                let mut ops = Vec::new();
                while let Some(op) = seq.next_element::<Box<RawValue>>()? {
                    ops.push(op);
                    if ops.len() > PUSH_MAX_OPS {
                        while seq.next_element::<serde::de::IgnoredAny>()?.is_some() {}
                        return Ok(LimitedOps {
                            ops: Vec::new(),
                            over: true,
                        });
                    }
                }
                Ok(LimitedOps { ops, over: false })
            }
        }
        deserializer.deserialize_seq(Visit)
    }
}

fn check_version(version: u32) -> Result<(), ApiError> {
    if version > PROTOCOL_VERSION {
        Err(ApiError::UnsupportedProtocol(version))
    } else {
        Ok(())
    }
}

/// Whether the pushing device's member may make this change: core's rules
/// ([`buurtbel_core::rules::permission`]).
fn allowed(op: &Operation, auth: &DeviceAuth) -> Result<(), ApiError> {
    let pusher = buurtbel_core::rules::Pusher {
        member: auth.member,
        admin: auth.admin,
    };
    buurtbel_core::rules::permission(op, pusher)
        .map_err(|message| ApiError::NotAllowed { op: op.id, message })
}

/// Decodes and checks one pushed operation.
fn prepare(raw: &RawValue, auth: &DeviceAuth, now: u64) -> Result<PreparedOp, ApiError> {
    let op: Operation = serde_json::from_str(raw.get()).map_err(|e| {
        // Name the operation if its id at least can be read.
        let id = serde_json::from_str::<serde_json::Value>(raw.get())
            .ok()
            .and_then(|v| {
                v.get("id")
                    .and_then(|id| id.as_str())
                    .and_then(|s| uuid::Uuid::parse_str(s).ok())
            });
        match id {
            Some(id) => ApiError::InvalidOperation {
                op: OpId(id),
                field: None,
                message: format!("not a valid operation: {}", crate::error::json_problem(&e)),
            },
            None => ApiError::Malformed(format!(
                "an operation is not valid: {}",
                crate::error::json_problem(&e)
            )),
        }
    })?;
    let fail = |field: &str, message: String| ApiError::InvalidOperation {
        op: op.id,
        field: Some(field.to_owned()),
        message,
    };
    op.validate()
        .map_err(|e| fail(e.field, e.problem.to_string()))?;
    if op.author.device != auth.device {
        return Err(fail("author.device", "must be the pushing device".into()));
    }
    if op.author.member != auth.member {
        return Err(fail(
            "author.member",
            "must be the member of the pushing device".into(),
        ));
    }
    allowed(&op, auth)?;
    check_drift(op.hlc, now).map_err(|_| ApiError::ClockAhead { op: op.id, now })?;
    Ok(PreparedOp::new(op))
}

async fn push(
    State(state): State<AppState>,
    sync: SyncAuth,
    JsonBody(req): JsonBody<RawPush>,
) -> Result<Json<PushResponse>, ApiError> {
    // `sync` lives to the end: its permit counts this request in flight.
    let auth = sync.auth;
    check_version(req.protocol_version)?;
    if req.device != auth.device {
        return Err(ApiError::Forbidden(
            "the batch names another device than the token",
        ));
    }
    if req.ops.over {
        return Err(ApiError::InvalidField {
            field: "ops".into(),
            message: format!("at most {PUSH_MAX_OPS} operations per push"),
        });
    }
    let now = now_ms();
    let ops = req
        .ops
        .ops
        .iter()
        .map(|raw| prepare(raw, &auth, now))
        .collect::<Result<Vec<_>, _>>()?;
    let erases = ops.iter().any(|p| {
        matches!(
            p.op.payload,
            Payload::EraseResident { .. } | Payload::ConsentWithdraw { .. }
        )
    });
    let pushed = state
        .storage(move |s| s.push(auth.team, auth.device, ops, now))
        .await?;
    if erases {
        state.folds.forget(auth.team);
    }
    state.metrics.stored(pushed.stored);
    Ok(Json(PushResponse {
        protocol_version: PROTOCOL_VERSION,
        acks: pushed.acks,
        server_time_ms: now_ms(),
    }))
}

/// The wire shape of core's `PullResponse`, with operations passed through as stored.
#[derive(Debug, Serialize)]
struct RawPullResponse {
    protocol_version: u32,
    ops: Vec<RawSequencedOp>,
    cursor: Cursor,
    more: bool,
    server_time_ms: u64,
    admin: bool,
}

#[derive(Debug, Serialize)]
struct RawSequencedOp {
    seq: u64,
    op: Box<RawValue>,
}

async fn pull(
    State(state): State<AppState>,
    sync: SyncAuth,
    JsonBody(req): JsonBody<PullRequest>,
) -> Result<Json<RawPullResponse>, ApiError> {
    let auth = sync.auth;
    check_version(req.protocol_version)?;
    if !(1..=PULL_MAX_LIMIT).contains(&req.limit) {
        return Err(ApiError::InvalidField {
            field: "limit".into(),
            message: format!("must be between 1 and {PULL_MAX_LIMIT}"),
        });
    }
    let (rows, more) = state
        .storage(move |s| s.pull(auth.team, req.after.0, req.limit))
        .await?;
    let cursor = Cursor(rows.last().map_or(req.after.0, |(seq, _)| *seq));
    let ops = rows
        .into_iter()
        .map(|(seq, body)| {
            RawValue::from_string(body)
                .map(|op| RawSequencedOp { seq, op })
                .map_err(|e| crate::db::DbError::Corrupt(e.to_string()))
        })
        .collect::<Result<_, _>>()?;
    Ok(Json(RawPullResponse {
        protocol_version: PROTOCOL_VERSION,
        ops,
        cursor,
        more,
        server_time_ms: now_ms(),
        admin: auth.admin,
    }))
}
