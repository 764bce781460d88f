//! The doorstep guide: per active project an opening in the team's own words, key points, and
//! questions with answers, readable one-handed at the door and searchable, offline like all
//! data. The team's content experts own it; every member may edit it, item by item. Questions
//! nobody could answer at the door wait here for an answer, which can go into the guide. And a
//! project's letterbox flyer, printed on A5.

use buurtbel_core::domain::{GuideKind, Role};
use buurtbel_core::ids::{GuideItemId, ProjectId, QuestionId};
use buurtbel_core::op::{Area, Payload};
use buurtbel_core::state::State;
use buurtbel_core::views::{compare_text, guide_items, open_questions, plan_steps, reorder};
use leptos::prelude::*;

use crate::components::{FormError, PageHeader, address_label, member_name};
use crate::data::Data;
use crate::drafts;
use crate::i18n::{I18n, Key, Locale, date, day, fill, text};
use crate::pages::plan::projects;
use crate::routing::{Page, Router};
use crate::sync_loop::random_bytes;

/// One guide item as shown.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
struct Item {
    id: GuideItemId,
    kind: GuideKind,
    text: String,
    answer: String,
    draft: bool,
}

fn items(state: &State, project: ProjectId) -> Vec<Item> {
    guide_items(state, project)
        .into_iter()
        .filter_map(|(id, g)| {
            Some(Item {
                id,
                kind: g.kind.value?,
                text: g.text.value.clone(),
                answer: g.answer.value.clone(),
                draft: g.draft.value,
            })
        })
        .collect()
}

/// Whether `item` holds every word of `query` (case-insensitive); an empty query holds all.
fn matches(item: &Item, query: &str) -> bool {
    let haystack = format!("{} {}", item.text, item.answer).to_lowercase();
    query
        .to_lowercase()
        .split_whitespace()
        .all(|word| haystack.contains(word))
}

fn kind_key(kind: GuideKind) -> Key {
    match kind {
        GuideKind::Opening => Key::GuideOpening,
        GuideKind::KeyPoint => Key::GuideKeyPoint,
        GuideKind::Question => Key::GuideQuestion,
    }
}

#[component]
pub fn GuidePage() -> impl IntoView {
    let Some(data) = Data::current() else {
        return view! { <PageHeader title=Key::GuideTitle intro=Key::GuideIntro/> }.into_any();
    };
    let i18n = I18n::current();
    let query = drafts::text("guide.search".into());
    let all = Memo::new(move |_| data.with_areas(&[Area::Plan], projects));
    let errors = FormError::new();
    view! {
        <PageHeader title=Key::GuideTitle intro=Key::GuideIntro/>
        <div class="field guide-search">
            <label for="guide-search">{i18n.t(Key::GuideSearch)}</label>
            <input
                id="guide-search"
                type="search"
                autocomplete="off"
                prop:value=move || query.get()
                on:input=move |ev| query.set(event_target_value(&ev))
            />
        </div>
        {errors.view()}
        {move || {
            let list = all.get();
            if list.is_empty() {
                return view! { <p class="empty-state">{i18n.t(Key::PlanEmpty)}</p> }.into_any();
            }
            list.into_iter()
                .map(|(id, title)| view! { <ProjectGuide project=id title query errors/> })
                .collect_view()
                .into_any()
        }}
        <OpenQuestions errors/>
    }
    .into_any()
}

