//! Coaches (buurtbegeleiders), as they use the server and as an attacker would: a sign-in link
//! works once, a coach sees exactly the teams that let them look along and only figures, a
//! team ends the look along, and coaches of another organisation, forged cookies, member
//! tokens and forms from other sites get nowhere.

mod common;

use std::sync::Arc;

use buurtbel_core::domain::{
    Channel, ConsentPurpose, Interest, Outcome, Phase, Role, Target, Theme, Unit,
};
use buurtbel_core::ids::{AddressId, AdviceId, ConsentId, ProjectId, QuestionId, StepId, VisitId};
use buurtbel_core::op::{ConsentGive, Payload, VisitLog};
use buurtbel_server::auth::hash_token;
use buurtbel_server::db::{Coach, Sqlite, Storage};
use common::{Device, TestServer};
use http_body_util::{BodyExt, Full};
use hyper::body::Bytes;
use hyper_util::client::legacy::Client as HyperClient;
use hyper_util::rt::TokioExecutor;
use serde_json::json;

/// An answer to a page request: status, the cookie it sets, where it sends, and its text.
#[derive(Debug)]
struct Page {
    status: u16,
    cookie: Option<String>,
    location: Option<String>,
    cache: Option<String>,
    text: String,
}

/// A browser request to the coach's pages.
async fn page(
    server: &TestServer,
    method: &str,
    path: &str,
    cookie: Option<&str>,
    form: Option<&[(&str, &str)]>,
    origin: Option<&str>,
) -> Page {
    let http = HyperClient::builder(TokioExecutor::new()).build_http::<Full<Bytes>>();
    let mut req = hyper::Request::builder()
        .method(method)
        .uri(format!("{}{path}", server.client.base));
    if let Some(cookie) = cookie {
        req = req.header("cookie", format!("buurtbel_coach={cookie}"));
    }
    if let Some(origin) = origin {
        req = req.header("origin", origin);
        // A browser posting from another site says so, whatever it sends as the origin.
        if !origin.starts_with(&server.client.base) {
            req = req.header("sec-fetch-site", "cross-site");
        }
    }
    let body = form.map(|pairs| {
        form_urlencoded::Serializer::new(String::new())
            .extend_pairs(pairs)
            .finish()
    });
    if body.is_some() {
        req = req.header("content-type", "application/x-www-form-urlencoded");
    }
    let res = http
        .request(
            req.body(Full::new(Bytes::from(body.unwrap_or_default())))
                .expect("request"),
        )
        .await
        .expect("response");
    let header = |name: &str| {
        res.headers()
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned)
    };
    let (cookie, location, cache) = (
        header("set-cookie"),
        header("location"),
        header("cache-control"),
    );
    let status = res.status().as_u16();
    let bytes = res.into_body().collect().await.expect("body").to_bytes();
    Page {
        status,
        cookie,
        location,
        cache,
        text: String::from_utf8_lossy(&bytes).into_owned(),
    }
}

/// A link token as the server makes them (64 hex digits), from `seed`.
fn token(seed: u8) -> String {
    format!("{seed:02x}").repeat(32)
}

/// Adds a coach with a sign-in link `token(seed)`, as the operator's command does.
fn add_coach(storage: &Sqlite, organisation: &str, name: &str, code: &str, seed: u8) -> Coach {
    storage
        .add_coach(
            organisation,
            name,
            code,
            &hash_token(&token(seed)),
            buurtbel_server::now_ms(),
        )
        .expect("coach added")
}

/// Signs in with the link `token(seed)` and returns the session cookie's value.
async fn sign_in(server: &TestServer, seed: u8) -> String {
    let link = format!("/begeleider/link/{}", token(seed));
    let shown = page(server, "GET", &link, None, None, None).await;
    assert_eq!(shown.status, 200, "{}", shown.text);
    let done = page(server, "POST", &link, None, Some(&[]), None).await;
    assert_eq!(done.status, 303, "{}", done.text);
    assert_eq!(done.location.as_deref(), Some("/begeleider"));
    let cookie = done.cookie.expect("a session cookie");
    for part in ["HttpOnly", "SameSite=Strict", "Path=/begeleider"] {
        assert!(cookie.contains(part), "{part} in {cookie}");
    }
    cookie
        .split(';')
        .next()
        .and_then(|c| c.strip_prefix("buurtbel_coach="))
        .expect("value")
        .to_owned()
}

/// `team`'s device asks the server to let the coach with `code` look along.
async fn grant(team: &Device, code: &str) -> common::Answer {
    team.client
        .post(
            "/api/v1/coaches",
            Some(&team.token),
            &json!({ "code": code }),
        )
        .await
}

async fn server() -> (TestServer, Arc<Sqlite>) {
    TestServer::start_with_storage(|_| {}, |_| {}).await
}

