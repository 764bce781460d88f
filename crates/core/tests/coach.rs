//! What a coach sees of a team holds no personal data: over generated team logs, with every
//! text that could name or describe a resident (and every other text the team wrote apart
//! from its own, its projects' and its steps' names) made unique, none of it appears in the
//! coach's summary.

use buurtbel_core::clock::Hlc;
use buurtbel_core::coach::summary;
use buurtbel_core::factory::EPOCH_MS;
use buurtbel_core::ids::{DeviceId, MemberId, OpId};
use buurtbel_core::op::{Author, Operation, Payload};
use proptest::prelude::*;

mod common;
use common::{KINDS, payload, pool};

const DAY_MS: u64 = 86_400_000;

/// Gives every text in `op` that a coach must not see a value of its own, starting with
/// `secret`, and returns those values.
fn mark(op: &mut Operation, n: usize) -> Vec<String> {
    let mut secrets = Vec::new();
    let mut next = |field: &mut String| {
        let value = format!("secret{n}x{}", secrets.len());
        *field = value.clone();
        secrets.push(value);
    };
    let maybe = |field: &mut Option<String>, next: &mut dyn FnMut(&mut String)| {
        if let Some(field) = field {
            next(field);
        }
    };
    match &mut op.payload {
        Payload::VisitLog(v) => next(&mut v.note),
        Payload::ConsentGive(c) => {
            next(&mut c.name);
            next(&mut c.phone);
            next(&mut c.email);
        }
        Payload::QuestionAsk { text, .. } => next(text),
        Payload::QuestionAnswer { answer, .. } => next(answer),
        Payload::AddressAdd {
            street,
            letter,
            addition,
            postcode,
            ..
        } => {
            next(street);
            next(letter);
            next(addition);
            next(postcode);
        }
        Payload::AddressUpdate {
            street,
            letter,
            addition,
            postcode,
            ..
        } => {
            maybe(street, &mut next);
            maybe(letter, &mut next);
            maybe(addition, &mut next);
            maybe(postcode, &mut next);
        }
        Payload::AddressPropose {
            postcode,
            letter,
            addition,
            ..
        } => {
            next(postcode);
            next(letter);
            next(addition);
        }
        Payload::StreetAssign { street, .. } => next(street),
        Payload::MemberAdd { display_name, .. } => next(display_name),
        Payload::MemberUpdate { display_name, .. } => maybe(display_name, &mut next),
        Payload::StepUpdate {
            description, note, ..
        } => {
            maybe(description, &mut next);
            maybe(note, &mut next);
        }
        Payload::StepAdd { description, .. } => next(description),
        Payload::MeetingAdd { title, .. } => next(title),
        Payload::MeetingUpdate { title, .. } => maybe(title, &mut next),
        Payload::DecisionAdd { text, .. } | Payload::ActionItemAdd { text, .. } => next(text),
        Payload::ActionItemUpdate { text, .. } => maybe(text, &mut next),
        Payload::GuideItemAdd { text, answer, .. } => {
            next(text);
            next(answer);
        }
        Payload::GuideItemUpdate { text, answer, .. } => {
            maybe(text, &mut next);
            maybe(answer, &mut next);
        }
        // The coach's own advice is theirs to read.
        // Names the team gave itself, its projects and its steps are what a coach reads; the
        // rest holds no text.
        Payload::TeamUpdate { .. }
        | Payload::MemberRemove { .. }
        | Payload::ProjectAdd { .. }
        | Payload::ProjectUpdate { .. }
        | Payload::ProjectRemove { .. }
        | Payload::ProjectPage { .. }
        | Payload::StepDone { .. }
        | Payload::StepRemove { .. }
        | Payload::AddressRemove { .. }
        | Payload::VisitRetract { .. }
        | Payload::FollowUpResolve { .. }
        | Payload::ConsentWithdraw { .. }
        | Payload::EraseResident { .. }
        | Payload::MeetingAttend { .. }
        | Payload::MeetingRemove { .. }
        | Payload::DecisionRemove { .. }
        | Payload::ActionItemRemove { .. }
        | Payload::GuideItemRemove { .. }
        | Payload::AdviceGive { .. }
        | Payload::AdviceHandle { .. } => {}
    }
    secrets
}

/// One drawn operation: kind, entities, values, author, and the day it was made.
type Draw = (u8, u8, u8, u8, u8, u8);

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn no_resident_data_reaches_a_coach(
        draws in prop::collection::vec(any::<Draw>(), 0..120),
        now_day in 0u64..120,
    ) {
        let mut secrets = Vec::new();
        let ops: Vec<Operation> = draws
            .iter()
            .enumerate()
            .map(|(i, &(kind, a, b, c, device, day))| {
                let n = (i as u32).to_be_bytes();
                // Spread over 16 weeks, so the weekly series and every signal are reached.
                let wall_ms = EPOCH_MS + u64::from(day % 112) * DAY_MS + u64::from(c) * 60_000;
                let mut op = Operation {
                    id: OpId::new_v7(EPOCH_MS, [0, 0xfe, n[0], n[1], n[2], n[3], 0, 0, 0, 1]),
                    hlc: Hlc { wall_ms, counter: 0 },
                    author: Author {
                        member: pool(MemberId::new_v7, 1, device),
                        device: pool(DeviceId::new_v7, 10, device),
                    },
                    payload: payload(kind % KINDS, a, b, c),
                };
                secrets.extend(mark(&mut op, i));
                op
            })
            .collect();
        let seen = summary(&ops, EPOCH_MS + now_day * DAY_MS);
        let json = serde_json::to_string(&seen).expect("a summary serialises");
        for secret in &secrets {
            prop_assert!(!json.contains(secret.as_str()), "{secret} reached the coach: {json}");
        }
    }
}

/// The property test would pass on a summary that shows nothing: the names a coach does see
/// come through, so the test above looks at a summary with content.
#[test]
fn the_team_s_own_names_do_reach_the_coach() {
    let op = |n: u8, payload: Payload| Operation {
        id: OpId::new_v7(EPOCH_MS, [0, 0xfd, n, 0, 0, 0, 0, 0, 0, 1]),
        hlc: Hlc::at(EPOCH_MS + u64::from(n)),
        author: Author {
            member: pool(MemberId::new_v7, 1, 0),
            device: pool(DeviceId::new_v7, 10, 0),
        },
        payload,
    };
    let ops = vec![
        op(0, payload(0, 0, 0, 0)),
        op(1, payload(4, 0, 1, 0)),
        op(2, payload(7, 1, 0, 3)),
    ];
    let json = serde_json::to_string(&summary(&ops, EPOCH_MS + 30 * DAY_MS)).expect("json");
    for name in ["Anna", "Piet"] {
        assert!(json.contains(name), "{name} missing from {json}");
    }
}
