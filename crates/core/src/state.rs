//! A team's state as a pure fold of operations, and the merge rules that make the fold
//! independent of the order in which operations arrive.
//!
//! # Merge rules
//! - **Field by field, last writer wins.** Every editable field is an [`Lww`] register that
//!   keeps the value with the greatest [`Stamp`] (HLC, then device, then operation id). An
//!   update may arrive before the entity's creation; its fields wait in the record and the
//!   entity appears once the creation arrives.
//! - **Append-only records.** Visits, decisions and consent records are created once and never
//!   edited; a consent's withdrawal, a visit's retraction (undo) and a decision's removal are
//!   recorded next to them, and may arrive before the record itself.
//! - **Per-member attendance.** Each member's presence at a meeting is its own last-writer-wins
//!   register, so two phones ticking different members at once both keep their tick.
//! - **Tombstones.** Removing a member, project, step, address or meeting leaves a tombstone;
//!   a removed entity stays removed whatever edits race the removal.
//! - **Erasure.** [`Payload::EraseResident`] removes names, contact data and notes of an
//!   address. The erasure is remembered with its stamp, so any operation made before it (late,
//!   retried or replayed) arrives already stripped; data given after the erasure is new data.
//!   A consent's withdrawal likewise drops that consent's name, phone and e-mail from the
//!   state (whichever arrives first); its purposes and dates stay as the record of what was
//!   agreed. The stored operations keep them until the resident's data is erased.
//! - **Idempotence.** Applied operation ids are remembered; an operation applied twice changes
//!   nothing the second time. An operation id names exactly one operation: whoever stores
//!   operations (the server, a device's store) refuses a different operation under a known id,
//!   so no replica ever holds two.
//!
//! Each rule is commutative, associative and idempotent, so two replicas that hold the same set
//! of operations have equal state, whatever the order or duplication. `tests/convergence.rs`
//! checks that with property tests.

use std::collections::{BTreeMap, BTreeSet};

use crate::domain::{
    Channel, ConsentPurpose, Evidence, GuideKind, Interest, Outcome, Owner, Phase, Resolution,
    Role, Target, Theme,
};
use crate::ids::{
    ActionItemId, AddressId, AdviceId, ConsentId, DecisionId, GuideItemId, MeetingId, MemberId,
    OpId, ProjectId, QuestionId, StepId, VisitId,
};
use crate::op::{ConsentGive, FollowUp, Operation, Payload, Stamp, VisitLog};
use crate::rules::Entity;
use chrono::NaiveDate;

/// A last-writer-wins register: the value written by the greatest stamp.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Lww<T> {
    /// The current value.
    pub value: T,
    /// The stamp of the write that set it; `None` while never written.
    pub stamp: Option<Stamp>,
}

impl<T> Lww<T> {
    /// Writes `value` if `stamp` is later than the current write.
    pub fn set(&mut self, value: T, stamp: Stamp) {
        if self.stamp.is_none_or(|current| stamp > current) {
            self.value = value;
            self.stamp = Some(stamp);
        }
    }

    /// Writes `value` if it is present.
    fn set_opt(&mut self, value: Option<T>, stamp: Stamp) {
        if let Some(v) = value {
            self.set(v, stamp);
        }
    }
}

/// Lifecycle shared by every editable entity: when it was created and whether it was removed.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Lifecycle {
    /// The earliest creating operation; `None` while only updates have arrived.
    pub created: Option<Stamp>,
    /// The latest removing operation.
    pub removed: Option<Stamp>,
}

impl Lifecycle {
    fn create(&mut self, stamp: Stamp) {
        self.created = Some(self.created.map_or(stamp, |c| c.min(stamp)));
    }

    fn remove(&mut self, stamp: Stamp) {
        self.removed = Some(self.removed.map_or(stamp, |r| r.max(stamp)));
    }

    /// Created and not removed: shown to the user.
    pub fn is_live(&self) -> bool {
        self.created.is_some() && self.removed.is_none()
    }
}

/// The team's own fields.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Team {
    /// The team's name.
    pub name: Lww<String>,
    /// Its buurt.
    pub neighbourhood: Lww<String>,
}

/// A member of the team.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Member {
    /// Created / removed.
    pub life: Lifecycle,
    /// Name shown to the team.
    pub display_name: Lww<String>,
    /// Roles held.
    pub roles: Lww<BTreeSet<Role>>,
}

/// A project.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Project {
    /// Created / removed.
    pub life: Lifecycle,
    /// Theme (set at creation).
    pub theme: Lww<Option<Theme>>,
    /// Title.
    pub title: Lww<String>,
    /// Target.
    pub target: Lww<Option<Target>>,
    /// Its resident page takes answers.
    pub page_open: Lww<bool>,
}

/// Who ticked a step off, and when.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Done {
    /// The member.
    pub by: MemberId,
    /// When (the operation's wall time, Unix milliseconds).
    pub at_ms: u64,
}

/// A step of a project's plan.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Step {
    /// Created / removed.
    pub life: Lifecycle,
    /// The project (set at creation).
    pub project: Lww<Option<ProjectId>>,
    /// Title.
    pub title: Lww<String>,
    /// Description.
    pub description: Lww<String>,
    /// Phase.
    pub phase: Lww<Option<Phase>>,
    /// Owner.
    pub owner: Lww<Option<Owner>>,
    /// Due date.
    pub due: Lww<Option<NaiveDate>>,
    /// Position in the plan.
    pub order: Lww<i64>,
    /// Note.
    pub note: Lww<String>,
    /// Skipped.
    pub skipped: Lww<bool>,
    /// Done state.
    pub done: Lww<Option<Done>>,
    /// Doorstep evidence that completes it.
    pub evidence: Lww<Option<Evidence>>,
}

