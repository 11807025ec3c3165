//! `herald bench`: publishing measured end to end. A sandbox runs as its own process with as
//! many Pages as accounts; the bench fills a fresh database (SQLite in a temporary file, or a
//! PostgreSQL database of its own) with scheduled Facebook text posts, starts one or more
//! `herald serve` processes on it, and waits until every post has an outcome. Then it reads
//! back what the sandbox received: publishes per second, lateness (due time → the sandbox
//! making the post), duplicates, losses, and the peak memory of the Herald processes alone.

use std::fmt;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::{Context, anyhow, bail};
use serde::Deserialize;

use crate::domain::accounts::{Connection, Network};
use crate::domain::{AccountId, WorkspaceId};
use crate::server::crypto::{Secret, Vault};
use crate::server::db::{self, Db, accounts};

mod ceilings;
mod drill;

use ceilings::Ceilings;

/// Time for the Herald processes to start before the first post is due.
const LEAD: Duration = Duration::from_secs(4);
/// The longest the bench waits for every post to have an outcome.
const PATIENCE: Duration = Duration::from_secs(900);
/// The longest a sandbox or Herald process may take to start listening.
const STARTUP: Duration = Duration::from_secs(60);
/// Rows per INSERT while filling the database.
const ROWS_PER_INSERT: usize = 200;

pub struct Plan {
    /// The `herald` executable the sandbox and the instances run from.
    pub herald: PathBuf,
    pub posts: usize,
    pub accounts: usize,
    pub instances: usize,
    /// Posts falling due per second; 0: all at once.
    pub rate: u32,
    pub postgres: Option<String>,
    /// The crash drill: kill the first instance with SIGKILL this often, and start it again
    /// after `restart_after`.
    pub kill_every: Option<Duration>,
    pub restart_after: Duration,
}

pub struct Report {
    pub engine: &'static str,
    pub plan: Plan,
    pub published: usize,
    pub duplicates: usize,
    pub lost: usize,
    /// Published before their due time (never expected).
    pub early: usize,
    pub publishes_per_second: f64,
    pub lateness_ms: Lateness,
    pub peak_rss_mb: Vec<f64>,
    pub seconds: f64,
    /// Accounts' results as Herald recorded them.
    pub failed: usize,
    pub in_doubt: usize,
    /// What the crash drill did, when it ran.
    pub drill: Option<drill::Outcome>,
    /// The machine's own ceilings, measured in the same run.
    pub ceilings: Option<Ceilings>,
}

pub struct Lateness {
    pub p50: i64,
    pub p99: i64,
    pub max: i64,
}

impl fmt::Display for Report {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let rate = match self.plan.rate {
            0 => "all due at once".to_owned(),
            rate => format!("{rate} due/s"),
        };
        writeln!(
            f,
            "herald bench: {} posts over {} accounts, {rate}, {} on {}",
            self.plan.posts,
            self.plan.accounts,
            match self.plan.instances {
                1 => "1 instance".to_owned(),
                n => format!("{n} instances"),
            },
            self.engine
        )?;
        writeln!(
            f,
            "  published {} in {:.1} s: {:.0} publishes/s",
            self.published, self.seconds, self.publishes_per_second
        )?;
        if let Some(ceilings) = &self.ceilings {
            writeln!(f, "{ceilings}")?;
            writeln!(
                f,
                "  publishes/s as a share of this machine's ceilings: {:.2} of loopback requests/s, \
                 {:.2} of commits/s",
                self.publishes_per_second / ceilings.loopback_requests_per_second,
                self.publishes_per_second / ceilings.commits_per_second
            )?;
        }
        writeln!(
            f,
            "  lateness (due → provider call): p50 {} ms, p99 {} ms, max {} ms",
            self.lateness_ms.p50, self.lateness_ms.p99, self.lateness_ms.max
        )?;
        writeln!(
            f,
            "  duplicates {}, lost {}, early {}",
            self.duplicates, self.lost, self.early
        )?;
        let rss: Vec<String> = self
            .peak_rss_mb
            .iter()
            .map(|mb| format!("{mb:.1} MB"))
            .collect();
        write!(f, "  peak RSS per Herald process: {}", rss.join(", "))?;
        if let Some(drill) = &self.drill {
            write!(
                f,
                "\n  crash drill: {} SIGKILLs, restarted after {} s; Herald recorded {} published, \
                 {} failed, {} in doubt of {}\n  posts the killed worker held: {}, late by p50 {} \
                 ms, max {} ms",
                drill.kills,
                drill.restart_after.as_secs(),
                self.published_recorded(),
                self.failed,
                self.in_doubt,
                self.plan.posts,
                drill.held_lateness_ms.len(),
                drill.held_p50(),
                drill.held_lateness_ms.last().copied().unwrap_or_default()
            )?;
        }
        Ok(())
    }
}

