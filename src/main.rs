//! The `herald` command: serve (the default), apply migrations, or add a person.

use std::io::{BufRead, IsTerminal, Write};

use anyhow::{Context, bail};
use clap::{Parser, Subcommand};
use herald::domain::{DisplayName, EmailAddress, Password, ValidationError};
use herald::error::AppError;
use herald::server::auth::passwords::Passwords;
use herald::server::auth::signup::{self, Admission, SignUpForm};
use herald::server::clock::{Clock, SystemClock};
use herald::server::config::Config;
use herald::server::db::Db;
use herald::server::sandbox::Sandbox;
use herald::server::sandbox::meta::SandboxConfig;
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
    },
    /// Apply database migrations, then exit.
    Migrate,
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
        } => run_sandbox(port, redirect_uris, pages).await,
        Command::Bench {
            posts,
            accounts,
            instances,
            rate,
            postgres,
        } => {
            let report = herald::server::bench::run(herald::server::bench::Plan {
                herald: std::env::current_exe()?,
                posts,
                accounts,
                instances,
                rate,
                postgres,
            })
            .await?;
            println!("{report}");
            Ok(())
        }
        Command::Migrate => {
            std::fs::create_dir_all(&config.data_dir)?;
            let db = Db::connect(&config.database_url).await?;
            db.migrate().await?;
            println!("Migrations applied.");
            Ok(())
        }
        Command::User {
            action: UserCommand::Create { email, name },
        } => create_user(config, &email, &name).await,
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

async fn run_sandbox(port: u16, redirect_uris: Vec<String>, pages: usize) -> anyhow::Result<()> {
    let listener = tokio::net::TcpListener::bind(("127.0.0.1", port))
        .await
        .with_context(|| format!("could not listen on 127.0.0.1:{port}"))?;
    let config = SandboxConfig {
        page_count: pages.max(1),
        ..SandboxConfig::default()
    };
    let sandbox = Sandbox::start(listener, config).await?;
    for uri in &redirect_uris {
        sandbox.meta().register_redirect_uri(uri);
    }
    tracing::info!(address = %sandbox.address(), "sandbox is listening");
    shutdown_signal().await;
    Ok(())
}

async fn shutdown_signal() {
    let interrupt = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = interrupt => {},
        () = terminate => {},
    }
}

async fn create_user(config: Config, email: &str, name: &str) -> anyhow::Result<()> {
    let password = read_password()?;
    let form = SignUpForm {
        display_name: DisplayName::parse(name).map_err(refused)?,
        email: EmailAddress::parse(email).map_err(refused)?,
        password: Password::parse_new(password).map_err(refused)?,
        language: None,
    };
    std::fs::create_dir_all(&config.data_dir)?;
    let db = Db::connect(&config.database_url).await?;
    db.migrate().await?;
    let passwords = Passwords::new().await?;
    let registered = signup::register(
        &db,
        &passwords,
        config.signup,
        SystemClock.now(),
        &form,
        Admission::Operator,
    )
    .await
    .map_err(|error| anyhow::anyhow!("{error}"))?;
    println!(
        "Added {} ({}){}.",
        form.display_name.as_str(),
        form.email,
        if registered.is_owner {
            ", the owner of this Herald"
        } else {
            ""
        }
    );
    Ok(())
}

/// A refused value, worded in English for the terminal.
fn refused(error: ValidationError) -> anyhow::Error {
    anyhow::anyhow!("{}", AppError::from(error))
}

/// One line from standard input; prompts first when a person is typing.
fn read_password() -> anyhow::Result<String> {
    let stdin = std::io::stdin();
    if stdin.is_terminal() {
        eprint!("Password (it will be shown as you type): ");
        std::io::stderr().flush()?;
    }
    let mut line = String::new();
    stdin
        .lock()
        .read_line(&mut line)
        .context("could not read the password from standard input")?;
    let password = line.trim_end_matches(['\r', '\n']).to_owned();
    if password.is_empty() {
        bail!("no password given on standard input");
    }
    Ok(password)
}
