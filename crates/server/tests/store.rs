//! The storage contract both stores keep, tested on each: SQLite always, PostgreSQL when the
//! tests run beside a cluster (`scripts/pg.sh`, as `make test` runs them). A store that gives a
//! sequence number twice or leaves a gap, loses an acknowledged push, or keeps an erased field
//! fails here; so do several PostgreSQL instances that break a team's limits between them.

mod common;

use std::collections::BTreeSet;
use std::sync::Arc;

use buurtbel_core::domain::{Channel, ConsentPurpose};
use buurtbel_core::factory::OpFactory;
use buurtbel_core::ids::{AddressId, ConsentId, DeviceId, MemberId, TeamId};
use buurtbel_core::op::{ConsentGive, Operation, Payload};
use buurtbel_server::db::postgres::is_url;
use buurtbel_server::db::{
    DbError, InviteKey, JoinError, NewDevice, NewInvite, NewTeam, Postgres, PreparedOp, PushError,
    Sqlite, Storage,
};
use common::{TempDir, postgres_database};

/// Where a store keeps its data, so it can be opened again (another instance, or after a
/// restart).
struct Place {
    name: &'static str,
    /// A SQLite file, or a PostgreSQL database's URL.
    database: String,
    quota: Option<u64>,
    dir: TempDir,
}

impl Place {
    fn sqlite() -> Place {
        let dir = TempDir::new("store");
        Place {
            name: "SQLite",
            database: dir.0.join("store.sqlite3").display().to_string(),
            quota: None,
            dir,
        }
    }

    fn postgres() -> Option<Place> {
        Some(Place {
            name: "PostgreSQL",
            database: postgres_database()?,
            quota: None,
            dir: TempDir::new("store"),
        })
    }

    /// A store on this place: a new instance each time.
    fn open(&self) -> Arc<dyn Storage> {
        let opened: Result<Arc<dyn Storage>, DbError> = if !is_url(&self.database) {
            Sqlite::open(std::path::Path::new(&self.database)).map(|s| match self.quota {
                Some(q) => Arc::new(s.with_team_quota(q)) as Arc<dyn Storage>,
                None => Arc::new(s),
            })
        } else {
            InviteKey::load_or_create(&self.dir.0.join("invite-key"))
                .and_then(|key| Postgres::open(&self.database, key))
                .map(|s| match self.quota {
                    Some(q) => Arc::new(s.with_team_quota(q)) as Arc<dyn Storage>,
                    None => Arc::new(s),
                })
        };
        opened.unwrap_or_else(|e| panic!("{}: {e}", self.name))
    }

    fn with_quota(mut self, bytes: u64) -> Place {
        self.quota = Some(bytes);
        self
    }
}

/// Every store this run has.
fn places() -> Vec<Place> {
    let mut places = vec![Place::sqlite()];
    match Place::postgres() {
        Some(p) => places.push(p),
        None => eprintln!("no PostgreSQL cluster (scripts/pg.sh): SQLite only"),
    }
    places
}

const INVITE: &str = "ABCD2345";

/// A new team in `store` with `f`'s author as its admin.
fn team(store: &dyn Storage, f: &OpFactory, seed: u8) -> TeamId {
    let team = TeamId::new_v7(1, [seed; 10]);
    store
        .create_team(
            NewTeam {
                team,
                name: "Lindelaan".into(),
                neighbourhood: "Oost".into(),
                device: NewDevice {
                    device: f.author().device,
                    member: f.author().member,
                    token_hash: [seed; 32],
                    admin: true,
                    label: String::new(),
                },
                invite: NewInvite {
                    code: INVITE.into(),
                    expires_at_ms: u64::MAX / 4,
                    max_uses: Some(1),
                },
                ops: Vec::new(),
            },
            1,
        )
        .expect("team");
    team
}

fn address(f: &mut OpFactory, number: u32) -> Operation {
    let address = f.id(AddressId::new_v7);
    f.op(Payload::AddressAdd {
        address,
        street: "Lindelaan".into(),
        number,
        letter: String::new(),
        addition: String::new(),
        postcode: "3581 BA".into(),
    })
}

