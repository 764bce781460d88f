//! What a buurtbegeleider (coach) sees of a team: figures only.
//!
//! A coach follows many teams and helps the ones that are stuck. [`summary`] reads a team's log
//! and gives its readiness, each project's phase and progress, the team's activity per week,
//! and the signals that it may be stuck, each with its reason. It holds no address, resident,
//! note or contact detail: only counts, dates, and the names the team gave itself, its projects
//! and its steps.

use std::collections::BTreeMap;

use chrono::{Datelike, NaiveDate};
use serde::Serialize;

use crate::clock::{dutch_date, dutch_midnight_ms};
use crate::domain::{Phase, Role, Theme, Unit};
use crate::ids::{AdviceId, ProjectId, StepId};
use crate::op::{Operation, Payload};
use crate::state::State;
use crate::views;

/// Days without a step ticked or a door visited before a team counts as idle.
pub const IDLE_DAYS: u64 = 21;
/// Days a role may stay empty.
pub const ROLE_EMPTY_DAYS: u64 = 30;
/// Weeks a project with a target may go without progress toward it.
pub const NO_PROGRESS_WEEKS: u64 = 4;
/// Weeks a team may go without a meeting.
pub const NO_MEETING_WEEKS: u64 = 6;
/// Weeks in a team's series, the current one last.
pub const WEEKS: usize = 12;

const DAY_MS: u64 = 86_400_000;

/// Why a team may be stuck.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case", tag = "signal")]
pub enum Stuck {
    /// No step ticked and no door visited for `days` days (since the team started, if never).
    Idle {
        /// Days since the last step or door.
        days: u64,
    },
    /// Nobody has held `role` for `days` days.
    RoleEmpty {
        /// The role.
        role: Role,
        /// Days it has been empty.
        days: u64,
    },
    /// A project with a target has not moved toward it for `weeks` weeks.
    NoProgress {
        /// The project.
        project: ProjectId,
        /// Its title.
        title: String,
        /// Weeks without progress (at least [`NO_PROGRESS_WEEKS`]).
        weeks: u64,
    },
    /// No meeting held for `days` days; `None` when the team never met.
    NoMeeting {
        /// Days since the last meeting.
        days: Option<u64>,
    },
}

/// One project as a coach sees it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ProjectSummary {
    /// The project.
    pub id: ProjectId,
    /// Its title.
    pub title: String,
    /// Its theme.
    pub theme: Option<Theme>,
    /// The first phase with steps left to do; `None` when every step is done or skipped.
    pub phase: Option<Phase>,
    /// Steps done, of those that count (not skipped).
    pub steps_done: usize,
    /// Steps that count.
    pub steps_total: usize,
    /// Titles of the steps past their due date and not done, in plan order.
    pub overdue: Vec<String>,
    /// The steps still to do (not done, not skipped), in plan order: what advice may be about.
    pub open_steps: Vec<(StepId, String)>,
    /// Progress toward the target in its unit, and the target.
    pub progress: Option<(u64, u32)>,
    /// The target's unit.
    pub unit: Option<Unit>,
}

/// A week of a team's work.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Week {
    /// Its Monday.
    pub start: NaiveDate,
    /// Doors visited by the team that week (answers on the resident page not counted).
    pub visits: u32,
    /// Steps done by the end of the week, all projects together.
    pub steps_done: u32,
    /// Progress toward each project's target by the end of the week, in its unit.
    pub progress: BTreeMap<ProjectId, u64>,
}

/// Advice a coach gave the team, and whether the team handled it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct AdviceSummary {
    /// The advice.
    pub id: AdviceId,
    /// The title of the project it is about; none for the team as a whole.
    pub project: Option<String>,
    /// The title of the step it is about, if one.
    pub step: Option<String>,
    /// The advice.
    pub text: String,
    /// The coach who gave it.
    pub name: String,
    /// When.
    pub given: NaiveDate,
    /// When the team marked it handled; none while open.
    pub handled: Option<NaiveDate>,
}

