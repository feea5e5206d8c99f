//! Versioned migrations generated from the models: `<version>_<name>.up.sql` and
//! `.down.sql` files that sqlx's migrator runs, one folder per backend, and a snapshot
//! of the models' schema as of the newest migration.
//!
//! Generating needs no database: the diff is between the models and the snapshot,
//! planned with the same planner and hazards as a sync. [`check`] is the CI side.
//!
//! ```text
//! migrations/
//!   postgres/
//!     20261206101500_create_users.up.sql
//!     20261206101500_create_users.down.sql
//!     schemasync.snapshot.json
//!   sqlite/
//!     ...
//! ```

mod check;
mod file;

pub use check::{check, CheckReport, Finding};
pub use file::{MigrationFile, TODO_MARKER};

use crate::backend::Backend;
use crate::catalog::Facts;
use crate::diff::{Change, Diff, DiffOptions};
use crate::error::{Error, Result};
use crate::options::Mode;
use crate::plan::{Disposition, Plan, PlanInput};
use crate::schema::{Schema, TableRef};
use crate::sync::Models;
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};

/// The snapshot's file name. It has no `_`, so sqlx's migrator skips it.
pub const SNAPSHOT_FILE: &str = "schemasync.snapshot.json";

/// The models' schema as of the newest migration: what the migrations produce.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Snapshot {
    /// The format of this file.
    pub format: u32,
    pub backend: Backend,
    /// The newest migration's version, whose up file leaves the database so.
    pub head: Option<i64>,
    /// The models' schema, as the models build it for this backend.
    pub schema: Schema,
}

/// One backend's migration folder.
#[derive(Debug, Clone)]
pub struct Migrations {
    dir: PathBuf,
    backend: Backend,
}

/// A migration written by [`Migrations::generate`].
#[derive(Debug, Clone)]
pub struct Generated {
    pub version: i64,
    pub name: String,
    pub up: PathBuf,
    pub down: PathBuf,
    /// The up plan: its steps and hazards, as the file's header lists them.
    pub plan: Plan,
    /// The up file holds a `TODO schemasync` block to fill in (a backfill).
    pub todo: bool,
}

impl Migrations {
    /// `backend`'s folder under `root` (`root/postgres`, `root/mysql`, `root/sqlite`).
    pub fn new(root: impl AsRef<Path>, backend: Backend) -> Migrations {
        Migrations { dir: crate::migrator::backend_dir(root.as_ref(), backend), backend }
    }

