//! Storage of organisations, their coaches (buurtbegeleiders), the links coaches sign in with,
//! and which teams granted which coach a look along.
//!
//! A coach signs in on a device with a link that works once; the device then holds a token
//! whose hash is kept here, as a member's device does. A team grants a coach access with the
//! coach's code and withdraws it; only the latest grant per team and coach counts.

use buurtbel_core::domain::Role;
use buurtbel_core::ids::{MemberId, TeamId};
use buurtbel_core::protocol::Introduction;

use super::sql::{Row, Sql, args, column, value_opt};
use super::{DbError, ms, new_invite_id};

/// How long a sign-in link or an invite to become a coach works.
pub const COACH_LINK_MS: u64 = 7 * 24 * 3_600_000;

/// A coach as the server knows them.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Coach {
    /// Their id (32 hex digits).
    pub id: String,
    /// Their name, shown to the teams they follow.
    pub name: String,
    /// Their organisation's id.
    pub organisation: String,
    /// Its name.
    pub organisation_name: String,
    /// The code a team grants them access with.
    pub code: String,
}

/// A sign-in link, or an invite to become a coach, that still works.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CoachLink {
    /// The organisation's id.
    pub organisation: String,
    /// Its name.
    pub organisation_name: String,
    /// The coach it signs in; `None` for an invite to become a new coach.
    pub coach: Option<Coach>,
}

/// The volunteers coaches introduce to teams (migration 10). Deleting a row is the erasure:
/// the volunteer's name and contact are kept nowhere else (`secure_delete` overwrites them).
pub const INTRODUCTIONS: &str = "CREATE TABLE introductions (
        id TEXT PRIMARY KEY,
        team_id TEXT NOT NULL REFERENCES teams(id),
        coach_id TEXT NOT NULL REFERENCES coaches(id),
        name TEXT NOT NULL,
        role TEXT NOT NULL,
        contact TEXT NOT NULL,
        introduced_at_ms INTEGER NOT NULL,
        invited_at_ms INTEGER
    ) STRICT;
    CREATE INDEX introductions_by_team ON introductions(team_id, introduced_at_ms);";

/// What a coach writes to introduce a volunteer.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewIntroduction {
    /// The volunteer's name.
    pub name: String,
    /// The role they would take.
    pub role: Role,
    /// How to reach them.
    pub contact: String,
}

/// A role as forms and the database write it.
pub(crate) fn role_code(role: Role) -> &'static str {
    match role {
        Role::Expert => "expert",
        Role::Connector => "connector",
        Role::Driver => "driver",
    }
}

/// The role `code` names ([`role_code`]); an unknown one reads as a connector.
fn role_of(code: &str) -> Role {
    Role::ALL
        .into_iter()
        .find(|r| role_code(*r) == code)
        .unwrap_or(Role::Connector)
}

/// A coach looking along with a team, as the team sees them.
pub type Looker = buurtbel_core::protocol::CoachView;

/// The tables (migration 9).
pub const MIGRATION: &str = "CREATE TABLE organisations (
        id TEXT PRIMARY KEY,
        name TEXT NOT NULL UNIQUE,
        created_at_ms INTEGER NOT NULL
    ) STRICT;
    CREATE TABLE coaches (
        id TEXT PRIMARY KEY,
        organisation_id TEXT NOT NULL REFERENCES organisations(id),
        name TEXT NOT NULL,
        code TEXT NOT NULL UNIQUE,
        created_at_ms INTEGER NOT NULL
    ) STRICT;
    CREATE TABLE coach_links (
        token_hash BLOB PRIMARY KEY,
        organisation_id TEXT NOT NULL REFERENCES organisations(id),
        coach_id TEXT REFERENCES coaches(id),
        created_at_ms INTEGER NOT NULL,
        expires_at_ms INTEGER NOT NULL,
        used_at_ms INTEGER
    ) STRICT;
    CREATE TABLE coach_sessions (
        token_hash BLOB PRIMARY KEY,
        coach_id TEXT NOT NULL REFERENCES coaches(id),
        created_at_ms INTEGER NOT NULL,
        last_seen_ms INTEGER NOT NULL,
        ended_at_ms INTEGER
    ) STRICT;
    CREATE TABLE coach_access (
        team_id TEXT NOT NULL REFERENCES teams(id),
        coach_id TEXT NOT NULL REFERENCES coaches(id),
        granted_by TEXT NOT NULL,
        granted_at_ms INTEGER NOT NULL,
        withdrawn_at_ms INTEGER,
        PRIMARY KEY (team_id, coach_id)
    ) STRICT;
    CREATE INDEX coach_access_by_coach ON coach_access(coach_id) WHERE withdrawn_at_ms IS NULL;";

