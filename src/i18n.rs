//! Texts in Dutch (the default) and English, and the locale the user chose.
//!
//! Every user-facing text is a [`Key`]; each locale module maps every key with an exhaustive
//! `match`, so a key without a translation does not compile. Views never hold literal text.
//!
//! The Dutch texts are in the app. The English ones are fetched when English is chosen (or at
//! start when it was chosen before), from `public/en.json`, which a test keeps equal to
//! `i18n/en.rs` and to the English of core's step-plan templates and guides (which the app's
//! build leaves out): most phones never need them, and they take no bytes of every phone's
//! download.

#[cfg(not(target_arch = "wasm32"))]
mod en;
mod nl;

use leptos::prelude::*;

/// A language the app speaks.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum Locale {
    /// Dutch, the default: the language of the buurt.
    #[default]
    Nl,
    /// English, on request.
    En,
}

impl Locale {
    /// Every locale, default first.
    pub const ALL: [Locale; 2] = [Locale::Nl, Locale::En];

    /// The BCP 47 code, as used in `<html lang>` and in storage.
    pub fn code(self) -> &'static str {
        match self {
            Locale::Nl => "nl",
            Locale::En => "en",
        }
    }

    /// Reads a code written by [`Locale::code`]; anything else is `None`.
    pub fn from_code(code: &str) -> Option<Locale> {
        Locale::ALL.into_iter().find(|l| l.code() == code)
    }

    /// The locale the language switch offers from this one.
    pub fn other(self) -> Locale {
        match self {
            Locale::Nl => Locale::En,
            Locale::En => Locale::Nl,
        }
    }
}

