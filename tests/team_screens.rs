//! The team screens mounted over real data in headless Chromium: the step plan, meeting mode,
//! the progress page and settings. `make test` runs these.
#![cfg(target_arch = "wasm32")]

mod common;

use buurtbel_core::domain::{Measure, Theme, Unit};
use buurtbel_core::ids::{ProjectId, StepId};
use buurtbel_core::state::State;
use buurtbel_core::views::{self, plan_steps};
use common::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

/// The first project of the sample buurt (the AED).
fn first_project(state: &State) -> ProjectId {
    *state.projects.keys().next().expect("a project")
}

/// The step of the AED plan that counts pledging households.
fn evidence_step(state: &State) -> StepId {
    plan_steps(state, first_project(state))
        .into_iter()
        .find(|(_, s)| {
            s.evidence
                .value
                .is_some_and(|e| e.measure == Measure::PledgedHouseholds)
        })
        .map(|(id, _)| id)
        .expect("the AED plan counts pledges")
}

/// The sample buurt with this phone's member (Anna) in the team, as on a real phone.
fn team_buurt(
    addresses: usize,
    visits: usize,
) -> (
    buurtbel_core::factory::OpFactory,
    Vec<buurtbel_core::op::Operation>,
) {
    let (mut f, mut ops) = buurt(addresses, visits);
    let member = f.author().member;
    ops.push(f.op(buurtbel_core::op::Payload::MemberAdd {
        member,
        display_name: "Anna".into(),
        roles: [buurtbel_core::domain::Role::Driver].into(),
    }));
    (f, ops)
}

fn step_row(m: &Mounted, step: StepId) -> web_sys::HtmlElement {
    find(&m.root, &format!("li.step[data-step=\"{step}\"]")).expect("the step is listed")
}

fn checkbox(row: &web_sys::HtmlElement) -> web_sys::HtmlElement {
    row.query_selector("input[type=checkbox]")
        .expect("selector")
        .expect("a tick box")
        .unchecked_into()
}

fn is_done(m: &Mounted, step: StepId) -> bool {
    m.data.with_state(|s| s.steps[&step].done.value.is_some())
}

