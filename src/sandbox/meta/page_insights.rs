//! Page and post insights (§6.1): a publication's lifetime figures and a Page's daily ones,
//! read off the growth model in `figures`, for a Page token of that Page with `read_insights`.
//! Retired metrics (`post_impressions*`, `post_engaged_users`, `page_impressions*`,
//! `page_fans`, `page_fan_adds`, `page_engaged_users`, `page_consumptions`…) are refused as
//! unknown ones are, which is how Graph refuses them.

use axum::response::{IntoResponse, Response};
use chrono::{DateTime, Utc};
use serde_json::{Value, json};

use super::dispatch::Call;
use super::errors::GraphError;
use super::figures;
use super::insights::{self, DayRange, MetricInfo, Period, Reading};
use super::insights_errors;
use super::page_access;
use super::page_content::PagePost;
use super::page_counts::{figures_at, post_figures};
use super::page_post_figures::PagePostFigures;
use super::request::Incoming;
use super::tokens::{TokenKind, TokenRecord};
use super::usage::{self, Caller};

/// §6.1: insights need it beside the Page token.
const READ_INSIGHTS_SCOPE: &str = "read_insights";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum PostMetric {
    Viewers,
    Views,
    ReactionsByType,
    Clicks,
    ClicksByType,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum PageMetric {
    Viewers,
    Views,
    PostEngagements,
    DailyFollows,
    Follows,
}

static POST_METRICS: [MetricInfo<PostMetric>; 5] = [
    MetricInfo {
        metric: PostMetric::Viewers,
        name: "post_total_media_view_unique",
        title: "Post Viewers",
        description: "The number of people who saw your post.",
    },
    MetricInfo {
        metric: PostMetric::Views,
        name: "post_media_view",
        title: "Post Media Views",
        description: "The number of times your post was played or displayed.",
    },
    MetricInfo {
        metric: PostMetric::ReactionsByType,
        name: "post_reactions_by_type_total",
        title: "Total post Reactions by Type.",
        description: "Total post reactions by type.",
    },
    MetricInfo {
        metric: PostMetric::Clicks,
        name: "post_clicks",
        title: "Post Clicks",
        description: "The number of times people clicked on anywhere in your post.",
    },
    MetricInfo {
        metric: PostMetric::ClicksByType,
        name: "post_clicks_by_type",
        title: "Post Clicks by Type",
        description: "The number of clicks anywhere in your post, by type.",
    },
];

static PAGE_METRICS: [MetricInfo<PageMetric>; 5] = [
    MetricInfo {
        metric: PageMetric::Viewers,
        name: "page_total_media_view_unique",
        title: "Total Viewers",
        description: "The number of people who saw content from or about your Page.",
    },
    MetricInfo {
        metric: PageMetric::Views,
        name: "page_media_view",
        title: "Media Views",
        description: "The number of times your Page's content was played or displayed.",
    },
    MetricInfo {
        metric: PageMetric::PostEngagements,
        name: "page_post_engagements",
        title: "Post Engagements",
        description: "The number of times people have engaged with your posts through \
                      reactions, comments, shares and clicks.",
    },
    MetricInfo {
        metric: PageMetric::DailyFollows,
        name: "page_daily_follows",
        title: "New Follows",
        description: "The number of new followers of your Page.",
    },
    MetricInfo {
        metric: PageMetric::Follows,
        name: "page_follows",
        title: "Page Follows",
        description: "The total number of people who follow your Page.",
    },
];

/// `GET /{post-id}/insights`, also through the id of the photo or video the post shows.
pub(super) fn post(call: &mut Call<'_>, id: &str) -> Response {
    post_answer(call, id).unwrap_or_else(IntoResponse::into_response)
}

/// `GET /{page-id}/insights` (or `me/insights` with a Page token).
pub(super) fn page(call: &mut Call<'_>, id: &str) -> Response {
    page_answer(call, id).unwrap_or_else(IntoResponse::into_response)
}

fn post_answer(call: &mut Call<'_>, id: &str) -> Result<Response, GraphError> {
    let token = page_access::authenticate(call)?;
    let unsupported = || GraphError::unsupported_request(&call.request.method, id);
    let content = &call.state.publishing.page;
    let page_id = content.page_id_of(id).ok_or_else(unsupported)?;
    if !page_access::may_manage(&token, page_id) {
        return Err(unsupported());
    }
    require_reader(&token)?;
    let metrics = requested(call.request, &POST_METRICS)?;
    let period = Period::parse(call.request.param("period"), Period::Lifetime)?;
    let live_post = content
        .publication(id)
        .filter(|post| post.live_since(call.now).is_some());
    // Post metrics are lifetime ones: other periods, and posts not live, have no data.
    let data: Vec<Value> = match live_post {
        Some(post) if period == Period::Lifetime => {
            let counts = post_figures(post, call.now);
            metrics
                .iter()
                .map(|info| {
                    let value = post_value(info.metric, &counts);
                    insights::entry(
                        id,
                        info.name,
                        period.name(),
                        &period.title(info.title),
                        &period.description(info.description),
                        Reading::Values(insights::lifetime(value)),
                    )
                })
                .collect()
        }
        _ => Vec::new(),
    };
    Ok(usage::answer(
        call.state,
        Caller::of(&token),
        json!({ "data": data }),
    ))
}

fn page_answer(call: &mut Call<'_>, id: &str) -> Result<Response, GraphError> {
    let (token, page) = page_access::caller_for_page(call, id)?;
    require_reader(&token)?;
    let (request, now) = (call.request, call.now);
    let metrics = requested(request, &PAGE_METRICS)?;
    let period = Period::parse(request.param("period"), Period::Day)?;
    let range = DayRange::requested(request, now)?;
    let posts = call.state.publishing.page.live_posts(&page.id, now);
    let days = range.days();
    let data: Vec<Value> = metrics
        .iter()
        .map(|info| {
            let values = days
                .iter()
                .map(|day| {
                    let from = period.counted_from(*day);
                    let value = page_value(info.metric, &page.id, &posts, from, day.end, now);
                    insights::dated(json!(value), *day)
                })
                .collect();
            insights::entry(
                &page.id,
                info.name,
                period.name(),
                &period.title(info.title),
                &period.description(info.description),
                Reading::Values(values),
            )
        })
        .collect();
    let paging = range.paging(&call.world.base_url, request, &token.value);
    let body = json!({ "data": data, "paging": paging });
    Ok(usage::answer(call.state, Caller::of(&token), body))
}

/// Insights are read with a Page token that was granted `read_insights`.
fn require_reader(token: &TokenRecord) -> Result<(), GraphError> {
    if token.kind != TokenKind::Page {
        return Err(insights_errors::page_token_required());
    }
    if !token.has_scope(READ_INSIGHTS_SCOPE) {
        return Err(insights_errors::read_insights_missing());
    }
    Ok(())
}

/// The metrics asked for, all of them known, or the error for the first that is not.
fn requested<'t, M>(
    request: &Incoming,
    table: &'t [MetricInfo<M>],
) -> Result<Vec<&'t MetricInfo<M>>, GraphError> {
    let names = insights::requested_metrics(request).ok_or_else(insights_errors::no_metric)?;
    names
        .iter()
        .map(|name| insights::find(table, name).ok_or_else(insights_errors::invalid_metric))
        .collect()
}

