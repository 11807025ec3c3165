//! Instagram account insights (§6.2, last bullet) on either host: new followers and reach per
//! day as a time series, or totals over the range with `metric_type=total_value`, summed from
//! the account's media and followers in the growth model.

use axum::response::{IntoResponse, Response};
use chrono::{DateTime, Utc};
use serde_json::{Value, json};

use super::dispatch::Call;
use super::errors::GraphError;
use super::figures;
use super::insights::{self, DayRange, MetricInfo, Period, Reading};
use super::insights_errors;
use super::instagram_access;
use super::instagram_content::InstagramMedia;
use super::instagram_figures::MediaFigures;
use super::instagram_insights::{media_figures, require_insights_permission};
use super::instagram_metrics::{
    self, ACCOUNT_METRICS, AccountMetric, RETIRED_ACCOUNT_METRICS, TIME_SERIES_METRICS,
};
use super::request::Incoming;
use super::tokens::Network;
use super::usage;

/// `GET /{ig-user-id}/insights?metric=…&period=day[&metric_type=total_value][&since&until]`.
pub(super) fn account(call: &mut Call<'_>, network: Network, id: &str) -> Response {
    account_answer(call, network, id).unwrap_or_else(IntoResponse::into_response)
}

fn account_answer(call: &mut Call<'_>, network: Network, id: &str) -> Result<Response, GraphError> {
    let caller = instagram_access::required_caller(call, network, id, id)?;
    require_insights_permission(&caller)?;
    let (request, now) = (call.request, call.now);
    let metrics = requested(request)?;
    let as_totals = match request.param("metric_type") {
        None | Some("time_series") => false,
        Some("total_value") => true,
        Some(_) => return Err(insights_errors::invalid_metric_type()),
    };
    if !as_totals {
        let totals_only: Vec<&str> = metrics
            .iter()
            .map(|info| info.name)
            .filter(|name| !TIME_SERIES_METRICS.contains(name))
            .collect();
        if !totals_only.is_empty() {
            return Err(insights_errors::total_value_required(&totals_only));
        }
    }
    // Lenient where Graph may not be: without `period`, daily is what every client means.
    let period = Period::parse(request.param("period"), Period::Day)?;
    if period != Period::Day {
        return Err(insights_errors::invalid_period(period.name()));
    }
    let range = DayRange::requested(request, now)?;
    let account_id = caller.account_id.as_str();
    let media: Vec<&InstagramMedia> = call
        .state
        .publishing
        .instagram
        .media
        .iter()
        .filter(|media| media.account_id == account_id && media.is_top_level())
        .collect();
    // Days not over yet count what happened so far.
    let amount = |metric: AccountMetric, from: DateTime<Utc>, to: DateTime<Utc>| {
        let stood_at = |at: DateTime<Utc>| standing(metric, account_id, &media, at.min(now));
        stood_at(to).saturating_sub(stood_at(from))
    };
    let data: Vec<Value> = metrics
        .iter()
        .map(|info| {
            let reading = if as_totals {
                Reading::Total(json!(amount(info.metric, range.since, range.until)))
            } else {
                let days = range.days();
                let values = days.iter().map(|day| {
                    insights::dated(json!(amount(info.metric, day.start, day.end)), *day)
                });
                Reading::Values(values.collect())
            };
            insights::entry(
                account_id,
                info.name,
                period.name(),
                info.title,
                info.description,
                reading,
            )
        })
        .collect();
    let mut body = json!({ "data": data });
    if !as_totals {
        body["paging"] = range.paging(&call.world.base_url, request, &caller.token.value);
    }
    Ok(usage::answer(call.state, caller.usage(), body))
}

/// The metrics asked for, or the error for the first Instagram does not serve on accounts.
fn requested(request: &Incoming) -> Result<Vec<&'static MetricInfo<AccountMetric>>, GraphError> {
    let names = insights::requested_metrics(request)
        .ok_or_else(|| GraphError::missing_parameter("metric"))?;
    let offered: Vec<&str> = ACCOUNT_METRICS.iter().map(|info| info.name).collect();
    names
        .iter()
        .enumerate()
        .map(|(position, name)| {
            if let Some(new) = instagram_metrics::replacement(&RETIRED_ACCOUNT_METRICS, name) {
                return Err(insights_errors::retired_instagram_metric(name, new));
            }
            insights::find(&ACCOUNT_METRICS, name)
                .ok_or_else(|| insights_errors::unknown_instagram_metric(position, &offered))
        })
        .collect()
}

/// Where the metric stood at `at`: the followers so far, or the sum over the account's media
/// of what each had gathered by then.
fn standing(
    metric: AccountMetric,
    account_id: &str,
    media: &[&InstagramMedia],
    at: DateTime<Utc>,
) -> u64 {
    let sum = |count: fn(&MediaFigures) -> u64| -> u64 {
        media
            .iter()
            .map(|media| count(&media_figures(media, at)))
            .sum()
    };
    match metric {
        AccountMetric::NewFollowers => figures::followers_at(account_id, at),
        AccountMetric::Reach => sum(|counts| counts.reach),
        AccountMetric::Views => sum(|counts| counts.views),
        AccountMetric::Likes => sum(|counts| counts.likes),
        AccountMetric::Comments => sum(|counts| counts.comments),
        AccountMetric::Shares => sum(|counts| counts.shares),
        AccountMetric::Saves => sum(|counts| counts.saved),
        AccountMetric::Replies => sum(|counts| counts.replies),
        AccountMetric::TotalInteractions => sum(MediaFigures::total_interactions),
        AccountMetric::AccountsEngaged => {
            sum(|counts| counts.total_interactions().min(counts.reach))
        }
    }
}

