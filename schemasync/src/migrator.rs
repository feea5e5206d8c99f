//! Running versioned migrations: sqlx's own [`Migrator`] does the applying, ordering,
//! checksums, locking and its `_sqlx_migrations` table; this module finds the files,
//! drives it on a [`Db`], and says per file what it found.

use crate::backend::Backend;
use crate::db::{on_pool, Db};
use crate::error::{Error, Result};
use crate::options::MigrationSource;
use serde::Serialize;
use sqlx::migrate::{MigrateError, Migrator};
use std::path::{Path, PathBuf};

/// The folder of `backend`'s migrations under `root`: `root/postgres`, `root/mysql`,
/// `root/sqlite`.
pub fn backend_dir(root: &Path, backend: Backend) -> PathBuf {
    root.join(backend.key())
}

/// The root of the migration folders: `$SCHEMASYNC_MIGRATIONS`, else `migrations`.
pub fn default_root() -> PathBuf {
    std::env::var_os("SCHEMASYNC_MIGRATIONS").filter(|v| !v.is_empty()).map_or_else(|| "migrations".into(), Into::into)
}

/// One migration: applied or pending, when, and whether the file still matches.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MigrationStatus {
    pub version: i64,
    pub description: String,
    /// When it was applied (UTC, `YYYY-MM-DD HH:MM:SS`); `None` while pending.
    pub applied_at: Option<String>,
    /// `false` when the file changed after it was applied (its checksum differs).
    pub checksum_ok: bool,
    /// Applied, but its file is gone.
    pub missing_file: bool,
}

/// A migrator read from a folder now, or embedded in the binary.
pub(crate) enum Loaded {
    Read(Migrator),
    Embedded(&'static Migrator),
}

impl std::ops::Deref for Loaded {
    type Target = Migrator;

