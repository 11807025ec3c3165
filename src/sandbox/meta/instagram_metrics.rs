//! The insights metrics Instagram serves (§6.2): those of media, by product type and host,
//! those of accounts, the retired ones with what replaced them, and the words each is
//! answered with.

use super::insights::MetricInfo;
use super::instagram_figures::MediaFormat;
use super::tokens::Network;

const FEED_METRICS: [&str; 7] = [
    "views",
    "reach",
    "likes",
    "comments",
    "saved",
    "shares",
    "total_interactions",
];
const REEL_ONLY_METRICS: [&str; 2] = ["ig_reels_avg_watch_time", "ig_reels_video_view_total_time"];
const STORY_METRICS: [&str; 8] = [
    "views",
    "reach",
    "replies",
    "navigation",
    "shares",
    "total_interactions",
    "follows",
    "profile_visits",
];
/// Feed and reels through Facebook Login also count what ads brought (§6.2).
const FACEBOOK_LOGIN_METRICS: [&str; 3] = ["total_likes", "total_comments", "total_views"];

/// Retired media metrics (§6.2), and what replaced each.
pub(super) const RETIRED_MEDIA_METRICS: [(&str, &str); 6] = [
    ("impressions", "views"),
    ("plays", "views"),
    ("clips_replays_count", "views"),
    ("ig_reels_aggregated_all_plays_count", "views"),
    ("video_views", "views"),
    ("engagement", "total_interactions"),
];
pub(super) const RETIRED_ACCOUNT_METRICS: [(&str, &str); 1] = [("impressions", "views")];

/// The only account metrics served as a daily time series; the rest come as totals.
pub(super) const TIME_SERIES_METRICS: [&str; 2] = ["follower_count", "reach"];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum MediaMetric {
    Views,
    Reach,
    Likes,
    Comments,
    Saved,
    Shares,
    TotalInteractions,
    Replies,
    Navigation,
    Follows,
    ProfileVisits,
    AverageWatchTime,
    TotalWatchTime,
}

pub(super) static MEDIA_METRICS: [MetricInfo<MediaMetric>; 16] = [
    MetricInfo::new(
        MediaMetric::Views,
        "views",
        "Views",
        "The number of times the media was played or displayed.",
    ),
    MetricInfo::new(
        MediaMetric::Reach,
        "reach",
        "Accounts reached",
        "The number of unique accounts that have seen the media.",
    ),
    MetricInfo::new(
        MediaMetric::Likes,
        "likes",
        "Likes",
        "The number of likes on the media.",
    ),
    MetricInfo::new(
        MediaMetric::Comments,
        "comments",
        "Comments",
        "The number of comments on the media.",
    ),
    MetricInfo::new(
        MediaMetric::Saved,
        "saved",
        "Saved",
        "The number of saves of the media.",
    ),
    MetricInfo::new(
        MediaMetric::Shares,
        "shares",
        "Shares",
        "The number of shares of the media.",
    ),
    MetricInfo::new(
        MediaMetric::TotalInteractions,
        "total_interactions",
        "Interactions",
        "Likes, saves, comments, shares and replies on the media.",
    ),
    MetricInfo::new(
        MediaMetric::Replies,
        "replies",
        "Replies",
        "The number of replies to the story.",
    ),
    MetricInfo::new(
        MediaMetric::Navigation,
        "navigation",
        "Navigation",
        "Taps forward, back, to the next story and exits from the story.",
    ),
    MetricInfo::new(
        MediaMetric::Follows,
        "follows",
        "Follows",
        "The number of accounts that started following from the story.",
    ),
    MetricInfo::new(
        MediaMetric::ProfileVisits,
        "profile_visits",
        "Profile visits",
        "The number of times the profile was visited from the story.",
    ),
    MetricInfo::new(
        MediaMetric::AverageWatchTime,
        "ig_reels_avg_watch_time",
        "Average watch time",
        "The average time, in milliseconds, the reel was watched.",
    ),
    MetricInfo::new(
        MediaMetric::TotalWatchTime,
        "ig_reels_video_view_total_time",
        "Watch time",
        "The total time, in milliseconds, the reel was watched.",
    ),
    MetricInfo::new(
        MediaMetric::Likes,
        "total_likes",
        "Total likes",
        "Likes on the media, including those from ads.",
    ),
    MetricInfo::new(
        MediaMetric::Comments,
        "total_comments",
        "Total comments",
        "Comments on the media, including those from ads.",
    ),
    MetricInfo::new(
        MediaMetric::Views,
        "total_views",
        "Total views",
        "Views of the media, including those from ads.",
    ),
];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum AccountMetric {
    NewFollowers,
    Reach,
    Views,
    Likes,
    Comments,
    Shares,
    Saves,
    Replies,
    TotalInteractions,
    AccountsEngaged,
}

