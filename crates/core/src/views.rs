//! Derived views: what the screens show, computed from [`State`] by pure functions.
//!
//! Every view counts only what is live: removed entities are left out, and retracted visits
//! (undone) count nowhere, except in an address's history, which shows them marked.

use std::cmp::Ordering;
use std::collections::{BTreeMap, BTreeSet};

use chrono::NaiveDate;

use crate::domain::{
    ConsentPurpose, Evidence, FollowUpKind, Interest, Measure, Outcome, Owner, Phase, Role, Target,
};
use crate::ids::{
    ActionItemId, AddressId, AdviceId, ConsentId, MeetingId, MemberId, ProjectId, StepId, VisitId,
};
use crate::op::{FollowUp, Stamp};
use crate::state::{Address, Given, Resolved, State, Step, Visit};

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
        crate::sort::map(Role::ALL.iter().map(|r| (*r, Vec::new())));
    let mut members: Vec<_> = state
        .members
        .iter()
        .filter(|(_, m)| m.life.is_live())
        .collect();
    crate::sort::sort_by(&mut members, |a, b| {
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
        .map(|(id, s)| (*id, &**s))
        .collect();
    crate::sort::sort_by_key(&mut steps, |(id, s)| (s.order.value, *id));
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

/// A street name as the app compares it: without case, leading or trailing spaces, and with
/// runs of spaces as one ("Lange  Nieuwstraat " is "lange nieuwstraat"). The walk order and
/// the counts per street both use it, so they agree on what one street is.
pub fn street_key(street: &str) -> String {
    let mut key = String::with_capacity(street.len());
    for word in street.split_whitespace() {
        if !key.is_empty() {
            key.push(' ');
        }
        key.extend(word.chars().flat_map(char::to_lowercase));
    }
    key
}

/// An address as the importer and the form compare it, to find a duplicate before it is
/// added: the street as [`street_key`], the letter without case, the addition without case,
/// spaces or a leading dash ("-2", " 2" and "2" are one), the postcode without spaces and in
/// capitals.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct AddressKey {
    street: String,
    number: u32,
    letter: String,
    addition: String,
    postcode: String,
}

impl AddressKey {
    /// The key of an address given field by field.
    pub fn new(street: &str, number: u32, letter: &str, addition: &str, postcode: &str) -> Self {
        let addition: String = addition
            .trim()
            .trim_start_matches(['-', ' '])
            .chars()
            .filter(|c| !c.is_whitespace())
            .flat_map(char::to_lowercase)
            .collect();
        AddressKey {
            street: street_key(street),
            number,
            letter: letter.trim().to_lowercase(),
            addition,
            postcode: postcode
                .chars()
                .filter(|c| !c.is_whitespace())
                // A postcode's letters are ASCII; other text never makes a valid one.
                .map(|c| c.to_ascii_uppercase())
                .collect(),
        }
    }

    /// The key of a stored address.
    pub fn of(address: &Address) -> Self {
        AddressKey::new(
            &address.street.value,
            address.number.value,
            &address.letter.value,
            &address.addition.value,
            &address.postcode.value,
        )
    }
}

/// The live addresses by their [`AddressKey`], to tell whether a new one is already there.
pub fn address_index(state: &State) -> BTreeMap<AddressKey, AddressId> {
    crate::sort::map(
        state
            .addresses
            .iter()
            .filter(|(_, a)| a.life.is_live())
            .map(|(id, a)| (AddressKey::of(a), *id)),
    )
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

/// The walking order of two addresses whose streets are already known to be equal: the odd
/// side, then the even side, each by number, letter and addition.
fn compare_in_street(a: &Address, b: &Address) -> Ordering {
    let side = |addr: &Address| addr.number.value.is_multiple_of(2); // odd (false) first
    side(a)
        .cmp(&side(b))
        .then_with(|| a.number.value.cmp(&b.number.value))
        .then_with(|| compare_text(&a.letter.value, &b.letter.value))
        .then_with(|| compare_addition(&a.addition.value, &b.addition.value))
}

/// The walking order: street (as [`street_key`]), then the odd side, then the even side, each by
/// number, letter and addition.
pub fn compare_walk_order(a: &Address, b: &Address) -> Ordering {
    street_key(&a.street.value)
        .cmp(&street_key(&b.street.value))
        .then_with(|| compare_in_street(a, b))
}

/// Every live address in walking order, "do not visit again" ones included (the walk list
/// shows them greyed). Depends on the addresses only, so a visit does not re-sort it.
pub fn walk_order(state: &State) -> Vec<AddressId> {
    let mut list: Vec<(String, AddressId, &Address)> = state
        .addresses
        .iter()
        .filter(|(_, a)| a.life.is_live())
        .map(|(id, a)| (street_key(&a.street.value), *id, &**a))
        .collect();
    crate::sort::sort_by(&mut list, |a, b| {
        a.0.cmp(&b.0)
            .then_with(|| compare_in_street(a.2, b.2))
            .then(a.1.cmp(&b.1))
    });
    list.into_iter().map(|(_, id, _)| id).collect()
}

/// Whether an address is off the walk list: marked "do not visit again", or a resident said so
/// at the door (in a visit that counts) after the mark was last changed.
pub fn do_not_visit(state: &State, id: AddressId, address: &Address) -> bool {
    let said_at_door: Option<Stamp> = state
        .visits_at(id)
        .filter(|(_, v)| v.outcome == Outcome::DoNotVisit)
        .map(|(_, v)| v.stamp)
        .max();
    match (said_at_door, address.do_not_visit.stamp) {
        (Some(door), Some(mark)) if mark > door => address.do_not_visit.value,
        (Some(_), _) => true,
        (None, _) => address.do_not_visit.value,
    }
}

/// The walk list to knock on: live addresses in walking order, without "do not visit again".
pub fn walk_list(state: &State) -> Vec<(AddressId, &Address)> {
    walk_order(state)
        .into_iter()
        .filter_map(|id| {
            let a = state.addresses.get(&id)?;
            (!do_not_visit(state, id, a)).then_some((id, &**a))
        })
        .collect()
}

/// The last conversation at a door.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct LastVisit {
    /// The visit.
    pub visit: VisitId,
    /// Its outcome.
    pub outcome: Outcome,
    /// When it took place.
    pub at_ms: u64,
    /// Who logged it.
    pub member: MemberId,
    /// The resident answered on the project's page ("heeft zich aangemeld").
    pub online: bool,
}

/// What the walk list shows of one address.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct AddressStatus {
    /// The latest visit that counts.
    pub last: Option<LastVisit>,
    /// Visits that count.
    pub visits: usize,
    /// Somebody opened the door at least once.
    pub reached: bool,
    /// Off the walk list: greyed, no prompt to knock.
    pub do_not_visit: bool,
    /// An open follow-up (asked for in the latest visit and not closed).
    pub follow_up: Option<FollowUp>,
}

