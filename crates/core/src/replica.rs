//! The replica core: a device's copy of the team's data and every decision about it, with no
//! I/O. It records changes (checked against the team's state), folds the state, keeps the
//! outbox, the changes storage could not save yet and those the server refused, restamps by
//! the server's clock, and runs the [`SyncEngine`].
//!
//! The core never waits for anything. Each step returns what the shell around it must carry
//! out (the app: IndexedDB, fetch, other tabs; the simulation: a model of them) and the shell
//! reports back how that went:
//!
//! | core step                         | effect the shell carries out                         | then      |
//! |-----------------------------------|------------------------------------------------------|-----------|
//! | [`ReplicaCore::record`]           | save the new operations, tell other tabs             | [`ReplicaCore::unsaved`] if saving failed |
//! | [`ReplicaCore::next`]             | send the push or pull it names                       | `pushed` / `pulled` / `failed` |
//! | [`ReplicaCore::pushed`]           | forget the acknowledged ids in storage               | [`ReplicaCore::acknowledged`] |
//! | [`ReplicaCore::pulled`]           | save the page and its cursor                         | [`ReplicaCore::take_in`] or [`ReplicaCore::rewind`] |
//! | [`ReplicaCore::take_in`]          | forget refusals of what the server stored after all  |           |
//! | [`ReplicaCore::push_refused`]     | a [`Refusal`]: save a re-stamped outbox, or store a refusal; fold again | [`ReplicaCore::refold`] |
//! | [`ReplicaCore::next_erasure`]     | strip a resident's data from the stored records      | [`ReplicaCore::erasure_stored`] |
//!
//! The app's `Replica` and the sync simulation (`tests/sync_simulation.rs`) both drive this
//! core, so the simulation checks the code that runs on phones.

use std::collections::BTreeSet;

use crate::clock::{ClockError, HlcClock};
use crate::ids::{AddressId, DeviceId, OpId};
use crate::op::{Author, Operation, Payload, Stamp};
use crate::protocol::{Cursor, PullResponse, PushResponse};
use crate::state::{ReferenceError, State};
use crate::sync::{Failure, Next, Received, SyncEngine, SyncStatus};
use crate::validate::ValidationError;

/// Differences between the phone's clock and the server's below this are noise (the time a
/// request takes), not a wrong clock.
const OFFSET_NOISE_MS: i64 = 2_000;

/// Most addresses the touched log keeps; a view further behind derives everything again.
const TOUCHED_MAX: usize = 4_096;

/// Why the server refused an operation for good.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Reason {
    /// `forbidden`, `invalid_operation`, `operation_conflict`, …
    pub code: String,
    /// The server's message.
    pub message: String,
}

impl Reason {
    /// As stored: the code, a line break, the message.
    pub fn encode(&self) -> String {
        format!("{}\n{}", self.code, self.message)
    }

    /// Reads a stored reason back.
    pub fn decode(text: &str) -> Reason {
        let (code, message) = text.split_once('\n').unwrap_or((text, ""));
        Reason {
            code: code.to_owned(),
            message: message.to_owned(),
        }
    }
}

/// An operation the server refused for good, with its reason.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Refused {
    /// The operation, as made.
    pub op: Operation,
    /// Why.
    pub reason: Reason,
}

/// Whether an erasure of `address` up to `until` reaches `op`; strips it if so. The rule the
/// state's fold and the server's store follow too.
pub fn strip_if_erased(op: &mut Operation, address: AddressId, until: Stamp) -> bool {
    op.resident_address() == Some(address) && op.stamp() <= until && op.strip_personal()
}

