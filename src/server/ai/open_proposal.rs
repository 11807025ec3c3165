//! The rule that holds a post while an AI proposal for it is open: the person answers the
//! proposal (Confirm, Cancel) before the post is saved, published or scheduled.

use crate::domain::PostId;
use crate::error::{AppError, Problem};
use crate::server::db::revisions as db_revisions;

/// Refuses to change the post while a proposal for it is open: the person answers it first.
pub async fn ensure_none_open(
    connection: &mut sqlx::AnyConnection,
    post_id: &PostId,
) -> Result<(), AppError> {
    match db_revisions::open_for_post(connection, post_id).await? {
        Some(_) => Err(AppError::Conflict(Problem::AiProposalOpen)),
        None => Ok(()),
    }
}
