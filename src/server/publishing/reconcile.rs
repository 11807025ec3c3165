//! Finding out whether a call that publishes, whose answer never came, posted anything —
//! before anything is tried again. Instagram: the container's status says (PUBLISHED or
//! not). Facebook: the Page's recent posts are read back for the exact text, made after the
//! attempt began. Only proof that nothing was posted lets the job publish again.

use chrono::Duration;

use crate::domain::accounts::Network;
use crate::domain::jobs::AttemptOutcome;
use crate::domain::post::PostFormat;
use crate::error::AppError;
use crate::server::db::attempts;
use crate::server::providers::meta::MetaError;
use crate::server::providers::meta::publishing::ContainerState;

use super::decide;
use super::ledger::{self, Entry};
use super::progress::Progress;
use super::target::Target;
use super::{Run, Step};

/// How many recent posts are read back: far more than one Page makes in the minutes an
/// answer can be late by.
const RECENT_POSTS: u32 = 25;
/// Clocks differ; a post made a little "before" the attempt began by Meta's clock still counts.
const CLOCK_SLACK: Duration = Duration::minutes(10);
/// Failed reads before Herald stops and asks the person to look.
const READS_MAX: u32 = 5;

pub(crate) async fn reconcile(
    run: &Run<'_>,
    target: &Target,
    progress: &mut Progress,
) -> Result<Step, AppError> {
    let started_at = match &progress.pending {
        Some(id) => attempts::find(run.state.db.pool(), id)
            .await?
            .map(|attempt| attempt.started_at),
        None => None,
    };
    let since = started_at
        .and_then(chrono::DateTime::from_timestamp_millis)
        .map(|at| at - CLOCK_SLACK);
    if !run.flush().await? {
        return Ok(Step::LeaseLost);
    }
    let found = match target.network {
        Network::Facebook => facebook(run, target, since).await,
        Network::Instagram => instagram(run, target, progress, since).await,
    };
    let finding = match found {
        Ok(finding) => finding,
        Err(error) => return Ok(unreadable(run, progress, &error)),
    };
    progress.failures = 0;
    Ok(match finding {
        Finding::Posted { remote_id, url } => {
            ledger::note(
                run,
                "reconcile",
                &Entry {
                    remote_id: Some(&remote_id),
                    ..Entry::outcome(AttemptOutcome::FoundPosted)
                },
            );
            progress.pending = None;
            progress.in_doubt = false;
            progress.remote_id = Some(remote_id);
            progress.remote_url = url;
            Step::Continue
        }
        Finding::Absent { remake_container } => {
            ledger::note(
                run,
                "reconcile",
                &Entry::outcome(AttemptOutcome::FoundAbsent),
            );
            progress.pending = None;
            progress.in_doubt = false;
            if remake_container {
                progress.container = None;
                progress.container_ready = false;
            }
            Step::Continue
        }
        Finding::NotYet => Step::WaitUntil(run.now() + Duration::seconds(30)),
        Finding::Unknowable(detail) => {
            ledger::note(
                run,
                "reconcile",
                &Entry {
                    reason: Some("outcome_unknown"),
                    detail: Some(detail),
                    ..Entry::outcome(AttemptOutcome::OutcomeUnknown)
                },
            );
            Step::InDoubt {
                detail: Some(detail.to_owned()),
            }
        }
        Finding::Failed(detail) => Step::Failed {
            reason: "container_error",
            detail: Some(detail),
        },
    })
}

