//! The coach's pages (`/begeleider`): server-rendered HTML with no script, so a member's phone
//! downloads none of it.
//!
//! A coach signs in with a link that works once ([`crate::db::coach`]); the device then keeps
//! a session token in a cookie only this server's `/begeleider` pages receive
//! (`HttpOnly`, `SameSite=Strict`). The overview shows every team that lets the coach look
//! along, the ones that may be stuck first; a team's page adds its weeks. Everything shown is
//! computed by [`buurtbel_core::coach::summary`]: figures, dates and the names the team gave
//! itself, its projects and steps, never a resident's data.

mod introductions;
mod plans;
mod text;

use std::collections::HashMap;
use std::fmt::Write as _;
use std::sync::{Arc, Mutex};

use axum::Router;
use axum::body::Bytes;
use axum::extract::{DefaultBodyLimit, Path, Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use buurtbel_core::coach::{TeamSummary, summary};
use buurtbel_core::ids::{AdviceId, DeviceId, MemberId, ProjectId, StepId, TeamId};
use buurtbel_core::op::{Author, Operation, Payload};
use buurtbel_core::protocol::Introduction;
use buurtbel_core::validate::TEXT_MAX;
use serde::Deserialize;

use crate::auth::{display_invite_code, hash_token, new_token};
use crate::db::{Coach, DbError, PreparedOp, PushError, Storage};
use crate::error::ApiError;
use crate::html::esc;
use crate::resident::date_text;
use crate::{AppState, now_ms};
use introductions::{intro_section, introduce, withdraw_introduction};
use text::Text;

const STYLE: &str = include_str!("coach/style.css");
/// The session cookie's name.
pub const COOKIE: &str = "buurtbel_coach";
/// Largest form a coach's page takes (advice of 2,000 characters, each encoded).
const FORM_MAX: usize = 24 * 1024;
/// How long a computed summary is shown before it is computed again, when the team's log did
/// not change: the signals count days.
const FRESH_MS: u64 = 10 * 60 * 1000;

/// The coach's routes.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/begeleider", get(overview))
        .route("/begeleider/stijl.css", get(style))
        .route("/begeleider/team/{team}", get(team_page))
        .route("/begeleider/team/{team}/advies", post(advise))
        .route("/begeleider/team/{team}/voorstellen", post(introduce))
        .route(
            "/begeleider/team/{team}/voorstellen/{id}/intrekken",
            post(withdraw_introduction),
        )
        .route("/begeleider/plannen", get(plans::list).post(plans::create))
        .route(
            "/begeleider/plannen/{id}",
            get(plans::edit)
                .post(plans::save)
                .layer(DefaultBodyLimit::max(plans::FORM_MAX)),
        )
        .route("/begeleider/link/{token}", get(link_page).post(sign_in))
        .route("/begeleider/uitnodigen", post(invite))
        .route("/begeleider/apparaat", post(device_link))
        .route("/begeleider/afmelden", post(sign_out))
        .layer(DefaultBodyLimit::max(FORM_MAX))
}

/// Adds the coach `name` to `organisation` (made unless it exists) in `storage`, and returns
/// the link under `url` they sign in with.
pub fn add(
    storage: &dyn Storage,
    organisation: &str,
    name: &str,
    url: &str,
) -> Result<String, AddError> {
    let (organisation, name) = (organisation.trim(), name.trim());
    if organisation.is_empty() || name.is_empty() || name.chars().count() > 80 {
        return Err(AddError::Name);
    }
    let (token, hash) = new_token().map_err(|_| AddError::Random)?;
    let code = crate::auth::new_invite_code().map_err(|_| AddError::Random)?;
    let coach = storage.add_coach(organisation, name, &code, &hash, now_ms())?;
    tracing::info!(coach = %coach.id, organisation = %coach.organisation, "coach added");
    Ok(format!(
        "{}/begeleider/link/{token}",
        url.trim_end_matches('/')
    ))
}

