//! `GET /ai/revisions/{id}/events`: a proposal as it is written, as server-sent events — `text`
//! with the whole text so far (JSON string) each time it grows, then one `end` with the
//! finished proposal (`RevisionView`, JSON). It reads the proposal from the database, so it
//! works from any instance and after a reload.
//!
//! And the same workflow as plain forms, for a browser without JavaScript:
//! `POST /compose/{id}/rephrase` (`revision`, `preset` or `instruction`, and `from` for "Modify
//! again") waits until the proposal is written; `POST /ai/revisions/{id}/confirm` and
//! `…/cancel` answer it. Each answers with the composer, or the composer with the problem.

use std::time::Duration;

use axum::Router;
use axum::extract::{Path, RawForm, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};

use crate::domain::rephrase::Instruction;
use crate::domain::rephrase::{RevisionStatus, RevisionView};
use crate::domain::{PostId, RevisionId, WorkspaceId};
use crate::error::AppError;
use crate::server::ai::revisions;
use crate::server::ai::stream_slots::Slot;
use crate::server::auth::sessions::signed_in;
use crate::server::error::redirect_with_problem;
use crate::server::state::AppState;

/// How often a proposal being written is read again.
const POLL: Duration = Duration::from_millis(100);

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/ai/revisions/{id}/events", get(events))
        .route("/compose/{id}/rephrase", post(rephrase_form))
        .route("/ai/revisions/{id}/confirm", post(confirm_form))
        .route("/ai/revisions/{id}/cancel", post(cancel_form))
}

/// The longest a plain form waits for the model before showing the proposal as it stands.
const FORM_WAIT: Duration = Duration::from_secs(120);

fn field(body: &[u8], wanted: &str) -> Option<String> {
    url::form_urlencoded::parse(body)
        .find(|(name, _)| name == wanted)
        .map(|(_, value)| value.into_owned())
        .filter(|value| !value.trim().is_empty())
}

async fn rephrase_form(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<String>,
    RawForm(body): RawForm,
) -> Response {
    let Some(session) = signed_in(&state, &headers).await else {
        return Redirect::to("/sign-in").into_response();
    };
    let post_id = PostId::from(id);
    let back = format!("/compose/{post_id}");
    let started = async {
        let instruction = Instruction::parse(
            field(&body, "preset").as_deref(),
            &field(&body, "instruction").unwrap_or_default(),
        )?;
        let revision = field(&body, "revision").and_then(|raw| raw.parse().ok());
        let from = field(&body, "from").map(RevisionId::from);
        revisions::start(
            &state,
            &session,
            &post_id,
            revision,
            instruction,
            from.as_ref(),
        )
        .await
    }
    .await;
    let proposal = match started {
        Ok(proposal) => proposal,
        Err(error) => return redirect_with_problem(&back, &error, &[]).into_response(),
    };
    // Without a script to stream it, the page shows the proposal once it is written.
    let waited = tokio::time::timeout(FORM_WAIT, async {
        loop {
            match revisions::find(&state, &session.workspace_id, &proposal.id).await {
                Ok(found) if found.status == RevisionStatus::Writing => {
                    tokio::time::sleep(POLL).await
                }
                _ => break,
            }
        }
    })
    .await;
    if waited.is_err() {
        tracing::warn!(revision = %proposal.id, "a proposal took longer than a form waits");
    }
    Redirect::to(&back).into_response()
}

async fn confirm_form(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Response {
    answer_form(state, headers, RevisionId::from(id), true).await
}

async fn cancel_form(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Response {
    answer_form(state, headers, RevisionId::from(id), false).await
}

async fn answer_form(
    state: AppState,
    headers: HeaderMap,
    id: RevisionId,
    confirm: bool,
) -> Response {
    let Some(session) = signed_in(&state, &headers).await else {
        return Redirect::to("/sign-in").into_response();
    };
    let proposal = match revisions::find(&state, &session.workspace_id, &id).await {
        Ok(proposal) => proposal,
        Err(error) => return redirect_with_problem("/posts", &error, &[]).into_response(),
    };
    let back = format!("/compose/{}", proposal.post_id);
    let answered: Result<(), AppError> = if confirm {
        revisions::confirm(&state, &session.workspace_id, &id)
            .await
            .map(|_| ())
    } else {
        revisions::cancel(&state, &session.workspace_id, &id)
            .await
            .map(|_| ())
    };
    match answered {
        Ok(()) if confirm => Redirect::to(&format!("{back}?done=saved")).into_response(),
        Ok(()) => Redirect::to(&back).into_response(),
        Err(error) => redirect_with_problem(&back, &error, &[]).into_response(),
    }
}

struct Watch {
    /// Held while the stream is open.
    _slot: Slot,
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
    let Some(session) = signed_in(&state, &headers).await else {
        return StatusCode::UNAUTHORIZED.into_response();
    };
    let Some(slot) = state.proposal_streams.take(&session.session_hash) else {
        return (
            StatusCode::TOO_MANY_REQUESTS,
            "This session already follows as many proposals as it may; close another tab first.",
        )
            .into_response();
    };
    let watch = Watch {
        _slot: slot,
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
        if !revision
            .status
            .eq(&crate::domain::rephrase::RevisionStatus::Writing)
        {
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
