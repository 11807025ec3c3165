//! Publishing to a Facebook Page: text, link, photos, albums, videos, read-back and faults.

use std::time::Duration as StdDuration;

use chrono::{Duration, Utc};
use serde_json::json;

use super::super::{FACEBOOK_SECRET, exchange_code, facebook_code};
use super::*;
use crate::sandbox::meta::{Fault, FaultKind};

#[tokio::test]
async fn a_text_post_is_made_read_back_and_listed_newest_first() {
    let sandbox = start().await;
    let token = sandbox.meta().issue_page_token(PAGE_ID);
    let feed = graph(&sandbox, &format!("{PAGE_ID}/feed"));

    let first = post_form(&feed, &token, &[("message", "First")]).await;
    assert_eq!(first.status(), 200);
    assert!(first.headers().contains_key("x-business-use-case-usage"));
    let first = json_of(first).await;
    let first_id = id_of(&first);
    assert!(first_id.starts_with(&format!("{PAGE_ID}_")));
    assert_eq!(first.as_object().unwrap().len(), 1, "only the id: {first}");

    let second = json_of(
        post_form(
            &format!("{feed}?fields=id,permalink_url"),
            &token,
            &[("message", "Second"), ("link", "https://example.com/a")],
        )
        .await,
    )
    .await;
    let second_id = id_of(&second);
    let number = second_id.split_once('_').unwrap().1;
    let permalink = second["permalink_url"].as_str().unwrap();
    assert_eq!(
        permalink,
        format!("{}/{PAGE_ID}/posts/{number}", sandbox.urls().facebook_www)
    );

    let read = get_json(
        &graph(
            &sandbox,
            &format!("{first_id}?fields=id,message,permalink_url,created_time"),
        ),
        &token,
    )
    .await;
    assert_eq!(read["message"], "First");
    assert_eq!(read["id"], first_id);
    let created = read["created_time"].as_str().unwrap();
    assert!(created.ends_with("+0000"), "{created}");

    let page = get_json(
        &format!("{feed}?fields=id,message,created_time,permalink_url&limit=1"),
        &token,
    )
    .await;
    assert_eq!(page["data"].as_array().unwrap().len(), 1);
    assert_eq!(page["data"][0]["id"], second_id);
    let next = page["paging"]["next"].as_str().unwrap();
    let rest = json_of(client().get(next).send().await.unwrap()).await;
    assert_eq!(rest["data"][0]["id"], first_id);
    assert_eq!(rest["data"][0]["message"], "First");
    assert!(rest["paging"].get("next").is_none());

    let shown = client().get(permalink).send().await.unwrap();
    assert_eq!(shown.status(), 200);
    let html = shown.text().await.unwrap();
    assert!(html.contains("Second") && html.contains("https://example.com/a"));

    let published = sandbox.meta().published();
    let kinds: Vec<(&str, &str)> = published
        .iter()
        .map(|post| (post.kind.as_str(), post.text.as_str()))
        .collect();
    assert_eq!(kinds, [("text", "First"), ("link", "Second")]);
    assert_eq!(published[1].media_urls, ["https://example.com/a"]);
    assert_eq!(published[1].permalink, permalink);
    assert_eq!(published[0].network, "facebook");
    assert_eq!(published[0].account_id, PAGE_ID);
}

