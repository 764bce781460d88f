//! Buurtbel's sync server: one process that keeps a team's operations in SQLite, answers the
//! sync API under `/api`, and serves the built app from `dist/`.
//!
//! # Layout
//! - [`config`]: flags and environment variables.
//! - [`db`]: the storage interface and its SQLite implementation with embedded migrations.
//! - [`auth`]: device tokens, invite codes, the authenticated device and the client address.
//! - [`ratelimit`]: keyed token buckets for joining and syncing.
//! - [`restore`]: restoring a backup with every erasure and revocation made since.
//! - [`error`]: the one error type of the HTTP layer and its JSON form.
//! - [`files`]: private files and folders for residents' data.
//! - [`metrics`]: counters for the operator, in Prometheus's text format.
//! - [`api`]: the `/api` routes.
//! - [`resident`]: a project's resident page (`/doe-mee/<code>`), server-rendered HTML with no
//!   script, and the private link to each answer.
//! - [`coach`]: the coach's pages (`/begeleider`), server-rendered HTML with no script: the
//!   teams that let a coach look along, as figures only; introductions; the organisation's plans.
//! - `org`: what an organisation brings a team through the app (introductions, plans).
//! - `folds`: teams' states folded from their logs, for the pages the server renders and the
//!   offers of an organisation's newer plans.
//! - [`assets`]: the built app, with the cache rules an offline-first app needs.

pub mod api;
pub mod assets;
pub mod auth;
pub mod coach;
mod commit;
pub mod config;
pub mod db;
pub mod error;
pub mod files;
mod folds;
mod html;
pub mod metrics;
mod org;
pub mod ratelimit;
pub mod resident;
pub mod restore;

use std::future::Future;
use std::net::IpAddr;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::Router;
use axum::http::{HeaderName, Request};
use tokio::net::TcpListener;
use tower_http::compression::CompressionLayer;
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::trace::TraceLayer;

use axum::extract::DefaultBodyLimit;
use buurtbel_core::clock::HlcClock;
use buurtbel_core::ids::DeviceId;
pub use config::Config;
use config::TeamCreation;
use db::{DbError, Sqlite, Storage};
use ratelimit::RateLimiter;

/// Sync requests one device may have in flight at once: a phone syncs one request at a time
/// (a second tab may add one), so more is a device misbehaving.
pub const SYNC_IN_FLIGHT: usize = 2;

/// Admin requests (invites, devices, admins) one device may make at once.
pub const ADMIN_BURST: u32 = 30;
/// Admin requests per second one device may keep making.
pub const ADMIN_PER_SECOND: f64 = 0.5;

/// What every handler can reach.
#[derive(Clone, Debug)]
pub struct AppState {
    storage: Arc<dyn Storage>,
    pub(crate) dist: Arc<std::path::PathBuf>,
    /// Stamps operations the server makes for a member (team creation, joining).
    pub(crate) clock: Arc<Mutex<HlcClock>>,
    pub(crate) team_creation: TeamCreation,
    pub(crate) join_by_ip: Arc<RateLimiter<IpAddr>>,
    pub(crate) join_by_code: Arc<RateLimiter<String>>,
    pub(crate) sync_by_device: Arc<RateLimiter<DeviceId>>,
    pub(crate) in_flight: Arc<ratelimit::InFlight<DeviceId>>,
    /// Wrong invite codes from all addresses together, at once, before they are limited (the
    /// counts are in the database: see `api::may_guess`).
    pub(crate) join_failures_burst: u32,
    /// Admin requests per device.
    pub(crate) admin_by_device: Arc<RateLimiter<DeviceId>>,
    /// Wrong metrics tokens, from anywhere.
    pub(crate) metrics_failures: Arc<RateLimiter<()>>,
    pub(crate) trusted_proxies: Arc<Vec<config::IpRange>>,
    /// Host names accepted for team creation and joining; `None` accepts any.
    pub(crate) public_hosts: Option<Arc<Vec<String>>>,
    pub(crate) metrics: Arc<metrics::Metrics>,
    /// The token that reads the metrics; `None` turns them off.
    pub(crate) metrics_token: Option<Arc<String>>,
    /// Teams' states, for the pages the server renders itself.
    pub(crate) folds: Arc<folds::Folds>,
    /// Answers sent on resident pages, per client and per page.
    pub(crate) page_by_ip: Arc<RateLimiter<IpAddr>>,
    pub(crate) page_by_code: Arc<RateLimiter<String>>,
    /// Teams as their coaches see them.
    pub(crate) coach_summaries: Arc<coach::Summaries>,
}

