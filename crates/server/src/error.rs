//! The one error type of the HTTP layer. Every error answers as JSON `{code, message}` (core's
//! [`ErrorBody`]); internals are logged, never sent.

use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use buurtbel_core::ids::OpId;
use buurtbel_core::protocol::ErrorBody;

use crate::db::{AdminError, DbError, JoinError, PushError};

/// The error code of an answer, left on the response by [`ApiError`] for the request
/// counters (`metrics.rs`).
#[derive(Clone, Copy, Debug)]
pub struct ErrorCode(pub &'static str);

/// An error a handler returns.
#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    /// No such route or record.
    #[error("not found")]
    NotFound,
    /// No token, an unknown token, or a revoked device.
    #[error("this device is not (or no longer) part of a team")]
    Unauthorized,
    /// The device was revoked as lost: it must delete the team's data.
    #[error("this device was removed from the team as lost; delete the team's data from it")]
    Wiped,
    /// Authenticated, but not allowed.
    #[error("{0}")]
    Forbidden(&'static str),
    /// The request does not say its body is JSON.
    #[error("send the body as application/json")]
    NotJson,
    /// The body is not JSON of the expected shape.
    #[error("{0}")]
    Malformed(String),
    /// The client speaks a newer protocol than this server.
    #[error("protocol version {0} is newer than this server's; update the server")]
    UnsupportedProtocol(u32),
    /// A request field breaks a rule.
    #[error("{field}: {message}")]
    InvalidField {
        /// The field.
        field: String,
        /// What is wrong.
        message: String,
    },
    /// An operation breaks a rule; nothing of its batch was stored.
    #[error("operation {op}: {message}")]
    InvalidOperation {
        /// The operation.
        op: OpId,
        /// The field, when one is at fault.
        field: Option<String>,
        /// What is wrong.
        message: String,
    },
    /// An operation id was already used for a different operation.
    #[error("operation {0} was stored before with different content")]
    Conflict(OpId),
    /// The device's member may not make this change.
    #[error("operation {op}: {message}")]
    NotAllowed {
        /// The operation.
        op: OpId,
        /// Why.
        message: &'static str,
    },
    /// The operation is stamped too far ahead of the server's clock (at `now`).
    #[error(
        "operation {op}: more than {} minutes ahead of the server clock ({now}); correct the clock and stamp it again",
        buurtbel_core::clock::MAX_DRIFT_MS / 60_000
    )]
    ClockAhead {
        /// The operation.
        op: OpId,
        /// The server's time (Unix milliseconds).
        now: u64,
    },
    /// The member erased as many residents' data this hour as one may.
    #[error(
        "operation {0}: at most {1} erasures per hour by one member; it is sent again later, or an admin erases"
    )]
    ErasureLimit(OpId, u32),
    /// The team has as many open invites as it may.
    #[error(
        "this team has {} open invites; revoke one first",
        crate::db::OPEN_INVITES_MAX
    )]
    TooManyInvites,
    /// The change would leave the team without an admin.
    #[error("a team keeps at least one admin: make another member admin first")]
    LastAdmin,
    /// The team's space on this server is used up.
    #[error(
        "this team's space on the server ({0} MB) is used up; nothing was saved there, ask the server's operator for more"
    )]
    TeamQuota(u64),
    /// An erasure is stamped before data the server holds of that resident.
    #[error(
        "operation {0}: this erasure is stamped before data the server holds of the resident; stamp it again after the time given and send it again"
    )]
    ErasureBehind(OpId, buurtbel_core::clock::Hlc),
    /// The invite code is unknown, expired or used up.
    #[error("this invite code is not valid")]
    InvalidInvite,
    /// Over a rate limit.
    #[error("too many requests; try again in a minute")]
    TooManyRequests,
    /// The request took longer than the server allows.
    #[error("the request took too long; try again")]
    Timeout,
    /// The request body is over the limit.
    #[error("the request is too large")]
    TooLarge,
    /// The database failed; the details go to the log only.
    #[error("database error")]
    Database(#[from] DbError),
    /// Something else inside the server failed; the details go to the log only.
    #[error("internal error: {0}")]
    Internal(&'static str),
}

impl From<JoinError> for ApiError {
    fn from(e: JoinError) -> ApiError {
        match e {
            JoinError::InvalidCode => ApiError::InvalidInvite,
            JoinError::Db(e) => ApiError::Database(e),
        }
    }
}

impl From<PushError> for ApiError {
    fn from(e: PushError) -> ApiError {
        match e {
            PushError::Conflict(op) => ApiError::Conflict(op),
            PushError::ErasureBehind(op, after) => ApiError::ErasureBehind(op, after),
            PushError::QuotaFull(bytes) => ApiError::TeamQuota(bytes / (1024 * 1024)),
            PushError::NotAllowed(op, message) => ApiError::NotAllowed { op, message },
            PushError::UnknownReference(op, field, entity) => ApiError::InvalidOperation {
                op,
                field: Some(field.trim_start_matches("payload.").to_owned()),
                message: format!("no {} of this team has this id", entity.replace('_', " ")),
            },
            PushError::ErasureLimit(op, limit) => ApiError::ErasureLimit(op, limit),
            PushError::Db(e) => ApiError::Database(e),
        }
    }
}

impl From<AdminError> for ApiError {
    fn from(e: AdminError) -> ApiError {
        match e {
            AdminError::LastAdmin => ApiError::LastAdmin,
            AdminError::TooManyInvites => ApiError::TooManyInvites,
            AdminError::Db(e) => ApiError::Database(e),
        }
    }
}

impl ApiError {
    fn status_and_code(&self) -> (StatusCode, &'static str) {
        match self {
            ApiError::NotFound => (StatusCode::NOT_FOUND, "not_found"),
            ApiError::Unauthorized => (StatusCode::UNAUTHORIZED, "unauthorized"),
            ApiError::Wiped => (StatusCode::UNAUTHORIZED, buurtbel_core::protocol::WIPE_CODE),
            ApiError::Forbidden(_) => (StatusCode::FORBIDDEN, "forbidden"),
            ApiError::Malformed(_) => (StatusCode::BAD_REQUEST, "malformed_request"),
            ApiError::NotJson => (StatusCode::UNSUPPORTED_MEDIA_TYPE, "not_json"),
            ApiError::UnsupportedProtocol(_) => {
                (StatusCode::BAD_REQUEST, "unsupported_protocol_version")
            }
            ApiError::InvalidField { .. } => (StatusCode::UNPROCESSABLE_ENTITY, "invalid_field"),
            ApiError::InvalidOperation { .. } => {
                (StatusCode::UNPROCESSABLE_ENTITY, "invalid_operation")
            }
            ApiError::Conflict(_) => (StatusCode::CONFLICT, buurtbel_core::protocol::CONFLICT_CODE),
            ApiError::TeamQuota(_) => (StatusCode::INSUFFICIENT_STORAGE, "team_quota"),
            ApiError::NotAllowed { .. } => (StatusCode::FORBIDDEN, "forbidden"),
            ApiError::LastAdmin => (StatusCode::CONFLICT, "last_admin"),
            ApiError::TooManyInvites => (StatusCode::CONFLICT, "too_many_invites"),
            ApiError::ErasureLimit(..) => (StatusCode::TOO_MANY_REQUESTS, "erasure_limit"),
            ApiError::ClockAhead { .. } => (
                StatusCode::UNPROCESSABLE_ENTITY,
                buurtbel_core::protocol::CLOCK_AHEAD_CODE,
            ),
            ApiError::ErasureBehind(..) => (
                StatusCode::CONFLICT,
                buurtbel_core::protocol::ERASURE_BEHIND_CODE,
            ),
            ApiError::InvalidInvite => (StatusCode::NOT_FOUND, "invalid_invite"),
            ApiError::TooManyRequests => (StatusCode::TOO_MANY_REQUESTS, "rate_limited"),
            ApiError::TooLarge => (StatusCode::PAYLOAD_TOO_LARGE, "too_large"),
            ApiError::Timeout => (StatusCode::REQUEST_TIMEOUT, "timeout"),
            ApiError::Database(e) if e.is_full() => {
                (StatusCode::SERVICE_UNAVAILABLE, "storage_full")
            }
            ApiError::Database(_) => (StatusCode::SERVICE_UNAVAILABLE, "unavailable"),
            ApiError::Internal(_) => (StatusCode::INTERNAL_SERVER_ERROR, "internal"),
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let (status, code) = self.status_and_code();
        let stamp_after = match &self {
            ApiError::ErasureBehind(_, after) => Some(*after),
            _ => None,
        };
        let server_time_ms = match &self {
            ApiError::ClockAhead { now, .. } => Some(*now),
            _ => None,
        };
        let (message, op, field) = match &self {
            ApiError::Database(err) if err.is_full() => {
                tracing::error!(error = %err, "the disk is full; nothing was written");
                (
                    "the server's disk is full; nothing was saved there, try again later"
                        .to_owned(),
                    None,
                    None,
                )
            }
            ApiError::Database(err) => {
                tracing::error!(error = %err, "database failure");
                (
                    "the server could not reach its database; try again later".to_owned(),
                    None,
                    None,
                )
            }
            ApiError::Internal(what) => {
                tracing::error!(error = what, "internal failure");
                ("the server failed; try again later".to_owned(), None, None)
            }
            ApiError::InvalidOperation { op, field, .. } => {
                (self.to_string(), Some(*op), field.clone())
            }
            ApiError::Conflict(op)
            | ApiError::ErasureBehind(op, _)
            | ApiError::ErasureLimit(op, _)
            | ApiError::NotAllowed { op, .. } => (self.to_string(), Some(*op), None),
            ApiError::InvalidField { field, .. } => (self.to_string(), None, Some(field.clone())),
            ApiError::ClockAhead { op, .. } => {
                (self.to_string(), Some(*op), Some("hlc.wall_ms".to_owned()))
            }
            other => (other.to_string(), None, None),
        };
        if status.is_client_error() {
            tracing::info!(code, %message, "request refused");
        }
        let mut response = (
            status,
            Json(ErrorBody {
                code: code.to_owned(),
                message,
                op,
                field,
                stamp_after,
                server_time_ms,
            }),
        )
            .into_response();
        response.extensions_mut().insert(ErrorCode(code));
        response
    }
}

/// What is wrong with a JSON text, in serde's words but without any value the client sent
/// (``unknown variant `…` ``, `invalid type: string "…"`): the answer and the log may be read
/// by others than the sender, and a pushed value may be a resident's name. The names the
/// server expects (fields, kinds) and the position stay.
pub fn json_problem(e: &serde_json::Error) -> String {
    let text = e.to_string();
    // serde says what it found first and what it expected after ", expected".
    let (found, expected) = text.split_at(text.find(", expected").unwrap_or(text.len()));
    let names_ours = found.starts_with("missing field") || found.starts_with("duplicate field");
    let found = if names_ours {
        found.to_owned()
    } else {
        redact_quoted(found)
    };
    format!("{found}{expected}")
}

/// `text` with everything between backticks or double quotes replaced by `…`.
fn redact_quoted(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut inside: Option<char> = None;
    let mut escaped = false;
    for c in text.chars() {
        match inside {
            None => {
                out.push(c);
                if c == '`' || c == '"' {
                    inside = Some(c);
                    out.push('…');
                }
            }
            Some(_) if escaped => escaped = false,
            Some('"') if c == '\\' => escaped = true,
            Some(q) if c == q => {
                out.push(c);
                inside = None;
            }
            Some(_) => {}
        }
    }
    if inside.is_some() {
        out.push('…');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_problems_name_the_field_and_never_the_value() {
        #[derive(Debug, serde::Deserialize)]
        #[allow(dead_code, reason = "only decoded")]
        enum Kind {
            VisitLog,
        }
        #[derive(Debug, serde::Deserialize)]
        #[allow(dead_code, reason = "only decoded")]
        struct Shape {
            kind: Kind,
            number: u32,
        }
        let problem =
            |json: &str| json_problem(&serde_json::from_str::<Shape>(json).expect_err("refused"));
        let variant = problem(r#"{"kind": "Mevrouw Jansen 06-12345678", "number": 1}"#);
        assert!(
            !variant.contains("Jansen") && variant.contains("VisitLog"),
            "{variant}"
        );
        let kind = problem(r#"{"kind": "VisitLog", "number": "Jansen \" de \" Wit"}"#);
        assert!(
            !kind.contains("Jansen") && !kind.contains("Wit") && kind.contains("u32"),
            "{kind}"
        );
        assert!(problem(r#"{"kind": "VisitLog"}"#).contains("`number`"));
    }
}