/// One project's guide, and (for editing) its items one by one.
#[component]
fn ProjectGuide(
    project: ProjectId,
    title: String,
    query: RwSignal<String>,
    errors: FormError,
) -> impl IntoView {
    let i18n = I18n::current();
    let data = Data::current().expect("the guide has data");
    let router = Router::current();
    let editing = RwSignal::new(false);
    let list = Memo::new(move |_| data.with_areas(&[Area::Plan], |s| items(s, project)));
    let experts = move || {
        data.with_areas(&[Area::Team], |s| {
            let mut names: Vec<String> = s
                .members
                .iter()
                .filter(|(_, m)| m.life.is_live() && m.roles.value.contains(&Role::Expert))
                .map(|(id, _)| member_name(s, *id))
                .collect();
            buurtbel_core::sort::sort_by(&mut names, |a, b| compare_text(a, b));
            names.join(", ")
        })
    };
    let shown = move || {
        let q = query.get();
        list.get()
            .into_iter()
            .filter(|i| matches(i, &q))
            .collect::<Vec<_>>()
    };
    let searching = move || !query.with(|q| q.trim().is_empty());
    let flyer = Page::Flyer(project);
    view! {
        <section class="card guide" data-project=project.to_string()>
            <h2>{title}</h2>
            <p class="guide-owners">
                {move || {
                    let names = experts();
                    let locale = i18n.locale();
                    if names.is_empty() {
                        text(locale, Key::GuideNoExpert).to_owned()
                    } else {
                        fill(text(locale, Key::GuideOwners), &[&names])
                    }
                }}
            </p>
            <div class="actions no-print">
                <button
                    type="button"
                    class="button secondary small"
                    aria-pressed=move || editing.get().to_string()
                    on:click=move |_| editing.update(|e| *e = !*e)
                >
                    {move || text(i18n.locale(), if editing.get() { Key::GuideDoneEditing } else { Key::GuideEdit })}
                </button>
                <a class="button secondary small" href=flyer.path() on:click=move |ev| {
                    ev.prevent_default();
                    router.navigate(flyer);
                }>
                    {i18n.t(Key::FlyerLink)}
                </a>
            </div>
            {move || {
                let shown = shown();
                if shown.is_empty() {
                    let key = if searching() { Key::GuideNoMatch } else { Key::GuideEmpty };
                    return view! { <p class="muted">{i18n.t(key)}</p> }.into_any();
                }
                let open = searching();
                let edit = editing.get();
                shown
                    .into_iter()
                    .map(|item| {
                        if edit {
                            view! { <EditItem project item errors/> }.into_any()
                        } else {
                            read_item(i18n.locale(), item, open)
                        }
                    })
                    .collect_view()
                    .into_any()
            }}
            <Show when=move || editing.get()>
                <AddItem project errors/>
            </Show>
        </section>
    }
}

/// An item as read at the door: a question folds open to its answer.
#[inline(never)]
fn read_item(locale: Locale, item: Item, open: bool) -> AnyView {
    let draft = item.draft.then(|| {
        view! { <span class="tag draft">{text(locale, Key::GuideDraft)}</span> }
    });
    match item.kind {
        GuideKind::Opening => view! {
            <blockquote class="guide-opening">{item.text}{draft}</blockquote>
        }
        .into_any(),
        GuideKind::KeyPoint => view! {
            <p class="guide-point">{item.text}{draft}</p>
        }
        .into_any(),
        GuideKind::Question => view! {
            <details class="guide-question" open=open>
                <summary>{item.text}{draft}</summary>
                <p>{item.answer}</p>
            </details>
        }
        .into_any(),
    }
}

/// An item while editing: its text (and answer), saved when the field is left; made the team's
/// own (no longer a draft) by an edit; moved within its kind; removed.
#[component]
fn EditItem(project: ProjectId, item: Item, errors: FormError) -> impl IntoView {
    let i18n = I18n::current();
    let data = Data::current().expect("the guide has data");
    let id = item.id;
    let kind = item.kind;
    let update = move |item: GuideItemId,
                       text: Option<String>,
                       answer: Option<String>,
                       order: Option<i64>| {
        let draft = (text.is_some() || answer.is_some()).then_some(false);
        Payload::GuideItemUpdate {
            item,
            text,
            answer,
            order,
            draft,
        }
    };
    let move_by = move |up: bool| {
        let orders: Vec<(GuideItemId, i64)> = data.with_state(|s| {
            guide_items(s, project)
                .into_iter()
                .filter(|(_, g)| g.kind.value == Some(kind))
                .map(|(i, g)| (i, g.order.value))
                .collect()
        });
        let Some(from) = orders.iter().position(|(i, _)| *i == id) else {
            return;
        };
        let to = if up {
            from.saturating_sub(1)
        } else {
            (from + 1).min(orders.len() - 1)
        };
        let values: Vec<i64> = orders.iter().map(|(_, o)| *o).collect();
        let payloads: Vec<Payload> = reorder(&values, from, to)
            .into_iter()
            .map(|(i, order)| update(orders[i].0, None, None, Some(order)))
            .collect();
        if payloads.is_empty() {
            return;
        }
        errors.record_soon(data, payloads);
    };
    let text_id = format!("guide-text-{id}");
    let answer_id = format!("guide-answer-{id}");
    view! {
        <div class="guide-edit" data-kind=format!("{kind:?}")>
            <label for=text_id.clone()>
                {i18n.t(kind_key(kind))}
                {item.draft.then(|| view! { " " <span class="tag draft">{i18n.t(Key::GuideDraft)}</span> })}
            </label>
            <textarea
                id=text_id
                rows="3"
                maxlength="2000"
                prop:value=item.text.clone()
                on:change=move |ev| {
                    let value = event_target_value(&ev);
                    if !value.trim().is_empty() {
                        errors.record_soon(data, vec![update(id, Some(value.trim().to_owned()), None, None)]);
                    }
                }
            ></textarea>
            {(kind == GuideKind::Question).then(|| view! {
                <label for=answer_id.clone()>{i18n.t(Key::GuideAnswer)}</label>
                <textarea
                    id=answer_id
                    rows="3"
                    maxlength="2000"
                    prop:value=item.answer.clone()
                    on:change=move |ev| {
                        let value = event_target_value(&ev);
                        errors.record_soon(data, vec![update(id, None, Some(value.trim().to_owned()), None)]);
                    }
                ></textarea>
            })}
            <div class="actions">
                <button type="button" class="button secondary small" on:click=move |_| move_by(true)>{i18n.t(Key::MoveUp)}</button>
                <button type="button" class="button secondary small" on:click=move |_| move_by(false)>{i18n.t(Key::MoveDown)}</button>
                <button type="button" class="link-button" on:click=move |_| errors.record_soon(data, vec![Payload::GuideItemRemove { item: id }])>
                    {i18n.t(Key::Remove)}
                </button>
            </div>
        </div>
    }
}

