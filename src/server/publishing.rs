//! Publishing: "Publish" turns a draft into one job per account (`start`), and each job
//! publishes to its account step by step (`facebook`, `instagram`), writing every attempt in
//! the ledger, and — when a call that publishes got no answer — finding out whether it posted
//! (`reconcile`) before anything is tried again. A post is published once, never twice.

mod decide;
mod facebook;
mod instagram;
mod ledger;
mod once;
mod progress;
mod reconcile;
mod results;
mod run;
pub mod start;
mod target;

pub use run::run_job;

use chrono::{DateTime, Utc};

use crate::server::db::jobs::JobRow;
use crate::server::state::AppState;

/// One job being worked on by one worker, under its lease.
pub(crate) struct Run<'a> {
    pub state: &'a AppState,
    pub job: &'a JobRow,
    pub owner: &'a str,
}

impl Run<'_> {
    fn now(&self) -> DateTime<Utc> {
        self.state.clock.now()
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
