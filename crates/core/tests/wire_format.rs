//! The wire format, pinned. Each fixture under `tests/fixtures` is the exact JSON of a value
//! built here; a test fails when the encoding changes (the fixture no longer matches) or when
//! an old fixture no longer decodes to the same value. Changing the format is a deliberate act:
//! bump `PROTOCOL_VERSION` if old clients would misread it, then regenerate with
//! `UPDATE_FIXTURES=1 cargo test -p buurtbel-core --test wire_format`.

use std::collections::BTreeMap;
use std::path::PathBuf;

use buurtbel_core::clock::Hlc;
use buurtbel_core::domain::{
    Channel, ConsentPurpose, Evidence, FollowUpKind, GuideKind, Interest, Measure, Outcome, Owner,
    Phase, Resolution, Role, Target, Theme, Unit,
};
use buurtbel_core::factory::OpFactory;
use buurtbel_core::ids::{
    ActionItemId, AddressId, ConsentId, DecisionId, GuideItemId, MeetingId, MemberId, ProjectId,
    QuestionId, StepId, VisitId,
};
use buurtbel_core::op::{ConsentGive, FollowUp, Operation, Payload, VisitLog};
use buurtbel_core::protocol::{
    Ack, Cursor, DeviceList, DeviceView, ErrorBody, PROTOCOL_VERSION, PullRequest, PullResponse,
    PushRequest, PushResponse, SequencedOp, WIPE_CODE,
};
use chrono::NaiveDate;
use serde::Serialize;
use serde::de::DeserializeOwned;

mod common;

fn check<T: Serialize + DeserializeOwned + PartialEq + std::fmt::Debug>(name: &str, value: &T) {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name);
    let json = serde_json::to_string_pretty(value).expect("serializes") + "\n";
    if std::env::var_os("UPDATE_FIXTURES").is_some() {
        std::fs::write(&path, &json).expect("write fixture");
        return;
    }
    let pinned = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("{}: {e}; run with UPDATE_FIXTURES=1 once", path.display()));
    assert_eq!(json, pinned, "the wire format of {name} changed");
    let decoded: T = serde_json::from_str(&pinned).expect("the pinned fixture decodes");
    assert_eq!(&decoded, value, "{name} decodes to the same value");
}

