//! The replica (IndexedDB + sync engine) against a model of the server's rules, in Chromium.
#![cfg(target_arch = "wasm32")]

use std::cell::RefCell;
use std::rc::Rc;

use buurtbel_app::replica::{Replica, Transport};
use buurtbel_app::storage::IdbStorage;
use buurtbel_core::factory::OpFactory;
use buurtbel_core::op::Payload;
use buurtbel_core::protocol::{PullRequest, PullResponse, PushRequest, PushResponse};
use buurtbel_core::sync::{Failure, ModelServer, SyncStatus};
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

/// The server's rules (core's model server) behind a switch for the connection and a street
/// name the server refuses.
#[derive(Default)]
struct Model {
    server: ModelServer,
    online: bool,
    pushes: usize,
}

#[derive(Clone, Default)]
struct Net(Rc<RefCell<Model>>);

impl Transport for Net {
    async fn push(&self, request: &PushRequest) -> Result<PushResponse, Failure> {
        let mut m = self.0.borrow_mut();
        if !m.online {
            return Err(Failure::Offline);
        }
        if let Some(bad) = request.ops.iter().find(
            |op| matches!(&op.payload, Payload::AddressAdd { street, .. } if street == "Weigerstraat"),
        ) {
            return Err(Failure::Rejected { op: bad.id, reason: "not a valid street".into() });
        }
        m.pushes += 1;
        Ok(m.server.push(request))
    }

    async fn pull(&self, request: &PullRequest) -> Result<PullResponse, Failure> {
        let m = self.0.borrow();
        if !m.online {
            return Err(Failure::Offline);
        }
        Ok(m.server.pull(request))
    }
}

async fn replica(name: &str, net: &Net, f: &OpFactory) -> Replica<Net> {
    let storage = IdbStorage::open(name).await.expect("open");
    Replica::open(storage, net.clone(), f.author().device)
        .await
        .expect("replica")
}

async fn fresh(name: &str, net: &Net, f: &OpFactory) -> Replica<Net> {
    IdbStorage::delete(name).await.expect("delete");
    replica(name, net, f).await
}

fn now() -> u64 {
    js_sys::Date::now() as u64
}

#[wasm_bindgen_test]
async fn offline_writes_are_pushed_exactly_once_after_reconnecting() {
    let net = Net::default();
    let mut f = OpFactory::new(1).at(now());
    let phone = fresh("buurtbel-test-replica-offline", &net, &f).await;
    for n in 1..=3 {
        phone
            .record(f.address("Lindelaan", n))
            .await
            .expect("saved");
    }
    assert_eq!(phone.state().addresses.len(), 3, "shown at once, offline");
    phone.trigger(now());
    phone.sync(now, || 0, |_| {}).await;
    assert_eq!(phone.status(), SyncStatus::Offline { waiting: 3 });
    assert!(net.0.borrow().server.log.is_empty());

    net.0.borrow_mut().online = true;
    phone.trigger(now());
    phone.sync(now, || 0, |_| {}).await;
    assert_eq!(
        net.0.borrow().server.log.len(),
        3,
        "each operation stored once"
    );
    assert_eq!(phone.waiting(), 0);
    assert!(matches!(phone.status(), SyncStatus::Synced { .. }));

    // After a reload nothing is waiting and nothing is pushed again.
    let again = replica("buurtbel-test-replica-offline", &net, &f).await;
    assert_eq!(again.waiting(), 0);
    assert_eq!(again.state(), phone.state());
    let pushes = net.0.borrow().pushes;
    again.trigger(now());
    again.sync(now, || 0, |_| {}).await;
    assert_eq!(net.0.borrow().pushes, pushes, "no push without changes");
}

#[wasm_bindgen_test]
async fn two_devices_with_their_own_storage_converge() {
    let net = Net::default();
    net.0.borrow_mut().online = true;
    let mut fa = OpFactory::new(2).at(now());
    let mut fb = OpFactory::new(3).at(now());
    let anna = fresh("buurtbel-test-replica-a", &net, &fa).await;
    let piet = fresh("buurtbel-test-replica-b", &net, &fb).await;
    anna.record(fa.address("Lindelaan", 1)).await.expect("a");
    piet.record(fb.address("Eikenstraat", 2)).await.expect("b");
    piet.record(fb.address("Eikenstraat", 4)).await.expect("b");
    for replica in [&anna, &piet] {
        replica.trigger(now());
        replica.sync(now, || 0, |_| {}).await;
    }
    anna.trigger(now());
    anna.sync(now, || 0, |_| {}).await;
    assert_eq!(anna.state(), piet.state());
    assert_eq!(anna.state().addresses.len(), 3);
}

#[wasm_bindgen_test]
async fn an_operation_the_server_refuses_is_set_aside_and_the_rest_goes_on() {
    let net = Net::default();
    net.0.borrow_mut().online = true;
    let mut f = OpFactory::new(4).at(now());
    let phone = fresh("buurtbel-test-replica-refused", &net, &f).await;
    let bad = f.address("Weigerstraat", 1);
    phone.record(bad.clone()).await.expect("saved");
    phone
        .record(f.address("Lindelaan", 2))
        .await
        .expect("saved");
    phone.trigger(now());
    phone.sync(now, || 0, |_| {}).await;
    assert_eq!(phone.refused().len(), 1);
    assert_eq!(phone.refused()[0].0, bad);
    assert_eq!(phone.refused()[0].1, "not a valid street");
    assert_eq!(
        net.0.borrow().server.log.len(),
        1,
        "the other operation reached the server"
    );
    assert_eq!(phone.waiting(), 0);
}