/// The status of one live address.
pub fn address_status(state: &State, id: AddressId) -> Option<AddressStatus> {
    let address = state.addresses.get(&id).filter(|a| a.life.is_live())?;
    let mut status = AddressStatus {
        do_not_visit: do_not_visit(state, id, address),
        ..AddressStatus::default()
    };
    for (visit_id, visit) in state.visits_at(id) {
        status.visits += 1;
        status.reached |= visit.outcome.reached();
        status.last = Some(LastVisit {
            visit: visit_id,
            outcome: visit.outcome,
            at_ms: visit.at_ms,
            member: visit.member,
            online: visit.online,
        });
    }
    if !status.do_not_visit
        && let Some(last) = status.last
    {
        status.follow_up = state.visits[&last.visit]
            .follow_up
            .filter(|_| state.follow_up_resolution(last.visit).is_none());
    }
    Some(status)
}

/// The status of every live address, for the walk list.
pub fn address_statuses(state: &State) -> BTreeMap<AddressId, AddressStatus> {
    crate::sort::map(
        state
            .addresses
            .keys()
            .filter_map(|id| address_status(state, *id).map(|s| (*id, s))),
    )
}

/// One entry of an address's history, oldest first.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum HistoryEntry<'a> {
    /// A visit, with whether it was retracted and how its follow-up was closed.
    Visit {
        /// The visit's id.
        id: VisitId,
        /// The visit.
        visit: &'a Visit,
        /// Undone: shown struck through, counted nowhere.
        retracted: bool,
        /// Its follow-up closed without a door visit.
        resolved: Option<Resolved>,
    },
    /// A consent, with when it was withdrawn.
    Consent {
        /// The consent's id.
        id: ConsentId,
        /// The consent.
        consent: &'a crate::state::Consent,
        /// Withdrawn, or ended by an erasure, at (Unix milliseconds).
        withdrawn_at_ms: Option<u64>,
    },
}

