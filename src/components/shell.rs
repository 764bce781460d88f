//! What the app hears from `public/shell.js`, which runs before the wasm: a new version waiting
//! in the service worker, and the browser's offer to install the app.

use leptos::prelude::*;

use crate::i18n::{I18n, Key};

/// A field of `window.buurtbelShell` (set by shell.js), if the shell ran.
fn shell_field(name: &str) -> wasm_bindgen::JsValue {
    js_sys::Reflect::get(&window(), &"buurtbelShell".into())
        .ok()
        .filter(|s| s.is_object())
        .and_then(|s| js_sys::Reflect::get(&s, &name.into()).ok())
        .unwrap_or(wasm_bindgen::JsValue::UNDEFINED)
}

/// A signal that is `read()` now and again each time the window hears `event`.
fn follow(event: &'static str, read: fn() -> bool) -> RwSignal<bool> {
    let signal = RwSignal::new(read());
    let handle = window_event_listener(
        leptos::ev::Custom::<web_sys::Event>::new(event),
        move |_| {
            signal.set(read());
        },
    );
    on_cleanup(move || handle.remove());
    signal
}

fn tell_shell(event: &str) {
    if let Ok(e) = web_sys::Event::new(event) {
        let _ = window().dispatch_event(&e);
    }
}

/// "Nieuwe versie beschikbaar - vernieuwen": shown while a new version waits. The page reloads
/// only when the user taps it (what was typed in a form is kept as a draft across the reload).
#[component]
pub fn UpdateBanner() -> impl IntoView {
    let i18n = I18n::current();
    let waiting = follow("buurtbel-update", || shell_field("waiting").is_truthy());
    let busy = RwSignal::new(false);
    view! {
        <Show when=move || waiting.get()>
            <div class="update-banner" role="status">
                <span>{i18n.t(Key::UpdateReady)}</span>
                <button
                    type="button"
                    class="button small"
                    disabled=move || busy.get()
                    on:click=move |_| {
                        busy.set(true);
                        tell_shell("buurtbel-update-accept");
                    }
                >
                    {i18n.t(Key::UpdateNow)}
                </button>
            </div>
        </Show>
    }
}

/// Whether the app runs from the home screen (installed) rather than in a browser tab.
fn standalone() -> bool {
    let media = window()
        .match_media("(display-mode: standalone)")
        .ok()
        .flatten()
        .is_some_and(|m| m.matches());
    // Safari on iOS says so on the navigator instead.
    let ios = js_sys::Reflect::get(&window().navigator(), &"standalone".into())
        .ok()
        .is_some_and(|v| v.is_truthy());
    media || ios
}

/// An iPhone or iPad (every browser there is Safari's engine and installs only through the
/// share sheet's "Zet op beginscherm").
fn apple_mobile() -> bool {
    let navigator = window().navigator();
    let agent = navigator.user_agent().unwrap_or_default();
    agent.contains("iPhone")
        || agent.contains("iPad")
        || (agent.contains("Macintosh") && navigator.max_touch_points() > 1)
}

/// Installing the app: a button when the browser offers it; on iPhone and iPad a short guide to
/// "Zet op beginscherm" that says why; nothing once it runs from the home screen.
#[component]
pub fn InstallOffer() -> impl IntoView {
    let i18n = I18n::current();
    let offered = follow("buurtbel-installable", || {
        shell_field("install").is_truthy()
    });
    let installed = standalone();
    let guide = !installed && apple_mobile();
    view! {
        <Show when=move || !installed && (offered.get() || guide)>
            <section class="card install">
                <h2>{i18n.t(Key::InstallTitle)}</h2>
                <p>{i18n.t(Key::InstallWhy)}</p>
                <Show
                    when=move || offered.get()
                    fallback=move || view! {
                        <ol class="install-steps">
                            <li>
                                {i18n.t(Key::InstallIosShare)}
                                // The share icon as Safari draws it: a box with an arrow up.
                                <svg class="share-icon" viewBox="0 0 24 24" width="24" height="24" aria-hidden="true" focusable="false">
                                    <path d="M12 3v12M7.5 7.5 12 3l4.5 4.5M6 11H4.5v10h15V11H18" fill="none" stroke="currentColor" stroke-width="2"/>
                                </svg>
                            </li>
                            <li>{i18n.t(Key::InstallIosAdd)}</li>
                            <li>{i18n.t(Key::InstallIosOpen)}</li>
                        </ol>
                    }
                >
                    <button type="button" class="button" on:click=move |_| tell_shell("buurtbel-install")>
                        {i18n.t(Key::InstallButton)}
                    </button>
                </Show>
            </section>
        </Show>
    }
}
