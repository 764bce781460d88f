//! The fetch plumbing of the API client, in headless Chromium.
#![cfg(target_arch = "wasm32")]

use buurtbel_app::api_client::ApiClient;
use buurtbel_core::protocol::{Cursor, PROTOCOL_VERSION, PullRequest};
use buurtbel_core::sync::Failure;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

fn pull() -> PullRequest {
    PullRequest {
        protocol_version: PROTOCOL_VERSION,
        after: Cursor(0),
        limit: 10,
    }
}

#[wasm_bindgen_test]
async fn no_answer_at_all_counts_as_offline() {
    // Nothing listens on port 9 of this machine: the fetch is rejected.
    let client = ApiClient {
        base: "http://127.0.0.1:9".into(),
        token: "t".into(),
    };
    assert_eq!(client.pull(&pull()).await, Err(Failure::Offline));
}

#[wasm_bindgen_test]
async fn an_answer_that_is_not_the_api_is_a_server_failure_not_data() {
    // The test page's own server has no sync API: it answers, but not with our JSON.
    let client = ApiClient {
        base: String::new(),
        token: "t".into(),
    };
    match client.pull(&pull()).await {
        Err(Failure::Server(reason)) => assert!(
            reason.contains("HTTP") || reason.contains("unreadable"),
            "{reason}"
        ),
        other => panic!("expected a server failure, got {other:?}"),
    }
}
