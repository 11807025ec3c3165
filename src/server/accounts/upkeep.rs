//! Token upkeep as jobs: each account's token is tried (and an Instagram Login token refreshed
//! when it nears its end) an hour before each of its scheduled posts and at least every twelve
//! hours. A token found dead marks the account "needs reconnect" while there is still time to
//! reconnect it, instead of the post failing at its time.

use chrono::Duration;

use super::check::{self, CheckOutcome};
use crate::domain::jobs::{Job, JobStatus};
use crate::domain::{AccountId, WorkspaceId};
use crate::error::AppError;
use crate::server::db::{self, jobs};
use crate::server::state::AppState;

/// How often a working account is checked when no post of its is due sooner.
pub const CHECK_EVERY: Duration = Duration::hours(12);
/// How long before a scheduled post its account is checked: time for the person to reconnect.
pub const AHEAD_OF_POST: Duration = Duration::hours(1);
/// When Meta could not say (a timeout, a 5xx), the next try.
const TRY_AGAIN_AFTER: Duration = Duration::minutes(15);

/// Plans a check of `account_id` ahead of a post due at `post_due`.
pub async fn plan_before_post(
    connection: &mut sqlx::AnyConnection,
    workspace_id: &WorkspaceId,
    account_id: &AccountId,
    post_due: i64,
    now: i64,
) -> Result<(), sqlx::Error> {
    let due = (post_due - AHEAD_OF_POST.num_milliseconds()).max(now);
    jobs::plan_check(connection, workspace_id, account_id, due, now).await
}

/// Runs a claimed `check_account` job, then plans the next one (or none, for an account that
/// needs reconnecting or is gone: reconnecting plans checks again).
pub async fn run_job(state: &AppState, job: &Job, owner: &str) -> Result<(), AppError> {
    let now = state.clock.now();
    let outcome = check::test_account(state, &job.workspace_id, &job.account_id).await;
    let next = match outcome {
        Ok(CheckOutcome::Working) => Some(next_check(state, &job.account_id, now).await?),
        Ok(CheckOutcome::TryLater) => Some(db::millis(now + TRY_AGAIN_AFTER)),
        Ok(CheckOutcome::NeedsReconnect) | Err(AppError::Forbidden) => None,
        Err(error) => {
            tracing::warn!(account_id = %job.account_id, %error, "the token check could not run");
            Some(db::millis(now + TRY_AGAIN_AFTER))
        }
    };
    let mut tx = state.db.pool().begin().await?;
    match next {
        Some(due) => {
            jobs::release(&mut tx, &job.id, owner, "{}", due, db::millis(now)).await?;
        }
        None => {
            jobs::finish(
                &mut tx,
                &job.id,
                owner,
                JobStatus::Done,
                "{}",
                db::millis(now),
            )
            .await?;
        }
    }
    tx.commit().await?;
    Ok(())
}

/// An hour before the account's next post, or in twelve hours, whichever is sooner.
async fn next_check(
    state: &AppState,
    account_id: &AccountId,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<i64, AppError> {
    let periodic = db::millis(now + CHECK_EVERY);
    // Posts due within the hour were just covered by this check; the next one after them
    // gets its own.
    let before_post =
        jobs::next_post_due(state.db.pool(), account_id, db::millis(now + AHEAD_OF_POST))
            .await?
            .map(|due| due - AHEAD_OF_POST.num_milliseconds());
    Ok(before_post.map_or(periodic, |due| due.min(periodic)))
}
