//! The field screens mounted over real data in headless Chromium: the walk list, the visit
//! sheet, adding addresses, follow-ups and an address's history. `make test` runs these.
#![cfg(target_arch = "wasm32")]

mod common;

use buurtbel_core::domain::{Channel, ConsentPurpose, FollowUpKind, Outcome};
use buurtbel_core::ids::{AddressId, VisitId};
use buurtbel_core::op::{FollowUp, Payload, VisitLog};
use buurtbel_core::views::address_status;
use common::*;
use leptos::prelude::window;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

/// The live addresses of the mounted team, in walking order.
fn walk_order(m: &Mounted) -> Vec<AddressId> {
    m.data.with_state(buurtbel_core::views::walk_order)
}

fn click(element: &web_sys::HtmlElement) {
    element.click();
}

/// The row of the door whose number is `number` (the first one rendered), if it is.
fn find_row(m: &Mounted, number: &str) -> Option<web_sys::HtmlElement> {
    all(&m.root, ".door")
        .into_iter()
        .find(|d| text_in(d, ".door-number") == number)
}

/// The row of the door whose number is `number`, once it is rendered.
async fn row(m: &Mounted, number: &str) -> web_sys::HtmlElement {
    until(&format!("door {number} is on screen"), || {
        find_row(m, number).is_some()
    })
    .await;
    find_row(m, number).expect("rendered")
}

/// The text of the outcome chip of door `number` ("" while it is not rendered).
fn chip_of(m: &Mounted, number: &str) -> String {
    find_row(m, number)
        .map(|r| text_in(&r, ".chip"))
        .unwrap_or_default()
}

fn text_in(element: &web_sys::HtmlElement, selector: &str) -> String {
    element
        .query_selector(selector)
        .expect("selector")
        .and_then(|e| e.text_content())
        .unwrap_or_default()
}

fn button_in(element: &web_sys::HtmlElement, selector: &str) -> web_sys::HtmlElement {
    use wasm_bindgen::JsCast;
    element
        .query_selector(selector)
        .expect("selector")
        .unwrap_or_else(|| panic!("{selector} is there"))
        .unchecked_into()
}

#[wasm_bindgen_test]
async fn the_walk_list_renders_only_the_doors_on_screen() {
    let (f, ops) = buurt(2_000, 0);
    let m = mount("buurtbel-screens-virtual", 11, &f, &ops, "/").await;
    rendered(&m.root, ".door").await;
    let doors = all(&m.root, ".door").len();
    assert!(
        doors > 3 && doors < 80,
        "{doors} rows rendered for 2,000 addresses: only what is on screen and a margin"
    );
    // The list is as high as all its lines: 20 streets of 100 doors, each street in two sides.
    let list = find(&m.root, ".walk-list").expect("list");
    let height = list.style().get_property_value("height").expect("height");
    assert_eq!(height, format!("{}px", 40 * 48 + 2_000 * 72));
    let first = text(&m.root, ".door .door-number");
    assert_eq!(first, "1", "the odd side of the first street comes first");
    assert!(text(&m.root, ".street").contains("oneven · nog 50 te gaan"));

    // Scrolled far down, other doors are rendered and the first ones are gone.
    let top = list.get_bounding_client_rect().top();
    window().scroll_to_with_x_and_y(0.0, top + 300.0 * 72.0);
    until("rows further down are rendered", || {
        all(&m.root, ".door").len() < 80 && text(&m.root, ".door .door-number") != "1"
    })
    .await;
    assert!(
        find(&m.root, ".street-sticky.street-sticky-shown").is_some(),
        "the street being walked stays on top"
    );
    window().scroll_to_with_x_and_y(0.0, 0.0);
}

