//! The dashboard of a date range: totals against the range before, followers by day, posts per
//! day, the best posts by engagement rate and the best time to post — all from the snapshots
//! Herald took, never from a live call, so it costs the networks nothing and shows what they
//! have since forgotten.

use std::collections::BTreeMap;

use chrono::{Datelike, Duration, NaiveDate, NaiveTime};
use sqlx::AnyPool;

use super::charts;
use super::names::{account_names, problems_of};
use crate::domain::analytics::{
    AccountName, BEST_TIME_MIN_IN_CELL, BEST_TIME_MIN_POSTS, BestPost, BestTime, Dashboard,
    DayValue, RangeChoice, TimeCell, Total,
};
use crate::domain::figures::Metric;
use crate::domain::{AccountId, TimeZone, WorkspaceId};
use crate::error::{AppError, Problem};
use crate::server::auth::SignedIn;
use crate::server::db;
use crate::server::db::figure_aggregates::{self as aggregates, BestRow, HourRates, Scope};
use crate::server::state::AppState;
use crate::text::{Locale, format_moment, weekday_name};
use leptos_i18n::td_string;

/// The longest custom range: a year and a day, enough for any year-on-year look.
pub const MAX_DAYS: i64 = 366;
/// Best posts listed.
const BEST_POSTS: usize = 10;
const DAY: &str = "%Y-%m-%d";

/// What the dashboard's address asks for, as typed.
pub struct Asked<'a> {
    pub range: &'a str,
    pub from: &'a str,
    pub to: &'a str,
    pub account: &'a str,
}

/// Who looks, and when: the dashboard is read for one workspace, in one time zone.
pub struct Viewer<'a> {
    pub workspace_id: &'a WorkspaceId,
    pub zone: TimeZone,
    /// Unix milliseconds.
    pub now: i64,
}

