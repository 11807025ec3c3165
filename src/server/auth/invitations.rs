//! Invitation links made by the instance owner. Each link works once and expires after a week.

use chrono::Duration;

use super::Session;
use super::tokens::Token;
use crate::api::invitations::{InvitationView, NewInvitation};
use crate::error::AppError;
use crate::server::auth::request;
use crate::server::db::{self, invitations};

pub const INVITATION_LIFETIME: Duration = Duration::days(7);

pub async fn create(owner: &Session) -> Result<NewInvitation, AppError> {
    let state = request::state()?;
    let now = state.clock.now();
    let token = Token::generate();
    let expires_at = db::millis(now + INVITATION_LIFETIME);
    invitations::insert(
        state.db.pool(),
        &db::new_id(),
        &token.hash(),
        &owner.user_id,
        db::millis(now),
        expires_at,
    )
    .await?;
    let mut link = state
        .settings
        .public_url
        .join("sign-up")
        .map_err(crate::server::error::internal)?;
    link.query_pairs_mut().append_pair("invite", token.expose());
    Ok(NewInvitation {
        link: link.to_string(),
        expires_at,
    })
}

pub async fn list(owner: &Session) -> Result<Vec<InvitationView>, AppError> {
    let state = request::state()?;
    let rows = invitations::list_by(state.db.pool(), &owner.user_id).await?;
    Ok(rows
        .into_iter()
        .map(|row| InvitationView {
            id: row.id,
            created_at: row.created_at,
            expires_at: row.expires_at,
            accepted_by: row.accepted_by_email,
        })
        .collect())
}
