//! The dashboard of a date range: totals against the range before, followers by day, posts per
//! day, the best posts by engagement rate and the best time to post — all from the snapshots
//! Herald took, never from a live call, so it costs the networks nothing and shows what they
//! have since forgotten.

use std::collections::{BTreeMap, HashMap};

use chrono::{Datelike, Duration, NaiveDate, NaiveTime, Timelike};
use sqlx::AnyPool;

use super::charts;
use super::names::{account_names, problems_of};
use crate::domain::analytics::{
    AccountName, BEST_TIME_MIN_IN_CELL, BEST_TIME_MIN_POSTS, BestPost, BestTime, Dashboard,
    DayValue, RangeChoice, TimeCell, Total,
};
use crate::domain::figures::{Figures, Metric};
use crate::domain::{AccountId, TimeZone, WorkspaceId};
use crate::error::{AppError, Problem};
use crate::server::auth::SignedIn;
use crate::server::db::{self, figures};
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
    let shown = |id: &AccountId| account.as_ref().is_none_or(|only| only == id);

    let published = figures::published_between(pool, workspace_id, (before, to)).await?;
    let figures_of = figures::latest_between(pool, workspace_id, (before, to)).await?;
    let empty = Figures::default();
    let targets: Vec<Target<'_>> = published
        .iter()
        .filter(|row| shown(&row.account_id))
        .map(|row| Target {
            row,
            figures: figures_of
                .get(&(row.post_id.clone(), row.account_id.clone()))
                .unwrap_or(&empty),
        })
        .collect();
    let (now_targets, then_targets): (Vec<&Target<'_>>, Vec<&Target<'_>>) = targets
        .iter()
        .partition(|target| target.row.published_at >= from);

    let followers = followers_by_day(pool, viewer, (from, to), &shown).await?;
    let posts_per_day = posts_per_day(&now_targets, zone, first, last);
    let best_time = best_time(&now_targets, zone, locale);
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
        published: (now_targets.len() as i64, then_targets.len() as i64),
        totals: totals(&now_targets, &then_targets),
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
        best_posts: best_posts(&now_targets, &accounts, zone, locale),
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

/// A published post target with the newest of its figures.
struct Target<'a> {
    row: &'a figures::PublishedRow,
    figures: &'a Figures,
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

fn totals(now: &[&Target<'_>], then: &[&Target<'_>]) -> Vec<Total> {
    let sum = |targets: &[&Target<'_>], metric: Metric| {
        let known: Vec<i64> = targets
            .iter()
            .filter_map(|target| target.figures.get(metric))
            .collect();
        (!known.is_empty()).then(|| known.iter().sum())
    };
    Metric::OF_POSTS
        .iter()
        .map(|metric| Total {
            metric: *metric,
            value: sum(now, *metric),
            previous: sum(then, *metric),
        })
        .collect()
}

fn local_day(zone: TimeZone, millis: i64) -> Option<NaiveDate> {
    zone.local(millis).map(|local| local.date())
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
fn posts_per_day(
    targets: &[&Target<'_>],
    zone: TimeZone,
    first: NaiveDate,
    last: NaiveDate,
) -> Vec<DayValue> {
    let mut counts: BTreeMap<NaiveDate, i64> = first
        .iter_days()
        .take_while(|day| *day <= last)
        .map(|day| (day, 0))
        .collect();
    for target in targets {
        if let Some(count) =
            local_day(zone, target.row.published_at).and_then(|day| counts.get_mut(&day))
        {
            *count += 1;
        }
    }
    counts
        .into_iter()
        .map(|(day, value)| DayValue {
            day: day.format(DAY).to_string(),
            value,
        })
        .collect()
}

/// The accounts' followers summed by day: each account's last snapshot of the day, carried
/// over days without one once the account has had one.
async fn followers_by_day(
    pool: &AnyPool,
    viewer: &Viewer<'_>,
    range: (i64, i64),
    shown: &(dyn Fn(&AccountId) -> bool + Sync),
) -> Result<Vec<DayValue>, AppError> {
    let zone = viewer.zone;
    let rows = figures::account_metric_between(pool, viewer.workspace_id, Metric::Followers, range)
        .await?;
    let mut by_day: BTreeMap<NaiveDate, HashMap<AccountId, i64>> = BTreeMap::new();
    for row in rows.into_iter().filter(|row| shown(&row.account_id)) {
        if let Some(day) = local_day(zone, row.taken_at) {
            by_day
                .entry(day)
                .or_default()
                .insert(row.account_id, row.value);
        }
    }
    let mut known: HashMap<AccountId, i64> = HashMap::new();
    Ok(by_day
        .into_iter()
        .map(|(day, values)| {
            known.extend(values);
            DayValue {
                day: day.format(DAY).to_string(),
                value: known.values().sum(),
            }
        })
        .collect())
}

fn best_posts(
    targets: &[&Target<'_>],
    accounts: &[AccountName],
    zone: TimeZone,
    locale: Locale,
) -> Vec<BestPost> {
    let mut rated: Vec<BestPost> = targets
        .iter()
        .filter_map(|target| {
            let figures = target.figures;
            let rate = figures.engagement_rate()?;
            let account = accounts.iter().find(|a| a.id == target.row.account_id)?;
            Some(BestPost {
                post_id: target.row.post_id.clone(),
                account: account.clone(),
                text: target.row.body.chars().take(80).collect(),
                published_local: format_moment(target.row.published_at, zone, locale),
                rate,
                engagement: figures.engagement().unwrap_or(0),
                reached: figures
                    .get(Metric::Reach)
                    .or_else(|| figures.get(Metric::Views))
                    .unwrap_or(0),
                url: target.row.remote_url.clone(),
            })
        })
        .collect();
    rated.sort_by(|a, b| {
        b.rate
            .total_cmp(&a.rate)
            .then(b.engagement.cmp(&a.engagement))
    });
    rated.truncate(BEST_POSTS);
    rated
}

/// Engagement rate by weekday and hour of publishing, in the person's zone.
fn best_time(targets: &[&Target<'_>], zone: TimeZone, locale: Locale) -> BestTime {
    let mut sums = [[(0_i64, 0.0_f64); 24]; 7];
    let mut posts = 0;
    for target in targets {
        let (Some(rate), Some(local)) = (
            target.figures.engagement_rate(),
            zone.local(target.row.published_at),
        ) else {
            continue;
        };
        let cell =
            &mut sums[local.weekday().num_days_from_monday() as usize][local.hour() as usize];
        cell.0 += 1;
        cell.1 += rate;
        posts += 1;
    }
    let mut cells: Vec<TimeCell> = Vec::new();
    for (weekday, hours) in sums.iter().enumerate() {
        for (hour, (count, total)) in hours.iter().enumerate() {
            if *count > 0 {
                cells.push(TimeCell {
                    weekday: weekday as u8,
                    hour: hour as u8,
                    posts: *count,
                    rate: total / *count as f64,
                });
            }
        }
    }
    cells.sort_by(|a, b| b.posts.cmp(&a.posts).then(b.rate.total_cmp(&a.rate)));
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
