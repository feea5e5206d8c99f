//! The public entry points: which models, which mode, and the verbs that act on a
//! database. Every verb is one path: read the catalog, diff, plan, and (unless it is a
//! dry run or validate) apply under the lock.

use crate::apply::{self, Session};
use crate::catalog::{self, CatalogSource};
use crate::db::{Db, IntoDb};
use crate::dialect::{canonicalize, Backend};
use crate::diff::{Change, Diff, DiffOptions};
use crate::error::{Error, Result};
use crate::model::{registry, Table, TableDef};
pub use crate::options::{Allow, SyncOptions};
use crate::plan::{self, Mode, Plan, PlanInput};
use crate::render::{self, Statement};
use crate::report::{DriftReport, Style};
use crate::schema::Schema;
use serde::Serialize;

/// A set of models: every registered one, or a chosen few.
#[derive(Debug, Clone, Default)]
pub struct Models {
    defs: Vec<&'static TableDef>,
}

/// What happened.
#[derive(Debug, Clone, Serialize)]
#[non_exhaustive]
#[serde(tag = "outcome", rename_all = "snake_case")]
pub enum Outcome {
    /// A dry run: nothing was written.
    DryRun,
    /// Nothing to apply (pending steps may remain).
    NothingToDo,
    /// Another instance applied the plan while this one waited for the lock.
    AppliedElsewhere,
    /// The plan was applied.
    Applied { statements: usize, duration_ms: u64 },
    /// Migrate mode: these migrations were applied, and the database now matches the
    /// models.
    Migrated { versions: Vec<i64> },
}

/// The plan, what was done with it, and why this mode.
#[derive(Debug, Clone, Serialize)]
pub struct SyncReport {
    pub backend: Backend,
    pub mode: Mode,
    /// Why this mode was chosen.
    pub reason: String,
    pub plan: Plan,
    #[serde(flatten)]
    pub outcome: Outcome,
    /// Declared tables and columns the database lacks after this sync, and why.
    pub absent: Vec<crate::drift::Absence>,
}

impl SyncReport {
    /// The readable plan and summary.
    pub fn render(&self, style: Style) -> String {
        let mut out = format!("schemasync: {} mode ({})\n", self.mode, self.reason);
        out.push_str(&self.plan.render(style));
        out.push('\n');
        out.push_str(&match &self.outcome {
            Outcome::DryRun => style.cyan("Dry run: nothing was written."),
            Outcome::NothingToDo if self.plan.steps.is_empty() => style.green("✓ in sync: nothing to do."),
            Outcome::NothingToDo => style.yellow("Nothing applied; see the pending steps above."),
            Outcome::AppliedElsewhere => style.green("✓ another instance applied the plan first; nothing left to do."),
            Outcome::Applied { statements, duration_ms } => {
                style.green(&format!("✓ applied {statements} statement(s) in {duration_ms} ms."))
            }
            Outcome::Migrated { versions } => style.green(&format!(
                "✓ applied migration(s) {}; the database matches the models.",
                versions.iter().map(i64::to_string).collect::<Vec<_>>().join(", ")
            )),
        });
        if !self.absent.is_empty() {
            out.push('\n');
            out.push_str(&style.red(&format!(
                "Absent from the database after this sync, though the models declare them:\n{}",
                crate::drift::absences_text(&self.absent)
            )));
        }
        out
    }

    /// The same as JSON.
    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"))
    }

    /// The statements that were sent (none for a dry run or when nothing was to do).
    pub fn statements_sent(&self) -> Vec<Statement> {
        match self.outcome {
            Outcome::Applied { .. } => self.plan.statements(),
            _ => Vec::new(),
        }
    }

    /// Tables this sync created.
    pub fn created(&self) -> Vec<String> {
        self.applied_tables(|c| matches!(c, Change::CreateTable { .. }))
    }

    /// Tables this sync dropped.
    pub fn dropped(&self) -> Vec<String> {
        self.applied_tables(|c| matches!(c, Change::DropTable { .. }))
    }

    fn applied_tables(&self, pick: impl Fn(&Change) -> bool) -> Vec<String> {
        if !matches!(self.outcome, Outcome::Applied { .. }) {
            return Vec::new();
        }
        self.plan.to_apply().filter(|s| s.changes.iter().any(&pick)).map(|s| s.table.to_string()).collect()
    }

    /// Prints [`SyncReport::render`] to standard output, in color on a terminal. A
    /// reader that went away (`app | head -1`) is not an error.
    pub fn print(&self) {
        use std::io::Write;
        let _ = writeln!(anstream::stdout(), "{}", self.render(Style::detect()));
    }
}

