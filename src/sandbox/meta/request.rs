//! One request as the emulator sees it: the Meta host it was meant for, its path on that host,
//! and every parameter merged from the query string and the body (§0.2).

use std::collections::BTreeMap;

use axum::http::header::{AUTHORIZATION, CONTENT_TYPE};
use axum::http::{HeaderMap, Method};
use serde_json::Value;

use super::ReceivedRequest;
use super::errors::GraphError;
use super::media::Attachments;
use super::uploads::Form;

pub(super) struct Incoming {
    pub method: Method,
    /// The path as received, host segment included: what faults are matched against.
    pub full_path: String,
    /// "graph.facebook.com", "www.instagram.com"…
    pub host: String,
    /// The path on that host, version included: "/v23.0/me/accounts".
    pub path: String,
    /// The path's segments after the optional version: ["me", "accounts"].
    pub segments: Vec<String>,
    pub query: String,
    pub params: Params,
    /// From `access_token`, else from `Authorization: Bearer …` (or `OAuth …`, as upload hosts use).
    pub presented_token: Option<String>,
    pub body: String,
    /// The `Content-Type` header, to know whether the body still needs reading as multipart.
    pub content_type: Option<String>,
    /// The media this request brought or pointed at, gathered before it is answered.
    pub attachments: Attachments,
}

impl Incoming {
    pub fn parse(
        method: Method,
        full_path: &str,
        query: Option<&str>,
        headers: &HeaderMap,
        body: &[u8],
    ) -> Incoming {
        let (host, path) = split_host(full_path);
        let query = query.unwrap_or_default().to_owned();
        let content_type = headers
            .get(CONTENT_TYPE)
            .and_then(|value| value.to_str().ok());
        let params = Params::merge(&query, content_type, body);
        let presented_token = params
            .get("access_token")
            .map(str::to_owned)
            .or_else(|| token_from_authorization(headers));
        Incoming {
            method,
            full_path: full_path.to_owned(),
            segments: segments_after_version(&path),
            host,
            path,
            query,
            params,
            presented_token,
            body: String::from_utf8_lossy(body).into_owned(),
            content_type: content_type.map(str::to_owned),
            attachments: Attachments::default(),
        }
    }

    pub fn param(&self, name: &str) -> Option<&str> {
        self.params.get(name)
    }

    /// A boolean parameter (`true`/`false`, as forms and JSON bodies send it), or `default`.
    pub fn flag(&self, name: &str, default: bool) -> Result<bool, GraphError> {
        match self.param(name) {
            None => Ok(default),
            Some("true" | "1") => Ok(true),
            Some("false" | "0") => Ok(false),
            Some(other) => Err(GraphError::numbered(
                100,
                format!("Param {name} must be a boolean, got \"{other}\""),
            )),
        }
    }

    /// Takes in a multipart body: its text parts are parameters like any body's (a token among
    /// them wins over the header, as a form's does), its files are uploads.
    pub fn absorb_form(&mut self, form: Form) {
        for (name, value) in form.fields {
            self.params.insert(name, value);
        }
        if let Some(token) = self.params.get("access_token") {
            self.presented_token = Some(token.to_owned());
        }
        self.attachments.uploads.extend(form.files);
    }

    pub fn to_record(&self) -> ReceivedRequest {
        ReceivedRequest {
            method: self.method.as_str().to_owned(),
            host: self.host.clone(),
            path: self.path.clone(),
            query: self.query.clone(),
            body: self.body.clone(),
        }
    }
}

/// Query and body parameters in one map. On a name given twice the body wins, as it is the
/// part a client builds on purpose.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(super) struct Params(BTreeMap<String, String>);

impl Params {
    pub fn merge(query: &str, content_type: Option<&str>, body: &[u8]) -> Params {
        let mut params = BTreeMap::new();
        for (name, value) in url::form_urlencoded::parse(query.as_bytes()) {
            params.insert(name.into_owned(), value.into_owned());
        }
        let media_type = content_type
            .and_then(|value| value.split(';').next())
            .map(|value| value.trim().to_ascii_lowercase());
        match media_type.as_deref() {
            Some("application/json") => {
                if let Ok(Value::Object(fields)) = serde_json::from_slice::<Value>(body) {
                    for (name, value) in fields {
                        params.insert(name, json_parameter(value));
                    }
                }
            }
            // Multipart bodies need an async reader: `uploads::read`, then `absorb_form`.
            Some("application/x-www-form-urlencoded") | None => {
                for (name, value) in url::form_urlencoded::parse(body) {
                    params.insert(name.into_owned(), value.into_owned());
                }
            }
            Some(_) => {}
        }
        Params(params)
    }

    /// Graph treats `name=` like a missing parameter, so empty values read as absent.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.0
            .get(name)
            .map(String::as_str)
            .filter(|value| !value.is_empty())
    }

    pub fn insert(&mut self, name: String, value: String) {
        self.0.insert(name, value);
    }

    /// Form-style array items, `name[0]=…`, `name[1]=…` (and `name[0][key]=…`), in index order:
    /// each as (index, the rest of the name after `[i]`, value).
    pub fn indexed(&self, name: &str) -> Vec<(usize, &str, &str)> {
        let prefix = format!("{name}[");
        let mut items: Vec<(usize, &str, &str)> = self
            .0
            .iter()
            .filter_map(|(key, value)| {
                let rest = key.strip_prefix(&prefix)?;
                let (index, after) = rest.split_once(']')?;
                Some((index.parse().ok()?, after, value.as_str()))
            })
            .collect();
        items.sort_by_key(|(index, _, _)| *index);
        items
    }
}

