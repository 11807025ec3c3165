//! The HTML shell, the router and the routes.

use leptos::prelude::*;
use leptos_i18n::Locale as _;
use leptos_i18n::td_string;
use leptos_meta::{Html, Meta, MetaTags, Title, provide_meta_context};
use leptos_router::components::{Redirect, Route, Router, Routes};
use leptos_router::{SsrMode, path};

use crate::text::language::provide_locale;
use crate::ui::device;
use crate::ui::pages::{
    AccountsPage, AnalyticsPage, CalendarPage, ComposePage, InvitationsPage, MediaPage,
    NotFoundPage, OfflinePage, PickAccountsPage, PostPage, PostsPage, SettingsPage, SignInPage,
    SignUpPage,
};

/// The document around the app, rendered on the server only.
pub fn shell(_options: LeptosOptions) -> impl IntoView {
    view! {
        <!DOCTYPE html>
        // `lang` is set by the app's <Html> below, from the request's language.
        <html>
            <head>
                <meta charset="utf-8" />
                <meta name="viewport" content="width=device-width, initial-scale=1" />
                <meta name="color-scheme" content="light dark" />
                <meta name="theme-color" content="#4338ca" />
                <link rel="icon" href="/favicon.svg" type="image/svg+xml" />
                <link rel="manifest" href="/manifest.webmanifest" />
                <link rel="apple-touch-icon" href="/icons/icon-192.png" />
                // The address this HTML was rendered for: the browser app only takes over a page
                // rendered for the address it is shown at (see `hydrate` in lib.rs).
                <meta name="herald-path" content=rendered_path() />
                <BundleTags />
                <MetaTags />
            </head>
            <body>
                <App />
            </body>
        </html>
    }
}

/// The bundle's styles, and the module that starts the app when the browser is idle (see
/// `server::pwa::Bundle`), by the names this build gave them.
#[component]
fn BundleTags() -> impl IntoView {
    #[cfg(feature = "ssr")]
    {
        let bundle = use_context::<crate::server::state::AppState>()
            .map(|state| state.settings.bundle.clone());
        bundle.map(|bundle| {
            view! {
                <link rel="stylesheet" id="herald" href=bundle.styles.clone() />
                <script type="module" nonce=use_nonce()>{bundle.start_script()}</script>
            }
        })
    }
}

/// The request's path, on the server; the shell is only ever rendered there.
fn rendered_path() -> String {
    #[cfg(feature = "ssr")]
    {
        use_context::<axum::http::request::Parts>()
            .map(|parts| parts.uri.path().to_owned())
            .unwrap_or_default()
    }
    #[cfg(not(feature = "ssr"))]
    {
        String::new()
    }
}

#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    let i18n = provide_locale();
    // Effects run only in the browser, after hydration: the mark tells tests (and CSS, if it
    // ever needs to) that the interactive app has taken over from the server's HTML.
    Effect::new(|| {
        device::register_service_worker();
        if let Some(body) = document().body() {
            let _ = body.set_attribute("data-hydrated", "");
        }
    });
    view! {
        <Html attr:lang=move || i18n.get_locale().as_str() />
        // What search engines and link previews say of Herald.
        <Meta name="description" content=td_string!(i18n.get_locale_untracked(), shell.description) />
        <Title formatter=|page: String| {
            if page.is_empty() { "Herald".to_owned() } else { format!("{page} · Herald") }
        } />
        // Every page renders completely on the server before it is sent: without JavaScript,
        // streamed fragments could never be swapped in, and redirects need their status code.
        <Router>
            <Routes fallback=NotFoundPage>
                <Route path=path!("/") view=|| view! { <Redirect path="/posts" /> } ssr=SsrMode::Async />
                <Route path=path!("/posts") view=PostsPage ssr=SsrMode::Async />
                <Route path=path!("/posts/:id") view=PostPage ssr=SsrMode::Async />
                <Route path=path!("/compose") view=ComposePage ssr=SsrMode::Async />
                <Route path=path!("/compose/:id") view=ComposePage ssr=SsrMode::Async />
                <Route path=path!("/media") view=MediaPage ssr=SsrMode::Async />
                <Route path=path!("/calendar") view=CalendarPage ssr=SsrMode::Async />
                <Route path=path!("/accounts") view=AccountsPage ssr=SsrMode::Async />
                <Route path=path!("/accounts/pick") view=PickAccountsPage ssr=SsrMode::Async />
                <Route path=path!("/analytics") view=AnalyticsPage ssr=SsrMode::Async />
                <Route path=path!("/settings") view=SettingsPage ssr=SsrMode::Async />
                <Route path=path!("/sign-in") view=SignInPage ssr=SsrMode::Async />
                <Route path=path!("/offline") view=OfflinePage ssr=SsrMode::Async />
                <Route path=path!("/sign-up") view=SignUpPage ssr=SsrMode::Async />
                <Route path=path!("/invitations") view=InvitationsPage ssr=SsrMode::Async />
            </Routes>
        </Router>
    }
}
