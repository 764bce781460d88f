//! Advice from the team's buurtbegeleider (coach), as the plan and the meeting's agenda show
//! it: what it says, what it is about, who gave it, and a tap that marks it handled (the coach
//! sees that).

use buurtbel_core::ids::ProjectId;
use buurtbel_core::op::{Area, Payload};
use buurtbel_core::views::open_advice;
use leptos::prelude::*;

use crate::data::Data;
use crate::i18n::{I18n, Key, fill, text};

/// One piece of open advice, ready to show.
#[derive(Clone, PartialEq)]
struct Tip {
    id: buurtbel_core::ids::AdviceId,
    text: String,
    about: String,
}

/// The open advice about the team and `project` (all of it without one), under the heading
/// "Tip van je buurtbegeleider" (an `h3`, or an `h4` when `nested` in a section); nothing at
/// all when there is none.
#[component]
pub fn Tips(project: Option<ProjectId>, nested: bool) -> impl IntoView {
    let i18n = I18n::current();
    let data = Data::current().expect("tips need the team's data");
    let errors = super::FormError::new();
    let tips = Memo::new(move |_| {
        let locale = i18n.locale();
        data.with_areas(&[Area::Plan], |s| {
            open_advice(s, project)
                .into_iter()
                .map(|(id, g)| {
                    let title = |p: ProjectId| s.projects.get(&p).map(|p| p.title.value.clone());
                    let step = g
                        .step
                        .and_then(|st| s.steps.get(&st))
                        .map(|st| st.title.value.clone());
                    let about: Vec<String> = [
                        g.project.filter(|p| Some(*p) != project).and_then(title),
                        step,
                    ]
                    .into_iter()
                    .flatten()
                    .collect();
                    let about = if g.project.is_none() {
                        text(locale, Key::TipWholeTeam).to_owned()
                    } else {
                        about.join(" · ")
                    };
                    let day = crate::i18n::date(
                        locale,
                        buurtbel_core::clock::dutch_date(g.stamp.hlc.wall_ms),
                    );
                    Tip {
                        id,
                        text: g.text.clone(),
                        about: [about, format!("{}, {day}", g.name)]
                            .into_iter()
                            .filter(|a| !a.is_empty())
                            .collect::<Vec<_>>()
                            .join(" · "),
                    }
                })
                .collect::<Vec<_>>()
        })
    });
    move || {
        let list = tips.get();
        (!list.is_empty()).then(|| {
            let locale = i18n.locale();
            view! {
                <section class=if nested { "tips" } else { "tips card" }>
                    {if nested {
                        view! { <h4>{text(locale, Key::TipTitle)}</h4> }.into_any()
                    } else {
                        view! { <h3>{text(locale, Key::TipTitle)}</h3> }.into_any()
                    }}
                    <ul>
                        {list.into_iter().map(|t| {
                            let id = t.id;
                            view! {
                                <li>
                                    <p>{t.text.clone()}</p>
                                    <small>{t.about}</small>
                                    <button type="button" class="button secondary small"
                                        aria-label=fill(text(locale, Key::TipHandledFor), &[&t.text])
                                        on:click=move |_| errors.record_soon(data, vec![Payload::AdviceHandle { advice: id, done: true }])>
                                        {text(locale, Key::TipHandled)}
                                    </button>
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                    {errors.view()}
                </section>
            }
        })
    }
}
