//! Accounts: what is connected (read from the server on every load), connecting more through
//! Meta's logins, and testing, reconnecting or disconnecting each. Outcomes of the OAuth
//! round trip arrive as `?done=…` / `?problem=…` and are worded here.

use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_i18n::td_string;
use leptos_meta::Title;
use leptos_router::hooks::{use_location, use_query_map};

use crate::api::accounts::{
    AccountView, AccountsOverview, DisconnectAccount, TestAccount, TestResult, list_accounts,
};
use crate::api::auth::Session;
use crate::domain::TimeZone;
use crate::domain::accounts::{AccountStatus, Connection, Login, Network};
use crate::error::AppError;
use crate::text::{Locale, format_moment, use_locale};
use crate::ui::components::{AppShell, EmptyState, ErrorAlert, NetworkMark, SignedIn, error_text};

#[component]
pub fn AccountsPage() -> impl IntoView {
    // Keyed on the query: connecting, testing and disconnecting come back here with news.
    let location = use_location();
    let overview = Resource::new_blocking(move || location.search.get(), |_| list_accounts());
    view! {
        <SignedIn render=move |session| view! { <AccountsScreen session overview /> }.into_any() />
    }
}

fn problem_text(code: &str, locale: Locale) -> &'static str {
    match code {
        "not_configured" => td_string!(locale, accounts.problem_not_configured),
        "canceled" => td_string!(locale, accounts.problem_canceled),
        "stale" => td_string!(locale, accounts.problem_stale),
        "nothing_found" => td_string!(locale, accounts.problem_nothing_found),
        "wrong_account" => td_string!(locale, accounts.problem_wrong_account),
        "none_picked" => td_string!(locale, accounts.problem_none_picked),
        "meta_token" => td_string!(locale, accounts.problem_meta_token),
        "meta_permission" => td_string!(locale, accounts.problem_meta_permission),
        "meta_rate_limited" => td_string!(locale, accounts.problem_meta_rate_limited),
        "meta_temporary" => td_string!(locale, accounts.problem_meta_temporary),
        "meta_refused" => td_string!(locale, accounts.problem_meta_refused),
        _ => td_string!(locale, accounts.problem_internal),
    }
}

/// The sentence for `?done=…` (with `count`) or `?tested=…&result=…`.
fn done_text(done: &str, count: usize, locale: Locale) -> Option<String> {
    match done {
        "added" => Some(td_string!(locale, accounts.done_added, count = count).to_string()),
        "reconnected" => Some(td_string!(locale, accounts.done_reconnected).to_owned()),
        "disconnected" => Some(td_string!(locale, accounts.done_disconnected).to_owned()),
        _ => None,
    }
}

fn test_text(result: &str, locale: Locale) -> (&'static str, &'static str) {
    let result = serde_json::from_value(serde_json::Value::String(result.to_owned()));
    match result.unwrap_or(TestResult::TryLater) {
        TestResult::Working => (
            "alert alert-success",
            td_string!(locale, accounts.test_working),
        ),
        TestResult::NeedsReconnect => (
            "alert alert-warning",
            td_string!(locale, accounts.test_needs_reconnect),
        ),
        TestResult::TryLater => (
            "alert alert-warning",
            td_string!(locale, accounts.test_try_later),
        ),
    }
}