/// Adding an item to a project's guide, at the end of its kind.
#[component]
fn AddItem(project: ProjectId, errors: FormError) -> impl IntoView {
    let i18n = I18n::current();
    let data = Data::current().expect("the guide has data");
    let kind = RwSignal::new(GuideKind::Question);
    let words = RwSignal::new(String::new());
    let answer = RwSignal::new(String::new());
    let ids = format!("guide-new-{project}");
    let (text_id, answer_id, kind_id) = (
        format!("{ids}-text"),
        format!("{ids}-answer"),
        format!("{ids}-kind"),
    );
    let error_field = text_id.clone();
    let add = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let locale = i18n.locale_untracked();
        let what = words.get_untracked().trim().to_owned();
        if what.is_empty() {
            return errors.at(
                &error_field,
                fill(
                    text(locale, Key::ErrFieldEmpty),
                    &[text(locale, Key::FieldText)],
                ),
            );
        }
        let kind = kind.get_untracked();
        let order = data.with_state(|s| {
            guide_items(s, project)
                .into_iter()
                .filter(|(_, g)| g.kind.value == Some(kind))
                .map(|(_, g)| g.order.value)
                .max()
                .unwrap_or(0)
        }) + 1024;
        let answer_text = if kind == GuideKind::Question {
            answer.get_untracked().trim().to_owned()
        } else {
            String::new()
        };
        words.set(String::new());
        answer.set(String::new());
        errors.record_soon(
            data,
            vec![Payload::GuideItemAdd {
                item: GuideItemId::new_v7(data.now_ms(), random_bytes()),
                project,
                kind,
                text: what,
                answer: answer_text,
                order,
                draft: false,
            }],
        );
    };
    view! {
        <form class="guide-add" on:submit=add novalidate>
            <h3>{i18n.t(Key::GuideAdd)}</h3>
            <div class="field">
                <label for=kind_id.clone()>{i18n.t(Key::GuideKindLabel)}</label>
                <select
                    id=kind_id
                    on:change=move |ev| {
                        let v = event_target_value(&ev);
                        if let Some(k) = GuideKind::ALL.into_iter().find(|k| format!("{k:?}") == v) {
                            kind.set(k);
                        }
                    }
                >
                    {GuideKind::ALL
                        .into_iter()
                        .map(|k| view! { <option value=format!("{k:?}") selected=move || kind.get() == k>{i18n.t(kind_key(k))}</option> })
                        .collect_view()}
                </select>
            </div>
            <div class="field">
                <label for=text_id.clone()>{i18n.t(Key::FieldText)}</label>
                <textarea
                    id=text_id.clone()
                    rows="2"
                    maxlength="2000"
                    aria-describedby=format!("{text_id}-error")
                    prop:value=move || words.get()
                    on:input=move |ev| words.set(event_target_value(&ev))
                ></textarea>
                {errors.under(text_id.clone())}
            </div>
            <Show when=move || kind.get() == GuideKind::Question>
                <div class="field">
                    <label for=answer_id.clone()>{i18n.t(Key::GuideAnswer)}</label>
                    <textarea
                        id=answer_id.clone()
                        rows="2"
                        maxlength="2000"
                        prop:value=move || answer.get()
                        on:input=move |ev| answer.set(event_target_value(&ev))
                    ></textarea>
                </div>
            </Show>
            <button type="submit" class="button">{i18n.t(Key::GuideAdd)}</button>
        </form>
    }
}