/// An address on the walk list.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Address {
    /// Created / removed.
    pub life: Lifecycle,
    /// Street.
    pub street: Lww<String>,
    /// House number.
    pub number: Lww<u32>,
    /// House letter.
    pub letter: Lww<String>,
    /// Addition.
    pub addition: Lww<String>,
    /// Postcode.
    pub postcode: Lww<String>,
    /// Marked "do not visit again".
    pub do_not_visit: Lww<bool>,
}

/// A logged visit. Append-only.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Visit {
    /// The operation that logged it.
    pub stamp: Stamp,
    /// The ambassador.
    pub member: MemberId,
    /// Where.
    pub address: AddressId,
    /// When.
    pub at_ms: u64,
    /// Outcome.
    pub outcome: Outcome,
    /// Interest per project.
    pub interests: BTreeMap<ProjectId, Interest>,
    /// Pledges per project, in each project's unit.
    pub pledges: BTreeMap<ProjectId, u32>,
    /// Wants to join the team in these roles.
    pub join_team: Option<BTreeSet<Role>>,
    /// Note (erasable).
    pub note: String,
    /// Follow-up wish.
    pub follow_up: Option<FollowUp>,
    /// A flyer went through the letterbox (not home).
    pub flyer: bool,
    /// The resident answered on the project's page.
    pub online: bool,
}

/// An address a resident gave on a project's page that the walk list did not have. Append-only;
/// it waits until an address with its id is added (confirmed) or removed (discarded).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Proposal {
    /// The operation that proposed it.
    pub stamp: Stamp,
    /// Postcode.
    pub postcode: String,
    /// House number.
    pub number: u32,
    /// House letter.
    pub letter: String,
    /// Addition.
    pub addition: String,
}

/// How and by whom a follow-up was closed without a new door visit.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Resolved {
    /// Done or cancelled.
    pub resolution: Resolution,
    /// The member who closed it.
    pub by: MemberId,
    /// When (the operation's wall time, Unix milliseconds).
    pub at_ms: u64,
}

/// A consent record. Append-only; withdrawal recorded alongside.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Consent {
    /// The operation that recorded it.
    pub stamp: Stamp,
    /// The resident's address.
    pub address: AddressId,
    /// Purposes.
    pub purposes: BTreeSet<ConsentPurpose>,
    /// Channels.
    pub channels: BTreeSet<Channel>,
    /// Name (erasable).
    pub name: String,
    /// Phone (erasable).
    pub phone: String,
    /// E-mail (erasable).
    pub email: String,
    /// When given.
    pub given_at_ms: u64,
}

/// A team meeting.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Meeting {
    /// Created / removed.
    pub life: Lifecycle,
    /// Date.
    pub date: Lww<Option<NaiveDate>>,
    /// Title.
    pub title: Lww<String>,
    /// Presence per member, each its own register.
    pub attendance: BTreeMap<MemberId, Box<Lww<bool>>>,
}

impl Meeting {
    /// The members ticked present.
    pub fn present(&self) -> impl Iterator<Item = MemberId> + '_ {
        self.attendance
            .iter()
            .filter(|(_, p)| p.value)
            .map(|(m, _)| *m)
    }
}

/// A decision. Append-only.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Decision {
    /// The operation that recorded it.
    pub stamp: Stamp,
    /// The meeting.
    pub meeting: MeetingId,
    /// What was decided.
    pub text: String,
}

/// An action item.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ActionItem {
    /// Created / removed (done items stay, marked `done`).
    pub life: Lifecycle,
    /// The meeting (set at creation).
    pub meeting: Lww<Option<MeetingId>>,
    /// What to do.
    pub text: Lww<String>,
    /// Who.
    pub owner: Lww<Option<Owner>>,
    /// By when.
    pub due: Lww<Option<NaiveDate>>,
    /// Done.
    pub done: Lww<bool>,
}

/// An item of a project's doorstep guide.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct GuideItem {
    /// Created / removed.
    pub life: Lifecycle,
    /// Its project (set at creation).
    pub project: Lww<Option<ProjectId>>,
    /// Opening, key point or question (set at creation).
    pub kind: Lww<Option<GuideKind>>,
    /// The text.
    pub text: Lww<String>,
    /// The answer (questions).
    pub answer: Lww<String>,
    /// Position.
    pub order: Lww<i64>,
    /// Still the template's draft.
    pub draft: Lww<bool>,
}

/// A question from the door, as asked.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Asked {
    /// The operation that asked it.
    pub stamp: Stamp,
    /// The ambassador who brought it back.
    pub member: MemberId,
    /// The project it is about.
    pub project: Option<ProjectId>,
    /// The question (erasable when it carries an address).
    pub text: String,
    /// Where, when the resident agreed to be answered.
    pub address: Option<AddressId>,
    /// When.
    pub asked_at_ms: u64,
}

/// An answer to a question from the door.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Answered {
    /// The answer.
    pub text: String,
    /// Who answered.
    pub by: MemberId,
    /// When (the operation's wall time).
    pub at_ms: u64,
    /// Its words went with an erasure of the resident who asked: answered, nothing to show.
    pub erased: bool,
}

/// A question from the door: asked once; its answer a last-writer-wins register (an answer may
/// arrive before the question).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Question {
    /// The question, once its operation arrived.
    pub asked: Option<Asked>,
    /// The latest answer; `None` (or an empty answer) while open.
    pub answer: Lww<Option<Answered>>,
}

/// Advice as the coach gave it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Given {
    /// The operation that gave it (its wall time is when).
    pub stamp: Stamp,
    /// The project it is about; none for the team as a whole.
    pub project: Option<ProjectId>,
    /// The step it is about, if one.
    pub step: Option<StepId>,
    /// The advice.
    pub text: String,
    /// The coach's name.
    pub name: String,
}

