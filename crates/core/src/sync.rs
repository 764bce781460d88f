//! The sync engine: a transport-free state machine that decides when to push the outbox and
//! pull the team's log, and what to do with the answers.
//!
//! The engine does no I/O. Its owner (the app, or a simulation in tests) keeps the durable
//! data (the operations, the outbox, the cursor), performs the requests the engine asks for,
//! and reports answers and failures back:
//!
//! ```
//! use buurtbel_core::factory::OpFactory;
//! use buurtbel_core::ids::DeviceId;
//! use buurtbel_core::protocol::{Ack, Cursor, PROTOCOL_VERSION, PullResponse, PushResponse};
//! use buurtbel_core::sync::{Next, SyncEngine, SyncStatus};
//! use buurtbel_core::op::Payload;
//!
//! let mut phone = OpFactory::new(1);
//! let mut engine = SyncEngine::new(phone.author().device, Cursor(0));
//! let outbox = vec![phone.op(Payload::TeamUpdate { name: Some("Lindelaan".into()), neighbourhood: None })];
//! let now = phone.now_ms();
//!
//! engine.trigger(now); // app start, `online`, page visible, or the user asked
//! let Next::Push(request) = engine.next(&outbox, now) else { panic!("the outbox goes first") };
//! // ... send `request`; the server answers:
//! let answer = PushResponse {
//!     protocol_version: PROTOCOL_VERSION,
//!     acks: vec![Ack { op: request.ops[0].id, seq: 1 }],
//!     server_time_ms: now,
//! };
//! let acked = engine.pushed(&answer, now); // remove these from the stored outbox
//! assert_eq!(acked, [outbox[0].id]);
//!
//! let Next::Pull(pull) = engine.next(&[], now) else { panic!("then pull") };
//! assert_eq!(pull.after, Cursor(0));
//! let page = PullResponse { protocol_version: PROTOCOL_VERSION, ops: vec![], cursor: Cursor(1), more: false, server_time_ms: now, admin: None };
//! let received = engine.pulled(page, now); // store received.ops, then received.cursor
//! assert_eq!(received.cursor, Cursor(1));
//! assert_eq!(engine.status(0), SyncStatus::Synced { at_ms: now });
//! ```
//!
//! # Rules
//! - Push before pull: the device's own changes reach the server first, and the pull that
//!   follows brings everything else.
//! - One request at a time. A retried push is safe: the server is idempotent by operation id.
//! - The owner stores a pull page's operations before the cursor, so a crash in between only
//!   pulls the page again (applying an operation twice changes nothing).
//! - After a failure the engine waits with exponential backoff and jitter (2 s doubling up to
//!   5 minutes); a trigger (the connection returns, the page becomes visible, the user asks)
//!   tries again at once. While everything is in sync it pulls every 60 seconds.
//! - A `401` means the device was removed from the team: the engine stops and says so; local
//!   data stays until the user decides. A `401` with the code `device_wiped` means an admin
//!   revoked the device as lost: the engine stops and the owner deletes the team's data at once.
//! - An operation the server refuses (invalid, or a conflicting id) is set aside by the owner,
//!   never dropped: the engine reports it and goes on with the rest.

use serde::{Deserialize, Serialize};

use crate::clock::{Hlc, HlcClock, MAX_DRIFT_MS};
use crate::ids::{DeviceId, OpId};
use crate::op::Operation;
use crate::protocol::{
    Cursor, PROTOCOL_VERSION, PullRequest, PullResponse, PushRequest, PushResponse,
};

/// Most operations the engine puts in one push.
pub const PUSH_BATCH: usize = 200;
/// Page size of pulls.
pub const PULL_PAGE: u32 = 500;
/// Pull this often while in sync.
pub const PERIOD_MS: u64 = 60_000;
/// First backoff delay after a failure.
pub const BACKOFF_BASE_MS: u64 = 2_000;
/// Longest backoff delay.
pub const BACKOFF_MAX_MS: u64 = 5 * 60_000;

/// What the owner should do next.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Next {
    /// Send this push.
    Push(PushRequest),
    /// Send this pull.
    Pull(PullRequest),
    /// Nothing until this time (or a trigger).
    WaitUntil(u64),
    /// A request is in flight; wait for its answer.
    InFlight,
    /// The device was removed from the team; nothing more.
    Stopped,
}

