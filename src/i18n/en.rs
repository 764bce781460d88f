//! English texts, on request.

use super::Key;

pub(super) fn text(key: Key) -> &'static str {
    match key {
        Key::AppName => "Buurtbel",
        Key::NavLabel => "Main menu",
        Key::NavWalk => "Walk list",
        Key::NavTeam => "Team",
        Key::NavPlan => "Plan",
        Key::PlanTitle => "Step plan",
        Key::NavMeetings => "Meetings",
        Key::NavDashboard => "Progress",
        Key::SwitchLanguage => "Nederlands",
        Key::SwitchLanguageLabel => "Wissel naar Nederlands",
        Key::WalkIntro => {
            "Walk the streets and log every doorstep conversation, even without signal."
        }
        Key::WalkEmpty => "There are no addresses on the walk list yet.",
        Key::TeamIntro => "A buurt team needs a content expert, a connector and a driver.",
        Key::TeamEmpty => "This team has no ambassadors yet.",
        Key::PlanIntro => "Work through your project's step plan together.",
        Key::PlanEmpty => "No project has been started yet.",
        Key::MeetingsIntro => {
            "Review progress at team meetings and record decisions and action items."
        }
        Key::MeetingsEmpty => "No meetings have been recorded yet.",
        Key::DashboardIntro => {
            "How many households have been reached, and how close is the target?"
        }
        Key::DashboardEmpty => "No conversations to count yet.",
    }
}
