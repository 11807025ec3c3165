//! A time zone's offsets from UTC as a list of the moments they change: all the browser needs
//! to show and pick times in the person's zone, sent with the page instead of the whole tz
//! database (half a megabyte of the bundle). The server reads the list off the tz database
//! (`server::time_zones`); both sides then convert with this same code.

use std::borrow::Cow;

use chrono::{DateTime, Duration, NaiveDateTime, Utc};
use serde::{Deserialize, Serialize};

/// Offsets in seconds east of UTC; instants in Unix seconds.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ZoneRules {
    /// The offset before the first change (or always, for a zone that never changes).
    initial: i32,
    /// Each change: the instant it takes effect and the offset from then on, in order.
    changes: Cow<'static, [(i64, i32)]>,
}

impl ZoneRules {
    /// A zone whose offset never changes.
    pub const fn fixed(offset: i32) -> ZoneRules {
        ZoneRules {
            initial: offset,
            changes: Cow::Borrowed(&[]),
        }
    }

    /// `changes` in order of their instants, each differing from the offset before it.
    pub fn new(initial: i32, changes: Vec<(i64, i32)>) -> ZoneRules {
        ZoneRules {
            initial,
            changes: Cow::Owned(changes),
        }
    }

    /// The offset in force at `seconds` (Unix time).
    pub fn offset_at(&self, seconds: i64) -> i32 {
        match self.changes.partition_point(|(at, _)| *at <= seconds) {
            0 => self.initial,
            after => self.changes[after - 1].1,
        }
    }

    /// The offsets in force over `[from, to)` (Unix milliseconds): the one at `from`, then each
    /// change before `to`, as (the millisecond it starts, the offset in milliseconds). The
    /// database turns UTC instants into wall-clock days and hours with these.
    pub fn offsets_between(&self, from: i64, to: i64) -> Vec<(i64, i64)> {
        let offset_millis = |offset: i32| i64::from(offset) * 1000;
        let first = self.offset_at(from.div_euclid(1000));
        let mut offsets = vec![(from, offset_millis(first))];
        offsets.extend(
            self.changes
                .iter()
                .map(|(at, offset)| (at * 1000, offset_millis(*offset)))
                .filter(|(at, _)| *at > from && *at < to),
        );
        offsets
    }

    /// The wall-clock time in this zone of a moment given in Unix milliseconds.
    pub fn local(&self, millis: i64) -> Option<NaiveDateTime> {
        let at = DateTime::<Utc>::from_timestamp_millis(millis)?;
        let offset = self.offset_at(millis.div_euclid(1000));
        Some(at.naive_utc() + Duration::seconds(i64::from(offset)))
    }

    /// The instant (Unix milliseconds) a wall-clock time names. A time the clocks skip (02:30
    /// when they go from 02:00 to 03:00) is read with the offset before the change, landing as
    /// far past the gap as it was into it (03:30); a time that happens twice (the hour repeated
    /// in autumn) is the first.
    pub fn instant_of(&self, local: NaiveDateTime) -> i64 {
        let as_if_utc = local.and_utc().timestamp();
        // Every offset in force within a day either side could be the one the clock showed;
        // the earliest instant among those that really were in force then is the answer.
        let day = 86_400;
        let start = self
            .changes
            .partition_point(|(at, _)| *at <= as_if_utc - day);
        let end = self
            .changes
            .partition_point(|(at, _)| *at <= as_if_utc + day);
        let mut candidates = vec![match start {
            0 => self.initial,
            start => self.changes[start - 1].1,
        }];
        candidates.extend(self.changes[start..end].iter().map(|(_, offset)| *offset));
        let instant = candidates
            .into_iter()
            .filter_map(|offset| {
                let utc = as_if_utc - i64::from(offset);
                (self.offset_at(utc) == offset).then_some(utc)
            })
            .min()
            .unwrap_or_else(|| as_if_utc - i64::from(self.offset_at(as_if_utc - day)));
        instant * 1000 + i64::from(local.and_utc().timestamp_subsec_millis())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn offsets_between_start_with_the_one_in_force_and_list_each_change_inside() {
        let rules = ZoneRules::new(3600, vec![(1_000, 7200), (5_000, 3600), (9_000, 7200)]);
        assert_eq!(
            rules.offsets_between(2_000_000, 6_000_000),
            vec![(2_000_000, 7_200_000), (5_000_000, 3_600_000)]
        );
        assert_eq!(
            rules.offsets_between(5_000_000, 9_000_000),
            vec![(5_000_000, 3_600_000)],
            "a change at the start is the first offset; one at the end is outside"
        );
        assert_eq!(
            rules.offsets_between(0, 900_000),
            vec![(0, 3_600_000)],
            "no change inside"
        );
        assert_eq!(
            ZoneRules::fixed(-18_000).offsets_between(0, i64::MAX),
            vec![(0, -18_000_000)]
        );
    }
}
