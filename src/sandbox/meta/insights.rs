//! What every insights answer (§6) shares: the `metric`, `period`, `since` and `until`
//! parameters, the Pacific-time days a range covers, and the shape of one metric's entry.

use chrono::{DateTime, Days, Duration, NaiveDate, NaiveTime, Utc};
use chrono_tz::America::Los_Angeles;
use serde_json::{Map, Value, json};

use super::errors::GraphError;
use super::insights_errors;
use super::paging;
use super::publishing::graph_time;
use super::request::Incoming;

/// Without `since` and `until`, daily metrics cover the last two whole days.
const DEFAULT_DAYS: u64 = 2;
/// The longest range Graph serves daily metrics for.
const MAX_RANGE_DAYS: i64 = 93;

/// One metric a table offers: its name, and the words Graph answers it with.
#[derive(Debug, Clone, Copy)]
pub(super) struct MetricInfo<M> {
    pub metric: M,
    pub name: &'static str,
    pub title: &'static str,
    pub description: &'static str,
}

impl<M> MetricInfo<M> {
    pub const fn new(
        metric: M,
        name: &'static str,
        title: &'static str,
        description: &'static str,
    ) -> MetricInfo<M> {
        MetricInfo {
            metric,
            name,
            title,
            description,
        }
    }
}

pub(super) fn find<'t, M>(table: &'t [MetricInfo<M>], name: &str) -> Option<&'t MetricInfo<M>> {
    table.iter().find(|info| info.name == name)
}

/// The metrics asked for, in order; `None` when there are none.
pub(super) fn requested_metrics(request: &Incoming) -> Option<Vec<String>> {
    let names: Vec<String> = request
        .param("metric")?
        .split(',')
        .map(str::trim)
        .filter(|name| !name.is_empty())
        .map(str::to_owned)
        .collect();
    (!names.is_empty()).then_some(names)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Period {
    Day,
    Week,
    Days28,
    Lifetime,
}

impl Period {
    /// The `period` parameter, or `default` without one.
    pub fn parse(text: Option<&str>, default: Period) -> Result<Period, GraphError> {
        match text {
            None => Ok(default),
            Some("day") => Ok(Period::Day),
            Some("week") => Ok(Period::Week),
            Some("days_28") => Ok(Period::Days28),
            Some("lifetime") => Ok(Period::Lifetime),
            Some(other) => Err(insights_errors::invalid_period(other)),
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Period::Day => "day",
            Period::Week => "week",
            Period::Days28 => "days_28",
            Period::Lifetime => "lifetime",
        }
    }

    /// Where the amount reported for `day` starts counting: that day, the week or the 28
    /// days ending with it, or (`None`) the beginning.
    pub fn counted_from(self, day: Day) -> Option<DateTime<Utc>> {
        match self {
            Period::Day => Some(day.start),
            Period::Week => Some(day.end - Duration::days(7)),
            Period::Days28 => Some(day.end - Duration::days(28)),
            Period::Lifetime => None,
        }
    }

    /// Page metrics' titles and descriptions say their period: "Daily Post Engagements".
    pub fn title(self, text: &str) -> String {
        format!("{} {text}", self.adjective())
    }

    pub fn description(self, text: &str) -> String {
        format!("{}: {text}", self.adjective())
    }

    fn adjective(self) -> &'static str {
        match self {
            Period::Day => "Daily",
            Period::Week => "Weekly",
            Period::Days28 => "28 Days",
            Period::Lifetime => "Lifetime",
        }
    }
}

/// One of Graph's days: midnight to midnight Pacific time, so a winter day ends at 08:00 UTC
/// (§6.1's `"end_time":"2026-01-02T08:00:00+0000"`) and a summer one at 07:00.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Day {
    pub start: DateTime<Utc>,
    pub end: DateTime<Utc>,
}

impl Day {
    pub fn containing(at: DateTime<Utc>) -> Day {
        let date = at.with_timezone(&Los_Angeles).date_naive();
        Day::of(date)
    }

    fn of(date: NaiveDate) -> Day {
        let next = date.succ_opt().unwrap_or(date);
        Day {
            start: pacific_midnight(date),
            end: pacific_midnight(next),
        }
    }

