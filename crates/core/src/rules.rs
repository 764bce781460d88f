//! The rules a team's server holds every pushed operation to, beyond its own validity
//! ([`crate::validate`]): who may push it, what it refers to, and how many erasures one member
//! may make. The server applies them at every push; they live here, next to the operations,
//! so a new kind of operation states its rules in one place.

use uuid::Uuid;

use crate::domain::Owner;
use crate::op::{Operation, Payload, Who};

/// The kinds of things operations create and refer to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Entity {
    /// A member of the team.
    Member,
    /// A project.
    Project,
    /// A step of a project's plan.
    Step,
    /// An address of the walk list.
    Address,
    /// A logged visit.
    Visit,
    /// A consent record.
    Consent,
    /// A meeting.
    Meeting,
    /// A decision of a meeting.
    Decision,
    /// An action item of a meeting.
    ActionItem,
    /// An item of a doorstep guide.
    GuideItem,
    /// A question from the door.
    Question,
    /// Advice from a buurtbegeleider.
    Advice,
}

impl Entity {
    /// The name stored and shown in refusals ("meeting").
    pub fn name(self) -> &'static str {
        match self {
            Entity::Member => "member",
            Entity::Project => "project",
            Entity::Step => "step",
            Entity::Address => "address",
            Entity::Visit => "visit",
            Entity::Consent => "consent",
            Entity::Meeting => "meeting",
            Entity::Decision => "decision",
            Entity::ActionItem => "action_item",
            Entity::GuideItem => "guide_item",
            Entity::Question => "question",
            Entity::Advice => "advice",
        }
    }
}

/// One reference of an operation: the field that holds it, and what it names.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Reference {
    /// The field, as a refusal names it (`payload.meeting`).
    pub field: &'static str,
    /// What kind of thing it names.
    pub entity: Entity,
    /// Its id.
    pub id: Uuid,
}

fn owner_ref(owner: Option<&Owner>, field: &'static str, out: &mut Vec<Reference>) {
    if let Some(Owner::Member(m)) = owner {
        out.push(Reference {
            field,
            entity: Entity::Member,
            id: m.0,
        });
    }
}

impl Operation {
    /// The thing this operation creates, if it creates one.
    ///
    /// Every kind is named here (no catch-all): a new kind must say what it creates.
    pub fn creates(&self) -> Option<(Entity, Uuid)> {
        match &self.payload {
            Payload::MemberAdd { member, .. } => Some((Entity::Member, member.0)),
            Payload::ProjectAdd { project, .. } => Some((Entity::Project, project.0)),
            Payload::StepAdd { step, .. } => Some((Entity::Step, step.0)),
            // A proposed address is known to the team under its id from then on, so the answer
            // given with it may name it; confirming it is an `AddressAdd` with the same id.
            Payload::AddressAdd { address, .. } | Payload::AddressPropose { address, .. } => {
                Some((Entity::Address, address.0))
            }
            Payload::VisitLog(v) => Some((Entity::Visit, v.visit.0)),
            Payload::ConsentGive(c) => Some((Entity::Consent, c.consent.0)),
            Payload::MeetingAdd { meeting, .. } => Some((Entity::Meeting, meeting.0)),
            Payload::DecisionAdd { decision, .. } => Some((Entity::Decision, decision.0)),
            Payload::ActionItemAdd { item, .. } => Some((Entity::ActionItem, item.0)),
            Payload::GuideItemAdd { item, .. } => Some((Entity::GuideItem, item.0)),
            Payload::QuestionAsk { question, .. } => Some((Entity::Question, question.0)),
            Payload::AdviceGive { advice, .. } => Some((Entity::Advice, advice.0)),
            Payload::TeamUpdate { .. }
            | Payload::MemberUpdate { .. }
            | Payload::MemberRemove { .. }
            | Payload::ProjectUpdate { .. }
            | Payload::ProjectRemove { .. }
            | Payload::ProjectPage { .. }
            | Payload::StepUpdate { .. }
            | Payload::StepDone { .. }
            | Payload::StepRemove { .. }
            | Payload::AddressUpdate { .. }
            | Payload::AddressRemove { .. }
            | Payload::VisitRetract { .. }
            | Payload::FollowUpResolve { .. }
            | Payload::ConsentWithdraw { .. }
            | Payload::EraseResident { .. }
            | Payload::MeetingUpdate { .. }
            | Payload::MeetingAttend { .. }
            | Payload::MeetingRemove { .. }
            | Payload::DecisionRemove { .. }
            | Payload::ActionItemUpdate { .. }
            | Payload::ActionItemRemove { .. }
            | Payload::GuideItemUpdate { .. }
            | Payload::GuideItemRemove { .. }
            | Payload::QuestionAnswer { .. }
            | Payload::AdviceHandle { .. }
            | Payload::StreetAssign { .. } => None,
        }
    }

