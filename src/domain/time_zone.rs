//! A person's time zone: an IANA name (`Europe/Paris`) and its offsets from UTC. The server
//! reads the offsets off the tz database that ships with Herald and sends them with each page,
//! so the browser bundle carries the zone names but not the database; both sides convert times
//! with the same `ZoneRules`. Times are stored in UTC and converted only for display.

use std::borrow::Cow;
use std::collections::HashMap;
use std::fmt;
use std::sync::{Mutex, OnceLock};

use chrono::NaiveDateTime;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use super::zone_rules::ZoneRules;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TimeZone(&'static Zone);

#[derive(Debug, PartialEq, Eq, Serialize, Deserialize)]
struct Zone {
    name: Cow<'static, str>,
    rules: ZoneRules,
}

static UTC_ZONE: Zone = Zone {
    name: Cow::Borrowed("UTC"),
    rules: ZoneRules::fixed(0),
};

impl TimeZone {
    pub const UTC: TimeZone = TimeZone(&UTC_ZONE);

    pub fn name(&self) -> &'static str {
        &self.0.name
    }

    pub fn rules(&self) -> &'static ZoneRules {
        &self.0.rules
    }

    /// Every zone name, for the picker (the names only: no offsets come with them).
    pub fn all_names() -> impl Iterator<Item = &'static str> {
        chrono_tz::TZ_VARIANTS.iter().map(|tz| tz.name())
    }

    /// The wall-clock time in this zone of a moment given in Unix milliseconds.
    pub fn local(&self, millis: i64) -> Option<NaiveDateTime> {
        self.0.rules.local(millis)
    }

    /// The instant (Unix milliseconds) a wall-clock time in this zone names: see
    /// `ZoneRules::instant_of` for the times clocks skip or repeat.
    pub fn instant_of(&self, local: NaiveDateTime) -> i64 {
        self.0.rules.instant_of(local)
    }

    /// Zones are few and live as long as the program: each is kept once, so that a
    /// `TimeZone` is a reference that copies freely, in views above all.
    fn kept_zones() -> std::sync::MutexGuard<'static, HashMap<String, &'static Zone>> {
        static KEPT: OnceLock<Mutex<HashMap<String, &'static Zone>>> = OnceLock::new();
        KEPT.get_or_init(Default::default)
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// The zone kept under `name`, if any.
    fn known(name: &str) -> Option<TimeZone> {
        Self::kept_zones().get(name).map(|zone| TimeZone(zone))
    }

    /// Keeps `zone`, in place of any earlier one of that name.
    fn keep(zone: Zone) -> TimeZone {
        let zone: &'static Zone = Box::leak(Box::new(zone));
        Self::kept_zones().insert(zone.name.to_string(), zone);
        TimeZone(zone)
    }
}

impl Serialize for TimeZone {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.0.serialize(serializer)
    }
}

impl<'de> Deserialize<'de> for TimeZone {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let zone = Zone::deserialize(deserializer)?;
        Ok(match TimeZone::known(&zone.name) {
            Some(known) if *known.0 == zone => known,
            _ => TimeZone::keep(zone),
        })
    }
}

impl fmt::Display for TimeZone {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// The tz database, read on the server only: a zone's offsets are read off it once.
#[cfg(feature = "ssr")]
mod tz_database {
    use chrono::{DateTime, Offset, TimeZone as _, Utc};
    use chrono_tz::Tz;

    use super::ZoneRules;

    /// The years whose changes are kept: nothing Herald shows or schedules lies outside them;
    /// before, the first year's offset is used, after, the last.
    const FIRST: i64 = 946_684_800; // 2000-01-01T00:00Z
    const END: i64 = 4_102_444_800; // 2100-01-01T00:00Z
    /// Offsets are sampled this often, and each change found is then pinned to its second; no
    /// zone changes twice within six hours.
    const STEP: i64 = 6 * 3600;

    fn offset(tz: Tz, seconds: i64) -> i32 {
        let at = DateTime::<Utc>::from_timestamp(seconds, 0).unwrap_or_default();
        tz.offset_from_utc_datetime(&at.naive_utc())
            .fix()
            .local_minus_utc()
    }

