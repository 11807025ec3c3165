//! Invitations: in invite-only mode, the instance owner's links are how new people join.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::error::AppError;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InvitationView {
    pub id: String,
    /// Unix milliseconds.
    pub created_at: i64,
    pub expires_at: i64,
    pub accepted_by: Option<String>,
}

/// The owner's invitations, and the address their links point at.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Invitations {
    /// `HERALD_PUBLIC_URL` + `/sign-up`; a link is this plus `?invite=<token>`.
    pub sign_up_url: String,
    pub invitations: Vec<InvitationView>,
}

/// A freshly made invitation. Its link is shown once, on the page this redirects to
/// (`/invitations?new=<token>`): only the token's hash is kept.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewInvitation {
    pub link: String,
    pub expires_at: i64,
}

/// Whether `token` has the shape of an invitation token (so a crafted address cannot make
/// the page show anything else as a link).
pub fn is_token_shaped(token: &str) -> bool {
    token.len() == 43
        && token
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
}

#[server(prefix = "/api", endpoint = "create_invitation")]
pub async fn create_invitation() -> Result<NewInvitation, AppError> {
    use crate::server::auth::{invitations, request};
    let session = request::require_owner().await?;
    let (created, token) = invitations::create(&session).await?;
    leptos_axum::redirect(&format!("/invitations?new={}", token.expose()));
    Ok(created)
}

#[server(prefix = "/api", endpoint = "list_invitations")]
pub async fn list_invitations() -> Result<Invitations, AppError> {
    use crate::server::auth::{invitations, request};
    let session = request::require_owner().await?;
    invitations::list(&session).await
}
