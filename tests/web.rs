//! Components mounted in headless Chromium (`make test` runs these through
//! wasm-bindgen-test-runner).
#![cfg(target_arch = "wasm32")]

use buurtbel_app::App;
use leptos::mount::mount_to;
use leptos::prelude::*;
use leptos::task::tick;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

mod common;

use common::{find, fresh_root, local_storage, rendered, text};

/// The text of `selector`, which must be rendered.
fn text_of(root: &web_sys::HtmlElement, selector: &str) -> String {
    assert!(find(root, selector).is_some(), "{selector} is rendered");
    text(root, selector)
}

/// Makes this browser a member of a team (with a token no server knows: syncing fails quietly,
/// which these tests do not look at).
fn plant_session(team_suffix: &str) {
    let session = format!(
        r#"{{"schema":1,
        "team":{{"id":"01a221d8-0000-7000-8000-{team_suffix}","name":"Groen Lindelaan","neighbourhood":"Lindelaan"}},
        "member":{{"id":"01a221d8-0000-7000-8000-000000000002","display_name":"Anna"}},
        "device":{{"id":"01a221d8-0000-7000-8000-000000000003","token":"test","admin":false}}}}"#
    );
    local_storage()
        .set_item("buurtbel.session", &session)
        .expect("session");
}

#[wasm_bindgen_test]
async fn a_device_in_no_team_is_asked_to_join_or_start_one() {
    let _ = local_storage().remove_item("buurtbel.session");
    let _ = local_storage().remove_item("buurtbel.locale");
    let root = fresh_root();
    let _app = mount_to(root.clone(), App);
    tick().await;
    assert_eq!(text_of(&root, "h1"), "Welkom bij Buurtbel");
    assert!(
        root.query_selector("form #join-code")
            .expect("selector")
            .is_some()
    );
    assert!(
        root.query_selector("form #start-team")
            .expect("selector")
            .is_some()
    );
    assert!(
        root.query_selector("nav.main-nav")
            .expect("selector")
            .is_none(),
        "nothing to navigate before the device is in a team"
    );
    // An empty form is refused with a message, not sent.
    let join: web_sys::HtmlElement = root
        .query_selector("form button[type=submit]")
        .expect("selector")
        .expect("join button")
        .unchecked_into();
    join.click();
    tick().await;
    assert_eq!(text_of(&root, "form .form-error"), "Vul dit veld in.");
}

#[wasm_bindgen_test]
async fn an_unreadable_session_is_reported_and_setup_is_offered() {
    let _ = local_storage().remove_item("buurtbel.locale");
    local_storage()
        .set_item("buurtbel.session", "{\"schema\":1,\"team\":")
        .expect("set");
    let root = fresh_root();
    let _app = mount_to(root.clone(), App);
    tick().await;
    assert!(text_of(&root, ".notices").contains("onleesbaar"));
    assert_eq!(text_of(&root, "h1"), "Welkom bij Buurtbel");
    let _ = local_storage().remove_item("buurtbel.session");
}

#[wasm_bindgen_test]
async fn the_app_renders_its_navigation_in_dutch_and_switches_to_english() {
    let _ = local_storage().remove_item("buurtbel.locale");
    plant_session("000000000a01");
    let root = fresh_root();
    let _app = mount_to(root.clone(), App);
    let _ = rendered(&root, "nav.main-nav").await;

    assert_eq!(text_of(&root, ".app-name"), "Buurtbel");
    let nav = root
        .query_selector("nav.main-nav")
        .expect("selector")
        .expect("nav");
    assert_eq!(
        nav.get_attribute("aria-label").as_deref(),
        Some("Hoofdmenu")
    );
    let labels: Vec<String> = (0..5)
        .map(|i| text_of(&root, &format!(".main-nav li:nth-child({}) a", i + 1)))
        .collect();
    assert_eq!(
        labels,
        ["Looplijst", "Team", "Plan", "Overleg", "Voortgang"]
    );
    assert_eq!(text_of(&root, "h1"), "Looplijst");

    let switch: web_sys::HtmlElement = root
        .query_selector(".language-switch")
        .expect("selector")
        .expect("switch")
        .unchecked_into();
    assert_eq!(switch.text_content().as_deref(), Some("English"));
    switch.click();
    tick().await;

    assert_eq!(text_of(&root, "h1"), "Walk list");
    assert_eq!(text_of(&root, ".main-nav li:nth-child(4) a"), "Meetings");
    assert_eq!(switch.text_content().as_deref(), Some("Nederlands"));
    let html_lang = document()
        .document_element()
        .and_then(|e| e.get_attribute("lang"));
    assert_eq!(html_lang.as_deref(), Some("en"));
    let saved = web_sys::window()
        .and_then(|w| w.local_storage().ok().flatten())
        .and_then(|s| s.get_item("buurtbel.locale").ok().flatten());
    assert_eq!(saved.as_deref(), Some("en"), "the choice survives a reload");
}

#[wasm_bindgen_test]
async fn navigating_shows_the_chosen_page_and_marks_it_current() {
    plant_session("000000000a02");
    let root = fresh_root();
    let _app = mount_to(root.clone(), App);
    let _ = rendered(&root, "nav.main-nav").await;
    let team: web_sys::HtmlElement = root
        .query_selector(".main-nav a[href='/team']")
        .expect("selector")
        .expect("team link")
        .unchecked_into();
    team.click();
    tick().await;
    assert_eq!(team.get_attribute("aria-current").as_deref(), Some("page"));
    let path = web_sys::window()
        .expect("window")
        .location()
        .pathname()
        .expect("path");
    assert_eq!(path, "/team");
    let h1 = text_of(&root, "h1");
    assert!(h1 == "Team", "team page title, got {h1}");
}
