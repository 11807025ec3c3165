//! graph.facebook.com reads (§1.4–§1.6): `/me`, `/me/permissions`, `/me/accounts` and the
//! Page and Instagram account nodes, each answering only the fields asked for. Publishing
//! paths are handed to `publishing_routes` first.

use axum::http::Method;
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, Utc};
use serde_json::{Map, Value, json};

use super::dispatch::Call;
use super::errors::GraphError;
use super::fields::{self, Field};
use super::figures;
use super::paging;
use super::request::Incoming;
use super::state::State;
use super::tokens::{self, Network, TokenRecord};
use super::usage::{self, Caller};
use super::world::{
    PAGE_CATEGORY, PAGE_CATEGORY_ID, PAGE_TASKS, SandboxInstagramAccount, SandboxPage, World,
};
use super::{debug_token, oauth, publishing_routes};

/// What `/me/accounts` returns when `fields` is absent.
const DEFAULT_ACCOUNT_FIELDS: [&str; 6] = [
    "access_token",
    "category",
    "category_list",
    "name",
    "id",
    "tasks",
];
const DEFAULT_NODE_FIELDS: [&str; 2] = ["id", "name"];
const DEFAULT_INSTAGRAM_ACCOUNT_FIELDS: [&str; 1] = ["id"];

/// Without it, `/me/accounts` is not an error but an empty list, as on Graph.
const PAGES_LIST_SCOPE: &str = "pages_show_list";

pub(super) fn route(call: &mut Call<'_>, segments: &[&str]) -> Response {
    if let Some(response) = publishing_routes::facebook(call, segments) {
        return response;
    }
    let result = match segments {
        ["oauth", "access_token"] => return oauth::access_token(call),
        ["debug_token"] => return debug_token::inspect(call),
        [node] => read_node(call, node),
        [node, edge] => read_edge(call, node, edge),
        _ => Err(GraphError::unknown_path(&call.request.path)),
    };
    result.unwrap_or_else(IntoResponse::into_response)
}

/// What an id names, once the token's right to see it is checked.
enum Node<'w> {
    User,
    Page(&'w SandboxPage),
    InstagramAccount(&'w SandboxInstagramAccount),
}

fn read_node(call: &mut Call<'_>, id: &str) -> Result<Response, GraphError> {
    let (world, request) = (call.world, call.request);
    let caller = authenticate_get(call)?;
    let requested = requested_fields(request)?;
    let body = match resolve(world, &caller, id, &request.method)? {
        Node::User => {
            let wanted = requested.unwrap_or_else(|| fields::defaults(&DEFAULT_NODE_FIELDS));
            user_fields(world, &wanted)?
        }
        Node::Page(page) => {
            let wanted = requested.unwrap_or_else(|| fields::defaults(&DEFAULT_NODE_FIELDS));
            page_fields(call.state, &caller, page, &wanted, call.now)?
        }
        Node::InstagramAccount(account) => {
            let wanted =
                requested.unwrap_or_else(|| fields::defaults(&DEFAULT_INSTAGRAM_ACCOUNT_FIELDS));
            instagram_account_fields(account, &wanted, call.now)?
        }
    };
    Ok(usage::answer(call.state, Caller::of(&caller), body))
}

fn read_edge(call: &mut Call<'_>, id: &str, edge: &str) -> Result<Response, GraphError> {
    let (world, request) = (call.world, call.request);
    let caller = authenticate_get(call)?;
    let body = match (resolve(world, &caller, id, &request.method)?, edge) {
        (Node::User, "accounts") => accounts(call, &caller)?,
        (Node::User, "permissions") => permissions(&caller),
        (Node::User, other) => return Err(GraphError::nonexisting_field(other, "User")),
        // A Page token on /me/accounts lands here: Graph answers it exactly so.
        (Node::Page(_), other) => return Err(GraphError::nonexisting_field(other, "Page")),
        (Node::InstagramAccount(_), other) => {
            return Err(GraphError::nonexisting_field(other, "IGUser"));
        }
    };
    Ok(usage::answer(call.state, Caller::of(&caller), body))
}

/// Reads are GETs: Graph takes a POST to a node as an attempt to change it.
fn authenticate_get(call: &Call<'_>) -> Result<TokenRecord, GraphError> {
    let request = call.request;
    if request.method != Method::GET {
        let id = request
            .segments
            .first()
            .map(String::as_str)
            .unwrap_or_default();
        return Err(GraphError::unsupported_request(&request.method, id));
    }
    tokens::authenticate(
        &call.state.tokens,
        request.presented_token.as_deref(),
        Network::Facebook,
        call.now,
    )
}

fn requested_fields(request: &Incoming) -> Result<Option<Vec<Field>>, GraphError> {
    request.param("fields").map(fields::parse).transpose()
}

fn resolve<'w>(
    world: &'w World,
    caller: &TokenRecord,
    id: &str,
    method: &Method,
) -> Result<Node<'w>, GraphError> {
    let own_page = caller
        .page_id
        .as_deref()
        .and_then(|page_id| world.page(page_id));
    if id == "me" {
        return Ok(match own_page {
            Some(page) => Node::Page(page),
            None => Node::User,
        });
    }
    if id == world.user.id && caller.kind.is_facebook_user() {
        return Ok(Node::User);
    }
    // A user token sees every Page the user manages; a Page token only its own Page.
    let may_see = |page: &SandboxPage| {
        caller.kind.is_facebook_user() || caller.page_id.as_deref() == Some(page.id.as_str())
    };
    if let Some(page) = world.page(id).filter(|page| may_see(page)) {
        return Ok(Node::Page(page));
    }
    if let Some((_, account)) = world
        .instagram_account(id)
        .filter(|(page, _)| may_see(page))
    {
        return Ok(Node::InstagramAccount(account));
    }
    Err(GraphError::unsupported_request(method, id))
}

