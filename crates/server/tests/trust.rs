//! Attacks on a team's access and on the files on disk, each written as the request (or the
//! local account) an attacker would use: a finder of a lost phone, a removed member, a plain
//! member overstepping, another account on the server machine.

mod common;

use std::collections::BTreeMap;

use buurtbel_core::domain::{Channel, ConsentPurpose, Outcome};
use buurtbel_core::ids::{AddressId, ConsentId, MeetingId, MemberId, QuestionId, VisitId};
use buurtbel_core::op::{ConsentGive, Operation, Payload, VisitLog};
use common::{Device, TempDir, TestServer, start_binary_umask};
use serde_json::json;

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

fn consent(d: &mut Device, address: AddressId, name: &str) -> (ConsentId, Operation) {
    let id = d.factory.id(ConsentId::new_v7);
    let given_at_ms = d.factory.now_ms();
    let op = d.op(Payload::ConsentGive(ConsentGive {
        consent: id,
        address,
        purposes: [ConsentPurpose::ProjectUpdates].into(),
        channels: [Channel::Phone, Channel::Email].into(),
        name: name.into(),
        phone: "06 1234 5678".into(),
        email: "bewoner@example.nl".into(),
        given_at_ms,
    }));
    (id, op)
}

fn contains(haystack: &[u8], needle: &str) -> bool {
    haystack
        .windows(needle.len())
        .any(|w| w == needle.as_bytes())
}

/// Every file of a folder, concatenated.
fn files_in(dir: &std::path::Path) -> Vec<u8> {
    let mut bytes = Vec::new();
    for entry in std::fs::read_dir(dir).expect("dir") {
        let path = entry.expect("entry").path();
        if path.is_file() {
            bytes.extend(std::fs::read(&path).expect("read"));
        }
    }
    bytes
}

async fn join_with(server: &TestServer, code: &str) -> u16 {
    server
        .client
        .post(
            "/api/v1/join",
            None,
            &json!({"code": code, "display_name": "Vinder"}),
        )
        .await
        .status
}

#[tokio::test]
async fn the_finder_of_a_lost_phone_cannot_join_with_the_code_it_showed() {
    let server = TestServer::start().await;
    let anna = Device::create_team(&server.client, "Team", 1).await;
    let code = anna.invite.clone().expect("invite");
    let piet = Device::join(&server.client, &code, "Piet", 2).await;
    // A second invite made for the evening ends too.
    let evening = server
        .client
        .post("/api/v1/invites", Some(&anna.token), &json!({}))
        .await;
    let evening = evening.body["code"].as_str().expect("code").to_owned();
    let lost = server
        .client
        .delete(
            &format!("/api/v1/devices/{}?lost=true", piet.factory.author().device),
            Some(&anna.token),
        )
        .await;
    assert_eq!(lost.status, 204);
    for code in [&code, &evening] {
        assert_eq!(
            join_with(&server, code).await,
            404,
            "the finder joins with {code}"
        );
    }
    let list = server
        .client
        .get("/api/v1/invites", Some(&anna.token))
        .await;
    let invites = list.body["invites"].as_array().expect("invites");
    assert_eq!(invites.len(), 2);
    assert!(invites.iter().all(|i| i["revoked"] == true), "{invites:?}");
    // The admin makes a new one in one request.
    let new = server
        .client
        .post("/api/v1/invites", Some(&anna.token), &json!({}))
        .await;
    assert_eq!(new.status, 201);
    let code = new.body["code"].as_str().expect("code");
    assert_eq!(join_with(&server, code).await, 201);
}

#[tokio::test]
async fn a_removed_member_cannot_rejoin_with_any_code_they_saw() {
    let server = TestServer::start().await;
    let mut anna = Device::create_team(&server.client, "Team", 1).await;
    let code = anna.invite.clone().expect("invite");
    let piet = Device::join(&server.client, &code, "Piet", 2).await;
    let remove = anna.op(Payload::MemberRemove {
        member: piet.factory.author().member,
    });
    anna.push(&[remove]).await.expect("removed");
    assert_eq!(join_with(&server, &code).await, 404);
}

