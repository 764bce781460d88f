//! The team's data as CSV files a spreadsheet opens as it should: UTF-8 with a byte order mark
//! (so Excel reads "ë" as "ë"), semicolons between fields (what Dutch spreadsheets expect, since
//! the comma is their decimal sign), lines ending in CRLF, and fields quoted where needed.

use buurtbel_core::state::State;
use buurtbel_core::views::{self, plan_steps};

use crate::components::{house_label, iso_date, member_name, owner_label};
use crate::i18n::{Key, Locale, fill, text, words};

/// A sign and digits, with at most one decimal point: a number a spreadsheet reads as one.
fn signed_number(field: &str) -> bool {
    let digits = field.strip_prefix(['+', '-']).unwrap_or(field);
    digits.bytes().any(|b| b.is_ascii_digit())
        && digits.bytes().all(|b| b.is_ascii_digit() || b == b'.')
        && digits.bytes().filter(|b| *b == b'.').count() <= 1
}

/// A CSV file being written.
struct Csv(String);

impl Csv {
    fn new(header: &[&str]) -> Csv {
        let mut csv = Csv(String::from("\u{feff}"));
        csv.row(header.iter().map(|h| h.to_string()));
        csv
    }

    fn row(&mut self, fields: impl IntoIterator<Item = String>) {
        for (i, field) in fields.into_iter().enumerate() {
            if i > 0 {
                self.0.push(';');
            }
            // A field that starts like a formula is prefixed, so a spreadsheet shows it as
            // text instead of running it; a signed number ("-3", "+31612345678") stays one.
            let field = if field.starts_with(['=', '+', '-', '@']) && !signed_number(&field) {
                format!("'{field}")
            } else {
                field
            };
            if field.contains([';', '"', '\n', '\r']) {
                self.0.push('"');
                self.0.push_str(&field.replace('"', "\"\""));
                self.0.push('"');
            } else {
                self.0.push_str(&field);
            }
        }
        self.0.push_str("\r\n");
    }
}

/// The phone's time zone: the minutes to add to local time to get UTC at an instant (Unix
/// milliseconds), as JavaScript's `getTimezoneOffset` gives them (-60 in Amsterdam in winter,
/// -120 in summer). Asked per instant, so a summer visit exported in winter keeps its time.
pub type Zone<'a> = &'a dyn Fn(u64) -> i64;

/// A date and time as "2026-11-29 14:05" where the phone is.
fn stamp(at_ms: u64, zone: Zone<'_>) -> String {
    let local = at_ms as i64 / 60_000 - zone(at_ms);
    let days = local.div_euclid(1440);
    let minutes = local.rem_euclid(1440);
    let date = chrono::NaiveDate::from_num_days_from_ce_opt(719_163 + days as i32)
        .map(iso_date)
        .unwrap_or_default();
    format!("{date} {:02}:{:02}", minutes / 60, minutes % 60)
}

/// The addresses with what the doors said: one line per live address, in walking order.
pub fn addresses(state: &State, locale: Locale, zone: Zone<'_>) -> String {
    let t = |key| text(locale, key);
    let mut csv = Csv::new(&[
        t(Key::FieldStreet),
        t(Key::FieldNumber),
        t(Key::FieldLetter),
        t(Key::FieldAddition),
        t(Key::FieldPostcode),
        t(Key::ColVisits),
        t(Key::ColLastOutcome),
        t(Key::ColLastVisit),
        t(Key::ColDoNotVisit),
    ]);
    for id in views::walk_order(state) {
        let Some(a) = state.addresses.get(&id) else {
            continue;
        };
        let status = views::address_status(state, id);
        let last = status.as_ref().and_then(|s| s.last);
        csv.row([
            a.street.value.trim().to_owned(),
            a.number.value.to_string(),
            a.letter.value.clone(),
            a.addition.value.clone(),
            a.postcode.value.clone(),
            status.as_ref().map_or(0, |s| s.visits).to_string(),
            last.map(|l| t(words::outcome(l.outcome)).to_owned())
                .unwrap_or_default(),
            last.map(|l| stamp(l.at_ms, zone)).unwrap_or_default(),
            yes_no(locale, status.is_some_and(|s| s.do_not_visit)),
        ]);
    }
    csv.0
}

