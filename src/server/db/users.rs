//! Queries on people and their personal workspaces.

use sqlx::{Any, AnyConnection, AnyPool};

use leptos_i18n::Locale as _;

use crate::domain::{DisplayName, EmailAddress, TimeZone, UserId, WorkspaceId};
use crate::text::language::{self, Locale};

/// What sign-in needs to know about an account.
#[derive(sqlx::FromRow)]
pub struct CredentialsRow {
    pub id: UserId,
    pub password_hash: String,
}

/// What a person's own workspace is called until they rename it.
pub const PERSONAL_WORKSPACE_NAME: &str = "Personal";

pub struct NewUser<'a> {
    pub id: &'a UserId,
    pub email: &'a EmailAddress,
    pub display_name: &'a DisplayName,
    pub password_hash: &'a str,
    pub is_owner: bool,
    /// The language the person signed up in; None from the command line.
    pub language: Option<Locale>,
    pub created_at: i64,
}

pub async fn any_exists(pool: &AnyPool) -> Result<bool, sqlx::Error> {
    let (found,): (i64,) =
        sqlx::query_as("SELECT CASE WHEN EXISTS (SELECT 1 FROM users) THEN 1 ELSE 0 END")
            .fetch_one(pool)
            .await?;
    Ok(found == 1)
}

pub async fn find_credentials(
    pool: &AnyPool,
    email: &EmailAddress,
) -> Result<Option<CredentialsRow>, sqlx::Error> {
    sqlx::query_as("SELECT id, password_hash FROM users WHERE email = $1")
        .bind(email.as_str())
        .fetch_optional(pool)
        .await
}

/// Inserts the person, their personal workspace and their membership of it. Returns the
/// workspace id. Runs on the caller's transaction so that all three land or none does.
pub async fn insert_with_personal_workspace(
    connection: &mut AnyConnection,
    user: NewUser<'_>,
) -> Result<WorkspaceId, sqlx::Error> {
    sqlx::query(
        "INSERT INTO users (id, email, display_name, password_hash, is_owner, language, \
         created_at) VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(user.id)
    .bind(user.email.as_str())
    .bind(user.display_name.as_str())
    .bind(user.password_hash)
    .bind(i64::from(user.is_owner))
    .bind(user.language.map(|locale| locale.as_str()))
    .bind(user.created_at)
    .execute(&mut *connection)
    .await?;

    let workspace_id: WorkspaceId = super::new_id();
    sqlx::query::<Any>(
        "INSERT INTO workspaces (id, name, personal_for, created_at) VALUES ($1, $2, $3, $4)",
    )
    .bind(&workspace_id)
    .bind(PERSONAL_WORKSPACE_NAME)
    .bind(user.id)
    .bind(user.created_at)
    .execute(&mut *connection)
    .await?;

    sqlx::query(
        "INSERT INTO memberships (workspace_id, user_id, role, created_at) \
         VALUES ($1, $2, 'owner', $3)",
    )
    .bind(&workspace_id)
    .bind(user.id)
    .bind(user.created_at)
    .execute(&mut *connection)
    .await?;
    Ok(workspace_id)
}

pub async fn personal_workspace_id(
    pool: &AnyPool,
    user_id: &UserId,
) -> Result<Option<WorkspaceId>, sqlx::Error> {
    let row: Option<(WorkspaceId,)> =
        sqlx::query_as("SELECT id FROM workspaces WHERE personal_for = $1")
            .bind(user_id)
            .fetch_optional(pool)
            .await?;
    Ok(row.map(|(id,)| id))
}

pub async fn password_hash(pool: &AnyPool, user_id: &UserId) -> Result<String, sqlx::Error> {
    let (hash,): (String,) = sqlx::query_as("SELECT password_hash FROM users WHERE id = $1")
        .bind(user_id)
        .fetch_one(pool)
        .await?;
    Ok(hash)
}

/// One thing a person changes about their own account.
pub enum Change<'a> {
    DisplayName(&'a DisplayName),
    TimeZone(TimeZone),
    Language(Locale),
    PasswordHash(&'a str),
}

pub async fn change(
    pool: &AnyPool,
    user_id: &UserId,
    change: Change<'_>,
) -> Result<(), sqlx::Error> {
    let (statement, value) = match change {
        Change::DisplayName(name) => (
            "UPDATE users SET display_name = $1 WHERE id = $2",
            name.as_str(),
        ),
        Change::TimeZone(zone) => ("UPDATE users SET time_zone = $1 WHERE id = $2", zone.name()),
        Change::Language(locale) => (
            "UPDATE users SET language = $1 WHERE id = $2",
            locale.as_str(),
        ),
        Change::PasswordHash(hash) => ("UPDATE users SET password_hash = $1 WHERE id = $2", hash),
    };
    sqlx::query(statement)
        .bind(value)
        .bind(user_id)
        .execute(pool)
        .await?;
    Ok(())
}

/// The language the person chose, if they ever did (a code Herald may no longer speak is
/// treated as no choice).
pub async fn language(pool: &AnyPool, user_id: &UserId) -> Result<Option<Locale>, sqlx::Error> {
    let row: Option<(Option<String>,)> = sqlx::query_as("SELECT language FROM users WHERE id = $1")
        .bind(user_id)
        .fetch_optional(pool)
        .await?;
    Ok(row
        .and_then(|(language,)| language)
        .and_then(|code| language::parse(&code).ok()))
}
