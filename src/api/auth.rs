//! Signing up, in and out, and asking who is signed in.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::domain::{UserId, WorkspaceId};
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
    /// IANA name of the zone times are shown in (`UTC` until the person picks one).
    pub time_zone: String,
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
    crate::server::auth::request::optional_session().await
}

/// `invite` is the token from an invitation link; empty when there is none.
#[server(prefix = "/api", endpoint = "sign_up")]
pub async fn sign_up(
    display_name: String,
    email: String,
    password: String,
    #[server(default)] invite: String,
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
    signup::sign_up_from_browser(form, invite).await?;
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

/// What the sign-up page should tell a visitor before they type anything.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum SignupStatus {
    /// Nobody has an account yet: this one will own the instance.
    FirstAccount,
    Open,
    /// Invite-only, and the visitor holds a usable invitation.
    Invited,
    /// Invite-only, and the visitor has no invitation.
    InviteOnly,
    /// Invite-only, and the visitor's invitation is expired, used or unknown.
    InvitationUnusable,
}

#[server(prefix = "/api", endpoint = "get_signup_status")]
pub async fn get_signup_status(
    #[server(default)] invite: String,
) -> Result<SignupStatus, AppError> {
    use crate::server::auth::{request, signup};
    let state = request::state()?;
    let invite = Some(invite.trim()).filter(|token| !token.is_empty());
    signup::status(&state, invite).await
}
