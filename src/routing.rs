//! The page the user is on, kept in step with the address bar.
//!
//! The app has a handful of pages, so a small router of our own (a signal plus the History API)
//! does the job without the bytes of a general-purpose router. The server answers every app
//! path with `index.html`, so a reload or a shared link opens the same page.

use buurtbel_core::ids::{AddressId, ProjectId};
use leptos::ev;
use leptos::prelude::*;

use crate::i18n::Key;

/// A page of the app.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Page {
    /// Walk list and doorstep logging: where ambassadors spend most of their time.
    Walk,
    /// The team, its members and roles.
    Team,
    /// The project's step plan.
    Plan,
    /// Team meetings.
    Meetings,
    /// Progress numbers.
    Dashboard,
    /// One address: its history, consents, follow-up and corrections.
    Address(AddressId),
    /// Adding addresses: one, a range, or a file.
    AddAddresses,
    /// Follow-ups by when they are due.
    FollowUps,
    /// Language, this phone, exports, privacy and leaving the team.
    Settings,
    /// The doorstep guides of the projects and the open questions from the doors.
    Guide,
    /// A project's letterbox flyer, to print on A5.
    Flyer(ProjectId),
    /// A street's walk list on paper (A4) and entering it back afterwards.
    Paper,
}

impl Page {
    /// The pages of the main navigation, in order.
    pub const NAV: [Page; 5] = [
        Page::Walk,
        Page::Team,
        Page::Plan,
        Page::Meetings,
        Page::Dashboard,
    ];

    /// The path of this page in the address bar.
    pub fn path(self) -> String {
        match self {
            Page::Walk => "/".into(),
            Page::Team => "/team".into(),
            Page::Plan => "/plan".into(),
            Page::Meetings => "/overleg".into(),
            Page::Dashboard => "/voortgang".into(),
            Page::Address(id) => format!("/adres/{id}"),
            Page::AddAddresses => "/adressen/toevoegen".into(),
            Page::FollowUps => "/opvolgen".into(),
            Page::Settings => "/instellingen".into(),
            Page::Guide => "/gids".into(),
            Page::Flyer(id) => format!("/flyer/{id}"),
            Page::Paper => "/papieren-lijst".into(),
        }
    }

    /// The page for a path; unknown paths open the walk list.
    pub fn from_path(path: &str) -> Page {
        let path = path.trim_end_matches('/');
        match path {
            "/team" => Page::Team,
            "/plan" => Page::Plan,
            "/overleg" | "/meetings" => Page::Meetings,
            "/voortgang" | "/dashboard" => Page::Dashboard,
            "/adressen/toevoegen" => Page::AddAddresses,
            "/opvolgen" => Page::FollowUps,
            "/instellingen" | "/settings" => Page::Settings,
            "/gids" | "/guide" => Page::Guide,
            "/papieren-lijst" => Page::Paper,
            _ => {
                if let Some(id) = path.strip_prefix("/flyer/") {
                    return id.parse().map_or(Page::Walk, Page::Flyer);
                }
                path.strip_prefix("/adres/")
                    .and_then(|id| id.parse().ok())
                    .map_or(Page::Walk, Page::Address)
            }
        }
    }

    /// The page of the main navigation this page belongs to.
    pub fn section(self) -> Page {
        match self {
            Page::Address(_) | Page::AddAddresses | Page::FollowUps | Page::Guide | Page::Paper => {
                Page::Walk
            }
            Page::Flyer(_) => Page::Plan,
            other => other,
        }
    }

    /// The text key of this page's name in the navigation.
    pub fn title(self) -> Key {
        match self.section() {
            Page::Team => Key::NavTeam,
            Page::Plan => Key::NavPlan,
            Page::Meetings => Key::NavMeetings,
            Page::Dashboard => Key::NavDashboard,
            Page::Settings => Key::SettingsTitle,
            _ => Key::NavWalk,
        }
    }
}

