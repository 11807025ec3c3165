//! Connecting accounts end to end through Herald's routes, with the sandbox as Meta: start →
//! dialog → callback → pick → listed. Cancel, a replayed `state` and a `state` from another
//! session each end on the Accounts page with a problem and no account added.

use reqwest::{Client, StatusCode};
use url::Url;

use crate::helpers::dialog::answer_dialog;
use crate::helpers::{TestApp, TestOptions, browser_like_client, spawn_app_with};

pub(crate) async fn app_with_sandbox() -> TestApp {
    let app = spawn_app_with(TestOptions {
        sandbox: true,
        ..TestOptions::default()
    })
    .await;
    app.sign_up("Ada", "ada@example.org").await;
    app
}

pub(crate) fn location(response: &reqwest::Response) -> String {
    response.headers()["location"].to_str().unwrap().to_owned()
}

/// `/oauth/{login}/start` for `client`: returns Meta's (the sandbox's) dialog URL.
pub(crate) async fn start(app: &TestApp, client: &Client, login: &str) -> Url {
    let response = client
        .get(app.url(&format!("/oauth/{login}/start")))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    Url::parse(&location(&response)).unwrap()
}

/// Follows Meta's redirect back to Herald and returns where Herald sends the browser next.
pub(crate) async fn come_back(client: &Client, callback: &Url) -> String {
    let response = client.get(callback.clone()).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::SEE_OTHER, "{callback}");
    location(&response)
}

/// Logs in at the sandbox as Ada, presses Continue, and returns the pick page's batch.
pub(crate) async fn batch_after_login(app: &TestApp, login: &str) -> String {
    let dialog = start(app, &app.client, login).await;
    let callback = answer_dialog(dialog, "continue").await;
    let next = come_back(&app.client, &callback).await;
    next.strip_prefix("/accounts/pick?batch=")
        .unwrap_or_else(|| panic!("expected the pick page, got {next}"))
        .to_owned()
}

pub(crate) async fn offers(app: &TestApp, client: &Client, batch: &str) -> Vec<serde_json::Value> {
    let response = app.call(client, "list_offers", &[("batch", batch)]).await;
    assert_eq!(response.status(), StatusCode::OK);
    response.json().await.unwrap()
}

pub(crate) async fn listed(app: &TestApp, client: &Client) -> Vec<serde_json::Value> {
    let response = app.call(client, "list_accounts", &[]).await;
    let overview: serde_json::Value = response.json().await.unwrap();
    overview["accounts"].as_array().unwrap().clone()
}

pub(crate) async fn pick(app: &TestApp, client: &Client, batch: &str, ids: &[String]) -> String {
    let mut form = vec![("batch".to_owned(), batch.to_owned())];
    form.extend(ids.iter().map(|id| ("offer".to_owned(), id.clone())));
    let response = client
        .post(app.url("/accounts/pick"))
        .form(&form)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    location(&response)
}

#[tokio::test]
async fn facebook_pages_and_their_instagram_account_are_connected_after_picking() {
    let app = app_with_sandbox().await;
    let dialog = start(&app, &app.client, "facebook").await;
    let callback = answer_dialog(dialog, "continue").await;
    let next = come_back(&app.client, &callback).await;
    let batch = next
        .strip_prefix("/accounts/pick?batch=")
        .unwrap_or_else(|| panic!("{next}"))
        .to_owned();

    let offered = offers(&app, &app.client, &batch).await;
    // Three Pages, one of them with an Instagram account.
    assert_eq!(offered.len(), 4, "{offered:?}");
    let ids: Vec<String> = offered
        .iter()
        .map(|offer| offer["id"].as_str().unwrap().to_owned())
        .collect();
    let done = pick(&app, &app.client, &batch, &ids).await;

    assert_eq!(done, "/accounts?done=added&count=4");
    let accounts = listed(&app, &app.client).await;
    assert_eq!(accounts.len(), 4);
    assert!(
        accounts
            .iter()
            .any(|a| a["network"] == "instagram" && a["username"] == "sandbox.insta")
    );
    assert!(accounts.iter().all(|a| a["status"] == "active"));
    // The pick page cannot be used twice.
    assert!(offers(&app, &app.client, &batch).await.is_empty());
}

