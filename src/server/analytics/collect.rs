//! The figure-collecting jobs: a post target's snapshots at 1 h, 24 h, 7 days and 30 days after
//! publishing, and each account's daily snapshot. A network that fails in passing is asked
//! again later (the snapshots already taken stay as they are); one that keeps failing costs
//! that snapshot, not the next. A permission the account lacks is kept on the account, so the
//! pages can ask for it. A run always hands its job back: a job left running would hold its
//! account's queue, publishing included.

use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};

use crate::domain::accounts::{Account, AccountStatus};
use crate::domain::figures::{Figures, next_post_snapshot, spread_seed};
use crate::domain::jobs::{Job, JobStatus};
use crate::domain::post::PostFormat;
use crate::error::AppError;
use crate::server::accounts::check::access_token;
use crate::server::db::{self, accounts, figures, jobs};
use crate::server::providers::{ErrorKind, Permission, ProviderError, PublishedPost, Reader};
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

/// When the job runs next, if ever.
enum Next {
    At(i64, Tries),
    Done,
}

/// A snapshot to keep: the figures read, when the post (if it is one) was published, and what
/// the read said of the account's permissions.
struct Taken {
    figures: Figures,
    published_at: Option<i64>,
    permission: Permission,
}

/// What a run ends with, written in one transaction: a crash between keeping the snapshot and
/// handing the job back would take it twice.
struct Outcome {
    next: Next,
    taken: Option<Taken>,
}

impl Outcome {
    fn next(next: Next) -> Outcome {
        Outcome { next, taken: None }
    }
}

/// Runs a claimed `collect_post_figures` job.
pub async fn run_post_job(state: &AppState, job: &Job, owner: &str) -> Result<(), AppError> {
    let now = state.clock.now();
    let outcome = match take_post_snapshot(state, job, now).await {
        Ok(outcome) => outcome,
        Err(error) => after_failure(job, &error, now),
    };
    settle_or_hand_back(state, job, owner, outcome, now).await
}

/// Runs a claimed `collect_account_figures` job.
pub async fn run_account_job(state: &AppState, job: &Job, owner: &str) -> Result<(), AppError> {
    let now = state.clock.now();
    let outcome = match take_account_snapshot(state, job, now).await {
        Ok(outcome) => outcome,
        Err(error) => after_failure(job, &error, now),
    };
    settle_or_hand_back(state, job, owner, outcome, now).await
}

/// Keeps what the run took; if that cannot be written, the job is still handed back (without
/// the snapshot, tried again later) rather than left running and holding its account's queue
/// until its lease runs out.
async fn settle_or_hand_back(
    state: &AppState,
    job: &Job,
    owner: &str,
    outcome: Outcome,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    let error = match settle(state, job, owner, outcome, now).await {
        Ok(()) => return Ok(()),
        Err(error) => error,
    };
    settle(state, job, owner, after_failure(job, &error, now), now).await
}

async fn take_post_snapshot(
    state: &AppState,
    job: &Job,
    now: DateTime<Utc>,
) -> Result<Outcome, AppError> {
    let Some(post_id) = &job.post_id else {
        return Ok(Outcome::next(Next::Done));
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
        return Ok(Outcome::next(Next::Done));
    };
    let seed = spread_seed(&[post_id.as_str(), job.account_id.as_str()]);
    let after_this = match next_post_snapshot(published_at, db::millis(now), seed) {
        Some(due) => Next::At(due, Tries::default()),
        None => Next::Done,
    };
    let (account, reader) = match reader(state, job).await? {
        Reach::Ready(account, reader) => (account, reader),
        // The account needs reconnecting, or is gone: this snapshot is lost, the next may not be.
        Reach::Paused | Reach::Gone => return Ok(Outcome::next(after_this)),
    };
    let provider = state.providers.of(account.profile.network);
    let post = PublishedPost { remote_id, format };
    Ok(match provider.post_figures(&reader, &post).await {
        Ok(read) => Outcome {
            next: after_this,
            taken: Some(Taken {
                figures: read.figures,
                published_at: Some(published_at),
                permission: read.permission,
            }),
        },
        Err(error) => Outcome::next(retry(job, &error, now).unwrap_or(after_this)),
    })
}

