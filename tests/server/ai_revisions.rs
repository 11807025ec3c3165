//! Rephrasing with a preview, through the server: a proposal streams in, changes nothing until
//! it is confirmed, can be cancelled or modified again, holds the post's other controls while
//! it is open, and is kept with its instruction, input, output and fate.

use std::time::Duration;

use herald::error::{AppError, Problem};
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::{TestApp, TestOptions, app_error, seed_account};
use crate::media::signed_in_app;

const TEXT: &str = "Our bakery opens on Monday. Come and taste the sourdough!";

async fn draft(app: &TestApp) -> Value {
    let account = seed_account(app, &app.client, "facebook", "Ada's Bakery").await;
    let response = app
        .client
        .post(app.url("/api/save_draft"))
        .json(&json!({"draft": {
            "id": null, "revision": null, "text": TEXT, "hashtags": "", "call_to_action": "",
            "targets": [{"account_id": account.to_string(), "variant": null}], "media": [],
        }}))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    response.json().await.unwrap()
}

async fn sandboxed_app() -> TestApp {
    let app = signed_in_app(TestOptions {
        sandbox: true,
        ..TestOptions::default()
    })
    .await;
    app.sandbox.as_ref().unwrap().ai().set_pace(Duration::ZERO);
    app
}

/// A server function's answer, read as JSON.
async fn answer(app: &TestApp, endpoint: &str, form: &[(&str, &str)]) -> Value {
    app.call(&app.client, endpoint, form)
        .await
        .json()
        .await
        .unwrap()
}

async fn rephrase(app: &TestApp, form: &[(&str, &str)]) -> reqwest::Response {
    app.call(&app.client, "rephrase_post", form).await
}

/// Reads the proposal's events to their end: the texts seen, then the finished proposal.
async fn watch(app: &TestApp, id: &str) -> (Vec<String>, Value) {
    let body = app
        .client
        .get(app.url(&format!("/ai/revisions/{id}/events")))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let mut texts = Vec::new();
    let mut end = Value::Null;
    for block in body.split("\n\n") {
        let kind = block.lines().find_map(|line| line.strip_prefix("event: "));
        let data: String = block
            .lines()
            .filter_map(|line| line.strip_prefix("data: "))
            .collect();
        match kind {
            Some("text") => texts.push(serde_json::from_str(&data).unwrap()),
            Some("end") => end = serde_json::from_str(&data).unwrap(),
            _ => {}
        }
    }
    (texts, end)
}

