//! `herald backup PATH` and `herald restore PATH`: a consistent copy of a SQLite Herald — its
//! database, taken while Herald runs with `VACUUM INTO`, and every media file that database
//! names — and putting one back. The secret key is deliberately not copied: a backup that held
//! both the sealed tokens and their key would hand the accounts to whoever found it. A note in
//! the backup says where the key lives. PostgreSQL is backed up with its own tools (README).

use std::path::{Path, PathBuf};
use std::str::FromStr;

use anyhow::{Context, bail};
use sqlx::Connection;
use sqlx::sqlite::{SqliteConnectOptions, SqliteConnection};
use tokio::io::AsyncWriteExt;

use crate::server::config::Config;
use crate::server::crypto::vault::{KEY_FILE_NAME, Vault};
use crate::server::db::{Db, Engine, accounts};
use crate::server::media::storage::{LocalDisk, MediaStore};

const DATABASE_FILE: &str = "herald.db";
const MEDIA_FOLDER: &str = "media";
const NOTE_FILE: &str = "RESTORE.txt";

/// What a backup or a restore copied.
#[derive(Debug)]
pub struct Copied {
    pub database_bytes: u64,
    pub media_files: usize,
    /// Files the database names that were not in the media folder (deleted meanwhile, or lost
    /// before): the posts using them will say their media is missing.
    pub missing_media: Vec<String>,
}

/// Writes the backup into `destination`, a new or empty folder.
pub async fn backup(config: &Config, destination: &Path) -> anyhow::Result<Copied> {
    let database = sqlite_file(config)?;
    if !database.exists() {
        bail!("there is no database at {} to back up", database.display());
    }
    prepare_empty_folder(destination)?;
    let copy = destination.join(DATABASE_FILE);
    let db = Db::connect(&config.database_url).await?;
    // A consistent snapshot even while Herald writes: SQLite copies one transaction's view.
    sqlx::query("VACUUM INTO $1")
        .bind(copy.to_string_lossy().into_owned())
        .execute(db.pool())
        .await
        .context("copying the database")?;
    db.pool().close().await;

    let keys = media_keys(&copy).await?;
    let (media_files, missing_media) = copy_media(
        &config.data_dir.join(MEDIA_FOLDER),
        &destination.join(MEDIA_FOLDER),
        &keys,
    )
    .await?;
    std::fs::write(destination.join(NOTE_FILE), restore_note(config))?;
    Ok(Copied {
        database_bytes: std::fs::metadata(&copy)?.len(),
        media_files,
        missing_media,
    })
}

/// Puts a backup back into the configured data directory. Herald must be stopped. An existing
/// database is replaced only when `replace` is given.
pub async fn restore(config: &Config, source: &Path, replace: bool) -> anyhow::Result<Copied> {
    let database = sqlite_file(config)?;
    let backed_up = source.join(DATABASE_FILE);
    if !backed_up.is_file() {
        bail!(
            "{} holds no {DATABASE_FILE}: is it a folder written by `herald backup`?",
            source.display()
        );
    }
    if database.exists() && !replace {
        bail!(
            "a database is already at {}; stop Herald and run again with --replace to overwrite it",
            database.display()
        );
    }
    let keys = media_keys(&backed_up).await?;
    if let Some(folder) = database.parent() {
        std::fs::create_dir_all(folder)?;
    }
    // Copied beside the target, then renamed over it: never a half-written database.
    let incoming = database.with_extension("db.restoring");
    std::fs::copy(&backed_up, &incoming).context("copying the database")?;
    for journal in ["-wal", "-shm"] {
        let mut path = database.clone().into_os_string();
        path.push(journal);
        let _ = std::fs::remove_file(PathBuf::from(path));
    }
    std::fs::rename(&incoming, &database)?;
    let (media_files, missing_media) = copy_media(
        &source.join(MEDIA_FOLDER),
        &config.data_dir.join(MEDIA_FOLDER),
        &keys,
    )
    .await?;
    Ok(Copied {
        database_bytes: std::fs::metadata(&database)?.len(),
        media_files,
        missing_media,
    })
}

