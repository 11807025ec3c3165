//! Queries on posts, their target accounts and their media.

use sqlx::{AnyConnection, AnyPool};

use super::{TwoIds, UnknownValue, known, records};
use crate::domain::accounts::{AccountStatus, Network};
use crate::domain::post::{DraftTarget, PostFormat};
use crate::domain::post_record::{Post, PostTarget};
use crate::domain::post_state::{PostStatus, TargetStatus};
use crate::domain::{AccountId, MediaId, PostId, UserId, WorkspaceId};

#[derive(Debug, Clone, sqlx::FromRow)]
struct PostRow {
    pub id: PostId,
    pub status: String,
    pub text: String,
    pub hashtags: String,
    pub call_to_action: String,
    pub revision: i64,
    pub scheduled_at: Option<i64>,
    pub updated_at: i64,
}

const POST_COLUMNS: &str =
    "id, status, text, hashtags, call_to_action, revision, scheduled_at, updated_at";

impl TryFrom<PostRow> for Post {
    type Error = UnknownValue;

    fn try_from(row: PostRow) -> Result<Post, UnknownValue> {
        Ok(Post {
            status: known(PostStatus::parse, ("posts", &row.id), "status", &row.status)?,
            id: row.id,
            text: row.text,
            hashtags: row.hashtags,
            call_to_action: row.call_to_action,
            revision: row.revision,
            scheduled_at: row.scheduled_at,
            updated_at: row.updated_at,
        })
    }
}

#[derive(Debug, Clone, sqlx::FromRow)]
struct TargetRow {
    pub post_id: PostId,
    pub account_id: AccountId,
    pub network: String,
    pub account_name: String,
    pub variant: Option<String>,
    /// `feed` or `story` (`domain::post::PostFormat`).
    pub format: String,
    pub status: String,
    pub remote_url: Option<String>,
    pub reason: Option<String>,
    pub detail: Option<String>,
    /// The account's own status (`active`, `needs_reconnect`…).
    pub account_status: String,
}

impl TryFrom<TargetRow> for PostTarget {
    type Error = UnknownValue;

    fn try_from(row: TargetRow) -> Result<PostTarget, UnknownValue> {
        let id = TwoIds(&row.post_id, &row.account_id);
        let of = ("post_targets", &id as &dyn std::fmt::Display);
        Ok(PostTarget {
            network: known(Network::parse, of, "network", &row.network)?,
            format: known(PostFormat::parse, of, "format", &row.format)?,
            status: known(TargetStatus::parse, of, "status", &row.status)?,
            account_needs_reconnect: known(
                AccountStatus::parse,
                of,
                "account status",
                &row.account_status,
            )? == AccountStatus::NeedsReconnect,
            post_id: row.post_id,
            account_id: row.account_id,
            account_name: row.account_name,
            variant: row.variant,
            remote_url: row.remote_url,
            reason: row.reason,
            detail: row.detail,
        })
    }
}

pub struct PostWords<'a> {
    pub text: &'a str,
    pub hashtags: &'a str,
    pub call_to_action: &'a str,
}

pub async fn insert_draft(
    connection: &mut AnyConnection,
    id: &PostId,
    workspace_id: &WorkspaceId,
    created_by: &UserId,
    words: &PostWords<'_>,
    now: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO posts (id, workspace_id, created_by, text, hashtags, call_to_action, status, \
             revision, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, 'draft', 1, $7, $7)",
    )
    .bind(id)
    .bind(workspace_id)
    .bind(created_by)
    .bind(words.text)
    .bind(words.hashtags)
    .bind(words.call_to_action)
    .bind(now)
    .execute(connection)
    .await?;
    Ok(())
}

