//! The walk list: the team's doors in walking order, street by street, each with the outcome
//! of its last visit; "niet thuis" in one tap, for several doors at once too; a tap on a door
//! opens the visit sheet. Only the rows on screen are rendered, so 5,000 addresses scroll as
//! smoothly as fifty.

use std::collections::BTreeMap;
use std::rc::Rc;

use buurtbel_core::domain::Outcome;
use buurtbel_core::ids::{AddressId, VisitId};
use buurtbel_core::op::{Area, Payload, VisitLog};
use buurtbel_core::views::{AddressStatus, street_key};
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::components::visit_sheet::{NewVisit, log_visit, outcome_class};
use crate::components::{PageHeader, Snackbar, VisitSheet, address_label, house_label};
use crate::data::{Data, Views, error_text};
use crate::i18n::{I18n, Key, day, fill, text, words};
use crate::routing::{Page, Router};
use crate::sync_loop::random_bytes;

/// Height of a street header, in pixels (the CSS gives it this height).
const HEADER_PX: u32 = 48;
/// Height of a door's row, in pixels.
const ROW_PX: u32 = 72;
/// Rows rendered beyond the screen, above and below, so a fast scroll shows no gap.
const OVERSCAN_PX: f64 = 600.0;
/// Height of the app bar, under which the current street's header stays.
const APP_BAR_PX: f64 = 56.0;

/// Which doors the list shows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Filter {
    All,
    NotVisited,
    NotHome,
    Interested,
    FollowUp,
    Mine,
}

impl Filter {
    // "Mijn straten" first: the list opens on it for whoever walks a street, and the chip
    // that is on must be in sight on a phone.
    const ALL: [Filter; 6] = [
        Filter::Mine,
        Filter::All,
        Filter::NotVisited,
        Filter::NotHome,
        Filter::Interested,
        Filter::FollowUp,
    ];

    fn key(self) -> Key {
        match self {
            Filter::All => Key::FilterAll,
            Filter::NotVisited => Key::FilterNotVisited,
            Filter::NotHome => Key::FilterNotHome,
            Filter::Interested => Key::FilterInterested,
            Filter::FollowUp => Key::FilterFollowUp,
            Filter::Mine => Key::FilterMine,
        }
    }

    /// `mine`: the door is on a side of a street the user walks.
    fn keeps(self, status: &AddressStatus, mine: bool, today: chrono::NaiveDate) -> bool {
        let last = status.last.map(|l| l.outcome);
        match self {
            Filter::All => true,
            Filter::NotVisited => status.visits == 0 && !status.do_not_visit,
            Filter::NotHome => last == Some(Outcome::NotHome),
            Filter::Interested => matches!(last, Some(Outcome::Interested | Outcome::Joins)),
            Filter::FollowUp => due(status, today),
            Filter::Mine => mine,
        }
    }
}

/// Whether a door's follow-up is due today or before (or has no date).
fn due(status: &AddressStatus, today: chrono::NaiveDate) -> bool {
    status
        .follow_up
        .is_some_and(|f| f.date.is_none_or(|d| d <= today))
}

/// One line of the list.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Item {
    /// The header of one side of a street, with the doors there not visited yet.
    Street {
        key: String,
        name: String,
        odd: bool,
        left: usize,
    },
    /// A door.
    Door(AddressId),
}

/// The list as laid out: its lines, where each starts, and the total height.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
struct Layout {
    items: Vec<Item>,
    tops: Vec<u32>,
    height: u32,
    /// The streets, in walking order: key and name.
    streets: Vec<(String, String)>,
}

/// Remembered while the app runs, so coming back from a door's page finds the list as it was.
#[derive(Clone, Copy, Debug)]
pub struct WalkState {
    /// The filter chosen; none yet: "my streets" for whoever walks some, else all.
    filter: RwSignal<Option<Filter>>,
    street: RwSignal<String>,
    scroll: RwSignal<f64>,
}

impl WalkState {
    /// Makes the walk list's state available to every page below (the app provides it once).
    pub fn provide() {
        provide_context(WalkState {
            filter: RwSignal::new(None),
            street: RwSignal::new(String::new()),
            scroll: RwSignal::new(0.0),
        });
    }

