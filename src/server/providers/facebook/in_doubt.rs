//! Did a Page post whose answer never came get made? The Page's recent posts are read back
//! for the exact text, made after the attempt began (spec §2, §4.4).

use chrono::{DateTime, Utc};

use crate::server::providers::meta::publishing_calls::RecentPost;
use crate::server::providers::meta::{MetaClient, MetaError};
use crate::server::providers::{Finding, Target};

/// How many recent posts are read back: far more than one Page makes in the minutes an
/// answer can be late by.
const RECENT_POSTS: u32 = 25;

pub(super) async fn find(
    meta: &MetaClient,
    target: &Target,
    since: Option<DateTime<Utc>>,
) -> Result<Finding, MetaError> {
    let expected = target.caption.trim();
    if expected.is_empty() {
        // Any post without words would match: absence cannot be proven.
        return Ok(Finding::Unknowable(
            "the post has no text Herald could recognise it by",
        ));
    }
    let posts = meta
        .recent_page_posts(&target.remote_account, &target.token, RECENT_POSTS)
        .await?;
    let made_since = |post: &&RecentPost| match (since, post.created_at) {
        (Some(since), Some(created)) => created >= since,
        _ => true,
    };
    Ok(
        match posts
            .iter()
            .filter(made_since)
            .find(|post| post.message.trim() == expected)
        {
            Some(post) => Finding::Posted {
                remote_id: post.id.clone(),
                url: post.permalink.clone(),
            },
            None => Finding::Absent,
        },
    )
}