#[tokio::test]
async fn a_coach_sees_exactly_the_teams_that_let_them_look_along_until_they_stop() {
    let (server, storage) = server().await;
    let coach = add_coach(
        &storage,
        "Buurtwerk Utrecht",
        "Sanne de Vries",
        "SANNE234",
        1,
    );
    let nobody = page(&server, "GET", "/begeleider", None, None, None).await;
    assert_eq!(nobody.status, 401);
    assert!(nobody.text.contains("Aanmelden als buurtbegeleider"));

    let session = sign_in(&server, 1).await;
    // The link works once: a forwarded or intercepted link signs nobody else in.
    let again = page(
        &server,
        "POST",
        &format!("/begeleider/link/{}", token(1)),
        None,
        Some(&[]),
        None,
    )
    .await;
    assert_eq!(again.status, 410);
    assert!(again.cookie.is_none());

    let empty = page(&server, "GET", "/begeleider", Some(&session), None, None).await;
    assert_eq!(empty.status, 200);
    assert!(empty.text.contains("Sanne de Vries · Buurtwerk Utrecht"));
    assert!(empty.text.contains("SANN-E234"), "the code to give teams");
    assert!(empty.text.contains("Nog geen team"));

    let mut linden = Device::create_team(&server.client, "Lindenteam", 1).await;
    let eiken = Device::create_team(&server.client, "Eikenteam", 2).await;
    let member = Device::join(
        &server.client,
        linden.invite.as_deref().expect("invite"),
        "Bram",
        3,
    )
    .await;
    // Only an admin lets a coach look along; a typo finds nobody.
    let refused = grant(&member, "sann-e234").await;
    assert_eq!(refused.status, 403);
    let typo = grant(&linden, "SANN-E235").await;
    assert_eq!(typo.status, 404);
    let granted = grant(&linden, "sann-e234").await;
    assert_eq!(granted.status, 201, "{:?}", granted.body);
    assert_eq!(granted.body["name"], "Sanne de Vries");
    assert_eq!(granted.body["organisation"], "Buurtwerk Utrecht");
    // Every member sees who looks along.
    let seen = member
        .client
        .get("/api/v1/coaches", Some(&member.token))
        .await;
    assert_eq!(seen.status, 200);
    assert_eq!(seen.body["coaches"][0]["coach"], coach.id.as_str());

    let project = linden.factory.id(ProjectId::new_v7);
    let step = linden.factory.id(StepId::new_v7);
    let ops = vec![
        linden.op(Payload::ProjectAdd {
            project,
            theme: Theme::Aed,
            title: "AED voor de Lindenbuurt".into(),
            target: Some(Target {
                count: 1500,
                unit: Unit::Euros,
            }),
        }),
        linden.op(Payload::StepAdd {
            step,
            project,
            title: "Kies een plek voor de AED".into(),
            description: String::new(),
            phase: Phase::Initiate,
            owner: None,
            due: None,
            order: 1,
            evidence: None,
        }),
    ];
    linden.push(&ops).await.expect("stored");

    let overview = page(&server, "GET", "/begeleider", Some(&session), None, None).await;
    assert_eq!(overview.status, 200);
    assert!(overview.text.contains("Lindenteam"));
    assert!(overview.text.contains("AED voor de Lindenbuurt"));
    assert!(overview.text.contains("Initiëren"));
    assert!(overview.text.contains("0 van 1500 euro"));
    assert!(
        !overview.text.contains("Eikenteam"),
        "a team that never granted access"
    );
    assert!(!overview.text.contains("<script"));

    let linden_page = format!("/begeleider/team/{}", linden.team);
    let eiken_page = format!("/begeleider/team/{}", eiken.team);
    let weeks = page(&server, "GET", &linden_page, Some(&session), None, None).await;
    assert_eq!(weeks.status, 200);
    assert!(weeks.text.contains("<svg"), "the chart");
    assert!(
        weeks.text.contains("<table>"),
        "the chart's figures as a table"
    );
    // Neither a shared cache nor the browser keeps a team's figures (the team's id in the
    // path looks like a file's content hash, which is kept for a year).
    assert_eq!(weeks.cache.as_deref(), Some("no-store"));
    assert_eq!(overview.cache.as_deref(), Some("no-store"));
    let never = page(&server, "GET", &eiken_page, Some(&session), None, None).await;
    assert_eq!(never.status, 404);
    assert!(!never.text.contains("Eikenteam"));

    // The team ends it: the team and its page are gone from the coach's view at once.
    let ended = linden
        .client
        .delete(
            &format!("/api/v1/coaches/{}", coach.id),
            Some(&linden.token),
        )
        .await;
    assert_eq!(ended.status, 204);
    let after = page(&server, "GET", "/begeleider", Some(&session), None, None).await;
    assert!(!after.text.contains("Lindenteam"));
    let gone = page(&server, "GET", &linden_page, Some(&session), None, None).await;
    assert_eq!(gone.status, 404);
    assert_eq!(
        never.text, gone.text,
        "withdrawn reads the same as never granted"
    );
    let listed = member
        .client
        .get("/api/v1/coaches", Some(&member.token))
        .await;
    assert_eq!(listed.body["coaches"], json!([]));
    let twice = linden
        .client
        .delete(
            &format!("/api/v1/coaches/{}", coach.id),
            Some(&linden.token),
        )
        .await;
    assert_eq!(twice.status, 404);
    // Granted again, it shows again.
    let back = grant(&linden, "SANNE234").await;
    assert_eq!(back.status, 201);
    let shown = page(&server, "GET", &linden_page, Some(&session), None, None).await;
    assert_eq!(shown.status, 200);
}

#[tokio::test]
async fn a_coach_of_another_organisation_or_a_forged_session_sees_nothing() {
    let (server, storage) = server().await;
    add_coach(&storage, "Buurtwerk Utrecht", "Sanne", "SANNE234", 1);
    add_coach(&storage, "Energieloket Zeist", "Joost", "JOOST234", 2);
    let joost = sign_in(&server, 2).await;
    let linden = Device::create_team(&server.client, "Lindenteam", 1).await;
    let granted = grant(&linden, "SANNE234").await;
    assert_eq!(granted.status, 201);
    let team_page = format!("/begeleider/team/{}", linden.team);

    let other = page(&server, "GET", &team_page, Some(&joost), None, None).await;
    assert_eq!(other.status, 404);
    let overview = page(&server, "GET", "/begeleider", Some(&joost), None, None).await;
    assert!(!overview.text.contains("Lindenteam"));
    // A member's device token is no coach's session, and a guessed one is nobody's.
    for forged in [
        linden.token.as_str(),
        &token(9),
        "",
        "'; DROP TABLE coaches; --",
    ] {
        let answer = page(&server, "GET", &team_page, Some(forged), None, None).await;
        assert_eq!(answer.status, 401, "cookie {forged:?}");
        assert!(!answer.text.contains("Lindenteam"));
    }
    // A coach's session reaches no team's API.
    let api = server.client.get("/api/v1/coaches", Some(&joost)).await;
    assert_eq!(api.status, 401);
    // Nor does it withdraw anything.
    let pull = server
        .client
        .post(
            "/api/v1/pull",
            Some(&joost),
            &json!({"protocol_version": 1, "after": 0}),
        )
        .await;
    assert_eq!(pull.status, 401);
}