    /// The street the walk list shows ("" for all), shared with the paper list.
    pub(super) fn street() -> RwSignal<String> {
        WalkState::current().street
    }

    fn current() -> WalkState {
        use_context::<WalkState>().unwrap_or_else(|| {
            WalkState::provide();
            expect_context::<WalkState>()
        })
    }
}

/// Whether the signed-in member walks a side of some street (tracked).
pub(super) fn walks_some(data: Data) -> bool {
    let me = data.session.with(|s| s.as_ref().map(|s| s.member.id));
    data.with_areas(&[Area::Addresses], |s| {
        me.is_some_and(|me| !s.sides_walked_by(me).is_empty())
    })
}

/// "Lindelaan · oneven · nog 12 te gaan": short enough for a long street name on a phone.
pub(crate) fn side_header(
    locale: crate::i18n::Locale,
    street: &str,
    odd: bool,
    left: usize,
) -> String {
    let side = text(locale, if odd { Key::SideOdd } else { Key::SideEven });
    fill(
        text(locale, Key::DoorsLeft),
        &[street, side, &left.to_string()],
    )
}

/// The visits of `doors` (each with its outcome, all at `at_ms`) as operations, with their ids.
pub(super) fn visit_payloads(
    doors: &[(AddressId, Outcome)],
    at_ms: u64,
    now: u64,
) -> (Vec<VisitId>, Vec<Payload>) {
    doors
        .iter()
        .map(|(address, outcome)| {
            let visit = VisitId::new_v7(now, random_bytes());
            let payload = Payload::VisitLog(VisitLog {
                visit,
                address: *address,
                at_ms,
                outcome: *outcome,
                interests: BTreeMap::new(),
                pledges: BTreeMap::new(),
                join_team: None,
                note: String::new(),
                follow_up: None,
                flyer: false,
                online: false,
            });
            (visit, payload)
        })
        .unzip()
}

/// Records several visits in one batch and offers to undo them all; the snackbar says
/// `message`. `done` hears whether they were recorded.
pub(super) fn record_visits(
    data: Data,
    snackbar: Snackbar,
    locale: crate::i18n::Locale,
    (visits, payloads): (Vec<VisitId>, Vec<Payload>),
    message: String,
    done: Box<dyn FnOnce(bool)>,
) {
    spawn_local(async move {
        match data.record_many(payloads).await {
            Ok(()) => {
                let undo: Rc<dyn Fn()> = Rc::new(move || {
                    let undo = visits
                        .iter()
                        .map(|visit| Payload::VisitRetract { visit: *visit })
                        .collect();
                    spawn_local(async move {
                        if data.record_many(undo).await.is_ok() {
                            snackbar.show(text(locale, Key::Undone).to_owned(), None);
                        }
                    });
                });
                snackbar.show(message, Some(undo));
                done(true);
            }
            Err(e) => {
                snackbar.show(error_text(locale, &e), None);
                done(false);
            }
        }
    });
}

/// Logs "niet thuis" at `doors` at once and offers to undo it.
fn not_home(data: Data, snackbar: Snackbar, locale: crate::i18n::Locale, doors: Vec<AddressId>) {
    let now = data.now_ms();
    let outcomes: Vec<(AddressId, Outcome)> =
        doors.iter().map(|a| (*a, Outcome::NotHome)).collect();
    let (visits, payloads) = visit_payloads(&outcomes, now, now);
    if let ([address], [visit]) = (&doors[..], &visits[..]) {
        let label = data.with_areas(&[], |s| address_label(s, *address));
        let new = NewVisit {
            payloads,
            visit: *visit,
            consent: None,
            message: fill(text(locale, Key::NotHomeLogged), &[&label]),
        };
        log_visit(data, snackbar, locale, new, move |r| {
            if let Err(e) = r {
                snackbar.show(e, None);
            }
        });
        return;
    }
    let message = fill(text(locale, Key::BulkLogged), &[&doors.len().to_string()]);
    record_visits(
        data,
        snackbar,
        locale,
        (visits, payloads),
        message,
        Box::new(|_| {}),
    );
}

