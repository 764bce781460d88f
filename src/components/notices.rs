use buurtbel_core::sync::SyncStatus;
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::data::{Data, Notice};
use crate::i18n::{I18n, Key, fill, text};

/// Messages about the device's data the user must see: storage nearly full or full, records
/// that could not be read, and this device having been removed from the team.
#[component]
pub fn Notices() -> impl IntoView {
    let i18n = I18n::current();
    let Some(data) = Data::current() else {
        return ().into_any();
    };
    let removed = move || matches!(data.snapshot.get().status, Some(SyncStatus::Removed));
    let forgetting = RwSignal::new(false);
    let forget = move |_| {
        forgetting.set(true);
        spawn_local(async move {
            // A failed delete leaves the data; the button can be tapped again.
            let _ = data.forget_team().await;
            forgetting.set(false);
        });
    };
    let line = move |notice: &Notice| {
        let locale = i18n.locale();
        match notice {
            Notice::StorageNearlyFull(_) => text(locale, Key::NoticeNearlyFull).to_owned(),
            Notice::StorageFull => text(locale, Key::NoticeFull).to_owned(),
            Notice::StorageFailed(why) => fill(text(locale, Key::NoticeSaveFailed), &[why]),
            Notice::Unreadable(n) => fill(text(locale, Key::NoticeUnreadable), &[&n.to_string()]),
            Notice::SessionUnreadable(why) => fill(text(locale, Key::NoticeSession), &[why]),
            Notice::Wiped => text(locale, Key::NoticeWiped).to_owned(),
            Notice::Left => text(locale, Key::NoticeLeft).to_owned(),
        }
    };
    view! {
        <div class="notices" role="alert">
            <Show when=removed>
                <section class="notice notice-removed">
                    <h2>{i18n.t(Key::RemovedTitle)}</h2>
                    <p>{i18n.t(Key::RemovedBody)}</p>
                    <button type="button" class="button" on:click=forget disabled=forgetting>
                        {i18n.t(Key::RemovedForget)}
                    </button>
                </section>
            </Show>
            <For
                each=move || data.notices.get()
                key=|n| n.clone()
                children=move |n| view! { <p class="notice">{move || line(&n)}</p> }
            />
        </div>
    }
    .into_any()
}