    fn deref(&self) -> &Migrator {
        match self {
            Loaded::Read(m) => m,
            Loaded::Embedded(m) => m,
        }
    }
}

/// Migrations from `source` for `backend`, loaded by sqlx.
pub(crate) async fn load(source: &MigrationSource, backend: Backend) -> Result<(Loaded, String)> {
    let dir = match source {
        MigrationSource::Embedded(m) => return Ok((Loaded::Embedded(m), "the embedded migrations".into())),
        MigrationSource::Folder(dir) => dir.clone(),
        MigrationSource::Default => backend_dir(&default_root(), backend),
    };
    let shown = dir.display().to_string();
    if !dir.is_dir() {
        return Err(Error::Migration {
            dir: shown,
            what: "the folder does not exist".into(),
            hint: "generate the first migration with `schema migrate new <name>`, or point SCHEMASYNC_MIGRATIONS at the folder that holds one folder per backend".into(),
        });
    }
    let migrator = Migrator::new(dir.as_path()).await.map_err(|e| migrate_err(&shown, e))?;
    Ok((Loaded::Read(migrator), shown))
}

/// sqlx's error, with what to do about it.
pub(crate) fn migrate_err(dir: &str, e: MigrateError) -> Error {
    let (what, hint) = match &e {
        MigrateError::VersionMismatch(v) => (
            format!("migration {v} was changed after it was applied (its checksum differs)"),
            "restore the file as it was applied, and put the change in a new migration".to_string(),
        ),
        MigrateError::VersionMissing(v) => (
            format!("migration {v} was applied, but its file is missing"),
            "restore the file (from version control), or revert it on a database that has it".to_string(),
        ),
        MigrateError::Dirty(v) => (
            format!("migration {v} failed part way and left the database dirty"),
            "fix the database by hand, then delete its row from _sqlx_migrations and run again".to_string(),
        ),
        MigrateError::Execute(source) => (
            format!("a statement failed: {source}"),
            "fix the migration file (it has not been recorded as applied) and run again".to_string(),
        ),
        MigrateError::ExecuteMigration(source, v) => (
            format!("migration {v} failed: {source}"),
            "fix the migration file (it has not been recorded as applied) and run again".to_string(),
        ),
        other => (other.to_string(), "check the migration files and the connection".to_string()),
    };
    Error::Migration { dir: dir.to_string(), what, hint }
}

/// Applies every pending migration; returns the versions applied.
pub async fn run(db: &Db, source: &MigrationSource) -> Result<Vec<i64>> {
    let (migrator, dir) = load(source, db.backend()).await?;
    let before = applied(db).await?;
    on_pool!(db, pool => migrator.run(pool).await).map_err(|e| migrate_err(&dir, e))?;
    let after = applied(db).await?;
    Ok(after.into_iter().map(|(v, ..)| v).filter(|v| !before.iter().any(|(b, ..)| b == v)).collect())
}

/// Reverts, newest first, the applied migrations newer than version `to`; with `None`,
/// only the newest one. Returns the versions reverted.
pub async fn revert(db: &Db, source: &MigrationSource, to: Option<i64>) -> Result<Vec<i64>> {
    let (migrator, dir) = load(source, db.backend()).await?;
    let before = applied(db).await?;
    let target = match to {
        Some(v) => v,
        // The one before the newest applied.
        None => {
            let mut versions: Vec<i64> = before.iter().map(|(v, ..)| *v).collect();
            versions.sort_unstable();
            match versions.len() {
                0 => return Ok(Vec::new()),
                n if n >= 2 => versions[n - 2],
                _ => 0,
            }
        }
    };
    if let Some(up) = migrator.iter().find(|m| {
        m.version > target
            && before.iter().any(|(v, ..)| *v == m.version)
            && !migrator.iter().any(|d| d.version == m.version && d.migration_type.is_down_migration())
    }) {
        return Err(Error::Migration {
            dir,
            what: format!("migration {} has no down file, so it cannot be reverted", up.version),
            hint: "write its .down.sql, or revert to a version after it".into(),
        });
    }
    on_pool!(db, pool => migrator.undo(pool, target).await).map_err(|e| migrate_err(&dir, e))?;
    let after = applied(db).await?;
    Ok(before.into_iter().map(|(v, ..)| v).filter(|v| !after.iter().any(|(a, ..)| a == v)).rev().collect())
}

/// Per migration file (and per applied version whose file is gone): applied or pending,
/// when, and whether its checksum still matches.
pub async fn status(db: &Db, source: &MigrationSource) -> Result<Vec<MigrationStatus>> {
    let (migrator, _) = load(source, db.backend()).await?;
    let applied = applied(db).await?;
    let mut out: Vec<MigrationStatus> = migrator
        .iter()
        .filter(|m| !m.migration_type.is_down_migration())
        .map(|m| {
            let found = applied.iter().find(|(v, ..)| *v == m.version);
            MigrationStatus {
                version: m.version,
                description: m.description.to_string(),
                applied_at: found.map(|(_, at, _)| crate::history::utc_text(*at)),
                checksum_ok: found.is_none_or(|(.., sum)| sum.as_slice() == &*m.checksum),
                missing_file: false,
            }
        })
        .collect();
    for (v, at, _) in &applied {
        if !out.iter().any(|s| s.version == *v) {
            out.push(MigrationStatus {
                version: *v,
                description: String::new(),
                applied_at: Some(crate::history::utc_text(*at)),
                checksum_ok: false,
                missing_file: true,
            });
        }
    }
    out.sort_by_key(|s| s.version);
    Ok(out)
}

/// The applied migrations recorded in `_sqlx_migrations`: version, when (seconds since
/// the epoch), checksum. Empty when the table does not exist.
pub(crate) async fn applied(db: &Db) -> Result<Vec<(i64, i64, Vec<u8>)>> {
    let backend = db.backend();
    let d = crate::dialect::dialect(backend);
    // Whether sqlx's table exists: one small query, not a catalog read.
    let exists = match backend {
        Backend::Postgres => "SELECT CAST(count(*) AS BIGINT) FROM pg_catalog.pg_tables WHERE schemaname = current_schema() AND tablename = '_sqlx_migrations'",
        Backend::MySql => "SELECT CAST(COUNT(*) AS SIGNED) FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = '_sqlx_migrations'",
        Backend::Sqlite => "SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND name = '_sqlx_migrations'",
    };
    let found: std::result::Result<(i64,), sqlx::Error> =
        on_pool!(db, pool => sqlx::query_as(exists).fetch_one(pool).await);
    let found = found.map_err(|source| Error::Execute {
        backend,
        table: "_sqlx_migrations".into(),
        sql: exists.to_string(),
        source,
    })?;
    if found.0 == 0 {
        return Ok(Vec::new());
    }
    let sql = format!(
        "SELECT version, {} AS installed_on, checksum FROM _sqlx_migrations WHERE success ORDER BY version",
        d.epoch_seconds("installed_on")
    );
    let rows: std::result::Result<Vec<(i64, i64, Vec<u8>)>, sqlx::Error> =
        on_pool!(db, pool => sqlx::query_as(&sql).fetch_all(pool).await);
    rows.map_err(|source| Error::Execute { backend, table: "_sqlx_migrations".into(), sql, source })
}
