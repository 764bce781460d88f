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
        Key::CandidatesTitle => "Candidates from the door",
        Key::CandidateRoles => "{}: wants to join the team, as {}",
        Key::CandidateAnyRole => "{}: wants to join the team",
        Key::InviteLink => "Or send this link; whoever opens it only has to fill in a name:",
        Key::InviteShare => "Share the invite",
        Key::InviteCopied => "Link copied",
        Key::InviteShareText => "Join buurtteam {} in Buurtbel:",
        Key::DeviceTitle => "This phone",
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
        Key::AddAddresses => "Add addresses",
        Key::FilterLabel => "Filter",
        Key::FilterAll => "All",
        Key::FilterNotVisited => "Not visited yet",
        Key::FilterNotHome => "Not home",
        Key::FilterInterested => "Interested",
        Key::FilterFollowUp => "Follow up",
        Key::FilterMine => "My doors",
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
    }
}
