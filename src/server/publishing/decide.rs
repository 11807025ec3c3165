//! What to do after a network call failed cleanly (the network said no, so nothing was
//! made): wait and try again, or stop and say why. Spec §4.2–§4.4.

use std::time::Duration;

use chrono::{DateTime, Utc};
use rand::Rng;

use crate::domain::jobs::AttemptOutcome;
use crate::error::AppError;
use crate::server::db::{self, accounts};
use crate::server::providers::meta::{MetaError, MetaErrorKind};

use super::progress::Progress;
use super::{Run, Step};

/// Temporary failures in a row before Herald stops trying (spec §4.4 step 5: ≤5 tries).
pub(crate) const MAX_TEMPORARY_FAILURES: u32 = 5;
const FIRST_BACKOFF: Duration = Duration::from_secs(2);
const LONGEST_BACKOFF: Duration = Duration::from_secs(5 * 60);
/// Calls while throttled extend the block, so Herald waits at least this long (§4.4 step 4).
const SHORTEST_THROTTLE_WAIT: Duration = Duration::from_secs(15 * 60);
/// Instagram's quota is a rolling 24 hours; an hour later some of it has usually freed.
pub(crate) const QUOTA_WAIT: Duration = Duration::from_secs(60 * 60);

/// Publishing refused as "not ready" this many times in a row is given up on.
const NOT_READY_RETRIES: u32 = 20;

/// A decision, with what the ledger says about the failed attempt.
pub(crate) struct Decision {
    pub step: Step,
    /// `will_retry`, `waiting` or `failed`.
    pub outcome: AttemptOutcome,
    pub reason: &'static str,
}

/// Why a refused call failed, as a key the UI words.
pub(crate) fn refusal_reason(error: &MetaError) -> &'static str {
    const MEDIA_CODES: [i64; 7] = [324, 352, 1366046, 36000, 36001, 36003, 9004];
    const MEDIA_SUBCODES: [i64; 8] = [
        1366046, 2207004, 2207005, 2207009, 2207026, 2207052, 2207023, 2207028,
    ];
    let code = error.code.unwrap_or_default();
    let subcode = error.subcode.unwrap_or_default();
    if MEDIA_CODES.contains(&code) || MEDIA_SUBCODES.contains(&subcode) {
        "media_refused"
    } else if subcode == 2207050 {
        "account_restricted"
    } else {
        "content_refused"
    }
}

/// Decides after `error`, and marks the account as needing reconnection when the token is
/// what failed.
pub(crate) async fn after_error(
    run: &Run<'_>,
    progress: &mut Progress,
    error: &MetaError,
) -> Result<Decision, AppError> {
    let now = run.now();
    Ok(match &error.kind {
        MetaErrorKind::Reconnect | MetaErrorKind::PermissionMissing => {
            let (account_reason, reason) = match error.kind {
                MetaErrorKind::PermissionMissing => ("permission_missing", "permission_missing"),
                _ => ("token_rejected", "reconnect"),
            };
            accounts::mark_needs_reconnect(
                run.state.db.pool(),
                &run.job.account_id,
                account_reason,
                db::millis(now),
            )
            .await?;
            failed(reason, error)
        }
        MetaErrorKind::RateLimited { retry_after } => {
            let is_quota = error.subcode == Some(2207042);
            let wait = if is_quota {
                retry_after.unwrap_or(QUOTA_WAIT).max(QUOTA_WAIT)
            } else {
                retry_after
                    .unwrap_or(SHORTEST_THROTTLE_WAIT)
                    .max(SHORTEST_THROTTLE_WAIT)
            };
            Decision {
                step: Step::WaitUntil(later(now, with_jitter(wait, 0.1))),
                outcome: AttemptOutcome::Waiting,
                reason: if is_quota {
                    "quota_reached"
                } else {
                    "rate_limited"
                },
            }
        }
        // "Not ready for publishing" (9007/2207027): read the container again, then publish.
        _ if error.subcode == Some(2207027) && progress.polls < NOT_READY_RETRIES => {
            progress.container_ready = false;
            progress.polls += 1;
            Decision {
                step: Step::WaitUntil(later(now, Duration::from_secs(5))),
                outcome: AttemptOutcome::WillRetry,
                reason: "not_ready",
            }
        }
        MetaErrorKind::Temporary => retry_or_give_up(progress, now, "network_unavailable", error),
        // "Media could not be fetched" is often a CDN warming up: worth two more tries (§4.3).
        MetaErrorKind::Invalid if error.code == Some(9004) && progress.failures < 2 => {
            retry_or_give_up(progress, now, "media_refused", error)
        }
        MetaErrorKind::Invalid => failed(refusal_reason(error), error),
    })
}

fn failed(reason: &'static str, error: &MetaError) -> Decision {
    Decision {
        step: Step::Failed {
            reason,
            detail: Some(error.message.clone()),
        },
        outcome: AttemptOutcome::Failed,
        reason,
    }
}

/// Exponential backoff with jitter for a temporary failure, until the tries run out.
pub(crate) fn retry_or_give_up(
    progress: &mut Progress,
    now: DateTime<Utc>,
    reason: &'static str,
    error: &MetaError,
) -> Decision {
    progress.failures += 1;
    if progress.failures >= MAX_TEMPORARY_FAILURES {
        return failed(reason, error);
    }
    Decision {
        step: Step::WaitUntil(later(now, backoff(progress.failures))),
        outcome: AttemptOutcome::WillRetry,
        reason,
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
    fn refusals_about_media_are_told_apart() {
        let error = |code: i64, subcode: Option<i64>| MetaError {
            code: Some(code),
            subcode,
            ..MetaError::invalid("no")
        };
        assert_eq!(
            refusal_reason(&error(36001, Some(2207005))),
            "media_refused"
        );
        assert_eq!(refusal_reason(&error(324, None)), "media_refused");
        assert_eq!(refusal_reason(&error(100, None)), "content_refused");
        assert_eq!(
            refusal_reason(&error(25, Some(2207050))),
            "account_restricted"
        );
    }

    #[test]
    fn temporary_failures_give_up_after_five() {
        let mut progress = Progress::default();
        let now = Utc::now();
        let error = MetaError::temporary("502");
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
