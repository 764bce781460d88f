//! The step plan: projects started from a theme's template, each plan a checklist grouped by
//! the phases of the growth cycle, and steps that count doorstep evidence.

use buurtbel_core::domain::{Measure, Owner, Phase, Target, Theme, Unit};
use buurtbel_core::ids::{ProjectId, StepId};
use buurtbel_core::op::{Area, Payload};
use buurtbel_core::state::State;
use buurtbel_core::templates::{self, Lang};
use buurtbel_core::views::{self, EvidenceProgress, plan_steps, reorder, role_coverage};
use chrono::NaiveDate;
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::components::{
    EmptyState, FormError, PageHeader, Snackbar, TextField, Tips, iso_date, member_name,
    owner_label, owner_options, owner_value, parse_date, parse_owner, qr_code,
};
use crate::data::{Data, Views, error_text};
use crate::i18n::{I18n, Key, Locale, date, day, fill, text, words};
use crate::pages::setup::setup_error_text;
use crate::prefs;
use crate::routing::{Page, Router};
use crate::sync_loop::random_bytes;

/// The live projects, oldest first (ids are time-ordered).
pub fn projects(state: &State) -> Vec<(ProjectId, String)> {
    state
        .projects
        .iter()
        .filter(|(_, p)| p.life.is_live())
        .map(|(id, p)| (*id, p.title.value.clone()))
        .collect()
}

/// A step's doorstep evidence now, from the shared funnels where they hold the measure.
pub fn evidence_now(
    state: &State,
    views: Option<Views>,
    project: ProjectId,
    step: StepId,
) -> Option<EvidenceProgress> {
    let evidence = state.steps.get(&step)?.evidence.value?;
    let from_funnels = views.and_then(|v| {
        v.funnels
            .with(|f| f.by_project.get(&project)?.measure(evidence.measure))
    });
    Some(match from_funnels {
        Some(count) => EvidenceProgress {
            measure: evidence.measure,
            count,
            target: evidence.target,
        },
        None => views::evidence_count(state, project, evidence),
    })
}

/// "23 van 60 huishoudens met een toezegging".
pub fn evidence_text(locale: Locale, e: &EvidenceProgress) -> String {
    words::evidence(locale, e.measure, e.count, e.target)
}

/// A blank step update, to set one or two fields of.
pub fn step_update(step: StepId) -> Payload {
    Payload::StepUpdate {
        step,
        title: None,
        description: None,
        phase: None,
        owner: None,
        due: None,
        order: None,
        note: None,
        skipped: None,
        evidence: None,
    }
}

/// What a step's line shows; a change to any of it redraws that line only.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
struct StepRow {
    id: StepId,
    phase: Phase,
    title: String,
    description: String,
    owner: Option<Owner>,
    owner_name: String,
    due: Option<NaiveDate>,
    note: String,
    skipped: bool,
    /// Who ticked it and when.
    done: Option<(String, u64)>,
    evidence: Option<(Measure, u64, u32)>,
}

#[component]
pub fn PlanPage() -> impl IntoView {
    let Some(data) = Data::current() else {
        return view! { <PageHeader title=Key::PlanTitle intro=Key::PlanIntro/> }.into_any();
    };
    let i18n = I18n::current();
    let all = Memo::new(move |_| data.with_areas(&[Area::Plan], projects));
    let chosen = RwSignal::new(None::<ProjectId>);
    let adding = RwSignal::new(false);
    let project = Memo::new(move |_| {
        let all = all.get();
        chosen
            .get()
            .filter(|c| all.iter().any(|(id, _)| id == c))
            .or_else(|| all.first().map(|(id, _)| *id))
    });
    view! {
        <PageHeader title=Key::PlanTitle intro=Key::PlanIntro/>
        <div class="plan-top">
            <Show when=move || { all.with(|a| a.len() > 1) }>
                <label class="project-choice">
                    <span>{i18n.t(Key::ProjectLabel)}</span>
                    <select
                        id="project-choice"
                        on:change=move |ev| chosen.set(event_target_value(&ev).parse().ok())
                        prop:value=move || project.get().map(|p| p.to_string()).unwrap_or_default()
                    >
                        {move || {
                            all.get()
                                .into_iter()
                                .map(|(id, title)| view! { <option value=id.to_string()>{title}</option> })
                                .collect_view()
                        }}
                    </select>
                </label>
            </Show>
            <button
                type="button"
                class="button secondary"
                aria-expanded=move || adding.get().to_string()
                on:click=move |_| adding.update(|a| *a = !*a)
            >
                {i18n.t(Key::NewProject)}
            </button>
        </div>
        <Show when=move || adding.get()>
            <NewProject on_done=Callback::new(move |id: Option<ProjectId>| {
                adding.set(false);
                if id.is_some() {
                    chosen.set(id);
                }
            })/>
        </Show>
        {move || match project.get() {
            Some(id) => view! { <ProjectPlan project=id/> }.into_any(),
            None => view! { <EmptyState text=Key::PlanEmpty/> }.into_any(),
        }}
    }
    .into_any()
}

