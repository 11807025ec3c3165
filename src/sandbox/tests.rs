//! Walks through the Meta sandbox over real loopback HTTP, the way Herald's client will.

mod publishing;

use std::collections::HashMap;

use chrono::Duration;
use reqwest::redirect::Policy;
use serde_json::{Value, json};
use tokio::net::TcpListener;
use url::Url;

use super::Sandbox;
use super::meta::{Fault, FaultKind, InstagramExchangeShape, SandboxConfig};

const REDIRECT: &str = "http://127.0.0.1:3000/connect/meta/callback";
const FACEBOOK_APP: &str = "sandbox-facebook-app";
const FACEBOOK_SECRET: &str = "sandbox-facebook-secret";
const INSTAGRAM_APP: &str = "sandbox-instagram-app";
const INSTAGRAM_SECRET: &str = "sandbox-instagram-secret";
const PAGE_SCOPES: &str =
    "pages_show_list,pages_read_engagement,pages_manage_posts,instagram_basic";

async fn start() -> Sandbox {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let config = SandboxConfig {
        redirect_uris: vec![REDIRECT.to_owned()],
        ..SandboxConfig::default()
    };
    Sandbox::start(listener, config).await.unwrap()
}

/// Redirects are the subject under test, so they are never followed.
fn client() -> reqwest::Client {
    reqwest::Client::builder()
        .redirect(Policy::none())
        .build()
        .unwrap()
}

fn query_of(location: &str) -> HashMap<String, String> {
    Url::parse(location)
        .unwrap()
        .query_pairs()
        .into_owned()
        .collect()
}

async fn json_of(response: reqwest::Response) -> Value {
    response.json().await.unwrap()
}

/// Opens the dialog, presses `decision`, and returns where the browser is sent.
async fn facebook_consent(sandbox: &Sandbox, scope: &str, decision: &str) -> String {
    let client = client();
    let www = sandbox.urls().facebook_www;
    let dialog_parameters = [
        ("client_id", FACEBOOK_APP),
        ("redirect_uri", REDIRECT),
        ("state", "nonce 1"),
        ("scope", scope),
        ("response_type", "code"),
    ];
    let dialog = client
        .get(format!("{www}/v23.0/dialog/oauth"))
        .query(&dialog_parameters)
        .send()
        .await
        .unwrap();
    assert_eq!(dialog.status(), 200);
    let page = dialog.text().await.unwrap();
    assert!(page.contains("Sandbox Tester"));
    assert!(page.contains(">Continue</button>") && page.contains(">Cancel</button>"));
    assert!(!page.contains("<script"));

    let mut form = dialog_parameters.to_vec();
    form.push(("decision", decision));
    let confirmed = client
        .post(format!("{www}/dialog/oauth/confirm"))
        .form(&form)
        .send()
        .await
        .unwrap();
    assert_eq!(confirmed.status(), 302);
    confirmed.headers()["location"].to_str().unwrap().to_owned()
}

async fn facebook_code(sandbox: &Sandbox, scope: &str) -> String {
    let location = facebook_consent(sandbox, scope, "continue").await;
    assert!(location.starts_with(REDIRECT));
    assert!(location.ends_with("#_=_"));
    let query = query_of(&location);
    assert_eq!(query["state"], "nonce 1");
    query["code"].clone()
}

async fn exchange_code(sandbox: &Sandbox, code: &str, secret: &str) -> reqwest::Response {
    client()
        .get(format!(
            "{}/v23.0/oauth/access_token",
            sandbox.urls().facebook_graph
        ))
        .query(&[
            ("client_id", FACEBOOK_APP),
            ("redirect_uri", REDIRECT),
            ("client_secret", secret),
            ("code", code),
        ])
        .send()
        .await
        .unwrap()
}