impl AppState {
    /// State over `storage`, configured by `config`.
    pub fn new(
        config: &Config,
        storage: Arc<dyn Storage>,
    ) -> Result<AppState, config::ConfigError> {
        Ok(AppState {
            storage,
            dist: Arc::new(config.dist.clone()),
            clock: Arc::new(Mutex::new(HlcClock::default())),
            team_creation: config.team_creation()?,
            join_by_ip: Arc::new(RateLimiter::new(config.join_burst, 1.0 / 6.0)),
            join_by_code: Arc::new(RateLimiter::new(config.join_code_burst, 1.0 / 60.0)),
            sync_by_device: Arc::new(RateLimiter::new(config.sync_burst, config.sync_rate)),
            in_flight: Arc::new(ratelimit::InFlight::new(SYNC_IN_FLIGHT)),
            join_failures_burst: config.join_failures_burst,
            // An admin's screen makes a handful of requests; a script making hundreds waits.
            admin_by_device: Arc::new(RateLimiter::new(ADMIN_BURST, ADMIN_PER_SECOND)),
            // Ten wrong tokens, then one a minute: a 256-bit token is not guessed anyway, and
            // the scraper with the right one is not stopped for long.
            metrics_failures: Arc::new(RateLimiter::new(10, 1.0 / 60.0)),
            trusted_proxies: Arc::new(config.trusted_proxies()?),
            public_hosts: config.public_hosts().map(Arc::new),
            metrics: Arc::new(metrics::Metrics::default()),
            metrics_token: config.metrics_token()?.map(Arc::new),
            folds: Arc::new(folds::Folds::default()),
            // A household sends an answer and perhaps corrects it; a script sending hundreds
            // from one address waits a minute for each.
            page_by_ip: Arc::new(RateLimiter::new(6, 1.0 / 60.0)),
            // A flyer round brings answers in over an evening, not by the second.
            page_by_code: Arc::new(RateLimiter::new(30, 1.0 / 10.0)),
            coach_summaries: Arc::new(coach::Summaries::default()),
        })
    }

    /// Runs `f` with the storage on the blocking pool.
    pub(crate) async fn storage<T, E>(
        &self,
        f: impl FnOnce(&dyn Storage) -> Result<T, E> + Send + 'static,
    ) -> Result<T, E>
    where
        T: Send + 'static,
        E: From<DbError> + Send + 'static,
    {
        let storage = Arc::clone(&self.storage);
        tokio::task::spawn_blocking(move || f(storage.as_ref()))
            .await
            .map_err(|_| E::from(DbError::Task))?
    }
}

/// Milliseconds since the Unix epoch by this machine's clock.
pub fn now_ms() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| u64::try_from(d.as_millis()).unwrap_or(u64::MAX))
}

const REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");

/// What pages of this server may load: the app's own files and API only, WebAssembly compiled
/// from them (`'wasm-unsafe-eval'`), no inline script, no other origin, and no framing. An
/// injected script could not run, so the device token in browser storage stays out of reach.
pub const CONTENT_SECURITY_POLICY: &str = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; img-src 'self' data:; font-src 'self'; connect-src 'self'; manifest-src 'self'; worker-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

/// How long browsers keep to HTTPS for this host once they have seen it over HTTPS (a year).
/// Browsers ignore the header on plain HTTP, so it costs a local or test server nothing.
pub const HSTS: &str = "max-age=31536000";

/// The security headers every answer carries, errors and timeouts included.
fn security_headers<S>(router: Router<S>) -> Router<S>
where
    S: Clone + Send + Sync + 'static,
{
    use axum::http::{HeaderValue, header};
    use tower_http::set_header::SetResponseHeaderLayer;
    let set = |name: HeaderName, value: &'static str| {
        SetResponseHeaderLayer::overriding(name, HeaderValue::from_static(value))
    };
    router
        .layer(set(
            header::CONTENT_SECURITY_POLICY,
            CONTENT_SECURITY_POLICY,
        ))
        .layer(set(header::X_CONTENT_TYPE_OPTIONS, "nosniff"))
        .layer(set(header::REFERRER_POLICY, "no-referrer"))
        .layer(set(header::X_FRAME_OPTIONS, "DENY"))
        .layer(set(header::STRICT_TRANSPORT_SECURITY, HSTS))
}

