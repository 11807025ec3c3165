//! The control API for publishing under `/_sandbox/`: what was published (JSON and the feed
//! page), ready-made tokens, quota and processing knobs, scripted container failures, ageing
//! what was published (for its insights), and the files publish requests uploaded.

use std::sync::Arc;

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::http::header::CONTENT_TYPE;
use axum::response::{Html, IntoResponse, Response};
use serde::{Deserialize, Serialize};

use super::{MetaSandbox, SandboxPost};

#[derive(Debug, Deserialize)]
pub(super) struct PageTokenRequest {
    page_id: String,
}

#[derive(Debug, Serialize)]
pub(super) struct IssuedToken {
    access_token: String,
}

#[derive(Debug, Deserialize)]
pub(super) struct QuotaTotal {
    total: u32,
}

#[derive(Debug, Deserialize)]
pub(super) struct QuotaUse {
    ig_user_id: String,
    count: u32,
}

#[derive(Debug, Deserialize)]
pub(super) struct VideoPolls {
    polls: u32,
}

#[derive(Debug, Deserialize)]
pub(super) struct ContainerFailure {
    subcode: i64,
    message: String,
}

#[derive(Debug, Deserialize)]
pub(super) struct ContainerAgeing {
    container_id: String,
    seconds: i64,
}

/// `{"ids":[…],"seconds":N}`: any ids Herald may hold for published objects.
#[derive(Debug, Deserialize)]
pub(super) struct PublishedAgeing {
    ids: Vec<String>,
    seconds: i64,
}

pub(super) async fn feed(State(sandbox): State<Arc<MetaSandbox>>) -> Html<String> {
    Html(sandbox.feed_page())
}

pub(super) async fn published(State(sandbox): State<Arc<MetaSandbox>>) -> Json<Vec<SandboxPost>> {
    Json(sandbox.published())
}

pub(super) async fn issue_page_token(
    State(sandbox): State<Arc<MetaSandbox>>,
    Json(body): Json<PageTokenRequest>,
) -> Response {
    match sandbox.try_issue_page_token(&body.page_id) {
        Some(access_token) => Json(IssuedToken { access_token }).into_response(),
        None => (
            StatusCode::NOT_FOUND,
            format!("the Meta sandbox has no Page {}", body.page_id),
        )
            .into_response(),
    }
}

pub(super) async fn issue_instagram_login_token(
    State(sandbox): State<Arc<MetaSandbox>>,
) -> Json<IssuedToken> {
    Json(IssuedToken {
        access_token: sandbox.issue_instagram_login_token(),
    })
}

pub(super) async fn set_instagram_quota_total(
    State(sandbox): State<Arc<MetaSandbox>>,
    Json(body): Json<QuotaTotal>,
) -> StatusCode {
    sandbox.set_instagram_quota_total(body.total);
    StatusCode::NO_CONTENT
}

pub(super) async fn use_instagram_quota(
    State(sandbox): State<Arc<MetaSandbox>>,
    Json(body): Json<QuotaUse>,
) -> StatusCode {
    sandbox.use_instagram_quota(&body.ig_user_id, body.count);
    StatusCode::NO_CONTENT
}

pub(super) async fn set_video_polls(
    State(sandbox): State<Arc<MetaSandbox>>,
    Json(body): Json<VideoPolls>,
) -> StatusCode {
    sandbox.set_video_polls(body.polls);
    StatusCode::NO_CONTENT
}

pub(super) async fn fail_next_container(
    State(sandbox): State<Arc<MetaSandbox>>,
    Json(body): Json<ContainerFailure>,
) -> StatusCode {
    sandbox.fail_next_container(body.subcode, &body.message);
    StatusCode::NO_CONTENT
}

pub(super) async fn age_container(
    State(sandbox): State<Arc<MetaSandbox>>,
    Json(body): Json<ContainerAgeing>,
) -> StatusCode {
    sandbox.age_container(&body.container_id, chrono::Duration::seconds(body.seconds));
    StatusCode::NO_CONTENT
}

pub(super) async fn age_published(
    State(sandbox): State<Arc<MetaSandbox>>,
    Json(body): Json<PublishedAgeing>,
) -> StatusCode {
    sandbox.age_published(&body.ids, chrono::Duration::seconds(body.seconds));
    StatusCode::NO_CONTENT
}

pub(super) async fn upload(
    State(sandbox): State<Arc<MetaSandbox>>,
    Path(id): Path<String>,
) -> Response {
    match sandbox.upload(&id) {
        Some(media) => {
            let content_type = media.sniffed_type().unwrap_or("application/octet-stream");
            ([(CONTENT_TYPE, content_type)], media.bytes).into_response()
        }
        None => (StatusCode::NOT_FOUND, "no such sandbox upload").into_response(),
    }
}
