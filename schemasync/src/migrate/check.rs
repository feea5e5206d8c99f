//! `schema migrate check`, for CI: the models equal the snapshot, no two migrations
//! were generated after the same one, no backfill is left to write, and (given a
//! scratch database) the files really do what they claim, up and down; (given the
//! database they were applied to) no applied file was edited.

use super::{offline_plan, Migrations, TODO_MARKER};
use crate::db::Db;
use crate::diff::DiffOptions;
use crate::error::Result;
use crate::report::Style;
use crate::schema::Schema;
use crate::sync::Models;
use serde::Serialize;
use std::path::PathBuf;

/// Something `check` found wrong, with what to do.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "finding", rename_all = "snake_case")]
pub enum Finding {
    /// The models differ from the schema the migrations produce.
    ModelsAhead { steps: Vec<String> },
    /// Two or more migrations were generated after the same one (parallel branches).
    TwoHeads { parent: Option<i64>, versions: Vec<i64> },
    /// The snapshot is not as of the newest migration.
    SnapshotStale { snapshot: Option<i64>, newest: i64 },
    /// A backfill (or other block) left to write.
    Todo { file: PathBuf, line: usize },
    /// Applied in order to an empty database, the migrations do not give the models.
    UpsDifferFromModels { differences: Vec<String> },
    /// A migration's down file does not return the database to where its up found it.
    DownDoesNotRevert { version: i64, differences: Vec<String> },
    /// A migration without a down file.
    NoDown { version: i64 },
    /// After every down, in reverse, these model tables remain.
    DownsLeaveTables { tables: Vec<String> },
    /// A file was edited after it was applied (its checksum differs from the record).
    EditedAfterApply { version: i64, file: PathBuf },
    /// Applied, but its file is gone.
    AppliedFileMissing { version: i64 },
}

impl Finding {
    /// The finding and what to do, in words.
    pub fn text(&self) -> String {
        let list = |v: &[String]| v.iter().map(|s| format!("\n    {s}")).collect::<String>();
        match self {
            Finding::ModelsAhead { steps } => format!(
                "models changed since the last migration; run `schema migrate new <name>`:{}",
                list(steps)
            ),
            Finding::TwoHeads { parent, versions } => format!(
                "migrations {} were each generated after {} (in parallel branches): keep the one merged first, delete the others' files, restore {} from that branch, and run `schema migrate new <name>` again",
                versions.iter().map(i64::to_string).collect::<Vec<_>>().join(" and "),
                parent.map_or("no migration".into(), |p| format!("migration {p}")),
                super::SNAPSHOT_FILE
            ),
            Finding::SnapshotStale { snapshot, newest } => format!(
                "{} is as of {}, but the newest migration is {newest} (a merge kept the wrong one): restore the snapshot written with {newest}",
                super::SNAPSHOT_FILE,
                snapshot.map_or("no migration".into(), |s| format!("migration {s}"))
            ),
            Finding::Todo { file, line } => format!(
                "{}:{line}: a `{TODO_MARKER}` block is left to write (a backfill); write the SQL and delete the marker lines",
                file.display()
            ),
            Finding::UpsDifferFromModels { differences } => format!(
                "applied in order to an empty database, the migrations do not give the models' schema (a file was edited, or written by hand):{}",
                list(differences)
            ),
            Finding::DownDoesNotRevert { version, differences } => format!(
                "migration {version}: after its up and its down, the database differs from before its up; fix its .down.sql:{}",
                list(differences)
            ),
            Finding::NoDown { version } => {
                format!("migration {version} has no .down.sql, so it cannot be reverted; write one")
            }
            Finding::DownsLeaveTables { tables } => format!(
                "after every down in reverse, model tables remain: {}; a down file misses a DROP TABLE",
                tables.join(", ")
            ),
            Finding::EditedAfterApply { version, file } => format!(
                "{} (migration {version}) was edited after it was applied: restore it as applied, and put the change in a new migration",
                file.display()
            ),
            Finding::AppliedFileMissing { version } => {
                format!("migration {version} was applied, but its file is missing; restore it from version control")
            }
        }
    }
}