/// Answers a request that takes longer than the configured time with a JSON 408.
async fn request_timeout(
    axum::extract::State(limit): axum::extract::State<Duration>,
    request: axum::extract::Request,
    next: axum::middleware::Next,
) -> axum::response::Response {
    use axum::response::IntoResponse;
    match tokio::time::timeout(limit, next.run(request)).await {
        Ok(response) => response,
        Err(_) => error::ApiError::Timeout.into_response(),
    }
}

/// A path as the log shows it: an invite code in it (a join link, revoking by code) is a key
/// to the team while it lasts, so it is left out.
fn loggable_path(path: &str) -> &str {
    for prefix in [
        "/join/",
        "/api/v1/invites/",
        "/doe-mee/",
        "/begeleider/link/",
    ] {
        if path.len() > prefix.len() && path.starts_with(prefix) {
            return prefix;
        }
    }
    path
}

/// Drops a request id the client sent: the log's ids are the server's own.
async fn own_request_id(mut request: axum::extract::Request) -> axum::extract::Request {
    request.headers_mut().remove(&REQUEST_ID);
    request
}

/// The whole HTTP application: `/api` and the built app, with request ids, tracing, timeouts,
/// compression and the security headers outermost.
pub fn app(state: AppState, config: &Config) -> Router {
    let limit = Duration::from_secs(config.request_timeout_secs);
    let router = Router::new()
        .nest("/api", api::router())
        .layer(DefaultBodyLimit::max(config.body_limit))
        .merge(resident::router())
        .merge(coach::router())
        .fallback(assets::serve)
        .layer(axum::middleware::from_fn(assets::cache_headers))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            metrics::track,
        ))
        .with_state(state)
        .layer(CompressionLayer::new())
        .layer(axum::middleware::from_fn_with_state(limit, request_timeout))
        .layer(PropagateRequestIdLayer::new(REQUEST_ID))
        .layer(
            TraceLayer::new_for_http().make_span_with(|request: &Request<_>| {
                let id = request
                    .headers()
                    .get(&REQUEST_ID)
                    .and_then(|v| v.to_str().ok())
                    .unwrap_or("-");
                tracing::info_span!("request", id, method = %request.method(), path = %loggable_path(request.uri().path()))
            }),
        )
        .layer(SetRequestIdLayer::new(REQUEST_ID, MakeRequestUuid))
        .layer(axum::middleware::map_request(own_request_id));
    security_headers(router)
}

