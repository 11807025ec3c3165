//! Finding out whether a call that publishes, whose answer never came, posted anything —
//! before anything is tried again. Each provider reads its network back its own way
//! (`Provider::find_in_doubt`: Instagram asks the container, Facebook reads the Page's recent
//! posts); only proof that nothing was posted lets the job publish again.

use chrono::Duration;

use crate::domain::jobs::AttemptOutcome;
use crate::error::AppError;
use crate::server::db::attempts;
use crate::server::providers::{Finding, Provider, ProviderError, Target};

use super::decide;
use super::ledger_writes::{self, Entry};
use super::progress::Progress;
use super::{Run, Step};

/// Clocks differ; a post made a little "before" the attempt began by the network's clock still
/// counts.
const CLOCK_SLACK: Duration = Duration::minutes(10);
/// Failed reads before Herald stops and asks the person to look.
const READS_MAX: u32 = 5;

pub(crate) async fn reconcile(
    run: &Run<'_>,
    provider: &dyn Provider,
    target: &Target,
    progress: &mut Progress,
) -> Result<Step, AppError> {
    let started_at = match &progress.pending {
        Some(id) => attempts::find(run.state.db.pool(), id)
            .await?
            .map(|attempt| attempt.started_at),
        None => None,
    };
    let since = started_at
        .and_then(chrono::DateTime::from_timestamp_millis)
        .map(|at| at - CLOCK_SLACK);
    if !run.flush().await? {
        return Ok(Step::LeaseLost);
    }
    let finding = match provider.find_in_doubt(target, progress, since).await {
        Ok(finding) => finding,
        Err(error) => return Ok(unreadable(run, progress, &error)),
    };
    progress.failures = 0;
    Ok(match finding {
        Finding::Posted { remote_id, url } => {
            ledger_writes::note(
                run,
                "reconcile",
                &Entry {
                    remote_id: Some(&remote_id),
                    ..Entry::outcome(AttemptOutcome::FoundPosted)
                },
            );
            progress.pending = None;
            progress.in_doubt = false;
            progress.remote_id = Some(remote_id);
            progress.remote_url = url;
            Step::Continue
        }
        Finding::Absent => {
            ledger_writes::note(
                run,
                "reconcile",
                &Entry::outcome(AttemptOutcome::FoundAbsent),
            );
            progress.pending = None;
            progress.in_doubt = false;
            Step::Continue
        }
        Finding::NotYet => Step::WaitUntil(run.now() + Duration::seconds(30)),
        Finding::Unknowable(detail) => {
            ledger_writes::note(
                run,
                "reconcile",
                &Entry {
                    reason: Some("outcome_unknown"),
                    detail: Some(detail),
                    ..Entry::outcome(AttemptOutcome::OutcomeUnknown)
                },
            );
            Step::InDoubt {
                detail: Some(detail.to_owned()),
            }
        }
        Finding::Failed(detail) => Step::Failed {
            reason: "container_error",
            detail: Some(detail),
        },
    })
}

/// The network could not be read: try again later, and after a few tries ask the person.
fn unreadable(run: &Run<'_>, progress: &mut Progress, error: &ProviderError) -> Step {
    progress.failures += 1;
    let gave_up = progress.failures >= READS_MAX;
    ledger_writes::note(
        run,
        "reconcile",
        &Entry {
            reason: Some("outcome_unknown"),
            detail: Some(&error.message),
            ..Entry::outcome(if gave_up {
                AttemptOutcome::OutcomeUnknown
            } else {
                AttemptOutcome::WillRetry
            })
        },
    );
    if gave_up {
        progress.failures = 0;
        return Step::InDoubt {
            detail: Some(error.message.clone()),
        };
    }
    Step::WaitUntil(decide::later(run.now(), decide::backoff(progress.failures)))
}
