//! Herald: a self-hosted social-media publishing app. This crate is both the server (feature
//! `ssr`) and the browser bundle (feature `hydrate`); `domain` and `api` are shared by the two.

pub mod api;
pub mod app;
pub mod domain;
pub mod error;
pub mod ui;

#[cfg(feature = "ssr")]
pub mod server;

/// Browser entry point: attaches the interactive app to the server-rendered page.
#[cfg(feature = "hydrate")]
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    leptos::mount::hydrate_body(app::App);
}
