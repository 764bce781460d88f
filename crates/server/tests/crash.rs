//! The real server process killed with SIGKILL in the middle of a stream of pushes, restarted
//! on the same database; clients retry what was not acknowledged. Nothing is lost, nothing is
//! doubled.

mod common;

use std::collections::BTreeSet;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use buurtbel_core::ids::OpId;
use buurtbel_core::protocol::Cursor;
use common::{Client, Device, TempDir, address_batches, push_until_acked, start_binary as start};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn killed_mid_stream_and_restarted_loses_nothing_and_doubles_nothing() {
    let dir = TempDir::new("crash");
    let db = dir.0.join("crash.sqlite3");
    let (mut server, base) = start(&db);
    let base = Arc::new(Mutex::new(base));
    let client = Client::with_base(base.lock().expect("lock").clone());
    let admin = Device::create_team(&client, "Crash", 1).await;
    let code = admin.invite.clone().expect("invite");
    let mut devices = vec![admin];
    for i in 0..2u8 {
        devices.push(Device::join(&client, &code, &format!("D{i}"), 2 + i).await);
    }

    // Each device has an outbox of 30 batches of 25 operations and pushes until it is empty,
    // retrying whatever failed against whatever address the server has now.
    let mut all_ops: BTreeSet<OpId> = BTreeSet::new();
    let batches_acked = Arc::new(AtomicUsize::new(0));
    let mut tasks = Vec::new();
    for mut d in devices.drain(..) {
        let batches = address_batches(&mut d, "Crashlaan", 30, 25);
        all_ops.extend(batches.iter().flatten().map(|op| op.id));
        let base = Arc::clone(&base);
        let batches_acked = Arc::clone(&batches_acked);
        tasks.push(tokio::spawn(async move {
            let mut acked: Vec<(OpId, u64)> = Vec::new();
            let mut retries = 0u32;
            for batch in batches {
                let (r, failed) =
                    push_until_acked(&d, &batch, || base.lock().expect("lock").clone()).await;
                acked.extend(r.acks.iter().map(|k| (k.op, k.seq)));
                batches_acked.fetch_add(1, Ordering::SeqCst);
                retries += failed;
            }
            (d, acked, retries)
        }));
    }

    // Kill once the stream is well under way: 10 of the 90 batches acknowledged.
    while batches_acked.load(Ordering::SeqCst) < 10 {
        tokio::time::sleep(Duration::from_millis(1)).await;
    }
    server.kill().expect("SIGKILL");
    let _ = server.wait();
    let (mut restarted, new_base) = start(&db);
    *base.lock().expect("lock") = new_base.clone();

    let mut seqs = BTreeSet::new();
    let mut total_retries = 0;
    let mut survivor = None;
    for t in tasks {
        let (d, acked, retries) = t.await.expect("device task");
        total_retries += retries;
        for (_, seq) in &acked {
            seqs.insert(*seq);
        }
        survivor = Some(d);
    }
    let mut d = survivor.expect("a device");
    d.client = Client::with_base(new_base);
    let (pulled, _) = d.pull_all(Cursor(0), 1000).await;
    let pulled_ids: Vec<OpId> = pulled.iter().map(|(_, op)| op.id).collect();
    let unique: BTreeSet<OpId> = pulled_ids.iter().copied().collect();
    assert_eq!(unique.len(), pulled_ids.len(), "nothing doubled");
    assert!(
        all_ops.is_subset(&unique),
        "nothing lost: {} of {} pushed operations stored",
        all_ops.intersection(&unique).count(),
        all_ops.len()
    );
    assert_eq!(
        pulled.len(),
        all_ops.len() + 2 + 2,
        "exactly the pushed operations plus team, creator and two joins"
    );
    let pulled_seqs: Vec<u64> = pulled.iter().map(|(s, _)| *s).collect();
    assert_eq!(
        pulled_seqs,
        (1..=pulled.len() as u64).collect::<Vec<_>>(),
        "sequence numbers stay gap-free"
    );
    assert!(batches_acked.load(Ordering::SeqCst) == 90);
    assert!(total_retries > 0, "the kill interrupted the stream");
    eprintln!(
        "crash test: {} operations, {total_retries} retried pushes",
        all_ops.len()
    );
    let _ = restarted.kill();
    let _ = restarted.wait();
}
