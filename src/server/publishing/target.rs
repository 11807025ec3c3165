//! What one account of a post receives (`providers::Target`) — its caption, its media at their
//! public addresses, the account's token — read afresh at the start of every run, so a
//! reconnected account's new token is the one used.

use crate::domain::accounts::{AccountStatus, Network};
use crate::domain::jobs::Job;
use crate::domain::library::MediaItem;
use crate::domain::media::MediaFacts;
use crate::domain::post::{DraftTarget, PostDraft, PostFormat};
use crate::domain::post_record::{Post, PostTarget};
use crate::domain::{AccountId, MediaId, PostId, WorkspaceId};
use crate::error::AppError;
use crate::server::accounts::check;
use crate::server::db::accounts::{self, AccountWithToken};
use crate::server::db::{media as db_media, posts as db_posts};
use crate::server::media::library;
use crate::server::providers::{MediaKind, Target, TargetMedia};
use crate::server::state::AppState;

pub(crate) enum Loaded {
    Ready(Target),
    /// Nothing can be sent for this account: `reason` says why, for the person.
    Unavailable(&'static str),
    /// The post is gone (deleted meanwhile): there is nothing to publish or to report.
    PostGone,
}

/// What each job's account receives, read for all of them at once: a handful of statements
/// for a whole pass rather than several per job.
pub(crate) async fn load_many(state: &AppState, jobs: &[&Job]) -> Result<Vec<Loaded>, AppError> {
    let pool = state.db.pool();
    let posts_wanted: Vec<(&WorkspaceId, &PostId)> = jobs
        .iter()
        .filter_map(|job| Some((&job.workspace_id, job.post_id.as_ref()?)))
        .collect();
    let accounts_wanted: Vec<(&WorkspaceId, &AccountId)> = jobs
        .iter()
        .map(|job| (&job.workspace_id, &job.account_id))
        .collect();
    let post_ids: Vec<PostId> = posts_wanted.iter().map(|(_, id)| (*id).clone()).collect();
    let posts = db_posts::find_many(pool, &posts_wanted).await?;
    let accounts = accounts::find_with_tokens(pool, &accounts_wanted).await?;
    let targets = db_posts::targets_of(pool, &post_ids).await?;
    let media = MediaOfPosts::load(state, jobs, &post_ids).await?;
    let mut loaded = Vec::with_capacity(jobs.len());
    for job in jobs {
        let post = job
            .post_id
            .as_ref()
            .and_then(|post_id| posts.iter().find(|post| &post.id == post_id));
        let account = accounts
            .iter()
            .find(|found| found.account.id == job.account_id);
        let target = job.post_id.as_ref().and_then(|post_id| {
            targets
                .iter()
                .find(|target| &target.post_id == post_id && target.account_id == job.account_id)
        });
        loaded.push(ready(state, job, post, account, target, &media));
    }
    Ok(loaded)
}

/// What one job's account receives, from what [`load_many`] read.
fn ready(
    state: &AppState,
    job: &Job,
    post: Option<&Post>,
    account: Option<&AccountWithToken>,
    stored: Option<&PostTarget>,
    media: &MediaOfPosts,
) -> Loaded {
    let Some(post) = post else {
        return Loaded::PostGone;
    };
    let Some(AccountWithToken {
        account,
        access_token,
    }) = account
    else {
        return Loaded::Unavailable("account_unavailable");
    };
    if account.status == AccountStatus::NeedsReconnect {
        return Loaded::Unavailable("reconnect");
    }
    let network = account.profile.network;
    // Without a token Herald can read, only connecting the account again helps.
    let Some(token) = access_token
        .as_ref()
        .and_then(|sealed| check::open_token(state, &job.account_id, sealed).ok())
    else {
        tracing::error!(account = %job.account_id, "the account's access token is missing or cannot be opened");
        return Loaded::Unavailable("reconnect");
    };
    let Some(stored) = stored else {
        return Loaded::PostGone;
    };
    let format = stored.format;
    // Saving and publishing refuse such a post; one kept from before a rule existed is not
    // sent half-right.
    if state.providers.of(network).offers(format).is_none() {
        return Loaded::Unavailable("media_refused");
    }
    let draft_target = DraftTarget {
        account_id: job.account_id.clone(),
        network,
        variant: stored.variant.clone(),
        format,
    };
    let caption = PostDraft {
        text: post.text.clone(),
        hashtags: post.hashtags.clone(),
        call_to_action: post.call_to_action.clone(),
        targets: Vec::new(),
        media: Vec::new(),
    }
    .caption_for(&draft_target);
    let Some(media) = media.for_target(state, &post.id, network, format) else {
        return Loaded::Unavailable("media_missing");
    };
    Loaded::Ready(Target {
        network,
        connection: account.profile.connection,
        remote_account: account.profile.remote_id.clone(),
        page_id: account.profile.page_id.clone(),
        token,
        format,
        caption,
        media,
    })
}

/// The media of the posts of a pass, with their stored files.
struct MediaOfPosts {
    /// `(post, media)`, each post's in order.
    links: Vec<(PostId, MediaId)>,
    items: Vec<MediaItem>,
}

impl MediaOfPosts {
    async fn load(
        state: &AppState,
        jobs: &[&Job],
        post_ids: &[PostId],
    ) -> Result<MediaOfPosts, AppError> {
        let pool = state.db.pool();
        let links = db_posts::media_of(pool, post_ids).await?;
        let mut items = Vec::new();
        let mut workspaces: Vec<&WorkspaceId> = jobs.iter().map(|job| &job.workspace_id).collect();
        workspaces.sort();
        workspaces.dedup();
        for workspace_id in workspaces {
            // A post's media are its own workspace's: another's of the same id is not read.
            let ids: Vec<MediaId> = links
                .iter()
                .filter(|(post_id, _)| {
                    jobs.iter().any(|job| {
                        &job.workspace_id == workspace_id && job.post_id.as_ref() == Some(post_id)
                    })
                })
                .map(|(_, media_id)| media_id.clone())
                .collect();
            if ids.is_empty() {
                continue;
            }
            let rows = db_media::find_many(pool, workspace_id, &ids).await?;
            items.extend(library::items_of(state, rows).await?);
        }
        Ok(MediaOfPosts { links, items })
    }

    /// The post's media in order, at the addresses a `format` post on `network` is sent;
    /// None when one is gone.
    fn for_target(
        &self,
        state: &AppState,
        post_id: &PostId,
        network: Network,
        format: PostFormat,
    ) -> Option<Vec<TargetMedia>> {
        let mut media = Vec::new();
        for (_, id) in self.links.iter().filter(|(of, _)| of == post_id) {
            let item = self.items.iter().find(|item| &item.id == id)?;
            let url = state
                .settings
                .public_url
                .join(item.url_for(network, format))
                .ok()?;
            media.push(TargetMedia {
                kind: match item.facts {
                    MediaFacts::Image { .. } => MediaKind::Image,
                    MediaFacts::Video { .. } => MediaKind::Video,
                },
                url: url.to_string(),
                alt_text: item.alt_text.clone(),
            });
        }
        Some(media)
    }
}