/// Saves new words over a draft, only if it is still a draft at `revision`. False: it is not
/// (someone else saved first, or it was scheduled meanwhile).
pub async fn update_draft(
    connection: &mut AnyConnection,
    id: &PostId,
    workspace_id: &WorkspaceId,
    revision: i64,
    words: &PostWords<'_>,
    now: i64,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "UPDATE posts SET text = $4, hashtags = $5, call_to_action = $6, revision = revision + 1, \
             updated_at = $7 \
         WHERE id = $1 AND workspace_id = $2 AND revision = $3 AND status = 'draft'",
    )
    .bind(id)
    .bind(workspace_id)
    .bind(revision)
    .bind(words.text)
    .bind(words.hashtags)
    .bind(words.call_to_action)
    .bind(now)
    .execute(connection)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Replaces the post's targets and media with the given ones, in order.
pub async fn replace_parts(
    connection: &mut AnyConnection,
    id: &PostId,
    targets: &[DraftTarget],
    media: &[MediaId],
) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM post_targets WHERE post_id = $1")
        .bind(id)
        .execute(&mut *connection)
        .await?;
    sqlx::query("DELETE FROM post_media WHERE post_id = $1")
        .bind(id)
        .execute(&mut *connection)
        .await?;
    for (position, target) in targets.iter().enumerate() {
        sqlx::query(
            "INSERT INTO post_targets (post_id, account_id, position, variant, format, status) \
             VALUES ($1, $2, $3, $4, $5, 'draft')",
        )
        .bind(id)
        .bind(&target.account_id)
        .bind(position as i64)
        .bind(target.variant.as_deref())
        .bind(target.format.as_str())
        .execute(&mut *connection)
        .await?;
    }
    for (position, media_id) in media.iter().enumerate() {
        sqlx::query("INSERT INTO post_media (post_id, media_id, position) VALUES ($1, $2, $3)")
            .bind(id)
            .bind(media_id)
            .bind(position as i64)
            .execute(&mut *connection)
            .await?;
    }
    Ok(())
}

pub async fn find(
    pool: &AnyPool,
    workspace_id: &WorkspaceId,
    id: &PostId,
) -> Result<Option<Post>, sqlx::Error> {
    let row: Option<PostRow> = sqlx::query_as(&format!(
        "SELECT {POST_COLUMNS} FROM posts WHERE workspace_id = $1 AND id = $2"
    ))
    .bind(workspace_id)
    .bind(id)
    .fetch_optional(pool)
    .await?;
    Ok(row.map(Post::try_from).transpose()?)
}

/// The posts among `(workspace, post)` that exist.
pub async fn find_many(
    pool: &AnyPool,
    wanted: &[(&WorkspaceId, &PostId)],
) -> Result<Vec<Post>, sqlx::Error> {
    if wanted.is_empty() {
        return Ok(Vec::new());
    }
    let sql = format!(
        "WITH wanted (wanted_workspace, wanted_post) AS (VALUES {}) \
         SELECT {POST_COLUMNS} FROM posts \
         JOIN wanted ON posts.workspace_id = wanted.wanted_workspace \
             AND posts.id = wanted.wanted_post",
        super::value_rows(super::Engine::of_pool(pool), wanted.len(), 2)
    );
    let mut query = sqlx::query_as(&sql);
    for (workspace_id, post_id) in wanted {
        query = query.bind(*workspace_id).bind(*post_id);
    }
    let rows: Vec<PostRow> = query.fetch_all(pool).await?;
    records(rows)
}

/// A page of the workspace's posts, most recently changed first, optionally only those with
/// `status` or going to `account`.
pub async fn list(
    pool: &AnyPool,
    workspace_id: &WorkspaceId,
    status: Option<PostStatus>,
    account: Option<&AccountId>,
    limit: i64,
    offset: i64,
) -> Result<Vec<Post>, sqlx::Error> {
    let rows: Vec<PostRow> = sqlx::query_as(&format!(
        "SELECT {POST_COLUMNS} FROM posts WHERE workspace_id = $1 \
             AND ($2 = '' OR status = $2) \
             AND ($3 = '' OR id IN (SELECT post_id FROM post_targets WHERE account_id = $3)) \
         ORDER BY updated_at DESC, id DESC LIMIT $4 OFFSET $5"
    ))
    .bind(workspace_id)
    .bind(status.map_or("", PostStatus::as_str))
    .bind(account.map_or("", |id| id.as_str()))
    .bind(limit)
    .bind(offset)
    .fetch_all(pool)
    .await?;
    records(rows)
}