/// Why an operation made on this device was not recorded: nothing changed.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum RecordError {
    /// The operation breaks a rule (too long a name, a bad postcode).
    #[error("{0}")]
    Invalid(#[from] ValidationError),
    /// The operation refers to something removed or unknown (a visit to a removed address).
    #[error("{0}")]
    Reference(#[from] ReferenceError),
    /// The phone's clock cannot issue another timestamp.
    #[error("the phone's clock cannot stamp this change: {0}")]
    Clock(#[from] ClockError),
}

/// What changed since a view last looked (see [`ReplicaCore::touched_since`]).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Touched {
    /// Only these addresses changed (possibly none).
    Addresses(Vec<AddressId>),
    /// Too much changed, or the state was rebuilt: derive everything again.
    Everything,
}

/// What a refused push asks of the shell (see [`ReplicaCore::push_refused`]).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Refusal {
    /// The outbox was stamped again: save it (all of it, replacing the stored copies), then
    /// fold again with [`ReplicaCore::refold`] and call [`ReplicaCore::resaved`].
    Restamped(Vec<Operation>),
    /// The operation was set aside: store the refusal when `store` says (it was saved here
    /// before), then fold again with [`ReplicaCore::refold`].
    SetAside {
        /// The refused operation.
        op: OpId,
        /// Why.
        reason: Reason,
        /// Whether storage holds the operation (then it keeps the refusal with it).
        store: bool,
        /// A refused erasure had stripped stored copies the team keeps: store the cursor
        /// at 0 too, so the whole log is pulled again (after a restart as well).
        repull: bool,
    },
    /// The team holds the operation already, in another copy: forget it in the stored outbox
    /// as if acknowledged, and store the cursor at 0 so the whole log is pulled again.
    Held {
        /// The operation.
        op: OpId,
    },
    /// Nothing to carry out: the engine waits and tries again.
    Wait,
}

/// A device's replica of the team's data, without I/O. See the module documentation.
#[derive(Debug)]
pub struct ReplicaCore {
    engine: SyncEngine,
    /// Operations made here (or in another tab) and not yet acknowledged, oldest first.
    outbox: Vec<Operation>,
    /// Operations the storage refused (full quota): kept in memory and saved again later.
    unsaved: Vec<Operation>,
    /// Operations the server refused for good: stored with the reason, shown, left out of the
    /// state, never sent again; until the user discards them.
    refused: Vec<Refused>,
    state: State,
    clock: HlcClock,
    /// Counts changes to `state`, so views know when to read it again.
    revision: u64,
    /// Counts changes per area.
    areas: [u64; 5],
    /// Erasures applied but not yet carried into the stored records.
    erasures: Vec<AddressId>,
    /// Counts erasures applied since the replica was opened.
    erasures_applied: u64,
    /// The server's clock minus the phone's.
    offset_ms: i64,
    /// Whether this device is an admin's, from the latest pull answer that said.
    admin: Option<bool>,
    /// Addresses changed by operations applied, oldest first, for views that follow single
    /// changes; `touched_base` counts the entries dropped from the front.
    touched: Vec<AddressId>,
    touched_base: u64,
    /// The refusal that had the outbox stamped again, until it is saved.
    restamped: Option<Failure>,
    repull: Repull,
}

/// Pulling the whole log again, after a refused erasure stripped stored copies.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Repull {
    No,
    /// Pages are coming from the start of the log.
    Pulling,
    /// The last page came: fold again from the copies pulled.
    Done,
}

/// A saved page taken in (see [`ReplicaCore::take_in`]).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct TakenIn {
    /// Operations refused here that the server stored after all: forget their refusal in
    /// storage.
    pub back: Vec<OpId>,
    /// The whole log was pulled again: fold the state again with [`ReplicaCore::refold`].
    pub refold: bool,
}

