//! Identifiers. Every entity gets a UUID version 7 made on the device that creates it, so
//! devices never need the server to name things, and ids sort roughly by creation time.

use serde::{Deserialize, Serialize};
use uuid::Uuid;

macro_rules! id_type {
    ($($(#[$doc:meta])* $name:ident),* $(,)?) => {$(
        $(#[$doc])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
        #[serde(transparent)]
        pub struct $name(pub Uuid);

        impl $name {
            /// A new version 7 id from a Unix time in milliseconds and 10 random bytes.
            /// The caller supplies both: core reads no clock and no random source.
            pub fn new_v7(unix_ms: u64, random: [u8; 10]) -> $name {
                $name(uuid::Builder::from_unix_timestamp_millis(unix_ms, &random).into_uuid())
            }

            /// Whether this is the all-zero id, which no operation may use.
            pub fn is_nil(&self) -> bool {
                self.0.is_nil()
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                self.0.fmt(f)
            }
        }

        impl std::str::FromStr for $name {
            type Err = uuid::Error;

            fn from_str(text: &str) -> Result<$name, uuid::Error> {
                Uuid::try_parse(text).map($name)
            }
        }
    )*};
}

id_type! {
    /// An operation.
    OpId,
    /// A buurtteam.
    TeamId,
    /// An ambassador in a team.
    MemberId,
    /// One installation of the app (a phone, a browser profile).
    DeviceId,
    /// A project (buurtactie) of the team.
    ProjectId,
    /// A step of a project's plan.
    StepId,
    /// An address on the walk list.
    AddressId,
    /// A doorstep conversation.
    VisitId,
    /// A resident's consent record.
    ConsentId,
    /// A team meeting.
    MeetingId,
    /// A decision taken at a meeting.
    DecisionId,
    /// An action item from a meeting.
    ActionItemId,
    /// An item of a project's doorstep guide.
    GuideItemId,
    /// A question from the door the ambassador could not answer.
    QuestionId,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn v7_ids_carry_their_time_and_sort_by_it() {
        let a = VisitId::new_v7(1_764_000_000_000, [1; 10]);
        let b = VisitId::new_v7(1_764_000_000_001, [0; 10]);
        assert_eq!(a.0.get_version_num(), 7);
        assert!(a < b);
        assert!(!a.is_nil());
        assert!(VisitId(Uuid::nil()).is_nil());
    }
}
