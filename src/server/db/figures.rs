//! Queries on figures: snapshots written (never overwritten) with the newest value of each
//! post metric kept beside them (one row per target), the jobs that take them, and the reads
//! the post's page, the dashboard and the CSV exports make.

use std::collections::HashMap;

use sqlx::{AnyConnection, AnyPool};

use super::Engine;
use crate::domain::figures::{Figure, Figures, Metric};
use crate::domain::{AccountId, JobId, PostId, WorkspaceId};

/// What one snapshot is of: a post target (with when it was published) or an account.
pub struct SnapshotOf<'a> {
    pub workspace_id: &'a WorkspaceId,
    pub account_id: &'a AccountId,
    /// None: the account's own figures.
    pub post: Option<(&'a PostId, i64)>,
}

/// Writes a snapshot: a row per metric the network gave (none for those it did not), and for a
/// post the newest value of each.
pub async fn add_snapshot(
    connection: &mut AnyConnection,
    of: &SnapshotOf<'_>,
    figures: &Figures,
    taken_at: i64,
) -> Result<(), sqlx::Error> {
    if figures.is_empty() {
        return Ok(());
    }
    let Some((post_id, published_at)) = of.post else {
        for figure in &figures.0 {
            add_account_figure(connection, of, *figure, taken_at).await?;
        }
        return Ok(());
    };
    let sql = format!(
        "INSERT INTO figure_snapshots (workspace_id, account_id, post_id, metric, value, \
             taken_at) VALUES {}",
        super::value_rows(Engine::of_connection(connection), figures.0.len(), 6)
    );
    let mut query = sqlx::query(&sql);
    for figure in &figures.0 {
        query = query
            .bind(of.workspace_id)
            .bind(of.account_id)
            .bind(post_id)
            .bind(figure.metric.as_str())
            .bind(figure.value)
            .bind(taken_at);
    }
    query.execute(&mut *connection).await?;
    // The newest known value of each metric: a snapshot that lacks one keeps the earlier
    // value, and an older snapshot (written late) never covers a newer one. A target's job
    // takes its snapshots one after another, so the row's time stands for each metric's; the
    // WHERE below keeps a write that raced a newer one from undoing it.
    let kept: Option<TargetFiguresRow> = sqlx::query_as(&format!(
        "SELECT {TARGET_FIGURES_COLUMNS} FROM target_figures WHERE post_id = $1 AND account_id = $2"
    ))
    .bind(post_id)
    .bind(of.account_id)
    .fetch_optional(&mut *connection)
    .await?;
    let (newest, taken_at) = match kept {
        Some(kept) if kept.taken_at > taken_at => (merged(figures, &kept.figures()), kept.taken_at),
        Some(kept) => (merged(&kept.figures(), figures), taken_at),
        None => (figures.clone(), taken_at),
    };
    let [
        views,
        reach,
        likes,
        comments,
        shares,
        saves,
        clicks,
        interactions,
    ] = Metric::OF_POSTS.map(|metric| newest.get(metric));
    sqlx::query(
        "INSERT INTO target_figures (workspace_id, post_id, account_id, published_at, taken_at, \
             views, reach, likes, comments, shares, saves, clicks, interactions, engagement, \
             engagement_rate) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15) \
         ON CONFLICT (post_id, account_id) DO UPDATE SET taken_at = excluded.taken_at, \
             views = excluded.views, reach = excluded.reach, likes = excluded.likes, \
             comments = excluded.comments, shares = excluded.shares, saves = excluded.saves, \
             clicks = excluded.clicks, interactions = excluded.interactions, \
             engagement = excluded.engagement, engagement_rate = excluded.engagement_rate \
         WHERE target_figures.taken_at <= excluded.taken_at",
    )
    .bind(of.workspace_id)
    .bind(post_id)
    .bind(of.account_id)
    .bind(published_at)
    .bind(taken_at)
    .bind(views)
    .bind(reach)
    .bind(likes)
    .bind(comments)
    .bind(shares)
    .bind(saves)
    .bind(clicks)
    .bind(interactions)
    .bind(newest.engagement())
    .bind(newest.engagement_rate())
    .execute(connection)
    .await?;
    Ok(())
}

