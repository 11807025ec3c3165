//! Connected accounts belong to one workspace: nobody else can list, test, reconnect or
//! disconnect them. Tokens are stored sealed.

use herald::domain::AccountId;
use reqwest::StatusCode;

use herald::server::config::SignupPolicy;

use crate::helpers::{
    PASSWORD, TestApp, TestOptions, browser_like_client, spawn_app, spawn_app_with,
};

const PAGE_TOKEN: &str = crate::helpers::SEEDED_TOKEN;

async fn seed_account(app: &TestApp, client: &reqwest::Client) -> AccountId {
    crate::helpers::seed_account(app, client, "facebook", "Ada's Bakery").await
}

async fn account_names(app: &TestApp, client: &reqwest::Client) -> Vec<String> {
    let response = app.call(client, "list_accounts", &[]).await;
    assert_eq!(response.status(), StatusCode::OK);
    let overview: serde_json::Value = response.json().await.unwrap();
    overview["accounts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|account| account["name"].as_str().unwrap().to_owned())
        .collect()
}

#[tokio::test]
async fn a_second_person_cannot_see_or_touch_the_first_persons_accounts() {
    let app = spawn_app_with(TestOptions {
        signup: SignupPolicy::Open,
        ..TestOptions::default()
    })
    .await;
    app.sign_up("Ada", "ada@example.org").await;
    let account = seed_account(&app, &app.client).await;
    let bob = browser_like_client();
    let joined = app
        .sign_up_with(&bob, "Bob", "bob@example.org", PASSWORD, "")
        .await;
    assert_eq!(joined.status(), StatusCode::OK);

    assert_eq!(account_names(&app, &app.client).await, ["Ada's Bakery"]);
    assert!(account_names(&app, &bob).await.is_empty());

    let test = app
        .call(&bob, "test_account", &[("id", account.as_str())])
        .await;
    assert_eq!(test.status(), StatusCode::FORBIDDEN);
    let disconnect = app
        .call(&bob, "disconnect_account", &[("id", account.as_str())])
        .await;
    assert_eq!(disconnect.status(), StatusCode::FORBIDDEN);
    let reconnect = bob
        .get(app.url(&format!("/oauth/facebook/start?reconnect={account}")))
        .send()
        .await
        .unwrap();
    assert_eq!(reconnect.status(), StatusCode::SEE_OTHER);
    assert_eq!(
        reconnect.headers()["location"],
        "/accounts?problem=wrong_account"
    );

    // Nor can Bob use a pick page that is not his.
    let picked = bob
        .post(app.url("/accounts/pick"))
        .form(&[("batch", "someone-elses"), ("offer", account.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(picked.headers()["location"], "/accounts?problem=stale");
    let offers = app
        .call(&bob, "list_offers", &[("batch", "someone-elses")])
        .await;
    assert_eq!(
        offers.json::<serde_json::Value>().await.unwrap(),
        serde_json::json!([])
    );

    assert_eq!(account_names(&app, &app.client).await, ["Ada's Bakery"]);
}

#[tokio::test]
async fn the_accounts_endpoints_need_a_session() {
    let app = spawn_app().await;
    let stranger = browser_like_client();
    for endpoint in [
        "list_accounts",
        "test_account",
        "disconnect_account",
        "list_offers",
    ] {
        let response = app
            .call(&stranger, endpoint, &[("id", "x"), ("batch", "x")])
            .await;
        assert_eq!(response.status(), StatusCode::UNAUTHORIZED, "{endpoint}");
    }
    for path in [
        "/oauth/facebook/start",
        "/oauth/facebook/callback?state=x&code=y",
    ] {
        let response = stranger.get(app.url(path)).send().await.unwrap();
        assert_eq!(response.headers()["location"], "/sign-in", "{path}");
    }
}

#[tokio::test]
async fn disconnecting_forgets_the_tokens_and_hides_the_account() {
    let app = spawn_app().await;
    app.sign_up("Ada", "ada@example.org").await;
    let account = seed_account(&app, &app.client).await;

    let response = app
        .call(
            &app.client,
            "disconnect_account",
            &[("id", account.as_str())],
        )
        .await;

    assert_eq!(response.status(), StatusCode::OK);
    assert!(account_names(&app, &app.client).await.is_empty());
    let (status, token): (String, Option<String>) =
        sqlx::query_as("SELECT status, access_token FROM social_accounts WHERE id = $1")
            .bind(account.as_str())
            .fetch_one(app.state.db.pool())
            .await
            .unwrap();
    assert_eq!(status, "disconnected");
    assert_eq!(token, None);
}

#[tokio::test]
async fn tokens_are_stored_sealed_never_in_clear() {
    let app = spawn_app().await;
    app.sign_up("Ada", "ada@example.org").await;
    let account = seed_account(&app, &app.client).await;

    let (stored,): (String,) =
        sqlx::query_as("SELECT access_token FROM social_accounts WHERE id = $1")
            .bind(account.as_str())
            .fetch_one(app.state.db.pool())
            .await
            .unwrap();

    assert!(!stored.contains(PAGE_TOKEN));
    assert!(stored.starts_with("v1."));
    let listed = app
        .call(&app.client, "list_accounts", &[])
        .await
        .text()
        .await
        .unwrap();
    assert!(!listed.contains(PAGE_TOKEN) && !listed.contains(&stored));
}

#[tokio::test]
async fn the_owner_is_shown_the_redirect_uris_to_register_with_meta() {
    let app = spawn_app_with(TestOptions {
        signup: SignupPolicy::Open,
        public_url: Some("https://herald.example.com"),
        ..TestOptions::default()
    })
    .await;
    app.sign_up("Ada", "ada@example.org").await;
    let bob = browser_like_client();
    app.sign_up_with(&bob, "Bob", "bob@example.org", PASSWORD, "")
        .await;

    let owner = app.session(&app.client).await.unwrap();
    let other = app.session(&bob).await.unwrap();

    assert_eq!(
        owner["oauth_redirect_uris"],
        serde_json::json!([
            "https://herald.example.com/oauth/facebook/callback",
            "https://herald.example.com/oauth/instagram/callback"
        ])
    );
    assert_eq!(other["oauth_redirect_uris"], serde_json::json!([]));
}