/// Why a coach was not added.
#[derive(Debug, thiserror::Error)]
pub enum AddError {
    /// A name is empty or too long.
    #[error("the organisation and the coach need a name (a coach's at most 80 characters)")]
    Name,
    /// No randomness for the link.
    #[error("no randomness available")]
    Random,
    /// The database could not be opened.
    #[error("{0}")]
    Open(String),
    /// The database failed.
    #[error(transparent)]
    Db(#[from] DbError),
}

/// Teams' summaries, computed from their logs and kept until the log changes or they age.
#[derive(Debug, Default)]
pub struct Summaries {
    teams: Mutex<HashMap<TeamId, Cached>>,
}

#[derive(Debug, Clone)]
struct Cached {
    seq: u64,
    at_ms: u64,
    summary: Arc<TeamSummary>,
}

impl Summaries {
    /// `team` as a coach sees it at `now_ms`. Blocks on storage: call it off the runtime.
    pub fn get(
        &self,
        storage: &dyn Storage,
        team: TeamId,
        now_ms: u64,
    ) -> Result<Arc<TeamSummary>, DbError> {
        let cached = self
            .teams
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .get(&team)
            .cloned();
        if let Some(c) = &cached
            && now_ms.saturating_sub(c.at_ms) < FRESH_MS
            && storage.pull(team, c.seq, 1)?.0.is_empty()
        {
            return Ok(Arc::clone(&c.summary));
        }
        let mut ops: Vec<Operation> = Vec::new();
        let seq = crate::folds::read_log(storage, team, 0, |op| ops.push(op))?;
        let summary = Arc::new(summary(&ops, now_ms));
        self.teams.lock().unwrap_or_else(|p| p.into_inner()).insert(
            team,
            Cached {
                seq,
                at_ms: now_ms,
                summary: Arc::clone(&summary),
            },
        );
        Ok(summary)
    }
}

#[derive(Debug, Deserialize)]
struct LangQuery {
    lang: Option<String>,
}

fn lang(query: &Query<LangQuery>) -> &'static Text {
    Text::of(query.lang.as_deref())
}

async fn style() -> Response {
    crate::html::stylesheet(STYLE)
}

fn html(status: StatusCode, t: &Text, title: &str, body: &str) -> Response {
    crate::html::page(status, t.base.lang, title, "/begeleider/stijl.css", body)
}

fn message(status: StatusCode, t: &Text, title: &str, text: &str) -> Response {
    html(status, t, title, &crate::html::message(title, text))
}

/// The session token's hash from the request's cookie.
fn session(headers: &HeaderMap) -> Option<[u8; 32]> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(name, _)| *name == COOKIE)
        .map(|(_, token)| hash_token(token.trim()))
}

/// The coach signed in on this device, if any.
async fn signed_in(state: &AppState, headers: &HeaderMap) -> Result<Option<Coach>, ApiError> {
    let Some(hash) = session(headers) else {
        return Ok(None);
    };
    let now = now_ms();
    Ok(state.storage(move |s| s.coach_session(&hash, now)).await?)
}

/// A form posted from another site is refused. The session cookie is `SameSite=Strict`
/// already; a browser also says where a request comes from (`Sec-Fetch-Site`), and names the
/// page's origin unless the page's referrer policy hides it (`Origin: null`, as this server's
/// own pages send).
fn same_origin(headers: &HeaderMap) -> bool {
    let text = |name: &str| headers.get(name).and_then(|v| v.to_str().ok());
    if let Some(site) = text("sec-fetch-site")
        && !matches!(site, "same-origin" | "none")
    {
        return false;
    }
    let Some(origin) = text("origin").filter(|o| *o != "null") else {
        return true;
    };
    let host = text("host").unwrap_or_default();
    origin
        .split_once("://")
        .is_some_and(|(_, rest)| rest.eq_ignore_ascii_case(host))
}

/// The coach posting a form from this site, or the page to answer instead (signed out); a
/// form from another site is refused.
async fn posting_coach(
    state: &AppState,
    t: &'static Text,
    headers: &HeaderMap,
) -> Result<Result<Coach, Response>, ApiError> {
    if !same_origin(headers) {
        return Err(ApiError::Forbidden("a form from another site"));
    }
    Ok(signed_in(state, headers)
        .await?
        .ok_or_else(|| signed_out(t)))
}

fn signed_out(t: &Text) -> Response {
    html(
        StatusCode::UNAUTHORIZED,
        t,
        t.signed_out,
        &format!(
            "<h1>{}</h1><p>{}</p><p class=\"hint\">{}</p>",
            esc(t.signed_out),
            esc(t.signed_out_intro),
            esc(t.privacy)
        ),
    )
}

fn see_other(to: &str) -> Response {
    (StatusCode::SEE_OTHER, [(header::LOCATION, to.to_owned())]).into_response()
}

/// The language query to keep on links.
fn keep(t: &Text) -> &'static str {
    t.base.query
}

