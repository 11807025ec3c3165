//! Queries on invitations. Only the hash of an invitation's token is stored.

use sqlx::{AnyConnection, AnyPool};

use crate::domain::{InvitationId, UserId};

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct InvitationRow {
    pub id: InvitationId,
    pub created_at: i64,
    pub expires_at: i64,
    pub accepted_by_email: Option<String>,
}

pub async fn insert(
    pool: &AnyPool,
    id: &InvitationId,
    token_hash: &str,
    invited_by: &UserId,
    now: i64,
    expires_at: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO invitations (id, token_hash, invited_by, created_at, expires_at) \
         VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(id)
    .bind(token_hash)
    .bind(invited_by)
    .bind(now)
    .bind(expires_at)
    .execute(pool)
    .await?;
    Ok(())
}

/// Marks an open, unexpired invitation as used by `user_id`. Returns false when there is no
/// such invitation (unknown, expired or already used), in which case nothing changed.
pub async fn accept(
    connection: &mut AnyConnection,
    token_hash: &str,
    user_id: &UserId,
    now: i64,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "UPDATE invitations SET accepted_at = $1, accepted_by = $2 \
         WHERE token_hash = $3 AND accepted_at IS NULL AND expires_at > $1",
    )
    .bind(now)
    .bind(user_id)
    .bind(token_hash)
    .execute(connection)
    .await?;
    Ok(done.rows_affected() == 1)
}

pub async fn is_open(pool: &AnyPool, token_hash: &str, now: i64) -> Result<bool, sqlx::Error> {
    let (open,): (i64,) = sqlx::query_as(
        "SELECT CASE WHEN EXISTS (SELECT 1 FROM invitations \
         WHERE token_hash = $1 AND accepted_at IS NULL AND expires_at > $2) THEN 1 ELSE 0 END",
    )
    .bind(token_hash)
    .bind(now)
    .fetch_one(pool)
    .await?;
    Ok(open == 1)
}

pub async fn list_by(
    pool: &AnyPool,
    invited_by: &UserId,
) -> Result<Vec<InvitationRow>, sqlx::Error> {
    sqlx::query_as(
        "SELECT i.id, i.created_at, i.expires_at, u.email AS accepted_by_email \
         FROM invitations i LEFT JOIN users u ON u.id = i.accepted_by \
         WHERE i.invited_by = $1 ORDER BY i.created_at DESC",
    )
    .bind(invited_by)
    .fetch_all(pool)
    .await
}