#[tokio::test]
async fn a_confirmed_proposal_replaces_the_text_and_a_cancelled_one_changes_nothing() {
    let app = sandboxed_app().await;
    let post = draft(&app).await;
    let id = post["id"].as_str().unwrap();
    let revision = post["revision"].to_string();

    let started = rephrase(
        &app,
        &[("id", id), ("revision", &revision), ("preset", "shorter")],
    )
    .await;
    assert_eq!(started.status(), StatusCode::OK);
    let proposal: Value = started.json().await.unwrap();
    assert_eq!(proposal["input"], TEXT);
    let (_, ended) = watch(&app, proposal["id"].as_str().unwrap()).await;
    assert_eq!(ended["status"], "open", "{ended}");
    assert_eq!(ended["output"], "Our bakery opens on Monday.");

    // While it is open, the post is neither saved, published nor scheduled.
    let publish = app
        .call(
            &app.client,
            "publish_post",
            &[("id", id), ("revision", &revision)],
        )
        .await;
    assert_eq!(
        app_error(publish).await,
        AppError::Conflict(Problem::AiProposalOpen)
    );
    let second = rephrase(&app, &[("id", id), ("preset", "friendlier")]).await;
    assert_eq!(
        app_error(second).await,
        AppError::Conflict(Problem::AiProposalOpen)
    );

    // Modify again: the new proposal starts from the open one's text.
    let again = rephrase(
        &app,
        &[
            ("id", id),
            ("preset", "add_emojis"),
            ("from", proposal["id"].as_str().unwrap()),
        ],
    )
    .await;
    let again: Value = again.json().await.unwrap();
    assert_eq!(again["input"], "Our bakery opens on Monday.");
    let (_, ended) = watch(&app, again["id"].as_str().unwrap()).await;
    assert_eq!(ended["output"], "Our bakery opens on Monday. 🎉✨");

    let unchanged: Value = answer(&app, "get_post", &[("id", id)]).await;
    assert_eq!(unchanged["text"], TEXT);

    let confirmed = app
        .call(
            &app.client,
            "confirm_revision",
            &[("id", again["id"].as_str().unwrap())],
        )
        .await;
    assert_eq!(confirmed.status(), StatusCode::OK);
    let confirmed: Value = confirmed.json().await.unwrap();
    assert_eq!(confirmed["text"], "Our bakery opens on Monday. 🎉✨");
    assert_eq!(
        confirmed["revision"],
        post["revision"].as_i64().unwrap() + 1
    );

    // A second confirm changes nothing.
    let twice = app
        .call(
            &app.client,
            "confirm_revision",
            &[("id", again["id"].as_str().unwrap())],
        )
        .await;
    assert_eq!(
        app_error(twice).await,
        AppError::Conflict(Problem::AiProposalClosed)
    );

    let third: Value = answer(
        &app,
        "rephrase_post",
        &[("id", id), ("instruction", "Make it friendlier")],
    )
    .await;
    watch(&app, third["id"].as_str().unwrap()).await;
    let cancelled = app
        .call(
            &app.client,
            "cancel_revision",
            &[("id", third["id"].as_str().unwrap())],
        )
        .await;
    assert_eq!(cancelled.status(), StatusCode::OK);
    let after: Value = answer(&app, "get_post", &[("id", id)]).await;
    assert_eq!(after["text"], "Our bakery opens on Monday. 🎉✨");

    // Every proposal is kept, with what was asked and what became of it.
    let listed: Value = answer(&app, "post_revisions", &[("id", id)]).await;
    let statuses: Vec<&str> = listed
        .as_array()
        .unwrap()
        .iter()
        .map(|revision| revision["status"].as_str().unwrap())
        .collect();
    assert_eq!(statuses, vec!["cancelled", "accepted", "replaced"]);
    assert_eq!(
        listed[0]["instruction"],
        json!({"Own": "Make it friendlier"})
    );
    assert_eq!(listed[2]["model"], "sandbox-chat");
}

#[tokio::test]
async fn a_failed_answer_is_kept_with_its_reason_and_frees_the_post() {
    let app = sandboxed_app().await;
    let post = draft(&app).await;
    let id = post["id"].as_str().unwrap();
    app.sandbox
        .as_ref()
        .unwrap()
        .ai()
        .inject(herald::sandbox::ai::AiFault::Status {
            status: 429,
            retry_after: Some(30),
        });
    let started: Value = answer(&app, "rephrase_post", &[("id", id), ("preset", "shorter")]).await;
    let (_, ended) = watch(&app, started["id"].as_str().unwrap()).await;
    assert_eq!(ended["status"], "failed");
    assert_eq!(
        ended["problem"],
        json!({"code": "ai_rate_limited", "seconds": 30})
    );
    let retried = rephrase(&app, &[("id", id), ("preset", "shorter")]).await;
    assert_eq!(retried.status(), StatusCode::OK);
}

#[tokio::test]
async fn without_ai_configured_rephrasing_says_how_to_set_it_up() {
    let app = signed_in_app(TestOptions::default()).await;
    let post = draft(&app).await;
    let status: Value = answer(&app, "ai_status", &[]).await;
    assert_eq!(status["configured"], false);
    let refused = rephrase(
        &app,
        &[("id", post["id"].as_str().unwrap()), ("preset", "shorter")],
    )
    .await;
    assert_eq!(
        app_error(refused).await,
        AppError::Refused(Problem::AiNotConfigured)
    );
    assert_eq!(app.count("ai_revisions").await, 0);
}

#[tokio::test]
async fn an_empty_instruction_is_refused_and_nothing_is_kept() {
    let app = sandboxed_app().await;
    let post = draft(&app).await;
    let refused = rephrase(
        &app,
        &[("id", post["id"].as_str().unwrap()), ("instruction", "   ")],
    )
    .await;
    assert_eq!(
        app_error(refused).await,
        AppError::invalid("instruction", Problem::AiInstructionMissing)
    );
    assert_eq!(app.count("ai_revisions").await, 0);
}