/// Advice from a buurtbegeleider: given once; whether the team handled it a last-writer-wins
/// register (the team's tick may arrive before the advice).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Advice {
    /// The advice, once its operation arrived.
    pub given: Option<Given>,
    /// Who marked it handled and when; `None` while open.
    pub handled: Lww<Option<Done>>,
}

impl Question {
    /// Asked and not answered yet.
    pub fn is_open(&self) -> bool {
        self.asked.is_some()
            && self
                .answer
                .value
                .as_ref()
                .is_none_or(|a| a.text.trim().is_empty() && !a.erased)
    }
}

/// Who walks one side of a street.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Walker {
    /// The street's key ([`crate::views::street_key`]).
    pub street: String,
    /// The side with odd house numbers, or the even.
    pub odd: bool,
    /// The member who walks it; none: nobody.
    pub member: Lww<Option<MemberId>>,
}

/// A team's whole state: the fold of its operations.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct State {
    /// Ids of every operation applied.
    pub applied: BTreeSet<OpId>,
    /// The team's own fields.
    pub team: Team,
    /// Members.
    pub members: BTreeMap<MemberId, Box<Member>>,
    /// Projects.
    pub projects: BTreeMap<ProjectId, Box<Project>>,
    /// Plan steps of every project.
    pub steps: BTreeMap<StepId, Box<Step>>,
    /// Addresses.
    pub addresses: BTreeMap<AddressId, Box<Address>>,
    /// Addresses proposed by residents' answers, confirmed or not (see
    /// [`crate::views::proposals`]).
    pub proposals: BTreeMap<AddressId, Box<Proposal>>,
    /// Visits, retracted ones included (the address history shows them).
    pub visits: BTreeMap<VisitId, Box<Visit>>,
    /// Retracted visits and the earliest retraction of each. A retraction may arrive before
    /// its visit.
    pub retracted: BTreeMap<VisitId, Stamp>,
    /// Follow-ups closed without a door visit, per visit that asked for one.
    pub follow_ups: BTreeMap<VisitId, Box<Lww<Option<Resolved>>>>,
    /// Consent records.
    pub consents: BTreeMap<ConsentId, Box<Consent>>,
    /// Withdrawals of consent: the earliest withdrawal time per consent.
    pub withdrawals: BTreeMap<ConsentId, u64>,
    /// Erasures: the latest erasure per address.
    pub erasures: BTreeMap<AddressId, Stamp>,
    /// Meetings.
    pub meetings: BTreeMap<MeetingId, Box<Meeting>>,
    /// Decisions.
    pub decisions: BTreeMap<DecisionId, Box<Decision>>,
    /// Removed decisions and the earliest removal of each.
    pub decisions_removed: BTreeMap<DecisionId, Stamp>,
    /// Action items.
    pub action_items: BTreeMap<ActionItemId, Box<ActionItem>>,
    /// Items of the projects' doorstep guides.
    pub guide: BTreeMap<GuideItemId, Box<GuideItem>>,
    /// Questions from the doors.
    pub questions: BTreeMap<QuestionId, Box<Question>>,
    /// Advice from the team's buurtbegeleiders.
    pub advice: BTreeMap<AdviceId, Box<Advice>>,
    /// Who walks which side of which street, in the order of street key and side.
    pub walkers: Vec<Walker>,
    /// Index: the visits of each address (retracted ones too), in the order the conversations
    /// took place. Derived from `visits`; kept up to date by `apply`.
    // Boxed like the entities, so this map shares their map code in the wasm.
    #[allow(clippy::box_collection)]
    visits_by_address: BTreeMap<AddressId, Box<BTreeSet<VisitKey>>>,
}

/// A visit's place in its address's history: time of the conversation, then stamp, then id.
pub type VisitKey = (u64, Stamp, VisitId);

/// A reference from an operation to an entity that does not exist (yet).
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{field}: refers to an unknown {}", missing.name())]
pub struct ReferenceError {
    /// The field holding the reference.
    pub field: &'static str,
    /// What it refers to.
    pub missing: Missing,
}

/// What a refused reference points at: an entity, or a visit's open follow-up (the visit may
/// still exist with its follow-up resolved).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Missing {
    /// An entity of this kind.
    Entity(Entity),
    /// The follow-up a visit asked for.
    FollowUp,
}

impl Missing {
    /// The name in messages ("meeting", "follow_up").
    pub fn name(self) -> &'static str {
        match self {
            Missing::Entity(entity) => entity.name(),
            Missing::FollowUp => "follow_up",
        }
    }
}

