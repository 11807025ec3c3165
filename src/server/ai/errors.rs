//! What can go wrong talking to an AI endpoint, told apart so each has its own advice: a wrong
//! key is fixed in the configuration, a rate limit by waiting, an unreachable server by
//! starting it.

use std::time::Duration;

use serde::Deserialize;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AiError {
    /// No endpoint is configured (`HERALD_AI_BASE_URL` / `HERALD_AI_API_KEY` / `HERALD_AI_MODEL`).
    #[error("no AI endpoint is configured")]
    NotConfigured,
    /// Pictures need `HERALD_AI_IMAGE_MODEL`.
    #[error("no image model is configured")]
    ImagesNotConfigured,
    /// 401: the key is wrong, revoked or missing.
    #[error("the AI endpoint refused the API key")]
    WrongKey,
    /// 403: the key may not use this model or endpoint.
    #[error("the API key may not use this model")]
    NoAccess,
    /// 404 naming the model.
    #[error("the AI endpoint does not know the model {model}")]
    UnknownModel { model: String },
    /// 404 for the route itself: the base URL is likely missing its `/v1`.
    #[error("the AI endpoint has no such route; check the base URL")]
    NoSuchRoute,
    /// 413: the text sent is too long for the server.
    #[error("the request was too large for the AI endpoint")]
    TooLarge,
    /// 429: rate limited or out of quota; when the server said, how long to wait.
    #[error("the AI endpoint is rate limiting Herald")]
    RateLimited { retry_after: Option<Duration> },
    /// 400 and other refusals, with the server's own words.
    #[error("the AI endpoint refused the request: {message}")]
    Refused { message: String },
    /// 5xx: the server's own trouble, worth trying again later.
    #[error("the AI endpoint failed (HTTP {status})")]
    Unavailable { status: u16 },
    /// No connection could be made.
    #[error("the AI endpoint could not be reached")]
    Unreachable,
    /// No answer, or no more of the answer, in time.
    #[error("the AI endpoint took too long to answer")]
    Timeout,
    /// The answer did not follow the API (bad JSON, a stream that stops mid-answer…).
    #[error("the AI endpoint's answer could not be read: {detail}")]
    Malformed { detail: String },
}

impl AiError {
    /// From a transfer that failed before, or while, the answer came.
    pub fn from_transport(error: &reqwest::Error) -> AiError {
        if error.is_timeout() {
            AiError::Timeout
        } else if error.is_connect() {
            AiError::Unreachable
        } else if error.is_decode() || error.is_body() {
            AiError::Malformed {
                detail: "the answer stopped before it was complete".to_owned(),
            }
        } else {
            AiError::Unreachable
        }
    }

    /// From an error status and its body, in whichever envelope the server used.
    pub fn from_status(
        status: u16,
        headers: &reqwest::header::HeaderMap,
        body: &str,
        model: &str,
    ) -> AiError {
        let envelope = ErrorEnvelope::read(body);
        match status {
            401 => AiError::WrongKey,
            403 => AiError::NoAccess,
            404 if envelope.is_about_model(model) => AiError::UnknownModel {
                model: model.to_owned(),
            },
            404 => AiError::NoSuchRoute,
            413 => AiError::TooLarge,
            429 => AiError::RateLimited {
                retry_after: retry_after(headers),
            },
            500..=599 => AiError::Unavailable { status },
            _ => AiError::Refused {
                message: envelope.message.unwrap_or_else(|| format!("HTTP {status}")),
            },
        }
    }

    /// An error sent inside a stream (`data: {"error": …}`).
    pub fn from_stream_error(error: &serde_json::Value, model: &str) -> AiError {
        let envelope = ErrorEnvelope::from_value(error);
        let code = envelope.code.as_deref().unwrap_or_default();
        if code.contains("rate_limit") || code == "insufficient_quota" {
            AiError::RateLimited { retry_after: None }
        } else if envelope.is_about_model(model) {
            AiError::UnknownModel {
                model: model.to_owned(),
            }
        } else {
            AiError::Refused {
                message: envelope
                    .message
                    .unwrap_or_else(|| "the answer ended with an error".to_owned()),
            }
        }
    }

    /// Whether trying again later may work, without changing anything.
    pub fn is_temporary(&self) -> bool {
        matches!(
            self,
            AiError::RateLimited { .. }
                | AiError::Unavailable { .. }
                | AiError::Unreachable
                | AiError::Timeout
        )
    }
}

