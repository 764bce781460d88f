//! Buurtbel, the ambassadors' app: an offline-first web app for neighbourhood teams.
//!
//! # Layout
//! - [`api_client`]: the one place that speaks HTTP (the sync API).
//! - [`clock`]: the time now and the phone's calendar; nothing else reads the clock.
//! - [`i18n`]: the Dutch (default) and English texts and the active locale.
//! - [`routing`]: the page the user is on, kept in step with the address bar.
//! - [`prefs`]: small preferences kept on the device (the chosen language).
//! - [`storage`]: the operation log on the phone (IndexedDB).
//! - [`session`]: which team this device belongs to, as whom, and its token (localStorage).
//! - [`replica`]: the team's data on this device and its sync with the server.
//! - [`sync_loop`]: when syncing runs, one tab at a time, and telling the other tabs.
//! - [`data`]: the data layer as the screens see it (state, recording, status, notices).
//! - [`components`]: reusable pieces of the screen (the app bar, the navigation).
//! - [`pages`]: one module per page.
//!
//! Components read and change state through these modules; they never touch browser
//! storage or the network themselves.

pub mod api_client;
pub mod clock;
pub mod components;
pub mod data;
pub mod drafts;
pub mod export;
pub mod i18n;
pub mod import;
pub mod pages;
pub mod prefs;
pub mod replica;
pub mod routing;
pub mod session;
pub mod storage;
pub mod sync_loop;

use leptos::prelude::*;

use crate::components::{AppBar, MainNav, Notices, Snackbar, SnackbarView, UpdateBanner};
use crate::data::{Data, Phase, Views};
use crate::i18n::I18n;
use crate::routing::Router;

/// The whole app: app bar, notices, the current page (or setup) and the main navigation.
#[component]
pub fn App() -> impl IntoView {
    let i18n = I18n::provide(prefs::load_locale());
    Effect::new(move |_| {
        let locale = i18n.locale();
        prefs::save_locale(locale);
        i18n::set_document_language(locale);
    });
    Router::provide();
    frame(Data::provide())
}

/// The app over a data layer already attached to an open replica, without syncing: component
/// tests and benchmarks mount the real screens with it.
#[doc(hidden)]
pub fn attached_app(data: Data) -> impl IntoView {
    I18n::provide(prefs::load_locale());
    Router::provide();
    provide_context(data);
    frame(data)
}

/// What every page stands in: the app bar, notices, the page and the navigation.
fn frame(data: Data) -> impl IntoView {
    let router = Router::current();
    Views::provide(data);
    Snackbar::provide();
    pages::provide_state();
    let ready = move || data.phase.get() == Phase::Ready;
    view! {
        <AppBar/>
        <UpdateBanner/>
        <main id="content" class="content">
            <Notices/>
            {move || pages::render_for(data.phase.get(), router.page())}
        </main>
        <SnackbarView/>
        <Show when=ready>
            <MainNav/>
        </Show>
    }
}

/// Mounts the app in place of the static shell that `index.html` paints before the wasm arrives.
pub fn start() {
    let Some(root) = document().get_element_by_id("app") else {
        // Without the mount point there is nothing to render into; the static shell stays.
        return;
    };
    let root: web_sys::HtmlElement = wasm_bindgen::JsCast::unchecked_into(root);
    // A phone set to English gets its texts before the first render (from the service
    // worker's cache: a few milliseconds), so it never flashes Dutch.
    // Leptos's executor starts with the mount: this task is the browser's own.
    wasm_bindgen_futures::spawn_local(async move {
        i18n::load(prefs::load_locale()).await;
        // The first render is a task of its own, not the tail of the wasm's instantiation:
        // two shorter tasks block the page less than one long one.
        sync_loop::pause().await;
        root.set_inner_html("");
        leptos::mount::mount_to(root, App).forget();
    });
}
