//! Group commit for the runs of one pass: what many runs ask to write at about the same moment
//! is committed in one transaction, with one statement per kind of write, so a pass of many jobs
//! costs a handful of statements per step rather than several per job. A run that asks waits
//! until its writes are committed (those it deferred go with them: see `Run::defer`), so "the
//! ledger names a call before it leaves" holds exactly as with a transaction of its own.

use std::collections::BTreeSet;

use tokio::sync::{mpsc, oneshot};

use crate::domain::figures::{next_post_snapshot, spread_seed};
use crate::domain::jobs::{AttemptOutcome, JobStatus};
use crate::domain::post_state::{PostStatus, TargetStatus};
use crate::domain::{AccountId, AttemptId, JobId, PostId, WorkspaceId};
use crate::server::db::{Db, attempts, figures, jobs, posts};

/// One write a run asks for. Runs own what they send, as the writer commits it after they move on.
pub(crate) enum Write {
    /// A scheduled account's time has come: it is publishing from now on.
    StartTarget {
        target: TargetKey,
        now: i64,
    },
    /// A ledger row marked "sending"; with the job's progress naming it when given.
    OpenAttempt {
        attempt: NewAttempt,
        progress: Option<JobChange>,
    },
    CloseAttempt(Ending),
    /// The job's progress and, when it stops running, its status.
    ChangeJob(JobChange),
    /// The job's end and the account's result, together; the result only while the job is
    /// still this worker's.
    Settle {
        job: JobChange,
        target: TargetKey,
        result: TargetResult,
        /// Whose post it is: a published target's figures are collected for the workspace.
        workspace_id: WorkspaceId,
    },
    /// The account's result alone (a call in doubt) while the job goes on.
    SetResult {
        target: TargetKey,
        result: TargetResult,
        now: i64,
    },
}

impl Write {
    /// Whether it changes the job's row (its progress or status).
    pub fn changes_job(&self) -> bool {
        matches!(
            self,
            Write::OpenAttempt {
                progress: Some(_),
                ..
            } | Write::ChangeJob(_)
                | Write::Settle { .. }
        )
    }
}

pub(crate) struct TargetKey {
    pub post_id: PostId,
    pub account_id: AccountId,
}

pub(crate) struct NewAttempt {
    pub id: AttemptId,
    pub workspace_id: WorkspaceId,
    pub target: TargetKey,
    pub job_id: JobId,
    pub step: String,
    pub now: i64,
}

pub(crate) struct Ending {
    pub id: AttemptId,
    pub outcome: AttemptOutcome,
    pub reason: Option<String>,
    pub detail: Option<String>,
    pub remote_id: Option<String>,
    pub now: i64,
}

pub(crate) struct JobChange {
    pub id: JobId,
    pub owner: String,
    pub status: JobStatus,
    pub progress: String,
    pub due_at: Option<i64>,
    pub now: i64,
}

pub(crate) struct TargetResult {
    pub status: TargetStatus,
    pub remote_id: Option<String>,
    pub remote_url: Option<String>,
    pub reason: Option<String>,
    pub detail: Option<String>,
    pub finished_at: Option<i64>,
}

/// Each target found published now gets its figure-collecting job, in the same transaction:
/// a post is never live without one.
async fn plan_figures(
    tx: &mut sqlx::AnyConnection,
    writes: &[&Write],
    holds: &(dyn Fn(&JobChange) -> bool + Sync),
) -> Result<(), sqlx::Error> {
    let planned: Vec<figures::PublishedTarget<'_>> = writes
        .iter()
        .filter_map(|write| match write {
            Write::Settle {
                job,
                target,
                result,
                workspace_id,
            } if holds(job) && result.status == TargetStatus::Published => {
                let published_at = result.finished_at?;
                let seed = spread_seed(&[target.post_id.as_str(), target.account_id.as_str()]);
                Some(figures::PublishedTarget {
                    workspace_id,
                    post_id: &target.post_id,
                    account_id: &target.account_id,
                    due_at: next_post_snapshot(published_at, published_at, seed)?,
                })
            }
            _ => None,
        })
        .collect();
    let now = writes
        .iter()
        .map(|write| write_time(write))
        .max()
        .unwrap_or(0);
    figures::plan_post_figures(tx, &planned, now).await
}

