//! Meta's Graph API client (`../shared/specs/META_GRAPH_API.md`), shared by the Facebook and
//! Instagram providers: Facebook Login for Business, Pages and their Instagram accounts
//! (`facebook_login_calls`), Instagram API with Instagram Login (`instagram_login_calls`), and
//! publishing (`publishing_calls`). This file holds what all share: configuration, and sending
//! a call and reading its answer or its error.

pub mod errors;
pub mod facebook_login_calls;
pub mod figures;
pub mod insights_calls;
pub mod instagram_login_calls;
pub mod publishing_calls;
pub mod usage;

use chrono::{DateTime, Utc};
use reqwest::{RequestBuilder, Response};
use serde::de::DeserializeOwned;
use url::Url;

pub use errors::{MetaError, MetaErrorKind};

use crate::server::crypto::Secret;
use crate::server::http::{self, Reach};
use crate::server::providers::{Pause, Target};
use usage::UsageLog;

/// Where each of Meta's hosts is reached (the real ones by default, the sandbox in tests).
#[derive(Debug, Clone)]
pub struct MetaUrls {
    pub facebook_graph: Url,
    pub facebook_www: Url,
    pub instagram_graph: Url,
    pub instagram_api: Url,
    pub instagram_www: Url,
    /// Where resumable Instagram video uploads go (spec §3.3), `HERALD_INSTAGRAM_UPLOAD_URL`.
    pub instagram_upload: Url,
}

impl Default for MetaUrls {
    fn default() -> Self {
        let url = |raw: &str| Url::parse(raw).expect("a valid built-in URL");
        Self {
            facebook_graph: url("https://graph.facebook.com"),
            facebook_www: url("https://www.facebook.com"),
            instagram_graph: url("https://graph.instagram.com"),
            instagram_api: url("https://api.instagram.com"),
            instagram_www: url("https://www.instagram.com"),
            instagram_upload: url("https://rupload.facebook.com/ig-api-upload"),
        }
    }
}

/// One Meta app's credentials.
#[derive(Debug, Clone)]
pub struct MetaApp {
    pub app_id: String,
    pub app_secret: Secret,
}

#[derive(Debug, Clone)]
pub struct MetaConfig {
    pub urls: MetaUrls,
    /// `v23.0` by default (spec §0.1).
    pub api_version: String,
    /// For Facebook Login (Pages, and Instagram through Pages).
    pub facebook: Option<MetaApp>,
    /// A Facebook Login for Business configuration; when set it replaces `scope` (spec §1.1).
    pub facebook_config_id: Option<String>,
    /// For Instagram API with Instagram Login: a separate app id and secret (spec §1.10).
    pub instagram: Option<MetaApp>,
    /// How long one call may take before Herald stops waiting (`HERALD_META_TIMEOUT_SECS`).
    pub timeout: std::time::Duration,
}

impl MetaConfig {
    pub const DEFAULT_API_VERSION: &str = "v23.0";
    /// Graph answers well within this (spec §8.1: ~30 s).
    pub const DEFAULT_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(30);
}

#[derive(Clone)]
pub struct MetaClient {
    http: reqwest::Client,
    reach: Reach,
    config: std::sync::Arc<MetaConfig>,
    /// What Meta's answers said about the rate-limit budgets, shared by every clone.
    usage: std::sync::Arc<UsageLog>,
}

impl MetaClient {
    pub fn new(config: MetaConfig, reach: Reach) -> Self {
        Self {
            http: http::outbound_client_with_timeout(reach, config.timeout),
            reach,
            config: std::sync::Arc::new(config),
            usage: std::sync::Arc::default(),
        }
    }

    pub fn config(&self) -> &MetaConfig {
        &self.config
    }

    pub fn usage(&self) -> &UsageLog {
        &self.usage
    }

    /// Sends the call and reads its answer as `T`, or the error Meta put in it. Tokens travel
    /// in headers or bodies, so nothing here ever logs or returns a URL with a token in it.
    async fn send<T: DeserializeOwned>(&self, request: RequestBuilder) -> Result<T, MetaError> {
        let response = request.send().await.map_err(transport_error)?;
        read(response, &self.usage).await
    }

