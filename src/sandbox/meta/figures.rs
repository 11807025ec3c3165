//! The sandbox's made-up audience: every count a published object or an account shows is a
//! pure function of its id and its age (or, for followers, of the time), so reads agree with
//! each other, repeat exactly, and never go down. This is the model's core — drawing from an
//! id, and how an audience gathers — and accounts' followers; `page_post_figures` and
//! `instagram_figures` draw what posts and media count.
//!
//! An object gathers its audience from zero when it goes live: half of it within its first
//! hours, as posts find most of their audience in their first day, the rest trickling in until
//! its horizon (a week to a month; a day for a story), where it levels off. What it levels off
//! at is drawn from a hash of its id, and every count is a share of its reach, so reach ≤
//! views, likes ≤ reactions, and each interaction ≤ the total they add up to.

use chrono::{DateTime, Duration, Utc};

const FNV_OFFSET_BASIS: u64 = 0xcbf2_9ce4_8422_2325;
const FNV_PRIME: u64 = 0x0000_0100_0000_01b3;

/// 2025-01-01T08:00:00Z: accounts count their new followers from this day on.
const FOLLOWERS_EPOCH_SECONDS: i64 = 1_735_718_400;
const DAY_SECONDS: i64 = 86_400;

/// A story is shown, and gathers an audience, for a day.
pub(super) const STORY_HORIZON_HOURS: i64 = 24;

/// FNV-1a, written out: `std::hash` may change between Rust releases, and a figure must not
/// change with the compiler.
pub(super) fn stable_hash(text: &str) -> u64 {
    text.bytes().fold(FNV_OFFSET_BASIS, |hash, byte| {
        (hash ^ u64::from(byte)).wrapping_mul(FNV_PRIME)
    })
}