#[wasm_bindgen_test]
async fn the_plan_counts_evidence_from_the_doors_and_asks_before_ticking_an_unmet_step() {
    let (f, ops) = buurt(300, 600);
    let m = mount("buurtbel-team-plan", 40, &f, &ops, "/plan").await;
    rendered(&m.root, ".phase").await;
    // Both projects can be chosen; the first is shown with its phases in order.
    assert_eq!(all(&m.root, "#project-choice option").len(), 2);
    let phases: Vec<String> = all(&m.root, ".phase h3")
        .iter()
        .filter_map(|h| h.text_content())
        .collect();
    assert_eq!(
        phases,
        [
            "Initiëren",
            "Activeren",
            "Structureren",
            "Groeien",
            "Bestendigen"
        ]
    );

    // The evidence step says its live count: the same figure the core derives.
    let step = m.data.with_state(evidence_step);
    let expected = m
        .data
        .with_state(|s| views::evidence_progress(s, step).expect("evidence"));
    assert!(
        !expected.met(),
        "the sample buurt has not reached 60 pledges"
    );
    let row = step_row(&m, step);
    assert_eq!(
        text(&row, ".evidence-count"),
        format!("{} van 60 huishoudens met een toezegging", expected.count)
    );

    // Ticking it asks first; cancelling changes nothing, confirming ticks it.
    checkbox(&row).click();
    rendered(&row, ".confirm").await;
    assert!(text(&row, ".confirm").contains(&format!(
        "{} van 60 huishoudens met een toezegging",
        expected.count
    )));
    assert!(!is_done(&m, step));
    with_text(&row, ".confirm button", "Annuleren")
        .expect("cancel")
        .click();
    until("the question is gone", || find(&row, ".confirm").is_none()).await;
    assert!(!is_done(&m, step));
    checkbox(&step_row(&m, step)).click();
    let row = step_row(&m, step);
    rendered(&row, ".confirm").await;
    with_text(&row, ".confirm button", "Toch afvinken")
        .expect("tick anyway")
        .click();
    until("the step is ticked", || is_done(&m, step)).await;
    until("the line says who ticked it", || {
        step_row(&m, step).get_attribute("data-done").as_deref() == Some("true")
    })
    .await;
    assert!(text(&step_row(&m, step), ".step-meta").contains("afgevinkt door"));

    // A plain step ticks and unticks at once.
    let (first, second) = m.data.with_state(|s| {
        let steps = plan_steps(s, first_project(s));
        (steps[0].0, steps[1].0)
    });
    checkbox(&step_row(&m, first)).click();
    until("ticked", || is_done(&m, first)).await;
    checkbox(&step_row(&m, first)).click();
    until("unticked", || !is_done(&m, first)).await;

    // Moving the first step down puts it after the second, in one change.
    let before = m.data.with_state(|s| s.applied.len());
    find(&step_row(&m, first), ".step-more")
        .expect("details button")
        .click();
    rendered(&m.root, ".step-details").await;
    with_text(&m.root, ".step-details button", "Omlaag")
        .expect("move down")
        .click();
    until("the order changed", || {
        m.data.with_state(|s| {
            let ids: Vec<StepId> = plan_steps(s, first_project(s))
                .into_iter()
                .map(|(id, _)| id)
                .collect();
            ids[0] == second && ids[1] == first
        })
    })
    .await;
    assert_eq!(m.data.with_state(|s| s.applied.len()), before + 1);

    // Skipping a step takes it out of its phase's count.
    let count = |m: &Mounted| text(&m.root, ".phase .phase-count");
    let before = count(&m);
    // The moved step's details are drawn again after the state changed: wait for them.
    let skip = rendered(&m.root, ".step-details input[type=checkbox]").await;
    skip.click();
    until("the phase counts one step less", || count(&m) != before).await;
    assert!(m.data.with_state(|s| s.steps[&first].skipped.value));
}

#[wasm_bindgen_test]
async fn a_project_starts_from_a_theme_template_with_a_target_in_its_unit() {
    let (f, ops) = buurt(10, 0);
    let m = mount("buurtbel-team-new-project", 41, &f, &ops, "/plan").await;
    rendered(&m.root, ".phase").await;
    with_text(&m.root, ".plan-top button", "Nieuw project")
        .expect("new project")
        .click();
    rendered(&m.root, ".new-project").await;
    // Choosing a theme fills in its name and its usual target.
    let insulation = with_text(&m.root, ".new-project .chip-choice", "Isolatie").expect("theme");
    insulation
        .query_selector("input")
        .expect("selector")
        .expect("radio")
        .unchecked_into::<web_sys::HtmlElement>()
        .click();
    let value = |selector: &str| {
        find(&m.root, selector)
            .expect("field")
            .unchecked_into::<web_sys::HtmlInputElement>()
            .value()
    };
    until("the title follows the theme", || {
        value("#project-title") == "Isolatie"
    })
    .await;
    assert_eq!(value("#project-target"), "40");
    // A target that is no number is marked at its field, and nothing is made.
    type_into(&m.root, "#project-target", "veertig");
    with_text(&m.root, ".new-project button", "Project starten")
        .expect("start")
        .click();
    until("the target is marked", || {
        !text(&m.root, "#project-target-error").is_empty()
    })
    .await;
    assert_eq!(m.data.with_state(|s| s.projects.len()), 2);

    type_into(&m.root, "#project-target", "35");
    type_into(&m.root, "#project-title", "Warm de winter door");
    with_text(&m.root, ".new-project button", "Project starten")
        .expect("start")
        .click();
    until("the project is there", || {
        m.data.with_state(|s| s.projects.len()) == 3
    })
    .await;
    let (target, steps) = m.data.with_state(|s| {
        let (id, p) = s
            .projects
            .iter()
            .find(|(_, p)| p.title.value == "Warm de winter door")
            .expect("the new project");
        (p.target.value, plan_steps(s, *id).len())
    });
    assert_eq!(
        target.map(|t| (t.count, t.unit)),
        Some((35, Unit::Households))
    );
    assert_eq!(
        steps,
        buurtbel_core::templates::template(Theme::Insulation).len()
    );
    // The page shows the new project's plan.
    until("the new plan is shown", || {
        text(&m.root, ".project-head h2") == "Warm de winter door"
    })
    .await;
}