enum Finding {
    Posted {
        remote_id: String,
        url: Option<String>,
    },
    /// Nothing was posted: safe to publish again.
    Absent {
        remake_container: bool,
    },
    /// The network is still working on it.
    NotYet,
    /// Nothing Herald can read tells.
    Unknowable(&'static str),
    Failed(String),
}

async fn facebook(
    run: &Run<'_>,
    target: &Target,
    since: Option<chrono::DateTime<chrono::Utc>>,
) -> Result<Finding, MetaError> {
    let expected = target.caption.trim();
    if expected.is_empty() {
        // Any post without words would match: absence cannot be proven.
        return Ok(Finding::Unknowable(
            "the post has no text Herald could recognise it by",
        ));
    }
    let posts = run
        .state
        .meta
        .recent_page_posts(&target.remote_account, &target.token, RECENT_POSTS)
        .await?;
    let made_since = |post: &&crate::server::providers::meta::publishing::RecentPost| match (
        since,
        post.created_at,
    ) {
        (Some(since), Some(created)) => created >= since,
        _ => true,
    };
    Ok(
        match posts
            .iter()
            .filter(made_since)
            .find(|post| post.message.trim() == expected)
        {
            Some(post) => Finding::Posted {
                remote_id: post.id.clone(),
                url: post.permalink.clone(),
            },
            None => Finding::Absent {
                remake_container: false,
            },
        },
    )
}

async fn instagram(
    run: &Run<'_>,
    target: &Target,
    progress: &Progress,
    since: Option<chrono::DateTime<chrono::Utc>>,
) -> Result<Finding, MetaError> {
    let Some(container) = progress.container.as_deref() else {
        return Ok(Finding::Absent {
            remake_container: true,
        });
    };
    let meta = &run.state.meta;
    Ok(
        match meta
            .container_state(target.host, container, &target.token)
            .await?
        {
            // Stories are listed apart from the feed (spec §3.6) and carry no caption: the one
            // Story made since the attempt began is this one. With none or several, the
            // container's id is the one held.
            ContainerState::Published if target.format == PostFormat::Story => {
                let stories = meta
                    .recent_instagram_stories(target.host, &target.remote_account, &target.token)
                    .await?;
                let mut since_attempt =
                    stories
                        .into_iter()
                        .filter(|story| match (since, story.created_at) {
                            (Some(since), Some(created)) => created >= since,
                            _ => false,
                        });
                match (since_attempt.next(), since_attempt.next()) {
                    (Some(story), None) => Finding::Posted {
                        remote_id: story.id,
                        url: story.permalink,
                    },
                    _ => Finding::Posted {
                        remote_id: container.to_owned(),
                        url: None,
                    },
                }
            }
            ContainerState::Published => {
                let media = meta
                    .recent_instagram_media(target.host, &target.remote_account, &target.token, 10)
                    .await?;
                let expected = target.caption.trim();
                let found = media.into_iter().find(|item| {
                    item.caption.trim() == expected
                        && match (since, item.created_at) {
                            (Some(since), Some(created)) => created >= since,
                            _ => true,
                        }
                });
                match found {
                    Some(item) => Finding::Posted {
                        remote_id: item.id,
                        url: item.permalink,
                    },
                    // Live (the container says so) but not among the latest: the container's
                    // id is the one Herald holds.
                    None => Finding::Posted {
                        remote_id: container.to_owned(),
                        url: None,
                    },
                }
            }
            ContainerState::Finished => Finding::Absent {
                remake_container: false,
            },
            ContainerState::Expired => Finding::Absent {
                remake_container: true,
            },
            ContainerState::InProgress => Finding::NotYet,
            ContainerState::Error(status) => Finding::Failed(status),
        },
    )
}

/// The network could not be read: try again later, and after a few tries ask the person.
fn unreadable(run: &Run<'_>, progress: &mut Progress, error: &MetaError) -> Step {
    progress.failures += 1;
    let gave_up = progress.failures >= READS_MAX;
    ledger::note(
        run,
        "reconcile",
        &Entry {
            reason: Some("outcome_unknown"),
            detail: Some(&error.message),
            ..Entry::outcome(if gave_up {
                AttemptOutcome::OutcomeUnknown
            } else {
                AttemptOutcome::WillRetry
            })
        },
    );
    if gave_up {
        progress.failures = 0;
        return Step::InDoubt {
            detail: Some(error.message.clone()),
        };
    }
    Step::WaitUntil(decide::later(run.now(), decide::backoff(progress.failures)))
}