    /// What this operation refers to. A server refuses a reference to anything the team never
    /// created; a thing removed since still counts (a phone offline at the time may still
    /// change it, and the merge rules decide).
    ///
    /// Every kind is named here (no catch-all): a new kind must say what it refers to.
    pub fn references(&self) -> Vec<Reference> {
        let mut out = Vec::new();
        let mut push = |field, entity, id: Uuid| out.push(Reference { field, entity, id });
        match &self.payload {
            Payload::MemberUpdate { member, .. } | Payload::MemberRemove { member } => {
                push("payload.member", Entity::Member, member.0);
            }
            Payload::ProjectUpdate { project, .. }
            | Payload::ProjectRemove { project }
            | Payload::ProjectPage { project, .. }
            | Payload::GuideItemAdd { project, .. } => {
                push("payload.project", Entity::Project, project.0);
            }
            Payload::StepAdd { project, owner, .. } => {
                push("payload.project", Entity::Project, project.0);
                owner_ref(owner.as_ref(), "payload.owner", &mut out);
            }
            Payload::StepUpdate { step, owner, .. } => {
                push("payload.step", Entity::Step, step.0);
                owner_ref(
                    owner.as_ref().and_then(Option::as_ref),
                    "payload.owner",
                    &mut out,
                );
            }
            Payload::StepDone { step, .. } | Payload::StepRemove { step } => {
                push("payload.step", Entity::Step, step.0);
            }
            Payload::AddressUpdate { address, .. }
            | Payload::AddressRemove { address }
            | Payload::EraseResident { address } => {
                push("payload.address", Entity::Address, address.0);
            }
            Payload::VisitLog(v) => {
                push("payload.address", Entity::Address, v.address.0);
                for p in v.interests.keys() {
                    push("payload.interests", Entity::Project, p.0);
                }
                for p in v.pledges.keys() {
                    push("payload.pledges", Entity::Project, p.0);
                }
            }
            Payload::VisitRetract { visit } | Payload::FollowUpResolve { visit, .. } => {
                push("payload.visit", Entity::Visit, visit.0);
            }
            Payload::ConsentGive(c) => push("payload.address", Entity::Address, c.address.0),
            Payload::ConsentWithdraw { consent, .. } => {
                push("payload.consent", Entity::Consent, consent.0);
            }
            Payload::MeetingUpdate { meeting, .. }
            | Payload::MeetingRemove { meeting }
            | Payload::DecisionAdd { meeting, .. } => {
                push("payload.meeting", Entity::Meeting, meeting.0);
            }
            Payload::MeetingAttend {
                meeting, member, ..
            } => {
                push("payload.meeting", Entity::Meeting, meeting.0);
                push("payload.member", Entity::Member, member.0);
            }
            Payload::DecisionRemove { decision } => {
                push("payload.decision", Entity::Decision, decision.0);
            }
            Payload::ActionItemAdd { meeting, owner, .. } => {
                push("payload.meeting", Entity::Meeting, meeting.0);
                owner_ref(Some(owner), "payload.owner", &mut out);
            }
            Payload::ActionItemUpdate { item, owner, .. } => {
                push("payload.item", Entity::ActionItem, item.0);
                owner_ref(owner.as_ref(), "payload.owner", &mut out);
            }
            Payload::ActionItemRemove { item } => {
                push("payload.item", Entity::ActionItem, item.0);
            }
            Payload::GuideItemUpdate { item, .. } | Payload::GuideItemRemove { item } => {
                push("payload.item", Entity::GuideItem, item.0);
            }
            Payload::QuestionAsk {
                project, address, ..
            } => {
                if let Some(p) = project {
                    push("payload.project", Entity::Project, p.0);
                }
                if let Some(a) = address {
                    push("payload.address", Entity::Address, a.0);
                }
            }
            Payload::QuestionAnswer { question, .. } => {
                push("payload.question", Entity::Question, question.0);
            }
            Payload::AdviceGive { project, step, .. } => {
                if let Some(p) = project {
                    push("payload.project", Entity::Project, p.0);
                }
                if let Some(s) = step {
                    push("payload.step", Entity::Step, s.0);
                }
            }
            Payload::AdviceHandle { advice, .. } => {
                push("payload.advice", Entity::Advice, advice.0);
            }
            Payload::StreetAssign { member, .. } => {
                if let Some(m) = member {
                    push("payload.member", Entity::Member, m.0);
                }
            }
            Payload::TeamUpdate { .. }
            | Payload::MemberAdd { .. }
            | Payload::ProjectAdd { .. }
            | Payload::AddressAdd { .. }
            | Payload::AddressPropose { .. }
            | Payload::MeetingAdd { .. } => {}
        }
        out
    }
}

