//! A coach introduces volunteers from the organisation's network to a team, for a role, with
//! their consent; the team sees them among its candidates. The coach's team page lists the
//! introductions she made and whether the team invited them; withdrawing one erases it.

use std::fmt::Write as _;

use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use buurtbel_core::coach::TeamSummary;
use buurtbel_core::domain::Role;
use buurtbel_core::ids::TeamId;
use buurtbel_core::protocol::Introduction;
use buurtbel_core::validate::NAME_MAX;

use super::text::Text;
use super::{
    Forms, IntroForm, LangQuery, day_of, keep, lang, message, posting_coach, see_other, team_answer,
};
use crate::AppState;
use crate::db::NewIntroduction;
use crate::db::coach::role_code;
use crate::error::ApiError;
use crate::html::esc;
use crate::now_ms;

/// Longest contact (a phone number or an e-mail address) a coach may write.
const CONTACT_MAX: usize = 200;

/// The introductions `intros` this coach made to `team` and the form to make one; the role
/// chosen first is one the team lacks.
pub(super) fn intro_section(
    out: &mut String,
    t: &Text,
    team: TeamId,
    summary: &TeamSummary,
    intros: &[Introduction],
    form: &IntroForm,
) {
    let _ = write!(
        out,
        "<section id=\"voorstellen\" class=\"narrow\"><h2>{}</h2>",
        esc(t.intro_title)
    );
    if intros.is_empty() {
        let _ = write!(out, "<p>{}</p>", esc(t.no_intros));
    } else {
        out.push_str("<ul class=\"advice\">");
        for i in intros {
            let state = i.invited_at_ms.map_or_else(
                || format!("<span class=\"open\">{}</span>", esc(t.intro_open)),
                |at| {
                    format!(
                        "<span class=\"handled\">{} {}</span>",
                        esc(t.intro_invited),
                        esc(&day_of(t, at))
                    )
                },
            );
            let _ = write!(
                out,
                "<li><p><strong>{}</strong> · {} · {}</p><p>{state}</p>\
<form method=\"post\" action=\"/begeleider/team/{team}/voorstellen/{}/intrekken{}\">\
<button type=\"submit\" class=\"quiet\">{}<span class=\"sr\">: {}</span></button></form></li>",
                esc(&i.name),
                esc(t.role(i.role)),
                esc(&i.contact),
                esc(&i.id),
                keep(t),
                esc(t.withdraw_intro),
                esc(&i.name),
            );
        }
        out.push_str("</ul>");
    }
    let lacking = Role::ALL
        .into_iter()
        .find(|r| summary.roles.get(r).copied().unwrap_or(0) == 0);
    let chosen = if form.role.is_empty() {
        lacking.map(role_code).unwrap_or_default()
    } else {
        form.role.as_str()
    };
    let _ = write!(
        out,
        "<form method=\"post\" action=\"/begeleider/team/{team}/voorstellen{}\" class=\"card\"><h3>{}</h3>\
<p class=\"hint\">{}</p>",
        keep(t),
        esc(t.introduce),
        esc(t.intro_hint),
    );
    if let Some(problem) = form.problem {
        let _ = write!(
            out,
            "<p class=\"error\" id=\"intro-error\" role=\"alert\">{}</p>",
            esc(problem)
        );
    }
    let invalid = if form.problem.is_some() {
        " aria-describedby=\"intro-error\""
    } else {
        ""
    };
    let _ = write!(
        out,
        "<label for=\"intro-name\">{}</label><input type=\"text\" id=\"intro-name\" name=\"name\" maxlength=\"{NAME_MAX}\" autocomplete=\"off\" value=\"{}\"{invalid}>\
<label for=\"intro-role\">{}</label><select id=\"intro-role\" name=\"role\"><option value=\"\">{}</option>",
        esc(t.intro_name),
        esc(&form.name),
        esc(t.intro_role),
        esc(t.choose),
    );
    for role in Role::ALL {
        let value = role_code(role);
        let _ = write!(
            out,
            "<option value=\"{value}\"{}>{}</option>",
            if value == chosen { " selected" } else { "" },
            esc(t.role(role))
        );
    }
    let _ = write!(
        out,
        "</select><label for=\"intro-contact\">{}</label><input type=\"text\" id=\"intro-contact\" name=\"contact\" maxlength=\"{CONTACT_MAX}\" autocomplete=\"off\" value=\"{}\"{invalid}>\
<label class=\"check\"><input type=\"checkbox\" name=\"consent\" value=\"ja\"{}> {}</label>\
<button type=\"submit\">{}</button></form></section>",
        esc(t.intro_contact),
        esc(&form.contact),
        if form.consent { " checked" } else { "" },
        esc(t.intro_consent),
        esc(t.introduce),
    );
}

