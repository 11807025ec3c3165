//! "Test connection": one real call with the account's token, through the account's provider,
//! and what it says about the account. A token close to expiry is renewed first where the
//! network allows it (Instagram Login's 60-day tokens).

use crate::domain::AccountId;
use crate::domain::WorkspaceId;
use crate::domain::accounts::Account;
use crate::error::AppError;
use crate::server::crypto::Secret;
use crate::server::db::{self, accounts as account_rows};
use crate::server::providers::Provider;
use crate::server::state::AppState;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CheckOutcome {
    Working,
    /// The token stopped working (or lost a permission): the account needs reconnecting.
    NeedsReconnect,
    /// The network did not answer properly this time; nothing was changed.
    TryLater,
}

pub async fn test_account(
    state: &AppState,
    workspace_id: &WorkspaceId,
    account_id: &AccountId,
) -> Result<CheckOutcome, AppError> {
    let account = account_rows::find(state.db.pool(), workspace_id, account_id)
        .await?
        .ok_or(AppError::Forbidden)?;
    let token = access_token(state, workspace_id, account_id).await?;
    let provider = state.providers.of(account.profile.network);
    let token = renewed_if_due(state, provider, &account, token).await?;
    let answer = provider.check_token(&account, &token).await;
    let now = db::millis(state.clock.now());
    let outcome = match answer {
        Ok(()) => {
            account_rows::mark_active(state.db.pool(), account_id, now).await?;
            CheckOutcome::Working
        }
        Err(error) => {
            tracing::info!(account_id = %account_id, error = %error, "connection test failed");
            match error.account_reason() {
                Some(reason) => {
                    account_rows::mark_needs_reconnect(state.db.pool(), account_id, reason, now)
                        .await?;
                    CheckOutcome::NeedsReconnect
                }
                None => CheckOutcome::TryLater,
            }
        }
    };
    state
        .metrics
        .token_checked(account.profile.network, outcome.as_str());
    Ok(outcome)
}

impl CheckOutcome {
    pub fn as_str(&self) -> &'static str {
        match self {
            CheckOutcome::Working => "working",
            CheckOutcome::NeedsReconnect => "needs_reconnect",
            CheckOutcome::TryLater => "try_later",
        }
    }
}

/// The account's token, opened from the vault.
pub async fn access_token(
    state: &AppState,
    workspace_id: &WorkspaceId,
    account_id: &AccountId,
) -> Result<Secret, AppError> {
    let sealed = account_rows::sealed_tokens(state.db.pool(), workspace_id, account_id)
        .await?
        .and_then(|tokens| tokens.access_token)
        .ok_or(AppError::Forbidden)?;
    open_token(state, account_id, &sealed)
}

/// The account's access token, unsealed from how it is stored.
pub fn open_token(
    state: &AppState,
    account_id: &AccountId,
    sealed: &str,
) -> Result<Secret, AppError> {
    state
        .vault
        .open(sealed, account_id.as_str())
        .map_err(|error| crate::server::error::internal(format!("vault: {error}")))
}

/// Renews the account's token when the network says it is due, and keeps the new one. A failed
/// renewal leaves the old token in place (it still works until it expires).
async fn renewed_if_due(
    state: &AppState,
    provider: &dyn Provider,
    account: &Account,
    token: Secret,
) -> Result<Secret, AppError> {
    let now = state.clock.now();
    match provider.renew_token(account, &token, now).await {
        Ok(None) => Ok(token),
        Ok(Some(renewed)) => {
            // The network did not say: keep the old expiry rather than claim the token never
            // expires.
            let expires_at = renewed.expires_at.or(account.token_expires_at);
            let sealed = state.vault.seal(&renewed.token, account.id.as_str());
            account_rows::replace_access_token(
                state.db.pool(),
                &account.id,
                &sealed,
                expires_at,
                db::millis(now),
            )
            .await?;
            Ok(renewed.token)
        }
        Err(error) => {
            tracing::warn!(account_id = %account.id, error = %error, "token renewal failed");
            Ok(token)
        }
    }
}
