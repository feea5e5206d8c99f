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
use crate::error::{timeout_of, Error, Result, Wait};
use crate::options::SyncOptions;
use crate::plan::Plan;
use crate::render::Statement;
use crate::schema::{Change, Column, ColumnType, DefaultValue, PrimaryKey, Table};
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
    /// Who holds strong locks on tables, one line each (PostgreSQL); for errors.
    fn blockers(&mut self) -> impl Future<Output = Vec<String>> + Send {
        async { Vec::new() }
    }
    /// The last apply recorded in the history table `table` (which exists).
    fn last_run<'a>(&'a mut self, table: &'a str) -> impl Future<Output = Result<Option<LastRun>>> + Send + 'a;
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
        // Whether the database, read back, matched what the plan should have made it.
        col("converged", ColumnType::Boolean, true, None),
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

/// The history row of one apply, written as the apply goes.
pub(crate) struct History<'a> {
    backend: Backend,
    table: String,
    run_id: String,
    plan: &'a Plan,
    options: &'a SyncOptions,
    /// The plan's statements, then the [`Plan::validations`] run after the commit.
    statements: Vec<Statement>,
    /// How many of `statements` come before the validations.
    now: usize,
    /// How many of `statements` come first and are committed before the plan's
    /// transaction (PostgreSQL's new enum labels).
    early: usize,
    /// The history table as found, if it exists: an older one may lack `converged`.
    existing: Option<Table>,
}

impl History<'_> {
    /// CREATE TABLE IF NOT EXISTS, and the columns an older history table lacks.
    fn create(&self) -> Result<Vec<String>> {
        let d = dialect(self.backend);
        let mut t = history_table(&self.table);
        t.schema = None;
        let mut out: Vec<String> = crate::render::create_table(d, &t, &[])?.into_iter().map(|s| s.sql).collect();
        if let Some(existing) = &self.existing {
            for col in &t.columns {
                if !existing.columns.iter().any(|c| c.name.eq_ignore_ascii_case(&col.name)) {
                    let definition = crate::render::column_definition(d, &t, col)?;
                    out.push(d.add_column(&d.quote_ident(&self.table), &definition));
                }
            }
        }
        Ok(out)
    }

    fn bool_sql(&self, b: bool) -> String {
        dialect(self.backend).render_default(&DefaultValue::Bool(b), &ColumnType::Boolean)
    }

    fn converged_sql(&self, converged: Option<bool>) -> String {
        converged.map(|b| self.bool_sql(b)).unwrap_or_else(|| "NULL".into())
    }

    fn insert(
        &self,
        completed: usize,
        success: bool,
        converged: Option<bool>,
        error: Option<&str>,
        took: Duration,
    ) -> String {
        let d = dialect(self.backend);
        let lit = |s: &str| d.literal(s);
        let all: Vec<&str> = self.statements.iter().map(|s| s.sql.as_str()).collect();
        format!(
            "INSERT INTO {} (run_id, mode, plan_hash, statements, statement_count, completed, success, converged, error, duration_ms, app_version) \
             VALUES ({}, {}, {}, {}, {}, {completed}, {}, {}, {}, {}, {})",
            d.quote_ident(&self.table),
            lit(&self.run_id),
            lit(self.plan.mode.key()),
            lit(&self.plan.hash),
            lit(&all.join(";\n")),
            all.len(),
            self.bool_sql(success),
            self.converged_sql(converged),
            error.map(lit).unwrap_or_else(|| "NULL".into()),
            took.as_millis(),
            self.options.app_version.as_deref().map(lit).unwrap_or_else(|| "NULL".into()),
        )
    }

    fn progress(
        &self,
        completed: usize,
        success: bool,
        converged: Option<bool>,
        error: Option<&str>,
        took: Duration,
    ) -> String {
        let d = dialect(self.backend);
        format!(
            "UPDATE {} SET completed = {completed}, success = {}, converged = {}, error = {}, duration_ms = {} WHERE run_id = {}",
            d.quote_ident(&self.table),
            self.bool_sql(success),
            self.converged_sql(converged),
            error.map(|e| d.literal(e)).unwrap_or_else(|| "NULL".into()),
            took.as_millis(),
            d.literal(&self.run_id)
        )
    }

    /// What the row says while a non-transactional apply is under way, so that an apply
    /// killed halfway leaves a row that says how far it got.
    fn in_progress(&self, done: usize) -> String {
        match self.statements.get(done) {
            Some(next) => format!(
                "in progress, or interrupted: {done} of {} statement(s) done; the next is: {}",
                self.statements.len(),
                next.sql
            ),
            None => format!(
                "in progress, or interrupted: all {} statement(s) done; checking the result",
                self.statements.len()
            ),
        }
    }
}

