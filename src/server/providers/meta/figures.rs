//! How Facebook Pages and Instagram accounts report their figures in Herald's metrics (spec
//! §6): which Graph metrics are asked for — never a deprecated one — what each becomes, and
//! what a refusal means. Insights need a permission the account may lack; the public counters
//! do not, so a post without insights still shows its likes and comments.

use chrono::{DateTime, Utc};

use super::insights_calls::Insight;
use super::publishing_calls::GraphHost;
use super::{MetaClient, MetaError, MetaErrorKind};
use crate::domain::accounts::Connection;
use crate::domain::figures::{Figures, Metric};
use crate::domain::post::PostFormat;
use crate::server::providers::{FiguresRead, Permission, ProviderError, PublishedPost, Reader};

/// A Page post's lifetime insights (§6.1's safe set; `post_media_view` is UNCERTAIN, so not
/// asked for: an unknown metric fails the whole call).
const PAGE_POST_METRICS: [(&str, Metric); 3] = [
    ("post_total_media_view_unique", Metric::Reach),
    ("post_reactions_by_type_total", Metric::Likes),
    ("post_clicks", Metric::Clicks),
];

/// A Page's day (§6.1).
const PAGE_DAY_METRICS: [(&str, Metric); 3] = [
    ("page_total_media_view_unique", Metric::Reach),
    ("page_post_engagements", Metric::Interactions),
    ("page_daily_follows", Metric::NewFollowers),
];

/// A feed post's or a Reel's insights (§6.2); `impressions`, `plays`, `video_views` and
/// `engagement` are deprecated.
const INSTAGRAM_MEDIA_METRICS: [(&str, Metric); 7] = [
    ("views", Metric::Views),
    ("reach", Metric::Reach),
    ("likes", Metric::Likes),
    ("comments", Metric::Comments),
    ("saved", Metric::Saves),
    ("shares", Metric::Shares),
    ("total_interactions", Metric::Interactions),
];

/// A Story has no likes, comments or saves.
const INSTAGRAM_STORY_METRICS: [(&str, Metric); 4] = [
    ("views", Metric::Views),
    ("reach", Metric::Reach),
    ("shares", Metric::Shares),
    ("total_interactions", Metric::Interactions),
];

/// An Instagram account's day (§6.2, account level): `follower_count` is the day's new
/// followers.
const INSTAGRAM_DAY_METRICS: [(&str, Metric); 2] = [
    ("reach", Metric::Reach),
    ("follower_count", Metric::NewFollowers),
];

/// How an insights call ended, once Meta's refusals are read.
enum Insights {
    Read(Vec<Insight>),
    /// The account lacks the permission: figures that need it stay absent.
    PermissionMissing,
    /// Meta has none for this object (too few viewers, a metric it does not keep for this
    /// kind of post): the counters are all there is.
    NoneHere,
}

fn insights(answer: Result<Vec<Insight>, MetaError>) -> Result<Insights, ProviderError> {
    match answer {
        Ok(insights) => Ok(Insights::Read(insights)),
        // Instagram answers a media seen by too few people with code 10, the code of a missing
        // permission: only its words tell them apart (§6.2).
        Err(error)
            if error
                .message
                .to_ascii_lowercase()
                .contains("not enough viewers") =>
        {
            Ok(Insights::NoneHere)
        }
        Err(error) if error.kind == MetaErrorKind::PermissionMissing => {
            Ok(Insights::PermissionMissing)
        }
        Err(error) if error.kind == MetaErrorKind::Invalid => Ok(Insights::NoneHere),
        Err(error) => Err(error.into()),
    }
}

impl Insights {
    /// Puts what was read into `read`, and what the answer says of the permission.
    fn apply_to(self, read: &mut FiguresRead, table: &[(&str, Metric)], permission: &'static str) {
        match self {
            Insights::Read(found) => {
                put(&mut read.figures, table, &found);
                if read.permission == Permission::Unknown {
                    read.permission = Permission::Granted;
                }
            }
            Insights::PermissionMissing => read.permission = Permission::Missing(permission),
            Insights::NoneHere => {}
        }
    }
}

