//! Opening a ledger file: connection settings, identity check, schema migrations.

use std::path::{Path, PathBuf};
use std::str::FromStr;
use std::time::Duration;

use sqlx::migrate::Migrator;
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::{Connection, SqliteConnection, SqlitePool};

use crate::error::{Error, Result};

/// The migrations, embedded at compile time: a ledger needs nothing installed beside the app.
static MIGRATOR: Migrator = sqlx::migrate!("./migrations");

/// `PRAGMA application_id` of a Recouvre ledger ("RCVR" in ASCII), set by the first migration.
const APPLICATION_ID: i64 = 0x5243_5652;

/// SQLite's "file is not a database" and "database disk image is malformed" result codes.
const SQLITE_NOTADB: &str = "26";
const SQLITE_CORRUPT: &str = "11";

/// The newest schema version this build knows (the last migration's version).
pub static SCHEMA_VERSION: std::sync::LazyLock<i64> =
    std::sync::LazyLock::new(|| MIGRATOR.iter().map(|m| m.version).max().unwrap_or(0));

/// Where the ledger lives when no path is given: the OS's per-user data directory
/// (`~/.local/share/recouvre/recouvre.db` on Linux, `%APPDATA%\Recouvre\data` on Windows…).
pub fn default_path() -> Option<PathBuf> {
    directories::ProjectDirs::from("fr", "Recouvre", "recouvre").map(|dirs| dirs.data_dir().join("recouvre.db"))
}

fn options(path: &Path) -> SqliteConnectOptions {
    SqliteConnectOptions::from_str("sqlite:")
        .expect("static connection string")
        .filename(path)
        .create_if_missing(true)
        .journal_mode(SqliteJournalMode::Wal)
        // In WAL mode NORMAL is durable against application crashes and much faster than FULL;
        // only a power cut can lose the last transactions, never corrupt the file.
        .synchronous(SqliteSynchronous::Normal)
        .foreign_keys(true)
        .busy_timeout(Duration::from_secs(5))
        // SQLite's default 2 MB page cache makes a large ledger's reports go to the OS for every
        // page; 64 MB (an upper bound, allocated as used) and memory-mapped reads keep them in RAM.
        .pragma("cache_size", "-65536")
        .pragma("mmap_size", "268435456")
        .pragma("temp_store", "memory")
        // Rows cross from sqlx's database thread in batches: a larger buffer means fewer thread
        // hand-offs on reports that read many rows.
        .row_buffer_size(4096)
}

fn not_a_ledger(path: &Path, error: sqlx::Error) -> Error {
    match &error {
        sqlx::Error::Database(db) if matches!(db.code().as_deref(), Some(SQLITE_NOTADB | SQLITE_CORRUPT)) => {
            Error::NotALedger { path: path.to_path_buf() }
        }
        _ => Error::Storage(error),
    }
}

/// Opens (or creates) the file, checks what it is, migrates it, and returns a pool.
pub(super) async fn connect(path: &Path) -> Result<SqlitePool> {
    if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(parent).map_err(|source| Error::File { path: parent.to_path_buf(), source })?;
    }
    if path.is_dir() {
        return Err(Error::File {
            path: path.to_path_buf(),
            source: std::io::Error::new(std::io::ErrorKind::IsADirectory, "c'est un dossier, pas un fichier"),
        });
    }
    // Check and migrate on a single connection first, before any pool opens more.
    let mut conn = SqliteConnection::connect_with(&options(path)).await.map_err(|e| not_a_ledger(path, e))?;
    check_identity(&mut conn, path).await?;
    MIGRATOR.run(&mut conn).await.map_err(|e| match e {
        sqlx::migrate::MigrateError::Execute(inner) => not_a_ledger(path, inner),
        other => Error::Storage(sqlx::Error::Migrate(Box::new(other))),
    })?;
    conn.close().await?;
    let pool = SqlitePoolOptions::new()
        .max_connections(4)
        .connect_with(options(path))
        .await
        .map_err(|e| not_a_ledger(path, e))?;
    Ok(pool)
}

/// A ledger is either an empty file (new), or a database carrying our application id whose schema
/// is not newer than ours. Anything else is left untouched.
async fn check_identity(conn: &mut SqliteConnection, path: &Path) -> Result<()> {
    let application_id: i64 =
        sqlx::query_scalar("PRAGMA application_id").fetch_one(&mut *conn).await.map_err(|e| not_a_ledger(path, e))?;
    let objects: i64 = sqlx::query_scalar("SELECT count(*) FROM sqlite_master")
        .fetch_one(&mut *conn)
        .await
        .map_err(|e| not_a_ledger(path, e))?;
    if application_id == 0 && objects == 0 {
        return Ok(());
    }
    if application_id != APPLICATION_ID {
        return Err(Error::NotALedger { path: path.to_path_buf() });
    }
    let found: Option<i64> = sqlx::query_scalar("SELECT max(version) FROM _sqlx_migrations WHERE success")
        .fetch_one(&mut *conn)
        .await
        .map_err(|_| Error::NotALedger { path: path.to_path_buf() })?;
    let supported = *SCHEMA_VERSION;
    match found {
        Some(found) if found > supported => Err(Error::NewerLedger { found, supported }),
        _ => Ok(()),
    }
}