/// What `check` found; clean when `findings` is empty.
#[derive(Debug, Clone, Serialize)]
pub struct CheckReport {
    pub dir: PathBuf,
    pub migrations: usize,
    /// Whether the files were applied to a scratch database (up, down, up again).
    pub scratch_checked: bool,
    pub findings: Vec<Finding>,
}

impl CheckReport {
    pub fn is_clean(&self) -> bool {
        self.findings.is_empty()
    }

    /// The report in words.
    pub fn render(&self, style: Style) -> String {
        let mut out = format!("schemasync: {} migration(s) in {}\n", self.migrations, self.dir.display());
        for f in &self.findings {
            out.push_str(&format!("{} {}\n", style.red("✗"), f.text()));
        }
        if self.is_clean() {
            out.push_str(&style.green(if self.scratch_checked {
                "✓ the models match the snapshot, and on a scratch database every up gives the models and every down reverts"
            } else {
                "✓ the models match the snapshot (give --scratch <url> to run the files too)"
            }));
        }
        out.trim_end().to_string()
    }
}

/// Checks `migrations` against `models`. With `scratch` (an empty database: every file
/// is applied to it), the files are run up, down and up again; with `applied` (a
/// database they were applied to), their checksums are compared with sqlx's record.
pub async fn check(
    migrations: &Migrations,
    models: &Models,
    scratch: Option<&Db>,
    applied: Option<&Db>,
) -> Result<CheckReport> {
    let files = migrations.files()?;
    let mut findings = Vec::new();
    let backend = migrations.backend();

    // 1. The models equal the snapshot.
    let snapshot = migrations.snapshot()?;
    let target = models.schema(backend)?;
    let from = snapshot.as_ref().map(|s| s.schema.clone()).unwrap_or_default();
    let ahead = offline_plan(backend, &target, &from, false)?;
    if !ahead.steps.is_empty() {
        findings.push(Finding::ModelsAhead {
            steps: ahead.steps.iter().map(|s| format!("{}: {}", s.table, s.summary)).collect(),
        });
    }

    // 2. One head.
    let mut parents: Vec<Option<i64>> = files.iter().filter(|f| f.generated).map(|f| f.parent).collect();
    parents.sort();
    parents.dedup();
    for parent in parents {
        let children: Vec<i64> =
            files.iter().filter(|f| f.generated && f.parent == parent).map(|f| f.version).collect();
        if children.len() > 1 {
            findings.push(Finding::TwoHeads { parent, versions: children });
        }
    }
    if let Some(newest) = files.last() {
        let head = snapshot.as_ref().and_then(|s| s.head);
        if head != Some(newest.version) {
            findings.push(Finding::SnapshotStale { snapshot: head, newest: newest.version });
        }
    }

    // 3. Nothing left to write.
    for f in &files {
        for path in std::iter::once(&f.up).chain(&f.down) {
            let text = std::fs::read_to_string(path).unwrap_or_default();
            if let Some(i) = text.lines().position(|l| l.contains(TODO_MARKER)) {
                findings.push(Finding::Todo { file: path.clone(), line: i + 1 });
            }
        }
        if f.down.is_none() {
            findings.push(Finding::NoDown { version: f.version });
        }
    }

    // 4. The files do what they say, on a scratch database.
    if let Some(db) = scratch {
        let db = one_connection(db).await?;
        let found = stairway(&db, &files, models).await;
        db.close().await;
        findings.extend(found?);
    }

    // 5. No applied file was edited.
    if let Some(db) = applied {
        let records = crate::migrator::applied(db).await?;
        if !records.is_empty() {
            let source = crate::options::MigrationSource::Folder(migrations.dir().to_path_buf());
            let (migrator, _) = crate::migrator::load(&source, backend).await?;
            for (version, _, checksum) in &records {
                match migrator.iter().find(|m| m.version == *version && !m.migration_type.is_down_migration()) {
                    Some(m) if &*m.checksum != checksum.as_slice() => {
                        let file = files.iter().find(|f| f.version == *version).map(|f| f.up.clone());
                        findings.push(Finding::EditedAfterApply { version: *version, file: file.unwrap_or_default() });
                    }
                    Some(_) => {}
                    None => findings.push(Finding::AppliedFileMissing { version: *version }),
                }
            }
        }
    }

    Ok(CheckReport {
        dir: migrations.dir().to_path_buf(),
        migrations: files.len(),
        scratch_checked: scratch.is_some(),
        findings,
    })
}

