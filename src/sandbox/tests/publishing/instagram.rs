//! Publishing to Instagram through containers, on graph.facebook.com and graph.instagram.com.

use chrono::Duration;
use serde_json::json;

use super::*;

/// Creates a container and returns its id, asserting it was accepted.
async fn container(url: &str, token: &str, form: &[(&str, &str)]) -> String {
    let made = post_form(url, token, form).await;
    assert_eq!(made.status(), 200);
    id_of(&json_of(made).await)
}

async fn status_code(sandbox: &Sandbox, token: &str, container_id: &str) -> serde_json::Value {
    get_json(
        &graph(
            sandbox,
            &format!("{container_id}?fields=status_code,status"),
        ),
        token,
    )
    .await
}

#[tokio::test]
async fn an_image_goes_container_finished_published_with_a_permalink() {
    let sandbox = start().await;
    let media = media_host().await;
    let token = sandbox.meta().issue_page_token(PAGE_ID);
    let create = graph(&sandbox, &format!("{LINKED_INSTAGRAM_ID}/media"));
    let made = post_form(
        &create,
        &token,
        &[
            ("image_url", media.url("square.jpg").as_str()),
            ("caption", "#Bronzed at noon"),
            ("alt_text", "A blue square"),
        ],
    )
    .await;
    let usage = made.headers()["x-business-use-case-usage"]
        .to_str()
        .unwrap();
    assert!(usage.contains(LINKED_INSTAGRAM_ID), "{usage}");
    let container_id = id_of(&json_of(made).await);

    let status = status_code(&sandbox, &token, &container_id).await;
    assert_eq!(status["status_code"], "FINISHED");
    assert_eq!(status["id"], container_id);

    let published = post_form(
        &graph(&sandbox, &format!("{LINKED_INSTAGRAM_ID}/media_publish")),
        &token,
        &[("creation_id", container_id.as_str())],
    )
    .await;
    assert_eq!(published.status(), 200);
    let media_id = id_of(&json_of(published).await);
    assert_eq!(
        status_code(&sandbox, &token, &container_id).await["status_code"],
        "PUBLISHED"
    );

    let read = get_json(
        &graph(
            &sandbox,
            &format!(
                "{media_id}?fields=id,permalink,shortcode,media_type,media_product_type,timestamp,caption"
            ),
        ),
        &token,
    )
    .await;
    let shortcode = read["shortcode"].as_str().unwrap();
    let permalink = format!("{}/p/{shortcode}/", sandbox.urls().instagram_www);
    assert_eq!(read["permalink"], permalink);
    assert_eq!(read["media_type"], "IMAGE");
    assert_eq!(read["media_product_type"], "FEED");
    assert_eq!(read["caption"], "#Bronzed at noon");
    assert!(read["timestamp"].as_str().unwrap().ends_with("+0000"));

    let shown = client().get(&permalink).send().await.unwrap();
    assert_eq!(shown.status(), 200);
    let html = shown.text().await.unwrap();
    assert!(html.contains("#Bronzed at noon"));
    assert!(html.contains(&media.url("square.jpg")));

    let listed = get_json(
        &graph(
            &sandbox,
            &format!("{LINKED_INSTAGRAM_ID}/media?fields=id,caption,timestamp,permalink&limit=5"),
        ),
        &token,
    )
    .await;
    assert_eq!(listed["data"][0]["id"], media_id);
    assert_eq!(listed["data"][0]["permalink"], permalink);

    let posts = sandbox.meta().published();
    assert_eq!(posts.len(), 1);
    assert_eq!(
        (posts[0].network.as_str(), posts[0].kind.as_str()),
        ("instagram", "image")
    );
    assert_eq!(posts[0].account_id, LINKED_INSTAGRAM_ID);
    assert_eq!(posts[0].permalink, permalink);
    assert_eq!(posts[0].media_urls, [media.url("square.jpg")]);
}

#[tokio::test]
async fn the_instagram_login_account_publishes_on_graph_instagram_com() {
    let sandbox = start().await;
    let media = media_host().await;
    let token = sandbox.meta().issue_instagram_login_token();
    let container_id = container(
        &instagram_graph(&sandbox, "me/media"),
        &token,
        &[
            ("image_url", media.url("portrait.jpg").as_str()),
            ("caption", "From IG login"),
        ],
    )
    .await;
    let status = get_json(
        &instagram_graph(&sandbox, &format!("{container_id}?fields=status_code")),
        &token,
    )
    .await;
    assert_eq!(status["status_code"], "FINISHED");
    let published = post_form(
        &instagram_graph(&sandbox, &format!("{CREATOR_ID}/media_publish")),
        &token,
        &[("creation_id", container_id.as_str())],
    )
    .await;
    assert_eq!(published.status(), 200);
    let posts = sandbox.meta().published();
    assert_eq!(posts[0].account_id, CREATOR_ID);
    assert_eq!(posts[0].text, "From IG login");

    // A Facebook token cannot reach the Instagram-Login account's container, nor the reverse.
    let page_token = sandbox.meta().issue_page_token(PAGE_ID);
    let crossed = client()
        .get(instagram_graph(&sandbox, &container_id))
        .bearer_auth(&page_token)
        .send()
        .await
        .unwrap();
    assert_eq!(refusal(crossed, 400).await["code"], 190);
}

