//! Invitation links made by the instance owner. Each link works once and expires after a week.

use chrono::Duration;

use super::Session;
use super::tokens::Token;
use url::Url;

use crate::api::invitations::{InvitationView, Invitations, NewInvitation};
use crate::error::AppError;
use crate::server::auth::request;
use crate::server::db::{self, invitations};
use crate::server::error::internal;
use crate::server::state::Settings;

pub const INVITATION_LIFETIME: Duration = Duration::days(7);

/// Makes an invitation; the token goes back to the owner once and is then only a hash here.
pub async fn create(owner: &Session) -> Result<(NewInvitation, Token), AppError> {
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
    let mut link = sign_up_url(&state.settings)?;
    link.query_pairs_mut().append_pair("invite", token.expose());
    let created = NewInvitation {
        link: link.to_string(),
        expires_at,
    };
    Ok((created, token))
}

fn sign_up_url(settings: &Settings) -> Result<Url, AppError> {
    settings.public_url.join("sign-up").map_err(internal)
}

pub async fn list(owner: &Session) -> Result<Invitations, AppError> {
    let state = request::state()?;
    let rows = invitations::list_by(state.db.pool(), &owner.user_id).await?;
    Ok(Invitations {
        sign_up_url: sign_up_url(&state.settings)?.to_string(),
        invitations: rows
            .into_iter()
            .map(|row| InvitationView {
                id: row.id,
                created_at: row.created_at,
                expires_at: row.expires_at,
                accepted_by: row.accepted_by_email,
            })
            .collect(),
    })
}
