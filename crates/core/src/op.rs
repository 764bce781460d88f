//! Operations: every change to a team's data is one immutable operation.
//!
//! An operation has a globally unique id, a hybrid logical clock timestamp, its author (member
//! and device) and a typed payload. State is a pure fold of operations ([`crate::state`]).

use std::collections::{BTreeMap, BTreeSet};

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

mod decode;
mod encode;

use crate::clock::Hlc;
use crate::domain::{
    Channel, ConsentPurpose, Evidence, FollowUpKind, GuideKind, Interest, Outcome, Owner, Phase,
    Resolution, Role, Target, Theme,
};
use crate::ids::{
    ActionItemId, AddressId, AdviceId, ConsentId, DecisionId, DeviceId, GuideItemId, MeetingId,
    MemberId, OpId, ProjectId, QuestionId, StepId, VisitId,
};

/// Who made an operation.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Author {
    /// The ambassador.
    pub member: MemberId,
    /// The device they used.
    pub device: DeviceId,
}

/// One change to a team's data.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Operation {
    /// Globally unique; a retried or duplicated operation has the same id.
    pub id: OpId,
    /// When, by the author's hybrid logical clock.
    pub hlc: Hlc,
    /// Who.
    pub author: Author,
    /// What.
    pub payload: Payload,
}

impl Operation {
    /// The total order used by last-writer-wins merges.
    pub fn stamp(&self) -> Stamp {
        Stamp {
            hlc: self.hlc,
            device: self.author.device,
            op: self.id,
        }
    }
}

impl Operation {
    /// The address whose resident's personal data this operation carries or erases: visits,
    /// consents and erasures. Stores use it to find what an erasure must reach.
    ///
    /// Every kind is named here (no catch-all), so a new kind must say whether it holds a
    /// resident's data before it compiles.
    pub fn resident_address(&self) -> Option<AddressId> {
        match &self.payload {
            Payload::VisitLog(v) => Some(v.address),
            Payload::ConsentGive(c) => Some(c.address),
            Payload::EraseResident { address } => Some(*address),
            // A question carries its resident's address only when they agreed to be answered.
            Payload::QuestionAsk { address, .. } => *address,
            Payload::TeamUpdate { .. }
            | Payload::MemberAdd { .. }
            | Payload::MemberUpdate { .. }
            | Payload::MemberRemove { .. }
            | Payload::ProjectAdd { .. }
            | Payload::ProjectUpdate { .. }
            | Payload::ProjectRemove { .. }
            | Payload::ProjectPage { .. }
            | Payload::StepAdd { .. }
            | Payload::StepUpdate { .. }
            | Payload::StepDone { .. }
            | Payload::StepRemove { .. }
            | Payload::AddressAdd { .. }
            | Payload::AddressPropose { .. }
            | Payload::AddressUpdate { .. }
            | Payload::AddressRemove { .. }
            | Payload::VisitRetract { .. }
            | Payload::FollowUpResolve { .. }
            | Payload::ConsentWithdraw { .. }
            | Payload::MeetingAdd { .. }
            | Payload::MeetingUpdate { .. }
            | Payload::MeetingAttend { .. }
            | Payload::MeetingRemove { .. }
            | Payload::DecisionAdd { .. }
            | Payload::DecisionRemove { .. }
            | Payload::ActionItemAdd { .. }
            | Payload::ActionItemUpdate { .. }
            | Payload::ActionItemRemove { .. }
            | Payload::GuideItemAdd { .. }
            | Payload::GuideItemUpdate { .. }
            | Payload::GuideItemRemove { .. }
            | Payload::QuestionAnswer { .. }
            | Payload::AdviceGive { .. }
            | Payload::AdviceHandle { .. }
            | Payload::StreetAssign { .. } => None,
        }
    }

    /// Removes the resident's personal data (names, contact data, notes) from this operation,
    /// keeping the facts (that a visit or consent happened, its outcome and purposes). Returns
    /// whether anything was removed. The same fields [`crate::state::State`] clears on erasure.
    pub fn strip_personal(&mut self) -> bool {
        let mut removed = false;
        for field in self.personal_fields() {
            removed |= !std::mem::take(field).is_empty();
        }
        removed
    }