/// One of an account's own figures, with how far it moved since the account's snapshot of it
/// before (in time): summed day by day these changes give the followers of many accounts over
/// a range without sorting every snapshot by account. A snapshot written after a later one (a
/// clock set back) also corrects the later one's change, so the changes always add up.
async fn add_account_figure(
    connection: &mut AnyConnection,
    of: &SnapshotOf<'_>,
    figure: Figure,
    taken_at: i64,
) -> Result<(), sqlx::Error> {
    let metric = figure.metric.as_str();
    // Written first: on SQLite a transaction that reads before it writes cannot take the
    // write lock once another connection has written meanwhile, and would fail at once.
    sqlx::query(
        "INSERT INTO figure_snapshots (workspace_id, account_id, post_id, metric, value, \
             since_previous, taken_at) \
         SELECT $1, $2, NULL, $3, CAST($4 AS BIGINT), CAST($4 AS BIGINT) - COALESCE(( \
             SELECT value FROM figure_snapshots \
             WHERE account_id = $2 AND metric = $3 AND post_id IS NULL \
               AND taken_at <= CAST($5 AS BIGINT) \
             ORDER BY taken_at DESC, id DESC LIMIT 1), 0), CAST($5 AS BIGINT)",
    )
    .bind(of.workspace_id)
    .bind(of.account_id)
    .bind(metric)
    .bind(figure.value)
    .bind(taken_at)
    .execute(&mut *connection)
    .await?;
    sqlx::query(
        "UPDATE figure_snapshots SET since_previous = value - $3 WHERE id = ( \
             SELECT id FROM figure_snapshots \
             WHERE account_id = $1 AND metric = $2 AND post_id IS NULL AND taken_at > $4 \
             ORDER BY taken_at, id LIMIT 1)",
    )
    .bind(of.account_id)
    .bind(metric)
    .bind(figure.value)
    .bind(taken_at)
    .execute(connection)
    .await?;
    Ok(())
}

/// `older` with every metric `newer` has set to its value.
fn merged(older: &Figures, newer: &Figures) -> Figures {
    let mut merged = older.clone();
    for figure in &newer.0 {
        merged.set(figure.metric, figure.value);
    }
    merged
}

/// The columns of `target_figures` a `TargetFiguresRow` reads.
const TARGET_FIGURES_COLUMNS: &str = "post_id, account_id, taken_at, views, reach, likes, \
     comments, shares, saves, clicks, interactions";

/// A post target's newest figures, one column per metric.
#[derive(Debug, Clone, sqlx::FromRow)]
struct TargetFiguresRow {
    post_id: PostId,
    account_id: AccountId,
    taken_at: i64,
    views: Option<i64>,
    reach: Option<i64>,
    likes: Option<i64>,
    comments: Option<i64>,
    shares: Option<i64>,
    saves: Option<i64>,
    clicks: Option<i64>,
    interactions: Option<i64>,
}

impl TargetFiguresRow {
    fn figures(&self) -> Figures {
        let values = [
            self.views,
            self.reach,
            self.likes,
            self.comments,
            self.shares,
            self.saves,
            self.clicks,
            self.interactions,
        ];
        Figures(
            Metric::OF_POSTS
                .iter()
                .zip(values)
                .filter_map(|(metric, value)| {
                    value.map(|value| Figure {
                        metric: *metric,
                        value,
                    })
                })
                .collect(),
        )
    }
}

/// One post target that has just been published, for its figure-collecting job.
pub struct PublishedTarget<'a> {
    pub workspace_id: &'a WorkspaceId,
    pub post_id: &'a PostId,
    pub account_id: &'a AccountId,
    /// Its first snapshot's time.
    pub due_at: i64,
}

