//! The networks Herald publishes to, each behind one interface ([`Provider`]): what it offers,
//! how an account connects, how a post is published in resumable steps, how a call in doubt is
//! settled, how the live post is read back, how a token is kept alive, and how a post and an
//! account did (their figures). The publishing engine, token upkeep, account checks and
//! analytics call this interface and never match on the network.
//! Every base URL comes from configuration, so the same code talks to the real API or to
//! `crate::sandbox`.
//!
//! # Adding a network
//! 1. `src/domain/accounts.rs`: a `Network` variant (and a `Login` if it signs in on its own);
//!    `src/domain/limits.rs`: what it accepts, so the composer checks exactly what it will.
//! 2. `src/server/providers/<network>.rs` and `<network>/`: its API client (wire types private
//!    to the folder) and a type implementing [`Provider`]; its errors classified into
//!    [`ProviderError`]; registered in [`Providers::new`], its settings in `server/config.rs`.
//! 3. `src/sandbox/<network>.rs` and `<network>/`: its emulator, built from
//!    `../shared/specs/`, mounted in `src/sandbox.rs`.
//! 4. `src/ui/composer/preview.rs`: how its post looks; `locales/{en,fr}.json`: its strings.
//! 5. `tests/server/providers/<network>.rs`: the contract suite (`tests/server/providers.rs`)
//!    run against its emulator, on SQLite and PostgreSQL.

pub mod error;
pub mod facebook;
pub mod instagram;
pub mod meta;

use std::sync::Arc;
use std::time::Duration;

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use url::Url;

pub use error::{ErrorKind, ProviderError};

use crate::domain::accounts::{Account, Connection, Login, Network};
use crate::domain::figures::Figures;
use crate::domain::limits::{Limits, limits_for};
use crate::domain::post::PostFormat;
use crate::error::AppError;
use crate::server::crypto::Secret;
use crate::server::publishing::steps::{Progress, Run, Step};

/// How a person connects an account of the network.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LoginKind {
    /// OAuth 2.0 authorization code, the client secret kept on the server.
    OAuthCode,
    /// OAuth 2.0 authorization code with PKCE.
    OAuthCodeWithPkce,
    /// A handle and an app password typed into Herald (never the account's own password).
    AppPassword,
}

/// One account a finished login reaches, its tokens open.
pub type Candidate = crate::domain::accounts::Candidate<Secret>;

/// A token the network renewed during a check: kept before it is used.
pub struct Renewed {
    pub token: Secret,
    /// Unix milliseconds; None when the network did not say (the old expiry is kept).
    pub expires_at: Option<i64>,
}

/// What one account of a post receives, as the engine read it for this run: its words, its
/// media at their public addresses, and the account's token.
pub struct Target {
    pub network: Network,
    pub connection: Connection,
    /// The network's id for the account (a Page id, an Instagram user id).
    pub remote_account: String,
    /// The account it is reached through, when it is: the network may count calls against it.
    pub page_id: Option<String>,
    pub token: Secret,
    pub format: PostFormat,
    /// Empty for a Story, which has none.
    pub caption: String,
    pub media: Vec<TargetMedia>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MediaKind {
    Image,
    Video,
}

#[derive(Debug, Clone)]
pub struct TargetMedia {
    pub kind: MediaKind,
    /// Absolute: the network fetches it from here, without signing in.
    pub url: String,
    pub alt_text: String,
}

impl Target {
    pub fn is_one_video(&self) -> bool {
        matches!(self.media.as_slice(), [media] if media.kind == MediaKind::Video)
    }
}

/// What reading the network back found about a call that may have published.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Finding {
    Posted {
        remote_id: String,
        url: Option<String>,
    },
    /// Nothing was posted: safe to publish again (the provider reset what must be redone).
    Absent,
    /// The network is still working on it: read again later.
    NotYet,
    /// Nothing Herald can read tells; the person is asked to look.
    Unknowable(&'static str),
    /// The network says what was sent failed.
    Failed(String),
}

/// A wait the network asked for before any more calls (a budget nearly spent).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pause {
    pub wait: Duration,
    /// For the ledger, in the network's terms.
    pub detail: String,
}

#[async_trait]
pub(crate) trait Provider: Send + Sync {
    /// The network this provider publishes to.
    fn network(&self) -> Network;

