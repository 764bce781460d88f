//! What the app does where an engine lacks a feature: no Web Locks, no BroadcastChannel, no
//! Web Share. Each test takes the feature away in headless Chromium and shows the app still
//! does its work (and tells the user what happened where that matters). The storage estimate
//! and persist() are covered in `tests/storage.rs`. With the channel there, a tab still reading
//! its storage holds what the other tabs say and applies it once it is open.
#![cfg(target_arch = "wasm32")]

mod common;

use std::cell::Cell;
use std::rc::Rc;

use buurtbel_app::api_client::ApiClient;
use buurtbel_app::replica::Replica;
use buurtbel_app::sync_loop::{Tabs, Wake, with_lock};
use common::*;
use wasm_bindgen::JsValue;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

/// Hides `name` on `target` (and its prototype chain) until the returned guard is dropped.
struct Hidden {
    target: JsValue,
    name: &'static str,
    saved: Option<js_sys::Object>,
    owner: JsValue,
}

fn hide(target: JsValue, name: &'static str) -> Hidden {
    // Find the object on the chain that owns the property, so it can be put back as it was.
    let mut owner = target.clone();
    let mut saved = None;
    while owner.is_object() {
        let object: &js_sys::Object = wasm_bindgen::JsCast::unchecked_ref(&owner);
        let descriptor = js_sys::Object::get_own_property_descriptor(object, &name.into());
        if !descriptor.is_undefined() {
            saved = Some(wasm_bindgen::JsCast::unchecked_into(descriptor));
            break;
        }
        owner = js_sys::Object::get_prototype_of(&owner).into();
    }
    if saved.is_some() {
        let object: &js_sys::Object = wasm_bindgen::JsCast::unchecked_ref(&owner);
        js_sys::Reflect::delete_property(object, &name.into()).expect("deleted");
    }
    assert!(
        js_sys::Reflect::get(&target, &name.into())
            .expect("read")
            .is_undefined(),
        "{name} is gone"
    );
    Hidden {
        target,
        name,
        saved,
        owner,
    }
}

impl Drop for Hidden {
    fn drop(&mut self) {
        if let Some(descriptor) = &self.saved {
            let owner: &js_sys::Object = wasm_bindgen::JsCast::unchecked_ref(&self.owner);
            js_sys::Object::define_property(owner, &self.name.into(), descriptor);
        }
        let _ = &self.target;
    }
}

fn navigator() -> JsValue {
    web_sys::window().expect("window").navigator().into()
}

#[wasm_bindgen_test]
async fn without_web_locks_the_sync_work_still_runs() {
    let _gone = hide(navigator(), "locks");
    let ran = Rc::new(Cell::new(false));
    let inside = ran.clone();
    assert!(with_lock("buurtbel-degraded", async move { inside.set(true) }).await);
    assert!(
        ran.get(),
        "without locks each tab syncs for itself; the server keeps it idempotent"
    );
}

#[wasm_bindgen_test]
async fn without_broadcast_channel_a_tab_still_records_and_syncs_through_the_server() {
    let (f, ops) = buurt(3, 3);
    let storage = store("buurtbel-degraded-tabs", &ops).await;
    let replica = Rc::new(
        Replica::open(storage, ApiClient::anonymous(), f.author().device)
            .await
            .expect("replica"),
    );
    let _gone = hide(
        web_sys::window().expect("window").into(),
        "BroadcastChannel",
    );
    let tabs = Tabs::open("buurtbel-degraded");
    tabs.attach(replica.clone(), Rc::new(Wake::default()));
    // Telling the other tabs is a no-op; nothing fails, and the change waits for the server.
    let mut f = f;
    let op = f.op(buurtbel_core::op::Payload::TeamUpdate {
        name: Some("Buurtteam Noord".into()),
        neighbourhood: None,
    });
    replica.record(op.clone()).await.expect("recorded");
    tabs.recorded(&[op]).await;
    assert_eq!(replica.waiting(), 1);
    assert_eq!(
        replica.state().team.name.value,
        "Buurtteam Noord",
        "shown in this tab at once"
    );
}

#[wasm_bindgen_test]
async fn a_tab_still_reading_its_storage_misses_nothing_another_tab_records() {
    let (mut f, ops) = buurt(2, 0);
    let storage = store("buurtbel-tabs-late", &ops).await;
    // The tab listens first, as the app opens a team, then reads its storage; meanwhile
    // another tab records a change and says so.
    let listening = Tabs::open("buurtbel-tabs-late");
    let other = Tabs::open("buurtbel-tabs-late");
    let op = f.op(buurtbel_core::op::Payload::TeamUpdate {
        name: Some("Buurtteam Noord".into()),
        neighbourhood: None,
    });
    other.recorded(&[op]).await;
    sleep(50).await;
    let replica = Rc::new(
        Replica::open(storage, ApiClient::anonymous(), f.author().device)
            .await
            .expect("replica"),
    );
    assert_ne!(
        replica.state().team.name.value,
        "Buurtteam Noord",
        "not in what it read"
    );
    listening.attach(replica.clone(), Rc::new(Wake::default()));
    assert_eq!(replica.state().team.name.value, "Buurtteam Noord");
    assert_eq!(
        replica.waiting(),
        1,
        "and it waits to be sent from here too"
    );
}

#[wasm_bindgen_test]
async fn without_web_share_the_text_goes_to_the_clipboard_and_the_user_is_told() {
    let navigator = navigator();
    let _share = hide(navigator.clone(), "share");
    // A clipboard that records what it is given (the test runner's page has no permission).
    let clipboard = js_sys::Object::new();
    let copied = js_sys::Array::new();
    let write = js_sys::Function::new_with_args(
        "text",
        "this.copied.push(text); return Promise.resolve();",
    );
    js_sys::Reflect::set(&clipboard, &"copied".into(), &copied).expect("set");
    js_sys::Reflect::set(&clipboard, &"writeText".into(), &write).expect("set");
    let _real = hide(navigator.clone(), "clipboard");
    let descriptor = js_sys::Object::new();
    js_sys::Reflect::set(&descriptor, &"value".into(), &clipboard).expect("set");
    js_sys::Reflect::set(&descriptor, &"configurable".into(), &JsValue::TRUE).expect("set");
    let target: &js_sys::Object = wasm_bindgen::JsCast::unchecked_ref(&navigator);
    js_sys::Object::define_property(target, &"clipboard".into(), &descriptor);
    let told = Rc::new(Cell::new(false));
    let told_inside = told.clone();
    buurtbel_app::components::share_or_copy(
        "Verslag teamoverleg".into(),
        Some("https://buurtbel.example/join/ABCD-EFGH".into()),
        move || told_inside.set(true),
    );
    until("the clipboard has the text", || copied.length() == 1).await;
    until("the user is told", || told.get()).await;
    assert_eq!(
        copied.get(0).as_string().as_deref(),
        Some("Verslag teamoverleg\nhttps://buurtbel.example/join/ABCD-EFGH")
    );
    js_sys::Reflect::delete_property(target, &"clipboard".into()).expect("deleted");
}
