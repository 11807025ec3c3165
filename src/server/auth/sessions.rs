//! Sessions: started at sign-in or sign-up, resolved from the cookie on every request, ended at
//! sign-out. The cookie carries a random token; the database holds only its hash.

use chrono::{DateTime, Utc};
use cookie::{Cookie, SameSite};

use super::tokens::{Token, hash_token};
use super::{SESSION_IDLE_LIFETIME, SignedIn};
use crate::domain::{UserId, WorkspaceId};
use crate::server::db::{self, sessions};
use crate::server::state::AppState;

pub const SESSION_COOKIE: &str = "herald_session";

/// Activity is written back at most this often, so reads do not turn into writes.
const TOUCH_INTERVAL: chrono::Duration = chrono::Duration::hours(1);

/// Starts a new session for `user_id` in `workspace_id`, replacing the one the browser had (so a
/// token planted before sign-in is worthless after it). Returns the `Set-Cookie` value.
pub async fn start(
    state: &AppState,
    user_id: &UserId,
    workspace_id: &WorkspaceId,
    previous_cookie: Option<&str>,
    user_agent: Option<&str>,
) -> Result<String, sqlx::Error> {
    if let Some(previous) = previous_cookie {
        sessions::delete(state.db.pool(), &hash_token(previous)).await?;
    }
    let now = state.clock.now();
    let token = Token::generate();
    sessions::insert(
        state.db.pool(),
        sessions::NewSession {
            token_hash: &token.hash(),
            user_id,
            workspace_id,
            now: db::millis(now),
            expires_at: db::millis(now + SESSION_IDLE_LIFETIME),
            user_agent: user_agent.map(|agent| truncate(agent, 256)),
        },
    )
    .await?;
    Ok(session_cookie(state, token.expose()))
}

/// What a session lookup found, and the cookie to send back when the session was extended.
pub struct Resolved {
    pub session: SignedIn,
    pub refreshed_cookie: Option<String>,
}

/// Finds the live session a cookie token names, sliding its expiry when it was last seen a
/// while ago.
pub async fn resolve(
    state: &AppState,
    cookie_token: &str,
    now: DateTime<Utc>,
) -> Result<Option<Resolved>, sqlx::Error> {
    let token_hash = hash_token(cookie_token);
    let Some(row) = sessions::find_live(state.db.pool(), &token_hash, db::millis(now)).await?
    else {
        return Ok(None);
    };
    let mut refreshed_cookie = None;
    if row.last_seen_at + TOUCH_INTERVAL.num_milliseconds() < db::millis(now) {
        let expires_at = db::millis(now + SESSION_IDLE_LIFETIME);
        sessions::touch(state.db.pool(), &token_hash, db::millis(now), expires_at).await?;
        refreshed_cookie = Some(session_cookie(state, cookie_token));
    }
    Ok(Some(Resolved {
        session: SignedIn::from_row(row, token_hash)?,
        refreshed_cookie,
    }))
}

pub async fn end(state: &AppState, cookie_token: &str) -> Result<(), sqlx::Error> {
    sessions::delete(state.db.pool(), &hash_token(cookie_token)).await
}

/// Reads the cookie `name` out of a `Cookie` request header; an empty value counts as none.
/// The person signed in on a plain route (not a server function). None: no live session.
pub async fn signed_in(state: &AppState, headers: &axum::http::HeaderMap) -> Option<SignedIn> {
    let token = headers
        .get_all(axum::http::header::COOKIE)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .find_map(|cookie| cookie_from_header(cookie, SESSION_COOKIE))?;
    let resolved = resolve(state, &token, state.clock.now())
        .await
        .ok()
        .flatten()?;
    Some(resolved.session)
}

pub fn cookie_from_header(header: &str, name: &str) -> Option<String> {
    Cookie::split_parse(header)
        .filter_map(Result::ok)
        .find(|cookie| cookie.name() == name)
        .map(|cookie| cookie.value().to_owned())
        .filter(|value| !value.is_empty())
}

fn session_cookie(state: &AppState, token: &str) -> String {
    Cookie::build((SESSION_COOKIE, token.to_owned()))
        .path("/")
        .http_only(true)
        .same_site(SameSite::Lax)
        .secure(state.settings.secure_cookies)
        .max_age(cookie::time::Duration::seconds(
            SESSION_IDLE_LIFETIME.num_seconds(),
        ))
        .build()
        .to_string()
}

/// A `Set-Cookie` value that makes the browser forget the session.
pub fn cleared_cookie(state: &AppState) -> String {
    Cookie::build((SESSION_COOKIE, ""))
        .path("/")
        .http_only(true)
        .same_site(SameSite::Lax)
        .secure(state.settings.secure_cookies)
        .max_age(cookie::time::Duration::ZERO)
        .build()
        .to_string()
}

fn truncate(text: &str, max_chars: usize) -> &str {
    match text.char_indices().nth(max_chars) {
        Some((index, _)) => &text[..index],
        None => text,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn session_token_is_found_among_other_cookies() {
        let header = "theme=dark; herald_session=abc123; other=1";
        let found = |header| cookie_from_header(header, SESSION_COOKIE);
        assert_eq!(found(header).as_deref(), Some("abc123"));
        assert_eq!(found("theme=dark"), None);
        assert_eq!(found("herald_session="), None);
    }

    #[test]
    fn truncation_respects_character_boundaries() {
        assert_eq!(truncate("héllo", 2), "hé");
        assert_eq!(truncate("hi", 10), "hi");
    }
}
