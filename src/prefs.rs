//! Small preferences kept on the device.

use gloo_storage::{LocalStorage, Storage};

use crate::i18n::Locale;

const LOCALE_KEY: &str = "buurtbel.locale";

/// The language the user chose earlier on this device, or Dutch.
pub fn load_locale() -> Locale {
    LocalStorage::raw()
        .get_item(LOCALE_KEY)
        .ok()
        .flatten()
        .and_then(|code| Locale::from_code(&code))
        .unwrap_or_default()
}

/// Remembers the chosen language. A full or blocked storage only means the choice is not
/// remembered after a reload, so the error is not shown.
pub fn save_locale(locale: Locale) {
    let _ = LocalStorage::raw().set_item(LOCALE_KEY, locale.code());
}
