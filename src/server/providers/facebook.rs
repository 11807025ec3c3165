//! Facebook Pages behind the [`Provider`] interface: Facebook Login for Business (which also
//! reaches the Instagram accounts linked to the Pages), publishing to a Page in steps
//! (`publish`), and finding a post whose answer was lost among the Page's latest (`in_doubt`).
//! The calls themselves are Meta's Graph client (`super::meta`).

mod in_doubt;
mod login;
mod publish;

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use url::Url;

use super::meta::MetaClient;
use super::{
    Candidate, FiguresRead, Finding, LoginKind, Pause, Provider, ProviderError, PublishedPost,
    Reader, Renewed, Target,
};
use crate::domain::accounts::{Account, Login, Network};
use crate::error::AppError;
use crate::server::crypto::Secret;
use crate::server::publishing::steps::{Progress, Run, Step};

pub struct FacebookProvider {
    meta: MetaClient,
}

impl FacebookProvider {
    pub fn new(meta: MetaClient) -> FacebookProvider {
        FacebookProvider { meta }
    }
}

#[async_trait]
impl Provider for FacebookProvider {
    fn network(&self) -> Network {
        Network::Facebook
    }

    fn login(&self) -> (Login, LoginKind) {
        (Login::Facebook, LoginKind::OAuthCode)
    }

    fn is_configured(&self) -> bool {
        self.meta.config().facebook.is_some()
    }

    fn authorize_url(&self, state: &str, redirect_uri: &str) -> Result<Url, ProviderError> {
        Ok(self.meta.facebook_authorize_url(state, redirect_uri)?)
    }

    async fn accounts_reached(
        &self,
        code: &str,
        redirect_uri: &str,
        _now: DateTime<Utc>,
    ) -> Result<Vec<Candidate>, ProviderError> {
        Ok(login::accounts_reached(&self.meta, code, redirect_uri).await?)
    }

    /// Page tokens from a long-lived user token do not expire (spec §1.5): nothing to renew.
    async fn renew_token(
        &self,
        _account: &Account,
        _token: &Secret,
        _now: DateTime<Utc>,
    ) -> Result<Option<Renewed>, ProviderError> {
        Ok(None)
    }

    /// Reads the Page's own id and name with its token: nothing that needs more rights.
    async fn check_token(&self, account: &Account, token: &Secret) -> Result<(), ProviderError> {
        self.meta
            .page_name(&account.profile.remote_id, token)
            .await?;
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

    /// A video is processed after it is posted: Herald waits for it to be ready.
    async fn after_publishing(
        &self,
        run: &Run<'_>,
        target: &Target,
        progress: &mut Progress,
        remote_id: String,
    ) -> Result<Step, AppError> {
        if target.is_one_video() {
            return publish::video_processed(&self.meta, run, target, progress, remote_id).await;
        }
        Ok(super::published(progress, remote_id))
    }

    async fn find_in_doubt(
        &self,
        target: &Target,
        _progress: &mut Progress,
        since: Option<DateTime<Utc>>,
    ) -> Result<Finding, ProviderError> {
        Ok(in_doubt::find(&self.meta, target, since).await?)
    }

    async fn permalink(&self, target: &Target, remote_id: &str) -> Option<String> {
        self.meta
            .page_post_permalink(remote_id, &target.token)
            .await
            .ok()
            .flatten()
    }

    async fn post_figures(
        &self,
        account: &Reader,
        post: &PublishedPost,
    ) -> Result<FiguresRead, ProviderError> {
        self.meta.page_post_figures(account, post).await
    }

    async fn account_figures(
        &self,
        account: &Reader,
        now: DateTime<Utc>,
    ) -> Result<FiguresRead, ProviderError> {
        self.meta.page_figures(account, now).await
    }
}
