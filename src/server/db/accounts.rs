//! Queries on connected accounts. Tokens go in and out only as vault-sealed text, and only
//! through the functions that name them; the listing rows carry none.

use sqlx::{AnyConnection, AnyPool};

use super::{UnknownValue, known, records};
use crate::domain::accounts::{Account, AccountStatus, Connection, Network, Profile};
use crate::domain::{AccountId, UserId, WorkspaceId};

/// The columns of an account's profile, as `social_accounts` and `account_offers` both hold
/// them.
#[derive(Debug, Clone, sqlx::FromRow)]
pub(super) struct ProfileRow {
    network: String,
    connection: String,
    remote_id: String,
    name: String,
    username: Option<String>,
    avatar_url: Option<String>,
    page_id: Option<String>,
}

impl ProfileRow {
    /// The profile, `of` naming the row for an unknown network or connection.
    pub(super) fn into_profile(
        self,
        of: (&'static str, &dyn std::fmt::Display),
    ) -> Result<Profile, UnknownValue> {
        Ok(Profile {
            network: known(Network::parse, of, "network", &self.network)?,
            connection: known(Connection::parse, of, "connection", &self.connection)?,
            remote_id: self.remote_id,
            name: self.name,
            username: self.username,
            avatar_url: self.avatar_url,
            page_id: self.page_id,
        })
    }
}

/// An account's row without its tokens, sealed or not.
#[derive(Debug, Clone, sqlx::FromRow)]
struct AccountRow {
    pub id: AccountId,
    #[sqlx(flatten)]
    pub profile: ProfileRow,
    pub status: String,
    pub status_reason: Option<String>,
    pub token_expires_at: Option<i64>,
    pub updated_at: i64,
}

impl TryFrom<AccountRow> for Account {
    type Error = UnknownValue;

    fn try_from(row: AccountRow) -> Result<Account, UnknownValue> {
        let of = ("social_accounts", &row.id as &dyn std::fmt::Display);
        Ok(Account {
            profile: row.profile.into_profile(of)?,
            status: known(AccountStatus::parse, of, "status", &row.status)?,
            id: row.id,
            status_reason: row.status_reason,
            token_expires_at: row.token_expires_at,
            updated_at: row.updated_at,
        })
    }
}

const ACCOUNT_COLUMNS: &str = "id, network, connection, remote_id, name, username, avatar_url, \
     page_id, status, status_reason, token_expires_at, updated_at";

/// The sealed tokens of one account.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct SealedTokens {
    pub access_token: Option<String>,
    pub user_token: Option<String>,
}

/// What connecting (or reconnecting) an account stores. Tokens are sealed for `id`.
pub struct AccountRecord<'a> {
    pub id: &'a AccountId,
    pub workspace_id: &'a WorkspaceId,
    pub network: Network,
    pub connection: Connection,
    pub remote_id: &'a str,
    pub name: &'a str,
    pub username: Option<&'a str>,
    pub avatar_url: Option<&'a str>,
    pub page_id: Option<&'a str>,
    pub access_token: &'a str,
    pub user_token: Option<&'a str>,
    pub token_expires_at: Option<i64>,
    pub scopes: &'a str,
    pub connected_by: Option<&'a UserId>,
    pub now: i64,
}

/// The workspace's accounts that are not disconnected, in the order they were connected.
pub async fn list(pool: &AnyPool, workspace_id: &WorkspaceId) -> Result<Vec<Account>, sqlx::Error> {
    let rows: Vec<AccountRow> = sqlx::query_as(&format!(
        "SELECT {ACCOUNT_COLUMNS} FROM social_accounts \
         WHERE workspace_id = $1 AND status <> 'disconnected' ORDER BY created_at, id"
    ))
    .bind(workspace_id)
    .fetch_all(pool)
    .await?;
    records(rows)
}

