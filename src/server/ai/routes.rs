//! `GET /ai/revisions/{id}/events`: a proposal as it is written, as server-sent events — `text`
//! with the whole text so far (JSON string) each time it grows, then one `end` with the
//! finished proposal (`RevisionView`, JSON). It reads the proposal from the database, so it
//! works from any instance and after a reload.

use std::time::Duration;

use axum::Router;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use axum::routing::get;

use crate::api::ai::RevisionView;
use crate::domain::{RevisionId, WorkspaceId};
use crate::server::auth::sessions::signed_in;
use crate::server::state::AppState;

/// How often a proposal being written is read again.
const POLL: Duration = Duration::from_millis(100);

pub fn router() -> Router<AppState> {
    Router::new().route("/ai/revisions/{id}/events", get(events))
}

struct Watch {
    state: AppState,
    workspace_id: WorkspaceId,
    id: RevisionId,
    sent: Option<String>,
    ended: bool,
}

async fn events(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Response {
    let Some((session, _)) = signed_in(&state, &headers).await else {
        return StatusCode::UNAUTHORIZED.into_response();
    };
    let watch = Watch {
        state,
        workspace_id: session.workspace_id,
        id: RevisionId::from(id),
        sent: None,
        ended: false,
    };
    let stream = futures_util::stream::unfold(watch, |mut watch| async move {
        let event = next_event(&mut watch).await?;
        Some((Ok::<_, std::convert::Infallible>(event), watch))
    });
    Sse::new(stream)
        .keep_alive(KeepAlive::default())
        .into_response()
}

/// Waits until the text grows or the proposal ends; `None` once the end was sent.
async fn next_event(watch: &mut Watch) -> Option<Event> {
    if watch.ended {
        return None;
    }
    loop {
        let found =
            crate::server::ai::revisions::find(&watch.state, &watch.workspace_id, &watch.id).await;
        let revision: RevisionView = match found {
            Ok(revision) => revision,
            Err(error) => {
                watch.ended = true;
                let error = serde_json::to_string(&error).expect("errors serialise");
                return Some(Event::default().event("failure").data(error));
            }
        };
        if !revision.status.eq(&crate::api::ai::RevisionStatus::Writing) {
            watch.ended = true;
            let view = serde_json::to_string(&revision).expect("proposals serialise");
            return Some(Event::default().event("end").data(view));
        }
        if watch.sent.as_deref() != Some(revision.output.as_str()) && !revision.output.is_empty() {
            let text = serde_json::to_string(&revision.output).expect("strings serialise");
            watch.sent = Some(revision.output);
            return Some(Event::default().event("text").data(text));
        }
        tokio::time::sleep(POLL).await;
    }
}
