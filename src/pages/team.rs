//! The team: who is in it, which of the three roles each fills and which are still missing,
//! and inviting team mates.

mod coaches;
mod devices;
mod streets;

use std::collections::BTreeSet;

use buurtbel_core::domain::Role;
use buurtbel_core::op::Payload;
use buurtbel_core::views::{compare_text, role_coverage, team_recruits};
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::components::{PageHeader, Snackbar, address_label, member_name, qr_code, share_or_copy};
use crate::data::{Data, error_text};
use crate::i18n::{I18n, Key, day_and_time, fill, text};
use crate::pages::setup::setup_error_text;
use crate::routing::join_link;

fn role_key(role: Role) -> Key {
    match role {
        Role::Expert => Key::RoleExpert,
        Role::Connector => Key::RoleConnector,
        Role::Driver => Key::RoleDriver,
    }
}

/// One member as the list shows them.
#[derive(Clone, Debug, PartialEq, Eq)]
struct Row {
    id: String,
    name: String,
    roles: Vec<Role>,
    me: bool,
}

#[component]
pub fn TeamPage() -> impl IntoView {
    let i18n = I18n::current();
    let Some(data) = Data::current() else {
        return view! { <PageHeader title=Key::NavTeam intro=Key::TeamIntro/> }.into_any();
    };
    let me = move || data.session.with(|s| s.as_ref().map(|s| s.member.id));
    // Read twice per change (coverage line and list): a memo would cost 0.7 KB of the size
    // budget to save microseconds for a team of a dozen.
    let rows = move || {
        let me = me();
        data.with_state(|state| {
            let coverage = role_coverage(state);
            let mut rows: Vec<Row> = state
                .members
                .iter()
                .filter(|(_, m)| m.life.is_live())
                .map(|(id, m)| Row {
                    id: id.to_string(),
                    name: m.display_name.value.clone(),
                    roles: m.roles.value.iter().copied().collect(),
                    me: Some(*id) == me,
                })
                .collect();
            buurtbel_core::sort::sort_by(&mut rows, |a, b| {
                compare_text(&a.name, &b.name).then_with(|| a.id.cmp(&b.id))
            });
            (rows, coverage.missing)
        })
    };
    let my_roles = move || {
        let me = me();
        data.with_state(|state| {
            me.and_then(|id| state.members.get(&id))
                .map(|m| m.roles.value.clone())
                .unwrap_or_default()
        })
    };
    let error = RwSignal::new(None::<String>);
    let toggle = move |role: Role| {
        let Some(member) = me() else { return };
        let mut roles: BTreeSet<Role> = my_roles();
        if !roles.remove(&role) {
            roles.insert(role);
        }
        spawn_local(async move {
            let result = data
                .record(Payload::MemberUpdate {
                    member,
                    display_name: None,
                    roles: Some(roles),
                })
                .await;
            error.set(
                result
                    .err()
                    .map(|e| error_text(i18n.locale_untracked(), &e)),
            );
        });
    };

    let invite = RwSignal::new(
        data.session
            .with_untracked(|s| s.as_ref().and_then(|s| s.invite.clone())),
    );
    let admin = move || {
        data.session
            .with(|s| s.as_ref().is_some_and(|s| s.device.admin))
    };
    let invite_busy = RwSignal::new(false);
    let introductions = RwSignal::new(Vec::new());
    let new_invite = move |_| {
        invite_busy.set(true);
        spawn_local(async move {
            match data.create_invite().await {
                Ok(view) => invite.set(Some(view)),
                Err(e) => error.set(Some(setup_error_text(i18n.locale(), &e))),
            }
            invite_busy.set(false);
        });
    };

    let snackbar = Snackbar::current();
    let team_name = move || {
        data.session
            .with_untracked(|s| s.as_ref().map(|s| s.team.name.clone()))
            .unwrap_or_default()
    };
    // The phone's share sheet where there is one, else the clipboard.
    let share_invite = move |link: &str, team: String| {
        let locale = i18n.locale_untracked();
        let message = fill(text(locale, Key::InviteShareText), &[&team]);
        share_or_copy(message, Some(link.to_owned()), move || {
            snackbar.show(text(locale, Key::InviteCopied).to_owned(), None)
        });
    };

    let role_names = move |roles: &[Role]| {
        let locale = i18n.locale();
        if roles.is_empty() {
            return text(locale, Key::NoRole).to_owned();
        }
        roles
            .iter()
            .map(|r| text(locale, role_key(*r)))
            .collect::<Vec<_>>()
            .join(", ")
    };

    view! {
        <PageHeader title=Key::NavTeam intro=Key::TeamIntro/>
        <h2>{i18n.t(Key::ReadinessTitle)}</h2>
        <ul class="readiness">
            {Role::ALL
                .into_iter()
                .map(|role| {
                    let holders = move || {
                        data.with_state(|s| {
                            role_coverage(s).holders[&role]
                                .iter()
                                .map(|m| member_name(s, *m))
                                .collect::<Vec<_>>()
                        })
                    };
                    let state = move || match holders().len() {
                        0 => "missing",
                        1 => "thin",
                        _ => "ok",
                    };
                    let says = move || {
                        let locale = i18n.locale();
                        match holders().len() {
                            0 => fill(
                                text(locale, Key::RoleNeeded),
                                &[&text(locale, role_key(role)).to_lowercase()],
                            ),
                            1 => text(locale, Key::RoleThin).to_owned(),
                            _ => text(locale, Key::RoleFilled).to_owned(),
                        }
                    };
                    view! {
                        <li class="role-card" data-state=state>
                            <strong>{i18n.t(role_key(role))}</strong>
                            <span class="role-holders">{move || holders().join(", ")}</span>
                            <span class="role-says">{says}</span>
                        </li>
                    }
                })
                .collect_view()}
        </ul>
        <p class="coverage" role="status">
            {move || {
                let missing = rows().1;
                let locale = i18n.locale();
                if missing.is_empty() {
                    text(locale, Key::TeamComplete).to_owned()
                } else {
                    let names: Vec<&str> = missing.iter().map(|r| text(locale, role_key(*r))).collect();
                    fill(text(locale, Key::TeamMissing), &[&names.join(", ")])
                }
            }}
        </p>
        {move || {
            let candidates = data.with_state(|s| {
                team_recruits(s)
                    .into_iter()
                    .map(|(address, roles)| (address_label(s, address), roles))
                    .collect::<Vec<_>>()
            });
            (!candidates.is_empty() || !introductions.with(Vec::is_empty))
                .then(|| {
                    let locale = i18n.locale();
                    view! {
                        <h2>{text(locale, Key::CandidatesTitle)}</h2>
                        <ul class="candidates">
                            {candidates
                                .into_iter()
                                .map(|(label, roles)| {
                                    let line = if roles.is_empty() {
                                        fill(text(locale, Key::CandidateAnyRole), &[&label])
                                    } else {
                                        let names: Vec<String> = roles
                                            .iter()
                                            .map(|r| text(locale, role_key(*r)).to_lowercase())
                                            .collect();
                                        fill(text(locale, Key::CandidateRoles), &[&label, &names.join(", ")])
                                    };
                                    view! { <li>{line}</li> }
                                })
                                .collect_view()}
                            {coaches::introduced(introductions, Signal::derive(admin), invite)}
                        </ul>
                    }
                })
        }}
        <h2>{i18n.t(Key::TeamMembers)}</h2>
        <ul class="members">
            <For
                each=move || rows().0
                key=|row| (row.id.clone(), row.name.clone(), row.roles.clone())
                children=move |row| {
                    let you = row.me;
                    view! {
                        <li class="member" data-me=you.then_some("true")>
                            <span class="member-name">
                                {row.name.clone()}
                                {you.then(|| view! { " (" {i18n.t(Key::You)} ")" })}
                            </span>
                            <span class="member-roles">{move || role_names(&row.roles)}</span>
                        </li>
                    }
                }
            />
        </ul>
        <fieldset class="card roles">
            <legend>{i18n.t(Key::YourRoles)}</legend>
            {Role::ALL
                .into_iter()
                .map(|role| {
                    view! {
                        <label class="check">
                            <input
                                type="checkbox"
                                prop:checked=move || my_roles().contains(&role)
                                on:change=move |_| toggle(role)
                            />
                            {i18n.t(role_key(role))}
                        </label>
                    }
                })
                .collect_view()}
        </fieldset>
        <p class="form-error" role="alert">{move || error.get()}</p>
        <streets::Streets/>
        <Show when=move || admin() || invite.get().is_some()>
            <section class="card invite">
                <h2>{i18n.t(Key::InviteTitle)}</h2>
                {move || {
                    invite
                        .get()
                        .map(|invite| {
                            let locale = i18n.locale();
                            // What the code allows: until when, and for how many.
                            let allows = if invite.expires_at_ms <= data.now_ms()
                                || invite.max_uses == Some(0)
                            {
                                text(locale, Key::InviteExpired).to_owned()
                            } else {
                                let until = day_and_time(locale, invite.expires_at_ms);
                                let uses = invite.max_uses.map_or_else(|| "∞".to_owned(), |n| n.to_string());
                                fill(text(locale, Key::InviteAllows), &[&until, &uses])
                            };
                            let link = join_link(&invite.code);
                            let shared = link.clone();
                            view! {
                                <p class="invite-code">{fill(text(locale, Key::InviteShow), &[&invite.code])}</p>
                                <p class="invite-allows">{allows}</p>
                                <p>{text(locale, Key::InviteLink)}</p>
                                <p class="invite-link">{link.clone()}</p>
                                {qr_code(&link, text(locale, Key::InviteQr).to_owned())}
                                <button type="button" class="button secondary" on:click=move |_| share_invite(&shared, team_name())>
                                    {text(locale, Key::InviteShare)}
                                </button>
                            }
                        })
                }}
                <Show when=admin>
                    <button type="button" class="button secondary" on:click=new_invite disabled=invite_busy>
                        {i18n.t(Key::InviteNew)}
                    </button>
                </Show>
            </section>
        </Show>
        <coaches::Coaches admin=Signal::derive(admin) introductions/>
        <Show when=admin>
            <devices::Devices invite/>
        </Show>
    }
    .into_any()
}
