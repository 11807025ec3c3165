//! The one entry for every emulated Meta host: log the request, apply a queued fault, gather the
//! media a publish request brings or points at, then route by host and path.

use std::sync::Arc;

use axum::extract::{Request, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use bytes::Bytes;
use chrono::{DateTime, Utc};

use super::faults::{self, FaultOutcome};
use super::request::Incoming;
use super::state;
use super::world::World;
use super::{MetaSandbox, dialog, fetch, graph, instagram, instagram_login, post_pages, uploads};

/// Generous: this is a test double, not a guard; publishing uploads will come through here.
const BODY_LIMIT_BYTES: usize = 64 * 1024 * 1024;

/// What a route handler works with. The state lock is held for the whole call, so every
/// request sees and leaves a consistent state.
pub(super) struct Call<'a> {
    pub world: &'a World,
    pub state: &'a mut state::State,
    pub request: &'a Incoming,
    pub now: DateTime<Utc>,
}

pub(super) async fn meta_request(
    State(sandbox): State<Arc<MetaSandbox>>,
    request: Request,
) -> Response {
    let (parts, body) = request.into_parts();
    let Ok(body) = axum::body::to_bytes(body, BODY_LIMIT_BYTES).await else {
        return (
            StatusCode::PAYLOAD_TOO_LARGE,
            "the Meta sandbox refused a body this large",
        )
            .into_response();
    };
    let mut incoming = Incoming::parse(
        parts.method,
        parts.uri.path(),
        parts.uri.query(),
        &parts.headers,
        &body,
    );
    let fault = {
        let mut state = sandbox.state();
        state.requests.push(incoming.to_record());
        faults::take_matching(&mut state.faults, &incoming.full_path)
    };
    let mut answer_late = None;
    if let Some(kind) = fault {
        match faults::outcome(kind) {
            FaultOutcome::Answer(response) => return response,
            FaultOutcome::Delay(delay) => tokio::time::sleep(delay).await,
            FaultOutcome::AnswerLate(delay) => answer_late = Some(delay),
        }
    }
    gather_media(&sandbox, &mut incoming, body).await;
    // Carried out in full before any holding back: a client that gives up during the wait
    // leaves the post made.
    let response = sandbox.answer(&incoming);
    if let Some(delay) = answer_late {
        tokio::time::sleep(delay).await;
    }
    response
}

/// Reads a multipart body and downloads the URLs a publish request names. Both await, so both
/// happen here, before `answer` takes the state lock.
async fn gather_media(sandbox: &MetaSandbox, incoming: &mut Incoming, body: Bytes) {
    if let Some(content_type) = incoming.content_type.clone()
        && uploads::is_multipart(Some(&content_type))
        && let Some(form) = uploads::read(&content_type, body).await
    {
        incoming.absorb_form(form);
    }
    incoming.attachments.fetched = fetch::media_of(&sandbox.media_client, incoming).await;
}

pub(super) fn route(call: &mut Call<'_>) -> Response {
    let request = call.request;
    let segments: Vec<&str> = request.segments.iter().map(String::as_str).collect();
    match (request.host.as_str(), segments.as_slice()) {
        ("www.facebook.com", ["dialog", "oauth"]) => dialog::facebook_dialog(call),
        ("www.facebook.com", ["dialog", "oauth", "confirm"]) => dialog::facebook_confirm(call),
        ("www.instagram.com", ["oauth", "authorize"]) => dialog::instagram_dialog(call),
        ("www.instagram.com", ["oauth", "authorize", "confirm"]) => dialog::instagram_confirm(call),
        ("www.facebook.com", [_, "posts" | "videos", _]) => {
            post_pages::facebook_permalink(call, &segments)
        }
        ("www.instagram.com", ["p" | "reel", _]) => {
            post_pages::instagram_permalink(call, &segments)
        }
        ("graph.facebook.com", segments) => graph::route(call, segments),
        ("api.instagram.com", ["oauth", "access_token"]) => instagram_login::exchange_code(call),
        ("graph.instagram.com", ["access_token"]) => instagram_login::exchange_for_long_lived(call),
        ("graph.instagram.com", ["refresh_access_token"]) => instagram_login::refresh(call),
        ("graph.instagram.com", segments) => instagram::route(call, segments),
        _ => (
            StatusCode::NOT_FOUND,
            format!(
                "The Meta sandbox does not emulate {} {}",
                request.method, request.full_path
            ),
        )
            .into_response(),
    }
}
