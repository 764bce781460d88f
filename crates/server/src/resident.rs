//! A project's resident page (`/doe-mee/<code>`, the QR code on the flyer): what the project
//! is, the next buurt meeting, and a short form with which a resident answers without an app
//! or an account. Server-rendered HTML with no script, in Dutch or English (`?lang=en`).
//!
//! An answer becomes operations in the team's log, authored by the page: a visit marked as the
//! resident's own (`online`), a consent when they leave contact details, and for an address
//! the walk list lacks a proposal the team confirms or discards. The answer page says the same
//! whether or not the address was on the list. After sending, the resident gets a private link
//! (`/doe-mee/<code>/antwoord/<token>`; only the token's hash is kept) to see, change or
//! withdraw what they gave and to have it erased, which becomes the team's erasure.
//!
//! Abuse: a rate limit per client and per page, a cap per page and hour kept in the database,
//! a hidden field only robots fill in, a small body limit, and every text the resident typed is
//! escaped before it is shown again.

mod form;
pub(crate) mod text;

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;

use axum::Router;
use axum::body::Bytes;
use axum::extract::{DefaultBodyLimit, Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::get;
use buurtbel_core::clock::dutch_date;
use buurtbel_core::domain::{Channel, GuideKind, Interest, Outcome, Target, Unit};
use buurtbel_core::ids::{AddressId, ConsentId, OpId, ProjectId, VisitId, is_page_code};
use buurtbel_core::op::{ConsentGive, Operation, Payload, VisitLog};
use buurtbel_core::state::State as TeamState;
use chrono::{Datelike, NaiveDate};
use serde::Deserialize;

use crate::auth::{ClientIp, hash_token, new_token, random_bytes};
use crate::db::{Page, PageAnswer, PageError, PreparedOp, PushError, StoredAnswer};
use crate::error::ApiError;
use crate::html::esc;
use crate::{AppState, now_ms};
use form::{CHANNELS, Choice, Fields, PURPOSES, Problem, ROLES};
use text::Text;

/// Largest form body: the form is a few hundred bytes; names and addresses are short.
pub const FORM_MAX: usize = 8 * 1024;
/// Answers one page takes in an hour, counted in the database (so across instances): a busy
/// evening after a flyer round is a few dozen.
pub const ANSWERS_PER_HOUR: u32 = 120;

const STYLE: &str = include_str!("resident/style.css");

/// The resident pages' routes.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/doe-mee/stijl.css", get(style))
        .route("/doe-mee/{code}", get(show).post(send))
        .route("/doe-mee/{code}/antwoord/{token}", get(own).post(change))
        .layer(DefaultBodyLimit::max(FORM_MAX))
}

#[derive(Debug, Deserialize)]
struct LangQuery {
    lang: Option<String>,
}

async fn style() -> Response {
    crate::html::stylesheet(STYLE)
}

/// What the page shows of its project.
#[derive(Clone, Debug, Default)]
struct ProjectView {
    team: String,
    buurt: String,
    title: String,
    target: Option<Target>,
    opening: Vec<String>,
    points: Vec<String>,
    meeting: Option<(NaiveDate, String)>,
}

impl ProjectView {
    /// `project` as `state` has it, when it is live.
    fn of(state: &TeamState, project: ProjectId, today: NaiveDate) -> Option<ProjectView> {
        let p = state.projects.get(&project).filter(|p| p.life.is_live())?;
        let mut view = ProjectView {
            team: state.team.name.value.clone(),
            buurt: state.team.neighbourhood.value.clone(),
            title: p.title.value.clone(),
            target: p.target.value,
            ..ProjectView::default()
        };
        for (_, item) in buurtbel_core::views::guide_items(state, project) {
            match item.kind.value {
                Some(GuideKind::Opening) => view.opening.push(item.text.value.clone()),
                Some(GuideKind::KeyPoint) => view.points.push(item.text.value.clone()),
                _ => {}
            }
        }
        view.meeting = state
            .meetings
            .values()
            .filter(|m| m.life.is_live())
            .filter_map(|m| m.date.value.map(|d| (d, m.title.value.clone())))
            .filter(|(d, _)| *d >= today)
            .min();
        Some(view)
    }

    /// The unit pledges are in, when pledging means more than joining.
    fn pledge_unit(&self) -> Option<Unit> {
        self.target
            .map(|t| t.unit)
            .filter(|u| *u != Unit::Households)
    }
}

