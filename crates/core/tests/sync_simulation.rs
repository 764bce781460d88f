//! A seeded simulation of the sync engine: several clients against a model of the server's
//! push and pull rules, over a network that drops, duplicates, reorders and delays messages,
//! with clients that crash at the worst moments (after sending, before saving an
//! acknowledgement; between saving a pulled page and its cursor). Clients make every kind of
//! change that races in the field: visits and their retractions, follow-ups closed, address
//! corrections, attendance ticks, role changes.
//!
//! The run is judged by liveness and convergence, not by silence on the network (clients keep
//! polling, so it is never silent): once the faults stop, every client must reach the end of the
//! server's log with an empty outbox within a bounded time; then every replica is equal, no
//! acknowledged operation is lost, and every operation made is on the server exactly once.
//!
//! `SIM_SEEDS=n` runs n seeds (default 10,000); `SIM_SEED=s` replays one.

use std::collections::{BTreeMap, BTreeSet};

use buurtbel_core::domain::{FollowUpKind, Outcome, Resolution, Role};
use buurtbel_core::factory::{EPOCH_MS, OpFactory};
use buurtbel_core::ids::{AddressId, MeetingId, OpId, VisitId};
use buurtbel_core::op::{FollowUp, Operation, Payload, VisitLog};
use buurtbel_core::protocol::{Cursor, PullRequest, PullResponse, PushRequest, PushResponse};
use buurtbel_core::state::State;
use buurtbel_core::sync::{Failure, ModelServer, Next, SyncEngine};

/// splitmix64: small, fast, and the same on every machine.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
    fn chance(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }
}

#[derive(Clone)]
enum Body {
    Push(PushRequest),
    Pull(PullRequest),
    Pushed(PushResponse),
    Pulled(PullResponse),
}

#[derive(Clone)]
struct Message {
    at: u64,
    client: usize,
    /// The client's incarnation and request number: answers to an earlier life are ignored.
    tag: (u32, u64),
    body: Body,
}

/// What survives a crash.
#[derive(Default)]
struct Durable {
    known: BTreeMap<OpId, Operation>,
    outbox: Vec<Operation>,
    cursor: Cursor,
}

struct Client {
    durable: Durable,
    factory: OpFactory,
    engine: SyncEngine,
    state: State,
    in_flight: Option<((u32, u64), u64)>,
    incarnation: u32,
    requests: u64,
    address: AddressId,
}

impl Client {
    fn new(seed: u8) -> Client {
        let mut factory = OpFactory::new(seed);
        let address = factory.id(AddressId::new_v7);
        let engine = SyncEngine::new(factory.author().device, Cursor(0));
        Client {
            durable: Durable::default(),
            factory,
            engine,
            state: State::default(),
            in_flight: None,
            incarnation: 0,
            requests: 0,
            address,
        }
    }

    /// A visit this client knows of (its own or pulled), if any.
    fn known_visit(&self, rng: &mut Rng) -> Option<VisitId> {
        let n = self.state.visits.len() as u64;
        (n > 0).then(|| {
            let k = rng.below(n) as usize;
            *self
                .state
                .visits
                .keys()
                .nth(k)
                .expect("k is below the count")
        })
    }

