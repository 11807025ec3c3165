//! A person's own settings: name, language, time zone, password, and where they are signed in.

use leptos::prelude::*;

pub use crate::domain::membership::SessionSummary;
use crate::error::AppError;

#[server(prefix = "/api", endpoint = "rename_person")]
pub async fn rename_person(display_name: String) -> Result<(), AppError> {
    use crate::domain::DisplayName;
    use crate::server::auth::{profile, request};
    let session = request::require_session().await?;
    let name = DisplayName::parse(&display_name)?;
    profile::rename(&session, &name).await?;
    leptos_axum::redirect("/settings?saved=name");
    Ok(())
}

#[server(prefix = "/api", endpoint = "set_language")]
pub async fn set_language(language: String) -> Result<(), AppError> {
    use crate::server::auth::{profile, request};
    let session = request::require_session().await?;
    let locale = crate::text::language::parse(&language)?;
    profile::set_language(&session, locale).await?;
    leptos_axum::redirect("/settings?saved=language");
    Ok(())
}

#[server(prefix = "/api", endpoint = "set_time_zone")]
pub async fn set_time_zone(time_zone: String) -> Result<(), AppError> {
    use crate::domain::TimeZone;
    use crate::server::auth::{profile, request};
    let session = request::require_session().await?;
    let zone = TimeZone::parse(&time_zone)?;
    profile::set_time_zone(&session, zone).await?;
    leptos_axum::redirect("/settings?saved=time_zone");
    Ok(())
}

#[server(prefix = "/api", endpoint = "change_password")]
pub async fn change_password(
    current_password: String,
    new_password: String,
) -> Result<(), AppError> {
    use crate::domain::Password;
    use crate::server::auth::{profile, request};
    let session = request::require_session().await?;
    let current = Password::for_sign_in(current_password)
        .map_err(|error| AppError::invalid("current_password", error.problem))?;
    let new = Password::parse_new(new_password)
        .map_err(|error| AppError::invalid("new_password", error.problem))?;
    profile::change_password(&session, &current, &new).await?;
    leptos_axum::redirect("/settings?saved=password");
    Ok(())
}

#[server(prefix = "/api", endpoint = "list_sessions")]
pub async fn list_sessions() -> Result<Vec<SessionSummary>, AppError> {
    use crate::server::auth::{profile, request};
    let session = request::require_session().await?;
    profile::sessions(&session).await
}

#[server(prefix = "/api", endpoint = "sign_out_everywhere")]
pub async fn sign_out_everywhere() -> Result<(), AppError> {
    use crate::server::auth::{profile, request};
    let session = request::require_session().await?;
    profile::sign_out_everywhere(&session).await?;
    leptos_axum::redirect("/sign-in");
    Ok(())
}
