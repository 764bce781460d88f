//! Derived views on a small Dutch buurt.

use std::collections::{BTreeMap, BTreeSet};

use buurtbel_core::domain::{FollowUpKind, Interest, Outcome, Owner, Phase, Role, Target, Theme};
use buurtbel_core::factory::OpFactory;
use buurtbel_core::ids::{AddressId, MemberId, ProjectId, StepId, VisitId};
use buurtbel_core::op::{FollowUp, Operation, Payload, VisitLog};
use buurtbel_core::state::State;
use buurtbel_core::views::{
    counts_per_member, counts_per_street, follow_ups_due, funnel, plan_progress, role_coverage,
    walk_list,
};
use chrono::NaiveDate;

struct Buurt {
    f: OpFactory,
    ops: Vec<Operation>,
}

impl Buurt {
    fn new() -> Buurt {
        Buurt {
            f: OpFactory::new(7),
            ops: Vec::new(),
        }
    }

    fn push(&mut self, payload: Payload) -> &Operation {
        let op = self.f.op(payload);
        op.validate().expect("test operations are valid");
        self.ops.push(op);
        self.ops.last().expect("just pushed")
    }

    fn member(&mut self, name: &str, roles: &[Role]) -> MemberId {
        let member = self.f.id(MemberId::new_v7);
        self.push(Payload::MemberAdd {
            member,
            display_name: name.into(),
            roles: roles.iter().copied().collect(),
        });
        member
    }

    fn address(&mut self, street: &str, number: u32, letter: &str, addition: &str) -> AddressId {
        let address = self.f.id(AddressId::new_v7);
        self.push(Payload::AddressAdd {
            address,
            street: street.into(),
            number,
            letter: letter.into(),
            addition: addition.into(),
            postcode: "3581 BA".into(),
        });
        address
    }

    fn visit(&mut self, address: AddressId, outcome: Outcome) -> VisitLog {
        VisitLog {
            visit: self.f.id(VisitId::new_v7),
            address,
            at_ms: self.f.now_ms(),
            outcome,
            interests: BTreeMap::new(),
            pledge_cents: None,
            join_team: None,
            note: String::new(),
            follow_up: None,
        }
    }

    fn log(&mut self, visit: VisitLog) {
        self.f.advance_ms(60_000);
        self.push(Payload::VisitLog(visit));
    }

    /// Logs a plain visit with only an outcome.
    fn door(&mut self, address: AddressId, outcome: Outcome) {
        let visit = self.visit(address, outcome);
        self.log(visit);
    }

    fn state(&self) -> State {
        State::fold(&self.ops)
    }
}

fn label(state: &State, id: AddressId) -> String {
    let a = &state.addresses[&id];
    format!(
        "{} {}{}{}",
        a.street.value,
        a.number.value,
        a.letter.value,
        if a.addition.value.is_empty() {
            String::new()
        } else {
            format!("-{}", a.addition.value)
        }
    )
}

#[test]
fn a_team_without_a_verbinder_is_not_ready_and_says_so() {
    let mut b = Buurt::new();
    b.member("Anna de Vries", &[Role::Expert]);
    let piet = b.member("Piet Jansen", &[Role::Driver, Role::Expert]);
    let coverage = role_coverage(&b.state());
    assert!(!coverage.ready());
    assert_eq!(
        coverage.missing,
        [Role::Connector],
        "we still need a verbinder"
    );
    assert_eq!(coverage.thin, [Role::Driver]);

    let fatima = b.member("Fatima El Amrani", &[Role::Connector]);
    let coverage = role_coverage(&b.state());
    assert!(coverage.ready() && !coverage.balanced());
    assert_eq!(coverage.holders[&Role::Expert].len(), 2);
    assert_eq!(coverage.holders[&Role::Connector], [fatima]);

    b.member("Kees Bakker", &[Role::Connector, Role::Driver]);
    assert!(role_coverage(&b.state()).balanced());

    b.push(Payload::MemberRemove { member: piet });
    let coverage = role_coverage(&b.state());
    assert_eq!(coverage.thin, [Role::Expert, Role::Driver], "Piet left");
}

