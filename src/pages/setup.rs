//! The first screen on a device that is in no team yet: join one with an invite code, or
//! start one.

use buurtbel_core::protocol::{CreateTeam, Join};
use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::api_client::SetupError;
use crate::data::Data;
use crate::i18n::{I18n, Key, Locale, fill, text};
use crate::routing::{Page, Router, opened_with_join_code};

/// What the setup screen says about a failed attempt.
pub fn setup_error_text(locale: Locale, error: &SetupError) -> String {
    match error {
        SetupError::Offline => text(locale, Key::ErrOffline).to_owned(),
        SetupError::InvalidInvite => text(locale, Key::ErrInvalidInvite).to_owned(),
        SetupError::RateLimited => text(locale, Key::ErrRateLimited).to_owned(),
        SetupError::Forbidden(why) => fill(text(locale, Key::ErrForbidden), &[why]),
        SetupError::Invalid { field, message } => fill(
            text(locale, Key::ErrInvalid),
            &[&format!("{field}: {message}")],
        ),
        SetupError::Server(why) => fill(text(locale, Key::ErrServer), &[why]),
    }
}

/// A labelled text field bound to `value`.
#[component]
fn Field(
    id: &'static str,
    label: Key,
    value: RwSignal<String>,
    #[prop(optional)] autocomplete: &'static str,
) -> impl IntoView {
    let i18n = I18n::current();
    view! {
        <div class="field">
            <label for=id>{i18n.t(label)}</label>
            <input
                id=id
                name=id
                type="text"
                required
                maxlength="80"
                autocomplete=if autocomplete.is_empty() { "off" } else { autocomplete }
                prop:value=move || value.get()
                on:input=move |ev| value.set(event_target_value(&ev))
            />
        </div>
    }
}

/// Runs a setup request from a form, showing "busy" while it runs and the reason if it fails.
fn submit_with(
    busy: RwSignal<bool>,
    error: RwSignal<Option<String>>,
    fields: Vec<RwSignal<String>>,
    run: impl Fn() -> std::pin::Pin<Box<dyn std::future::Future<Output = Result<(), SetupError>>>>
    + 'static,
) -> impl Fn(SubmitEvent) + 'static {
    let i18n = I18n::current();
    move |ev: SubmitEvent| {
        ev.prevent_default();
        if busy.get_untracked() {
            return;
        }
        if fields.iter().any(|f| f.get_untracked().trim().is_empty()) {
            error.set(Some(text(i18n.locale(), Key::FieldRequired).to_owned()));
            return;
        }
        busy.set(true);
        error.set(None);
        let attempt = run();
        spawn_local(async move {
            if let Err(e) = attempt.await {
                error.set(Some(setup_error_text(i18n.locale(), &e)));
            }
            busy.set(false);
        });
    }
}

#[component]
pub fn SetupPage() -> impl IntoView {
    let i18n = I18n::current();
    let data = Data::current();

    // Opened with a join link: the code is filled in, only a name is left to type.
    let router = Router::current();
    let link_code = opened_with_join_code();
    let from_link = link_code.is_some();
    let code = RwSignal::new(link_code.unwrap_or_default());
    let join_name = RwSignal::new(String::new());
    let join_busy = RwSignal::new(false);
    let join_error = RwSignal::new(None::<String>);
    let on_join = submit_with(join_busy, join_error, vec![code, join_name], move || {
        let request = Join {
            code: code.get_untracked(),
            display_name: join_name.get_untracked().trim().to_owned(),
            device_label: String::new(),
        };
        Box::pin(async move {
            let joined = match data {
                Some(d) => d.join(request).await,
                None => Err(SetupError::Offline),
            };
            if joined.is_ok() && from_link {
                // The link has done its work: the team's walk list is home now.
                router.navigate(Page::Walk);
            }
            joined
        })
    });

    // A join link names the team it opens, once the server says which; a code that no longer
    // works says so before a name is typed.
    let invited = RwSignal::new(None::<(String, String)>);
    if from_link {
        spawn_local(async move {
            match Data::invited_to(&code.get_untracked()).await {
                Ok(team) => invited.set(Some((team.name, team.neighbourhood))),
                Err(SetupError::InvalidInvite) => {
                    join_error.set(Some(text(i18n.locale(), Key::ErrInvalidInvite).to_owned()))
                }
                // Offline or busy: the code is tried when the form is sent.
                Err(_) => {}
            }
        });
    }

    let team = RwSignal::new(String::new());
    let buurt = RwSignal::new(String::new());
    let start_name = RwSignal::new(String::new());
    let start_busy = RwSignal::new(false);
    let start_error = RwSignal::new(None::<String>);
    let on_start = submit_with(
        start_busy,
        start_error,
        vec![team, buurt, start_name],
        move || {
            let request = CreateTeam {
                name: team.get_untracked().trim().to_owned(),
                neighbourhood: buurt.get_untracked().trim().to_owned(),
                display_name: start_name.get_untracked().trim().to_owned(),
                device_label: String::new(),
            };
            Box::pin(async move {
                match data {
                    Some(d) => d.create_team(request).await,
                    None => Err(SetupError::Offline),
                }
            })
        },
    );

    let button = move |busy: RwSignal<bool>, label: Key| {
        move || {
            if busy.get() {
                i18n.t(Key::Busy)()
            } else {
                i18n.t(label)()
            }
        }
    };
    view! {
        <h1>{i18n.t(Key::SetupTitle)}</h1>
        <p class="intro">{i18n.t(Key::SetupIntro)}</p>
        <form class="card" on:submit=on_join novalidate>
            <h2>{i18n.t(Key::JoinTitle)}</h2>
            {move || {
                invited
                    .get()
                    .map(|(team, buurt)| {
                        view! {
                            <p class="invited">
                                {fill(text(i18n.locale(), Key::JoinInvitedTo), &[&team, &buurt])}
                            </p>
                        }
                    })
            }}
            <Field id="join-code" label=Key::InviteCode value=code/>
            <Field id="join-name" label=Key::YourName value=join_name autocomplete="given-name"/>
            <p class="form-error" role="alert">{move || join_error.get()}</p>
            <button type="submit" class="button" disabled=join_busy>
                {button(join_busy, Key::JoinButton)}
            </button>
        </form>
        // Opened with a join link, starting a team of one's own is folded away under joining.
        <details class="start-other" open=!from_link>
        <summary>{i18n.t(Key::StartTitle)}</summary>
        <form class="card" on:submit=on_start novalidate>
            <h2>{i18n.t(Key::StartTitle)}</h2>
            <Field id="start-team" label=Key::TeamName value=team/>
            <Field id="start-buurt" label=Key::Neighbourhood value=buurt/>
            <Field id="start-name" label=Key::YourName value=start_name autocomplete="given-name"/>
            <p class="form-error" role="alert">{move || start_error.get()}</p>
            <button type="submit" class="button" disabled=start_busy>
                {button(start_busy, Key::StartButton)}
            </button>
        </form>
        </details>
    }
}