/// One operation of every kind, with optional fields both present and absent.
fn every_kind() -> Vec<Operation> {
    let mut f = OpFactory::new(42);
    let member = f.id(MemberId::new_v7);
    let project = f.id(ProjectId::new_v7);
    let step = f.id(StepId::new_v7);
    let address = f.id(AddressId::new_v7);
    let consent = f.id(ConsentId::new_v7);
    let meeting = f.id(MeetingId::new_v7);
    let item = f.id(ActionItemId::new_v7);
    let day = NaiveDate::from_ymd_opt(2026, 12, 10).expect("date");
    let retracted = f.id(VisitId::new_v7);
    let decision = f.id(DecisionId::new_v7);
    let guide = f.id(GuideItemId::new_v7);
    let question = f.id(QuestionId::new_v7);
    let payloads = vec![
        Payload::TeamUpdate {
            name: Some("Buurtteam Lindelaan".into()),
            neighbourhood: Some("Lindenbuurt".into()),
        },
        Payload::MemberAdd {
            member,
            display_name: "Anna de Vries".into(),
            roles: [Role::Expert, Role::Driver].into(),
        },
        Payload::MemberUpdate {
            member,
            display_name: None,
            roles: Some([Role::Connector].into()),
        },
        Payload::MemberRemove { member },
        Payload::ProjectAdd {
            project,
            theme: Theme::Aed,
            title: "AED Lindelaan".into(),
            target: Some(Target {
                count: 1500,
                unit: Unit::Euros,
            }),
        },
        Payload::ProjectUpdate {
            project,
            title: None,
            target: Some(None),
        },
        Payload::ProjectRemove { project },
        Payload::StepAdd {
            step,
            project,
            title: "Flyeren en langs de deuren".into(),
            description: "Vraag buren om mee te doen.".into(),
            phase: Phase::Grow,
            owner: Some(Owner::Role(Role::Connector)),
            due: Some(day),
            order: 4096,
            evidence: Some(Evidence {
                measure: Measure::PledgedHouseholds,
                target: 60,
            }),
        },
        Payload::StepUpdate {
            step,
            title: None,
            description: None,
            phase: Some(Phase::Structure),
            owner: Some(Some(Owner::Member(member))),
            due: Some(None),
            order: Some(1536),
            note: Some("Na de informatieavond".into()),
            skipped: Some(false),
            evidence: Some(Some(Evidence {
                measure: Measure::Consents(ConsentPurpose::MeetingInvitations),
                target: 40,
            })),
        },
        Payload::StepDone { step, done: true },
        Payload::StepRemove { step },
        Payload::AddressAdd {
            address,
            street: "Lindelaan".into(),
            number: 12,
            letter: "a".into(),
            addition: "2".into(),
            postcode: "3581 BA".into(),
        },
        Payload::AddressUpdate {
            address,
            street: None,
            number: None,
            letter: None,
            addition: None,
            postcode: None,
            do_not_visit: Some(true),
        },
        Payload::AddressRemove { address },
        Payload::VisitLog(VisitLog {
            visit: f.id(VisitId::new_v7),
            address,
            at_ms: f.now_ms(),
            outcome: Outcome::Joins,
            interests: BTreeMap::from([(project, Interest::Joins)]),
            pledges: BTreeMap::from([(project, 25)]),
            join_team: Some([Role::Connector].into()),
            note: "Wil ook flyeren".into(),
            follow_up: Some(FollowUp {
                kind: FollowUpKind::InviteToMeeting,
                date: Some(day),
            }),
            flyer: false,
            online: false,
        }),
        Payload::VisitLog(VisitLog {
            visit: f.id(VisitId::new_v7),
            address,
            at_ms: f.now_ms(),
            outcome: Outcome::NotHome,
            interests: BTreeMap::new(),
            pledges: BTreeMap::new(),
            join_team: None,
            note: String::new(),
            follow_up: None,
            flyer: true,
            online: false,
        }),
        Payload::ConsentGive(ConsentGive {
            consent,
            address,
            purposes: [ConsentPurpose::MeetingInvitations].into(),
            channels: [Channel::Email, Channel::Phone].into(),
            name: "Mevrouw Jansen".into(),
            phone: "06 1234 5678".into(),
            email: "jansen@example.nl".into(),
            given_at_ms: f.now_ms(),
        }),
        Payload::ConsentWithdraw {
            consent,
            withdrawn_at_ms: f.now_ms(),
        },
        Payload::EraseResident { address },
        Payload::MeetingAdd {
            meeting,
            date: day,
            title: "Eerste teamoverleg".into(),
        },
        Payload::MeetingUpdate {
            meeting,
            date: None,
            title: Some("Teamoverleg december".into()),
        },
        Payload::MeetingRemove { meeting },
        Payload::DecisionAdd {
            decision,
            meeting,
            text: "We kiezen een buitenkast.".into(),
        },
        Payload::ActionItemAdd {
            item,
            meeting,
            text: "Offerte kast opvragen".into(),
            owner: Owner::Role(Role::Driver),
            due: Some(day),
        },
        Payload::ActionItemUpdate {
            item,
            text: None,
            owner: None,
            due: None,
            done: Some(true),
        },
        // Kinds added later go at the end, so the indices above stay.
        Payload::AddressUpdate {
            address,
            street: Some("Lindelaan".into()),
            number: Some(14),
            letter: Some(String::new()),
            addition: Some("bis".into()),
            postcode: Some("3581 BB".into()),
            do_not_visit: None,
        },
        Payload::VisitRetract { visit: retracted },
        Payload::FollowUpResolve {
            visit: retracted,
            resolution: Some(Resolution::Cancelled),
        },
        Payload::FollowUpResolve {
            visit: retracted,
            resolution: None,
        },
        Payload::MeetingAttend {
            meeting,
            member,
            present: true,
        },
        Payload::DecisionRemove { decision },
        Payload::ActionItemRemove { item },
        Payload::ProjectAdd {
            project,
            theme: Theme::Solar,
            title: "Zon op Lindelaan".into(),
            target: Some(Target {
                count: 120,
                unit: Unit::Panels,
            }),
        },
        Payload::StepAdd {
            step,
            project,
            title: "Peil de interesse".into(),
            description: String::new(),
            phase: Phase::Activate,
            owner: None,
            due: None,
            order: 1024,
            evidence: Some(Evidence {
                measure: Measure::Interested,
                target: 40,
            }),
        },
        Payload::GuideItemAdd {
            item: guide,
            project,
            kind: GuideKind::Question,
            text: "Wat kost het per huishouden?".into(),
            answer: "Ongeveer 25 euro, eenmalig.".into(),
            order: 1024,
            draft: true,
        },
        Payload::GuideItemAdd {
            item: f.id(GuideItemId::new_v7),
            project,
            kind: GuideKind::Opening,
            text: "Wij zijn buren uit het buurtteam.".into(),
            answer: String::new(),
            order: 1024,
            draft: false,
        },
        Payload::GuideItemUpdate {
            item: guide,
            text: None,
            answer: Some("25 euro per huishouden, eenmalig.".into()),
            order: Some(512),
            draft: Some(false),
        },
        Payload::GuideItemRemove { item: guide },
        Payload::QuestionAsk {
            question,
            project: Some(project),
            text: "Mag de AED aan mijn gevel?".into(),
            address: Some(address),
            asked_at_ms: f.now_ms(),
        },
        Payload::QuestionAsk {
            question: f.id(QuestionId::new_v7),
            project: None,
            text: "Komt er ook een buurtapp?".into(),
            address: None,
            asked_at_ms: f.now_ms(),
        },
        Payload::QuestionAnswer {
            question,
            answer: "Ja, als de eigenaar van de gevel toestemt.".into(),
        },
        Payload::ProjectPage {
            project,
            open: true,
        },
        // Ids of the kinds added later are fixed here, so the ids drawn before stay as pinned.
        Payload::AddressPropose {
            address: AddressId::new_v7(1_764_320_400_000, [0x41; 10]),
            postcode: "3581 BB".into(),
            number: 40,
            letter: String::new(),
            addition: "bis".into(),
        },
        Payload::VisitLog(VisitLog {
            visit: VisitId::new_v7(1_764_320_400_000, [0x42; 10]),
            address,
            at_ms: f.now_ms(),
            outcome: Outcome::Interested,
            interests: BTreeMap::from([(project, Interest::Maybe)]),
            pledges: BTreeMap::new(),
            join_team: None,
            note: String::new(),
            follow_up: None,
            flyer: false,
            online: true,
        }),
        Payload::StreetAssign {
            street: "Lindelaan".into(),
            odd: true,
            member: Some(member),
        },
        Payload::StreetAssign {
            street: "Lindelaan".into(),
            odd: false,
            member: None,
        },
    ];
    payloads
        .into_iter()
        .map(|p| {
            f.advance_ms(1000);
            let op = f.op(p);
            op.validate().expect("fixture operations are valid");
            op
        })
        .collect()
}

