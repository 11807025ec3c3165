//! Signing up, in and out, and asking who is signed in.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

pub use crate::domain::membership::SignupStatus;
use crate::domain::{TimeZone, UserId, WorkspaceId};
use crate::error::AppError;

/// Who is signed in, and in which workspace. Safe for the browser: no token, no hash.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Session {
    pub user_id: UserId,
    pub email: String,
    pub display_name: String,
    pub is_owner: bool,
    pub workspace_id: WorkspaceId,
    pub workspace_name: String,
    /// The person's own workspace, whose name the app words in the reader's language.
    pub personal_workspace: bool,
    /// The zone times are shown in (`UTC` until the person picks one), with its offsets.
    pub time_zone: TimeZone,
    /// This Herald talks to its sandbox networks, not the real ones: every page says so.
    #[serde(default)]
    pub sandbox: bool,
    /// In sandbox mode, the page listing what the sandbox networks received.
    #[serde(default)]
    pub sandbox_feed_url: Option<String>,
    /// For the owner: the callback addresses to register with Meta (empty for everyone else).
    #[serde(default)]
    pub oauth_redirect_uris: Vec<String>,
}

#[server(prefix = "/api", endpoint = "get_session")]
pub async fn get_session() -> Result<Option<Session>, AppError> {
    use crate::server::auth::request;
    let state = request::state()?;
    Ok(request::optional_session()
        .await?
        .map(|signed_in| session_view(&state, signed_in)))
}

/// What the pages see of the signed-in person: who and where, plus this Herald's sandbox
/// label and, for the owner, the callback addresses to register with Meta.
#[cfg(feature = "ssr")]
fn session_view(
    state: &crate::server::state::AppState,
    signed_in: crate::server::auth::SignedIn,
) -> Session {
    use crate::domain::accounts::Login;
    use crate::server::accounts::connect;
    let oauth_redirect_uris = if signed_in.is_owner {
        [Login::Facebook, Login::Instagram]
            .into_iter()
            .map(|login| connect::redirect_uri(state, login))
            .collect()
    } else {
        Vec::new()
    };
    Session {
        user_id: signed_in.user_id,
        email: signed_in.email,
        display_name: signed_in.display_name,
        is_owner: signed_in.is_owner,
        workspace_id: signed_in.workspace_id,
        workspace_name: signed_in.workspace_name,
        personal_workspace: signed_in.personal_workspace,
        time_zone: signed_in.time_zone,
        sandbox: state.settings.sandbox,
        sandbox_feed_url: state
            .settings
            .sandbox_url
            .as_ref()
            .map(|base| format!("{base}/_sandbox/feed")),
        oauth_redirect_uris,
    }
}

/// `invite` is the token from an invitation link; empty when there is none.
#[server(prefix = "/api", endpoint = "sign_up")]
pub async fn sign_up(
    display_name: String,
    email: String,
    password: String,
    #[server(default)] invite: String,
    #[server(default)] setup: String,
) -> Result<(), AppError> {
    use crate::domain::{DisplayName, EmailAddress, Password};
    use crate::server::auth::signup;
    let form = signup::SignUpForm {
        display_name: DisplayName::parse(&display_name)?,
        email: EmailAddress::parse(&email)?,
        password: Password::parse_new(password)?,
        language: Some(crate::server::auth::request::language()),
    };
    let invite = Some(invite.trim()).filter(|token| !token.is_empty());
    let setup = Some(setup.trim()).filter(|token| !token.is_empty());
    signup::sign_up_from_browser(form, invite, setup).await?;
    leptos_axum::redirect("/posts");
    Ok(())
}

#[server(prefix = "/api", endpoint = "sign_in")]
pub async fn sign_in(email: String, password: String) -> Result<(), AppError> {
    use crate::domain::{EmailAddress, Password};
    use crate::server::auth::signin;
    let email = EmailAddress::parse(&email)?;
    let password = Password::for_sign_in(password)?;
    signin::sign_in_from_browser(&email, &password).await?;
    leptos_axum::redirect("/posts");
    Ok(())
}

#[server(prefix = "/api", endpoint = "sign_out")]
pub async fn sign_out() -> Result<(), AppError> {
    use crate::server::auth::request;
    request::end_session().await?;
    leptos_axum::redirect("/sign-in");
    Ok(())
}

#[server(prefix = "/api", endpoint = "get_signup_status")]
pub async fn get_signup_status(
    #[server(default)] invite: String,
    #[server(default)] setup: String,
) -> Result<SignupStatus, AppError> {
    use crate::server::auth::{request, signup};
    let state = request::state()?;
    let invite = Some(invite.trim()).filter(|token| !token.is_empty());
    let setup = Some(setup.trim()).filter(|token| !token.is_empty());
    signup::status(&state, invite, setup).await
}