/// A plan whose statements were all sent: not yet committed (transactional backends)
/// and not yet recorded as a success.
pub(crate) struct Running<'a> {
    history: History<'a>,
    started: Instant,
}

/// Sends `plan`'s statements on a locked session. Transactional backends: in one
/// transaction, left open for [`finish`] to commit once the result is checked; a
/// failure rolls back and records the failure. MySQL: a history row before the first
/// statement, updated after each one, so that it shows how far the plan got.
pub(crate) async fn run<'a, S: Session>(
    s: &mut S,
    plan: &'a Plan,
    options: &'a SyncOptions,
    existing_history: Option<Table>,
) -> Result<Running<'a>> {
    let mut statements = plan.statements();
    let now = statements.len();
    statements.extend(plan.validations());
    let history = History {
        backend: s.backend(),
        table: options.history_table.clone(),
        run_id: run_id(),
        plan,
        options,
        statements,
        now,
        early: plan.early_statements(),
        existing: existing_history,
    };
    let started = Instant::now();
    let backend = history.backend;
    let fail = |st: &Statement, source: sqlx::Error| Error::Execute {
        backend,
        table: st.table.clone(),
        sql: st.sql.clone(),
        source,
    };
    let setup = |sql: String, source| Error::Execute { backend, table: history.table.clone(), sql, source };

    s.set_scope(plan.steps.iter().map(|st| st.table.name.clone()).collect());
    if !s.transactional() {
        // Bounds the session's lock waits; MySQL has no transaction for DDL.
        s.begin(options).await?;
        for sql in history.create()? {
            s.exec(&sql).await.map_err(|e| setup(sql.clone(), e))?;
        }
        let sql = history.insert(0, false, None, Some(&history.in_progress(0)), Duration::ZERO);
        s.exec(&sql).await.map_err(|e| setup(sql.clone(), e))?;
        for (i, st) in history.statements.iter().enumerate() {
            tracing::info!(table = %st.table, sql = %st.sql, "schemasync: applying");
            let mut attempt = 1;
            let outcome = loop {
                match s.exec(&st.sql).await {
                    // The statement waited for a lock and gave up; it did nothing: again.
                    Err(e) if timeout_of(backend, &e) == Some(Wait::Lock) && attempt <= options.ddl_retries => {
                        tracing::warn!(table = %st.table, attempt, "schemasync: a lock wait ran out; trying again");
                        tokio::time::sleep(backoff(attempt)).await;
                        attempt += 1;
                    }
                    other => break other,
                }
            };
            if let Err(e) = outcome {
                let err = retried(fail(st, e), attempt, options, &[], false);
                let _ = s.exec(&history.progress(i, false, None, Some(&err.to_string()), started.elapsed())).await;
                // Session settings the plan changed (FOREIGN_KEY_CHECKS) are restored.
                for sql in &plan.after {
                    let _ = s.exec(sql).await;
                }
                if i == 0 {
                    // The first statement failed: nothing changed.
                    return Err(err);
                }
                return Err(Error::PartiallyApplied {
                    backend,
                    completed: i,
                    total: history.statements.len(),
                    run_id: history.run_id.clone(),
                    history_table: history.table.clone(),
                    source: Box::new(err),
                });
            }
            let note = history.in_progress(i + 1);
            let _ = s.exec(&history.progress(i + 1, false, None, Some(&note), started.elapsed())).await;
            if let Some(p) = &options.progress {
                (p.0)(i + 1, history.statements.len());
            }
        }
        return Ok(Running { history, started });
    }

    // New enum labels first, each committed at once: the plan may use them. They are
    // re-runnable (`IF NOT EXISTS`) and add only, so a failure later leaves them in
    // place harmlessly.
    for st in &history.statements[..history.early] {
        tracing::info!(table = %st.table, sql = %st.sql, "schemasync: applying");
        let mut attempt = 1;
        let outcome = loop {
            match s.exec(&st.sql).await {
                Err(e) if timeout_of(backend, &e) == Some(Wait::Lock) && attempt <= options.ddl_retries => {
                    tokio::time::sleep(backoff(attempt)).await;
                    attempt += 1;
                }
                other => break other,
            }
        };
        if let Err(e) = outcome {
            let blockers = if timeout_of(backend, &e) == Some(Wait::Lock) { s.blockers().await } else { Vec::new() };
            let err = retried(fail(st, e), attempt, options, &blockers, false);
            rollback_and_record(s, &history, 0, None, &err.to_string(), started).await;
            return Err(err);
        }
    }

    // One transaction, or (a plan of new objects too big for one) one per batch; when a
    // statement waits for a lock and gives up, the transaction is rolled back and tried
    // again after a pause (the schema lock is still held, so nothing else changed the
    // schema meanwhile).
    let batches = batches(s, plan, &history.statements[history.early..history.now]).await?;
    let count = batches.len();
    for (b, batch) in batches.into_iter().enumerate() {
        let batch = history.early + batch.start..history.early + batch.end;
        let mut attempt = 1;
        loop {
            s.begin(options).await?;
            let mut result: Result<()> = Ok(());
            if b == 0 {
                for sql in history.create()? {
                    if let Err(e) = s.exec(&sql).await {
                        result = Err(setup(sql.clone(), e));
                        break;
                    }
                }
            }
            let mut completed = batch.start;
            if result.is_ok() {
                for st in &history.statements[batch.clone()] {
                    tracing::info!(table = %st.table, sql = %st.sql, "schemasync: applying");
                    if let Err(e) = s.exec(&st.sql).await {
                        result = Err(fail(st, e));
                        break;
                    }
                    completed += 1;
                    if let Some(p) = &options.progress {
                        (p.0)(completed, history.now);
                    }
                }
            }
            let err = match result {
                Ok(()) if b + 1 == count => return Ok(Running { history, started }),
                Ok(()) => {
                    s.commit().await?;
                    let done = batch.end - history.early;
                    let all = history.now - history.early;
                    let per = started.elapsed() / done.max(1) as u32;
                    tracing::info!(
                        batch = b + 1,
                        batches = count,
                        statements = done,
                        of = all,
                        eta_ms = (per * (all - done) as u32).as_millis() as u64,
                        "schemasync: batch committed"
                    );
                    break;
                }
                Err(err) => err,
            };
            if is_lock_wait(backend, &err) && attempt <= options.ddl_retries {
                s.rollback().await;
                tracing::warn!(error = %err, attempt, "schemasync: a lock wait ran out; rolled back, trying again");
                tokio::time::sleep(backoff(attempt)).await;
                attempt += 1;
                continue;
            }
            s.rollback().await;
            let blockers = if is_lock_wait(backend, &err) { s.blockers().await } else { Vec::new() };
            let err = retried(err, attempt, options, &blockers, b == 0);
            rollback_and_record(s, &history, completed, None, &err.to_string(), started).await;
            if b == 0 {
                return Err(err);
            }
            return Err(Error::BatchFailed {
                backend,
                batch: b + 1,
                batches: count,
                completed: batch.start,
                total: history.statements.len(),
                run_id: history.run_id.clone(),
                history_table: history.table.clone(),
                source: Box::new(err),
            });
        }
    }
    unreachable!("the last batch returns")
}