/// Starting a project from a theme's template.
#[component]
fn NewProject(on_done: Callback<Option<ProjectId>>) -> impl IntoView {
    let i18n = I18n::current();
    let data = Data::current().expect("the plan page has data");
    let errors = FormError::new();
    let theme = RwSignal::new(Theme::Aed);
    let title = RwSignal::new(text(i18n.locale_untracked(), words::theme(Theme::Aed)).to_owned());
    let suggested = templates::suggested_target(Theme::Aed);
    let count = RwSignal::new(suggested.map(|t| t.count.to_string()).unwrap_or_default());
    let unit = RwSignal::new(suggested.map_or(Unit::Households, |t| t.unit));
    // The organisation's plans, when the server can be asked (it gives each as the
    // project_add that starts one: the plan's id, theme, name and target), and the one chosen.
    let org = RwSignal::new(Vec::<(ProjectId, Theme, String, Option<Target>)>::new());
    let chosen = RwSignal::new(None::<ProjectId>);
    if let Ok(client) = data.client() {
        spawn_local(async move {
            if let Ok((list, _)) = client.payloads("/api/v1/plans").await {
                org.set(
                    list.into_iter()
                        .filter_map(|p| match p {
                            Payload::ProjectAdd {
                                project,
                                theme,
                                title,
                                target,
                            } => Some((project, theme, title, target)),
                            _ => None,
                        })
                        .collect(),
                );
            }
        });
    }
    let choose = move |t: Theme, name: Option<String>, target: Option<Target>| {
        let locale = i18n.locale_untracked();
        // A title still a theme's or a plan's name follows the choice; a typed one stays.
        if title.with_untracked(|v| {
            v.trim().is_empty()
                || Theme::ALL
                    .iter()
                    .any(|x| text(locale, words::theme(*x)) == v)
                || org.with_untracked(|o| o.iter().any(|p| p.2 == *v))
        }) {
            title.set(name.unwrap_or_else(|| text(locale, words::theme(t)).to_owned()));
        }
        count.set(target.map(|t| t.count.to_string()).unwrap_or_default());
        if let Some(s) = target {
            unit.set(s.unit);
        }
        theme.set(t);
    };
    let pick = move |t: Theme| {
        chosen.set(None);
        choose(t, None, templates::suggested_target(t));
    };
    let busy = RwSignal::new(false);
    let start = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let locale = i18n.locale_untracked();
        let field = |key| text(locale, key);
        let name = title.get_untracked().trim().to_owned();
        if name.is_empty() {
            return errors.at(
                "project-title",
                fill(field(Key::ErrFieldEmpty), &[field(Key::FieldTitle)]),
            );
        }
        let count_text = count.get_untracked().trim().to_owned();
        let target = if count_text.is_empty() {
            None
        } else {
            match count_text.parse::<u32>() {
                Ok(n) if n > 0 => Some(Target {
                    count: n,
                    unit: unit.get_untracked(),
                }),
                _ => {
                    return errors.at(
                        "project-target",
                        fill(
                            field(Key::ErrFieldRange),
                            &[field(Key::FieldTarget), "1", "4294967295"],
                        ),
                    );
                }
            }
        };
        let now = data.now_ms();
        let id = ProjectId::new_v7(now, random_bytes());
        let lang = match locale {
            Locale::Nl => Lang::Nl,
            Locale::En => Lang::En,
        };
        let theme = theme.get_untracked();
        let mut payloads = vec![Payload::ProjectAdd {
            project: id,
            theme,
            title: name,
            target,
        }];
        let plan = chosen.get_untracked();
        if plan.is_none() {
            payloads.extend(templates::plan_payloads(theme, id, lang, || {
                StepId::new_v7(now, random_bytes())
            }));
            payloads.extend(buurtbel_core::guides::guide_payloads(
                theme,
                id,
                lang,
                || buurtbel_core::ids::GuideItemId::new_v7(now, random_bytes()),
            ));
        }
        busy.set(true);
        spawn_local(async move {
            // The organisation's plan comes from the server, made for this project.
            if let Some(plan) = plan {
                let fetched = match data.client() {
                    Ok(client) => client
                        .payloads(&format!("/api/v1/plans/{plan}/start?project={id}"))
                        .await
                        .map(|(steps, _)| steps),
                    Err(e) => Err(e),
                };
                match fetched {
                    Ok(steps) => payloads.extend(steps),
                    Err(e) => {
                        errors.at("", setup_error_text(locale, &e));
                        busy.set(false);
                        return;
                    }
                }
            }
            match data.record_many(payloads).await {
                Ok(()) => on_done.run(Some(id)),
                Err(e) => errors.at("", error_text(locale, &e)),
            }
            busy.set(false);
        });
    };
    view! {
        <form class="card new-project" on:submit=start novalidate>
            <h2>{i18n.t(Key::NewProject)}</h2>
            <fieldset class="choices">
                <legend>{i18n.t(Key::ThemeLabel)}</legend>
                {Theme::ALL
                    .into_iter()
                    .map(|t| {
                        view! {
                            <label class="chip-choice">
                                <input
                                    type="radio"
                                    name="theme"
                                    prop:checked=move || theme.get() == t && chosen.with(Option::is_none)
                                    on:change=move |_| pick(t)
                                />
                                {i18n.t(words::theme(t))}
                            </label>
                        }
                    })
                    .collect_view()}
            </fieldset>
            {move || (!org.with(Vec::is_empty)).then(|| view! {
                <fieldset class="choices">
                    <legend>{i18n.t(Key::OrgPlans)}</legend>
                    {org.get().into_iter().map(|(plan, t, name, target)| {
                        view! {
                            <label class="chip-choice">
                                <input
                                    type="radio"
                                    name="theme"
                                    prop:checked=move || chosen.get() == Some(plan)
                                    on:change={
                                        let name = name.clone();
                                        move |_| {
                                            chosen.set(Some(plan));
                                            choose(t, Some(name.clone()), target);
                                        }
                                    }
                                />
                                {name}
                            </label>
                        }
                    }).collect_view()}
                </fieldset>
            })}
            {TextField::new("project-title", Key::FieldTitle).max("120").errors(errors).bind(title)}
            <div class="field target-field">
                <label for="project-target">{i18n.t(Key::FieldTarget)}</label>
                <div class="inline">
                    <input
                        id="project-target"
                        type="text"
                        inputmode="numeric"
                        maxlength="9"
                        aria-invalid=move || errors.about("project-target").is_some().then_some("true")
                        aria-describedby="project-target-error"
                        prop:value=move || count.get()
                        on:input=move |ev| count.set(event_target_value(&ev))
                    />
                    <select
                        aria-label=i18n.t(Key::TargetUnit)
                        prop:value=move || unit_code(unit.get())
                        on:change=move |ev| {
                            let v = event_target_value(&ev);
                            if let Some(u) = Unit::ALL.into_iter().find(|u| unit_code(*u) == v) {
                                unit.set(u);
                            }
                        }
                    >
                        {Unit::ALL
                            .into_iter()
                            .map(|u| view! { <option value=unit_code(u)>{i18n.t(words::unit(u))}</option> })
                            .collect_view()}
                    </select>
                </div>
                {errors.under("project-target".to_owned())}
            </div>
            {errors.view()}
            <div class="actions">
                <button type="submit" class="button" disabled=move || busy.get()>{i18n.t(Key::StartProject)}</button>
                <button type="button" class="button secondary" on:click=move |_| on_done.run(None)>
                    {i18n.t(Key::Cancel)}
                </button>
            </div>
        </form>
    }
}

