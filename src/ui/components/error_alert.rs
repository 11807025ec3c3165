//! How an error is shown: an alert that screen readers announce, in the reader's language. For
//! forms it works the same with JavaScript off: the error then arrives in the URL the server
//! redirected back to.

use leptos::prelude::*;
use leptos::server_fn::ServerFn;

use crate::error::AppError;
use crate::text::problems::describe;
use crate::text::use_locale;

/// The error message of an action's last result, if it failed.
pub fn error_message<S>(action: ServerAction<S>) -> Signal<Option<String>>
where
    S: ServerFn<Error = AppError> + Clone + Send + Sync + 'static,
    S::Output: Clone + Send + Sync + 'static,
{
    let i18n = use_locale();
    Signal::derive(move || {
        action
            .value()
            .get()
            .and_then(Result::err)
            .map(|error| describe(&error, i18n.get_locale()))
    })
}

/// `error` in the page's language.
pub fn error_text(error: &AppError) -> String {
    describe(error, use_locale().get_locale_untracked())
}

#[component]
pub fn ErrorAlert(#[prop(into)] message: Signal<Option<String>>) -> impl IntoView {
    move || {
        message.get().map(|text| {
            view! {
                <p class="alert alert-error" role="alert">
                    {text}
                </p>
            }
        })
    }
}