#[tokio::test]
async fn no_token_the_sandbox_issued_is_stored_in_clear_or_sent_to_the_browser() {
    let app = app_with_sandbox().await;
    let batch = batch_after_login(&app, "facebook").await;
    let offer_json = app
        .call(&app.client, "list_offers", &[("batch", &batch)])
        .await
        .text()
        .await
        .unwrap();
    let ids: Vec<String> = serde_json::from_str::<Vec<serde_json::Value>>(&offer_json)
        .unwrap()
        .iter()
        .map(|offer| offer["id"].as_str().unwrap().to_owned())
        .collect();
    pick(&app, &app.client, &batch, &ids).await;
    let accounts_json = app
        .call(&app.client, "list_accounts", &[])
        .await
        .text()
        .await
        .unwrap();
    let page = app.get_page("/accounts").await.text().await.unwrap();

    let issued = app.sandbox.as_ref().unwrap().meta().issued_tokens();
    assert!(!issued.is_empty());
    let columns: Vec<(Option<String>, Option<String>)> =
        sqlx::query_as("SELECT access_token, user_token FROM social_accounts")
            .fetch_all(app.state.db.pool())
            .await
            .unwrap();
    assert_eq!(columns.len(), 4);
    for token in &issued {
        for (access, user) in &columns {
            assert!(
                !access
                    .as_deref()
                    .unwrap_or_default()
                    .contains(token.as_str())
            );
            assert!(!user.as_deref().unwrap_or_default().contains(token.as_str()));
        }
        for shown in [&offer_json, &accounts_json, &page] {
            assert!(
                !shown.contains(token.as_str()),
                "a token reached the browser"
            );
        }
    }
}

#[tokio::test]
async fn cancel_at_meta_adds_nothing_and_says_so() {
    let app = app_with_sandbox().await;
    let dialog = start(&app, &app.client, "facebook").await;

    let callback = answer_dialog(dialog, "cancel").await;
    let next = come_back(&app.client, &callback).await;

    assert_eq!(next, "/accounts?problem=canceled");
    assert!(listed(&app, &app.client).await.is_empty());
    let page = app.get_page(&next).await.text().await.unwrap();
    assert!(page.contains("Connecting was canceled at Meta. Nothing was added."));
}

#[tokio::test]
async fn a_replayed_state_is_refused() {
    let app = app_with_sandbox().await;
    let dialog = start(&app, &app.client, "facebook").await;
    let callback = answer_dialog(dialog, "continue").await;
    let first = come_back(&app.client, &callback).await;
    assert!(first.starts_with("/accounts/pick?batch="));

    let replayed = come_back(&app.client, &callback).await;

    assert_eq!(replayed, "/accounts?problem=stale");
}

#[tokio::test]
async fn a_state_from_another_session_is_refused_and_used_up() {
    let app = spawn_app_with(TestOptions {
        sandbox: true,
        signup: herald::server::config::SignupPolicy::Open,
        ..TestOptions::default()
    })
    .await;
    app.sign_up("Ada", "ada@example.org").await;
    let mallory = browser_like_client();
    app.sign_up_with(
        &mallory,
        "Mallory",
        "mallory@example.org",
        crate::helpers::PASSWORD,
        "",
    )
    .await;
    // Mallory starts a login and tricks Ada into finishing it.
    let dialog = start(&app, &mallory, "facebook").await;
    let callback = answer_dialog(dialog, "continue").await;

    let at_ada = come_back(&app.client, &callback).await;
    let at_mallory = come_back(&mallory, &callback).await;

    assert_eq!(at_ada, "/accounts?problem=stale");
    assert_eq!(
        at_mallory, "/accounts?problem=stale",
        "the state was used up"
    );
    assert!(listed(&app, &app.client).await.is_empty());
    assert!(listed(&app, &mallory).await.is_empty());
}

#[tokio::test]
async fn instagram_login_connects_a_professional_account() {
    let app = app_with_sandbox().await;
    let batch = batch_after_login(&app, "instagram").await;
    let offered = offers(&app, &app.client, &batch).await;
    assert_eq!(offered.len(), 1);
    assert_eq!(offered[0]["refusal"], serde_json::Value::Null);

    pick(
        &app,
        &app.client,
        &batch,
        &[offered[0]["id"].as_str().unwrap().to_owned()],
    )
    .await;

    let accounts = listed(&app, &app.client).await;
    assert_eq!(accounts[0]["connection"], "instagram_login");
    assert!(accounts[0]["token_expires_at"].is_i64());
}

