//! Request-level defences: mutations from another site are refused (CSRF), and every response
//! carries headers that stop sniffing, framing and cross-site referrer leaks.

use axum::extract::{Request, State};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use super::state::AppState;

/// Refuses a state-changing request that a browser sent on behalf of another site.
pub async fn refuse_foreign_origin(
    State(state): State<AppState>,
    request: Request,
    next: Next,
) -> Response {
    let changes_state = !matches!(
        *request.method(),
        Method::GET | Method::HEAD | Method::OPTIONS
    );
    if changes_state && !is_same_origin(request.headers(), &state.settings.public_origin()) {
        tracing::warn!(path = %request.uri().path(), "refused a cross-origin request");
        return (
            StatusCode::FORBIDDEN,
            "This request came from another site, so Herald refused it. Use Herald's own pages.",
        )
            .into_response();
    }
    next.run(request).await
}

/// Browsers send `Origin` on every POST; it must be Herald's public origin or the host the
/// request was addressed to. Without `Origin` (scripts, old browsers) `Sec-Fetch-Site`, when
/// present, must not say cross-site; a client sending neither is not a browser acting for
/// someone else, so it may pass.
fn is_same_origin(headers: &HeaderMap, public_origin: &str) -> bool {
    match headers.get(header::ORIGIN).map(HeaderValue::to_str) {
        Some(Ok(origin)) => {
            origin == public_origin || origin_matches_host(origin, headers, public_origin)
        }
        Some(Err(_)) => false,
        None => match headers.get("sec-fetch-site").map(HeaderValue::to_str) {
            Some(Ok(site)) => site == "same-origin" || site == "none",
            Some(Err(_)) => false,
            None => true,
        },
    }
}

/// Lets Herald be reached by another name for the same host (127.0.0.1 vs localhost) without
/// configuration, keeping the public URL's scheme.
fn origin_matches_host(origin: &str, headers: &HeaderMap, public_origin: &str) -> bool {
    let scheme = public_origin.split("://").next().unwrap_or("http");
    headers
        .get(header::HOST)
        .and_then(|host| host.to_str().ok())
        .is_some_and(|host| origin == format!("{scheme}://{host}"))
}

pub fn security_headers() -> [(header::HeaderName, HeaderValue); 4] {
    [
        (
            header::X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        ),
        (header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY")),
        (
            header::REFERRER_POLICY,
            HeaderValue::from_static("strict-origin-when-cross-origin"),
        ),
        (
            header::HeaderName::from_static("permissions-policy"),
            HeaderValue::from_static("camera=(), microphone=(), geolocation=()"),
        ),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(pairs: &[(&'static str, &'static str)]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for (name, value) in pairs {
            map.insert(*name, HeaderValue::from_static(value));
        }
        map
    }

    const PUBLIC: &str = "https://herald.example.com";

    #[test]
    fn own_origin_is_accepted() {
        assert!(is_same_origin(&headers(&[("origin", PUBLIC)]), PUBLIC));
    }

    #[test]
    fn foreign_or_null_origin_is_refused() {
        assert!(!is_same_origin(
            &headers(&[
                ("origin", "https://evil.example"),
                ("host", "herald.example.com")
            ]),
            PUBLIC
        ));
        assert!(!is_same_origin(&headers(&[("origin", "null")]), PUBLIC));
    }

    #[test]
    fn same_host_under_another_name_is_accepted_with_the_public_scheme() {
        let local = "http://127.0.0.1:3000";
        assert!(is_same_origin(
            &headers(&[
                ("origin", "http://localhost:3000"),
                ("host", "localhost:3000")
            ]),
            local
        ));
        assert!(!is_same_origin(
            &headers(&[
                ("origin", "http://localhost:3000"),
                ("host", "localhost:3000")
            ]),
            PUBLIC
        ));
    }

    #[test]
    fn without_origin_fetch_metadata_decides() {
        assert!(!is_same_origin(
            &headers(&[("sec-fetch-site", "cross-site")]),
            PUBLIC
        ));
        assert!(is_same_origin(
            &headers(&[("sec-fetch-site", "same-origin")]),
            PUBLIC
        ));
        assert!(is_same_origin(&headers(&[]), PUBLIC));
    }
}
