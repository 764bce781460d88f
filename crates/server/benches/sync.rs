//! Sync server benchmark (`make bench` prints its figures; it asserts nothing).
//!
//! The real server binary on 127.0.0.1 with SQLite in a temporary folder:
//! 1. 50 simulated devices push batches of operations concurrently and pull now and then:
//!    operations stored per second, p50 and p99 request latency.
//! 2. A full sync of 10,000 pending operations: one device pushes them in pages of 1,000, a new
//!    device pulls them all.
//! 3. The worst case of erasure: one address with 2,000 visits that carry notes, erased 50
//!    times over (each erasure holds the one writer every team waits for).

#[path = "../tests/common/mod.rs"]
mod common;

use std::time::{Duration, Instant};

use buurtbel_core::ids::{AddressId, VisitId};
use buurtbel_core::op::{Operation, Payload, VisitLog};
use buurtbel_core::protocol::{Cursor, PushResponse};
use common::{Client, Device, TempDir, start_binary_with};

const DEVICES: usize = 50;
const BATCHES: usize = 20;
const BATCH: usize = 100;

fn visit_ops(d: &mut Device, n: usize) -> Vec<Operation> {
    let address = d.factory.id(AddressId::new_v7);
    let mut ops = vec![d.op(Payload::AddressAdd {
        address,
        street: "Benchlaan".into(),
        number: 1,
        letter: String::new(),
        addition: String::new(),
        postcode: "3581 BA".into(),
    })];
    while ops.len() < n {
        let visit = d.factory.id(VisitId::new_v7);
        let at_ms = d.factory.now_ms();
        ops.push(d.op(Payload::VisitLog(VisitLog {
            visit,
            address,
            at_ms,
            outcome: buurtbel_core::domain::Outcome::NotHome,
            interests: Default::default(),
            pledges: Default::default(),
            join_team: None,
            note: "Niet thuis, briefje in de bus".into(),
            follow_up: None,
            flyer: false,
            online: false,
        })));
    }
    ops
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    sorted[((sorted.len() as f64 - 1.0) * p).round() as usize]
}

async fn push(d: &Device, ops: &[Operation]) -> PushResponse {
    d.push(ops)
        .await
        .unwrap_or_else(|a| panic!("push refused: {} {:?}", a.status, a.body))
}

/// Every device pushes its batches (paced by `interval`, or as fast as it can) and pulls after
/// every fifth push; prints throughput and latency, and hands the devices back.
async fn run_round(
    work: Vec<(Device, Vec<Vec<Operation>>)>,
    interval: Option<Duration>,
    what: &str,
) -> Vec<Device> {
    let started = Instant::now();
    let count = work.len();
    let mut tasks = Vec::new();
    for (index, (d, batches)) in work.into_iter().enumerate() {
        tasks.push(tokio::spawn(async move {
            let mut latencies = Vec::new();
            let mut cursor = Cursor(0);
            for (i, batch) in batches.iter().enumerate() {
                if let Some(interval) = interval {
                    // Devices are spread evenly over the interval, as phones would be.
                    let offset = interval.mul_f64(index as f64 / count as f64);
                    tokio::time::sleep_until((started + offset + interval * i as u32).into()).await;
                }
                let t = Instant::now();
                push(&d, batch).await;
                latencies.push(t.elapsed());
                if i % 5 == 4 {
                    let t = Instant::now();
                    let a = d.client.post("/api/v1/pull", Some(&d.token), &serde_json::json!({"protocol_version": 1, "after": cursor.0, "limit": 500})).await;
                    latencies.push(t.elapsed());
                    cursor = Cursor(a.body["cursor"].as_u64().unwrap_or(cursor.0));
                }
            }
            (d, latencies)
        }));
    }
    let mut latencies = Vec::new();
    let mut devices = Vec::new();
    for t in tasks {
        let (d, l) = t.await.expect("device");
        latencies.extend(l);
        devices.push(d);
    }
    let elapsed = started.elapsed();
    latencies.sort();
    let stored = count * BATCHES * BATCH;
    println!(
        "sync server, {count} devices x {BATCHES} pushes of {BATCH} operations (+ a pull every 5 pushes), {what}:"
    );
    println!(
        "  operations stored:      {stored} in {:.2} s = {:.0} operations/s",
        elapsed.as_secs_f64(),
        stored as f64 / elapsed.as_secs_f64()
    );
    println!("  requests:               {}", latencies.len());
    println!(
        "  latency p50:            {:.1} ms",
        percentile(&latencies, 0.50).as_secs_f64() * 1000.0
    );
    println!(
        "  latency p99:            {:.1} ms",
        percentile(&latencies, 0.99).as_secs_f64() * 1000.0
    );
    println!(
        "  latency max:            {:.1} ms",
        latencies.last().map_or(0.0, |d| d.as_secs_f64() * 1000.0)
    );
    devices
}