fn push(
    store: &dyn Storage,
    team: TeamId,
    f: &OpFactory,
    ops: &[Operation],
) -> Result<Vec<u64>, PushError> {
    let prepared = ops.iter().cloned().map(PreparedOp::new).collect();
    let pushed = store.push(team, f.author().device, prepared, 2)?;
    Ok(pushed.acks.iter().map(|a| a.seq).collect())
}

/// The whole log, in order.
fn log(store: &dyn Storage, team: TeamId) -> Vec<(u64, String)> {
    let mut all = Vec::new();
    loop {
        let after = all.last().map_or(0, |(seq, _)| *seq);
        let (page, more) = store.pull(team, after, 100).expect("pull");
        all.extend(page);
        if !more {
            return all;
        }
    }
}

fn assert_gap_free(place: &str, log: &[(u64, String)]) {
    let seqs: Vec<u64> = log.iter().map(|(s, _)| *s).collect();
    assert_eq!(
        seqs,
        (1..=seqs.len() as u64).collect::<Vec<_>>(),
        "{place}: sequence numbers 1, 2, 3… without gaps"
    );
}

#[test]
fn sequence_numbers_are_gap_free_given_once_and_a_retry_gets_its_own_back() {
    for place in places() {
        let store = place.open();
        let mut f = OpFactory::new(1);
        let team = team(store.as_ref(), &f, 1);
        let batches: Vec<Vec<Operation>> = (0..8)
            .map(|b| (0..25).map(|n| address(&mut f, b * 25 + n)).collect())
            .collect();
        // Eight pushes at once from four threads, so they are committed in groups.
        let mut acked: Vec<(usize, Vec<u64>)> = std::thread::scope(|s| {
            let threads: Vec<_> = (0..4)
                .map(|t| {
                    let (store, f, batches) = (&store, &f, &batches);
                    s.spawn(move || {
                        [2 * t, 2 * t + 1]
                            .map(|i| (i, push(store.as_ref(), team, f, &batches[i]).expect("push")))
                    })
                })
                .collect();
            threads
                .into_iter()
                .flat_map(|t| t.join().expect("thread"))
                .collect()
        });
        acked.sort();
        let given: BTreeSet<u64> = acked.iter().flat_map(|(_, a)| a.clone()).collect();
        assert_eq!(given.len(), 200, "{}: 200 numbers, none twice", place.name);
        // A retry is answered with the numbers it got; a different operation under a known id
        // is refused and takes no number.
        let again = push(store.as_ref(), team, &f, &batches[3]).expect("retry");
        assert_eq!(again, acked[3].1, "{}: the same answer", place.name);
        let mut changed = batches[5][0].clone();
        if let Payload::AddressAdd { number, .. } = &mut changed.payload {
            *number += 1000;
        }
        let refused = [address(&mut f, 900), changed];
        assert!(matches!(
            push(store.as_ref(), team, &f, &refused),
            Err(PushError::Conflict(_))
        ));
        let after = [address(&mut f, 901)];
        let next = push(store.as_ref(), team, &f, &after).expect("next");
        assert_eq!(next, [201], "{}: the refused push left no gap", place.name);
        let log = log(store.as_ref(), team);
        assert_eq!(log.len(), 201, "{}", place.name);
        assert_gap_free(place.name, &log);
    }
}

#[test]
fn an_acknowledged_push_is_there_for_the_next_instance() {
    for place in places() {
        let store = place.open();
        let mut f = OpFactory::new(2);
        let team = team(store.as_ref(), &f, 2);
        let ops: Vec<Operation> = (0..10).map(|n| address(&mut f, n)).collect();
        let acked = push(store.as_ref(), team, &f, &ops).expect("push");
        drop(store);
        let reopened = place.open();
        let log = log(reopened.as_ref(), team);
        for (op, seq) in ops.iter().zip(acked) {
            assert!(
                log.iter()
                    .any(|(s, body)| *s == seq && body.contains(&op.id.to_string())),
                "{}: operation {seq} is stored",
                place.name
            );
        }
    }
}

