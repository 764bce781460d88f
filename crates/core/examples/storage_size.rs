//! Prints how many characters a buurt of 5,000 addresses and 15,000 visits takes in browser
//! storage with the compact encoding, against localStorage's quota of about 5 million
//! (Safari's 5 MB). Run: `cargo run -p buurtbel-core --example storage_size`.

use buurtbel_core::compact::encode_ops;
use buurtbel_core::factory::{OpFactory, sample_log};
use buurtbel_core::op::Payload;

fn main() {
    let ops = sample_log(&mut OpFactory::new(1), 5_000, 15_000);
    let (visits, rest): (Vec<_>, Vec<_>) = ops
        .iter()
        .cloned()
        .partition(|op| matches!(op.payload, Payload::VisitLog(_)));
    let addresses: Vec<_> = rest
        .iter()
        .filter(|op| matches!(op.payload, Payload::AddressAdd { .. }))
        .cloned()
        .collect();
    let chunked = |ops: &[buurtbel_core::op::Operation]| {
        ops.chunks(128)
            .map(|c| encode_ops(c).chars().count())
            .sum::<usize>()
    };
    let json = serde_json::to_string(&ops)
        .map(|s| s.chars().count())
        .unwrap_or(0);
    let total = chunked(&ops);
    println!(
        "operations: {} ({} visits, {} addresses)",
        ops.len(),
        visits.len(),
        addresses.len()
    );
    println!("plain JSON:         {json} characters");
    println!(
        "compact, chunks of 128: {total} characters ({:.0}% of 5,000,000)",
        total as f64 / 50_000.0
    );
    println!(
        "per visit:   {:.0} characters",
        chunked(&visits) as f64 / visits.len() as f64
    );
    println!(
        "per address: {:.0} characters",
        chunked(&addresses) as f64 / addresses.len() as f64
    );
}