impl<'a> Viewer<'a> {
    pub fn of(state: &AppState, session: &'a SignedIn) -> Viewer<'a> {
        Viewer {
            workspace_id: &session.workspace_id,
            zone: session.time_zone,
            now: db::millis(state.clock.now()),
        }
    }
}

pub async fn dashboard(
    pool: &AnyPool,
    viewer: &Viewer<'_>,
    asked: Asked<'_>,
    locale: Locale,
) -> Result<Dashboard, AppError> {
    let zone = viewer.zone;
    let workspace_id = viewer.workspace_id;
    let Range {
        choice: range,
        first,
        last,
        from,
        to,
    } = range_of(viewer, &asked)?;
    let days = (last - first).num_days() + 1;
    let before = zone.instant_of((first - Duration::days(days)).and_time(NaiveTime::MIN));

    let accounts = account_names(pool, workspace_id).await?;
    // An account not (or no longer) in the workspace shows them all.
    let account = Some(AccountId::from(asked.account.trim().to_owned()))
        .filter(|id| accounts.iter().any(|account| &account.id == id));
    let scope = Scope::new(workspace_id, account.as_ref(), zone, (before, to));

    let published_per_day = aggregates::published_per_day(pool, &scope, (before, to)).await?;
    let published = published_per_day
        .iter()
        .fold((0, 0), |(now, then), (day, count)| {
            if *day >= first {
                (now + count, then)
            } else {
                (now, then + count)
            }
        });
    let posts_per_day = every_day(first, last, &published_per_day);
    let (now_sums, then_sums) = aggregates::totals(pool, &scope, (before, from, to)).await?;
    let totals = Metric::OF_POSTS
        .iter()
        .zip(now_sums.into_iter().zip(then_sums))
        .map(|(metric, (value, previous))| Total {
            metric: *metric,
            value,
            previous,
        })
        .collect();
    let followers: Vec<DayValue> = aggregates::followers_per_day(pool, &scope, (from, to))
        .await?
        .into_iter()
        .map(|(day, value)| DayValue {
            day: day.format(DAY).to_string(),
            value,
        })
        .collect();
    let best_posts = aggregates::best_posts(pool, &scope, (from, to), BEST_POSTS)
        .await?
        .into_iter()
        .filter_map(|row| best_post(row, &accounts, zone, locale))
        .collect();
    let best_time = best_time(
        &aggregates::rates_by_hour(pool, &scope, (from, to)).await?,
        locale,
    );
    let day_label = |millis: i64| {
        zone.local(millis)
            .map(|local| crate::text::format_day(local.date(), locale))
            .unwrap_or_default()
    };
    Ok(Dashboard {
        range,
        from: first.format(DAY).to_string(),
        to: last.format(DAY).to_string(),
        days,
        problems: problems_of(pool, workspace_id, &accounts).await?,
        time_zone: zone.name().to_owned(),
        published,
        totals,
        followers_svg: charts::line_chart(
            td_string!(locale, analytics.followers),
            &[charts::Series {
                label: td_string!(locale, analytics.followers).to_owned(),
                points: followers
                    .iter()
                    .map(|day| (day_start(zone, &day.day), day.value as f64))
                    .collect(),
            }],
            &day_label,
            td_string!(locale, analytics.no_figures),
        ),
        followers,
        posts_per_day_svg: charts::bar_chart(
            td_string!(locale, analytics.posts_per_day),
            &posts_per_day
                .iter()
                .map(|day| (short_day(&day.day, locale), day.value as f64))
                .collect::<Vec<_>>(),
            td_string!(locale, analytics.no_posts),
        ),
        posts_per_day,
        best_posts,
        best_time,
        account,
        accounts,
    })
}

/// The days a dashboard (or its export) covers, and the instants they start and end at.
pub struct Range {
    pub choice: RangeChoice,
    pub first: NaiveDate,
    pub last: NaiveDate,
    /// Unix milliseconds: the first day's start, and the day after the last's.
    pub from: i64,
    pub to: i64,
}

pub fn range_of(viewer: &Viewer<'_>, asked: &Asked<'_>) -> Result<Range, AppError> {
    let zone = viewer.zone;
    let today = zone
        .local(viewer.now)
        .map(|local| local.date())
        .unwrap_or_default();
    let (choice, first, last) = days_of(asked.range, asked.from, asked.to, today)?;
    let start = |day: NaiveDate| zone.instant_of(day.and_time(NaiveTime::MIN));
    Ok(Range {
        choice,
        first,
        last,
        from: start(first),
        to: start(last + Duration::days(1)),
    })
}

/// The range's choice and its first and last day.
fn days_of(
    range: &str,
    from: &str,
    to: &str,
    today: NaiveDate,
) -> Result<(RangeChoice, NaiveDate, NaiveDate), AppError> {
    let choice = RangeChoice::parse(range.trim()).unwrap_or_default();
    if let Some(days) = choice.days() {
        return Ok((choice, today - Duration::days(days - 1), today));
    }
    let invalid = || AppError::Invalid {
        field: Some("from".to_owned()),
        problem: Problem::DateRangeInvalid,
    };
    let read = |raw: &str| NaiveDate::parse_from_str(raw.trim(), DAY).ok();
    let (first, last) = read(from).zip(read(to)).ok_or_else(invalid)?;
    if last < first || first.year() < 1970 {
        return Err(invalid());
    }
    if (last - first).num_days() + 1 > MAX_DAYS {
        return Err(AppError::Invalid {
            field: Some("to".to_owned()),
            problem: Problem::DateRangeTooLong { max_days: MAX_DAYS },
        });
    }
    Ok((choice, first, last))
}

fn day_start(zone: TimeZone, day: &str) -> i64 {
    NaiveDate::parse_from_str(day, DAY)
        .map(|day| zone.instant_of(day.and_time(NaiveTime::MIN)))
        .unwrap_or_default()
}

fn short_day(day: &str, locale: Locale) -> String {
    NaiveDate::parse_from_str(day, DAY)
        .map(|day| crate::text::format_day(day, locale))
        .unwrap_or_else(|_| day.to_owned())
}

/// Every day of the range, with how many post targets went out on it.
fn every_day(first: NaiveDate, last: NaiveDate, counted: &[(NaiveDate, i64)]) -> Vec<DayValue> {
    let counts: BTreeMap<NaiveDate, i64> = counted.iter().copied().collect();
    first
        .iter_days()
        .take_while(|day| *day <= last)
        .map(|day| DayValue {
            day: day.format(DAY).to_string(),
            value: counts.get(&day).copied().unwrap_or(0),
        })
        .collect()
}

fn best_post(
    row: BestRow,
    accounts: &[AccountName],
    zone: TimeZone,
    locale: Locale,
) -> Option<BestPost> {
    let account = accounts.iter().find(|a| a.id == row.account_id)?;
    Some(BestPost {
        post_id: row.post_id,
        account: account.clone(),
        text: row.body.chars().take(80).collect(),
        published_local: format_moment(row.published_at, zone, locale),
        rate: row.engagement_rate,
        engagement: row.engagement.unwrap_or(0),
        reached: row.reached.unwrap_or(0),
        url: row.remote_url,
    })
}

/// Engagement rate by weekday and hour of publishing, in the person's zone.
fn best_time(hours: &[HourRates], locale: Locale) -> BestTime {
    let mut cells: Vec<TimeCell> = hours
        .iter()
        .filter(|hour| hour.posts > 0)
        .map(|hour| TimeCell {
            weekday: hour.weekday,
            hour: hour.hour,
            posts: hour.posts,
            rate: hour.rate_sum / hour.posts as f64,
        })
        .collect();
    let posts = cells.iter().map(|cell| cell.posts).sum();
    cells.sort_by(|a, b| {
        b.posts
            .cmp(&a.posts)
            .then(b.rate.total_cmp(&a.rate))
            .then((a.weekday, a.hour).cmp(&(b.weekday, b.hour)))
    });
    let suggestion = (posts >= BEST_TIME_MIN_POSTS)
        .then(|| {
            cells
                .iter()
                .filter(|cell| cell.posts >= BEST_TIME_MIN_IN_CELL)
                .max_by(|a, b| a.rate.total_cmp(&b.rate))
                .copied()
        })
        .flatten();
    let chart_svg = best_time_svg(&cells, locale);
    BestTime {
        cells,
        posts,
        suggestion,
        chart_svg,
    }
}

/// The weekday × hour grid, shaded by mean engagement rate.
fn best_time_svg(cells: &[TimeCell], locale: Locale) -> String {
    let mut values = [[None; 24]; 7];
    let mut titles: [[String; 24]; 7] = Default::default();
    for cell in cells {
        let (weekday, hour) = (cell.weekday as usize, cell.hour as usize);
        values[weekday][hour] = Some(cell.rate);
        titles[weekday][hour] = td_string!(
            locale,
            analytics.best_time_cell,
            weekday = weekday_name(weekday, locale),
            hour = cell.hour,
            rate = percent(cell.rate),
            count = cell.posts
        )
        .to_string();
    }
    let rows: [String; 7] = std::array::from_fn(|weekday| weekday_name(weekday, locale).to_owned());
    charts::heat_grid(
        td_string!(locale, analytics.best_time),
        &rows,
        &values,
        &titles,
    )
}

/// A rate as a percentage with one decimal: "4.2 %".
pub fn percent(rate: f64) -> String {
    format!("{:.1}\u{a0}%", rate * 100.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(raw: &str) -> NaiveDate {
        NaiveDate::parse_from_str(raw, DAY).unwrap()
    }

    #[test]
    fn fixed_ranges_end_today() {
        let today = day("2026-12-07");
        let (choice, first, last) = days_of("7", "", "", today).unwrap();
        assert_eq!(
            (choice, first, last),
            (RangeChoice::Days7, day("2026-12-01"), today)
        );
        let (choice, first, _) = days_of("nonsense", "", "", today).unwrap();
        assert_eq!((choice, first), (RangeChoice::Days30, day("2026-11-08")));
    }

    #[test]
    fn a_custom_range_must_read_and_run_forwards() {
        let today = day("2026-12-07");
        let (_, first, last) = days_of("custom", "2026-01-01", "2026-01-31", today).unwrap();
        assert_eq!((first, last), (day("2026-01-01"), day("2026-01-31")));
        for (from, to) in [
            ("2026-02-01", "2026-01-01"),
            ("yesterday", "2026-01-01"),
            ("", ""),
        ] {
            let error = days_of("custom", from, to, today).unwrap_err();
            assert!(matches!(
                error,
                AppError::Invalid {
                    problem: Problem::DateRangeInvalid,
                    ..
                }
            ));
        }
        let error = days_of("custom", "2024-01-01", "2026-01-01", today).unwrap_err();
        assert!(matches!(
            error,
            AppError::Invalid {
                problem: Problem::DateRangeTooLong { max_days: 366 },
                ..
            }
        ));
    }
}
