//! One post after "Publish": its status, each account's result — a link to the live post,
//! the network's reason and what to do, or "outcome unknown" with "Check again" — and the
//! ledger of every call Herald made. While anything is still under way the page refreshes
//! itself (a timer once hydrated, a `<meta refresh>` without JavaScript).

use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_i18n::td_string;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

use crate::api::auth::Session;
use crate::api::posts::{
    Attempt, CheckAgain, PostStatus, PostTarget, PostView, TargetStatus, get_post,
};
use crate::domain::TimeZone;
use crate::domain::post::PostFormat;
use crate::error::AppError;
use crate::text::rules::network_name;
use crate::text::{Locale, format_moment, publishing, use_locale};
use crate::ui::components::{
    AppShell, ErrorAlert, NetworkMark, SignedIn, error_message, error_text,
};
use crate::ui::pages::post_figures::{FiguresOfPage, PostFiguresSection};
use crate::ui::pages::post_schedule::{ScheduleActions, ScheduleControls};
use crate::ui::pages::posts_page::status_label;

/// How often a hydrated page asks again while publishing is under way.
const REFRESH_EVERY_MS: u64 = 2_000;

#[component]
pub fn PostPage() -> impl IntoView {
    let params = use_params_map();
    let check_again = ServerAction::<CheckAgain>::new();
    let schedule = ScheduleActions::new();
    let tick = RwSignal::new(0_u32);
    let post = Resource::new_blocking(
        move || {
            (
                params.read().get("id").unwrap_or_default(),
                tick.get(),
                check_again.version().get(),
                schedule.version(),
            )
        },
        |(id, ..)| get_post(id.into()),
    );
    let figures = FiguresOfPage::new(move || params.read().get("id").unwrap_or_default());
    view! {
        <SignedIn render=move |session| {
            view! { <PostScreen session post check_again schedule tick figures /> }.into_any()
        } />
    }
}

#[component]
fn PostScreen(
    session: Session,
    post: Resource<Result<PostView, AppError>>,
    check_again: ServerAction<CheckAgain>,
    schedule: ScheduleActions,
    tick: RwSignal<u32>,
    figures: FiguresOfPage,
) -> impl IntoView {
    let locale = use_locale().get_locale_untracked();
    let zone = session.time_zone;
    // Once hydrated: ask again every few seconds while the post is still being published.
    Effect::new(move |_| {
        let under_way = post
            .get()
            .and_then(Result::ok)
            .is_some_and(|post| is_under_way(&post));
        if under_way {
            set_timeout(
                move || tick.update(|tick| *tick += 1),
                std::time::Duration::from_millis(REFRESH_EVERY_MS),
            );
        }
    });
    view! {
        <Title text=td_string!(locale, publishing.title) />
        <AppShell session>
            <Transition fallback=move || view! { <p class="loading">{td_string!(locale, loading)}</p> }>
                {move || Suspend::new(async move {
                    match post.await {
                        Ok(post) => view! { <PostResults post check_again schedule figures zone locale /> }.into_any(),
                        Err(error) => view! {
                            <h1>{td_string!(locale, publishing.title)}</h1>
                            <ErrorAlert message=Some(error_text(&error)) />
                        }
                        .into_any(),
                    }
                })}
            </Transition>
        </AppShell>
    }
}

fn is_under_way(post: &PostView) -> bool {
    post.targets
        .iter()
        .any(|target| target.status == TargetStatus::Publishing)
}

#[component]
fn PostResults(
    post: PostView,
    check_again: ServerAction<CheckAgain>,
    schedule: ScheduleActions,
    figures: FiguresOfPage,
    zone: TimeZone,
    locale: Locale,
) -> impl IntoView {
    let under_way = is_under_way(&post);
    let heading = if post.text.trim().is_empty() {
        td_string!(locale, publishing.title).to_owned()
    } else {
        post.text.chars().take(80).collect()
    };
    let check_failure = error_message(check_again);
    let editable = post.status.is_editable();
    let post_id = post.id.clone();
    view! {
        <h1 class="post-heading">{heading}</h1>
        <p class="post-meta">
            <span class=format!("badge badge-{}", post.status.as_str())>{status_label(post.status, locale)}</span>
            " "
            {post.targets.iter().map(|target| view! { <NetworkMark network=target.network /> }).collect_view()}
        </p>
        {editable
            .then(|| {
                view! {
                    <p>
                        <a class="button" href=format!("/compose/{post_id}")>{td_string!(locale, publishing.edit_draft)}</a>
                    </p>
                }
            })}
        {(!editable && post.status != PostStatus::Publishing)
            .then(|| view! { <p class="muted">{td_string!(locale, publishing.read_only)}</p> })}
        {(post.status == PostStatus::Scheduled)
            .then(|| view! { <ScheduleControls post=post.clone() actions=schedule zone locale /> })}
        {under_way
            .then(|| {
                view! {
                    <p class="muted" role="status">{td_string!(locale, publishing.still_working)}</p>
                    <noscript>
                        <meta http-equiv="refresh" content="3" />
                        <p>
                            <a href=format!("/posts/{}", post.id)>{td_string!(locale, publishing.refresh)}</a>
                        </p>
                    </noscript>
                }
            })}
        <section class="card" aria-labelledby="results-heading">
            <h2 id="results-heading">{td_string!(locale, publishing.results_heading)}</h2>
            <ErrorAlert message=check_failure />
            <ul class="target-results">
                {post
                    .targets
                    .iter()
                    .cloned()
                    .map(|target| view! { <TargetResult target post_id=post.id.to_string() check_again locale /> })
                    .collect_view()}
            </ul>
        </section>
        {post
            .targets
            .iter()
            .any(|target| target.status == TargetStatus::Published)
            .then(|| view! { <PostFiguresSection data=figures locale /> })}
        <Ledger ledger=post.ledger.clone() targets=post.targets.clone() zone locale />
    }
}

