//! Writing a [`Payload`] in its wire form, `{"<kind>": {<fields>}}`.
//!
//! The counterpart of `decode.rs`: every kind's fields are put into one set of optional fields
//! ([`Fields`]), written by one serializer. A serializer derived per kind writes the same
//! fields, but repeats the writing of a field for every kind that has it. What is written is
//! what the decoder reads: a required field always; an optional one only when set; a patch
//! absent (leave alone), `null` (clear) or set; an empty text or a `false` that has a default
//! left out. The fields come in one order for all kinds (JSON objects have none that counts).

use std::collections::{BTreeMap, BTreeSet};

use chrono::NaiveDate;
use serde::ser::{Serialize, SerializeMap, Serializer};
use uuid::Uuid;

use super::iso_date::Iso;
use super::{FollowUp, Patch, Payload};
use crate::domain::{
    Channel, ConsentPurpose, Evidence, GuideKind, Interest, Outcome, Owner, Phase, Resolution,
    Role, Target, Theme,
};
use crate::ids::{
    AddressId, AdviceId, ConsentId, DecisionId, MeetingId, MemberId, ProjectId, QuestionId, StepId,
    VisitId,
};

/// A field as written: absent (`None`), `null` (`Some(None)`) or a value.
type Out<'a, T> = Option<Option<&'a T>>;

/// Every field of every kind.
#[derive(Default, serde::Serialize)]
struct Fields<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    name: Out<'a, String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    neighbourhood: Out<'a, String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    member: Out<'a, MemberId>,
    #[serde(skip_serializing_if = "Option::is_none")]
    display_name: Out<'a, String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    roles: Out<'a, BTreeSet<Role>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    project: Out<'a, ProjectId>,
    #[serde(skip_serializing_if = "Option::is_none")]
    theme: Out<'a, Theme>,
    #[serde(skip_serializing_if = "Option::is_none")]
    title: Out<'a, String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    target: Out<'a, Target>,
    #[serde(skip_serializing_if = "Option::is_none")]
    open: Out<'a, bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    step: Out<'a, StepId>,
    #[serde(skip_serializing_if = "Option::is_none")]
    description: Out<'a, String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    phase: Out<'a, Phase>,
    #[serde(skip_serializing_if = "Option::is_none")]
    owner: Out<'a, Owner>,
    #[serde(skip_serializing_if = "Option::is_none")]
    due: Option<Option<Iso>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    order: Out<'a, i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    evidence: Out<'a, Evidence>,
    #[serde(skip_serializing_if = "Option::is_none")]
    note: Out<'a, String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    skipped: Out<'a, bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    done: Out<'a, bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    address: Out<'a, AddressId>,
    #[serde(skip_serializing_if = "Option::is_none")]
    street: Out<'a, String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    number: Out<'a, u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    letter: Out<'a, String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    addition: Out<'a, String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    postcode: Out<'a, String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    do_not_visit: Out<'a, bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    visit: Out<'a, VisitId>,
    #[serde(skip_serializing_if = "Option::is_none")]
    at_ms: Out<'a, u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    outcome: Out<'a, Outcome>,
    #[serde(skip_serializing_if = "Option::is_none")]
    interests: Out<'a, BTreeMap<ProjectId, Interest>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pledges: Out<'a, BTreeMap<ProjectId, u32>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    join_team: Out<'a, BTreeSet<Role>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    follow_up: Out<'a, FollowUp>,
    #[serde(skip_serializing_if = "Option::is_none")]
    flyer: Out<'a, bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    online: Out<'a, bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    resolution: Out<'a, Resolution>,
    #[serde(skip_serializing_if = "Option::is_none")]
    consent: Out<'a, ConsentId>,
    #[serde(skip_serializing_if = "Option::is_none")]
    purposes: Out<'a, BTreeSet<ConsentPurpose>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    channels: Out<'a, BTreeSet<Channel>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    phone: Out<'a, String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    email: Out<'a, String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    given_at_ms: Out<'a, u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    withdrawn_at_ms: Out<'a, u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    meeting: Out<'a, MeetingId>,
    #[serde(skip_serializing_if = "Option::is_none")]
    date: Option<Option<Iso>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    present: Out<'a, bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    decision: Out<'a, DecisionId>,
    #[serde(skip_serializing_if = "Option::is_none")]
    text: Out<'a, String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    item: Out<'a, Uuid>,
    #[serde(skip_serializing_if = "Option::is_none")]
    kind: Out<'a, GuideKind>,
    #[serde(skip_serializing_if = "Option::is_none")]
    answer: Out<'a, String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    draft: Out<'a, bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    question: Out<'a, QuestionId>,
    #[serde(skip_serializing_if = "Option::is_none")]
    asked_at_ms: Out<'a, u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    advice: Out<'a, AdviceId>,
    #[serde(skip_serializing_if = "Option::is_none")]
    odd: Out<'a, bool>,
}

/// A field that is always written.
fn val<T>(value: &T) -> Out<'_, T> {
    Some(Some(value))
}

