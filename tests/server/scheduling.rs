//! Scheduling against the Meta sandbox with the fixed clock: a post goes out when due and not
//! before; it can be moved, unscheduled or cancelled until publishing starts and not after;
//! moving it by days keeps its wall-clock time across daylight-saving changes.

use chrono::{DateTime, Utc};
use herald::error::{AppError, Problem};
use herald::sandbox::meta::Fault;
use herald::server::db;
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::{TestApp, app_error};
use crate::publishing::{
    World, draft, graph_error, inject, live, post, run_once, settle, target, world,
};

fn at(raw: &str) -> DateTime<Utc> {
    raw.parse().unwrap()
}

fn millis(raw: &str) -> i64 {
    at(raw).timestamp_millis()
}

fn problem_of(error: AppError) -> Problem {
    match error {
        AppError::Invalid { problem, .. } | AppError::Conflict(problem) => problem,
        other => panic!("expected a refusal, got {other:?}"),
    }
}

async fn set_zone(app: &TestApp, zone: &str) {
    let response = app
        .call(&app.client, "set_time_zone", &[("time_zone", zone)])
        .await;
    assert_eq!(response.status(), StatusCode::OK);
}

/// Calls a scheduling endpoint: the post it answers with, or the refusal.
async fn call(app: &TestApp, endpoint: &str, form: &[(&str, &str)]) -> Result<Value, Problem> {
    let response = app.call(&app.client, endpoint, form).await;
    if response.status() == StatusCode::OK {
        Ok(response.json().await.unwrap())
    } else {
        Err(problem_of(app_error(response).await))
    }
}

async fn schedule(app: &TestApp, id: &str, revision: i64, local: &str) -> Result<Value, Problem> {
    let revision = revision.to_string();
    call(
        app,
        "schedule_post",
        &[("id", id), ("revision", &revision), ("at", local)],
    )
    .await
}

async fn reschedule(app: &TestApp, id: &str, local: &str) -> Result<Value, Problem> {
    call(app, "reschedule_post", &[("id", id), ("at", local)]).await
}

/// A Facebook text post scheduled for `local` in `zone`, the clock at `now`; its id.
async fn scheduled(world: &World, zone: &str, now: &str, local: &str) -> String {
    let app = &world.app;
    app.clock.set(at(now));
    set_zone(app, zone).await;
    let (id, revision) = draft(app, &[&world.facebook], "Spring menu", &[]).await;
    let view = schedule(app, &id, revision, local)
        .await
        .expect("scheduled");
    assert_eq!(view["status"], "scheduled", "{view}");
    id
}

/// Runs every job due at the clock's time, pass after pass (a token check and a post of one
/// account take turns), until none is left.
async fn run_due(app: &TestApp) {
    while run_once(app).await > 0 {}
}

async fn publish_jobs(app: &TestApp) -> i64 {
    let (count,): (i64,) =
        sqlx::query_as("SELECT CAST(COUNT(*) AS BIGINT) FROM jobs WHERE kind = 'publish'")
            .fetch_one(app.state.db.pool())
            .await
            .unwrap();
    count
}

async fn due_times(app: &TestApp) -> Vec<i64> {
    let rows: Vec<(i64,)> =
        sqlx::query_as("SELECT due_at FROM jobs WHERE kind = 'publish' ORDER BY due_at")
            .fetch_all(app.state.db.pool())
            .await
            .unwrap();
    rows.into_iter().map(|(due,)| due).collect()
}

#[tokio::test]
async fn a_scheduled_post_goes_out_when_due_and_not_before() {
    let world = world().await;
    let app = &world.app;
    let id = scheduled(
        &world,
        "Europe/Paris",
        "2026-11-23T08:00:00Z",
        "2026-11-23T10:00",
    )
    .await;
    let view = post(app, &id).await;
    assert_eq!(view["scheduled_at"], millis("2026-11-23T09:00:00Z"));
    assert_eq!(target(&view, &world.facebook)["status"], "scheduled");
    assert_eq!(due_times(app).await, [millis("2026-11-23T09:00:00Z")]);

    // Read-only while scheduled: the composer's save is refused.
    let edit = app
        .client
        .post(app.url("/api/save_draft"))
        .json(&json!({ "draft": {
            "id": id, "revision": view["revision"], "text": "Changed", "hashtags": "",
            "call_to_action": "", "targets": [{ "account_id": world.facebook, "variant": null }],
            "media": [],
        }}))
        .send()
        .await
        .unwrap();
    assert_eq!(problem_of(app_error(edit).await), Problem::PostNotDraft);

    app.clock.set(at("2026-11-23T08:59:59Z"));
    run_due(app).await;
    assert!(live(&world).is_empty());
    assert_eq!(post(app, &id).await["status"], "scheduled");
    app.clock.set(at("2026-11-23T09:00:00Z"));
    run_due(app).await;
    let view = post(app, &id).await;
    assert_eq!(view["status"], "published", "{view}");
    assert_eq!(live(&world).len(), 1);
    assert_eq!(live(&world)[0].text, "Spring menu");
}

