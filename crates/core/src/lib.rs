//! Buurtbel's core: the domain, the operations that change it, the rules that merge them, and
//! the types that cross the wire between the app and the server.
//!
//! Plain Rust with no I/O: it compiles natively (server, tests) and for wasm32 (the app), and it
//! never reads a clock, a file, a random source or the network. Time and randomness come in as
//! arguments.
//!
//! # Layout
//! - [`ids`]: UUID v7 identifiers made on the device.
//! - [`clock`]: the hybrid logical clock and the drift rule.
//! - [`compact`]: a compact text encoding of operations for browser storage.
//! - [`domain`]: roles, themes, phases, outcomes and other words of the domain.
//! - [`op`]: operations and their payloads.
//! - [`validate`]: the rules every operation must pass; decoding untrusted JSON.
//! - [`sort`]: stable sorting with one routine for every type (small wasm).
//! - [`rules`]: who may push an operation, what it refers to, how many erasures per hour.
//! - [`state`]: state as a fold of operations, and the merge rules.
//! - [`views`]: what the screens show, derived from state.
//! - [`coach`]: what a coach sees of a team: figures and the signals that it is stuck.
//! - [`templates`]: step-plan templates per theme, in Dutch and English.
//! - [`protocol`]: push and pull, with a protocol version.
//! - [`sync`]: the sync engine, a transport-free state machine.
//! - [`replica`]: a device's replica (recording, folding, outbox, refusals, restamping) without
//!   I/O; it returns the effects for the app or the simulation to carry out.
//! - [`factory`]: deterministic operations for tests, benchmarks and demos.
//!
//! # Example
//! ```
//! use buurtbel_core::factory::OpFactory;
//! use buurtbel_core::ids::MemberId;
//! use buurtbel_core::op::Payload;
//! use buurtbel_core::domain::Role;
//! use buurtbel_core::state::State;
//! use buurtbel_core::views::role_coverage;
//!
//! let mut phone = OpFactory::new(1);
//! let anna = phone.id(MemberId::new_v7);
//! let op = phone.op(Payload::MemberAdd {
//!     member: anna,
//!     display_name: "Anna".into(),
//!     roles: [Role::Connector].into(),
//! });
//! op.validate().expect("a valid operation");
//!
//! let state = State::fold([&op]);
//! let coverage = role_coverage(&state);
//! assert!(!coverage.ready());
//! assert_eq!(coverage.missing, [Role::Expert, Role::Driver]);
//! ```

pub mod clock;
pub mod coach;
pub mod compact;
pub mod domain;
pub mod factory;
pub mod guides;
pub mod ids;
pub mod op;
pub mod plans;
pub mod protocol;
pub mod replica;
pub mod rules;
pub mod sort;
pub mod state;
pub mod sync;
pub mod templates;
pub mod validate;
pub mod views;
