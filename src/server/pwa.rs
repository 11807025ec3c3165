//! The installable-app parts the server generates: the service worker, stamped with a hash of
//! the browser bundle so that each build gets a fresh cache, and told the bundle's file names
//! (they carry content hashes in release builds).

use std::path::Path;

use axum::extract::State;
use axum::http::header;
use axum::response::IntoResponse;
use sha2::{Digest, Sha256};

use super::state::AppState;

const SERVICE_WORKER: &str = include_str!("pwa/sw.js");

/// The files of the browser bundle (`pkg/`) a browser loads.
#[derive(Debug, Clone)]
pub struct Bundle {
    /// A short hash of every file, names and contents.
    pub version: String,
    /// Their addresses (`/pkg/herald.….wasm`), for the service worker to keep.
    pub files: Vec<String>,
}

impl Bundle {
    pub fn read(site_root: &Path) -> Bundle {
        let mut files: Vec<_> = std::fs::read_dir(site_root.join("pkg"))
            .map(|entries| entries.filter_map(Result::ok).map(|e| e.path()).collect())
            .unwrap_or_default();
        files.retain(|file| {
            file.is_file()
                // Compressed copies are chosen by the server; type declarations are for editors.
                && !matches!(
                    file.extension().and_then(|e| e.to_str()),
                    Some("br" | "gz" | "ts")
                )
        });
        files.sort();
        Bundle {
            version: version_of(&files),
            files: files
                .iter()
                .filter_map(|file| file.file_name()?.to_str())
                .map(|name| format!("/pkg/{name}"))
                .collect(),
        }
    }
}

fn version_of(files: &[std::path::PathBuf]) -> String {
    let mut hasher = Sha256::new();
    for file in files {
        hasher.update(file.file_name().unwrap_or_default().as_encoded_bytes());
        hasher.update(std::fs::read(file).unwrap_or_default());
    }
    hasher.finalize()[..6]
        .iter()
        .map(|byte| format!("{byte:02x}"))
        .collect()
}

pub async fn service_worker(State(state): State<AppState>) -> impl IntoResponse {
    let bundle = &state.settings.bundle;
    let script = format!(
        "const VERSION = \"{}\";\nconst BUNDLE = {};\n{SERVICE_WORKER}",
        bundle.version,
        serde_json::to_string(&bundle.files).unwrap_or_else(|_| "[]".to_owned())
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
        std::fs::write(site.path().join("pkg/herald.js.br"), "compressed").unwrap();
        let before = Bundle::read(site.path());
        assert_eq!(before.version, Bundle::read(site.path()).version);
        assert_eq!(before.files, ["/pkg/herald.js"]);
        std::fs::write(site.path().join("pkg/herald.js"), "two").unwrap();
        assert_ne!(before.version, Bundle::read(site.path()).version);
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
