//! Queries on sign-in attempt counters. Kept in the database so that every Herald instance,
//! and a restarted one, sees the same counts.

use sqlx::AnyPool;

/// A key's state right after an attempt was counted against it (or, while it is locked, not).
#[derive(Debug, sqlx::FromRow)]
pub struct Counted {
    pub attempts: i64,
    pub lockouts: i64,
    pub locked_until: Option<i64>,
}

/// When `key` is locked at `now`, until when.
pub async fn locked_until(pool: &AnyPool, key: &str, now: i64) -> Result<Option<i64>, sqlx::Error> {
    let found: Option<(i64,)> = sqlx::query_as(
        "SELECT locked_until FROM sign_in_failures WHERE throttle_key = $1 AND locked_until > $2",
    )
    .bind(key)
    .bind(now)
    .fetch_optional(pool)
    .await?;
    Ok(found.map(|(until,)| until))
}

/// Counts one attempt against `key`, in a window that restarts (forgetting earlier locks) once
/// `window_start` has passed it by. While the key is locked nothing changes: attempts made
/// during a lock are refused without being counted, so they cannot extend it. The count is read
/// in the same statement that increments it, so parallel attempts each see a different count.
pub async fn count_attempt(
    pool: &AnyPool,
    key: &str,
    now: i64,
    window_start: i64,
) -> Result<Counted, sqlx::Error> {
    sqlx::query_as(
        "INSERT INTO sign_in_failures (throttle_key, failures, window_started_at, lockouts) \
         VALUES ($1, 1, $2, 0) \
         ON CONFLICT (throttle_key) DO UPDATE SET \
           failures = CASE WHEN sign_in_failures.locked_until > $2 THEN sign_in_failures.failures \
                           WHEN sign_in_failures.window_started_at < $3 THEN 1 \
                           ELSE sign_in_failures.failures + 1 END, \
           lockouts = CASE WHEN sign_in_failures.locked_until > $2 THEN sign_in_failures.lockouts \
                           WHEN sign_in_failures.window_started_at < $3 THEN 0 \
                           ELSE sign_in_failures.lockouts END, \
           window_started_at = CASE WHEN sign_in_failures.locked_until > $2 \
                                    THEN sign_in_failures.window_started_at \
                                    WHEN sign_in_failures.window_started_at < $3 THEN $2 \
                                    ELSE sign_in_failures.window_started_at END \
         RETURNING failures AS attempts, lockouts, locked_until",
    )
    .bind(key)
    .bind(now)
    .bind(window_start)
    .fetch_one(pool)
    .await
}

/// Locks `key` until `until`, unless another attempt locked it first (parallel attempts over
/// the limit lock it once, not once each). Afterwards the key is left with `failures_after`
/// counted, so one more attempt is let through when the lock ends and the next
/// failure locks it again, for longer.
pub async fn lock(
    pool: &AnyPool,
    key: &str,
    until: i64,
    now: i64,
    failures_after: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE sign_in_failures \
         SET locked_until = $1, lockouts = lockouts + 1, failures = $2 \
         WHERE throttle_key = $3 AND (locked_until IS NULL OR locked_until <= $4)",
    )
    .bind(until)
    .bind(failures_after)
    .bind(key)
    .bind(now)
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
