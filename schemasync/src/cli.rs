//! The `schema` command line an app mounts in its own binary, where its models are
//! linked: a dry run (`plan`) and an apply (`apply`), a structure check (`validate`,
//! `drift`), the history of applies (`history`) and the schema as SQL or JSON
//! (`export`). Arguments are parsed with `clap`; colour follows `NO_COLOR`, `CLICOLOR`
//! and `CLICOLOR_FORCE` as cargo's does.
//!
//! ```no_run
//! # async fn app(db: schemasync::Db) {
//! let mut args = std::env::args().skip(1);
//! if args.next().as_deref() == Some("schema") {
//!     std::process::exit(schemasync::cli::main(&db, args).await);
//! }
//! # }
//! ```
//!
//! Exit codes, as `terraform plan -detailed-exitcode` and `prisma migrate diff
//! --exit-code` use them: [`EXIT_OK`] (0) in sync or done, [`EXIT_ERROR`] (1) an error
//! (a mistyped command too), [`EXIT_DIFFERENCES`] (2) differences found by `validate`
//! or `plan --check`.

use crate::backend::Backend;
use crate::db::IntoDb;
use crate::error::{Error, Result};
use crate::options::Mode;
use crate::report::Style;
use crate::sync::{Models, SyncOptions};
use clap::{Args, Parser, Subcommand};

/// In sync, or done.
pub const EXIT_OK: i32 = 0;
/// An error: bad arguments, no connection, a failed apply.
pub const EXIT_ERROR: i32 = 1;
/// Differences found (`validate`, `plan --check`).
pub const EXIT_DIFFERENCES: i32 = 2;

const EXIT_CODES: &str = "Exit codes:
  0  in sync, or done
  1  error (bad arguments, no connection, a refused or failed apply)
  2  differences found (validate, plan --check: any step, applicable or pending)";

/// Keep the schema of this app's database in step with its models.
#[derive(Debug, Parser)]
#[command(name = "schema", after_help = EXIT_CODES, disable_version_flag = true)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Show what a sync would do, and change nothing (the dry run)
    Plan {
        #[command(flatten)]
        sync: SyncArgs,
        /// Exit 2 when the plan has any step, applicable or pending (for CI)
        #[arg(long)]
        check: bool,
        #[command(flatten)]
        out: Output,
    },
    /// Sync: apply what the mode allows, under the lock, recorded in the history table
    Apply {
        #[command(flatten)]
        sync: SyncArgs,
        #[command(flatten)]
        out: Output,
    },
    /// Compare the database with the models; exit 2 with the drift report when they differ
    Validate {
        #[command(flatten)]
        out: Output,
    },
    /// Show the drift report: per table and column, the models next to the database
    Drift {
        #[command(flatten)]
        out: Output,
    },
    /// Print the live schema as SQL (with --json: as a JSON snapshot)
    Export {
        /// The models' own schema, read from no database
        #[arg(long)]
        models: bool,
        /// With --models: the backend to write for (default: the connected one)
        #[arg(long, value_name = "BACKEND", requires = "models")]
        backend: Option<Backend>,
        #[command(flatten)]
        out: Output,
    },
    /// Write #[derive(Table)] models for the tables of an existing database
    Models(ModelsArgs),
    /// List the last applies recorded in the history table
    History {
        /// How many
        #[arg(long, default_value_t = 20)]
        limit: u32,
        #[command(flatten)]
        out: Output,
    },
    /// Versioned migration files generated from the models, run by sqlx's migrator
    #[cfg(feature = "migrate")]
    Migrate {
        #[command(subcommand)]
        command: MigrateCommand,
        /// The folder holding one folder of migrations per backend
        /// [default: $SCHEMASYNC_MIGRATIONS, else migrations]
        #[arg(long, global = true, value_name = "DIR")]
        dir: Option<std::path::PathBuf>,
    },
}

