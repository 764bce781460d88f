//! Storage of projects' resident pages and the answers residents send there.
//!
//! A page is opened and closed by the team's log (`project_page`); this table follows the
//! latest such operation, so the server finds a page by its code without folding the log. An
//! answer is recorded in the team's log like any change, authored by the page's own member
//! and device (made here when the page first opens), and remembered under the hash of the
//! resident's private link so they can see, change, withdraw or erase it.

use buurtbel_core::ids::{AddressId, ConsentId, DeviceId, MemberId, ProjectId, TeamId, VisitId};
use buurtbel_core::op::{Author, Stamp};
use rusqlite::{Connection, OptionalExtension, params};

use super::{DbError, PreparedOp, PushError, Pushed, ms, uuid_col};

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

impl From<rusqlite::Error> for PageError {
    fn from(e: rusqlite::Error) -> PageError {
        DbError::from(e).into()
    }
}

/// Opens or closes `project`'s page as a `project_page` operation stamped `stamp` says, unless
/// a later one said otherwise already. The page's member and device are made when it is first
/// opened.
pub(super) fn set_page(
    tx: &Connection,
    team: &str,
    project: ProjectId,
    open: bool,
    stamp: Stamp,
) -> Result<(), DbError> {
    let code = project.page_code();
    let json = serde_json::to_string(&stamp).map_err(|e| DbError::Corrupt(e.to_string()))?;
    let known: Option<String> = tx
        .prepare_cached("SELECT stamp FROM resident_pages WHERE code = ?1 AND team_id = ?2")?
        .query_row(params![code, team], |r| r.get(0))
        .optional()?;
    match known {
        Some(known) => {
            let known: Stamp =
                serde_json::from_str(&known).map_err(|e| DbError::Corrupt(e.to_string()))?;
            if stamp > known {
                tx.prepare_cached(
                    "UPDATE resident_pages SET open = ?1, stamp = ?2 WHERE code = ?3 AND team_id = ?4",
                )?
                .execute(params![open, json, code, team])?;
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
            tx.prepare_cached(
                "INSERT INTO resident_pages (code, team_id, project_id, open, stamp, member_id, device_id)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) ON CONFLICT (code) DO NOTHING",
            )?
            .execute(params![
                code,
                team,
                project.to_string(),
                open,
                json,
                member.to_string(),
                device.to_string()
            ])?;
        }
    }
    Ok(())
}

fn page_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<Page> {
    Ok(Page {
        code: r.get(0)?,
        team: TeamId(uuid_col(r, 1)?),
        project: ProjectId(uuid_col(r, 2)?),
        open: r.get(3)?,
        author: Author {
            member: MemberId(uuid_col(r, 4)?),
            device: DeviceId(uuid_col(r, 5)?),
        },
    })
}

const PAGE_COLUMNS: &str = "p.code, p.team_id, p.project_id, p.open, p.member_id, p.device_id";

/// The page with `code`.
pub(super) fn page(conn: &Connection, code: &str) -> Result<Option<Page>, DbError> {
    Ok(conn
        .prepare_cached(&format!(
            "SELECT {PAGE_COLUMNS} FROM resident_pages p WHERE p.code = ?1"
        ))?
        .query_row([code], page_row)
        .optional()?)
}

/// The answer behind a private link.
pub(super) fn answer(
    conn: &Connection,
    token_hash: &[u8; 32],
) -> Result<Option<StoredAnswer>, DbError> {
    let id = |r: &rusqlite::Row<'_>, i| -> rusqlite::Result<Option<uuid::Uuid>> {
        match r.get::<_, Option<String>>(i)? {
            Some(_) => uuid_col(r, i).map(Some),
            None => Ok(None),
        }
    };
    Ok(conn
        .prepare_cached(&format!(
            "SELECT {PAGE_COLUMNS}, a.address_id, a.visit_id, a.consent_id FROM resident_answers a
             JOIN resident_pages p ON p.code = a.code WHERE a.token_hash = ?1"
        ))?
        .query_row([token_hash.as_slice()], |r| {
            Ok(StoredAnswer {
                page: page_row(r)?,
                address: AddressId(uuid_col(r, 6)?),
                visit: id(r, 7)?.map(VisitId),
                consent: id(r, 8)?.map(ConsentId),
            })
        })
        .optional()?)
}

/// Stores a new answer on the open page `code`, at most `per_hour` of them an hour, with its
/// operations, in one transaction.
pub(super) fn record_new(
    tx: &rusqlite::Transaction<'_>,
    code: &str,
    answer: &mut PageAnswer,
    per_hour: u32,
    now_ms: u64,
    quota: Option<u64>,
) -> Result<Pushed, PageError> {
    let page = page(tx, code)?
        .filter(|p| p.open)
        .ok_or(PageError::Closed)?;
    let this_hour: i64 = tx
        .prepare_cached(
            "SELECT COUNT(*) FROM resident_answers WHERE code = ?1 AND created_at_ms > ?2",
        )?
        .query_row(params![code, ms(now_ms.saturating_sub(3_600_000))], |r| {
            r.get(0)
        })?;
    if this_hour >= i64::from(per_hour) {
        return Err(PageError::Busy);
    }
    tx.prepare_cached(
        "INSERT INTO resident_answers (token_hash, code, team_id, address_id, visit_id, consent_id, created_at_ms, changed_at_ms)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?7)",
    )?
    .execute(params![
        answer.token_hash.as_slice(),
        code,
        page.team.to_string(),
        answer.address.to_string(),
        answer.visit.map(|v| v.to_string()),
        answer.consent.map(|c| c.to_string()),
        ms(now_ms)
    ])?;
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
    tx: &rusqlite::Transaction<'_>,
    answer: &mut PageAnswer,
    now_ms: u64,
    quota: Option<u64>,
) -> Result<Pushed, PageError> {
    let stored = self::answer(tx, &answer.token_hash)?.ok_or(PageError::Unknown)?;
    tx.prepare_cached(
        "UPDATE resident_answers SET visit_id = ?1, consent_id = ?2, changed_at_ms = ?3 WHERE token_hash = ?4",
    )?
    .execute(params![
        answer.visit.map(|v| v.to_string()),
        answer.consent.map(|c| c.to_string()),
        ms(now_ms),
        answer.token_hash.as_slice()
    ])?;
    Ok(super::append(
        tx,
        stored.page.team,
        stored.page.author.device,
        &mut answer.ops,
        now_ms,
        quota,
    )?)
}