/// Every up in order, each followed by its down and its up again (the database must be
/// as before the up after the down); then the models; then every down in reverse.
async fn stairway(db: &Db, files: &[super::MigrationFile], models: &Models) -> Result<Vec<Finding>> {
    let mut findings = Vec::new();
    let read = |path: &PathBuf| std::fs::read_to_string(path).unwrap_or_default();
    let tables: Vec<String> = live(db).await?.tables.iter().map(|t| t.name.clone()).collect();
    if !tables.is_empty() {
        return Err(crate::error::Error::Migration {
            dir: String::new(),
            what: format!("the scratch database is not empty: it has {}", tables.join(", ")),
            hint: "give --scratch a database made for the check (every file is applied to it)".into(),
        });
    }
    for f in files {
        let before = live(db).await?;
        exec(db, &read(&f.up), f.version).await?;
        if let Some(down) = &f.down {
            exec(db, &read(down), f.version).await?;
            let after = live(db).await?;
            let differences = differences(db, &before, &after);
            if !differences.is_empty() {
                // The database is not where the next file expects it: stop here.
                findings.push(Finding::DownDoesNotRevert { version: f.version, differences });
                return Ok(findings);
            }
            exec(db, &read(&f.up), f.version).await?;
        }
    }
    let drift = models.drift(db).await?;
    if !drift.in_sync {
        let differences = drift.render(Style::PLAIN).lines().map(str::to_string).collect();
        findings.push(Finding::UpsDifferFromModels { differences });
    }
    for f in files.iter().rev() {
        match &f.down {
            Some(down) => exec(db, &read(down), f.version).await?,
            None => return Ok(findings),
        }
    }
    let d = crate::dialect::dialect(db.backend());
    let left: Vec<String> = live(db)
        .await?
        .tables
        .iter()
        .filter(|t| models.defs().iter().any(|m| d.same_name(m.name, &t.name)))
        .map(|t| t.name.clone())
        .collect();
    if !left.is_empty() {
        findings.push(Finding::DownsLeaveTables { tables: left });
    }
    Ok(findings)
}

/// The scratch database on one connection of its own: SQLite checks DDL against a
/// connection's cached schema, so a run of files must not hop between connections.
async fn one_connection(db: &Db) -> Result<Db> {
    match db {
        #[cfg(feature = "sqlite")]
        Db::Sqlite(pool) => {
            let options = pool.connect_options().as_ref().clone();
            let one = sqlx::sqlite::SqlitePoolOptions::new().max_connections(1).connect_with(options).await;
            one.map(Db::Sqlite).map_err(|source| crate::error::Error::Migration {
                dir: String::new(),
                what: format!("cannot open the scratch database: {source}"),
                hint: "check the --scratch URL".into(),
            })
        }
        other => Ok(other.clone()),
    }
}

/// The scratch database's schema.
async fn live(db: &Db) -> Result<Schema> {
    Ok(crate::catalog::introspect(db, &[]).await?.schema)
}

/// What differs between two reads of one database, in words.
fn differences(db: &Db, before: &Schema, after: &Schema) -> Vec<String> {
    let d = crate::dialect::dialect(db.backend());
    let diff = crate::diff::diff(before, after, &DiffOptions::for_backend(db.backend()));
    let mut out: Vec<String> = diff
        .changes
        .iter()
        .map(|c| {
            let w = crate::diff::words::describe(d, c);
            format!("{}: before the up {}, after the down {}", w.object, w.model, w.database)
        })
        .collect();
    out.extend(diff.unmanaged.iter().map(|t| format!("table {t} is left behind")));
    out
}

/// Runs one migration file's SQL as it is written.
async fn exec(db: &Db, sql: &str, version: i64) -> Result<()> {
    let done = crate::db::on_pool!(db, p => sqlx::raw_sql(sql).execute(p).await.map(|_| ()));
    done.map_err(|source| crate::error::Error::Migration {
        dir: String::new(),
        what: format!("on the scratch database, migration {version} failed: {source}"),
        hint: "fix the file; the scratch database must start empty".into(),
    })
}
