//! Did an Instagram `media_publish` whose answer never came publish? The container's status
//! says (PUBLISHED or not); the media it became is then found among the account's latest.

use chrono::{DateTime, Utc};

use crate::domain::post::PostFormat;
use crate::server::providers::meta::publishing_calls::{ContainerState, GraphHost};
use crate::server::providers::meta::{MetaClient, MetaError};
use crate::server::providers::{Finding, Target};
use crate::server::publishing::steps::Progress;

/// How many of the account's latest media are read back.
const RECENT_MEDIA: u32 = 10;

pub(super) async fn find(
    meta: &MetaClient,
    target: &Target,
    progress: &mut Progress,
    since: Option<DateTime<Utc>>,
) -> Result<Finding, MetaError> {
    let Some(container) = progress.container.clone() else {
        return Ok(absent(progress, true));
    };
    let host = GraphHost::of(target.connection);
    Ok(
        match meta
            .container_state(host, &container, &target.token)
            .await?
        {
            // Stories are listed apart from the feed (spec §3.6) and carry no caption: the one
            // Story made since the attempt began is this one. With none or several, the
            // container's id is the one held.
            ContainerState::Published if target.format == PostFormat::Story => {
                let stories = meta
                    .recent_instagram_stories(host, &target.remote_account, &target.token)
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
                        remote_id: container,
                        url: None,
                    },
                }
            }
            ContainerState::Published => {
                let media = meta
                    .recent_instagram_media(
                        host,
                        &target.remote_account,
                        &target.token,
                        RECENT_MEDIA,
                    )
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
                        remote_id: container,
                        url: None,
                    },
                }
            }
            ContainerState::Finished => absent(progress, false),
            ContainerState::Expired => absent(progress, true),
            ContainerState::InProgress => Finding::NotYet,
            ContainerState::Error(status) => Finding::Failed(status),
        },
    )
}

/// Nothing was published; an expired (or missing) container is made again first.
fn absent(progress: &mut Progress, remake_container: bool) -> Finding {
    if remake_container {
        progress.container = None;
        progress.container_ready = false;
    }
    Finding::Absent
}
