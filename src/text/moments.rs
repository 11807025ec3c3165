//! A moment in time as people write it in each language: "Nov 22, 2026, 2:05 PM" in English,
//! "22 nov. 2026, 14:05" in French, in the reader's time zone.
//!
//! Hand-written for two languages: ICU4X does this for every language, but its compiled data
//! for all locales would more than double the browser bundle, and its trimmed data needs a
//! download at build time that this build cannot make.

use chrono::{Datelike, NaiveDate, NaiveDateTime, Timelike};

use crate::domain::TimeZone;
use crate::i18n::Locale;

const MONTHS_EN: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];
/// The abbreviations French typography uses (CLDR's "format abbreviated" months).
const MONTHS_FR: [&str; 12] = [
    "janv.", "févr.", "mars", "avr.", "mai", "juin", "juil.", "août", "sept.", "oct.", "nov.",
    "déc.",
];

const MONTH_NAMES_EN: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];
const MONTH_NAMES_FR: [&str; 12] = [
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
];
const WEEKDAYS_EN: [&str; 7] = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];
const WEEKDAYS_FR: [&str; 7] = ["lun.", "mar.", "mer.", "jeu.", "ven.", "sam.", "dim."];

/// A month and its year: "November 2026", "novembre 2026".
pub fn format_month(day: NaiveDate, locale: Locale) -> String {
    let month = day.month0() as usize;
    match locale {
        Locale::en => format!("{} {}", MONTH_NAMES_EN[month], day.year()),
        Locale::fr => format!("{} {}", MONTH_NAMES_FR[month], day.year()),
    }
}

/// The short name of a weekday, Monday first (0).
pub fn weekday_name(monday_based: usize, locale: Locale) -> &'static str {
    match locale {
        Locale::en => WEEKDAYS_EN[monday_based % 7],
        Locale::fr => WEEKDAYS_FR[monday_based % 7],
    }
}

/// A day with its weekday: "Mon, Nov 23", "lun. 23 nov.".
pub fn format_day(day: NaiveDate, locale: Locale) -> String {
    let weekday = weekday_name(day.weekday().num_days_from_monday() as usize, locale);
    let month = day.month0() as usize;
    match locale {
        Locale::en => format!("{weekday}, {} {}", MONTHS_EN[month], day.day()),
        Locale::fr => format!("{weekday} {} {}", day.day(), MONTHS_FR[month]),
    }
}

/// `millis` (Unix milliseconds) in `zone`, to the minute, written the `locale` way.
pub fn format_moment(millis: i64, zone: TimeZone, locale: Locale) -> String {
    zone.local(millis)
        .map(|local| write_moment(local, locale))
        .unwrap_or_default()
}

fn write_moment(local: NaiveDateTime, locale: Locale) -> String {
    let month = local.month0() as usize;
    let (day, year, minute) = (local.day(), local.year(), local.minute());
    match locale {
        Locale::en => {
            let (is_pm, hour) = local.hour12();
            let half = if is_pm { "PM" } else { "AM" };
            format!(
                "{} {day}, {year}, {hour}:{minute:02}\u{a0}{half}",
                MONTHS_EN[month]
            )
        }
        Locale::fr => format!(
            "{day} {} {year}, {:02}:{minute:02}",
            MONTHS_FR[month],
            local.hour()
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    // 2026-11-22T13:05:00Z
    const MOMENT: i64 = 1_795_352_700_000;

    #[test]
    fn each_language_writes_the_moment_its_own_way() {
        let utc = TimeZone::UTC;
        assert_eq!(
            format_moment(MOMENT, utc, Locale::en),
            "Nov 22, 2026, 1:05\u{a0}PM"
        );
        assert_eq!(
            format_moment(MOMENT, utc, Locale::fr),
            "22 nov. 2026, 13:05"
        );
    }

    #[test]
    fn days_and_months_are_written_each_language_s_way() {
        let day = NaiveDate::from_ymd_opt(2026, 11, 23).unwrap();
        assert_eq!(format_day(day, Locale::en), "Mon, Nov 23");
        assert_eq!(format_day(day, Locale::fr), "lun. 23 nov.");
        assert_eq!(format_month(day, Locale::fr), "novembre 2026");
    }

    #[test]
    fn the_moment_is_shown_in_the_reader_zone() {
        let tokyo = TimeZone::parse("Asia/Tokyo").unwrap();
        assert_eq!(
            format_moment(MOMENT, tokyo, Locale::fr),
            "22 nov. 2026, 22:05"
        );
    }

    #[test]
    fn midnight_and_noon_read_naturally_in_english() {
        let utc = TimeZone::UTC;
        let midnight = MOMENT - (13 * 60 + 5) * 60_000;
        let noon = midnight + 12 * 3_600_000;
        assert!(format_moment(midnight, utc, Locale::en).ends_with("12:00\u{a0}AM"));
        assert!(format_moment(noon, utc, Locale::en).ends_with("12:00\u{a0}PM"));
    }
}
