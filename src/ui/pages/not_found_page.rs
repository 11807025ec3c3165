//! Pages for when there is nothing to show: an unknown address (the server sets the 404
//! status), or no network (served by the service worker).

use leptos::prelude::*;
use leptos_i18n::{t, td_string};
use leptos_meta::Title;
use leptos_router::components::A;

use crate::text::use_locale;

#[component]
pub fn NotFoundPage() -> impl IntoView {
    let i18n = use_locale();
    view! {
        <Title text=move || td_string!(i18n.get_locale(), not_found.title) />
        <main class="auth">
            <section class="card auth-card">
                <h1>{t!(i18n, not_found.title)}</h1>
                <p>{t!(i18n, not_found.body)}</p>
                <A href="/">{t!(i18n, not_found.home)}</A>
            </section>
        </main>
    }
}

/// What the service worker shows when a page is asked for and there is no network.
#[component]
pub fn OfflinePage() -> impl IntoView {
    let i18n = use_locale();
    view! {
        <Title text=move || td_string!(i18n.get_locale(), offline.title) />
        <main class="auth">
            <section class="card auth-card">
                <p class="brand">"Herald"</p>
                <h1>{t!(i18n, offline.title)}</h1>
                <p>{t!(i18n, offline.body)}</p>
                <a href="/posts" class="button button-primary">
                    {t!(i18n, offline.retry)}
                </a>
            </section>
        </main>
    }
}
