//! Publishing through the job queue against the Meta sandbox, driven by `jobs::run_once` and
//! the fixed clock: every publish path, every error class, and the cases where the answer to
//! a call that publishes is lost — which must end with exactly one post, never two.

use std::time::Duration;

use chrono::DateTime;
use herald::domain::AccountId;
use herald::domain::accounts::AccountStatus;
use herald::sandbox::meta::{Fault, FaultKind, SandboxPost};
use herald::server::clock::Clock;
use herald::server::db::{self, accounts};
use herald::server::jobs;
use image::ImageFormat;
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::{Seeded, TestApp, TestOptions, seed_account_with};
use crate::media::{encoded, mp4_video, signed_in_app, two_colours, uploaded};

pub(crate) struct World {
    pub app: TestApp,
    pub facebook: AccountId,
    pub instagram: AccountId,
    pub page_id: String,
    pub instagram_id: String,
    /// The Page token both accounts were connected with.
    pub token: String,
}

pub(crate) async fn world() -> World {
    world_with(TestOptions::default()).await
}

/// Signed in, with the sandbox's first Page and the Instagram account linked to it connected
/// with tokens the sandbox really issued.
pub(crate) async fn world_with(options: TestOptions) -> World {
    let app = signed_in_app(TestOptions {
        sandbox: true,
        ..options
    })
    .await;
    let sandbox = app.sandbox.clone().expect("the sandbox runs");
    let page = sandbox.meta().pages().remove(0);
    let instagram_id = page
        .instagram_account
        .as_ref()
        .expect("the first sandbox Page has an Instagram account")
        .id
        .clone();
    let token = sandbox.meta().issue_page_token(&page.id);
    let facebook = connect(&app, "facebook", &page.id, None, &token).await;
    let instagram = connect(&app, "instagram", &instagram_id, Some(&page.id), &token).await;
    World {
        app,
        facebook,
        instagram,
        page_id: page.id,
        instagram_id,
        token,
    }
}

/// Herald waits half a second for Meta, and the next Page post is made but answered after
/// a second and a half: a timeout after the post exists.
async fn world_where_a_post_answers_too_late() -> World {
    let world = world_with(TestOptions {
        meta_timeout: Some(Duration::from_millis(500)),
        ..TestOptions::default()
    })
    .await;
    inject(
        &world,
        Fault::once("/feed", FaultKind::AnswerLate { millis: 1500 }),
    );
    world
}

async fn connect(
    app: &TestApp,
    network: &str,
    remote_id: &str,
    page_id: Option<&str>,
    token: &str,
) -> AccountId {
    let name = format!("Sandbox {network}");
    let account = Seeded {
        network,
        connection: "facebook_login",
        remote_id,
        page_id,
        name: &name,
        token,
    };
    seed_account_with(app, &app.client, &account).await
}

pub(crate) async fn picture(app: &TestApp, name: &str) -> String {
    let item = uploaded(
        app,
        name,
        encoded(&two_colours(1080, 1350), ImageFormat::Jpeg),
    )
    .await;
    item["id"].as_str().unwrap().to_owned()
}

pub(crate) async fn video(app: &TestApp) -> String {
    let item = uploaded(app, "clip.mp4", mp4_video(1080, 1920, 5)).await;
    item["id"].as_str().unwrap().to_owned()
}

/// Saves a draft for `accounts` and returns its id and revision.
pub(crate) async fn draft(
    app: &TestApp,
    accounts: &[&AccountId],
    text: &str,
    media: &[String],
) -> (String, i64) {
    let targets: Vec<Value> = accounts
        .iter()
        .map(|id| json!({ "account_id": id, "variant": null }))
        .collect();
    let body = save(app, targets, text, media)
        .await
        .expect("the draft is saved");
    (
        body["id"].as_str().unwrap().to_owned(),
        body["revision"].as_i64().unwrap(),
    )
}

