//! The `herald` command line, run as a real process.

use std::io::Write;
use std::process::{Command, Output, Stdio};

use crate::helpers::{TestApp, browser_like_client, spawn_app};

/// Runs `herald user create` against the test's database, typing `password` on stdin.
fn user_create(app: &TestApp, email: &str, name: &str, password: &str) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_herald"))
        .args(["user", "create", "--email", email, "--name", name])
        .env("DATABASE_URL", app.database_url())
        .env("HERALD_DATA_DIR", &app.state.settings.data_dir)
        .env("HERALD_SIGNUP", "invite")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    writeln!(stdin, "{password}").unwrap();
    drop(stdin);
    child.wait_with_output().unwrap()
}

#[tokio::test]
async fn user_create_adds_a_person_even_when_signup_is_by_invitation() {
    let app = spawn_app().await;
    app.sign_up("Ada", "ada@example.org").await;

    let output = user_create(&app, "bob@example.org", "Bob", "a long enough password");

    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(String::from_utf8_lossy(&output.stdout).contains("Added Bob (bob@example.org)"));
    assert_eq!(app.count("users").await, 2);
    let signed_in = app
        .sign_in_with(
            &browser_like_client(),
            "bob@example.org",
            "a long enough password",
        )
        .await;
    assert_eq!(signed_in.status(), reqwest::StatusCode::OK);
}

#[test]
fn migrate_prepares_a_fresh_database_and_exits() {
    let data_dir = tempfile::tempdir().unwrap();

    let output = Command::new(env!("CARGO_BIN_EXE_herald"))
        .arg("migrate")
        .env("HERALD_DATA_DIR", data_dir.path())
        .env_remove("DATABASE_URL")
        .output()
        .unwrap();

    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(String::from_utf8_lossy(&output.stdout).contains("Migrations applied."));
    assert!(data_dir.path().join("herald.db").exists());
}

#[tokio::test]
async fn user_create_refuses_a_short_password_and_adds_nobody() {
    let app = spawn_app().await;

    let output = user_create(&app, "bob@example.org", "Bob", "short");

    assert!(!output.status.success());
    assert!(String::from_utf8_lossy(&output.stderr).contains("at least 10 characters"));
    assert_eq!(app.count("users").await, 0);
}
