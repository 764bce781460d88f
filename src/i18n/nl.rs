//! Dutch texts (the default). Neighbourly words, as ambassadors use them at the door.

use super::Key;

pub(super) fn text(key: Key) -> &'static str {
    match key {
        Key::AppName => "Buurtbel",
        Key::NavLabel => "Hoofdmenu",
        Key::NavWalk => "Looplijst",
        Key::NavTeam => "Team",
        Key::NavPlan => "Plan",
        Key::PlanTitle => "Stappenplan",
        Key::NavMeetings => "Overleg",
        Key::NavDashboard => "Voortgang",
        Key::SwitchLanguage => "English",
        Key::SwitchLanguageLabel => "Switch to English",
        Key::WalkIntro => {
            "Loop de straten langs en leg elk gesprek aan de deur vast, ook zonder bereik."
        }
        Key::WalkEmpty => "Er staan nog geen adressen op de looplijst.",
        Key::TeamIntro => {
            "Een buurtteam heeft een inhoudelijk expert, een verbinder en een ondernemer nodig."
        }
        Key::TeamEmpty => "Er zijn nog geen ambassadeurs in dit team.",
        Key::PlanIntro => "Werk samen het stappenplan van jullie buurtactie af.",
        Key::PlanEmpty => "Er is nog geen project gestart.",
        Key::MeetingsIntro => {
            "Bespreek de voortgang in het teamoverleg en leg besluiten en acties vast."
        }
        Key::MeetingsEmpty => "Er zijn nog geen overleggen vastgelegd.",
        Key::DashboardIntro => {
            "Hoeveel huishoudens zijn bereikt, en hoe dicht zijn jullie bij het doel?"
        }
        Key::DashboardEmpty => "Nog geen gesprekken om te tellen.",
    }
}