#[tokio::test]
async fn what_a_coach_sees_holds_no_resident_data() {
    let (server, storage) = server().await;
    add_coach(&storage, "Buurtwerk Utrecht", "Sanne", "SANNE234", 1);
    let session = sign_in(&server, 1).await;
    let mut team = Device::create_team(&server.client, "Lindenteam", 1).await;
    grant(&team, "SANNE234").await;
    let project = team.factory.id(ProjectId::new_v7);
    let address = team.factory.id(AddressId::new_v7);
    let visit = team.factory.id(VisitId::new_v7);
    let consent = team.factory.id(ConsentId::new_v7);
    let question = team.factory.id(QuestionId::new_v7);
    let at_ms = team.factory.now_ms();
    let ops = vec![
        team.op(Payload::ProjectAdd {
            project,
            theme: Theme::Solar,
            title: "Zon op de Linden".into(),
            target: Some(Target {
                count: 40,
                unit: Unit::Households,
            }),
        }),
        team.op(Payload::AddressAdd {
            address,
            street: "Kastanjelaan".into(),
            number: 17,
            letter: "b".into(),
            addition: String::new(),
            postcode: "3581 XY".into(),
        }),
        team.op(Payload::VisitLog(VisitLog {
            visit,
            address,
            at_ms,
            outcome: Outcome::Joins,
            interests: [(project, Interest::Joins)].into(),
            pledges: Default::default(),
            join_team: Some([Role::Connector].into()),
            note: "Mevrouw Oudshoorn is slechthorend".into(),
            follow_up: None,
            flyer: false,
            online: false,
        })),
        team.op(Payload::ConsentGive(ConsentGive {
            consent,
            address,
            purposes: [ConsentPurpose::ProjectUpdates].into(),
            channels: [Channel::Email, Channel::Phone].into(),
            name: "Henk Oudshoorn".into(),
            phone: "06 9876 5432".into(),
            email: "henk@oudshoorn.example".into(),
            given_at_ms: at_ms,
        })),
        team.op(Payload::QuestionAsk {
            question,
            project: Some(project),
            text: "Wat kost het voor nummer 17b?".into(),
            address: Some(address),
            asked_at_ms: at_ms,
        }),
    ];
    team.push(&ops).await.expect("stored");
    let overview = page(&server, "GET", "/begeleider", Some(&session), None, None).await;
    let weeks = page(
        &server,
        "GET",
        &format!("/begeleider/team/{}", team.team),
        Some(&session),
        None,
        None,
    )
    .await;
    for text in [&overview.text, &weeks.text] {
        assert!(text.contains("Zon op de Linden"), "the project is shown");
        assert!(text.contains("1 van 40"), "its progress is shown");
        for secret in [
            "Kastanjelaan",
            "17b",
            "3581",
            "Oudshoorn",
            "slechthorend",
            "06 9876",
            "henk@",
            "Wat kost het",
            "Anna",
        ] {
            assert!(!text.contains(secret), "{secret} reached the coach");
        }
    }
}

#[tokio::test]
async fn forms_from_other_sites_are_refused_and_a_colleague_joins_by_invite() {
    let (server, storage) = server().await;
    add_coach(&storage, "Buurtwerk Utrecht", "Sanne", "SANNE234", 1);
    let session = sign_in(&server, 1).await;
    let forged = page(
        &server,
        "POST",
        "/begeleider/uitnodigen",
        Some(&session),
        Some(&[]),
        Some("https://evil.example"),
    )
    .await;
    assert_eq!(forged.status, 403);
    assert!(!forged.text.contains("/begeleider/link/"));
    // A page that hides its origin (`no-referrer`) still says it is another site.
    let hidden = page(
        &server,
        "POST",
        "/begeleider/uitnodigen",
        Some(&session),
        Some(&[]),
        Some("null"),
    )
    .await;
    assert_eq!(hidden.status, 403);
    let origin = server.client.base.clone();
    let invite = page(
        &server,
        "POST",
        "/begeleider/uitnodigen",
        Some(&session),
        Some(&[]),
        Some(&origin),
    )
    .await;
    assert_eq!(invite.status, 200);
    let start = invite.text.find("/begeleider/link/").expect("a link");
    let link = invite.text[start..]
        .split('<')
        .next()
        .expect("link")
        .to_owned();
    let shown = page(&server, "GET", &link, None, None, None).await;
    assert!(
        shown
            .text
            .contains("Buurtbegeleider worden bij Buurtwerk Utrecht")
    );
    let nameless = page(&server, "POST", &link, None, Some(&[("name", "  ")]), None).await;
    assert_eq!(nameless.status, 422);
    assert!(nameless.text.contains("Vul je naam in."));
    let joined = page(
        &server,
        "POST",
        &link,
        None,
        Some(&[("name", "<b>Joost</b>")]),
        None,
    )
    .await;
    assert_eq!(joined.status, 303);
    let cookie = joined.cookie.expect("cookie");
    let value = cookie
        .split(';')
        .next()
        .and_then(|c| c.strip_prefix("buurtbel_coach="))
        .expect("value");
    let theirs = page(&server, "GET", "/begeleider", Some(value), None, None).await;
    assert!(
        theirs
            .text
            .contains("&lt;b&gt;Joost&lt;/b&gt; · Buurtwerk Utrecht")
    );

    // Signing out ends the session on the server, not only in the browser.
    let out = page(
        &server,
        "POST",
        "/begeleider/afmelden",
        Some(&session),
        Some(&[]),
        None,
    )
    .await;
    assert_eq!(out.status, 303);
    assert!(out.cookie.expect("cleared").contains("Max-Age=0"));
    let after = page(&server, "GET", "/begeleider", Some(&session), None, None).await;
    assert_eq!(after.status, 401);
}