impl std::fmt::Display for SyncReport {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.render(Style::PLAIN))
    }
}

/// The models and the database side by side, and what differs.
#[derive(Debug, Clone, Serialize)]
pub struct Compared {
    pub backend: Backend,
    /// The models' schema as built (what rendering uses).
    pub models: Schema,
    /// The same, canonical for this backend (what was compared).
    pub desired: Schema,
    /// What the catalog holds.
    pub actual: Schema,
    pub diff: Diff,
    /// Catalog queries sent.
    pub queries: usize,
    /// The named schemas the models use that exist (PostgreSQL).
    #[serde(skip)]
    pub(crate) schemas: Vec<String>,
    /// schemasync's history table, as found (it is never part of `actual`).
    #[serde(skip)]
    pub(crate) history: Option<crate::schema::Table>,
}

impl Compared {
    /// The drift report of this comparison.
    pub fn report(&self) -> DriftReport {
        DriftReport::new(self.backend, &self.desired, &self.diff)
    }

    /// The drift report of only the differences `plan` would apply (in rebuild mode,
    /// every difference: the plan rebuilds for any of them).
    fn report_of_applied(&self, plan: &Plan) -> DriftReport {
        if plan.mode == Mode::Rebuild {
            return self.report();
        }
        let applied: Vec<&Change> = plan.to_apply().flat_map(|s| &s.changes).collect();
        let diff = Diff {
            changes: self.diff.changes.iter().filter(|c| applied.contains(c)).cloned().collect(),
            unmanaged: Vec::new(),
        };
        DriftReport::new(self.backend, &self.desired, &diff)
    }
}

/// The test suite's check that a table known by its text reads back, in full, as its
/// model: the comparison with the known tables and the one with none must be the same.
/// Both reads are made again, and compared only when the schema did not change between
/// them (another process may be creating the tables meanwhile).
#[cfg(debug_assertions)]
async fn check_known<S: CatalogSource>(
    src: &mut S,
    schemas: &[String],
    options: &SyncOptions,
    known: catalog::Meanwhile<'_>,
    desired: &Schema,
) -> Result<()> {
    const VERSION: &str = "SELECT CAST(schema_version AS TEXT) FROM pragma_schema_version";
    let backend = src.backend();
    let diff = |found: Schema| {
        let (actual, _) = found_tables(found, backend, options);
        crate::diff::diff(desired, &actual, &DiffOptions::for_backend(backend))
    };
    let before = src.strings(VERSION).await.ok();
    let fast = src.introspect(schemas, &options.catalog_limits, known).await?;
    let full = src.introspect(schemas, &options.catalog_limits, None).await?;
    if before.is_some() && src.strings(VERSION).await.ok() == before {
        assert_eq!(
            diff(full.schema),
            diff(fast.schema),
            "schemasync: a table known by its stored SQL reads back differently"
        );
    }
    Ok(())
}

/// The tables a catalog read found, without schemasync's own history table (neither a
/// model's table nor drift), which comes apart.
fn found_tables(mut schema: Schema, backend: Backend, options: &SyncOptions) -> (Schema, Option<crate::schema::Table>) {
    let history_at = schema.tables.iter().position(|t| {
        t.schema.is_none() && crate::dialect::dialect(backend).same_name(&t.name, &options.history_table)
    });
    let history = history_at.map(|i| schema.tables.remove(i));
    if let Some((table, column)) = &options.test_hide_column {
        for t in schema.tables.iter_mut().filter(|t| &t.name == table) {
            t.columns.retain(|c| &c.name != column);
        }
    }
    (schema, history)
}

