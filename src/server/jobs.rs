//! The durable job queue: jobs live in the database, written with the change that causes
//! them, and are claimed under a lease, so several Herald processes share one queue and a
//! job whose worker died is taken over when its lease runs out. `run_once(now)` is the whole
//! of one pass, public so tests drive time themselves; `run_forever` is the worker loop.

use std::time::Duration;

use chrono::{DateTime, Utc};

use crate::domain::jobs::{Job, JobKind, JobStatus};
use crate::server::db::{self, jobs};
use crate::server::state::AppState;

/// How long a claimed job stays its worker's unless renewed. A live worker renews its leases
/// every [`HEARTBEAT`], so a run may take as long as its calls do; a dead one's jobs are taken
/// over within this.
pub const LEASE: chrono::Duration = chrono::Duration::seconds(30);
/// How often a live worker renews its leases: a third of the lease, so two renewals may fail
/// (a busy database) before another worker takes its jobs.
const HEARTBEAT: Duration = Duration::from_secs(10);
/// Jobs one pass works on at once (each for a different account): their writes are kept
/// together, so a pass costs about as many statements with 128 jobs as with one (128 measured
/// faster than 64 or 256 in `herald bench`).
const BATCH: usize = 128;
/// Passes one worker runs at once (see [`work`]).
const PASSES_IN_FLIGHT: usize = 3;
/// The longest the worker sleeps with nothing due: a safety net, since `wake` and the next
/// due time already bring it back.
const IDLE_SLEEP: Duration = Duration::from_secs(60);
/// The pause when what is due belongs to accounts busy with another job.
const BUSY_RETRY: Duration = Duration::from_millis(50);

/// Claims the jobs due at `now` (at most one per account) and runs them. Returns how many
/// ran.
pub async fn run_once(state: &AppState, now: DateTime<Utc>) -> Result<usize, sqlx::Error> {
    let claimed = claim_due(state, now).await?;
    run_claimed(state, &claimed).await;
    Ok(claimed.len())
}

/// Takes up to a pass's worth of the jobs due at `now`, under this worker's lease.
async fn claim_due(
    state: &AppState,
    now: DateTime<Utc>,
) -> Result<Vec<jobs::Claimed>, sqlx::Error> {
    jobs::claim(
        state.db.pool(),
        state.db.engine(),
        state.jobs.owner(),
        db::millis(now),
        db::millis(now + LEASE),
        BATCH,
    )
    .await
}

/// One pass: runs the claimed jobs, all at once, each by its kind.
async fn run_claimed(state: &AppState, claimed: &[jobs::Claimed]) {
    let owner = state.jobs.owner();
    let mut publishing = Vec::new();
    let mut others = Vec::new();
    let mut unknown = Vec::new();
    for job in claimed {
        match job {
            jobs::Claimed::Known(job) if job.kind == JobKind::Publish => publishing.push(job),
            jobs::Claimed::Known(job) => others.push(job),
            jobs::Claimed::Unknown(job) => unknown.push(job),
        }
    }
    let other_runs = others.iter().map(|job| run_other(state, job, owner));
    let unknown_ends = unknown.iter().map(|job| end_unknown(state, job, owner));
    tokio::join!(
        crate::server::publishing::run_jobs(state, &publishing, owner),
        futures_util::future::join_all(other_runs),
        futures_util::future::join_all(unknown_ends),
    );
}

/// A job that publishes nothing: a token check, or figures to collect.
async fn run_other(state: &AppState, job: &Job, owner: &str) {
    use crate::server::analytics::collect;
    let ran = match job.kind {
        JobKind::CheckAccount => crate::server::accounts::upkeep::run_job(state, job, owner).await,
        JobKind::CollectPostFigures => collect::run_post_job(state, job, owner).await,
        JobKind::CollectAccountFigures => collect::run_account_job(state, job, owner).await,
        JobKind::Publish => unreachable!("publishing jobs run together, above"),
    };
    if let Err(error) = ran {
        // The lease runs out and the job is taken up again.
        tracing::error!(job = %job.id, error = %error, "a job run failed");
    }
}

/// Left running it would hold its account's queue: a newer Herald's job met by an older one
/// during an upgrade ends here, failed, and says so.
async fn end_unknown(state: &AppState, job: &jobs::UnknownJob, owner: &str) {
    tracing::error!(job = %job.id, error = %job.error, "a job of a kind this Herald does not know");
    if let Err(error) = fail_job(state, job, owner).await {
        tracing::error!(job = %job.id, error = %error, "a job run failed");
    }
}

