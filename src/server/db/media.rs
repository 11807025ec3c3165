//! Queries on the media library and the stored files of each medium.

use sqlx::{AnyConnection, AnyPool};

use crate::domain::{MediaId, UserId, WorkspaceId};

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct MediaRow {
    pub id: MediaId,
    pub kind: String,
    pub facts: String,
    pub original_name: String,
    pub alt_text: String,
    pub focus_x: i64,
    pub focus_y: i64,
    pub created_at: i64,
}

const MEDIA_COLUMNS: &str =
    "id, kind, facts, original_name, alt_text, focus_x, focus_y, created_at";

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct FileRow {
    pub token: String,
    pub media_id: MediaId,
    pub role: String,
    pub storage_key: String,
    pub content_type: String,
    pub width: i64,
    pub height: i64,
    pub bytes: i64,
}

const FILE_COLUMNS: &str = "token, media_id, role, storage_key, content_type, width, height, bytes";

pub struct NewMedia<'a> {
    pub id: &'a MediaId,
    pub workspace_id: &'a WorkspaceId,
    pub uploaded_by: &'a UserId,
    /// A video (else a picture): the row's `kind`.
    pub is_video: bool,
    pub facts: &'a str,
    pub original_name: &'a str,
    pub alt_text: &'a str,
    pub now: i64,
}

pub async fn insert(
    connection: &mut AnyConnection,
    media: NewMedia<'_>,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO media (id, workspace_id, uploaded_by, kind, facts, original_name, alt_text, \
             created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(media.id)
    .bind(media.workspace_id)
    .bind(media.uploaded_by)
    .bind(if media.is_video { "video" } else { "image" })
    .bind(media.facts)
    .bind(media.original_name)
    .bind(media.alt_text)
    .bind(media.now)
    .execute(connection)
    .await?;
    Ok(())
}

/// Adds a file, or replaces the medium's file of the same role (a variant made again).
pub async fn put_file(connection: &mut AnyConnection, file: &FileRow) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM media_files WHERE media_id = $1 AND role = $2")
        .bind(&file.media_id)
        .bind(&file.role)
        .execute(&mut *connection)
        .await?;
    sqlx::query(&format!(
        "INSERT INTO media_files ({FILE_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)"
    ))
    .bind(&file.token)
    .bind(&file.media_id)
    .bind(&file.role)
    .bind(&file.storage_key)
    .bind(&file.content_type)
    .bind(file.width)
    .bind(file.height)
    .bind(file.bytes)
    .execute(connection)
    .await?;
    Ok(())
}

pub async fn remove_file(
    connection: &mut AnyConnection,
    media_id: &MediaId,
    role: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM media_files WHERE media_id = $1 AND role = $2")
        .bind(media_id)
        .bind(role)
        .execute(connection)
        .await?;
    Ok(())
}

/// The workspace's media, newest first, whose name or alt text contains `search` (any case).
pub async fn list(
    pool: &AnyPool,
    workspace_id: &WorkspaceId,
    search: &str,
    limit: i64,
    offset: i64,
) -> Result<Vec<MediaRow>, sqlx::Error> {
    let pattern = format!("%{}%", escape_like(&search.to_lowercase()));
    sqlx::query_as(&format!(
        "SELECT {MEDIA_COLUMNS} FROM media WHERE workspace_id = $1 \
             AND (LOWER(original_name) LIKE $2 ESCAPE '\\' OR LOWER(alt_text) LIKE $2 ESCAPE '\\') \
         ORDER BY created_at DESC, id DESC LIMIT $3 OFFSET $4"
    ))
    .bind(workspace_id)
    .bind(pattern)
    .bind(limit)
    .bind(offset)
    .fetch_all(pool)
    .await
}

fn escape_like(text: &str) -> String {
    text.replace('\\', "\\\\")
        .replace('%', "\\%")
        .replace('_', "\\_")
}

