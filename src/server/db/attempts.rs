//! Queries on the publishing ledger: one row per attempt at a network call, written as
//! `sending` before the call leaves and finished when its answer (or its absence) is known.

use std::collections::HashMap;

use sqlx::{AnyConnection, AnyPool};

use super::{UnknownValue, known, records};
use crate::domain::jobs::{Attempt, AttemptOutcome};
use crate::domain::{AccountId, AttemptId, JobId, PostId, WorkspaceId};

#[derive(Debug, Clone, sqlx::FromRow)]
struct AttemptRow {
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

impl TryFrom<AttemptRow> for Attempt {
    type Error = UnknownValue;

    fn try_from(row: AttemptRow) -> Result<Attempt, UnknownValue> {
        Ok(Attempt {
            outcome: known(
                AttemptOutcome::parse,
                ("publish_attempts", &row.id),
                "outcome",
                &row.outcome,
            )?,
            id: row.id,
            account_id: row.account_id,
            step: row.step,
            reason: row.reason,
            detail: row.detail,
            remote_id: row.remote_id,
            started_at: row.started_at,
            finished_at: row.finished_at,
        })
    }
}

pub struct NewAttempt<'a> {
    pub id: &'a AttemptId,
    pub workspace_id: &'a WorkspaceId,
    pub post_id: &'a PostId,
    pub account_id: &'a AccountId,
    pub job_id: &'a JobId,
    pub step: &'a str,
    pub now: i64,
}

/// Opens attempts, marked "sending". Each gets the idempotency key `job/step/n`, `n`
/// counting its job's attempts at that step, so the key never repeats.
pub async fn begin_many(
    connection: &mut AnyConnection,
    attempts: &[NewAttempt<'_>],
) -> Result<(), sqlx::Error> {
    if attempts.is_empty() {
        return Ok(());
    }
    let mut made = counts_by_step(&mut *connection, attempts).await?;
    let sql = format!(
        "INSERT INTO publish_attempts (id, workspace_id, post_id, account_id, job_id, step, \
             idempotency_key, outcome, started_at) VALUES {}",
        super::value_rows(super::Engine::of_connection(connection), attempts.len(), 9)
    );
    let mut query = sqlx::query(&sql);
    for attempt in attempts {
        let count = made
            .entry((attempt.job_id.as_str(), attempt.step))
            .or_default();
        *count += 1;
        query = query
            .bind(attempt.id)
            .bind(attempt.workspace_id)
            .bind(attempt.post_id)
            .bind(attempt.account_id)
            .bind(attempt.job_id)
            .bind(attempt.step)
            .bind(format!("{}/{}/{count}", attempt.job_id, attempt.step))
            .bind(AttemptOutcome::Sending.as_str())
            .bind(attempt.now);
    }
    query.execute(connection).await?;
    Ok(())
}

/// How many attempts the jobs of `attempts` have made so far, by job and step.
async fn counts_by_step<'a>(
    connection: &mut AnyConnection,
    attempts: &'a [NewAttempt<'a>],
) -> Result<HashMap<(&'a str, &'a str), i64>, sqlx::Error> {
    let sql = format!(
        "SELECT job_id, step, COUNT(*) FROM publish_attempts WHERE job_id IN ({}) \
         GROUP BY job_id, step",
        super::placeholders(1, attempts.len())
    );
    let mut query = sqlx::query_as(&sql);
    for attempt in attempts {
        query = query.bind(attempt.job_id);
    }
    let rows: Vec<(String, String, i64)> = query.fetch_all(connection).await?;
    let mut counts = HashMap::new();
    for attempt in attempts {
        if let Some((_, _, count)) = rows
            .iter()
            .find(|(job, step, _)| job == attempt.job_id.as_str() && step == attempt.step)
        {
            counts.insert((attempt.job_id.as_str(), attempt.step), *count);
        }
    }
    Ok(counts)
}

pub struct Ending<'a> {
    pub id: &'a AttemptId,
    pub outcome: AttemptOutcome,
    pub reason: Option<&'a str>,
    pub detail: Option<&'a str>,
    pub remote_id: Option<&'a str>,
    pub now: i64,
}

/// Writes how attempts ended.
pub async fn finish_many(
    connection: &mut AnyConnection,
    endings: &[Ending<'_>],
) -> Result<(), sqlx::Error> {
    if endings.is_empty() {
        return Ok(());
    }
    let sql = format!(
        "WITH ending (attempt_id, new_outcome, new_reason, new_detail, new_remote_id, ended_at) \
             AS (VALUES {}) \
         UPDATE publish_attempts SET outcome = ending.new_outcome, reason = ending.new_reason, \
             detail = ending.new_detail, remote_id = ending.new_remote_id, \
             finished_at = CAST(ending.ended_at AS BIGINT) \
         FROM ending WHERE publish_attempts.id = ending.attempt_id",
        super::value_rows(super::Engine::of_connection(connection), endings.len(), 6)
    );
    let mut query = sqlx::query(&sql);
    for ending in endings {
        query = query
            .bind(ending.id)
            .bind(ending.outcome.as_str())
            .bind(ending.reason)
            .bind(ending.detail)
            .bind(ending.remote_id)
            .bind(ending.now);
    }
    query.execute(connection).await?;
    Ok(())
}

pub async fn find(pool: &AnyPool, id: &AttemptId) -> Result<Option<Attempt>, sqlx::Error> {
    let row: Option<AttemptRow> = sqlx::query_as(
        "SELECT id, account_id, step, outcome, reason, detail, remote_id, started_at, \
             finished_at FROM publish_attempts WHERE id = $1",
    )
    .bind(id)
    .fetch_optional(pool)
    .await?;
    Ok(row.map(Attempt::try_from).transpose()?)
}

pub async fn of_post(
    pool: &AnyPool,
    workspace_id: &WorkspaceId,
    post_id: &PostId,
) -> Result<Vec<Attempt>, sqlx::Error> {
    let rows: Vec<AttemptRow> = sqlx::query_as(
        "SELECT id, account_id, step, outcome, reason, detail, remote_id, started_at, \
             finished_at FROM publish_attempts \
         WHERE workspace_id = $1 AND post_id = $2 ORDER BY started_at, id",
    )
    .bind(workspace_id)
    .bind(post_id)
    .fetch_all(pool)
    .await?;
    records(rows)
}
