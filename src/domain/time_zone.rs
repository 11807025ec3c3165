//! A person's time zone: an IANA name (`Europe/Paris`), checked against the tz database that
//! ships with Herald. Times are stored in UTC and converted only for display.

use std::fmt;

use chrono::{DateTime, NaiveDateTime, Utc};
use chrono_tz::Tz;

use super::ValidationError;
use crate::error::Problem;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TimeZone(Tz);

impl TimeZone {
    pub const UTC: TimeZone = TimeZone(Tz::UTC);

    pub fn parse(raw: &str) -> Result<TimeZone, ValidationError> {
        let name = raw.trim();
        if name.is_empty() {
            return Err(ValidationError::new("time_zone", Problem::TimeZoneMissing));
        }
        name.parse::<Tz>().map(TimeZone).map_err(|_| {
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
        name.and_then(|name| name.parse::<Tz>().ok())
            .map(TimeZone)
            .unwrap_or(TimeZone::UTC)
    }

    pub(crate) fn tz(&self) -> Tz {
        self.0
    }

    pub fn name(&self) -> &'static str {
        self.0.name()
    }

    /// Every zone name, for the picker.
    pub fn all_names() -> impl Iterator<Item = &'static str> {
        chrono_tz::TZ_VARIANTS.iter().map(|tz| tz.name())
    }

    /// The wall-clock time in this zone of a moment given in Unix milliseconds.
    pub fn local(&self, millis: i64) -> Option<NaiveDateTime> {
        DateTime::<Utc>::from_timestamp_millis(millis)
            .map(|at| at.with_timezone(&self.0).naive_local())
    }
}

impl fmt::Display for TimeZone {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

#[cfg(test)]
mod tests {
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
}