impl From<AiError> for crate::error::AppError {
    fn from(error: AiError) -> Self {
        use crate::error::Problem;
        let problem = match error {
            AiError::NotConfigured => Problem::AiNotConfigured,
            AiError::ImagesNotConfigured => Problem::AiImagesNotConfigured,
            AiError::WrongKey => Problem::AiWrongKey,
            AiError::NoAccess => Problem::AiNoAccess,
            AiError::UnknownModel { model } => Problem::AiUnknownModel { model },
            AiError::NoSuchRoute => Problem::AiNoSuchRoute,
            AiError::TooLarge => Problem::AiTooLarge,
            AiError::RateLimited { retry_after } => Problem::AiRateLimited {
                seconds: retry_after.map(|wait| wait.as_secs_f64().ceil() as u64),
            },
            AiError::Refused { message } => Problem::AiRefused { message },
            AiError::Unavailable { status } => Problem::AiUnavailable { status },
            AiError::Unreachable => Problem::AiUnreachable,
            AiError::Timeout => Problem::AiTimeout,
            AiError::Malformed { detail } => Problem::AiMalformed { detail },
        };
        crate::error::AppError::Refused(problem)
    }
}

/// `{"error": {"message", "type", "code"}}`, `{"error": "text"}` or a plain-text body.
#[derive(Debug, Default)]
struct ErrorEnvelope {
    message: Option<String>,
    code: Option<String>,
}

impl ErrorEnvelope {
    fn read(body: &str) -> ErrorEnvelope {
        match serde_json::from_str::<serde_json::Value>(body) {
            Ok(value) => ErrorEnvelope::from_value(value.get("error").unwrap_or(&value)),
            Err(_) => {
                let text = body.trim();
                ErrorEnvelope {
                    message: (!text.is_empty()).then(|| shorten(text)),
                    code: None,
                }
            }
        }
    }

    fn from_value(error: &serde_json::Value) -> ErrorEnvelope {
        #[derive(Deserialize)]
        struct Detailed {
            message: Option<String>,
            code: Option<serde_json::Value>,
            #[serde(rename = "type")]
            kind: Option<String>,
        }
        match error {
            serde_json::Value::String(text) => ErrorEnvelope {
                message: Some(shorten(text)),
                code: None,
            },
            other => match Detailed::deserialize(other) {
                Ok(detailed) => ErrorEnvelope {
                    message: detailed.message.map(|message| shorten(&message)),
                    code: detailed
                        .code
                        .and_then(|code| match code {
                            serde_json::Value::String(code) => Some(code),
                            serde_json::Value::Number(number) => Some(number.to_string()),
                            _ => None,
                        })
                        .or(detailed.kind),
                },
                Err(_) => ErrorEnvelope::default(),
            },
        }
    }

    fn is_about_model(&self, model: &str) -> bool {
        self.code.as_deref() == Some("model_not_found")
            || self.message.as_deref().is_some_and(|message| {
                let message = message.to_ascii_lowercase();
                message.contains("model")
                    || (!model.is_empty() && message.contains(&model.to_ascii_lowercase()))
            })
    }
}

/// Servers' messages are shown to people: a whole HTML error page is not.
fn shorten(text: &str) -> String {
    const MAX: usize = 300;
    match text.char_indices().nth(MAX) {
        Some((cut, _)) => format!("{}…", &text[..cut]),
        None => text.to_owned(),
    }
}

/// `Retry-After` in seconds (or as a date, read as "soon"), else OpenAI's
/// `x-ratelimit-reset-requests` (`1s`, `6m0s`, `20ms`).
fn retry_after(headers: &reqwest::header::HeaderMap) -> Option<Duration> {
    let header = |name: &str| {
        headers
            .get(name)
            .and_then(|value| value.to_str().ok())
            .map(str::trim)
    };
    if let Some(value) = header("retry-after") {
        if let Ok(seconds) = value.parse::<f64>()
            && seconds.is_finite()
            && seconds >= 0.0
        {
            return Some(Duration::from_secs_f64(seconds.min(86_400.0)));
        }
        if let Ok(at) = chrono::DateTime::parse_from_rfc2822(value) {
            let wait = at.signed_duration_since(chrono::Utc::now());
            return Some(wait.to_std().unwrap_or_default());
        }
    }
    header("x-ratelimit-reset-requests").and_then(go_duration)
}

