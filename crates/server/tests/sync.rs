//! The sync API over real HTTP on 127.0.0.1 with a temporary database.

mod common;

use std::collections::{BTreeMap, BTreeSet};

use buurtbel_core::domain::{Channel, ConsentPurpose, Outcome, Role};
use buurtbel_core::ids::{AddressId, ConsentId, VisitId};
use buurtbel_core::op::{ConsentGive, Operation, Payload, VisitLog};
use buurtbel_core::protocol::Cursor;
use buurtbel_core::state::State;
use common::{Device, TestServer};
use serde_json::json;

fn address_add(d: &mut Device, street: &str, number: u32) -> (AddressId, Operation) {
    let address = d.factory.id(AddressId::new_v7);
    let op = d.op(Payload::AddressAdd {
        address,
        street: street.into(),
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
        pledges: Default::default(),
        join_team: None,
        note: note.into(),
        follow_up: None,
        flyer: false,
        online: false,
    }))
}

#[tokio::test]
async fn two_devices_of_a_team_converge_and_another_team_sees_nothing() {
    let server = TestServer::start().await;
    let mut anna = Device::create_team(&server.client, "Buurtteam Lindelaan", 1).await;
    let code = anna.invite.clone().expect("first invite");
    let mut piet = Device::join(&server.client, &code, "Piet", 2).await;
    let mut other = Device::create_team(&server.client, "Buurtteam Eikenstraat", 3).await;

    let (address, add) = address_add(&mut anna, "Lindelaan", 1);
    let v1 = visit(&mut anna, address, "Wil graag meedoen");
    anna.push(&[add, v1]).await.expect("anna pushes");
    let me = piet.factory.author().member;
    let roles = piet.op(Payload::MemberUpdate {
        member: me,
        display_name: None,
        roles: Some([Role::Connector].into()),
    });
    let v2 = visit(&mut piet, address, "Tweede gesprek");
    piet.push(&[roles, v2]).await.expect("piet pushes");
    let (_, secret) = address_add(&mut other, "Eikenstraat", 9);
    other.push(&[secret]).await.expect("other team pushes");

    let (a_ops, a_cursor) = anna.pull_all(Cursor(0), 2).await;
    let (p_ops, p_cursor) = piet.pull_all(Cursor(0), 1000).await;
    assert_eq!(a_cursor, p_cursor);
    let a_state = State::fold(a_ops.iter().map(|(_, op)| op));
    let p_state = State::fold(p_ops.iter().rev().map(|(_, op)| op));
    assert_eq!(a_state, p_state, "both devices hold the same team state");
    assert_eq!(
        a_state.team.name.value, "Buurtteam Lindelaan",
        "the server recorded the team"
    );
    assert_eq!(a_state.members.len(), 2, "creator and joiner are members");
    assert_eq!(a_state.members[&me].roles.value, [Role::Connector].into());
    assert_eq!(a_state.visits.len(), 2);
    assert!(
        a_state
            .addresses
            .values()
            .all(|a| a.street.value == "Lindelaan"),
        "nothing of the other team"
    );

    let (o_ops, _) = other.pull_all(Cursor(0), 1000).await;
    let o_state = State::fold(o_ops.iter().map(|(_, op)| op));
    assert_eq!(o_state.visits.len(), 0);
    assert_eq!(o_state.members.len(), 1);
    assert!(
        o_state
            .addresses
            .values()
            .all(|a| a.street.value == "Eikenstraat")
    );

    // Sequence numbers are per team and gap-free.
    let seqs: Vec<u64> = a_ops.iter().map(|(s, _)| *s).collect();
    assert_eq!(seqs, (1..=seqs.len() as u64).collect::<Vec<_>>());

    // The other team's admin cannot list or revoke this team's devices.
    let devices = server
        .client
        .get("/api/v1/devices", Some(&other.token))
        .await;
    assert_eq!(devices.body["devices"].as_array().map(Vec::len), Some(1));
    let piet_device = piet.factory.author().device;
    let revoke = server
        .client
        .delete(
            &format!("/api/v1/devices/{piet_device}"),
            Some(&other.token),
        )
        .await;
    assert_eq!(revoke.status, 404);
    assert!(
        piet.pull_all(Cursor(0), 10).await.0.len() > 1,
        "piet is still in"
    );
}

