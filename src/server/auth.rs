//! Who is signed in, and how they got there: password hashing, session tokens and cookies,
//! sign-up policy, sign-in throttling and invitations.

pub mod devices;
pub mod invitations;
pub mod passwords;
pub mod profile;
pub mod request;
pub mod sessions;
pub mod signin;
pub mod signup;
pub mod throttle;
pub mod tokens;

use crate::domain::membership::Role;
use crate::domain::{TimeZone, UserId, WorkspaceId};
use crate::server::db::sessions::SessionRow;
use crate::server::db::{UnknownValue, known};

/// How long a session lasts without being used.
pub const SESSION_IDLE_LIFETIME: chrono::Duration = chrono::Duration::days(30);

/// Who is signed in, as services see it: the person, the workspace they act in, whether they
/// own this Herald, and which session it is. The browser's view of it (`api::auth::Session`)
/// adds what only pages need.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignedIn {
    pub user_id: UserId,
    pub email: String,
    pub display_name: String,
    /// The instance's owner: invitations, server settings, accounts from the environment.
    pub is_owner: bool,
    pub workspace_id: WorkspaceId,
    pub workspace_name: String,
    /// The person's own workspace, whose name the app words in the reader's language.
    pub personal_workspace: bool,
    /// What they may do in that workspace.
    pub role: Role,
    pub time_zone: TimeZone,
    /// The stored hash of the session's cookie token: what OAuth states and offers are bound
    /// to, and how "this session" is told apart among the person's others.
    pub session_hash: String,
}

impl SignedIn {
    /// The identity a live session's row names; `session_hash` is its token's stored hash.
    pub fn from_row(row: SessionRow, session_hash: String) -> Result<SignedIn, UnknownValue> {
        let role = known(
            Role::parse,
            ("memberships", &row.user_id),
            "role",
            &row.role,
        )?;
        Ok(SignedIn {
            role,
            user_id: row.user_id,
            email: row.email,
            display_name: row.display_name,
            is_owner: row.is_owner == 1,
            workspace_id: row.workspace_id,
            workspace_name: row.workspace_name,
            personal_workspace: row.personal_workspace == 1,
            time_zone: TimeZone::from_stored(row.time_zone.as_deref()),
            session_hash,
        })
    }
}
