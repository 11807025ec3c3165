//! Changes a signed-in person makes to their own account.

use super::Session;
use super::{request, sessions, throttle};
use crate::api::settings::SessionSummary;
use crate::domain::{DisplayName, EmailAddress, Password, TimeZone};
use crate::error::AppError;
use crate::server::db::{self, sessions as session_rows, users};

pub const WRONG_CURRENT_PASSWORD: &str = "Your current password is not right. Type it again.";

pub async fn rename(session: &Session, name: &DisplayName) -> Result<(), AppError> {
    let state = request::state()?;
    users::set_display_name(state.db.pool(), &session.user_id, name).await?;
    Ok(())
}

pub async fn set_time_zone(session: &Session, zone: TimeZone) -> Result<(), AppError> {
    let state = request::state()?;
    users::set_time_zone(state.db.pool(), &session.user_id, zone).await?;
    Ok(())
}

/// Checks the current password (throttled like a sign-in: it is one), stores the new one, and
/// signs out every other session, since whoever knew the old password may hold one.
pub async fn change_password(
    session: &Session,
    current: &Password,
    new: &Password,
) -> Result<(), AppError> {
    let state = request::state()?;
    let email = EmailAddress::parse(&session.email)?;
    let attempt =
        throttle::admit_attempt(&state.db, &email, request::client_ip(), state.clock.now()).await?;
    let stored = users::password_hash(state.db.pool(), &session.user_id).await?;
    if !state.passwords.verify(current, &stored).await? {
        return Err(AppError::invalid(
            "current_password",
            WRONG_CURRENT_PASSWORD,
        ));
    }
    attempt.succeeded(&state.db).await?;
    let new_hash = state.passwords.hash(new).await?;
    users::set_password_hash(state.db.pool(), &session.user_id, &new_hash).await?;
    let keep = request::current_token_hash();
    session_rows::delete_for_user(state.db.pool(), &session.user_id, keep.as_deref()).await?;
    tracing::info!(user_id = %session.user_id, "password changed; other sessions ended");
    Ok(())
}

pub async fn sessions(session: &Session) -> Result<Vec<SessionSummary>, AppError> {
    let state = request::state()?;
    let current = request::current_token_hash();
    let rows = session_rows::list_live_for_user(
        state.db.pool(),
        &session.user_id,
        db::millis(state.clock.now()),
    )
    .await?;
    Ok(rows
        .into_iter()
        .map(|row| SessionSummary {
            current: current.as_deref() == Some(row.token_hash.as_str()),
            created_at: row.created_at,
            last_seen_at: row.last_seen_at,
            device: row
                .user_agent
                .unwrap_or_else(|| "Unknown browser".to_owned()),
        })
        .collect())
}

pub async fn sign_out_everywhere(session: &Session) -> Result<(), AppError> {
    let state = request::state()?;
    session_rows::delete_for_user(state.db.pool(), &session.user_id, None).await?;
    request::set_cookie(&sessions::cleared_cookie(&state));
    Ok(())
}
