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
    /// Advice from a buurtbegeleider (coach) to the team.
    AdviceId,
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

/// The letters of a resident page's code: digits and lower-case letters without i, l, o and u,
/// so a code read aloud or typed from a flyer is not mistaken.
const PAGE_LETTERS: &[u8; 32] = b"0123456789abcdefghjkmnpqrstvwxyz";

/// Length of a resident page's code: 60 bits of the project id's random part.
pub const PAGE_CODE_LEN: usize = 12;

impl ProjectId {
    /// The code of the project's resident page (`/doe-mee/<code>`): 12 characters from the
    /// random part of the id, so every device and the server name the same page without
    /// asking, and nobody finds a page by counting.
    pub fn page_code(&self) -> String {
        let tail = u64::from_be_bytes(self.0.as_bytes()[8..16].try_into().unwrap_or([0; 8]));
        (0..PAGE_CODE_LEN)
            .rev()
            .map(|i| char::from(PAGE_LETTERS[((tail >> (i * 5)) & 31) as usize]))
            .collect()
    }
}

/// Whether `code` has the shape of a resident page's code.
pub fn is_page_code(code: &str) -> bool {
    code.len() == PAGE_CODE_LEN && code.bytes().all(|b| PAGE_LETTERS.contains(&b))
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

    #[test]
    fn a_page_code_comes_from_the_random_part_and_reads_unambiguously() {
        let a = ProjectId::new_v7(1_764_000_000_000, [7; 10]);
        let same_time = ProjectId::new_v7(1_764_000_000_000, [8; 10]);
        let later = ProjectId::new_v7(1_764_000_000_001, [7; 10]);
        assert_eq!(a.page_code().len(), PAGE_CODE_LEN);
        assert!(is_page_code(&a.page_code()));
        assert_ne!(a.page_code(), same_time.page_code());
        assert_eq!(
            a.page_code(),
            later.page_code(),
            "the time is not part of it"
        );
        assert!(!a.page_code().contains(['i', 'l', 'o', 'u']));
        assert!(!is_page_code("ABCDEFGHJKMN"));
        assert!(!is_page_code("0123456789a"));
    }
}
