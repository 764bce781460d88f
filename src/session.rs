//! Who this device is: the team it belongs to, the member it acts for, and its token. Small
//! state, kept in localStorage under one key; the team's data itself lives in IndexedDB
//! ([`crate::storage`]), in a database of its own per team.
//!
//! The stored value carries a schema number. [`parse`] reads every schema this build knows
//! (migrating older ones) and refuses newer ones instead of guessing.

use buurtbel_core::op::Author;
use buurtbel_core::protocol::{
    DeviceCredentials, InviteView, Joined, MemberView, TeamCreated, TeamView,
};
use gloo_storage::{LocalStorage, Storage};
use serde::{Deserialize, Serialize};

const KEY: &str = "buurtbel.session";

/// The schema of the stored session. Raise it and add a step to [`parse`] to change it.
pub const SCHEMA: u32 = 1;

/// This device's membership of a team.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Session {
    /// The stored schema.
    pub schema: u32,
    /// The team.
    pub team: TeamView,
    /// The member this device acts for.
    pub member: MemberView,
    /// The device and its token.
    pub device: DeviceCredentials,
    /// The invite the team was started with, shown to the first member to pass on.
    #[serde(default)]
    pub invite: Option<InviteView>,
}

/// Why a stored session cannot be used.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum SessionError {
    /// The stored value is not a session (edited by hand, cut off, another app's data).
    #[error("the device's team details cannot be read: {0}")]
    Corrupt(String),
    /// A newer version of the app stored it.
    #[error("the device's team details were saved by a newer version of the app (schema {0})")]
    Newer(u32),
    /// localStorage refused to save it.
    #[error("the device's team details could not be saved: {0}")]
    NotSaved(String),
}

impl Session {
    /// The session of a device that just started a team.
    pub fn created(created: TeamCreated) -> Session {
        Session {
            schema: SCHEMA,
            team: created.team,
            member: created.member,
            device: created.device,
            invite: Some(created.invite),
        }
    }

    /// The session of a device that just joined a team.
    pub fn joined(joined: Joined) -> Session {
        Session {
            schema: SCHEMA,
            team: joined.team,
            member: joined.member,
            device: joined.device,
            invite: None,
        }
    }

    /// Who signs the operations made on this device.
    pub fn author(&self) -> Author {
        Author {
            member: self.member.id,
            device: self.device.id,
        }
    }

    /// The IndexedDB database holding this team's data on this device.
    pub fn database(&self) -> String {
        format!("buurtbel-{}", self.team.id)
    }
}

/// Reads a stored session, migrating older schemas.
pub fn parse(text: &str) -> Result<Session, SessionError> {
    #[derive(Deserialize)]
    struct Schema {
        schema: u32,
    }
    let corrupt = |e: serde_json::Error| SessionError::Corrupt(e.to_string());
    match serde_json::from_str::<Schema>(text)
        .map_err(corrupt)?
        .schema
    {
        SCHEMA => serde_json::from_str(text).map_err(corrupt),
        // Schema 1 is the first; an older one has never been written.
        n if n > SCHEMA => Err(SessionError::Newer(n)),
        n => Err(SessionError::Corrupt(format!("unknown schema {n}"))),
    }
}

/// The session stored on this device: `Ok(None)` before the device joined a team.
pub fn load() -> Result<Option<Session>, SessionError> {
    match LocalStorage::raw().get_item(KEY).ok().flatten() {
        None => Ok(None),
        Some(text) => parse(&text).map(Some),
    }
}

/// Stores the session.
pub fn save(session: &Session) -> Result<(), SessionError> {
    let text = serde_json::to_string(session).map_err(|e| SessionError::NotSaved(e.to_string()))?;
    LocalStorage::raw()
        .set_item(KEY, &text)
        .map_err(|e| SessionError::NotSaved(crate::storage::js_error(e).to_string()))
}

/// Forgets the session (the user removed the team's data from this device).
pub fn clear() {
    // Removing a key cannot meaningfully fail; a leftover key is overwritten on the next join.
    let _ = LocalStorage::raw().remove_item(KEY);
}

#[cfg(test)]
mod tests {
    use super::*;

    const STORED: &str = r#"{"schema":1,
        "team":{"id":"01a221d8-0000-7000-8000-000000000001","name":"Groen Lindelaan","neighbourhood":"Lindelaan"},
        "member":{"id":"01a221d8-0000-7000-8000-000000000002","display_name":"Anna"},
        "device":{"id":"01a221d8-0000-7000-8000-000000000003","token":"t0k","admin":true}}"#;

    #[test]
    fn a_stored_session_reads_back_and_names_its_database() {
        let session = parse(STORED).expect("session");
        assert_eq!(session.member.display_name, "Anna");
        assert_eq!(session.invite, None, "absent invite is fine");
        assert_eq!(
            session.database(),
            "buurtbel-01a221d8-0000-7000-8000-000000000001"
        );
        let again = parse(&serde_json::to_string(&session).expect("json")).expect("again");
        assert_eq!(again, session);
    }

    #[test]
    fn unreadable_or_newer_sessions_are_refused_with_a_reason() {
        assert!(matches!(
            parse("{\"schema\":1"),
            Err(SessionError::Corrupt(_))
        ));
        assert!(matches!(parse("{}"), Err(SessionError::Corrupt(_))));
        assert!(matches!(
            parse(r#"{"schema":1,"team":{}}"#),
            Err(SessionError::Corrupt(_))
        ));
        assert_eq!(
            parse(&STORED.replace("\"schema\":1", "\"schema\":7")),
            Err(SessionError::Newer(7))
        );
        assert!(matches!(
            parse(&STORED.replace("\"schema\":1", "\"schema\":0")),
            Err(SessionError::Corrupt(_))
        ));
    }
}
