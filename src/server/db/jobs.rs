//! Queries on the job queue. Claiming is the one statement that differs between the engines:
//! PostgreSQL skips rows another instance is claiming (`FOR UPDATE SKIP LOCKED`); SQLite has
//! one writer at a time, so the plain statement is already exclusive.

use sqlx::{AnyConnection, AnyPool};

use super::Engine;
use super::{UnknownValue, known};
use crate::domain::jobs::{Job, JobKind, JobStatus};
use crate::domain::{AccountId, JobId, PostId, WorkspaceId};

#[derive(Debug, Clone, sqlx::FromRow)]
struct JobRow {
    id: JobId,
    workspace_id: WorkspaceId,
    kind: String,
    post_id: Option<PostId>,
    account_id: AccountId,
    progress: String,
    due_at: i64,
}

/// A claimed job whose kind this Herald does not know (a newer version queued it): kept apart
/// so it can be ended by id rather than hold its account's queue.
#[derive(Debug)]
pub struct UnknownJob {
    pub id: JobId,
    pub progress: String,
    pub error: UnknownValue,
}

/// What a claim took: a job this Herald runs, or one it must end.
#[derive(Debug)]
pub enum Claimed {
    Known(Job),
    Unknown(UnknownJob),
}

fn claimed(row: JobRow) -> Claimed {
    match known(JobKind::parse, ("jobs", &row.id), "kind", &row.kind) {
        Ok(kind) => Claimed::Known(Job {
            id: row.id,
            workspace_id: row.workspace_id,
            kind,
            post_id: row.post_id,
            account_id: row.account_id,
            progress: row.progress,
            due_at: row.due_at,
        }),
        Err(error) => Claimed::Unknown(UnknownJob {
            id: row.id,
            progress: row.progress,
            error,
        }),
    }
}

pub struct NewJob<'a> {
    pub workspace_id: &'a WorkspaceId,
    pub kind: JobKind,
    pub post_id: Option<&'a PostId>,
    pub account_id: &'a AccountId,
    pub due_at: i64,
    pub now: i64,
}

