//! English and French: the browser's language first, then the person's own choice, which
//! sticks to the account and follows them to every browser they sign in on.

use herald::error::{AppError, Problem};
use reqwest::StatusCode;
use reqwest::header::{ACCEPT, ACCEPT_LANGUAGE, COOKIE};

use crate::helpers::{
    PASSWORD, TestApp, app_error, browser_like_client, set_cookie_headers, spawn_app,
};

async fn page_in(app: &TestApp, path: &str, accept_language: &str, cookie: Option<&str>) -> String {
    let mut request = browser_like_client()
        .get(app.url(path))
        .header(ACCEPT, "text/html")
        .header(ACCEPT_LANGUAGE, accept_language);
    if let Some(cookie) = cookie {
        request = request.header(COOKIE, cookie);
    }
    let response = request.send().await.unwrap();
    assert_eq!(response.status(), StatusCode::OK, "{path}");
    response.text().await.unwrap()
}

async fn stored_language(app: &TestApp, email: &str) -> Option<String> {
    let (language,): (Option<String>,) =
        sqlx::query_as("SELECT language FROM users WHERE email = $1")
            .bind(email)
            .fetch_one(app.state.db.pool())
            .await
            .unwrap();
    language
}

#[tokio::test]
async fn pages_speak_the_browser_language_until_a_cookie_says_otherwise() {
    let app = spawn_app().await;

    let french = page_in(&app, "/sign-in", "fr-FR,fr;q=0.9,en;q=0.8", None).await;
    let english = page_in(&app, "/sign-in", "en-GB", None).await;
    let unknown = page_in(&app, "/sign-in", "de-DE", None).await;
    let chosen = page_in(&app, "/sign-in", "fr-FR", Some("herald_lang=en")).await;

    assert!(french.contains(r#"<html lang="fr""#), "{french}");
    assert!(french.contains("Mot de passe"));
    assert!(english.contains(r#"<html lang="en""#));
    assert!(english.contains("Password"));
    assert!(unknown.contains(r#"<html lang="en""#), "English by default");
    assert!(chosen.contains("Password"), "the cookie wins");
}

#[tokio::test]
async fn signing_up_keeps_the_language_the_page_was_in() {
    let app = spawn_app().await;
    let client = browser_like_client();

    let response = client
        .post(app.url("/api/sign_up"))
        .header(ACCEPT_LANGUAGE, "fr-CA")
        .form(&[
            ("display_name", "Ada"),
            ("email", "ada@example.org"),
            ("password", PASSWORD),
        ])
        .send()
        .await
        .unwrap();

    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(
        stored_language(&app, "ada@example.org").await.as_deref(),
        Some("fr")
    );
    assert!(
        set_cookie_headers(&response)
            .iter()
            .any(|cookie| cookie.starts_with("herald_lang=fr;")),
        "the browser is told too"
    );
}

#[tokio::test]
async fn the_chosen_language_sticks_and_follows_the_person_to_another_browser() {
    let app = spawn_app().await;
    app.sign_up("Ada", "ada@example.org").await;

    let chosen = app
        .call(&app.client, "set_language", &[("language", "fr")])
        .await;

    assert_eq!(chosen.status(), StatusCode::OK);
    assert!(
        set_cookie_headers(&chosen)
            .iter()
            .any(|cookie| cookie.starts_with("herald_lang=fr;")),
    );
    assert_eq!(
        stored_language(&app, "ada@example.org").await.as_deref(),
        Some("fr")
    );

    // A phone whose browser asks for English gets French once Ada signs in on it.
    let phone = browser_like_client();
    let signed_in = phone
        .post(app.url("/api/sign_in"))
        .header(ACCEPT_LANGUAGE, "en-US")
        .form(&[("email", "ada@example.org"), ("password", PASSWORD)])
        .send()
        .await
        .unwrap();
    assert_eq!(signed_in.status(), StatusCode::OK);
    assert!(
        set_cookie_headers(&signed_in)
            .iter()
            .any(|cookie| cookie.starts_with("herald_lang=fr;")),
        "{:?}",
        set_cookie_headers(&signed_in)
    );
}

#[tokio::test]
async fn an_unknown_language_is_refused_and_changes_nothing() {
    let app = spawn_app().await;
    app.sign_up("Ada", "ada@example.org").await;
    let before = stored_language(&app, "ada@example.org").await;

    let refused = app
        .call(&app.client, "set_language", &[("language", "tlh")])
        .await;

    assert_eq!(refused.status(), StatusCode::BAD_REQUEST);
    assert!(
        set_cookie_headers(&refused)
            .iter()
            .all(|c| !c.starts_with("herald_lang"))
    );
    assert_eq!(
        app_error(refused).await,
        AppError::invalid("language", Problem::LanguageUnknown)
    );
    assert_eq!(stored_language(&app, "ada@example.org").await, before);
}

#[tokio::test]
async fn choosing_a_language_needs_a_session() {
    let app = spawn_app().await;

    let response = app
        .call(
            &browser_like_client(),
            "set_language",
            &[("language", "fr")],
        )
        .await;

    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn without_javascript_the_language_form_redirects_back_to_settings() {
    let app = spawn_app().await;
    app.sign_up("Ada", "ada@example.org").await;

    let response = app
        .submit_plain_form("set_language", "/settings", &[("language", "fr")])
        .await;

    assert_eq!(response.status(), StatusCode::FOUND);
    assert_eq!(response.headers()["location"], "/settings?saved=language");
    let settings = app
        .get_page("/settings?saved=language")
        .await
        .text()
        .await
        .unwrap();
    assert!(
        settings.contains("Votre langue a été enregistrée."),
        "{settings}"
    );
    assert!(settings.contains("Réglages"));
}