macro_rules! keys {
    ($($(#[$doc:meta])* $key:ident),* $(,)?) => {
        /// One user-facing text.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        pub enum Key {
            $($(#[$doc])* $key),*
        }

        impl Key {
            /// Every key, for completeness checks.
            pub const ALL: &'static [Key] = &[$(Key::$key),*];
        }
    };
}

keys! {
    /// The app's name.
    AppName,
    /// Label of the main navigation landmark.
    NavLabel,
    /// Navigation item and title: the walk list.
    NavWalk,
    /// Navigation item and title: the team and its roles.
    NavTeam,
    /// Navigation item: the step plan (short, to fit the bar).
    NavPlan,
    /// Title of the step plan page.
    PlanTitle,
    /// Navigation item and title: team meetings.
    NavMeetings,
    /// Navigation item and title: the dashboard.
    NavDashboard,
    /// The language switch, written in the language it switches to.
    SwitchLanguage,
    /// Accessible label of the language switch.
    SwitchLanguageLabel,
    /// Walk list page: what it is for.
    WalkIntro,
    /// Walk list page: no addresses yet.
    WalkEmpty,
    /// Team page: what it is for.
    TeamIntro,
    /// Plan page: what it is for.
    PlanIntro,
    /// Plan page: no project yet.
    PlanEmpty,
    /// Meetings page: what it is for.
    MeetingsIntro,
    /// Meetings page: no meetings yet.
    MeetingsEmpty,
    /// Dashboard page: what it is for.
    DashboardIntro,
    /// Dashboard page: nothing to count yet.
    DashboardEmpty,
    /// While the team's data loads.
    Loading,
    /// The browser refuses storage; {} is the reason.
    StorageUnavailable,
    /// Setup page title.
    SetupTitle,
    /// Setup page: what to do.
    SetupIntro,
    /// Setup: the join form's heading.
    JoinTitle,
    /// Above the join form opened by a link: the team and buurt the code opens.
    JoinInvitedTo,
    /// Setup: invite code field.
    InviteCode,
    /// Setup: the member's name field.
    YourName,
    /// Setup: join button.
    JoinButton,
    /// Setup: the start-a-team form's heading.
    StartTitle,
    /// Setup: team name field.
    TeamName,
    /// Setup: buurt field.
    Neighbourhood,
    /// Setup: start button.
    StartButton,
    /// A request is under way.
    Busy,
    /// A required field is empty.
    FieldRequired,
    /// No answer from the server.
    ErrOffline,
    /// The invite code does not work.
    ErrInvalidInvite,
    /// Too many attempts.
    ErrRateLimited,
    /// The server does not allow it.
    ErrForbidden,
    /// A field was refused; {} names it and why.
    ErrInvalid,
    /// Any other server failure; {} is the reason.
    ErrServer,
    /// Accessible label of the sync status button.
    StatusLabel,
    /// Not synced yet.
    StatusNever,
    /// A sync is under way.
    StatusSyncing,
    /// No connection.
    StatusOffline,
    /// One change waits for the server.
    StatusWaitingOne,
    /// {} changes wait for the server.
    StatusWaitingMany,
    /// Synced at {} (HH:MM).
    StatusSynced,
    /// Sync failed.
    StatusError,
    /// The device was removed from the team.
    StatusRemoved,
    /// Banner: this device was removed.
    RemovedTitle,
    /// Banner: what happens to the data.
    RemovedBody,
    /// Button: delete the team's data here.
    RemovedForget,
    /// Storage over 80%.
    NoticeNearlyFull,
    /// Storage full; changes kept in memory.
    NoticeFull,
    /// Saving failed; {} is the reason.
    NoticeSaveFailed,
    /// {} stored records could not be read.
    NoticeUnreadable,
    /// The team details on the phone are unreadable; {} is why.
    NoticeSession,
    /// Team page: members heading.
    TeamMembers,
    /// Team page: heading of the street sides and who walks each.
    StreetsTitle,
    /// Team page: what assigning a street does.
    StreetsIntro,
    /// No member walks this side.
    Nobody,
    /// Marks the member using this device.
    You,
    /// A member without a role.
    NoRole,
    /// Team page: the member's own roles.
    YourRoles,
    /// Team page: roles nobody fills; {} lists them.
    TeamMissing,
    /// Team page: every role filled.
    TeamComplete,
    /// Role: content expert.
    RoleExpert,
    /// Role: connector.
    RoleConnector,
    /// Role: driver.
    RoleDriver,
    /// Team page: invite heading.
    InviteTitle,
    /// Team page: the code to pass on; {} is the code.
    InviteShow,
    /// Team page: button for a new invite code.
    InviteNew,
    /// The server refused the leaving.
    LeaveRefused,
    /// Leaving waits for a connection.
    LeaveWaiting,
    /// Asks before leaving.
    LeaveConfirm,
    /// Button: leave the team.
    LeaveButton,
    /// Heading: leaving the team.
    LeaveTitle,
    /// The member left the team from this phone.
    NoticeLeft,
    /// Button: load the devices again.
    DevicesLoad,
    /// Heading: the coaches who look along.
    CoachesTitle,
    /// What a coach sees, and what not.
    CoachesIntro,
    /// No coach looks along.
    CoachesNone,
    /// A coach looking along: {} their name, {} their organisation.
    CoachLine,
    /// Name of the button that ends the look along of {} (a coach).
    CoachEnd,
    /// Label: the code a coach gave the team.
    CoachCode,
    /// Button: let the coach with that code look along.
    CoachGrant,
    /// No coach has the code typed.
    CoachUnknown,
    /// Tag of the device in hand.
    ThisDevice,
    /// Tag of an admin device.
    AdminTag,
    /// Button: make a member admin.
    MakeAdmin,
    /// Button: go ahead.
    ConfirmYes,
    /// Asks before revoking as lost.
    DeviceConfirmLost,
    /// Asks before revoking.
    DeviceConfirm,
    /// Button: revoke a device as lost.
    DeviceRevokeLost,
    /// Button: revoke a device.
    DeviceRevoke,
    /// A device revoked as lost.
    DeviceLost,
    /// A revoked device.
    DeviceRevoked,
    /// When a device was last seen.
    DeviceSeen,
    /// Heading: the team's devices (admins).
    DevicesTitle,
    /// A role nobody holds yet.
    RoleNeeded,
    /// A role one person holds.
    RoleThin,
    /// A role two or more hold.
    RoleFilled,
    /// Heading: the team's readiness.
    ReadinessTitle,
    /// Heading: people who may join the team (residents from the door, volunteers a coach
    /// introduced).
    CandidatesTitle,
    /// A candidate and the roles they offered.
    CandidateRoles,
    /// A candidate who named no role.
    CandidateAnyRole,
    /// The invite as a link.
    InviteLink,
    /// Button: share the invite.
    InviteShare,
    /// The invite link was copied.
    InviteCopied,
    /// The text shared with an invite link.
    InviteShareText,
    /// Team page: about this phone's storage.
    DeviceTitle,
    /// Heading over the changes the server refused for good.
    RefusedTitle,
    /// What a refused change means for the team.
    RefusedHint,
    /// Refused: only an admin may make this change.
    RefusedForbidden,
    /// Refused: what it is about is not the team's, or the data is not valid.
    RefusedInvalid,
    /// Refused: the server holds another change under the same id.
    RefusedConflict,
    /// Refused for another reason.
    RefusedOther,
    /// Deletes a refused change from this phone.
    Discard,
    /// Storage used; {} and {} are megabytes.
    StorageUsage,
    /// The browser promised to keep the data.
    StoragePersisted,
    /// The browser may evict the data.
    StorageNotPersisted,
    /// Sync status: the device was revoked as lost and its data wiped.
    StatusWiped,
    /// Notice after a wipe.
    NoticeWiped,
    /// A field must be filled in; {} is the field.
    ErrFieldEmpty,
    /// A field is too long; {} is the field, {} the limit.
    ErrFieldTooLong,
    /// A number out of range; {} is the field, {} and {} the bounds.
    ErrFieldRange,
    /// Too many entries; {} is the field, {} the limit.
    ErrFieldTooMany,
    /// A date outside the years the app accepts; {} is the field.
    ErrFieldDate,
    /// A field has the wrong shape (postcode, e-mail); {} is the field.
    ErrFieldFormat,
    /// A field holds invisible control characters; {} is the field.
    ErrFieldControl,
    /// The phone's clock cannot stamp the change.
    ErrClock,
    /// The address was removed or is unknown.
    GoneAddress,
    /// The project was removed or is unknown.
    GoneProject,
    /// The step was removed or is unknown.
    GoneStep,
    /// The member left or is unknown.
    GoneMember,
    /// The meeting was removed or is unknown.
    GoneMeeting,
    /// The visit was undone or is unknown.
    GoneVisit,
    /// The follow-up no longer exists.
    GoneFollowUp,
    /// The consent is unknown.
    GoneConsent,
    /// The decision was removed or is unknown.
    GoneDecision,
    /// The action item was removed or is unknown.
    GoneActionItem,
    /// The guide item was removed or is unknown.
    GoneGuideItem,
    /// The question is unknown.
    GoneQuestion,
    /// A change to advice that does not exist.
    GoneAdvice,
    /// Heading of a coach's open advice.
    TipTitle,
    /// Advice about the team as a whole.
    TipWholeTeam,
    /// Button: the team handled this advice.
    TipHandled,
    /// Name of that button: {} the advice.
    TipHandledFor,
    /// Field label: street.
    FieldStreet,
    /// Field label: house number.
    FieldNumber,
    /// Field label: house letter.
    FieldLetter,
    /// Field label: addition.
    FieldAddition,
    /// Field label: postcode.
    FieldPostcode,
    /// Field label: a name.
    FieldName,
    /// Field label: phone number.
    FieldPhone,
    /// Field label: e-mail address.
    FieldEmail,
    /// Field label: note.
    FieldNote,
    /// Field label: title.
    FieldTitle,
    /// Field label: description or text.
    FieldText,
    /// Field label: pledge.
    FieldPledge,
    /// Field label: a date.
    FieldDate,
    /// Field label: a target.
    FieldTarget,
    /// Field label: anything else.
    FieldOther,
    /// What an invite allows; {} is the date and time it ends, {} how many may still join.
    InviteAllows,
    /// The invite can no longer be used.
    InviteExpired,
    /// Title of an admin's list of open invites.
    InvitesTitle,
    /// An open invite in the list; {} until when, {} used, {} how many may join in all.
    InviteOpen,
    /// No invite is open.
    InvitesNone,
    /// Button: end an invite.
    InviteEnd,
    /// Every open invite ended with a removal or a lost phone.
    InvitesEnded,
    /// Button and title: add addresses.
    AddAddresses,
    /// Label of the filter chips.
    FilterLabel,
    /// Filter: every address.
    FilterAll,
    /// Filter: no visit yet.
    FilterNotVisited,
    /// Filter: last outcome not home.
    FilterNotHome,
    /// Filter: interested or joins.
    FilterInterested,
    /// Filter: a follow-up is due.
    FilterFollowUp,
    /// Filter: the street sides I walk.
    FilterMine,
    /// The walk list on "my streets" when none is mine yet.
    NoStreetsYet,
    /// Label of the street choice.
    StreetLabel,
    /// Street choice: every street.
    StreetAll,
    /// Label of the jump-to-number field.
    JumpLabel,
    /// Button: jump.
    JumpButton,
    /// Placeholder of the jump field.
    JumpPlaceholder,
    /// No door with that number here; {} is the number.
    JumpNotFound,
    /// Street header; {} is the street, {} the doors not visited yet.
    DoorsLeft,
    /// The odd side of a street.
    SideOdd,
    /// The even side of a street.
    SideEven,
    /// Button on a row: log not home.
    NotHomeButton,
    /// The "not home" button of one door, for screen readers: "Niet thuis, Lindelaan 7".
    NotHomeAt,
    /// Snackbar; {} is the address.
    NotHomeLogged,
    /// Snackbar action: undo.
    Undo,
    /// Snackbar after undo.
    Undone,
    /// Button: select several doors.
    Select,
    /// Button: leave selecting.
    SelectDone,
    /// Bottom bar; {} is how many doors are selected.
    BulkNotHome,
    /// Snackbar; {} is how many doors.
    BulkLogged,
    /// The filters leave nothing.
    NoMatches,
    /// Badge: a follow-up is due.
    FollowUpBadge,
    /// Row: no visit yet.
    NeverVisited,
    /// Row of an address not to visit.
    DoNotVisitRow,
    /// Link to the follow-ups; {} is how many are due now.
    FollowUpsLink,
    /// Screen reader label of a row; {} address, {} status.
    OpenDoor,
    /// Outcome.
    OutcomeNotHome,
    /// Outcome.
    OutcomeNotInterested,
    /// Outcome.
    OutcomeDoNotVisit,
    /// Outcome.
    OutcomeInterested,
    /// Outcome.
    OutcomeJoins,
    /// Outcome.
    OutcomeWantsInformation,
    /// Outcome.
    OutcomeComeBackLater,
    /// Outcome.
    OutcomeWantsToJoinTeam,
    /// Interest.
    InterestNone,
    /// Interest.
    InterestMaybe,
    /// Interest.
    InterestInterested,
    /// Interest.
    InterestJoins,
    /// Follow-up kind.
    FollowUpRevisit,
    /// Follow-up kind.
    FollowUpSendInformation,
    /// Follow-up kind.
    FollowUpInvite,
    /// Follow-up kind.
    FollowUpContact,
    /// Consent purpose.
    PurposeProjectUpdates,
    /// Consent purpose.
    PurposeMeetingInvitations,
    /// Consent purpose.
    PurposeTeamRecruitment,
    /// Consent channel.
    ChannelEmail,
    /// Consent channel.
    ChannelPhone,
    /// Consent channel.
    ChannelMessage,
    /// Consent channel.
    ChannelLetterbox,
    /// Unit.
    UnitHouseholds,
    /// Unit.
    UnitEuros,
    /// Unit.
    UnitPanels,
    /// Unit.
    UnitSquareMetres,
    /// Unit.
    UnitParticipants,
    /// Above the address in the visit sheet.
    VisitKicker,
    /// Button: close.
    Close,
    /// Visit sheet: outcomes saved at once.
    QuickTitle,
    /// Visit sheet: outcomes with details.
    MoreTitle,
    /// Visit sheet; {} is the project.
    InterestFor,
    /// Visit sheet; {} is the project, {} its unit.
    PledgeFor,
    /// A pledge is not a whole number.
    PledgeInvalid,
    /// Visit sheet: roles the resident would take.
    JoinTeamRoles,
    /// Visit sheet: note.
    NoteLabel,
    /// Visit sheet: what a note may not hold.
    NoteHint,
    /// Visit sheet: follow-up.
    FollowUpLabel,
    /// Follow-up: none.
    FollowUpNone,
    /// Follow-up date.
    FollowUpDate,
    /// Come back later needs a date.
    FollowUpDateNeeded,
    /// Visit sheet: consent switch.
    ConsentSwitch,
    /// Consent: what for.
    ConsentPurposes,
    /// Consent: how.
    ConsentChannels,
    /// Consent needs a purpose and a channel.
    ConsentNeedsChoice,
    /// Consent by phone or e-mail needs the number or address.
    ConsentNeedsContact,
    /// Resident's name.
    ResidentName,
    /// Resident's phone.
    ResidentPhone,
    /// Resident's e-mail.
    ResidentEmail,
    /// Button: save.
    Save,
    /// Snackbar; {} is the address.
    Saved,
    /// No outcome chosen.
    ChooseOutcome,
    /// Address page: history.
    HistoryTitle,
    /// Address page: no visits.
    NoVisits,
    /// A visit undone.
    RetractedMark,
    /// A visit's line; {} when, {} who.
    VisitBy,
    /// Address page: consents.
    ConsentsTitle,
    /// Button: withdraw a consent.
    Withdraw,
    /// A consent withdrawn; {} when.
    WithdrawnAt,
    /// A consent ended because the resident's data was erased; {} is the date.
    ErasedConsent,
    /// Snackbar after withdrawing.
    WithdrawnDone,
    /// Address page: open follow-up; {} what, {} when.
    OpenFollowUp,
    /// A follow-up without a date.
    AsSoonAsPossible,
    /// Button: follow-up done.
    FollowUpDone,
    /// Button: follow-up not needed.
    FollowUpCancel,
    /// Snackbar after closing a follow-up.
    FollowUpClosed,
    /// A follow-up closed as done; {} who.
    ResolvedDone,
    /// A follow-up closed as not needed; {} who.
    ResolvedCancelled,
    /// Button: log a conversation.
    LogVisit,
    /// Address page: correct it.
    CorrectAddress,
    /// Button: save the correction.
    SaveCorrection,
    /// Snackbar after a correction.
    Corrected,
    /// A correction that changes nothing.
    NoChange,
    /// Button: mark do not visit again.
    MarkDoNotVisit,
    /// Button: put back on the walk list.
    MarkVisitAgain,
    /// Address page: privacy.
    PrivacyTitle,
    /// Button: erase the resident's data.
    EraseResident,
    /// What an erasure removes; {} counts what goes.
    EraseConfirm,
    /// Button: erase.
    EraseYes,
    /// Button: do not erase.
    EraseNo,
    /// Snackbar after an erasure.
    Erased,
    /// Link back to the walk list.
    BackToList,
    /// Address page of a removed or unknown address.
    AddressGone,
    /// Add addresses page: what it is for.
    AddIntro,
    /// Add a street or range.
    RangeTitle,
    /// House numbers of a range.
    RangeLabel,
    /// How to write a range.
    RangeHint,
    /// Add a file.
    FileTitle,
    /// What file works.
    FileHint,
    /// File input label.
    FileChoose,
    /// Button: preview.
    Preview,
    /// Button; {} how many.
    AddCount,
    /// The add button for one address.
    AddCountOne,
    /// Snackbar; {} how many.
    AddedCount,
    /// Added, one address.
    AddedCountOne,
    /// Preview: new; {} how many.
    PreviewNew,
    /// Preview: already there; {} how many.
    PreviewThere,
    /// One already there.
    PreviewThereOne,
    /// Preview: twice in the file; {} how many.
    PreviewTwice,
    /// Preview: bad lines; {} how many.
    PreviewBad,
    /// One bad line.
    PreviewBadOne,
    /// A bad line; {} the line, {} why.
    LineProblem,
    /// A line repeating an earlier one; {} the line, {} the earlier line.
    LineTwice,
    /// A line already on the list; {} the line, {} the address.
    LineThere,
    /// Bad line.
    LineNoStreet,
    /// Bad line.
    LineNoNumber,
    /// Bad line; {} the value.
    LineBadNumber,
    /// Bad line; {} the value.
    LineBadLetter,
    /// Bad line; {} the value.
    LineBadAddition,
    /// Bad line; {} the value.
    LineBadPostcode,
    /// Bad line.
    LineTooFewFields,
    /// The file is empty.
    FileEmpty,
    /// Columns missing; {} names them.
    FileMissing,
    /// Too many lines; {} how many.
    FileTooLong,
    /// The file cannot be read.
    FileUnreadable,
    /// No numbers typed.
    RangeEmpty,
    /// A part of a range; {} the part.
    RangeNotUnderstood,
    /// Letters of a range; {} the part.
    RangeBadLetters,
    /// Too many houses; {} how many.
    RangeTooMany,
    /// The address is already there.
    AddressThere,
    /// Link to the address that is already there.
    ViewIt,
    /// Button: cancel.
    Cancel,
    /// Follow-ups page title.
    FollowUpsTitle,
    /// Follow-ups page: what it is for.
    FollowUpsIntro,
    /// Follow-ups section.
    Overdue,
    /// Follow-ups section.
    DueToday,
    /// Follow-ups section.
    DueThisWeek,
    /// Follow-ups section.
    DueLater,
    /// No follow-ups.
    FollowUpsEmpty,
    /// Who logged a visit; {} the name.
    LoggedBy,
    /// Label of the project choice.
    ProjectLabel,
    /// Button and heading: start a project.
    NewProject,
    /// Label of the theme choice.
    ThemeLabel,
    /// Label of the target's unit.
    TargetUnit,
    /// Button: start the project.
    StartProject,
    /// Every role is filled.
    ProjectReady,
    /// Roles missing; {} lists them.
    ProjectNotReady,
    /// Link to the team page.
    ToTeam,
    /// Progress; {} count, {} target, {} unit.
    TargetProgress,
    /// Button: remove the project.
    RemoveProject,
    /// Asks before removing a project.
    RemoveProjectConfirm,
    /// Steps done in a phase; {} done, {} total.
    PhaseCount,
    /// Due date; {} is the date.
    DueBy,
    /// Who ticked a step; {} name, {} date.
    StepDoneBy,
    /// A skipped step.
    StepSkipped,
    /// The paper walk list (`pages/paper.rs`): link, title, introduction, the printed head
    /// (team, street), the number column, a box's name (outcome, address), the date walked,
    /// saving, saved, and a missing date.
    PaperLink,
    PaperTitle,
    PaperIntro,
    PaperHead,
    PaperNumber,
    PaperBox,
    PaperWalkedOn,
    PaperSave,
    PaperSaveOne,
    PaperSaved,
    PaperSavedOne,
    PaperDateInvalid,
    /// A step's evidence: its count, its target and what it counts (`words::evidence`).
    EvidenceLine,
    /// The evidence target is reached.
    EvidenceMet,
    /// Asks before ticking an unmet step; {} is the count.
    EvidenceConfirm,
    /// Button: tick anyway.
    TickAnyway,
    /// Accessible label of a step's details button; {} is the step.
    StepDetails,
    /// Label: who takes it on.
    OwnerLabel,
    /// Nobody chosen.
    OwnerNobody,
    /// Label: due date.
    DueLabel,
    /// Skip a step.
    SkipStep,
    /// Button: move a step up.
    MoveUp,
    /// Button: move a step down.
    MoveDown,
    /// Button: remove a step.
    RemoveStep,
    /// Button and heading: add a step.
    AddStep,
    /// Label: the phase.
    PhaseLabel,
    /// Theme: AED.
    ThemeAed,
    /// Theme: solar panels.
    ThemeSolar,
    /// Theme: insulation.
    ThemeInsulation,
    /// Theme: greening.
    ThemeGreening,
    /// Theme: an empty plan.
    ThemeOther,
    /// Phase: initiate.
    PhaseInitiate,
    /// Phase: activate.
    PhaseActivate,
    /// Phase: structure.
    PhaseStructure,
    /// Phase: grow.
    PhaseGrow,
    /// Phase: consolidate.
    PhaseConsolidate,
    /// Evidence: households reached.
    MeasureReached,
    /// Evidence: interested households.
    MeasureInterested,
    /// Evidence: households that join.
    MeasureJoined,
    /// Evidence: households that pledged.
    MeasurePledgedHouseholds,
    /// Evidence: the amount pledged.
    MeasurePledgedAmount,
    /// Evidence: new team candidates.
    MeasureNewMembers,
    /// Evidence: consents.
    MeasureConsents,
    /// A meeting without a title; {} is its date.
    MeetingDefaultTitle,
    /// Label of the meeting choice.
    MeetingLabel,
    /// Button and heading: a new meeting.
    NewMeeting,
    /// Hint under the meeting title.
    MeetingTitleHint,
    /// Button: start the meeting.
    StartMeeting,
    /// Heading: who is there.
    Present,
    /// Heading: since the previous meeting.
    SinceTitle,
    /// {} conversations at the door.
    SinceVisits,
    /// {} households reached for the first time.
    SinceReached,
    /// {} project, {} newly interested.
    SinceInterested,
    /// {} change toward the target, {} its unit.
    SinceToward,
    /// {} new team candidates.
    SinceCandidates,
    /// {} steps ticked.
    SinceSteps,
    /// Heading: the agenda.
    AgendaTitle,
    /// Agenda: open steps.
    AgendaSteps,
    /// Agenda: open action items.
    AgendaActions,
    /// Agenda: new candidates.
    AgendaCandidates,
    /// Agenda line; {} is a member (or nobody), {} their street sides, {} the doors left there.
    StreetsLine,
    /// A volunteer a coach introduced; {} their name, {} the role, {} the coach.
    IntroLine,
    /// An introduced volunteer the team invited.
    IntroInvited,
    /// Button: invite an introduced volunteer.
    IntroInvite,
    /// The invite button, spoken; {} is the volunteer.
    IntroInviteName,
    /// The remove button, spoken; {} is the volunteer.
    IntroRemoveName,
    /// Heading of the organisation's step plans when starting a project.
    OrgPlans,
    /// A newer version of the project's plan; {} steps and guide items new, {} changed.
    PlanOffer,
    /// Button: take a plan's new version.
    PlanOfferTake,
    /// Button: not now.
    PlanOfferLater,
    /// Snackbar: a new plan version taken.
    PlanOfferTaken,
    /// Nothing open.
    NothingOpen,
    /// Nothing new.
    NothingNew,
    /// Heading: decisions.
    DecisionsTitle,
    /// Heading: action items.
    ActionsTitle,
    /// An action item done.
    ActionDone,
    /// The minutes were copied.
    MinutesCopied,
    /// Button: share the minutes.
    ShareMinutes,
    /// Button: print.
    PrintMinutes,
    /// Button: remove.
    Remove,
    /// Field: a decision.
    DecisionLabel,
    /// Button: record the decision.
    AddDecision,
    /// Field: an action item.
    ActionLabel,
    /// Button: add the action item.
    AddAction,
    /// Funnel: reached.
    FunnelReached,
    /// Funnel: interested.
    FunnelInterested,
    /// Funnel: joined.
    FunnelJoined,
    /// Funnel: pledged.
    FunnelPledged,
    /// Chart name; {} is the total of conversations.
    ChartPerMember,
    /// Chart name.
    ChartPerStreet,
    /// Chart name; {} is the project.
    ChartFunnel,
    /// Heading: households reached.
    HouseholdsTitle,
    /// {} reached of {} households, {} percent.
    ReachedOf,
    /// Heading: per ambassador.
    PerMemberTitle,
    /// Heading: per street.
    PerStreetTitle,
    /// Link to the follow-ups.
    ToFollowUps,
    /// {} overdue, {} today, {} this week, {} later.
    FollowUpsSummary,
    /// Title and app bar link: settings.
    SettingsTitle,
    /// Settings page: what it is for.
    SettingsIntro,
    /// Heading: language.
    LanguageTitle,
    /// Button: sync now.
    SyncNow,
    /// Heading: export.
    ExportTitle,
    /// What the exports are.
    ExportHint,
    /// Button: export addresses.
    ExportAddresses,
    /// Button: export conversations.
    ExportVisits,
    /// Button: export the step plan.
    ExportPlan,
    /// How to erase a resident's data.
    EraseHowTo,
    /// Link to the walk list.
    ToWalkList,
    /// Yes.
    Yes,
    /// No.
    No,
    /// Column: number of visits.
    ColVisits,
    /// Column: last outcome.
    ColLastOutcome,
    /// Column: last visit.
    ColLastVisit,
    /// Column: do not visit.
    ColDoNotVisit,
    /// Column: when.
    ColWhen,
    /// Column: house number.
    ColHouse,
    /// Column: outcome.
    ColOutcome,
    /// Column: by whom.
    ColBy,
    /// Column; {} is the project.
    ColInterestIn,
    /// Column; {} is the project.
    ColPledgeFor,
    /// Column: wants to join the team.
    ColJoinTeam,
    /// Column: step.
    ColStep,
    /// Column: done at.
    ColDone,
    /// Column: done by.
    ColDoneBy,
    /// Column: skipped.
    ColSkipped,
    /// Column: evidence.
    ColEvidence,
    /// Accessible name of the invite QR code.
    InviteQr,
    /// One conversation at the door.
    SinceVisitsOne,
    /// One new team candidate.
    SinceCandidatesOne,
    /// One step ticked.
    SinceStepsOne,
    /// A new version of the app waits.
    UpdateReady,
    /// Button: update now.
    UpdateNow,
    /// Heading: install the app.
    InstallTitle,
    /// Why install.
    InstallWhy,
    /// Button: install.
    InstallButton,
    /// iOS step 1.
    InstallIosShare,
    /// iOS step 2.
    InstallIosAdd,
    /// iOS step 3.
    InstallIosOpen,
    /// Title: the doorstep guide.
    GuideTitle,
    /// Guide page: what it is for.
    GuideIntro,
    /// Label of the guide search.
    GuideSearch,
    /// The experts who own the guide; {} lists them.
    GuideOwners,
    /// No expert yet.
    GuideNoExpert,
    /// Button: edit the guide.
    GuideEdit,
    /// Button: stop editing.
    GuideDoneEditing,
    /// Search found nothing.
    GuideNoMatch,
    /// An empty guide.
    GuideEmpty,
    /// A template's draft.
    GuideDraft,
    /// Kind: opening.
    GuideOpening,
    /// Kind: key point.
    GuideKeyPoint,
    /// Kind: question.
    GuideQuestion,
    /// Label: answer.
    GuideAnswer,
    /// Button and heading: add to the guide.
    GuideAdd,
    /// Label: what kind.
    GuideKindLabel,
    /// Link to the guide.
    GuideLink,
    /// Link to the flyer.
    FlyerLink,
    /// Heading: open questions.
    OpenQuestionsTitle,
    /// Also add the answer to the guide.
    AnswerIntoGuide,
    /// Button: answer.
    AnswerQuestion,
    /// Title: the flyer.
    FlyerTitle,
    /// Flyer page: what it is for.
    FlyerIntro,
    /// Label: the buurt meeting.
    FlyerWhen,
    /// Label: how to reach the team.
    FlyerContact,
    /// Top line of the flyer.
    FlyerKicker,
    /// Bottom line of the flyer.
    FlyerNote,
    /// Field in the visit form.
    QuestionLabel,
    /// Hint under the question field.
    QuestionHint,
    /// Quick outcome: not home, flyer left.
    FlyerLeft,
    /// Marks a visit with a flyer.
    FlyerMark,
    /// Agenda: open questions.
    AgendaQuestions,
    /// Storage used without a known limit; {} is megabytes.
    StorageUsageOnly,
    /// The browser gives no storage estimate.
    StorageUnknown,
    /// The browser cannot be asked to keep the data.
    StoragePersistUnknown,
    /// A door's status when the resident answered on the project's page ("heeft zich aangemeld").
    AnsweredOnline,
    /// Who logged a visit the resident made on the project's page.
    ViaPage,
    /// Agenda: one answer on the project's page.
    SinceOnlineOne,
    /// Agenda: answers on the project's page; {} is the count.
    SinceOnline,
    /// Walk list: answers from addresses the list lacks.
    ProposalsTitle,
    /// Walk list: what to do with them.
    ProposalsIntro,
    /// Label of the street for a proposed address; {} is the address.
    ProposalStreet,
    /// Button: put a proposed address on the list.
    ProposalAdd,
    /// Button: discard a proposed address and its answer.
    ProposalDiscard,
    /// Plan: the project's resident page.
    PageTitle,
    /// Plan: what the resident page is.
    PageIntro,
    /// Button: open the resident page.
    PageOpen,
    /// Button: close the resident page.
    PageClose,
    /// Plan: the resident page is closed.
    PageClosed,
    /// Label of the resident page's QR code.
    PageQr,
    /// Flyer: the line above the resident page's QR code.
    FlyerPage,
    /// The undo button of one visit in an address's history, for screen readers; {} are the
    /// outcome and when.
    UndoVisit,
}

/// The words of the domain's values.
pub mod words {
    use super::{Locale, fill, text};
    use buurtbel_core::domain::{
        Channel, ConsentPurpose, FollowUpKind, Interest, Measure, Outcome, Phase, Role, Theme, Unit,
    };

    use super::Key;

    /// An outcome of a doorstep conversation.
    pub fn outcome(o: Outcome) -> Key {
        match o {
            Outcome::NotHome => Key::OutcomeNotHome,
            Outcome::NotInterested => Key::OutcomeNotInterested,
            Outcome::DoNotVisit => Key::OutcomeDoNotVisit,
            Outcome::Interested => Key::OutcomeInterested,
            Outcome::Joins => Key::OutcomeJoins,
            Outcome::WantsInformation => Key::OutcomeWantsInformation,
            Outcome::ComeBackLater => Key::OutcomeComeBackLater,
            Outcome::WantsToJoinTeam => Key::OutcomeWantsToJoinTeam,
        }
    }

    /// A resident's interest in a project.
    pub fn interest(i: Interest) -> Key {
        match i {
            Interest::None => Key::InterestNone,
            Interest::Maybe => Key::InterestMaybe,
            Interest::Interested => Key::InterestInterested,
            Interest::Joins => Key::InterestJoins,
        }
    }

    /// What a follow-up is.
    pub fn follow_up(k: FollowUpKind) -> Key {
        match k {
            FollowUpKind::Revisit => Key::FollowUpRevisit,
            FollowUpKind::SendInformation => Key::FollowUpSendInformation,
            FollowUpKind::InviteToMeeting => Key::FollowUpInvite,
            FollowUpKind::Contact => Key::FollowUpContact,
        }
    }

    /// What a consent is for.
    pub fn purpose(p: ConsentPurpose) -> Key {
        match p {
            ConsentPurpose::ProjectUpdates => Key::PurposeProjectUpdates,
            ConsentPurpose::MeetingInvitations => Key::PurposeMeetingInvitations,
            ConsentPurpose::TeamRecruitment => Key::PurposeTeamRecruitment,
        }
    }

    /// How a resident may be reached.
    pub fn channel(c: Channel) -> Key {
        match c {
            Channel::Email => Key::ChannelEmail,
            Channel::Phone => Key::ChannelPhone,
            Channel::Message => Key::ChannelMessage,
            Channel::Letterbox => Key::ChannelLetterbox,
        }
    }

    /// What a target counts.
    pub fn unit(u: Unit) -> Key {
        match u {
            Unit::Households => Key::UnitHouseholds,
            Unit::Euros => Key::UnitEuros,
            Unit::Panels => Key::UnitPanels,
            Unit::SquareMetres => Key::UnitSquareMetres,
            Unit::Participants => Key::UnitParticipants,
        }
    }

    /// A role in the team.
    pub fn theme(t: Theme) -> Key {
        match t {
            Theme::Aed => Key::ThemeAed,
            Theme::Solar => Key::ThemeSolar,
            Theme::Insulation => Key::ThemeInsulation,
            Theme::Greening => Key::ThemeGreening,
            Theme::Other => Key::ThemeOther,
        }
    }

    pub fn phase(p: Phase) -> Key {
        match p {
            Phase::Initiate => Key::PhaseInitiate,
            Phase::Activate => Key::PhaseActivate,
            Phase::Structure => Key::PhaseStructure,
            Phase::Grow => Key::PhaseGrow,
            Phase::Consolidate => Key::PhaseConsolidate,
        }
    }

    /// A step's doorstep evidence in the shape of a project's target line ("65 van 1500
    /// euro"): "2 van 60 huishoudens met een toezegging", so the two read alike and each says
    /// what it counts.
    pub fn evidence(locale: Locale, m: Measure, count: u64, target: u32) -> String {
        fill(
            text(locale, Key::EvidenceLine),
            &[
                &count.to_string(),
                &target.to_string(),
                text(locale, measure(m)),
            ],
        )
    }

    pub fn measure(m: Measure) -> Key {
        match m {
            Measure::Reached => Key::MeasureReached,
            Measure::Interested => Key::MeasureInterested,
            Measure::Joined => Key::MeasureJoined,
            Measure::PledgedHouseholds => Key::MeasurePledgedHouseholds,
            Measure::PledgedAmount => Key::MeasurePledgedAmount,
            Measure::NewMembers => Key::MeasureNewMembers,
            Measure::Consents(_) => Key::MeasureConsents,
        }
    }

    pub fn role(r: Role) -> Key {
        match r {
            Role::Expert => Key::RoleExpert,
            Role::Connector => Key::RoleConnector,
            Role::Driver => Key::RoleDriver,
        }
    }
}

/// A date as people read it on a phone: "2 dec" (in the phone's time zone).
pub fn day(locale: Locale, at_ms: u64) -> String {
    date(locale, crate::clock::local_date(at_ms))
}

/// A calendar date as people read it: "2 dec".
pub fn date(locale: Locale, d: chrono::NaiveDate) -> String {
    use chrono::Datelike;
    format!("{} {}", d.day(), month(locale, d.month0()))
}

fn month(locale: Locale, month0: u32) -> &'static str {
    const NL: [&str; 12] = [
        "jan", "feb", "mrt", "apr", "mei", "jun", "jul", "aug", "sep", "okt", "nov", "dec",
    ];
    const EN: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    let i = (month0 as usize).min(11);
    match locale {
        Locale::Nl => NL[i],
        Locale::En => EN[i],
    }
}

/// A day and time as people read it on a phone: "2 dec 14:05" (in the phone's time zone).
pub fn day_and_time(locale: Locale, at_ms: u64) -> String {
    let (hours, minutes) = crate::clock::local_time(at_ms);
    format!("{} {hours:02}:{minutes:02}", day(locale, at_ms))
}

/// The text of `key` in `locale`.
pub fn text(locale: Locale, key: Key) -> &'static str {
    match locale {
        Locale::Nl => nl::text(key),
        Locale::En => en::text(key),
    }
}

/// The English texts in [`Key`] order, once fetched (in the browser).
#[cfg(target_arch = "wasm32")]
mod en {
    use std::cell::OnceCell;

    use super::Key;

    thread_local! {
        static TEXTS: OnceCell<Box<[&'static str]>> = const { OnceCell::new() };
        /// The English of the step-plan templates' and guides' Dutch texts, sorted by the Dutch.
        static PLANS: OnceCell<Box<[(&'static str, &'static str)]>> = const { OnceCell::new() };
    }

    fn plan_text(nl: &str) -> Option<&'static str> {
        PLANS.with(|p| {
            let p = p.get()?;
            let i = p.binary_search_by(|(k, _)| (*k).cmp(nl)).ok()?;
            Some(p[i].1)
        })
    }

    /// The English text of `key`; the Dutch one until the English texts are in.
    pub(super) fn text(key: Key) -> &'static str {
        TEXTS
            .with(|t| t.get().map(|t| t[key as usize]))
            .unwrap_or_else(|| super::nl::text(key))
    }

    pub(super) fn loaded() -> bool {
        TEXTS.with(|t| t.get().is_some())
    }

    /// Takes the texts of `en.json` into use; refused (nothing changes) unless it is an array
    /// of one text per key followed by Dutch and English pairs of the plans, as the same build
    /// wrote it.
    pub fn install(json: &str) -> Result<(), String> {
        let texts: Vec<String> = serde_json::from_str(json).map_err(|e| e.to_string())?;
        let keys = Key::ALL.len();
        if texts.len() < keys || !(texts.len() - keys).is_multiple_of(2) {
            return Err(format!("{} texts for {keys} keys", texts.len()));
        }
        // Kept for the page's life, like the Dutch texts in the binary.
        let mut texts: Vec<&'static str> = texts
            .into_iter()
            .map(|t| &*Box::leak(t.into_boxed_str()))
            .collect();
        // Written sorted by the Dutch (the test that writes the file sorts them), for the
        // binary search in `plan_text`.
        let plans: Vec<(&'static str, &'static str)> =
            texts[keys..].chunks(2).map(|p| (p[0], p[1])).collect();
        texts.truncate(keys);
        TEXTS.with(|t| {
            let _ = t.set(texts.into());
        });
        PLANS.with(|p| {
            let _ = p.set(plans.into());
        });
        buurtbel_core::templates::set_english(plan_text);
        Ok(())
    }

    /// Fetches and installs `/en.json` unless it is in already (served by the service worker
    /// offline, as every file of the build).
    pub async fn load() -> Result<(), String> {
        use wasm_bindgen::JsCast;
        use wasm_bindgen_futures::JsFuture;
        if loaded() {
            return Ok(());
        }
        let window = web_sys::window().ok_or("no window")?;
        let response: web_sys::Response = JsFuture::from(window.fetch_with_str("/en.json"))
            .await
            .map_err(|_| "offline".to_owned())?
            .unchecked_into();
        if !response.ok() {
            return Err(format!("status {}", response.status()));
        }
        let text = JsFuture::from(response.text().map_err(|_| "no body".to_owned())?)
            .await
            .map_err(|_| "no body".to_owned())?
            .as_string()
            .unwrap_or_default();
        install(&text)
    }
}

