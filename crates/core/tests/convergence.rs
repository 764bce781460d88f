//! Convergence: replicas holding the same set of operations have equal state, whatever the
//! order of arrival and however often an operation arrives. Operations are drawn from small id
//! pools with clustered timestamps, so concurrent edits of one field, edits racing removals and
//! erasures racing visits happen in nearly every case.

use std::collections::{BTreeMap, BTreeSet};

use buurtbel_core::clock::Hlc;
use buurtbel_core::domain::{Channel, ConsentPurpose, FollowUpKind, GuideKind, Outcome, Phase};
use buurtbel_core::factory::EPOCH_MS;
use buurtbel_core::ids::{
    AddressId, ConsentId, DeviceId, GuideItemId, MeetingId, MemberId, OpId, ProjectId, QuestionId,
    StepId, VisitId,
};
use buurtbel_core::op::{Author, ConsentGive, FollowUp, Operation, Payload, VisitLog};
use buurtbel_core::state::State;
use buurtbel_core::views;
use chrono::NaiveDate;
use proptest::prelude::*;

mod common;
use common::{assert_erasure_holds, date, payload, pool};

/// One drawn operation: which kind, which entities, which values, who and when.
type Draw = (u8, u8, u8, u8, u8, u8, u8);

fn operations(draws: &[Draw]) -> Vec<Operation> {
    draws
        .iter()
        .enumerate()
        .map(|(i, &(kind, a, b, c, device, wall, counter))| {
            let n = (i as u32).to_be_bytes();
            let op = Operation {
                id: OpId::new_v7(EPOCH_MS, [0, 0xff, n[0], n[1], n[2], n[3], 0, 0, 0, 1]),
                // Timestamps cluster in a few milliseconds and counters: many exact ties.
                hlc: Hlc {
                    wall_ms: EPOCH_MS + u64::from(wall % 4),
                    counter: u32::from(counter % 3),
                },
                author: Author {
                    member: pool(MemberId::new_v7, 1, device),
                    device: pool(DeviceId::new_v7, 10, device),
                },
                payload: payload(kind, a, b, c),
            };
            assert_eq!(
                op.validate(),
                Ok(()),
                "generated operations are valid: {op:?}"
            );
            op
        })
        .collect()
}

