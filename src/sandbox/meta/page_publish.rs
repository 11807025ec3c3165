//! Publishing to a Page (§2.1–§2.4): `POST /{page-id}/feed`, `/photos` and `/videos`, with
//! Graph's refusals for missing content, bad schedules, unusable files and missing permission.

use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};
use url::Url;

use super::dispatch::Call;
use super::errors::GraphError;
use super::media::{Fetched, Media};
use super::page_access;
use super::page_content::{PagePhoto, PagePost, PageVideo, PostKind, Publication};
use super::page_reads;
use super::request::Incoming;
use super::scheduled_time;
use super::usage::{self, Caller};

/// §2.2: "≤10 MB" per the Page-photo docs.
const MAX_PHOTO_BYTES: u64 = 10 * 1024 * 1024;

pub(super) fn route(call: &mut Call<'_>, page_id: &str, edge: &str) -> Response {
    let result = match edge {
        "feed" => create_post(call, page_id),
        "photos" => create_photo(call, page_id),
        "videos" => create_video(call, page_id),
        _ => Err(GraphError::unknown_path(&call.request.path)),
    };
    result.unwrap_or_else(IntoResponse::into_response)
}

fn create_post(call: &mut Call<'_>, page_id: &str) -> Result<Response, GraphError> {
    let (caller, page) = page_access::caller_for_page(call, page_id)?;
    page_access::require_publishing(&caller)?;
    let request = call.request;
    let wanted = page_reads::requested_post_fields(request)?;
    let message = request.param("message");
    let link = request.param("link");
    if let Some(link) = link {
        check_link(link)?;
    }
    let photo_ids = attached_media(request)?;
    if message.is_none() && link.is_none() && photo_ids.is_empty() {
        return Err(GraphError::numbered(100, "Missing message or attachment"));
    }
    let publication = scheduled_time::publication(
        request.flag("published", true)?,
        request.param("scheduled_publish_time"),
        call.now,
        scheduled_time::posts_reach(),
    )?;
    for (index, id) in photo_ids.iter().enumerate() {
        let attachable = call
            .state
            .publishing
            .page
            .photo(id)
            .is_some_and(|photo| photo.page_id == page.id && photo.post_id.is_none());
        let repeated = photo_ids[..index].contains(id);
        if !attachable || repeated {
            return Err(GraphError::numbered(
                100,
                format!(
                    "param attached_media[{index}] must be an unpublished photo of this Page \
                     not attached to another post; {id} is not"
                ),
            ));
        }
    }
    let kind = match (photo_ids.len(), link) {
        (0, Some(_)) => PostKind::Link,
        (0, None) => PostKind::Text,
        (1, _) => PostKind::Photo,
        _ => PostKind::Album,
    };
    let publishing = &mut call.state.publishing;
    let post = PagePost {
        page_id: page.id.clone(),
        number: publishing.next_facebook_id(),
        kind,
        message: message.map(str::to_owned),
        link: link.map(str::to_owned),
        photo_ids: photo_ids.clone(),
        video_id: None,
        created_at: call.now,
        publication,
        sequence: publishing.next_sequence(),
    };
    let post_id = post.id();
    for photo in publishing
        .page
        .photos
        .iter_mut()
        .filter(|photo| photo_ids.contains(&photo.id))
    {
        photo.post_id = Some(post_id.clone());
    }
    let body = match wanted {
        Some(wanted) => {
            page_reads::post_fields(call.world, publishing, page, &post, &wanted, call.now)
        }
        None => json!({ "id": post_id }),
    };
    publishing.page.posts.push(post);
    Ok(usage::answer(call.state, Caller::of(&caller), body))
}

/// A link Meta could never scrape is refused up front (§2.6: 2061006, invalid URL).
fn check_link(link: &str) -> Result<(), GraphError> {
    match Url::parse(link) {
        Ok(url) if matches!(url.scheme(), "http" | "https") && url.has_host() => Ok(()),
        _ => Err(
            GraphError::numbered(100, format!("The link {link} is not a valid URL"))
                .with_subcode(2061006),
        ),
    }
}