#[test]
fn the_walk_list_goes_street_by_street_odd_side_first() {
    let mut b = Buurt::new();
    let order = [
        ("Lindelaan", 4, "", ""),
        ("Eikenstraat", 2, "", ""),
        ("Lindelaan", 1, "", ""),
        ("Lindelaan", 3, "b", ""),
        ("Lindelaan", 3, "a", ""),
        ("Lindelaan", 2, "", "10"),
        ("Lindelaan", 2, "", "2"),
        ("eikenstraat", 1, "", ""),
        ("Lindelaan", 5, "", ""),
    ];
    let ids: Vec<AddressId> = order
        .iter()
        .map(|(s, n, l, a)| b.address(s, *n, l, a))
        .collect();
    let nee = ids[8];
    let log = b.visit(nee, Outcome::DoNotVisit);
    b.log(log);
    let state = b.state();
    let walk: Vec<String> = walk_list(&state)
        .iter()
        .map(|(id, _)| label(&state, *id))
        .collect();
    assert_eq!(
        walk,
        [
            "eikenstraat 1",
            "Eikenstraat 2",
            "Lindelaan 1",
            "Lindelaan 3a",
            "Lindelaan 3b",
            "Lindelaan 2-2",
            "Lindelaan 2-10",
            "Lindelaan 4",
        ],
        "Lindelaan 5 said 'wil niet meer benaderd worden'"
    );

    // The team may put an address back after talking it through.
    b.push(Payload::AddressUpdate {
        address: nee,
        do_not_visit: Some(false),
    });
    assert_eq!(walk_list(&b.state()).len(), 9);
    b.push(Payload::AddressUpdate {
        address: ids[0],
        do_not_visit: Some(true),
    });
    assert_eq!(walk_list(&b.state()).len(), 8);
}

#[test]
fn the_aed_funnel_counts_households_against_the_target() {
    let mut b = Buurt::new();
    let aed = b.f.id(ProjectId::new_v7);
    b.push(Payload::ProjectAdd {
        project: aed,
        theme: Theme::Aed,
        title: "AED Lindelaan".into(),
        target: Some(Target {
            count: 60,
            unit: "huishoudens".into(),
        }),
    });
    let homes: Vec<AddressId> = (1..=10)
        .map(|n| b.address("Lindelaan", n, "", ""))
        .collect();
    // Not home twice at 1, then interested; 2 joins with EUR 25; 3 joins with EUR 50 after
    // first saying maybe; 4 not interested; 5 never visited.
    b.door(homes[0], Outcome::NotHome);
    b.door(homes[0], Outcome::NotHome);
    let mut v = b.visit(homes[0], Outcome::Interested);
    v.interests.insert(aed, Interest::Interested);
    b.log(v);
    let mut v = b.visit(homes[1], Outcome::Joins);
    v.interests.insert(aed, Interest::Joins);
    v.pledge_cents = Some(2500);
    b.log(v);
    let mut v = b.visit(homes[2], Outcome::WantsInformation);
    v.interests.insert(aed, Interest::Maybe);
    b.log(v);
    let mut v = b.visit(homes[2], Outcome::Joins);
    v.interests.insert(aed, Interest::Joins);
    v.pledge_cents = Some(5000);
    b.log(v);
    b.door(homes[3], Outcome::NotInterested);

    let f = funnel(&b.state(), aed);
    assert_eq!(f.households, 10);
    assert_eq!(
        f.reached, 4,
        "addresses 1 to 4 opened the door at least once"
    );
    assert_eq!(f.interested, 3);
    assert_eq!(f.joined, 2);
    assert_eq!(f.pledged_cents, 7500);
    assert_eq!(
        f.target,
        Some(Target {
            count: 60,
            unit: "huishoudens".into()
        })
    );
}