#[tokio::test]
async fn empty_posts_bad_schedules_and_missing_permission_are_refused() {
    let sandbox = start().await;
    let token = sandbox.meta().issue_page_token(PAGE_ID);
    let feed = graph(&sandbox, &format!("{PAGE_ID}/feed"));

    let empty = refusal(
        post_form(&feed, &token, &[("published", "true")]).await,
        400,
    )
    .await;
    assert_eq!(empty["code"], 100);
    assert!(empty["message"].as_str().unwrap().starts_with("(#100) "));

    let soon = (Utc::now() + Duration::minutes(2)).timestamp().to_string();
    let too_soon = post_form(
        &feed,
        &token,
        &[
            ("message", "x"),
            ("published", "false"),
            ("scheduled_publish_time", &soon),
        ],
    )
    .await;
    assert_eq!(refusal(too_soon, 400).await["code"], 100);

    let later = (Utc::now() + Duration::days(2)).timestamp().to_string();
    let scheduled = post_form(
        &feed,
        &token,
        &[
            ("message", "Later"),
            ("published", "false"),
            ("scheduled_publish_time", &later),
        ],
    )
    .await;
    let scheduled_id = id_of(&json_of(scheduled).await);
    assert!(sandbox.meta().published().is_empty());
    let waiting = get_json(
        &graph(&sandbox, &format!("{PAGE_ID}/scheduled_posts")),
        &token,
    )
    .await;
    assert_eq!(waiting["data"][0]["id"], scheduled_id);

    // Consent without pages_manage_posts: the Page token works for reads, not for posting.
    let code = facebook_code(&sandbox, "pages_show_list").await;
    let user = json_of(exchange_code(&sandbox, &code, FACEBOOK_SECRET).await).await;
    let user_token = user["access_token"].as_str().unwrap();
    let accounts = get_json(&graph(&sandbox, "me/accounts"), user_token).await;
    let weak_token = accounts["data"][0]["access_token"].as_str().unwrap();
    let denied = refusal(post_form(&feed, weak_token, &[("message", "x")]).await, 403).await;
    assert_eq!(denied["code"], 200);

    // Another Page's token may not post here.
    let other = sandbox.meta().issue_page_token(OTHER_PAGE_ID);
    let foreign = refusal(post_form(&feed, &other, &[("message", "x")]).await, 400).await;
    assert_eq!(
        (foreign["code"].clone(), foreign["error_subcode"].clone()),
        (json!(100), json!(33))
    );
}

#[tokio::test]
async fn unpublished_photos_become_an_album_through_attached_media() {
    let sandbox = start().await;
    let media = media_host().await;
    let token = sandbox.meta().issue_page_token(PAGE_ID);
    let photos = graph(&sandbox, &format!("{PAGE_ID}/photos"));
    let mut photo_ids = Vec::new();
    for file in ["square.jpg", "photo.png", "portrait.jpg", "tall.jpg"] {
        let made = post_form(
            &photos,
            &token,
            &[("url", media.url(file).as_str()), ("published", "false")],
        )
        .await;
        assert_eq!(made.status(), 200);
        let made = json_of(made).await;
        assert!(
            made.get("post_id").is_none(),
            "unpublished photos have no post: {made}"
        );
        photo_ids.push(id_of(&made));
    }
    assert!(sandbox.meta().published().is_empty());

    // As one JSON array in a JSON body.
    let album = client()
        .post(graph(&sandbox, &format!("{PAGE_ID}/feed")))
        .bearer_auth(&token)
        .json(&json!({
            "message": "Two photos",
            "attached_media": [{ "media_fbid": photo_ids[0] }, { "media_fbid": photo_ids[1] }],
            "published": true,
        }))
        .send()
        .await
        .unwrap();
    assert_eq!(album.status(), 200);
    let album_id = id_of(&json_of(album).await);

    // Form-style items.
    let third = json!({ "media_fbid": photo_ids[2] }).to_string();
    let fourth = json!({ "media_fbid": photo_ids[3] }).to_string();
    let feed = graph(&sandbox, &format!("{PAGE_ID}/feed"));
    let form_album = post_form(
        &feed,
        &token,
        &[
            ("attached_media[0]", third.as_str()),
            ("attached_media[1]", fourth.as_str()),
        ],
    )
    .await;
    assert_eq!(form_album.status(), 200);

    let reused = post_form(
        &feed,
        &token,
        &[("message", "again"), ("attached_media[0]", third.as_str())],
    )
    .await;
    assert_eq!(refusal(reused, 400).await["code"], 100);
    let other_token = sandbox.meta().issue_page_token(OTHER_PAGE_ID);
    let elsewhere = json_of(
        post_form(
            &graph(&sandbox, &format!("{OTHER_PAGE_ID}/photos")),
            &other_token,
            &[
                ("url", media.url("square.jpg").as_str()),
                ("published", "false"),
            ],
        )
        .await,
    )
    .await;
    let foreign = json!([{ "media_fbid": id_of(&elsewhere) }]).to_string();
    let foreign = post_form(&feed, &token, &[("attached_media", foreign.as_str())]).await;
    assert_eq!(refusal(foreign, 400).await["code"], 100);

    let published = sandbox.meta().published();
    assert_eq!(published.len(), 2);
    assert_eq!(published[0].id, album_id);
    assert_eq!(published[0].kind, "album");
    assert_eq!(published[0].text, "Two photos");
    assert_eq!(
        published[0].media_urls,
        [media.url("square.jpg"), media.url("photo.png")]
    );
    assert_eq!(published[1].text, "");
    assert_eq!(
        published[1].media_urls,
        [media.url("portrait.jpg"), media.url("tall.jpg")]
    );

    let read = get_json(
        &graph(
            &sandbox,
            &format!("{album_id}?fields=attachments,full_picture"),
        ),
        &token,
    )
    .await;
    assert_eq!(read["attachments"]["data"][0]["media_type"], "album");
    assert_eq!(read["full_picture"], media.url("square.jpg"));
}