    /// Whether this operation holds any of a resident's personal data.
    pub fn holds_personal(&self) -> bool {
        // `personal_fields` needs `&mut`; a visit or consent is cheap to copy.
        self.resident_address().is_some()
            && self.clone().personal_fields().iter().any(|f| !f.is_empty())
    }

    /// The fields of this operation that hold a resident's personal data.
    ///
    /// Every kind is named here (no catch-all): a new kind that holds personal data cannot slip
    /// past erasure.
    fn personal_fields(&mut self) -> Vec<&mut String> {
        match &mut self.payload {
            Payload::VisitLog(v) => vec![&mut v.note],
            Payload::ConsentGive(c) => vec![&mut c.name, &mut c.phone, &mut c.email],
            // The resident's own words, kept only with their address when they agreed.
            Payload::QuestionAsk { text, .. } => vec![text],
            // Team and member names are the team's own, not a resident's; addresses are not
            // personal data on their own; the rest holds no text about a resident.
            Payload::TeamUpdate { .. }
            | Payload::MemberAdd { .. }
            | Payload::MemberUpdate { .. }
            | Payload::MemberRemove { .. }
            | Payload::ProjectAdd { .. }
            | Payload::ProjectUpdate { .. }
            | Payload::ProjectRemove { .. }
            | Payload::ProjectPage { .. }
            | Payload::StepAdd { .. }
            | Payload::StepUpdate { .. }
            | Payload::StepDone { .. }
            | Payload::StepRemove { .. }
            | Payload::AddressAdd { .. }
            | Payload::AddressPropose { .. }
            | Payload::AddressUpdate { .. }
            | Payload::AddressRemove { .. }
            | Payload::VisitRetract { .. }
            | Payload::FollowUpResolve { .. }
            | Payload::ConsentWithdraw { .. }
            | Payload::EraseResident { .. }
            | Payload::MeetingAdd { .. }
            | Payload::MeetingUpdate { .. }
            | Payload::MeetingAttend { .. }
            | Payload::MeetingRemove { .. }
            | Payload::DecisionAdd { .. }
            | Payload::DecisionRemove { .. }
            | Payload::ActionItemAdd { .. }
            | Payload::ActionItemUpdate { .. }
            | Payload::ActionItemRemove { .. }
            | Payload::GuideItemAdd { .. }
            | Payload::GuideItemUpdate { .. }
            | Payload::GuideItemRemove { .. }
            // Advice is the coach's own words to the team.
            | Payload::AdviceGive { .. }
            | Payload::AdviceHandle { .. }
            | Payload::StreetAssign { .. } => Vec::new(),
            // An answer may quote the resident's question: when the question was asked at a
            // door, a store keeps the answer with that address, and an erasure of the address
            // clears it.
            Payload::QuestionAnswer { answer, .. } => vec![answer],
        }
    }

    /// The payload's kind as written on the wire (`"visit_log"`, ...).
    pub fn kind(&self) -> &'static str {
        self.payload.describe().wire
    }
}

/// The part of a team's data an operation changes. Screens derive their views per area, so a
/// visit logged re-derives the walk-list statuses but does not re-sort the addresses.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Area {
    /// The team's name, its members and their roles.
    Team,
    /// Projects, their step plans and doorstep guides, and open questions from the doors.
    Plan,
    /// The addresses of the walk list.
    Addresses,
    /// Visits, follow-ups, consents and erasures: what happened at the doors.
    Visits,
    /// Meetings, attendance, decisions and action items.
    Meetings,
}

impl Area {
    /// Every area.
    pub const ALL: [Area; 5] = [
        Area::Team,
        Area::Plan,
        Area::Addresses,
        Area::Visits,
        Area::Meetings,
    ];
}

impl Payload {
    /// The area of the team's data this payload changes.
    pub fn area(&self) -> Area {
        self.describe().area
    }

