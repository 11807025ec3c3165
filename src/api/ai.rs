//! AI assist: whether it is set up, and the rephrasing workflow — start a proposal (from the
//! post's text, or "Modify again" from an open proposal), read it, confirm or cancel it, list
//! a post's proposals. The proposal's text streams to the browser from
//! `GET /ai/revisions/{id}/events`; these functions are the rest.

use leptos::prelude::*;

pub use crate::domain::picture_shapes::PictureOutcome;
use crate::domain::post_record::PostView;
pub use crate::domain::rephrase::{AiStatus, RevisionStatus, RevisionView};
use crate::domain::{PostId, RevisionId};
use crate::error::AppError;

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
    use crate::domain::rephrase::Instruction;
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

/// Makes one picture per shape (`shape`, repeated, names from `PictureShape::as_str`) from
/// `prompt` in `style`, at once; each lands in the media library or says why it did not.
#[server(prefix = "/api", endpoint = "make_pictures")]
pub async fn make_pictures(
    prompt: String,
    style: String,
    #[server(default)] shape: Vec<String>,
) -> Result<Vec<PictureOutcome>, AppError> {
    use crate::domain::picture_shapes::PictureShape;
    use crate::error::Problem;
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
