//! Meta's error answers: the Graph envelope (§4.1), the legacy api.instagram.com shape, and the
//! page a browser dialog shows instead of redirecting.

use axum::Json;
use axum::http::header::WWW_AUTHENTICATE;
use axum::http::{HeaderName, HeaderValue, Method, StatusCode};
use axum::response::{Html, IntoResponse, Response};
use chrono::{DateTime, Utc};
use serde_json::{Value, json};

use super::html;
use super::tokens::random_alphanumeric;

const FBTRACE_ID_CHARS: usize = 23;
const TIMESTAMP_IN_MESSAGES: &str = "%A, %d-%b-%y %H:%M:%S UTC";

#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct GraphError {
    pub status: StatusCode,
    pub error_type: &'static str,
    pub code: i64,
    pub subcode: Option<i64>,
    pub is_transient: Option<bool>,
    pub message: String,
    /// `error_user_title` and `error_user_msg`, boxed: most errors have none, and every
    /// handler returns this type by value.
    pub for_people: Option<Box<UserText>>,
    /// Extra response headers, e.g. usage headers on a throttling fault.
    pub headers: Vec<(String, String)>,
}

/// What Meta means to be shown to a person, beside the developer's `message`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct UserText {
    pub title: String,
    pub message: String,
}

impl GraphError {
    /// An error whose message is used as given.
    pub fn new(code: i64, message: impl Into<String>) -> GraphError {
        GraphError {
            status: status_for(code),
            error_type: "OAuthException",
            code,
            subcode: None,
            is_transient: None,
            message: message.into(),
            for_people: None,
            headers: Vec::new(),
        }
    }

    /// An error whose message starts with `(#code)`, as most non-OAuth Graph errors do.
    pub fn numbered(code: i64, text: impl AsRef<str>) -> GraphError {
        GraphError::new(code, format!("(#{code}) {}", text.as_ref()))
    }

    pub fn with_subcode(mut self, subcode: i64) -> GraphError {
        self.subcode = Some(subcode);
        self
    }

    /// Instagram's publishing errors explain themselves to people and say they are not transient
    /// (§4.1 sample).
    pub fn for_people(mut self, title: &str, message: &str) -> GraphError {
        self.for_people = Some(Box::new(UserText {
            title: title.to_owned(),
            message: message.to_owned(),
        }));
        self.is_transient = Some(false);
        self
    }

    pub fn missing_token() -> GraphError {
        GraphError::new(104, "An access token is required to request this resource.")
    }

    pub fn unparsable_token() -> GraphError {
        GraphError::new(
            190,
            "Invalid OAuth access token - Cannot parse access token",
        )
        .with_subcode(467)
    }

    pub fn revoked_token(subcode: i64) -> GraphError {
        GraphError::new(190, revocation_message(subcode)).with_subcode(subcode)
    }

    pub fn expired_token(expired_at: DateTime<Utc>, now: DateTime<Utc>) -> GraphError {
        GraphError::new(
            190,
            format!(
                "Error validating access token: Session has expired on {}. The current time is {}.",
                expired_at.format(TIMESTAMP_IN_MESSAGES),
                now.format(TIMESTAMP_IN_MESSAGES),
            ),
        )
        .with_subcode(463)
    }

    pub fn invalid_application_id() -> GraphError {
        GraphError::new(101, "Error validating application. Invalid application ID.")
    }

    /// Deliberately HTTP 400, not the 500 of other code-1 errors: only injected faults are 500.
    pub fn invalid_client_secret() -> GraphError {
        GraphError::new(1, "Error validating client secret.")
    }

    pub fn missing_parameter(name: &str) -> GraphError {
        GraphError::numbered(100, format!("The parameter {name} is required"))
    }

    /// What Graph answers for an id that does not exist or that this token may not see.
    pub fn unsupported_request(method: &Method, id: &str) -> GraphError {
        let mut error = GraphError::new(
            100,
            format!(
                "Unsupported {} request. Object with ID '{id}' does not exist, cannot be loaded \
                 due to missing permissions, or does not support this operation. Please read the \
                 Graph API documentation at https://developers.facebook.com/docs/graph-api",
                method.as_str().to_ascii_lowercase()
            ),
        )
        .with_subcode(33);
        error.error_type = "GraphMethodException";
        error
    }

    pub fn nonexisting_field(field: &str, node_type: &str) -> GraphError {
        GraphError::numbered(
            100,
            format!("Tried accessing nonexisting field ({field}) on node type ({node_type})"),
        )
    }

    pub fn unknown_path(path: &str) -> GraphError {
        GraphError::new(2500, format!("Unknown path components: {path}"))
    }

    /// The §4.1 body, with a fresh `fbtrace_id` as Meta sends on every error.
    pub fn envelope(&self) -> Value {
        let mut error = json!({
            "message": self.message,
            "type": self.error_type,
            "code": self.code,
            "fbtrace_id": random_alphanumeric(FBTRACE_ID_CHARS),
        });
        if let Some(subcode) = self.subcode {
            error["error_subcode"] = json!(subcode);
        }
        if let Some(is_transient) = self.is_transient {
            error["is_transient"] = json!(is_transient);
        }
        if let Some(text) = &self.for_people {
            error["error_user_title"] = json!(text.title);
            error["error_user_msg"] = json!(text.message);
        }
        json!({ "error": error })
    }
}

