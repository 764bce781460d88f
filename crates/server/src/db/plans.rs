//! Storage of organisations' own step plans ([`buurtbel_core::plans`]). Every save that
//! changes a plan adds a version and keeps the earlier ones: a project that started from an
//! earlier version is matched against them when a newer one is offered.

use buurtbel_core::ids::TeamId;
use buurtbel_core::plans::OrgPlan;

use super::sql::{Row, Sql, args, column, value_opt};
use super::{DbError, ms, new_invite_id};

/// The tables (migration 11).
pub const MIGRATION: &str = "CREATE TABLE org_plans (
        id TEXT PRIMARY KEY,
        organisation_id TEXT NOT NULL REFERENCES organisations(id),
        created_at_ms INTEGER NOT NULL
    ) STRICT;
    CREATE INDEX org_plans_by_organisation ON org_plans(organisation_id);
    CREATE TABLE org_plan_versions (
        plan_id TEXT NOT NULL REFERENCES org_plans(id),
        version INTEGER NOT NULL,
        body TEXT NOT NULL,
        saved_by TEXT NOT NULL REFERENCES coaches(id),
        saved_at_ms INTEGER NOT NULL,
        PRIMARY KEY (plan_id, version)
    ) STRICT;";

/// One version of a plan as stored.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StoredPlan {
    /// The plan's id (32 hex digits).
    pub id: String,
    /// Its organisation's name.
    pub organisation: String,
    /// The version, from 1.
    pub version: u32,
    /// Who saved it.
    pub saved_by: String,
    /// When.
    pub saved_at_ms: u64,
    /// The plan.
    pub plan: OrgPlan,
}

const VERSIONS: &str = "SELECT p.id, o.name, v.version, c.name, v.saved_at_ms, v.body
    FROM org_plan_versions v JOIN org_plans p ON p.id = v.plan_id
    JOIN organisations o ON o.id = p.organisation_id JOIN coaches c ON c.id = v.saved_by";

fn stored(mut row: Row) -> Result<StoredPlan, DbError> {
    let body: String = row.get(5)?;
    let plan = serde_json::from_str(&body)
        .map_err(|e| DbError::Corrupt(format!("a stored step plan: {e}")))?;
    Ok(StoredPlan {
        id: row.get(0)?,
        organisation: row.get(1)?,
        version: row.get(2)?,
        saved_by: row.get(3)?,
        saved_at_ms: row.get(4)?,
        plan,
    })
}

/// Saves `plan` for `organisation` as `coach`: a new plan when `id` is `None`, else a new
/// version of plan `id` unless it is unchanged. The plan's id and its latest version, or
/// `None` when `id` is not a plan of the organisation.
pub fn save(
    tx: &mut dyn Sql,
    organisation: &str,
    coach: &str,
    id: Option<&str>,
    plan: &OrgPlan,
    now_ms: u64,
) -> Result<Option<(String, u32)>, DbError> {
    let body = serde_json::to_string(plan).map_err(|e| DbError::Corrupt(e.to_string()))?;
    let (id, version) = match id {
        None => {
            let id = new_invite_id()?;
            tx.execute(
                "INSERT INTO org_plans (id, organisation_id, created_at_ms) VALUES (?1, ?2, ?3)",
                args![&id, organisation, ms(now_ms)],
            )?;
            (id, 1)
        }
        Some(id) => {
            // Saves of one plan on several instances take their version numbers in turn.
            tx.query_opt(
                "SELECT id FROM org_plans WHERE id = ?1 AND organisation_id = ?2 FOR UPDATE",
                args![id, organisation],
            )?;
            let Some(latest) = versions(tx, organisation, id)?.pop() else {
                return Ok(None);
            };
            if latest.plan == *plan {
                return Ok(Some((latest.id, latest.version)));
            }
            (latest.id, latest.version + 1)
        }
    };
    tx.execute(
        "INSERT INTO org_plan_versions (plan_id, version, body, saved_by, saved_at_ms)
         VALUES (?1, ?2, ?3, ?4, ?5)",
        args![&id, version, &body, coach, ms(now_ms)],
    )?;
    Ok(Some((id, version)))
}

/// Every version of `organisation`'s plan `id`, oldest first; empty when it has none.
pub fn versions(
    tx: &mut dyn Sql,
    organisation: &str,
    id: &str,
) -> Result<Vec<StoredPlan>, DbError> {
    tx.query(
        &format!("{VERSIONS} WHERE p.id = ?1 AND p.organisation_id = ?2 ORDER BY v.version"),
        args![id, organisation],
    )?
    .into_iter()
    .map(stored)
    .collect()
}

/// The latest version of each of `organisation`'s plans, by name.
pub fn latest(tx: &mut dyn Sql, organisation: &str) -> Result<Vec<StoredPlan>, DbError> {
    let mut plans = tx
        .query(
            &format!(
                "{VERSIONS} WHERE p.organisation_id = ?1 AND v.version =
                   (SELECT MAX(version) FROM org_plan_versions WHERE plan_id = p.id)"
            ),
            args![organisation],
        )?
        .into_iter()
        .map(stored)
        .collect::<Result<Vec<_>, _>>()?;
    plans.sort_by(|a, b| {
        a.plan
            .name
            .to_lowercase()
            .cmp(&b.plan.name.to_lowercase())
            .then_with(|| a.id.cmp(&b.id))
    });
    Ok(plans)
}

/// The organisations whose coaches look along with `team` now.
fn organisations_of(tx: &mut dyn Sql, team: TeamId) -> Result<Vec<String>, DbError> {
    column(
        tx,
        "SELECT DISTINCT c.organisation_id FROM coach_access a JOIN coaches c ON c.id = a.coach_id
         WHERE a.team_id = ?1 AND a.withdrawn_at_ms IS NULL ORDER BY 1",
        args![&team.to_string()],
    )
}

/// The plans `team` may start from: the latest versions of the plans of every organisation
/// whose coach looks along with it now.
pub fn for_team(tx: &mut dyn Sql, team: TeamId) -> Result<Vec<StoredPlan>, DbError> {
    let mut plans = Vec::new();
    for organisation in organisations_of(tx, team)? {
        plans.extend(latest(tx, &organisation)?);
    }
    Ok(plans)
}

/// Every version of plan `id`, oldest first, if `team` may use it; empty otherwise.
pub fn versions_for_team(
    tx: &mut dyn Sql,
    team: TeamId,
    id: &str,
) -> Result<Vec<StoredPlan>, DbError> {
    let organisation: Option<String> = value_opt(
        tx,
        "SELECT organisation_id FROM org_plans WHERE id = ?1",
        args![id],
    )?;
    match organisation {
        Some(o) if organisations_of(tx, team)?.contains(&o) => versions(tx, &o, id),
        _ => Ok(Vec::new()),
    }
}
