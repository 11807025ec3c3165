//! Scheduling: a checked draft gets a time and one queued job per account due then, in one
//! transaction; until publishing starts it can be moved, unscheduled back to a draft, or
//! cancelled. "Started" is decided by the jobs themselves — a job claimed by a worker, or one
//! whose account has begun publishing, is past changing — so a move and a worker racing for
//! the same post never both win.

use crate::domain::post_record::PostView;
use crate::domain::post_state::{PostStatus, TargetStatus};
use crate::domain::schedule::{check_due, next_free_slot, parse_local};
use crate::domain::{PostId, WorkspaceId};
use crate::error::{AppError, Problem};
use crate::server::accounts::upkeep;
use crate::server::auth::SignedIn;
use crate::server::db::{self, jobs, posts as db_posts};
use crate::server::posts;
use crate::server::publishing::start::{Checked, checked_draft, queue_jobs};
use crate::server::state::AppState;

/// How far ahead scheduled posts are looked at to find a free slot.
const SLOT_HORIZON_DAYS: i64 = 15;

/// The instant a wall-clock time typed by the person names, in their zone, if it may be
/// chosen now.
fn due_at(state: &AppState, session: &SignedIn, local: &str) -> Result<i64, AppError> {
    let zone = session.time_zone;
    let at = zone.instant_of(parse_local(local)?);
    check_due(at, db::millis(state.clock.now()))?;
    Ok(at)
}

/// Schedules the draft at `revision` for `local` (a wall-clock time in the person's zone).
/// Pressing again once it is scheduled changes nothing and answers with the post as it stands.
pub async fn schedule(
    state: &AppState,
    session: &SignedIn,
    id: &PostId,
    revision: i64,
    local: &str,
) -> Result<PostView, AppError> {
    let workspace_id = &session.workspace_id;
    let at = due_at(state, session, local)?;
    let post = match checked_draft(state, workspace_id, id, revision).await? {
        Checked::Ready(post) => post,
        Checked::AlreadyGoing(post) => return Ok(post),
    };
    let now = db::millis(state.clock.now());
    let mut tx = state.db.begin_write().await?;
    crate::server::ai::open_proposal::ensure_none_open(&mut tx, id).await?;
    if !db_posts::schedule(&mut tx, id, workspace_id, revision, at, now).await? {
        drop(tx);
        return posts::find(state, workspace_id, id).await;
    }
    db_posts::set_targets_status(&mut tx, id, TargetStatus::Draft, TargetStatus::Scheduled).await?;
    queue_jobs(&mut tx, workspace_id, &post, at, now).await?;
    plan_checks(&mut tx, workspace_id, &post, at, now).await?;
    tx.commit().await?;
    state.jobs.wake();
    posts::find(state, workspace_id, id).await
}

/// Gives a scheduled post a new time, as long as publishing has not started for any account.
pub async fn reschedule(
    state: &AppState,
    session: &SignedIn,
    id: &PostId,
    local: &str,
) -> Result<PostView, AppError> {
    let workspace_id = &session.workspace_id;
    let at = due_at(state, session, local)?;
    let post = scheduled(state, workspace_id, id).await?;
    let now = db::millis(state.clock.now());
    let mut tx = state.db.pool().begin().await?;
    let moved = jobs::move_not_started(&mut tx, id, at, now).await?;
    if moved != post.targets.len() as u64
        || !db_posts::move_schedule(&mut tx, id, workspace_id, at, now).await?
    {
        drop(tx);
        return Err(AppError::Conflict(Problem::PublishingStarted));
    }
    plan_checks(&mut tx, workspace_id, &post, at, now).await?;
    tx.commit().await?;
    state.jobs.wake();
    posts::find(state, workspace_id, id).await
}

/// Back to a draft (editable again, with no time), or cancelled for good: either only while
/// publishing has not started for any account.
pub async fn unschedule(
    state: &AppState,
    session: &SignedIn,
    id: &PostId,
    cancel: bool,
) -> Result<PostView, AppError> {
    let workspace_id = &session.workspace_id;
    let post = scheduled(state, workspace_id, id).await?;
    let now = db::millis(state.clock.now());
    let mut tx = state.db.pool().begin().await?;
    let removed = jobs::remove_not_started(&mut tx, id).await?;
    if removed != post.targets.len() as u64
        || !db_posts::end_schedule(&mut tx, id, workspace_id, !cancel, now).await?
    {
        drop(tx);
        return Err(AppError::Conflict(Problem::PublishingStarted));
    }
    let to = if cancel {
        TargetStatus::Canceled
    } else {
        TargetStatus::Draft
    };
    db_posts::set_targets_status(&mut tx, id, TargetStatus::Scheduled, to).await?;
    tx.commit().await?;
    posts::find(state, workspace_id, id).await
}

/// A token check for each of the post's accounts before it is due. In account order, so two
/// posts of the same accounts scheduled at once lock their check rows in the same order.
async fn plan_checks(
    connection: &mut sqlx::AnyConnection,
    workspace_id: &WorkspaceId,
    post: &PostView,
    at: i64,
    now: i64,
) -> Result<(), AppError> {
    let mut accounts: Vec<_> = post.targets.iter().map(|t| &t.account_id).collect();
    accounts.sort();
    for account_id in accounts {
        upkeep::plan_before_post(&mut *connection, workspace_id, account_id, at, now).await?;
    }
    Ok(())
}

/// The post, if it is scheduled; why not otherwise.
async fn scheduled(
    state: &AppState,
    workspace_id: &WorkspaceId,
    id: &PostId,
) -> Result<PostView, AppError> {
    let post = posts::find(state, workspace_id, id).await?;
    match post.status {
        PostStatus::Scheduled => Ok(post),
        PostStatus::Publishing | PostStatus::Published | PostStatus::PartiallyPublished => {
            Err(AppError::Conflict(Problem::PublishingStarted))
        }
        _ => Err(AppError::Conflict(Problem::PostNotScheduled)),
    }
}

/// The default time offered for a new schedule: the next whole hour with nothing due.
pub async fn next_slot(state: &AppState, session: &SignedIn) -> Result<i64, AppError> {
    let zone = session.time_zone;
    let now = db::millis(state.clock.now());
    let horizon = chrono::Duration::days(SLOT_HORIZON_DAYS).num_milliseconds();
    let taken =
        db_posts::due_times(state.db.pool(), &session.workspace_id, now, now + horizon).await?;
    Ok(next_free_slot(zone, now, &taken))
}
