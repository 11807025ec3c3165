//! The calendar's periods: a month shows six weeks from a Monday, a week seven days from a
//! Monday, the list thirty-one days from its first; and the period before or after each.

use chrono::{Datelike, Duration, Months, NaiveDate};
use serde::{Deserialize, Serialize};

use super::PostId;
use super::accounts::Network;
use super::post_state::PostStatus;

/// Days the list view covers.
pub const LIST_DAYS: i64 = 31;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CalendarView {
    #[default]
    Month,
    Week,
    List,
}

impl CalendarView {
    pub const ALL: [CalendarView; 3] =
        [CalendarView::Month, CalendarView::Week, CalendarView::List];

    pub fn as_str(self) -> &'static str {
        match self {
            CalendarView::Month => "month",
            CalendarView::Week => "week",
            CalendarView::List => "list",
        }
    }

    /// A view named in an address; the month for anything else.
    pub fn parse(raw: &str) -> CalendarView {
        CalendarView::ALL
            .into_iter()
            .find(|view| view.as_str() == raw)
            .unwrap_or_default()
    }

    /// The days this view shows around `anchor`: from the first, until before the last.
    pub fn period(self, anchor: NaiveDate) -> (NaiveDate, NaiveDate) {
        match self {
            CalendarView::Month => {
                let start = week_start(anchor.with_day(1).unwrap_or(anchor));
                (start, start + Duration::days(42))
            }
            CalendarView::Week => {
                let start = week_start(anchor);
                (start, start + Duration::days(7))
            }
            CalendarView::List => (anchor, anchor + Duration::days(LIST_DAYS)),
        }
    }

    /// The anchor of the period before (`forward` false) or after this one.
    pub fn neighbour(self, anchor: NaiveDate, forward: bool) -> NaiveDate {
        match self {
            CalendarView::Month => {
                let first = anchor.with_day(1).unwrap_or(anchor);
                let moved = if forward {
                    first.checked_add_months(Months::new(1))
                } else {
                    first.checked_sub_months(Months::new(1))
                };
                moved.unwrap_or(first)
            }
            CalendarView::Week => anchor + Duration::days(if forward { 7 } else { -7 }),
            CalendarView::List => {
                anchor + Duration::days(if forward { LIST_DAYS } else { -LIST_DAYS })
            }
        }
    }
}

/// The Monday on or before `day`: weeks start on Monday.
pub fn week_start(day: NaiveDate) -> NaiveDate {
    day - Duration::days(i64::from(day.weekday().num_days_from_monday()))
}

/// The days from `from` until before `until`.
pub fn days(from: NaiveDate, until: NaiveDate) -> Vec<NaiveDate> {
    from.iter_days().take_while(|day| *day < until).collect()
}

/// One post on the calendar.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CalendarEntry {
    pub id: PostId,
    pub status: PostStatus,
    /// The start of the text, for the entry's label.
    pub text: String,
    /// When it goes (or went) out, Unix milliseconds.
    pub at: i64,
    /// The same moment on the person's wall clock, `YYYY-MM-DDTHH:MM`.
    pub local: String,
    pub networks: Vec<Network>,
    pub account_names: Vec<String>,
}

impl CalendarEntry {
    /// The day part of [`CalendarEntry::local`], `YYYY-MM-DD`.
    pub fn day(&self) -> &str {
        self.local.get(..10).unwrap_or_default()
    }

    /// The time part of [`CalendarEntry::local`], `HH:MM`.
    pub fn time(&self) -> &str {
        self.local.get(11..16).unwrap_or_default()
    }

    /// Only a scheduled post can be moved, and only until publishing starts.
    pub fn can_move(&self) -> bool {
        self.status == PostStatus::Scheduled
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CalendarData {
    pub view: CalendarView,
    /// The day the period was asked around, `YYYY-MM-DD`: the previous and next periods are
    /// found from it.
    pub anchor: String,
    /// The first day shown and the day after the last.
    pub from: String,
    pub until: String,
    /// The IANA zone every time here is in.
    pub time_zone: String,
    /// Today in that zone, `YYYY-MM-DD`.
    pub today: String,
    pub entries: Vec<CalendarEntry>,
}

/// The posts of the period `view` shows around `date` (`YYYY-MM-DD` in the person's zone;
/// empty: today).
#[cfg(test)]
mod tests {
    use super::*;

    fn day(raw: &str) -> NaiveDate {
        NaiveDate::parse_from_str(raw, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn a_month_shows_six_weeks_from_a_monday() {
        let (from, until) = CalendarView::Month.period(day("2026-11-22"));
        assert_eq!(from, day("2026-10-26"));
        assert_eq!(days(from, until).len(), 42);
        assert!(until > day("2026-11-30"));
    }

    #[test]
    fn a_week_starts_on_monday_and_periods_step_by_their_length() {
        assert_eq!(
            CalendarView::Week.period(day("2026-11-22")),
            (day("2026-11-16"), day("2026-11-23"))
        );
        assert_eq!(
            CalendarView::Month.neighbour(day("2026-01-31"), false),
            day("2025-12-01")
        );
        assert_eq!(
            CalendarView::Month.neighbour(day("2026-01-31"), true),
            day("2026-02-01")
        );
        assert_eq!(
            CalendarView::Week.neighbour(day("2026-11-22"), true),
            day("2026-11-29")
        );
        assert_eq!(CalendarView::parse("agenda"), CalendarView::Month);
    }
}