    /// What every operation of this kind shares. Every kind is described here once (no
    /// catch-all): a new kind says its wire name, the area it changes and who may push it in
    /// one line. What it carries of a resident, what it creates and what it refers to depend
    /// on its fields: [`Operation::resident_address`], `personal_fields`,
    /// [`Operation::creates`] and [`Operation::references`].
    pub fn describe(&self) -> Kind {
        use Area::{Addresses, Meetings, Plan, Team, Visits};
        use Who::{Admin, Coach, Member, Page, ThemselvesOrAdmin};
        let (wire, area, who) = match self {
            Payload::TeamUpdate { .. } => ("team_update", Team, Admin),
            Payload::MemberAdd { .. } => ("member_add", Team, Admin),
            Payload::MemberUpdate { .. } => ("member_update", Team, ThemselvesOrAdmin),
            Payload::MemberRemove { .. } => ("member_remove", Team, ThemselvesOrAdmin),
            Payload::ProjectAdd { .. } => ("project_add", Plan, Member),
            Payload::ProjectUpdate { .. } => ("project_update", Plan, Member),
            Payload::ProjectRemove { .. } => ("project_remove", Plan, Member),
            Payload::ProjectPage { .. } => ("project_page", Plan, Admin),
            Payload::StepAdd { .. } => ("step_add", Plan, Member),
            Payload::StepUpdate { .. } => ("step_update", Plan, Member),
            Payload::StepDone { .. } => ("step_done", Plan, Member),
            Payload::StepRemove { .. } => ("step_remove", Plan, Member),
            Payload::AddressAdd { .. } => ("address_add", Addresses, Member),
            Payload::AddressPropose { .. } => ("address_propose", Addresses, Page),
            Payload::AddressUpdate { .. } => ("address_update", Addresses, Member),
            Payload::AddressRemove { .. } => ("address_remove", Addresses, Member),
            Payload::VisitLog(_) => ("visit_log", Visits, Member),
            Payload::VisitRetract { .. } => ("visit_retract", Visits, Member),
            Payload::FollowUpResolve { .. } => ("follow_up_resolve", Visits, Member),
            Payload::ConsentGive(_) => ("consent_give", Visits, Member),
            Payload::ConsentWithdraw { .. } => ("consent_withdraw", Visits, Member),
            // Any member, as a resident may ask whoever is at the door; how many per hour is
            // limited by `rules::erasures_per_hour`.
            Payload::EraseResident { .. } => ("erase_resident", Visits, Member),
            Payload::MeetingAdd { .. } => ("meeting_add", Meetings, Member),
            Payload::MeetingUpdate { .. } => ("meeting_update", Meetings, Member),
            Payload::MeetingAttend { .. } => ("meeting_attend", Meetings, Member),
            Payload::MeetingRemove { .. } => ("meeting_remove", Meetings, Member),
            Payload::DecisionAdd { .. } => ("decision_add", Meetings, Member),
            Payload::DecisionRemove { .. } => ("decision_remove", Meetings, Member),
            Payload::ActionItemAdd { .. } => ("action_item_add", Meetings, Member),
            Payload::ActionItemUpdate { .. } => ("action_item_update", Meetings, Member),
            Payload::ActionItemRemove { .. } => ("action_item_remove", Meetings, Member),
            Payload::GuideItemAdd { .. } => ("guide_item_add", Plan, Member),
            Payload::GuideItemUpdate { .. } => ("guide_item_update", Plan, Member),
            Payload::GuideItemRemove { .. } => ("guide_item_remove", Plan, Member),
            Payload::QuestionAsk { .. } => ("question_ask", Plan, Member),
            Payload::QuestionAnswer { .. } => ("question_answer", Plan, Member),
            Payload::AdviceGive { .. } => ("advice_give", Plan, Coach),
            Payload::AdviceHandle { .. } => ("advice_handle", Plan, Member),
            // Neighbours, not a campaign: any member takes a street or hands one on.
            Payload::StreetAssign { .. } => ("street_assign", Addresses, Member),
        };
        Kind { wire, area, who }
    }
}

