//! Starting to publish: the draft, checked once more against every network's rules, becomes
//! a post being published, with one job per account due now — in one transaction, so there
//! is never a post marked publishing without its jobs, nor a job without its post.

use crate::domain::jobs::JobKind;
use crate::domain::post_record::{DraftInput, PostView, TargetInput};
use crate::domain::post_rules::Rule;
use crate::domain::post_state::TargetStatus;
use crate::domain::{AccountId, PostId, WorkspaceId};
use crate::error::{AppError, Problem};
use crate::server::auth::SignedIn;
use crate::server::db::{self, jobs, posts as db_posts};
use crate::server::posts;
use crate::server::state::AppState;

/// Publishes the draft now. Pressing again once it is publishing changes nothing and answers
/// with the post as it stands.
pub async fn publish_now(
    state: &AppState,
    session: &SignedIn,
    id: &PostId,
    revision: i64,
) -> Result<PostView, AppError> {
    let workspace_id = &session.workspace_id;
    let post = match checked_draft(state, workspace_id, id, revision).await? {
        Checked::Ready(post) => post,
        Checked::AlreadyGoing(post) => return Ok(post),
    };
    let now = db::millis(state.clock.now());
    let mut tx = state.db.begin_write().await?;
    crate::server::ai::open_proposal::ensure_none_open(&mut tx, id).await?;
    if !db_posts::start_publishing(&mut tx, id, workspace_id, revision, now).await? {
        // Another press (or tab) got there first: that one publishes; this one does nothing.
        drop(tx);
        return posts::find(state, workspace_id, id).await;
    }
    db_posts::start_targets(&mut tx, id).await?;
    queue_jobs(&mut tx, workspace_id, &post, now, now).await?;
    tx.commit().await?;
    state.jobs.wake();
    posts::find(state, workspace_id, id).await
}

/// What a draft about to be published or scheduled turned out to be.
pub(crate) enum Checked {
    /// A draft at the expected revision whose every account's rules are met.
    Ready(PostView),
    /// Not a draft any more: published or scheduled already (a second press, another tab).
    AlreadyGoing(PostView),
}

/// The draft at `revision`, checked once more against every account's network, as the
/// accounts and media stand now.
pub(crate) async fn checked_draft(
    state: &AppState,
    workspace_id: &WorkspaceId,
    id: &PostId,
    revision: i64,
) -> Result<Checked, AppError> {
    let post = posts::find(state, workspace_id, id).await?;
    if !post.status.is_editable() {
        return Ok(Checked::AlreadyGoing(post));
    }
    if post.revision != revision {
        return Err(AppError::Conflict(Problem::PostChangedElsewhere));
    }
    if post.targets.is_empty() {
        return Err(AppError::invalid("accounts", Problem::PostHasNoAccounts));
    }
    let input = DraftInput {
        id: Some(post.id.clone()),
        revision: Some(post.revision),
        text: post.text.clone(),
        hashtags: post.hashtags.clone(),
        call_to_action: post.call_to_action.clone(),
        targets: post
            .targets
            .iter()
            .map(|target| TargetInput {
                account_id: target.account_id.clone(),
                variant: target.variant.clone(),
                format: target.format,
            })
            .collect(),
        media: post.media.iter().map(|item| item.id.clone()).collect(),
    };
    let draft = posts::draft_of(state, workspace_id, &input).await?;
    posts::refuse_broken_rules(&draft, Rule::stops_publishing)?;
    Ok(Checked::Ready(post))
}

/// One publishing job per account of the post, due at `due_at`.
pub(crate) async fn queue_jobs(
    connection: &mut sqlx::AnyConnection,
    workspace_id: &WorkspaceId,
    post: &PostView,
    due_at: i64,
    now: i64,
) -> Result<(), AppError> {
    for target in &post.targets {
        jobs::enqueue(
            &mut *connection,
            &jobs::NewJob {
                workspace_id,
                kind: JobKind::Publish,
                post_id: Some(&post.id),
                account_id: &target.account_id,
                due_at,
                now,
            },
        )
        .await?;
    }
    Ok(())
}

/// Puts the job of an account whose result is in doubt back in the queue, keeping what it
/// knows, so it reconciles again (and never publishes again unless that proves nothing was
/// posted).
pub async fn check_again(
    state: &AppState,
    session: &SignedIn,
    id: &PostId,
    account_id: &AccountId,
) -> Result<PostView, AppError> {
    let workspace_id = &session.workspace_id;
    let post = posts::find(state, workspace_id, id).await?;
    let in_doubt = post.targets.iter().any(|target| {
        &target.account_id == account_id && target.status == TargetStatus::OutcomeUnknown
    });
    let job = jobs::find_publish_job(state.db.pool(), workspace_id, id, account_id).await?;
    let Some(job_id) = job.filter(|_| in_doubt) else {
        return Err(AppError::Conflict(Problem::PostNotInDoubt));
    };
    let now = db::millis(state.clock.now());
    jobs::requeue(state.db.pool(), &job_id, now).await?;
    state.jobs.wake();
    posts::find(state, workspace_id, id).await
}
