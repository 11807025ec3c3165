//! What the composer's buttons do to a draft: save it, then publish or schedule it when asked.
//! The plain form (`routes`) goes through here, and every step is the service a server
//! function calls, so each rule is written once.

pub mod routes;

use crate::domain::post_record::{DraftInput, PostView};
use crate::error::AppError;
use crate::server::auth::SignedIn;
use crate::server::state::AppState;
use crate::server::{posts, publishing, scheduling};

/// What is asked of a draft once it is saved.
pub enum Intent {
    Save,
    Publish,
    /// At a wall-clock time in the person's zone (`YYYY-MM-DDTHH:MM`).
    Schedule {
        at: String,
    },
}

/// What became of a submitted draft.
pub enum Submitted {
    Saved(PostView),
    /// Published or scheduled, as asked.
    Sent(PostView),
    /// Saved, but publishing or scheduling was refused.
    NotSent {
        saved: PostView,
        error: AppError,
    },
}

/// Saves the draft, then publishes or schedules it when asked, through the same services as
/// the `save_draft`, `publish_post` and `schedule_post` server functions, so every rule is
/// the same with JavaScript and without.
pub async fn submit(
    state: &AppState,
    session: &SignedIn,
    input: DraftInput,
    intent: Intent,
) -> Result<Submitted, AppError> {
    let saved = posts::save_draft(state, session, input).await?;
    let sent = match intent {
        Intent::Save => return Ok(Submitted::Saved(saved)),
        Intent::Publish => {
            publishing::start::publish_now(state, session, &saved.id, saved.revision).await
        }
        Intent::Schedule { at } => {
            scheduling::schedule(state, session, &saved.id, saved.revision, &at).await
        }
    };
    Ok(match sent {
        Ok(post) => Submitted::Sent(post),
        Err(error) => Submitted::NotSent { saved, error },
    })
}