/// Whether the configured key opens the restored accounts' tokens: `None` when no account holds
/// one, else how many did not open (all of them when there is no key at all).
pub async fn tokens_that_do_not_open(config: &Config) -> anyhow::Result<Option<usize>> {
    let db = Db::connect(&config.database_url).await?;
    let sealed = accounts::all_sealed_tokens(db.pool()).await?;
    db.pool().close().await;
    if sealed.is_empty() {
        return Ok(None);
    }
    let key_file = config.data_dir.join(KEY_FILE_NAME);
    let current = match &config.secret_key {
        Some(key) => key.expose().to_owned(),
        None if key_file.exists() => std::fs::read_to_string(&key_file)?,
        None => return Ok(Some(sealed.len())),
    };
    let previous: Vec<String> = config
        .previous_secret_keys
        .iter()
        .map(|key| key.expose().to_owned())
        .collect();
    let vault = Vault::from_keys(&current, &previous)?;
    Ok(Some(
        sealed
            .iter()
            .filter(|(id, token)| vault.open(token, id).is_err())
            .count(),
    ))
}

fn sqlite_file(config: &Config) -> anyhow::Result<PathBuf> {
    if Engine::of_url(&config.database_url) != Some(Engine::Sqlite) {
        bail!(
            "DATABASE_URL names a PostgreSQL database: back it up with pg_dump and copy the media \
             folder {} (see the README)",
            config.data_dir.join(MEDIA_FOLDER).display()
        );
    }
    let options = SqliteConnectOptions::from_str(&config.database_url)?;
    Ok(options.get_filename().to_path_buf())
}

fn prepare_empty_folder(folder: &Path) -> anyhow::Result<()> {
    if folder.exists() && std::fs::read_dir(folder)?.next().is_some() {
        bail!(
            "{} is not empty: back up into a new folder, so no older backup is mixed in",
            folder.display()
        );
    }
    std::fs::create_dir_all(folder)?;
    Ok(())
}

/// Every media file the database at `database` names. Opened read-only, outside the pool
/// (whose set-up would switch the file to WAL mode).
async fn media_keys(database: &Path) -> anyhow::Result<Vec<String>> {
    let options = SqliteConnectOptions::new()
        .filename(database)
        .read_only(true);
    let mut connection = SqliteConnection::connect_with(&options).await?;
    let keys: Vec<(String,)> = sqlx::query_as("SELECT storage_key FROM media_files")
        .fetch_all(&mut connection)
        .await
        .context("reading the backup's list of media files")?;
    connection.close().await?;
    Ok(keys.into_iter().map(|(key,)| key).collect())
}

/// Copies each file named in `keys` from one media folder to another; returns how many were
/// copied and which were missing.
async fn copy_media(
    from: &Path,
    to: &Path,
    keys: &[String],
) -> anyhow::Result<(usize, Vec<String>)> {
    let source = LocalDisk::open(from)?;
    let target = LocalDisk::open(to)?;
    let mut copied = 0;
    let mut missing = Vec::new();
    for key in keys {
        let mut stored = match source.get(key).await {
            Ok(stored) => stored,
            Err(crate::server::media::storage::StoreError::NotFound(_)) => {
                missing.push(key.clone());
                continue;
            }
            Err(error) => return Err(error.into()),
        };
        let path = target.file_path(key)?;
        if let Some(folder) = path.parent() {
            tokio::fs::create_dir_all(folder).await?;
        }
        let mut file = tokio::fs::File::create(&path).await?;
        tokio::io::copy(&mut stored.reader, &mut file).await?;
        file.flush().await?;
        copied += 1;
    }
    Ok((copied, missing))
}

/// What the backup holds and how to put it back; above all, where the key is.
fn restore_note(config: &Config) -> String {
    let key = match &config.secret_key {
        Some(_) => "the HERALD_SECRET_KEY (and any HERALD_PREVIOUS_SECRET_KEYS) in Herald's \
                    environment"
            .to_owned(),
        None => format!(
            "the key file {}",
            config.data_dir.join(KEY_FILE_NAME).display()
        ),
    };
    format!(
        "A backup of Herald: {DATABASE_FILE} (the database) and {MEDIA_FOLDER}/ (the pictures and \
         videos it names).\n\n\
         NOT IN THIS BACKUP: the secret key that opens the connected accounts' tokens. It is\n\
         {key}.\n\
         Keep a copy of it somewhere else than this backup. Restored without it, Herald keeps\n\
         every post, but each connected account must be connected again.\n\n\
         To restore: stop Herald, then run\n    herald restore {{this folder}}\n\
         with the same DATABASE_URL, HERALD_DATA_DIR and key as the Herald it came from (add\n\
         --replace to overwrite an existing database), and start Herald again.\n"
    )
}
