//! Makes well-formed operations with deterministic ids and timestamps, for tests, benchmarks,
//! simulations and demo data. Ids come from a seed and a counter, not from randomness.

use crate::clock::{Hlc, HlcClock};
use crate::ids::{DeviceId, MemberId, OpId};
use crate::op::{Author, Operation, Payload};

/// Start of the factory's clock: 2025-11-28 09:00 UTC.
pub const EPOCH_MS: u64 = 1_764_320_400_000;

/// Makes operations for one author on one device.
#[derive(Clone, Debug)]
pub struct OpFactory {
    author: Author,
    clock: HlcClock,
    now_ms: u64,
    seed: u8,
    counter: u64,
}

impl OpFactory {
    /// A factory whose ids are derived from `seed` (use a different seed per device).
    pub fn new(seed: u8) -> OpFactory {
        OpFactory {
            author: Author {
                member: MemberId::new_v7(EPOCH_MS, [seed, 0, 0, 0, 0, 0, 0, 0, 0, 1]),
                device: DeviceId::new_v7(EPOCH_MS, [seed, 0, 0, 0, 0, 0, 0, 0, 0, 2]),
            },
            clock: HlcClock::default(),
            now_ms: EPOCH_MS,
            seed,
            counter: 2,
        }
    }

    /// The factory's author.
    pub fn author(&self) -> Author {
        self.author
    }

    /// Uses another member as author (same device).
    pub fn with_member(mut self, member: MemberId) -> OpFactory {
        self.author.member = member;
        self
    }

    /// Uses another author (member and device), for example one a server registered.
    pub fn with_author(mut self, author: Author) -> OpFactory {
        self.author = author;
        self
    }

    /// Sets the factory's wall clock to `now_ms` (for operations a live server must accept).
    pub fn at(mut self, now_ms: u64) -> OpFactory {
        self.now_ms = now_ms;
        self
    }

    /// Moves the factory's wall clock forward.
    pub fn advance_ms(&mut self, ms: u64) {
        self.now_ms += ms;
    }

    /// The factory's wall clock.
    pub fn now_ms(&self) -> u64 {
        self.now_ms
    }

    /// 10 bytes unique to this factory and call.
    fn next_random(&mut self) -> [u8; 10] {
        self.counter += 1;
        let c = self.counter.to_be_bytes();
        [
            self.seed, 0xb0, c[0], c[1], c[2], c[3], c[4], c[5], c[6], c[7],
        ]
    }

    /// A fresh id of any id type.
    pub fn id<T>(&mut self, make: fn(u64, [u8; 10]) -> T) -> T {
        let random = self.next_random();
        make(self.now_ms, random)
    }

    /// An operation with `payload`, stamped by this factory's clock.
    pub fn op(&mut self, payload: Payload) -> Operation {
        // The factory's clock only moves forward, so a tick cannot fail in practice; a
        // saturated counter falls back to the last stamp, which is still a valid operation.
        let hlc = self
            .clock
            .tick(self.now_ms)
            .unwrap_or_else(|_| self.clock.last());
        self.op_at(hlc, payload)
    }

    /// A new address on `street` (postcode 3581 BA), a moment after the previous operation.
    pub fn address(&mut self, street: &str, number: u32) -> Operation {
        let address = self.id(crate::ids::AddressId::new_v7);
        self.advance_ms(5);
        self.op(Payload::AddressAdd {
            address,
            street: street.into(),
            number,
            letter: String::new(),
            addition: String::new(),
            postcode: "3581 BA".into(),
        })
    }

    /// A "niet thuis" visit at `address` now: the most common operation in the field.
    pub fn not_home(&mut self, address: crate::ids::AddressId) -> Operation {
        let visit = self.id(crate::ids::VisitId::new_v7);
        let at_ms = self.now_ms;
        self.op(Payload::VisitLog(crate::op::VisitLog {
            visit,
            address,
            at_ms,
            outcome: crate::domain::Outcome::NotHome,
            interests: Default::default(),
            pledges: Default::default(),
            join_team: None,
            note: String::new(),
            follow_up: None,
            flyer: false,
            online: false,
        }))
    }

