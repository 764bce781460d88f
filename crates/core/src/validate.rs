//! Validation of operations. Every operation from anywhere (a form, storage, the network) is
//! validated before it is stored or applied; an invalid one yields a [`ValidationError`] naming
//! the field, never a panic.

use std::collections::BTreeSet;

use chrono::{Datelike, NaiveDate};

use crate::domain::{Evidence, GuideKind, Interest, Outcome, Owner, Target};
use crate::op::{ConsentGive, Operation, Payload, VisitLog};

/// Longest display name or resident name, in characters.
pub const NAME_MAX: usize = 80;
/// Longest title (project, step, meeting, team, buurt, street), in characters.
pub const TITLE_MAX: usize = 200;
/// Longest free text (note, description, decision), in characters.
pub const TEXT_MAX: usize = 2000;
/// The longest question from the door: one line.
pub const QUESTION_MAX: usize = 500;
/// Largest pledge of one household, in its project's unit (euros, panels, ...).
pub const PLEDGE_MAX: u32 = 1_000_000;
/// Largest target count (of a project or a step's evidence).
pub const TARGET_MAX: u32 = 1_000_000;
/// Largest house number.
pub const HOUSE_NUMBER_MAX: u32 = 99_999;
/// Most entries in a set or map inside one operation (interests, attendees).
pub const SET_MAX: usize = 200;
/// Earliest and latest year a date or timestamp may carry.
pub const YEARS: std::ops::RangeInclusive<i32> = 2000..=2100;

/// Unix milliseconds of 2000-01-01 and 2101-01-01: the range of accepted timestamps.
const MS_RANGE: std::ops::Range<u64> = 946_684_800_000..4_133_980_800_000;

/// An operation that breaks a rule.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{field}: {problem}")]
pub struct ValidationError {
    /// The offending field, as a path such as `payload.display_name`.
    pub field: &'static str,
    /// What is wrong with it.
    pub problem: Problem,
}

/// What is wrong with a field.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum Problem {
    /// Required text is empty or only spaces.
    #[error("must not be empty")]
    Empty,
    /// Text is longer than allowed.
    #[error("longer than {max} characters")]
    TooLong {
        /// The limit.
        max: usize,
    },
    /// A number is outside its range.
    #[error("must be between {min} and {max}")]
    OutOfRange {
        /// Smallest allowed.
        min: u64,
        /// Largest allowed.
        max: u64,
    },
    /// A set or map has too many entries.
    #[error("more than {max} entries")]
    TooMany {
        /// The limit.
        max: usize,
    },
    /// An id is the all-zero UUID.
    #[error("must not be the nil id")]
    NilId,
    /// A date is outside the accepted years.
    #[error("date outside {min}..{max}", min = YEARS.start(), max = YEARS.end())]
    DateOutOfRange,
    /// Text does not have the required shape.
    #[error("not a valid {what}")]
    Malformed {
        /// What was expected, such as "postcode".
        what: &'static str,
    },
    /// Text holds control characters.
    #[error("contains control characters")]
    ControlCharacters,
}

fn fail(field: &'static str, problem: Problem) -> Result<(), ValidationError> {
    Err(ValidationError { field, problem })
}

fn text(
    field: &'static str,
    value: &str,
    max: usize,
    required: bool,
) -> Result<(), ValidationError> {
    if required && value.trim().is_empty() {
        return fail(field, Problem::Empty);
    }
    if value.chars().count() > max {
        return fail(field, Problem::TooLong { max });
    }
    // Newlines and tabs are fine in free text; other control characters only hide things.
    if value
        .chars()
        .any(|c| c.is_control() && c != '\n' && c != '\t' && c != '\r')
    {
        return fail(field, Problem::ControlCharacters);
    }
    Ok(())
}

fn opt_text(
    field: &'static str,
    value: &Option<String>,
    max: usize,
) -> Result<(), ValidationError> {
    value
        .as_deref()
        .map_or(Ok(()), |v| text(field, v, max, true))
}

fn id(field: &'static str, nil: bool) -> Result<(), ValidationError> {
    if nil {
        fail(field, Problem::NilId)
    } else {
        Ok(())
    }
}

fn date(field: &'static str, value: Option<NaiveDate>) -> Result<(), ValidationError> {
    match value {
        Some(d) if !YEARS.contains(&d.year()) => fail(field, Problem::DateOutOfRange),
        _ => Ok(()),
    }
}

