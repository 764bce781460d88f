// Shared by the fuzz target and by `tests/fuzz_regressions.rs` (through `include!`): decode
// untrusted bytes, validate, apply, and check the invariants that must hold for any input.

/// Runs decode + validate + apply on `bytes`; panics only if an invariant breaks.
pub fn check(bytes: &[u8]) {
    use buurtbel_core::state::State;
    use buurtbel_core::validate::{decode_operation, decode_operations};

    let mut ops = match decode_operations(bytes) {
        Ok(ops) => ops,
        Err(_) => match decode_operation(bytes) {
            Ok(op) => vec![op],
            Err(_) => return,
        },
    };
    // Valid operations survive an encode/decode round trip unchanged.
    for op in &ops {
        let json = serde_json::to_vec(op).expect("a valid operation encodes");
        let back = decode_operation(&json).expect("an encoded valid operation decodes");
        assert_eq!(&back, op, "round trip");
    }
    // An operation id names one operation (the server refuses a different operation under a
    // known id), so replicas never hold two operations with one id: keep the first.
    let mut seen = std::collections::BTreeSet::new();
    ops.retain(|op| seen.insert(op.id));
    // Applying in any order (here: forward, and backward with every operation twice) converges.
    let forward = State::fold(&ops);
    let mut backward = State::default();
    for op in ops.iter().rev() {
        backward.apply(op);
        backward.apply(op);
    }
    assert_eq!(forward, backward, "order and duplicates must not matter");
    // Checking references never panics, whatever the state.
    for op in &ops {
        let _ = forward.check_references(op);
    }
}