/// The targets of the given posts, each post's in order, with their account's network and name.
pub async fn targets_of(pool: &AnyPool, ids: &[PostId]) -> Result<Vec<PostTarget>, sqlx::Error> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let sql = format!(
        "SELECT post_targets.post_id, post_targets.account_id, social_accounts.network, \
             social_accounts.name AS account_name, post_targets.variant, post_targets.format, \
             post_targets.status, \
             post_targets.remote_url, post_targets.reason, post_targets.detail, \
             social_accounts.status AS account_status \
         FROM post_targets JOIN social_accounts ON social_accounts.id = post_targets.account_id \
         WHERE post_targets.post_id IN ({}) ORDER BY post_targets.post_id, post_targets.position",
        super::placeholders(1, ids.len())
    );
    let mut query = sqlx::query_as(&sql);
    for id in ids {
        query = query.bind(id);
    }
    let rows: Vec<TargetRow> = query.fetch_all(pool).await?;
    records(rows)
}

/// `(post id, media id)` of the given posts, each post's in order.
pub async fn media_of(
    pool: &AnyPool,
    ids: &[PostId],
) -> Result<Vec<(PostId, MediaId)>, sqlx::Error> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let sql = format!(
        "SELECT post_id, media_id FROM post_media WHERE post_id IN ({}) \
         ORDER BY post_id, position",
        super::placeholders(1, ids.len())
    );
    let mut query = sqlx::query_as(&sql);
    for id in ids {
        query = query.bind(id);
    }
    query.fetch_all(pool).await
}

/// A post target's result, as a job last left it.
pub struct TargetResult<'a> {
    pub status: TargetStatus,
    pub remote_id: Option<&'a str>,
    pub remote_url: Option<&'a str>,
    pub reason: Option<&'a str>,
    pub detail: Option<&'a str>,
    pub finished_at: Option<i64>,
}

/// Writes the results of post targets, each `(post, account, result)`.
pub async fn set_target_results(
    connection: &mut AnyConnection,
    results: &[(&PostId, &AccountId, &TargetResult<'_>)],
) -> Result<(), sqlx::Error> {
    if results.is_empty() {
        return Ok(());
    }
    let sql = format!(
        "WITH reached (target_post, target_account, new_status, new_remote_id, new_remote_url, \
             new_reason, new_detail, new_finished_at) AS (VALUES {}) \
         UPDATE post_targets SET status = reached.new_status, remote_id = reached.new_remote_id, \
             remote_url = reached.new_remote_url, reason = reached.new_reason, \
             detail = reached.new_detail, finished_at = CAST(reached.new_finished_at AS BIGINT) \
         FROM reached \
         WHERE post_targets.post_id = reached.target_post \
           AND post_targets.account_id = reached.target_account",
        super::value_rows(super::Engine::of_connection(connection), results.len(), 8)
    );
    let mut query = sqlx::query(&sql);
    for (post_id, account_id, result) in results {
        query = query
            .bind(*post_id)
            .bind(*account_id)
            .bind(result.status.as_str())
            .bind(result.remote_id)
            .bind(result.remote_url)
            .bind(result.reason)
            .bind(result.detail)
            .bind(result.finished_at);
    }
    query.execute(connection).await?;
    Ok(())
}

/// Every target of the post starts publishing, with no result yet.
pub async fn start_targets(
    connection: &mut AnyConnection,
    post_id: &PostId,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE post_targets SET status = 'publishing', remote_id = NULL, remote_url = NULL, \
             reason = NULL, detail = NULL, finished_at = NULL WHERE post_id = $1",
    )
    .bind(post_id)
    .execute(connection)
    .await?;
    Ok(())
}

/// Turns the draft at `revision` into a post being published. False: it is not a draft at
/// that revision any more.
pub async fn start_publishing(
    connection: &mut AnyConnection,
    id: &PostId,
    workspace_id: &WorkspaceId,
    revision: i64,
    now: i64,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "UPDATE posts SET status = 'publishing', revision = revision + 1, scheduled_at = $4, \
             updated_at = $4 \
         WHERE id = $1 AND workspace_id = $2 AND revision = $3 AND status = 'draft'",
    )
    .bind(id)
    .bind(workspace_id)
    .bind(revision)
    .bind(now)
    .execute(connection)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// `(post, status)` of every target of the given posts.
pub async fn target_statuses(
    connection: &mut AnyConnection,
    ids: &[&PostId],
) -> Result<Vec<(PostId, TargetStatus)>, sqlx::Error> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let sql = format!(
        "SELECT post_id, account_id, status FROM post_targets WHERE post_id IN ({})",
        super::placeholders(1, ids.len())
    );
    let mut query = sqlx::query_as(&sql);
    for id in ids {
        query = query.bind(*id);
    }
    let rows: Vec<(PostId, AccountId, String)> = query.fetch_all(connection).await?;
    let mut statuses = Vec::with_capacity(rows.len());
    for (post_id, account_id, status) in rows {
        let status = known(
            TargetStatus::parse,
            ("post_targets", &TwoIds(&post_id, &account_id)),
            "status",
            &status,
        )?;
        statuses.push((post_id, status));
    }
    Ok(statuses)
}

