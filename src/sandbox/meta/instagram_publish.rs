//! Instagram's two-step publishing on either host (§3.1, §3.4): `POST /{ig-user-id}/media`
//! makes a container once the caption and the downloaded media pass Instagram's rules, and
//! `POST /{ig-user-id}/media_publish` turns a FINISHED container into live media, within the
//! rolling-day quota.

use axum::response::{IntoResponse, Response};
use chrono::{DateTime, Duration, Utc};
use serde_json::json;

use super::captions;
use super::dispatch::Call;
use super::errors::GraphError;
use super::instagram_access::{self, InstagramCaller};
use super::instagram_content::{
    Container, ContainerFailure, ContainerKind, ContainerStatus, InstagramMedia,
    QUOTA_WINDOW_SECONDS,
};
use super::instagram_errors;
use super::media::Fetched;
use super::permalinks;
use super::publishing::Publishing;
use super::request::Incoming;
use super::tokens::Network;
use super::usage;

const MIN_CAROUSEL_CHILDREN: usize = 2;
const MAX_CAROUSEL_CHILDREN: usize = 10;
/// "≤8 MB" read as MiB, as the 36000 message says (§4.1).
const MAX_IMAGE_BYTES: u64 = 8 * 1024 * 1024;
/// 4:5 … 1.91:1 (§3.7), with room for rounding: 1200×628 is a 1.91:1 picture.
const MIN_ASPECT: f64 = 0.8 - 0.005;
const MAX_ASPECT: f64 = 1.91 + 0.005;

pub(super) fn create_container(call: &mut Call<'_>, network: Network, id: &str) -> Response {
    create_answer(call, network, id).unwrap_or_else(IntoResponse::into_response)
}

pub(super) fn publish(call: &mut Call<'_>, network: Network, id: &str) -> Response {
    publish_answer(call, network, id).unwrap_or_else(IntoResponse::into_response)
}

fn create_answer(call: &mut Call<'_>, network: Network, id: &str) -> Result<Response, GraphError> {
    let caller = instagram_access::required_caller(call, network, id, id)?;
    caller.require_publishing()?;
    let request = call.request;
    if request.param("upload_type") == Some("resumable") {
        return Err(GraphError::numbered(
            100,
            "upload_type=resumable is not emulated by Herald's sandbox; send video_url",
        ));
    }
    let kind = container_kind(request)?;
    let caption = request.param("caption").filter(|_| kind.takes_caption());
    if let Some(caption) = caption {
        captions::check(caption).map_err(instagram_errors::caption)?;
    }
    let mut children = Vec::new();
    let mut media_url = None;
    let mut failure = None;
    if kind == ContainerKind::Carousel {
        children = carousel_children(call, &caller)?;
    } else if kind.is_video() {
        let url = required(request, "video_url")?;
        failure = video_failure(request, url);
        media_url = Some(url.to_owned());
    } else {
        let url = required(request, "image_url")?;
        check_image(request, url, kind)?;
        media_url = Some(url.to_owned());
    }
    let share_to_feed = request.flag("share_to_feed", true)?;
    let publishing = &mut call.state.publishing;
    // A scripted failure belongs to the next container actually made, whatever went before.
    let failure = publishing.instagram.next_failure.take().or(failure);
    let container_id = publishing.next_container_id();
    for child in publishing
        .instagram
        .containers
        .iter_mut()
        .filter(|container| children.contains(&container.id))
    {
        child.carousel_id = Some(container_id.clone());
    }
    let processing_reads = if kind.is_video() {
        publishing.video_processing_reads
    } else {
        // Images (and carousels of finished items) are FINISHED at the first look.
        0
    };
    publishing.instagram.containers.push(Container {
        id: container_id.clone(),
        account_id: caller.account_id.clone(),
        kind,
        media_url,
        children,
        caption: caption.map(str::to_owned),
        alt_text: request.param("alt_text").map(str::to_owned),
        share_to_feed,
        created_at: call.now,
        reads: 0,
        processing_reads,
        failure,
        media_id: None,
        carousel_id: None,
    });
    Ok(usage::answer(
        call.state,
        caller.usage(),
        json!({ "id": container_id }),
    ))
}