#[test]
fn operations_of_every_kind() {
    check("operations.json", &every_kind());
}

/// The derived writer of the enum's wire attributes, which the written-out one must match.
struct Derived<'a>(&'a Payload);

impl Serialize for Derived<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        Payload::serialize(self.0, s)
    }
}

/// The payload writer is written out (one for all kinds); it writes what the enum's attributes
/// say, field for field, for every kind with fields present, absent, `null` and empty.
#[test]
fn the_written_out_payload_writer_matches_the_attributes() {
    let mut payloads: Vec<Payload> = every_kind().into_iter().map(|op| op.payload).collect();
    for kind in 0..common::KINDS {
        for a in 0..3 {
            for b in 0..6 {
                for c in 0..12 {
                    payloads.push(common::payload(kind, a, b, c));
                }
            }
        }
    }
    for payload in &payloads {
        let written = serde_json::to_value(payload).expect("json");
        let derived = serde_json::to_value(Derived(payload)).expect("json");
        assert_eq!(written, derived, "{payload:?}");
    }
}

#[test]
fn push_request_and_response() {
    let ops = every_kind();
    let request = PushRequest {
        protocol_version: PROTOCOL_VERSION,
        device: ops[0].author.device,
        ops: ops[..2].to_vec(),
    };
    check("push_request.json", &request);
    let response = PushResponse {
        protocol_version: PROTOCOL_VERSION,
        acks: vec![
            Ack {
                op: ops[0].id,
                seq: 41,
            },
            Ack {
                op: ops[1].id,
                seq: 42,
            },
        ],
        server_time_ms: 1_764_320_460_000,
    };
    check("push_response.json", &response);
}

