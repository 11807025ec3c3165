//! The figure-collecting jobs: a post target's snapshots at 1 h, 24 h, 7 days and 30 days after
//! publishing, and each account's daily snapshot. A network that fails in passing is asked
//! again later (the snapshots already taken stay as they are); one that keeps failing costs
//! that snapshot, not the next. A permission the account lacks is kept on the account, so the
//! pages can ask for it.

use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};

use crate::domain::AccountId;
use crate::domain::accounts::{Account, AccountStatus};
use crate::domain::figures::{next_post_snapshot, spread_seed};
use crate::domain::jobs::{Job, JobStatus};
use crate::domain::post::PostFormat;
use crate::error::AppError;
use crate::server::accounts::check::access_token;
use crate::server::db::{self, accounts, figures, jobs};
use crate::server::providers::{ErrorKind, FiguresRead, ProviderError, PublishedPost, Reader};
use crate::server::state::AppState;

/// How often an account's own figures are taken.
pub const ACCOUNT_EVERY: Duration = Duration::hours(24);
/// Waits between tries of one snapshot; after the last, that snapshot is given up.
const RETRY_WAITS: [Duration; 4] = [
    Duration::minutes(5),
    Duration::minutes(15),
    Duration::hours(1),
    Duration::hours(4),
];

/// What a figure job keeps between runs: how many times its current snapshot failed.
#[derive(Debug, Clone, Copy, Default, Serialize, Deserialize)]
struct Tries {
    #[serde(default)]
    tries: usize,
}

impl Tries {
    fn of(job: &Job) -> Tries {
        serde_json::from_str(&job.progress).unwrap_or_default()
    }

    fn text(self) -> String {
        serde_json::to_string(&self).expect("a number serialises")
    }
}

/// What a job does after its run.
enum Next {
    At(i64, Tries),
    Done,
}

/// Runs a claimed `collect_post_figures` job.
pub async fn run_post_job(state: &AppState, job: &Job, owner: &str) -> Result<(), AppError> {
    let now = state.clock.now();
    let next = take_post_snapshot(state, job, now).await?;
    hand_back(state, job, owner, next, now).await
}

/// Runs a claimed `collect_account_figures` job.
pub async fn run_account_job(state: &AppState, job: &Job, owner: &str) -> Result<(), AppError> {
    let now = state.clock.now();
    let next = take_account_snapshot(state, job, now).await?;
    hand_back(state, job, owner, next, now).await
}

async fn take_post_snapshot(
    state: &AppState,
    job: &Job,
    now: DateTime<Utc>,
) -> Result<Next, AppError> {
    let Some(post_id) = &job.post_id else {
        return Ok(Next::Done);
    };
    let target = figures::target_for_figures(state.db.pool(), post_id, &job.account_id).await?;
    let Some((remote_id, published_at, format)) = target.and_then(|target| {
        Some((
            target.remote_id.filter(|_| target.status == "published")?,
            target.finished_at?,
            PostFormat::parse(&target.format).unwrap_or_default(),
        ))
    }) else {
        // Deleted, or never published after all: nothing to read.
        return Ok(Next::Done);
    };
    let seed = spread_seed(&[post_id.as_str(), job.account_id.as_str()]);
    let after_this = |tries| match next_post_snapshot(published_at, db::millis(now), seed) {
        Some(due) => Next::At(due, tries),
        None => Next::Done,
    };
    let Some((account, reader)) = reader(state, job).await? else {
        // The account needs reconnecting: this snapshot is lost, the next may not be.
        return Ok(after_this(Tries::default()));
    };
    let provider = state.providers.of(account.profile.network);
    let post = PublishedPost { remote_id, format };
    match provider.post_figures(&reader, &post).await {
        Ok(read) => {
            let of = figures::SnapshotOf {
                workspace_id: &job.workspace_id,
                account_id: &job.account_id,
                post: Some((post_id, published_at)),
            };
            keep(state, &of, &read, now).await?;
            Ok(after_this(Tries::default()))
        }
        Err(error) => {
            Ok(retry_or(job, &error, now).unwrap_or_else(|| after_this(Tries::default())))
        }
    }
}