impl Report {
    /// Posts Herald holds as published (every post has a result when the bench ends).
    pub fn published_recorded(&self) -> usize {
        self.plan.posts.saturating_sub(self.failed + self.in_doubt)
    }
}

/// A child process killed when dropped, so a failed bench leaves nothing running.
struct Running(Child);

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

#[derive(Deserialize)]
struct SandboxPage {
    id: String,
    name: String,
}

#[derive(Deserialize)]
struct IssuedToken {
    access_token: String,
}

#[derive(Deserialize)]
struct Received {
    text: String,
    created_at: chrono::DateTime<chrono::Utc>,
}

pub async fn run(plan: Plan) -> anyhow::Result<Report> {
    if plan.posts == 0 || plan.accounts == 0 || plan.instances == 0 {
        bail!("posts, accounts and instances must each be at least 1");
    }
    let data_dir = std::env::temp_dir().join(format!("herald-bench-{}", uuid::Uuid::new_v4()));
    std::fs::create_dir_all(&data_dir)?;
    let outcome = measure(&plan, &data_dir).await;
    let _ = std::fs::remove_dir_all(&data_dir);
    let (engine, measured) = outcome?;
    Ok(Report {
        engine,
        plan,
        ..measured
    })
}

async fn measure(plan: &Plan, data_dir: &Path) -> anyhow::Result<(&'static str, Report)> {
    let exe = &plan.herald;
    let (sandbox, sandbox_url) = start(
        Command::new(exe).args([
            "sandbox",
            "--port",
            "0",
            "--pages",
            &plan.accounts.to_string(),
        ]),
        "sandbox is listening",
    )?;
    let database = BenchDatabase::create(plan.postgres.as_deref(), data_dir).await?;
    let measured = measure_on(plan, exe, &database, data_dir, &sandbox_url).await;
    drop(sandbox);
    database.drop_if_postgres().await?;
    Ok((database.engine, measured?))
}

