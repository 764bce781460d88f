//! Buurtbel's sync server: one process that keeps a team's operations in SQLite, answers the
//! sync API under `/api`, and serves the built app from `dist/`.
//!
//! # Layout
//! - [`config`]: flags and environment variables.
//! - [`db`]: the SQLite database, its embedded migrations and the queries.
//! - [`error`]: the one error type of the HTTP layer and its JSON form.
//! - [`api`]: the `/api` routes.
//! - [`assets`]: the built app, with the cache rules an offline-first app needs.

pub mod api;
pub mod assets;
pub mod config;
pub mod db;
pub mod error;

use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::http::{HeaderName, Request};
use tokio::net::TcpListener;
use tower_http::compression::CompressionLayer;
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::timeout::TimeoutLayer;
use tower_http::trace::TraceLayer;

pub use config::Config;
use db::Database;

/// What every handler can reach.
#[derive(Clone, Debug)]
pub struct AppState {
    pub(crate) db: Database,
    pub(crate) dist: Arc<std::path::PathBuf>,
}

impl AppState {
    /// State over an open database, serving the app from `dist`.
    pub fn new(db: Database, dist: impl Into<std::path::PathBuf>) -> AppState {
        AppState {
            db,
            dist: Arc::new(dist.into()),
        }
    }
}

const REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");

/// The whole HTTP application: `/api` and the built app, with request ids, tracing, timeouts
/// and compression.
pub fn app(state: AppState, request_timeout: Duration) -> Router {
    Router::new()
        .nest("/api", api::router())
        .fallback(assets::serve)
        .layer(axum::middleware::from_fn(assets::cache_headers))
        .with_state(state)
        .layer(CompressionLayer::new())
        .layer(TimeoutLayer::with_status_code(
            axum::http::StatusCode::REQUEST_TIMEOUT,
            request_timeout,
        ))
        .layer(PropagateRequestIdLayer::new(REQUEST_ID))
        .layer(
            TraceLayer::new_for_http().make_span_with(|request: &Request<_>| {
                let id = request
                    .headers()
                    .get(&REQUEST_ID)
                    .and_then(|v| v.to_str().ok())
                    .unwrap_or("-");
                tracing::info_span!("request", id, method = %request.method(), path = %request.uri().path())
            }),
        )
        .layer(SetRequestIdLayer::new(REQUEST_ID, MakeRequestUuid))
}

/// Opens the database, binds the address and serves until `shutdown` completes; requests in
/// flight then get `config.shutdown_grace` to finish.
pub async fn run(
    config: Config,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> Result<(), StartError> {
    let db = Database::open(&config.database).map_err(StartError::Database)?;
    let listener = TcpListener::bind(&config.addr)
        .await
        .map_err(|source| StartError::Bind {
            addr: config.addr.clone(),
            source,
        })?;
    let local = listener.local_addr().map_err(|source| StartError::Bind {
        addr: config.addr.clone(),
        source,
    })?;
    tracing::info!(addr = %local, database = %config.database.display(), dist = %config.dist.display(), "listening");
    if !config.dist.join("index.html").is_file() {
        tracing::warn!(dist = %config.dist.display(), "no built app found; only /api is served");
    }
    let router = app(
        AppState::new(db, config.dist.clone()),
        Duration::from_secs(config.request_timeout_secs),
    );
    axum::serve(listener, router)
        .with_graceful_shutdown(shutdown)
        .await
        .map_err(StartError::Serve)?;
    tracing::info!("stopped");
    Ok(())
}

/// Why the server could not start or keep running.
#[derive(Debug, thiserror::Error)]
pub enum StartError {
    /// The database could not be opened or migrated.
    #[error("database: {0}")]
    Database(#[source] db::DbError),
    /// The address could not be bound.
    #[error("cannot listen on {addr}: {source}")]
    Bind {
        /// The address from the configuration.
        addr: String,
        /// What the operating system said.
        source: std::io::Error,
    },
    /// The server failed while running.
    #[error("serving: {0}")]
    Serve(#[source] std::io::Error),
}

/// Completes on Ctrl-C or SIGTERM.
pub async fn shutdown_signal() {
    let ctrl_c = async {
        if tokio::signal::ctrl_c().await.is_err() {
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
    tracing::info!("shutting down: finishing requests in flight");
}

/// Logs to stderr; `RUST_LOG` filters (default `info`).
pub fn init_tracing() {
    use tracing_subscriber::EnvFilter;
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info"));
    let ansi = std::io::IsTerminal::is_terminal(&std::io::stderr());
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_ansi(ansi)
        .with_writer(std::io::stderr)
        .try_init();
}