/// Queues a job, or — when this post target already has one (a second press of Publish, a
/// retry after a failure) — puts that one back in the queue with fresh progress, unless it is
/// queued or running already. False: nothing changed because it is.
pub async fn enqueue(
    connection: &mut AnyConnection,
    job: &NewJob<'_>,
) -> Result<bool, sqlx::Error> {
    let id: JobId = super::new_id();
    let done = sqlx::query(
        "INSERT INTO jobs (id, workspace_id, kind, post_id, account_id, status, due_at, progress, \
             created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, 'queued', $6, '{}', $7, $7) \
         ON CONFLICT (post_id, account_id) WHERE kind = 'publish' DO UPDATE \
             SET status = 'queued', due_at = $6, progress = '{}', lease_owner = NULL, \
                 lease_until = NULL, updated_at = $7 \
             WHERE jobs.status IN ('done', 'failed')",
    )
    .bind(&id)
    .bind(job.workspace_id)
    .bind(job.kind.as_str())
    .bind(job.post_id)
    .bind(job.account_id)
    .bind(job.due_at)
    .bind(job.now)
    .execute(connection)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Plans the account's token check for `due_at`, or sooner if one is already planned sooner.
/// A check under way is left alone: it plans its own next one when it ends.
pub async fn plan_check(
    connection: &mut AnyConnection,
    workspace_id: &WorkspaceId,
    account_id: &AccountId,
    due_at: i64,
    now: i64,
) -> Result<(), sqlx::Error> {
    let id: JobId = super::new_id();
    sqlx::query(
        "INSERT INTO jobs (id, workspace_id, kind, post_id, account_id, status, due_at, progress, \
             created_at, updated_at) \
         VALUES ($1, $2, 'check_account', NULL, $3, 'queued', $4, '{}', $5, $5) \
         ON CONFLICT (account_id) WHERE kind = 'check_account' DO UPDATE \
             SET due_at = CASE WHEN jobs.status = 'queued' AND jobs.due_at < excluded.due_at \
                     THEN jobs.due_at ELSE excluded.due_at END, \
                 status = 'queued', updated_at = excluded.updated_at \
             WHERE jobs.status <> 'running'",
    )
    .bind(&id)
    .bind(workspace_id)
    .bind(account_id)
    .bind(due_at)
    .bind(now)
    .execute(connection)
    .await?;
    Ok(())
}

/// When the account's next post that has not started is due, after `after`.
pub async fn next_post_due(
    pool: &AnyPool,
    account_id: &AccountId,
    after: i64,
) -> Result<Option<i64>, sqlx::Error> {
    let row: Option<(Option<i64>,)> = sqlx::query_as(
        "SELECT MIN(due_at) FROM jobs \
         WHERE account_id = $1 AND kind = 'publish' AND status = 'queued' AND due_at > $2",
    )
    .bind(account_id)
    .bind(after)
    .fetch_optional(pool)
    .await?;
    Ok(row.and_then(|(due,)| due))
}

/// Candidates a claim looks at per job it wants: room for several due jobs of one account,
/// of which only the first can be taken.
const CANDIDATES_PER_JOB: usize = 4;

/// Takes up to `limit` due jobs — or ones whose worker's lease ran out — for `owner` until
/// `lease_until`, earliest first, at most one per account and none of an account that has
/// another job running (its lease run out or not: that one is taken over first): one job per
/// account at a time. A unique index backs this up across instances; losing that race to
/// another instance leaves the batch to the next claim.
pub async fn claim(
    pool: &AnyPool,
    engine: Engine,
    owner: &str,
    now: i64,
    lease_until: i64,
    limit: usize,
) -> Result<Vec<Claimed>, sqlx::Error> {
    let lock = match engine {
        Engine::Postgres => "FOR UPDATE SKIP LOCKED",
        Engine::Sqlite => "",
    };
    let sql = format!(
        "UPDATE jobs SET status = 'running', lease_owner = $1, lease_until = $3, updated_at = $2 \
         WHERE id IN ( \
             SELECT id FROM ( \
                 SELECT id, due_at, \
                     ROW_NUMBER() OVER (PARTITION BY account_id ORDER BY due_at, id) AS place \
                 FROM ( \
                     SELECT candidate.id, candidate.account_id, candidate.due_at \
                     FROM jobs AS candidate \
                     WHERE ((candidate.status = 'queued' AND candidate.due_at <= $2) \
                         OR (candidate.status = 'running' AND candidate.lease_until < $2)) \
                       AND NOT EXISTS (SELECT 1 FROM jobs AS busy \
                           WHERE busy.account_id = candidate.account_id \
                             AND busy.id <> candidate.id AND busy.status = 'running') \
                     ORDER BY candidate.due_at, candidate.id LIMIT $5 {lock}) AS due \
             ) AS ranked \
             WHERE place = 1 ORDER BY due_at, id LIMIT $4) \
         RETURNING id, workspace_id, kind, post_id, account_id, progress, due_at"
    );
    // Another instance may take a job of one of these accounts a moment earlier (the unique
    // index refuses the second): the next try sees it running and passes over that account.
    // Lost twice, the batch is left to the next claim.
    for _ in 0..2 {
        let answer: Result<Vec<JobRow>, sqlx::Error> = sqlx::query_as(&sql)
            .bind(owner)
            .bind(now)
            .bind(lease_until)
            .bind(limit as i64)
            .bind((limit * CANDIDATES_PER_JOB) as i64)
            .fetch_all(pool)
            .await;
        match answer {
            Err(error) if super::is_unique_violation(&error) => continue,
            Err(error) => return Err(error),
            Ok(mut claimed) => {
                claimed.sort_by(|a, b| (a.due_at, &a.id).cmp(&(b.due_at, &b.id)));
                return Ok(claimed.into_iter().map(self::claimed).collect());
            }
        }
    }
    Ok(Vec::new())
}

/// [`claim`] of one job.
pub async fn claim_next(
    pool: &AnyPool,
    engine: Engine,
    owner: &str,
    now: i64,
    lease_until: i64,
) -> Result<Option<Claimed>, sqlx::Error> {
    Ok(claim(pool, engine, owner, now, lease_until, 1).await?.pop())
}

/// What a worker writes to a job it holds: where the job has got to, and whether the worker
/// keeps it (`running`), hands it back to the queue until `due_at` (`queued`), or ends it
/// (`done`, `failed`).
pub struct JobChange<'a> {
    pub id: &'a JobId,
    pub owner: &'a str,
    pub status: JobStatus,
    pub progress: &'a str,
    pub due_at: Option<i64>,
    pub now: i64,
}

