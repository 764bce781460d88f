//! Attacks on addresses, limits, logs and headers, each the request an attacker would send:
//! a client behind an appending proxy picking its own address, sockets held open, floods of
//! admin requests, huge pages and bodies, values echoed back, guessed metrics tokens.

mod common;

use std::collections::BTreeMap;
use std::net::SocketAddr;
use std::time::{Duration, Instant};

use buurtbel_core::domain::Outcome;
use buurtbel_core::ids::{AddressId, VisitId};
use buurtbel_core::op::{Operation, Payload, VisitLog};
use buurtbel_server::db::Sqlite;
use buurtbel_server::{AppState, Config};
use common::{Device, TestServer};
use serde_json::json;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpSocket, TcpStream};

/// A server in this process listening on `bind`, configured by `adjust`.
async fn serve_on(bind: &str, adjust: impl FnOnce(&mut Config)) -> (SocketAddr, common::TempDir) {
    let dir = common::TempDir::new("limits");
    let mut config = Config::defaults();
    config.database = dir.0.join("db.sqlite3");
    config.dist = dir.0.join("dist");
    adjust(&mut config);
    let storage = std::sync::Arc::new(Sqlite::open(&config.database).expect("database"));
    let state = AppState::new(&config, storage).expect("config");
    let listener = tokio::net::TcpListener::bind(bind).await.expect("bind");
    let addr = listener.local_addr().expect("addr");
    tokio::spawn(async move {
        let _ = buurtbel_server::serve(listener, state, &config, std::future::pending()).await;
    });
    (addr, dir)
}

/// A raw HTTP/1.1 request from the local address `from` to `to`; the status, headers and body.
async fn raw(
    from: &str,
    to: SocketAddr,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
    body: &[u8],
) -> (u16, String, String) {
    let from: std::net::IpAddr = from.parse().expect("ip");
    let socket = if to.is_ipv4() {
        TcpSocket::new_v4()
    } else {
        TcpSocket::new_v6()
    }
    .expect("socket");
    socket.bind(SocketAddr::new(from, 0)).expect("bind");
    let mut stream = socket.connect(to).await.expect("connect");
    let mut request = format!(
        "{method} {path} HTTP/1.1\r\nhost: 127.0.0.1\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n",
        body.len()
    );
    for (k, v) in headers {
        request.push_str(&format!("{k}: {v}\r\n"));
    }
    request.push_str("\r\n");
    stream.write_all(request.as_bytes()).await.expect("write");
    stream.write_all(body).await.expect("write body");
    let mut answer = Vec::new();
    stream.read_to_end(&mut answer).await.expect("read");
    let answer = String::from_utf8_lossy(&answer).into_owned();
    let (head, body) = answer.split_once("\r\n\r\n").unwrap_or((&answer, ""));
    let status = head
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    (status, head.to_ascii_lowercase(), body.to_owned())
}

const TEAM: &[u8] = br#"{"name":"Team","neighbourhood":"Buurt","display_name":"Anna"}"#;
const WRONG_JOIN: &[u8] = br#"{"code":"ABCD-EFGH","display_name":"x"}"#;

#[tokio::test]
async fn behind_an_appending_proxy_a_client_cannot_pick_its_address() {
    let (addr, _dir) = serve_on("127.0.0.1:0", |c| {
        c.trusted_proxy = vec!["127.0.0.1".into()];
        c.join_burst = 1;
    })
    .await;
    // `unknown` is not this machine: no team under --team-creation local.
    let (status, _, body) = raw(
        "127.0.0.1",
        addr,
        "POST",
        "/api/v1/teams",
        &[("x-forwarded-for", "unknown")],
        TEAM,
    )
    .await;
    assert_eq!(status, 403, "{body}");
    // The proxy appended an unreadable address: every such request shares one bucket.
    let mut statuses = Vec::new();
    for i in 0..3 {
        let claimed = format!("198.51.100.{i}, unknown");
        statuses.push(
            raw(
                "127.0.0.1",
                addr,
                "POST",
                "/api/v1/join",
                &[("x-forwarded-for", &claimed)],
                WRONG_JOIN,
            )
            .await
            .0,
        );
    }
    // The `unknown` above used that bucket (one request at once in this test).
    assert_eq!(statuses, [429, 429, 429], "one bucket, not one per request");
    // The proxy's own line comes second: it counts, the client's first line does not.
    let mut statuses = Vec::new();
    for i in 0..2 {
        let claimed = format!("203.0.113.{i}");
        statuses.push(
            raw(
                "127.0.0.1",
                addr,
                "POST",
                "/api/v1/join",
                &[
                    ("x-forwarded-for", &claimed),
                    ("x-forwarded-for", "192.0.2.77"),
                ],
                WRONG_JOIN,
            )
            .await
            .0,
        );
    }
    assert_eq!(statuses, [404, 429]);
}

