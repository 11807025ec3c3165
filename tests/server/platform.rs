//! What every request goes through: probes, Origin checks, body limits, headers.

use reqwest::StatusCode;

use crate::helpers::{PASSWORD, spawn_app};

#[tokio::test]
async fn health_and_readiness_probes_answer() {
    let app = spawn_app().await;

    let health = app.client.get(app.url("/healthz")).send().await.unwrap();
    let ready = app.client.get(app.url("/readyz")).send().await.unwrap();

    assert_eq!(health.status(), StatusCode::OK);
    assert_eq!(ready.status(), StatusCode::OK);
    assert_eq!(ready.text().await.unwrap(), "ready");
}

#[tokio::test]
async fn readiness_fails_when_the_database_is_gone() {
    let app = spawn_app().await;
    app.state.db.close().await;

    let ready = app.client.get(app.url("/readyz")).send().await.unwrap();

    assert_eq!(ready.status(), StatusCode::SERVICE_UNAVAILABLE);
}

#[tokio::test]
async fn a_mutation_from_a_foreign_origin_is_refused_and_changes_nothing() {
    let app = spawn_app().await;

    let response = app
        .client
        .post(app.url("/api/sign_up"))
        .header("origin", "https://evil.example")
        .form(&[
            ("display_name", "Mallory"),
            ("email", "mallory@example.org"),
            ("password", PASSWORD),
        ])
        .send()
        .await
        .unwrap();

    assert_eq!(response.status(), StatusCode::FORBIDDEN);
    assert_eq!(app.count("users").await, 0);
}

#[tokio::test]
async fn a_cross_site_request_without_origin_is_refused() {
    let app = spawn_app().await;

    let response = app
        .client
        .post(app.url("/api/sign_out"))
        .header("sec-fetch-site", "cross-site")
        .send()
        .await
        .unwrap();

    assert_eq!(response.status(), StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn a_mutation_from_herald_s_own_origin_is_accepted() {
    let app = spawn_app().await;

    let response = app
        .client
        .post(app.url("/api/sign_up"))
        .header("origin", app.address.clone())
        .form(&[
            ("display_name", "Ada"),
            ("email", "ada@example.org"),
            ("password", PASSWORD),
        ])
        .send()
        .await
        .unwrap();

    assert_eq!(response.status(), StatusCode::OK);
}

#[tokio::test]
async fn a_body_over_two_mebibytes_is_refused_with_413() {
    let app = spawn_app().await;
    let huge_name = "a".repeat(2 * 1024 * 1024 + 1);

    let response = app
        .client
        .post(app.url("/api/sign_up"))
        .form(&[
            ("display_name", huge_name.as_str()),
            ("email", "ada@example.org"),
            ("password", PASSWORD),
        ])
        .send()
        .await
        .unwrap();

    assert_eq!(response.status(), StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(app.count("users").await, 0);
}

#[tokio::test]
async fn responses_carry_a_request_id_and_security_headers() {
    let app = spawn_app().await;

    let response = app.client.get(app.url("/sign-in")).send().await.unwrap();

    assert_eq!(response.status(), StatusCode::OK);
    let headers = response.headers();
    assert!(!headers["x-request-id"].is_empty());
    assert_eq!(headers["x-content-type-options"], "nosniff");
    assert_eq!(headers["x-frame-options"], "DENY");
}

#[tokio::test]
async fn an_unknown_address_is_a_404_page() {
    let app = spawn_app().await;

    let response = app
        .client
        .get(app.url("/no/such/page"))
        .send()
        .await
        .unwrap();

    assert_eq!(response.status(), StatusCode::NOT_FOUND);
    assert!(response.text().await.unwrap().contains("Page not found"));
}
