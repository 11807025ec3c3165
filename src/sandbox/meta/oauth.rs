//! Facebook's token endpoint: code → user token (§1.2) and short → long-lived exchange (§1.3).

use axum::Json;
use axum::http::Method;
use axum::response::{IntoResponse, Response};
use chrono::Duration;
use serde_json::{Value, json};

use super::codes::{self, CodeRejection};
use super::dispatch::Call;
use super::errors::GraphError;
use super::tokens::{self, Network, TokenKind, TokenRecord};

/// What Meta reports for web code-flow and long-lived user tokens alike (about 60 days).
pub(super) const LONG_LIVED_EXPIRES_IN_SECONDS: i64 = 5_183_944;

/// The code-flow token really lives this long, whatever `expires_in` claims: a client that skips
/// the long-lived exchange gets one-hour Page tokens and finds out in tests, not in production.
const SHORT_LIVED_USER_SECONDS: i64 = 2 * 60 * 60;

pub(super) fn access_token(call: &mut Call<'_>) -> Response {
    match answer(call) {
        Ok(body) => Json(body).into_response(),
        Err(error) => error.into_response(),
    }
}

fn answer(call: &mut Call<'_>) -> Result<Value, GraphError> {
    let request = call.request;
    if request.method != Method::GET && request.method != Method::POST {
        return Err(GraphError::unsupported_request(
            &request.method,
            "access_token",
        ));
    }
    check_app(call)?;
    match request.param("grant_type") {
        Some("fb_exchange_token") => exchange_for_long_lived(call),
        None | Some("authorization_code") => redeem_code(call),
        Some(other) => Err(GraphError::numbered(
            100,
            format!("Unsupported grant_type: {other}"),
        )),
    }
}

fn check_app(call: &Call<'_>) -> Result<(), GraphError> {
    let config = &call.world.config;
    match call.request.param("client_id") {
        None => return Err(GraphError::new(101, "Missing client_id parameter.")),
        Some(client_id) if client_id != config.facebook_app_id => {
            return Err(GraphError::invalid_application_id());
        }
        Some(_) => {}
    }
    if call.request.param("client_secret") != Some(config.facebook_app_secret.as_str()) {
        return Err(GraphError::invalid_client_secret());
    }
    Ok(())
}

fn redeem_code(call: &mut Call<'_>) -> Result<Value, GraphError> {
    let request = call.request;
    let code = request
        .param("code")
        .ok_or_else(|| GraphError::missing_parameter("code"))?;
    let scopes = codes::redeem(
        &mut call.state.codes,
        code,
        Network::Facebook,
        &call.world.config.facebook_app_id,
        request.param("redirect_uri"),
        call.now,
    )
    .map_err(code_error)?;
    let record = TokenRecord::mint(
        TokenKind::ShortLivedUser,
        &call.world.user.id,
        None,
        scopes,
        call.now,
        Some(Duration::seconds(SHORT_LIVED_USER_SECONDS)),
    );
    let token = call.state.issue(record);
    Ok(json!({
        "access_token": token,
        "token_type": "bearer",
        "expires_in": LONG_LIVED_EXPIRES_IN_SECONDS,
    }))
}

fn exchange_for_long_lived(call: &mut Call<'_>) -> Result<Value, GraphError> {
    let presented = call
        .request
        .param("fb_exchange_token")
        .ok_or_else(|| GraphError::missing_parameter("fb_exchange_token"))?;
    let user_token = tokens::authenticate(
        &call.state.tokens,
        Some(presented),
        Network::Facebook,
        call.now,
    )?;
    if !user_token.kind.is_facebook_user() {
        return Err(GraphError::numbered(
            100,
            "Invalid fb_exchange_token: not a user access token",
        ));
    }
    let record = TokenRecord::mint(
        TokenKind::LongLivedUser,
        &user_token.user_id,
        None,
        user_token.scopes.clone(),
        call.now,
        Some(Duration::seconds(LONG_LIVED_EXPIRES_IN_SECONDS)),
    );
    let token = call.state.issue(record);
    Ok(json!({
        "access_token": token,
        "token_type": "bearer",
        "expires_in": LONG_LIVED_EXPIRES_IN_SECONDS,
    }))
}

/// Subcodes 36007–36009 are field experience rather than documentation (§1.2, UNCERTAIN).
fn code_error(rejection: CodeRejection) -> GraphError {
    match rejection {
        CodeRejection::UnknownOrUsed => {
            GraphError::new(100, "This authorization code has been used.").with_subcode(36009)
        }
        CodeRejection::Expired => {
            GraphError::new(100, "This authorization code has expired.").with_subcode(36007)
        }
        CodeRejection::RedirectMismatch => GraphError::new(
            100,
            "Error validating verification code. Please make sure your redirect_uri is \
             identical to the one you used in the OAuth dialog request",
        )
        .with_subcode(36008),
    }
}