/// Why a request failed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Failure {
    /// No answer: no connection, a timeout, a dropped connection. Counts as offline even when
    /// the browser claims to be online.
    Offline,
    /// The server answered 401: this device was removed from the team.
    Unauthorized,
    /// The server answered 401 `device_wiped`: the device was revoked as lost and must delete
    /// the team's data.
    Wiped,
    /// The server refused one operation for good (422 or 409). The owner sets it aside.
    Rejected {
        /// The operation.
        op: OpId,
        /// The server's error code (`forbidden`, `invalid_operation`, `operation_conflict`).
        code: String,
        /// Why, in the server's words.
        reason: String,
    },
    /// The device's clock runs ahead of the server's beyond the drift bound.
    ClockAhead {
        /// The server's time from its answer.
        server_time_ms: u64,
    },
    /// An erasure is stamped before data of that resident the server holds (`409
    /// erasure_behind`): the owner stamps it, and what waits after it, again after `after`.
    Behind {
        /// The erasure.
        op: OpId,
        /// The timestamp to stamp it after.
        after: Hlc,
    },
    /// Any other answer (5xx, 429, a malformed answer): try again later.
    Server(String),
}

/// What the user sees about syncing.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum SyncStatus {
    /// No connection to the server; changes are kept on the phone.
    Offline {
        /// Changes waiting to be sent.
        waiting: usize,
    },
    /// A push or pull is under way.
    Syncing,
    /// Changes waiting to be sent (before the first attempt).
    Waiting {
        /// How many.
        waiting: usize,
    },
    /// Everything sent and received at this time.
    Synced {
        /// When (Unix milliseconds).
        at_ms: u64,
    },
    /// The last attempt failed for a reason the user should know.
    Error {
        /// The reason.
        reason: String,
        /// Changes waiting.
        waiting: usize,
    },
    /// This device was removed from the team.
    Removed,
    /// This device was revoked as lost: the team's data is deleted from it.
    Wiped,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Phase {
    Idle,
    Pushing,
    Pulling,
    /// Removed from the team; `true` when revoked as lost.
    Stopped {
        wiped: bool,
    },
}

/// A page of the team's log to store: first `ops`, then `cursor`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Received {
    /// Operations to store and apply (duplicates are harmless).
    pub ops: Vec<Operation>,
    /// The cursor to store after them.
    pub cursor: Cursor,
}

/// The sync engine of one device. Volatile: rebuilt from the stored cursor after a restart.
#[derive(Clone, Debug)]
pub struct SyncEngine {
    device: DeviceId,
    cursor: Cursor,
    phase: Phase,
    /// Earliest time for the next attempt; 0 means now.
    due_ms: u64,
    /// A trigger came while a request was on the wire (a change recorded, the user asking):
    /// go on at once when it is answered instead of resting until the next period.
    again: bool,
    failures: u32,
    last_synced_ms: Option<u64>,
    last_error: Option<Failure>,
}

impl SyncEngine {
    /// An engine for `device`, continuing from the stored `cursor`.
    pub fn new(device: DeviceId, cursor: Cursor) -> SyncEngine {
        SyncEngine {
            device,
            cursor,
            phase: Phase::Idle,
            due_ms: 0,
            again: false,
            failures: 0,
            last_synced_ms: None,
            last_error: None,
        }
    }

    /// The cursor the engine pulls from.
    pub fn cursor(&self) -> Cursor {
        self.cursor
    }

    /// The owner could not store a pulled page: pull again from `cursor`, the cursor the page was
    /// asked from (still the stored one).
    pub fn rewind(&mut self, cursor: Cursor) {
        self.cursor = cursor;
    }

    /// Sync as soon as possible: on app start, on the `online` event, when the page becomes
    /// visible, and when the user asks. Cuts a backoff wait short.
    pub fn trigger(&mut self, now_ms: u64) {
        if matches!(self.phase, Phase::Pushing | Phase::Pulling) {
            self.again = true;
        }
        if !matches!(self.phase, Phase::Stopped { .. }) {
            self.due_ms = now_ms;
        }
    }

