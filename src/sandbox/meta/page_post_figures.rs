//! What a Page post counts in the growth model of `figures`: its reach and views, reactions by
//! type, comments, shares and clicks by type, drawn from its id and grown with its age.

use chrono::Duration;

use super::figures::{Lifespan, draw, grown, share, stable_hash};

/// Reactions by type, keyed as `post_reactions_by_type_total` keys them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(super) struct Reactions {
    pub like: u64,
    pub love: u64,
    pub wow: u64,
    pub haha: u64,
    pub sorry: u64,
    pub anger: u64,
}

impl Reactions {
    pub fn total(&self) -> u64 {
        self.by_type().iter().map(|(_, count)| count).sum()
    }

    pub fn by_type(&self) -> [(&'static str, u64); 6] {
        [
            ("like", self.like),
            ("love", self.love),
            ("wow", self.wow),
            ("haha", self.haha),
            ("sorry", self.sorry),
            ("anger", self.anger),
        ]
    }

    /// The count a `reactions.type(…)` filter reads; kinds never drawn here (CARE…) have none.
    pub fn of_type(&self, reaction_type: &str) -> u64 {
        match reaction_type.to_ascii_uppercase().as_str() {
            "LIKE" => self.like,
            "LOVE" => self.love,
            "WOW" => self.wow,
            "HAHA" => self.haha,
            "SAD" => self.sorry,
            "ANGRY" => self.anger,
            _ => 0,
        }
    }
}

/// What can be clicked in a Page post besides "other clicks".
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(super) struct Clickable {
    pub link: bool,
    pub photo: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(super) struct PagePostFigures {
    /// People who saw it (`post_total_media_view_unique`).
    pub reach: u64,
    /// Times it was seen (`post_media_view`).
    pub views: u64,
    pub reactions: Reactions,
    pub comments: u64,
    pub shares: u64,
    pub link_clicks: u64,
    pub photo_views: u64,
    pub other_clicks: u64,
}

impl PagePostFigures {
    pub fn clicks(&self) -> u64 {
        self.clicks_by_type().iter().map(|(_, count)| count).sum()
    }

    /// Keyed as `post_clicks_by_type` keys them.
    pub fn clicks_by_type(&self) -> [(&'static str, u64); 3] {
        [
            ("link clicks", self.link_clicks),
            ("other clicks", self.other_clicks),
            ("photo view", self.photo_views),
        ]
    }

    /// Reactions, comments, shares and clicks: what `page_post_engagements` counts.
    pub fn engagements(&self) -> u64 {
        self.reactions.total() + self.comments + self.shares + self.clicks()
    }
}

/// A Page post `age` after it went live.
pub(super) fn at_age(id: &str, age: Duration, clickable: Clickable) -> PagePostFigures {
    let seed = stable_hash(id);
    let reach = draw(seed, "reach", 150, 2_400);
    let reacting = share(reach, seed, "reactions", 4, 14);
    let plateau = PagePostFigures {
        reach,
        views: reach + share(reach, seed, "views", 20, 150),
        reactions: Reactions {
            like: share(reacting, seed, "like", 55, 80),
            love: share(reacting, seed, "love", 8, 20),
            wow: share(reacting, seed, "wow", 0, 6),
            haha: share(reacting, seed, "haha", 0, 6),
            sorry: share(reacting, seed, "sorry", 0, 3),
            anger: share(reacting, seed, "anger", 0, 2),
        },
        comments: share(reacting, seed, "comments", 5, 30),
        shares: share(reacting, seed, "shares", 3, 20),
        link_clicks: if clickable.link {
            share(reach, seed, "link clicks", 3, 12)
        } else {
            0
        },
        photo_views: if clickable.photo {
            share(reach, seed, "photo views", 4, 15)
        } else {
            0
        },
        other_clicks: share(reach, seed, "other clicks", 1, 5),
    };
    let now = Lifespan::of_a_post(seed).progress(age);
    let reactions = &plateau.reactions;
    PagePostFigures {
        reach: grown(plateau.reach, now),
        views: grown(plateau.views, now),
        reactions: Reactions {
            like: grown(reactions.like, now),
            love: grown(reactions.love, now),
            wow: grown(reactions.wow, now),
            haha: grown(reactions.haha, now),
            sorry: grown(reactions.sorry, now),
            anger: grown(reactions.anger, now),
        },
        comments: grown(plateau.comments, now),
        shares: grown(plateau.shares, now),
        link_clicks: grown(plateau.link_clicks, now),
        photo_views: grown(plateau.photo_views, now),
        other_clicks: grown(plateau.other_clicks, now),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const IDS: [&str; 3] = [
        "1000000000000001_122100000000000001",
        "1000000000000001_122100000000000002",
        "1000000000000002_122100000000000003",
    ];

    /// Every 37 minutes over 40 days: past every horizon, at odd points within days.
    fn ages() -> impl Iterator<Item = Duration> {
        (0..=40 * 24 * 60 / 37).map(|step| Duration::minutes(step * 37))
    }

    fn counts(figures: &PagePostFigures) -> [u64; 10] {
        [
            figures.reach,
            figures.views,
            figures.reactions.total(),
            figures.reactions.like,
            figures.reactions.love,
            figures.comments,
            figures.shares,
            figures.clicks(),
            figures.link_clicks,
            figures.engagements(),
        ]
    }

    const EVERYTHING: Clickable = Clickable {
        link: true,
        photo: true,
    };

    #[test]
    fn the_same_post_at_the_same_age_counts_the_same() {
        let age = Duration::hours(50);
        assert_eq!(
            at_age(IDS[0], age, EVERYTHING),
            at_age(IDS[0], age, EVERYTHING)
        );
    }

    #[test]
    fn counts_never_go_down_as_a_post_ages() {
        for id in IDS {
            let mut last = [0; 10];
            for age in ages() {
                let now = counts(&at_age(id, age, EVERYTHING));
                assert!(
                    now.iter().zip(last).all(|(now, before)| *now >= before),
                    "{id} at {age}"
                );
                last = now;
            }
        }
    }

    #[test]
    fn nothing_is_counted_before_publication_and_growth_stops_within_a_month() {
        for id in IDS {
            let zero = PagePostFigures::default();
            assert_eq!(at_age(id, Duration::zero(), EVERYTHING), zero);
            assert_eq!(at_age(id, Duration::hours(-3), EVERYTHING), zero);
            assert_eq!(
                at_age(id, Duration::days(30), EVERYTHING),
                at_age(id, Duration::days(300), EVERYTHING)
            );
        }
    }

    #[test]
    fn a_day_old_post_already_has_likes() {
        for number in 0..300 {
            let id = format!("1000000000000001_1221000000000{number:05}");
            let day_old = at_age(&id, Duration::days(1), Clickable::default());
            assert!(day_old.reactions.like > 0, "{id}");
        }
    }

    #[test]
    fn counts_keep_plausible_relations_and_only_what_can_be_clicked_is() {
        for id in IDS {
            for age in ages().step_by(17) {
                let link = Clickable {
                    link: true,
                    photo: false,
                };
                let post = at_age(id, age, link);
                assert!(post.reach <= post.views);
                assert!(post.reactions.like <= post.reactions.total());
                assert!(post.reactions.total() <= post.reach);
                assert_eq!(post.photo_views, 0);
            }
        }
        let reactions = at_age(IDS[1], Duration::days(40), EVERYTHING).reactions;
        assert_eq!(reactions.of_type("like"), reactions.like);
        assert_eq!(reactions.of_type("SAD"), reactions.sorry);
        assert_eq!(reactions.of_type("CARE"), 0);
    }
}
