//! Publishing: "Publish" turns a draft into one job per account (`start`), and each job
//! publishes to its account step by step through the account's provider (`run`, and
//! `steps` for what providers use), writing every attempt in the ledger, and — when a call
//! that publishes got no answer — finding out whether it posted (`reconcile`) before anything
//! is tried again. A post is published once, never twice.

mod batched_writes;
mod decide;
mod ledger_writes;
mod once;
mod progress;
mod reconcile;
mod result_writes;
mod run;
pub mod start;
pub(crate) mod steps;
mod target;

pub use run::run_jobs;

use chrono::{DateTime, Utc};

use crate::domain::jobs::JobStatus;

use crate::domain::jobs::Job;
use crate::server::db;
use crate::server::state::AppState;

use batched_writes::{Batcher, JobChange, TargetKey, Write};
use progress::Progress;

/// One job being worked on by one worker, under its lease.
pub(crate) struct Run<'a> {
    pub state: &'a AppState,
    pub job: &'a Job,
    pub owner: &'a str,
    /// Where the run's writes go, committed together with those of the other runs of its pass.
    pub batcher: &'a Batcher,
    /// Writes that may wait for the run's next one (see [`Run::defer`]).
    pub deferred: std::sync::Mutex<Vec<Write>>,
}

impl<'a> Run<'a> {
    pub fn new(state: &'a AppState, job: &'a Job, owner: &'a str, batcher: &'a Batcher) -> Self {
        Run {
            state,
            job,
            owner,
            batcher,
            deferred: std::sync::Mutex::new(Vec::new()),
        }
    }

    /// Commits `write` and whatever the run deferred, in one transaction. Whether all were committed:
    /// false when one changes a job another worker holds now.
    async fn write(&self, write: Write) -> Result<bool, sqlx::Error> {
        self.defer(write);
        self.flush().await
    }

    /// A write that need not be committed before the run goes on: it goes with the run's next write,
    /// and always before the run's next call to the network (or its end), so what the ledger
    /// and the job say never lags behind a call. A pass then costs two transactions per post
    /// (before and after its call) rather than one per step.
    fn defer(&self, write: Write) {
        let mut deferred = self
            .deferred
            .lock()
            .expect("no run panics holding its writes");
        if write.changes_job() {
            // Each change carries the job's whole progress: the newest says all.
            deferred.retain(|earlier| !matches!(earlier, Write::ChangeJob(_)));
        }
        deferred.push(write);
    }

    /// Commits what the run deferred, if anything: before a call leaves, and at the run's end.
    /// False: the job is another worker's now.
    pub(crate) async fn flush(&self) -> Result<bool, sqlx::Error> {
        let writes = self.take_deferred();
        if writes.is_empty() {
            return Ok(true);
        }
        self.batcher.write(writes).await
    }

    fn take_deferred(&self) -> Vec<Write> {
        std::mem::take(
            &mut *self
                .deferred
                .lock()
                .expect("no run panics holding its writes"),
        )
    }

    pub(crate) fn now(&self) -> DateTime<Utc> {
        self.state.clock.now()
    }

    /// The post and account the job publishes to.
    fn target_key(&self) -> TargetKey {
        TargetKey {
            post_id: (self.job.post_id.clone()).expect("publishing jobs name their post"),
            account_id: self.job.account_id.clone(),
        }
    }

    /// The job's row as this run leaves it: `status` "running" while it goes on.
    fn job_change(&self, status: JobStatus, progress: &Progress, due_at: Option<i64>) -> JobChange {
        JobChange {
            id: self.job.id.clone(),
            owner: self.owner.to_owned(),
            status,
            progress: progress.to_text(),
            due_at,
            now: db::millis(self.now()),
        }
    }
}

/// What one step of a job leads to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Step {
    /// Go on with the next step now.
    Continue,
    /// Hand the job back to the queue until then (a poll, a backoff, a rate limit).
    WaitUntil(DateTime<Utc>),
    Published {
        remote_id: String,
        url: Option<String>,
    },
    /// Published, its address not known yet: the engine reads it back from the network
    /// (`Provider::permalink`). The post is live whatever that read says.
    Live { remote_id: String },
    Failed {
        reason: &'static str,
        detail: Option<String>,
    },
    /// Herald could not find out whether the post was made: the person is asked to look, and
    /// may press "check again".
    InDoubt { detail: Option<String> },
    /// Another worker took the job over (this one's lease ran out): stop touching it.
    LeaseLost,
}

impl Step {
    /// The account's result this step settles, as `/metrics` names it; None when it settles
    /// nothing.
    pub(crate) fn outcome(&self) -> Option<&'static str> {
        match self {
            Step::Published { .. } => Some("published"),
            Step::Failed { .. } => Some("failed"),
            Step::InDoubt { .. } => Some("outcome_unknown"),
            Step::Continue | Step::WaitUntil(_) | Step::Live { .. } | Step::LeaseLost => None,
        }
    }
}