/// A team as a coach sees it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct TeamSummary {
    /// The team's name.
    pub name: String,
    /// Its buurt.
    pub neighbourhood: String,
    /// Live members.
    pub members: usize,
    /// Per role, how many members hold it (two or more is the approach's advice).
    pub roles: BTreeMap<Role, usize>,
    /// Live projects, in the order they started.
    pub projects: Vec<ProjectSummary>,
    /// The last day a member changed anything.
    pub last_activity: Option<NaiveDate>,
    /// The last meeting held (dated today or earlier).
    pub last_meeting: Option<NaiveDate>,
    /// The next meeting planned (after today).
    pub next_meeting: Option<NaiveDate>,
    /// Why the team may be stuck; empty when nothing suggests it.
    pub stuck: Vec<Stuck>,
    /// The last [`WEEKS`] weeks since the team started, oldest first.
    pub weeks: Vec<Week>,
    /// The advice the team's coaches gave, newest first.
    pub advice: Vec<AdviceSummary>,
}

impl TeamSummary {
    /// How urgently the team needs help: more signals first, then the longest idle.
    pub fn urgency(&self) -> (usize, u64) {
        let idle = self
            .stuck
            .iter()
            .find_map(|s| match s {
                Stuck::Idle { days } => Some(*days),
                _ => None,
            })
            .unwrap_or(0);
        (self.stuck.len(), idle)
    }
}

/// What is counted at one moment of the replay.
#[derive(Clone, Debug, Default)]
struct Snapshot {
    steps_done: u32,
    progress: BTreeMap<ProjectId, u64>,
}

fn snapshot(state: &State) -> Snapshot {
    Snapshot {
        steps_done: state
            .steps
            .values()
            .filter(|s| {
                s.life.is_live()
                    && !s.skipped.value
                    && s.done.value.is_some()
                    && s.project
                        .value
                        .and_then(|p| state.projects.get(&p))
                        .is_some_and(|p| p.life.is_live())
            })
            .count() as u32,
        progress: views::funnels(state)
            .into_iter()
            .filter_map(|(id, f)| f.progress().map(|(count, _)| (id, count)))
            .collect(),
    }
}

