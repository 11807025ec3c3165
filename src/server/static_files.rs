//! The site's files (the browser bundle, its styles, the icons): sent in the smallest encoding
//! the browser takes, from copies compressed at build time, and the bundle's files, whose names
//! carry a hash of their contents, cached for a year, since a new build names them anew.

use std::path::Path;

use axum::Router;
use axum::extract::Request;
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::Response;
use tower_http::services::ServeDir;

/// For a file whose name changes whenever its contents do.
const FOREVER: &str = "public, max-age=31536000, immutable";
/// For every other file: kept, but checked with the server before each use (a 304 when unchanged).
const REVALIDATE: &str = "no-cache";
/// The folder of the browser bundle under the site root, as its address says.
const BUNDLE_DIR: &str = "pkg";

/// Serves the files under `site_root`; what is not there goes to `not_found` (the app's page).
pub fn router<S>(site_root: &Path, not_found: S) -> Router
where
    S: tower::Service<Request, Response = Response, Error = std::convert::Infallible>
        + Clone
        + Send
        + Sync
        + 'static,
    S::Future: Send + 'static,
{
    let files = ServeDir::new(site_root)
        .precompressed_br()
        .precompressed_gzip()
        .fallback(not_found);
    Router::new()
        .fallback_service(files)
        .layer(middleware::from_fn(caching))
}

/// Cache-Control and Vary for a file found; the not-found page is left as it is.
async fn caching(request: Request, next: Next) -> Response {
    let path = request.uri().path().to_owned();
    let mut response = next.run(request).await;
    if !matches!(response.status(), StatusCode::OK | StatusCode::NOT_MODIFIED) {
        return response;
    }
    let headers = response.headers_mut();
    let policy = if is_hashed_bundle_file(&path) {
        FOREVER
    } else {
        REVALIDATE
    };
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static(policy));
    // Each file may be sent as it is, or as its .br or .gz copy.
    headers.insert(header::VARY, HeaderValue::from_static("accept-encoding"));
    response
}

/// `/pkg/herald.Zk3-…_x.wasm`: a bundle file whose name holds a content hash (base64url of an
/// MD5, 22 characters, as cargo-leptos names them).
fn is_hashed_bundle_file(path: &str) -> bool {
    let Some(name) = path
        .strip_prefix('/')
        .and_then(|rest| rest.strip_prefix(BUNDLE_DIR))
        .and_then(|rest| rest.strip_prefix('/'))
    else {
        return false;
    };
    let parts: Vec<&str> = name.split('.').collect();
    parts.len() >= 3
        && parts[1..parts.len() - 1].iter().any(|part| {
            part.len() == 22
                && part
                    .bytes()
                    .all(|byte| byte.is_ascii_alphanumeric() || byte == b'-' || byte == b'_')
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_bundle_files_named_by_their_hash_are_kept_forever() {
        assert!(is_hashed_bundle_file(
            "/pkg/herald.Zk3mQ0bV7xY2aL9cD4eF1g.wasm"
        ));
        assert!(is_hashed_bundle_file(
            "/pkg/herald.Zk3mQ0bV7xY2aL9cD4eF1g.wasm.br"
        ));
        assert!(is_hashed_bundle_file(
            "/pkg/__wasm_split.a-b_cdefghijklmnopqrst.js"
        ));
        assert!(!is_hashed_bundle_file("/pkg/herald.wasm"));
        assert!(!is_hashed_bundle_file("/pkg/herald.css"));
        assert!(!is_hashed_bundle_file(
            "/icons/icon.Zk3mQ0bV7xY2aL9cD4eF1g.png"
        ));
        assert!(!is_hashed_bundle_file("/pkg/herald.short.js"));
    }
}
