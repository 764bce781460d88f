//! The browser side of syncing: the loop that runs the replica's engine, the timers and events
//! that wake it, one sync at a time across tabs, and telling the other tabs what changed.
//!
//! - The loop runs at start, when woken (the `online` and `offline` events, the page becoming
//!   visible, a change recorded, the user asking) and when the engine's next attempt is due
//!   (every 60 s in sync, sooner or later with backoff after a failure).
//! - Every tab of the app runs the loop, but a sync runs under the Web Lock `buurtbel-sync-<team>`
//!   taken with `ifAvailable`: a tab that finds it taken waits and tries again later. Browsers
//!   without Web Locks (older Safari) sync without it; the server stores an operation once,
//!   whoever sends it.
//! - Tabs tell each other over a `BroadcastChannel`: operations recorded (the other tab shows
//!   and queues them), operations acknowledged (no longer waiting), and new data pulled (the
//!   other tab syncs to get it).

use std::cell::{Cell, RefCell};
use std::future::Future;
use std::rc::Rc;

use buurtbel_core::compact::{decode_op, encode_op};
use buurtbel_core::ids::OpId;
use buurtbel_core::op::Operation;
use buurtbel_core::sync::PERIOD_MS;
use js_sys::{Function, Object, Promise, Reflect};
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::{JsFuture, future_to_promise};

use crate::api_client::ApiClient;
use crate::clock::now_ms;
use crate::replica::Replica;
use crate::storage::{Reason, Refused, StorageError};

/// The replica as the app uses it.
pub type AppReplica = Replica<ApiClient>;

/// A random number for the engine's backoff jitter.
pub fn jitter() -> u32 {
    (js_sys::Math::random() * f64::from(u32::MAX)) as u32
}

/// Ten random bytes for an operation id, from the browser's cryptographic generator.
pub fn random_bytes() -> [u8; 10] {
    let mut bytes = [0u8; 10];
    let filled = web_sys::window()
        .and_then(|w| w.crypto().ok())
        .is_some_and(|c| c.get_random_values_with_u8_array(&mut bytes).is_ok());
    if !filled {
        // No Web Crypto (never in a browser that runs this app): ids stay unique in practice.
        for b in &mut bytes {
            *b = (js_sys::Math::random() * 256.0) as u8;
        }
    }
    bytes
}

/// Gives the browser the main thread for a moment (to handle input and paint) in the middle of
/// a long piece of work: `scheduler.yield()` where the browser has it (it resumes ahead of other
/// work), else a zero timeout.
pub async fn pause() {
    let scheduled = web_sys::window()
        .and_then(|w| Reflect::get(&w, &JsValue::from_str("scheduler")).ok())
        .filter(|s| s.is_object())
        .and_then(|s| {
            let f = Reflect::get(&s, &JsValue::from_str("yield"))
                .ok()?
                .dyn_into::<Function>()
                .ok()?;
            f.call0(&s).ok()?.dyn_into::<Promise>().ok()
        });
    let promise = scheduled.unwrap_or_else(|| {
        Promise::new(&mut |resolve, _| {
            if let Some(w) = web_sys::window() {
                let _ = w.set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, 0);
            } else {
                let _ = resolve.call0(&JsValue::NULL);
            }
        })
    });
    let _ = JsFuture::from(promise).await;
}

/// Wakes the sync loop early, and stops it.
#[derive(Debug, Default)]
pub struct Wake {
    resolve: RefCell<Option<Function>>,
    pending: Cell<bool>,
    stopped: Cell<bool>,
}

impl Wake {
    /// Ends the current wait at once (or the next one, if the loop is busy).
    pub fn wake(&self) {
        self.pending.set(true);
        if let Some(resolve) = self.resolve.borrow_mut().take() {
            let _ = resolve.call0(&JsValue::NULL);
        }
    }

    /// Stops the loop for good (the device left the team).
    pub fn stop(&self) {
        self.stopped.set(true);
        self.wake();
    }

    /// Whether the loop was stopped.
    pub fn is_stopped(&self) -> bool {
        self.stopped.get()
    }

    /// Waits `ms` milliseconds or until woken.
    pub async fn sleep(&self, ms: u64) {
        if self.pending.replace(false) {
            return;
        }
        let Some(window) = web_sys::window() else {
            return;
        };
        let promise = Promise::new(&mut |resolve, _reject| {
            let ms = i32::try_from(ms).unwrap_or(i32::MAX);
            let _ = window.set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, ms);
            *self.resolve.borrow_mut() = Some(resolve);
        });
        let _ = JsFuture::from(promise).await;
        self.resolve.borrow_mut().take();
        self.pending.set(false);
    }
}

