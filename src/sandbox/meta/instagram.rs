//! graph.instagram.com reads with an Instagram-Login token (§1.10 step 5): the account's
//! profile. Publishing paths (§1.10 step 6) are handed to `publishing_routes` first.

use axum::http::Method;
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, Utc};
use serde_json::{Map, Value, json};

use super::dispatch::Call;
use super::errors::GraphError;
use super::fields::{self, Field};
use super::figures;
use super::publishing_routes;
use super::state::State;
use super::tokens::{self, Network};
use super::usage::{self, Caller};
use super::world::InstagramCreator;

const DEFAULT_PROFILE_FIELDS: [&str; 1] = ["id"];

pub(super) fn route(call: &mut Call<'_>, segments: &[&str]) -> Response {
    if let Some(response) = publishing_routes::instagram(call, segments) {
        return response;
    }
    let result = match segments {
        [node] => read_profile(call, node),
        [node, edge] => read_edge(call, node, edge),
        _ => Err(GraphError::unknown_path(&call.request.path)),
    };
    result.unwrap_or_else(IntoResponse::into_response)
}

fn read_profile(call: &mut Call<'_>, id: &str) -> Result<Response, GraphError> {
    let (world, request) = (call.world, call.request);
    let caller = authenticate_get(call, id)?;
    let creator = &world.creator;
    if !names_creator(creator, id) {
        return Err(GraphError::unsupported_request(&request.method, id));
    }
    let wanted = match request.param("fields") {
        Some(selector) => fields::parse(selector)?,
        None => fields::defaults(&DEFAULT_PROFILE_FIELDS),
    };
    let body = profile(creator, call.state, &wanted, call.now)?;
    Ok(usage::answer(call.state, Caller::of(&caller), body))
}

fn read_edge(call: &mut Call<'_>, id: &str, edge: &str) -> Result<Response, GraphError> {
    let (world, request) = (call.world, call.request);
    authenticate_get(call, id)?;
    if !names_creator(&world.creator, id) {
        return Err(GraphError::unsupported_request(&request.method, id));
    }
    // Publishing and insights edges were routed before this.
    Err(GraphError::nonexisting_field(edge, "User"))
}

fn authenticate_get(call: &Call<'_>, id: &str) -> Result<tokens::TokenRecord, GraphError> {
    let request = call.request;
    if request.method != Method::GET {
        return Err(GraphError::unsupported_request(&request.method, id));
    }
    tokens::authenticate(
        &call.state.tokens,
        request.presented_token.as_deref(),
        Network::Instagram,
        call.now,
    )
}

/// `me`, the Instagram user id, or the app-scoped id all name the one Instagram-Login account.
pub(super) fn names_creator(creator: &InstagramCreator, id: &str) -> bool {
    id == "me" || id == creator.user_id_text() || id == creator.app_scoped_id
}

fn profile(
    creator: &InstagramCreator,
    state: &State,
    wanted: &[Field],
    now: DateTime<Utc>,
) -> Result<Value, GraphError> {
    let mut object = Map::new();
    object.insert("id".to_owned(), json!(creator.app_scoped_id));
    for field in wanted {
        let value = match field.name.as_str() {
            "id" => json!(creator.app_scoped_id),
            // A string here, unlike the number in the Flat code exchange.
            "user_id" => json!(creator.user_id_text()),
            "username" => json!(creator.username),
            "name" => json!(creator.name),
            "account_type" => json!(state.instagram_account_type),
            "profile_picture_url" => json!(creator.profile_picture_url),
            "biography" => json!("The Instagram-Login account of Herald's Meta sandbox."),
            "website" => json!(""),
            "followers_count" => json!(figures::followers_at(&creator.user_id_text(), now)),
            "follows_count" | "media_count" => json!(0),
            other => return Err(GraphError::nonexisting_field(other, "User")),
        };
        object.insert(field.name.clone(), value);
    }
    Ok(Value::Object(object))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sandbox::meta::SandboxConfig;
    use crate::sandbox::meta::world::World;

    #[test]
    fn the_profile_reports_user_id_as_a_string_and_the_chosen_account_type() {
        let world = World::seed(SandboxConfig::default(), "http://127.0.0.1:9");
        let mut state = State::new(Vec::new());
        state.instagram_account_type = "PERSONAL".to_owned();
        let wanted = fields::parse("user_id,username,account_type").unwrap();
        let body = profile(&world.creator, &state, &wanted, Utc::now()).unwrap();
        assert_eq!(body["user_id"], "17841400000000009");
        assert_eq!(body["username"], "sandbox.creator");
        assert_eq!(body["account_type"], "PERSONAL");
        assert_eq!(body["id"], world.creator.app_scoped_id);
    }

    #[test]
    fn every_name_of_the_account_is_recognised() {
        let world = World::seed(SandboxConfig::default(), "http://127.0.0.1:9");
        assert!(names_creator(&world.creator, "me"));
        assert!(names_creator(&world.creator, "17841400000000009"));
        assert!(names_creator(&world.creator, &world.creator.app_scoped_id));
        assert!(!names_creator(&world.creator, "17841400000000001"));
    }
}
