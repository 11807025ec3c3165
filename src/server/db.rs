//! The database: one pool for SQLite (the embedded default) or PostgreSQL (scale-out), one set
//! of queries written in SQL both accept, and the two migration folders embedded in the binary.

pub mod accounts;
pub mod ai_calls;
pub mod attempts;
pub mod figure_aggregates;
pub mod figures;
pub mod invitations;
pub mod jobs;
pub mod known_devices;
pub mod media;
pub mod oauth;
pub mod posts;
pub mod revisions;
pub mod sessions;
pub mod sign_in_throttle;
pub mod users;

use std::time::Duration;

use sqlx::any::{AnyPoolOptions, install_default_drivers};
use sqlx::migrate::Migrator;
use sqlx::{AnyPool, Executor};

static SQLITE_MIGRATIONS: Migrator = sqlx::migrate!("./migrations/sqlite");
static POSTGRES_MIGRATIONS: Migrator = sqlx::migrate!("./migrations/postgres");

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Engine {
    Sqlite,
    Postgres,
}

impl Engine {
    pub fn of_url(url: &str) -> Option<Engine> {
        if url.starts_with("sqlite:") {
            Some(Engine::Sqlite)
        } else if url.starts_with("postgres:") || url.starts_with("postgresql:") {
            Some(Engine::Postgres)
        } else {
            None
        }
    }

    /// The engine `connection` talks to.
    pub fn of_connection(connection: &sqlx::AnyConnection) -> Engine {
        if connection.backend_name() == <sqlx::Sqlite as sqlx::Database>::NAME {
            Engine::Sqlite
        } else {
            Engine::Postgres
        }
    }

    /// The engine `pool` connects to.
    pub fn of_pool(pool: &AnyPool) -> Engine {
        Engine::of_url(pool.connect_options().database_url.as_str()).unwrap_or(Engine::Postgres)
    }

