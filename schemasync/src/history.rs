//! Reading the history table: what was applied, when, by which plan, and how it ended.

use crate::db::{Db, IntoDb};
use crate::dialect::dialect;
use crate::error::{Error, Result};
use serde::Serialize;

/// One apply, as recorded in the history table.
#[derive(Debug, Clone, Serialize)]
pub struct HistoryEntry {
    pub run_id: String,
    /// When, as the database prints it.
    pub applied_at: String,
    pub mode: String,
    pub plan_hash: String,
    pub statement_count: i32,
    /// Statements that completed (all of them on success).
    pub completed: i32,
    pub success: bool,
    pub error: Option<String>,
    pub duration_ms: i64,
    pub app_version: Option<String>,
}

/// The last `limit` applies recorded in `table` (newest first); empty when schemasync
/// has never applied anything there.
pub async fn history(db: impl IntoDb, table: &str, limit: u32) -> Result<Vec<HistoryEntry>> {
    let db = db.into_db();
    let backend = db.backend();
    let d = dialect(backend);
    let found = crate::catalog::introspect(&db, &[]).await?;
    if !found.schema.tables.iter().any(|t| t.schema.is_none() && d.same_name(&t.name, table)) {
        return Ok(Vec::new());
    }
    let sql = format!(
        "SELECT run_id, {} AS applied_at, mode, plan_hash, statement_count, completed, success, error, duration_ms, app_version \
         FROM {} ORDER BY id DESC LIMIT {limit}",
        d.cast_to_text("applied_at"),
        d.quote_ident(table)
    );
    type Row = (String, String, String, String, i32, i32, bool, Option<String>, i64, Option<String>);
    let rows: std::result::Result<Vec<Row>, sqlx::Error> = match &db {
        #[cfg(not(any(feature = "postgres", feature = "mysql", feature = "sqlite")))]
        _ => unreachable!("no backend feature: the crate does not build"),
        #[cfg(feature = "postgres")]
        Db::Postgres(p) => sqlx::query_as(&sql).fetch_all(p).await,
        #[cfg(feature = "mysql")]
        Db::MySql(p) => sqlx::query_as(&sql).fetch_all(p).await,
        #[cfg(feature = "sqlite")]
        Db::Sqlite(p) => sqlx::query_as(&sql).fetch_all(p).await,
    };
    let rows = rows.map_err(|source| Error::Execute { backend, table: table.to_string(), sql, source })?;
    Ok(rows
        .into_iter()
        .map(
            |(
                run_id,
                applied_at,
                mode,
                plan_hash,
                statement_count,
                completed,
                success,
                error,
                duration_ms,
                app_version,
            )| {
                HistoryEntry {
                    run_id,
                    applied_at,
                    mode,
                    plan_hash,
                    statement_count,
                    completed,
                    success,
                    error,
                    duration_ms,
                    app_version,
                }
            },
        )
        .collect())
}