/// SplitMix64's finaliser: spreads the bits, so ids a digit apart draw unrelated figures.
fn scramble(mut bits: u64) -> u64 {
    bits = (bits ^ (bits >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    bits = (bits ^ (bits >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    bits ^ (bits >> 31)
}

/// A number in `low..=high` drawn for `what` from `seed`: the same on every call.
pub(super) fn draw(seed: u64, what: &str, low: u64, high: u64) -> u64 {
    low + scramble(seed ^ stable_hash(what)) % (high - low + 1)
}

/// `low`..=`high` percent of `base`, the percentage drawn for `what`.
pub(super) fn share(base: u64, seed: u64, what: &str, low: u64, high: u64) -> u64 {
    base * draw(seed, what, low, high) / 100
}

/// When an object gathers its audience: about half by `pace`, all of it by `horizon`.
#[derive(Debug, Clone, Copy)]
pub(super) struct Lifespan {
    pace: Duration,
    horizon: Duration,
}

impl Lifespan {
    /// Feed posts and reels: half their audience within 3 to 24 hours, the rest within a week
    /// to a month.
    pub fn of_a_post(seed: u64) -> Lifespan {
        Lifespan {
            pace: Duration::hours(draw(seed, "pace", 3, 24) as i64),
            horizon: Duration::days(draw(seed, "horizon", 7, 30) as i64),
        }
    }

    /// Stories: half their audience within 2 to 6 hours, all of it within their day.
    pub fn of_a_story(seed: u64) -> Lifespan {
        Lifespan {
            pace: Duration::hours(draw(seed, "pace", 2, 6) as i64),
            horizon: Duration::hours(STORY_HORIZON_HOURS),
        }
    }

    /// How far along its audience an object is at `age`: 0 until it goes live, 1 from the
    /// horizon on. Only operations that round monotonically are used, so it never dips.
    pub fn progress(self, age: Duration) -> f64 {
        let (age, horizon) = (age.num_seconds(), self.horizon.num_seconds());
        if age <= 0 {
            return 0.0;
        }
        if age >= horizon {
            return 1.0;
        }
        let pace = self.pace.num_seconds().max(1);
        let gathered = |seconds: i64| 1.0 - pace as f64 / (seconds + pace) as f64;
        (gathered(age) / gathered(horizon)).min(1.0)
    }
}

/// `plateau` scaled by `progress`, rounded down: never past the plateau.
pub(super) fn grown(plateau: u64, progress: f64) -> u64 {
    (plateau as f64 * progress).floor() as u64
}

/// An account's followers at `at`: a base drawn from its id, then a few new ones each day
/// (from 2025 on), arriving evenly through the day.
pub(super) fn followers_at(account_id: &str, at: DateTime<Utc>) -> u64 {
    let seed = stable_hash(account_id);
    let base = draw(seed, "followers", 120, 4_000);
    let elapsed = at.timestamp() - FOLLOWERS_EPOCH_SECONDS;
    if elapsed <= 0 {
        return base;
    }
    let (whole_days, into_day) = (elapsed / DAY_SECONDS, elapsed % DAY_SECONDS);
    let before_today: u64 = (0..whole_days).map(|day| new_followers(seed, day)).sum();
    let today = new_followers(seed, whole_days) * into_day as u64 / DAY_SECONDS as u64;
    base + before_today + today
}

/// A Page's likes (`fan_count`): most of its followers.
pub(super) fn fans_at(page_id: &str, at: DateTime<Utc>) -> u64 {
    followers_at(page_id, at) * 9 / 10
}

/// New followers on the `day`th day from the epoch: none to twice the account's daily rate.
fn new_followers(seed: u64, day: i64) -> u64 {
    let rate = draw(seed, "follow rate", 1, 6);
    let day_bits = (day as u64).wrapping_mul(0x9e37_79b9_7f4a_7c15);
    scramble(seed ^ stable_hash("follow day") ^ day_bits) % (2 * rate + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_hash_is_fnv_1a_and_does_not_depend_on_the_build() {
        assert_eq!(stable_hash(""), 0xcbf2_9ce4_8422_2325);
        assert_eq!(stable_hash("a"), 0xaf63_dc4c_8601_ec8c);
    }

    #[test]
    fn progress_starts_at_zero_never_dips_and_is_whole_at_the_horizon() {
        let seed = stable_hash("17900000000000001");
        for lifespan in [Lifespan::of_a_post(seed), Lifespan::of_a_story(seed)] {
            assert_eq!(lifespan.progress(Duration::zero()), 0.0);
            assert_eq!(lifespan.progress(Duration::hours(-1)), 0.0);
            let mut last = 0.0;
            for second in (0..=31 * 86_400).step_by(97) {
                let now = lifespan.progress(Duration::seconds(second));
                assert!(now >= last && now <= 1.0, "{lifespan:?} at {second} s");
                last = now;
            }
            assert_eq!(lifespan.progress(lifespan.horizon), 1.0);
            assert!(lifespan.progress(lifespan.pace) >= 0.5);
        }
    }

    #[test]
    fn draws_stay_in_their_range() {
        for number in 0..200 {
            let seed = stable_hash(&number.to_string());
            let drawn = draw(seed, "reach", 150, 2_400);
            assert!((150..=2_400).contains(&drawn));
            assert_eq!(drawn, draw(seed, "reach", 150, 2_400));
        }
        assert_eq!(grown(7, 1.0), 7);
        assert_eq!(grown(7, 0.99), 6);
    }

    #[test]
    fn followers_grow_by_a_few_each_day_and_never_drop() {
        let start =
            DateTime::from_timestamp(FOLLOWERS_EPOCH_SECONDS + 400 * DAY_SECONDS, 0).unwrap();
        let mut last = followers_at("17841400000000001", start);
        assert!(last >= 120);
        for hour in 1..=24 * 10 {
            let now = followers_at("17841400000000001", start + Duration::hours(hour));
            assert!(now >= last);
            last = now;
        }
        for day in 0..30 {
            let morning = start + Duration::days(day);
            let gained = followers_at("1000000000000001", morning + Duration::days(1))
                - followers_at("1000000000000001", morning);
            assert!(gained <= 12, "{gained} on day {day}");
        }
        assert!(fans_at("1000000000000001", start) <= followers_at("1000000000000001", start));
    }
}
