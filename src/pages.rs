//! One module per page.

mod add_addresses;
mod address;
mod dashboard;
mod follow_ups;
mod guide;
mod meetings;
mod paper;
pub mod plan;
mod settings;
pub mod setup;
mod team;
mod walk;

use leptos::prelude::*;

use crate::data::Phase;
use crate::routing::Page;

pub use settings::storage_lines;

/// Makes the state pages keep between visits available (once, above every page).
pub fn provide_state() {
    walk::WalkState::provide();
}

/// The view of `page`.
pub fn render(page: Page) -> AnyView {
    match page {
        Page::Walk => walk::WalkPage().into_any(),
        Page::Team => team::TeamPage().into_any(),
        Page::Plan => plan::PlanPage().into_any(),
        Page::Meetings => meetings::MeetingsPage().into_any(),
        Page::Dashboard => dashboard::DashboardPage().into_any(),
        Page::Address(id) => view! { <address::AddressPage address=id/> }.into_any(),
        Page::AddAddresses => add_addresses::AddAddressesPage().into_any(),
        Page::FollowUps => follow_ups::FollowUpsPage().into_any(),
        Page::Settings => settings::SettingsPage().into_any(),
        Page::Guide => guide::GuidePage().into_any(),
        Page::Flyer(id) => view! { <guide::FlyerPage project=id/> }.into_any(),
        Page::Paper => paper::PaperPage().into_any(),
    }
}

/// What the main area shows: the page, or setup, loading and failure screens before the
/// team's data is there.
pub fn render_for(phase: Phase, page: Page) -> AnyView {
    match phase {
        Phase::Ready => render(page),
        Phase::Setup => setup::SetupPage().into_any(),
        Phase::Loading => {
            view! { <p class="intro">{crate::i18n::t(crate::i18n::Key::Loading)}</p> }.into_any()
        }
        Phase::Failed(reason) => {
            let i18n = crate::i18n::I18n::current();
            view! {
                <p class="notice" role="alert">
                    {move || crate::i18n::fill(crate::i18n::text(i18n.locale(), crate::i18n::Key::StorageUnavailable), &[&reason])}
                </p>
            }
            .into_any()
        }
    }
}
