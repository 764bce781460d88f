//! Reusable pieces of the screen.

mod app_bar;
mod fields;
mod main_nav;
mod notices;
mod page_header;
mod snackbar;
mod sync_status;
pub mod visit_sheet;

pub use app_bar::AppBar;
pub use fields::{FormError, TextField, chip_set};
pub use main_nav::MainNav;
pub use notices::Notices;
pub use page_header::{BackToList, EmptyState, PageHeader};
pub use snackbar::{Snackbar, SnackbarView};
pub use sync_status::{SyncStatusButton, clock_time, status_text};
pub use visit_sheet::VisitSheet;

use buurtbel_core::ids::{AddressId, MemberId};
use buurtbel_core::state::{Address, State};

/// A house number as the walk list shows it: "12a-2".
pub fn house_label(address: &Address) -> String {
    let mut label = format!("{}{}", address.number.value, address.letter.value);
    if !address.addition.value.is_empty() {
        label.push('-');
        label.push_str(&address.addition.value);
    }
    label
}

/// An address as people say it: "Lindelaan 12a-2".
pub fn address_label(state: &State, id: AddressId) -> String {
    state
        .addresses
        .get(&id)
        .map(|a| format!("{} {}", a.street.value.trim(), house_label(a)))
        .unwrap_or_default()
}

/// A member's name as the team sees it.
pub fn member_name(state: &State, id: MemberId) -> String {
    state
        .members
        .get(&id)
        .map(|m| m.display_name.value.clone())
        .unwrap_or_default()
}
