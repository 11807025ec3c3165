//! Queries on the calls made to the AI endpoint, counted per workspace and hour.

use sqlx::AnyPool;

use crate::domain::WorkspaceId;

/// Writes one row per call about to be made; returns their ids, to take them back.
pub async fn record(
    pool: &AnyPool,
    workspace_id: &WorkspaceId,
    calls: u32,
    now: i64,
) -> Result<Vec<i64>, sqlx::Error> {
    let mut ids = Vec::with_capacity(calls as usize);
    for _ in 0..calls {
        let (id,): (i64,) = sqlx::query_as(
            "INSERT INTO ai_calls (workspace_id, called_at) VALUES ($1, $2) RETURNING id",
        )
        .bind(workspace_id)
        .bind(now)
        .fetch_one(pool)
        .await?;
        ids.push(id);
    }
    Ok(ids)
}

/// The workspace's calls since `since`: how many, and when the oldest was made.
pub async fn since(
    pool: &AnyPool,
    workspace_id: &WorkspaceId,
    since: i64,
) -> Result<(i64, Option<i64>), sqlx::Error> {
    sqlx::query_as(
        "SELECT COUNT(*), MIN(called_at) FROM ai_calls \
         WHERE workspace_id = $1 AND called_at > $2",
    )
    .bind(workspace_id)
    .bind(since)
    .fetch_one(pool)
    .await
}

pub async fn take_back(pool: &AnyPool, ids: &[i64]) -> Result<(), sqlx::Error> {
    for id in ids {
        sqlx::query("DELETE FROM ai_calls WHERE id = $1")
            .bind(id)
            .execute(pool)
            .await?;
    }
    Ok(())
}

pub async fn delete_before(pool: &AnyPool, before: i64) -> Result<u64, sqlx::Error> {
    let done = sqlx::query("DELETE FROM ai_calls WHERE called_at <= $1")
        .bind(before)
        .execute(pool)
        .await?;
    Ok(done.rows_affected())
}
