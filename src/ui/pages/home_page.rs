//! The signed-in landing page: who you are, which workspace you are in, and what comes next.

use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;

use crate::api::auth::{Session, SignOut};
use crate::ui::components::SignedIn;

#[component]
pub fn HomePage() -> impl IntoView {
    view! { <SignedIn render=|session| view! { <Home session /> }.into_any() /> }
}

#[component]
fn Home(session: Session) -> impl IntoView {
    view! {
        <Title text="Home" />
        <AppHeader session=session.clone() />
        <main class="page">
            <h1>{format!("Welcome, {}", session.display_name)}</h1>
            <p class="muted">
                "You are working in " <strong>{session.workspace_name.clone()}</strong>
                ". Connected accounts, posts and the calendar will appear here."
            </p>
            <Show when=move || session.is_owner>
                <section class="card" aria-labelledby="owner-heading">
                    <h2 id="owner-heading">"You own this Herald"</h2>
                    <p>"New people join through invitation links that you make."</p>
                    <A href="/invitations" attr:class="button">
                        "Invite people"
                    </A>
                </section>
            </Show>
        </main>
    }
}

/// The bar at the top of every signed-in page.
#[component]
pub fn AppHeader(session: Session) -> impl IntoView {
    let sign_out = ServerAction::<SignOut>::new();
    view! {
        <header class="app-header">
            <A href="/" attr:class="brand">
                "Herald"
            </A>
            <div class="who">
                <span class="who-name">{session.display_name}</span>
                <span class="who-email muted">{session.email}</span>
            </div>
            <ActionForm action=sign_out>
                <button type="submit" class="button button-quiet">
                    "Sign out"
                </button>
            </ActionForm>
        </header>
    }
}
