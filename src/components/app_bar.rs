use leptos::prelude::*;

use crate::components::SyncStatusButton;
use crate::data::{Data, Phase};
use crate::i18n::{I18n, Key};
use crate::routing::{Page, Router};

/// The bar at the top: the app's name, the sync status and the settings (once the device is in
/// a team) and the language switch.
#[component]
pub fn AppBar() -> impl IntoView {
    let i18n = I18n::current();
    let router = Router::current();
    let other = move || i18n.locale().other();
    let in_team = move || Data::current().is_some_and(|d| d.phase.get() == Phase::Ready);
    view! {
        <header class="app-bar">
            <span class="app-name">{i18n.t(Key::AppName)}</span>
            <Show when=in_team>
                <SyncStatusButton/>
                <a
                    class="settings-link"
                    href=Page::Settings.path()
                    aria-label=i18n.t(Key::SettingsTitle)
                    aria-current=move || (router.page() == Page::Settings).then_some("page")
                    on:click=move |ev| {
                        if ev.button() == 0 && !(ev.ctrl_key() || ev.meta_key() || ev.shift_key()) {
                            ev.prevent_default();
                            router.navigate(Page::Settings);
                        }
                    }
                >
                    // A cog: a ring with teeth drawn by a dashed stroke.
                    <svg viewBox="0 0 24 24" width="24" height="24" aria-hidden="true" focusable="false">
                        <circle cx="12" cy="12" r="8" fill="none" stroke="currentColor" stroke-width="4" stroke-dasharray="3.1 3.18"/>
                        <circle cx="12" cy="12" r="5.5" fill="none" stroke="currentColor" stroke-width="2.5"/>
                    </svg>
                </a>
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
