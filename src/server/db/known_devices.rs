//! Queries on browsers that signed in successfully before (see `auth::devices`).

use sqlx::AnyPool;

use crate::domain::{EmailAddress, UserId};

/// Whether the device token with this hash signed in as the person with this email before.
pub async fn is_known_for(
    pool: &AnyPool,
    token_hash: &str,
    email: &EmailAddress,
) -> Result<bool, sqlx::Error> {
    let found: Option<(i64,)> = sqlx::query_as(
        "SELECT 1 FROM known_devices JOIN users ON users.id = known_devices.user_id \
         WHERE known_devices.token_hash = $1 AND users.email = $2",
    )
    .bind(token_hash)
    .bind(email.as_str())
    .fetch_optional(pool)
    .await?;
    Ok(found.is_some())
}

/// Records that the device with `token_hash` signed in as `user_id`, or notes its latest use.
pub async fn remember(
    pool: &AnyPool,
    token_hash: &str,
    user_id: &UserId,
    now: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO known_devices (token_hash, user_id, created_at, last_used_at) \
         VALUES ($1, $2, $3, $3) \
         ON CONFLICT (token_hash, user_id) DO UPDATE SET last_used_at = $3",
    )
    .bind(token_hash)
    .bind(user_id)
    .bind(now)
    .execute(pool)
    .await?;
    Ok(())
}

/// Carries the people a browser's old token was known for over to its new token.
pub async fn carry_over(pool: &AnyPool, old_hash: &str, new_hash: &str) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO known_devices (token_hash, user_id, created_at, last_used_at) \
         SELECT $1, user_id, created_at, last_used_at FROM known_devices WHERE token_hash = $2",
    )
    .bind(new_hash)
    .bind(old_hash)
    .execute(pool)
    .await?;
    Ok(())
}

/// Forgets devices unused since `before` (they would have to sign in once more to be known).
pub async fn delete_unused(pool: &AnyPool, before: i64) -> Result<u64, sqlx::Error> {
    let done = sqlx::query("DELETE FROM known_devices WHERE last_used_at < $1")
        .bind(before)
        .execute(pool)
        .await?;
    Ok(done.rows_affected())
}