/// What all operations of one kind share (see [`Payload::describe`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Kind {
    /// Its name on the wire (`"visit_log"`).
    pub wire: &'static str,
    /// The part of the team's data it changes.
    pub area: Area,
    /// Who may push it.
    pub who: Who,
}

/// Who may push a kind of operation (the server refuses others; the phone does not offer it).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Who {
    /// Every member of the team.
    Member,
    /// Admins only.
    Admin,
    /// The member it is about, or an admin.
    ThemselvesOrAdmin,
    /// No device: only the server, for a project's resident page (`/doe-mee/<code>`).
    Page,
    /// No device: only the server, for a buurtbegeleider who looks along (`/begeleider`).
    Coach,
}

/// The position of an operation in the last-writer-wins order: by HLC, then device id (two
/// devices can share an HLC), then operation id (so the order is total even for a faulty
/// device that reuses a timestamp).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Stamp {
    /// The operation's timestamp.
    pub hlc: Hlc,
    /// The author's device.
    pub device: DeviceId,
    /// The operation.
    pub op: OpId,
}

/// A doorstep conversation as logged. Append-only: a visit is never edited, a correction is a
/// new visit.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct VisitLog {
    /// The new visit's id.
    pub visit: VisitId,
    /// Where.
    pub address: AddressId,
    /// When the conversation took place (device time, Unix milliseconds); may be earlier than
    /// the operation when several doors are logged at once.
    pub at_ms: u64,
    /// What came of it.
    pub outcome: Outcome,
    /// Interest per project: a resident may want the AED and not solar panels.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub interests: BTreeMap<ProjectId, Interest>,
    /// What the resident pledged per project, in that project's unit (euros, panels, ...).
    /// Only for projects whose interest here is "joins".
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub pledges: BTreeMap<ProjectId, u32>,
    /// The resident wants to join the team, in these roles (empty: any role).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub join_team: Option<BTreeSet<Role>>,
    /// A free note. Personal: erased with the resident's data. No special categories.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub note: String,
    /// A follow-up the resident asked for.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub follow_up: Option<FollowUp>,
    /// Nobody was home and a flyer went through the letterbox ("niet thuis, flyer
    /// achtergelaten"); only with the outcome "not home".
    #[serde(default, skip_serializing_if = "is_false")]
    pub flyer: bool,
    /// The resident answered on the project's resident page themselves ("heeft zich
    /// aangemeld"); only the server records such a visit.
    #[serde(default, skip_serializing_if = "is_false")]
    pub online: bool,
}

fn is_false(value: &bool) -> bool {
    !*value
}

/// A follow-up wish and its date.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FollowUp {
    /// What to do.
    pub kind: FollowUpKind,
    /// When (none: as soon as convenient).
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        with = "iso_date::option"
    )]
    pub date: Option<NaiveDate>,
}

/// A resident's consent to be contacted. Append-only; withdrawal is a separate operation.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConsentGive {
    /// The new consent record's id.
    pub consent: ConsentId,
    /// The resident's address.
    pub address: AddressId,
    /// What it may be used for (at least one).
    pub purposes: BTreeSet<ConsentPurpose>,
    /// How the resident may be reached (at least one).
    pub channels: BTreeSet<Channel>,
    /// The resident's name. Personal: erased with the resident's data.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub name: String,
    /// Phone number. Personal.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub phone: String,
    /// E-mail address. Personal.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub email: String,
    /// When consent was given (Unix milliseconds).
    pub given_at_ms: u64,
}

/// A field that an update may set, clear, or leave alone. Absent in JSON: leave alone;
/// `null`: clear; a value: set.
pub type Patch<T> = Option<Option<T>>;

