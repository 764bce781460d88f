//! The HTTP application through its router: health, API errors and serving the built app.

use std::path::PathBuf;

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use buurtbel_server::db::Sqlite;
use buurtbel_server::{AppState, Config, app};
use http_body_util::BodyExt;
use tower::ServiceExt;

struct Fixture {
    dist: PathBuf,
    router: axum::Router,
}

impl Fixture {
    fn new(name: &str) -> Fixture {
        let dist =
            std::env::temp_dir().join(format!("buurtbel-dist-{name}-{}", std::process::id()));
        std::fs::create_dir_all(&dist).expect("temp dist");
        std::fs::write(dist.join("index.html"), "<title>Buurtbel</title>").expect("index");
        std::fs::write(dist.join("buurtbel-app-0123456789abcdef_bg.wasm"), b"\0asm").expect("wasm");
        std::fs::write(dist.join("manifest.webmanifest"), "{}").expect("manifest");
        let mut config = Config::defaults();
        config.dist = dist.clone();
        let storage = std::sync::Arc::new(Sqlite::open_in_memory().expect("db"));
        let router = app(AppState::new(&config, storage).expect("config"), &config);
        Fixture { dist, router }
    }

    async fn send(&self, request: Request<Body>) -> (StatusCode, axum::http::HeaderMap, Vec<u8>) {
        let response = self
            .router
            .clone()
            .oneshot(request)
            .await
            .expect("infallible");
        let status = response.status();
        let headers = response.headers().clone();
        let body = response
            .into_body()
            .collect()
            .await
            .expect("body")
            .to_bytes();
        (status, headers, body.to_vec())
    }

    async fn get(&self, path: &str) -> (StatusCode, axum::http::HeaderMap, String) {
        let (status, headers, body) = self
            .send(Request::get(path).body(Body::empty()).expect("request"))
            .await;
        (status, headers, String::from_utf8_lossy(&body).into_owned())
    }
}

impl Drop for Fixture {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dist);
    }
}

#[tokio::test]
async fn health_answers_with_the_protocol_version() {
    let fx = Fixture::new("health");
    for path in ["/api/health", "/api/health/ready"] {
        let (status, headers, body) = fx.get(path).await;
        assert_eq!(status, StatusCode::OK, "{path}");
        let json: serde_json::Value = serde_json::from_str(&body).expect("json");
        assert_eq!(json["status"], "ok");
        assert_eq!(
            json["protocol_version"],
            buurtbel_core::protocol::PROTOCOL_VERSION
        );
        assert!(
            headers.contains_key("x-request-id"),
            "every answer carries a request id"
        );
    }
}

#[tokio::test]
async fn unknown_api_paths_get_json_404_not_the_app() {
    let fx = Fixture::new("api404");
    let (status, _, body) = fx.get("/api/nope").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let json: serde_json::Value = serde_json::from_str(&body).expect("json");
    assert_eq!(json["code"], "not_found");
    assert!(json["message"].is_string());
}

#[tokio::test]
async fn app_routes_fall_back_to_index_html_without_caching() {
    let fx = Fixture::new("routes");
    // An address's page ends in its id, whose last group looks like a content hash: it is still
    // the app's index.html, which a phone must revalidate.
    for path in [
        "/",
        "/team",
        "/plan/",
        "/adres/01a23a84-4029-793a-a7b7-326c24cece7d",
    ] {
        let (status, headers, body) = fx.get(path).await;
        assert_eq!(status, StatusCode::OK, "{path}");
        assert!(body.contains("<title>Buurtbel</title>"), "{path}");
        assert_eq!(headers[header::CACHE_CONTROL], "no-cache", "{path}");
    }
    let (status, _, _) = fx.get("/missing.js").await;
    assert_eq!(
        status,
        StatusCode::NOT_FOUND,
        "a missing file is not an app route"
    );
}

#[tokio::test]
async fn hashed_assets_are_immutable_and_the_manifest_has_its_type() {
    let fx = Fixture::new("assets");
    let (status, headers, _) = fx.get("/buurtbel-app-0123456789abcdef_bg.wasm").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        headers[header::CACHE_CONTROL],
        "public, max-age=31536000, immutable"
    );
    assert_eq!(headers[header::CONTENT_TYPE], "application/wasm");
    let (status, headers, _) = fx.get("/manifest.webmanifest").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(headers[header::CONTENT_TYPE], "application/manifest+json");
    assert_eq!(headers[header::CACHE_CONTROL], "no-cache");
}

