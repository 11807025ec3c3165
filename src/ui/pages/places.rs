//! The main places of the app still to come. Until their features land, each says what it will
//! hold and what to do first.

use leptos::prelude::*;
use leptos_i18n::td_string;
use leptos_meta::Title;

use crate::api::auth::Session;
use crate::text::{Locale, use_locale};
use crate::ui::components::{AppShell, EmptyState, SignedIn};

/// What an empty place says, in one language.
struct Blank {
    title: &'static str,
    empty_title: &'static str,
    empty_body: &'static str,
    /// Where to go next, and the link's words.
    next: Option<(&'static str, &'static str)>,
}

fn analytics(locale: Locale) -> Blank {
    Blank {
        title: td_string!(locale, analytics.title),
        empty_title: td_string!(locale, analytics.empty_title),
        empty_body: td_string!(locale, analytics.empty_body),
        next: Some(("/posts", td_string!(locale, analytics.empty_next))),
    }
}

#[component]
fn BlankPlace(session: Session, words: fn(Locale) -> Blank) -> impl IntoView {
    let blank = words(use_locale().get_locale_untracked());
    view! {
        <Title text=blank.title />
        <AppShell session>
            <h1>{blank.title}</h1>
            <EmptyState title=blank.empty_title body=blank.empty_body next=blank.next />
        </AppShell>
    }
}

#[component]
pub fn AnalyticsPage() -> impl IntoView {
    view! { <SignedIn render=|session| view! { <BlankPlace session words=analytics /> }.into_any() /> }
}
