//! What Herald counts for Prometheus, served at `GET /metrics` in the text format by the
//! Prometheus project's own Rust client (`prometheus-client`): HTTP requests by route and
//! status, publishing results and their latency per network, token checks, and the job queue
//! (read from the database at each scrape, so it is the same on every instance). With
//! `HERALD_METRICS_TOKEN` set, a scrape must bring it as a bearer token.

use std::time::Instant;

use axum::extract::{MatchedPath, Request, State};
use axum::http::{StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use prometheus_client::encoding::EncodeLabelSet;
use prometheus_client::encoding::text::encode;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::metrics::histogram::{Histogram, exponential_buckets};
use prometheus_client::registry::Registry;
use sha2::{Digest, Sha256};

use crate::domain::accounts::Network;
use crate::server::db::jobs;
use crate::server::state::AppState;

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct RequestLabels {
    /// The route's pattern (`/posts/{id}`), never the path itself: ids would make a series
    /// per post. `unmatched` for static files and unknown paths.
    route: String,
    method: String,
    status: u16,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct PublishLabels {
    network: String,
    /// `published`, `failed` or `outcome_unknown`.
    outcome: String,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct NetworkLabels {
    network: String,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct TokenCheckLabels {
    network: String,
    /// `working`, `needs_reconnect` or `try_later`.
    outcome: String,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct JobLabels {
    kind: String,
    status: String,
}

pub struct Metrics {
    registry: Registry,
    requests: Family<RequestLabels, Counter>,
    request_seconds: Histogram,
    publish_results: Family<PublishLabels, Counter>,
    publish_seconds: Family<NetworkLabels, Histogram>,
    token_checks: Family<TokenCheckLabels, Counter>,
    jobs: Family<JobLabels, Gauge>,
}

impl Default for Metrics {
    fn default() -> Self {
        Metrics::new()
    }
}

impl Metrics {
    pub fn new() -> Metrics {
        let mut registry = Registry::with_prefix("herald");
        let requests = Family::<RequestLabels, Counter>::default();
        registry.register(
            "http_requests",
            "HTTP requests answered, by route pattern, method and status",
            requests.clone(),
        );
        let request_seconds = Histogram::new(exponential_buckets(0.001, 2.0, 14));
        registry.register(
            "http_request_duration_seconds",
            "Time to answer HTTP requests",
            request_seconds.clone(),
        );
        let publish_results = Family::<PublishLabels, Counter>::default();
        registry.register(
            "publish_results",
            "Accounts' publishing results, by network and outcome",
            publish_results.clone(),
        );
        let publish_seconds = Family::<NetworkLabels, Histogram>::new_with_constructor(|| {
            Histogram::new(exponential_buckets(0.25, 2.0, 14))
        });
        registry.register(
            "publish_latency_seconds",
            "From the moment a publishing job fell due to its account's result, per network",
            publish_seconds.clone(),
        );
        let token_checks = Family::<TokenCheckLabels, Counter>::default();
        registry.register(
            "token_checks",
            "Account token checks, by network and outcome",
            token_checks.clone(),
        );
        let jobs = Family::<JobLabels, Gauge>::default();
        registry.register(
            "jobs",
            "Jobs in the queue, by kind and status (all instances)",
            jobs.clone(),
        );
        Metrics {
            registry,
            requests,
            request_seconds,
            publish_results,
            publish_seconds,
            token_checks,
            jobs,
        }
    }

    pub fn publish_finished(&self, network: Network, outcome: &str, latency_seconds: f64) {
        let network = network.as_str().to_owned();
        self.publish_results
            .get_or_create(&PublishLabels {
                network: network.clone(),
                outcome: outcome.to_owned(),
            })
            .inc();
        self.publish_seconds
            .get_or_create(&NetworkLabels { network })
            .observe(latency_seconds.max(0.0));
    }

    pub fn token_checked(&self, network: Network, outcome: &str) {
        self.token_checks
            .get_or_create(&TokenCheckLabels {
                network: network.as_str().to_owned(),
                outcome: outcome.to_owned(),
            })
            .inc();
    }

    /// The registry in the text format, with the queue's counts read afresh.
    async fn scrape(&self, state: &AppState) -> Result<String, sqlx::Error> {
        self.jobs.clear();
        for (kind, status, count) in jobs::count_by_kind_and_status(state.db.pool()).await? {
            self.jobs
                .get_or_create(&JobLabels { kind, status })
                .set(count);
        }
        let mut text = String::new();
        encode(&mut text, &self.registry).expect("writing to a String cannot fail");
        Ok(text)
    }
}

/// Counts every answered request by its route's pattern (middleware).
pub async fn count_request(
    State(state): State<AppState>,
    request: Request,
    next: Next,
) -> Response {
    let route = request
        .extensions()
        .get::<MatchedPath>()
        .map_or("unmatched", MatchedPath::as_str)
        .to_owned();
    let method = request.method().as_str().to_owned();
    let started = Instant::now();
    let response = next.run(request).await;
    state
        .metrics
        .requests
        .get_or_create(&RequestLabels {
            route,
            method,
            status: response.status().as_u16(),
        })
        .inc();
    state
        .metrics
        .request_seconds
        .observe(started.elapsed().as_secs_f64());
    response
}

/// `GET /metrics`.
pub async fn serve(State(state): State<AppState>, headers: axum::http::HeaderMap) -> Response {
    if let Some(expected) = &state.settings.metrics_token {
        let presented = headers
            .get(header::AUTHORIZATION)
            .and_then(|value| value.to_str().ok())
            .and_then(|value| value.strip_prefix("Bearer "))
            .unwrap_or_default();
        // Compared as digests, so the time taken says nothing about the token.
        if Sha256::digest(presented) != Sha256::digest(expected.expose()) {
            return (
                StatusCode::UNAUTHORIZED,
                [(header::WWW_AUTHENTICATE, "Bearer")],
                "This Herald's metrics need HERALD_METRICS_TOKEN as a bearer token.",
            )
                .into_response();
        }
    }
    match state.metrics.scrape(&state).await {
        Ok(text) => (
            [(
                header::CONTENT_TYPE,
                "application/openmetrics-text; version=1.0.0; charset=utf-8",
            )],
            text,
        )
            .into_response(),
        Err(error) => {
            tracing::warn!(%error, "metrics: the job counts could not be read");
            StatusCode::SERVICE_UNAVAILABLE.into_response()
        }
    }
}