    /// What to do now, given the stored outbox (oldest first).
    pub fn next(&mut self, outbox: &[Operation], now_ms: u64) -> Next {
        match self.phase {
            Phase::Stopped { .. } => return Next::Stopped,
            Phase::Pushing | Phase::Pulling => return Next::InFlight,
            Phase::Idle => {}
        }
        if now_ms < self.due_ms {
            return Next::WaitUntil(self.due_ms);
        }
        if outbox.is_empty() {
            self.phase = Phase::Pulling;
            Next::Pull(PullRequest {
                protocol_version: PROTOCOL_VERSION,
                after: self.cursor,
                limit: PULL_PAGE,
            })
        } else {
            self.phase = Phase::Pushing;
            let ops = outbox.iter().take(PUSH_BATCH).cloned().collect();
            Next::Push(PushRequest {
                protocol_version: PROTOCOL_VERSION,
                device: self.device,
                ops,
            })
        }
    }

    /// The push was answered: returns the acknowledged operation ids, to remove from the stored
    /// outbox. The engine goes on (push more, or pull) at once.
    pub fn pushed(&mut self, answer: &PushResponse, now_ms: u64) -> Vec<OpId> {
        if self.phase == Phase::Pushing {
            self.phase = Phase::Idle;
        }
        self.succeeded(now_ms);
        self.due_ms = now_ms;
        answer.acks.iter().map(|a| a.op).collect()
    }

    /// A pull page arrived: returns what to store. The engine pulls again at once while the
    /// server has more, else rests until the next period.
    pub fn pulled(&mut self, answer: PullResponse, now_ms: u64) -> Received {
        if self.phase == Phase::Pulling {
            self.phase = Phase::Idle;
        }
        self.succeeded(now_ms);
        if answer.cursor > self.cursor {
            self.cursor = answer.cursor;
        }
        if answer.more {
            self.due_ms = now_ms;
        } else {
            self.last_synced_ms = Some(now_ms);
            self.due_ms = if std::mem::take(&mut self.again) {
                now_ms
            } else {
                now_ms + PERIOD_MS
            };
        }
        Received {
            ops: answer.ops.into_iter().map(|s| s.op).collect(),
            cursor: self.cursor,
        }
    }

    fn succeeded(&mut self, _now_ms: u64) {
        self.failures = 0;
        self.last_error = None;
    }

    /// The request failed. `jitter` is a random number from the owner (core has no
    /// randomness); it spreads retries so devices do not return in step.
    pub fn failed(&mut self, failure: Failure, now_ms: u64, jitter: u32) {
        if matches!(self.phase, Phase::Stopped { .. }) {
            return;
        }
        self.phase = Phase::Idle;
        // Asked to sync while this request was on its way (the connection came back, the user
        // tapped): that ask is for after this failure, so it is not lost in the backoff.
        let asked = std::mem::take(&mut self.again);
        match &failure {
            Failure::Unauthorized => {
                self.phase = Phase::Stopped { wiped: false };
            }
            Failure::Wiped => {
                self.phase = Phase::Stopped { wiped: true };
            }
            // The owner set the operation aside or re-stamped the outbox: go on at once.
            Failure::Rejected { .. } | Failure::ClockAhead { .. } | Failure::Behind { .. } => {
                self.due_ms = now_ms;
            }
            Failure::Offline | Failure::Server(_) => {
                self.failures = self.failures.saturating_add(1);
                let ceiling = BACKOFF_BASE_MS
                    .saturating_mul(1 << self.failures.min(20).saturating_sub(1))
                    .min(BACKOFF_MAX_MS);
                // "Equal jitter": half the delay fixed, half random.
                let delay = ceiling / 2 + u64::from(jitter) % (ceiling / 2 + 1);
                self.due_ms = if asked { now_ms } else { now_ms + delay };
            }
        }
        self.last_error = Some(failure);
    }

