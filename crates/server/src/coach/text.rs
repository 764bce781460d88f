//! The words of the coach's pages, in Dutch (the default) and English (`?lang=en`).

use buurtbel_core::coach::Stuck;
use buurtbel_core::domain::{Phase, Role};

/// Every text of the coach's pages in one language.
pub struct Text {
    /// The resident pages' words in the same language (months, units).
    pub base: &'static crate::resident::text::Text,
    pub title: &'static str,
    pub signed_out: &'static str,
    pub signed_out_intro: &'static str,
    pub your_teams: &'static str,
    pub no_teams: &'static str,
    pub your_code: &'static str,
    pub code_hint: &'static str,
    pub needs_help: &'static str,
    pub on_track: &'static str,
    pub roles: &'static str,
    pub members: &'static str,
    pub member: &'static str,
    pub projects: &'static str,
    pub no_projects: &'static str,
    pub phase: &'static str,
    pub all_done: &'static str,
    pub steps: &'static str,
    pub overdue: &'static str,
    pub of: &'static str,
    pub last_activity: &'static str,
    pub next_meeting: &'static str,
    pub last_meeting: &'static str,
    pub none: &'static str,
    pub open_team: &'static str,
    pub back: &'static str,
    pub weeks_title: &'static str,
    pub week: &'static str,
    pub doors: &'static str,
    pub steps_done: &'static str,
    pub chart_label: &'static str,
    pub colleague: &'static str,
    pub colleague_intro: &'static str,
    pub make_invite: &'static str,
    pub other_device: &'static str,
    pub other_device_intro: &'static str,
    pub make_link: &'static str,
    pub link_made: &'static str,
    pub link_once: &'static str,
    pub sign_out: &'static str,
    pub sign_in_as: &'static str,
    pub sign_in: &'static str,
    pub become_coach: &'static str,
    pub your_name: &'static str,
    pub name_needed: &'static str,
    pub link_gone: &'static str,
    pub link_gone_intro: &'static str,
    pub not_yours: &'static str,
    pub privacy: &'static str,
    pub advice_title: &'static str,
    pub no_advice: &'static str,
    pub whole_team: &'static str,
    pub advice_open: &'static str,
    pub advice_handled: &'static str,
    pub give_advice: &'static str,
    pub advice_hint: &'static str,
    pub advice_about: &'static str,
    pub advice_text: &'static str,
    pub give: &'static str,
    pub advice_empty: &'static str,
    pub advice_long: &'static str,
    pub advice_gone: &'static str,
}

impl Text {
    /// The language `lang` asks for.
    pub fn of(lang: Option<&str>) -> &'static Text {
        if lang == Some("en") { &EN } else { &NL }
    }

    fn nl(&self) -> bool {
        self.base.lang == "nl"
    }

    /// A role's name.
    pub fn role(&self, role: Role) -> &'static str {
        let nl = self.nl();
        match role {
            Role::Expert if nl => "Inhoudelijk expert",
            Role::Expert => "Expert",
            Role::Connector if nl => "Verbinder",
            Role::Connector => "Connector",
            Role::Driver if nl => "Ondernemer",
            Role::Driver => "Driver",
        }
    }

    /// A phase's name.
    pub fn phase_name(&self, phase: Phase) -> &'static str {
        let nl = self.nl();
        match phase {
            Phase::Initiate if nl => "Initiëren",
            Phase::Initiate => "Initiate",
            Phase::Activate if nl => "Activeren",
            Phase::Activate => "Activate",
            Phase::Structure if nl => "Structureren",
            Phase::Structure => "Structure",
            Phase::Grow if nl => "Groeien",
            Phase::Grow => "Grow",
            Phase::Consolidate if nl => "Bestendigen",
            Phase::Consolidate => "Consolidate",
        }
    }

    /// Why a team may be stuck, in a sentence.
    pub fn stuck(&self, stuck: &Stuck) -> String {
        let nl = self.nl();
        match stuck {
            Stuck::Idle { days } if nl => {
                format!("{days} dagen geen stap afgevinkt en geen deur bezocht")
            }
            Stuck::Idle { days } => format!("No step ticked and no door visited for {days} days"),
            Stuck::RoleEmpty { role, days } if nl => {
                format!(
                    "Niemand is {} sinds {days} dagen",
                    self.role(*role).to_lowercase()
                )
            }
            Stuck::RoleEmpty { role, days } => {
                format!(
                    "Nobody has been {} for {days} days",
                    self.role(*role).to_lowercase()
                )
            }
            Stuck::NoProgress { title, weeks, .. } if nl => {
                format!("{title}: {weeks} weken niet dichter bij het doel")
            }
            Stuck::NoProgress { title, weeks, .. } => {
                format!("{title}: no closer to the target for {weeks} weeks")
            }
            Stuck::NoMeeting { days: Some(days) } if nl => {
                format!("{days} dagen geen overleg")
            }
            Stuck::NoMeeting { days: Some(days) } => format!("No meeting for {days} days"),
            Stuck::NoMeeting { days: None } if nl => "Nog nooit overlegd".into(),
            Stuck::NoMeeting { days: None } => "Never met".into(),
        }
    }
}

