//! Request-level defences: mutations from another site are refused (CSRF), bodies are
//! bounded, and every response carries headers that stop sniffing, framing and cross-site
//! referrer leaks.

use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use leptos::nonce::use_nonce;
use leptos::prelude::use_context;
use leptos_axum::ResponseOptions;

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
    let public_origin = state.settings.public_origin();
    if changes_state && !is_same_origin(request.headers(), &public_origin) {
        tracing::warn!(path = %request.uri().path(), "refused a cross-origin request");
        let message = format!(
            "Herald refused this request because it came from another site. Open Herald at \
             {public_origin} and try again. (If that is not where people reach Herald, set \
             HERALD_PUBLIC_URL.)"
        );
        return (StatusCode::FORBIDDEN, message).into_response();
    }
    next.run(request).await
}

/// Refuses bodies over `limit` bytes with 413: at once when `Content-Length` says so, and
/// while reading when a chunked body turns out too long (the handler never sees it).
pub async fn limit_body(request: Request, next: Next, limit: usize) -> Response {
    let too_large = || {
        (
            StatusCode::PAYLOAD_TOO_LARGE,
            format!("Herald accepts at most {} MiB here.", limit / (1024 * 1024)),
        )
            .into_response()
    };
    let declared = request
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|length| length.to_str().ok()?.parse::<u64>().ok());
    match declared {
        Some(length) if length > limit as u64 => too_large(),
        Some(_) => next.run(request).await,
        None => {
            let (parts, body) = request.into_parts();
            match axum::body::to_bytes(body, limit).await {
                Ok(bytes) => {
                    next.run(Request::from_parts(parts, Body::from(bytes)))
                        .await
                }
                Err(_) => too_large(),
            }
        }
    }
}

/// Browsers send `Origin` on every POST; it must be Herald's public origin exactly. (Not
/// merely the `Host` the request names: a DNS-rebinding page controls both.) Without
/// `Origin` (scripts, old browsers) `Sec-Fetch-Site`, when present, must not say cross-site;
/// a client sending neither is not a browser acting for someone else, so it may pass.
fn is_same_origin(headers: &HeaderMap, public_origin: &str) -> bool {
    match headers.get(header::ORIGIN).map(HeaderValue::to_str) {
        Some(Ok(origin)) => origin == public_origin,
        Some(Err(_)) => false,
        None => match headers.get("sec-fetch-site").map(HeaderValue::to_str) {
            Some(Ok(site)) => site == "same-origin" || site == "none",
            Some(Err(_)) => false,
            None => true,
        },
    }
}

/// The Content-Security-Policy of a rendered page: scripts only from Herald itself, inline
/// ones only when they carry this response's nonce (Leptos puts it on its hydration scripts),
/// and WebAssembly allowed to compile. Runs in the context of each page render.
pub fn content_security_policy() {
    let (Some(nonce), Some(response)) = (use_nonce(), use_context::<ResponseOptions>()) else {
        return;
    };
    // Account pictures come from the networks' servers (Meta's CDN: https), or the sandbox's.
    let extra_images = use_context::<AppState>()
        .map(|state| state.settings.image_origins.join(" "))
        .unwrap_or_default();
    let policy = format!(
        "default-src 'self'; script-src 'self' 'nonce-{nonce}' 'wasm-unsafe-eval'; \
         style-src 'self'; img-src 'self' data: https: {extra_images}; connect-src 'self'; \
         manifest-src 'self'; \
         worker-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; \
         frame-ancestors 'none'"
    );
    if let Ok(value) = HeaderValue::from_str(&policy) {
        response.insert_header(header::CONTENT_SECURITY_POLICY, value);
    }
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
    fn a_matching_host_header_does_not_make_a_foreign_origin_acceptable() {
        // What a DNS-rebinding page sends: its own name as both Origin and Host.
        let rebound = headers(&[
            ("origin", "http://evil.example:3000"),
            ("host", "evil.example:3000"),
        ]);
        assert!(!is_same_origin(&rebound, "http://127.0.0.1:3000"));
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
