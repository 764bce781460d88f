//! Reading a [`Payload`] from its wire form, `{"<kind>": {<fields>}}`.
//!
//! Every kind's fields are read into one set of optional fields ([`Fields`]), and the kind is
//! built from it. A decoder derived per kind reads the same JSON, but repeats the reading of a
//! field for every kind that has it: about 170 places instead of 60, which made the derived
//! decoder the largest single item of the app's wasm. What is accepted is the same: a field a
//! kind requires must be there and not `null`; an optional one may be absent or `null`; a field
//! with a default (an empty text, `false`) may be absent but not `null`; a patch keeps absent
//! (leave alone) and `null` (clear) apart; unknown fields are ignored.

use std::collections::{BTreeMap, BTreeSet};

use chrono::NaiveDate;
use serde::de::{self, Deserialize, Deserializer, IgnoredAny, MapAccess, Visitor};
use uuid::Uuid;

use super::{ConsentGive, FollowUp, Patch, Payload, VisitLog};
use crate::domain::{
    Channel, ConsentPurpose, Evidence, GuideKind, Interest, Outcome, Owner, Phase, Resolution,
    Role, Target, Theme,
};
use crate::ids::{
    ActionItemId, AddressId, ConsentId, DecisionId, GuideItemId, MeetingId, MemberId, ProjectId,
    QuestionId, StepId, VisitId,
};

/// Every field of every kind, each absent, `null` or a value.
#[derive(Default, serde::Deserialize)]
#[serde(default)]
struct Fields {
    #[serde(with = "super::patch")]
    name: Patch<String>,
    #[serde(with = "super::patch")]
    neighbourhood: Patch<String>,
    #[serde(with = "super::patch")]
    member: Patch<MemberId>,
    #[serde(with = "super::patch")]
    display_name: Patch<String>,
    #[serde(with = "super::patch")]
    roles: Patch<BTreeSet<Role>>,
    #[serde(with = "super::patch")]
    project: Patch<ProjectId>,
    #[serde(with = "super::patch")]
    theme: Patch<Theme>,
    #[serde(with = "super::patch")]
    title: Patch<String>,
    #[serde(with = "super::patch")]
    target: Patch<Target>,
    #[serde(with = "super::patch")]
    open: Patch<bool>,
    #[serde(with = "super::patch")]
    step: Patch<StepId>,
    #[serde(with = "super::patch")]
    description: Patch<String>,
    #[serde(with = "super::patch")]
    phase: Patch<Phase>,
    #[serde(with = "super::patch")]
    owner: Patch<Owner>,
    #[serde(with = "super::iso_date::patch")]
    due: Patch<NaiveDate>,
    #[serde(with = "super::patch")]
    order: Patch<i64>,
    #[serde(with = "super::patch")]
    evidence: Patch<Evidence>,
    #[serde(with = "super::patch")]
    note: Patch<String>,
    #[serde(with = "super::patch")]
    skipped: Patch<bool>,
    #[serde(with = "super::patch")]
    done: Patch<bool>,
    #[serde(with = "super::patch")]
    address: Patch<AddressId>,
    #[serde(with = "super::patch")]
    street: Patch<String>,
    #[serde(with = "super::patch")]
    number: Patch<u32>,
    #[serde(with = "super::patch")]
    letter: Patch<String>,
    #[serde(with = "super::patch")]
    addition: Patch<String>,
    #[serde(with = "super::patch")]
    postcode: Patch<String>,
    #[serde(with = "super::patch")]
    do_not_visit: Patch<bool>,
    #[serde(with = "super::patch")]
    visit: Patch<VisitId>,
    #[serde(with = "super::patch")]
    at_ms: Patch<u64>,
    #[serde(with = "super::patch")]
    outcome: Patch<Outcome>,
    #[serde(with = "super::patch")]
    interests: Patch<BTreeMap<ProjectId, Interest>>,
    #[serde(with = "super::patch")]
    pledges: Patch<BTreeMap<ProjectId, u32>>,
    #[serde(with = "super::patch")]
    join_team: Patch<BTreeSet<Role>>,
    #[serde(with = "super::patch")]
    follow_up: Patch<FollowUp>,
    #[serde(with = "super::patch")]
    flyer: Patch<bool>,
    #[serde(with = "super::patch")]
    online: Patch<bool>,
    #[serde(with = "super::patch")]
    resolution: Patch<Resolution>,
    #[serde(with = "super::patch")]
    consent: Patch<ConsentId>,
    #[serde(with = "super::patch")]
    purposes: Patch<BTreeSet<ConsentPurpose>>,
    #[serde(with = "super::patch")]
    channels: Patch<BTreeSet<Channel>>,
    #[serde(with = "super::patch")]
    phone: Patch<String>,
    #[serde(with = "super::patch")]
    email: Patch<String>,
    #[serde(with = "super::patch")]
    given_at_ms: Patch<u64>,
    #[serde(with = "super::patch")]
    withdrawn_at_ms: Patch<u64>,
    #[serde(with = "super::patch")]
    meeting: Patch<MeetingId>,
    #[serde(with = "super::iso_date::patch")]
    date: Patch<NaiveDate>,
    #[serde(with = "super::patch")]
    present: Patch<bool>,
    #[serde(with = "super::patch")]
    decision: Patch<DecisionId>,
    #[serde(with = "super::patch")]
    text: Patch<String>,
    /// An action item's or a guide item's id.
    #[serde(with = "super::patch")]
    item: Patch<Uuid>,
    #[serde(with = "super::patch")]
    kind: Patch<GuideKind>,
    #[serde(with = "super::patch")]
    answer: Patch<String>,
    #[serde(with = "super::patch")]
    draft: Patch<bool>,
    #[serde(with = "super::patch")]
    question: Patch<QuestionId>,
    #[serde(with = "super::patch")]
    asked_at_ms: Patch<u64>,
}