fn yes_no(locale: Locale, yes: bool) -> String {
    text(locale, if yes { Key::Yes } else { Key::No }).to_owned()
}

/// Every conversation at the door that was not undone, oldest first, with the word on each
/// project. Residents' names and contact details are not in it.
pub fn visits(state: &State, locale: Locale, zone: Zone<'_>) -> String {
    let t = |key| text(locale, key);
    let projects: Vec<_> = state
        .projects
        .iter()
        .filter(|(_, p)| p.life.is_live())
        .map(|(id, p)| (*id, p.title.value.clone()))
        .collect();
    let mut header: Vec<String> = [
        Key::ColWhen,
        Key::FieldStreet,
        Key::ColHouse,
        Key::FieldPostcode,
        Key::ColOutcome,
        Key::ColBy,
    ]
    .iter()
    .map(|k| t(*k).to_owned())
    .collect();
    for (_, title) in &projects {
        header.push(fill(t(Key::ColInterestIn), &[title]));
        header.push(fill(t(Key::ColPledgeFor), &[title]));
    }
    header.extend([
        t(Key::ColJoinTeam).to_owned(),
        t(Key::FollowUpLabel).to_owned(),
        t(Key::FieldNote).to_owned(),
    ]);
    let mut csv = Csv::new(&header.iter().map(String::as_str).collect::<Vec<_>>());
    let mut list: Vec<_> = state.live_visits().collect();
    buurtbel_core::sort::sort_by_key(&mut list, |(id, v)| (v.at_ms, *id));
    for (_, v) in list {
        let Some(a) = state.addresses.get(&v.address).filter(|a| a.life.is_live()) else {
            continue;
        };
        let mut row = vec![
            stamp(v.at_ms, zone),
            a.street.value.trim().to_owned(),
            house_label(a),
            a.postcode.value.clone(),
            t(words::outcome(v.outcome)).to_owned(),
            member_name(state, v.member),
        ];
        for (project, _) in &projects {
            row.push(
                v.interests
                    .get(project)
                    .map(|i| t(words::interest(*i)).to_owned())
                    .unwrap_or_default(),
            );
            row.push(
                v.pledges
                    .get(project)
                    .map(u32::to_string)
                    .unwrap_or_default(),
            );
        }
        row.push(match &v.join_team {
            None => String::new(),
            Some(roles) if roles.is_empty() => t(Key::CandidateAnyRole).to_owned(),
            Some(roles) => roles
                .iter()
                .map(|r| t(words::role(*r)))
                .collect::<Vec<_>>()
                .join(", "),
        });
        row.push(
            v.follow_up
                .map(|f| {
                    let kind = t(words::follow_up(f.kind));
                    match f.date {
                        Some(d) => format!("{kind} {}", iso_date(d)),
                        None => kind.to_owned(),
                    }
                })
                .unwrap_or_default(),
        );
        row.push(v.note.clone());
        csv.row(row);
    }
    csv.0
}

