//! The visit sheet: a bottom sheet over the walk list for logging a conversation at one door.
//! The common outcomes take one tap here (two from the list); the others open what they need:
//! interest and pledges per project, a follow-up, a note, a consent with contact details.

use std::collections::{BTreeMap, BTreeSet};
use std::rc::Rc;

use buurtbel_core::domain::{Channel, ConsentPurpose, FollowUpKind, Interest, Outcome, Role, Unit};
use buurtbel_core::ids::{AddressId, ConsentId, ProjectId, VisitId};
use buurtbel_core::op::{ConsentGive, FollowUp, Payload, VisitLog};
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::components::{FormError, Snackbar, TextField, address_label, chip_set, parse_date};
use crate::data::{Data, error_text};
use crate::drafts;
use crate::i18n::{I18n, Key, fill, text, words};
use crate::routing::{Page, Router};
use crate::sync_loop::random_bytes;

/// Outcomes saved at once: nothing more to ask.
const QUICK: [Outcome; 3] = [
    Outcome::NotHome,
    Outcome::NotInterested,
    Outcome::DoNotVisit,
];
/// Outcomes that open the form.
const MORE: [Outcome; 5] = [
    Outcome::Interested,
    Outcome::Joins,
    Outcome::WantsInformation,
    Outcome::ComeBackLater,
    Outcome::WantsToJoinTeam,
];

/// The name outcomes have in CSS (`data-outcome`), for their colours.
pub fn outcome_class(o: Outcome) -> &'static str {
    match o {
        Outcome::NotHome => "not-home",
        Outcome::NotInterested => "not-interested",
        Outcome::DoNotVisit => "do-not-visit",
        Outcome::Interested => "interested",
        Outcome::Joins => "joins",
        Outcome::WantsInformation => "wants-information",
        Outcome::ComeBackLater => "come-back-later",
        Outcome::WantsToJoinTeam => "wants-to-join-team",
    }
}

/// The kinds of follow-up, in the order the sheet offers them, with their form values.
const FOLLOW_UPS: [(FollowUpKind, &str); 4] = [
    (FollowUpKind::Revisit, "revisit"),
    (FollowUpKind::SendInformation, "send-information"),
    (FollowUpKind::InviteToMeeting, "invite"),
    (FollowUpKind::Contact, "contact"),
];

/// A live project as the sheet asks about it.
#[derive(Clone, Debug, PartialEq, Eq)]
struct ProjectChoice {
    id: ProjectId,
    title: String,
    /// The unit pledges are in, when pledges count for this project.
    pledge_unit: Option<Unit>,
}

/// A visit about to be logged: its operations (the visit, and a consent given with it) and
/// what the snackbar says once it is.
#[derive(Debug)]
pub struct NewVisit {
    /// The operations.
    pub payloads: Vec<Payload>,
    /// The visit's id (to undo it).
    pub visit: VisitId,
    /// The consent given with it (withdrawn by an undo).
    pub consent: Option<ConsentId>,
    /// The snackbar's message.
    pub message: String,
}

/// Logs one door's visit and offers to undo it; `done` hears whether it was recorded, or why
/// not in the user's language.
pub fn log_visit(
    data: Data,
    snackbar: Snackbar,
    locale: crate::i18n::Locale,
    new: NewVisit,
    done: impl FnOnce(Result<(), String>) + 'static,
) {
    let NewVisit {
        payloads,
        visit,
        consent,
        message,
    } = new;
    spawn_local(async move {
        match data.record_many(payloads).await {
            Ok(()) => {
                let undo: Rc<dyn Fn()> = Rc::new(move || {
                    let mut undo = vec![Payload::VisitRetract { visit }];
                    if let Some(consent) = consent {
                        undo.push(Payload::ConsentWithdraw {
                            consent,
                            withdrawn_at_ms: data.now_ms(),
                        });
                    }
                    spawn_local(async move {
                        if data.record_many(undo).await.is_ok() {
                            snackbar.show(text(locale, Key::Undone).to_owned(), None);
                        }
                    });
                });
                snackbar.show(message, Some(undo));
                done(Ok(()));
            }
            Err(e) => done(Err(error_text(locale, &e))),
        }
    });
}