#[cfg(feature = "migrate")]
#[derive(Debug, Subcommand)]
enum MigrateCommand {
    /// Write the next migration (up and down files) from the models; needs no database
    New {
        /// What the migration does, like add_email_to_users
        name: String,
        /// Diff against this database instead of the snapshot (adopting migrations on a
        /// database that exists)
        #[arg(long, value_name = "URL")]
        from_db: Option<String>,
        /// The backend to write for [default: the connected one]
        #[arg(long, value_name = "BACKEND")]
        backend: Option<Backend>,
    },
    /// Apply the pending migrations
    Run {
        #[command(flatten)]
        out: Output,
    },
    /// Revert the newest applied migration, or every one after --to
    Revert {
        /// Revert the migrations newer than this version (0: all of them)
        #[arg(long, value_name = "VERSION")]
        to: Option<i64>,
        #[command(flatten)]
        out: Output,
    },
    /// Per migration: applied or pending, when, and whether its file still matches
    Status {
        #[command(flatten)]
        out: Output,
    },
    /// For CI: the models match the snapshot, one head, no backfill left to write, no
    /// applied file edited; exit 2 when something is found
    Check {
        /// An empty database to run every file on: up, down and up again, then the
        /// models, then every down
        #[arg(long, value_name = "URL")]
        scratch: Option<String>,
        /// The backend whose folder to check [default: the connected one]
        #[arg(long, value_name = "BACKEND")]
        backend: Option<Backend>,
        #[command(flatten)]
        out: Output,
    },
}

#[derive(Debug, Args)]
struct ModelsArgs {
    /// The database to read [default: the app's own connection]
    #[arg(long, value_name = "URL")]
    url: Option<String>,
    /// Also read this named schema (PostgreSQL); repeatable
    #[arg(long = "schema", value_name = "NAME")]
    schemas: Vec<String>,
    /// Only these tables, comma-separated
    #[arg(long, value_name = "A,B", value_delimiter = ',')]
    tables: Vec<String>,
    /// Write the source to this file (or to models.rs in this folder) instead of stdout
    #[arg(long, value_name = "PATH")]
    out: Option<std::path::PathBuf>,
}

#[derive(Debug, Args)]
struct SyncArgs {
    /// additive, rebuild, full, create_all, add_missing_columns or validate
    /// [default: from SCHEMASYNC_MODE, ENVIRONMENT or APP_ENV, else additive]
    #[arg(long, value_name = "MODE")]
    mode: Option<Mode>,
    /// Full mode: the hash of the plan you reviewed with `plan --mode full`
    #[arg(long, value_name = "HASH")]
    allow: Option<String>,
}

#[derive(Debug, Args)]
struct Output {
    /// Machine-readable output
    #[arg(long)]
    json: bool,
}

/// What a command printed, and the exit code it asks for.
#[derive(Debug, Clone)]
pub struct CliOutput {
    pub text: String,
    pub code: i32,
    /// For standard error: what a command wants the user to know besides its output.
    pub notes: Vec<String>,
}

impl CliOutput {
    fn ok(text: String) -> CliOutput {
        CliOutput { text, code: EXIT_OK, notes: Vec::new() }
    }
}

/// Parses `args` (what follows `schema`). Help is not an error: it comes back as the
/// text to print, with exit code 0.
fn parse(args: impl IntoIterator<Item = String>, style: Style) -> Result<std::result::Result<Cli, CliOutput>> {
    let argv = std::iter::once("schema".to_string()).chain(args);
    match Cli::try_parse_from(argv) {
        Ok(cli) => Ok(Ok(cli)),
        Err(e) => {
            let text = if style.color { e.render().ansi().to_string() } else { e.render().to_string() };
            if e.use_stderr() {
                Err(Error::Usage { message: text.trim_end().to_string() })
            } else {
                Ok(Err(CliOutput::ok(text.trim_end().to_string())))
            }
        }
    }
}