/// An open question as listed.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct OpenQuestion {
    pub id: QuestionId,
    pub text: String,
    pub project: Option<(ProjectId, String)>,
    /// "Lindelaan 12", when the resident agreed to hear back.
    pub address: String,
    /// "Anna, 2 dec".
    pub asked: String,
}

/// The open questions, oldest first.
pub fn open_question_rows(state: &State, locale: Locale) -> Vec<OpenQuestion> {
    open_questions(state)
        .into_iter()
        .map(|(id, a)| OpenQuestion {
            id,
            text: a.text.clone(),
            project: a.project.and_then(|p| {
                let project = state.projects.get(&p).filter(|x| x.life.is_live())?;
                Some((p, project.title.value.clone()))
            }),
            address: a
                .address
                .map(|address| address_label(state, address))
                .unwrap_or_default(),
            asked: format!(
                "{}, {}",
                member_name(state, a.member),
                day(locale, a.asked_at_ms)
            ),
        })
        .collect()
}

/// The questions from the doors waiting for an answer; an answer can also go into the guide.
#[component]
fn OpenQuestions(errors: FormError) -> impl IntoView {
    let i18n = I18n::current();
    let data = Data::current().expect("the guide has data");
    let rows = Memo::new(move |_| {
        let locale = i18n.locale();
        data.with_areas(&[Area::Plan, Area::Team, Area::Addresses], |s| {
            open_question_rows(s, locale)
        })
    });
    view! {
        <section class="card open-questions">
            <h2>{i18n.t(Key::OpenQuestionsTitle)}</h2>
            {move || {
                let list = rows.get();
                if list.is_empty() {
                    return view! { <p class="muted">{i18n.t(Key::NothingOpen)}</p> }.into_any();
                }
                list.into_iter()
                    .map(|q| view! { <AnswerQuestion question=q errors/> })
                    .collect_view()
                    .into_any()
            }}
        </section>
    }
}

#[component]
fn AnswerQuestion(question: OpenQuestion, errors: FormError) -> impl IntoView {
    let i18n = I18n::current();
    let data = Data::current().expect("the guide has data");
    let answer = RwSignal::new(String::new());
    let into_guide = RwSignal::new(question.project.is_some());
    let id = question.id;
    let field = format!("answer-{id}");
    let error_field = field.clone();
    let words = question.text.clone();
    let project = question.project.as_ref().map(|(p, _)| *p);
    let save = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let locale = i18n.locale_untracked();
        let reply = answer.get_untracked().trim().to_owned();
        if reply.is_empty() {
            return errors.at(
                &error_field,
                fill(
                    text(locale, Key::ErrFieldEmpty),
                    &[text(locale, Key::GuideAnswer)],
                ),
            );
        }
        let mut payloads = vec![Payload::QuestionAnswer {
            question: id,
            answer: reply.clone(),
        }];
        if let (true, Some(project)) = (into_guide.get_untracked(), project)
            && !words.trim().is_empty()
        {
            let order = data.with_state(|s| {
                guide_items(s, project)
                    .into_iter()
                    .filter(|(_, g)| g.kind.value == Some(GuideKind::Question))
                    .map(|(_, g)| g.order.value)
                    .max()
                    .unwrap_or(0)
            }) + 1024;
            payloads.push(Payload::GuideItemAdd {
                item: GuideItemId::new_v7(data.now_ms(), random_bytes()),
                project,
                kind: GuideKind::Question,
                text: words.trim().to_owned(),
                answer: reply,
                order,
                draft: false,
            });
        }
        errors.record_soon(data, payloads);
    };
    let meta: Vec<String> = [
        question.project.as_ref().map(|(_, t)| t.clone()),
        (!question.address.is_empty()).then(|| question.address.clone()),
        Some(question.asked.clone()),
    ]
    .into_iter()
    .flatten()
    .collect();
    view! {
        <form class="open-question" on:submit=save novalidate>
            <p class="question-text">{question.text.clone()}</p>
            <p class="muted">{meta.join(" · ")}</p>
            <div class="field">
                <label for=field.clone()>{i18n.t(Key::GuideAnswer)}</label>
                <textarea
                    id=field.clone()
                    rows="2"
                    maxlength="2000"
                    aria-describedby=format!("{field}-error")
                    prop:value=move || answer.get()
                    on:input=move |ev| answer.set(event_target_value(&ev))
                ></textarea>
                {errors.under(field.clone())}
            </div>
            {question.project.is_some().then(|| view! {
                <label class="check">
                    <input type="checkbox" prop:checked=move || into_guide.get() on:change=move |_| into_guide.update(|v| *v = !*v)/>
                    {i18n.t(Key::AnswerIntoGuide)}
                </label>
            })}
            <button type="submit" class="button small">{i18n.t(Key::AnswerQuestion)}</button>
        </form>
    }
}

