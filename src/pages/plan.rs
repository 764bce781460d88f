use leptos::prelude::*;

use crate::components::{EmptyState, PageHeader};
use crate::i18n::Key;

#[component]
pub fn PlanPage() -> impl IntoView {
    view! {
        <PageHeader title=Key::PlanTitle intro=Key::PlanIntro/>
        <EmptyState text=Key::PlanEmpty/>
    }
}
