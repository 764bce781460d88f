//! A project's resident page, as a resident and as an attacker use it: the answer reaches the
//! team's log and the door, an unknown address waits for the team, the private link shows,
//! changes, withdraws and erases, and floods, robots, markup and forged operations get nowhere.

mod common;

use buurtbel_core::domain::{GuideKind, Interest, Outcome, Target, Theme, Unit};
use buurtbel_core::ids::{AddressId, GuideItemId, MeetingId, ProjectId, VisitId};
use buurtbel_core::op::{Operation, Payload, VisitLog};
use buurtbel_core::protocol::Cursor;
use buurtbel_core::state::State;
use buurtbel_core::views;
use buurtbel_server::db::{PageAnswer, PageError, Storage};
use common::{Device, TestServer};
use http_body_util::{BodyExt, Full};
use hyper::body::Bytes;
use hyper_util::client::legacy::Client as HyperClient;
use hyper_util::rt::TokioExecutor;

/// Status and text of an answer.
async fn request(
    server: &TestServer,
    method: &str,
    path: &str,
    form: Option<&[(&str, &str)]>,
    from: Option<&str>,
) -> (u16, String) {
    let body = form.map(|pairs| {
        form_urlencoded::Serializer::new(String::new())
            .extend_pairs(pairs)
            .finish()
    });
    request_raw(server, method, path, body.map(String::into_bytes), from).await
}

async fn request_raw(
    server: &TestServer,
    method: &str,
    path: &str,
    body: Option<Vec<u8>>,
    from: Option<&str>,
) -> (u16, String) {
    let http = HyperClient::builder(TokioExecutor::new()).build_http::<Full<Bytes>>();
    let mut req = hyper::Request::builder()
        .method(method)
        .uri(format!("{}{path}", server.client.base));
    if body.is_some() {
        req = req.header("content-type", "application/x-www-form-urlencoded");
    }
    if let Some(ip) = from {
        req = req.header("x-forwarded-for", ip);
    }
    let res = http
        .request(
            req.body(Full::new(Bytes::from(body.unwrap_or_default())))
                .expect("request"),
        )
        .await
        .expect("response");
    let status = res.status().as_u16();
    let bytes = res.into_body().collect().await.expect("body").to_bytes();
    (status, String::from_utf8_lossy(&bytes).into_owned())
}

struct Team {
    server: TestServer,
    admin: Device,
    project: ProjectId,
    listed: AddressId,
    storage: std::sync::Arc<buurtbel_server::db::Sqlite>,
}

impl Team {
    /// A team with an AED project whose page is open, a guide opening, a meeting ahead and one
    /// address on the walk list (Lindelaan 7, 3581 BA).
    async fn new() -> Team {
        // Every client is 127.0.0.1 unless a test names another through a trusted proxy.
        let (server, storage) = TestServer::start_with_storage(
            |c| c.trusted_proxy = vec!["127.0.0.1/32".into()],
            |_| {},
        )
        .await;
        let mut admin = Device::create_team(&server.client, "Lindenteam", 1).await;
        let project = admin.factory.id(ProjectId::new_v7);
        let listed = admin.factory.id(AddressId::new_v7);
        let item = admin.factory.id(GuideItemId::new_v7);
        let meeting = admin.factory.id(MeetingId::new_v7);
        let ops = vec![
            admin.op(Payload::ProjectAdd {
                project,
                theme: Theme::Aed,
                title: "AED voor de Lindenbuurt".into(),
                target: Some(Target {
                    count: 600,
                    unit: Unit::Euros,
                }),
            }),
            admin.op(Payload::GuideItemAdd {
                item,
                project,
                kind: GuideKind::Opening,
                text: "Binnen 6 minuten hulp bij een hartstilstand.".into(),
                answer: String::new(),
                order: 1,
                draft: false,
            }),
            admin.op(Payload::MeetingAdd {
                meeting,
                date: chrono::NaiveDate::from_ymd_opt(2099, 1, 15).expect("date"),
                title: "Buurthuis De Linde".into(),
            }),
            admin.op(Payload::AddressAdd {
                address: listed,
                street: "Lindelaan".into(),
                number: 7,
                letter: String::new(),
                addition: String::new(),
                postcode: "3581 BA".into(),
            }),
            admin.op(Payload::ProjectPage {
                project,
                open: true,
            }),
        ];
        admin.push(&ops).await.expect("stored");
        Team {
            server,
            admin,
            project,
            listed,
            storage,
        }
    }

