//! The paper walk list, for a rainy evening or a flat battery: one street on A4 with a line per
//! door and a box per outcome, and the same list on screen to enter afterwards, one tap per
//! door, offline like every change.

use buurtbel_core::domain::Outcome;
use buurtbel_core::ids::AddressId;
use buurtbel_core::op::Area;
use buurtbel_core::views::street_key;
use leptos::prelude::*;

use super::walk::{WalkState, record_visits, visit_payloads, walks_some};
use crate::clock;
use crate::components::{BackToList, Snackbar, address_label, house_label, iso_date, parse_date};
use crate::data::{Data, Views};
use crate::i18n::{I18n, Key, counted, fill, text, words};

/// The outcomes a paper list has a box for: those that need nothing written down but a cross
/// (contact details and notes go through the door's own sheet, behind consent).
const PAPER: [Outcome; 5] = [
    Outcome::NotHome,
    Outcome::NotInterested,
    Outcome::Interested,
    Outcome::Joins,
    Outcome::ComeBackLater,
];

#[component]
pub fn PaperPage() -> impl IntoView {
    let i18n = I18n::current();
    let (Some(data), Some(views)) = (Data::current(), Views::current()) else {
        return ().into_any();
    };
    let snackbar = Snackbar::current();
    let street = WalkState::street();

    // The streets in walking order, and the doors of the chosen one (the walk list's street,
    // else the first): number as shown and the address as said, "niet meer aanbellen" left out.
    let streets = move || {
        views.walk_order.with(|order| {
            data.with_areas(&[Area::Addresses], |s| {
                let mut streets: Vec<(String, String)> = Vec::new();
                for a in order.iter().filter_map(|id| s.addresses.get(id)) {
                    let key = street_key(&a.street.value);
                    if streets.iter().all(|(k, _)| *k != key) {
                        streets.push((key, a.street.value.trim().to_owned()));
                    }
                }
                streets
            })
        })
    };
    // No street chosen: the sides the user walks, when there are any.
    let chosen = move || {
        let wanted = street.get();
        if wanted.is_empty() && walks_some(data) {
            return (wanted, text(i18n.locale(), Key::FilterMine).to_owned());
        }
        let all = streets();
        all.iter()
            .find(|(k, _)| *k == wanted)
            .or(all.first())
            .cloned()
            .unwrap_or_default()
    };
    let doors = move || {
        let (key, _) = chosen();
        let me = data.session.with(|s| s.as_ref().map(|s| s.member.id));
        views.walk_order.with(|order| {
            views.statuses.with(|statuses| {
                data.with_areas(&[Area::Addresses], |s| {
                    let my_sides = me.map(|me| s.sides_walked_by(me)).unwrap_or_default();
                    let mut last = "";
                    order
                        .iter()
                        .filter_map(|id| Some((*id, s.addresses.get(id)?)))
                        .filter(|(id, a)| {
                            let street = street_key(&a.street.value);
                            (if key.is_empty() {
                                my_sides
                                    .contains(&(street.as_str(), !a.number.value.is_multiple_of(2)))
                            } else {
                                street == key
                            }) && !statuses
                                .by_address
                                .get(id)
                                .is_some_and(|st| st.do_not_visit)
                        })
                        .map(|(id, a)| {
                            // Several streets: a heading row where each begins.
                            let street = a.street.value.trim();
                            let begins = (key.is_empty() && street != last).then(|| {
                                last = street;
                                street.to_owned()
                            });
                            (id, house_label(a), address_label(s, id), begins)
                        })
                        .collect::<Vec<_>>()
                })
            })
        })
    };

    // The outcome entered per door, in the order tapped.
    let marks = RwSignal::new(Vec::<(AddressId, Outcome)>::new());
    let walked = RwSignal::new(iso_date(data.today()));
    let busy = RwSignal::new(false);
    let save = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let locale = i18n.locale_untracked();
        let entered: Vec<(AddressId, Outcome)> = marks.get_untracked().into_iter().collect();
        let Some(day) = parse_date(&walked.get_untracked()) else {
            return snackbar.show(text(locale, Key::PaperDateInvalid).to_owned(), None);
        };
        if entered.is_empty() || busy.get_untracked() {
            return;
        }
        // The evening it was walked: today's entries at the time now, an earlier day's at
        // 19:00 that day (the list says which day, not when at each door).
        let now = data.now_ms();
        let at = if day >= data.today() {
            now
        } else {
            clock::local_midnight(day) + 19 * 3_600_000
        };
        let message = counted(locale, Key::PaperSavedOne, Key::PaperSaved, entered.len());
        busy.set(true);
        record_visits(
            data,
            snackbar,
            locale,
            visit_payloads(&entered, at, now),
            message,
            Box::new(move |ok| {
                busy.set(false);
                if ok {
                    marks.set(Vec::new());
                }
            }),
        );
    };

    view! {
        <BackToList/>
        <h1>{i18n.t(Key::PaperTitle)}</h1>
        <p class="intro no-print">{i18n.t(Key::PaperIntro)}</p>
        <div class="paper-controls no-print">
            <label for="paper-street">{i18n.t(Key::StreetLabel)}</label>
            <select id="paper-street" on:change=move |ev| street.set(event_target_value(&ev))>
                {move || {
                    let (current, _) = chosen();
                    let mine = walks_some(data).then(|| {
                        view! { <option value="" selected=current.is_empty()>{text(i18n.locale(), Key::FilterMine)}</option> }
                    });
                    let streets = streets()
                        .into_iter()
                        .map(|(key, name)| {
                            let selected = key == current;
                            view! { <option value=key selected=selected>{name}</option> }
                        })
                        .collect_view();
                    (mine, streets)
                }}
            </select>
            <button type="button" class="button secondary" on:click=move |_| { let _ = window().print(); }>
                {i18n.t(Key::PrintMinutes)}
            </button>
        </div>
        <p class="paper-head print-only">
            {move || {
                let locale = i18n.locale();
                let team = data.session.with(|s| s.as_ref().map(|s| s.team.name.clone())).unwrap_or_default();
                fill(text(locale, Key::PaperHead), &[&team, &chosen().1])
            }}
        </p>
        <table class="paper">
            <thead>
                <tr>
                    <th scope="col">{i18n.t(Key::PaperNumber)}</th>
                    {PAPER
                        .iter()
                        .map(|o| view! { <th scope="col">{i18n.t(words::outcome(*o))}</th> }.into_any())
                        .collect_view()}
                    <th scope="col" class="print-only">{i18n.t(Key::NoteLabel)}</th>
                </tr>
            </thead>
            <tbody>
                {move || {
                    doors()
                        .into_iter()
                        .map(|(id, number, label, begins)| {
                            let boxes = PAPER
                                .iter()
                                .map(|&o| {
                                    let name = fill(text(i18n.locale(), Key::PaperBox), &[text(i18n.locale(), words::outcome(o)), &label]);
                                    view! {
                                        <td>
                                            <button
                                                type="button"
                                                class="paper-box"
                                                aria-label=name
                                                aria-pressed=move || marks.with(|m| m.contains(&(id, o))).to_string()
                                                on:click=move |_| marks.update(|m| {
                                                    let again = m.contains(&(id, o));
                                                    m.retain(|(a, _)| *a != id);
                                                    if !again { m.push((id, o)); }
                                                })
                                            ></button>
                                        </td>
                                    }
                                    .into_any()
                                })
                                .collect_view();
                            view! {
                                {begins.map(|street| view! {
                                    <tr class="paper-street">
                                        <th scope="colgroup" colspan=(PAPER.len() + 2).to_string()>{street}</th>
                                    </tr>
                                })}
                                <tr>
                                    <th scope="row">{number}</th>
                                    {boxes}
                                    <td class="print-only paper-note"></td>
                                </tr>
                            }
                        })
                        .collect_view()
                }}
            </tbody>
        </table>
        <form class="card no-print paper-enter" on:submit=save novalidate>
            <div class="field">
                <label for="paper-date">{i18n.t(Key::PaperWalkedOn)}</label>
                <input
                    id="paper-date"
                    type="date"
                    prop:value=move || walked.get()
                    on:input=move |ev| walked.set(event_target_value(&ev))
                />
            </div>
            <button type="submit" class="button" disabled=move || busy.get() || marks.with(Vec::is_empty)>
                {move || counted(i18n.locale(), Key::PaperSaveOne, Key::PaperSave, marks.with(Vec::len))}
            </button>
        </form>
    }
    .into_any()
}
