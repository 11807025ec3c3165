//! `herald bench-dashboard`: how long the analytics dashboard takes to make for one large
//! workspace. A fresh database (SQLite in a temporary file, or a PostgreSQL database of its
//! own) gets `accounts` accounts, `posts` published posts spread over the last 120 days, each
//! with four snapshots of eight metrics, and a followers snapshot per account per day; then the
//! dashboard of the last 30 and 90 days is made `runs` times each, as the page asks for it.

use std::fmt;
use std::time::Instant;

use anyhow::Context;

use super::bench::BenchDatabase;
use crate::domain::figures::{Figures, Metric, POST_SNAPSHOT_HOURS};
use crate::domain::{AccountId, PostId, TimeZone, WorkspaceId};
use crate::server::analytics::dashboard::{Asked, Viewer, dashboard};
use crate::server::db::{self, Db};
use crate::text::Locale;

/// Rows per INSERT while filling the database (PostgreSQL takes at most 65,535 parameters).
const ROWS_PER_INSERT: usize = 1_000;
const DAY: i64 = 86_400_000;
/// How far back the posts go: the 90-day dashboard and the 90 days before it.
const HISTORY_DAYS: i64 = 120;

pub struct Plan {
    pub accounts: usize,
    pub posts: usize,
    pub runs: usize,
    pub postgres: Option<String>,
}

pub struct Timing {
    pub range: &'static str,
    pub p50_ms: f64,
    pub p95_ms: f64,
    pub max_ms: f64,
}

pub struct Report {
    pub engine: &'static str,
    pub accounts: usize,
    pub posts: usize,
    pub snapshot_rows: usize,
    pub fill_seconds: f64,
    pub timings: Vec<Timing>,
}

impl fmt::Display for Report {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "dashboard on {}: {} accounts, {} posts, {} snapshot rows (filled in {:.1} s)",
            self.engine, self.accounts, self.posts, self.snapshot_rows, self.fill_seconds
        )?;
        for timing in &self.timings {
            writeln!(
                f,
                "  last {} days: p50 {:.1} ms, p95 {:.1} ms, max {:.1} ms",
                timing.range, timing.p50_ms, timing.p95_ms, timing.max_ms
            )?;
        }
        Ok(())
    }
}

pub async fn run(plan: Plan) -> anyhow::Result<Report> {
    let folder = tempfile_dir()?;
    let database = BenchDatabase::create(plan.postgres.as_deref(), &folder).await?;
    let measured = measure(&plan, &database).await;
    database.drop_if_postgres().await?;
    let _ = std::fs::remove_dir_all(&folder);
    measured
}

fn tempfile_dir() -> anyhow::Result<std::path::PathBuf> {
    let folder = std::env::temp_dir().join(format!("herald-dashboard-{}", uuid::Uuid::new_v4()));
    std::fs::create_dir_all(&folder).context("a folder for the bench's database")?;
    Ok(folder)
}

async fn measure(plan: &Plan, database: &BenchDatabase) -> anyhow::Result<Report> {
    let db = Db::connect(&database.url).await?;
    db.migrate().await?;
    let now = db::millis(chrono::Utc::now());
    let filling = Instant::now();
    let (workspace, snapshot_rows) = fill(plan, &db, now).await?;
    let fill_seconds = filling.elapsed().as_secs_f64();
    let viewer = Viewer {
        workspace_id: &workspace,
        zone: TimeZone::from_stored(Some("Europe/Paris")),
        now,
    };
    let mut timings = Vec::new();
    for range in ["30", "90"] {
        let mut times = Vec::with_capacity(plan.runs);
        for _ in 0..plan.runs {
            let asked = Asked {
                range,
                from: "",
                to: "",
                account: "",
            };
            let started = Instant::now();
            let shown = dashboard(db.pool(), &viewer, asked, Locale::en)
                .await
                .map_err(|error| anyhow::anyhow!("the dashboard failed: {error:?}"))?;
            times.push(started.elapsed().as_secs_f64() * 1000.0);
            anyhow::ensure!(shown.published.0 > 0, "the dashboard found no posts");
        }
        times.sort_by(f64::total_cmp);
        let at = |share: f64| {
            times[((times.len() as f64 * share).ceil() as usize).clamp(1, times.len()) - 1]
        };
        timings.push(Timing {
            range,
            p50_ms: at(0.50),
            p95_ms: at(0.95),
            max_ms: times[times.len() - 1],
        });
    }
    db.close().await;
    Ok(Report {
        engine: database.engine,
        accounts: plan.accounts,
        posts: plan.posts,
        snapshot_rows,
        fill_seconds,
        timings,
    })
}

