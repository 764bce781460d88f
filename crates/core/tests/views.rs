//! Derived views on a small Dutch buurt.

use std::collections::{BTreeMap, BTreeSet};

use buurtbel_core::domain::{
    ConsentPurpose, Evidence, FollowUpKind, Interest, Measure, Outcome, Owner, Phase, Resolution,
    Role, Target, Theme, Unit,
};
use buurtbel_core::factory::OpFactory;
use buurtbel_core::ids::{AddressId, MemberId, ProjectId, StepId, VisitId};
use buurtbel_core::op::{FollowUp, Operation, Payload, VisitLog};
use buurtbel_core::state::State;
use buurtbel_core::views::{
    AddressKey, address_index, address_status, counts_per_member, counts_per_street,
    evidence_progress, follow_ups, follow_ups_due, funnel, funnels, moved_order, open_actions,
    plan_progress, proposals, reorder, role_coverage, since, street_sides, walk_list, walk_order,
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
            pledges: BTreeMap::new(),
            join_team: None,
            note: String::new(),
            follow_up: None,
            flyer: false,
            online: false,
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
    b.push(mark(nee, false));
    assert_eq!(walk_list(&b.state()).len(), 9);
    b.push(mark(ids[0], true));
    assert_eq!(walk_list(&b.state()).len(), 8);
    assert_eq!(
        walk_order(&b.state()).len(),
        9,
        "the full order keeps them, to show greyed"
    );
}