pub(crate) fn date_text(t: &Text, d: NaiveDate) -> String {
    let month = t.months[d.month0() as usize];
    if t.lang == "nl" {
        format!("{} {month} {}", d.day(), d.year())
    } else {
        format!("{month} {}, {}", d.day(), d.year())
    }
}

fn html(status: StatusCode, t: &Text, title: &str, body: &str) -> Response {
    crate::html::page(status, t.lang, title, "/doe-mee/stijl.css", body)
}

fn message(status: StatusCode, t: &Text, title: &str, text: &str) -> Response {
    html(status, t, title, &crate::html::message(title, text))
}

fn language_link(t: &Text, path: &str) -> String {
    crate::html::language_link(t.lang, path, t.other_query, t.other_language)
}

fn project_section(out: &mut String, t: &Text, view: &ProjectView) {
    let by = [view.team.as_str(), view.buurt.as_str()]
        .into_iter()
        .filter(|s| !s.is_empty())
        .map(esc)
        .collect::<Vec<_>>()
        .join(", ");
    let _ = write!(out, "<p class=\"team\">{} {by}</p>", t.by_team);
    let _ = write!(out, "<h1>{}</h1>", esc(&view.title));
    for line in &view.opening {
        let _ = write!(out, "<p class=\"lead\">{}</p>", esc(line));
    }
    if !view.points.is_empty() {
        out.push_str("<ul class=\"points\">");
        for point in &view.points {
            let _ = write!(out, "<li>{}</li>", esc(point));
        }
        out.push_str("</ul>");
    }
    if let Some(target) = view.target {
        let _ = write!(
            out,
            "<p><strong>{}:</strong> {} {}</p>",
            t.target,
            target.count,
            t.unit(target.unit, target.count)
        );
    }
    if let Some((date, title)) = &view.meeting {
        let _ = write!(
            out,
            "<section class=\"meeting\"><h2>{}</h2><p><time datetime=\"{date}\">{}</time>{}</p></section>",
            t.next_meeting,
            date_text(t, *date),
            if title.is_empty() {
                String::new()
            } else {
                format!(": {}", esc(title))
            }
        );
    }
}