/// A newer version of the organisation's plan this project started from, when the server
/// offers one: taking it records what it brings; "not now" hides this offer on this phone
/// until it changes (a later version).
#[component]
fn PlanUpdate(project: ProjectId) -> impl IntoView {
    let i18n = I18n::current();
    let data = Data::current().expect("the plan page has data");
    let snackbar = Snackbar::current();
    let offer = RwSignal::new(None::<(Vec<Payload>, u32)>);
    if let Ok(client) = data.client() {
        spawn_local(async move {
            let offered = format!("/api/v1/plans/offer?project={project}");
            if let Ok((payloads, print)) = client.payloads(&offered).await
                && !payloads.is_empty()
                && prefs::plan_offer_declined(&project) != Some(print)
            {
                offer.set(Some((payloads, print)));
            }
        });
    }
    let take = move |_| {
        let mut taken = None;
        offer.update(|o| taken = o.take());
        let Some((payloads, _)) = taken else {
            return;
        };
        spawn_local(async move {
            let locale = i18n.locale_untracked();
            let said = match data.record_many(payloads).await {
                Ok(()) => text(locale, Key::PlanOfferTaken).to_owned(),
                Err(e) => error_text(locale, &e),
            };
            snackbar.show(said, None);
        });
    };
    let later = move |_| {
        if let Some(print) = offer.with_untracked(|o| o.as_ref().map(|(_, print)| *print)) {
            prefs::decline_plan_offer(&project, print);
        }
        offer.set(None);
    };
    move || {
        offer.with(|o| {
            let payloads = &o.as_ref()?.0;
            let added = payloads
                .iter()
                .filter(|p| matches!(p, Payload::StepAdd { .. } | Payload::GuideItemAdd { .. }))
                .count();
            let changed = payloads.len() - added;
            let locale = i18n.locale();
            Some(view! {
                <section class="card plan-offer">
                    <p>{fill(text(locale, Key::PlanOffer), &[&added.to_string(), &changed.to_string()])}</p>
                    <div class="actions">
                        <button type="button" class="button" on:click=take>{text(locale, Key::PlanOfferTake)}</button>
                        <button type="button" class="button secondary" on:click=later>{text(locale, Key::PlanOfferLater)}</button>
                    </div>
                </section>
            })
        })
    }
}