/// A draft for one account as a Story; its id and revision.
pub(crate) async fn story(
    app: &TestApp,
    account: &AccountId,
    text: &str,
    media: &[String],
) -> (String, i64) {
    let targets = vec![json!({ "account_id": account, "variant": null, "format": "story" })];
    let body = save(app, targets, text, media)
        .await
        .expect("the story is saved");
    (
        body["id"].as_str().unwrap().to_owned(),
        body["revision"].as_i64().unwrap(),
    )
}

/// Saves a draft with these targets: the saved post, or the refusal.
pub(crate) async fn save(
    app: &TestApp,
    targets: Vec<Value>,
    text: &str,
    media: &[String],
) -> Result<Value, Value> {
    let response = app
        .client
        .post(app.url("/api/save_draft"))
        .json(&json!({ "draft": {
            "id": null, "revision": null, "text": text, "hashtags": "", "call_to_action": "",
            "targets": targets, "media": media,
        }}))
        .send()
        .await
        .unwrap();
    let status = response.status();
    let body: Value = response.json().await.unwrap();
    if status == StatusCode::OK {
        Ok(body)
    } else {
        Err(body)
    }
}

pub(crate) async fn publish(app: &TestApp, post: &str, revision: i64) -> Value {
    let revision = revision.to_string();
    let response = app
        .call(
            &app.client,
            "publish_post",
            &[("id", post), ("revision", revision.as_str())],
        )
        .await;
    let status = response.status();
    let body: Value = response.json().await.unwrap();
    assert_eq!(status, StatusCode::OK, "{body}");
    body
}

pub(crate) async fn post(app: &TestApp, id: &str) -> Value {
    let response = app.call(&app.client, "get_post", &[("id", id)]).await;
    assert_eq!(response.status(), StatusCode::OK);
    response.json().await.unwrap()
}

/// Runs the queue until no publishing job is left, moving the fixed clock to each next due
/// time. Token checks plan themselves again forever, so they do not count.
pub(crate) async fn settle(app: &TestApp) {
    for _ in 0..200 {
        let now = app.clock.now();
        let ran = jobs::run_once(&app.state, now).await.unwrap();
        if ran > 0 {
            continue;
        }
        let (due,): (Option<i64>,) = sqlx::query_as(
            "SELECT MIN(CASE WHEN status = 'queued' THEN due_at ELSE lease_until END) FROM jobs \
             WHERE kind = 'publish' AND status IN ('queued', 'running')",
        )
        .fetch_one(app.state.db.pool())
        .await
        .unwrap();
        match due {
            None => return,
            Some(due) if due > db::millis(now) => {
                app.clock.set(DateTime::from_timestamp_millis(due).unwrap());
            }
            Some(_) => app.clock.advance(chrono::Duration::seconds(1)),
        }
    }
    panic!("the queue did not settle");
}

/// When the next job is due, Unix milliseconds; there must be one.
pub(crate) async fn next_due(app: &TestApp) -> i64 {
    db::jobs::next_due(app.state.db.pool())
        .await
        .unwrap()
        .expect("a job is waiting")
}

/// One pass of the queue at the clock's time.
pub(crate) async fn run_once(app: &TestApp) -> usize {
    jobs::run_once(&app.state, app.clock.now()).await.unwrap()
}

pub(crate) fn live(world: &World) -> Vec<SandboxPost> {
    world.app.sandbox.as_ref().unwrap().meta().published()
}

pub(crate) fn live_on(world: &World, account: &str) -> Vec<SandboxPost> {
    live(world)
        .into_iter()
        .filter(|post| post.account_id == account)
        .collect()
}

pub(crate) fn target<'a>(view: &'a Value, account: &AccountId) -> &'a Value {
    view["targets"]
        .as_array()
        .unwrap()
        .iter()
        .find(|target| target["account_id"] == account.as_str())
        .expect("the account is a target")
}