/// Holds the given posts' rows until the transaction ends, in id order (so two holders never
/// wait for each other): on PostgreSQL, two instances finishing two accounts of one post
/// would otherwise each derive its status without seeing the other's result.
pub async fn lock(
    connection: &mut AnyConnection,
    engine: super::Engine,
    ids: &[&PostId],
) -> Result<(), sqlx::Error> {
    if engine != super::Engine::Postgres || ids.is_empty() {
        // SQLite has one writer at a time already.
        return Ok(());
    }
    let sql = format!(
        "SELECT id FROM posts WHERE id IN ({}) ORDER BY id FOR UPDATE",
        super::placeholders(1, ids.len())
    );
    let mut query = sqlx::query(&sql);
    for id in ids {
        query = query.bind(*id);
    }
    query.execute(connection).await?;
    Ok(())
}

/// Sets the status of the given posts, and their change time where it changes.
pub async fn set_status(
    connection: &mut AnyConnection,
    ids: &[&PostId],
    status: PostStatus,
    now: i64,
) -> Result<(), sqlx::Error> {
    if ids.is_empty() {
        return Ok(());
    }
    let sql = format!(
        "UPDATE posts SET status = $1, updated_at = $2 WHERE status <> $1 AND id IN ({})",
        super::placeholders(3, ids.len())
    );
    let mut query = sqlx::query(&sql).bind(status.as_str()).bind(now);
    for id in ids {
        query = query.bind(*id);
    }
    query.execute(connection).await?;
    Ok(())
}

/// Turns the draft at `revision` into a post scheduled for `at`. False: it is not a draft at
/// that revision any more.
pub async fn schedule(
    connection: &mut AnyConnection,
    id: &PostId,
    workspace_id: &WorkspaceId,
    revision: i64,
    at: i64,
    now: i64,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "UPDATE posts SET status = 'scheduled', scheduled_at = $4, revision = revision + 1, \
             updated_at = $5 \
         WHERE id = $1 AND workspace_id = $2 AND revision = $3 AND status = 'draft'",
    )
    .bind(id)
    .bind(workspace_id)
    .bind(revision)
    .bind(at)
    .bind(now)
    .execute(connection)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Gives a scheduled post a new time. False: it is not scheduled.
pub async fn move_schedule(
    connection: &mut AnyConnection,
    id: &PostId,
    workspace_id: &WorkspaceId,
    at: i64,
    now: i64,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "UPDATE posts SET scheduled_at = $3, revision = revision + 1, updated_at = $4 \
         WHERE id = $1 AND workspace_id = $2 AND status = 'scheduled'",
    )
    .bind(id)
    .bind(workspace_id)
    .bind(at)
    .bind(now)
    .execute(connection)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Ends a post's schedule: back to a draft with no time, or cancelled keeping the time it had.