#[tokio::test]
async fn a_carousel_needs_two_to_ten_unused_finished_items() {
    let sandbox = start().await;
    let media = media_host().await;
    let token = sandbox.meta().issue_page_token(PAGE_ID);
    let create = graph(&sandbox, &format!("{LINKED_INSTAGRAM_ID}/media"));
    let item = |file: &'static str| {
        let url = media.url(file);
        let create = create.clone();
        let token = token.clone();
        async move {
            container(
                &create,
                &token,
                &[("image_url", url.as_str()), ("is_carousel_item", "true")],
            )
            .await
        }
    };
    let first = item("square.jpg").await;
    let second = item("portrait.jpg").await;

    let alone = post_form(
        &create,
        &token,
        &[
            ("media_type", "CAROUSEL"),
            ("children", first.as_str()),
            ("caption", "Fruit"),
        ],
    )
    .await;
    let error = refusal(alone, 400).await;
    assert_eq!(
        (error["code"].clone(), error["error_subcode"].clone()),
        (json!(100), json!(2207028))
    );

    let not_an_item = container(
        &create,
        &token,
        &[("image_url", media.url("square.jpg").as_str())],
    )
    .await;
    let mixed = format!("{first},{not_an_item}");
    let refused = post_form(
        &create,
        &token,
        &[("media_type", "CAROUSEL"), ("children", mixed.as_str())],
    )
    .await;
    assert_eq!(refusal(refused, 400).await["error_subcode"], 2207028);

    let children = format!("{first},{second}");
    let carousel = container(
        &create,
        &token,
        &[
            ("media_type", "CAROUSEL"),
            ("children", children.as_str()),
            ("caption", "Fruit"),
        ],
    )
    .await;
    let third = item("square.jpg").await;
    let reused = format!("{first},{third}");
    let refused = post_form(
        &create,
        &token,
        &[("media_type", "CAROUSEL"), ("children", reused.as_str())],
    )
    .await;
    assert_eq!(refusal(refused, 400).await["error_subcode"], 2207028);

    let published = post_form(
        &graph(&sandbox, &format!("{LINKED_INSTAGRAM_ID}/media_publish")),
        &token,
        &[("creation_id", carousel.as_str())],
    )
    .await;
    let media_id = id_of(&json_of(published).await);
    let read = get_json(
        &graph(
            &sandbox,
            &format!("{media_id}?fields=media_type,children{{id,media_url}}"),
        ),
        &token,
    )
    .await;
    assert_eq!(read["media_type"], "CAROUSEL_ALBUM");
    assert_eq!(read["children"]["data"].as_array().unwrap().len(), 2);
    assert_eq!(
        read["children"]["data"][1]["media_url"],
        media.url("portrait.jpg")
    );

    let posts = sandbox.meta().published();
    assert_eq!(posts.len(), 1, "children are not posts of their own");
    assert_eq!(posts[0].kind, "carousel");
    assert_eq!(
        posts[0].media_urls,
        [media.url("square.jpg"), media.url("portrait.jpg")]
    );
}