#[tokio::test]
async fn a_published_photo_is_a_post_and_unusable_files_answer_324() {
    let sandbox = start().await;
    let media = media_host().await;
    let token = sandbox.meta().issue_page_token(PAGE_ID);
    let photos = graph(&sandbox, &format!("{PAGE_ID}/photos"));

    let made = json_of(
        post_form(
            &photos,
            &token,
            &[
                ("url", media.url("square.jpg").as_str()),
                ("caption", "Hello photo"),
            ],
        )
        .await,
    )
    .await;
    let photo_id = id_of(&made);
    assert_eq!(made["post_id"], format!("{PAGE_ID}_{photo_id}"));

    let upload = reqwest::multipart::Form::new()
        .text("caption", "Uploaded")
        .part(
            "source",
            reqwest::multipart::Part::bytes(encoded(64, 64, image::ImageFormat::Png).to_vec())
                .file_name("a.png")
                .mime_str("image/png")
                .unwrap(),
        );
    let uploaded = client()
        .post(&photos)
        .bearer_auth(&token)
        .multipart(upload)
        .send()
        .await
        .unwrap();
    assert_eq!(uploaded.status(), 200);
    assert!(json_of(uploaded).await["post_id"].is_string());

    for (file, why) in [("missing.jpg", "a 404"), ("page.html", "not an image")] {
        let refused = post_form(&photos, &token, &[("url", media.url(file).as_str())]).await;
        let error = refusal(refused, 400).await;
        assert_eq!(error["code"], 324, "{why}");
        assert_eq!(error["message"], "(#324) Missing or invalid image file");
    }
    let nothing = refusal(post_form(&photos, &token, &[("caption", "x")]).await, 400).await;
    assert_eq!(nothing["code"], 324);

    let published = sandbox.meta().published();
    assert_eq!(published.len(), 2);
    assert_eq!(published[0].kind, "photo");
    assert_eq!(published[0].text, "Hello photo");
    assert_eq!(published[0].media_urls, [media.url("square.jpg")]);
    let served = &published[1].media_urls[0];
    assert!(served.starts_with(&format!("{}/_sandbox/uploads/", sandbox.base_url())));
    let served = client().get(served).send().await.unwrap();
    assert_eq!(served.headers()["content-type"], "image/png");
}