#[tokio::test]
async fn a_retried_push_is_stored_once_and_gets_the_same_answer() {
    let server = TestServer::start().await;
    let mut anna = Device::create_team(&server.client, "Team", 1).await;
    let (address, add) = address_add(&mut anna, "Lindelaan", 3);
    let ops = vec![add, visit(&mut anna, address, "Aardig gesprek")];
    let first = anna.push(&ops).await.expect("push");
    let second = anna.push(&ops).await.expect("retry");
    assert_eq!(first.acks, second.acks);
    let (pulled, _) = anna.pull_all(Cursor(0), 1000).await;
    let ids: Vec<_> = pulled.iter().map(|(_, op)| op.id).collect();
    assert_eq!(
        ids.iter().collect::<BTreeSet<_>>().len(),
        ids.len(),
        "no operation twice"
    );
    assert_eq!(pulled.len(), 2 + 2, "team and creator, plus the two pushed");

    // A different operation under a known id is refused, and nothing of its batch is stored.
    let (_, extra) = address_add(&mut anna, "Lindelaan", 5);
    let mut forged = ops[1].clone();
    if let Payload::VisitLog(v) = &mut forged.payload {
        v.note = "Iets anders".into();
    }
    let refused = anna.push(&[extra, forged]).await.expect_err("conflict");
    assert_eq!(refused.status, 409);
    assert_eq!(refused.body["code"], "operation_conflict");
    assert_eq!(
        anna.pull_all(Cursor(0), 1000).await.0.len(),
        4,
        "the batch was not stored"
    );
}

#[tokio::test]
async fn pushes_racing_from_several_devices_all_land_with_distinct_numbers() {
    let server = TestServer::start().await;
    let admin = Device::create_team(&server.client, "Team", 1).await;
    let code = admin.invite.clone().expect("invite");
    let mut devices = Vec::new();
    for i in 0..8u8 {
        devices
            .push(Device::join(&server.client, &code, &format!("Ambassadeur {i}"), 10 + i).await);
    }
    let mut tasks = Vec::new();
    for mut d in devices {
        tasks.push(tokio::spawn(async move {
            let mut acks = Vec::new();
            for round in 0..5 {
                let ops: Vec<Operation> = (0..20)
                    .map(|n| address_add(&mut d, "Racelaan", round * 20 + n + 1).1)
                    .collect();
                acks.extend(d.push(&ops).await.expect("push").acks);
            }
            acks
        }));
    }
    let mut seqs = BTreeSet::new();
    let mut total = 0;
    for t in tasks {
        for ack in t.await.expect("task") {
            seqs.insert(ack.seq);
            total += 1;
        }
    }
    assert_eq!(total, 8 * 5 * 20);
    assert_eq!(
        seqs.len(),
        total,
        "every operation has its own sequence number"
    );
    let (pulled, _) = admin.pull_all(Cursor(0), 333).await;
    assert_eq!(
        pulled.len(),
        total + 2 + 8,
        "plus team, creator and eight joins"
    );
}

