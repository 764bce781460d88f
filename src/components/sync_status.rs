use buurtbel_core::sync::SyncStatus;
use leptos::prelude::*;

use crate::data::Data;
use crate::i18n::{I18n, Key, Locale, fill, text};
use crate::replica::Snapshot;

/// "HH:MM" in the phone's time zone.
pub fn clock_time(at_ms: u64) -> String {
    let (hours, minutes) = crate::clock::local_time(at_ms);
    format!("{hours:02}:{minutes:02}")
}

/// The words for a sync status: the state, and the waiting changes when there are any.
pub fn status_text(locale: Locale, snapshot: &Snapshot, time: impl Fn(u64) -> String) -> String {
    let waiting = match snapshot.waiting {
        0 => None,
        1 => Some(text(locale, Key::StatusWaitingOne).to_owned()),
        n => Some(fill(
            text(locale, Key::StatusWaitingMany),
            &[&n.to_string()],
        )),
    };
    let with_waiting = |state: &str| match &waiting {
        Some(w) => format!("{state} · {w}"),
        None => state.to_owned(),
    };
    match &snapshot.status {
        None => text(locale, Key::StatusNever).to_owned(),
        Some(SyncStatus::Syncing) => text(locale, Key::StatusSyncing).to_owned(),
        Some(SyncStatus::Offline { .. }) => with_waiting(text(locale, Key::StatusOffline)),
        Some(SyncStatus::Waiting { .. }) => {
            waiting.unwrap_or_else(|| text(locale, Key::StatusNever).to_owned())
        }
        Some(SyncStatus::Synced { at_ms }) => {
            fill(text(locale, Key::StatusSynced), &[&time(*at_ms)])
        }
        Some(SyncStatus::Error { reason, .. }) => {
            with_waiting(&format!("{} ({reason})", text(locale, Key::StatusError)))
        }
        Some(SyncStatus::Removed) => text(locale, Key::StatusRemoved).to_owned(),
        Some(SyncStatus::Wiped) => text(locale, Key::StatusWiped).to_owned(),
    }
}

/// The sync status in the app bar; tapping it syncs now.
#[component]
pub fn SyncStatusButton() -> impl IntoView {
    let i18n = I18n::current();
    let data = Data::current();
    let snapshot = move || data.map(|d| d.snapshot.get()).unwrap_or_default();
    let state = move || match snapshot().status {
        None => "never",
        Some(SyncStatus::Syncing) => "syncing",
        Some(SyncStatus::Offline { .. }) => "offline",
        Some(SyncStatus::Waiting { .. }) => "waiting",
        Some(SyncStatus::Synced { .. }) => "synced",
        Some(SyncStatus::Error { .. }) => "error",
        Some(SyncStatus::Removed) => "removed",
        Some(SyncStatus::Wiped) => "wiped",
    };
    view! {
        <button
            type="button"
            class="sync-status"
            data-state=state
            aria-label=move || {
                format!(
                    "{}: {}",
                    status_text(i18n.locale(), &snapshot(), clock_time),
                    i18n.t(Key::StatusLabel)(),
                )
            }
            on:click=move |_| {
                if let Some(d) = data {
                    d.sync_now();
                }
            }
        >
            <span class="sync-dot" aria-hidden="true"></span>
            <span class="sync-text" role="status">
                {move || status_text(i18n.locale(), &snapshot(), clock_time)}
            </span>
        </button>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn snap(status: Option<SyncStatus>, waiting: usize) -> Snapshot {
        Snapshot {
            status,
            waiting,
            ..Snapshot::default()
        }
    }

    #[test]
    fn every_status_reads_plainly_in_both_languages() {
        let t = |s, w| status_text(Locale::Nl, &snap(s, w), |_| "14:05".into());
        assert_eq!(
            t(Some(SyncStatus::Synced { at_ms: 1 }), 0),
            "Bijgewerkt 14:05"
        );
        assert_eq!(
            t(Some(SyncStatus::Offline { waiting: 3 }), 3),
            "Offline · 3 wijzigingen wachten"
        );
        assert_eq!(t(Some(SyncStatus::Offline { waiting: 0 }), 0), "Offline");
        assert_eq!(
            t(Some(SyncStatus::Waiting { waiting: 1 }), 1),
            "1 wijziging wacht"
        );
        assert_eq!(t(Some(SyncStatus::Syncing), 2), "Synchroniseren…");
        assert_eq!(
            t(
                Some(SyncStatus::Error {
                    reason: "HTTP 502".into(),
                    waiting: 2
                }),
                2
            ),
            "Synchroniseren mislukt (HTTP 502) · 2 wijzigingen wachten"
        );
        assert_eq!(t(Some(SyncStatus::Removed), 0), "Verwijderd uit team");
        assert_eq!(t(None, 0), "Nog niet gesynchroniseerd");
        let en = status_text(
            Locale::En,
            &snap(Some(SyncStatus::Offline { waiting: 2 }), 2),
            |_| String::new(),
        );
        assert_eq!(en, "Offline · 2 changes waiting");
    }
}
