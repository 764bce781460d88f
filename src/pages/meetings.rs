//! Meeting mode: one phone on the table or a laptop. Who is there, an agenda made of what is
//! open, what the doors brought since the last meeting, and the decisions and action items,
//! shared as text or printed on A4.

use buurtbel_core::domain::Owner;
use buurtbel_core::ids::{ActionItemId, DecisionId, MeetingId, MemberId, StepId};
use buurtbel_core::op::{Area, Payload};
use buurtbel_core::state::State;
use buurtbel_core::views::{self, Since, plan_steps};
use chrono::NaiveDate;
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::clock::local_midnight;
use crate::components::{
    EmptyState, FormError, PageHeader, Snackbar, TextField, Tips, address_label, iso_date,
    member_name, owner_label, owner_options, owner_value, parse_date, parse_owner, share_or_copy,
};
use crate::data::{Data, Views};
use crate::i18n::{I18n, Key, Locale, counted, date, fill, text, words};
use crate::pages::plan::{evidence_now, evidence_text, projects};
use crate::sync_loop::random_bytes;

/// The live meetings, latest first.
fn meetings(state: &State) -> Vec<(MeetingId, NaiveDate, String)> {
    let mut list: Vec<_> = state
        .meetings
        .iter()
        .filter(|(_, m)| m.life.is_live())
        .filter_map(|(id, m)| Some((*id, m.date.value?, m.title.value.clone())))
        .collect();
    buurtbel_core::sort::sort_by_key(&mut list, |m| std::cmp::Reverse((m.1, m.0)));
    list
}

/// A meeting's name: its title, or "Teamoverleg 2 dec".
fn meeting_name(locale: Locale, day: NaiveDate, title: &str) -> String {
    if title.trim().is_empty() {
        fill(
            text(locale, Key::MeetingDefaultTitle),
            &[&date(locale, day)],
        )
    } else {
        format!("{} · {}", title.trim(), date(locale, day))
    }
}

/// The window "since the last meeting" covers: from the day after the meeting before this one
/// (or the start) to the end of this meeting's day.
fn window(state: &State, meeting: MeetingId) -> Option<(u64, u64)> {
    let list = meetings(state);
    let at = list.iter().position(|(id, _, _)| *id == meeting)?;
    let day = list[at].1;
    let from = list[at + 1..]
        .iter()
        .find(|(_, d, _)| *d < day)
        .and_then(|(_, d, _)| d.succ_opt())
        .map_or(0, local_midnight);
    let to = day.succ_opt().map_or(u64::MAX, local_midnight);
    Some((from, to))
}