async fn measure_on(
    plan: &Plan,
    exe: &Path,
    database: &BenchDatabase,
    data_dir: &Path,
    sandbox_url: &str,
) -> anyhow::Result<Report> {
    let db = Db::connect(&database.url).await?;
    db.migrate().await?;
    let (filled, sample) = fill(plan, &db, data_dir, sandbox_url).await?;
    // Measured on the full database, before any Herald runs, so nothing else competes.
    let ceilings = Ceilings::measure(&sample.read_url(sandbox_url), &db).await?;
    // Due times count from now, once the database is full, so filling it is not lateness.
    let shift = db::millis(chrono::Utc::now() + chrono::Duration::from_std(LEAD)?) - filled[0];
    sqlx::query("UPDATE jobs SET due_at = due_at + $1 WHERE kind = 'publish'")
        .bind(shift)
        .execute(db.pool())
        .await?;
    sqlx::query("UPDATE posts SET scheduled_at = scheduled_at + $1")
        .bind(shift)
        .execute(db.pool())
        .await?;
    let dues: Vec<i64> = filled.iter().map(|due| due + shift).collect();
    db.close().await;

    let started = Instant::now();
    let mut herald = Vec::new();
    let mut ports = Vec::new();
    for _ in 0..plan.instances {
        // A port of its own, so a restarted instance listens where it did and knows its leases.
        let port = std::net::TcpListener::bind("127.0.0.1:0")?
            .local_addr()?
            .port();
        let instance = Instance {
            exe,
            database_url: &database.url,
            data_dir,
            sandbox_url,
            port,
        };
        herald.push(instance.start()?);
        ports.push(port);
    }
    let db = Db::connect(&database.url).await?;
    let mut peaks = vec![0.0_f64; herald.len()];
    let mut drill = plan
        .kill_every
        .map(|every| drill::Drill::new(every, plan.restart_after));
    loop {
        let (settled,): (i64,) = sqlx::query_as(
            "SELECT CAST(COUNT(*) AS BIGINT) FROM post_targets \
             WHERE status IN ('published', 'failed', 'outcome_unknown')",
        )
        .fetch_one(db.pool())
        .await?;
        for (peak, process) in peaks.iter_mut().zip(&herald) {
            *peak = peak.max(peak_rss_mb(process.0.id()).unwrap_or_default());
        }
        if settled as usize >= plan.posts {
            break;
        }
        if started.elapsed() > PATIENCE {
            bail!("only {settled} of {} posts ended in time", plan.posts);
        }
        if let Some(drill) = &mut drill {
            let victim = Instance {
                exe,
                database_url: &database.url,
                data_dir,
                sandbox_url,
                port: ports[0],
            };
            drill.kill_when_due(&db, &mut herald[0], &victim).await?;
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    let (failed, in_doubt) = results_recorded(&db).await?;
    db.close().await;
    drop(herald);
    let received: Vec<Received> = reqwest::get(format!("{sandbox_url}/_sandbox/published"))
        .await?
        .error_for_status()?
        .json()
        .await?;
    let mut report = judge(&dues, &received, peaks);
    report.failed = failed;
    report.in_doubt = in_doubt;
    report.drill = drill.map(|drill| drill.outcome(&dues, &received));
    report.ceilings = Some(ceilings);
    Ok(report)
}

/// One `herald serve` of the bench.
struct Instance<'a> {
    exe: &'a Path,
    database_url: &'a str,
    data_dir: &'a Path,
    sandbox_url: &'a str,
    port: u16,
}

impl Instance<'_> {
    fn start(&self) -> anyhow::Result<Running> {
        let mut command = Command::new(self.exe);
        command
            .arg("serve")
            .env("DATABASE_URL", self.database_url)
            .env("HERALD_DATA_DIR", self.data_dir)
            .env("HERALD_SANDBOX_URL", self.sandbox_url)
            .env("LEPTOS_SITE_ADDR", format!("127.0.0.1:{}", self.port))
            .env("RUST_LOG", "warn,herald=info");
        Ok(start(&mut command, "Herald is listening")?.0)
    }

    /// The start of the name its leases are held under (`server::queue`).
    fn lease_prefix(&self) -> String {
        let address = std::net::SocketAddr::from(([127, 0, 0, 1], self.port));
        format!("{}/", crate::server::startup::instance_name(address))
    }
}

/// How many accounts' results Herald recorded as failed and as in doubt.
async fn results_recorded(db: &Db) -> anyhow::Result<(usize, usize)> {
    let count = |status: &'static str| async move {
        let (count,): (i64,) =
            sqlx::query_as("SELECT CAST(COUNT(*) AS BIGINT) FROM post_targets WHERE status = $1")
                .bind(status)
                .fetch_one(db.pool())
                .await?;
        Ok::<_, sqlx::Error>(count as usize)
    };
    Ok((count("failed").await?, count("outcome_unknown").await?))
}

