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
        Key::WalkEmpty => "No addresses yet. Add a street or import a file of addresses.",
        Key::TeamIntro => "A buurt team needs a content expert, a connector and a driver.",
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
        Key::Loading => "Loading data…",
        Key::StorageUnavailable => {
            "This browser does not let Buurtbel store data ({}). Open the app in a normal (not private) window."
        }
        Key::SetupTitle => "Welcome to Buurtbel",
        Key::SetupIntro => {
            "Join your buurt team with the code a team mate gave you, or start a new team yourself."
        }
        Key::JoinTitle => "Join a team",
        Key::JoinInvitedTo => "You are invited to the team {} in {}.",
        Key::InviteCode => "Invite code",
        Key::YourName => "Your name",
        Key::JoinButton => "Join",
        Key::StartTitle => "Start a new team",
        Key::TeamName => "Team name",
        Key::Neighbourhood => "Buurt (neighbourhood)",
        Key::StartButton => "Start the team",
        Key::Busy => "One moment…",
        Key::FieldRequired => "Fill in this field.",
        Key::ErrOffline => "No connection to the server. Try again when you have signal.",
        Key::ErrInvalidInvite => {
            "This code is wrong, expired or used up. Ask your team mate for a new one."
        }
        Key::ErrRateLimited => "Too many attempts. Wait a minute and try again.",
        Key::ErrForbidden => "This server does not allow that ({}).",
        Key::ErrInvalid => "Check what you entered: {}",
        Key::ErrServer => "Something went wrong on the server ({}). Try again later.",
        Key::StatusLabel => "Sync: tap to sync now",
        Key::StatusNever => "Not synced yet",
        Key::StatusSyncing => "Syncing…",
        Key::StatusOffline => "Offline",
        Key::StatusWaitingOne => "1 change waiting",
        Key::StatusWaitingMany => "{} changes waiting",
        Key::StatusSynced => "Synced {}",
        Key::StatusError => "Sync failed",
        Key::StatusRemoved => "Removed from team",
        Key::RemovedTitle => "This device was removed from the team",
        Key::RemovedBody => {
            "The data stays on this phone until you remove it. Changes not yet sent can no longer reach the team."
        }
        Key::RemovedForget => "Remove the data from this phone",
        Key::NoticeNearlyFull => {
            "This phone's storage is nearly full. Free some space, or Buurtbel will soon be unable to save."
        }
        Key::NoticeFull => {
            "Storage is full: your latest changes are only in memory. Keep the app open and free some space; they are saved as soon as possible."
        }
        Key::NoticeSaveFailed => {
            "Saving failed ({}). Your changes are in memory and will be saved again."
        }
        Key::NoticeUnreadable => {
            "{} stored records could not be read and are fetched from the server again."
        }
        Key::NoticeSession => {
            "The team details on this phone cannot be read ({}). Join your team again."
        }
        Key::TeamMembers => "Team members",
        Key::StreetsTitle => "Who walks where",
        Key::StreetsIntro => {
            "Each side of a street has one walker. Whoever gets one finds it in the walk list under ‘My streets’."
        }
        Key::Nobody => "Nobody yet",
        Key::You => "you",
        Key::NoRole => "No role yet",
        Key::YourRoles => "Your roles",
        Key::TeamMissing => "The team still needs: {}",
        Key::TeamComplete => "All three roles are filled.",
        Key::RoleExpert => "Content expert",
        Key::RoleConnector => "Connector",
        Key::RoleDriver => "Driver",
        Key::InviteTitle => "Invite team mates",
        Key::InviteShow => "Pass on this code: {}",
        Key::InviteNew => "New invite code",
        Key::LeaveRefused => {
            "You cannot leave yet: a team keeps at least one admin. Make someone else admin first."
        }
        Key::LeaveWaiting => "You leave the team as soon as this phone has a connection.",
        Key::LeaveConfirm => {
            "You leave {}. What you logged stays with the team; this phone deletes the team's data. Sure?"
        }
        Key::LeaveButton => "Leave this team",
        Key::LeaveTitle => "Leave the team",
        Key::NoticeLeft => "You left the team; the team's data was deleted from this phone.",
        Key::DevicesLoad => "Load the devices",
        Key::CoachesTitle => "Looking along",
        Key::CoachesIntro => {
            "A buurt coach from your organisation can look along and help when you get stuck. They see figures only: no addresses, residents, notes or contact details."
        }
        Key::CoachesNone => "Nobody looks along.",
        Key::CoachLine => "Looking along: {}, buurt coach · {}",
        Key::CoachEnd => "End the look along of {}",
        Key::CoachCode => "Your buurt coach's code",
        Key::CoachGrant => "Let them look along",
        Key::CoachUnknown => "No buurt coach has this code. Check that you copied it correctly.",
        Key::ThisDevice => "this device",
        Key::AdminTag => "admin",
        Key::MakeAdmin => "Make admin",
        Key::ConfirmYes => "Yes, go ahead",
        Key::DeviceConfirmLost => {
            "Revoke the device of {} as lost? At its next connection it deletes all of the team's data."
        }
        Key::DeviceConfirm => "Revoke the device of {}? It can no longer sync.",
        Key::DeviceRevokeLost => "Lost: revoke and wipe",
        Key::DeviceRevoke => "Revoke",
        Key::DeviceLost => "revoked as lost: it deletes the team's data as soon as it connects",
        Key::DeviceRevoked => "revoked",
        Key::DeviceSeen => "last seen {}",
        Key::DevicesTitle => "The team's devices",
        Key::RoleNeeded => "Still needs a {}",
        Key::RoleThin => "Filled; two per role is better",
        Key::RoleFilled => "Filled",
        Key::ReadinessTitle => "Ready to start?",
        Key::CandidatesTitle => "Candidates for the team",
        Key::CandidateRoles => "{}: wants to join the team, as {}",
        Key::CandidateAnyRole => "{}: wants to join the team",
        Key::InviteLink => "Or send this link; whoever opens it only has to fill in a name:",
        Key::InviteShare => "Share the invite",
        Key::InviteCopied => "Link copied",
        Key::InviteShareText => "Join buurtteam {} in Buurtbel:",
        Key::DeviceTitle => "This phone",
        Key::RefusedTitle => "Not sent",
        Key::RefusedHint => {
            "The team's server refused these changes. They are on this phone only and count nowhere."
        }
        Key::RefusedForbidden => "Only an admin of the team may do this.",
        Key::RefusedInvalid => {
            "The team does not (or no longer) have what this is about, or the data is not valid."
        }
        Key::RefusedConflict => "The server holds another change under the same code.",
        Key::RefusedOther => "The server refused this change.",
        Key::Discard => "Discard",
        Key::StorageUsage => "Buurtbel uses {} MB of the {} MB the browser allows.",
        Key::StoragePersisted => "The browser keeps the data, even when the phone needs space.",
        Key::StorageNotPersisted => {
            "The browser may clear the data when the phone needs space. Add Buurtbel to your home screen and sync regularly."
        }
        Key::StatusWiped => "Wiped",
        Key::NoticeWiped => "This phone was taken out of the team and its data was wiped.",
        Key::ErrFieldEmpty => "{}: please fill this in.",
        Key::ErrFieldTooLong => "{}: too long, at most {} characters.",
        Key::ErrFieldRange => "{}: choose a number from {} to {}.",
        Key::ErrFieldTooMany => "{}: too many, at most {}.",
        Key::ErrFieldDate => "{}: choose a date between 2000 and 2100.",
        Key::ErrFieldFormat => "{}: this is not right, please check it.",
        Key::ErrFieldControl => "{}: contains invisible characters; please type it again.",
        Key::ErrClock => {
            "This phone's clock is off; nothing was saved. Set the time right and try again."
        }
        Key::GoneAddress => "This address is no longer on the walk list; nothing was saved.",
        Key::GoneProject => "This project no longer exists; nothing was saved.",
        Key::GoneStep => "This step is no longer in the plan; nothing was saved.",
        Key::GoneMember => "This ambassador is no longer in the team; nothing was saved.",
        Key::GoneMeeting => "This meeting no longer exists; nothing was saved.",
        Key::GoneVisit => "This conversation was already undone; nothing was saved.",
        Key::GoneFollowUp => "This follow-up no longer exists; nothing was saved.",
        Key::GoneConsent => "This consent is not known; nothing was saved.",
        Key::GoneDecision => "This decision was already removed; nothing was saved.",
        Key::GoneActionItem => "This action no longer exists; nothing was saved.",
        Key::GoneGuideItem => "This part of the guide no longer exists; nothing was saved.",
        Key::GoneQuestion => "This question no longer exists; nothing was saved.",
        Key::GoneAdvice => "This advice does not exist; nothing was saved.",
        Key::TipTitle => "Tip from your buurt coach",
        Key::TipWholeTeam => "For the whole team",
        Key::TipHandled => "Handled",
        Key::TipHandledFor => "Handled: {}",
        Key::FieldStreet => "Street",
        Key::FieldNumber => "House number",
        Key::FieldLetter => "House letter",
        Key::FieldAddition => "Addition",
        Key::FieldPostcode => "Postcode",
        Key::FieldName => "Name",
        Key::FieldPhone => "Phone number",
        Key::FieldEmail => "E-mail address",
        Key::FieldNote => "Note",
        Key::FieldTitle => "Title",
        Key::FieldText => "Text",
        Key::FieldPledge => "Pledge",
        Key::FieldDate => "Date",
        Key::FieldTarget => "Target",
        Key::FieldOther => "Input",
        Key::InviteAllows => "This code works until {}, for at most {} new team members.",
        Key::InviteExpired => "This code no longer works; make a new one.",
        Key::InvitesTitle => "Open invites",
        Key::InviteOpen => "Valid until {} · {} of {} used",
        Key::InvitesNone => "No open invites.",
        Key::InviteEnd => "End",
        Key::InvitesEnded => {
            "Every open invite has ended: whoever knew a code cannot join with it. Make a new one if someone still needs to join."
        }
        Key::AddAddresses => "Add addresses",
        Key::FilterLabel => "Filter",
        Key::FilterAll => "All",
        Key::FilterNotVisited => "Not visited yet",
        Key::FilterNotHome => "Not home",
        Key::FilterInterested => "Interested",
        Key::FilterFollowUp => "Follow up",
        Key::FilterMine => "My streets",
        Key::NoStreetsYet => {
            "You walk no street yet. Pick one on the team page, under ‘Who walks where’."
        }
        Key::StreetLabel => "Street",
        Key::StreetAll => "All streets",
        Key::JumpLabel => "Jump to number",
        Key::JumpButton => "Go",
        Key::JumpPlaceholder => "No.",
        Key::JumpNotFound => "Number {} is not in this list.",
        Key::DoorsLeft => "{} · {} · {} to go",
        Key::SideOdd => "odd",
        Key::SideEven => "even",
        Key::NotHomeButton => "Not home",
        Key::NotHomeAt => "Not home, {}",
        Key::NotHomeLogged => "Not home logged: {}",
        Key::Undo => "Undo",
        Key::Undone => "Undone",
        Key::Select => "Select",
        Key::SelectDone => "Done",
        Key::BulkNotHome => "Not home ({})",
        Key::BulkLogged => "Not home logged at {} doors",
        Key::NoMatches => "No addresses match this filter.",
        Key::FollowUpBadge => "Follow up",
        Key::NeverVisited => "Not visited yet",
        Key::DoNotVisitRow => "Do not visit",
        Key::FollowUpsLink => "Follow-ups ({})",
        Key::OpenDoor => "{}: {}. Log a conversation",
        Key::OutcomeNotHome => "Not home",
        Key::OutcomeNotInterested => "Not interested",
        Key::OutcomeDoNotVisit => "Do not visit again",
        Key::OutcomeInterested => "Interested",
        Key::OutcomeJoins => "Joins",
        Key::OutcomeWantsInformation => "Wants information",
        Key::OutcomeComeBackLater => "Come back later",
        Key::OutcomeWantsToJoinTeam => "Wants to join the team",
        Key::InterestNone => "No",
        Key::InterestMaybe => "Maybe",
        Key::InterestInterested => "Interested",
        Key::InterestJoins => "Joins",
        Key::FollowUpRevisit => "Visit again",
        Key::FollowUpSendInformation => "Bring information",
        Key::FollowUpInvite => "Invite",
        Key::FollowUpContact => "Call or message",
        Key::PurposeProjectUpdates => "News about the project",
        Key::PurposeMeetingInvitations => "Invitations to buurt meetings",
        Key::PurposeTeamRecruitment => "Joining the buurt team",
        Key::ChannelEmail => "E-mail",
        Key::ChannelPhone => "Phone call",
        Key::ChannelMessage => "Text message",
        Key::ChannelLetterbox => "Note in the letterbox",
        Key::UnitHouseholds => "households",
        Key::UnitEuros => "euros",
        Key::UnitPanels => "panels",
        Key::UnitSquareMetres => "m²",
        Key::UnitParticipants => "participants",
        Key::VisitKicker => "Conversation at the door",
        Key::Close => "Close",
        Key::QuickTitle => "Log at once",
        Key::MoreTitle => "Or choose what was said",
        Key::InterestFor => "Interest in {}",
        Key::PledgeFor => "Pledge for {} (in {})",
        Key::PledgeInvalid => "Enter a whole number, or leave it empty.",
        Key::JoinTeamRoles => "In which role? (may stay empty)",
        Key::NoteLabel => "Note",
        Key::NoteHint => "No sensitive details (health, religion, politics).",
        Key::FollowUpLabel => "Follow-up",
        Key::FollowUpNone => "None",
        Key::FollowUpDate => "When",
        Key::FollowUpDateNeeded => "Choose when to come back.",
        Key::ConsentSwitch => "The resident agrees to be contacted",
        Key::ConsentPurposes => "What for?",
        Key::ConsentChannels => "How?",
        Key::ConsentNeedsChoice => "Choose what for and how.",
        Key::ConsentNeedsContact => {
            "Fill in the phone number or e-mail address for the chosen way."
        }
        Key::ResidentName => "Resident's name",
        Key::ResidentPhone => "Phone number",
        Key::ResidentEmail => "E-mail address",
        Key::Save => "Save",
        Key::Saved => "Conversation logged: {}",
        Key::ChooseOutcome => "First choose what was said.",
        Key::HistoryTitle => "History",
        Key::NoVisits => "No conversations yet.",
        Key::RetractedMark => "undone",
        Key::VisitBy => "{} · {}",
        Key::ConsentsTitle => "Consents",
        Key::Withdraw => "Withdraw",
        Key::WithdrawnAt => {
            "Withdrawn on {}. The name and contact details are no longer shown; if the resident wants everything gone, erase the resident's data below."
        }
        Key::ErasedConsent => "Ended on {}: the resident's data was erased.",
        Key::WithdrawnDone => "Consent withdrawn",
        Key::OpenFollowUp => "Follow-up: {} {}",
        Key::AsSoonAsPossible => "as soon as possible",
        Key::FollowUpDone => "Done",
        Key::FollowUpCancel => "Not needed",
        Key::FollowUpClosed => "Follow-up closed",
        Key::ResolvedDone => "Follow-up done, by {}",
        Key::ResolvedCancelled => "Follow-up not needed, by {}",
        Key::LogVisit => "Log a conversation",
        Key::CorrectAddress => "Correct the address",
        Key::SaveCorrection => "Save the correction",
        Key::Corrected => "Address corrected",
        Key::NoChange => "Nothing changed.",
        Key::MarkDoNotVisit => "Do not visit again",
        Key::MarkVisitAgain => "Visit again",
        Key::PrivacyTitle => "Privacy",
        Key::EraseResident => "Erase the resident's data",
        Key::EraseConfirm => {
            "This removes, on every phone of the team, the names, phone numbers and e-mail addresses ({}) and the notes ({}) of this address. That conversations took place remains. This cannot be undone."
        }
        Key::EraseYes => "Yes, erase",
        Key::EraseNo => "Do not erase",
        Key::Erased => "The resident's data was erased",
        Key::BackToList => "Back to the walk list",
        Key::AddressGone => "This address is not (or no longer) on the walk list.",
        Key::AddIntro => "Add one address, a whole street or range, or a file of addresses.",
        Key::RangeTitle => "A street or range",
        Key::RangeLabel => "House numbers",
        Key::RangeHint => "For example 1-45 odd, 2-30 even, 12a-12d, 12-1 or 12 bis.",
        Key::FileTitle => "A file (CSV)",
        Key::FileHint => {
            "A spreadsheet export with the columns straat, huisnummer, huisletter, toevoeging and postcode, in any order."
        }
        Key::FileChoose => "Choose a file",
        Key::Preview => "Preview",
        Key::AddCount => "Add {} addresses",
        Key::AddCountOne => "Add {} address",
        Key::AddedCount => "{} addresses added",
        Key::AddedCountOne => "{} address added",
        Key::PreviewNew => "{} new",
        Key::PreviewThere => "{} already there",
        Key::PreviewThereOne => "{} already there",
        Key::PreviewTwice => "{} twice in the file",
        Key::PreviewBad => "{} lines are not right",
        Key::PreviewBadOne => "{} line is not right",
        Key::LineProblem => "Line {}: {}",
        Key::LineTwice => "Line {}: also on line {}",
        Key::LineThere => "Line {}: {} is already there",
        Key::LineNoStreet => "no street",
        Key::LineNoNumber => "no house number",
        Key::LineBadNumber => "house number \"{}\" is not a number",
        Key::LineBadLetter => "house letter \"{}\" is not a single letter",
        Key::LineBadAddition => "addition \"{}\" is too long or has odd characters",
        Key::LineBadPostcode => "postcode \"{}\" is not right",
        Key::LineTooFewFields => "too few columns",
        Key::FileEmpty => "The file is empty.",
        Key::FileMissing => {
            "The file lacks the column(s) {}. Are the column names on the first line, separated by ; or ,?"
        }
        Key::FileTooLong => "The file has {} lines; at most 20,000 at once.",
        Key::FileUnreadable => "The file cannot be read.",
        Key::RangeEmpty => "Enter house numbers.",
        Key::RangeNotUnderstood => "\"{}\" is not a house number or range.",
        Key::RangeBadLetters => "\"{}\": the letters belong to one number and go up, like 12a-12d.",
        Key::RangeTooMany => "That is {} houses; at most 2,000 at once.",
        Key::AddressThere => "This address is already there.",
        Key::ViewIt => "View it",
        Key::Cancel => "Cancel",
        Key::FollowUpsTitle => "Follow-ups",
        Key::FollowUpsIntro => "Who wants you to come back, call or bring information?",
        Key::Overdue => "Overdue",
        Key::DueToday => "Today",
        Key::DueThisWeek => "This week",
        Key::DueLater => "Later",
        Key::FollowUpsEmpty => "Nothing to follow up.",
        Key::LoggedBy => "logged by {}",
        Key::ProjectLabel => "Project",
        Key::NewProject => "New project",
        Key::ThemeLabel => "Theme",
        Key::TargetUnit => "Unit",
        Key::StartProject => "Start the project",
        Key::ProjectReady => "Ready to start: every role is filled.",
        Key::ProjectNotReady => "Not ready to start yet. Still needed: {}.",
        Key::ToTeam => "Go to the team",
        Key::TargetProgress => "{} of {} {}",
        Key::RemoveProject => "Remove the project",
        Key::RemoveProjectConfirm => {
            "The project and its step plan disappear for the whole team. The doorstep conversations stay. Remove it?"
        }
        Key::PhaseCount => "{} of {} done",
        Key::DueBy => "due {}",
        Key::StepDoneBy => "ticked by {} on {}",
        Key::StepSkipped => "skipped",
        Key::PaperLink => "Paper list",
        Key::PaperTitle => "Paper walk list",
        Key::PaperIntro => {
            "For a rainy evening or a flat battery: print a street on A4, tick a box at each door, and enter the list here afterwards, even without signal."
        }
        Key::PaperHead => "{} · {} · Date: ______________ · Walked by: ______________",
        Key::PaperNumber => "No.",
        Key::PaperBox => "{}, {}",
        Key::PaperWalkedOn => "Walked on",
        Key::PaperSave => "Save {} doors",
        Key::PaperSaveOne => "Save {} door",
        Key::PaperSaved => "{} doors from the paper list saved",
        Key::PaperSavedOne => "{} door from the paper list saved",
        Key::PaperDateInvalid => "Fill in the date the list was walked.",
        Key::EvidenceLine => "{} of {} {}",
        Key::EvidenceMet => "target reached",
        Key::EvidenceConfirm => "The target is not reached yet ({}). Tick it anyway?",
        Key::TickAnyway => "Tick anyway",
        Key::StepDetails => "Details of {}",
        Key::OwnerLabel => "Who takes it on",
        Key::OwnerNobody => "Nobody yet",
        Key::DueLabel => "Due by",
        Key::SkipStep => "Skip: not needed in this project",
        Key::MoveUp => "Move up",
        Key::MoveDown => "Move down",
        Key::RemoveStep => "Remove the step",
        Key::AddStep => "Add a step",
        Key::PhaseLabel => "Phase",
        Key::ThemeAed => "Neighbourhood AED",
        Key::ThemeSolar => "Solar panels",
        Key::ThemeInsulation => "Insulation",
        Key::ThemeGreening => "Greening",
        Key::ThemeOther => "Empty plan",
        Key::PhaseInitiate => "Initiate",
        Key::PhaseActivate => "Activate",
        Key::PhaseStructure => "Structure",
        Key::PhaseGrow => "Grow",
        Key::PhaseConsolidate => "Consolidate",
        Key::MeasureReached => "households reached",
        Key::MeasureInterested => "households interested",
        Key::MeasureJoined => "households joined",
        Key::MeasurePledgedHouseholds => "households that pledged",
        Key::MeasurePledgedAmount => "pledged",
        Key::MeasureNewMembers => "new team members",
        Key::MeasureConsents => "households with consent",
        Key::MeetingDefaultTitle => "Team meeting {}",
        Key::MeetingLabel => "Meeting",
        Key::NewMeeting => "New meeting",
        Key::MeetingTitleHint => "May stay empty.",
        Key::StartMeeting => "Start the meeting",
        Key::Present => "Present",
        Key::SinceTitle => "Since the previous meeting",
        Key::SinceVisits => "{} conversations at the door",
        Key::SinceReached => "{} households reached for the first time",
        Key::SinceInterested => "{}: {} interested",
        Key::SinceToward => "{} {} toward the target",
        Key::SinceCandidates => "{} new team candidates",
        Key::SinceSteps => "{} steps ticked",
        Key::AgendaTitle => "Agenda",
        Key::AgendaSteps => "Open and overdue steps",
        Key::AgendaActions => "Open action items",
        Key::AgendaCandidates => "New sign-ups for the team",
        Key::StreetsLine => "{}: {} · {} to go",
        Key::IntroLine => "{} ({}), introduced by {}",
        Key::IntroInvited => "invited",
        Key::IntroInvite => "Invite",
        Key::IntroInviteName => "Invite {}",
        Key::IntroRemoveName => "Remove {}",
        Key::OrgPlans => "Your organisation's step plans",
        Key::PlanOffer => {
            "Your organisation updated this project's step plan: {} new, {} changed. What you changed or removed yourselves stays as it is."
        }
        Key::PlanOfferTake => "Take it",
        Key::PlanOfferLater => "Not now",
        Key::PlanOfferTaken => "The step plan is updated.",
        Key::NothingOpen => "Nothing open.",
        Key::NothingNew => "Nothing new.",
        Key::DecisionsTitle => "Decisions",
        Key::ActionsTitle => "Action items",
        Key::ActionDone => "done",
        Key::MinutesCopied => "Minutes copied",
        Key::ShareMinutes => "Share",
        Key::PrintMinutes => "Print",
        Key::Remove => "Remove",
        Key::DecisionLabel => "Decision",
        Key::AddDecision => "Record the decision",
        Key::ActionLabel => "Action item",
        Key::AddAction => "Add the action item",
        Key::FunnelReached => "Reached",
        Key::FunnelInterested => "Interested",
        Key::FunnelJoined => "Joined",
        Key::FunnelPledged => "Pledged",
        Key::ChartPerMember => "Conversations per ambassador, {} in all",
        Key::ChartPerStreet => "Households reached per street",
        Key::ChartFunnel => "Funnel of {}: of all households",
        Key::HouseholdsTitle => "Households reached",
        Key::ReachedOf => "{} of {} households reached ({}%)",
        Key::PerMemberTitle => "Per ambassador",
        Key::PerStreetTitle => "Per street",
        Key::ToFollowUps => "Go to follow-ups",
        Key::FollowUpsSummary => "{} overdue, {} today, {} this week, {} later",
        Key::SettingsTitle => "Settings",
        Key::SettingsIntro => "Language, this phone, exporting data and privacy.",
        Key::LanguageTitle => "Language",
        Key::SyncNow => "Sync now",
        Key::ExportTitle => "Export",
        Key::ExportHint => {
            "CSV files for a spreadsheet, for the team only. Residents' names and contact details are not in them."
        }
        Key::ExportAddresses => "Addresses",
        Key::ExportVisits => "Doorstep conversations",
        Key::ExportPlan => "Step plan",
        Key::EraseHowTo => {
            "Does a resident want their data gone? Open the address in the walk list and choose ‘Erase the resident's data’. The erasure reaches every phone of the team."
        }
        Key::ToWalkList => "Go to the walk list",
        Key::Yes => "yes",
        Key::No => "no",
        Key::ColVisits => "Visits",
        Key::ColLastOutcome => "Last outcome",
        Key::ColLastVisit => "Last visit",
        Key::ColDoNotVisit => "Do not visit",
        Key::ColWhen => "When",
        Key::ColHouse => "House number",
        Key::ColOutcome => "Outcome",
        Key::ColBy => "By",
        Key::ColInterestIn => "Interest {}",
        Key::ColPledgeFor => "Pledge {}",
        Key::ColJoinTeam => "Wants to join the team",
        Key::ColStep => "Step",
        Key::ColDone => "Ticked on",
        Key::ColDoneBy => "Ticked by",
        Key::ColSkipped => "Skipped",
        Key::ColEvidence => "Count from the doors",
        Key::InviteQr => "QR code with the invite link: let another phone's camera scan it",
        Key::SinceVisitsOne => "1 conversation at the door",
        Key::SinceCandidatesOne => "1 new team candidate",
        Key::SinceStepsOne => "1 step ticked",
        Key::UpdateReady => "New version available",
        Key::UpdateNow => "Update",
        Key::InstallTitle => "Put it on your home screen",
        Key::InstallWhy => {
            "As an app on your home screen Buurtbel opens without signal too and keeps your data. Safari may clear a website's data when you have not opened it for seven days."
        }
        Key::InstallButton => "Install",
        Key::InstallIosShare => "In Safari, tap the share button",
        Key::InstallIosAdd => "Choose ‘Add to Home Screen’ and tap ‘Add’",
        Key::InstallIosOpen => "From now on, open Buurtbel with the icon on your home screen",
        Key::GuideTitle => "Doorstep guide",
        Key::GuideIntro => {
            "What to say and what neighbours often ask, per project. Works without signal too."
        }
        Key::GuideSearch => "Search the guide",
        Key::GuideOwners => "By the content experts: {}",
        Key::GuideNoExpert => "No content expert in the team yet: anyone can add to the guide.",
        Key::GuideEdit => "Edit",
        Key::GuideDoneEditing => "Done editing",
        Key::GuideNoMatch => "Nothing found in this guide.",
        Key::GuideEmpty => "This guide is still empty.",
        Key::GuideDraft => "draft",
        Key::GuideOpening => "Opening",
        Key::GuideKeyPoint => "Key point",
        Key::GuideQuestion => "Question",
        Key::GuideAnswer => "Answer",
        Key::GuideAdd => "Add to the guide",
        Key::GuideKindLabel => "Kind",
        Key::GuideLink => "Guide",
        Key::FlyerLink => "Flyer",
        Key::OpenQuestionsTitle => "Open questions from the door",
        Key::AnswerIntoGuide => "Also put it in the guide",
        Key::AnswerQuestion => "Answer",
        Key::FlyerTitle => "Letterbox flyer",
        Key::FlyerIntro => "For the doors where nobody was home. Print on A5.",
        Key::FlyerWhen => "Buurt meeting",
        Key::FlyerContact => "Contact",
        Key::FlyerKicker => "From your neighbours in the buurt team",
        Key::FlyerNote => "We came by, but you were not home. We are happy to come back.",
        Key::QuestionLabel => "A question I could not answer",
        Key::QuestionHint => {
            "One line for the team. The address goes with it if the resident agreed to receive project information."
        }
        Key::FlyerLeft => "Not home, flyer left",
        Key::FlyerMark => "flyer",
        Key::AnsweredOnline => "Answered online",
        Key::ViaPage => "the buurt page",
        Key::SinceOnlineOne => "1 answer on the buurt page",
        Key::SinceOnline => "{} answers on the buurt page",
        Key::ProposalsTitle => "Answers from addresses not on the list",
        Key::ProposalsIntro => {
            "Neighbours answered on the buurt page from an address your list lacks. Add it to the list so it counts, or discard it."
        }
        Key::ProposalStreet => "Street for {}",
        Key::ProposalAdd => "Add to the list",
        Key::ProposalDiscard => "Discard",
        Key::PageTitle => "Buurt page",
        Key::PageIntro => {
            "Neighbours without the app answer here themselves; their answer appears on the walk list. The QR code is on the flyer too."
        }
        Key::PageOpen => "Open the buurt page",
        Key::PageClose => "Close the buurt page",
        Key::PageClosed => "The buurt page is closed: no new answers come in.",
        Key::PageQr => "QR code of the buurt page",
        Key::FlyerPage => "Join in: scan the code or go to",
        Key::UndoVisit => "Undo: {}, {}",
        Key::AgendaQuestions => "Open questions from the door",
        Key::StorageUsageOnly => {
            "Buurtbel uses {} MB on this phone; the browser does not say how much it allows."
        }
        Key::StorageUnknown => "This browser does not say how much room Buurtbel uses or may use.",
        Key::StoragePersistUnknown => {
            "This browser cannot promise to keep the data. Put Buurtbel on your home screen and sync regularly."
        }
    }
}
