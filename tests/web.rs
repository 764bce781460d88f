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

fn fresh_root() -> web_sys::HtmlElement {
    let document = document();
    let root = document.create_element("div").expect("create element");
    document
        .body()
        .expect("body")
        .append_child(&root)
        .expect("append");
    root.unchecked_into()
}

fn text_of(root: &web_sys::HtmlElement, selector: &str) -> String {
    root.query_selector(selector)
        .expect("valid selector")
        .unwrap_or_else(|| panic!("{selector} is rendered"))
        .text_content()
        .unwrap_or_default()
}

#[wasm_bindgen_test]
async fn the_app_renders_its_navigation_in_dutch_and_switches_to_english() {
    let _ = web_sys::window()
        .expect("window")
        .local_storage()
        .expect("storage")
        .expect("storage")
        .remove_item("buurtbel.locale");
    let root = fresh_root();
    let _app = mount_to(root.clone(), App);
    tick().await;

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
    let root = fresh_root();
    let _app = mount_to(root.clone(), App);
    tick().await;
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
