//! The machine's own ceilings, measured in the bench's run before Herald starts: how many HTTP
//! requests a second loopback carries to the sandbox, and how many commits a second the
//! database takes through sqlx. Herald's figures are then also given as fractions of these, so
//! that they mean the same on a faster or a slower machine.

use std::fmt;
use std::future::Future;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use crate::server::db::Db;

/// How long each ceiling is measured.
const SPAN: Duration = Duration::from_secs(3);
/// Requests in flight at once: enough to keep both ends of a 2-core machine busy, as Herald's
/// workers do.
const REQUESTS_IN_FLIGHT: usize = 32;
/// Writers at once, each committing one row per transaction, as Herald's workers do.
const WRITERS: usize = 8;

pub struct Ceilings {
    /// Graph API page reads a second from the sandbox over loopback.
    pub loopback_requests_per_second: f64,
    /// One-row transactions a second through Herald's pool.
    pub commits_per_second: f64,
}

impl Ceilings {
    pub async fn measure(page_read_url: &str, db: &Db) -> anyhow::Result<Ceilings> {
        Ok(Ceilings {
            loopback_requests_per_second: loopback_requests(page_read_url).await?,
            commits_per_second: commits(db).await?,
        })
    }
}

impl fmt::Display for Ceilings {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "  this machine: {:.0} loopback requests/s to the sandbox ({REQUESTS_IN_FLIGHT} in \
             flight), {:.0} commits/s through sqlx ({WRITERS} writers)",
            self.loopback_requests_per_second, self.commits_per_second
        )
    }
}

/// GETs of one page from the sandbox's Graph API, `REQUESTS_IN_FLIGHT` at a time, for `SPAN`.
async fn loopback_requests(url: &str) -> anyhow::Result<f64> {
    let http = reqwest::Client::new();
    // The address holds the Page's token: errors are reported without it.
    let read = move |http: reqwest::Client, url: String| async move {
        let answered = http.get(&url).send().await?.error_for_status()?;
        answered.bytes().await?;
        Ok::<_, reqwest::Error>(())
    };
    // One request first, so a wrong address is an error rather than a ceiling of zero.
    read(http.clone(), url.to_owned())
        .await
        .map_err(reqwest::Error::without_url)?;
    let url = url.to_owned();
    per_second(REQUESTS_IN_FLIGHT, move |_, _| {
        let (http, url) = (http.clone(), url.clone());
        async move { Ok(read(http, url).await.map_err(reqwest::Error::without_url)?) }
    })
    .await
}

/// One-row INSERTs, each its own transaction, from `WRITERS` tasks for `SPAN`, into a table of
/// their own that is dropped afterwards.
async fn commits(db: &Db) -> anyhow::Result<f64> {
    let pool = db.pool().clone();
    sqlx::query("CREATE TABLE bench_commits (writer BIGINT NOT NULL, n BIGINT NOT NULL)")
        .execute(&pool)
        .await?;
    let rate = per_second(WRITERS, {
        let pool = pool.clone();
        move |writer, n| {
            let pool = pool.clone();
            async move {
                sqlx::query("INSERT INTO bench_commits (writer, n) VALUES ($1, $2)")
                    .bind(writer as i64)
                    .bind(n as i64)
                    .execute(&pool)
                    .await?;
                Ok(())
            }
        }
    })
    .await;
    sqlx::query("DROP TABLE bench_commits")
        .execute(&pool)
        .await?;
    rate
}

/// How many times a second `workers` tasks, each doing `once(worker, n)` for n = 0, 1, … until
/// `SPAN` is over, complete it; the first failure is the answer instead.
async fn per_second<F, Done>(workers: usize, once: F) -> anyhow::Result<f64>
where
    F: Fn(usize, u64) -> Done + Clone + Send + 'static,
    Done: Future<Output = anyhow::Result<()>> + Send,
{
    let done = Arc::new(AtomicU64::new(0));
    let started = Instant::now();
    let mut tasks = Vec::with_capacity(workers);
    for worker in 0..workers {
        let (once, done) = (once.clone(), done.clone());
        tasks.push(tokio::spawn(async move {
            let mut n = 0;
            while started.elapsed() < SPAN {
                once(worker, n).await?;
                n += 1;
                done.fetch_add(1, Ordering::Relaxed);
            }
            Ok::<_, anyhow::Error>(())
        }));
    }
    let mut failure = None;
    for task in tasks {
        if let Err(error) = task.await? {
            failure.get_or_insert(error);
        }
    }
    match failure {
        Some(error) => Err(error),
        None => Ok(done.load(Ordering::Relaxed) as f64 / started.elapsed().as_secs_f64()),
    }
}
