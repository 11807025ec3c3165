//! Connecting accounts through Meta's logins: start (a single-use `state` bound to the
//! session), finish (the callback: tokens, then every Page and Instagram account the login
//! reaches, kept as offers), and add (the accounts the person picked).

use url::Url;

use crate::domain::accounts::{Connection, Login, Network};
use crate::domain::{AccountId, OfferId};
use crate::server::auth::SignedIn;
use crate::server::auth::tokens::{Token, hash_token};
use crate::server::crypto::Secret;
use crate::server::db::{self, accounts as account_rows, oauth};
use crate::server::providers::meta::MetaError;
use crate::server::state::AppState;

/// Long enough to log in at Meta, short enough that a leaked link is soon worthless.
const STATE_LIFETIME: chrono::Duration = chrono::Duration::minutes(15);
/// How long the pick page stays valid after the login.
const OFFER_LIFETIME: chrono::Duration = chrono::Duration::minutes(30);

/// Why connecting did not happen; each becomes a sentence on the Accounts page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ConnectProblem {
    /// This Herald has no app id and secret for that login.
    NotConfigured,
    /// The person pressed Cancel at Meta.
    Canceled,
    /// The link was used already, expired, or belongs to another session.
    StaleState,
    /// Meta refused or failed; the kind says whether trying again may help.
    Meta(MetaError),
    /// The login reached no Page or Instagram account at all.
    NothingFound,
    /// Reconnecting logged in to a login that does not reach the account being reconnected.
    WrongAccount,
    Internal(String),
}

impl From<MetaError> for ConnectProblem {
    fn from(error: MetaError) -> Self {
        ConnectProblem::Meta(error)
    }
}

impl From<sqlx::Error> for ConnectProblem {
    fn from(error: sqlx::Error) -> Self {
        ConnectProblem::Internal(error.to_string())
    }
}

/// Where Meta sends the person back: `HERALD_PUBLIC_URL` + `/oauth/{login}/callback`. This is
/// the address to register with Meta.
pub fn redirect_uri(state: &AppState, login: Login) -> String {
    let mut url = state.settings.public_url.clone();
    url.set_path(&format!("/oauth/{}/callback", login.as_str()));
    url.to_string()
}

/// Records a new round trip and returns Meta's login page to send the person to.
pub async fn start(
    state: &AppState,
    session: &SignedIn,
    login: Login,
    reconnect: Option<&AccountId>,
) -> Result<Url, ConnectProblem> {
    if let Some(account_id) = reconnect {
        // The environment's account is the operator's to change, in the environment.
        let reconnectable = account_rows::find(state.db.pool(), &session.workspace_id, account_id)
            .await?
            .is_some_and(|account| account.connection != Connection::Environment);
        if !reconnectable {
            return Err(ConnectProblem::WrongAccount);
        }
    }
    let nonce = Token::generate();
    let redirect = redirect_uri(state, login);
    let authorize = match login {
        Login::Facebook => state.meta.facebook_authorize_url(nonce.expose(), &redirect),
        Login::Instagram => state
            .meta
            .instagram_authorize_url(nonce.expose(), &redirect),
    }
    .map_err(|_| ConnectProblem::NotConfigured)?;
    let now = state.clock.now();
    oauth::insert_state(
        state.db.pool(),
        oauth::NewState {
            state_hash: &nonce.hash(),
            session_hash: &session.session_hash,
            workspace_id: &session.workspace_id,
            login: login.as_str(),
            reconnect_account_id: reconnect,
            now: db::millis(now),
            expires_at: db::millis(now + STATE_LIFETIME),
        },
    )
    .await?;
    Ok(authorize)
}

/// What Meta's redirect carried.
#[derive(Debug, Clone, Default, serde::Deserialize)]
pub struct CallbackParams {
    pub code: Option<String>,
    pub state: Option<String>,
    pub error: Option<String>,
}

pub enum Finished {
    /// Pick from these (`batch` names them).
    Offers {
        batch: String,
    },
    Reconnected,
}

/// One account the login reaches, before it is stored as an offer.
struct Candidate {
    network: Network,
    connection: Connection,
    remote_id: String,
    name: String,
    username: Option<String>,
    avatar_url: Option<String>,
    page_id: Option<String>,
    access_token: Secret,
    user_token: Option<Secret>,
    token_expires_at: Option<i64>,
    scopes: String,
    refusal: Option<&'static str>,
}