impl ReplicaCore {
    /// The replica as stored: the team's log (`ops`, pulled and made here, without what was
    /// refused), the operations still waiting for the server, those refused, and the cursor.
    pub fn new(
        device: DeviceId,
        ops: &[Operation],
        outbox: Vec<Operation>,
        refused: Vec<Refused>,
        cursor: Cursor,
    ) -> ReplicaCore {
        let last = ops.iter().map(|op| op.hlc).max().unwrap_or_default();
        let state = State::fold(ops);
        // Erasures are carried into the stored records again at start: one applied just before
        // the app closed may not have reached them.
        let erasures = state.erasures.keys().copied().collect();
        ReplicaCore {
            engine: SyncEngine::new(device, cursor),
            outbox,
            unsaved: Vec::new(),
            refused,
            state,
            clock: HlcClock::resume(last),
            revision: 0,
            areas: [0; 5],
            erasures,
            erasures_applied: 0,
            offset_ms: 0,
            admin: None,
            touched: Vec::new(),
            touched_base: 0,
            restamped: None,
            // A stored log with the cursor at its start is being pulled again.
            repull: if cursor == Cursor(0) && !ops.is_empty() {
                Repull::Pulling
            } else {
                Repull::No
            },
        }
    }

    /// The team's state on this device.
    pub fn state(&self) -> &State {
        &self.state
    }

    /// Operations waiting for the server, oldest first.
    pub fn outbox(&self) -> &[Operation] {
        &self.outbox
    }

    /// Operations the storage could not save yet.
    pub fn unsaved_ops(&self) -> &[Operation] {
        &self.unsaved
    }

    /// Operations the server refused, with its reason.
    pub fn refused(&self) -> &[Refused] {
        &self.refused
    }

    /// Goes up by one with every change to the state.
    pub fn revision(&self) -> u64 {
        self.revision
    }

    /// Goes up with every change to each area of the state.
    pub fn areas(&self) -> [u64; 5] {
        self.areas
    }

    /// Counts resident erasures applied since the replica was opened.
    pub fn erasures_applied(&self) -> u64 {
        self.erasures_applied
    }

    /// Whether this device is an admin's, as the server last said (none: not said yet).
    pub fn admin(&self) -> Option<bool> {
        self.admin
    }

    /// What to show about syncing.
    pub fn status(&self) -> SyncStatus {
        self.engine.status(self.outbox.len())
    }

    /// The sync engine's cursor: the end of the server's log this replica has.
    pub fn cursor(&self) -> Cursor {
        self.engine.cursor()
    }

    /// Sync as soon as possible.
    pub fn trigger(&mut self, now_ms: u64) {
        self.engine.trigger(now_ms);
    }

    /// Applies `op` to the state; notes what it touched and strips what an erasure reaches.
    fn apply(&mut self, op: &Operation) {
        let touched = self.state.addresses_touched_by(op);
        if !self.state.apply(op) {
            return;
        }
        self.touched.extend(touched);
        if self.touched.len() > TOUCHED_MAX {
            let drop = self.touched.len() - TOUCHED_MAX / 2;
            self.touched.drain(..drop);
            self.touched_base += drop as u64;
        }
        self.revision += 1;
        self.areas[op.payload.area() as usize] += 1;
        if let Payload::EraseResident { address } = op.payload
            && let Some(until) = self.state.erasures.get(&address).copied()
        {
            // The copies waiting here are stripped too, so nothing sends or saves the erased
            // data again; the stored records follow through `next_erasure`.
            for waiting in self.outbox.iter_mut().chain(&mut self.unsaved) {
                strip_if_erased(waiting, address, until);
            }
            for refused in &mut self.refused {
                strip_if_erased(&mut refused.op, address, until);
            }
            self.erasures.push(address);
            self.erasures_applied += 1;
        }
    }

    /// Where the touched log ends now: a view that derived everything now starts from here.
    pub fn touched_mark(&self) -> u64 {
        self.touched_base + self.touched.len() as u64
    }

    /// The addresses changed since `mark`, and the new mark.
    pub fn touched_since(&self, mark: u64) -> (Touched, u64) {
        let end = self.touched_mark();
        let touched = match mark.checked_sub(self.touched_base) {
            Some(from) if mark <= end => {
                let mut list = self.touched[from as usize..].to_vec();
                crate::sort::sort_by(&mut list, Ord::cmp);
                list.dedup();
                Touched::Addresses(list)
            }
            _ => Touched::Everything,
        };
        (touched, end)
    }

