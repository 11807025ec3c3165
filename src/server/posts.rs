//! Posts on the server: saving a draft (checked against each account's network with the same
//! rules the composer runs), opening one, listing them.

use std::collections::{HashMap, HashSet};

use crate::domain::accounts::{Account, AccountStatus, Network};
use crate::domain::library::MediaItem;
use crate::domain::post::{DraftMedia, DraftTarget, PostDraft, TEXT_MAX_BYTES};
use crate::domain::post_record::{
    DraftInput, POSTS_PAGE_SIZE, PostSummary, PostTarget, PostView, PostsPage,
};
use crate::domain::post_rules::{Rule, check};
use crate::domain::post_state::PostStatus;
use crate::domain::{AccountId, MediaId, PostId, WorkspaceId};
use crate::error::{AppError, Problem};
use crate::server::auth::SignedIn;
use crate::server::db::posts::{self as db_posts, PostWords};
use crate::server::db::{self, accounts, attempts, media as db_media, new_id};
use crate::server::media::library;
use crate::server::state::AppState;

/// Saves the composer's draft: a new post, or new words over a draft at the revision the
/// composer started from. Refused, with nothing stored, when it breaks a network's limit.
pub async fn save_draft(
    state: &AppState,
    session: &SignedIn,
    input: DraftInput,
) -> Result<PostView, AppError> {
    let workspace_id = &session.workspace_id;
    let draft = draft_of(state, workspace_id, &input).await?;
    if draft.is_empty() {
        return Err(AppError::invalid("text", Problem::PostEmpty));
    }
    refuse_broken_rules(&draft, Rule::stops_saving)?;
    let words = PostWords {
        text: &draft.text,
        hashtags: &draft.hashtags,
        call_to_action: &draft.call_to_action,
    };
    let media: Vec<MediaId> = draft.media.iter().map(|media| media.id.clone()).collect();
    let now = db::millis(state.clock.now());
    let mut tx = state.db.begin_write().await?;
    let id = match &input.id {
        None => {
            let id: PostId = new_id();
            db_posts::insert_draft(&mut tx, &id, workspace_id, &session.user_id, &words, now)
                .await?;
            id
        }
        Some(id) => {
            crate::server::ai::open_proposal::ensure_none_open(&mut tx, id).await?;
            let revision = input.revision.unwrap_or_default();
            if !db_posts::update_draft(&mut tx, id, workspace_id, revision, &words, now).await? {
                drop(tx);
                return Err(why_not_saved(state, workspace_id, id).await?);
            }
            id.clone()
        }
    };
    db_posts::replace_parts(&mut tx, &id, &draft.targets, &media).await?;
    tx.commit().await?;
    find(state, workspace_id, &id).await
}

/// Refuses `draft` with the first of its networks' rules it breaks among those that `stop`.
pub(crate) fn refuse_broken_rules(
    draft: &PostDraft,
    stop: impl Fn(&Rule) -> bool,
) -> Result<(), AppError> {
    match check(draft).into_iter().find(|finding| stop(&finding.rule)) {
        Some(finding) => Err(AppError::invalid(
            "text",
            Problem::PostBreaksRule {
                network: finding.network,
                rule: finding.rule,
            },
        )),
        None => Ok(()),
    }
}

/// Why a draft at a given revision could not be updated.
async fn why_not_saved(
    state: &AppState,
    workspace_id: &WorkspaceId,
    id: &PostId,
) -> Result<AppError, AppError> {
    Ok(
        match db_posts::find(state.db.pool(), workspace_id, id).await? {
            None => AppError::invalid("post", Problem::PostNotFound),
            Some(post) if post.status != PostStatus::Draft => {
                AppError::Conflict(Problem::PostNotDraft)
            }
            Some(_) => AppError::Conflict(Problem::PostChangedElsewhere),
        },
    )
}