async fn take_account_snapshot(
    state: &AppState,
    job: &Job,
    now: DateTime<Utc>,
) -> Result<Outcome, AppError> {
    // Keeps its time of day; a job far behind (Herald was stopped) starts again from now.
    let tomorrow = Next::At(
        (job.due_at + ACCOUNT_EVERY.num_milliseconds())
            .max(db::millis(now + ACCOUNT_EVERY - Duration::hours(1))),
        Tries::default(),
    );
    let (account, reader) = match reader(state, job).await? {
        Reach::Ready(account, reader) => (account, reader),
        // Tried again tomorrow: a reconnected account goes on where it stopped.
        Reach::Paused => return Ok(Outcome::next(tomorrow)),
        // Connecting it again plans its job again.
        Reach::Gone => return Ok(Outcome::next(Next::Done)),
    };
    let provider = state.providers.of(account.profile.network);
    Ok(match provider.account_figures(&reader, now).await {
        Ok(read) => Outcome {
            next: tomorrow,
            taken: Some(Taken {
                figures: read.figures,
                published_at: None,
                permission: read.permission,
            }),
        },
        Err(error) => Outcome::next(retry(job, &error, now).unwrap_or(tomorrow)),
    })
}

/// Whether the account can be read now.
enum Reach {
    Ready(Box<Account>, Reader),
    /// It needs reconnecting.
    Paused,
    /// Disconnected, or deleted.
    Gone,
}

async fn reader(state: &AppState, job: &Job) -> Result<Reach, AppError> {
    let account = accounts::find(state.db.pool(), &job.workspace_id, &job.account_id).await?;
    let Some(account) = account else {
        return Ok(Reach::Gone);
    };
    if account.status != AccountStatus::Active {
        return Ok(Reach::Paused);
    }
    let token = match access_token(state, &job.workspace_id, &job.account_id).await {
        Ok(token) => token,
        Err(AppError::Forbidden) => return Ok(Reach::Gone),
        Err(error) => return Err(error),
    };
    let reader = Reader {
        connection: account.profile.connection,
        remote_account: account.profile.remote_id.clone(),
        token,
    };
    Ok(Reach::Ready(Box::new(account), reader))
}

/// A network failure worth another try: when. None: this snapshot is given up.
fn retry(job: &Job, error: &ProviderError, now: DateTime<Utc>) -> Option<Next> {
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

/// Herald's own failure (its database, its vault): the job is handed back to try again, so
/// it never holds its account's queue; after the last wait, again a day later.
fn after_failure(job: &Job, error: &AppError, now: DateTime<Utc>) -> Outcome {
    tracing::error!(job = %job.id, error = ?error, "a figures job failed; it is tried again later");
    let tries = Tries::of(job);
    let next = match RETRY_WAITS.get(tries.tries) {
        Some(wait) => Next::At(
            db::millis(now + *wait),
            Tries {
                tries: tries.tries + 1,
            },
        ),
        None => Next::At(db::millis(now + Duration::days(1)), Tries::default()),
    };
    Outcome::next(next)
}

/// Keeps the snapshot and what it says of the account's permissions, and hands the job back
/// or ends it, in one transaction.
async fn settle(
    state: &AppState,
    job: &Job,
    owner: &str,
    outcome: Outcome,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    let now = db::millis(now);
    let mut tx = state.db.begin_write().await?;
    if let Some(taken) = &outcome.taken {
        let of = figures::SnapshotOf {
            workspace_id: &job.workspace_id,
            account_id: &job.account_id,
            post: job.post_id.as_ref().zip(taken.published_at),
        };
        figures::add_snapshot(&mut tx, &of, &taken.figures, now).await?;
        match taken.permission {
            Permission::Granted => figures::set_problem(&mut tx, &job.account_id, None).await?,
            Permission::Missing(permission) => {
                figures::set_problem(&mut tx, &job.account_id, Some(permission)).await?
            }
            Permission::Unknown => {}
        }
    }
    match outcome.next {
        Next::At(due, tries) => {
            jobs::release(&mut tx, &job.id, owner, &tries.text(), due, now).await?;
        }
        Next::Done => {
            let progress = Tries::default().text();
            jobs::finish(&mut tx, &job.id, owner, JobStatus::Done, &progress, now).await?;
        }
    }
    tx.commit().await?;
    Ok(())
}
