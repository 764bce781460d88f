//! The organisation's step plans as coaches keep them (`/begeleider/plannen`): a list, a new
//! plan started from a built-in theme, and one page per plan that edits its name, theme,
//! suggested target, steps (phase, role, evidence, place) and draft doorstep guide. A save
//! that changes anything is a new version; teams are offered it ([`crate::org`]).
//!
//! The page is one form with no script: every step and guide item is a fieldset whose fields
//! are named by its row (`s3.title`), with two empty rows to add to. A row's hidden key ties it
//! to the same step in every version.

use std::collections::HashMap;
use std::fmt::Write as _;

use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use buurtbel_core::domain::{
    ConsentPurpose, Evidence, GuideKind, Measure, Phase, Role, Target, Theme, Unit,
};
use buurtbel_core::plans::{OrgPlan, PlanGuideItem, PlanStep, from_theme};
use buurtbel_core::templates::Lang;
use buurtbel_core::validate::{TARGET_MAX, TEXT_MAX, TITLE_MAX};
use uuid::Uuid;

use super::text::Text;
use super::{
    LangQuery, day_of, html, keep, lang, language_link, message, posting_coach, see_other,
    signed_in, signed_out,
};
use crate::AppState;
use crate::db::StoredPlan;
use crate::db::coach::role_code;
use crate::error::ApiError;
use crate::html::esc;
use crate::now_ms;

/// Most steps, and most guide items, a plan holds: the form has no rows past it.
const ROWS_MAX: usize = 100;
/// Largest plan form (every row's texts at their longest, each encoded).
pub(super) const FORM_MAX: usize = 2 * 1024 * 1024;
/// Empty rows the page offers to add steps or guide items.
const EMPTY_ROWS: usize = 2;

const PHASES: [Phase; 5] = [
    Phase::Initiate,
    Phase::Activate,
    Phase::Structure,
    Phase::Grow,
    Phase::Consolidate,
];

fn theme_value(theme: Theme) -> &'static str {
    match theme {
        Theme::Aed => "aed",
        Theme::Solar => "solar",
        Theme::Insulation => "insulation",
        Theme::Greening => "greening",
        Theme::Other => "other",
    }
}

fn phase_value(phase: Phase) -> &'static str {
    match phase {
        Phase::Initiate => "initiate",
        Phase::Activate => "activate",
        Phase::Structure => "structure",
        Phase::Grow => "grow",
        Phase::Consolidate => "consolidate",
    }
}

fn unit_value(unit: Unit) -> &'static str {
    match unit {
        Unit::Households => "households",
        Unit::Euros => "euros",
        Unit::Panels => "panels",
        Unit::SquareMetres => "m2",
        Unit::Participants => "participants",
    }
}

fn kind_value(kind: GuideKind) -> &'static str {
    match kind {
        GuideKind::Opening => "opening",
        GuideKind::KeyPoint => "key_point",
        GuideKind::Question => "question",
    }
}

/// Every measure a step's evidence may count, with its form value.
fn measures() -> Vec<(String, Measure)> {
    let mut all: Vec<(String, Measure)> = [
        ("reached", Measure::Reached),
        ("interested", Measure::Interested),
        ("joined", Measure::Joined),
        ("pledged_households", Measure::PledgedHouseholds),
        ("pledged_amount", Measure::PledgedAmount),
        ("new_members", Measure::NewMembers),
    ]
    .into_iter()
    .map(|(v, m)| (v.to_owned(), m))
    .collect();
    for (v, p) in [
        ("project_updates", ConsentPurpose::ProjectUpdates),
        ("meeting_invitations", ConsentPurpose::MeetingInvitations),
        ("team_recruitment", ConsentPurpose::TeamRecruitment),
    ] {
        all.push((format!("consents:{v}"), Measure::Consents(p)));
    }
    all
}

fn units() -> [Unit; 5] {
    [
        Unit::Households,
        Unit::Euros,
        Unit::Panels,
        Unit::SquareMetres,
        Unit::Participants,
    ]
}

/// A step row of the form as typed.
#[derive(Debug, Default, Clone)]
struct StepRow {
    key: String,
    title: String,
    description: String,
    phase: String,
    owner: String,
    measure: String,
    count: String,
    position: String,
    remove: bool,
}

