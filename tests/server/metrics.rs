//! `GET /metrics`, scraped and read back with a Prometheus text-format parser: requests by
//! route and status, a published post's result and latency per network, token checks, and
//! the job queue; and the bearer token it asks for when HERALD_METRICS_TOKEN is set.

use prometheus_parse::{Sample, Scrape, Value};
use reqwest::StatusCode;

use crate::helpers::{TestApp, TestOptions, spawn_app_with};
use crate::publishing::{draft, publish, settle, world_with};

async fn scrape(app: &TestApp, token: Option<&str>) -> reqwest::Response {
    let mut request = reqwest::Client::new().get(app.url("/metrics"));
    if let Some(token) = token {
        request = request.bearer_auth(token);
    }
    request.send().await.unwrap()
}

async fn parsed(response: reqwest::Response) -> Scrape {
    assert_eq!(response.status(), StatusCode::OK);
    let text = response.text().await.unwrap();
    let lines = text.lines().map(|line| Ok(line.to_owned()));
    Scrape::parse(lines).unwrap_or_else(|error| panic!("{error}\n{text}"))
}

fn samples<'a>(scrape: &'a Scrape, metric: &str) -> Vec<&'a Sample> {
    scrape
        .samples
        .iter()
        .filter(|sample| sample.metric == metric)
        .collect()
}

fn counted(sample: &Sample) -> f64 {
    match &sample.value {
        Value::Counter(value) | Value::Gauge(value) | Value::Untyped(value) => *value,
        other => panic!("{} is not a single number: {other:?}", sample.metric),
    }
}

fn labelled<'a>(samples: &[&'a Sample], wanted: &[(&str, &str)]) -> Option<&'a Sample> {
    samples.iter().copied().find(|sample| {
        wanted
            .iter()
            .all(|(name, value)| sample.labels.get(name) == Some(*value))
    })
}

#[tokio::test]
async fn a_scrape_shows_requests_publishing_token_checks_and_the_queue() {
    let world = world_with(TestOptions::default()).await;
    let app = &world.app;
    let (id, revision) = draft(app, &[&world.facebook], "Counted.", &[]).await;
    publish(app, &id, revision).await;
    settle(app).await;
    app.call(
        &app.client,
        "test_account",
        &[("id", world.facebook.as_str())],
    )
    .await;
    app.get_page("/no-such-page").await;

    let scrape = parsed(scrape(app, None).await).await;

    let requests = samples(&scrape, "herald_http_requests_total");
    let publish_calls = labelled(
        &requests,
        &[("route", "/api/publish_post"), ("status", "200")],
    )
    .expect("publish_post is counted under its route");
    assert!(counted(publish_calls) >= 1.0);
    let unknown = labelled(&requests, &[("route", "unmatched"), ("status", "404")]);
    assert!(
        unknown.is_some(),
        "unknown paths share one series: {requests:?}"
    );
    assert!(
        requests
            .iter()
            .all(|sample| !sample.labels.get("route").unwrap_or_default().contains(&id)),
        "no series per post"
    );
    let results = samples(&scrape, "herald_publish_results_total");
    let published = labelled(
        &results,
        &[("network", "facebook"), ("outcome", "published")],
    )
    .expect("the published post is counted");
    assert_eq!(counted(published), 1.0);
    let latency = samples(&scrape, "herald_publish_latency_seconds");
    let facebook = labelled(&latency, &[("network", "facebook")]).expect("a latency histogram");
    match &facebook.value {
        Value::Histogram(buckets) => {
            let all = buckets.last().expect("buckets");
            assert_eq!(all.count, 1.0, "one result observed: {buckets:?}");
        }
        other => panic!("not a histogram: {other:?}"),
    }
    let checks = samples(&scrape, "herald_token_checks_total");
    let working = labelled(&checks, &[("network", "facebook"), ("outcome", "working")])
        .expect("the token check is counted");
    assert_eq!(counted(working), 1.0);
    let jobs = samples(&scrape, "herald_jobs");
    let done = labelled(&jobs, &[("kind", "publish"), ("status", "done")])
        .expect("the queue's jobs by kind and status");
    assert_eq!(counted(done), 1.0);
}

#[tokio::test]
async fn with_a_metrics_token_a_scrape_must_bring_it() {
    let app = spawn_app_with(TestOptions {
        metrics_token: Some("scrape-secret"),
        ..TestOptions::default()
    })
    .await;

    let without = scrape(&app, None).await;
    let wrong = scrape(&app, Some("guess")).await;
    let right = scrape(&app, Some("scrape-secret")).await;

    assert_eq!(without.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(wrong.status(), StatusCode::UNAUTHORIZED);
    let scrape = parsed(right).await;
    assert!(!samples(&scrape, "herald_http_requests_total").is_empty());
}