/// Every project's step plan in plan order.
pub fn plan(state: &State, locale: Locale, zone: Zone<'_>) -> String {
    let t = |key| text(locale, key);
    let mut csv = Csv::new(&[
        t(Key::ProjectLabel),
        t(Key::PhaseLabel),
        t(Key::ColStep),
        t(Key::OwnerLabel),
        t(Key::DueLabel),
        t(Key::ColDone),
        t(Key::ColDoneBy),
        t(Key::ColSkipped),
        t(Key::ColEvidence),
        t(Key::FieldNote),
    ]);
    for (project, p) in state.projects.iter().filter(|(_, p)| p.life.is_live()) {
        for (id, s) in plan_steps(state, *project) {
            let evidence = views::evidence_progress(state, id)
                .map(|e| words::evidence(locale, e.measure, e.count, e.target))
                .unwrap_or_default();
            csv.row([
                p.title.value.clone(),
                s.phase
                    .value
                    .map(|ph| t(words::phase(ph)).to_owned())
                    .unwrap_or_default(),
                s.title.value.clone(),
                owner_label(state, locale, s.owner.value),
                s.due.value.map(iso_date).unwrap_or_default(),
                s.done
                    .value
                    .map(|d| stamp(d.at_ms, zone))
                    .unwrap_or_default(),
                s.done
                    .value
                    .map(|d| member_name(state, d.by))
                    .unwrap_or_default(),
                yes_no(locale, s.skipped.value),
                evidence,
                s.note.value.clone(),
            ]);
        }
    }
    csv.0
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use buurtbel_core::domain::{Interest, Outcome, Phase, Target, Theme, Unit};
    use buurtbel_core::factory::OpFactory;
    use buurtbel_core::ids::{AddressId, MemberId, ProjectId, StepId, VisitId};
    use buurtbel_core::op::{Operation, Payload, VisitLog};

    use super::*;

    fn buurt() -> (State, VisitId) {
        let mut f = OpFactory::new(3);
        let mut ops: Vec<Operation> = Vec::new();
        let mut push = |f: &mut OpFactory, p: Payload| {
            let op = f.op(p);
            op.validate().expect("valid");
            ops.push(op);
        };
        let me = f.author().member;
        push(
            &mut f,
            Payload::MemberAdd {
                member: me,
                display_name: "Anna \"An\" de Wit".into(),
                roles: Default::default(),
            },
        );
        let project = f.id(ProjectId::new_v7);
        push(
            &mut f,
            Payload::ProjectAdd {
                project,
                theme: Theme::Aed,
                title: "AED; Lindelaan".into(),
                target: Some(Target {
                    count: 1500,
                    unit: Unit::Euros,
                }),
            },
        );
        let step = f.id(StepId::new_v7);
        push(
            &mut f,
            Payload::StepAdd {
                step,
                project,
                title: "=SUM(A1)".into(),
                description: String::new(),
                phase: Phase::Grow,
                owner: None,
                due: None,
                order: 1024,
                evidence: None,
            },
        );
        let address = f.id(AddressId::new_v7);
        push(
            &mut f,
            Payload::AddressAdd {
                address,
                street: "Eikenlaan".into(),
                number: 12,
                letter: "a".into(),
                addition: String::new(),
                postcode: "3581 BA".into(),
            },
        );
        let visit = |f: &mut OpFactory, note: &str| VisitLog {
            visit: f.id(VisitId::new_v7),
            address,
            at_ms: f.now_ms(),
            outcome: Outcome::Joins,
            interests: BTreeMap::from([(project, Interest::Joins)]),
            pledges: BTreeMap::from([(project, 25)]),
            join_team: None,
            note: note.into(),
            follow_up: None,
            flyer: false,
            online: false,
        };
        let kept = visit(&mut f, "zegt \"ja\";\nbelt terug");
        push(&mut f, Payload::VisitLog(kept));
        let undone = visit(&mut f, "per ongeluk");
        let undone_id = undone.visit;
        push(&mut f, Payload::VisitLog(undone));
        push(&mut f, Payload::VisitRetract { visit: undone_id });
        let _ = MemberId::new_v7;
        (State::fold(&ops), undone_id)
    }

    #[test]
    fn files_open_in_a_dutch_spreadsheet_as_they_should() {
        let (state, _) = buurt();
        let csv = visits(&state, Locale::Nl, &|_| 0);
        assert!(csv.starts_with('\u{feff}'), "a byte order mark for Excel");
        let lines: Vec<&str> = csv.trim_start_matches('\u{feff}').split("\r\n").collect();
        assert!(lines[0].starts_with("Wanneer;Straat;Huisnummer;Postcode;Uitkomst;Door;"));
        // A project title with a semicolon is quoted; so is a note with quotes and a newline.
        assert!(
            lines[0].contains("\"Interesse AED; Lindelaan\""),
            "{}",
            lines[0]
        );
        assert!(csv.contains("\"zegt \"\"ja\"\";\nbelt terug\""), "{csv}");
        assert!(csv.contains(";Eikenlaan;12a;3581 BA;Doet mee;\"Anna \"\"An\"\" de Wit\";"));
        // The undone visit is not in it: header, one visit, and the closing line end.
        assert_eq!(csv.matches(";Eikenlaan;").count(), 1);
        assert!(!csv.contains("per ongeluk"));
    }

    #[test]
    fn addresses_and_plan_have_their_columns_and_no_formulas() {
        let (state, _) = buurt();
        let csv = addresses(&state, Locale::En, &|_| 0);
        let lines: Vec<&str> = csv.trim_start_matches('\u{feff}').split("\r\n").collect();
        assert_eq!(
            lines[0],
            "Street;House number;House letter;Addition;Postcode;Visits;Last outcome;Last visit;Do not visit"
        );
        assert!(
            lines[1].starts_with("Eikenlaan;12;a;;3581 BA;1;Joins;2025-11-28 "),
            "{}",
            lines[1]
        );
        assert!(lines[1].ends_with(";no"));
        let plan = plan(&state, Locale::Nl, &|_| 0);
        assert!(
            plan.contains(";'=SUM(A1);"),
            "a formula is shown as text: {plan}"
        );
        assert!(plan.contains("\"AED; Lindelaan\";Groeien;"));
    }

    #[test]
    fn a_signed_number_stays_a_number_and_anything_else_signed_is_text() {
        let mut csv = Csv::new(&["a"]);
        csv.row(
            [
                "-3",
                "+31612345678",
                "-2.5",
                "+",
                "-1e5",
                "-inf",
                "@x",
                "=1+1",
                "-1.2.3",
            ]
            .map(String::from),
        );
        let line = csv
            .0
            .trim_start_matches('\u{feff}')
            .split("\r\n")
            .nth(1)
            .unwrap_or_default()
            .to_owned();
        assert_eq!(
            line,
            "-3;+31612345678;-2.5;'+;'-1e5;'-inf;'@x;'=1+1;'-1.2.3"
        );
    }

    #[test]
    fn times_are_in_the_phones_zone() {
        // 2025-11-28 09:00 UTC is 10:00 in Amsterdam in winter (offset -60 minutes).
        assert_eq!(stamp(1_764_320_400_000, &|_| -60), "2025-11-28 10:00");
        assert_eq!(stamp(1_764_320_400_000, &|_| 0), "2025-11-28 09:00");
        // Across midnight.
        assert_eq!(stamp(1_764_370_800_000, &|_| -120), "2025-11-29 01:00");
    }

    #[test]
    fn a_summer_visit_exported_in_winter_keeps_its_summer_time() {
        // Amsterdam in 2026: summer time from 29 March 01:00 UTC to 25 October 01:00 UTC.
        let amsterdam = |at_ms: u64| {
            if (1_774_746_000_000..1_792_890_000_000).contains(&at_ms) {
                -120
            } else {
                -60
            }
        };
        // 1 July 2026 09:00 UTC and 1 December 2026 09:00 UTC.
        assert_eq!(stamp(1_782_896_400_000, &amsterdam), "2026-07-01 11:00");
        assert_eq!(stamp(1_796_115_600_000, &amsterdam), "2026-12-01 10:00");
        // The night summer time ends: 00:30 UTC is 02:30 summer time, 01:30 UTC is 02:30
        // winter time.
        assert_eq!(stamp(1_792_888_200_000, &amsterdam), "2026-10-25 02:30");
        assert_eq!(stamp(1_792_891_800_000, &amsterdam), "2026-10-25 02:30");
    }
}
