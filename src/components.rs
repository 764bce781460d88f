//! Reusable pieces of the screen.

mod app_bar;
mod main_nav;
mod page_header;

pub use app_bar::AppBar;
pub use main_nav::MainNav;
pub use page_header::{EmptyState, PageHeader};
