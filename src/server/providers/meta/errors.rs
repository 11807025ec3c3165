//! Meta's error envelope (spec §4.1) and what Herald does about each error (§4.2): classified by
//! `error.code` / `error_subcode`, never by HTTP status, which Meta does not keep consistent.

use std::time::Duration;

use reqwest::header::HeaderMap;
use serde::Deserialize;

use crate::server::providers::{ErrorKind, ProviderError};

/// What the caller should do about a failed call.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MetaErrorKind {
    /// The token no longer works (revoked, expired, password changed…): the person must connect
    /// the account again.
    Reconnect,
    /// A permission Herald needs was not granted (or was removed).
    PermissionMissing,
    /// Meta is throttling; try again after `retry_after` when Meta said how long.
    RateLimited { retry_after: Option<Duration> },
    /// Meta or the network failed in passing; the same call may work later.
    Temporary,
    /// The request itself was refused; repeating it will not help.
    Invalid,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("Meta refused the call ({kind:?}, code {code:?}/{subcode:?}): {message}")]
pub struct MetaError {
    pub kind: MetaErrorKind,
    pub code: Option<i64>,
    pub subcode: Option<i64>,
    /// Meta's own words, for logs: it may name ids, never tokens.
    pub message: String,
    pub fbtrace_id: Option<String>,
    /// The call may have been carried out although it failed: a timeout after the request
    /// left, a 5xx without Meta's envelope, an "unknown error". Harmless for a read; for a call
    /// that publishes, it means Herald must find out before trying again (spec §4.2, §4.4).
    pub maybe_done: bool,
}

impl MetaError {
    pub fn temporary(message: impl Into<String>) -> Self {
        Self {
            kind: MetaErrorKind::Temporary,
            code: None,
            subcode: None,
            message: message.into(),
            fbtrace_id: None,
            maybe_done: false,
        }
    }

    /// A failure after which the call may or may not have been carried out.
    pub fn ambiguous(message: impl Into<String>) -> Self {
        Self {
            maybe_done: true,
            ..Self::temporary(message)
        }
    }

    pub fn invalid(message: impl Into<String>) -> Self {
        Self {
            kind: MetaErrorKind::Invalid,
            ..Self::temporary(message)
        }
    }
}

#[derive(Debug, Deserialize)]
struct Envelope {
    error: GraphError,
}

#[derive(Debug, Deserialize)]
struct GraphError {
    #[serde(default)]
    message: String,
    code: i64,
    error_subcode: Option<i64>,
    is_transient: Option<bool>,
    fbtrace_id: Option<String>,
}

/// The legacy shape api.instagram.com may answer with (spec §1.10, UNCERTAIN).
#[derive(Debug, Deserialize)]
struct LegacyInstagramError {
    error_type: String,
    code: Option<i64>,
    error_message: Option<String>,
}

/// The error a response body carries, if it carries one. Checked on every response, whatever
/// its status: Meta sometimes answers 200 with an error inside.
pub fn error_in(body: &str, headers: &HeaderMap) -> Option<MetaError> {
    if let Ok(Envelope { error }) = serde_json::from_str::<Envelope>(body) {
        let kind = if is_wrong_app_secret(&error) {
            MetaErrorKind::Invalid
        } else {
            classify(error.code, error.error_subcode, error.is_transient, headers)
        };
        // Meta's unknown and service errors (codes 1, 2) and its spam refusal (2207051) have
        // been seen with the post made anyway (§4.2, §3.6).
        let maybe_done = matches!(error.code, 1 | 2) || error.error_subcode == Some(2207051);
        return Some(MetaError {
            kind,
            code: Some(error.code),
            subcode: error.error_subcode,
            message: error.message,
            fbtrace_id: error.fbtrace_id,
            maybe_done,
        });
    }
    if let Ok(legacy) = serde_json::from_str::<LegacyInstagramError>(body) {
        // Only the code exchange answers this way; its refusals are about the request (a used
        // code, a wrong secret), except an invalid token.
        let kind = if legacy.error_type == "OAuthException" && legacy.code == Some(190) {
            MetaErrorKind::Reconnect
        } else {
            MetaErrorKind::Invalid
        };
        return Some(MetaError {
            kind,
            code: legacy.code,
            subcode: None,
            message: legacy.error_message.unwrap_or(legacy.error_type),
            fbtrace_id: None,
            maybe_done: false,
        });
    }
    None
}

