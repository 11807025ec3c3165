//! Connected accounts: list them, pick what a login offered, test one, disconnect one.
//! Connecting itself goes through the `/oauth/…` routes (browser redirects, not calls).

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::domain::accounts::{AccountStatus, Connection, Network};
use crate::domain::{AccountId, OfferId};
use crate::error::AppError;

/// An account as the browser sees it: never a token, sealed or not.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccountView {
    pub id: AccountId,
    pub network: Network,
    pub connection: Connection,
    pub name: String,
    pub username: Option<String>,
    pub avatar_url: Option<String>,
    pub status: AccountStatus,
    /// Why it needs reconnecting: `token_rejected` or `permission_missing`.
    pub status_reason: Option<String>,
    /// Unix milliseconds; None when the token does not expire.
    pub token_expires_at: Option<i64>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccountsOverview {
    pub accounts: Vec<AccountView>,
    /// Which logins this Herald has app credentials for.
    pub facebook_ready: bool,
    pub instagram_ready: bool,
    /// The networks are Herald's sandbox, not Meta.
    pub sandbox: bool,
    /// The callback addresses to register with Meta.
    pub redirect_uris: Vec<String>,
}

#[server(prefix = "/api", endpoint = "list_accounts")]
pub async fn list_accounts() -> Result<AccountsOverview, AppError> {
    use crate::domain::accounts::Login;
    use crate::server::accounts::{connect, environment};
    use crate::server::auth::request;
    use crate::server::db::accounts;
    let session = request::require_session().await?;
    let state = request::state()?;
    environment::ensure_for_owner(&state, &session).await;
    let rows = accounts::list(state.db.pool(), &session.workspace_id).await?;
    let ready = |login: Login| state.providers.for_login(login).is_configured();
    Ok(AccountsOverview {
        accounts: rows.into_iter().map(view_of).collect(),
        facebook_ready: ready(Login::Facebook),
        instagram_ready: ready(Login::Instagram),
        sandbox: state.settings.sandbox,
        redirect_uris: [Login::Facebook, Login::Instagram]
            .into_iter()
            .map(|login| connect::redirect_uri(&state, login))
            .collect(),
    })
}

#[cfg(feature = "ssr")]
pub(crate) fn view_of(account: crate::domain::accounts::Account) -> AccountView {
    AccountView {
        network: account.profile.network,
        connection: account.profile.connection,
        status: account.status,
        id: account.id,
        name: account.profile.name,
        username: account.profile.username,
        avatar_url: account.profile.avatar_url,
        status_reason: account.status_reason,
        token_expires_at: account.token_expires_at,
    }
}

/// One account a finished login offers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OfferView {
    pub id: OfferId,
    pub network: Network,
    pub name: String,
    pub username: Option<String>,
    pub avatar_url: Option<String>,
    /// Why it cannot be added: `personal_instagram`, `no_publish_task`.
    pub refusal: Option<String>,
}

#[server(prefix = "/api", endpoint = "list_offers")]
pub async fn list_offers(batch: String) -> Result<Vec<OfferView>, AppError> {
    use crate::server::auth::request;
    use crate::server::db::{self, oauth};
    let session = request::require_session().await?;
    let state = request::state()?;
    let now = db::millis(state.clock.now());
    let offers = oauth::offers(
        state.db.pool(),
        &batch,
        &session.session_hash,
        &session.workspace_id,
        now,
    )
    .await?;
    Ok(offers
        .into_iter()
        .map(|offer| OfferView {
            network: offer.account.profile.network,
            id: offer.id,
            name: offer.account.profile.name,
            username: offer.account.profile.username,
            avatar_url: offer.account.profile.avatar_url,
            refusal: offer.account.refusal,
        })
        .collect())
}

/// What a connection test found.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TestResult {
    Working,
    NeedsReconnect,
    TryLater,
}

#[server(prefix = "/api", endpoint = "test_account")]
pub async fn test_account(id: String) -> Result<TestResult, AppError> {
    use crate::server::accounts::check::{self, CheckOutcome};
    use crate::server::auth::request;
    let session = request::require_session().await?;
    let state = request::state()?;
    let account_id = AccountId::from(id);
    let outcome = check::test_account(&state, &session.workspace_id, &account_id).await?;
    let result = match outcome {
        CheckOutcome::Working => TestResult::Working,
        CheckOutcome::NeedsReconnect => TestResult::NeedsReconnect,
        CheckOutcome::TryLater => TestResult::TryLater,
    };
    let code = serde_json::to_value(result)
        .ok()
        .and_then(|value| value.as_str().map(str::to_owned))
        .unwrap_or_default();
    leptos_axum::redirect(&format!("/accounts?tested={account_id}&result={code}"));
    Ok(result)
}

#[server(prefix = "/api", endpoint = "disconnect_account")]
pub async fn disconnect_account(id: String) -> Result<(), AppError> {
    use crate::server::auth::request;
    use crate::server::db::{self, accounts};
    let session = request::require_session().await?;
    let state = request::state()?;
    let now = db::millis(state.clock.now());
    if !accounts::disconnect(
        state.db.pool(),
        &session.workspace_id,
        &AccountId::from(id),
        now,
    )
    .await?
    {
        return Err(AppError::Forbidden);
    }
    leptos_axum::redirect("/accounts?done=disconnected");
    Ok(())
}