const COACH: &str = "SELECT c.id, c.name, c.organisation_id, o.name, c.code
    FROM coaches c JOIN organisations o ON o.id = c.organisation_id";

fn coach_row(mut row: Row) -> Result<Coach, DbError> {
    Ok(Coach {
        id: row.get(0)?,
        name: row.get(1)?,
        organisation: row.get(2)?,
        organisation_name: row.get(3)?,
        code: row.get(4)?,
    })
}

/// Makes `organisation` (unless it exists) and in it the coach `name` with `code`, and a
/// sign-in link for them under `link_hash`.
pub fn add_coach(
    tx: &mut dyn Sql,
    organisation: &str,
    name: &str,
    code: &str,
    link_hash: &[u8; 32],
    now_ms: u64,
) -> Result<Coach, DbError> {
    let existing: Option<String> = value_opt(
        tx,
        "SELECT id FROM organisations WHERE name = ?1",
        args![organisation],
    )?;
    let org = match existing {
        Some(id) => id,
        None => {
            let id = new_invite_id()?;
            tx.execute(
                "INSERT INTO organisations (id, name, created_at_ms) VALUES (?1, ?2, ?3)",
                args![&id, organisation, ms(now_ms)],
            )?;
            id
        }
    };
    let id = insert_coach(tx, &org, name, code, now_ms)?;
    insert_link(tx, &org, Some(&id), link_hash, now_ms)?;
    coach(tx, &id)?.ok_or_else(|| DbError::Corrupt("a new coach is missing".into()))
}

fn insert_coach(
    tx: &mut dyn Sql,
    organisation: &str,
    name: &str,
    code: &str,
    now_ms: u64,
) -> Result<String, DbError> {
    let id = new_invite_id()?;
    tx.execute(
        "INSERT INTO coaches (id, organisation_id, name, code, created_at_ms)
         VALUES (?1, ?2, ?3, ?4, ?5)",
        args![&id, organisation, name, code, ms(now_ms)],
    )?;
    Ok(id)
}

/// Stores a link for `organisation`: a sign-in link for `coach`, or with none an invite to
/// become a coach there.
pub fn insert_link(
    tx: &mut dyn Sql,
    organisation: &str,
    coach: Option<&str>,
    hash: &[u8; 32],
    now_ms: u64,
) -> Result<(), DbError> {
    tx.execute(
        "INSERT INTO coach_links (token_hash, organisation_id, coach_id, created_at_ms, expires_at_ms)
         VALUES (?1, ?2, ?3, ?4, ?5)",
        args![hash, organisation, coach, ms(now_ms), ms(now_ms + COACH_LINK_MS)],
    )?;
    Ok(())
}

/// The coach with `id`.
pub fn coach(tx: &mut dyn Sql, id: &str) -> Result<Option<Coach>, DbError> {
    tx.query_opt(&format!("{COACH} WHERE c.id = ?1"), args![id])?
        .map(coach_row)
        .transpose()
}

/// The link behind `hash`, if it is unused and has not expired.
pub fn link(tx: &mut dyn Sql, hash: &[u8; 32], now_ms: u64) -> Result<Option<CoachLink>, DbError> {
    // Locked while it is used: two instances cannot both use one link.
    let Some(mut row) = tx.query_opt(
        "SELECT l.organisation_id, o.name, l.coach_id FROM coach_links l
         JOIN organisations o ON o.id = l.organisation_id
         WHERE l.token_hash = ?1 AND l.used_at_ms IS NULL AND l.expires_at_ms > ?2 FOR UPDATE",
        args![hash, ms(now_ms)],
    )?
    else {
        return Ok(None);
    };
    let (organisation, organisation_name) = (row.get(0)?, row.get(1)?);
    let coach = match row.get::<Option<String>>(2)? {
        Some(id) => Some(coach(tx, &id)?.ok_or(DbError::Corrupt(id))?),
        None => None,
    };
    Ok(Some(CoachLink {
        organisation,
        organisation_name,
        coach,
    }))
}

