//! What the core's integration tests share: operations of every kind drawn from small id
//! pools, and the erasure rule every replica must hold.

#![allow(dead_code, reason = "each test file uses part of this")]

use std::collections::{BTreeMap, BTreeSet};

use buurtbel_core::domain::{
    Channel, ConsentPurpose, Evidence, FollowUpKind, GuideKind, Interest, Measure, Outcome, Owner,
    Phase, Resolution, Role, Target, Theme, Unit,
};
use buurtbel_core::factory::EPOCH_MS;
use buurtbel_core::ids::{
    ActionItemId, AddressId, AdviceId, ConsentId, DecisionId, GuideItemId, MeetingId, MemberId,
    ProjectId, QuestionId, StepId, VisitId,
};
use buurtbel_core::op::{ConsentGive, FollowUp, Payload, VisitLog};
use buurtbel_core::state::State;
use chrono::NaiveDate;

/// How many kinds of operation [`payload`] draws from.
pub const KINDS: u8 = 42;

/// The kinds a phone makes: all but the last two, which only the server records (for a
/// project's resident page, and for a coach's advice).
pub const PHONE_KINDS: u8 = KINDS - 2;

pub fn pool<T>(make: fn(u64, [u8; 10]) -> T, tag: u8, i: u8) -> T {
    // Three of each entity: enough for collisions, few enough that they are frequent.
    make(EPOCH_MS, [tag, i % 3, 0, 0, 0, 0, 0, 0, 0, 1])
}

pub const NAMES: [&str; 3] = ["Anna", "Piet", "Fatima"];

pub fn roles(bits: u8) -> BTreeSet<Role> {
    Role::ALL
        .into_iter()
        .enumerate()
        .filter(|(i, _)| bits & (1 << i) != 0)
        .map(|(_, r)| r)
        .collect()
}

pub fn date(n: u8) -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 12, 1 + u32::from(n % 28)).expect("valid date")
}

