use clap::Parser;

use buurtbel_server::config::Command;
use buurtbel_server::db::Sqlite;
use buurtbel_server::{Config, run, shutdown_signal};

#[tokio::main]
async fn main() -> std::process::ExitCode {
    let config = Config::parse();
    buurtbel_server::init_tracing();
    if config.postgres_url().is_some()
        && matches!(
            config.command,
            Some(Command::Backup { .. } | Command::Restore { .. })
        )
    {
        tracing::error!(
            "backup and restore are for SQLite; back up PostgreSQL with pg_dump or point-in-time recovery (docs/DEPLOY.md)"
        );
        return std::process::ExitCode::FAILURE;
    }
    if let Some(Command::Backup { to }) = &config.command {
        return match Sqlite::backup(&config.database, to) {
            Ok(pages) => {
                tracing::info!(from = %config.database.display(), to = %to.display(), pages, "backup written");
                std::process::ExitCode::SUCCESS
            }
            Err(err) => {
                tracing::error!(error = %err, "backup failed");
                std::process::ExitCode::FAILURE
            }
        };
    }
    if let Some(Command::Coach {
        organisation,
        name,
        url,
    }) = &config.command
    {
        let (organisation, name, url) = (organisation.clone(), name.clone(), url.clone());
        let opening = config.clone();
        let added = tokio::task::spawn_blocking(move || {
            let storage = buurtbel_server::open_storage(&opening)
                .map_err(|e| buurtbel_server::coach::AddError::Open(e.to_string()))?;
            buurtbel_server::coach::add(storage.as_ref(), &organisation, &name, &url)
        })
        .await
        .unwrap_or(Err(buurtbel_server::coach::AddError::Random));
        return match added {
            Ok(link) => {
                println!("{link}");
                std::process::ExitCode::SUCCESS
            }
            Err(err) => {
                tracing::error!(error = %err, "the coach was not added");
                std::process::ExitCode::FAILURE
            }
        };
    }
    if let Some(Command::Restore { from }) = &config.command {
        return match buurtbel_server::restore::restore(&config.database, from) {
            Ok(r) => {
                tracing::info!(
                    database = %config.database.display(),
                    from = %from.display(),
                    erasures = r.erasures,
                    appended = r.appended,
                    devices_revoked = r.devices_revoked,
                    invites_revoked = r.invites_revoked,
                    introductions_erased = r.introductions_erased,
                    "backup restored; erasures and revocations since it was taken carried over"
                );
                std::process::ExitCode::SUCCESS
            }
            Err(err) => {
                tracing::error!(error = %err, "restore failed; nothing was changed");
                std::process::ExitCode::FAILURE
            }
        };
    }
    match run(config, shutdown_signal()).await {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(err) => {
            tracing::error!(error = %err, "server stopped");
            std::process::ExitCode::FAILURE
        }
    }
}