/// The models' tables and the history table, each with the statements schemasync
/// writes for it: the models' spelling makes the text, the comparison form is what the
/// read gives for it; see [`catalog::Known`].
fn known_tables(backend: Backend, models: &Schema, desired: &Schema, history_table: &str) -> catalog::Known {
    let d = crate::dialect::dialect(backend);
    let history = Schema { tables: vec![apply::history_table(history_table)], enums: Vec::new() };
    let history_desired = canonicalize(&history, backend, None, &[]);
    let mut known = catalog::Known::default();
    let pairs = models.tables.iter().zip(&desired.tables).chain(history.tables.iter().zip(&history_desired.tables));
    for (model, want) in pairs {
        // A table that cannot be written is read in full (and the plan says why).
        if let Ok(statements) = render::create_table(d, model, &[]) {
            known.insert(statements.into_iter().map(|s| s.sql).collect(), want.clone());
        }
    }
    known
}

/// True when `plan` applied a change of the same kind to the same table (and column) as
/// `change`: read back after `plan`, `change` means `plan` did not do what it said.
fn applied_again(plan: &Plan, change: &Change) -> bool {
    plan.to_apply().flat_map(|s| &s.changes).any(|c| {
        std::mem::discriminant(c) == std::mem::discriminant(change)
            && c.table() == change.table()
            && c.altered_column() == change.altered_column()
    })
}

impl Models {
    /// Every `#[derive(Table)]` struct linked into this binary.
    pub fn registered() -> Models {
        Models { defs: registry::registered() }
    }

    /// No models; add some with [`Models::with`].
    pub fn new() -> Models {
        Models::default()
    }

    /// Adds the model `T`.
    pub fn with<T: Table>(mut self) -> Models {
        self.defs.push(T::table_def());
        self
    }

    /// Adds table definitions directly.
    pub fn with_defs(mut self, defs: impl IntoIterator<Item = &'static TableDef>) -> Models {
        self.defs.extend(defs);
        self
    }

    /// The table definitions in this set.
    pub fn defs(&self) -> &[&'static TableDef] {
        &self.defs
    }

    /// The desired schema for `backend`, in dependency order. Fails on duplicate
    /// tables and on references to tables or columns no model declares.
    pub fn schema(&self, backend: Backend) -> Result<Schema> {
        if self.defs.is_empty() {
            return Err(Error::NoModels);
        }
        crate::model::build(&self.defs, backend)
    }

    /// The create-all script for `backend`, without touching a database.
    pub fn create_all_sql(&self, backend: Backend) -> Result<Vec<Statement>> {
        render::create_all(&self.schema(backend)?, backend)
    }

    /// The drop-all script for `backend`, without touching a database.
    pub fn drop_all_sql(&self, backend: Backend) -> Result<Vec<Statement>> {
        render::drop_all(&self.schema(backend)?, backend)
    }

    /// Reads the database's catalog for the schemas these models use.
    pub async fn introspect(&self, db: impl IntoDb) -> Result<catalog::Introspection> {
        catalog::introspect(&db.into_db(), &self.schemas()).await
    }

    /// The named schemas these models use.
    fn schemas(&self) -> Vec<String> {
        let mut schemas: Vec<String> = self.defs.iter().filter_map(|d| d.schema.map(str::to_string)).collect();
        schemas.sort();
        schemas.dedup();
        schemas
    }

    /// Compares the models with the database: one catalog read, then the pure diff.
    pub async fn diff(&self, db: impl IntoDb) -> Result<Compared> {
        self.compare(&mut catalog::PoolSource(&db.into_db()), &SyncOptions::default()).await
    }