/// The form's fields, filled from `fields`, with `problems` shown at their fields.
fn form_fields(
    out: &mut String,
    t: &Text,
    fields: &Fields,
    problems: &[Problem],
    with_home: bool,
    unit: Option<Unit>,
) {
    let problem = |name: &str| problems.iter().find(|(f, _)| *f == name).map(|(_, m)| *m);
    let input = |out: &mut String, name: &str, label: &str, kind: &str, extra: &str, hint: &str| {
        let error = problem(name);
        let _ = write!(
            out,
            "<p class=\"field\"><label for=\"{name}\">{label}</label>"
        );
        let mut described = Vec::new();
        if !hint.is_empty() {
            let _ = write!(
                out,
                "<span class=\"hint\" id=\"{name}-uitleg\">{hint}</span>"
            );
            described.push(format!("{name}-uitleg"));
        }
        if let Some(error) = error {
            let _ = write!(
                out,
                "<span class=\"error\" id=\"{name}-fout\">{}</span>",
                esc(error)
            );
            described.push(format!("{name}-fout"));
        }
        let _ = write!(
            out,
            "<input id=\"{name}\" name=\"{name}\" type=\"{kind}\" value=\"{}\" {extra}{}{}></p>",
            esc(fields.get(name)),
            if error.is_some() {
                " aria-invalid=\"true\""
            } else {
                ""
            },
            if described.is_empty() {
                String::new()
            } else {
                format!(" aria-describedby=\"{}\"", described.join(" "))
            }
        );
    };
    let boxes = |out: &mut String,
                 name: &str,
                 legend: &str,
                 kind: &str,
                 options: &[(&str, &str)]| {
        let _ = write!(out, "<fieldset id=\"{name}\"><legend>{legend}</legend>");
        if let Some(error) = problem(name) {
            let _ = write!(out, "<p class=\"error\">{}</p>", esc(error));
        }
        for (value, label) in options {
            let _ = write!(
                out,
                "<label class=\"option\"><input type=\"{kind}\" name=\"{name}\" value=\"{value}\"{}> {label}</label>",
                if fields.has(name, value) {
                    " checked"
                } else {
                    ""
                }
            );
        }
        out.push_str("</fieldset>");
    };
    if with_home {
        let _ = write!(out, "<fieldset><legend>{}</legend>", t.address);
        input(
            out,
            "postcode",
            t.postcode,
            "text",
            "autocomplete=\"postal-code\" required maxlength=\"7\"",
            "",
        );
        input(
            out,
            "huisnummer",
            t.number,
            "text",
            "inputmode=\"numeric\" required maxlength=\"5\"",
            "",
        );
        input(
            out,
            "toevoeging",
            t.suffix,
            "text",
            "maxlength=\"8\"",
            t.suffix_hint,
        );
        out.push_str("</fieldset>");
    }
    boxes(
        out,
        "keuze",
        t.choice,
        "radio",
        &[
            (Choice::Joins.value(), t.joins),
            (Choice::Maybe.value(), t.maybe),
            (Choice::NoVisits.value(), t.no_visits),
        ],
    );
    if let Some(unit) = unit {
        input(
            out,
            "toezegging",
            &format!("{} ({})", t.pledge, t.unit(unit, 2)),
            "text",
            "inputmode=\"numeric\" maxlength=\"7\"",
            t.pledge_hint,
        );
    }
    boxes(out, "team", t.team_legend, "checkbox", &[("ja", t.team)]);
    let roles: Vec<(&str, &str)> = ROLES.iter().map(|(r, v)| (*v, t.role(*r))).collect();
    boxes(out, "rol", t.roles_legend, "checkbox", &roles);
    let _ = write!(out, "<p class=\"hint\">{}</p>", t.team_hint);
    let _ = write!(
        out,
        "<fieldset><legend>{}</legend><p class=\"hint\">{}</p>",
        t.contact, t.contact_hint
    );
    input(
        out,
        "naam",
        t.name,
        "text",
        "autocomplete=\"name\" maxlength=\"80\"",
        "",
    );
    input(
        out,
        "telefoon",
        t.phone,
        "tel",
        "autocomplete=\"tel\" maxlength=\"20\"",
        "",
    );
    input(
        out,
        "email",
        t.email,
        "email",
        "autocomplete=\"email\" maxlength=\"254\"",
        "",
    );
    let purposes: Vec<(&str, &str)> = PURPOSES.iter().map(|(p, v)| (*v, t.purpose(*p))).collect();
    boxes(out, "doel", t.purposes, "checkbox", &purposes);
    let channels: Vec<(&str, &str)> = CHANNELS
        .iter()
        .map(|(c, v)| {
            (
                *v,
                match c {
                    Channel::Email => t.by_email,
                    Channel::Phone => t.by_phone,
                    Channel::Message => t.by_message,
                    Channel::Letterbox => t.by_letterbox,
                },
            )
        })
        .collect();
    boxes(out, "kanaal", t.channels, "checkbox", &channels);
    out.push_str("</fieldset>");
    let _ = write!(
        out,
        "<input type=\"hidden\" name=\"lang\" value=\"{}\">",
        t.lang
    );
}

fn error_summary(out: &mut String, t: &Text, problems: &[Problem]) {
    if problems.is_empty() {
        return;
    }
    let _ = write!(
        out,
        "<div class=\"summary\" role=\"alert\"><h2>{}</h2><ul>",
        t.errors_title
    );
    for (field, text) in problems {
        let _ = write!(out, "<li><a href=\"#{field}\">{}</a></li>", esc(text));
    }
    out.push_str("</ul></div>");
}

fn page_html(
    status: StatusCode,
    t: &Text,
    code: &str,
    view: &ProjectView,
    fields: &Fields,
    problems: &[Problem],
    notice: Option<&str>,
) -> Response {
    let mut out = String::new();
    out.push_str(&language_link(t, &format!("/doe-mee/{code}")));
    project_section(&mut out, t, view);
    let _ = write!(
        out,
        "<form method=\"post\" action=\"/doe-mee/{code}{}\" novalidate><h2>{}</h2><p>{}</p>",
        t.query, t.form_title, t.form_intro
    );
    if let Some(notice) = notice {
        let _ = write!(
            out,
            "<p class=\"summary\" role=\"alert\">{}</p>",
            esc(notice)
        );
    }
    error_summary(&mut out, t, problems);
    form_fields(&mut out, t, fields, problems, true, view.pledge_unit());
    // Robots fill in every field; people do not see this one.
    let _ = write!(
        out,
        "<p class=\"trap\" aria-hidden=\"true\"><label for=\"website\">{}</label><input id=\"website\" name=\"website\" type=\"text\" tabindex=\"-1\" autocomplete=\"off\"></p>",
        t.honeypot
    );
    let _ = write!(
        out,
        "<p class=\"privacy\">{}</p><button type=\"submit\">{}</button></form>",
        t.privacy, t.send
    );
    html(status, t, &view.title, &out)
}