/// A small stable hash, so the figures differ between posts and are the same on every run.
fn spread(seed: u64) -> i64 {
    // 43 bits: larger than the history in milliseconds, so posts spread over all of it.
    (seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> 21) as i64
}

/// The workspace and how many snapshot rows it holds.
async fn fill(plan: &Plan, db: &Db, now: i64) -> anyhow::Result<(WorkspaceId, usize)> {
    let pool = db.pool();
    let engine = db.engine();
    let workspace: WorkspaceId = db::new_id();
    sqlx::query("INSERT INTO workspaces (id, name, created_at) VALUES ($1, 'Bench', $2)")
        .bind(&workspace)
        .bind(now)
        .execute(pool)
        .await?;
    let accounts: Vec<AccountId> = (0..plan.accounts).map(|_| db::new_id()).collect();
    for (chunk_index, chunk) in accounts.chunks(ROWS_PER_INSERT / 4).enumerate() {
        let sql = format!(
            "INSERT INTO social_accounts (id, workspace_id, network, connection, remote_id, name, \
                 status, access_token, scopes, created_at, updated_at) VALUES {}",
            db::value_rows(engine, chunk.len(), 11)
        );
        let mut query = sqlx::query(&sql);
        for (index, id) in chunk.iter().enumerate() {
            let n = chunk_index * (ROWS_PER_INSERT / 4) + index;
            let network = if n.is_multiple_of(2) {
                "facebook"
            } else {
                "instagram"
            };
            query = query
                .bind(id)
                .bind(&workspace)
                .bind(network)
                .bind("facebook_login")
                .bind(format!("{}", 10_000_000 + n))
                .bind(format!("Account {n}"))
                .bind("active")
                .bind("v1.bench.not-a-token")
                .bind("read_insights")
                .bind(now)
                .bind(now);
        }
        query.execute(pool).await?;
    }

    let posts: Vec<(PostId, usize, i64)> = (0..plan.posts)
        .map(|n| {
            let published = now - (spread(n as u64) % (HISTORY_DAYS * DAY));
            (db::new_id(), n % plan.accounts.max(1), published)
        })
        .collect();
    let mut tx = pool.begin().await?;
    for chunk in posts.chunks(ROWS_PER_INSERT / 8) {
        let sql = format!(
            "INSERT INTO posts (id, workspace_id, text, status, revision, scheduled_at, \
                 created_at, updated_at) VALUES {}",
            db::value_rows(engine, chunk.len(), 8)
        );
        let mut query = sqlx::query(&sql);
        for (id, _, published) in chunk {
            query = query
                .bind(id)
                .bind(&workspace)
                .bind(format!("Bench post {id}"))
                .bind("published")
                .bind(1_i64)
                .bind(*published)
                .bind(*published)
                .bind(*published);
        }
        query.execute(&mut *tx).await?;
        let sql = format!(
            "INSERT INTO post_targets (post_id, account_id, position, status, remote_id, \
                 remote_url, finished_at) VALUES {}",
            db::value_rows(engine, chunk.len(), 7)
        );
        let mut query = sqlx::query(&sql);
        for (id, account, published) in chunk {
            query = query
                .bind(id)
                .bind(&accounts[*account])
                .bind(0_i64)
                .bind("published")
                .bind(format!("remote-{id}"))
                .bind(format!("https://example.org/{id}"))
                .bind(*published);
        }
        query.execute(&mut *tx).await?;
    }
    tx.commit().await?;

    // Four snapshots of eight metrics per post (those whose time has come), the newest kept
    // beside them.
    let mut rows: Vec<(usize, usize, Metric, i64, i64)> = Vec::new();
    let mut latest: Vec<(usize, Figures, i64)> = Vec::new();
    for (index, (_, account, published)) in posts.iter().enumerate() {
        let mut newest = None;
        for (stage, hours) in POST_SNAPSHOT_HOURS.iter().enumerate() {
            let taken = published + hours * 3_600_000;
            if taken > now {
                break;
            }
            let mut figures = Figures::default();
            for (m, metric) in Metric::OF_POSTS.iter().enumerate() {
                let value = figure(index, m, stage);
                rows.push((index, *account, *metric, value, taken));
                figures.set(*metric, value);
            }
            newest = Some((figures, taken));
        }
        if let Some((figures, taken)) = newest {
            latest.push((index, figures, taken));
        }
    }
    let snapshot_rows = rows.len();
    let mut tx = pool.begin().await?;
    for chunk in rows.chunks(ROWS_PER_INSERT) {
        let sql = format!(
            "INSERT INTO figure_snapshots (workspace_id, account_id, post_id, metric, value, \
                 taken_at) VALUES {}",
            db::value_rows(engine, chunk.len(), 6)
        );
        let mut query = sqlx::query(&sql);
        for (post, account, metric, value, taken) in chunk {
            query = query
                .bind(&workspace)
                .bind(&accounts[*account])
                .bind(&posts[*post].0)
                .bind(metric.as_str())
                .bind(*value)
                .bind(*taken);
        }
        query.execute(&mut *tx).await?;
    }
    for chunk in latest.chunks(ROWS_PER_INSERT / 16) {
        let sql = format!(
            "INSERT INTO target_figures (workspace_id, post_id, account_id, published_at, \
                 taken_at, views, reach, likes, comments, shares, saves, clicks, interactions, \
                 engagement, engagement_rate) VALUES {}",
            db::value_rows(engine, chunk.len(), 15)
        );
        let mut query = sqlx::query(&sql);
        for (post, figures, taken) in chunk {
            let (id, account, published) = &posts[*post];
            query = query
                .bind(&workspace)
                .bind(id)
                .bind(&accounts[*account])
                .bind(*published)
                .bind(*taken);
            for metric in Metric::OF_POSTS {
                query = query.bind(figures.get(metric));
            }
            query = query
                .bind(figures.engagement())
                .bind(figures.engagement_rate());
        }
        query.execute(&mut *tx).await?;
    }
    // Each account's followers, once a day over the history, with how far they moved since the
    // day before (as Herald writes them).
    let followers: Vec<(usize, i64, i64, i64)> = (0..plan.accounts)
        .flat_map(|account| {
            (0..HISTORY_DAYS).map(move |day| {
                let base = 1_000 + spread(account as u64) % 50_000;
                let since_previous = if day == 0 { base } else { 3 };
                (
                    account,
                    base + day * 3,
                    since_previous,
                    now - (HISTORY_DAYS - day) * DAY,
                )
            })
        })
        .collect();
    for chunk in followers.chunks(ROWS_PER_INSERT) {
        let sql = format!(
            "INSERT INTO figure_snapshots (workspace_id, account_id, post_id, metric, value, \
                 since_previous, taken_at) VALUES {}",
            db::value_rows(engine, chunk.len(), 7)
        );
        let mut query = sqlx::query(&sql);
        for (account, value, since_previous, taken) in chunk {
            query = query
                .bind(&workspace)
                .bind(&accounts[*account])
                .bind(None::<String>)
                .bind(Metric::Followers.as_str())
                .bind(*value)
                .bind(*since_previous)
                .bind(*taken);
        }
        query.execute(&mut *tx).await?;
    }
    tx.commit().await?;
    if engine == db::Engine::Postgres {
        // What autovacuum does soon after a load this size: statistics for the planner, and
        // the visibility map that lets index-only scans skip the table.
        sqlx::raw_sql("VACUUM ANALYZE").execute(pool).await?;
    }
    Ok((workspace, snapshot_rows + followers.len()))
}

/// A plausible figure: post `index`'s metric `m` at snapshot `stage`, growing stage by stage.
fn figure(index: usize, m: usize, stage: usize) -> i64 {
    let base = 20 + spread((index * 8 + m) as u64) % 2_000;
    let share = [5, 4, 2, 1, 1, 1, 1, 3][m % 8];
    base * share * (stage as i64 + 1) / 5
}