#[tokio::test]
async fn a_time_in_the_past_or_unreadable_is_refused_and_changes_nothing() {
    let world = world().await;
    let app = &world.app;
    app.clock.set(at("2026-11-23T08:00:00Z"));
    set_zone(app, "Europe/Paris").await;
    let (id, revision) = draft(app, &[&world.facebook], "Too late", &[]).await;
    assert_eq!(
        schedule(app, &id, revision, "2026-11-23T08:59").await,
        Err(Problem::ScheduleInPast)
    );
    assert_eq!(
        schedule(app, &id, revision, "next tuesday").await,
        Err(Problem::ScheduleTimeInvalid)
    );
    let view = post(app, &id).await;
    assert_eq!(view["status"], "draft");
    assert_eq!(view["revision"], revision);
    assert_eq!(app.count("jobs").await, 0);
}

#[tokio::test]
async fn a_post_moves_until_publishing_starts_and_not_after() {
    let world = world().await;
    let app = &world.app;
    let id = scheduled(&world, "UTC", "2026-11-23T08:00:00Z", "2026-11-23T09:00").await;
    let moved = reschedule(app, &id, "2026-11-24T15:30").await.unwrap();
    assert_eq!(moved["scheduled_at"], millis("2026-11-24T15:30:00Z"));
    assert_eq!(due_times(app).await, [millis("2026-11-24T15:30:00Z")]);
    app.clock.set(at("2026-11-23T09:00:00Z"));
    run_due(app).await;
    assert_eq!(
        post(app, &id).await["status"],
        "scheduled",
        "nothing is due at the old time"
    );
    // The account's token check, an hour before, has run.
    app.clock.set(at("2026-11-24T15:00:00Z"));
    run_due(app).await;

    // A worker has claimed it: too late to move, unschedule or cancel.
    let owner = "another-instance";
    let claimed = db::jobs::claim_next(
        app.state.db.pool(),
        app.state.db.engine(),
        owner,
        millis("2026-11-24T15:30:00Z"),
        millis("2026-11-24T15:35:00Z"),
    )
    .await
    .unwrap();
    assert!(claimed.is_some());
    for refused in [
        reschedule(app, &id, "2026-11-25T10:00").await,
        call(app, "unschedule_post", &[("id", &id)]).await,
        call(app, "cancel_post", &[("id", &id)]).await,
    ] {
        assert_eq!(refused, Err(Problem::PublishingStarted));
    }
    let view = post(app, &id).await;
    assert_eq!(view["scheduled_at"], millis("2026-11-24T15:30:00Z"));
    assert_eq!(view["status"], "scheduled");
}

#[tokio::test]
async fn a_post_handed_back_after_starting_cannot_be_moved() {
    let world = world().await;
    let app = &world.app;
    let id = scheduled(&world, "UTC", "2026-11-23T08:00:00Z", "2026-11-23T09:00").await;
    inject(
        &world,
        Fault::once(
            "/feed",
            graph_error(500, 2, None, "(#2) Service temporarily unavailable"),
        ),
    );
    app.clock.set(at("2026-11-23T09:00:00Z"));
    run_due(app).await;
    // The job waits in the queue for its retry, but publishing has started.
    assert_eq!(post(app, &id).await["status"], "publishing");
    assert_eq!(
        reschedule(app, &id, "2026-11-25T10:00").await,
        Err(Problem::PublishingStarted)
    );
    settle(app).await;
    assert_eq!(post(app, &id).await["status"], "published");
    assert_eq!(live(&world).len(), 1);
}

#[tokio::test]
async fn unscheduling_gives_back_an_editable_draft_and_cancelling_sends_nothing() {
    let world = world().await;
    let app = &world.app;
    let first = scheduled(&world, "UTC", "2026-11-23T08:00:00Z", "2026-11-23T09:00").await;
    let second = scheduled(&world, "UTC", "2026-11-23T08:00:00Z", "2026-11-23T10:00").await;

    let draft_again = call(app, "unschedule_post", &[("id", &first)])
        .await
        .unwrap();
    assert_eq!(draft_again["status"], "draft");
    assert_eq!(draft_again["scheduled_at"], Value::Null);
    assert_eq!(target(&draft_again, &world.facebook)["status"], "draft");
    let canceled = call(app, "cancel_post", &[("id", &second)]).await.unwrap();
    assert_eq!(canceled["status"], "canceled");
    assert_eq!(target(&canceled, &world.facebook)["status"], "canceled");
    assert_eq!(publish_jobs(app).await, 0);
    assert_eq!(
        reschedule(app, &second, "2026-11-24T10:00").await,
        Err(Problem::PostNotScheduled)
    );

    // The draft is editable again, and can be scheduled anew.
    let edited = app
        .client
        .post(app.url("/api/save_draft"))
        .json(&json!({ "draft": {
            "id": first, "revision": draft_again["revision"], "text": "Summer menu",
            "hashtags": "", "call_to_action": "",
            "targets": [{ "account_id": world.facebook, "variant": null }], "media": [],
        }}))
        .send()
        .await
        .unwrap();
    assert_eq!(edited.status(), StatusCode::OK);

    app.clock.set(at("2026-11-23T12:00:00Z"));
    run_due(app).await;
    assert!(live(&world).is_empty());
}

