//! Who may do what: clients behind a reverse proxy, team creation and joining from web pages
//! elsewhere, guessing invite codes and the server key, removed members, roles.

mod common;

use buurtbel_server::Config;
use common::{Client, Device, TestServer};
use serde_json::json;

fn team_body() -> Vec<u8> {
    serde_json::to_vec(&json!({"name": "Team", "neighbourhood": "Buurt", "display_name": "Anna"}))
        .expect("json")
}

/// Posts JSON with extra headers.
async fn post_with(
    client: &Client,
    path: &str,
    headers: &[(&str, &str)],
    body: Vec<u8>,
) -> common::Answer {
    client.send_with_headers("POST", path, headers, body).await
}

#[tokio::test]
async fn behind_a_trusted_proxy_every_client_counts_as_itself() {
    let server = TestServer::start_with(|c| {
        c.trusted_proxy = vec!["127.0.0.1".into()];
        c.join_burst = 1;
    })
    .await;
    let client = &server.client;
    // A client elsewhere, forwarded by the proxy, is not "this machine".
    let from_afar = post_with(
        client,
        "/api/v1/teams",
        &[("x-forwarded-for", "203.0.113.9")],
        team_body(),
    )
    .await;
    assert_eq!(
        (from_afar.status, from_afar.body["code"].as_str()),
        (403, Some("forbidden"))
    );
    // Each forwarded client has its own rate limit (burst 1 here): the first address is now
    // spent, another is not.
    let again = post_with(
        client,
        "/api/v1/join",
        &[("x-forwarded-for", "203.0.113.9")],
        br#"{"code":"ABCD-EFGH","display_name":"x"}"#.to_vec(),
    )
    .await;
    assert_eq!(again.status, 429);
    let other = post_with(
        client,
        "/api/v1/join",
        &[("x-forwarded-for", "198.51.100.1")],
        br#"{"code":"ABCD-EFGH","display_name":"x"}"#.to_vec(),
    )
    .await;
    assert_eq!(
        other.status, 404,
        "another client, its own limit: {:?}",
        other.body
    );
    // IPv6 clients count per /64.
    let a = post_with(
        client,
        "/api/v1/join",
        &[("x-forwarded-for", "2001:db8:1:2::1")],
        br#"{"code":"ABCD-EFGH","display_name":"x"}"#.to_vec(),
    )
    .await;
    let b = post_with(
        client,
        "/api/v1/join",
        &[("x-forwarded-for", "2001:db8:1:2::ffff")],
        br#"{"code":"ABCD-EFGH","display_name":"x"}"#.to_vec(),
    )
    .await;
    assert_eq!((a.status, b.status), (404, 429), "one /64 is one client");
}

#[tokio::test]
async fn without_a_trusted_proxy_a_forwarded_address_changes_nothing() {
    let server = TestServer::start().await;
    // A client cannot make itself look like another by writing the header itself.
    let a = post_with(
        &server.client,
        "/api/v1/teams",
        &[("x-forwarded-for", "203.0.113.9")],
        team_body(),
    )
    .await;
    assert_eq!(a.status, 201, "still this machine: {:?}", a.body);
}

#[tokio::test]
async fn a_request_over_no_socket_is_not_this_machine() {
    use axum::body::Body;
    use axum::http::Request;
    use tower::ServiceExt;
    let dir = common::TempDir::new("nosocket");
    let mut config = Config::defaults();
    config.database = dir.0.join("db.sqlite3");
    let storage =
        std::sync::Arc::new(buurtbel_server::db::Sqlite::open(&config.database).expect("db"));
    let state = buurtbel_server::AppState::new(&config, storage).expect("state");
    let app = buurtbel_server::app(state, &config);
    let answer = app
        .oneshot(
            Request::post("/api/v1/teams")
                .header("content-type", "application/json")
                .header("host", "localhost")
                .body(Body::from(team_body()))
                .expect("request"),
        )
        .await
        .expect("answer");
    assert_eq!(
        answer.status(),
        403,
        "an unknown peer never counts as local"
    );
}