#[tokio::test]
async fn publishing_a_video_before_it_is_finished_answers_9007() {
    let sandbox = start().await;
    let media = media_host().await;
    let token = sandbox.meta().issue_page_token(PAGE_ID);
    let reel = container(
        &graph(&sandbox, &format!("{LINKED_INSTAGRAM_ID}/media")),
        &token,
        &[
            ("media_type", "REELS"),
            ("video_url", media.url("clip.mp4").as_str()),
            ("caption", "A reel"),
            ("share_to_feed", "true"),
        ],
    )
    .await;
    let publish_url = graph(&sandbox, &format!("{LINKED_INSTAGRAM_ID}/media_publish"));
    let form = [("creation_id", reel.as_str())];
    let publish = || post_form(&publish_url, &token, &form);

    let early = refusal(publish().await, 400).await;
    assert_eq!(early["code"], 9007);
    assert_eq!(early["error_subcode"], 2207027);
    assert_eq!(early["message"], "Media ID is not available");
    assert_eq!(
        early["error_user_msg"],
        "The media is not ready for publishing, please wait for a moment"
    );

    let mut codes = Vec::new();
    for _ in 0..3 {
        let status = status_code(&sandbox, &token, &reel).await;
        codes.push(status["status_code"].as_str().unwrap().to_owned());
    }
    assert_eq!(codes, ["IN_PROGRESS", "IN_PROGRESS", "FINISHED"]);
    let media_id = id_of(&json_of(publish().await).await);
    let again = refusal(publish().await, 400).await;
    assert_eq!(again["code"], 100);

    let read = get_json(
        &graph(
            &sandbox,
            &format!("{media_id}?fields=media_type,media_product_type"),
        ),
        &token,
    )
    .await;
    assert_eq!(
        (
            read["media_type"].clone(),
            read["media_product_type"].clone()
        ),
        (json!("VIDEO"), json!("REELS"))
    );
    assert_eq!(sandbox.meta().published()[0].kind, "reel");

    let single_video = post_form(
        &graph(&sandbox, &format!("{LINKED_INSTAGRAM_ID}/media")),
        &token,
        &[
            ("media_type", "VIDEO"),
            ("video_url", media.url("clip.mp4").as_str()),
        ],
    )
    .await;
    assert_eq!(refusal(single_video, 400).await["code"], 100);
}

#[tokio::test]
async fn the_quota_is_reported_and_enforced_on_media_publish() {
    let sandbox = start().await;
    let media = media_host().await;
    let token = sandbox.meta().issue_page_token(PAGE_ID);
    sandbox.meta().set_instagram_quota_total(50);
    sandbox.meta().use_instagram_quota(LINKED_INSTAGRAM_ID, 49);
    let limit_url = graph(
        &sandbox,
        &format!("{LINKED_INSTAGRAM_ID}/content_publishing_limit?fields=config,quota_usage"),
    );
    let limit = get_json(&limit_url, &token).await;
    assert_eq!(
        limit,
        json!({ "data": [{ "config": { "quota_total": 50, "quota_duration": 86400 }, "quota_usage": 49 }] })
    );

    let create = graph(&sandbox, &format!("{LINKED_INSTAGRAM_ID}/media"));
    let publish_url = graph(&sandbox, &format!("{LINKED_INSTAGRAM_ID}/media_publish"));
    let image = media.url("square.jpg");
    let fiftieth = container(&create, &token, &[("image_url", image.as_str())]).await;
    let done = post_form(&publish_url, &token, &[("creation_id", fiftieth.as_str())]).await;
    assert_eq!(done.status(), 200);
    let default_fields = get_json(
        &graph(
            &sandbox,
            &format!("{LINKED_INSTAGRAM_ID}/content_publishing_limit"),
        ),
        &token,
    )
    .await;
    assert_eq!(default_fields, json!({ "data": [{ "quota_usage": 50 }] }));

    let over = container(&create, &token, &[("image_url", image.as_str())]).await;
    let refused = refusal(
        post_form(&publish_url, &token, &[("creation_id", over.as_str())]).await,
        400,
    )
    .await;
    assert_eq!(
        (refused["code"].clone(), refused["error_subcode"].clone()),
        (json!(9), json!(2207042))
    );

    // The quota is per account: the Instagram-Login account is untouched.
    let creator_token = sandbox.meta().issue_instagram_login_token();
    let creator = get_json(
        &instagram_graph(
            &sandbox,
            &format!("{CREATOR_ID}/content_publishing_limit?fields=quota_usage"),
        ),
        &creator_token,
    )
    .await;
    assert_eq!(creator["data"][0]["quota_usage"], 0);
}

#[tokio::test]
async fn images_are_judged_by_their_bytes_size_and_shape() {
    let sandbox = start().await;
    let media = media_host().await;
    let token = sandbox.meta().issue_page_token(PAGE_ID);
    let create = graph(&sandbox, &format!("{LINKED_INSTAGRAM_ID}/media"));
    let cases = [
        ("photo.png", 36001, 2207005),
        ("disguised.jpg", 36001, 2207005),
        ("missing.jpg", 9004, 2207052),
        ("page.html", 36001, 2207005),
        ("huge.jpg", 36000, 2207004),
        ("wide.jpg", 36003, 2207009),
        ("tall.jpg", 36003, 2207009),
    ];
    for (file, code, subcode) in cases {
        let refused = post_form(&create, &token, &[("image_url", media.url(file).as_str())]).await;
        let error = refusal(refused, 400).await;
        assert_eq!(
            (error["code"].as_i64(), error["error_subcode"].as_i64()),
            (Some(code), Some(subcode)),
            "{file}: {error}"
        );
        assert!(error["error_user_msg"].is_string(), "{file}");
    }
    // Stories take any shape.
    let story = container(
        &create,
        &token,
        &[
            ("media_type", "STORIES"),
            ("image_url", media.url("tall.jpg").as_str()),
        ],
    )
    .await;
    assert_eq!(
        status_code(&sandbox, &token, &story).await["status_code"],
        "FINISHED"
    );

    let long_caption = "a".repeat(2_201);
    let refused = post_form(
        &create,
        &token,
        &[
            ("image_url", media.url("square.jpg").as_str()),
            ("caption", long_caption.as_str()),
        ],
    )
    .await;
    let error = refusal(refused, 400).await;
    assert_eq!(
        (error["code"].clone(), error["error_subcode"].clone()),
        (json!(36004), json!(2207010))
    );
}

