//! A backup taken while pushes stream in holds every operation acknowledged before it started,
//! and a server started on the copy serves them.

mod common;

use std::collections::BTreeSet;
use std::sync::{Arc, Mutex};

use buurtbel_core::ids::{AddressId, OpId};
use buurtbel_core::op::Payload;
use buurtbel_core::protocol::Cursor;
use common::{Client, Device, TempDir, start_binary_with};

#[tokio::test]
async fn a_backup_during_a_stream_of_pushes_holds_every_acknowledged_operation() {
    let dir = TempDir::new("backup");
    let db = dir.0.join("live.sqlite3");
    let (mut server, base) = start_binary_with(&db, &[]);
    let client = Client::with_base(base);
    let mut anna = Device::create_team(&client, "Team", 1).await;
    let token = anna.token.clone();

    // Pushes stream in; every acknowledged id is noted.
    let acked: Arc<Mutex<BTreeSet<OpId>>> = Arc::default();
    let stop = Arc::new(std::sync::atomic::AtomicBool::new(false));
    let pushing = {
        let (acked, stop) = (acked.clone(), stop.clone());
        tokio::spawn(async move {
            let mut n = 0u32;
            while !stop.load(std::sync::atomic::Ordering::Relaxed) {
                let ops: Vec<_> = (0..50)
                    .map(|_| {
                        n += 1;
                        let address = anna.factory.id(AddressId::new_v7);
                        anna.op(Payload::AddressAdd {
                            address,
                            street: "Lindelaan".into(),
                            number: n,
                            letter: String::new(),
                            addition: String::new(),
                            postcode: "3581 BA".into(),
                        })
                    })
                    .collect();
                let answer = anna.push(&ops).await.expect("pushed");
                acked
                    .lock()
                    .expect("lock")
                    .extend(answer.acks.iter().map(|a| a.op));
            }
        })
    };
    // Waits (polling, however loaded the machine) until at least `n` operations are
    // acknowledged.
    let acked_at_least = |n: usize| {
        let acked = acked.clone();
        async move {
            while acked.lock().expect("lock").len() < n {
                tokio::time::sleep(std::time::Duration::from_millis(10)).await;
            }
        }
    };
    acked_at_least(100).await;

    let before: BTreeSet<OpId> = acked.lock().expect("lock").clone();
    let copy = dir.0.join("copy.sqlite3");
    let (from, to) = (db.clone(), copy.clone());
    let status = tokio::task::spawn_blocking(move || {
        std::process::Command::new(env!("CARGO_BIN_EXE_buurtbel-server"))
            .arg("--database")
            .arg(from)
            .arg("backup")
            .arg("--to")
            .arg(to)
            .status()
    })
    .await
    .expect("task")
    .expect("backup runs");
    assert!(status.success());
    // The stream goes on after the copy: a hundred more are acknowledged before it stops.
    let copied_at = acked.lock().expect("lock").len();
    acked_at_least(copied_at + 100).await;
    stop.store(true, std::sync::atomic::Ordering::Relaxed);
    pushing.await.expect("pusher");
    let _ = server.kill();
    let _ = server.wait();
    assert!(
        before.len() >= 100,
        "pushes were streaming ({})",
        before.len()
    );

    // Restore: a server on the copy.
    let (mut restored, base) = start_binary_with(&copy, &[]);
    let reader = Device {
        token,
        team: String::new(),
        invite: None,
        factory: buurtbel_core::factory::OpFactory::new(9),
        client: Client::with_base(base),
    };
    let (ops, cursor) = reader.pull_all(Cursor(0), 1000).await;
    let in_copy: BTreeSet<OpId> = ops.iter().map(|(_, op)| op.id).collect();
    let missing: Vec<_> = before.difference(&in_copy).collect();
    assert!(
        missing.is_empty(),
        "{} acknowledged operations missing",
        missing.len()
    );
    let seqs: Vec<u64> = ops.iter().map(|(seq, _)| *seq).collect();
    assert_eq!(
        seqs,
        (1..=cursor.0).collect::<Vec<_>>(),
        "a consistent copy: no gaps"
    );
    let all_acked = acked.lock().expect("lock").clone();
    assert!(
        in_copy.iter().filter(|id| !all_acked.contains(id)).count() <= 2,
        "only the team's own first operations were not pushed by the stream"
    );
    let _ = restored.kill();
    let _ = restored.wait();
}
