//! What an Instagram media counts in the growth model of `figures`: reach, views and the
//! interactions its product type has (a story's replies and navigation, a reel's watch time),
//! drawn from its id and grown with its age.

use chrono::Duration;

use super::figures::{Lifespan, draw, grown, share, stable_hash};

/// Instagram's media product types, as far as figures differ between them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum MediaFormat {
    Feed,
    Reel,
    Story,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(super) struct MediaFigures {
    pub reach: u64,
    pub views: u64,
    pub likes: u64,
    pub comments: u64,
    pub saved: u64,
    pub shares: u64,
    pub replies: u64,
    pub navigation: u64,
    pub follows: u64,
    pub profile_visits: u64,
    /// Reels only, in milliseconds.
    pub average_watch_ms: u64,
    pub watch_time_ms: u64,
}

impl MediaFigures {
    /// Likes, comments, saves, shares and replies, each counted once.
    pub fn total_interactions(&self) -> u64 {
        self.likes + self.comments + self.saved + self.shares + self.replies
    }

    fn scaled(&self, progress: f64) -> MediaFigures {
        MediaFigures {
            reach: grown(self.reach, progress),
            views: grown(self.views, progress),
            likes: grown(self.likes, progress),
            comments: grown(self.comments, progress),
            saved: grown(self.saved, progress),
            shares: grown(self.shares, progress),
            replies: grown(self.replies, progress),
            navigation: grown(self.navigation, progress),
            follows: grown(self.follows, progress),
            profile_visits: grown(self.profile_visits, progress),
            average_watch_ms: 0,
            watch_time_ms: 0,
        }
    }
}

/// An Instagram media `age` after it was published.
pub(super) fn at_age(id: &str, age: Duration, format: MediaFormat) -> MediaFigures {
    let seed = stable_hash(id);
    let (lifespan, reach) = match format {
        MediaFormat::Feed => (Lifespan::of_a_post(seed), draw(seed, "reach", 150, 3_000)),
        MediaFormat::Reel => (Lifespan::of_a_post(seed), draw(seed, "reach", 300, 8_000)),
        MediaFormat::Story => (Lifespan::of_a_story(seed), draw(seed, "reach", 40, 400)),
    };
    let views = reach + share(reach, seed, "views", 20, 150);
    let plateau = match format {
        MediaFormat::Feed | MediaFormat::Reel => {
            let likes = share(reach, seed, "likes", 4, 14);
            MediaFigures {
                reach,
                views,
                likes,
                comments: share(likes, seed, "comments", 5, 25),
                saved: share(likes, seed, "saved", 5, 20),
                shares: share(likes, seed, "shares", 3, 20),
                ..MediaFigures::default()
            }
        }
        MediaFormat::Story => MediaFigures {
            reach,
            views,
            replies: share(reach, seed, "replies", 0, 3),
            shares: share(reach, seed, "shares", 0, 2),
            follows: share(reach, seed, "follows", 0, 2),
            profile_visits: share(reach, seed, "profile visits", 1, 6),
            navigation: share(views, seed, "navigation", 30, 90),
            ..MediaFigures::default()
        },
    };
    let mut figures = plateau.scaled(lifespan.progress(age));
    if format == MediaFormat::Reel && figures.views > 0 {
        figures.average_watch_ms = draw(seed, "average watch", 2_500, 14_000);
        figures.watch_time_ms = figures.average_watch_ms * figures.views;
    }
    figures
}

#[cfg(test)]
mod tests {
    use super::*;

    const IDS: [&str; 3] = [
        "17900000000000001",
        "17900000000000002",
        "17900000000000003",
    ];
    const FORMATS: [MediaFormat; 3] = [MediaFormat::Feed, MediaFormat::Reel, MediaFormat::Story];

    /// Every 37 minutes over 40 days: past every horizon, at odd points within days.
    fn ages() -> impl Iterator<Item = Duration> {
        (0..=40 * 24 * 60 / 37).map(|step| Duration::minutes(step * 37))
    }

    fn counts(figures: &MediaFigures) -> [u64; 13] {
        [
            figures.reach,
            figures.views,
            figures.likes,
            figures.comments,
            figures.saved,
            figures.shares,
            figures.replies,
            figures.navigation,
            figures.follows,
            figures.profile_visits,
            figures.average_watch_ms,
            figures.watch_time_ms,
            figures.total_interactions(),
        ]
    }

    #[test]
    fn the_same_media_at_the_same_age_counts_the_same() {
        let age = Duration::hours(50);
        for format in FORMATS {
            assert_eq!(at_age(IDS[0], age, format), at_age(IDS[0], age, format));
        }
    }

    #[test]
    fn counts_never_go_down_as_a_media_ages() {
        for id in IDS {
            for format in FORMATS {
                let mut last = [0; 13];
                for age in ages() {
                    let now = counts(&at_age(id, age, format));
                    assert!(
                        now.iter().zip(last).all(|(now, before)| *now >= before),
                        "{id} {format:?} at {age}"
                    );
                    last = now;
                }
            }
        }
    }

    #[test]
    fn nothing_is_counted_at_publication_and_a_story_stops_after_its_day() {
        for id in IDS {
            for format in FORMATS {
                assert_eq!(
                    at_age(id, Duration::zero(), format),
                    MediaFigures::default()
                );
            }
            assert_eq!(
                at_age(id, Duration::hours(24), MediaFormat::Story),
                at_age(id, Duration::days(9), MediaFormat::Story)
            );
        }
    }

    #[test]
    fn a_day_old_post_has_likes_and_half_its_reach() {
        for number in 0..300 {
            let id = format!("1790000000000{number:04}");
            let day_old = at_age(&id, Duration::days(1), MediaFormat::Feed);
            assert!(day_old.likes > 0, "{id}");
            let settled = at_age(&id, Duration::days(30), MediaFormat::Feed);
            assert!(day_old.reach * 2 >= settled.reach, "{id}");
        }
    }

    #[test]
    fn each_media_draws_its_own_audience() {
        let reaches: Vec<u64> = IDS
            .iter()
            .map(|id| at_age(id, Duration::days(40), MediaFormat::Feed).reach)
            .collect();
        assert!(
            reaches.windows(2).any(|pair| pair[0] != pair[1]),
            "{reaches:?}"
        );
    }

    #[test]
    fn counts_keep_plausible_relations() {
        for id in IDS {
            for age in ages().step_by(17) {
                for format in FORMATS {
                    let media = at_age(id, age, format);
                    assert!(media.reach <= media.views);
                    assert!(media.likes <= media.reach);
                    let parts = media.likes + media.comments + media.saved + media.shares;
                    assert!(parts <= media.total_interactions());
                    assert!(media.navigation <= media.views);
                }
            }
        }
    }
}