/// Starts `command` and waits for its JSON log line saying `ready`; returns it with the
/// address that line gives, as an `http://` URL.
fn start(command: &mut Command, ready: &str) -> anyhow::Result<(Running, String)> {
    let mut child = command
        .env("HERALD_LOG_FORMAT", "json")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .context("starting a herald process")?;
    let stdout = child.stdout.take().context("its output")?;
    let running = Running(child);
    let (found, address) = std::sync::mpsc::channel();
    let ready = ready.to_owned();
    // Reads the output to its end, so the child never blocks on a full pipe.
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            let Ok(event) = serde_json::from_str::<serde_json::Value>(&line) else {
                continue;
            };
            // What went wrong in an instance is worth seeing beside the figures it skews.
            if matches!(event["level"].as_str(), Some("ERROR" | "WARN")) {
                eprintln!("herald: {line}");
            }
            if event["message"].as_str() == Some(ready.as_str())
                && let Some(at) = event["address"].as_str()
            {
                let _ = found.send(at.to_owned());
            }
        }
    });
    let address = address
        .recv_timeout(STARTUP)
        .map_err(|_| anyhow!("a herald process did not start within {STARTUP:?}"))?;
    Ok((running, format!("http://{address}")))
}

/// A connected Page and its token: what the loopback ceiling reads.
struct SamplePage {
    id: String,
    token: String,
}

impl SamplePage {
    /// The Graph API read of this Page's name from the sandbox.
    fn read_url(&self, sandbox_url: &str) -> String {
        format!(
            "{}/{}/{}?fields=id,name&access_token={}",
            crate::sandbox::meta::MetaUrls::under(sandbox_url).facebook_graph,
            crate::server::providers::meta::MetaConfig::DEFAULT_API_VERSION,
            self.id,
            self.token
        )
    }
}

