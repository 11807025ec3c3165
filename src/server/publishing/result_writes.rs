//! Writing what a run learnt: the job's progress, each account's result, and the post's
//! status derived from its accounts', written together so they never disagree.

use chrono::{DateTime, Utc};

use crate::domain::jobs::JobStatus;
use crate::domain::post_state::TargetStatus;
use crate::error::AppError;
use crate::server::db::{self, accounts};

use super::Run;
use super::batched_writes::{TargetResult, Write};
use super::progress::Progress;

/// A scheduled account's time has come: it is publishing from now on. Deferred until the run's
/// first call: the claimed job already holds off moving or cancelling the post.
pub(crate) fn begin(run: &Run<'_>) {
    run.defer(Write::StartTarget {
        target: run.target_key(),
        now: db::millis(run.now()),
    });
}

/// Saves where the job has got to, with the run's next write. Whether the lease still holds
/// is learnt then: a call that publishes is never sent without that check.
pub(crate) fn defer_progress(run: &Run<'_>, progress: &Progress) {
    run.defer(Write::ChangeJob(run.job_change(
        JobStatus::Running,
        progress,
        None,
    )));
}

/// Hands the job back to the queue until `at`, keeping its progress.
pub(crate) async fn wait_until(
    run: &Run<'_>,
    progress: &Progress,
    at: DateTime<Utc>,
) -> Result<(), AppError> {
    let change = run.job_change(JobStatus::Queued, progress, Some(db::millis(at)));
    run.write(Write::ChangeJob(change)).await?;
    Ok(())
}

/// The account's result is in doubt while Herald finds out whether the post was made.
pub(crate) async fn mark_in_doubt(run: &Run<'_>, detail: &str) -> Result<(), AppError> {
    run.write(Write::SetResult {
        target: run.target_key(),
        result: TargetResult {
            status: TargetStatus::OutcomeUnknown,
            remote_id: None,
            remote_url: None,
            reason: Some("outcome_unknown".to_owned()),
            detail: Some(detail.to_owned()),
            finished_at: None,
        },
        now: db::millis(run.now()),
    })
    .await?;
    Ok(())
}

/// The job's end: the account's final result, the post's status, the job closed — at once.
/// Nothing but the job's own row changes when another worker holds the job now: its word
/// counts, not this one's.
pub(crate) async fn settle(
    run: &Run<'_>,
    progress: &Progress,
    result: TargetResult,
) -> Result<(), AppError> {
    let job_status = if result.status == TargetStatus::Published {
        JobStatus::Done
    } else {
        JobStatus::Failed
    };
    run.write(Write::Settle {
        job: run.job_change(job_status, progress, None),
        target: run.target_key(),
        result,
        workspace_id: run.job.workspace_id.clone(),
    })
    .await?;
    Ok(())
}

/// The account's token stopped working: nothing more is sent to it until it is reconnected.
/// Written at once, outside the run's batch: it concerns the account, not this job.
pub(crate) async fn mark_account_needs_reconnect(
    run: &Run<'_>,
    reason: &'static str,
) -> Result<(), AppError> {
    accounts::mark_needs_reconnect(
        run.state.db.pool(),
        &run.job.account_id,
        reason,
        db::millis(run.now()),
    )
    .await?;
    Ok(())
}