/// Why the fields do not make the kind.
enum Problem {
    /// A required field is absent.
    Missing(&'static str),
    /// A field that may not be `null` is.
    Null(&'static str),
    /// No kind has this name.
    Unknown,
}

/// A field the kind requires.
fn req<T>(value: Patch<T>, field: &'static str) -> Result<T, Problem> {
    match value {
        Some(Some(v)) => Ok(v),
        Some(None) => Err(Problem::Null(field)),
        None => Err(Problem::Missing(field)),
    }
}

/// An optional field: absent or `null` is none.
fn opt<T>(value: Patch<T>) -> Option<T> {
    value.flatten()
}

/// A field with a default: absent is the default, `null` is refused.
fn def<T: Default>(value: Patch<T>, field: &'static str) -> Result<T, Problem> {
    match value {
        Some(Some(v)) => Ok(v),
        Some(None) => Err(Problem::Null(field)),
        None => Ok(T::default()),
    }
}

/// The kind named `kind` from its fields. Not generic: one copy, whatever reads the JSON.
#[allow(
    clippy::too_many_lines,
    reason = "one arm per kind, each the kind's fields; split, it would only be harder to check against the enum"
)]
fn build(kind: &str, f: Fields) -> Result<Payload, Problem> {
    Ok(match kind {
        "team_update" => Payload::TeamUpdate {
            name: opt(f.name),
            neighbourhood: opt(f.neighbourhood),
        },
        "member_add" => Payload::MemberAdd {
            member: req(f.member, "member")?,
            display_name: req(f.display_name, "display_name")?,
            roles: def(f.roles, "roles")?,
        },
        "member_update" => Payload::MemberUpdate {
            member: req(f.member, "member")?,
            display_name: opt(f.display_name),
            roles: opt(f.roles),
        },
        "member_remove" => Payload::MemberRemove {
            member: req(f.member, "member")?,
        },
        "project_add" => Payload::ProjectAdd {
            project: req(f.project, "project")?,
            theme: req(f.theme, "theme")?,
            title: req(f.title, "title")?,
            target: opt(f.target),
        },
        "project_update" => Payload::ProjectUpdate {
            project: req(f.project, "project")?,
            title: opt(f.title),
            target: f.target,
        },
        "project_remove" => Payload::ProjectRemove {
            project: req(f.project, "project")?,
        },
        "project_page" => Payload::ProjectPage {
            project: req(f.project, "project")?,
            open: req(f.open, "open")?,
        },
        "step_add" => Payload::StepAdd {
            step: req(f.step, "step")?,
            project: req(f.project, "project")?,
            title: req(f.title, "title")?,
            description: def(f.description, "description")?,
            phase: req(f.phase, "phase")?,
            owner: opt(f.owner),
            due: opt(f.due),
            order: req(f.order, "order")?,
            evidence: opt(f.evidence),
        },
        "step_update" => Payload::StepUpdate {
            step: req(f.step, "step")?,
            title: opt(f.title),
            description: opt(f.description),
            phase: opt(f.phase),
            owner: f.owner,
            due: f.due,
            order: opt(f.order),
            note: opt(f.note),
            skipped: opt(f.skipped),
            evidence: f.evidence,
        },
        "step_done" => Payload::StepDone {
            step: req(f.step, "step")?,
            done: req(f.done, "done")?,
        },
        "step_remove" => Payload::StepRemove {
            step: req(f.step, "step")?,
        },
        "address_add" => Payload::AddressAdd {
            address: req(f.address, "address")?,
            street: req(f.street, "street")?,
            number: req(f.number, "number")?,
            letter: def(f.letter, "letter")?,
            addition: def(f.addition, "addition")?,
            postcode: req(f.postcode, "postcode")?,
        },
        "address_propose" => Payload::AddressPropose {
            address: req(f.address, "address")?,
            postcode: req(f.postcode, "postcode")?,
            number: req(f.number, "number")?,
            letter: def(f.letter, "letter")?,
            addition: def(f.addition, "addition")?,
        },
        "address_update" => Payload::AddressUpdate {
            address: req(f.address, "address")?,
            street: opt(f.street),
            number: opt(f.number),
            letter: opt(f.letter),
            addition: opt(f.addition),
            postcode: opt(f.postcode),
            do_not_visit: opt(f.do_not_visit),
        },
        "address_remove" => Payload::AddressRemove {
            address: req(f.address, "address")?,
        },
        "visit_log" => Payload::VisitLog(VisitLog {
            visit: req(f.visit, "visit")?,
            address: req(f.address, "address")?,
            at_ms: req(f.at_ms, "at_ms")?,
            outcome: req(f.outcome, "outcome")?,
            interests: def(f.interests, "interests")?,
            pledges: def(f.pledges, "pledges")?,
            join_team: opt(f.join_team),
            note: def(f.note, "note")?,
            follow_up: opt(f.follow_up),
            flyer: def(f.flyer, "flyer")?,
            online: def(f.online, "online")?,
        }),
        "visit_retract" => Payload::VisitRetract {
            visit: req(f.visit, "visit")?,
        },
        "follow_up_resolve" => Payload::FollowUpResolve {
            visit: req(f.visit, "visit")?,
            resolution: opt(f.resolution),
        },
        "consent_give" => Payload::ConsentGive(ConsentGive {
            consent: req(f.consent, "consent")?,
            address: req(f.address, "address")?,
            purposes: req(f.purposes, "purposes")?,
            channels: req(f.channels, "channels")?,
            name: def(f.name, "name")?,
            phone: def(f.phone, "phone")?,
            email: def(f.email, "email")?,
            given_at_ms: req(f.given_at_ms, "given_at_ms")?,
        }),
        "consent_withdraw" => Payload::ConsentWithdraw {
            consent: req(f.consent, "consent")?,
            withdrawn_at_ms: req(f.withdrawn_at_ms, "withdrawn_at_ms")?,
        },
        "erase_resident" => Payload::EraseResident {
            address: req(f.address, "address")?,
        },
        "meeting_add" => Payload::MeetingAdd {
            meeting: req(f.meeting, "meeting")?,
            date: req(f.date, "date")?,
            title: def(f.title, "title")?,
        },
        "meeting_update" => Payload::MeetingUpdate {
            meeting: req(f.meeting, "meeting")?,
            date: opt(f.date),
            title: opt(f.title),
        },
        "meeting_attend" => Payload::MeetingAttend {
            meeting: req(f.meeting, "meeting")?,
            member: req(f.member, "member")?,
            present: req(f.present, "present")?,
        },
        "meeting_remove" => Payload::MeetingRemove {
            meeting: req(f.meeting, "meeting")?,
        },
        "decision_add" => Payload::DecisionAdd {
            decision: req(f.decision, "decision")?,
            meeting: req(f.meeting, "meeting")?,
            text: req(f.text, "text")?,
        },
        "decision_remove" => Payload::DecisionRemove {
            decision: req(f.decision, "decision")?,
        },
        "action_item_add" => Payload::ActionItemAdd {
            item: ActionItemId(req(f.item, "item")?),
            meeting: req(f.meeting, "meeting")?,
            text: req(f.text, "text")?,
            owner: req(f.owner, "owner")?,
            due: opt(f.due),
        },
        "action_item_update" => Payload::ActionItemUpdate {
            item: ActionItemId(req(f.item, "item")?),
            text: opt(f.text),
            owner: opt(f.owner),
            due: f.due,
            done: opt(f.done),
        },
        "action_item_remove" => Payload::ActionItemRemove {
            item: ActionItemId(req(f.item, "item")?),
        },
        "guide_item_add" => Payload::GuideItemAdd {
            item: GuideItemId(req(f.item, "item")?),
            project: req(f.project, "project")?,
            kind: req(f.kind, "kind")?,
            text: req(f.text, "text")?,
            answer: def(f.answer, "answer")?,
            order: req(f.order, "order")?,
            draft: def(f.draft, "draft")?,
        },
        "guide_item_update" => Payload::GuideItemUpdate {
            item: GuideItemId(req(f.item, "item")?),
            text: opt(f.text),
            answer: opt(f.answer),
            order: opt(f.order),
            draft: opt(f.draft),
        },
        "guide_item_remove" => Payload::GuideItemRemove {
            item: GuideItemId(req(f.item, "item")?),
        },
        "question_ask" => Payload::QuestionAsk {
            question: req(f.question, "question")?,
            project: opt(f.project),
            text: req(f.text, "text")?,
            address: opt(f.address),
            asked_at_ms: req(f.asked_at_ms, "asked_at_ms")?,
        },
        "question_answer" => Payload::QuestionAnswer {
            question: req(f.question, "question")?,
            answer: req(f.answer, "answer")?,
        },
        _ => return Err(Problem::Unknown),
    })
}