fn mark(address: AddressId, do_not_visit: bool) -> Payload {
    Payload::AddressUpdate {
        address,
        street: None,
        number: None,
        letter: None,
        addition: None,
        postcode: None,
        do_not_visit: Some(do_not_visit),
    }
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
            count: 1500,
            unit: Unit::Euros,
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
    v.pledges.insert(aed, 25);
    b.log(v);
    let mut v = b.visit(homes[2], Outcome::WantsInformation);
    v.interests.insert(aed, Interest::Maybe);
    b.log(v);
    let mut v = b.visit(homes[2], Outcome::Joins);
    v.interests.insert(aed, Interest::Joins);
    v.pledges.insert(aed, 50);
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
    assert_eq!((f.pledged_households, f.pledged_amount), (2, 75));
    assert_eq!(
        f.progress(),
        Some((75, 1500)),
        "euros pledged of the target"
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
        evidence: None,
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
    let linde = &per_street["lindelaan"];
    assert_eq!((linde.households, linde.visited, linde.reached), (2, 2, 1));
    assert_eq!(linde.name, "Lindelaan");
    assert_eq!(per_street["eikenstraat"].visited, 0);
}

fn project(b: &mut Buurt, theme: Theme, target: Option<Target>) -> ProjectId {
    let project = b.f.id(ProjectId::new_v7);
    b.push(Payload::ProjectAdd {
        project,
        theme,
        title: format!("{theme:?}"),
        target,
    });
    project
}

#[test]
fn a_pledge_is_counted_once_and_for_its_own_project() {
    let mut b = Buurt::new();
    let aed = project(
        &mut b,
        Theme::Aed,
        Some(Target {
            count: 1500,
            unit: Unit::Euros,
        }),
    );
    let solar = project(
        &mut b,
        Theme::Solar,
        Some(Target {
            count: 20,
            unit: Unit::Panels,
        }),
    );
    let green = project(
        &mut b,
        Theme::Greening,
        Some(Target {
            count: 10,
            unit: Unit::Households,
        }),
    );
    let home = b.address("Lindelaan", 1, "", "");
    let other = b.address("Lindelaan", 3, "", "");
    // One door: joins the AED with EUR 25 and solar with 8 panels, is only interested in green
    // roofs. Before this model, one amount on the visit counted for every joined project.
    let mut v = b.visit(home, Outcome::Joins);
    v.interests.insert(aed, Interest::Joins);
    v.interests.insert(solar, Interest::Joins);
    v.interests.insert(green, Interest::Interested);
    v.pledges.insert(aed, 25);
    v.pledges.insert(solar, 8);
    b.log(v);
    // Another door: not interested in the AED, joins green roofs without an amount.
    let mut v = b.visit(other, Outcome::Joins);
    v.interests.insert(aed, Interest::None);
    v.interests.insert(green, Interest::Joins);
    b.log(v);

    let all = funnels(&b.state());
    assert_eq!((all[&aed].joined, all[&aed].pledged_amount), (1, 25));
    assert_eq!((all[&solar].joined, all[&solar].pledged_amount), (1, 8));
    assert_eq!(all[&aed].progress(), Some((25, 1500)));
    assert_eq!(all[&solar].progress(), Some((8, 20)), "panels, not euros");
    assert_eq!(
        (
            all[&green].interested,
            all[&green].joined,
            all[&green].pledged_households
        ),
        (2, 1, 0)
    );
    assert_eq!(
        all[&green].progress(),
        Some((1, 10)),
        "households that join"
    );

    // The same household pledging again later replaces its pledge: counted once.
    let mut v = b.visit(home, Outcome::Joins);
    v.interests.insert(aed, Interest::Joins);
    v.pledges.insert(aed, 40);
    b.log(v);
    let f = funnel(&b.state(), aed);
    assert_eq!(
        (f.joined, f.pledged_households, f.pledged_amount),
        (1, 1, 40)
    );
    assert_eq!(
        funnel(&b.state(), solar).pledged_amount,
        8,
        "its word on solar stands"
    );

    // A pledge for a project the resident does not join is refused before it is made.
    let mut v = b.visit(other, Outcome::Interested);
    v.interests.insert(solar, Interest::Interested);
    v.pledges.insert(solar, 4);
    assert!(b.f.op(Payload::VisitLog(v)).validate().is_err());
}

#[test]
fn evidence_steps_count_their_measure_live() {
    let mut b = Buurt::new();
    let aed = project(
        &mut b,
        Theme::Aed,
        Some(Target {
            count: 50,
            unit: Unit::Euros,
        }),
    );
    let step = |b: &mut Buurt, measure| {
        let step = b.f.id(StepId::new_v7);
        b.push(Payload::StepAdd {
            step,
            project: aed,
            title: "Flyeren".into(),
            description: String::new(),
            phase: Phase::Grow,
            owner: None,
            due: None,
            order: 1,
            evidence: Some(Evidence { measure, target: 2 }),
        });
        step
    };
    let pledged = step(&mut b, Measure::PledgedHouseholds);
    let amount = step(&mut b, Measure::PledgedAmount);
    let recruits = step(&mut b, Measure::NewMembers);
    let consents = step(
        &mut b,
        Measure::Consents(ConsentPurpose::MeetingInvitations),
    );
    let manual = b.f.id(StepId::new_v7);
    b.push(Payload::StepAdd {
        step: manual,
        project: aed,
        title: "Kies een kast".into(),
        description: String::new(),
        phase: Phase::Structure,
        owner: None,
        due: None,
        order: 2,
        evidence: None,
    });
    let homes: Vec<AddressId> = (1..=3)
        .map(|n| b.address("Eikenstraat", n, "", ""))
        .collect();
    for (i, home) in homes.iter().enumerate() {
        let mut v = b.visit(*home, Outcome::Joins);
        v.interests.insert(aed, Interest::Joins);
        if i < 1 {
            v.pledges.insert(aed, 25);
        }
        if i == 2 {
            v.join_team = Some([Role::Connector].into());
        }
        b.log(v);
    }
    let consent = b.f.id(buurtbel_core::ids::ConsentId::new_v7);
    let given_at_ms = b.f.now_ms();
    b.push(Payload::ConsentGive(buurtbel_core::op::ConsentGive {
        consent,
        address: homes[0],
        purposes: [ConsentPurpose::MeetingInvitations].into(),
        channels: [buurtbel_core::domain::Channel::Letterbox].into(),
        name: String::new(),
        phone: String::new(),
        email: String::new(),
        given_at_ms,
    }));
    let state = b.state();
    let progress = |s| evidence_progress(&state, s).expect("an evidence step");
    assert_eq!(
        (progress(pledged).count, progress(pledged).met()),
        (1, false)
    );
    assert_eq!((progress(amount).count, progress(amount).met()), (25, true));
    assert_eq!(progress(recruits).count, 1);
    assert_eq!(progress(consents).count, 1);
    assert_eq!(evidence_progress(&state, manual), None, "ticked by hand");

    // A second pledge reaches the target; the step says so.
    let mut v = b.visit(homes[1], Outcome::Joins);
    v.interests.insert(aed, Interest::Joins);
    v.pledges.insert(aed, 25);
    b.log(v);
    let p = evidence_progress(&b.state(), pledged).expect("evidence");
    assert_eq!((p.count, p.target, p.met()), (2, 2, true));
}

#[test]
fn follow_ups_sort_into_overdue_today_this_week_and_later_and_close_without_a_visit() {
    let mut b = Buurt::new();
    let day = |d: u32| NaiveDate::from_ymd_opt(2026, 12, d).expect("date");
    let wish = |b: &mut Buurt, n, date| {
        let a = b.address("Wilgenhof", n, "", "");
        let mut v = b.visit(a, Outcome::ComeBackLater);
        v.follow_up = Some(FollowUp {
            kind: FollowUpKind::Revisit,
            date,
        });
        let id = v.visit;
        b.log(v);
        id
    };
    let late = wish(&mut b, 1, Some(day(3)));
    let now = wish(&mut b, 3, Some(day(10)));
    let undated = wish(&mut b, 5, None);
    let soon = wish(&mut b, 7, Some(day(16)));
    let later = wish(&mut b, 9, Some(day(17)));
    let f = follow_ups(&b.state(), day(10));
    let ids = |list: &[buurtbel_core::views::FollowUpDue]| {
        list.iter().map(|x| x.visit).collect::<Vec<_>>()
    };
    assert_eq!(ids(&f.overdue), [late]);
    assert_eq!(
        ids(&f.today),
        [now, undated],
        "undated ones are due as soon as convenient"
    );
    assert_eq!(ids(&f.this_week), [soon]);
    assert_eq!(ids(&f.later), [later]);
    assert_eq!(f.len(), 5);

    // Done by phone, no door visit: it leaves the list; reopening brings it back.
    b.push(Payload::FollowUpResolve {
        visit: late,
        resolution: Some(Resolution::Done),
    });
    b.push(Payload::FollowUpResolve {
        visit: soon,
        resolution: Some(Resolution::Cancelled),
    });
    let f = follow_ups(&b.state(), day(10));
    assert!(f.overdue.is_empty() && f.this_week.is_empty());
    let resolved = b.state().follow_up_resolution(late).expect("resolved");
    assert_eq!(
        (resolved.resolution, resolved.by),
        (Resolution::Done, b.f.author().member)
    );
    b.push(Payload::FollowUpResolve {
        visit: late,
        resolution: None,
    });
    assert_eq!(ids(&follow_ups(&b.state(), day(10)).overdue), [late]);
}

#[test]
fn the_address_key_finds_a_duplicate_however_it_is_typed() {
    let mut b = Buurt::new();
    let id = b.address("Lange Nieuwstraat", 12, "a", "2");
    let index = address_index(&b.state());
    for (street, letter, addition, postcode) in [
        ("lange nieuwstraat", "A", "2", "3581BA"),
        ("  Lange   Nieuwstraat ", "a", "-2", "3581 ba"),
        ("LANGE NIEUWSTRAAT", "a", " 2", " 3581  BA"),
    ] {
        let key = AddressKey::new(street, 12, letter, addition, postcode);
        assert_eq!(
            index.get(&key),
            Some(&id),
            "{street:?} {letter:?} {addition:?}"
        );
    }
    for other in [
        AddressKey::new("Lange Nieuwstraat", 12, "b", "2", "3581 BA"),
        AddressKey::new("Lange Nieuwstraat", 12, "a", "3", "3581 BA"),
        AddressKey::new("Lange Nieuwstraat", 14, "a", "2", "3581 BA"),
        AddressKey::new("Korte Nieuwstraat", 12, "a", "2", "3581 BA"),
    ] {
        assert!(!index.contains_key(&other), "{other:?}");
    }
    // A corrected typo is found under its new spelling.
    let typo = b.address("Lindelan", 4, "", "");
    b.push(Payload::AddressUpdate {
        address: typo,
        street: Some("Lindelaan".into()),
        number: None,
        letter: None,
        addition: None,
        postcode: None,
        do_not_visit: None,
    });
    let index = address_index(&b.state());
    assert_eq!(
        index.get(&AddressKey::new("Lindelaan", 4, "", "", "3581 BA")),
        Some(&typo)
    );
}

#[test]
fn each_side_of_a_street_has_one_walker_the_last_assigned_and_a_removed_member_walks_none() {
    let mut b = Buurt::new();
    let anna = b.member("Anna", &[Role::Driver]);
    let piet = b.member("Piet", &[]);
    let one = b.address("Lindelaan", 1, "", "");
    b.address("Lindelaan", 3, "", "");
    b.address("Lindelaan", 2, "", "");
    let eiken = b.address("Eikenstraat", 4, "", "");
    b.door(one, Outcome::NotHome);
    b.push(assign("Lindelaan", true, Some(anna)));
    // The same street typed otherwise is the same side; the later assignment wins.
    b.push(assign("lindelaan ", true, Some(piet)));
    b.push(assign("Eikenstraat", false, Some(anna)));
    b.push(mark(eiken, true));
    let state = b.state();
    let mut reversed = b.ops.clone();
    reversed.reverse();
    assert_eq!(
        State::fold(&reversed),
        state,
        "the order of arrival does not matter"
    );
    let sides: Vec<(String, bool, usize, usize, Option<MemberId>)> = street_sides(&state)
        .into_iter()
        .map(|s| (s.name, s.odd, s.doors, s.left, s.walker))
        .collect();
    assert_eq!(
        sides,
        [
            ("Eikenstraat".to_owned(), false, 1, 0, Some(anna)),
            ("Lindelaan".to_owned(), true, 2, 1, Some(piet)),
            ("Lindelaan".to_owned(), false, 1, 1, None),
        ]
    );
    assert_eq!(state.sides_walked_by(piet), [("lindelaan", true)]);
    // Handed back to nobody, and a removed member's side is nobody's.
    b.push(assign("Lindelaan", true, None));
    b.push(Payload::MemberRemove { member: anna });
    let state = b.state();
    assert!(street_sides(&state).iter().all(|s| s.walker.is_none()));
    assert_eq!(state.walker("lindelaan", true), None);
    assert!(state.sides_walked_by(anna).is_empty());
}

fn assign(street: &str, odd: bool, member: Option<MemberId>) -> Payload {
    Payload::StreetAssign {
        street: street.into(),
        odd,
        member,
    }
}

#[test]
fn streets_are_one_street_in_walk_order_and_in_counts_whatever_their_spacing_or_case() {
    let mut b = Buurt::new();
    let a = b.address("Lindelaan", 1, "", "");
    let c = b.address("lindelaan ", 3, "", "");
    let d = b.address("Lange  Dijk", 2, "", "");
    let e = b.address("Lange Dijk", 1, "", "");
    b.door(c, Outcome::Interested);
    let state = b.state();
    assert_eq!(walk_order(&state), [e, d, a, c]);
    let streets = counts_per_street(&state);
    assert_eq!(
        streets.keys().collect::<Vec<_>>(),
        ["lange dijk", "lindelaan"]
    );
    assert_eq!(streets["lindelaan"].households, 2);
    assert_eq!(streets["lange dijk"].households, 2);
    let status = address_status(&state, c).expect("live");
    assert_eq!(status.last.map(|l| l.outcome), Some(Outcome::Interested));
}

#[test]
fn open_action_items_per_owner_and_overdue() {
    use buurtbel_core::ids::{ActionItemId, MeetingId};
    let mut b = Buurt::new();
    let anna = b.member("Anna", &[Role::Driver]);
    let meeting = b.f.id(MeetingId::new_v7);
    let day = |d: u32| NaiveDate::from_ymd_opt(2026, 12, d).expect("date");
    b.push(Payload::MeetingAdd {
        meeting,
        date: day(1),
        title: String::new(),
    });
    let item = |b: &mut Buurt, owner, due| {
        let item = b.f.id(ActionItemId::new_v7);
        b.push(Payload::ActionItemAdd {
            item,
            meeting,
            text: "Offerte opvragen".into(),
            owner,
            due,
        });
        item
    };
    let late = item(&mut b, Owner::Member(anna), Some(day(2)));
    let open = item(&mut b, Owner::Member(anna), None);
    let role = item(&mut b, Owner::Role(Role::Connector), Some(day(20)));
    let done = item(&mut b, Owner::Member(anna), Some(day(1)));
    let gone = item(&mut b, Owner::Member(anna), Some(day(1)));
    b.push(Payload::ActionItemUpdate {
        item: done,
        text: None,
        owner: None,
        due: None,
        done: Some(true),
    });
    b.push(Payload::ActionItemRemove { item: gone });
    let actions = open_actions(&b.state(), day(10));
    let ids =
        |list: &[buurtbel_core::views::OpenAction]| list.iter().map(|a| a.id).collect::<Vec<_>>();
    assert_eq!(
        ids(&actions.by_owner[&Some(Owner::Member(anna))]),
        [late, open]
    );
    assert_eq!(
        ids(&actions.by_owner[&Some(Owner::Role(Role::Connector))]),
        [role]
    );
    assert_eq!(ids(&actions.overdue), [late]);
}

#[test]
fn since_the_last_meeting_counts_only_what_happened_in_between() {
    let mut b = Buurt::new();
    let aed = project(
        &mut b,
        Theme::Aed,
        Some(Target {
            count: 1500,
            unit: Unit::Euros,
        }),
    );
    let step = b.f.id(StepId::new_v7);
    b.push(Payload::StepAdd {
        step,
        project: aed,
        title: "Bekijk de AED-dekking".into(),
        description: String::new(),
        phase: Phase::Initiate,
        owner: None,
        due: None,
        order: 1024,
        evidence: None,
    });
    let one = b.address("Lindelaan", 1, "", "");
    let two = b.address("Lindelaan", 3, "", "");
    let three = b.address("Lindelaan", 5, "", "");
    // Before the last meeting: one door interested, one not home.
    let mut v = b.visit(one, Outcome::Interested);
    v.interests.insert(aed, Interest::Interested);
    b.log(v);
    b.door(two, Outcome::NotHome);
    let from = b.f.now_ms() + 1;
    b.f.advance_ms(3_600_000);
    // In between: the interested door joins with EUR 25 (not newly interested, newly
    // pledged), the not-home door opens and is interested and wants to join the team, a third
    // door is not home, and the step is ticked.
    let mut v = b.visit(one, Outcome::Joins);
    v.interests.insert(aed, Interest::Joins);
    v.pledges.insert(aed, 25);
    b.log(v);
    let mut v = b.visit(two, Outcome::WantsToJoinTeam);
    v.interests.insert(aed, Interest::Interested);
    v.join_team = Some(BTreeSet::from([Role::Connector]));
    b.log(v);
    b.door(three, Outcome::NotHome);
    b.push(Payload::StepDone { step, done: true });
    let to = b.f.now_ms() + 1;
    // After the window: more, not counted.
    b.f.advance_ms(3_600_000);
    b.door(three, Outcome::NotInterested);

    let state = b.state();
    let s = since(&state, from, to);
    assert_eq!(s.visits, 3);
    assert_eq!(
        s.newly_reached, 1,
        "only the door that opened for the first time"
    );
    assert_eq!(s.interested(aed), 1);
    assert_eq!(s.toward_target(aed), 25, "euros pledged in between");
    assert_eq!(s.new_candidates, 1);
    assert_eq!(s.steps_done, vec![step]);
    // Everything up to now: the late visit counts, the window before the first door is empty.
    assert_eq!(since(&state, from, u64::MAX).visits, 4);
    let empty = since(&state, 0, 1);
    assert_eq!((empty.visits, empty.steps_done.len()), (0, 0));
}

#[test]
fn a_moved_step_lands_between_its_new_neighbours() {
    let orders = [1024, 2048, 3072, 4096];
    // Down one: between the third and the fourth.
    assert_eq!(moved_order(&orders, 1, 2), Some(3584));
    // Up one: between the first and the second.
    assert_eq!(moved_order(&orders, 2, 1), Some(1536));
    // To the top and to the bottom: room made outside the range.
    assert_eq!(moved_order(&orders, 3, 0), Some(0));
    assert_eq!(moved_order(&orders, 0, 3), Some(5120));
    // No room left between two neighbours: the caller renumbers.
    assert_eq!(moved_order(&[1, 2, 3], 2, 1), None);
    assert_eq!(moved_order(&orders, 1, 1), None);
    assert_eq!(moved_order(&[7], 0, 0), None);
    assert_eq!(moved_order(&orders, 9, 0), None);
    // The change to make: one order, or every item renumbered when there is no room.
    assert_eq!(reorder(&orders, 1, 2), vec![(1, 3584)]);
    assert_eq!(
        reorder(&[1, 2, 3], 2, 1),
        vec![(0, 1024), (2, 2048), (1, 3072)]
    );
    assert_eq!(reorder(&orders, 1, 1), vec![]);
}

#[test]
fn a_guide_reads_opening_points_questions_and_open_questions_wait_for_an_answer() {
    use buurtbel_core::domain::{Channel, ConsentPurpose, GuideKind};
    use buurtbel_core::guides::guide_payloads;
    use buurtbel_core::ids::{ConsentId, GuideItemId, QuestionId};
    use buurtbel_core::op::ConsentGive;
    use buurtbel_core::templates::Lang;
    use buurtbel_core::views::{guide_items, may_answer, open_questions};

    let mut b = Buurt::new();
    let aed = project(&mut b, Theme::Aed, None);
    let payloads = guide_payloads(Theme::Aed, aed, Lang::Nl, || b.f.id(GuideItemId::new_v7));
    for p in payloads {
        b.push(p);
    }
    // A question added first in time but ordered before the template's questions.
    let own = b.f.id(GuideItemId::new_v7);
    b.push(Payload::GuideItemAdd {
        item: own,
        project: aed,
        kind: GuideKind::Question,
        text: "Kan ik ook later betalen?".into(),
        answer: "Ja, tot de bestelling.".into(),
        order: 0,
        draft: false,
    });
    let state = b.state();
    let items = guide_items(&state, aed);
    let kinds: Vec<GuideKind> = items.iter().filter_map(|(_, g)| g.kind.value).collect();
    assert_eq!(kinds.first(), Some(&GuideKind::Opening));
    assert!(
        kinds.windows(2).all(|w| w[0] <= w[1]),
        "opening, points, questions"
    );
    let first_question = items
        .iter()
        .find(|(_, g)| g.kind.value == Some(GuideKind::Question))
        .expect("a question");
    assert_eq!(first_question.0, own);
    assert!(
        items
            .iter()
            .filter(|(id, _)| *id != own)
            .all(|(_, g)| g.draft.value)
    );

    // Questions from the door: open until answered; the address only with consent.
    let home = b.address("Lindelaan", 1, "", "");
    assert!(!may_answer(&state, home));
    let consent = b.f.id(ConsentId::new_v7);
    let given_at_ms = b.f.now_ms();
    b.push(Payload::ConsentGive(ConsentGive {
        consent,
        address: home,
        purposes: [ConsentPurpose::ProjectUpdates].into(),
        channels: [Channel::Email].into(),
        name: String::new(),
        phone: String::new(),
        email: "buur@example.nl".into(),
        given_at_ms,
    }));
    assert!(may_answer(&b.state(), home));
    let question = b.f.id(QuestionId::new_v7);
    let asked_at_ms = b.f.now_ms();
    b.push(Payload::QuestionAsk {
        question,
        project: Some(aed),
        text: "Wie betaalt de stroom van de kast?".into(),
        address: Some(home),
        asked_at_ms,
    });
    let state = b.state();
    let open = open_questions(&state);
    assert_eq!(open.len(), 1);
    assert_eq!(open[0].1.address, Some(home));
    b.push(Payload::QuestionAnswer {
        question,
        answer: "De eigenaar van de gevel; het is een paar euro per jaar.".into(),
    });
    assert!(open_questions(&b.state()).is_empty());
}

#[test]
fn an_answer_from_an_unknown_address_counts_only_once_the_team_confirms_it() {
    let mut b = Buurt::new();
    let aed = project(
        &mut b,
        Theme::Aed,
        Some(Target {
            count: 60,
            unit: Unit::Households,
        }),
    );
    let known = b.address("Lindelaan", 1, "", "");
    let start = b.f.now_ms();
    // The page: an answer at a listed door, and one from an address the list lacks.
    let mut online = b.visit(known, Outcome::Joins);
    online.online = true;
    online.interests.insert(aed, Interest::Joins);
    b.log(online);
    let new = b.f.id(AddressId::new_v7);
    let other = b.f.id(AddressId::new_v7);
    for (address, number) in [(new, 9), (other, 11)] {
        b.push(Payload::AddressPropose {
            address,
            postcode: "3581 BA".into(),
            number,
            letter: String::new(),
            addition: String::new(),
        });
        let mut answer = b.visit(address, Outcome::Joins);
        answer.online = true;
        answer.interests.insert(aed, Interest::Joins);
        b.log(answer);
    }
    let state = b.state();
    let status = address_status(&state, known).expect("listed");
    assert!(status.last.expect("answered").online, "the door shows it");
    assert_eq!(
        funnel(&state, aed).joined,
        1,
        "unconfirmed answers do not count"
    );
    assert_eq!(
        proposals(&state)
            .iter()
            .map(|(id, _)| *id)
            .collect::<Vec<_>>(),
        [new, other],
        "both wait, oldest first"
    );
    assert_eq!(
        walk_list(&state).len(),
        1,
        "a proposal is not on the walk list"
    );
    let meeting = since(&state, start, b.f.now_ms() + 1);
    assert_eq!(
        meeting.online, 1,
        "the meeting names the answer that counts"
    );
    // Confirming adds the address under the proposed id; discarding removes it and erases
    // what was given with it.
    b.push(Payload::AddressAdd {
        address: new,
        street: "Lindelaan".into(),
        number: 9,
        letter: String::new(),
        addition: String::new(),
        postcode: "3581 BA".into(),
    });
    let state = b.state();
    assert!(
        state
            .check_references(&b.f.op(Payload::AddressRemove { address: other }))
            .is_ok(),
        "a waiting proposal can be discarded"
    );
    assert!(
        state
            .check_references(&b.f.op(Payload::EraseResident { address: other }))
            .is_ok(),
        "and what came with it erased"
    );
    b.push(Payload::AddressRemove { address: other });
    let state = b.state();
    assert!(proposals(&state).is_empty());
    assert_eq!(
        funnel(&state, aed).joined,
        2,
        "the confirmed answer counts, once"
    );
    assert_eq!(walk_list(&state).len(), 2);
    assert_eq!(since(&state, start, b.f.now_ms() + 1).online, 2);
}
