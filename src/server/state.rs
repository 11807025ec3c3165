//! The one `AppState` every handler and server function reaches through context.

use std::path::PathBuf;
use std::sync::Arc;

use axum::extract::FromRef;
use leptos::config::LeptosOptions;
use url::Url;

use super::ai::AiClient;
use super::ai::stream_slots::StreamSlots;
use super::auth::passwords::Passwords;
use super::auth::signup::FirstAccount;
use super::clock::Clock;
use super::config::{EnvironmentAccount, SignupPolicy};
use super::crypto::{Secret, Vault};
use super::db::Db;
use super::media::images::PictureWork;
use super::media::storage::MediaStore;
use super::media::upload::UploadLimits;
use super::metrics::Metrics;
use super::providers::Providers;
use super::providers::meta::MetaClient;
use super::pwa::Bundle;
use super::queue::Queue;

/// Settings resolved once the listener is bound (the public URL may depend on its port).
#[derive(Debug, Clone)]
pub struct Settings {
    pub public_url: Url,
    pub signup: SignupPolicy,
    /// Who may create the first account.
    pub first_account: FirstAccount,
    /// Take the client's address from the last `X-Forwarded-For` entry (set by our proxy).
    pub trust_proxy: bool,
    /// Cookies get `Secure` when Herald is reached over https.
    pub secure_cookies: bool,
    pub data_dir: PathBuf,
    /// The browser bundle's files and their hash, which names the service worker's cache.
    pub bundle: Bundle,
    /// The networks are Herald's own sandbox: the app says so on every page.
    pub sandbox: bool,
    /// Where the in-process sandbox listens, when it runs.
    pub sandbox_url: Option<String>,
    /// Origins besides Herald's own that account pictures may come from (the sandbox's).
    pub image_origins: Vec<String>,
    pub environment_account: Option<EnvironmentAccount>,
    pub upload_limits: UploadLimits,
    pub ai_hourly_limit: u32,
    pub metrics_token: Option<Secret>,
}

impl Settings {
    /// `scheme://host[:port]`, as browsers send it in the `Origin` header.
    pub fn public_origin(&self) -> String {
        self.public_url.origin().ascii_serialization()
    }

    pub fn signup_is_open(&self) -> bool {
        self.signup == SignupPolicy::Open
    }
}

#[derive(Clone, FromRef)]
pub struct AppState {
    pub leptos_options: LeptosOptions,
    pub db: Db,
    pub clock: Arc<dyn Clock>,
    pub settings: Arc<Settings>,
    pub passwords: Passwords,
    /// Meta's Graph client, for what only Meta has (the account from the environment).
    pub meta: MetaClient,
    /// Every network, behind one interface: what publishing, upkeep and checks call.
    pub providers: Providers,
    /// None when no AI endpoint is configured.
    pub ai: Option<AiClient>,
    pub vault: Arc<Vault>,
    pub media: Arc<dyn MediaStore>,
    /// Turns for picture work, one per core.
    pub pictures: PictureWork,
    pub jobs: Arc<Queue>,
    pub metrics: Arc<Metrics>,
    /// Proposal event streams open per session.
    pub proposal_streams: Arc<StreamSlots>,
}
