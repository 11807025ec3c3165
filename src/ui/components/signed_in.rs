//! Guards a page: renders it for the signed-in person, or sends everyone else to sign in.

use leptos::prelude::*;
use leptos_router::components::Redirect;

use crate::api::auth::{SessionView, get_session};

/// `render` draws the page for the session. The session is read before the first byte is sent,
/// so a visitor who is not signed in gets a real redirect, not a flash of the page.
#[component]
pub fn SignedIn(render: fn(SessionView) -> AnyView) -> impl IntoView {
    let session = Resource::new_blocking(|| (), |_| get_session());
    view! {
        <Suspense fallback=|| view! { <p class="loading">"Loading…"</p> }>
            {move || Suspend::new(async move {
                match session.await {
                    Ok(Some(session)) => render(session),
                    Ok(None) => view! { <Redirect path="/sign-in" /> }.into_any(),
                    Err(error) => {
                        view! {
                            <main class="page">
                                <p class="alert alert-error" role="alert">
                                    {error.to_string()}
                                </p>
                            </main>
                        }
                            .into_any()
                    }
                }
            })}
        </Suspense>
    }
}
