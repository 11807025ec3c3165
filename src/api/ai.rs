//! AI assist: whether it is set up, and the rephrasing workflow — start a proposal (from the
//! post's text, or "Modify again" from an open proposal), read it, confirm or cancel it, list
//! a post's proposals. The proposal's text streams to the browser from
//! `GET /ai/revisions/{id}/events`; these functions are the rest.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::api::posts::PostView;
use crate::domain::rephrase::Instruction;
use crate::domain::{PostId, RevisionId};
use crate::error::{AppError, Problem};

/// What the AI controls may offer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AiStatus {
    /// False: the controls explain how to set AI up instead.
    pub configured: bool,
    pub images: bool,
    pub model: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RevisionStatus {
    /// The model is still writing it.
    Writing,
    /// Written, waiting for Confirm, Cancel or Modify again.
    Open,
    Accepted,
    Cancelled,
    /// "Modify again" made a newer proposal from it.
    Replaced,
    Failed,
}

impl RevisionStatus {
    pub const ALL: [RevisionStatus; 6] = [
        RevisionStatus::Writing,
        RevisionStatus::Open,
        RevisionStatus::Accepted,
        RevisionStatus::Cancelled,
        RevisionStatus::Replaced,
        RevisionStatus::Failed,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            RevisionStatus::Writing => "writing",
            RevisionStatus::Open => "open",
            RevisionStatus::Accepted => "accepted",
            RevisionStatus::Cancelled => "cancelled",
            RevisionStatus::Replaced => "replaced",
            RevisionStatus::Failed => "failed",
        }
    }

    pub fn parse(raw: &str) -> Option<RevisionStatus> {
        RevisionStatus::ALL
            .into_iter()
            .find(|status| status.as_str() == raw)
    }

    /// Writing or waiting for an answer: the post's own controls wait.
    pub fn is_pending(self) -> bool {
        matches!(self, RevisionStatus::Writing | RevisionStatus::Open)
    }
}

/// One proposal, as the preview and the post's list show it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RevisionView {
    pub id: RevisionId,
    pub post_id: PostId,
    pub parent_id: Option<RevisionId>,
    pub instruction: Instruction,
    pub input: String,
    pub output: String,
    pub model: String,
    pub status: RevisionStatus,
    /// `length`: the model stopped at its limit, and the text may be cut short.
    pub finish_reason: Option<String>,
    pub problem: Option<Problem>,
    pub created_at: i64,
}

#[server(prefix = "/api", endpoint = "ai_status")]
pub async fn read_ai_status() -> Result<AiStatus, AppError> {
    use crate::server::auth::request;
    request::require_session().await?;
    let state = request::state()?;
    Ok(crate::server::ai::revisions::status(&state))
}

/// Starts a proposal for the post's saved text (`revision` is the one the composer saved
/// last), or, with `from`, for the text of that open proposal ("Modify again"). `preset`
/// names a ready-made instruction; otherwise `instruction` holds the person's own words.
#[server(prefix = "/api", endpoint = "rephrase_post")]
pub async fn rephrase_post(
    id: PostId,
    revision: Option<i64>,
    preset: Option<String>,
    instruction: Option<String>,
    from: Option<RevisionId>,
) -> Result<RevisionView, AppError> {
    use crate::server::ai::revisions;
    use crate::server::auth::request;
    let session = request::require_session().await?;
    let state = request::state()?;
    let instruction = Instruction::parse(
        preset.as_deref(),
        instruction.as_deref().unwrap_or_default(),
    )?;
    revisions::start(&state, &session, &id, revision, instruction, from.as_ref()).await
}

#[server(prefix = "/api", endpoint = "get_revision")]
pub async fn get_revision(id: RevisionId) -> Result<RevisionView, AppError> {
    use crate::server::ai::revisions;
    use crate::server::auth::request;
    let session = request::require_session().await?;
    let state = request::state()?;
    revisions::find(&state, &session.workspace_id, &id).await
}

/// Replaces the post's text with the proposal's.
#[server(prefix = "/api", endpoint = "confirm_revision")]
pub async fn confirm_revision(id: RevisionId) -> Result<PostView, AppError> {
    use crate::server::ai::revisions;
    use crate::server::auth::request;
    let session = request::require_session().await?;
    let state = request::state()?;
    revisions::confirm(&state, &session.workspace_id, &id).await
}

/// Drops the proposal; the post stays as it was.
#[server(prefix = "/api", endpoint = "cancel_revision")]
pub async fn cancel_revision(id: RevisionId) -> Result<RevisionView, AppError> {
    use crate::server::ai::revisions;
    use crate::server::auth::request;
    let session = request::require_session().await?;
    let state = request::state()?;
    revisions::cancel(&state, &session.workspace_id, &id).await
}

/// The post's proposals, newest first.
#[server(prefix = "/api", endpoint = "post_revisions")]
pub async fn post_revisions(id: PostId) -> Result<Vec<RevisionView>, AppError> {
    use crate::server::ai::revisions;
    use crate::server::auth::request;
    let session = request::require_session().await?;
    let state = request::state()?;
    revisions::for_post(&state, &session.workspace_id, &id).await
}
