//! Every input under `tests/fuzz-regressions` (seeds and any crasher the fuzzer ever found)
//! goes through the fuzz target's checks on every `cargo test`.

include!("../fuzz/check.rs");

#[test]
fn every_kept_fuzz_input_passes() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fuzz-regressions");
    let mut count = 0;
    for entry in std::fs::read_dir(&dir).expect("regression folder") {
        let path = entry.expect("entry").path();
        let bytes = std::fs::read(&path).expect("readable input");
        check(&bytes);
        count += 1;
    }
    assert!(
        count >= 10,
        "the regression inputs are present ({count} found)"
    );
}

#[test]
fn the_wire_fixtures_pass_the_fuzz_checks() {
    let ops = std::fs::read(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/operations.json"),
    )
    .expect("fixture");
    check(&ops);
    let decoded = buurtbel_core::validate::decode_operations(&ops).expect("fixtures are valid");
    assert_eq!(decoded.len(), 46);
}