#[test]
fn pull_request_and_response() {
    let ops = every_kind();
    check(
        "pull_request.json",
        &PullRequest {
            protocol_version: PROTOCOL_VERSION,
            after: Cursor(40),
            limit: 500,
        },
    );
    let response = PullResponse {
        protocol_version: PROTOCOL_VERSION,
        ops: vec![SequencedOp {
            seq: 41,
            op: ops[14].clone(),
        }],
        cursor: Cursor(41),
        more: false,
        server_time_ms: 1_764_320_460_000,
        admin: Some(false),
    };
    check("pull_response.json", &response);
}

#[test]
fn error_body() {
    let ops = every_kind();
    check(
        "error.json",
        &ErrorBody {
            code: "invalid_operation".into(),
            message: "payload.display_name: must not be empty".into(),
            op: Some(ops[1].id),
            field: Some("payload.display_name".into()),
            stamp_after: None,
            server_time_ms: None,
        },
    );
    check(
        "error_erasure_behind.json",
        &ErrorBody {
            code: buurtbel_core::protocol::ERASURE_BEHIND_CODE.into(),
            message: "this erasure is stamped before data the server holds of the resident".into(),
            op: Some(ops[19].id),
            field: None,
            stamp_after: Some(ops[20].hlc),
            server_time_ms: None,
        },
    );
    check(
        "error_clock_ahead.json",
        &ErrorBody {
            code: buurtbel_core::protocol::CLOCK_AHEAD_CODE.into(),
            message: "more than 5 minutes ahead of the server clock".into(),
            op: Some(ops[2].id),
            field: Some("hlc.wall_ms".into()),
            stamp_after: None,
            server_time_ms: Some(1_764_320_460_000),
        },
    );
}

#[test]
fn invite_list_and_admin_change() {
    use buurtbel_core::protocol::{InviteInfo, InviteList, SetAdmin};
    check(
        "invite_list.json",
        &InviteList {
            invites: vec![
                InviteInfo {
                    id: "0f1e2d3c4b5a69788796a5b4c3d2e1f0".into(),
                    created_at_ms: 1_764_320_400_000,
                    expires_at_ms: 1_764_579_600_000,
                    max_uses: Some(10),
                    uses: 3,
                    revoked: false,
                },
                InviteInfo {
                    id: "00112233445566778899aabbccddeeff".into(),
                    created_at_ms: 1_764_000_000_000,
                    expires_at_ms: 1_764_259_200_000,
                    max_uses: None,
                    uses: 12,
                    revoked: true,
                },
            ],
        },
    );
    check("set_admin.json", &SetAdmin { admin: true });
}

