//! What was typed in a form, kept for this browser tab (sessionStorage) until it is saved: a
//! re-render, a switch to another page of the app, a reload or an update of the app loses
//! nothing of it.

use buurtbel_core::ids::AddressId;
use gloo_storage::{SessionStorage, Storage};
use leptos::prelude::*;

const PREFIX: &str = "buurtbel.draft.";

/// A text field's value under `key`, starting from what was typed before and kept as it
/// changes.
pub fn text(key: String) -> RwSignal<String> {
    let stored = SessionStorage::raw()
        .get_item(&format!("{PREFIX}{key}"))
        .ok()
        .flatten()
        .unwrap_or_default();
    let value = RwSignal::new(stored);
    Effect::new(move |_| {
        let v = value.get();
        let name = format!("{PREFIX}{key}");
        // A full or blocked session storage only means the draft does not survive a reload.
        let _ = if v.is_empty() {
            SessionStorage::raw().remove_item(&name)
        } else {
            SessionStorage::raw().set_item(&name, &v)
        };
    });
    value
}

/// The start of the keys of the visit sheet's drafts for `address` (see [`clear`]).
pub fn visit_prefix(address: AddressId) -> String {
    format!("visit.{address}.")
}

/// Forgets every draft whose key starts with `prefix` (the form was saved, the resident's data
/// erased; `""`: every draft, when the team's data leaves the phone).
pub fn clear(prefix: &str) {
    let storage = SessionStorage::raw();
    let full = format!("{PREFIX}{prefix}");
    let keys: Vec<String> = (0..storage.length().unwrap_or(0))
        .filter_map(|i| storage.key(i).ok().flatten())
        .filter(|k| k.starts_with(&full))
        .collect();
    for k in keys {
        let _ = storage.remove_item(&k);
    }
}