struct PayloadVisitor;

impl<'de> Visitor<'de> for PayloadVisitor {
    type Value = Payload;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("an object with one key, the kind of change")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Payload, A::Error> {
        let Some(kind) = map.next_key::<String>()? else {
            return Err(de::Error::invalid_length(0, &self));
        };
        let fields: Fields = map.next_value()?;
        if map.next_key::<IgnoredAny>()?.is_some() {
            return Err(de::Error::invalid_length(2, &self));
        }
        build(&kind, fields).map_err(|problem| match problem {
            Problem::Missing(field) => de::Error::missing_field(field),
            Problem::Null(field) => de::Error::custom(format_args!("{field}: must not be null")),
            Problem::Unknown => de::Error::custom(format_args!("unknown kind of change `{kind}`")),
        })
    }
}

impl<'de> Deserialize<'de> for Payload {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Payload, D::Error> {
        deserializer.deserialize_map(PayloadVisitor)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(json: &str) -> Result<Payload, String> {
        serde_json::from_str(json).map_err(|e| e.to_string())
    }

    #[test]
    fn required_optional_defaulted_and_patched_fields_read_as_before() {
        let address = "019ac9b0-d280-7ab0-8000-000000000006";
        assert!(
            read(&format!(r#"{{"address_add": {{"address": "{address}", "street": "Lindelaan", "number": 7}}}}"#))
                .is_err_and(|e| e.contains("missing field `postcode`"))
        );
        assert!(
            read(&format!(r#"{{"address_add": {{"address": "{address}", "street": null, "number": 7, "postcode": "3581 BA"}}}}"#))
                .is_err_and(|e| e.contains("street: must not be null"))
        );
        assert!(
            read(&format!(r#"{{"address_add": {{"address": "{address}", "street": "L", "number": 7, "postcode": "3581 BA", "letter": null}}}}"#))
                .is_err(),
            "a defaulted field is not null"
        );
        assert_eq!(
            read(&format!(
                r#"{{"address_update": {{"address": "{address}", "street": null, "colour": "red"}}}}"#
            )),
            Ok(Payload::AddressUpdate {
                address: address.parse().expect("id"),
                street: None,
                number: None,
                letter: None,
                addition: None,
                postcode: None,
                do_not_visit: None,
            }),
            "an optional null is none, an unknown field is ignored"
        );
        let step = "019ac9b0-d280-7ab0-8000-000000000007";
        let Ok(Payload::StepUpdate { owner, due, .. }) = read(&format!(
            r#"{{"step_update": {{"step": "{step}", "owner": null}}}}"#
        )) else {
            panic!("a step update")
        };
        assert_eq!(
            (owner, due),
            (Some(None), None),
            "null clears, absent leaves alone"
        );
        assert!(read(r#"{"no_such_kind": {}}"#).is_err_and(|e| e.contains("no_such_kind")));
        assert!(read(r#"{}"#).is_err());
        assert!(
            read(&format!(
                r#"{{"erase_resident": {{"address": "{address}"}}, "x": 1}}"#
            ))
            .is_err()
        );
        assert!(read(r#""team_update""#).is_err());
    }
}
