//! What an organisation brings a team through the coaches who look along with it, as the
//! team's app asks for it below `/api/v1`: the volunteers a coach introduced (invited with one
//! tap by an admin, or removed), and the organisation's step plans (a project starts from one;
//! a newer version is offered to the projects that started from it).
//!
//! A plan's payloads are made here for the project the app names, and the app records them as
//! its own operations: the project keeps its copy whatever happens to the plan later.

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::IntoResponse;
use axum::routing::{delete, get, post};
use axum::{Json, Router};
use buurtbel_core::ids::ProjectId;
use buurtbel_core::op::Payload;
use buurtbel_core::plans::{OrgPlan, offer, start_payloads, started_from};
use buurtbel_core::protocol::{INVITE_HOURS_DEFAULT, InviteView};
use serde::Deserialize;

use crate::AppState;
use crate::auth::{AdminAuth, DeviceAuth, display_invite_code};
use crate::db::{DbError, StoredPlan};
use crate::error::ApiError;
use crate::now_ms;

/// The routes, merged into the `/api` router.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/v1/introductions/{id}", delete(remove_introduction))
        .route("/v1/introductions/{id}/invite", post(invite_introduced))
        .route("/v1/plans", get(list_plans))
        .route("/v1/plans/offer", get(offered))
        .route("/v1/plans/{id}/start", get(start_plan))
}

/// An id as the server makes them: 32 hex digits, also written as a UUID with dashes (as the
/// plan list gives a plan's); anything else names nothing.
fn id_of(text: &str) -> Result<String, ApiError> {
    let id: String = text.chars().filter(|c| *c != '-').collect();
    crate::db::hex_id(&id).ok_or(ApiError::NotFound)
}

/// An admin invites an introduced volunteer: an invite for one device, noted on the
/// introduction so its coach sees it. The app shares the invite with the volunteer.
async fn invite_introduced(
    State(state): State<AppState>,
    AdminAuth(auth): AdminAuth,
    Path(id): Path<String>,
) -> Result<impl IntoResponse, ApiError> {
    let id = id_of(&id)?;
    let wanted = id.clone();
    let known = state
        .storage(move |s| s.introductions(auth.team, None))
        .await?
        .iter()
        .any(|i| i.id == wanted);
    if !known {
        return Err(ApiError::NotFound);
    }
    let invite = state.new_invite(INVITE_HOURS_DEFAULT, Some(1))?;
    let mut view = InviteView {
        code: display_invite_code(&invite.code),
        id: String::new(),
        expires_at_ms: invite.expires_at_ms,
        max_uses: invite.max_uses,
    };
    let now = now_ms();
    view.id = state
        .storage(move |s| {
            let made = s.create_invite(auth.team, auth.device, &invite, now)?;
            s.introduction_invited(auth.team, &id, now)?;
            Ok::<_, ApiError>(made)
        })
        .await?;
    tracing::info!(team = %auth.team, "an introduced volunteer was invited");
    Ok((StatusCode::CREATED, Json(view)))
}

/// An admin removes an introduction: the volunteer's name and contact are erased.
async fn remove_introduction(
    State(state): State<AppState>,
    AdminAuth(auth): AdminAuth,
    Path(id): Path<String>,
) -> Result<StatusCode, ApiError> {
    let id = id_of(&id)?;
    if state
        .storage(move |s| s.forget_introduction(auth.team, &id, None))
        .await?
    {
        tracing::info!(team = %auth.team, "the team removed an introduction");
        Ok(StatusCode::NO_CONTENT)
    } else {
        Err(ApiError::NotFound)
    }
}

fn versions_only(stored: Vec<StoredPlan>) -> Vec<OrgPlan> {
    stored.into_iter().map(|s| s.plan).collect()
}

/// Every member sees the plans the team may start from, each as the `project_add` that starts
/// a project from it, by name: the plan's id as the project, its name as the title, its theme
/// and suggested target. (The phone reads them with the operation decoder it has; a project
/// it starts gets an id of its own.)
async fn list_plans(
    State(state): State<AppState>,
    auth: DeviceAuth,
) -> Result<Json<Vec<Payload>>, ApiError> {
    let latest = state.storage(move |s| s.team_plans(auth.team)).await?;
    let mut listed = Vec::new();
    for p in latest {
        let id = uuid::Uuid::parse_str(&p.id)
            .map_err(|_| ApiError::Internal("a plan's id is not 32 hex digits"))?;
        listed.push(Payload::ProjectAdd {
            project: ProjectId(id),
            theme: p.plan.theme,
            title: p.plan.name,
            target: p.plan.target,
        });
    }
    Ok(Json(listed))
}

/// The project a plan's payloads are for (`?project=<uuid>`); absent reads as empty, which
/// is refused like any other text that is no UUID.
#[derive(Debug, Deserialize)]
struct ForProject {
    #[serde(default)]
    project: String,
}

fn project_of(query: &ForProject) -> Result<ProjectId, ApiError> {
    uuid::Uuid::parse_str(&query.project)
        .ok()
        .filter(|u| !u.is_nil())
        .map(ProjectId)
        .ok_or_else(|| ApiError::InvalidField {
            field: "project".into(),
            message: "must be a UUID".into(),
        })
}

/// The payloads that give a new project plan `id`'s steps and draft guide; 404 for a plan the
/// team may not use, 422 for a project the team has already.
async fn start_plan(
    State(state): State<AppState>,
    auth: DeviceAuth,
    Path(id): Path<String>,
    Query(query): Query<ForProject>,
) -> Result<Json<Vec<Payload>>, ApiError> {
    let (id, project) = (id_of(&id)?, project_of(&query)?);
    let folds = std::sync::Arc::clone(&state.folds);
    let payloads = state
        .storage(move |s| {
            let Some(latest) = s.team_plan_versions(auth.team, &id)?.pop() else {
                return Ok(Err(ApiError::NotFound));
            };
            if folds.read(s, auth.team, |team| team.projects.contains_key(&project))? {
                return Ok(Err(ApiError::InvalidField {
                    field: "project".into(),
                    message: "the team has this project already".into(),
                }));
            }
            Ok::<_, DbError>(Ok(start_payloads(&latest.plan, project)))
        })
        .await??;
    Ok(Json(payloads))
}

/// What a newer version of the plan the project started from offers it: the payloads that
/// take it, or an empty list when the project started from none of the team's plans or has
/// everything already.
async fn offered(
    State(state): State<AppState>,
    auth: DeviceAuth,
    Query(query): Query<ForProject>,
) -> Result<Json<Vec<Payload>>, ApiError> {
    let project = project_of(&query)?;
    let folds = std::sync::Arc::clone(&state.folds);
    let payloads = state
        .storage(move |s| {
            let mut plans = Vec::new();
            for p in s.team_plans(auth.team)? {
                plans.push(versions_only(s.team_plan_versions(auth.team, &p.id)?));
            }
            if plans.is_empty() {
                return Ok(Vec::new());
            }
            // The team's state as the server has it, kept folded between requests.
            folds.read(s, auth.team, |team| {
                plans
                    .iter()
                    .find(|versions| started_from(versions, team, project))
                    .and_then(|versions| offer(versions, team, project))
                    .map(|o| o.payloads)
                    .unwrap_or_default()
            })
        })
        .await?;
    Ok(Json(payloads))
}
