//! The call that publishes, made at most once per attempt: its ledger row and the job's
//! progress name it *before* it leaves, so whatever happens next — an answer, a timeout, a
//! crash — the next run knows the call may have been made and never repeats it blindly.

use std::future::Future;

use chrono::Duration;

use crate::domain::jobs::AttemptOutcome;
use crate::error::AppError;
use crate::server::providers::ProviderError;

use super::ledger_writes::{self, Entry};
use super::progress::Progress;
use super::{Run, Step, decide, result_writes};

/// Time for the network to settle before Herald asks it what happened to a call whose answer
/// was lost.
const SETTLE_BEFORE_RECONCILING: Duration = Duration::seconds(30);

/// What the publishing call answered: the new post's id, and its address when given.
pub(crate) type Made = (String, Option<String>);

/// Makes `call`, the one that publishes, once: named in the ledger and the job before it
/// leaves; its answer, or its absence, decides what comes next.
pub(crate) async fn publish_once<F, Fut>(
    run: &Run<'_>,
    progress: &mut Progress,
    step: &str,
    call: F,
) -> Result<Step, AppError>
where
    F: FnOnce() -> Fut,
    Fut: Future<Output = Result<Made, ProviderError>>,
{
    let (attempt, held) = ledger_writes::begin_sending(run, step, progress).await?;
    if !held {
        // Another worker owns the job now; the attempt never left, so say so.
        ledger_writes::end(run, &attempt, &Entry::outcome(AttemptOutcome::Failed)).await?;
        return Ok(Step::LeaseLost);
    }
    match call().await {
        Ok((remote_id, url)) => {
            ledger_writes::end_later(
                run,
                &attempt,
                &Entry {
                    remote_id: Some(&remote_id),
                    ..Entry::outcome(AttemptOutcome::Succeeded)
                },
            );
            progress.pending = None;
            progress.failures = 0;
            progress.remote_id = Some(remote_id);
            progress.remote_url = url;
            Ok(Step::Continue)
        }
        Err(error) if error.maybe_done => {
            // Kept with the result below.
            ledger_writes::end_later(
                run,
                &attempt,
                &Entry {
                    reason: Some("outcome_unknown"),
                    detail: Some(&error.message),
                    ..Entry::outcome(AttemptOutcome::OutcomeUnknown)
                },
            );
            progress.in_doubt = true;
            result_writes::mark_in_doubt(run, &error.message).await?;
            Ok(Step::WaitUntil(run.now() + SETTLE_BEFORE_RECONCILING))
        }
        Err(error) => {
            progress.pending = None;
            let decision = weigh(run, progress, &error).await?;
            // Kept with whatever the decision writes next.
            ledger_writes::end_later(
                run,
                &attempt,
                &Entry {
                    reason: Some(decision.reason),
                    detail: Some(&error.message),
                    ..Entry::outcome(decision.outcome)
                },
            );
            Ok(decision.step)
        }
    }
}

/// A call that changes nothing visible (an upload left unpublished, a container, a read):
/// safe to repeat, so a failure is only weighed, and the ledger told.
pub(crate) async fn try_call<T, Fut, E>(
    run: &Run<'_>,
    progress: &mut Progress,
    step: &str,
    call: Fut,
) -> Result<Result<T, Step>, AppError>
where
    Fut: Future<Output = Result<T, E>>,
    E: Into<ProviderError>,
{
    if !run.flush().await? {
        return Ok(Err(Step::LeaseLost));
    }
    match call.await.map_err(Into::into) {
        Ok(value) => {
            progress.failures = 0;
            Ok(Ok(value))
        }
        Err(error) => {
            let decision = weigh(run, progress, &error).await?;
            ledger_writes::note(
                run,
                step,
                &Entry {
                    reason: Some(decision.reason),
                    detail: Some(&error.message),
                    ..Entry::outcome(decision.outcome)
                },
            );
            Ok(Err(decision.step))
        }
    }
}

/// What follows a clean failure, with the account marked for reconnecting when its token is
/// what failed.
async fn weigh(
    run: &Run<'_>,
    progress: &mut Progress,
    error: &ProviderError,
) -> Result<decide::Decision, AppError> {
    let decision = decide::after_error(progress, error, run.now());
    if let Some(reason) = decision.account_reason {
        result_writes::mark_account_needs_reconnect(run, reason).await?;
    }
    Ok(decision)
}