#[tokio::test]
async fn a_plain_member_cannot_rename_the_team_or_erase_in_bulk() {
    let server = TestServer::start().await;
    let mut anna = Device::create_team(&server.client, "Team", 1).await;
    let code = anna.invite.clone().expect("invite");
    let mut piet = Device::join(&server.client, &code, "Piet", 2).await;
    let rename = piet.op(Payload::TeamUpdate {
        name: Some("Overgenomen".into()),
        neighbourhood: None,
    });
    let refused = piet.push(&[rename]).await.expect_err("not an admin");
    assert_eq!(
        (refused.status, refused.body["code"].as_str()),
        (403, Some("forbidden"))
    );
    let rename = anna.op(Payload::TeamUpdate {
        name: Some("Lindenbuurt Zon".into()),
        neighbourhood: None,
    });
    anna.push(&[rename]).await.expect("an admin renames");

    // Fifty addresses, then fifty erasures in one push.
    let (addresses, adds): (Vec<_>, Vec<_>) = (1..=50).map(|n| address_add(&mut anna, n)).unzip();
    anna.push(&adds).await.expect("addresses");
    let erasures: Vec<Operation> = addresses
        .iter()
        .map(|&address| piet.op(Payload::EraseResident { address }))
        .collect();
    let refused = piet.push(&erasures).await.expect_err("bulk erasure");
    assert_eq!(
        (refused.status, refused.body["code"].as_str()),
        (429, Some("erasure_limit")),
        "{:?}",
        refused.body
    );
    // One at the door, and a few more that hour, stay easy.
    for erase in &erasures[..3] {
        piet.push(std::slice::from_ref(erase))
            .await
            .expect("a single erasure");
    }
    let refused = piet.push(&erasures[3..4]).await.expect_err("a fourth");
    assert_eq!(refused.status, 429);
    // A retry of one that was stored is no new erasure: it is acknowledged at the limit.
    piet.push(&erasures[..1]).await.expect("a retried erasure");
    // An admin erases a batch of written requests.
    let batch: Vec<Operation> = addresses[3..20]
        .iter()
        .map(|&address| anna.op(Payload::EraseResident { address }))
        .collect();
    anna.push(&batch).await.expect("an admin's batch");
}

#[tokio::test]
async fn references_to_what_the_team_does_not_have_are_refused() {
    let server = TestServer::start().await;
    let mut anna = Device::create_team(&server.client, "Team", 1).await;
    let other = Device::create_team(&server.client, "Ander team", 3).await;
    let anna_id = anna.factory.author().member;
    let meeting = anna.factory.id(MeetingId::new_v7);
    let ghost = anna.factory.id(MemberId::new_v7);
    let attend = anna.op(Payload::MeetingAttend {
        meeting,
        member: ghost,
        present: true,
    });
    let refused = anna.push(&[attend]).await.expect_err("no such meeting");
    assert_eq!(
        (
            refused.status,
            refused.body["code"].as_str(),
            refused.body["field"].as_str()
        ),
        (422, Some("invalid_operation"), Some("meeting"))
    );
    let add = anna.op(Payload::MeetingAdd {
        meeting,
        date: chrono::NaiveDate::from_ymd_opt(2027, 1, 31).expect("date"),
        title: String::new(),
    });
    let attend = anna.op(Payload::MeetingAttend {
        meeting,
        member: ghost,
        present: true,
    });
    let refused = anna
        .push(&[add.clone(), attend])
        .await
        .expect_err("no such member");
    assert_eq!(refused.body["field"].as_str(), Some("member"));
    // Another team's member is not this team's either.
    let attend = anna.op(Payload::MeetingAttend {
        meeting,
        member: other.factory.author().member,
        present: true,
    });
    assert_eq!(
        anna.push(&[add.clone(), attend])
            .await
            .expect_err("other team")
            .status,
        422
    );
    // In one push, what is created first can be named after; removed things stay nameable
    // (a phone offline at the time may still tick them).
    let attend = anna.op(Payload::MeetingAttend {
        meeting,
        member: anna_id,
        present: true,
    });
    let remove = anna.op(Payload::MeetingRemove { meeting });
    let late = anna.op(Payload::MeetingAttend {
        meeting,
        member: anna_id,
        present: false,
    });
    anna.push(&[add, attend, remove, late])
        .await
        .expect("created, ticked, removed, ticked late");
}