    async fn compare<S: CatalogSource>(&self, src: &mut S, options: &SyncOptions) -> Result<Compared> {
        let backend = src.backend();
        let keeps_create_statements = crate::dialect::dialect(backend).keeps_create_statements();
        let schemas = self.schemas();
        // The models' schema is built while the server reads the catalog. Where the backend
        // keeps each table's CREATE statement (it has no schemas, so the comparison form
        // does not depend on the read), it is also canonicalised, and the models' tables
        // are known by their text.
        let build = || -> Result<(Schema, Option<Schema>)> {
            let models = self.schema(backend)?;
            let early = keeps_create_statements.then(|| canonicalize(&models, backend, None, &[]));
            Ok((models, early))
        };
        let built = std::sync::OnceLock::new();
        let history_table = options.history_table.as_str();
        let meanwhile = || match built.get_or_init(build) {
            Ok((models, Some(desired))) => known_tables(backend, models, desired, history_table),
            _ => catalog::Known::default(),
        };
        let read = src.introspect(&schemas, &options.catalog_limits, Some(&meanwhile)).await;
        // An error in the models comes first, once the (bounded) read has ended: it is the
        // one to fix.
        let (models, early) = built.into_inner().unwrap_or_else(build)?;
        let found = read?;
        let (actual, history) = found_tables(found.schema, backend, options);
        #[cfg(debug_assertions)]
        if let (Some(desired), true) = (&early, std::env::var_os("SCHEMASYNC_CHECK_KNOWN_TABLES").is_some()) {
            let model_tables = &models;
            let known = || known_tables(backend, model_tables, desired, history_table);
            check_known(src, &schemas, options, Some(&known), desired).await?;
        }
        let desired = match early {
            Some(desired) => desired,
            None => canonicalize(&models, backend, found.default_schema.as_deref(), &found.search_path),
        };
        let diff = crate::diff::diff(&desired, &actual, &DiffOptions::for_backend(backend));
        Ok(Compared { backend, models, desired, actual, diff, queries: found.queries, schemas: found.schemas, history })
    }

    /// The drift report: per table and per column, the models next to the database.
    pub async fn drift(&self, db: impl IntoDb) -> Result<DriftReport> {
        Ok(self.diff(db).await?.report())
    }

    /// The plan `options.mode` would apply, read fresh from the database.
    async fn plan<S: CatalogSource>(&self, src: &mut S, options: &SyncOptions) -> Result<(Compared, Plan)> {
        let compared = self.compare(src, options).await?;
        let existing = |t: &crate::schema::TableRef| {
            !compared
                .diff
                .changes
                .iter()
                .any(|c| matches!(c, Change::CreateTable { table } if &crate::schema::TableRef::of(table) == t))
        };
        // Rows matter for a required column without a default, and (SQLite) for any
        // table that may be rebuilt.
        let rebuilds = crate::dialect::dialect(compared.backend).rebuilds_for_constraints();
        let mut check_rows: Vec<_> = compared
            .diff
            .changes
            .iter()
            .filter(|c| {
                rebuilds
                    || matches!(c, Change::AddColumn { column, .. } if !column.nullable && column.default.is_none() && !column.auto_increment)
            })
            .map(|c| c.table())
            .filter(existing)
            .collect();
        check_rows.sort();
        check_rows.dedup();

        // Row counts for a new index on a table that exists, and (SQLite) for a table that
        // may be rebuilt, which is quick, and so safe, when the table is small.
        let estimate =
            compared.diff.changes.iter().any(|c| matches!(c, Change::AddIndex { table, .. } if existing(table)))
                || (rebuilds && !check_rows.is_empty());
        // A table being renamed is still under its old name in the database.
        let renamed_from = |t: &crate::schema::TableRef| {
            compared.diff.changes.iter().find_map(|c| match c {
                Change::RenameTable { table, from } if table == t => {
                    Some(crate::schema::TableRef { schema: t.schema.clone(), name: from.clone() })
                }
                _ => None,
            })
        };
        let lookups: Vec<_> =
            check_rows.iter().map(|t| (renamed_from(t).unwrap_or_else(|| t.clone()), t.clone())).collect();
        // Steps that validate existing rows are checked against the data first.
        let d = crate::dialect::dialect(compared.backend);
        let db_name = |t: &crate::schema::TableRef| renamed_from(t).unwrap_or_else(|| t.clone());
        let present = |t: &crate::schema::TableRef| {
            compared.actual.tables.iter().any(|a| a.schema == t.schema && d.same_name(&a.name, &t.name))
        };
        let validations: Vec<(String, (String, String))> = compared
            .diff
            .changes
            .iter()
            .filter_map(|c| {
                let table = c.table();
                let added: Vec<&crate::schema::Column> = compared
                    .diff
                    .changes
                    .iter()
                    .filter_map(|a| match a {
                        Change::AddColumn { table: at, column } if *at == table => Some(column),
                        _ => None,
                    })
                    .collect();
                catalog::validation(d, c, &db_name, &present, &added).map(|q| (catalog::Facts::key(c), q))
            })
            .collect();
        let mut facts =
            catalog::facts(src, &lookups, estimate, options.big_table_rows, &validations, &options.catalog_limits)
                .await?;
        facts.schemas = Some(compared.schemas.clone());
        for t in &compared.desired.tables {
            let here = crate::schema::TableRef::of(t);
            if let Some(old) = renamed_from(&here) {
                if let Some(n) = facts.row_estimates.get(&old).copied() {
                    facts.row_estimates.insert(here, n);
                }
            }
        }
        let plan = render::plan(&PlanInput {
            backend: compared.backend,
            mode: options.mode,
            models: &compared.models,
            desired: &compared.desired,
            actual: &compared.actual,
            diff: &compared.diff,
            facts: &facts,
        })?;
        Ok((compared, plan))
    }

