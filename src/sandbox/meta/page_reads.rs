//! Reading back what was published to a Page (§2.4, §2.5): a post, photo or video by id, and
//! the Page's `/feed` — what a client checks to settle a publish whose answer it never got.

use axum::http::Method;
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, Utc};
use serde_json::{Map, Value, json};

use super::dispatch::Call;
use super::errors::GraphError;
use super::fields::{self, Field};
use super::page_access;
use super::page_content::{PageObject, PagePhoto, PagePost, PageVideo, PostKind, Publication};
use super::page_counts;
use super::paging;
use super::permalinks;
use super::publishing::{Publishing, graph_time};
use super::request::Incoming;
use super::state::State;
use super::usage::{self, Caller};
use super::world::{SandboxPage, World};

/// What a post answers when `fields` is absent, on its own or in `/feed`.
const DEFAULT_POST_FIELDS: [&str; 3] = ["created_time", "message", "id"];
const POST_FIELDS: [&str; 15] = [
    "id",
    "message",
    "created_time",
    "updated_time",
    "permalink_url",
    "is_published",
    "scheduled_publish_time",
    "from",
    "link",
    "full_picture",
    "attachments",
    "status_type",
    "shares",
    "reactions",
    "comments",
];
const DEFAULT_PHOTO_FIELDS: [&str; 3] = ["created_time", "name", "id"];
const DEFAULT_VIDEO_FIELDS: [&str; 3] = ["updated_time", "description", "id"];

pub(super) fn knows(state: &State, id: &str) -> bool {
    state.publishing.page.find(id).is_some()
}

/// `GET /{post-id}`, `/{photo-id}`, `/{video-id}`.
pub(super) fn read_object(call: &mut Call<'_>, id: &str) -> Response {
    read_object_answer(call, id).unwrap_or_else(IntoResponse::into_response)
}

/// `GET /{page-id}/feed` (and `/posts`, `/published_posts`: live posts, newest first) or
/// `/scheduled_posts`.
pub(super) fn list_posts(call: &mut Call<'_>, page_id: &str, edge: &str) -> Response {
    list_posts_answer(call, page_id, edge).unwrap_or_else(IntoResponse::into_response)
}

/// The fields a request asks of a post, refused up front when one is unknown, so a
/// read-after-write with a bad selector fails before anything is made.
pub(super) fn requested_post_fields(request: &Incoming) -> Result<Option<Vec<Field>>, GraphError> {
    let Some(selector) = request.param("fields") else {
        return Ok(None);
    };
    let wanted = fields::parse(selector)?;
    if let Some(unknown) = wanted
        .iter()
        .find(|field| !POST_FIELDS.contains(&field.name.as_str()))
    {
        return Err(GraphError::nonexisting_field(&unknown.name, "Post"));
    }
    Ok(Some(wanted))
}

fn read_object_answer(call: &mut Call<'_>, id: &str) -> Result<Response, GraphError> {
    let request = call.request;
    if request.method != Method::GET {
        return Err(GraphError::unsupported_request(&request.method, id));
    }
    let token = page_access::authenticate(call)?;
    let content = &call.state.publishing.page;
    let (object, page_id) = content
        .find(id)
        .zip(content.page_id_of(id))
        .ok_or_else(|| GraphError::unsupported_request(&request.method, id))?;
    if !page_access::may_manage(&token, page_id) {
        return Err(GraphError::unsupported_request(&request.method, id));
    }
    let page = call
        .world
        .page(page_id)
        .ok_or_else(|| GraphError::unsupported_request(&request.method, id))?;
    let body = match object {
        PageObject::Post(index) => {
            let wanted = requested_post_fields(request)?
                .unwrap_or_else(|| fields::defaults(&DEFAULT_POST_FIELDS));
            let post = &content.posts[index];
            post_fields(
                call.world,
                &call.state.publishing,
                page,
                post,
                &wanted,
                call.now,
            )
        }
        PageObject::Photo(index) => {
            let wanted = requested(request, &DEFAULT_PHOTO_FIELDS)?;
            photo_fields(call.world, page, &content.photos[index], &wanted)?
        }
        PageObject::Video(index) => {
            let wanted = requested(request, &DEFAULT_VIDEO_FIELDS)?;
            // Every read moves processing along: that is what "after N polls" counts.
            let video = &mut call.state.publishing.page.videos[index];
            let body = video_fields(page, video, &wanted, call.now)?;
            video.reads = video.reads.saturating_add(1);
            body
        }
    };
    Ok(usage::answer(call.state, Caller::of(&token), body))
}