pub async fn find(
    pool: &AnyPool,
    workspace_id: &WorkspaceId,
    id: &AccountId,
) -> Result<Option<Account>, sqlx::Error> {
    let row: Option<AccountRow> = sqlx::query_as(&format!(
        "SELECT {ACCOUNT_COLUMNS} FROM social_accounts \
         WHERE workspace_id = $1 AND id = $2 AND status <> 'disconnected'"
    ))
    .bind(workspace_id)
    .bind(id)
    .fetch_optional(pool)
    .await?;
    Ok(row.map(Account::try_from).transpose()?)
}

#[derive(Debug, Clone, sqlx::FromRow)]
struct AccountWithTokenRow {
    #[sqlx(flatten)]
    account: AccountRow,
    access_token: Option<String>,
}

/// An account with its sealed access token, as a publishing run needs it.
#[derive(Debug, Clone)]
pub struct AccountWithToken {
    pub account: Account,
    pub access_token: Option<String>,
}

impl TryFrom<AccountWithTokenRow> for AccountWithToken {
    type Error = UnknownValue;

    fn try_from(row: AccountWithTokenRow) -> Result<AccountWithToken, UnknownValue> {
        Ok(AccountWithToken {
            account: row.account.try_into()?,
            access_token: row.access_token,
        })
    }
}

/// The connected accounts among `(workspace, account)`, with their sealed access tokens.
pub async fn find_with_tokens(
    pool: &AnyPool,
    wanted: &[(&WorkspaceId, &AccountId)],
) -> Result<Vec<AccountWithToken>, sqlx::Error> {
    if wanted.is_empty() {
        return Ok(Vec::new());
    }
    let sql = format!(
        "WITH wanted (wanted_workspace, wanted_account) AS (VALUES {}) \
         SELECT {ACCOUNT_COLUMNS}, access_token FROM social_accounts \
         JOIN wanted ON social_accounts.workspace_id = wanted.wanted_workspace \
             AND social_accounts.id = wanted.wanted_account \
         WHERE status <> 'disconnected'",
        super::value_rows(super::Engine::of_pool(pool), wanted.len(), 2)
    );
    let mut query = sqlx::query_as(&sql);
    for (workspace_id, account_id) in wanted {
        query = query.bind(*workspace_id).bind(*account_id);
    }
    let rows: Vec<AccountWithTokenRow> = query.fetch_all(pool).await?;
    records(rows)
}

pub async fn sealed_tokens(
    pool: &AnyPool,
    workspace_id: &WorkspaceId,
    id: &AccountId,
) -> Result<Option<SealedTokens>, sqlx::Error> {
    sqlx::query_as(
        "SELECT access_token, user_token FROM social_accounts WHERE workspace_id = $1 AND id = $2",
    )
    .bind(workspace_id)
    .bind(id)
    .fetch_optional(pool)
    .await
}

/// The id the workspace already uses for this network account, if it was ever connected: a
/// reconnection keeps it (and so its history and queued posts).
pub async fn existing_id(
    connection: &mut AnyConnection,
    workspace_id: &WorkspaceId,
    network: Network,
    remote_id: &str,
) -> Result<Option<AccountId>, sqlx::Error> {
    let row: Option<(AccountId,)> = sqlx::query_as(
        "SELECT id FROM social_accounts WHERE workspace_id = $1 AND network = $2 AND remote_id = $3",
    )
    .bind(workspace_id)
    .bind(network.as_str())
    .bind(remote_id)
    .fetch_optional(&mut *connection)
    .await?;
    Ok(row.map(|(id,)| id))
}

