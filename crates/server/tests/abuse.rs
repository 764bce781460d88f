//! One member cannot harm the team or the server: a device over its limits costs no body to
//! parse, a push of a million tiny elements costs no more memory than its body, and a device
//! cannot keep many requests open at once.

mod common;

use std::io::Write;
use std::net::TcpStream;

use buurtbel_core::protocol::PROTOCOL_VERSION;
use common::{Client, Device, TempDir, TestServer, start_binary_with};

/// The peak resident memory of a process, in kB.
fn peak_kb(pid: u32) -> u64 {
    std::fs::read_to_string(format!("/proc/{pid}/status"))
        .expect("status")
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .expect("VmHWM")
}

#[tokio::test]
async fn a_push_of_millions_of_tiny_elements_is_refused_without_allocating_for_them() {
    let dir = TempDir::new("abuse");
    let (mut child, base) = start_binary_with(&dir.0.join("db.sqlite3"), &[]);
    let client = Client::with_base(base);
    let anna = Device::create_team(&client, "Team", 1).await;
    let device = anna.factory.author().device;
    // 8 MiB at most (the body limit): four million zeros.
    let mut body =
        format!(r#"{{"protocol_version":{PROTOCOL_VERSION},"device":"{device}","ops":["#)
            .into_bytes();
    while body.len() < 8 * 1024 * 1024 - 16 {
        body.extend_from_slice(b"0,");
    }
    body.extend_from_slice(b"0]}");
    let before = peak_kb(child.id());
    let a = client
        .send("POST", "/api/v1/push", Some(&anna.token), Some(body))
        .await
        .expect("answer");
    let grew_mb = peak_kb(child.id()).saturating_sub(before) / 1024;
    assert_eq!(
        (a.status, a.body["field"].as_str()),
        (422, Some("ops")),
        "{:?}",
        a.body
    );
    assert!(
        grew_mb < 48,
        "the server's peak memory grew by {grew_mb} MB for an 8 MiB body"
    );
    let _ = child.kill();
    let _ = child.wait();
}

#[tokio::test]
async fn a_device_over_its_rate_limit_is_refused_before_its_body_is_read() {
    let server = TestServer::start_with(|c| {
        c.sync_burst = 2;
        c.sync_rate = 0.01;
    })
    .await;
    let anna = Device::create_team(&server.client, "Team", 1).await;
    for _ in 0..2 {
        anna.push(&[]).await.expect("within the limit");
    }
    // Not even JSON: had the body been read first, this would be a 400.
    let a = server
        .client
        .send(
            "POST",
            "/api/v1/push",
            Some(&anna.token),
            Some(b"{not json".to_vec()),
        )
        .await
        .expect("answer");
    assert_eq!(
        (a.status, a.body["code"].as_str()),
        (429, Some("rate_limited"))
    );
}

/// Sends a request's head and part of its body, and keeps the connection open.
fn half_sent(addr: std::net::SocketAddr, token: &str) -> TcpStream {
    let mut stream = TcpStream::connect(addr).expect("connect");
    write!(
        stream,
        "POST /api/v1/push HTTP/1.1\r\nHost: {addr}\r\nAuthorization: Bearer {token}\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{{\"protocol_version\":"
    )
    .expect("write");
    stream.flush().expect("flush");
    stream
}

#[tokio::test]
async fn a_device_cannot_keep_more_than_two_requests_open_at_once() {
    let server = TestServer::start().await;
    let anna = Device::create_team(&server.client, "Team", 1).await;
    let first = half_sent(server.addr, &anna.token);
    let second = half_sent(server.addr, &anna.token);
    // Give the server time to take both in.
    tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    let refused = anna.push(&[]).await.expect_err("a third at once");
    assert_eq!(refused.status, 429);
    // Another device of the team is not held up.
    let code = anna.invite.clone().expect("invite");
    let piet = Device::join(&server.client, &code, "Piet", 2).await;
    piet.push(&[]).await.expect("another device");
    drop((first, second));
    tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    anna.push(&[]).await.expect("room again once they end");
}

#[tokio::test]
async fn a_team_that_used_up_its_space_gets_a_clear_answer_and_others_go_on() {
    use buurtbel_core::ids::AddressId;
    use buurtbel_core::op::Payload;
    let server = TestServer::start_with(|c| c.team_quota_mb = 1).await;
    let mut anna = Device::create_team(&server.client, "Vol", 1).await;
    let other = Device::create_team(&server.client, "Ander team", 2).await;
    let mut pushed = 0;
    let mut last = Vec::new();
    let refused = loop {
        let ops: Vec<_> = (0..200)
            .map(|_| {
                let address = anna.factory.id(AddressId::new_v7);
                anna.op(Payload::AddressAdd {
                    address,
                    street: "Lange Straatnaam Die Veel Ruimte Inneemt".repeat(4),
                    number: 1,
                    letter: String::new(),
                    addition: String::new(),
                    postcode: "3581 BA".into(),
                })
            })
            .collect();
        match anna.push(&ops).await {
            Ok(_) => {
                pushed += ops.len();
                last = ops;
            }
            Err(answer) => break answer,
        }
        assert!(pushed < 100_000, "the quota never bit");
    };
    assert_eq!(
        (refused.status, refused.body["code"].as_str()),
        (507, Some("team_quota"))
    );
    assert!(
        refused.body["message"]
            .as_str()
            .is_some_and(|m| m.contains("used up")),
        "{:?}",
        refused.body
    );
    assert!(
        pushed > 1_000,
        "about a megabyte was stored first ({pushed})"
    );
    other.push(&[]).await.expect("another team is not affected");
    // A phone that never heard the answer to its last push sends it again: what is stored
    // already takes no room, and it is acknowledged as before.
    anna.push(&last).await.expect("a retry of what is stored");
    let (ops, _) = anna
        .pull_all(buurtbel_core::protocol::Cursor(0), 1000)
        .await;
    assert_eq!(
        ops.len(),
        pushed + 2,
        "reading goes on; nothing of the refused push"
    );
}
