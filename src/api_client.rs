//! The one place that speaks HTTP: the sync API of the team's server, through `fetch`.
//!
//! Every answer becomes either the expected body or a [`Failure`] the sync engine understands.
//! A request that gets no answer at all counts as offline, whatever `navigator.onLine` says.

use buurtbel_core::ids::{DeviceId, MemberId, OpId};
use buurtbel_core::op::Payload;
use buurtbel_core::protocol::{
    CLOCK_AHEAD_CODE, CoachList, CreateTeam, DeviceList, ERASURE_BEHIND_CODE, ErrorBody,
    InviteList, InviteView, Join, Joined, PullRequest, PullResponse, PushRequest, PushResponse,
    TeamCreated, TeamView, WIPE_CODE,
};
use buurtbel_core::sync::Failure;
use serde::Serialize;
use serde::de::DeserializeOwned;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

/// A refused answer: its error body when it has one, and a message for people.
struct Refusal {
    error: Option<Box<ErrorBody>>,
    message: String,
}

/// The body of a 2xx answer (`Ok(Err(..))` when it cannot be read), or the refusal.
fn read_answer<T: DeserializeOwned>(status: u16, body: &str) -> Result<Result<T, String>, Refusal> {
    if (200..300).contains(&status) {
        return Ok(serde_json::from_str(body).map_err(|e| format!("unreadable answer: {e}")));
    }
    let error: Option<Box<ErrorBody>> = serde_json::from_str(body).ok();
    let message = error
        .as_ref()
        .map_or_else(|| format!("HTTP {status}"), |e| e.message.clone());
    Err(Refusal { error, message })
}

/// Turns an HTTP answer into the expected body or a failure. Pure, so every case is tested
/// natively. `server_time_ms` comes from the answer's `Date` header when there is one.
pub fn classify<T: DeserializeOwned>(
    status: u16,
    body: &str,
    server_time_ms: Option<u64>,
) -> Result<T, Failure> {
    let Refusal {
        error,
        message: reason,
    } = match read_answer(status, body) {
        Ok(read) => return read.map_err(Failure::Server),
        Err(refusal) => refusal,
    };
    match (status, error.map(|e| *e)) {
        (401, Some(ErrorBody { code, .. })) if code == WIPE_CODE => Err(Failure::Wiped),
        (401, _) => Err(Failure::Unauthorized),
        // Stamped too far ahead: the body says the server's time (a server before that field
        // left it to the Date header). Without a time the phone cannot tell how far back to
        // stamp, so it waits and asks again rather than stamping from nothing.
        (422, Some(body))
            if body.code == CLOCK_AHEAD_CODE || body.field.as_deref() == Some("hlc.wall_ms") =>
        {
            match body.server_time_ms.or(server_time_ms).filter(|t| *t > 0) {
                Some(server_time_ms) => Err(Failure::ClockAhead { server_time_ms }),
                None => Err(Failure::Server(reason)),
            }
        }
        (
            409,
            Some(ErrorBody {
                op: Some(op),
                stamp_after: Some(after),
                code,
                ..
            }),
        ) if code == ERASURE_BEHIND_CODE => Err(Failure::Behind { op, after }),
        // Naming an operation, the server refuses that one for good (invalid, a conflicting id,
        // or a change this member may not make).
        (
            403 | 409 | 422,
            Some(ErrorBody {
                op: Some(op), code, ..
            }),
        ) => Err(Failure::Rejected { op, code, reason }),
        _ => Err(Failure::Server(reason)),
    }
}

/// The operation a refusal names, if any.
pub fn refused_op(failure: &Failure) -> Option<OpId> {
    match failure {
        Failure::Rejected { op, .. } => Some(*op),
        _ => None,
    }
}

/// A client of one server for one device.
#[derive(Clone, Debug)]
pub struct ApiClient {
    /// Base address, empty for the app's own origin.
    pub base: String,
    /// The device's bearer token.
    pub token: String,
}

impl ApiClient {
    /// A client of the app's own server for a device that has no token yet (starting or
    /// joining a team).
    pub fn anonymous() -> ApiClient {
        ApiClient {
            base: String::new(),
            token: String::new(),
        }
    }

