//! An emulator of Meta's Graph API — Facebook Login, Instagram Login, `/me`, Pages and their
//! tokens, publishing to Pages and to Instagram, insights — with the shapes and refusals of
//! `../shared/specs/META_GRAPH_API.md` §0–§4, §6 and §8.
//!
//! Every Meta host is mounted under a path segment named after it
//! (`{base}/graph.facebook.com/v23.0/me`), so one loopback port stands in for all five.

mod ageing;
mod captions;
mod codes;
mod control;
mod debug_token;
mod dialog;
mod dispatch;
mod errors;
mod faults;
mod fetch;
mod fields;
mod figures;
mod graph;
mod html;
mod insights;
mod insights_errors;
mod instagram;
mod instagram_access;
mod instagram_account_insights;
mod instagram_content;
mod instagram_errors;
mod instagram_figures;
mod instagram_insights;
mod instagram_login;
mod instagram_metrics;
mod instagram_publish;
mod instagram_reads;
mod media;
mod oauth;
mod page_access;
mod page_content;
mod page_counts;
mod page_insights;
mod page_post_figures;
mod page_publish;
mod page_reads;
mod paging;
mod permalinks;
mod post_pages;
mod publishing;
mod publishing_control;
mod publishing_routes;
mod request;
mod scheduled_time;
mod state;
mod tokens;
mod uploads;
mod usage;
mod world;

use std::sync::{Arc, Mutex, MutexGuard};

use axum::Router;
use axum::routing::{get, post};
use chrono::Utc;
use serde::{Deserialize, Serialize};

pub use faults::{Fault, FaultKind};
pub use publishing::SandboxPost;
pub use world::{SandboxInstagramAccount, SandboxPage};

use instagram_content::ContainerFailure;
use media::Media;
use state::State;
use tokens::{TokenKind, TokenRecord};
use world::World;

/// Where each Meta host lives inside the sandbox.
#[derive(Debug, Clone)]
pub struct MetaUrls {
    pub facebook_graph: String,
    pub facebook_www: String,
    pub instagram_graph: String,
    pub instagram_api: String,
    pub instagram_www: String,
}

impl MetaUrls {
    pub fn under(base_url: &str) -> MetaUrls {
        let base = base_url.trim_end_matches('/');
        MetaUrls {
            facebook_graph: format!("{base}/graph.facebook.com"),
            facebook_www: format!("{base}/www.facebook.com"),
            instagram_graph: format!("{base}/graph.instagram.com"),
            instagram_api: format!("{base}/api.instagram.com"),
            instagram_www: format!("{base}/www.instagram.com"),
        }
    }
}

#[derive(Debug, Clone)]
pub struct SandboxConfig {
    pub facebook_app_id: String,
    pub facebook_app_secret: String,
    pub instagram_app_id: String,
    pub instagram_app_secret: String,
    /// Allowed redirect URIs, matched exactly as Meta does.
    pub redirect_uris: Vec<String>,
    /// How many Pages the Facebook test user manages.
    pub page_count: usize,
}

impl Default for SandboxConfig {
    fn default() -> Self {
        SandboxConfig {
            facebook_app_id: "sandbox-facebook-app".to_owned(),
            facebook_app_secret: "sandbox-facebook-secret".to_owned(),
            instagram_app_id: "sandbox-instagram-app".to_owned(),
            instagram_app_secret: "sandbox-instagram-secret".to_owned(),
            redirect_uris: Vec::new(),
            page_count: 3,
        }
    }
}

/// The two answers api.instagram.com has given to a code exchange (§1.10 step 2).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum InstagramExchangeShape {
    /// Observed live: `{"access_token","user_id":<number>,"permissions":[…]}`.
    #[default]
    Flat,
    /// Documented: `{"data":[{"access_token","user_id":"<string>","permissions":"a,b"}]}`.
    Wrapped,
}

/// One request the emulator received on a Meta host.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReceivedRequest {
    pub method: String,
    /// The Meta host it was meant for, e.g. "graph.facebook.com".
    pub host: String,
    /// The path on that host, version included, e.g. "/v23.0/me/accounts".
    pub path: String,
    /// The raw query string, empty when there was none.
    pub query: String,
    /// The body as text (lossy for binary uploads).
    pub body: String,
}

pub struct MetaSandbox {
    world: World,
    state: Mutex<State>,
    /// Downloads the media publish requests point at (`fetch`), outside the state lock.
    media_client: reqwest::Client,
}

impl MetaSandbox {
    pub(super) fn new(config: SandboxConfig, base_url: &str) -> MetaSandbox {
        let state = State::new(config.redirect_uris.clone());
        MetaSandbox {
            world: World::seed(config, base_url),
            state: Mutex::new(state),
            media_client: fetch::client(),
        }
    }

    pub fn urls(&self) -> MetaUrls {
        MetaUrls::under(&self.world.base_url)
    }

