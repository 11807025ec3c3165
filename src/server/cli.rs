//! The `herald` command's work other than serving: running the sandbox networks alone, adding
//! a person from the terminal, backing up and restoring, and the benchmarks (publishing, the
//! analytics dashboard). `main.rs` only parses the command line and calls these.

pub mod backup;
pub mod bench;
pub mod dashboard_bench;
pub mod sandbox;
pub mod user;

/// Resolves on Ctrl-C or SIGTERM: how `serve` and `sandbox` know to stop.
pub async fn shutdown_signal() {
    let interrupt = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = interrupt => {},
        () = terminate => {},
    }
}