/// One workspace, `plan.accounts` Pages connected with tokens the sandbox issued, and
/// `plan.posts` scheduled posts spread over them; returns each post's due time by its text,
/// and the first Page.
async fn fill(
    plan: &Plan,
    db: &Db,
    data_dir: &Path,
    sandbox_url: &str,
) -> anyhow::Result<(Vec<i64>, SamplePage)> {
    let http = reqwest::Client::new();
    let pages: Vec<SandboxPage> = http
        .get(format!("{sandbox_url}/_sandbox/pages"))
        .send()
        .await?
        .json()
        .await?;
    let vault = Vault::open_or_create(None, &[], data_dir)?;
    let now = db::millis(chrono::Utc::now());
    let workspace: WorkspaceId = db::new_id();
    sqlx::query("INSERT INTO workspaces (id, name, created_at) VALUES ($1, 'Bench', $2)")
        .bind(&workspace)
        .bind(now)
        .execute(db.pool())
        .await?;
    let mut account_ids: Vec<AccountId> = Vec::with_capacity(plan.accounts);
    let mut sample = None;
    let mut connection = db.pool().acquire().await?;
    for page in pages.iter().take(plan.accounts) {
        let token: IssuedToken = http
            .post(format!("{sandbox_url}/_sandbox/page-token"))
            .json(&serde_json::json!({ "page_id": page.id }))
            .send()
            .await?
            .error_for_status()?
            .json()
            .await?;
        let id: AccountId = db::new_id();
        sample.get_or_insert_with(|| SamplePage {
            id: page.id.clone(),
            token: token.access_token.clone(),
        });
        let sealed = vault.seal(&Secret::new(token.access_token), id.as_str());
        accounts::save(
            &mut connection,
            accounts::AccountRecord {
                id: &id,
                workspace_id: &workspace,
                network: Network::Facebook,
                connection: Connection::FacebookLogin,
                remote_id: &page.id,
                name: &page.name,
                username: None,
                avatar_url: None,
                page_id: None,
                access_token: &sealed,
                user_token: None,
                token_expires_at: None,
                scopes: "pages_manage_posts,pages_read_engagement",
                connected_by: None,
                now,
            },
        )
        .await?;
        account_ids.push(id);
    }
    drop(connection);
    if account_ids.len() < plan.accounts {
        bail!("the sandbox offered {} Pages", account_ids.len());
    }
    // Relative to now for the moment; moved once the database is full.
    let start = now;
    let dues: Vec<i64> = (0..plan.posts)
        .map(|n| match plan.rate {
            0 => start,
            rate => start + (n as i64 * 1000) / i64::from(rate),
        })
        .collect();
    let mut tx = db.pool().begin().await?;
    for chunk in (0..plan.posts).collect::<Vec<_>>().chunks(ROWS_PER_INSERT) {
        let ids: Vec<String> = chunk.iter().map(|_| db::new_id::<String>()).collect();
        let posts_sql = format!(
            "INSERT INTO posts (id, workspace_id, text, status, revision, scheduled_at, \
                 created_at, updated_at) VALUES {}",
            (0..chunk.len())
                .map(|row| {
                    let at = row * 5;
                    format!(
                        "(${}, ${}, ${}, 'scheduled', 1, ${}, ${}, ${})",
                        at + 1,
                        at + 2,
                        at + 3,
                        at + 4,
                        at + 5,
                        at + 5
                    )
                })
                .collect::<Vec<_>>()
                .join(", ")
        );
        let mut posts = sqlx::query(&posts_sql);
        for (id, n) in ids.iter().zip(chunk) {
            posts = posts
                .bind(id)
                .bind(&workspace)
                .bind(format!("bench {n}"))
                .bind(dues[*n])
                .bind(now);
        }
        posts.execute(&mut *tx).await?;
        let targets_sql = format!(
            "INSERT INTO post_targets (post_id, account_id, position, status) VALUES {}",
            (0..chunk.len())
                .map(|row| format!("(${}, ${}, 0, 'scheduled')", row * 2 + 1, row * 2 + 2))
                .collect::<Vec<_>>()
                .join(", ")
        );
        let mut targets = sqlx::query(&targets_sql);
        for (id, n) in ids.iter().zip(chunk) {
            targets = targets.bind(id).bind(&account_ids[n % account_ids.len()]);
        }
        targets.execute(&mut *tx).await?;
        let jobs_sql = format!(
            "INSERT INTO jobs (id, workspace_id, kind, post_id, account_id, status, due_at, \
                 progress, created_at, updated_at) VALUES {}",
            (0..chunk.len())
                .map(|row| {
                    let at = row * 6;
                    format!(
                        "(${}, ${}, 'publish', ${}, ${}, 'queued', ${}, '{{}}', ${}, ${})",
                        at + 1,
                        at + 2,
                        at + 3,
                        at + 4,
                        at + 5,
                        at + 6,
                        at + 6
                    )
                })
                .collect::<Vec<_>>()
                .join(", ")
        );
        let mut jobs = sqlx::query(&jobs_sql);
        for (id, n) in ids.iter().zip(chunk) {
            jobs = jobs
                .bind(db::new_id::<String>())
                .bind(&workspace)
                .bind(id)
                .bind(&account_ids[n % account_ids.len()])
                .bind(dues[*n])
                .bind(now);
        }
        jobs.execute(&mut *tx).await?;
    }
    tx.commit().await?;
    let sample = sample.context("the sandbox offered no Page")?;
    Ok((dues, sample))
}