    /// Syncs the database with these models as `options` says. See [`Mode`].
    pub async fn sync(&self, db: impl IntoDb, options: &SyncOptions) -> Result<SyncReport> {
        let db = db.into_db();
        let backend = db.backend();
        tracing::info!(mode = %options.mode, reason = %options.reason, backend = %backend, "schemasync: sync");
        let (compared, plan) = self.plan(&mut catalog::PoolSource(&db), options).await?;
        let report = |plan: Plan, outcome| SyncReport {
            backend,
            mode: options.mode,
            reason: options.reason.clone(),
            absent: plan.absences(!matches!(outcome, Outcome::DryRun)),
            plan,
            outcome,
        };

        if options.mode == Mode::Migrate {
            return self.migrate_then_validate(&db, options).await;
        }
        if options.mode == Mode::Validate {
            return if compared.diff.is_empty() {
                Ok(report(plan, Outcome::NothingToDo))
            } else {
                Err(Error::Drift { report: Box::new(compared.report()) })
            };
        }
        if options.dry_run {
            return Ok(report(plan, Outcome::DryRun));
        }
        refuse_if_needed(&plan)?;
        if plan.nothing_to_apply() {
            for s in plan.steps.iter() {
                if let plan::Disposition::Pending { reason, .. } = &s.disposition {
                    tracing::warn!(table = %s.table, step = %s.summary, %reason, "schemasync: pending");
                }
            }
            return require_present(report(plan, Outcome::NothingToDo), options);
        }
        if options.mode == Mode::Full && options.allow == Allow::Nothing {
            return Err(Error::NeedsPermission {
                hash: plan.hash.clone(),
                plan: plan.to_string(),
                how: "SyncOptions::allow_plan or SCHEMASYNC_PLAN_HASH".into(),
            });
        }
        let done: Result<SyncReport> = match &db {
            #[cfg(not(any(feature = "postgres", feature = "mysql", feature = "sqlite")))]
            _ => unreachable!("no backend feature: the crate does not build"),
            #[cfg(feature = "postgres")]
            Db::Postgres(pool) => {
                let conn = pool.acquire().await.map_err(|e| acquire_err(backend, e))?;
                self.apply_locked(apply::PgSession::new(conn), &db, options).await
            }
            #[cfg(feature = "mysql")]
            Db::MySql(pool) => {
                let conn = pool.acquire().await.map_err(|e| acquire_err(backend, e))?;
                self.apply_locked(apply::MySqlSession::new(conn), &db, options).await
            }
            #[cfg(feature = "sqlite")]
            Db::Sqlite(pool) => {
                let conn = pool.acquire().await.map_err(|e| acquire_err(backend, e))?;
                self.apply_locked(apply::SqliteSession::new(conn), &db, options).await
            }
        };
        require_present(done?, options)
    }

    /// Migrate mode: sqlx's migrator applies the pending migrations, then the database
    /// must match the models.
    async fn migrate_then_validate(&self, db: &Db, options: &SyncOptions) -> Result<SyncReport> {
        #[cfg(feature = "migrate")]
        {
            let versions =
                if options.dry_run { Vec::new() } else { crate::migrator::run(db, &options.migrations).await? };
            let (compared, plan) = self.plan(&mut catalog::PoolSource(db), options).await?;
            if !compared.diff.is_empty() {
                return Err(Error::MigrationsBehind { applied: versions, report: Box::new(compared.report()) });
            }
            let outcome = if options.dry_run {
                Outcome::DryRun
            } else if versions.is_empty() {
                Outcome::NothingToDo
            } else {
                Outcome::Migrated { versions }
            };
            Ok(SyncReport {
                backend: db.backend(),
                mode: options.mode,
                reason: options.reason.clone(),
                absent: Vec::new(),
                plan,
                outcome,
            })
        }
        #[cfg(not(feature = "migrate"))]
        {
            let _ = (db, options);
            Err(Error::InvalidSetting {
                variable: "SCHEMASYNC_MODE".into(),
                value: "migrate".into(),
                hint: "migrate mode runs migration files: enable schemasync's `migrate` feature".into(),
            })
        }
    }