    fn create(&mut self, rng: &mut Rng) {
        self.factory.advance_ms(1 + rng.below(50));
        let known = self.known_visit(rng);
        let payload = match (rng.below(8), known) {
            (0, _) => Payload::MemberUpdate {
                member: self.factory.author().member,
                display_name: Some(format!("Naam {}", rng.below(5))),
                roles: Some([Role::ALL[rng.below(3) as usize]].into()),
            },
            (1, _) => Payload::AddressUpdate {
                address: self.address,
                street: rng.chance(50).then(|| format!("Straat {}", rng.below(3))),
                number: rng.chance(30).then(|| 1 + rng.below(9) as u32),
                letter: None,
                addition: None,
                postcode: None,
                do_not_visit: rng.chance(50).then(|| rng.chance(50)),
            },
            (2, _) => Payload::MeetingAttend {
                // One meeting every client ticks attendance at.
                meeting: MeetingId::new_v7(EPOCH_MS, [0xee; 10]),
                member: Client::new(1 + rng.below(3) as u8).factory.author().member,
                present: rng.chance(60),
            },
            (3, Some(visit)) => Payload::VisitRetract { visit },
            (4, Some(visit)) => Payload::FollowUpResolve {
                visit,
                resolution: [None, Some(Resolution::Done), Some(Resolution::Cancelled)]
                    [rng.below(3) as usize],
            },
            _ => {
                let visit = self.factory.id(VisitId::new_v7);
                Payload::VisitLog(VisitLog {
                    visit,
                    address: self.address,
                    at_ms: self.factory.now_ms(),
                    outcome: Outcome::ALL[rng.below(8) as usize],
                    interests: BTreeMap::new(),
                    pledges: BTreeMap::new(),
                    join_team: None,
                    note: String::new(),
                    follow_up: rng.chance(30).then_some(FollowUp {
                        kind: FollowUpKind::Revisit,
                        date: None,
                    }),
                    flyer: false,
                })
            }
        };
        let op = self.factory.op(payload);
        // Saved first (known + outbox in one step), shown at once.
        self.durable.known.insert(op.id, op.clone());
        self.durable.outbox.push(op.clone());
        self.state.apply(&op);
    }

    fn crash(&mut self) {
        self.incarnation += 1;
        self.in_flight = None;
        self.engine = SyncEngine::new(self.factory.author().device, self.durable.cursor);
        self.state = State::fold(self.durable.known.values());
    }
}

struct Faults {
    drop: u64,
    duplicate: u64,
    crash: u64,
    create: u64,
}

struct Sim {
    rng: Rng,
    server: ModelServer,
    clients: Vec<Client>,
    net: Vec<Message>,
    now: u64,
    acked: BTreeSet<OpId>,
    /// A deliberately broken client, to prove the checks can fail.
    forgetful: bool,
}

const TICK_MS: u64 = 100;
const TIMEOUT_TICKS: u64 = 30;

impl Sim {
    /// Three clients and an empty server.
    fn new(seed: u64, forgetful: bool) -> Sim {
        Sim {
            rng: Rng(seed),
            server: ModelServer::default(),
            clients: (0..3).map(|i| Client::new(i + 1)).collect(),
            net: Vec::new(),
            now: 0,
            acked: BTreeSet::new(),
            forgetful,
        }
    }

    fn send(&mut self, faults: &Faults, msg: Message) {
        if self.rng.chance(faults.drop) {
            return;
        }
        let copies = if self.rng.chance(faults.duplicate) {
            2
        } else {
            1
        };
        for _ in 0..copies {
            let mut m = msg.clone();
            m.at = self.now + self.rng.below(8) * TICK_MS;
            self.net.push(m);
        }
    }

    fn tick(&mut self, faults: &Faults, trigger_all: bool) {
        self.now += TICK_MS;
        let now = self.now;
        for i in 0..self.clients.len() {
            if self.rng.chance(faults.create) {
                let n = 1 + self.rng.below(3);
                for _ in 0..n {
                    let c = &mut self.clients[i];
                    c.create(&mut self.rng);
                }
            }
            if self.rng.chance(faults.crash) {
                self.clients[i].crash();
            }
            let jitter = self.rng.next() as u32;
            let c = &mut self.clients[i];
            if trigger_all || self.rng.chance(5) {
                c.engine.trigger(now);
            }
            if let Some((_, sent)) = c.in_flight
                && now - sent > TIMEOUT_TICKS * TICK_MS
            {
                c.in_flight = None;
                c.engine.failed(Failure::Offline, now, jitter);
            }
            if c.in_flight.is_none() {
                let body = match c.engine.next(&c.durable.outbox, now) {
                    Next::Push(r) => {
                        if self.forgetful {
                            c.durable
                                .outbox
                                .retain(|op| !r.ops.iter().any(|sent| sent.id == op.id));
                        }
                        Some(Body::Push(r))
                    }
                    Next::Pull(r) => Some(Body::Pull(r)),
                    _ => None,
                };
                if let Some(body) = body {
                    c.requests += 1;
                    let tag = (c.incarnation, c.requests);
                    c.in_flight = Some((tag, now));
                    self.send(
                        faults,
                        Message {
                            at: 0,
                            client: i,
                            tag,
                            body,
                        },
                    );
                }
            }
        }
        // Deliver what is due, in random order.
        let mut due: Vec<Message> = Vec::new();
        let mut i = 0;
        while i < self.net.len() {
            if self.net[i].at <= now {
                due.push(self.net.swap_remove(i))
            } else {
                i += 1
            }
        }
        while !due.is_empty() {
            let k = self.rng.below(due.len() as u64) as usize;
            let msg = due.swap_remove(k);
            self.deliver(faults, msg);
        }
    }