/// Uses the link behind `link_hash` once: the coach it names (or, for an invite, a new coach
/// called `name` with `code`) is signed in with a session under `session_hash`. `None` when
/// the link does not work (used, expired, unknown), or an invite came without a name.
pub fn use_link(
    tx: &mut dyn Sql,
    link_hash: &[u8; 32],
    name: Option<&str>,
    code: &str,
    session_hash: &[u8; 32],
    now_ms: u64,
) -> Result<Option<Coach>, DbError> {
    let Some(found) = link(tx, link_hash, now_ms)? else {
        return Ok(None);
    };
    let id = match (found.coach, name) {
        (Some(coach), _) => coach.id,
        (None, Some(name)) => insert_coach(tx, &found.organisation, name, code, now_ms)?,
        (None, None) => return Ok(None),
    };
    tx.execute(
        "UPDATE coach_links SET used_at_ms = ?2 WHERE token_hash = ?1",
        args![link_hash, ms(now_ms)],
    )?;
    tx.execute(
        "INSERT INTO coach_sessions (token_hash, coach_id, created_at_ms, last_seen_ms)
         VALUES (?1, ?2, ?3, ?3)",
        args![session_hash, &id, ms(now_ms)],
    )?;
    coach(tx, &id)
}

/// The coach signed in with the session token behind `hash`.
pub fn by_session(
    tx: &mut dyn Sql,
    hash: &[u8; 32],
    now_ms: u64,
) -> Result<Option<Coach>, DbError> {
    let id: Option<String> = value_opt(
        tx,
        "SELECT coach_id FROM coach_sessions WHERE token_hash = ?1 AND ended_at_ms IS NULL",
        args![hash],
    )?;
    let Some(id) = id else { return Ok(None) };
    tx.execute(
        "UPDATE coach_sessions SET last_seen_ms = ?2 WHERE token_hash = ?1",
        args![hash, ms(now_ms)],
    )?;
    coach(tx, &id)
}

/// Ends the session behind `hash` (signing out).
pub fn end_session(tx: &mut dyn Sql, hash: &[u8; 32], now_ms: u64) -> Result<(), DbError> {
    tx.execute(
        "UPDATE coach_sessions SET ended_at_ms = ?2 WHERE token_hash = ?1 AND ended_at_ms IS NULL",
        args![hash, ms(now_ms)],
    )?;
    Ok(())
}

/// The teams that grant `coach` access now, longest first.
pub fn teams(tx: &mut dyn Sql, coach: &str) -> Result<Vec<TeamId>, DbError> {
    Ok(column(
        tx,
        "SELECT team_id FROM coach_access WHERE coach_id = ?1 AND withdrawn_at_ms IS NULL
         ORDER BY granted_at_ms, team_id",
        args![coach],
    )?
    .into_iter()
    .map(TeamId)
    .collect())
}

/// Whether `team` grants `coach` access now.
pub fn may_see(tx: &mut dyn Sql, coach: &str, team: TeamId) -> Result<bool, DbError> {
    Ok(tx
        .query_opt(
            "SELECT 1 FROM coach_access
             WHERE team_id = ?1 AND coach_id = ?2 AND withdrawn_at_ms IS NULL",
            args![&team.to_string(), coach],
        )?
        .is_some())
}

/// `team` grants the coach with `code` access, as asked by `by`. `None` when no coach has the
/// code.
pub fn grant(
    tx: &mut dyn Sql,
    team: TeamId,
    code: &str,
    by: MemberId,
    now_ms: u64,
) -> Result<Option<Looker>, DbError> {
    let Some(coach) = tx
        .query_opt(&format!("{COACH} WHERE c.code = ?1"), args![code])?
        .map(coach_row)
        .transpose()?
    else {
        return Ok(None);
    };
    tx.execute(
        "INSERT INTO coach_access (team_id, coach_id, granted_by, granted_at_ms)
         VALUES (?1, ?2, ?3, ?4)
         ON CONFLICT (team_id, coach_id) DO UPDATE SET
           granted_by = excluded.granted_by, granted_at_ms = excluded.granted_at_ms,
           withdrawn_at_ms = NULL
         WHERE coach_access.withdrawn_at_ms IS NOT NULL",
        args![&team.to_string(), &coach.id, &by.to_string(), ms(now_ms)],
    )?;
    Ok(lookers(tx, team)?.into_iter().find(|l| l.coach == coach.id))
}

