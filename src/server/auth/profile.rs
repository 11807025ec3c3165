//! Changes a signed-in person makes to their own account.

use super::SignedIn;
use super::{request, sessions, throttle};
use crate::domain::membership::SessionSummary;
use crate::domain::{DisplayName, EmailAddress, Password, TimeZone};
use crate::error::{AppError, Problem};
use crate::server::db::users::{self, Change};
use crate::server::db::{self, sessions as session_rows};
use crate::server::language;
use crate::text::Locale;

pub async fn rename(session: &SignedIn, name: &DisplayName) -> Result<(), AppError> {
    let state = request::state()?;
    users::change(state.db.pool(), &session.user_id, Change::DisplayName(name)).await?;
    Ok(())
}

pub async fn set_time_zone(session: &SignedIn, zone: TimeZone) -> Result<(), AppError> {
    let state = request::state()?;
    users::change(state.db.pool(), &session.user_id, Change::TimeZone(zone)).await?;
    Ok(())
}

/// Keeps the choice on the account (for the next sign-in, anywhere) and in this browser's
/// cookie (for the next page).
pub async fn set_language(session: &SignedIn, locale: Locale) -> Result<(), AppError> {
    let state = request::state()?;
    users::change(state.db.pool(), &session.user_id, Change::Language(locale)).await?;
    request::set_cookie(&language::cookie(locale, state.settings.secure_cookies));
    Ok(())
}

/// Checks the current password (throttled like a sign-in: it is one), stores the new one, and
/// signs out every other session, since whoever knew the old password may hold one.
pub async fn change_password(
    session: &SignedIn,
    current: &Password,
    new: &Password,
) -> Result<(), AppError> {
    let state = request::state()?;
    let email = EmailAddress::parse(&session.email)?;
    // Its own counter: guesses at this account from elsewhere must not block the owner here.
    let client = throttle::Client::Session(session.session_hash.clone());
    let attempt = throttle::admit_attempt(&state.db, &email, client, state.clock.now()).await?;
    let stored = users::password_hash(state.db.pool(), &session.user_id).await?;
    if !state.passwords.verify(current, &stored).await? {
        return Err(AppError::invalid(
            "current_password",
            Problem::WrongCurrentPassword,
        ));
    }
    attempt.succeeded(&state.db).await?;
    let new_hash = state.passwords.hash(new).await?;
    users::change(
        state.db.pool(),
        &session.user_id,
        Change::PasswordHash(&new_hash),
    )
    .await?;
    session_rows::delete_for_user(
        state.db.pool(),
        &session.user_id,
        Some(&session.session_hash),
    )
    .await?;
    tracing::info!(user_id = %session.user_id, "password changed; other sessions ended");
    Ok(())
}

pub async fn sessions(session: &SignedIn) -> Result<Vec<SessionSummary>, AppError> {
    let state = request::state()?;
    let rows = session_rows::list_live_for_user(
        state.db.pool(),
        &session.user_id,
        db::millis(state.clock.now()),
    )
    .await?;
    Ok(rows
        .into_iter()
        .map(|row| SessionSummary {
            current: row.token_hash == session.session_hash,
            created_at: row.created_at,
            last_seen_at: row.last_seen_at,
            device: row
                .user_agent
                .unwrap_or_else(|| "Unknown browser".to_owned()),
        })
        .collect())
}

pub async fn sign_out_everywhere(session: &SignedIn) -> Result<(), AppError> {
    let state = request::state()?;
    session_rows::delete_for_user(state.db.pool(), &session.user_id, None).await?;
    request::set_cookie(&sessions::cleared_cookie(&state));
    Ok(())
}