/// The page behind `code` and its project as the team's log has it now; `Err` is the
/// answer to give instead.
async fn open_page(
    state: &AppState,
    t: &'static Text,
    code: &str,
) -> Result<(Page, ProjectView), Response> {
    if !is_page_code(code) {
        return Err(message(
            StatusCode::NOT_FOUND,
            t,
            t.unknown_title,
            t.unknown,
        ));
    }
    let code_owned = code.to_owned();
    let page = state
        .storage(move |s| s.page(&code_owned))
        .await
        .map_err(|e: crate::db::DbError| failed(t, e.into()))?
        .ok_or_else(|| message(StatusCode::NOT_FOUND, t, t.unknown_title, t.unknown))?;
    let view = project_of(state, &page)
        .await
        .map_err(|e| failed(t, e))?
        .filter(|_| page.open);
    match view {
        Some(view) => Ok((page, view)),
        None => Err(message(StatusCode::GONE, t, t.closed_title, t.closed)),
    }
}

async fn project_of(state: &AppState, page: &Page) -> Result<Option<ProjectView>, ApiError> {
    let (team, project) = (page.team, page.project);
    let today = dutch_date(now_ms());
    let folds = std::sync::Arc::clone(&state.folds);
    state
        .storage(move |s| {
            folds
                .read(s, team, |st| ProjectView::of(st, project, today))
                .map_err(ApiError::from)
        })
        .await
}

fn failed(t: &Text, e: ApiError) -> Response {
    tracing::error!(error = %e, "a resident page failed");
    message(StatusCode::SERVICE_UNAVAILABLE, t, t.failed_title, t.failed)
}

async fn show(
    State(state): State<AppState>,
    Path(code): Path<String>,
    Query(q): Query<LangQuery>,
) -> Response {
    let t = Text::of(q.lang.as_deref());
    match open_page(&state, t, &code).await {
        Ok((_, view)) => page_html(
            StatusCode::OK,
            t,
            &code,
            &view,
            &Fields::default(),
            &[],
            None,
        ),
        Err(response) => response,
    }
}

/// An operation by the page, stamped by the server's clock.
fn page_op(state: &AppState, page: &Page, payload: Payload) -> Result<Operation, ApiError> {
    state.server_op(page.author, payload)
}

fn new_id<T>(make: fn(u64, [u8; 10]) -> T) -> Result<T, ApiError> {
    Ok(make(now_ms(), random_bytes()?))
}

/// The operations that record `answer` at `address` (proposing it first when `propose`):
/// the visit, and the consent when contact details came with it.
fn answer_ops(
    state: &AppState,
    page: &Page,
    address: AddressId,
    propose: Option<&form::Home>,
    answer: &form::Answer,
) -> Result<(Vec<Operation>, VisitId, Option<ConsentId>), ApiError> {
    let mut ops = Vec::new();
    if let Some(home) = propose {
        ops.push(page_op(
            state,
            page,
            Payload::AddressPropose {
                address,
                postcode: home.postcode.clone(),
                number: home.number,
                letter: home.letter.clone(),
                addition: home.addition.clone(),
            },
        )?);
    }
    let visit = new_id(VisitId::new_v7)?;
    let now = now_ms();
    ops.push(page_op(
        state,
        page,
        Payload::VisitLog(VisitLog {
            visit,
            address,
            at_ms: now,
            outcome: answer.choice.outcome(answer.team.is_some()),
            interests: answer
                .choice
                .interest()
                .map(|i| BTreeMap::from([(page.project, i)]))
                .unwrap_or_default(),
            pledges: answer
                .pledge
                .map(|p| BTreeMap::from([(page.project, p)]))
                .unwrap_or_default(),
            join_team: answer.team.clone(),
            note: String::new(),
            follow_up: None,
            flyer: false,
            online: true,
        }),
    )?);
    let mut consent = None;
    if let Some(contact) = &answer.contact {
        let id = new_id(ConsentId::new_v7)?;
        consent = Some(id);
        ops.push(page_op(
            state,
            page,
            Payload::ConsentGive(ConsentGive {
                consent: id,
                address,
                purposes: contact.purposes.clone(),
                channels: contact.channels.clone(),
                name: contact.name.clone(),
                phone: contact.phone.clone(),
                email: contact.email.clone(),
                given_at_ms: now,
            }),
        )?);
    }
    Ok((ops, visit, consent))
}

fn busy(t: &Text) -> Response {
    message(StatusCode::TOO_MANY_REQUESTS, t, t.busy_title, t.busy)
}

