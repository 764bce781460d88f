//! The operation log in IndexedDB, in headless Chromium.
#![cfg(target_arch = "wasm32")]

use buurtbel_app::storage::{IdbStorage, StorageError, js_error};
use buurtbel_core::factory::OpFactory;
use buurtbel_core::op::Operation;
use buurtbel_core::protocol::Cursor;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

async fn fresh(name: &str) -> IdbStorage {
    IdbStorage::delete(name)
        .await
        .expect("delete old test database");
    IdbStorage::open(name).await.expect("open")
}

#[wasm_bindgen_test]
async fn what_was_saved_is_there_after_a_reload() {
    let name = "buurtbel-test-reload";
    let store = fresh(name).await;
    let mut mine = OpFactory::new(1);
    let mut theirs = OpFactory::new(2);
    let made: Vec<Operation> = (1..=3).map(|n| mine.address("Lindelaan", n)).collect();
    for op in &made {
        store
            .save_new(std::slice::from_ref(op))
            .await
            .expect("save");
    }
    store.acknowledge(&[made[0].id]).await.expect("ack");
    let pulled = vec![
        theirs.address("Lindelaan", 10),
        theirs.address("Lindelaan", 12),
    ];
    store.save_pulled(&pulled, Cursor(7)).await.expect("pulled");
    store.close();

    let again = IdbStorage::open(name).await.expect("reopen");
    let loaded = again.load().await.expect("load");
    assert!(loaded.corrupt.is_empty(), "{:?}", loaded.corrupt);
    assert_eq!(loaded.ops.len(), 5);
    assert_eq!(
        loaded.outbox,
        made[1..].to_vec(),
        "unacknowledged, oldest first"
    );
    assert_eq!(loaded.cursor, Cursor(7));
    for op in made.iter().chain(&pulled) {
        assert!(loaded.ops.contains(op), "{op:?} survives exactly");
    }
    again.close();
}

#[wasm_bindgen_test]
async fn the_teams_copy_in_a_pulled_page_wins_over_the_copy_made_here() {
    use buurtbel_app::storage::Reason;
    use buurtbel_core::op::Payload;
    let name = "buurtbel-test-pages-win";
    let store = fresh(name).await;
    let mut mine = OpFactory::new(1);
    let address = mine.address("Lindelaan", 1);
    let Payload::AddressAdd { address: id, .. } = address.payload else {
        unreachable!("an address")
    };
    let mut visit = mine.not_home(id);
    if let Payload::VisitLog(v) = &mut visit.payload {
        v.note = "Praatje over zonnepanelen".into();
    }
    let renamed = mine.address("Lindelaan", 3);
    store
        .save_new(&[address.clone(), visit.clone(), renamed.clone()])
        .await
        .expect("save");
    // This phone stripped its own copy (an erasure the server then refused) and had the
    // rename refused, but the team holds both as sent: a late copy of an earlier push.
    let mut stripped = visit.clone();
    assert!(stripped.strip_personal());
    store.save_new(&[stripped]).await.expect("stripped here");
    let reason = Reason {
        code: "forbidden".into(),
        message: "only an admin".into(),
    };
    store.refuse(renamed.id, &reason).await.expect("refused");
    store
        .save_pulled(
            &[address.clone(), visit.clone(), renamed.clone()],
            Cursor(3),
        )
        .await
        .expect("pulled");
    store.close();

    let again = IdbStorage::open(name).await.expect("reopen");
    let loaded = again.load().await.expect("load");
    assert!(
        loaded.ops.contains(&visit),
        "the team's copy keeps its note"
    );
    assert!(loaded.refused.is_empty(), "the team has it: not refused");
    assert!(loaded.ops.contains(&renamed));
    again.close();
}

#[wasm_bindgen_test]
async fn a_database_of_the_first_schema_is_upgraded_and_keeps_everything() {
    let name = "buurtbel-test-upgrade";
    IdbStorage::delete(name).await.expect("delete");
    let v1 = IdbStorage::open_version(name, 1)
        .await
        .expect("open version 1");
    let mut f = OpFactory::new(5);
    let mine = f.address("Lindelaan", 1);
    let acked = f.address("Lindelaan", 3);
    v1.save_new(&[mine.clone(), acked.clone()])
        .await
        .expect("save");
    v1.acknowledge(&[acked.id]).await.expect("ack");
    v1.close();

    let v2 = IdbStorage::open(name)
        .await
        .expect("upgrade to the current schema");
    let pulled = OpFactory::new(6).address("Lindelaan", 9);
    v2.save_pulled(std::slice::from_ref(&pulled), Cursor(3))
        .await
        .expect("pages store exists after the upgrade");
    let loaded = v2.load().await.expect("load");
    assert!(loaded.corrupt.is_empty(), "{:?}", loaded.corrupt);
    assert_eq!(loaded.outbox, vec![mine.clone()]);
    assert_eq!(loaded.ops.len(), 3);
    for op in [&mine, &acked, &pulled] {
        assert!(loaded.ops.contains(op));
    }
    v2.close();
}