/// Takes the English texts (the contents of `public/en.json`) into use at once, without a
/// fetch: for component tests that mount the app outside the built site.
#[cfg(target_arch = "wasm32")]
pub fn install_english(json: &str) -> Result<(), String> {
    en::install(json)
}

/// Makes sure the texts of `locale` are in before it is used (English is fetched once).
pub async fn load(locale: Locale) {
    #[cfg(target_arch = "wasm32")]
    if locale == Locale::En
        && let Err(e) = en::load().await
    {
        // The Dutch texts stand in; the next choice or start tries again.
        web_sys::console::warn_1(&format!("English texts not loaded: {e}").into());
    }
    #[cfg(not(target_arch = "wasm32"))]
    let _ = locale;
}

/// The active locale, shared through Leptos context.
#[derive(Clone, Copy, Debug)]
pub struct I18n {
    locale: RwSignal<Locale>,
}

impl I18n {
    /// Creates the locale state and makes it available to every component below.
    pub fn provide(initial: Locale) -> I18n {
        let i18n = I18n {
            locale: RwSignal::new(initial),
        };
        provide_context(i18n);
        i18n
    }

    /// The locale state of the surrounding app; a component rendered on its own gets the default.
    pub fn current() -> I18n {
        use_context::<I18n>().unwrap_or_else(|| I18n::provide(Locale::default()))
    }