#[tokio::test]
async fn a_personal_instagram_account_is_offered_but_refused_with_the_reason() {
    let app = app_with_sandbox().await;
    app.sandbox
        .as_ref()
        .unwrap()
        .meta()
        .set_instagram_account_type("PERSONAL");
    let batch = batch_after_login(&app, "instagram").await;

    let offered = offers(&app, &app.client, &batch).await;
    let done = pick(
        &app,
        &app.client,
        &batch,
        &[offered[0]["id"].as_str().unwrap().to_owned()],
    )
    .await;

    assert_eq!(offered[0]["refusal"], "personal_instagram");
    assert_eq!(done, "/accounts?done=added&count=0");
    assert!(listed(&app, &app.client).await.is_empty());
}

#[tokio::test]
async fn test_connection_and_reconnect_keep_the_account_and_follow_its_token() {
    let app = app_with_sandbox().await;
    let batch = batch_after_login(&app, "facebook").await;
    let offered = offers(&app, &app.client, &batch).await;
    let page = offered
        .iter()
        .find(|offer| offer["network"] == "facebook")
        .unwrap();
    pick(
        &app,
        &app.client,
        &batch,
        &[page["id"].as_str().unwrap().to_owned()],
    )
    .await;
    let account = listed(&app, &app.client).await.remove(0);
    let id = account["id"].as_str().unwrap().to_owned();

    let working = app.call(&app.client, "test_account", &[("id", &id)]).await;
    assert_eq!(
        working.json::<serde_json::Value>().await.unwrap(),
        "working"
    );

    // Meta revokes every token (say, the password changed): the test notices.
    let sandbox = app.sandbox.as_ref().unwrap();
    for token in sandbox.meta().issued_tokens() {
        sandbox.meta().revoke_token(&token, 460);
    }
    let refused = app.call(&app.client, "test_account", &[("id", &id)]).await;
    assert_eq!(
        refused.json::<serde_json::Value>().await.unwrap(),
        "needs_reconnect"
    );
    assert_eq!(
        listed(&app, &app.client).await[0]["status"],
        "needs_reconnect"
    );

    // Reconnecting logs in again and puts fresh tokens on the same account.
    let response = app
        .client
        .get(app.url(&format!("/oauth/facebook/start?reconnect={id}")))
        .send()
        .await
        .unwrap();
    let dialog = Url::parse(&location(&response)).unwrap();
    let callback = answer_dialog(dialog, "continue").await;
    assert_eq!(
        come_back(&app.client, &callback).await,
        "/accounts?done=reconnected"
    );
    let after = listed(&app, &app.client).await;
    assert_eq!(after.len(), 1);
    assert_eq!(after[0]["id"], id.as_str());
    assert_eq!(after[0]["status"], "active");
    let working = app.call(&app.client, "test_account", &[("id", &id)]).await;
    assert_eq!(
        working.json::<serde_json::Value>().await.unwrap(),
        "working"
    );
}

/// Collects everything Herald logs, at debug level, into memory.
#[derive(Clone, Default)]
struct CapturedLogs(std::sync::Arc<std::sync::Mutex<Vec<u8>>>);

impl std::io::Write for CapturedLogs {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(bytes);
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[tokio::test]
async fn no_token_reaches_the_logs_even_at_debug_level() {
    let logs = CapturedLogs::default();
    let writer = logs.clone();
    // Under nextest each test is its own process; under `cargo test` another test may have
    // installed nothing (tests do not init telemetry), so this is the only subscriber.
    let _ = tracing_subscriber::fmt()
        .with_env_filter("debug")
        .with_writer(move || writer.clone())
        .try_init();
    let app = app_with_sandbox().await;
    let batch = batch_after_login(&app, "facebook").await;
    let ids: Vec<String> = offers(&app, &app.client, &batch)
        .await
        .iter()
        .map(|offer| offer["id"].as_str().unwrap().to_owned())
        .collect();
    pick(&app, &app.client, &batch, &ids).await;
    let id = listed(&app, &app.client).await[0]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    app.call(&app.client, "test_account", &[("id", &id)]).await;

    let captured = String::from_utf8_lossy(&logs.0.lock().unwrap()).into_owned();
    assert!(
        captured.contains("/oauth/facebook/callback"),
        "the logs were captured"
    );
    for token in app.sandbox.as_ref().unwrap().meta().issued_tokens() {
        assert!(!captured.contains(&token), "a token reached the logs");
    }
}