#[test]
fn local_team_creation_needs_a_loopback_address_unless_told_otherwise() {
    let mut config = Config::defaults();
    config.addr = "0.0.0.0:8080".into();
    assert!(config.team_creation().is_err());
    config.team_creation_local_any_address = true;
    assert!(config.team_creation().is_ok());
    config.team_creation_local_any_address = false;
    config.addr = "[::1]:8080".into();
    assert!(config.team_creation().is_ok());
    config.addr = "127.0.0.1:0".into();
    assert!(config.team_creation().is_ok());
}

#[tokio::test]
async fn a_web_page_elsewhere_cannot_start_or_join_a_team() {
    let server = TestServer::start().await;
    let client = &server.client;
    // A form or text/plain needs no CORS preflight: refused.
    let text = client
        .send_with_headers(
            "POST",
            "/api/v1/teams",
            &[("content-type", "text/plain")],
            team_body(),
        )
        .await;
    assert_eq!(
        (text.status, text.body["code"].as_str()),
        (415, Some("not_json"))
    );
    let form = client
        .send_with_headers(
            "POST",
            "/api/v1/join",
            &[("content-type", "application/x-www-form-urlencoded")],
            b"code=x".to_vec(),
        )
        .await;
    assert_eq!(form.status, 415);
    // A page whose own name now points at this server (DNS rebinding) sends its own Host.
    let rebound = post_with(
        client,
        "/api/v1/teams",
        &[("host", "evil.example:8080")],
        team_body(),
    )
    .await;
    assert_eq!(
        (rebound.status, rebound.body["code"].as_str()),
        (403, Some("forbidden"))
    );
    let ok = post_with(
        client,
        "/api/v1/teams",
        &[("content-type", "application/json; charset=utf-8")],
        team_body(),
    )
    .await;
    assert_eq!(ok.status, 201, "{:?}", ok.body);
    // Configured names count.
    let named =
        TestServer::start_with(|c| c.public_host = vec!["Buurtbel.Example.nl".into()]).await;
    let a = post_with(
        &named.client,
        "/api/v1/teams",
        &[("host", "buurtbel.example.nl")],
        team_body(),
    )
    .await;
    assert_eq!(a.status, 201, "{:?}", a.body);
}

#[tokio::test]
async fn guessing_codes_from_many_addresses_is_limited_for_all_of_them() {
    let server = TestServer::start_with(|c| {
        c.trusted_proxy = vec!["127.0.0.1".into()];
        c.join_failures_burst = 3;
    })
    .await;
    let anna = Device::create_team(&server.client, "Team", 1).await;
    let code = anna.invite.clone().expect("invite");
    for i in 0..3 {
        let ip = format!("203.0.113.{i}");
        let a = post_with(
            &server.client,
            "/api/v1/join",
            &[("x-forwarded-for", &ip)],
            br#"{"code":"ABCD-EFGH","display_name":"x"}"#.to_vec(),
        )
        .await;
        assert_eq!(a.status, 404);
    }
    // Now every join waits, even one with a good code from a fresh address.
    let body = serde_json::to_vec(&json!({"code": code, "display_name": "Piet"})).expect("json");
    let a = post_with(
        &server.client,
        "/api/v1/join",
        &[("x-forwarded-for", "198.51.100.7")],
        body,
    )
    .await;
    assert_eq!(a.status, 429);
}

#[tokio::test]
async fn the_server_key_is_checked_after_the_rate_limit() {
    let server = TestServer::start_with(|c| {
        c.team_creation = "key".into();
        c.server_key = Some("een-heel-lange-geheime-sleutel".into());
        c.join_burst = 2;
    })
    .await;
    let wrong = |_| {
        post_with(
            &server.client,
            "/api/v1/teams",
            &[("x-server-key", "raden-raden-raden-raden")],
            team_body(),
        )
    };
    assert_eq!(wrong(0).await.status, 403);
    assert_eq!(wrong(1).await.status, 403);
    assert_eq!(
        wrong(2).await.status,
        429,
        "a third guess is not even checked"
    );
}