/// `attached_media` as one JSON array, or form-style `attached_media[0]={"media_fbid":"…"}`
/// (also `attached_media[0][media_fbid]=…`) (§2.3).
fn attached_media(request: &Incoming) -> Result<Vec<String>, GraphError> {
    let invalid = || {
        GraphError::numbered(
            100,
            "param attached_media must be an array of objects like {\"media_fbid\":\"<photo id>\"}",
        )
    };
    if let Some(text) = request.param("attached_media") {
        let value: Value = serde_json::from_str(text).map_err(|_| invalid())?;
        let items = value.as_array().ok_or_else(invalid)?;
        return items
            .iter()
            .map(|item| media_fbid(item).ok_or_else(invalid))
            .collect();
    }
    request
        .params
        .indexed("attached_media")
        .into_iter()
        .map(|(_, rest, value)| {
            let id = match rest {
                "" => serde_json::from_str::<Value>(value)
                    .ok()
                    .and_then(|item| media_fbid(&item)),
                "[media_fbid]" => Some(value.to_owned()),
                _ => None,
            };
            id.ok_or_else(invalid)
        })
        .collect()
}

fn media_fbid(item: &Value) -> Option<String> {
    match item.get("media_fbid")? {
        Value::String(id) if !id.is_empty() => Some(id.clone()),
        Value::Number(id) => Some(id.to_string()),
        _ => None,
    }
}

fn create_photo(call: &mut Call<'_>, page_id: &str) -> Result<Response, GraphError> {
    let (caller, page) = page_access::caller_for_page(call, page_id)?;
    page_access::require_publishing(&caller)?;
    let request = call.request;
    let publication = scheduled_time::publication(
        request.flag("published", true)?,
        request.param("scheduled_publish_time"),
        call.now,
        scheduled_time::posts_reach(),
    )?;
    let caption = request
        .param("caption")
        .or_else(|| request.param("message"));
    let (media, url) = photo_source(request)?;
    if media.size > MAX_PHOTO_BYTES {
        return Err(photo_too_large());
    }
    if !media.is_page_photo() {
        return Err(invalid_image());
    }
    let publishing = &mut call.state.publishing;
    let source_url = match url {
        Some(url) => url.to_owned(),
        None => publishing.keep_upload(&call.world.base_url, media.clone()),
    };
    let id = publishing.next_facebook_id();
    // A published (or scheduled) photo is a post of its own, numbered like the photo.
    let post_id = (publication != Publication::Draft).then(|| {
        let post = PagePost {
            photo_ids: vec![id.clone()],
            ..media_post(
                publishing,
                &page.id,
                &id,
                PostKind::Photo,
                caption,
                publication,
                call.now,
            )
        };
        keep_post(publishing, post)
    });
    publishing.page.photos.push(PagePhoto {
        id: id.clone(),
        page_id: page.id.clone(),
        source_url,
        caption: caption.map(str::to_owned),
        dimensions: media.dimensions(),
        post_id: post_id.clone(),
        created_at: call.now,
    });
    let body = match post_id {
        Some(post_id) => json!({ "id": id, "post_id": post_id }),
        None => json!({ "id": id }),
    };
    Ok(usage::answer(call.state, Caller::of(&caller), body))
}

/// The photo's bytes, and its URL unless it was uploaded.
/// The post a published photo or video makes of itself, numbered like the medium.
fn media_post(
    publishing: &mut super::publishing::Publishing,
    page_id: &str,
    id: &str,
    kind: PostKind,
    message: Option<&str>,
    publication: Publication,
    now: chrono::DateTime<chrono::Utc>,
) -> PagePost {
    PagePost {
        page_id: page_id.to_owned(),
        number: id.to_owned(),
        kind,
        message: message.map(str::to_owned),
        link: None,
        photo_ids: Vec::new(),
        video_id: None,
        created_at: now,
        publication,
        sequence: publishing.next_sequence(),
    }
}

/// Adds the post to its Page's feed; its id.
fn keep_post(publishing: &mut super::publishing::Publishing, post: PagePost) -> String {
    let post_id = post.id();
    publishing.page.posts.push(post);
    post_id
}

fn photo_source(request: &Incoming) -> Result<(&Media, Option<&str>), GraphError> {
    if let Some(url) = request.param("url") {
        return match request.attachments.fetched(url) {
            Some(Fetched::Received(media)) => Ok((media, Some(url))),
            Some(Fetched::Failed { .. }) | None => Err(invalid_image()),
        };
    }
    match request.attachments.upload("source") {
        Some(media) => Ok((media, None)),
        None => Err(GraphError::numbered(324, "Requires upload file")),
    }
}

fn invalid_image() -> GraphError {
    GraphError::numbered(324, "Missing or invalid image file")
}

