//! Derived views: what the screens show, computed from [`State`] by pure functions.

use std::cmp::Ordering;
use std::collections::{BTreeMap, BTreeSet};

use chrono::NaiveDate;

use crate::domain::{FollowUpKind, Interest, Outcome, Phase, Role, Target};
use crate::ids::{AddressId, MemberId, ProjectId, StepId, VisitId};
use crate::op::Stamp;
use crate::state::{Address, State, Step, Visit};

/// How well the team's roles are filled.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RoleCoverage {
    /// Per role, the members who hold it (by display name order).
    pub holders: BTreeMap<Role, Vec<MemberId>>,
    /// Roles nobody holds: the team is not ready to start.
    pub missing: Vec<Role>,
    /// Roles held by exactly one person: ready, but fragile.
    pub thin: Vec<Role>,
}

impl RoleCoverage {
    /// Every role is held by at least one person.
    pub fn ready(&self) -> bool {
        self.missing.is_empty()
    }

    /// Every role is held by two or more people, as the approach recommends.
    pub fn balanced(&self) -> bool {
        self.missing.is_empty() && self.thin.is_empty()
    }
}

/// Role coverage and readiness of the team's live members.
pub fn role_coverage(state: &State) -> RoleCoverage {
    let mut holders: BTreeMap<Role, Vec<MemberId>> =
        Role::ALL.iter().map(|r| (*r, Vec::new())).collect();
    let mut members: Vec<_> = state
        .members
        .iter()
        .filter(|(_, m)| m.life.is_live())
        .collect();
    members.sort_by(|a, b| {
        compare_text(&a.1.display_name.value, &b.1.display_name.value).then(a.0.cmp(b.0))
    });
    for (id, member) in members {
        for role in &member.roles.value {
            holders.entry(*role).or_default().push(*id);
        }
    }
    let count = |n: usize| {
        Role::ALL
            .into_iter()
            .filter(|r| holders[r].len() == n)
            .collect::<Vec<_>>()
    };
    let missing = count(0);
    let thin = count(1);
    RoleCoverage {
        holders,
        missing,
        thin,
    }
}

/// Progress of one phase of a plan.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct PhaseProgress {
    /// Steps that count (not skipped).
    pub total: usize,
    /// Of those, done.
    pub done: usize,
    /// Skipped steps (not counted in `total`).
    pub skipped: usize,
}

/// The live steps of `project`'s plan in plan order.
pub fn plan_steps(state: &State, project: ProjectId) -> Vec<(StepId, &Step)> {
    let mut steps: Vec<_> = state
        .steps
        .iter()
        .filter(|(_, s)| s.life.is_live() && s.project.value == Some(project))
        .map(|(id, s)| (*id, s))
        .collect();
    steps.sort_by_key(|(id, s)| (s.order.value, *id));
    steps
}

/// Progress per phase of `project`'s plan; phases without steps are left out.
pub fn plan_progress(state: &State, project: ProjectId) -> BTreeMap<Phase, PhaseProgress> {
    let mut progress: BTreeMap<Phase, PhaseProgress> = BTreeMap::new();
    for (_, step) in plan_steps(state, project) {
        let Some(phase) = step.phase.value else {
            continue;
        };
        let p = progress.entry(phase).or_default();
        if step.skipped.value {
            p.skipped += 1;
        } else {
            p.total += 1;
            if step.done.value.is_some() {
                p.done += 1;
            }
        }
    }
    progress
}

/// Compares text as people sort it: case-insensitive ("eikenstraat" is the same street as
/// "Eikenstraat"). Callers break remaining ties by id, so the order stays total.
pub fn compare_text(a: &str, b: &str) -> Ordering {
    a.chars()
        .flat_map(char::to_lowercase)
        .cmp(b.chars().flat_map(char::to_lowercase))
}

/// Compares additions: numbers numerically ("2" before "10"), then text.
fn compare_addition(a: &str, b: &str) -> Ordering {
    match (a.parse::<u32>(), b.parse::<u32>()) {
        (Ok(x), Ok(y)) => x.cmp(&y),
        (Ok(_), Err(_)) => Ordering::Less,
        (Err(_), Ok(_)) => Ordering::Greater,
        (Err(_), Err(_)) => compare_text(a, b),
    }
}

/// The walking order: street, then the odd side, then the even side, each by number, letter and
/// addition.
pub fn compare_walk_order(a: &Address, b: &Address) -> Ordering {
    let side = |addr: &Address| addr.number.value.is_multiple_of(2); // odd (false) first
    compare_text(&a.street.value, &b.street.value)
        .then_with(|| side(a).cmp(&side(b)))
        .then_with(|| a.number.value.cmp(&b.number.value))
        .then_with(|| compare_text(&a.letter.value, &b.letter.value))
        .then_with(|| compare_addition(&a.addition.value, &b.addition.value))
}

/// Visits per address, each list ordered by time of the conversation (then stamp).
pub fn visits_by_address(state: &State) -> BTreeMap<AddressId, Vec<(VisitId, &Visit)>> {
    let mut by: BTreeMap<AddressId, Vec<(VisitId, &Visit)>> = BTreeMap::new();
    for (id, visit) in &state.visits {
        by.entry(visit.address).or_default().push((*id, visit));
    }
    for list in by.values_mut() {
        list.sort_by_key(|(_, v)| (v.at_ms, v.stamp));
    }
    by
}