async fn send(
    State(state): State<AppState>,
    Path(code): Path<String>,
    Query(q): Query<LangQuery>,
    client: ClientIp,
    body: Bytes,
) -> Response {
    let fields = Fields::parse(&body);
    let lang = q.lang.or_else(|| Some(fields.get("lang").to_owned()));
    let t = Text::of(lang.as_deref());
    let (page, view) = match open_page(&state, t, &code).await {
        Ok(found) => found,
        Err(response) => return response,
    };
    if !state.page_by_ip.check(&client.rate_key()) || !state.page_by_code.check(&code) {
        return page_html(
            StatusCode::TOO_MANY_REQUESTS,
            t,
            &code,
            &view,
            &fields,
            &[],
            Some(t.busy),
        );
    }
    if !fields.get("website").is_empty() {
        // A robot: thanked like anyone, and nothing is kept.
        return message(StatusCode::OK, t, t.thanks_title, t.thanks);
    }
    let answer = match form::read(&fields, t, true) {
        Ok(answer) => answer,
        Err(problems) => {
            return page_html(
                StatusCode::UNPROCESSABLE_ENTITY,
                t,
                &code,
                &view,
                &fields,
                &problems,
                None,
            );
        }
    };
    match record_new(&state, &page, &answer).await {
        Ok(token) => thanks(t, &code, &token),
        Err(PageError::Busy) => page_html(
            StatusCode::TOO_MANY_REQUESTS,
            t,
            &code,
            &view,
            &fields,
            &[],
            Some(t.busy),
        ),
        Err(PageError::Closed) => message(StatusCode::GONE, t, t.closed_title, t.closed),
        Err(e) => failed(t, page_error(e)),
    }
}

fn page_error(e: PageError) -> ApiError {
    match e {
        PageError::Push(e) => e.into(),
        other => ApiError::Malformed(other.to_string()),
    }
}

/// Stores a new answer; returns the private link's token.
async fn record_new(
    state: &AppState,
    page: &Page,
    answer: &form::Answer,
) -> Result<String, PageError> {
    let home = answer.home.clone().ok_or(PageError::Unknown)?;
    let (team, folds) = (page.team, std::sync::Arc::clone(&state.folds));
    let find = home.clone();
    let known = state
        .storage(move |s| folds.read(s, team, |st| find.find(st)))
        .await?;
    let (address, propose) = match known {
        Some(address) => (address, None),
        None => (new_id(AddressId::new_v7).map_err(internal)?, Some(&home)),
    };
    let (ops, visit, consent) =
        answer_ops(state, page, address, propose, answer).map_err(internal)?;
    let (token, token_hash) = new_token().map_err(internal)?;
    let stored = PageAnswer {
        token_hash,
        address,
        visit: Some(visit),
        consent,
        ops: ops.into_iter().map(PreparedOp::new).collect(),
    };
    let code = page.code.clone();
    let now = now_ms();
    state
        .storage(move |s| s.answer_page(&code, stored, ANSWERS_PER_HOUR, now))
        .await?;
    tracing::info!("a resident answered on a project's page");
    Ok(token)
}

fn internal(e: ApiError) -> PageError {
    tracing::error!(error = %e, "making a resident's answer failed");
    PageError::Push(PushError::Db(crate::db::DbError::Task))
}

fn thanks(t: &Text, code: &str, token: &str) -> Response {
    let link = format!("/doe-mee/{code}/antwoord/{token}{}", t.query);
    let body = format!(
        "<h1>{}</h1><p>{}</p><p>{}</p><p class=\"link\"><a href=\"{link}\">{link}</a></p><p><a href=\"/doe-mee/{code}{}\">{}</a></p>",
        t.thanks_title, t.thanks, t.thanks_link, t.query, t.back
    );
    html(StatusCode::OK, t, t.thanks_title, &body)
}

/// What the private link shows.
#[derive(Debug, Default)]
struct OwnView {
    address: String,
    erased: bool,
    answer: Option<(
        Choice,
        Option<u32>,
        Option<BTreeSet<buurtbel_core::domain::Role>>,
    )>,
    contact: Option<form::Contact>,
}