#[component]
pub fn MeetingsPage() -> impl IntoView {
    let Some(data) = Data::current() else {
        return view! { <PageHeader title=Key::NavMeetings intro=Key::MeetingsIntro/> }.into_any();
    };
    let i18n = I18n::current();
    let all = Memo::new(move |_| data.with_areas(&[Area::Meetings], meetings));
    let chosen = RwSignal::new(None::<MeetingId>);
    let meeting = Memo::new(move |_| {
        let all = all.get();
        chosen
            .get()
            .filter(|c| all.iter().any(|(id, _, _)| id == c))
            .or_else(|| all.first().map(|(id, _, _)| *id))
    });
    let errors = FormError::new();
    let new_date = RwSignal::new(iso_date(data.today()));
    let new_title = RwSignal::new(String::new());
    let starting = RwSignal::new(false);
    let start = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let locale = i18n.locale_untracked();
        let Some(day) = parse_date(new_date.get_untracked().trim()) else {
            return errors.at(
                "meeting-date",
                fill(
                    text(locale, Key::ErrFieldDate),
                    &[text(locale, Key::FieldDate)],
                ),
            );
        };
        let id = MeetingId::new_v7(data.now_ms(), random_bytes());
        let payload = Payload::MeetingAdd {
            meeting: id,
            date: day,
            title: new_title.get_untracked().trim().to_owned(),
        };
        let recorded = errors.record(data, vec![payload]);
        spawn_local(async move {
            if recorded.await {
                chosen.set(Some(id));
                starting.set(false);
                new_title.set(String::new());
            }
        });
    };
    view! {
        <PageHeader title=Key::NavMeetings intro=Key::MeetingsIntro/>
        <div class="plan-top no-print">
            <Show when=move || all.with(|a| a.len() > 1)>
                <label class="project-choice">
                    <span>{i18n.t(Key::MeetingLabel)}</span>
                    <select
                        id="meeting-choice"
                        on:change=move |ev| chosen.set(event_target_value(&ev).parse().ok())
                        prop:value=move || meeting.get().map(|m| m.to_string()).unwrap_or_default()
                    >
                        {move || {
                            let locale = i18n.locale();
                            all.get()
                                .into_iter()
                                .map(|(id, day, title)| view! { <option value=id.to_string()>{meeting_name(locale, day, &title)}</option> })
                                .collect_view()
                        }}
                    </select>
                </label>
            </Show>
            <button
                type="button"
                class="button secondary"
                aria-expanded=move || starting.get().to_string()
                on:click=move |_| starting.update(|s| *s = !*s)
            >
                {i18n.t(Key::NewMeeting)}
            </button>
        </div>
        <Show when=move || starting.get() || all.with(Vec::is_empty)>
            <form class="card no-print" on:submit=start novalidate>
                <h2>{i18n.t(Key::NewMeeting)}</h2>
                {TextField::new("meeting-date", Key::FieldDate).kind("date").errors(errors).bind(new_date)}
                {TextField::new("meeting-title", Key::FieldTitle).max("120").hint(Key::MeetingTitleHint).errors(errors).bind(new_title)}
                {errors.view()}
                <button type="submit" class="button">{i18n.t(Key::StartMeeting)}</button>
            </form>
        </Show>
        {move || match meeting.get() {
            Some(id) => view! { <Meeting meeting=id/> }.into_any(),
            None => view! { <EmptyState text=Key::MeetingsEmpty/> }.into_any(),
        }}
    }
    .into_any()
}

/// An open step on the agenda.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
struct AgendaStep {
    id: StepId,
    project: String,
    title: String,
    due: Option<NaiveDate>,
    overdue: bool,
    owner: String,
    evidence: Option<String>,
}

/// The agenda's steps: per project the open steps of the phase being worked on, and every
/// overdue step.
fn agenda_steps(
    state: &State,
    views: Option<Views>,
    locale: Locale,
    day: NaiveDate,
) -> Vec<AgendaStep> {
    let mut out = Vec::new();
    for (project, name) in projects(state) {
        let open: Vec<_> = plan_steps(state, project)
            .into_iter()
            .filter(|(_, s)| s.done.value.is_none() && !s.skipped.value)
            .collect();
        let current = open.iter().filter_map(|(_, s)| s.phase.value).min();
        for (id, s) in open {
            let overdue = s.due.value.is_some_and(|d| d < day);
            if s.phase.value != current && !overdue {
                continue;
            }
            out.push(AgendaStep {
                id,
                project: name.clone(),
                title: s.title.value.clone(),
                due: s.due.value,
                overdue,
                owner: owner_label(state, locale, s.owner.value),
                evidence: evidence_now(state, views, project, id)
                    .map(|e| evidence_text(locale, &e)),
            });
        }
    }
    out
}

/// One action item as listed.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
struct ActionRow {
    id: ActionItemId,
    text: String,
    owner: String,
    due: Option<NaiveDate>,
    done: bool,
    overdue: bool,
}

fn action_rows(
    state: &State,
    locale: Locale,
    today: NaiveDate,
    of: impl Fn(Option<MeetingId>, bool) -> bool,
) -> Vec<ActionRow> {
    let mut rows: Vec<ActionRow> = state
        .action_items
        .iter()
        .filter(|(_, a)| a.life.is_live() && of(a.meeting.value, a.done.value))
        .map(|(id, a)| ActionRow {
            id: *id,
            text: a.text.value.clone(),
            owner: owner_label(state, locale, a.owner.value),
            due: a.due.value,
            done: a.done.value,
            overdue: !a.done.value && a.due.value.is_some_and(|d| d < today),
        })
        .collect();
    buurtbel_core::sort::sort_by_key(&mut rows, |r| (r.due.is_none(), r.due, r.id));
    rows
}