fn list_posts_answer(
    call: &mut Call<'_>,
    page_id: &str,
    edge: &str,
) -> Result<Response, GraphError> {
    let (token, page) = page_access::caller_for_page(call, page_id)?;
    let request = call.request;
    if request.method != Method::GET {
        return Err(GraphError::unsupported_request(&request.method, page_id));
    }
    let wanted =
        requested_post_fields(request)?.unwrap_or_else(|| fields::defaults(&DEFAULT_POST_FIELDS));
    let limit = paging::parse_limit(request.param("limit"))?;
    let publishing = &call.state.publishing;
    let posts = if edge == "scheduled_posts" {
        publishing.page.scheduled_posts(&page.id, call.now)
    } else {
        publishing.page.live_posts(&page.id, call.now)
    };
    let ids: Vec<String> = posts.iter().map(|post| post.id()).collect();
    let id_refs: Vec<&str> = ids.iter().map(String::as_str).collect();
    let window = paging::window(
        &id_refs,
        limit,
        request.param("after"),
        request.param("before"),
    )?;
    let data: Vec<Value> = posts[window.clone()]
        .iter()
        .map(|post| post_fields(call.world, publishing, page, post, &wanted, call.now))
        .collect();
    let link = paging::repeating(&call.world.base_url, request, &token.value, limit);
    let mut body = json!({ "data": data });
    if let Some(links) = paging::paging(&id_refs, window, link) {
        body["paging"] = links;
    }
    Ok(usage::answer(call.state, Caller::of(&token), body))
}

fn requested(request: &Incoming, defaults: &[&str]) -> Result<Vec<Field>, GraphError> {
    match request.param("fields") {
        Some(selector) => fields::parse(selector),
        None => Ok(fields::defaults(defaults)),
    }
}

/// A post's fields; `wanted` was checked by `requested_post_fields`. Absent values (no message,
/// no link) are left out, as Graph leaves them out.
pub(super) fn post_fields(
    world: &World,
    publishing: &Publishing,
    page: &SandboxPage,
    post: &PagePost,
    wanted: &[Field],
    now: DateTime<Utc>,
) -> Value {
    let media = publishing.page.media_of(post);
    let counts = page_counts::post_figures(post, now);
    let mut object = Map::new();
    object.insert("id".to_owned(), json!(post.id()));
    for field in wanted {
        let value = match field.name.as_str() {
            "id" => json!(post.id()),
            "message" => match &post.message {
                Some(message) => json!(message),
                None => continue,
            },
            "created_time" | "updated_time" => json!(graph_time(post.shown_time(now))),
            "permalink_url" => json!(permalinks::facebook_post(
                &world.base_url,
                &post.page_id,
                &post.number
            )),
            "is_published" => json!(post.live_since(now).is_some()),
            "scheduled_publish_time" => match post.publication {
                Publication::Scheduled(at) => json!(at.timestamp()),
                Publication::Published | Publication::Draft => continue,
            },
            "from" => json!({ "name": page.name, "id": page.id }),
            "link" => match &post.link {
                Some(link) => json!(link),
                None => continue,
            },
            "full_picture" => match media.iter().find(|(_, is_video)| !is_video) {
                Some((url, _)) => json!(url),
                None => continue,
            },
            "attachments" => match attachments(post, &media) {
                Some(attachments) => attachments,
                None => continue,
            },
            "status_type" => json!(match post.kind {
                PostKind::Photo | PostKind::Album => "added_photos",
                PostKind::Video => "added_video",
                PostKind::Link => "shared_story",
                PostKind::Text => "mobile_status_update",
            }),
            // The counts its insights report; `shares` absent at zero (§2.5).
            "shares" | "reactions" | "comments" => match page_counts::counter(field, &counts) {
                Some(value) => value,
                None => continue,
            },
            _ => continue,
        };
        object.insert(field.name.clone(), value);
    }
    Value::Object(object)
}

fn attachments(post: &PagePost, media: &[(String, bool)]) -> Option<Value> {
    let photo = |url: &str| json!({ "media_type": "photo", "media": { "image": { "src": url } } });
    let attachment = match post.kind {
        PostKind::Text => return None,
        PostKind::Link => json!({ "media_type": "link", "url": post.link }),
        PostKind::Photo => photo(&media.first()?.0),
        PostKind::Album => {
            let items: Vec<Value> = media.iter().map(|(url, _)| photo(url)).collect();
            json!({ "media_type": "album", "subattachments": { "data": items } })
        }
        PostKind::Video => json!({
            "media_type": "video",
            "media": { "source": media.first()?.0 },
            "target": { "id": post.video_id },
        }),
    };
    Some(json!({ "data": [attachment] }))
}

