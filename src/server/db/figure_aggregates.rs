//! The analytics dashboard's parts, each one aggregate the database computes over a workspace's targets
//! and snapshots in a date range: a few dozen rows come back however many posts there are, so
//! the dashboard of 500 accounts and 20,000 posts stays quick. Days and hours are the
//! person's: the zone's offsets over the range are written into the SQL.

use chrono::NaiveDate;
use sqlx::any::{AnyArguments, AnyRow};
use sqlx::{Any, AnyPool};

use crate::domain::figures::Metric;
use crate::domain::{AccountId, PostId, TimeZone, WorkspaceId};

const DAY_MILLIS: i64 = 86_400_000;
const HOUR_MILLIS: i64 = 3_600_000;
const HOURS_IN_A_WEEK: i64 = 168;
/// Days from 0001-01-01 (chrono's day 1) to 1970-01-01, where Unix day numbers start.
const UNIX_EPOCH_FROM_CE: i64 = 719_163;

type Query<'q, O> = sqlx::query::QueryAs<'q, Any, O, AnyArguments<'q>>;

/// The targets a dashboard covers, and the zone it counts days and hours in.
pub struct Scope<'a> {
    pub workspace_id: &'a WorkspaceId,
    /// None: every account of the workspace.
    pub account: Option<&'a AccountId>,
    /// The zone's offsets over everything read, as `ZoneRules::offsets_between` gives them.
    offsets: Vec<(i64, i64)>,
}

impl<'a> Scope<'a> {
    /// `span`: the earliest and the latest instant any part reads (Unix milliseconds).
    pub fn new(
        workspace_id: &'a WorkspaceId,
        account: Option<&'a AccountId>,
        zone: TimeZone,
        (from, to): (i64, i64),
    ) -> Scope<'a> {
        Scope {
            workspace_id,
            account,
            offsets: zone.rules().offsets_between(from, to),
        }
    }

    /// SQL for the wall-clock time, in milliseconds, of the instant in `column`. The numbers
    /// come from the tz database, never from anything typed, so they are written in as they
    /// are.
    fn local(&self, column: &str) -> String {
        match self.offsets.as_slice() {
            [] => column.to_owned(),
            [(_, offset)] => format!("({column} + {offset})"),
            [.., (_, last)] => {
                let mut sql = format!("({column} + CASE");
                for pair in self.offsets.windows(2) {
                    let ((_, offset), (next_starts, _)) = (pair[0], pair[1]);
                    sql += &format!(" WHEN {column} < {next_starts} THEN {offset}");
                }
                sql += &format!(" ELSE {last} END)");
                sql
            }
        }
    }

    /// The person's day number (days since 1970-01-01 on their calendar) of `column`'s instant.
    fn local_day(&self, column: &str) -> String {
        format!("{} / {DAY_MILLIS}", self.local(column))
    }

    /// `sql` with its parameters bound: the workspace, the range's two ends and, when one
    /// account is shown, that account.
    fn query<'q, O>(&'q self, sql: &'q str, (from, to): (i64, i64)) -> Query<'q, O>
    where
        O: for<'r> sqlx::FromRow<'r, AnyRow>,
    {
        let query = sqlx::query_as(sql)
            .bind(self.workspace_id)
            .bind(from)
            .bind(to);
        match self.account {
            Some(account) => query.bind(account),
            None => query,
        }
    }

    /// ` AND {column} = ${parameter}` when one account is shown.
    fn account_filter(&self, column: &str, parameter: usize) -> String {
        match self.account {
            Some(_) => format!(" AND {column} = ${parameter}"),
            None => String::new(),
        }
    }
}

/// The date of a Unix day number.
fn date_of(day: i64) -> Option<NaiveDate> {
    NaiveDate::from_num_days_from_ce_opt(i32::try_from(day + UNIX_EPOCH_FROM_CE).ok()?)
}

/// Post targets published in `[from, to)`, counted by the person's day: days without any are
/// left out. A target's workspace is its account's (an account belongs to one workspace), so
/// no post is read.
pub async fn published_per_day(
    pool: &AnyPool,
    scope: &Scope<'_>,
    (from, to): (i64, i64),
) -> Result<Vec<(NaiveDate, i64)>, sqlx::Error> {
    let sql = format!(
        "SELECT CAST({day} AS BIGINT) AS day, COUNT(*) AS published FROM post_targets \
         WHERE post_targets.status = 'published' AND post_targets.finished_at >= $2 \
           AND post_targets.finished_at < $3 \
           AND post_targets.account_id IN ( \
               SELECT id FROM social_accounts WHERE workspace_id = $1){account} \
         GROUP BY 1",
        day = scope.local_day("post_targets.finished_at"),
        account = scope.account_filter("post_targets.account_id", 4),
    );
    let query = scope.query(&sql, (from, to));
    let rows: Vec<(i64, i64)> = query.fetch_all(pool).await?;
    Ok(rows
        .into_iter()
        .filter_map(|(day, count)| Some((date_of(day)?, count)))
        .collect())
}