/// What `media_type` and `is_carousel_item` ask for (§3.1).
fn container_kind(request: &Incoming) -> Result<ContainerKind, GraphError> {
    let media_type = request.param("media_type").map(str::to_ascii_uppercase);
    let carousel_item = request.flag("is_carousel_item", false)?;
    match (media_type.as_deref(), carousel_item) {
        (None | Some("IMAGE"), false) => Ok(ContainerKind::Image),
        (None | Some("IMAGE"), true) => Ok(ContainerKind::CarouselImage),
        (Some("VIDEO"), true) => Ok(ContainerKind::CarouselVideo),
        (Some("VIDEO"), false) => Err(instagram_errors::unknown_media_type(
            "The media_type VIDEO is no longer supported for single feed videos: use REELS",
        )),
        (Some("REELS"), false) => Ok(ContainerKind::Reel),
        (Some("STORIES"), false) if request.param("video_url").is_some() => {
            Ok(ContainerKind::StoryVideo)
        }
        (Some("STORIES"), false) => Ok(ContainerKind::StoryImage),
        (Some("CAROUSEL"), false) => Ok(ContainerKind::Carousel),
        (Some(other), true) => Err(instagram_errors::unknown_media_type(&format!(
            "A carousel item is an image or media_type=VIDEO, not {other}"
        ))),
        (Some(other), false) => Err(instagram_errors::unknown_media_type(&format!(
            "The media_type {other} is not supported"
        ))),
    }
}

fn required<'r>(request: &'r Incoming, name: &str) -> Result<&'r str, GraphError> {
    request
        .param(name)
        .ok_or_else(|| GraphError::missing_parameter(name))
}

/// Images are judged at creation, as Instagram answers for them at once (§4.3).
fn check_image(request: &Incoming, url: &str, kind: ContainerKind) -> Result<(), GraphError> {
    let media = match request.attachments.fetched(url) {
        Some(Fetched::Received(media)) => media,
        Some(Fetched::Failed { .. }) | None => {
            return Err(instagram_errors::media_unreachable(url));
        }
    };
    if media.size > MAX_IMAGE_BYTES {
        return Err(instagram_errors::image_too_large());
    }
    if !media.is_jpeg() {
        return Err(instagram_errors::image_format());
    }
    if kind.is_story() {
        // Stories are shown full screen whatever their shape.
        return Ok(());
    }
    let (width, height) = media
        .dimensions()
        .ok_or_else(instagram_errors::image_format)?;
    let aspect = f64::from(width) / f64::from(height.max(1));
    if (MIN_ASPECT..=MAX_ASPECT).contains(&aspect) {
        Ok(())
    } else {
        Err(instagram_errors::aspect_ratio(width, height))
    }
}

/// Videos are downloaded as Instagram processes them, so their problems surface later, as the
/// container's `ERROR` status (§3.2), not as an error on creation.
fn video_failure(request: &Incoming, url: &str) -> Option<ContainerFailure> {
    match request.attachments.fetched(url) {
        Some(Fetched::Received(media)) if media.is_video() => None,
        Some(Fetched::Received(_)) => Some(instagram_errors::video_format()),
        Some(Fetched::Failed { .. }) | None => Some(instagram_errors::video_unreachable()),
    }
}

/// `children`: 2–10 unused, FINISHED carousel-item containers of this account, comma-separated
/// (a JSON array is read too, as JSON bodies send one).
fn carousel_children(call: &Call<'_>, caller: &InstagramCaller) -> Result<Vec<String>, GraphError> {
    let raw = required(call.request, "children")?;
    let ids: Vec<String> = match serde_json::from_str::<Vec<serde_json::Value>>(raw) {
        Ok(items) => items
            .iter()
            .map(|item| {
                item.as_str()
                    .map_or_else(|| item.to_string(), str::to_owned)
            })
            .collect(),
        Err(_) => raw
            .split(',')
            .map(str::trim)
            .filter(|id| !id.is_empty())
            .map(str::to_owned)
            .collect(),
    };
    if !(MIN_CAROUSEL_CHILDREN..=MAX_CAROUSEL_CHILDREN).contains(&ids.len()) {
        return Err(instagram_errors::carousel(&format!(
            "a carousel needs {MIN_CAROUSEL_CHILDREN} to {MAX_CAROUSEL_CHILDREN} children, \
             this one has {}",
            ids.len()
        )));
    }
    let content = &call.state.publishing.instagram;
    for (index, id) in ids.iter().enumerate() {
        let problem = match content
            .container(id)
            .filter(|child| child.account_id == caller.account_id)
        {
            None => Some("is not a container of this account"),
            Some(child) if !child.kind.is_carousel_item() => {
                Some("is not a carousel item (is_carousel_item=true)")
            }
            Some(child) if child.carousel_id.is_some() || ids[..index].contains(id) => {
                Some("is already used in a carousel")
            }
            Some(child) if child.status(call.now) != ContainerStatus::Finished => {
                Some("is not FINISHED")
            }
            Some(_) => None,
        };
        if let Some(problem) = problem {
            return Err(instagram_errors::carousel(&format!("child {id} {problem}")));
        }
    }
    Ok(ids)
}

