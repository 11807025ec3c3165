//! Publishing to a Facebook Page (spec §2): a text or link post, one photo, several photos
//! (uploaded unpublished, then attached to one post), or a video.

use chrono::Duration;

use crate::domain::counting;
use crate::domain::jobs::AttemptOutcome;
use crate::error::AppError;
use crate::server::providers::meta::MetaClient;
use crate::server::providers::meta::publishing_calls::VideoState;
use crate::server::providers::{MediaKind, Target};
use crate::server::publishing::steps::{Entry, Progress, Run, Step, note, publish_once, try_call};

/// Between reads of a video still being processed.
const VIDEO_POLL_EVERY: Duration = Duration::seconds(15);
/// About an hour of processing before Herald stops waiting and says so.
const VIDEO_POLLS_MAX: u32 = 240;

pub(super) async fn advance(
    meta: &MetaClient,
    run: &Run<'_>,
    target: &Target,
    progress: &mut Progress,
) -> Result<Step, AppError> {
    let (page, token, caption) = (&target.remote_account, &target.token, &target.caption);
    let kinds: Vec<MediaKind> = target.media.iter().map(|media| media.kind).collect();
    match kinds.as_slice() {
        [] => {
            // A link in the text becomes the post's link card, as on facebook.com.
            let link = counting::links(caption).into_iter().next();
            publish_once(run, progress, "create_post", || async {
                let post = meta
                    .create_page_post(page, token, caption, link, &[])
                    .await?;
                Ok((post.id, post.permalink))
            })
            .await
        }
        [MediaKind::Image] => {
            let url = &target.media[0].url;
            publish_once(run, progress, "publish_photo", || async {
                let photo = meta
                    .upload_page_photo(page, token, url, Some(caption), true)
                    .await?;
                Ok((photo.post_id.unwrap_or(photo.id), None))
            })
            .await
        }
        [MediaKind::Video] => {
            let url = &target.media[0].url;
            publish_once(run, progress, "publish_video", || async {
                let video_id = meta.create_page_video(page, token, url, caption).await?;
                Ok((video_id, None))
            })
            .await
        }
        _ if kinds.iter().all(|kind| *kind == MediaKind::Image) => {
            let uploaded = progress.photo_ids.len();
            if let Some(next) = target.media.get(uploaded) {
                let call = meta.upload_page_photo(page, token, &next.url, None, false);
                return Ok(match try_call(run, progress, "upload_photo", call).await? {
                    Ok(photo) => {
                        note(
                            run,
                            "upload_photo",
                            &Entry {
                                remote_id: Some(&photo.id),
                                ..Entry::outcome(AttemptOutcome::Succeeded)
                            },
                        );
                        progress.photo_ids.push(photo.id);
                        Step::Continue
                    }
                    Err(step) => step,
                });
            }
            let photos = progress.photo_ids.clone();
            publish_once(run, progress, "create_post", || async {
                let post = meta
                    .create_page_post(page, token, caption, None, &photos)
                    .await?;
                Ok((post.id, post.permalink))
            })
            .await
        }
        // The composer refuses pictures mixed with videos for Facebook; a post saved before
        // that rule existed says so rather than sending half of it.
        _ => Ok(Step::Failed {
            reason: "media_refused",
            detail: Some("Facebook posts take pictures or one video, not both".to_owned()),
        }),
    }
}

/// Once a video post exists: the end of its processing (its address comes with it).
pub(super) async fn video_processed(
    meta: &MetaClient,
    run: &Run<'_>,
    target: &Target,
    progress: &mut Progress,
    remote_id: String,
) -> Result<Step, AppError> {
    let call = meta.page_video_status(&remote_id, &target.token);
    let status = match try_call(run, progress, "check_video", call).await? {
        Ok(status) => status,
        Err(step) => return Ok(step),
    };
    Ok(match status.state {
        VideoState::Ready => Step::Published {
            remote_id,
            url: status.permalink,
        },
        VideoState::Failed => Step::Failed {
            reason: "video_failed",
            detail: None,
        },
        VideoState::Processing if progress.polls >= VIDEO_POLLS_MAX => Step::Failed {
            reason: "video_failed",
            detail: Some("Facebook was still processing the video after an hour".into()),
        },
        VideoState::Processing => {
            progress.polls += 1;
            Step::WaitUntil(run.now() + VIDEO_POLL_EVERY)
        }
    })
}