#[tokio::test]
async fn the_operator_adds_a_coach_whose_link_signs_them_in() {
    let dir = common::TempDir::new("coach-cli");
    let db = dir.0.join("buurtbel.sqlite3");
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_buurtbel-server"))
        .args([
            "--database",
            db.to_str().expect("path"),
            "coach",
            "--organisation",
            "Buurtwerk Utrecht",
            "--name",
            "Sanne de Vries",
            "--url",
            "https://buurtbel.example/",
        ])
        .output()
        .expect("the command runs");
    assert!(output.status.success(), "{output:?}");
    let link = String::from_utf8(output.stdout).expect("text");
    let token = link
        .trim()
        .strip_prefix("https://buurtbel.example/begeleider/link/")
        .expect("a link under the given address");
    let storage = Sqlite::open(&db).expect("database");
    let found = storage
        .coach_link(&hash_token(token), buurtbel_server::now_ms())
        .expect("read")
        .expect("the link works");
    assert_eq!(found.organisation_name, "Buurtwerk Utrecht");
    assert_eq!(found.coach.expect("a coach").name, "Sanne de Vries");
    let empty = std::process::Command::new(env!("CARGO_BIN_EXE_buurtbel-server"))
        .args([
            "--database",
            db.to_str().expect("path"),
            "coach",
            "--organisation",
            "Buurtwerk Utrecht",
            "--name",
            " ",
        ])
        .output()
        .expect("the command runs");
    assert!(!empty.status.success());
}

/// The ids of the advice in `team`'s log, as its phones pull them, with whether each is handled.
async fn advice_in_log(team: &Device) -> Vec<(AdviceId, Option<ProjectId>, String, String)> {
    let (ops, _) = team.pull_all(Default::default(), 500).await;
    ops.into_iter()
        .filter_map(|(_, op)| match op.payload {
            Payload::AdviceGive {
                advice,
                project,
                text,
                name,
                ..
            } => Some((advice, project, text, name)),
            _ => None,
        })
        .collect()
}

/// The coach with session `cookie` posts advice about `about` to `path`, from `origin`.
async fn advise(
    server: &TestServer,
    path: &str,
    cookie: &str,
    about: &str,
    text: &str,
    origin: &str,
) -> Page {
    page(
        server,
        "POST",
        path,
        Some(cookie),
        Some(&[("about", about), ("text", text)]),
        Some(origin),
    )
    .await
}