/// Statements from which a plan's lock count is estimated and checked (PostgreSQL): a
/// smaller plan fits any lock table.
const LOCK_CHECK_FROM: usize = 200;

/// The plan's statements in transactions: one, unless it takes more than half the
/// server's lock table (PostgreSQL holds every lock a transaction takes until it ends).
/// Then a plan that only creates new objects is split into batches that each fit, and
/// any other plan is refused before anything is sent.
async fn batches<S: Session>(s: &mut S, plan: &Plan, statements: &[Statement]) -> Result<Vec<std::ops::Range<usize>>> {
    let one = std::iter::once(0..statements.len()).collect();
    if s.backend() != Backend::Postgres || statements.len() < LOCK_CHECK_FROM {
        return Ok(one);
    }
    let sql = "SELECT (current_setting('max_locks_per_transaction')::bigint * \
               (current_setting('max_connections')::bigint + current_setting('max_prepared_transactions')::bigint))::text";
    let budget: u64 = match s.strings(sql).await {
        Ok(rows) => rows.first().and_then(|r| r.parse().ok()).unwrap_or(u64::MAX),
        Err(e) => {
            tracing::warn!(error = %e, "schemasync: could not read the lock table's size; applying in one transaction");
            return Ok(one);
        }
    };
    let locks: Vec<u64> = statements.iter().map(|st| locks_taken(&st.sql)).collect();
    let total: u64 = locks.iter().sum();
    let allowed = budget / 2;
    if total <= allowed {
        return Ok(one);
    }
    if !only_creates(plan) {
        return Err(Error::TooManyLocks {
            backend: Backend::Postgres,
            statements: statements.len(),
            locks: total,
            budget,
        });
    }
    let mut out = Vec::new();
    let (mut start, mut held) = (0, 0);
    for (i, n) in locks.iter().enumerate() {
        if held + n > allowed && i > start {
            out.push(start..i);
            (start, held) = (i, 0);
        }
        held += n;
    }
    out.push(start..statements.len());
    tracing::info!(
        statements = statements.len(),
        locks = total,
        budget,
        batches = out.len(),
        "schemasync: the plan takes more locks than one transaction may hold; applying it in batches"
    );
    Ok(out)
}