/// Whether a write was committed: false when it changes a job another worker holds now.
type Kept = Result<bool, sqlx::Error>;

/// Writes one run asks to commit together; the answer is whether all of them were committed.
struct Request {
    writes: Vec<Write>,
    answer: oneshot::Sender<Kept>,
}

/// The runs' side: where they send their writes.
#[derive(Clone)]
pub(crate) struct Batcher {
    requests: mpsc::UnboundedSender<Request>,
}

impl Batcher {
    /// A batcher and its writer, which ends once every copy of the batcher is dropped.
    pub fn open(db: Db) -> (Batcher, tokio::task::JoinHandle<()>) {
        let (requests, incoming) = mpsc::unbounded_channel();
        (Batcher { requests }, tokio::spawn(write_all(db, incoming)))
    }

    /// Commits `writes` in one transaction, together with whatever other runs asked for
    /// meanwhile. Whether all of them were committed: false when one changes a job another worker
    /// holds now.
    pub async fn write(&self, writes: Vec<Write>) -> Kept {
        let (answer, kept) = oneshot::channel();
        if self.requests.send(Request { writes, answer }).is_err() {
            return Err(sqlx::Error::PoolClosed);
        }
        kept.await.unwrap_or(Err(sqlx::Error::PoolClosed))
    }
}

/// The writer: takes every request waiting, commits them in one transaction, answers, repeats.
async fn write_all(db: Db, mut incoming: mpsc::UnboundedReceiver<Request>) {
    while let Some(first) = incoming.recv().await {
        let mut batch = vec![first];
        while let Ok(more) = incoming.try_recv() {
            batch.push(more);
        }
        let writes: Vec<&Write> = batch.iter().flat_map(|request| &request.writes).collect();
        match commit(&db, &writes).await {
            Ok(kept) => {
                let mut rest = kept.as_slice();
                for request in batch {
                    let (its, others) = rest.split_at(request.writes.len());
                    rest = others;
                    let _ = request.answer.send(Ok(its.iter().all(|kept| *kept)));
                }
            }
            Err(error) if batch.len() == 1 => {
                let _ = batch.pop().map(|request| request.answer.send(Err(error)));
            }
            Err(error) => {
                // One write the database refuses must not take the others down with it: each
                // run's writes are tried on their own, and only the refused run hears of an
                // error.
                tracing::warn!(%error, runs = batch.len(), "a group of writes failed; keeping each run's on its own");
                for request in batch {
                    let writes: Vec<&Write> = request.writes.iter().collect();
                    let kept = commit(&db, &writes)
                        .await
                        .map(|kept| kept.iter().all(|kept| *kept));
                    let _ = request.answer.send(kept);
                }
            }
        }
    }
}

