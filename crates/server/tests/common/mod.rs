//! Helpers for the server's tests: a server on a free port of 127.0.0.1 with a temporary
//! database, a small HTTP client, and team set-up.
#![allow(
    dead_code,
    reason = "each test binary uses its own subset of the helpers"
)]

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;

use buurtbel_core::factory::OpFactory;
use buurtbel_core::ids::{DeviceId, MemberId};
use buurtbel_core::op::{Author, Operation, Payload};
use buurtbel_core::protocol::{
    Cursor, PROTOCOL_VERSION, PullRequest, PullResponse, PushRequest, PushResponse,
};
use buurtbel_server::db::Sqlite;
use buurtbel_server::{AppState, Config};
use http_body_util::{BodyExt, Full};
use hyper::body::Bytes;
use hyper_util::client::legacy::Client as HyperClient;
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::rt::TokioExecutor;
use serde_json::{Value, json};

/// Starts the server binary on a free port of 127.0.0.1 with `db` and extra `args`; returns
/// the process and its base URL.
pub fn start_binary_with(db: &std::path::Path, args: &[&str]) -> (std::process::Child, String) {
    start_binary_umask(db, args, None)
}

/// [`start_binary_with`] under the file-creation mask `umask` (octal, as the shell takes it).
pub fn start_binary_umask(
    db: &std::path::Path,
    args: &[&str],
    umask: Option<&str>,
) -> (std::process::Child, String) {
    use std::io::{BufRead, BufReader};
    use std::process::{Command, Stdio};

    let dist: &[&str] = if args.contains(&"--dist") {
        &[]
    } else {
        &["--dist", "/nonexistent"]
    };
    let binary = env!("CARGO_BIN_EXE_buurtbel-server");
    let mut command = match umask {
        Some(mask) => {
            let mut c = Command::new("sh");
            c.args(["-c", &format!("umask {mask} && exec \"$0\" \"$@\""), binary]);
            c
        }
        None => Command::new(binary),
    };
    let mut child = command
        .args(["--addr", "127.0.0.1:0"])
        .args(dist)
        .arg("--database")
        .arg(db)
        .args(args)
        .env("RUST_LOG", "info")
        .stderr(Stdio::piped())
        .stdout(Stdio::null())
        .spawn()
        .expect("server starts");
    let stderr = child.stderr.take().expect("stderr");
    let (tx, rx) = std::sync::mpsc::channel();
    // Reads the log until the address appears, then keeps draining it so the server never
    // blocks on a full pipe.
    std::thread::spawn(move || {
        let mut sent = false;
        for line in BufReader::new(stderr).lines().map_while(Result::ok) {
            if !sent && let Some(rest) = line.split("addr=").nth(1) {
                let _ = tx.send(
                    rest.split_whitespace()
                        .next()
                        .unwrap_or_default()
                        .to_owned(),
                );
                sent = true;
            }
        }
    });
    let addr = rx
        .recv_timeout(std::time::Duration::from_secs(20))
        .expect("the server logs its address");
    (child, format!("http://{addr}"))
}

/// [`start_binary_with`] without extra flags.
pub fn start_binary(db: &std::path::Path) -> (std::process::Child, String) {
    start_binary_with(db, &[])
}

/// A temporary folder removed on drop.
pub struct TempDir(pub PathBuf);

