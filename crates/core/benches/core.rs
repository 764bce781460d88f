//! Core benchmarks: `make bench` prints their figures (divan). Goals (docs/ARCHITECTURE.md):
//! fold of 100,000 operations under 100 ms; applying one operation to a state holding 10,000
//! visits under 50 µs.

use buurtbel_core::factory::{OpFactory, sample_log};
use buurtbel_core::op::Operation;
use buurtbel_core::state::State;
use divan::counter::{BytesCount, ItemsCount};
use divan::{Bencher, black_box};

fn main() {
    divan::main();
}

fn log(addresses: usize, visits: usize) -> Vec<Operation> {
    sample_log(&mut OpFactory::new(1), addresses, visits)
}

/// Folding a whole log: what a device does on a cold start from its stored operations.
#[divan::bench(sample_count = 10)]
fn fold_100k_operations(bencher: Bencher) {
    let mut ops = log(5_000, 100_000);
    ops.truncate(100_000);
    bencher
        .counter(ItemsCount::new(ops.len()))
        .bench(|| State::fold(black_box(&ops)));
}

/// Logging one visit when 10,000 are stored: the doorstep hot path.
#[divan::bench(sample_count = 200)]
fn apply_one_visit_to_10k_visits(bencher: Bencher) {
    let ops = log(5_000, 10_000);
    let state = State::fold(&ops);
    let mut phone = OpFactory::new(2);
    let address = state.addresses.keys().next().copied().expect("addresses");
    bencher
        .with_inputs(|| {
            let op = phone.not_home(address);
            (state.clone(), op)
        })
        .bench_local_refs(|(state, op)| state.apply(op));
}

/// Encoding 10,000 operations as JSON (a large push, or storing them).
#[divan::bench(sample_count = 20)]
fn json_encode_10k_operations(bencher: Bencher) {
    let ops = log(1_000, 9_000);
    let bytes = serde_json::to_vec(&ops).expect("encode").len();
    bencher
        .counter(BytesCount::new(bytes))
        .bench(|| serde_json::to_vec(black_box(&ops)));
}

/// Decoding and validating 10,000 operations from JSON (a large pull).
#[divan::bench(sample_count = 20)]
fn json_decode_validate_10k_operations(bencher: Bencher) {
    let ops = log(1_000, 9_000);
    let json = serde_json::to_vec(&ops).expect("encode");
    bencher.counter(BytesCount::new(json.len())).bench(|| {
        let decoded: Vec<Operation> = serde_json::from_slice(black_box(&json)).expect("decode");
        decoded.iter().all(|op| op.validate().is_ok())
    });
}
