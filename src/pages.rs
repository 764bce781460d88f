//! One module per page.

mod dashboard;
mod meetings;
mod plan;
mod team;
mod walk;

use leptos::prelude::*;

use crate::routing::Page;

/// The view of `page`.
pub fn render(page: Page) -> AnyView {
    match page {
        Page::Walk => walk::WalkPage().into_any(),
        Page::Team => team::TeamPage().into_any(),
        Page::Plan => plan::PlanPage().into_any(),
        Page::Meetings => meetings::MeetingsPage().into_any(),
        Page::Dashboard => dashboard::DashboardPage().into_any(),
    }
}