impl HistoryEntry<'_> {
    fn at_ms(&self) -> u64 {
        match self {
            HistoryEntry::Visit { visit, .. } => visit.at_ms,
            HistoryEntry::Consent { consent, .. } => consent.given_at_ms,
        }
    }
}

/// The history of an address: its visits (retracted ones marked) and consents, oldest first.
pub fn address_history(state: &State, address: AddressId) -> Vec<HistoryEntry<'_>> {
    let mut entries: Vec<HistoryEntry<'_>> = state
        .history_of(address)
        .map(|(id, visit, retracted)| HistoryEntry::Visit {
            id,
            visit,
            retracted,
            resolved: state.follow_up_resolution(id),
        })
        .collect();
    entries.extend(
        state
            .consents
            .iter()
            .filter(|(_, c)| c.address == address)
            .map(|(id, consent)| HistoryEntry::Consent {
                id: *id,
                consent,
                withdrawn_at_ms: state.consent_ended(*id, consent),
            }),
    );
    crate::sort::sort_by_key(&mut entries, HistoryEntry::at_ms);
    entries
}

/// The doorstep funnel of one project.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Funnel {
    /// Live addresses in the buurt.
    pub households: usize,
    /// Households where somebody opened the door at least once.
    pub reached: usize,
    /// Households whose latest word on this project is "interested" or "joins".
    pub interested: usize,
    /// Households whose latest word on this project is "joins".
    pub joined: usize,
    /// Joined households that pledged something for this project.
    pub pledged_households: usize,
    /// The sum of what joined households pledged for this project, in its unit.
    pub pledged_amount: u64,
    /// The project's target.
    pub target: Option<Target>,
}

impl Funnel {
    /// Progress toward the target in its unit: joined households for a target in households,
    /// the pledged amount for any other unit. `None` without a target.
    pub fn progress(&self) -> Option<(u64, u32)> {
        let target = self.target?;
        let count = if target.unit.counts_households() {
            self.joined as u64
        } else {
            self.pledged_amount
        };
        Some((count, target.count))
    }

    /// A measure of this funnel, for step evidence (`None` for a measure no funnel holds).
    pub fn measure(&self, measure: Measure) -> Option<u64> {
        Some(match measure {
            Measure::Reached => self.reached as u64,
            Measure::Interested => self.interested as u64,
            Measure::Joined => self.joined as u64,
            Measure::PledgedHouseholds => self.pledged_households as u64,
            Measure::PledgedAmount => self.pledged_amount,
            Measure::NewMembers | Measure::Consents(_) => return None,
        })
    }
}

/// One household's part in the funnels: whether somebody ever opened the door, and its latest
/// word on each project it was asked about (its interest, and its pledge if it joined).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct HouseholdWord {
    /// Somebody opened the door at least once.
    pub reached: bool,
    /// Per project: the latest interest and, for "joins", the pledge in the project's unit.
    pub words: BTreeMap<ProjectId, (Interest, Option<u32>)>,
}

/// The part a live address plays in the funnels (`None` when it is not live). A household's
/// latest word on a project is its latest visit (that counts) mentioning the project; a pledge
/// counts for its own project only, and only while that latest word is "joins".
pub fn household_word(state: &State, address: AddressId) -> Option<HouseholdWord> {
    household_word_before(state, address, u64::MAX)
}

/// A household's part in the funnels as it stood before `until_ms`: only conversations that
/// took place earlier count. For "since the last meeting".
pub fn household_word_before(
    state: &State,
    address: AddressId,
    until_ms: u64,
) -> Option<HouseholdWord> {
    state.addresses.get(&address).filter(|a| a.life.is_live())?;
    let mut word = HouseholdWord::default();
    for (_, visit) in state
        .visits_at(address)
        .rev()
        .filter(|(_, v)| v.at_ms < until_ms)
    {
        word.reached |= visit.outcome.reached();
        for (project, interest) in &visit.interests {
            // A later visit already had the last word on this project.
            word.words.entry(*project).or_insert_with(|| {
                let pledge = (*interest == Interest::Joins)
                    .then(|| visit.pledges.get(project).copied())
                    .flatten();
                (*interest, pledge)
            });
        }
    }
    Some(word)
}

