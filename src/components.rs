//! Reusable pieces of the screen.

mod app_bar;
mod fields;
mod main_nav;
mod notices;
mod page_header;
mod shell;
mod snackbar;
mod sync_status;
mod tips;
pub mod visit_sheet;

pub use app_bar::AppBar;
pub use fields::{FormError, TextField, chip_set};
pub use main_nav::MainNav;
pub use notices::Notices;
pub use page_header::{BackToList, EmptyState, PageHeader};
pub use shell::{InstallOffer, UpdateBanner};
pub use snackbar::{Snackbar, SnackbarView};
pub use sync_status::{SyncStatusButton, clock_time, status_text};
pub use tips::Tips;
pub use visit_sheet::VisitSheet;

use buurtbel_core::domain::{Owner, Role};
use buurtbel_core::ids::{AddressId, MemberId};
use buurtbel_core::state::{Address, State};

use crate::i18n::{Key, Locale, text, words};

/// A house number as the walk list shows it: "12a-2".
pub fn house_label(address: &Address) -> String {
    let mut label = format!("{}{}", address.number.value, address.letter.value);
    if !address.addition.value.is_empty() {
        label.push('-');
        label.push_str(&address.addition.value);
    }
    label
}

/// An address as people say it: "Lindelaan 12a-2".
pub fn address_label(state: &State, id: AddressId) -> String {
    state
        .addresses
        .get(&id)
        .map(|a| format!("{} {}", a.street.value.trim(), house_label(a)))
        .unwrap_or_default()
}

/// A member's name as the team sees it.
pub fn member_name(state: &State, id: MemberId) -> String {
    state
        .members
        .get(&id)
        .map(|m| m.display_name.value.clone())
        .unwrap_or_default()
}

/// Reads "YYYY-MM-DD" from a date field.
pub fn parse_date(text: &str) -> Option<chrono::NaiveDate> {
    let mut parts = text.splitn(3, '-').map(str::parse::<u32>);
    let (Some(Ok(y)), Some(Ok(m)), Some(Ok(d))) = (parts.next(), parts.next(), parts.next()) else {
        return None;
    };
    chrono::NaiveDate::from_ymd_opt(i32::try_from(y).ok()?, m, d)
}

/// A date as a date field holds it: "YYYY-MM-DD".
pub fn iso_date(d: chrono::NaiveDate) -> String {
    use chrono::Datelike;
    format!("{:04}-{:02}-{:02}", d.year(), d.month(), d.day())
}

/// Who a step or an action item is for, as the team reads it: a member's name, or a role.
pub fn owner_label(state: &State, locale: Locale, owner: Option<Owner>) -> String {
    match owner {
        Some(Owner::Member(id)) => member_name(state, id),
        Some(Owner::Role(role)) => text(locale, words::role(role)).to_owned(),
        None => String::new(),
    }
}

/// An owner as a choice list's value: "", "role:driver", "member:<id>".
pub fn owner_value(owner: Option<Owner>) -> String {
    match owner {
        None => String::new(),
        Some(Owner::Role(role)) => format!("role:{}", role_code(role)),
        Some(Owner::Member(id)) => format!("member:{id}"),
    }
}

fn role_code(role: Role) -> &'static str {
    match role {
        Role::Expert => "expert",
        Role::Connector => "connector",
        Role::Driver => "driver",
    }
}

/// Reads a value written by [`owner_value`]; anything else is nobody.
pub fn parse_owner(value: &str) -> Option<Owner> {
    if let Some(code) = value.strip_prefix("role:") {
        return Role::ALL
            .into_iter()
            .find(|r| role_code(*r) == code)
            .map(Owner::Role);
    }
    value
        .strip_prefix("member:")
        .and_then(|id| id.parse().ok())
        .map(Owner::Member)
}

/// The options of an owner choice: nobody, each role, each live member by name.
pub fn owner_options(state: &State, locale: Locale) -> Vec<(String, String)> {
    let mut options = vec![(String::new(), text(locale, Key::OwnerNobody).to_owned())];
    options.extend(Role::ALL.into_iter().map(|r| {
        (
            owner_value(Some(Owner::Role(r))),
            text(locale, words::role(r)).to_owned(),
        )
    }));
    let mut members: Vec<(String, String)> = state
        .members
        .iter()
        .filter(|(_, m)| m.life.is_live())
        .map(|(id, m)| {
            (
                owner_value(Some(Owner::Member(*id))),
                m.display_name.value.clone(),
            )
        })
        .collect();
    buurtbel_core::sort::sort_by(&mut members, |a, b| {
        buurtbel_core::views::compare_text(&a.1, &b.1)
    });
    options.extend(members);
    options
}

/// Hands `message` to the phone's share sheet where there is one (Web Share), else copies it
/// to the clipboard and calls `copied`. A cancelled share says nothing.
pub fn share_or_copy(message: String, url: Option<String>, copied: impl FnOnce() + 'static) {
    use wasm_bindgen::JsCast;
    let navigator = leptos::prelude::window().navigator();
    let get = |target: &wasm_bindgen::JsValue, name: &str| {
        js_sys::Reflect::get(target, &name.into())
            .ok()
            .and_then(|f| f.dyn_into::<js_sys::Function>().ok())
    };
    let wait = |promise: Result<wasm_bindgen::JsValue, wasm_bindgen::JsValue>,
                then: Option<Box<dyn FnOnce()>>| {
        if let Ok(promise) = promise.and_then(|p| p.dyn_into::<js_sys::Promise>()) {
            wasm_bindgen_futures::spawn_local(async move {
                if wasm_bindgen_futures::JsFuture::from(promise).await.is_ok()
                    && let Some(then) = then
                {
                    then();
                }
            });
        }
    };
    if let Some(share) = get(&navigator, "share") {
        let data = js_sys::Object::new();
        let _ = js_sys::Reflect::set(&data, &"text".into(), &message.as_str().into());
        if let Some(url) = &url {
            let _ = js_sys::Reflect::set(&data, &"url".into(), &url.as_str().into());
        }
        return wait(share.call1(&navigator, &data), None);
    }
    let whole = match url {
        Some(url) if !message.contains(&url) => format!("{message}\n{url}"),
        _ => message,
    };
    if let Ok(clipboard) = js_sys::Reflect::get(&navigator, &"clipboard".into())
        && let Some(write) = get(&clipboard, "writeText")
    {
        wait(
            write.call1(&clipboard, &whole.into()),
            Some(Box::new(copied)),
        );
    }
}

/// `content` as a QR code drawn in SVG (with the quiet zone scanners need); `label` names it
/// for screen readers. Nothing when the content is too long for a QR code.
pub fn qr_code(content: &str, label: String) -> Option<impl leptos::IntoView + use<>> {
    use leptos::prelude::*;
    use qrcodegen::{QrCode, QrCodeEcc};
    let code = QrCode::encode_text(content, QrCodeEcc::Medium).ok()?;
    let size = code.size();
    let mut path = String::new();
    for y in 0..size {
        for x in 0..size {
            if code.get_module(x, y) {
                path.push_str(&format!("M{},{}h1v1h-1z", x + 4, y + 4));
            }
        }
    }
    let whole = size + 8;
    Some(view! {
        <svg class="qr" viewBox=format!("0 0 {whole} {whole}") role="img" aria-label=label shape-rendering="crispEdges">
            <rect width=whole.to_string() height=whole.to_string() fill="#fff"/>
            <path d=path fill="#000"/>
        </svg>
    })
}