    fn deliver(&mut self, faults: &Faults, msg: Message) {
        let now = self.now;
        let reply = |body| Message {
            at: 0,
            client: msg.client,
            tag: msg.tag,
            body,
        };
        match &msg.body {
            Body::Push(r) => {
                let answer = self.server.push(r);
                self.send(faults, reply(Body::Pushed(answer)));
            }
            Body::Pull(r) => {
                let answer = self.server.pull(r);
                self.send(faults, reply(Body::Pulled(answer)));
            }
            Body::Pushed(answer) => {
                let crash = self.rng.chance(faults.crash * 5);
                let c = &mut self.clients[msg.client];
                if c.in_flight.map(|(tag, _)| tag) != Some(msg.tag) {
                    return; // an answer to an earlier life or an abandoned request
                }
                if crash {
                    c.crash(); // received, but died before saving the acknowledgement
                    return;
                }
                c.in_flight = None;
                let acked: BTreeSet<OpId> = c.engine.pushed(answer, now).into_iter().collect();
                c.durable.outbox.retain(|op| !acked.contains(&op.id));
                self.acked.extend(acked);
            }
            Body::Pulled(answer) => {
                let crash = self.rng.chance(faults.crash * 5);
                let c = &mut self.clients[msg.client];
                if c.in_flight.map(|(tag, _)| tag) != Some(msg.tag) {
                    return;
                }
                c.in_flight = None;
                let received = c.engine.pulled(answer.clone(), now);
                for op in received.ops {
                    c.state.apply(&op);
                    c.durable.known.insert(op.id, op);
                }
                if crash {
                    c.crash(); // the page is saved, its cursor is not
                    return;
                }
                c.durable.cursor = received.cursor;
            }
        }
    }

    /// Every client has sent everything it made and holds the whole log: converged, even if
    /// requests (polls) are still on the wire.
    fn converged(&self) -> bool {
        self.clients.iter().all(|c| {
            c.durable.outbox.is_empty()
                && c.durable.cursor.0 == self.server.log.len() as u64
                && c.durable.known.len() == self.server.log.len()
        })
    }
}

/// Ticks of calm (100 ms each) within which every client must converge: long enough for a
/// request lost in the storm to time out (3 s) and the retries after it, short enough that a
/// client stuck for good is caught.
const LIVENESS_TICKS: u64 = 1_000;

fn run(seed: u64) -> u64 {
    run_with(seed, false)
}