/// A guide row of the form as typed.
#[derive(Debug, Default, Clone)]
struct GuideRow {
    key: String,
    kind: String,
    text: String,
    answer: String,
    remove: bool,
}

/// The plan form as typed (or as a stored plan fills it).
#[derive(Debug, Default)]
struct Draft {
    name: String,
    theme: String,
    target: String,
    unit: String,
    steps: Vec<StepRow>,
    guide: Vec<GuideRow>,
}

impl Draft {
    fn of(plan: &OrgPlan) -> Draft {
        let all = measures();
        Draft {
            name: plan.name.clone(),
            theme: theme_value(plan.theme).to_owned(),
            target: plan.target.map(|t| t.count.to_string()).unwrap_or_default(),
            unit: unit_value(plan.target.map_or(Unit::Households, |t| t.unit)).to_owned(),
            steps: plan
                .steps
                .iter()
                .zip(1..)
                .map(|(s, i): (&PlanStep, usize)| StepRow {
                    key: s.key.to_string(),
                    title: s.title.clone(),
                    description: s.description.clone(),
                    phase: phase_value(s.phase).to_owned(),
                    owner: s.owner.map(role_code).unwrap_or_default().to_owned(),
                    measure: s
                        .evidence
                        .and_then(|e| all.iter().find(|(_, m)| *m == e.measure))
                        .map(|(v, _)| v.clone())
                        .unwrap_or_default(),
                    count: s.evidence.map(|e| e.target.to_string()).unwrap_or_default(),
                    position: i.to_string(),
                    remove: false,
                })
                .collect(),
            guide: plan
                .guide
                .iter()
                .map(|g| GuideRow {
                    key: g.key.to_string(),
                    kind: kind_value(g.kind).to_owned(),
                    text: g.text.clone(),
                    answer: g.answer.clone(),
                    remove: false,
                })
                .collect(),
        }
    }

    /// The form's fields, rows by their number; rows past [`ROWS_MAX`] are left out.
    fn parse(body: &[u8]) -> Draft {
        let mut draft = Draft::default();
        let mut steps: HashMap<usize, StepRow> = HashMap::new();
        let mut guide: HashMap<usize, GuideRow> = HashMap::new();
        for (key, value) in form_urlencoded::parse(body) {
            let value = value.into_owned();
            match &*key {
                "name" => draft.name = value.trim().to_owned(),
                "theme" => draft.theme = value,
                "target" => draft.target = value.trim().to_owned(),
                "unit" => draft.unit = value,
                _ => {
                    let Some((row, field)) = key.split_once('.') else {
                        continue;
                    };
                    let (list, n) = row.split_at(1);
                    let Some(n) = n.parse::<usize>().ok().filter(|n| *n < ROWS_MAX) else {
                        continue;
                    };
                    if list == "s" {
                        let s = steps.entry(n).or_default();
                        match field {
                            "key" => s.key = value,
                            "title" => s.title = value.trim().to_owned(),
                            "description" => s.description = value.trim().to_owned(),
                            "phase" => s.phase = value,
                            "owner" => s.owner = value,
                            "measure" => s.measure = value,
                            "count" => s.count = value.trim().to_owned(),
                            "position" => s.position = value.trim().to_owned(),
                            "remove" => s.remove = value == "ja",
                            _ => {}
                        }
                    } else if list == "g" {
                        let g = guide.entry(n).or_default();
                        match field {
                            "key" => g.key = value,
                            "kind" => g.kind = value,
                            "text" => g.text = value.trim().to_owned(),
                            "answer" => g.answer = value.trim().to_owned(),
                            "remove" => g.remove = value == "ja",
                            _ => {}
                        }
                    }
                }
            }
        }
        let mut steps: Vec<(usize, StepRow)> = steps.into_iter().collect();
        steps.sort_by_key(|(n, _)| *n);
        draft.steps = steps.into_iter().map(|(_, s)| s).collect();
        let mut guide: Vec<(usize, GuideRow)> = guide.into_iter().collect();
        guide.sort_by_key(|(n, _)| *n);
        draft.guide = guide.into_iter().map(|(_, g)| g).collect();
        draft
    }

