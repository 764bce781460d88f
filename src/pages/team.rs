use leptos::prelude::*;

use crate::components::{EmptyState, PageHeader};
use crate::i18n::Key;

#[component]
pub fn TeamPage() -> impl IntoView {
    view! {
        <PageHeader title=Key::NavTeam intro=Key::TeamIntro/>
        <EmptyState text=Key::TeamEmpty/>
    }
}