/// The sheet for logging a conversation at `address`.
#[component]
pub fn VisitSheet(address: AddressId, on_close: Callback<()>) -> impl IntoView {
    let i18n = I18n::current();
    let snackbar = Snackbar::current();
    let Some(data) = Data::current() else {
        return ().into_any();
    };
    let label = data.with_areas(&[buurtbel_core::op::Area::Addresses], |s| {
        address_label(s, address)
    });
    let projects: Vec<ProjectChoice> = data.with_areas(&[buurtbel_core::op::Area::Plan], |s| {
        s.projects
            .iter()
            .filter(|(_, p)| p.life.is_live())
            .map(|(id, p)| ProjectChoice {
                id: *id,
                title: p.title.value.clone(),
                pledge_unit: p
                    .target
                    .value
                    .map(|t| t.unit)
                    .filter(|u| !u.counts_households()),
            })
            .collect()
    });

    let draft = drafts::visit_prefix(address);
    let chosen_text = drafts::text(format!("{draft}outcome"));
    let chosen = Signal::derive(move || {
        chosen_text.with(|t| MORE.into_iter().find(|o| outcome_class(*o) == t.as_str()))
    });
    let interests: RwSignal<BTreeMap<ProjectId, Interest>> = RwSignal::new(BTreeMap::new());
    let pledges: BTreeMap<ProjectId, RwSignal<String>> = buurtbel_core::sort::map(
        projects
            .iter()
            .map(|p| (p.id, drafts::text(format!("{draft}pledge.{}", p.id)))),
    );
    let roles: RwSignal<BTreeSet<Role>> = RwSignal::new(BTreeSet::new());
    let note = drafts::text(format!("{draft}note"));
    let question = drafts::text(format!("{draft}question"));
    let follow_kind: RwSignal<Option<FollowUpKind>> = RwSignal::new(None);
    let follow_date = drafts::text(format!("{draft}date"));
    let consent = RwSignal::new(false);
    let purposes: RwSignal<BTreeSet<ConsentPurpose>> = RwSignal::new(BTreeSet::new());
    let channels: RwSignal<BTreeSet<Channel>> = RwSignal::new(BTreeSet::new());
    let name = drafts::text(format!("{draft}name"));
    let phone = drafts::text(format!("{draft}phone"));
    let email = drafts::text(format!("{draft}email"));
    let error = FormError::new();
    let busy = RwSignal::new(false);

    let choose = move |o: Outcome| {
        chosen_text.set(outcome_class(o).to_owned());
        // What the outcome says about every project, until the ambassador says otherwise.
        let implied = match o {
            Outcome::Interested => Some(Interest::Interested),
            Outcome::Joins => Some(Interest::Joins),
            _ => None,
        };
        interests.set(
            implied
                .map(|i| buurtbel_core::sort::map(projects_ids(&data).into_iter().map(|p| (p, i))))
                .unwrap_or_default(),
        );
        follow_kind.set(match o {
            Outcome::ComeBackLater => Some(FollowUpKind::Revisit),
            Outcome::WantsInformation => Some(FollowUpKind::SendInformation),
            _ => None,
        });
    };

    let close = move || on_close.run(());
    let save_with = move |outcome: Outcome,
                          payloads: Vec<Payload>,
                          visit: VisitId,
                          consent: Option<ConsentId>| {
        busy.set(true);
        let locale = i18n.locale_untracked();
        let message = fill(text(locale, Key::Saved), &[&label_for(data, address)]);
        let message = if outcome == Outcome::NotHome {
            fill(
                text(locale, Key::NotHomeLogged),
                &[&label_for(data, address)],
            )
        } else {
            message
        };
        let draft = drafts::visit_prefix(address);
        let new = NewVisit {
            payloads,
            visit,
            consent,
            message,
        };
        log_visit(data, snackbar, locale, new, move |r| {
            busy.set(false);
            match r {
                Ok(()) => {
                    drafts::clear(&draft);
                    on_close.run(());
                }
                Err(e) => error.at("", e),
            }
        });
    };

    let quick = move |outcome: Outcome, flyer: bool| {
        let visit = VisitId::new_v7(data.now_ms(), random_bytes());
        let payload = Payload::VisitLog(VisitLog {
            visit,
            address,
            at_ms: data.now_ms(),
            outcome,
            interests: BTreeMap::new(),
            pledges: BTreeMap::new(),
            join_team: None,
            note: note.get_untracked().trim().to_owned(),
            follow_up: None,
            flyer,
            online: false,
        });
        save_with(outcome, vec![payload], visit, None);
    };

    let pledges_for_save = pledges.clone();
    let projects_for_question: Vec<ProjectId> = projects.iter().map(|p| p.id).collect();
    let save = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let locale = i18n.locale_untracked();
        let fail = |field: &str, key| error.at(field, text(locale, key).to_owned());
        let Some(outcome) = chosen.get_untracked() else {
            return fail("", Key::ChooseOutcome);
        };
        let interests = interests.get_untracked();
        let interests_for_question = interests.clone();
        let mut pledge_amounts = BTreeMap::new();
        for (project, value) in &pledges_for_save {
            let typed = value.get_untracked();
            let typed = typed.trim();
            if typed.is_empty() || interests.get(project) != Some(&Interest::Joins) {
                continue;
            }
            match typed.parse::<u32>() {
                Ok(n) if n > 0 => {
                    pledge_amounts.insert(*project, n);
                }
                _ => return fail(&format!("pledge-{project}"), Key::PledgeInvalid),
            }
        }
        let date_text = follow_date.get_untracked();
        let date = parse_date(date_text.trim());
        let kind = follow_kind.get_untracked();
        if outcome == Outcome::ComeBackLater && date.is_none() {
            return fail("follow-date", Key::FollowUpDateNeeded);
        }
        let now = data.now_ms();
        let visit = VisitId::new_v7(now, random_bytes());
        let mut payloads = vec![Payload::VisitLog(VisitLog {
            visit,
            address,
            at_ms: now,
            outcome,
            interests,
            pledges: pledge_amounts,
            join_team: (outcome == Outcome::WantsToJoinTeam).then(|| roles.get_untracked()),
            note: note.get_untracked().trim().to_owned(),
            follow_up: kind.map(|kind| FollowUp { kind, date }),
            flyer: false,
            online: false,
        })];
        let mut consent_id = None;
        if consent.get_untracked() {
            let (purposes, channels) = (purposes.get_untracked(), channels.get_untracked());
            if purposes.is_empty() || channels.is_empty() {
                return fail("", Key::ConsentNeedsChoice);
            }
            let (phone, email) = (phone.get_untracked(), email.get_untracked());
            let needs_phone =
                channels.contains(&Channel::Phone) || channels.contains(&Channel::Message);
            if needs_phone && phone.trim().is_empty() {
                return fail("resident-phone", Key::ConsentNeedsContact);
            }
            if channels.contains(&Channel::Email) && email.trim().is_empty() {
                return fail("resident-email", Key::ConsentNeedsContact);
            }
            let id = ConsentId::new_v7(now, random_bytes());
            consent_id = Some(id);
            payloads.push(Payload::ConsentGive(ConsentGive {
                consent: id,
                address,
                purposes,
                channels,
                name: name.get_untracked().trim().to_owned(),
                phone: phone.trim().to_owned(),
                email: email.trim().to_owned(),
                given_at_ms: now,
            }));
        }
        let asked = question.get_untracked().trim().to_owned();
        if !asked.is_empty() {
            // The address goes with the question only when the resident agreed to hear back
            // about a project: now, or at an earlier visit.
            let agreed = consent_id.is_some()
                && purposes
                    .get_untracked()
                    .contains(&ConsentPurpose::ProjectUpdates);
            let agreed = agreed
                || data.with_areas(&[buurtbel_core::op::Area::Visits], |s| {
                    buurtbel_core::views::may_answer(s, address)
                });
            let about = interests_for_question
                .iter()
                .find(|(_, i)| **i >= Interest::Maybe)
                .map(|(p, _)| *p)
                .or_else(|| (projects_for_question.len() == 1).then(|| projects_for_question[0]));
            payloads.push(Payload::QuestionAsk {
                question: buurtbel_core::ids::QuestionId::new_v7(now, random_bytes()),
                project: about,
                text: asked,
                address: agreed.then_some(address),
                asked_at_ms: now,
            });
        }
        error.clear();
        save_with(outcome, payloads, visit, consent_id);
    };

    let on_key = move |ev: leptos::ev::KeyboardEvent| {
        if ev.key() == "Escape" {
            close();
        }
    };
    let choices = StoredValue::new((projects, pledges));
    let project_sections = move || {
        choices.with_value(|(projects, pledges)| {
        projects.iter().map(|p| {
            let pledge = pledges.get(&p.id).copied();
            let id = p.id;
            let unit = p.pledge_unit;
            let title = p.title.clone();
            let pledge_title = p.title.clone();
            let interest_of = move || interests.with(|m| m.get(&id).copied());
            view! {
                <fieldset class="choices">
                    <legend>{move || fill(text(i18n.locale(), Key::InterestFor), &[&title])}</legend>
                    {[Interest::None, Interest::Maybe, Interest::Interested, Interest::Joins]
                        .into_iter()
                        .map(|i| {
                            view! {
                                <label class="chip-choice">
                                    <input
                                        type="radio"
                                        name=format!("interest-{id}")
                                        prop:checked=move || interest_of() == Some(i)
                                        on:change=move |_| interests.update(|m| { m.insert(id, i); })
                                    />
                                    {i18n.t(words::interest(i))}
                                </label>
                            }
                        })
                        .collect_view()}
                    {move || {
                        let (Some(unit), Some(pledge)) = (unit, pledge) else { return None };
                        (interest_of() == Some(Interest::Joins))
                            .then(|| {
                                let field = format!("pledge-{id}");
                                let title = pledge_title.clone();
                                view! {
                                    <div class="field">
                                        <label for=field.clone()>
                                            {move || fill(text(i18n.locale(), Key::PledgeFor), &[&title, text(i18n.locale(), words::unit(unit))])}
                                        </label>
                                        <input
                                            id=field.clone()
                                            type="text"
                                            inputmode="numeric"
                                            autocomplete="off"
                                            aria-describedby=format!("{field}-error")
                                            prop:value=move || pledge.get()
                                            on:input=move |ev| pledge.set(event_target_value(&ev))
                                        />
                                        {error.under(field)}
                                    </div>
                                }
                            })
                    }}
                </fieldset>
            }
        })
        .collect_view()
        })
    };

    view! {
        <div class="sheet-backdrop" on:click=move |_| close()></div>
        <section
            class="sheet"
            role="dialog"
            aria-modal="true"
            aria-labelledby="sheet-title"
            on:keydown=on_key
        >
            <header class="sheet-head">
                <div>
                    <p class="sheet-kicker">{i18n.t(Key::VisitKicker)}</p>
                    <h2 id="sheet-title">{label}</h2>
                    <a
                        class="text-link"
                        href=Page::Address(address).path()
                        on:click=move |ev| {
                            ev.prevent_default();
                            close();
                            Router::current().navigate(Page::Address(address));
                        }
                    >
                        {i18n.t(Key::HistoryTitle)}
                    </a>
                    " · "
                    <a
                        class="text-link"
                        href=Page::Guide.path()
                        on:click=move |ev| {
                            ev.prevent_default();
                            close();
                            Router::current().navigate(Page::Guide);
                        }
                    >
                        {i18n.t(Key::GuideLink)}
                    </a>
                </div>
                <button type="button" class="button secondary sheet-close" on:click=move |_| close()>
                    {i18n.t(Key::Close)}
                </button>
            </header>
            <h3>{i18n.t(Key::QuickTitle)}</h3>
            <div class="outcomes">
                {QUICK
                    .into_iter()
                    .map(|o| {
                        view! {
                            <button
                                type="button"
                                class="outcome"
                                data-outcome=outcome_class(o)
                                disabled=busy
                                on:click=move |_| quick(o, false)
                            >
                                {i18n.t(words::outcome(o))}
                            </button>
                        }
                    })
                    .collect_view()}
                <button
                    type="button"
                    class="outcome"
                    data-outcome="not-home"
                    disabled=busy
                    on:click=move |_| quick(Outcome::NotHome, true)
                >
                    {i18n.t(Key::FlyerLeft)}
                </button>
            </div>
            <form on:submit=save novalidate>
                <fieldset class="outcomes">
                    <legend>{i18n.t(Key::MoreTitle)}</legend>
                    {MORE
                        .into_iter()
                        .map(|o| {
                            view! {
                                <label class="outcome" data-outcome=outcome_class(o)>
                                    <input
                                        type="radio"
                                        name="outcome"
                                        prop:checked=move || chosen.get() == Some(o)
                                        on:change=move |_| choose(o)
                                    />
                                    {i18n.t(words::outcome(o))}
                                </label>
                            }
                        })
                        .collect_view()}
                </fieldset>
                <Show when=move || chosen.get().is_some()>
                    {project_sections}
                    <Show when=move || chosen.get() == Some(Outcome::WantsToJoinTeam)>
                        {chip_set(Key::JoinTeamRoles, Role::ALL, words::role, roles)}
                    </Show>
                    <div class="field">
                        <label for="follow-kind">{i18n.t(Key::FollowUpLabel)}</label>
                        <select
                            id="follow-kind"
                            on:change=move |ev| {
                                let v = event_target_value(&ev);
                                follow_kind.set(FOLLOW_UPS.into_iter().find(|(_, name)| *name == v).map(|(k, _)| k));
                            }
                        >
                            <option value="" selected=move || follow_kind.get().is_none()>
                                {i18n.t(Key::FollowUpNone)}
                            </option>
                            {FOLLOW_UPS
                                .into_iter()
                                .map(|(k, value)| {
                                    view! {
                                        <option value=value selected=move || follow_kind.get() == Some(k)>
                                            {i18n.t(words::follow_up(k))}
                                        </option>
                                    }
                                })
                                .collect_view()}
                        </select>
                    </div>
                    <Show when=move || follow_kind.get().is_some()>
                        <div class="field">
                            <label for="follow-date">{i18n.t(Key::FollowUpDate)}</label>
                            <input
                                id="follow-date"
                                type="date"
                                aria-describedby="follow-date-error"
                                prop:value=move || follow_date.get()
                                on:input=move |ev| follow_date.set(event_target_value(&ev))
                            />
                            {error.under("follow-date".to_owned())}
                        </div>
                    </Show>
                    <div class="field">
                        <label for="visit-note">{i18n.t(Key::NoteLabel)}</label>
                        <p class="hint" id="visit-note-hint">{i18n.t(Key::NoteHint)}</p>
                        <textarea
                            id="visit-note"
                            rows="3"
                            maxlength="2000"
                            aria-describedby="visit-note-hint"
                            prop:value=move || note.get()
                            on:input=move |ev| note.set(event_target_value(&ev))
                        ></textarea>
                    </div>
                    {TextField::new("visit-question", Key::QuestionLabel).max("500").hint(Key::QuestionHint).bind(question)}
                    <label class="check switch">
                        <input
                            type="checkbox"
                            role="switch"
                            prop:checked=move || consent.get()
                            on:change=move |_| consent.update(|c| *c = !*c)
                        />
                        {i18n.t(Key::ConsentSwitch)}
                    </label>
                    <Show when=move || consent.get()>
                        {chip_set(
                            Key::ConsentPurposes,
                            [ConsentPurpose::ProjectUpdates, ConsentPurpose::MeetingInvitations, ConsentPurpose::TeamRecruitment],
                            words::purpose,
                            purposes,
                        )}
                        {chip_set(
                            Key::ConsentChannels,
                            [Channel::Email, Channel::Phone, Channel::Message, Channel::Letterbox],
                            words::channel,
                            channels,
                        )}
                        {TextField::new("resident-name", Key::ResidentName).max("80").bind(name)}
                        {TextField::new("resident-phone", Key::ResidentPhone).kind("tel").max("20").errors(error).bind(phone)}
                        {TextField::new("resident-email", Key::ResidentEmail).kind("email").max("254").errors(error).bind(email)}
                    </Show>
                </Show>
                {error.view()}
                <button type="submit" class="button sheet-save" disabled=busy>
                    {i18n.t(Key::Save)}
                </button>
            </form>
        </section>
    }
    .into_any()
}

fn projects_ids(data: &Data) -> Vec<ProjectId> {
    data.with_areas(&[], |s| {
        s.projects
            .iter()
            .filter(|(_, p)| p.life.is_live())
            .map(|(id, _)| *id)
            .collect()
    })
}

fn label_for(data: Data, address: AddressId) -> String {
    data.with_areas(&[], |s| address_label(s, address))
}
