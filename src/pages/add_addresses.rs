//! Adding addresses: one by hand, a street or range of house numbers, or a CSV file. Every way
//! shows what will be added first: new addresses, those already on the list or twice in the
//! file, and every line that cannot be read with its number and reason. The good ones are added
//! in one batch: all of them or none.

use buurtbel_core::ids::AddressId;
use buurtbel_core::op::{Area, Payload};
use buurtbel_core::views::address_index;
use leptos::prelude::*;
use leptos::task::spawn_local;
use wasm_bindgen::JsCast;

use crate::components::{BackToList, FormError, PageHeader, Snackbar, TextField};
use crate::data::{Data, error_text};
use crate::drafts;
use crate::i18n::{I18n, Key, Locale, counted, fill, text};
use crate::import::{
    Column, FileError, HouseNumber, LineProblem, NewAddress, Plan, RangeError, addition_ok,
    letter_ok, normalize_postcode, parse_range, plan, read_file,
};
use crate::routing::{Page, Router};
use crate::sync_loop::random_bytes;

fn range_error(locale: Locale, e: &RangeError) -> String {
    match e {
        RangeError::Empty => text(locale, Key::RangeEmpty).to_owned(),
        RangeError::NotUnderstood(part) => fill(text(locale, Key::RangeNotUnderstood), &[part]),
        RangeError::BadLetters(part) => fill(text(locale, Key::RangeBadLetters), &[part]),
        RangeError::TooMany(n) => fill(text(locale, Key::RangeTooMany), &[&n.to_string()]),
    }
}

fn column_name(c: Column) -> &'static str {
    match c {
        Column::Street => "straat",
        Column::Number => "huisnummer",
        Column::Letter => "huisletter",
        Column::Addition => "toevoeging",
        Column::Postcode => "postcode",
    }
}

fn file_error(locale: Locale, e: &FileError) -> String {
    match e {
        FileError::Empty => text(locale, Key::FileEmpty).to_owned(),
        FileError::MissingColumns(columns) => {
            let names: Vec<&str> = columns.iter().map(|c| column_name(*c)).collect();
            fill(text(locale, Key::FileMissing), &[&names.join(", ")])
        }
        FileError::TooLong(n) => fill(text(locale, Key::FileTooLong), &[&n.to_string()]),
    }
}

fn line_problem(locale: Locale, p: &LineProblem) -> String {
    let t = |k| text(locale, k);
    match p {
        LineProblem::NoStreet => t(Key::LineNoStreet).to_owned(),
        LineProblem::NoNumber => t(Key::LineNoNumber).to_owned(),
        LineProblem::BadNumber(v) => fill(t(Key::LineBadNumber), &[v]),
        LineProblem::BadLetter(v) => fill(t(Key::LineBadLetter), &[v]),
        LineProblem::BadAddition(v) => fill(t(Key::LineBadAddition), &[v]),
        LineProblem::BadPostcode(v) => fill(t(Key::LineBadPostcode), &[v]),
        LineProblem::TooFewFields => t(Key::LineTooFewFields).to_owned(),
    }
}

fn shown(a: &NewAddress) -> String {
    format!("{} {}", a.street, a.house)
}

/// What a preview shows: the plan, and the lines that could not be read.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
struct Preview {
    plan: Plan,
    bad: Vec<(usize, LineProblem)>,
}

