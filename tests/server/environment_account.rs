//! The account given in the environment (`HERALD_FACEBOOK_PAGE_TOKEN`): the owner's workspace
//! shows it, labelled as coming from the server's configuration; nobody else ever sees it, and
//! it cannot be disconnected from the app.

use herald::server::config::{EnvironmentAccount, SignupPolicy};
use reqwest::StatusCode;

use crate::helpers::{PASSWORD, TestOptions, browser_like_client, spawn_app_with};
use crate::meta_client::{long_lived_user_token, setup};

#[tokio::test]
async fn only_the_owner_sees_the_environment_page_and_it_cannot_be_disconnected() {
    // A real Page token, from the sandbox Herald will talk to.
    let meta = setup().await;
    let user_token = long_lived_user_token(&meta).await;
    let page = meta.client.pages(&user_token).await.unwrap().remove(0);
    let app = spawn_app_with(TestOptions {
        signup: SignupPolicy::Open,
        meta: Some(meta.client.config().clone()),
        environment_account: Some(EnvironmentAccount {
            page_token: page.access_token.clone(),
            instagram_account_id: Some("17841400000000001".to_owned()),
        }),
        ..TestOptions::default()
    })
    .await;
    app.sign_up("Ada", "ada@example.org").await;
    let bob = browser_like_client();
    app.sign_up_with(&bob, "Bob", "bob@example.org", PASSWORD, "")
        .await;

    let owner: serde_json::Value = app
        .call(&app.client, "list_accounts", &[])
        .await
        .json()
        .await
        .unwrap();
    let other: serde_json::Value = app
        .call(&bob, "list_accounts", &[])
        .await
        .json()
        .await
        .unwrap();

    let accounts = owner["accounts"].as_array().unwrap();
    assert_eq!(accounts.len(), 2, "{owner}");
    assert!(accounts.iter().all(|a| a["connection"] == "environment"));
    assert!(
        accounts
            .iter()
            .any(|a| a["network"] == "facebook" && a["name"] == page.name.as_str())
    );
    assert!(
        accounts
            .iter()
            .any(|a| a["network"] == "instagram" && a["username"] == "sandbox.insta")
    );
    assert!(other["accounts"].as_array().unwrap().is_empty());

    let id = accounts[0]["id"].as_str().unwrap();
    let refused = app
        .call(&app.client, "disconnect_account", &[("id", id)])
        .await;
    assert_eq!(refused.status(), StatusCode::FORBIDDEN);
    let reconnect = app
        .client
        .get(app.url(&format!("/oauth/facebook/start?reconnect={id}")))
        .send()
        .await
        .unwrap();
    assert_eq!(
        reconnect.headers()["location"],
        "/accounts?problem=wrong_account",
        "a login never replaces the environment's token"
    );
    let tested = app.call(&app.client, "test_account", &[("id", id)]).await;
    assert_eq!(tested.json::<serde_json::Value>().await.unwrap(), "working");
    // Listing again does not add it twice.
    let again: serde_json::Value = app
        .call(&app.client, "list_accounts", &[])
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(again["accounts"].as_array().unwrap().len(), 2);
}