async fn overview(
    State(state): State<AppState>,
    query: Query<LangQuery>,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let t = lang(&query);
    let Some(coach) = signed_in(&state, &headers).await? else {
        return Ok(signed_out(t));
    };
    let now = now_ms();
    let id = coach.id.clone();
    let summaries = Arc::clone(&state.coach_summaries);
    let mut teams = state
        .storage(move |s| {
            s.coach_teams(&id)?
                .into_iter()
                .map(|team| Ok((team, summaries.get(s, team, now)?)))
                .collect::<Result<Vec<_>, DbError>>()
        })
        .await?;
    // The teams that need help first: most signals, then idle longest, then by name.
    teams.sort_by(|a, b| {
        b.1.urgency()
            .cmp(&a.1.urgency())
            .then_with(|| a.1.name.to_lowercase().cmp(&b.1.name.to_lowercase()))
    });
    let mut body = String::new();
    let _ = write!(
        body,
        "<header class=\"top\"><p class=\"who\">{} · {}</p>{}</header><h1>{}</h1><p class=\"hint\">{}</p>",
        esc(&coach.name),
        esc(&coach.organisation_name),
        language_link(t, "/begeleider"),
        esc(t.your_teams),
        esc(t.privacy),
    );
    if teams.is_empty() {
        let _ = write!(body, "<p>{}</p>", esc(t.no_teams));
    }
    body.push_str("<div class=\"teams\">");
    for (team, summary) in &teams {
        team_card(&mut body, t, *team, summary);
    }
    body.push_str("</div>");
    let _ = write!(
        body,
        "<section><h2>{}</h2><p><a href=\"/begeleider/plannen{}\">{}</a></p></section>",
        esc(t.plans_title),
        keep(t),
        esc(t.plans_link)
    );
    let _ = write!(
        body,
        "<section class=\"code\"><h2>{}</h2><p class=\"big\">{}</p><p class=\"hint\">{}</p></section>",
        esc(t.your_code),
        esc(&display_invite_code(&coach.code)),
        esc(t.code_hint)
    );
    for (title, intro, action, button) in [
        (t.colleague, t.colleague_intro, "uitnodigen", t.make_invite),
        (
            t.other_device,
            t.other_device_intro,
            "apparaat",
            t.make_link,
        ),
    ] {
        let _ = write!(
            body,
            "<section><h2>{}</h2><p>{}</p><form method=\"post\" action=\"/begeleider/{action}{}\">\
<button type=\"submit\" class=\"secondary\">{}</button></form></section>",
            esc(title),
            esc(intro),
            keep(t),
            esc(button)
        );
    }
    let _ = write!(
        body,
        "<form method=\"post\" action=\"/begeleider/afmelden{}\"><button type=\"submit\" class=\"quiet\">{}</button></form>",
        keep(t),
        esc(t.sign_out)
    );
    Ok(html(StatusCode::OK, t, t.your_teams, &body))
}

fn language_link(t: &Text, path: &str) -> String {
    crate::html::language_link(t.base.lang, path, t.base.other_query, t.base.other_language)
}

/// The day of `at_ms` in the Netherlands, as the pages write dates.
fn day_of(t: &Text, at_ms: u64) -> String {
    date_text(t.base, buurtbel_core::clock::dutch_date(at_ms))
}

fn date_or_none(t: &Text, date: Option<chrono::NaiveDate>) -> String {
    date.map_or_else(|| t.none.to_owned(), |d| date_text(t.base, d))
}

/// The figures of one team, as the overview and the team's page show them, with headings of
/// `level` (under the team's name on the overview, under the page's title on the team's page).
fn figures(out: &mut String, t: &Text, summary: &TeamSummary, level: u8) {
    if summary.stuck.is_empty() {
        let _ = write!(out, "<p class=\"ok\">{}</p>", esc(t.on_track));
    } else {
        let _ = write!(
            out,
            "<div class=\"stuck\"><p><strong>{}</strong></p><ul>",
            esc(t.needs_help)
        );
        for signal in &summary.stuck {
            let _ = write!(out, "<li>{}</li>", esc(&t.stuck(signal)));
        }
        out.push_str("</ul></div>");
    }
    let _ = write!(
        out,
        "<h{level}>{} <span class=\"soft\">({} {})</span></h{level}><ul class=\"roles\">",
        esc(t.roles),
        summary.members,
        esc(if summary.members == 1 {
            t.member
        } else {
            t.members
        })
    );
    for (role, count) in &summary.roles {
        let class = match count {
            0 => "empty",
            1 => "thin",
            _ => "full",
        };
        let _ = write!(
            out,
            "<li class=\"{class}\">{}: {count}</li>",
            esc(t.role(*role))
        );
    }
    out.push_str("</ul>");
    let _ = write!(out, "<h{level}>{}</h{level}>", esc(t.projects));
    if summary.projects.is_empty() {
        let _ = write!(out, "<p>{}</p>", esc(t.no_projects));
    } else {
        out.push_str("<ul class=\"projects\">");
        for p in &summary.projects {
            let phase = p.phase.map_or(t.all_done, |ph| t.phase_name(ph));
            let _ = write!(
                out,
                "<li><strong>{}</strong><br>{}: {} · {}/{} {}",
                esc(&p.title),
                esc(t.phase),
                esc(phase),
                p.steps_done,
                p.steps_total,
                esc(t.steps)
            );
            if !p.overdue.is_empty() {
                let _ = write!(
                    out,
                    " · <span class=\"late\">{} {}</span>",
                    p.overdue.len(),
                    esc(t.overdue)
                );
            }
            if let (Some((count, target)), Some(unit)) = (p.progress, p.unit) {
                let pct = (count * 100 / u64::from(target.max(1))).min(100);
                let _ = write!(
                    out,
                    "<br>{count} {} {target} {} <meter min=\"0\" max=\"100\" value=\"{pct}\">{pct}%</meter>",
                    esc(t.of),
                    esc(t.base.unit(unit, target))
                );
            }
            out.push_str("</li>");
        }
        out.push_str("</ul>");
    }
    let _ = write!(
        out,
        "<dl class=\"dates\"><div><dt>{}</dt><dd>{}</dd></div><div><dt>{}</dt><dd>{}</dd></div>\
<div><dt>{}</dt><dd>{}</dd></div></dl>",
        esc(t.last_activity),
        esc(&date_or_none(t, summary.last_activity)),
        esc(t.last_meeting),
        esc(&date_or_none(t, summary.last_meeting)),
        esc(t.next_meeting),
        esc(&date_or_none(t, summary.next_meeting)),
    );
}