/// What an operation does. On the wire an object with one key, the kind, holding the fields:
/// `{"visit_log": {...}}`. (Externally tagged: it decodes without buffering, which keeps the
/// app's wasm small.) The reader and the writer are written out, one for all kinds
/// (`op/decode.rs`, `op/encode.rs`); the attributes below are the wire format they follow, and
/// the derived writer they drive (`Payload::serialize`, an associated function) is what the
/// tests hold the written-out one to.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case", remote = "Self")]
pub enum Payload {
    /// Names the team or its buurt.
    TeamUpdate {
        /// The team's name.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        name: Option<String>,
        /// The buurt it works in.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        neighbourhood: Option<String>,
    },
    /// A member joins the team.
    MemberAdd {
        /// The new member.
        member: MemberId,
        /// Name shown to the team.
        display_name: String,
        /// Roles held (may be empty).
        #[serde(default)]
        roles: BTreeSet<Role>,
    },
    /// A member's name or roles change.
    MemberUpdate {
        /// Which member.
        member: MemberId,
        /// New name.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        display_name: Option<String>,
        /// New set of roles (replaces the old set).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        roles: Option<BTreeSet<Role>>,
    },
    /// A member leaves the team.
    MemberRemove {
        /// Which member.
        member: MemberId,
    },
    /// A project starts.
    ProjectAdd {
        /// The new project.
        project: ProjectId,
        /// Its theme.
        theme: Theme,
        /// Its title.
        title: String,
        /// What it aims for, in a typed unit; pledges for the project are in that unit.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        target: Option<Target>,
    },
    /// A project's title or target changes.
    ProjectUpdate {
        /// Which project.
        project: ProjectId,
        /// New title.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        title: Option<String>,
        /// New target, or `null` to clear it.
        #[serde(default, skip_serializing_if = "Option::is_none", with = "patch")]
        target: Patch<Target>,
    },
    /// A project is removed.
    ProjectRemove {
        /// Which project.
        project: ProjectId,
    },
    /// A project's resident page (`/doe-mee/<code>`, [`ProjectId::page_code`]) opens for
    /// residents' answers, or closes at once.
    ProjectPage {
        /// Which project.
        project: ProjectId,
        /// Open.
        open: bool,
    },
    /// A step is added to a project's plan.
    StepAdd {
        /// The new step.
        step: StepId,
        /// Its project.
        project: ProjectId,
        /// Title.
        title: String,
        /// Description.
        #[serde(default, skip_serializing_if = "String::is_empty")]
        description: String,
        /// Phase of the growth cycle.
        phase: Phase,
        /// Who takes it on.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        owner: Option<Owner>,
        /// Due date.
        #[serde(
            default,
            skip_serializing_if = "Option::is_none",
            with = "iso_date::option"
        )]
        due: Option<NaiveDate>,
        /// Position in the plan (ascending).
        order: i64,
        /// Doorstep evidence that completes it, such as "60 households pledged"; a step
        /// without evidence is ticked by hand.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        evidence: Option<Evidence>,
    },
    /// A step's fields change (reorder, skip, reassign, ...).
    StepUpdate {
        /// Which step.
        step: StepId,
        /// New title.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        title: Option<String>,
        /// New description.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        description: Option<String>,
        /// New phase.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        phase: Option<Phase>,
        /// New owner, or `null` for nobody.
        #[serde(default, skip_serializing_if = "Option::is_none", with = "patch")]
        owner: Patch<Owner>,
        /// New due date, or `null` for none.
        #[serde(
            default,
            skip_serializing_if = "Option::is_none",
            with = "iso_date::patch"
        )]
        due: Patch<NaiveDate>,
        /// New position.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        order: Option<i64>,
        /// New note.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        note: Option<String>,
        /// Skipped (not needed in this project) or not.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        skipped: Option<bool>,
        /// New doorstep evidence, or `null` for a step ticked by hand.
        #[serde(default, skip_serializing_if = "Option::is_none", with = "patch")]
        evidence: Patch<Evidence>,
    },
    /// A step is ticked off (`done: true`, by the author, at the operation's time) or reopened.
    StepDone {
        /// Which step.
        step: StepId,
        /// Done or reopened.
        done: bool,
    },
    /// A step is removed from the plan.
    StepRemove {
        /// Which step.
        step: StepId,
    },
    /// An address is added to the walk list.
    AddressAdd {
        /// The new address.
        address: AddressId,
        /// Street name.
        street: String,
        /// House number.
        number: u32,
        /// House letter (*huisletter*), such as "a".
        #[serde(default, skip_serializing_if = "String::is_empty")]
        letter: String,
        /// Addition (*toevoeging*), such as "2" or "bis".
        #[serde(default, skip_serializing_if = "String::is_empty")]
        addition: String,
        /// Postcode, "1234 AB".
        postcode: String,
    },
    /// A resident answered on the project's page from an address the walk list does not have.
    /// It waits for the team: an [`Payload::AddressAdd`] with the same id confirms it (and the
    /// answer counts from then on), an [`Payload::AddressRemove`] discards it.
    AddressPropose {
        /// The id the address gets when it is confirmed.
        address: AddressId,
        /// Postcode, "1234 AB".
        postcode: String,
        /// House number.
        number: u32,
        /// House letter.
        #[serde(default, skip_serializing_if = "String::is_empty")]
        letter: String,
        /// Addition.
        #[serde(default, skip_serializing_if = "String::is_empty")]
        addition: String,
    },
    /// An address is corrected (a typo in any field) or marked (or unmarked) "do not visit
    /// again". Each field present is set; last writer wins per field.
    AddressUpdate {
        /// Which address.
        address: AddressId,
        /// Street name.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        street: Option<String>,
        /// House number.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        number: Option<u32>,
        /// House letter (empty for none).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        letter: Option<String>,
        /// Addition (empty for none).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        addition: Option<String>,
        /// Postcode.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        postcode: Option<String>,
        /// Skip it in walk lists.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        do_not_visit: Option<bool>,
    },
    /// An address is removed from the walk list.
    AddressRemove {
        /// Which address.
        address: AddressId,
    },
    /// A doorstep conversation is logged.
    VisitLog(VisitLog),
    /// A visit logged by mistake is taken back (undo). It leaves every view and count; the
    /// address history still shows it, marked as retracted.
    VisitRetract {
        /// Which visit.
        visit: VisitId,
    },
    /// The follow-up a visit asked for is done or no longer needed, without a new door visit;
    /// `null` opens it again.
    FollowUpResolve {
        /// The visit that asked for it.
        visit: VisitId,
        /// How it ended.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        resolution: Option<Resolution>,
    },
    /// A resident gives consent to be contacted.
    ConsentGive(ConsentGive),
    /// A resident withdraws a consent.
    ConsentWithdraw {
        /// Which consent.
        consent: ConsentId,
        /// When (Unix milliseconds).
        withdrawn_at_ms: u64,
    },
    /// The resident of an address asked for their data to be erased: names, contact data and
    /// notes of that address are removed, now and from any operation made before this one.
    EraseResident {
        /// Which address.
        address: AddressId,
    },
    /// A team meeting is planned or recorded.
    MeetingAdd {
        /// The new meeting.
        meeting: MeetingId,
        /// Its date.
        #[serde(with = "iso_date")]
        date: NaiveDate,
        /// Its title.
        #[serde(default, skip_serializing_if = "String::is_empty")]
        title: String,
    },
    /// A meeting's date or title changes.
    MeetingUpdate {
        /// Which meeting.
        meeting: MeetingId,
        /// New date.
        #[serde(
            default,
            skip_serializing_if = "Option::is_none",
            with = "iso_date::option"
        )]
        date: Option<NaiveDate>,
        /// New title.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        title: Option<String>,
    },
    /// One member is ticked present (or not) at a meeting. One operation per member, so two
    /// phones ticking different members at the same time both keep their tick.
    MeetingAttend {
        /// Which meeting.
        meeting: MeetingId,
        /// Who.
        member: MemberId,
        /// Present or not.
        present: bool,
    },
    /// A meeting is removed.
    MeetingRemove {
        /// Which meeting.
        meeting: MeetingId,
    },
    /// A decision is recorded. Append-only.
    DecisionAdd {
        /// The new decision.
        decision: DecisionId,
        /// The meeting that took it.
        meeting: MeetingId,
        /// What was decided.
        text: String,
    },
    /// A decision recorded by mistake is removed.
    DecisionRemove {
        /// Which decision.
        decision: DecisionId,
    },
    /// An action item is recorded at a meeting.
    ActionItemAdd {
        /// The new action item.
        item: ActionItemId,
        /// The meeting.
        meeting: MeetingId,
        /// What to do.
        text: String,
        /// Who does it.
        owner: Owner,
        /// By when.
        #[serde(
            default,
            skip_serializing_if = "Option::is_none",
            with = "iso_date::option"
        )]
        due: Option<NaiveDate>,
    },
    /// An action item changes or is done.
    ActionItemUpdate {
        /// Which item.
        item: ActionItemId,
        /// New text.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        text: Option<String>,
        /// New owner.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        owner: Option<Owner>,
        /// New due date, or `null` for none.
        #[serde(
            default,
            skip_serializing_if = "Option::is_none",
            with = "iso_date::patch"
        )]
        due: Patch<NaiveDate>,
        /// Done or open.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        done: Option<bool>,
    },
    /// An action item is removed.
    ActionItemRemove {
        /// Which item.
        item: ActionItemId,
    },
    /// An item is added to a project's doorstep guide.
    GuideItemAdd {
        /// The new item.
        item: GuideItemId,
        /// Its project.
        project: ProjectId,
        /// Opening, key point or question.
        kind: GuideKind,
        /// The text (for a question: the question).
        text: String,
        /// The answer (questions only).
        #[serde(default, skip_serializing_if = "String::is_empty")]
        answer: String,
        /// Position in the guide (ascending).
        order: i64,
        /// A starting text from a template the team has not made its own yet.
        #[serde(default, skip_serializing_if = "is_false")]
        draft: bool,
    },
    /// A guide item's fields change; each field present is set, last writer wins per field.
    GuideItemUpdate {
        /// Which item.
        item: GuideItemId,
        /// New text.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        text: Option<String>,
        /// New answer.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        answer: Option<String>,
        /// New position.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        order: Option<i64>,
        /// Still a draft or made the team's own.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        draft: Option<bool>,
    },
    /// A guide item is removed.
    GuideItemRemove {
        /// Which item.
        item: GuideItemId,
    },
    /// A question from the door the ambassador could not answer, for the team. Append-only.
    QuestionAsk {
        /// The new question.
        question: QuestionId,
        /// The project it is about, if any.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        project: Option<ProjectId>,
        /// The question. Personal when it carries an address: erased with the resident's data.
        text: String,
        /// Where it was asked, only when the resident agreed to be answered (a consent for
        /// project updates recorded at that door).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        address: Option<AddressId>,
        /// When (Unix milliseconds).
        asked_at_ms: u64,
    },
    /// An open question is answered (or its answer corrected; an empty answer opens it again).
    QuestionAnswer {
        /// Which question.
        question: QuestionId,
        /// The answer.
        answer: String,
    },
    /// Advice from a buurtbegeleider (coach) who looks along with the team, on the team as a
    /// whole, a project or one of its steps. Only the server makes it, for a signed-in coach;
    /// the team reads it in the plan and on the next meeting's agenda. Append-only.
    AdviceGive {
        /// The new advice.
        advice: AdviceId,
        /// The project it is about; none for the team as a whole.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        project: Option<ProjectId>,
        /// The step of that project it is about, if one.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        step: Option<StepId>,
        /// The advice.
        text: String,
        /// The coach's name, as the team knows them.
        name: String,
    },
    /// The team marks advice handled, or open again.
    AdviceHandle {
        /// Which advice.
        advice: AdviceId,
        /// Handled.
        done: bool,
    },
    /// Who walks one side of a street: a member, or nobody. Last writer wins per side, so
    /// reassigning is one change, and two phones assigning at once agree on the later.
    StreetAssign {
        /// The street as its addresses name it; sides compare by [`crate::views::street_key`].
        street: String,
        /// The side with odd house numbers, or the even.
        odd: bool,
        /// Who walks it; none: nobody.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        member: Option<MemberId>,
    },
}