    pub fn register_redirect_uri(&self, uri: &str) {
        let mut state = self.state();
        if !state.redirect_uris.iter().any(|known| known == uri) {
            state.redirect_uris.push(uri.to_owned());
        }
    }

    /// Queues a fault; the first request whose path (host segment included) contains
    /// `fault.path_contains` uses it up, one use per request.
    pub fn inject(&self, fault: Fault) {
        if fault.times > 0 {
            self.state().faults.push(fault);
        }
    }

    /// Every token value ever issued, in order: user, long-lived, Page and Instagram tokens.
    pub fn issued_tokens(&self) -> Vec<String> {
        self.state().issued.clone()
    }

    pub fn requests(&self) -> Vec<ReceivedRequest> {
        self.state().requests.clone()
    }

    pub fn set_instagram_exchange_shape(&self, shape: InstagramExchangeShape) {
        self.state().instagram_exchange_shape = shape;
    }

    /// What graph.instagram.com reports as the Instagram-Login user's `account_type`
    /// ("BUSINESS" by default; "MEDIA_CREATOR", or "PERSONAL" to test refusing such accounts).
    pub fn set_instagram_account_type(&self, account_type: &str) {
        self.state().instagram_account_type = account_type.to_owned();
    }

    /// Later calls with `token` fail with code 190 and this `error_subcode` (458, 460, 492…).
    pub fn revoke_token(&self, token: &str, subcode: i64) {
        if let Some(record) = self.state().tokens.get_mut(token) {
            record.revoked_subcode = Some(subcode);
        }
    }

    /// Pretends `token` was issued `by` earlier, moving its expiry with it. Also accepts an
    /// authorization code, to reach the ten-minute code expiry.
    pub fn age_token(&self, token: &str, by: chrono::Duration) {
        let mut state = self.state();
        if let Some(record) = state.tokens.get_mut(token) {
            record.issued_at -= by;
            if let Some(expires_at) = record.expires_at.as_mut() {
                *expires_at -= by;
            }
        }
        if let Some(code) = state.codes.get_mut(token) {
            code.issued_at -= by;
        }
    }

    pub fn pages(&self) -> Vec<SandboxPage> {
        self.world.pages.clone()
    }

    /// Every live post on every Page and Instagram account, oldest first. Scheduled posts
    /// count from their time on; drafts, unpublished photos and unpublished containers never.
    pub fn published(&self) -> Vec<SandboxPost> {
        self.state()
            .publishing
            .views(&self.world, Utc::now())
            .iter()
            .filter(|view| view.live)
            .map(publishing::PostView::to_sandbox_post)
            .collect()
    }

    /// A never-expiring Page token for the seeded Page `page_id`, with every scope real consent
    /// to publish (Pages, and Instagram through them) grants, so a test can store a working
    /// account without walking the dialog.
    ///
    /// # Panics
    /// When no seeded Page has that id: the test is wrong, and says so at once.
    pub fn issue_page_token(&self, page_id: &str) -> String {
        self.try_issue_page_token(page_id)
            .unwrap_or_else(|| panic!("the Meta sandbox has no Page {page_id}"))
    }

    /// `issue_page_token` without the scopes `left_out`, as if the person had unticked them
    /// in the dialog (`read_insights`, to see insights refused).
    ///
    /// # Panics
    /// When no seeded Page has that id.
    pub fn issue_page_token_without(&self, page_id: &str, left_out: &[&str]) -> String {
        self.try_issue_page_token_without(page_id, left_out)
            .unwrap_or_else(|| panic!("the Meta sandbox has no Page {page_id}"))
    }

    fn try_issue_page_token(&self, page_id: &str) -> Option<String> {
        self.try_issue_page_token_without(page_id, &[])
    }

    fn try_issue_page_token_without(&self, page_id: &str, left_out: &[&str]) -> Option<String> {
        let page = self.world.page(page_id)?;
        let scopes: Vec<String> = tokens::FACEBOOK_PUBLISHING_CONSENT
            .iter()
            .copied()
            .filter(|scope| !left_out.contains(scope))
            .map(str::to_owned)
            .collect();
        let record = TokenRecord::mint(
            TokenKind::Page,
            &self.world.user.id,
            Some(page.id.as_str()),
            scopes,
            Utc::now(),
            None,
        );
        Some(self.state().issue(record))
    }

    /// A 60-day Instagram-Login token of the creator account, with the publishing scopes.
    pub fn issue_instagram_login_token(&self) -> String {
        let record = TokenRecord::mint(
            TokenKind::LongLivedInstagram,
            &self.world.creator.user_id_text(),
            None,
            tokens::owned(&tokens::INSTAGRAM_LOGIN_PUBLISHING_CONSENT),
            Utc::now(),
            Some(chrono::Duration::seconds(
                tokens::INSTAGRAM_LONG_LIVED_SECONDS,
            )),
        );
        self.state().issue(record)
    }

