//! What the browser knows about the device it runs on. On the server there is no device, so
//! these answer "unknown"; they are only called from effects, which run in the browser.

/// The IANA time zone the device is set to.
#[cfg(feature = "hydrate")]
pub fn time_zone() -> Option<String> {
    let format = js_sys::Intl::DateTimeFormat::new(&js_sys::Array::new(), &js_sys::Object::new());
    js_sys::Reflect::get(&format.resolved_options(), &"timeZone".into())
        .ok()?
        .as_string()
}

#[cfg(not(feature = "hydrate"))]
pub fn time_zone() -> Option<String> {
    None
}

/// Registers Herald's service worker, which keeps the app shell for offline use.
#[cfg(feature = "hydrate")]
pub fn register_service_worker() {
    if let Some(window) = web_sys::window() {
        // The promise is left to settle on its own: without a worker Herald still works.
        let _ = window.navigator().service_worker().register("/sw.js");
    }
}

#[cfg(not(feature = "hydrate"))]
pub fn register_service_worker() {}
