//! Keeping the composer's unsaved words on the device (gloo-storage's local storage), so a
//! reload, a crash or a lost connection loses nothing; and knowing whether the device is
//! online. In the browser only: on the server these do nothing.

use super::state::LocalCopy;
use crate::domain::PostId;

/// One key per post, and one for the new post being written.
pub fn key_for(id: Option<&PostId>) -> String {
    match id {
        Some(id) => format!("herald.draft.{id}"),
        None => "herald.draft.new".to_owned(),
    }
}

#[cfg(feature = "hydrate")]
mod device {
    use gloo_storage::{LocalStorage, Storage};

    use super::LocalCopy;

    pub fn keep(key: &str, copy: &LocalCopy) {
        // A full or disabled storage only loses the safety net, not the page: ignored.
        let _ = LocalStorage::set(key, copy);
    }

    pub fn kept(key: &str) -> Option<LocalCopy> {
        LocalStorage::get(key).ok()
    }

    pub fn forget(key: &str) {
        LocalStorage::delete(key);
    }

    pub fn online() -> bool {
        web_sys::window().is_none_or(|window| window.navigator().on_line())
    }

    pub fn now_millis() -> i64 {
        js_sys::Date::now() as i64
    }

    /// Asks the service worker's page cache to hold `path`, so the composer reopens offline.
    pub fn keep_page_for_offline(path: &str) {
        let Some(window) = web_sys::window() else {
            return;
        };
        let Ok(caches) = window.caches() else {
            return;
        };
        let path = path.to_owned();
        let opened = caches.open(PAGE_CACHE);
        leptos::task::spawn_local(async move {
            let Ok(cache) = wasm_bindgen_futures::JsFuture::from(opened).await else {
                return;
            };
            let cache: web_sys::Cache = wasm_bindgen::JsCast::unchecked_into(cache);
            let _ = wasm_bindgen_futures::JsFuture::from(cache.add_with_str(&path)).await;
        });
    }

    /// Changes the address bar to `path` without the router loading another page: a new
    /// draft, once saved, is addressed by its id, so a reload opens it.
    pub fn replace_address(path: &str) {
        if let Some(window) = web_sys::window()
            && let Ok(history) = window.history()
        {
            let _ = history.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(path));
        }
    }

    /// The cache sw.js keeps composer pages in.
    const PAGE_CACHE: &str = "herald-pages";
}

#[cfg(not(feature = "hydrate"))]
mod device {
    use super::LocalCopy;

    pub fn keep(_key: &str, _copy: &LocalCopy) {}

    pub fn kept(_key: &str) -> Option<LocalCopy> {
        None
    }

    pub fn forget(_key: &str) {}

    pub fn online() -> bool {
        true
    }

    pub fn now_millis() -> i64 {
        0
    }

    pub fn keep_page_for_offline(_path: &str) {}

    pub fn replace_address(_path: &str) {}
}

pub use device::{forget, keep, keep_page_for_offline, kept, now_millis, online, replace_address};
