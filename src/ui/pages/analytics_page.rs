//! The analytics dashboard: `/analytics?range=7|30|90|custom&from&to&account`. Everything comes
//! from the server in one answer, charts already drawn as SVG; the filters are a plain GET
//! form and the exports plain links, so the page works the same without JavaScript. Each
//! chart has its table.

use leptos::prelude::*;
use leptos_i18n::td_string;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use crate::api::analytics::{
    BestPost, BestTime, Dashboard, DayValue, FiguresProblem, RangeChoice, Total, get_dashboard,
};
use crate::api::auth::Session;
use crate::error::AppError;
use crate::text::rules::network_name;
use crate::text::{Locale, metric_name, use_locale, weekday_name};
use crate::ui::components::{AppShell, EmptyState, ErrorAlert, SignedIn, error_text};

#[component]
pub fn AnalyticsPage() -> impl IntoView {
    let query = use_query_map();
    let data = Resource::new_blocking(
        move || {
            let query = query.read();
            let get = |key: &str| query.get(key).unwrap_or_default();
            (get("range"), get("from"), get("to"), get("account"))
        },
        |(range, from, to, account)| get_dashboard(range, from, to, account),
    );
    view! { <SignedIn render=move |session| view! { <AnalyticsScreen session data /> }.into_any() /> }
}

#[component]
fn AnalyticsScreen(session: Session, data: Resource<Result<Dashboard, AppError>>) -> impl IntoView {
    let locale = use_locale().get_locale_untracked();
    view! {
        <Title text=td_string!(locale, analytics.title) />
        <AppShell session>
            <h1>{td_string!(locale, analytics.title)}</h1>
            <Transition fallback=move || view! { <p class="loading">{td_string!(locale, loading)}</p> }>
                {move || Suspend::new(async move {
                    match data.await {
                        Ok(dashboard) if dashboard.accounts.is_empty() => view! {
                            <EmptyState
                                title=td_string!(locale, analytics.empty_title)
                                body=td_string!(locale, analytics.empty_body)
                                next=Some(("/accounts", td_string!(locale, analytics.empty_next)))
                            />
                        }
                        .into_any(),
                        Ok(dashboard) => view! { <DashboardView dashboard locale /> }.into_any(),
                        Err(error) => view! {
                            <Filters dashboard=None locale />
                            <ErrorAlert message=Some(error_text(&error)) />
                        }
                        .into_any(),
                    }
                })}
            </Transition>
        </AppShell>
    }
}

/// `?range=…&from=…&to=…&account=…` of what is shown, for the exports.
fn query_of(dashboard: &Dashboard) -> String {
    let account = dashboard
        .account
        .as_ref()
        .map(ToString::to_string)
        .unwrap_or_default();
    format!(
        "range={}&from={}&to={}&account={account}",
        dashboard.range.as_str(),
        dashboard.from,
        dashboard.to
    )
}

#[component]
fn DashboardView(dashboard: Dashboard, locale: Locale) -> impl IntoView {
    let query = query_of(&dashboard);
    let days = dashboard.days;
    let (published, published_before) = dashboard.published;
    view! {
        <Filters dashboard=Some(dashboard.clone()) locale />
        <Problems problems=dashboard.problems.clone() locale />
        <p class="muted">
            {td_string!(locale, analytics.range_summary, from = dashboard.from.clone(), to = dashboard.to.clone(), zone = dashboard.time_zone.clone()).to_string()}
        </p>
        <nav class="analytics-exports" aria-label=td_string!(locale, analytics.exports)>
            <a class="button" href=format!("/analytics/posts.csv?{query}") download="herald-posts.csv">
                {td_string!(locale, analytics.export_posts)}
            </a>
            <a class="button" href=format!("/analytics/snapshots.csv?{query}") download="herald-snapshots.csv">
                {td_string!(locale, analytics.export_snapshots)}
            </a>
        </nav>
        <section class="card" aria-labelledby="totals-heading">
            <h2 id="totals-heading">{td_string!(locale, analytics.totals)}</h2>
            <p>
                {td_string!(locale, analytics.published_count, count = published, before = published_before, days = days).to_string()}
            </p>
            <dl class="analytics-totals">
                {dashboard.totals.iter().map(|total| view! { <TotalItem total=*total days locale /> }).collect_view()}
            </dl>
            <p class="muted">{td_string!(locale, analytics.totals_note)}</p>
        </section>
        <section class="card" aria-labelledby="best-heading">
            <h2 id="best-heading">{td_string!(locale, analytics.best_posts)}</h2>
            <BestPosts posts=dashboard.best_posts.clone() locale />
        </section>
        <section class="card" aria-labelledby="followers-heading">
            <h2 id="followers-heading">{td_string!(locale, analytics.followers_over_time)}</h2>
            <Chart svg=dashboard.followers_svg.clone() />
            <DayTable days=dashboard.followers.clone() value_label=td_string!(locale, metrics.followers) locale />
        </section>
        <section class="card" aria-labelledby="per-day-heading">
            <h2 id="per-day-heading">{td_string!(locale, analytics.posts_per_day)}</h2>
            <Chart svg=dashboard.posts_per_day_svg.clone() />
            <DayTable days=dashboard.posts_per_day.clone() value_label=td_string!(locale, analytics.posts) locale />
        </section>
        <section class="card" aria-labelledby="best-time-heading">
            <h2 id="best-time-heading">{td_string!(locale, analytics.best_time)}</h2>
            <BestTimeView best=dashboard.best_time.clone() locale />
        </section>
    }
}

