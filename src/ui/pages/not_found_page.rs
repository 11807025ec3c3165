//! Shown for any address Herald does not know (the server sets the 404 status).

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