pub async fn find(
    pool: &AnyPool,
    workspace_id: &WorkspaceId,
    id: &MediaId,
) -> Result<Option<MediaRow>, sqlx::Error> {
    sqlx::query_as(&format!(
        "SELECT {MEDIA_COLUMNS} FROM media WHERE workspace_id = $1 AND id = $2"
    ))
    .bind(workspace_id)
    .bind(id)
    .fetch_optional(pool)
    .await
}

/// The workspace's media among `ids`, in no particular order.
pub async fn find_many(
    pool: &AnyPool,
    workspace_id: &WorkspaceId,
    ids: &[MediaId],
) -> Result<Vec<MediaRow>, sqlx::Error> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let sql = format!(
        "SELECT {MEDIA_COLUMNS} FROM media WHERE workspace_id = $1 AND id IN ({})",
        super::placeholders(2, ids.len())
    );
    let mut query = sqlx::query_as(&sql).bind(workspace_id);
    for id in ids {
        query = query.bind(id);
    }
    query.fetch_all(pool).await
}

/// The stored files of the given media, for listing them with their addresses.
pub async fn files_of(pool: &AnyPool, ids: &[MediaId]) -> Result<Vec<FileRow>, sqlx::Error> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let sql = format!(
        "SELECT {FILE_COLUMNS} FROM media_files WHERE media_id IN ({})",
        super::placeholders(1, ids.len())
    );
    let mut query = sqlx::query_as(&sql);
    for id in ids {
        query = query.bind(id);
    }
    query.fetch_all(pool).await
}

/// The file a public address names. No workspace check: the token is the permission.
pub async fn file_by_token(pool: &AnyPool, token: &str) -> Result<Option<FileRow>, sqlx::Error> {
    sqlx::query_as(&format!(
        "SELECT {FILE_COLUMNS} FROM media_files WHERE token = $1"
    ))
    .bind(token)
    .fetch_optional(pool)
    .await
}

pub async fn update_details(
    pool: &AnyPool,
    workspace_id: &WorkspaceId,
    id: &MediaId,
    alt_text: &str,
    focus: (i64, i64),
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "UPDATE media SET alt_text = $3, focus_x = $4, focus_y = $5 \
         WHERE workspace_id = $1 AND id = $2",
    )
    .bind(workspace_id)
    .bind(id)
    .bind(alt_text)
    .bind(focus.0)
    .bind(focus.1)
    .execute(pool)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// How many posts that are scheduled or being published use the medium.
pub async fn scheduled_uses(
    connection: &mut AnyConnection,
    id: &MediaId,
) -> Result<i64, sqlx::Error> {
    let (count,): (i64,) = sqlx::query_as(
        "SELECT CAST(COUNT(*) AS BIGINT) FROM post_media JOIN posts ON posts.id = post_media.post_id \
         WHERE post_media.media_id = $1 AND posts.status IN ('scheduled', 'publishing')",
    )
    .bind(id)
    .fetch_one(connection)
    .await?;
    Ok(count)
}

/// Deletes the medium (its files' rows and draft uses go with it) and returns the storage
/// keys to remove from the store once the transaction has committed.
pub async fn delete(
    connection: &mut AnyConnection,
    workspace_id: &WorkspaceId,
    id: &MediaId,
) -> Result<Option<Vec<String>>, sqlx::Error> {
    let keys: Vec<(String,)> = sqlx::query_as(
        "SELECT media_files.storage_key FROM media_files JOIN media ON media.id = media_files.media_id \
         WHERE media.workspace_id = $1 AND media.id = $2",
    )
    .bind(workspace_id)
    .bind(id)
    .fetch_all(&mut *connection)
    .await?;
    let done = sqlx::query("DELETE FROM media WHERE workspace_id = $1 AND id = $2")
        .bind(workspace_id)
        .bind(id)
        .execute(connection)
        .await?;
    Ok((done.rows_affected() == 1).then(|| keys.into_iter().map(|(key,)| key).collect()))
}
