//! What the screen tests and benchmarks share: a team's data seeded into IndexedDB, the real
//! app mounted over it, and small helpers to find, tap and type like a user.
#![allow(dead_code)]

use std::rc::Rc;

use buurtbel_app::api_client::ApiClient;
use buurtbel_app::data::Data;
use buurtbel_app::replica::Replica;
use buurtbel_app::session::Session;
use buurtbel_app::storage::IdbStorage;
use buurtbel_core::factory::{OpFactory, sample_log};
use buurtbel_core::ids::TeamId;
use buurtbel_core::op::Operation;
use buurtbel_core::protocol::{Cursor, DeviceCredentials, MemberView, TeamView};
use leptos::prelude::*;
use wasm_bindgen::JsCast;

/// The session of the factory's author in team number `team`.
pub fn session(f: &OpFactory, team: u8) -> Session {
    let author = f.author();
    Session {
        schema: buurtbel_app::session::SCHEMA,
        team: TeamView {
            id: TeamId::new_v7(1_764_000_000_000, [team; 10]),
            name: "Buurtteam Voorbeeld".into(),
            neighbourhood: "Voorbeeld-Noord".into(),
        },
        member: MemberView {
            id: author.member,
            display_name: "Anna".into(),
        },
        device: DeviceCredentials {
            id: author.device,
            token: String::new(),
            admin: true,
        },
        invite: None,
    }
}

/// A fresh database `name` holding `ops`, stored as pulled pages of 1,000.
pub async fn store(name: &str, ops: &[Operation]) -> IdbStorage {
    IdbStorage::delete(name).await.expect("delete");
    let storage = IdbStorage::open(name).await.expect("open");
    for page in ops.chunks(1_000) {
        storage.save_pulled(page, Cursor(0)).await.expect("seed");
    }
    storage
}

/// A buurt of `addresses` addresses and `visits` visits (the sample log: a team of ten, two
/// projects with their step plans), logged over the last day (a visit a second).
pub fn buurt(addresses: usize, visits: usize) -> (OpFactory, Vec<Operation>) {
    let mut f = OpFactory::new(1).at(buurtbel_app::clock::now_ms() - 86_400_000);
    let ops = sample_log(&mut f, addresses, visits);
    (f, ops)
}

/// The app mounted at `path`, over a team whose data is `ops`, in a fresh element. The
/// language is Dutch unless the test chose otherwise.
pub struct Mounted {
    pub root: web_sys::HtmlElement,
    pub data: Data,
    _handle: Box<dyn std::any::Any>,
}

pub async fn mount(name: &str, team: u8, f: &OpFactory, ops: &[Operation], path: &str) -> Mounted {
    drop(store(name, ops).await);
    mount_stored(name, team, f, path).await
}

/// The app mounted at `path` over what database `name` holds (a cold start: the stored log is
/// opened and loaded).
pub async fn mount_stored(name: &str, team: u8, f: &OpFactory, path: &str) -> Mounted {
    let storage = IdbStorage::open(name).await.expect("open");
    let replica = Rc::new(
        Replica::open(storage, ApiClient::anonymous(), f.author().device)
            .await
            .expect("replica"),
    );
    let _ = local_storage().remove_item("buurtbel.locale");
    window()
        .history()
        .expect("history")
        .replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(path))
        .expect("path");
    window().scroll_to_with_x_and_y(0.0, 0.0);
    let session = session(f, team);
    let root = fresh_root();
    let owner = Owner::new();
    let (data, handle) = owner.with(|| {
        let data = Data::attach(session, replica);
        let handle =
            leptos::mount::mount_to(root.clone(), move || buurtbel_app::attached_app(data));
        (data, Box::new(handle) as Box<dyn std::any::Any>)
    });
    std::mem::forget(owner);
    Mounted {
        root,
        data,
        _handle: handle,
    }
}

/// Goes to `path` as a link in the app does (the address bar changes, the router follows).
pub fn go(path: &str) {
    window()
        .history()
        .expect("history")
        .push_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(path))
        .expect("path");
    let _ = window().dispatch_event(&web_sys::Event::new("popstate").expect("event"));
}

