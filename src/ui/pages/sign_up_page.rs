//! Create an account. Tells the visitor up front whether they may (first account, open
//! sign-up, a valid invitation) or why not.

use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;
use leptos_router::hooks::use_query_map;

use crate::api::auth::{SignUp, SignupStatus, get_signup_status};
use crate::domain::people::PASSWORD_MIN_CHARS;
use crate::ui::components::{ErrorAlert, error_message};

#[component]
pub fn SignUpPage() -> impl IntoView {
    let query = use_query_map();
    let invite = move || query.read().get("invite").unwrap_or_default();
    let status = Resource::new(invite, get_signup_status);
    view! {
        <Title text="Create an account" />
        <main class="auth">
            <section class="card auth-card" aria-labelledby="sign-up-heading">
                <p class="brand">"Herald"</p>
                <h1 id="sign-up-heading">"Create an account"</h1>
                <Suspense fallback=|| view! { <p class="loading">"Loading…"</p> }>
                    {move || Suspend::new(async move {
                        match status.await {
                            Ok(status) => view! { <SignUpForm status invite=invite() /> }.into_any(),
                            Err(error) => view! { <ErrorAlert message=Some(error.to_string()) /> }.into_any()
                        }
                    })}
                </Suspense>
                <p class="muted">
                    "Already have an account? " <A href="/sign-in">"Sign in"</A>
                </p>
            </section>
        </main>
    }
}

#[component]
fn SignUpForm(status: SignupStatus, invite: String) -> impl IntoView {
    let sign_up = ServerAction::<SignUp>::new();
    let (note, form_allowed) = match status {
        SignupStatus::FirstAccount => (
            "You are the first person here: this account will own this Herald.",
            true,
        ),
        SignupStatus::Open => ("Anyone may create an account on this Herald.", true),
        SignupStatus::Invited => ("Your invitation is valid. Welcome!", true),
        SignupStatus::InviteOnly => (
            "This Herald is invite-only. Ask its owner for an invitation link.",
            false,
        ),
        SignupStatus::InvitationUnusable => (
            "This invitation link has expired or was already used. Ask for a new one.",
            false,
        ),
    };
    let note_class = if form_allowed {
        "alert alert-info"
    } else {
        "alert alert-warning"
    };
    let password_hint = format!("At least {PASSWORD_MIN_CHARS} characters.");
    view! {
        <p class=note_class role="status">
            {note}
        </p>
        {form_allowed
            .then(|| {
                view! {
            <ActionForm action=sign_up>
                <div class="stack">
                    <ErrorAlert message=error_message(sign_up) />
                    <input type="hidden" name="invite" value=invite />
                    <div class="field">
                        <label for="display_name">"Your name"</label>
                        <input id="display_name" name="display_name" autocomplete="name" required />
                    </div>
                    <div class="field">
                        <label for="email">"Email"</label>
                        <input id="email" name="email" type="email" autocomplete="email" required />
                    </div>
                    <div class="field">
                        <label for="password">"Password"</label>
                        <input
                            id="password"
                            name="password"
                            type="password"
                            autocomplete="new-password"
                            aria-describedby="password-hint"
                            required
                        />
                        <p id="password-hint" class="hint">
                            {password_hint}
                        </p>
                    </div>
                    <button type="submit" class="button button-primary">
                        "Create account"
                    </button>
                </div>
            </ActionForm>
                }
            })}
    }
}
