//! Pages for when there is nothing to show: an unknown address (the server sets the 404
//! status), or no network (served by the service worker).

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;

#[component]
pub fn NotFoundPage() -> impl IntoView {
    view! {
        <Title text="Page not found" />
        <main class="auth">
            <section class="card auth-card">
                <h1>"Page not found"</h1>
                <p>"There is nothing at this address. It may have moved."</p>
                <A href="/">"Go to Herald's home page"</A>
            </section>
        </main>
    }
}

/// What the service worker shows when a page is asked for and there is no network.
#[component]
pub fn OfflinePage() -> impl IntoView {
    view! {
        <Title text="Offline" />
        <main class="auth">
            <section class="card auth-card">
                <p class="brand">"Herald"</p>
                <h1>"You are offline"</h1>
                <p>
                    "Herald needs the network to show this page. Nothing you saved is lost; try again when you are back online."
                </p>
                <a href="/posts" class="button button-primary">
                    "Try again"
                </a>
            </section>
        </main>
    }
}
