//! Configuration by flags and environment variables.

use std::net::IpAddr;
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
    /// Instead of serving: a maintenance task.
    #[command(subcommand)]
    pub command: Option<Command>,
    /// Address to listen on (port 0 picks a free port; the log names it).
    #[arg(long, env = "BUURTBEL_ADDR", default_value = "127.0.0.1:8080")]
    pub addr: String,
    /// SQLite database file, created with its folder on first run; or a PostgreSQL database
    /// as `postgres://user@host:port/name` (several instances may share one).
    #[arg(
        long,
        env = "BUURTBEL_DATABASE",
        default_value = "data/buurtbel.sqlite3"
    )]
    pub database: PathBuf,
    /// File with the key invite codes are hashed with, made (private to this user) when
    /// missing. With SQLite it defaults to `<database>.invite-key`; with PostgreSQL it must be
    /// given, and every instance on the database needs a copy of the same file.
    #[arg(long, env = "BUURTBEL_INVITE_KEY")]
    pub invite_key: Option<PathBuf>,
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
    /// `key` (requests with the `x-server-key` header equal to --server-key). `local` needs a
    /// loopback --addr (or --team-creation-local-any-address).
    #[arg(long, env = "BUURTBEL_TEAM_CREATION", default_value = "local", value_parser = ["local", "open", "key"])]
    pub team_creation: String,
    /// Lets `--team-creation local` work on a server listening on other than a loopback
    /// address. Only when nothing on this machine forwards other clients' requests to it (a
    /// reverse proxy does: give it as --trusted-proxy instead).
    #[arg(long, env = "BUURTBEL_TEAM_CREATION_LOCAL_ANY_ADDRESS")]
    pub team_creation_local_any_address: bool,
    /// Reverse proxies whose `X-Forwarded-For` names the client (addresses or CIDR ranges,
    /// comma separated). Requests from anywhere else count by their own address.
    #[arg(long, env = "BUURTBEL_TRUSTED_PROXIES", value_delimiter = ',')]
    pub trusted_proxy: Vec<String>,
    /// The host names the server is reached by (comma separated), checked in the `Host` header
    /// of team creation and joining so a web page elsewhere cannot use them (DNS rebinding).
    /// Loopback names (`localhost`, `127.0.0.1`, `[::1]`) and the --addr host always count; `*`
    /// turns the check off.
    #[arg(long, env = "BUURTBEL_PUBLIC_HOSTS", value_delimiter = ',')]
    pub public_host: Vec<String>,
    /// The key for `--team-creation key` (at least 16 characters). Prefer
    /// --server-key-file or the environment: a flag shows in the process list.
    #[arg(long, env = "BUURTBEL_SERVER_KEY", hide_env_values = true)]
    pub server_key: Option<String>,
    /// A file holding the server key (surrounding whitespace ignored), such as a systemd
    /// credential.
    #[arg(long, env = "BUURTBEL_SERVER_KEY_FILE", conflicts_with = "server_key")]
    pub server_key_file: Option<PathBuf>,
    /// Join attempts (and team creations) one client address may make at once; refilled at
    /// one per 6 seconds.
    #[arg(long, env = "BUURTBEL_JOIN_BURST", default_value_t = 10)]
    pub join_burst: u32,
    /// Join attempts one invite code accepts at once (enough for a team evening where everyone
    /// joins together, too few to try many guesses against one code); refilled at one a minute.
    #[arg(long, env = "BUURTBEL_JOIN_CODE_BURST", default_value_t = 30)]
    pub join_code_burst: u32,
    /// Failed join attempts the whole server accepts at once, from all addresses together
    /// (guessing from many addresses); refilled at one a second. Beyond it every join waits.
    #[arg(long, env = "BUURTBEL_JOIN_FAILURES_BURST", default_value_t = 100)]
    pub join_failures_burst: u32,
    /// Sync requests (push or pull) one device may make at once.
    #[arg(long, env = "BUURTBEL_SYNC_BURST", default_value_t = 120)]
    pub sync_burst: u32,
    /// Sync requests per second one device may keep making.
    #[arg(long, env = "BUURTBEL_SYNC_RATE", default_value_t = 20.0)]
    pub sync_rate: f64,
    /// The bearer token that reads the metrics at `/api/metrics` (Prometheus text), at least
    /// 32 characters; without it the path answers 404. Prefer --metrics-token-file or the
    /// environment: a flag shows in the process list.
    #[arg(long, env = "BUURTBEL_METRICS_TOKEN", hide_env_values = true)]
    pub metrics_token: Option<String>,
    /// A file holding the metrics token (surrounding whitespace ignored).
    #[arg(
        long,
        env = "BUURTBEL_METRICS_TOKEN_FILE",
        conflicts_with = "metrics_token"
    )]
    pub metrics_token_file: Option<PathBuf>,
    /// Seconds a client may take to send a request's headers, and a connection may stay idle
    /// between requests, before it is closed.
    #[arg(long, env = "BUURTBEL_HEADER_TIMEOUT", default_value_t = 10)]
    pub header_timeout_secs: u64,
    /// Connections open at once, from everyone together; more wait to be accepted.
    #[arg(long, env = "BUURTBEL_MAX_CONNECTIONS", default_value_t = 1024)]
    pub max_connections: usize,
    /// Connections open at once from one client address (trusted proxies excepted); more are
    /// closed at once. A team evening on one Wi-Fi shares an address: a
    /// browser opens up to six connections per phone.
    #[arg(
        long,
        env = "BUURTBEL_MAX_CONNECTIONS_PER_CLIENT",
        default_value_t = 128
    )]
    pub max_connections_per_client: usize,
    /// Megabytes of operations one team may store (a buurt of 5,000 addresses with 15,000
    /// visits takes about 8); pushes beyond it are refused with 507.
    #[arg(long, env = "BUURTBEL_TEAM_QUOTA_MB", default_value_t = 256)]
    pub team_quota_mb: u64,
}

