//! The machine's own ceilings, measured in the bench's run before Herald starts: how many HTTP
//! requests a second loopback carries to the sandbox, and how many commits a second the
//! database takes through sqlx. Herald's figures are then also given as fractions of these, so
//! that they mean the same on a faster or a slower machine.

use std::fmt;
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
    // One request first, so a wrong address is an error rather than a ceiling of zero.
    http.get(url).send().await?.error_for_status()?;
    let done = Arc::new(AtomicU64::new(0));
    let started = Instant::now();
    let mut clients = Vec::with_capacity(REQUESTS_IN_FLIGHT);
    for _ in 0..REQUESTS_IN_FLIGHT {
        let (http, url, done) = (http.clone(), url.to_owned(), done.clone());
        clients.push(tokio::spawn(async move {
            while started.elapsed() < SPAN {
                let answered = http.get(&url).send().await?.error_for_status()?;
                answered.bytes().await?;
                done.fetch_add(1, Ordering::Relaxed);
            }
            Ok::<_, reqwest::Error>(())
        }));
    }
    for client in clients {
        client.await??;
    }
    Ok(done.load(Ordering::Relaxed) as f64 / started.elapsed().as_secs_f64())
}

/// One-row INSERTs, each its own transaction, from `WRITERS` tasks for `SPAN`, into a table of
/// their own that is dropped afterwards.
async fn commits(db: &Db) -> anyhow::Result<f64> {
    let pool = db.pool();
    sqlx::query("CREATE TABLE bench_commits (writer BIGINT NOT NULL, n BIGINT NOT NULL)")
        .execute(pool)
        .await?;
    let done = Arc::new(AtomicU64::new(0));
    let started = Instant::now();
    let mut writers = Vec::with_capacity(WRITERS);
    for writer in 0..WRITERS {
        let (pool, done) = (pool.clone(), done.clone());
        writers.push(tokio::spawn(async move {
            let mut n: i64 = 0;
            while started.elapsed() < SPAN {
                sqlx::query("INSERT INTO bench_commits (writer, n) VALUES ($1, $2)")
                    .bind(writer as i64)
                    .bind(n)
                    .execute(&pool)
                    .await?;
                n += 1;
                done.fetch_add(1, Ordering::Relaxed);
            }
            Ok::<_, sqlx::Error>(())
        }));
    }
    let mut failure = None;
    for writer in writers {
        if let Err(error) = writer.await? {
            failure.get_or_insert(error);
        }
    }
    let rate = done.load(Ordering::Relaxed) as f64 / started.elapsed().as_secs_f64();
    sqlx::query("DROP TABLE bench_commits")
        .execute(pool)
        .await?;
    match failure {
        Some(error) => Err(error.into()),
        None => Ok(rate),
    }
}
