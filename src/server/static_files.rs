//! The site's files (the browser bundle, its styles, the icons): sent in the smallest encoding
//! the browser takes, from copies compressed at build time, and the bundle's files, whose names
//! carry a hash of their contents, cached for a year, since a new build names them anew.

use std::path::{Path, PathBuf};

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
    if !matches!(response.status(), StatusCode::OK | StatusCode::NOT_MODIFIED)
        || response
            .headers()
            .get(header::CONTENT_TYPE)
            .is_some_and(|kind| kind.as_bytes().starts_with(b"text/html"))
    {
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

/// The hashes in the bundle's file names, in the form Leptos reads to name them in pages
/// (`js: …`, `wasm: …`, `css: …`); None for a bundle built without hashes.
pub fn bundle_hashes(site_root: &Path, output_name: &str) -> Option<String> {
    let names: Vec<String> = std::fs::read_dir(site_root.join(BUNDLE_DIR))
        .ok()?
        .filter_map(Result::ok)
        .filter_map(|entry| entry.file_name().into_string().ok())
        .collect();
    let hash_of = |stem: &str, extension: &str| {
        names.iter().find_map(|name| {
            let hash = name
                .strip_prefix(stem)?
                .strip_prefix('.')?
                .strip_suffix(extension)?
                .strip_suffix('.')?;
            (!hash.is_empty() && !hash.contains('.')).then(|| hash.to_owned())
        })
    };
    let mut lines = Vec::new();
    for (key, stem, extension) in [
        ("js", output_name, "js"),
        ("wasm", output_name, "wasm"),
        ("css", output_name, "css"),
        ("split", "__wasm_split", "js"),
        ("manifest", "__wasm_split_manifest", "json"),
    ] {
        if let Some(hash) = hash_of(stem, extension) {
            lines.push(format!("{key}: {hash}"));
        }
    }
    let has_main_files = lines
        .iter()
        .filter(|line| !line.starts_with("split") && !line.starts_with("manifest"))
        .count()
        == 3;
    has_main_files.then(|| lines.join("\n") + "\n")
}

/// Writes the bundle's hashes where Leptos will read them (an absolute path, so they are found
/// wherever the binary was copied to); None for a bundle without hashes.
pub fn write_bundle_hashes(
    site_root: &Path,
    output_name: &str,
    data_dir: &Path,
) -> std::io::Result<Option<PathBuf>> {
    let Some(hashes) = bundle_hashes(site_root, output_name) else {
        return Ok(None);
    };
    let path = std::path::absolute(data_dir.join("bundle-hashes.txt"))?;
    std::fs::write(&path, hashes)?;
    Ok(Some(path))
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

    #[test]
    fn hashes_are_read_from_the_names_of_a_hashed_bundle() {
        let site = tempfile::tempdir().unwrap();
        let pkg = site.path().join(BUNDLE_DIR);
        std::fs::create_dir(&pkg).unwrap();
        for name in [
            "herald.AAA.js",
            "herald.BBB.wasm",
            "herald.BBB.wasm.br",
            "herald.CCC.css",
        ] {
            std::fs::write(pkg.join(name), "").unwrap();
        }
        assert_eq!(
            bundle_hashes(site.path(), "herald").unwrap(),
            "js: AAA\nwasm: BBB\ncss: CCC\n"
        );
    }

    #[test]
    fn a_bundle_without_hashes_has_none() {
        let site = tempfile::tempdir().unwrap();
        let pkg = site.path().join(BUNDLE_DIR);
        std::fs::create_dir(&pkg).unwrap();
        for name in ["herald.js", "herald.wasm", "herald.css"] {
            std::fs::write(pkg.join(name), "").unwrap();
        }
        assert_eq!(bundle_hashes(site.path(), "herald"), None);
    }
}
