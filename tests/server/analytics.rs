//! Analytics against the Meta sandbox, driven by the fixed clock: a published post's snapshots
//! fall due at 1 hour, 1 day, 1 week and 30 days; a network failing in passing costs a retry,
//! never a snapshot already taken; a permission left out is reported for its account alone;
//! deprecated metrics are never asked for; the dashboard and its CSV say the same.

use chrono::{DateTime, Duration};
use herald::domain::AccountId;
use herald::sandbox::meta::Fault;
use herald::server::clock::Clock;
use herald::server::db;
use serde_json::Value;

use crate::helpers::TestApp;
use crate::publishing::{
    World, draft, graph_error, inject, picture, publish, run_once, settle, world,
};

const HOUR: i64 = 3_600_000;

/// Publishes `text` with a picture (Instagram needs one) to `accounts` and lets it go out; the
/// post's id.
async fn published(world: &World, accounts: &[&AccountId], text: &str) -> String {
    let app = &world.app;
    let media = vec![picture(app, "counted.jpg").await];
    let (id, revision) = draft(app, accounts, text, &media).await;
    publish(app, &id, revision).await;
    settle(app).await;
    id
}

/// When the target went out, and what the network calls it.
async fn published_at(app: &TestApp, post: &str, account: &AccountId) -> (i64, String) {
    sqlx::query_as(
        "SELECT finished_at, remote_id FROM post_targets WHERE post_id = $1 AND account_id = $2",
    )
    .bind(post)
    .bind(account)
    .fetch_one(app.state.db.pool())
    .await
    .unwrap()
}

/// The target's figure job: its status and when it is due.
async fn figures_job(app: &TestApp, post: &str, account: &AccountId) -> (String, i64) {
    sqlx::query_as(
        "SELECT status, due_at FROM jobs \
         WHERE kind = 'collect_post_figures' AND post_id = $1 AND account_id = $2",
    )
    .bind(post)
    .bind(account)
    .fetch_one(app.state.db.pool())
    .await
    .unwrap()
}

/// Each snapshot of the target: when, and its metrics by name.
async fn snapshots(
    app: &TestApp,
    post: &str,
    account: &AccountId,
) -> Vec<(i64, Vec<(String, i64)>)> {
    let rows: Vec<(i64, String, i64)> = sqlx::query_as(
        "SELECT taken_at, metric, value FROM figure_snapshots \
         WHERE post_id = $1 AND account_id = $2 ORDER BY taken_at, metric",
    )
    .bind(post)
    .bind(account)
    .fetch_all(app.state.db.pool())
    .await
    .unwrap();
    let mut taken: Vec<(i64, Vec<(String, i64)>)> = Vec::new();
    for (at, metric, value) in rows {
        match taken.last_mut() {
            Some((last, metrics)) if *last == at => metrics.push((metric, value)),
            _ => taken.push((at, vec![(metric, value)])),
        }
    }
    taken
}

fn value(snapshot: &[(String, i64)], metric: &str) -> Option<i64> {
    snapshot
        .iter()
        .find(|(name, _)| name == metric)
        .map(|(_, value)| *value)
}

/// Moves the clock to `at` and the sandbox's post as far past its publishing, then runs the
/// queue once.
async fn run_at(world: &World, at: i64, remote_id: &str, published_at: i64) {
    let app = &world.app;
    let sandbox = app.sandbox.as_ref().unwrap().meta();
    let now = db::millis(app.clock.now());
    if at > now {
        app.clock.set(DateTime::from_timestamp_millis(at).unwrap());
    }
    // The sandbox reads its own clock: its post is made as old as Herald's clock says.
    let already = now.max(published_at) - published_at;
    sandbox.age_published(
        &[remote_id.to_owned()],
        Duration::milliseconds(at.max(now) - published_at - already),
    );
    run_once(app).await;
}

/// Takes the first snapshot of each of the post's `accounts`: the sandbox's objects made as
/// old as the latest of those snapshots is due, Herald's clock moved there, the queue run.
async fn first_snapshots(world: &World, post: &str, accounts: &[&AccountId]) {
    let app = &world.app;
    let mut targets = Vec::new();
    for account in accounts {
        let (at, remote_id) = published_at(app, post, account).await;
        let (_, due) = figures_job(app, post, account).await;
        targets.push((at, remote_id, due));
    }
    let latest = targets.iter().map(|(_, _, due)| *due).max().unwrap();
    let sandbox = app.sandbox.as_ref().unwrap().meta();
    for (at, remote_id, _) in &targets {
        sandbox.age_published(
            std::slice::from_ref(remote_id),
            Duration::milliseconds(latest - at),
        );
    }
    app.clock
        .set(DateTime::from_timestamp_millis(latest).unwrap());
    run_once(app).await;
}