#[component]
pub fn WalkPage() -> impl IntoView {
    let i18n = I18n::current();
    let (Some(data), Some(views)) = (Data::current(), Views::current()) else {
        return view! { <PageHeader title=Key::NavWalk intro=Key::WalkIntro/> }.into_any();
    };
    let router = Router::current();
    let snackbar = Snackbar::current();
    let state = WalkState::current();
    let me = move || data.session.with(|s| s.as_ref().map(|s| s.member.id));
    let today = data.today();
    let walks_some = move || walks_some(data);
    let filter = move || {
        state.filter.get().unwrap_or(if walks_some() {
            Filter::Mine
        } else {
            Filter::All
        })
    };

    let layout = Memo::new(move |_| {
        let filter = filter();
        let street = state.street.get();
        let me = me();
        views.walk_order.with(|order| {
            views.statuses.with(|statuses| {
                data.with_areas(&[Area::Addresses], |s| {
                    let my_sides = me.map(|me| s.sides_walked_by(me)).unwrap_or_default();
                    let mut layout = Layout::default();
                    let mut y = 0;
                    let mut header: Option<usize> = None;
                    for id in order {
                        let (Some(address), Some(status)) =
                            (s.addresses.get(id), statuses.by_address.get(id))
                        else {
                            continue;
                        };
                        let key = street_key(&address.street.value);
                        if layout.streets.last().is_none_or(|(k, _)| *k != key) {
                            layout
                                .streets
                                .push((key.clone(), address.street.value.trim().to_owned()));
                        }
                        let odd = !address.number.value.is_multiple_of(2);
                        let mine =
                            filter == Filter::Mine && my_sides.contains(&(key.as_str(), odd));
                        if (!street.is_empty() && key != street)
                            || !filter.keeps(status, mine, today)
                        {
                            continue;
                        }
                        let new_side = match header.map(|h| &layout.items[h]) {
                            Some(Item::Street { key: k, odd: o, .. }) => *k != key || *o != odd,
                            _ => true,
                        };
                        if new_side {
                            header = Some(layout.items.len());
                            layout.items.push(Item::Street {
                                key: key.clone(),
                                name: address.street.value.trim().to_owned(),
                                odd,
                                left: 0,
                            });
                            layout.tops.push(y);
                            y += HEADER_PX;
                        }
                        if status.visits == 0
                            && !status.do_not_visit
                            && let Some(Item::Street { left, .. }) =
                                header.and_then(|h| layout.items.get_mut(h))
                        {
                            *left += 1;
                        }
                        layout.items.push(Item::Door(*id));
                        layout.tops.push(y);
                        y += ROW_PX;
                    }
                    layout.height = y;
                    layout
                })
            })
        })
    });

    // Which part of the list is on screen: the list's top relative to the window, and the
    // window's height, followed on scroll and resize (once per frame at most).
    let list = NodeRef::<leptos::html::Div>::new();
    let window_top = RwSignal::new(0.0f64);
    let window_height = RwSignal::new(
        window()
            .inner_height()
            .ok()
            .and_then(|h| h.as_f64())
            .unwrap_or(800.0),
    );
    let measure = move || {
        if let Some(el) = list.get_untracked() {
            let rect = el.get_bounding_client_rect();
            window_top.set(-rect.top());
            window_height.set(
                window()
                    .inner_height()
                    .ok()
                    .and_then(|h| h.as_f64())
                    .unwrap_or(800.0),
            );
            state.scroll.set(window().scroll_y().unwrap_or(0.0));
        }
    };
    let pending = StoredValue::new(false);
    let on_scroll = move || {
        if pending.get_value() {
            return;
        }
        pending.set_value(true);
        let frame = wasm_bindgen::closure::Closure::once_into_js(move || {
            pending.set_value(false);
            measure();
        });
        let _ = window().request_animation_frame(wasm_bindgen::JsCast::unchecked_ref(&frame));
    };
    let scroll = window_event_listener(leptos::ev::scroll, move |_| on_scroll());
    let resize = window_event_listener(leptos::ev::resize, move |_| on_scroll());
    on_cleanup(move || {
        scroll.remove();
        resize.remove();
    });
    // Once laid out: back where the list was, then measure.
    Effect::new(move |first: Option<()>| {
        layout.track();
        if first.is_none() {
            let y = state.scroll.get_untracked();
            if y > 0.0 {
                window().scroll_to_with_x_and_y(0.0, y);
            }
        }
        measure();
    });

    let visible = Memo::new(move |_| {
        let (top, height) = (window_top.get(), window_height.get());
        layout.with(|l| {
            let from = (top - OVERSCAN_PX).max(0.0) as u32;
            let to = (top + height + OVERSCAN_PX).max(0.0) as u32;
            let first = l.tops.partition_point(|t| *t + ROW_PX <= from);
            let last = l.tops.partition_point(|t| *t < to);
            (first..last)
                .map(|i| (l.items[i].clone(), l.tops[i]))
                .collect::<Vec<_>>()
        })
    });

    let selecting = RwSignal::new(false);
    let selected: RwSignal<Vec<AddressId>> = RwSignal::new(Vec::new());
    let sheet: RwSignal<Option<AddressId>> = RwSignal::new(None);

    let tap_door = move |id: AddressId| {
        if selecting.get_untracked() {
            selected.update(|s| {
                if let Some(i) = s.iter().position(|x| *x == id) {
                    s.remove(i);
                } else {
                    s.push(id);
                }
            });
        } else {
            sheet.set(Some(id));
        }
    };

    let jump = RwSignal::new(String::new());
    let jump_error = RwSignal::new(None::<String>);
    let on_jump = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let typed = jump.get_untracked();
        let wanted = typed.trim();
        let found = data.with_areas(&[], |s| {
            layout.with_untracked(|l| {
                l.items
                    .iter()
                    .zip(&l.tops)
                    .find_map(|(item, top)| match item {
                        Item::Door(id) => s
                            .addresses
                            .get(id)
                            .filter(|a| {
                                a.number.value.to_string() == wanted || house_label(a) == wanted
                            })
                            .map(|_| *top),
                        Item::Street { .. } => None,
                    })
            })
        });
        match (found, list.get_untracked()) {
            (Some(top), Some(el)) => {
                jump_error.set(None);
                let list_top =
                    el.get_bounding_client_rect().top() + window().scroll_y().unwrap_or(0.0);
                // Below the app bar and the street's header.
                window().scroll_to_with_x_and_y(0.0, list_top + f64::from(top) - 120.0);
            }
            _ => jump_error.set(Some(fill(
                text(i18n.locale_untracked(), Key::JumpNotFound),
                &[wanted],
            ))),
        }
    };

    let due_count = move || views.follow_ups.with(|f| f.overdue.len() + f.today.len());
    let empty = move || views.walk_order.with(Vec::is_empty);

    let row = move |id: AddressId| {
        let status = Signal::derive(move || {
            views
                .statuses
                .with(|s| s.by_address.get(&id).copied().unwrap_or_default())
        });
        let label = move || {
            data.with_areas(&[Area::Addresses], |s| {
                s.addresses
                    .get(&id)
                    .map(|a| house_label(a))
                    .unwrap_or_default()
            })
        };
        let full_label = move || data.with_areas(&[Area::Addresses], |s| address_label(s, id));
        let status_text = move || {
            let locale = i18n.locale();
            let st = status.get();
            if st.do_not_visit {
                return text(locale, Key::DoNotVisitRow).to_owned();
            }
            match st.last {
                Some(last) => {
                    // The chip's colour still says the outcome; the address page has the rest.
                    let said = text(
                        locale,
                        if last.online {
                            Key::AnsweredOnline
                        } else {
                            words::outcome(last.outcome)
                        },
                    );
                    format!("{said} · {}", day(locale, last.at_ms))
                }
                None => text(locale, Key::NeverVisited).to_owned(),
            }
        };
        let is_selected = move || selected.with(|s| s.contains(&id));
        view! {
            <div class="door" class:door-dnv=move || status.get().do_not_visit class:door-selected=is_selected>
                <button
                    type="button"
                    class="door-open"
                    aria-pressed=move || selecting.get().then(|| is_selected().to_string())
                    aria-label=move || fill(text(i18n.locale(), Key::OpenDoor), &[&full_label(), &status_text()])
                    on:click=move |_| tap_door(id)
                >
                    <Show when=move || selecting.get()>
                        <span class="door-check" aria-hidden="true">{move || if is_selected() { "✓" } else { "" }}</span>
                    </Show>
                    <span class="door-number">{label}</span>
                    <span class="door-status">
                        <span
                            class="chip"
                            data-outcome=move || status.get().last.filter(|_| !status.get().do_not_visit).map(|l| outcome_class(l.outcome))
                        >
                            {status_text}
                        </span>
                        <Show when=move || due(&status.get(), today)>
                            <span class="badge">{i18n.t(Key::FollowUpBadge)}</span>
                        </Show>
                    </span>
                </button>
                <Show when=move || !status.get().do_not_visit && !selecting.get()>
                    <button
                        type="button"
                        class="door-not-home"
                        aria-label=move || fill(text(i18n.locale(), Key::NotHomeAt), &[&full_label()])
                        on:click=move |_| not_home(data, snackbar, i18n.locale_untracked(), vec![id])
                    >
                        {i18n.t(Key::NotHomeButton)}
                    </button>
                </Show>
            </div>
        }
    };

    // The street the top of the screen is in, shown in a header that stays put while its
    // street scrolls by (the list's own headers scroll away with their rows).
    let current_street = Memo::new(move |_| {
        let under_bar = window_top.get() + APP_BAR_PX;
        layout.with(|l| {
            let last = l.tops.partition_point(|t| f64::from(*t) <= under_bar);
            l.items[..last].iter().rev().find_map(|item| match item {
                Item::Street {
                    name, odd, left, ..
                } => Some((name.clone(), *odd, *left)),
                Item::Door(_) => None,
            })
        })
    });
    let add_link = move || {
        view! {
            <a class="button secondary" href=Page::AddAddresses.path() on:click=move |ev| {
                ev.prevent_default();
                router.navigate(Page::AddAddresses);
            }>
                {i18n.t(Key::AddAddresses)}
            </a>
        }
    };

    view! {
        <div class="title-row">
            <h1>{i18n.t(Key::NavWalk)}</h1>
            <Show when=move || !empty()>
                <button
                    type="button"
                    class="button secondary small"
                    aria-pressed=move || selecting.get().to_string()
                    on:click=move |_| {
                        selecting.update(|s| *s = !*s);
                        selected.set(Vec::new());
                    }
                >
                    {move || i18n.t(if selecting.get() { Key::SelectDone } else { Key::Select })()}
                </button>
            </Show>
        </div>
        <Proposals/>
        <Show
            when=move || !empty()
            fallback=move || view! {
                <p class="intro">{i18n.t(Key::WalkIntro)}</p>
                <div class="empty-state">
                    <p>{i18n.t(Key::WalkEmpty)}</p>
                    {add_link()}
                </div>
            }
        >
            <div class="toolbar">
                <a class="button secondary small" href=Page::FollowUps.path() on:click=move |ev| {
                    ev.prevent_default();
                    router.navigate(Page::FollowUps);
                }>
                    {move || fill(text(i18n.locale(), Key::FollowUpsLink), &[&due_count().to_string()])}
                </a>
                <a class="button secondary small" href=Page::AddAddresses.path() on:click=move |ev| {
                    ev.prevent_default();
                    router.navigate(Page::AddAddresses);
                }>
                    {i18n.t(Key::AddAddresses)}
                </a>
                <a class="button secondary small" href=Page::Guide.path() on:click=move |ev| {
                    ev.prevent_default();
                    router.navigate(Page::Guide);
                }>
                    {i18n.t(Key::GuideLink)}
                </a>
                <a class="button secondary small" href=Page::Paper.path() on:click=move |ev| {
                    ev.prevent_default();
                    router.navigate(Page::Paper);
                }>
                    {i18n.t(Key::PaperLink)}
                </a>
            </div>
            <div class="filters" role="group" aria-label=i18n.t(Key::FilterLabel)>
                {Filter::ALL
                    .into_iter()
                    .map(|f| {
                        view! {
                            <button
                                type="button"
                                class="filter"
                                aria-pressed=move || (filter() == f).to_string()
                                on:click=move |_| state.filter.set(Some(f))
                            >
                                {i18n.t(f.key())}
                            </button>
                        }
                    })
                    .collect_view()}
            </div>
            <div class="walk-controls">
                <label class="sr-only" for="walk-street">{i18n.t(Key::StreetLabel)}</label>
                <select id="walk-street" on:change=move |ev| state.street.set(event_target_value(&ev))>
                    <option value="" selected=move || state.street.get().is_empty()>{i18n.t(Key::StreetAll)}</option>
                    <For
                        each=move || layout.with(|l| l.streets.clone())
                        key=|(k, _)| k.clone()
                        children=move |(key, name)| {
                            let k = key.clone();
                            view! { <option value=key selected=move || state.street.get() == k>{name}</option> }
                        }
                    />
                </select>
                <form class="jump" on:submit=on_jump>
                    <label class="sr-only" for="walk-jump">{i18n.t(Key::JumpLabel)}</label>
                    <input
                        id="walk-jump"
                        type="text"
                        inputmode="numeric"
                        enterkeyhint="go"
                        autocomplete="off"
                        placeholder=i18n.t(Key::JumpPlaceholder)
                        prop:value=move || jump.get()
                        on:input=move |ev| jump.set(event_target_value(&ev))
                    />
                    <button type="submit" class="button secondary">{i18n.t(Key::JumpButton)}</button>
                </form>
            </div>
            <p class="form-error" role="alert">{move || jump_error.get()}</p>
            <Show when=move || layout.with(|l| l.items.is_empty())>
                <p class="empty-state">
                    {move || text(i18n.locale(), if filter() == Filter::Mine && !walks_some() { Key::NoStreetsYet } else { Key::NoMatches })}
                </p>
            </Show>
            <div class="street-sticky" aria-hidden="true" class:street-sticky-shown=move || current_street.with(Option::is_some)>
                {move || current_street.get().map(|(name, odd, left)| side_header(i18n.locale(), &name, odd, left))}
            </div>
            <div class="walk-list" node_ref=list style:height=move || format!("{}px", layout.with(|l| l.height))>
                <For
                    each=move || visible.get()
                    // A line is kept while its place and content stay; a door that moved (a
                    // filter, a new street above it) or a street whose count changed is redrawn.
                    key=|(item, top)| match item {
                        Item::Street { key, odd, left, .. } => format!("s:{key}:{odd}:{left}@{top}"),
                        Item::Door(id) => format!("{id}@{top}"),
                    }
                    children=move |(item, top)| {
                        let at = format!("translateY({top}px)");
                        match item {
                            Item::Street { name, odd, left, .. } => view! {
                                <h2 class="street" style:transform=at>
                                    {move || side_header(i18n.locale(), &name, odd, left)}
                                </h2>
                            }
                            .into_any(),
                            Item::Door(id) => view! { <div class="place" style:transform=at>{row(id)}</div> }.into_any(),
                        }
                    }
                />
            </div>
        </Show>
        <Show when=move || selecting.get()>
            <div class="bulk-bar">
                <button
                    type="button"
                    class="button"
                    disabled=move || selected.with(Vec::is_empty)
                    on:click=move |_| {
                        let doors = selected.get_untracked();
                        not_home(data, snackbar, i18n.locale_untracked(), doors);
                        selected.set(Vec::new());
                        selecting.set(false);
                    }
                >
                    {move || fill(text(i18n.locale(), Key::BulkNotHome), &[&selected.with(Vec::len).to_string()])}
                </button>
            </div>
        </Show>
        {move || {
            sheet
                .get()
                .map(|id| view! { <VisitSheet address=id on_close=Callback::new(move |()| sheet.set(None))/> })
        }}
    }
    .into_any()
}

