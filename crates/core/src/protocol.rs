//! Types that cross the wire between the app and the server.
//!
//! Only these types are serialized between processes; JSON fixtures under `tests/fixtures`
//! pin their format.

use serde::{Deserialize, Serialize};

/// The version of the sync protocol this build speaks. A server refuses requests from a
/// newer protocol instead of guessing what they mean.
pub const PROTOCOL_VERSION: u32 = 1;

/// The answer of the health endpoints.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Health {
    /// `"ok"` when the check passed.
    pub status: String,
    /// The protocol version the server speaks.
    pub protocol_version: u32,
}

impl Health {
    /// A passing check.
    pub fn ok() -> Health {
        Health {
            status: "ok".to_owned(),
            protocol_version: PROTOCOL_VERSION,
        }
    }
}