impl IntoResponse for GraphError {
    fn into_response(self) -> Response {
        let mut response = (self.status, Json(self.envelope())).into_response();
        let headers = response.headers_mut();
        let challenge = format!(
            "OAuth \"Facebook Platform\" \"{}\" \"{}\"",
            if self.code == 190 {
                "invalid_token"
            } else {
                "invalid_request"
            },
            self.message.replace('"', "'"),
        );
        if let Ok(value) = HeaderValue::from_str(&challenge) {
            headers.insert(WWW_AUTHENTICATE, value);
        }
        for (name, value) in &self.headers {
            match (
                HeaderName::from_bytes(name.as_bytes()),
                HeaderValue::from_str(value),
            ) {
                (Ok(header_name), Ok(header_value)) => {
                    headers.append(header_name, header_value);
                }
                _ => tracing::warn!(%name, "the sandbox skipped an invalid fault header"),
            }
        }
        response
    }
}

/// 403 for the permission family (§4.1), 400 for everything else the emulator decides on its own.
fn status_for(code: i64) -> StatusCode {
    if (200..300).contains(&code) {
        StatusCode::FORBIDDEN
    } else {
        StatusCode::BAD_REQUEST
    }
}

fn revocation_message(subcode: i64) -> &'static str {
    match subcode {
        458 => "Error validating access token: The user has not authorized application.",
        459 => {
            "Error validating access token: You cannot access the app till you log in to \
             www.facebook.com and follow the instructions given."
        }
        460 => {
            "Error validating access token: The session has been invalidated because the user \
             changed their password or Facebook has changed the session for security reasons."
        }
        463 => "Error validating access token: Session has expired.",
        464 => {
            "Error validating access token: Sessions for the user are not allowed because the \
             user is not a confirmed user."
        }
        467 => "Error validating access token: The session is invalid because the user logged out.",
        492 => {
            "Error validating access token: The session is invalid because the user no longer \
             has a role on the Page."
        }
        _ => "Error validating access token: The session has been invalidated.",
    }
}

/// api.instagram.com's own shape: `{"error_type":"OAuthException","code":400,"error_message":…}`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct LegacyInstagramError {
    pub message: String,
}

impl LegacyInstagramError {
    pub fn new(message: impl Into<String>) -> LegacyInstagramError {
        LegacyInstagramError {
            message: message.into(),
        }
    }

    pub fn body(&self) -> Value {
        json!({ "error_type": "OAuthException", "code": 400, "error_message": self.message })
    }
}

impl IntoResponse for LegacyInstagramError {
    fn into_response(self) -> Response {
        (StatusCode::BAD_REQUEST, Json(self.body())).into_response()
    }
}

/// A dialog that cannot redirect safely (unknown app, unregistered redirect URI) shows an error
/// page instead: redirecting would make the dialog an open redirector.
pub(super) fn dialog_error(title: &str, detail: &str) -> Response {
    let body = format!(
        "<h1>{}</h1>\n<p>{}</p>",
        html::escape(title),
        html::escape(detail)
    );
    (StatusCode::BAD_REQUEST, Html(html::page(title, &body))).into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_envelope_carries_code_subcode_type_and_a_trace_id() {
        let envelope = GraphError::revoked_token(460).envelope();
        let error = &envelope["error"];
        assert_eq!(error["code"], 190);
        assert_eq!(error["error_subcode"], 460);
        assert_eq!(error["type"], "OAuthException");
        assert!(
            error["fbtrace_id"]
                .as_str()
                .is_some_and(|id| !id.is_empty())
        );
        assert!(error.get("is_transient").is_none());
    }

    #[test]
    fn numbered_messages_start_with_their_code() {
        let error = GraphError::nonexisting_field("accounts", "Page");
        assert_eq!(
            error.message,
            "(#100) Tried accessing nonexisting field (accounts) on node type (Page)"
        );
        assert_eq!(error.status, StatusCode::BAD_REQUEST);
    }

    #[test]
    fn permission_errors_are_forbidden_and_the_rest_bad_requests() {
        assert_eq!(GraphError::new(200, "x").status, StatusCode::FORBIDDEN);
        assert_eq!(GraphError::new(299, "x").status, StatusCode::FORBIDDEN);
        assert_eq!(
            GraphError::invalid_client_secret().status,
            StatusCode::BAD_REQUEST
        );
        assert_eq!(GraphError::new(190, "x").status, StatusCode::BAD_REQUEST);
    }

    #[test]
    fn unsupported_requests_are_graph_method_exceptions_with_subcode_33() {
        let error = GraphError::unsupported_request(&Method::GET, "42");
        assert_eq!(error.error_type, "GraphMethodException");
        assert_eq!((error.code, error.subcode), (100, Some(33)));
        assert!(
            error
                .message
                .starts_with("Unsupported get request. Object with ID '42'")
        );
    }

    #[test]
    fn the_legacy_instagram_shape_has_no_error_object() {
        let body = LegacyInstagramError::new("Error validating client secret.").body();
        assert_eq!(body["error_type"], "OAuthException");
        assert_eq!(body["code"], 400);
        assert_eq!(body["error_message"], "Error validating client secret.");
    }
}
