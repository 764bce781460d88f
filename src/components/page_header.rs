use leptos::prelude::*;

use crate::i18n::{Key, t};

/// A page's title and a sentence on what the page is for.
#[component]
pub fn PageHeader(title: Key, intro: Key) -> impl IntoView {
    view! {
        <h1>{t(title)}</h1>
        <p class="intro">{t(intro)}</p>
    }
}

/// What a page shows while it has nothing to list.
#[component]
pub fn EmptyState(text: Key) -> impl IntoView {
    view! { <p class="empty-state">{t(text)}</p> }
}
