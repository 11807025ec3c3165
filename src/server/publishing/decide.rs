//! What to do after a network call failed cleanly (the network said no, so nothing was
//! made): wait and try again, or stop and say why, from the error's shared classification.

use std::time::Duration;

use chrono::{DateTime, Utc};
use rand::Rng;

use crate::domain::jobs::AttemptOutcome;
use crate::server::providers::{ErrorKind, ProviderError};

use super::Step;
use super::progress::Progress;

/// Temporary failures in a row before Herald stops trying (spec §4.4 step 5: ≤5 tries).
pub(crate) const MAX_TEMPORARY_FAILURES: u32 = 5;
const FIRST_BACKOFF: Duration = Duration::from_secs(2);
const LONGEST_BACKOFF: Duration = Duration::from_secs(5 * 60);
/// Publishing refused as "not ready" this many times in a row is given up on.
const NOT_READY_RETRIES: u32 = 20;
/// Tries of a refusal known to pass sometimes, before it counts as final.
const REFUSED_RETRIES: u32 = 2;

/// A decision, with what the ledger says about the failed attempt.
pub(crate) struct Decision {
    pub step: Step,
    /// `will_retry`, `waiting` or `failed`.
    pub outcome: AttemptOutcome,
    pub reason: &'static str,
    /// Why the account must be reconnected (`token_rejected`, `permission_missing`), when the
    /// token is what failed.
    pub account_reason: Option<&'static str>,
}

/// Decides what follows `error` at `now`. Writes nothing: the caller records the decision.
pub(crate) fn after_error(
    progress: &mut Progress,
    error: &ProviderError,
    now: DateTime<Utc>,
) -> Decision {
    match &error.kind {
        ErrorKind::Reconnect | ErrorKind::PermissionMissing => {
            let reason = match error.kind {
                ErrorKind::PermissionMissing => "permission_missing",
                _ => "reconnect",
            };
            Decision {
                account_reason: error.account_reason(),
                ..failed(reason, error)
            }
        }
        ErrorKind::RateLimited {
            retry_after,
            at_least,
            reason,
        } => {
            let wait = retry_after.unwrap_or(*at_least).max(*at_least);
            Decision {
                step: Step::WaitUntil(later(now, with_jitter(wait, 0.1))),
                outcome: AttemptOutcome::Waiting,
                reason,
                account_reason: None,
            }
        }
        ErrorKind::NotReady if progress.polls < NOT_READY_RETRIES => {
            // What was prepared is read again before the next try.
            progress.container_ready = false;
            progress.polls += 1;
            Decision {
                step: Step::WaitUntil(later(now, Duration::from_secs(5))),
                outcome: AttemptOutcome::WillRetry,
                reason: "not_ready",
                account_reason: None,
            }
        }
        ErrorKind::NotReady => failed("content_refused", error),
        ErrorKind::Temporary => retry_or_give_up(progress, now, "network_unavailable", error),
        ErrorKind::Refused {
            reason,
            worth_retrying: true,
        } if progress.failures < REFUSED_RETRIES => retry_or_give_up(progress, now, reason, error),
        ErrorKind::Refused { reason, .. } => failed(reason, error),
    }
}

fn failed(reason: &'static str, error: &ProviderError) -> Decision {
    Decision {
        step: Step::Failed {
            reason,
            detail: Some(error.message.clone()),
        },
        outcome: AttemptOutcome::Failed,
        reason,
        account_reason: None,
    }
}

/// Exponential backoff with jitter for a temporary failure, until the tries run out.
pub(crate) fn retry_or_give_up(
    progress: &mut Progress,
    now: DateTime<Utc>,
    reason: &'static str,
    error: &ProviderError,
) -> Decision {
    progress.failures += 1;
    if progress.failures >= MAX_TEMPORARY_FAILURES {
        return failed(reason, error);
    }
    Decision {
        step: Step::WaitUntil(later(now, backoff(progress.failures))),
        outcome: AttemptOutcome::WillRetry,
        reason,
        account_reason: None,
    }
}

/// 2 s, 4 s, 8 s… up to 5 minutes, each drawn between half and all of it, so many jobs that
/// failed together do not all come back at the same instant.
pub(crate) fn backoff(failures: u32) -> Duration {
    let doubled = FIRST_BACKOFF.saturating_mul(1 << failures.saturating_sub(1).min(16));
    let ceiling = doubled.min(LONGEST_BACKOFF);
    let half = ceiling / 2;
    half + half.mul_f64(rand::thread_rng().gen_range(0.0..=1.0))
}

/// `wait`, give or take `spread` of it.
pub(crate) fn with_jitter(wait: Duration, spread: f64) -> Duration {
    wait.mul_f64(1.0 + rand::thread_rng().gen_range(0.0..=spread))
}

pub(crate) fn later(now: DateTime<Utc>, wait: Duration) -> DateTime<Utc> {
    now + chrono::Duration::from_std(wait).unwrap_or(chrono::Duration::hours(1))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_within_its_jitter_and_stops_growing_at_five_minutes() {
        for failures in 1..=12 {
            let ceiling = (2u64 << (failures - 1)).min(300);
            let wait = backoff(failures).as_secs_f64();
            assert!(
                wait >= ceiling as f64 / 2.0 && wait <= ceiling as f64,
                "try {failures}: {wait}"
            );
        }
    }

    #[test]
    fn temporary_failures_give_up_after_five() {
        let mut progress = Progress::default();
        let now = Utc::now();
        let error = ProviderError::temporary("502");
        for _ in 1..MAX_TEMPORARY_FAILURES {
            let decision = retry_or_give_up(&mut progress, now, "network_unavailable", &error);
            assert!(matches!(decision.step, Step::WaitUntil(at) if at > now));
        }
        let last = retry_or_give_up(&mut progress, now, "network_unavailable", &error);
        assert!(matches!(
            last.step,
            Step::Failed {
                reason: "network_unavailable",
                ..
            }
        ));
    }
}
