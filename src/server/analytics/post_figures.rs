//! A post's figures on its page: each account's snapshots with when they were taken and a chart
//! of how they grew; and, with the sandbox networks, a way to make the post older so its
//! figures and Herald's snapshots come due without waiting days.

use std::collections::BTreeMap;

use leptos_i18n::td_string;

use super::charts;
use super::names::{account_names, problems_of};
use crate::domain::analytics::{AccountFigures, PostFigures, TakenFigures};
use crate::domain::figures::{Figures, Metric};
use crate::domain::{AccountId, PostId};
use crate::error::{AppError, Problem};
use crate::server::auth::SignedIn;
use crate::server::db::{self, figures};
use crate::server::http::{self, Reach};
use crate::server::state::AppState;
use crate::text::{Locale, format_moment, metric_name};

pub async fn of_post(
    state: &AppState,
    session: &SignedIn,
    post_id: &PostId,
    locale: Locale,
) -> Result<PostFigures, AppError> {
    let pool = state.db.pool();
    let rows = figures::of_post(pool, &session.workspace_id, post_id).await?;
    let names = account_names(pool, &session.workspace_id).await?;
    let mut by_account: BTreeMap<AccountId, BTreeMap<i64, Figures>> = BTreeMap::new();
    for row in rows {
        if let Some(metric) = row.metric() {
            by_account
                .entry(row.account_id)
                .or_default()
                .entry(row.taken_at)
                .or_default()
                .set(metric, row.value);
        }
    }
    let zone = session.time_zone;
    let moment = |millis: i64| format_moment(millis, zone, locale);
    let accounts = names
        .iter()
        .filter_map(|name| {
            let snapshots = by_account.remove(&name.id)?;
            let snapshots: Vec<TakenFigures> = snapshots
                .into_iter()
                .map(|(taken_at, figures)| TakenFigures {
                    taken_at,
                    taken_local: moment(taken_at),
                    figures,
                })
                .collect();
            Some(AccountFigures {
                chart_svg: growth_chart(&name.name, &snapshots, &moment, locale),
                account: name.clone(),
                snapshots,
            })
        })
        .collect();
    let targets = crate::server::db::posts::targets_of(pool, std::slice::from_ref(post_id)).await?;
    let problems = problems_of(pool, &session.workspace_id, &names)
        .await?
        .into_iter()
        .filter(|problem| {
            targets
                .iter()
                .any(|target| target.account_id == problem.account.id)
        })
        .collect();
    Ok(PostFigures {
        post_id: post_id.clone(),
        accounts,
        problems,
        sandbox: state.settings.sandbox_url.is_some(),
    })
}

/// One line per metric the account's snapshots have, over the time they were taken.
fn growth_chart(
    account: &str,
    snapshots: &[TakenFigures],
    moment: &dyn Fn(i64) -> String,
    locale: Locale,
) -> String {
    let series: Vec<charts::Series> = Metric::OF_POSTS
        .iter()
        .filter_map(|metric| {
            let points: Vec<(i64, f64)> = snapshots
                .iter()
                .filter_map(|snapshot| {
                    let value = snapshot.figures.get(*metric)?;
                    Some((snapshot.taken_at, value as f64))
                })
                .collect();
            (!points.is_empty()).then(|| charts::Series {
                label: metric_name(*metric, locale).to_owned(),
                points,
            })
        })
        .collect();
    charts::line_chart(
        &td_string!(locale, analytics.growth_of, account).to_string(),
        &series,
        moment,
        td_string!(locale, analytics.no_figures),
    )
}

/// The days the sandbox's "make older" control moves a post by, at most.
pub const MAX_AGEING_DAYS: i64 = 31;

/// Makes the post `days` older at the sandbox networks and in Herald, then takes its figures'
/// next snapshot at once. Refused unless Herald runs its sandbox.
pub async fn age_in_sandbox(
    state: &AppState,
    session: &SignedIn,
    post_id: &PostId,
    days: i64,
) -> Result<(), AppError> {
    let Some(sandbox) = &state.settings.sandbox_url else {
        return Err(AppError::Forbidden);
    };
    if !(1..=MAX_AGEING_DAYS).contains(&days) {
        return Err(AppError::Invalid {
            field: Some("days".to_owned()),
            problem: Problem::MalformedForm {
                detail: format!("days: 1 to {MAX_AGEING_DAYS}"),
            },
        });
    }
    let pool = state.db.pool();
    let ids = figures::published_remote_ids(pool, &session.workspace_id, post_id).await?;
    if ids.is_empty() {
        return Err(AppError::Forbidden);
    }
    let by = chrono::Duration::days(days);
    // The sandbox runs on loopback: only its own address is ever called here.
    let answer = http::outbound_client(Reach::Anywhere)
        .post(format!(
            "{}/_sandbox/age_published",
            sandbox.trim_end_matches('/')
        ))
        .json(&serde_json::json!({ "ids": ids, "seconds": by.num_seconds() }))
        .send()
        .await
        .and_then(reqwest::Response::error_for_status);
    if let Err(error) = answer {
        return Err(AppError::Transport(format!(
            "the sandbox: {}",
            error.without_url()
        )));
    }
    let mut tx = pool.begin().await?;
    figures::age_post(
        &mut tx,
        &session.workspace_id,
        post_id,
        by.num_milliseconds(),
        db::millis(state.clock.now()),
    )
    .await?;
    tx.commit().await?;
    state.jobs.wake();
    Ok(())
}