fn timestamp(field: &'static str, ms: u64) -> Result<(), ValidationError> {
    if MS_RANGE.contains(&ms) {
        Ok(())
    } else {
        fail(field, Problem::DateOutOfRange)
    }
}

fn range(field: &'static str, value: u64, min: u64, max: u64) -> Result<(), ValidationError> {
    if (min..=max).contains(&value) {
        Ok(())
    } else {
        fail(field, Problem::OutOfRange { min, max })
    }
}

fn count(field: &'static str, len: usize) -> Result<(), ValidationError> {
    if len > SET_MAX {
        fail(field, Problem::TooMany { max: SET_MAX })
    } else {
        Ok(())
    }
}

fn non_empty_set<T>(field: &'static str, set: &BTreeSet<T>) -> Result<(), ValidationError> {
    if set.is_empty() {
        fail(field, Problem::Empty)
    } else {
        Ok(())
    }
}

fn target(field: &'static str, value: Option<&Target>) -> Result<(), ValidationError> {
    let Some(t) = value else { return Ok(()) };
    range(field, u64::from(t.count), 1, u64::from(TARGET_MAX))
}

fn evidence(field: &'static str, value: Option<&Evidence>) -> Result<(), ValidationError> {
    let Some(e) = value else { return Ok(()) };
    range(field, u64::from(e.target), 1, u64::from(TARGET_MAX))
}

fn owner(field: &'static str, value: Option<&Owner>) -> Result<(), ValidationError> {
    match value {
        Some(Owner::Member(m)) => id(field, m.is_nil()),
        _ => Ok(()),
    }
}

/// Whether `value` is a Dutch postcode: four digits (not starting with 0), an optional space,
/// two letters.
pub fn is_postcode(value: &str) -> bool {
    let compact: Vec<char> = value.chars().filter(|c| *c != ' ').collect();
    value.len() <= 7
        && compact.len() == 6
        && compact[0] != '0'
        && compact[..4].iter().all(char::is_ascii_digit)
        && compact[4..].iter().all(char::is_ascii_alphabetic)
}

fn visit(v: &VisitLog) -> Result<(), ValidationError> {
    id("payload.visit", v.visit.is_nil())?;
    id("payload.address", v.address.is_nil())?;
    timestamp("payload.at_ms", v.at_ms)?;
    count("payload.interests", v.interests.len())?;
    if v.interests.keys().any(|p| p.is_nil()) {
        return fail("payload.interests", Problem::NilId);
    }
    count("payload.pledges", v.pledges.len())?;
    for (project, amount) in &v.pledges {
        range(
            "payload.pledges",
            u64::from(*amount),
            1,
            u64::from(PLEDGE_MAX),
        )?;
        // A pledge is part of joining: it belongs to a project the resident joins here.
        if v.interests.get(project) != Some(&Interest::Joins) {
            return fail(
                "payload.pledges",
                Problem::Malformed {
                    what: "pledge for a project the resident joins",
                },
            );
        }
    }
    text("payload.note", &v.note, TEXT_MAX, false)?;
    if v.flyer && v.outcome != Outcome::NotHome {
        return fail(
            "payload.flyer",
            Problem::Malformed {
                what: "flyer left at a door where nobody was home",
            },
        );
    }
    date("payload.follow_up.date", v.follow_up.and_then(|f| f.date))
}

fn consent(c: &ConsentGive) -> Result<(), ValidationError> {
    id("payload.consent", c.consent.is_nil())?;
    id("payload.address", c.address.is_nil())?;
    non_empty_set("payload.purposes", &c.purposes)?;
    non_empty_set("payload.channels", &c.channels)?;
    text("payload.name", &c.name, NAME_MAX, false)?;
    text("payload.phone", &c.phone, 20, false)?;
    if !c
        .phone
        .chars()
        .all(|ch| ch.is_ascii_digit() || " +-()".contains(ch))
    {
        return fail(
            "payload.phone",
            Problem::Malformed {
                what: "phone number",
            },
        );
    }
    text("payload.email", &c.email, 254, false)?;
    if !c.email.is_empty() && !looks_like_email(&c.email) {
        return fail(
            "payload.email",
            Problem::Malformed {
                what: "e-mail address",
            },
        );
    }
    timestamp("payload.given_at_ms", c.given_at_ms)
}