#[tokio::test]
async fn a_coach_s_advice_reaches_only_the_team_she_looks_along_with() {
    let (server, storage) = server().await;
    add_coach(
        &storage,
        "Buurtwerk Utrecht",
        "Sanne de Vries",
        "SANNE234",
        1,
    );
    add_coach(&storage, "Energieloket Zeist", "Joost", "JOOST234", 2);
    let sanne = sign_in(&server, 1).await;
    let joost = sign_in(&server, 2).await;
    let mut linden = Device::create_team(&server.client, "Lindenteam", 1).await;
    let mut eiken = Device::create_team(&server.client, "Eikenteam", 2).await;
    assert_eq!(grant(&linden, "SANNE234").await.status, 201);
    let (project, step) = (
        linden.factory.id(ProjectId::new_v7),
        linden.factory.id(StepId::new_v7),
    );
    let ops = vec![
        linden.op(Payload::ProjectAdd {
            project,
            theme: Theme::Aed,
            title: "AED voor de Lindenbuurt".into(),
            target: None,
        }),
        linden.op(Payload::StepAdd {
            step,
            project,
            title: "Kies een plek".into(),
            description: String::new(),
            phase: Phase::Initiate,
            owner: None,
            due: None,
            order: 1,
            evidence: None,
        }),
    ];
    linden.push(&ops).await.expect("stored");
    let other_project = eiken.factory.id(ProjectId::new_v7);
    let theirs = eiken.op(Payload::ProjectAdd {
        project: other_project,
        theme: Theme::Solar,
        title: "Zon op Eiken".into(),
        target: None,
    });
    eiken.push(&[theirs]).await.expect("stored");

    let linden_page = format!("/begeleider/team/{}", linden.team);
    let form = page(&server, "GET", &linden_page, Some(&sanne), None, None).await;
    let step_choice = format!("{project}:{step}");
    assert!(
        form.text.contains(&format!("value=\"{step_choice}\"")),
        "the step is a choice"
    );
    assert!(
        form.text
            .contains("Je hebt dit team nog geen advies gegeven.")
    );

    let to_linden = format!("{linden_page}/advies");
    let base = server.client.base.clone();
    let given = advise(
        &server,
        &to_linden,
        &sanne,
        &step_choice,
        "  Vraag de huisarts om een plek.  ",
        &base,
    )
    .await;
    assert_eq!(given.status, 303, "{}", given.text);
    assert_eq!(
        given.location.as_deref(),
        Some(format!("{linden_page}#advies").as_str())
    );
    let in_log = advice_in_log(&linden).await;
    assert_eq!(in_log.len(), 1);
    let (advice, about, text, name) = in_log[0].clone();
    assert_eq!(
        (about, text.as_str(), name.as_str()),
        (
            Some(project),
            "Vraag de huisarts om een plek.",
            "Sanne de Vries"
        )
    );
    let shown = page(&server, "GET", &linden_page, Some(&sanne), None, None).await;
    assert!(shown.text.contains("Vraag de huisarts om een plek."));
    assert!(
        shown
            .text
            .contains("Kies een plek (AED voor de Lindenbuurt)")
    );
    assert!(shown.text.contains("Nog open"));

    // The team marks it handled; the coach sees that.
    let handled = linden.op(Payload::AdviceHandle { advice, done: true });
    linden.push(&[handled]).await.expect("stored");
    let seen = page(&server, "GET", &linden_page, Some(&sanne), None, None).await;
    assert!(seen.text.contains("Afgehandeld op"), "{}", seen.text);
    assert!(!seen.text.contains("Nog open"));

    // A member cannot give advice in a coach's name.
    let made_up = linden.factory.id(AdviceId::new_v7);
    let forged = linden.op(Payload::AdviceGive {
        advice: made_up,
        project: None,
        step: None,
        text: "Stop ermee".into(),
        name: "Sanne de Vries".into(),
    });
    let refused = linden.push(&[forged]).await.expect_err("refused");
    assert_eq!(refused.status, 403, "{:?}", refused.body);

    // Another team's project, posted to this team's form, stores nothing.
    let foreign = advise(
        &server,
        &to_linden,
        &sanne,
        &other_project.to_string(),
        "Doe het",
        &base,
    )
    .await;
    assert_eq!(foreign.status, 422);
    assert!(foreign.text.contains("heeft het team niet"));
    // Nor does a made-up choice, an empty advice, or a form from another site.
    for (about, text, origin) in [
        ("not-an-id", "Doe het", server.client.base.as_str()),
        ("", "   ", server.client.base.as_str()),
        ("", "Doe het", "https://evil.example"),
    ] {
        let answer = advise(&server, &to_linden, &sanne, about, text, origin).await;
        assert!(
            [403, 422].contains(&answer.status),
            "{about:?} {text:?} {origin}: {}",
            answer.status
        );
    }
    let empty = advise(&server, &to_linden, &sanne, "", " ", &server.client.base).await;
    assert!(empty.text.contains("Schrijf je advies."));
    assert_eq!(advice_in_log(&linden).await.len(), 1, "nothing more stored");

    // A team that never let her in, a coach of another organisation, a forged session.
    let eiken_advice = format!("/begeleider/team/{}/advies", eiken.team);
    let never = advise(
        &server,
        &eiken_advice,
        &sanne,
        "",
        "Doe het",
        &server.client.base,
    )
    .await;
    assert_eq!(never.status, 404);
    assert!(advice_in_log(&eiken).await.is_empty());
    let stranger = advise(
        &server,
        &to_linden,
        &joost,
        "",
        "Doe het",
        &server.client.base,
    )
    .await;
    assert_eq!(stranger.status, 404);
    let forged = advise(
        &server,
        &to_linden,
        &linden.token,
        "",
        "Doe het",
        &server.client.base,
    )
    .await;
    assert_eq!(forged.status, 401);
    assert_eq!(advice_in_log(&linden).await.len(), 1);

    // After the team ends the look along, her advice form reaches nothing.
    let listed = linden
        .client
        .get("/api/v1/coaches", Some(&linden.token))
        .await;
    let coach = listed.body["coaches"][0]["coach"]
        .as_str()
        .expect("a coach")
        .to_owned();
    let ended = linden
        .client
        .delete(&format!("/api/v1/coaches/{coach}"), Some(&linden.token))
        .await;
    assert_eq!(ended.status, 204);
    let late = advise(
        &server,
        &to_linden,
        &sanne,
        "",
        "Nog één ding",
        &server.client.base,
    )
    .await;
    assert_eq!(late.status, 404);
    assert_eq!(advice_in_log(&linden).await.len(), 1);
}

/// The introductions `team`'s device is shown, as (id, name, role, contact, invited).
async fn introductions(team: &Device) -> Vec<(String, String, String, String, bool)> {
    let list = team.client.get("/api/v1/coaches", Some(&team.token)).await;
    assert_eq!(list.status, 200, "{:?}", list.body);
    list.body["introductions"]
        .as_array()
        .expect("a list")
        .iter()
        .map(|i| {
            (
                i["id"].as_str().expect("id").to_owned(),
                i["name"].as_str().expect("name").to_owned(),
                i["role"].as_str().expect("role").to_owned(),
                i["contact"].as_str().expect("contact").to_owned(),
                !i["invited_at_ms"].is_null(),
            )
        })
        .collect()
}

