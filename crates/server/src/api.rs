//! The `/api` routes.

use axum::routing::get;
use axum::{Json, Router, extract::State};
use buurtbel_core::protocol::Health;

use crate::AppState;
use crate::error::ApiError;

/// Routes below `/api`. Unknown paths answer a JSON 404, never the app's `index.html`.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/health", get(live))
        .route("/health/ready", get(ready))
        .fallback(|| async { ApiError::NotFound })
}

/// Liveness: the process answers.
async fn live() -> Json<Health> {
    Json(Health::ok())
}

/// Readiness: the database answers a query.
async fn ready(State(state): State<AppState>) -> Result<Json<Health>, ApiError> {
    state.db.ping().await?;
    Ok(Json(Health::ok()))
}
