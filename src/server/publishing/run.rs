//! One run of a publishing job: load what the account receives, notice a call that was
//! interrupted, then take steps until the job must wait, or ends.

use crate::domain::jobs::Job;
use crate::domain::jobs::{AttemptOutcome, JobStatus};
use crate::domain::post_state::TargetStatus;
use crate::error::AppError;
use crate::server::db::{self, attempts};
use crate::server::state::AppState;

use super::batched_writes::{Batcher, TargetResult, Write};
use super::ledger_writes::{self, Entry};
use super::progress::Progress;
use super::target::{self, Loaded};
use super::{Run, Step, decide, reconcile, result_writes};
use crate::server::providers::{Pause, Provider, Target};

/// Steps one run may take before handing the job back: a guard against a step that always
/// says "continue", not a limit any real post reaches.
const STEPS_PER_RUN: u32 = 64;

/// Works on claimed publishing jobs, all at once, until each waits or ends. Their writes are
/// committed together (`batched_writes`), and what they publish is read for all of them at once.
pub async fn run_jobs(state: &AppState, jobs: &[&Job], owner: &str) {
    if jobs.is_empty() {
        return;
    }
    let (batcher, writer) = Batcher::open(state.db.clone());
    match target::load_many(state, jobs).await {
        Ok(loaded) => {
            let runs = jobs.iter().zip(loaded).map(|(job, loaded)| {
                let run = Run::new(state, job, owner, &batcher);
                async move {
                    let outcome = run_job(&run, loaded).await;
                    let kept = run.flush().await;
                    if let Err(error) = outcome.and(kept.map_err(AppError::from)) {
                        // The lease runs out and the job is taken up again; its progress
                        // says where.
                        tracing::error!(job = %job.id, error = %error, "a job run failed");
                    }
                }
            });
            futures_util::future::join_all(runs).await;
        }
        Err(error) => {
            tracing::error!(%error, "what the due jobs publish could not be read; they are taken up again when their leases run out");
        }
    }
    drop(batcher);
    let _ = writer.await;
}

async fn run_job(run: &Run<'_>, loaded: Loaded) -> Result<(), AppError> {
    // Only a job that has not made progress yet can still be waiting for its time; later runs
    // (retries, polls) skip the write.
    if run.job.progress == "{}" {
        result_writes::begin(run);
    }
    let mut progress = Progress::parse(&run.job.progress);
    let target = match loaded {
        Loaded::Ready(target) => target,
        Loaded::PostGone => {
            let change = run.job_change(JobStatus::Failed, &progress, None);
            run.write(Write::ChangeJob(change)).await?;
            return Ok(());
        }
        Loaded::Unavailable(reason) => {
            // Nothing is sent; if an earlier call is in doubt, it stays so.
            if progress.in_doubt || progress.pending.is_some() {
                return end(run, &progress, Step::InDoubt { detail: None }).await;
            }
            ledger_writes::note(
                run,
                "prepare",
                &Entry {
                    reason: Some(reason),
                    ..Entry::outcome(AttemptOutcome::Failed)
                },
            );
            return end(
                run,
                &progress,
                Step::Failed {
                    reason,
                    detail: None,
                },
            )
            .await;
        }
    };
    notice_interrupted_call(run, &mut progress).await?;
    let provider = run.state.providers.of(target.network);
    for _ in 0..STEPS_PER_RUN {
        if progress.remote_id.is_none()
            && let Some(pause) = provider.pause_before_calls(&target, run.now())
        {
            return end(run, &progress, wait_for(run, pause)).await;
        }
        let step = if progress.in_doubt {
            reconcile::reconcile(run, provider, &target, &mut progress).await?
        } else if let Some(remote_id) = progress.remote_id.clone() {
            provider
                .after_publishing(run, &target, &mut progress, remote_id)
                .await?
        } else {
            provider.advance(run, &target, &mut progress).await?
        };
        let step = match step {
            Step::Live { remote_id } => read_back(run, provider, &target, remote_id).await?,
            other => other,
        };
        match step {
            Step::Continue => result_writes::defer_progress(run, &progress),
            other => {
                let outcome = other.outcome();
                end(run, &progress, other).await?;
                if let Some(outcome) = outcome {
                    let late = run.now().timestamp_millis() - run.job.due_at;
                    let metrics = &run.state.metrics;
                    metrics.publish_finished(target.network, outcome, late as f64 / 1000.0);
                }
                return Ok(());
            }
        }
    }
    result_writes::wait_until(run, &progress, run.now()).await
}

