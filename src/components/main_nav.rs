use leptos::prelude::*;

use crate::i18n::{Key, t};
use crate::routing::{Page, Router};

/// The main navigation: one large target per page, at the bottom where a thumb reaches.
#[component]
pub fn MainNav() -> impl IntoView {
    let router = Router::current();
    let items = Page::NAV.map(|page| {
        let current = move || (router.page().section() == page).then_some("page");
        view! {
            <li>
                <a
                    href=page.path()
                    aria-current=current
                    on:click=move |ev| {
                        // Let the browser handle new-tab clicks; plain clicks stay in the app.
                        if ev.button() == 0 && !(ev.ctrl_key() || ev.meta_key() || ev.shift_key()) {
                            ev.prevent_default();
                            router.navigate(page);
                        }
                    }
                >
                    {t(page.title())}
                </a>
            </li>
        }
    });
    view! {
        <nav class="main-nav" aria-label=t(Key::NavLabel)>
            <ul>{items}</ul>
        </nav>
    }
}