    /// The plan the form describes, or what is wrong with it. Empty rows are left out; a new
    /// row gets a key from `new_key`.
    fn plan(
        &self,
        t: &Text,
        mut new_key: impl FnMut() -> Result<Uuid, ApiError>,
    ) -> Result<Result<OrgPlan, Vec<String>>, ApiError> {
        let mut problems = Vec::new();
        let too_long = |text: &str, max: usize| text.chars().count() > max;
        if self.name.is_empty() || too_long(&self.name, TITLE_MAX) {
            problems.push(t.plan_name_needed.to_owned());
        }
        let theme = Theme::ALL
            .into_iter()
            .find(|th| theme_value(*th) == self.theme)
            .unwrap_or(Theme::Other);
        let count = |text: &str| {
            text.replace('.', "")
                .parse::<u32>()
                .ok()
                .filter(|n| (1..=TARGET_MAX).contains(n))
        };
        let target = if self.target.is_empty() {
            None
        } else {
            let unit = units()
                .into_iter()
                .find(|u| unit_value(*u) == self.unit)
                .unwrap_or(Unit::Households);
            match count(&self.target) {
                Some(n) => Some(Target { count: n, unit }),
                None => {
                    problems.push(format!("{}: {}", t.plan_target, t.number_needed));
                    None
                }
            }
        };
        let all = measures();
        let mut seen = std::collections::HashSet::new();
        let mut key_of = |text: &str| -> Result<Option<Uuid>, ApiError> {
            let key = match Uuid::parse_str(text) {
                Ok(k) if !k.is_nil() => k,
                _ => new_key()?,
            };
            // A key twice (a copied row, a forged form) would be one step twice in a project.
            Ok(seen.insert(key).then_some(key))
        };
        let mut steps: Vec<(f64, usize, PlanStep)> = Vec::new();
        for (i, row) in self.steps.iter().enumerate() {
            let empty = row.title.is_empty() && row.description.is_empty();
            if row.remove || (empty && row.key.is_empty()) {
                continue;
            }
            let label = format!("{} {}", t.step, i + 1);
            if row.title.is_empty() || too_long(&row.title, TITLE_MAX) {
                problems.push(format!("{label} {}", t.step_title_needed));
            }
            if too_long(&row.description, TEXT_MAX) {
                problems.push(format!("{label}: {}", t.text_too_long));
            }
            let evidence = match all.iter().find(|(v, _)| *v == row.measure) {
                None => None,
                Some((_, measure)) => match count(&row.count) {
                    Some(target) => Some(Evidence {
                        measure: *measure,
                        target,
                    }),
                    None => {
                        problems.push(format!("{label}: {}", t.number_needed));
                        None
                    }
                },
            };
            let Some(key) = key_of(&row.key)? else {
                continue;
            };
            let position = row
                .position
                .replace(',', ".")
                .parse::<f64>()
                .ok()
                .filter(|p| p.is_finite())
                .unwrap_or((i + 1) as f64);
            steps.push((
                position,
                i,
                PlanStep {
                    key,
                    phase: PHASES
                        .into_iter()
                        .find(|p| phase_value(*p) == row.phase)
                        .unwrap_or(Phase::Initiate),
                    owner: Role::ALL.into_iter().find(|r| role_code(*r) == row.owner),
                    title: row.title.clone(),
                    description: row.description.clone(),
                    evidence,
                },
            ));
        }
        if steps.is_empty() {
            problems.push(t.plan_used.to_owned());
        }
        steps.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
        let mut guide = Vec::new();
        for (i, row) in self.guide.iter().enumerate() {
            if row.remove || (row.text.is_empty() && row.answer.is_empty() && row.key.is_empty()) {
                continue;
            }
            let label = format!("{} {}", t.guide_item, i + 1);
            if row.text.is_empty() {
                problems.push(format!("{label} {}", t.guide_text_needed));
            }
            if too_long(&row.text, TEXT_MAX) || too_long(&row.answer, TEXT_MAX) {
                problems.push(format!("{label}: {}", t.text_too_long));
            }
            let kind = GuideKind::ALL
                .into_iter()
                .find(|k| kind_value(*k) == row.kind)
                .unwrap_or(GuideKind::KeyPoint);
            let Some(key) = key_of(&row.key)? else {
                continue;
            };
            guide.push(PlanGuideItem {
                key,
                kind,
                text: row.text.clone(),
                // Only a question has an answer.
                answer: if kind == GuideKind::Question {
                    row.answer.clone()
                } else {
                    String::new()
                },
            });
        }
        if !problems.is_empty() {
            return Ok(Err(problems));
        }
        Ok(Ok(OrgPlan {
            name: self.name.clone(),
            theme,
            target,
            steps: steps.into_iter().map(|(_, _, s)| s).collect(),
            guide,
        }))
    }
}