/// Maintenance tasks run instead of serving.
#[derive(Clone, Debug, clap::Subcommand)]
pub enum Command {
    /// Copies the database (--database) to a file while the server keeps running: a consistent
    /// copy of everything committed when the copy starts (a private file). Restore it with
    /// `restore`.
    Backup {
        /// The file to write (it must not exist yet).
        #[arg(long)]
        to: PathBuf,
    },
    /// Adds a coach (buurtbegeleider) to an organisation, made too unless it exists, and prints
    /// the link they sign in with (it works once, for seven days). Coaches invite colleagues
    /// from their own page; run this again for a coach who lost every device.
    Coach {
        /// The organisation's name (for example the body that runs a programme in a city).
        #[arg(long)]
        organisation: String,
        /// The coach's name, as teams will see it.
        #[arg(long)]
        name: String,
        /// The address people reach this server at, for the printed link.
        #[arg(long, default_value = "http://127.0.0.1:8080")]
        url: String,
    },
    /// Puts a backup in the database's place, with the server stopped. Every erasure, consent
    /// withdrawal and revocation recorded in the replaced database since the backup is
    /// carried over; the replaced file is kept as `<database>.replaced`.
    Restore {
        /// The backup to restore.
        #[arg(long)]
        from: PathBuf,
    },
}

/// An address or a range of addresses (CIDR), for trusted proxies.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct IpRange {
    base: IpAddr,
    bits: u8,
}

impl IpRange {
    /// Reads `10.0.0.0/8`, `fd00::/8` or a single address.
    pub fn parse(text: &str) -> Option<IpRange> {
        let (addr, bits) = match text.trim().split_once('/') {
            Some((a, b)) => (a.parse::<IpAddr>().ok()?, Some(b.parse::<u8>().ok()?)),
            None => (text.trim().parse::<IpAddr>().ok()?, None),
        };
        let max = if addr.is_ipv4() { 32 } else { 128 };
        let bits = bits.unwrap_or(max);
        if bits > max {
            return None;
        }
        // Clients are compared unmapped, so an IPv4-mapped range is its IPv4 range.
        match addr.to_canonical() {
            IpAddr::V4(v4) if addr.is_ipv6() => (bits >= 96).then_some(IpRange {
                base: IpAddr::V4(v4),
                bits: bits - 96,
            }),
            _ => Some(IpRange { base: addr, bits }),
        }
    }

    /// Whether `ip` is in the range.
    pub fn contains(&self, ip: IpAddr) -> bool {
        let mask = |bits: u8, width: u32| -> u128 {
            if bits == 0 {
                0
            } else {
                (!0u128 << (width - u32::from(bits))) & (!0u128 >> (128 - width))
            }
        };
        match (self.base, ip) {
            (IpAddr::V4(a), IpAddr::V4(b)) => {
                let m = mask(self.bits, 32);
                u128::from(u32::from(a)) & m == u128::from(u32::from(b)) & m
            }
            (IpAddr::V6(a), IpAddr::V6(b)) => {
                let m = mask(self.bits, 128);
                u128::from(a) & m == u128::from(b) & m
            }
            _ => false,
        }
    }
}

