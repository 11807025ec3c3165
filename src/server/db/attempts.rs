//! Queries on the publishing ledger: one row per attempt at a network call, written as
//! `sending` before the call leaves and finished when its answer (or its absence) is known.

use sqlx::AnyPool;

use crate::domain::{AccountId, AttemptId, JobId, PostId, WorkspaceId};

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct AttemptRow {
    pub id: AttemptId,
    pub account_id: AccountId,
    pub step: String,
    pub outcome: String,
    pub reason: Option<String>,
    pub detail: Option<String>,
    pub remote_id: Option<String>,
    pub started_at: i64,
    pub finished_at: Option<i64>,
}

pub struct NewAttempt<'a> {
    pub workspace_id: &'a WorkspaceId,
    pub post_id: &'a PostId,
    pub account_id: &'a AccountId,
    pub job_id: &'a JobId,
    pub step: &'a str,
    pub idempotency_key: &'a str,
    pub now: i64,
}

/// Records that a call is about to be made. Fails on a key already used: the same call under
/// the same key is never made twice.
pub async fn begin(pool: &AnyPool, attempt: &NewAttempt<'_>) -> Result<AttemptId, sqlx::Error> {
    let id: AttemptId = super::new_id();
    sqlx::query(
        "INSERT INTO publish_attempts (id, workspace_id, post_id, account_id, job_id, step, \
             idempotency_key, outcome, started_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, 'sending', $8)",
    )
    .bind(&id)
    .bind(attempt.workspace_id)
    .bind(attempt.post_id)
    .bind(attempt.account_id)
    .bind(attempt.job_id)
    .bind(attempt.step)
    .bind(attempt.idempotency_key)
    .bind(attempt.now)
    .execute(pool)
    .await?;
    Ok(id)
}

pub struct Ending<'a> {
    pub outcome: &'a str,
    pub reason: Option<&'a str>,
    pub detail: Option<&'a str>,
    pub remote_id: Option<&'a str>,
    pub now: i64,
}

pub async fn finish(
    pool: &AnyPool,
    id: &AttemptId,
    ending: &Ending<'_>,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE publish_attempts SET outcome = $2, reason = $3, detail = $4, remote_id = $5, \
             finished_at = $6 WHERE id = $1",
    )
    .bind(id)
    .bind(ending.outcome)
    .bind(ending.reason)
    .bind(ending.detail)
    .bind(ending.remote_id)
    .bind(ending.now)
    .execute(pool)
    .await?;
    Ok(())
}

pub async fn find(pool: &AnyPool, id: &AttemptId) -> Result<Option<AttemptRow>, sqlx::Error> {
    sqlx::query_as(
        "SELECT id, account_id, step, outcome, reason, detail, remote_id, started_at, \
             finished_at FROM publish_attempts WHERE id = $1",
    )
    .bind(id)
    .fetch_optional(pool)
    .await
}

/// How many attempts the job has made at `step`: numbers the next one's key.
pub async fn count_for_step(
    pool: &AnyPool,
    job_id: &JobId,
    step: &str,
) -> Result<i64, sqlx::Error> {
    let (count,): (i64,) =
        sqlx::query_as("SELECT COUNT(*) FROM publish_attempts WHERE job_id = $1 AND step = $2")
            .bind(job_id)
            .bind(step)
            .fetch_one(pool)
            .await?;
    Ok(count)
}

/// The post's ledger, oldest first.
pub async fn of_post(
    pool: &AnyPool,
    workspace_id: &WorkspaceId,
    post_id: &PostId,
) -> Result<Vec<AttemptRow>, sqlx::Error> {
    sqlx::query_as(
        "SELECT id, account_id, step, outcome, reason, detail, remote_id, started_at, \
             finished_at FROM publish_attempts \
         WHERE workspace_id = $1 AND post_id = $2 ORDER BY started_at, id",
    )
    .bind(workspace_id)
    .bind(post_id)
    .fetch_all(pool)
    .await
}
