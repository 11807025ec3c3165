//! Writing the ledger for a run: every call that matters gets a row, numbered per job and
//! step so its idempotency key is unique, and a call that publishes gets its row *before* it
//! leaves.

use crate::domain::AttemptId;
use crate::server::db::{self, attempts};

use super::Run;

/// What the ledger says about one attempt once it is over.
pub(crate) struct Entry<'a> {
    pub outcome: &'a str,
    pub reason: Option<&'a str>,
    pub detail: Option<&'a str>,
    pub remote_id: Option<&'a str>,
}

impl<'a> Entry<'a> {
    pub fn outcome(outcome: &'a str) -> Self {
        Entry {
            outcome,
            reason: None,
            detail: None,
            remote_id: None,
        }
    }
}

/// Opens an attempt at `step`, marked "sending".
pub(crate) async fn begin(run: &Run<'_>, step: &str) -> Result<AttemptId, sqlx::Error> {
    let pool = run.state.db.pool();
    let done_before = attempts::count_for_step(pool, &run.job.id, step).await?;
    let key = format!("{}/{step}/{}", run.job.id, done_before + 1);
    let post_id = run
        .job
        .post_id
        .as_ref()
        .expect("publishing jobs name their post");
    attempts::begin(
        pool,
        &attempts::NewAttempt {
            workspace_id: &run.job.workspace_id,
            post_id,
            account_id: &run.job.account_id,
            job_id: &run.job.id,
            step,
            idempotency_key: &key,
            now: db::millis(run.now()),
        },
    )
    .await
}

pub(crate) async fn end(
    run: &Run<'_>,
    id: &AttemptId,
    entry: &Entry<'_>,
) -> Result<(), sqlx::Error> {
    attempts::finish(
        run.state.db.pool(),
        id,
        &attempts::Ending {
            outcome: entry.outcome,
            reason: entry.reason,
            detail: entry.detail,
            remote_id: entry.remote_id,
            now: db::millis(run.now()),
        },
    )
    .await
}

/// An attempt begun and ended at once: a read, or a decision to wait.
pub(crate) async fn note(run: &Run<'_>, step: &str, entry: &Entry<'_>) -> Result<(), sqlx::Error> {
    let id = begin(run, step).await?;
    end(run, &id, entry).await
}