#[component]
fn TargetResult(
    target: PostTarget,
    post_id: String,
    check_again: ServerAction<CheckAgain>,
    locale: Locale,
) -> impl IntoView {
    let network = network_name(target.network);
    let status = publishing::target_status(target.status, locale);
    let reason = target
        .reason
        .as_deref()
        .filter(|_| target.status != TargetStatus::Published)
        .map(|reason| publishing::reason(reason, target.network, locale));
    let detail = target
        .detail
        .clone()
        .filter(|detail| !detail.trim().is_empty())
        .map(|detail| td_string!(locale, publishing.network_said, network, detail).to_string());
    let link = target.remote_url.clone().map(|url| {
        view! {
            <a class="button" href=url rel="noopener noreferrer" target="_blank">
                {td_string!(locale, publishing.see_post, network).to_string()}
            </a>
        }
    });
    let in_doubt = target.status == TargetStatus::OutcomeUnknown;
    let check_label = td_string!(
        locale,
        publishing.check_again_named,
        account = target.account_name.clone()
    )
    .to_string();
    view! {
        <li class=format!("target-result target-{}", target.status.as_str())>
            <p class="target-line">
                <NetworkMark network=target.network />
                " "
                <strong>{target.account_name.clone()}</strong>
                {(target.format == PostFormat::Story)
                    .then(|| format!(" · {}", td_string!(locale, compose.format_story)))}
                " · "
                <span class=format!("badge badge-{}", target.status.as_str())>{status}</span>
            </p>
            {link}
            {reason.map(|reason| view! { <p class="target-reason">{reason}</p> })}
            {detail.map(|detail| view! { <p class="muted target-detail">{detail}</p> })}
            {in_doubt
                .then(|| {
                    view! {
                        <ActionForm action=check_again>
                            <input type="hidden" name="id" value=post_id.clone() />
                            <input type="hidden" name="account" value=target.account_id.to_string() />
                            <button type="submit" class="button" aria-label=check_label>
                                {td_string!(locale, publishing.check_again)}
                            </button>
                        </ActionForm>
                    }
                })}
        </li>
    }
}

#[component]
fn Ledger(
    ledger: Vec<Attempt>,
    targets: Vec<PostTarget>,
    zone: TimeZone,
    locale: Locale,
) -> impl IntoView {
    let account_of = move |attempt: &Attempt| {
        targets
            .iter()
            .find(|target| target.account_id == attempt.account_id)
            .map(|target| (target.account_name.clone(), target.network))
    };
    let rows = ledger
        .iter()
        .map(|attempt| {
            let (name, network) = account_of(attempt).unzip();
            let why = match (&attempt.reason, network) {
                (Some(reason), Some(network)) => publishing::reason(reason, network, locale),
                _ => String::new(),
            };
            let why = match attempt.detail.as_deref().filter(|d| !d.trim().is_empty()) {
                Some(detail) if why.is_empty() => detail.to_owned(),
                Some(detail) => format!("{why} ({detail})"),
                None => why,
            };
            view! {
                <tr>
                    <td>{format_moment(attempt.started_at, zone, locale)}</td>
                    <td>{name.unwrap_or_default()}</td>
                    <td>{publishing::step(&attempt.step, locale)}</td>
                    <td>{publishing::outcome(attempt.outcome, locale)}</td>
                    <td>{why}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <section class="card" aria-labelledby="ledger-heading">
            <h2 id="ledger-heading">{td_string!(locale, publishing.ledger_heading)}</h2>
            {if ledger.is_empty() {
                view! { <p class="muted">{td_string!(locale, publishing.ledger_empty)}</p> }.into_any()
            } else {
                view! {
                    <div class="table-scroll">
                        <table class="ledger">
                            <caption>{td_string!(locale, publishing.ledger_caption)}</caption>
                            <thead>
                                <tr>
                                    <th scope="col">{td_string!(locale, publishing.ledger_when)}</th>
                                    <th scope="col">{td_string!(locale, publishing.ledger_account)}</th>
                                    <th scope="col">{td_string!(locale, publishing.ledger_step)}</th>
                                    <th scope="col">{td_string!(locale, publishing.ledger_outcome)}</th>
                                    <th scope="col">{td_string!(locale, publishing.ledger_reason)}</th>
                                </tr>
                            </thead>
                            <tbody>{rows}</tbody>
                        </table>
                    </div>
                }
                .into_any()
            }}
        </section>
    }
}
