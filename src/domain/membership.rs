//! Who belongs to a Herald: what the sign-up page may offer, the owner's invitations, and the
//! places a person is signed in.

use serde::{Deserialize, Serialize};

use crate::domain::InvitationId;

/// What a member may do in a workspace.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// Everything, members included.
    Owner,
    /// Writes, schedules and publishes posts.
    Editor,
    /// Reads only.
    Viewer,
}

text_forms!(Role {
    Owner => "owner",
    Editor => "editor",
    Viewer => "viewer",
});

/// What the sign-up page should tell a visitor before they type anything.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum SignupStatus {
    /// Nobody has an account yet: this one will own the instance.
    FirstAccount,
    /// Nobody has an account yet, and only the address the operator set may create it.
    FirstAccountForOwnerEmail,
    /// Nobody has an account yet, and it is made through the setup link `herald serve`
    /// printed, which this visitor did not bring.
    SetupLinkNeeded,
    Open,
    /// Invite-only, and the visitor holds a usable invitation.
    Invited,
    /// Invite-only, and the visitor has no invitation.
    InviteOnly,
    /// Invite-only, and the visitor's invitation is expired, used or unknown.
    InvitationUnusable,
}

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

/// One place the person is signed in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SessionSummary {
    /// Unix milliseconds.
    pub created_at: i64,
    pub last_seen_at: i64,
    /// The browser's own description of itself, as it sent it.
    pub device: String,
    /// The session this very page was loaded with.
    pub current: bool,
}
