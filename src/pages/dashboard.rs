//! Voortgang: how far the team got. Households reached, each project's funnel against its
//! target, conversations per ambassador and per street, and the follow-ups due. Charts are
//! SVG drawn here, each with the same figures as text for screen readers.

use buurtbel_core::op::Area;
use buurtbel_core::views::{compare_text, counts_per_member, counts_per_street};
use leptos::prelude::*;

use crate::components::{EmptyState, PageHeader, member_name};
use crate::data::{Data, Views};
use crate::i18n::{I18n, Key, Locale, fill, text, words};
use crate::pages::plan::bar;
use crate::routing::{Page, Router};

/// One bar of a chart: its label, its value and what it is out of (the track).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Bar {
    label: String,
    value: u64,
    of: u64,
    /// The figure printed at the end of the bar: "12" or "12/40".
    figure: String,
}

const ROW: u64 = 46;
const WIDTH: u64 = 340;
const FIGURE: u64 = 64;
/// Characters of a label shown whole: it has the chart's width, on a line above its bar (long
/// street names, such as "Burgemeester de Vrieslaan 10", must stay apart).
const LABEL_CHARS: usize = 40;

/// A horizontal bar chart as SVG, scaled to the largest track. `summary` names it for screen
/// readers; the bars' labels and figures are in it as text too. (Integer coordinates:
/// formatting floats would add kilobytes to the wasm.)
#[inline(never)]
pub fn bar_chart(summary: String, bars: Vec<Bar>) -> AnyView {
    let max = bars
        .iter()
        .map(|b| b.of.max(b.value))
        .max()
        .unwrap_or(0)
        .max(1);
    let span = WIDTH - FIGURE;
    let height = (bars.len() as u64 * ROW).max(ROW);
    let said: Vec<String> = bars
        .iter()
        .map(|b| format!("{}: {}", b.label, b.figure))
        .collect();
    let label = format!("{summary}. {}", said.join("; "));
    view! {
        <svg
            class="chart"
            viewBox=format!("0 0 {WIDTH} {height}")
            role="img"
            aria-label=label
        >
            {bars
                .into_iter()
                .enumerate()
                .map(|(i, b)| {
                    let y = i as u64 * ROW;
                    let track = b.of * span / max;
                    let fill = b.value * span / max;
                    let mut name = b.label;
                    if name.chars().count() > LABEL_CHARS {
                        name = name.chars().take(LABEL_CHARS - 1).collect::<String>() + "…";
                    }
                    view! {
                        <g aria-hidden="true">
                            <text class="chart-label" x="0" y=(y + 16).to_string()>{name}</text>
                            <rect class="bar-track" x="0" y=(y + 22).to_string() width=track.to_string() height="16" rx="3"/>
                            <rect class="bar-fill" x="0" y=(y + 22).to_string() width=fill.to_string() height="16" rx="3"/>
                            <text class="chart-figure" x=(span + 6).to_string() y=(y + 35).to_string()>{b.figure}</text>
                        </g>
                    }
                })
                .collect_view()}
        </svg>
    }
    .into_any()
}

fn plain(label: String, value: u64) -> Bar {
    Bar {
        label,
        value,
        of: value,
        figure: value.to_string(),
    }
}

fn part(label: String, value: u64, of: u64) -> Bar {
    Bar {
        label,
        value,
        of,
        figure: format!("{value}/{of}"),
    }
}

fn percent(value: u64, of: u64) -> u64 {
    (value * 100).checked_div(of).unwrap_or(0)
}