#[tokio::test]
async fn erasure_reaches_stored_operations_and_late_arrivals() {
    let server = TestServer::start().await;
    let mut anna = Device::create_team(&server.client, "Team", 1).await;
    let (address, add) = address_add(&mut anna, "Lindelaan", 7);
    let before = visit(&mut anna, address, "Mevrouw Jansen, slecht ter been");
    let consent = {
        let consent = anna.factory.id(ConsentId::new_v7);
        let at = anna.factory.now_ms();
        anna.op(Payload::ConsentGive(ConsentGive {
            consent,
            address,
            purposes: [ConsentPurpose::MeetingInvitations].into(),
            channels: [Channel::Phone].into(),
            name: "Mevrouw Jansen".into(),
            phone: "06 1234 5678".into(),
            email: String::new(),
            given_at_ms: at,
        }))
    };
    let late = visit(&mut anna, address, "Notitie die pas later aankomt");
    anna.push(&[add, before.clone(), consent])
        .await
        .expect("push");
    let erase = anna.op(Payload::EraseResident { address });
    anna.push(&[erase]).await.expect("erase");
    anna.push(&[late])
        .await
        .expect("a late operation made before the erasure");
    anna.push(&[before])
        .await
        .expect("a retry after the erasure is the same operation, not a conflict");

    let (ops, _) = anna.pull_all(Cursor(0), 1000).await;
    let dump =
        serde_json::to_string(&ops.iter().map(|(_, o)| o).collect::<Vec<_>>()).expect("json");
    for personal in [
        "Mevrouw Jansen",
        "06 1234 5678",
        "slecht ter been",
        "pas later",
    ] {
        assert!(
            !dump.contains(personal),
            "{personal} is erased from the server"
        );
    }
    let state = State::fold(ops.iter().map(|(_, o)| o));
    assert_eq!(state.visits.len(), 2, "the visits themselves remain");
    assert_eq!(state.consents.len(), 1);
}

#[tokio::test]
async fn an_erasure_from_a_slow_clock_is_stamped_again_and_reaches_everything_stored_before() {
    use buurtbel_core::protocol::ErrorBody;
    let server = TestServer::start().await;
    let mut anna = Device::create_team(&server.client, "Team", 1).await;
    let code = anna.invite.clone().expect("invite");
    let mut piet = Device::join(&server.client, &code, "Piet", 2).await;
    let (address, add) = address_add(&mut anna, "Lindelaan", 11);
    anna.push(&[add]).await.expect("address");
    // Piet's note reaches the server first; Anna's phone runs an hour slow (still within the
    // drift bound, which only limits clocks ahead) and has not pulled it.
    let note = visit(&mut piet, address, "Meneer Hoekstra, tweede verdieping");
    piet.push(std::slice::from_ref(&note)).await.expect("note");
    let slow = anna.factory.clone().at(anna.factory.now_ms() - 3_600_000);
    let mut slow = Device {
        factory: slow,
        token: anna.token.clone(),
        team: anna.team.clone(),
        invite: None,
        client: anna.client.clone(),
    };
    let erase = slow.op(Payload::EraseResident { address });
    let refused = slow
        .push(std::slice::from_ref(&erase))
        .await
        .expect_err("behind");
    assert_eq!(refused.status, 409);
    let body: ErrorBody = serde_json::from_value(refused.body).expect("error body");
    assert_eq!(body.code, "erasure_behind");
    assert_eq!(body.op, Some(erase.id));
    let after = body.stamp_after.expect("the time to stamp after");
    assert!(after >= note.hlc);
    assert!(
        !serde_json::to_string(&anna.pull_all(Cursor(0), 1000).await.0)
            .expect("json")
            .contains(&erase.id.to_string()),
        "nothing of the refused erasure is stored"
    );

    // Stamped again after the server's data, the same erasure reaches it.
    let mut again = erase;
    again.hlc = buurtbel_core::clock::Hlc {
        wall_ms: after.wall_ms,
        counter: after.counter + 1,
    };
    slow.push(&[again]).await.expect("accepted");
    let (ops, _) = piet.pull_all(Cursor(0), 1000).await;
    let dump = serde_json::to_string(&ops).expect("json");
    assert!(
        !dump.contains("Hoekstra"),
        "the note stored before is stripped"
    );
    // The log keeps who erased what and when.
    let erasure = ops
        .iter()
        .map(|(_, op)| op)
        .find(|op| matches!(op.payload, Payload::EraseResident { .. }))
        .expect("the erasure is in the log");
    assert_eq!(erasure.author, anna.factory.author());
    assert_eq!(erasure.hlc.wall_ms, after.wall_ms);
}