/// Writes changes to jobs, each only if `owner` still holds it. Returns the jobs changed: one
/// missing was taken over by another worker, whose word counts from then on.
pub async fn change_held(
    connection: &mut AnyConnection,
    changes: &[JobChange<'_>],
) -> Result<Vec<JobId>, sqlx::Error> {
    if changes.is_empty() {
        return Ok(Vec::new());
    }
    let sql = format!(
        "WITH change (job_id, owner, new_status, new_progress, new_due_at, changed_at) \
             AS (VALUES {}) \
         UPDATE jobs SET status = change.new_status, progress = change.new_progress, \
             due_at = COALESCE(CAST(change.new_due_at AS BIGINT), jobs.due_at), \
             lease_owner = CASE WHEN change.new_status = 'running' THEN jobs.lease_owner END, \
             lease_until = CASE WHEN change.new_status = 'running' THEN jobs.lease_until END, \
             updated_at = CAST(change.changed_at AS BIGINT) \
         FROM change \
         WHERE jobs.id = change.job_id AND jobs.lease_owner = change.owner \
           AND jobs.status = 'running' \
         RETURNING id",
        super::value_rows(super::Engine::of_connection(connection), changes.len(), 6)
    );
    let mut query = sqlx::query_as(&sql);
    for change in changes {
        query = query
            .bind(change.id)
            .bind(change.owner)
            .bind(change.status.as_str())
            .bind(change.progress)
            .bind(change.due_at)
            .bind(change.now);
    }
    let changed: Vec<(JobId,)> = query.fetch_all(connection).await?;
    Ok(changed.into_iter().map(|(id,)| id).collect())
}

/// Hands the job back to the queue, due at `due_at`. False: another worker holds it now.
pub async fn release(
    connection: &mut AnyConnection,
    id: &JobId,
    owner: &str,
    progress: &str,
    due_at: i64,
    now: i64,
) -> Result<bool, sqlx::Error> {
    let change = JobChange {
        id,
        owner,
        status: JobStatus::Queued,
        progress,
        due_at: Some(due_at),
        now,
    };
    Ok(!change_held(connection, &[change]).await?.is_empty())
}

/// Ends the job: `status` is done or failed. False: another worker holds it now.
pub async fn finish(
    connection: &mut AnyConnection,
    id: &JobId,
    owner: &str,
    status: JobStatus,
    progress: &str,
    now: i64,
) -> Result<bool, sqlx::Error> {
    let change = JobChange {
        id,
        owner,
        status,
        progress,
        due_at: None,
        now,
    };
    Ok(!change_held(connection, &[change]).await?.is_empty())
}

/// A post's publishing jobs that have not started: still queued, and their account still
/// waiting for its time (a job handed back to the queue after starting has its account
/// publishing). The fence for moving, unscheduling and cancelling.
const NOT_STARTED: &str = "post_id = $1 AND kind = 'publish' AND status = 'queued' \
     AND EXISTS (SELECT 1 FROM post_targets WHERE post_targets.post_id = jobs.post_id \
         AND post_targets.account_id = jobs.account_id AND post_targets.status = 'scheduled')";

/// Moves the post's jobs that have not started to `due_at`. How many moved: fewer than the
/// post has accounts means publishing has started for some.
pub async fn move_not_started(
    connection: &mut AnyConnection,
    post_id: &PostId,
    due_at: i64,
    now: i64,
) -> Result<u64, sqlx::Error> {
    let done = sqlx::query(&format!(
        "UPDATE jobs SET due_at = $2, updated_at = $3 WHERE {NOT_STARTED}"
    ))
    .bind(post_id)
    .bind(due_at)
    .bind(now)
    .execute(connection)
    .await?;
    Ok(done.rows_affected())
}

/// Removes the post's jobs that have not started. How many went (see [`move_not_started`]).
pub async fn remove_not_started(
    connection: &mut AnyConnection,
    post_id: &PostId,
) -> Result<u64, sqlx::Error> {
    let done = sqlx::query(&format!("DELETE FROM jobs WHERE {NOT_STARTED}"))
        .bind(post_id)
        .execute(connection)
        .await?;
    Ok(done.rows_affected())
}

/// When the next queued job is due, if any: how long the worker may sleep.
pub async fn next_due(pool: &AnyPool) -> Result<Option<i64>, sqlx::Error> {
    let row: Option<(Option<i64>,)> = sqlx::query_as(
        "SELECT MIN(CASE WHEN status = 'queued' THEN due_at ELSE lease_until END) FROM jobs \
         WHERE status IN ('queued', 'running')",
    )
    .fetch_optional(pool)
    .await?;
    Ok(row.and_then(|(due,)| due))
}

/// The publishing job of one post target, for "check again".
pub async fn find_publish_job(
    pool: &AnyPool,
    workspace_id: &WorkspaceId,
    post_id: &PostId,
    account_id: &AccountId,
) -> Result<Option<JobId>, sqlx::Error> {
    let row: Option<(JobId,)> = sqlx::query_as(
        "SELECT id FROM jobs \
         WHERE workspace_id = $1 AND post_id = $2 AND account_id = $3 AND kind = 'publish'",
    )
    .bind(workspace_id)
    .bind(post_id)
    .bind(account_id)
    .fetch_optional(pool)
    .await?;
    Ok(row.map(|(id,)| id))
}

/// Puts an ended job back in the queue, due now, keeping its progress ("check again").
pub async fn requeue(pool: &AnyPool, id: &JobId, now: i64) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "UPDATE jobs SET status = 'queued', due_at = $2, updated_at = $2 \
         WHERE id = $1 AND status IN ('done', 'failed')",
    )
    .bind(id)
    .bind(now)
    .execute(pool)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// How many jobs of each kind are in each state, for `/metrics`.
