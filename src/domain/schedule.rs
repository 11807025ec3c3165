//! When a post goes out, in the person's time zone: the wall-clock time they pick becomes a UTC
//! instant, a post moved by whole days keeps its wall-clock time across daylight-saving changes,
//! and a new post is offered the next free hour.

use chrono::{Duration, NaiveDateTime, NaiveTime, Timelike};

use super::{TimeZone, ValidationError};
use crate::error::Problem;

/// The shape of an `<input type="datetime-local">` value, to the minute.
pub const LOCAL_INPUT: &str = "%Y-%m-%dT%H:%M";
/// The furthest ahead a post may be scheduled: further is almost surely a typing slip.
pub const MAX_DAYS_AHEAD: i64 = 2 * 366;
/// A new post's default time is a whole hour at least this far ahead, so there is time to
/// finish writing it.
const SLOT_LEAD: Duration = Duration::minutes(15);
/// How far ahead the next free slot is looked for before settling on the first candidate.
const SLOTS_LOOKED_AT: u32 = 24 * 14;

/// A wall-clock time as a `datetime-local` input sends it (`2026-11-23T09:30`, seconds allowed).
pub fn parse_local(raw: &str) -> Result<NaiveDateTime, ValidationError> {
    let raw = raw.trim();
    if raw.is_empty() {
        return Err(ValidationError::new("at", Problem::ScheduleTimeMissing));
    }
    NaiveDateTime::parse_from_str(raw, LOCAL_INPUT)
        .or_else(|_| NaiveDateTime::parse_from_str(raw, "%Y-%m-%dT%H:%M:%S"))
        .map(|at| at.with_second(0).unwrap_or(at))
        .map_err(|_| ValidationError::new("at", Problem::ScheduleTimeInvalid))
}

/// `millis` as a `datetime-local` input shows it in `zone`.
pub fn local_input(zone: TimeZone, millis: i64) -> String {
    zone.local(millis)
        .map(|local| local.format(LOCAL_INPUT).to_string())
        .unwrap_or_default()
}

/// The same wall-clock time `days` days later (or earlier): a post at 09:00 stays at 09:00
/// when moved across a daylight-saving change, though the hours between change.
pub fn move_by_days(zone: TimeZone, millis: i64, days: i64) -> i64 {
    match zone.local(millis) {
        Some(local) => zone.instant_of(local + Duration::days(days)),
        None => millis,
    }
}

/// Whether `at` may be chosen at `now`: not past, not absurdly far ahead.
pub fn check_due(at: i64, now: i64) -> Result<(), ValidationError> {
    if at <= now {
        return Err(ValidationError::new("at", Problem::ScheduleInPast));
    }
    if at - now > Duration::days(MAX_DAYS_AHEAD).num_milliseconds() {
        return Err(ValidationError::new(
            "at",
            Problem::ScheduleTooFar {
                days: MAX_DAYS_AHEAD,
            },
        ));
    }
    Ok(())
}

