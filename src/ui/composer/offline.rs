//! Keeping the composer's unsaved words on the device (gloo-storage's local storage), so a
//! reload, a crash or a lost connection loses nothing; and knowing whether the device is
//! online. In the browser only: on the server these do nothing.
//!
//! A browser may be shared, so the copies are the signed-in person's: each key names them, and
//! signing out (`forget_everything`) removes every copy and the service worker's composer pages.

use super::state::LocalCopy;
use crate::domain::{PostId, UserId};

/// Every key this module writes starts so.
const DRAFT_PREFIX: &str = "herald.draft.";

/// One key per person and post, and one per person for the new post being written.
pub fn key_for(person: &UserId, id: Option<&PostId>) -> String {
    match id {
        Some(id) => format!("{DRAFT_PREFIX}{person}.{id}"),
        None => format!("{DRAFT_PREFIX}{person}.new"),
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

    /// Removes every draft copy on this device, whoever's, and the composer pages kept for
    /// offline use: nothing of the person who signs out stays for the next one.
    pub fn forget_everything() {
        let storage = LocalStorage::raw();
        let count = storage.length().unwrap_or(0);
        let drafts: Vec<String> = (0..count)
            .filter_map(|index| storage.key(index).ok().flatten())
            .filter(|key| key.starts_with(super::DRAFT_PREFIX))
            .collect();
        for key in drafts {
            let _ = storage.remove_item(&key);
        }
        forget_offline_pages();
    }

    /// Empties the service worker's composer pages. The worker does this itself when the
    /// browser navigates to the sign-in page; a sign-out inside the app never reaches it.
    pub fn forget_offline_pages() {
        if let Some(window) = web_sys::window()
            && let Ok(caches) = window.caches()
        {
            // Fire and forget: the deletion goes on after the page moves on.
            let _ = caches.delete(PAGE_CACHE);
        }
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

    pub fn forget_everything() {}

    pub fn forget_offline_pages() {}

    pub fn online() -> bool {
        true
    }

    pub fn now_millis() -> i64 {
        0
    }

    pub fn keep_page_for_offline(_path: &str) {}

    pub fn replace_address(_path: &str) {}
}

pub use device::{
    forget, forget_everything, forget_offline_pages, keep, keep_page_for_offline, kept, now_millis,
    online, replace_address,
};

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_key_names_the_person_and_starts_with_the_prefix_sign_out_clears() {
        let ada = UserId::from("ada".to_owned());
        let post = PostId::from("p1".to_owned());
        let keys = [key_for(&ada, None), key_for(&ada, Some(&post))];
        assert_eq!(keys, ["herald.draft.ada.new", "herald.draft.ada.p1"]);
        assert!(keys.iter().all(|key| key.starts_with(DRAFT_PREFIX)));
    }
}