/// Adds one household's word to the funnels (or takes it out again when `add` is false), so a
/// view can follow a change at one door without counting every door again.
pub fn tally(funnels: &mut BTreeMap<ProjectId, Funnel>, word: &HouseholdWord, add: bool) {
    let step = |n: &mut usize, by: bool| {
        if by {
            *n = if add { *n + 1 } else { n.saturating_sub(1) };
        }
    };
    for (project, f) in funnels.iter_mut() {
        step(&mut f.households, true);
        step(&mut f.reached, word.reached);
        let Some((interest, pledge)) = word.words.get(project) else {
            continue;
        };
        step(&mut f.interested, *interest >= Interest::Interested);
        let joined = *interest == Interest::Joins;
        step(&mut f.joined, joined);
        if let Some(amount) = pledge.filter(|_| joined) {
            step(&mut f.pledged_households, true);
            let amount = u64::from(amount);
            f.pledged_amount = if add {
                f.pledged_amount + amount
            } else {
                f.pledged_amount.saturating_sub(amount)
            };
        }
    }
}

/// Empty funnels for every live project, with their targets.
pub fn empty_funnels(state: &State) -> BTreeMap<ProjectId, Funnel> {
    crate::sort::map(
        state
            .projects
            .iter()
            .filter(|(_, p)| p.life.is_live())
            .map(|(id, p)| {
                let funnel = Funnel {
                    target: p.target.value,
                    ..Funnel::default()
                };
                (*id, funnel)
            }),
    )
}

/// The funnel of every live project, counting every household's word once.
pub fn funnels(state: &State) -> BTreeMap<ProjectId, Funnel> {
    let mut out = empty_funnels(state);
    for id in state.addresses.keys() {
        if let Some(word) = household_word(state, *id) {
            tally(&mut out, &word, true);
        }
    }
    out
}

/// What the doors and the plan brought between two moments: the team meeting's "since the
/// last meeting".
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Since {
    /// Conversations logged at the door (not undone).
    pub visits: usize,
    /// Households reached for the first time.
    pub newly_reached: usize,
    /// Per live project: the funnel at the start and at the end.
    pub projects: BTreeMap<ProjectId, (Funnel, Funnel)>,
    /// Households that said for the first time they want to join the team.
    pub new_candidates: usize,
    /// Steps ticked off (and still ticked), in the order they were done.
    pub steps_done: Vec<StepId>,
    /// Answers residents gave on a project's page themselves (confirmed addresses only).
    pub online: usize,
}

impl Since {
    /// Households newly interested in `project` (the count can fall when residents change
    /// their minds, so it is signed).
    pub fn interested(&self, project: ProjectId) -> i64 {
        self.delta(project, |f| f.interested as i64)
    }

    /// Change in what `project` counts toward its target (joined households or the pledged
    /// amount in its unit).
    pub fn toward_target(&self, project: ProjectId) -> i64 {
        self.delta(project, |f| {
            f.progress()
                .map_or(f.pledged_amount as i64, |(count, _)| count as i64)
        })
    }

    fn delta(&self, project: ProjectId, of: impl Fn(&Funnel) -> i64) -> i64 {
        self.projects
            .get(&project)
            .map_or(0, |(before, after)| of(after) - of(before))
    }
}