/// What the meeting shows and shares, read at once.
#[derive(Clone, Debug, PartialEq, Eq)]
struct Minutes {
    name: String,
    present: Vec<String>,
    since: Vec<String>,
    steps: Vec<AgendaStep>,
    open_actions: Vec<ActionRow>,
    candidates: Vec<String>,
    /// Who walks which street sides, and the sides with doors left that nobody walks.
    streets: Vec<String>,
    /// Open questions from the doors: the question, then what it is about.
    questions: Vec<(String, String)>,
    decisions: Vec<(DecisionId, String)>,
    actions: Vec<ActionRow>,
}

fn since_lines(state: &State, locale: Locale, s: &Since) -> Vec<String> {
    let t = |key| text(locale, key);
    let mut lines = vec![
        counted(locale, Key::SinceVisitsOne, Key::SinceVisits, s.visits),
        fill(t(Key::SinceReached), &[&s.newly_reached.to_string()]),
    ];
    for (project, (_, now)) in &s.projects {
        let Some(p) = state.projects.get(project) else {
            continue;
        };
        let toward = match now.target {
            Some(target) => fill(
                t(Key::SinceToward),
                &[
                    &signed(s.toward_target(*project)),
                    t(words::unit(target.unit)),
                ],
            ),
            None => String::new(),
        };
        let mut line = fill(
            t(Key::SinceInterested),
            &[&p.title.value, &signed(s.interested(*project))],
        );
        if !toward.is_empty() {
            line.push_str(", ");
            line.push_str(&toward);
        }
        lines.push(line);
    }
    lines.push(counted(
        locale,
        Key::SinceCandidatesOne,
        Key::SinceCandidates,
        s.new_candidates,
    ));
    if s.online > 0 {
        lines.push(counted(
            locale,
            Key::SinceOnlineOne,
            Key::SinceOnline,
            s.online,
        ));
    }
    let steps: Vec<String> = s
        .steps_done
        .iter()
        .filter_map(|id| state.steps.get(id).map(|st| st.title.value.clone()))
        .collect();
    let done = counted(locale, Key::SinceStepsOne, Key::SinceSteps, steps.len());
    lines.push(if steps.is_empty() {
        done
    } else {
        format!("{done}: {}", steps.join(", "))
    });
    lines
}

/// "Anna: Lindelaan oneven, Eikenstraat even · nog 12 te gaan" per member who walks a side, in
/// walking order, then the same for the sides nobody walks that still have doors to visit.
fn street_lines(state: &State, locale: Locale) -> Vec<String> {
    let mut lines: Vec<(Option<MemberId>, Vec<String>, usize)> = Vec::new();
    for s in views::street_sides(state) {
        if s.walker.is_none() && s.left == 0 {
            continue;
        }
        let at = lines
            .iter()
            .position(|l| l.0 == s.walker)
            .unwrap_or_else(|| {
                lines.push((s.walker, Vec::new(), 0));
                lines.len() - 1
            });
        let side = text(locale, if s.odd { Key::SideOdd } else { Key::SideEven });
        lines[at].1.push(format!("{} {side}", s.name));
        lines[at].2 += s.left;
    }
    if let Some(at) = lines.iter().position(|l| l.0.is_none()) {
        let nobody = lines.remove(at);
        lines.push(nobody);
    }
    lines
        .into_iter()
        .map(|(walker, sides, left)| {
            let who = walker.map_or_else(
                || text(locale, Key::Nobody).to_owned(),
                |m| member_name(state, m),
            );
            fill(
                text(locale, Key::StreetsLine),
                &[&who, &sides.join(", "), &left.to_string()],
            )
        })
        .collect()
}

fn signed(n: i64) -> String {
    if n > 0 {
        format!("+{n}")
    } else {
        n.to_string()
    }
}

