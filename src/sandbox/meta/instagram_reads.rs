//! Reading Instagram publishing back on either host (§3.2, §3.5, §3.6): a container's status,
//! a media's fields, the account's `/media` and `/stories`, and its `content_publishing_limit`.

use axum::http::Method;
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, Duration, Utc};
use serde_json::{Map, Value, json};

use super::dispatch::Call;
use super::errors::GraphError;
use super::fields::{self, Field};
use super::instagram_access;
use super::instagram_content::{InstagramContent, InstagramMedia, QUOTA_WINDOW_SECONDS};
use super::instagram_insights;
use super::paging;
use super::publishing::graph_time;
use super::request::Incoming;
use super::state::State;
use super::tokens::Network;
use super::usage;
use super::world::World;

const DEFAULT_NODE_FIELDS: [&str; 1] = ["id"];
const DEFAULT_LIMIT_FIELDS: [&str; 1] = ["quota_usage"];
const CONTAINER_FIELDS: [&str; 4] = ["id", "status_code", "status", "copyright_check_status"];
const MEDIA_FIELDS: [&str; 16] = [
    "id",
    "caption",
    "media_type",
    "media_product_type",
    "permalink",
    "shortcode",
    "timestamp",
    "media_url",
    "thumbnail_url",
    "username",
    "owner",
    "like_count",
    "comments_count",
    "is_shared_to_feed",
    "alt_text",
    "children",
];
/// Graph's node type names, as its "nonexisting field" errors give them.
const CONTAINER_NODE_TYPE: &str = "ShadowIGMediaBuilder";
const MEDIA_NODE_TYPE: &str = "IGMedia";

pub(super) fn knows(state: &State, id: &str) -> bool {
    let content = &state.publishing.instagram;
    content.container(id).is_some() || content.media_item(id).is_some()
}

/// `GET /{container-id}` or `GET /{media-id}`.
pub(super) fn read_object(call: &mut Call<'_>, network: Network, id: &str) -> Response {
    read_object_answer(call, network, id).unwrap_or_else(IntoResponse::into_response)
}

/// `GET /{ig-user-id}/media` (feed and reels) or `/stories`, newest first with cursor paging.
pub(super) fn list_media(call: &mut Call<'_>, network: Network, id: &str, edge: &str) -> Response {
    list_media_answer(call, network, id, edge).unwrap_or_else(IntoResponse::into_response)
}

/// `GET /{ig-user-id}/content_publishing_limit` (§3.5).
pub(super) fn publishing_limit(call: &mut Call<'_>, network: Network, id: &str) -> Response {
    publishing_limit_answer(call, network, id).unwrap_or_else(IntoResponse::into_response)
}

fn read_object_answer(
    call: &mut Call<'_>,
    network: Network,
    id: &str,
) -> Result<Response, GraphError> {
    let request = call.request;
    if request.method != Method::GET {
        return Err(GraphError::unsupported_request(&request.method, id));
    }
    let content = &call.state.publishing.instagram;
    let account_id = content
        .container(id)
        .map(|container| container.account_id.clone())
        .or_else(|| content.media_item(id).map(|media| media.account_id.clone()))
        .ok_or_else(|| GraphError::unsupported_request(&request.method, id))?;
    let caller = instagram_access::required_caller(call, network, &account_id, id)?;
    let wanted = requested(request, &DEFAULT_NODE_FIELDS)?;
    let body = if call.state.publishing.instagram.container(id).is_some() {
        container_fields(call.state, id, &wanted, call.now)?
    } else {
        check_names(&wanted, &MEDIA_FIELDS, MEDIA_NODE_TYPE)?;
        let content = &call.state.publishing.instagram;
        let media = content
            .media_item(id)
            .ok_or_else(|| GraphError::unsupported_request(&request.method, id))?;
        media_fields(call.world, content, media, &wanted, call.now)
    };
    Ok(usage::answer(call.state, caller.usage(), body))
}

/// The container's fields; each read moves a video's processing along.
fn container_fields(
    state: &mut State,
    id: &str,
    wanted: &[Field],
    now: DateTime<Utc>,
) -> Result<Value, GraphError> {
    check_names(wanted, &CONTAINER_FIELDS, CONTAINER_NODE_TYPE)?;
    let Some(container) = state.publishing.instagram.container_mut(id) else {
        return Ok(json!({ "id": id }));
    };
    let status = container.status(now);
    container.reads = container.reads.saturating_add(1);
    let mut object = Map::new();
    object.insert("id".to_owned(), json!(container.id));
    for field in wanted {
        let value = match field.name.as_str() {
            "status_code" => json!(status.code()),
            "status" => json!(status.text()),
            "copyright_check_status" if container.kind.is_video() => {
                json!({ "status": "complete", "matches_found": false })
            }
            _ => continue,
        };
        object.insert(field.name.clone(), value);
    }
    Ok(Value::Object(object))
}

