//! `GET /debug_token` (§1.7): what a token is, whose, which scopes, until when — and, for a dead
//! token, why, inside `data` rather than as an error.

use axum::response::{IntoResponse, Response};
use chrono::{DateTime, Duration, Utc};
use serde_json::{Value, json};

use super::dispatch::Call;
use super::errors::GraphError;
use super::tokens::{self, Network, TokenKind, TokenRecord, TokenStatus};
use super::usage::{self, Caller};
use super::world::{APPLICATION_NAME, World};

/// Data access lapses about 90 days after the user last consented (§1.7).
const DATA_ACCESS_DAYS: i64 = 90;

const APP_OR_DEVELOPER_TOKEN_REQUIRED: &str = "You must provide an app access token, or a user access token that is an owner or developer of the app";

pub(super) fn inspect(call: &mut Call<'_>) -> Response {
    let request = call.request;
    let asking_user = match inspector(call) {
        Ok(asking_user) => asking_user,
        Err(error) => return error.into_response(),
    };
    let Some(input_token) = request.param("input_token") else {
        return GraphError::missing_parameter("input_token").into_response();
    };
    let data = match call.state.tokens.get(input_token) {
        Some(record) if record.kind.network() == Network::Facebook => {
            describe(call.world, record, call.now)
        }
        _ => json!({
            "error": {
                "code": 190,
                "subcode": 467,
                "message": GraphError::unparsable_token().message,
            },
            "is_valid": false,
            "scopes": [],
        }),
    };
    let caller = match &asking_user {
        Some(user_token) => Caller::of(user_token),
        None => Caller::App,
    };
    usage::answer(call.state, caller, json!({ "data": data }))
}

/// Who is asking: `None` for the app itself (`{app-id}|{app-secret}`), or a user token of the app.
fn inspector(call: &Call<'_>) -> Result<Option<TokenRecord>, GraphError> {
    let config = &call.world.config;
    let Some(presented) = call.request.presented_token.as_deref() else {
        return Err(GraphError::numbered(100, APP_OR_DEVELOPER_TOKEN_REQUIRED));
    };
    if let Some((app_id, app_secret)) = presented.split_once('|') {
        if app_id == config.facebook_app_id && app_secret == config.facebook_app_secret {
            return Ok(None);
        }
        return Err(GraphError::new(
            190,
            "Invalid OAuth access token signature.",
        ));
    }
    let token = tokens::authenticate(
        &call.state.tokens,
        Some(presented),
        Network::Facebook,
        call.now,
    )?;
    if !token.kind.is_facebook_user() {
        return Err(GraphError::numbered(100, APP_OR_DEVELOPER_TOKEN_REQUIRED));
    }
    Ok(Some(token))
}

fn describe(world: &World, record: &TokenRecord, now: DateTime<Utc>) -> Value {
    let mut data = json!({
        "app_id": world.config.facebook_app_id,
        "type": record.kind.debug_type(),
        "application": APPLICATION_NAME,
        "data_access_expires_at": (record.issued_at + Duration::days(DATA_ACCESS_DAYS)).timestamp(),
        // 0 means never (§1.7, observed convention).
        "expires_at": record.expires_at.map_or(0, |at| at.timestamp()),
        "is_valid": record.status(now) == TokenStatus::Valid,
        "issued_at": record.issued_at.timestamp(),
        "scopes": record.scopes,
        "granular_scopes": granular_scopes(world, record),
        "user_id": record.user_id,
    });
    if let (TokenKind::Page, Some(page_id)) = (record.kind, record.page_id.as_deref()) {
        data["profile_id"] = json!(page_id);
    }
    let failure = match record.status(now) {
        TokenStatus::Valid => None,
        TokenStatus::Revoked { subcode } => Some(GraphError::revoked_token(subcode)),
        TokenStatus::Expired { at } => Some(GraphError::expired_token(at, now)),
    };
    if let Some(failure) = failure {
        data["error"] = json!({
            "code": failure.code,
            "subcode": failure.subcode,
            "message": failure.message,
        });
    }
    data
}

/// Page-scoped permissions name the Pages they cover, Instagram ones the linked accounts;
/// the rest (public_profile, business_management…) name nothing.
fn granular_scopes(world: &World, record: &TokenRecord) -> Vec<Value> {
    let pages: Vec<_> = world
        .pages
        .iter()
        .filter(|page| record.page_id.as_deref().is_none_or(|own| own == page.id))
        .collect();
    let page_ids: Vec<&str> = pages.iter().map(|page| page.id.as_str()).collect();
    let instagram_ids: Vec<&str> = pages
        .iter()
        .filter_map(|page| page.instagram_account.as_ref())
        .map(|account| account.id.as_str())
        .collect();
    record
        .scopes
        .iter()
        .map(|scope| {
            if scope.starts_with("pages_") || scope == "read_insights" {
                json!({ "scope": scope, "target_ids": page_ids })
            } else if scope.starts_with("instagram_") {
                json!({ "scope": scope, "target_ids": instagram_ids })
            } else {
                json!({ "scope": scope })
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sandbox::meta::SandboxConfig;

    fn world() -> World {
        World::seed(SandboxConfig::default(), "http://127.0.0.1:9")
    }

    #[test]
    fn page_tokens_from_long_lived_user_tokens_never_expire_and_name_their_page() {
        let world = world();
        let now = Utc::now();
        let record = TokenRecord::mint(
            TokenKind::Page,
            &world.user.id,
            Some(world.pages[0].id.as_str()),
            vec![
                "pages_manage_posts".to_owned(),
                "instagram_basic".to_owned(),
            ],
            now,
            None,
        );
        let data = describe(&world, &record, now);
        assert_eq!(data["type"], "PAGE");
        assert_eq!(data["expires_at"], 0);
        assert_eq!(data["is_valid"], true);
        assert_eq!(data["profile_id"], world.pages[0].id);
        assert_eq!(
            data["granular_scopes"][0]["target_ids"],
            json!([world.pages[0].id])
        );
        assert_eq!(
            data["granular_scopes"][1]["target_ids"],
            json!(["17841400000000001"])
        );
        assert!(data.get("error").is_none());
    }

    #[test]
    fn revoked_tokens_are_invalid_and_say_why() {
        let world = world();
        let now = Utc::now();
        let mut record = TokenRecord::mint(
            TokenKind::LongLivedUser,
            &world.user.id,
            None,
            vec!["public_profile".to_owned()],
            now,
            Some(Duration::days(60)),
        );
        record.revoked_subcode = Some(460);
        let data = describe(&world, &record, now);
        assert_eq!(data["type"], "USER");
        assert_eq!(data["is_valid"], false);
        assert_eq!(data["error"]["code"], 190);
        assert_eq!(data["error"]["subcode"], 460);
        assert!(data.get("profile_id").is_none());
        assert_eq!(
            data["granular_scopes"][0],
            json!({ "scope": "public_profile" })
        );
    }
}