/// What happened from `from_ms` (inclusive) to `to_ms` (exclusive), by the time the
/// conversations took place and the steps were ticked.
pub fn since(state: &State, from_ms: u64, to_ms: u64) -> Since {
    let window = |at: u64| from_ms <= at && at < to_ms;
    let mut out = Since::default();
    let mut before = empty_funnels(state);
    let mut after = empty_funnels(state);
    for id in state.addresses.keys() {
        if let Some(word) = household_word_before(state, *id, from_ms) {
            tally(&mut before, &word, true);
        }
        if let Some(word) = household_word_before(state, *id, to_ms) {
            tally(&mut after, &word, true);
        }
        if state.addresses.get(id).is_some_and(|a| a.life.is_live()) {
            let mut reached_before = false;
            let mut candidate_before = false;
            let (mut reached_now, mut candidate_now) = (false, false);
            for (_, visit) in state.visits_at(*id).filter(|(_, v)| v.at_ms < to_ms) {
                let earlier = visit.at_ms < from_ms;
                reached_before |= earlier && visit.outcome.reached();
                candidate_before |= earlier && visit.join_team.is_some();
                reached_now |= visit.outcome.reached();
                candidate_now |= visit.join_team.is_some();
                out.visits += usize::from(window(visit.at_ms));
                out.online += usize::from(window(visit.at_ms) && visit.online);
            }
            out.newly_reached += usize::from(reached_now && !reached_before);
            out.new_candidates += usize::from(candidate_now && !candidate_before);
        }
    }
    out.projects = crate::sort::map(
        before
            .into_iter()
            .filter_map(|(id, b)| after.remove(&id).map(|a| (id, (b, a)))),
    );
    let mut done: Vec<(u64, StepId)> = state
        .steps
        .iter()
        .filter(|(_, s)| {
            s.life.is_live()
                && s.project
                    .value
                    .is_some_and(|p| state.projects.get(&p).is_some_and(|p| p.life.is_live()))
        })
        .filter_map(|(id, s)| s.done.value.map(|d| (d.at_ms, *id)))
        .filter(|(at, _)| window(*at))
        .collect();
    crate::sort::sort_by(&mut done, Ord::cmp);
    out.steps_done = done.into_iter().map(|(_, id)| id).collect();
    out
}

/// Addresses residents gave on a project's page that the team has neither confirmed (added
/// with the same id) nor discarded (removed), oldest first. Their answers count nowhere yet.
pub fn proposals(state: &State) -> Vec<(AddressId, &crate::state::Proposal)> {
    let mut out: Vec<_> = state
        .proposals
        .iter()
        .filter(|(id, _)| {
            state
                .addresses
                .get(id)
                .is_none_or(|a| a.life.created.is_none() && a.life.removed.is_none())
        })
        .map(|(id, p)| (*id, &**p))
        .collect();
    crate::sort::sort_by(&mut out, |a, b| a.1.stamp.cmp(&b.1.stamp));
    out
}

/// The order a step gets when it moves to `to` in `orders` (the plan order of the steps it
/// moves among, itself included at `from`): halfway between its new neighbours, so one change
/// moves it and a move on another phone does not renumber the rest. `None` when there is no
/// room between the neighbours (the caller renumbers) or nothing moves.
pub fn moved_order(orders: &[i64], from: usize, to: usize) -> Option<i64> {
    if from == to || from >= orders.len() || to >= orders.len() {
        return None;
    }
    let others: Vec<i64> = orders
        .iter()
        .enumerate()
        .filter(|(i, _)| *i != from)
        .map(|(_, o)| *o)
        .collect();
    let below = to.checked_sub(1).map(|i| others[i]);
    let above = others.get(to).copied();
    let (low, high) = match (below, above) {
        (Some(low), Some(high)) => (low, high),
        (None, Some(high)) => (high.saturating_sub(2048), high),
        (Some(low), None) => (low, low.saturating_add(2048)),
        (None, None) => return None,
    };
    let middle = low + (high - low) / 2;
    (middle > low && middle < high).then_some(middle)
}

/// The new orders when the item at `from` moves to `to` among items in plan order `orders`:
/// one change where there is room between the new neighbours ([`moved_order`]), else every
/// item renumbered in gaps of 1024. Pairs of (index in `orders`, new order); empty when nothing
/// moves.
pub fn reorder(orders: &[i64], from: usize, to: usize) -> Vec<(usize, i64)> {
    if let Some(order) = moved_order(orders, from, to) {
        return vec![(from, order)];
    }
    if from == to || from >= orders.len() || to >= orders.len() {
        return Vec::new();
    }
    let mut indices: Vec<usize> = (0..orders.len()).collect();
    let moved = indices.remove(from);
    indices.insert(to, moved);
    indices
        .into_iter()
        .enumerate()
        .map(|(n, i)| (i, (n as i64 + 1) * 1024))
        .collect()
}

/// Reached, interested, joined and pledged for `project`, against its target.
pub fn funnel(state: &State, project: ProjectId) -> Funnel {
    funnels(state).remove(&project).unwrap_or_else(|| Funnel {
        target: state.projects.get(&project).and_then(|p| p.target.value),
        ..Funnel::default()
    })
}

/// Households with a consent for `purpose` that still holds (not withdrawn, not erased), at live
/// addresses.
pub fn consents_for(state: &State, purpose: ConsentPurpose) -> usize {
    let addresses = state
        .consents
        .iter()
        .filter(|(id, c)| {
            c.purposes.contains(&purpose)
                && state.consent_ended(**id, c).is_none()
                && state
                    .addresses
                    .get(&c.address)
                    .is_some_and(|a| a.life.is_live())
        })
        .map(|(_, c)| c.address);
    crate::sort::set(addresses).len()
}