#[tokio::test]
async fn moving_by_days_keeps_the_wall_clock_across_daylight_saving() {
    let world = world().await;
    let app = &world.app;
    // Paris springs forward on 2026-03-29, New York on 2026-03-08 and falls back on 11-01.
    for (zone, now, before, after, due) in [
        (
            "Europe/Paris",
            "2026-03-20T08:00:00Z",
            "2026-03-27T09:00",
            "2026-03-30T09:00",
            "2026-03-30T07:00:00Z",
        ),
        (
            "America/New_York",
            "2026-03-01T08:00:00Z",
            "2026-03-06T09:00",
            "2026-03-09T09:00",
            "2026-03-09T13:00:00Z",
        ),
        (
            "America/New_York",
            "2026-10-25T08:00:00Z",
            "2026-10-30T09:00",
            "2026-11-02T09:00",
            "2026-11-02T14:00:00Z",
        ),
    ] {
        let id = scheduled(&world, zone, now, before).await;
        let moved = reschedule(app, &id, after).await.unwrap();
        assert_eq!(moved["scheduled_at"], millis(due), "{zone}");
        // The week view shows it at the same wall-clock time, on the new day.
        let week = app
            .call(
                &app.client,
                "calendar",
                &[("view", "week"), ("date", &after[..10])],
            )
            .await;
        let week: Value = week.json().await.unwrap();
        let entry = week["entries"]
            .as_array()
            .unwrap()
            .iter()
            .find(|entry| entry["id"] == id.as_str())
            .cloned()
            .expect("the post is in its week");
        assert_eq!(entry["local"], after, "{zone}");
        assert_eq!(week["time_zone"], zone);
    }
}

#[tokio::test]
async fn the_calendar_holds_the_periods_posts_and_the_next_free_hour_is_offered() {
    let world = world().await;
    let app = &world.app;
    let id = scheduled(
        &world,
        "Europe/Paris",
        "2026-11-23T08:10:00Z",
        "2026-11-23T10:00",
    )
    .await;
    let month: Value = app
        .call(&app.client, "calendar", &[("view", "month"), ("date", "")])
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(month["today"], "2026-11-23");
    assert_eq!(month["from"], "2026-10-26");
    assert_eq!(month["entries"][0]["id"], id.as_str());
    assert_eq!(month["entries"][0]["local"], "2026-11-23T10:00");
    let next_month: Value = app
        .call(
            &app.client,
            "calendar",
            &[("view", "month"), ("date", "2026-12-01")],
        )
        .await
        .json()
        .await
        .unwrap();
    assert!(next_month["entries"].as_array().unwrap().is_empty());

    // 09:10 in Paris: 10:00 is the first whole hour a quarter of an hour away, but taken.
    let composer: Value = app
        .call(&app.client, "open_composer", &[("id", "")])
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(composer["next_slot"], "2026-11-23T11:00");
    assert_eq!(composer["now_local"], "2026-11-23T09:10");
}

#[tokio::test]
async fn a_token_that_died_is_found_an_hour_before_the_post_is_due() {
    let world = world().await;
    let app = &world.app;
    let id = scheduled(&world, "UTC", "2026-11-23T08:00:00Z", "2026-11-23T12:00").await;
    // Meta stops honouring the Page token (the person changed their password, say).
    app.sandbox
        .as_ref()
        .unwrap()
        .meta()
        .revoke_token(&world.token, 460);
    app.clock.set(at("2026-11-23T10:59:00Z"));
    run_due(app).await;
    assert!(
        !target(&post(app, &id).await, &world.facebook)["account_needs_reconnect"]
            .as_bool()
            .unwrap()
    );

    app.clock.set(at("2026-11-23T11:00:00Z"));
    run_due(app).await;
    let view = post(app, &id).await;
    assert_eq!(view["status"], "scheduled", "{view}");
    assert_eq!(
        target(&view, &world.facebook)["account_needs_reconnect"],
        true
    );
    // The page says so, with the time left to reconnect.
    let page = app
        .get_page(&format!("/posts/{id}"))
        .await
        .text()
        .await
        .unwrap();
    assert!(page.contains("must be reconnected before"), "{page}");

    app.clock.set(at("2026-11-23T12:00:00Z"));
    run_due(app).await;
    let view = post(app, &id).await;
    assert_eq!(view["status"], "failed");
    assert_eq!(target(&view, &world.facebook)["reason"], "reconnect");
    assert!(live(&world).is_empty());
}