fn street(value: &str) -> Result<(), ValidationError> {
    text("payload.street", value, TITLE_MAX, true)
}

fn house_number(value: u32) -> Result<(), ValidationError> {
    range(
        "payload.number",
        u64::from(value),
        1,
        u64::from(HOUSE_NUMBER_MAX),
    )
}

fn house_letter(value: &str) -> Result<(), ValidationError> {
    if value.chars().count() > 1 || !value.chars().all(|c| c.is_ascii_alphabetic()) {
        return fail(
            "payload.letter",
            Problem::Malformed {
                what: "house letter",
            },
        );
    }
    Ok(())
}

fn addition(value: &str) -> Result<(), ValidationError> {
    if value.chars().count() > 4 || !value.chars().all(|c| c.is_ascii_alphanumeric()) {
        return fail("payload.addition", Problem::Malformed { what: "addition" });
    }
    Ok(())
}

fn postcode(value: &str) -> Result<(), ValidationError> {
    if !is_postcode(value) {
        return fail("payload.postcode", Problem::Malformed { what: "postcode" });
    }
    Ok(())
}

fn looks_like_email(value: &str) -> bool {
    value.split_once('@').is_some_and(|(local, domain)| {
        !local.is_empty() && domain.contains('.') && !value.contains(char::is_whitespace)
    })
}

