//! Queries on sign-in sessions. Rows are keyed by the hash of the cookie's token.

use sqlx::AnyPool;

use crate::domain::{UserId, WorkspaceId};

pub struct NewSession<'a> {
    pub token_hash: &'a str,
    pub user_id: &'a UserId,
    pub workspace_id: &'a WorkspaceId,
    pub now: i64,
    pub expires_at: i64,
    pub user_agent: Option<&'a str>,
}

/// A live session joined with the person and workspace it belongs to.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct SessionRow {
    pub user_id: UserId,
    pub email: String,
    pub display_name: String,
    pub is_owner: i64,
    pub workspace_id: WorkspaceId,
    pub workspace_name: String,
    /// 1 for the person's own workspace, made with them.
    pub personal_workspace: i64,
    pub time_zone: Option<String>,
    /// The person's role in that workspace (`domain::membership::Role`).
    pub role: String,
    pub last_seen_at: i64,
}

pub async fn insert(pool: &AnyPool, session: NewSession<'_>) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO sessions \
         (token_hash, user_id, workspace_id, created_at, last_seen_at, expires_at, user_agent) \
         VALUES ($1, $2, $3, $4, $4, $5, $6)",
    )
    .bind(session.token_hash)
    .bind(session.user_id)
    .bind(session.workspace_id)
    .bind(session.now)
    .bind(session.expires_at)
    .bind(session.user_agent)
    .execute(pool)
    .await?;
    Ok(())
}

pub async fn find_live(
    pool: &AnyPool,
    token_hash: &str,
    now: i64,
) -> Result<Option<SessionRow>, sqlx::Error> {
    sqlx::query_as(
        "SELECT s.user_id, u.email, u.display_name, u.is_owner, \
                s.workspace_id, w.name AS workspace_name, \
                CASE WHEN w.personal_for IS NULL THEN 0 ELSE 1 END AS personal_workspace, \
                u.time_zone, m.role, s.last_seen_at \
         FROM sessions s \
         JOIN users u ON u.id = s.user_id \
         JOIN workspaces w ON w.id = s.workspace_id \
         JOIN memberships m ON m.workspace_id = s.workspace_id AND m.user_id = s.user_id \
         WHERE s.token_hash = $1 AND s.expires_at > $2",
    )
    .bind(token_hash)
    .bind(now)
    .fetch_optional(pool)
    .await
}

/// Records activity and slides the expiry forward.
pub async fn touch(
    pool: &AnyPool,
    token_hash: &str,
    now: i64,
    expires_at: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE sessions SET last_seen_at = $1, expires_at = $2 WHERE token_hash = $3")
        .bind(now)
        .bind(expires_at)
        .bind(token_hash)
        .execute(pool)
        .await?;
    Ok(())
}

pub async fn delete(pool: &AnyPool, token_hash: &str) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM sessions WHERE token_hash = $1")
        .bind(token_hash)
        .execute(pool)
        .await?;
    Ok(())
}

/// A person's sessions, newest activity first, with the hash that tells which is current.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ActiveSessionRow {
    pub token_hash: String,
    pub created_at: i64,
    pub last_seen_at: i64,
    pub user_agent: Option<String>,
}

pub async fn list_live_for_user(
    pool: &AnyPool,
    user_id: &UserId,
    now: i64,
) -> Result<Vec<ActiveSessionRow>, sqlx::Error> {
    sqlx::query_as(
        "SELECT token_hash, created_at, last_seen_at, user_agent FROM sessions \
         WHERE user_id = $1 AND expires_at > $2 ORDER BY last_seen_at DESC",
    )
    .bind(user_id)
    .bind(now)
    .fetch_all(pool)
    .await
}

/// Ends every session of the person except `keep` (when given).
pub async fn delete_for_user(
    pool: &AnyPool,
    user_id: &UserId,
    keep: Option<&str>,
) -> Result<u64, sqlx::Error> {
    let done = sqlx::query("DELETE FROM sessions WHERE user_id = $1 AND token_hash <> $2")
        .bind(user_id)
        .bind(keep.unwrap_or(""))
        .execute(pool)
        .await?;
    Ok(done.rows_affected())
}

pub async fn delete_expired(pool: &AnyPool, now: i64) -> Result<u64, sqlx::Error> {
    let done = sqlx::query("DELETE FROM sessions WHERE expires_at <= $1")
        .bind(now)
        .execute(pool)
        .await?;
    Ok(done.rows_affected())
}
