//! The dashboard's figures, computed by the database, against the same figures worked out here
//! the plain way, target by target: a month of posts and follower counts in Paris across the
//! night clocks go back, with posts near midnight, figures a network left out, snapshots taken
//! late and days an account took none.

use std::collections::{BTreeMap, HashMap};

use chrono::{Datelike, NaiveDate, NaiveTime, TimeZone as _, Timelike, Utc};
use herald::domain::analytics::{BEST_TIME_MIN_IN_CELL, BEST_TIME_MIN_POSTS};
use herald::domain::figures::{Figures, Metric};
use herald::domain::{AccountId, PostId, TimeZone, WorkspaceId};
use herald::server::analytics::dashboard::{Asked, Viewer, dashboard};
use herald::server::db::{self, figures};
use herald::text::Locale;
use sqlx::AnyPool;

use crate::helpers::{TestOptions, seed_account};
use crate::media::signed_in_app;

const HOUR: i64 = 3_600_000;
const DAY: i64 = 24 * HOUR;

/// A small deterministic stream of numbers, so the history is the same on every run.
struct Dice(u64);

impl Dice {
    fn roll(&mut self, below: u64) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        (self.0 >> 33) % below
    }
}

/// One published target and the figures it ends with.
struct Target {
    post_id: PostId,
    account: usize,
    published_at: i64,
    /// None: no snapshot was ever taken.
    latest: Option<Figures>,
}

/// A history: targets and each account's follower snapshots (account, taken_at, value).
struct History {
    targets: Vec<Target>,
    followers: Vec<(usize, i64, i64)>,
}

async fn insert_target(
    pool: &AnyPool,
    workspace: &WorkspaceId,
    account: &AccountId,
    published_at: i64,
    n: usize,
) -> PostId {
    let id: PostId = db::new_id();
    sqlx::query(
        "INSERT INTO posts (id, workspace_id, text, status, revision, scheduled_at, created_at, \
             updated_at) VALUES ($1, $2, $3, 'published', 1, $4, $4, $4)",
    )
    .bind(&id)
    .bind(workspace)
    .bind(format!("Post number {n}"))
    .bind(published_at)
    .execute(pool)
    .await
    .unwrap();
    sqlx::query(
        "INSERT INTO post_targets (post_id, account_id, position, status, remote_id, remote_url, \
             finished_at) VALUES ($1, $2, 0, 'published', $3, $4, $5)",
    )
    .bind(&id)
    .bind(account)
    .bind(format!("remote-{n}"))
    .bind(format!("https://example.org/{n}"))
    .bind(published_at)
    .execute(pool)
    .await
    .unwrap();
    id
}

/// Random figures: some metrics left out, as networks do.
fn rolled_figures(dice: &mut Dice) -> Figures {
    let mut figures = Figures::default();
    for metric in Metric::OF_POSTS {
        if dice.roll(5) > 0 {
            figures.set(metric, dice.roll(500) as i64);
        }
    }
    figures
}

async fn snapshot(
    pool: &AnyPool,
    workspace: &WorkspaceId,
    account: &AccountId,
    post: Option<(&PostId, i64)>,
    figures: &Figures,
    taken_at: i64,
) {
    let mut connection = pool.acquire().await.unwrap();
    figures::add_snapshot(
        &mut connection,
        &figures::SnapshotOf {
            workspace_id: workspace,
            account_id: account,
            post,
        },
        figures,
        taken_at,
    )
    .await
    .unwrap();
}