impl State {
    /// The state of a set of operations. Order and duplicates do not matter.
    pub fn fold<'a>(ops: impl IntoIterator<Item = &'a Operation>) -> State {
        let mut state = State::default();
        for op in ops {
            state.apply(op);
        }
        state
    }

    /// Applies one operation. Returns `false` if it had been applied before (and changes
    /// nothing). The operation must have passed [`Operation::validate`].
    pub fn apply(&mut self, op: &Operation) -> bool {
        if !self.applied.insert(op.id) {
            return false;
        }
        let s = op.stamp();
        match &op.payload {
            Payload::TeamUpdate {
                name,
                neighbourhood,
            } => {
                self.team.name.set_opt(name.clone(), s);
                self.team.neighbourhood.set_opt(neighbourhood.clone(), s);
            }
            Payload::MemberAdd {
                member,
                display_name,
                roles,
            } => {
                let m = self.members.entry(*member).or_default();
                m.life.create(s);
                m.display_name.set(display_name.clone(), s);
                m.roles.set(roles.clone(), s);
            }
            Payload::MemberUpdate {
                member,
                display_name,
                roles,
            } => {
                let m = self.members.entry(*member).or_default();
                m.display_name.set_opt(display_name.clone(), s);
                m.roles.set_opt(roles.clone(), s);
            }
            Payload::MemberRemove { member } => {
                self.members.entry(*member).or_default().life.remove(s);
            }
            Payload::ProjectAdd {
                project,
                theme,
                title,
                target,
            } => {
                let p = self.projects.entry(*project).or_default();
                p.life.create(s);
                p.theme.set(Some(*theme), s);
                p.title.set(title.clone(), s);
                p.target.set(*target, s);
            }
            Payload::ProjectUpdate {
                project,
                title,
                target,
            } => {
                let p = self.projects.entry(*project).or_default();
                p.title.set_opt(title.clone(), s);
                p.target.set_opt(*target, s);
            }
            Payload::ProjectRemove { project } => {
                self.projects.entry(*project).or_default().life.remove(s);
            }
            Payload::ProjectPage { project, open } => {
                self.projects
                    .entry(*project)
                    .or_default()
                    .page_open
                    .set(*open, s);
            }
            Payload::StepAdd {
                step,
                project,
                title,
                description,
                phase,
                owner,
                due,
                order,
                evidence,
            } => {
                let st = self.steps.entry(*step).or_default();
                st.life.create(s);
                st.project.set(Some(*project), s);
                st.title.set(title.clone(), s);
                st.description.set(description.clone(), s);
                st.phase.set(Some(*phase), s);
                st.owner.set(*owner, s);
                st.due.set(*due, s);
                st.order.set(*order, s);
                st.evidence.set(*evidence, s);
            }
            Payload::StepUpdate {
                step,
                title,
                description,
                phase,
                owner,
                due,
                order,
                note,
                skipped,
                evidence,
            } => {
                let st = self.steps.entry(*step).or_default();
                st.title.set_opt(title.clone(), s);
                st.description.set_opt(description.clone(), s);
                st.phase.set_opt(phase.map(Some), s);
                st.owner.set_opt(*owner, s);
                st.due.set_opt(*due, s);
                st.order.set_opt(*order, s);
                st.note.set_opt(note.clone(), s);
                st.skipped.set_opt(*skipped, s);
                st.evidence.set_opt(*evidence, s);
            }
            Payload::StepDone { step, done } => {
                let value = done.then_some(Done {
                    by: op.author.member,
                    at_ms: op.hlc.wall_ms,
                });
                self.steps.entry(*step).or_default().done.set(value, s);
            }
            Payload::StepRemove { step } => {
                self.steps.entry(*step).or_default().life.remove(s);
            }
            Payload::AddressAdd {
                address,
                street,
                number,
                letter,
                addition,
                postcode,
            } => {
                let a = self.addresses.entry(*address).or_default();
                a.life.create(s);
                a.street.set(street.clone(), s);
                a.number.set(*number, s);
                a.letter.set(letter.clone(), s);
                a.addition.set(addition.clone(), s);
                a.postcode.set(postcode.clone(), s);
            }
            Payload::AddressUpdate {
                address,
                street,
                number,
                letter,
                addition,
                postcode,
                do_not_visit,
            } => {
                let a = self.addresses.entry(*address).or_default();
                a.street.set_opt(street.clone(), s);
                a.number.set_opt(*number, s);
                a.letter.set_opt(letter.clone(), s);
                a.addition.set_opt(addition.clone(), s);
                a.postcode.set_opt(postcode.clone(), s);
                a.do_not_visit.set_opt(*do_not_visit, s);
            }
            Payload::AddressRemove { address } => {
                self.addresses.entry(*address).or_default().life.remove(s);
            }
            Payload::AddressPropose {
                address,
                postcode,
                number,
                letter,
                addition,
            } => {
                let proposal = Proposal {
                    stamp: s,
                    postcode: postcode.clone(),
                    number: *number,
                    letter: letter.clone(),
                    addition: addition.clone(),
                };
                insert_append_only(&mut self.proposals, *address, Box::new(proposal), |x| {
                    x.stamp
                });
            }
            Payload::VisitLog(v) => self.log_visit(v, op, s),
            Payload::VisitRetract { visit } => {
                let at = self.retracted.entry(*visit).or_insert(s);
                *at = (*at).min(s);
            }
            Payload::FollowUpResolve { visit, resolution } => {
                let value = resolution.map(|resolution| Resolved {
                    resolution,
                    by: op.author.member,
                    at_ms: op.hlc.wall_ms,
                });
                self.follow_ups.entry(*visit).or_default().set(value, s);
            }
            Payload::ConsentGive(c) => self.give_consent(c, s),
            Payload::ConsentWithdraw {
                consent,
                withdrawn_at_ms,
            } => {
                let at = self.withdrawals.entry(*consent).or_insert(*withdrawn_at_ms);
                *at = (*at).min(*withdrawn_at_ms);
                // Without consent the contact details may not be kept: no view shows them again.
                if let Some(c) = self.consents.get_mut(consent) {
                    c.name.clear();
                    c.phone.clear();
                    c.email.clear();
                }
            }
            Payload::EraseResident { address } => self.erase(*address, s),
            Payload::MeetingAdd {
                meeting,
                date,
                title,
            } => {
                let m = self.meetings.entry(*meeting).or_default();
                m.life.create(s);
                m.date.set(Some(*date), s);
                m.title.set(title.clone(), s);
            }
            Payload::MeetingUpdate {
                meeting,
                date,
                title,
            } => {
                let m = self.meetings.entry(*meeting).or_default();
                m.date.set_opt(date.map(Some), s);
                m.title.set_opt(title.clone(), s);
            }
            Payload::MeetingAttend {
                meeting,
                member,
                present,
            } => {
                let m = self.meetings.entry(*meeting).or_default();
                m.attendance.entry(*member).or_default().set(*present, s);
            }
            Payload::MeetingRemove { meeting } => {
                self.meetings.entry(*meeting).or_default().life.remove(s);
            }
            Payload::DecisionAdd {
                decision,
                meeting,
                text,
            } => {
                let new = Decision {
                    stamp: s,
                    meeting: *meeting,
                    text: text.clone(),
                };
                insert_append_only(&mut self.decisions, *decision, Box::new(new), |d| d.stamp);
            }
            Payload::DecisionRemove { decision } => {
                let at = self.decisions_removed.entry(*decision).or_insert(s);
                *at = (*at).min(s);
            }
            Payload::ActionItemAdd {
                item,
                meeting,
                text,
                owner,
                due,
            } => {
                let a = self.action_items.entry(*item).or_default();
                a.life.create(s);
                a.meeting.set(Some(*meeting), s);
                a.text.set(text.clone(), s);
                a.owner.set(Some(*owner), s);
                a.due.set(*due, s);
            }
            Payload::ActionItemUpdate {
                item,
                text,
                owner,
                due,
                done,
            } => {
                let a = self.action_items.entry(*item).or_default();
                a.text.set_opt(text.clone(), s);
                a.owner.set_opt(owner.map(Some), s);
                a.due.set_opt(*due, s);
                a.done.set_opt(*done, s);
            }
            Payload::ActionItemRemove { item } => {
                self.action_items.entry(*item).or_default().life.remove(s);
            }
            Payload::GuideItemAdd {
                item,
                project,
                kind,
                text,
                answer,
                order,
                draft,
            } => {
                let g = self.guide.entry(*item).or_default();
                g.life.create(s);
                g.project.set(Some(*project), s);
                g.kind.set(Some(*kind), s);
                g.text.set(text.clone(), s);
                g.answer.set(answer.clone(), s);
                g.order.set(*order, s);
                g.draft.set(*draft, s);
            }
            Payload::GuideItemUpdate {
                item,
                text,
                answer,
                order,
                draft,
            } => {
                let g = self.guide.entry(*item).or_default();
                g.text.set_opt(text.clone(), s);
                g.answer.set_opt(answer.clone(), s);
                g.order.set_opt(*order, s);
                g.draft.set_opt(*draft, s);
            }
            Payload::GuideItemRemove { item } => {
                self.guide.entry(*item).or_default().life.remove(s);
            }
            Payload::QuestionAsk {
                question,
                project,
                text,
                address,
                asked_at_ms,
            } => {
                // Erased fields here must match `Operation::strip_personal`.
                let erased = address.is_some_and(|a| self.erased(a, s));
                let asked = Asked {
                    stamp: s,
                    member: op.author.member,
                    project: *project,
                    text: if erased { String::new() } else { text.clone() },
                    address: *address,
                    asked_at_ms: *asked_at_ms,
                };
                let until = address.and_then(|a| self.erasures.get(&a).copied());
                let q = self.questions.entry(*question).or_default();
                // Append-only; a reused id keeps the greater stamp, whatever the order.
                if q.asked.as_ref().is_none_or(|old| s > old.stamp) {
                    q.asked = Some(asked);
                }
                // An answer that arrived first goes with the resident's erasure too.
                if let (Some(until), Some(answered), Some(stamp)) =
                    (until, q.answer.value.as_mut(), q.answer.stamp)
                    && stamp <= until
                {
                    answered.erased |= !answered.text.trim().is_empty();
                    answered.text.clear();
                }
            }
            Payload::QuestionAnswer { question, answer } => {
                let erased = self
                    .questions
                    .get(question)
                    .and_then(|q| q.asked.as_ref())
                    .and_then(|a| a.address)
                    .is_some_and(|a| self.erased(a, s));
                let value = Answered {
                    text: if erased {
                        String::new()
                    } else {
                        answer.clone()
                    },
                    erased: erased && !answer.trim().is_empty(),
                    by: op.author.member,
                    at_ms: op.hlc.wall_ms,
                };
                self.questions
                    .entry(*question)
                    .or_default()
                    .answer
                    .set(Some(value), s);
            }
            Payload::AdviceGive {
                advice,
                project,
                step,
                text,
                name,
            } => {
                let given = Given {
                    stamp: s,
                    project: *project,
                    step: *step,
                    text: text.clone(),
                    name: name.clone(),
                };
                let a = self.advice.entry(*advice).or_default();
                // Append-only; a reused id keeps the greater stamp, whatever the order.
                if a.given.as_ref().is_none_or(|old| s > old.stamp) {
                    a.given = Some(given);
                }
            }
            Payload::AdviceHandle { advice, done } => {
                let value = done.then_some(Done {
                    by: op.author.member,
                    at_ms: op.hlc.wall_ms,
                });
                self.advice
                    .entry(*advice)
                    .or_default()
                    .handled
                    .set(value, s);
            }
            Payload::StreetAssign {
                street,
                odd,
                member,
            } => {
                let key = crate::views::street_key(street);
                let at = self
                    .walkers
                    .partition_point(|w| (w.street.as_str(), w.odd) < (key.as_str(), *odd));
                if self
                    .walkers
                    .get(at)
                    .is_none_or(|w| w.street != key || w.odd != *odd)
                {
                    self.walkers.insert(
                        at,
                        Walker {
                            street: key,
                            odd: *odd,
                            member: Lww::default(),
                        },
                    );
                }
                self.walkers[at].member.set(*member, s);
            }
        }
        true
    }

    /// The addresses whose status or funnel word `op` may change, to be asked before applying
    /// it: a view that follows single changes re-derives only these. Every kind is named, so a
    /// new kind must say which addresses it touches.
    pub fn addresses_touched_by(&self, op: &Operation) -> Vec<AddressId> {
        let visit_address = |visit: &VisitId| self.visits.get(visit).map(|v| v.address);
        match &op.payload {
            Payload::AddressAdd { address, .. }
            | Payload::AddressUpdate { address, .. }
            | Payload::AddressRemove { address }
            | Payload::EraseResident { address } => vec![*address],
            Payload::VisitLog(v) => {
                // A faulty device may reuse a visit id for another address: both change.
                let mut touched = vec![v.address];
                touched.extend(visit_address(&v.visit).filter(|a| *a != v.address));
                touched
            }
            Payload::VisitRetract { visit } | Payload::FollowUpResolve { visit, .. } => {
                visit_address(visit).into_iter().collect()
            }
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
            | Payload::AddressPropose { .. }
            | Payload::ConsentGive(_)
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
            | Payload::QuestionAsk { .. }
            | Payload::QuestionAnswer { .. }
            | Payload::AdviceGive { .. }
            | Payload::AdviceHandle { .. }
            | Payload::StreetAssign { .. } => Vec::new(),
        }
    }

    /// The live member who walks one side of a street (by [`crate::views::street_key`]); a
    /// removed member walks nothing.
    pub fn walker(&self, street_key: &str, odd: bool) -> Option<MemberId> {
        self.walkers
            .iter()
            .find(|w| w.street == street_key && w.odd == odd)
            .and_then(|w| w.member.value)
            .filter(|m| self.members.get(m).is_some_and(|m| m.life.is_live()))
    }

    /// The sides of streets `member` walks, as (street key, odd side); none for a removed
    /// member, as [`State::walker`] says.
    pub fn sides_walked_by(&self, member: MemberId) -> Vec<(&str, bool)> {
        if !self.members.get(&member).is_some_and(|m| m.life.is_live()) {
            return Vec::new();
        }
        self.walkers
            .iter()
            .filter(|w| w.member.value == Some(member))
            .map(|w| (w.street.as_str(), w.odd))
            .collect()
    }

    /// Whether `visit` was retracted (undone).
    pub fn is_retracted(&self, visit: VisitId) -> bool {
        self.retracted.contains_key(&visit)
    }

    /// Every visit that counts: logged and not retracted.
    pub fn live_visits(&self) -> impl Iterator<Item = (VisitId, &Visit)> + '_ {
        self.visits
            .iter()
            .filter(|(id, _)| !self.retracted.contains_key(id))
            .map(|(id, v)| (*id, &**v))
    }

    /// The visits of `address` in the order the conversations took place, retracted ones
    /// included (each with whether it was retracted): the address's history.
    pub fn history_of(
        &self,
        address: AddressId,
    ) -> impl DoubleEndedIterator<Item = (VisitId, &Visit, bool)> + '_ {
        self.visits_by_address
            .get(&address)
            .into_iter()
            .flat_map(|keys| keys.iter())
            .filter_map(|(_, _, id)| {
                let visit = self.visits.get(id)?;
                Some((*id, &**visit, self.retracted.contains_key(id)))
            })
    }

    /// The visits of `address` that count (not retracted), oldest conversation first.
    pub fn visits_at(
        &self,
        address: AddressId,
    ) -> impl DoubleEndedIterator<Item = (VisitId, &Visit)> + '_ {
        self.history_of(address)
            .filter(|(_, _, retracted)| !retracted)
            .map(|(id, v, _)| (id, v))
    }

    /// Whether a decision exists and was not removed.
    pub fn decision_is_live(&self, decision: DecisionId) -> bool {
        self.decisions.contains_key(&decision) && !self.decisions_removed.contains_key(&decision)
    }

    /// How a visit's follow-up was closed without a door visit, if it was.
    pub fn follow_up_resolution(&self, visit: VisitId) -> Option<Resolved> {
        self.follow_ups.get(&visit).and_then(|r| r.value)
    }

    /// When a consent ended (Unix milliseconds): withdrawn, or given before its resident's data
    /// was erased (an erasure ends every consent given at that address until then, on every
    /// replica, in any order). `None` while it holds.
    pub fn consent_ended(&self, id: ConsentId, consent: &Consent) -> Option<u64> {
        let withdrawn = self.withdrawals.get(&id).copied();
        let erased = self
            .erasures
            .get(&consent.address)
            .filter(|e| consent.stamp <= **e)
            .map(|e| e.hlc.wall_ms);
        withdrawn.into_iter().chain(erased).min()
    }

    /// Whether data stamped `stamp` about `address` was erased afterwards.
    fn erased(&self, address: AddressId, stamp: Stamp) -> bool {
        self.erasures.get(&address).is_some_and(|e| stamp <= *e)
    }

    fn log_visit(&mut self, v: &VisitLog, op: &Operation, s: Stamp) {
        // Erased fields here must match `Operation::strip_personal`.
        let erased = self.erased(v.address, s);
        let visit = Visit {
            stamp: s,
            member: op.author.member,
            address: v.address,
            at_ms: v.at_ms,
            outcome: v.outcome,
            interests: v.interests.clone(),
            pledges: v.pledges.clone(),
            join_team: v.join_team.clone(),
            note: if erased {
                String::new()
            } else {
                v.note.clone()
            },
            follow_up: v.follow_up,
            flyer: v.flyer,
            online: v.online,
        };
        let key = (visit.at_ms, visit.stamp, v.visit);
        let address = visit.address;
        if let Some(replaced) =
            insert_append_only(&mut self.visits, v.visit, Box::new(visit), |x| x.stamp)
        {
            // A faulty device reused the id: the index follows the record that stays.
            if let Some(keys) = self.visits_by_address.get_mut(&replaced.address) {
                keys.remove(&(replaced.at_ms, replaced.stamp, v.visit));
            }
        }
        if self.visits.get(&v.visit).is_some_and(|x| x.stamp == s) {
            self.visits_by_address
                .entry(address)
                .or_default()
                .insert(key);
        }
    }

    fn give_consent(&mut self, c: &ConsentGive, s: Stamp) {
        // Erased, or withdrawn before this replica saw the consent: the details are not kept.
        let erased = self.erased(c.address, s) || self.withdrawals.contains_key(&c.consent);
        let personal = |value: &String| if erased { String::new() } else { value.clone() };
        let consent = Consent {
            stamp: s,
            address: c.address,
            purposes: c.purposes.clone(),
            channels: c.channels.clone(),
            name: personal(&c.name),
            phone: personal(&c.phone),
            email: personal(&c.email),
            given_at_ms: c.given_at_ms,
        };
        insert_append_only(&mut self.consents, c.consent, Box::new(consent), |x| {
            x.stamp
        });
    }

    fn erase(&mut self, address: AddressId, s: Stamp) {
        let stamp = self.erasures.entry(address).or_insert(s);
        *stamp = (*stamp).max(s);
        let until = *stamp;
        for (_, _, id) in self
            .visits_by_address
            .get(&address)
            .into_iter()
            .flat_map(|k| k.iter())
        {
            if let Some(visit) = self.visits.get_mut(id)
                && visit.stamp <= until
            {
                visit.note.clear();
            }
        }
        for consent in self.consents.values_mut() {
            if consent.address == address && consent.stamp <= until {
                consent.name.clear();
                consent.phone.clear();
                consent.email.clear();
            }
        }
        for q in self.questions.values_mut() {
            let Some(asked) = q.asked.as_mut().filter(|a| a.address == Some(address)) else {
                continue;
            };
            if asked.stamp <= until {
                asked.text.clear();
            }
            // The team's answer may quote the resident: it goes with their data.
            if let (Some(answered), Some(stamp)) = (q.answer.value.as_mut(), q.answer.stamp)
                && stamp <= until
            {
                answered.erased |= !answered.text.trim().is_empty();
                answered.text.clear();
            }
        }
    }

    /// A state holding only what `op` refers to, copied from this one (with what decides
    /// whether it counts: a visit's retraction and follow-up, a decision's removal, an
    /// address's proposal). With a batch's earlier operations applied on top it checks `op`'s
    /// references as the whole state would, without copying the whole state.
    pub fn referenced_by(&self, op: &Operation) -> State {
        fn copy<K: Ord + Copy, V: Clone>(from: &BTreeMap<K, V>, to: &mut BTreeMap<K, V>, key: K) {
            if let Some(value) = from.get(&key) {
                to.insert(key, value.clone());
            }
        }
        let mut out = State::default();
        for reference in op.references() {
            let id = reference.id;
            match reference.entity {
                Entity::Member => copy(&self.members, &mut out.members, MemberId(id)),
                Entity::Project => copy(&self.projects, &mut out.projects, ProjectId(id)),
                Entity::Step => copy(&self.steps, &mut out.steps, StepId(id)),
                Entity::Address => {
                    copy(&self.addresses, &mut out.addresses, AddressId(id));
                    copy(&self.proposals, &mut out.proposals, AddressId(id));
                }
                Entity::Visit => {
                    copy(&self.visits, &mut out.visits, VisitId(id));
                    copy(&self.retracted, &mut out.retracted, VisitId(id));
                    copy(&self.follow_ups, &mut out.follow_ups, VisitId(id));
                }
                Entity::Consent => copy(&self.consents, &mut out.consents, ConsentId(id)),
                Entity::Meeting => copy(&self.meetings, &mut out.meetings, MeetingId(id)),
                Entity::Decision => {
                    copy(&self.decisions, &mut out.decisions, DecisionId(id));
                    copy(
                        &self.decisions_removed,
                        &mut out.decisions_removed,
                        DecisionId(id),
                    );
                }
                Entity::ActionItem => {
                    copy(&self.action_items, &mut out.action_items, ActionItemId(id));
                }
                Entity::GuideItem => copy(&self.guide, &mut out.guide, GuideItemId(id)),
                Entity::Question => copy(&self.questions, &mut out.questions, QuestionId(id)),
                Entity::Advice => copy(&self.advice, &mut out.advice, AdviceId(id)),
            }
        }
        out
    }

    /// Checks that the entities `op` refers to exist and are not removed. The fold itself
    /// accepts dangling references (the referenced entity may still be on its way); this check
    /// is for the place an operation is made, so a user cannot log a visit to a removed address.
    pub fn check_references(&self, op: &Operation) -> Result<(), ReferenceError> {
        fn need<K: Ord, V>(
            map: &BTreeMap<K, V>,
            key: &K,
            live: impl Fn(&V) -> bool,
            field: &'static str,
            entity: Entity,
        ) -> Result<(), ReferenceError> {
            if map.get(key).is_some_and(live) {
                Ok(())
            } else {
                Err(ReferenceError {
                    field,
                    missing: Missing::Entity(entity),
                })
            }
        }
        let member = |id: &MemberId, field| {
            need(
                &self.members,
                id,
                |m| m.life.is_live(),
                field,
                Entity::Member,
            )
        };
        let owner = |o: Option<&Owner>, field| match o {
            Some(Owner::Member(m)) => member(m, field),
            _ => Ok(()),
        };
        let project = |id: &ProjectId, field| {
            need(
                &self.projects,
                id,
                |p| p.life.is_live(),
                field,
                Entity::Project,
            )
        };
        let step = |id: &StepId| {
            need(
                &self.steps,
                id,
                |x| x.life.is_live(),
                "payload.step",
                Entity::Step,
            )
        };
        let address = |id: &AddressId| {
            need(
                &self.addresses,
                id,
                |a| a.life.is_live(),
                "payload.address",
                Entity::Address,
            )
        };
        let meeting = |id: &MeetingId| {
            need(
                &self.meetings,
                id,
                |m| m.life.is_live(),
                "payload.meeting",
                Entity::Meeting,
            )
        };
        match &op.payload {
            Payload::TeamUpdate { .. } | Payload::MemberAdd { .. } | Payload::ProjectAdd { .. } => {
                Ok(())
            }
            Payload::AddressAdd { .. } | Payload::MeetingAdd { .. } => Ok(()),
            Payload::MemberUpdate { member: m, .. } | Payload::MemberRemove { member: m } => {
                member(m, "payload.member")
            }
            Payload::ProjectUpdate { project: p, .. }
            | Payload::ProjectRemove { project: p }
            | Payload::ProjectPage { project: p, .. } => project(p, "payload.project"),
            Payload::AddressPropose { .. } => Ok(()),
            // A proposed address is discarded (and its answer erased) before it was ever added.
            Payload::AddressRemove { address: a } | Payload::EraseResident { address: a }
                if self.proposals.contains_key(a) && !self.addresses.contains_key(a) =>
            {
                Ok(())
            }
            Payload::StepAdd {
                project: p,
                owner: o,
                ..
            } => {
                project(p, "payload.project")?;
                owner(o.as_ref(), "payload.owner")
            }
            Payload::StepUpdate {
                step: st, owner: o, ..
            } => {
                step(st)?;
                owner(o.as_ref().and_then(Option::as_ref), "payload.owner")
            }
            Payload::StepDone { step: st, .. } | Payload::StepRemove { step: st } => step(st),
            Payload::AddressUpdate { address: a, .. }
            | Payload::AddressRemove { address: a }
            | Payload::EraseResident { address: a } => address(a),
            Payload::VisitLog(v) => {
                address(&v.address)?;
                for p in v.interests.keys() {
                    project(p, "payload.interests")?;
                }
                for p in v.pledges.keys() {
                    project(p, "payload.pledges")?;
                }
                Ok(())
            }
            Payload::VisitRetract { visit } => need(
                &self.visits,
                visit,
                |_| !self.is_retracted(*visit),
                "payload.visit",
                Entity::Visit,
            ),
            Payload::FollowUpResolve { visit, .. } => {
                let open = self
                    .visits
                    .get(visit)
                    .is_some_and(|v| v.follow_up.is_some() && !self.is_retracted(*visit));
                if open {
                    Ok(())
                } else {
                    Err(ReferenceError {
                        field: "payload.visit",
                        missing: Missing::FollowUp,
                    })
                }
            }
            Payload::ConsentGive(c) => address(&c.address),
            Payload::ConsentWithdraw { consent, .. } => need(
                &self.consents,
                consent,
                |_| true,
                "payload.consent",
                Entity::Consent,
            ),
            Payload::MeetingUpdate { meeting: m, .. }
            | Payload::MeetingRemove { meeting: m }
            | Payload::DecisionAdd { meeting: m, .. } => meeting(m),
            Payload::MeetingAttend {
                meeting: m,
                member: who,
                ..
            } => {
                meeting(m)?;
                member(who, "payload.member")
            }
            Payload::DecisionRemove { decision } => need(
                &self.decisions,
                decision,
                |_| self.decision_is_live(*decision),
                "payload.decision",
                Entity::Decision,
            ),
            Payload::ActionItemAdd {
                meeting: m,
                owner: o,
                ..
            } => {
                meeting(m)?;
                owner(Some(o), "payload.owner")
            }
            Payload::ActionItemUpdate { item, owner: o, .. } => {
                need(
                    &self.action_items,
                    item,
                    |a| a.life.is_live(),
                    "payload.item",
                    Entity::ActionItem,
                )?;
                owner(o.as_ref(), "payload.owner")
            }
            Payload::ActionItemRemove { item } => need(
                &self.action_items,
                item,
                |a| a.life.is_live(),
                "payload.item",
                Entity::ActionItem,
            ),
            Payload::GuideItemAdd { project: p, .. } => project(p, "payload.project"),
            Payload::GuideItemUpdate { item, .. } | Payload::GuideItemRemove { item } => need(
                &self.guide,
                item,
                |g| g.life.is_live(),
                "payload.item",
                Entity::GuideItem,
            ),
            Payload::QuestionAsk {
                project: p,
                address: a,
                ..
            } => {
                if let Some(p) = p {
                    project(p, "payload.project")?;
                }
                a.as_ref().map_or(Ok(()), address)
            }
            Payload::QuestionAnswer { question, .. } => need(
                &self.questions,
                question,
                |q| q.asked.is_some(),
                "payload.question",
                Entity::Question,
            ),
            Payload::AdviceGive {
                project: p,
                step: st,
                ..
            } => {
                if let Some(p) = p {
                    project(p, "payload.project")?;
                }
                st.as_ref().map_or(Ok(()), step)
            }
            Payload::AdviceHandle { advice, .. } => need(
                &self.advice,
                advice,
                |a| a.given.is_some(),
                "payload.advice",
                Entity::Advice,
            ),
            Payload::StreetAssign { member: m, .. } => {
                m.as_ref().map_or(Ok(()), |m| member(m, "payload.member"))
            }
        }
    }
}

/// Inserts an append-only record. Two operations that claim the same id (a faulty device)
/// resolve to the record with the greater stamp, whatever the order. Returns the record it
/// replaced, if any.
fn insert_append_only<K: Ord, V>(
    map: &mut BTreeMap<K, V>,
    key: K,
    value: V,
    stamp: impl Fn(&V) -> Stamp,
) -> Option<V> {
    match map.entry(key) {
        std::collections::btree_map::Entry::Vacant(e) => {
            e.insert(value);
            None
        }
        std::collections::btree_map::Entry::Occupied(mut e) => {
            (stamp(&value) > stamp(e.get())).then(|| e.insert(value))
        }
    }
}