/// Queues the figure-collecting job of each target (one per target: a target published again
/// after a retry keeps its job).
pub async fn plan_post_figures(
    connection: &mut AnyConnection,
    targets: &[PublishedTarget<'_>],
    now: i64,
) -> Result<(), sqlx::Error> {
    if targets.is_empty() {
        return Ok(());
    }
    let sql = format!(
        "WITH planned (id, workspace_id, post_id, account_id, due_at, now) AS (VALUES {}) \
         INSERT INTO jobs (id, workspace_id, kind, post_id, account_id, status, due_at, \
             progress, created_at, updated_at) \
         SELECT planned.id, planned.workspace_id, 'collect_post_figures', planned.post_id, \
             planned.account_id, 'queued', CAST(planned.due_at AS BIGINT), '{{}}', \
             CAST(planned.now AS BIGINT), CAST(planned.now AS BIGINT) \
         FROM planned WHERE true \
         ON CONFLICT (post_id, account_id) WHERE kind = 'collect_post_figures' DO NOTHING",
        super::value_rows(Engine::of_connection(connection), targets.len(), 6)
    );
    let mut query = sqlx::query(&sql);
    for target in targets {
        let id: JobId = super::new_id();
        query = query
            .bind(id)
            .bind(target.workspace_id)
            .bind(target.post_id)
            .bind(target.account_id)
            .bind(target.due_at)
            .bind(now);
    }
    query.execute(connection).await?;
    Ok(())
}

/// Queues the account's daily figure job at `due_at`, or brings back one that ended (the
/// account was disconnected, then connected again).
pub async fn plan_account_figures(
    connection: &mut AnyConnection,
    workspace_id: &WorkspaceId,
    account_id: &AccountId,
    due_at: i64,
    now: i64,
) -> Result<(), sqlx::Error> {
    let id: JobId = super::new_id();
    sqlx::query(
        "INSERT INTO jobs (id, workspace_id, kind, post_id, account_id, status, due_at, progress, \
             created_at, updated_at) \
         VALUES ($1, $2, 'collect_account_figures', NULL, $3, 'queued', $4, '{}', $5, $5) \
         ON CONFLICT (account_id) WHERE kind = 'collect_account_figures' DO UPDATE \
             SET status = 'queued', due_at = excluded.due_at, updated_at = excluded.updated_at \
             WHERE jobs.status IN ('done', 'failed')",
    )
    .bind(&id)
    .bind(workspace_id)
    .bind(account_id)
    .bind(due_at)
    .bind(now)
    .execute(connection)
    .await?;
    Ok(())
}

/// Says why the account's figures cannot be read (`permission_missing`), or that they can.
pub async fn set_problem(
    connection: &mut AnyConnection,
    account_id: &AccountId,
    problem: Option<&str>,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE social_accounts SET figures_problem = $2 \
         WHERE id = $1 AND figures_problem IS DISTINCT FROM $2",
    )
    .bind(account_id)
    .bind(problem)
    .execute(connection)
    .await?;
    Ok(())
}

/// Every account of the workspace as analytics names it, those since disconnected included:
/// their history is still the workspace's.
pub async fn account_names(
    pool: &AnyPool,
    workspace_id: &WorkspaceId,
) -> Result<Vec<(AccountId, String, String)>, sqlx::Error> {
    sqlx::query_as(
        "SELECT id, name, network FROM social_accounts WHERE workspace_id = $1 \
         ORDER BY created_at, id",
    )
    .bind(workspace_id)
    .fetch_all(pool)
    .await
}

/// The workspace's accounts whose figures cannot be read, with why.
pub async fn problems(
    pool: &AnyPool,
    workspace_id: &WorkspaceId,
) -> Result<Vec<(AccountId, String)>, sqlx::Error> {
    sqlx::query_as(
        "SELECT id, figures_problem FROM social_accounts \
         WHERE workspace_id = $1 AND figures_problem IS NOT NULL AND status <> 'disconnected'",
    )
    .bind(workspace_id)
    .fetch_all(pool)
    .await
}

/// One stored value.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct SnapshotRow {
    pub account_id: AccountId,
    pub post_id: Option<PostId>,
    pub metric: String,
    pub value: i64,
    pub taken_at: i64,
}

impl SnapshotRow {
    /// The metric, when this Herald knows it (a newer version may have written others).
    pub fn metric(&self) -> Option<Metric> {
        Metric::parse(&self.metric)
    }
}

/// Every snapshot of a post, oldest first.
pub async fn of_post(
    pool: &AnyPool,
    workspace_id: &WorkspaceId,
    post_id: &PostId,
) -> Result<Vec<SnapshotRow>, sqlx::Error> {
    sqlx::query_as(
        "SELECT account_id, post_id, metric, value, taken_at FROM figure_snapshots \
         WHERE post_id = $1 AND workspace_id = $2 ORDER BY taken_at, id",
    )
    .bind(post_id)
    .bind(workspace_id)
    .fetch_all(pool)
    .await
}

/// Every snapshot the workspace took in `[from, to)`, posts' and accounts', oldest first.
pub async fn taken_between(
    pool: &AnyPool,
    workspace_id: &WorkspaceId,
    (from, to): (i64, i64),
) -> Result<Vec<SnapshotRow>, sqlx::Error> {
    sqlx::query_as(
        "SELECT account_id, post_id, metric, value, taken_at FROM figure_snapshots \
         WHERE workspace_id = $1 AND taken_at >= $2 AND taken_at < $3 ORDER BY taken_at, id",
    )
    .bind(workspace_id)
    .bind(from)
    .bind(to)
    .fetch_all(pool)
    .await
}

/// A post target published in a range, with what the dashboard and the CSV name it by.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct PublishedRow {
    pub post_id: PostId,
    pub account_id: AccountId,
    pub published_at: i64,
    pub remote_url: Option<String>,
    pub body: String,
}

