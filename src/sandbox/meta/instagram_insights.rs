//! Instagram media insights (§6.2) on either host: a media's lifetime figures from the growth
//! model in `figures`, with the metrics its product type has, for a token holding the host's
//! insights permission. Its `like_count` and `comments_count` read the same figures.

use axum::response::{IntoResponse, Response};
use chrono::{DateTime, Duration, Utc};
use serde_json::{Value, json};

use super::dispatch::Call;
use super::errors::GraphError;
use super::figures;
use super::insights::{self, MetricInfo, Reading};
use super::insights_errors;
use super::instagram_access::{self, InstagramCaller};
use super::instagram_content::{ContainerKind, InstagramMedia};
use super::instagram_figures::{self, MediaFigures, MediaFormat};
use super::instagram_metrics::{self, MEDIA_METRICS, MediaMetric, RETIRED_MEDIA_METRICS};
use super::tokens::Network;
use super::usage;

/// "Unavailable data ⇒ empty data" (§6.2, §8 item 11): a media this new has none yet.
const TOO_NEW_SECONDS: i64 = 60;
/// Fewer people than this have seen a story: Graph will not say how few (§6.2).
const MIN_STORY_VIEWERS: u64 = 5;

/// `GET /{ig-media-id}/insights?metric=…`.
pub(super) fn media(call: &mut Call<'_>, network: Network, id: &str) -> Response {
    media_answer(call, network, id).unwrap_or_else(IntoResponse::into_response)
}

/// What a media counts at `now`. Carousel children count nothing of their own.
pub(super) fn media_figures(media: &InstagramMedia, now: DateTime<Utc>) -> MediaFigures {
    if media.kind.is_carousel_item() {
        return MediaFigures::default();
    }
    instagram_figures::at_age(&media.id, now - media.published_at, format_of(media.kind))
}

pub(super) fn format_of(kind: ContainerKind) -> MediaFormat {
    match kind {
        ContainerKind::Reel => MediaFormat::Reel,
        ContainerKind::StoryImage | ContainerKind::StoryVideo => MediaFormat::Story,
        _ => MediaFormat::Feed,
    }
}

/// The host's insights permission: `instagram_manage_insights` with Facebook Login,
/// `instagram_business_manage_insights` with Instagram Login.
pub(super) fn require_insights_permission(caller: &InstagramCaller) -> Result<(), GraphError> {
    let scope = match caller.network {
        Network::Facebook => "instagram_manage_insights",
        Network::Instagram => "instagram_business_manage_insights",
    };
    if caller.token.has_scope(scope) {
        Ok(())
    } else {
        Err(insights_errors::instagram_insights_missing())
    }
}

fn media_answer(call: &mut Call<'_>, network: Network, id: &str) -> Result<Response, GraphError> {
    let content = &call.state.publishing.instagram;
    let account_id = content
        .container(id)
        .map(|container| container.account_id.clone())
        .or_else(|| content.media_item(id).map(|media| media.account_id.clone()))
        .ok_or_else(|| GraphError::unsupported_request(&call.request.method, id))?;
    let caller = instagram_access::required_caller(call, network, &account_id, id)?;
    let Some(media) = call.state.publishing.instagram.media_item(id) else {
        // A container is not media: it has no insights edge.
        return Err(GraphError::nonexisting_field(
            "insights",
            "ShadowIGMediaBuilder",
        ));
    };
    require_insights_permission(&caller)?;
    let names = insights::requested_metrics(call.request)
        .ok_or_else(|| GraphError::missing_parameter("metric"))?;
    let format = format_of(media.kind);
    let metrics = validate(&names, format, network)?;
    let data = readings(media, &metrics, call.now)?;
    Ok(usage::answer(
        call.state,
        caller.usage(),
        json!({ "data": data }),
    ))
}

/// The metrics asked for, or the error for the first one this media does not have.
fn validate(
    names: &[String],
    format: MediaFormat,
    network: Network,
) -> Result<Vec<&'static MetricInfo<MediaMetric>>, GraphError> {
    let available = instagram_metrics::offered(format, network);
    names
        .iter()
        .enumerate()
        .map(|(position, name)| {
            if let Some(new) = instagram_metrics::replacement(&RETIRED_MEDIA_METRICS, name) {
                return Err(insights_errors::retired_instagram_metric(name, new));
            }
            match insights::find(&MEDIA_METRICS, name) {
                Some(info) if available.contains(&info.name) => Ok(info),
                Some(_) if instagram_metrics::offered_anywhere(name, network) => {
                    let product_type = instagram_metrics::product_type(format);
                    Err(insights_errors::metric_not_for_media(name, product_type))
                }
                _ => Err(insights_errors::unknown_instagram_metric(
                    position, &available,
                )),
            }
        })
        .collect()
}

/// The entries for `metrics`, or none where Graph has no data: carousel children, media just
/// published, stories past their day.
fn readings(
    media: &InstagramMedia,
    metrics: &[&MetricInfo<MediaMetric>],
    now: DateTime<Utc>,
) -> Result<Vec<Value>, GraphError> {
    let format = format_of(media.kind);
    let age = now - media.published_at;
    let story_over =
        format == MediaFormat::Story && age >= Duration::hours(figures::STORY_HORIZON_HOURS);
    if media.kind.is_carousel_item() || age < Duration::seconds(TOO_NEW_SECONDS) || story_over {
        return Ok(Vec::new());
    }
    let counts = media_figures(media, now);
    if format == MediaFormat::Story && counts.reach < MIN_STORY_VIEWERS {
        return Err(insights_errors::not_enough_viewers());
    }
    Ok(metrics
        .iter()
        .map(|info| {
            let value = json!(media_value(info.metric, &counts));
            insights::entry(
                &media.id,
                info.name,
                "lifetime",
                info.title,
                info.description,
                Reading::Values(insights::lifetime(value)),
            )
        })
        .collect())
}