fn team_title(summary: &TeamSummary) -> String {
    match (summary.name.is_empty(), summary.neighbourhood.is_empty()) {
        (false, false) => format!("{} · {}", summary.name, summary.neighbourhood),
        (false, true) => summary.name.clone(),
        (true, false) => summary.neighbourhood.clone(),
        (true, true) => "—".into(),
    }
}

fn team_card(out: &mut String, t: &Text, team: TeamId, summary: &TeamSummary) {
    let class = if summary.stuck.is_empty() {
        "card"
    } else {
        "card help"
    };
    let _ = write!(
        out,
        "<article class=\"{class}\"><h2>{}</h2>",
        esc(&team_title(summary))
    );
    figures(out, t, summary, 3);
    let _ = write!(
        out,
        "<p><a href=\"/begeleider/team/{team}{}\">{}<span class=\"sr\">: {}</span></a></p></article>",
        keep(t),
        esc(t.open_team),
        esc(&team_title(summary))
    );
}

async fn team_page(
    State(state): State<AppState>,
    Path(team): Path<String>,
    query: Query<LangQuery>,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let t = lang(&query);
    let Some(coach) = signed_in(&state, &headers).await? else {
        return Ok(signed_out(t));
    };
    let Ok(team) = uuid::Uuid::parse_str(&team).map(TeamId) else {
        return Ok(message(StatusCode::NOT_FOUND, t, t.title, t.not_yours));
    };
    team_answer(&state, t, &coach, team, StatusCode::OK, &Forms::default()).await
}

/// `team`'s page with `form` as the coach left it, if the team lets `coach` look along; a team
/// that never did reads the same as one that stopped (404).
async fn team_answer(
    state: &AppState,
    t: &Text,
    coach: &Coach,
    team: TeamId,
    status: StatusCode,
    forms: &Forms,
) -> Result<Response, ApiError> {
    let now = now_ms();
    let summaries = Arc::clone(&state.coach_summaries);
    let id = coach.id.clone();
    let found = state
        .storage(move |s| {
            if s.coach_may_see(&id, team)? {
                Ok::<_, DbError>(Some((
                    summaries.get(s, team, now)?,
                    s.introductions(team, Some(&id))?,
                )))
            } else {
                Ok(None)
            }
        })
        .await?;
    Ok(match found {
        Some((summary, intros)) => team_html(status, t, team, &summary, &intros, forms),
        None => message(StatusCode::NOT_FOUND, t, t.title, t.not_yours),
    })
}

/// The forms of a team's page as the coach left them.
#[derive(Debug, Default)]
struct Forms {
    advice: AdviceForm,
    intro: IntroForm,
}

/// What the coach typed to introduce a volunteer, and what was wrong with it.
#[derive(Debug, Default)]
struct IntroForm {
    name: String,
    role: String,
    contact: String,
    consent: bool,
    problem: Option<&'static str>,
}

/// What the coach typed in the advice form, and what was wrong with it.
#[derive(Debug, Default)]
struct AdviceForm {
    about: String,
    text: String,
    problem: Option<&'static str>,
}

/// A team's page: its figures, its weeks, the advice given to it with the form to give more,
/// and the volunteers this coach introduced with the form to introduce one.
fn team_html(
    status: StatusCode,
    t: &Text,
    team: TeamId,
    summary: &TeamSummary,
    intros: &[Introduction],
    forms: &Forms,
) -> Response {
    let mut body = String::new();
    let _ = write!(
        body,
        "<header class=\"top\"><p><a href=\"/begeleider{}\">{}</a></p>{}</header><h1>{}</h1>",
        keep(t),
        esc(t.back),
        language_link(t, &format!("/begeleider/team/{team}")),
        esc(&team_title(summary))
    );
    body.push_str("<div class=\"card wide\">");
    figures(&mut body, t, summary, 2);
    body.push_str("</div>");
    advice_section(&mut body, t, team, summary, &forms.advice);
    intro_section(&mut body, t, team, summary, intros, &forms.intro);
    let _ = write!(body, "<h2>{}</h2>", esc(t.weeks_title));
    chart(&mut body, t, summary);
    week_table(&mut body, t, summary);
    html(status, t, &team_title(summary), &body)
}