/// The workspace's post targets published in `[from, to)`, oldest first.
pub async fn published_between(
    pool: &AnyPool,
    workspace_id: &WorkspaceId,
    (from, to): (i64, i64),
) -> Result<Vec<PublishedRow>, sqlx::Error> {
    sqlx::query_as(
        "SELECT post_targets.post_id, post_targets.account_id, \
             post_targets.finished_at AS published_at, post_targets.remote_url, \
             COALESCE(post_targets.variant, posts.text) AS body \
         FROM post_targets JOIN posts ON posts.id = post_targets.post_id \
         WHERE post_targets.status = 'published' AND post_targets.finished_at >= $2 \
           AND post_targets.finished_at < $3 AND posts.workspace_id = $1 \
         ORDER BY post_targets.finished_at, post_targets.post_id",
    )
    .bind(workspace_id)
    .bind(from)
    .bind(to)
    .fetch_all(pool)
    .await
}

/// The newest figures of each post target published in `[from, to)`.
pub async fn latest_between(
    pool: &AnyPool,
    workspace_id: &WorkspaceId,
    (from, to): (i64, i64),
) -> Result<HashMap<(PostId, AccountId), Figures>, sqlx::Error> {
    let rows: Vec<TargetFiguresRow> = sqlx::query_as(&format!(
        "SELECT {TARGET_FIGURES_COLUMNS} FROM target_figures \
         WHERE workspace_id = $1 AND published_at >= $2 AND published_at < $3"
    ))
    .bind(workspace_id)
    .bind(from)
    .bind(to)
    .fetch_all(pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|row| {
            let figures = row.figures();
            ((row.post_id, row.account_id), figures)
        })
        .collect())
}

/// When a post target was published and what the network calls it, for its figures job.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct TargetForFigures {
    pub remote_id: Option<String>,
    pub finished_at: Option<i64>,
    pub format: String,
    pub status: String,
}

pub async fn target_for_figures(
    pool: &AnyPool,
    post_id: &PostId,
    account_id: &AccountId,
) -> Result<Option<TargetForFigures>, sqlx::Error> {
    sqlx::query_as(
        "SELECT remote_id, finished_at, format, status FROM post_targets \
         WHERE post_id = $1 AND account_id = $2",
    )
    .bind(post_id)
    .bind(account_id)
    .fetch_optional(pool)
    .await
}

/// What the networks call the post's published targets (for the sandbox's ageing).
pub async fn published_remote_ids(
    pool: &AnyPool,
    workspace_id: &WorkspaceId,
    post_id: &PostId,
) -> Result<Vec<String>, sqlx::Error> {
    let rows: Vec<(String,)> = sqlx::query_as(
        "SELECT post_targets.remote_id FROM post_targets \
         JOIN posts ON posts.id = post_targets.post_id \
         WHERE post_targets.post_id = $1 AND posts.workspace_id = $2 \
           AND post_targets.status = 'published' AND post_targets.remote_id IS NOT NULL",
    )
    .bind(post_id)
    .bind(workspace_id)
    .fetch_all(pool)
    .await?;
    Ok(rows.into_iter().map(|(id,)| id).collect())
}

/// The sandbox's "age this post": the post's targets count as published `by` milliseconds
/// earlier, and their figure jobs take a snapshot now (then go on from the new age). Only the
/// sandbox offers it: with real networks, history is never rewritten.
pub async fn age_post(
    connection: &mut AnyConnection,
    workspace_id: &WorkspaceId,
    post_id: &PostId,
    by: i64,
    now: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE post_targets SET finished_at = finished_at - $3 \
         WHERE post_id = $1 AND status = 'published' AND finished_at IS NOT NULL \
           AND EXISTS (SELECT 1 FROM posts WHERE posts.id = $1 AND posts.workspace_id = $2)",
    )
    .bind(post_id)
    .bind(workspace_id)
    .bind(by)
    .execute(&mut *connection)
    .await?;
    sqlx::query(
        "UPDATE target_figures SET published_at = published_at - $3 \
         WHERE post_id = $1 AND workspace_id = $2",
    )
    .bind(post_id)
    .bind(workspace_id)
    .bind(by)
    .execute(&mut *connection)
    .await?;
    sqlx::query(
        "UPDATE jobs SET due_at = $3, updated_at = $3, status = 'queued' \
         WHERE workspace_id = $1 AND post_id = $2 AND kind = 'collect_post_figures' \
           AND status IN ('queued', 'done')",
    )
    .bind(workspace_id)
    .bind(post_id)
    .bind(now)
    .execute(connection)
    .await?;
    Ok(())
}
