//! Queries on OAuth round trips (`oauth_states`) and on what a finished login offered
//! (`account_offers`), until the person picks what to add.

use sqlx::{AnyConnection, AnyPool};

use super::UnknownValue;
use super::accounts::ProfileRow;
use crate::domain::accounts::Candidate;
use crate::domain::{AccountId, OfferId, WorkspaceId};

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct StateRow {
    pub session_hash: String,
    pub workspace_id: WorkspaceId,
    pub login: String,
    pub reconnect_account_id: Option<AccountId>,
    pub expires_at: i64,
}

pub struct NewState<'a> {
    pub state_hash: &'a str,
    pub session_hash: &'a str,
    pub workspace_id: &'a WorkspaceId,
    pub login: &'a str,
    pub reconnect_account_id: Option<&'a AccountId>,
    pub now: i64,
    pub expires_at: i64,
}

pub async fn insert_state(pool: &AnyPool, state: NewState<'_>) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO oauth_states (state_hash, session_hash, workspace_id, login, \
             reconnect_account_id, created_at, expires_at) VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(state.state_hash)
    .bind(state.session_hash)
    .bind(state.workspace_id)
    .bind(state.login)
    .bind(state.reconnect_account_id)
    .bind(state.now)
    .bind(state.expires_at)
    .execute(pool)
    .await?;
    Ok(())
}

/// Removes the state and returns what it was: a state can be used once, whatever happens next.
pub async fn take_state(pool: &AnyPool, state_hash: &str) -> Result<Option<StateRow>, sqlx::Error> {
    sqlx::query_as(
        "DELETE FROM oauth_states WHERE state_hash = $1 \
         RETURNING session_hash, workspace_id, login, reconnect_account_id, expires_at",
    )
    .bind(state_hash)
    .fetch_optional(pool)
    .await
}

pub async fn delete_expired_states(pool: &AnyPool, now: i64) -> Result<u64, sqlx::Error> {
    let states = sqlx::query("DELETE FROM oauth_states WHERE expires_at <= $1")
        .bind(now)
        .execute(pool)
        .await?;
    let offers = sqlx::query("DELETE FROM account_offers WHERE expires_at <= $1")
        .bind(now)
        .execute(pool)
        .await?;
    Ok(states.rows_affected() + offers.rows_affected())
}

#[derive(Debug, Clone, sqlx::FromRow)]
struct OfferRow {
    id: OfferId,
    #[sqlx(flatten)]
    profile: ProfileRow,
    access_token: String,
    user_token: Option<String>,
    token_expires_at: Option<i64>,
    scopes: String,
    refusal: Option<String>,
}

/// One account a login offered, its tokens sealed for the offer's id.
#[derive(Debug, Clone)]
pub struct Offer {
    pub id: OfferId,
    pub account: Candidate<String>,
}

impl TryFrom<OfferRow> for Offer {
    type Error = UnknownValue;

    fn try_from(row: OfferRow) -> Result<Offer, UnknownValue> {
        let of = ("account_offers", &row.id as &dyn std::fmt::Display);
        Ok(Offer {
            account: Candidate {
                profile: row.profile.into_profile(of)?,
                access_token: row.access_token,
                user_token: row.user_token,
                token_expires_at: row.token_expires_at,
                scopes: row.scopes,
                refusal: row.refusal,
            },
            id: row.id,
        })
    }
}

pub struct NewOffer<'a> {
    pub id: &'a OfferId,
    pub batch_id: &'a str,
    pub session_hash: &'a str,
    pub workspace_id: &'a WorkspaceId,
    pub account: &'a Candidate<String>,
    pub now: i64,
    pub expires_at: i64,
}

pub async fn insert_offer(
    connection: &mut AnyConnection,
    offer: NewOffer<'_>,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO account_offers (id, batch_id, session_hash, workspace_id, network, \
             connection, remote_id, name, username, avatar_url, page_id, access_token, \
             user_token, token_expires_at, scopes, refusal, created_at, expires_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, \
             $18)",
    )
    .bind(offer.id)
    .bind(offer.batch_id)
    .bind(offer.session_hash)
    .bind(offer.workspace_id)
    .bind(offer.account.profile.network.as_str())
    .bind(offer.account.profile.connection.as_str())
    .bind(&offer.account.profile.remote_id)
    .bind(&offer.account.profile.name)
    .bind(&offer.account.profile.username)
    .bind(&offer.account.profile.avatar_url)
    .bind(&offer.account.profile.page_id)
    .bind(&offer.account.access_token)
    .bind(&offer.account.user_token)
    .bind(offer.account.token_expires_at)
    .bind(&offer.account.scopes)
    .bind(&offer.account.refusal)
    .bind(offer.now)
    .bind(offer.expires_at)
    .execute(&mut *connection)
    .await?;
    Ok(())
}

/// The live offers of one batch, for the session that made them.
pub async fn offers(
    pool: &AnyPool,
    batch_id: &str,
    session_hash: &str,
    workspace_id: &WorkspaceId,
    now: i64,
) -> Result<Vec<Offer>, sqlx::Error> {
    let rows: Vec<OfferRow> = sqlx::query_as(
        "SELECT id, network, connection, remote_id, name, username, avatar_url, page_id, \
             access_token, user_token, token_expires_at, scopes, refusal \
         FROM account_offers \
         WHERE batch_id = $1 AND session_hash = $2 AND workspace_id = $3 AND expires_at > $4 \
         ORDER BY network, name, id",
    )
    .bind(batch_id)
    .bind(session_hash)
    .bind(workspace_id)
    .bind(now)
    .fetch_all(pool)
    .await?;
    super::records(rows)
}

pub async fn delete_batch(
    connection: &mut AnyConnection,
    batch_id: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM account_offers WHERE batch_id = $1")
        .bind(batch_id)
        .execute(&mut *connection)
        .await?;
    Ok(())
}