/// Handles Meta's redirect back. The `state` is consumed first, whatever happens next.
pub async fn finish(
    state: &AppState,
    session: &SignedIn,
    login: Login,
    params: CallbackParams,
) -> Result<Finished, ConnectProblem> {
    let Some(nonce) = params.state.as_deref() else {
        return Err(ConnectProblem::StaleState);
    };
    let now = state.clock.now();
    let round_trip = oauth::take_state(state.db.pool(), &hash_token(nonce))
        .await?
        .filter(|row| {
            row.session_hash == session.session_hash
                && row.workspace_id == session.workspace_id
                && row.login == login.as_str()
                && row.expires_at > db::millis(now)
        })
        .ok_or(ConnectProblem::StaleState)?;
    match params.error.as_deref() {
        None => {}
        // The person pressed Cancel (spec §1.1); any other error is Meta's.
        Some("access_denied") => return Err(ConnectProblem::Canceled),
        Some(other) => {
            return Err(ConnectProblem::Meta(MetaError::temporary(format!(
                "the login came back with error `{other}`"
            ))));
        }
    }
    let code = params.code.as_deref().ok_or(ConnectProblem::Canceled)?;
    let redirect = redirect_uri(state, login);
    let candidates = match login {
        Login::Facebook => facebook_candidates(state, code, &redirect).await?,
        Login::Instagram => instagram_candidates(state, code, &redirect, now).await?,
    };
    if candidates.is_empty() {
        return Err(ConnectProblem::NothingFound);
    }
    if let Some(account_id) = &round_trip.reconnect_account_id {
        reconnect(state, session, account_id, candidates).await?;
        return Ok(Finished::Reconnected);
    }
    let batch = Token::generate().hash();
    let mut tx = state.db.pool().begin().await?;
    for candidate in &candidates {
        let id: OfferId = db::new_id();
        let seal = |secret: &Secret| state.vault.seal(secret, id.as_str());
        let access_token = seal(&candidate.access_token);
        let user_token = candidate.user_token.as_ref().map(seal);
        oauth::insert_offer(
            &mut tx,
            oauth::NewOffer {
                id: &id,
                batch_id: &batch,
                session_hash: &session.session_hash,
                workspace_id: &session.workspace_id,
                network: candidate.network,
                connection: candidate.connection,
                remote_id: &candidate.remote_id,
                name: &candidate.name,
                username: candidate.username.as_deref(),
                avatar_url: candidate.avatar_url.as_deref(),
                page_id: candidate.page_id.as_deref(),
                access_token: &access_token,
                user_token: user_token.as_deref(),
                token_expires_at: candidate.token_expires_at,
                scopes: &candidate.scopes,
                refusal: candidate.refusal,
                now: db::millis(now),
                expires_at: db::millis(now + OFFER_LIFETIME),
            },
        )
        .await?;
    }
    tx.commit().await?;
    Ok(Finished::Offers { batch })
}

/// Facebook Login: a long-lived user token, every Page with its (non-expiring) Page token,
/// and the Instagram professional account of each Page that has one.
async fn facebook_candidates(
    state: &AppState,
    code: &str,
    redirect: &str,
) -> Result<Vec<Candidate>, ConnectProblem> {
    let short = state.meta.exchange_facebook_code(code, redirect).await?;
    let user = state.meta.long_lived_user_token(&short.token).await?;
    let scopes = state.meta.granted_permissions(&user.token).await?.join(",");
    let mut candidates = Vec::new();
    for page in state.meta.pages(&user.token).await? {
        // One Page's Instagram lookup failing (a permission the login did not grant, a
        // throttle) must not lose every other Page: that Page is offered without it.
        let instagram = match state
            .meta
            .instagram_account_of_page(&page.id, &page.access_token)
            .await
        {
            Ok(instagram) => instagram,
            Err(error) => {
                tracing::warn!(page_id = %page.id, error = %error, "Instagram account of a Page unreadable");
                None
            }
        };
        let refusal = (!page.can_publish()).then_some("no_publish_task");
        if let Some(instagram) = instagram {
            candidates.push(Candidate {
                network: Network::Instagram,
                connection: Connection::FacebookLogin,
                remote_id: instagram.id,
                name: instagram.name.unwrap_or_else(|| instagram.username.clone()),
                username: Some(instagram.username),
                avatar_url: instagram.profile_picture_url,
                page_id: Some(page.id.clone()),
                access_token: page.access_token.clone(),
                user_token: Some(user.token.clone()),
                // The Page token it publishes with does not expire (spec §1.5).
                token_expires_at: None,
                scopes: scopes.clone(),
                refusal,
            });
        }
        candidates.push(Candidate {
            network: Network::Facebook,
            connection: Connection::FacebookLogin,
            remote_id: page.id,
            name: page.name,
            username: page.username,
            avatar_url: page.picture_url,
            page_id: None,
            access_token: page.access_token,
            user_token: Some(user.token.clone()),
            token_expires_at: None,
            scopes: scopes.clone(),
            refusal,
        });
    }
    Ok(candidates)
}