    /// The folder of this backend's migration files.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    pub fn backend(&self) -> Backend {
        self.backend
    }

    fn err(&self, what: impl Into<String>, hint: impl Into<String>) -> Error {
        Error::Migration { dir: self.dir.display().to_string(), what: what.into(), hint: hint.into() }
    }

    /// The migration files, oldest first.
    pub fn files(&self) -> Result<Vec<MigrationFile>> {
        file::list(&self.dir).map_err(|(what, hint)| self.err(what, hint))
    }

    /// The snapshot; `None` before the first migration.
    pub fn snapshot(&self) -> Result<Option<Snapshot>> {
        let path = self.dir.join(SNAPSHOT_FILE);
        let text = match std::fs::read_to_string(&path) {
            Ok(text) => text,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(e) => return Err(self.err(format!("cannot read {SNAPSHOT_FILE}: {e}"), "check the file's permissions")),
        };
        let snapshot: Snapshot = serde_json::from_str(&text).map_err(|e| {
            self.err(
                format!("{SNAPSHOT_FILE} is not a schemasync snapshot: {e}"),
                "restore it from version control; it is written by `schema migrate new`, never by hand",
            )
        })?;
        if snapshot.backend != self.backend {
            return Err(self.err(
                format!("{SNAPSHOT_FILE} is for {}, not {}", snapshot.backend, self.backend),
                "keep one folder per backend",
            ));
        }
        Ok(Some(snapshot))
    }

    fn write_snapshot(&self, snapshot: &Snapshot) -> Result<()> {
        let text = serde_json::to_string_pretty(snapshot).unwrap_or_default();
        std::fs::write(self.dir.join(SNAPSHOT_FILE), text + "\n")
            .map_err(|e| self.err(format!("cannot write {SNAPSHOT_FILE}: {e}"), "check the folder's permissions"))
    }

    /// Writes the next migration, from the snapshot to `models`; `None` when the models
    /// are as the snapshot says. The first migration of an empty folder creates
    /// everything.
    pub fn generate(&self, models: &Models, name: &str) -> Result<Option<Generated>> {
        let previous = self.snapshot()?;
        let from = previous.as_ref().map(|s| s.schema.clone()).unwrap_or_default();
        self.write(models, name, previous.and_then(|s| s.head), &from, false)
    }

    /// Writes the next migration from `live` (a database's schema, as
    /// [`Models::introspect`] reads it) to `models`: for a project adopting migrations on
    /// a database that exists. The down file returns to `live`.
    pub fn generate_from_live(&self, models: &Models, name: &str, live: &Schema) -> Result<Option<Generated>> {
        let head = self.snapshot()?.and_then(|s| s.head);
        self.write(models, name, head, live, true)
    }

    fn write(
        &self,
        models: &Models,
        name: &str,
        parent: Option<i64>,
        from: &Schema,
        live: bool,
    ) -> Result<Option<Generated>> {
        let name = file::checked_name(name).map_err(|(what, hint)| self.err(what, hint))?;
        let target = models.schema(self.backend)?;
        let files = self.files()?;
        if let Some(newest) = files.last() {
            if parent != Some(newest.version) && !live {
                return Err(self.err(
                    format!(
                        "{SNAPSHOT_FILE} is as of version {}, but the newest migration is {}",
                        parent.map_or("none".into(), |v| v.to_string()),
                        newest.version
                    ),
                    "restore the snapshot from version control, or run `schema migrate check` to see which migrations conflict",
                ));
            }
        }
        let up = Up::plan(self.backend, &target, from, live)?;
        if up.is_empty() {
            return Ok(None);
        }
        let down = offline_plan(self.backend, &with_reverse_renames(from, &up.first.1), &target, false)?;
        std::fs::create_dir_all(&self.dir)
            .map_err(|e| self.err(format!("cannot create the folder: {e}"), "check the permissions"))?;
        let version = file::next_version(files.last().map(|f| f.version));
        let stem = format!("{version}_{name}");
        let header = |direction: &str, plan: &Plan| file::header(&stem, direction, self.backend, parent, &plan.hash);
        let mut up_sql = header("up", &up.first.0);
        up_sql.push_str(&file::body(&up.first.0));
        let todo = up.second.is_some();
        if let Some((second, columns)) = &up.second {
            up_sql.push_str(&file::backfill_block(columns));
            up_sql.push_str(&file::body(second));
        }
        let mut down_sql = header("down", &down);
        down_sql.push_str(&file::body(&down));
        let up_path = self.dir.join(format!("{stem}.up.sql"));
        let down_path = self.dir.join(format!("{stem}.down.sql"));
        for (path, sql) in [(&up_path, &up_sql), (&down_path, &down_sql)] {
            std::fs::write(path, sql)
                .map_err(|e| self.err(format!("cannot write {}: {e}", path.display()), "check the permissions"))?;
        }
        self.write_snapshot(&Snapshot { format: 1, backend: self.backend, head: Some(version), schema: target })?;
        Ok(Some(Generated { version, name, up: up_path, down: down_path, plan: up.first.0, todo }))
    }
}

/// The up migration: one plan, or (when a required column without a default joins a
/// table that may have rows) the plan with those columns nullable, a backfill to fill in,
/// and the plan that makes them NOT NULL.
struct Up {
    first: (Plan, Diff),
    second: Option<(Plan, Vec<(TableRef, String)>)>,
}

impl Up {
    fn plan(backend: Backend, target: &Schema, from: &Schema, live: bool) -> Result<Up> {
        let first = offline_plan_diff(backend, target, from, live)?;
        let needs_backfill: Vec<(TableRef, String)> = first
            .1
            .changes
            .iter()
            .filter_map(|c| match c {
                Change::AddColumn { table, column }
                    if !column.nullable
                        && column.default.is_none()
                        && !column.auto_increment
                        && column.generated.is_none() =>
                {
                    Some((table.clone(), column.name.clone()))
                }
                _ => None,
            })
            .collect();
        if needs_backfill.is_empty() {
            return Ok(Up { first, second: None });
        }
        let mut relaxed = target.clone();
        for t in &mut relaxed.tables {
            let here = TableRef::of(t);
            for c in &mut t.columns {
                if needs_backfill.iter().any(|(r, name)| r == &here && name == &c.name) {
                    c.nullable = true;
                }
            }
        }
        let first = offline_plan_diff(backend, &relaxed, from, live)?;
        let second = offline_plan(backend, target, &relaxed, false)?;
        Ok(Up { first, second: Some((second, needs_backfill)) })
    }

