//! Follow-ups: who asked to be visited again, called or brought information, by when: overdue,
//! today, this week, later. Each is closed as done or not needed with one tap.

use buurtbel_core::domain::Resolution;
use buurtbel_core::op::{Area, Payload};
use buurtbel_core::views::FollowUpDue;
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::components::{BackToList, PageHeader, Snackbar, address_label, member_name};
use crate::data::{Data, Views, error_text};
use crate::i18n::{I18n, Key, date, fill, text, words};
use crate::routing::{Page, Router};

#[component]
pub fn FollowUpsPage() -> impl IntoView {
    let i18n = I18n::current();
    let router = Router::current();
    let snackbar = Snackbar::current();
    let (Some(data), Some(views)) = (Data::current(), Views::current()) else {
        return ().into_any();
    };
    let resolve = move |visit, resolution| {
        let locale = i18n.locale_untracked();
        spawn_local(async move {
            let payload = Payload::FollowUpResolve {
                visit,
                resolution: Some(resolution),
            };
            match data.record(payload).await {
                Ok(()) => {
                    let undo: std::rc::Rc<dyn Fn()> = std::rc::Rc::new(move || {
                        spawn_local(async move {
                            let _ = data
                                .record(Payload::FollowUpResolve {
                                    visit,
                                    resolution: None,
                                })
                                .await;
                        });
                    });
                    snackbar.show(text(locale, Key::FollowUpClosed).to_owned(), Some(undo));
                }
                Err(e) => snackbar.show(error_text(locale, &e), None),
            }
        });
    };
    let section =
        move |title: Key, pick: fn(&buurtbel_core::views::FollowUps) -> Vec<FollowUpDue>| {
            let items = move || views.follow_ups.with(pick);
            view! {
                <Show when=move || !items().is_empty()>
                    <h2>{i18n.t(title)}</h2>
                    <ul class="follow-ups">
                        <For
                            each=items
                            key=|f| (f.visit, f.date)
                            children=move |f| {
                                let (address, visit) = (f.address, f.visit);
                                let label = move || data.with_areas(&[Area::Addresses], |s| address_label(s, address));
                                let who = move || data.with_areas(&[Area::Team], |s| member_name(s, f.member));
                                let what = move || {
                                    let locale = i18n.locale();
                                    let when = f.date.map_or_else(|| text(locale, Key::AsSoonAsPossible).to_owned(), |d| date(locale, d));
                                    format!("{} · {} · {}", text(locale, words::follow_up(f.kind)), when, fill(text(locale, Key::LoggedBy), &[&who()]))
                                };
                                view! {
                                    <li class="follow-up-item">
                                        <a href=Page::Address(address).path() on:click=move |ev| {
                                            ev.prevent_default();
                                            router.navigate(Page::Address(address));
                                        }>{label}</a>
                                        <p>{what}</p>
                                        <div class="inline">
                                            <button type="button" class="button" on:click=move |_| resolve(visit, Resolution::Done)>
                                                {i18n.t(Key::FollowUpDone)}
                                            </button>
                                            <button type="button" class="button secondary" on:click=move |_| resolve(visit, Resolution::Cancelled)>
                                                {i18n.t(Key::FollowUpCancel)}
                                            </button>
                                        </div>
                                    </li>
                                }
                            }
                        />
                    </ul>
                </Show>
            }
        };
    view! {
        <BackToList/>
        <PageHeader title=Key::FollowUpsTitle intro=Key::FollowUpsIntro/>
        <Show when=move || views.follow_ups.with(|f| f.is_empty())>
            <p class="empty-state">{i18n.t(Key::FollowUpsEmpty)}</p>
        </Show>
        {section(Key::Overdue, |f| f.overdue.clone())}
        {section(Key::DueToday, |f| f.today.clone())}
        {section(Key::DueThisWeek, |f| f.this_week.clone())}
        {section(Key::DueLater, |f| f.later.clone())}
    }
    .into_any()
}