#[tokio::test]
async fn on_all_addresses_ipv4_clients_are_themselves_and_the_proxy_is_trusted() {
    let (addr, _dir) = serve_on("[::]:0", |c| {
        c.addr = "[::]:0".into();
        c.team_creation = "open".into();
        c.trusted_proxy = vec!["127.0.0.1".into()];
        c.join_burst = 1;
    })
    .await;
    let v4 = SocketAddr::from(([127, 0, 0, 1], addr.port()));
    // Through the proxy on 127.0.0.1: two clients, two buckets.
    for client in ["198.51.100.1", "198.51.100.2"] {
        let (status, _, body) = raw(
            "127.0.0.1",
            v4,
            "POST",
            "/api/v1/join",
            &[("x-forwarded-for", client)],
            WRONG_JOIN,
        )
        .await;
        assert_eq!(status, 404, "{client}: {body}");
    }
    // Direct IPv4 clients: two addresses, two buckets (not one /64 of mapped addresses).
    for from in ["127.0.0.2", "127.0.0.3"] {
        let (status, _, body) = raw(from, v4, "POST", "/api/v1/join", &[], WRONG_JOIN).await;
        assert_eq!(status, 404, "{from}: {body}");
    }
}

#[tokio::test]
async fn idle_and_dribbling_sockets_are_closed_and_one_client_cannot_take_every_connection() {
    let (addr, _dir) = serve_on("127.0.0.1:0", |c| {
        c.header_timeout_secs = 1;
        c.max_connections_per_client = 4;
    })
    .await;
    // Closed when the server ends the connection; `None` when it is still open after `wait`.
    async fn closed_within(stream: &mut TcpStream, wait: Duration) -> Option<Duration> {
        let start = Instant::now();
        let mut buf = [0u8; 256];
        loop {
            match tokio::time::timeout(wait.saturating_sub(start.elapsed()), stream.read(&mut buf))
                .await
            {
                Ok(Ok(0) | Err(_)) => return Some(start.elapsed()),
                Ok(Ok(_)) => continue,
                Err(_) => return None,
            }
        }
    }
    let mut idle = TcpStream::connect(addr).await.expect("connect");
    let idle_closed = closed_within(&mut idle, Duration::from_secs(5)).await;
    assert!(idle_closed.is_some(), "an idle socket stays open");

    let mut slow = TcpStream::connect(addr).await.expect("connect");
    slow.write_all(b"POST /api/v1/join HTTP/1.1\r\n")
        .await
        .expect("start");
    let dribble = async {
        for i in 0..20 {
            tokio::time::sleep(Duration::from_millis(300)).await;
            if slow
                .write_all(format!("x-dribble-{i}: 1\r\n").as_bytes())
                .await
                .is_err()
            {
                return true;
            }
        }
        false
    };
    let cut_off = tokio::time::timeout(Duration::from_secs(8), dribble)
        .await
        .unwrap_or(false);
    let ended = cut_off
        || closed_within(&mut slow, Duration::from_secs(2))
            .await
            .is_some();
    assert!(ended, "headers dribbled for 6 s and the socket stayed open");

    // Four connections held from one address; the fifth is closed at once.
    let mut held = Vec::new();
    for _ in 0..4 {
        held.push(TcpStream::connect(addr).await.expect("connect"));
    }
    tokio::time::sleep(Duration::from_millis(100)).await;
    let mut fifth = TcpStream::connect(addr).await.expect("connect");
    assert!(
        closed_within(&mut fifth, Duration::from_millis(500))
            .await
            .is_some(),
        "a fifth connection from one client is kept"
    );
    drop(held);
    tokio::time::sleep(Duration::from_millis(100)).await;
    let (status, _, _) = raw("127.0.0.1", addr, "GET", "/api/health", &[], b"").await;
    assert_eq!(status, 200, "room again once they closed");
}