    pub(super) fn rules(tz: Tz) -> ZoneRules {
        let initial = offset(tz, FIRST);
        let mut changes = Vec::new();
        let (mut at, mut current) = (FIRST, initial);
        while at < END {
            let next = offset(tz, at + STEP);
            if next != current {
                // The change lies in (at, at + STEP]: the first second with the new offset.
                let (mut before, mut after) = (at, at + STEP);
                while after - before > 1 {
                    let middle = before + (after - before) / 2;
                    if offset(tz, middle) == current {
                        before = middle;
                    } else {
                        after = middle;
                    }
                }
                changes.push((after, next));
                current = next;
            }
            at += STEP;
        }
        ZoneRules::new(initial, changes)
    }
}

#[cfg(feature = "ssr")]
impl TimeZone {
    pub fn parse(raw: &str) -> Result<TimeZone, super::ValidationError> {
        use super::ValidationError;
        use crate::error::Problem;
        let name = raw.trim();
        if name.is_empty() {
            return Err(ValidationError::new("time_zone", Problem::TimeZoneMissing));
        }
        name.parse::<chrono_tz::Tz>()
            .map(TimeZone::of)
            .map_err(|_| {
                ValidationError::new(
                    "time_zone",
                    Problem::TimeZoneUnknown {
                        name: name.to_owned(),
                    },
                )
            })
    }

    /// A stored name, or UTC when there is none (or it is no longer in the tz database).
    pub fn from_stored(name: Option<&str>) -> TimeZone {
        name.and_then(|name| name.parse::<chrono_tz::Tz>().ok())
            .map(TimeZone::of)
            .unwrap_or(TimeZone::UTC)
    }

    /// The zone's offsets are read off the tz database the first time it is asked for.
    fn of(tz: chrono_tz::Tz) -> TimeZone {
        TimeZone::known(tz.name()).unwrap_or_else(|| {
            TimeZone::keep(Zone {
                name: Cow::Borrowed(tz.name()),
                rules: tz_database::rules(tz),
            })
        })
    }
}

#[cfg(test)]
mod tests {
    use chrono::{DateTime, TimeZone as _, Utc};
    use proptest::prelude::*;

    use super::*;

    #[test]
    fn iana_names_parse_and_others_are_refused() {
        assert_eq!(
            TimeZone::parse(" Europe/Paris ").unwrap().name(),
            "Europe/Paris"
        );
        assert_eq!(TimeZone::parse("").unwrap_err().field, "time_zone");
        assert!(TimeZone::parse("Mars/Olympus").is_err());
    }

    #[test]
    fn times_are_shown_in_the_zone_across_daylight_saving() {
        let paris = TimeZone::parse("Europe/Paris").unwrap();
        // 2026-07-01T12:00Z is 14:00 in summer; 2026-12-01T12:00Z is 13:00 in winter.
        let wall = |millis| paris.local(millis).unwrap().format("%F %R").to_string();
        assert_eq!(wall(1_782_907_200_000), "2026-07-01 14:00");
        assert_eq!(wall(1_796_126_400_000), "2026-12-01 13:00");
    }

    #[test]
    fn an_unknown_stored_zone_falls_back_to_utc() {
        assert_eq!(TimeZone::from_stored(Some("Nowhere/Else")), TimeZone::UTC);
        assert_eq!(TimeZone::from_stored(None), TimeZone::UTC);
    }

    #[test]
    fn a_zone_sent_to_the_browser_comes_back_the_same() {
        let paris = TimeZone::parse("Europe/Paris").unwrap();
        let sent = serde_json::to_string(&paris).unwrap();
        let received: TimeZone = serde_json::from_str(&sent).unwrap();
        assert_eq!(received, paris);
        // Paris changes twice a year: about 200 changes in the century kept, a few kilobytes.
        assert!(sent.len() < 6_000, "{} bytes", sent.len());
    }

    fn zones() -> impl Strategy<Value = chrono_tz::Tz> {
        prop::sample::select(chrono_tz::TZ_VARIANTS.to_vec())
    }

    proptest! {
        /// The offsets read off the tz database convert as the database itself does.
        #[test]
        fn the_rules_agree_with_the_tz_database(
            tz in zones(),
            seconds in 946_684_800_i64..4_102_444_800,
        ) {
            let zone = TimeZone::of(tz);
            let at = DateTime::<Utc>::from_timestamp(seconds, 0).unwrap();
            prop_assert_eq!(
                zone.local(seconds * 1000).unwrap(),
                at.with_timezone(&tz).naive_local()
            );
            let local = at.with_timezone(&tz).naive_local();
            if let Some(earliest) = tz.from_local_datetime(&local).earliest() {
                prop_assert_eq!(zone.instant_of(local), earliest.timestamp_millis());
            }
        }
    }
}