    /// The active locale (tracked).
    pub fn locale(self) -> Locale {
        self.locale.get()
    }

    /// The active locale, without making the caller depend on it (event handlers).
    pub fn locale_untracked(self) -> Locale {
        self.locale.get_untracked()
    }

    /// Switches the whole app to `locale`, once its texts are in.
    pub fn set_locale(self, locale: Locale) {
        #[cfg(target_arch = "wasm32")]
        if locale == Locale::En && !en::loaded() {
            leptos::task::spawn_local(async move {
                load(locale).await;
                self.locale.set(locale);
            });
            return;
        }
        self.locale.set(locale);
    }

    /// A reactive text: re-evaluates when the locale changes.
    pub fn t(self, key: Key) -> impl Fn() -> &'static str + Copy + Send + Sync + 'static {
        move || text(self.locale.get(), key)
    }
}

/// Shorthand for `I18n::current().t(key)` inside components.
pub fn t(key: Key) -> impl Fn() -> &'static str + Copy + Send + Sync + 'static {
    I18n::current().t(key)
}

/// A count in words: `one` for exactly one, `many` otherwise, with the number in place of
/// `{}`.
pub fn counted(locale: Locale, one: Key, many: Key, n: usize) -> String {
    fill(
        text(locale, if n == 1 { one } else { many }),
        &[&n.to_string()],
    )
}