fn unit_code(unit: Unit) -> &'static str {
    match unit {
        Unit::Households => "households",
        Unit::Euros => "euros",
        Unit::Panels => "panels",
        Unit::SquareMetres => "m2",
        Unit::Participants => "participants",
    }
}

/// One project: readiness, progress toward its target, and its plan by phase.
#[component]
fn ProjectPlan(project: ProjectId) -> impl IntoView {
    let i18n = I18n::current();
    let data = Data::current().expect("the plan page has data");
    let views = Views::current();
    let router = Router::current();
    let errors = FormError::new();
    let rows = Memo::new(move |_| {
        // Evidence counts follow the doors: visits change them.
        data.with_state(|state| {
            plan_steps(state, project)
                .into_iter()
                .filter_map(|(id, s)| {
                    Some(StepRow {
                        id,
                        phase: s.phase.value?,
                        title: s.title.value.clone(),
                        description: s.description.value.clone(),
                        owner: s.owner.value,
                        owner_name: String::new(),
                        due: s.due.value,
                        note: s.note.value.clone(),
                        skipped: s.skipped.value,
                        done: s.done.value.map(|d| (member_name(state, d.by), d.at_ms)),
                        evidence: evidence_now(state, views, project, id)
                            .map(|e| (e.measure, e.count, e.target)),
                    })
                })
                .collect::<Vec<_>>()
        })
    });
    let header = move || {
        let locale = i18n.locale();
        data.with_state(|state| {
            let p = state.projects.get(&project)?;
            let funnel = views
                .and_then(|v| v.funnels.with(|f| f.by_project.get(&project).copied()))
                .unwrap_or_else(|| views::funnel(state, project));
            let coverage = role_coverage(state);
            let ready = if coverage.ready() {
                text(locale, Key::ProjectReady).to_owned()
            } else {
                let missing: Vec<String> = coverage
                    .missing
                    .iter()
                    .map(|r| text(locale, words::role(*r)).to_lowercase())
                    .collect();
                fill(text(locale, Key::ProjectNotReady), &[&missing.join(", ")])
            };
            Some((
                p.title.value.clone(),
                funnel.progress(),
                p.target.value,
                coverage.ready(),
                ready,
            ))
        })
    };
    let remove_asked = RwSignal::new(false);
    view! {
        {move || {
            let (title, progress, target, ready, says) = header()?;
            let locale = i18n.locale();
            Some(view! {
                <section class="project-head">
                    <h2>{title}</h2>
                    <p class="readiness-line" data-ready=ready.to_string()>
                        {says}
                        {(!ready).then(|| view! {
                            " "
                            <a href="/team" on:click=move |ev| { ev.prevent_default(); router.navigate(Page::Team); }>
                                {text(locale, Key::ToTeam)}
                            </a>
                        })}
                    </p>
                    {progress.zip(target).map(|((count, goal), target)| {
                        view! {
                            <p class="target-line">
                                {fill(text(locale, Key::TargetProgress), &[&count.to_string(), &goal.to_string(), text(locale, words::unit(target.unit))])}
                            </p>
                            {bar(count, u64::from(goal))}
                        }
                    })}
                </section>
            })
        }}
        <Tips project=Some(project) nested=false/>
        <PlanUpdate project/>
        <ResidentPage project/>
        {Phase::ALL
            .into_iter()
            .map(|phase| view! { <PhaseSection project phase rows errors/> })
            .collect_view()}
        {errors.view()}
        <AddStep project errors/>
        <div class="danger-zone">
            <Show
                when=move || remove_asked.get()
                fallback=move || view! {
                    <button type="button" class="link-button" on:click=move |_| remove_asked.set(true)>
                        {i18n.t(Key::RemoveProject)}
                    </button>
                }
            >
                <p role="alert">{i18n.t(Key::RemoveProjectConfirm)}</p>
                <div class="actions">
                    <button type="button" class="button danger" on:click=move |_| {
                        remove_asked.set(false);
                        errors.record_soon(data, vec![Payload::ProjectRemove { project }]);
                    }>{i18n.t(Key::ConfirmYes)}</button>
                    <button type="button" class="button secondary" on:click=move |_| remove_asked.set(false)>
                        {i18n.t(Key::Cancel)}
                    </button>
                </div>
            </Show>
        </div>
    }
}