fn random_key() -> Result<Uuid, ApiError> {
    let mut bytes = [0u8; 16];
    getrandom::fill(&mut bytes).map_err(|_| ApiError::Internal("no randomness available"))?;
    Ok(uuid::Builder::from_random_bytes(bytes).into_uuid())
}

fn options<T: Copy>(
    out: &mut String,
    all: impl IntoIterator<Item = T>,
    value: impl Fn(T) -> String,
    label: impl Fn(T) -> String,
    chosen: &str,
) {
    for item in all {
        let v = value(item);
        let _ = write!(
            out,
            "<option value=\"{}\"{}>{}</option>",
            esc(&v),
            if v == chosen { " selected" } else { "" },
            esc(&label(item))
        );
    }
}

fn select(out: &mut String, id: &str, name: &str, label: &str, fill: impl FnOnce(&mut String)) {
    let _ = write!(
        out,
        "<label for=\"{id}\">{}</label><select id=\"{id}\" name=\"{name}\">",
        esc(label)
    );
    fill(out);
    out.push_str("</select>");
}

fn input(out: &mut String, id: &str, name: &str, label: &str, value: &str, max: usize) {
    let _ = write!(
        out,
        "<label for=\"{id}\">{}</label><input type=\"text\" id=\"{id}\" name=\"{name}\" maxlength=\"{max}\" value=\"{}\">",
        esc(label),
        esc(value)
    );
}

fn textarea(out: &mut String, id: &str, name: &str, label: &str, value: &str) {
    let _ = write!(
        out,
        "<label for=\"{id}\">{}</label><textarea id=\"{id}\" name=\"{name}\" rows=\"3\" maxlength=\"{TEXT_MAX}\">{}</textarea>",
        esc(label),
        esc(value)
    );
}

fn remove_box(out: &mut String, name: &str, label: &str, checked: bool) {
    let _ = write!(
        out,
        "<label class=\"check\"><input type=\"checkbox\" name=\"{name}\" value=\"ja\"{}> {}</label>",
        if checked { " checked" } else { "" },
        esc(label)
    );
}