/// Commits `writes` in one transaction; for each, whether it was committed.
async fn commit(db: &Db, writes: &[&Write]) -> Result<Vec<bool>, sqlx::Error> {
    let mut tx = db.begin_write().await?;

    // Opened before closed: a read is noted as both in one request.
    let opened: Vec<attempts::NewAttempt> = writes
        .iter()
        .filter_map(|write| match write {
            Write::OpenAttempt { attempt, .. } => Some(attempts::NewAttempt {
                id: &attempt.id,
                workspace_id: &attempt.workspace_id,
                post_id: &attempt.target.post_id,
                account_id: &attempt.target.account_id,
                job_id: &attempt.job_id,
                step: &attempt.step,
                now: attempt.now,
            }),
            _ => None,
        })
        .collect();
    attempts::begin_many(&mut tx, &opened).await?;

    let endings: Vec<attempts::Ending> = writes
        .iter()
        .filter_map(|write| match write {
            Write::CloseAttempt(ending) => Some(attempts::Ending {
                id: &ending.id,
                outcome: ending.outcome,
                reason: ending.reason.as_deref(),
                detail: ending.detail.as_deref(),
                remote_id: ending.remote_id.as_deref(),
                now: ending.now,
            }),
            _ => None,
        })
        .collect();
    attempts::finish_many(&mut tx, &endings).await?;

    let changes: Vec<jobs::JobChange> = writes
        .iter()
        .filter_map(|write| match write {
            Write::OpenAttempt {
                progress: Some(job),
                ..
            }
            | Write::ChangeJob(job)
            | Write::Settle { job, .. } => Some(jobs::JobChange {
                id: &job.id,
                owner: &job.owner,
                status: job.status,
                progress: &job.progress,
                due_at: job.due_at,
                now: job.now,
            }),
            _ => None,
        })
        .collect();
    let held = jobs::change_held(&mut tx, &changes).await?;
    let holds = |job: &JobChange| held.contains(&job.id);

    let results: Vec<(&PostId, &AccountId, posts::TargetResult)> = writes
        .iter()
        .filter_map(|write| match write {
            Write::Settle {
                job,
                target,
                result,
                ..
            } if holds(job) => Some((target, result)),
            Write::SetResult { target, result, .. } => Some((target, result)),
            _ => None,
        })
        .map(|(target, result)| {
            (
                &target.post_id,
                &target.account_id,
                posts::TargetResult {
                    status: result.status,
                    remote_id: result.remote_id.as_deref(),
                    remote_url: result.remote_url.as_deref(),
                    reason: result.reason.as_deref(),
                    detail: result.detail.as_deref(),
                    finished_at: result.finished_at,
                },
            )
        })
        .collect();
    let by_ref: Vec<(&PostId, &AccountId, &posts::TargetResult)> = results
        .iter()
        .map(|(post_id, account_id, result)| (*post_id, *account_id, result))
        .collect();
    posts::set_target_results(&mut tx, &by_ref).await?;
    plan_figures(&mut tx, writes, &holds).await?;

    let starting: Vec<(&PostId, &AccountId)> = writes
        .iter()
        .filter_map(|write| match write {
            Write::StartTarget { target, .. } => Some((&target.post_id, &target.account_id)),
            _ => None,
        })
        .collect();
    let started = posts::start_scheduled_targets(&mut tx, &starting).await?;

    let mut touched: BTreeSet<&PostId> = started.iter().collect();
    touched.extend(results.iter().map(|(post_id, ..)| *post_id));
    let now = writes
        .iter()
        .map(|write| write_time(write))
        .max()
        .unwrap_or(0);
    refresh_post_statuses(&mut tx, db.engine(), &touched, now).await?;

    tx.commit().await?;
    Ok(writes
        .iter()
        .map(|write| match write {
            Write::OpenAttempt {
                progress: Some(job),
                ..
            }
            | Write::ChangeJob(job)
            | Write::Settle { job, .. } => holds(job),
            _ => true,
        })
        .collect())
}

fn write_time(write: &Write) -> i64 {
    match write {
        Write::StartTarget { now, .. } | Write::SetResult { now, .. } => *now,
        Write::OpenAttempt { attempt, .. } => attempt.now,
        Write::CloseAttempt(ending) => ending.now,
        Write::ChangeJob(job) | Write::Settle { job, .. } => job.now,
    }
}