/// The live count of a step's evidence, against its target.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct EvidenceProgress {
    /// What is counted.
    pub measure: Measure,
    /// The count now ("toezeggingen 23").
    pub count: u64,
    /// What completes the step ("/60").
    pub target: u32,
}

impl EvidenceProgress {
    /// The target is reached.
    pub fn met(&self) -> bool {
        self.count >= u64::from(self.target)
    }
}

/// The count of `evidence` for `project` now.
pub fn evidence_count(state: &State, project: ProjectId, evidence: Evidence) -> EvidenceProgress {
    let count = match evidence.measure {
        Measure::NewMembers => team_recruits(state).len() as u64,
        Measure::Consents(purpose) => consents_for(state, purpose) as u64,
        measure => funnel(state, project).measure(measure).unwrap_or(0),
    };
    EvidenceProgress {
        measure: evidence.measure,
        count,
        target: evidence.target,
    }
}

/// The live count of a step's doorstep evidence; `None` for a step ticked by hand (or not
/// live).
pub fn evidence_progress(state: &State, step: StepId) -> Option<EvidenceProgress> {
    let s = state.steps.get(&step).filter(|s| s.life.is_live())?;
    let evidence = s.evidence.value?;
    let project = s.project.value?;
    Some(evidence_count(state, project, evidence))
}

/// An open follow-up: the latest visit of a live, visitable address asked for one, and it was
/// neither settled by a later visit nor marked done or cancelled.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FollowUpDue {
    /// Where.
    pub address: AddressId,
    /// The visit that asked for it.
    pub visit: VisitId,
    /// What to do.
    pub kind: FollowUpKind,
    /// When (none: as soon as convenient).
    pub date: Option<NaiveDate>,
    /// The ambassador who logged the visit.
    pub member: MemberId,
}

/// Open follow-ups by when they are due.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct FollowUps {
    /// Due before today.
    pub overdue: Vec<FollowUpDue>,
    /// Due today, or as soon as convenient (no date).
    pub today: Vec<FollowUpDue>,
    /// Due in the coming six days.
    pub this_week: Vec<FollowUpDue>,
    /// Due later.
    pub later: Vec<FollowUpDue>,
}

impl FollowUps {
    /// How many are open in all.
    pub fn len(&self) -> usize {
        self.overdue.len() + self.today.len() + self.this_week.len() + self.later.len()
    }

    /// Nothing is open.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// Every open follow-up, sorted into overdue, today, this week (the coming six days) and later;
/// each list by date (undated last), then address.
pub fn follow_ups(state: &State, today: NaiveDate) -> FollowUps {
    let statuses: Vec<(AddressId, AddressStatus)> = state
        .addresses
        .keys()
        .filter_map(|id| Some((*id, address_status(state, *id)?)))
        .collect();
    follow_ups_of(statuses.iter().map(|(id, s)| (*id, s)), today)
}

/// [`follow_ups`] from the statuses of the live addresses (the walk list's statuses), without
/// reading the visits again.
pub fn follow_ups_of<'a>(
    statuses: impl IntoIterator<Item = (AddressId, &'a AddressStatus)>,
    today: NaiveDate,
) -> FollowUps {
    let mut all: Vec<FollowUpDue> = statuses
        .into_iter()
        .filter_map(|(id, status)| {
            let follow_up = status.follow_up?;
            let last = status.last?;
            Some(FollowUpDue {
                address: id,
                visit: last.visit,
                kind: follow_up.kind,
                date: follow_up.date,
                member: last.member,
            })
        })
        .collect();
    // Dated ones first (today's before the undated "as soon as convenient" ones).
    crate::sort::sort_by_key(&mut all, |f| (f.date.is_none(), f.date, f.address));
    let week_end = today + chrono::Days::new(6);
    let mut out = FollowUps::default();
    for f in all {
        match f.date {
            Some(d) if d < today => out.overdue.push(f),
            None => out.today.push(f),
            Some(d) if d == today => out.today.push(f),
            Some(d) if d <= week_end => out.this_week.push(f),
            Some(_) => out.later.push(f),
        }
    }
    out
}

/// Follow-ups due on or before `today` (overdue first, then today's and undated ones).
pub fn follow_ups_due(state: &State, today: NaiveDate) -> Vec<FollowUpDue> {
    let FollowUps {
        mut overdue,
        today: now,
        ..
    } = follow_ups(state, today);
    overdue.extend(now);
    overdue
}

/// Visit counts for one member or one street.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Counts {
    /// Visits logged.
    pub visits: usize,
    /// Of those, somebody opened.
    pub reached: usize,
}

