//! Drafts: saved with their accounts, texts and media in order; refused with the broken rule
//! (and nothing stored) when a network would refuse them; safe against an older copy
//! overwriting a newer one; listed newest first and filterable.

use herald::error::{AppError, Problem};
use image::ImageFormat;
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::{
    PASSWORD, TestApp, TestOptions, app_error, browser_like_client, seed_account,
};
use crate::media::{encoded, mp4_video, signed_in_app, two_colours, uploaded};

async fn save(app: &TestApp, client: &reqwest::Client, draft: Value) -> reqwest::Response {
    client
        .post(app.url("/api/save_draft"))
        .json(&json!({ "draft": draft }))
        .send()
        .await
        .unwrap()
}

async fn saved(app: &TestApp, draft: Value) -> Value {
    let response = save(app, &app.client, draft).await;
    let status = response.status();
    let body = response.text().await.unwrap();
    assert_eq!(status, StatusCode::OK, "{body}");
    serde_json::from_str(&body).unwrap()
}

struct Setup {
    app: TestApp,
    facebook: String,
    instagram: String,
    pictures: Vec<String>,
}

async fn setup() -> Setup {
    let app = signed_in_app(TestOptions::default()).await;
    let facebook = seed_account(&app, &app.client, "facebook", "Ada's Bakery").await;
    let instagram = seed_account(&app, &app.client, "instagram", "adasbakery").await;
    let mut pictures = Vec::new();
    for name in ["one.jpg", "two.png"] {
        let format = if name.ends_with("png") {
            ImageFormat::Png
        } else {
            ImageFormat::Jpeg
        };
        let item = uploaded(&app, name, encoded(&two_colours(1080, 1350), format)).await;
        pictures.push(item["id"].as_str().unwrap().to_owned());
    }
    Setup {
        app,
        facebook: facebook.to_string(),
        instagram: instagram.to_string(),
        pictures,
    }
}

fn draft(setup: &Setup, text: &str) -> Value {
    json!({
        "id": null,
        "revision": null,
        "text": text,
        "hashtags": "bakery, #bread",
        "call_to_action": "Order at the link in bio.",
        "targets": [
            { "account_id": setup.facebook, "variant": null },
            { "account_id": setup.instagram, "variant": "Fresh from the oven 🥐" }
        ],
        "media": setup.pictures,
    })
}

fn broken_rule(error: AppError) -> (String, Value) {
    let AppError::Invalid {
        problem: Problem::PostBreaksRule { network, rule },
        ..
    } = error
    else {
        panic!("expected a broken rule, got {error:?}");
    };
    (
        network.as_str().to_owned(),
        serde_json::to_value(rule).unwrap(),
    )
}

#[tokio::test]
async fn a_draft_for_a_page_and_an_instagram_account_is_saved_whole() {
    let setup = setup().await;
    let app = &setup.app;
    let post = saved(app, draft(&setup, "New sourdough today.")).await;
    assert_eq!(post["status"], "draft");
    assert_eq!(post["revision"], 1);
    assert_eq!(post["hashtags"], "bakery, #bread");
    let targets = post["targets"].as_array().unwrap();
    assert_eq!(targets[0]["network"], "facebook");
    assert_eq!(targets[1]["variant"], "Fresh from the oven 🥐");
    let media: Vec<&str> = post["media"]
        .as_array()
        .unwrap()
        .iter()
        .map(|item| item["id"].as_str().unwrap())
        .collect();
    assert_eq!(media, setup.pictures);

    let id = post["id"].as_str().unwrap();
    let opened = app.call(&app.client, "get_post", &[("id", id)]).await;
    let opened: Value = opened.json().await.unwrap();
    assert_eq!(opened, post);

    // The order of the media is the order given.
    let mut reordered = draft(&setup, "New sourdough today.");
    reordered["id"] = json!(id);
    reordered["revision"] = json!(1);
    reordered["media"] = json!([setup.pictures[1], setup.pictures[0]]);
    let post = saved(app, reordered).await;
    assert_eq!(post["revision"], 2);
    assert_eq!(post["media"][0]["id"], setup.pictures[1].as_str());
}