#[component]
fn AccountsScreen(
    session: Session,
    overview: Resource<Result<AccountsOverview, AppError>>,
) -> impl IntoView {
    let locale = use_locale().get_locale_untracked();
    let zone = session.time_zone;
    let query = use_query_map();
    let outcome = move || {
        let query = query.read();
        if let Some(problem) = query.get("problem") {
            return Some((
                "alert alert-error",
                "alert",
                problem_text(&problem, locale).to_owned(),
            ));
        }
        if let Some(result) = query.get("result") {
            let (class, text) = test_text(&result, locale);
            return Some((class, "status", text.to_owned()));
        }
        let count = query
            .get("count")
            .and_then(|count| count.parse().ok())
            .unwrap_or(0);
        query
            .get("done")
            .and_then(|done| done_text(&done, count, locale))
            .map(|text| ("alert alert-success", "status", text))
    };
    let confirm = move || query.read().get("confirm");
    let feed = session.sandbox_feed_url.clone();
    view! {
        <Title text=td_string!(locale, accounts.title) />
        <AppShell session>
            <h1>{td_string!(locale, accounts.title)}</h1>
            {move || {
                outcome()
                    .map(|(class, role, text)| view! { <p class=class role=role>{text}</p> })
            }}
            <Transition fallback=move || view! { <p class="loading">{td_string!(locale, loading)}</p> }>
                {move || {
                    let feed = feed.clone();
                    Suspend::new(async move {
                    match overview.await {
                        Ok(overview) => {
                            view! { <Overview overview zone locale confirm=confirm() feed /> }.into_any()
                        }
                        Err(error) => view! { <ErrorAlert message=Some(error_text(&error)) /> }.into_any(),
                    }
                    })
                }}
            </Transition>
        </AppShell>
    }
}

#[component]
fn Overview(
    overview: AccountsOverview,
    zone: TimeZone,
    locale: Locale,
    confirm: Option<String>,
    /// The sandbox's page of what its networks received, in sandbox mode.
    feed: Option<String>,
) -> impl IntoView {
    let AccountsOverview {
        accounts,
        facebook_ready,
        instagram_ready,
        sandbox,
        redirect_uris,
    } = overview;
    let empty = accounts.is_empty();
    view! {
        {sandbox
            .then(|| {
                view! {
                    <p class="alert alert-info" role="note">
                        {td_string!(locale, accounts.sandbox_note)}
                        {feed
                            .map(|url| {
                                view! {
                                    " "
                                    <a href=url target="_blank" rel="noopener">
                                        {td_string!(locale, shell.sandbox_feeds)}
                                    </a>
                                }
                            })}
                    </p>
                }
            })}
        <div class="button-row">
            {facebook_ready
                .then(|| {
                    view! {
                        // rel=external: a full page load, not the app's own routing (it leaves for Meta).
                        <a href="/oauth/facebook/start" rel="external" class="button button-primary">
                            {td_string!(locale, accounts.connect_facebook)}
                        </a>
                    }
                })}
            {instagram_ready
                .then(|| {
                    view! {
                        <a href="/oauth/instagram/start" rel="external" class="button">
                            {td_string!(locale, accounts.connect_instagram)}
                        </a>
                    }
                })}
        </div>
        {(!facebook_ready && !instagram_ready)
            .then(|| view! { <p class="muted">{td_string!(locale, accounts.not_configured)}</p> })}
        {if empty {
            view! {
                <EmptyState
                    title=td_string!(locale, accounts.empty_title)
                    body=td_string!(locale, accounts.empty_body)
                    next=None
                />
            }
                .into_any()
        } else {
            view! {
                <ul class="account-list">
                    {accounts
                        .into_iter()
                        .map(|account| {
                            let confirming = confirm.as_deref() == Some(account.id.as_str());
                            view! { <AccountCard account zone locale confirming /> }
                        })
                        .collect_view()}
                </ul>
            }
                .into_any()
        }}
        <details class="card">
            <summary>{td_string!(locale, accounts.setup_heading)}</summary>
            <p>{td_string!(locale, accounts.setup_body)}</p>
            <ul>
                {redirect_uris.into_iter().map(|uri| view! { <li><code>{uri}</code></li> }).collect_view()}
            </ul>
        </details>
    }
}

fn network_label(network: Network, locale: Locale) -> &'static str {
    match network {
        Network::Facebook => td_string!(locale, accounts.network_facebook),
        Network::Instagram => td_string!(locale, accounts.network_instagram),
    }
}