/// A project's letterbox flyer: what, why, the buurt meeting, how to reach the team. From the
/// guide and the project's data only; no resident's data.
#[component]
pub fn FlyerPage(project: ProjectId) -> impl IntoView {
    let i18n = I18n::current();
    let Some(data) = Data::current() else {
        return ().into_any();
    };
    // The buurt meeting's date: the first open step of the activating phase that has one.
    let meeting_default = data.with_state(|s| {
        plan_steps(s, project)
            .into_iter()
            .filter(|(_, st)| {
                st.done.value.is_none()
                    && st.phase.value == Some(buurtbel_core::domain::Phase::Activate)
            })
            .find_map(|(_, st)| st.due.value)
            .map(|d| date(i18n.locale_untracked(), d))
            .unwrap_or_default()
    });
    let contact_default = data.with_state(|s| {
        let mut connectors: Vec<String> = s
            .members
            .iter()
            .filter(|(_, m)| m.life.is_live() && m.roles.value.contains(&Role::Connector))
            .map(|(id, _)| member_name(s, *id))
            .collect();
        buurtbel_core::sort::sort_by(&mut connectors, |a, b| compare_text(a, b));
        let team = s.team.name.value.clone();
        if connectors.is_empty() {
            team
        } else {
            format!("{team}: {}", connectors.join(", "))
        }
    });
    let when = drafts::text(format!("flyer.{project}.when"));
    if when.get_untracked().is_empty() {
        when.set(meeting_default);
    }
    let contact = drafts::text(format!("flyer.{project}.contact"));
    if contact.get_untracked().is_empty() {
        contact.set(contact_default);
    }
    let content = move || {
        data.with_areas(&[Area::Plan], |s| {
            let p = s.projects.get(&project)?;
            Some((p.title.value.clone(), items(s, project), p.page_open.value))
        })
    };
    view! {
        <div class="no-print">
            <PageHeader title=Key::FlyerTitle intro=Key::FlyerIntro/>
            <div class="field">
                <label for="flyer-when">{i18n.t(Key::FlyerWhen)}</label>
                <input id="flyer-when" type="text" maxlength="120" prop:value=move || when.get() on:input=move |ev| when.set(event_target_value(&ev))/>
            </div>
            <div class="field">
                <label for="flyer-contact">{i18n.t(Key::FlyerContact)}</label>
                <input id="flyer-contact" type="text" maxlength="200" prop:value=move || contact.get() on:input=move |ev| contact.set(event_target_value(&ev))/>
            </div>
            <button type="button" class="button" on:click=move |_| { let _ = window().print(); }>{i18n.t(Key::PrintMinutes)}</button>
        </div>
        {move || {
            let (title, items, page_open) = content()?;
            let locale = i18n.locale();
            let opening = items.iter().find(|i| i.kind == GuideKind::Opening).map(|i| i.text.clone());
            let points: Vec<String> = items.iter().filter(|i| i.kind == GuideKind::KeyPoint).map(|i| i.text.clone()).collect();
            Some(view! {
                <article class="flyer">
                    <p class="flyer-kicker">{text(locale, Key::FlyerKicker)}</p>
                    <h2>{title}</h2>
                    {opening.map(|o| view! { <p class="flyer-opening">{o}</p> })}
                    <ul class="flyer-points">
                        {points.into_iter().map(|p| view! { <li>{p}</li> }).collect_view()}
                    </ul>
                    {move || {
                        let w = when.get();
                        (!w.trim().is_empty()).then(|| view! {
                            <p class="flyer-when"><strong>{text(locale, Key::FlyerWhen)}</strong>": "{w}</p>
                        })
                    }}
                    <p class="flyer-contact"><strong>{text(locale, Key::FlyerContact)}</strong>": "{move || contact.get()}</p>
                    {page_open.then(|| {
                        let link = crate::routing::resident_link(project);
                        view! {
                            <div class="flyer-page">
                                {crate::components::qr_code(&link, text(locale, Key::PageQr).to_owned())}
                                <p><strong>{text(locale, Key::FlyerPage)}</strong>" "{link.clone()}</p>
                            </div>
                        }
                    })}
                    <p class="flyer-note">{text(locale, Key::FlyerNote)}</p>
                </article>
            })
        }}
    }
    .into_any()
}