fn post_value(metric: PostMetric, counts: &PagePostFigures) -> Value {
    match metric {
        PostMetric::Viewers => json!(counts.reach),
        PostMetric::Views => json!(counts.views),
        PostMetric::ReactionsByType => insights::counts_by_key(&counts.reactions.by_type()),
        PostMetric::Clicks => json!(counts.clicks()),
        PostMetric::ClicksByType => insights::counts_by_key(&counts.clicks_by_type()),
    }
}

/// What the Page's metric amounts to from `from` (the beginning when `None`) to `to`, as its
/// posts' figures and its followers stood at each time; `page_follows` is the standing total.
fn page_value(
    metric: PageMetric,
    page_id: &str,
    posts: &[&PagePost],
    from: Option<DateTime<Utc>>,
    to: DateTime<Utc>,
    now: DateTime<Utc>,
) -> u64 {
    let standing = |at: DateTime<Utc>| -> u64 {
        // Days not over yet count what happened so far.
        let at = at.min(now);
        let sum = |count: fn(&PagePostFigures) -> u64| -> u64 {
            posts
                .iter()
                .map(|post| count(&figures_at(post, at, now)))
                .sum()
        };
        match metric {
            PageMetric::Viewers => sum(|counts| counts.reach),
            PageMetric::Views => sum(|counts| counts.views),
            PageMetric::PostEngagements => sum(PagePostFigures::engagements),
            PageMetric::DailyFollows | PageMetric::Follows => figures::followers_at(page_id, at),
        }
    };
    if metric == PageMetric::Follows {
        return standing(to);
    }
    let before = match from {
        Some(from) => standing(from),
        None => 0,
    };
    standing(to).saturating_sub(before)
}