/// Runs one command against `db` for `models`. Help comes back as text with code 0;
/// errors, usage mistakes included, as `Err`; differences under `validate` and
/// `plan --check` as code [`EXIT_DIFFERENCES`].
pub async fn run(db: impl IntoDb, models: &Models, args: impl IntoIterator<Item = String>) -> Result<CliOutput> {
    let db = db.into_db();
    let cli = match parse(args, Style::detect())? {
        Ok(cli) => cli,
        Err(help) => return Ok(help),
    };
    let style = |out: &Output| if out.json { Style::PLAIN } else { Style::detect() };
    let pick = |out: &Output, text: String, json: String| if out.json { json } else { text };
    match cli.command {
        Command::Plan { sync, check, out } => {
            let report = models.sync(&db, &sync.options(true)?).await?;
            let differs = !report.plan.steps.is_empty();
            let code = if check && differs { EXIT_DIFFERENCES } else { EXIT_OK };
            Ok(CliOutput { text: pick(&out, report.render(style(&out)), report.to_json()), code, notes: Vec::new() })
        }
        Command::Apply { sync, out } => {
            let mut options = sync.options(false)?;
            if !out.json {
                options.progress = progress_bar();
            }
            let report = models.sync(&db, &options).await.map_err(allow_on_the_command_line)?;
            Ok(CliOutput::ok(pick(&out, report.render(style(&out)), report.to_json())))
        }
        Command::Validate { out } => {
            let report = models.drift(&db).await?;
            let code = if report.in_sync { EXIT_OK } else { EXIT_DIFFERENCES };
            Ok(CliOutput { text: pick(&out, report.render(style(&out)), report.to_json()), code, notes: Vec::new() })
        }
        Command::Drift { out } => {
            let report = models.drift(&db).await?;
            Ok(CliOutput::ok(pick(&out, report.render(style(&out)), report.to_json())))
        }
        Command::Export { models: offline, backend, out } => {
            let backend = backend.unwrap_or(db.backend());
            let schema = if offline {
                models.schema(backend)?
            } else {
                let history_table = SyncOptions::from_env()?.history_table;
                let mut live = models.introspect(&db).await?;
                let d = crate::dialect::dialect(backend);
                live.schema.tables.retain(|t| !(t.schema.is_none() && d.same_name(&t.name, &history_table)));
                live.schema
            };
            let json = serde_json::to_string_pretty(&schema).unwrap_or_default();
            let sql: String =
                crate::render::create_all(&schema, backend)?.iter().map(|s| format!("{};\n\n", s.sql)).collect();
            Ok(CliOutput::ok(pick(&out, sql.trim_end().to_string(), json)))
        }
        #[cfg(feature = "migrate")]
        Command::Migrate { command, dir } => migrate(&db, models, command, dir).await,
        Command::Models(args) => models_command(&db, args).await,
        Command::History { limit, out } => {
            let history_table = SyncOptions::from_env()?.history_table;
            let rows = crate::history::history(&db, &history_table, limit).await?;
            let json = serde_json::to_string_pretty(&rows).unwrap_or_default();
            Ok(CliOutput::ok(pick(&out, history_text(&rows, &history_table, style(&out)), json)))
        }
    }
}