/// About how many locks a statement takes until its transaction ends: the relation, its
/// TOAST table and index, one per index or key it builds, one per table it references.
fn locks_taken(sql: &str) -> u64 {
    let upper = sql.to_ascii_uppercase();
    let count = |word: &str| upper.matches(word).count() as u64;
    let refs = 2 * count("REFERENCES");
    if upper.starts_with("CREATE TABLE") {
        3 + count("PRIMARY KEY") + count("UNIQUE") + refs + count("GENERATED")
    } else if upper.starts_with("CREATE") || upper.starts_with("DROP") {
        2 + refs
    } else {
        1 + refs
    }
}

/// True when every step of `plan` creates something new: tables (with their indexes and
/// keys), schemas and enum types, so that committing part of it leaves nothing half
/// changed.
fn only_creates(plan: &Plan) -> bool {
    let created: Vec<&crate::schema::TableRef> = plan
        .to_apply()
        .filter(|st| st.changes.iter().any(|c| matches!(c, Change::CreateTable { .. })))
        .map(|st| &st.table)
        .collect();
    plan.to_apply().flat_map(|st| st.changes.iter().map(move |c| (st, c))).all(|(st, c)| match c {
        Change::CreateTable { .. } | Change::CreateEnum { .. } => true,
        Change::AddIndex { .. } | Change::AddForeignKey { .. } | Change::AddUnique { .. } | Change::AddCheck { .. } => {
            created.contains(&&st.table)
        }
        _ => false,
    })
}

/// True when `err` is a statement that gave up waiting for a lock.
fn is_lock_wait(backend: Backend, err: &Error) -> bool {
    matches!(err, Error::Execute { source, .. } if timeout_of(backend, source) == Some(Wait::Lock))
}