async fn fail_job(
    state: &AppState,
    job: &jobs::UnknownJob,
    owner: &str,
) -> Result<(), crate::error::AppError> {
    let mut tx = state.db.pool().begin().await?;
    jobs::finish(
        &mut tx,
        &job.id,
        owner,
        JobStatus::Failed,
        &job.progress,
        db::millis(state.clock.now()),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// The worker: first takes back what an earlier run of this instance held when it died, then
/// runs what is due and sleeps until the next job is due or new work is queued, renewing its
/// leases all along.
pub async fn run_forever(state: AppState) {
    match jobs::end_leases_of_instance(
        state.db.pool(),
        state.jobs.instance(),
        state.jobs.owner(),
        db::millis(state.clock.now()),
    )
    .await
    {
        Ok(0) => {}
        Ok(taken) => tracing::info!(
            taken,
            "jobs an earlier run of this instance held are taken up"
        ),
        Err(error) => {
            tracing::warn!(%error, "an earlier run's leases were not ended; they run out")
        }
    }
    tokio::join!(work(&state), renew_leases(&state));
}

/// The heartbeat: this worker is alive, its jobs stay its own.
async fn renew_leases(state: &AppState) {
    loop {
        tokio::time::sleep(HEARTBEAT).await;
        let now = state.clock.now();
        let renewed = jobs::renew_leases(
            state.db.pool(),
            state.jobs.owner(),
            db::millis(now),
            db::millis(now + LEASE),
        )
        .await;
        if let Err(error) = renewed {
            tracing::warn!(%error, "leases not renewed; trying again at the next heartbeat");
        }
    }
}

/// Ends this process's leases as it stops, so other instances (or its next run) take the
/// jobs up at once.
pub async fn hand_on_leases(state: &AppState) -> Result<u64, sqlx::Error> {
    jobs::end_leases_of_instance(
        state.db.pool(),
        state.jobs.owner(),
        "",
        db::millis(state.clock.now()),
    )
    .await
}

/// Claims and runs passes until the process stops. Up to [`PASSES_IN_FLIGHT`] passes run at
/// once, each a task of its own: while one waits for the network, the next claims and loads
/// its jobs and the last one's writes are committed, so the database, the network calls and
/// both cores stay busy instead of taking turns.
async fn work(state: &AppState) {
    let mut passes = tokio::task::JoinSet::new();
    loop {
        if passes.len() < PASSES_IN_FLIGHT {
            match claim_due(state, state.clock.now()).await {
                Ok(claimed) if !claimed.is_empty() => {
                    let state = state.clone();
                    passes.spawn(async move { run_claimed(&state, &claimed).await });
                    continue;
                }
                Ok(_) => {}
                Err(error) => {
                    tracing::warn!(%error, "the job queue could not be read; trying again shortly")
                }
            }
        }
        // A full house, or nothing to claim: what is due may belong to accounts a running pass
        // holds, so a pass ending is also a reason to look again.
        let sleep = if passes.len() >= PASSES_IN_FLIGHT {
            IDLE_SLEEP
        } else {
            sleep_before_next_claim(state).await
        };
        tokio::select! {
            Some(ended) = passes.join_next() => {
                if let Err(error) = ended
                    && error.is_panic()
                {
                    tracing::error!(%error, "a pass of the job queue panicked; its jobs are taken up when their leases run out");
                }
            }
            () = tokio::time::sleep(sleep) => {}
            () = state.jobs.rung() => {}
        }
    }
}

/// How long to wait before claiming again when the last claim found nothing.
async fn sleep_before_next_claim(state: &AppState) -> Duration {
    match jobs::next_due(state.db.pool()).await {
        Ok(Some(due)) => {
            let wait = due - db::millis(state.clock.now());
            if wait <= 0 {
                // Due, but its account is busy (perhaps on another instance). A short pause,
                // not a spin that takes the database's write lock in a loop.
                BUSY_RETRY
            } else {
                Duration::from_millis(wait.min(IDLE_SLEEP.as_millis() as i64) as u64)
            }
        }
        _ => IDLE_SLEEP,
    }
}
