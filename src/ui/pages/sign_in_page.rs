//! Sign in with email and password.

use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_i18n::td_string;
use leptos_meta::Title;
use leptos_router::components::A;

use crate::api::auth::SignIn;
use crate::text::use_locale;
use crate::ui::components::{ErrorAlert, Field, error_message, load_page_after};
use crate::ui::composer::offline;

#[component]
pub fn SignInPage() -> impl IntoView {
    let sign_in = ServerAction::<SignIn>::new();
    load_page_after(sign_in, "/posts");
    // In the browser: the service worker empties its composer pages when the browser opens this
    // page, but not when the app moves here by itself (a session that ran out, say).
    Effect::new(|_| offline::forget_offline_pages());
    let locale = use_locale().get_locale_untracked();
    view! {
        <Title text=td_string!(locale, sign_in.title) />
        <main class="auth">
            <section class="card auth-card" aria-labelledby="sign-in-heading">
                <p class="brand">"Herald"</p>
                <h1 id="sign-in-heading">{td_string!(locale, sign_in.title)}</h1>
                <ActionForm action=sign_in>
                    <div class="stack">
                        <ErrorAlert message=error_message(sign_in) />
                        <Field input_id="email" label=td_string!(locale, sign_in.email)>
                            <input
                                id="email"
                                name="email"
                                type="email"
                                autocomplete="email"
                                required
                            />
                        </Field>
                        <Field input_id="password" label=td_string!(locale, sign_in.password)>
                            <input
                                id="password"
                                name="password"
                                type="password"
                                autocomplete="current-password"
                                required
                            />
                        </Field>
                        <button type="submit" class="button button-primary">
                            {td_string!(locale, sign_in.submit)}
                        </button>
                    </div>
                </ActionForm>
                <p class="muted">
                    {td_string!(locale, sign_in.new_here)} " "
                    <A href="/sign-up">{td_string!(locale, sign_in.create_account)}</A>
                </p>
            </section>
        </main>
    }
}