/// The sum of each post metric (`Metric::OF_POSTS`' order) over the targets published in a
/// range; None where no target has the metric.
pub type Sums = [Option<i64>; 8];

/// The sums over the targets published in `[from, to)`, and over those published in
/// `[before, from)`.
pub async fn totals(
    pool: &AnyPool,
    scope: &Scope<'_>,
    (before, from, to): (i64, i64, i64),
) -> Result<(Sums, Sums), sqlx::Error> {
    let sums: Vec<String> = Metric::OF_POSTS
        .iter()
        .map(|metric| format!("CAST(SUM({0}) AS BIGINT) AS {0}", metric.as_str()))
        .collect();
    let sql = format!(
        "SELECT CAST(CASE WHEN published_at >= $2 THEN 1 ELSE 0 END AS BIGINT) AS in_range, {} \
         FROM target_figures \
         WHERE workspace_id = $1 AND published_at >= $3 AND published_at < $4{account} \
         GROUP BY 1",
        sums.join(", "),
        account = scope.account_filter("account_id", 5),
    );
    type Row = (
        i64,
        Option<i64>,
        Option<i64>,
        Option<i64>,
        Option<i64>,
        Option<i64>,
        Option<i64>,
        Option<i64>,
        Option<i64>,
    );
    let mut query = sqlx::query_as(&sql)
        .bind(scope.workspace_id)
        .bind(from)
        .bind(before)
        .bind(to);
    if let Some(account) = scope.account {
        query = query.bind(account);
    }
    let rows: Vec<Row> = query.fetch_all(pool).await?;
    let (mut now, mut then) = (Sums::default(), Sums::default());
    for (in_range, a, b, c, d, e, f, g, h) in rows {
        let sums = if in_range == 1 { &mut now } else { &mut then };
        *sums = [a, b, c, d, e, f, g, h];
    }
    Ok((now, then))
}

/// The followers of the accounts shown, summed, for each of the person's days in `[from, to)`
/// on which any account had a snapshot: each account counts with the last snapshot of its day,
/// or its latest before that once it has had one in the range.
pub async fn followers_per_day(
    pool: &AnyPool,
    scope: &Scope<'_>,
    (from, to): (i64, i64),
) -> Result<Vec<(NaiveDate, i64)>, sqlx::Error> {
    // An account's changes since its snapshot before add up to its latest value, less the one
    // it had before the range: that is added back on the day of its first snapshot in the
    // range. Each day's sum, run through, is every day's total, with no sort by account.
    let sql = format!(
        "WITH amounts AS ( \
             SELECT {day} AS day, since_previous AS amount FROM figure_snapshots \
             WHERE workspace_id = $1 AND metric = $2 AND post_id IS NULL \
               AND taken_at >= $3 AND taken_at < $4{account} \
             UNION ALL \
             SELECT {first_day} AS day, opening.value - opening.since_previous AS amount \
             FROM social_accounts JOIN figure_snapshots AS opening ON opening.id = ( \
                 SELECT id FROM figure_snapshots \
                 WHERE account_id = social_accounts.id AND metric = $2 AND post_id IS NULL \
                   AND taken_at >= $3 AND taken_at < $4 \
                 ORDER BY taken_at, id LIMIT 1) \
             WHERE social_accounts.workspace_id = $1{first_account} \
         ), per_day AS ( \
             SELECT day, SUM(amount) AS amount FROM amounts GROUP BY day \
         ) \
         SELECT CAST(day AS BIGINT) AS day, CAST(SUM(amount) OVER (ORDER BY day \
             ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS BIGINT) AS followers \
         FROM per_day ORDER BY day",
        day = scope.local_day("taken_at"),
        first_day = scope.local_day("opening.taken_at"),
        account = scope.account_filter("account_id", 5),
        first_account = scope.account_filter("social_accounts.id", 6),
    );
    let mut query = sqlx::query_as(&sql)
        .bind(scope.workspace_id)
        .bind(Metric::Followers.as_str())
        .bind(from)
        .bind(to);
    if let Some(account) = scope.account {
        query = query.bind(account).bind(account);
    }
    let rows: Vec<(i64, i64)> = query.fetch_all(pool).await?;
    Ok(rows
        .into_iter()
        .filter_map(|(day, followers)| Some((date_of(day)?, followers)))
        .collect())
}

/// A post target among those with the best engagement rate.
#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub struct BestRow {
    pub post_id: PostId,
    pub account_id: AccountId,
    pub published_at: i64,
    pub remote_url: Option<String>,
    pub body: String,
    pub engagement_rate: f64,
    pub engagement: Option<i64>,
    /// Reach, or views where the network gives no reach.
    pub reached: Option<i64>,
}