/// `ops` (a team's whole log, in any order) as a coach sees the team at `now_ms`.
pub fn summary(ops: &[Operation], now_ms: u64) -> TeamSummary {
    let today = dutch_date(now_ms);
    let this_monday = today - chrono::Days::new(u64::from(today.weekday().num_days_from_monday()));
    let mondays: Vec<NaiveDate> = (0..WEEKS as u64)
        .rev()
        .map(|back| this_monday - chrono::Days::new(7 * back))
        .collect();
    // The moments to count at: the end of each week (the current one ends now), and
    // NO_PROGRESS_WEEKS ago.
    let progress_from = now_ms.saturating_sub(NO_PROGRESS_WEEKS * 7 * DAY_MS);
    let mut moments: Vec<u64> = mondays
        .iter()
        .skip(1)
        .map(|m| dutch_midnight_ms(*m).min(now_ms))
        .chain([now_ms, progress_from])
        .collect();
    moments.sort_unstable();
    moments.dedup();

    let mut sorted: Vec<&Operation> = ops.iter().collect();
    crate::sort::sort_by_key(&mut sorted, |op| op.stamp());

    let mut state = State::default();
    let mut snapshots: BTreeMap<u64, Snapshot> = BTreeMap::new();
    let mut next_moment = 0;
    let started_ms = sorted.first().map(|op| op.hlc.wall_ms);
    let mut last_work_ms: Option<u64> = None;
    let mut last_activity_ms: Option<u64> = None;
    // Per role, since when nobody holds it (the team's start for a role never held).
    let mut empty_since: BTreeMap<Role, u64> = Role::ALL
        .into_iter()
        .map(|r| (r, started_ms.unwrap_or(now_ms)))
        .collect();
    for op in &sorted {
        let at = op.hlc.wall_ms;
        while next_moment < moments.len() && moments[next_moment] <= at {
            snapshots.insert(moments[next_moment], snapshot(&state));
            next_moment += 1;
        }
        state.apply(op);
        if state.members.contains_key(&op.author.member) {
            last_activity_ms = last_activity_ms.max(Some(at));
        }
        match &op.payload {
            Payload::VisitLog(v) if !v.online => last_work_ms = last_work_ms.max(Some(at)),
            Payload::StepDone { done: true, .. } => last_work_ms = last_work_ms.max(Some(at)),
            Payload::MemberAdd { .. }
            | Payload::MemberUpdate { .. }
            | Payload::MemberRemove { .. } => {
                let coverage = views::role_coverage(&state);
                for (role, holders) in &coverage.holders {
                    if holders.is_empty() {
                        empty_since.entry(*role).or_insert(at);
                    } else {
                        empty_since.remove(role);
                    }
                }
            }
            _ => {}
        }
    }
    let now = snapshot(&state);
    for moment in &moments[next_moment..] {
        snapshots.insert(*moment, now.clone());
    }

    let days_since = |ms: u64| now_ms.saturating_sub(ms) / DAY_MS;
    let coverage = views::role_coverage(&state);
    let mut stuck = Vec::new();
    if let Some(started) = started_ms {
        let quiet_since = last_work_ms.unwrap_or(started);
        if days_since(quiet_since) >= IDLE_DAYS {
            stuck.push(Stuck::Idle {
                days: days_since(quiet_since),
            });
        }
        for (role, since) in &empty_since {
            if days_since(*since) >= ROLE_EMPTY_DAYS {
                stuck.push(Stuck::RoleEmpty {
                    role: *role,
                    days: days_since(*since),
                });
            }
        }
    }

    let mut projects = Vec::new();
    for (id, project) in state.projects.iter().filter(|(_, p)| p.life.is_live()) {
        let steps = views::plan_steps(&state, *id);
        let progress = views::plan_progress(&state, *id);
        let funnel = views::funnel(&state, *id);
        let overdue = steps
            .iter()
            .filter(|(_, s)| {
                !s.skipped.value && s.done.value.is_none() && s.due.value.is_some_and(|d| d < today)
            })
            .map(|(_, s)| s.title.value.clone())
            .collect();
        let open_steps = steps
            .iter()
            .filter(|(_, s)| !s.skipped.value && s.done.value.is_none())
            .map(|(id, s)| (*id, s.title.value.clone()))
            .collect();
        let summary = ProjectSummary {
            id: *id,
            title: project.title.value.clone(),
            theme: project.theme.value,
            phase: progress
                .iter()
                .find(|(_, p)| p.done < p.total)
                .map(|(phase, _)| *phase),
            steps_done: progress.values().map(|p| p.done).sum(),
            steps_total: progress.values().map(|p| p.total).sum(),
            overdue,
            open_steps,
            progress: funnel.progress(),
            unit: funnel.target.map(|t| t.unit),
        };
        let created = project.life.created.map_or(now_ms, |s| s.hlc.wall_ms);
        if let Some((count, target)) = summary.progress
            && count < u64::from(target)
            && created <= progress_from
        {
            let before = snapshots
                .get(&progress_from)
                .and_then(|s| s.progress.get(id))
                .copied()
                .unwrap_or(0);
            if count <= before {
                stuck.push(Stuck::NoProgress {
                    project: *id,
                    title: summary.title.clone(),
                    weeks: days_since(created.max(last_progress_ms(&snapshots, *id, count))) / 7,
                });
            }
        }
        projects.push(summary);
    }
    crate::sort::sort_by_key(&mut projects, |p| state.projects[&p.id].life.created);

    let meetings: Vec<NaiveDate> = state
        .meetings
        .values()
        .filter(|m| m.life.is_live())
        .filter_map(|m| m.date.value)
        .collect();
    let last_meeting = meetings.iter().filter(|d| **d <= today).max().copied();
    let next_meeting = meetings.iter().filter(|d| **d > today).min().copied();
    if let Some(started) = started_ms {
        let since = last_meeting.map(|d| (today - d).num_days().max(0) as u64);
        let team_days = days_since(started);
        if since.unwrap_or(team_days) >= NO_MEETING_WEEKS * 7 {
            stuck.push(Stuck::NoMeeting { days: since });
        }
    }

    let mut visits_per_week = [0u32; WEEKS];
    for (id, visit) in &state.visits {
        if visit.online || state.retracted.contains_key(id) {
            continue;
        }
        let day = dutch_date(visit.at_ms);
        if let Some(i) = mondays.iter().rposition(|m| *m <= day)
            && day <= today
        {
            visits_per_week[i] += 1;
        }
    }
    let first_week = started_ms.map(|ms| {
        let day = dutch_date(ms);
        day - chrono::Days::new(u64::from(day.weekday().num_days_from_monday()))
    });
    let weeks = mondays
        .iter()
        .enumerate()
        .filter(|(_, monday)| first_week.is_some_and(|first| **monday >= first))
        .map(|(i, monday)| {
            let end = mondays
                .get(i + 1)
                .map_or(now_ms, |m| dutch_midnight_ms(*m).min(now_ms));
            let at = snapshots.get(&end).cloned().unwrap_or_default();
            Week {
                start: *monday,
                visits: visits_per_week[i],
                steps_done: at.steps_done,
                progress: at.progress,
            }
        })
        .collect();

    let mut advice: Vec<AdviceSummary> = state
        .advice
        .iter()
        .filter_map(|(id, a)| {
            let given = a.given.as_ref()?;
            Some(AdviceSummary {
                id: *id,
                project: given
                    .project
                    .and_then(|p| state.projects.get(&p))
                    .map(|p| p.title.value.clone()),
                step: given
                    .step
                    .and_then(|s| state.steps.get(&s))
                    .map(|s| s.title.value.clone()),
                text: given.text.clone(),
                name: given.name.clone(),
                given: dutch_date(given.stamp.hlc.wall_ms),
                handled: a.handled.value.as_ref().map(|d| dutch_date(d.at_ms)),
            })
        })
        .collect();
    advice.sort_by_key(|a| std::cmp::Reverse((a.given, a.id)));

    TeamSummary {
        name: state.team.name.value.clone(),
        neighbourhood: state.team.neighbourhood.value.clone(),
        members: state.members.values().filter(|m| m.life.is_live()).count(),
        roles: coverage
            .holders
            .iter()
            .map(|(role, holders)| (*role, holders.len()))
            .collect(),
        projects,
        last_activity: last_activity_ms.map(dutch_date),
        last_meeting,
        next_meeting,
        stuck,
        weeks,
        advice,
    }
}