impl TempDir {
    pub fn new(name: &str) -> TempDir {
        let n = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_nanos())
            .unwrap_or(0);
        let dir = std::env::temp_dir().join(format!("buurtbel-{name}-{}-{n}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("temp dir");
        TempDir(dir)
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// A new, empty database in the cluster BUURTBEL_TEST_POSTGRES names, and its URL; `None`
/// without a cluster. Call it off the async runtime (the driver runs its own).
pub fn postgres_database() -> Option<String> {
    static MADE: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    let admin = std::env::var("BUURTBEL_TEST_POSTGRES").ok()?;
    let name = format!(
        "test_{}_{}",
        std::process::id(),
        MADE.fetch_add(1, std::sync::atomic::Ordering::Relaxed)
    );
    let made = name.clone();
    let url = admin.clone();
    std::thread::spawn(move || {
        let mut client = postgres::Client::connect(&url, postgres::NoTls).expect("the cluster");
        client
            .batch_execute(&format!("CREATE DATABASE {made}"))
            .expect("a database");
    })
    .join()
    .expect("creating a database");
    Some(format!(
        "{}/{name}",
        admin
            .rsplit_once('/')
            .map_or(admin.as_str(), |(base, _)| base)
    ))
}

/// A server running in this process on 127.0.0.1.
pub struct TestServer {
    pub addr: SocketAddr,
    pub client: Client,
    pub dir: TempDir,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
}

impl TestServer {
    pub async fn start() -> TestServer {
        TestServer::start_with(|_| {}).await
    }

    /// A server on SQLite whatever the run: for tests that look into its files.
    pub async fn start_sqlite() -> TestServer {
        TestServer::start_with_storage(|_| {}, |_| {}).await.0
    }

    /// A server with `adjust`ed configuration, on SQLite; on PostgreSQL when the tests run
    /// beside a cluster (`scripts/pg.sh` sets BUURTBEL_TEST_POSTGRES).
    pub async fn start_with(adjust: impl FnOnce(&mut Config)) -> TestServer {
        if std::env::var_os("BUURTBEL_TEST_POSTGRES").is_none() {
            return TestServer::start_with_storage(adjust, |_| {}).await.0;
        }
        let dir = TempDir::new("server");
        let mut config = Config::defaults();
        config.database = postgres_database().expect("a PostgreSQL database").into();
        config.invite_key = Some(dir.0.join("invite-key"));
        config.dist = dir.0.join("dist");
        adjust(&mut config);
        let opening = config.clone();
        let storage = std::thread::spawn(move || buurtbel_server::open_storage(&opening))
            .join()
            .expect("opening")
            .expect("database");
        TestServer::serve(config, storage, dir).await
    }

    /// A server whose configuration and storage the test adjusts; the storage is handed back
    /// so the test can change it while the server runs.
    pub async fn start_with_storage(
        adjust: impl FnOnce(&mut Config),
        storage_adjust: impl FnOnce(&Sqlite),
    ) -> (TestServer, Arc<Sqlite>) {
        let dir = TempDir::new("server");
        let mut config = Config::defaults();
        config.database = dir.0.join("test.sqlite3");
        config.dist = dir.0.join("dist");
        adjust(&mut config);
        let storage = Arc::new(
            Sqlite::open(&config.database)
                .expect("database")
                .with_team_quota(config.team_quota_bytes()),
        );
        storage_adjust(&storage);
        let handle = storage.clone();
        (TestServer::serve(config, storage, dir).await, handle)
    }

    /// Serves `storage` with `config` on a free port.
    async fn serve(
        config: Config,
        storage: Arc<dyn buurtbel_server::db::Storage>,
        dir: TempDir,
    ) -> TestServer {
        let state = AppState::new(&config, storage).expect("config");
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind");
        let addr = listener.local_addr().expect("addr");
        let (tx, rx) = tokio::sync::oneshot::channel::<()>();
        tokio::spawn(async move {
            let _ = buurtbel_server::serve(listener, state, &config, async {
                let _ = rx.await;
            })
            .await;
        });
        TestServer {
            addr,
            client: Client::new(addr),
            dir,
            stop: Some(tx),
        }
    }
}

impl Drop for TestServer {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
    }
}

/// A JSON-over-HTTP client.
#[derive(Clone)]
pub struct Client {
    pub base: String,
    http: HyperClient<HttpConnector, Full<Bytes>>,
}

/// An answer: status and JSON body (`Value::Null` when empty or not JSON).
#[derive(Debug)]
pub struct Answer {
    pub status: u16,
    pub body: Value,
}

impl Client {
    pub fn new(addr: SocketAddr) -> Client {
        Client::with_base(format!("http://{addr}"))
    }

    pub fn with_base(base: String) -> Client {
        Client {
            base,
            http: HyperClient::builder(TokioExecutor::new()).build_http(),
        }
    }

    pub async fn send(
        &self,
        method: &str,
        path: &str,
        token: Option<&str>,
        body: Option<Vec<u8>>,
    ) -> Result<Answer, String> {
        let mut req = hyper::Request::builder()
            .method(method)
            .uri(format!("{}{path}", self.base));
        if let Some(token) = token {
            req = req.header("authorization", format!("Bearer {token}"));
        }
        if body.is_some() {
            req = req.header("content-type", "application/json");
        }
        let req = req
            .body(Full::new(Bytes::from(body.unwrap_or_default())))
            .map_err(|e| e.to_string())?;
        let res = self.http.request(req).await.map_err(|e| e.to_string())?;
        let status = res.status().as_u16();
        let bytes = res
            .into_body()
            .collect()
            .await
            .map_err(|e| e.to_string())?
            .to_bytes();
        Ok(Answer {
            status,
            body: serde_json::from_slice(&bytes).unwrap_or(Value::Null),
        })
    }

    pub async fn send_with_header(
        &self,
        method: &str,
        path: &str,
        header: (&str, &str),
        body: Vec<u8>,
    ) -> Answer {
        let req = hyper::Request::builder()
            .method(method)
            .uri(format!("{}{path}", self.base))
            .header(header.0, header.1)
            .header("content-type", "application/json")
            .body(Full::new(Bytes::from(body)))
            .expect("request");
        let res = self.http.request(req).await.expect("response");
        let status = res.status().as_u16();
        let bytes = res.into_body().collect().await.expect("body").to_bytes();
        Answer {
            status,
            body: serde_json::from_slice(&bytes).unwrap_or(Value::Null),
        }
    }

    /// Sends a JSON body with extra headers (a `content-type` or `host` given replaces the
    /// default one).
    pub async fn send_with_headers(
        &self,
        method: &str,
        path: &str,
        headers: &[(&str, &str)],
        body: Vec<u8>,
    ) -> Answer {
        let mut req = hyper::Request::builder()
            .method(method)
            .uri(format!("{}{path}", self.base));
        if !headers
            .iter()
            .any(|(k, _)| k.eq_ignore_ascii_case("content-type"))
        {
            req = req.header("content-type", "application/json");
        }
        for (k, v) in headers {
            req = req.header(*k, *v);
        }
        let req = req.body(Full::new(Bytes::from(body))).expect("request");
        let res = self.http.request(req).await.expect("response");
        let status = res.status().as_u16();
        let bytes = res.into_body().collect().await.expect("body").to_bytes();
        Answer {
            status,
            body: serde_json::from_slice(&bytes).unwrap_or(Value::Null),
        }
    }

    pub async fn post(&self, path: &str, token: Option<&str>, body: &Value) -> Answer {
        self.send(
            "POST",
            path,
            token,
            Some(serde_json::to_vec(body).expect("json")),
        )
        .await
        .expect("request")
    }

    pub async fn get(&self, path: &str, token: Option<&str>) -> Answer {
        self.send("GET", path, token, None).await.expect("request")
    }

    pub async fn delete(&self, path: &str, token: Option<&str>) -> Answer {
        self.send("DELETE", path, token, None)
            .await
            .expect("request")
    }
}

/// A device of a team: its credentials and an operation factory authored by it.
pub struct Device {
    pub token: String,
    pub team: String,
    pub invite: Option<String>,
    pub factory: OpFactory,
    pub client: Client,
}

fn author_of(body: &Value) -> Author {
    let member: MemberId = serde_json::from_value(body["member"]["id"].clone()).expect("member id");
    let device: DeviceId = serde_json::from_value(body["device"]["id"].clone()).expect("device id");
    Author { member, device }
}

impl Device {
    /// Creates a team; this device is its admin.
    pub async fn create_team(client: &Client, name: &str, seed: u8) -> Device {
        let a = client
            .post("/api/v1/teams", None, &json!({"name": name, "neighbourhood": "Lindenbuurt", "display_name": "Anna", "device_label": "Anna's telefoon"}))
            .await;
        assert_eq!(a.status, 201, "{:?}", a.body);
        Device::from_answer(
            client,
            &a.body,
            seed,
            a.body["invite"]["code"].as_str().map(str::to_owned),
        )
    }

    /// Joins with an invite code.
    pub async fn join(client: &Client, code: &str, name: &str, seed: u8) -> Device {
        let a = client
            .post(
                "/api/v1/join",
                None,
                &json!({"code": code, "display_name": name}),
            )
            .await;
        assert_eq!(a.status, 201, "{:?}", a.body);
        Device::from_answer(client, &a.body, seed, None)
    }

    fn from_answer(client: &Client, body: &Value, seed: u8, invite: Option<String>) -> Device {
        let author = author_of(body);
        Device {
            token: body["device"]["token"].as_str().expect("token").to_owned(),
            team: body["team"]["id"].as_str().expect("team").to_owned(),
            invite,
            factory: OpFactory::new(seed)
                .with_author(author)
                .at(buurtbel_server::now_ms()),
            client: client.clone(),
        }
    }

    pub fn op(&mut self, payload: Payload) -> Operation {
        self.factory.advance_ms(1);
        self.factory.op(payload)
    }

    pub fn push_request(&self, ops: &[Operation]) -> PushRequest {
        PushRequest {
            protocol_version: PROTOCOL_VERSION,
            device: self.factory.author().device,
            ops: ops.to_vec(),
        }
    }

    pub async fn push(&self, ops: &[Operation]) -> Result<PushResponse, Answer> {
        let a = self
            .client
            .post(
                "/api/v1/push",
                Some(&self.token),
                &serde_json::to_value(self.push_request(ops)).expect("json"),
            )
            .await;
        if a.status == 200 {
            Ok(serde_json::from_value(a.body).expect("push response"))
        } else {
            Err(a)
        }
    }

    /// Pulls everything after `after`, page by page.
    pub async fn pull_all(&self, after: Cursor, limit: u32) -> (Vec<(u64, Operation)>, Cursor) {
        let mut cursor = after;
        let mut ops = Vec::new();
        loop {
            let a = self
                .client
                .post(
                    "/api/v1/pull",
                    Some(&self.token),
                    &serde_json::to_value(PullRequest {
                        protocol_version: PROTOCOL_VERSION,
                        after: cursor,
                        limit,
                    })
                    .expect("json"),
                )
                .await;
            assert_eq!(a.status, 200, "{:?}", a.body);
            let page: PullResponse = serde_json::from_value(a.body).expect("pull response");
            ops.extend(page.ops.into_iter().map(|s| (s.seq, s.op)));
            cursor = page.cursor;
            if !page.more {
                return (ops, cursor);
            }
        }
    }
}

/// `count` batches of `size` new addresses on `street`, made by `d`.
pub fn address_batches(d: &mut Device, street: &str, count: u32, size: u32) -> Vec<Vec<Operation>> {
    (0..count)
        .map(|b| {
            (0..size)
                .map(|n| {
                    let address = d.factory.id(buurtbel_core::ids::AddressId::new_v7);
                    d.op(Payload::AddressAdd {
                        address,
                        street: street.into(),
                        number: b * size + n + 1,
                        letter: String::new(),
                        addition: String::new(),
                        postcode: "3581 BA".into(),
                    })
                })
                .collect()
        })
        .collect()
}

/// Pushes `batch` as `d` to whatever address `base` gives at each try, as a phone retries
/// until its push is acknowledged; the answer and how many tries failed.
pub async fn push_until_acked(
    d: &Device,
    batch: &[Operation],
    base: impl Fn() -> String,
) -> (PushResponse, u32) {
    let mut failed = 0u32;
    loop {
        let body = serde_json::to_vec(&d.push_request(batch)).expect("json");
        match Client::with_base(base())
            .send("POST", "/api/v1/push", Some(&d.token), Some(body))
            .await
        {
            Ok(a) if a.status == 200 => {
                return (serde_json::from_value(a.body).expect("response"), failed);
            }
            _ => {
                failed += 1;
                assert!(failed < 2000, "the server never came back");
                tokio::time::sleep(std::time::Duration::from_millis(20)).await;
            }
        }
    }
}