#[tokio::test]
async fn a_revoked_device_is_refused_at_once() {
    let server = TestServer::start().await;
    let admin = Device::create_team(&server.client, "Team", 1).await;
    let code = admin.invite.clone().expect("invite");
    let piet = Device::join(&server.client, &code, "Piet", 2).await;
    assert_eq!(
        server
            .client
            .get("/api/v1/devices", Some(&piet.token))
            .await
            .status,
        403,
        "not an admin"
    );
    let list = server
        .client
        .get("/api/v1/devices", Some(&admin.token))
        .await;
    assert_eq!(list.body["devices"].as_array().map(Vec::len), Some(2));
    let id = piet.factory.author().device;
    assert_eq!(
        server
            .client
            .delete(&format!("/api/v1/devices/{id}"), Some(&admin.token))
            .await
            .status,
        204
    );
    let refused = piet.push(&[]).await.expect_err("revoked");
    assert_eq!(refused.status, 401);
    assert_eq!(refused.body["code"], "unauthorized");
    let list = server
        .client
        .get("/api/v1/devices", Some(&admin.token))
        .await;
    assert!(list.body["devices"][1]["revoked_at_ms"].is_u64());
}

#[tokio::test]
async fn a_device_revoked_as_lost_is_told_to_wipe_and_the_list_says_so() {
    use buurtbel_core::protocol::{DeviceList, WIPE_CODE};
    let server = TestServer::start().await;
    let admin = Device::create_team(&server.client, "Team", 1).await;
    let code = admin.invite.clone().expect("invite");
    let lost = Device::join(&server.client, &code, "Piet", 2).await;
    let kept = Device::join(&server.client, &code, "Fatima", 3).await;
    let id = lost.factory.author().device;
    let bad = server
        .client
        .delete(
            &format!("/api/v1/devices/{id}?lost=maybe"),
            Some(&admin.token),
        )
        .await;
    assert_eq!(
        (bad.status, bad.body["code"].as_str()),
        (400, Some("malformed_request"))
    );
    assert_eq!(
        server
            .client
            .delete(
                &format!("/api/v1/devices/{id}?lost=true"),
                Some(&admin.token)
            )
            .await
            .status,
        204
    );
    // Every request of the lost phone from now on says: delete the team's data.
    for _ in 0..2 {
        let refused = lost.push(&[]).await.expect_err("revoked as lost");
        assert_eq!(
            (refused.status, refused.body["code"].as_str()),
            (401, Some(WIPE_CODE))
        );
    }
    // Another phone merely removed keeps today's answer (its user decides).
    let other = kept.factory.author().device;
    server
        .client
        .delete(&format!("/api/v1/devices/{other}"), Some(&admin.token))
        .await;
    let refused = kept.push(&[]).await.expect_err("revoked");
    assert_eq!(refused.body["code"], "unauthorized");
    // The list is core's type; revoking again as lost later marks it lost too.
    let list: DeviceList = serde_json::from_value(
        server
            .client
            .get("/api/v1/devices", Some(&admin.token))
            .await
            .body,
    )
    .expect("a device list");
    let flags: Vec<(bool, bool)> = list
        .devices
        .iter()
        .map(|d| (d.revoked_at_ms.is_some(), d.lost))
        .collect();
    assert_eq!(flags, [(false, false), (true, true), (true, false)]);
}