/// The current page, shared through Leptos context.
#[derive(Clone, Copy, Debug)]
pub struct Router {
    page: RwSignal<Page>,
}

impl Router {
    /// Reads the page from the address bar, follows the browser's back and forward buttons, and
    /// makes the router available to every component below.
    pub fn provide() -> Router {
        let router = Router {
            page: RwSignal::new(Page::from_path(&current_path())),
        };
        let handle = window_event_listener(ev::popstate, move |_| {
            router.page.set(Page::from_path(&current_path()));
        });
        on_cleanup(move || handle.remove());
        provide_context(router);
        router
    }

    /// The router of the surrounding app; a component rendered on its own gets a fresh one.
    pub fn current() -> Router {
        use_context::<Router>().unwrap_or_else(Router::provide)
    }

    /// The page on screen (tracked).
    pub fn page(self) -> Page {
        self.page.get()
    }

    /// Opens `page` and records it in the browser history.
    pub fn navigate(self, page: Page) {
        if self.page.get_untracked() == page && current_path() == page.path() {
            return;
        }
        if let Ok(history) = window().history() {
            // If the History API refuses (some embedded browsers), the page still changes;
            // only the address bar stays behind.
            let _ =
                history.push_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&page.path()));
        }
        self.page.set(page);
        // A new page starts at its top.
        window().scroll_to_with_x_and_y(0.0, 0.0);
    }
}

fn current_path() -> String {
    window().location().pathname().unwrap_or_default()
}

/// The invite code in a join link (`/join/95DJ-5DVE`), if the app was opened with one.
pub fn join_code_in(path: &str) -> Option<String> {
    let code = path.strip_prefix("/join/")?.trim_end_matches('/');
    let valid = !code.is_empty()
        && code.len() <= 16
        && code.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-');
    valid.then(|| code.to_ascii_uppercase())
}

/// The invite code of the link the app was opened with, if any.
pub fn opened_with_join_code() -> Option<String> {
    join_code_in(&current_path())
}

/// The link that opens the app with `code` filled in.
pub fn join_link(code: &str) -> String {
    let origin = window().location().origin().unwrap_or_default();
    format!("{origin}/join/{code}")
}

/// The full link to a project's resident page (`/doe-mee/<code>`, served by the server).
pub fn resident_link(project: buurtbel_core::ids::ProjectId) -> String {
    let origin = window().location().origin().unwrap_or_default();
    format!("{origin}/doe-mee/{}", project.page_code())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_round_trip_and_unknown_paths_open_the_walk_list() {
        let address = AddressId::new_v7(1_764_000_000_000, [3; 10]);
        for page in Page::NAV.into_iter().chain([
            Page::Address(address),
            Page::AddAddresses,
            Page::FollowUps,
            Page::Paper,
        ]) {
            assert_eq!(Page::from_path(&page.path()), page);
        }
        assert_eq!(Page::from_path("/team/"), Page::Team);
        assert_eq!(Page::from_path("/dashboard"), Page::Dashboard, "old links");
        assert_eq!(Page::from_path("/adres/not-an-id"), Page::Walk);
        assert_eq!(Page::from_path("/nope"), Page::Walk);
        assert_eq!(
            Page::from_path("/join/95DJ-5DVE"),
            Page::Walk,
            "setup reads the code"
        );
        assert_eq!(Page::from_path(""), Page::Walk);
        assert_eq!(Page::Address(address).section(), Page::Walk);
    }

    #[test]
    fn join_links_carry_a_code_and_nothing_else() {
        assert_eq!(join_code_in("/join/95dj-5dve"), Some("95DJ-5DVE".into()));
        assert_eq!(join_code_in("/join/95DJ5DVE/"), Some("95DJ5DVE".into()));
        assert_eq!(join_code_in("/join/"), None);
        assert_eq!(join_code_in("/join/<script>"), None);
        assert_eq!(join_code_in("/join/AAAAAAAAAAAAAAAAAAAA"), None);
        assert_eq!(join_code_in("/team"), None);
    }
}