/// The earliest counted moment from which `project`'s progress has been `count` or more.
fn last_progress_ms(snapshots: &BTreeMap<u64, Snapshot>, project: ProjectId, count: u64) -> u64 {
    snapshots
        .iter()
        .rev()
        .take_while(|(_, s)| s.progress.get(&project).copied().unwrap_or(0) >= count)
        .last()
        .map_or(0, |(at, _)| *at)
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use super::*;
    use crate::domain::{Interest, Outcome, Target};
    use crate::factory::{EPOCH_MS, OpFactory};
    use crate::ids::{AddressId, MeetingId, MemberId, StepId, VisitId};
    use crate::op::VisitLog;

    /// A team started on the factory's epoch (Friday 28 November 2025): two members holding
    /// the three roles between them, a project aiming for 10 households with two steps (the
    /// first due 10 December), and two addresses.
    struct Team {
        f: OpFactory,
        ops: Vec<Operation>,
        bram: MemberId,
        project: ProjectId,
        steps: [StepId; 2],
        doors: [AddressId; 2],
    }

    fn day(n: u64) -> u64 {
        EPOCH_MS + n * DAY_MS
    }

    fn team() -> Team {
        let mut f = OpFactory::new(1);
        let anna = f.author().member;
        let bram = f.id(MemberId::new_v7);
        let project = f.id(ProjectId::new_v7);
        let steps = [f.id(StepId::new_v7), f.id(StepId::new_v7)];
        let mut ops = vec![
            f.op(Payload::TeamUpdate {
                name: Some("Buurtteam Lindenbuurt".into()),
                neighbourhood: Some("Lindenbuurt".into()),
            }),
            f.op(Payload::MemberAdd {
                member: anna,
                display_name: "Anna".into(),
                roles: BTreeSet::from([Role::Connector, Role::Driver]),
            }),
            f.op(Payload::MemberAdd {
                member: bram,
                display_name: "Bram".into(),
                roles: BTreeSet::from([Role::Expert, Role::Driver]),
            }),
            f.op(Payload::ProjectAdd {
                project,
                theme: Theme::Aed,
                title: "AED Lindenbuurt".into(),
                target: Some(Target {
                    count: 10,
                    unit: Unit::Households,
                }),
            }),
        ];
        for (i, (step, phase)) in steps
            .iter()
            .zip([Phase::Initiate, Phase::Activate])
            .enumerate()
        {
            ops.push(f.op(Payload::StepAdd {
                step: *step,
                project,
                title: format!("Stap {}", i + 1),
                description: String::new(),
                phase,
                owner: None,
                due: NaiveDate::from_ymd_opt(2025, 12, 10 + 10 * i as u32),
                order: i as i64,
                evidence: None,
            }));
        }
        let doors = [0, 1].map(|n| {
            let op = f.address("Lindelaan", n + 1);
            let Payload::AddressAdd { address, .. } = op.payload else {
                unreachable!()
            };
            ops.push(op);
            address
        });
        Team {
            f,
            ops,
            bram,
            project,
            steps,
            doors,
        }
    }

    impl Team {
        fn at(&mut self, ms: u64) -> &mut Self {
            self.f.advance_ms(ms - self.f.now_ms());
            self
        }

        fn visit(&mut self, door: usize, joins: bool, online: bool) -> &mut Self {
            let visit = self.f.id(VisitId::new_v7);
            let at_ms = self.f.now_ms();
            let op = self.f.op(Payload::VisitLog(VisitLog {
                visit,
                address: self.doors[door],
                at_ms,
                outcome: if joins {
                    Outcome::Joins
                } else {
                    Outcome::NotHome
                },
                interests: if joins {
                    BTreeMap::from([(self.project, Interest::Joins)])
                } else {
                    BTreeMap::new()
                },
                pledges: BTreeMap::new(),
                join_team: None,
                note: String::new(),
                follow_up: None,
                flyer: false,
                online,
            }));
            self.ops.push(op);
            self
        }

        fn push(&mut self, payload: Payload) -> &mut Self {
            let op = self.f.op(payload);
            self.ops.push(op);
            self
        }

        fn meeting(&mut self, date: NaiveDate) -> &mut Self {
            let meeting = self.f.id(MeetingId::new_v7);
            self.push(Payload::MeetingAdd {
                meeting,
                date,
                title: String::new(),
            })
        }
    }

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).expect("valid")
    }

    #[test]
    fn advice_shows_what_it_is_about_and_when_the_team_handled_it() {
        let mut t = team();
        let (first, second) = (t.f.id(AdviceId::new_v7), t.f.id(AdviceId::new_v7));
        let (project, step) = (t.project, t.steps[1]);
        t.at(day(3)).push(Payload::AdviceGive {
            advice: first,
            project: None,
            step: None,
            text: "Plan een bijeenkomst".into(),
            name: "Sanne".into(),
        });
        t.at(day(5)).push(Payload::AdviceGive {
            advice: second,
            project: Some(project),
            step: Some(step),
            text: "Vraag de huisarts".into(),
            name: "Sanne".into(),
        });
        t.at(day(6)).push(Payload::AdviceHandle {
            advice: first,
            done: true,
        });
        let s = summary(&t.ops, day(7));
        let seen: Vec<_> = s
            .advice
            .iter()
            .map(|a| (a.project.as_deref(), a.step.as_deref(), a.given, a.handled))
            .collect();
        assert_eq!(
            seen,
            [
                (
                    Some("AED Lindenbuurt"),
                    Some("Stap 2"),
                    date(2025, 12, 3),
                    None
                ),
                (None, None, date(2025, 12, 1), Some(date(2025, 12, 4))),
            ],
            "newest first, each with what it is about and when it was handled"
        );
        t.at(day(8)).push(Payload::AdviceHandle {
            advice: first,
            done: false,
        });
        assert_eq!(
            summary(&t.ops, day(8)).advice[1].handled,
            None,
            "opened again"
        );
    }

    #[test]
    fn a_team_at_work_shows_its_figures_and_no_signal() {
        let mut t = team();
        t.at(day(10)).visit(0, true, false);
        let step = t.steps[0];
        t.push(Payload::StepDone { step, done: true });
        t.meeting(date(2025, 12, 20)).meeting(date(2026, 1, 20));
        t.at(day(25)).visit(1, false, false);
        let s = summary(&t.ops, day(30));
        assert_eq!(s.name, "Buurtteam Lindenbuurt");
        assert_eq!(s.members, 2);
        assert_eq!(
            s.roles,
            BTreeMap::from([(Role::Expert, 1), (Role::Connector, 1), (Role::Driver, 2)])
        );
        let p = &s.projects[0];
        assert_eq!(p.title, "AED Lindenbuurt");
        assert_eq!(p.phase, Some(Phase::Activate));
        assert_eq!((p.steps_done, p.steps_total), (1, 2));
        // Today is 28 December: the second step was due on the 20th.
        assert_eq!(p.overdue, vec!["Stap 2".to_owned()]);
        assert_eq!(p.progress, Some((1, 10)));
        assert_eq!(s.last_meeting, Some(date(2025, 12, 20)));
        assert_eq!(s.next_meeting, Some(date(2026, 1, 20)));
        assert_eq!(s.last_activity, Some(date(2025, 12, 23)));
        assert_eq!(s.stuck, Vec::new());
    }

    #[test]
    fn a_team_that_stops_is_idle_after_three_weeks_and_meetingless_after_six() {
        let mut t = team();
        t.at(day(2)).visit(0, false, false);
        // A resident answering online is not the team at work.
        t.at(day(20)).visit(1, true, true);
        assert_eq!(summary(&t.ops, day(22)).stuck, Vec::new());
        assert_eq!(
            summary(&t.ops, day(23)).stuck,
            vec![Stuck::Idle { days: 21 }]
        );
        let late = summary(&t.ops, day(42));
        assert!(late.stuck.contains(&Stuck::NoMeeting { days: None }));
        t.meeting(date(2025, 12, 1));
        let no_meeting = |s: TeamSummary| {
            s.stuck
                .into_iter()
                .filter(|s| matches!(s, Stuck::NoMeeting { .. }))
                .collect::<Vec<_>>()
        };
        // Met on 1 December; 41 days later is 11 January.
        assert_eq!(no_meeting(summary(&t.ops, day(44))), Vec::new());
        assert_eq!(
            no_meeting(summary(&t.ops, day(45))),
            vec![Stuck::NoMeeting { days: Some(42) }]
        );
    }

    #[test]
    fn a_role_left_empty_signals_after_thirty_days() {
        let mut t = team();
        let bram = t.bram;
        t.at(day(5)).push(Payload::MemberRemove { member: bram });
        for d in (6..40).step_by(5) {
            t.at(day(d)).visit(0, false, false);
        }
        t.meeting(date(2025, 12, 30));
        let roles = |s: TeamSummary| {
            s.stuck
                .into_iter()
                .filter(|s| matches!(s, Stuck::RoleEmpty { .. }))
                .collect::<Vec<_>>()
        };
        assert_eq!(roles(summary(&t.ops, day(34))), Vec::new());
        assert_eq!(
            roles(summary(&t.ops, day(35))),
            vec![Stuck::RoleEmpty {
                role: Role::Expert,
                days: 30
            }]
        );
        assert_eq!(summary(&t.ops, day(35)).roles[&Role::Expert], 0);
    }

    #[test]
    fn a_target_without_progress_for_four_weeks_signals() {
        let mut t = team();
        t.meeting(date(2025, 12, 20));
        t.at(day(1)).visit(0, true, false);
        for d in (3..30).step_by(3) {
            t.at(day(d)).visit(1, false, false);
        }
        let project = t.project;
        // The household joined on day 1: four weeks later, and an hour more, it is the last.
        let hour = 3_600_000;
        assert_eq!(summary(&t.ops, day(29) - hour).stuck, Vec::new());
        let stuck = summary(&t.ops, day(29) + hour).stuck;
        assert_eq!(
            stuck,
            vec![Stuck::NoProgress {
                project,
                title: "AED Lindenbuurt".into(),
                weeks: 4
            }]
        );
        // A second household joining is progress again.
        t.at(day(30)).visit(1, true, false);
        assert_eq!(summary(&t.ops, day(31)).stuck, Vec::new());
    }

    #[test]
    fn weeks_start_on_monday_at_dutch_midnight() {
        let mut t = team();
        // Sunday 30 November 2025, 23:30 in Amsterdam (22:30 UTC), and half an hour past
        // midnight into Monday 1 December.
        let sunday = day(2) + 13 * 3_600_000 + 30 * 60_000;
        t.at(sunday).visit(0, false, false);
        t.at(sunday + 3_600_000).visit(1, false, false);
        let step = t.steps[0];
        t.at(sunday + 3_600_000 + 60_000)
            .push(Payload::StepDone { step, done: true });
        let s = summary(&t.ops, day(5));
        // The team started on Friday 28 November: two weeks so far.
        assert_eq!(s.weeks.len(), 2);
        let [before, this] = s.weeks.as_slice() else {
            unreachable!()
        };
        assert_eq!(before.start, date(2025, 11, 24));
        assert_eq!(this.start, date(2025, 12, 1));
        assert_eq!((before.visits, this.visits), (1, 1));
        assert_eq!((before.steps_done, this.steps_done), (0, 1));
    }

    #[test]
    fn the_order_the_log_arrives_in_changes_nothing() {
        let mut t = team();
        t.at(day(3)).visit(0, true, false);
        let bram = t.bram;
        t.at(day(9)).push(Payload::MemberRemove { member: bram });
        t.meeting(date(2025, 12, 5));
        let forward = summary(&t.ops, day(50));
        t.ops.reverse();
        assert_eq!(summary(&t.ops, day(50)), forward);
        assert!(!forward.stuck.is_empty());
    }

    #[test]
    fn an_empty_log_is_an_empty_team_with_no_signal() {
        let s = summary(&[], day(100));
        assert_eq!(s.members, 0);
        assert_eq!(s.stuck, Vec::new());
        assert_eq!(s.weeks, Vec::new());
    }

    #[test]
    fn the_weeks_go_back_twelve_weeks_at_most() {
        let mut t = team();
        t.at(day(120)).visit(0, false, false);
        let s = summary(&t.ops, day(121));
        assert_eq!(s.weeks.len(), WEEKS);
        assert_eq!(s.weeks.last().map(|w| w.visits), Some(1));
    }
}
