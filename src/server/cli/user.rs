//! `herald user create`: adding a person from the terminal.

use std::io::{BufRead, IsTerminal, Write};

use anyhow::{Context, bail};

use crate::domain::{DisplayName, EmailAddress, Password, ValidationError};
use crate::error::AppError;
use crate::server::auth::passwords::Passwords;
use crate::server::auth::signup::{self, Admission, SignUpForm};
use crate::server::clock::{Clock, SystemClock};
use crate::server::config::Config;
use crate::server::db::Db;

/// Adds a person (the owner, when they are the first), reading the password from standard
/// input so it never appears in the shell's history.
pub async fn create(config: Config, email: &str, name: &str) -> anyhow::Result<()> {
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