/// JSON bodies carry numbers and booleans where a form would carry their text.
fn json_parameter(value: Value) -> String {
    match value {
        Value::String(text) => text,
        Value::Null => String::new(),
        other => other.to_string(),
    }
}

fn token_from_authorization(headers: &HeaderMap) -> Option<String> {
    let value = headers.get(AUTHORIZATION)?.to_str().ok()?.trim();
    let (scheme, token) = value.split_once(' ')?;
    let token = token.trim();
    let known_scheme =
        scheme.eq_ignore_ascii_case("bearer") || scheme.eq_ignore_ascii_case("oauth");
    (known_scheme && !token.is_empty()).then(|| token.to_owned())
}

/// "/graph.facebook.com/v23.0/me" → ("graph.facebook.com", "/v23.0/me").
pub(super) fn split_host(full_path: &str) -> (String, String) {
    let trimmed = full_path.trim_start_matches('/');
    match trimmed.split_once('/') {
        Some((host, rest)) => (host.to_owned(), format!("/{rest}")),
        None => (trimmed.to_owned(), "/".to_owned()),
    }
}

/// The path's segments, without a leading `v{major}.{minor}`: unversioned paths are served as
/// the app's default version, as Graph does.
pub(super) fn segments_after_version(path: &str) -> Vec<String> {
    let mut segments: Vec<String> = path
        .split('/')
        .filter(|segment| !segment.is_empty())
        .map(str::to_owned)
        .collect();
    if segments.first().is_some_and(|first| is_version(first)) {
        segments.remove(0);
    }
    segments
}

pub(super) fn is_version(segment: &str) -> bool {
    let all_digits = |text: &str| !text.is_empty() && text.chars().all(|c| c.is_ascii_digit());
    segment
        .strip_prefix('v')
        .and_then(|number| number.split_once('.'))
        .is_some_and(|(major, minor)| all_digits(major) && all_digits(minor))
}

#[cfg(test)]
mod tests {
    use axum::http::HeaderValue;

    use super::*;

    #[test]
    fn query_form_and_json_parameters_merge_with_the_body_winning() {
        let form = Params::merge(
            "fields=id%2Cname&limit=2",
            Some("application/x-www-form-urlencoded; charset=utf-8"),
            b"limit=5&message=hello+world",
        );
        assert_eq!(form.get("fields"), Some("id,name"));
        assert_eq!(form.get("limit"), Some("5"));
        assert_eq!(form.get("message"), Some("hello world"));

        let json = Params::merge(
            "access_token=abc",
            Some("application/json"),
            br#"{"published":false,"count":3,"message":"hi","nothing":null}"#,
        );
        assert_eq!(json.get("access_token"), Some("abc"));
        assert_eq!(json.get("published"), Some("false"));
        assert_eq!(json.get("count"), Some("3"));
        assert_eq!(json.get("message"), Some("hi"));
        assert_eq!(json.get("nothing"), None);
    }

    #[test]
    fn form_style_arrays_come_back_in_index_order() {
        let params = Params::merge(
            "",
            None,
            b"attached_media%5B10%5D=ten&attached_media%5B2%5D=two&attached_media%5B0%5D%5Bmedia_fbid%5D=zero&other=x",
        );
        assert_eq!(
            params.indexed("attached_media"),
            [(0, "[media_fbid]", "zero"), (2, "", "two"), (10, "", "ten")]
        );
        assert!(params.indexed("children").is_empty());
    }

    #[test]
    fn empty_parameters_read_as_absent() {
        let params = Params::merge("state=&code=x", None, b"");
        assert_eq!(params.get("state"), None);
        assert_eq!(params.get("code"), Some("x"));
    }

    #[test]
    fn versions_are_recognised_and_stripped() {
        assert!(is_version("v23.0"));
        assert!(is_version("v2.12"));
        assert!(!is_version("v23"));
        assert!(!is_version("23.0"));
        assert!(!is_version("v.0"));
        assert!(!is_version("me"));
        assert_eq!(
            segments_after_version("/v23.0/me/accounts"),
            ["me", "accounts"]
        );
        assert_eq!(segments_after_version("/me/accounts/"), ["me", "accounts"]);
        assert_eq!(segments_after_version("/"), Vec::<String>::new());
    }

    #[test]
    fn the_host_segment_is_split_from_the_path() {
        assert_eq!(
            split_host("/graph.facebook.com/v23.0/me"),
            ("graph.facebook.com".to_owned(), "/v23.0/me".to_owned())
        );
        assert_eq!(
            split_host("/api.instagram.com"),
            ("api.instagram.com".to_owned(), "/".to_owned())
        );
    }

    #[test]
    fn the_token_comes_from_the_parameter_or_the_authorization_header() {
        let mut headers = HeaderMap::new();
        headers.insert(AUTHORIZATION, HeaderValue::from_static("Bearer EAABheader"));
        let from_header = Incoming::parse(
            Method::GET,
            "/graph.facebook.com/v23.0/me",
            None,
            &headers,
            b"",
        );
        assert_eq!(from_header.presented_token.as_deref(), Some("EAABheader"));
        assert_eq!(from_header.segments, ["me"]);

        let from_parameter = Incoming::parse(
            Method::GET,
            "/graph.facebook.com/me",
            Some("access_token=EAABquery"),
            &headers,
            b"",
        );
        assert_eq!(from_parameter.presented_token.as_deref(), Some("EAABquery"));
    }
}