/// Who is pushing: the member behind the device and whether they are an admin.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Pusher {
    /// The member of the pushing device.
    pub member: crate::ids::MemberId,
    /// Whether that device is a team admin's.
    pub admin: bool,
}

/// Erasures one member may push in an hour (rolling): enough for a resident asking at the door
/// and one or two more that evening, too few to empty the team's records in one go.
pub const ERASURES_PER_HOUR_MEMBER: u32 = 3;
/// Erasures an admin may push in an hour, for a batch of written requests the team received.
pub const ERASURES_PER_HOUR_ADMIN: u32 = 50;

/// Whether `pusher` may push `op`. Members are added by joining; the team's name and buurt are
/// the admins'; a member changes or removes (leaves) only themselves unless they are an admin.
/// Everything else is open to every member, erasing a resident's data too (the resident may
/// ask whoever is at the door; how many per hour is limited by [`erasures_per_hour`]), and the
/// log keeps who did it and when. Who may push each kind is said once, in
/// [`Payload::describe`].
pub fn permission(op: &Operation, pusher: Pusher) -> Result<(), &'static str> {
    let about = match &op.payload {
        Payload::MemberUpdate { member, .. } | Payload::MemberRemove { member } => Some(*member),
        _ => None,
    };
    if let Payload::VisitLog(v) = &op.payload
        && v.online
    {
        return Err("only the project's resident page records a resident's own answer");
    }
    match op.payload.describe().who {
        Who::Page => Err("only the project's resident page proposes an address"),
        Who::Coach => Err("only a buurtbegeleider who looks along gives advice"),
        Who::Member => Ok(()),
        _ if pusher.admin => Ok(()),
        Who::ThemselvesOrAdmin if about == Some(pusher.member) => Ok(()),
        Who::ThemselvesOrAdmin => Err("only an admin changes or removes another member"),
        Who::Admin => Err(match op.payload {
            Payload::MemberAdd { .. } => {
                "members join with an invite; only an admin adds one by hand"
            }
            Payload::TeamUpdate { .. } => "only an admin renames the team or its buurt",
            _ => "only an admin may make this change",
        }),
    }
}

/// Erasures `pusher` may push within any hour.
pub fn erasures_per_hour(pusher: Pusher) -> u32 {
    if pusher.admin {
        ERASURES_PER_HOUR_ADMIN
    } else {
        ERASURES_PER_HOUR_MEMBER
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::factory::OpFactory;
    use crate::ids::{MeetingId, MemberId};

    #[test]
    fn renaming_the_team_is_for_admins_and_attending_names_meeting_and_member() {
        let mut f = OpFactory::new(3);
        let me = f.author().member;
        let rename = f.op(Payload::TeamUpdate {
            name: Some("Ons team".into()),
            neighbourhood: None,
        });
        let member = Pusher {
            member: me,
            admin: false,
        };
        assert!(permission(&rename, member).is_err());
        assert!(
            permission(
                &rename,
                Pusher {
                    admin: true,
                    ..member
                }
            )
            .is_ok()
        );
        let (meeting, who) = (f.id(MeetingId::new_v7), f.id(MemberId::new_v7));
        let attend = f.op(Payload::MeetingAttend {
            meeting,
            member: who,
            present: true,
        });
        let refs = attend.references();
        assert_eq!(
            refs.iter()
                .map(|r| (r.field, r.entity, r.id))
                .collect::<Vec<_>>(),
            [
                ("payload.meeting", Entity::Meeting, meeting.0),
                ("payload.member", Entity::Member, who.0)
            ]
        );
        assert_eq!(attend.creates(), None);
        assert!(
            erasures_per_hour(member)
                < erasures_per_hour(Pusher {
                    admin: true,
                    ..member
                })
        );
    }
}
