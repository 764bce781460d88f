use leptos::prelude::*;

use crate::components::{EmptyState, PageHeader};
use crate::i18n::Key;

#[component]
pub fn MeetingsPage() -> impl IntoView {
    view! {
        <PageHeader title=Key::NavMeetings intro=Key::MeetingsIntro/>
        <EmptyState text=Key::MeetingsEmpty/>
    }
}