    /// The server's clock minus the phone's, as last learned (0 until an answer said).
    pub fn clock_offset(&self) -> i64 {
        self.offset_ms
    }

    /// Sets the clock offset remembered from an earlier session.
    pub fn set_clock_offset(&mut self, offset_ms: i64) {
        self.offset_ms = offset_ms;
    }

    /// The phone's time (`local_ms`) corrected by the server's clock: the time changes are
    /// stamped with.
    pub fn now(&self, local_ms: u64) -> u64 {
        local_ms.saturating_add_signed(self.offset_ms)
    }

    /// Takes the server's time from an answer received at `local_ms` (0 means the answer did
    /// not say). A difference beyond the noise of a request becomes the clock offset; `true`
    /// when the offset changed. Changes already stamped too far ahead keep their stamps until
    /// the server refuses them; they are then re-stamped in order.
    pub fn learn_server_time(&mut self, server_time_ms: u64, local_ms: u64) -> bool {
        if server_time_ms == 0 {
            return false;
        }
        let measured = i64::try_from(server_time_ms).unwrap_or(i64::MAX)
            - i64::try_from(local_ms).unwrap_or(i64::MAX);
        let offset = if measured.abs() < OFFSET_NOISE_MS {
            0
        } else {
            measured
        };
        if (offset - self.offset_ms).abs() < OFFSET_NOISE_MS {
            return false;
        }
        self.offset_ms = offset;
        true
    }

    /// A new operation by `author`, stamped by this device's clock corrected by the server's
    /// (`local_ms` is the phone's own time). `random` fills the id.
    pub fn stamp(
        &mut self,
        author: Author,
        payload: Payload,
        local_ms: u64,
        random: [u8; 10],
    ) -> Result<Operation, ClockError> {
        let now = self.now(local_ms);
        let hlc = self.clock.tick(now)?;
        Ok(Operation {
            id: OpId::new_v7(now, random),
            hlc,
            author,
            payload,
        })
    }

    /// Checks operations made on this device before they are recorded: each must be valid and
    /// refer only to what exists before the batch or what an earlier operation of the batch
    /// makes (a new project and the steps of its plan). One bad operation refuses the batch.
    pub fn check(&self, ops: &[Operation]) -> Result<(), RecordError> {
        for (i, op) in ops.iter().enumerate() {
            op.validate()?;
            if let Err(e) = self.state.check_references(op) {
                if i == 0 {
                    return Err(e.into());
                }
                // Only an operation that refers to what its batch makes pays for this: what it
                // refers to, copied, with the batch's earlier operations applied on top. (A
                // copy of the whole state would cost a phone with thousands of addresses a
                // moment, and the app the code to copy every kind of record.)
                let mut state = self.state.referenced_by(op);
                for earlier in &ops[..i] {
                    state.apply(earlier);
                }
                state.check_references(op)?;
            }
        }
        Ok(())
    }

    /// Records operations made on this device, checked by [`ReplicaCore::check`]: shown at once
    /// and queued for the server. The shell saves them next (and tells other tabs).
    pub fn record(&mut self, ops: &[Operation]) {
        for op in ops {
            self.apply(op);
            self.outbox.push(op.clone());
        }
    }

    /// Storage refused to save `ops`: they stay in memory (and in the outbox) until saved.
    pub fn unsaved(&mut self, ops: Vec<Operation>) {
        self.unsaved.extend(ops);
    }

    /// Storage saved these of the unsaved operations.
    pub fn saved(&mut self, ids: &BTreeSet<OpId>) {
        self.unsaved.retain(|u| !ids.contains(&u.id));
    }

    /// The next erasure to carry into the stored records: strip every stored operation about
    /// that address's resident made at or before the stamp, then call
    /// [`ReplicaCore::erasure_stored`]. Should storage fail, the erasure stays queued.
    pub fn next_erasure(&self) -> Option<(AddressId, Stamp)> {
        let address = self.erasures.first()?;
        Some((*address, *self.state.erasures.get(address)?))
    }

