//! "Test connection": one real call with the account's token, and what it says about the
//! account. An Instagram Login token close to expiry is refreshed first (spec §1.10).

use crate::domain::AccountId;
use crate::domain::WorkspaceId;
use crate::domain::accounts::{Account, Connection, Network};
use crate::error::AppError;
use crate::server::crypto::Secret;
use crate::server::db::{self, accounts as account_rows};
use crate::server::providers::meta::{MetaError, MetaErrorKind};
use crate::server::state::AppState;

/// Refresh an Instagram Login token when it has less than this left.
const REFRESH_WITHIN: chrono::Duration = chrono::Duration::days(10);

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CheckOutcome {
    Working,
    /// The token stopped working (or lost a permission): the account needs reconnecting.
    NeedsReconnect,
    /// Meta did not answer properly this time; nothing was changed.
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
    let answer: Result<(), MetaError> = match (account.network, account.connection) {
        (Network::Instagram, Connection::InstagramLogin) => {
            let token = refreshed_if_due(state, account_id, &account, token).await?;
            state.meta.instagram_profile(&token).await.map(|_| ())
        }
        (Network::Instagram, _) => {
            let page_id = account.page_id.as_deref().unwrap_or(&account.remote_id);
            state
                .meta
                .instagram_account_of_page(page_id, &token)
                .await
                .map(|_| ())
        }
        // A Page: read its own id and name with its token, nothing that needs more rights.
        _ => state
            .meta
            .page_name(&account.remote_id, &token)
            .await
            .map(|_| ()),
    };
    let now = db::millis(state.clock.now());
    match answer {
        Ok(()) => {
            account_rows::mark_active(state.db.pool(), account_id, now).await?;
            Ok(CheckOutcome::Working)
        }
        Err(error) => {
            tracing::info!(account_id = %account_id, error = %error, "connection test failed");
            match error.kind {
                MetaErrorKind::Reconnect | MetaErrorKind::PermissionMissing => {
                    let reason = match error.kind {
                        MetaErrorKind::PermissionMissing => "permission_missing",
                        _ => "token_rejected",
                    };
                    account_rows::mark_needs_reconnect(state.db.pool(), account_id, reason, now)
                        .await?;
                    Ok(CheckOutcome::NeedsReconnect)
                }
                _ => Ok(CheckOutcome::TryLater),
            }
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

/// Exchanges an Instagram Login token for a fresh 60-day one when it nears its end, and keeps
/// the new one. A failed refresh leaves the old token in place (it still works until expiry).
async fn refreshed_if_due(
    state: &AppState,
    account_id: &AccountId,
    account: &Account,
    token: Secret,
) -> Result<Secret, AppError> {
    let now = state.clock.now();
    let due = account
        .token_expires_at
        .is_some_and(|expires_at| expires_at < db::millis(now + REFRESH_WITHIN));
    if !due {
        return Ok(token);
    }
    match state.meta.refresh_instagram_token(&token).await {
        Ok(fresh) => {
            // Meta did not say: keep the old expiry rather than claim the token never expires.
            let expires_at = fresh
                .expires_in
                .map(|seconds| db::millis(now + chrono::Duration::seconds(seconds)))
                .or(account.token_expires_at);
            let sealed = state.vault.seal(&fresh.token, account_id.as_str());
            account_rows::replace_access_token(
                state.db.pool(),
                account_id,
                &sealed,
                expires_at,
                db::millis(now),
            )
            .await?;
            Ok(fresh.token)
        }
        Err(error) => {
            tracing::warn!(account_id = %account_id, error = %error, "Instagram token refresh failed");
            Ok(token)
        }
    }
}