/// The project's resident page: its link and QR code while it is open; admins open and close
/// it.
#[component]
fn ResidentPage(project: ProjectId) -> impl IntoView {
    let i18n = I18n::current();
    let data = Data::current().expect("the plan page has data");
    let errors = FormError::new();
    let open = move || {
        data.with_areas(&[Area::Plan], |s| {
            s.projects.get(&project).is_some_and(|p| p.page_open.value)
        })
    };
    let admin = move || {
        data.session
            .with(|s| s.as_ref().is_some_and(|s| s.device.admin))
    };
    view! {
        <section class="card resident-page">
            <h3>{i18n.t(Key::PageTitle)}</h3>
            <p class="muted">{i18n.t(Key::PageIntro)}</p>
            <Show when=open fallback=move || view! { <p>{i18n.t(Key::PageClosed)}</p> }>
                {move || {
                    let link = crate::routing::resident_link(project);
                    view! {
                        <p class="invite-link"><a href=link.clone() target="_blank" rel="noopener">{link.clone()}</a></p>
                        {qr_code(&link, text(i18n.locale(), Key::PageQr).to_owned())}
                    }
                }}
            </Show>
            <Show when=admin>
                <button type="button" class="button secondary" on:click=move |_| {
                    errors.record_soon(data, vec![Payload::ProjectPage { project, open: !open() }]);
                }>
                    {move || text(i18n.locale(), if open() { Key::PageClose } else { Key::PageOpen })}
                </button>
            </Show>
            {errors.view()}
        </section>
    }
}

/// A progress bar drawn as SVG; the text next to it says the same for screen readers.
#[inline(never)]
pub fn bar(value: u64, of: u64) -> AnyView {
    // Integer arithmetic: formatting floats would add kilobytes to the wasm.
    let width = (value.min(of) * 1000).checked_div(of).unwrap_or(0);
    view! {
        <svg class="bar" viewBox="0 0 1000 6" preserveAspectRatio="none" aria-hidden="true" focusable="false">
            <rect class="bar-track" width="1000" height="6" rx="3"/>
            <rect class="bar-fill" width=width.to_string() height="6" rx="3"/>
        </svg>
    }
    .into_any()
}

/// The steps of one phase, with its progress.
#[component]
fn PhaseSection(
    project: ProjectId,
    phase: Phase,
    rows: Memo<Vec<StepRow>>,
    errors: FormError,
) -> impl IntoView {
    let i18n = I18n::current();
    let in_phase = move || {
        rows.with(|r| {
            r.iter()
                .filter(|s| s.phase == phase)
                .cloned()
                .collect::<Vec<_>>()
        })
    };
    let count = move || {
        rows.with(|r| {
            let counted = r.iter().filter(|s| s.phase == phase && !s.skipped);
            let total = counted.clone().count();
            let done = counted.filter(|s| s.done.is_some()).count();
            (done, total)
        })
    };
    let dragging = use_context::<RwSignal<Option<StepId>>>().unwrap_or_else(|| {
        let signal = RwSignal::new(None);
        provide_context(signal);
        signal
    });
    let heading_id = format!("phase-{}", phase_code(phase));
    view! {
        <Show when=move || rows.with(|r| r.iter().any(|s| s.phase == phase))>
            <section class="phase" aria-labelledby=heading_id.clone()>
                <div class="phase-head">
                    <h3 id=heading_id.clone()>{i18n.t(words::phase(phase))}</h3>
                    <span class="phase-count">
                        {move || {
                            let (done, total) = count();
                            fill(text(i18n.locale(), Key::PhaseCount), &[&done.to_string(), &total.to_string()])
                        }}
                    </span>
                </div>
                {move || { let (done, total) = count(); bar(done as u64, total as u64) }}
                <ol class="steps">
                    <For each=in_phase key=|row| row.clone() let:row>
                        <StepItem project row errors dragging/>
                    </For>
                </ol>
            </section>
        </Show>
    }
}

fn phase_code(phase: Phase) -> &'static str {
    match phase {
        Phase::Initiate => "initiate",
        Phase::Activate => "activate",
        Phase::Structure => "structure",
        Phase::Grow => "grow",
        Phase::Consolidate => "consolidate",
    }
}