impl OwnView {
    fn of(state: &TeamState, stored: &StoredAnswer) -> OwnView {
        let id = stored.address;
        let address = match state
            .addresses
            .get(&id)
            .filter(|a| a.life.created.is_some())
        {
            Some(a) => format!(
                "{} {}{}{}, {}",
                a.street.value,
                a.number.value,
                a.letter.value,
                if a.addition.value.is_empty() {
                    String::new()
                } else {
                    format!("-{}", a.addition.value)
                },
                a.postcode.value
            ),
            None => state
                .proposals
                .get(&id)
                .map(|p| {
                    format!(
                        "{} {}{}{}",
                        p.postcode,
                        p.number,
                        p.letter,
                        if p.addition.is_empty() {
                            String::new()
                        } else {
                            format!("-{}", p.addition)
                        }
                    )
                })
                .unwrap_or_default(),
        };
        let visit = stored
            .visit
            .and_then(|v| state.visits.get(&v).map(|x| (v, x)))
            .filter(|(v, _)| !state.is_retracted(*v));
        let erased = state
            .erasures
            .get(&id)
            .is_some_and(|e| visit.is_none_or(|(_, v)| v.stamp <= *e));
        let answer = visit.map(|(_, v)| {
            let choice = match (v.outcome, v.interests.get(&stored.page.project)) {
                (Outcome::DoNotVisit, _) => Choice::NoVisits,
                (_, Some(Interest::Joins)) => Choice::Joins,
                _ => Choice::Maybe,
            };
            (
                choice,
                v.pledges.get(&stored.page.project).copied(),
                v.join_team.clone(),
            )
        });
        let contact = stored
            .consent
            .and_then(|c| state.consents.get(&c).map(|x| (c, x)))
            .filter(|(c, x)| state.consent_ended(*c, x).is_none())
            .map(|(_, x)| form::Contact {
                name: x.name.clone(),
                phone: x.phone.clone(),
                email: x.email.clone(),
                purposes: x.purposes.clone(),
                channels: x.channels.clone(),
            });
        OwnView {
            address,
            erased,
            answer,
            contact,
        }
    }

    /// The form's fields as the answer stands.
    fn fields(&self) -> Fields {
        let mut f = Fields::default();
        if let Some((choice, pledge, team)) = &self.answer {
            f.push("keuze", choice.value());
            if let Some(p) = pledge {
                f.push("toezegging", p.to_string());
            }
            if let Some(roles) = team {
                f.push("team", "ja");
                for (r, v) in ROLES {
                    if roles.contains(&r) {
                        f.push("rol", v);
                    }
                }
            }
        }
        if let Some(c) = &self.contact {
            f.push("naam", c.name.clone());
            f.push("telefoon", c.phone.clone());
            f.push("email", c.email.clone());
            for (p, v) in PURPOSES {
                if c.purposes.contains(&p) {
                    f.push("doel", v);
                }
            }
            for (ch, v) in CHANNELS {
                if c.channels.contains(&ch) {
                    f.push("kanaal", v);
                }
            }
        }
        f
    }
}

/// The stored answer behind a private link, with its page's project; `Err` is the answer to
/// give instead.
async fn find_answer(
    state: &AppState,
    t: &'static Text,
    code: &str,
    token: &str,
) -> Result<(StoredAnswer, OwnView, ProjectView), Response> {
    let not_found = || message(StatusCode::NOT_FOUND, t, t.unknown_title, t.unknown);
    if !is_page_code(code) || token.len() != 64 || !token.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Err(not_found());
    }
    let hash = hash_token(token);
    let stored = state
        .storage(move |s| s.page_answer(&hash))
        .await
        .map_err(|e: crate::db::DbError| failed(t, e.into()))?
        .filter(|a| a.page.code == code)
        .ok_or_else(not_found)?;
    let (team, project, folds) = (
        stored.page.team,
        stored.page.project,
        std::sync::Arc::clone(&state.folds),
    );
    let today = dutch_date(now_ms());
    let for_view = stored.clone();
    let (own, view) = state
        .storage(move |s| {
            folds
                .read(s, team, |st| {
                    (
                        OwnView::of(st, &for_view),
                        ProjectView::of(st, project, today).unwrap_or_default(),
                    )
                })
                .map_err(ApiError::from)
        })
        .await
        .map_err(|e| failed(t, e))?;
    Ok((stored, own, view))
}

/// A form as it is shown again: the fields, their problems, and a notice above it.
struct Shown<'a> {
    fields: &'a Fields,
    problems: &'a [Problem],
    notice: Option<&'a str>,
}

