//! Invitation links made by the instance owner. Each link works once and expires after a week.

use chrono::Duration;

use super::SignedIn;
use super::tokens::Token;
use cookie::{Cookie, SameSite};

use crate::domain::InvitationId;
use crate::domain::membership::{InvitationView, Invitations, NewInvitation};
use crate::error::AppError;
use crate::server::auth::request;
use crate::server::db::{self, invitations};
use crate::server::error::internal;
use crate::server::state::Settings;

pub const INVITATION_LIFETIME: Duration = Duration::days(7);

/// Makes an invitation. The token goes back to the owner once (in the answer, and in a
/// short-lived cookie for the listing to show) and is then only a hash here.
pub async fn create(owner: &SignedIn) -> Result<NewInvitation, AppError> {
    let state = request::state()?;
    let now = state.clock.now();
    let token = Token::generate();
    let expires_at = db::millis(now + INVITATION_LIFETIME);
    invitations::insert(
        state.db.pool(),
        &db::new_id::<InvitationId>(),
        &token.hash(),
        &owner.user_id,
        db::millis(now),
        expires_at,
    )
    .await?;
    request::set_cookie(&handover_cookie(
        &state.settings,
        token.expose(),
        HANDOVER_LIFETIME,
    ));
    Ok(NewInvitation {
        link: invitation_link(&state.settings, token.expose())?,
        expires_at,
    })
}

/// The owner's invitations; consumes the hand-over cookie of one just made.
pub async fn list(owner: &SignedIn) -> Result<Invitations, AppError> {
    let state = request::state()?;
    let new_link = match request::cookie(HANDOVER_COOKIE) {
        Some(token) => {
            request::set_cookie(&handover_cookie(&state.settings, "", Duration::zero()));
            Some(invitation_link(&state.settings, &token)?)
        }
        None => None,
    };
    let rows = invitations::list_by(state.db.pool(), &owner.user_id).await?;
    Ok(Invitations {
        new_link,
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

fn invitation_link(settings: &Settings, token: &str) -> Result<String, AppError> {
    let mut link = settings.public_url.join("sign-up").map_err(internal)?;
    link.query_pairs_mut().append_pair("invite", token);
    Ok(link.to_string())
}

const HANDOVER_COOKIE: &str = "herald_new_invitation";
/// Long enough to land on the listing after a redirect, short enough not to linger.
const HANDOVER_LIFETIME: Duration = Duration::minutes(10);

fn handover_cookie(settings: &Settings, token: &str, lifetime: Duration) -> String {
    Cookie::build((HANDOVER_COOKIE, token.to_owned()))
        .path("/")
        .http_only(true)
        .same_site(SameSite::Strict)
        .secure(settings.secure_cookies)
        .max_age(cookie::time::Duration::seconds(lifetime.num_seconds()))
        .build()
        .to_string()
}
