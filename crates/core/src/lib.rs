//! Buurtbel's core: the domain, the operations that change it, the rules that merge them, and
//! the types that cross the wire between the app and the server.
//!
//! Plain Rust with no I/O: it compiles natively (server, tests) and for wasm32 (the app), and it
//! never reads a clock, a file or the network. Time and randomness come in as arguments.
//!
//! # Layout
//! - [`protocol`]: the sync protocol's version and wire types.

pub mod protocol;
