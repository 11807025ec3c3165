//! The main places of the app. Until their features land, each says what it will hold and
//! what to do first.

use leptos::prelude::*;
use leptos_meta::Title;

use crate::api::auth::Session;
use crate::ui::components::{AppShell, EmptyState, SignedIn};

#[component]
pub fn PostsPage() -> impl IntoView {
    view! { <SignedIn render=|session| view! { <Posts session /> }.into_any() /> }
}

#[component]
fn Posts(session: Session) -> impl IntoView {
    view! {
        <Title text="Posts" />
        <AppShell session>
            <h1>"Posts"</h1>
            <EmptyState
                title="No posts yet"
                body="Posts you write, schedule and publish will be listed here, with how each went on every network. Start by connecting an account to publish to."
                next=("/accounts", "Connect an account")
            />
        </AppShell>
    }
}

#[component]
pub fn CalendarPage() -> impl IntoView {
    view! { <SignedIn render=|session| view! { <Calendar session /> }.into_any() /> }
}

#[component]
fn Calendar(session: Session) -> impl IntoView {
    view! {
        <Title text="Calendar" />
        <AppShell session>
            <h1>"Calendar"</h1>
            <EmptyState
                title="Nothing scheduled"
                body="Scheduled posts will appear here by day and week, in your time zone, and you will be able to drag them to another time."
                next=("/settings", "Set your time zone")
            />
        </AppShell>
    }
}

#[component]
pub fn AccountsPage() -> impl IntoView {
    view! { <SignedIn render=|session| view! { <Accounts session /> }.into_any() /> }
}

#[component]
fn Accounts(session: Session) -> impl IntoView {
    view! {
        <Title text="Accounts" />
        <AppShell session>
            <h1>"Accounts"</h1>
            <EmptyState
                title="No accounts connected"
                body="Facebook Pages and Instagram accounts you connect will be listed here with their status. Connecting them is not available in this version of Herald yet."
            />
        </AppShell>
    }
}

#[component]
pub fn AnalyticsPage() -> impl IntoView {
    view! { <SignedIn render=|session| view! { <Analytics session /> }.into_any() /> }
}

#[component]
fn Analytics(session: Session) -> impl IntoView {
    view! {
        <Title text="Analytics" />
        <AppShell session>
            <h1>"Analytics"</h1>
            <EmptyState
                title="No results yet"
                body="Once posts are published, their reach, likes, comments and shares will be collected here, post by post."
                next=("/posts", "Go to posts")
            />
        </AppShell>
    }
}