#[test]
fn device_list_and_the_wipe_answer() {
    let ops = every_kind();
    let author = ops[0].author;
    let device = |label: &str, admin, revoked_at_ms, lost| DeviceView {
        id: author.device,
        member: author.member,
        label: label.into(),
        admin,
        created_at_ms: 1_764_320_400_000,
        last_seen_ms: Some(1_764_320_460_000),
        revoked_at_ms,
        lost,
    };
    check(
        "device_list.json",
        &DeviceList {
            devices: vec![
                device("Telefoon Anna", true, None, false),
                device("Telefoon Bram", false, Some(1_764_320_520_000), true),
            ],
        },
    );
    check(
        "error_wiped.json",
        &ErrorBody {
            code: WIPE_CODE.into(),
            message: "this device was revoked as lost; delete the team's data".into(),
            op: None,
            field: None,
            stamp_after: None,
            server_time_ms: None,
        },
    );
}

#[test]
fn the_protocol_version_is_deliberate() {
    assert_eq!(
        PROTOCOL_VERSION, 1,
        "bump together with the fixtures and docs/sync-protocol.md"
    );
    assert_eq!(
        serde_json::to_string(&Hlc {
            wall_ms: 5,
            counter: 1
        })
        .expect("json"),
        r#"{"wall_ms":5,"counter":1}"#
    );
}

#[test]
fn kind_names_match_the_wire() {
    for op in every_kind() {
        let json = serde_json::to_value(&op).expect("json");
        let payload = json["payload"].as_object().expect("object");
        assert_eq!(payload.keys().collect::<Vec<_>>(), [op.kind()]);
    }
}

/// Who may push each kind follows its description: a plain member only what every member
/// may, or what is about themselves; an admin everything.
#[test]
fn who_may_push_each_kind_follows_its_description() {
    use buurtbel_core::op::Who;
    use buurtbel_core::rules::{Pusher, permission};
    let stranger = MemberId::new_v7(1, [9; 10]);
    for op in every_kind() {
        let own = match &op.payload {
            Payload::MemberUpdate { member, .. } | Payload::MemberRemove { member } => *member,
            _ => op.author.member,
        };
        let member = |member| Pusher {
            member,
            admin: false,
        };
        let who = op.payload.describe().who;
        // What a resident gave on the project's page, and a coach's advice, are the server's
        // to record.
        let page_only = matches!(who, Who::Page | Who::Coach)
            || matches!(&op.payload, Payload::VisitLog(v) if v.online);
        assert_eq!(
            permission(
                &op,
                Pusher {
                    member: stranger,
                    admin: true
                }
            )
            .is_ok(),
            !page_only,
            "{}",
            op.kind()
        );
        assert_eq!(
            permission(&op, member(stranger)).is_ok(),
            who == Who::Member && !page_only,
            "{} by another member",
            op.kind()
        );
        assert_eq!(
            permission(&op, member(own)).is_ok(),
            who != Who::Admin && !page_only,
            "{} by the member it is about",
            op.kind()
        );
    }
}

#[test]
fn stripping_personal_data_keeps_the_facts() {
    let ops = every_kind();
    let mut visit = ops[14].clone();
    let Payload::VisitLog(v) = &visit.payload else {
        panic!("a visit")
    };
    assert_eq!(v.pledges.len(), 1, "the pledge belongs to one project");
    assert!(visit.strip_personal());
    assert!(!visit.strip_personal(), "nothing left the second time");
    let Payload::VisitLog(v) = &visit.payload else {
        panic!("a visit")
    };
    assert!(v.note.is_empty());
    assert_eq!(v.pledges.values().copied().collect::<Vec<_>>(), [25]);
    let mut consent = ops[16].clone();
    assert!(consent.strip_personal());
    let Payload::ConsentGive(c) = &consent.payload else {
        panic!("a consent")
    };
    assert!(c.name.is_empty() && c.phone.is_empty() && c.email.is_empty());
    assert_eq!(c.purposes.len(), 1);
    assert_eq!(consent.resident_address(), Some(c.address));
    assert_eq!(ops[0].resident_address(), None);
}
