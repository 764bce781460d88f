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
        Key::Loading => "Gegevens laden…",
        Key::StorageUnavailable => {
            "Deze browser laat Buurtbel geen gegevens bewaren ({}). Open de app in een gewoon (niet privé) venster."
        }
        Key::SetupTitle => "Welkom bij Buurtbel",
        Key::SetupIntro => {
            "Doe mee met je buurtteam met de code die je van een teamgenoot kreeg, of begin zelf een nieuw team."
        }
        Key::JoinTitle => "Meedoen met een team",
        Key::InviteCode => "Uitnodigingscode",
        Key::YourName => "Je naam",
        Key::JoinButton => "Meedoen",
        Key::StartTitle => "Een nieuw team beginnen",
        Key::TeamName => "Naam van het team",
        Key::Neighbourhood => "Buurt",
        Key::StartButton => "Team beginnen",
        Key::Busy => "Even geduld…",
        Key::FieldRequired => "Vul dit veld in.",
        Key::ErrOffline => "Geen verbinding met de server. Probeer het opnieuw als je bereik hebt.",
        Key::ErrInvalidInvite => {
            "Deze code klopt niet, is verlopen of is al gebruikt. Vraag je teamgenoot om een nieuwe."
        }
        Key::ErrRateLimited => "Te veel pogingen. Wacht een minuut en probeer het opnieuw.",
        Key::ErrForbidden => "Deze server staat dat niet toe ({}).",
        Key::ErrInvalid => "Controleer je invoer: {}",
        Key::ErrServer => "Er ging iets mis op de server ({}). Probeer het later opnieuw.",
        Key::StatusLabel => "Synchronisatie: tik om nu te synchroniseren",
        Key::StatusNever => "Nog niet gesynchroniseerd",
        Key::StatusSyncing => "Synchroniseren…",
        Key::StatusOffline => "Offline",
        Key::StatusWaitingOne => "1 wijziging wacht",
        Key::StatusWaitingMany => "{} wijzigingen wachten",
        Key::StatusSynced => "Bijgewerkt {}",
        Key::StatusError => "Synchroniseren mislukt",
        Key::StatusRemoved => "Verwijderd uit team",
        Key::RemovedTitle => "Dit apparaat is uit het team verwijderd",
        Key::RemovedBody => {
            "De gegevens blijven op deze telefoon staan tot je ze zelf verwijdert. Wijzigingen die nog niet verstuurd waren, kunnen niet meer naar het team."
        }
        Key::RemovedForget => "Gegevens van deze telefoon verwijderen",
        Key::NoticeNearlyFull => {
            "De opslag van deze telefoon is bijna vol. Maak ruimte vrij, anders kan Buurtbel straks niets meer bewaren."
        }
        Key::NoticeFull => {
            "De opslag is vol: je laatste wijzigingen staan alleen in het geheugen. Sluit de app niet en maak ruimte vrij; ze worden bewaard zodra dat kan."
        }
        Key::NoticeSaveFailed => {
            "Opslaan lukte niet ({}). Je wijzigingen staan in het geheugen en worden opnieuw bewaard."
        }
        Key::NoticeUnreadable => {
            "{} opgeslagen gegevens waren onleesbaar en worden opnieuw van de server gehaald."
        }
        Key::NoticeSession => {
            "De teamgegevens op deze telefoon zijn onleesbaar ({}). Doe opnieuw mee met je team."
        }
        Key::TeamMembers => "Teamleden",
        Key::You => "jij",
        Key::NoRole => "Nog geen rol",
        Key::YourRoles => "Jouw rollen",
        Key::TeamMissing => "Het team mist nog: {}",
        Key::TeamComplete => "Alle drie de rollen zijn bezet.",
        Key::RoleExpert => "Inhoudelijk expert",
        Key::RoleConnector => "Verbinder",
        Key::RoleDriver => "Ondernemer",
        Key::InviteTitle => "Teamgenoten uitnodigen",
        Key::InviteShow => "Geef deze code door: {}",
        Key::InviteNew => "Nieuwe uitnodigingscode",
        Key::DeviceTitle => "Deze telefoon",
        Key::StorageUsage => "Buurtbel gebruikt {} MB van de {} MB die de browser toestaat.",
        Key::StoragePersisted => {
            "De browser bewaart de gegevens, ook als de telefoon ruimte nodig heeft."
        }
        Key::StorageNotPersisted => {
            "De browser kan de gegevens wissen als de telefoon ruimte nodig heeft. Zet Buurtbel op je beginscherm en synchroniseer geregeld."
        }
        Key::StatusWiped => "Gewist",
        Key::NoticeWiped => "Deze telefoon is uit het team gehaald en de gegevens zijn gewist.",
        Key::ErrFieldEmpty => "{}: vul dit in.",
        Key::ErrFieldTooLong => "{}: te lang, hoogstens {} tekens.",
        Key::ErrFieldRange => "{}: kies een getal van {} tot en met {}.",
        Key::ErrFieldTooMany => "{}: te veel, hoogstens {}.",
        Key::ErrFieldDate => "{}: kies een datum tussen 2000 en 2100.",
        Key::ErrFieldFormat => "{}: dit klopt niet, kijk het nog eens na.",
        Key::ErrFieldControl => "{}: bevat onzichtbare tekens; typ het opnieuw.",
        Key::ErrClock => {
            "De klok van deze telefoon loopt niet goed; er is niets opgeslagen. Zet de tijd goed en probeer het opnieuw."
        }
        Key::GoneAddress => "Dit adres staat niet meer op de looplijst; er is niets opgeslagen.",
        Key::GoneProject => "Dit project bestaat niet meer; er is niets opgeslagen.",
        Key::GoneStep => "Deze stap staat niet meer in het plan; er is niets opgeslagen.",
        Key::GoneMember => "Deze ambassadeur zit niet meer in het team; er is niets opgeslagen.",
        Key::GoneMeeting => "Dit overleg bestaat niet meer; er is niets opgeslagen.",
        Key::GoneVisit => "Dit gesprek is al ongedaan gemaakt; er is niets opgeslagen.",
        Key::GoneFollowUp => "Deze opvolging bestaat niet meer; er is niets opgeslagen.",
        Key::GoneConsent => "Deze toestemming is niet bekend; er is niets opgeslagen.",
        Key::GoneDecision => "Dit besluit is al verwijderd; er is niets opgeslagen.",
        Key::GoneActionItem => "Deze actie bestaat niet meer; er is niets opgeslagen.",
        Key::FieldStreet => "Straat",
        Key::FieldNumber => "Huisnummer",
        Key::FieldLetter => "Huisletter",
        Key::FieldAddition => "Toevoeging",
        Key::FieldPostcode => "Postcode",
        Key::FieldName => "Naam",
        Key::FieldPhone => "Telefoonnummer",
        Key::FieldEmail => "E-mailadres",
        Key::FieldNote => "Notitie",
        Key::FieldTitle => "Titel",
        Key::FieldText => "Tekst",
        Key::FieldPledge => "Toezegging",
        Key::FieldDate => "Datum",
        Key::FieldTarget => "Doel",
        Key::FieldOther => "Invoer",
        Key::InviteAllows => "Deze code werkt tot {} en voor hoogstens {} nieuwe teamleden.",
        Key::InviteExpired => "Deze code werkt niet meer; maak een nieuwe.",
    }
}