/// `schema migrate ...`.
#[cfg(feature = "migrate")]
async fn migrate(
    db: &crate::db::Db,
    models: &Models,
    command: MigrateCommand,
    dir: Option<std::path::PathBuf>,
) -> Result<CliOutput> {
    use crate::migrate::Migrations;
    let root = dir.unwrap_or_else(crate::migrator::default_root);
    let source =
        |backend: Backend| crate::options::MigrationSource::Folder(crate::migrator::backend_dir(&root, backend));
    let versions = |v: &[i64]| v.iter().map(i64::to_string).collect::<Vec<_>>().join(", ");
    match command {
        MigrateCommand::New { name, from_db, backend } => {
            let backend = backend.unwrap_or(db.backend());
            let migrations = Migrations::new(&root, backend);
            let generated = match from_db {
                Some(url) => {
                    let live_db = crate::db::Db::connect(&url).await?;
                    let live = models.introspect(&live_db).await?;
                    live_db.close().await;
                    migrations.generate_from_live(models, &name, &live.schema)?
                }
                None => migrations.generate(models, &name)?,
            };
            Ok(CliOutput::ok(match generated {
                None => format!(
                    "The models are as the last migration left them: nothing to write in {}.",
                    migrations.dir().display()
                ),
                Some(g) => {
                    let mut text = format!(
                        "Wrote {}
  and {}
",
                        g.up.display(),
                        g.down.display()
                    );
                    for step in &g.plan.steps {
                        text.push_str(&format!(
                            "  [{:?}] {}: {}
",
                            step.hazard, step.table, step.summary
                        ));
                    }
                    if g.todo {
                        text.push_str("Fill in the TODO schemasync backfill block in the up file; `schema migrate check` fails until then.\n");
                    }
                    text.trim_end().to_string()
                }
            }))
        }
        MigrateCommand::Run { out } => {
            let applied = crate::migrator::run(db, &source(db.backend())).await?;
            let text = if applied.is_empty() {
                "No pending migrations.".to_string()
            } else {
                format!("Applied migration(s) {}.", versions(&applied))
            };
            Ok(CliOutput::ok(if out.json { serde_json::json!({ "applied": applied }).to_string() } else { text }))
        }
        MigrateCommand::Revert { to, out } => {
            let reverted = crate::migrator::revert(db, &source(db.backend()), to).await?;
            let text = if reverted.is_empty() {
                "Nothing to revert.".to_string()
            } else {
                format!("Reverted migration(s) {}.", versions(&reverted))
            };
            Ok(CliOutput::ok(if out.json { serde_json::json!({ "reverted": reverted }).to_string() } else { text }))
        }
        MigrateCommand::Status { out } => {
            let rows = crate::migrator::status(db, &source(db.backend())).await?;
            let json = serde_json::to_string_pretty(&rows).unwrap_or_default();
            let style = if out.json { Style::PLAIN } else { Style::detect() };
            let width = rows.iter().map(|r| r.description.len()).max().unwrap_or(0).max(11);
            let mut text =
                style.bold(&format!("{:<14}  {:<width$}  {:<19}  file", "version", "description", "applied (UTC)"));
            for r in &rows {
                let file = if r.missing_file {
                    style.red("missing")
                } else if !r.checksum_ok {
                    style.red("EDITED after it was applied")
                } else {
                    "ok".to_string()
                };
                let at = match &r.applied_at {
                    Some(at) => at.clone(),
                    None => style.yellow(&format!("{:<19}", "pending")),
                };
                text.push_str(&format!("\n{:<14}  {:<width$}  {at:<19}  {file}", r.version, r.description));
            }
            Ok(CliOutput::ok(if out.json { json } else { text }))
        }
        MigrateCommand::Check { scratch, backend, out } => {
            let backend = backend.unwrap_or(db.backend());
            let migrations = Migrations::new(&root, backend);
            let scratch_db = match scratch {
                Some(url) => Some(crate::db::Db::connect(&url).await?),
                None => None,
            };
            let applied = (backend == db.backend()).then_some(db);
            let report = crate::migrate::check(&migrations, models, scratch_db.as_ref(), applied).await;
            if let Some(s) = &scratch_db {
                s.close().await;
            }
            let report = report?;
            let code = if report.is_clean() { EXIT_OK } else { EXIT_DIFFERENCES };
            let style = if out.json { Style::PLAIN } else { Style::detect() };
            let json = serde_json::to_string_pretty(&report).unwrap_or_default();
            Ok(CliOutput { text: if out.json { json } else { report.render(style) }, code, notes: Vec::new() })
        }
    }
}