/// UNCERTAIN (§2.6): Postiz knows 1366046 only by its subcode; the code is a guess.
fn photo_too_large() -> GraphError {
    GraphError::numbered(
        100,
        "Your photos couldn't be uploaded. Photos should be smaller than 10 MB.",
    )
    .with_subcode(1366046)
    .for_people(
        "Your photos couldn't be uploaded",
        "Photos should be less than 10 MB and saved as JPG, PNG, GIF, TIFF, HEIF or WebP files.",
    )
}

fn create_video(call: &mut Call<'_>, page_id: &str) -> Result<Response, GraphError> {
    let (caller, page) = page_access::caller_for_page(call, page_id)?;
    page_access::require_publishing(&caller)?;
    let request = call.request;
    let publication = scheduled_time::publication(
        request.flag("published", true)?,
        request.param("scheduled_publish_time"),
        call.now,
        scheduled_time::videos_reach(),
    )?;
    let (media, url) = video_source(request)?;
    if !media.is_video() {
        return Err(GraphError::numbered(
            352,
            "Sorry, the video file you selected is in a format that we don't support.",
        ));
    }
    let description = request.param("description").map(str::to_owned);
    let publishing = &mut call.state.publishing;
    let source_url = match url {
        Some(url) => url.to_owned(),
        None => publishing.keep_upload(&call.world.base_url, media.clone()),
    };
    let id = publishing.next_facebook_id();
    let post_id = (publication != Publication::Draft).then(|| {
        let message = description.as_deref();
        let post = PagePost {
            video_id: Some(id.clone()),
            ..media_post(
                publishing,
                &page.id,
                &id,
                PostKind::Video,
                message,
                publication,
                call.now,
            )
        };
        keep_post(publishing, post)
    });
    let processing_reads = publishing.video_processing_reads;
    publishing.page.videos.push(PageVideo {
        id: id.clone(),
        page_id: page.id.clone(),
        source_url,
        title: request.param("title").map(str::to_owned),
        description,
        size: media.size,
        post_id,
        publication,
        created_at: call.now,
        reads: 0,
        processing_reads,
    });
    Ok(usage::answer(
        call.state,
        Caller::of(&caller),
        json!({ "id": id }),
    ))
}

fn video_source(request: &Incoming) -> Result<(&Media, Option<&str>), GraphError> {
    if let Some(url) = request.param("file_url") {
        return match request.attachments.fetched(url) {
            Some(Fetched::Received(media)) => Ok((media, Some(url))),
            Some(Fetched::Failed { .. }) | None => Err(GraphError::numbered(
                389,
                "Unable to fetch video file from URL.",
            )),
        };
    }
    match request.attachments.upload("source") {
        Some(media) => Ok((media, None)),
        None => Err(GraphError::numbered(
            100,
            "Requires one of the params: file_url, source",
        )),
    }
}

#[cfg(test)]
mod tests {
    use axum::http::{HeaderMap, Method};

    use super::*;

    fn form(body: &str) -> Incoming {
        let mut headers = HeaderMap::new();
        headers.insert(
            axum::http::header::CONTENT_TYPE,
            "application/x-www-form-urlencoded".parse().unwrap(),
        );
        Incoming::parse(
            Method::POST,
            "/graph.facebook.com/v23.0/1000000000000001/feed",
            None,
            &headers,
            body.as_bytes(),
        )
    }

    #[test]
    fn attached_media_reads_as_one_json_array_or_as_form_items() {
        let json_array = form(
            "attached_media=%5B%7B%22media_fbid%22%3A%221%22%7D%2C%7B%22media_fbid%22%3A2%7D%5D",
        );
        assert_eq!(attached_media(&json_array).unwrap(), ["1", "2"]);
        let items = form(
            "attached_media%5B1%5D=%7B%22media_fbid%22%3A%22b%22%7D&attached_media%5B0%5D=%7B%22media_fbid%22%3A%22a%22%7D",
        );
        assert_eq!(attached_media(&items).unwrap(), ["a", "b"]);
        let nested = form("attached_media%5B0%5D%5Bmedia_fbid%5D=c");
        assert_eq!(attached_media(&nested).unwrap(), ["c"]);
        assert_eq!(
            attached_media(&form("attached_media=oops"))
                .unwrap_err()
                .code,
            100
        );
        assert!(attached_media(&form("message=hi")).unwrap().is_empty());
    }

    #[test]
    fn links_must_be_web_urls() {
        assert!(check_link("https://example.com/a?b=c").is_ok());
        let error = check_link("example dot com").unwrap_err();
        assert_eq!((error.code, error.subcode), (100, Some(2061006)));
        assert!(check_link("javascript:alert(1)").is_err());
    }
}