#[test]
fn plan_progress_counts_per_phase_without_skipped_steps() {
    let mut b = Buurt::new();
    let solar = b.f.id(ProjectId::new_v7);
    b.push(Payload::ProjectAdd {
        project: solar,
        theme: Theme::Solar,
        title: "Zon op Lindelaan".into(),
        target: None,
    });
    let mut ids = Vec::new();
    for (i, (title, phase)) in [
        ("Vorm het buurtteam", Phase::Initiate),
        ("Eerste teamoverleg", Phase::Initiate),
        ("Informatieavond", Phase::Activate),
        ("Check VvE", Phase::Structure),
    ]
    .into_iter()
    .enumerate()
    {
        let step = b.f.id(StepId::new_v7);
        ids.push(step);
        b.push(Payload::StepAdd {
            step,
            project: solar,
            title: title.into(),
            description: String::new(),
            phase,
            owner: Some(Owner::Role(Role::Driver)),
            due: None,
            order: i as i64,
            evidence: None,
        });
    }
    b.push(Payload::StepDone {
        step: ids[0],
        done: true,
    });
    b.push(Payload::StepDone {
        step: ids[1],
        done: true,
    });
    b.push(Payload::StepDone {
        step: ids[1],
        done: false,
    }); // reopened
    b.push(Payload::StepUpdate {
        step: ids[3],
        title: None,
        description: None,
        phase: None,
        owner: None,
        due: None,
        order: None,
        note: Some("Geen VvE in deze straat".into()),
        skipped: Some(true),
    });
    let state = b.state();
    let p = plan_progress(&state, solar);
    assert_eq!(
        (p[&Phase::Initiate].done, p[&Phase::Initiate].total),
        (1, 2)
    );
    assert_eq!(
        (p[&Phase::Activate].done, p[&Phase::Activate].total),
        (0, 1)
    );
    assert_eq!(
        (p[&Phase::Structure].total, p[&Phase::Structure].skipped),
        (0, 1)
    );
    let done = state.steps[&ids[0]].done.value.expect("done");
    assert_eq!(
        done.by,
        b.f.author().member,
        "who ticked it off is recorded"
    );
}

#[test]
fn follow_ups_are_due_until_a_later_visit_settles_them() {
    let mut b = Buurt::new();
    let a = b.address("Beukenlaan", 12, "", "");
    let c = b.address("Beukenlaan", 14, "", "");
    let d = b.address("Beukenlaan", 16, "", "");
    let day = |d: u32| NaiveDate::from_ymd_opt(2026, 12, d).expect("date");
    let mut v = b.visit(a, Outcome::ComeBackLater);
    v.follow_up = Some(FollowUp {
        kind: FollowUpKind::Revisit,
        date: Some(day(5)),
    });
    b.log(v);
    let mut v = b.visit(c, Outcome::WantsInformation);
    v.follow_up = Some(FollowUp {
        kind: FollowUpKind::SendInformation,
        date: None,
    });
    b.log(v);
    let mut v = b.visit(d, Outcome::ComeBackLater);
    v.follow_up = Some(FollowUp {
        kind: FollowUpKind::Revisit,
        date: Some(day(20)),
    });
    b.log(v);

    let due = follow_ups_due(&b.state(), day(6));
    let at: BTreeSet<AddressId> = due.iter().map(|f| f.address).collect();
    assert_eq!(
        at,
        [a, c].into_iter().collect(),
        "Beukenlaan 16 is due on the 20th"
    );
    assert!(
        follow_ups_due(&b.state(), day(4))
            .iter()
            .all(|f| f.address == c)
    );

    b.door(a, Outcome::Interested);
    let due = follow_ups_due(&b.state(), day(6));
    assert_eq!(due.len(), 1, "the revisit at 12 took place");
}

#[test]
fn counts_per_member_and_per_street() {
    let mut b = Buurt::new();
    let a1 = b.address("Lindelaan", 1, "", "");
    let a2 = b.address("Lindelaan", 3, "", "");
    b.address("Eikenstraat", 1, "", "");
    b.door(a1, Outcome::NotHome);
    b.door(a1, Outcome::Interested);
    b.door(a2, Outcome::NotHome);
    let state = b.state();
    let per_member = counts_per_member(&state);
    let me = per_member[&b.f.author().member];
    assert_eq!((me.visits, me.reached), (3, 1));
    let per_street = counts_per_street(&state);
    let linde = per_street["Lindelaan"];
    assert_eq!((linde.households, linde.visited, linde.reached), (2, 2, 1));
    assert_eq!(per_street["Eikenstraat"].visited, 0);
}
