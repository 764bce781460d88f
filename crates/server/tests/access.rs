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
async fn guessing_codes_from_many_addresses_stops_the_guessers_not_the_team_evening() {
    let server = TestServer::start_with(|c| {
        c.trusted_proxy = vec!["127.0.0.1".into()];
    })
    .await;
    let anna = Device::create_team(&server.client, "Team", 1).await;
    let code = anna.invite.clone().expect("invite");
    // A different wrong code each time (one code takes only so many tries).
    let guess = |i: usize| {
        let client = server.client.clone();
        async move {
            let alphabet = b"ABCDEFGHJKMNPQRSTUVWXYZ23456789";
            let tail: String = [i / 31, i % 31]
                .iter()
                .map(|&n| char::from(alphabet[n % 31]))
                .collect();
            let body = format!(r#"{{"code":"ABCD-EF{tail}","display_name":"x"}}"#);
            post_with(
                &client,
                "/api/v1/join",
                &[("x-forwarded-for", &format!("203.0.113.{}", i % 200))],
                body.into_bytes(),
            )
            .await
            .status
        }
    };
    // 130 wrong codes from 130 addresses: more than the server-wide budget of 100.
    let mut statuses = Vec::new();
    for i in 0..130 {
        statuses.push(guess(i).await);
    }
    assert!(statuses.iter().all(|s| *s == 404), "{statuses:?}");
    // Now a guesser that was wrong before waits...
    assert_eq!(guess(207).await, 429, "203.0.113.7 guessed before");
    // ...and the team evening goes on: people join with the right code from their phones.
    for i in 0..5 {
        let body = serde_json::to_vec(&json!({"code": code, "display_name": format!("Buur {i}")}))
            .expect("json");
        let ip = format!("198.51.100.{i}");
        let a = post_with(
            &server.client,
            "/api/v1/join",
            &[("x-forwarded-for", &ip)],
            body,
        )
        .await;
        assert_eq!(a.status, 201, "{:?}", a.body);
    }
}

#[tokio::test]
async fn a_join_link_names_its_team_without_using_the_code_and_guessing_there_is_no_faster() {
    let server = TestServer::start_with(|c| {
        c.trusted_proxy = vec!["127.0.0.1".into()];
    })
    .await;
    let anna = Device::create_team(&server.client, "Groen Lindelaan", 1).await;
    // An invite for one phone: looking at the team it opens does not use it.
    let one = server
        .client
        .post(
            "/api/v1/invites",
            Some(&anna.token),
            &json!({"max_uses": 1}),
        )
        .await;
    assert_eq!(one.status, 201, "{:?}", one.body);
    let code = one.body["code"].as_str().expect("code").to_owned();
    let preview = |code: String, ip: String| {
        let client = server.client.clone();
        async move {
            let body =
                serde_json::to_vec(&json!({"code": code, "display_name": ""})).expect("json");
            post_with(
                &client,
                "/api/v1/join/preview",
                &[("x-forwarded-for", &ip)],
                body,
            )
            .await
        }
    };
    for _ in 0..3 {
        let seen = preview(code.to_lowercase(), "198.51.100.1".into()).await;
        assert_eq!(seen.status, 200, "{:?}", seen.body);
        assert_eq!(seen.body["name"], "Groen Lindelaan");
        assert_eq!(seen.body["neighbourhood"], "Lindenbuurt");
        assert_eq!(seen.body["id"], anna.team.as_str());
    }
    Device::join(&server.client, &code, "Bram", 2).await;
    // Used up now: the link says nothing more about the team.
    let used = preview(code.clone(), "198.51.100.1".into()).await;
    assert_eq!(used.status, 404, "{:?}", used.body);
    assert!(
        !used.body.to_string().contains("Groen Lindelaan"),
        "{:?}",
        used.body
    );

    // A guesser trying codes here from 130 addresses spends the same budget as joining does.
    let team_code = anna.invite.clone().expect("invite");
    for i in 0..130 {
        let alphabet = b"ABCDEFGHJKMNPQRSTUVWXYZ23456789";
        let tail: String = [i / 31, i % 31]
            .iter()
            .map(|&n| char::from(alphabet[n % 31]))
            .collect();
        let wrong = preview(format!("ABCD-EF{tail}"), format!("203.0.113.{}", i % 200)).await;
        assert_eq!(wrong.status, 404, "{:?}", wrong.body);
    }
    // A guesser that was wrong before waits, here and when joining...
    assert_eq!(
        preview(team_code.clone(), "203.0.113.7".into())
            .await
            .status,
        429
    );
    let join = serde_json::to_vec(&json!({"code": team_code, "display_name": "x"})).expect("json");
    let joined = post_with(
        &server.client,
        "/api/v1/join",
        &[("x-forwarded-for", "203.0.113.7")],
        join,
    )
    .await;
    assert_eq!(joined.status, 429, "{:?}", joined.body);
    // ...and a new member's phone still sees the team it is invited to.
    let seen = preview(team_code, "198.51.100.9".into()).await;
    assert_eq!(seen.status, 200, "{:?}", seen.body);
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

async fn devices_of(
    server: &TestServer,
    admin: &Device,
) -> Vec<buurtbel_core::protocol::DeviceView> {
    let list: buurtbel_core::protocol::DeviceList = serde_json::from_value(
        server
            .client
            .get("/api/v1/devices", Some(&admin.token))
            .await
            .body,
    )
    .expect("device list");
    list.devices
}

#[tokio::test]
async fn a_removed_member_stays_out() {
    use buurtbel_core::op::Payload;
    use buurtbel_core::protocol::{INVITE_USES_DEFAULT, InviteList};
    let server = TestServer::start().await;
    let mut anna = Device::create_team(&server.client, "Team", 1).await;
    let code = anna.invite.clone().expect("first invite");
    let piet = Device::join(&server.client, &code, "Piet", 2).await;

    // The first invite is limited: ten uses, three days.
    let invites: InviteList = serde_json::from_value(
        server
            .client
            .get("/api/v1/invites", Some(&anna.token))
            .await
            .body,
    )
    .expect("invite list");
    assert_eq!(invites.invites.len(), 1);
    let first = &invites.invites[0];
    assert_eq!((first.max_uses, first.uses), (Some(INVITE_USES_DEFAULT), 1));
    let days = (first.expires_at_ms - first.created_at_ms) as f64 / 86_400_000.0;
    assert!((days - 3.0).abs() < 0.01, "three days: {days}");
    assert_eq!(
        server
            .client
            .get("/api/v1/invites", Some(&piet.token))
            .await
            .status,
        403,
        "only admins see the invites"
    );

    // Removing Piet revokes his phone at once.
    let remove = anna.op(Payload::MemberRemove {
        member: piet.factory.author().member,
    });
    anna.push(&[remove]).await.expect("removed");
    assert_eq!(piet.push(&[]).await.expect_err("revoked").status, 401);

    // Removing him ended the code he joined with: he cannot come back with it.
    let again = server
        .client
        .post(
            "/api/v1/join",
            None,
            &json!({"code": code, "display_name": "Piet"}),
        )
        .await;
    assert_eq!(
        (again.status, again.body["code"].as_str()),
        (404, Some("invalid_invite"))
    );
    let invites: InviteList = serde_json::from_value(
        server
            .client
            .get("/api/v1/invites", Some(&anna.token))
            .await
            .body,
    )
    .expect("invite list");
    assert!(invites.invites[0].revoked);
    // A new invite defaults to ten uses too, and is revoked by its code or its id.
    for by in ["code", "id"] {
        let new = server
            .client
            .post("/api/v1/invites", Some(&anna.token), &json!({}))
            .await;
        assert_eq!(new.body["max_uses"], 10);
        let which = new.body[by].as_str().expect("code and id").to_lowercase();
        let gone = server
            .client
            .delete(&format!("/api/v1/invites/{which}"), Some(&anna.token))
            .await;
        assert_eq!(gone.status, 204, "revoked by {by}");
        let code = new.body["code"].as_str().expect("code");
        let again = server
            .client
            .post(
                "/api/v1/join",
                None,
                &json!({"code": code, "display_name": "Kees"}),
            )
            .await;
        assert_eq!(again.status, 404, "revoked by {by}");
    }
}

#[tokio::test]
async fn only_admins_change_other_members_and_a_team_keeps_an_admin() {
    use buurtbel_core::domain::Role;
    use buurtbel_core::ids::MemberId;
    use buurtbel_core::op::Payload;
    let server = TestServer::start().await;
    let mut anna = Device::create_team(&server.client, "Team", 1).await;
    let code = anna.invite.clone().expect("invite");
    let mut piet = Device::join(&server.client, &code, "Piet", 2).await;
    let (anna_id, piet_id) = (anna.factory.author().member, piet.factory.author().member);

    // A member changes their own roles; not another's, and cannot remove another.
    let own = piet.op(Payload::MemberUpdate {
        member: piet_id,
        display_name: None,
        roles: Some([Role::Connector].into()),
    });
    piet.push(&[own]).await.expect("own roles");
    for payload in [
        Payload::MemberUpdate {
            member: anna_id,
            display_name: Some("Niet Anna".into()),
            roles: None,
        },
        Payload::MemberRemove { member: anna_id },
        Payload::MemberAdd {
            member: piet.factory.id(MemberId::new_v7),
            display_name: "Nep".into(),
            roles: Default::default(),
        },
    ] {
        let op = piet.op(payload);
        let refused = piet
            .push(std::slice::from_ref(&op))
            .await
            .expect_err("not allowed");
        assert_eq!(
            (refused.status, refused.body["code"].as_str()),
            (403, Some("forbidden"))
        );
        assert_eq!(
            refused.body["op"],
            op.id.to_string(),
            "the refusal names the operation"
        );
    }
    // Erasing a resident's data stays open to every member.
    let address = piet.factory.id(buurtbel_core::ids::AddressId::new_v7);
    let add = piet.op(Payload::AddressAdd {
        address,
        street: "Lindenlaan".into(),
        number: 1,
        letter: String::new(),
        addition: String::new(),
        postcode: "1234 AB".into(),
    });
    let erase = piet.op(Payload::EraseResident { address });
    piet.push(&[add, erase])
        .await
        .expect("any member may erase");

    // Anna is the only admin: she cannot step down, revoke her phone or remove herself.
    let step_down = server
        .client
        .send_with_headers(
            "PUT",
            &format!("/api/v1/members/{anna_id}/admin"),
            &[("authorization", &format!("Bearer {}", anna.token))],
            br#"{"admin":false}"#.to_vec(),
        )
        .await;
    assert_eq!(
        (step_down.status, step_down.body["code"].as_str()),
        (409, Some("last_admin"))
    );
    let own_phone = anna.factory.author().device;
    let revoke = server
        .client
        .delete(&format!("/api/v1/devices/{own_phone}"), Some(&anna.token))
        .await;
    assert_eq!(revoke.status, 409);
    let leave = anna.op(Payload::MemberRemove { member: anna_id });
    assert_eq!(
        anna.push(&[leave]).await.expect_err("last admin").status,
        403
    );

    // She makes Piet admin; then she may step down, and Piet manages the team.
    let up = server
        .client
        .send_with_headers(
            "PUT",
            &format!("/api/v1/members/{piet_id}/admin"),
            &[("authorization", &format!("Bearer {}", anna.token))],
            br#"{"admin":true}"#.to_vec(),
        )
        .await;
    assert_eq!(up.status, 204, "{:?}", up.body);
    assert_eq!(
        server
            .client
            .get("/api/v1/devices", Some(&piet.token))
            .await
            .status,
        200
    );
    let down = server
        .client
        .send_with_headers(
            "PUT",
            &format!("/api/v1/members/{anna_id}/admin"),
            &[("authorization", &format!("Bearer {}", piet.token))],
            br#"{"admin":false}"#.to_vec(),
        )
        .await;
    assert_eq!(down.status, 204);
    let admins: Vec<bool> = devices_of(&server, &piet)
        .await
        .iter()
        .map(|d| d.admin)
        .collect();
    assert_eq!(admins, [false, true]);
    assert_eq!(
        server
            .client
            .get("/api/v1/devices", Some(&anna.token))
            .await
            .status,
        403,
        "no longer an admin"
    );
    let rename = piet.op(Payload::MemberUpdate {
        member: anna_id,
        display_name: Some("Anna de Vries".into()),
        roles: None,
    });
    piet.push(&[rename])
        .await
        .expect("an admin changes another member");
}