/// The live post's address, read from the network once what the run wrote is committed.
async fn read_back(
    run: &Run<'_>,
    provider: &dyn Provider,
    target: &Target,
    remote_id: String,
) -> Result<Step, AppError> {
    if !run.flush().await? {
        return Ok(Step::LeaseLost);
    }
    let url = provider.permalink(target, &remote_id).await;
    Ok(Step::Published { remote_id, url })
}

/// The network asked for a pause before more calls (a budget nearly spent): the ledger says
/// so, and the job waits rather than be blocked.
fn wait_for(run: &Run<'_>, pause: Pause) -> Step {
    ledger_writes::note(
        run,
        "check_usage",
        &Entry {
            reason: Some("rate_limited"),
            detail: Some(&pause.detail),
            ..Entry::outcome(AttemptOutcome::Waiting)
        },
    );
    Step::WaitUntil(decide::later(
        run.now(),
        decide::with_jitter(pause.wait, 0.1),
    ))
}

/// A call that publishes was made (its attempt still says "sending") and the run that made it
/// never heard back: a crash, or a lease that ran out mid-call. Its outcome is unknown until
/// reconciled. An attempt that did record its answer only needs that answer committed.
async fn notice_interrupted_call(run: &Run<'_>, progress: &mut Progress) -> Result<(), AppError> {
    let Some(pending) = progress.pending.clone() else {
        return Ok(());
    };
    if progress.in_doubt {
        return Ok(());
    }
    let Some(attempt) = attempts::find(run.state.db.pool(), &pending).await? else {
        progress.pending = None;
        return Ok(());
    };
    match attempt.outcome {
        AttemptOutcome::Sending => {
            let detail = "Herald stopped before the network answered";
            ledger_writes::end(
                run,
                &pending,
                &Entry {
                    reason: Some("outcome_unknown"),
                    detail: Some(detail),
                    ..Entry::outcome(AttemptOutcome::OutcomeUnknown)
                },
            )
            .await?;
            progress.in_doubt = true;
            result_writes::mark_in_doubt(run, detail).await?;
        }
        AttemptOutcome::Succeeded => {
            progress.pending = None;
            progress.remote_id = attempt.remote_id;
        }
        AttemptOutcome::OutcomeUnknown => progress.in_doubt = true,
        _ => progress.pending = None,
    }
    Ok(())
}

/// Acts on a step that stops this run.
async fn end(run: &Run<'_>, progress: &Progress, step: Step) -> Result<(), AppError> {
    let now = Some(db::millis(run.now()));
    let result = match step {
        Step::Continue | Step::Live { .. } => {
            return result_writes::wait_until(run, progress, run.now()).await;
        }
        Step::LeaseLost => return Ok(()),
        Step::WaitUntil(at) => return result_writes::wait_until(run, progress, at).await,
        Step::Published { remote_id, url } => TargetResult {
            status: TargetStatus::Published,
            remote_id: Some(remote_id),
            remote_url: url,
            reason: None,
            detail: None,
            finished_at: now,
        },
        Step::Failed { reason, detail } => TargetResult {
            status: TargetStatus::Failed,
            remote_id: None,
            remote_url: None,
            reason: Some(reason.to_owned()),
            detail,
            finished_at: now,
        },
        Step::InDoubt { detail } => TargetResult {
            status: TargetStatus::OutcomeUnknown,
            remote_id: None,
            remote_url: None,
            reason: Some("outcome_unknown".to_owned()),
            detail,
            finished_at: now,
        },
    };
    result_writes::settle(run, progress, result).await
}