async fn long_lived_user_token(sandbox: &Sandbox) -> String {
    let code = facebook_code(sandbox, PAGE_SCOPES).await;
    let short = json_of(exchange_code(sandbox, &code, FACEBOOK_SECRET).await).await;
    let long = client()
        .get(format!(
            "{}/v23.0/oauth/access_token",
            sandbox.urls().facebook_graph
        ))
        .query(&[
            ("grant_type", "fb_exchange_token"),
            ("client_id", FACEBOOK_APP),
            ("client_secret", FACEBOOK_SECRET),
            ("fb_exchange_token", short["access_token"].as_str().unwrap()),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(long.status(), 200);
    json_of(long).await["access_token"]
        .as_str()
        .unwrap()
        .to_owned()
}

async fn graph_get(sandbox: &Sandbox, path: &str, token: &str) -> reqwest::Response {
    client()
        .get(format!("{}/v23.0/{path}", sandbox.urls().facebook_graph))
        .bearer_auth(token)
        .send()
        .await
        .unwrap()
}

#[tokio::test]
async fn the_code_is_exchanged_once_for_a_short_lived_user_token() {
    let sandbox = start().await;
    let code = facebook_code(&sandbox, PAGE_SCOPES).await;

    let wrong_secret = exchange_code(&sandbox, &code, "guessed").await;
    assert_eq!(wrong_secret.status(), 400);
    let error = json_of(wrong_secret).await;
    assert_eq!(error["error"]["code"], 1);
    assert_eq!(error["error"]["message"], "Error validating client secret.");

    let token = json_of(exchange_code(&sandbox, &code, FACEBOOK_SECRET).await).await;
    assert!(token["access_token"].as_str().unwrap().starts_with("EAAB"));
    assert_eq!(token["token_type"], "bearer");
    assert_eq!(token["expires_in"], 5_183_944);

    let reused = json_of(exchange_code(&sandbox, &code, FACEBOOK_SECRET).await).await;
    assert_eq!(reused["error"]["code"], 100);
    assert_eq!(reused["error"]["error_subcode"], 36009);
}

#[tokio::test]
async fn the_redirect_uri_must_match_the_dialogs() {
    let sandbox = start().await;
    let code = facebook_code(&sandbox, PAGE_SCOPES).await;
    let mismatch = client()
        .get(format!(
            "{}/oauth/access_token",
            sandbox.urls().facebook_graph
        ))
        .query(&[
            ("client_id", FACEBOOK_APP),
            ("redirect_uri", "http://127.0.0.1:3000/elsewhere"),
            ("client_secret", FACEBOOK_SECRET),
            ("code", code.as_str()),
        ])
        .send()
        .await
        .unwrap();
    let error = json_of(mismatch).await;
    assert_eq!(error["error"]["error_subcode"], 36008);
}

#[tokio::test]
async fn an_expired_code_is_refused() {
    let sandbox = start().await;
    let code = facebook_code(&sandbox, PAGE_SCOPES).await;
    sandbox.meta().age_token(&code, Duration::minutes(11));
    let error = json_of(exchange_code(&sandbox, &code, FACEBOOK_SECRET).await).await;
    assert_eq!(error["error"]["error_subcode"], 36007);
}

#[tokio::test]
async fn cancelling_redirects_with_meta_denial_parameters() {
    let sandbox = start().await;
    let location = facebook_consent(&sandbox, PAGE_SCOPES, "cancel").await;
    let query = query_of(&location);
    assert_eq!(query["error"], "access_denied");
    assert_eq!(query["error_reason"], "user_denied");
    assert_eq!(query["error_description"], "Permissions error");
    assert_eq!(query["state"], "nonce 1");
    assert!(!query.contains_key("code"));
}

#[tokio::test]
async fn an_unregistered_redirect_uri_gets_an_error_page_and_no_redirect() {
    let sandbox = start().await;
    let response = client()
        .get(format!(
            "{}/v23.0/dialog/oauth",
            sandbox.urls().facebook_www
        ))
        .query(&[
            ("client_id", FACEBOOK_APP),
            ("redirect_uri", "http://evil.example/callback"),
            ("scope", "pages_show_list"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 400);
    assert!(response.headers().get("location").is_none());
    assert!(response.text().await.unwrap().contains("URL blocked"));
}

#[tokio::test]
async fn pages_are_listed_with_cursor_paging_and_never_expiring_page_tokens() {
    let sandbox = start().await;
    let user_token = long_lived_user_token(&sandbox).await;
    let first = graph_get(
        &sandbox,
        "me/accounts?fields=id,name,access_token,tasks,picture.type(large)&limit=2",
        &user_token,
    )
    .await;
    assert_eq!(first.status(), 200);
    assert!(first.headers().contains_key("x-app-usage"));
    let first = json_of(first).await;
    assert_eq!(first["data"].as_array().unwrap().len(), 2);
    assert_eq!(first["data"][0]["name"], "Sandbox Page 1");
    assert_eq!(first["data"][0]["tasks"][3], "CREATE_CONTENT");
    assert_eq!(first["data"][0]["picture"]["data"]["width"], 200);
    assert!(first["paging"]["cursors"]["after"].is_string());
    let next = first["paging"]["next"].as_str().unwrap();
    assert!(next.starts_with(&sandbox.urls().facebook_graph));

    // `next` already carries the token: it is followed exactly as given.
    let second = json_of(client().get(next).send().await.unwrap()).await;
    assert_eq!(second["data"].as_array().unwrap().len(), 1);
    assert_eq!(second["data"][0]["id"], "1000000000000003");
    assert!(second["paging"].get("next").is_none());

    let page_token = first["data"][0]["access_token"].as_str().unwrap();
    let app_token = format!("{FACEBOOK_APP}|{FACEBOOK_SECRET}");
    let debug = client()
        .get(format!(
            "{}/v23.0/debug_token",
            sandbox.urls().facebook_graph
        ))
        .query(&[
            ("input_token", page_token),
            ("access_token", app_token.as_str()),
        ])
        .send()
        .await
        .unwrap();
    let debug = json_of(debug).await;
    assert_eq!(debug["data"]["type"], "PAGE");
    assert_eq!(debug["data"]["expires_at"], 0);
    assert_eq!(debug["data"]["is_valid"], true);
    assert_eq!(debug["data"]["profile_id"], "1000000000000001");
}

#[tokio::test]
async fn a_page_token_cannot_list_accounts_but_sees_its_instagram_account() {
    let sandbox = start().await;
    let user_token = long_lived_user_token(&sandbox).await;
    let pages = json_of(graph_get(&sandbox, "me/accounts", &user_token).await).await;
    let page_token = pages["data"][0]["access_token"]
        .as_str()
        .unwrap()
        .to_owned();

    let refused = graph_get(&sandbox, "me/accounts", &page_token).await;
    assert_eq!(refused.status(), 400);
    assert_eq!(
        json_of(refused).await["error"]["message"],
        "(#100) Tried accessing nonexisting field (accounts) on node type (Page)"
    );

    let linked = graph_get(
        &sandbox,
        "1000000000000001?fields=instagram_business_account{id,username,profile_picture_url}",
        &page_token,
    )
    .await;
    assert!(linked.headers().contains_key("x-business-use-case-usage"));
    let linked = json_of(linked).await;
    assert_eq!(
        linked["instagram_business_account"]["id"],
        "17841400000000001"
    );
    assert_eq!(
        linked["instagram_business_account"]["username"],
        "sandbox.insta"
    );

    let unlinked = graph_get(
        &sandbox,
        "1000000000000002?fields=instagram_business_account",
        &user_token,
    )
    .await;
    let unlinked = json_of(unlinked).await;
    assert_eq!(unlinked, json!({ "id": "1000000000000002" }));

    let other_page = graph_get(&sandbox, "1000000000000002?fields=name", &page_token).await;
    let error = json_of(other_page).await;
    assert_eq!(error["error"]["error_subcode"], 33);
}

#[tokio::test]
async fn revoked_tokens_answer_190_with_their_subcode() {
    let sandbox = start().await;
    let user_token = long_lived_user_token(&sandbox).await;
    sandbox.meta().revoke_token(&user_token, 460);
    let error = json_of(graph_get(&sandbox, "me?fields=id,name", &user_token).await).await;
    assert_eq!(error["error"]["code"], 190);
    assert_eq!(error["error"]["error_subcode"], 460);

    let unknown = json_of(graph_get(&sandbox, "me", "EAABnothing").await).await;
    assert_eq!(unknown["error"]["error_subcode"], 467);
}

#[tokio::test]
async fn queued_faults_answer_instead_and_are_used_up() {
    let sandbox = start().await;
    let user_token = long_lived_user_token(&sandbox).await;
    sandbox.meta().inject(Fault::once(
        "/graph.facebook.com/v23.0/me",
        FaultKind::GraphError {
            status: 500,
            code: 2,
            subcode: None,
            is_transient: Some(true),
            message: "(#2) Service temporarily unavailable".to_owned(),
            headers: vec![(
                "x-app-usage".to_owned(),
                r#"{"call_count":100,"total_time":10,"total_cputime":10}"#.to_owned(),
            )],
        },
    ));
    // The same fault, through the HTTP control API.
    let queued = client()
        .post(format!("{}/_sandbox/faults", sandbox.base_url()))
        .json(&json!({
            "path_contains": "/me",
            "kind": { "type": "status", "status": 502, "body": "<html>Bad Gateway</html>" }
        }))
        .send()
        .await
        .unwrap();
    assert!(queued.status().is_success());

    let transient = graph_get(&sandbox, "me", &user_token).await;
    assert_eq!(transient.status(), 500);
    assert!(
        transient.headers()["x-app-usage"]
            .to_str()
            .unwrap()
            .contains("100")
    );
    assert_eq!(json_of(transient).await["error"]["is_transient"], true);

    let gateway = graph_get(&sandbox, "me", &user_token).await;
    assert_eq!(gateway.status(), 502);

    let normal = json_of(graph_get(&sandbox, "me?fields=id,name,picture", &user_token).await).await;
    assert_eq!(normal["name"], "Sandbox Tester");
    assert_eq!(normal["picture"]["data"]["is_silhouette"], false);

    let log = json_of(
        client()
            .get(format!("{}/_sandbox/log", sandbox.base_url()))
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert!(log["issued_tokens"].as_array().unwrap().len() >= 2);
    let requests = log["requests"].as_array().unwrap();
    assert!(requests.iter().any(|request| {
        request["host"] == "graph.facebook.com" && request["path"] == "/v23.0/me"
    }));
}

/// Opens the Instagram dialog, presses Continue, and returns the code.
async fn instagram_code(sandbox: &Sandbox) -> String {
    let client = client();
    let parameters = [
        ("client_id", INSTAGRAM_APP),
        ("redirect_uri", REDIRECT),
        ("response_type", "code"),
        (
            "scope",
            "instagram_business_basic,instagram_business_content_publish",
        ),
        ("state", "ig"),
    ];
    let www = sandbox.urls().instagram_www;
    let dialog = client
        .get(format!("{www}/oauth/authorize"))
        .query(&parameters)
        .send()
        .await
        .unwrap();
    assert!(dialog.text().await.unwrap().contains("sandbox.creator"));
    let mut form = parameters.to_vec();
    form.push(("decision", "continue"));
    let confirmed = client
        .post(format!("{www}/oauth/authorize/confirm"))
        .form(&form)
        .send()
        .await
        .unwrap();
    let location = confirmed.headers()["location"].to_str().unwrap().to_owned();
    assert!(location.ends_with("#_"));
    query_of(&location)["code"].clone()
}

async fn instagram_exchange(sandbox: &Sandbox, code: &str) -> Value {
    let response = client()
        .post(format!(
            "{}/oauth/access_token",
            sandbox.urls().instagram_api
        ))
        .form(&[
            ("client_id", INSTAGRAM_APP),
            ("client_secret", INSTAGRAM_SECRET),
            ("grant_type", "authorization_code"),
            ("redirect_uri", REDIRECT),
            ("code", code),
        ])
        .send()
        .await
        .unwrap();
    json_of(response).await
}

#[tokio::test]
async fn instagram_login_yields_a_refreshable_long_lived_token() {
    let sandbox = start().await;
    let code = instagram_code(&sandbox).await;
    let flat = instagram_exchange(&sandbox, &code).await;
    assert_eq!(flat["user_id"].as_u64(), Some(17_841_400_000_000_009));
    assert_eq!(flat["permissions"][0], "instagram_business_basic");
    let short = flat["access_token"].as_str().unwrap();
    assert!(short.starts_with("IGAA"));

    let reused = instagram_exchange(&sandbox, &code).await;
    assert_eq!(reused["error_type"], "OAuthException");
    assert_eq!(reused["code"], 400);

    let graph = sandbox.urls().instagram_graph;
    let long = client()
        .get(format!("{graph}/access_token"))
        .query(&[
            ("grant_type", "ig_exchange_token"),
            ("client_secret", INSTAGRAM_SECRET),
            ("access_token", short),
        ])
        .send()
        .await
        .unwrap();
    let long = json_of(long).await;
    assert_eq!(long["expires_in"], 5_184_000);
    let long_token = long["access_token"].as_str().unwrap().to_owned();

    let refresh = |token: String| {
        let graph = graph.clone();
        async move {
            let response = client()
                .get(format!("{graph}/refresh_access_token"))
                .query(&[
                    ("grant_type", "ig_refresh_token"),
                    ("access_token", token.as_str()),
                ])
                .send()
                .await
                .unwrap();
            json_of(response).await
        }
    };
    let too_early = refresh(long_token.clone()).await;
    assert_eq!(too_early["error"]["code"], 100);
    sandbox.meta().age_token(&long_token, Duration::hours(25));
    let refreshed = refresh(long_token.clone()).await;
    assert!(
        refreshed["access_token"]
            .as_str()
            .unwrap()
            .starts_with("IGAA")
    );
    sandbox.meta().age_token(&long_token, Duration::days(61));
    let expired = refresh(long_token.clone()).await;
    assert_eq!(expired["error"]["error_subcode"], 463);

    let me = client()
        .get(format!("{graph}/v23.0/me"))
        .query(&[
            (
                "fields",
                "user_id,username,account_type,profile_picture_url",
            ),
            ("access_token", refreshed["access_token"].as_str().unwrap()),
        ])
        .send()
        .await
        .unwrap();
    assert!(me.headers().contains_key("x-business-use-case-usage"));
    let me = json_of(me).await;
    assert_eq!(me["user_id"], "17841400000000009");
    assert_eq!(me["account_type"], "BUSINESS");
    assert!(me["id"].is_string());
}

#[tokio::test]
async fn the_documented_wrapped_exchange_shape_can_be_switched_on() {
    let sandbox = start().await;
    sandbox
        .meta()
        .set_instagram_exchange_shape(InstagramExchangeShape::Wrapped);
    let code = instagram_code(&sandbox).await;
    let wrapped = instagram_exchange(&sandbox, &code).await;
    let entry = &wrapped["data"][0];
    assert_eq!(entry["user_id"], "17841400000000009");
    assert_eq!(
        entry["permissions"],
        "instagram_business_basic,instagram_business_content_publish"
    );
}

#[tokio::test]
async fn avatars_are_served_for_seeded_profiles() {
    let sandbox = start().await;
    let pages = sandbox.meta().pages();
    let avatar = client().get(&pages[0].picture_url).send().await.unwrap();
    assert_eq!(avatar.status(), 200);
    assert_eq!(avatar.headers()["content-type"], "image/svg+xml");
    let missing = client()
        .get(format!("{}/_sandbox/avatars/42.svg", sandbox.base_url()))
        .send()
        .await
        .unwrap();
    assert_eq!(missing.status(), 404);
}