fn own_html(
    status: StatusCode,
    t: &Text,
    (code, token): (&str, &str),
    own: &OwnView,
    view: &ProjectView,
    shown: Shown<'_>,
) -> Response {
    let Shown {
        fields,
        problems,
        notice,
    } = shown;
    let path = format!("/doe-mee/{code}/antwoord/{token}");
    let mut out = language_link(t, &path);
    let _ = write!(
        out,
        "<p class=\"team\">{}</p><h1>{}</h1>",
        esc(&view.title),
        t.own_title
    );
    if let Some(notice) = notice {
        let _ = write!(out, "<p class=\"done\" role=\"status\">{}</p>", esc(notice));
    }
    let _ = write!(
        out,
        "<p>{}</p><p class=\"address\">{}</p>",
        t.own_intro,
        esc(&own.address)
    );
    let _ = write!(out, "<section><h2>{}</h2>", t.own_answer);
    match &own.answer {
        Some((choice, pledge, team)) => {
            let said = match choice {
                Choice::Joins => t.joins,
                Choice::Maybe => t.maybe,
                Choice::NoVisits => t.no_visits,
            };
            let _ = write!(out, "<p>{said}</p>");
            if let (Some(p), Some(unit)) = (pledge, view.pledge_unit()) {
                let _ = write!(out, "<p>{}: {p} {}</p>", t.pledge, t.unit(unit, *p));
            }
            if let Some(roles) = team {
                let names: Vec<&str> = roles.iter().map(|r| t.role(*r)).collect();
                let _ = write!(
                    out,
                    "<p>{}{}</p>",
                    t.yes_team,
                    if names.is_empty() {
                        String::new()
                    } else {
                        format!(": {}", names.join("; "))
                    }
                );
            }
        }
        None if own.erased => {
            let _ = write!(out, "<p>{}</p>", t.own_erased);
        }
        None => {
            let _ = write!(out, "<p>{}</p>", t.own_withdrawn);
        }
    }
    out.push_str("</section>");
    let _ = write!(out, "<section><h2>{}</h2>", t.own_contact);
    match &own.contact {
        Some(c) if !own.erased => {
            out.push_str("<ul>");
            for value in [&c.name, &c.phone, &c.email]
                .into_iter()
                .filter(|v| !v.is_empty())
            {
                let _ = write!(out, "<li>{}</li>", esc(value));
            }
            out.push_str("</ul>");
        }
        _ => {
            let _ = write!(out, "<p>{}</p>", t.own_no_contact);
        }
    }
    out.push_str("</section>");
    let _ = write!(
        out,
        "<form method=\"post\" action=\"{path}{}\" novalidate><h2>{}</h2>",
        t.query, t.change_title
    );
    error_summary(&mut out, t, problems);
    form_fields(&mut out, t, fields, problems, false, view.pledge_unit());
    let _ = write!(
        out,
        "<input type=\"hidden\" name=\"actie\" value=\"wijzig\"><button type=\"submit\">{}</button></form>",
        t.change
    );
    if own.answer.is_some() || own.contact.is_some() {
        let _ = write!(
            out,
            "<form method=\"post\" action=\"{path}{}\"><h2>{}</h2><p>{}</p><input type=\"hidden\" name=\"actie\" value=\"intrekken\"><input type=\"hidden\" name=\"lang\" value=\"{}\"><button type=\"submit\" class=\"secondary\">{}</button></form>",
            t.query, t.withdraw_title, t.withdraw_intro, t.lang, t.withdraw
        );
    }
    let _ = write!(
        out,
        "<form method=\"post\" action=\"{path}{}\"><h2>{}</h2><p>{}</p><input type=\"hidden\" name=\"actie\" value=\"wissen\"><input type=\"hidden\" name=\"lang\" value=\"{}\"><button type=\"submit\" class=\"secondary\">{}</button></form>",
        t.query, t.erase_title, t.erase_intro, t.lang, t.erase
    );
    html(status, t, t.own_title, &out)
}

async fn own(
    State(state): State<AppState>,
    Path((code, token)): Path<(String, String)>,
    Query(q): Query<LangQuery>,
) -> Response {
    show_answer(&state, Text::of(q.lang.as_deref()), &code, &token, None).await
}

/// The private link's page as the answer stands now, its form filled with it.
async fn show_answer(
    state: &AppState,
    t: &'static Text,
    code: &str,
    token: &str,
    notice: Option<&str>,
) -> Response {
    match find_answer(state, t, code, token).await {
        Ok((_, own, view)) => own_html(
            StatusCode::OK,
            t,
            (code, token),
            &own,
            &view,
            Shown {
                fields: &own.fields(),
                problems: &[],
                notice,
            },
        ),
        Err(response) => response,
    }
}

