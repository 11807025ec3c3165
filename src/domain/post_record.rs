//! A post as Herald reads it back — its words, accounts, results and ledger — and what the
//! composer sends to make or change one. The server builds these from its rows; the browser
//! shows them.

use serde::{Deserialize, Serialize};

use crate::domain::accounts::Network;
use crate::domain::jobs::Attempt;
use crate::domain::library::MediaItem;
use crate::domain::post::PostFormat;
use crate::domain::post_state::{PostStatus, TargetStatus};
use crate::domain::{AccountId, MediaId, PostId};

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

/// A post as stored: its words, its state and its times. Its accounts and media are read
/// apart ([`PostTarget`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Post {
    pub id: PostId,
    pub status: PostStatus,
    pub text: String,
    pub hashtags: String,
    pub call_to_action: String,
    pub revision: i64,
    pub scheduled_at: Option<i64>,
    pub updated_at: i64,
}

/// One account of a post, with the account's network, name and whether it must be reconnected:
/// as stored, and as the post's page shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PostTarget {
    pub post_id: PostId,
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

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PostView {
    pub id: PostId,
    pub revision: i64,
    pub status: PostStatus,
    pub text: String,
    pub hashtags: String,
    pub call_to_action: String,
    pub targets: Vec<PostTarget>,
    pub media: Vec<MediaItem>,
    /// When it goes (or went) out, Unix milliseconds; None for a draft never scheduled.
    pub scheduled_at: Option<i64>,
    pub updated_at: i64,
    /// Every attempt at publishing it, oldest first.
    pub ledger: Vec<Attempt>,
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