#[wasm_bindgen_test]
async fn a_meeting_records_who_is_there_decisions_and_action_items() {
    let (f, ops) = team_buurt(100, 200);
    let m = mount("buurtbel-team-meeting", 42, &f, &ops, "/overleg").await;
    // No meeting yet: the form to start one is open, dated today.
    rendered(&m.root, "#meeting-date").await;
    with_text(&m.root, "form button", "Overleg starten")
        .expect("start")
        .click();
    rendered(&m.root, ".meeting").await;
    let meeting = m
        .data
        .with_state(|s| *s.meetings.keys().next().expect("a meeting"));

    // Since the previous meeting (there is none): everything so far.
    let visits = m.data.with_state(|s| s.live_visits().count());
    until("the visits are counted", || {
        text(&m.root, ".since-list li") == format!("{visits} gesprekken aan de deur")
    })
    .await;

    // Ticking a member present is one change for that member.
    let boxes = all(&m.root, ".attendance-list input");
    assert_eq!(boxes.len(), 11, "the sample team of ten, and Anna");
    boxes[2].click();
    until("one present", || {
        m.data.with_state(|s| views::attendees(s, meeting).len()) == 1
    })
    .await;

    // A decision, and at once (before the decision is saved) an action item with nothing in
    // it: the empty action is marked at its field, and the decision's save, finishing later,
    // leaves that mark alone.
    type_into(&m.root, "#decision-text", "De AED komt bij de speeltuin.");
    with_text(&m.root, ".meeting button", "Besluit vastleggen")
        .expect("record decision")
        .click();
    with_text(&m.root, ".meeting button", "Actie toevoegen")
        .expect("add action")
        .click();
    until_text(
        &m.root,
        ".decision-list li span",
        "De AED komt bij de speeltuin.",
    )
    .await;
    // Changes are saved in the order they are recorded: once this one is saved, the
    // decision's save has finished too.
    m.data
        .record(buurtbel_core::op::Payload::MeetingUpdate {
            meeting,
            date: None,
            title: Some("Teamoverleg".into()),
        })
        .await
        .expect("recorded");
    painted().await;
    assert!(
        !text(&m.root, "#action-text-error").is_empty(),
        "the empty action is still marked after the decision was saved"
    );
    // Due in two weeks from the app's own today, whatever day the tests run.
    let due_by = m.data.today() + chrono::Duration::days(14);
    type_into(&m.root, "#action-text", "Offerte buitenkast opvragen");
    type_into(
        &m.root,
        "#action-due",
        &buurtbel_app::components::iso_date(due_by),
    );
    with_text(&m.root, ".meeting button", "Actie toevoegen")
        .expect("add action")
        .click();
    until("the action is listed", || {
        text(&m.root, ".action-list li").contains("Offerte buitenkast opvragen")
    })
    .await;
    let (text_, due, owner) = m.data.with_state(|s| {
        let a = s.action_items.values().next().expect("an action item");
        (a.text.value.clone(), a.due.value, a.owner.value)
    });
    assert_eq!(text_, "Offerte buitenkast opvragen");
    assert_eq!(due, Some(due_by));
    assert_eq!(
        owner,
        Some(buurtbel_core::domain::Owner::Member(f.author().member))
    );

    // A step ticked on the agenda is done in the plan.
    let agenda = all(&m.root, ".agenda-steps input");
    assert!(!agenda.is_empty(), "open steps are on the agenda");
    let open_before = m.data.with_state(|s| {
        s.steps
            .values()
            .filter(|st| st.done.value.is_some())
            .count()
    });
    agenda[0].click();
    until("the step is done", || {
        m.data.with_state(|s| {
            s.steps
                .values()
                .filter(|st| st.done.value.is_some())
                .count()
        }) == open_before + 1
    })
    .await;
    until("the since list counts it", || {
        all(&m.root, ".since-list li").iter().any(|l| {
            l.text_content()
                .unwrap_or_default()
                .starts_with("1 stap afgevinkt")
        })
    })
    .await;
}