/// Opens the database, binds the address and serves until `shutdown` completes; requests in
/// flight then get `config.shutdown_grace_secs` to finish.
pub async fn run(
    config: Config,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> Result<(), StartError> {
    let opening = config.clone();
    let storage = tokio::task::spawn_blocking(move || open_storage(&opening))
        .await
        .map_err(|_| StartError::Database(DbError::Task))??;
    // Held until the server stops: a second server or a restore on a SQLite file is refused.
    // Instances sharing a PostgreSQL database are what it is for.
    let _lock = match config.postgres_url() {
        Some(_) => None,
        None => Some(
            files::lock_exclusive(&config.database)
                .map_err(|e| StartError::Database(DbError::Corrupt(e.to_string())))?
                .ok_or(StartError::Config(config::ConfigError(
                    "another process (a server or a restore) is using this database",
                )))?,
        ),
    };
    let state = AppState::new(&config, storage).map_err(StartError::Config)?;
    let listener = TcpListener::bind(&config.addr)
        .await
        .map_err(|source| StartError::Bind {
            addr: config.addr.clone(),
            source,
        })?;
    serve(listener, state, &config, shutdown).await
}

/// Opens the database --database names, with the team quota, and migrates it. Blocks: call
/// it off the async runtime.
pub fn open_storage(config: &Config) -> Result<Arc<dyn Storage>, StartError> {
    let quota = config.team_quota_bytes();
    if let Some(url) = config.postgres_url() {
        let key_file =
            config
                .invite_key
                .as_deref()
                .ok_or(StartError::Config(config::ConfigError(
                    "with PostgreSQL, --invite-key names the invite key file every instance shares",
                )))?;
        let key = db::InviteKey::load_or_create(key_file).map_err(StartError::Database)?;
        let storage = db::Postgres::open(url, key).map_err(StartError::Database)?;
        return Ok(Arc::new(storage.with_team_quota(quota)));
    }
    let key_file = config
        .invite_key
        .clone()
        .unwrap_or_else(|| db::invite_key_path(&config.database));
    let storage =
        Sqlite::open_with_key_file(&config.database, &key_file).map_err(StartError::Database)?;
    Ok(Arc::new(storage.with_team_quota(quota)))
}

/// Serves `state` on `listener` until `shutdown` completes, then gives requests in flight
/// `config.shutdown_grace_secs` to finish.
///
/// Each connection must send a request's headers within `--header-timeout` seconds, and is
/// closed when idle that long between requests; at most `--max-connections` are open at once
/// (more wait in the listen queue), at most `--max-connections-per-client` from one address
/// other than a trusted proxy (more are closed at once).
pub async fn serve(
    listener: TcpListener,
    state: AppState,
    config: &Config,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> Result<(), StartError> {
    use hyper_util::rt::{TokioIo, TokioTimer};
    use hyper_util::service::TowerToHyperService;

    let local = listener.local_addr().map_err(|source| StartError::Bind {
        addr: config.addr.clone(),
        source,
    })?;
    tracing::info!(addr = %local, database = %config.database.display(), dist = %config.dist.display(), "listening");
    if !config.dist.join("index.html").is_file() {
        tracing::warn!(dist = %config.dist.display(), "no built app found; only /api is served");
    }
    let trusted = Arc::clone(&state.trusted_proxies);
    let router = app(state, config);
    let grace = Duration::from_secs(config.shutdown_grace_secs);
    let slots = Arc::new(tokio::sync::Semaphore::new(config.max_connections.max(1)));
    let per_client = Arc::new(ratelimit::InFlight::<IpAddr>::new(
        config.max_connections_per_client,
    ));
    let mut http = hyper::server::conn::http1::Builder::new();
    http.timer(TokioTimer::new())
        .header_read_timeout(Duration::from_secs(config.header_timeout_secs.max(1)))
        .keep_alive(true);
    let graceful = hyper_util::server::graceful::GracefulShutdown::new();
    let shutdown = shutdown;
    tokio::pin!(shutdown);
    loop {
        let slot = tokio::select! {
            slot = Arc::clone(&slots).acquire_owned() => match slot {
                Ok(slot) => slot,
                Err(_) => break,
            },
            () = &mut shutdown => break,
        };
        let (stream, peer) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(accepted) => accepted,
                Err(e) => {
                    // Out of file descriptors, or a connection reset before it was accepted:
                    // wait a moment instead of spinning.
                    tracing::warn!(error = %e, "accepting a connection failed");
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            },
            () = &mut shutdown => break,
        };
        let ip = peer.ip().to_canonical();
        let client_slot = if trusted.iter().any(|t| t.contains(ip)) {
            None
        } else if let Some(slot) = per_client.enter(&ip) {
            Some(slot)
        } else {
            tracing::info!("too many connections from one client; closed");
            continue;
        };
        let _ = stream.set_nodelay(true);
        let service = tower::ServiceExt::map_request(
            router.clone(),
            move |mut request: Request<hyper::body::Incoming>| {
                request
                    .extensions_mut()
                    .insert(axum::extract::ConnectInfo(peer));
                request
            },
        );
        let connection = graceful
            .watch(http.serve_connection(TokioIo::new(stream), TowerToHyperService::new(service)));
        tokio::spawn(async move {
            if let Err(e) = connection.await {
                tracing::debug!(error = %e, "connection ended with an error");
            }
            drop((slot, client_slot));
        });
    }
    drop(listener);
    tracing::info!("shutting down: finishing requests in flight");
    // In-flight requests (a push mid-commit) get `grace` to finish; then the process stops.
    tokio::select! {
        () = graceful.shutdown() => {},
        () = tokio::time::sleep(grace) => tracing::warn!("requests still running after the grace period; stopping"),
    }
    tracing::info!("stopped");
    Ok(())
}

/// Why the server could not start or keep running.
#[derive(Debug, thiserror::Error)]
pub enum StartError {
    /// The database could not be opened or migrated.
    #[error("database: {0}")]
    Database(#[source] db::DbError),
    /// The configuration cannot work.
    #[error("configuration: {0}")]
    Config(#[source] config::ConfigError),
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
