//! `cognito-typestate-emulator --port 9229 --config pool.json`: the emulator for tests
//! in any language. Prints one JSON line with the endpoint, pool ids and client ids
//! (and secrets) once it listens, then serves until SIGINT or SIGTERM.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Parser;
use cognito_typestate_emulator::{Emulator, EmulatorConfig};
use serde_json::json;

/// An Amazon Cognito user pool on 127.0.0.1, for tests.
#[derive(Debug, Parser)]
#[command(version, about)]
struct Args {
    /// Port on 127.0.0.1 (0: any free port; the line printed at start says which).
    #[arg(long, default_value_t = 9229)]
    port: u16,
    /// Pools, clients and users to create (JSON; see `EmulatorConfig`).
    #[arg(long)]
    config: Option<PathBuf>,
    /// Sign tokens with the RSA key published in the emulator's source instead of one
    /// made at start (100 to 400 ms, which the first sign-in waits for). Anyone can sign
    /// with a published key: only for tests where nothing else trusts these tokens.
    #[arg(long)]
    published_key: bool,
}

#[tokio::main]
async fn main() -> ExitCode {
    let args = Args::parse();
    match run(args).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("cognito-typestate-emulator: {message}");
            ExitCode::FAILURE
        }
    }
}

async fn run(args: Args) -> Result<(), String> {
    if args.published_key {
        cognito_typestate_emulator::use_published_signing_key().map_err(|e| e.to_string())?;
    }
    let config: EmulatorConfig = match &args.config {
        Some(path) => {
            let text =
                std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
            serde_json::from_str(&text).map_err(|e| format!("{}: {e}", path.display()))?
        }
        None => EmulatorConfig::default(),
    };
    let emulator = Emulator::with_config(args.port, config)
        .await
        .map_err(|e| e.to_string())?;
    let pools: Vec<_> = emulator
        .pools()
        .iter()
        .map(|pool| {
            let clients: Vec<_> = pool
                .client_ids()
                .into_iter()
                .map(|c| json!({"name": c.name, "id": c.id, "secret": c.secret}))
                .collect();
            json!({"id": pool.id(), "clients": clients})
        })
        .collect();
    println!(
        "{}",
        json!({"endpoint": emulator.endpoint(), "pools": pools})
    );
    shutdown_signal().await;
    emulator.stop();
    Ok(())
}

async fn shutdown_signal() {
    let interrupt = tokio::signal::ctrl_c();
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        let Ok(mut terminate) = signal(SignalKind::terminate()) else {
            return interrupt.await.unwrap_or(());
        };
        tokio::select! {
            _ = interrupt => {}
            _ = terminate.recv() => {}
        }
    }
    #[cfg(not(unix))]
    let _ = interrupt.await;
}