#[tokio::test]
async fn a_withdrawn_consent_leaves_no_contact_details_for_new_devices() {
    let server = TestServer::start().await;
    let mut anna = Device::create_team(&server.client, "Team", 1).await;
    let (address, add) = address_add(&mut anna, 4);
    let (id, given) = consent(&mut anna, address, "Mevrouw Jansen");
    anna.push(&[add, given]).await.expect("given");
    let withdraw = anna.op(Payload::ConsentWithdraw {
        consent: id,
        withdrawn_at_ms: anna.factory.now_ms(),
    });
    anna.push(&[withdraw]).await.expect("withdrawn");
    let code = anna.invite.clone().expect("invite");
    let newcomer = Device::join(&server.client, &code, "Nieuw", 2).await;
    let (ops, _) = newcomer
        .pull_all(buurtbel_core::protocol::Cursor(0), 100)
        .await;
    let text =
        serde_json::to_string(&ops.iter().map(|(_, op)| op).collect::<Vec<_>>()).expect("json");
    for personal in ["Mevrouw Jansen", "06 1234 5678", "bewoner@example.nl"] {
        assert!(!text.contains(personal), "{personal} reached a new device");
    }
    assert!(
        ops.iter()
            .any(|(_, op)| matches!(&op.payload, Payload::ConsentGive(c) if c.consent == id)),
        "the consent itself stays, without its details"
    );
    assert!(
        !contains(&files_in(&server.dir.0), "Mevrouw Jansen"),
        "the name stays on disk"
    );
}

#[tokio::test]
async fn erasure_reaches_the_answer_to_that_resident_s_question() {
    let server = TestServer::start().await;
    let mut anna = Device::create_team(&server.client, "Team", 1).await;
    let (address, add) = address_add(&mut anna, 9);
    let question = anna.factory.id(QuestionId::new_v7);
    let ask = anna.op(Payload::QuestionAsk {
        question,
        project: None,
        text: "Kan mevrouw De Wit met haar rolstoel bij de AED?".into(),
        address: Some(address),
        asked_at_ms: anna.factory.now_ms(),
    });
    let answer = anna.op(Payload::QuestionAnswer {
        question,
        answer: "Ja, mevrouw De Wit: de kast hangt op 1 meter hoogte.".into(),
    });
    anna.push(&[add, ask, answer.clone()]).await.expect("asked");
    let erase = anna.op(Payload::EraseResident { address });
    anna.push(&[erase]).await.expect("erased");
    let (ops, _) = anna.pull_all(buurtbel_core::protocol::Cursor(0), 100).await;
    let text =
        serde_json::to_string(&ops.iter().map(|(_, op)| op).collect::<Vec<_>>()).expect("json");
    assert!(!text.contains("De Wit"), "the answer still quotes: {text}");
    assert!(!contains(&files_in(&server.dir.0), "De Wit"), "on disk");
    // A retry of the answer from a phone that had not heard of the erasure is the same
    // operation, and stays stripped.
    let retried = anna.push(&[answer]).await.expect("the same operation");
    assert_eq!(retried.acks.len(), 1);
    let (ops, _) = anna.pull_all(buurtbel_core::protocol::Cursor(0), 100).await;
    assert!(
        !serde_json::to_string(&ops.iter().map(|(_, o)| o).collect::<Vec<_>>())
            .expect("json")
            .contains("De Wit")
    );
}

