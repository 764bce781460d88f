//! Who walks where: every side of every street with the member who walks it, a choice list per
//! side. Any member takes a side or hands it on; the change syncs like every other, and the
//! walker's walk list opens on "Mijn straten".

use buurtbel_core::ids::MemberId;
use buurtbel_core::op::Payload;
use buurtbel_core::views::street_sides;
use leptos::prelude::*;

use crate::components::FormError;
use crate::data::Data;
use crate::i18n::{I18n, Key, text};
use crate::pages::walk::side_header;

#[component]
pub fn Streets() -> impl IntoView {
    let i18n = I18n::current();
    let Some(data) = Data::current() else {
        return ().into_any();
    };
    let errors = FormError::new();
    let sides = move || data.with_state(street_sides);

    view! {
        <section class="card streets">
            <h2>{i18n.t(Key::StreetsTitle)}</h2>
            <p class="muted">{i18n.t(Key::StreetsIntro)}</p>
            <ul class="street-sides">
                {move || {
                    let locale = i18n.locale();
                    // The live members in the order they joined.
                    let members: Vec<(String, String)> = data.with_state(|s| {
                        s.members
                            .iter()
                            .filter(|(_, m)| m.life.is_live())
                            .map(|(id, m)| (id.to_string(), m.display_name.value.clone()))
                            .collect()
                    });
                    sides()
                        .into_iter()
                        .enumerate()
                        .map(|(i, side)| {
                            let id = format!("walker-{i}");
                            let label = side_header(locale, &side.name, side.odd, side.left);
                            let walker = side.walker.map(|m| m.to_string()).unwrap_or_default();
                            let (street, odd) = (side.name, side.odd);
                            let options = members
                                .iter()
                                .map(|(member, name)| {
                                    let selected = *member == walker;
                                    view! { <option value=member.clone() selected=selected>{name.clone()}</option> }
                                })
                                .collect_view();
                            view! {
                                <li>
                                    <label for=id.clone()>{label}</label>
                                    <select
                                        id=id
                                        on:change=move |ev| {
                                            let member = event_target_value(&ev).parse::<MemberId>().ok();
                                            errors.record_soon(data, vec![Payload::StreetAssign { street: street.clone(), odd, member }]);
                                        }
                                    >
                                        <option value="" selected=walker.is_empty()>{text(locale, Key::Nobody)}</option>
                                        {options}
                                    </select>
                                </li>
                            }
                        })
                        .collect_view()
                }}
            </ul>
            {errors.view()}
        </section>
    }
    .into_any()
}