#[tokio::test]
async fn snapshots_fall_due_an_hour_a_day_a_week_and_a_month_after_publishing() {
    let world = world().await;
    let app = &world.app;
    let post = published(&world, &[&world.facebook], "Counted four times").await;
    let (at, remote_id) = published_at(app, &post, &world.facebook).await;
    for (taken, hours) in [1_i64, 24, 7 * 24, 30 * 24].into_iter().enumerate() {
        let (status, due) = figures_job(app, &post, &world.facebook).await;
        assert_eq!(status, "queued");
        let delay = due - at;
        assert!(
            delay >= hours * HOUR && delay <= hours * HOUR + (hours * HOUR / 10).min(6 * HOUR),
            "snapshot {taken} is due {delay} ms after publishing"
        );
        // Not a moment before.
        app.clock
            .set(DateTime::from_timestamp_millis(due - 1).unwrap());
        run_once(app).await;
        assert_eq!(snapshots(app, &post, &world.facebook).await.len(), taken);
        run_at(&world, due, &remote_id, at).await;
        assert_eq!(
            snapshots(app, &post, &world.facebook).await.len(),
            taken + 1
        );
    }
    let (status, _) = figures_job(app, &post, &world.facebook).await;
    assert_eq!(status, "done", "four snapshots, then the job ends");
    let taken = snapshots(app, &post, &world.facebook).await;
    let first = value(&taken[0].1, "reach").expect("reach comes from the insights");
    let last = value(&taken[3].1, "reach").unwrap();
    assert!(last >= first, "figures grow: {first} → {last}");
    assert!(value(&taken[3].1, "likes").is_some());
    // Facebook has no "views" metric Herald may ask for: absent, never zero.
    assert_eq!(value(&taken[3].1, "views"), None);
}

#[tokio::test]
async fn a_network_error_retries_the_snapshot_and_keeps_those_taken() {
    let world = world().await;
    let app = &world.app;
    let post = published(&world, &[&world.instagram], "Patience pays").await;
    let (at, remote_id) = published_at(app, &post, &world.instagram).await;
    let (_, first_due) = figures_job(app, &post, &world.instagram).await;
    run_at(&world, first_due, &remote_id, at).await;
    let before = snapshots(app, &post, &world.instagram).await;
    assert_eq!(before.len(), 1);

    let (_, second_due) = figures_job(app, &post, &world.instagram).await;
    inject(
        &world,
        Fault::once(
            "/insights",
            graph_error(500, 2, None, "An unexpected error has occurred."),
        ),
    );
    run_at(&world, second_due, &remote_id, at).await;
    let (status, retry_due) = figures_job(app, &post, &world.instagram).await;
    assert_eq!(status, "queued");
    assert_eq!(
        retry_due,
        second_due + 5 * 60_000,
        "tried again in five minutes"
    );
    assert_eq!(
        snapshots(app, &post, &world.instagram).await,
        before,
        "the snapshot already taken is untouched"
    );

    run_at(&world, retry_due, &remote_id, at).await;
    let after = snapshots(app, &post, &world.instagram).await;
    assert_eq!(after.len(), 2);
    assert_eq!(after[0], before[0]);
    assert!(value(&after[1].1, "views").is_some(), "{after:?}");
}

#[tokio::test]
async fn deprecated_metrics_are_never_asked_for() {
    let world = world().await;
    let app = &world.app;
    let post = published(
        &world,
        &[&world.facebook, &world.instagram],
        "Only what Meta serves",
    )
    .await;
    first_snapshots(&world, &post, &[&world.facebook, &world.instagram]).await;
    for account in [&world.facebook, &world.instagram] {
        let taken = snapshots(app, &post, account).await;
        // Reach comes only from the insights: the call was not refused.
        assert!(value(&taken[0].1, "reach").is_some(), "{taken:?}");
    }
    let deprecated = [
        "impressions",
        "page_fans",
        "page_fan_adds",
        "page_engaged_users",
        "page_consumptions",
        "plays",
        "video_views",
        "clips_replays_count",
        "engaged_users",
    ];
    let requests = app.sandbox.as_ref().unwrap().meta().requests();
    let asked: Vec<&str> = requests
        .iter()
        .filter(|request| request.path.ends_with("/insights"))
        .map(|request| request.query.as_str())
        .collect();
    assert!(!asked.is_empty());
    for query in asked {
        let metrics = url::form_urlencoded::parse(query.as_bytes())
            .find(|(name, _)| name == "metric")
            .map(|(_, value)| value.into_owned())
            .expect("every insights call names its metrics");
        for metric in metrics.split(',') {
            assert!(
                !deprecated.iter().any(|old| metric.contains(old)) && metric != "engagement",
                "{metric} is deprecated"
            );
        }
    }
}

