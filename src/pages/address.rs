//! One address: its history (visits, undone ones struck through, and consents), its open
//! follow-up, correcting it, taking it off the walk list, and erasing its resident's data.

use std::rc::Rc;

use buurtbel_core::ids::AddressId;
use buurtbel_core::op::{Area, Payload};
use buurtbel_core::views::{AddressKey, HistoryEntry, address_history, address_index};
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::components::visit_sheet::outcome_class;
use crate::components::{
    BackToList, FormError, Snackbar, TextField, VisitSheet, address_label, member_name,
};
use crate::data::{Data, Views, error_text};
use crate::i18n::{I18n, Key, date, day, day_and_time, fill, text, words};
use crate::import::{addition_ok, letter_ok, normalize_postcode};
use crate::routing::{Page, Router};

/// One line of the history, ready to show.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Line {
    Visit {
        id: String,
        at_ms: u64,
        outcome: buurtbel_core::domain::Outcome,
        by: String,
        note: String,
        retracted: bool,
        flyer: bool,
        visit: buurtbel_core::ids::VisitId,
        mine: bool,
        /// How its follow-up was closed without a door visit, and by whom.
        resolved: Option<(buurtbel_core::domain::Resolution, String)>,
        /// What was pledged, per project: its title, the amount and the project's unit.
        pledges: Vec<(String, u32, Option<buurtbel_core::domain::Unit>)>,
    },
    Consent {
        id: buurtbel_core::ids::ConsentId,
        at_ms: u64,
        purposes: Vec<buurtbel_core::domain::ConsentPurpose>,
        name: String,
        contact: String,
        withdrawn: Option<u64>,
        /// Ended by the erasure of the resident's data, not by a withdrawal.
        erased: bool,
    },
}

