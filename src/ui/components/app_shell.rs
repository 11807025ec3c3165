//! The frame of every signed-in page: who is signed in and where, the main navigation (a
//! bottom bar on phones, a side bar on wide screens) and sign out.

use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_router::components::A;

use leptos_i18n::{t, td_string};

use crate::api::auth::{Session, SignOut};
use crate::text::{Locale, use_locale};
use crate::ui::composer::offline;

struct Place {
    href: &'static str,
    label: fn(Locale) -> &'static str,
    icon: &'static str,
}

/// The six places of the app, in the order the navigation shows them.
const PLACES: [Place; 6] = [
    Place {
        href: "/posts",
        label: |locale| td_string!(locale, nav.posts),
        icon: ICON_POSTS,
    },
    Place {
        href: "/calendar",
        label: |locale| td_string!(locale, nav.calendar),
        icon: ICON_CALENDAR,
    },
    Place {
        href: "/media",
        label: |locale| td_string!(locale, nav.media),
        icon: ICON_MEDIA,
    },
    Place {
        href: "/accounts",
        label: |locale| td_string!(locale, nav.accounts),
        icon: ICON_ACCOUNTS,
    },
    Place {
        href: "/analytics",
        label: |locale| td_string!(locale, nav.analytics),
        icon: ICON_ANALYTICS,
    },
    Place {
        href: "/settings",
        label: |locale| td_string!(locale, nav.settings),
        icon: ICON_SETTINGS,
    },
];

#[component]
pub fn AppShell(session: Session, children: Children) -> impl IntoView {
    let sign_out = ServerAction::<SignOut>::new();
    let i18n = use_locale();
    view! {
        <div class="shell">
            <header class="app-header">
                <A href="/posts" attr:class="brand">
                    "Herald"
                </A>
                {session
                    .sandbox
                    .then(|| {
                        view! {
                            <span class="badge badge-warning" title=td_string!(i18n.get_locale_untracked(), shell.sandbox_hint)>
                                {td_string!(i18n.get_locale_untracked(), shell.sandbox)}
                            </span>
                        }
                    })}
                <div class="who">
                    <span class="who-name">{session.display_name}</span>
                    <span class="who-workspace muted">
                        {move || {
                            if session.personal_workspace {
                                td_string!(i18n.get_locale(), shell.personal_workspace).to_owned()
                            } else {
                                session.workspace_name.clone()
                            }
                        }}
                    </span>
                </div>
                // Cleared as the form goes: on a shared browser nothing of this person stays.
                <ActionForm action=sign_out on:submit=move |_| offline::forget_everything()>
                    <button type="submit" class="button button-quiet">
                        {t!(i18n, shell.sign_out)}
                    </button>
                </ActionForm>
            </header>
            <main class="page" id="main">
                {children()}
            </main>
            <nav class="app-nav" aria-label=move || td_string!(i18n.get_locale(), nav.label)>
                {PLACES
                    .into_iter()
                    .map(|Place { href, label, icon }| {
                        view! {
                            <A href=href>
                                <svg
                                    class="nav-icon"
                                    viewBox="0 0 24 24"
                                    aria-hidden="true"
                                    inner_html=icon
                                ></svg>
                                <span>{move || label(i18n.get_locale())}</span>
                            </A>
                        }
                    })
                    .collect_view()}
            </nav>
        </div>
    }
}

/// A page with nothing in it yet: what will be here, and the next step.
#[component]
pub fn EmptyState(
    title: &'static str,
    body: &'static str,
    next: Option<(&'static str, &'static str)>,
) -> impl IntoView {
    view! {
        <section class="empty-state" aria-label=title>
            <h2>{title}</h2>
            <p class="muted">{body}</p>
            {next
                .map(|(href, label)| {
                    view! {
                        <A href=href attr:class="button button-primary">
                            {label}
                        </A>
                    }
                })}
        </section>
    }
}

// Simple line icons (24×24, stroke only), drawn for Herald.
const ICON_POSTS: &str = r#"<path d="M5 4h14v16H5z M8 8h8 M8 12h8 M8 16h5" fill="none" stroke="currentColor" stroke-width="1.8" stroke-linecap="round"/>"#;
const ICON_CALENDAR: &str = r#"<path d="M4 6h16v14H4z M4 10h16 M8 3v5 M16 3v5" fill="none" stroke="currentColor" stroke-width="1.8" stroke-linecap="round"/>"#;
const ICON_MEDIA: &str = r#"<path d="M4 5h16v14H4z M4 16l5-5 4 4 3-3 4 4" fill="none" stroke="currentColor" stroke-width="1.8" stroke-linecap="round" stroke-linejoin="round"/><circle cx="15.5" cy="9" r="1.6" fill="currentColor"/>"#;
const ICON_ACCOUNTS: &str = r#"<circle cx="9" cy="9" r="3.2" fill="none" stroke="currentColor" stroke-width="1.8"/><path d="M3.5 19c.8-3 3-4.5 5.5-4.5s4.7 1.5 5.5 4.5 M15.5 6.5a3 3 0 0 1 0 5.5 M17.5 14.8c1.5.6 2.6 2 3 4.2" fill="none" stroke="currentColor" stroke-width="1.8" stroke-linecap="round"/>"#;
const ICON_ANALYTICS: &str = r#"<path d="M4 20V10 M10 20V4 M16 20v-7 M22 20H2" fill="none" stroke="currentColor" stroke-width="1.8" stroke-linecap="round"/>"#;
const ICON_SETTINGS: &str = r#"<circle cx="12" cy="12" r="3" fill="none" stroke="currentColor" stroke-width="1.8"/><path d="M12 2.5v3 M12 18.5v3 M2.5 12h3 M18.5 12h3 M5.3 5.3l2.1 2.1 M16.6 16.6l2.1 2.1 M5.3 18.7l2.1-2.1 M16.6 7.4l2.1-2.1" fill="none" stroke="currentColor" stroke-width="1.8" stroke-linecap="round"/>"#;