/// The coach and the team a form is posted for, or the page to answer instead.
async fn poster(
    state: &AppState,
    t: &'static Text,
    headers: &HeaderMap,
    team: &str,
) -> Result<Result<(crate::db::Coach, TeamId), Response>, ApiError> {
    let coach = match posting_coach(state, t, headers).await? {
        Ok(coach) => coach,
        Err(page) => return Ok(Err(page)),
    };
    match uuid::Uuid::parse_str(team).map(TeamId) {
        Ok(team) => Ok(Ok((coach, team))),
        Err(_) => Ok(Err(message(StatusCode::NOT_FOUND, t, t.title, t.not_yours))),
    }
}

/// A coach introduces a volunteer to a team that lets her look along.
pub(super) async fn introduce(
    State(state): State<AppState>,
    Path(team): Path<String>,
    query: Query<LangQuery>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, ApiError> {
    let t = lang(&query);
    let (coach, team) = match poster(&state, t, &headers, &team).await? {
        Ok(found) => found,
        Err(page) => return Ok(page),
    };
    let mut forms = Forms::default();
    let form = &mut forms.intro;
    for (key, value) in form_urlencoded::parse(&body) {
        match &*key {
            "name" => form.name = value.trim().to_owned(),
            "role" => form.role = value.into_owned(),
            "contact" => form.contact = value.trim().to_owned(),
            "consent" => form.consent = value == "ja",
            _ => {}
        }
    }
    let role = Role::ALL.into_iter().find(|r| role_code(*r) == form.role);
    form.problem = if form.name.is_empty() || form.name.chars().count() > NAME_MAX {
        Some(t.intro_name_needed)
    } else if role.is_none() {
        Some(t.intro_role_needed)
    } else if form.contact.is_empty() || form.contact.chars().count() > CONTACT_MAX {
        Some(t.intro_contact_needed)
    } else if !form.consent {
        Some(t.intro_consent_needed)
    } else {
        None
    };
    if let (None, Some(role)) = (form.problem, role) {
        let new = NewIntroduction {
            name: form.name.clone(),
            role,
            contact: form.contact.clone(),
        };
        let (id, now) = (coach.id.clone(), now_ms());
        let made = state
            .storage(move |s| s.introduce(&id, team, &new, now))
            .await?;
        return Ok(match made {
            Some(_) => {
                tracing::info!(coach = %coach.id, "a coach introduced a volunteer to a team");
                see_other(&format!("/begeleider/team/{team}{}#voorstellen", keep(t)))
            }
            None => message(StatusCode::NOT_FOUND, t, t.title, t.not_yours),
        });
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

/// A coach withdraws an introduction she made: it is erased, whether or not the team still
/// lets her look along.
pub(super) async fn withdraw_introduction(
    State(state): State<AppState>,
    Path((team, id)): Path<(String, String)>,
    query: Query<LangQuery>,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let t = lang(&query);
    let (coach, team) = match poster(&state, t, &headers, &team).await? {
        Ok(found) => found,
        Err(page) => return Ok(page),
    };
    let coach_id = coach.id.clone();
    let gone = state
        .storage(move |s| s.forget_introduction(team, &id, Some(&coach_id)))
        .await?;
    if gone {
        tracing::info!(coach = %coach.id, "a coach withdrew an introduction");
    }
    Ok(see_other(&format!(
        "/begeleider/team/{team}{}#voorstellen",
        keep(t)
    )))
}