    /// The stored records hold nothing of `address`'s resident from before its erasure.
    pub fn erasure_stored(&mut self, address: AddressId) {
        self.erasures.retain(|a| *a != address);
    }

    /// Takes in operations another tab recorded and saved: applied here, and queued here as
    /// well so they reach the server even if that tab closes first.
    pub fn merge(&mut self, ops: &[Operation]) {
        let waiting: BTreeSet<OpId> = crate::sort::set(self.outbox.iter().map(|op| op.id));
        for op in ops {
            if op.validate().is_err() {
                continue;
            }
            self.apply(op);
            if !waiting.contains(&op.id) {
                self.outbox.push(op.clone());
            }
        }
        crate::sort::sort_by_key(&mut self.outbox, |op| (op.hlc, op.id));
    }

    /// These operations were acknowledged (here, stored; or by another tab): they no longer
    /// wait.
    pub fn acknowledged(&mut self, ids: &[OpId]) {
        let ids: BTreeSet<OpId> = crate::sort::set(ids.iter().copied());
        self.outbox.retain(|op| !ids.contains(&op.id));
    }

    /// The user (here or in another tab) let a refused operation go.
    pub fn discarded(&mut self, id: OpId) {
        self.refused.retain(|r| r.op.id != id);
    }

    /// What to do next: a request to send, a time to wake, or nothing (removed from the team).
    pub fn next(&mut self, now_ms: u64) -> Next {
        self.engine.next(&self.outbox, now_ms)
    }

    /// The answer to a push, received at `local_ms`: the acknowledged ids, which the shell
    /// forgets in storage and then passes to [`ReplicaCore::acknowledged`]. A crash before that
    /// pushes them again, which the server answers the same way.
    pub fn pushed(&mut self, answer: &PushResponse, local_ms: u64) -> Vec<OpId> {
        self.learn_server_time(answer.server_time_ms, local_ms);
        self.engine.pushed(answer, local_ms)
    }

    /// The answer to a pull, received at `local_ms`: the page to save with its cursor (data
    /// covered by an erasure known here stripped, whatever the server sent). Once saved, the
    /// shell passes it to [`ReplicaCore::take_in`]; if saving failed, to
    /// [`ReplicaCore::rewind`].
    pub fn pulled(&mut self, answer: PullResponse, local_ms: u64) -> Received {
        self.learn_server_time(answer.server_time_ms, local_ms);
        if answer.admin.is_some() {
            self.admin = answer.admin;
        }
        if self.repull == Repull::Pulling && !answer.more {
            self.repull = Repull::Done;
        }
        let mut received = self.engine.pulled(answer, local_ms);
        for op in &mut received.ops {
            if let Some(address) = op.resident_address()
                && let Some(until) = self.state.erasures.get(&address)
            {
                strip_if_erased(op, address, *until);
            }
        }
        received
    }

    /// A saved page is applied. Returns the operations refused here that the server stored
    /// after all (a copy of an earlier request that arrived late): the server's log is what
    /// the team has, so they are refused no longer, and the shell forgets their refusal in
    /// storage as it forgets an acknowledged operation. After the last page of a log pulled
    /// again, the shell folds the state again from storage.
    pub fn take_in(&mut self, ops: &[Operation], local_ms: u64) -> TakenIn {
        let now = self.now(local_ms);
        let mut back = Vec::new();
        for op in ops {
            // A timestamp too far ahead is not taken into the clock; the operation itself
            // still counts.
            let _ = self.clock.observe(op.hlc, now);
            self.apply(op);
            if self.refused.iter().any(|r| r.op.id == op.id) {
                back.push(op.id);
            }
        }
        self.refused.retain(|r| !back.contains(&r.op.id));
        let refold = self.repull == Repull::Done;
        if refold {
            self.repull = Repull::No;
        }
        TakenIn { back, refold }
    }

