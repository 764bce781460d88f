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
        Key::WalkEmpty => {
            "Nog geen adressen. Voeg een straat toe of lees een bestand met adressen in."
        }
        Key::TeamIntro => {
            "Een buurtteam heeft een inhoudelijk expert, een verbinder en een ondernemer nodig."
        }
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
        Key::JoinInvitedTo => "Je bent uitgenodigd voor het team {} in {}.",
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
        Key::StreetsTitle => "Wie loopt waar",
        Key::StreetsIntro => {
            "Elke kant van een straat heeft één loper. Wie er een krijgt, vindt hem in de looplijst onder ‘Mijn straten’."
        }
        Key::Nobody => "Nog niemand",
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
        Key::LeaveRefused => {
            "Je kunt nog niet vertrekken: een team houdt minstens één beheerder. Maak eerst iemand anders beheerder."
        }
        Key::LeaveWaiting => "Je verlaat het team zodra deze telefoon verbinding heeft.",
        Key::LeaveConfirm => {
            "Je verlaat {}. Wat je vastlegde blijft bij het team; deze telefoon wist de gegevens van het team. Zeker weten?"
        }
        Key::LeaveButton => "Dit team verlaten",
        Key::LeaveTitle => "Team verlaten",
        Key::NoticeLeft => {
            "Je hebt het team verlaten; de gegevens van het team zijn van deze telefoon gewist."
        }
        Key::DevicesLoad => "Apparaten ophalen",
        Key::CoachesTitle => "Meekijken",
        Key::CoachesIntro => {
            "Een buurtbegeleider van je organisatie kan meekijken en helpen als jullie vastlopen. Die ziet alleen cijfers: geen adressen, bewoners, notities of contactgegevens."
        }
        Key::CoachesNone => "Niemand kijkt mee.",
        Key::CoachLine => "Meekijken: {}, buurtbegeleider · {}",
        Key::CoachEnd => "Meekijken van {} beëindigen",
        Key::CoachCode => "Code van je buurtbegeleider",
        Key::CoachGrant => "Laten meekijken",
        Key::CoachUnknown => {
            "Geen buurtbegeleider met deze code. Kijk of je hem goed hebt overgenomen."
        }
        Key::ThisDevice => "dit apparaat",
        Key::AdminTag => "beheerder",
        Key::MakeAdmin => "Beheerder maken",
        Key::ConfirmYes => "Ja, doorgaan",
        Key::DeviceConfirmLost => {
            "Het apparaat van {} intrekken als kwijt? Bij de volgende verbinding wist het alle gegevens van het team."
        }
        Key::DeviceConfirm => {
            "Het apparaat van {} intrekken? Het kan daarna niet meer synchroniseren."
        }
        Key::DeviceRevokeLost => "Kwijt: intrekken en wissen",
        Key::DeviceRevoke => "Intrekken",
        Key::DeviceLost => {
            "ingetrokken als kwijt: het wist de gegevens van het team zodra het verbinding maakt"
        }
        Key::DeviceRevoked => "ingetrokken",
        Key::DeviceSeen => "laatst gezien {}",
        Key::DevicesTitle => "Apparaten van het team",
        Key::RoleNeeded => "Nog een {} nodig",
        Key::RoleThin => "Bezet; liefst twee per rol",
        Key::RoleFilled => "Bezet",
        Key::ReadinessTitle => "Klaar om te starten?",
        Key::CandidatesTitle => "Kandidaten voor het team",
        Key::CandidateRoles => "{}: wil in het team, als {}",
        Key::CandidateAnyRole => "{}: wil in het team",
        Key::InviteLink => {
            "Of stuur deze link; wie hem opent, hoeft alleen nog een naam in te vullen:"
        }
        Key::InviteShare => "Uitnodiging delen",
        Key::InviteCopied => "Link gekopieerd",
        Key::InviteShareText => "Doe mee met buurtteam {} in Buurtbel:",
        Key::DeviceTitle => "Deze telefoon",
        Key::RefusedTitle => "Niet verstuurd",
        Key::RefusedHint => {
            "De server van het team heeft deze wijzigingen geweigerd. Ze staan alleen op deze telefoon en tellen nergens mee."
        }
        Key::RefusedForbidden => "Alleen een beheerder van het team mag dit.",
        Key::RefusedInvalid => {
            "Het team heeft niet (meer) waar dit over gaat, of de gegevens kloppen niet."
        }
        Key::RefusedConflict => "De server heeft al een andere wijziging onder dezelfde code.",
        Key::RefusedOther => "De server weigerde deze wijziging.",
        Key::Discard => "Weggooien",
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
        Key::GoneGuideItem => {
            "Dit onderdeel van de gids bestaat niet meer; er is niets opgeslagen."
        }
        Key::GoneQuestion => "Deze vraag bestaat niet meer; er is niets opgeslagen.",
        Key::GoneAdvice => "Dit advies bestaat niet; er is niets opgeslagen.",
        Key::TipTitle => "Tip van je buurtbegeleider",
        Key::TipWholeTeam => "Voor het hele team",
        Key::TipHandled => "Afgehandeld",
        Key::TipHandledFor => "Afgehandeld: {}",
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
        Key::InvitesTitle => "Open uitnodigingen",
        Key::InviteOpen => "Geldig tot {} · {} van {} gebruikt",
        Key::InvitesNone => "Geen open uitnodigingen.",
        Key::InviteEnd => "Beëindigen",
        Key::InvitesEnded => {
            "Alle open uitnodigingen zijn beëindigd: wie de code kende, komt er niet meer mee in. Maak een nieuwe als iemand nog moet aansluiten."
        }
        Key::AddAddresses => "Adressen toevoegen",
        Key::FilterLabel => "Filter",
        Key::FilterAll => "Alle",
        Key::FilterNotVisited => "Nog niet geweest",
        Key::FilterNotHome => "Niet thuis",
        Key::FilterInterested => "Geïnteresseerd",
        Key::FilterFollowUp => "Opvolgen",
        Key::FilterMine => "Mijn straten",
        Key::NoStreetsYet => {
            "Je loopt nog geen straat. Kies er een op de teampagina, bij ‘Wie loopt waar’."
        }
        Key::StreetLabel => "Straat",
        Key::StreetAll => "Alle straten",
        Key::JumpLabel => "Spring naar nummer",
        Key::JumpButton => "Ga",
        Key::JumpPlaceholder => "Nr.",
        Key::JumpNotFound => "Nummer {} staat niet in deze lijst.",
        Key::DoorsLeft => "{} · {} · nog {} te gaan",
        Key::SideOdd => "oneven",
        Key::SideEven => "even",
        Key::NotHomeButton => "Niet thuis",
        Key::NotHomeAt => "Niet thuis, {}",
        Key::NotHomeLogged => "Niet thuis vastgelegd: {}",
        Key::Undo => "Ongedaan maken",
        Key::Undone => "Ongedaan gemaakt",
        Key::Select => "Selecteer",
        Key::SelectDone => "Klaar",
        Key::BulkNotHome => "Niet thuis ({})",
        Key::BulkLogged => "Niet thuis vastgelegd bij {} deuren",
        Key::NoMatches => "Geen adressen bij dit filter.",
        Key::FollowUpBadge => "Opvolgen",
        Key::NeverVisited => "Nog niet geweest",
        Key::DoNotVisitRow => "Niet meer aanbellen",
        Key::FollowUpsLink => "Opvolgen ({})",
        Key::OpenDoor => "{}: {}. Gesprek vastleggen",
        Key::OutcomeNotHome => "Niet thuis",
        Key::OutcomeNotInterested => "Geen interesse",
        Key::OutcomeDoNotVisit => "Niet meer aanbellen",
        Key::OutcomeInterested => "Geïnteresseerd",
        Key::OutcomeJoins => "Doet mee",
        Key::OutcomeWantsInformation => "Wil informatie",
        Key::OutcomeComeBackLater => "Later terugkomen",
        Key::OutcomeWantsToJoinTeam => "Wil in het team",
        Key::InterestNone => "Nee",
        Key::InterestMaybe => "Misschien",
        Key::InterestInterested => "Geïnteresseerd",
        Key::InterestJoins => "Doet mee",
        Key::FollowUpRevisit => "Langsgaan",
        Key::FollowUpSendInformation => "Informatie brengen",
        Key::FollowUpInvite => "Uitnodigen",
        Key::FollowUpContact => "Bellen of berichten",
        Key::PurposeProjectUpdates => "Nieuws over het project",
        Key::PurposeMeetingInvitations => "Uitnodigingen voor buurtbijeenkomsten",
        Key::PurposeTeamRecruitment => "Meedoen in het buurtteam",
        Key::ChannelEmail => "E-mail",
        Key::ChannelPhone => "Bellen",
        Key::ChannelMessage => "Berichtje",
        Key::ChannelLetterbox => "Briefje in de bus",
        Key::UnitHouseholds => "huishoudens",
        Key::UnitEuros => "euro",
        Key::UnitPanels => "panelen",
        Key::UnitSquareMetres => "m²",
        Key::UnitParticipants => "deelnemers",
        Key::VisitKicker => "Gesprek aan de deur",
        Key::Close => "Sluiten",
        Key::QuickTitle => "Meteen vastleggen",
        Key::MoreTitle => "Of kies wat er gezegd is",
        Key::InterestFor => "Interesse in {}",
        Key::PledgeFor => "Toezegging voor {} (in {})",
        Key::PledgeInvalid => "Vul een heel getal in, of laat het leeg.",
        Key::JoinTeamRoles => "In welke rol? (mag leeg blijven)",
        Key::NoteLabel => "Notitie",
        Key::NoteHint => "Geen gevoelige gegevens (gezondheid, geloof, politiek).",
        Key::FollowUpLabel => "Opvolging",
        Key::FollowUpNone => "Geen",
        Key::FollowUpDate => "Wanneer",
        Key::FollowUpDateNeeded => "Kies wanneer je terugkomt.",
        Key::ConsentSwitch => "Bewoner geeft toestemming om contact op te nemen",
        Key::ConsentPurposes => "Waarvoor?",
        Key::ConsentChannels => "Hoe?",
        Key::ConsentNeedsChoice => "Kies waarvoor en hoe.",
        Key::ConsentNeedsContact => {
            "Vul het telefoonnummer of e-mailadres in dat bij de gekozen manier hoort."
        }
        Key::ResidentName => "Naam bewoner",
        Key::ResidentPhone => "Telefoonnummer",
        Key::ResidentEmail => "E-mailadres",
        Key::Save => "Opslaan",
        Key::Saved => "Gesprek vastgelegd: {}",
        Key::ChooseOutcome => "Kies eerst wat er gezegd is.",
        Key::HistoryTitle => "Geschiedenis",
        Key::NoVisits => "Nog geen gesprekken.",
        Key::RetractedMark => "ongedaan gemaakt",
        Key::VisitBy => "{} · {}",
        Key::ConsentsTitle => "Toestemmingen",
        Key::Withdraw => "Intrekken",
        Key::WithdrawnAt => {
            "Ingetrokken op {}. Naam en contactgegevens worden niet meer getoond; wil de bewoner dat alles weg is, wis dan hieronder de gegevens van de bewoner."
        }
        Key::ErasedConsent => "Beëindigd op {}: de gegevens van de bewoner zijn gewist.",
        Key::WithdrawnDone => "Toestemming ingetrokken",
        Key::OpenFollowUp => "Opvolging: {} {}",
        Key::AsSoonAsPossible => "zo snel mogelijk",
        Key::FollowUpDone => "Gedaan",
        Key::FollowUpCancel => "Vervalt",
        Key::FollowUpClosed => "Opvolging afgesloten",
        Key::ResolvedDone => "Opvolging gedaan, door {}",
        Key::ResolvedCancelled => "Opvolging vervallen, door {}",
        Key::LogVisit => "Gesprek vastleggen",
        Key::CorrectAddress => "Adres corrigeren",
        Key::SaveCorrection => "Correctie opslaan",
        Key::Corrected => "Adres gecorrigeerd",
        Key::NoChange => "Er is niets veranderd.",
        Key::MarkDoNotVisit => "Niet meer aanbellen",
        Key::MarkVisitAgain => "Weer aanbellen",
        Key::PrivacyTitle => "Privacy",
        Key::EraseResident => "Gegevens van de bewoner wissen",
        Key::EraseConfirm => {
            "Dit wist op elke telefoon van het team de namen, telefoonnummers en e-mailadressen ({}) en de notities ({}) van dit adres. Dat er gesprekken waren blijft staan. Dit kan niet ongedaan worden gemaakt."
        }
        Key::EraseYes => "Ja, wissen",
        Key::EraseNo => "Niet wissen",
        Key::Erased => "Gegevens van de bewoner gewist",
        Key::BackToList => "Terug naar de looplijst",
        Key::AddressGone => "Dit adres staat niet (meer) op de looplijst.",
        Key::AddIntro => {
            "Voeg één adres toe, een hele straat of reeks, of een bestand met adressen."
        }
        Key::RangeTitle => "Een straat of reeks",
        Key::RangeLabel => "Huisnummers",
        Key::RangeHint => "Bijvoorbeeld 1-45 oneven, 2-30 even, 12a-12d, 12-1 of 12 bis.",
        Key::FileTitle => "Een bestand (CSV)",
        Key::FileHint => {
            "Een export uit een spreadsheet met de kolommen straat, huisnummer, huisletter, toevoeging en postcode, in elke volgorde."
        }
        Key::FileChoose => "Kies een bestand",
        Key::Preview => "Bekijken",
        Key::AddCount => "{} adressen toevoegen",
        Key::AddCountOne => "{} adres toevoegen",
        Key::AddedCount => "{} adressen toegevoegd",
        Key::AddedCountOne => "{} adres toegevoegd",
        Key::PreviewNew => "{} nieuw",
        Key::PreviewThere => "{} staan er al",
        Key::PreviewThereOne => "{} staat er al",
        Key::PreviewTwice => "{} dubbel in het bestand",
        Key::PreviewBad => "{} regels kloppen niet",
        Key::PreviewBadOne => "{} regel klopt niet",
        Key::LineProblem => "Regel {}: {}",
        Key::LineTwice => "Regel {}: staat ook op regel {}",
        Key::LineThere => "Regel {}: {} staat er al",
        Key::LineNoStreet => "geen straat",
        Key::LineNoNumber => "geen huisnummer",
        Key::LineBadNumber => "huisnummer \"{}\" is geen getal",
        Key::LineBadLetter => "huisletter \"{}\" is geen enkele letter",
        Key::LineBadAddition => "toevoeging \"{}\" is te lang of heeft vreemde tekens",
        Key::LineBadPostcode => "postcode \"{}\" klopt niet",
        Key::LineTooFewFields => "te weinig kolommen",
        Key::FileEmpty => "Het bestand is leeg.",
        Key::FileMissing => {
            "Het bestand mist de kolom(men) {}. Staan de kolomnamen op de eerste regel, gescheiden door ; of ,?"
        }
        Key::FileTooLong => "Het bestand heeft {} regels; hoogstens 20.000 per keer.",
        Key::FileUnreadable => "Het bestand kan niet gelezen worden.",
        Key::RangeEmpty => "Vul huisnummers in.",
        Key::RangeNotUnderstood => "\"{}\" is geen huisnummer of reeks.",
        Key::RangeBadLetters => {
            "\"{}\": de letters horen bij één nummer en lopen op, zoals 12a-12d."
        }
        Key::RangeTooMany => "Dat zijn {} huizen; hoogstens 2.000 per keer.",
        Key::AddressThere => "Dit adres staat er al.",
        Key::ViewIt => "Bekijk het",
        Key::Cancel => "Annuleren",
        Key::FollowUpsTitle => "Opvolgen",
        Key::FollowUpsIntro => "Wie wil dat je terugkomt, belt of informatie brengt?",
        Key::Overdue => "Te laat",
        Key::DueToday => "Vandaag",
        Key::DueThisWeek => "Deze week",
        Key::DueLater => "Later",
        Key::FollowUpsEmpty => "Niets op te volgen.",
        Key::LoggedBy => "vastgelegd door {}",
        Key::ProjectLabel => "Project",
        Key::NewProject => "Nieuw project",
        Key::ThemeLabel => "Thema",
        Key::TargetUnit => "Eenheid",
        Key::StartProject => "Project starten",
        Key::ProjectReady => "Klaar om te starten: elke rol is bezet.",
        Key::ProjectNotReady => "Nog niet klaar om te starten. Nog nodig: {}.",
        Key::ToTeam => "Naar het team",
        Key::TargetProgress => "{} van {} {}",
        Key::RemoveProject => "Project verwijderen",
        Key::RemoveProjectConfirm => {
            "Het project en zijn stappenplan verdwijnen voor het hele team. De gesprekken aan de deur blijven. Verwijderen?"
        }
        Key::PhaseCount => "{} van {} klaar",
        Key::DueBy => "uiterlijk {}",
        Key::StepDoneBy => "afgevinkt door {} op {}",
        Key::StepSkipped => "overgeslagen",
        Key::PaperLink => "Papieren lijst",
        Key::PaperTitle => "Papieren looplijst",
        Key::PaperIntro => {
            "Voor een regenachtige avond of een lege accu: druk een straat af op A4, zet aan elke deur een kruisje, en tik de lijst daarna hier over, ook zonder bereik."
        }
        Key::PaperHead => "{} · {} · Datum: ______________ · Gelopen door: ______________",
        Key::PaperNumber => "Nr.",
        Key::PaperBox => "{}, {}",
        Key::PaperWalkedOn => "Gelopen op",
        Key::PaperSave => "{} deuren opslaan",
        Key::PaperSaveOne => "{} deur opslaan",
        Key::PaperSaved => "{} deuren van de papieren lijst opgeslagen",
        Key::PaperSavedOne => "{} deur van de papieren lijst opgeslagen",
        Key::PaperDateInvalid => "Vul de datum in waarop de lijst gelopen is.",
        Key::EvidenceLine => "{} van {} {}",
        Key::EvidenceMet => "doel bereikt",
        Key::EvidenceConfirm => "Het doel is nog niet bereikt ({}). Toch afvinken?",
        Key::TickAnyway => "Toch afvinken",
        Key::StepDetails => "Details van {}",
        Key::OwnerLabel => "Wie pakt het op",
        Key::OwnerNobody => "Nog niemand",
        Key::DueLabel => "Klaar uiterlijk",
        Key::SkipStep => "Overslaan: niet nodig in dit project",
        Key::MoveUp => "Omhoog",
        Key::MoveDown => "Omlaag",
        Key::RemoveStep => "Stap verwijderen",
        Key::AddStep => "Stap toevoegen",
        Key::PhaseLabel => "Fase",
        Key::ThemeAed => "AED in de buurt",
        Key::ThemeSolar => "Zonnepanelen",
        Key::ThemeInsulation => "Isolatie",
        Key::ThemeGreening => "Vergroenen",
        Key::ThemeOther => "Leeg plan",
        Key::PhaseInitiate => "Initiëren",
        Key::PhaseActivate => "Activeren",
        Key::PhaseStructure => "Structureren",
        Key::PhaseGrow => "Groeien",
        Key::PhaseConsolidate => "Bestendigen",
        Key::MeasureReached => "huishoudens bereikt",
        Key::MeasureInterested => "huishoudens geïnteresseerd",
        Key::MeasureJoined => "huishoudens doen mee",
        Key::MeasurePledgedHouseholds => "huishoudens met een toezegging",
        Key::MeasurePledgedAmount => "toegezegd",
        Key::MeasureNewMembers => "nieuwe teamleden",
        Key::MeasureConsents => "huishoudens met toestemming",
        Key::MeetingDefaultTitle => "Teamoverleg {}",
        Key::MeetingLabel => "Overleg",
        Key::NewMeeting => "Nieuw overleg",
        Key::MeetingTitleHint => "Mag leeg blijven.",
        Key::StartMeeting => "Overleg starten",
        Key::Present => "Aanwezig",
        Key::SinceTitle => "Sinds het vorige overleg",
        Key::SinceVisits => "{} gesprekken aan de deur",
        Key::SinceReached => "{} huishoudens voor het eerst bereikt",
        Key::SinceInterested => "{}: {} geïnteresseerd",
        Key::SinceToward => "{} {} richting het doel",
        Key::SinceCandidates => "{} nieuwe kandidaten voor het team",
        Key::SinceSteps => "{} stappen afgevinkt",
        Key::AgendaTitle => "Agenda",
        Key::AgendaSteps => "Open en te late stappen",
        Key::AgendaActions => "Open acties",
        Key::AgendaCandidates => "Nieuwe aanmeldingen voor het team",
        Key::StreetsLine => "{}: {} · nog {} te gaan",
        Key::IntroLine => "{} ({}), voorgesteld door {}",
        Key::IntroInvited => "uitgenodigd",
        Key::IntroInvite => "Uitnodigen",
        Key::IntroInviteName => "{} uitnodigen",
        Key::IntroRemoveName => "{} weghalen",
        Key::OrgPlans => "Stappenplannen van je organisatie",
        Key::PlanOffer => {
            "Je organisatie heeft het stappenplan van dit project bijgewerkt: {} nieuw, {} gewijzigd. Wat jullie zelf aanpasten of weghaalden, blijft zo."
        }
        Key::PlanOfferTake => "Overnemen",
        Key::PlanOfferLater => "Niet nu",
        Key::PlanOfferTaken => "Het stappenplan is bijgewerkt.",
        Key::NothingOpen => "Niets open.",
        Key::NothingNew => "Niets nieuws.",
        Key::DecisionsTitle => "Besluiten",
        Key::ActionsTitle => "Acties",
        Key::ActionDone => "klaar",
        Key::MinutesCopied => "Verslag gekopieerd",
        Key::ShareMinutes => "Delen",
        Key::PrintMinutes => "Afdrukken",
        Key::Remove => "Verwijderen",
        Key::DecisionLabel => "Besluit",
        Key::AddDecision => "Besluit vastleggen",
        Key::ActionLabel => "Actie",
        Key::AddAction => "Actie toevoegen",
        Key::FunnelReached => "Bereikt",
        Key::FunnelInterested => "Geïnteresseerd",
        Key::FunnelJoined => "Doen mee",
        Key::FunnelPledged => "Toegezegd",
        Key::ChartPerMember => "Gesprekken per ambassadeur, {} in totaal",
        Key::ChartPerStreet => "Bereikte huishoudens per straat",
        Key::ChartFunnel => "Trechter van {}: van alle huishoudens",
        Key::HouseholdsTitle => "Huishoudens bereikt",
        Key::ReachedOf => "{} van {} huishoudens bereikt ({}%)",
        Key::PerMemberTitle => "Per ambassadeur",
        Key::PerStreetTitle => "Per straat",
        Key::ToFollowUps => "Naar opvolgen",
        Key::FollowUpsSummary => "{} te laat, {} vandaag, {} deze week, {} later",
        Key::SettingsTitle => "Instellingen",
        Key::SettingsIntro => "Taal, deze telefoon, gegevens exporteren en privacy.",
        Key::LanguageTitle => "Taal",
        Key::SyncNow => "Nu synchroniseren",
        Key::ExportTitle => "Exporteren",
        Key::ExportHint => {
            "CSV-bestanden voor een spreadsheet, alleen voor het team. Namen en contactgegevens van bewoners staan er niet in."
        }
        Key::ExportAddresses => "Adressen",
        Key::ExportVisits => "Gesprekken aan de deur",
        Key::ExportPlan => "Stappenplan",
        Key::EraseHowTo => {
            "Wil een bewoner dat zijn gegevens verdwijnen? Open het adres in de looplijst en kies ‘Gegevens van de bewoner wissen’. Het wissen bereikt elke telefoon van het team."
        }
        Key::ToWalkList => "Naar de looplijst",
        Key::Yes => "ja",
        Key::No => "nee",
        Key::ColVisits => "Bezoeken",
        Key::ColLastOutcome => "Laatste uitkomst",
        Key::ColLastVisit => "Laatste bezoek",
        Key::ColDoNotVisit => "Niet meer aanbellen",
        Key::ColWhen => "Wanneer",
        Key::ColHouse => "Huisnummer",
        Key::ColOutcome => "Uitkomst",
        Key::ColBy => "Door",
        Key::ColInterestIn => "Interesse {}",
        Key::ColPledgeFor => "Toezegging {}",
        Key::ColJoinTeam => "Wil in het team",
        Key::ColStep => "Stap",
        Key::ColDone => "Afgevinkt op",
        Key::ColDoneBy => "Afgevinkt door",
        Key::ColSkipped => "Overgeslagen",
        Key::ColEvidence => "Stand aan de deur",
        Key::InviteQr => {
            "QR-code met de uitnodigingslink: laat hem scannen met de camera van een andere telefoon"
        }
        Key::SinceVisitsOne => "1 gesprek aan de deur",
        Key::SinceCandidatesOne => "1 nieuwe kandidaat voor het team",
        Key::SinceStepsOne => "1 stap afgevinkt",
        Key::UpdateReady => "Nieuwe versie beschikbaar",
        Key::UpdateNow => "Vernieuwen",
        Key::InstallTitle => "Op je beginscherm zetten",
        Key::InstallWhy => {
            "Als app op je beginscherm opent Buurtbel ook zonder bereik en blijven je gegevens bewaard. Safari kan de gegevens van een website wissen als je die zeven dagen niet hebt geopend."
        }
        Key::InstallButton => "Installeren",
        Key::InstallIosShare => "Tik in Safari op de deelknop",
        Key::InstallIosAdd => "Kies ‘Zet op beginscherm’ en tik op ‘Voeg toe’",
        Key::InstallIosOpen => "Open Buurtbel voortaan met het icoon op je beginscherm",
        Key::GuideTitle => "Gids voor aan de deur",
        Key::GuideIntro => {
            "Wat je zegt en wat buren vaak vragen, per project. Werkt ook zonder bereik."
        }
        Key::GuideSearch => "Zoeken in de gids",
        Key::GuideOwners => "Van de inhoudelijk experts: {}",
        Key::GuideNoExpert => {
            "Nog geen inhoudelijk expert in het team: iedereen kan de gids aanvullen."
        }
        Key::GuideEdit => "Bewerken",
        Key::GuideDoneEditing => "Klaar met bewerken",
        Key::GuideNoMatch => "Niets gevonden in deze gids.",
        Key::GuideEmpty => "Deze gids is nog leeg.",
        Key::GuideDraft => "concept",
        Key::GuideOpening => "Opening",
        Key::GuideKeyPoint => "Kernpunt",
        Key::GuideQuestion => "Vraag",
        Key::GuideAnswer => "Antwoord",
        Key::GuideAdd => "Toevoegen aan de gids",
        Key::GuideKindLabel => "Soort",
        Key::GuideLink => "Gids",
        Key::FlyerLink => "Flyer",
        Key::OpenQuestionsTitle => "Open vragen van de deur",
        Key::AnswerIntoGuide => "Ook in de gids zetten",
        Key::AnswerQuestion => "Beantwoorden",
        Key::FlyerTitle => "Flyer voor de brievenbus",
        Key::FlyerIntro => "Voor de deuren waar niemand thuis was. Druk af op A5.",
        Key::FlyerWhen => "Buurtbijeenkomst",
        Key::FlyerContact => "Contact",
        Key::FlyerKicker => "Van je buren uit het buurtteam",
        Key::FlyerNote => "We kwamen langs, maar je was niet thuis. We komen graag nog eens terug.",
        Key::QuestionLabel => "Vraag die ik niet kon beantwoorden",
        Key::QuestionHint => {
            "Eén regel voor het team. Het adres gaat mee als de bewoner toestemming gaf voor informatie over het project."
        }
        Key::FlyerLeft => "Niet thuis, flyer achtergelaten",
        Key::FlyerMark => "flyer",
        Key::AnsweredOnline => "Aangemeld",
        Key::ViaPage => "de buurtpagina",
        Key::SinceOnlineOne => "1 antwoord via de buurtpagina",
        Key::SinceOnline => "{} antwoorden via de buurtpagina",
        Key::ProposalsTitle => "Aanmeldingen van adressen die niet op de lijst staan",
        Key::ProposalsIntro => {
            "Buren meldden zich via de buurtpagina vanaf een adres dat niet op jullie lijst staat. Zet het op de lijst, dan telt het mee, of gooi het weg."
        }
        Key::ProposalStreet => "Straat bij {}",
        Key::ProposalAdd => "Op de lijst",
        Key::ProposalDiscard => "Weggooien",
        Key::PageTitle => "Buurtpagina",
        Key::PageIntro => {
            "Buren zonder app antwoorden hier zelf; hun antwoord komt op de looplijst. De QR-code staat ook op de flyer."
        }
        Key::PageOpen => "Buurtpagina openen",
        Key::PageClose => "Buurtpagina sluiten",
        Key::PageClosed => "De buurtpagina is gesloten: er komen geen nieuwe antwoorden binnen.",
        Key::PageQr => "QR-code van de buurtpagina",
        Key::FlyerPage => "Doe mee: scan de code of ga naar",
        Key::UndoVisit => "Ongedaan maken: {}, {}",
        Key::AgendaQuestions => "Open vragen van de deur",
        Key::StorageUsageOnly => {
            "Buurtbel gebruikt {} MB op deze telefoon; de browser zegt niet hoeveel er mag."
        }
        Key::StorageUnknown => {
            "Deze browser zegt niet hoeveel ruimte Buurtbel gebruikt of mag gebruiken."
        }
        Key::StoragePersistUnknown => {
            "Deze browser kan niet beloven de gegevens te bewaren. Zet Buurtbel op je beginscherm en synchroniseer geregeld."
        }
    }
}