async fn take_account_snapshot(
    state: &AppState,
    job: &Job,
    now: DateTime<Utc>,
) -> Result<Next, AppError> {
    // Keeps its time of day; a job far behind (Herald was stopped) starts again from now.
    let tomorrow = (job.due_at + ACCOUNT_EVERY.num_milliseconds())
        .max(db::millis(now + ACCOUNT_EVERY - Duration::hours(1)));
    let Some((account, reader)) = reader(state, job).await? else {
        // Reconnecting the account plans its job again.
        return Ok(Next::Done);
    };
    let provider = state.providers.of(account.profile.network);
    match provider.account_figures(&reader, now).await {
        Ok(read) => {
            let of = figures::SnapshotOf {
                workspace_id: &job.workspace_id,
                account_id: &job.account_id,
                post: None,
            };
            keep(state, &of, &read, now).await?;
            Ok(Next::At(tomorrow, Tries::default()))
        }
        Err(error) => {
            Ok(retry_or(job, &error, now).unwrap_or(Next::At(tomorrow, Tries::default())))
        }
    }
}

/// The account, active, and how to read it; None when it cannot be read now.
async fn reader(state: &AppState, job: &Job) -> Result<Option<(Account, Reader)>, AppError> {
    let account = accounts::find(state.db.pool(), &job.workspace_id, &job.account_id).await?;
    let Some(account) = account.filter(|account| account.status == AccountStatus::Active) else {
        return Ok(None);
    };
    let token = match access_token(state, &job.workspace_id, &job.account_id).await {
        Ok(token) => token,
        Err(AppError::Forbidden) => return Ok(None),
        Err(error) => return Err(error),
    };
    let reader = Reader {
        connection: account.profile.connection,
        remote_account: account.profile.remote_id.clone(),
        token,
    };
    Ok(Some((account, reader)))
}

/// Writes the snapshot and what it says about the account's permissions, together.
async fn keep(
    state: &AppState,
    of: &figures::SnapshotOf<'_>,
    read: &FiguresRead,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    let mut tx = state.db.pool().begin().await?;
    figures::add_snapshot(&mut tx, of, &read.figures, db::millis(now)).await?;
    tx.commit().await?;
    note_permission(state, of.account_id, read.missing_permission).await
}

async fn note_permission(
    state: &AppState,
    account_id: &AccountId,
    missing: Option<&str>,
) -> Result<(), AppError> {
    figures::set_problem(state.db.pool(), account_id, missing).await?;
    Ok(())
}

/// A failure worth another try: when. None: this snapshot is given up.
fn retry_or(job: &Job, error: &ProviderError, now: DateTime<Utc>) -> Option<Next> {
    tracing::info!(job = %job.id, account_id = %job.account_id, %error, "figures not read");
    let tries = Tries::of(job);
    let wait = *RETRY_WAITS.get(tries.tries)?;
    let wait = match &error.kind {
        ErrorKind::Temporary | ErrorKind::NotReady => wait,
        ErrorKind::RateLimited {
            retry_after,
            at_least,
            ..
        } => {
            let asked = retry_after.unwrap_or(*at_least).max(*at_least);
            wait.max(Duration::from_std(asked).unwrap_or(wait))
        }
        // A token that stopped working is the account check's to find; a refusal will not
        // pass by asking again.
        ErrorKind::Reconnect | ErrorKind::PermissionMissing | ErrorKind::Refused { .. } => {
            return None;
        }
    };
    Some(Next::At(
        db::millis(now + wait),
        Tries {
            tries: tries.tries + 1,
        },
    ))
}

async fn hand_back(
    state: &AppState,
    job: &Job,
    owner: &str,
    next: Next,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    let mut tx = state.db.pool().begin().await?;
    match next {
        Next::At(due, tries) => {
            jobs::release(&mut tx, &job.id, owner, &tries.text(), due, db::millis(now)).await?;
        }
        Next::Done => {
            let progress = Tries::default().text();
            jobs::finish(
                &mut tx,
                &job.id,
                owner,
                JobStatus::Done,
                &progress,
                db::millis(now),
            )
            .await?;
        }
    }
    tx.commit().await?;
    Ok(())
}
