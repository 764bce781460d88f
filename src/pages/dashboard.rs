use leptos::prelude::*;

use crate::components::{EmptyState, PageHeader};
use crate::i18n::Key;

#[component]
pub fn DashboardPage() -> impl IntoView {
    view! {
        <PageHeader title=Key::NavDashboard intro=Key::DashboardIntro/>
        <EmptyState text=Key::DashboardEmpty/>
    }
}
