//! Two server processes on one PostgreSQL database, as behind a load balancer: phones push to
//! either, one is killed with SIGKILL in the middle of the stream and started again, and the
//! phones retry what was not acknowledged. Nothing is lost, nothing is doubled, the numbers
//! stay gap-free, and both processes serve the same log.

mod common;

use std::collections::BTreeSet;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use buurtbel_core::ids::{AddressId, OpId};
use buurtbel_core::op::{Operation, Payload};
use buurtbel_core::protocol::{Cursor, PushResponse};
use common::{Client, Device, TempDir, postgres_database, start_binary_with};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn one_of_two_instances_killed_mid_push_and_restarted_loses_nothing() {
    let Some(url) = tokio::task::spawn_blocking(postgres_database)
        .await
        .expect("task")
    else {
        eprintln!("skipped: no PostgreSQL cluster (scripts/pg.sh)");
        return;
    };
    let dir = TempDir::new("instances");
    let key = dir.0.join("invite-key").display().to_string();
    let db = std::path::PathBuf::from(&url);
    let args = ["--invite-key", key.as_str()];
    let (mut a, base_a) = start_binary_with(&db, &args);
    let (b, base_b) = start_binary_with(&db, &args);
    // Where each instance is now: A's address changes when it is started again.
    let bases = Arc::new(Mutex::new([base_a, base_b.clone()]));
    let admin = Device::create_team(&Client::with_base(base_b.clone()), "Twee", 1).await;
    let code = admin.invite.clone().expect("invite");
    let mut devices = vec![admin];
    for i in 0..3u8 {
        // Joins through both instances: the invite key is the same file.
        let via = Client::with_base(bases.lock().expect("lock")[usize::from(i % 2)].clone());
        devices.push(Device::join(&via, &code, &format!("D{i}"), 2 + i).await);
    }

    // Each device pushes 20 batches of 25 to its instance (even devices to A, odd to B) and
    // retries whatever failed there.
    let mut all_ops: BTreeSet<OpId> = BTreeSet::new();
    let batches_acked = Arc::new(AtomicUsize::new(0));
    let mut tasks = Vec::new();
    for (i, mut d) in devices.drain(..).enumerate() {
        let batches: Vec<Vec<Operation>> = (0..20)
            .map(|b| {
                (0..25)
                    .map(|n| {
                        let address = d.factory.id(AddressId::new_v7);
                        d.op(Payload::AddressAdd {
                            address,
                            street: "Tweelaan".into(),
                            number: b * 25 + n + 1,
                            letter: String::new(),
                            addition: String::new(),
                            postcode: "3581 BA".into(),
                        })
                    })
                    .collect()
            })
            .collect();
        all_ops.extend(batches.iter().flatten().map(|op| op.id));
        let bases = Arc::clone(&bases);
        let batches_acked = Arc::clone(&batches_acked);
        tasks.push(tokio::spawn(async move {
            let mut retries = 0u32;
            for batch in batches {
                loop {
                    let url = bases.lock().expect("lock")[i % 2].clone();
                    let body = serde_json::to_vec(&d.push_request(&batch)).expect("json");
                    match Client::with_base(url)
                        .send("POST", "/api/v1/push", Some(&d.token), Some(body))
                        .await
                    {
                        Ok(answer) if answer.status == 200 => {
                            let _: PushResponse =
                                serde_json::from_value(answer.body).expect("response");
                            batches_acked.fetch_add(1, Ordering::SeqCst);
                            break;
                        }
                        _ => {
                            retries += 1;
                            assert!(retries < 2000, "the instance never came back");
                            tokio::time::sleep(Duration::from_millis(20)).await;
                        }
                    }
                }
            }
            (d, retries)
        }));
    }

    // Kill A once the stream is under way (10 of the 80 batches acknowledged); B keeps
    // serving its phones meanwhile.
    while batches_acked.load(Ordering::SeqCst) < 10 {
        tokio::time::sleep(Duration::from_millis(1)).await;
    }
    a.kill().expect("SIGKILL");
    let _ = a.wait();
    let (restarted, new_a) = start_binary_with(&db, &args);
    bases.lock().expect("lock")[0] = new_a.clone();

    let mut total_retries = 0;
    let mut survivor = None;
    for t in tasks {
        let (d, retries) = t.await.expect("device task");
        total_retries += retries;
        survivor = Some(d);
    }
    assert_eq!(batches_acked.load(Ordering::SeqCst), 80);
    assert!(total_retries > 0, "the kill interrupted the stream");
    let mut d = survivor.expect("a device");
    let mut logs = Vec::new();
    for base in [new_a, base_b] {
        d.client = Client::with_base(base);
        logs.push(d.pull_all(Cursor(0), 1000).await.0);
    }
    let pulled = &logs[0];
    let ids: Vec<OpId> = pulled.iter().map(|(_, op)| op.id).collect();
    let unique: BTreeSet<OpId> = ids.iter().copied().collect();
    assert_eq!(unique.len(), ids.len(), "nothing doubled");
    assert!(all_ops.is_subset(&unique), "nothing lost");
    assert_eq!(
        pulled.len(),
        all_ops.len() + 2 + 3,
        "the pushed operations plus team, creator and three joins"
    );
    let seqs: Vec<u64> = pulled.iter().map(|(s, _)| *s).collect();
    assert_eq!(
        seqs,
        (1..=pulled.len() as u64).collect::<Vec<_>>(),
        "gap-free"
    );
    let other: Vec<(u64, OpId)> = logs[1].iter().map(|(s, op)| (*s, op.id)).collect();
    let this: Vec<(u64, OpId)> = pulled.iter().map(|(s, op)| (*s, op.id)).collect();
    assert_eq!(this, other, "both instances serve the same log");
    eprintln!(
        "two instances: {} operations, {total_retries} retried pushes",
        all_ops.len()
    );
    for mut server in [restarted, b] {
        let _ = server.kill();
        let _ = server.wait();
    }
}