#[tokio::test]
async fn a_volunteer_a_coach_introduces_reaches_only_her_team_is_invited_with_one_tap_and_erased() {
    let (server, storage) = server().await;
    add_coach(
        &storage,
        "Buurtwerk Utrecht",
        "Sanne de Vries",
        "SANNE234",
        1,
    );
    add_coach(&storage, "Energieloket Zeist", "Joost", "JOOST234", 2);
    let sanne = sign_in(&server, 1).await;
    let joost = sign_in(&server, 2).await;
    let linden = Device::create_team(&server.client, "Lindenteam", 1).await;
    let eiken = Device::create_team(&server.client, "Eikenteam", 2).await;
    assert_eq!(grant(&linden, "SANNE234").await.status, 201);
    let bram = Device::join(
        &server.client,
        linden.invite.as_deref().expect("invite"),
        "Bram",
        3,
    )
    .await;
    let base = server.client.base.clone();
    let to = |team: &Device| format!("/begeleider/team/{}/voorstellen", team.team);
    let piet = [
        ("name", " Piet Jansen "),
        ("role", "connector"),
        ("contact", "06 1234 5678"),
        ("consent", "ja"),
    ];

    // The page offers the form, the role the team lacks chosen first.
    let shown = page(
        &server,
        "GET",
        &format!("/begeleider/team/{}", linden.team),
        Some(&sanne),
        None,
        None,
    )
    .await;
    assert!(
        shown
            .text
            .contains("Je hebt dit team nog niemand voorgesteld.")
    );
    assert!(
        shown.text.contains("<option value=\"expert\" selected>"),
        "nobody is expert yet"
    );

    // Without consent, or without a contact, nothing is stored.
    let no_consent = page(
        &server,
        "POST",
        &to(&linden),
        Some(&sanne),
        Some(&piet[..3]),
        Some(&base),
    )
    .await;
    assert_eq!(no_consent.status, 422);
    assert!(
        no_consent
            .text
            .contains("alleen voor met diens toestemming")
    );
    assert!(
        no_consent.text.contains("value=\"Piet Jansen\""),
        "what was typed stays"
    );
    let no_contact = [piet[0], piet[1], ("contact", " "), piet[3]];
    let refused = page(
        &server,
        "POST",
        &to(&linden),
        Some(&sanne),
        Some(&no_contact),
        Some(&base),
    )
    .await;
    assert_eq!(refused.status, 422);
    assert!(introductions(&linden).await.is_empty());

    // Another site's form, a team that never let her in, and another organisation's coach
    // get nowhere.
    let forged = page(
        &server,
        "POST",
        &to(&linden),
        Some(&sanne),
        Some(&piet),
        Some("https://evil.example"),
    )
    .await;
    assert_eq!(forged.status, 403);
    let elsewhere = page(
        &server,
        "POST",
        &to(&eiken),
        Some(&sanne),
        Some(&piet),
        Some(&base),
    )
    .await;
    assert_eq!(elsewhere.status, 404);
    let stranger = page(
        &server,
        "POST",
        &to(&linden),
        Some(&joost),
        Some(&piet),
        Some(&base),
    )
    .await;
    assert_eq!(stranger.status, 404);
    assert!(introductions(&linden).await.is_empty());
    assert!(introductions(&eiken).await.is_empty());

    let made = page(
        &server,
        "POST",
        &to(&linden),
        Some(&sanne),
        Some(&piet),
        Some(&base),
    )
    .await;
    assert_eq!(made.status, 303, "{}", made.text);
    let seen = introductions(&linden).await;
    assert_eq!(seen.len(), 1);
    let (id, name, role, contact, invited) = seen[0].clone();
    assert_eq!(
        (name.as_str(), role.as_str(), contact.as_str(), invited),
        ("Piet Jansen", "connector", "06 1234 5678", false)
    );
    assert_eq!(
        introductions(&bram).await.len(),
        1,
        "every member sees candidates"
    );
    assert!(introductions(&eiken).await.is_empty());

    // Only the team's admins invite, and only their own team's introductions.
    let invite_path = format!("/api/v1/introductions/{id}/invite");
    let by_member = bram
        .client
        .post(&invite_path, Some(&bram.token), &json!({}))
        .await;
    assert_eq!(by_member.status, 403);
    let by_other_team = eiken
        .client
        .post(&invite_path, Some(&eiken.token), &json!({}))
        .await;
    assert_eq!(by_other_team.status, 404);
    let gone_elsewhere = eiken
        .client
        .delete(&format!("/api/v1/introductions/{id}"), Some(&eiken.token))
        .await;
    assert_eq!(gone_elsewhere.status, 404);
    let invited = linden
        .client
        .post(&invite_path, Some(&linden.token), &json!({}))
        .await;
    assert_eq!(invited.status, 201, "{:?}", invited.body);
    assert_eq!(invited.body["max_uses"], 1, "one device: the volunteer's");
    let code = invited.body["code"].as_str().expect("a code").to_owned();
    let _piet = Device::join(&server.client, &code, "Piet", 4).await;
    assert!(introductions(&linden).await[0].4, "noted as invited");
    let coach_page = page(
        &server,
        "GET",
        &format!("/begeleider/team/{}", linden.team),
        Some(&sanne),
        None,
        None,
    )
    .await;
    assert!(coach_page.text.contains("Piet Jansen"));
    assert!(coach_page.text.contains("Uitgenodigd op"));

    // The coach withdraws: erased. A second one the team removes itself.
    let withdraw = format!(
        "/begeleider/team/{}/voorstellen/{id}/intrekken",
        linden.team
    );
    let by_stranger = page(
        &server,
        "POST",
        &withdraw,
        Some(&joost),
        Some(&[]),
        Some(&base),
    )
    .await;
    assert_eq!(by_stranger.status, 303);
    assert_eq!(
        introductions(&linden).await.len(),
        1,
        "not hers to withdraw"
    );
    let withdrawn = page(
        &server,
        "POST",
        &withdraw,
        Some(&sanne),
        Some(&[]),
        Some(&base),
    )
    .await;
    assert_eq!(withdrawn.status, 303);
    assert!(introductions(&linden).await.is_empty());
    let fatima = [
        ("name", "Fatima"),
        ("role", "expert"),
        ("contact", "f@example.org"),
        ("consent", "ja"),
    ];
    assert_eq!(
        page(
            &server,
            "POST",
            &to(&linden),
            Some(&sanne),
            Some(&fatima),
            Some(&base)
        )
        .await
        .status,
        303
    );
    let second = introductions(&linden).await[0].0.clone();
    let removed = linden
        .client
        .delete(
            &format!("/api/v1/introductions/{second}"),
            Some(&linden.token),
        )
        .await;
    assert_eq!(removed.status, 204);
    assert!(introductions(&linden).await.is_empty());
    let after = page(
        &server,
        "GET",
        &format!("/begeleider/team/{}", linden.team),
        Some(&sanne),
        None,
        None,
    )
    .await;
    assert!(!after.text.contains("Fatima") && !after.text.contains("Piet Jansen"));
}

