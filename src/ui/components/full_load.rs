//! After some actions every word on the page may change — signing in brings the person's own
//! language, choosing a language changes all of them — so the browser loads the next page
//! afresh from the server instead of navigating inside the running app. Without JavaScript the
//! server's redirect does the same.

use leptos::prelude::*;
use leptos::server_fn::ServerFn;

use crate::error::AppError;

/// Once `action` succeeds, loads `path` as a new page.
pub fn load_page_after<S>(action: ServerAction<S>, path: &'static str)
where
    S: ServerFn<Error = AppError> + Clone + Send + Sync + 'static,
    S::Output: Clone + Send + Sync + 'static,
{
    Effect::new(move || {
        if let Some(Ok(_)) = action.value().get() {
            let _ = window().location().assign(path);
        }
    });
}