pub async fn count_by_kind_and_status(
    pool: &AnyPool,
) -> Result<Vec<(String, String, i64)>, sqlx::Error> {
    sqlx::query_as("SELECT kind, status, COUNT(*) FROM jobs GROUP BY kind, status")
        .fetch_all(pool)
        .await
}

/// Extends every lease `owner` holds on a running job until `lease_until`: the heartbeat of a
/// live worker. Returns how many it renewed.
pub async fn renew_leases(
    pool: &AnyPool,
    owner: &str,
    now: i64,
    lease_until: i64,
) -> Result<u64, sqlx::Error> {
    let done = sqlx::query(
        "UPDATE jobs SET lease_until = $1, updated_at = $2 \
         WHERE lease_owner = $3 AND status = 'running'",
    )
    .bind(lease_until)
    .bind(now)
    .bind(owner)
    .execute(pool)
    .await?;
    Ok(done.rows_affected())
}

/// Ends at once the leases held by owners whose name starts with `instance` other than
/// `owner`: earlier runs of this same instance, which are dead (this one listens where they
/// did), so their jobs need not wait out their leases. With `owner` empty, this instance's own
/// leases end too (a clean shutdown hands its jobs on).
pub async fn end_leases_of_instance(
    pool: &AnyPool,
    instance: &str,
    owner: &str,
    now: i64,
) -> Result<u64, sqlx::Error> {
    let done = sqlx::query(
        "UPDATE jobs SET lease_until = $1, updated_at = $2 \
         WHERE status = 'running' AND SUBSTR(lease_owner, 1, LENGTH($3)) = $3 \
           AND lease_owner <> $4",
    )
    .bind(now - 1)
    .bind(now)
    .bind(instance)
    .bind(owner)
    .execute(pool)
    .await?;
    Ok(done.rows_affected())
}