#[tokio::test]
async fn a_brief_becomes_a_draft_with_words_for_each_network() {
    let app = sandboxed_app().await;
    let facebook = seed_account(&app, &app.client, "facebook", "Ada's Bakery").await;
    let instagram = seed_account(&app, &app.client, "instagram", "adasbakery").await;
    let response = app
        .call(
            &app.client,
            "draft_from_brief",
            &[
                ("brief", "Spring sale on garden tools this weekend"),
                ("account[0]", facebook.as_str()),
                ("account[1]", instagram.as_str()),
            ],
        )
        .await;
    let status = response.status();
    let post: Value = response.json().await.unwrap();
    assert_eq!(status, StatusCode::OK, "{post}");
    assert_eq!(post["status"], "draft");
    assert_eq!(
        post["text"],
        "Spring sale on garden tools this — for Facebook."
    );
    assert_eq!(post["hashtags"], "#spring #sale #garden");
    assert_eq!(
        post["call_to_action"],
        "Tell us what you think in the comments."
    );
    let variant_of = |network: &str| {
        post["targets"]
            .as_array()
            .unwrap()
            .iter()
            .find(|target| target["network"] == network)
            .map(|target| target["variant"].clone())
            .unwrap()
    };
    assert_eq!(variant_of("facebook"), Value::Null);
    assert_eq!(
        variant_of("instagram"),
        "Spring sale on garden tools this — for Instagram."
    );

    let empty = app
        .call(
            &app.client,
            "draft_from_brief",
            &[("brief", " "), ("account[0]", facebook.as_str())],
        )
        .await;
    assert_eq!(
        app_error(empty).await,
        AppError::invalid("brief", Problem::AiBriefMissing)
    );
}

#[tokio::test]
async fn without_javascript_the_forms_wait_for_the_proposal_and_answer_it() {
    let app = sandboxed_app().await;
    let post = draft(&app).await;
    let id = post["id"].as_str().unwrap();
    let form = |path: &str, fields: &[(&str, &str)]| {
        app.client
            .post(app.url(path))
            .header(reqwest::header::ORIGIN, app.address.clone())
            .form(fields)
            .send()
    };
    let revision = post["revision"].to_string();
    let answered = form(
        &format!("/compose/{id}/rephrase"),
        &[
            ("revision", &revision),
            ("preset", "shorter"),
            ("instruction", ""),
        ],
    )
    .await
    .unwrap();
    assert!(answered.status().is_redirection());
    assert_eq!(
        answered.headers()["location"],
        format!("/compose/{id}").as_str()
    );
    // The redirect came once the proposal was written.
    let listed: Value = answer(&app, "post_revisions", &[("id", id)]).await;
    assert_eq!(listed[0]["status"], "open");
    assert_eq!(listed[0]["output"], "Our bakery opens on Monday.");

    let confirmed = form(
        &format!(
            "/ai/revisions/{}/confirm",
            listed[0]["id"].as_str().unwrap()
        ),
        &[],
    )
    .await
    .unwrap();
    assert_eq!(
        confirmed.headers()["location"],
        format!("/compose/{id}?done=saved").as_str()
    );
    let after: Value = answer(&app, "get_post", &[("id", id)]).await;
    assert_eq!(after["text"], "Our bakery opens on Monday.");

    let refused = form(&format!("/compose/{id}/rephrase"), &[("instruction", " ")])
        .await
        .unwrap();
    let location = refused.headers()["location"].to_str().unwrap().to_owned();
    assert!(
        location.starts_with(&format!("/compose/{id}?problem=")),
        "{location}"
    );
    assert_eq!(app.count("ai_revisions").await, 1);
}

