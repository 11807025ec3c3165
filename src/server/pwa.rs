//! The browser bundle as built (`pkg/`: its file names carry content hashes in release builds)
//! and the installable-app parts the server generates from it: the tags that load it into each
//! page, and the service worker, stamped with a hash of the bundle so that each build gets a
//! fresh cache, and told the bundle's file names.

use std::path::Path;

use axum::extract::State;
use axum::http::header;
use axum::response::IntoResponse;
use sha2::{Digest, Sha256};

use super::state::AppState;

const SERVICE_WORKER: &str = include_str!("pwa/sw.js");

/// The name cargo-leptos gives the bundle's files (`output-name` in Cargo.toml).
const OUTPUT_NAME: &str = "herald";

/// The files of the browser bundle (`pkg/`) a browser loads.
#[derive(Debug, Clone)]
pub struct Bundle {
    /// A short hash of every file, names and contents.
    pub version: String,
    /// Their addresses (`/pkg/herald.….wasm`), for the service worker to keep.
    pub files: Vec<String>,
    /// The addresses of the JavaScript that starts the app, of its WebAssembly and of the
    /// styles (`/pkg/herald.js` and so on when no bundle was built).
    pub script: String,
    pub wasm: String,
    pub styles: String,
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
        let names: Vec<&str> = files
            .iter()
            .filter_map(|file| file.file_name()?.to_str())
            .collect();
        let address = |extension: &str| {
            let name = names
                .iter()
                .find(|name| is_main_file(name, extension))
                .map(|name| name.to_string())
                .unwrap_or_else(|| format!("{OUTPUT_NAME}.{extension}"));
            format!("/pkg/{name}")
        };
        Bundle {
            version: version_of(&files),
            script: address("js"),
            wasm: address("wasm"),
            styles: address("css"),
            files: names.iter().map(|name| format!("/pkg/{name}")).collect(),
        }
    }

    /// The module that fetches the bundle and starts the app once the browser is idle (at the
    /// latest two seconds after), so the page's own HTML is painted first and its plain forms
    /// work meanwhile. Nothing is preloaded: the bundle never competes with the page's paint.
    pub fn start_script(&self) -> String {
        let quoted = |address: &str| serde_json::to_string(address).unwrap_or_default();
        format!(
            "const start = () => import({}).then((app) => app.default({{ module_or_path: {} }})\
             .then(() => app.hydrate()));\n\
             if (\"requestIdleCallback\" in window) {{ requestIdleCallback(start, {{ timeout: 2000 }}); }} \
             else {{ start(); }}",
            quoted(&self.script),
            quoted(&self.wasm)
        )
    }
}

/// `herald.js` or `herald.<hash>.js` (not `herald.d.<hash>.ts` and the like).
fn is_main_file(name: &str, extension: &str) -> bool {
    let Some(rest) = name
        .strip_prefix(OUTPUT_NAME)
        .and_then(|rest| rest.strip_suffix(extension))
        .and_then(|rest| rest.strip_suffix('.'))
    else {
        return false;
    };
    rest.is_empty()
        || rest
            .strip_prefix('.')
            .is_some_and(|hash| !hash.is_empty() && !hash.contains('.'))
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
        assert_eq!(before.script, "/pkg/herald.js");
        assert_eq!(before.wasm, "/pkg/herald.wasm");
        std::fs::write(site.path().join("pkg/herald.js"), "two").unwrap();
        assert_ne!(before.version, Bundle::read(site.path()).version);
    }

    #[test]
    fn the_main_files_are_found_by_their_hashed_names() {
        let site = tempfile::tempdir().unwrap();
        std::fs::create_dir(site.path().join("pkg")).unwrap();
        for name in [
            "herald.AbC-1_x.js",
            "herald.AbC-1_x.js.br",
            "herald.d.Zz9.ts",
            "herald.Wq2.wasm",
            "herald_bg.wasm.d.Yy1.ts",
            "herald.Cs3.css",
        ] {
            std::fs::write(site.path().join("pkg").join(name), name).unwrap();
        }
        let bundle = Bundle::read(site.path());
        assert_eq!(bundle.script, "/pkg/herald.AbC-1_x.js");
        assert_eq!(bundle.wasm, "/pkg/herald.Wq2.wasm");
        assert_eq!(bundle.styles, "/pkg/herald.Cs3.css");
        assert_eq!(
            bundle.files,
            [
                "/pkg/herald.AbC-1_x.js",
                "/pkg/herald.Cs3.css",
                "/pkg/herald.Wq2.wasm"
            ]
        );
        assert!(
            bundle
                .start_script()
                .contains(r#"import("/pkg/herald.AbC-1_x.js")"#)
        );
        assert!(
            bundle
                .start_script()
                .contains(r#"module_or_path: "/pkg/herald.Wq2.wasm""#)
        );
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