/// The form of a plan's editing page, filled from its latest stored version, with `change`
/// applied to the pairs.
fn plan_form(storage: &Sqlite, organisation: &str, id: &str) -> Vec<(String, String)> {
    let latest = storage
        .plan_versions(organisation, id)
        .expect("versions")
        .pop()
        .expect("a version")
        .plan;
    let mut pairs = vec![
        ("name".to_owned(), latest.name.clone()),
        ("theme".to_owned(), "solar".to_owned()),
        (
            "target".to_owned(),
            latest
                .target
                .map(|t| t.count.to_string())
                .unwrap_or_default(),
        ),
        ("unit".to_owned(), "households".to_owned()),
    ];
    for (i, s) in latest.steps.iter().enumerate() {
        let phase = serde_json::to_value(s.phase).expect("phase");
        let owner = s.owner.map(|r| serde_json::to_value(r).expect("role"));
        let measure = s.evidence.map(
            |e| match serde_json::to_value(e.measure).expect("measure") {
                serde_json::Value::Object(o) => {
                    let (k, v) = o.into_iter().next().expect("one");
                    format!("{k}:{}", v.as_str().expect("purpose"))
                }
                v => v.as_str().expect("text").to_owned(),
            },
        );
        for (field, value) in [
            ("measure", measure.unwrap_or_default()),
            (
                "count",
                s.evidence.map(|e| e.target.to_string()).unwrap_or_default(),
            ),
            ("key", s.key.to_string()),
            ("title", s.title.clone()),
            ("description", s.description.clone()),
            ("phase", phase.as_str().expect("text").to_owned()),
            (
                "owner",
                owner
                    .and_then(|o| o.as_str().map(str::to_owned))
                    .unwrap_or_default(),
            ),
            ("position", (i + 1).to_string()),
        ] {
            pairs.push((format!("s{i}.{field}"), value));
        }
    }
    for (i, g) in latest.guide.iter().enumerate() {
        let kind = serde_json::to_value(g.kind).expect("kind");
        for (field, value) in [
            ("key", g.key.to_string()),
            ("kind", kind.as_str().expect("text").to_owned()),
            ("text", g.text.clone()),
            ("answer", g.answer.clone()),
        ] {
            pairs.push((format!("g{i}.{field}"), value));
        }
    }
    pairs
}

fn set(pairs: &mut Vec<(String, String)>, name: &str, value: &str) {
    pairs.retain(|(n, _)| n != name);
    pairs.push((name.to_owned(), value.to_owned()));
}

