use leptos::prelude::*;

use crate::i18n::{Key, t};
use crate::routing::{Page, Router};

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

/// "Back to the walk list", above a page that was opened from it.
#[component]
pub fn BackToList() -> impl IntoView {
    let router = Router::current();
    view! {
        <p class="back">
            <a href=Page::Walk.path() on:click=move |ev| {
                ev.prevent_default();
                router.navigate(Page::Walk);
            }>{t(Key::BackToList)}</a>
        </p>
    }
}
