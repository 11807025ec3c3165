//! Posts: save a draft from the composer, open one, list them. The same checks run here as in
//! the browser (`domain::post_rules`), so a draft the composer shows as fine is saved, and one
//! that breaks a network's limit is refused with that limit, whoever sent it.

use leptos::prelude::*;
use leptos::server_fn::codec::Json;
use serde::{Deserialize, Serialize};

use crate::api::accounts::AccountView;
use crate::api::media::MediaItem;
use crate::domain::accounts::Network;
use crate::domain::post::PostFormat;
#[cfg(feature = "ssr")]
use crate::domain::schedule::local_input;
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
    #[serde(default)]
    pub format: PostFormat,
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

impl PostStatus {
    /// A post's status, from its accounts' results: published only when every account is, and
    /// "publishing" while any is still under way or in doubt (Herald is still finding out).
    /// Scheduling and cancelling move every account at once, so a post is scheduled or
    /// cancelled only when all its accounts are.
    pub fn from_targets(targets: &[TargetStatus]) -> PostStatus {
        let count = |wanted: TargetStatus| targets.iter().filter(|s| **s == wanted).count();
        let published = count(TargetStatus::Published);
        let failed = count(TargetStatus::Failed);
        let pending = count(TargetStatus::Publishing)
            + count(TargetStatus::OutcomeUnknown)
            + count(TargetStatus::Scheduled);
        let all = |wanted: TargetStatus| count(wanted) == targets.len();
        if targets.is_empty() || all(TargetStatus::Draft) {
            PostStatus::Draft
        } else if all(TargetStatus::Scheduled) {
            PostStatus::Scheduled
        } else if all(TargetStatus::Canceled) {
            PostStatus::Canceled
        } else if published == targets.len() {
            PostStatus::Published
        } else if pending > 0 && published == 0 {
            PostStatus::Publishing
        } else if published > 0 {
            PostStatus::PartiallyPublished
        } else if failed > 0 {
            PostStatus::Failed
        } else {
            PostStatus::Publishing
        }
    }

    /// Published (wholly or partly) posts are history: they cannot be edited any more.
    pub fn is_editable(self) -> bool {
        self == PostStatus::Draft
    }
}

/// Where one account of a post stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TargetStatus {
    Draft,
    /// Waiting for the post's time; its job is queued.
    Scheduled,
    Publishing,
    Published,
    Failed,
    /// A call that publishes got no answer; Herald is finding out whether it posted.
    OutcomeUnknown,
    /// Cancelled before its time: nothing was sent.
    Canceled,
}

impl TargetStatus {
    pub const ALL: [TargetStatus; 7] = [
        TargetStatus::Draft,
        TargetStatus::Scheduled,
        TargetStatus::Publishing,
        TargetStatus::Published,
        TargetStatus::Failed,
        TargetStatus::OutcomeUnknown,
        TargetStatus::Canceled,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            TargetStatus::Draft => "draft",
            TargetStatus::Scheduled => "scheduled",
            TargetStatus::Canceled => "canceled",
            TargetStatus::Publishing => "publishing",
            TargetStatus::Published => "published",
            TargetStatus::Failed => "failed",
            TargetStatus::OutcomeUnknown => "outcome_unknown",
        }
    }

    pub fn parse(raw: &str) -> Option<TargetStatus> {
        TargetStatus::ALL
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
    /// When it goes (or went) out, Unix milliseconds; None for a draft never scheduled.
    pub scheduled_at: Option<i64>,
    pub updated_at: i64,
    /// Every attempt at publishing it, oldest first.
    pub ledger: Vec<AttemptView>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TargetView {
    pub account_id: AccountId,
    pub network: Network,
    pub account_name: String,
    pub variant: Option<String>,
    pub format: PostFormat,
    pub status: TargetStatus,
    /// The live post, once the network gave its address.
    pub remote_url: Option<String>,
    /// Why it failed or is in doubt: a key the UI words (`reconnect`, `media_refused`…).
    pub reason: Option<String>,
    /// The network's own words about it.
    pub detail: Option<String>,
    /// The account must be reconnected before anything more can be sent to it.
    #[serde(default)]
    pub account_needs_reconnect: bool,
}

/// One line of the publishing ledger.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AttemptView {
    pub account_id: AccountId,
    /// `create_post`, `upload_photo`, `create_container`, `publish_container`, `reconcile`…
    pub step: String,
    /// `sending`, `succeeded`, `failed`, `will_retry`, `waiting`, `outcome_unknown`,
    /// `found_posted`, `found_absent`.
    pub outcome: String,
    pub reason: Option<String>,
    pub detail: Option<String>,
    pub started_at: i64,
}

/// One row of the posts list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PostSummary {
    pub id: PostId,
    pub status: PostStatus,
    pub text: String,
    pub networks: Vec<Network>,
    pub thumbnail_url: Option<String>,
    pub scheduled_at: Option<i64>,
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
        .filter_map(crate::api::accounts::view_of)
        .collect();
    let library = library::list(&state, &session.workspace_id, "", 0)
        .await?
        .items;
    let zone = crate::domain::TimeZone::from_stored(Some(&session.time_zone));
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_posts_status_follows_its_accounts() {
        use TargetStatus::*;
        let status = PostStatus::from_targets;
        assert_eq!(status(&[]), PostStatus::Draft);
        assert_eq!(status(&[Draft, Draft]), PostStatus::Draft);
        assert_eq!(status(&[Published, Published]), PostStatus::Published);
        assert_eq!(
            status(&[Published, Publishing]),
            PostStatus::PartiallyPublished
        );
        assert_eq!(status(&[Published, Failed]), PostStatus::PartiallyPublished);
        assert_eq!(status(&[Failed, Failed]), PostStatus::Failed);
        assert_eq!(status(&[Failed, Publishing]), PostStatus::Publishing);
        assert_eq!(status(&[Scheduled, Scheduled]), PostStatus::Scheduled);
        assert_eq!(status(&[Scheduled, Publishing]), PostStatus::Publishing);
        assert_eq!(status(&[Canceled]), PostStatus::Canceled);
        // In doubt is never called failed: Herald is still finding out.
        assert_eq!(status(&[Failed, OutcomeUnknown]), PostStatus::Publishing);
        assert_eq!(
            status(&[Published, OutcomeUnknown]),
            PostStatus::PartiallyPublished
        );
    }

    #[test]
    fn target_statuses_read_back_what_they_write() {
        for status in TargetStatus::ALL {
            assert_eq!(TargetStatus::parse(status.as_str()), Some(status));
        }
        assert_eq!(TargetStatus::parse("posted"), None);
    }
}