/// Runs `work` while holding the Web Lock `name`, if no other tab holds it. Returns whether
/// `work` ran. Without the Web Locks API `work` simply runs.
pub async fn with_lock(name: &str, work: impl Future<Output = ()> + 'static) -> bool {
    let locks = web_sys::window()
        .map(|w| w.navigator())
        .and_then(|n| Reflect::get(&n, &JsValue::from_str("locks")).ok())
        .filter(|l| l.is_object());
    let request = locks
        .as_ref()
        .and_then(|l| Reflect::get(l, &JsValue::from_str("request")).ok())
        .and_then(|f| f.dyn_into::<Function>().ok());
    let (Some(locks), Some(request)) = (locks, request) else {
        work.await;
        return true;
    };
    let options = Object::new();
    let _ = Reflect::set(&options, &JsValue::from_str("ifAvailable"), &JsValue::TRUE);
    let ran = Rc::new(Cell::new(false));
    let ran_inside = ran.clone();
    let callback = Closure::once_into_js(move |lock: JsValue| -> JsValue {
        if lock.is_null() {
            // Another tab is syncing.
            return JsValue::UNDEFINED;
        }
        ran_inside.set(true);
        // The lock is held until this promise settles.
        future_to_promise(async move {
            work.await;
            Ok(JsValue::UNDEFINED)
        })
        .into()
    });
    let held = request
        .call3(&locks, &JsValue::from_str(name), &options, &callback)
        .ok()
        .and_then(|p| p.dyn_into::<Promise>().ok());
    if let Some(held) = held {
        let _ = JsFuture::from(held).await;
    }
    ran.get()
}

/// A message between tabs of the app, as text: a letter for the kind, a newline, the body.
/// - `r`: operations recorded (and saved) in the sending tab, one compact operation per line;
/// - `a`: operation ids the server acknowledged to the sending tab, one per line;
/// - `p`: the sending tab pulled new data.
///
/// Anything else (a message from another version of the app) is ignored: the loop still brings
/// everything in through the server.
fn on_tab_message(text: &str, replica: &Rc<AppReplica>, wake: &Wake) {
    let (kind, body) = text.split_once('\n').unwrap_or((text, ""));
    match kind {
        "r" => {
            let ops: Vec<Operation> = body.lines().filter_map(|o| decode_op(o).ok()).collect();
            replica.merge_from_other_tab(&ops);
        }
        "a" => {
            let ids: Vec<OpId> = body.lines().filter_map(|i| i.parse().ok()).collect();
            replica.acknowledged_elsewhere(&ids);
        }
        "p" => {
            replica.trigger(now_ms());
            wake.wake();
        }
        "x" => {
            let Some((id, reason)) = body.split_once('\n') else {
                return;
            };
            if let Ok(id) = id.parse::<OpId>() {
                let (replica, reason) = (replica.clone(), Reason::decode(reason));
                leptos::task::spawn_local(async move {
                    replica.refused_elsewhere(id, reason).await;
                });
            }
        }
        "d" => {
            if let Ok(id) = body.parse::<OpId>() {
                replica.discarded_elsewhere(id);
            }
        }
        _ => {}
    }
}

/// Where the other tabs' messages go: held until this tab's replica is open, then to it.
enum Inbox {
    Held(Vec<String>),
    Open(Rc<AppReplica>, Rc<Wake>),
}

/// The channel to the app's other tabs for one team.
pub struct Tabs {
    channel: Option<web_sys::BroadcastChannel>,
    inbox: Rc<RefCell<Inbox>>,
    _listener: Option<Closure<dyn FnMut(web_sys::MessageEvent)>>,
}

impl std::fmt::Debug for Tabs {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Tabs")
    }
}

impl Tabs {
    /// Opens the channel `name` and listens at once, before the tab reads its storage: what
    /// other tabs say while it does is held for [`Tabs::attach`], so a change another tab
    /// records (or has refused) then is not missed.
    pub fn open(name: &str) -> Tabs {
        let inbox = Rc::new(RefCell::new(Inbox::Held(Vec::new())));
        let Ok(channel) = web_sys::BroadcastChannel::new(name) else {
            return Tabs {
                channel: None,
                inbox,
                _listener: None,
            };
        };
        let to = inbox.clone();
        let listener = Closure::<dyn FnMut(web_sys::MessageEvent)>::new(
            move |event: web_sys::MessageEvent| {
                let Some(text) = event.data().as_string() else {
                    return;
                };
                let (replica, wake) = match &mut *to.borrow_mut() {
                    Inbox::Held(held) => return held.push(text),
                    Inbox::Open(replica, wake) => (replica.clone(), wake.clone()),
                };
                on_tab_message(&text, &replica, &wake);
            },
        );
        channel.set_onmessage(Some(listener.as_ref().unchecked_ref()));
        Tabs {
            channel: Some(channel),
            inbox,
            _listener: Some(listener),
        }
    }