/// Whether an address is off the walk list: marked "do not visit again", or a resident said so
/// at the door after the mark was last changed.
fn do_not_visit(address: &Address, visits: Option<&Vec<(VisitId, &Visit)>>) -> bool {
    let said_at_door: Option<Stamp> = visits
        .into_iter()
        .flatten()
        .filter(|(_, v)| v.outcome == Outcome::DoNotVisit)
        .map(|(_, v)| v.stamp)
        .max();
    match (said_at_door, address.do_not_visit.stamp) {
        (Some(door), Some(mark)) if mark > door => address.do_not_visit.value,
        (Some(_), _) => true,
        (None, _) => address.do_not_visit.value,
    }
}

/// The walk list: live addresses in walking order, without "do not visit again".
pub fn walk_list(state: &State) -> Vec<(AddressId, &Address)> {
    let visits = visits_by_address(state);
    let mut list: Vec<_> = state
        .addresses
        .iter()
        .filter(|(id, a)| a.life.is_live() && !do_not_visit(a, visits.get(id)))
        .map(|(id, a)| (*id, a))
        .collect();
    list.sort_by(|a, b| compare_walk_order(a.1, b.1).then(a.0.cmp(&b.0)));
    list
}

/// The doorstep funnel of one project.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Funnel {
    /// Live addresses in the buurt.
    pub households: usize,
    /// Households where somebody opened the door at least once.
    pub reached: usize,
    /// Households whose latest word on this project is "interested" or "joins".
    pub interested: usize,
    /// Households whose latest word on this project is "joins".
    pub joined: usize,
    /// Sum of the latest pledge of each joined household, in cents.
    pub pledged_cents: u64,
    /// The project's target.
    pub target: Option<Target>,
}

/// Reached, interested, joined and pledged for `project`, against its target.
pub fn funnel(state: &State, project: ProjectId) -> Funnel {
    let visits = visits_by_address(state);
    let mut f = Funnel {
        target: state
            .projects
            .get(&project)
            .and_then(|p| p.target.value.clone()),
        ..Funnel::default()
    };
    for (id, _) in state.addresses.iter().filter(|(_, a)| a.life.is_live()) {
        f.households += 1;
        let Some(list) = visits.get(id) else { continue };
        if list.iter().any(|(_, v)| v.outcome.reached()) {
            f.reached += 1;
        }
        let latest = list
            .iter()
            .rev()
            .find_map(|(_, v)| v.interests.get(&project).map(|i| (*i, v)));
        if let Some((interest, visit)) = latest {
            if interest >= Interest::Interested {
                f.interested += 1;
            }
            if interest == Interest::Joins {
                f.joined += 1;
                f.pledged_cents += u64::from(visit.pledge_cents.unwrap_or(0));
            }
        }
    }
    f
}

/// A follow-up that is due.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FollowUpDue {
    /// Where.
    pub address: AddressId,
    /// The visit that asked for it.
    pub visit: VisitId,
    /// What to do.
    pub kind: FollowUpKind,
    /// When it was due (none: as soon as convenient).
    pub date: Option<NaiveDate>,
}

/// Follow-ups due on or before `today`: the latest visit of a live, visitable address asked for
/// one. A later visit settles an earlier wish.
pub fn follow_ups_due(state: &State, today: NaiveDate) -> Vec<FollowUpDue> {
    let visits = visits_by_address(state);
    let mut due: Vec<FollowUpDue> = state
        .addresses
        .iter()
        .filter(|(id, a)| a.life.is_live() && !do_not_visit(a, visits.get(id)))
        .filter_map(|(id, _)| {
            let (visit_id, visit) = visits.get(id)?.last()?;
            let follow_up = visit.follow_up?;
            follow_up
                .date
                .is_none_or(|d| d <= today)
                .then_some(FollowUpDue {
                    address: *id,
                    visit: *visit_id,
                    kind: follow_up.kind,
                    date: follow_up.date,
                })
        })
        .collect();
    due.sort_by_key(|f| (f.date, f.address));
    due
}

/// Visit counts for one member or one street.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Counts {
    /// Visits logged.
    pub visits: usize,
    /// Of those, somebody opened.
    pub reached: usize,
}

/// Visits and conversations per member.
pub fn counts_per_member(state: &State) -> BTreeMap<MemberId, Counts> {
    let mut counts: BTreeMap<MemberId, Counts> = BTreeMap::new();
    for visit in state.visits.values() {
        let c = counts.entry(visit.member).or_default();
        c.visits += 1;
        c.reached += usize::from(visit.outcome.reached());
    }
    counts
}

/// Per street: households, households visited, households reached.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct StreetCounts {
    /// Live addresses in the street.
    pub households: usize,
    /// Addresses with at least one visit.
    pub visited: usize,
    /// Addresses where somebody opened at least once.
    pub reached: usize,
}

/// Household counts per street, keyed by street name.
pub fn counts_per_street(state: &State) -> BTreeMap<String, StreetCounts> {
    let visits = visits_by_address(state);
    let mut counts: BTreeMap<String, StreetCounts> = BTreeMap::new();
    for (id, address) in state.addresses.iter().filter(|(_, a)| a.life.is_live()) {
        let c = counts.entry(address.street.value.clone()).or_default();
        c.households += 1;
        if let Some(list) = visits.get(id) {
            c.visited += 1;
            c.reached += usize::from(list.iter().any(|(_, v)| v.outcome.reached()));
        }
    }
    counts
}

/// Residents who said at the door they want to join the team, with the roles they offered;
/// helps recruit for missing roles.
pub fn team_recruits(state: &State) -> Vec<(AddressId, BTreeSet<Role>)> {
    let mut recruits: BTreeMap<AddressId, BTreeSet<Role>> = BTreeMap::new();
    for visit in state.visits.values() {
        if let Some(roles) = &visit.join_team {
            recruits
                .entry(visit.address)
                .or_default()
                .extend(roles.iter().copied());
        }
    }
    recruits.into_iter().collect()
}
