//! Loopback emulators of the social networks, so Herald's real clients can be tested, and the
//! connect flows walked by hand, without an account or an app at any network.

pub mod ai;
pub mod meta;

use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::sync::Arc;

use tokio::net::TcpListener;
use tokio::task::JoinHandle;

/// A running emulator. Dropping it stops serving.
pub struct Sandbox {
    address: SocketAddr,
    meta: Arc<meta::MetaSandbox>,
    ai: Arc<ai::AiSandbox>,
    server: JoinHandle<()>,
}

impl Sandbox {
    /// Serves the emulator on `listener` in a background tokio task.
    pub async fn start(
        listener: TcpListener,
        config: meta::SandboxConfig,
    ) -> std::io::Result<Sandbox> {
        let bound = listener.local_addr()?;
        // A browser cannot be sent to 0.0.0.0, and every URL the emulator hands out (avatars,
        // paging links, the dialog's form) must be one a browser on this machine can open.
        let address = if bound.ip().is_unspecified() {
            SocketAddr::new(IpAddr::V4(Ipv4Addr::LOCALHOST), bound.port())
        } else {
            bound
        };
        let meta = Arc::new(meta::MetaSandbox::new(config, &format!("http://{address}")));
        let ai = Arc::new(ai::AiSandbox::new(&format!("http://{address}")));
        let router = meta::router(Arc::clone(&meta)).nest("/openai", ai::router(Arc::clone(&ai)));
        let server = tokio::spawn(async move {
            if let Err(error) = axum::serve(listener, router).await {
                tracing::warn!(%error, "the Meta sandbox stopped serving");
            }
        });
        Ok(Sandbox {
            address,
            meta,
            ai,
            server,
        })
    }

    pub fn address(&self) -> SocketAddr {
        self.address
    }

    /// "http://127.0.0.1:PORT"
    pub fn base_url(&self) -> String {
        format!("http://{}", self.address)
    }

    /// The base URLs Herald's client must be configured with, one per Meta host.
    pub fn urls(&self) -> meta::MetaUrls {
        meta::MetaUrls::under(&self.base_url())
    }

    /// In-process control, equivalent to the HTTP control API under `/_sandbox/`.
    pub fn meta(&self) -> &meta::MetaSandbox {
        &self.meta
    }

    /// The OpenAI-compatible endpoint, controlled in-process (or under `/openai/_sandbox/`).
    pub fn ai(&self) -> &ai::AiSandbox {
        &self.ai
    }
}

impl Drop for Sandbox {
    fn drop(&mut self) {
        self.server.abort();
    }
}

#[cfg(test)]
mod tests;
