//! A corpus of bad and hostile requests against the real binary, sent as raw bytes: none gets a
//! 5xx, and none stores anything.

mod common;

use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::Duration;

use buurtbel_core::protocol::Cursor;
use common::{Client, Device, TempDir, start_binary_with};

/// Sends `request` as it is and reads the status code of the answer (`None` when the server
/// closes the connection without one).
fn status_of(addr: &str, request: &[u8]) -> Option<u16> {
    let mut stream = TcpStream::connect(addr).expect("connect");
    stream
        .set_read_timeout(Some(Duration::from_secs(3)))
        .expect("timeout");
    // A refused write (the server already answered and closed) is fine: read what it said.
    let _ = stream.write_all(request);
    let _ = stream.flush();
    let mut answer = Vec::new();
    let mut buf = [0u8; 4096];
    while answer.len() < 64 {
        match stream.read(&mut buf) {
            Ok(0) | Err(_) => break,
            Ok(n) => answer.extend_from_slice(&buf[..n]),
        }
    }
    let line = String::from_utf8_lossy(&answer);
    line.strip_prefix("HTTP/1.1 ")
        .or_else(|| line.strip_prefix("HTTP/1.0 "))
        .and_then(|rest| rest.get(..3))
        .and_then(|code| code.parse().ok())
}

