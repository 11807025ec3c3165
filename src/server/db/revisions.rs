//! Queries on AI proposals for a post's text (`ai_revisions`).

use sqlx::{AnyConnection, AnyPool};

use super::{UnknownValue, known, records};
use crate::domain::rephrase::{Instruction, RevisionStatus, RevisionView};
use crate::domain::{PostId, RevisionId, UserId, WorkspaceId};

#[derive(Debug, Clone, sqlx::FromRow)]
struct RevisionRow {
    pub id: RevisionId,
    pub post_id: PostId,
    pub parent_id: Option<RevisionId>,
    pub instruction: String,
    pub input: String,
    pub output: String,
    pub model: String,
    pub status: String,
    pub finish_reason: Option<String>,
    pub problem: Option<String>,
    pub created_at: i64,
}

impl TryFrom<RevisionRow> for RevisionView {
    type Error = UnknownValue;

    fn try_from(row: RevisionRow) -> Result<RevisionView, UnknownValue> {
        Ok(RevisionView {
            status: known(
                RevisionStatus::parse,
                ("ai_revisions", &row.id),
                "status",
                &row.status,
            )?,
            id: row.id,
            post_id: row.post_id,
            parent_id: row.parent_id,
            instruction: Instruction::from_text(&row.instruction),
            input: row.input,
            output: row.output,
            model: row.model,
            finish_reason: row.finish_reason,
            problem: row
                .problem
                .and_then(|problem| serde_json::from_str(&problem).ok()),
            created_at: row.created_at,
        })
    }
}

const COLUMNS: &str = "id, post_id, parent_id, instruction, input, output, model, status, \
     finish_reason, problem, created_at";

pub struct NewRevision<'a> {
    pub id: &'a RevisionId,
    pub workspace_id: &'a WorkspaceId,
    pub post_id: &'a PostId,
    pub parent_id: Option<&'a RevisionId>,
    pub created_by: &'a UserId,
    pub instruction: &'a str,
    pub input: &'a str,
    pub model: &'a str,
    pub now: i64,
}

/// Adds a proposal being written. Fails with a unique violation when the post has one open.
pub async fn insert(
    connection: &mut AnyConnection,
    revision: NewRevision<'_>,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO ai_revisions (id, workspace_id, post_id, parent_id, created_by, \
             instruction, input, model, status, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'writing', $9, $9)",
    )
    .bind(revision.id)
    .bind(revision.workspace_id)
    .bind(revision.post_id)
    .bind(revision.parent_id)
    .bind(revision.created_by)
    .bind(revision.instruction)
    .bind(revision.input)
    .bind(revision.model)
    .bind(revision.now)
    .execute(connection)
    .await?;
    Ok(())
}

pub async fn find(
    pool: &AnyPool,
    workspace_id: &WorkspaceId,
    id: &RevisionId,
) -> Result<Option<RevisionView>, sqlx::Error> {
    let row: Option<RevisionRow> = sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM ai_revisions WHERE id = $1 AND workspace_id = $2"
    ))
    .bind(id)
    .bind(workspace_id)
    .fetch_optional(pool)
    .await?;
    Ok(row.map(RevisionView::try_from).transpose()?)
}

/// The post's proposals, newest first.
pub async fn for_post(
    pool: &AnyPool,
    workspace_id: &WorkspaceId,
    post_id: &PostId,
) -> Result<Vec<RevisionView>, sqlx::Error> {
    let rows: Vec<RevisionRow> = sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM ai_revisions WHERE post_id = $1 AND workspace_id = $2 \
         ORDER BY created_at DESC, id DESC"
    ))
    .bind(post_id)
    .bind(workspace_id)
    .fetch_all(pool)
    .await?;
    records(rows)
}

/// The proposal being written or waiting for an answer, if the post has one.
pub async fn open_for_post(
    connection: &mut AnyConnection,
    post_id: &PostId,
) -> Result<Option<RevisionId>, sqlx::Error> {
    let row: Option<(RevisionId,)> = sqlx::query_as(
        "SELECT id FROM ai_revisions WHERE post_id = $1 AND status IN ('writing', 'open')",
    )
    .bind(post_id)
    .fetch_optional(connection)
    .await?;
    Ok(row.map(|(id,)| id))
}

/// Keeps the text written so far. False: the proposal is not being written any more
/// (cancelled, or failed as abandoned), so the rest of the answer is not wanted.
pub async fn set_output(
    pool: &AnyPool,
    id: &RevisionId,
    output: &str,
    now: i64,
) -> Result<bool, sqlx::Error> {
    let changed = sqlx::query(
        "UPDATE ai_revisions SET output = $1, updated_at = $2 WHERE id = $3 AND status = 'writing'",
    )
    .bind(output)
    .bind(now)
    .bind(id)
    .execute(pool)
    .await?;
    Ok(changed.rows_affected() == 1)
}

/// The writing is over: `open` with the whole output, or `failed` with why.
pub async fn finish_writing(
    pool: &AnyPool,
    id: &RevisionId,
    status: RevisionStatus,
    output: &str,
    finish_reason: Option<&str>,
    problem: Option<&str>,
    now: i64,
) -> Result<bool, sqlx::Error> {
    let changed = sqlx::query(
        "UPDATE ai_revisions SET status = $1, output = $2, finish_reason = $3, problem = $4, \
             updated_at = $5, decided_at = CASE WHEN $1 = 'failed' THEN CAST($5 AS BIGINT) END \
         WHERE id = $6 AND status = 'writing'",
    )
    .bind(status.as_str())
    .bind(output)
    .bind(finish_reason)
    .bind(problem)
    .bind(now)
    .bind(id)
    .execute(pool)
    .await?;
    Ok(changed.rows_affected() == 1)
}

/// Moves a proposal from one of `from` to `to`; false when it was not in any of them.
pub async fn decide(
    connection: &mut AnyConnection,
    id: &RevisionId,
    from: &[RevisionStatus],
    to: RevisionStatus,
    now: i64,
) -> Result<bool, sqlx::Error> {
    let sql = format!(
        "UPDATE ai_revisions SET status = $1, decided_at = $2, updated_at = $2 \
         WHERE id = $3 AND status IN ({})",
        super::placeholders(4, from.len())
    );
    let mut query = sqlx::query(&sql).bind(to.as_str()).bind(now).bind(id);
    for status in from {
        query = query.bind(status.as_str());
    }
    Ok(query.execute(connection).await?.rows_affected() == 1)
}

/// Proposals left "writing" by a process that stopped: failed, so the post is free again.
pub async fn fail_abandoned(
    pool: &AnyPool,
    quiet_since: i64,
    problem: &str,
    now: i64,
) -> Result<u64, sqlx::Error> {
    let changed = sqlx::query(
        "UPDATE ai_revisions SET status = 'failed', problem = $1, updated_at = $2, decided_at = $2 \
         WHERE status = 'writing' AND updated_at < $3",
    )
    .bind(problem)
    .bind(now)
    .bind(quiet_since)
    .execute(pool)
    .await?;
    Ok(changed.rows_affected())
}