    fn page(&self) -> String {
        format!("/doe-mee/{}", self.project.page_code())
    }

    async fn log(&self) -> Vec<Operation> {
        let (ops, _) = self.admin.pull_all(Cursor::default(), 1000).await;
        ops.into_iter().map(|(_, op)| op).collect()
    }

    async fn state(&self) -> State {
        State::fold(&self.log().await)
    }
}

const ANSWER: &[(&str, &str)] = &[
    ("postcode", "3581ba"),
    ("huisnummer", "7"),
    ("keuze", "doet-mee"),
    ("toezegging", "25"),
    ("team", "ja"),
    ("rol", "verbinder"),
    ("naam", "Fatima El Amrani"),
    ("email", "fatima@example.nl"),
    ("doel", "nieuws"),
    ("kanaal", "email"),
];

/// The private link in a thank-you page.
fn link(page: &str) -> String {
    let start = page.find("/antwoord/").expect("a private link");
    let from = page[..start].rfind("/doe-mee/").expect("its page");
    page[from..]
        .split(['"', '<', '?'])
        .next()
        .expect("link")
        .to_owned()
}

#[tokio::test]
async fn an_answer_reaches_the_teams_log_counts_once_and_the_door_shows_it() {
    let team = Team::new().await;
    let (status, page) = request(&team.server, "GET", &team.page(), None, None).await;
    assert_eq!(status, 200);
    for shown in [
        "AED voor de Lindenbuurt",
        "Binnen 6 minuten hulp",
        "15 januari 2099",
        "Buurthuis De Linde",
        "Lindenteam",
        "600 euro",
        "name=\"toezegging\"",
    ] {
        assert!(page.contains(shown), "{shown} on the page");
    }
    assert!(!page.contains("<script"), "the page needs no script");
    let (_, style) = request(&team.server, "GET", "/doe-mee/stijl.css", None, None).await;
    assert!(
        page.len() + style.len() < 30 * 1024,
        "the page and its stylesheet are {} bytes before compression",
        page.len() + style.len()
    );
    let (_, english) = request(
        &team.server,
        "GET",
        &format!("{}?lang=en", team.page()),
        None,
        None,
    )
    .await;
    assert!(english.contains("lang=\"en\"") && english.contains("January 15, 2099"));

    let (status, thanks) = request(&team.server, "POST", &team.page(), Some(ANSWER), None).await;
    assert_eq!(status, 200, "{thanks}");
    assert!(thanks.contains("Dank je wel"));
    let state = team.state().await;
    let status = views::address_status(&state, team.listed).expect("listed");
    let last = status.last.expect("answered");
    assert!(
        last.online,
        "the door shows the resident answered themselves"
    );
    assert_eq!(last.outcome, Outcome::Joins);
    let funnel = views::funnel(&state, team.project);
    assert_eq!((funnel.joined, funnel.pledged_amount), (1, 25));
    assert_eq!(views::team_recruits(&state).len(), 1);
    let consent = state.consents.values().next().expect("consent");
    assert_eq!(consent.name, "Fatima El Amrani");
    assert_eq!(consent.address, team.listed);

    // Answering again from the same door replaces the word, it does not add a household.
    let (status, _) = request(&team.server, "POST", &team.page(), Some(ANSWER), None).await;
    assert_eq!(status, 200);
    assert_eq!(views::funnel(&team.state().await, team.project).joined, 1);

    let (status, own) = request(&team.server, "GET", &link(&thanks), None, None).await;
    assert_eq!(status, 200);
    assert!(own.contains("Fatima El Amrani") && own.contains("Lindelaan 7, 3581 BA"));
    assert!(
        own.contains("value=\"doet-mee\" checked"),
        "the form holds the answer"
    );
}

