//! The page the user is on, kept in step with the address bar.
//!
//! The app has a handful of top-level pages, so a small router of our own (a signal plus the
//! History API) does the job without the bytes of a general-purpose router. The server answers
//! every app path with `index.html`, so a reload or a shared link opens the same page.

use leptos::ev;
use leptos::prelude::*;

use crate::i18n::Key;

/// A top-level page of the app.
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
}

impl Page {
    /// Every page, in navigation order.
    pub const ALL: [Page; 5] = [
        Page::Walk,
        Page::Team,
        Page::Plan,
        Page::Meetings,
        Page::Dashboard,
    ];

    /// The path of this page in the address bar.
    pub fn path(self) -> &'static str {
        match self {
            Page::Walk => "/",
            Page::Team => "/team",
            Page::Plan => "/plan",
            Page::Meetings => "/meetings",
            Page::Dashboard => "/dashboard",
        }
    }

    /// The page for a path; unknown paths open the walk list.
    pub fn from_path(path: &str) -> Page {
        let path = path.trim_end_matches('/');
        Page::ALL
            .into_iter()
            .find(|page| page.path().trim_end_matches('/') == path)
            .unwrap_or(Page::Walk)
    }

    /// The text key of this page's name in the navigation.
    pub fn title(self) -> Key {
        match self {
            Page::Walk => Key::NavWalk,
            Page::Team => Key::NavTeam,
            Page::Plan => Key::NavPlan,
            Page::Meetings => Key::NavMeetings,
            Page::Dashboard => Key::NavDashboard,
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
        if self.page.get_untracked() == page {
            return;
        }
        if let Ok(history) = window().history() {
            // If the History API refuses (some embedded browsers), the page still changes;
            // only the address bar stays behind.
            let _ =
                history.push_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(page.path()));
        }
        self.page.set(page);
    }
}

fn current_path() -> String {
    window().location().pathname().unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_round_trip_and_unknown_paths_open_the_walk_list() {
        for page in Page::ALL {
            assert_eq!(Page::from_path(page.path()), page);
        }
        assert_eq!(Page::from_path("/team/"), Page::Team);
        assert_eq!(Page::from_path("/nope"), Page::Walk);
        assert_eq!(Page::from_path(""), Page::Walk);
    }
}