#[tokio::test]
async fn a_missing_permission_is_reported_for_its_account_alone() {
    let world = world().await;
    let app = &world.app;
    let sandbox = app.sandbox.as_ref().unwrap().meta();
    // The Page's token loses `read_insights`: as if the person had unticked it at Meta.
    let narrower = sandbox.issue_page_token_without(&world.page_id, &["read_insights"]);
    crate::helpers::replace_token(app, &world.facebook, &narrower).await;
    let post = published(&world, &[&world.facebook, &world.instagram], "Who may look").await;
    first_snapshots(&world, &post, &[&world.facebook, &world.instagram]).await;
    let facebook = snapshots(app, &post, &world.facebook).await;
    assert_eq!(
        value(&facebook[0].1, "reach"),
        None,
        "no insights without the permission"
    );
    assert!(
        value(&facebook[0].1, "comments").is_some(),
        "the public counters still count: {facebook:?}"
    );
    let dashboard = dashboard(app, "7").await;
    let problems = dashboard["problems"].as_array().unwrap();
    assert_eq!(problems.len(), 1, "{problems:?}");
    assert_eq!(problems[0]["account"]["id"], world.facebook.as_str());
    assert_eq!(problems[0]["permission"], "read_insights");
    assert!(
        problems[0]["reconnect_href"]
            .as_str()
            .unwrap()
            .starts_with("/oauth/facebook/start?reconnect=")
    );
    // The post's page says it too, for that account only.
    let figures = app
        .call(&app.client, "get_post_figures", &[("id", post.as_str())])
        .await
        .json::<Value>()
        .await
        .unwrap();
    assert_eq!(figures["problems"].as_array().unwrap().len(), 1);
    assert_eq!(figures["accounts"].as_array().unwrap().len(), 2);
}

async fn dashboard(app: &TestApp, range: &str) -> Value {
    let response = app
        .call(
            &app.client,
            "get_dashboard",
            &[("range", range), ("from", ""), ("to", ""), ("account", "")],
        )
        .await;
    assert!(response.status().is_success(), "{}", response.status());
    response.json().await.unwrap()
}

#[tokio::test]
async fn the_dashboard_and_its_csv_show_the_same_figures() {
    let world = world().await;
    let app = &world.app;
    let post = published(&world, &[&world.facebook, &world.instagram], "Measured").await;
    first_snapshots(&world, &post, &[&world.facebook, &world.instagram]).await;
    let shown = dashboard(app, "7").await;
    assert_eq!(shown["published"], serde_json::json!([2, 0]));
    let best = shown["best_posts"].as_array().unwrap();
    assert_eq!(best.len(), 2, "{shown}");
    let csv = app
        .client
        .get(app.url("/analytics/posts.csv?range=7"))
        .send()
        .await
        .unwrap();
    assert_eq!(csv.status(), 200);
    assert!(
        csv.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/csv")
    );
    let text = csv.text().await.unwrap();
    let mut lines = text.lines();
    let heading: Vec<&str> = lines.next().unwrap().split(',').collect();
    let rows: Vec<Vec<&str>> = lines.map(|line| line.split(',').collect()).collect();
    assert_eq!(rows.len(), 2, "{text}");
    let column = |name: &str| heading.iter().position(|h| *h == name).unwrap();
    for best in best {
        let row = rows
            .iter()
            .find(|row| row[column("account")] == best["account"]["name"].as_str().unwrap())
            .expect("each best post is in the CSV");
        assert_eq!(row[column("post_id")], post);
        let reached = best["reached"].as_i64().unwrap().to_string();
        assert!(row[column("reach")] == reached || row[column("views")] == reached);
    }
    // Total reach on the page is the CSV's column summed.
    let reach_total: i64 = rows
        .iter()
        .filter_map(|row| row[column("reach")].parse::<i64>().ok())
        .sum();
    let total = shown["totals"]
        .as_array()
        .unwrap()
        .iter()
        .find(|total| total["metric"] == "reach")
        .unwrap();
    assert_eq!(total["value"], reach_total);
    // Snapshots: one row per metric taken.
    let snapshots_csv = app
        .client
        .get(app.url("/analytics/snapshots.csv?range=7"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let stored: (i64,) =
        sqlx::query_as("SELECT COUNT(*) FROM figure_snapshots WHERE post_id IS NOT NULL")
            .fetch_one(app.state.db.pool())
            .await
            .unwrap();
    let post_rows = snapshots_csv
        .lines()
        .skip(1)
        .filter(|line| line.contains(&post))
        .count();
    assert_eq!(post_rows as i64, stored.0);
}

#[tokio::test]
async fn a_custom_range_that_runs_backwards_is_refused_and_changes_nothing() {
    let world = world().await;
    let app = &world.app;
    let response = app
        .call(
            &app.client,
            "get_dashboard",
            &[
                ("range", "custom"),
                ("from", "2026-03-01"),
                ("to", "2026-02-01"),
                ("account", ""),
            ],
        )
        .await;
    assert_eq!(response.status(), 400);
    let csv = app
        .client
        .get(app.url("/analytics/posts.csv?range=custom&from=2026-03-01&to=2026-02-01"))
        .send()
        .await
        .unwrap();
    assert_eq!(csv.status(), 400);
    assert!(csv.text().await.unwrap().contains("last"));
}

#[tokio::test]
async fn the_exports_need_a_session() {
    let world = world().await;
    let stranger = crate::helpers::browser_like_client();
    let response = stranger
        .get(world.app.url("/analytics/posts.csv"))
        .send()
        .await
        .unwrap();
    assert!(response.status().is_redirection());
}