impl Operation {
    /// Checks every field of the operation: ids, lengths, ranges, dates. Context-free: whether
    /// referenced entities exist is for [`crate::state::State::check_references`].
    pub fn validate(&self) -> Result<(), ValidationError> {
        id("id", self.id.is_nil())?;
        id("author.member", self.author.member.is_nil())?;
        id("author.device", self.author.device.is_nil())?;
        timestamp("hlc.wall_ms", self.hlc.wall_ms)?;
        match &self.payload {
            Payload::TeamUpdate {
                name,
                neighbourhood,
            } => {
                opt_text("payload.name", name, TITLE_MAX)?;
                opt_text("payload.neighbourhood", neighbourhood, TITLE_MAX)
            }
            Payload::MemberAdd {
                member,
                display_name,
                roles: _,
            } => {
                id("payload.member", member.is_nil())?;
                text("payload.display_name", display_name, NAME_MAX, true)
            }
            Payload::MemberUpdate {
                member,
                display_name,
                roles: _,
            } => {
                id("payload.member", member.is_nil())?;
                opt_text("payload.display_name", display_name, NAME_MAX)
            }
            Payload::MemberRemove { member } => id("payload.member", member.is_nil()),
            Payload::ProjectAdd {
                project,
                theme: _,
                title,
                target: t,
            } => {
                id("payload.project", project.is_nil())?;
                text("payload.title", title, TITLE_MAX, true)?;
                target("payload.target", t.as_ref())
            }
            Payload::ProjectUpdate {
                project,
                title,
                target: t,
            } => {
                id("payload.project", project.is_nil())?;
                opt_text("payload.title", title, TITLE_MAX)?;
                target("payload.target", t.as_ref().and_then(Option::as_ref))
            }
            Payload::ProjectRemove { project } => id("payload.project", project.is_nil()),
            Payload::StepAdd {
                step,
                project,
                title,
                description,
                phase: _,
                owner: o,
                due,
                order: _,
                evidence,
            } => {
                id("payload.step", step.is_nil())?;
                id("payload.project", project.is_nil())?;
                text("payload.title", title, TITLE_MAX, true)?;
                text("payload.description", description, TEXT_MAX, false)?;
                owner("payload.owner", o.as_ref())?;
                date("payload.due", *due)?;
                self::evidence("payload.evidence", evidence.as_ref())
            }
            Payload::StepUpdate {
                step,
                title,
                description,
                phase: _,
                owner: o,
                due,
                order: _,
                note,
                skipped: _,
                evidence: e,
            } => {
                id("payload.step", step.is_nil())?;
                opt_text("payload.title", title, TITLE_MAX)?;
                if let Some(d) = description {
                    text("payload.description", d, TEXT_MAX, false)?;
                }
                owner("payload.owner", o.as_ref().and_then(Option::as_ref))?;
                date("payload.due", due.flatten())?;
                if let Some(n) = note {
                    text("payload.note", n, TEXT_MAX, false)?;
                }
                evidence("payload.evidence", e.as_ref().and_then(Option::as_ref))
            }
            Payload::ProjectPage { project, open: _ } => id("payload.project", project.is_nil()),
            Payload::StepDone { step, done: _ } | Payload::StepRemove { step } => {
                id("payload.step", step.is_nil())
            }
            Payload::AddressAdd {
                address,
                street: s,
                number,
                letter,
                addition: a,
                postcode: p,
            } => {
                id("payload.address", address.is_nil())?;
                street(s)?;
                house_number(*number)?;
                house_letter(letter)?;
                addition(a)?;
                postcode(p)
            }
            Payload::AddressUpdate {
                address,
                street: s,
                number,
                letter,
                addition: a,
                postcode: p,
                do_not_visit: _,
            } => {
                id("payload.address", address.is_nil())?;
                s.as_deref().map_or(Ok(()), street)?;
                number.map_or(Ok(()), house_number)?;
                letter.as_deref().map_or(Ok(()), house_letter)?;
                a.as_deref().map_or(Ok(()), addition)?;
                p.as_deref().map_or(Ok(()), postcode)
            }
            Payload::AddressPropose {
                address,
                postcode: p,
                number,
                letter,
                addition: a,
            } => {
                id("payload.address", address.is_nil())?;
                house_number(*number)?;
                house_letter(letter)?;
                addition(a)?;
                postcode(p)
            }
            Payload::AddressRemove { address } | Payload::EraseResident { address } => {
                id("payload.address", address.is_nil())
            }
            Payload::VisitLog(v) => visit(v),
            Payload::VisitRetract { visit } => id("payload.visit", visit.is_nil()),
            Payload::FollowUpResolve {
                visit,
                resolution: _,
            } => id("payload.visit", visit.is_nil()),
            Payload::ConsentGive(c) => consent(c),
            Payload::ConsentWithdraw {
                consent,
                withdrawn_at_ms,
            } => {
                id("payload.consent", consent.is_nil())?;
                timestamp("payload.withdrawn_at_ms", *withdrawn_at_ms)
            }
            Payload::MeetingAdd {
                meeting,
                date: d,
                title,
            } => {
                id("payload.meeting", meeting.is_nil())?;
                date("payload.date", Some(*d))?;
                text("payload.title", title, TITLE_MAX, false)
            }
            Payload::MeetingUpdate {
                meeting,
                date: d,
                title,
            } => {
                id("payload.meeting", meeting.is_nil())?;
                date("payload.date", *d)?;
                if let Some(t) = title {
                    text("payload.title", t, TITLE_MAX, false)?;
                }
                Ok(())
            }
            Payload::MeetingAttend {
                meeting,
                member,
                present: _,
            } => {
                id("payload.meeting", meeting.is_nil())?;
                id("payload.member", member.is_nil())
            }
            Payload::MeetingRemove { meeting } => id("payload.meeting", meeting.is_nil()),
            Payload::DecisionAdd {
                decision,
                meeting,
                text: t,
            } => {
                id("payload.decision", decision.is_nil())?;
                id("payload.meeting", meeting.is_nil())?;
                text("payload.text", t, TEXT_MAX, true)
            }
            Payload::DecisionRemove { decision } => id("payload.decision", decision.is_nil()),
            Payload::ActionItemAdd {
                item,
                meeting,
                text: t,
                owner: o,
                due,
            } => {
                id("payload.item", item.is_nil())?;
                id("payload.meeting", meeting.is_nil())?;
                text("payload.text", t, TEXT_MAX, true)?;
                owner("payload.owner", Some(o))?;
                date("payload.due", *due)
            }
            Payload::ActionItemUpdate {
                item,
                text: t,
                owner: o,
                due,
                done: _,
            } => {
                id("payload.item", item.is_nil())?;
                opt_text("payload.text", t, TEXT_MAX)?;
                owner("payload.owner", o.as_ref())?;
                date("payload.due", due.flatten())
            }
            Payload::ActionItemRemove { item } => id("payload.item", item.is_nil()),
            Payload::GuideItemAdd {
                item,
                project,
                kind,
                text: t,
                answer,
                order: _,
                draft: _,
            } => {
                id("payload.item", item.is_nil())?;
                id("payload.project", project.is_nil())?;
                text("payload.text", t, TEXT_MAX, true)?;
                guide_answer(*kind, answer)
            }
            Payload::GuideItemUpdate {
                item,
                text: t,
                answer,
                order: _,
                draft: _,
            } => {
                id("payload.item", item.is_nil())?;
                opt_text("payload.text", t, TEXT_MAX)?;
                // An answer may be cleared while it is rewritten, so an empty one is fine.
                answer
                    .as_deref()
                    .map_or(Ok(()), |a| text("payload.answer", a, TEXT_MAX, false))
            }
            Payload::GuideItemRemove { item } => id("payload.item", item.is_nil()),
            Payload::QuestionAsk {
                question,
                project,
                text: t,
                address,
                asked_at_ms,
            } => {
                id("payload.question", question.is_nil())?;
                if project.is_some_and(|p| p.is_nil()) {
                    return fail("payload.project", Problem::NilId);
                }
                if address.is_some_and(|a| a.is_nil()) {
                    return fail("payload.address", Problem::NilId);
                }
                // With an address the words are the resident's: an erasure empties them.
                text("payload.text", t, QUESTION_MAX, address.is_none())?;
                timestamp("payload.asked_at_ms", *asked_at_ms)
            }
            Payload::QuestionAnswer { question, answer } => {
                id("payload.question", question.is_nil())?;
                text("payload.answer", answer, TEXT_MAX, false)
            }
            Payload::AdviceGive {
                advice,
                project,
                step,
                text: t,
                name,
            } => {
                id("payload.advice", advice.is_nil())?;
                if project.is_some_and(|p| p.is_nil()) {
                    return fail("payload.project", Problem::NilId);
                }
                if step.is_some_and(|s| s.is_nil()) {
                    return fail("payload.step", Problem::NilId);
                }
                text("payload.text", t, TEXT_MAX, true)?;
                text("payload.name", name, NAME_MAX, true)
            }
            Payload::AdviceHandle { advice, .. } => id("payload.advice", advice.is_nil()),
            Payload::StreetAssign {
                street: s, member, ..
            } => {
                street(s)?;
                id("payload.member", member.is_some_and(|m| m.is_nil()))
            }
        }
    }
}

