//! Invitations: in invite-only mode, the instance owner's links are how new people join.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::domain::InvitationId;
use crate::error::AppError;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InvitationView {
    pub id: InvitationId,
    /// Unix milliseconds.
    pub created_at: i64,
    pub expires_at: i64,
    pub accepted_by: Option<String>,
}

/// The owner's invitations, with the link of the one just made, if any.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Invitations {
    /// Shown once: Herald keeps only a hash of the token, and hands the link over through a
    /// short-lived cookie that this listing consumes (so it works with JavaScript off too).
    pub new_link: Option<String>,
    pub invitations: Vec<InvitationView>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewInvitation {
    pub link: String,
    pub expires_at: i64,
}

#[server(prefix = "/api", endpoint = "create_invitation")]
pub async fn create_invitation() -> Result<NewInvitation, AppError> {
    use crate::server::auth::{invitations, request};
    let session = request::require_owner().await?;
    invitations::create(&session).await
}

#[server(prefix = "/api", endpoint = "list_invitations")]
pub async fn list_invitations() -> Result<Invitations, AppError> {
    use crate::server::auth::{invitations, request};
    let session = request::require_owner().await?;
    invitations::list(&session).await
}
