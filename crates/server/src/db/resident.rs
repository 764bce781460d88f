//! Storage of projects' resident pages and the answers residents send there.
//!
//! A page is opened and closed by the team's log (`project_page`); this table follows the
//! latest such operation, so the server finds a page by its code without folding the log. An
//! answer is recorded in the team's log like any change, authored by the page's own member
//! and device (made here when the page first opens), and remembered under the hash of the
//! resident's private link so they can see, change, withdraw or erase it.

use buurtbel_core::ids::{AddressId, ConsentId, DeviceId, MemberId, ProjectId, TeamId, VisitId};
use buurtbel_core::op::{Author, Stamp};

use super::sql::{Row, Sql, args, value, value_opt};
use super::{DbError, PreparedOp, PushError, Pushed, ms};

/// A project's resident page.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Page {
    /// Its code (`/doe-mee/<code>`).
    pub code: String,
    /// The team.
    pub team: TeamId,
    /// The project.
    pub project: ProjectId,
    /// Whether it takes new answers.
    pub open: bool,
    /// Who the page's answers are recorded as.
    pub author: Author,
}

/// An answer (or a change to one) ready to store.
#[derive(Debug)]
pub struct PageAnswer {
    /// The hash of the private link's token.
    pub token_hash: [u8; 32],
    /// The address it is about (on the walk list, or proposed with it).
    pub address: AddressId,
    /// The visit that holds the answer now (none once withdrawn).
    pub visit: Option<VisitId>,
    /// The consent given with it now (none when none, or withdrawn).
    pub consent: Option<ConsentId>,
    /// The operations to append to the team's log.
    pub ops: Vec<PreparedOp>,
}

/// An answer as stored, found by its private link.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StoredAnswer {
    /// The page it was sent on.
    pub page: Page,
    /// The address.
    pub address: AddressId,
    /// The visit that holds it (none once withdrawn).
    pub visit: Option<VisitId>,
    /// The consent given with it.
    pub consent: Option<ConsentId>,
}