/// The range, the account and "Show": a GET form, so the choice is in the address.
#[component]
fn Filters(dashboard: Option<Dashboard>, locale: Locale) -> impl IntoView {
    let range = dashboard.as_ref().map(|d| d.range).unwrap_or_default();
    let (from, to) = dashboard
        .as_ref()
        .map(|d| (d.from.clone(), d.to.clone()))
        .unwrap_or_default();
    let account = dashboard.as_ref().and_then(|d| d.account.clone());
    let accounts = dashboard.map(|d| d.accounts).unwrap_or_default();
    let range_label = |choice: RangeChoice| match choice {
        RangeChoice::Days7 => td_string!(locale, analytics.range_7),
        RangeChoice::Days30 => td_string!(locale, analytics.range_30),
        RangeChoice::Days90 => td_string!(locale, analytics.range_90),
        RangeChoice::Custom => td_string!(locale, analytics.range_custom),
    };
    view! {
        <form class="analytics-filters" method="get" action="/analytics">
            <label>
                {td_string!(locale, analytics.range)}
                <select name="range">
                    {RangeChoice::ALL
                        .iter()
                        .map(|choice| view! {
                            <option value=choice.as_str() selected=*choice == range>{range_label(*choice)}</option>
                        })
                        .collect_view()}
                </select>
            </label>
            <label>
                {td_string!(locale, analytics.from)}
                <input type="date" name="from" value=from />
            </label>
            <label>
                {td_string!(locale, analytics.to)}
                <input type="date" name="to" value=to />
            </label>
            <label>
                {td_string!(locale, analytics.account)}
                <select name="account">
                    <option value="" selected=account.is_none()>{td_string!(locale, analytics.all_accounts)}</option>
                    {accounts
                        .into_iter()
                        .map(|each| {
                            let selected = account.as_ref() == Some(&each.id);
                            view! {
                                <option value=each.id.to_string() selected=selected>
                                    {format!("{} ({})", each.name, network_name(each.network))}
                                </option>
                            }
                        })
                        .collect_view()}
                </select>
            </label>
            <button type="submit" class="button button-primary">{td_string!(locale, analytics.show)}</button>
            <p class="hint">{td_string!(locale, analytics.custom_hint)}</p>
        </form>
    }
}

/// Accounts whose figures need a permission they lack, each with its way to grant it.
#[component]
pub fn Problems(problems: Vec<FiguresProblem>, locale: Locale) -> impl IntoView {
    (!problems.is_empty()).then(|| {
        view! {
            <div class="alert alert-warning" role="status">
                <ul>
                    {problems
                        .into_iter()
                        .map(|problem| {
                            let name = problem.account.name.clone();
                            let text = td_string!(
                                locale,
                                analytics.grant_permission,
                                account = name.clone(),
                                permission = problem.permission.clone()
                            )
                            .to_string();
                            let label = td_string!(locale, accounts.reconnect_named, name).to_string();
                            view! {
                                <li>
                                    {text} " "
                                    {problem.reconnect_href.map(|href| view! { <a href=href>{label}</a> })}
                                </li>
                            }
                        })
                        .collect_view()}
                </ul>
            </div>
        }
    })
}

#[component]
fn TotalItem(total: Total, days: i64, locale: Locale) -> impl IntoView {
    let name = metric_name(total.metric, locale);
    let value = match total.value {
        Some(value) => value.to_string(),
        None => td_string!(locale, analytics.not_reported).to_owned(),
    };
    let change = match (total.value, total.previous) {
        (Some(now), Some(before)) if before > 0 => {
            let percent = (now - before) as f64 * 100.0 / before as f64;
            td_string!(
                locale,
                analytics.change,
                change = format!("{percent:+.0}"),
                days
            )
            .to_string()
        }
        (Some(_), _) => td_string!(locale, analytics.no_earlier, days).to_string(),
        (None, _) => String::new(),
    };
    view! {
        <div class=format!("analytics-total metric-{}", total.metric.as_str())>
            <dt>{name}</dt>
            <dd>
                <strong>{value}</strong>
                <span class="muted">{change}</span>
            </dd>
        </div>
    }
}