    fn migrator(self) -> &'static Migrator {
        match self {
            Engine::Sqlite => &SQLITE_MIGRATIONS,
            Engine::Postgres => &POSTGRES_MIGRATIONS,
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum DbError {
    #[error("DATABASE_URL must start with sqlite: or postgres:")]
    UnsupportedUrl,
    #[error("could not connect to the database")]
    Connect(#[source] sqlx::Error),
    #[error("could not apply the database migrations")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    #[error(transparent)]
    Query(#[from] sqlx::Error),
}

#[derive(Clone)]
pub struct Db {
    pool: AnyPool,
    engine: Engine,
}

impl Db {
    pub async fn connect(url: &str) -> Result<Db, DbError> {
        let engine = Engine::of_url(url).ok_or(DbError::UnsupportedUrl)?;
        install_default_drivers();
        let mut options = AnyPoolOptions::new()
            .max_connections(match engine {
                Engine::Sqlite => 4,
                Engine::Postgres => 10,
            })
            .acquire_timeout(Duration::from_secs(10));
        if engine == Engine::Sqlite {
            // The Any driver cannot take SqliteConnectOptions, so the pragmas are set per
            // connection. sqlx already enables foreign keys and a 5 s busy timeout.
            options = options.after_connect(|connection, _| {
                Box::pin(async move {
                    connection.execute("PRAGMA journal_mode = WAL").await?;
                    connection.execute("PRAGMA synchronous = NORMAL").await?;
                    connection.execute("PRAGMA foreign_keys = ON").await?;
                    Ok(())
                })
            });
        }
        let pool = options.connect(url).await.map_err(DbError::Connect)?;
        Ok(Db { pool, engine })
    }

    pub async fn migrate(&self) -> Result<(), DbError> {
        self.engine.migrator().run(&self.pool).await?;
        Ok(())
    }

    /// True when the database answers and every embedded migration has been applied.
    pub async fn is_ready(&self) -> Result<bool, DbError> {
        // `success` is BOOLEAN on PostgreSQL and 0/1 on SQLite; a bare `WHERE success` reads both.
        let applied: Vec<(i64,)> =
            sqlx::query_as("SELECT version FROM _sqlx_migrations WHERE success")
                .fetch_all(&self.pool)
                .await?;
        let all_applied = self.engine.migrator().iter().all(|migration| {
            applied
                .iter()
                .any(|(version,)| *version == migration.version)
        });
        Ok(all_applied)
    }

    pub fn pool(&self) -> &AnyPool {
        &self.pool
    }

    /// A transaction that will write. On SQLite it takes the write lock at once: one that
    /// reads first and writes later would otherwise fail outright ("database is locked") when
    /// another process wrote in between, where taking the lock first just waits its turn.
    pub async fn begin_write(&self) -> Result<sqlx::Transaction<'static, sqlx::Any>, sqlx::Error> {
        match self.engine {
            Engine::Sqlite => self.pool.begin_with("BEGIN IMMEDIATE").await,
            Engine::Postgres => self.pool.begin().await,
        }
    }

    pub fn engine(&self) -> Engine {
        self.engine
    }

    pub async fn close(&self) {
        self.pool.close().await;
    }
}

/// Milliseconds since the Unix epoch: how every instant is stored, on both engines.
/// A row holds a state or kind this Herald does not know (written by a newer version, or by
/// hand). Reading it is an error naming the row, never a silent default.
#[derive(Debug, thiserror::Error)]
#[error("{table} row {id} has an unknown {column}: {value:?}")]
pub struct UnknownValue {
    pub table: &'static str,
    pub id: String,
    pub column: &'static str,
    pub value: String,
}

impl From<UnknownValue> for sqlx::Error {
    fn from(unknown: UnknownValue) -> Self {
        sqlx::Error::Decode(Box::new(unknown))
    }
}

/// A row named by two ids (`post/account`), written out only if an error needs it.
pub(crate) struct TwoIds<'a, A, B>(pub &'a A, pub &'a B);

impl<A: std::fmt::Display, B: std::fmt::Display> std::fmt::Display for TwoIds<'_, A, B> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}/{}", self.0, self.1)
    }
}

/// `raw`, read from `column` of the `table` row `id`, as the state or kind it names.
pub(crate) fn known<T>(
    parse: impl Fn(&str) -> Option<T>,
    (table, id): (&'static str, &dyn std::fmt::Display),
    column: &'static str,
    raw: &str,
) -> Result<T, UnknownValue> {
    parse(raw).ok_or_else(|| UnknownValue {
        table,
        id: id.to_string(),
        column,
        value: raw.to_owned(),
    })
}

/// Converts every row into its domain record, or fails on the first it cannot.
pub(crate) fn records<Row, Record>(rows: Vec<Row>) -> Result<Vec<Record>, sqlx::Error>
where
    Record: TryFrom<Row, Error = UnknownValue>,
{
    rows.into_iter()
        .map(|row| Record::try_from(row).map_err(sqlx::Error::from))
        .collect()
}

pub fn millis(at: chrono::DateTime<chrono::Utc>) -> i64 {
    at.timestamp_millis()
}

/// A new random, time-ordered identifier for a row.
pub fn new_id<Id: From<String>>() -> Id {
    Id::from(uuid::Uuid::now_v7().to_string())
}

/// `$first, …`: `count` parameters for an `IN (…)` list, after those bound before it.
pub fn placeholders(first: usize, count: usize) -> String {
    (first..first + count)
        .map(|n| format!("${n}"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// `($1, $2), ($3, $4)`: the VALUES rows of a statement written once for many rows, whose
/// parameters are bound row after row, and which binds nothing else.
///
/// On SQLite they are anonymous, `(?, ?), (?, ?)`: SQLite looks a numbered parameter up among
/// all the earlier ones as it parses it, and again when sqlx binds it, so a statement of a
/// pass's hundreds of parameters cost time growing with their square (a tenth of Herald's CPU
/// in `herald bench`). PostgreSQL only takes numbered ones.
pub fn value_rows(engine: Engine, rows: usize, columns: usize) -> String {
    (0..rows)
        .map(|row| {
            let parameters: Vec<String> = (1..=columns)
                .map(|column| match engine {
                    Engine::Sqlite => "?".to_owned(),
                    Engine::Postgres => format!("${}", row * columns + column),
                })
                .collect();
            format!("({})", parameters.join(", "))
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// True when the error is a unique constraint refusing a duplicate.
pub fn is_unique_violation(error: &sqlx::Error) -> bool {
    match error {
        sqlx::Error::Database(db_error) => db_error.is_unique_violation(),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn value_rows_number_parameters_row_after_row() {
        assert_eq!(super::placeholders(3, 2), "$3, $4");
        use super::Engine::{Postgres, Sqlite};
        assert_eq!(super::value_rows(Postgres, 1, 1), "($1)");
        assert_eq!(
            super::value_rows(Postgres, 2, 3),
            "($1, $2, $3), ($4, $5, $6)"
        );
        assert_eq!(super::value_rows(Sqlite, 2, 2), "(?, ?), (?, ?)");
    }
}
