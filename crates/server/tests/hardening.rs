//! What a hardened server promises beyond the sync rules: acknowledged writes survive a power
//! cut, a full disk still lets devices read, erased text leaves the disk.

mod common;

use std::collections::BTreeMap;

use buurtbel_core::domain::{Channel, ConsentPurpose, Outcome};
use buurtbel_core::ids::{AddressId, ConsentId, VisitId};
use buurtbel_core::op::{ConsentGive, Operation, Payload, VisitLog};
use buurtbel_core::protocol::Cursor;
use common::{Device, TestServer};

fn address_add(d: &mut Device, number: u32) -> (AddressId, Operation) {
    let address = d.factory.id(AddressId::new_v7);
    let op = d.op(Payload::AddressAdd {
        address,
        street: "Lindelaan".into(),
        number,
        letter: String::new(),
        addition: String::new(),
        postcode: "3581 BA".into(),
    });
    (address, op)
}

fn visit(d: &mut Device, address: AddressId, note: &str) -> Operation {
    let visit = d.factory.id(VisitId::new_v7);
    let at_ms = d.factory.now_ms();
    d.op(Payload::VisitLog(VisitLog {
        visit,
        address,
        at_ms,
        outcome: Outcome::Interested,
        interests: BTreeMap::new(),
        pledges: BTreeMap::new(),
        join_team: None,
        note: note.into(),
        follow_up: None,
        flyer: false,
        online: false,
    }))
}

#[tokio::test]
async fn acknowledged_writes_are_synced_to_disk_at_every_commit() {
    let (_server, storage) = TestServer::start_with_storage(|_| {}, |_| {}).await;
    let (mode, synchronous, secure_delete) = storage.durability().expect("settings");
    assert_eq!(mode, "wal");
    assert_eq!(
        synchronous, 2,
        "FULL: a commit is on disk before the push is answered"
    );
    assert!(secure_delete, "deleted content is overwritten");
}

/// A folder on a file system of its own, 2 MiB large, so the test can fill it: a tmpfs where the
/// test may mount one (as root in CI), else `None`.
struct SmallDisk(std::path::PathBuf);

impl SmallDisk {
    fn mount() -> Option<SmallDisk> {
        let dir = std::env::temp_dir().join(format!("buurtbel-full-{}", std::process::id()));
        std::fs::create_dir_all(&dir).ok()?;
        let mounted = std::process::Command::new("mount")
            .args(["-t", "tmpfs", "-o", "size=2m", "tmpfs"])
            .arg(&dir)
            .stderr(std::process::Stdio::null())
            .status()
            .is_ok_and(|s| s.success());
        mounted.then_some(SmallDisk(dir))
    }

    /// Writes a file until the disk has no room left.
    fn fill(&self) {
        use std::io::Write;
        let mut file = std::fs::File::create(self.0.join("filler")).expect("filler");
        let block = vec![0u8; 4096];
        while file.write_all(&block).and_then(|()| file.flush()).is_ok() {}
    }
}