#[tokio::test]
async fn a_retry_stripped_by_an_erasure_on_the_phone_is_the_same_operation() {
    // The phone pushed a visit with a note, the answer got lost, then the resident's data was
    // erased on the phone (stripping its waiting copy) before the retry reached the server.
    let server = TestServer::start().await;
    let mut anna = Device::create_team(&server.client, "Team", 1).await;
    let (address, add) = address_add(&mut anna, "Lindelaan", 9);
    let noted = visit(&mut anna, address, "Meneer De Boer, belt terug");
    let first = anna.push(&[add, noted.clone()]).await.expect("stored");
    let mut stripped = noted.clone();
    assert!(stripped.strip_personal());
    let again = anna.push(&[stripped]).await.expect("not a conflict");
    assert_eq!(again.acks[0], first.acks[1], "the same sequence number");
    // A different operation under the same id is still refused.
    let mut forged = noted;
    if let Payload::VisitLog(v) = &mut forged.payload {
        v.outcome = Outcome::Joins;
    }
    assert_eq!(
        anna.push(&[forged]).await.expect_err("conflict").status,
        409
    );
}

#[tokio::test]
async fn invites_expire_by_use_and_joining_is_rate_limited() {
    let server = TestServer::start().await;
    let admin = Device::create_team(&server.client, "Team", 1).await;
    let once = server
        .client
        .post(
            "/api/v1/invites",
            Some(&admin.token),
            &json!({"max_uses": 1, "valid_hours": 2}),
        )
        .await;
    assert_eq!(once.status, 201);
    let code = once.body["code"].as_str().expect("code").to_owned();
    assert_eq!(code.len(), 9, "shown as ABCD-EFGH");
    let typed = code.to_lowercase().replace('-', " ");
    Device::join(&server.client, &typed, "Fatima", 2).await;
    let again = server
        .client
        .post(
            "/api/v1/join",
            None,
            &json!({"code": code, "display_name": "Kees"}),
        )
        .await;
    assert_eq!(again.status, 404);
    assert_eq!(again.body["code"], "invalid_invite");

    // Guessing: the client address runs out of attempts (the default burst is 10).
    let mut statuses = Vec::new();
    for i in 0..12 {
        let a = server
            .client
            .post(
                "/api/v1/join",
                None,
                &json!({"code": format!("AAAA-AAA{}", i % 8 + 2), "display_name": "X"}),
            )
            .await;
        statuses.push(a.status);
    }
    assert!(statuses.contains(&429), "{statuses:?}");
}

#[tokio::test]
async fn creating_teams_can_require_the_server_key() {
    let key = "a-long-enough-server-key";
    let server = TestServer::start_with(|c| {
        c.team_creation = "key".into();
        c.server_key = Some(key.into());
    })
    .await;
    let body = json!({"name": "Team", "neighbourhood": "Buurt", "display_name": "Anna"});
    let refused = server.client.post("/api/v1/teams", None, &body).await;
    assert_eq!(refused.status, 403);
    let ok = server
        .client
        .send_with_header(
            "POST",
            "/api/v1/teams",
            ("x-server-key", key),
            serde_json::to_vec(&body).expect("json"),
        )
        .await;
    assert_eq!(ok.status, 201, "{:?}", ok.body);
}

#[tokio::test]
async fn an_operation_from_a_clock_an_hour_fast_is_refused_with_the_servers_time() {
    let server = TestServer::start().await;
    let mut anna = Device::create_team(&server.client, "Team", 1).await;
    // This machine's time when the phone was set up: the server's time comes after it. (The
    // operation's own stamp is a millisecond later still, and may be ahead of the server's.)
    let set_up_ms = anna.factory.now_ms();
    anna.factory.advance_ms(3_600_000);
    let (_, fast) = address_add(&mut anna, "Lindelaan", 1);
    let refused = anna
        .push(std::slice::from_ref(&fast))
        .await
        .expect_err("too far ahead");
    assert_eq!(refused.status, 422);
    assert_eq!(refused.body["code"], "clock_ahead");
    assert_eq!(refused.body["field"], "hlc.wall_ms");
    assert_eq!(refused.body["op"], fast.id.to_string());
    // The body carries the server's time: the phone stamps again from it, never from a
    // missing Date header.
    let server_ms = refused.body["server_time_ms"]
        .as_u64()
        .expect("server_time_ms");
    assert!(
        server_ms >= set_up_ms && server_ms - set_up_ms < 60_000,
        "{server_ms} vs {set_up_ms}"
    );
}
