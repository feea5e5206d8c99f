//! Applying a plan safely: under a lock, in one transaction where the backend allows
//! it, and recorded in the history table.
//!
//! Each backend's session (one pooled connection held for the whole apply) is in its
//! own file; the algorithm in [`run_locked`] is written once.

#[cfg(feature = "mysql")]
mod mysql;
#[cfg(feature = "postgres")]
mod postgres;
#[cfg(feature = "sqlite")]
mod sqlite;

#[cfg(feature = "mysql")]
pub(crate) use mysql::MySqlSession;
#[cfg(feature = "postgres")]
pub(crate) use postgres::PgSession;
#[cfg(feature = "sqlite")]
pub(crate) use sqlite::SqliteSession;

use crate::dialect::{dialect, Backend};
use crate::error::{Error, Result};
use crate::options::SyncOptions;
use crate::plan::Plan;
use crate::render::Statement;
use crate::schema::{Column, ColumnType, DefaultValue, PrimaryKey, Table};
use std::future::Future;
use std::time::{Duration, Instant};

/// One connection, held for the whole apply.
pub(crate) trait Session: crate::catalog::CatalogSource {
    /// Runs one statement.
    fn exec<'a>(&'a mut self, sql: &'a str) -> impl Future<Output = std::result::Result<(), sqlx::Error>> + Send + 'a;
    /// Takes the cross-instance lock, waiting at most `timeout`.
    fn lock(&mut self, key: &str, timeout: Duration) -> impl Future<Output = Result<()>> + Send;
    /// Releases the lock (and anything `lock` began).
    fn unlock(&mut self) -> impl Future<Output = ()> + Send;
    /// Starts the plan's transaction (a no-op where DDL is not transactional).
    fn begin(&mut self, options: &SyncOptions) -> impl Future<Output = Result<()>> + Send;
    /// The tables the plan touches (SQLite checks their foreign keys before commit).
    fn set_scope(&mut self, tables: Vec<String>) {
        let _ = tables;
    }
    /// Commits it, after the backend's last checks.
    fn commit(&mut self) -> impl Future<Output = Result<()>> + Send;
    /// Rolls it back.
    fn rollback(&mut self) -> impl Future<Output = ()> + Send;
    /// Whether a failure leaves the database as it was.
    fn transactional(&self) -> bool;
}

/// What an apply did.
#[derive(Debug, Clone)]
pub(crate) struct Applied {
    pub statements: usize,
    pub duration: Duration,
}

/// The history table's definition: one row per apply.
pub(crate) fn history_table(name: &str) -> Table {
    let col = |name: &str, ty: ColumnType, nullable: bool, default: Option<DefaultValue>| Column {
        nullable,
        default,
        ..Column::new(name, ty)
    };
    let mut t = Table::new(name);
    t.columns = vec![
        Column { auto_increment: true, ..col("id", ColumnType::BigInt, false, None) },
        col("run_id", ColumnType::Varchar { len: 40 }, false, None),
        col("applied_at", ColumnType::TimestampTz { precision: None }, false, Some(DefaultValue::CurrentTimestamp)),
        col("mode", ColumnType::Varchar { len: 32 }, false, None),
        col("plan_hash", ColumnType::Varchar { len: 64 }, false, None),
        col("statements", ColumnType::Text, false, None),
        col("statement_count", ColumnType::Integer, false, None),
        col("completed", ColumnType::Integer, false, None),
        col("success", ColumnType::Boolean, false, None),
        col("error", ColumnType::Text, true, None),
        col("duration_ms", ColumnType::BigInt, false, None),
        col("app_version", ColumnType::Varchar { len: 100 }, true, None),
    ];
    t.primary_key = Some(PrimaryKey { name: crate::schema::naming::primary_key(name), columns: vec!["id".into()] });
    t
}