#[tokio::test]
async fn containers_end_in_error_when_scripted_or_when_the_video_cannot_be_fetched() {
    let sandbox = start().await;
    let media = media_host().await;
    let token = sandbox.meta().issue_page_token(PAGE_ID);
    let create = graph(&sandbox, &format!("{LINKED_INSTAGRAM_ID}/media"));
    sandbox
        .meta()
        .fail_next_container(2207001, "Instagram server error. Try again");
    let scripted = container(
        &create,
        &token,
        &[("image_url", media.url("square.jpg").as_str())],
    )
    .await;
    let status = status_code(&sandbox, &token, &scripted).await;
    assert_eq!(status["status_code"], "ERROR");
    assert_eq!(
        status["status"],
        "Error: 2207001 Instagram server error. Try again"
    );
    let publish_url = graph(&sandbox, &format!("{LINKED_INSTAGRAM_ID}/media_publish"));
    let refused = post_form(&publish_url, &token, &[("creation_id", scripted.as_str())]).await;
    assert_eq!(refusal(refused, 400).await["code"], 9007);

    // Used up: the next container is fine.
    let fine = container(
        &create,
        &token,
        &[("image_url", media.url("square.jpg").as_str())],
    )
    .await;
    assert_eq!(
        status_code(&sandbox, &token, &fine).await["status_code"],
        "FINISHED"
    );

    let unreachable = container(
        &create,
        &token,
        &[
            ("media_type", "STORIES"),
            ("video_url", media.url("gone.mp4").as_str()),
        ],
    )
    .await;
    let status = status_code(&sandbox, &token, &unreachable).await;
    assert_eq!(status["status_code"], "ERROR");
    assert!(
        status["status"]
            .as_str()
            .unwrap()
            .starts_with("Error: 2207052")
    );
}

#[tokio::test]
async fn a_container_left_for_a_day_expires() {
    let sandbox = start().await;
    let media = media_host().await;
    let token = sandbox.meta().issue_page_token(PAGE_ID);
    let old = container(
        &graph(&sandbox, &format!("{LINKED_INSTAGRAM_ID}/media")),
        &token,
        &[("image_url", media.url("square.jpg").as_str())],
    )
    .await;
    sandbox.meta().age_container(&old, Duration::hours(25));
    assert_eq!(
        status_code(&sandbox, &token, &old).await["status_code"],
        "EXPIRED"
    );
    let refused = post_form(
        &graph(&sandbox, &format!("{LINKED_INSTAGRAM_ID}/media_publish")),
        &token,
        &[("creation_id", old.as_str())],
    )
    .await;
    let error = refusal(refused, 400).await;
    assert_eq!(
        (error["code"].clone(), error["error_subcode"].clone()),
        (json!(-2), json!(2207020))
    );
}

#[tokio::test]
async fn publishing_needs_the_content_publish_permission() {
    let sandbox = start().await;
    let media = media_host().await;
    // PAGE_SCOPES grants instagram_basic but not instagram_content_publish.
    let user_token = super::super::long_lived_user_token(&sandbox).await;
    let refused = post_form(
        &graph(&sandbox, &format!("{LINKED_INSTAGRAM_ID}/media")),
        &user_token,
        &[("image_url", media.url("square.jpg").as_str())],
    )
    .await;
    assert_eq!(refusal(refused, 400).await["code"], 10);
    let other_page = sandbox.meta().issue_page_token(OTHER_PAGE_ID);
    let unlinked = post_form(
        &graph(&sandbox, &format!("{LINKED_INSTAGRAM_ID}/media")),
        &other_page,
        &[("image_url", media.url("square.jpg").as_str())],
    )
    .await;
    assert_eq!(refusal(unlinked, 400).await["error_subcode"], 33);
}