#[tokio::test]
async fn an_unknown_address_waits_for_the_team_and_the_answer_does_not_tell() {
    let team = Team::new().await;
    let (_, known) = request(&team.server, "POST", &team.page(), Some(ANSWER), None).await;
    let mut unknown = ANSWER.to_vec();
    unknown[1] = ("huisnummer", "9");
    let (status, other) = request(&team.server, "POST", &team.page(), Some(&unknown), None).await;
    assert_eq!(status, 200);
    let without_link = |page: &str| page.replace(&link(page), "");
    assert_eq!(
        without_link(&known),
        without_link(&other),
        "the answer is the same whether the address is on the list or not"
    );
    let state = team.state().await;
    let waiting = views::proposals(&state);
    assert_eq!(waiting.len(), 1);
    assert_eq!(
        (waiting[0].1.postcode.as_str(), waiting[0].1.number),
        ("3581 BA", 9)
    );
    assert_eq!(
        views::funnel(&state, team.project).joined,
        1,
        "it does not count until it is confirmed"
    );
    // A second answer from that address joins the same proposal.
    request(&team.server, "POST", &team.page(), Some(&unknown), None).await;
    assert_eq!(views::proposals(&team.state().await).len(), 1);
}

#[tokio::test]
async fn a_closed_or_unknown_page_takes_nothing() {
    let mut team = Team::new().await;
    let close = team.admin.op(Payload::ProjectPage {
        project: team.project,
        open: false,
    });
    team.admin.push(&[close]).await.expect("closed");
    let before = team.log().await.len();
    let (status, page) = request(&team.server, "GET", &team.page(), None, None).await;
    assert_eq!(status, 410);
    assert!(page.contains("gesloten"));
    let (status, _) = request(&team.server, "POST", &team.page(), Some(ANSWER), None).await;
    assert_eq!(status, 410);
    assert_eq!(team.log().await.len(), before, "nothing stored");
    let never = ProjectId::new_v7(1, [3; 10]).page_code();
    for path in [format!("/doe-mee/{never}"), "/doe-mee/x%3Cy".into()] {
        let (status, _) = request(&team.server, "GET", &path, None, None).await;
        assert_eq!(status, 404, "{path}");
    }
}

#[tokio::test]
async fn a_member_cannot_forge_what_only_the_page_records() {
    let mut team = Team::new().await;
    let propose = team.admin.op(Payload::AddressPropose {
        address: AddressId::new_v7(1, [5; 10]),
        postcode: "3581 BA".into(),
        number: 11,
        letter: String::new(),
        addition: String::new(),
    });
    let refused = team.admin.push(&[propose]).await.expect_err("refused");
    assert_eq!(refused.status, 403, "{:?}", refused.body);
    let visit = team.admin.op(Payload::VisitLog(VisitLog {
        visit: VisitId::new_v7(1, [6; 10]),
        address: team.listed,
        at_ms: buurtbel_server::now_ms(),
        outcome: Outcome::Joins,
        interests: [(team.project, Interest::Joins)].into(),
        pledges: Default::default(),
        join_team: None,
        note: String::new(),
        follow_up: None,
        flyer: false,
        online: true,
    }));
    let refused = team.admin.push(&[visit]).await.expect_err("refused");
    assert_eq!(refused.status, 403, "{:?}", refused.body);
}

