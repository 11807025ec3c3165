//! Publishing: "Publish" turns a draft into one job per account (`start`), and each job
//! publishes to its account step by step (`facebook`, `instagram`), writing every attempt in
//! the ledger, and — when a call that publishes got no answer — finding out whether it posted
//! (`reconcile`) before anything is tried again. A post is published once, never twice.

mod decide;
mod facebook;
mod instagram;
mod journal;
mod ledger;
mod once;
mod progress;
mod reconcile;
mod results;
mod run;
pub mod start;
mod target;

pub use run::run_jobs;

use chrono::{DateTime, Utc};

use crate::domain::jobs::JobStatus;

use crate::domain::jobs::Job;
use crate::server::db;
use crate::server::state::AppState;

use journal::{JobChange, Journal, TargetKey, Write};
use progress::Progress;

/// One job being worked on by one worker, under its lease.
pub(crate) struct Run<'a> {
    pub state: &'a AppState,
    pub job: &'a Job,
    pub owner: &'a str,
    /// Where the run's writes go, kept together with those of the other runs of its pass.
    pub journal: &'a Journal,
    /// Writes that may wait for the run's next one (see [`Run::put_off`]).
    pub put_off: std::sync::Mutex<Vec<Write>>,
}

impl<'a> Run<'a> {
    pub fn new(state: &'a AppState, job: &'a Job, owner: &'a str, journal: &'a Journal) -> Self {
        Run {
            state,
            job,
            owner,
            journal,
            put_off: std::sync::Mutex::new(Vec::new()),
        }
    }

    /// Keeps `write` and whatever the run put off, in one transaction. Whether all were kept:
    /// false when one changes a job another worker holds now.
    async fn write(&self, write: Write) -> Result<bool, sqlx::Error> {
        self.put_off(write);
        self.flush().await
    }

    /// A write that need not be kept before the run goes on: it goes with the run's next write,
    /// and always before the run's next call to the network (or its end), so what the ledger
    /// and the job say never lags behind a call. A pass then costs two transactions per post
    /// (before and after its call) rather than one per step.
    fn put_off(&self, write: Write) {
        let mut put_off = self
            .put_off
            .lock()
            .expect("no run panics holding its writes");
        if write.changes_job() {
            // Each change carries the job's whole progress: the newest says all.
            put_off.retain(|earlier| !matches!(earlier, Write::ChangeJob(_)));
        }
        put_off.push(write);
    }

    /// Keeps what the run put off, if anything: before a call leaves, and at the run's end.
    /// False: the job is another worker's now.
    async fn flush(&self) -> Result<bool, sqlx::Error> {
        let writes = self.take_put_off();
        if writes.is_empty() {
            return Ok(true);
        }
        self.journal.write(writes).await
    }

    fn take_put_off(&self) -> Vec<Write> {
        std::mem::take(
            &mut *self
                .put_off
                .lock()
                .expect("no run panics holding its writes"),
        )
    }

    fn now(&self) -> DateTime<Utc> {
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
