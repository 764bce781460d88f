//! Small preferences kept on the device.

use buurtbel_core::ids::{ProjectId, TeamId};
use gloo_storage::{LocalStorage, Storage};

use crate::i18n::Locale;

const LOCALE_KEY: &str = "buurtbel.locale";

fn clock_key(team: &TeamId) -> String {
    format!("buurtbel.clock.{team}")
}

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

/// The offset between the phone's clock and the team server's, as last learned (0 if never).
pub fn load_clock_offset(team: &TeamId) -> i64 {
    LocalStorage::raw()
        .get_item(&clock_key(team))
        .ok()
        .flatten()
        .and_then(|text| text.parse().ok())
        .unwrap_or(0)
}

/// Remembers the clock offset, so a reload without a connection stamps changes correctly too.
/// If it cannot be stored, the next answer from the server teaches it again.
pub fn save_clock_offset(team: &TeamId, offset_ms: i64) {
    let _ = LocalStorage::raw().set_item(&clock_key(team), &offset_ms.to_string());
}

/// Forgets the clock offset with the team's data.
pub fn forget_clock_offset(team: &TeamId) {
    let _ = LocalStorage::raw().remove_item(&clock_key(team));
}

fn plan_offer_key(project: &ProjectId) -> String {
    format!("buurtbel.plan-offer.{project}")
}

/// The fingerprint of the plan offer to `project` this phone was told "not now" for.
pub fn plan_offer_declined(project: &ProjectId) -> Option<u32> {
    LocalStorage::raw()
        .get_item(&plan_offer_key(project))
        .ok()
        .flatten()
        .and_then(|text| text.parse().ok())
}

/// Remembers "not now" for the plan offer to `project` with fingerprint `print`: a different
/// offer (a later version) shows again. If it cannot be stored, this one shows again too.
pub fn decline_plan_offer(project: &ProjectId, print: u32) {
    let _ = LocalStorage::raw().set_item(&plan_offer_key(project), &print.to_string());
}