/// A secret given directly or in a file; empty counts as none.
fn secret(
    given: Option<&str>,
    file: Option<&std::path::Path>,
    unreadable: &'static str,
) -> Result<Option<String>, ConfigError> {
    let text = match file {
        Some(path) => std::fs::read_to_string(path).map_err(|_| ConfigError(unreadable))?,
        None => given.unwrap_or_default().to_owned(),
    };
    let text = text.trim();
    Ok((!text.is_empty()).then(|| text.to_owned()))
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
    /// The server key, from --server-key or --server-key-file.
    pub fn server_key(&self) -> Result<Option<String>, ConfigError> {
        secret(
            self.server_key.as_deref(),
            self.server_key_file.as_deref(),
            "cannot read --server-key-file",
        )
    }

    /// The metrics token, from --metrics-token or --metrics-token-file: at least 32
    /// characters, or none (metrics off).
    pub fn metrics_token(&self) -> Result<Option<String>, ConfigError> {
        let token = secret(
            self.metrics_token.as_deref(),
            self.metrics_token_file.as_deref(),
            "cannot read --metrics-token-file",
        )?;
        match token {
            Some(t) if t.chars().count() < 32 => Err(ConfigError(
                "--metrics-token needs at least 32 characters (for example: openssl rand -hex 32)",
            )),
            other => Ok(other),
        }
    }

    /// The team-creation rule, checked for consistency.
    pub fn team_creation(&self) -> Result<TeamCreation, ConfigError> {
        match (self.team_creation.as_str(), &self.server_key()?) {
            ("open", _) => Ok(TeamCreation::Open),
            ("local", _)
                if !self.listens_on_loopback() && !self.team_creation_local_any_address =>
            {
                Err(ConfigError(
                    "--team-creation local needs a loopback --addr (127.0.0.1 or [::1]): on other addresses a proxy on this machine would make every client look local. Use --team-creation key, or --team-creation-local-any-address if nothing on this machine forwards requests",
                ))
            }
            ("local", _) => Ok(TeamCreation::Local),
            ("key", Some(key)) if key.len() >= 16 => Ok(TeamCreation::Key(key.clone())),
            ("key", _) => Err(ConfigError(
                "--team-creation key needs a --server-key of at least 16 characters",
            )),
            _ => Err(ConfigError("--team-creation must be local, open or key")),
        }
    }

    /// Whether --addr is a loopback address (`localhost` counts).
    pub fn listens_on_loopback(&self) -> bool {
        let host = self.addr_host();
        host == "localhost"
            || host
                .trim_start_matches('[')
                .trim_end_matches(']')
                .parse::<IpAddr>()
                .is_ok_and(|ip| ip.is_loopback())
    }

    /// The host part of --addr (`[::1]` keeps its brackets).
    fn addr_host(&self) -> &str {
        self.addr
            .rsplit_once(':')
            .map_or(self.addr.as_str(), |(h, _)| h)
    }

    /// The trusted proxies, checked.
    pub fn trusted_proxies(&self) -> Result<Vec<IpRange>, ConfigError> {
        self.trusted_proxy
            .iter()
            .filter(|t| !t.trim().is_empty())
            .map(|t| {
                IpRange::parse(t).ok_or(ConfigError(
                    "--trusted-proxy takes addresses or CIDR ranges such as 127.0.0.1 or 10.0.0.0/8",
                ))
            })
            .collect()
    }

    /// The host names accepted in the `Host` header of team creation and joining (lower
    /// case, without port); `None` when the check is off.
    pub fn public_hosts(&self) -> Option<Vec<String>> {
        if self.public_host.iter().any(|h| h.trim() == "*") {
            return None;
        }
        let mut hosts: Vec<String> = ["localhost", "127.0.0.1", "[::1]"]
            .into_iter()
            .map(str::to_owned)
            .chain(std::iter::once(self.addr_host().to_ascii_lowercase()))
            .chain(
                self.public_host
                    .iter()
                    .map(|h| h.trim().to_ascii_lowercase())
                    .filter(|h| !h.is_empty()),
            )
            .collect();
        hosts.sort();
        hosts.dedup();
        Some(hosts)
    }

    /// The per-team quota in bytes.
    pub fn team_quota_bytes(&self) -> u64 {
        self.team_quota_mb.saturating_mul(1024 * 1024)
    }

    /// The defaults, as if started without flags or environment (for tests).
    pub fn defaults() -> Config {
        Config::parse_from(["buurtbel-server"])
    }

    /// The PostgreSQL database --database names, if it names one.
    pub fn postgres_url(&self) -> Option<&str> {
        self.database
            .to_str()
            .filter(|d| crate::db::postgres::is_url(d))
    }
}