    /// Pushes a batch.
    pub async fn push(&self, request: &PushRequest) -> Result<PushResponse, Failure> {
        self.post("/api/v1/push", request).await
    }

    /// Pulls a page.
    pub async fn pull(&self, request: &PullRequest) -> Result<PullResponse, Failure> {
        self.post("/api/v1/pull", request).await
    }

    /// Starts a team on this server (allowed from the server's own machine, or with its key).
    /// Answers with the server's time, when its answer said.
    pub async fn create_team(
        &self,
        request: &CreateTeam,
    ) -> Result<(TeamCreated, Option<u64>), SetupError> {
        let body = text_object(&[
            ("name", &request.name),
            ("neighbourhood", &request.neighbourhood),
            ("display_name", &request.display_name),
            ("device_label", &request.device_label),
        ]);
        self.setup("/api/v1/teams", body).await
    }

    /// Joins a team with an invite code. Answers with the server's time, when its answer said.
    pub async fn join(&self, request: &Join) -> Result<(Joined, Option<u64>), SetupError> {
        let body = text_object(&[
            ("code", &request.code),
            ("display_name", &request.display_name),
            ("device_label", &request.device_label),
        ]);
        self.setup("/api/v1/join", body).await
    }

    /// The team an invite code opens, without using the code (the page a join link opens).
    pub async fn join_preview(&self, code: &str) -> Result<TeamView, SetupError> {
        // Written as text like `grant_coach`'s: the code is letters, digits and dashes only.
        let code: String = code
            .chars()
            .filter(|c| c.is_ascii_alphanumeric() || *c == '-')
            .collect();
        let body = format!(r#"{{"code":"{code}","display_name":""}}"#);
        let (status, text, _) = self
            .request("POST", "/api/v1/join/preview", Some(body))
            .await
            .map_err(|_| SetupError::Offline)?;
        classify_setup(status, &text)
    }

    /// A new invite code for the team (admin devices); for the volunteer of the introduction
    /// `introduced`, an invite for one device, noted on the introduction.
    pub async fn create_invite(&self, introduced: Option<&str>) -> Result<InviteView, SetupError> {
        let path = match introduced {
            Some(id) => format!("/api/v1/introductions/{id}/invite"),
            // The server's defaults: as long and as many phones as an invite usually works for.
            None => "/api/v1/invites".to_owned(),
        };
        self.setup(&path, "{}".into())
            .await
            .map(|(invite, _)| invite)
    }

    /// The team's devices, revoked ones included (admin devices).
    pub async fn devices(&self) -> Result<DeviceList, SetupError> {
        self.read("/api/v1/devices").await
    }

    /// The team's newest invites, ended ones included, without their codes (admin devices).
    pub async fn invites(&self) -> Result<InviteList, SetupError> {
        self.read("/api/v1/invites").await
    }

    /// Ends an invite by its id (admin devices).
    pub async fn revoke_invite(&self, id: &str) -> Result<(), SetupError> {
        self.no_content("DELETE", &format!("/api/v1/invites/{id}"), None)
            .await
    }

    /// Revokes a device; `lost` also has it delete the team's data (admin devices).
    pub async fn revoke_device(&self, device: DeviceId, lost: bool) -> Result<(), SetupError> {
        let path = format!(
            "/api/v1/devices/{device}{}",
            if lost { "?lost=true" } else { "" }
        );
        self.no_content("DELETE", &path, None).await
    }

    /// Makes a member admin, or not (admin devices).
    pub async fn set_admin(&self, member: MemberId, admin: bool) -> Result<(), SetupError> {
        let body = format!(r#"{{"admin":{admin}}}"#);
        let path = format!("/api/v1/members/{member}/admin");
        self.no_content("PUT", &path, Some(body)).await
    }

    /// The coaches who look along with the team, longest first, and the volunteers they
    /// introduced.
    pub async fn coaches(&self) -> Result<CoachList, SetupError> {
        self.read("/api/v1/coaches").await
    }

    /// Removes an introduction, erasing the volunteer's details (admin devices).
    pub async fn remove_introduction(&self, id: &str) -> Result<(), SetupError> {
        self.no_content("DELETE", &format!("/api/v1/introductions/{id}"), None)
            .await
    }

    /// Payloads the server makes for the team, with a fingerprint of the answer (a different
    /// answer has a different one): at `/api/v1/plans`, the organisation's step plans, each as
    /// the `project_add` that starts a project from it (its `project` is the plan's id); at
    /// `/api/v1/plans/{plan}/start?project={id}`, what gives the new project the plan's steps
    /// and guide; at `/api/v1/plans/offer?project={id}`, what a newer version of the plan the
    /// project started from offers it (empty: nothing).
    pub async fn payloads(&self, path: &str) -> Result<(Vec<Payload>, u32), SetupError> {
        let (status, text, _) = self
            .request("GET", path, None)
            .await
            .map_err(|_| SetupError::Offline)?;
        // FNV-1a over the answer.
        let print = text.bytes().fold(0x811c_9dc5_u32, |h, b| {
            (h ^ u32::from(b)).wrapping_mul(0x0100_0193)
        });
        classify_setup(status, &text).map(|payloads| (payloads, print))
    }

    /// A `GET` answered with a body.
    async fn read<T: DeserializeOwned>(&self, path: &str) -> Result<T, SetupError> {
        let (status, text, _) = self
            .request("GET", path, None)
            .await
            .map_err(|_| SetupError::Offline)?;
        classify_setup(status, &text)
    }

    /// Lets the coach with `code` look along (admin devices); `false` when no coach has it.
    pub async fn grant_coach(&self, code: &str) -> Result<bool, SetupError> {
        // A code is letters, digits and dashes (the server reads it as typed); anything else
        // is left out, so the body is written without a serializer of its own.
        let code: String = code
            .chars()
            .filter(|c| c.is_ascii_alphanumeric() || *c == '-')
            .collect();
        let body = format!(r#"{{"code":"{code}"}}"#);
        let (status, text, _) = self
            .request("POST", "/api/v1/coaches", Some(body))
            .await
            .map_err(|_| SetupError::Offline)?;
        if status == 404 {
            return Ok(false);
        }
        classify_setup::<serde::de::IgnoredAny>(status, &text).map(|_| true)
    }

    /// Ends a coach's look along (admin devices).
    pub async fn end_coach(&self, coach: &str) -> Result<(), SetupError> {
        self.no_content("DELETE", &format!("/api/v1/coaches/{coach}"), None)
            .await
    }

    /// A request answered with 204 when it worked.
    async fn no_content(
        &self,
        method: &str,
        path: &str,
        body: Option<String>,
    ) -> Result<(), SetupError> {
        let (status, text, _) = self
            .request(method, path, body)
            .await
            .map_err(|_| SetupError::Offline)?;
        if status == 204 {
            return Ok(());
        }
        classify_setup::<serde::de::IgnoredAny>(status, &text).map(|_| ())
    }

    async fn setup<T: DeserializeOwned>(
        &self,
        path: &str,
        body: String,
    ) -> Result<(T, Option<u64>), SetupError> {
        let (status, text, server_time_ms) = self
            .request("POST", path, Some(body))
            .await
            .map_err(|_| SetupError::Offline)?;
        classify_setup(status, &text).map(|answer| (answer, server_time_ms))
    }

    async fn post<B: Serialize, T: DeserializeOwned>(
        &self,
        path: &str,
        body: &B,
    ) -> Result<T, Failure> {
        let (status, text, server_time_ms) = self.send(path, body).await?;
        classify(status, &text, server_time_ms)
    }

    /// Sends a JSON body; answers the status, the body and the server's clock. No answer at all
    /// is [`Failure::Offline`].
    async fn send<B: Serialize>(
        &self,
        path: &str,
        body: &B,
    ) -> Result<(u16, String, Option<u64>), Failure> {
        let body = serde_json::to_string(body).map_err(|e| Failure::Server(e.to_string()))?;
        self.request("POST", path, Some(body)).await
    }

    /// Sends a request with an optional JSON body; answers as [`ApiClient::send`].
    async fn request(
        &self,
        method: &str,
        path: &str,
        body: Option<String>,
    ) -> Result<(u16, String, Option<u64>), Failure> {
        let init = web_sys::RequestInit::new();
        init.set_method(method);
        if let Some(body) = body {
            init.set_body(&JsValue::from_str(&body));
        }
        let headers = web_sys::Headers::new().map_err(|_| Failure::Offline)?;
        let _ = headers.set("content-type", "application/json");
        if !self.token.is_empty() {
            let _ = headers.set("authorization", &format!("Bearer {}", self.token));
        }
        init.set_headers(&headers);
        let request =
            web_sys::Request::new_with_str_and_init(&format!("{}{path}", self.base), &init)
                .map_err(|_| Failure::Server("could not build the request".into()))?;
        let window = web_sys::window().ok_or(Failure::Offline)?;
        // A rejected fetch is a network failure: offline, whatever the browser claims.
        let response: web_sys::Response = JsFuture::from(window.fetch_with_request(&request))
            .await
            .map_err(|_| Failure::Offline)?
            .unchecked_into();
        let date = response.headers().get("date").ok().flatten();
        let server_time_ms = date
            .map(|d| js_sys::Date::parse(&d))
            .filter(|t| t.is_finite())
            .map(|t| t as u64);
        let text = JsFuture::from(response.text().map_err(|_| Failure::Offline)?)
            .await
            .map_err(|_| Failure::Offline)?
            .as_string()
            .unwrap_or_default();
        Ok((response.status(), text, server_time_ms))
    }
}

/// Why starting or joining a team did not work, in terms the setup screen can explain.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum SetupError {
    /// No answer from the server.
    #[error("no connection to the server")]
    Offline,
    /// The invite code is unknown, expired or used up.
    #[error("this invite code is not valid")]
    InvalidInvite,
    /// Too many attempts; try again in a minute.
    #[error("too many attempts")]
    RateLimited,
    /// The server does not let this device do that (starting a team needs the server key).
    #[error("not allowed: {0}")]
    Forbidden(String),
    /// A field was refused (a name too long, empty).
    #[error("{field}: {message}")]
    Invalid {
        /// The field.
        field: String,
        /// Why.
        message: String,
    },
    /// Any other answer.
    #[error("the server failed: {0}")]
    Server(String),
}

/// A JSON object of text fields, written without a serializer per request type (each derived
/// one costs the app bytes); the values are escaped as JSON strings.
fn text_object(fields: &[(&str, &String)]) -> String {
    let mut out = String::from("{");
    for (i, (name, value)) in fields.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        out.push('"');
        out.push_str(name);
        out.push_str("\":");
        out.push_str(&serde_json::to_string(value.as_str()).unwrap_or_else(|_| "\"\"".into()));
    }
    out.push('}');
    out
}

/// Turns an answer to a setup request into its body or a [`SetupError`]. Pure, tested natively.
pub fn classify_setup<T: DeserializeOwned>(status: u16, body: &str) -> Result<T, SetupError> {
    let Refusal { error, message } = match read_answer(status, body) {
        Ok(read) => return read.map_err(SetupError::Server),
        Err(refusal) => refusal,
    };
    match error.as_ref().map(|e| e.code.as_str()) {
        Some("invalid_invite") => Err(SetupError::InvalidInvite),
        Some("rate_limited") => Err(SetupError::RateLimited),
        Some("forbidden") | Some("unauthorized") => Err(SetupError::Forbidden(message)),
        Some("invalid_field") | Some("invalid_operation") => Err(SetupError::Invalid {
            field: error.and_then(|e| e.field).unwrap_or_default(),
            message,
        }),
        _ => Err(SetupError::Server(message)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use buurtbel_core::protocol::Health;

    const OP: &str = "01a221d8-0000-7000-8000-0000000000a2";

    #[test]
    fn setup_bodies_are_the_request_types_as_json_with_their_text_escaped() {
        let join = Join {
            code: "fhfx 75xs".into(),
            display_name: "Anna \"de\" Vries\\\n🙂".into(),
            device_label: String::new(),
        };
        let body = text_object(&[
            ("code", &join.code),
            ("display_name", &join.display_name),
            ("device_label", &join.device_label),
        ]);
        assert_eq!(serde_json::from_str::<Join>(&body).expect("a Join"), join);
        assert_eq!(text_object(&[]), "{}");
    }

    #[test]
    fn answers_become_bodies_or_the_engines_failures() {
        let ok: Result<Health, _> = classify(200, r#"{"status":"ok","protocol_version":1}"#, None);
        assert_eq!(ok, Ok(Health::ok()));
        assert_eq!(
            classify::<Health>(401, r#"{"code":"unauthorized","message":"x"}"#, None),
            Err(Failure::Unauthorized)
        );
        assert_eq!(
            classify::<Health>(401, r#"{"code":"device_wiped","message":"x"}"#, None),
            Err(Failure::Wiped)
        );
        assert_eq!(
            classify::<Health>(401, "<html>", None),
            Err(Failure::Unauthorized)
        );
        let invalid = format!(
            r#"{{"code":"invalid_operation","message":"not a valid postcode","op":"{OP}","field":"payload.postcode"}}"#
        );
        let failure = classify::<Health>(422, &invalid, None).expect_err("refused");
        assert_eq!(
            refused_op(&failure).map(|o| o.to_string()).as_deref(),
            Some(OP)
        );
        let behind = format!(
            r#"{{"code":"erasure_behind","message":"m","op":"{OP}","stamp_after":{{"wall_ms":7,"counter":2}}}}"#
        );
        assert!(matches!(
            classify::<Health>(409, &behind, None),
            Err(Failure::Behind { after, .. }) if after.wall_ms == 7 && after.counter == 2
        ));
        let conflict =
            format!(r#"{{"code":"operation_conflict","message":"stored before","op":"{OP}"}}"#);
        assert!(matches!(
            classify::<Health>(409, &conflict, None),
            Err(Failure::Rejected { .. })
        ));
        let forbidden = format!(r#"{{"code":"forbidden","message":"only an admin","op":"{OP}"}}"#);
        assert!(matches!(
            classify::<Health>(403, &forbidden, None),
            Err(Failure::Rejected { .. })
        ));
        let ahead = format!(
            r#"{{"code":"clock_ahead","message":"ahead","op":"{OP}","field":"hlc.wall_ms","server_time_ms":42}}"#
        );
        assert_eq!(
            classify::<Health>(422, &ahead, None),
            Err(Failure::ClockAhead { server_time_ms: 42 })
        );
        // An older server's refusal: the time from the Date header.
        let ahead_old = format!(
            r#"{{"code":"invalid_operation","message":"ahead","op":"{OP}","field":"hlc.wall_ms"}}"#
        );
        assert_eq!(
            classify::<Health>(422, &ahead_old, Some(43)),
            Err(Failure::ClockAhead { server_time_ms: 43 })
        );
        // No time in the body and no Date header: never a re-stamp from time 0 (1970).
        assert_eq!(
            classify::<Health>(422, &ahead_old, None),
            Err(Failure::Server("ahead".into()))
        );
        assert_eq!(
            classify::<Health>(503, r#"{"code":"unavailable","message":"try later"}"#, None),
            Err(Failure::Server("try later".into()))
        );
        assert_eq!(
            classify::<Health>(502, "<html>bad gateway</html>", None),
            Err(Failure::Server("HTTP 502".into()))
        );
        assert!(
            matches!(
                classify::<Health>(200, "<html>", None),
                Err(Failure::Server(_))
            ),
            "a captive portal page is not data"
        );
    }

    #[test]
    fn setup_answers_become_reasons_the_screen_can_explain() {
        let refused =
            |status, body: &str| classify_setup::<Health>(status, body).expect_err("refused");
        assert_eq!(
            refused(
                404,
                r#"{"code":"invalid_invite","message":"this invite code is not valid"}"#
            ),
            SetupError::InvalidInvite
        );
        assert_eq!(
            refused(429, r#"{"code":"rate_limited","message":"slow down"}"#),
            SetupError::RateLimited
        );
        assert!(matches!(
            refused(
                403,
                r#"{"code":"forbidden","message":"needs the server key"}"#
            ),
            SetupError::Forbidden(_)
        ));
        assert_eq!(
            refused(
                422,
                r#"{"code":"invalid_field","message":"at most 80 characters","field":"display_name"}"#
            ),
            SetupError::Invalid {
                field: "display_name".into(),
                message: "at most 80 characters".into()
            }
        );
        assert_eq!(
            refused(502, "<html>"),
            SetupError::Server("HTTP 502".into())
        );
        assert!(matches!(
            classify_setup::<Health>(201, "not json"),
            Err(SetupError::Server(_))
        ));
    }
}