    /// Under the lock: read the catalog again, plan again, apply what is still to do,
    /// and read the catalog back to check that the apply did what the plan said.
    async fn apply_locked<S: Session>(&self, mut session: S, db: &Db, options: &SyncOptions) -> Result<SyncReport> {
        let backend = db.backend();
        let waited = std::time::Instant::now();
        session.lock(&format!("schemasync:{}", options.history_table), options.lock_timeout).await?;
        tracing::debug!(waited_ms = waited.elapsed().as_millis() as u64, "schemasync: lock taken");
        let result = async {
            // Read again on the locked connection: what another instance applied while
            // this one waited is there now.
            let (compared, plan) = self.plan(&mut session, options).await?;
            let report = |plan: Plan, outcome| SyncReport {
                backend,
                mode: options.mode,
                reason: options.reason.clone(),
                absent: plan.absences(true),
                plan,
                outcome,
            };
            refuse_if_needed(&plan)?;
            if plan.nothing_to_apply() {
                tracing::info!("schemasync: nothing left to apply after taking the lock");
                return Ok(report(plan, Outcome::AppliedElsewhere));
            }
            if let (Mode::Full, Allow::Plan(reviewed)) = (options.mode, &options.allow) {
                if reviewed != &plan.hash {
                    return Err(Error::PlanChanged { reviewed: reviewed.clone(), current: plan.hash.clone(), plan: plan.to_string() });
                }
            }
            // A plan that did not converge before is not applied again: in rebuild mode
            // that would drop the tables on every boot.
            if compared.history.is_some() {
                if let Some(last) = session.last_run(&options.history_table).await? {
                    if last.converged == Some(false) && last.plan_hash == plan.hash {
                        return Err(Error::Unconverged {
                            backend,
                            hash: plan.hash.clone(),
                            run_id: last.run_id,
                            history_table: options.history_table.clone(),
                            rolled_back: session.transactional(),
                            report: Box::new(compared.report_of_applied(&plan)),
                        });
                    }
                }
            }
            let running = apply::run(&mut session, &plan, options, compared.history.clone()).await?;
            // Read the database back: what this plan applied must now be done. A step it
            // left pending may have become applicable (its data check now sees the
            // columns this plan added); that is for the next sync, not a failure.
            let checked = match self.plan(&mut session, options).await {
                Ok((after, after_plan)) => {
                    let again = if plan.mode == Mode::Rebuild {
                        !after_plan.nothing_to_apply()
                    } else {
                        after_plan.to_apply().flat_map(|s| &s.changes).any(|c| applied_again(&plan, c))
                    };
                    Ok(again.then(|| after.report_of_applied(&after_plan)))
                }
                Err(e) => Err(e),
            };
            let unconverged = match checked {
                Ok(u) => u,
                Err(e) => {
                    session.rollback().await;
                    return Err(e);
                }
            };
            let applied = apply::finish(&mut session, running, unconverged).await?;
            tracing::info!(statements = applied.statements, duration_ms = applied.duration.as_millis() as u64, hash = %plan.hash, "schemasync: plan applied");
            Ok(report(plan, Outcome::Applied { statements: applied.statements, duration_ms: applied.duration.as_millis() as u64 }))
        }
        .await;
        session.unlock().await;
        result
    }

    /// Creates the tables that do not exist yet; changes nothing else (like SQLAlchemy's
    /// `create_all`).
    pub async fn create_all(&self, db: impl IntoDb) -> Result<SyncReport> {
        self.sync(db, &SyncOptions::new(Mode::CreateAll)).await
    }

    /// Drops the models' tables, children first. Tables no model declares are never
    /// touched (like SQLAlchemy's `drop_all`).
    pub async fn drop_all(&self, db: impl IntoDb) -> Result<SyncReport> {
        self.sync(db, &SyncOptions::new(Mode::DropAll)).await
    }

