//! Form pieces the pages share: text fields that show their own complaint, and chip sets.

use std::collections::BTreeSet;

use buurtbel_core::op::Payload;
use leptos::prelude::*;

use crate::data::{Data, error_text};
use crate::i18n::{I18n, Key, t};

/// What a form last complained about: the field (its element id; empty for the form as a
/// whole) and what to do. A field shows its own complaint under it and is focused, so the
/// complaint is seen, and heard, where the fix is.
#[derive(Clone, Copy, Debug)]
pub struct FormError(RwSignal<Option<(String, String)>>);

impl Default for FormError {
    fn default() -> Self {
        FormError(RwSignal::new(None))
    }
}

impl FormError {
    /// A form with nothing to complain about yet.
    pub fn new() -> FormError {
        FormError::default()
    }

    /// Complains about the field `id` (or, with "", the form) and moves the focus there.
    pub fn at(self, id: &str, message: String) {
        self.0.set(Some((id.to_owned(), message)));
        if !id.is_empty()
            && let Some(element) = document().get_element_by_id(id)
        {
            let _ = wasm_bindgen::JsCast::unchecked_into::<web_sys::HtmlElement>(element).focus();
        }
    }

    /// No complaint.
    pub fn clear(self) {
        self.0.set(None);
    }

    /// Records `payloads` as the user's latest act on this form. The last complaint goes at
    /// once, when this is called (the user has moved on); a refusal becomes the new complaint,
    /// said at the top of the form. A change that is saved later never clears a complaint made
    /// after it was asked for: tapping "add" on an empty field right after another save keeps
    /// its message. The future says whether the change was recorded.
    pub fn record(
        self,
        data: Data,
        payloads: Vec<Payload>,
    ) -> impl std::future::Future<Output = bool> + 'static {
        self.clear();
        let i18n = I18n::current();
        async move {
            match data.record_many(payloads).await {
                Ok(()) => true,
                Err(e) => {
                    self.at("", error_text(i18n.locale_untracked(), &e));
                    false
                }
            }
        }
    }

    /// [`FormError::record`] without waiting for the answer.
    pub fn record_soon(self, data: Data, payloads: Vec<Payload>) {
        let recorded = self.record(data, payloads);
        leptos::task::spawn_local(async move {
            recorded.await;
        });
    }

    /// The complaint about field `id` (tracked).
    pub fn about(self, id: &str) -> Option<String> {
        self.0
            .with(|e| e.as_ref().filter(|(f, _)| f == id).map(|(_, m)| m.clone()))
    }

    /// The complaint about the form as a whole, shown next to its button (tracked).
    pub fn view(self) -> impl IntoView {
        view! { <p class="form-error" role="alert">{move || self.about("")}</p> }
    }

    /// The complaint about field `id`, to put under a field built by hand (its input names it
    /// with `aria-describedby="<id>-error"`).
    pub fn under(self, id: String) -> impl IntoView {
        let error_id = format!("{id}-error");
        view! { <p class="field-error" id=error_id>{move || self.about(&id)}</p> }
    }
}

/// A labelled one-line field bound to a text signal.
#[derive(Clone, Copy, Debug)]
pub struct TextField {
    id: &'static str,
    label: Key,
    kind: &'static str,
    max: &'static str,
    hint: Option<Key>,
    errors: Option<FormError>,
}

impl TextField {
    /// A text field with element id `id` and label `label`.
    pub fn new(id: &'static str, label: Key) -> TextField {
        TextField {
            id,
            label,
            kind: "text",
            max: "200",
            hint: None,
            errors: None,
        }
    }

    /// The input type ("tel", "email").
    pub fn kind(self, kind: &'static str) -> TextField {
        TextField { kind, ..self }
    }

    /// The longest text it takes.
    pub fn max(self, max: &'static str) -> TextField {
        TextField { max, ..self }
    }

    /// A line under the label saying what to type.
    pub fn hint(self, hint: Key) -> TextField {
        TextField {
            hint: Some(hint),
            ..self
        }
    }

    /// Shows the form's complaints about this field.
    pub fn errors(self, errors: FormError) -> TextField {
        TextField {
            errors: Some(errors),
            ..self
        }
    }

    /// The field, showing and changing `value`.
    pub fn bind(self, value: RwSignal<String>) -> impl IntoView {
        let TextField {
            id,
            label,
            kind,
            max,
            hint,
            errors,
        } = self;
        let hint_id = format!("{id}-hint");
        let error_id = format!("{id}-error");
        let error = move || errors.and_then(|e| e.about(id));
        let described = {
            let (hint_id, error_id) = (hint_id.clone(), error_id.clone());
            move || {
                let ids: Vec<&str> = [
                    hint.map(|_| hint_id.as_str()),
                    error().map(|_| error_id.as_str()),
                ]
                .into_iter()
                .flatten()
                .collect();
                (!ids.is_empty()).then(|| ids.join(" "))
            }
        };
        view! {
            <div class="field">
                <label for=id>{t(label)}</label>
                {hint.map(|h| view! { <p class="hint" id=hint_id>{t(h)}</p> })}
                <input
                    id=id
                    type=kind
                    maxlength=max
                    autocomplete="off"
                    aria-invalid=move || error().is_some().then_some("true")
                    aria-describedby=described
                    prop:value=move || value.get()
                    on:input=move |ev| value.set(event_target_value(&ev))
                />
                <p class="field-error" id=error_id>{error}</p>
            </div>
        }
    }
}

/// A group of checkbox chips, one per item, ticking items in and out of `set`.
pub fn chip_set<T>(
    legend: Key,
    items: impl IntoIterator<Item = T>,
    word: fn(T) -> Key,
    set: RwSignal<BTreeSet<T>>,
) -> impl IntoView
where
    T: Ord + Copy + Send + Sync + 'static,
{
    view! {
        <fieldset class="choices">
            <legend>{t(legend)}</legend>
            {items
                .into_iter()
                .map(|item| {
                    view! {
                        <label class="chip-choice">
                            <input
                                type="checkbox"
                                prop:checked=move || set.with(|s| s.contains(&item))
                                on:change=move |_| {
                                    set.update(|s| {
                                        if !s.remove(&item) {
                                            s.insert(item);
                                        }
                                    })
                                }
                            />
                            {t(word(item))}
                        </label>
                    }
                })
                .collect_view()}
        </fieldset>
    }
}
