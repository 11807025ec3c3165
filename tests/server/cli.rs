//! The `herald` command line, run as a real process.

use std::io::Write;
use std::process::{Command, Stdio};

use herald::server::config::SignupPolicy;

use crate::helpers::{TestOptions, spawn_app_with};

#[tokio::test]
async fn user_create_adds_a_person_even_when_signup_is_by_invitation() {
    let app = spawn_app_with(TestOptions {
        signup: SignupPolicy::Invite,
        ..TestOptions::default()
    })
    .await;
    app.sign_up("Ada", "ada@example.org").await;
    let database_url = app.database_url().to_owned();

    let mut child = Command::new(env!("CARGO_BIN_EXE_herald"))
        .args(["user", "create", "--email", "bob@example.org", "--name", "Bob"])
        .env("DATABASE_URL", &database_url)
        .env("HERALD_DATA_DIR", &app.state.settings.data_dir)
        .env("HERALD_SIGNUP", "invite")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(b"a long enough password\n")
        .unwrap();
    let output = child.wait_with_output().unwrap();

    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(String::from_utf8_lossy(&output.stdout).contains("Added Bob (bob@example.org)"));
    assert_eq!(app.count("users").await, 2);
    let bob = crate::helpers::browser_like_client();
    let signed_in = app
        .sign_in_with(&bob, "bob@example.org", "a long enough password")
        .await;
    assert_eq!(signed_in.status(), reqwest::StatusCode::OK);
}

#[tokio::test]
async fn user_create_refuses_a_short_password() {
    let app = spawn_app_with(TestOptions::default()).await;
    let database_url = app.database_url().to_owned();

    let mut child = Command::new(env!("CARGO_BIN_EXE_herald"))
        .args(["user", "create", "--email", "bob@example.org", "--name", "Bob"])
        .env("DATABASE_URL", &database_url)
        .env("HERALD_DATA_DIR", &app.state.settings.data_dir)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(b"short\n").unwrap();
    let output = child.wait_with_output().unwrap();

    assert!(!output.status.success());
    assert!(String::from_utf8_lossy(&output.stderr).contains("at least 10 characters"));
    assert_eq!(app.count("users").await, 0);
}