#[wasm_bindgen_test]
async fn progress_charts_say_their_figures_as_text() {
    let (mut f, mut ops) = team_buurt(200, 400);
    // Long street names that share their first words stay apart.
    ops.push(f.address("Burgemeester de Vrieslaan", 1));
    ops.push(f.address("Burgemeester de Vriesplein", 2));
    let m = mount("buurtbel-team-progress", 43, &f, &ops, "/voortgang").await;
    rendered(&m.root, ".big-figure").await;
    let (reached, total) = m.data.with_state(|s| {
        let statuses = views::address_statuses(s);
        (
            statuses.values().filter(|a| a.reached).count(),
            statuses.len(),
        )
    });
    assert!(
        text(&m.root, ".big-figure").starts_with(&format!("{reached} van {total} huishoudens")),
        "{}",
        text(&m.root, ".big-figure")
    );
    // Every chart is an image with its figures in its name.
    let charts = all(&m.root, "svg.chart");
    assert_eq!(
        charts.len(),
        2 + 2,
        "two funnels, per ambassador, per street"
    );
    for chart in &charts {
        assert_eq!(chart.get_attribute("role").as_deref(), Some("img"));
    }
    let funnel = charts[0].get_attribute("aria-label").expect("a name");
    let f0 = m.data.with_state(|s| views::funnel(s, first_project(s)));
    assert!(
        funnel.contains(&format!("Bereikt: {}/{}", f0.reached, f0.households)),
        "{funnel}"
    );
    let members = charts[2].get_attribute("aria-label").expect("a name");
    assert!(members.contains("Anna: "), "{members}");
    let streets = charts[3].get_attribute("aria-label").expect("a name");
    assert!(streets.contains("Lindelaan 1: "), "{streets}");
    let shown: Vec<String> = all(&charts[3], ".chart-label")
        .iter()
        .map(|l| l.text_content().unwrap_or_default())
        .collect();
    for street in ["Burgemeester de Vrieslaan", "Burgemeester de Vriesplein"] {
        assert!(shown.iter().any(|l| l == street), "{street} in {shown:?}");
    }
}

#[wasm_bindgen_test]
async fn settings_switch_the_language() {
    let (f, ops) = buurt(5, 0);
    let m = mount("buurtbel-team-settings", 44, &f, &ops, "/instellingen").await;
    rendered(&m.root, ".export").await;
    // No install offer from the browser (as in Firefox and WebKit) and no iPhone: no install
    // card, rather than a button that does nothing.
    assert!(find(&m.root, ".install").is_none());
    let english = with_text(&m.root, ".chip-choice", "English").expect("English");
    english
        .query_selector("input")
        .expect("selector")
        .expect("radio")
        .unchecked_into::<web_sys::HtmlElement>()
        .click();
    until_text(&m.root, "h1", "Settings").await;
    assert!(text(&m.root, ".export h2").contains("Export"));
    let nl = with_text(&m.root, ".chip-choice", "Nederlands").expect("Dutch");
    nl.query_selector("input")
        .expect("selector")
        .expect("radio")
        .unchecked_into::<web_sys::HtmlElement>()
        .click();
    until_text(&m.root, "h1", "Instellingen").await;
}