/// Sixty days of history before `now` through the written path Herald's jobs use.
async fn history(
    pool: &AnyPool,
    workspace: &WorkspaceId,
    accounts: &[AccountId],
    now: i64,
) -> History {
    let mut dice = Dice(24);
    let mut targets = Vec::new();
    for n in 0..160 {
        let account = n % accounts.len();
        // Some posts just before or after midnight UTC: 23:30 or 00:30 in Paris depending on
        // the day's offset.
        let published_at = if n % 7 == 0 {
            let day = now - (1 + dice.roll(59) as i64) * DAY;
            day - day.rem_euclid(DAY) + 22 * HOUR + 30 * 60_000
        } else {
            now - 1 - dice.roll(60 * DAY as u64) as i64
        };
        let post_id = insert_target(pool, workspace, &accounts[account], published_at, n).await;
        // None, one or two snapshots; the second sometimes taken before the first (a late
        // job), and each missing metrics the other has.
        let mut taken: Vec<(Figures, i64)> = Vec::new();
        for stage in 0..dice.roll(3) as i64 {
            let figures = rolled_figures(&mut dice);
            let taken_at = published_at + HOUR + stage * DAY - dice.roll(2) as i64 * 2 * DAY;
            snapshot(
                pool,
                workspace,
                &accounts[account],
                Some((&post_id, published_at)),
                &figures,
                taken_at,
            )
            .await;
            taken.push((figures, taken_at));
        }
        let latest = newest_of_each_metric(&taken);
        targets.push(Target {
            post_id,
            account,
            published_at,
            latest,
        });
    }
    let mut followers = Vec::new();
    for (account, id) in accounts.iter().enumerate() {
        // The third account starts twenty days ago, in the middle of the 30 days; every account
        // skips days.
        let days_ago = if account == 2 { 20 } else { 60 };
        for day in (0..days_ago).rev() {
            if dice.roll(4) == 0 {
                continue;
            }
            let taken_at = now - day * DAY - dice.roll(DAY as u64) as i64;
            let mut taken = vec![taken_at];
            if dice.roll(6) == 0 {
                taken.push(taken_at - HOUR);
            }
            for at in taken {
                let value = 1_000 * (account as i64 + 1) + (60 - day) * 7 + dice.roll(5) as i64;
                let mut figures = Figures::default();
                figures.set(Metric::Followers, value);
                snapshot(pool, workspace, id, None, &figures, at).await;
                followers.push((account, at, value));
            }
        }
    }
    History { targets, followers }
}

/// Each metric's value in the latest snapshot that has it; None without snapshots.
fn newest_of_each_metric(taken: &[(Figures, i64)]) -> Option<Figures> {
    let mut by_time: Vec<&(Figures, i64)> = taken.iter().collect();
    by_time.sort_by_key(|(_, at)| *at);
    let mut newest: Option<Figures> = None;
    for (figures, _) in by_time {
        let kept = newest.get_or_insert_with(Figures::default);
        for figure in &figures.0 {
            kept.set(figure.metric, figure.value);
        }
    }
    newest
}

/// The dashboard the plain way.
struct Expected {
    published: (i64, i64),
    posts_per_day: Vec<(String, i64)>,
    totals: Vec<(Option<i64>, Option<i64>)>,
    followers: Vec<(String, i64)>,
    best: Vec<(PostId, usize, f64, i64)>,
    cells: BTreeMap<(u8, u8), (i64, f64)>,
}