    /// A pulled page could not be saved: it comes again from `after`, the cursor storage kept.
    pub fn rewind(&mut self, after: Cursor, why: String, now_ms: u64, jitter: u32) {
        self.engine.rewind(after);
        self.engine.failed(Failure::Server(why), now_ms, jitter);
    }

    /// A request failed (`jitter` spreads the retries).
    pub fn failed(&mut self, failure: Failure, now_ms: u64, jitter: u32) {
        self.engine.failed(failure, now_ms, jitter);
    }

    /// A push the server refused, received at `local_ms`: what the shell must carry out.
    ///
    /// - A clock ahead of the server's, or an erasure behind data of its resident: the outbox
    ///   is stamped again (nobody else has seen it) and must be saved and folded again.
    /// - A refusal for good: the operation leaves the outbox and the state and is kept with
    ///   the reason, to be shown until the user discards it; never sent again.
    /// - Anything else: the engine waits and tries again.
    pub fn push_refused(&mut self, failure: Failure, local_ms: u64, jitter: u32) -> Refusal {
        match failure {
            Failure::ClockAhead { server_time_ms } => {
                self.learn_server_time(server_time_ms, local_ms);
                crate::sync::restamp(&mut self.outbox, &mut self.clock, server_time_ms);
                self.restamped = Some(failure);
                Refusal::Restamped(self.outbox.clone())
            }
            Failure::Behind { op, after } => {
                let now = self.now(local_ms);
                crate::sync::restamp_after(&mut self.outbox, &mut self.clock, op, after, now);
                self.restamped = Some(failure);
                Refusal::Restamped(self.outbox.clone())
            }
            Failure::Rejected { op, code, reason } if code == crate::protocol::CONFLICT_CODE => {
                // The team holds this operation with other content: a copy sent before this
                // phone stamped it again. It is not refused; the team's copy counts, so the
                // whole log is pulled again and the state folded from it.
                self.outbox.retain(|o| o.id != op);
                self.engine.rewind(Cursor(0));
                self.repull = Repull::Pulling;
                self.engine
                    .failed(Failure::Rejected { op, code, reason }, local_ms, jitter);
                Refusal::Held { op }
            }
            Failure::Rejected { op, code, reason } => {
                let reason = Reason {
                    code: code.clone(),
                    message: reason.clone(),
                };
                let unsaved = self.unsaved.len();
                self.unsaved.retain(|o| o.id != op);
                let store = self.outbox.iter().any(|o| o.id == op) && self.unsaved.len() == unsaved;
                let erasure = self
                    .outbox
                    .iter()
                    .any(|o| o.id == op && matches!(o.payload, Payload::EraseResident { .. }));
                self.set_aside(op, reason.clone());
                if erasure {
                    // The erasure stripped this phone's stored copies at once; the team keeps
                    // what it reached. Pull everything again to hold what the team holds.
                    self.engine.rewind(Cursor(0));
                    self.repull = Repull::Pulling;
                }
                self.engine.failed(
                    Failure::Rejected {
                        op,
                        code,
                        reason: reason.message.clone(),
                    },
                    local_ms,
                    jitter,
                );
                Refusal::SetAside {
                    op,
                    reason,
                    store,
                    repull: erasure,
                }
            }
            failure => {
                self.engine.failed(failure, local_ms, jitter);
                Refusal::Wait
            }
        }
    }

    /// Moves `id` from the outbox to the refused (once); `false` when it was not waiting here.
    /// The state still holds it: fold again with [`ReplicaCore::refold`].
    pub fn set_aside(&mut self, id: OpId, reason: Reason) -> bool {
        let Some(at) = self.outbox.iter().position(|o| o.id == id) else {
            return false;
        };
        let op = self.outbox.remove(at);
        if !self.refused.iter().any(|r| r.op.id == id) {
            self.refused.push(Refused { op, reason });
        }
        true
    }