#[tokio::test]
async fn files_and_folders_are_private_whatever_the_umask_and_codes_are_not_on_disk() {
    use std::os::unix::fs::PermissionsExt;
    let dir = TempDir::new("private");
    let db = dir.0.join("data").join("buurtbel.sqlite3");
    let (mut child, base) = start_binary_umask(&db, &[], Some("000"));
    let client = common::Client::with_base(base);
    let mut anna = Device::create_team(&client, "Team", 1).await;
    let (address, add) = address_add(&mut anna, 1);
    let noted = {
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
            note: "Belt terug".into(),
            follow_up: None,
            flyer: false,
            online: false,
        }))
    };
    anna.push(&[add, noted]).await.expect("stored");
    let mut codes = vec![anna.invite.clone().expect("invite")];
    for _ in 0..3 {
        let a = client
            .post("/api/v1/invites", Some(&anna.token), &json!({}))
            .await;
        codes.push(a.body["code"].as_str().expect("code").to_owned());
    }
    let backup = dir.0.join("backup.sqlite3");
    let status = std::process::Command::new("sh")
        .args([
            "-c",
            "umask 000 && exec \"$0\" \"$@\"",
            env!("CARGO_BIN_EXE_buurtbel-server"),
            "--database",
        ])
        .arg(&db)
        .arg("backup")
        .arg("--to")
        .arg(&backup)
        .status()
        .expect("backup runs");
    assert!(status.success());
    let mode =
        |p: &std::path::Path| std::fs::metadata(p).expect("exists").permissions().mode() & 0o777;
    assert_eq!(mode(&dir.0.join("data")), 0o700, "the data folder");
    let mut files = vec![backup.clone()];
    for entry in std::fs::read_dir(dir.0.join("data")).expect("dir") {
        files.push(entry.expect("entry").path());
    }
    let names: Vec<String> = files
        .iter()
        .filter_map(|p| p.file_name().map(|n| n.to_string_lossy().into_owned()))
        .collect();
    for suffix in ["sqlite3", "-wal", "-shm", ".invite-key"] {
        assert!(
            names.iter().any(|n| n.ends_with(suffix)),
            "{suffix} in {names:?}"
        );
    }
    for file in &files {
        assert_eq!(
            mode(file),
            0o600,
            "{} is readable by others",
            file.display()
        );
    }
    // Nothing on disk lets another account join: no code, in any spelling.
    let mut on_disk = files_in(&dir.0.join("data"));
    on_disk.extend(std::fs::read(&backup).expect("backup"));
    for code in &codes {
        let plain = code.replace('-', "");
        assert!(
            !contains(&on_disk, code) && !contains(&on_disk, &plain),
            "the invite code {code} is on disk"
        );
    }
    let _ = child.kill();
    let _ = child.wait();
}

