//! The glue between a server function and the HTTP request it serves: the app state, the
//! session cookie and the client's address.

use std::net::{IpAddr, SocketAddr};

use axum::extract::ConnectInfo;
use axum::http::request::Parts;
use axum::http::{HeaderValue, header};
use leptos::prelude::*;
use leptos_axum::ResponseOptions;

use super::{SignedIn, sessions};
use crate::domain::{UserId, WorkspaceId};
use crate::error::AppError;
use crate::server::db::users;
use crate::server::error::internal;
use crate::server::language;
use crate::server::state::AppState;
use crate::text::Locale;

pub fn state() -> Result<AppState, AppError> {
    use_context::<AppState>().ok_or_else(|| internal("AppState missing from context"))
}

fn parts() -> Result<Parts, AppError> {
    use_context::<Parts>().ok_or_else(|| internal("request Parts missing from context"))
}

fn cookie_in(parts: &Parts, name: &str) -> Option<String> {
    parts
        .headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .find_map(|header| sessions::cookie_from_header(header, name))
}

fn cookie_token(parts: &Parts) -> Option<String> {
    cookie_in(parts, sessions::SESSION_COOKIE)
}

/// The value of the request's cookie `name`, if it has a non-empty one.
pub fn cookie(name: &str) -> Option<String> {
    cookie_in(&use_context::<Parts>()?, name)
}

/// The signed-in person, if the request carries a live session.
pub async fn optional_session() -> Result<Option<SignedIn>, AppError> {
    let state = state()?;
    let parts = parts()?;
    let Some(token) = cookie_token(&parts) else {
        return Ok(None);
    };
    let resolved = sessions::resolve(&state, &token, state.clock.now()).await?;
    Ok(resolved.map(|resolved| {
        if let Some(cookie) = resolved.refreshed_cookie {
            set_cookie(&cookie);
        }
        resolved.session
    }))
}

pub async fn require_session() -> Result<SignedIn, AppError> {
    optional_session().await?.ok_or(AppError::Unauthorized)
}

pub async fn require_owner() -> Result<SignedIn, AppError> {
    let session = require_session().await?;
    if session.is_owner {
        Ok(session)
    } else {
        Err(AppError::Forbidden)
    }
}

/// Starts a session for a person who just proved who they are, and hands the browser its cookie.
pub async fn begin_session(user_id: &UserId, workspace_id: &WorkspaceId) -> Result<(), AppError> {
    let state = state()?;
    let parts = parts()?;
    let user_agent = parts
        .headers
        .get(header::USER_AGENT)
        .and_then(|value| value.to_str().ok());
    let cookie = sessions::start(
        &state,
        user_id,
        workspace_id,
        cookie_token(&parts).as_deref(),
        user_agent,
    )
    .await?;
    set_cookie(&cookie);
    // The person's language comes with them to this browser.
    if let Some(locale) = users::language(state.db.pool(), user_id).await? {
        set_cookie(&language::cookie(locale, state.settings.secure_cookies));
    }
    Ok(())
}

/// The language this request is in (see `text::language`).
pub fn language() -> Locale {
    use_context::<Parts>()
        .map(|parts| language::of_request(&parts))
        .unwrap_or_default()
}

pub async fn end_session() -> Result<(), AppError> {
    let state = state()?;
    let parts = parts()?;
    if let Some(token) = cookie_token(&parts) {
        sessions::end(&state, &token).await?;
    }
    set_cookie(&sessions::cleared_cookie(&state));
    Ok(())
}

/// Adds a `Set-Cookie` header to the response.
pub fn set_cookie(cookie: &str) {
    if let (Some(response), Ok(value)) = (
        use_context::<ResponseOptions>(),
        HeaderValue::from_str(cookie),
    ) {
        response.append_header(header::SET_COOKIE, value);
    }
}

/// The address the request came from: the TCP peer, or, behind a trusted proxy, the last
/// `X-Forwarded-For` entry (the one our proxy appended; earlier ones the client could forge).
pub fn client_ip() -> Option<IpAddr> {
    let parts = use_context::<Parts>()?;
    let trust_proxy = use_context::<AppState>()?.settings.trust_proxy;
    if trust_proxy {
        return parts
            .headers
            .get_all("x-forwarded-for")
            .iter()
            .filter_map(|value| value.to_str().ok())
            .flat_map(|value| value.split(','))
            .next_back()
            .and_then(|last| last.trim().parse().ok());
    }
    parts
        .extensions
        .get::<ConnectInfo<SocketAddr>>()
        .map(|ConnectInfo(address)| address.ip())
}
