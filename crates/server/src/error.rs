//! The one error type of the HTTP layer. Every error answers as JSON `{code, message}`;
//! internals are logged, never sent.

use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Serialize;

use crate::db::DbError;

/// An error a handler returns.
#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    /// No such route or record.
    #[error("not found")]
    NotFound,
    /// The database failed; the details go to the log only.
    #[error("database error")]
    Database(#[from] DbError),
}

/// The JSON body of every error answer.
#[derive(Debug, Serialize)]
pub struct ErrorBody {
    /// A stable, machine-readable code such as `not_found`.
    pub code: &'static str,
    /// A short human-readable explanation.
    pub message: String,
}

impl ApiError {
    fn status_and_code(&self) -> (StatusCode, &'static str) {
        match self {
            ApiError::NotFound => (StatusCode::NOT_FOUND, "not_found"),
            ApiError::Database(_) => (StatusCode::SERVICE_UNAVAILABLE, "unavailable"),
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let (status, code) = self.status_and_code();
        let message = match &self {
            ApiError::Database(err) => {
                tracing::error!(error = %err, "database failure");
                "the server could not reach its database; try again later".to_owned()
            }
            other => other.to_string(),
        };
        (status, Json(ErrorBody { code, message })).into_response()
    }
}
