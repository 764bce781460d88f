use clap::Parser;

use buurtbel_server::{Config, run, shutdown_signal};

#[tokio::main]
async fn main() -> std::process::ExitCode {
    let config = Config::parse();
    buurtbel_server::init_tracing();
    match run(config, shutdown_signal()).await {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(err) => {
            tracing::error!(error = %err, "server stopped");
            std::process::ExitCode::FAILURE
        }
    }
}
