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
    }
}