#[component]
pub fn AddAddressesPage() -> impl IntoView {
    let i18n = I18n::current();
    let router = Router::current();
    let snackbar = Snackbar::current();
    let Some(data) = Data::current() else {
        return ().into_any();
    };
    let existing = move || data.with_areas(&[Area::Addresses], address_index);

    let street = drafts::text("add.street".into());
    let numbers = drafts::text("add.numbers".into());
    let postcode = drafts::text("add.postcode".into());
    let letter = drafts::text("add.letter".into());
    let addition = drafts::text("add.addition".into());
    let form_error = FormError::new();
    let there = RwSignal::new(None::<AddressId>);
    let preview: RwSignal<Option<Preview>> = RwSignal::new(None);
    let busy = RwSignal::new(false);

    // The form: a single number with letter and addition, or a range in the numbers field.
    let preview_form = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let locale = i18n.locale_untracked();
        there.set(None);
        let fail = |field: &'static str, e: String| {
            form_error.at(field, e);
            preview.set(None);
        };
        let st = street
            .get_untracked()
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ");
        if st.is_empty() {
            return fail(
                "add-street",
                fill(
                    text(locale, Key::ErrFieldEmpty),
                    &[text(locale, Key::FieldStreet)],
                ),
            );
        }
        let Some(pc) = normalize_postcode(&postcode.get_untracked()) else {
            return fail(
                "add-postcode",
                fill(
                    text(locale, Key::ErrFieldFormat),
                    &[text(locale, Key::FieldPostcode)],
                ),
            );
        };
        let houses = match parse_range(&numbers.get_untracked()) {
            Ok(houses) => houses,
            Err(e) => return fail("add-numbers", range_error(locale, &e)),
        };
        let (le, ad) = (
            letter.get_untracked().trim().to_lowercase(),
            addition.get_untracked().trim().to_owned(),
        );
        let houses: Vec<HouseNumber> = if houses.len() == 1 && (!le.is_empty() || !ad.is_empty()) {
            let h = &houses[0];
            vec![HouseNumber {
                number: h.number,
                letter: if le.is_empty() { h.letter.clone() } else { le },
                addition: if ad.is_empty() {
                    h.addition.clone()
                } else {
                    ad
                },
            }]
        } else {
            houses
        };
        let bad_letter = houses.iter().any(|h| !letter_ok(&h.letter));
        let bad_addition = houses.iter().any(|h| !addition_ok(&h.addition));
        if bad_letter {
            return fail(
                "add-letter",
                fill(
                    text(locale, Key::ErrFieldFormat),
                    &[text(locale, Key::FieldLetter)],
                ),
            );
        }
        if bad_addition {
            return fail(
                "add-addition",
                fill(
                    text(locale, Key::ErrFieldFormat),
                    &[text(locale, Key::FieldAddition)],
                ),
            );
        }
        let addresses: Vec<NewAddress> = houses
            .into_iter()
            .map(|house| NewAddress {
                line: 0,
                street: st.clone(),
                house,
                postcode: pc.clone(),
            })
            .collect();
        let p = plan(addresses, &existing());
        if p.add.is_empty() && p.already_there.len() == 1 {
            there.set(Some(p.already_there[0].1));
            return fail("add-numbers", text(locale, Key::AddressThere).to_owned());
        }
        form_error.clear();
        preview.set(Some(Preview {
            plan: p,
            bad: Vec::new(),
        }));
    };

    // A file: read in the browser, never sent anywhere but into the team's data.
    let file_error_text = RwSignal::new(None::<String>);
    let file_name = RwSignal::new(String::new());
    let on_file = move |ev: leptos::ev::Event| {
        let locale = i18n.locale_untracked();
        let file = ev
            .target()
            .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok())
            .and_then(|input| input.files())
            .and_then(|files| files.get(0));
        let Some(file) = file else { return };
        file_name.set(file.name());
        spawn_local(async move {
            let read = wasm_bindgen_futures::JsFuture::from(file.text()).await;
            let Some(content) = read.ok().and_then(|v| v.as_string()) else {
                file_error_text.set(Some(text(locale, Key::FileUnreadable).to_owned()));
                return;
            };
            match read_file(&content) {
                Ok(read) => {
                    file_error_text.set(None);
                    // The preview is the file's now; the form's last complaint no longer applies.
                    form_error.clear();
                    there.set(None);
                    preview.set(Some(Preview {
                        plan: plan(read.addresses, &existing()),
                        bad: read.bad,
                    }));
                    // The preview is drawn below the file's card, off the screen on a phone.
                    request_animation_frame(|| {
                        if let Ok(Some(card)) = document().query_selector(".preview") {
                            card.scroll_into_view();
                        }
                    });
                }
                Err(e) => {
                    preview.set(None);
                    file_error_text.set(Some(file_error(locale, &e)));
                }
            }
        });
    };

    let add = move |_| {
        let Some(p) = preview.get_untracked() else {
            return;
        };
        let locale = i18n.locale_untracked();
        let now = data.now_ms();
        let payloads: Vec<Payload> = p
            .plan
            .add
            .iter()
            .map(|a| Payload::AddressAdd {
                address: AddressId::new_v7(now, random_bytes()),
                street: a.street.clone(),
                number: a.house.number,
                letter: a.house.letter.clone(),
                addition: a.house.addition.clone(),
                postcode: a.postcode.clone(),
            })
            .collect();
        let count = payloads.len();
        busy.set(true);
        spawn_local(async move {
            match data.record_many(payloads).await {
                Ok(()) => {
                    preview.set(None);
                    drafts::clear("add.");
                    snackbar.show(
                        counted(locale, Key::AddedCountOne, Key::AddedCount, count),
                        None,
                    );
                    router.navigate(Page::Walk);
                }
                Err(e) => snackbar.show(error_text(locale, &e), None),
            }
            busy.set(false);
        });
    };

    view! {
        <BackToList/>
        <PageHeader title=Key::AddAddresses intro=Key::AddIntro/>
        <form class="card" on:submit=preview_form novalidate>
            <h2>{i18n.t(Key::RangeTitle)}</h2>
            {TextField::new("add-street", Key::FieldStreet).errors(form_error).bind(street)}
            {TextField::new("add-numbers", Key::RangeLabel).hint(Key::RangeHint).errors(form_error).bind(numbers)}
            {move || there.get().map(|found| view! {
                <p class="already-there">
                    <a class="text-link" href=Page::Address(found).path() on:click=move |ev| {
                        ev.prevent_default();
                        router.navigate(Page::Address(found));
                    }>{i18n.t(Key::ViewIt)}</a>
                </p>
            })}
            <div class="inline">
                {TextField::new("add-letter", Key::FieldLetter).max("1").errors(form_error).bind(letter)}
                {TextField::new("add-addition", Key::FieldAddition).max("4").errors(form_error).bind(addition)}
            </div>
            {TextField::new("add-postcode", Key::FieldPostcode).max("7").errors(form_error).bind(postcode)}
            <button type="submit" class="button secondary">{i18n.t(Key::Preview)}</button>
        </form>
        <section class="card">
            <h2>{i18n.t(Key::FileTitle)}</h2>
            <p class="hint">{i18n.t(Key::FileHint)}</p>
            <div class="file-field">
                <input class="file-input" id="add-file" type="file" accept=".csv,text/csv,text/plain" on:change=on_file/>
                <label class="button secondary" for="add-file">{i18n.t(Key::FileChoose)}</label>
                <span class="file-name">{move || file_name.get()}</span>
            </div>
            <p class="form-error" role="alert">{move || file_error_text.get()}</p>
        </section>
        {move || {
            preview
                .get()
                .map(|p| {
                    let locale = i18n.locale();
                    let n = |k: Key, count: usize| fill(text(locale, k), &[&count.to_string()]);
                    let count = p.plan.add.len();
                    view! {
                        <section class="card preview" aria-live="polite">
                            <h2>{text(locale, Key::Preview)}</h2>
                            <ul class="preview-counts">
                                <li>{n(Key::PreviewNew, count)}</li>
                                <li>{counted(locale, Key::PreviewThereOne, Key::PreviewThere, p.plan.already_there.len())}</li>
                                <li>{n(Key::PreviewTwice, p.plan.twice.len())}</li>
                                <li>{counted(locale, Key::PreviewBadOne, Key::PreviewBad, p.bad.len())}</li>
                            </ul>
                            <p class="preview-sample">
                                {p.plan.add.iter().take(6).map(shown).collect::<Vec<_>>().join(", ")}
                                {(count > 6).then_some(", …")}
                            </p>
                            <div class="inline">
                                <button type="button" class="button" disabled=move || busy.get() || count == 0 on:click=add>
                                    {counted(locale, Key::AddCountOne, Key::AddCount, count)}
                                </button>
                                <button type="button" class="button secondary" on:click=move |_| preview.set(None)>
                                    {text(locale, Key::Cancel)}
                                </button>
                            </div>
                            <ul class="preview-lines">
                                {p.bad
                                    .iter()
                                    .map(|(line, problem)| view! {
                                        <li class="bad-line">{fill(text(locale, Key::LineProblem), &[&line.to_string(), &line_problem(locale, problem)])}</li>
                                    })
                                    .collect_view()}
                                {p.plan
                                    .twice
                                    .iter()
                                    .filter(|(a, _)| a.line > 0)
                                    .map(|(a, first)| view! {
                                        <li>{fill(text(locale, Key::LineTwice), &[&a.line.to_string(), &first.to_string()])}</li>
                                    })
                                    .collect_view()}
                                {p.plan
                                    .already_there
                                    .iter()
                                    .take(50)
                                    .map(|(a, _)| {
                                        let line = if a.line > 0 { a.line.to_string() } else { "·".into() };
                                        view! { <li>{fill(text(locale, Key::LineThere), &[&line, &shown(a)])}</li> }
                                    })
                                    .collect_view()}
                            </ul>
                        </section>
                    }
                })
        }}
    }
    .into_any()
}