#[wasm_bindgen_test]
async fn a_corrupt_record_is_skipped_and_reported_and_the_rest_loads() {
    let name = "buurtbel-test-corrupt";
    let store = fresh(name).await;
    let mut f = OpFactory::new(3);
    let good = f.address("Lindelaan", 1);
    let pending = f.address("Lindelaan", 2);
    store
        .save_pulled(std::slice::from_ref(&good), Cursor(40))
        .await
        .expect("pulled");
    store
        .save_new(std::slice::from_ref(&pending))
        .await
        .expect("new");
    store
        .put_raw("not-an-operation", "{garbage")
        .await
        .expect("plant");
    // A record under a real id whose content was damaged.
    store
        .put_raw(&pending.id.to_string(), "[1,2,3]")
        .await
        .expect("damage");
    // A pulled page cut off half-way.
    store.put_raw_page("[{\"i\":").await.expect("plant page");

    let loaded = store.load().await.expect("load still works");
    assert_eq!(loaded.ops, vec![good]);
    let mut corrupt = loaded.corrupt.clone();
    corrupt.sort();
    assert_eq!(corrupt.len(), 4, "{corrupt:?}");
    assert!(corrupt.iter().any(|k| k.ends_with("not-an-operation")));
    assert!(corrupt.iter().any(|k| k.starts_with("pages/")));
    assert!(
        corrupt.iter().any(|k| k.starts_with("outbox/")),
        "the damaged outbox entry is named"
    );
    assert_eq!(
        loaded.cursor,
        Cursor(0),
        "everything is fetched again from the server"
    );
    store.close();
}

#[wasm_bindgen_test]
async fn a_database_from_a_newer_app_is_refused_not_damaged() {
    let name = "buurtbel-test-newer";
    IdbStorage::delete(name).await.expect("delete");
    let factory = web_sys::window()
        .expect("window")
        .indexed_db()
        .expect("idb")
        .expect("idb");
    let req = factory.open_with_u32(name, 99).expect("open at 99");
    let db = wasm_bindgen_futures::JsFuture::from(js_sys::Promise::new(&mut |resolve, _| {
        let r = req.clone();
        let cb = wasm_bindgen::closure::Closure::once_into_js(move || {
            let _ = resolve.call1(&wasm_bindgen::JsValue::NULL, &r.result().expect("db"));
        });
        req.set_onsuccess(Some(cb.unchecked_ref()));
    }))
    .await
    .expect("opened");
    db.unchecked_into::<web_sys::IdbDatabase>().close();

    match IdbStorage::open(name).await {
        Err(StorageError::Failed(reason)) => assert!(reason.contains("VersionError"), "{reason}"),
        other => panic!("expected a version error, got {other:?}"),
    }
}

#[wasm_bindgen_test]
fn a_full_quota_is_recognised() {
    let full = web_sys::DomException::new_with_message_and_name("full", "QuotaExceededError")
        .expect("exception");
    assert_eq!(js_error(full.into()), StorageError::QuotaFull);
    let other = web_sys::DomException::new_with_message_and_name("nope", "InvalidStateError")
        .expect("exception");
    assert!(matches!(js_error(other.into()), StorageError::Failed(_)));
    assert_eq!(
        StorageError::QuotaFull.to_string(),
        "the phone's storage for this app is full"
    );
}

#[wasm_bindgen_test]
async fn the_app_can_ask_to_keep_its_data_and_see_how_much_it_uses() {
    let p = buurtbel_app::storage::request_persistence().await;
    let (usage, quota) = (p.usage.expect("usage"), p.quota.expect("quota"));
    assert!(quota > 0.0, "Chromium and Firefox report a quota: {p:?}");
    assert!(usage >= 0.0 && usage <= quota);
    // Chromium answers persist() at once; Firefox asks the user, and unanswered the answer
    // stays unknown after a few seconds instead of holding anything up.
}

#[wasm_bindgen_test]
async fn without_an_estimate_or_persist_the_figures_are_unknown_not_zero() {
    use buurtbel_app::storage::{QuotaLevel, request_persistence};
    // As in WebKitGTK: the Storage API is there, without persist() and estimate().
    let navigator = web_sys::window().expect("window").navigator();
    let storage = js_sys::Reflect::get(&navigator, &"storage".into()).expect("storage");
    let proto = js_sys::Object::get_prototype_of(&storage);
    let saved: Vec<(&str, wasm_bindgen::JsValue)> = ["persist", "estimate"]
        .into_iter()
        .map(|name| {
            (
                name,
                js_sys::Reflect::get(&proto, &name.into()).expect("method"),
            )
        })
        .collect();
    for (name, _) in &saved {
        js_sys::Reflect::delete_property(&proto, &(*name).into()).expect("deleted");
    }
    let p = request_persistence().await;
    for (name, method) in &saved {
        js_sys::Reflect::set(&proto, &(*name).into(), method).expect("restored");
    }
    assert_eq!((p.persisted, p.usage, p.quota), (None, None, None));
    assert_eq!(
        p.level(),
        QuotaLevel::Fine,
        "no storage warning on a missing figure"
    );
    let lines = buurtbel_app::pages::storage_lines(buurtbel_app::i18n::Locale::Nl, &p);
    assert!(lines.iter().all(|l| !l.contains("0.0 MB")), "{lines:?}");
    assert!(lines[0].contains("zegt niet hoeveel"), "{lines:?}");
}

#[wasm_bindgen_test]
async fn a_batch_of_thousands_is_saved_whole_in_order() {
    let name = "buurtbel-test-batch";
    let store = fresh(name).await;
    let mut f = OpFactory::new(7);
    let batch: Vec<Operation> = (1..=1_200).map(|n| f.address("Lindelaan", n)).collect();
    store
        .save_new(&batch)
        .await
        .expect("saved in steps, in one transaction");
    store.close();
    let loaded = IdbStorage::open(name)
        .await
        .expect("reopen")
        .load()
        .await
        .expect("load");
    assert_eq!(loaded.ops.len(), 1_200);
    assert_eq!(
        loaded.outbox, batch,
        "every one waits for the server, in order"
    );
}