    /// What a `format` post on this network may carry — the same `domain::limits` the
    /// composer checks with — or None when the network has no such kind of post.
    fn offers(&self, format: PostFormat) -> Option<&'static Limits> {
        let network = self.network();
        format
            .is_offered_on(network)
            .then(|| limits_for(network, format))
    }

    // ----- Connecting -----

    /// The login that connects accounts of this network from the Accounts page, and how.
    fn login(&self) -> (Login, LoginKind);

    /// Whether this Herald has what the login needs (app id and secret).
    fn is_configured(&self) -> bool;

    /// The network's consent page for a round trip named by `state`, coming back to
    /// `redirect_uri`.
    fn authorize_url(&self, state: &str, redirect_uri: &str) -> Result<Url, ProviderError>;

    /// Every account the login's `code` reaches (of this network or, for a login shared by a
    /// family of networks, of its siblings).
    async fn accounts_reached(
        &self,
        code: &str,
        redirect_uri: &str,
        now: DateTime<Utc>,
    ) -> Result<Vec<Candidate>, ProviderError>;

    // ----- Keeping the token alive -----

    /// Renews the account's token if it is about to expire and the network allows it.
    async fn renew_token(
        &self,
        account: &Account,
        token: &Secret,
        now: DateTime<Utc>,
    ) -> Result<Option<Renewed>, ProviderError>;

    /// Proves the token still works with the cheapest read the account allows.
    async fn check_token(&self, account: &Account, token: &Secret) -> Result<(), ProviderError>;

    // ----- Publishing -----

    /// A wait the network asked for before more calls on this account, if any. Not asked once
    /// the post is live.
    fn pause_before_calls(&self, target: &Target, now: DateTime<Utc>) -> Option<Pause>;

    /// Takes the next step of publishing `target`, from where `progress` says the job got to,
    /// until the call that publishes has been made.
    /// The call that publishes goes through `publish_once`, every other call through
    /// `try_call` (`server::publishing::steps`), so the ledger and the job's progress name each
    /// call before it leaves.
    async fn advance(
        &self,
        run: &Run<'_>,
        target: &Target,
        progress: &mut Progress,
    ) -> Result<Step, AppError>;

    /// What follows the call that published (`remote_id` is the network's id for the post):
    /// by default nothing but its address, read back when the answer did not carry it. A
    /// network that keeps working on a post (a video being processed) waits for it here.
    async fn after_publishing(
        &self,
        _run: &Run<'_>,
        _target: &Target,
        progress: &mut Progress,
        remote_id: String,
    ) -> Result<Step, AppError> {
        Ok(published(progress, remote_id))
    }

    /// Finds out whether the call in doubt (made at `since` or after, by the network's clock
    /// give or take) published anything. On [`Finding::Absent`] the provider resets in
    /// `progress` whatever must be made again.
    async fn find_in_doubt(
        &self,
        target: &Target,
        progress: &mut Progress,
        since: Option<DateTime<Utc>>,
    ) -> Result<Finding, ProviderError>;

    /// The live post's public address, read back from the network; None when it does not say.
    async fn permalink(&self, target: &Target, remote_id: &str) -> Option<String>;

    // ----- Figures -----

    /// How a published post is doing now, as far as the network tells (empty: nothing yet).
    async fn post_figures(
        &self,
        account: &Reader,
        post: &PublishedPost,
    ) -> Result<FiguresRead, ProviderError>;

    /// The account's own figures at `now`: its followers, and what it did in the day before.
    async fn account_figures(
        &self,
        account: &Reader,
        now: DateTime<Utc>,
    ) -> Result<FiguresRead, ProviderError>;
}

/// An account as reads of its figures reach it.
pub struct Reader {
    pub connection: Connection,
    /// The network's id for the account (a Page id, an Instagram user id).
    pub remote_account: String,
    pub token: Secret,
}

/// A post target the network holds.
pub struct PublishedPost {
    /// The network's id for the post.
    pub remote_id: String,
    pub format: PostFormat,
}

/// What a read of figures found: the figures the network gave, and what it said of the
/// account's right to the rest (read with what the account has, such as a post's public
/// counters, when a permission is missing).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FiguresRead {
    pub figures: Figures,
    pub permission: Permission,
}

/// Whether the account may read every figure the network keeps.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Permission {
    /// The figures that need a permission were read.
    Granted,
    /// The network refused for want of this permission (its own name for it).
    Missing(&'static str),
    /// Nothing this read did says (the network had no such figures for this post).
    #[default]
    Unknown,
}

/// The post is live: published with the address the network gave, or to be read back.
pub(crate) fn published(progress: &Progress, remote_id: String) -> Step {
    match progress.remote_url.clone() {
        Some(url) => Step::Published {
            remote_id,
            url: Some(url),
        },
        None => Step::Live { remote_id },
    }
}

/// Every network this Herald publishes to, built once from configuration.
#[derive(Clone)]
pub struct Providers {
    all: Vec<Arc<dyn Provider>>,
}

impl Providers {
    pub fn new(meta: meta::MetaClient) -> Providers {
        Providers {
            all: vec![
                Arc::new(facebook::FacebookProvider::new(meta.clone())),
                Arc::new(instagram::InstagramProvider::new(meta)),
            ],
        }
    }

    pub(crate) fn of(&self, network: Network) -> &dyn Provider {
        self.all()
            .find(|provider| provider.network() == network)
            .expect("every network has its provider (see the test below)")
    }

    /// The provider whose login this is.
    pub(crate) fn for_login(&self, login: Login) -> &dyn Provider {
        self.all()
            .find(|provider| provider.login().0 == login)
            .expect("every login has its provider (see the test below)")
    }

    pub(crate) fn all(&self) -> impl Iterator<Item = &dyn Provider> {
        self.all.iter().map(|provider| provider.as_ref())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::server::http::Reach;

    #[test]
    fn every_network_and_every_login_has_one_provider() {
        let config = meta::MetaConfig {
            urls: meta::MetaUrls::default(),
            api_version: meta::MetaConfig::DEFAULT_API_VERSION.to_owned(),
            facebook: None,
            facebook_config_id: None,
            instagram: None,
            timeout: meta::MetaConfig::DEFAULT_TIMEOUT,
        };
        let providers = Providers::new(meta::MetaClient::new(config, Reach::PublicOnly));
        for network in Network::ALL {
            let serving = providers.all().filter(|p| p.network() == *network).count();
            assert_eq!(serving, 1, "{network:?}");
        }
        for login in Login::ALL {
            let serving = providers.all().filter(|p| p.login().0 == *login).count();
            assert_eq!(serving, 1, "{login:?}");
        }
    }
}