#[tokio::test]
async fn a_3000_character_instagram_caption_is_refused_and_nothing_is_stored() {
    let setup = setup().await;
    let app = &setup.app;
    let mut long = draft(&setup, &"a".repeat(3000));
    long["targets"][1]["variant"] = json!(null);
    let response = save(app, &app.client, long).await;
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
    let (network, rule) = broken_rule(app_error(response).await);
    assert_eq!(network, "instagram");
    assert_eq!(rule["rule"], "caption_too_long");
    assert_eq!(rule["max"], 2200);
    assert_eq!(app.count("posts").await, 0);
    assert_eq!(app.count("post_targets").await, 0);

    // The same text with a short Instagram text of its own is fine: Facebook allows 63,206.
    let with_variant = draft(&setup, &"a".repeat(3000));
    saved(app, with_variant).await;
}

#[tokio::test]
async fn eleven_carousel_items_are_refused() {
    let setup = setup().await;
    let app = &setup.app;
    let mut media = setup.pictures.clone();
    for n in 0..9 {
        let item = uploaded(
            app,
            &format!("extra{n}.jpg"),
            encoded(&two_colours(100 + n, 100), ImageFormat::Jpeg),
        )
        .await;
        media.push(item["id"].as_str().unwrap().to_owned());
    }
    assert_eq!(media.len(), 11);
    let mut eleven = draft(&setup, "A big carousel");
    eleven["media"] = json!(media);
    let response = save(app, &app.client, eleven).await;
    let (_, rule) = broken_rule(app_error(response).await);
    assert_eq!(rule["rule"], "too_many_media");
    assert_eq!(rule["count"], 11);
    assert_eq!(app.count("posts").await, 0);
}

#[tokio::test]
async fn a_too_short_video_for_instagram_is_refused() {
    let setup = setup().await;
    let app = &setup.app;
    let clip = uploaded(app, "short.mp4", mp4_video(1080, 1920, 2)).await;
    let mut post = draft(&setup, "A clip");
    post["targets"] = json!([{ "account_id": setup.instagram, "variant": null }]);
    post["media"] = json!([clip["id"]]);
    let (network, rule) = broken_rule(app_error(save(app, &app.client, post).await).await);
    assert_eq!(network, "instagram");
    assert_eq!(rule["rule"], "video_too_short");
}

#[tokio::test]
async fn an_older_copy_cannot_overwrite_a_newer_one() {
    let setup = setup().await;
    let app = &setup.app;
    let post = saved(app, draft(&setup, "First words")).await;
    let mut newer = draft(&setup, "Second words");
    newer["id"] = post["id"].clone();
    newer["revision"] = json!(1);
    saved(app, newer.clone()).await;

    newer["text"] = json!("Words from a tab opened before the second save");
    let stale = save(app, &app.client, newer).await;
    assert_eq!(stale.status(), StatusCode::CONFLICT);
    assert_eq!(
        app_error(stale).await,
        AppError::Conflict(Problem::PostChangedElsewhere)
    );
    let opened = app
        .call(
            &app.client,
            "get_post",
            &[("id", post["id"].as_str().unwrap())],
        )
        .await;
    let opened: Value = opened.json().await.unwrap();
    assert_eq!(opened["text"], "Second words");
}

#[tokio::test]
async fn another_workspaces_accounts_and_media_cannot_be_used() {
    let setup = setup().await;
    let app = &setup.app;
    let bob = browser_like_client();
    app.sign_up_with(&bob, "Bob", "bob@example.org", PASSWORD, "")
        .await;
    let response = save(app, &bob, draft(&setup, "Posting to Ada's page")).await;
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
    assert!(matches!(
        app_error(response).await,
        AppError::Invalid {
            problem: Problem::PostAccountUnavailable,
            ..
        }
    ));
    let bobs_page = seed_account(app, &bob, "facebook", "Bob's Garage").await;
    let mut with_adas_media = draft(&setup, "Ada's pictures");
    with_adas_media["targets"] = json!([{ "account_id": bobs_page.to_string(), "variant": null }]);
    let response = save(app, &bob, with_adas_media).await;
    assert!(matches!(
        app_error(response).await,
        AppError::Invalid {
            problem: Problem::MediaNotFound,
            ..
        }
    ));
    assert_eq!(app.count("posts").await, 0);
}

#[tokio::test]
async fn an_empty_draft_is_refused() {
    let setup = setup().await;
    let app = &setup.app;
    let mut empty = draft(&setup, "   ");
    empty["media"] = json!([]);
    empty["hashtags"] = json!("");
    empty["call_to_action"] = json!("");
    empty["targets"] = json!([]);
    let response = save(app, &app.client, empty).await;
    assert!(matches!(
        app_error(response).await,
        AppError::Invalid {
            problem: Problem::PostEmpty,
            ..
        }
    ));
}