#[tokio::test]
async fn no_bad_request_gets_a_server_error_or_stores_anything() {
    let dir = TempDir::new("corpus");
    let dist = dir.0.join("dist");
    std::fs::create_dir_all(&dist).expect("dist");
    std::fs::write(
        dist.join("index.html"),
        "<!doctype html><title>Buurtbel</title>",
    )
    .expect("index");
    let dist_arg = dist.to_string_lossy().into_owned();
    let (mut child, base) = start_binary_with(&dir.0.join("db.sqlite3"), &["--dist", &dist_arg]);
    let client = Client::with_base(base.clone());
    let anna = Device::create_team(&client, "Team", 1).await;
    let before = anna.pull_all(Cursor(0), 1000).await.0.len();
    let addr = base.trim_start_matches("http://").to_owned();
    let token = anna.token.clone();
    let device = anna.factory.author().device.to_string();

    let long = "a".repeat(300);
    let very_long = "b".repeat(20_000);
    let nested = format!("{}{}", "[".repeat(10_000), "]".repeat(10_000));
    let post = |path: &str, content_type: &str, auth: bool, body: &str| {
        let auth = if auth {
            format!("Authorization: Bearer {token}\r\n")
        } else {
            String::new()
        };
        format!(
            "POST {path} HTTP/1.1\r\nHost: {addr}\r\n{auth}Content-Type: {content_type}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
            body.len()
        )
        .into_bytes()
    };
    let get = |path: &str| {
        format!("GET {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n").into_bytes()
    };
    let mut cases: Vec<(&str, Vec<u8>)> = vec![
        ("a name longer than the file system allows", get(&format!("/{long}"))),
        ("a file name too long", get(&format!("/{long}.js"))),
        ("a very long path", get(&format!("/{very_long}"))),
        ("deep folders", get(&"/x".repeat(2_000))),
        ("a nul byte", get("/%00")),
        ("a nul byte in a file name", get("/index.html%00.js")),
        ("climbing out", get("/../../etc/passwd")),
        ("climbing out, encoded", get("/%2e%2e/%2e%2e/etc/passwd")),
        ("climbing out of the api", get("/api/../Cargo.toml")),
        ("an encoded slash", get("/..%2f..%2fetc%2fpasswd")),
        ("bytes that are not UTF-8", b"GET /\xff\xfe HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n".to_vec()),
        ("a long query", get(&format!("/?q={very_long}"))),
        ("an unknown api path", get("/api/v1/launch")),
        ("a device that is no id", get("/api/v1/devices/%2e%2e")),
        ("an unknown method", format!("BREW / HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n").into_bytes()),
        ("no Host, HTTP/1.0", b"GET / HTTP/1.0\r\n\r\n".to_vec()),
        ("not HTTP at all", b"\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03garbage".to_vec()),
        ("a header of 100 kB", format!("GET / HTTP/1.1\r\nHost: {addr}\r\nX-Big: {}\r\nConnection: close\r\n\r\n", "c".repeat(100_000)).into_bytes()),
        ("a token of 100 kB", format!("POST /api/v1/pull HTTP/1.1\r\nHost: {addr}\r\nAuthorization: Bearer {}\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{{}}", "d".repeat(100_000)).into_bytes()),
        ("a push as text", post("/api/v1/push", "text/plain", true, "hello")),
        ("a push of nested lists", post("/api/v1/push", "application/json", true, &nested)),
        ("a push of a string", post("/api/v1/push", "application/json", true, "\"ops\"")),
        ("a push with ops null", post("/api/v1/push", "application/json", true, &format!(r#"{{"protocol_version":1,"device":"{device}","ops":null}}"#))),
        ("a push of a huge number", post("/api/v1/push", "application/json", true, &format!(r#"{{"protocol_version":1e999,"device":"{device}","ops":[]}}"#))),
        ("a pull of nothing", post("/api/v1/pull", "application/json", true, r#"{"protocol_version":1,"after":0,"limit":0}"#)),
        ("a pull from far away", post("/api/v1/pull", "application/json", true, r#"{"protocol_version":1,"after":18446744073709551615,"limit":1000}"#)),
        ("a pull from before the start", post("/api/v1/pull", "application/json", true, r#"{"protocol_version":1,"after":-1,"limit":10}"#)),
        ("a join with odd characters", post("/api/v1/join", "application/json", false, r#"{"code":"💣💣💣💣-💣💣💣💣","display_name":"x"}"#)),
        ("a join with a nested name", post("/api/v1/join", "application/json", false, &format!(r#"{{"code":"ABCD-EFGH","display_name":{nested}}}"#))),
        ("a team with control characters", post("/api/v1/teams", "application/json", false, "{\"name\":\"a\\u0000b\",\"neighbourhood\":\"x\",\"display_name\":\"y\"}")),
        ("a body shorter than it says", format!("POST /api/v1/push HTTP/1.1\r\nHost: {addr}\r\nAuthorization: Bearer {token}\r\nContent-Length: 100\r\nConnection: close\r\n\r\n{{").into_bytes()),
        ("a broken chunked body", format!("POST /api/v1/push HTTP/1.1\r\nHost: {addr}\r\nAuthorization: Bearer {token}\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\nzz\r\nnope\r\n").into_bytes()),
        ("a delete of the push path", format!("DELETE /api/v1/push HTTP/1.1\r\nHost: {addr}\r\nAuthorization: Bearer {token}\r\nConnection: close\r\n\r\n").into_bytes()),
    ];
    cases.push((
        "an invite from nobody",
        post("/api/v1/invites", "application/json", false, "{}"),
    ));
    let member = anna.factory.author().member.to_string();
    let op = |payload: &str| {
        format!(
            r#"{{"protocol_version":1,"device":"{device}","ops":[{{"id":"0195e9b0-0000-7000-8000-00000000000f","hlc":{{"wall_ms":1,"counter":0}},"author":{{"member":"{member}","device":"{device}"}},"payload":{payload}}}]}}"#
        )
    };
    let big_join = format!(
        r#"{{"code":"ABCD-EFGH","display_name":"{}"}}"#,
        "x".repeat(2 << 20)
    );
    let with_header = |header: &str| {
        format!(
            "POST /api/v1/join HTTP/1.1\r\nHost: {addr}\r\n{header}\r\nContent-Type: application/json\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{{}}"
        )
        .into_bytes()
    };
    cases.extend([
        ("attending a meeting the team never had", post("/api/v1/push", "application/json", true, &op(r#"{"meeting_attend":{"meeting":"0195e9b0-0000-7000-8000-0000000000aa","member":"0195e9b0-0000-7000-8000-0000000000bb","present":true}}"#))),
        ("erasing an address the team never had", post("/api/v1/push", "application/json", true, &op(r#"{"erase_resident":{"address":"0195e9b0-0000-7000-8000-0000000000cc"}}"#))),
        ("a value where a kind belongs", post("/api/v1/push", "application/json", true, &op(r#"{"visit_log":{"visit":"0195e9b0-0000-7000-8000-0000000000dd","address":"0195e9b0-0000-7000-8000-0000000000cc","at_ms":1,"outcome":"Mevrouw Jansen 06-12345678"}}"#))),
        ("a join of 2 MiB", post("/api/v1/join", "application/json", false, &big_join)),
        ("a forwarded address of unknown", with_header("X-Forwarded-For: unknown")),
        ("a forwarded address with a port", with_header("X-Forwarded-For: [::ffff:127.0.0.1]:80")),
        ("two forwarded lines", with_header("X-Forwarded-For: 127.0.0.1\r\nX-Forwarded-For: garbage, ,,")),
        ("a request id of 10 kB", with_header(&format!("X-Request-Id: {}", "e".repeat(10_000)))),
        ("revoking an invite by an odd name", format!("DELETE /api/v1/invites/%2e%2e%00 HTTP/1.1\r\nHost: {addr}\r\nAuthorization: Bearer {token}\r\nConnection: close\r\n\r\n").into_bytes()),
        ("metrics with a guessed token", format!("GET /api/metrics HTTP/1.1\r\nHost: {addr}\r\nAuthorization: Bearer {}\r\nConnection: close\r\n\r\n", "f".repeat(64)).into_bytes()),
    ]);
    let mut seen = Vec::new();
    for (name, request) in &cases {
        let status = status_of(&addr, request);
        assert!(
            status.is_none_or(|s| s < 500),
            "{name}: answered {status:?}"
        );
        seen.push(format!("{name}: {status:?}"));
    }
    eprintln!("{}", seen.join("\n"));
    assert_eq!(
        anna.pull_all(Cursor(0), 1000).await.0.len(),
        before,
        "nothing was stored"
    );
    // The server is still there.
    assert_eq!(client.get("/api/health/ready", None).await.status, 200);
    let _ = child.kill();
    let _ = child.wait();
}