fn minutes(
    state: &State,
    views: Option<Views>,
    locale: Locale,
    meeting: MeetingId,
    today: NaiveDate,
) -> Option<Minutes> {
    let m = state.meetings.get(&meeting).filter(|m| m.life.is_live())?;
    let day = m.date.value?;
    let (from, to) = window(state, meeting)?;
    let since = views::since(state, from, to);
    let mut present: Vec<String> = views::attendees(state, meeting)
        .into_iter()
        .map(|id| member_name(state, id))
        .collect();
    buurtbel_core::sort::sort_by(&mut present, |a, b| views::compare_text(a, b));
    let mut decisions: Vec<(DecisionId, &buurtbel_core::state::Decision)> = state
        .decisions
        .iter()
        .filter(|(id, d)| d.meeting == meeting && state.decision_is_live(**id))
        .map(|(id, d)| (*id, &**d))
        .collect();
    buurtbel_core::sort::sort_by_key(&mut decisions, |(_, d)| d.stamp);
    // Candidates who came forward in the window, with the roles they offered.
    let candidates = views::team_recruits(state)
        .into_iter()
        .filter(|(address, _)| {
            state
                .visits_at(*address)
                .find(|(_, v)| v.join_team.is_some())
                .is_some_and(|(_, v)| from <= v.at_ms && v.at_ms < to)
        })
        .map(|(address, roles)| {
            let roles: Vec<&str> = roles
                .iter()
                .map(|r| text(locale, words::role(*r)))
                .collect();
            let roles = if roles.is_empty() {
                text(locale, Key::CandidateAnyRole).to_owned()
            } else {
                roles.join(", ")
            };
            format!("{} ({roles})", address_label(state, address))
        })
        .collect();
    Some(Minutes {
        name: meeting_name(locale, day, &m.title.value),
        present,
        since: since_lines(state, locale, &since),
        steps: agenda_steps(state, views, locale, day),
        open_actions: action_rows(state, locale, today, |of, done| {
            of != Some(meeting) && !done
        }),
        candidates,
        streets: street_lines(state, locale),
        questions: crate::pages::guide::open_question_rows(state, locale)
            .into_iter()
            .map(|q| {
                let about: Vec<String> = [
                    q.project.map(|(_, t)| t),
                    (!q.address.is_empty()).then_some(q.address),
                    Some(q.asked),
                ]
                .into_iter()
                .flatten()
                .collect();
                (q.text, about.join(" · "))
            })
            .collect(),
        decisions: decisions
            .into_iter()
            .map(|(id, d)| (id, d.text.clone()))
            .collect(),
        actions: action_rows(state, locale, today, |of, _| of == Some(meeting)),
    })
}

/// The minutes as plain text, for the share sheet or the clipboard.
fn minutes_text(locale: Locale, m: &Minutes) -> String {
    let t = |key| text(locale, key);
    let mut out = format!("{}\n\n", m.name);
    out.push_str(&format!(
        "{}: {}\n\n",
        t(Key::Present),
        m.present.join(", ")
    ));
    out.push_str(&format!("{}\n", t(Key::SinceTitle)));
    for line in &m.since {
        out.push_str(&format!("- {line}\n"));
    }
    out.push_str(&format!("\n{}\n", t(Key::DecisionsTitle)));
    for (_, d) in &m.decisions {
        out.push_str(&format!("- {d}\n"));
    }
    out.push_str(&format!("\n{}\n", t(Key::ActionsTitle)));
    for a in &m.actions {
        out.push_str(&format!("- {}", a.text));
        if !a.owner.is_empty() {
            out.push_str(&format!(" ({})", a.owner));
        }
        if let Some(d) = a.due {
            out.push_str(&format!(", {}", fill(t(Key::DueBy), &[&date(locale, d)])));
        }
        if a.done {
            out.push_str(&format!(" [{}]", t(Key::ActionDone)));
        }
        out.push('\n');
    }
    out
}

