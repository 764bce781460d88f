//! The schema both engines keep, as numbered migrations. Each runs once, in a transaction,
//! and a database written by a newer server is refused. The SQL is SQLite's; PostgreSQL runs
//! it with SQLite's storage classes named by its own types ([`for_postgres`]).

use buurtbel_core::op::{Operation, Payload};

use super::sql::{Sql, args, column};
use super::{
    DbError, InviteKey, after_stored, erasure_stamp, from_json, new_invite_id, note_entities,
    question_address, strip_stored,
};

/// One step of the schema: SQL, or SQL followed by a step in Rust for what SQLite cannot do
/// (hashing, decoding operations).
pub(crate) enum Migration {
    Sql(&'static str),
    Rust(
        &'static str,
        fn(&mut dyn Sql, &InviteKey) -> Result<(), DbError>,
    ),
}

/// Migrations, applied in order; each runs once, in a transaction. Never edit a released one:
/// add a new one.
pub(crate) const MIGRATIONS: &[Migration] = &[
    // 1: facts about this server, such as when it was first started.
    Migration::Sql("CREATE TABLE server_info (key TEXT PRIMARY KEY, value TEXT NOT NULL) STRICT;"),
    // 2: teams, their devices and invites, and each team's operation log.
    Migration::Sql("CREATE TABLE teams (
        id TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        neighbourhood TEXT NOT NULL,
        created_at_ms INTEGER NOT NULL,
        next_seq INTEGER NOT NULL DEFAULT 1
    ) STRICT;
    CREATE TABLE devices (
        id TEXT PRIMARY KEY,
        team_id TEXT NOT NULL REFERENCES teams(id),
        member_id TEXT NOT NULL,
        token_hash BLOB NOT NULL UNIQUE,
        admin INTEGER NOT NULL,
        label TEXT NOT NULL,
        created_at_ms INTEGER NOT NULL,
        last_seen_ms INTEGER,
        revoked_at_ms INTEGER
    ) STRICT;
    CREATE INDEX devices_by_team ON devices(team_id);
    CREATE TABLE invites (
        code TEXT PRIMARY KEY,
        team_id TEXT NOT NULL REFERENCES teams(id),
        created_by TEXT NOT NULL,
        created_at_ms INTEGER NOT NULL,
        expires_at_ms INTEGER NOT NULL,
        max_uses INTEGER,
        uses INTEGER NOT NULL DEFAULT 0
    ) STRICT;
    CREATE TABLE ops (
        team_id TEXT NOT NULL REFERENCES teams(id),
        seq INTEGER NOT NULL,
        op_id TEXT NOT NULL,
        device_id TEXT NOT NULL,
        kind TEXT NOT NULL,
        address_id TEXT,
        body TEXT NOT NULL,
        received_at_ms INTEGER NOT NULL,
        PRIMARY KEY (team_id, seq)
    ) STRICT, WITHOUT ROWID;
    CREATE UNIQUE INDEX ops_by_id ON ops(team_id, op_id);
    CREATE INDEX ops_by_address ON ops(team_id, address_id);
    -- The latest erasure per address, so every pushed visit or consent checks it in one lookup.
    CREATE TABLE erasures (
        team_id TEXT NOT NULL REFERENCES teams(id),
        address_id TEXT NOT NULL,
        stamp TEXT NOT NULL,
        PRIMARY KEY (team_id, address_id)
    ) STRICT, WITHOUT ROWID;"),
    // 3: a device revoked as lost is told to delete the team's data when it next asks.
    Migration::Sql("ALTER TABLE devices ADD COLUMN lost INTEGER NOT NULL DEFAULT 0;"),
    // 4: which stored operations still hold a resident's personal data, so an erasure reads
    // only those (and erasing an address again reads nothing already stripped).
    Migration::Sql("ALTER TABLE ops ADD COLUMN personal INTEGER NOT NULL DEFAULT 0;
    UPDATE ops SET personal = 1 WHERE kind IN ('visit_log', 'consent_give');"),
    // 5: the bytes of operations each team has stored, for the per-team quota.
    Migration::Sql("ALTER TABLE teams ADD COLUMN bytes INTEGER NOT NULL DEFAULT 0;
    UPDATE teams SET bytes = (SELECT COALESCE(SUM(LENGTH(body)), 0) FROM ops WHERE ops.team_id = teams.id);"),
    // 6: admins revoke invites.
    Migration::Sql("ALTER TABLE invites ADD COLUMN revoked_at_ms INTEGER;
    CREATE INDEX invites_by_team ON invites(team_id);"),
    // 7: invite codes kept only as keyed hashes, under an id; what each team has created (so a
    // reference to anything else is refused) and, for questions, the address they were asked
    // at; erasures per member and hour found without reading the log.
    Migration::Rust(
        "CREATE TABLE invite_codes (
            id TEXT PRIMARY KEY,
            code_hash BLOB NOT NULL UNIQUE,
            team_id TEXT NOT NULL REFERENCES teams(id),
            created_by TEXT NOT NULL,
            created_at_ms INTEGER NOT NULL,
            expires_at_ms INTEGER NOT NULL,
            max_uses INTEGER,
            uses INTEGER NOT NULL DEFAULT 0,
            revoked_at_ms INTEGER
        ) STRICT;
        CREATE INDEX invite_codes_by_team ON invite_codes(team_id, created_at_ms);
        -- Keyed by the id's 16 bytes alone: ids are UUID v7, so new rows of every team go to
        -- the end of one B-tree (a push writes one page of it, not one per team).
        CREATE TABLE entities (
            id BLOB PRIMARY KEY,
            team_id TEXT NOT NULL,
            kind TEXT NOT NULL,
            seq INTEGER NOT NULL,
            address_id TEXT
        ) STRICT, WITHOUT ROWID;
        CREATE INDEX ops_erasures ON ops(team_id, received_at_ms) WHERE kind = 'erase_resident';",
        migrate_hash_invites_and_list_entities,
    ),
    // 8: projects' resident pages (open or closed, by the latest `project_page` of the log;
    // the member and device the page's answers are recorded as) and the answers residents
    // sent there, found by the hash of their private link's token.
    Migration::Sql("CREATE TABLE resident_pages (
        code TEXT PRIMARY KEY,
        team_id TEXT NOT NULL REFERENCES teams(id),
        project_id TEXT NOT NULL,
        open INTEGER NOT NULL,
        stamp TEXT NOT NULL,
        member_id TEXT NOT NULL,
        device_id TEXT NOT NULL UNIQUE
    ) STRICT;
    CREATE TABLE resident_answers (
        token_hash BLOB PRIMARY KEY,
        code TEXT NOT NULL REFERENCES resident_pages(code),
        team_id TEXT NOT NULL,
        address_id TEXT NOT NULL,
        visit_id TEXT,
        consent_id TEXT,
        created_at_ms INTEGER NOT NULL,
        changed_at_ms INTEGER NOT NULL
    ) STRICT;
    CREATE INDEX resident_answers_by_page ON resident_answers(code, created_at_ms);"),
    // 9: organisations, their coaches, coaches' sign-in links and sessions, and the teams
    // that let a coach look along.
    Migration::Sql(super::coach::MIGRATION),
    // 10: volunteers coaches introduce to teams.
    Migration::Sql(super::coach::INTRODUCTIONS),
    // 11: organisations' own step plans, every version kept.
    Migration::Sql(super::plans::MIGRATION),
    // 12: rate buckets every instance on the database counts in (wrong invite codes), by the
    // keyed hash of their name (an address is in no backup).
    Migration::Sql(
        "CREATE TABLE rate_buckets (
            key BLOB PRIMARY KEY,
            milli INTEGER NOT NULL,
            at_ms INTEGER NOT NULL
        ) STRICT;",
    ),
];

/// Rewrites the plain invite codes as keyed hashes, and lists what each team's log created;
/// withdrawn consents and answers to questions asked at an erased address lose their text as
/// they would now.
fn migrate_hash_invites_and_list_entities(
    tx: &mut dyn Sql,
    key: &InviteKey,
) -> Result<(), DbError> {
    let codes: Vec<String> = column(tx, "SELECT code FROM invites", &[])?;
    for code in codes {
        tx.execute(
            "INSERT INTO invite_codes (id, code_hash, team_id, created_by, created_at_ms, expires_at_ms, max_uses, uses, revoked_at_ms)
             SELECT ?1, ?2, team_id, created_by, created_at_ms, expires_at_ms, max_uses, uses, revoked_at_ms FROM invites WHERE code = ?3",
            args![&new_invite_id()?, &key.hash(&code), &code],
        )?;
    }
    tx.batch("DROP TABLE invites;")?;
    let ops = tx.query(
        "SELECT team_id, seq, body FROM ops ORDER BY team_id, seq",
        &[],
    )?;
    for mut row in ops {
        let (team, seq, body): (String, i64, String) = (row.get(0)?, row.get(1)?, row.get(2)?);
        let op: Operation = from_json(&body)?;
        note_entities(tx, &team, seq, &op)?;
        after_stored(tx, &team, &op)?;
        if let Payload::QuestionAnswer { question, answer } = &op.payload
            && let Some(address) = question_address(tx, &team, *question)?
        {
            tx.execute(
                "UPDATE ops SET address_id = ?1, personal = ?2 WHERE team_id = ?3 AND seq = ?4",
                args![&address, !answer.is_empty(), &team, seq],
            )?;
            if erasure_stamp(tx, &team, &address)?.is_some_and(|e| op.stamp() <= e) {
                strip_stored(tx, &team, seq)?;
            }
        }
    }
    Ok(())
}

/// A migration's SQL for PostgreSQL: integers are 64-bit (`BIGINT`), bytes are `BYTEA`, and
/// SQLite's table options go.
pub(crate) fn for_postgres(sql: &str) -> String {
    sql.replace(") STRICT, WITHOUT ROWID;", ");")
        .replace(") STRICT;", ");")
        .replace(" INTEGER", " BIGINT")
        .replace(" BLOB", " BYTEA")
}