/// Instagram Login: a 60-day token for one Instagram account, which must be professional.
async fn instagram_candidates(
    state: &AppState,
    code: &str,
    redirect: &str,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<Vec<Candidate>, ConnectProblem> {
    let login = state.meta.exchange_instagram_code(code, redirect).await?;
    let long = state.meta.long_lived_instagram_token(&login.token).await?;
    let profile = state.meta.instagram_profile(&long.token).await?;
    let refusal = (!profile.is_professional()).then_some("personal_instagram");
    Ok(vec![Candidate {
        network: Network::Instagram,
        connection: Connection::InstagramLogin,
        remote_id: profile.user_id,
        name: profile.name.unwrap_or_else(|| profile.username.clone()),
        username: Some(profile.username),
        avatar_url: profile.profile_picture_url,
        page_id: None,
        access_token: long.token,
        user_token: None,
        token_expires_at: long
            .expires_in
            .map(|seconds| db::millis(now + chrono::Duration::seconds(seconds))),
        scopes: login.permissions.join(","),
        refusal,
    }])
}

/// Puts fresh tokens on the account being reconnected; its id, history and posts stay.
async fn reconnect(
    state: &AppState,
    session: &SignedIn,
    account_id: &AccountId,
    candidates: Vec<Candidate>,
) -> Result<(), ConnectProblem> {
    let account = account_rows::find(state.db.pool(), &session.workspace_id, account_id)
        .await?
        .ok_or(ConnectProblem::WrongAccount)?;
    let candidate = candidates
        .into_iter()
        .find(|candidate| {
            candidate.network == account.network
                && candidate.remote_id == account.remote_id
                && candidate.refusal.is_none()
        })
        .ok_or(ConnectProblem::WrongAccount)?;
    let mut tx = state.db.pool().begin().await?;
    save(state, &mut tx, session, account_id, &candidate).await?;
    tx.commit().await?;
    Ok(())
}

async fn save(
    state: &AppState,
    tx: &mut sqlx::AnyConnection,
    session: &SignedIn,
    account_id: &AccountId,
    candidate: &Candidate,
) -> Result<(), sqlx::Error> {
    let seal = |secret: &Secret| state.vault.seal(secret, account_id.as_str());
    let access_token = seal(&candidate.access_token);
    let user_token = candidate.user_token.as_ref().map(seal);
    account_rows::save(
        tx,
        account_rows::AccountRecord {
            id: account_id,
            workspace_id: &session.workspace_id,
            network: candidate.network,
            connection: candidate.connection,
            remote_id: &candidate.remote_id,
            name: &candidate.name,
            username: candidate.username.as_deref(),
            avatar_url: candidate.avatar_url.as_deref(),
            page_id: candidate.page_id.as_deref(),
            access_token: &access_token,
            user_token: user_token.as_deref(),
            token_expires_at: candidate.token_expires_at,
            scopes: &candidate.scopes,
            connected_by: Some(&session.user_id),
            now: db::millis(state.clock.now()),
        },
    )
    .await?;
    // A (re)connected account's token is tried again from now on, every few hours.
    let now = state.clock.now();
    crate::server::db::jobs::plan_check(
        tx,
        &session.workspace_id,
        account_id,
        db::millis(now + super::upkeep::CHECK_EVERY),
        db::millis(now),
    )
    .await
}

/// Adds the offers the person picked. Offers not in the batch, from another session, refused
/// or expired are ignored. Returns how many accounts were added or updated.
pub async fn add_offers(
    state: &AppState,
    session: &SignedIn,
    batch: &str,
    chosen: &[String],
) -> Result<usize, ConnectProblem> {
    let now = db::millis(state.clock.now());
    let offers = oauth::offers(
        state.db.pool(),
        batch,
        &session.session_hash,
        &session.workspace_id,
        now,
    )
    .await?;
    if offers.is_empty() {
        return Err(ConnectProblem::StaleState);
    }
    let mut tx = state.db.pool().begin().await?;
    let mut added = 0;
    for offer in offers {
        if offer.refusal.is_some() || !chosen.iter().any(|id| id == offer.id.as_str()) {
            continue;
        }
        let open = |sealed: &str| {
            state
                .vault
                .open(sealed, offer.id.as_str())
                .map_err(|error| ConnectProblem::Internal(error.to_string()))
        };
        let candidate = Candidate {
            network: offer.network,
            connection: offer.connection,
            access_token: open(&offer.access_token)?,
            user_token: offer.user_token.as_deref().map(open).transpose()?,
            remote_id: offer.remote_id,
            name: offer.name,
            username: offer.username,
            avatar_url: offer.avatar_url,
            page_id: offer.page_id,
            token_expires_at: offer.token_expires_at,
            scopes: offer.scopes,
            refusal: None,
        };
        let existing = account_rows::existing_id(
            &mut tx,
            &session.workspace_id,
            candidate.network,
            &candidate.remote_id,
        )
        .await?;
        let account_id = match existing {
            Some(id) if is_environment(&mut tx, &id).await? => continue,
            Some(id) => id,
            None => db::new_id(),
        };
        save(state, &mut tx, session, &account_id, &candidate).await?;
        added += 1;
    }
    oauth::delete_batch(&mut tx, batch).await?;
    tx.commit().await?;
    Ok(added)
}

/// Whether the row is the environment's account, which a login never overwrites.
async fn is_environment(
    connection: &mut sqlx::AnyConnection,
    id: &AccountId,
) -> Result<bool, sqlx::Error> {
    let row: Option<(String,)> =
        sqlx::query_as("SELECT connection FROM social_accounts WHERE id = $1")
            .bind(id)
            .fetch_optional(&mut *connection)
            .await?;
    Ok(row.is_some_and(|(connection,)| connection == Connection::Environment.as_str()))
}
