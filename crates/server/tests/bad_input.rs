//! Bad input of every kind gets the right 4xx, stores nothing, and never a 5xx.

mod common;

use buurtbel_core::protocol::{Cursor, PROTOCOL_VERSION};
use common::{Device, TestServer};
use serde_json::{Value, json};

async fn stored(d: &Device) -> usize {
    d.pull_all(Cursor(0), 1000).await.0.len()
}

#[tokio::test]
async fn malformed_and_invalid_pushes_are_refused_and_store_nothing() {
    let server = TestServer::start().await;
    let mut anna = Device::create_team(&server.client, "Team", 1).await;
    let before = stored(&anna).await;
    let device = anna.factory.author().device.to_string();
    let good = serde_json::to_value(anna.op(buurtbel_core::op::Payload::TeamUpdate {
        name: Some("Nieuwe naam".into()),
        neighbourhood: None,
    }))
    .expect("json");
    let with = |f: &dyn Fn(&mut Value)| {
        let mut op = good.clone();
        f(&mut op);
        json!({"protocol_version": PROTOCOL_VERSION, "device": device, "ops": [good.clone(), op]})
    };
    let long_name = "x".repeat(10_000);
    let cases: Vec<(&str, Vec<u8>, u16, &str)> = vec![
        ("not JSON", b"{\"protocol_version\": 1, ".to_vec(), 400, "malformed_request"),
        ("wrong type", serde_json::to_vec(&json!({"protocol_version": "one", "device": device, "ops": []})).expect("json"), 400, "malformed_request"),
        ("ops not a list", serde_json::to_vec(&json!({"protocol_version": 1, "device": device, "ops": {}})).expect("json"), 400, "malformed_request"),
        ("unknown kind", serde_json::to_vec(&with(&|op| op["payload"] = json!({"launch_rockets": {}}))).expect("json"), 422, "invalid_operation"),
        ("wrong field type", serde_json::to_vec(&with(&|op| op["hlc"]["wall_ms"] = json!("soon"))).expect("json"), 422, "invalid_operation"),
        ("oversized string", serde_json::to_vec(&with(&|op| op["payload"]["team_update"]["name"] = json!(long_name))).expect("json"), 422, "invalid_operation"),
        ("empty name", serde_json::to_vec(&with(&|op| op["payload"]["team_update"]["name"] = json!("  "))).expect("json"), 422, "invalid_operation"),
        ("another author", serde_json::to_vec(&with(&|op| op["author"]["member"] = json!("019ac9b0-d280-7a00-8000-000000000001"))).expect("json"), 422, "invalid_operation"),
        ("newer protocol", serde_json::to_vec(&json!({"protocol_version": PROTOCOL_VERSION + 1, "device": device, "ops": []})).expect("json"), 400, "unsupported_protocol_version"),
        ("another device", serde_json::to_vec(&json!({"protocol_version": 1, "device": "019ac9b0-d280-7a00-8000-000000000002", "ops": []})).expect("json"), 403, "forbidden"),
        ("oversized body", vec![b' '; 9 * 1024 * 1024], 413, "too_large"),
    ];
    for (name, body, status, code) in cases {
        let a = server
            .client
            .send("POST", "/api/v1/push", Some(&anna.token), Some(body))
            .await
            .expect("answer");
        assert_eq!(
            (a.status, a.body["code"].as_str()),
            (status, Some(code)),
            "{name}: {:?}",
            a.body
        );
        assert!(
            a.body["message"].as_str().is_some_and(|m| !m.is_empty()),
            "{name}"
        );
        assert!(
            !a.body.to_string().contains("rusqlite"),
            "{name}: no internals"
        );
    }
    // The invalid operation is named, with the field.
    let a = server
        .client
        .post(
            "/api/v1/push",
            Some(&anna.token),
            &with(&|op| op["payload"]["team_update"]["name"] = json!("")),
        )
        .await;
    assert_eq!(a.body["field"], "payload.name");
    assert!(a.body["op"].is_string());
    assert_eq!(
        stored(&anna).await,
        before,
        "nothing of any refused batch was stored"
    );
}

#[tokio::test]
async fn wrong_absent_and_malformed_tokens_get_401() {
    let server = TestServer::start().await;
    let anna = Device::create_team(&server.client, "Team", 1).await;
    let pull = json!({"protocol_version": 1, "after": 0, "limit": 10});
    for token in [None, Some("not-a-token"), Some(""), Some(&anna.token[..63])] {
        let a = server.client.post("/api/v1/pull", token, &pull).await;
        assert_eq!(a.status, 401, "{token:?}");
        assert_eq!(a.body["code"], "unauthorized");
    }
    let a = server
        .client
        .send("POST", "/api/v1/pull", None, Some(b"junk".to_vec()))
        .await
        .expect("answer");
    assert_eq!(a.status, 401, "authentication comes before the body");
}

#[tokio::test]
async fn bad_requests_elsewhere_get_clear_4xx() {
    let server = TestServer::start().await;
    let anna = Device::create_team(&server.client, "Team", 1).await;
    let c = &server.client;
    let checks = [
        (
            c.post(
                "/api/v1/teams",
                None,
                &json!({"name": "", "neighbourhood": "B", "display_name": "A"}),
            )
            .await,
            422,
            "invalid_field",
        ),
        (
            c.post("/api/v1/teams", None, &json!({"name": "T"})).await,
            400,
            "malformed_request",
        ),
        (
            c.post(
                "/api/v1/join",
                None,
                &json!({"code": "0000-0000", "display_name": "A"}),
            )
            .await,
            404,
            "invalid_invite",
        ),
        (
            c.post(
                "/api/v1/pull",
                Some(&anna.token),
                &json!({"protocol_version": 1, "after": 0, "limit": 0}),
            )
            .await,
            422,
            "invalid_field",
        ),
        (
            c.post(
                "/api/v1/pull",
                Some(&anna.token),
                &json!({"protocol_version": 1, "after": -1, "limit": 5}),
            )
            .await,
            400,
            "malformed_request",
        ),
        (
            c.post(
                "/api/v1/invites",
                Some(&anna.token),
                &json!({"valid_hours": 0}),
            )
            .await,
            422,
            "invalid_field",
        ),
        (
            c.delete("/api/v1/devices/not-a-uuid", Some(&anna.token))
                .await,
            404,
            "not_found",
        ),
        (c.get("/api/v1/nope", None).await, 404, "not_found"),
    ];
    for (i, (answer, status, code)) in checks.into_iter().enumerate() {
        assert_eq!(
            (answer.status, answer.body["code"].as_str()),
            (status, Some(code)),
            "check {i}: {:?}",
            answer.body
        );
    }
    let wrong_method = c.get("/api/v1/push", Some(&anna.token)).await;
    assert_eq!(wrong_method.status, 405);
}