#[component]
fn Meeting(meeting: MeetingId) -> impl IntoView {
    let i18n = I18n::current();
    let data = Data::current().expect("the meetings page has data");
    let snackbar = Snackbar::current();
    let errors = FormError::new();
    let views = Views::current();
    let read = Memo::new(move |_| {
        let locale = i18n.locale();
        let today = data.today();
        data.with_state(|s| minutes(s, views, locale, meeting, today))
    });
    let record = move |payload: Payload| errors.record_soon(data, vec![payload]);
    let members = move || {
        data.with_areas(&[Area::Team, Area::Meetings], |s| {
            let present: Vec<_> = views::attendees(s, meeting);
            let mut list: Vec<_> = s
                .members
                .iter()
                .filter(|(_, m)| m.life.is_live())
                .map(|(id, m)| (*id, m.display_name.value.clone(), present.contains(id)))
                .collect();
            buurtbel_core::sort::sort_by(&mut list, |a, b| {
                views::compare_text(&a.1, &b.1).then(a.0.cmp(&b.0))
            });
            list
        })
    };
    let share = move |_| {
        let locale = i18n.locale_untracked();
        if let Some(m) = read.get_untracked() {
            share_or_copy(minutes_text(locale, &m), None, move || {
                snackbar.show(text(locale, Key::MinutesCopied).to_owned(), None)
            });
        }
    };
    let print = move |_| {
        let _ = leptos::prelude::window().print();
    };
    let section = |title: Key, class: &'static str, body: AnyView| {
        view! {
            <section class=format!("card meeting-part {class}")>
                <h3>{t_(title)}</h3>
                {body}
            </section>
        }
    };
    let decision = RwSignal::new(String::new());
    let add_decision = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let locale = i18n.locale_untracked();
        let words = decision.get_untracked().trim().to_owned();
        if words.is_empty() {
            return errors.at(
                "decision-text",
                fill(
                    text(locale, Key::ErrFieldEmpty),
                    &[text(locale, Key::FieldText)],
                ),
            );
        }
        decision.set(String::new());
        record(Payload::DecisionAdd {
            decision: DecisionId::new_v7(data.now_ms(), random_bytes()),
            meeting,
            text: words,
        });
    };
    view! {
        <div class="meeting">
            <div class="meeting-head">
                <h2>{move || read.with(|m| m.as_ref().map(|m| m.name.clone()))}</h2>
                <div class="actions no-print">
                    <button type="button" class="button secondary" on:click=share>{i18n.t(Key::ShareMinutes)}</button>
                    <button type="button" class="button secondary" on:click=print>{i18n.t(Key::PrintMinutes)}</button>
                </div>
            </div>
            {errors.view()}
            {section(Key::Present, "attendance", view! {
                <ul class="attendance-list">
                    {move || members().into_iter().map(|(id, name, here)| {
                        let input_id = format!("present-{id}");
                        view! {
                            <li data-present=here.to_string()>
                                <label class="check">
                                    <input
                                        type="checkbox"
                                        id=input_id
                                        prop:checked=here
                                        on:change=move |_| record(Payload::MeetingAttend { meeting, member: id, present: !here })
                                    />
                                    {name}
                                </label>
                            </li>
                        }
                    }).collect_view()}
                </ul>
            }.into_any())}
            {section(Key::SinceTitle, "since", view! {
                <ul class="since-list">
                    {move || read.with(|m| m.as_ref().map(|m| m.since.iter().map(|l| view! { <li>{l.clone()}</li> }).collect_view()))}
                </ul>
            }.into_any())}
            {section(Key::AgendaTitle, "agenda", view! {
                <Tips project=None nested=true/>
                <h4>{i18n.t(Key::AgendaSteps)}</h4>
                <ul class="agenda-steps">
                    {move || {
                        let steps = read.with(|m| m.as_ref().map(|m| m.steps.clone()).unwrap_or_default());
                        if steps.is_empty() {
                            return view! { <li class="muted">{text(i18n.locale(), Key::NothingOpen)}</li> }.into_any();
                        }
                        steps.into_iter().map(|s| {
                            let input_id = format!("agenda-{}", s.id);
                            let locale = i18n.locale();
                            let meta: Vec<String> = [
                                Some(s.project.clone()),
                                (!s.owner.is_empty()).then(|| s.owner.clone()),
                                s.due.map(|d| fill(text(locale, Key::DueBy), &[&date(locale, d)])),
                                s.evidence.clone(),
                            ].into_iter().flatten().collect();
                            view! {
                                <li data-overdue=s.overdue.to_string()>
                                    <label class="check">
                                        <input type="checkbox" id=input_id on:change=move |_| record(Payload::StepDone { step: s.id, done: true })/>
                                        <span>
                                            {s.title}
                                            {s.overdue.then(|| view! { " " <span class="tag late">{text(locale, Key::Overdue)}</span> })}
                                            <small>{meta.join(" · ")}</small>
                                        </span>
                                    </label>
                                </li>
                            }
                        }).collect_view().into_any()
                    }}
                </ul>
                <h4>{i18n.t(Key::AgendaActions)}</h4>
                <ul class="agenda-actions">
                    {move || {
                        let rows = read.with(|m| m.as_ref().map(|m| m.open_actions.clone()).unwrap_or_default());
                        if rows.is_empty() {
                            return view! { <li class="muted">{text(i18n.locale(), Key::NothingOpen)}</li> }.into_any();
                        }
                        rows.into_iter().map(|a| action_line(a, record, false)).collect_view().into_any()
                    }}
                </ul>
                <h4>{i18n.t(Key::AgendaQuestions)}</h4>
                <ul class="agenda-questions">
                    {move || {
                        let list = read.with(|m| m.as_ref().map(|m| m.questions.clone()).unwrap_or_default());
                        if list.is_empty() {
                            return view! { <li class="muted">{text(i18n.locale(), Key::NothingOpen)}</li> }.into_any();
                        }
                        list.into_iter().map(|(q, about)| view! { <li>{q}<small>{about}</small></li> }).collect_view().into_any()
                    }}
                </ul>
                <h4>{i18n.t(Key::AgendaCandidates)}</h4>
                <ul class="agenda-candidates">
                    {move || {
                        let list = read.with(|m| m.as_ref().map(|m| m.candidates.clone()).unwrap_or_default());
                        if list.is_empty() {
                            return view! { <li class="muted">{text(i18n.locale(), Key::NothingNew)}</li> }.into_any();
                        }
                        list.into_iter().map(|c| view! { <li>{c}</li> }).collect_view().into_any()
                    }}
                </ul>
                <h4>{i18n.t(Key::StreetsTitle)}</h4>
                <ul class="agenda-streets">
                    {move || read.with(|m| m.as_ref().map(|m| m.streets.clone()).unwrap_or_default()).into_iter().map(|l| view! { <li>{l}</li> }).collect_view()}
                </ul>
            }.into_any())}
            {section(Key::DecisionsTitle, "decisions", view! {
                <ul class="decision-list">
                    {move || read.with(|m| m.as_ref().map(|m| m.decisions.clone()).unwrap_or_default()).into_iter().map(|(id, words)| view! {
                        <li>
                            <span>{words}</span>
                            <button type="button" class="link-button no-print" on:click=move |_| record(Payload::DecisionRemove { decision: id })>
                                {i18n.t(Key::Remove)}
                            </button>
                        </li>
                    }).collect_view()}
                </ul>
                <form class="no-print inline-form" on:submit=add_decision novalidate>
                    {TextField::new("decision-text", Key::DecisionLabel).max("2000").errors(errors).bind(decision)}
                    <button type="submit" class="button">{i18n.t(Key::AddDecision)}</button>
                </form>
            }.into_any())}
            {section(Key::ActionsTitle, "action-items", view! {
                <ul class="action-list">
                    {move || read.with(|m| m.as_ref().map(|m| m.actions.clone()).unwrap_or_default()).into_iter().map(|a| action_line(a, record, true)).collect_view()}
                </ul>
                <AddAction meeting errors/>
            }.into_any())}
        </div>
    }
}