/// What advice is about, as the form's choice names it: empty for the team as a whole, a
/// project's id, or a project's and a step's id joined by `:`.
fn about_value(project: ProjectId, step: Option<StepId>) -> String {
    step.map_or_else(|| project.to_string(), |s| format!("{project}:{s}"))
}

/// The advice the team got (open first in the team's eyes: newest first) and the form.
fn advice_section(
    out: &mut String,
    t: &Text,
    team: TeamId,
    summary: &TeamSummary,
    form: &AdviceForm,
) {
    let _ = write!(
        out,
        "<section id=\"advies\" class=\"narrow\"><h2>{}</h2>",
        esc(t.advice_title)
    );
    if summary.advice.is_empty() {
        let _ = write!(out, "<p>{}</p>", esc(t.no_advice));
    } else {
        out.push_str("<ul class=\"advice\">");
        for a in &summary.advice {
            let about = match (&a.project, &a.step) {
                (Some(p), Some(s)) => format!("{s} ({p})"),
                (Some(p), None) => p.clone(),
                _ => t.whole_team.to_owned(),
            };
            let state = a.handled.map_or_else(
                || format!("<span class=\"open\">{}</span>", esc(t.advice_open)),
                |d| {
                    format!(
                        "<span class=\"handled\">{} {}</span>",
                        esc(t.advice_handled),
                        esc(&date_text(t.base, d))
                    )
                },
            );
            let _ = write!(
                out,
                "<li><p class=\"soft\">{} · {} · {}</p><p>{}</p><p>{state}</p></li>",
                esc(&about),
                esc(&date_text(t.base, a.given)),
                esc(&a.name),
                esc(&a.text),
            );
        }
        out.push_str("</ul>");
    }
    let _ = write!(
        out,
        "<form method=\"post\" action=\"/begeleider/team/{team}/advies{}\" class=\"card\"><h3>{}</h3><p class=\"hint\">{}</p>\
<label for=\"about\">{}</label><select id=\"about\" name=\"about\"><option value=\"\">{}</option>",
        keep(t),
        esc(t.give_advice),
        esc(t.advice_hint),
        esc(t.advice_about),
        esc(t.whole_team),
    );
    let selected = |value: &str| if value == form.about { " selected" } else { "" };
    for p in &summary.projects {
        let value = about_value(p.id, None);
        let _ = write!(
            out,
            "<option value=\"{value}\"{}>{}</option>",
            selected(&value),
            esc(&p.title)
        );
        for (step, title) in &p.open_steps {
            let value = about_value(p.id, Some(*step));
            let _ = write!(
                out,
                "<option value=\"{value}\"{}>{} · {}</option>",
                selected(&value),
                esc(&p.title),
                esc(title)
            );
        }
    }
    out.push_str("</select>");
    let _ = write!(out, "<label for=\"advice\">{}</label>", esc(t.advice_text));
    if let Some(problem) = form.problem {
        let _ = write!(
            out,
            "<span class=\"error\" id=\"advice-error\">{}</span>",
            esc(problem)
        );
    }
    let _ = write!(
        out,
        "<textarea id=\"advice\" name=\"text\" rows=\"4\" maxlength=\"{TEXT_MAX}\"{}>{}</textarea>\
<button type=\"submit\">{}</button></form></section>",
        if form.problem.is_some() {
            " aria-invalid=\"true\" aria-describedby=\"advice-error\""
        } else {
            ""
        },
        esc(&form.text),
        esc(t.give)
    );
}

/// The form's choice of what advice is about: `None` when it names no id.
fn parse_about(about: &str) -> Option<(Option<ProjectId>, Option<StepId>)> {
    if about.is_empty() {
        return Some((None, None));
    }
    let (project, step) = match about.split_once(':') {
        Some((p, s)) => (p, Some(s)),
        None => (about, None),
    };
    let project = uuid::Uuid::parse_str(project).ok().map(ProjectId)?;
    let step = match step {
        Some(s) => Some(uuid::Uuid::parse_str(s).ok().map(StepId)?),
        None => None,
    };
    Some((Some(project), step))
}

