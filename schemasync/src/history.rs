//! Reading the history table: what was applied, when, by which plan, and how it ended.

use crate::db::IntoDb;
use crate::dialect::dialect;
use crate::error::{Error, Result};
use serde::Serialize;

/// One apply, as recorded in the history table.
#[derive(Debug, Clone, Serialize)]
pub struct HistoryEntry {
    pub run_id: String,
    /// When, in UTC, as `YYYY-MM-DD HH:MM:SS` on every backend.
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
        d.epoch_seconds("applied_at"),
        d.quote_ident(table)
    );
    type Row = (String, i64, String, String, i32, i32, bool, Option<String>, i64, Option<String>);
    let rows: std::result::Result<Vec<Row>, sqlx::Error> =
        crate::db::on_pool!(&db, p => sqlx::query_as(&sql).fetch_all(p).await);
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
                    applied_at: utc_text(applied_at),
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

/// Seconds since 1970-01-01 UTC as `YYYY-MM-DD HH:MM:SS` (the proleptic Gregorian
/// calendar, by Howard Hinnant's days-to-civil).
pub(crate) fn utc_text(epoch: i64) -> String {
    let (days, secs) = (epoch.div_euclid(86_400), epoch.rem_euclid(86_400));
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!("{year:04}-{month:02}-{day:02} {:02}:{:02}:{:02}", secs / 3_600, secs % 3_600 / 60, secs % 60)
}

#[cfg(test)]
mod tests {
    #[test]
    fn utc_text() {
        assert_eq!(super::utc_text(0), "1970-01-01 00:00:00");
        assert_eq!(super::utc_text(951_782_400), "2000-02-29 00:00:00");
        assert_eq!(super::utc_text(1_796_517_296), "2026-12-06 00:34:56");
        assert_eq!(super::utc_text(-1), "1969-12-31 23:59:59");
    }
}