/// The `limit` targets published in `[from, to)` with the best engagement rate, best first
/// (between equal rates the more engagement, then the earlier published).
pub async fn best_posts(
    pool: &AnyPool,
    scope: &Scope<'_>,
    (from, to): (i64, i64),
    limit: usize,
) -> Result<Vec<BestRow>, sqlx::Error> {
    // The best are chosen from target_figures alone; only they are joined to their words.
    let sql = format!(
        "SELECT best.post_id, best.account_id, best.published_at, post_targets.remote_url, \
             COALESCE(post_targets.variant, posts.text) AS body, best.engagement_rate, \
             best.engagement, best.reached \
         FROM ( \
             SELECT post_id, account_id, published_at, engagement_rate, engagement, \
                 COALESCE(reach, views) AS reached \
             FROM target_figures \
             WHERE workspace_id = $1 AND published_at >= $2 AND published_at < $3 \
               AND engagement_rate IS NOT NULL{account} \
             ORDER BY engagement_rate DESC, engagement DESC, published_at, post_id, account_id \
             LIMIT {limit} \
         ) AS best \
         JOIN post_targets ON post_targets.post_id = best.post_id \
             AND post_targets.account_id = best.account_id \
         JOIN posts ON posts.id = best.post_id \
         ORDER BY best.engagement_rate DESC, best.engagement DESC, best.published_at, \
             best.post_id, best.account_id",
        account = scope.account_filter("account_id", 4),
    );
    let query = scope.query(&sql, (from, to));
    query.fetch_all(pool).await
}

/// The engagement rates of the targets that went out in one hour of the week on the person's
/// clock.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct HourRates {
    /// 0 = Monday.
    pub weekday: u8,
    pub hour: u8,
    pub posts: i64,
    pub rate_sum: f64,
}

/// The engagement rates of the targets published in `[from, to)`, summed by the hour of the
/// week they went out at on the person's clock; hours without any are left out.
pub async fn rates_by_hour(
    pool: &AnyPool,
    scope: &Scope<'_>,
    (from, to): (i64, i64),
) -> Result<Vec<HourRates>, sqlx::Error> {
    let sql = format!(
        "SELECT CAST(({local} / {HOUR_MILLIS}) % {HOURS_IN_A_WEEK} AS BIGINT) AS hour_of_week, \
             COUNT(*) AS posts, SUM(engagement_rate) AS rate_sum \
         FROM target_figures \
         WHERE workspace_id = $1 AND published_at >= $2 AND published_at < $3 \
           AND engagement_rate IS NOT NULL{account} \
         GROUP BY 1",
        local = scope.local("published_at"),
        account = scope.account_filter("account_id", 4),
    );
    let query = scope.query(&sql, (from, to));
    let rows: Vec<(i64, i64, f64)> = query.fetch_all(pool).await?;
    Ok(rows
        .into_iter()
        .map(|(hour_of_week, posts, rate_sum)| HourRates {
            // Hour 0 of Unix time fell on a Thursday, three days after a Monday.
            weekday: ((hour_of_week / 24 + 3) % 7) as u8,
            hour: (hour_of_week % 24) as u8,
            posts,
            rate_sum,
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use chrono::Datelike;

    use super::*;

    fn scope(offsets: Vec<(i64, i64)>) -> Scope<'static> {
        static WORKSPACE: std::sync::OnceLock<WorkspaceId> = std::sync::OnceLock::new();
        Scope {
            workspace_id: WORKSPACE.get_or_init(|| WorkspaceId::from("w".to_owned())),
            account: None,
            offsets,
        }
    }

    #[test]
    fn local_time_adds_the_offset_in_force() {
        assert_eq!(scope(vec![(0, 3_600_000)]).local("t"), "(t + 3600000)");
        assert_eq!(
            scope(vec![(0, 3_600_000), (500, 7_200_000), (900, 3_600_000)]).local("t"),
            "(t + CASE WHEN t < 500 THEN 3600000 WHEN t < 900 THEN 7200000 ELSE 3600000 END)"
        );
    }

    fn day_number(date: NaiveDate) -> i64 {
        i64::from(date.num_days_from_ce()) - UNIX_EPOCH_FROM_CE
    }

    #[test]
    fn day_numbers_count_from_the_unix_epoch() {
        let epoch = NaiveDate::from_ymd_opt(1970, 1, 1).unwrap();
        assert_eq!(day_number(epoch), 0);
        assert_eq!(date_of(0), Some(epoch));
        let day = NaiveDate::from_ymd_opt(2026, 12, 8).unwrap();
        assert_eq!(date_of(day_number(day)), Some(day));
    }
}