async fn change(
    State(state): State<AppState>,
    Path((code, token)): Path<(String, String)>,
    Query(q): Query<LangQuery>,
    client: ClientIp,
    body: Bytes,
) -> Response {
    let fields = Fields::parse(&body);
    let lang = q.lang.or_else(|| Some(fields.get("lang").to_owned()));
    let t = Text::of(lang.as_deref());
    if !state.page_by_ip.check(&client.rate_key()) {
        return busy(t);
    }
    let (stored, own, view) = match find_answer(&state, t, &code, &token).await {
        Ok(found) => found,
        Err(response) => return response,
    };
    let page = stored.page.clone();
    let withdraw = |ops: &mut Vec<Operation>| -> Result<(), ApiError> {
        if let Some(visit) = stored.visit.filter(|_| own.answer.is_some()) {
            ops.push(page_op(&state, &page, Payload::VisitRetract { visit })?);
        }
        if let Some(consent) = stored.consent.filter(|_| own.contact.is_some()) {
            ops.push(page_op(
                &state,
                &page,
                Payload::ConsentWithdraw {
                    consent,
                    withdrawn_at_ms: now_ms(),
                },
            )?);
        }
        Ok(())
    };
    let mut ops = Vec::new();
    let (visit, consent, done) = match fields.get("actie") {
        "intrekken" => {
            if let Err(e) = withdraw(&mut ops) {
                return failed(t, e);
            }
            (None, None, t.withdrawn)
        }
        "wissen" => {
            if let Err(e) = withdraw(&mut ops) {
                return failed(t, e);
            }
            match page_op(
                &state,
                &page,
                Payload::EraseResident {
                    address: stored.address,
                },
            ) {
                Ok(op) => ops.push(op),
                Err(e) => return failed(t, e),
            }
            (None, None, t.erased)
        }
        _ => {
            let answer = match form::read(&fields, t, false) {
                Ok(answer) => answer,
                Err(problems) => {
                    return own_html(
                        StatusCode::UNPROCESSABLE_ENTITY,
                        t,
                        (&code, &token),
                        &own,
                        &view,
                        Shown {
                            fields: &fields,
                            problems: &problems,
                            notice: None,
                        },
                    );
                }
            };
            // What was given before is taken back; the new answer and consent stand for what
            // was chosen now (so a household is never counted twice by its own answers).
            if let Err(e) = withdraw(&mut ops) {
                return failed(t, e);
            }
            match answer_ops(&state, &page, stored.address, None, &answer) {
                Ok((more, visit, consent)) => {
                    ops.extend(more);
                    (Some(visit), consent, t.changed)
                }
                Err(e) => return failed(t, e),
            }
        }
    };
    let token_hash = hash_token(&token);
    let result = store_change(&state, token_hash, stored.address, visit, consent, ops).await;
    match result {
        Ok(()) => show_answer(&state, t, &code, &token, Some(done)).await,
        Err(PageError::Push(PushError::ErasureLimit(..))) => busy(t),
        Err(e) => failed(t, page_error(e)),
    }
}

/// Stores a change made through a private link. An erasure stamped before data a phone
/// stamped a little ahead is stamped again after it, once.
async fn store_change(
    state: &AppState,
    token_hash: [u8; 32],
    address: AddressId,
    visit: Option<VisitId>,
    consent: Option<ConsentId>,
    mut ops: Vec<Operation>,
) -> Result<(), PageError> {
    for attempt in 0..2 {
        let change = PageAnswer {
            token_hash,
            address,
            visit,
            consent,
            ops: ops.iter().cloned().map(PreparedOp::new).collect(),
        };
        let now = now_ms();
        match state
            .storage(move |s| s.change_page_answer(change, now))
            .await
        {
            Err(PageError::Push(PushError::ErasureBehind(id, newest))) if attempt == 0 => {
                restamp_after(state, &mut ops, id, newest);
            }
            other => return other.map(|_| ()),
        }
    }
    Ok(())
}

/// Moves the server's clock past `newest` and stamps the erasure `id` again with it.
fn restamp_after(
    state: &AppState,
    ops: &mut [Operation],
    id: OpId,
    newest: buurtbel_core::clock::Hlc,
) {
    let mut clock = state.clock.lock().unwrap_or_else(|p| p.into_inner());
    let now = now_ms();
    let _ = clock.observe(newest, now);
    for op in ops.iter_mut().filter(|op| op.id == id) {
        if let Ok(hlc) = clock.tick(now) {
            op.hlc = hlc;
        }
    }
}
