//! Serving the built app from `dist/`.
//!
//! Cache rules for an offline-first app: `index.html`, the service worker and the manifest
//! must always be revalidated (`no-cache`) so a new release reaches phones; files whose names
//! carry Trunk's content hash never change and are cached for a year.

use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use tower::ServiceExt;
use tower_http::services::{ServeDir, ServeFile};

use crate::AppState;

/// Serves a file from `dist/`; a path without a file extension is an app route and gets
/// `index.html`, so reloads and shared links work. The build writes brotli and gzip copies
/// next to each file (`name.br`, `name.gz`, at the highest levels); the one the browser
/// accepts is sent as it is, with `Content-Encoding` and `Vary: Accept-Encoding`.
pub async fn serve(State(state): State<AppState>, request: Request) -> Response {
    let is_app_route = !last_segment(request.uri().path()).contains('.');
    let index = state.dist.join("index.html");
    let accept = request.headers().get(header::ACCEPT_ENCODING).cloned();
    let files = ServeDir::new(state.dist.as_ref())
        .precompressed_br()
        .precompressed_gzip();
    let response = match files.oneshot(request).await {
        Ok(response) => response.into_response(),
        Err(never) => match never {},
    };
    // A path the file system cannot even look up (a name longer than it allows, bytes it
    // refuses) names no file of the app: it is not found, never a server error.
    let missing = response.status() == StatusCode::NOT_FOUND || response.status().is_server_error();
    if !missing {
        return response;
    }
    if !is_app_route {
        return StatusCode::NOT_FOUND.into_response();
    }
    let mut index_request = Request::new(Body::empty());
    if let Some(accept) = accept {
        index_request
            .headers_mut()
            .insert(header::ACCEPT_ENCODING, accept);
    }
    let index = ServeFile::new(index)
        .precompressed_br()
        .precompressed_gzip();
    match index.oneshot(index_request).await {
        Ok(response) => response.into_response(),
        Err(never) => match never {},
    }
}

/// Sets `Cache-Control`, `Vary: Accept-Encoding` (and the manifest's MIME type) by path.
pub async fn cache_headers(request: Request, next: Next) -> Response {
    let path = request.uri().path().to_owned();
    let mut response = next.run(request).await;
    if path.starts_with("/api/") || path == "/api" {
        response
            .headers_mut()
            .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
        return response;
    }
    // A page the server renders says itself how it may be kept (a resident's answer, a
    // coach's figures: not at all).
    if response.headers().contains_key(header::CACHE_CONTROL) {
        return response;
    }
    let name = last_segment(&path);
    let cache = if has_content_hash(name) && response.status().is_success() {
        "public, max-age=31536000, immutable"
    } else {
        "no-cache"
    };
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static(cache));
    // Each file has brotli and gzip copies: a cache must keep the answer per encoding.
    let varies = response.headers().get_all(header::VARY).iter().any(|v| {
        v.to_str()
            .is_ok_and(|v| v.to_ascii_lowercase().contains("accept-encoding"))
    });
    if !varies {
        response
            .headers_mut()
            .append(header::VARY, HeaderValue::from_static("accept-encoding"));
    }
    if name.ends_with(".webmanifest") {
        response.headers_mut().insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/manifest+json"),
        );
    }
    response
}

fn last_segment(path: &str) -> &str {
    path.rsplit('/').next().unwrap_or_default()
}

/// Trunk names hashed files `name-<hash>.ext` (and `name-<hash>_bg.wasm`): a 64-bit hash in hex
/// without leading zeros, so usually 16 digits, one build in sixteen 15, and fewer more rarely.
/// Only a file name (with an extension) counts: an app route such as an address's page ends
/// in an id whose last group is hex too, and gets `index.html`, which must never be kept.
fn has_content_hash(name: &str) -> bool {
    let Some((stem, _extension)) = name.split_once('.') else {
        return false;
    };
    let stem = stem.strip_suffix("_bg").unwrap_or(stem);
    stem.rsplit_once('-').is_some_and(|(_, hash)| {
        (8..=16).contains(&hash.len()) && hash.bytes().all(|b| b.is_ascii_hexdigit())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_trunk_hashed_names_count_as_immutable() {
        assert!(has_content_hash("buurtbel-app-1a2b3c4d5e6f7a8b_bg.wasm"));
        assert!(has_content_hash("buurtbel-app-1a2b3c4d5e6f7a8b.js"));
        assert!(has_content_hash("main-0123456789abcdef.css"));
        // A hash that starts with a zero digit is written one digit shorter.
        assert!(has_content_hash("buurtbel-app-c8994b0d4ff129a_bg.wasm"));
        assert!(has_content_hash("buurtbel-app-c8994b0d4ff129a.js"));
        // App routes and server pages end in ids, not file names.
        assert!(!has_content_hash("01a23a84-4029-793a-a7b7-326c24cece7d"));
        assert!(!has_content_hash("abcdef12"));
        assert!(!has_content_hash("index.html"));
        assert!(!has_content_hash("sw.js"));
        assert!(!has_content_hash("manifest.webmanifest"));
        assert!(!has_content_hash("icon-192.png"));
    }
}
