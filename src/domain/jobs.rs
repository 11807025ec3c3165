//! The states of Herald's durable work: what a job does, where it stands in the queue, and how
//! each attempt at a network call ended (the publishing ledger).

use serde::{Deserialize, Serialize};

use super::{AccountId, AttemptId, JobId, PostId, WorkspaceId};

/// What a queued job does.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum JobKind {
    /// Publish one post to one account.
    Publish,
    /// Check (and renew, where the network allows) one account's token before posts fall due.
    CheckAccount,
    /// Take a published post target's figures at 1 h, 24 h, 7 days and 30 days.
    CollectPostFigures,
    /// Take one account's own figures (followers, its day's reach), once a day.
    CollectAccountFigures,
}

text_forms!(JobKind {
    Publish => "publish",
    CheckAccount => "check_account",
    CollectPostFigures => "collect_post_figures",
    CollectAccountFigures => "collect_account_figures",
});

/// Where a job stands in the queue.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum JobStatus {
    /// Waiting for its due time (or for a retry, a poll, a rate limit to pass).
    Queued,
    /// Held by a worker under a lease.
    Running,
    Done,
    Failed,
}

text_forms!(JobStatus {
    Queued => "queued",
    Running => "running",
    Done => "done",
    Failed => "failed",
});

/// How one attempt at a network call ended, as the ledger records it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AttemptOutcome {
    /// Recorded before the call leaves; still so if no answer was ever recorded.
    Sending,
    Succeeded,
    Failed,
    /// Failed for now; the job tries again later.
    WillRetry,
    /// Nothing was sent: Herald waits (a rate limit, a usage budget nearly spent).
    Waiting,
    /// The call may have been made; Herald is finding out.
    OutcomeUnknown,
    /// Reconciling found the post live.
    FoundPosted,
    /// Reconciling proved nothing was posted.
    FoundAbsent,
}

text_forms!(AttemptOutcome {
    Sending => "sending",
    Succeeded => "succeeded",
    Failed => "failed",
    WillRetry => "will_retry",
    Waiting => "waiting",
    OutcomeUnknown => "outcome_unknown",
    FoundPosted => "found_posted",
    FoundAbsent => "found_absent",
});

/// A job as the queue holds it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Job {
    pub id: JobId,
    pub workspace_id: WorkspaceId,
    pub kind: JobKind,
    /// The post a publishing or figure-collecting job is about; none for an account's own.
    pub post_id: Option<PostId>,
    pub account_id: AccountId,
    /// How far the job got, as its runner writes it (JSON).
    pub progress: String,
    /// Unix milliseconds.
    pub due_at: i64,
}

/// One attempt at a network call, as the ledger holds it and the post's page lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Attempt {
    pub id: AttemptId,
    pub account_id: AccountId,
    /// `create_post`, `upload_photo`, `create_container`, `publish_container`, `reconcile`…
    pub step: String,
    pub outcome: AttemptOutcome,
    pub reason: Option<String>,
    pub detail: Option<String>,
    pub remote_id: Option<String>,
    pub started_at: i64,
    pub finished_at: Option<i64>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn job_states_read_back_what_they_write() {
        for kind in JobKind::ALL {
            assert_eq!(JobKind::parse(kind.as_str()), Some(*kind));
        }
        for status in JobStatus::ALL {
            assert_eq!(JobStatus::parse(status.as_str()), Some(*status));
        }
        for outcome in AttemptOutcome::ALL {
            assert_eq!(AttemptOutcome::parse(outcome.as_str()), Some(*outcome));
        }
        assert_eq!(JobStatus::parse("paused"), None);
    }
}