/// Inserts the account, or refreshes the row `record.id` names (same workspace) and makes it
/// active again.
pub async fn save(
    connection: &mut AnyConnection,
    record: AccountRecord<'_>,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO social_accounts (id, workspace_id, network, connection, remote_id, name, \
             username, avatar_url, page_id, status, status_reason, access_token, user_token, \
             token_expires_at, scopes, connected_by, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 'active', NULL, $10, $11, $12, $13, $14, \
             $15, $15) \
         ON CONFLICT (id) DO UPDATE SET connection = $4, name = $6, username = $7, \
             avatar_url = $8, page_id = $9, status = 'active', status_reason = NULL, \
             access_token = $10, user_token = $11, token_expires_at = $12, scopes = $13, \
             connected_by = $14, figures_problem = NULL, updated_at = $15 \
         WHERE social_accounts.workspace_id = $2",
    )
    .bind(record.id)
    .bind(record.workspace_id)
    .bind(record.network.as_str())
    .bind(record.connection.as_str())
    .bind(record.remote_id)
    .bind(record.name)
    .bind(record.username)
    .bind(record.avatar_url)
    .bind(record.page_id)
    .bind(record.access_token)
    .bind(record.user_token)
    .bind(record.token_expires_at)
    .bind(record.scopes)
    .bind(record.connected_by)
    .bind(record.now)
    .execute(&mut *connection)
    .await?;
    Ok(())
}

/// Forgets the account's tokens and hides it. Environment accounts cannot be disconnected from
/// the app. Returns false when there was no such account in the workspace.
pub async fn disconnect(
    pool: &AnyPool,
    workspace_id: &WorkspaceId,
    id: &AccountId,
    now: i64,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "UPDATE social_accounts SET status = 'disconnected', status_reason = NULL, \
             access_token = NULL, user_token = NULL, token_expires_at = NULL, updated_at = $3 \
         WHERE workspace_id = $1 AND id = $2 AND status <> 'disconnected' \
             AND connection <> 'environment'",
    )
    .bind(workspace_id)
    .bind(id)
    .bind(now)
    .execute(pool)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Records that the account's token stopped working, and why (for the person to read).
pub async fn mark_needs_reconnect(
    pool: &AnyPool,
    id: &AccountId,
    reason: &str,
    now: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE social_accounts SET status = 'needs_reconnect', status_reason = $2, updated_at = $3 \
         WHERE id = $1 AND status = 'active'",
    )
    .bind(id)
    .bind(reason)
    .bind(now)
    .execute(pool)
    .await?;
    Ok(())
}

/// Back to active after a successful check.
pub async fn mark_active(pool: &AnyPool, id: &AccountId, now: i64) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE social_accounts SET status = 'active', status_reason = NULL, updated_at = $2 \
         WHERE id = $1 AND status = 'needs_reconnect'",
    )
    .bind(id)
    .bind(now)
    .execute(pool)
    .await?;
    Ok(())
}

/// After a token refresh: the new sealed token and its expiry.
pub async fn replace_access_token(
    pool: &AnyPool,
    id: &AccountId,
    sealed: &str,
    token_expires_at: Option<i64>,
    now: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE social_accounts SET access_token = $2, token_expires_at = $3, updated_at = $4 \
         WHERE id = $1 AND status <> 'disconnected'",
    )
    .bind(id)
    .bind(sealed)
    .bind(token_expires_at)
    .bind(now)
    .execute(pool)
    .await?;
    Ok(())
}

/// Whether the account is the environment's, which a login never overwrites.
pub async fn is_environment(
    connection: &mut AnyConnection,
    id: &AccountId,
) -> Result<bool, sqlx::Error> {
    let row: Option<(String,)> =
        sqlx::query_as("SELECT connection FROM social_accounts WHERE id = $1")
            .bind(id)
            .fetch_optional(&mut *connection)
            .await?;
    Ok(row.is_some_and(|(connection,)| connection == Connection::Environment.as_str()))
}

/// Every account's sealed access token with the account's id (which the seal is bound to), in
/// every workspace: for checking, after a restore, that the configured key opens them.
pub async fn all_sealed_tokens(pool: &AnyPool) -> Result<Vec<(String, String)>, sqlx::Error> {
    sqlx::query_as("SELECT id, access_token FROM social_accounts WHERE access_token IS NOT NULL")
        .fetch_all(pool)
        .await
}
