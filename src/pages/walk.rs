use leptos::prelude::*;

use crate::components::{EmptyState, PageHeader};
use crate::i18n::Key;

#[component]
pub fn WalkPage() -> impl IntoView {
    view! {
        <PageHeader title=Key::NavWalk intro=Key::WalkIntro/>
        <EmptyState text=Key::WalkEmpty/>
    }
}
