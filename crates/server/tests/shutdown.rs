//! SIGTERM while a push is on the wire: the server stops taking new connections but finishes
//! the push, answers it, and the operations are there after a restart.

mod common;

use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::Duration;

use buurtbel_core::ids::AddressId;
use buurtbel_core::op::Payload;
use buurtbel_core::protocol::Cursor;
use common::{Client, Device, TempDir, start_binary};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_push_in_flight_during_sigterm_is_finished_and_kept() {
    let dir = TempDir::new("shutdown");
    let db = dir.0.join("shutdown.sqlite3");
    let (mut server, base) = start_binary(&db);
    let mut anna = Device::create_team(&Client::with_base(base.clone()), "Team", 1).await;
    let ops: Vec<_> = (1..=500)
        .map(|n| {
            let address = anna.factory.id(AddressId::new_v7);
            anna.op(Payload::AddressAdd {
                address,
                street: "Stoplaan".into(),
                number: n,
                letter: String::new(),
                addition: String::new(),
                postcode: "3581 BA".into(),
            })
        })
        .collect();
    let body = serde_json::to_vec(&anna.push_request(&ops)).expect("json");
    let host = base.trim_start_matches("http://").to_owned();
    let token = anna.token.clone();

    // Send the headers and half the body, then SIGTERM, then the rest.
    let answer = std::thread::spawn(move || {
        let mut stream = TcpStream::connect(&host).expect("connect");
        stream.set_read_timeout(Some(Duration::from_secs(30))).expect("timeout");
        let head = format!(
            "POST /api/v1/push HTTP/1.1\r\nHost: {host}\r\nAuthorization: Bearer {token}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
            body.len()
        );
        stream.write_all(head.as_bytes()).expect("head");
        let (first, rest) = body.split_at(body.len() / 2);
        stream.write_all(first).expect("first half");
        std::thread::sleep(Duration::from_millis(300));
        let pid = server.id().to_string();
        let status = std::process::Command::new("kill").args(["-TERM", &pid]).status().expect("kill");
        assert!(status.success());
        std::thread::sleep(Duration::from_millis(300));
        stream.write_all(rest).expect("the rest is still accepted");
        let mut response = String::new();
        let _ = stream.read_to_string(&mut response);
        let exit = server.wait().expect("server exits");
        (response, exit)
    })
    .join()
    .expect("client thread");
    let (response, exit) = answer;
    assert!(
        response.starts_with("HTTP/1.1 200"),
        "the push was answered: {}",
        response.lines().next().unwrap_or_default()
    );
    assert!(exit.success(), "the server stopped cleanly: {exit:?}");

    let (mut again, base) = start_binary(&db);
    anna.client = Client::with_base(base);
    let (stored, _) = anna.pull_all(Cursor(0), 1000).await;
    assert_eq!(
        stored.len(),
        500 + 2,
        "the pushed operations are there, with team and creator"
    );
    let _ = again.kill();
    let _ = again.wait();
}
