//! Two server processes on one PostgreSQL database, as behind a load balancer: phones push to
//! either, one is killed with SIGKILL in the middle of the stream and started again, and the
//! phones retry what was not acknowledged. Nothing is lost, nothing is doubled, the numbers
//! stay gap-free, and both processes serve the same log.

mod common;

use std::collections::BTreeSet;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use buurtbel_core::ids::OpId;
use buurtbel_core::protocol::Cursor;
use common::{
    Client, Device, TempDir, address_batches, postgres_database, push_until_acked,
    start_binary_with,
};

/// Server processes on one new database of the cluster, sharing an invite key file.
struct Pair {
    db: std::path::PathBuf,
    args: Vec<String>,
    _dir: TempDir,
}

impl Pair {
    /// `None` (and a note) without a cluster.
    async fn start(flags: &[&str]) -> Option<Pair> {
        let Some(url) = tokio::task::spawn_blocking(postgres_database)
            .await
            .expect("task")
        else {
            eprintln!("skipped: no PostgreSQL cluster (scripts/pg.sh)");
            return None;
        };
        let dir = TempDir::new("instances");
        let key = dir.0.join("invite-key").display().to_string();
        let mut args = vec!["--invite-key".to_owned(), key];
        args.extend(flags.iter().map(|f| (*f).to_owned()));
        Some(Pair {
            db: url.into(),
            args,
            _dir: dir,
        })
    }

    /// Another instance on the database: the process and its address.
    fn instance(&self) -> (std::process::Child, String) {
        let args: Vec<&str> = self.args.iter().map(String::as_str).collect();
        start_binary_with(&self.db, &args)
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn one_of_two_instances_killed_mid_push_and_restarted_loses_nothing() {
    let Some(pair) = Pair::start(&[]).await else {
        return;
    };
    let (mut a, base_a) = pair.instance();
    let (b, base_b) = pair.instance();
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
        let batches = address_batches(&mut d, "Tweelaan", 20, 25);
        all_ops.extend(batches.iter().flatten().map(|op| op.id));
        let bases = Arc::clone(&bases);
        let batches_acked = Arc::clone(&batches_acked);
        tasks.push(tokio::spawn(async move {
            let mut retries = 0u32;
            for batch in batches {
                let (_, failed) =
                    push_until_acked(&d, &batch, || bases.lock().expect("lock")[i % 2].clone())
                        .await;
                batches_acked.fetch_add(1, Ordering::SeqCst);
                retries += failed;
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
    let (restarted, new_a) = pair.instance();
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
    let Some(pair) = Pair::start(&["--join-failures-burst", "6", "--join-burst", "1000"]).await
    else {
        return;
    };
    let (a, base_a) = pair.instance();
    let (b, base_b) = pair.instance();
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