/// `team` withdraws `coach`'s access; `false` if they had none.
pub fn withdraw(tx: &mut dyn Sql, team: TeamId, coach: &str, now_ms: u64) -> Result<bool, DbError> {
    Ok(tx.execute(
        "UPDATE coach_access SET withdrawn_at_ms = ?3
         WHERE team_id = ?1 AND coach_id = ?2 AND withdrawn_at_ms IS NULL",
        args![&team.to_string(), coach, ms(now_ms)],
    )? > 0)
}

/// The coaches looking along with `team` now, longest first.
pub fn lookers(tx: &mut dyn Sql, team: TeamId) -> Result<Vec<Looker>, DbError> {
    tx.query(
        "SELECT c.id, c.name, o.name, a.granted_at_ms FROM coach_access a
         JOIN coaches c ON c.id = a.coach_id JOIN organisations o ON o.id = c.organisation_id
         WHERE a.team_id = ?1 AND a.withdrawn_at_ms IS NULL
         ORDER BY a.granted_at_ms, c.id",
        args![&team.to_string()],
    )?
    .into_iter()
    .map(|mut r| {
        Ok(Looker {
            coach: r.get(0)?,
            name: r.get(1)?,
            organisation: r.get(2)?,
            granted_at_ms: r.get(3)?,
        })
    })
    .collect()
}

/// `coach` introduces a volunteer to `team`, if the team lets the coach look along; the new
/// introduction's id, or `None`.
pub fn introduce(
    tx: &mut dyn Sql,
    coach: &str,
    team: TeamId,
    new: &NewIntroduction,
    now_ms: u64,
) -> Result<Option<String>, DbError> {
    if !may_see(tx, coach, team)? {
        return Ok(None);
    }
    let id = new_invite_id()?;
    tx.execute(
        "INSERT INTO introductions (id, team_id, coach_id, name, role, contact, introduced_at_ms)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        args![
            &id,
            &team.to_string(),
            coach,
            &new.name,
            role_code(new.role),
            &new.contact,
            ms(now_ms)
        ],
    )?;
    Ok(Some(id))
}

/// `team`'s introductions, oldest first; only `coach`'s when given.
pub fn introductions(
    tx: &mut dyn Sql,
    team: TeamId,
    coach: Option<&str>,
) -> Result<Vec<Introduction>, DbError> {
    tx.query(
        "SELECT i.id, i.name, i.role, i.contact, c.name, i.invited_at_ms FROM introductions i
         JOIN coaches c ON c.id = i.coach_id
         WHERE i.team_id = ?1 AND (CAST(?2 AS TEXT) IS NULL OR i.coach_id = ?2)
         ORDER BY i.introduced_at_ms, i.id",
        args![&team.to_string(), coach],
    )?
    .into_iter()
    .map(|mut r| {
        Ok(Introduction {
            id: r.get(0)?,
            name: r.get(1)?,
            role: role_of(&r.get::<String>(2)?),
            contact: r.get(3)?,
            coach: r.get(4)?,
            invited_at_ms: r.get(5)?,
        })
    })
    .collect()
}

/// Notes that `team` invited the volunteer of introduction `id`; `false` if the team has no
/// such introduction.
pub fn invited(tx: &mut dyn Sql, team: TeamId, id: &str, now_ms: u64) -> Result<bool, DbError> {
    Ok(tx.execute(
        "UPDATE introductions SET invited_at_ms = ?3 WHERE team_id = ?1 AND id = ?2",
        args![&team.to_string(), id, ms(now_ms)],
    )? > 0)
}

/// Erases introduction `id` of `team` (only if `coach` made it, when given); `false` if
/// there was none.
pub fn forget_introduction(
    tx: &mut dyn Sql,
    team: TeamId,
    id: &str,
    coach: Option<&str>,
) -> Result<bool, DbError> {
    Ok(tx.execute(
        "DELETE FROM introductions WHERE team_id = ?1 AND id = ?2 AND (CAST(?3 AS TEXT) IS NULL OR coach_id = ?3)",
        args![&team.to_string(), id, coach],
    )? > 0)
}
