//! The account the operator gives in the environment (`HERALD_FACEBOOK_PAGE_TOKEN`, and
//! optionally `HERALD_INSTAGRAM_ACCOUNT_ID`): it appears in the instance owner's workspace, and
//! in no other, labelled as coming from the server's configuration.

use crate::domain::AccountId;
use crate::domain::accounts::{Connection, Network};
use crate::server::auth::SignedIn;
use crate::server::config::EnvironmentAccount;
use crate::server::db::{self, accounts as account_rows};
use crate::server::providers::meta::MetaError;
use crate::server::state::AppState;

/// Adds the environment's Page (and Instagram account) to the owner's workspace the first time
/// the owner lists accounts. Failures are logged, not shown: the rest of the page still works.
pub async fn ensure_for_owner(state: &AppState, session: &SignedIn) {
    let Some(configured) = state.settings.environment_account.as_ref() else {
        return;
    };
    if !session.is_owner {
        return;
    }
    if let Err(error) = ensure(state, session, configured).await {
        tracing::warn!(error = %error, "the account from HERALD_FACEBOOK_PAGE_TOKEN could not be added");
    }
}

#[derive(Debug, thiserror::Error)]
enum EnsureError {
    #[error(transparent)]
    Meta(#[from] MetaError),
    #[error(transparent)]
    Database(#[from] sqlx::Error),
}

async fn ensure(
    state: &AppState,
    session: &SignedIn,
    configured: &EnvironmentAccount,
) -> Result<(), EnsureError> {
    let listed = account_rows::list(state.db.pool(), &session.workspace_id).await?;
    if listed
        .iter()
        .any(|row| row.profile.connection == Connection::Environment)
    {
        return Ok(());
    }
    // With a Page token, `/me` is the Page.
    let page = state.meta.facebook_user(&configured.page_token).await?;
    let instagram = match &configured.instagram_account_id {
        Some(wanted) => Some(
            state
                .meta
                .instagram_account_of_page(&page.id, &configured.page_token)
                .await?
                .filter(|linked| &linked.id == wanted)
                .map(|linked| (linked.id, linked.username, linked.profile_picture_url))
                .unwrap_or_else(|| (wanted.clone(), wanted.clone(), None)),
        ),
        None => None,
    };
    let now = db::millis(state.clock.now());
    let mut tx = state.db.begin_write().await?;
    let row = |network, remote_id, name, username, avatar_url, page_id| EnvironmentRow {
        network,
        remote_id,
        name,
        username,
        avatar_url,
        page_id,
    };
    let mut rows = vec![row(
        Network::Facebook,
        &page.id,
        &page.name,
        None,
        page.picture_url.as_deref(),
        None,
    )];
    if let Some((id, username, picture)) = &instagram {
        rows.push(row(
            Network::Instagram,
            id,
            username,
            Some(username),
            picture.as_deref(),
            Some(&page.id),
        ));
    }
    for row in rows {
        save(state, &mut tx, session, configured, now, row).await?;
    }
    tx.commit().await?;
    Ok(())
}

struct EnvironmentRow<'a> {
    network: Network,
    remote_id: &'a str,
    name: &'a str,
    username: Option<&'a str>,
    avatar_url: Option<&'a str>,
    page_id: Option<&'a str>,
}

async fn save(
    state: &AppState,
    tx: &mut sqlx::AnyConnection,
    session: &SignedIn,
    configured: &EnvironmentAccount,
    now: i64,
    row: EnvironmentRow<'_>,
) -> Result<(), sqlx::Error> {
    let network = row.network;
    let id = account_rows::existing_id(tx, &session.workspace_id, network, row.remote_id)
        .await?
        .unwrap_or_else(db::new_id::<AccountId>);
    let sealed = state.vault.seal(&configured.page_token, id.as_str());
    account_rows::save(
        tx,
        account_rows::AccountRecord {
            id: &id,
            workspace_id: &session.workspace_id,
            network,
            connection: Connection::Environment,
            remote_id: row.remote_id,
            name: row.name,
            username: row.username,
            avatar_url: row.avatar_url,
            page_id: row.page_id,
            access_token: &sealed,
            user_token: None,
            token_expires_at: None,
            scopes: "",
            connected_by: None,
            now,
        },
    )
    .await?;
    // Its own figures are taken now, then every day.
    crate::server::db::figures::plan_account_figures(tx, &session.workspace_id, &id, now, now).await
}
