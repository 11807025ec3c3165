//! The browser bundle as a release build leaves it (file names carrying content hashes, with
//! .br and .gz copies beside each file): pages name the hashed files, each is sent in the
//! encoding the browser takes and kept for a year, and the service worker keeps them offline.

use reqwest::StatusCode;
use reqwest::header::{ACCEPT_ENCODING, CACHE_CONTROL, CONTENT_ENCODING, CONTENT_TYPE, VARY};

use crate::helpers::{TestOptions, spawn_app_with};

const JS: &str = "herald.Jc0ntentHash_ofTheJS12.js";
const WASM: &str = "herald.Wc0ntentHash_ofTheWasm.wasm";
const CSS: &str = "herald.Cc0ntentHash-ofTheCSS2.css";

/// `pkg/` with the three hashed files and their compressed copies, and one file of
/// `public/` whose name carries no hash.
fn built_site() -> tempfile::TempDir {
    let site = tempfile::tempdir().unwrap();
    let pkg = site.path().join("pkg");
    std::fs::create_dir(&pkg).unwrap();
    for name in [JS, WASM, CSS] {
        std::fs::write(pkg.join(name), format!("the whole of {name}")).unwrap();
        std::fs::write(pkg.join(format!("{name}.br")), format!("brotli of {name}")).unwrap();
        std::fs::write(pkg.join(format!("{name}.gz")), format!("gzip of {name}")).unwrap();
    }
    std::fs::copy(
        concat!(env!("CARGO_MANIFEST_DIR"), "/public/favicon.svg"),
        site.path().join("favicon.svg"),
    )
    .unwrap();
    site
}

#[tokio::test]
async fn the_bundle_goes_out_compressed_under_hashed_names_kept_for_a_year() {
    let site = built_site();
    let app = spawn_app_with(TestOptions {
        site_root: Some(site.path().to_path_buf()),
        ..TestOptions::default()
    })
    .await;

    let page = app.get_page("/sign-in").await.text().await.unwrap();
    for name in [JS, WASM, CSS] {
        assert!(
            page.contains(&format!("/pkg/{name}")),
            "the page names {name}"
        );
    }

    let wasm = format!("/pkg/{WASM}");
    for (accepted, encoding, body) in [
        ("br, gzip, deflate", Some("br"), format!("brotli of {WASM}")),
        ("gzip", Some("gzip"), format!("gzip of {WASM}")),
        ("identity", None, format!("the whole of {WASM}")),
    ] {
        let response = app
            .client
            .get(app.url(&wasm))
            .header(ACCEPT_ENCODING, accepted)
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::OK);
        assert_eq!(
            response
                .headers()
                .get(CONTENT_ENCODING)
                .map(|v| v.to_str().unwrap()),
            encoding,
            "for Accept-Encoding: {accepted}"
        );
        assert_eq!(response.headers()[CONTENT_TYPE], "application/wasm");
        assert_eq!(
            response.headers()[CACHE_CONTROL],
            "public, max-age=31536000, immutable"
        );
        assert_eq!(response.headers()[VARY], "accept-encoding");
        assert_eq!(response.text().await.unwrap(), body);
    }

    // A file whose name does not change with its contents is checked again before each use.
    let icon = app
        .client
        .get(app.url("/favicon.svg"))
        .send()
        .await
        .unwrap();
    assert_eq!(icon.status(), StatusCode::OK);
    assert_eq!(icon.headers()[CACHE_CONTROL], "no-cache");

    // The service worker keeps the bundle by its hashed names, and not their compressed copies.
    let worker = app.client.get(app.url("/sw.js")).send().await.unwrap();
    let script = worker.text().await.unwrap();
    for name in [JS, WASM, CSS] {
        assert!(
            script.contains(&format!("\"/pkg/{name}\"")),
            "the worker keeps {name}"
        );
    }
    assert!(!script.contains(".br\""));

    // An address that is neither a file nor a page is still the app's 404 page.
    let missing = app.get_page("/pkg/herald.nothing.js").await;
    assert_eq!(missing.status(), StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn without_a_hashed_bundle_pages_name_the_plain_files() {
    let app = spawn_app_with(TestOptions::default()).await;

    let page = app.get_page("/sign-in").await.text().await.unwrap();

    assert!(page.contains("/pkg/herald.css"));
    assert!(page.contains("/pkg/herald.js"));
}