fn user_fields(world: &World, wanted: &[Field]) -> Result<Value, GraphError> {
    let user = &world.user;
    let mut object = Map::new();
    object.insert("id".to_owned(), json!(user.id));
    for field in wanted {
        let value = match field.name.as_str() {
            "id" => json!(user.id),
            "name" => json!(user.name),
            "first_name" => json!("Sandbox"),
            "last_name" => json!("Tester"),
            "short_name" => json!("Sandbox"),
            "picture" => picture(&user.picture_url, field),
            other => return Err(GraphError::nonexisting_field(other, "User")),
        };
        object.insert(field.name.clone(), value);
    }
    Ok(Value::Object(object))
}

fn page_fields(
    state: &mut State,
    caller: &TokenRecord,
    page: &SandboxPage,
    wanted: &[Field],
    now: DateTime<Utc>,
) -> Result<Value, GraphError> {
    let mut object = Map::new();
    object.insert("id".to_owned(), json!(page.id));
    for field in wanted {
        let value = match field.name.as_str() {
            "id" => json!(page.id),
            "name" => json!(page.name),
            "username" => json!(page.username),
            "category" => json!(PAGE_CATEGORY),
            "category_list" => json!([{ "id": PAGE_CATEGORY_ID, "name": PAGE_CATEGORY }]),
            "tasks" => json!(PAGE_TASKS),
            "link" => json!(format!("https://www.facebook.com/{}", page.username)),
            "followers_count" => json!(figures::followers_at(&page.id, now)),
            "fan_count" => json!(figures::fans_at(&page.id, now)),
            "picture" => picture(&page.picture_url, field),
            "access_token" => {
                let token = if caller.kind.is_facebook_user() {
                    state.page_token_for(caller, &page.id, now)
                } else {
                    // A Page token asking for its own Page's token gets itself back.
                    caller.value.clone()
                };
                json!(token)
            }
            "instagram_business_account" => match &page.instagram_account {
                Some(account) => {
                    let wanted = if field.children.is_empty() {
                        fields::defaults(&DEFAULT_INSTAGRAM_ACCOUNT_FIELDS)
                    } else {
                        field.children.clone()
                    };
                    instagram_account_fields(account, &wanted, now)?
                }
                // Absent, not null, when no professional account is linked (§1.6).
                None => continue,
            },
            other => return Err(GraphError::nonexisting_field(other, "Page")),
        };
        object.insert(field.name.clone(), value);
    }
    Ok(Value::Object(object))
}

fn instagram_account_fields(
    account: &SandboxInstagramAccount,
    wanted: &[Field],
    now: DateTime<Utc>,
) -> Result<Value, GraphError> {
    let mut object = Map::new();
    object.insert("id".to_owned(), json!(account.id));
    for field in wanted {
        let value = match field.name.as_str() {
            "id" => json!(account.id),
            "username" => json!(account.username),
            "name" => json!(account.name),
            "profile_picture_url" => json!(account.profile_picture_url),
            "biography" => json!("An Instagram account of Herald's Meta sandbox."),
            "followers_count" => json!(figures::followers_at(&account.id, now)),
            "follows_count" | "media_count" => json!(0),
            other => return Err(GraphError::nonexisting_field(other, "IGUser")),
        };
        object.insert(field.name.clone(), value);
    }
    Ok(Value::Object(object))
}

/// `picture`, `picture.type(large)`, `picture.width(n)`: the size only changes what is reported.
fn picture(url: &str, field: &Field) -> Value {
    let by_type = match field.modifier("type") {
        Some("large") => 200,
        Some("normal") => 100,
        _ => 50,
    };
    let size = field
        .modifier("width")
        .or_else(|| field.modifier("height"))
        .and_then(|size| size.parse::<u32>().ok())
        .unwrap_or(by_type);
    json!({ "data": { "height": size, "width": size, "is_silhouette": false, "url": url } })
}