#[cfg(test)]
mod tests {
    use axum::http::{HeaderMap, Method};
    use chrono::Duration;

    use super::*;
    use crate::sandbox::meta::insights::Day;
    use crate::sandbox::meta::page_content::{PostKind, Publication};

    fn request(query: &str) -> Incoming {
        Incoming::parse(
            Method::GET,
            "/graph.facebook.com/v23.0/1000000000000001_1/insights",
            Some(query),
            &HeaderMap::new(),
            b"",
        )
    }

    fn post(kind: PostKind, created_at: DateTime<Utc>) -> PagePost {
        PagePost {
            page_id: "1000000000000001".to_owned(),
            number: "122100000000000007".to_owned(),
            kind,
            message: Some("Hello".to_owned()),
            link: None,
            photo_ids: Vec::new(),
            video_id: None,
            created_at,
            publication: Publication::Published,
            sequence: 7,
        }
    }

    #[test]
    fn retired_and_unknown_metrics_are_refused_and_a_missing_one_too() {
        for retired in [
            "post_impressions",
            "post_impressions_unique",
            "post_impressions_organic_unique",
            "post_engaged_users",
            "post_video_views",
        ] {
            let error = requested(
                &request(&format!("metric=post_clicks,{retired}")),
                &POST_METRICS,
            )
            .unwrap_err();
            assert_eq!(
                error.message,
                "(#100) The value must be a valid insights metric"
            );
        }
        let page_metric_on_a_post = requested(&request("metric=page_follows"), &POST_METRICS);
        assert_eq!(page_metric_on_a_post.unwrap_err().code, 100);
        let none = requested(&request("period=lifetime"), &POST_METRICS).unwrap_err();
        assert_eq!((none.code, none.subcode), (3001, Some(1504028)));
        let known = requested(
            &request("metric=post_clicks,post_media_view"),
            &POST_METRICS,
        );
        assert_eq!(known.unwrap().len(), 2);
    }

    #[test]
    fn object_valued_metrics_are_maps_and_clicks_add_up() {
        let now = Utc::now();
        let counts = post_figures(&post(PostKind::Photo, now - Duration::days(20)), now);
        let by_type = post_value(PostMetric::ClicksByType, &counts);
        let summed: u64 = by_type
            .as_object()
            .unwrap()
            .values()
            .map(|count| count.as_u64().unwrap())
            .sum();
        assert_eq!(json!(summed), post_value(PostMetric::Clicks, &counts));
        assert!(by_type.get("link clicks").is_none());
        assert!(post_value(PostMetric::ReactionsByType, &counts).is_object());
    }

    #[test]
    fn daily_engagements_add_up_to_the_posts_lifetime_engagements() {
        let now = Utc::now();
        // Past every horizon, so even the smallest audience has clicked its link.
        let published = post(PostKind::Link, now - Duration::days(40));
        let posts = [&published];
        let mut day = Day::containing(published.created_at);
        let mut total = 0;
        while day.start < now {
            total += page_value(
                PageMetric::PostEngagements,
                &published.page_id,
                &posts,
                Period::Day.counted_from(day),
                day.end,
                now,
            );
            day = Day::containing(day.end);
        }
        assert_eq!(total, post_figures(&published, now).engagements());
        assert!(total > 0);
    }

    #[test]
    fn page_follows_is_the_running_total_of_daily_follows() {
        let now = Utc::now();
        let yesterday = Day::containing(Day::containing(now).start - Duration::hours(1));
        let follows = |day: Day, metric| {
            page_value(
                metric,
                "1000000000000001",
                &[],
                Period::Day.counted_from(day),
                day.end,
                now,
            )
        };
        let day_before = Day::containing(yesterday.start - Duration::hours(1));
        assert_eq!(
            follows(yesterday, PageMetric::Follows) - follows(day_before, PageMetric::Follows),
            follows(yesterday, PageMetric::DailyFollows)
        );
    }
}