fn media_fields(
    world: &World,
    content: &InstagramContent,
    media: &InstagramMedia,
    wanted: &[Field],
    now: DateTime<Utc>,
) -> Value {
    let counts = instagram_insights::media_figures(media, now);
    let mut object = Map::new();
    object.insert("id".to_owned(), json!(media.id));
    for field in wanted {
        let value = match field.name.as_str() {
            "caption" => match &media.caption {
                Some(caption) => json!(caption),
                None => continue,
            },
            "media_type" => json!(media.kind.media_type()),
            "media_product_type" => json!(media.kind.media_product_type()),
            "permalink" => json!(media.permalink),
            "shortcode" => json!(media.shortcode),
            "timestamp" => json!(graph_time(media.published_at)),
            "media_url" => match media.sources.first() {
                Some((url, _)) => json!(url),
                None => continue,
            },
            "thumbnail_url" => match media.sources.first() {
                Some((url, true)) => json!(url),
                _ => continue,
            },
            "username" => match world.instagram_profile(&media.account_id) {
                Some(profile) => json!(profile.username),
                None => continue,
            },
            "owner" => json!({ "id": media.account_id }),
            // The counts its insights report.
            "like_count" => json!(counts.likes),
            "comments_count" => json!(counts.comments),
            "is_shared_to_feed" if media.kind.media_product_type() == "REELS" => {
                json!(media.share_to_feed)
            }
            "alt_text" => match content
                .container(&media.container_id)
                .and_then(|container| container.alt_text.as_ref())
            {
                Some(alt_text) => json!(alt_text),
                None => continue,
            },
            "children" if !media.children.is_empty() => {
                let wanted_of_children = if field.children.is_empty() {
                    fields::defaults(&DEFAULT_NODE_FIELDS)
                } else {
                    field.children.clone()
                };
                let data: Vec<Value> = media
                    .children
                    .iter()
                    .filter_map(|id| content.media_item(id))
                    .map(|child| media_fields(world, content, child, &wanted_of_children, now))
                    .collect();
                json!({ "data": data })
            }
            _ => continue,
        };
        object.insert(field.name.clone(), value);
    }
    Value::Object(object)
}

fn list_media_answer(
    call: &mut Call<'_>,
    network: Network,
    id: &str,
    edge: &str,
) -> Result<Response, GraphError> {
    let caller = instagram_access::required_caller(call, network, id, id)?;
    let request = call.request;
    let wanted = requested(request, &DEFAULT_NODE_FIELDS)?;
    check_names(&wanted, &MEDIA_FIELDS, MEDIA_NODE_TYPE)?;
    let limit = paging::parse_limit(request.param("limit"))?;
    let content = &call.state.publishing.instagram;
    let listed = if edge == "stories" {
        content.live_stories(&caller.account_id, call.now)
    } else {
        content.listed_media(&caller.account_id)
    };
    let ids: Vec<&str> = listed.iter().map(|media| media.id.as_str()).collect();
    let window = paging::window(&ids, limit, request.param("after"), request.param("before"))?;
    let data: Vec<Value> = listed[window.clone()]
        .iter()
        .map(|media| media_fields(call.world, content, media, &wanted, call.now))
        .collect();
    let link = paging::repeating(&call.world.base_url, request, &caller.token.value, limit);
    let mut body = json!({ "data": data });
    if let Some(links) = paging::paging(&ids, window, link) {
        body["paging"] = links;
    }
    Ok(usage::answer(call.state, caller.usage(), body))
}

fn publishing_limit_answer(
    call: &mut Call<'_>,
    network: Network,
    id: &str,
) -> Result<Response, GraphError> {
    let caller = instagram_access::required_caller(call, network, id, id)?;
    let request = call.request;
    let wanted = requested(request, &DEFAULT_LIMIT_FIELDS)?;
    let window_start = call.now - Duration::seconds(QUOTA_WINDOW_SECONDS);
    // `since` may narrow the window, never widen it past the moving day.
    let since = match request.param("since") {
        Some(text) => text
            .parse::<i64>()
            .ok()
            .and_then(|seconds| DateTime::from_timestamp(seconds, 0))
            .ok_or_else(|| GraphError::numbered(100, "Param since must be a unix timestamp"))?
            .max(window_start),
        None => window_start,
    };
    let content = &call.state.publishing.instagram;
    let mut entry = Map::new();
    for field in &wanted {
        let value = match field.name.as_str() {
            "quota_usage" => json!(content.quota_usage(&caller.account_id, since)),
            "config" => json!({
                "quota_total": content.quota_total,
                "quota_duration": QUOTA_WINDOW_SECONDS,
            }),
            other => {
                return Err(GraphError::nonexisting_field(
                    other,
                    "ContentPublishingLimitResponse",
                ));
            }
        };
        entry.insert(field.name.clone(), value);
    }
    let body = json!({ "data": [Value::Object(entry)] });
    Ok(usage::answer(call.state, caller.usage(), body))
}

fn requested(request: &Incoming, defaults: &[&str]) -> Result<Vec<Field>, GraphError> {
    match request.param("fields") {
        Some(selector) => fields::parse(selector),
        None => Ok(fields::defaults(defaults)),
    }
}

fn check_names(wanted: &[Field], known: &[&str], node_type: &str) -> Result<(), GraphError> {
    match wanted
        .iter()
        .find(|field| !known.contains(&field.name.as_str()))
    {
        Some(unknown) => Err(GraphError::nonexisting_field(&unknown.name, node_type)),
        None => Ok(()),
    }
}