#[tokio::test]
async fn erased_text_leaves_the_wal_once_a_reader_that_held_it_closes() {
    let server = TestServer::start_sqlite().await;
    let mut anna = Device::create_team(&server.client, "Team", 1).await;
    let (address, add) = address_add(&mut anna, 2);
    let (_, given) = consent(&mut anna, address, "Meneer Bakker-Vos");
    anna.push(&[add, given]).await.expect("stored");
    // A reader in the middle of a long read (a backup, an operator's query) keeps its snapshot.
    let reader = rusqlite::Connection::open(server.dir.0.join("test.sqlite3")).expect("reader");
    reader.execute_batch("BEGIN").expect("begin");
    let _: i64 = reader
        .query_row("SELECT COUNT(*) FROM ops", [], |r| r.get(0))
        .expect("read");
    let erase = anna.op(Payload::EraseResident { address });
    anna.push(&[erase]).await.expect("erased");
    assert!(
        contains(&files_in(&server.dir.0), "Bakker-Vos"),
        "while the reader holds the old pages they stay in the WAL"
    );
    reader.execute_batch("COMMIT").expect("end");
    drop(reader);
    let mut gone = false;
    for _ in 0..50 {
        if !contains(&files_in(&server.dir.0), "Bakker-Vos") {
            gone = true;
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert!(
        gone,
        "the erased name stayed in the WAL after the reader closed"
    );
}

/// Runs a maintenance command of the server binary on `db`.
fn maintenance(db: &std::path::Path, args: &[&str]) -> bool {
    std::process::Command::new(env!("CARGO_BIN_EXE_buurtbel-server"))
        .arg("--database")
        .arg(db)
        .args(args)
        .status()
        .expect("runs")
        .success()
}

#[tokio::test]
async fn restoring_a_backup_brings_back_no_erased_resident_no_lost_phone_and_no_erased_volunteer() {
    let dir = TempDir::new("restore");
    let db = dir.0.join("buurtbel.sqlite3");
    let backup = dir.0.join("backup.sqlite3");
    let (mut child, base) = start_binary_umask(&db, &[], None);
    let client = common::Client::with_base(base);
    let mut anna = Device::create_team(&client, "Team", 1).await;
    let code = anna.invite.clone().expect("invite");
    let piet = Device::join(&client, &code, "Piet", 2).await;
    let (a, add_a) = address_add(&mut anna, 1);
    let (b, add_b) = address_add(&mut anna, 2);
    let (_, given_a) = consent(&mut anna, a, "Familie Oosterhout");
    let (withdrawn, given_b) = consent(&mut anna, b, "Meneer Pietersen");
    anna.push(&[add_a, add_b, given_a, given_b])
        .await
        .expect("stored");
    // A coach introduced a volunteer to the team (written as her page stores it).
    assert!(maintenance(
        &db,
        &[
            "coach",
            "--organisation",
            "Buurtwerk",
            "--name",
            "Sanne",
            "--url",
            "http://localhost"
        ]
    ));
    let introduction = "0123456789abcdef0123456789abcdef";
    {
        let conn = rusqlite::Connection::open(&db).expect("open");
        conn.busy_timeout(std::time::Duration::from_secs(5))
            .expect("timeout");
        conn.execute(
            "INSERT INTO introductions (id, team_id, coach_id, name, role, contact, introduced_at_ms)
             SELECT ?1, ?2, id, 'Vrijwilliger Jansma', 'connector', '06 9876 5432', 1 FROM coaches",
            rusqlite::params![introduction, anna.team],
        )
        .expect("introduced");
    }
    assert!(maintenance(
        &db,
        &["backup", "--to", backup.to_str().expect("path")]
    ));

    // After the backup: one resident erased, one consent withdrawn, Piet's phone lost.
    let erase = anna.op(Payload::EraseResident { address: a });
    let withdraw = anna.op(Payload::ConsentWithdraw {
        consent: withdrawn,
        withdrawn_at_ms: anna.factory.now_ms(),
    });
    anna.push(&[erase, withdraw]).await.expect("erased");
    let removed = client
        .delete(
            &format!("/api/v1/introductions/{introduction}"),
            Some(&anna.token),
        )
        .await;
    assert_eq!(removed.status, 204, "the team removes the introduction");
    let lost = client
        .delete(
            &format!("/api/v1/devices/{}?lost=true", piet.factory.author().device),
            Some(&anna.token),
        )
        .await;
    assert_eq!(lost.status, 204);

    // While the server runs the restore refuses to start.
    assert!(!maintenance(
        &db,
        &["restore", "--from", backup.to_str().expect("path")]
    ));
    let _ = child.kill();
    let _ = child.wait();
    assert!(maintenance(
        &db,
        &["restore", "--from", backup.to_str().expect("path")]
    ));

    let data: Vec<u8> = ["", "-wal", "-shm"]
        .iter()
        .flat_map(|suffix| std::fs::read(format!("{}{suffix}", db.display())).unwrap_or_default())
        .collect();
    for name in [
        "Familie Oosterhout",
        "Meneer Pietersen",
        "Vrijwilliger Jansma",
        "06 9876 5432",
    ] {
        assert!(!contains(&data, name), "{name} came back with the backup");
    }
    let (mut child, base) = start_binary_umask(&db, &[], None);
    let client = common::Client::with_base(base);
    // The lost phone stays out, and the code it showed stays ended.
    let again = client
        .post(
            "/api/v1/pull",
            Some(&piet.token),
            &json!({"protocol_version": 1, "after": 0, "limit": 10}),
        )
        .await;
    assert_eq!(again.status, 401);
    assert_eq!(
        client
            .post(
                "/api/v1/join",
                None,
                &json!({"code": code, "display_name": "Vinder"})
            )
            .await
            .status,
        404
    );
    // A phone that never saw the erasure learns of it from the restored log.
    let anna = Device {
        client: client.clone(),
        ..anna
    };
    let (ops, _) = anna.pull_all(buurtbel_core::protocol::Cursor(0), 100).await;
    assert!(
        ops.iter().any(
            |(_, op)| matches!(op.payload, Payload::EraseResident { address } if address == a)
        )
    );
    let _ = child.kill();
    let _ = child.wait();
}