/// Why an answer was not stored.
#[derive(Debug, thiserror::Error)]
pub enum PageError {
    /// No page has this code, or it is closed.
    #[error("this page takes no answers")]
    Closed,
    /// The page has taken as many answers this hour as it may.
    #[error("this page has taken its answers for this hour")]
    Busy,
    /// No answer has this link.
    #[error("no answer has this link")]
    Unknown,
    /// The team's log refused the operations.
    #[error(transparent)]
    Push(#[from] PushError),
}

impl From<DbError> for PageError {
    fn from(e: DbError) -> PageError {
        PageError::Push(PushError::Db(e))
    }
}

/// Opens or closes `project`'s page as a `project_page` operation stamped `stamp` says, unless
/// a later one said otherwise already. The page's member and device are made when it is first
/// opened.
pub(super) fn set_page(
    tx: &mut dyn Sql,
    team: &str,
    project: ProjectId,
    open: bool,
    stamp: Stamp,
) -> Result<(), DbError> {
    let code = project.page_code();
    let json = serde_json::to_string(&stamp).map_err(|e| DbError::Corrupt(e.to_string()))?;
    let known: Option<String> = value_opt(
        tx,
        "SELECT stamp FROM resident_pages WHERE code = ?1 AND team_id = ?2",
        args![&code, team],
    )?;
    match known {
        Some(known) => {
            let known: Stamp =
                serde_json::from_str(&known).map_err(|e| DbError::Corrupt(e.to_string()))?;
            if stamp > known {
                tx.execute(
                    "UPDATE resident_pages SET open = ?1, stamp = ?2 WHERE code = ?3 AND team_id = ?4",
                    args![open, &json, &code, team],
                )?;
            }
        }
        None => {
            let random = |tag: u8| -> Result<[u8; 10], DbError> {
                let mut bytes = [tag; 10];
                getrandom::fill(&mut bytes)
                    .map_err(|_| DbError::Corrupt("no randomness available".into()))?;
                Ok(bytes)
            };
            let member = MemberId::new_v7(stamp.hlc.wall_ms, random(1)?);
            let device = DeviceId::new_v7(stamp.hlc.wall_ms, random(2)?);
            // A code is the project's: another team's project cannot share it (ids are
            // unique), so a conflict here is a team naming a project it does not have.
            tx.execute(
                "INSERT INTO resident_pages (code, team_id, project_id, open, stamp, member_id, device_id)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) ON CONFLICT (code) DO NOTHING",
                args![
                    &code,
                    team,
                    &project.to_string(),
                    open,
                    &json,
                    &member.to_string(),
                    &device.to_string()
                ],
            )?;
        }
    }
    Ok(())
}

fn page_row(r: &mut Row) -> Result<Page, DbError> {
    Ok(Page {
        code: r.get(0)?,
        team: TeamId(r.get(1)?),
        project: ProjectId(r.get(2)?),
        open: r.get(3)?,
        author: Author {
            member: MemberId(r.get(4)?),
            device: DeviceId(r.get(5)?),
        },
    })
}

/// The page with `code`.
pub(super) fn page(tx: &mut dyn Sql, code: &str) -> Result<Option<Page>, DbError> {
    tx.query_opt(
        "SELECT p.code, p.team_id, p.project_id, p.open, p.member_id, p.device_id FROM resident_pages p WHERE p.code = ?1",
        args![code],
    )?
    .map(|mut r| page_row(&mut r))
    .transpose()
}

/// The answer behind a private link.
pub(super) fn answer(
    tx: &mut dyn Sql,
    token_hash: &[u8; 32],
) -> Result<Option<StoredAnswer>, DbError> {
    let Some(mut r) = tx.query_opt(
        "SELECT p.code, p.team_id, p.project_id, p.open, p.member_id, p.device_id, a.address_id, a.visit_id, a.consent_id
         FROM resident_answers a JOIN resident_pages p ON p.code = a.code WHERE a.token_hash = ?1",
        args![token_hash],
    )?
    else {
        return Ok(None);
    };
    Ok(Some(StoredAnswer {
        page: page_row(&mut r)?,
        address: AddressId(r.get(6)?),
        visit: r.get::<Option<uuid::Uuid>>(7)?.map(VisitId),
        consent: r.get::<Option<uuid::Uuid>>(8)?.map(ConsentId),
    }))
}

/// Stores a new answer on the open page `code`, at most `per_hour` of them an hour, with its
/// operations, in one transaction.
pub(super) fn record_new(
    tx: &mut dyn Sql,
    code: &str,
    answer: &mut PageAnswer,
    per_hour: u32,
    now_ms: u64,
    quota: Option<u64>,
) -> Result<Pushed, PageError> {
    // The page's row stays locked until the answer is stored: instances sharing one
    // PostgreSQL count the answers of this hour one after another.
    let page = tx
        .query_opt(
            "SELECT code, team_id, project_id, open, member_id, device_id FROM resident_pages WHERE code = ?1 FOR UPDATE",
            args![code],
        )?
        .map(|mut r| page_row(&mut r))
        .transpose()?
        .filter(|p| p.open)
        .ok_or(PageError::Closed)?;
    let this_hour: i64 = value(
        tx,
        "SELECT COUNT(*) FROM resident_answers WHERE code = ?1 AND created_at_ms > ?2",
        args![code, ms(now_ms.saturating_sub(3_600_000))],
    )?;
    if this_hour >= i64::from(per_hour) {
        return Err(PageError::Busy);
    }
    tx.execute(
        "INSERT INTO resident_answers (token_hash, code, team_id, address_id, visit_id, consent_id, created_at_ms, changed_at_ms)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?7)",
        args![
            &answer.token_hash,
            code,
            &page.team.to_string(),
            &answer.address.to_string(),
            &answer.visit.map(|v| v.to_string()),
            &answer.consent.map(|c| c.to_string()),
            ms(now_ms)
        ],
    )?;
    Ok(super::append(
        tx,
        page.team,
        page.author.device,
        &mut answer.ops,
        now_ms,
        quota,
    )?)
}

/// Stores a change to the answer behind `answer.token_hash` (a new answer, a withdrawal or an
/// erasure) with its operations, in one transaction. Works on a closed page too: a resident
/// keeps the right to change or withdraw what they gave.
pub(super) fn record_change(
    tx: &mut dyn Sql,
    answer: &mut PageAnswer,
    now_ms: u64,
    quota: Option<u64>,
) -> Result<Pushed, PageError> {
    let stored = self::answer(tx, &answer.token_hash)?.ok_or(PageError::Unknown)?;
    tx.execute(
        "UPDATE resident_answers SET visit_id = ?1, consent_id = ?2, changed_at_ms = ?3 WHERE token_hash = ?4",
        args![
            &answer.visit.map(|v| v.to_string()),
            &answer.consent.map(|c| c.to_string()),
            ms(now_ms),
            &answer.token_hash
        ],
    )?;
    Ok(super::append(
        tx,
        stored.page.team,
        stored.page.author.device,
        &mut answer.ops,
        now_ms,
        quota,
    )?)
}