#[tokio::test]
async fn admin_requests_invites_pages_and_setup_bodies_are_bounded() {
    let server = TestServer::start().await;
    let mut anna = Device::create_team(&server.client, "Team", 1).await;
    // 300 invites as fast as possible: a few are made, the rest refused.
    let mut made = 0;
    let mut refused = BTreeMap::new();
    for _ in 0..300 {
        let a = server
            .client
            .post("/api/v1/invites", Some(&anna.token), &json!({}))
            .await;
        if a.status == 201 {
            made += 1;
        } else {
            *refused.entry(a.status).or_insert(0) += 1;
        }
    }
    assert!(made <= 20, "{made} invites made");
    assert!(
        refused.contains_key(&429) && refused.contains_key(&409),
        "{refused:?}"
    );
    let list = server
        .client
        .get("/api/v1/invites", Some(&anna.token))
        .await;
    assert!(list.status == 200 || list.status == 429);

    // A page of a thousand long visits stays near one megabyte.
    let address = anna.factory.id(AddressId::new_v7);
    let add = anna.op(Payload::AddressAdd {
        address,
        street: "Lindelaan".into(),
        number: 1,
        letter: String::new(),
        addition: String::new(),
        postcode: "3581 BA".into(),
    });
    anna.push(&[add]).await.expect("address");
    let note = "€".repeat(2000);
    for _ in 0..2 {
        let visits: Vec<Operation> = (0..500)
            .map(|_| {
                let visit = anna.factory.id(VisitId::new_v7);
                let at_ms = anna.factory.now_ms();
                anna.op(Payload::VisitLog(VisitLog {
                    visit,
                    address,
                    at_ms,
                    outcome: Outcome::Interested,
                    interests: BTreeMap::new(),
                    pledges: BTreeMap::new(),
                    join_team: None,
                    note: note.clone(),
                    follow_up: None,
                    flyer: false,
                    online: false,
                }))
            })
            .collect();
        anna.push(&visits).await.expect("visits");
    }
    let page = server
        .client
        .send(
            "POST",
            "/api/v1/pull",
            Some(&anna.token),
            Some(br#"{"protocol_version":1,"after":0,"limit":1000}"#.to_vec()),
        )
        .await
        .expect("page");
    let bytes = serde_json::to_vec(&page.body).expect("json").len();
    assert!(bytes < 1_200_000, "a pull page of {bytes} bytes");
    assert_eq!(page.body["more"], true);
    let (all, _) = anna
        .pull_all(buurtbel_core::protocol::Cursor(0), 1000)
        .await;
    assert!(all.len() >= 1001, "paging still reaches everything");

    // A 2 MiB join is refused as too large, in JSON, with the security headers.
    let big = format!(
        r#"{{"code":"ABCD-EFGH","display_name":"{}"}}"#,
        "x".repeat(2 * 1024 * 1024)
    );
    let (status, head, body) = raw(
        "127.0.0.1",
        server.addr,
        "POST",
        "/api/v1/join",
        &[],
        big.as_bytes(),
    )
    .await;
    assert_eq!(status, 413, "{body}");
    assert!(body.contains("\"too_large\""), "{body}");
    for header in [
        "content-security-policy",
        "strict-transport-security",
        "x-content-type-options",
    ] {
        assert!(head.contains(header), "{header} missing from {head}");
    }
}

#[tokio::test]
async fn a_slow_request_gets_a_json_408_with_the_security_headers() {
    let (addr, _dir) = serve_on("127.0.0.1:0", |c| c.request_timeout_secs = 1).await;
    let mut stream = TcpStream::connect(addr).await.expect("connect");
    stream
        .write_all(b"POST /api/v1/join HTTP/1.1\r\nhost: 127.0.0.1\r\ncontent-type: application/json\r\ncontent-length: 100\r\n\r\n{\"code\":")
        .await
        .expect("write");
    let mut answer = Vec::new();
    let _ = tokio::time::timeout(Duration::from_secs(5), stream.read_to_end(&mut answer)).await;
    let answer = String::from_utf8_lossy(&answer).to_ascii_lowercase();
    assert!(answer.starts_with("http/1.1 408"), "{answer}");
    assert!(answer.contains("\"timeout\""), "{answer}");
    assert!(answer.contains("content-security-policy"), "{answer}");
    assert!(answer.contains("strict-transport-security"), "{answer}");
}

#[tokio::test]
async fn refusals_name_the_field_never_the_value_and_request_ids_are_the_server_s() {
    let server = TestServer::start().await;
    let anna = Device::create_team(&server.client, "Team", 1).await;
    let device = anna.factory.author().device;
    let body = format!(
        r#"{{"protocol_version":1,"device":"{device}","ops":[{{"id":"0195e9b0-0000-7000-8000-000000000001","hlc":{{"wall_ms":1,"counter":0}},"author":{{"member":"{}","device":"{device}"}},"payload":{{"visit_log":{{"visit":"0195e9b0-0000-7000-8000-000000000002","address":"0195e9b0-0000-7000-8000-000000000003","at_ms":1,"outcome":"Mevrouw Jansen 06-12345678"}}}}}}]}}"#,
        anna.factory.author().member
    );
    let a = server
        .client
        .send(
            "POST",
            "/api/v1/push",
            Some(&anna.token),
            Some(body.into_bytes()),
        )
        .await
        .expect("answer");
    assert_eq!(a.status, 422, "{:?}", a.body);
    let message = a.body["message"].as_str().unwrap_or_default();
    assert!(
        !message.contains("Jansen") && !message.contains("06-1234"),
        "{message}"
    );
    assert!(message.contains("variant"), "{message}");

    let (_, head, _) = raw(
        "127.0.0.1",
        server.addr,
        "GET",
        "/api/health",
        &[("x-request-id", "Mevrouw-Jansen")],
        b"",
    )
    .await;
    let id = head
        .lines()
        .find_map(|l| l.strip_prefix("x-request-id: "))
        .unwrap_or_default()
        .trim();
    assert!(uuid::Uuid::parse_str(id).is_ok(), "the id answered: {id:?}");
}

#[tokio::test]
async fn the_metrics_token_is_long_read_from_a_file_and_not_guessed() {
    let mut config = Config::defaults();
    config.metrics_token = Some("kort".into());
    let storage = std::sync::Arc::new(Sqlite::open_in_memory().expect("db"));
    assert!(
        AppState::new(&config, storage).is_err(),
        "a short token is refused"
    );

    let dir = common::TempDir::new("token");
    let file = dir.0.join("metrics-token");
    let token = "0123456789abcdef0123456789abcdef";
    std::fs::write(&file, format!("{token}\n")).expect("write");
    let server = TestServer::start_with(|c| c.metrics_token_file = Some(file.clone())).await;
    let client = &server.client;
    assert_eq!(client.get("/api/metrics", Some(token)).await.status, 200);
    let mut statuses = Vec::new();
    for i in 0..12 {
        statuses.push(
            client
                .get("/api/metrics", Some(&format!("{token}{i}")))
                .await
                .status,
        );
    }
    assert!(statuses[..10].iter().all(|s| *s == 401), "{statuses:?}");
    assert_eq!(statuses[10..], [429, 429], "guessing is limited");
}