    /// An operation with `payload` and an explicit timestamp (for races and drift).
    pub fn op_at(&mut self, hlc: Hlc, payload: Payload) -> Operation {
        Operation {
            id: self.id(OpId::new_v7),
            hlc,
            author: self.author,
            payload,
        }
    }
}

/// A realistic team log for benchmarks and demos: a team of 10 members, two projects with
/// their step plans, `addresses` addresses in streets of 100, and `visits` visits spread over
/// them (mostly "not home", as in the field).
pub fn sample_log(f: &mut OpFactory, addresses: usize, visits: usize) -> Vec<Operation> {
    use std::collections::BTreeMap;

    use crate::domain::{Interest, Outcome, Role, Theme};
    use crate::ids::{AddressId, ProjectId, StepId, VisitId};
    use crate::op::VisitLog;
    use crate::templates::{Lang, plan_payloads};

    let mut ops = Vec::with_capacity(addresses + visits + 64);
    ops.push(f.op(Payload::TeamUpdate {
        name: Some("Buurtteam Voorbeeld".into()),
        neighbourhood: Some("Voorbeeld-Noord".into()),
    }));
    for i in 0..10u8 {
        let member = f.id(MemberId::new_v7);
        ops.push(f.op(Payload::MemberAdd {
            member,
            display_name: format!("Ambassadeur {}", i + 1),
            roles: [Role::ALL[usize::from(i % 3)]].into(),
        }));
    }
    let projects: Vec<ProjectId> = [
        (Theme::Aed, "AED Voorbeeld-Noord"),
        (Theme::Solar, "Zon op Noord"),
    ]
    .into_iter()
    .map(|(theme, title)| {
        let project = f.id(ProjectId::new_v7);
        ops.push(f.op(Payload::ProjectAdd {
            project,
            theme,
            title: title.into(),
            target: crate::templates::suggested_target(theme),
        }));
        let steps = plan_payloads(theme, project, Lang::Nl, || f.id(StepId::new_v7));
        ops.extend(steps.into_iter().map(|p| f.op(p)));
        project
    })
    .collect();
    let streets = [
        "Lindelaan",
        "Eikenstraat",
        "Beukenlaan",
        "Kastanjeplein",
        "Wilgenhof",
    ];
    let address_ids: Vec<AddressId> = (0..addresses)
        .map(|i| {
            let address = f.id(AddressId::new_v7);
            ops.push(f.op(Payload::AddressAdd {
                address,
                street: format!("{} {}", streets[i / 100 % streets.len()], i / 500 + 1),
                number: (i % 100) as u32 + 1,
                letter: String::new(),
                addition: String::new(),
                postcode: "3581 BA".into(),
            }));
            address
        })
        .collect();
    for i in 0..visits {
        if address_ids.is_empty() {
            break;
        }
        f.advance_ms(1_000);
        let outcome = match i % 10 {
            0..=5 => Outcome::NotHome,
            6 => Outcome::NotInterested,
            7 => Outcome::Interested,
            8 => Outcome::Joins,
            _ => Outcome::WantsInformation,
        };
        let mut interests = BTreeMap::new();
        let mut pledges = BTreeMap::new();
        if matches!(outcome, Outcome::Interested | Outcome::Joins) {
            let project = projects[i % projects.len()];
            if outcome == Outcome::Joins {
                interests.insert(project, Interest::Joins);
                // The AED (even visits) is crowdfunded in euros; solar counts households.
                if i % 2 == 0 {
                    pledges.insert(project, 25);
                }
            } else {
                interests.insert(project, Interest::Interested);
            }
        }
        let visit = VisitLog {
            visit: f.id(VisitId::new_v7),
            address: address_ids[(i * 7919) % address_ids.len()],
            at_ms: f.now_ms(),
            outcome,
            interests,
            pledges,
            join_team: None,
            note: if outcome.reached() {
                "Vriendelijk gesprek, komt misschien naar de avond".into()
            } else {
                String::new()
            },
            follow_up: None,
            flyer: false,
            online: false,
        };
        ops.push(f.op(Payload::VisitLog(visit)));
    }
    ops
}