/// Visits and conversations per member (retracted visits do not count).
pub fn counts_per_member(state: &State) -> BTreeMap<MemberId, Counts> {
    let mut counts: BTreeMap<MemberId, Counts> = BTreeMap::new();
    for (_, visit) in state.live_visits() {
        let c = counts.entry(visit.member).or_default();
        c.visits += 1;
        c.reached += usize::from(visit.outcome.reached());
    }
    counts
}

/// Per street: households, households visited, households reached.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct StreetCounts {
    /// The street's name as first entered.
    pub name: String,
    /// Live addresses in the street.
    pub households: usize,
    /// Addresses with at least one visit.
    pub visited: usize,
    /// Addresses where somebody opened at least once.
    pub reached: usize,
    /// Visits logged in the street.
    pub visits: usize,
}

/// Household counts per street, keyed by [`street_key`] (so in walking order, and "Lindelaan"
/// and "lindelaan " are one street).
pub fn counts_per_street(state: &State) -> BTreeMap<String, StreetCounts> {
    let mut counts: BTreeMap<String, StreetCounts> = BTreeMap::new();
    for (id, address) in state.addresses.iter().filter(|(_, a)| a.life.is_live()) {
        let c = counts
            .entry(street_key(&address.street.value))
            .or_insert_with(|| StreetCounts {
                name: address.street.value.trim().to_owned(),
                ..StreetCounts::default()
            });
        c.households += 1;
        let mut visits = 0;
        let mut reached = false;
        for (_, visit) in state.visits_at(*id) {
            visits += 1;
            reached |= visit.outcome.reached();
        }
        c.visits += visits;
        c.visited += usize::from(visits > 0);
        c.reached += usize::from(reached);
    }
    counts
}

/// One side of a street as the walk list groups it: who walks it and what is left there.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StreetSide {
    /// The street's key ([`street_key`]).
    pub key: String,
    /// The street's name as its first address in walking order spells it.
    pub name: String,
    /// The side with odd house numbers, or the even.
    pub odd: bool,
    /// Live addresses on this side.
    pub doors: usize,
    /// Doors nobody has visited yet, "do not visit again" ones not counted.
    pub left: usize,
    /// The live member who walks it ([`State::walker`]).
    pub walker: Option<MemberId>,
}

/// Every side of every street with live addresses, in walking order (a street's odd side
/// first).
pub fn street_sides(state: &State) -> Vec<StreetSide> {
    let mut sides: Vec<StreetSide> = Vec::new();
    for id in walk_order(state) {
        let Some(a) = state.addresses.get(&id) else {
            continue;
        };
        let key = street_key(&a.street.value);
        let odd = !a.number.value.is_multiple_of(2);
        // Walking order keeps a side together: it is the last one, or new.
        let side = match sides.last_mut() {
            Some(side) if side.key == key && side.odd == odd => side,
            _ => {
                sides.push(StreetSide {
                    walker: state.walker(&key, odd),
                    key,
                    name: a.street.value.trim().to_owned(),
                    odd,
                    doors: 0,
                    left: 0,
                });
                sides.last_mut().expect("just pushed")
            }
        };
        side.doors += 1;
        if state.visits_at(id).next().is_none() && !do_not_visit(state, id, a) {
            side.left += 1;
        }
    }
    sides
}

/// The team's coaches' advice it has not handled yet, oldest first: with `project`, what is
/// about the team as a whole or that project (and its steps); without, all of it. Advice about
/// a project the team removed is left out.
pub fn open_advice(state: &State, project: Option<ProjectId>) -> Vec<(AdviceId, &Given)> {
    let mut out: Vec<(AdviceId, &Given)> = state
        .advice
        .iter()
        .filter(|(_, a)| a.handled.value.is_none())
        .filter_map(|(id, a)| Some((*id, a.given.as_ref()?)))
        .filter(|(_, g)| match g.project {
            None => true,
            Some(p) => {
                project.is_none_or(|wanted| wanted == p)
                    && state.projects.get(&p).is_some_and(|p| p.life.is_live())
            }
        })
        .collect();
    crate::sort::sort_by_key(&mut out, |(_, g)| g.stamp);
    out
}

