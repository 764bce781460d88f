//! Settings and privacy: the language, this phone's storage and sync, exports of the team's
//! data, how a resident's data is erased, and leaving the team.

use buurtbel_core::op::Area;
use leptos::prelude::*;
use leptos::task::spawn_local;
use wasm_bindgen::JsCast;

use crate::components::{InstallOffer, PageHeader, clock_time, status_text};
use crate::data::{Data, Leaving, error_text};
use crate::export;
use crate::i18n::{I18n, Key, Locale, fill, text};
use crate::routing::{Page, Router};
use crate::storage::Persistence;

/// Offers `content` as a file download named `name`.
fn download(name: &str, content: String) {
    let parts = js_sys::Array::of1(&content.into());
    let options = web_sys::BlobPropertyBag::new();
    options.set_type("text/csv;charset=utf-8");
    let Ok(blob) = web_sys::Blob::new_with_str_sequence_and_options(&parts, &options) else {
        return;
    };
    let Ok(url) = web_sys::Url::create_object_url_with_blob(&blob) else {
        return;
    };
    if let Ok(link) = document().create_element("a") {
        let link: web_sys::HtmlElement = link.unchecked_into();
        let _ = link.set_attribute("href", &url);
        let _ = link.set_attribute("download", name);
        link.click();
    }
    let _ = web_sys::Url::revoke_object_url(&url);
}

#[component]
pub fn SettingsPage() -> impl IntoView {
    let i18n = I18n::current();
    let Some(data) = Data::current() else {
        return view! { <PageHeader title=Key::SettingsTitle intro=Key::SettingsIntro/> }
            .into_any();
    };
    let router = Router::current();
    let team_name = move || {
        data.session
            .with_untracked(|s| s.as_ref().map(|s| s.team.name.clone()))
            .unwrap_or_default()
    };
    let leaving = RwSignal::new(false);
    let leave_busy = RwSignal::new(false);
    let leave_note = RwSignal::new(None::<String>);
    let leave = move |_| {
        leave_busy.set(true);
        let locale = i18n.locale_untracked();
        spawn_local(async move {
            let note = match data.leave().await {
                // The phone is back at the setup screen with a notice.
                Ok(Leaving::Left) => None,
                Ok(Leaving::Waiting) => Some(text(locale, Key::LeaveWaiting).to_owned()),
                Ok(Leaving::Refused) => Some(text(locale, Key::LeaveRefused).to_owned()),
                Ok(Leaving::NeedsConnection) => Some(text(locale, Key::ErrOffline).to_owned()),
                Err(e) => Some(error_text(locale, &e)),
            };
            if note.is_some() {
                leaving.set(false);
            }
            leave_note.set(note);
            leave_busy.set(false);
        });
    };

    let export_file = move |kind: &'static str| {
        let locale = i18n.locale_untracked();
        let zone = &crate::clock::utc_offset_min;
        let content = data.with_areas(&Area::ALL, |state| match kind {
            "adressen" => export::addresses(state, locale, zone),
            "gesprekken" => export::visits(state, locale, zone),
            _ => export::plan(state, locale, zone),
        });
        let name = match locale {
            Locale::Nl => kind,
            Locale::En => match kind {
                "adressen" => "addresses",
                "gesprekken" => "conversations",
                _ => "step-plan",
            },
        };
        download(
            &format!(
                "buurtbel-{name}-{}.csv",
                crate::components::iso_date(data.today())
            ),
            content,
        );
    };
    let status = move || {
        let locale = i18n.locale();
        data.snapshot.with(|s| status_text(locale, s, clock_time))
    };
    view! {
        <PageHeader title=Key::SettingsTitle intro=Key::SettingsIntro/>
        <section class="card">
            <h2>{i18n.t(Key::LanguageTitle)}</h2>
            <fieldset class="choices">
                <legend class="sr-only">{i18n.t(Key::LanguageTitle)}</legend>
                {Locale::ALL
                    .into_iter()
                    .map(|locale| {
                        view! {
                            <label class="chip-choice" lang=locale.code()>
                                <input
                                    type="radio"
                                    name="language"
                                    prop:checked=move || i18n.locale() == locale
                                    on:change=move |_| i18n.set_locale(locale)
                                />
                                {language_name(locale)}
                            </label>
                        }
                    })
                    .collect_view()}
            </fieldset>
        </section>
        <section class="card export">
            <h2>{i18n.t(Key::ExportTitle)}</h2>
            <p class="hint">{i18n.t(Key::ExportHint)}</p>
            <div class="actions stacked">
                <button type="button" class="button secondary" on:click=move |_| export_file("adressen")>
                    {i18n.t(Key::ExportAddresses)}
                </button>
                <button type="button" class="button secondary" on:click=move |_| export_file("gesprekken")>
                    {i18n.t(Key::ExportVisits)}
                </button>
                <button type="button" class="button secondary" on:click=move |_| export_file("stappenplan")>
                    {i18n.t(Key::ExportPlan)}
                </button>
            </div>
        </section>
        <section class="card privacy">
            <h2>{i18n.t(Key::PrivacyTitle)}</h2>
            <p>{i18n.t(Key::EraseHowTo)}</p>
            <a href="/" on:click=move |ev| { ev.prevent_default(); router.navigate(Page::Walk); }>
                {i18n.t(Key::ToWalkList)}
            </a>
        </section>
        <InstallOffer/>
        <section class="card device">
            <h2>{i18n.t(Key::DeviceTitle)}</h2>
            <p class="sync-line" role="status">{status}</p>
            <button type="button" class="button secondary" on:click=move |_| data.sync_now()>
                {i18n.t(Key::SyncNow)}
            </button>
            {move || {
                data.persistence.get().map(|p| {
                    storage_lines(i18n.locale(), &p)
                        .into_iter()
                        .map(|line| view! { <p class="storage-line">{line}</p> })
                        .collect_view()
                })
            }}
        </section>
        <Refused/>
        <section class="card leave">
            <h2>{i18n.t(Key::LeaveTitle)}</h2>
            <Show
                when=move || leaving.get()
                fallback=move || view! {
                    <button type="button" class="button secondary" on:click=move |_| leaving.set(true)>
                        {i18n.t(Key::LeaveButton)}
                    </button>
                }
            >
                <div class="confirm-row" role="alertdialog">
                    <p>{move || fill(text(i18n.locale(), Key::LeaveConfirm), &[&team_name()])}</p>
                    <div class="inline">
                        <button type="button" class="button danger" disabled=leave_busy on:click=leave>
                            {i18n.t(Key::ConfirmYes)}
                        </button>
                        <button type="button" class="button secondary" on:click=move |_| leaving.set(false)>
                            {i18n.t(Key::Cancel)}
                        </button>
                    </div>
                </div>
            </Show>
            <p class="muted" role="status">{move || leave_note.get()}</p>
        </section>
    }
    .into_any()
}