/// The editing page of plan `id` with `draft` in its form; `latest` says which version is
/// stored.
fn edit_page(
    status: StatusCode,
    t: &Text,
    id: &str,
    latest: &StoredPlan,
    draft: &Draft,
    problems: &[String],
) -> Response {
    let path = format!("/begeleider/plannen/{id}");
    let mut out = String::new();
    let _ = write!(
        out,
        "<header class=\"top\"><p><a href=\"/begeleider/plannen{}\">{}</a></p>{}</header><h1>{}</h1>\
<p class=\"soft\">{} {} · {} · {} {}</p>",
        keep(t),
        esc(t.plan_back),
        language_link(t, &path),
        esc(&latest.plan.name),
        esc(t.plan_version),
        latest.version,
        esc(&day_of(t, latest.saved_at_ms)),
        esc(t.plan_saved_by),
        esc(&latest.saved_by),
    );
    if !problems.is_empty() {
        let _ = write!(
            out,
            "<div class=\"stuck\" role=\"alert\" id=\"problems\"><p>{}</p><ul>",
            esc(t.plan_problem)
        );
        for p in problems {
            let _ = write!(out, "<li>{}</li>", esc(p));
        }
        out.push_str("</ul></div>");
    }
    let _ = write!(
        out,
        "<form method=\"post\" action=\"{path}{}\" class=\"plan narrow\">",
        keep(t)
    );
    input(
        &mut out,
        "name",
        "name",
        t.plan_name,
        &draft.name,
        TITLE_MAX,
    );
    select(&mut out, "theme", "theme", t.plan_theme, |o| {
        options(
            o,
            Theme::ALL,
            |x| theme_value(x).into(),
            |x| t.theme(x).into(),
            &draft.theme,
        );
    });
    let _ = write!(
        out,
        "<fieldset class=\"target\"><legend>{}</legend><label for=\"target\" class=\"sr\">{}</label>\
<input type=\"text\" id=\"target\" name=\"target\" inputmode=\"numeric\" maxlength=\"9\" value=\"{}\">\
<label for=\"unit\" class=\"sr\">{}</label><select id=\"unit\" name=\"unit\">",
        esc(t.plan_target),
        esc(t.step_count),
        esc(&draft.target),
        esc(t.plan_target),
    );
    options(
        &mut out,
        units(),
        |u| unit_value(u).into(),
        |u| t.base.unit(u, 2).into(),
        &draft.unit,
    );
    out.push_str("</select></fieldset>");

    let _ = write!(out, "<h2>{}</h2>", esc(t.steps_title));
    let empty = StepRow::default();
    let rows = draft.steps.iter().chain(std::iter::repeat_n(
        &empty,
        EMPTY_ROWS.min(ROWS_MAX.saturating_sub(draft.steps.len())),
    ));
    let all = measures();
    for (i, row) in rows.enumerate() {
        let n = i + 1;
        let new = row.key.is_empty();
        let _ = write!(
            out,
            "<fieldset class=\"card row\"><legend>{} {n}{}</legend><input type=\"hidden\" name=\"s{i}.key\" value=\"{}\">",
            esc(t.step),
            if new && row.title.is_empty() {
                " +"
            } else {
                ""
            },
            esc(&row.key)
        );
        input(
            &mut out,
            &format!("s{i}-title"),
            &format!("s{i}.title"),
            t.step_title,
            &row.title,
            TITLE_MAX,
        );
        textarea(
            &mut out,
            &format!("s{i}-description"),
            &format!("s{i}.description"),
            t.step_description,
            &row.description,
        );
        out.push_str("<div class=\"pair\"><div>");
        select(
            &mut out,
            &format!("s{i}-phase"),
            &format!("s{i}.phase"),
            t.step_phase,
            |o| {
                options(
                    o,
                    PHASES,
                    |p| phase_value(p).into(),
                    |p| t.phase_name(p).into(),
                    &row.phase,
                );
            },
        );
        out.push_str("</div><div>");
        select(
            &mut out,
            &format!("s{i}-owner"),
            &format!("s{i}.owner"),
            t.step_owner,
            |o| {
                let _ = write!(o, "<option value=\"\">{}</option>", esc(t.nobody));
                options(
                    o,
                    Role::ALL,
                    |r| role_code(r).into(),
                    |r| t.role(r).into(),
                    &row.owner,
                );
            },
        );
        out.push_str("</div></div><div class=\"pair\"><div>");
        select(
            &mut out,
            &format!("s{i}-measure"),
            &format!("s{i}.measure"),
            t.step_done_when,
            |o| {
                let _ = write!(o, "<option value=\"\">{}</option>", esc(t.step_by_hand));
                options(
                    o,
                    all.iter(),
                    |(v, _)| v.clone(),
                    |(_, m)| t.measure(*m),
                    &row.measure,
                );
            },
        );
        out.push_str("</div><div>");
        input(
            &mut out,
            &format!("s{i}-count"),
            &format!("s{i}.count"),
            t.step_count,
            &row.count,
            9,
        );
        out.push_str("</div></div>");
        let position = if row.position.is_empty() {
            n.to_string()
        } else {
            row.position.clone()
        };
        input(
            &mut out,
            &format!("s{i}-position"),
            &format!("s{i}.position"),
            t.position,
            &position,
            6,
        );
        if !new {
            remove_box(&mut out, &format!("s{i}.remove"), t.remove, row.remove);
        }
        out.push_str("</fieldset>");
    }

    let _ = write!(
        out,
        "<h2>{}</h2><p class=\"hint\">{}</p>",
        esc(t.guide_title),
        esc(t.guide_hint)
    );
    let empty = GuideRow::default();
    let rows = draft.guide.iter().chain(std::iter::repeat_n(
        &empty,
        EMPTY_ROWS.min(ROWS_MAX.saturating_sub(draft.guide.len())),
    ));
    for (i, row) in rows.enumerate() {
        let new = row.key.is_empty();
        let _ = write!(
            out,
            "<fieldset class=\"card row\"><legend>{} {}{}</legend><input type=\"hidden\" name=\"g{i}.key\" value=\"{}\">",
            esc(t.guide_item),
            i + 1,
            if new && row.text.is_empty() { " +" } else { "" },
            esc(&row.key)
        );
        select(
            &mut out,
            &format!("g{i}-kind"),
            &format!("g{i}.kind"),
            t.guide_kind,
            |o| {
                options(
                    o,
                    GuideKind::ALL,
                    |k| kind_value(k).into(),
                    |k| t.guide_kind(k).into(),
                    &row.kind,
                );
            },
        );
        textarea(
            &mut out,
            &format!("g{i}-text"),
            &format!("g{i}.text"),
            t.guide_text,
            &row.text,
        );
        textarea(
            &mut out,
            &format!("g{i}-answer"),
            &format!("g{i}.answer"),
            t.guide_answer,
            &row.answer,
        );
        if !new {
            remove_box(&mut out, &format!("g{i}.remove"), t.remove, row.remove);
        }
        out.push_str("</fieldset>");
    }
    let _ = write!(
        out,
        "<button type=\"submit\">{}</button></form>",
        esc(t.plan_save)
    );
    html(status, t, &latest.plan.name, &out)
}