#[cfg(test)]
mod tests {
    use axum::http::{HeaderMap, Method};
    use chrono::Duration;

    use super::*;
    use crate::sandbox::meta::SandboxConfig;
    use crate::sandbox::meta::instagram_content::ContainerKind;
    use crate::sandbox::meta::state::State;
    use crate::sandbox::meta::tokens::{self, TokenKind, TokenRecord};
    use crate::sandbox::meta::world::World;

    const INSIGHTS: &str = "instagram_business_manage_insights";

    fn world() -> World {
        World::seed(SandboxConfig::default(), "http://127.0.0.1:9")
    }

    /// An Instagram-Login token of the creator account with `scopes`, kept in `state`.
    fn token(world: &World, state: &mut State, scopes: &[&str]) -> String {
        state.issue(TokenRecord::mint(
            TokenKind::LongLivedInstagram,
            &world.creator.user_id_text(),
            None,
            tokens::owned(scopes),
            Utc::now(),
            None,
        ))
    }

    fn ask(
        world: &World,
        state: &mut State,
        query: &str,
        now: DateTime<Utc>,
    ) -> Result<Response, GraphError> {
        let request = Incoming::parse(
            Method::GET,
            "/graph.instagram.com/v23.0/me/insights",
            Some(query),
            &HeaderMap::new(),
            b"",
        );
        let mut call = Call {
            world,
            state,
            request: &request,
            now,
        };
        account_answer(&mut call, Network::Instagram, "me")
    }

    async fn body_of(response: Response) -> Value {
        let bytes = axum::body::to_bytes(response.into_body(), usize::MAX)
            .await
            .unwrap();
        serde_json::from_slice(&bytes).unwrap()
    }

    #[test]
    fn without_the_insights_permission_the_answer_is_code_10() {
        let (world, mut state) = (world(), State::new(Vec::new()));
        let token = token(&world, &mut state, &["instagram_business_basic"]);
        let query = format!("access_token={token}&metric=reach&period=day");
        let error = ask(&world, &mut state, &query, Utc::now()).unwrap_err();
        assert_eq!(
            error.message,
            "(#10) Application does not have permission for this action"
        );
    }

    #[test]
    fn unknown_retired_and_totals_only_metrics_are_refused_with_code_100() {
        let (world, mut state) = (world(), State::new(Vec::new()));
        let token = token(&world, &mut state, &[INSIGHTS]);
        let refusal = |state: &mut State, rest: &str| {
            let query = format!("access_token={token}&{rest}");
            ask(&world, state, &query, Utc::now()).unwrap_err()
        };
        let likes = refusal(&mut state, "metric=reach,likes&period=day");
        assert!(
            likes
                .message
                .contains("(likes) should be specified with parameter metric_type=total_value")
        );
        let retired = refusal(&mut state, "metric=impressions&period=day");
        assert!(retired.message.contains("no longer supported"));
        let unknown = refusal(&mut state, "metric=reach,page_follows");
        assert!(
            unknown
                .message
                .starts_with("(#100) metric[1] must be one of")
        );
        assert_eq!(refusal(&mut state, "metric=reach&period=week").code, 100);
        assert_eq!(
            refusal(&mut state, "metric=reach&metric_type=sum").code,
            100
        );
        let missing = refusal(&mut state, "period=day");
        assert_eq!(missing.message, "(#100) The parameter metric is required");
    }

    #[tokio::test]
    async fn follower_count_and_reach_come_one_value_per_day_and_totals_add_up_the_media() {
        let (world, mut state) = (world(), State::new(Vec::new()));
        let token = token(&world, &mut state, &[INSIGHTS]);
        let now = Utc::now();
        let published_at = now - Duration::days(3);
        state.publishing.instagram.media.push(InstagramMedia {
            id: "17900000000000077".to_owned(),
            account_id: world.creator.user_id_text(),
            container_id: "17889000000000077".to_owned(),
            kind: ContainerKind::Image,
            shortcode: "Xyz".to_owned(),
            permalink: "http://127.0.0.1:9/www.instagram.com/p/Xyz/".to_owned(),
            caption: None,
            sources: Vec::new(),
            children: Vec::new(),
            share_to_feed: true,
            published_at,
            sequence: 77,
        });

        let query = format!("access_token={token}&metric=follower_count,reach&period=day");
        let series = body_of(ask(&world, &mut state, &query, now).unwrap()).await;
        assert_eq!(series["data"][0]["name"], "follower_count");
        assert_eq!(series["data"][1]["values"].as_array().unwrap().len(), 2);
        let end_time = series["data"][0]["values"][1]["end_time"].as_str().unwrap();
        assert!(end_time.ends_with(":00:00+0000"), "{end_time}");
        assert!(series["paging"]["next"].as_str().is_some());

        let since = (published_at - Duration::hours(1)).timestamp();
        let query = format!(
            "access_token={token}&metric=reach,likes&metric_type=total_value&period=day\
             &since={since}&until={}",
            now.timestamp() + 60
        );
        let totals = body_of(ask(&world, &mut state, &query, now).unwrap()).await;
        let media = &state.publishing.instagram.media[0];
        let counts = media_figures(media, now);
        assert_eq!(totals["data"][0]["total_value"]["value"], counts.reach);
        assert_eq!(totals["data"][1]["total_value"]["value"], counts.likes);
        assert!(counts.reach > 0);
        assert!(totals.get("paging").is_none());
    }
}
