//! Posts: save a draft from the composer, open one, list them. The same checks run here as in
//! the browser (`domain::post_rules`), so a draft the composer shows as fine is saved, and one
//! that breaks a network's limit is refused with that limit, whoever sent it.

use leptos::prelude::*;
use leptos::server_fn::codec::Json;
use serde::{Deserialize, Serialize};

use crate::api::accounts::AccountView;
pub use crate::domain::jobs::Attempt;
pub use crate::domain::library::MediaItem;
pub use crate::domain::post_record::{
    DraftInput, POSTS_PAGE_SIZE, PostSummary, PostTarget, PostView, PostsPage, TargetInput,
};
pub use crate::domain::post_state::{PostStatus, TargetStatus};
#[cfg(feature = "ssr")]
use crate::domain::schedule::local_input;
use crate::domain::{AccountId, PostId};
use crate::error::AppError;

/// Everything the composer needs to open: the post (for an existing one), the accounts to
/// choose from, and the newest media of the library.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ComposerData {
    pub post: Option<PostView>,
    pub accounts: Vec<AccountView>,
    pub library: Vec<MediaItem>,
    /// The time "Schedule" offers first: the next free hour, `YYYY-MM-DDTHH:MM` in the
    /// person's zone.
    pub next_slot: String,
    /// Now in the person's zone, the same way: the earliest the picker accepts.
    pub now_local: String,
    pub ai: crate::api::ai::AiStatus,
    /// The post's AI proposals, newest first.
    pub revisions: Vec<crate::api::ai::RevisionView>,
}

/// `id` empty: a new post.
#[server(prefix = "/api", endpoint = "open_composer")]
pub async fn open_composer(id: String) -> Result<ComposerData, AppError> {
    use crate::server::auth::request;
    use crate::server::db::accounts;
    use crate::server::media::library;
    use crate::server::posts;
    let session = request::require_session().await?;
    let state = request::state()?;
    let post = if id.is_empty() {
        None
    } else {
        Some(posts::find(&state, &session.workspace_id, &PostId::from(id)).await?)
    };
    let accounts = accounts::list(state.db.pool(), &session.workspace_id)
        .await?
        .into_iter()
        .map(crate::api::accounts::view_of)
        .collect();
    let library = library::list(&state, &session.workspace_id, "", 0)
        .await?
        .items;
    let zone = session.time_zone;
    let next_slot = crate::server::scheduling::next_slot(&state, &session).await?;
    let now = crate::server::db::millis(state.clock.now());
    let revisions = match &post {
        Some(post) => {
            crate::server::ai::revisions::for_post(&state, &session.workspace_id, &post.id).await?
        }
        None => Vec::new(),
    };
    Ok(ComposerData {
        ai: crate::server::ai::revisions::status(&state),
        revisions,
        post,
        accounts,
        library,
        next_slot: local_input(zone, next_slot),
        now_local: local_input(zone, now),
    })
}

#[server(prefix = "/api", endpoint = "save_draft", input = Json)]
pub async fn save_draft(draft: DraftInput) -> Result<PostView, AppError> {
    use crate::server::auth::request;
    use crate::server::posts;
    let session = request::require_session().await?;
    let state = request::state()?;
    posts::save_draft(&state, &session, draft).await
}

/// Publishes the draft to every account it names, now: one job per account, queued in the
/// same transaction that marks the post as publishing. `revision` must be the one the
/// composer saved last; a second press finds the post already publishing and changes nothing.
#[server(prefix = "/api", endpoint = "publish_post")]
pub async fn publish_post(id: PostId, revision: i64) -> Result<PostView, AppError> {
    use crate::server::auth::request;
    use crate::server::publishing;
    let session = request::require_session().await?;
    let state = request::state()?;
    publishing::start::publish_now(&state, &session, &id, revision).await
}

/// Asks the network again about an account whose result is in doubt.
#[server(prefix = "/api", endpoint = "check_again")]
pub async fn check_again(id: PostId, account: AccountId) -> Result<PostView, AppError> {
    use crate::server::auth::request;
    use crate::server::publishing;
    let session = request::require_session().await?;
    let state = request::state()?;
    publishing::start::check_again(&state, &session, &id, &account).await
}

#[server(prefix = "/api", endpoint = "get_post")]
pub async fn get_post(id: PostId) -> Result<PostView, AppError> {
    use crate::server::auth::request;
    use crate::server::posts;
    let session = request::require_session().await?;
    let state = request::state()?;
    posts::find(&state, &session.workspace_id, &id).await
}

/// `status` and `account` filter when not empty; pages count from 0.
#[server(prefix = "/api", endpoint = "list_posts")]
pub async fn list_posts(status: String, account: String, page: u32) -> Result<PostsPage, AppError> {
    use crate::server::auth::request;
    use crate::server::posts;
    let session = request::require_session().await?;
    let state = request::state()?;
    let status = PostStatus::parse(&status);
    let account = (!account.is_empty()).then(|| AccountId::from(account));
    posts::list(
        &state,
        &session.workspace_id,
        status,
        account.as_ref(),
        page,
    )
    .await
}
