//! Instagram professional accounts behind the [`Provider`] interface, reached either through
//! their Facebook Page (connected by Facebook Login) or by Instagram Login: containers made,
//! read until ready and published in steps (`publish`), a call in doubt settled by its
//! container (`in_doubt`), and Instagram Login's 60-day tokens renewed before they end. The
//! calls themselves are Meta's Graph client (`super::meta`).

mod in_doubt;
mod login;
mod publish;

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use url::Url;

use super::meta::MetaClient;
use super::meta::publishing_calls::GraphHost;
use super::{
    Candidate, FiguresRead, Finding, LoginKind, Pause, Provider, ProviderError, PublishedPost,
    Reader, Renewed, Target,
};
use crate::domain::accounts::{Account, Connection, Login, Network};
use crate::error::AppError;
use crate::server::crypto::Secret;
use crate::server::db;
use crate::server::publishing::steps::{Progress, Run, Step};

/// An Instagram Login token is exchanged for a fresh 60-day one this long before it ends.
const RENEW_WITHIN: chrono::Duration = chrono::Duration::days(10);

pub struct InstagramProvider {
    meta: MetaClient,
}

impl InstagramProvider {
    pub fn new(meta: MetaClient) -> InstagramProvider {
        InstagramProvider { meta }
    }
}

#[async_trait]
impl Provider for InstagramProvider {
    fn network(&self) -> Network {
        Network::Instagram
    }

    fn login(&self) -> (Login, LoginKind) {
        (Login::Instagram, LoginKind::OAuthCode)
    }

    fn is_configured(&self) -> bool {
        self.meta.config().instagram.is_some()
    }

    fn authorize_url(&self, state: &str, redirect_uri: &str) -> Result<Url, ProviderError> {
        Ok(self.meta.instagram_authorize_url(state, redirect_uri)?)
    }

    async fn accounts_reached(
        &self,
        code: &str,
        redirect_uri: &str,
        now: DateTime<Utc>,
    ) -> Result<Vec<Candidate>, ProviderError> {
        Ok(login::accounts_reached(&self.meta, code, redirect_uri, now).await?)
    }

    /// Only Instagram Login tokens expire (60 days); those reached through a Page use the
    /// Page's token, which does not.
    async fn renew_token(
        &self,
        account: &Account,
        token: &Secret,
        now: DateTime<Utc>,
    ) -> Result<Option<Renewed>, ProviderError> {
        let due = account
            .token_expires_at
            .is_some_and(|expires_at| expires_at < db::millis(now + RENEW_WITHIN));
        if account.profile.connection != Connection::InstagramLogin || !due {
            return Ok(None);
        }
        let fresh = self.meta.refresh_instagram_token(token).await?;
        Ok(Some(Renewed {
            expires_at: fresh
                .expires_in
                .map(|seconds| db::millis(now + chrono::Duration::seconds(seconds))),
            token: fresh.token,
        }))
    }

    async fn check_token(&self, account: &Account, token: &Secret) -> Result<(), ProviderError> {
        match account.profile.connection {
            Connection::InstagramLogin => {
                self.meta.instagram_profile(token).await?;
            }
            Connection::FacebookLogin | Connection::Environment => {
                let page_id = account
                    .profile
                    .page_id
                    .as_deref()
                    .unwrap_or(&account.profile.remote_id);
                self.meta.instagram_account_of_page(page_id, token).await?;
            }
        }
        Ok(())
    }

    fn pause_before_calls(&self, target: &Target, now: DateTime<Utc>) -> Option<Pause> {
        self.meta.pause_before_calls(target, now)
    }

    async fn advance(
        &self,
        run: &Run<'_>,
        target: &Target,
        progress: &mut Progress,
    ) -> Result<Step, AppError> {
        publish::advance(&self.meta, run, target, progress).await
    }

    async fn find_in_doubt(
        &self,
        target: &Target,
        progress: &mut Progress,
        since: Option<DateTime<Utc>>,
    ) -> Result<Finding, ProviderError> {
        Ok(in_doubt::find(&self.meta, target, progress, since).await?)
    }

    async fn permalink(&self, target: &Target, remote_id: &str) -> Option<String> {
        self.meta
            .instagram_permalink(GraphHost::of(target.connection), remote_id, &target.token)
            .await
            .ok()
            .flatten()
    }

    async fn post_figures(
        &self,
        account: &Reader,
        post: &PublishedPost,
    ) -> Result<FiguresRead, ProviderError> {
        self.meta.instagram_media_figures(account, post).await
    }

    async fn account_figures(
        &self,
        account: &Reader,
        now: DateTime<Utc>,
    ) -> Result<FiguresRead, ProviderError> {
        self.meta.instagram_account_figures(account, now).await
    }
}