/// Changes the server refused for good: what each was, why, in words, and a way to let it go.
/// Shown only when there are any.
#[component]
fn Refused() -> impl IntoView {
    let i18n = I18n::current();
    let Some(data) = Data::current() else {
        return ().into_any();
    };
    let rows = move || {
        // Read again whenever the count changes (a refusal, a discard, a restart).
        data.snapshot.with(|s| s.refused);
        let locale = i18n.locale();
        data.refused()
            .into_iter()
            .map(|refused| {
                let what = data.with_areas(&[Area::Addresses], |state| {
                    refused_what(locale, state, &refused.op)
                });
                let id = refused.op.id;
                let discard = move |_| {
                    spawn_local(async move {
                        if let Err(e) = data.discard(id).await {
                            data.storage_failed(e);
                        }
                    });
                };
                view! {
                    <li>
                        <span>{what}</span>
                        <span class="muted">{text(locale, refused_why(&refused.reason.code))}</span>
                        <button type="button" class="button secondary" on:click=discard>
                            {text(locale, Key::Discard)}
                        </button>
                    </li>
                }
            })
            .collect_view()
    };
    view! {
        <Show when=move || data.snapshot.with(|s| s.refused > 0)>
            <section class="card refused">
                <h2>{i18n.t(Key::RefusedTitle)}</h2>
                <p class="hint">{i18n.t(Key::RefusedHint)}</p>
                <ul class="refused-list">{rows}</ul>
            </section>
        </Show>
    }
    .into_any()
}