#[wasm_bindgen_test]
async fn not_home_is_one_tap_and_can_be_undone() {
    let (f, ops) = buurt(30, 0);
    let m = mount("buurtbel-screens-not-home", 12, &f, &ops, "/").await;
    rendered(&m.root, ".door").await;
    let door = walk_order(&m)[0];
    assert_eq!(text_in(&row(&m, "1").await, ".chip"), "Nog niet geweest");
    click(&button_in(&row(&m, "1").await, ".door-not-home"));
    until("the row shows niet thuis", || {
        chip_of(&m, "1").starts_with("Niet thuis")
    })
    .await;
    assert_eq!(
        m.data
            .with_state(|s| address_status(s, door).map_or(0, |st| st.visits)),
        1,
        "one visit is logged"
    );
    assert!(text(&m.root, ".street").contains("nog 14 te gaan"));
    until("the snackbar offers undo", || {
        text(&m.root, ".snackbar").contains("Niet thuis vastgelegd")
    })
    .await;

    click(&rendered(&m.root, ".snackbar-undo").await);
    until("the row is back to not visited", || {
        chip_of(&m, "1") == "Nog niet geweest"
    })
    .await;
    assert_eq!(
        m.data
            .with_state(|s| address_status(s, door).map_or(0, |st| st.visits)),
        0
    );
    assert!(text(&m.root, ".street").contains("nog 15 te gaan"));
    let retracted = m.data.with_state(|s| {
        buurtbel_core::views::address_history(s, door)
            .iter()
            .filter(|e| {
                matches!(
                    e,
                    buurtbel_core::views::HistoryEntry::Visit {
                        retracted: true,
                        ..
                    }
                )
            })
            .count()
    });
    assert_eq!(retracted, 1, "the history keeps the undone visit, marked");
}

#[wasm_bindgen_test]
async fn several_doors_are_not_home_at_once() {
    let (f, ops) = buurt(30, 0);
    let m = mount("buurtbel-screens-bulk", 13, &f, &ops, "/").await;
    rendered(&m.root, ".door").await;
    click(&with_text(&m.root, ".title-row button", "Selecteer").expect("select button"));
    rendered(&m.root, ".bulk-bar").await;
    assert!(
        find(&m.root, ".door-not-home").is_none(),
        "no single taps while selecting"
    );
    for number in ["1", "3", "5"] {
        click(&button_in(&row(&m, number).await, ".door-open"));
    }
    until_text(&m.root, ".bulk-bar button", "Niet thuis (3)").await;
    click(&find(&m.root, ".bulk-bar button").expect("bulk button"));
    until("three rows show niet thuis", || {
        ["1", "3", "5"]
            .iter()
            .all(|n| chip_of(&m, n).starts_with("Niet thuis"))
    })
    .await;
    assert_eq!(text_in(&row(&m, "7").await, ".chip"), "Nog niet geweest");
    let visits = m.data.with_state(|s| s.visits.len());
    assert_eq!(visits, 3);
    until("the snackbar says how many", || {
        text(&m.root, ".snackbar").contains("bij 3 deuren")
    })
    .await;
}

#[wasm_bindgen_test]
async fn contact_details_are_asked_only_behind_consent() {
    let (f, ops) = buurt(10, 0);
    let m = mount("buurtbel-screens-consent", 14, &f, &ops, "/").await;
    rendered(&m.root, ".door").await;
    let door = walk_order(&m)[1];
    click(&button_in(&row(&m, "3").await, ".door-open"));
    rendered(&m.root, ".sheet").await;
    assert!(find(&m.root, "#resident-name").is_none());
    let information = with_text(&m.root, ".sheet label.outcome", "Wil informatie")
        .expect("outcome wants information");
    click(&button_in(&information, "input"));
    rendered(&m.root, "#visit-note").await;
    assert!(
        find(&m.root, "#resident-name").is_none(),
        "no name field before consent"
    );
    click(&rendered(&m.root, ".sheet input[role=switch]").await);
    rendered(&m.root, "#resident-name").await;
    type_into(&m.root, "#resident-name", "Mevrouw de Vries");
    click(&find(&m.root, ".sheet-save").expect("save"));
    until_text(&m.root, ".sheet .form-error", "Kies waarvoor en hoe.").await;
    assert!(m.data.with_state(|s| s.visits.is_empty()), "nothing saved");

    click(&button_in(
        &with_text(&m.root, ".sheet .chip-choice", "Nieuws over het project").expect("purpose"),
        "input",
    ));
    click(&button_in(
        &with_text(&m.root, ".sheet .chip-choice", "E-mail").expect("channel"),
        "input",
    ));
    click(&find(&m.root, ".sheet-save").expect("save"));
    until("the e-mail field asks for an address", || {
        !text(&m.root, "#resident-email-error").is_empty()
    })
    .await;
    assert_eq!(
        find(&m.root, "#resident-email")
            .and_then(|e| e.get_attribute("aria-invalid"))
            .as_deref(),
        Some("true")
    );
    type_into(&m.root, "#resident-email", "devries@example.nl");
    click(&find(&m.root, ".sheet-save").expect("save"));
    until("the sheet closes", || find(&m.root, ".sheet").is_none()).await;
    m.data.with_state(|s| {
        let consent = s.consents.values().next().expect("a consent");
        assert_eq!(consent.address, door);
        assert_eq!(consent.name, "Mevrouw de Vries");
        assert_eq!(consent.email, "devries@example.nl");
        assert!(consent.purposes.contains(&ConsentPurpose::ProjectUpdates));
        assert!(consent.channels.contains(&Channel::Email));
        let visit = s.visits.values().next().expect("a visit");
        assert_eq!(visit.outcome, Outcome::WantsInformation);
        assert_eq!(
            visit.follow_up.map(|f| f.kind),
            Some(FollowUpKind::SendInformation),
            "wanting information asks for information to be sent"
        );
    });
    assert!(text(&row(&m, "3").await, ".chip").starts_with("Wil informatie"));
}