    fn is_empty(&self) -> bool {
        self.first.0.steps.is_empty() && self.second.as_ref().is_none_or(|(p, _)| p.steps.is_empty())
    }
}

/// The plan from `from` to `target`, every step applied, as full mode would.
fn offline_plan(backend: Backend, target: &Schema, from: &Schema, live: bool) -> Result<Plan> {
    offline_plan_diff(backend, target, from, live).map(|(plan, _)| plan)
}

fn offline_plan_diff(backend: Backend, target: &Schema, from: &Schema, live: bool) -> Result<(Plan, Diff)> {
    let desired = crate::dialect::canonicalize(target, backend, None, &[]);
    let actual = if live { from.clone() } else { crate::dialect::canonicalize(from, backend, None, &[]) };
    let mut diff = crate::diff::diff(&desired, &actual, &DiffOptions::for_backend(backend));
    if !live {
        // A table the previous models had and these do not was theirs: it goes. (A
        // sync leaves it alone, as it cannot know that.)
        let gone: Vec<crate::schema::Table> =
            actual.tables.iter().filter(|t| diff.unmanaged.contains(&TableRef::of(t))).cloned().collect();
        diff.unmanaged.retain(|u| !gone.iter().any(|t| &TableRef::of(t) == u));
        // Children first: the creation order, reversed.
        for i in crate::schema::order::dependency_order(&gone).tables.into_iter().rev() {
            diff.changes.push(Change::DropTable { table: gone[i].clone() });
        }
        for e in &actual.enums {
            if !desired.enums.iter().any(|d| d.schema == e.schema && d.name == e.name) {
                diff.changes.push(Change::DropEnum { enum_type: e.clone() });
            }
        }
    }
    let facts =
        Facts { schemas: Some(actual.tables.iter().filter_map(|t| t.schema.clone()).collect()), ..Facts::default() };
    let plan = crate::render::plan(&PlanInput {
        backend,
        mode: Mode::Full,
        models: target,
        desired: &desired,
        actual: &actual,
        diff: &diff,
        facts: &facts,
    })?;
    if let Some(step) = plan.steps.iter().find(|s| !matches!(s.disposition, Disposition::Apply)) {
        let (reason, fix) = match &step.disposition {
            Disposition::Pending { reason, fix } | Disposition::Refused { reason, fix } => (reason, fix),
            Disposition::Apply => unreachable!("found above"),
        };
        return Err(Error::Migration {
            dir: String::new(),
            what: format!("{}: {} cannot be written as a migration: {reason}", step.table, step.summary),
            hint: fix.clone(),
        });
    }
    Ok((plan, diff))
}

/// `from` with the renames the up diff makes, backwards: the down plan renames back
/// rather than dropping and adding.
fn with_reverse_renames(from: &Schema, up: &Diff) -> Schema {
    let mut out = from.clone();
    for c in &up.changes {
        match c {
            Change::RenameTable { table, from: old } => {
                if let Some(t) = out.tables.iter_mut().find(|t| t.schema == table.schema && &t.name == old) {
                    t.renamed_from.push(table.name.clone());
                }
            }
            Change::RenameColumn { table, from: old, to } => {
                // The table may be renamed too: in `from` it has its old name.
                let old_table = up.changes.iter().find_map(|r| match r {
                    Change::RenameTable { table: t, from } if t == table => Some(from.clone()),
                    _ => None,
                });
                let name = old_table.unwrap_or_else(|| table.name.clone());
                if let Some(t) = out.tables.iter_mut().find(|t| t.schema == table.schema && t.name == name) {
                    if let Some(col) = t.columns.iter_mut().find(|col| &col.name == old) {
                        col.renamed_from.push(to.clone());
                    }
                }
            }
            _ => {}
        }
    }
    out
}