#[component]
fn AccountCard(
    account: AccountView,
    zone: TimeZone,
    locale: Locale,
    confirming: bool,
) -> impl IntoView {
    let test = ServerAction::<TestAccount>::new();
    let disconnect = ServerAction::<DisconnectAccount>::new();
    let id = account.id.to_string();
    let (status_class, status_text) = match account.status {
        AccountStatus::Active => ("badge badge-ok", td_string!(locale, accounts.status_active)),
        _ => (
            "badge badge-warning",
            td_string!(locale, accounts.status_needs_reconnect),
        ),
    };
    let reconnect_login = match account.connection {
        Connection::FacebookLogin => Some(Login::Facebook.as_str()),
        Connection::InstagramLogin => Some(Login::Instagram.as_str()),
        Connection::Environment => None,
    };
    let from_environment = account.connection == Connection::Environment;
    let expiry = account.token_expires_at.map(|at| {
        td_string!(
            locale,
            accounts.expires,
            when = format_moment(at, zone, locale)
        )
        .to_string()
    });
    let heading_id = format!("account-{}", account.id);
    let labelled_by = heading_id.clone();
    let name = &account.name;
    let test_label = td_string!(locale, accounts.test_named, name).to_string();
    let reconnect_label = td_string!(locale, accounts.reconnect_named, name).to_string();
    let disconnect_label = td_string!(locale, accounts.disconnect_named, name).to_string();
    let confirm_text = td_string!(locale, accounts.confirm_body, name).to_string();
    let reconnect_href =
        reconnect_login.map(|login| format!("/oauth/{login}/start?reconnect={}", account.id));
    let confirm_href = format!("/accounts?confirm={}", account.id);
    let disconnect_id = id.clone();
    view! {
        <li class="card account" aria-labelledby=labelled_by>
            <div class="account-head">
                {account
                    .avatar_url
                    .clone()
                    .map(|url| view! { <img class="avatar" src=url alt="" width="48" height="48" /> })}
                <div>
                    <h2 id=heading_id>{account.name.clone()}</h2>
                    <p class="muted network">
                        <NetworkMark network=account.network />
                        {network_label(account.network, locale)}
                        {account.username.clone().map(|username| format!(" · @{username}"))}
                    </p>
                </div>
            </div>
            <p>
                <span class=status_class>{status_text}</span>
                {from_environment
                    .then(|| view! { " " <span class="badge">{td_string!(locale, accounts.from_environment)}</span> })}
            </p>
            {(account.status == AccountStatus::NeedsReconnect)
                .then(|| view! { <p class="hint">{td_string!(locale, accounts.needs_reconnect_help)}</p> })}
            {expiry.map(|text| view! { <p class="hint">{text}</p> })}
            <div class="button-row">
                <ActionForm action=test>
                    <input type="hidden" name="id" value=id />
                    <button type="submit" class="button" aria-label=test_label>
                        {td_string!(locale, accounts.test)}
                    </button>
                </ActionForm>
                {reconnect_href
                    .map(|href| {
                        view! {
                            <a class="button" href=href rel="external" aria-label=reconnect_label>
                                {td_string!(locale, accounts.reconnect)}
                            </a>
                        }
                    })}
                {(!from_environment && !confirming)
                    .then(|| {
                        view! {
                            <a class="button button-quiet" href=confirm_href aria-label=disconnect_label>
                                {td_string!(locale, accounts.disconnect)}
                            </a>
                        }
                    })}
            </div>
            <ErrorAlert message=crate::ui::components::error_message(test) />
            {confirming
                .then(|| {
                    view! {
                        <div class="confirm" role="group" aria-label=td_string!(locale, accounts.confirm_heading)>
                            <p>{confirm_text}</p>
                            <ActionForm action=disconnect>
                                <input type="hidden" name="id" value=disconnect_id />
                                <div class="button-row">
                                    <button type="submit" class="button button-danger">
                                        {td_string!(locale, accounts.confirm_disconnect)}
                                    </button>
                                    <a href="/accounts" class="button">
                                        {td_string!(locale, accounts.confirm_keep)}
                                    </a>
                                </div>
                            </ActionForm>
                            <ErrorAlert message=crate::ui::components::error_message(disconnect) />
                        </div>
                    }
                })}
        </li>
    }
}
