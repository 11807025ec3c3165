//! The installable-app parts the server generates: the service worker, stamped with a hash of
//! the browser bundle so that each build gets a fresh cache.

use std::path::Path;

use axum::extract::State;
use axum::http::header;
use axum::response::IntoResponse;
use sha2::{Digest, Sha256};

use super::state::AppState;

const SERVICE_WORKER: &str = include_str!("pwa/sw.js");

/// A short hash of every file in the bundle folder (`pkg/`), names and contents.
pub fn bundle_version(site_root: &Path) -> String {
    let mut hasher = Sha256::new();
    let mut files: Vec<_> = std::fs::read_dir(site_root.join("pkg"))
        .map(|entries| entries.filter_map(Result::ok).map(|e| e.path()).collect())
        .unwrap_or_default();
    files.sort();
    for file in files {
        hasher.update(file.file_name().unwrap_or_default().as_encoded_bytes());
        hasher.update(std::fs::read(&file).unwrap_or_default());
    }
    hasher.finalize()[..6]
        .iter()
        .map(|byte| format!("{byte:02x}"))
        .collect()
}

pub async fn service_worker(State(state): State<AppState>) -> impl IntoResponse {
    let script = format!(
        "const VERSION = \"{}\";\n{SERVICE_WORKER}",
        state.settings.bundle_version
    );
    (
        [
            (header::CONTENT_TYPE, "text/javascript; charset=utf-8"),
            // The browser must see a new build's worker at once.
            (header::CACHE_CONTROL, "no-cache"),
        ],
        script,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_version_changes_when_the_bundle_does() {
        let site = tempfile::tempdir().unwrap();
        std::fs::create_dir(site.path().join("pkg")).unwrap();
        std::fs::write(site.path().join("pkg/herald.js"), "one").unwrap();
        let before = bundle_version(site.path());
        assert_eq!(before, bundle_version(site.path()));
        std::fs::write(site.path().join("pkg/herald.js"), "two").unwrap();
        assert_ne!(before, bundle_version(site.path()));
    }

    #[test]
    fn the_manifest_names_the_app_and_its_icons() {
        let manifest: serde_json::Value =
            serde_json::from_str(include_str!("../../public/manifest.webmanifest")).unwrap();
        assert_eq!(manifest["display"], "standalone");
        assert_eq!(manifest["start_url"], "/posts");
        let sizes: Vec<_> = manifest["icons"]
            .as_array()
            .unwrap()
            .iter()
            .map(|icon| {
                (
                    icon["sizes"].as_str().unwrap(),
                    icon["purpose"].as_str().unwrap(),
                )
            })
            .collect();
        assert!(sizes.contains(&("192x192", "any")));
        assert!(sizes.contains(&("512x512", "any")));
        assert!(sizes.contains(&("512x512", "maskable")));
    }
}
