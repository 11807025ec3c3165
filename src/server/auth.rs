//! Who is signed in, and how they got there: password hashing, session tokens and cookies,
//! sign-up policy, sign-in throttling and invitations.

pub mod invitations;
pub mod passwords;
pub mod request;
pub mod sessions;
pub mod signin;
pub mod signup;
pub mod throttle;
pub mod tokens;

use crate::api::auth::SessionView;
use crate::server::db::sessions::SessionRow;

/// How long a session lasts without being used.
pub const SESSION_IDLE_LIFETIME: chrono::Duration = chrono::Duration::days(30);

/// A resolved, live session. Carries the hash of its token, never the token.
#[derive(Debug, Clone)]
pub struct Session {
    pub token_hash: String,
    pub user_id: String,
    pub email: String,
    pub display_name: String,
    pub is_owner: bool,
    pub workspace_id: String,
    pub workspace_name: String,
}

impl From<SessionRow> for Session {
    fn from(row: SessionRow) -> Self {
        Session {
            token_hash: row.token_hash,
            user_id: row.user_id,
            email: row.email,
            display_name: row.display_name,
            is_owner: row.is_owner == 1,
            workspace_id: row.workspace_id,
            workspace_name: row.workspace_name,
        }
    }
}

impl From<Session> for SessionView {
    fn from(session: Session) -> Self {
        SessionView {
            user_id: session.user_id,
            email: session.email,
            display_name: session.display_name,
            is_owner: session.is_owner,
            workspace_id: session.workspace_id,
            workspace_name: session.workspace_name,
        }
    }
}
