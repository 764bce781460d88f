//! The replica (IndexedDB + sync engine) against a model of the server's rules, in Chromium.
#![cfg(target_arch = "wasm32")]

use std::cell::RefCell;
use std::rc::Rc;

use buurtbel_app::replica::{Replica, Transport};
use buurtbel_app::storage::IdbStorage;
use buurtbel_core::domain::{Channel, ConsentPurpose, Outcome};
use buurtbel_core::factory::OpFactory;
use buurtbel_core::ids::{AddressId, ConsentId, VisitId};
use buurtbel_core::op::{ConsentGive, Operation, Payload, VisitLog};
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
            return Err(Failure::Rejected {
                op: bad.id,
                code: "invalid_operation".into(),
                reason: "not a valid street".into(),
            });
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
    buurtbel_app::clock::now_ms()
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
    assert_eq!(phone.refused()[0].op, bad);
    assert_eq!(phone.refused()[0].reason.message, "not a valid street");
    assert_eq!(
        net.0.borrow().server.log.len(),
        1,
        "the other operation reached the server"
    );
    assert_eq!(phone.waiting(), 0);
    assert_eq!(phone.state().addresses.len(), 1, "the team never got it");

    // After a restart it is still there to be seen, out of the state, and not sent again.
    let pushes = net.0.borrow().pushes;
    let again = replica("buurtbel-test-replica-refused", &net, &f).await;
    assert_eq!(again.refused(), phone.refused());
    assert_eq!((again.waiting(), again.state()), (0, phone.state()));
    again.trigger(now());
    again.sync(now, || 0, |_| {}).await;
    assert_eq!(net.0.borrow().pushes, pushes, "nothing sent again");
    again.discard(bad.id).await.expect("discarded");
    let last = replica("buurtbel-test-replica-refused", &net, &f).await;
    assert!(last.refused().is_empty());
    assert!(
        !raw("buurtbel-test-replica-refused")
            .await
            .contains("Weigerstraat")
    );
}

fn visit(f: &mut OpFactory, address: AddressId, note: &str) -> Operation {
    let visit = f.id(VisitId::new_v7);
    let at_ms = f.now_ms();
    f.op(Payload::VisitLog(VisitLog {
        visit,
        address,
        at_ms,
        outcome: Outcome::Interested,
        interests: Default::default(),
        pledges: Default::default(),
        join_team: None,
        note: note.into(),
        follow_up: None,
        flyer: false,
        online: false,
    }))
}

/// Every text value in the phone's database, read raw.
async fn raw(name: &str) -> String {
    let storage = IdbStorage::open(name).await.expect("open");
    let values = storage.raw_values().await.expect("read raw");
    storage.close();
    values.join("\n")
}

#[wasm_bindgen_test]
async fn an_erasure_leaves_none_of_the_residents_data_in_the_phones_database() {
    let net = Net::default();
    net.0.borrow_mut().online = true;
    let mut anna = OpFactory::new(5).at(now());
    let mut piet = OpFactory::new(6).at(now());
    let name = "buurtbel-test-replica-erasure";
    let phone = fresh(name, &net, &anna).await;
    let add = anna.address("Lindelaan", 7);
    let Payload::AddressAdd { address, .. } = add.payload else {
        unreachable!("an address")
    };
    phone.record(add).await.expect("address");
    phone
        .record(visit(&mut anna, address, "Mevrouw Jansen, slecht ter been"))
        .await
        .expect("visit");
    let consent = anna.id(ConsentId::new_v7);
    let given_at_ms = anna.now_ms();
    phone
        .record(anna.op(Payload::ConsentGive(ConsentGive {
            consent,
            address,
            purposes: [ConsentPurpose::ProjectUpdates].into(),
            channels: [Channel::Email, Channel::Phone].into(),
            name: "Mevrouw Jansen".into(),
            phone: "06 1234 5678".into(),
            email: "jansen@example.nl".into(),
            given_at_ms,
        })))
        .await
        .expect("consent");
    // Another phone's note arrives in a pulled page.
    let theirs = visit(&mut piet, address, "Jansen wil de AED bij de bakker");
    net.0.borrow_mut().server.push(&PushRequest {
        protocol_version: buurtbel_core::protocol::PROTOCOL_VERSION,
        device: piet.author().device,
        ops: vec![theirs],
    });
    phone.trigger(now());
    phone.sync(now, || 0, |_| {}).await;
    let before = raw(name).await;
    for text in [
        "slecht ter been",
        "06 1234 5678",
        "jansen@example.nl",
        "bij de bakker",
    ] {
        assert!(before.contains(text), "{text} is stored before the erasure");
    }

    // A second phone holds the same data in its own database.
    let other_name = "buurtbel-test-replica-erasure-2";
    let other = fresh(other_name, &net, &piet).await;
    other.trigger(now());
    other.sync(now, || 0, |_| {}).await;
    assert!(raw(other_name).await.contains("slecht ter been"));

    anna.advance_ms(1_000);
    phone
        .record(anna.op(Payload::EraseResident { address }))
        .await
        .expect("erased");
    let after = raw(name).await;
    for text in [
        "Jansen",
        "slecht ter been",
        "06 1234 5678",
        "jansen@example.nl",
        "bij de bakker",
    ] {
        assert!(
            !after.contains(text),
            "{text} is gone from the phone's database"
        );
    }
    assert_eq!(
        phone.state().visits.len(),
        2,
        "the visits themselves remain"
    );

    // The erasure reaches the second phone by pulling, and its stored copies too.
    phone.trigger(now());
    phone.sync(now, || 0, |_| {}).await;
    other.trigger(now());
    other.sync(now, || 0, |_| {}).await;
    let theirs = raw(other_name).await;
    for text in ["Jansen", "slecht ter been", "06 1234 5678", "bij de bakker"] {
        assert!(
            !theirs.contains(text),
            "{text} is gone from the second phone too"
        );
    }
}