fn photo_fields(
    world: &World,
    page: &SandboxPage,
    photo: &PagePhoto,
    wanted: &[Field],
) -> Result<Value, GraphError> {
    let mut object = Map::new();
    object.insert("id".to_owned(), json!(photo.id));
    for field in wanted {
        let value = match field.name.as_str() {
            "id" => json!(photo.id),
            "name" => match &photo.caption {
                Some(caption) => json!(caption),
                None => continue,
            },
            "created_time" | "updated_time" => json!(graph_time(photo.created_at)),
            "link" => match &photo.post_id {
                Some(post_id) => {
                    let number = post_id.rsplit('_').next().unwrap_or(post_id);
                    json!(permalinks::facebook_post(&world.base_url, &page.id, number))
                }
                None => json!(photo.source_url),
            },
            "picture" => json!(photo.source_url),
            "images" => {
                let (width, height) = photo.dimensions.unwrap_or((0, 0));
                json!([{ "source": photo.source_url, "width": width, "height": height }])
            }
            "page_story_id" => match &photo.post_id {
                Some(post_id) => json!(post_id),
                None => continue,
            },
            "from" => json!({ "name": page.name, "id": page.id }),
            other => return Err(GraphError::nonexisting_field(other, "Photo")),
        };
        object.insert(field.name.clone(), value);
    }
    Ok(Value::Object(object))
}

fn video_fields(
    page: &SandboxPage,
    video: &PageVideo,
    wanted: &[Field],
    now: DateTime<Utc>,
) -> Result<Value, GraphError> {
    let mut object = Map::new();
    object.insert("id".to_owned(), json!(video.id));
    for field in wanted {
        let value = match field.name.as_str() {
            "id" => json!(video.id),
            "title" => match &video.title {
                Some(title) => json!(title),
                None => continue,
            },
            "description" => match &video.description {
                Some(description) => json!(description),
                None => continue,
            },
            "created_time" | "updated_time" => json!(graph_time(video.created_at)),
            "permalink_url" => json!(permalinks::facebook_video_path(&page.username, &video.id)),
            "published" => json!(video.publication == Publication::Published),
            "source" => json!(video.source_url),
            "post_id" => match &video.post_id {
                Some(post_id) => json!(post_id),
                None => continue,
            },
            "status" => video_status(video, now),
            "from" => json!({ "name": page.name, "id": page.id }),
            other => return Err(GraphError::nonexisting_field(other, "Video")),
        };
        object.insert(field.name.clone(), value);
    }
    Ok(Value::Object(object))
}

/// §2.4's shape: "processing" for the first reads, then "ready" with every phase complete.
fn video_status(video: &PageVideo, now: DateTime<Utc>) -> Value {
    let uploading = json!({ "status": "complete", "bytes_transferred": video.size });
    if video.is_processing() {
        return json!({
            "video_status": "processing",
            "uploading_phase": uploading,
            "processing_phase": { "status": "in_progress" },
            "publishing_phase": { "status": "not_started" },
        });
    }
    let publish_status = match video.publication {
        Publication::Published => "published",
        Publication::Scheduled(at) if at <= now => "published",
        Publication::Scheduled(_) => "scheduled",
        Publication::Draft => "draft",
    };
    let mut publishing = json!({ "status": "complete", "publish_status": publish_status });
    if let Publication::Scheduled(at) = video.publication {
        publishing["publish_time"] = json!(at.timestamp());
    }
    json!({
        "video_status": "ready",
        "uploading_phase": uploading,
        "processing_phase": { "status": "complete" },
        "publishing_phase": publishing,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn video(processing_reads: u32, reads: u32) -> PageVideo {
        PageVideo {
            id: "122100000000000001".to_owned(),
            page_id: "1000000000000001".to_owned(),
            source_url: "http://127.0.0.1:9/v.mp4".to_owned(),
            title: None,
            description: Some("Clip".to_owned()),
            size: 42,
            post_id: None,
            publication: Publication::Published,
            created_at: Utc::now(),
            reads,
            processing_reads,
        }
    }

    #[test]
    fn a_video_is_processing_then_ready_with_every_phase_complete() {
        let processing = video_status(&video(2, 1), Utc::now());
        assert_eq!(processing["video_status"], "processing");
        assert_eq!(processing["processing_phase"]["status"], "in_progress");
        let ready = video_status(&video(2, 2), Utc::now());
        assert_eq!(ready["video_status"], "ready");
        assert_eq!(ready["uploading_phase"]["bytes_transferred"], 42);
        assert_eq!(ready["publishing_phase"]["publish_status"], "published");
    }

    #[test]
    fn unknown_post_fields_are_refused_before_anything_happens() {
        let request = Incoming::parse(
            Method::POST,
            "/graph.facebook.com/v23.0/1000000000000001/feed",
            Some("fields=id,permalink_url,birthday"),
            &axum::http::HeaderMap::new(),
            b"",
        );
        let error = requested_post_fields(&request).unwrap_err();
        assert_eq!(
            error.message,
            "(#100) Tried accessing nonexisting field (birthday) on node type (Post)"
        );
    }
}