pub static NL: Text = Text {
    base: &crate::resident::text::NL,
    title: "Buurtbegeleiding",
    signed_out: "Aanmelden als buurtbegeleider",
    signed_out_intro: "Je meldt je aan met de link die je van je organisatie of een collega kreeg. Open die link op dit apparaat.",
    your_teams: "Jouw buurtteams",
    no_teams: "Nog geen team laat je meekijken. Geef een team je code: een beheerder van het team vult die in op de teampagina van de app.",
    your_code: "Jouw code voor teams",
    code_hint: "Een beheerder van een team vult deze code in op de teampagina; het team kan het meekijken altijd beëindigen.",
    needs_help: "Vastgelopen?",
    on_track: "Geen signalen",
    roles: "Rollen",
    members: "leden",
    member: "lid",
    projects: "Projecten",
    no_projects: "Nog geen project",
    phase: "Fase",
    all_done: "alle stappen klaar",
    steps: "stappen klaar",
    overdue: "over de datum",
    of: "van",
    last_activity: "Laatst actief",
    next_meeting: "Volgend overleg",
    last_meeting: "Laatste overleg",
    none: "geen",
    open_team: "Verloop per week",
    back: "Terug naar al je teams",
    weeks_title: "Per week",
    week: "Week van",
    doors: "Deuren bezocht",
    steps_done: "Stappen klaar",
    chart_label: "Deuren per week (staven) en voortgang naar het doel per project (lijnen), de laatste 12 weken",
    colleague: "Een collega uitnodigen",
    colleague_intro: "Een link waarmee een collega buurtbegeleider wordt bij je organisatie. Hij werkt één keer, zeven dagen lang.",
    make_invite: "Uitnodigingslink maken",
    other_device: "Op een ander apparaat",
    other_device_intro: "Een link waarmee je je op een ander apparaat aanmeldt. Hij werkt één keer, zeven dagen lang.",
    make_link: "Aanmeldlink maken",
    link_made: "Je link",
    link_once: "Deze link werkt één keer en zeven dagen lang. Stuur hem alleen aan wie hem moet gebruiken.",
    sign_out: "Afmelden op dit apparaat",
    sign_in_as: "Aanmelden als",
    sign_in: "Aanmelden",
    become_coach: "Buurtbegeleider worden bij",
    your_name: "Je naam (teams zien die als je meekijkt)",
    name_needed: "Vul je naam in.",
    link_gone: "Deze link werkt niet meer",
    link_gone_intro: "Hij is al gebruikt of verlopen. Vraag je organisatie of een collega om een nieuwe.",
    not_yours: "Dit team laat je niet (meer) meekijken.",
    privacy: "Je ziet alleen cijfers: geen adressen, bewoners, notities of contactgegevens.",
    advice_title: "Advies aan het team",
    no_advice: "Je hebt dit team nog geen advies gegeven.",
    whole_team: "Het hele team",
    advice_open: "Nog open",
    advice_handled: "Afgehandeld op",
    give_advice: "Advies geven",
    advice_hint: "Het team ziet je advies als “Tip van je buurtbegeleider” in het plan en op de agenda van het volgende overleg. Noem geen bewoners.",
    advice_about: "Waarover",
    advice_text: "Je advies",
    give: "Advies geven",
    advice_empty: "Schrijf je advies.",
    advice_long: "Je advies is te lang: houd het onder de 2000 tekens.",
    advice_gone: "Dit project of deze stap heeft het team niet (meer). Kies opnieuw.",
};

pub static EN: Text = Text {
    base: &crate::resident::text::EN,
    title: "Buurt coaching",
    signed_out: "Sign in as a buurt coach",
    signed_out_intro: "You sign in with the link your organisation or a colleague gave you. Open that link on this device.",
    your_teams: "Your buurt teams",
    no_teams: "No team lets you look along yet. Give a team your code: one of its admins enters it on the app's team page.",
    your_code: "Your code for teams",
    code_hint: "A team admin enters this code on the team page; the team can end your look along at any time.",
    needs_help: "Stuck?",
    on_track: "No signals",
    roles: "Roles",
    members: "members",
    member: "member",
    projects: "Projects",
    no_projects: "No project yet",
    phase: "Phase",
    all_done: "all steps done",
    steps: "steps done",
    overdue: "past their date",
    of: "of",
    last_activity: "Last active",
    next_meeting: "Next meeting",
    last_meeting: "Last meeting",
    none: "none",
    open_team: "Week by week",
    back: "Back to all your teams",
    weeks_title: "Per week",
    week: "Week of",
    doors: "Doors visited",
    steps_done: "Steps done",
    chart_label: "Doors per week (bars) and progress toward each project's target (lines), the last 12 weeks",
    colleague: "Invite a colleague",
    colleague_intro: "A link that makes a colleague a buurt coach in your organisation. It works once, for seven days.",
    make_invite: "Make an invite link",
    other_device: "On another device",
    other_device_intro: "A link that signs you in on another device. It works once, for seven days.",
    make_link: "Make a sign-in link",
    link_made: "Your link",
    link_once: "This link works once, for seven days. Send it only to whoever must use it.",
    sign_out: "Sign out on this device",
    sign_in_as: "Sign in as",
    sign_in: "Sign in",
    become_coach: "Become a buurt coach at",
    your_name: "Your name (teams see it while you look along)",
    name_needed: "Enter your name.",
    link_gone: "This link no longer works",
    link_gone_intro: "It was used already or has expired. Ask your organisation or a colleague for a new one.",
    not_yours: "This team does not (or no longer) let you look along.",
    privacy: "You see figures only: no addresses, residents, notes or contact details.",
    advice_title: "Advice to the team",
    no_advice: "You have not given this team advice yet.",
    whole_team: "The whole team",
    advice_open: "Still open",
    advice_handled: "Handled on",
    give_advice: "Give advice",
    advice_hint: "The team sees your advice as “Tip from your buurt coach” in its plan and on the next meeting's agenda. Do not name residents.",
    advice_about: "About",
    advice_text: "Your advice",
    give: "Give advice",
    advice_empty: "Write your advice.",
    advice_long: "Your advice is too long: keep it under 2,000 characters.",
    advice_gone: "The team does not have this project or step (any more). Choose again.",
};