#[tokio::test]
async fn markup_in_every_field_is_shown_back_as_text() {
    let team = Team::new().await;
    let evil = "<script>alert(1)</script>\"><img src=x onerror=alert(2)>";
    let fields: Vec<(&str, &str)> = [
        "postcode",
        "huisnummer",
        "toevoeging",
        "keuze",
        "toezegging",
        "naam",
        "telefoon",
        "email",
        "doel",
        "kanaal",
        "lang",
    ]
    .into_iter()
    .map(|f| (f, evil))
    .collect();
    let (status, page) = request(&team.server, "POST", &team.page(), Some(&fields), None).await;
    assert_eq!(status, 422);
    assert!(!page.contains("<script>alert") && !page.contains("<img src=x"));
    assert!(page.contains("&lt;script&gt;alert(1)&lt;/script&gt;&quot;&gt;&lt;img"));
    assert!(
        page.contains("Vul een postcode in"),
        "each field says what is wrong"
    );
    // A valid answer with markup in the name: stored as typed, shown as text.
    let mut answer = ANSWER.to_vec();
    answer[6] = ("naam", "<b onmouseover=alert(3)>Fatima</b>");
    let (status, thanks) = request(&team.server, "POST", &team.page(), Some(&answer), None).await;
    assert_eq!(status, 200);
    let (_, own) = request(&team.server, "GET", &link(&thanks), None, None).await;
    assert!(!own.contains("<b onmouseover"));
    assert!(own.contains("&lt;b onmouseover=alert(3)&gt;Fatima&lt;/b&gt;"));
}

#[tokio::test]
async fn robots_floods_and_oversized_bodies_get_nowhere() {
    let team = Team::new().await;
    let before = team.log().await.len();
    let mut robot = ANSWER.to_vec();
    robot.push(("website", "https://spam.example"));
    let (status, page) = request(&team.server, "POST", &team.page(), Some(&robot), None).await;
    assert_eq!(status, 200, "a robot is thanked like anyone");
    assert!(!page.contains("/antwoord/"));
    assert_eq!(team.log().await.len(), before, "and nothing is kept");

    let huge = vec![b'a'; 16 * 1024];
    let (status, _) = request_raw(&team.server, "POST", &team.page(), Some(huge), None).await;
    assert_eq!(status, 413);

    // One client: a few answers, then it waits.
    let mut statuses = Vec::new();
    for _ in 0..8 {
        let (status, _) = request(
            &team.server,
            "POST",
            &team.page(),
            Some(ANSWER),
            Some("203.0.113.9"),
        )
        .await;
        statuses.push(status);
    }
    assert_eq!(
        statuses.iter().filter(|s| **s == 200).count(),
        6,
        "{statuses:?}"
    );
    assert_eq!(statuses.last(), Some(&429));
    // Another client still gets in.
    let (status, _) = request(
        &team.server,
        "POST",
        &team.page(),
        Some(ANSWER),
        Some("198.51.100.4"),
    )
    .await;
    assert_eq!(status, 200);
}

#[tokio::test]
async fn a_page_takes_at_most_its_answers_per_hour_whichever_instance_answers() {
    let team = Team::new().await;
    let code = team.project.page_code();
    let page = team.storage.page(&code).expect("read").expect("a page");
    let answer = |n: u8| PageAnswer {
        token_hash: [n; 32],
        address: team.listed,
        visit: None,
        consent: None,
        ops: Vec::new(),
    };
    let now = buurtbel_server::now_ms();
    for n in 0..3 {
        team.storage
            .answer_page(&code, answer(n), 3, now)
            .expect("room");
    }
    assert!(matches!(
        team.storage.answer_page(&code, answer(9), 3, now),
        Err(PageError::Busy)
    ));
    assert!(
        team.storage
            .answer_page(&code, answer(10), 3, now + 3_600_001)
            .is_ok(),
        "an hour later there is room again"
    );
    assert!(page.open);
}

