//! Browsers that signed in successfully before (OWASP's "device cookies"). A long-lived cookie
//! holds a random token; the database keeps its hash and the people who signed in with it. A
//! known browser is throttled on its own counter, never by the account-wide cap, so nobody can
//! keep the owner out by guessing at their account from elsewhere.

use chrono::Duration;
use cookie::{Cookie, SameSite};

use super::request;
use super::tokens::{Token, hash_token};
use crate::domain::{EmailAddress, UserId};
use crate::server::db::{self, known_devices};
use crate::server::state::AppState;

pub const DEVICE_COOKIE: &str = "herald_device";

/// A browser unused this long is forgotten; it is known again after its next sign-in.
pub const FORGOTTEN_AFTER: Duration = Duration::days(365);

/// The hash of this browser's device token, if it signed in as `email` before.
pub async fn recognise(
    state: &AppState,
    email: &EmailAddress,
) -> Result<Option<String>, sqlx::Error> {
    let Some(token) = request::cookie(DEVICE_COOKIE) else {
        return Ok(None);
    };
    let token_hash = hash_token(&token);
    let known = known_devices::is_known_for(state.db.pool(), &token_hash, email).await?;
    Ok(known.then_some(token_hash))
}

/// Remembers this browser for `user_id` after a successful sign-in. A browser already known
/// for this person keeps its token; any other gets a fresh one (so a token planted in the
/// browser is worth nothing), which carries over the people the old one was known for.
pub async fn remember(
    state: &AppState,
    user_id: &UserId,
    known_hash: Option<&str>,
) -> Result<(), sqlx::Error> {
    let now = db::millis(state.clock.now());
    if let Some(token_hash) = known_hash {
        return known_devices::remember(state.db.pool(), token_hash, user_id, now).await;
    }
    let token = Token::generate();
    if let Some(old) = request::cookie(DEVICE_COOKIE) {
        known_devices::carry_over(state.db.pool(), &hash_token(&old), &token.hash()).await?;
    }
    known_devices::remember(state.db.pool(), &token.hash(), user_id, now).await?;
    request::set_cookie(&device_cookie(state, token.expose()));
    Ok(())
}

/// Kept through sign-out on purpose: that is what lets the browser back in during an attack.
fn device_cookie(state: &AppState, token: &str) -> String {
    Cookie::build((DEVICE_COOKIE, token.to_owned()))
        .path("/")
        .http_only(true)
        .same_site(SameSite::Strict)
        .secure(state.settings.secure_cookies)
        .max_age(cookie::time::Duration::seconds(
            FORGOTTEN_AFTER.num_seconds(),
        ))
        .build()
        .to_string()
}