    /// The status to show, given how many changes wait in the outbox.
    pub fn status(&self, waiting: usize) -> SyncStatus {
        if let Phase::Stopped { wiped } = self.phase {
            return if wiped {
                SyncStatus::Wiped
            } else {
                SyncStatus::Removed
            };
        }
        if matches!(self.phase, Phase::Pushing | Phase::Pulling) {
            return SyncStatus::Syncing;
        }
        match &self.last_error {
            Some(Failure::Offline) => return SyncStatus::Offline { waiting },
            Some(Failure::Server(reason)) => {
                return SyncStatus::Error {
                    reason: reason.clone(),
                    waiting,
                };
            }
            Some(Failure::Rejected { reason, .. }) => {
                return SyncStatus::Error {
                    reason: reason.clone(),
                    waiting,
                };
            }
            _ => {}
        }
        match self.last_synced_ms {
            Some(at_ms) if waiting == 0 => SyncStatus::Synced { at_ms },
            _ => SyncStatus::Waiting { waiting },
        }
    }
}

/// Re-stamps the outbox after the server said the device's clock runs ahead: the clock is
/// set back by the measured offset and every operation stamped beyond the drift bound gets a new
/// timestamp, in order. Operations within the bound keep theirs (the server may already hold
/// them from a push whose answer was lost). Returns how many were re-stamped. A time of 0 (an
/// answer that did not say) changes nothing: stamping from it would send the outbox to 1970.
pub fn restamp(outbox: &mut [Operation], clock: &mut HlcClock, server_time_ms: u64) -> usize {
    if server_time_ms == 0 {
        return 0;
    }
    let limit = server_time_ms.saturating_add(MAX_DRIFT_MS);
    // Continue after the latest stamp that stays, so the device's own edits keep their order.
    let kept = outbox
        .iter()
        .map(|op| op.hlc)
        .filter(|hlc| hlc.wall_ms <= limit)
        .max()
        .unwrap_or_default();
    *clock = HlcClock::resume(kept);
    let mut n = 0;
    for op in outbox.iter_mut().filter(|op| op.hlc.wall_ms > limit) {
        if let Ok(hlc) = clock.tick(server_time_ms) {
            op.hlc = hlc;
            n += 1;
        }
    }
    n
}

/// Re-stamps the waiting operation `op` and every one waiting after it, in order, after `after`
/// (the server holds data stamped later than an erasure: see [`Failure::Behind`]). Nobody has
/// seen them, so nothing shared changes. Returns how many were re-stamped.
pub fn restamp_after(
    outbox: &mut [Operation],
    clock: &mut HlcClock,
    op: OpId,
    after: Hlc,
    now_ms: u64,
) -> usize {
    let Some(from) = outbox.iter().position(|o| o.id == op) else {
        return 0;
    };
    // A clock refuses to adopt a time beyond the drift bound; the server's data is within it.
    *clock = HlcClock::resume(clock.last().max(after));
    let mut n = 0;
    for waiting in &mut outbox[from..] {
        if let Ok(hlc) = clock.tick(now_ms) {
            waiting.hlc = hlc;
            n += 1;
        }
    }
    n
}

/// The server's push and pull rules in memory: idempotent by operation id, one sequence number
/// per stored operation, paged pulls after a cursor. For simulations and tests of anything that
/// syncs; the real server (`crates/server`) keeps the same rules in SQLite.
#[derive(Clone, Debug, Default)]
pub struct ModelServer {
    /// The log, in sequence order (sequence number = index + 1).
    pub log: Vec<Operation>,
    seq_of: std::collections::BTreeMap<OpId, u64>,
}

impl ModelServer {
    /// Stores what is new and acknowledges every operation with its sequence number.
    pub fn push(&mut self, request: &PushRequest) -> PushResponse {
        let acks = request
            .ops
            .iter()
            .map(|op| {
                let seq = *self.seq_of.entry(op.id).or_insert_with(|| {
                    self.log.push(op.clone());
                    self.log.len() as u64
                });
                crate::protocol::Ack { op: op.id, seq }
            })
            .collect();
        PushResponse {
            protocol_version: PROTOCOL_VERSION,
            acks,
            server_time_ms: 0,
        }
    }