#[tokio::test]
async fn cancelling_a_proposal_stops_the_models_stream() {
    let app = sandboxed_app().await;
    let ai = app.sandbox.as_ref().unwrap().ai();
    // Slow enough that the answer is still being written when Cancel comes.
    ai.set_pace(Duration::from_millis(300));
    let post = draft(&app).await;
    let id = post["id"].as_str().unwrap();
    let revision = post["revision"].to_string();
    let proposal: Value = rephrase(
        &app,
        &[("id", id), ("revision", &revision), ("preset", "shorter")],
    )
    .await
    .json()
    .await
    .unwrap();
    let proposal_id = proposal["id"].as_str().unwrap().to_owned();
    // Once the first words are kept, cancel.
    for _ in 0..100 {
        let seen: Value = answer(&app, "get_revision", &[("id", &proposal_id)]).await;
        if !seen["output"].as_str().unwrap_or_default().is_empty() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let cancelled = app
        .call(&app.client, "cancel_revision", &[("id", &proposal_id)])
        .await;
    assert_eq!(cancelled.status(), StatusCode::OK);
    // Herald stops reading at its next piece, which closes the model's stream.
    for _ in 0..100 {
        if ai.abandoned_streams() == 1 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert_eq!(
        ai.abandoned_streams(),
        1,
        "the stream was left, not read to its end"
    );
    let after: Value = answer(&app, "get_revision", &[("id", &proposal_id)]).await;
    assert_eq!(after["status"], "cancelled");
}

#[tokio::test]
async fn a_workspace_past_its_hourly_ai_limit_is_told_when_to_try_again() {
    let app = signed_in_app(TestOptions {
        sandbox: true,
        ai_hourly_limit: Some(2),
        ..TestOptions::default()
    })
    .await;
    app.sandbox.as_ref().unwrap().ai().set_pace(Duration::ZERO);
    let post = draft(&app).await;
    let id = post["id"].as_str().unwrap();
    let ask_and_cancel = || async {
        let started = rephrase(&app, &[("id", id), ("preset", "shorter")]).await;
        if started.status() != StatusCode::OK {
            return Err(app_error(started).await);
        }
        let proposal: Value = started.json().await.unwrap();
        let proposal_id = proposal["id"].as_str().unwrap().to_owned();
        watch(&app, &proposal_id).await;
        app.call(&app.client, "cancel_revision", &[("id", &proposal_id)])
            .await;
        Ok(())
    };
    ask_and_cancel().await.unwrap();
    ask_and_cancel().await.unwrap();

    let third = ask_and_cancel().await;
    let calls_made = app.sandbox.as_ref().unwrap().ai().requests().len();

    assert_eq!(
        third,
        Err(AppError::Refused(Problem::AiHourlyLimit {
            limit: 2,
            minutes: 60
        }))
    );
    assert_eq!(calls_made, 2, "the refused request never reached the model");
    app.clock.advance(chrono::Duration::minutes(61));
    ask_and_cancel().await.expect("a new hour, new calls");
}

#[tokio::test]
async fn a_session_may_follow_only_a_few_proposals_at_once() {
    let app = sandboxed_app().await;
    // Slow enough that the proposal is still being written while the streams are open.
    app.sandbox
        .as_ref()
        .unwrap()
        .ai()
        .set_pace(Duration::from_millis(200));
    let post = draft(&app).await;
    let id = post["id"].as_str().unwrap();
    let proposal: Value = rephrase(&app, &[("id", id), ("preset", "shorter")])
        .await
        .json()
        .await
        .unwrap();
    let events = app.url(&format!(
        "/ai/revisions/{}/events",
        proposal["id"].as_str().unwrap()
    ));
    let open = || app.client.get(&events).send();

    let mut streams = Vec::new();
    for _ in 0..herald::server::ai::stream_slots::PER_SESSION {
        let stream = open().await.unwrap();
        assert_eq!(stream.status(), StatusCode::OK);
        streams.push(stream);
    }
    let one_too_many = open().await.unwrap();

    assert_eq!(one_too_many.status(), StatusCode::TOO_MANY_REQUESTS);
    // A closed stream gives its place back.
    drop(streams.pop());
    let mut reopened = StatusCode::TOO_MANY_REQUESTS;
    for _ in 0..50 {
        reopened = open().await.unwrap().status();
        if reopened == StatusCode::OK {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert_eq!(reopened, StatusCode::OK);
}