    fn next(self) -> Day {
        Day::containing(self.end)
    }
}

fn pacific_midnight(date: NaiveDate) -> DateTime<Utc> {
    let midnight = date.and_time(NaiveTime::MIN);
    midnight
        .and_local_timezone(Los_Angeles)
        .earliest()
        .map(|at| at.with_timezone(&Utc))
        .unwrap_or_else(|| midnight.and_utc())
}

/// The `since`..`until` a request asks daily values for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct DayRange {
    pub since: DateTime<Utc>,
    pub until: DateTime<Utc>,
}

impl DayRange {
    /// From `since` and `until` (unix seconds, or dates read as Pacific midnight); without
    /// them, the two whole days before today.
    pub fn requested(request: &Incoming, now: DateTime<Utc>) -> Result<DayRange, GraphError> {
        let (since, until) = match (time_param(request, "since")?, time_param(request, "until")?) {
            (Some(since), Some(until)) => (since, until),
            (Some(since), None) => (since, now),
            (None, Some(until)) => (until - Duration::days(DEFAULT_DAYS as i64), until),
            // Counted in calendar days, not hours: a day that changes the clocks is 23 or 25 h.
            (None, None) => {
                let today = now.with_timezone(&Los_Angeles).date_naive();
                let first = today
                    .checked_sub_days(Days::new(DEFAULT_DAYS))
                    .unwrap_or(today);
                (pacific_midnight(first), pacific_midnight(today))
            }
        };
        if until - since > Duration::days(MAX_RANGE_DAYS) {
            return Err(insights_errors::range_too_long(MAX_RANGE_DAYS));
        }
        Ok(DayRange { since, until })
    }

    /// Every day the range touches, oldest first: each gets one value, dated by its end.
    pub fn days(&self) -> Vec<Day> {
        let mut days = Vec::new();
        if self.since >= self.until {
            return days;
        }
        let mut day = Day::containing(self.since);
        while day.start < self.until && day.end > day.start {
            days.push(day);
            day = day.next();
        }
        days
    }

    /// `previous` and `next`: the request again over the ranges just before and after this.
    pub fn paging(&self, base_url: &str, request: &Incoming, token: &str) -> Value {
        let span = self.until - self.since;
        let link = |since: DateTime<Utc>, until: DateTime<Utc>| {
            let (since, until) = (since.timestamp().to_string(), until.timestamp().to_string());
            let mut query = vec![("access_token", token)];
            for name in ["metric", "period", "metric_type"] {
                if let Some(value) = request.param(name) {
                    query.push((name, value));
                }
            }
            query.push(("since", since.as_str()));
            query.push(("until", until.as_str()));
            paging::absolute_link(base_url, &request.host, &request.path, &query)
        };
        json!({
            "previous": link(self.since - span, self.since),
            "next": link(self.until, self.until + span),
        })
    }
}

fn time_param(request: &Incoming, name: &str) -> Result<Option<DateTime<Utc>>, GraphError> {
    let Some(text) = request.param(name) else {
        return Ok(None);
    };
    let seconds = text.parse::<i64>().ok();
    let at = match seconds {
        Some(seconds) => DateTime::from_timestamp(seconds, 0),
        None => NaiveDate::parse_from_str(text, "%Y-%m-%d")
            .ok()
            .map(pacific_midnight),
    };
    at.map(Some)
        .ok_or_else(|| insights_errors::unreadable_time(name))
}

/// What a metric's entry reports.
pub(super) enum Reading {
    /// `values`: one lifetime value, or one per day.
    Values(Vec<Value>),
    /// `total_value` (Instagram's `metric_type=total_value`).
    Total(Value),
}

/// One metric's entry in `data` (§6.1, §6.2).
pub(super) fn entry(
    id: &str,
    name: &str,
    period: &str,
    title: &str,
    description: &str,
    reading: Reading,
) -> Value {
    let mut entry = json!({
        "name": name,
        "period": period,
        "title": title,
        "description": description,
        "id": format!("{id}/insights/{name}/{period}"),
    });
    match reading {
        Reading::Values(values) => entry["values"] = json!(values),
        Reading::Total(value) => entry["total_value"] = json!({ "value": value }),
    }
    entry
}

