//! Usage headers (§4.4) on successful token-authenticated answers. The percentages stay small on
//! purpose: clients must parse them, but a long test run must not trip their throttling —
//! unless a test sets the percentage (`MetaSandbox::report_usage`) to see a client slow down.

use axum::Json;
use axum::http::{HeaderName, HeaderValue};
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};

use super::state::State;
use super::tokens::{TokenKind, TokenRecord};

const APP_USAGE: &str = "x-app-usage";
const BUSINESS_USE_CASE_USAGE: &str = "x-business-use-case-usage";

/// Whose budget a call spends.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Caller<'a> {
    /// App and user tokens spend the app's budget.
    App,
    /// Page tokens spend the Page's business use case budget.
    Page(&'a str),
    /// Instagram-Login tokens spend the Instagram account's.
    Instagram(&'a str),
}

impl<'a> Caller<'a> {
    pub fn of(token: &'a TokenRecord) -> Caller<'a> {
        match (token.kind, token.page_id.as_deref()) {
            (TokenKind::Page, Some(page_id)) => Caller::Page(page_id),
            (TokenKind::ShortLivedInstagram | TokenKind::LongLivedInstagram, _) => {
                Caller::Instagram(&token.user_id)
            }
            _ => Caller::App,
        }
    }
}

/// A 200 JSON answer carrying the usage header for `caller`.
pub(super) fn answer(state: &mut State, caller: Caller<'_>, body: Value) -> Response {
    state.calls += 1;
    let percent = state.usage_percent.unwrap_or_else(|| percent(state.calls));
    let (name, value) = header(caller, percent);
    let mut response = Json(body).into_response();
    if let Ok(value) = HeaderValue::from_str(&value) {
        response
            .headers_mut()
            .insert(HeaderName::from_static(name), value);
    }
    response
}

fn header(caller: Caller<'_>, percent: u64) -> (&'static str, String) {
    let (id, use_case) = match caller {
        Caller::App => {
            let usage = json!({
                "call_count": percent,
                "total_time": percent,
                "total_cputime": 1,
            });
            return (APP_USAGE, usage.to_string());
        }
        Caller::Page(page_id) => (page_id, "pages"),
        Caller::Instagram(instagram_id) => (instagram_id, "instagram"),
    };
    let mut usage = serde_json::Map::new();
    usage.insert(
        id.to_owned(),
        json!([{
            "type": use_case,
            "call_count": percent,
            "total_cputime": 1,
            "total_time": percent,
            "estimated_time_to_regain_access": 0,
        }]),
    );
    (BUSINESS_USE_CASE_USAGE, Value::Object(usage).to_string())
}

/// 1 % for the first hundred calls, growing slowly and never past 5 %.
fn percent(calls: u64) -> u64 {
    (1 + calls / 100).min(5)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn app_calls_report_app_usage() {
        let (name, value) = header(Caller::App, 1);
        assert_eq!(name, "x-app-usage");
        let usage: Value = serde_json::from_str(&value).unwrap();
        assert_eq!(usage["call_count"], 1);
        assert!(usage["total_time"].is_u64());
        assert!(usage["total_cputime"].is_u64());
    }

    #[test]
    fn page_calls_report_business_use_case_usage_keyed_by_page() {
        let (name, value) = header(Caller::Page("1000000000000001"), percent(250));
        assert_eq!(name, "x-business-use-case-usage");
        let usage: Value = serde_json::from_str(&value).unwrap();
        let entry = &usage["1000000000000001"][0];
        assert_eq!(entry["type"], "pages");
        assert_eq!(entry["call_count"], 3);
        assert_eq!(entry["estimated_time_to_regain_access"], 0);
    }

    #[test]
    fn usage_never_nears_the_throttling_thresholds() {
        assert_eq!(percent(1_000_000), 5);
    }
}
