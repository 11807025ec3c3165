//! Guards a page: renders it for the signed-in person, or sends everyone else to sign in.

use leptos::prelude::*;
use leptos_router::components::Redirect;
use leptos_router::hooks::use_location;

use crate::api::auth::{Session, get_session};
use leptos_i18n::t;

use crate::text::use_locale;
use crate::ui::components::{ErrorAlert, error_text};

/// `render` draws the page for the session. The session is read before the first byte is sent,
/// so a visitor who is not signed in gets a real redirect, not a flash of the page.
///
/// A page's own resources must be created *before* `SignedIn` (in the page component) and
/// captured by `render`, never inside it: on the server, `<Suspense>` may run its children
/// more than once before rendering, and resources made in a discarded run shift the numbering
/// the browser uses to find each resource's data — the browser then hydrates with another
/// resource's value and panics.
#[component]
pub fn SignedIn<F>(render: F) -> impl IntoView
where
    F: Fn(Session) -> AnyView + Clone + Send + Sync + 'static,
{
    // Keyed on the query so that a form that redirects back here (e.g. a new name saved in
    // Settings) shows the change in the header too.
    let location = use_location();
    let session = Resource::new_blocking(move || location.search.get(), |_| get_session());
    let i18n = use_locale();
    view! {
        <Suspense fallback=move || view! { <p class="loading">{t!(i18n, loading)}</p> }>
            {move || {
                let render = render.clone();
                Suspend::new(async move {
                match session.await {
                    Ok(Some(session)) => render(session),
                    Ok(None) => view! { <Redirect path="/sign-in" /> }.into_any(),
                    Err(error) => view! { <main class="page"><ErrorAlert message=Some(error_text(&error)) /></main> }.into_any()
                }
                })
            }}
        </Suspense>
    }
}
