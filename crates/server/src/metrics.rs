//! What an operator watches: requests by route and status class, operations stored, push
//! latency and error answers by code, in Prometheus's text format at `/api/metrics`. Off unless
//! `--metrics-token` is set; then only requests bearing that token read them.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Instant;

use axum::extract::{Request, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use crate::AppState;
use crate::error::{ApiError, ErrorCode};

/// The routes requests are counted by.
const ROUTES: [&str; 5] = ["push", "pull", "setup", "api", "app"];
/// The status classes requests are counted by.
const CLASSES: [&str; 4] = ["2xx", "3xx", "4xx", "5xx"];
/// Upper bounds (seconds) of the push latency histogram's buckets.
const BUCKETS: [f64; 10] = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0];

/// The counters, shared by every request.
#[derive(Debug, Default)]
pub struct Metrics {
    requests: [[AtomicU64; 4]; 5],
    stored: AtomicU64,
    push_buckets: [AtomicU64; 10],
    push_count: AtomicU64,
    push_micros: AtomicU64,
    errors: Mutex<BTreeMap<&'static str, u64>>,
}

fn route(path: &str) -> usize {
    match path {
        "/api/v1/push" => 0,
        "/api/v1/pull" => 1,
        "/api/v1/teams" | "/api/v1/join" => 2,
        p if p.starts_with("/api/") => 3,
        _ => 4,
    }
}

impl Metrics {
    /// Counts operations newly stored by a push.
    pub fn stored(&self, n: usize) {
        self.stored.fetch_add(n as u64, Ordering::Relaxed);
    }

    fn observe(&self, path: &str, status: StatusCode, error: Option<ErrorCode>, seconds: f64) {
        let route = route(path);
        let class = (usize::from(status.as_u16() / 100)).clamp(2, 5) - 2;
        self.requests[route][class].fetch_add(1, Ordering::Relaxed);
        if route == 0 {
            for (bound, bucket) in BUCKETS.iter().zip(&self.push_buckets) {
                if seconds <= *bound {
                    bucket.fetch_add(1, Ordering::Relaxed);
                }
            }
            self.push_count.fetch_add(1, Ordering::Relaxed);
            self.push_micros
                .fetch_add((seconds * 1e6) as u64, Ordering::Relaxed);
        }
        if let Some(ErrorCode(code)) = error {
            let mut errors = self.errors.lock().unwrap_or_else(|p| p.into_inner());
            *errors.entry(code).or_insert(0) += 1;
        }
    }

    /// The counters in Prometheus's text format.
    pub fn render(&self) -> String {
        let mut out = String::new();
        let _ = writeln!(
            out,
            "# HELP buurtbel_requests_total Requests answered, by route and status class."
        );
        let _ = writeln!(out, "# TYPE buurtbel_requests_total counter");
        for (r, route) in ROUTES.iter().enumerate() {
            for (c, class) in CLASSES.iter().enumerate() {
                let n = self.requests[r][c].load(Ordering::Relaxed);
                let _ = writeln!(
                    out,
                    "buurtbel_requests_total{{route=\"{route}\",status=\"{class}\"}} {n}"
                );
            }
        }
        let _ = writeln!(
            out,
            "# HELP buurtbel_operations_stored_total Operations stored (retries not counted)."
        );
        let _ = writeln!(out, "# TYPE buurtbel_operations_stored_total counter");
        let _ = writeln!(
            out,
            "buurtbel_operations_stored_total {}",
            self.stored.load(Ordering::Relaxed)
        );
        let _ = writeln!(
            out,
            "# HELP buurtbel_push_duration_seconds Time to answer a push."
        );
        let _ = writeln!(out, "# TYPE buurtbel_push_duration_seconds histogram");
        for (bound, bucket) in BUCKETS.iter().zip(&self.push_buckets) {
            let _ = writeln!(
                out,
                "buurtbel_push_duration_seconds_bucket{{le=\"{bound}\"}} {}",
                bucket.load(Ordering::Relaxed)
            );
        }
        let count = self.push_count.load(Ordering::Relaxed);
        let _ = writeln!(
            out,
            "buurtbel_push_duration_seconds_bucket{{le=\"+Inf\"}} {count}"
        );
        let _ = writeln!(
            out,
            "buurtbel_push_duration_seconds_sum {}",
            self.push_micros.load(Ordering::Relaxed) as f64 / 1e6
        );
        let _ = writeln!(out, "buurtbel_push_duration_seconds_count {count}");
        let _ = writeln!(out, "# HELP buurtbel_errors_total Error answers, by code.");
        let _ = writeln!(out, "# TYPE buurtbel_errors_total counter");
        let errors = self.errors.lock().unwrap_or_else(|p| p.into_inner());
        for (code, n) in errors.iter() {
            let _ = writeln!(out, "buurtbel_errors_total{{code=\"{code}\"}} {n}");
        }
        out
    }
}

/// Counts every request and its answer.
pub async fn track(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let path = request.uri().path().to_owned();
    let started = Instant::now();
    let response = next.run(request).await;
    let error = response.extensions().get::<ErrorCode>().copied();
    state.metrics.observe(
        &path,
        response.status(),
        error,
        started.elapsed().as_secs_f64(),
    );
    response
}

/// `GET /api/metrics`: the counters, for the bearer of `--metrics-token`; not found without one.
pub async fn serve(State(state): State<AppState>, headers: axum::http::HeaderMap) -> Response {
    let Some(token) = &state.metrics_token else {
        return ApiError::NotFound.into_response();
    };
    let given = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .unwrap_or_default();
    if !state.metrics_failures.has_room(&()) {
        return ApiError::TooManyRequests.into_response();
    }
    if !crate::auth::is_server_key(given.trim(), token) {
        state.metrics_failures.check(&());
        return ApiError::Unauthorized.into_response();
    }
    let mut response = state.metrics.render().into_response();
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/plain; version=0.0.4"),
    );
    response
}
