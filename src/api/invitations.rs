//! Invitations: in invite-only mode, the instance owner's links are how new people join.

use leptos::prelude::*;

pub use crate::domain::membership::{InvitationView, Invitations, NewInvitation};
use crate::error::AppError;

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
