//! What every request goes through: probes, Origin checks, body limits, headers.

use reqwest::StatusCode;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

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
async fn a_chunked_body_over_two_mebibytes_is_refused_with_413() {
    let app = spawn_app().await;
    let address = app.address.trim_start_matches("http://").to_owned();
    let mut stream = tokio::net::TcpStream::connect(&address).await.unwrap();
    let chunk = vec![b'a'; 2 * 1024 * 1024 + 1];
    let head = format!(
        "POST /api/sign_up HTTP/1.1\r\nHost: {address}\r\n\
         Content-Type: application/x-www-form-urlencoded\r\n\
         Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n{:x}\r\n",
        chunk.len()
    );
    stream.write_all(head.as_bytes()).await.unwrap();
    // The server may answer and close before taking every byte; that is the point.
    let _ = stream.write_all(&chunk).await;
    let _ = stream.write_all(b"\r\n0\r\n\r\n").await;
    let mut response = Vec::new();
    let _ = stream.read_to_end(&mut response).await;

    let status_line = String::from_utf8_lossy(&response)
        .lines()
        .next()
        .unwrap_or_default()
        .to_owned();
    assert_eq!(status_line, "HTTP/1.1 413 Payload Too Large");
    assert_eq!(app.count("users").await, 0);
}

#[tokio::test]
async fn listening_on_all_interfaces_requires_a_public_url() {
    let data_dir = tempfile::tempdir().unwrap();
    let mut config = herald::server::config::Config::from_lookup(|_| None).unwrap();
    config.listen_addr = "0.0.0.0:0".parse().unwrap();
    config.data_dir = data_dir.path().to_path_buf();
    config.database_url = format!(
        "sqlite://{}?mode=rwc",
        data_dir.path().join("herald.db").display()
    );

    let refused = herald::server::startup::Application::build(config).await;

    let message = refused.err().expect("refused").to_string();
    assert!(message.contains("set HERALD_PUBLIC_URL"), "{message}");
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
    let policy = headers["content-security-policy"]
        .to_str()
        .unwrap()
        .to_owned();
    let nonce = policy
        .split("'nonce-")
        .nth(1)
        .and_then(|rest| rest.split('\'').next())
        .expect("a script nonce")
        .to_owned();
    let html = response.text().await.unwrap();
    assert!(
        html.contains(&format!(r#"nonce="{nonce}""#)),
        "scripts carry the nonce"
    );
}

#[tokio::test]
async fn the_app_is_installable_a_manifest_a_worker_and_an_offline_page() {
    let app = spawn_app().await;

    let manifest = app
        .client
        .get(app.url("/manifest.webmanifest"))
        .send()
        .await
        .unwrap();
    let worker = app.client.get(app.url("/sw.js")).send().await.unwrap();
    let offline = app.get_page("/offline").await;
    let sign_in = app.get_page("/sign-in").await.text().await.unwrap();

    assert_eq!(manifest.status(), StatusCode::OK);
    assert_eq!(worker.status(), StatusCode::OK);
    assert!(
        worker.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/javascript")
    );
    assert_eq!(worker.headers()["cache-control"], "no-cache");
    let script = worker.text().await.unwrap();
    assert!(script.starts_with("const VERSION = \""));
    let precached = script
        .split("const PRECACHE = [")
        .nth(1)
        .and_then(|rest| rest.split(']').next())
        .expect("a precache list");
    for personal in ["/api", "/posts", "/settings", "/invitations"] {
        assert!(
            !precached.contains(personal),
            "{personal} must not be cached"
        );
    }
    assert!(precached.contains("\"/offline\""));
    assert_eq!(offline.status(), StatusCode::OK);
    assert!(offline.text().await.unwrap().contains("You are offline"));
    assert!(sign_in.contains(r#"rel="manifest""#));
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

#[tokio::test]
async fn every_page_names_the_address_it_was_rendered_for() {
    let app = spawn_app().await;

    let offline = app.get_page("/offline").await.text().await.unwrap();
    let sign_in = app.get_page("/sign-in").await.text().await.unwrap();

    // The browser app does not take over a page shown at another address (the service
    // worker's offline page stands in for any page).
    assert!(
        offline.contains(r#"<meta name="herald-path" content="/offline""#),
        "{offline}"
    );
    assert!(sign_in.contains(r#"<meta name="herald-path" content="/sign-in""#));
}