/// `text` with each `{}` replaced by the next of `args`.
pub fn fill(text: &str, args: &[&str]) -> String {
    let mut out = String::with_capacity(text.len() + 16);
    let mut args = args.iter();
    let mut parts = text.split("{}");
    if let Some(first) = parts.next() {
        out.push_str(first);
    }
    for part in parts {
        out.push_str(args.next().copied().unwrap_or_default());
        out.push_str(part);
    }
    out
}

/// Sets `<html lang>` so screen readers and hyphenation follow the chosen language.
pub fn set_document_language(locale: Locale) {
    if let Some(html) = document().document_element() {
        // Failing to set an attribute only affects assistive hints; nothing to recover.
        let _ = html.set_attribute("lang", locale.code());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_key_has_a_text_in_every_locale() {
        for &key in Key::ALL {
            for locale in Locale::ALL {
                assert!(
                    !text(locale, key).trim().is_empty(),
                    "{key:?} in {locale:?}"
                );
            }
        }
    }

    #[test]
    fn placeholders_are_filled_in_order_and_match_across_locales() {
        assert_eq!(fill("{} van {}", &["3", "5"]), "3 van 5");
        assert_eq!(fill("geen", &["x"]), "geen");
        for &key in Key::ALL {
            let count = |locale| text(locale, key).matches("{}").count();
            assert_eq!(count(Locale::Nl), count(Locale::En), "{key:?}");
            // `fill` knows only `{}`: a numbered `{0}` would reach the screen as it is.
            for locale in Locale::ALL {
                let braces = text(locale, key).matches('{').count();
                assert_eq!(braces, count(locale), "{key:?} in {locale:?}");
            }
        }
    }

    #[test]
    fn the_static_shell_paints_the_app_s_own_titles_and_introductions() {
        let shell = include_str!("../public/shell.js");
        let start = shell.find("const TEXTS = ").expect("texts") + "const TEXTS = ".len();
        let end = shell[start..].find(";\n// :texts").expect("end of texts") + start;
        let texts: serde_json::Value = serde_json::from_str(&shell[start..end]).expect("json");
        let pages = [
            ("/", Key::NavWalk, Key::WalkIntro),
            ("/team", Key::NavTeam, Key::TeamIntro),
            ("/plan", Key::PlanTitle, Key::PlanIntro),
            ("/overleg", Key::NavMeetings, Key::MeetingsIntro),
            ("/voortgang", Key::NavDashboard, Key::DashboardIntro),
            ("/instellingen", Key::SettingsTitle, Key::SettingsIntro),
            ("setup", Key::SetupTitle, Key::SetupIntro),
        ];
        for locale in Locale::ALL {
            let of = &texts[locale.code()];
            for (page, title, intro) in pages {
                assert_eq!(of[page][0], text(locale, title), "{page} {locale:?}");
                assert_eq!(of[page][1], text(locale, intro), "{page} {locale:?}");
            }
            let nav: Vec<&str> = crate::routing::Page::NAV
                .iter()
                .map(|p| text(locale, p.title()))
                .collect();
            assert_eq!(of["nav"], serde_json::json!(nav), "{locale:?}");
        }
    }

    /// `public/en.json` is what the browser fetches for English: every key's text from
    /// `i18n/en.rs`, in [`Key`] order, then the Dutch and English of every text of the
    /// step-plan templates and guides (core's, which the app's build leaves out). Rewritten by
    /// running this test with `BUURTBEL_WRITE_EN=1`.
    #[test]
    fn the_english_file_holds_en_rs_in_key_order() {
        for (i, key) in Key::ALL.iter().enumerate() {
            assert_eq!(*key as usize, i, "{key:?}");
        }
        let mut texts: Vec<&str> = Key::ALL.iter().map(|k| en::text(*k)).collect();
        let mut plans: Vec<(&str, &str)> = buurtbel_core::templates::all_texts()
            .into_iter()
            .map(|t| (t.nl, t.en))
            .collect();
        plans.sort_unstable();
        plans.dedup();
        // The app finds a text's English by binary search on its Dutch: one English per Dutch.
        assert!(
            plans.windows(2).all(|w| w[0].0 < w[1].0),
            "a Dutch text with two translations"
        );
        for (nl, en) in plans {
            texts.extend([nl, en]);
        }
        let want = serde_json::to_string(&texts).expect("json") + "\n";
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/public/en.json");
        if std::env::var_os("BUURTBEL_WRITE_EN").is_some() {
            std::fs::write(path, &want).expect("write en.json");
        }
        let have = std::fs::read_to_string(path).unwrap_or_default();
        assert!(
            have == want,
            "public/en.json differs from i18n/en.rs: run BUURTBEL_WRITE_EN=1 cargo test -p buurtbel-app the_english_file"
        );
    }

    #[test]
    fn dutch_is_the_default_and_codes_round_trip() {
        assert_eq!(Locale::default(), Locale::Nl);
        for locale in Locale::ALL {
            assert_eq!(Locale::from_code(locale.code()), Some(locale));
        }
        assert_eq!(Locale::from_code("de"), None);
    }

    #[test]
    fn the_switch_names_the_other_language_in_that_language() {
        assert_eq!(text(Locale::Nl, Key::SwitchLanguage), "English");
        assert_eq!(text(Locale::En, Key::SwitchLanguage), "Nederlands");
    }
}