impl Drop for SmallDisk {
    fn drop(&mut self) {
        let _ = std::process::Command::new("umount").arg(&self.0).status();
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

#[tokio::test]
async fn with_the_disk_full_writes_fail_clearly_and_reads_keep_working() {
    // A real full disk where the test can make one; else the database's own size cap, which
    // refuses new pages (but lets rows change in place).
    let disk = SmallDisk::mount();
    let database = disk.as_ref().map(|d| d.0.join("full.sqlite3"));
    let (server, storage) = TestServer::start_with_storage(
        |config| {
            if let Some(path) = database {
                config.database = path;
            }
        },
        |_| {},
    )
    .await;
    let mut anna = Device::create_team(&server.client, "Team", 1).await;
    let (_, first) = address_add(&mut anna, 1);
    anna.push(&[first]).await.expect("room enough");
    // A phone that joined and has not synced yet: its first request would note the time.
    let code = anna.invite.clone().expect("invite");
    let piet = Device::join(&server.client, &code, "Piet", 2).await;
    let (before, _) = anna.pull_all(Cursor(0), 1000).await;

    match &disk {
        Some(disk) => disk.fill(),
        None => {
            eprintln!("no tmpfs here: the database's size cap stands in for a full disk");
            storage.cap_size(0).expect("cap");
        }
    }
    let ops: Vec<Operation> = (2..200)
        .flat_map(|n| {
            let (address, add) = address_add(&mut anna, n);
            vec![add, visit(&mut anna, address, &"lange notitie ".repeat(40))]
        })
        .collect();
    let refused = anna.push(&ops).await.expect_err("the disk is full");
    assert_eq!(
        (refused.status, refused.body["code"].as_str()),
        (503, Some("storage_full")),
        "{:?}",
        refused.body
    );
    assert!(
        refused.body["message"]
            .as_str()
            .is_some_and(|m| m.contains("disk is full")),
        "{:?}",
        refused.body
    );
    // Reading goes on (also for a phone whose first request cannot be noted), and shows that
    // nothing of the refused push was stored.
    let (theirs, _) = piet.pull_all(Cursor(0), 1000).await;
    assert_eq!(theirs.len(), before.len());
    let (after, _) = anna.pull_all(Cursor(0), 1000).await;
    assert_eq!(after.len(), before.len(), "nothing false acknowledged");
    drop(server);
}

#[tokio::test]
async fn erased_text_is_gone_from_the_database_file_and_its_wal() {
    let server = TestServer::start_sqlite().await;
    let mut anna = Device::create_team(&server.client, "Team", 1).await;
    let (address, add) = address_add(&mut anna, 7);
    let noted = visit(
        &mut anna,
        address,
        "Mevrouw Vermeulen-Oosterhout belt terug",
    );
    let consent = anna.factory.id(ConsentId::new_v7);
    let given_at_ms = anna.factory.now_ms();
    let consent = anna.op(Payload::ConsentGive(ConsentGive {
        consent,
        address,
        purposes: [ConsentPurpose::ProjectUpdates].into(),
        channels: [Channel::Phone].into(),
        name: "Vermeulen-Oosterhout".into(),
        phone: "06 9876 5432".into(),
        email: String::new(),
        given_at_ms,
    }));
    anna.push(&[add, noted, consent]).await.expect("stored");
    let on_disk = || {
        let mut bytes = Vec::new();
        for entry in std::fs::read_dir(&server.dir.0).expect("dir") {
            let path = entry.expect("entry").path();
            if path.is_file() {
                bytes.extend(std::fs::read(&path).expect("read"));
            }
        }
        bytes
    };
    let contains = |haystack: &[u8], needle: &str| {
        haystack
            .windows(needle.len())
            .any(|w| w == needle.as_bytes())
    };
    assert!(
        contains(&on_disk(), "Vermeulen-Oosterhout"),
        "the text is on disk before"
    );
    let erase = anna.op(Payload::EraseResident { address });
    anna.push(&[erase]).await.expect("erased");
    let after = on_disk();
    for text in ["Vermeulen-Oosterhout", "06 9876 5432", "belt terug"] {
        assert!(
            !contains(&after, text),
            "{text} lingers in the database file or its WAL"
        );
    }
}

#[tokio::test]
async fn metrics_are_off_by_default_and_for_the_token_holder_only() {
    let server = TestServer::start().await;
    assert_eq!(server.client.get("/api/metrics", None).await.status, 404);

    let server = TestServer::start_with(|c| {
        c.metrics_token = Some("meet-maar-raak-met-een-token-van-32-tekens".into())
    })
    .await;
    let mut anna = Device::create_team(&server.client, "Team", 1).await;
    let (_, add) = address_add(&mut anna, 1);
    anna.push(std::slice::from_ref(&add)).await.expect("stored");
    anna.push(&[add]).await.expect("a retry");
    assert_eq!(
        server
            .client
            .get("/api/metrics", Some(&anna.token))
            .await
            .status,
        401
    );
    let text = {
        use http_body_util::BodyExt;
        let client =
            hyper_util::client::legacy::Client::builder(hyper_util::rt::TokioExecutor::new())
                .build_http::<http_body_util::Full<hyper::body::Bytes>>();
        let request = hyper::Request::get(format!("{}/api/metrics", server.client.base))
            .header(
                "authorization",
                "Bearer meet-maar-raak-met-een-token-van-32-tekens",
            )
            .body(http_body_util::Full::default())
            .expect("request");
        let answer = client.request(request).await.expect("answer");
        assert_eq!(answer.status(), 200);
        assert!(
            answer.headers()["content-type"]
                .to_str()
                .is_ok_and(|t| t.starts_with("text/plain"))
        );
        String::from_utf8(
            answer
                .into_body()
                .collect()
                .await
                .expect("body")
                .to_bytes()
                .to_vec(),
        )
        .expect("text")
    };
    for line in [
        "buurtbel_requests_total{route=\"push\",status=\"2xx\"} 2",
        "buurtbel_requests_total{route=\"setup\",status=\"2xx\"} 1",
        "buurtbel_operations_stored_total 1",
        "buurtbel_push_duration_seconds_count 2",
        "buurtbel_push_duration_seconds_bucket{le=\"+Inf\"} 2",
        "buurtbel_errors_total{code=\"unauthorized\"} 1",
    ] {
        assert!(text.lines().any(|l| l == line), "{line} in\n{text}");
    }
}