fn publish_answer(call: &mut Call<'_>, network: Network, id: &str) -> Result<Response, GraphError> {
    let caller = instagram_access::required_caller(call, network, id, id)?;
    caller.require_publishing()?;
    let creation_id = required(call.request, "creation_id")?;
    let content = &call.state.publishing.instagram;
    let container = content
        .container(creation_id)
        .filter(|container| container.account_id == caller.account_id)
        .ok_or_else(|| instagram_errors::container_not_found(creation_id))?;
    if container.kind.is_carousel_item() {
        return Err(GraphError::numbered(
            100,
            "A carousel item cannot be published on its own: publish its CAROUSEL container",
        ));
    }
    match container.status(call.now) {
        ContainerStatus::Finished => {}
        ContainerStatus::Published => {
            return Err(instagram_errors::already_published(creation_id));
        }
        ContainerStatus::Expired => return Err(instagram_errors::expired()),
        ContainerStatus::InProgress | ContainerStatus::Error(_) => {
            return Err(instagram_errors::not_ready());
        }
    }
    let window_start = call.now - Duration::seconds(QUOTA_WINDOW_SECONDS);
    if content.quota_usage(&caller.account_id, window_start) >= content.quota_total {
        return Err(instagram_errors::quota_reached());
    }
    let container = container.clone();
    let media_id = go_live(call, &container);
    Ok(usage::answer(
        call.state,
        caller.usage(),
        json!({ "id": media_id }),
    ))
}

/// Makes the container's media (and a carousel's children's) live, and counts it once.
fn go_live(call: &mut Call<'_>, container: &Container) -> String {
    let base_url = &call.world.base_url;
    let publishing = &mut call.state.publishing;
    let mut sources = Vec::new();
    let mut children = Vec::new();
    for child_id in &container.children {
        let Some(child) = publishing.instagram.container(child_id).cloned() else {
            continue;
        };
        let child_sources = own_sources(&child);
        sources.extend(child_sources.iter().cloned());
        children.push(make_media(
            publishing,
            base_url,
            &child,
            call.now,
            (child_sources, Vec::new()),
        ));
    }
    sources.extend(own_sources(container));
    let media_id = make_media(
        publishing,
        base_url,
        container,
        call.now,
        (sources, children),
    );
    publishing
        .instagram
        .quota_uses
        .push((container.account_id.clone(), call.now));
    media_id
}

fn own_sources(container: &Container) -> Vec<(String, bool)> {
    container
        .media_url
        .iter()
        .map(|url| (url.clone(), container.kind.is_video()))
        .collect()
}

/// Records the media made from `container`, with its (sources, children), and marks the
/// container PUBLISHED.
fn make_media(
    publishing: &mut Publishing,
    base_url: &str,
    container: &Container,
    now: DateTime<Utc>,
    (sources, children): (Vec<(String, bool)>, Vec<String>),
) -> String {
    let id = publishing.next_media_id();
    let shortcode = Publishing::new_shortcode();
    let sequence = publishing.next_sequence();
    publishing.instagram.media.push(InstagramMedia {
        id: id.clone(),
        account_id: container.account_id.clone(),
        container_id: container.id.clone(),
        kind: container.kind,
        permalink: permalinks::instagram_media(base_url, &shortcode),
        shortcode,
        caption: container.caption.clone(),
        sources,
        children,
        share_to_feed: container.share_to_feed,
        published_at: now,
        sequence,
    });
    if let Some(made) = publishing.instagram.container_mut(&container.id) {
        made.media_id = Some(id.clone());
    }
    id
}

#[cfg(test)]
mod tests {
    use axum::http::{HeaderMap, Method};

    use super::*;

    fn request(query: &str) -> Incoming {
        Incoming::parse(
            Method::POST,
            "/graph.facebook.com/v23.0/17841400000000001/media",
            Some(query),
            &HeaderMap::new(),
            b"",
        )
    }

    #[test]
    fn media_type_and_carousel_flag_pick_the_container_kind() {
        let kind = |query: &str| container_kind(&request(query));
        assert_eq!(kind("image_url=x").unwrap(), ContainerKind::Image);
        assert_eq!(
            kind("is_carousel_item=true&image_url=x").unwrap(),
            ContainerKind::CarouselImage
        );
        assert_eq!(
            kind("is_carousel_item=true&media_type=VIDEO").unwrap(),
            ContainerKind::CarouselVideo
        );
        assert_eq!(kind("media_type=REELS").unwrap(), ContainerKind::Reel);
        assert_eq!(
            kind("media_type=STORIES&video_url=x").unwrap(),
            ContainerKind::StoryVideo
        );
        assert_eq!(
            kind("media_type=STORIES&image_url=x").unwrap(),
            ContainerKind::StoryImage
        );
        assert_eq!(
            kind("media_type=CAROUSEL").unwrap(),
            ContainerKind::Carousel
        );
        let single_video = kind("media_type=VIDEO").unwrap_err();
        assert_eq!(
            (single_video.code, single_video.subcode),
            (100, Some(2207023))
        );
        assert!(kind("is_carousel_item=true&media_type=REELS").is_err());
    }
}