fn expected(
    history: &History,
    zone: TimeZone,
    (first, last): (NaiveDate, NaiveDate),
    only: Option<usize>,
) -> Expected {
    let start = |day: NaiveDate| zone.instant_of(day.and_time(NaiveTime::MIN));
    let days = (last - first).num_days() + 1;
    let (before, from, to) = (
        start(first - chrono::Duration::days(days)),
        start(first),
        start(last + chrono::Duration::days(1)),
    );
    let shown = |account: usize| only.is_none_or(|only| only == account);
    let targets: Vec<&Target> = history
        .targets
        .iter()
        .filter(|target| shown(target.account))
        .collect();
    let in_range = |target: &&&Target| target.published_at >= from && target.published_at < to;
    let in_before = |target: &&&Target| target.published_at >= before && target.published_at < from;
    let day_of = |millis: i64| zone.local(millis).unwrap().date();

    let mut per_day: BTreeMap<NaiveDate, i64> = first
        .iter_days()
        .take_while(|day| *day <= last)
        .map(|day| (day, 0))
        .collect();
    for target in targets.iter().filter(in_range) {
        *per_day.get_mut(&day_of(target.published_at)).unwrap() += 1;
    }
    let sum = |targets: Vec<&&Target>, metric: Metric| {
        let known: Vec<i64> = targets
            .iter()
            .filter_map(|target| target.latest.as_ref()?.get(metric))
            .collect();
        (!known.is_empty()).then(|| known.iter().sum::<i64>())
    };
    let totals = Metric::OF_POSTS
        .iter()
        .map(|metric| {
            (
                sum(targets.iter().filter(in_range).collect(), *metric),
                sum(targets.iter().filter(in_before).collect(), *metric),
            )
        })
        .collect();

    let mut by_day: BTreeMap<NaiveDate, Vec<(i64, usize, i64)>> = BTreeMap::new();
    for (account, at, value) in &history.followers {
        if shown(*account) && *at >= from && *at < to {
            by_day
                .entry(day_of(*at))
                .or_default()
                .push((*at, *account, *value));
        }
    }
    let mut known: HashMap<usize, i64> = HashMap::new();
    let followers = by_day
        .into_iter()
        .map(|(day, mut values)| {
            values.sort();
            for (_, account, value) in values {
                known.insert(account, value);
            }
            (day.to_string(), known.values().sum())
        })
        .collect();

    let mut best: Vec<(PostId, usize, f64, i64, i64)> = targets
        .iter()
        .filter(in_range)
        .filter_map(|target| {
            let figures = target.latest.as_ref()?;
            Some((
                target.post_id.clone(),
                target.account,
                figures.engagement_rate()?,
                figures.engagement()?,
                target.published_at,
            ))
        })
        .collect();
    let mut cells: BTreeMap<(u8, u8), (i64, f64)> = BTreeMap::new();
    for target in targets.iter().filter(in_range) {
        let Some(rate) = target.latest.as_ref().and_then(Figures::engagement_rate) else {
            continue;
        };
        let local = zone.local(target.published_at).unwrap();
        let cell = cells
            .entry((
                local.weekday().num_days_from_monday() as u8,
                local.hour() as u8,
            ))
            .or_default();
        cell.0 += 1;
        cell.1 += rate;
    }
    best.sort_by(|a, b| {
        b.2.total_cmp(&a.2)
            .then(b.3.cmp(&a.3))
            .then(a.4.cmp(&b.4))
            .then(a.0.as_str().cmp(b.0.as_str()))
    });
    Expected {
        published: (
            targets.iter().filter(in_range).count() as i64,
            targets.iter().filter(in_before).count() as i64,
        ),
        posts_per_day: per_day
            .into_iter()
            .map(|(day, count)| (day.to_string(), count))
            .collect(),
        totals,
        followers,
        best: best
            .into_iter()
            .take(10)
            .map(|(post, account, rate, engagement, _)| (post, account, rate, engagement))
            .collect(),
        cells,
    }
}