#[wasm_bindgen_test]
async fn what_was_typed_survives_closing_the_sheet_and_switching_language() {
    let (f, ops) = buurt(10, 0);
    let m = mount("buurtbel-screens-drafts", 15, &f, &ops, "/").await;
    rendered(&m.root, ".door").await;
    click(&button_in(&row(&m, "5").await, ".door-open"));
    rendered(&m.root, ".sheet").await;
    click(&button_in(
        &with_text(&m.root, ".sheet label.outcome", "Geïnteresseerd").expect("outcome"),
        "input",
    ));
    rendered(&m.root, "#visit-note").await;
    type_into(&m.root, "#visit-note", "Komt vrijdag terug van vakantie");
    click(&with_text(&m.root, ".sheet button", "Sluiten").expect("close"));
    until("the sheet closes", || find(&m.root, ".sheet").is_none()).await;
    click(&find(&m.root, "button.language-switch").expect("language switch"));
    until("English", || text(&m.root, "h1") == "Walk list").await;
    click(&button_in(&row(&m, "5").await, ".door-open"));
    let note = rendered(&m.root, "#visit-note").await;
    use wasm_bindgen::JsCast;
    assert_eq!(
        note.unchecked_into::<web_sys::HtmlTextAreaElement>()
            .value(),
        "Komt vrijdag terug van vakantie"
    );
    let _ = local_storage().remove_item("buurtbel.locale");
}

#[wasm_bindgen_test]
async fn a_range_is_previewed_then_added_and_bad_input_is_marked_at_its_field() {
    let (f, ops) = buurt(0, 0);
    let m = mount(
        "buurtbel-screens-range",
        16,
        &f,
        &ops,
        "/adressen/toevoegen",
    )
    .await;
    rendered(&m.root, "#add-street").await;
    type_into(&m.root, "#add-street", "Lindelaan");
    type_into(&m.root, "#add-numbers", "twaalf");
    type_into(&m.root, "#add-postcode", "3581ba");
    click(&with_text(&m.root, "form button", "Bekijken").expect("preview button"));
    until_text(
        &m.root,
        "#add-numbers-error",
        "\"twaalf\" is geen huisnummer of reeks.",
    )
    .await;
    let numbers = find(&m.root, "#add-numbers").expect("numbers");
    assert_eq!(
        numbers.get_attribute("aria-invalid").as_deref(),
        Some("true")
    );
    assert!(find(&m.root, ".preview").is_none());

    type_into(&m.root, "#add-numbers", "2-30 even");
    click(&with_text(&m.root, "form button", "Bekijken").expect("preview button"));
    rendered(&m.root, ".preview").await;
    assert!(text(&m.root, ".preview-counts").contains("15 nieuw"));
    click(&with_text(&m.root, ".preview button", "15 adressen toevoegen").expect("add"));
    until("the walk list shows the street", || {
        text(&m.root, ".street").contains("Lindelaan · even · nog 15 te gaan")
    })
    .await;
    m.data.with_state(|s| {
        assert_eq!(s.addresses.len(), 15);
        assert!(s.addresses.values().all(|a| a.postcode.value == "3581 BA"));
    });

    // The same range again: everything is already there.
    go("/adressen/toevoegen");
    rendered(&m.root, "#add-street").await;
    type_into(&m.root, "#add-street", "lindelaan ");
    type_into(&m.root, "#add-numbers", "2-30 even");
    type_into(&m.root, "#add-postcode", "3581 BA");
    click(&with_text(&m.root, "form button", "Bekijken").expect("preview button"));
    rendered(&m.root, ".preview").await;
    assert!(text(&m.root, ".preview-counts").contains("0 nieuw"));
    assert!(text(&m.root, ".preview-counts").contains("15 staan er al"));
}

