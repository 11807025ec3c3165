//! How an error is shown: an alert that screen readers announce. For forms it works the same
//! with JavaScript off: the error then arrives in the URL the server redirected back to.

use leptos::prelude::*;
use leptos::server_fn::ServerFn;

use crate::error::AppError;

/// The error message of an action's last result, if it failed.
pub fn error_message<S>(action: ServerAction<S>) -> Signal<Option<String>>
where
    S: ServerFn<Error = AppError> + Clone + Send + Sync + 'static,
    S::Output: Clone + Send + Sync + 'static,
{
    Signal::derive(move || {
        action
            .value()
            .get()
            .and_then(Result::err)
            .map(|error| error.to_string())
    })
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