/// What the sandbox received, against what was due.
fn judge(dues: &[i64], received: &[Received], peaks: Vec<f64>) -> Report {
    let mut times: Vec<Vec<i64>> = vec![Vec::new(); dues.len()];
    for post in received {
        if let Some(n) = post
            .text
            .strip_prefix("bench ")
            .and_then(|n| n.parse::<usize>().ok())
            .filter(|n| *n < dues.len())
        {
            times[n].push(post.created_at.timestamp_millis());
        }
    }
    let duplicates = times.iter().map(|t| t.len().saturating_sub(1)).sum();
    let lost = times.iter().filter(|t| t.is_empty()).count();
    let firsts_late: Vec<i64> = times
        .iter()
        .zip(dues)
        .filter_map(|(t, due)| t.iter().min().map(|first| first - due))
        .collect();
    let early = firsts_late.iter().filter(|late| **late < 0).count();
    let mut lateness: Vec<i64> = firsts_late.iter().map(|late| (*late).max(0)).collect();
    lateness.sort_unstable();
    let percentile = |p: f64| -> i64 {
        if lateness.is_empty() {
            return 0;
        }
        let rank = ((p * lateness.len() as f64).ceil() as usize).clamp(1, lateness.len());
        lateness[rank - 1]
    };
    let firsts: Vec<i64> = times
        .iter()
        .filter_map(|t| t.iter().min().copied())
        .collect();
    let first_due = dues.iter().min().copied().unwrap_or_default();
    let last = firsts.iter().max().copied().unwrap_or(first_due);
    let seconds = ((last - first_due).max(1)) as f64 / 1000.0;
    Report {
        engine: "",
        plan: Plan {
            herald: PathBuf::new(),
            posts: 0,
            accounts: 0,
            instances: 0,
            rate: 0,
            postgres: None,
            kill_every: None,
            restart_after: Duration::ZERO,
        },
        published: firsts.len(),
        duplicates,
        lost,
        early,
        publishes_per_second: firsts.len() as f64 / seconds,
        lateness_ms: Lateness {
            p50: percentile(0.50),
            p99: percentile(0.99),
            max: lateness.last().copied().unwrap_or_default(),
        },
        peak_rss_mb: peaks,
        seconds,
        failed: 0,
        in_doubt: 0,
        drill: None,
        ceilings: None,
    }
}

/// The peak resident memory of a process so far (Linux `VmHWM`), in MB.
fn peak_rss_mb(pid: u32) -> Option<f64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let line = status.lines().find(|line| line.starts_with("VmHWM:"))?;
    let kb: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb / 1024.0)
}

/// The bench's own database: a SQLite file in its directory, or a fresh PostgreSQL database
/// dropped at the end.
/// The database a bench runs on: a SQLite file in its folder, or a PostgreSQL database of its
/// own, dropped at the end.
pub(crate) struct BenchDatabase {
    pub engine: &'static str,
    pub url: String,
    postgres: Option<(String, String)>,
}

impl BenchDatabase {
    pub(crate) async fn create(
        postgres: Option<&str>,
        data_dir: &Path,
    ) -> anyhow::Result<BenchDatabase> {
        let Some(admin_url) = postgres else {
            let file: PathBuf = data_dir.join("bench.db");
            return Ok(BenchDatabase {
                engine: "SQLite",
                url: format!("sqlite://{}?mode=rwc", file.display()),
                postgres: None,
            });
        };
        sqlx::any::install_default_drivers();
        let name = format!("herald_bench_{}", uuid::Uuid::new_v4().simple());
        let admin = sqlx::AnyPool::connect(admin_url).await?;
        sqlx::query(&format!("CREATE DATABASE {name}"))
            .execute(&admin)
            .await?;
        admin.close().await;
        let mut url = url::Url::parse(admin_url)?;
        url.set_path(&name);
        Ok(BenchDatabase {
            engine: "PostgreSQL",
            url: url.to_string(),
            postgres: Some((admin_url.to_owned(), name)),
        })
    }

    pub(crate) async fn drop_if_postgres(&self) -> anyhow::Result<()> {
        if let Some((admin_url, name)) = &self.postgres {
            let admin = sqlx::AnyPool::connect(admin_url).await?;
            sqlx::query(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
                .execute(&admin)
                .await?;
            admin.close().await;
        }
        Ok(())
    }
}