#[wasm_bindgen_test]
async fn follow_ups_are_grouped_by_when_and_closed_in_one_tap() {
    let (mut f, mut ops) = buurt(10, 0);
    let state = buurtbel_core::state::State::fold(ops.iter());
    let order = buurtbel_core::views::walk_order(&state);
    // The phone's today, as the app's own clock and time zone have it.
    let today = buurtbel_app::clock::local_date(buurtbel_app::clock::now_ms());
    for (address, days) in [(order[0], -2i64), (order[1], 0), (order[2], 30)] {
        let at_ms = f.now_ms();
        let visit = f.id(VisitId::new_v7);
        ops.push(f.op(Payload::VisitLog(VisitLog {
            visit,
            address,
            at_ms,
            outcome: Outcome::ComeBackLater,
            interests: Default::default(),
            pledges: Default::default(),
            join_team: None,
            note: String::new(),
            follow_up: Some(FollowUp {
                kind: FollowUpKind::Revisit,
                date: Some(today + chrono::Duration::days(days)),
            }),
            flyer: false,
            online: false,
        })));
    }
    let m = mount("buurtbel-screens-follow-ups", 17, &f, &ops, "/opvolgen").await;
    rendered(&m.root, ".follow-up-item").await;
    let headings: Vec<String> = all(&m.root, "h2")
        .iter()
        .filter_map(|h| h.text_content())
        .collect();
    assert_eq!(headings, ["Te laat", "Vandaag", "Later"]);
    assert_eq!(all(&m.root, ".follow-up-item").len(), 3);
    let overdue = all(&m.root, ".follow-up-item")[0].clone();
    click(&button_in(&overdue, "button"));
    until("two left", || all(&m.root, ".follow-up-item").len() == 2).await;
    let headings: Vec<String> = all(&m.root, "h2")
        .iter()
        .filter_map(|h| h.text_content())
        .collect();
    assert_eq!(headings, ["Vandaag", "Later"]);
}

#[wasm_bindgen_test]
async fn an_address_is_corrected_and_taken_off_the_walk_list_from_its_page() {
    let (f, ops) = buurt(10, 0);
    let state = buurtbel_core::state::State::fold(ops.iter());
    let door = buurtbel_core::views::walk_order(&state)[0];
    let m = mount(
        "buurtbel-screens-address",
        18,
        &f,
        &ops,
        &format!("/adres/{door}"),
    )
    .await;
    rendered(&m.root, "h1").await;
    assert_eq!(text(&m.root, "h1"), "Lindelaan 1 1");
    click(&with_text(&m.root, "button", "Adres corrigeren").expect("correct"));
    rendered(&m.root, "#fix-street").await;
    type_into(&m.root, "#fix-street", "Lindelaan");
    type_into(&m.root, "#fix-letter", "ab");
    click(&with_text(&m.root, "button", "Correctie opslaan").expect("save"));
    until_text(
        &m.root,
        "#fix-letter-error",
        "Huisletter: dit klopt niet, kijk het nog eens na.",
    )
    .await;
    type_into(&m.root, "#fix-letter", "B");
    click(&with_text(&m.root, "button", "Correctie opslaan").expect("save"));
    until_text(&m.root, "h1", "Lindelaan 1b").await;
    m.data.with_state(|s| {
        let a = &s.addresses[&door];
        assert_eq!(
            (a.street.value.as_str(), a.letter.value.as_str()),
            ("Lindelaan", "b")
        );
        assert_eq!(a.postcode.value, "3581 BA", "fields not typed over stay");
    });

    click(&with_text(&m.root, "button", "Niet meer aanbellen").expect("do not visit"));
    until("marked", || {
        with_text(&m.root, "button", "Weer aanbellen").is_some()
    })
    .await;
    go("/");
    rendered(&m.root, ".door").await;
    let row = row(&m, "1b").await;
    assert!(row.class_list().contains("door-dnv"));
    assert_eq!(text_in(&row, ".chip"), "Niet meer aanbellen");
    assert!(
        row.query_selector(".door-not-home")
            .expect("selector")
            .is_none(),
        "no prompt to knock"
    );
}