#[tokio::test]
async fn posts_are_listed_newest_first_and_filtered() {
    let setup = setup().await;
    let app = &setup.app;
    let first = saved(app, draft(&setup, "First")).await;
    app.clock.advance(chrono::Duration::minutes(1));
    let mut facebook_only = draft(&setup, "Second, Facebook only");
    facebook_only["targets"] = json!([{ "account_id": setup.facebook, "variant": null }]);
    saved(app, facebook_only).await;

    let list = |status: &'static str, account: String| {
        let app = &setup.app;
        async move {
            let response = app
                .call(
                    &app.client,
                    "list_posts",
                    &[("status", status), ("account", &account), ("page", "0")],
                )
                .await;
            let page: Value = response.json().await.unwrap();
            page["posts"]
                .as_array()
                .unwrap()
                .iter()
                .map(|post| post["text"].as_str().unwrap().to_owned())
                .collect::<Vec<_>>()
        }
    };
    assert_eq!(
        list("", String::new()).await,
        ["Second, Facebook only", "First"]
    );
    assert_eq!(list("", setup.instagram.clone()).await, ["First"]);
    assert_eq!(list("draft", String::new()).await.len(), 2);
    assert!(list("published", String::new()).await.is_empty());

    let response = app
        .call(
            &app.client,
            "list_posts",
            &[("status", ""), ("account", ""), ("page", "0")],
        )
        .await;
    let page: Value = response.json().await.unwrap();
    let row = &page["posts"][1];
    assert_eq!(row["id"], first["id"]);
    assert_eq!(row["networks"], json!(["facebook", "instagram"]));
    assert!(
        row["thumbnail_url"]
            .as_str()
            .unwrap()
            .starts_with("/media/")
    );
}

#[tokio::test]
async fn a_file_used_by_a_scheduled_post_cannot_be_deleted() {
    let setup = setup().await;
    let app = &setup.app;
    let post = saved(app, draft(&setup, "Soon")).await;
    sqlx::query("UPDATE posts SET status = 'scheduled' WHERE id = $1")
        .bind(post["id"].as_str().unwrap())
        .execute(app.state.db.pool())
        .await
        .unwrap();
    let picture = setup.pictures[0].as_str();
    let refused = app
        .call(&app.client, "delete_media", &[("id", picture)])
        .await;
    assert_eq!(refused.status(), StatusCode::CONFLICT);
    assert_eq!(
        app_error(refused).await,
        AppError::Conflict(Problem::MediaInUse { posts: 1 })
    );
    assert_eq!(app.count("media").await, 2);

    // Back to a draft, the file may go; the draft simply loses it.
    sqlx::query("UPDATE posts SET status = 'draft' WHERE id = $1")
        .bind(post["id"].as_str().unwrap())
        .execute(app.state.db.pool())
        .await
        .unwrap();
    let deleted = app
        .call(&app.client, "delete_media", &[("id", picture)])
        .await;
    assert_eq!(deleted.status(), StatusCode::OK);
    let opened = app
        .call(
            &app.client,
            "get_post",
            &[("id", post["id"].as_str().unwrap())],
        )
        .await;
    let opened: Value = opened.json().await.unwrap();
    assert_eq!(opened["media"].as_array().unwrap().len(), 1);
}

#[tokio::test]
async fn a_plain_form_over_the_field_cap_is_refused_before_anything_is_read_or_stored() {
    let setup = setup().await;
    let app = &setup.app;
    // Thousands of `account` fields: the kind of form that made parsing quadratic.
    let mut form = String::from("text=Flood&intent=publish");
    for _ in 0..5_000 {
        form.push_str("&account=");
        form.push_str(&setup.facebook);
    }
    let response = app
        .client
        .post(app.url("/compose/save"))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(form)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let location = response.headers()["location"].to_str().unwrap().to_owned();
    let location = url::Url::parse("http://herald")
        .unwrap()
        .join(&location)
        .unwrap();
    let problem = location
        .query_pairs()
        .find(|(name, _)| name == "problem")
        .map(|(_, value)| value.into_owned())
        .expect("the problem travels back");
    assert!(problem.contains("form_too_large"), "{problem}");
    let listed = app
        .call(
            &app.client,
            "list_posts",
            &[("status", ""), ("account", ""), ("page", "0")],
        )
        .await;
    let page: Value = listed.json().await.unwrap();
    assert!(
        page["posts"].as_array().unwrap().is_empty(),
        "nothing is stored"
    );
}
