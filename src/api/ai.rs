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

/// What became of one shape asked for: the picture added to the library, or why not.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PictureOutcome {
    pub shape: crate::domain::picture_shapes::PictureShape,
    pub result: Result<crate::api::media::MediaItem, AppError>,
}

/// Makes one picture per shape (`shape`, repeated, names from `PictureShape::as_str`) from
/// `prompt` in `style`, at once; each lands in the media library or says why it did not.
#[server(prefix = "/api", endpoint = "make_pictures")]
pub async fn make_pictures(
    prompt: String,
    style: String,
    #[server(default)] shape: Vec<String>,
) -> Result<Vec<PictureOutcome>, AppError> {
    use crate::domain::picture_shapes::PictureShape;
    use crate::server::ai::made_pictures;
    use crate::server::auth::request;
    let session = request::require_session().await?;
    let state = request::state()?;
    let mut shapes = Vec::new();
    for raw in &shape {
        shapes.push(
            PictureShape::parse(raw)
                .ok_or_else(|| AppError::invalid("shape", Problem::AiNoShapes))?,
        );
    }
    made_pictures::make(&state, &session, &prompt, &style, &shapes).await
}

/// Writes a new draft from `brief` for the chosen accounts (`account`, repeated): a caption,
/// hashtags and a call to action per network, for the person to review. Nothing is published.
#[server(prefix = "/api", endpoint = "draft_from_brief")]
pub async fn draft_from_brief(
    brief: String,
    #[server(default)] account: Vec<crate::domain::AccountId>,
) -> Result<PostView, AppError> {
    use crate::server::ai::briefs;
    use crate::server::auth::request;
    let session = request::require_session().await?;
    let state = request::state()?;
    briefs::draft(&state, &session, &brief, &account).await
}