#[tokio::test]
async fn an_organisation_s_step_plan_starts_projects_and_its_new_version_is_offered_not_forced() {
    let (server, storage) = server().await;
    let sanne_coach = add_coach(
        &storage,
        "Buurtwerk Utrecht",
        "Sanne de Vries",
        "SANNE234",
        1,
    );
    add_coach(&storage, "Energieloket Zeist", "Joost", "JOOST234", 2);
    let sanne = sign_in(&server, 1).await;
    let joost = sign_in(&server, 2).await;
    let mut linden = Device::create_team(&server.client, "Lindenteam", 1).await;
    let eiken = Device::create_team(&server.client, "Eikenteam", 2).await;
    assert_eq!(grant(&linden, "SANNE234").await.status, 201);
    let base = server.client.base.clone();

    let listed = page(
        &server,
        "GET",
        "/begeleider/plannen",
        Some(&sanne),
        None,
        None,
    )
    .await;
    assert!(
        listed
            .text
            .contains("Je organisatie heeft nog geen eigen stappenplan.")
    );
    let new = [("name", "Zon op elk dak"), ("theme", "solar")];
    let forged = page(
        &server,
        "POST",
        "/begeleider/plannen",
        Some(&sanne),
        Some(&new),
        Some("https://evil.example"),
    )
    .await;
    assert_eq!(forged.status, 403);
    let made = page(
        &server,
        "POST",
        "/begeleider/plannen",
        Some(&sanne),
        Some(&new),
        Some(&base),
    )
    .await;
    assert_eq!(made.status, 303, "{}", made.text);
    let path = made.location.expect("to the plan");
    let id = path.trim_start_matches("/begeleider/plannen/").to_owned();
    let edit = page(&server, "GET", &path, Some(&sanne), None, None).await;
    assert_eq!(edit.status, 200);
    assert!(edit.text.contains("Versie 1"));
    assert!(
        edit.text.contains("Vorm het buurtteam"),
        "the solar theme's steps to start from"
    );

    // Another organisation's coach neither sees nor saves it.
    assert_eq!(
        page(&server, "GET", &path, Some(&joost), None, None)
            .await
            .status,
        404
    );
    let mut form = plan_form(&storage, &sanne_coach.organisation, &id);
    let post = |cookie: String, form: Vec<(String, String)>| {
        let (server, path, base) = (&server, path.clone(), base.clone());
        async move {
            let refs: Vec<(&str, &str)> =
                form.iter().map(|(a, b)| (a.as_str(), b.as_str())).collect();
            page(
                server,
                "POST",
                &path,
                Some(&cookie),
                Some(&refs),
                Some(&base),
            )
            .await
        }
    };
    assert_eq!(post(joost.clone(), form.clone()).await.status, 404);

    // The team that lets Sanne look along sees the plan, as the project_add that starts a
    // project from it; another team does not.
    let plans = linden
        .client
        .get("/api/v1/plans", Some(&linden.token))
        .await;
    assert_eq!(plans.status, 200, "{:?}", plans.body);
    let listed: Vec<Payload> = serde_json::from_value(plans.body).expect("payloads");
    let Some(Payload::ProjectAdd {
        project: plan_as_project,
        theme,
        title,
        target,
    }) = listed.first().cloned()
    else {
        panic!("a project_add: {listed:?}");
    };
    assert_eq!(
        (theme, title.as_str(), listed.len()),
        (Theme::Solar, "Zon op elk dak", 1)
    );
    assert_eq!(plan_as_project.0.simple().to_string(), id, "the plan's id");
    assert_eq!(target.map(|t| t.unit), Some(Unit::Households));
    let theirs = eiken.client.get("/api/v1/plans", Some(&eiken.token)).await;
    assert_eq!(theirs.body, json!([]));

    // A project starts from it: the team records the payloads as its own operations.
    let project = linden.factory.id(ProjectId::new_v7);
    // The plan's id as the list gives it, a UUID with dashes.
    let start = format!("/api/v1/plans/{plan_as_project}/start?project={project}");
    let offered = format!("/api/v1/plans/offer?project={project}");
    let offer = linden.client.get(&offered, Some(&linden.token)).await;
    assert_eq!(
        offer.body,
        json!([]),
        "nothing to offer a project that does not exist"
    );
    for bad in [
        "/api/v1/plans/offer",
        "/api/v1/plans/offer?project=../../etc",
        "/api/v1/plans/offer?project=00000000-0000-0000-0000-000000000000",
    ] {
        let refused = linden.client.get(bad, Some(&linden.token)).await;
        assert_eq!(
            (refused.status, refused.body["field"].clone()),
            (422, json!("project")),
            "{bad}"
        );
    }
    let no_token = linden.client.get(&offered, None).await;
    assert_eq!(no_token.status, 401);
    assert_eq!(
        eiken.client.get(&start, Some(&eiken.token)).await.status,
        404
    );
    let payloads = linden.client.get(&start, Some(&linden.token)).await;
    assert_eq!(payloads.status, 200, "{:?}", payloads.body);
    let payloads: Vec<Payload> = serde_json::from_value(payloads.body).expect("payloads");
    let steps = payloads
        .iter()
        .filter(|p| matches!(p, Payload::StepAdd { .. }))
        .count();
    assert!(steps > 3, "{steps} steps");
    let mut ops = vec![linden.op(Payload::ProjectAdd {
        project,
        theme: Theme::Solar,
        title: "Zon op elk dak".into(),
        target: None,
    })];
    ops.extend(payloads.into_iter().map(|p| linden.op(p)));
    linden
        .push(&ops)
        .await
        .expect("the server takes the plan's steps");
    let offer = linden.client.get(&offered, Some(&linden.token)).await;
    assert_eq!(offer.body, json!([]), "just started: nothing to offer");
    let again = linden.client.get(&start, Some(&linden.token)).await;
    assert_eq!(again.status, 422, "a project the team has already");

    // Saving unchanged makes no version; a problem is shown and saves nothing.
    assert_eq!(post(sanne.clone(), form.clone()).await.status, 303);
    let mut broken = form.clone();
    set(&mut broken, "s1.title", "");
    let refused = post(sanne.clone(), broken).await;
    assert_eq!(refused.status, 422);
    assert!(
        refused.text.contains("Stap 2 heeft een titel nodig"),
        "{}",
        refused.text
    );
    assert!(
        page(&server, "GET", &path, Some(&sanne), None, None)
            .await
            .text
            .contains("Versie 1")
    );

    // Version 2: step 1 renamed, a new step after it, the last step removed.
    let last = form
        .iter()
        .filter(|(n, _)| n.ends_with(".key") && n.starts_with('s'))
        .count()
        - 1;
    set(&mut form, "s0.title", "Vorm het buurtteam met twee per rol");
    set(&mut form, &format!("s{last}.remove"), "ja");
    let new_row = last + 1;
    set(
        &mut form,
        &format!("s{new_row}.title"),
        "Bel de netbeheerder",
    );
    set(&mut form, &format!("s{new_row}.phase"), "initiate");
    set(&mut form, &format!("s{new_row}.position"), "1.5");
    set(&mut form, &format!("s{new_row}.measure"), "interested");
    set(&mut form, &format!("s{new_row}.count"), "12");
    assert_eq!(post(sanne.clone(), form).await.status, 303);
    let edit = page(&server, "GET", &path, Some(&sanne), None, None).await;
    assert!(edit.text.contains("Versie 2"));
    let stored = storage
        .plan_versions(&sanne_coach.organisation, &id)
        .expect("versions");
    assert_eq!(stored.len(), 2, "the first version is kept");
    assert_eq!(
        stored[1].plan.steps[1].title, "Bel de netbeheerder",
        "placed after step 1"
    );
    assert_eq!(stored[1].plan.steps.len(), stored[0].plan.steps.len());

    // Version 2 is offered, and taken when the team wants; nothing changed before that.
    let offer = linden.client.get(&offered, Some(&linden.token)).await;
    assert_eq!(offer.status, 200, "{:?}", offer.body);
    let taken: Vec<Payload> = serde_json::from_value(offer.body).expect("payloads");
    let kinds: Vec<&str> = taken
        .iter()
        .map(|p| match p {
            Payload::StepAdd { title, .. } => title.as_str(),
            Payload::StepUpdate {
                title: Some(title), ..
            } => title.as_str(),
            _ => "something else",
        })
        .collect();
    assert_eq!(
        kinds,
        ["Vorm het buurtteam met twee per rol", "Bel de netbeheerder"]
    );
    let not_theirs = eiken.client.get(&offered, Some(&eiken.token)).await;
    assert_eq!(not_theirs.body, json!([]));
    let ops: Vec<_> = taken.into_iter().map(|p| linden.op(p)).collect();
    linden.push(&ops).await.expect("taken");
    let offer = linden.client.get(&offered, Some(&linden.token)).await;
    assert_eq!(offer.body, json!([]), "taken: nothing left");

    // A team that ends the look along no longer gets the organisation's plans.
    let coach_id = sanne_coach.id.clone();
    let ended = linden
        .client
        .delete(&format!("/api/v1/coaches/{coach_id}"), Some(&linden.token))
        .await;
    assert_eq!(ended.status, 204);
    let plans = linden
        .client
        .get("/api/v1/plans", Some(&linden.token))
        .await;
    assert_eq!(plans.body, json!([]));
    assert_eq!(
        linden.client.get(&start, Some(&linden.token)).await.status,
        404
    );
}