#[tokio::test]
async fn the_dashboard_counts_in_the_persons_days_across_a_change_of_clocks() {
    let app = signed_in_app(TestOptions::default()).await;
    let workspace: WorkspaceId = app.session(&app.client).await.unwrap()["workspace_id"]
        .as_str()
        .unwrap()
        .to_owned()
        .into();
    let mut accounts = Vec::new();
    for name in ["Bakery", "Bakery Instagram", "Late comer"] {
        let network = if accounts.len() == 1 {
            "instagram"
        } else {
            "facebook"
        };
        accounts.push(seed_account(&app, &app.client, network, name).await);
    }
    let pool = app.state.db.pool();
    // Paris left summer time on 2026-10-25 at 01:00 UTC: inside the 30 days before this.
    let now = db::millis(Utc.with_ymd_and_hms(2026, 11, 10, 11, 0, 0).unwrap());
    let history = history(pool, &workspace, &accounts, now).await;
    let zone = TimeZone::from_stored(Some("Europe/Paris"));
    let viewer = Viewer {
        workspace_id: &workspace,
        zone,
        now,
    };
    let day = |raw: &str| NaiveDate::parse_from_str(raw, "%Y-%m-%d").unwrap();
    // The last 30 days hold the change of clocks; the custom range has it in the days before.
    let ranges = [
        ("30", "", "", (day("2026-10-12"), day("2026-11-10"))),
        (
            "custom",
            "2026-10-27",
            "2026-11-09",
            (day("2026-10-27"), day("2026-11-09")),
        ),
    ];
    for ((choice, from, to, range), only) in ranges
        .into_iter()
        .flat_map(|range| [None, Some(0), Some(2)].map(|only| (range, only)))
    {
        let account = only.map(|index| accounts[index].as_str().to_owned());
        let shown = dashboard(
            pool,
            &viewer,
            Asked {
                range: choice,
                from,
                to,
                account: account.as_deref().unwrap_or(""),
            },
            Locale::en,
        )
        .await
        .unwrap();
        let want = expected(&history, zone, range, only);
        let case = format!("range {choice} {from} {to}, account {only:?}");
        assert_eq!(
            (shown.from.clone(), shown.to.clone()),
            (range.0.to_string(), range.1.to_string())
        );
        assert_eq!(shown.published, want.published, "{case}");
        let per_day: Vec<(String, i64)> = shown
            .posts_per_day
            .iter()
            .map(|day| (day.day.clone(), day.value))
            .collect();
        assert_eq!(per_day, want.posts_per_day, "{case}");
        let totals: Vec<(Option<i64>, Option<i64>)> = shown
            .totals
            .iter()
            .map(|total| (total.value, total.previous))
            .collect();
        assert_eq!(totals, want.totals, "{case}");
        let followers: Vec<(String, i64)> = shown
            .followers
            .iter()
            .map(|day| (day.day.clone(), day.value))
            .collect();
        assert_eq!(followers, want.followers, "{case}");
        assert!(!followers.is_empty(), "{case}");
        let best: Vec<(PostId, usize, f64, i64)> = shown
            .best_posts
            .iter()
            .map(|best| {
                let account = accounts
                    .iter()
                    .position(|id| *id == best.account.id)
                    .unwrap();
                (best.post_id.clone(), account, best.rate, best.engagement)
            })
            .collect();
        assert_eq!(best.len(), want.best.len(), "{case}");
        assert!(!best.is_empty(), "{case}");
        for (got, wanted) in best.iter().zip(&want.best) {
            assert_eq!(
                (&got.0, got.1, got.3),
                (&wanted.0, wanted.1, wanted.3),
                "{case}"
            );
            assert!(
                (got.2 - wanted.2).abs() < 1e-9,
                "{case}: {got:?} {wanted:?}"
            );
        }
        let rated: i64 = want.cells.values().map(|(posts, _)| posts).sum();
        assert_eq!(shown.best_time.posts, rated, "{case}");
        let suggested = (rated >= BEST_TIME_MIN_POSTS)
            .then(|| {
                want.cells
                    .iter()
                    .filter(|(_, (posts, _))| *posts >= BEST_TIME_MIN_IN_CELL)
                    .map(|(key, (posts, sum))| (*key, sum / *posts as f64))
                    .max_by(|a, b| a.1.total_cmp(&b.1))
            })
            .flatten();
        let got_suggestion = shown
            .best_time
            .suggestion
            .map(|cell| (cell.weekday, cell.hour));
        assert_eq!(got_suggestion, suggested.map(|(key, _)| key), "{case}");
        let cells: BTreeMap<(u8, u8), (i64, f64)> = shown
            .best_time
            .cells
            .iter()
            .map(|cell| ((cell.weekday, cell.hour), (cell.posts, cell.rate)))
            .collect();
        assert_eq!(
            cells.keys().collect::<Vec<_>>(),
            want.cells.keys().collect::<Vec<_>>(),
            "{case}"
        );
        for (key, (posts, rate_sum)) in &want.cells {
            let (got_posts, got_rate) = cells[key];
            assert_eq!(got_posts, *posts, "{case} {key:?}");
            assert!(
                (got_rate - rate_sum / *posts as f64).abs() < 1e-9,
                "{case} {key:?}"
            );
        }
    }
}