pub(crate) fn ledger_steps(view: &Value, account: &AccountId) -> Vec<(String, String)> {
    view["ledger"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|entry| entry["account_id"] == account.as_str())
        .map(|entry| {
            (
                entry["step"].as_str().unwrap().to_owned(),
                entry["outcome"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

pub(crate) fn inject(world: &World, fault: Fault) {
    world.app.sandbox.as_ref().unwrap().meta().inject(fault);
}

pub(crate) fn graph_error(
    status: u16,
    code: i64,
    subcode: Option<i64>,
    message: &str,
) -> FaultKind {
    FaultKind::GraphError {
        status,
        code,
        subcode,
        is_transient: None,
        message: message.to_owned(),
        headers: Vec::new(),
    }
}

#[tokio::test]
async fn a_facebook_text_post_and_an_instagram_carousel_are_published_once_each() {
    let world = world().await;
    let app = &world.app;
    let pictures = vec![picture(app, "a.jpg").await, picture(app, "b.jpg").await];
    let (id, revision) = draft(
        app,
        &[&world.facebook, &world.instagram],
        "Two loaves, one oven.",
        &pictures,
    )
    .await;
    let started = publish(app, &id, revision).await;
    assert_eq!(started["status"], "publishing");
    // A second press changes nothing.
    let again = publish(app, &id, revision).await;
    assert_eq!(again["status"], "publishing");
    settle(app).await;

    let view = post(app, &id).await;
    assert_eq!(view["status"], "published", "{view}");
    for account in [&world.facebook, &world.instagram] {
        let result = target(&view, account);
        assert_eq!(result["status"], "published", "{result}");
        assert!(result["remote_url"].as_str().unwrap().starts_with("http"));
    }
    let facebook = live_on(&world, &world.page_id);
    assert_eq!(facebook.len(), 1, "{facebook:?}");
    assert_eq!(facebook[0].text, "Two loaves, one oven.");
    assert_eq!(facebook[0].media_urls.len(), 2);
    let instagram = live_on(&world, &world.instagram_id);
    assert_eq!(instagram.len(), 1, "{instagram:?}");
    assert_eq!(instagram[0].kind, "carousel");
    assert_eq!(instagram[0].media_urls.len(), 2);
    assert_eq!(
        target(&view, &world.instagram)["remote_url"],
        instagram[0].permalink
    );
    // The ledger shows each call that mattered, in order.
    let steps = ledger_steps(&view, &world.instagram);
    assert_eq!(
        steps
            .iter()
            .filter(|(step, _)| step == "publish_container")
            .count(),
        1
    );
    assert!(steps.contains(&("publish_container".into(), "succeeded".into())));
    assert_eq!(
        ledger_steps(&view, &world.facebook)
            .iter()
            .filter(|(step, outcome)| step == "upload_photo" && outcome == "succeeded")
            .count(),
        2
    );
    // Published posts are history: publishing again does nothing.
    publish(app, &id, revision + 1).await;
    settle(app).await;
    assert_eq!(live(&world).len(), 2);
}

#[tokio::test]
async fn a_text_post_a_single_photo_a_video_and_an_instagram_picture_and_reel() {
    let world = world().await;
    let app = &world.app;
    let text = draft(
        app,
        &[&world.facebook],
        "Open from 8 https://example.org/menu",
        &[],
    )
    .await;
    let photo = picture(app, "p.jpg").await;
    let one_photo = draft(
        app,
        &[&world.facebook, &world.instagram],
        "One photo",
        &[photo],
    )
    .await;
    let clip = video(app).await;
    let clip_post = draft(app, &[&world.facebook, &world.instagram], "A clip", &[clip]).await;
    for (id, revision) in [&text, &one_photo, &clip_post] {
        publish(app, id, *revision).await;
    }
    settle(app).await;
    for (id, _) in [&text, &one_photo, &clip_post] {
        let view = post(app, id).await;
        assert_eq!(view["status"], "published", "{view}");
    }
    let kinds = |account: &str| -> Vec<String> {
        live_on(&world, account)
            .into_iter()
            .map(|post| post.kind)
            .collect()
    };
    let facebook = kinds(&world.page_id);
    assert_eq!(facebook.len(), 3, "{facebook:?}");
    assert!(facebook.contains(&"link".to_owned()) || facebook.contains(&"text".to_owned()));
    assert!(facebook.contains(&"photo".to_owned()));
    assert!(facebook.contains(&"video".to_owned()));
    let instagram = kinds(&world.instagram_id);
    assert_eq!(instagram.len(), 2, "{instagram:?}");
    assert!(instagram.contains(&"image".to_owned()));
    assert!(instagram.contains(&"reel".to_owned()));
}

#[tokio::test]
async fn an_expired_token_fails_that_account_and_asks_for_a_reconnect() {
    let world = world().await;
    let app = &world.app;
    inject(
        &world,
        Fault::once(
            "/feed",
            graph_error(
                400,
                190,
                Some(463),
                "Error validating access token: Session has expired",
            ),
        ),
    );
    let (id, revision) = draft(app, &[&world.facebook], "Hello", &[]).await;
    publish(app, &id, revision).await;
    settle(app).await;
    let view = post(app, &id).await;
    assert_eq!(view["status"], "failed");
    let result = target(&view, &world.facebook);
    assert_eq!(result["status"], "failed");
    assert_eq!(result["reason"], "reconnect");
    let account = accounts::find(
        app.state.db.pool(),
        &app.session(&app.client).await.unwrap()["workspace_id"]
            .as_str()
            .unwrap()
            .to_owned()
            .into(),
        &world.facebook,
    )
    .await
    .unwrap()
    .unwrap();
    assert_eq!(account.status, AccountStatus::NeedsReconnect);
    assert!(live(&world).is_empty());
}

#[tokio::test]
async fn a_rate_limit_waits_then_posts() {
    let world = world().await;
    let app = &world.app;
    inject(
        &world,
        Fault::once(
            "/feed",
            FaultKind::GraphError {
                status: 400,
                code: 32,
                subcode: None,
                is_transient: None,
                message: "(#32) Page request limit reached".into(),
                headers: vec![(
                    "x-business-use-case-usage".into(),
                    format!(
                        r#"{{"{}":[{{"type":"pages","call_count":100,"total_cputime":10,"total_time":10,"estimated_time_to_regain_access":20}}]}}"#,
                        world.page_id
                    ),
                )],
            },
        ),
    );
    let (id, revision) = draft(app, &[&world.facebook], "Patience", &[]).await;
    publish(app, &id, revision).await;
    let start = app.clock.now();
    assert_eq!(run_once(app).await, 1);
    assert!(live(&world).is_empty());
    let due = next_due(app).await;
    assert!(
        due >= db::millis(start + chrono::Duration::minutes(20)),
        "Meta asked for 20 minutes"
    );
    // Nothing happens before then.
    app.clock.advance(chrono::Duration::minutes(10));
    assert_eq!(run_once(app).await, 0);
    settle(app).await;
    assert_eq!(live_on(&world, &world.page_id).len(), 1);
    let view = post(app, &id).await;
    assert_eq!(view["status"], "published");
    let steps = ledger_steps(&view, &world.facebook);
    assert_eq!(steps[0], ("create_post".into(), "waiting".into()));
}

#[tokio::test]
async fn temporary_server_errors_are_retried_with_backoff() {
    let world = world().await;
    let app = &world.app;
    inject(
        &world,
        Fault {
            path_contains: "/media".into(),
            kind: graph_error(500, 2, None, "(#2) Service temporarily unavailable"),
            times: 2,
        },
    );
    let photo = picture(app, "p.jpg").await;
    let (id, revision) = draft(app, &[&world.instagram], "Again", &[photo]).await;
    publish(app, &id, revision).await;
    settle(app).await;
    let view = post(app, &id).await;
    assert_eq!(view["status"], "published", "{view}");
    let retries = ledger_steps(&view, &world.instagram)
        .into_iter()
        .filter(|(step, outcome)| step == "create_container" && outcome == "will_retry")
        .count();
    assert_eq!(retries, 2);
    assert_eq!(live_on(&world, &world.instagram_id).len(), 1);
}

#[tokio::test]
async fn media_instagram_refuses_fails_without_a_retry() {
    let world = world().await;
    let app = &world.app;
    inject(
        &world,
        Fault::once(
            "/media",
            graph_error(
                400,
                36001,
                Some(2207005),
                "The image format is not supported.",
            ),
        ),
    );
    let photo = picture(app, "p.jpg").await;
    let (id, revision) = draft(app, &[&world.instagram], "Bad picture", &[photo]).await;
    publish(app, &id, revision).await;
    settle(app).await;
    let view = post(app, &id).await;
    let result = target(&view, &world.instagram);
    assert_eq!(result["status"], "failed");
    assert_eq!(result["reason"], "media_refused");
    assert!(result["detail"].as_str().unwrap().contains("format"));
    let creates = ledger_steps(&view, &world.instagram)
        .into_iter()
        .filter(|(step, _)| step == "create_container")
        .count();
    assert_eq!(creates, 1, "not retried");
    assert!(live(&world).is_empty());
}

#[tokio::test]
async fn a_reached_quota_waits_for_room() {
    let world = world().await;
    let app = &world.app;
    let meta = app.sandbox.as_ref().unwrap().meta();
    meta.set_instagram_quota_total(50);
    meta.use_instagram_quota(&world.instagram_id, 50);
    let photo = picture(app, "p.jpg").await;
    let (id, revision) = draft(app, &[&world.instagram], "Quota", &[photo]).await;
    publish(app, &id, revision).await;
    for _ in 0..5 {
        run_once(app).await;
        app.clock.advance(chrono::Duration::seconds(5));
    }
    let view = post(app, &id).await;
    assert_eq!(target(&view, &world.instagram)["status"], "publishing");
    assert!(
        ledger_steps(&view, &world.instagram).contains(&("check_quota".into(), "waiting".into()))
    );
    assert!(live(&world).is_empty());
    meta.set_instagram_quota_total(100);
    settle(app).await;
    assert_eq!(post(app, &id).await["status"], "published");
    assert_eq!(live_on(&world, &world.instagram_id).len(), 1);
}

#[tokio::test]
async fn a_container_that_ends_in_error_fails_with_instagrams_words() {
    let world = world().await;
    let app = &world.app;
    let meta = app.sandbox.as_ref().unwrap().meta();
    meta.fail_next_container(2207057, "Thumbnail offset out of bounds");
    let photo = picture(app, "p.jpg").await;
    let (id, revision) = draft(app, &[&world.instagram], "Broken", &[photo]).await;
    publish(app, &id, revision).await;
    settle(app).await;
    let view = post(app, &id).await;
    let result = target(&view, &world.instagram);
    assert_eq!(result["status"], "failed", "{view}");
    assert_eq!(result["reason"], "container_error");
    assert!(result["detail"].as_str().unwrap().contains("2207057"));
    assert!(live(&world).is_empty());
}

#[tokio::test]
async fn a_timeout_after_the_post_was_made_is_reconciled_not_repeated() {
    let world = world_where_a_post_answers_too_late().await;
    let app = &world.app;
    inject(
        &world,
        Fault::once("/media_publish", FaultKind::AnswerLate { millis: 1500 }),
    );
    let photo = picture(app, "p.jpg").await;
    let (fb_post, fb_revision) = draft(app, &[&world.facebook], "Said once", &[]).await;
    let (ig_post, ig_revision) = draft(app, &[&world.instagram], "Said once too", &[photo]).await;
    publish(app, &fb_post, fb_revision).await;
    publish(app, &ig_post, ig_revision).await;
    run_once(app).await;
    let doubtful = post(app, &fb_post).await;
    assert_eq!(
        target(&doubtful, &world.facebook)["status"],
        "outcome_unknown"
    );
    settle(app).await;
    for (id, account) in [(&fb_post, &world.facebook), (&ig_post, &world.instagram)] {
        let view = post(app, id).await;
        assert_eq!(view["status"], "published", "{view}");
        let steps = ledger_steps(&view, account);
        assert!(
            steps.contains(&("reconcile".into(), "found_posted".into())),
            "{steps:?}"
        );
        assert!(
            steps
                .iter()
                .any(|(_, outcome)| outcome == "outcome_unknown"),
            "{steps:?}"
        );
    }
    assert_eq!(live_on(&world, &world.page_id).len(), 1);
    assert_eq!(live_on(&world, &world.instagram_id).len(), 1);
}

#[tokio::test]
async fn a_crash_between_claim_and_call_publishes_once_after_the_lease_runs_out() {
    let world = world().await;
    let app = &world.app;
    let (id, revision) = draft(app, &[&world.facebook], "After the crash", &[]).await;
    publish(app, &id, revision).await;
    let now = app.clock.now();
    // A worker claims the job, then dies before calling anything.
    let claimed = db::jobs::claim_next(
        app.state.db.pool(),
        app.state.db.engine(),
        "worker-that-died",
        db::millis(now),
        db::millis(now + jobs::LEASE),
    )
    .await
    .unwrap();
    assert!(claimed.is_some());
    assert_eq!(run_once(app).await, 0, "the lease still holds");
    app.clock
        .advance(jobs::LEASE + chrono::Duration::seconds(1));
    settle(app).await;
    assert_eq!(post(app, &id).await["status"], "published");
    assert_eq!(live_on(&world, &world.page_id).len(), 1);
}

#[tokio::test]
async fn a_live_workers_heartbeat_keeps_its_job_and_a_restarted_instance_takes_its_own_back() {
    let world = world().await;
    let app = &world.app;
    let (id, revision) = draft(app, &[&world.facebook], "Held", &[]).await;
    publish(app, &id, revision).await;
    let now = app.clock.now();
    let pool = app.state.db.pool();
    // An earlier run of this very instance claimed the job and died.
    let earlier = format!("{}earlier-run", app.state.jobs.instance());
    let claimed = db::jobs::claim_next(
        pool,
        app.state.db.engine(),
        &earlier,
        db::millis(now),
        db::millis(now + jobs::LEASE),
    )
    .await
    .unwrap();
    assert!(claimed.is_some());

    // While it renews its lease, nobody takes the job, however long it runs.
    for _ in 0..4 {
        app.clock.advance(chrono::Duration::seconds(20));
        let now = app.clock.now();
        let renewed = db::jobs::renew_leases(
            pool,
            &earlier,
            db::millis(now),
            db::millis(now + jobs::LEASE),
        )
        .await
        .unwrap();
        assert_eq!(renewed, 1);
        assert_eq!(run_once(app).await, 0, "the lease was renewed");
    }
    // Another instance's leases are not this one's to end.
    let elsewhere = db::jobs::end_leases_of_instance(
        pool,
        "some-other-host:9/",
        app.state.jobs.owner(),
        db::millis(app.clock.now()),
    )
    .await
    .unwrap();
    assert_eq!(elsewhere, 0);
    assert_eq!(run_once(app).await, 0);

    // This instance starts again: the earlier run's job is taken up at once, not in 30 s.
    let ended = db::jobs::end_leases_of_instance(
        pool,
        app.state.jobs.instance(),
        app.state.jobs.owner(),
        db::millis(app.clock.now()),
    )
    .await
    .unwrap();
    assert_eq!(ended, 1);
    settle(app).await;
    assert_eq!(post(app, &id).await["status"], "published");
    assert_eq!(live_on(&world, &world.page_id).len(), 1);
}

#[tokio::test]
async fn a_crash_during_the_call_is_reconciled_and_publishes_once() {
    let world = world().await;
    let app = &world.app;
    inject(
        &world,
        Fault::once("/feed", FaultKind::AnswerLate { millis: 5_000 }),
    );
    let (id, revision) = draft(app, &[&world.facebook], "Mid-call", &[]).await;
    publish(app, &id, revision).await;
    let state = app.state.clone();
    let now = app.clock.now();
    let worker = tokio::spawn(async move { jobs::run_once(&state, now).await });
    // Wait until Meta has made the post, then kill the worker before its answer arrives.
    for _ in 0..100 {
        if !live(&world).is_empty() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    worker.abort();
    assert_eq!(live(&world).len(), 1);
    app.clock
        .advance(jobs::LEASE + chrono::Duration::seconds(1));
    settle(app).await;
    let view = post(app, &id).await;
    assert_eq!(view["status"], "published", "{view}");
    assert!(
        ledger_steps(&view, &world.facebook).contains(&("reconcile".into(), "found_posted".into()))
    );
    assert_eq!(live_on(&world, &world.page_id).len(), 1);
}

#[tokio::test]
async fn one_account_failing_does_not_stop_the_other() {
    let world = world().await;
    let app = &world.app;
    inject(
        &world,
        Fault::once(
            "/media",
            graph_error(
                400,
                36003,
                Some(2207009),
                "The aspect ratio is not supported.",
            ),
        ),
    );
    let photo = picture(app, "p.jpg").await;
    let (id, revision) = draft(
        app,
        &[&world.facebook, &world.instagram],
        "Half of it",
        &[photo],
    )
    .await;
    publish(app, &id, revision).await;
    settle(app).await;
    let view = post(app, &id).await;
    assert_eq!(view["status"], "partially_published", "{view}");
    assert_eq!(target(&view, &world.facebook)["status"], "published");
    assert_eq!(target(&view, &world.instagram)["status"], "failed");
    assert_eq!(live_on(&world, &world.page_id).len(), 1);
    assert!(live_on(&world, &world.instagram_id).is_empty());
}

#[tokio::test]
async fn when_reading_back_keeps_failing_the_person_is_asked_and_may_check_again() {
    let world = world_where_a_post_answers_too_late().await;
    let app = &world.app;
    // Every read-back of the feed fails for a while.
    inject(
        &world,
        Fault {
            path_contains: "/feed".into(),
            kind: FaultKind::Status {
                status: 502,
                body: "<html>Bad gateway</html>".into(),
            },
            times: 5,
        },
    );
    let (id, revision) = draft(app, &[&world.facebook], "In doubt", &[]).await;
    publish(app, &id, revision).await;
    settle(app).await;
    let view = post(app, &id).await;
    let result = target(&view, &world.facebook);
    assert_eq!(result["status"], "outcome_unknown", "{view}");
    assert_eq!(live_on(&world, &world.page_id).len(), 1);

    let checked = app
        .call(
            &app.client,
            "check_again",
            &[("id", id.as_str()), ("account", world.facebook.as_str())],
        )
        .await;
    assert_eq!(checked.status(), StatusCode::OK);
    settle(app).await;
    let view = post(app, &id).await;
    assert_eq!(view["status"], "published", "{view}");
    assert_eq!(live_on(&world, &world.page_id).len(), 1, "never twice");
}

#[tokio::test]
async fn an_instagram_story_carries_one_whole_picture_or_a_video_and_no_caption() {
    let world = world().await;
    let app = &world.app;
    // A tall PNG: Instagram needs JPEG, and a Story keeps the whole picture where the feed
    // would crop it to 4:5.
    let tall = uploaded(
        app,
        "tall.png",
        encoded(&two_colours(1080, 1920), ImageFormat::Png),
    )
    .await;
    let tall = tall["id"].as_str().unwrap().to_owned();
    let picture_story = story(app, &world.instagram, "Open late tonight", &[tall]).await;
    let clip = video(app).await;
    let video_story = story(app, &world.instagram, "", &[clip]).await;
    for (id, revision) in [&picture_story, &video_story] {
        publish(app, id, *revision).await;
    }
    settle(app).await;

    for (id, _) in [&picture_story, &video_story] {
        let view = post(app, id).await;
        assert_eq!(view["status"], "published", "{view}");
        assert_eq!(target(&view, &world.instagram)["format"], "story");
    }
    let stories = live_on(&world, &world.instagram_id);
    assert_eq!(stories.len(), 2, "{stories:?}");
    assert!(stories.iter().all(|story| story.kind == "story"));
    assert!(stories.iter().all(|story| story.text.is_empty()));
    // The picture Instagram fetched is the whole picture, as JPEG.
    let fetched = stories
        .iter()
        .flat_map(|story| story.media_urls.iter())
        .find(|url| url.ends_with(".jpg"))
        .expect("the picture story's address");
    let bytes = reqwest::get(fetched.as_str())
        .await
        .unwrap()
        .bytes()
        .await
        .unwrap();
    assert_eq!(image::guess_format(&bytes).unwrap(), ImageFormat::Jpeg);
    let fetched = image::load_from_memory(&bytes).unwrap();
    assert_eq!((fetched.width(), fetched.height()), (1080, 1920));
    // The Instagram feed never saw them, and the ledger shows one publishing call each.
    let view = post(app, &video_story.0).await;
    assert_eq!(
        ledger_steps(&view, &world.instagram)
            .iter()
            .filter(|(step, outcome)| step == "publish_container" && outcome == "succeeded")
            .count(),
        1
    );
}

#[tokio::test]
async fn a_story_is_refused_for_a_facebook_page_and_for_two_pictures() {
    let world = world().await;
    let app = &world.app;
    let refusal = save(
        app,
        vec![json!({ "account_id": world.facebook, "variant": null, "format": "story" })],
        "Hello",
        &[],
    )
    .await
    .expect_err("Pages have no stories here");
    assert!(
        refusal.to_string().contains("format_not_offered"),
        "{refusal}"
    );
    let pictures = vec![picture(app, "a.jpg").await, picture(app, "b.jpg").await];
    let refusal = save(
        app,
        vec![json!({ "account_id": world.instagram, "variant": null, "format": "story" })],
        "",
        &pictures,
    )
    .await
    .expect_err("a story holds one picture");
    assert!(refusal.to_string().contains("too_many_media"), "{refusal}");
    settle(app).await;
    assert!(live(&world).is_empty());
}

#[tokio::test]
async fn an_answer_reporting_a_nearly_spent_budget_pauses_the_account_for_an_hour() {
    let world = world().await;
    let app = &world.app;
    let meta = app.sandbox.as_ref().unwrap().meta();
    meta.report_usage(Some(95));
    let photo = picture(app, "p.jpg").await;
    let (id, revision) = draft(app, &[&world.instagram], "Slowly", &[photo]).await;
    publish(app, &id, revision).await;
    let start = app.clock.now();
    assert_eq!(run_once(app).await, 1);
    // One call went out and its answer said 95 %: nothing more for an hour.
    assert!(live(&world).is_empty());
    let due = next_due(app).await;
    assert!(due >= db::millis(start + chrono::Duration::minutes(60)));
    let view = post(app, &id).await;
    assert_eq!(
        ledger_steps(&view, &world.instagram).last().unwrap(),
        &("check_usage".to_owned(), "waiting".to_owned())
    );
    assert_eq!(view["status"], "publishing");
    meta.report_usage(None);
    settle(app).await;
    assert_eq!(post(app, &id).await["status"], "published");
    assert_eq!(live_on(&world, &world.instagram_id).len(), 1);
}

#[tokio::test]
async fn a_story_whose_publish_answer_was_lost_is_found_among_the_accounts_stories() {
    let world = world_where_a_post_answers_too_late().await;
    let app = &world.app;
    inject(
        &world,
        Fault::once("/media_publish", FaultKind::AnswerLate { millis: 1500 }),
    );
    let photo = picture(app, "p.jpg").await;
    let (id, revision) = story(app, &world.instagram, "", &[photo]).await;
    publish(app, &id, revision).await;
    settle(app).await;
    let view = post(app, &id).await;
    assert_eq!(view["status"], "published", "{view}");
    assert!(
        ledger_steps(&view, &world.instagram)
            .contains(&("reconcile".into(), "found_posted".into()))
    );
    let stories = live_on(&world, &world.instagram_id);
    assert_eq!(stories.len(), 1);
    // The Story's own address, read from the account's Stories, not the container's id.
    assert_eq!(
        target(&view, &world.instagram)["remote_url"],
        stories[0].permalink.as_str()
    );
}
