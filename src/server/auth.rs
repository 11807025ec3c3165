//! Who is signed in, and how they got there: password hashing, session tokens and cookies,
//! sign-up policy, sign-in throttling and invitations.

pub mod invitations;
pub mod passwords;
pub mod profile;
pub mod request;
pub mod sessions;
pub mod signin;
pub mod signup;
pub mod throttle;
pub mod tokens;

pub use crate::api::auth::Session;
use crate::domain::TimeZone;
use crate::server::db::sessions::SessionRow;

/// How long a session lasts without being used.
pub const SESSION_IDLE_LIFETIME: chrono::Duration = chrono::Duration::days(30);

impl From<SessionRow> for Session {
    fn from(row: SessionRow) -> Self {
        Session {
            user_id: row.user_id,
            email: row.email,
            display_name: row.display_name,
            is_owner: row.is_owner == 1,
            workspace_id: row.workspace_id,
            workspace_name: row.workspace_name,
            personal_workspace: row.personal_workspace == 1,
            sandbox: false,
            sandbox_feed_url: None,
            oauth_redirect_uris: Vec::new(),
            time_zone: TimeZone::from_stored(row.time_zone.as_deref())
                .name()
                .to_owned(),
        }
    }
}