#[test]
fn an_erasure_leaves_no_erased_field_in_the_log_even_from_a_late_retry() {
    for place in places() {
        let store = place.open();
        let mut f = OpFactory::new(3);
        let team = team(store.as_ref(), &f, 3);
        let door = address(&mut f, 7);
        let Payload::AddressAdd { address, .. } = door.payload else {
            unreachable!()
        };
        let consent = f.id(ConsentId::new_v7);
        let given = f.op(Payload::ConsentGive(ConsentGive {
            consent,
            address,
            purposes: [ConsentPurpose::ProjectUpdates].into(),
            channels: [Channel::Phone].into(),
            name: "Mevrouw Jansma".into(),
            phone: "06 9876 5432".into(),
            email: String::new(),
            given_at_ms: 1,
        }));
        push(store.as_ref(), team, &f, &[door, given.clone()]).expect("consent");
        let erase = f.op(Payload::EraseResident { address });
        push(store.as_ref(), team, &f, &[erase]).expect("erasure");
        // The phone that sent the consent retries it: it is the same operation, stored once.
        push(store.as_ref(), team, &f, &[given]).expect("retry");
        drop(store);
        let log = log(place.open().as_ref(), team);
        assert_eq!(log.len(), 3, "{}", place.name);
        for (_, body) in &log {
            for field in ["Jansma", "9876"] {
                assert!(
                    !body.contains(field),
                    "{}: {field} stayed: {body}",
                    place.name
                );
            }
        }
    }
}

#[test]
fn a_full_quota_refuses_the_push_and_stores_none_of_it() {
    for place in places() {
        let place = place.with_quota(6_000);
        let store = place.open();
        let mut f = OpFactory::new(4);
        let team = team(store.as_ref(), &f, 4);
        let mut stored = 0;
        loop {
            let batch: Vec<Operation> = (0..5).map(|n| address(&mut f, n)).collect();
            match push(store.as_ref(), team, &f, &batch) {
                Ok(_) => stored += 5,
                Err(PushError::QuotaFull(q)) => {
                    assert_eq!(q, 6_000);
                    break;
                }
                Err(e) => panic!("{}: {e}", place.name),
            }
        }
        assert!(stored > 0, "{}", place.name);
        assert_eq!(log(store.as_ref(), team).len(), stored, "{}", place.name);
    }
}

/// A store, opened once.
type Store = Arc<dyn Storage>;

/// Two instances on one PostgreSQL database, each with its own connections and push group.
fn two_instances() -> Option<(Place, Store, Store)> {
    let place = Place::postgres()?;
    let (a, b) = (place.open(), place.open());
    Some((place, a, b))
}

#[test]
fn two_instances_pushing_one_team_give_distinct_gap_free_numbers() {
    let Some((_place, a, b)) = two_instances() else {
        eprintln!("skipped: no PostgreSQL cluster (scripts/pg.sh)");
        return;
    };
    let mut f = OpFactory::new(5);
    let team = team(a.as_ref(), &f, 5);
    let batches: Vec<Vec<Operation>> = (0..12)
        .map(|b| (0..20).map(|n| address(&mut f, b * 20 + n)).collect())
        .collect();
    std::thread::scope(|s| {
        for (i, batch) in batches.iter().enumerate() {
            let store = if i % 2 == 0 { &a } else { &b };
            let f = &f;
            s.spawn(move || push(store.as_ref(), team, f, batch).expect("push"));
        }
    });
    let (from_a, from_b) = (log(a.as_ref(), team), log(b.as_ref(), team));
    assert_eq!(from_a.len(), 240);
    assert_gap_free("PostgreSQL, two instances", &from_a);
    assert_eq!(from_a, from_b, "both instances read the same log");
}