/// Sets each insight the table names as its metric: its newest value. A daily metric is asked
/// for the day before, and only its newest day is kept: a window that crosses two day
/// boundaries must not count a day twice, and reach does not add up across days.
fn put(figures: &mut Figures, table: &[(&str, Metric)], read: &[Insight]) {
    for insight in read {
        if let Some((_, metric)) = table.iter().find(|(name, _)| *name == insight.name)
            && let Some(value) = insight.latest()
        {
            figures.set(*metric, value);
        }
    }
}

fn names(table: &[(&'static str, Metric)]) -> Vec<&'static str> {
    table.iter().map(|(name, _)| *name).collect()
}

/// The Graph host of an Instagram account, by how it connected, with the permission its
/// insights need and the one its public counters need.
fn instagram_reach(connection: Connection) -> (GraphHost, &'static str, &'static str) {
    match connection {
        Connection::InstagramLogin => (
            GraphHost::Instagram,
            "instagram_business_manage_insights",
            "instagram_business_basic",
        ),
        _ => (
            GraphHost::Facebook,
            "instagram_manage_insights",
            "instagram_basic",
        ),
    }
}

/// A counter refused as an unknown field is no counter; one refused for want of a permission
/// is none either, and says which permission (`permission`) in `read`.
fn counters<T: Default>(
    answer: Result<T, MetaError>,
    read: &mut FiguresRead,
    permission: &'static str,
) -> Result<T, ProviderError> {
    match answer {
        Err(error) if error.kind == MetaErrorKind::Invalid => {
            tracing::info!(error = %error, "a counter Meta refused is left out");
            Ok(T::default())
        }
        Err(error) if error.kind == MetaErrorKind::PermissionMissing => {
            read.permission = Permission::Missing(permission);
            Ok(T::default())
        }
        other => other.map_err(ProviderError::from),
    }
}

/// The day before `now`, in Unix seconds, as `since` and `until`.
fn day_before(now: DateTime<Utc>) -> (i64, i64) {
    let until = now.timestamp();
    (until - 86_400, until)
}

impl MetaClient {
    pub async fn page_post_figures(
        &self,
        reader: &Reader,
        post: &PublishedPost,
    ) -> Result<FiguresRead, ProviderError> {
        let token = &reader.token;
        let mut read = FiguresRead::default();
        let answer = self
            .object_insights(
                GraphHost::Facebook,
                &post.remote_id,
                token,
                &names(&PAGE_POST_METRICS),
            )
            .await;
        insights(answer)?.apply_to(&mut read, &PAGE_POST_METRICS, "read_insights");
        // A video's own id has no `shares`: asked without it, its reactions and comments
        // still count.
        let mut answer = self.page_post_counters(&post.remote_id, token, true).await;
        if matches!(&answer, Err(error) if error.kind == MetaErrorKind::Invalid) {
            answer = self.page_post_counters(&post.remote_id, token, false).await;
        }
        let counted = counters(answer, &mut read, "pages_read_engagement")?;
        if read.figures.get(Metric::Likes).is_none()
            && let Some(reactions) = counted.reactions
        {
            read.figures.set(Metric::Likes, reactions);
        }
        if let Some(comments) = counted.comments {
            read.figures.set(Metric::Comments, comments);
        }
        if let Some(shares) = counted.shares {
            read.figures.set(Metric::Shares, shares);
        }
        Ok(read)
    }

    pub async fn page_figures(
        &self,
        reader: &Reader,
        now: DateTime<Utc>,
    ) -> Result<FiguresRead, ProviderError> {
        let mut read = FiguresRead::default();
        let (page, token) = (&reader.remote_account, &reader.token);
        let followers = self.followers(GraphHost::Facebook, page, token).await;
        if let Some(followers) = counters(followers, &mut read, "pages_read_engagement")? {
            read.figures.set(Metric::Followers, followers);
        }
        let answer = self
            .daily_insights(
                GraphHost::Facebook,
                page,
                token,
                &names(&PAGE_DAY_METRICS),
                day_before(now),
            )
            .await;
        insights(answer)?.apply_to(&mut read, &PAGE_DAY_METRICS, "read_insights");
        Ok(read)
    }

    pub async fn instagram_media_figures(
        &self,
        reader: &Reader,
        post: &PublishedPost,
    ) -> Result<FiguresRead, ProviderError> {
        let (host, permission, basic) = instagram_reach(reader.connection);
        let table: &[(&str, Metric)] = match post.format {
            PostFormat::Story => &INSTAGRAM_STORY_METRICS,
            PostFormat::Feed => &INSTAGRAM_MEDIA_METRICS,
        };
        let mut read = FiguresRead::default();
        let answer = self
            .object_insights(host, &post.remote_id, &reader.token, &names(table))
            .await;
        insights(answer)?.apply_to(&mut read, table, permission);
        if post.format == PostFormat::Feed {
            let counted = counters(
                self.instagram_media_counters(host, &post.remote_id, &reader.token)
                    .await,
                &mut read,
                basic,
            )?;
            for (metric, value) in [
                (Metric::Likes, counted.likes),
                (Metric::Comments, counted.comments),
            ] {
                if let Some(value) = value
                    && read.figures.get(metric).is_none()
                {
                    read.figures.set(metric, value);
                }
            }
        }
        Ok(read)
    }

    pub async fn instagram_account_figures(
        &self,
        reader: &Reader,
        now: DateTime<Utc>,
    ) -> Result<FiguresRead, ProviderError> {
        let (host, permission, basic) = instagram_reach(reader.connection);
        let (account, token) = (&reader.remote_account, &reader.token);
        let mut read = FiguresRead::default();
        let followers = self.followers(host, account, token).await;
        if let Some(followers) = counters(followers, &mut read, basic)? {
            read.figures.set(Metric::Followers, followers);
        }
        let answer = self
            .daily_insights(
                host,
                account,
                token,
                &names(&INSTAGRAM_DAY_METRICS),
                day_before(now),
            )
            .await;
        insights(answer)?.apply_to(&mut read, &INSTAGRAM_DAY_METRICS, permission);
        Ok(read)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every metric Meta has deprecated (spec §6.1, §6.2): asking for one fails the call.
    const DEPRECATED: [&str; 14] = [
        "page_impressions",
        "page_impressions_unique",
        "page_fans",
        "page_fan_adds",
        "page_engaged_users",
        "page_consumptions",
        "post_impressions",
        "post_impressions_unique",
        "post_engaged_users",
        "impressions",
        "plays",
        "video_views",
        "engagement",
        "clips_replays_count",
    ];

    #[test]
    fn no_deprecated_metric_is_ever_asked_for() {
        let tables: [&[(&str, Metric)]; 5] = [
            &PAGE_POST_METRICS,
            &PAGE_DAY_METRICS,
            &INSTAGRAM_MEDIA_METRICS,
            &INSTAGRAM_STORY_METRICS,
            &INSTAGRAM_DAY_METRICS,
        ];
        for table in tables {
            for (name, _) in table {
                assert!(!DEPRECATED.contains(name), "{name}");
            }
        }
    }

    #[test]
    fn too_few_viewers_is_no_figures_yet_not_a_missing_permission() {
        let mut error =
            MetaError::temporary("(#10) Not enough viewers for the media to show insights");
        error.kind = MetaErrorKind::PermissionMissing;
        error.code = Some(10);
        assert!(matches!(insights(Err(error)), Ok(Insights::NoneHere)));
        let mut refused = MetaError::temporary("(#10) Application does not have permission");
        refused.kind = MetaErrorKind::PermissionMissing;
        assert!(matches!(
            insights(Err(refused)),
            Ok(Insights::PermissionMissing)
        ));
        assert!(insights(Err(MetaError::temporary("reset"))).is_err());
    }
}