/// A chart drawn on the server; the table beside it says the same for screen readers.
#[component]
pub fn Chart(svg: String) -> impl IntoView {
    view! { <div class="chart" inner_html=svg></div> }
}

#[component]
fn DayTable(days: Vec<DayValue>, value_label: &'static str, locale: Locale) -> impl IntoView {
    let rows = days
        .into_iter()
        .map(|day| view! { <tr><th scope="row">{day.day}</th><td>{day.value}</td></tr> })
        .collect_view();
    view! {
        <details class="chart-table">
            <summary>{td_string!(locale, analytics.as_table)}</summary>
            <div class="table-scroll">
                <table>
                    <thead>
                        <tr>
                            <th scope="col">{td_string!(locale, analytics.day)}</th>
                            <th scope="col">{value_label}</th>
                        </tr>
                    </thead>
                    <tbody>{rows}</tbody>
                </table>
            </div>
        </details>
    }
}

fn percent(rate: f64) -> String {
    format!("{:.1}\u{a0}%", rate * 100.0)
}

#[component]
fn BestPosts(posts: Vec<BestPost>, locale: Locale) -> impl IntoView {
    if posts.is_empty() {
        return view! { <p class="muted">{td_string!(locale, analytics.no_best_posts)}</p> }
            .into_any();
    }
    let rows = posts
        .into_iter()
        .map(|post| {
            let text = if post.text.trim().is_empty() {
                td_string!(locale, analytics.untitled).to_owned()
            } else {
                post.text.clone()
            };
            view! {
                <tr>
                    <th scope="row"><a href=format!("/posts/{}", post.post_id)>{text}</a></th>
                    <td>{format!("{} ({})", post.account.name, network_name(post.account.network))}</td>
                    <td>{post.published_local.clone()}</td>
                    <td>{percent(post.rate)}</td>
                    <td>{post.engagement}</td>
                    <td>{post.reached}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <div class="table-scroll">
            <table class="best-posts">
                <caption>{td_string!(locale, analytics.best_posts_caption)}</caption>
                <thead>
                    <tr>
                        <th scope="col">{td_string!(locale, analytics.post)}</th>
                        <th scope="col">{td_string!(locale, analytics.account)}</th>
                        <th scope="col">{td_string!(locale, analytics.published)}</th>
                        <th scope="col">{td_string!(locale, analytics.engagement_rate)}</th>
                        <th scope="col">{td_string!(locale, analytics.engagement)}</th>
                        <th scope="col">{td_string!(locale, analytics.reached)}</th>
                    </tr>
                </thead>
                <tbody>{rows}</tbody>
            </table>
        </div>
    }
    .into_any()
}

#[component]
fn BestTimeView(best: BestTime, locale: Locale) -> impl IntoView {
    let summary = match best.suggestion {
        Some(cell) => td_string!(
            locale,
            analytics.best_time_suggestion,
            weekday = weekday_name(cell.weekday as usize, locale),
            hour = cell.hour,
            rate = percent(cell.rate),
            posts = cell.posts,
            count = best.posts
        )
        .to_string(),
        None => td_string!(
            locale,
            analytics.best_time_too_few,
            count = best.posts,
            needed = crate::domain::analytics::BEST_TIME_MIN_POSTS
        )
        .to_string(),
    };
    let rows = best
        .cells
        .iter()
        .map(|cell| {
            view! {
                <tr>
                    <th scope="row">{format!("{} {:02}:00", weekday_name(cell.weekday as usize, locale), cell.hour)}</th>
                    <td>{cell.posts}</td>
                    <td>{percent(cell.rate)}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <p class="best-time-summary">{summary}</p>
        <Chart svg=best.chart_svg.clone() />
        <details class="chart-table">
            <summary>{td_string!(locale, analytics.as_table)}</summary>
            <div class="table-scroll">
                <table>
                    <thead>
                        <tr>
                            <th scope="col">{td_string!(locale, analytics.when)}</th>
                            <th scope="col">{td_string!(locale, analytics.posts)}</th>
                            <th scope="col">{td_string!(locale, analytics.engagement_rate)}</th>
                        </tr>
                    </thead>
                    <tbody>{rows}</tbody>
                </table>
            </div>
        </details>
    }
}