/// A lock wait that ran out on every attempt, as an error that says so: the statement,
/// its table, how many attempts of how long, and who held the lock. `rolled_back`: the
/// whole plan was rolled back, not only the statement.
fn retried(err: Error, attempts: u32, options: &SyncOptions, blockers: &[String], rolled_back: bool) -> Error {
    match err {
        Error::Execute { backend, table, sql, source } if timeout_of(backend, &source) == Some(Wait::Lock) => {
            let who = if blockers.is_empty() { String::new() } else { format!(" ({})", blockers.join("; ")) };
            Error::Timeout {
                backend,
                what: format!(
                    "a lock on table `{table}`{who} for `{sql}`, {attempts} time(s), {} pause(s) between",
                    attempts.saturating_sub(1)
                ),
                waited: options.ddl_lock_timeout,
                hint: format!(
                    "{}; {}. Raise SyncOptions::ddl_timeouts or ddl_retries to wait longer",
                    crate::catalog::lock_hint(backend),
                    if rolled_back { "nothing was applied" } else { "this statement changed nothing" }
                ),
            }
        }
        other => other,
    }
}

/// The pause before attempt `attempt + 1`: 0.5 s doubling, capped at 8 s, with ±50 %
/// jitter so that instances booting together do not retry in step.
fn backoff(attempt: u32) -> Duration {
    let base = 500u64.saturating_mul(1 << attempt.saturating_sub(1).min(4)).min(8000);
    let nanos = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap_or_default().subsec_nanos();
    let jitter = u64::from(nanos ^ std::process::id().rotate_left(7)) % base;
    Duration::from_millis(base / 2 + jitter)
}

/// Rolls the transaction back and records the failure outside it.
async fn rollback_and_record<S: Session>(
    s: &mut S,
    history: &History<'_>,
    completed: usize,
    converged: Option<bool>,
    error: &str,
    started: Instant,
) {
    s.rollback().await;
    tracing::error!(error = %error, "schemasync: plan rolled back; the database is as it was");
    let mut record = history.create().unwrap_or_default();
    record.push(history.insert(completed, false, converged, Some(error), started.elapsed()));
    for sql in record {
        if let Err(e) = s.exec(&sql).await {
            tracing::warn!(error = %e, "schemasync: could not record the failure in the history table");
            break;
        }
    }
}

/// Ends an apply whose statements all ran. `unconverged` is the report of what the
/// database still lacks when read back, or `None` when it matches what the mode
/// applies: then the history row records success and the transaction commits. When it
/// is `Some`, the plan is rolled back where the backend can, the row records it, and
/// the result is [`Error::Unconverged`].
pub(crate) async fn finish<S: Session>(
    s: &mut S,
    running: Running<'_>,
    unconverged: Option<crate::drift::DriftReport>,
) -> Result<Applied> {
    let Running { history, started } = running;
    let total = history.statements.len();
    let transactional = s.transactional();
    let backend = history.backend;
    if let Some(report) = unconverged {
        let err = Error::Unconverged {
            backend,
            hash: history.plan.hash.clone(),
            run_id: history.run_id.clone(),
            history_table: history.table.clone(),
            rolled_back: transactional,
            report: Box::new(report),
        };
        if transactional {
            rollback_and_record(s, &history, total, Some(false), &err.to_string(), started).await;
        } else {
            let sql = history.progress(total, false, Some(false), Some(&err.to_string()), started.elapsed());
            if let Err(e) = s.exec(&sql).await {
                tracing::warn!(error = %e, "schemasync: could not record the result in the history table");
            }
        }
        return Err(err);
    }
    if transactional {
        let now = history.now;
        let pending = (now < total).then(|| history.in_progress(now));
        let sql = history.insert(now, pending.is_none(), Some(true), pending.as_deref(), started.elapsed());
        let recorded = s.exec(&sql).await.map_err(|source| Error::Execute {
            backend,
            table: history.table.clone(),
            sql: sql.clone(),
            source,
        });
        let committed = match recorded {
            Ok(()) => s.commit().await,
            Err(e) => Err(e),
        };
        if let Err(err) = committed {
            rollback_and_record(s, &history, now, None, &err.to_string(), started).await;
            return Err(err);
        }
        validate(s, &history, started).await?;
    } else {
        let sql = history.progress(total, true, Some(true), None, started.elapsed());
        if let Err(e) = s.exec(&sql).await {
            tracing::warn!(error = %e, "schemasync: could not record the result in the history table");
        }
    }
    Ok(Applied { statements: total, duration: started.elapsed() })
}