fn main() {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("runtime");
    runtime.block_on(async {
        let dir = TempDir::new("bench");
        let db = dir.0.join("bench.sqlite3");
        let (mut server, base) = start_binary_with(
            &db,
            &[
                "--join-burst",
                "1000",
                "--join-code-burst",
                "1000",
                "--sync-burst",
                "100000",
                "--sync-rate",
                "100000",
            ],
        );
        let client = Client::with_base(base);
        let admin = Device::create_team(&client, "Bench", 1).await;
        let invite = client
            .post(
                "/api/v1/invites",
                Some(&admin.token),
                &serde_json::json!({"max_uses": 1000}),
            )
            .await;
        let code = invite.body["code"].as_str().expect("invite").to_owned();
        let mut devices = Vec::new();
        for i in 0..DEVICES {
            devices.push(
                Device::join(
                    &client,
                    &code,
                    &format!("Ambassadeur {i}"),
                    (i % 250) as u8 + 2,
                )
                .await,
            );
        }

        // 1. Concurrent push and pull, twice: paced like phones that sync a batch every 200 ms
        //    (an offered load of 25,000 operations/s), then flat out (saturation).
        let mut work = Vec::new();
        for mut d in devices {
            let batches: Vec<Vec<Operation>> =
                (0..2 * BATCHES).map(|_| visit_ops(&mut d, BATCH)).collect();
            work.push((d, batches));
        }
        let mut paced = Vec::new();
        let mut flat_out = Vec::new();
        for (d, mut batches) in work {
            let rest = batches.split_off(BATCHES);
            paced.push((d, batches));
            flat_out.push(rest);
        }
        let devices = run_round(
            paced,
            Some(Duration::from_millis(200)),
            "paced, one push per device every 200 ms",
        )
        .await;
        let again: Vec<(Device, Vec<Vec<Operation>>)> = devices.into_iter().zip(flat_out).collect();
        run_round(
            again,
            None,
            "flat out, every device pushing as fast as answers come",
        )
        .await;

        // 2. Full sync of 10,000 pending operations, in a team of its own.
        let mut phone = Device::create_team(&client, "Volledige sync", 200).await;
        let code = phone.invite.clone().expect("invite");
        let pending = visit_ops(&mut phone, 10_000);
        let started = Instant::now();
        for page in pending.chunks(1000) {
            push(&phone, page).await;
        }
        let pushed = started.elapsed();
        let fresh = Device::join(&client, &code, "Nieuwe telefoon", 201).await;
        let started = Instant::now();
        let (pulled, _) = fresh.pull_all(Cursor(0), 1000).await;
        let pulled_in = started.elapsed();
        println!("full sync of 10,000 pending operations over loopback:");
        println!(
            "  push in pages of 1,000: {:.0} ms",
            pushed.as_secs_f64() * 1000.0
        );
        println!(
            "  pull by a new device ({} operations, the whole log): {:.0} ms",
            pulled.len(),
            pulled_in.as_secs_f64() * 1000.0
        );
        println!(
            "  push + pull:            {:.0} ms",
            (pushed + pulled_in).as_secs_f64() * 1000.0
        );

        // 3. Erasing one address again and again.
        let mut phone = Device::create_team(&client, "Wissen", 202).await;
        let visits = visit_ops(&mut phone, 2_000);
        let Payload::AddressAdd { address, .. } = visits[0].payload else {
            unreachable!("visit_ops starts with the address")
        };
        for page in visits.chunks(1000) {
            push(&phone, page).await;
        }
        let mut times = Vec::new();
        for _ in 0..50 {
            let erase = phone.op(Payload::EraseResident { address });
            let t = Instant::now();
            push(&phone, &[erase]).await;
            times.push(t.elapsed());
        }
        let first = times[0];
        times.sort();
        println!("erasing one address with 2,000 noted visits, 50 times:");
        println!(
            "  first erasure (strips 2,000 visits): {:.1} ms",
            first.as_secs_f64() * 1000.0
        );
        println!(
            "  every erasure: p50 {:.1} ms, max {:.1} ms",
            percentile(&times, 0.5).as_secs_f64() * 1000.0,
            times.last().map_or(0.0, |d| d.as_secs_f64() * 1000.0)
        );
        let _ = server.kill();
        let _ = server.wait();
    });
}