/// Each post's status, derived again from its accounts' results, so the two never disagree.
pub(crate) async fn refresh_post_statuses(
    connection: &mut sqlx::AnyConnection,
    engine: crate::server::db::Engine,
    post_ids: &BTreeSet<&PostId>,
    now: i64,
) -> Result<(), sqlx::Error> {
    if post_ids.is_empty() {
        return Ok(());
    }
    let ids: Vec<&PostId> = post_ids.iter().copied().collect();
    posts::lock(&mut *connection, engine, &ids).await?;
    let rows = posts::target_statuses(&mut *connection, &ids).await?;
    let mut by_status: Vec<(PostStatus, Vec<&PostId>)> = Vec::new();
    for post_id in &ids {
        let statuses: Vec<TargetStatus> = rows
            .iter()
            .filter(|(of, _)| of == *post_id)
            .map(|(_, status)| *status)
            .collect();
        let status = PostStatus::from_targets(&statuses);
        match by_status.iter_mut().find(|(known, _)| *known == status) {
            Some((_, posts)) => posts.push(post_id),
            None => by_status.push((status, vec![post_id])),
        }
    }
    for (status, posts_with_it) in by_status {
        posts::set_status(&mut *connection, &posts_with_it, status, now).await?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    const ME: &str = "worker-me";

    /// A database with two running jobs (of two accounts): one leased to this worker, one to
    /// another.
    async fn two_running_jobs(folder: &std::path::Path) -> (Db, JobId, JobId) {
        let url = format!("sqlite://{}?mode=rwc", folder.join("batcher.db").display());
        let db = Db::connect(&url).await.unwrap();
        db.migrate().await.unwrap();
        let workspace: WorkspaceId = crate::server::db::new_id();
        sqlx::query("INSERT INTO workspaces (id, name, created_at) VALUES ($1, 'Test', 0)")
            .bind(&workspace)
            .execute(db.pool())
            .await
            .unwrap();
        let mut jobs = Vec::new();
        for (n, owner) in [ME, "worker-other"].into_iter().enumerate() {
            let account: AccountId = crate::server::db::new_id();
            sqlx::query(
                "INSERT INTO social_accounts (id, workspace_id, network, connection, remote_id, \
                     name, status, created_at, updated_at) \
                 VALUES ($1, $2, 'facebook', 'facebook_login', $3, 'Page', 'active', 0, 0)",
            )
            .bind(&account)
            .bind(&workspace)
            .bind(format!("page-{n}"))
            .execute(db.pool())
            .await
            .unwrap();
            let job: JobId = crate::server::db::new_id();
            sqlx::query(
                "INSERT INTO jobs (id, workspace_id, kind, account_id, status, due_at, \
                     lease_owner, lease_until, created_at, updated_at) \
                 VALUES ($1, $2, 'check', $3, 'running', 0, $4, 600000, 0, 0)",
            )
            .bind(&job)
            .bind(&workspace)
            .bind(&account)
            .bind(owner)
            .execute(db.pool())
            .await
            .unwrap();
            jobs.push(job);
        }
        let other = jobs.pop().unwrap();
        (db, jobs.pop().unwrap(), other)
    }

    fn progress_of(job: &JobId, progress: &str) -> Write {
        Write::ChangeJob(JobChange {
            id: job.clone(),
            owner: ME.to_owned(),
            status: JobStatus::Running,
            progress: progress.to_owned(),
            due_at: None,
            now: 1,
        })
    }

    /// A write that holds no lease: starting a target that is not waiting changes nothing.
    fn start_of_nothing() -> Write {
        Write::StartTarget {
            target: TargetKey {
                post_id: crate::server::db::new_id(),
                account_id: crate::server::db::new_id(),
            },
            now: 1,
        }
    }

    async fn progress(db: &Db, job: &JobId) -> String {
        sqlx::query_scalar("SELECT progress FROM jobs WHERE id = $1")
            .bind(job)
            .fetch_one(db.pool())
            .await
            .unwrap()
    }

    #[tokio::test]
    async fn a_run_hears_its_lease_was_lost_even_when_its_last_write_holds_no_lease() {
        let folder = tempfile::tempdir().unwrap();
        let (db, mine, theirs) = two_running_jobs(folder.path()).await;
        let (batcher, writer) = Batcher::open(db.clone());

        // Sent together, so that the writer is likely to commit both runs' writes in one
        // transaction: each run must still hear about its own.
        let (kept_mine, kept_theirs) = tokio::join!(
            batcher.write(vec![
                progress_of(&mine, r#"{"polls":1}"#),
                start_of_nothing()
            ]),
            batcher.write(vec![
                progress_of(&theirs, r#"{"polls":1}"#),
                start_of_nothing()
            ]),
        );
        assert!(kept_mine.unwrap(), "this worker holds its job");
        assert!(
            !kept_theirs.unwrap(),
            "the job is another worker's, though the run's last write needs no lease"
        );
        assert_eq!(progress(&db, &mine).await, r#"{"polls":1}"#);
        assert_eq!(
            progress(&db, &theirs).await,
            "{}",
            "another worker's job is left alone"
        );

        drop(batcher);
        writer.await.unwrap();
    }
}
