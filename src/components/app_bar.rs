use leptos::prelude::*;

use crate::i18n::{I18n, Key};

/// The bar at the top: the app's name and the language switch.
#[component]
pub fn AppBar() -> impl IntoView {
    let i18n = I18n::current();
    let other = move || i18n.locale().other();
    view! {
        <header class="app-bar">
            <span class="app-name">{i18n.t(Key::AppName)}</span>
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