#[tokio::test]
async fn the_app_is_sent_compressed_to_browsers_that_accept_it() {
    let fx = Fixture::new("compress");
    // Large enough to be worth compressing.
    std::fs::write(
        fx.dist.join("index.html"),
        "<title>Buurtbel</title>".repeat(200),
    )
    .expect("index");
    for (accept, expected) in [("br", "br"), ("gzip", "gzip")] {
        let request = Request::get("/")
            .header(header::ACCEPT_ENCODING, accept)
            .body(Body::empty())
            .expect("request");
        let (_, headers, body) = fx.send(request).await;
        assert_eq!(headers[header::CONTENT_ENCODING], expected);
        assert!(body.len() < 1000, "{accept}: {} bytes", body.len());
    }
}

#[tokio::test]
async fn the_build_s_precompressed_copies_are_sent_as_they_are() {
    let fx = Fixture::new("precompressed");
    let name = "buurtbel-app-0123456789abcdef_bg.wasm";
    // Marked copies: the answer must be the file the build wrote, not one compressed now.
    std::fs::write(fx.dist.join(format!("{name}.br")), b"brotli copy").expect("br");
    std::fs::write(fx.dist.join(format!("{name}.gz")), b"gzip copy").expect("gz");
    std::fs::write(fx.dist.join("index.html.br"), b"brotli index").expect("index br");
    for (accept, encoding, body) in [
        ("gzip, deflate, br", Some("br"), "brotli copy"),
        ("gzip", Some("gzip"), "gzip copy"),
        ("identity", None, "\0asm"),
    ] {
        let request = Request::get(format!("/{name}"))
            .header(header::ACCEPT_ENCODING, accept)
            .body(Body::empty())
            .expect("request");
        let (status, headers, got) = fx.send(request).await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(
            headers
                .get(header::CONTENT_ENCODING)
                .map(|v| v.to_str().expect("ascii")),
            encoding,
            "{accept}"
        );
        assert_eq!(String::from_utf8_lossy(&got), body, "{accept}");
        assert_eq!(headers[header::CONTENT_TYPE], "application/wasm");
        assert!(
            headers[header::VARY]
                .to_str()
                .expect("ascii")
                .to_ascii_lowercase()
                .contains("accept-encoding"),
            "{accept}"
        );
        assert_eq!(
            headers[header::CACHE_CONTROL],
            "public, max-age=31536000, immutable"
        );
    }
    // An app route gets the index's brotli copy too.
    let request = Request::get("/overleg")
        .header(header::ACCEPT_ENCODING, "br")
        .body(Body::empty())
        .expect("request");
    let (_, headers, got) = fx.send(request).await;
    assert_eq!(headers[header::CONTENT_ENCODING], "br");
    assert_eq!(got, b"brotli index");
    assert_eq!(headers[header::CACHE_CONTROL], "no-cache");
}

#[tokio::test]
async fn every_answer_carries_the_security_headers() {
    let f = Fixture::new("headers");
    for path in [
        "/",
        "/team",
        "/buurtbel-app-0123456789abcdef_bg.wasm",
        "/manifest.webmanifest",
        "/missing.js",
        "/api/health",
        "/api/v1/nope",
    ] {
        let (_, headers, _) = f.get(path).await;
        let csp = headers
            .get(header::CONTENT_SECURITY_POLICY)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_else(|| panic!("{path}: no Content-Security-Policy"));
        for part in [
            "default-src 'self'",
            "script-src 'self' 'wasm-unsafe-eval'",
            "frame-ancestors 'none'",
            "object-src 'none'",
        ] {
            assert!(csp.contains(part), "{path}: {csp}");
        }
        assert!(!csp.contains("unsafe-inline"), "{path}: no inline script");
        assert_eq!(headers[header::X_CONTENT_TYPE_OPTIONS], "nosniff", "{path}");
        assert_eq!(headers[header::X_FRAME_OPTIONS], "DENY", "{path}");
        assert_eq!(headers[header::REFERRER_POLICY], "no-referrer", "{path}");
    }
}
