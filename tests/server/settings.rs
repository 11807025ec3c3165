//! A person's own settings: name, time zone, password, sessions.

use herald::error::{AppError, Problem};
use reqwest::StatusCode;

use crate::helpers::{PASSWORD, TestApp, app_error, browser_like_client, spawn_app};

const NEW_PASSWORD: &str = "a brand new passphrase";

/// Changes the signed-in person's password from `app.client`.
async fn change_password(app: &TestApp, current: &str, new: &str) -> reqwest::Response {
    app.call(
        &app.client,
        "change_password",
        &[("current_password", current), ("new_password", new)],
    )
    .await
}

#[tokio::test]
async fn a_person_can_rename_themselves_but_not_to_nothing() {
    let app = spawn_app().await;
    app.sign_up("Ada", "ada@example.org").await;

    let renamed = app
        .call(
            &app.client,
            "rename_person",
            &[("display_name", "Ada Lovelace")],
        )
        .await;
    let emptied = app
        .call(&app.client, "rename_person", &[("display_name", "  ")])
        .await;

    assert_eq!(renamed.status(), StatusCode::OK);
    assert_eq!(emptied.status(), StatusCode::BAD_REQUEST);
    assert_eq!(app_error(emptied).await.field(), Some("display_name"));
    let session = app.session(&app.client).await.unwrap();
    assert_eq!(session["display_name"], "Ada Lovelace");
}

#[tokio::test]
async fn the_time_zone_is_utc_until_a_known_zone_is_chosen() {
    let app = spawn_app().await;
    app.sign_up("Ada", "ada@example.org").await;
    assert_eq!(
        app.session(&app.client).await.unwrap()["time_zone"]["name"],
        "UTC"
    );

    let unknown = app
        .call(
            &app.client,
            "set_time_zone",
            &[("time_zone", "Mars/Olympus")],
        )
        .await;
    assert_eq!(unknown.status(), StatusCode::BAD_REQUEST);
    assert_eq!(app_error(unknown).await.field(), Some("time_zone"));
    assert_eq!(
        app.session(&app.client).await.unwrap()["time_zone"]["name"],
        "UTC"
    );

    let paris = app
        .call(
            &app.client,
            "set_time_zone",
            &[("time_zone", "Europe/Paris")],
        )
        .await;
    assert_eq!(paris.status(), StatusCode::OK);
    assert_eq!(
        app.session(&app.client).await.unwrap()["time_zone"]["name"],
        "Europe/Paris"
    );
}

#[tokio::test]
async fn a_wrong_current_password_changes_nothing() {
    let app = spawn_app().await;
    app.sign_up("Ada", "ada@example.org").await;

    let response = change_password(&app, "not the password", NEW_PASSWORD).await;

    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
    assert_eq!(
        app_error(response).await,
        AppError::invalid("current_password", Problem::WrongCurrentPassword)
    );
    let old_still_works = app
        .sign_in_with(&browser_like_client(), "ada@example.org", PASSWORD)
        .await;
    assert_eq!(old_still_works.status(), StatusCode::OK);
}

#[tokio::test]
async fn guesses_at_the_account_from_elsewhere_do_not_block_a_password_change() {
    let app = spawn_app().await;
    app.sign_up("Ada", "ada@example.org").await;
    for _ in 0..30 {
        app.sign_in_with(&browser_like_client(), "ada@example.org", "guess")
            .await;
    }

    let response = change_password(&app, PASSWORD, NEW_PASSWORD).await;

    assert_eq!(response.status(), StatusCode::OK);
}

#[tokio::test]
async fn a_short_new_password_is_refused() {
    let app = spawn_app().await;
    app.sign_up("Ada", "ada@example.org").await;

    let response = change_password(&app, PASSWORD, "short").await;

    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
    assert_eq!(app_error(response).await.field(), Some("new_password"));
}

#[tokio::test]
async fn changing_the_password_keeps_this_session_and_ends_the_others() {
    let app = spawn_app().await;
    app.sign_up("Ada", "ada@example.org").await;
    let phone = browser_like_client();
    app.sign_in_with(&phone, "ada@example.org", PASSWORD).await;

    let response = change_password(&app, PASSWORD, NEW_PASSWORD).await;

    assert_eq!(response.status(), StatusCode::OK);
    assert!(app.session(&app.client).await.is_some());
    assert!(app.session(&phone).await.is_none());
    let with_old = app
        .sign_in_with(&browser_like_client(), "ada@example.org", PASSWORD)
        .await;
    assert_eq!(with_old.status(), StatusCode::BAD_REQUEST);
    let with_new = app
        .sign_in_with(&browser_like_client(), "ada@example.org", NEW_PASSWORD)
        .await;
    assert_eq!(with_new.status(), StatusCode::OK);
}

#[tokio::test]
async fn the_sessions_list_marks_this_device_and_shows_no_token() {
    let app = spawn_app().await;
    app.sign_up("Ada", "ada@example.org").await;
    app.sign_in_with(&browser_like_client(), "ada@example.org", PASSWORD)
        .await;

    let response = app.call(&app.client, "list_sessions", &[]).await;

    assert_eq!(response.status(), StatusCode::OK);
    let body = response.text().await.unwrap();
    assert!(!body.contains("token"));
    let list: serde_json::Value = serde_json::from_str(&body).unwrap();
    let list = list.as_array().unwrap();
    assert_eq!(list.len(), 2);
    assert_eq!(list.iter().filter(|s| s["current"] == true).count(), 1);
}

#[tokio::test]
async fn sign_out_everywhere_ends_every_session() {
    let app = spawn_app().await;
    app.sign_up("Ada", "ada@example.org").await;
    let phone = browser_like_client();
    app.sign_in_with(&phone, "ada@example.org", PASSWORD).await;

    let response = app.call(&app.client, "sign_out_everywhere", &[]).await;

    assert_eq!(response.status(), StatusCode::OK);
    assert!(app.session(&app.client).await.is_none());
    assert!(app.session(&phone).await.is_none());
    assert_eq!(app.count("sessions").await, 0);
}

#[tokio::test]
async fn settings_need_a_session() {
    let app = spawn_app().await;
    let stranger = browser_like_client();

    for (endpoint, form) in [
        ("rename_person", vec![("display_name", "Mallory")]),
        ("set_time_zone", vec![("time_zone", "Europe/Paris")]),
        (
            "change_password",
            vec![("current_password", "x"), ("new_password", NEW_PASSWORD)],
        ),
        ("list_sessions", vec![]),
        ("sign_out_everywhere", vec![]),
    ] {
        let response = app.call(&stranger, endpoint, &form).await;
        assert_eq!(response.status(), StatusCode::UNAUTHORIZED, "{endpoint}");
    }
}