#[tokio::test]
async fn the_private_link_changes_withdraws_and_erases_what_was_given() {
    let team = Team::new().await;
    let (_, thanks) = request(&team.server, "POST", &team.page(), Some(ANSWER), None).await;
    let own = link(&thanks);

    // Change: maybe instead of joining, contact by phone instead of e-mail.
    let change: &[(&str, &str)] = &[
        ("actie", "wijzig"),
        ("keuze", "misschien"),
        ("naam", "Fatima"),
        ("telefoon", "06 1234 5678"),
        ("doel", "bijeenkomsten"),
        ("kanaal", "bellen"),
    ];
    let (status, page) = request(&team.server, "POST", &own, Some(change), None).await;
    assert_eq!(status, 200, "{page}");
    assert!(page.contains("Je wijziging is doorgegeven"));
    let state = team.state().await;
    assert_eq!(views::funnel(&state, team.project).joined, 0);
    let last = views::address_status(&state, team.listed)
        .and_then(|s| s.last)
        .expect("answered");
    assert_eq!(
        state.visits[&last.visit].interests.get(&team.project),
        Some(&Interest::Maybe)
    );
    let live: Vec<_> = state
        .consents
        .iter()
        .filter(|(id, c)| state.consent_ended(**id, c).is_none())
        .map(|(_, c)| c.phone.clone())
        .collect();
    assert_eq!(live, ["06 1234 5678"], "the first consent ended");

    // Withdraw: nothing counts, no consent stands.
    let (status, page) = request(
        &team.server,
        "POST",
        &own,
        Some(&[("actie", "intrekken")]),
        None,
    )
    .await;
    assert_eq!(status, 200);
    assert!(page.contains("Je antwoord is ingetrokken"));
    let state = team.state().await;
    assert!(
        views::address_status(&state, team.listed)
            .expect("listed")
            .last
            .is_none()
    );
    assert!(
        state
            .consents
            .iter()
            .all(|(id, c)| state.consent_ended(*id, c).is_some())
    );

    // Erase: the team's erasure operation, and nothing of the resident left in the log.
    let (status, page) = request(
        &team.server,
        "POST",
        &own,
        Some(&[("actie", "wissen")]),
        None,
    )
    .await;
    assert_eq!(status, 200);
    assert!(page.contains("Je gegevens zijn gewist"));
    let log = team.log().await;
    assert!(log.iter().any(
        |op| matches!(op.payload, Payload::EraseResident { address } if address == team.listed)
    ));
    let json = serde_json::to_string(&log).expect("json");
    for gone in ["Fatima", "fatima@example.nl", "06 1234 5678"] {
        assert!(!json.contains(gone), "{gone} is still in the team's log");
    }
    // A link that does not exist shows nothing.
    let wrong = format!("{}/antwoord/{}", team.page(), "0".repeat(64));
    assert_eq!(
        request(&team.server, "GET", &wrong, None, None).await.0,
        404
    );
}

#[tokio::test]
async fn no_more_visits_takes_the_door_off_the_walk_list_until_withdrawn() {
    let team = Team::new().await;
    let answer: &[(&str, &str)] = &[
        ("postcode", "3581 BA"),
        ("huisnummer", "7"),
        ("keuze", "niet-aanbellen"),
        ("team", "ja"),
    ];
    let (status, thanks) = request(&team.server, "POST", &team.page(), Some(answer), None).await;
    assert_eq!(status, 200);
    let state = team.state().await;
    let door = views::address_status(&state, team.listed).expect("listed");
    assert!(
        door.do_not_visit,
        "the door says: liever niet meer aanbellen"
    );
    assert!(views::walk_list(&state).is_empty());
    assert!(
        views::team_recruits(&state).is_empty(),
        "nobody who asked not to be visited is counted as a team candidate"
    );
    let (status, _) = request(
        &team.server,
        "POST",
        &link(&thanks),
        Some(&[("actie", "intrekken")]),
        None,
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!(views::walk_list(&team.state().await).len(), 1);
}