/// An attacker guessing invite codes spreads the guesses over both instances: the wrong codes
/// are counted in the database, so together they get no more tries than one instance gives.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn wrong_invite_codes_through_two_instances_are_counted_together() {
    let Some(url) = tokio::task::spawn_blocking(postgres_database)
        .await
        .expect("task")
    else {
        eprintln!("skipped: no PostgreSQL cluster (scripts/pg.sh)");
        return;
    };
    let dir = TempDir::new("guesses");
    let key = dir.0.join("invite-key").display().to_string();
    let db = std::path::PathBuf::from(&url);
    let args = [
        "--invite-key",
        key.as_str(),
        "--join-failures-burst",
        "6",
        "--join-burst",
        "1000",
    ];
    let (a, base_a) = start_binary_with(&db, &args);
    let (b, base_b) = start_binary_with(&db, &args);
    let mut answered_wrong = 0;
    let mut refused = false;
    for guess in 0..40u32 {
        let base = if guess % 2 == 0 { &base_a } else { &base_b };
        let answer = Client::with_base(base.clone())
            .post(
                "/api/v1/join",
                None,
                &serde_json::json!({"code": format!("ZZZZ{guess:04}"), "display_name": "Raden"}),
            )
            .await;
        match answer.status {
            404 => answered_wrong += 1,
            429 => {
                refused = true;
                break;
            }
            other => panic!("guess {guess}: {other} {:?}", answer.body),
        }
    }
    assert!(refused, "the guesses were stopped");
    // Six in all (one more if a second passed and put one back), not six per instance.
    assert!(
        (6..=7).contains(&answered_wrong),
        "{answered_wrong} wrong codes were tried through two instances"
    );
    for mut server in [a, b] {
        let _ = server.kill();
        let _ = server.wait();
    }
}
