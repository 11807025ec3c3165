//! Instagram Login tokens (§1.10): the code exchange on api.instagram.com, then the long-lived
//! exchange and the refresh on graph.instagram.com.

use axum::Json;
use axum::http::Method;
use axum::response::{IntoResponse, Response};
use chrono::Duration;
use serde_json::{Value, json};

use super::InstagramExchangeShape;
use super::codes::{self, CodeRejection};
use super::dispatch::Call;
use super::errors::{GraphError, LegacyInstagramError};
use super::tokens::{self, Network, TokenKind, TokenRecord};

const SHORT_LIVED_SECONDS: i64 = 60 * 60;
const LONG_LIVED_SECONDS: i64 = tokens::INSTAGRAM_LONG_LIVED_SECONDS;
/// "The token must be at least 24 hours old" before it can be refreshed.
const REFRESH_MINIMUM_AGE_HOURS: i64 = 24;

pub(super) fn exchange_code(call: &mut Call<'_>) -> Response {
    match exchange_code_answer(call) {
        Ok(body) => Json(body).into_response(),
        Err(error) => error.into_response(),
    }
}

/// Errors here use api.instagram.com's legacy shape, not the Graph envelope (§1.10, UNCERTAIN).
fn exchange_code_answer(call: &mut Call<'_>) -> Result<Value, LegacyInstagramError> {
    let request = call.request;
    let config = &call.world.config;
    if request.method != Method::POST {
        return Err(LegacyInstagramError::new(
            "Invalid request: this endpoint only accepts POST",
        ));
    }
    let client_id = request
        .param("client_id")
        .ok_or_else(|| LegacyInstagramError::new("Missing required field client_id"))?;
    if client_id != config.instagram_app_id {
        return Err(LegacyInstagramError::new("Invalid platform app"));
    }
    if request.param("client_secret") != Some(config.instagram_app_secret.as_str()) {
        return Err(LegacyInstagramError::new("Error validating client secret."));
    }
    if request.param("grant_type") != Some("authorization_code") {
        return Err(LegacyInstagramError::new(
            "Invalid grant_type: expected authorization_code",
        ));
    }
    let code = request
        .param("code")
        .ok_or_else(|| LegacyInstagramError::new("Missing required field code"))?;
    let scopes = codes::redeem(
        &mut call.state.codes,
        code,
        Network::Instagram,
        client_id,
        request.param("redirect_uri"),
        call.now,
    )
    .map_err(code_error)?;
    let creator = &call.world.creator;
    let record = TokenRecord::mint(
        TokenKind::ShortLivedInstagram,
        &creator.user_id_text(),
        None,
        scopes.clone(),
        call.now,
        Some(Duration::seconds(SHORT_LIVED_SECONDS)),
    );
    let token = call.state.issue(record);
    Ok(match call.state.instagram_exchange_shape {
        InstagramExchangeShape::Flat => json!({
            "access_token": token,
            // A JSON number above 2^53: clients must not read it through f64 (§0.2).
            "user_id": creator.user_id,
            "permissions": scopes,
        }),
        InstagramExchangeShape::Wrapped => json!({
            "data": [{
                "access_token": token,
                "user_id": creator.user_id_text(),
                "permissions": scopes.join(","),
            }]
        }),
    })
}

fn code_error(rejection: CodeRejection) -> LegacyInstagramError {
    LegacyInstagramError::new(match rejection {
        CodeRejection::UnknownOrUsed => "This authorization code has been used",
        CodeRejection::Expired => "This authorization code has expired",
        CodeRejection::RedirectMismatch => {
            "Error validating verification code. Please make sure your redirect_uri is identical \
             to the one you used in the OAuth dialog request"
        }
    })
}

/// `GET /access_token?grant_type=ig_exchange_token&client_secret=…&access_token=<short-lived>`.
pub(super) fn exchange_for_long_lived(call: &mut Call<'_>) -> Response {
    respond(exchange_for_long_lived_answer(call))
}

fn exchange_for_long_lived_answer(call: &mut Call<'_>) -> Result<Value, GraphError> {
    let request = call.request;
    require_get(call)?;
    if request.param("grant_type") != Some("ig_exchange_token") {
        return Err(GraphError::numbered(100, "Unsupported grant type"));
    }
    if request.param("client_secret") != Some(call.world.config.instagram_app_secret.as_str()) {
        return Err(GraphError::invalid_client_secret());
    }
    // Meta documents this for short-lived tokens; a long-lived one is accepted too, as
    // nothing says it is refused.
    let token = tokens::authenticate(
        &call.state.tokens,
        request.presented_token.as_deref(),
        Network::Instagram,
        call.now,
    )?;
    Ok(issue_long_lived(call, &token))
}

/// `GET /refresh_access_token?grant_type=ig_refresh_token&access_token=<long-lived>`.
pub(super) fn refresh(call: &mut Call<'_>) -> Response {
    respond(refresh_answer(call))
}

fn refresh_answer(call: &mut Call<'_>) -> Result<Value, GraphError> {
    let request = call.request;
    require_get(call)?;
    if request.param("grant_type") != Some("ig_refresh_token") {
        return Err(GraphError::numbered(100, "Unsupported grant type"));
    }
    // Expired tokens fail here with 190/463: they cannot be refreshed, only replaced by a login.
    let token = tokens::authenticate(
        &call.state.tokens,
        request.presented_token.as_deref(),
        Network::Instagram,
        call.now,
    )?;
    // UNCERTAIN: Meta says both refusals happen but not with which code; 100 is a guess (§8.5).
    if token.kind != TokenKind::LongLivedInstagram {
        return Err(GraphError::numbered(
            100,
            "Only long-lived access tokens can be refreshed",
        ));
    }
    if call.now - token.issued_at < Duration::hours(REFRESH_MINIMUM_AGE_HOURS) {
        return Err(GraphError::numbered(
            100,
            "The access token must be at least 24 hours old to be refreshed",
        ));
    }
    Ok(issue_long_lived(call, &token))
}

fn issue_long_lived(call: &mut Call<'_>, from: &TokenRecord) -> Value {
    let record = TokenRecord::mint(
        TokenKind::LongLivedInstagram,
        &from.user_id,
        None,
        from.scopes.clone(),
        call.now,
        Some(Duration::seconds(LONG_LIVED_SECONDS)),
    );
    let token = call.state.issue(record);
    json!({ "access_token": token, "token_type": "bearer", "expires_in": LONG_LIVED_SECONDS })
}

fn require_get(call: &Call<'_>) -> Result<(), GraphError> {
    let request = call.request;
    if request.method == Method::GET {
        Ok(())
    } else {
        let id = request
            .segments
            .first()
            .map(String::as_str)
            .unwrap_or_default();
        Err(GraphError::unsupported_request(&request.method, id))
    }
}

fn respond(answer: Result<Value, GraphError>) -> Response {
    match answer {
        Ok(body) => Json(body).into_response(),
        Err(error) => error.into_response(),
    }
}