    /// Adds the columns the models have and the tables lack; changes nothing else.
    pub async fn add_missing_columns(&self, db: impl IntoDb) -> Result<SyncReport> {
        self.sync(db, &SyncOptions::new(Mode::AddMissingColumns)).await
    }

    /// Writes nothing; the drift report when the database differs, as an error.
    pub async fn validate(&self, db: impl IntoDb) -> Result<DriftReport> {
        let report = self.drift(db).await?;
        if report.in_sync {
            Ok(report)
        } else {
            Err(Error::Drift { report: Box::new(report) })
        }
    }
}

fn acquire_err(backend: Backend, source: sqlx::Error) -> Error {
    Error::Execute {
        backend,
        table: String::new(),
        sql: "(no statement: getting a connection from the pool failed; is the pool exhausted or the server down?)"
            .into(),
        source,
    }
}

/// In additive, rebuild and full mode, fails when declared tables or columns are
/// absent after the sync, unless `allow_absent` is set (then they are logged).
fn require_present(report: SyncReport, options: &SyncOptions) -> Result<SyncReport> {
    if report.absent.is_empty() || !matches!(options.mode, Mode::Additive | Mode::Rebuild | Mode::Full) {
        return Ok(report);
    }
    if options.allow_absent {
        for a in &report.absent {
            tracing::warn!(absent = %a, "schemasync: declared but absent after the sync (allowed)");
        }
        return Ok(report);
    }
    Err(Error::Absent { items: report.absent })
}

/// Fails with the first refused step; nothing is applied then.
fn refuse_if_needed(plan: &Plan) -> Result<()> {
    match plan.refused().next() {
        Some(step) => {
            let (reason, fix) = match &step.disposition {
                plan::Disposition::Refused { reason, fix } => (reason.clone(), fix.clone()),
                _ => unreachable!("refused() yields refused steps"),
            };
            tracing::error!(table = %step.table, %reason, "schemasync: refused");
            Err(Error::Refused { table: step.table.to_string(), reason, fix })
        }
        None => Ok(()),
    }
}

/// [`Models::create_all`] for every registered model.
pub async fn create_all(db: impl IntoDb) -> Result<SyncReport> {
    Models::registered().create_all(db).await
}

/// [`Models::drop_all`] for every registered model.
pub async fn drop_all(db: impl IntoDb) -> Result<SyncReport> {
    Models::registered().drop_all(db).await
}

/// [`Models::add_missing_columns`] for every registered model.
pub async fn add_missing_columns(db: impl IntoDb) -> Result<SyncReport> {
    Models::registered().add_missing_columns(db).await
}

/// [`Models::drift`] for every registered model.
pub async fn drift(db: impl IntoDb) -> Result<DriftReport> {
    Models::registered().drift(db).await
}

/// [`Models::sync`] for every registered model.
pub async fn sync(db: impl IntoDb, options: &SyncOptions) -> Result<SyncReport> {
    Models::registered().sync(db, options).await
}

/// Syncs every registered model with the mode the environment asks for (see
/// [`SyncOptions::from_env`]): rebuild in development, additive in production, and
/// additive, never rebuild, when the environment is unset or unknown.
pub async fn sync_on_boot(db: impl IntoDb) -> Result<SyncReport> {
    sync_on_boot_with(db, SyncOptions::from_env()?).await
}

/// [`sync_on_boot`] with options chosen by the caller (usually `SyncOptions::from_env()?`
/// with an app version or other timeouts).
pub async fn sync_on_boot_with(db: impl IntoDb, options: SyncOptions) -> Result<SyncReport> {
    tracing::info!(mode = %options.mode, reason = %options.reason, "schemasync: sync on boot");
    Models::registered().sync(db, &options).await
}

/// Writes nothing; the drift report when the database differs from the registered
/// models, as an error.
pub async fn validate(db: impl IntoDb) -> Result<DriftReport> {
    Models::registered().validate(db).await
}

/// For tests: panics with the readable drift report when the database differs from the
/// registered models (or cannot be read).
pub async fn assert_schema_matches(db: impl IntoDb) {
    match validate(db).await {
        Ok(_) => {}
        Err(Error::Drift { report }) => panic!("the database does not match the models:\n{report}"),
        Err(e) => panic!("could not compare the database with the models: {e}"),
    }
}