/// Moves `step` to position `to` among the steps of `phase` (it may come from another phase):
/// one change where there is room between its new neighbours, else the phase is renumbered.
fn move_step(
    data: Data,
    errors: FormError,
    project: ProjectId,
    step: StepId,
    phase: Phase,
    to: usize,
) {
    let (list, from_phase) = data.with_state(|state| {
        let list: Vec<(StepId, i64)> = plan_steps(state, project)
            .into_iter()
            .filter(|(id, s)| s.phase.value == Some(phase) || *id == step)
            .map(|(id, s)| (id, s.order.value))
            .collect();
        let from_phase = state.steps.get(&step).and_then(|s| s.phase.value);
        (list, from_phase)
    });
    let Some(from) = list.iter().position(|(id, _)| *id == step) else {
        return;
    };
    let to = to.min(list.len().saturating_sub(1));
    let new_phase = (from_phase != Some(phase)).then_some(phase);
    if from == to && new_phase.is_none() {
        return;
    }
    let orders: Vec<i64> = list.iter().map(|(_, o)| *o).collect();
    let set = |id: StepId, to_order: i64, with_phase: Option<Phase>| {
        let mut p = step_update(id);
        if let Payload::StepUpdate { order, phase, .. } = &mut p {
            *order = Some(to_order);
            *phase = with_phase;
        }
        p
    };
    let mut payloads: Vec<Payload> = reorder(&orders, from, to)
        .into_iter()
        .map(|(i, order)| {
            let id = list[i].0;
            set(id, order, new_phase.filter(|_| id == step))
        })
        .collect();
    if payloads.is_empty() {
        // Only the phase changes.
        payloads.push(set(step, orders[from], new_phase));
    }
    errors.record_soon(data, payloads);
}

/// One step: its tick, what it needs, and (opened) its details to change.
#[component]
fn StepItem(
    project: ProjectId,
    row: StepRow,
    errors: FormError,
    dragging: RwSignal<Option<StepId>>,
) -> impl IntoView {
    let i18n = I18n::current();
    let data = Data::current().expect("the plan page has data");
    let open = use_context::<OpenStep>().unwrap_or_else(|| {
        let o = OpenStep(RwSignal::new(None));
        provide_context(o);
        o
    });
    let confirming = RwSignal::new(false);
    let id = row.id;
    let phase = row.phase;
    let done = row.done.is_some();
    let unmet = row
        .evidence
        .filter(|(_, count, target)| count < &u64::from(*target));
    let tick = move |ev: leptos::ev::MouseEvent| {
        if !done && unmet.is_some() {
            // Asks first: the doors have not given what the step needs yet.
            ev.prevent_default();
            confirming.set(true);
            return;
        }
        errors.record_soon(
            data,
            vec![Payload::StepDone {
                step: id,
                done: !done,
            }],
        );
    };
    let checkbox_id = format!("step-{id}");
    let position = move || {
        data.with_state(|state| {
            let ids: Vec<StepId> = plan_steps(state, project)
                .into_iter()
                .filter(|(_, s)| s.phase.value == Some(phase))
                .map(|(i, _)| i)
                .collect();
            (ids.iter().position(|x| *x == id).unwrap_or(0), ids.len())
        })
    };
    let owner_text = move |locale: Locale, owner: Option<Owner>| {
        data.with_state(|s| owner_label(s, locale, owner))
    };
    let row_for_view = row.clone();
    let StepRow {
        title,
        description,
        owner,
        due,
        note,
        skipped,
        done: done_by,
        evidence,
        ..
    } = row_for_view;
    let locale = i18n.locale_untracked();
    let owner_name = owner_text(locale, owner);
    let meta: Vec<String> = [
        (!owner_name.is_empty()).then_some(owner_name),
        due.map(|d| fill(text(locale, Key::DueBy), &[&date(locale, d)])),
        done_by
            .as_ref()
            .map(|(by, at)| fill(text(locale, Key::StepDoneBy), &[by, &day(locale, *at)])),
        skipped.then(|| text(locale, Key::StepSkipped).to_owned()),
    ]
    .into_iter()
    .flatten()
    .collect();
    let evidence_line = evidence.map(|(measure, count, target)| {
        let e = EvidenceProgress {
            measure,
            count,
            target,
        };
        let met = e.met();
        view! {
            <p class="evidence" data-met=met.to_string()>
                <span class="evidence-count">{evidence_text(locale, &e)}</span>
                {met.then(|| view! { " · " {text(locale, Key::EvidenceMet)} })}
            </p>
        }
    });
    view! {
        <li
            class="step"
            data-done=done.to_string()
            data-skipped=skipped.to_string()
            data-step=id.to_string()
            draggable="true"
            on:dragstart=move |ev| {
                // Firefox starts a drag only with data on it.
                if let Ok(transfer) = js_sys::Reflect::get(&ev, &"dataTransfer".into())
                    && let Ok(set) = js_sys::Reflect::get(&transfer, &"setData".into())
                {
                    let set: js_sys::Function = wasm_bindgen::JsCast::unchecked_into(set);
                    let _ = set.call2(&transfer, &"text/plain".into(), &id.to_string().into());
                }
                dragging.set(Some(id));
            }
            on:dragend=move |_| dragging.set(None)
            on:dragover=move |ev| {
                if dragging.get_untracked().is_some() {
                    ev.prevent_default();
                }
            }
            on:drop=move |ev| {
                ev.prevent_default();
                if let Some(moving) = dragging.get_untracked().filter(|m| *m != id) {
                    dragging.set(None);
                    move_step(data, errors, project, moving, phase, position().0);
                }
            }
        >
            <div class="step-main">
                <input
                    type="checkbox"
                    id=checkbox_id.clone()
                    prop:checked=done
                    disabled=skipped
                    on:click=tick
                />
                <label for=checkbox_id>{title.clone()}</label>
                <button
                    type="button"
                    class="step-more"
                    aria-expanded=move || (open.0.get() == Some(id)).to_string()
                    aria-label=move || fill(text(i18n.locale(), Key::StepDetails), &[&title])
                    on:click=move |_| open.0.update(|o| *o = if *o == Some(id) { None } else { Some(id) })
                >
                    "⋯"
                </button>
            </div>
            {(!meta.is_empty()).then(|| view! { <p class="step-meta">{meta.join(" · ")}</p> })}
            {evidence_line}
            <Show when=move || confirming.get()>
                <div class="confirm" role="alert">
                    <p>
                        {move || {
                            let locale = i18n.locale();
                            let (measure, count, target) = unmet.unwrap_or((Measure::Reached, 0, 0));
                            let e = EvidenceProgress { measure, count, target };
                            fill(text(locale, Key::EvidenceConfirm), &[&evidence_text(locale, &e)])
                        }}
                    </p>
                    <div class="actions">
                        <button type="button" class="button" on:click=move |_| {
                            confirming.set(false);
                            errors.record_soon(data, vec![Payload::StepDone { step: id, done: true }]);
                        }>{i18n.t(Key::TickAnyway)}</button>
                        <button type="button" class="button secondary" on:click=move |_| confirming.set(false)>
                            {i18n.t(Key::Cancel)}
                        </button>
                    </div>
                </div>
            </Show>
            <Show when=move || open.0.get() == Some(id)>
                <StepDetails project id phase owner due note=note.clone() skipped description=description.clone() errors position/>
            </Show>
        </li>
    }
}

