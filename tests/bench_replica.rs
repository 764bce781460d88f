//! Benchmark in headless Chromium (`make bench` runs it; `make test` does not), with 5,000
//! addresses and 15,000 visits stored: logging a visit, logging a visit and re-deriving the
//! walk list, the funnels and the follow-ups through the data layer's memos, importing 5,000
//! addresses in one batch (total time and the longest stretch the main thread was blocked), a
//! cold load, and the bytes a visit and an address take in storage. Prints figures; asserts
//! nothing about speed.
#![cfg(target_arch = "wasm32")]

use std::cell::Cell;
use std::rc::Rc;

use buurtbel_app::api_client::ApiClient;
use buurtbel_app::data::{Data, Views};
use buurtbel_app::replica::{Replica, Transport};
use buurtbel_app::session::Session;
use buurtbel_app::storage::IdbStorage;
use buurtbel_core::compact::encode_op;
use buurtbel_core::factory::{OpFactory, sample_log};
use buurtbel_core::ids::{AddressId, TeamId};
use buurtbel_core::op::Payload;
use buurtbel_core::protocol::{DeviceCredentials, MemberView, TeamView};
use buurtbel_core::protocol::{PullRequest, PullResponse, PushRequest, PushResponse};
use buurtbel_core::state::State;
use buurtbel_core::sync::Failure;
use leptos::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen::closure::Closure;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

struct Offline;

impl Transport for Offline {
    async fn push(&self, _: &PushRequest) -> Result<PushResponse, Failure> {
        Err(Failure::Offline)
    }
    async fn pull(&self, _: &PullRequest) -> Result<PullResponse, Failure> {
        Err(Failure::Offline)
    }
}

fn now() -> f64 {
    web_sys::window()
        .and_then(|w| w.performance())
        .map_or(0.0, |p| p.now())
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
    sorted[((sorted.len() as f64 - 1.0) * p).round() as usize]
}

/// A fresh database `name` holding a buurt of 5,000 addresses and 15,000 visits, as pulled
/// pages of 1,000 operations.
async fn seeded(name: &str) -> (OpFactory, Vec<buurtbel_core::op::Operation>, IdbStorage) {
    IdbStorage::delete(name).await.expect("delete");
    let mut f = OpFactory::new(1).at(buurtbel_app::clock::now_ms());
    let ops = sample_log(&mut f, 5_000, 15_000);
    let storage = IdbStorage::open(name).await.expect("open");
    for page in ops.chunks(1_000) {
        storage
            .save_pulled(page, buurtbel_core::protocol::Cursor(0))
            .await
            .expect("seed");
    }
    (f, ops, storage)
}

#[wasm_bindgen_test]
async fn bench_replica_in_chromium() {
    let name = "buurtbel-bench";
    let (mut f, ops, storage) = seeded(name).await;
    let visits: Vec<_> = ops
        .iter()
        .filter(|o| matches!(o.payload, Payload::VisitLog(_)))
        .collect();
    let addresses: Vec<_> = ops
        .iter()
        .filter(|o| matches!(o.payload, Payload::AddressAdd { .. }))
        .collect();
    let bytes = |list: &[&buurtbel_core::op::Operation]| {
        list.iter().map(|o| encode_op(o).len()).sum::<usize>() as f64 / list.len() as f64
    };
    storage.close();
    let encoded: Vec<String> = ops.iter().map(encode_op).collect();
    let t = now();
    let decoded = encoded
        .iter()
        .filter(|e| buurtbel_core::compact::decode_op(e).is_ok())
        .count();
    let decode_only = now() - t;

    let t = now();
    let storage = IdbStorage::open(name).await.expect("open");
    let loaded = storage.load().await.expect("load");
    let read = now() - t;
    let t = now();
    let state = State::fold(&loaded.ops);
    let folded = now() - t;
    let replica = Replica::open(storage, Offline, f.author().device)
        .await
        .expect("replica");

    let address = *state.addresses.keys().next().expect("address");
    let mut times = Vec::new();
    for _ in 0..200 {
        f.advance_ms(1_000);
        let op = f.not_home(address);
        let t = now();
        replica.record(op).await.expect("saved");
        times.push(now() - t);
    }
    times.sort_by(f64::total_cmp);
    console_log!(
        "replica in Chromium, {} visits and {} addresses stored:",
        state.visits.len(),
        state.addresses.len()
    );
    console_log!(
        "  log a visit (save + apply), 200 times: p50 {:.2} ms, p95 {:.2} ms, max {:.2} ms",
        percentile(&times, 0.5),
        percentile(&times, 0.95),
        times[times.len() - 1]
    );
    console_log!(
        "  cold load: read and decode {} operations in pages of 1,000 {:.0} ms + fold {:.0} ms = {:.0} ms",
        loaded.ops.len(),
        read,
        folded,
        read + folded
    );
    console_log!(
        "  for comparison, decoding {decoded} operations one record each: {:.0} ms",
        decode_only
    );
    console_log!(
        "  stored size: {:.0} bytes per visit, {:.0} bytes per address (compact, inside a page)",
        bytes(&visits),
        bytes(&addresses)
    );
}

/// The longest gap between runs of a zero-delay timer while it runs: the longest stretch the
/// main thread was busy with something else.
struct BlockProbe {
    longest: Rc<Cell<f64>>,
    running: Rc<Cell<bool>>,
}

