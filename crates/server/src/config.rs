//! Configuration by flags and environment variables.

use std::path::PathBuf;

use clap::Parser;

/// How the server runs. Every flag can also be set by the environment variable named with it.
#[derive(Clone, Debug, Parser)]
#[command(
    name = "buurtbel-server",
    version,
    about = "Buurtbel's sync server and app host"
)]
pub struct Config {
    /// Address to listen on (port 0 picks a free port; the log names it).
    #[arg(long, env = "BUURTBEL_ADDR", default_value = "127.0.0.1:8080")]
    pub addr: String,
    /// SQLite database file; created with its folder on first run.
    #[arg(
        long,
        env = "BUURTBEL_DATABASE",
        default_value = "data/buurtbel.sqlite3"
    )]
    pub database: PathBuf,
    /// Folder with the built app (`trunk build` output).
    #[arg(long, env = "BUURTBEL_DIST", default_value = "dist")]
    pub dist: PathBuf,
    /// Seconds a request may take before it is answered with 408.
    #[arg(long, env = "BUURTBEL_REQUEST_TIMEOUT", default_value_t = 30)]
    pub request_timeout_secs: u64,
    /// Seconds in-flight requests get to finish after SIGTERM or Ctrl-C.
    #[arg(long, env = "BUURTBEL_SHUTDOWN_GRACE", default_value_t = 20)]
    pub shutdown_grace_secs: u64,
    /// Largest request body in bytes (a push of 1,000 operations with long notes fits).
    #[arg(long, env = "BUURTBEL_BODY_LIMIT", default_value_t = 8 * 1024 * 1024)]
    pub body_limit: usize,
    /// Who may create teams: `local` (requests from this machine), `open` (anyone), or
    /// `key` (requests with the `x-server-key` header equal to --server-key).
    #[arg(long, env = "BUURTBEL_TEAM_CREATION", default_value = "local", value_parser = ["local", "open", "key"])]
    pub team_creation: String,
    /// The key for `--team-creation key`.
    #[arg(long, env = "BUURTBEL_SERVER_KEY", hide_env_values = true)]
    pub server_key: Option<String>,
    /// Join attempts (and team creations) one client address may make at once; refilled at
    /// one per 6 seconds.
    #[arg(long, env = "BUURTBEL_JOIN_BURST", default_value_t = 10)]
    pub join_burst: u32,
    /// Join attempts one invite code accepts at once (enough for a team evening where everyone
    /// joins together, too few to try many guesses against one code); refilled at one a minute.
    #[arg(long, env = "BUURTBEL_JOIN_CODE_BURST", default_value_t = 30)]
    pub join_code_burst: u32,
    /// Sync requests (push or pull) one device may make at once.
    #[arg(long, env = "BUURTBEL_SYNC_BURST", default_value_t = 120)]
    pub sync_burst: u32,
    /// Sync requests per second one device may keep making.
    #[arg(long, env = "BUURTBEL_SYNC_RATE", default_value_t = 20.0)]
    pub sync_rate: f64,
    /// Megabytes of operations one team may store (a buurt of 5,000 addresses with 15,000
    /// visits takes about 8); pushes beyond it are refused with 507.
    #[arg(long, env = "BUURTBEL_TEAM_QUOTA_MB", default_value_t = 256)]
    pub team_quota_mb: u64,
}

/// Who may create teams.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TeamCreation {
    /// Anyone who can reach the server.
    Open,
    /// Requests from this machine only.
    Local,
    /// Requests that carry the server key.
    Key(String),
}

/// A configuration that cannot work.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct ConfigError(pub &'static str);

impl Config {
    /// The team-creation rule, checked for consistency.
    pub fn team_creation(&self) -> Result<TeamCreation, ConfigError> {
        match (self.team_creation.as_str(), &self.server_key) {
            ("open", _) => Ok(TeamCreation::Open),
            ("local", _) => Ok(TeamCreation::Local),
            ("key", Some(key)) if key.len() >= 16 => Ok(TeamCreation::Key(key.clone())),
            ("key", _) => Err(ConfigError(
                "--team-creation key needs a --server-key of at least 16 characters",
            )),
            _ => Err(ConfigError("--team-creation must be local, open or key")),
        }
    }

    /// The per-team quota in bytes.
    pub fn team_quota_bytes(&self) -> u64 {
        self.team_quota_mb.saturating_mul(1024 * 1024)
    }

    /// The defaults, as if started without flags or environment (for tests).
    pub fn defaults() -> Config {
        Config::parse_from(["buurtbel-server"])
    }
}