pub(super) static ACCOUNT_METRICS: [MetricInfo<AccountMetric>; 10] = [
    MetricInfo::new(
        AccountMetric::NewFollowers,
        "follower_count",
        "Follower Count",
        "The number of accounts that started following the account each day.",
    ),
    MetricInfo::new(
        AccountMetric::Reach,
        "reach",
        "Accounts reached",
        "The number of unique accounts that have seen the account's media.",
    ),
    MetricInfo::new(
        AccountMetric::Views,
        "views",
        "Views",
        "The number of times the account's media was played or displayed.",
    ),
    MetricInfo::new(
        AccountMetric::Likes,
        "likes",
        "Likes",
        "The number of likes on the account's media.",
    ),
    MetricInfo::new(
        AccountMetric::Comments,
        "comments",
        "Comments",
        "The number of comments on the account's media.",
    ),
    MetricInfo::new(
        AccountMetric::Shares,
        "shares",
        "Shares",
        "The number of shares of the account's media.",
    ),
    MetricInfo::new(
        AccountMetric::Saves,
        "saves",
        "Saves",
        "The number of saves of the account's media.",
    ),
    MetricInfo::new(
        AccountMetric::Replies,
        "replies",
        "Replies",
        "The number of replies to the account's stories.",
    ),
    MetricInfo::new(
        AccountMetric::TotalInteractions,
        "total_interactions",
        "Interactions",
        "Likes, saves, comments, shares and replies on the account's media.",
    ),
    MetricInfo::new(
        AccountMetric::AccountsEngaged,
        "accounts_engaged",
        "Accounts engaged",
        "The number of accounts that interacted with the account's media.",
    ),
];

/// The metrics a media of this format has on this host.
pub(super) fn offered(format: MediaFormat, network: Network) -> Vec<&'static str> {
    let mut names: Vec<&'static str> = match format {
        MediaFormat::Feed => FEED_METRICS.to_vec(),
        MediaFormat::Reel => FEED_METRICS
            .iter()
            .chain(&REEL_ONLY_METRICS)
            .copied()
            .collect(),
        MediaFormat::Story => STORY_METRICS.to_vec(),
    };
    if network == Network::Facebook && format != MediaFormat::Story {
        names.extend(FACEBOOK_LOGIN_METRICS);
    }
    names
}

/// Whether a media of some product type has `name` on this host.
pub(super) fn offered_anywhere(name: &str, network: Network) -> bool {
    [MediaFormat::Feed, MediaFormat::Reel, MediaFormat::Story]
        .into_iter()
        .any(|format| offered(format, network).contains(&name))
}

pub(super) fn product_type(format: MediaFormat) -> &'static str {
    match format {
        MediaFormat::Feed => "FEED",
        MediaFormat::Reel => "REELS",
        MediaFormat::Story => "STORY",
    }
}

/// What replaced `name`, when it is in `retired`.
pub(super) fn replacement(retired: &[(&str, &'static str)], name: &str) -> Option<&'static str> {
    retired
        .iter()
        .find(|(old, _)| *old == name)
        .map(|(_, new)| *new)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_product_type_offers_its_own_metrics() {
        let story = offered(MediaFormat::Story, Network::Facebook);
        assert!(story.contains(&"replies") && !story.contains(&"likes"));
        let reel = offered(MediaFormat::Reel, Network::Instagram);
        assert!(reel.contains(&"ig_reels_avg_watch_time") && !reel.contains(&"total_likes"));
        assert!(offered(MediaFormat::Feed, Network::Facebook).contains(&"total_likes"));
        assert!(!offered_anywhere("total_views", Network::Instagram));
        assert!(offered_anywhere("navigation", Network::Instagram));
    }

    #[test]
    fn every_offered_metric_is_described_and_no_retired_one_is() {
        for format in [MediaFormat::Feed, MediaFormat::Reel, MediaFormat::Story] {
            for name in offered(format, Network::Facebook) {
                assert!(MEDIA_METRICS.iter().any(|info| info.name == name), "{name}");
            }
        }
        for (old, new) in RETIRED_MEDIA_METRICS {
            assert!(MEDIA_METRICS.iter().all(|info| info.name != old), "{old}");
            assert!(MEDIA_METRICS.iter().any(|info| info.name == new), "{new}");
        }
        assert_eq!(
            replacement(&RETIRED_MEDIA_METRICS, "engagement"),
            Some("total_interactions")
        );
        assert_eq!(replacement(&RETIRED_ACCOUNT_METRICS, "reach"), None);
    }
}
