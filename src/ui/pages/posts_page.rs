//! Posts: every post of the workspace, most recently changed first, filtered by status and
//! account (a plain GET form, so it works without JavaScript), a page at a time. A draft
//! opens in the composer.

use leptos::prelude::*;
use leptos_i18n::td_string;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use crate::api::accounts::{AccountView, AccountsOverview, list_accounts};
use crate::api::auth::Session;
use crate::api::posts::{PostStatus, PostSummary, PostsPage, list_posts};
use crate::domain::TimeZone;
use crate::error::AppError;
use crate::text::{Locale, format_moment, use_locale};
use crate::ui::components::{AppShell, EmptyState, ErrorAlert, NetworkMark, SignedIn, error_text};

#[component]
pub fn PostsPage() -> impl IntoView {
    let query = use_query_map();
    let posts = Resource::new_blocking(
        move || filters_of(&query.read()),
        |(status, account, page)| list_posts(status, account, page),
    );
    let accounts = Resource::new_blocking(|| (), |_| list_accounts());
    view! {
        <SignedIn render=move |session| view! { <PostsScreen session posts accounts /> }.into_any() />
    }
}

/// Status, account and page from the address.
fn filters_of(query: &leptos_router::params::ParamsMap) -> (String, String, u32) {
    (
        query.get("status").unwrap_or_default(),
        query.get("account").unwrap_or_default(),
        query
            .get("page")
            .and_then(|page| page.parse::<u32>().ok())
            .unwrap_or(0),
    )
}

pub fn status_label(status: PostStatus, locale: Locale) -> &'static str {
    match status {
        PostStatus::Draft => td_string!(locale, posts.status_draft),
        PostStatus::Scheduled => td_string!(locale, posts.status_scheduled),
        PostStatus::Publishing => td_string!(locale, posts.status_publishing),
        PostStatus::Published => td_string!(locale, posts.status_published),
        PostStatus::PartiallyPublished => td_string!(locale, posts.status_partially_published),
        PostStatus::Failed => td_string!(locale, posts.status_failed),
        PostStatus::Canceled => td_string!(locale, posts.status_canceled),
    }
}

#[component]
fn PostsScreen(
    session: Session,
    posts: Resource<Result<PostsPage, AppError>>,
    accounts: Resource<Result<AccountsOverview, AppError>>,
) -> impl IntoView {
    let locale = use_locale().get_locale_untracked();
    let zone = session.time_zone;
    let query = use_query_map();
    let filters = move || filters_of(&query.read());
    view! {
        <Title text=td_string!(locale, posts.title) />
        <AppShell session>
            <div class="page-head">
                <h1>{td_string!(locale, posts.title)}</h1>
                <a class="button button-primary" href="/compose">{td_string!(locale, posts.new_post)}</a>
            </div>
            <Transition fallback=move || view! { <p class="loading">{td_string!(locale, loading)}</p> }>
                {move || Suspend::new(async move {
                    let accounts = accounts.await.map(|overview| overview.accounts).unwrap_or_default();
                    let (status, account, page) = filters();
                    match posts.await {
                        Ok(found) => view! {
                            <Filters accounts=accounts.clone() status=status.clone() account=account.clone() locale />
                            <PostList posts=found.posts has_more=found.has_more page status_filter=status account_filter=account zone locale />
                        }
                        .into_any(),
                        Err(error) => view! { <ErrorAlert message=Some(error_text(&error)) /> }.into_any(),
                    }
                })}
            </Transition>
        </AppShell>
    }
}

#[component]
fn Filters(
    accounts: Vec<AccountView>,
    status: String,
    account: String,
    locale: Locale,
) -> impl IntoView {
    view! {
        <form class="filters" method="get" action="/posts" aria-label=td_string!(locale, posts.filters)>
            <div class="field">
                <label for="filter-status">{td_string!(locale, posts.filter_status)}</label>
                <select id="filter-status" name="status">
                    <option value="" selected=status.is_empty()>{td_string!(locale, posts.any_status)}</option>
                    {PostStatus::ALL
                        .iter()
                        .copied()
                        .map(|each| {
                            view! {
                                <option value=each.as_str() selected=status == each.as_str()>
                                    {status_label(each, locale)}
                                </option>
                            }
                        })
                        .collect_view()}
                </select>
            </div>
            <div class="field">
                <label for="filter-account">{td_string!(locale, posts.filter_account)}</label>
                <select id="filter-account" name="account">
                    <option value="" selected=account.is_empty()>{td_string!(locale, posts.any_account)}</option>
                    {accounts
                        .into_iter()
                        .map(|each| {
                            let selected = account == each.id.as_str();
                            view! { <option value=each.id.to_string() selected=selected>{each.name}</option> }
                        })
                        .collect_view()}
                </select>
            </div>
            <button type="submit" class="button">{td_string!(locale, posts.apply_filters)}</button>
        </form>
    }
}