/// A run id nobody else uses: time, process and a counter.
fn run_id() -> String {
    use std::sync::atomic::{AtomicU32, Ordering};
    static COUNTER: AtomicU32 = AtomicU32::new(0);
    let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap_or_default();
    format!("{:x}-{:x}-{:x}", now.as_nanos(), std::process::id(), COUNTER.fetch_add(1, Ordering::Relaxed))
}

struct History<'a> {
    backend: Backend,
    table: String,
    run_id: String,
    plan: &'a Plan,
    options: &'a SyncOptions,
    statements: &'a [Statement],
}

impl History<'_> {
    fn create(&self) -> Result<Vec<String>> {
        let mut t = history_table(&self.table);
        t.schema = None;
        Ok(crate::render::create_table(dialect(self.backend), &t, &[])?.into_iter().map(|s| s.sql).collect())
    }

    fn insert(&self, completed: usize, success: bool, error: Option<&str>, duration: Duration) -> String {
        let d = dialect(self.backend);
        let lit = |s: &str| d.literal(s);
        let bool_sql = |b: bool| d.render_default(&DefaultValue::Bool(b), &ColumnType::Boolean);
        let all: Vec<&str> = self.statements.iter().map(|s| s.sql.as_str()).collect();
        format!(
            "INSERT INTO {} (run_id, mode, plan_hash, statements, statement_count, completed, success, error, duration_ms, app_version) \
             VALUES ({}, {}, {}, {}, {}, {completed}, {}, {}, {}, {})",
            d.quote_ident(&self.table),
            lit(&self.run_id),
            lit(self.plan.mode.key()),
            lit(&self.plan.hash),
            lit(&all.join(";\n")),
            all.len(),
            bool_sql(success),
            error.map(lit).unwrap_or_else(|| "NULL".into()),
            duration.as_millis(),
            self.options.app_version.as_deref().map(lit).unwrap_or_else(|| "NULL".into()),
        )
    }

    fn progress(&self, completed: usize, success: bool, error: Option<&str>, duration: Duration) -> String {
        let d = dialect(self.backend);
        format!(
            "UPDATE {} SET completed = {completed}, success = {}, error = {}, duration_ms = {} WHERE run_id = {}",
            d.quote_ident(&self.table),
            d.render_default(&DefaultValue::Bool(success), &ColumnType::Boolean),
            error.map(|e| d.literal(e)).unwrap_or_else(|| "NULL".into()),
            duration.as_millis(),
            d.literal(&self.run_id)
        )
    }
}

