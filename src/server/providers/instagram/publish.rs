//! Publishing to Instagram (spec §3): containers for each item (a carousel's children first),
//! read until Meta has them FINISHED, the quota read, then `media_publish` — the one call that
//! publishes — and the permalink.

use chrono::Duration;

use crate::domain::jobs::AttemptOutcome;
use crate::domain::post::PostFormat;
use crate::error::AppError;
use crate::server::providers::meta::MetaClient;
use crate::server::providers::meta::errors::QUOTA_WAIT;
use crate::server::providers::meta::publishing_calls::{
    ContainerRequest, ContainerState, GraphHost, subcode_in_status,
};
use crate::server::providers::{MediaKind, Target};
use crate::server::publishing::steps::{
    ChildContainer, Entry, Progress, Run, Step, later, note, publish_once, try_call,
};

/// Pictures are usually FINISHED within seconds; videos take minutes (spec §3.2).
const IMAGE_POLL_EVERY: Duration = Duration::seconds(3);
const VIDEO_POLL_EVERY: Duration = Duration::seconds(20);
/// About ten minutes of reads before Herald stops waiting on a container.
const POLLS_MAX: u32 = 40;
/// Container errors about the media itself (spec §4.3): size, format, aspect, video format,
/// unreachable address.
const MEDIA_SUBCODES: [i64; 5] = [2207004, 2207005, 2207009, 2207026, 2207052];

pub(super) async fn advance(
    meta: &MetaClient,
    run: &Run<'_>,
    target: &Target,
    progress: &mut Progress,
) -> Result<Step, AppError> {
    if target.media.len() > 1
        && target.format == PostFormat::Feed
        && let Some(step) = prepare_children(meta, run, target, progress).await?
    {
        return Ok(step);
    }
    let Some(container) = progress.container.clone() else {
        let request = main_container(target, &progress.children)?;
        let call = meta.create_container(
            host(target),
            &target.remote_account,
            &target.token,
            &request,
        );
        return Ok(
            match try_call(run, progress, "create_container", call).await? {
                Ok(id) => {
                    note_success(run, "create_container", &id);
                    progress.container = Some(id);
                    progress.container_ready = false;
                    progress.polls = 0;
                    Step::Continue
                }
                Err(step) => step,
            },
        );
    };
    if !progress.container_ready {
        let has_video = target
            .media
            .iter()
            .any(|media| media.kind == MediaKind::Video);
        return Ok(
            match read_container(meta, run, target, progress, &container, has_video).await? {
                ContainerRead::Ready => {
                    progress.container_ready = true;
                    progress.polls = 0;
                    Step::Continue
                }
                ContainerRead::Remake => {
                    progress.container = None;
                    Step::Continue
                }
                ContainerRead::Then(step) => step,
            },
        );
    }
    let call = meta.publishing_quota(host(target), &target.remote_account, &target.token);
    let quota = match try_call(run, progress, "check_quota", call).await? {
        Ok(quota) => quota,
        Err(step) => return Ok(step),
    };
    if quota.is_reached() {
        let detail = format!("{} of {} posts in 24 hours", quota.used, quota.total);
        note(
            run,
            "check_quota",
            &Entry {
                reason: Some("quota_reached"),
                detail: Some(&detail),
                ..Entry::outcome(AttemptOutcome::Waiting)
            },
        );
        return Ok(Step::WaitUntil(later(run.now(), QUOTA_WAIT)));
    }
    publish_once(run, progress, "publish_container", || async {
        let id = meta
            .publish_container(
                host(target),
                &target.remote_account,
                &target.token,
                &container,
            )
            .await?;
        Ok((id, None))
    })
    .await
}

/// A carousel's item containers, made one by one and read until all are FINISHED. None: all
/// are ready.
async fn prepare_children(
    meta: &MetaClient,
    run: &Run<'_>,
    target: &Target,
    progress: &mut Progress,
) -> Result<Option<Step>, AppError> {
    if let Some(next) = target.media.get(progress.children.len()) {
        let request = match next.kind {
            MediaKind::Image => ContainerRequest::CarouselImage {
                image_url: next.url.clone(),
            },
            MediaKind::Video => ContainerRequest::CarouselVideo {
                video_url: next.url.clone(),
            },
        };
        let call = meta.create_container(
            host(target),
            &target.remote_account,
            &target.token,
            &request,
        );
        return Ok(Some(
            match try_call(run, progress, "create_item_container", call).await? {
                Ok(id) => {
                    note_success(run, "create_item_container", &id);
                    progress.children.push(ChildContainer { id, ready: false });
                    progress.polls = 0;
                    Step::Continue
                }
                Err(step) => step,
            },
        ));
    }
    let Some(index) = progress.children.iter().position(|child| !child.ready) else {
        return Ok(None);
    };
    let child = progress.children[index].id.clone();
    let is_video = target.media[index].kind == MediaKind::Video;
    Ok(Some(
        match read_container(meta, run, target, progress, &child, is_video).await? {
            ContainerRead::Ready => {
                progress.children[index].ready = true;
                progress.polls = 0;
                Step::Continue
            }
            ContainerRead::Remake => {
                // An item failed in passing or expired: every item and the carousel are
                // made again.
                progress.children.clear();
                progress.container = None;
                Step::Continue
            }
            ContainerRead::Then(step) => step,
        },
    ))
}