/// A coach gives a team advice: an operation in the team's log, made by the server for the
/// coach, so every phone of the team gets it with its next sync.
async fn advise(
    State(state): State<AppState>,
    Path(team): Path<String>,
    query: Query<LangQuery>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, ApiError> {
    let t = lang(&query);
    if !same_origin(&headers) {
        return Err(ApiError::Forbidden("a form from another site"));
    }
    let Some(coach) = signed_in(&state, &headers).await? else {
        return Ok(signed_out(t));
    };
    let Ok(team) = uuid::Uuid::parse_str(&team).map(TeamId) else {
        return Ok(message(StatusCode::NOT_FOUND, t, t.title, t.not_yours));
    };
    let mut forms = Forms::default();
    let form = &mut forms.advice;
    for (key, value) in form_urlencoded::parse(&body) {
        match &*key {
            "about" => form.about = value.into_owned(),
            "text" => form.text = value.trim().to_owned(),
            _ => {}
        }
    }
    let about = parse_about(&form.about);
    form.problem = if form.text.is_empty() {
        Some(t.advice_empty)
    } else if form.text.chars().count() > TEXT_MAX {
        Some(t.advice_long)
    } else if about.is_none() {
        Some(t.advice_gone)
    } else {
        None
    };
    let now = now_ms();
    if let (None, Some((project, step))) = (form.problem, about) {
        let id = uuid::Uuid::parse_str(&coach.id)
            .map_err(|_| ApiError::Internal("a coach's id is not 32 hex digits"))?;
        let author = Author {
            member: MemberId(id),
            device: DeviceId(id),
        };
        let op = state.server_op(
            author,
            Payload::AdviceGive {
                advice: AdviceId::new_v7(now, crate::auth::random_bytes()?),
                project,
                step,
                text: form.text.clone(),
                name: coach.name.clone(),
            },
        )?;
        let coach_id = coach.id.clone();
        let prepared = PreparedOp::new(op);
        let result = state
            .storage(move |s| s.coach_append(&coach_id, team, prepared, now))
            .await;
        match result {
            Ok(None) => return Ok(message(StatusCode::NOT_FOUND, t, t.title, t.not_yours)),
            Ok(Some(_)) => {
                tracing::info!(coach = %coach.id, "a coach gave a team advice");
                return Ok(see_other(&format!(
                    "/begeleider/team/{team}{}#advies",
                    keep(t)
                )));
            }
            // A project or step the team never had: a choice that was not on the page.
            Err(PushError::UnknownReference(..)) => form.problem = Some(t.advice_gone),
            Err(e) => return Err(e.into()),
        }
    }
    team_answer(
        &state,
        t,
        &coach,
        team,
        StatusCode::UNPROCESSABLE_ENTITY,
        &forms,
    )
    .await
}

const CHART_W: u32 = 600;
const CHART_H: u32 = 200;
const LINE_COLOURS: [&str; 4] = ["#1d6b3a", "#0b57d0", "#8a4b00", "#6b1d5e"];

/// Doors per week as bars, progress toward each project's target as a line (0–100 %).
fn chart(out: &mut String, t: &Text, summary: &TeamSummary) {
    // A young team's few weeks keep the width of six, so a bar stays a bar.
    let shown = summary.weeks.len().max(6) as u32;
    let slot = CHART_W / shown;
    let most = summary
        .weeks
        .iter()
        .map(|w| w.visits)
        .max()
        .unwrap_or(0)
        .max(1);
    let _ = write!(
        out,
        "<figure><svg viewBox=\"0 0 {CHART_W} {h}\" role=\"img\" aria-label=\"{}\" class=\"chart\">",
        esc(t.chart_label),
        h = CHART_H + 20
    );
    for (i, week) in summary.weeks.iter().enumerate() {
        let height = week.visits * (CHART_H - 10) / most;
        let x = i as u32 * slot + slot / 4;
        let _ = write!(
            out,
            "<rect x=\"{x}\" y=\"{}\" width=\"{}\" height=\"{height}\" fill=\"#c9d8cd\"/>",
            CHART_H - height,
            slot / 2
        );
        if shown <= 6 || i % 2 == 0 {
            let _ = write!(
                out,
                "<text x=\"{}\" y=\"{}\" font-size=\"12\" text-anchor=\"middle\" fill=\"#4a524e\">{}/{}</text>",
                x + slot / 4,
                CHART_H + 16,
                chrono::Datelike::day(&week.start),
                chrono::Datelike::month(&week.start)
            );
        }
    }
    let mut legend = String::new();
    for (n, project) in summary
        .projects
        .iter()
        .filter(|p| p.progress.is_some())
        .enumerate()
    {
        let Some((_, target)) = project.progress else {
            continue;
        };
        let colour = LINE_COLOURS[n % LINE_COLOURS.len()];
        let points: Vec<String> = summary
            .weeks
            .iter()
            .enumerate()
            .map(|(i, w)| {
                let count = w.progress.get(&project.id).copied().unwrap_or(0);
                let pct = (count * 100 / u64::from(target.max(1))).min(100) as u32;
                format!(
                    "{},{}",
                    i as u32 * slot + slot / 2,
                    CHART_H - pct * (CHART_H - 10) / 100
                )
            })
            .collect();
        let _ = write!(
            out,
            "<polyline points=\"{}\" fill=\"none\" stroke=\"{colour}\" stroke-width=\"3\"/>",
            points.join(" ")
        );
        let _ = write!(
            legend,
            "<li><svg class=\"swatch\" viewBox=\"0 0 16 4\" aria-hidden=\"true\"><rect width=\"16\" height=\"4\" fill=\"{colour}\"/></svg>{}</li>",
            esc(&project.title)
        );
    }
    let _ = write!(
        out,
        "</svg><figcaption>{}<ul class=\"legend\">{legend}</ul></figcaption></figure>",
        esc(t.chart_label)
    );
}

fn week_table(out: &mut String, t: &Text, summary: &TeamSummary) {
    let targets: Vec<_> = summary
        .projects
        .iter()
        .filter(|p| p.progress.is_some())
        .collect();
    let _ = write!(
        out,
        "<div class=\"scroll\"><table><thead><tr><th scope=\"col\">{}</th><th scope=\"col\">{}</th><th scope=\"col\">{}</th>",
        esc(t.week),
        esc(t.doors),
        esc(t.steps_done)
    );
    for p in &targets {
        let _ = write!(out, "<th scope=\"col\">{}</th>", esc(&p.title));
    }
    out.push_str("</tr></thead><tbody>");
    for week in summary.weeks.iter().rev() {
        let _ = write!(
            out,
            "<tr><th scope=\"row\">{}</th><td>{}</td><td>{}</td>",
            esc(&date_text(t.base, week.start)),
            week.visits,
            week.steps_done
        );
        for p in &targets {
            let _ = write!(
                out,
                "<td>{}</td>",
                week.progress.get(&p.id).copied().unwrap_or(0)
            );
        }
        out.push_str("</tr>");
    }
    out.push_str("</tbody></table></div>");
}

/// The hash of a link's token from the path, when it looks like one.
fn link_hash(token: &str) -> Option<[u8; 32]> {
    (token.len() == 64 && token.bytes().all(|b| b.is_ascii_hexdigit()))
        .then(|| hash_token(&token.to_ascii_lowercase()))
}

async fn link_page(
    State(state): State<AppState>,
    Path(token): Path<String>,
    query: Query<LangQuery>,
) -> Result<Response, ApiError> {
    let t = lang(&query);
    let Some(hash) = link_hash(&token) else {
        return Ok(message(StatusCode::GONE, t, t.link_gone, t.link_gone_intro));
    };
    let now = now_ms();
    let Some(link) = state.storage(move |s| s.coach_link(&hash, now)).await? else {
        return Ok(message(StatusCode::GONE, t, t.link_gone, t.link_gone_intro));
    };
    Ok(link_form(StatusCode::OK, t, &token, &link, None))
}

fn link_form(
    status: StatusCode,
    t: &Text,
    token: &str,
    link: &crate::db::CoachLink,
    problem: Option<&str>,
) -> Response {
    let mut body = String::new();
    let title = match &link.coach {
        Some(coach) => format!("{} {}", t.sign_in_as, coach.name),
        None => format!("{} {}", t.become_coach, link.organisation_name),
    };
    let _ = write!(
        body,
        "{}<h1>{}</h1><p class=\"hint\">{}</p><form method=\"post\" action=\"/begeleider/link/{}{}\">",
        language_link(t, &format!("/begeleider/link/{token}")),
        esc(&title),
        esc(t.privacy),
        esc(token),
        keep(t)
    );
    if link.coach.is_none() {
        let invalid = if problem.is_some() {
            " aria-invalid=\"true\" aria-describedby=\"name-error\""
        } else {
            ""
        };
        let _ = write!(body, "<label for=\"name\">{}</label>", esc(t.your_name));
        if let Some(problem) = problem {
            let _ = write!(
                body,
                "<span class=\"error\" id=\"name-error\">{}</span>",
                esc(problem)
            );
        }
        let _ = write!(
            body,
            "<input type=\"text\" id=\"name\" name=\"name\" autocomplete=\"name\" maxlength=\"80\" required{invalid}>"
        );
    }
    let _ = write!(
        body,
        "<button type=\"submit\">{}</button></form>",
        esc(t.sign_in)
    );
    html(status, t, &title, &body)
}

/// The session cookie for `token`: sent only to the coach's pages, never to scripts, never
/// with a request another site starts; `Secure` unless the server is reached on this machine.
fn session_cookie(token: &str, headers: &HeaderMap) -> String {
    format!(
        "{COOKIE}={token}; Path=/begeleider; HttpOnly; SameSite=Strict; Max-Age=31536000{}",
        if local(headers) { "" } else { "; Secure" }
    )
}

/// Whether the request names this machine as its host (a server tried out or tested here,
/// over plain HTTP); anywhere else the server is reached over HTTPS.
fn local(headers: &HeaderMap) -> bool {
    let host = headers
        .get(header::HOST)
        .and_then(|v| v.to_str().ok())
        .map(crate::auth::host_name)
        .unwrap_or_default();
    ["localhost", "127.0.0.1", "[::1]", "::1"].contains(&host.as_str())
}

async fn sign_in(
    State(state): State<AppState>,
    Path(token): Path<String>,
    query: Query<LangQuery>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, ApiError> {
    let t = lang(&query);
    if !same_origin(&headers) {
        return Err(ApiError::Forbidden("a form from another site"));
    }
    let Some(hash) = link_hash(&token) else {
        return Ok(message(StatusCode::GONE, t, t.link_gone, t.link_gone_intro));
    };
    let name = form_urlencoded::parse(&body)
        .find(|(k, _)| k == "name")
        .map(|(_, v)| v.split_whitespace().collect::<Vec<_>>().join(" "))
        .filter(|v| !v.is_empty())
        .map(|v| v.chars().take(80).collect::<String>());
    let now = now_ms();
    let Some(link) = state.storage(move |s| s.coach_link(&hash, now)).await? else {
        return Ok(message(StatusCode::GONE, t, t.link_gone, t.link_gone_intro));
    };
    if link.coach.is_none() && name.is_none() {
        return Ok(link_form(
            StatusCode::UNPROCESSABLE_ENTITY,
            t,
            &token,
            &link,
            Some(t.name_needed),
        ));
    }
    let (session, session_hash) = new_token()?;
    let code = crate::auth::new_invite_code()?;
    let coach = state
        .storage(move |s| s.use_coach_link(&hash, name.as_deref(), &code, &session_hash, now))
        .await?;
    let Some(coach) = coach else {
        return Ok(message(StatusCode::GONE, t, t.link_gone, t.link_gone_intro));
    };
    tracing::info!(coach = %coach.id, organisation = %coach.organisation, "coach signed in");
    let mut response = see_other(&format!("/begeleider{}", keep(t)));
    if let Ok(cookie) = HeaderValue::from_str(&session_cookie(&session, &headers)) {
        response.headers_mut().insert(header::SET_COOKIE, cookie);
    }
    Ok(response)
}

/// Makes a link in the signed-in coach's organisation: for `itself` a sign-in link for them,
/// otherwise an invite to become a coach.
async fn make_link(
    state: AppState,
    query: Query<LangQuery>,
    headers: HeaderMap,
    itself: bool,
) -> Result<Response, ApiError> {
    let t = lang(&query);
    if !same_origin(&headers) {
        return Err(ApiError::Forbidden("a form from another site"));
    }
    let Some(coach) = signed_in(&state, &headers).await? else {
        return Ok(signed_out(t));
    };
    let (token, hash) = new_token()?;
    let now = now_ms();
    let (org, id) = (coach.organisation.clone(), coach.id.clone());
    state
        .storage(move |s| s.add_coach_link(&org, itself.then_some(id.as_str()), &hash, now))
        .await?;
    let host = headers
        .get(header::HOST)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("localhost");
    let url = format!(
        "{}://{host}/begeleider/link/{token}",
        if local(&headers) { "http" } else { "https" }
    );
    let title = if itself { t.other_device } else { t.colleague };
    let body = format!(
        "<p><a href=\"/begeleider{}\">{}</a></p><h1>{}</h1><p>{}</p><p class=\"link\">{}</p><p class=\"hint\">{}</p>",
        keep(t),
        esc(t.back),
        esc(title),
        esc(t.link_made),
        esc(&url),
        esc(t.link_once)
    );
    Ok(html(StatusCode::OK, t, title, &body))
}

async fn invite(
    State(state): State<AppState>,
    query: Query<LangQuery>,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    make_link(state, query, headers, false).await
}

async fn device_link(
    State(state): State<AppState>,
    query: Query<LangQuery>,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    make_link(state, query, headers, true).await
}

async fn sign_out(
    State(state): State<AppState>,
    query: Query<LangQuery>,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let t = lang(&query);
    if !same_origin(&headers) {
        return Err(ApiError::Forbidden("a form from another site"));
    }
    if let Some(hash) = session(&headers) {
        let now = now_ms();
        state
            .storage(move |s| s.end_coach_session(&hash, now))
            .await?;
    }
    let mut response = see_other(&format!("/begeleider{}", keep(t)));
    if let Ok(cookie) = HeaderValue::from_str(&format!(
        "{COOKIE}=; Path=/begeleider; HttpOnly; SameSite=Strict; Max-Age=0"
    )) {
        response.headers_mut().insert(header::SET_COOKIE, cookie);
    }
    Ok(response)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_day_is_the_dutch_one_not_the_utc_one() {
        let t = Text::of(None);
        // 2026-12-02 23:30 UTC is 00:30 on 3 December in the Netherlands (winter, UTC+1);
        // 2027-06-30 22:30 UTC is 00:30 on 1 July (summer, UTC+2).
        assert_eq!(day_of(t, 1_796_254_200_000), "3 december 2026");
        assert_eq!(day_of(t, 1_814_394_600_000), "1 juli 2027");
    }
}
