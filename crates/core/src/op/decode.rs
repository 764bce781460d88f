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

use serde::de::{self, Deserialize, Deserializer, IgnoredAny, MapAccess, Visitor};
use uuid::Uuid;

use super::iso_date::Iso;
use super::{ConsentGive, FollowUp, Patch, Payload, VisitLog};
use crate::domain::{
    Channel, ConsentPurpose, Evidence, GuideKind, Interest, Outcome, Owner, Phase, Resolution,
    Role, Target, Theme,
};
use crate::ids::{
    ActionItemId, AddressId, ConsentId, DecisionId, GuideItemId, MeetingId, MemberId, ProjectId,
    QuestionId, StepId, VisitId,
};

/// Every field of every kind, each absent, `null` or a value. Ids are read as bare UUIDs and
/// dates in their wire form; [`build`] gives them their types.
#[derive(Default)]
struct Fields {
    name: Patch<String>,
    neighbourhood: Patch<String>,
    member: Patch<Uuid>,
    display_name: Patch<String>,
    roles: Patch<BTreeSet<Role>>,
    project: Patch<Uuid>,
    theme: Patch<Theme>,
    title: Patch<String>,
    target: Patch<Target>,
    open: Patch<bool>,
    step: Patch<Uuid>,
    description: Patch<String>,
    phase: Patch<Phase>,
    owner: Patch<Owner>,
    due: Patch<Iso>,
    order: Patch<i64>,
    evidence: Patch<Evidence>,
    note: Patch<String>,
    skipped: Patch<bool>,
    done: Patch<bool>,
    address: Patch<Uuid>,
    street: Patch<String>,
    number: Patch<u32>,
    letter: Patch<String>,
    addition: Patch<String>,
    postcode: Patch<String>,
    do_not_visit: Patch<bool>,
    visit: Patch<Uuid>,
    at_ms: Patch<u64>,
    outcome: Patch<Outcome>,
    interests: Patch<BTreeMap<ProjectId, Interest>>,
    pledges: Patch<BTreeMap<ProjectId, u32>>,
    join_team: Patch<BTreeSet<Role>>,
    follow_up: Patch<FollowUp>,
    flyer: Patch<bool>,
    online: Patch<bool>,
    resolution: Patch<Resolution>,
    consent: Patch<Uuid>,
    purposes: Patch<BTreeSet<ConsentPurpose>>,
    channels: Patch<BTreeSet<Channel>>,
    phone: Patch<String>,
    email: Patch<String>,
    given_at_ms: Patch<u64>,
    withdrawn_at_ms: Patch<u64>,
    meeting: Patch<Uuid>,
    date: Patch<Iso>,
    present: Patch<bool>,
    decision: Patch<Uuid>,
    text: Patch<String>,
    /// An action item's or a guide item's id.
    item: Patch<Uuid>,
    kind: Patch<GuideKind>,
    answer: Patch<String>,
    draft: Patch<bool>,
    question: Patch<Uuid>,
    asked_at_ms: Patch<u64>,
}

/// The fields' names on the wire, in the order [`Fields::read`] matches them.
const NAMES: [&str; 55] = [
    "name",
    "neighbourhood",
    "member",
    "display_name",
    "roles",
    "project",
    "theme",
    "title",
    "target",
    "open",
    "step",
    "description",
    "phase",
    "owner",
    "due",
    "order",
    "evidence",
    "note",
    "skipped",
    "done",
    "address",
    "street",
    "number",
    "letter",
    "addition",
    "postcode",
    "do_not_visit",
    "visit",
    "at_ms",
    "outcome",
    "interests",
    "pledges",
    "join_team",
    "follow_up",
    "flyer",
    "online",
    "resolution",
    "consent",
    "purposes",
    "channels",
    "phone",
    "email",
    "given_at_ms",
    "withdrawn_at_ms",
    "meeting",
    "date",
    "present",
    "decision",
    "text",
    "item",
    "kind",
    "answer",
    "draft",
    "question",
    "asked_at_ms",
];