/// The one value of a lifetime metric.
pub(super) fn lifetime(value: Value) -> Vec<Value> {
    vec![json!({ "value": value })]
}

/// One day's value, dated by the day's end.
pub(super) fn dated(value: Value, day: Day) -> Value {
    json!({ "value": value, "end_time": graph_time(day.end) })
}

/// An object-valued metric (§6.1): the non-zero counts by key, `{}` while there are none.
pub(super) fn counts_by_key(counts: &[(&str, u64)]) -> Value {
    let object: Map<String, Value> = counts
        .iter()
        .filter(|(_, count)| *count > 0)
        .map(|(key, count)| ((*key).to_owned(), json!(count)))
        .collect();
    Value::Object(object)
}

#[cfg(test)]
mod tests {
    use axum::http::{HeaderMap, Method};

    use super::*;

    fn request(query: &str) -> Incoming {
        Incoming::parse(
            Method::GET,
            "/graph.facebook.com/v23.0/1000000000000001/insights",
            Some(query),
            &HeaderMap::new(),
            b"",
        )
    }

    fn at(text: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(text)
            .unwrap()
            .with_timezone(&Utc)
    }

    #[test]
    fn days_end_at_pacific_midnight_in_winter_and_in_summer() {
        let winter = Day::containing(at("2026-01-02T03:00:00Z"));
        assert_eq!(graph_time(winter.end), "2026-01-02T08:00:00+0000");
        assert_eq!(graph_time(winter.start), "2026-01-01T08:00:00+0000");
        let summer = Day::containing(at("2026-07-02T12:00:00Z"));
        assert_eq!(graph_time(summer.end), "2026-07-03T07:00:00+0000");
    }

    #[test]
    fn a_range_gives_one_day_per_day_it_touches() {
        let range =
            DayRange::requested(&request("since=2026-01-01&until=2026-01-04"), Utc::now()).unwrap();
        let ends: Vec<String> = range.days().iter().map(|day| graph_time(day.end)).collect();
        assert_eq!(
            ends,
            [
                "2026-01-02T08:00:00+0000",
                "2026-01-03T08:00:00+0000",
                "2026-01-04T08:00:00+0000"
            ]
        );
    }

    #[test]
    fn without_a_range_the_last_two_whole_days_are_given_even_across_a_clock_change() {
        let now = at("2026-03-10T20:00:00Z");
        let range = DayRange::requested(&request("metric=page_follows"), now).unwrap();
        let days = range.days();
        assert_eq!(days.len(), 2);
        assert!(days[1].end <= now);
        assert_eq!(days[1].end, Day::containing(now).start);
    }

    #[test]
    fn ranges_longer_than_93_days_and_unreadable_times_are_refused() {
        let long = DayRange::requested(&request("since=1700000000&until=1760000000"), Utc::now());
        assert_eq!(long.unwrap_err().code, 100);
        let garbled = DayRange::requested(&request("since=yesterday"), Utc::now());
        assert_eq!(garbled.unwrap_err().code, 100);
    }

    #[test]
    fn metrics_are_read_in_order_and_periods_checked() {
        let names = requested_metrics(&request("metric=reach,%20likes,,views")).unwrap();
        assert_eq!(names, ["reach", "likes", "views"]);
        assert_eq!(requested_metrics(&request("metric=")), None);
        assert_eq!(Period::parse(None, Period::Day).unwrap(), Period::Day);
        assert_eq!(
            Period::parse(Some("days_28"), Period::Day).unwrap(),
            Period::Days28
        );
        assert_eq!(
            Period::parse(Some("month"), Period::Day).unwrap_err().code,
            100
        );
    }

    #[test]
    fn object_values_leave_out_zero_counts() {
        let value = counts_by_key(&[("like", 12), ("love", 0), ("wow", 1)]);
        assert_eq!(value, json!({ "like": 12, "wow": 1 }));
        assert_eq!(counts_by_key(&[("like", 0)]), json!({}));
    }
}
