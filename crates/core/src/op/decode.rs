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
    ActionItemId, AddressId, AdviceId, ConsentId, DecisionId, GuideItemId, MeetingId, MemberId,
    ProjectId, QuestionId, StepId, VisitId,
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
    advice: Patch<Uuid>,
    odd: Patch<bool>,
}

/// The fields' names on the wire, in the order [`Fields::read`] matches them.
const NAMES: [&str; 57] = [
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
    "advice",
    "odd",
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
            55 => value(map, &mut self.advice, name),
            56 => value(map, &mut self.odd, name),
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
fn req<T>(value: &mut Patch<T>, field: &'static str) -> Result<T, Problem> {
    match value.take() {
        Some(Some(v)) => Ok(v),
        Some(None) => Err(Problem::Null(field)),
        None => Err(Problem::Missing(field)),
    }
}

/// An optional field: absent or `null` is none.
fn opt<T>(value: &mut Patch<T>) -> Option<T> {
    value.take().flatten()
}

/// A field with a default: absent is the default, `null` is refused.
fn def<T: Default>(value: &mut Patch<T>, field: &'static str) -> Result<T, Problem> {
    match value.take() {
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
fn build(kind: &str, f: &mut Fields) -> Result<Payload, Problem> {
    Ok(match kind {
        "team_update" => Payload::TeamUpdate {
            name: opt(&mut f.name),
            neighbourhood: opt(&mut f.neighbourhood),
        },
        "member_add" => Payload::MemberAdd {
            member: MemberId(req(&mut f.member, "member")?),
            display_name: req(&mut f.display_name, "display_name")?,
            roles: def(&mut f.roles, "roles")?,
        },
        "member_update" => Payload::MemberUpdate {
            member: MemberId(req(&mut f.member, "member")?),
            display_name: opt(&mut f.display_name),
            roles: opt(&mut f.roles),
        },
        "member_remove" => Payload::MemberRemove {
            member: MemberId(req(&mut f.member, "member")?),
        },
        "project_add" => Payload::ProjectAdd {
            project: ProjectId(req(&mut f.project, "project")?),
            theme: req(&mut f.theme, "theme")?,
            title: req(&mut f.title, "title")?,
            target: opt(&mut f.target),
        },
        "project_update" => Payload::ProjectUpdate {
            project: ProjectId(req(&mut f.project, "project")?),
            title: opt(&mut f.title),
            target: f.target.take(),
        },
        "project_remove" => Payload::ProjectRemove {
            project: ProjectId(req(&mut f.project, "project")?),
        },
        "project_page" => Payload::ProjectPage {
            project: ProjectId(req(&mut f.project, "project")?),
            open: req(&mut f.open, "open")?,
        },
        "step_add" => Payload::StepAdd {
            step: StepId(req(&mut f.step, "step")?),
            project: ProjectId(req(&mut f.project, "project")?),
            title: req(&mut f.title, "title")?,
            description: def(&mut f.description, "description")?,
            phase: req(&mut f.phase, "phase")?,
            owner: opt(&mut f.owner),
            due: opt(&mut f.due).map(|d| d.0),
            order: req(&mut f.order, "order")?,
            evidence: opt(&mut f.evidence),
        },
        "step_update" => Payload::StepUpdate {
            step: StepId(req(&mut f.step, "step")?),
            title: opt(&mut f.title),
            description: opt(&mut f.description),
            phase: opt(&mut f.phase),
            owner: f.owner.take(),
            due: f.due.take().map(|d| d.map(|d| d.0)),
            order: opt(&mut f.order),
            note: opt(&mut f.note),
            skipped: opt(&mut f.skipped),
            evidence: f.evidence.take(),
        },
        "step_done" => Payload::StepDone {
            step: StepId(req(&mut f.step, "step")?),
            done: req(&mut f.done, "done")?,
        },
        "step_remove" => Payload::StepRemove {
            step: StepId(req(&mut f.step, "step")?),
        },
        "address_add" => Payload::AddressAdd {
            address: AddressId(req(&mut f.address, "address")?),
            street: req(&mut f.street, "street")?,
            number: req(&mut f.number, "number")?,
            letter: def(&mut f.letter, "letter")?,
            addition: def(&mut f.addition, "addition")?,
            postcode: req(&mut f.postcode, "postcode")?,
        },
        "address_propose" => Payload::AddressPropose {
            address: AddressId(req(&mut f.address, "address")?),
            postcode: req(&mut f.postcode, "postcode")?,
            number: req(&mut f.number, "number")?,
            letter: def(&mut f.letter, "letter")?,
            addition: def(&mut f.addition, "addition")?,
        },
        "address_update" => Payload::AddressUpdate {
            address: AddressId(req(&mut f.address, "address")?),
            street: opt(&mut f.street),
            number: opt(&mut f.number),
            letter: opt(&mut f.letter),
            addition: opt(&mut f.addition),
            postcode: opt(&mut f.postcode),
            do_not_visit: opt(&mut f.do_not_visit),
        },
        "address_remove" => Payload::AddressRemove {
            address: AddressId(req(&mut f.address, "address")?),
        },
        "visit_log" => Payload::VisitLog(VisitLog {
            visit: VisitId(req(&mut f.visit, "visit")?),
            address: AddressId(req(&mut f.address, "address")?),
            at_ms: req(&mut f.at_ms, "at_ms")?,
            outcome: req(&mut f.outcome, "outcome")?,
            interests: def(&mut f.interests, "interests")?,
            pledges: def(&mut f.pledges, "pledges")?,
            join_team: opt(&mut f.join_team),
            note: def(&mut f.note, "note")?,
            follow_up: opt(&mut f.follow_up),
            flyer: def(&mut f.flyer, "flyer")?,
            online: def(&mut f.online, "online")?,
        }),
        "visit_retract" => Payload::VisitRetract {
            visit: VisitId(req(&mut f.visit, "visit")?),
        },
        "follow_up_resolve" => Payload::FollowUpResolve {
            visit: VisitId(req(&mut f.visit, "visit")?),
            resolution: opt(&mut f.resolution),
        },
        "consent_give" => Payload::ConsentGive(ConsentGive {
            consent: ConsentId(req(&mut f.consent, "consent")?),
            address: AddressId(req(&mut f.address, "address")?),
            purposes: req(&mut f.purposes, "purposes")?,
            channels: req(&mut f.channels, "channels")?,
            name: def(&mut f.name, "name")?,
            phone: def(&mut f.phone, "phone")?,
            email: def(&mut f.email, "email")?,
            given_at_ms: req(&mut f.given_at_ms, "given_at_ms")?,
        }),
        "consent_withdraw" => Payload::ConsentWithdraw {
            consent: ConsentId(req(&mut f.consent, "consent")?),
            withdrawn_at_ms: req(&mut f.withdrawn_at_ms, "withdrawn_at_ms")?,
        },
        "erase_resident" => Payload::EraseResident {
            address: AddressId(req(&mut f.address, "address")?),
        },
        "meeting_add" => Payload::MeetingAdd {
            meeting: MeetingId(req(&mut f.meeting, "meeting")?),
            date: req(&mut f.date, "date")?.0,
            title: def(&mut f.title, "title")?,
        },
        "meeting_update" => Payload::MeetingUpdate {
            meeting: MeetingId(req(&mut f.meeting, "meeting")?),
            date: opt(&mut f.date).map(|d| d.0),
            title: opt(&mut f.title),
        },
        "meeting_attend" => Payload::MeetingAttend {
            meeting: MeetingId(req(&mut f.meeting, "meeting")?),
            member: MemberId(req(&mut f.member, "member")?),
            present: req(&mut f.present, "present")?,
        },
        "meeting_remove" => Payload::MeetingRemove {
            meeting: MeetingId(req(&mut f.meeting, "meeting")?),
        },
        "decision_add" => Payload::DecisionAdd {
            decision: DecisionId(req(&mut f.decision, "decision")?),
            meeting: MeetingId(req(&mut f.meeting, "meeting")?),
            text: req(&mut f.text, "text")?,
        },
        "decision_remove" => Payload::DecisionRemove {
            decision: DecisionId(req(&mut f.decision, "decision")?),
        },
        "action_item_add" => Payload::ActionItemAdd {
            item: ActionItemId(req(&mut f.item, "item")?),
            meeting: MeetingId(req(&mut f.meeting, "meeting")?),
            text: req(&mut f.text, "text")?,
            owner: req(&mut f.owner, "owner")?,
            due: opt(&mut f.due).map(|d| d.0),
        },
        "action_item_update" => Payload::ActionItemUpdate {
            item: ActionItemId(req(&mut f.item, "item")?),
            text: opt(&mut f.text),
            owner: opt(&mut f.owner),
            due: f.due.take().map(|d| d.map(|d| d.0)),
            done: opt(&mut f.done),
        },
        "action_item_remove" => Payload::ActionItemRemove {
            item: ActionItemId(req(&mut f.item, "item")?),
        },
        "guide_item_add" => Payload::GuideItemAdd {
            item: GuideItemId(req(&mut f.item, "item")?),
            project: ProjectId(req(&mut f.project, "project")?),
            kind: req(&mut f.kind, "kind")?,
            text: req(&mut f.text, "text")?,
            answer: def(&mut f.answer, "answer")?,
            order: req(&mut f.order, "order")?,
            draft: def(&mut f.draft, "draft")?,
        },
        "guide_item_update" => Payload::GuideItemUpdate {
            item: GuideItemId(req(&mut f.item, "item")?),
            text: opt(&mut f.text),
            answer: opt(&mut f.answer),
            order: opt(&mut f.order),
            draft: opt(&mut f.draft),
        },
        "guide_item_remove" => Payload::GuideItemRemove {
            item: GuideItemId(req(&mut f.item, "item")?),
        },
        "question_ask" => Payload::QuestionAsk {
            question: QuestionId(req(&mut f.question, "question")?),
            project: opt(&mut f.project).map(ProjectId),
            text: req(&mut f.text, "text")?,
            address: opt(&mut f.address).map(AddressId),
            asked_at_ms: req(&mut f.asked_at_ms, "asked_at_ms")?,
        },
        "question_answer" => Payload::QuestionAnswer {
            question: QuestionId(req(&mut f.question, "question")?),
            answer: req(&mut f.answer, "answer")?,
        },
        "advice_give" => Payload::AdviceGive {
            advice: AdviceId(req(&mut f.advice, "advice")?),
            project: opt(&mut f.project).map(ProjectId),
            step: opt(&mut f.step).map(StepId),
            text: req(&mut f.text, "text")?,
            name: req(&mut f.name, "name")?,
        },
        "advice_handle" => Payload::AdviceHandle {
            advice: AdviceId(req(&mut f.advice, "advice")?),
            done: req(&mut f.done, "done")?,
        },
        "street_assign" => Payload::StreetAssign {
            street: req(&mut f.street, "street")?,
            odd: req(&mut f.odd, "odd")?,
            member: opt(&mut f.member).map(MemberId),
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
        let mut fields: Fields = map.next_value()?;
        if map.next_key::<IgnoredAny>()?.is_some() {
            return Err(de::Error::invalid_length(2, &self));
        }
        build(&kind, &mut fields).map_err(|problem| match problem {
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
