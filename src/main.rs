//! The `herald` command: serve (the default), apply migrations, add a person, back up and
//! restore, run the sandbox alone, or measure publishing.

use clap::{Parser, Subcommand};
use herald::server::cli::{self, shutdown_signal};
use herald::server::config::Config;
use herald::server::startup::Application;
use herald::server::telemetry;

#[derive(Parser)]
#[command(
    name = "herald",
    version,
    about = "Self-hosted social-media publishing"
)]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand)]
enum Command {
    /// Run the web server (the default).
    Serve {
        /// Run Herald's stand-in Meta in-process and connect to it (same as HERALD_SANDBOX=1).
        #[arg(long)]
        sandbox: bool,
    },
    /// Run only the sandbox networks, for tests that start several Herald processes.
    Sandbox {
        #[arg(long, default_value_t = 4000)]
        port: u16,
        /// A redirect URI the sandbox's login dialogs accept (repeatable).
        #[arg(long = "redirect-uri")]
        redirect_uris: Vec<String>,
        /// How many Pages the sandbox's test user manages.
        #[arg(long, default_value_t = 3)]
        pages: usize,
    },
    /// Measure publishing: scheduled Facebook posts published to a sandbox by `instances`
    /// Herald processes sharing one database; prints throughput, lateness, duplicates, losses
    /// and Herald's peak memory.
    Bench {
        #[arg(long, default_value_t = 10_000)]
        posts: usize,
        #[arg(long, default_value_t = 500)]
        accounts: usize,
        #[arg(long, default_value_t = 1)]
        instances: usize,
        /// Posts falling due per second; 0: all due at the same moment.
        #[arg(long, default_value_t = 0)]
        rate: u32,
        /// A PostgreSQL server (`postgres://…`) to run on, in a database of the bench's own;
        /// SQLite in a temporary file when absent.
        #[arg(long)]
        postgres: Option<String>,
        /// The crash drill: kill the first instance with SIGKILL every SECONDS and start it
        /// again; prints what happened to the posts it held.
        #[arg(long, value_name = "SECONDS")]
        kill_every: Option<u64>,
        /// In the crash drill, how long the killed instance stays down before it starts again.
        #[arg(long, value_name = "SECONDS", default_value_t = 0)]
        restart_after: u64,
    },
    /// Measure the analytics dashboard: one workspace filled with published posts and their
    /// snapshots, the dashboard of the last 30 and 90 days made RUNS times each.
    BenchDashboard {
        #[arg(long, default_value_t = 20_000)]
        posts: usize,
        #[arg(long, default_value_t = 500)]
        accounts: usize,
        #[arg(long, default_value_t = 40)]
        runs: usize,
        /// A PostgreSQL server (`postgres://…`) to run on, in a database of the bench's own;
        /// SQLite in a temporary file when absent.
        #[arg(long)]
        postgres: Option<String>,
    },
    /// Apply database migrations, then exit.
    Migrate,
    /// Copy the SQLite database (consistently, while Herald runs) and the media it names into
    /// a new folder. The secret key is not copied: the folder's RESTORE.txt says where it is.
    Backup {
        /// A folder that does not exist yet, or is empty.
        path: std::path::PathBuf,
    },
    /// Put a backup back into the configured data directory. Stop Herald first.
    Restore {
        /// A folder written by `herald backup`.
        path: std::path::PathBuf,
        /// Overwrite the database that is there.
        #[arg(long)]
        replace: bool,
    },
    /// Manage people.
    User {
        #[command(subcommand)]
        action: UserCommand,
    },
}

#[derive(Subcommand)]
enum UserCommand {
    /// Add a person, whatever HERALD_SIGNUP says. The password is read from standard input.
    Create {
        #[arg(long)]
        email: String,
        #[arg(long)]
        name: String,
    },
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let cli = Cli::parse();
    let mut config = Config::from_env()?;
    telemetry::init(config.log_format);
    match cli.command.unwrap_or(Command::Serve { sandbox: false }) {
        Command::Serve { sandbox } => {
            if sandbox {
                config.use_sandbox();
            }
            serve(config).await
        }
        Command::Sandbox {
            port,
            redirect_uris,
            pages,
        } => cli::sandbox::run(port, redirect_uris, pages).await,
        Command::Bench {
            posts,
            accounts,
            instances,
            rate,
            postgres,
            kill_every,
            restart_after,
        } => {
            let report = herald::server::cli::bench::run(herald::server::cli::bench::Plan {
                herald: std::env::current_exe()?,
                posts,
                accounts,
                instances,
                rate,
                postgres,
                kill_every: kill_every.map(std::time::Duration::from_secs),
                restart_after: std::time::Duration::from_secs(restart_after),
            })
            .await?;
            println!("{report}");
            Ok(())
        }
        Command::BenchDashboard {
            posts,
            accounts,
            runs,
            postgres,
        } => {
            let report = herald::server::cli::dashboard_bench::run(
                herald::server::cli::dashboard_bench::Plan {
                    accounts: accounts.max(1),
                    posts,
                    runs: runs.max(1),
                    postgres,
                },
            )
            .await?;
            println!("{report}");
            Ok(())
        }
        Command::Migrate => {
            std::fs::create_dir_all(&config.data_dir)?;
            let db = herald::server::db::Db::connect(&config.database_url).await?;
            db.migrate().await?;
            println!("Migrations applied.");
            Ok(())
        }
        Command::User {
            action: UserCommand::Create { email, name },
        } => cli::user::create(config, &email, &name).await,
        Command::Backup { path } => {
            let copied = cli::backup::backup(&config, &path).await?;
            println!(
                "Backed up the database ({} bytes) and {} media files into {}.",
                copied.database_bytes,
                copied.media_files,
                path.display()
            );
            warn_missing(&copied.missing_media);
            println!(
                "The secret key is NOT in the backup; {} says where it is. Keep a copy of it apart.",
                path.join("RESTORE.txt").display()
            );
            Ok(())
        }
        Command::Restore { path, replace } => {
            let copied = cli::backup::restore(&config, &path, replace).await?;
            println!(
                "Restored the database ({} bytes) and {} media files from {}.",
                copied.database_bytes,
                copied.media_files,
                path.display()
            );
            warn_missing(&copied.missing_media);
            match cli::backup::tokens_that_do_not_open(&config).await? {
                None => println!("No connected account holds a token to check."),
                Some(0) => println!("Every connected account's token opens with this key."),
                Some(_) => println!(
                    "Some connected accounts' tokens do not open with the configured key: set \
                     HERALD_SECRET_KEY (or put the key file back) as on the Herald this came \
                     from, or connect those accounts again."
                ),
            }
            Ok(())
        }
    }
}

fn warn_missing(missing: &[String]) {
    if !missing.is_empty() {
        println!(
            "{} media files named by the database were not found (their posts will say so): {}",
            missing.len(),
            missing.join(", ")
        );
    }
}

async fn serve(config: Config) -> anyhow::Result<()> {
    let application = Application::build(config).await?;
    let address = application.address();
    tracing::info!(
        %address,
        public_url = %application.state().settings.public_url,
        "Herald is listening"
    );
    application.run_until(shutdown_signal()).await?;
    tracing::info!("Herald stopped");
    Ok(())
}
