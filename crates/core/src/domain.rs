//! The words of the domain (see `shared/DOMAIN.md`): roles, themes, phases, outcomes and the
//! small value types that operations carry.

use serde::{Deserialize, Serialize};

use crate::ids::MemberId;

/// A role in the buurtteam. A member may hold any set of them.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// *Inhoudelijk expert*: knows the subject, gives neighbours good information.
    Expert,
    /// *Verbinder*: enthuses neighbours, goes door to door, keeps contacts.
    Connector,
    /// *Ondernemer*: makes the project concrete, keeps the overview and the pace.
    Driver,
}

impl Role {
    /// Every role, in the order the team page shows them.
    pub const ALL: [Role; 3] = [Role::Expert, Role::Connector, Role::Driver];
}

/// The theme of a project; picks the step-plan template.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Theme {
    /// A neighbourhood AED.
    Aed,
    /// Buying solar panels together.
    Solar,
    /// Insulation and energy saving.
    Insulation,
    /// Green roofs and greening.
    Greening,
    /// Anything else; starts with the common first steps only.
    Other,
}

impl Theme {
    /// Every theme.
    pub const ALL: [Theme; 5] = [
        Theme::Aed,
        Theme::Solar,
        Theme::Insulation,
        Theme::Greening,
        Theme::Other,
    ];
}

/// A phase of the growth cycle a project moves through.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Phase {
    /// *Initiëren*: start.
    Initiate,
    /// *Activeren*: mobilise.
    Activate,
    /// *Structureren*: organise.
    Structure,
    /// *Groeien*: grow.
    Grow,
    /// *Bestendigen*: consolidate.
    Consolidate,
}

impl Phase {
    /// Every phase, in the order a project goes through them.
    pub const ALL: [Phase; 5] = [
        Phase::Initiate,
        Phase::Activate,
        Phase::Structure,
        Phase::Grow,
        Phase::Consolidate,
    ];
}

/// Who is responsible for a step or an action item.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(tag = "type", content = "id", rename_all = "snake_case")]
pub enum Owner {
    /// A named member.
    Member(MemberId),
    /// Whoever holds this role.
    Role(Role),
}

/// What a project's target and its pledges count: a household signs up, or pledges an amount
/// in the project's unit (euros for an AED, panels for collective solar).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Unit {
    /// Households that join: the count of "doet mee" at the door.
    Households,
    /// Whole euros pledged (crowdfunding an AED).
    Euros,
    /// Solar panels pledged.
    Panels,
    /// Square metres of green roof or unpaved garden pledged.
    SquareMetres,
    /// People who take part (volunteers for a planting day, CPR course participants).
    Participants,
}

impl Unit {
    /// Every unit.
    pub const ALL: [Unit; 5] = [
        Unit::Households,
        Unit::Euros,
        Unit::Panels,
        Unit::SquareMetres,
        Unit::Participants,
    ];

    /// Whether progress in this unit is the number of households that join (rather than the
    /// sum of what they pledge).
    pub fn counts_households(self) -> bool {
        self == Unit::Households
    }
}

/// What a project aims for, such as "60 households" or "1,500 euros".
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Target {
    /// How many.
    pub count: u32,
    /// Of what.
    pub unit: Unit,
}

/// A measure of a project that doorstep evidence gives, for steps that are completed by it
/// rather than by a tick ("60 households pledged").
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Measure {
    /// Households where somebody opened the door.
    Reached,
    /// Households whose latest word on the project is "interested" or "joins".
    Interested,
    /// Households whose latest word on the project is "joins".
    Joined,
    /// Joined households that pledged something for the project.
    PledgedHouseholds,
    /// The sum pledged for the project, in the project's unit.
    PledgedAmount,
    /// Residents who said at the door they want to join the team.
    NewMembers,
    /// Households with a consent for this purpose that was not withdrawn.
    Consents(ConsentPurpose),
}

/// A step's doorstep evidence: which measure of its project, and how much of it completes
/// the step.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Evidence {
    /// What is counted.
    pub measure: Measure,
    /// How much completes the step.
    pub target: u32,
}

/// How a follow-up ended without a new door visit.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Resolution {
    /// Done: called, information sent, invited.
    Done,
    /// No longer needed.
    Cancelled,
}

/// The outcome of a doorstep conversation.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    /// *Niet thuis*: nobody opened. The most common outcome.
    NotHome,
    /// *Geen interesse*.
    NotInterested,
    /// *Wil niet meer benaderd worden*: the address is left out of walk lists from now on.
    DoNotVisit,
    /// *Geïnteresseerd*.
    Interested,
    /// *Doet mee*: joins, signs up or pledges.
    Joins,
    /// *Wil informatie*: wants information or an invitation to the buurt meeting.
    WantsInformation,
    /// *Later terugkomen*: come back later.
    ComeBackLater,
    /// *Wil meedoen in het buurtteam*.
    WantsToJoinTeam,
}

impl Outcome {
    /// Every outcome.
    pub const ALL: [Outcome; 8] = [
        Outcome::NotHome,
        Outcome::NotInterested,
        Outcome::DoNotVisit,
        Outcome::Interested,
        Outcome::Joins,
        Outcome::WantsInformation,
        Outcome::ComeBackLater,
        Outcome::WantsToJoinTeam,
    ];

    /// Whether somebody opened the door: the household was reached.
    pub fn reached(self) -> bool {
        self != Outcome::NotHome
    }
}

/// A resident's interest in one project, as heard at the door.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Interest {
    /// Not for them.
    None,
    /// Maybe; wants to hear more.
    Maybe,
    /// Interested.
    Interested,
    /// Signs up, joins or pledges.
    Joins,
}

/// A follow-up the resident asked for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FollowUpKind {
    /// Come back to the door.
    Revisit,
    /// Bring or send information.
    SendInformation,
    /// Invite to the buurt meeting.
    InviteToMeeting,
    /// Call or message (needs recorded consent for the contact data).
    Contact,
}

/// What a resident gave consent for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ConsentPurpose {
    /// Information and updates about a project.
    ProjectUpdates,
    /// Invitations to buurt meetings.
    MeetingInvitations,
    /// Contact about joining the team.
    TeamRecruitment,
}

/// A way to reach a resident.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Channel {
    /// E-mail.
    Email,
    /// Phone call.
    Phone,
    /// Text or chat message.
    Message,
    /// A note through the letterbox.
    Letterbox,
}

/// What an item of a project's doorstep guide is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum GuideKind {
    /// The opening, in the ambassadors' own words.
    Opening,
    /// A key point to get across.
    KeyPoint,
    /// A question neighbours ask, with its answer.
    Question,
}

impl GuideKind {
    /// Every kind, in the order the guide shows them.
    pub const ALL: [GuideKind; 3] = [GuideKind::Opening, GuideKind::KeyPoint, GuideKind::Question];
}