/// Runs one seed; returns the ticks of calm it took to converge.
fn run_with(seed: u64, forgetful: bool) -> u64 {
    let mut sim = Sim::new(seed, forgetful);
    let stormy = Faults {
        drop: 20,
        duplicate: 15,
        crash: 2,
        create: 30,
    };
    for _ in 0..300 {
        sim.tick(&stormy, false);
    }
    let calm = Faults {
        drop: 0,
        duplicate: 0,
        crash: 0,
        create: 0,
    };
    let mut ticks = 0;
    while !sim.converged() {
        sim.tick(&calm, true);
        ticks += 1;
        assert!(
            ticks < LIVENESS_TICKS,
            "seed {seed}: a client did not reach the end of the log within {LIVENESS_TICKS} ticks of calm"
        );
    }

    let on_server: BTreeSet<OpId> = sim.server.log.iter().map(|op| op.id).collect();
    assert_eq!(
        on_server.len(),
        sim.server.log.len(),
        "seed {seed}: an operation stored twice"
    );
    assert!(
        sim.acked.is_subset(&on_server),
        "seed {seed}: an acknowledged operation is lost"
    );
    let reference = State::fold(&sim.server.log);
    for (i, c) in sim.clients.iter().enumerate() {
        let made: BTreeSet<OpId> = c.durable.known.keys().copied().collect();
        assert_eq!(
            made, on_server,
            "seed {seed}: client {i} and the server hold different operations"
        );
        assert_eq!(
            c.state, reference,
            "seed {seed}: client {i} shows a different state"
        );
        assert_eq!(
            State::fold(c.durable.known.values()),
            reference,
            "seed {seed}: client {i} after a restart"
        );
    }
    ticks
}

#[test]
fn every_seed_converges_without_loss_or_doubles() {
    if let Some(seed) = std::env::var("SIM_SEED").ok().and_then(|s| s.parse().ok()) {
        run(seed);
        return;
    }
    let seeds: u64 = std::env::var("SIM_SEEDS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(10_000);
    let started = std::time::Instant::now();
    // Seeds are independent: spread them over the machine's cores.
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get() as u64);
    let slowest = std::thread::scope(|scope| {
        let workers: Vec<_> = (0..threads)
            .map(|t| {
                scope.spawn(move || {
                    let mut slowest = (0, 0);
                    for seed in (t..seeds).step_by(threads as usize) {
                        match std::panic::catch_unwind(|| run(seed)) {
                            Ok(ticks) => slowest = slowest.max((ticks, seed)),
                            Err(e) => {
                                eprintln!(
                                    "sync simulation failed for seed {seed}; replay with SIM_SEED={seed}"
                                );
                                std::panic::resume_unwind(e);
                            }
                        }
                    }
                    slowest
                })
            })
            .collect();
        workers
            .into_iter()
            .map(|w| w.join().unwrap_or_else(|e| std::panic::resume_unwind(e)))
            .max()
            .unwrap_or_default()
    });
    eprintln!(
        "sync simulation: {seeds} seeds converged in {:.1} s; slowest took {} ticks of calm (seed {})",
        started.elapsed().as_secs_f64(),
        slowest.0,
        slowest.1
    );
}

#[test]
fn the_simulation_catches_a_client_that_forgets_its_outbox_too_early() {
    // A simulation that could never fail proves nothing: a client that drops operations from
    // its outbox as soon as it sends them (instead of on acknowledgement) must be caught.
    let caught = (0..20).any(|seed| std::panic::catch_unwind(|| run_with(seed, true)).is_err());
    assert!(caught, "the checks missed lost operations");
}

#[test]
fn the_simulation_catches_a_client_that_never_syncs_again() {
    // Liveness: a client whose engine stops for good (a 401 it invents) never reaches the end
    // of the log, and the bounded wait must say so rather than loop or pass.
    let caught = (0..5).any(|seed| {
        std::panic::catch_unwind(|| {
            let mut sim = stuck_sim(seed);
            let calm = Faults {
                drop: 0,
                duplicate: 0,
                crash: 0,
                create: 0,
            };
            let mut ticks = 0;
            while !sim.converged() {
                sim.tick(&calm, true);
                ticks += 1;
                assert!(ticks < LIVENESS_TICKS, "not live");
            }
        })
        .is_err()
    });
    assert!(caught, "the checks missed lost operations");
}

/// Three clients, one of which made a change and then stopped syncing for good.
fn stuck_sim(seed: u64) -> Sim {
    let mut sim = Sim::new(seed, false);
    let Sim { rng, clients, .. } = &mut sim;
    clients[0].create(rng);
    clients[0].engine.failed(Failure::Unauthorized, 0, 0);
    sim
}
