//! Writing the ledger for a run: every call that matters gets a row, numbered per job and
//! step so its idempotency key is unique, and a call that publishes gets its row *before* it
//! leaves.

use crate::domain::AttemptId;
use crate::domain::jobs::{AttemptOutcome, JobStatus};
use crate::server::db;

use super::Run;
use super::batched_writes::{Ending, NewAttempt, Write};
use super::progress::Progress;

/// What the ledger says about one attempt once it is over.
pub(crate) struct Entry<'a> {
    pub outcome: AttemptOutcome,
    pub reason: Option<&'a str>,
    pub detail: Option<&'a str>,
    pub remote_id: Option<&'a str>,
}

impl<'a> Entry<'a> {
    pub fn outcome(outcome: AttemptOutcome) -> Self {
        Entry {
            outcome,
            reason: None,
            detail: None,
            remote_id: None,
        }
    }
}

fn new_attempt(run: &Run<'_>, id: &AttemptId, step: &str) -> NewAttempt {
    NewAttempt {
        id: id.clone(),
        workspace_id: run.job.workspace_id.clone(),
        target: run.target_key(),
        job_id: run.job.id.clone(),
        step: step.to_owned(),
        now: db::millis(run.now()),
    }
}

/// Opens the attempt at a call that publishes and, in the same write, names it as the job's
/// pending call. False: the job is another worker's now, so the call must not leave.
pub(crate) async fn begin_sending(
    run: &Run<'_>,
    step: &str,
    progress: &mut Progress,
) -> Result<(AttemptId, bool), sqlx::Error> {
    let id: AttemptId = db::new_id();
    progress.pending = Some(id.clone());
    let attempt = new_attempt(run, &id, step);
    let held = run
        .write(Write::OpenAttempt {
            attempt,
            progress: Some(run.job_change(JobStatus::Running, progress, None)),
        })
        .await?;
    Ok((id, held))
}

pub(crate) async fn end(
    run: &Run<'_>,
    id: &AttemptId,
    entry: &Entry<'_>,
) -> Result<(), sqlx::Error> {
    run.write(ending(run, id, entry)).await?;
    Ok(())
}

/// [`end`] with the run's next write: the answer is known, and until it is committed a crash
/// leaves the attempt "sending", which the next run treats as a call in doubt.
pub(crate) fn end_later(run: &Run<'_>, id: &AttemptId, entry: &Entry<'_>) {
    run.defer(ending(run, id, entry));
}

fn ending(run: &Run<'_>, id: &AttemptId, entry: &Entry<'_>) -> Write {
    Write::CloseAttempt(Ending {
        id: id.clone(),
        outcome: entry.outcome,
        reason: entry.reason.map(str::to_owned),
        detail: entry.detail.map(str::to_owned),
        remote_id: entry.remote_id.map(str::to_owned),
        now: db::millis(run.now()),
    })
}

/// An attempt begun and ended at once (a read, or a decision to wait), committed with the run's
/// next write.
pub(crate) fn note(run: &Run<'_>, step: &str, entry: &Entry<'_>) {
    let id: AttemptId = db::new_id();
    run.defer(Write::OpenAttempt {
        attempt: new_attempt(run, &id, step),
        progress: None,
    });
    run.defer(ending(run, &id, entry));
}