    /// Folds the state again from the stored log (`stored`: what storage loads, refused
    /// operations included or not) and what waits unsaved, without what the server refused.
    pub fn refold(&mut self, stored: Vec<Operation>) {
        let mut ops = stored;
        ops.extend(self.unsaved.iter().cloned());
        let refused: BTreeSet<OpId> = crate::sort::set(self.refused.iter().map(|r| r.op.id));
        ops.retain(|op| !refused.contains(&op.id));
        self.state = State::fold(&ops);
        self.revision += 1;
        for area in &mut self.areas {
            *area += 1;
        }
        // Views that follow single changes derive everything again.
        let end = self.touched_mark();
        self.touched.clear();
        self.touched_base = end + 1;
    }

    /// A re-stamped outbox was saved and folded again: the engine goes on at once, and as an
    /// erasure whose stamp moved reaches more of what is stored, every erasure is carried into
    /// storage again.
    pub fn resaved(&mut self, now_ms: u64, jitter: u32) {
        if let Some(failure) = self.restamped.take() {
            self.engine.failed(failure, now_ms, jitter);
        }
        let erased: Vec<AddressId> = self.state.erasures.keys().copied().collect();
        self.erasures.extend(erased);
    }

    /// A re-stamped outbox could not be saved: the engine waits and tries again.
    pub fn resave_failed(&mut self, now_ms: u64, jitter: u32) {
        self.restamped = None;
        self.engine.failed(
            Failure::Server("could not save re-stamped changes".into()),
            now_ms,
            jitter,
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{Owner, Phase, Role, Theme};
    use crate::factory::OpFactory;
    use crate::ids::{MeetingId, MemberId, ProjectId, StepId};

    fn step(f: &mut OpFactory, project: ProjectId, owner: Option<Owner>) -> Operation {
        let step = f.id(StepId::new_v7);
        f.op(Payload::StepAdd {
            step,
            project,
            title: "Kies een plek".into(),
            description: String::new(),
            phase: Phase::Initiate,
            owner,
            due: None,
            order: 1,
            evidence: None,
        })
    }

    #[test]
    fn a_batch_refers_to_what_it_makes_and_to_what_was_there_in_one_operation() {
        let mut f = OpFactory::new(1);
        let bram = f.id(MemberId::new_v7);
        let joined = f.op(Payload::MemberAdd {
            member: bram,
            display_name: "Bram".into(),
            roles: [Role::Driver].into(),
        });
        let core = ReplicaCore::new(
            f.author().device,
            &[joined],
            Vec::new(),
            Vec::new(),
            Cursor::default(),
        );
        let project = f.id(ProjectId::new_v7);
        let start = f.op(Payload::ProjectAdd {
            project,
            theme: Theme::Aed,
            title: "AED".into(),
            target: None,
        });
        // The new project (made by the batch) and Bram (there before it) in one step.
        let owned = step(&mut f, project, Some(Owner::Member(bram)));
        assert_eq!(core.check(&[start.clone(), owned.clone()]), Ok(()));
        // A member nobody added is refused, with or without the batch.
        let stranger = f.id(MemberId::new_v7);
        let unknown = step(&mut f, project, Some(Owner::Member(stranger)));
        assert!(matches!(
            core.check(&[start.clone(), unknown]),
            Err(RecordError::Reference(_))
        ));
        // A meeting the batch made and removed again is gone for the rest of it.
        let meeting = f.id(MeetingId::new_v7);
        let planned = f.op(Payload::MeetingAdd {
            meeting,
            date: chrono::NaiveDate::from_ymd_opt(2026, 12, 10).expect("date"),
            title: String::new(),
        });
        let removed = f.op(Payload::MeetingRemove { meeting });
        let attend = f.op(Payload::MeetingAttend {
            meeting,
            member: bram,
            present: true,
        });
        assert_eq!(core.check(&[planned.clone(), attend.clone()]), Ok(()));
        assert!(matches!(
            core.check(&[planned, removed, attend]),
            Err(RecordError::Reference(_))
        ));
    }
}
