//! Benchmark in headless Chromium (`make bench` runs it; `make test` does not): logging a visit
//! with 10,000 visits stored, a cold load of 15,000 visits and 5,000 addresses, and the bytes a
//! visit and an address take in storage. Prints figures; asserts nothing about speed.
#![cfg(target_arch = "wasm32")]

use buurtbel_app::replica::{Replica, Transport};
use buurtbel_app::storage::IdbStorage;
use buurtbel_core::compact::encode_op;
use buurtbel_core::factory::{OpFactory, sample_log};
use buurtbel_core::op::Payload;
use buurtbel_core::protocol::{PullRequest, PullResponse, PushRequest, PushResponse};
use buurtbel_core::state::State;
use buurtbel_core::sync::Failure;
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

#[wasm_bindgen_test]
async fn bench_replica_in_chromium() {
    let name = "buurtbel-bench";
    IdbStorage::delete(name).await.expect("delete");
    let mut f = OpFactory::new(1).at(js_sys::Date::now() as u64);
    let ops = sample_log(&mut f, 5_000, 15_000);
    let storage = IdbStorage::open(name).await.expect("open");
    for page in ops.chunks(1_000) {
        storage
            .save_pulled(page, buurtbel_core::protocol::Cursor(0))
            .await
            .expect("seed");
    }
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