fn media_value(metric: MediaMetric, counts: &MediaFigures) -> u64 {
    match metric {
        MediaMetric::Views => counts.views,
        MediaMetric::Reach => counts.reach,
        MediaMetric::Likes => counts.likes,
        MediaMetric::Comments => counts.comments,
        MediaMetric::Saved => counts.saved,
        MediaMetric::Shares => counts.shares,
        MediaMetric::TotalInteractions => counts.total_interactions(),
        MediaMetric::Replies => counts.replies,
        MediaMetric::Navigation => counts.navigation,
        MediaMetric::Follows => counts.follows,
        MediaMetric::ProfileVisits => counts.profile_visits,
        MediaMetric::AverageWatchTime => counts.average_watch_ms,
        MediaMetric::TotalWatchTime => counts.watch_time_ms,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(list: &[&str]) -> Vec<String> {
        list.iter().map(|name| (*name).to_owned()).collect()
    }

    fn media(kind: ContainerKind, published_at: DateTime<Utc>) -> InstagramMedia {
        InstagramMedia {
            id: "17900000000000042".to_owned(),
            account_id: "17841400000000001".to_owned(),
            container_id: "17889000000000042".to_owned(),
            kind,
            shortcode: "Abc".to_owned(),
            permalink: "http://127.0.0.1:9/www.instagram.com/p/Abc/".to_owned(),
            caption: None,
            sources: Vec::new(),
            children: Vec::new(),
            share_to_feed: true,
            published_at,
            sequence: 42,
        }
    }

    #[test]
    fn retired_metrics_are_refused_as_no_longer_supported() {
        for retired in ["impressions", "plays", "video_views", "engagement"] {
            let error = validate(
                &names(&["reach", retired]),
                MediaFormat::Reel,
                Network::Facebook,
            )
            .unwrap_err();
            assert_eq!(error.code, 100);
            assert!(
                error.message.contains("no longer supported"),
                "{}",
                error.message
            );
        }
    }

    #[test]
    fn metrics_of_another_product_type_or_host_are_refused() {
        let story_metric = validate(&names(&["replies"]), MediaFormat::Feed, Network::Instagram);
        assert!(
            story_metric
                .unwrap_err()
                .message
                .contains("media product type (FEED)")
        );
        let reel_metric = validate(
            &names(&["ig_reels_avg_watch_time"]),
            MediaFormat::Feed,
            Network::Facebook,
        );
        assert_eq!(reel_metric.unwrap_err().code, 100);
        let ads = validate(
            &names(&["likes", "total_likes"]),
            MediaFormat::Feed,
            Network::Instagram,
        );
        assert!(
            ads.unwrap_err()
                .message
                .starts_with("(#100) metric[1] must be one of")
        );
        let fine = validate(
            &names(&["total_likes", "saved"]),
            MediaFormat::Feed,
            Network::Facebook,
        );
        assert_eq!(fine.unwrap().len(), 2);
        let story_metrics = instagram_metrics::offered(MediaFormat::Story, Network::Instagram);
        let story = validate(
            &names(&story_metrics),
            MediaFormat::Story,
            Network::Instagram,
        );
        assert_eq!(story.unwrap().len(), 8);
    }

    #[test]
    fn media_just_published_and_carousel_children_have_no_data_yet() {
        let now = Utc::now();
        let metrics = validate(&names(&["reach"]), MediaFormat::Feed, Network::Facebook).unwrap();
        let fresh = media(ContainerKind::Image, now - Duration::seconds(5));
        assert_eq!(
            readings(&fresh, &metrics, now).unwrap(),
            Vec::<Value>::new()
        );
        let child = media(ContainerKind::CarouselImage, now - Duration::days(3));
        assert_eq!(
            readings(&child, &metrics, now).unwrap(),
            Vec::<Value>::new()
        );
        assert_eq!(media_figures(&child, now), MediaFigures::default());
        let settled = media(ContainerKind::Image, now - Duration::days(3));
        let entries = readings(&settled, &metrics, now).unwrap();
        assert_eq!(entries[0]["period"], "lifetime");
        assert_eq!(entries[0]["title"], "Accounts reached");
        assert_eq!(
            entries[0]["id"],
            "17900000000000042/insights/reach/lifetime"
        );
        assert_eq!(
            entries[0]["values"][0]["value"],
            media_figures(&settled, now).reach
        );
    }

    #[test]
    fn a_story_speaks_for_its_day_and_only_once_enough_people_saw_it() {
        let now = Utc::now();
        let metrics = validate(&names(&["reach"]), MediaFormat::Story, Network::Facebook).unwrap();
        // A minute in, no story has been seen by five people yet.
        let early = media(ContainerKind::StoryImage, now - Duration::seconds(61));
        assert_eq!(readings(&early, &metrics, now).unwrap_err().code, 10);
        let later = media(ContainerKind::StoryImage, now - Duration::hours(20));
        assert_eq!(readings(&later, &metrics, now).unwrap().len(), 1);
        let gone = media(ContainerKind::StoryVideo, now - Duration::hours(25));
        assert!(readings(&gone, &metrics, now).unwrap().is_empty());
    }
}