/// Meta answers a wrong app secret with code 1, the code it also uses for passing failures;
/// only its words tell them apart. Retrying would never help, so it is not "temporary".
fn is_wrong_app_secret(error: &GraphError) -> bool {
    error.code == 1 && error.message.to_ascii_lowercase().contains("client secret")
}

/// Spec §4.2, row by row.
pub fn classify(
    code: i64,
    subcode: Option<i64>,
    is_transient: Option<bool>,
    headers: &HeaderMap,
) -> MetaErrorKind {
    match code {
        102 | 190 => MetaErrorKind::Reconnect,
        10 | 200..=299 => MetaErrorKind::PermissionMissing,
        4 | 17 | 32 | 341 | 613 | 80000..=80014 => MetaErrorKind::RateLimited {
            retry_after: retry_after(headers),
        },
        // Blocked for policy reasons: hours, not minutes.
        368 => MetaErrorKind::RateLimited {
            retry_after: Some(retry_after(headers).unwrap_or(Duration::from_secs(3600))),
        },
        // Instagram's media-fetch and server errors (§4.3) are worth another try.
        -2 | -1 | 1 | 2 => MetaErrorKind::Temporary,
        // The publishing quota (§4.3, 9/2207042) waits for its window.
        9 if subcode == Some(2207042) => MetaErrorKind::RateLimited {
            retry_after: retry_after(headers),
        },
        _ if is_transient == Some(true) => MetaErrorKind::Temporary,
        _ => MetaErrorKind::Invalid,
    }
}

/// How long Meta asks to wait, from its usage headers (§4.4): the largest
/// `estimated_time_to_regain_access` (minutes) among the business objects it lists.
pub fn retry_after(headers: &HeaderMap) -> Option<Duration> {
    usage_wait(headers).or_else(|| http_retry_after(headers))
}

/// The standard `Retry-After` header, in seconds, which proxies in front of Meta may send.
fn http_retry_after(headers: &HeaderMap) -> Option<Duration> {
    headers
        .get(reqwest::header::RETRY_AFTER)
        .and_then(|value| value.to_str().ok())
        .and_then(|text| text.trim().parse::<u64>().ok())
        .filter(|seconds| *seconds > 0)
        .map(Duration::from_secs)
}

fn usage_wait(headers: &HeaderMap) -> Option<Duration> {
    let usage = headers
        .get("x-business-use-case-usage")
        .and_then(|value| value.to_str().ok())
        .and_then(|text| serde_json::from_str::<serde_json::Value>(text).ok())?;
    let minutes = usage
        .as_object()?
        .values()
        .filter_map(serde_json::Value::as_array)
        .flatten()
        .filter_map(|entry| entry.get("estimated_time_to_regain_access"))
        .filter_map(serde_json::Value::as_f64)
        .fold(0.0_f64, f64::max);
    (minutes > 0.0).then(|| Duration::from_secs_f64(minutes * 60.0))
}

/// Calls while throttled extend the block, so Herald waits at least this long (§4.4 step 4).
const SHORTEST_THROTTLE_WAIT: Duration = Duration::from_secs(15 * 60);
/// Instagram's quota is a rolling 24 hours; an hour later some of it has usually freed.
pub const QUOTA_WAIT: Duration = Duration::from_secs(60 * 60);
/// Instagram's publishing quota is spent (§4.3, 9/2207042).
const QUOTA_SUBCODE: i64 = 2207042;
/// "Not ready for publishing" (9007/2207027): the container is read again, then published.
const NOT_READY_SUBCODE: i64 = 2207027;
/// "Media could not be fetched": often a CDN warming up, worth two more tries (§4.3).
const MEDIA_FETCH_CODE: i64 = 9004;