/// Only a question has an answer.
fn guide_answer(kind: GuideKind, answer: &str) -> Result<(), ValidationError> {
    if kind != GuideKind::Question && !answer.is_empty() {
        return fail(
            "payload.answer",
            Problem::Malformed {
                what: "answer to a guide item that is no question",
            },
        );
    }
    text("payload.answer", answer, TEXT_MAX, false)
}

/// Why bytes from outside could not become an operation.
#[derive(Debug, thiserror::Error)]
pub enum DecodeError {
    /// Not JSON of the operation's shape (including an unknown operation kind).
    #[error("malformed operation: {0}")]
    Json(#[from] serde_json::Error),
    /// Well-formed but breaking a rule.
    #[error("invalid operation: {0}")]
    Invalid(#[from] ValidationError),
}

/// Decodes and validates one operation from untrusted JSON. Never panics.
pub fn decode_operation(bytes: &[u8]) -> Result<Operation, DecodeError> {
    let op: Operation = serde_json::from_slice(bytes)?;
    op.validate()?;
    Ok(op)
}

/// Decodes and validates a JSON array of operations from untrusted input. The error names the
/// first invalid operation's position. Never panics.
pub fn decode_operations(bytes: &[u8]) -> Result<Vec<Operation>, (usize, DecodeError)> {
    let values: Vec<serde_json::Value> =
        serde_json::from_slice(bytes).map_err(|e| (0, DecodeError::Json(e)))?;
    values
        .into_iter()
        .enumerate()
        .map(|(i, value)| {
            let op: Operation =
                serde_json::from_value(value).map_err(|e| (i, DecodeError::Json(e)))?;
            op.validate().map_err(|e| (i, DecodeError::Invalid(e)))?;
            Ok(op)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dutch_postcodes() {
        for ok in ["3581 BA", "3581BA", "1011 ab", "9999 ZZ"] {
            assert!(is_postcode(ok), "{ok}");
        }
        for bad in [
            "0123 AB", "358 BA", "3581 B", "3581  BA", "ABCD 12", "", "3581 BAA",
        ] {
            assert!(!is_postcode(bad), "{bad}");
        }
    }
}