#[test]
fn limits_hold_across_instances_an_invite_for_one_and_a_team_s_quota() {
    let Some((place, a, b)) = two_instances() else {
        eprintln!("skipped: no PostgreSQL cluster (scripts/pg.sh)");
        return;
    };
    let f = OpFactory::new(6);
    team(a.as_ref(), &f, 6);
    // The invite is for one: of eight joins at once through both instances, one gets in.
    let joined: Vec<bool> = std::thread::scope(|s| {
        let joins: Vec<_> = (0..8u8)
            .map(|i| {
                let store = if i % 2 == 0 { &a } else { &b };
                s.spawn(move || {
                    let device = NewDevice {
                        device: DeviceId::new_v7(2, [i; 10]),
                        member: MemberId::new_v7(2, [i; 10]),
                        token_hash: [100 + i; 32],
                        admin: false,
                        label: String::new(),
                    };
                    match store.join(INVITE, device, Vec::new(), 2) {
                        Ok(_) => true,
                        Err(JoinError::InvalidCode) => false,
                        Err(e) => panic!("{e}"),
                    }
                })
            })
            .collect();
        joins.into_iter().map(|j| j.join().expect("join")).collect()
    });
    assert_eq!(joined.iter().filter(|j| **j).count(), 1, "{joined:?}");

    // A quota the two instances fill together: what is stored stays within it.
    drop((place, a, b));
    let place = Place::postgres().expect("a database").with_quota(8_000);
    let (a, b) = (place.open(), place.open());
    let mut f = OpFactory::new(7);
    let team = team(a.as_ref(), &f, 7);
    let batches: Vec<Vec<Operation>> = (0..20)
        .map(|b| (0..3).map(|n| address(&mut f, b * 3 + n)).collect())
        .collect();
    std::thread::scope(|s| {
        for (i, batch) in batches.iter().enumerate() {
            let store = if i % 2 == 0 { &a } else { &b };
            let f = &f;
            s.spawn(move || {
                let _ = push(store.as_ref(), team, f, batch);
            });
        }
    });
    let bytes: usize = log(a.as_ref(), team).iter().map(|(_, b)| b.len()).sum();
    assert!(bytes <= 8_000, "{bytes} bytes stored");
    assert!(bytes > 4_000, "the quota was used: {bytes} bytes");
}

#[test]
fn a_postgres_database_written_by_a_newer_server_is_refused() {
    let Some(place) = Place::postgres() else {
        eprintln!("skipped: no PostgreSQL cluster (scripts/pg.sh)");
        return;
    };
    drop(place.open());
    let mut admin = postgres::Client::connect(&place.database, postgres::NoTls).expect("connect");
    let known: i64 = admin
        .query_one("SELECT MAX(version) FROM schema_version", &[])
        .expect("version")
        .get(0);
    admin
        .execute(
            "INSERT INTO schema_version (version) VALUES ($1)",
            &[&(known + 1)],
        )
        .expect("a newer version");
    let key = InviteKey::load_or_create(&place.dir.0.join("invite-key")).expect("key");
    assert!(matches!(
        Postgres::open(&place.database, key),
        Err(DbError::TooNew { found, known: k }) if found == known as usize + 1 && k == known as usize
    ));
}

#[test]
fn a_postgres_database_that_would_acknowledge_before_flushing_is_refused() {
    let Some(place) = Place::postgres() else {
        eprintln!("skipped: no PostgreSQL cluster (scripts/pg.sh)");
        return;
    };
    let name = place
        .database
        .rsplit('/')
        .next()
        .expect("a name")
        .to_owned();
    let mut admin = postgres::Client::connect(&place.database, postgres::NoTls).expect("connect");
    admin
        .batch_execute(&format!(
            "ALTER DATABASE {name} SET synchronous_commit = off"
        ))
        .expect("durability off");
    let key = InviteKey::load_or_create(&place.dir.0.join("invite-key")).expect("key");
    let refused = Postgres::open(&place.database, key).expect_err("refused");
    assert!(
        refused.to_string().contains("synchronous_commit"),
        "{refused}"
    );
}
