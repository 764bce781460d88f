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
    /// Address to listen on.
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
}