impl BlockProbe {
    fn start() -> BlockProbe {
        let longest = Rc::new(Cell::new(0.0));
        let running = Rc::new(Cell::new(true));
        fn tick(last: f64, longest: Rc<Cell<f64>>, running: Rc<Cell<bool>>) {
            let t = now();
            longest.set(longest.get().max(t - last));
            if !running.get() {
                return;
            }
            let scheduled = now();
            let next = Closure::once_into_js(move || tick(scheduled, longest, running));
            let _ = web_sys::window()
                .expect("window")
                .set_timeout_with_callback_and_timeout_and_arguments_0(next.unchecked_ref(), 0);
        }
        tick(now(), longest.clone(), running.clone());
        BlockProbe { longest, running }
    }

    fn stop(self) -> f64 {
        self.running.set(false);
        self.longest.get()
    }
}

async fn sleep(ms: i32) {
    let wait = js_sys::Promise::new(&mut |resolve, _| {
        let _ = web_sys::window()
            .expect("window")
            .set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, ms);
    });
    let _ = wasm_bindgen_futures::JsFuture::from(wait).await;
}

fn session(f: &OpFactory) -> Session {
    let author = f.author();
    Session {
        schema: buurtbel_app::session::SCHEMA,
        team: TeamView {
            id: TeamId::new_v7(1_764_000_000_000, [7; 10]),
            name: "Buurtteam Voorbeeld".into(),
            neighbourhood: "Voorbeeld-Noord".into(),
        },
        member: MemberView {
            id: author.member,
            display_name: "Ambassadeur 1".into(),
        },
        device: DeviceCredentials {
            id: author.device,
            token: String::new(),
            admin: true,
        },
        invite: None,
    }
}

#[wasm_bindgen_test]
async fn bench_views_and_import_in_chromium() {
    let name = "buurtbel-bench-views";
    let (mut f, _, storage) = seeded(name).await;
    let replica = Rc::new(
        Replica::open(storage, ApiClient::anonymous(), f.author().device)
            .await
            .expect("replica"),
    );
    let owner = Owner::new();
    owner.set();
    let data = Data::attach(session(&f), replica.clone());
    let views = Views::new(data);
    // What the walk list, the dashboard and the follow-ups read.
    let read = move || {
        (
            views.walk_order.with(Vec::len),
            views.statuses.with(|s| s.by_address.len()),
            views.funnels.with(|f| f.by_project.len()),
            views.follow_ups.with(|f| f.len()),
        )
    };
    let t = now();
    let first = read();
    let first_derive = now() - t;
    let addresses: Vec<AddressId> = replica.with_state(|s| s.addresses.keys().copied().collect());
    let mut parts = [0.0f64; 4];
    for i in 0..50 {
        let payload = f.not_home(addresses[i * 13 % addresses.len()]).payload;
        data.record(payload).await.expect("recorded");
        let t = now();
        views.statuses.with(|s| s.by_address.len());
        parts[0] += now() - t;
        let t = now();
        views.funnels.with(|s| s.by_project.len());
        parts[1] += now() - t;
        let t = now();
        views.follow_ups.with(|s| s.len());
        parts[2] += now() - t;
        let t = now();
        views.walk_order.with(|s| s.len());
        parts[3] += now() - t;
    }
    console_log!(
        "  per memo, mean of 50: statuses {:.1} ms, funnels {:.1} ms, follow-ups {:.1} ms, walk order {:.1} ms",
        parts[0] / 50.0,
        parts[1] / 50.0,
        parts[2] / 50.0,
        parts[3] / 50.0
    );
    let mut times = Vec::new();
    for i in 0..200 {
        let payload = f.not_home(addresses[i * 17 % addresses.len()]).payload;
        let t = now();
        data.record(payload).await.expect("recorded");
        let after = read();
        times.push(now() - t);
        assert_eq!(after.0, first.0, "the walk order is the same");
    }
    times.sort_by(f64::total_cmp);
    console_log!("data layer in Chromium, 5,000 addresses and 15,000 visits stored:");
    console_log!(
        "  first derivation of walk order, statuses, funnels and follow-ups: {:.1} ms",
        first_derive
    );
    console_log!(
        "  log a visit and re-derive the walk list, the funnels and the follow-ups, 200 times: p50 {:.2} ms, p95 {:.2} ms, max {:.2} ms",
        percentile(&times, 0.5),
        percentile(&times, 0.95),
        times[times.len() - 1]
    );

    // Importing 5,000 addresses: one batch, one transaction.
    let import: Vec<Payload> = (0..5_000u32)
        .map(|i| Payload::AddressAdd {
            address: f.id(AddressId::new_v7),
            street: format!("Importstraat {}", i / 100 + 1),
            number: i % 100 + 1,
            letter: String::new(),
            addition: String::new(),
            postcode: "3581 BA".into(),
        })
        .collect();
    sleep(50).await;
    let probe = BlockProbe::start();
    let t = now();
    data.record_many(import).await.expect("imported");
    let import_ms = now() - t;
    sleep(20).await;
    let longest = probe.stop();
    let t = now();
    let walk = read().0;
    let derive_ms = now() - t;
    console_log!(
        "  import 5,000 addresses in one batch (stamp, check, apply, save in one transaction, tell other tabs): {:.0} ms, longest main-thread block {:.0} ms",
        import_ms,
        longest,
    );
    console_log!(
        "  then re-derive the walk list ({} addresses now), statuses, funnels and follow-ups: {:.0} ms",
        walk,
        derive_ms
    );
}
