//! How a published post did, on its page: each account's figures with when Herald took them,
//! a chart of their growth (drawn on the server) and its table; with the sandbox networks, the
//! buttons that make the post older so its figures come due at once.

use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_i18n::td_string;

use crate::api::analytics::{AccountFigures, AgePost, PostFigures, get_post_figures};
use crate::domain::PostId;
use crate::domain::figures::Metric;
use crate::error::AppError;
use crate::text::rules::network_name;
use crate::text::{Locale, metric_name};
use crate::ui::components::{ErrorAlert, error_message};
use crate::ui::pages::analytics_page::{Chart, Problems};

/// The days the sandbox buttons make a post older by.
const AGEING_STEPS: [i64; 3] = [1, 7, 30];

/// The post's figures and the sandbox's ageing action, made once by the page: the results
/// above them are read again every few seconds while publishing is under way, and the figures
/// must not be made again (and flash) each time.
#[derive(Clone, Copy)]
pub struct FiguresOfPage {
    age: ServerAction<AgePost>,
    figures: Resource<Result<PostFigures, AppError>>,
}

impl FiguresOfPage {
    pub fn new(post_id: impl Fn() -> String + Send + Sync + 'static) -> FiguresOfPage {
        let age = ServerAction::<AgePost>::new();
        let tick = RwSignal::new(0_u32);
        // The snapshot an ageing makes due is taken by the job queue a moment later.
        Effect::new(move |_| {
            if age.version().get() > 0 {
                set_timeout(
                    move || tick.update(|tick| *tick += 1),
                    std::time::Duration::from_millis(1_500),
                );
            }
        });
        let figures = Resource::new(
            move || (post_id(), age.version().get(), tick.get()),
            |(id, ..)| get_post_figures(PostId::from(id)),
        );
        FiguresOfPage { age, figures }
    }
}

#[component]
pub fn PostFiguresSection(data: FiguresOfPage, locale: Locale) -> impl IntoView {
    let FiguresOfPage { age, figures } = data;
    let failure = error_message(age);
    view! {
        <section class="card" aria-labelledby="figures-heading">
            <h2 id="figures-heading">{td_string!(locale, analytics.post_figures)}</h2>
            <ErrorAlert message=failure />
            <Transition fallback=move || view! { <p class="loading">{td_string!(locale, loading)}</p> }>
                {move || Suspend::new(async move {
                    match figures.await {
                        Ok(figures) => view! { <FiguresOfPost figures age locale /> }.into_any(),
                        // Figures are extra: the post's results above stand without them.
                        Err(_) => view! { <p class="muted">{td_string!(locale, analytics.figures_unavailable)}</p> }.into_any(),
                    }
                })}
            </Transition>
        </section>
    }
}

#[component]
fn FiguresOfPost(
    figures: PostFigures,
    age: ServerAction<AgePost>,
    locale: Locale,
) -> impl IntoView {
    let post_id = figures.post_id.to_string();
    let sandbox = figures.sandbox.then(|| {
        view! {
            <div class="sandbox-ageing">
                <p class="hint">{td_string!(locale, analytics.sandbox_ageing)}</p>
                {AGEING_STEPS
                    .iter()
                    .map(|days| {
                        let post_id = post_id.clone();
                        let label = td_string!(locale, analytics.age_by, count = *days).to_string();
                        view! {
                            <ActionForm action=age attr:class="inline-form">
                                <input type="hidden" name="id" value=post_id />
                                <input type="hidden" name="days" value=days.to_string() />
                                <button type="submit" class="button">{label}</button>
                            </ActionForm>
                        }
                    })
                    .collect_view()}
            </div>
        }
    });
    view! {
        <Problems problems=figures.problems.clone() locale />
        {if figures.accounts.is_empty() {
            view! { <p class="muted">{td_string!(locale, analytics.no_snapshots_yet)}</p> }.into_any()
        } else {
            figures
                .accounts
                .into_iter()
                .map(|account| view! { <AccountFiguresView account locale /> })
                .collect_view()
                .into_any()
        }}
        {sandbox}
    }
}

#[component]
fn AccountFiguresView(account: AccountFigures, locale: Locale) -> impl IntoView {
    let metrics: Vec<Metric> = Metric::OF_POSTS
        .into_iter()
        .filter(|metric| {
            account
                .snapshots
                .iter()
                .any(|snapshot| snapshot.figures.get(*metric).is_some())
        })
        .collect();
    let latest = account.snapshots.last().cloned();
    let name = format!(
        "{} ({})",
        account.account.name,
        network_name(account.account.network)
    );
    let heading_id = format!("figures-{}", account.account.id);
    let labelled_by = heading_id.clone();
    let newest = latest.map(|snapshot| {
        let items = metrics
            .iter()
            .map(|metric| {
                let value = snapshot
                    .figures
                    .get(*metric)
                    .map(|value| value.to_string())
                    .unwrap_or_else(|| td_string!(locale, analytics.not_reported).to_owned());
                view! {
                    <div class=format!("analytics-total metric-{}", metric.as_str())>
                        <dt>{metric_name(*metric, locale)}</dt>
                        <dd><strong>{value}</strong></dd>
                    </div>
                }
            })
            .collect_view();
        view! {
            <p class="muted">{td_string!(locale, analytics.taken_at, when = snapshot.taken_local.clone()).to_string()}</p>
            <dl class="analytics-totals">{items}</dl>
        }
    });
    let header_cells = metrics
        .iter()
        .map(|metric| view! { <th scope="col">{metric_name(*metric, locale)}</th> })
        .collect_view();
    let rows = account
        .snapshots
        .iter()
        .map(|snapshot| {
            let cells = metrics
                .iter()
                .map(|metric| {
                    let value = snapshot
                        .figures
                        .get(*metric)
                        .map(|v| v.to_string())
                        .unwrap_or_default();
                    view! { <td>{value}</td> }
                })
                .collect_view();
            view! { <tr><th scope="row">{snapshot.taken_local.clone()}</th>{cells}</tr> }
        })
        .collect_view();
    view! {
        <article class="account-figures" aria-labelledby=labelled_by>
            <h3 id=heading_id>{name}</h3>
            {newest}
            <Chart svg=account.chart_svg.clone() />
            <details class="chart-table">
                <summary>{td_string!(locale, analytics.as_table)}</summary>
                <div class="table-scroll">
                    <table>
                        <caption>{td_string!(locale, analytics.snapshots_caption)}</caption>
                        <thead><tr><th scope="col">{td_string!(locale, analytics.taken)}</th>{header_cells}</tr></thead>
                        <tbody>{rows}</tbody>
                    </table>
                </div>
            </details>
        </article>
    }
}