fn permissions(caller: &TokenRecord) -> Value {
    let data: Vec<Value> = caller
        .scopes
        .iter()
        .map(|scope| json!({ "permission": scope, "status": "granted" }))
        .collect();
    json!({ "data": data })
}

fn accounts(call: &mut Call<'_>, caller: &TokenRecord) -> Result<Value, GraphError> {
    let (world, request) = (call.world, call.request);
    let wanted =
        requested_fields(request)?.unwrap_or_else(|| fields::defaults(&DEFAULT_ACCOUNT_FIELDS));
    let limit = paging::parse_limit(request.param("limit"))?;
    let visible: Vec<&SandboxPage> = if caller.has_scope(PAGES_LIST_SCOPE) {
        world.pages.iter().collect()
    } else {
        Vec::new()
    };
    let ids: Vec<&str> = visible.iter().map(|page| page.id.as_str()).collect();
    let window = paging::window(&ids, limit, request.param("after"), request.param("before"))?;
    let mut data = Vec::with_capacity(window.len());
    for page in &visible[window.clone()] {
        data.push(page_fields(call.state, caller, page, &wanted, call.now)?);
    }
    let link = paging::repeating(&world.base_url, request, &caller.value, limit);
    let mut body = json!({ "data": data });
    if let Some(links) = paging::paging(&ids, window, link) {
        body["paging"] = links;
    }
    Ok(body)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sandbox::meta::SandboxConfig;
    use crate::sandbox::meta::tokens::TokenKind;

    fn world() -> World {
        World::seed(SandboxConfig::default(), "http://127.0.0.1:9")
    }

    fn user_token(world: &World) -> TokenRecord {
        TokenRecord::mint(
            TokenKind::LongLivedUser,
            &world.user.id,
            None,
            vec!["pages_show_list".to_owned()],
            Utc::now(),
            None,
        )
    }

    #[test]
    fn only_requested_fields_and_the_id_are_returned() {
        let world = world();
        let wanted = fields::parse("name").unwrap();
        let user = user_fields(&world, &wanted).unwrap();
        assert_eq!(
            user,
            json!({ "id": world.user.id, "name": "Sandbox Tester" })
        );
    }

    #[test]
    fn unknown_fields_are_refused_like_graph_does() {
        let world = world();
        let wanted = fields::parse("id,birthday").unwrap();
        let error = user_fields(&world, &wanted).unwrap_err();
        assert_eq!(
            error.message,
            "(#100) Tried accessing nonexisting field (birthday) on node type (User)"
        );
    }

    #[test]
    fn the_instagram_field_is_absent_on_pages_without_a_linked_account() {
        let world = world();
        let mut state = State::new(Vec::new());
        let caller = user_token(&world);
        let wanted = fields::parse("instagram_business_account{id,username}").unwrap();
        let linked =
            page_fields(&mut state, &caller, &world.pages[0], &wanted, Utc::now()).unwrap();
        assert_eq!(
            linked["instagram_business_account"]["username"],
            "sandbox.insta"
        );
        let unlinked =
            page_fields(&mut state, &caller, &world.pages[1], &wanted, Utc::now()).unwrap();
        assert!(unlinked.get("instagram_business_account").is_none());
        assert_eq!(unlinked["id"], world.pages[1].id);
    }

    #[test]
    fn a_page_token_sees_only_its_own_page() {
        let world = world();
        let page_token = TokenRecord::mint(
            TokenKind::Page,
            &world.user.id,
            Some(world.pages[0].id.as_str()),
            Vec::new(),
            Utc::now(),
            None,
        );
        assert!(matches!(
            resolve(&world, &page_token, "me", &Method::GET),
            Ok(Node::Page(page)) if page.id == world.pages[0].id
        ));
        assert!(matches!(
            resolve(&world, &page_token, "17841400000000001", &Method::GET),
            Ok(Node::InstagramAccount(_))
        ));
        let error = resolve(&world, &page_token, &world.pages[1].id, &Method::GET)
            .err()
            .unwrap();
        assert_eq!((error.code, error.subcode), (100, Some(33)));
    }

    #[test]
    fn large_pictures_report_their_size() {
        let field = fields::parse("picture.type(large)").unwrap().remove(0);
        let value = picture("http://127.0.0.1:9/_sandbox/avatars/1.svg", &field);
        assert_eq!(value["data"]["width"], 200);
        assert_eq!(
            value["data"]["url"],
            "http://127.0.0.1:9/_sandbox/avatars/1.svg"
        );
    }
}