#[tokio::test]
async fn a_video_processes_for_the_set_number_of_reads_then_is_ready() {
    let sandbox = start().await;
    let media = media_host().await;
    let token = sandbox.meta().issue_page_token(PAGE_ID);
    sandbox.meta().set_video_polls(2);
    let made = post_form(
        &graph(&sandbox, &format!("{PAGE_ID}/videos")),
        &token,
        &[
            ("file_url", media.url("clip.mp4").as_str()),
            ("description", "A clip"),
            ("title", "Clip"),
        ],
    )
    .await;
    assert_eq!(made.status(), 200);
    let made = json_of(made).await;
    let video_id = id_of(&made);
    assert_eq!(made.as_object().unwrap().len(), 1);

    let status_url = graph(&sandbox, &format!("{video_id}?fields=status,permalink_url"));
    let mut seen = Vec::new();
    for _ in 0..3 {
        let read = get_json(&status_url, &token).await;
        assert_eq!(
            read["permalink_url"],
            format!("/sandboxpage1/videos/{video_id}/")
        );
        seen.push(read["status"]["video_status"].as_str().unwrap().to_owned());
    }
    assert_eq!(seen, ["processing", "processing", "ready"]);
    let ready = get_json(&status_url, &token).await;
    assert_eq!(ready["status"]["uploading_phase"]["status"], "complete");
    assert_eq!(ready["status"]["processing_phase"]["status"], "complete");
    assert_eq!(
        ready["status"]["publishing_phase"]["publish_status"],
        "published"
    );

    let feed = get_json(
        &graph(&sandbox, &format!("{PAGE_ID}/feed?fields=id,message")),
        &token,
    )
    .await;
    assert_eq!(feed["data"][0]["message"], "A clip");
    let page = format!(
        "{}/sandboxpage1/videos/{video_id}/",
        sandbox.urls().facebook_www
    );
    assert_eq!(client().get(page).send().await.unwrap().status(), 200);

    let unreachable = post_form(
        &graph(&sandbox, &format!("{PAGE_ID}/videos")),
        &token,
        &[("file_url", media.url("gone.mp4").as_str())],
    )
    .await;
    assert_eq!(refusal(unreachable, 400).await["code"], 389);

    let published = sandbox.meta().published();
    assert_eq!(published.len(), 1);
    assert_eq!(published[0].kind, "video");
    assert_eq!(published[0].media_urls, [media.url("clip.mp4")]);
}

#[tokio::test]
async fn a_late_answer_still_makes_the_post_the_client_gave_up_on() {
    let sandbox = start().await;
    let token = sandbox.meta().issue_page_token(PAGE_ID);
    sandbox.meta().inject(Fault::once(
        format!("/{PAGE_ID}/feed"),
        FaultKind::AnswerLate { millis: 2_000 },
    ));
    let impatient = reqwest::Client::builder()
        .timeout(StdDuration::from_millis(300))
        .build()
        .unwrap();
    let gave_up = impatient
        .post(graph(&sandbox, &format!("{PAGE_ID}/feed")))
        .bearer_auth(&token)
        .form(&[("message", "Did it post?")])
        .send()
        .await
        .unwrap_err();
    assert!(gave_up.is_timeout());

    let published = sandbox.meta().published();
    assert_eq!(published.len(), 1);
    assert_eq!(published[0].text, "Did it post?");
    let feed = get_json(&graph(&sandbox, &format!("{PAGE_ID}/feed")), &token).await;
    assert_eq!(feed["data"][0]["message"], "Did it post?");
}

#[tokio::test]
async fn the_feed_page_and_the_published_list_are_served_over_http() {
    let sandbox = start().await;
    let media = media_host().await;
    let issued = client()
        .post(format!("{}/_sandbox/page-token", sandbox.base_url()))
        .json(&json!({ "page_id": PAGE_ID }))
        .send()
        .await
        .unwrap();
    let token = json_of(issued).await["access_token"]
        .as_str()
        .unwrap()
        .to_owned();
    post_form(
        &graph(&sandbox, &format!("{PAGE_ID}/photos")),
        &token,
        &[
            ("url", media.url("square.jpg").as_str()),
            ("caption", "<b>bold</b> & co"),
        ],
    )
    .await;

    let listed = json_of(
        client()
            .get(format!("{}/_sandbox/published", sandbox.base_url()))
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(listed[0]["kind"], "photo");
    assert_eq!(listed[0]["account_id"], PAGE_ID);

    let page = client()
        .get(format!("{}/_sandbox/feed", sandbox.base_url()))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(page.contains("<h2>Sandbox Page 1 — Facebook Page 1000000000000001</h2>"));
    assert!(page.contains("@sandbox.insta"));
    assert!(page.contains(&format!("<img src=\"{}\"", media.url("square.jpg"))));
    assert!(page.contains("&lt;b&gt;bold&lt;/b&gt; &amp; co"));
    let index = client().get(sandbox.base_url()).send().await.unwrap();
    assert!(
        index
            .text()
            .await
            .unwrap()
            .contains("href=\"/_sandbox/feed\"")
    );

    let unknown = client()
        .post(format!("{}/_sandbox/page-token", sandbox.base_url()))
        .json(&json!({ "page_id": "42" }))
        .send()
        .await
        .unwrap();
    assert_eq!(unknown.status(), 404);
}
