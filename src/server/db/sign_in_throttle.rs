//! Queries on failed sign-in counters. Kept in the database so that every Herald instance,
//! and a restarted one, sees the same counts.

use sqlx::AnyPool;

/// The latest time any of `keys` stays locked until, if one is locked at `now`.
pub async fn locked_until(
    pool: &AnyPool,
    keys: [&str; 2],
    now: i64,
) -> Result<Option<i64>, sqlx::Error> {
    let row: (Option<i64>,) = sqlx::query_as(
        "SELECT MAX(locked_until) FROM sign_in_failures \
         WHERE throttle_key IN ($1, $2) AND locked_until > $3",
    )
    .bind(keys[0])
    .bind(keys[1])
    .bind(now)
    .fetch_one(pool)
    .await?;
    Ok(row.0)
}

/// Counts one failure against `key` within a window that restarts once `window_start` has
/// passed it by, and returns the failures counted in the current window.
pub async fn record_failure(
    pool: &AnyPool,
    key: &str,
    now: i64,
    window_start: i64,
) -> Result<i64, sqlx::Error> {
    let (failures,): (i64,) = sqlx::query_as(
        "INSERT INTO sign_in_failures (throttle_key, failures, window_started_at) \
         VALUES ($1, 1, $2) \
         ON CONFLICT (throttle_key) DO UPDATE SET \
           failures = CASE WHEN sign_in_failures.window_started_at < $3 \
                           THEN 1 ELSE sign_in_failures.failures + 1 END, \
           window_started_at = CASE WHEN sign_in_failures.window_started_at < $3 \
                                    THEN $2 ELSE sign_in_failures.window_started_at END \
         RETURNING failures",
    )
    .bind(key)
    .bind(now)
    .bind(window_start)
    .fetch_one(pool)
    .await?;
    Ok(failures)
}

/// Locks `key` until `until` and starts a fresh count for after the lock.
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

pub async fn clear(pool: &AnyPool, key: &str) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM sign_in_failures WHERE throttle_key = $1")
        .bind(key)
        .execute(pool)
        .await?;
    Ok(())
}