/// Which step has its details open (one at a time, kept while the list redraws).
#[derive(Clone, Copy, Debug)]
struct OpenStep(RwSignal<Option<StepId>>);

/// A step's details: owner, due date, note, skip, move and remove. Each change is saved at
/// once, as its own change, so two people editing different fields both keep theirs.
#[component]
fn StepDetails(
    project: ProjectId,
    id: StepId,
    phase: Phase,
    owner: Option<Owner>,
    due: Option<NaiveDate>,
    note: String,
    skipped: bool,
    description: String,
    errors: FormError,
    position: impl Fn() -> (usize, usize) + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let i18n = I18n::current();
    let data = Data::current().expect("the plan page has data");
    let save = move |change: &dyn Fn(&mut Payload)| {
        let mut p = step_update(id);
        change(&mut p);
        errors.record_soon(data, vec![p]);
    };
    let owner_id = format!("owner-{id}");
    let due_id = format!("due-{id}");
    let note_id = format!("note-{id}");
    let skip_id = format!("skip-{id}");
    let note_draft = RwSignal::new(note.clone());
    view! {
        <div class="step-details">
            {(!description.is_empty()).then(|| view! { <p class="step-description">{description}</p> })}
            <div class="field">
                <label for=owner_id.clone()>{i18n.t(Key::OwnerLabel)}</label>
                <select
                    id=owner_id
                    prop:value=owner_value(owner)
                    on:change=move |ev| {
                        let chosen = parse_owner(&event_target_value(&ev));
                        save(&|p| if let Payload::StepUpdate { owner, .. } = p { *owner = Some(chosen) });
                    }
                >
                    {move || {
                        let locale = i18n.locale();
                        let current = owner_value(owner);
                        data.with_areas(&[Area::Team], |s| owner_options(s, locale))
                            .into_iter()
                            .map(|(value, label)| {
                                let selected = value == current;
                                view! { <option value=value selected=selected>{label}</option> }
                            })
                            .collect_view()
                    }}
                </select>
            </div>
            <div class="field">
                <label for=due_id.clone()>{i18n.t(Key::DueLabel)}</label>
                <input
                    id=due_id
                    type="date"
                    prop:value=due.map(iso_date).unwrap_or_default()
                    on:change=move |ev| {
                        let value = event_target_value(&ev);
                        let chosen = parse_date(value.trim());
                        if chosen.is_some() || value.trim().is_empty() {
                            save(&|p| if let Payload::StepUpdate { due, .. } = p { *due = Some(chosen) });
                        }
                    }
                />
            </div>
            <div class="field">
                <label for=note_id.clone()>{i18n.t(Key::FieldNote)}</label>
                <textarea
                    id=note_id
                    rows="2"
                    maxlength="2000"
                    prop:value=move || note_draft.get()
                    on:input=move |ev| note_draft.set(event_target_value(&ev))
                    on:change=move |_| {
                        let text = note_draft.get_untracked();
                        save(&|p| if let Payload::StepUpdate { note, .. } = p { *note = Some(text.clone()) });
                    }
                ></textarea>
            </div>
            <label class="check" for=skip_id.clone()>
                <input
                    id=skip_id.clone()
                    type="checkbox"
                    prop:checked=skipped
                    on:change=move |_| save(&|p| if let Payload::StepUpdate { skipped: s, .. } = p { *s = Some(!skipped) })
                />
                {i18n.t(Key::SkipStep)}
            </label>
            <div class="actions step-moves">
                <button
                    type="button"
                    class="button secondary"
                    disabled=move || position().0 == 0
                    on:click=move |_| move_step(data, errors, project, id, phase, position().0.saturating_sub(1))
                >
                    {i18n.t(Key::MoveUp)}
                </button>
                <button
                    type="button"
                    class="button secondary"
                    disabled=move || { let (at, len) = position(); at + 1 >= len }
                    on:click=move |_| move_step(data, errors, project, id, phase, position().0 + 1)
                >
                    {i18n.t(Key::MoveDown)}
                </button>
                <button
                    type="button"
                    class="link-button"
                    on:click=move |_| errors.record_soon(data, vec![Payload::StepRemove { step: id }])
                >
                    {i18n.t(Key::RemoveStep)}
                </button>
            </div>
        </div>
    }
}

