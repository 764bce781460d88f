use leptos::prelude::*;

use crate::components::SyncStatusButton;
use crate::data::{Data, Phase};
use crate::i18n::{I18n, Key};

/// The bar at the top: the app's name, the sync status (once the device is in a team) and
/// the language switch.
#[component]
pub fn AppBar() -> impl IntoView {
    let i18n = I18n::current();
    let other = move || i18n.locale().other();
    let in_team = move || Data::current().is_some_and(|d| d.phase.get() == Phase::Ready);
    view! {
        <header class="app-bar">
            <span class="app-name">{i18n.t(Key::AppName)}</span>
            <Show when=in_team>
                <SyncStatusButton/>
            </Show>
            <button
                type="button"
                class="language-switch"
                lang=move || other().code()
                aria-label=i18n.t(Key::SwitchLanguageLabel)
                on:click=move |_| i18n.set_locale(other())
            >
                {i18n.t(Key::SwitchLanguage)}
            </button>
        </header>
    }
}
