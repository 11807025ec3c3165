//! The install window: while a Herald has no owner, a stranger who reaches it first must not
//! claim it. `HERALD_OWNER_EMAIL` reserves the first account for one address; without it, a
//! Herald listening beyond loopback asks for the setup link it printed.

use chrono::Utc;
use herald::domain::membership::SignupStatus;
use herald::domain::{DisplayName, EmailAddress, Password};
use herald::error::{AppError, Problem};
use herald::server::auth::signup::{self, Admission, FirstAccount, SignUpForm};
use herald::server::config::SignupPolicy;
use reqwest::StatusCode;

use crate::helpers::{PASSWORD, TestApp, TestOptions, spawn_app, spawn_app_with};

fn form(email: &str) -> SignUpForm {
    SignUpForm {
        display_name: DisplayName::parse("Someone").unwrap(),
        email: EmailAddress::parse(email).unwrap(),
        password: Password::parse_new(PASSWORD.to_owned()).unwrap(),
        language: None,
    }
}

async fn register_through_the_page(
    app: &TestApp,
    email: &str,
    setup: Option<&str>,
    rule: &FirstAccount,
) -> Result<signup::Registered, AppError> {
    signup::register(
        &app.state.db,
        &app.state.passwords,
        SignupPolicy::Invite,
        Utc::now(),
        &form(email),
        Admission::Browser {
            invite: None,
            setup,
            first_account: rule,
        },
    )
    .await
}

#[tokio::test]
async fn only_the_owner_email_may_create_the_first_account() {
    let app = spawn_app_with(TestOptions {
        owner_email: Some("owner@example.org"),
        ..TestOptions::default()
    })
    .await;
    let told: serde_json::Value = app
        .call(&app.client, "get_signup_status", &[])
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(
        told,
        serde_json::to_value(SignupStatus::FirstAccountForOwnerEmail).unwrap(),
        "the page says so before anything is typed"
    );
    let stranger = app.sign_up("Mallory", "mallory@example.org").await;
    assert_eq!(stranger.status(), StatusCode::FORBIDDEN);
    let body = stranger.text().await.unwrap();
    assert!(body.contains("owner_email_only"), "{body}");
    assert_eq!(app.count("users").await, 0, "nothing is stored");

    let owner = app.sign_up("Olive", "owner@example.org").await;
    assert_eq!(owner.status(), StatusCode::OK);
    let session = app.session(&app.client).await.expect("signed in");
    assert_eq!(session["is_owner"], true);
}

#[tokio::test]
async fn a_herald_reached_from_other_machines_asks_for_its_setup_link() {
    let app = spawn_app().await;
    let everywhere = "0.0.0.0:3000".parse().unwrap();
    let (rule, token) = FirstAccount::for_listener(None, everywhere, false);
    let token = token.expect("a setup link is made");

    let without = register_through_the_page(&app, "mallory@example.org", None, &rule).await;
    assert_eq!(
        without.err(),
        Some(AppError::Refused(Problem::SetupLinkNeeded))
    );
    let forged = register_through_the_page(&app, "mallory@example.org", Some("guess"), &rule).await;
    assert_eq!(
        forged.err(),
        Some(AppError::Refused(Problem::SetupLinkNeeded))
    );
    assert_eq!(app.count("users").await, 0);

    let owner = register_through_the_page(&app, "ada@example.org", Some(token.expose()), &rule)
        .await
        .expect("the link admits");
    assert!(owner.is_owner);
}

#[test]
fn loopback_and_the_sandbox_keep_the_first_come_rule() {
    let loopback = "127.0.0.1:3000".parse().unwrap();
    let everywhere = "0.0.0.0:3000".parse().unwrap();
    assert_eq!(
        FirstAccount::for_listener(None, loopback, false).0,
        FirstAccount::Anyone
    );
    assert_eq!(
        FirstAccount::for_listener(None, everywhere, true).0,
        FirstAccount::Anyone
    );
    assert!(matches!(
        FirstAccount::for_listener(None, everywhere, false).0,
        FirstAccount::SetupLink { .. }
    ));
    let owner = EmailAddress::parse("owner@example.org").unwrap();
    assert_eq!(
        FirstAccount::for_listener(Some(owner.clone()), everywhere, false).0,
        FirstAccount::OwnerEmail(owner)
    );
}

#[test]
fn the_sign_up_page_says_beforehand_what_the_first_account_needs() {
    let everywhere = "0.0.0.0:3000".parse().unwrap();
    let (rule, token) = FirstAccount::for_listener(None, everywhere, false);
    let token = token.unwrap();
    assert_eq!(rule.status(None), SignupStatus::SetupLinkNeeded);
    assert_eq!(rule.status(Some("guess")), SignupStatus::SetupLinkNeeded);
    assert_eq!(
        rule.status(Some(token.expose())),
        SignupStatus::FirstAccount
    );
    assert_eq!(
        FirstAccount::Anyone.status(None),
        SignupStatus::FirstAccount
    );
    let owner = EmailAddress::parse("owner@example.org").unwrap();
    assert_eq!(
        FirstAccount::OwnerEmail(owner).status(None),
        SignupStatus::FirstAccountForOwnerEmail
    );
}
