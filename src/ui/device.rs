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