/// Executes `plan` on a locked session. The history row is written in the same
/// transaction on success; after a rollback, on its own; on MySQL, before the first
/// statement and after each one, so it shows how far the plan got.
pub(crate) async fn execute<S: Session>(s: &mut S, plan: &Plan, options: &SyncOptions) -> Result<Applied> {
    let statements = plan.statements();
    let history = History {
        backend: s.backend(),
        table: options.history_table.clone(),
        run_id: run_id(),
        plan,
        options,
        statements: &statements,
    };
    let started = Instant::now();
    let fail = |s: &Statement, source: sqlx::Error| Error::Execute {
        backend: history.backend,
        table: s.table.clone(),
        sql: s.sql.clone(),
        source,
    };
    let setup =
        |sql: String, source| Error::Execute { backend: history.backend, table: history.table.clone(), sql, source };

    if !s.transactional() {
        for sql in history.create()? {
            s.exec(&sql).await.map_err(|e| setup(sql.clone(), e))?;
        }
        let sql = history.insert(0, false, Some("in progress"), Duration::ZERO);
        s.exec(&sql).await.map_err(|e| setup(sql.clone(), e))?;
        for (i, st) in statements.iter().enumerate() {
            tracing::info!(table = %st.table, sql = %st.sql, "schemasync: applying");
            if let Err(e) = s.exec(&st.sql).await {
                let err = fail(st, e);
                let _ = s.exec(&history.progress(i, false, Some(&err.to_string()), started.elapsed())).await;
                // Session settings the plan changed (FOREIGN_KEY_CHECKS) are restored.
                for sql in &plan.after {
                    let _ = s.exec(sql).await;
                }
                return Err(Error::PartiallyApplied {
                    backend: history.backend,
                    completed: i,
                    total: statements.len(),
                    run_id: history.run_id.clone(),
                    history_table: history.table.clone(),
                    source: Box::new(err),
                });
            }
            let _ = s.exec(&history.progress(i + 1, i + 1 == statements.len(), None, started.elapsed())).await;
        }
        return Ok(Applied { statements: statements.len(), duration: started.elapsed() });
    }

    s.set_scope(plan.steps.iter().map(|st| st.table.name.clone()).collect());
    s.begin(options).await?;
    let mut result: Result<()> = Ok(());
    for sql in history.create()? {
        if let Err(e) = s.exec(&sql).await {
            result = Err(setup(sql.clone(), e));
            break;
        }
    }
    let mut completed = 0;
    if result.is_ok() {
        for st in &statements {
            tracing::info!(table = %st.table, sql = %st.sql, "schemasync: applying");
            if let Err(e) = s.exec(&st.sql).await {
                result = Err(fail(st, e));
                break;
            }
            completed += 1;
        }
    }
    if result.is_ok() {
        let sql = history.insert(completed, true, None, started.elapsed());
        result = s.exec(&sql).await.map_err(|e| setup(sql.clone(), e));
    }
    if result.is_ok() {
        result = s.commit().await;
    }
    match result {
        Ok(()) => Ok(Applied { statements: statements.len(), duration: started.elapsed() }),
        Err(err) => {
            s.rollback().await;
            tracing::error!(error = %err, "schemasync: plan rolled back; the database is as it was");
            // The failure is recorded outside the rolled-back transaction.
            let mut record = history.create()?;
            record.push(history.insert(completed, false, Some(&err.to_string()), started.elapsed()));
            for sql in record {
                if let Err(e) = s.exec(&sql).await {
                    tracing::warn!(error = %e, "schemasync: could not record the failure in the history table");
                    break;
                }
            }
            Err(err)
        }
    }
}

/// A timeout in whole milliseconds for SQL, between 1 ms and PostgreSQL's maximum.
pub(crate) fn millis(d: Duration) -> u128 {
    d.as_millis().clamp(1, i32::MAX as u128)
}

/// The session's pooled connection. While `dirty` (a lock or transaction may be held),
/// dropping it closes the connection instead of returning it to the pool: the server
/// then releases the lock and rolls back, even if the sync future was cancelled.
pub(crate) struct Held<DB: sqlx::Database> {
    conn: Option<sqlx::pool::PoolConnection<DB>>,
    pub dirty: bool,
}

impl<DB: sqlx::Database> Held<DB> {
    pub fn new(conn: sqlx::pool::PoolConnection<DB>) -> Self {
        Held { conn: Some(conn), dirty: false }
    }

    /// The connection; present from `new` until drop.
    pub fn get(&mut self) -> &mut DB::Connection {
        match self.conn.as_mut() {
            Some(c) => c,
            None => unreachable!("the connection is only taken in drop"),
        }
    }
}

impl<DB: sqlx::Database> Drop for Held<DB> {
    fn drop(&mut self) {
        if self.dirty {
            if let Some(conn) = self.conn.take() {
                tracing::warn!("schemasync: closing a connection that may still hold the schema lock or a transaction");
                drop(conn.detach());
            }
        }
    }
}

/// Runs one statement on a held connection, unprepared. `Executor::execute` returns a
/// boxed `Send` future, which keeps sqlx's higher-ranked bounds out of callers' futures.
pub(crate) fn exec_on<'a, DB>(
    conn: &'a mut DB::Connection,
    sql: &'a str,
) -> impl Future<Output = std::result::Result<(), sqlx::Error>> + Send + 'a
where
    DB: sqlx::Database,
    for<'c> &'c mut DB::Connection: sqlx::Executor<'c, Database = DB>,
{
    let run = sqlx::Executor::execute(conn, sqlx::raw_sql(sql));
    async move { run.await.map(|_| ()) }
}