/// An optional field, written when set.
fn opt<T>(value: &Option<T>) -> Out<'_, T> {
    value.as_ref().map(Some)
}

/// A patch: absent, `null` or a value.
fn patch<T>(value: &Patch<T>) -> Out<'_, T> {
    value.as_ref().map(Option::as_ref)
}

/// A text with an empty default, written when not empty.
fn words(value: &String) -> Out<'_, String> {
    (!value.is_empty()).then_some(Some(value))
}

/// A map with an empty default, written when not empty.
fn map<K, V>(value: &BTreeMap<K, V>) -> Out<'_, BTreeMap<K, V>> {
    (!value.is_empty()).then_some(Some(value))
}

/// A flag with a `false` default, written when set.
fn flag(value: &bool) -> Out<'_, bool> {
    value.then_some(Some(value))
}

fn day(value: &NaiveDate) -> Option<Option<Iso>> {
    Some(Some(Iso(*value)))
}

fn date_opt(value: &Option<NaiveDate>) -> Option<Option<Iso>> {
    value.map(|d| Some(Iso(d)))
}

fn date_patch(value: &Patch<NaiveDate>) -> Option<Option<Iso>> {
    value.map(|d| d.map(Iso))
}

/// The fields of `payload`. Not generic: one copy, whatever writes the JSON.
#[allow(
    clippy::too_many_lines,
    reason = "one arm per kind, each the kind's fields; split, it would only be harder to check against the enum"
)]
#[inline(never)]
fn fields(payload: &Payload) -> Fields<'_> {
    // Set field by field: one empty set, and each kind writes only its own.
    let mut fields = Fields::default();
    match payload {
        Payload::TeamUpdate {
            name,
            neighbourhood,
        } => {
            fields.name = opt(name);
            fields.neighbourhood = opt(neighbourhood);
        }
        Payload::MemberAdd {
            member,
            display_name,
            roles,
        } => {
            fields.member = val(member);
            fields.display_name = val(display_name);
            fields.roles = val(roles);
        }
        Payload::MemberUpdate {
            member,
            display_name,
            roles,
        } => {
            fields.member = val(member);
            fields.display_name = opt(display_name);
            fields.roles = opt(roles);
        }
        Payload::MemberRemove { member } => {
            fields.member = val(member);
        }
        Payload::ProjectAdd {
            project,
            theme,
            title,
            target,
        } => {
            fields.project = val(project);
            fields.theme = val(theme);
            fields.title = val(title);
            fields.target = opt(target);
        }
        Payload::ProjectUpdate {
            project,
            title,
            target,
        } => {
            fields.project = val(project);
            fields.title = opt(title);
            fields.target = patch(target);
        }
        Payload::ProjectRemove { project } => {
            fields.project = val(project);
        }
        Payload::ProjectPage { project, open } => {
            fields.project = val(project);
            fields.open = val(open);
        }
        Payload::StepAdd {
            step,
            project,
            title,
            description,
            phase,
            owner,
            due,
            order,
            evidence,
        } => {
            fields.step = val(step);
            fields.project = val(project);
            fields.title = val(title);
            fields.description = words(description);
            fields.phase = val(phase);
            fields.owner = opt(owner);
            fields.due = date_opt(due);
            fields.order = val(order);
            fields.evidence = opt(evidence);
        }
        Payload::StepUpdate {
            step,
            title,
            description,
            phase,
            owner,
            due,
            order,
            note,
            skipped,
            evidence,
        } => {
            fields.step = val(step);
            fields.title = opt(title);
            fields.description = opt(description);
            fields.phase = opt(phase);
            fields.owner = patch(owner);
            fields.due = date_patch(due);
            fields.order = opt(order);
            fields.note = opt(note);
            fields.skipped = opt(skipped);
            fields.evidence = patch(evidence);
        }
        Payload::StepDone { step, done } => {
            fields.step = val(step);
            fields.done = val(done);
        }
        Payload::StepRemove { step } => {
            fields.step = val(step);
        }
        Payload::AddressAdd {
            address,
            street,
            number,
            letter,
            addition,
            postcode,
        } => {
            fields.address = val(address);
            fields.street = val(street);
            fields.number = val(number);
            fields.letter = words(letter);
            fields.addition = words(addition);
            fields.postcode = val(postcode);
        }
        Payload::AddressPropose {
            address,
            postcode,
            number,
            letter,
            addition,
        } => {
            fields.address = val(address);
            fields.postcode = val(postcode);
            fields.number = val(number);
            fields.letter = words(letter);
            fields.addition = words(addition);
        }
        Payload::AddressUpdate {
            address,
            street,
            number,
            letter,
            addition,
            postcode,
            do_not_visit,
        } => {
            fields.address = val(address);
            fields.street = opt(street);
            fields.number = opt(number);
            fields.letter = opt(letter);
            fields.addition = opt(addition);
            fields.postcode = opt(postcode);
            fields.do_not_visit = opt(do_not_visit);
        }
        Payload::AddressRemove { address } => {
            fields.address = val(address);
        }
        Payload::VisitRetract { visit } => {
            fields.visit = val(visit);
        }
        Payload::FollowUpResolve { visit, resolution } => {
            fields.visit = val(visit);
            fields.resolution = opt(resolution);
        }
        Payload::ConsentWithdraw {
            consent,
            withdrawn_at_ms,
        } => {
            fields.consent = val(consent);
            fields.withdrawn_at_ms = val(withdrawn_at_ms);
        }
        Payload::EraseResident { address } => {
            fields.address = val(address);
        }
        Payload::MeetingAdd {
            meeting,
            date,
            title,
        } => {
            fields.meeting = val(meeting);
            fields.date = day(date);
            fields.title = words(title);
        }
        Payload::MeetingUpdate {
            meeting,
            date,
            title,
        } => {
            fields.meeting = val(meeting);
            fields.date = date_opt(date);
            fields.title = opt(title);
        }
        Payload::MeetingAttend {
            meeting,
            member,
            present,
        } => {
            fields.meeting = val(meeting);
            fields.member = val(member);
            fields.present = val(present);
        }
        Payload::MeetingRemove { meeting } => {
            fields.meeting = val(meeting);
        }
        Payload::DecisionAdd {
            decision,
            meeting,
            text,
        } => {
            fields.decision = val(decision);
            fields.meeting = val(meeting);
            fields.text = val(text);
        }
        Payload::DecisionRemove { decision } => {
            fields.decision = val(decision);
        }
        Payload::ActionItemAdd {
            item,
            meeting,
            text,
            owner,
            due,
        } => {
            fields.item = val(&item.0);
            fields.meeting = val(meeting);
            fields.text = val(text);
            fields.owner = val(owner);
            fields.due = date_opt(due);
        }
        Payload::ActionItemUpdate {
            item,
            text,
            owner,
            due,
            done,
        } => {
            fields.item = val(&item.0);
            fields.text = opt(text);
            fields.owner = opt(owner);
            fields.due = date_patch(due);
            fields.done = opt(done);
        }
        Payload::ActionItemRemove { item } => {
            fields.item = val(&item.0);
        }
        Payload::GuideItemAdd {
            item,
            project,
            kind,
            text,
            answer,
            order,
            draft,
        } => {
            fields.item = val(&item.0);
            fields.project = val(project);
            fields.kind = val(kind);
            fields.text = val(text);
            fields.answer = words(answer);
            fields.order = val(order);
            fields.draft = flag(draft);
        }
        Payload::GuideItemUpdate {
            item,
            text,
            answer,
            order,
            draft,
        } => {
            fields.item = val(&item.0);
            fields.text = opt(text);
            fields.answer = opt(answer);
            fields.order = opt(order);
            fields.draft = opt(draft);
        }
        Payload::GuideItemRemove { item } => {
            fields.item = val(&item.0);
        }
        Payload::QuestionAsk {
            question,
            project,
            text,
            address,
            asked_at_ms,
        } => {
            fields.question = val(question);
            fields.project = opt(project);
            fields.text = val(text);
            fields.address = opt(address);
            fields.asked_at_ms = val(asked_at_ms);
        }
        Payload::QuestionAnswer { question, answer } => {
            fields.question = val(question);
            fields.answer = val(answer);
        }
        Payload::AdviceGive {
            advice,
            project,
            step,
            text,
            name,
        } => {
            fields.advice = val(advice);
            fields.project = opt(project);
            fields.step = opt(step);
            fields.text = val(text);
            fields.name = val(name);
        }
        Payload::AdviceHandle { advice, done } => {
            fields.advice = val(advice);
            fields.done = val(done);
        }
        Payload::StreetAssign {
            street,
            odd,
            member,
        } => {
            fields.street = val(street);
            fields.odd = val(odd);
            fields.member = opt(member);
        }
        Payload::VisitLog(v) => {
            fields.visit = val(&v.visit);
            fields.address = val(&v.address);
            fields.at_ms = val(&v.at_ms);
            fields.outcome = val(&v.outcome);
            fields.interests = map(&v.interests);
            fields.pledges = map(&v.pledges);
            fields.join_team = opt(&v.join_team);
            fields.note = words(&v.note);
            fields.follow_up = opt(&v.follow_up);
            fields.flyer = flag(&v.flyer);
            fields.online = flag(&v.online);
        }
        Payload::ConsentGive(c) => {
            fields.consent = val(&c.consent);
            fields.address = val(&c.address);
            fields.purposes = val(&c.purposes);
            fields.channels = val(&c.channels);
            fields.name = words(&c.name);
            fields.phone = words(&c.phone);
            fields.email = words(&c.email);
            fields.given_at_ms = val(&c.given_at_ms);
        }
    }
    fields
}

impl Serialize for Payload {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(1))?;
        map.serialize_entry(self.describe().wire, &fields(self))?;
        map.end()
    }
}