#[component]
pub fn DashboardPage() -> impl IntoView {
    let i18n = I18n::current();
    let (Some(data), Some(views)) = (Data::current(), Views::current()) else {
        return view! { <PageHeader title=Key::NavDashboard intro=Key::DashboardIntro/> }
            .into_any();
    };
    let router = Router::current();
    let reached = move || {
        views.statuses.with(|s| {
            let total = s.by_address.len() as u64;
            let reached = s.by_address.values().filter(|a| a.reached).count() as u64;
            (reached, total)
        })
    };
    let funnels = move || {
        let locale = i18n.locale();
        let by_project = views.funnels.with(|f| f.by_project.clone());
        data.with_areas(&[Area::Plan], |state| {
            by_project
                .into_iter()
                .filter_map(|(id, f)| {
                    let title = state.projects.get(&id)?.title.value.clone();
                    let t = |key| text(locale, key).to_owned();
                    let bars = vec![
                        part(t(Key::FunnelReached), f.reached as u64, f.households as u64),
                        part(
                            t(Key::FunnelInterested),
                            f.interested as u64,
                            f.households as u64,
                        ),
                        part(t(Key::FunnelJoined), f.joined as u64, f.households as u64),
                        part(
                            t(Key::FunnelPledged),
                            f.pledged_households as u64,
                            f.households as u64,
                        ),
                    ];
                    let target = f.progress().zip(f.target).map(|((count, goal), target)| {
                        (
                            count,
                            u64::from(goal),
                            text(locale, words::unit(target.unit)),
                        )
                    });
                    Some((title, bars, target))
                })
                .collect::<Vec<_>>()
        })
    };
    let members = move || {
        let locale = i18n.locale();
        data.with_areas(&[Area::Team, Area::Visits], |state| {
            let mut rows: Vec<(String, u64, u64)> = counts_per_member(state)
                .into_iter()
                // Members who left keep their conversations (and their names).
                .filter(|(id, _)| state.members.contains_key(id))
                .map(|(id, c)| (member_name(state, id), c.visits as u64, c.reached as u64))
                .collect();
            buurtbel_core::sort::sort_by(&mut rows, |a, b| {
                b.1.cmp(&a.1).then_with(|| compare_text(&a.0, &b.0))
            });
            let total: u64 = rows.iter().map(|r| r.1).sum();
            let summary = fill(text(locale, Key::ChartPerMember), &[&total.to_string()]);
            (
                summary,
                rows.into_iter()
                    .map(|(name, visits, _)| plain(name, visits))
                    .collect::<Vec<_>>(),
            )
        })
    };
    let streets = move || {
        let locale = i18n.locale();
        data.with_areas(&[Area::Addresses, Area::Visits], |state| {
            let mut rows: Vec<_> = counts_per_street(state).into_values().collect();
            buurtbel_core::sort::sort_by(&mut rows, |a, b| compare_text(&a.name, &b.name));
            let summary = text(locale, Key::ChartPerStreet).to_owned();
            (
                summary,
                rows.into_iter()
                    .map(|s| part(s.name, s.reached as u64, s.households as u64))
                    .collect::<Vec<_>>(),
            )
        })
    };
    let follow = move || {
        views.follow_ups.with(|f| {
            (
                f.overdue.len(),
                f.today.len(),
                f.this_week.len(),
                f.later.len(),
            )
        })
    };
    view! {
        <PageHeader title=Key::NavDashboard intro=Key::DashboardIntro/>
        <Show
            when=move || { reached().1 > 0 }
            fallback=|| view! { <EmptyState text=Key::DashboardEmpty/> }
        >
            <section class="card stat">
                <h2>{i18n.t(Key::HouseholdsTitle)}</h2>
                <p class="big-figure">
                    {move || {
                        let (value, of) = reached();
                        fill(text(i18n.locale(), Key::ReachedOf), &[&value.to_string(), &of.to_string(), &percent(value, of).to_string()])
                    }}
                </p>
                {move || { let (value, of) = reached(); bar(value, of) }}
            </section>
            {move || {
                let locale = i18n.locale();
                funnels()
                    .into_iter()
                    .map(|(title, bars, target)| {
                        let summary = fill(text(locale, Key::ChartFunnel), &[&title]);
                        view! {
                            <section class="card funnel">
                                <h2>{title}</h2>
                                {target.map(|(count, goal, unit)| view! {
                                    <p class="target-line">
                                        {fill(text(locale, Key::TargetProgress), &[&count.to_string(), &goal.to_string(), unit])}
                                        {format!(" ({}%)", percent(count, goal))}
                                    </p>
                                    {bar(count, goal)}
                                })}
                                {bar_chart(summary, bars)}
                            </section>
                        }
                    })
                    .collect_view()
            }}
            <section class="card">
                <h2>{i18n.t(Key::PerMemberTitle)}</h2>
                {move || { let (summary, bars) = members(); bar_chart(summary, bars) }}
            </section>
            <section class="card">
                <h2>{i18n.t(Key::PerStreetTitle)}</h2>
                {move || { let (summary, bars) = streets(); bar_chart(summary, bars) }}
            </section>
            <section class="card">
                <h2>{i18n.t(Key::FollowUpsTitle)}</h2>
                <p>
                    {move || {
                        let (overdue, today, week, later) = follow();
                        follow_up_line(i18n.locale(), overdue, today, week, later)
                    }}
                </p>
                <a href="/opvolgen" on:click=move |ev| { ev.prevent_default(); router.navigate(Page::FollowUps); }>
                    {i18n.t(Key::ToFollowUps)}
                </a>
            </section>
        </Show>
    }
    .into_any()
}

fn follow_up_line(
    locale: Locale,
    overdue: usize,
    today: usize,
    week: usize,
    later: usize,
) -> String {
    fill(
        text(locale, Key::FollowUpsSummary),
        &[
            &overdue.to_string(),
            &today.to_string(),
            &week.to_string(),
            &later.to_string(),
        ],
    )
}