/// What a refused change was about: its part of the app and, for a door, the address.
fn refused_what(
    locale: Locale,
    state: &buurtbel_core::state::State,
    op: &buurtbel_core::op::Operation,
) -> String {
    let area = text(
        locale,
        match op.payload.area() {
            Area::Team => Key::NavTeam,
            Area::Plan => Key::NavPlan,
            Area::Addresses => Key::ExportAddresses,
            Area::Visits => Key::ExportVisits,
            Area::Meetings => Key::NavMeetings,
        },
    );
    let address = match &op.payload {
        // Refused, so never in the state: its own words.
        buurtbel_core::op::Payload::AddressAdd { street, number, .. } => {
            Some(format!("{street} {number}"))
        }
        _ => state
            .addresses_touched_by(op)
            .first()
            .map(|a| crate::components::address_label(state, *a))
            .filter(|label| !label.is_empty()),
    };
    match address {
        Some(address) => format!("{area} · {address}"),
        None => area.to_owned(),
    }
}

/// The server's refusal in words.
fn refused_why(code: &str) -> Key {
    match code {
        "forbidden" => Key::RefusedForbidden,
        "invalid_operation" | "invalid_field" => Key::RefusedInvalid,
        "operation_conflict" => Key::RefusedConflict,
        _ => Key::RefusedOther,
    }
}

/// A language's name in that language.
fn language_name(locale: Locale) -> &'static str {
    match locale {
        Locale::Nl => "Nederlands",
        Locale::En => "English",
    }
}

/// What this phone's storage looks like, in words: only what the browser told. A browser that
/// gives no estimate or cannot be asked to keep the data gets a sentence saying so, never zeros.
pub fn storage_lines(locale: Locale, p: &Persistence) -> Vec<String> {
    // Integer arithmetic: formatting floats would add kilobytes to the wasm.
    let mb = |bytes: f64| {
        let tenths = (bytes / 100_000.0).round() as u64;
        format!("{}.{}", tenths / 10, tenths % 10)
    };
    let size = match (p.usage, p.quota) {
        (Some(usage), Some(quota)) => {
            fill(text(locale, Key::StorageUsage), &[&mb(usage), &mb(quota)])
        }
        (Some(usage), None) => fill(text(locale, Key::StorageUsageOnly), &[&mb(usage)]),
        _ => text(locale, Key::StorageUnknown).to_owned(),
    };
    let kept = text(
        locale,
        match p.persisted {
            Some(true) => Key::StoragePersisted,
            Some(false) => Key::StorageNotPersisted,
            None => Key::StoragePersistUnknown,
        },
    );
    vec![size, kept.to_owned()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn storage_says_what_the_browser_told_and_never_zeros() {
        let known = Persistence {
            persisted: Some(true),
            usage: Some(1_200_000.0),
            quota: Some(2_000_000_000.0),
        };
        let lines = storage_lines(Locale::Nl, &known);
        assert_eq!(
            lines[0],
            "Buurtbel gebruikt 1.2 MB van de 2000.0 MB die de browser toestaat."
        );
        assert_eq!(lines[1], text(Locale::Nl, Key::StoragePersisted));
        // WebKitGTK: no estimate, no persist.
        let unknown = Persistence::default();
        let lines = storage_lines(Locale::Nl, &unknown);
        assert!(!lines.iter().any(|l| l.contains("0.0 MB")), "{lines:?}");
        assert_eq!(lines[0], text(Locale::Nl, Key::StorageUnknown));
        assert_eq!(lines[1], text(Locale::Nl, Key::StoragePersistUnknown));
        // Usage without a quota.
        let usage_only = Persistence {
            usage: Some(300_000.0),
            ..Persistence::default()
        };
        assert_eq!(
            storage_lines(Locale::En, &usage_only)[0],
            fill(text(Locale::En, Key::StorageUsageOnly), &["0.3"])
        );
        assert_eq!(
            unknown.level(),
            crate::storage::QuotaLevel::Fine,
            "no warning on a missing figure"
        );
    }
}