/// The first whole hour, in `zone`, at least a quarter of an hour after `now` with no post in
/// `taken` due within it; the first candidate when every hour of the next two weeks is taken.
pub fn next_free_slot(zone: TimeZone, now: i64, taken: &[i64]) -> i64 {
    let Some(earliest) = zone.local(now + SLOT_LEAD.num_milliseconds()) else {
        return now;
    };
    let first_hour = earliest
        .date()
        .and_time(NaiveTime::from_hms_opt(earliest.hour(), 0, 0).unwrap_or_default())
        + if earliest.minute() == 0 && earliest.second() == 0 {
            Duration::zero()
        } else {
            Duration::hours(1)
        };
    let hour = Duration::hours(1).num_milliseconds();
    let mut first = None;
    for offset in 0..SLOTS_LOOKED_AT {
        let slot = zone.instant_of(first_hour + Duration::hours(i64::from(offset)));
        first.get_or_insert(slot);
        if !taken.iter().any(|due| (slot..slot + hour).contains(due)) {
            return slot;
        }
    }
    first.unwrap_or(now)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn zone(name: &str) -> TimeZone {
        TimeZone::parse(name).unwrap()
    }

    fn local(raw: &str) -> NaiveDateTime {
        parse_local(raw).unwrap()
    }

    fn utc(millis: i64) -> String {
        chrono::DateTime::from_timestamp_millis(millis)
            .unwrap()
            .format("%FT%RZ")
            .to_string()
    }

    #[test]
    fn a_picked_time_is_read_in_the_persons_zone() {
        let paris = zone("Europe/Paris");
        assert_eq!(
            utc(paris.instant_of(local("2026-07-01T09:00"))),
            "2026-07-01T07:00Z"
        );
        assert_eq!(
            utc(paris.instant_of(local("2026-12-01T09:00"))),
            "2026-12-01T08:00Z"
        );
        assert_eq!(local("2026-07-01T09:00:59"), local("2026-07-01T09:00"));
        assert!(parse_local("tomorrow").is_err());
        assert_eq!(parse_local(" ").unwrap_err().field, "at");
    }

    #[test]
    fn a_skipped_time_lands_past_the_gap_and_a_repeated_one_is_the_first() {
        let paris = zone("Europe/Paris");
        // 2026-03-29: 02:00 → 03:00 in Paris; 02:30 does not exist.
        assert_eq!(
            utc(paris.instant_of(local("2026-03-29T02:30"))),
            "2026-03-29T01:30Z"
        );
        // 2026-10-25: 03:00 → 02:00; 02:30 happens twice, first at +02:00.
        assert_eq!(
            utc(paris.instant_of(local("2026-10-25T02:30"))),
            "2026-10-25T00:30Z"
        );
    }

    #[test]
    fn moving_by_days_keeps_the_wall_clock_across_daylight_saving() {
        for (name, before, after) in [
            ("Europe/Paris", "2026-03-27T09:00", "2026-03-30T09:00"),
            ("Europe/Paris", "2026-10-23T18:30", "2026-10-26T18:30"),
            ("America/New_York", "2026-03-06T09:00", "2026-03-09T09:00"),
            ("America/New_York", "2026-10-30T09:00", "2026-11-02T09:00"),
        ] {
            let zone = zone(name);
            let moved = move_by_days(zone, zone.instant_of(local(before)), 3);
            assert_eq!(local_input(zone, moved), after, "{name}");
            let hours = (moved - zone.instant_of(local(before))) / 3_600_000;
            assert_ne!(
                hours, 72,
                "{name}: the change makes the move 71 or 73 hours"
            );
            assert_eq!(
                move_by_days(zone, moved, -3),
                zone.instant_of(local(before))
            );
        }
    }

    #[test]
    fn the_past_and_the_far_future_are_refused() {
        let now = 1_795_352_700_000;
        assert_eq!(
            check_due(now, now).unwrap_err().problem,
            Problem::ScheduleInPast
        );
        assert!(check_due(now + 60_000, now).is_ok());
        assert!(check_due(now + Duration::days(800).num_milliseconds(), now).is_err());
    }

    #[test]
    fn the_next_free_slot_is_a_whole_hour_not_taken() {
        let paris = zone("Europe/Paris");
        let now = paris.instant_of(local("2026-11-23T09:50"));
        let slot = next_free_slot(paris, now, &[]);
        assert_eq!(local_input(paris, slot), "2026-11-23T11:00");
        let early = paris.instant_of(local("2026-11-23T09:40"));
        assert_eq!(
            local_input(paris, next_free_slot(paris, early, &[])),
            "2026-11-23T10:00"
        );
        let taken = [slot + 5 * 60_000, slot + 3_600_000];
        assert_eq!(
            local_input(paris, next_free_slot(paris, now, &taken)),
            "2026-11-23T13:00"
        );
    }
}