fn t_(key: Key) -> impl Fn() -> &'static str + Copy + Send + Sync + 'static {
    crate::i18n::t(key)
}

/// An action item with its done tick (and, for this meeting's own items, a remove button).
#[inline(never)]
fn action_line(
    a: ActionRow,
    record: impl Fn(Payload) + Copy + 'static,
    removable: bool,
) -> AnyView {
    let i18n = I18n::current();
    let locale = i18n.locale_untracked();
    let input_id = format!("action-{}", a.id);
    let id = a.id;
    let done = a.done;
    let meta: Vec<String> = [
        (!a.owner.is_empty()).then(|| a.owner.clone()),
        a.due
            .map(|d| fill(text(locale, Key::DueBy), &[&date(locale, d)])),
    ]
    .into_iter()
    .flatten()
    .collect();
    let done_update = move || Payload::ActionItemUpdate {
        item: id,
        text: None,
        owner: None,
        due: None,
        done: Some(!done),
    };
    view! {
        <li data-done=done.to_string() data-overdue=a.overdue.to_string()>
            <label class="check">
                <input type="checkbox" id=input_id prop:checked=done on:change=move |_| record(done_update())/>
                <span>
                    {a.text}
                    {a.overdue.then(|| view! { " " <span class="tag late">{text(locale, Key::Overdue)}</span> })}
                    <small>{meta.join(" · ")}</small>
                </span>
            </label>
            {removable.then(|| view! {
                <button type="button" class="link-button no-print" on:click=move |_| record(Payload::ActionItemRemove { item: id })>
                    {i18n.t(Key::Remove)}
                </button>
            })}
        </li>
    }
    .into_any()
}

