//! Queries on sign-in attempt counters. Kept in the database so that every Herald instance,
//! and a restarted one, sees the same counts.

use sqlx::AnyPool;

/// A key's state right after counting one more attempt.
#[derive(Debug, sqlx::FromRow)]
pub struct Counted {
    pub attempts: i64,
    pub locked_until: Option<i64>,
}

/// Counts one attempt against `key`, in a window that restarts once `window_start` has passed
/// it by. The count and the lock are read in the same statement that increments, so parallel
/// attempts each see a different count.
pub async fn count_attempt(
    pool: &AnyPool,
    key: &str,
    now: i64,
    window_start: i64,
) -> Result<Counted, sqlx::Error> {
    sqlx::query_as(
        "INSERT INTO sign_in_failures (throttle_key, failures, window_started_at) \
         VALUES ($1, 1, $2) \
         ON CONFLICT (throttle_key) DO UPDATE SET \
           failures = CASE WHEN sign_in_failures.window_started_at < $3 \
                           THEN 1 ELSE sign_in_failures.failures + 1 END, \
           window_started_at = CASE WHEN sign_in_failures.window_started_at < $3 \
                                    THEN $2 ELSE sign_in_failures.window_started_at END \
         RETURNING failures AS attempts, locked_until",
    )
    .bind(key)
    .bind(now)
    .bind(window_start)
    .fetch_one(pool)
    .await
}

/// Locks `key` until `until`; counting starts afresh when the lock ends.
pub async fn lock(pool: &AnyPool, key: &str, until: i64) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE sign_in_failures SET locked_until = $1, failures = 0, window_started_at = $1 \
         WHERE throttle_key = $2",
    )
    .bind(until)
    .bind(key)
    .execute(pool)
    .await?;
    Ok(())
}

/// Takes back one counted attempt (it turned out to be a correct password).
pub async fn uncount_attempt(pool: &AnyPool, key: &str) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE sign_in_failures SET failures = failures - 1 \
         WHERE throttle_key = $1 AND failures > 0",
    )
    .bind(key)
    .execute(pool)
    .await?;
    Ok(())
}

pub async fn clear(pool: &AnyPool, key: &str) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM sign_in_failures WHERE throttle_key = $1")
        .bind(key)
        .execute(pool)
        .await?;
    Ok(())
}

/// Forgets counters whose window and lock have both ended.
pub async fn delete_stale(pool: &AnyPool, now: i64, window_start: i64) -> Result<u64, sqlx::Error> {
    let done = sqlx::query(
        "DELETE FROM sign_in_failures WHERE window_started_at < $1 \
         AND (locked_until IS NULL OR locked_until <= $2)",
    )
    .bind(window_start)
    .bind(now)
    .execute(pool)
    .await?;
    Ok(done.rows_affected())
}
