//! Posts: save a draft from the composer, open one, list them. The same checks run here as in
//! the browser (`domain::post_rules`), so a draft the composer shows as fine is saved, and one
//! that breaks a network's limit is refused with that limit, whoever sent it.

use leptos::prelude::*;
use leptos::server_fn::codec::Json;
use serde::{Deserialize, Serialize};

use crate::api::accounts::AccountView;
use crate::api::media::MediaItem;
use crate::domain::accounts::Network;
use crate::domain::{AccountId, MediaId, PostId};
use crate::error::AppError;

/// How many posts one page of the list shows.
pub const POSTS_PAGE_SIZE: i64 = 20;

/// What the composer sends: the words, the accounts (each with its own text or none) and the
/// media in order. `revision` is the one the composer started from, for an existing post.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct DraftInput {
    pub id: Option<PostId>,
    pub revision: Option<i64>,
    pub text: String,
    pub hashtags: String,
    pub call_to_action: String,
    pub targets: Vec<TargetInput>,
    pub media: Vec<MediaId>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TargetInput {
    pub account_id: AccountId,
    pub variant: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PostStatus {
    Draft,
    Scheduled,
    Publishing,
    Published,
    PartiallyPublished,
    Failed,
    Canceled,
}

impl PostStatus {
    pub const ALL: [PostStatus; 7] = [
        PostStatus::Draft,
        PostStatus::Scheduled,
        PostStatus::Publishing,
        PostStatus::Published,
        PostStatus::PartiallyPublished,
        PostStatus::Failed,
        PostStatus::Canceled,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            PostStatus::Draft => "draft",
            PostStatus::Scheduled => "scheduled",
            PostStatus::Publishing => "publishing",
            PostStatus::Published => "published",
            PostStatus::PartiallyPublished => "partially_published",
            PostStatus::Failed => "failed",
            PostStatus::Canceled => "canceled",
        }
    }

    pub fn parse(raw: &str) -> Option<PostStatus> {
        PostStatus::ALL
            .into_iter()
            .find(|status| status.as_str() == raw)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PostView {
    pub id: PostId,
    pub revision: i64,
    pub status: PostStatus,
    pub text: String,
    pub hashtags: String,
    pub call_to_action: String,
    pub targets: Vec<TargetView>,
    pub media: Vec<MediaItem>,
    pub updated_at: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TargetView {
    pub account_id: AccountId,
    pub network: Network,
    pub account_name: String,
    pub variant: Option<String>,
}

/// One row of the posts list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PostSummary {
    pub id: PostId,
    pub status: PostStatus,
    pub text: String,
    pub networks: Vec<Network>,
    pub thumbnail_url: Option<String>,
    pub updated_at: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PostsPage {
    pub posts: Vec<PostSummary>,
    pub has_more: bool,
}

/// Everything the composer needs to open: the post (for an existing one), the accounts to
/// choose from, and the newest media of the library.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ComposerData {
    pub post: Option<PostView>,
    pub accounts: Vec<AccountView>,
    pub library: Vec<MediaItem>,
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
        .filter_map(crate::api::accounts::view_of)
        .collect();
    let library = library::list(&state, &session.workspace_id, "", 0)
        .await?
        .items;
    Ok(ComposerData {
        post,
        accounts,
        library,
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
