//! Invitation links: the owner's way to let people in when sign-up is invite-only.

use herald::error::{AppError, Problem};
use reqwest::{Client, Response, StatusCode};

use crate::helpers::{PASSWORD, TestApp, app_error, browser_like_client, spawn_app};

async fn invitation_token(app: &TestApp) -> String {
    let response = app.call(&app.client, "create_invitation", &[]).await;
    assert_eq!(response.status(), StatusCode::OK);
    let created: serde_json::Value = response.json().await.unwrap();
    let link = url::Url::parse(created["link"].as_str().unwrap()).unwrap();
    assert_eq!(link.path(), "/sign-up");
    link.query_pairs()
        .find(|(key, _)| key == "invite")
        .map(|(_, token)| token.into_owned())
        .expect("the link carries a token")
}

/// Signs up through an invitation link, as the person named by `email`.
async fn join_with(app: &TestApp, client: &Client, email: &str, token: &str) -> Response {
    let name = email.split('@').next().unwrap();
    app.sign_up_with(client, name, email, PASSWORD, token).await
}

#[tokio::test]
async fn an_invitation_link_lets_exactly_one_person_in() {
    let app = spawn_app().await;
    app.sign_up("Ada", "ada@example.org").await;
    let token = invitation_token(&app).await;
    let bob = browser_like_client();

    let accepted = app
        .sign_up_with(&bob, "Bob", "bob@example.org", PASSWORD, &token)
        .await;
    let reused = join_with(&app, &browser_like_client(), "eve@example.org", &token).await;

    assert_eq!(accepted.status(), StatusCode::OK);
    assert_eq!(app.session(&bob).await.unwrap()["is_owner"], false);
    assert_eq!(reused.status(), StatusCode::FORBIDDEN);
    assert_eq!(
        app_error(reused).await,
        AppError::Refused(Problem::InvitationUnusable)
    );
    assert_eq!(app.count("users").await, 2);
}

#[tokio::test]
async fn an_expired_invitation_is_refused() {
    let app = spawn_app().await;
    app.sign_up("Ada", "ada@example.org").await;
    let token = invitation_token(&app).await;
    app.clock.advance(chrono::Duration::days(8));

    let response = join_with(&app, &browser_like_client(), "bob@example.org", &token).await;

    assert_eq!(response.status(), StatusCode::FORBIDDEN);
    assert_eq!(app.count("users").await, 1);
}

#[tokio::test]
async fn only_the_owner_can_make_or_list_invitations() {
    let app = spawn_app().await;
    app.sign_up("Ada", "ada@example.org").await;
    let token = invitation_token(&app).await;
    let bob = browser_like_client();
    join_with(&app, &bob, "bob@example.org", &token).await;
    let stranger = browser_like_client();

    for endpoint in ["create_invitation", "list_invitations"] {
        let member = app.call(&bob, endpoint, &[]).await;
        assert_eq!(member.status(), StatusCode::FORBIDDEN, "{endpoint}");
        let anonymous = app.call(&stranger, endpoint, &[]).await;
        assert_eq!(anonymous.status(), StatusCode::UNAUTHORIZED, "{endpoint}");
    }
    assert_eq!(app.count("invitations").await, 1);
}

#[tokio::test]
async fn the_owner_sees_who_used_each_invitation_but_not_its_token_after_the_first_showing() {
    let app = spawn_app().await;
    app.sign_up("Ada", "ada@example.org").await;
    let token = invitation_token(&app).await;
    join_with(&app, &browser_like_client(), "bob@example.org", &token).await;

    let first_showing = app.call(&app.client, "list_invitations", &[]).await;
    assert!(first_showing.text().await.unwrap().contains(&token));

    let response = app.call(&app.client, "list_invitations", &[]).await;

    let body = response.text().await.unwrap();
    assert!(!body.contains(&token));
    let list: serde_json::Value = serde_json::from_str(&body).unwrap();
    assert_eq!(list["invitations"][0]["accepted_by"], "bob@example.org");
}

#[tokio::test]
async fn the_listing_shows_a_new_link_once() {
    let app = spawn_app().await;
    app.sign_up("Ada", "ada@example.org").await;
    let token = invitation_token(&app).await;

    let first: serde_json::Value = app
        .call(&app.client, "list_invitations", &[])
        .await
        .json()
        .await
        .unwrap();
    let second: serde_json::Value = app
        .call(&app.client, "list_invitations", &[])
        .await
        .json()
        .await
        .unwrap();

    let link = first["new_link"].as_str().expect("the new link, once");
    assert!(
        link.ends_with(&format!("/sign-up?invite={token}")),
        "{link}"
    );
    assert!(second["new_link"].is_null());
}

#[tokio::test]
async fn the_sign_up_page_says_when_signup_is_invite_only() {
    let app = spawn_app().await;
    app.sign_up("Ada", "ada@example.org").await;

    let html = browser_like_client()
        .get(app.url("/sign-up"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();

    assert!(html.contains("This Herald is invite-only."));
    assert!(!html.contains("Create account</button>"));
}
