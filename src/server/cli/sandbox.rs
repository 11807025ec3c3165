//! `herald sandbox`: the sandbox networks on their own port.

use anyhow::Context;

use crate::sandbox::Sandbox;
use crate::sandbox::meta::SandboxConfig;

/// Serves the sandbox networks on `port` until stopped, for tests and benchmarks that run
/// several Herald processes against one.
pub async fn run(port: u16, redirect_uris: Vec<String>, pages: usize) -> anyhow::Result<()> {
    let listener = tokio::net::TcpListener::bind(("127.0.0.1", port))
        .await
        .with_context(|| format!("could not listen on 127.0.0.1:{port}"))?;
    let config = SandboxConfig {
        page_count: pages.max(1),
        ..SandboxConfig::default()
    };
    let sandbox = Sandbox::start(listener, config).await?;
    for uri in &redirect_uris {
        sandbox.meta().register_redirect_uri(uri);
    }
    tracing::info!(address = %sandbox.address(), "sandbox is listening");
    super::shutdown_signal().await;
    Ok(())
}