impl Fields {
    /// Reads the value of the field at `index` in [`NAMES`] from `map`.
    fn read<'de, A: MapAccess<'de>>(&mut self, index: usize, map: &mut A) -> Result<(), A::Error> {
        let name = NAMES.get(index).copied().unwrap_or_default();
        match index {
            0 => value(map, &mut self.name, name),
            1 => value(map, &mut self.neighbourhood, name),
            2 => value(map, &mut self.member, name),
            3 => value(map, &mut self.display_name, name),
            4 => value(map, &mut self.roles, name),
            5 => value(map, &mut self.project, name),
            6 => value(map, &mut self.theme, name),
            7 => value(map, &mut self.title, name),
            8 => value(map, &mut self.target, name),
            9 => value(map, &mut self.open, name),
            10 => value(map, &mut self.step, name),
            11 => value(map, &mut self.description, name),
            12 => value(map, &mut self.phase, name),
            13 => value(map, &mut self.owner, name),
            14 => value(map, &mut self.due, name),
            15 => value(map, &mut self.order, name),
            16 => value(map, &mut self.evidence, name),
            17 => value(map, &mut self.note, name),
            18 => value(map, &mut self.skipped, name),
            19 => value(map, &mut self.done, name),
            20 => value(map, &mut self.address, name),
            21 => value(map, &mut self.street, name),
            22 => value(map, &mut self.number, name),
            23 => value(map, &mut self.letter, name),
            24 => value(map, &mut self.addition, name),
            25 => value(map, &mut self.postcode, name),
            26 => value(map, &mut self.do_not_visit, name),
            27 => value(map, &mut self.visit, name),
            28 => value(map, &mut self.at_ms, name),
            29 => value(map, &mut self.outcome, name),
            30 => value(map, &mut self.interests, name),
            31 => value(map, &mut self.pledges, name),
            32 => value(map, &mut self.join_team, name),
            33 => value(map, &mut self.follow_up, name),
            34 => value(map, &mut self.flyer, name),
            35 => value(map, &mut self.online, name),
            36 => value(map, &mut self.resolution, name),
            37 => value(map, &mut self.consent, name),
            38 => value(map, &mut self.purposes, name),
            39 => value(map, &mut self.channels, name),
            40 => value(map, &mut self.phone, name),
            41 => value(map, &mut self.email, name),
            42 => value(map, &mut self.given_at_ms, name),
            43 => value(map, &mut self.withdrawn_at_ms, name),
            44 => value(map, &mut self.meeting, name),
            45 => value(map, &mut self.date, name),
            46 => value(map, &mut self.present, name),
            47 => value(map, &mut self.decision, name),
            48 => value(map, &mut self.text, name),
            49 => value(map, &mut self.item, name),
            50 => value(map, &mut self.kind, name),
            51 => value(map, &mut self.answer, name),
            52 => value(map, &mut self.draft, name),
            53 => value(map, &mut self.question, name),
            54 => value(map, &mut self.asked_at_ms, name),
            _ => map.next_value::<IgnoredAny>().map(drop),
        }
    }
}

/// Reads one field's value, a value or `null`, into its slot; a field given twice is refused.
/// One copy per type of value, not per field.
#[inline(never)]
fn value<'de, T: Deserialize<'de>, A: MapAccess<'de>>(
    map: &mut A,
    slot: &mut Patch<T>,
    name: &'static str,
) -> Result<(), A::Error> {
    if slot.is_some() {
        return Err(de::Error::duplicate_field(name));
    }
    *slot = Some(map.next_value::<Option<T>>()?);
    Ok(())
}

/// A key of the fields' object: its index in [`NAMES`], or past the end for a field no kind has.
struct Key(usize);

impl<'de> Deserialize<'de> for Key {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Key, D::Error> {
        deserializer.deserialize_str(KeyVisitor)
    }
}

struct KeyVisitor;

impl Visitor<'_> for KeyVisitor {
    type Value = Key;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("a field's name")
    }

    fn visit_str<E: de::Error>(self, key: &str) -> Result<Key, E> {
        Ok(Key(NAMES
            .iter()
            .position(|name| *name == key)
            .unwrap_or(NAMES.len())))
    }
}