/// Residents who said at the door they want to join the team, with the roles they offered;
/// helps recruit for missing roles.
pub fn team_recruits(state: &State) -> Vec<(AddressId, BTreeSet<Role>)> {
    let mut recruits: BTreeMap<AddressId, BTreeSet<Role>> = BTreeMap::new();
    for (_, visit) in state.live_visits() {
        if let Some(roles) = &visit.join_team {
            recruits
                .entry(visit.address)
                .or_default()
                .extend(roles.iter().copied());
        }
    }
    recruits.into_iter().collect()
}

/// The members ticked present at a meeting (live members only).
pub fn attendees(state: &State, meeting: MeetingId) -> Vec<MemberId> {
    state
        .meetings
        .get(&meeting)
        .into_iter()
        .flat_map(|m| m.present())
        .filter(|m| state.members.get(m).is_some_and(|x| x.life.is_live()))
        .collect()
}

/// An open action item.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OpenAction {
    /// The item.
    pub id: ActionItemId,
    /// The meeting it came from.
    pub meeting: Option<MeetingId>,
    /// Who does it.
    pub owner: Option<Owner>,
    /// By when.
    pub due: Option<NaiveDate>,
    /// Its due date has passed.
    pub overdue: bool,
}

/// Open action items, per owner and overdue.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct OpenActions {
    /// Per owner (a member or a role), by due date (undated last); `None` for no owner.
    pub by_owner: BTreeMap<Option<Owner>, Vec<OpenAction>>,
    /// Every overdue item, most overdue first.
    pub overdue: Vec<OpenAction>,
}

/// The action items not done and not removed, per owner, and the overdue ones.
pub fn open_actions(state: &State, today: NaiveDate) -> OpenActions {
    let mut open: Vec<OpenAction> = state
        .action_items
        .iter()
        .filter(|(_, a)| a.life.is_live() && !a.done.value)
        .map(|(id, a)| OpenAction {
            id: *id,
            meeting: a.meeting.value,
            owner: a.owner.value,
            due: a.due.value,
            overdue: a.due.value.is_some_and(|d| d < today),
        })
        .collect();
    // Undated last, then by date, then by id.
    crate::sort::sort_by_key(&mut open, |a| (a.due.is_none(), a.due, a.id));
    let mut out = OpenActions::default();
    for a in open {
        if a.overdue {
            out.overdue.push(a.clone());
        }
        out.by_owner.entry(a.owner).or_default().push(a);
    }
    out
}

/// The live items of `project`'s doorstep guide: the opening first, then the key points, then
/// the questions, each in their order.
pub fn guide_items(
    state: &State,
    project: ProjectId,
) -> Vec<(crate::ids::GuideItemId, &crate::state::GuideItem)> {
    let mut items: Vec<_> = state
        .guide
        .iter()
        .filter(|(_, g)| {
            g.life.is_live() && g.project.value == Some(project) && g.kind.value.is_some()
        })
        .map(|(id, g)| (*id, &**g))
        .collect();
    crate::sort::sort_by_key(&mut items, |(id, g)| (g.kind.value, g.order.value, *id));
    items
}

/// The questions from the doors nobody has answered yet, oldest first (those about a removed
/// project included: the question still stands).
pub fn open_questions(state: &State) -> Vec<(crate::ids::QuestionId, &crate::state::Asked)> {
    let mut open: Vec<_> = state
        .questions
        .iter()
        .filter(|(_, q)| q.is_open())
        .filter_map(|(id, q)| Some((*id, q.asked.as_ref()?)))
        .collect();
    crate::sort::sort_by_key(&mut open, |(id, a)| (a.asked_at_ms, *id));
    open
}

/// Whether the resident at `address` agreed to hear back about a project: a consent for
/// project updates that still holds. Only then does a question keep its address.
pub fn may_answer(state: &State, address: AddressId) -> bool {
    state.consents.iter().any(|(id, c)| {
        c.address == address
            && c.purposes.contains(&ConsentPurpose::ProjectUpdates)
            && state.consent_ended(*id, c).is_none()
    })
}