/// Dates as `YYYY-MM-DD`, read and written without chrono's general formatter and parser
/// (which would add kilobytes to the app's wasm for one fixed format).
mod iso_date {
    use chrono::{Datelike, NaiveDate};
    use serde::de::Error;
    use serde::{Deserialize, Deserializer, Serialize, Serializer};

    /// A date on the wire.
    pub(crate) struct Iso(pub(crate) NaiveDate);

    impl Serialize for Iso {
        fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
            let d = self.0;
            serializer.collect_str(&format_args!(
                "{:04}-{:02}-{:02}",
                d.year(),
                d.month(),
                d.day()
            ))
        }
    }

    impl<'de> Deserialize<'de> for Iso {
        fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Iso, D::Error> {
            let text = <std::borrow::Cow<'de, str>>::deserialize(deserializer)?;
            parse(&text)
                .map(Iso)
                // The text itself is not repeated: it may be anything a client typed.
                .ok_or_else(|| D::Error::custom("not a date (YYYY-MM-DD)"))
        }
    }

    fn parse(text: &str) -> Option<NaiveDate> {
        let b = text.as_bytes();
        if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
            return None;
        }
        let number = |range: std::ops::Range<usize>| -> Option<u32> {
            b[range.clone()]
                .iter()
                .all(u8::is_ascii_digit)
                .then(|| text[range].parse().ok())?
        };
        NaiveDate::from_ymd_opt(
            i32::try_from(number(0..4)?).ok()?,
            number(5..7)?,
            number(8..10)?,
        )
    }

    pub(crate) fn serialize<S: Serializer>(value: &NaiveDate, s: S) -> Result<S::Ok, S::Error> {
        Iso(*value).serialize(s)
    }

    pub(crate) mod option {
        use super::Iso;
        use chrono::NaiveDate;
        use serde::{Deserialize, Deserializer, Serialize, Serializer};

        pub(crate) fn serialize<S: Serializer>(
            value: &Option<NaiveDate>,
            s: S,
        ) -> Result<S::Ok, S::Error> {
            value.map(Iso).serialize(s)
        }

        pub(crate) fn deserialize<'de, D: Deserializer<'de>>(
            d: D,
        ) -> Result<Option<NaiveDate>, D::Error> {
            Option::<Iso>::deserialize(d).map(|o| o.map(|i| i.0))
        }
    }

    pub(crate) mod patch {
        use super::Iso;
        use crate::op::Patch;
        use chrono::NaiveDate;
        use serde::Serializer;

        pub(crate) fn serialize<S: Serializer>(
            value: &Patch<NaiveDate>,
            s: S,
        ) -> Result<S::Ok, S::Error> {
            crate::op::patch::serialize(&value.map(|o| o.map(Iso)), s)
        }
    }

    #[cfg(test)]
    mod tests {
        use super::*;

        #[test]
        fn dates_read_back_and_bad_ones_are_refused() {
            let d = NaiveDate::from_ymd_opt(2026, 3, 7).expect("date");
            let json = serde_json::to_string(&Iso(d)).expect("json");
            assert_eq!(json, "\"2026-03-07\"");
            assert_eq!(serde_json::from_str::<Iso>(&json).expect("read").0, d);
            for bad in [
                "\"2026-02-30\"",
                "\"2026-3-7\"",
                "\"20260307xx\"",
                "\"2026-0a-07\"",
                "\"+026-03-07\"",
                "7",
            ] {
                assert!(serde_json::from_str::<Iso>(bad).is_err(), "{bad}");
            }
        }
    }
}

/// Writing a [`Patch`] field for the derived writer the wire-format test checks `encode.rs`
/// against: `Some(None)` as `null`; `None` is left out by `skip_serializing_if`.
mod patch {
    use serde::{Serialize, Serializer};

    pub(crate) fn serialize<T: Serialize, S: Serializer>(
        value: &Option<Option<T>>,
        serializer: S,
    ) -> Result<S::Ok, S::Error> {
        match value {
            Some(inner) => inner.serialize(serializer),
            None => serializer.serialize_none(),
        }
    }
}