impl<'de> Deserialize<'de> for Fields {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Fields, D::Error> {
        deserializer.deserialize_map(FieldsVisitor)
    }
}

struct FieldsVisitor;

impl<'de> Visitor<'de> for FieldsVisitor {
    type Value = Fields;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("the fields of a change")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Fields, A::Error> {
        let mut fields = Fields::default();
        while let Some(Key(index)) = map.next_key()? {
            fields.read(index, &mut map)?;
        }
        Ok(fields)
    }
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
            member: MemberId(req(f.member, "member")?),
            display_name: req(f.display_name, "display_name")?,
            roles: def(f.roles, "roles")?,
        },
        "member_update" => Payload::MemberUpdate {
            member: MemberId(req(f.member, "member")?),
            display_name: opt(f.display_name),
            roles: opt(f.roles),
        },
        "member_remove" => Payload::MemberRemove {
            member: MemberId(req(f.member, "member")?),
        },
        "project_add" => Payload::ProjectAdd {
            project: ProjectId(req(f.project, "project")?),
            theme: req(f.theme, "theme")?,
            title: req(f.title, "title")?,
            target: opt(f.target),
        },
        "project_update" => Payload::ProjectUpdate {
            project: ProjectId(req(f.project, "project")?),
            title: opt(f.title),
            target: f.target,
        },
        "project_remove" => Payload::ProjectRemove {
            project: ProjectId(req(f.project, "project")?),
        },
        "project_page" => Payload::ProjectPage {
            project: ProjectId(req(f.project, "project")?),
            open: req(f.open, "open")?,
        },
        "step_add" => Payload::StepAdd {
            step: StepId(req(f.step, "step")?),
            project: ProjectId(req(f.project, "project")?),
            title: req(f.title, "title")?,
            description: def(f.description, "description")?,
            phase: req(f.phase, "phase")?,
            owner: opt(f.owner),
            due: opt(f.due).map(|d| d.0),
            order: req(f.order, "order")?,
            evidence: opt(f.evidence),
        },
        "step_update" => Payload::StepUpdate {
            step: StepId(req(f.step, "step")?),
            title: opt(f.title),
            description: opt(f.description),
            phase: opt(f.phase),
            owner: f.owner,
            due: f.due.map(|d| d.map(|d| d.0)),
            order: opt(f.order),
            note: opt(f.note),
            skipped: opt(f.skipped),
            evidence: f.evidence,
        },
        "step_done" => Payload::StepDone {
            step: StepId(req(f.step, "step")?),
            done: req(f.done, "done")?,
        },
        "step_remove" => Payload::StepRemove {
            step: StepId(req(f.step, "step")?),
        },
        "address_add" => Payload::AddressAdd {
            address: AddressId(req(f.address, "address")?),
            street: req(f.street, "street")?,
            number: req(f.number, "number")?,
            letter: def(f.letter, "letter")?,
            addition: def(f.addition, "addition")?,
            postcode: req(f.postcode, "postcode")?,
        },
        "address_propose" => Payload::AddressPropose {
            address: AddressId(req(f.address, "address")?),
            postcode: req(f.postcode, "postcode")?,
            number: req(f.number, "number")?,
            letter: def(f.letter, "letter")?,
            addition: def(f.addition, "addition")?,
        },
        "address_update" => Payload::AddressUpdate {
            address: AddressId(req(f.address, "address")?),
            street: opt(f.street),
            number: opt(f.number),
            letter: opt(f.letter),
            addition: opt(f.addition),
            postcode: opt(f.postcode),
            do_not_visit: opt(f.do_not_visit),
        },
        "address_remove" => Payload::AddressRemove {
            address: AddressId(req(f.address, "address")?),
        },
        "visit_log" => Payload::VisitLog(VisitLog {
            visit: VisitId(req(f.visit, "visit")?),
            address: AddressId(req(f.address, "address")?),
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
            visit: VisitId(req(f.visit, "visit")?),
        },
        "follow_up_resolve" => Payload::FollowUpResolve {
            visit: VisitId(req(f.visit, "visit")?),
            resolution: opt(f.resolution),
        },
        "consent_give" => Payload::ConsentGive(ConsentGive {
            consent: ConsentId(req(f.consent, "consent")?),
            address: AddressId(req(f.address, "address")?),
            purposes: req(f.purposes, "purposes")?,
            channels: req(f.channels, "channels")?,
            name: def(f.name, "name")?,
            phone: def(f.phone, "phone")?,
            email: def(f.email, "email")?,
            given_at_ms: req(f.given_at_ms, "given_at_ms")?,
        }),
        "consent_withdraw" => Payload::ConsentWithdraw {
            consent: ConsentId(req(f.consent, "consent")?),
            withdrawn_at_ms: req(f.withdrawn_at_ms, "withdrawn_at_ms")?,
        },
        "erase_resident" => Payload::EraseResident {
            address: AddressId(req(f.address, "address")?),
        },
        "meeting_add" => Payload::MeetingAdd {
            meeting: MeetingId(req(f.meeting, "meeting")?),
            date: req(f.date, "date")?.0,
            title: def(f.title, "title")?,
        },
        "meeting_update" => Payload::MeetingUpdate {
            meeting: MeetingId(req(f.meeting, "meeting")?),
            date: opt(f.date).map(|d| d.0),
            title: opt(f.title),
        },
        "meeting_attend" => Payload::MeetingAttend {
            meeting: MeetingId(req(f.meeting, "meeting")?),
            member: MemberId(req(f.member, "member")?),
            present: req(f.present, "present")?,
        },
        "meeting_remove" => Payload::MeetingRemove {
            meeting: MeetingId(req(f.meeting, "meeting")?),
        },
        "decision_add" => Payload::DecisionAdd {
            decision: DecisionId(req(f.decision, "decision")?),
            meeting: MeetingId(req(f.meeting, "meeting")?),
            text: req(f.text, "text")?,
        },
        "decision_remove" => Payload::DecisionRemove {
            decision: DecisionId(req(f.decision, "decision")?),
        },
        "action_item_add" => Payload::ActionItemAdd {
            item: ActionItemId(req(f.item, "item")?),
            meeting: MeetingId(req(f.meeting, "meeting")?),
            text: req(f.text, "text")?,
            owner: req(f.owner, "owner")?,
            due: opt(f.due).map(|d| d.0),
        },
        "action_item_update" => Payload::ActionItemUpdate {
            item: ActionItemId(req(f.item, "item")?),
            text: opt(f.text),
            owner: opt(f.owner),
            due: f.due.map(|d| d.map(|d| d.0)),
            done: opt(f.done),
        },
        "action_item_remove" => Payload::ActionItemRemove {
            item: ActionItemId(req(f.item, "item")?),
        },
        "guide_item_add" => Payload::GuideItemAdd {
            item: GuideItemId(req(f.item, "item")?),
            project: ProjectId(req(f.project, "project")?),
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
            question: QuestionId(req(f.question, "question")?),
            project: opt(f.project).map(ProjectId),
            text: req(f.text, "text")?,
            address: opt(f.address).map(AddressId),
            asked_at_ms: req(f.asked_at_ms, "asked_at_ms")?,
        },
        "question_answer" => Payload::QuestionAnswer {
            question: QuestionId(req(f.question, "question")?),
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
        assert!(
            read(&format!(
                r#"{{"erase_resident": {{"address": "{address}", "address": "{address}"}}}}"#
            ))
            .is_err_and(|e| e.contains("duplicate field `address`")),
            "a field given twice is refused, not the last one taken"
        );
        assert!(
            read(r#"{"meeting_add": {"meeting": "019ac9b0-d280-7ab0-8000-000000000008", "date": "2026-02-29"}}"#)
                .is_err_and(|e| e.contains("not a date")),
            "a date is checked, not only its form"
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