/// The organisation's plans and the form to start one.
pub(super) async fn list(
    State(state): State<AppState>,
    query: Query<LangQuery>,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let t = lang(&query);
    let Some(coach) = signed_in(&state, &headers).await? else {
        return Ok(signed_out(t));
    };
    let organisation = coach.organisation.clone();
    let plans = state.storage(move |s| s.plans(&organisation)).await?;
    let mut out = String::new();
    let _ = write!(
        out,
        "<header class=\"top\"><p><a href=\"/begeleider{}\">{}</a></p>{}</header><h1>{}</h1><p class=\"hint\">{}</p>",
        keep(t),
        esc(t.back),
        language_link(t, "/begeleider/plannen"),
        esc(t.plans_title),
        esc(t.plans_intro),
    );
    if plans.is_empty() {
        let _ = write!(out, "<p>{}</p>", esc(t.no_plans));
    } else {
        out.push_str("<ul class=\"advice narrow\">");
        for p in &plans {
            let _ = write!(
                out,
                "<li><p><strong>{}</strong></p><p class=\"soft\">{} · {} {} · {} {}</p>\
<p><a href=\"/begeleider/plannen/{}{}\">{}<span class=\"sr\">: {}</span></a></p></li>",
                esc(&p.plan.name),
                esc(t.theme(p.plan.theme)),
                p.plan.steps.len(),
                esc(&t.steps_title.to_lowercase()),
                esc(t.plan_version),
                p.version,
                esc(&p.id),
                keep(t),
                esc(t.plan_open),
                esc(&p.plan.name),
            );
        }
        out.push_str("</ul>");
    }
    let _ = write!(
        out,
        "<form method=\"post\" action=\"/begeleider/plannen{}\" class=\"card narrow\"><h2>{}</h2>",
        keep(t),
        esc(t.plan_new),
    );
    input(&mut out, "new-name", "name", t.plan_name, "", TITLE_MAX);
    select(&mut out, "new-theme", "theme", t.plan_from, |o| {
        options(
            o,
            Theme::ALL,
            |x| theme_value(x).into(),
            |x| t.theme(x).into(),
            "",
        );
    });
    let _ = write!(
        out,
        "<button type=\"submit\">{}</button></form>",
        esc(t.plan_start)
    );
    Ok(html(StatusCode::OK, t, t.plans_title, &out))
}

