//! `herald backup` and `herald restore`, run as real processes: a backup taken while Herald
//! runs, the machine wiped, the backup restored into an empty folder with the key kept apart,
//! and every post, account and picture back in a Herald started on it.

use std::path::Path;
use std::process::{Command, Output};

use image::ImageFormat;
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::process::HeraldProcess;
use crate::helpers::{PASSWORD, TestApp, TestOptions, seed_account};
use crate::media::{encoded, signed_in_app, two_colours, uploaded};

fn herald(args: &[&str], data_dir: &Path, database_url: &str) -> Output {
    Command::new(env!("CARGO_BIN_EXE_herald"))
        .args(args)
        .env("HERALD_DATA_DIR", data_dir)
        .env("DATABASE_URL", database_url)
        .env("HERALD_LOG", "warn")
        .output()
        .unwrap()
}

fn said(output: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    )
}

/// A post with a picture, for a connected account.
async fn some_work(app: &TestApp) -> (Value, Vec<u8>) {
    let account = seed_account(app, &app.client, "facebook", "Ada's Bakery").await;
    let picture = encoded(&two_colours(640, 480), ImageFormat::Png);
    let media = uploaded(app, "loaf.png", picture).await;
    let saved: Value = app
        .client
        .post(app.url("/api/save_draft"))
        .json(&json!({"draft": {
            "id": null, "revision": null, "text": "Sourdough on Monday.", "hashtags": "",
            "call_to_action": "", "media": [media["id"]],
            "targets": [{"account_id": account.to_string(), "variant": null}],
        }}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let original = app
        .client
        .get(app.url(saved["media"][0]["url"].as_str().unwrap()))
        .send()
        .await
        .unwrap()
        .bytes()
        .await
        .unwrap()
        .to_vec();
    (saved, original)
}

#[tokio::test]
async fn a_backup_restored_on_a_wiped_machine_brings_every_post_account_and_picture_back() {
    let app = signed_in_app(TestOptions::default()).await;
    let data_dir = app.state.settings.data_dir.clone();
    if app.database_url().starts_with("postgres") {
        let refused = herald(&["backup", "/tmp/never"], &data_dir, app.database_url());
        assert!(!refused.status.success());
        assert!(said(&refused).contains("pg_dump"), "{}", said(&refused));
        return;
    }
    let (post, picture) = some_work(&app).await;
    let elsewhere = tempfile::tempdir().unwrap();
    let backup = elsewhere.path().join("backup");

    // Taken while Herald runs.
    let backed_up = herald(
        &["backup", backup.to_str().unwrap()],
        &data_dir,
        app.database_url(),
    );
    assert!(backed_up.status.success(), "{}", said(&backed_up));
    let files = app.count("media_files").await;
    assert!(
        said(&backed_up).contains(&format!("and {files} media files")),
        "{}",
        said(&backed_up)
    );
    let note = std::fs::read_to_string(backup.join("RESTORE.txt")).unwrap();
    assert!(note.contains(&data_dir.join("secret.key").display().to_string()));
    assert!(!backup.join("secret.key").exists(), "the key stays out");
    let again = herald(
        &["backup", backup.to_str().unwrap()],
        &data_dir,
        app.database_url(),
    );
    assert!(!again.status.success(), "a used folder is refused");

    // The machine is wiped; the operator kept the key apart, and brings it back.
    let wiped = tempfile::tempdir().unwrap();
    let restored_url = format!("sqlite://{}/herald.db?mode=rwc", wiped.path().display());
    std::fs::copy(data_dir.join("secret.key"), wiped.path().join("secret.key")).unwrap();
    let restored = herald(
        &["restore", backup.to_str().unwrap()],
        wiped.path(),
        &restored_url,
    );
    assert!(restored.status.success(), "{}", said(&restored));
    assert!(
        said(&restored).contains("Every connected account's token opens with this key"),
        "{}",
        said(&restored)
    );
    let over_it = herald(
        &["restore", backup.to_str().unwrap()],
        wiped.path(),
        &restored_url,
    );
    assert!(said(&over_it).contains("--replace"), "{}", said(&over_it));

    let herald = HeraldProcess::start(wiped.path()).await;
    let client = HeraldProcess::client();
    let call = |endpoint: &str, form: Vec<(&'static str, String)>| {
        client
            .post(format!("{}/api/{endpoint}", herald.address))
            .form(&form)
            .send()
    };
    let signed_in = call(
        "sign_in",
        vec![
            ("email", "ada@example.org".into()),
            ("password", PASSWORD.into()),
        ],
    )
    .await
    .unwrap();
    assert_eq!(signed_in.status(), StatusCode::OK);
    let back: Value = call(
        "get_post",
        vec![("id", post["id"].as_str().unwrap().into())],
    )
    .await
    .unwrap()
    .json()
    .await
    .unwrap();
    assert_eq!(back["text"], "Sourdough on Monday.");
    assert_eq!(back["targets"][0]["account_name"], "Ada's Bakery", "{back}");
    let accounts: Value = call("list_accounts", vec![])
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(
        accounts["accounts"][0]["name"], "Ada's Bakery",
        "{accounts}"
    );
    assert_eq!(accounts["accounts"][0]["status"], "active", "{accounts}");
    let served = client
        .get(format!(
            "{}{}",
            herald.address,
            back["media"][0]["url"].as_str().unwrap()
        ))
        .send()
        .await
        .unwrap();
    assert_eq!(served.status(), StatusCode::OK);
    assert_eq!(served.bytes().await.unwrap().to_vec(), picture);
}

#[tokio::test]
async fn restored_without_its_key_herald_says_the_accounts_must_be_connected_again() {
    let app = signed_in_app(TestOptions::default()).await;
    if app.database_url().starts_with("postgres") {
        return;
    }
    seed_account(&app, &app.client, "facebook", "Ada's Bakery").await;
    let elsewhere = tempfile::tempdir().unwrap();
    let backup = elsewhere.path().join("backup");
    let data_dir = app.state.settings.data_dir.clone();
    let backed_up = herald(
        &["backup", backup.to_str().unwrap()],
        &data_dir,
        app.database_url(),
    );
    assert!(backed_up.status.success(), "{}", said(&backed_up));

    let wiped = tempfile::tempdir().unwrap();
    let restored = herald(
        &["restore", backup.to_str().unwrap()],
        wiped.path(),
        &format!("sqlite://{}/herald.db?mode=rwc", wiped.path().display()),
    );

    assert!(restored.status.success(), "{}", said(&restored));
    assert!(
        said(&restored).contains("do not open"),
        "{}",
        said(&restored)
    );
}