fn draws() -> impl Strategy<Value = Vec<Draw>> {
    prop::collection::vec(any::<Draw>(), 0..80)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    #[test]
    fn any_order_with_duplicates_converges(
        (ops, order) in draws().prop_flat_map(|d| {
            let ops = operations(&d);
            let n = ops.len();
            let order = Just((0..n).collect::<Vec<_>>()).prop_shuffle();
            (Just(ops), order)
        }),
        dups in prop::collection::vec(any::<prop::sample::Index>(), 0..20),
    ) {
        let reference = State::fold(&ops);
        let mut arrival: Vec<&Operation> = order.iter().map(|&i| &ops[i]).collect();
        if !ops.is_empty() {
            for d in &dups {
                let op = &ops[d.index(ops.len())];
                let at = d.index(arrival.len() + 1);
                arrival.insert(at, op);
            }
        }
        let replica = State::fold(arrival.iter().copied());
        prop_assert_eq!(&replica, &reference);
        assert_erasure_holds(&replica);
    }

    #[test]
    fn two_replicas_that_exchange_everything_are_equal(
        d in draws(),
        split in any::<prop::sample::Index>(),
    ) {
        // Each replica starts with part of the log, then receives the rest in its own order.
        let ops = operations(&d);
        let k = if ops.is_empty() { 0 } else { split.index(ops.len() + 1) };
        let mut left = State::fold(&ops[..k]);
        let mut right = State::fold(ops[k..].iter().rev());
        for op in ops[k..].iter().rev() {
            left.apply(op);
        }
        for op in &ops[..k] {
            right.apply(op);
        }
        prop_assert_eq!(left, right);
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn views_that_follow_touched_addresses_equal_views_derived_from_scratch(
        (ops, order) in draws().prop_flat_map(|d| {
            let ops = operations(&d);
            let n = ops.len();
            let order = Just((0..n).collect::<Vec<_>>()).prop_shuffle();
            (Just(ops), order)
        }),
    ) {
        use buurtbel_core::views::{address_statuses, address_status, empty_funnels, funnels, household_word, tally};
        // Like the app's memos: statuses and funnel words kept per address, re-derived only for
        // the addresses an operation touches (the funnels afresh when projects change).
        let mut state = State::default();
        let mut statuses = BTreeMap::new();
        let mut words = BTreeMap::new();
        let mut totals = empty_funnels(&state);
        for &i in &order {
            let op = &ops[i];
            let touched = state.addresses_touched_by(op);
            if !state.apply(op) {
                continue;
            }
            if matches!(op.payload.area(), buurtbel_core::op::Area::Plan) {
                totals = empty_funnels(&state);
                for word in words.values() {
                    tally(&mut totals, word, true);
                }
            }
            for address in touched {
                if let Some(old) = words.remove(&address) {
                    tally(&mut totals, &old, false);
                }
                if let Some(new) = household_word(&state, address) {
                    tally(&mut totals, &new, true);
                    words.insert(address, new);
                }
                match address_status(&state, address) {
                    Some(s) => statuses.insert(address, s),
                    None => statuses.remove(&address),
                };
            }
        }
        prop_assert_eq!(statuses, address_statuses(&state));
        prop_assert_eq!(totals, funnels(&state));
    }
}

fn author(device: u8) -> Author {
    Author {
        member: pool(MemberId::new_v7, 1, device),
        device: pool(DeviceId::new_v7, 10, device),
    }
}

fn op(n: u32, wall: u64, device: u8, payload: Payload) -> Operation {
    let b = n.to_be_bytes();
    Operation {
        id: OpId::new_v7(EPOCH_MS, [1, 0xee, b[0], b[1], b[2], b[3], 0, 0, 0, 1]),
        hlc: Hlc::at(EPOCH_MS + wall),
        author: author(device),
        payload,
    }
}

#[test]
fn concurrent_edits_of_one_field_resolve_by_clock_then_device() {
    let member = pool(MemberId::new_v7, 1, 0);
    let add = op(
        0,
        0,
        0,
        Payload::MemberAdd {
            member,
            display_name: "Anna".into(),
            roles: BTreeSet::new(),
        },
    );
    let rename = |n, wall, device, name: &str| {
        op(
            n,
            wall,
            device,
            Payload::MemberUpdate {
                member,
                display_name: Some(name.into()),
                roles: None,
            },
        )
    };
    let later = rename(1, 10, 0, "Anna de Vries");
    let earlier = rename(2, 5, 1, "Anneke");
    for ops in [[&add, &later, &earlier], [&earlier, &later, &add]] {
        assert_eq!(
            State::fold(ops).members[&member].display_name.value,
            "Anna de Vries"
        );
    }
    // Same HLC on two devices: the greater device id wins, on every replica.
    let tie_a = rename(3, 20, 0, "A");
    let tie_b = rename(4, 20, 1, "B");
    let winner = if author(1).device > author(0).device {
        "B"
    } else {
        "A"
    };
    assert_eq!(
        State::fold([&add, &tie_a, &tie_b]).members[&member]
            .display_name
            .value,
        winner
    );
    assert_eq!(
        State::fold([&tie_b, &tie_a, &add]).members[&member]
            .display_name
            .value,
        winner
    );
}

#[test]
fn an_edit_racing_a_removal_does_not_bring_the_entity_back() {
    let step = pool(StepId::new_v7, 3, 0);
    let project = pool(ProjectId::new_v7, 2, 0);
    let add = op(
        0,
        0,
        0,
        Payload::StepAdd {
            step,
            project,
            title: "Flyeren".into(),
            description: String::new(),
            phase: Phase::Grow,
            owner: None,
            due: None,
            order: 1,
            evidence: None,
        },
    );
    let remove = op(1, 5, 0, Payload::StepRemove { step });
    let done_later = op(2, 9, 1, Payload::StepDone { step, done: true });
    for ops in [
        [&add, &remove, &done_later],
        [&done_later, &remove, &add],
        [&remove, &done_later, &add],
    ] {
        let state = State::fold(ops);
        assert!(!state.steps[&step].life.is_live(), "removed stays removed");
    }
    // An update that arrives before the creation waits for it.
    let state = State::fold([&done_later, &add]);
    assert!(state.steps[&step].life.is_live());
    assert!(state.steps[&step].done.value.is_some());
}

#[test]
fn a_late_or_replayed_operation_cannot_bring_erased_data_back() {
    let address = pool(AddressId::new_v7, 4, 0);
    let visit = |n, wall, note: &str| {
        op(
            n,
            wall,
            0,
            Payload::VisitLog(VisitLog {
                visit: VisitId::new_v7(EPOCH_MS, [8, 0, 0, 0, 0, 0, 0, 0, 0, n as u8]),
                address,
                at_ms: EPOCH_MS + wall,
                outcome: Outcome::Interested,
                interests: BTreeMap::new(),
                pledges: BTreeMap::new(),
                join_team: None,
                note: note.into(),
                follow_up: None,
                flyer: false,
                online: false,
            }),
        )
    };
    let consent = op(
        1,
        2,
        1,
        Payload::ConsentGive(ConsentGive {
            consent: pool(ConsentId::new_v7, 7, 0),
            address,
            purposes: [ConsentPurpose::MeetingInvitations].into(),
            channels: [Channel::Phone].into(),
            name: "Mevrouw Jansen".into(),
            phone: "06 1234 5678".into(),
            email: String::new(),
            given_at_ms: EPOCH_MS,
        }),
    );
    let before = visit(2, 1, "Mevrouw Jansen wil graag bellen");
    let erase = op(3, 10, 0, Payload::EraseResident { address });
    let after = visit(4, 20, "Nieuwe bewoner, wil info");

    let mut state = State::fold([&before, &consent, &erase]);
    assert_eq!(
        state.visits.values().next().map(|v| v.note.as_str()),
        Some("")
    );
    let c = state
        .consents
        .values()
        .next()
        .expect("consent record stays");
    assert!(c.name.is_empty() && c.phone.is_empty());
    assert_eq!(
        c.purposes.len(),
        1,
        "the fact of consent remains, the personal data goes"
    );
    let consent_id = pool(ConsentId::new_v7, 7, 0);
    assert_eq!(
        state.consent_ended(consent_id, c),
        Some(EPOCH_MS + 10),
        "the erasure ended the consent"
    );
    assert_eq!(
        views::consents_for(&state, ConsentPurpose::MeetingInvitations),
        0
    );

    // Replayed: same operation again. Late: an old one this replica had not seen.
    assert!(!state.apply(&before), "a replay changes nothing");
    let late = visit(5, 3, "Oude notitie over mevrouw Jansen");
    state.apply(&late);
    assert!(state.visits.values().all(|v| v.note.is_empty()));

    // Data given after the erasure is new data and is kept.
    state.apply(&after);
    assert!(
        state
            .visits
            .values()
            .any(|v| v.note == "Nieuwe bewoner, wil info")
    );
    assert_eq!(
        state,
        State::fold([&after, &late, &erase, &consent, &before])
    );
}

#[test]
fn a_withdrawn_consent_keeps_its_purposes_and_loses_its_contact_details_in_any_order() {
    let address = pool(AddressId::new_v7, 3, 0);
    let id = pool(ConsentId::new_v7, 7, 1);
    let consent = op(
        1,
        2,
        1,
        Payload::ConsentGive(ConsentGive {
            consent: id,
            address,
            purposes: [ConsentPurpose::ProjectUpdates].into(),
            channels: [Channel::Email].into(),
            name: "Mevrouw de Vries".into(),
            phone: String::new(),
            email: "devries@example.nl".into(),
            given_at_ms: EPOCH_MS,
        }),
    );
    let withdraw = op(
        2,
        30,
        2,
        Payload::ConsentWithdraw {
            consent: id,
            withdrawn_at_ms: EPOCH_MS + 30,
        },
    );
    let given_then_withdrawn = State::fold([&consent, &withdraw]);
    let c = &given_then_withdrawn.consents[&id];
    assert!(c.name.is_empty() && c.email.is_empty());
    assert_eq!(c.purposes.len(), 1, "the record of what was agreed stays");
    assert_eq!(
        given_then_withdrawn.withdrawals.get(&id),
        Some(&(EPOCH_MS + 30))
    );
    assert_eq!(
        given_then_withdrawn,
        State::fold([&withdraw, &consent]),
        "a withdrawal that arrives first converges"
    );
}

fn visit_at(n: u32, wall: u64, device: u8, address: AddressId, outcome: Outcome) -> Operation {
    op(
        n,
        wall,
        device,
        Payload::VisitLog(VisitLog {
            visit: VisitId::new_v7(EPOCH_MS, [8, 1, 0, 0, 0, 0, 0, 0, 0, n as u8]),
            address,
            at_ms: EPOCH_MS + wall,
            outcome,
            interests: BTreeMap::new(),
            pledges: BTreeMap::new(),
            join_team: None,
            note: String::new(),
            follow_up: Some(FollowUp {
                kind: FollowUpKind::Revisit,
                date: None,
            }),
            flyer: false,
            online: false,
        }),
    )
}

fn visit_id(op: &Operation) -> VisitId {
    match &op.payload {
        Payload::VisitLog(v) => v.visit,
        _ => panic!("a visit"),
    }
}

#[test]
fn a_retraction_removes_its_visit_from_every_view_in_any_order_and_twice() {
    use buurtbel_core::views::{
        HistoryEntry, address_history, address_status, counts_per_member, counts_per_street,
        follow_ups_due, funnels,
    };
    let address = pool(AddressId::new_v7, 4, 0);
    let add = op(
        0,
        0,
        0,
        Payload::AddressAdd {
            address,
            street: "Lindelaan".into(),
            number: 1,
            letter: String::new(),
            addition: String::new(),
            postcode: "3581 BA".into(),
        },
    );
    let first = visit_at(1, 1, 0, address, Outcome::NotHome);
    let wrong = visit_at(2, 2, 0, address, Outcome::Joins);
    let undo = op(
        3,
        3,
        0,
        Payload::VisitRetract {
            visit: visit_id(&wrong),
        },
    );
    let undo_elsewhere = op(
        4,
        4,
        1,
        Payload::VisitRetract {
            visit: visit_id(&wrong),
        },
    );

    let reference = State::fold([&add, &first, &wrong, &undo, &undo_elsewhere]);
    for order in [
        vec![&undo, &wrong, &first, &add, &undo_elsewhere],
        vec![&undo_elsewhere, &add, &undo, &first, &wrong],
        vec![&wrong, &undo, &undo, &first, &add, &undo_elsewhere],
    ] {
        assert_eq!(State::fold(order), reference);
    }
    let today = NaiveDate::from_ymd_opt(2026, 12, 1).expect("date");
    let status = address_status(&reference, address).expect("live");
    assert_eq!(status.visits, 1, "the retracted visit counts nowhere");
    assert_eq!(status.last.map(|l| l.outcome), Some(Outcome::NotHome));
    assert!(!status.reached);
    assert_eq!(counts_per_member(&reference)[&author(0).member].visits, 1);
    assert_eq!(counts_per_street(&reference)["lindelaan"].visits, 1);
    assert!(funnels(&reference).is_empty());
    assert_eq!(
        follow_ups_due(&reference, today)
            .iter()
            .map(|f| f.visit)
            .collect::<Vec<_>>(),
        [visit_id(&first)],
        "the undone visit's follow-up gives way to the one before it"
    );
    let history = address_history(&reference, address);
    assert_eq!(history.len(), 2, "the history still shows both");
    assert!(matches!(
        history[1],
        HistoryEntry::Visit {
            retracted: true,
            ..
        }
    ));
}

#[test]
fn two_phones_ticking_attendance_at_once_both_keep_their_tick() {
    let meeting = pool(MeetingId::new_v7, 5, 0);
    let anna = pool(MemberId::new_v7, 1, 0);
    let piet = pool(MemberId::new_v7, 1, 1);
    let add = op(
        0,
        0,
        0,
        Payload::MeetingAdd {
            meeting,
            date: date(1),
            title: String::new(),
        },
    );
    let members = [(anna, "Anna", 1), (piet, "Piet", 2)].map(|(member, name, n)| {
        op(
            n,
            0,
            0,
            Payload::MemberAdd {
                member,
                display_name: name.into(),
                roles: BTreeSet::new(),
            },
        )
    });
    // Same moment, two devices, two members.
    let tick_anna = op(
        10,
        5,
        0,
        Payload::MeetingAttend {
            meeting,
            member: anna,
            present: true,
        },
    );
    let tick_piet = op(
        11,
        5,
        1,
        Payload::MeetingAttend {
            meeting,
            member: piet,
            present: true,
        },
    );
    for order in [
        vec![&add, &members[0], &members[1], &tick_anna, &tick_piet],
        vec![&tick_piet, &members[1], &tick_anna, &add, &members[0]],
    ] {
        let state = State::fold(order);
        assert_eq!(
            buurtbel_core::views::attendees(&state, meeting),
            [anna, piet]
                .into_iter()
                .collect::<BTreeSet<_>>()
                .into_iter()
                .collect::<Vec<_>>()
        );
    }
    // Unticking Piet later wins over the earlier tick, on every replica.
    let untick = op(
        12,
        9,
        0,
        Payload::MeetingAttend {
            meeting,
            member: piet,
            present: false,
        },
    );
    let state = State::fold([
        &untick,
        &tick_piet,
        &tick_anna,
        &add,
        &members[0],
        &members[1],
    ]);
    assert_eq!(buurtbel_core::views::attendees(&state, meeting), [anna]);
}

#[test]
fn an_address_edit_racing_its_removal_does_not_bring_it_back() {
    let address = pool(AddressId::new_v7, 4, 0);
    let add = op(
        0,
        0,
        0,
        Payload::AddressAdd {
            address,
            street: "Lindelan".into(),
            number: 12,
            letter: String::new(),
            addition: String::new(),
            postcode: "3581 BA".into(),
        },
    );
    let fix = |n, wall, device, street: Option<&str>, number: Option<u32>| {
        op(
            n,
            wall,
            device,
            Payload::AddressUpdate {
                address,
                street: street.map(Into::into),
                number,
                letter: None,
                addition: None,
                postcode: None,
                do_not_visit: None,
            },
        )
    };
    let street = fix(1, 5, 0, Some("Lindelaan"), None);
    let number = fix(2, 4, 1, None, Some(14));
    let remove = op(3, 3, 1, Payload::AddressRemove { address });
    // Field by field: the street from one phone and the number from another both stay.
    let state = State::fold([&number, &add, &street]);
    let a = &state.addresses[&address];
    assert_eq!((a.street.value.as_str(), a.number.value), ("Lindelaan", 14));
    for order in [
        [&add, &street, &number, &remove],
        [&remove, &number, &street, &add],
        [&street, &remove, &add, &number],
    ] {
        let state = State::fold(order);
        assert!(
            !state.addresses[&address].life.is_live(),
            "removed stays removed"
        );
        assert!(buurtbel_core::views::walk_order(&state).is_empty());
    }
}

#[test]
fn two_experts_editing_different_guide_items_both_keep_their_edits() {
    let project = pool(ProjectId::new_v7, 2, 0);
    let first = pool(GuideItemId::new_v7, 11, 0);
    let second = pool(GuideItemId::new_v7, 11, 1);
    let add = |n, item, text: &str| {
        op(
            n,
            0,
            0,
            Payload::GuideItemAdd {
                item,
                project,
                kind: GuideKind::Question,
                text: text.into(),
                answer: "Dat zoeken we uit.".into(),
                order: i64::from(n),
                draft: true,
            },
        )
    };
    let edit = |n, wall, device, item, answer: &str| {
        op(
            n,
            wall,
            device,
            Payload::GuideItemUpdate {
                item,
                text: None,
                answer: Some(answer.into()),
                order: None,
                draft: Some(false),
            },
        )
    };
    let ops = [
        add(0, first, "Wat kost het?"),
        add(1, second, "Wie onderhoudt hem?"),
        // At the same moment, on two phones.
        edit(2, 5, 1, first, "25 euro per huishouden."),
        edit(3, 5, 2, second, "Een beheerder uit de buurt."),
    ];
    for order in [[0, 1, 2, 3], [3, 2, 1, 0], [2, 0, 3, 1]] {
        let state = State::fold(order.iter().map(|&i| &ops[i]));
        assert_eq!(state.guide[&first].answer.value, "25 euro per huishouden.");
        assert_eq!(
            state.guide[&second].answer.value,
            "Een beheerder uit de buurt."
        );
        assert_eq!(state.guide[&first].text.value, "Wat kost het?");
        assert!(!state.guide[&first].draft.value && !state.guide[&second].draft.value);
    }
}

#[test]
fn a_guide_item_edited_while_another_expert_removes_it_stays_removed() {
    let project = pool(ProjectId::new_v7, 2, 0);
    let item = pool(GuideItemId::new_v7, 11, 0);
    let add = op(
        0,
        0,
        0,
        Payload::GuideItemAdd {
            item,
            project,
            kind: GuideKind::KeyPoint,
            text: "Iedereen kan een AED gebruiken.".into(),
            answer: String::new(),
            order: 1024,
            draft: false,
        },
    );
    let remove = op(1, 5, 1, Payload::GuideItemRemove { item });
    let edit = op(
        2,
        9,
        2,
        Payload::GuideItemUpdate {
            item,
            text: Some("Iedereen kan hem gebruiken: hij zegt wat je moet doen.".into()),
            answer: None,
            order: None,
            draft: None,
        },
    );
    for ops in [
        [&add, &remove, &edit],
        [&edit, &remove, &add],
        [&remove, &edit, &add],
    ] {
        assert!(!State::fold(ops).guide[&item].life.is_live());
    }
}

#[test]
fn a_question_answered_before_it_arrives_is_answered_and_erasure_takes_its_words() {
    let question = QuestionId::new_v7(EPOCH_MS, [12, 0, 0, 0, 0, 0, 0, 0, 0, 1]);
    let address = pool(AddressId::new_v7, 4, 0);
    let ask = op(
        0,
        0,
        0,
        Payload::QuestionAsk {
            question,
            project: None,
            text: "Mag de AED aan mijn gevel?".into(),
            address: Some(address),
            asked_at_ms: EPOCH_MS,
        },
    );
    let answer = op(
        1,
        5,
        1,
        Payload::QuestionAnswer {
            question,
            answer: "Ja, als de eigenaar toestemt.".into(),
        },
    );
    let erase = op(2, 9, 2, Payload::EraseResident { address });
    for ops in [
        [&answer, &ask, &erase],
        [&erase, &answer, &ask],
        [&ask, &erase, &answer],
    ] {
        let state = State::fold(ops);
        let q = &state.questions[&question];
        assert!(!q.is_open(), "answered, though its words are gone");
        // The answer may quote the resident: it goes with their erasure.
        assert_eq!(
            q.answer.value.as_ref().map(|a| (a.text.as_str(), a.erased)),
            Some(("", true))
        );
        assert_eq!(q.asked.as_ref().map(|a| a.text.as_str()), Some(""));
    }
    // Not erased: the answer stays.
    let q = &State::fold([&ask, &answer]).questions[&question];
    assert_eq!(
        q.answer.value.as_ref().map(|a| a.text.as_str()),
        Some("Ja, als de eigenaar toestemt.")
    );
    // The answer emptied again: open once more.
    let reopen = op(
        3,
        12,
        1,
        Payload::QuestionAnswer {
            question,
            answer: String::new(),
        },
    );
    assert!(State::fold([&ask, &answer, &reopen]).questions[&question].is_open());
}