    /// Posts per moving day each Instagram account may publish (100 unless set; §3.5).
    pub fn set_instagram_quota_total(&self, total: u32) {
        self.state().publishing.instagram.quota_total = total;
    }

    /// Counts `count` posts against `ig_user_id` as if published just now, within the window.
    pub fn use_instagram_quota(&self, ig_user_id: &str, count: u32) {
        let now = Utc::now();
        let mut state = self.state();
        let uses = &mut state.publishing.instagram.quota_uses;
        uses.extend((0..count).map(|_| (ig_user_id.to_owned(), now)));
    }

    /// Every answer from now on reports `percent` of its rate-limit budget used (`None`: the
    /// small, slowly growing figures).
    pub fn report_usage(&self, percent: Option<u64>) {
        self.state().usage_percent = percent;
    }

    /// How many status reads a video made from now on stays processing (a Page video) or
    /// IN_PROGRESS (an Instagram video container) before it is ready; 2 unless set.
    pub fn set_video_polls(&self, polls: u32) {
        self.state().publishing.video_processing_reads = polls;
    }

    /// The next Instagram container created ends in `ERROR`, its `status` text reading
    /// "Error: {subcode} {message}".
    pub fn fail_next_container(&self, subcode: i64, message: &str) {
        self.state().publishing.instagram.next_failure = Some(ContainerFailure {
            subcode,
            message: message.to_owned(),
        });
    }

    /// Pretends the container `container_id` was created `by` earlier: a day on, it is EXPIRED.
    pub fn age_container(&self, container_id: &str, by: chrono::Duration) {
        if let Some(container) = self
            .state()
            .publishing
            .instagram
            .container_mut(container_id)
        {
            container.created_at -= by;
        }
    }

    /// Pretends the publications `ids` name (Page posts, photos, videos, Instagram media or
    /// their containers: any id Herald may hold) went live `by` earlier: their insights and
    /// counters show what that much more time brings, and `created_time` moves with them.
    /// Unknown ids are ignored.
    pub fn age_published(&self, ids: &[String], by: chrono::Duration) {
        ageing::age_published(&mut self.state().publishing, ids, by);
    }

    /// The feed page's HTML (`/_sandbox/feed`).
    fn feed_page(&self) -> String {
        let views = self.state().publishing.views(&self.world, Utc::now());
        post_pages::feed(&self.world, &views)
    }

    /// A file uploaded in a publish request, served back at `/_sandbox/uploads/{id}`.
    fn upload(&self, id: &str) -> Option<Media> {
        self.state().publishing.uploads.get(id).cloned()
    }

    fn answer(&self, request: &request::Incoming) -> axum::response::Response {
        let mut state = self.state();
        let mut call = dispatch::Call {
            world: &self.world,
            state: &mut state,
            request,
            now: Utc::now(),
        };
        dispatch::route(&mut call)
    }

    fn state(&self) -> MutexGuard<'_, State> {
        // A panic in one request must not wedge every later test on a poisoned lock.
        self.state
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

pub(super) fn router(sandbox: Arc<MetaSandbox>) -> Router {
    Router::new()
        .route("/", get(control::index))
        .route("/_sandbox/faults", post(control::add_fault))
        .route("/_sandbox/log", get(control::log))
        .route("/_sandbox/pages", get(control::pages))
        .route("/_sandbox/redirect-uris", post(control::add_redirect_uri))
        .route("/_sandbox/revoke", post(control::revoke))
        .route("/_sandbox/age", post(control::age))
        .route(
            "/_sandbox/instagram-exchange-shape",
            post(control::set_instagram_exchange_shape),
        )
        .route(
            "/_sandbox/instagram-account-type",
            post(control::set_instagram_account_type),
        )
        .route("/_sandbox/avatars/{file}", get(control::avatar))
        .route("/_sandbox/feed", get(publishing_control::feed))
        .route("/_sandbox/published", get(publishing_control::published))
        .route(
            "/_sandbox/page-token",
            post(publishing_control::issue_page_token),
        )
        .route(
            "/_sandbox/instagram-login-token",
            post(publishing_control::issue_instagram_login_token),
        )
        .route(
            "/_sandbox/instagram-quota-total",
            post(publishing_control::set_instagram_quota_total),
        )
        .route(
            "/_sandbox/instagram-quota-use",
            post(publishing_control::use_instagram_quota),
        )
        .route(
            "/_sandbox/video-polls",
            post(publishing_control::set_video_polls),
        )
        .route(
            "/_sandbox/fail-next-container",
            post(publishing_control::fail_next_container),
        )
        .route(
            "/_sandbox/age-container",
            post(publishing_control::age_container),
        )
        .route(
            "/_sandbox/age_published",
            post(publishing_control::age_published),
        )
        .route("/_sandbox/uploads/{id}", get(publishing_control::upload))
        .fallback(dispatch::meta_request)
        .with_state(sandbox)
}