#[component]
pub fn AddressPage(address: AddressId) -> impl IntoView {
    let i18n = I18n::current();
    let snackbar = Snackbar::current();
    let (Some(data), Some(views)) = (Data::current(), Views::current()) else {
        return ().into_any();
    };
    let live = move || {
        data.with_areas(&[Area::Addresses], |s| {
            s.addresses.get(&address).is_some_and(|a| a.life.is_live())
        })
    };
    let label = move || data.with_areas(&[Area::Addresses], |s| address_label(s, address));
    let me = move || data.session.with(|s| s.as_ref().map(|s| s.member.id));
    let lines = move || {
        let me = me();
        data.with_areas(&[Area::Visits, Area::Team], |s| {
            address_history(s, address)
                .into_iter()
                .map(|entry| match entry {
                    HistoryEntry::Visit {
                        id,
                        visit,
                        retracted,
                        resolved,
                    } => Line::Visit {
                        id: id.to_string(),
                        at_ms: visit.at_ms,
                        outcome: visit.outcome,
                        by: if visit.online {
                            text(i18n.locale(), Key::ViaPage).to_owned()
                        } else {
                            member_name(s, visit.member)
                        },
                        note: visit.note.clone(),
                        retracted,
                        flyer: visit.flyer,
                        visit: id,
                        mine: Some(visit.member) == me,
                        resolved: resolved.map(|r| (r.resolution, member_name(s, r.by))),
                        pledges: visit
                            .pledges
                            .iter()
                            .filter_map(|(p, amount)| {
                                let p = s.projects.get(p)?;
                                Some((
                                    p.title.value.clone(),
                                    *amount,
                                    p.target.value.map(|t| t.unit),
                                ))
                            })
                            .collect(),
                    },
                    HistoryEntry::Consent {
                        id,
                        consent,
                        withdrawn_at_ms,
                    } => Line::Consent {
                        id,
                        at_ms: consent.given_at_ms,
                        purposes: consent.purposes.iter().copied().collect(),
                        name: consent.name.clone(),
                        contact: [consent.phone.as_str(), consent.email.as_str()]
                            .into_iter()
                            .filter(|c| !c.is_empty())
                            .collect::<Vec<_>>()
                            .join(" · "),
                        withdrawn: withdrawn_at_ms,
                        erased: s
                            .erasures
                            .get(&consent.address)
                            .is_some_and(|e| consent.stamp <= *e),
                    },
                })
                .rev()
                .collect::<Vec<_>>()
        })
    };
    let status = move || {
        views
            .statuses
            .with(|s| s.by_address.get(&address).copied().unwrap_or_default())
    };
    let record = move |payloads: Vec<Payload>, done: Key| {
        let locale = i18n.locale_untracked();
        spawn_local(async move {
            match data.record_many(payloads).await {
                Ok(()) => snackbar.show(text(locale, done).to_owned(), None),
                Err(e) => snackbar.show(error_text(locale, &e), None),
            }
        });
    };
    let undo_visit = move |visit| {
        record(vec![Payload::VisitRetract { visit }], Key::Undone);
    };
    let withdraw = move |consent| {
        record(
            vec![Payload::ConsentWithdraw {
                consent,
                withdrawn_at_ms: data.now_ms(),
            }],
            Key::WithdrawnDone,
        );
    };
    let resolve = move |resolution| {
        let Some(visit) = status().last.map(|l| l.visit) else {
            return;
        };
        record(
            vec![Payload::FollowUpResolve {
                visit,
                resolution: Some(resolution),
            }],
            Key::FollowUpClosed,
        );
    };
    let mark = move |do_not_visit: bool| {
        let previous = status().do_not_visit;
        let locale = i18n.locale_untracked();
        spawn_local(async move {
            let payload = Payload::AddressUpdate {
                address,
                street: None,
                number: None,
                letter: None,
                addition: None,
                postcode: None,
                do_not_visit: Some(do_not_visit),
            };
            match data.record(payload).await {
                Ok(()) => {
                    let undo: Rc<dyn Fn()> = Rc::new(move || {
                        spawn_local(async move {
                            let _ = data
                                .record(Payload::AddressUpdate {
                                    address,
                                    street: None,
                                    number: None,
                                    letter: None,
                                    addition: None,
                                    postcode: None,
                                    do_not_visit: Some(previous),
                                })
                                .await;
                        });
                    });
                    let key = if do_not_visit {
                        Key::MarkDoNotVisit
                    } else {
                        Key::MarkVisitAgain
                    };
                    snackbar.show(text(locale, key).to_owned(), Some(undo));
                }
                Err(e) => snackbar.show(error_text(locale, &e), None),
            }
        });
    };

    // Correcting the address.
    let fields = data.with_areas(&[], |s| {
        s.addresses.get(&address).map(|a| {
            (
                a.street.value.clone(),
                a.number.value.to_string(),
                a.letter.value.clone(),
                a.addition.value.clone(),
                a.postcode.value.clone(),
            )
        })
    });
    let (street, number, letter, addition, postcode) = fields.unwrap_or_default();
    let street = RwSignal::new(street);
    let number = RwSignal::new(number);
    let letter = RwSignal::new(letter);
    let addition = RwSignal::new(addition);
    let postcode = RwSignal::new(postcode);
    let correcting = RwSignal::new(false);
    let correction_error = FormError::new();
    let save_correction = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let locale = i18n.locale_untracked();
        let fail = |field: &str, e: String| correction_error.at(field, e);
        let format = |field: Key| fill(text(locale, Key::ErrFieldFormat), &[text(locale, field)]);
        let (st, le, ad) = (
            street
                .get_untracked()
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" "),
            letter.get_untracked().trim().to_lowercase(),
            addition.get_untracked().trim().to_owned(),
        );
        if st.is_empty() {
            return fail(
                "fix-street",
                fill(
                    text(locale, Key::ErrFieldEmpty),
                    &[text(locale, Key::FieldStreet)],
                ),
            );
        }
        let Some(n) = number
            .get_untracked()
            .trim()
            .parse::<u32>()
            .ok()
            .filter(|n| (1..=99_999).contains(n))
        else {
            return fail(
                "fix-number",
                fill(
                    text(locale, Key::ErrFieldRange),
                    &[text(locale, Key::FieldNumber), "1", "99999"],
                ),
            );
        };
        if !letter_ok(&le) {
            return fail("fix-letter", format(Key::FieldLetter));
        }
        if !addition_ok(&ad) {
            return fail("fix-addition", format(Key::FieldAddition));
        }
        let Some(pc) = normalize_postcode(&postcode.get_untracked()) else {
            return fail("fix-postcode", format(Key::FieldPostcode));
        };
        let key = AddressKey::new(&st, n, &le, &ad, &pc);
        let (current, clash) = data.with_areas(&[], |s| {
            let current = s.addresses.get(&address).cloned();
            let clash = address_index(s)
                .get(&key)
                .copied()
                .filter(|id| *id != address);
            (current, clash)
        });
        if clash.is_some() {
            return fail("", text(locale, Key::AddressThere).to_owned());
        }
        let Some(current) = current else { return };
        let changed = |new: &str, old: &str| (new != old).then(|| new.to_owned());
        let payload = Payload::AddressUpdate {
            address,
            street: changed(&st, &current.street.value),
            number: (n != current.number.value).then_some(n),
            letter: changed(&le, &current.letter.value),
            addition: changed(&ad, &current.addition.value),
            postcode: changed(&pc, &current.postcode.value),
            do_not_visit: None,
        };
        if let Payload::AddressUpdate {
            street: None,
            number: None,
            letter: None,
            addition: None,
            postcode: None,
            ..
        } = payload
        {
            return fail("", text(locale, Key::NoChange).to_owned());
        }
        spawn_local(async move {
            match data.record(payload).await {
                Ok(()) => {
                    correcting.set(false);
                    correction_error.clear();
                    snackbar.show(text(locale, Key::Corrected).to_owned(), None);
                }
                Err(e) => correction_error.at("", error_text(locale, &e)),
            }
        });
    };

    // Erasing the resident's data: what goes, asked once.
    let erasing = RwSignal::new(false);
    let counts = move || {
        data.with_areas(&[Area::Visits], |s| {
            let contacts = s
                .consents
                .values()
                .filter(|c| {
                    c.address == address
                        && !(c.name.is_empty() && c.phone.is_empty() && c.email.is_empty())
                })
                .count();
            let notes = s
                .history_of(address)
                .filter(|(_, v, _)| !v.note.is_empty())
                .count();
            (contacts, notes)
        })
    };
    let erase = move |_| {
        erasing.set(false);
        record(vec![Payload::EraseResident { address }], Key::Erased);
    };

    let sheet = RwSignal::new(false);
    let router = Router::current();
    view! {
        <BackToList/>
        <Show
            when=live
            fallback=move || view! { <h1>{label}</h1><p class="empty-state">{i18n.t(Key::AddressGone)}</p> }
        >
            <h1>{label}</h1>
            <div class="toolbar">
                <button type="button" class="button" on:click=move |_| sheet.set(true)>
                    {i18n.t(Key::LogVisit)}
                </button>
                <a class="button secondary" href=Page::Guide.path() on:click=move |ev| {
                    ev.prevent_default();
                    router.navigate(Page::Guide);
                }>
                    {i18n.t(Key::GuideLink)}
                </a>
                <button
                    type="button"
                    class="button secondary"
                    on:click=move |_| mark(!status().do_not_visit)
                >
                    {move || i18n.t(if status().do_not_visit { Key::MarkVisitAgain } else { Key::MarkDoNotVisit })()}
                </button>
            </div>
            {move || {
                let st = status();
                st.follow_up.map(|f| {
                    let locale = i18n.locale();
                    let when = f.date.map_or_else(|| text(locale, Key::AsSoonAsPossible).to_owned(), |d| date(locale, d));
                    view! {
                        <section class="card follow-up">
                            <p>{fill(text(locale, Key::OpenFollowUp), &[text(locale, words::follow_up(f.kind)), &when])}</p>
                            <div class="inline">
                                <button type="button" class="button" on:click=move |_| resolve(buurtbel_core::domain::Resolution::Done)>
                                    {text(locale, Key::FollowUpDone)}
                                </button>
                                <button type="button" class="button secondary" on:click=move |_| resolve(buurtbel_core::domain::Resolution::Cancelled)>
                                    {text(locale, Key::FollowUpCancel)}
                                </button>
                            </div>
                        </section>
                    }
                })
            }}
            <h2>{i18n.t(Key::HistoryTitle)}</h2>
            <ul class="history">
                {move || {
                    let lines = lines();
                    if lines.is_empty() {
                        return view! { <li class="muted">{i18n.t(Key::NoVisits)}</li> }.into_any();
                    }
                    lines
                        .into_iter()
                        .map(|line| match line {
                            Line::Visit { id, at_ms, outcome, by, note, retracted, flyer, visit, mine, resolved, pledges } => {
                                view! {
                                    <li class="history-visit" class:retracted=retracted data-visit=id>
                                        <span class="chip" data-outcome=outcome_class(outcome)>
                                            {move || text(i18n.locale(), words::outcome(outcome))}
                                        </span>
                                        <span class="history-when">
                                            {move || fill(text(i18n.locale(), Key::VisitBy), &[&day_and_time(i18n.locale(), at_ms), &by])}
                                        </span>
                                        {flyer.then(|| view! { <span class="history-mark">{move || text(i18n.locale(), Key::FlyerMark)}</span> })}
                                        {retracted.then(|| view! { <span class="history-mark">{move || text(i18n.locale(), Key::RetractedMark)}</span> })}
                                        {(!note.is_empty()).then(|| view! { <p class="history-note">{note.clone()}</p> })}
                                        {pledges.into_iter().map(|(title, amount, unit)| view! {
                                            <p class="history-pledge">
                                                {move || {
                                                    let locale = i18n.locale();
                                                    let unit = unit.map(|u| format!(" {}", text(locale, words::unit(u)))).unwrap_or_default();
                                                    format!("{}: {amount}{unit} ({title})", text(locale, Key::FieldPledge))
                                                }}
                                            </p>
                                        }).collect_view()}
                                        {resolved.map(|(how, who)| {
                                            let key = match how {
                                                buurtbel_core::domain::Resolution::Done => Key::ResolvedDone,
                                                buurtbel_core::domain::Resolution::Cancelled => Key::ResolvedCancelled,
                                            };
                                            view! { <p class="muted">{move || fill(text(i18n.locale(), key), &[&who])}</p> }
                                        })}
                                        {(mine && !retracted).then(|| view! {
                                            <button
                                                type="button"
                                                class="button secondary small"
                                                aria-label=move || {
                                                    let locale = i18n.locale();
                                                    fill(text(locale, Key::UndoVisit), &[text(locale, words::outcome(outcome)), &day_and_time(locale, at_ms)])
                                                }
                                                on:click=move |_| undo_visit(visit)
                                            >
                                                {move || text(i18n.locale(), Key::Undo)}
                                            </button>
                                        })}
                                    </li>
                                }
                                .into_any()
                            }
                            Line::Consent { id, at_ms, purposes, name, contact, withdrawn, erased } => {
                                let ended = if erased { Key::ErasedConsent } else { Key::WithdrawnAt };
                                let purposes = move || {
                                    purposes.iter().map(|p| text(i18n.locale(), words::purpose(*p))).collect::<Vec<_>>().join(", ")
                                };
                                view! {
                                    <li class="history-consent">
                                        <strong>{move || text(i18n.locale(), Key::ConsentsTitle)}</strong>
                                        " · "
                                        {move || day(i18n.locale(), at_ms)}
                                        <p>{purposes}</p>
                                        {(!name.is_empty() || !contact.is_empty()).then(|| view! { <p>{format!("{name} {contact}")}</p> })}
                                        {match withdrawn {
                                            Some(at) => view! { <p class="muted">{move || fill(text(i18n.locale(), ended), &[&day(i18n.locale(), at)])}</p> }.into_any(),
                                            None => view! {
                                                <button type="button" class="button secondary small" on:click=move |_| withdraw(id)>
                                                    {move || text(i18n.locale(), Key::Withdraw)}
                                                </button>
                                            }
                                            .into_any(),
                                        }}
                                    </li>
                                }
                                .into_any()
                            }
                        })
                        .collect_view()
                        .into_any()
                }}
            </ul>
            <h2>{i18n.t(Key::CorrectAddress)}</h2>
            <Show
                when=move || correcting.get()
                fallback=move || view! {
                    <button type="button" class="button secondary" on:click=move |_| correcting.set(true)>
                        {i18n.t(Key::CorrectAddress)}
                    </button>
                }
            >
                <form class="card" on:submit=save_correction novalidate>
                    {TextField::new("fix-street", Key::FieldStreet).max("200").errors(correction_error).bind(street)}
                    {TextField::new("fix-number", Key::FieldNumber).max("5").errors(correction_error).bind(number)}
                    {TextField::new("fix-letter", Key::FieldLetter).max("1").errors(correction_error).bind(letter)}
                    {TextField::new("fix-addition", Key::FieldAddition).max("4").errors(correction_error).bind(addition)}
                    {TextField::new("fix-postcode", Key::FieldPostcode).max("7").errors(correction_error).bind(postcode)}
                    {correction_error.view()}
                    <div class="inline">
                        <button type="submit" class="button">{i18n.t(Key::SaveCorrection)}</button>
                        <button type="button" class="button secondary" on:click=move |_| correcting.set(false)>
                            {i18n.t(Key::Cancel)}
                        </button>
                    </div>
                </form>
            </Show>
            <h2>{i18n.t(Key::PrivacyTitle)}</h2>
            <Show
                when=move || erasing.get()
                fallback=move || view! {
                    <button type="button" class="button danger" on:click=move |_| erasing.set(true)>
                        {i18n.t(Key::EraseResident)}
                    </button>
                }
            >
                <section class="card confirm" role="alertdialog" aria-labelledby="erase-what">
                    <p id="erase-what">
                        {move || {
                            let (contacts, notes) = counts();
                            fill(text(i18n.locale(), Key::EraseConfirm), &[&contacts.to_string(), &notes.to_string()])
                        }}
                    </p>
                    <div class="inline">
                        <button type="button" class="button danger" on:click=erase>{i18n.t(Key::EraseYes)}</button>
                        <button type="button" class="button secondary" on:click=move |_| erasing.set(false)>
                            {i18n.t(Key::EraseNo)}
                        </button>
                    </div>
                </section>
            </Show>
        </Show>
        {move || sheet.get().then(|| view! { <VisitSheet address=address on_close=Callback::new(move |()| sheet.set(false))/> })}
    }
    .into_any()
}