    /// From now on the other tabs' messages are applied to `replica` (and one that pulled new
    /// data wakes this tab's loop), first those held since the channel opened, in order.
    pub fn attach(&self, replica: Rc<AppReplica>, wake: Rc<Wake>) {
        let open = Inbox::Open(replica.clone(), wake.clone());
        let before = std::mem::replace(&mut *self.inbox.borrow_mut(), open);
        if let Inbox::Held(held) = before {
            for text in held {
                on_tab_message(&text, &replica, &wake);
            }
        }
    }

    fn send(&self, kind: &str, body: &str) {
        if let Some(channel) = &self.channel {
            let _ = channel.post_message(&JsValue::from_str(&format!("{kind}\n{body}")));
        }
    }

    /// Tells the other tabs about operations recorded here, in one message. A long batch is
    /// encoded in steps, pausing between them.
    pub async fn recorded(&self, ops: &[Operation]) {
        if self.channel.is_none() {
            return;
        }
        let mut body = String::new();
        for (n, step) in ops.chunks(500).enumerate() {
            if n > 0 {
                pause().await;
            }
            for op in step {
                if !body.is_empty() {
                    body.push('\n');
                }
                body.push_str(&encode_op(op));
            }
        }
        self.send("r", &body);
    }

    /// Tells the other tabs which operations the server acknowledged.
    pub fn acked(&self, ids: &[OpId]) {
        let ids: Vec<String> = ids.iter().map(OpId::to_string).collect();
        self.send("a", &ids.join("\n"));
    }

    /// Tells the other tabs that the server refused an operation for good (the refusal is
    /// stored already).
    pub fn refused(&self, refused: &Refused) {
        self.send(
            "x",
            &format!("{}\n{}", refused.op.id, refused.reason.encode()),
        );
    }

    /// Tells the other tabs that a refused operation was discarded.
    pub fn discarded(&self, id: OpId) {
        self.send("d", &id.to_string());
    }

    /// Tells the other tabs that new data was pulled.
    pub fn pulled(&self) {
        self.send("p", "");
    }

    /// Closes the channel.
    pub fn close(&self) {
        if let Some(channel) = &self.channel {
            channel.close();
        }
    }
}

/// Calls `on_event` on the `online` and `offline` events and when the page becomes visible.
/// The listeners live as long as the page.
pub fn listen_for_wake_events(on_event: impl Fn() + 'static) {
    let Some(window) = web_sys::window() else {
        return;
    };
    let on_event = Rc::new(on_event);
    for name in ["online", "offline"] {
        let on_event = on_event.clone();
        let listener = Closure::<dyn Fn()>::new(move || on_event());
        let _ = window.add_event_listener_with_callback(name, listener.as_ref().unchecked_ref());
        listener.forget();
    }
    if let Some(document) = window.document() {
        let doc = document.clone();
        let listener = Closure::<dyn Fn()>::new(move || {
            if !doc.hidden() {
                on_event();
            }
        });
        let _ = document.add_event_listener_with_callback(
            "visibilitychange",
            listener.as_ref().unchecked_ref(),
        );
        listener.forget();
    }
}

/// Runs the sync loop for `replica` until `wake` is stopped or the server says the device was
/// removed. `storage_failed` hears whether saving changes kept in memory worked.
pub async fn run(
    replica: Rc<AppReplica>,
    wake: Rc<Wake>,
    tabs: Rc<Tabs>,
    lock: String,
    storage_failed: impl Fn(Option<StorageError>),
) {
    replica.trigger(now_ms());
    while !wake.is_stopped() {
        if replica.unsaved() > 0 {
            storage_failed(replica.retry_unsaved().await.err());
        }
        let due: Rc<Cell<Option<Option<u64>>>> = Rc::default();
        let work = {
            let (replica, tabs, due) = (replica.clone(), tabs.clone(), due.clone());
            async move {
                let before = replica.revision();
                let known =
                    buurtbel_core::sort::set(replica.refused().into_iter().map(|r| r.op.id));
                let next = replica.sync(now_ms, jitter, |ids| tabs.acked(ids)).await;
                for refused in replica.refused() {
                    if !known.contains(&refused.op.id) {
                        tabs.refused(&refused);
                    }
                }
                if replica.revision() != before {
                    tabs.pulled();
                }
                due.set(Some(next));
            }
        };
        let wait = if with_lock(&lock, work).await {
            match due.get() {
                // Removed from the team: nothing more to do.
                Some(None) | None => return,
                Some(Some(at)) => at.saturating_sub(now_ms()).min(PERIOD_MS),
            }
        } else {
            // Another tab is syncing; it tells this one what it pulled.
            3_000
        };
        wake.sleep(wait).await;
    }
}