    /// The page of the log after the request's cursor.
    pub fn pull(&self, request: &PullRequest) -> PullResponse {
        let start = (request.after.0 as usize).min(self.log.len());
        let end = (start + request.limit as usize).min(self.log.len());
        let ops = self.log[start..end]
            .iter()
            .enumerate()
            .map(|(i, op)| crate::protocol::SequencedOp {
                seq: (start + i + 1) as u64,
                op: op.clone(),
            })
            .collect();
        PullResponse {
            protocol_version: PROTOCOL_VERSION,
            ops,
            cursor: Cursor(end as u64),
            more: end < self.log.len(),
            server_time_ms: 0,
            admin: None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::factory::OpFactory;
    use crate::op::Payload;

    fn op(f: &mut OpFactory) -> Operation {
        f.op(Payload::TeamUpdate {
            name: Some("T".into()),
            neighbourhood: None,
        })
    }

    #[test]
    fn backoff_grows_with_jitter_and_a_trigger_cuts_it_short() {
        let mut f = OpFactory::new(1);
        let outbox = vec![op(&mut f)];
        let mut e = SyncEngine::new(f.author().device, Cursor(0));
        let mut delays = Vec::new();
        for _ in 0..12 {
            assert!(matches!(e.next(&outbox, 1_000), Next::Push(_)));
            e.failed(Failure::Offline, 1_000, 7_777);
            let Next::WaitUntil(at) = e.next(&outbox, 1_000) else {
                panic!("waits")
            };
            delays.push(at - 1_000);
            e.trigger(1_000);
        }
        assert!(delays.windows(2).all(|w| w[0] <= w[1]), "{delays:?}");
        assert!(delays[0] >= BACKOFF_BASE_MS / 2 && delays[0] <= BACKOFF_BASE_MS);
        assert!(*delays.last().expect("delays") <= BACKOFF_MAX_MS);
        assert_eq!(e.status(1), SyncStatus::Offline { waiting: 1 });
    }

    #[test]
    fn a_change_recorded_while_a_pull_is_on_the_wire_is_sent_right_after_it() {
        let mut f = OpFactory::new(1);
        let mut e = SyncEngine::new(f.author().device, Cursor(0));
        assert!(matches!(e.next(&[], 0), Next::Pull(_)));
        // While the pull is answered, the user logs a visit: recorded, the engine triggered.
        let outbox = vec![op(&mut f)];
        e.trigger(10);
        let page = PullResponse {
            protocol_version: PROTOCOL_VERSION,
            ops: Vec::new(),
            cursor: Cursor(0),
            more: false,
            server_time_ms: 20,
            admin: None,
        };
        e.pulled(page.clone(), 20);
        assert!(
            matches!(e.next(&outbox, 20), Next::Push(_)),
            "not a minute's rest with a change waiting"
        );
        // Without a trigger in between, the engine rests until the next period.
        let mut quiet = SyncEngine::new(f.author().device, Cursor(0));
        assert!(matches!(quiet.next(&[], 0), Next::Pull(_)));
        quiet.pulled(page, 20);
        assert_eq!(quiet.next(&[], 20), Next::WaitUntil(20 + PERIOD_MS));
    }

    #[test]
    fn a_trigger_while_a_request_fails_tries_again_at_once() {
        let mut f = OpFactory::new(1);
        let outbox = vec![op(&mut f)];
        let mut e = SyncEngine::new(f.author().device, Cursor(0));
        assert!(matches!(e.next(&outbox, 0), Next::Push(_)));
        e.failed(Failure::Offline, 0, 0);
        // Offline, waiting out the backoff; the next try goes out and is still on its way when
        // the connection comes back (the `online` event triggers).
        assert!(matches!(e.next(&outbox, BACKOFF_MAX_MS), Next::Push(_)));
        e.trigger(BACKOFF_MAX_MS + 1);
        e.failed(Failure::Offline, BACKOFF_MAX_MS + 2, 0);
        assert!(
            matches!(e.next(&outbox, BACKOFF_MAX_MS + 2), Next::Push(_)),
            "the trigger is not lost in the backoff"
        );
        // Without one, the backoff holds.
        e.failed(Failure::Offline, BACKOFF_MAX_MS + 3, 0);
        assert!(matches!(
            e.next(&outbox, BACKOFF_MAX_MS + 3),
            Next::WaitUntil(_)
        ));
    }

    #[test]
    fn unauthorized_stops_the_engine_and_says_removed() {
        let mut f = OpFactory::new(1);
        let mut e = SyncEngine::new(f.author().device, Cursor(0));
        let outbox = vec![op(&mut f)];
        assert!(matches!(e.next(&outbox, 0), Next::Push(_)));
        e.failed(Failure::Unauthorized, 0, 0);
        e.trigger(5);
        assert_eq!(e.next(&outbox, 5), Next::Stopped);
        assert_eq!(e.status(1), SyncStatus::Removed);
    }

    #[test]
    fn a_device_revoked_as_lost_stops_and_says_wiped() {
        let mut f = OpFactory::new(1);
        let mut e = SyncEngine::new(f.author().device, Cursor(0));
        let outbox = vec![op(&mut f)];
        assert!(matches!(e.next(&outbox, 0), Next::Push(_)));
        e.failed(Failure::Wiped, 0, 0);
        e.failed(Failure::Unauthorized, 1, 0);
        e.trigger(5);
        assert_eq!(e.next(&outbox, 5), Next::Stopped);
        assert_eq!(
            e.status(1),
            SyncStatus::Wiped,
            "a later 401 does not undo it"
        );
    }

    #[test]
    fn the_model_server_stores_once_and_pages() {
        let mut f = OpFactory::new(2);
        let ops: Vec<Operation> = (0..5).map(|_| op(&mut f)).collect();
        let mut server = ModelServer::default();
        let request = PushRequest {
            protocol_version: PROTOCOL_VERSION,
            device: f.author().device,
            ops,
        };
        let first = server.push(&request);
        assert_eq!(server.push(&request), first, "a retry gets the same answer");
        assert_eq!(server.log.len(), 5);
        let page = server.pull(&PullRequest {
            protocol_version: PROTOCOL_VERSION,
            after: Cursor(3),
            limit: 10,
        });
        assert_eq!(
            (page.ops.len(), page.cursor, page.more),
            (2, Cursor(5), false)
        );
        assert_eq!(page.ops[0].seq, 4);
    }

    #[test]
    fn an_erasure_behind_the_servers_data_is_stamped_again_after_it_with_what_follows() {
        let mut f = OpFactory::new(1);
        let before = op(&mut f);
        let address = f.id(crate::ids::AddressId::new_v7);
        let erase = f.op(Payload::EraseResident { address });
        let after_it = op(&mut f);
        let mut outbox = vec![before.clone(), erase.clone(), after_it];
        let mut clock = HlcClock::resume(outbox[2].hlc);
        let newest = Hlc::at(f.now_ms() + 60_000);
        assert_eq!(
            restamp_after(&mut outbox, &mut clock, erase.id, newest, f.now_ms()),
            2
        );
        assert_eq!(outbox[0], before, "what came before keeps its stamp");
        assert!(outbox[1].hlc > newest && outbox[2].hlc > outbox[1].hlc);
        let mut e = SyncEngine::new(f.author().device, Cursor(0));
        assert!(matches!(e.next(&outbox, 0), Next::Push(_)));
        e.failed(
            Failure::Behind {
                op: erase.id,
                after: newest,
            },
            5,
            0,
        );
        assert!(
            matches!(e.next(&outbox, 5), Next::Push(_)),
            "sent again at once"
        );
    }

    #[test]
    fn restamping_only_moves_operations_beyond_the_bound() {
        let mut f = OpFactory::new(1);
        let server_now = f.now_ms();
        let ok = op(&mut f);
        f.advance_ms(3_600_000);
        let fast = op(&mut f);
        let fast2 = op(&mut f);
        let mut outbox = vec![ok.clone(), fast, fast2];
        let mut clock = HlcClock::default();
        let before = outbox.clone();
        assert_eq!(
            restamp(&mut outbox, &mut clock, 0),
            0,
            "no time, no re-stamp"
        );
        assert_eq!(outbox, before);
        assert_eq!(restamp(&mut outbox, &mut clock, server_now), 2);
        assert_eq!(
            outbox[0], ok,
            "an operation the server may hold keeps its stamp"
        );
        assert!(outbox[1].hlc < outbox[2].hlc, "order kept");
        assert!(
            outbox
                .iter()
                .all(|o| crate::clock::check_drift(o.hlc, server_now).is_ok())
        );
    }
}