/// A new plan: the chosen theme's built-in steps and guide under the name given.
pub(super) async fn create(
    State(state): State<AppState>,
    query: Query<LangQuery>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, ApiError> {
    let t = lang(&query);
    let coach = match posting_coach(&state, t, &headers).await? {
        Ok(coach) => coach,
        Err(page) => return Ok(page),
    };
    let (mut name, mut theme) = (String::new(), Theme::Other);
    for (key, value) in form_urlencoded::parse(&body) {
        match &*key {
            "name" => name = value.trim().to_owned(),
            "theme" => {
                theme = Theme::ALL
                    .into_iter()
                    .find(|th| theme_value(*th) == value)
                    .unwrap_or(Theme::Other);
            }
            _ => {}
        }
    }
    if name.chars().count() > TITLE_MAX {
        return Ok(message(
            StatusCode::UNPROCESSABLE_ENTITY,
            t,
            t.plan_new,
            t.plan_name_needed,
        ));
    }
    if name.is_empty() {
        name = t.theme(theme).to_owned();
    }
    let lang = if t.base.lang == "nl" {
        Lang::Nl
    } else {
        Lang::En
    };
    // One fresh key per step and guide item of the theme.
    let items =
        buurtbel_core::templates::template(theme).len() + buurtbel_core::guides::guide(theme).len();
    let mut keys = (0..items)
        .map(|_| random_key())
        .collect::<Result<Vec<_>, _>>()?
        .into_iter();
    let plan = from_theme(theme, &name, lang, || keys.next().unwrap_or_else(Uuid::nil));
    let (organisation, id, now) = (coach.organisation.clone(), coach.id.clone(), now_ms());
    let saved = state
        .storage(move |s| s.save_plan(&organisation, &id, None, &plan, now))
        .await?
        .ok_or(ApiError::Internal("a new plan was not saved"))?;
    tracing::info!(coach = %coach.id, plan = %saved.0, "a coach started a step plan");
    Ok(see_other(&format!(
        "/begeleider/plannen/{}{}",
        saved.0,
        keep(t)
    )))
}

/// The editing page of one of the organisation's plans.
pub(super) async fn edit(
    State(state): State<AppState>,
    Path(id): Path<String>,
    query: Query<LangQuery>,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let t = lang(&query);
    let Some(coach) = signed_in(&state, &headers).await? else {
        return Ok(signed_out(t));
    };
    let Some(id) = crate::db::hex_id(&id) else {
        return Ok(message(
            StatusCode::NOT_FOUND,
            t,
            t.plans_title,
            t.plan_gone,
        ));
    };
    let (organisation, wanted) = (coach.organisation.clone(), id.clone());
    let latest = state
        .storage(move |s| s.plan_versions(&organisation, &wanted))
        .await?
        .pop();
    Ok(match latest {
        Some(latest) => edit_page(
            StatusCode::OK,
            t,
            &id,
            &latest,
            &Draft::of(&latest.plan),
            &[],
        ),
        None => message(StatusCode::NOT_FOUND, t, t.plans_title, t.plan_gone),
    })
}

/// Saves the form as the plan's next version (nothing when unchanged), or shows what is wrong.
pub(super) async fn save(
    State(state): State<AppState>,
    Path(id): Path<String>,
    query: Query<LangQuery>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, ApiError> {
    let t = lang(&query);
    let coach = match posting_coach(&state, t, &headers).await? {
        Ok(coach) => coach,
        Err(page) => return Ok(page),
    };
    let Some(id) = crate::db::hex_id(&id) else {
        return Ok(message(
            StatusCode::NOT_FOUND,
            t,
            t.plans_title,
            t.plan_gone,
        ));
    };
    let (organisation, wanted) = (coach.organisation.clone(), id.clone());
    let Some(latest) = state
        .storage(move |s| s.plan_versions(&organisation, &wanted))
        .await?
        .pop()
    else {
        return Ok(message(
            StatusCode::NOT_FOUND,
            t,
            t.plans_title,
            t.plan_gone,
        ));
    };
    let draft = Draft::parse(&body);
    let plan = match draft.plan(t, random_key)? {
        Ok(plan) => plan,
        Err(problems) => {
            return Ok(edit_page(
                StatusCode::UNPROCESSABLE_ENTITY,
                t,
                &id,
                &latest,
                &draft,
                &problems,
            ));
        }
    };
    let (organisation, coach_id, wanted, now) = (
        coach.organisation.clone(),
        coach.id.clone(),
        id.clone(),
        now_ms(),
    );
    let saved = state
        .storage(move |s| s.save_plan(&organisation, &coach_id, Some(&wanted), &plan, now))
        .await?;
    let Some((_, version)) = saved else {
        return Ok(message(
            StatusCode::NOT_FOUND,
            t,
            t.plans_title,
            t.plan_gone,
        ));
    };
    if version != latest.version {
        tracing::info!(coach = %coach.id, plan = %id, version, "a coach saved a step plan");
    }
    Ok(see_other(&format!("/begeleider/plannen/{id}{}", keep(t))))
}
