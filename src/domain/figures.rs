//! Figures: how a published post or a connected account did, in Herald's own words for every
//! network, and when Herald takes its snapshots of them. A metric a network does not give is
//! absent, never zero.

use serde::{Deserialize, Serialize};

/// One kind of figure. Each network's provider says which of its own metrics it reads as which.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Metric {
    /// How often the post was seen (Meta's "views", which replaced impressions).
    Views,
    /// How many accounts saw it at least once.
    Reach,
    /// Likes, or every reaction where the network has several kinds.
    Likes,
    Comments,
    Shares,
    Saves,
    /// Clicks on the post (links, pictures, "see more").
    Clicks,
    /// Everything people did with it, as the network totals it.
    Interactions,
    /// An account's followers when the snapshot was taken.
    Followers,
    /// Followers an account gained in the day before the snapshot.
    NewFollowers,
}

text_forms!(Metric {
    Views => "views",
    Reach => "reach",
    Likes => "likes",
    Comments => "comments",
    Shares => "shares",
    Saves => "saves",
    Clicks => "clicks",
    Interactions => "interactions",
    Followers => "followers",
    NewFollowers => "new_followers",
});

impl Metric {
    /// The metrics a post can have, in the order pages and CSV files show them.
    pub const OF_POSTS: [Metric; 8] = [
        Metric::Views,
        Metric::Reach,
        Metric::Likes,
        Metric::Comments,
        Metric::Shares,
        Metric::Saves,
        Metric::Clicks,
        Metric::Interactions,
    ];

    /// What people did with a post, as engagement rates count it.
    pub const ENGAGEMENT: [Metric; 5] = [
        Metric::Likes,
        Metric::Comments,
        Metric::Shares,
        Metric::Saves,
        Metric::Clicks,
    ];
}

/// One value of one metric.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Figure {
    pub metric: Metric,
    pub value: i64,
}

/// The figures of one snapshot, each metric at most once.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Figures(pub Vec<Figure>);

impl Figures {
    pub fn get(&self, metric: Metric) -> Option<i64> {
        self.0
            .iter()
            .find(|figure| figure.metric == metric)
            .map(|figure| figure.value)
    }

    /// Sets `metric` to `value`, replacing an earlier value of it.
    pub fn set(&mut self, metric: Metric, value: i64) {
        match self.0.iter_mut().find(|figure| figure.metric == metric) {
            Some(figure) => figure.value = value,
            None => self.0.push(Figure { metric, value }),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Likes, comments, shares, saves and clicks together; None when none of them is known.
    pub fn engagement(&self) -> Option<i64> {
        let known: Vec<i64> = Metric::ENGAGEMENT
            .iter()
            .filter_map(|metric| self.get(*metric))
            .collect();
        (!known.is_empty()).then(|| known.iter().sum())
    }

    /// Engagement per person reached (or per view where reach is not given), as a fraction;
    /// None when either side is unknown or nobody saw the post. `target_figures` keeps this
    /// with each target's figures (its migration computes it too): a new formula needs a
    /// migration that computes it again.
    pub fn engagement_rate(&self) -> Option<f64> {
        let seen = self
            .get(Metric::Reach)
            .or_else(|| self.get(Metric::Views))?;
        (seen > 0).then(|| {
            self.engagement()
                .map(|engaged| engaged as f64 / seen as f64)
        })?
    }
}

/// After publishing, when Herald takes each snapshot of a post's figures, in hours.
pub const POST_SNAPSHOT_HOURS: [i64; 4] = [1, 24, 7 * 24, 30 * 24];

/// How far a snapshot may be put off past its time so that a burst of posts does not become a
/// burst of calls: a tenth of its delay, at most six hours, chosen from the post and account so
/// it never changes.
pub fn snapshot_spread_millis(delay_hours: i64, seed: u64) -> i64 {
    let most = (delay_hours * 3_600_000 / 10).min(6 * 3_600_000);
    (seed % (most as u64 + 1)) as i64
}

/// A stable hash (FNV-1a) of the target, so its spread is the same on every run and instance.
pub fn spread_seed(parts: &[&str]) -> u64 {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for part in parts {
        for byte in part.bytes().chain(std::iter::once(0)) {
            hash ^= u64::from(byte);
            hash = hash.wrapping_mul(0x0100_0000_01b3);
        }
    }
    hash
}

/// When the snapshot after `now` falls due for a post published at `published_at` (Unix
/// milliseconds), or None once the last one has been taken. A snapshot whose time passed
/// while Herald was stopped is not taken late one by one: the job takes one now and goes on
/// with the next still ahead.
pub fn next_post_snapshot(published_at: i64, now: i64, seed: u64) -> Option<i64> {
    POST_SNAPSHOT_HOURS
        .iter()
        .map(|hours| published_at + hours * 3_600_000 + snapshot_spread_millis(*hours, seed))
        .find(|due| *due > now)
}

#[cfg(test)]
mod tests {
    use super::*;

    const HOUR: i64 = 3_600_000;

    #[test]
    fn metrics_read_back_what_they_write() {
        for metric in Metric::ALL {
            assert_eq!(Metric::parse(metric.as_str()), Some(*metric));
        }
        assert_eq!(Metric::parse("impressions"), None);
    }

    #[test]
    fn snapshots_fall_due_at_one_hour_a_day_a_week_and_a_month_give_or_take_a_tenth() {
        let published = 1_800_000_000_000;
        for seed in [0, 1, 7_777, u64::MAX] {
            let mut now = published;
            for hours in POST_SNAPSHOT_HOURS {
                let due = next_post_snapshot(published, now, seed).unwrap();
                let delay = due - published;
                assert!(delay >= hours * HOUR, "{hours} h: {delay}");
                assert!(delay <= hours * HOUR + (hours * HOUR / 10).min(6 * HOUR));
                now = due;
            }
            assert_eq!(next_post_snapshot(published, now, seed), None);
        }
    }

    #[test]
    fn a_snapshot_missed_while_stopped_is_not_taken_late_twice() {
        let published = 1_800_000_000_000;
        let three_days_later = published + 72 * HOUR;
        let due = next_post_snapshot(published, three_days_later, 0).unwrap();
        assert_eq!(due, published + 7 * 24 * HOUR);
    }

    #[test]
    fn the_spread_is_stable_and_differs_between_targets() {
        assert_eq!(
            spread_seed(&["post", "account"]),
            spread_seed(&["post", "account"])
        );
        assert_ne!(
            spread_seed(&["post", "account"]),
            spread_seed(&["posta", "ccount"])
        );
    }

    #[test]
    fn absent_figures_are_not_counted_as_zero() {
        let mut figures = Figures::default();
        assert_eq!(figures.engagement(), None);
        assert_eq!(figures.engagement_rate(), None);
        figures.set(Metric::Likes, 4);
        figures.set(Metric::Comments, 1);
        assert_eq!(figures.engagement(), Some(5));
        assert_eq!(
            figures.engagement_rate(),
            None,
            "nobody known to have seen it"
        );
        figures.set(Metric::Views, 50);
        assert_eq!(figures.engagement_rate(), Some(0.1));
        figures.set(Metric::Reach, 20);
        assert_eq!(figures.engagement_rate(), Some(0.25));
    }
}