/// Runs the plan's validations (PostgreSQL `VALIDATE CONSTRAINT`) once it has
/// committed, one at a time, each lock wait bounded and retried like the plan's; the
/// history row follows. They hold no lock that blocks writes, so they are not bounded
/// by the statement timeout.
async fn validate<S: Session>(s: &mut S, history: &History<'_>, started: Instant) -> Result<()> {
    let (backend, options) = (history.backend, history.options);
    let total = history.statements.len();
    if history.now == total {
        return Ok(());
    }
    let set = format!("SET lock_timeout = '{}ms'", millis(options.ddl_lock_timeout));
    let mut result = s.exec(&set).await.map_err(|source| Error::Execute {
        backend,
        table: history.table.clone(),
        sql: set.clone(),
        source,
    });
    for (i, st) in history.statements.iter().enumerate().skip(history.now) {
        if result.is_err() {
            break;
        }
        tracing::info!(table = %st.table, sql = %st.sql, "schemasync: validating existing rows");
        let mut attempt = 1;
        let outcome = loop {
            match s.exec(&st.sql).await {
                Err(e) if timeout_of(backend, &e) == Some(Wait::Lock) && attempt <= options.ddl_retries => {
                    tokio::time::sleep(backoff(attempt)).await;
                    attempt += 1;
                }
                other => break other,
            }
        };
        result = match outcome {
            Ok(()) => {
                let done = i + 1;
                let note = (done < total).then(|| history.in_progress(done));
                let sql = history.progress(done, done == total, Some(true), note.as_deref(), started.elapsed());
                let _ = s.exec(&sql).await;
                Ok(())
            }
            Err(source) => {
                let blockers =
                    if timeout_of(backend, &source) == Some(Wait::Lock) { s.blockers().await } else { Vec::new() };
                let failed = Error::Execute { backend, table: st.table.clone(), sql: st.sql.clone(), source };
                let err = Error::NotValidated {
                    backend,
                    table: st.table.clone(),
                    sql: st.sql.clone(),
                    run_id: history.run_id.clone(),
                    history_table: history.table.clone(),
                    source: Box::new(retried(failed, attempt, options, &blockers, false)),
                };
                let _ =
                    s.exec(&history.progress(i, false, Some(true), Some(&err.to_string()), started.elapsed())).await;
                Err(err)
            }
        };
    }
    let _ = s.exec("RESET lock_timeout").await;
    result
}

/// The last apply recorded in the history table: its plan hash, whether it converged
/// (`None`: not checked, or a row of an older schemasync) and its run id.
#[derive(Debug, Clone)]
pub(crate) struct LastRun {
    pub plan_hash: String,
    pub converged: Option<bool>,
    pub run_id: String,
}

/// The query for the last row of the history table.
pub(crate) fn last_run_sql(backend: Backend, table: &str) -> String {
    format!("SELECT plan_hash, converged, run_id FROM {} ORDER BY id DESC LIMIT 1", dialect(backend).quote_ident(table))
}

/// The rows of [`last_run_sql`] as a [`LastRun`].
pub(crate) fn last_run_from(
    backend: Backend,
    table: &str,
    sql: &str,
    rows: std::result::Result<Vec<(String, Option<bool>, String)>, sqlx::Error>,
) -> Result<Option<LastRun>> {
    let rows =
        rows.map_err(|source| Error::Execute { backend, table: table.to_string(), sql: sql.to_string(), source })?;
    Ok(rows.into_iter().next().map(|(plan_hash, converged, run_id)| LastRun { plan_hash, converged, run_id }))
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