/// The input as a draft the rules can check: every account and medium must be the
/// workspace's own, and the texts within what Herald stores.
pub(crate) async fn draft_of(
    state: &AppState,
    workspace_id: &WorkspaceId,
    input: &DraftInput,
) -> Result<PostDraft, AppError> {
    let too_long = |field: &str, text: &str| {
        (text.len() > TEXT_MAX_BYTES).then(|| {
            AppError::invalid(
                field,
                Problem::PostTooLong {
                    max_kb: TEXT_MAX_BYTES / 1024,
                },
            )
        })
    };
    for (field, text) in [
        ("text", input.text.as_str()),
        ("hashtags", input.hashtags.as_str()),
        ("call_to_action", input.call_to_action.as_str()),
    ] {
        if let Some(error) = too_long(field, text) {
            return Err(error);
        }
    }
    let accounts = accounts::list(state.db.pool(), workspace_id).await?;
    let accounts: HashMap<&AccountId, &Account> = accounts
        .iter()
        .map(|account| (&account.id, account))
        .collect();
    let mut targets = Vec::new();
    let mut seen_accounts = HashSet::new();
    for target in &input.targets {
        if !seen_accounts.insert(&target.account_id) {
            continue;
        }
        let account = accounts
            .get(&target.account_id)
            .filter(|account| account.status != AccountStatus::Disconnected);
        let Some(network) = account.map(|account| account.profile.network) else {
            return Err(AppError::invalid(
                "accounts",
                Problem::PostAccountUnavailable,
            ));
        };
        let variant = target
            .variant
            .as_deref()
            .map(str::trim)
            .filter(|v| !v.is_empty());
        if let Some(error) = variant.and_then(|variant| too_long("variant", variant)) {
            return Err(error);
        }
        targets.push(DraftTarget {
            account_id: target.account_id.clone(),
            network,
            variant: variant.map(str::to_owned),
            format: target.format,
        });
    }
    let mut seen_media = HashSet::new();
    let unique_media: Vec<MediaId> = input
        .media
        .iter()
        .filter(|id| seen_media.insert(*id))
        .cloned()
        .collect();
    let rows = db_media::find_many(state.db.pool(), workspace_id, &unique_media).await?;
    let items = library::items_of(state, rows).await?;
    let items: HashMap<&MediaId, &MediaItem> = items.iter().map(|item| (&item.id, item)).collect();
    let mut media = Vec::new();
    for id in &unique_media {
        let item = items
            .get(id)
            .ok_or(AppError::invalid("media", Problem::MediaNotFound))?;
        media.push(DraftMedia {
            id: item.id.clone(),
            facts: item.facts,
            focus: item.focus,
        });
    }
    Ok(PostDraft {
        text: input.text.trim_end().to_owned(),
        hashtags: input.hashtags.trim().to_owned(),
        call_to_action: input.call_to_action.trim().to_owned(),
        targets,
        media,
    })
}

pub async fn find(
    state: &AppState,
    workspace_id: &WorkspaceId,
    id: &PostId,
) -> Result<PostView, AppError> {
    let row = db_posts::find(state.db.pool(), workspace_id, id)
        .await?
        .ok_or(AppError::invalid("post", Problem::PostNotFound))?;
    let ids = [row.id.clone()];
    let targets = db_posts::targets_of(state.db.pool(), &ids).await?;
    let media_ids: Vec<MediaId> = db_posts::media_of(state.db.pool(), &ids)
        .await?
        .into_iter()
        .map(|(_, media_id)| media_id)
        .collect();
    let rows = db_media::find_many(state.db.pool(), workspace_id, &media_ids).await?;
    let items = library::items_of(state, rows).await?;
    let media: Vec<MediaItem> = media_ids
        .iter()
        .filter_map(|id| items.iter().find(|item| &item.id == id).cloned())
        .collect();
    Ok(PostView {
        status: row.status,
        targets,
        ledger: attempts::of_post(state.db.pool(), workspace_id, &row.id).await?,
        media,
        id: row.id,
        revision: row.revision,
        text: row.text,
        hashtags: row.hashtags,
        call_to_action: row.call_to_action,
        scheduled_at: row.scheduled_at,
        updated_at: row.updated_at,
    })
}

/// The networks a post goes to, each once, in its accounts' order.
pub(crate) fn networks_of(targets: &[PostTarget], post_id: &PostId) -> Vec<Network> {
    let mut networks: Vec<Network> = Vec::new();
    for target in targets.iter().filter(|target| &target.post_id == post_id) {
        if !networks.contains(&target.network) {
            networks.push(target.network);
        }
    }
    networks
}

pub async fn list(
    state: &AppState,
    workspace_id: &WorkspaceId,
    status: Option<PostStatus>,
    account: Option<&AccountId>,
    page: u32,
) -> Result<PostsPage, AppError> {
    let mut rows = db_posts::list(
        state.db.pool(),
        workspace_id,
        status,
        account,
        POSTS_PAGE_SIZE + 1,
        i64::from(page) * POSTS_PAGE_SIZE,
    )
    .await?;
    let has_more = rows.len() as i64 > POSTS_PAGE_SIZE;
    rows.truncate(POSTS_PAGE_SIZE as usize);
    let ids: Vec<PostId> = rows.iter().map(|row| row.id.clone()).collect();
    let targets = db_posts::targets_of(state.db.pool(), &ids).await?;
    let post_media = db_posts::media_of(state.db.pool(), &ids).await?;
    let first_media: Vec<MediaId> = ids
        .iter()
        .filter_map(|id| {
            post_media
                .iter()
                .find(|(post, _)| post == id)
                .map(|(_, media)| media.clone())
        })
        .collect();
    let media_rows = db_media::find_many(state.db.pool(), workspace_id, &first_media).await?;
    let thumbnails = library::items_of(state, media_rows).await?;
    let posts = rows
        .into_iter()
        .map(|row| {
            let networks = networks_of(&targets, &row.id);
            let thumbnail_url = post_media
                .iter()
                .find(|(post, _)| *post == row.id)
                .and_then(|(_, media)| thumbnails.iter().find(|item| &item.id == media))
                .and_then(|item| item.thumbnail_url.clone());
            PostSummary {
                status: row.status,
                text: row.text.chars().take(140).collect(),
                networks,
                thumbnail_url,
                scheduled_at: row.scheduled_at,
                id: row.id,
                updated_at: row.updated_at,
            }
        })
        .collect();
    Ok(PostsPage { posts, has_more })
}
