//! The browser's side of connecting: `/oauth/{login}/start` sends the person to Meta,
//! `/oauth/{login}/callback` is where Meta sends them back, and `POST /accounts/pick` adds the
//! accounts they picked. Plain links, redirects and a plain form: it all works without
//! JavaScript. Every outcome lands on the Accounts page with a `problem` or `done` code that the
//! page words in the reader's language.

use axum::Router;
use axum::extract::{Path, Query, RawForm, State};
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};

use super::connect::{self, CallbackParams, ConnectProblem, Finished};
use crate::domain::AccountId;
use crate::domain::accounts::Login;
use crate::server::auth::sessions::signed_in;
use crate::server::providers::ErrorKind;
use crate::server::state::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/oauth/{login}/start", get(start))
        .route("/oauth/{login}/callback", get(callback))
        .route("/accounts/pick", post(pick))
}

fn to_sign_in() -> Response {
    Redirect::to("/sign-in").into_response()
}

fn to_accounts(outcome: &str) -> Response {
    Redirect::to(&format!("/accounts?{outcome}")).into_response()
}

/// The code the Accounts page turns into a sentence; the network's own words go to the log only.
fn problem_code(problem: &ConnectProblem) -> &'static str {
    match problem {
        ConnectProblem::NotConfigured => "not_configured",
        ConnectProblem::Canceled => "canceled",
        ConnectProblem::StaleState => "stale",
        ConnectProblem::NothingFound => "nothing_found",
        ConnectProblem::WrongAccount => "wrong_account",
        ConnectProblem::Internal(_) => "internal",
        ConnectProblem::Network(error) => match error.kind {
            ErrorKind::Reconnect => "meta_token",
            ErrorKind::PermissionMissing => "meta_permission",
            ErrorKind::RateLimited { .. } => "meta_rate_limited",
            ErrorKind::Temporary | ErrorKind::NotReady => "meta_temporary",
            ErrorKind::Refused { .. } => "meta_refused",
        },
    }
}

fn failed(problem: ConnectProblem) -> Response {
    match &problem {
        ConnectProblem::Internal(error) => {
            let _ = crate::server::error::internal(error);
        }
        ConnectProblem::Network(error) => {
            tracing::warn!(error = %error, "connecting an account failed at the network");
        }
        _ => tracing::info!(problem = ?problem, "connecting an account did not finish"),
    }
    to_accounts(&format!("problem={}", problem_code(&problem)))
}

#[derive(serde::Deserialize)]
struct StartQuery {
    reconnect: Option<String>,
}

async fn start(
    State(state): State<AppState>,
    Path(login): Path<String>,
    Query(query): Query<StartQuery>,
    headers: HeaderMap,
) -> Response {
    let Some(login) = Login::parse(&login) else {
        return to_accounts("problem=not_configured");
    };
    let Some(session) = signed_in(&state, &headers).await else {
        return to_sign_in();
    };
    let reconnect = query
        .reconnect
        .filter(|id| !id.is_empty())
        .map(AccountId::from);
    match connect::start(&state, &session, login, reconnect.as_ref()).await {
        Ok(authorize) => Redirect::to(authorize.as_str()).into_response(),
        Err(problem) => failed(problem),
    }
}

async fn callback(
    State(state): State<AppState>,
    Path(login): Path<String>,
    Query(params): Query<CallbackParams>,
    headers: HeaderMap,
) -> Response {
    let Some(login) = Login::parse(&login) else {
        return to_accounts("problem=stale");
    };
    let Some(session) = signed_in(&state, &headers).await else {
        return to_sign_in();
    };
    match connect::finish(&state, &session, login, params).await {
        Ok(Finished::Offers { batch }) => {
            Redirect::to(&format!("/accounts/pick?batch={batch}")).into_response()
        }
        Ok(Finished::Reconnected) => to_accounts("done=reconnected"),
        Err(problem) => failed(problem),
    }
}

/// `batch=…&offer=…&offer=…`: repeated fields, as checkboxes send them.
async fn pick(
    State(state): State<AppState>,
    headers: HeaderMap,
    RawForm(body): RawForm,
) -> Response {
    let Some(session) = signed_in(&state, &headers).await else {
        return to_sign_in();
    };
    let fields: Vec<(String, String)> = url::form_urlencoded::parse(&body).into_owned().collect();
    let batch = fields
        .iter()
        .find(|(name, _)| name == "batch")
        .map(|(_, value)| value.clone())
        .unwrap_or_default();
    let chosen: Vec<String> = fields
        .into_iter()
        .filter(|(name, _)| name == "offer")
        .map(|(_, value)| value)
        .collect();
    if chosen.is_empty() {
        return to_accounts("problem=none_picked");
    }
    match connect::add_offers(&state, &session, &batch, &chosen).await {
        Ok(added) => to_accounts(&format!("done=added&count={added}")),
        Err(problem) => failed(problem),
    }
}