/// Adding a step to a phase of the plan, at its end.
#[component]
fn AddStep(project: ProjectId, errors: FormError) -> impl IntoView {
    let i18n = I18n::current();
    let data = Data::current().expect("the plan page has data");
    let title = RwSignal::new(String::new());
    let phase = RwSignal::new(Phase::Initiate);
    let add = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let locale = i18n.locale_untracked();
        let name = title.get_untracked().trim().to_owned();
        if name.is_empty() {
            return errors.at(
                "step-title",
                fill(
                    text(locale, Key::ErrFieldEmpty),
                    &[text(locale, Key::FieldTitle)],
                ),
            );
        }
        let phase = phase.get_untracked();
        let order = data.with_state(|state| {
            plan_steps(state, project)
                .into_iter()
                .filter(|(_, s)| s.phase.value.is_some_and(|p| p <= phase))
                .map(|(_, s)| s.order.value)
                .max()
                .unwrap_or(0)
        });
        // Right after the last step of its phase: halfway to the next one, or a full gap.
        let next = data.with_state(|state| {
            plan_steps(state, project)
                .into_iter()
                .map(|(_, s)| s.order.value)
                .filter(|o| *o > order)
                .min()
        });
        let order = match next {
            Some(n) if n - order > 1 => order + (n - order) / 2,
            _ => order + 1024,
        };
        let step = StepId::new_v7(data.now_ms(), random_bytes());
        title.set(String::new());
        errors.record_soon(
            data,
            vec![Payload::StepAdd {
                step,
                project,
                title: name,
                description: String::new(),
                phase,
                owner: None,
                due: None,
                order,
                evidence: None,
            }],
        );
    };
    view! {
        <form class="card add-step" on:submit=add novalidate>
            <h3>{i18n.t(Key::AddStep)}</h3>
            {TextField::new("step-title", Key::FieldTitle).max("120").errors(errors).bind(title)}
            <div class="field">
                <label for="step-phase">{i18n.t(Key::PhaseLabel)}</label>
                <select
                    id="step-phase"
                    on:change=move |ev| {
                        let v = event_target_value(&ev);
                        if let Some(p) = Phase::ALL.into_iter().find(|p| phase_code(*p) == v) {
                            phase.set(p);
                        }
                    }
                >
                    {Phase::ALL
                        .into_iter()
                        .map(|p| view! { <option value=phase_code(p) selected=move || phase.get() == p>{i18n.t(words::phase(p))}</option> })
                        .collect_view()}
                </select>
            </div>
            <button type="submit" class="button">{i18n.t(Key::AddStep)}</button>
        </form>
    }
}