/// An empty element to mount into, in place of any a previous test left (a failed test does
/// not unmount its app, and what it left would push this one's list off the screen).
pub fn fresh_root() -> web_sys::HtmlElement {
    // The built site fetches the English texts; here they are handed over as the test starts.
    buurtbel_app::i18n::install_english(include_str!("../../public/en.json")).expect("en.json");
    let document = document();
    let old = document.query_selector_all(".test-root").expect("selector");
    for i in 0..old.length() {
        if let Some(node) = old.item(i) {
            node.unchecked_into::<web_sys::Element>().remove();
        }
    }
    let root = document.create_element("div").expect("create element");
    root.set_class_name("test-root");
    document
        .body()
        .expect("body")
        .append_child(&root)
        .expect("append");
    root.unchecked_into()
}

pub fn local_storage() -> web_sys::Storage {
    window().local_storage().expect("storage").expect("storage")
}

/// Waits `ms` milliseconds.
pub async fn sleep(ms: i32) {
    let wait = js_sys::Promise::new(&mut |resolve, _| {
        let _ = window().set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, ms);
    });
    let _ = wasm_bindgen_futures::JsFuture::from(wait).await;
}

/// Waits for the next frame to be painted (two animation frames: the second starts after the
/// first one's paint).
pub async fn painted() {
    for _ in 0..2 {
        let wait = js_sys::Promise::new(&mut |resolve, _| {
            let _ = window().request_animation_frame(&resolve);
        });
        let _ = wasm_bindgen_futures::JsFuture::from(wait).await;
    }
}

/// Waits (up to five seconds) until `check` holds; panics with `what` if it never does.
pub async fn until(what: &str, mut check: impl FnMut() -> bool) {
    for _ in 0..500 {
        if check() {
            return;
        }
        sleep(10).await;
    }
    panic!("never happened: {what}");
}

/// Waits until the text of `selector` is `expected`; panics with the text seen last.
pub async fn until_text(root: &web_sys::HtmlElement, selector: &str, expected: &str) {
    for _ in 0..500 {
        if text(root, selector) == expected {
            return;
        }
        sleep(10).await;
    }
    panic!(
        "{selector} says {:?}, not {expected:?}",
        text(root, selector)
    );
}

/// Every element under `root` matching `selector`.
pub fn all(root: &web_sys::HtmlElement, selector: &str) -> Vec<web_sys::HtmlElement> {
    let list = root.query_selector_all(selector).expect("valid selector");
    (0..list.length())
        .filter_map(|i| list.item(i))
        .map(|n| n.unchecked_into())
        .collect()
}

/// The first element under `root` matching `selector`, if any.
pub fn find(root: &web_sys::HtmlElement, selector: &str) -> Option<web_sys::HtmlElement> {
    root.query_selector(selector)
        .expect("valid selector")
        .map(|e| e.unchecked_into())
}

/// Waits until `selector` is rendered and returns it.
pub async fn rendered(root: &web_sys::HtmlElement, selector: &str) -> web_sys::HtmlElement {
    until(&format!("{selector} is rendered"), || {
        find(root, selector).is_some()
    })
    .await;
    find(root, selector).expect("rendered")
}

/// The text of the first element matching `selector` ("" when there is none).
pub fn text(root: &web_sys::HtmlElement, selector: &str) -> String {
    find(root, selector)
        .and_then(|e| e.text_content())
        .unwrap_or_default()
}

/// The first element matching `selector` whose text contains `needle`.
pub fn with_text(
    root: &web_sys::HtmlElement,
    selector: &str,
    needle: &str,
) -> Option<web_sys::HtmlElement> {
    all(root, selector)
        .into_iter()
        .find(|e| e.text_content().unwrap_or_default().contains(needle))
}

/// Types `value` into the field `selector` as a user would (an `input` event follows).
pub fn type_into(root: &web_sys::HtmlElement, selector: &str, value: &str) {
    let element = find(root, selector).unwrap_or_else(|| panic!("{selector} is rendered"));
    if let Some(input) = element.dyn_ref::<web_sys::HtmlInputElement>() {
        input.set_value(value);
    } else if let Some(area) = element.dyn_ref::<web_sys::HtmlTextAreaElement>() {
        area.set_value(value);
    } else {
        panic!("{selector} is not a text field");
    }
    let event = web_sys::Event::new("input").expect("event");
    element.dispatch_event(&event).expect("dispatched");
}
