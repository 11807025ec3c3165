//! Sign in with email and password.

use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;

use crate::api::auth::SignIn;
use crate::ui::components::{ErrorAlert, error_message};

#[component]
pub fn SignInPage() -> impl IntoView {
    let sign_in = ServerAction::<SignIn>::new();
    view! {
        <Title text="Sign in" />
        <main class="auth">
            <section class="card auth-card" aria-labelledby="sign-in-heading">
                <p class="brand">"Herald"</p>
                <h1 id="sign-in-heading">"Sign in"</h1>
                <ActionForm action=sign_in>
                    <div class="stack">
                        <ErrorAlert message=error_message(sign_in) />
                        <div class="field">
                            <label for="email">"Email"</label>
                            <input
                                id="email"
                                name="email"
                                type="email"
                                autocomplete="email"
                                required
                            />
                        </div>
                        <div class="field">
                            <label for="password">"Password"</label>
                            <input
                                id="password"
                                name="password"
                                type="password"
                                autocomplete="current-password"
                                required
                            />
                        </div>
                        <button type="submit" class="button button-primary">
                            "Sign in"
                        </button>
                    </div>
                </ActionForm>
                <p class="muted">"New here? " <A href="/sign-up">"Create an account"</A></p>
            </section>
        </main>
    }
}