/// One address a resident gave on a project's page that the list lacks.
#[derive(Clone, Debug, PartialEq, Eq)]
struct Proposed {
    id: AddressId,
    label: String,
    postcode: String,
    number: u32,
    letter: String,
    addition: String,
    /// The street of a listed address with the same postcode, as a first guess.
    street: String,
    /// What the resident answered.
    outcome: Option<Outcome>,
    /// A consent with contact details was given there: discarding erases it.
    personal: bool,
}

/// Answers from addresses the walk list lacks: each is put on the list (with its street) and
/// counts from then on, or discarded with what was given there.
#[component]
fn Proposals() -> impl IntoView {
    let i18n = I18n::current();
    let Some(data) = Data::current() else {
        return ().into_any();
    };
    let errors = crate::components::FormError::new();
    let proposed = Memo::new(move |_| {
        data.with_areas(&[Area::Addresses, Area::Visits], |s| {
            buurtbel_core::views::proposals(s)
                .into_iter()
                .map(|(id, p)| {
                    let compact = |c: &str| c.replace(' ', "").to_ascii_uppercase();
                    let street = s
                        .addresses
                        .values()
                        .find(|a| {
                            a.life.is_live() && compact(&a.postcode.value) == compact(&p.postcode)
                        })
                        .map(|a| a.street.value.clone())
                        .unwrap_or_default();
                    let suffix = match (p.letter.is_empty(), p.addition.is_empty()) {
                        (_, true) => p.letter.clone(),
                        (true, false) => format!("-{}", p.addition),
                        (false, false) => format!("{}-{}", p.letter, p.addition),
                    };
                    Proposed {
                        id,
                        label: format!("{} {}{suffix}", p.postcode, p.number),
                        postcode: p.postcode.clone(),
                        number: p.number,
                        letter: p.letter.clone(),
                        addition: p.addition.clone(),
                        street,
                        outcome: s.visits_at(id).last().map(|(_, v)| v.outcome),
                        personal: s.consents.values().any(|c| {
                            c.address == id
                                && !(c.name.is_empty() && c.phone.is_empty() && c.email.is_empty())
                        }),
                    }
                })
                .collect::<Vec<_>>()
        })
    });
    view! {
        <Show when=move || proposed.with(|p| !p.is_empty())>
            <section class="card proposals">
                <h2>{i18n.t(Key::ProposalsTitle)}</h2>
                <p class="muted">{i18n.t(Key::ProposalsIntro)}</p>
                {errors.view()}
                <For each=move || proposed.get() key=|p| p.id let:p>
                    {
                        let field = format!("street-{}", p.id);
                        let street = RwSignal::new(p.street.clone());
                        let label = p.label.clone();
                        let named = p.label.clone();
                        let add = p.clone();
                        let (id, personal) = (p.id, p.personal);
                        view! {
                            <div class="proposal">
                                <p>
                                    <strong>{label.clone()}</strong>
                                    {p.outcome.map(|o| view! { " · " {move || text(i18n.locale(), words::outcome(o))} })}
                                </p>
                                <div class="field">
                                    <label for=field.clone()>{move || fill(text(i18n.locale(), Key::ProposalStreet), &[&label])}</label>
                                    <input id=field type="text" maxlength="200" prop:value=move || street.get() on:input=move |ev| street.set(event_target_value(&ev))/>
                                </div>
                                <div class="actions">
                                    <button type="button" class="button small" aria-label=format!("{}: {named}", i18n.t(Key::ProposalAdd)()) on:click=move |_| {
                                        errors.record_soon(data, vec![Payload::AddressAdd {
                                            address: add.id,
                                            street: street.get_untracked().trim().to_owned(),
                                            number: add.number,
                                            letter: add.letter.clone(),
                                            addition: add.addition.clone(),
                                            postcode: add.postcode.clone(),
                                        }]);
                                    }>{i18n.t(Key::ProposalAdd)}</button>
                                    <button type="button" class="button secondary small" aria-label=format!("{}: {named}", i18n.t(Key::ProposalDiscard)()) on:click=move |_| {
                                        let mut payloads = vec![Payload::AddressRemove { address: id }];
                                        if personal {
                                            payloads.push(Payload::EraseResident { address: id });
                                        }
                                        errors.record_soon(data, payloads);
                                    }>{i18n.t(Key::ProposalDiscard)}</button>
                                </div>
                            </div>
                        }
                    }
                </For>
            </section>
        </Show>
    }
    .into_any()
}