#[component]
fn PostList(
    posts: Vec<PostSummary>,
    has_more: bool,
    page: u32,
    status_filter: String,
    account_filter: String,
    zone: TimeZone,
    locale: Locale,
) -> impl IntoView {
    if posts.is_empty() && page == 0 {
        return view! {
            <EmptyState
                title=td_string!(locale, posts.empty_title)
                body=td_string!(locale, posts.empty_body)
                next=Some(("/compose", td_string!(locale, posts.empty_next)))
            />
        }
        .into_any();
    }
    let page_href = move |page: u32| {
        let mut query = url_query(&[("status", &status_filter), ("account", &account_filter)]);
        if page > 0 {
            query.push((String::from("page"), page.to_string()));
        }
        let joined: Vec<String> = query.iter().map(|(k, v)| format!("{k}={v}")).collect();
        if joined.is_empty() {
            "/posts".to_owned()
        } else {
            format!("/posts?{}", joined.join("&"))
        }
    };
    view! {
        <ul class="post-list">
            {posts.into_iter().map(|post| view! { <PostRow post zone locale /> }).collect_view()}
        </ul>
        <nav class="pager" aria-label=td_string!(locale, posts.pages)>
            {(page > 0).then(|| view! { <a class="button" href=page_href(page - 1)>{td_string!(locale, posts.newer)}</a> })}
            {has_more.then(|| view! { <a class="button" href=page_href(page + 1)>{td_string!(locale, posts.older)}</a> })}
        </nav>
    }
    .into_any()
}

/// Non-empty filters as query pairs, their values percent-encoded.
fn url_query(pairs: &[(&str, &String)]) -> Vec<(String, String)> {
    pairs
        .iter()
        .filter(|(_, value)| !value.is_empty())
        .map(|(name, value)| {
            let encoded: String = value
                .bytes()
                .map(|byte| match byte {
                    b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                        (byte as char).to_string()
                    }
                    _ => format!("%{byte:02X}"),
                })
                .collect();
            ((*name).to_owned(), encoded)
        })
        .collect()
}

#[component]
fn PostRow(post: PostSummary, zone: TimeZone, locale: Locale) -> impl IntoView {
    let excerpt = if post.text.trim().is_empty() {
        td_string!(locale, posts.no_text).to_owned()
    } else {
        post.text.clone()
    };
    // Drafts open in the composer; anything sent opens its results.
    let href = if post.status.is_editable() {
        format!("/compose/{}", post.id)
    } else {
        format!("/posts/{}", post.id)
    };
    let open_label = td_string!(
        locale,
        posts.open_named,
        text = excerpt.chars().take(40).collect::<String>()
    )
    .to_string();
    view! {
        <li class="card post-row">
            {post
                .thumbnail_url
                .clone()
                .map(|url| view! { <img class="post-thumb" src=url alt="" width="64" height="64" /> })}
            <div class="post-row-body">
                <a href=href aria-label=open_label class="post-excerpt">{excerpt}</a>
                <p class="muted post-meta">
                    <span class=format!("badge badge-{}", post.status.as_str())>{status_label(post.status, locale)}</span>
                    " "
                    {post.networks.iter().map(|network| view! { <NetworkMark network=*network /> }).collect_view()}
                    " "
                    {match (post.status, post.scheduled_at) {
                        (PostStatus::Scheduled, Some(at)) => {
                            td_string!(locale, posts.scheduled_for, when = format_moment(at, zone, locale))
                                .to_string()
                        }
                        _ => format_moment(post.updated_at, zone, locale),
                    }}
                </p>
            </div>
        </li>
    }
}
