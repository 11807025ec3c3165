//! Connecting accounts through a network's login: start (a single-use `state` bound to the
//! session), finish (the callback: the provider turns the code into every account the login
//! reaches, kept as offers), and add (the accounts the person picked).

use url::Url;

use crate::domain::accounts::{Connection, Login};
use crate::domain::{AccountId, OfferId};
use crate::server::auth::SignedIn;
use crate::server::auth::tokens::{Token, hash_token};
use crate::server::crypto::Secret;
use crate::server::db::{self, accounts as account_rows, oauth};
use crate::server::providers::{Candidate, ProviderError};
use crate::server::state::AppState;

/// Long enough to log in at the network, short enough that a leaked link is soon worthless.
const STATE_LIFETIME: chrono::Duration = chrono::Duration::minutes(15);
/// How long the pick page stays valid after the login.
const OFFER_LIFETIME: chrono::Duration = chrono::Duration::minutes(30);

/// Why connecting did not happen; each becomes a sentence on the Accounts page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ConnectProblem {
    /// This Herald has no app id and secret for that login.
    NotConfigured,
    /// The person pressed Cancel at the network.
    Canceled,
    /// The link was used already, expired, or belongs to another session.
    StaleState,
    /// The network refused or failed; the kind says whether trying again may help.
    Network(ProviderError),
    /// The login reached no Page or Instagram account at all.
    NothingFound,
    /// Reconnecting logged in to a login that does not reach the account being reconnected.
    WrongAccount,
    Internal(String),
}

impl From<ProviderError> for ConnectProblem {
    fn from(error: ProviderError) -> Self {
        ConnectProblem::Network(error)
    }
}

impl From<sqlx::Error> for ConnectProblem {
    fn from(error: sqlx::Error) -> Self {
        ConnectProblem::Internal(error.to_string())
    }
}

/// Where the network sends the person back: `HERALD_PUBLIC_URL` + `/oauth/{login}/callback`.
/// This is the address to register with the network.
pub fn redirect_uri(state: &AppState, login: Login) -> String {
    let mut url = state.settings.public_url.clone();
    url.set_path(&format!("/oauth/{}/callback", login.as_str()));
    url.to_string()
}

/// Records a new round trip and returns the network's login page to send the person to.
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
            .is_some_and(|account| account.profile.connection != Connection::Environment);
        if !reconnectable {
            return Err(ConnectProblem::WrongAccount);
        }
    }
    let nonce = Token::generate();
    let redirect = redirect_uri(state, login);
    let authorize = state
        .providers
        .for_login(login)
        .authorize_url(nonce.expose(), &redirect)
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

/// What the network's redirect carried.
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

/// Handles the network's redirect back. The `state` is consumed first, whatever happens next.
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
        // The person pressed Cancel (spec §1.1); any other error is the network's.
        Some("access_denied") => return Err(ConnectProblem::Canceled),
        Some(other) => {
            return Err(ConnectProblem::Network(ProviderError::temporary(format!(
                "the login came back with error `{other}`"
            ))));
        }
    }
    let code = params.code.as_deref().ok_or(ConnectProblem::Canceled)?;
    let redirect = redirect_uri(state, login);
    let candidates = state
        .providers
        .for_login(login)
        .accounts_reached(code, &redirect, now)
        .await?;
    if candidates.is_empty() {
        return Err(ConnectProblem::NothingFound);
    }
    if let Some(account_id) = &round_trip.reconnect_account_id {
        reconnect(state, session, account_id, candidates).await?;
        return Ok(Finished::Reconnected);
    }
    let batch = Token::generate().hash();
    let mut tx = state.db.pool().begin().await?;
    for candidate in candidates {
        let id: OfferId = db::new_id();
        let sealed = candidate.with_tokens(|secret| {
            Ok::<_, std::convert::Infallible>(state.vault.seal(secret, id.as_str()))
        });
        let Ok(sealed) = sealed;
        oauth::insert_offer(
            &mut tx,
            oauth::NewOffer {
                id: &id,
                batch_id: &batch,
                session_hash: &session.session_hash,
                workspace_id: &session.workspace_id,
                account: &sealed,
                now: db::millis(now),
                expires_at: db::millis(now + OFFER_LIFETIME),
            },
        )
        .await?;
    }
    tx.commit().await?;
    Ok(Finished::Offers { batch })
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
            candidate.profile.network == account.profile.network
                && candidate.profile.remote_id == account.profile.remote_id
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
            network: candidate.profile.network,
            connection: candidate.profile.connection,
            remote_id: &candidate.profile.remote_id,
            name: &candidate.profile.name,
            username: candidate.profile.username.as_deref(),
            avatar_url: candidate.profile.avatar_url.as_deref(),
            page_id: candidate.profile.page_id.as_deref(),
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
    .await?;
    // Its own figures are taken now, then every day.
    crate::server::db::figures::plan_account_figures(
        tx,
        &session.workspace_id,
        account_id,
        db::millis(now),
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
    let mut tx = state.db.begin_write().await?;
    let mut added = 0;
    for offer in offers {
        if offer.account.refusal.is_some() || !chosen.iter().any(|id| id == offer.id.as_str()) {
            continue;
        }
        let candidate = offer.account.with_tokens(|sealed| {
            state
                .vault
                .open(sealed, offer.id.as_str())
                .map_err(|error| ConnectProblem::Internal(error.to_string()))
        })?;
        let existing = account_rows::existing_id(
            &mut tx,
            &session.workspace_id,
            candidate.profile.network,
            &candidate.profile.remote_id,
        )
        .await?;
        let account_id = match existing {
            Some(id) if account_rows::is_environment(&mut tx, &id).await? => continue,
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