    /// `base` + `/{version}/` + `path`.
    fn versioned(&self, base: &Url, path: &str) -> Url {
        joined(
            base,
            &format!(
                "{}/{}",
                self.config.api_version,
                path.trim_start_matches('/')
            ),
        )
    }

    fn request(&self, method: reqwest::Method, url: Url) -> Result<RequestBuilder, MetaError> {
        http::check_destination(&url, self.reach)
            .map_err(|blocked| MetaError::invalid(blocked.to_string()))?;
        Ok(self.http.request(method, url))
    }

    fn get(&self, url: Url) -> Result<RequestBuilder, MetaError> {
        self.request(reqwest::Method::GET, url)
    }

    fn post(&self, url: Url) -> Result<RequestBuilder, MetaError> {
        self.request(reqwest::Method::POST, url)
    }
}

impl MetaClient {
    /// Meta said the account's budget (or the app's) is nearly spent: wait before the next
    /// call rather than be blocked (spec §4.4 steps 2–3). An Instagram account reached through
    /// its Page may be counted against either.
    pub fn pause_before_calls(&self, target: &Target, now: DateTime<Utc>) -> Option<Pause> {
        let mut budgets = vec![target.remote_account.as_str()];
        budgets.extend(target.page_id.as_deref());
        let pressure = self.usage.pressure(&budgets, now)?;
        Some(Pause {
            wait: pressure.wait,
            detail: format!(
                "Meta reported {} % of the call budget used; Herald waits {} minutes",
                pressure.percent,
                pressure.wait.as_secs().div_ceil(60)
            ),
        })
    }
}

/// `base` with `path` appended to its own path (a sandbox base URL carries a path prefix).
fn joined(base: &Url, path: &str) -> Url {
    let mut url = base.clone();
    let prefix = url.path().trim_end_matches('/').to_owned();
    url.set_path(&format!("{prefix}/{}", path.trim_start_matches('/')));
    url
}

async fn read<T: DeserializeOwned>(response: Response, usage: &UsageLog) -> Result<T, MetaError> {
    let status = response.status();
    let headers = response.headers().clone();
    let body = response.text().await.map_err(transport_error)?;
    if let Some(error) = errors::error_in(&body, &headers) {
        return Err(error);
    }
    if !status.is_success() {
        // No envelope: an HTML error page from a proxy, a truncated body (spec §4.1).
        return Err(if status.is_server_error() {
            MetaError::ambiguous(format!("HTTP {status} without a Graph error"))
        } else if status.as_u16() == 429 {
            MetaError {
                kind: MetaErrorKind::RateLimited {
                    retry_after: errors::retry_after(&headers),
                },
                ..MetaError::temporary(format!("HTTP {status} without a Graph error"))
            }
        } else {
            MetaError::invalid(format!("HTTP {status} without a Graph error"))
        });
    }
    usage.note(&headers);
    serde_json::from_str(&body)
        .map_err(|error| MetaError::ambiguous(format!("an answer Herald could not read ({error})")))
}

fn transport_error(error: reqwest::Error) -> MetaError {
    // `without_url`: the URL may carry a token (a `paging.next` link does).
    let error = error.without_url();
    if error.is_connect() || error.is_builder() {
        // The request never left: nothing can have been done.
        MetaError::temporary(format!("Meta could not be reached: {error}"))
    } else {
        MetaError::ambiguous(format!("Meta did not answer in full: {error}"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_are_appended_to_a_base_that_has_its_own_path() {
        let base = Url::parse("http://127.0.0.1:9000/graph.facebook.com").unwrap();
        assert_eq!(
            joined(&base, "v23.0/me").as_str(),
            "http://127.0.0.1:9000/graph.facebook.com/v23.0/me"
        );
        let real = Url::parse("https://graph.facebook.com").unwrap();
        assert_eq!(
            joined(&real, "/v23.0/me").as_str(),
            "https://graph.facebook.com/v23.0/me"
        );
    }
}
