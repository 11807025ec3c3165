//! Scripted misbehaviour: a test queues a fault, and the next request whose path matches gets it
//! instead of the normal answer, or the normal answer late (held before or after the work).

use axum::http::StatusCode;
use axum::http::header::CONTENT_TYPE;
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};

use super::errors::GraphError;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Fault {
    /// Matched against the request path including its host segment,
    /// e.g. "/graph.facebook.com/v23.0/me/accounts"; the query string is not part of it.
    pub path_contains: String,
    pub kind: FaultKind,
    /// How many matching requests this fault answers before it is used up.
    #[serde(default = "one_use")]
    pub times: u32,
}

impl Fault {
    pub fn once(path_contains: impl Into<String>, kind: FaultKind) -> Fault {
        Fault {
            path_contains: path_contains.into(),
            kind,
            times: 1,
        }
    }
}

fn one_use() -> u32 {
    1
}

/// In JSON: `{"type":"graph_error","status":500,"code":2,"is_transient":true,"message":"…"}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum FaultKind {
    /// A raw answer, e.g. a 502 HTML page from a load balancer.
    Status { status: u16, body: String },
    /// Meta's §4.1 envelope. `message` is sent as given: write the `(#code)` prefix yourself
    /// when Meta would. `headers` are added as they are (e.g. `x-app-usage`).
    GraphError {
        status: u16,
        code: i64,
        #[serde(default)]
        subcode: Option<i64>,
        #[serde(default)]
        is_transient: Option<bool>,
        message: String,
        #[serde(default)]
        headers: Vec<(String, String)>,
    },
    /// Sleep, then answer normally: for client timeout tests.
    Delay { millis: u64 },
    /// Carry the request out at once (a post IS made), then hold the answer back: a client
    /// that times out first has published without knowing it — the ambiguous publish.
    AnswerLate { millis: u64 },
}

pub(super) enum FaultOutcome {
    Answer(Response),
    Delay(std::time::Duration),
    AnswerLate(std::time::Duration),
}

/// Uses up one use of the first queued fault matching `path`.
pub(super) fn take_matching(queue: &mut Vec<Fault>, path: &str) -> Option<FaultKind> {
    let index = queue
        .iter()
        .position(|fault| fault.times > 0 && path.contains(&fault.path_contains))?;
    let fault = &mut queue[index];
    fault.times -= 1;
    let kind = fault.kind.clone();
    if fault.times == 0 {
        queue.remove(index);
    }
    Some(kind)
}

pub(super) fn outcome(kind: FaultKind) -> FaultOutcome {
    match kind {
        FaultKind::Status { status, body } => {
            // Bodies that look like JSON are labelled so; anything else is what a proxy sends.
            let content_type = if body.trim_start().starts_with(['{', '[']) {
                "application/json"
            } else {
                "text/html; charset=utf-8"
            };
            FaultOutcome::Answer(
                (status_code(status), [(CONTENT_TYPE, content_type)], body).into_response(),
            )
        }
        FaultKind::GraphError {
            status,
            code,
            subcode,
            is_transient,
            message,
            headers,
        } => {
            let mut error = GraphError::new(code, message);
            error.status = status_code(status);
            error.subcode = subcode;
            error.is_transient = is_transient;
            error.headers = headers;
            FaultOutcome::Answer(error.into_response())
        }
        FaultKind::Delay { millis } => {
            FaultOutcome::Delay(std::time::Duration::from_millis(millis))
        }
        FaultKind::AnswerLate { millis } => {
            FaultOutcome::AnswerLate(std::time::Duration::from_millis(millis))
        }
    }
}

fn status_code(status: u16) -> StatusCode {
    StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn delay(path: &str, times: u32) -> Fault {
        Fault {
            path_contains: path.to_owned(),
            kind: FaultKind::Delay { millis: 1 },
            times,
        }
    }

    #[test]
    fn the_first_matching_fault_is_used_up_one_request_at_a_time() {
        let mut queue = vec![delay("/me/accounts", 2), delay("/me", 1)];
        assert!(take_matching(&mut queue, "/graph.facebook.com/v23.0/me/accounts").is_some());
        assert_eq!(queue[0].times, 1);
        assert!(take_matching(&mut queue, "/graph.facebook.com/v23.0/me/accounts").is_some());
        assert_eq!(queue.len(), 1);
        assert!(take_matching(&mut queue, "/graph.facebook.com/v23.0/me/accounts").is_some());
        assert!(queue.is_empty());
        assert!(take_matching(&mut queue, "/graph.facebook.com/v23.0/me").is_none());
    }

    #[test]
    fn faults_that_do_not_match_stay_queued() {
        let mut queue = vec![delay("api.instagram.com", 1)];
        assert!(take_matching(&mut queue, "/graph.facebook.com/me").is_none());
        assert_eq!(queue.len(), 1);
    }

    #[test]
    fn a_late_answer_reads_from_json() {
        let fault: Fault = serde_json::from_str(
            r#"{"path_contains":"/feed","kind":{"type":"answer_late","millis":1500}}"#,
        )
        .unwrap();
        assert_eq!(fault.kind, FaultKind::AnswerLate { millis: 1500 });
    }

    #[test]
    fn faults_read_from_tagged_json_with_one_use_by_default() {
        let fault: Fault = serde_json::from_str(
            r#"{"path_contains":"/me","kind":{"type":"graph_error","status":500,"code":2,
                "is_transient":true,"message":"(#2) Service temporarily unavailable"}}"#,
        )
        .unwrap();
        assert_eq!(fault.times, 1);
        assert_eq!(
            fault.kind,
            FaultKind::GraphError {
                status: 500,
                code: 2,
                subcode: None,
                is_transient: Some(true),
                message: "(#2) Service temporarily unavailable".to_owned(),
                headers: Vec::new(),
            }
        );
    }
}