/// An operation's payload of kind `kind` (any byte; every kind below [`KINDS`] is one), about the
/// entities `a` and `b` pick from the pools, with values from `c`.
pub fn payload(kind: u8, a: u8, b: u8, c: u8) -> Payload {
    let member = pool(MemberId::new_v7, 1, a);
    let project = pool(ProjectId::new_v7, 2, a);
    let step = pool(StepId::new_v7, 3, a);
    let address = pool(AddressId::new_v7, 4, a);
    let meeting = pool(MeetingId::new_v7, 5, a);
    let item = pool(ActionItemId::new_v7, 6, a);
    let consent = pool(ConsentId::new_v7, 7, a);
    let name = NAMES[usize::from(b % 3)].to_owned();
    // Visits share a small pool too, so retractions and follow-up resolutions race the visits
    // they name (and may arrive before them).
    let visit = VisitId::new_v7(EPOCH_MS, [8, a % 3, b % 2, 0, 0, 0, 0, 0, 0, 1]);
    let decision = DecisionId::new_v7(EPOCH_MS, [9, a % 3, b % 2, 0, 0, 0, 0, 0, 0, 1]);
    let guide = pool(GuideItemId::new_v7, 11, a);
    let question = QuestionId::new_v7(EPOCH_MS, [12, a % 3, b % 2, 0, 0, 0, 0, 0, 0, 1]);
    let advice = pool(AdviceId::new_v7, 13, a);
    match kind % KINDS {
        0 => Payload::TeamUpdate {
            name: Some(name),
            neighbourhood: c.is_multiple_of(2).then(|| "Lindenbuurt".into()),
        },
        1 => Payload::MemberAdd {
            member,
            display_name: name,
            roles: roles(c),
        },
        2 => Payload::MemberUpdate {
            member,
            display_name: c.is_multiple_of(2).then_some(name),
            roles: Some(roles(c)),
        },
        3 => Payload::MemberRemove { member },
        4 => Payload::ProjectAdd {
            project,
            theme: Theme::ALL[usize::from(b % 5)],
            title: name,
            target: c.is_multiple_of(2).then(|| Target {
                count: u32::from(c) + 1,
                unit: Unit::ALL[usize::from(b % 5)],
            }),
        },
        5 => Payload::ProjectUpdate {
            project,
            title: c.is_multiple_of(3).then_some(name),
            target: match c % 3 {
                0 => None,
                1 => Some(None),
                _ => Some(Some(Target {
                    count: u32::from(b) + 1,
                    unit: Unit::Euros,
                })),
            },
        },
        6 => Payload::ProjectRemove { project },
        7 => Payload::StepAdd {
            step,
            project: pool(ProjectId::new_v7, 2, b),
            title: name,
            description: String::new(),
            phase: Phase::ALL[usize::from(c % 5)],
            owner: Some(if c.is_multiple_of(2) {
                Owner::Role(Role::Driver)
            } else {
                Owner::Member(member)
            }),
            due: c.is_multiple_of(3).then(|| date(c)),
            order: i64::from(c),
            evidence: c.is_multiple_of(4).then_some(Evidence {
                measure: Measure::PledgedHouseholds,
                target: 60,
            }),
        },
        8 => Payload::StepUpdate {
            step,
            title: b.is_multiple_of(2).then_some(name),
            description: None,
            phase: c.is_multiple_of(2).then(|| Phase::ALL[usize::from(b % 5)]),
            owner: c.is_multiple_of(3).then_some(None),
            due: match c % 3 {
                0 => None,
                1 => Some(None),
                _ => Some(Some(date(b))),
            },
            order: Some(i64::from(b)),
            note: c.is_multiple_of(4).then(|| "Bel de gemeente".into()),
            skipped: Some(c % 2 == 1),
            evidence: match c % 5 {
                0 => Some(None),
                1 => Some(Some(Evidence {
                    measure: Measure::Consents(ConsentPurpose::MeetingInvitations),
                    target: u32::from(b) + 1,
                })),
                _ => None,
            },
        },
        9 => Payload::StepDone {
            step,
            done: b.is_multiple_of(2),
        },
        10 => Payload::StepRemove { step },
        11 => Payload::AddressAdd {
            address,
            street: ["Lindelaan", "Eikenstraat", "Beukenlaan"][usize::from(b % 3)].into(),
            number: u32::from(c) + 1,
            letter: String::new(),
            addition: String::new(),
            postcode: "3581 BA".into(),
        },
        12 => Payload::AddressUpdate {
            address,
            street: b
                .is_multiple_of(2)
                .then(|| ["Lindelaan", "Lindenlaan"][usize::from(c % 2)].into()),
            number: b.is_multiple_of(3).then_some(u32::from(c) + 1),
            letter: c
                .is_multiple_of(3)
                .then(|| ["", "a"][usize::from(b % 2)].into()),
            addition: c.is_multiple_of(5).then(|| "2".into()),
            postcode: b.is_multiple_of(5).then(|| "3581 BB".into()),
            do_not_visit: c.is_multiple_of(2).then_some(b.is_multiple_of(2)),
        },
        13 => Payload::AddressRemove { address },
        14 | 15 | 24 => Payload::VisitLog(VisitLog {
            visit,
            address,
            at_ms: EPOCH_MS + u64::from(c) * 1000,
            outcome: Outcome::ALL[usize::from(b % 8)],
            interests: BTreeMap::from([(
                project,
                [Interest::Maybe, Interest::Interested, Interest::Joins][usize::from(c % 3)],
            )]),
            pledges: if c % 3 == 2 {
                BTreeMap::from([(project, 25)])
            } else {
                BTreeMap::new()
            },
            join_team: b.is_multiple_of(4).then(|| roles(c)),
            note: format!("Praatje met {name}"),
            follow_up: c.is_multiple_of(3).then_some(FollowUp {
                kind: FollowUpKind::Revisit,
                date: Some(date(c)),
            }),
            flyer: false,
            online: false,
        }),
        16 => Payload::ConsentGive(ConsentGive {
            consent,
            address,
            purposes: [ConsentPurpose::ProjectUpdates].into(),
            channels: [Channel::Email].into(),
            name,
            phone: "06 1234 5678".into(),
            email: "buur@example.nl".into(),
            given_at_ms: EPOCH_MS,
        }),
        17 => Payload::ConsentWithdraw {
            consent,
            withdrawn_at_ms: EPOCH_MS + u64::from(c),
        },
        18 => Payload::EraseResident { address },
        19 => Payload::MeetingAdd {
            meeting,
            date: date(c),
            title: name,
        },
        20 => Payload::MeetingUpdate {
            meeting,
            date: c.is_multiple_of(2).then(|| date(b)),
            title: b.is_multiple_of(2).then_some(name),
        },
        25 | 26 => Payload::MeetingAttend {
            meeting,
            member: pool(MemberId::new_v7, 1, b),
            present: c.is_multiple_of(3),
        },
        21 => Payload::DecisionAdd {
            decision,
            meeting,
            text: format!("{name} regelt de zaal"),
        },
        27 => Payload::DecisionRemove { decision },
        28 | 29 => Payload::VisitRetract { visit },
        30 => Payload::FollowUpResolve {
            visit,
            resolution: [None, Some(Resolution::Done), Some(Resolution::Cancelled)]
                [usize::from(c % 3)],
        },
        31 => Payload::ActionItemRemove { item },
        22 => Payload::ActionItemAdd {
            item,
            meeting,
            text: format!("{name} belt de installateur"),
            owner: Owner::Member(member),
            due: Some(date(c)),
        },
        23 => Payload::ActionItemUpdate {
            item,
            text: None,
            owner: c.is_multiple_of(2).then_some(Owner::Role(Role::Connector)),
            due: c.is_multiple_of(3).then_some(None),
            done: Some(b.is_multiple_of(2)),
        },
        32 => Payload::GuideItemAdd {
            item: guide,
            project,
            kind: GuideKind::ALL[usize::from(c % 3)],
            text: format!("{name} legt uit wat een AED is"),
            answer: if c % 3 == 2 {
                "Ongeveer 25 euro".into()
            } else {
                String::new()
            },
            order: i64::from(b),
            draft: c.is_multiple_of(2),
        },
        33 => Payload::GuideItemUpdate {
            item: guide,
            text: c
                .is_multiple_of(2)
                .then(|| format!("{name} schreef dit over")),
            answer: c.is_multiple_of(3).then(|| format!("Antwoord van {name}")),
            order: b.is_multiple_of(2).then_some(i64::from(c)),
            draft: c.is_multiple_of(5).then_some(false),
        },
        34 => Payload::GuideItemRemove { item: guide },
        35 => Payload::QuestionAsk {
            question,
            project: c.is_multiple_of(2).then_some(project),
            text: format!("Wat vindt {name} van de kosten?"),
            address: b.is_multiple_of(2).then_some(address),
            asked_at_ms: EPOCH_MS,
        },
        36 => Payload::QuestionAnswer {
            question,
            answer: format!("{name} weet het"),
        },
        37 => Payload::ProjectPage {
            project,
            open: c.is_multiple_of(2),
        },
        38 => Payload::AdviceHandle {
            advice,
            done: c.is_multiple_of(2),
        },
        // Streets named as the addresses spell them, and once differently, so two spellings
        // of one street race for its side.
        39 => Payload::StreetAssign {
            street: ["Lindelaan", "Eikenstraat", "lindelaan "][usize::from(b % 3)].into(),
            odd: c.is_multiple_of(2),
            member: (!c.is_multiple_of(5)).then_some(member),
        },
        // Proposed under the same ids the walk list's addresses use, so confirmations
        // (`AddressAdd`) and discards (`AddressRemove`) race the proposals.
        40 => Payload::AddressPropose {
            address,
            postcode: "3581 BB".into(),
            number: u32::from(b % 4) + 1,
            letter: String::new(),
            addition: String::new(),
        },
        41 => Payload::AdviceGive {
            advice,
            project: c.is_multiple_of(2).then_some(project),
            step: c.is_multiple_of(3).then_some(step),
            text: format!("Vraag {name} om de buren bij de volgende bijeenkomst uit te nodigen"),
            name: "Sanne de Vries".into(),
        },
        _ => unreachable!("kind is below 42"),
    }
}

/// Every personal field of data made before an erasure of its address is empty.
pub fn assert_erasure_holds(state: &State) {
    for visit in state.visits.values() {
        if state
            .erasures
            .get(&visit.address)
            .is_some_and(|e| visit.stamp <= *e)
        {
            assert!(visit.note.is_empty(), "erased note came back: {visit:?}");
        }
    }
    for (id, consent) in &state.consents {
        if state
            .erasures
            .get(&consent.address)
            .is_some_and(|e| consent.stamp <= *e)
        {
            assert!(
                consent.name.is_empty() && consent.phone.is_empty() && consent.email.is_empty()
            );
            assert!(
                state.consent_ended(*id, consent).is_some(),
                "an erased resident's consent still holds: {consent:?}"
            );
        }
    }
    for asked in state.questions.values().filter_map(|q| q.asked.as_ref()) {
        if let Some(address) = asked.address
            && state
                .erasures
                .get(&address)
                .is_some_and(|e| asked.stamp <= *e)
        {
            assert!(
                asked.text.is_empty(),
                "erased question came back: {asked:?}"
            );
        }
    }
}