fn main_container(
    target: &Target,
    children: &[ChildContainer],
) -> Result<ContainerRequest, AppError> {
    let caption = target.caption.clone();
    Ok(match target.media.as_slice() {
        [] => {
            return Err(crate::server::error::internal(
                "an Instagram post without media reached the publisher",
            ));
        }
        [media] if target.format == PostFormat::Story => match media.kind {
            MediaKind::Image => ContainerRequest::StoryImage {
                image_url: media.url.clone(),
            },
            MediaKind::Video => ContainerRequest::StoryVideo {
                video_url: media.url.clone(),
            },
        },
        [media] if media.kind == MediaKind::Video => ContainerRequest::Reel {
            video_url: media.url.clone(),
            caption,
        },
        [media] => ContainerRequest::Image {
            image_url: media.url.clone(),
            caption,
            alt_text: Some(media.alt_text.clone()),
        },
        _ => ContainerRequest::Carousel {
            children: children.iter().map(|child| child.id.clone()).collect(),
            caption,
        },
    })
}

/// What one read of a container says to do.
enum ContainerRead {
    /// FINISHED: ready to be used.
    Ready,
    /// Expired, or failed in passing: make it again.
    Remake,
    Then(Step),
}

/// Reads a container once.
async fn read_container(
    meta: &MetaClient,
    run: &Run<'_>,
    target: &Target,
    progress: &mut Progress,
    container: &str,
    is_video: bool,
) -> Result<ContainerRead, AppError> {
    let call = meta.container_state(host(target), container, &target.token);
    let state = match try_call(run, progress, "check_container", call).await? {
        Ok(state) => state,
        Err(step) => return Ok(ContainerRead::Then(step)),
    };
    Ok(match state {
        ContainerState::Finished => ContainerRead::Ready,
        // Published before Herald heard (a run cut short): reconciliation finds what it became.
        ContainerState::Published => {
            progress.in_doubt = true;
            ContainerRead::Then(Step::Continue)
        }
        ContainerState::InProgress if progress.polls >= POLLS_MAX => {
            note(
                run,
                "check_container",
                &Entry {
                    reason: Some("container_error"),
                    detail: Some("still in progress after ten minutes"),
                    ..Entry::outcome(AttemptOutcome::Failed)
                },
            );
            ContainerRead::Then(Step::Failed {
                reason: "container_error",
                detail: Some("Instagram was still processing the media after ten minutes".into()),
            })
        }
        ContainerState::InProgress => {
            progress.polls += 1;
            let every = if is_video {
                VIDEO_POLL_EVERY
            } else {
                IMAGE_POLL_EVERY
            };
            ContainerRead::Then(Step::WaitUntil(run.now() + every))
        }
        ContainerState::Expired => {
            note(
                run,
                "check_container",
                &Entry {
                    reason: Some("container_expired"),
                    ..Entry::outcome(AttemptOutcome::WillRetry)
                },
            );
            ContainerRead::Remake
        }
        ContainerState::Error(status) => {
            let subcode = subcode_in_status(&status);
            note(
                run,
                "check_container",
                &Entry {
                    reason: Some("container_error"),
                    detail: Some(&status),
                    ..Entry::outcome(AttemptOutcome::Failed)
                },
            );
            // Instagram's own passing failures are worth a new container (spec §4.3).
            if matches!(subcode, Some(2207001 | 2207003 | 2207032 | 2207053))
                && progress.failures < 2
            {
                progress.failures += 1;
                ContainerRead::Remake
            } else {
                let about_media = subcode.is_some_and(|code| MEDIA_SUBCODES.contains(&code));
                ContainerRead::Then(Step::Failed {
                    reason: if about_media {
                        "media_refused"
                    } else {
                        "container_error"
                    },
                    detail: Some(status),
                })
            }
        }
    })
}

/// The Graph host the account is reached through: Instagram Login accounts on
/// graph.instagram.com, the others through their Page on graph.facebook.com.
fn host(target: &Target) -> GraphHost {
    GraphHost::of(target.connection)
}

fn note_success(run: &Run<'_>, step: &str, remote_id: &str) {
    note(
        run,
        step,
        &Entry {
            remote_id: Some(remote_id),
            ..Entry::outcome(AttemptOutcome::Succeeded)
        },
    );
}
