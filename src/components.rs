//! Reusable pieces of the screen.

mod app_bar;
mod main_nav;
mod notices;
mod page_header;
mod sync_status;

pub use app_bar::AppBar;
pub use main_nav::MainNav;
pub use notices::Notices;
pub use page_header::{EmptyState, PageHeader};
pub use sync_status::{SyncStatusButton, clock_time, status_text};
