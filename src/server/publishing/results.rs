//! Keeping what a run learnt: the job's progress, each account's result, and the post's
//! status derived from its accounts', written together so they never disagree.

use chrono::{DateTime, Utc};

use crate::api::posts::{PostStatus, TargetStatus};
use crate::domain::PostId;
use crate::error::AppError;
use crate::server::db::{self, jobs, posts as db_posts};

use super::Run;
use super::progress::Progress;

/// A scheduled account's time has come: it is publishing from now on, and can no longer be
/// moved or cancelled.
pub(crate) async fn begin(run: &Run<'_>) -> Result<(), AppError> {
    let Some(post_id) = run.job.post_id.as_ref() else {
        return Ok(());
    };
    let mut tx = run.state.db.pool().begin().await?;
    if db_posts::start_scheduled_target(&mut tx, post_id, &run.job.account_id).await? {
        refresh_post_status(&mut tx, post_id, db::millis(run.now())).await?;
    }
    tx.commit().await?;
    Ok(())
}

/// Saves where the job has got to. False: the lease was lost.
pub(crate) async fn keep_progress(run: &Run<'_>, progress: &Progress) -> Result<bool, AppError> {
    Ok(jobs::save_progress(
        run.state.db.pool(),
        &run.job.id,
        run.owner,
        &progress.to_text(),
        db::millis(run.now()),
    )
    .await?)
}

/// Hands the job back to the queue until `at`, keeping its progress.
pub(crate) async fn wait_until(
    run: &Run<'_>,
    progress: &Progress,
    at: DateTime<Utc>,
) -> Result<(), AppError> {
    let mut tx = run.state.db.pool().begin().await?;
    jobs::release(
        &mut tx,
        &run.job.id,
        run.owner,
        &progress.to_text(),
        db::millis(at),
        db::millis(run.now()),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// The account's result is in doubt while Herald finds out whether the post was made.
pub(crate) async fn mark_in_doubt(run: &Run<'_>, detail: &str) -> Result<(), AppError> {
    let mut tx = run.state.db.pool().begin().await?;
    set_result(
        &mut tx,
        run,
        &db_posts::TargetResult {
            status: TargetStatus::OutcomeUnknown.as_str(),
            remote_id: None,
            remote_url: None,
            reason: Some("outcome_unknown"),
            detail: Some(detail),
            finished_at: None,
        },
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// The job's end: the account's final result, the post's status, the job closed — at once.
pub(crate) async fn settle(
    run: &Run<'_>,
    progress: &Progress,
    result: &db_posts::TargetResult<'_>,
) -> Result<(), AppError> {
    let job_status = if result.status == TargetStatus::Published.as_str() {
        "done"
    } else {
        "failed"
    };
    let mut tx = run.state.db.pool().begin().await?;
    let still_ours = jobs::finish(
        &mut tx,
        &run.job.id,
        run.owner,
        job_status,
        &progress.to_text(),
        db::millis(run.now()),
    )
    .await?;
    if !still_ours {
        // Another worker has the job: its word counts, not this one's.
        return Ok(());
    }
    set_result(&mut tx, run, result).await?;
    tx.commit().await?;
    Ok(())
}

async fn set_result(
    connection: &mut sqlx::AnyConnection,
    run: &Run<'_>,
    result: &db_posts::TargetResult<'_>,
) -> Result<(), AppError> {
    let post_id = run
        .job
        .post_id
        .as_ref()
        .expect("publishing jobs name their post");
    db_posts::set_target_result(connection, post_id, &run.job.account_id, result).await?;
    refresh_post_status(connection, post_id, db::millis(run.now())).await
}

pub(crate) async fn refresh_post_status(
    connection: &mut sqlx::AnyConnection,
    post_id: &PostId,
    now: i64,
) -> Result<(), AppError> {
    let statuses: Vec<TargetStatus> = db_posts::target_statuses(connection, post_id)
        .await?
        .iter()
        .filter_map(|status| TargetStatus::parse(status))
        .collect();
    let status = PostStatus::from_targets(&statuses);
    db_posts::set_status(connection, post_id, status.as_str(), now).await?;
    Ok(())
}