/// `schema models`: the models of an existing database, as Rust source.
async fn models_command(db: &crate::db::Db, args: ModelsArgs) -> Result<CliOutput> {
    let (db, label) = match &args.url {
        Some(url) => (crate::db::Db::connect(url).await?, database_label(url)),
        None => (db.clone(), "the app's database".to_string()),
    };
    let found = crate::catalog::introspect(&db, &args.schemas).await;
    let left_out = crate::catalog::left_out(&db, &args.schemas).await;
    if args.url.is_some() {
        db.close().await;
    }
    let mut schema = found?.schema;
    let left_out = left_out?;
    let d = crate::dialect::dialect(db.backend());
    let own = |name: &str| d.same_name(name, "schemasync_history") || d.same_name(name, "_sqlx_migrations");
    schema.tables.retain(|t| !(t.schema.is_none() && own(&t.name)));
    if !args.tables.is_empty() {
        if let Some(missing) = args.tables.iter().find(|w| !schema.tables.iter().any(|t| d.same_name(&t.name, w))) {
            return Err(Error::Usage {
                message: format!("error: --tables names {missing:?}, which the database does not have"),
            });
        }
        schema.tables.retain(|t| args.tables.iter().any(|w| d.same_name(&t.name, w)));
    }
    if schema.tables.is_empty() {
        return Err(Error::Usage {
            message: format!(
                "error: {label} has no tables{}: nothing to generate; name another schema with --schema",
                if args.tables.is_empty() { "" } else { " of those named" }
            ),
        });
    }
    let source = crate::generate::models_source_noting(&schema, db.backend(), &label, &left_out)?;
    let notes = source.notes.iter().map(|n| format!("schemasync: {n}")).collect();
    match &args.out {
        None => Ok(CliOutput { text: source.code.trim_end().to_string(), code: EXIT_OK, notes }),
        Some(path) => {
            let file = if path.is_dir() { path.join("models.rs") } else { path.clone() };
            std::fs::write(&file, &source.code)
                .map_err(|e| Error::Usage { message: format!("error: cannot write {}: {e}", file.display()) })?;
            let text = format!("Wrote {} model(s) to {}.", schema.tables.len(), file.display());
            Ok(CliOutput { text, code: EXIT_OK, notes })
        }
    }
}

/// The backend and database a URL names, for a header: never its password.
fn database_label(url: &str) -> String {
    let redacted = crate::error::redact_url(url);
    let without_query = redacted.split('?').next().unwrap_or_default();
    let name = without_query.rsplit('/').next().unwrap_or_default();
    format!("database {name}")
}

/// A progress bar on standard error for a long apply: only on a terminal that takes
/// colour (never in a pipe, nor under `NO_COLOR`), cleared when the apply ends.
fn progress_bar() -> Option<crate::options::Progress> {
    use std::io::IsTerminal;
    if !std::io::stderr().is_terminal()
        || anstream::AutoStream::choice(&std::io::stderr()) == anstream::ColorChoice::Never
    {
        return None;
    }
    let bar = indicatif::ProgressBar::hidden();
    if let Ok(style) = indicatif::ProgressStyle::with_template("{bar:40} {pos}/{len} statements, {eta} left") {
        bar.set_style(style);
    }
    Some(crate::options::Progress(std::sync::Arc::new(move |done, total| {
        if bar.length() != Some(total as u64) {
            bar.set_length(total as u64);
            bar.set_draw_target(indicatif::ProgressDrawTarget::stderr());
        }
        bar.set_position(done as u64);
        if done >= total {
            bar.finish_and_clear();
        }
    })))
}

/// Permission for full mode is given on the command line with `--allow`.
fn allow_on_the_command_line(e: Error) -> Error {
    match e {
        Error::NeedsPermission { hash, plan, .. } => {
            let how = format!("schema apply --mode full --allow {hash}");
            Error::NeedsPermission { hash, plan, how }
        }
        other => other,
    }
}

impl SyncArgs {
    /// The options from the environment, with what the command line says on top.
    fn options(&self, dry_run: bool) -> Result<SyncOptions> {
        let mut options = SyncOptions::from_env()?;
        if let Some(mode) = self.mode {
            options = SyncOptions { mode, reason: format!("--mode {}", mode.key()), ..options };
        }
        if let Some(hash) = &self.allow {
            options.allow = crate::options::Allow::Plan(hash.clone());
        }
        options.dry_run = dry_run;
        Ok(options)
    }
}

