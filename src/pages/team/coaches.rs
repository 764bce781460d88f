//! Who looks along with the team: the buurtbegeleiders (coaches) the team lets see its
//! figures. Every member sees who; an admin lets a coach look along with the coach's code and
//! ends it. These need the server now, so they say so when it cannot be reached.

use buurtbel_core::protocol::{CoachList, CoachView, Introduction};
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::api_client::SetupError;
use crate::data::Data;
use crate::i18n::{I18n, Key, fill, text};
use crate::pages::setup::setup_error_text;

/// Work against the server that answers the list as it is after it, or `None` when a code
/// found no coach.
type Work =
    std::pin::Pin<Box<dyn std::future::Future<Output = Result<Option<CoachList>, SetupError>>>>;

/// `admin` shows the controls that let a coach look along and end it (they follow the session,
/// as a promotion arrives with a sync). The volunteers the coaches introduced go to
/// `introductions`, which the team page shows among its candidates.
#[component]
pub fn Coaches(admin: Signal<bool>, introductions: RwSignal<Vec<Introduction>>) -> impl IntoView {
    let i18n = I18n::current();
    let Some(data) = Data::current() else {
        return ().into_any();
    };
    let coaches = RwSignal::new(Vec::<CoachView>::new());
    let code = NodeRef::<leptos::html::Input>::new();
    let error = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    let run = move |work: Work| {
        busy.set(true);
        spawn_local(async move {
            let locale = i18n.locale_untracked();
            match work.await {
                Ok(Some(list)) => {
                    coaches.set(list.coaches);
                    introductions.set(list.introductions);
                    error.set(None);
                }
                Ok(None) => error.set(Some(text(locale, Key::CoachUnknown).to_owned())),
                Err(e) => error.set(Some(setup_error_text(locale, &e))),
            }
            busy.set(false);
        });
    };
    run(Box::pin(async move {
        Ok(Some(data.client()?.coaches().await?))
    }));
    let grant = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let Some(input) = code.get_untracked() else {
            return;
        };
        let typed = input.value();
        if typed.trim().is_empty() {
            return;
        }
        run(Box::pin(async move {
            let client = data.client()?;
            if !client.grant_coach(&typed).await? {
                return Ok(None);
            }
            input.set_value("");
            Ok(Some(client.coaches().await?))
        }))
    };
    let end = move |coach: String| {
        run(Box::pin(async move {
            let client = data.client()?;
            client.end_coach(&coach).await?;
            Ok(Some(client.coaches().await?))
        }))
    };

    view! {
        <section class="card coaches">
            <h2>{i18n.t(Key::CoachesTitle)}</h2>
            <p class="muted">{i18n.t(Key::CoachesIntro)}</p>
            <ul class="device-list">
                {move || {
                    let locale = i18n.locale();
                    coaches.get().into_iter().map(|c| {
                        let id = c.coach;
                        view! {
                            <li class="team-invite">
                                <span>{fill(text(locale, Key::CoachLine), &[&c.name, &c.organisation])}</span>
                                {admin.get().then(|| view! {
                                    <button type="button" class="button secondary small" disabled=busy
                                        aria-label=fill(text(locale, Key::CoachEnd), &[&c.name])
                                        on:click=move |_| end(id.clone())>
                                        {text(locale, Key::InviteEnd)}
                                    </button>
                                })}
                            </li>
                        }
                    }).collect_view()
                }}
            </ul>
            <p class="muted" hidden=move || !coaches.with(Vec::is_empty)>{i18n.t(Key::CoachesNone)}</p>
            {move || admin.get().then(|| view! {
                <form on:submit=grant novalidate>
                    <div class="field">
                        <label for="coach-code">{i18n.t(Key::CoachCode)}</label>
                        <input id="coach-code" type="text" autocomplete="off" autocapitalize="characters" maxlength="20" node_ref=code/>
                    </div>
                    <button type="submit" class="button secondary" disabled=busy>
                        {i18n.t(Key::CoachGrant)}
                    </button>
                </form>
            })}
            <p class="form-error" role="alert">{move || error.get()}</p>
        </section>
    }
    .into_any()
}

/// Where a contact as a coach wrote it leads: a mail to an address, else a call.
fn contact_href(contact: &str) -> String {
    if contact.contains('@') {
        format!("mailto:{contact}")
    } else {
        let number: String = contact
            .chars()
            .filter(|c| c.is_ascii_digit() || *c == '+')
            .collect();
        format!("tel:{number}")
    }
}

/// The volunteers coaches introduced, as lines among the candidates. An admin invites one with
/// one tap (the invite shows on the team page, ready to share) or removes one, which erases
/// their details on the server.
pub fn introduced(
    introductions: RwSignal<Vec<Introduction>>,
    admin: Signal<bool>,
    invite: RwSignal<Option<buurtbel_core::protocol::InviteView>>,
) -> impl IntoView {
    let i18n = I18n::current();
    let data = Data::current();
    let snackbar = crate::components::Snackbar::current();
    let busy = RwSignal::new(false);
    let act = move |id: String, invite_them: bool| {
        let Some(data) = data else {
            return;
        };
        busy.set(true);
        spawn_local(async move {
            let done = async {
                let client = data.client()?;
                if invite_them {
                    invite.set(Some(client.create_invite(Some(&id)).await?));
                } else {
                    client.remove_introduction(&id).await?;
                }
                Ok::<_, SetupError>(client.coaches().await?.introductions)
            };
            match done.await {
                Ok(list) => {
                    introductions.set(list);
                    if invite_them
                        && let Ok(Some(card)) = document().query_selector("section.invite")
                    {
                        card.scroll_into_view();
                    }
                }
                Err(e) => snackbar.show(setup_error_text(i18n.locale_untracked(), &e), None),
            }
            busy.set(false);
        });
    };
    move || {
        let locale = i18n.locale();
        introductions
            .get()
            .into_iter()
            .map(|i| {
                let role = text(locale, super::role_key(i.role)).to_lowercase();
                let (id, again) = (i.id.clone(), i.id);
                let (name, href) = (i.name, contact_href(&i.contact));
                view! {
                    <li class="introduced">
                        {fill(text(locale, Key::IntroLine), &[&name, &role, &i.coach])}
                        " · "
                        <a href=href>{i.contact}</a>
                        {i.invited_at_ms.map(|_| format!(" · {}", text(locale, Key::IntroInvited)))}
                        {admin.get().then(|| view! {
                            <span class="actions">
                                <button type="button" class="button secondary small" disabled=busy
                                    aria-label=fill(text(locale, Key::IntroInviteName), &[&name])
                                    on:click=move |_| act(id.clone(), true)>
                                    {text(locale, Key::IntroInvite)}
                                </button>
                                <button type="button" class="button secondary small" disabled=busy
                                    aria-label=fill(text(locale, Key::IntroRemoveName), &[&name])
                                    on:click=move |_| act(again.clone(), false)>
                                    {text(locale, Key::Remove)}
                                </button>
                            </span>
                        })}
                    </li>
                }
            })
            .collect_view()
    }
}