/// Why a refused call failed, as a key the UI words.
pub fn refusal_reason(error: &MetaError) -> &'static str {
    const MEDIA_CODES: [i64; 7] = [324, 352, 1366046, 36000, 36001, 36003, 9004];
    const MEDIA_SUBCODES: [i64; 8] = [
        1366046, 2207004, 2207005, 2207009, 2207026, 2207052, 2207023, 2207028,
    ];
    let code = error.code.unwrap_or_default();
    let subcode = error.subcode.unwrap_or_default();
    if MEDIA_CODES.contains(&code) || MEDIA_SUBCODES.contains(&subcode) {
        "media_refused"
    } else if subcode == 2207050 {
        "account_restricted"
    } else {
        "content_refused"
    }
}

/// Meta's classification (§4.2–§4.4) in the terms every network shares.
impl From<MetaError> for ProviderError {
    fn from(error: MetaError) -> ProviderError {
        let kind = match &error.kind {
            MetaErrorKind::Reconnect => ErrorKind::Reconnect,
            MetaErrorKind::PermissionMissing => ErrorKind::PermissionMissing,
            MetaErrorKind::RateLimited { retry_after } if error.subcode == Some(QUOTA_SUBCODE) => {
                ErrorKind::RateLimited {
                    retry_after: *retry_after,
                    at_least: QUOTA_WAIT,
                    reason: "quota_reached",
                }
            }
            MetaErrorKind::RateLimited { retry_after } => ErrorKind::RateLimited {
                retry_after: *retry_after,
                at_least: SHORTEST_THROTTLE_WAIT,
                reason: "rate_limited",
            },
            _ if error.subcode == Some(NOT_READY_SUBCODE) => ErrorKind::NotReady,
            MetaErrorKind::Temporary => ErrorKind::Temporary,
            MetaErrorKind::Invalid => ErrorKind::Refused {
                reason: refusal_reason(&error),
                worth_retrying: error.code == Some(MEDIA_FETCH_CODE),
            },
        };
        ProviderError {
            kind,
            message: error.message,
            maybe_done: error.maybe_done,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use reqwest::header::HeaderValue;

    fn kind_of(body: &str) -> MetaErrorKind {
        error_in(body, &HeaderMap::new()).unwrap().kind
    }

    #[test]
    fn the_envelope_is_read_and_classified_by_code() {
        let revoked = r#"{"error":{"message":"Error validating access token: The user has not authorized application","type":"OAuthException","code":190,"error_subcode":458,"fbtrace_id":"Abc"}}"#;
        let error = error_in(revoked, &HeaderMap::new()).unwrap();
        assert_eq!(error.kind, MetaErrorKind::Reconnect);
        assert_eq!((error.code, error.subcode), (Some(190), Some(458)));
        assert_eq!(error.fbtrace_id.as_deref(), Some("Abc"));

        assert_eq!(
            kind_of(r#"{"error":{"message":"(#200) no","code":200}}"#),
            MetaErrorKind::PermissionMissing
        );
        assert_eq!(
            kind_of(r#"{"error":{"message":"(#10) no","code":10}}"#),
            MetaErrorKind::PermissionMissing
        );
        assert_eq!(
            kind_of(r#"{"error":{"message":"boom","code":2}}"#),
            MetaErrorKind::Temporary
        );
        assert_eq!(
            kind_of(r#"{"error":{"message":"odd","code":100,"is_transient":true}}"#),
            MetaErrorKind::Temporary
        );
        assert_eq!(
            kind_of(r#"{"error":{"message":"(#100) bad","code":100}}"#),
            MetaErrorKind::Invalid
        );
        assert_eq!(
            kind_of(r#"{"error":{"message":"(#4) limit","code":4}}"#),
            MetaErrorKind::RateLimited { retry_after: None }
        );
    }

    #[test]
    fn a_wrong_app_secret_is_not_worth_retrying() {
        let body = r#"{"error":{"message":"Error validating client secret.","type":"OAuthException","code":1}}"#;
        assert_eq!(kind_of(body), MetaErrorKind::Invalid);
        let unknown = r#"{"error":{"message":"An unknown error has occurred.","type":"OAuthException","code":1}}"#;
        assert_eq!(kind_of(unknown), MetaErrorKind::Temporary);
    }

    #[test]
    fn negative_instagram_codes_are_temporary() {
        assert_eq!(
            kind_of(r#"{"error":{"message":"x","code":-1,"error_subcode":2207001}}"#),
            MetaErrorKind::Temporary
        );
    }

    #[test]
    fn the_wait_comes_from_the_business_use_case_header() {
        let mut headers = HeaderMap::new();
        headers.insert(
            "x-business-use-case-usage",
            HeaderValue::from_static(
                r#"{"1755847768034402":[{"type":"pages","call_count":100,"total_cputime":23,"total_time":23,"estimated_time_to_regain_access":7}],"17841405822304914":[{"type":"instagram","call_count":12,"estimated_time_to_regain_access":0}]}"#,
            ),
        );
        let body = r#"{"error":{"message":"(#80001) limit","code":80001}}"#;
        assert_eq!(
            error_in(body, &headers).unwrap().kind,
            MetaErrorKind::RateLimited {
                retry_after: Some(Duration::from_secs(420))
            }
        );
    }

    #[test]
    fn instagram_legacy_errors_are_read_too() {
        let body = r#"{"error_type":"OAuthException","code":400,"error_message":"This authorization code has been used"}"#;
        let error = error_in(body, &HeaderMap::new()).unwrap();
        assert_eq!(error.kind, MetaErrorKind::Invalid);
        assert!(error.message.contains("has been used"));
    }

    #[test]
    fn ordinary_answers_carry_no_error() {
        assert!(error_in(r#"{"id":"1","name":"Page"}"#, &HeaderMap::new()).is_none());
        assert!(error_in("<html>502</html>", &HeaderMap::new()).is_none());
    }

    #[test]
    fn refusals_about_media_are_told_apart() {
        let error = |code: i64, subcode: Option<i64>| MetaError {
            code: Some(code),
            subcode,
            ..MetaError::invalid("no")
        };
        assert_eq!(
            refusal_reason(&error(36001, Some(2207005))),
            "media_refused"
        );
        assert_eq!(refusal_reason(&error(324, None)), "media_refused");
        assert_eq!(refusal_reason(&error(100, None)), "content_refused");
        assert_eq!(
            refusal_reason(&error(25, Some(2207050))),
            "account_restricted"
        );
    }

    #[test]
    fn metas_kinds_become_the_shared_ones() {
        let quota = MetaError {
            kind: MetaErrorKind::RateLimited { retry_after: None },
            subcode: Some(2207042),
            ..MetaError::temporary("quota")
        };
        assert_eq!(
            ProviderError::from(quota).kind,
            ErrorKind::RateLimited {
                retry_after: None,
                at_least: QUOTA_WAIT,
                reason: "quota_reached"
            }
        );
        let not_ready = MetaError {
            subcode: Some(2207027),
            ..MetaError::invalid("not ready")
        };
        assert_eq!(ProviderError::from(not_ready).kind, ErrorKind::NotReady);
        let fetch = MetaError {
            code: Some(9004),
            ..MetaError::invalid("could not fetch")
        };
        assert_eq!(
            ProviderError::from(fetch).kind,
            ErrorKind::Refused {
                reason: "media_refused",
                worth_retrying: true
            }
        );
        assert!(ProviderError::from(MetaError::ambiguous("timeout")).maybe_done);
    }
}