/// The history as aligned columns: when (UTC), mode, outcome, statements, time, plan.
fn history_text(rows: &[crate::history::HistoryEntry], table: &str, style: Style) -> String {
    if rows.is_empty() {
        return format!("No applies recorded in {table} yet.");
    }
    let mode_width = rows.iter().map(|r| r.mode.len()).max().unwrap_or(0).max(4);
    let mut text = format!(
        "{}\n",
        style.bold(&format!(
            "{:<19}  {:<mode_width$}  {:<6}  {:>10}  {:>9}  {:<12}  app",
            "applied (UTC)", "mode", "result", "statements", "ms", "plan"
        ))
    );
    for r in rows {
        let result =
            if r.success { style.green(&format!("{:<6}", "ok")) } else { style.red(&format!("{:<6}", "FAILED")) };
        let statements =
            if r.success { r.statement_count.to_string() } else { format!("{}/{}", r.completed, r.statement_count) };
        text.push_str(&format!(
            "{:<19}  {:<mode_width$}  {result}  {statements:>10}  {:>9}  {:<12}  {}\n",
            r.applied_at,
            r.mode,
            r.duration_ms,
            r.plan_hash.chars().take(12).collect::<String>(),
            r.app_version.as_deref().unwrap_or("-"),
        ));
        if let Some(e) = &r.error {
            text.push_str(&format!("    {}\n", style.red(e)));
        }
    }
    text.trim_end().to_string()
}

/// [`run`] for every registered model, printing the output (in colour where the
/// terminal takes it); returns the process exit code: [`EXIT_OK`],
/// [`EXIT_DIFFERENCES`], or [`EXIT_ERROR`] with the error on standard error.
pub async fn main(db: impl IntoDb, args: impl IntoIterator<Item = String>) -> i32 {
    main_with(db, &Models::registered(), args).await
}

/// [`main`] for a chosen set of models.
pub async fn main_with(db: impl IntoDb, models: &Models, args: impl IntoIterator<Item = String>) -> i32 {
    use std::io::Write;
    match run(db, models, args).await {
        Ok(out) => {
            for note in &out.notes {
                let _ = writeln!(anstream::stderr(), "{note}");
            }
            // A reader that went away (`schema plan | head -1`) is not an error of ours.
            let mut stdout = anstream::stdout().lock();
            match writeln!(stdout, "{}", out.text).and_then(|()| stdout.flush()) {
                Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => {
                    let _ = writeln!(anstream::stderr(), "schemasync: could not write the output: {e}");
                    EXIT_ERROR
                }
                _ => out.code,
            }
        }
        Err(Error::Usage { message }) => {
            let _ = writeln!(anstream::stderr(), "{message}");
            EXIT_ERROR
        }
        Err(e) => {
            let _ = writeln!(anstream::stderr(), "schemasync: {e}");
            EXIT_ERROR
        }
    }
}

/// The `schemasync` program, for a project that has no models yet.
#[derive(Debug, Parser)]
#[command(name = "schemasync", version, after_help = EXIT_CODES)]
struct Standalone {
    #[command(subcommand)]
    command: StandaloneCommand,
}

#[derive(Debug, Subcommand)]
enum StandaloneCommand {
    /// Write #[derive(Table)] models for the tables of an existing database
    Models(ModelsArgs),
}

/// The `schemasync` binary: `schemasync models --url <url> [--out src/models.rs]`.
/// Returns the process exit code.
pub async fn standalone(args: impl IntoIterator<Item = String>) -> i32 {
    use std::io::Write;
    let argv = std::iter::once("schemasync".to_string()).chain(args);
    let cli = match Standalone::try_parse_from(argv) {
        Ok(cli) => cli,
        Err(e) => {
            let code = if e.use_stderr() { EXIT_ERROR } else { EXIT_OK };
            let _ = e.print();
            return code;
        }
    };
    let StandaloneCommand::Models(args) = cli.command;
    let Some(url) = args.url.clone() else {
        let _ = writeln!(anstream::stderr(), "error: --url <URL> is needed: the database to read");
        return EXIT_ERROR;
    };
    let result = match crate::db::Db::connect(&url).await {
        Ok(db) => {
            let out = models_command(&db, args).await;
            db.close().await;
            out
        }
        Err(e) => Err(e),
    };
    match result {
        Ok(out) => {
            for note in &out.notes {
                let _ = writeln!(anstream::stderr(), "{note}");
            }
            let mut stdout = anstream::stdout().lock();
            let _ = writeln!(stdout, "{}", out.text).and_then(|()| stdout.flush());
            out.code
        }
        Err(e) => {
            let _ = writeln!(anstream::stderr(), "schemasync: {e}");
            EXIT_ERROR
        }
    }
}
