//! What one account of a post receives — its caption, its media at their public addresses,
//! the account's token — read afresh at the start of every run, so a reconnected account's
//! new token is the one used.

use crate::domain::accounts::{AccountStatus, Connection, Network};
use crate::domain::media::MediaFacts;
use crate::domain::post::{DraftTarget, PostDraft, PostFormat};
use crate::domain::{MediaId, PostId};
use crate::error::AppError;
use crate::server::accounts::check;
use crate::server::crypto::Secret;
use crate::server::db::{accounts, media as db_media, posts as db_posts};
use crate::server::media::library;
use crate::server::providers::meta::publishing::GraphHost;
use crate::server::state::AppState;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum MediaKind {
    Image,
    Video,
}

#[derive(Debug, Clone)]
pub(crate) struct TargetMedia {
    pub kind: MediaKind,
    /// Absolute: the network fetches it from here, without signing in.
    pub url: String,
    pub alt_text: String,
}

pub(crate) struct Target {
    pub network: Network,
    pub host: GraphHost,
    /// The Page id or the Instagram user id.
    pub remote_account: String,
    /// The Page an Instagram account reaches Meta through, when it does: Meta may count its
    /// calls against either (spec §4.4).
    pub page_id: Option<String>,
    pub token: Secret,
    pub format: PostFormat,
    /// Empty for a Story, which has none.
    pub caption: String,
    pub media: Vec<TargetMedia>,
}

pub(crate) enum Loaded {
    Ready(Target),
    /// Nothing can be sent for this account: `reason` says why, for the person.
    Unavailable(&'static str),
    /// The post is gone (deleted meanwhile): there is nothing to publish or to report.
    PostGone,
}

pub(crate) async fn load(
    state: &AppState,
    job: &crate::server::db::jobs::JobRow,
) -> Result<Loaded, AppError> {
    let Some(post_id) = job.post_id.as_ref() else {
        return Ok(Loaded::PostGone);
    };
    let pool = state.db.pool();
    let Some(post) = db_posts::find(pool, &job.workspace_id, post_id).await? else {
        return Ok(Loaded::PostGone);
    };
    let Some(account) = accounts::find(pool, &job.workspace_id, &job.account_id).await? else {
        return Ok(Loaded::Unavailable("account_unavailable"));
    };
    if AccountStatus::parse(&account.status) == Some(AccountStatus::NeedsReconnect) {
        return Ok(Loaded::Unavailable("reconnect"));
    }
    let Some(network) = Network::parse(&account.network) else {
        return Ok(Loaded::Unavailable("account_unavailable"));
    };
    let host = match Connection::parse(&account.connection) {
        Some(Connection::InstagramLogin) => GraphHost::Instagram,
        _ => GraphHost::Facebook,
    };
    let token = check::access_token(state, &job.workspace_id, &job.account_id).await?;
    let Some(stored) = db_posts::targets_of(pool, std::slice::from_ref(post_id))
        .await?
        .into_iter()
        .find(|target| target.account_id == job.account_id)
    else {
        return Ok(Loaded::PostGone);
    };
    let format = PostFormat::parse(&stored.format).unwrap_or_default();
    let draft_target = DraftTarget {
        account_id: job.account_id.clone(),
        network,
        variant: stored.variant,
        format,
    };
    let caption = PostDraft {
        text: post.text,
        hashtags: post.hashtags,
        call_to_action: post.call_to_action,
        targets: Vec::new(),
        media: Vec::new(),
    }
    .caption_for(&draft_target);
    let Some(media) = media_of(state, job, post_id, network, format).await? else {
        return Ok(Loaded::Unavailable("media_missing"));
    };
    Ok(Loaded::Ready(Target {
        network,
        host,
        remote_account: account.remote_id,
        page_id: account.page_id,
        token,
        format,
        caption,
        media,
    }))
}

/// The post's media in order, at the addresses a `format` post on `network` is sent; None when
/// one is gone.
async fn media_of(
    state: &AppState,
    job: &crate::server::db::jobs::JobRow,
    post_id: &PostId,
    network: Network,
    format: PostFormat,
) -> Result<Option<Vec<TargetMedia>>, AppError> {
    let pool = state.db.pool();
    let ids: Vec<MediaId> = db_posts::media_of(pool, std::slice::from_ref(post_id))
        .await?
        .into_iter()
        .map(|(_, media_id)| media_id)
        .collect();
    let rows = db_media::find_many(pool, &job.workspace_id, &ids).await?;
    let items = library::items_of(state, rows).await?;
    let mut media = Vec::with_capacity(ids.len());
    for id in &ids {
        let Some(item) = items.iter().find(|item| &item.id == id) else {
            return Ok(None);
        };
        let Ok(url) = state
            .settings
            .public_url
            .join(item.url_for(network, format))
        else {
            return Ok(None);
        };
        media.push(TargetMedia {
            kind: match item.facts {
                MediaFacts::Image { .. } => MediaKind::Image,
                MediaFacts::Video { .. } => MediaKind::Video,
            },
            url: url.to_string(),
            alt_text: item.alt_text.clone(),
        });
    }
    Ok(Some(media))
}