/// Recording an action item: what, who and by when.
#[component]
fn AddAction(meeting: MeetingId, errors: FormError) -> impl IntoView {
    let i18n = I18n::current();
    let data = Data::current().expect("the meetings page has data");
    let words_ = RwSignal::new(String::new());
    let me = data
        .session
        .with_untracked(|s| s.as_ref().map(|s| Owner::Member(s.member.id)));
    let owner = RwSignal::new(owner_value(me));
    let due = RwSignal::new(String::new());
    let add = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let locale = i18n.locale_untracked();
        let what = words_.get_untracked().trim().to_owned();
        if what.is_empty() {
            return errors.at(
                "action-text",
                fill(
                    text(locale, Key::ErrFieldEmpty),
                    &[text(locale, Key::FieldText)],
                ),
            );
        }
        let Some(who) = parse_owner(&owner.get_untracked()) else {
            return errors.at(
                "action-owner",
                fill(
                    text(locale, Key::ErrFieldEmpty),
                    &[text(locale, Key::OwnerLabel)],
                ),
            );
        };
        let due_text = due.get_untracked();
        let by = parse_date(due_text.trim());
        if by.is_none() && !due_text.trim().is_empty() {
            return errors.at(
                "action-due",
                fill(
                    text(locale, Key::ErrFieldDate),
                    &[text(locale, Key::DueLabel)],
                ),
            );
        }
        let payload = Payload::ActionItemAdd {
            item: ActionItemId::new_v7(data.now_ms(), random_bytes()),
            meeting,
            text: what,
            owner: who,
            due: by,
        };
        let recorded = errors.record(data, vec![payload]);
        spawn_local(async move {
            if recorded.await {
                words_.set(String::new());
                due.set(String::new());
            }
        });
    };
    view! {
        <form class="no-print add-action" on:submit=add novalidate>
            {TextField::new("action-text", Key::ActionLabel).max("2000").errors(errors).bind(words_)}
            <div class="field">
                <label for="action-owner">{i18n.t(Key::OwnerLabel)}</label>
                <select
                    id="action-owner"
                    aria-describedby="action-owner-error"
                    on:change=move |ev| owner.set(event_target_value(&ev))
                >
                    {move || {
                        let locale = i18n.locale();
                        let current = owner.get_untracked();
                        data.with_areas(&[Area::Team], |s| owner_options(s, locale))
                            .into_iter()
                            .filter(|(value, _)| !value.is_empty())
                            .map(|(value, label)| {
                                let selected = value == current;
                                view! { <option value=value selected=selected>{label}</option> }
                            })
                            .collect_view()
                    }}
                </select>
                {errors.under("action-owner".to_owned())}
            </div>
            {TextField::new("action-due", Key::DueLabel).kind("date").errors(errors).bind(due)}
            <button type="submit" class="button">{i18n.t(Key::AddAction)}</button>
        </form>
    }
}