/// False: it is not scheduled.
pub async fn end_schedule(
    connection: &mut AnyConnection,
    id: &PostId,
    workspace_id: &WorkspaceId,
    to_draft: bool,
    now: i64,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "UPDATE posts SET status = CASE WHEN $3 = 1 THEN 'draft' ELSE 'canceled' END, \
             scheduled_at = CASE WHEN $3 = 1 THEN NULL ELSE scheduled_at END, \
             revision = revision + 1, updated_at = $4 \
         WHERE id = $1 AND workspace_id = $2 AND status = 'scheduled'",
    )
    .bind(id)
    .bind(workspace_id)
    .bind(i64::from(to_draft))
    .bind(now)
    .execute(connection)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Moves every target of the post that is `from` to `to`. How many moved.
pub async fn set_targets_status(
    connection: &mut AnyConnection,
    post_id: &PostId,
    from: TargetStatus,
    to: TargetStatus,
) -> Result<u64, sqlx::Error> {
    let done =
        sqlx::query("UPDATE post_targets SET status = $3 WHERE post_id = $1 AND status = $2")
            .bind(post_id)
            .bind(from.as_str())
            .bind(to.as_str())
            .execute(connection)
            .await?;
    Ok(done.rows_affected())
}

/// One account's target starts publishing, if it was waiting for its time. True: it was.
/// The scheduled targets among `(post, account)` start publishing. Returns the posts of
/// those that did.
pub async fn start_scheduled_targets(
    connection: &mut AnyConnection,
    targets: &[(&PostId, &AccountId)],
) -> Result<Vec<PostId>, sqlx::Error> {
    if targets.is_empty() {
        return Ok(Vec::new());
    }
    let sql = format!(
        "WITH started (target_post, target_account) AS (VALUES {}) \
         UPDATE post_targets SET status = 'publishing' FROM started \
         WHERE post_targets.post_id = started.target_post \
           AND post_targets.account_id = started.target_account \
           AND post_targets.status = 'scheduled' \
         RETURNING post_id",
        super::value_rows(super::Engine::of_connection(connection), targets.len(), 2)
    );
    let mut query = sqlx::query_as(&sql);
    for (post_id, account_id) in targets {
        query = query.bind(*post_id).bind(*account_id);
    }
    let started: Vec<(PostId,)> = query.fetch_all(connection).await?;
    Ok(started.into_iter().map(|(id,)| id).collect())
}

/// The workspace's posts placed in time (scheduled, publishing or done) from `from` until
/// before `until`, earliest first.
pub async fn placed_between(
    pool: &AnyPool,
    workspace_id: &WorkspaceId,
    from: i64,
    until: i64,
) -> Result<Vec<Post>, sqlx::Error> {
    let rows: Vec<PostRow> = sqlx::query_as(&format!(
        "SELECT {POST_COLUMNS} FROM posts \
         WHERE workspace_id = $1 AND scheduled_at >= $2 AND scheduled_at < $3 \
         ORDER BY scheduled_at, id"
    ))
    .bind(workspace_id)
    .bind(from)
    .bind(until)
    .fetch_all(pool)
    .await?;
    records(rows)
}

/// When the workspace's scheduled posts are due, from `from` until before `until`.
pub async fn due_times(
    pool: &AnyPool,
    workspace_id: &WorkspaceId,
    from: i64,
    until: i64,
) -> Result<Vec<i64>, sqlx::Error> {
    let rows: Vec<(i64,)> = sqlx::query_as(
        "SELECT scheduled_at FROM posts WHERE workspace_id = $1 AND status = 'scheduled' \
             AND scheduled_at >= $2 AND scheduled_at < $3",
    )
    .bind(workspace_id)
    .bind(from)
    .bind(until)
    .fetch_all(pool)
    .await?;
    Ok(rows.into_iter().map(|(at,)| at).collect())
}
