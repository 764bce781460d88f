use std::rc::Rc;

use leptos::prelude::*;

use crate::i18n::{I18n, Key};

/// How long a message stays, in milliseconds: long enough to find the undo button.
const SHOW_MS: i32 = 8_000;

/// A short message at the bottom of the screen, with an undo when the change can be taken back.
/// Shared through context.
#[derive(Clone, Copy, Debug)]
pub struct Snackbar {
    message: RwSignal<Option<(u64, String)>>,
    undo: StoredValue<Option<Rc<dyn Fn()>>, LocalStorage>,
}

impl Snackbar {
    /// Makes the snackbar available to every component below.
    pub fn provide() -> Snackbar {
        let snackbar = Snackbar {
            message: RwSignal::new(None),
            undo: StoredValue::new_local(None),
        };
        provide_context(snackbar);
        snackbar
    }

    /// The snackbar of the surrounding app (a detached one when there is none).
    pub fn current() -> Snackbar {
        use_context::<Snackbar>().unwrap_or_else(Snackbar::provide)
    }

    /// Shows `text`, with an undo button when `undo` is given.
    pub fn show(self, text: String, undo: Option<Rc<dyn Fn()>>) {
        let id = self
            .message
            .with_untracked(|m| m.as_ref().map_or(0, |(id, _)| id + 1));
        self.undo.set_value(undo);
        self.message.set(Some((id, text)));
        let message = self.message;
        let hide = wasm_bindgen::closure::Closure::once_into_js(move || {
            if message.try_with_untracked(|m| m.as_ref().map(|(i, _)| *i)) == Some(Some(id)) {
                message.set(None);
            }
        });
        let _ = window().set_timeout_with_callback_and_timeout_and_arguments_0(
            wasm_bindgen::JsCast::unchecked_ref(&hide),
            SHOW_MS,
        );
    }
}

/// The snackbar's place on the screen.
#[component]
pub fn SnackbarView() -> impl IntoView {
    let i18n = I18n::current();
    let snackbar = Snackbar::current();
    let undo = move |_| {
        let action = snackbar.undo.get_value();
        snackbar.undo.set_value(None);
        snackbar.message.set(None);
        if let Some(action) = action {
            action();
        }
    };
    view! {
        <div class="snackbar-place" role="status" aria-live="polite">
            {move || {
                snackbar
                    .message
                    .get()
                    .map(|(_, text)| {
                        let has_undo = snackbar.undo.with_value(Option::is_some);
                        view! {
                            <div class="snackbar">
                                <span>{text}</span>
                                {has_undo
                                    .then(|| {
                                        view! {
                                            <button type="button" class="snackbar-undo" on:click=undo>
                                                {i18n.t(Key::Undo)}
                                            </button>
                                        }
                                    })}
                            </div>
                        }
                    })
            }}
        </div>
    }
}