/// A Go-style duration such as `6m0s`, `1.5s` or `20ms`.
fn go_duration(text: &str) -> Option<Duration> {
    let mut total = 0.0_f64;
    let mut rest = text;
    if rest.is_empty() {
        return None;
    }
    while !rest.is_empty() {
        let number_end = rest
            .find(|c: char| !(c.is_ascii_digit() || c == '.'))
            .unwrap_or(rest.len());
        let number: f64 = rest[..number_end].parse().ok()?;
        rest = &rest[number_end..];
        let unit_end = rest
            .find(|c: char| c.is_ascii_digit() || c == '.')
            .unwrap_or(rest.len());
        let seconds_per = match &rest[..unit_end] {
            "h" => 3600.0,
            "m" => 60.0,
            "s" => 1.0,
            "ms" => 0.001,
            "us" | "µs" => 0.000_001,
            "ns" => 0.000_000_001,
            _ => return None,
        };
        total += number * seconds_per;
        rest = &rest[unit_end..];
    }
    total
        .is_finite()
        .then(|| Duration::from_secs_f64(total.min(86_400.0)))
}

#[cfg(test)]
mod tests {
    use reqwest::header::{HeaderMap, HeaderValue};

    use super::*;

    fn headers(pairs: &[(&'static str, &str)]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for (name, value) in pairs {
            map.insert(*name, HeaderValue::from_str(value).unwrap());
        }
        map
    }

    #[test]
    fn statuses_become_errors_with_their_own_advice() {
        let none = HeaderMap::new();
        assert_eq!(AiError::from_status(401, &none, "", "m"), AiError::WrongKey);
        assert_eq!(AiError::from_status(403, &none, "", "m"), AiError::NoAccess);
        assert_eq!(AiError::from_status(413, &none, "", "m"), AiError::TooLarge);
        assert_eq!(
            AiError::from_status(503, &none, "<html>down</html>", "m"),
            AiError::Unavailable { status: 503 }
        );
        let body = r#"{"error":{"message":"max_tokens is too large","type":"invalid_request_error","param":"max_tokens","code":null}}"#;
        assert_eq!(
            AiError::from_status(400, &none, body, "m"),
            AiError::Refused {
                message: "max_tokens is too large".to_owned()
            }
        );
    }

    #[test]
    fn a_404_is_the_model_when_the_envelope_says_so_and_the_route_otherwise() {
        let none = HeaderMap::new();
        let openai = r#"{"error":{"message":"The model `gpt-9` does not exist","type":"invalid_request_error","param":null,"code":"model_not_found"}}"#;
        let ollama = r#"{"error":"model \"llama9\" not found, try pulling it first"}"#;
        assert_eq!(
            AiError::from_status(404, &none, openai, "gpt-9"),
            AiError::UnknownModel {
                model: "gpt-9".to_owned()
            }
        );
        assert_eq!(
            AiError::from_status(404, &none, ollama, "llama9"),
            AiError::UnknownModel {
                model: "llama9".to_owned()
            }
        );
        assert_eq!(
            AiError::from_status(404, &none, "404 page not found", "llama9"),
            AiError::NoSuchRoute
        );
    }

    #[test]
    fn plain_text_and_string_envelopes_are_read_too() {
        let none = HeaderMap::new();
        assert_eq!(
            AiError::from_status(400, &none, "bad things", "m"),
            AiError::Refused {
                message: "bad things".to_owned()
            }
        );
        assert_eq!(
            AiError::from_status(422, &none, r#"{"error":"nope"}"#, "m"),
            AiError::Refused {
                message: "nope".to_owned()
            }
        );
        assert_eq!(
            AiError::from_status(400, &none, "", "m"),
            AiError::Refused {
                message: "HTTP 400".to_owned()
            }
        );
    }

    #[test]
    fn rate_limits_say_how_long_to_wait_from_either_header() {
        let error = AiError::from_status(429, &headers(&[("retry-after", "7")]), "", "m");
        assert_eq!(
            error,
            AiError::RateLimited {
                retry_after: Some(Duration::from_secs(7))
            }
        );
        let error = AiError::from_status(
            429,
            &headers(&[("x-ratelimit-reset-requests", "6m0s")]),
            "",
            "m",
        );
        assert_eq!(
            error,
            AiError::RateLimited {
                retry_after: Some(Duration::from_secs(360))
            }
        );
        let error = AiError::from_status(429, &HeaderMap::new(), "", "m");
        assert_eq!(error, AiError::RateLimited { retry_after: None });
        assert!(error.is_temporary());
    }

    #[test]
    fn go_durations_are_read() {
        assert_eq!(go_duration("1s"), Some(Duration::from_secs(1)));
        assert_eq!(go_duration("20ms"), Some(Duration::from_millis(20)));
        assert_eq!(go_duration("1m30s"), Some(Duration::from_secs(90)));
        assert_eq!(go_duration("soon"), None);
        assert_eq!(go_duration(""), None);
    }
}
