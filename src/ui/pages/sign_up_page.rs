//! Create an account. Tells the visitor up front whether they may (first account, open
//! sign-up, a valid invitation) or why not.

use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_i18n::td_string;
use leptos_meta::Title;
use leptos_router::components::A;
use leptos_router::hooks::use_query_map;

use crate::api::auth::{SignUp, SignupStatus, get_signup_status};
use crate::domain::people::PASSWORD_MIN_CHARS;
use crate::error::{AppError, Problem};
use crate::text::use_locale;
use crate::ui::components::{ErrorAlert, Field, error_message, error_text, load_page_after};

#[component]
pub fn SignUpPage() -> impl IntoView {
    let query = use_query_map();
    let invite = move || query.read().get("invite").unwrap_or_default();
    // The setup link `herald serve` prints for a Herald with no owner yet.
    let setup = move || query.read().get("setup").unwrap_or_default();
    let status = Resource::new_blocking(
        move || (invite(), setup()),
        |(invite, setup)| get_signup_status(invite, setup),
    );
    let locale = use_locale().get_locale_untracked();
    view! {
        <Title text=td_string!(locale, sign_up.title) />
        <main class="auth">
            <section class="card auth-card" aria-labelledby="sign-up-heading">
                <p class="brand">"Herald"</p>
                <h1 id="sign-up-heading">{td_string!(locale, sign_up.title)}</h1>
                <Suspense fallback=move || view! { <p class="loading">{td_string!(locale, loading)}</p> }>
                    {move || Suspend::new(async move {
                        match status.await {
                            Ok(status) => view! { <SignUpForm status invite=invite() setup=setup() /> }.into_any(),
                            Err(error) => view! { <ErrorAlert message=Some(error_text(&error)) /> }.into_any()
                        }
                    })}
                </Suspense>
                <p class="muted">
                    {td_string!(locale, sign_up.have_account)} " "
                    <A href="/sign-in">{td_string!(locale, sign_up.sign_in)}</A>
                </p>
            </section>
        </main>
    }
}

#[component]
fn SignUpForm(status: SignupStatus, invite: String, setup: String) -> impl IntoView {
    let sign_up = ServerAction::<SignUp>::new();
    load_page_after(sign_up, "/posts");
    let locale = use_locale().get_locale_untracked();
    // Refusals are worded exactly as the server would word them, had the form been sent.
    let refusal = |problem| error_text(&AppError::Refused(problem));
    let (note, form_allowed) = match status {
        SignupStatus::FirstAccount => (td_string!(locale, sign_up.first_account).to_owned(), true),
        SignupStatus::FirstAccountForOwnerEmail => (
            td_string!(locale, sign_up.first_account_owner_email).to_owned(),
            true,
        ),
        SignupStatus::SetupLinkNeeded => (refusal(Problem::SetupLinkNeeded), false),
        SignupStatus::Open => (td_string!(locale, sign_up.open).to_owned(), true),
        SignupStatus::Invited => (td_string!(locale, sign_up.invited).to_owned(), true),
        SignupStatus::InviteOnly => (refusal(Problem::InviteOnly), false),
        SignupStatus::InvitationUnusable => (refusal(Problem::InvitationUnusable), false),
    };
    let note_class = if form_allowed {
        "alert alert-info"
    } else {
        "alert alert-warning"
    };
    let password_hint =
        td_string!(locale, sign_up.password_hint, min = PASSWORD_MIN_CHARS).to_string();
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
                            <input type="hidden" name="setup" value=setup />
                            <Field input_id="display_name" label=td_string!(locale, sign_up.name)>
                                <input id="display_name" name="display_name" autocomplete="name" required />
                            </Field>
                            <Field input_id="email" label=td_string!(locale, sign_up.email)>
                                <input id="email" name="email" type="email" autocomplete="email" required />
                            </Field>
                            <Field input_id="password" label=td_string!(locale, sign_up.password) hint=password_hint>
                                <input
                                    id="password"
                                    name="password"
                                    type="password"
                                    autocomplete="new-password"
                                    aria-describedby="password-hint"
                                    required
                                />
                            </Field>
                            <button type="submit" class="button button-primary">
                                {td_string!(locale, sign_up.submit)}
                            </button>
                        </div>
                    </ActionForm>
                }
            })}
    }
}
