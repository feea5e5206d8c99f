//! A small command line an app mounts in its own binary, where its models are linked:
//! a dry run (`plan`) and an apply (`apply`), a structure check (`validate`, `drift`),
//! the history of applies (`history`) and the live schema as SQL or JSON (`export`).
//!
//! ```no_run
//! # async fn app(pool: sqlx::SqlitePool) {
//! let mut args = std::env::args().skip(1);
//! if args.next().as_deref() == Some("schema") {
//!     std::process::exit(schemasync::cli::main(&pool, args).await);
//! }
//! # }
//! ```

use crate::db::IntoDb;
use crate::error::{Error, Result};
use crate::plan::Mode;
use crate::report::Style;
use crate::sync::{Models, Outcome, SyncOptions};

/// How to call it.
pub const USAGE: &str = "usage: <app> schema <command> [options]
commands:
  plan       show what a sync would do, change nothing (the dry run)
  apply      sync: apply what the mode allows
  validate   exit 1 with the drift report when the database differs from the models
  drift      show the drift report
  export     print the live schema as SQL (with --json: as a JSON snapshot)
  history    list the last applies (--limit N, default 20)
options:
  --mode M       additive, rebuild, full, create_all, add_missing_columns, validate
                 (default: from SCHEMASYNC_MODE / ENVIRONMENT / APP_ENV, else additive)
  --allow HASH   full mode: the hash of the plan you reviewed
  --check        plan: exit 1 when something would be applied
  --json         machine-readable output";

/// What a command printed, and the exit code it asks for.
#[derive(Debug, Clone)]
pub struct CliOutput {
    pub text: String,
    pub code: i32,
}

struct Args {
    command: String,
    mode: Option<Mode>,
    allow: Option<String>,
    json: bool,
    check: bool,
    limit: u32,
}

fn usage_error(value: impl Into<String>, what: &str) -> Error {
    Error::InvalidSetting { variable: "argument".into(), value: value.into(), hint: format!("{what}\n{USAGE}") }
}

fn parse(args: impl IntoIterator<Item = String>) -> Result<Args> {
    let mut it = args.into_iter();
    let command = it.next().ok_or_else(|| usage_error("", "a command is needed"))?;
    let mut out = Args { command, mode: None, allow: None, json: false, check: false, limit: 20 };
    while let Some(arg) = it.next() {
        match arg.as_str() {
            "--json" => out.json = true,
            "--check" => out.check = true,
            "--mode" => {
                let value = it.next().ok_or_else(|| usage_error("--mode", "--mode needs a value"))?;
                let get = |k: &str| (k == "SCHEMASYNC_MODE").then(|| value.clone());
                out.mode = Some(crate::policy::options_from_env(&get)?.mode);
            }
            "--allow" => {
                out.allow = Some(it.next().ok_or_else(|| usage_error("--allow", "--allow needs the plan hash"))?)
            }
            "--limit" => {
                let value = it.next().unwrap_or_default();
                out.limit = value.parse().map_err(|_| usage_error(value, "--limit needs a whole number"))?;
            }
            other => return Err(usage_error(other, "unknown option")),
        }
    }
    Ok(out)
}

/// Runs one command against `db` for `models`. Errors (including usage mistakes) come
/// back as `Err`; drift under `validate`, and changes under `plan --check`, as code 1.
pub async fn run(db: impl IntoDb, models: &Models, args: impl IntoIterator<Item = String>) -> Result<CliOutput> {
    let db = db.into_db();
    let args = parse(args)?;
    let style = if args.json { Style::PLAIN } else { Style::detect() };
    let mut options = SyncOptions::from_env()?;
    if let Some(mode) = args.mode {
        options = SyncOptions { mode, reason: format!("--mode {}", mode.key()), ..options };
    }
    if let Some(hash) = &args.allow {
        options.allow = crate::options::Allow::Plan(hash.clone());
    }
    let text_or_json = |text: String, json: String| if args.json { json } else { text };
    match args.command.as_str() {
        "plan" | "apply" => {
            options.dry_run = args.command == "plan";
            let report = models.sync(&db, &options).await?;
            let busy = report.plan.to_apply().next().is_some();
            let code = i32::from(args.check && busy && matches!(report.outcome, Outcome::DryRun));
            Ok(CliOutput { text: text_or_json(report.render(style), report.to_json()), code })
        }
        "validate" | "drift" => {
            let report = models.drift(&db).await?;
            let code = i32::from(args.command == "validate" && !report.in_sync);
            Ok(CliOutput { text: text_or_json(report.render(style), report.to_json()), code })
        }
        "export" => {
            let mut live = models.introspect(&db).await?;
            let d = crate::dialect::dialect(db.backend());
            live.schema.tables.retain(|t| !(t.schema.is_none() && d.same_name(&t.name, &options.history_table)));
            let json = serde_json::to_string_pretty(&live.schema).unwrap_or_default();
            let sql: String = crate::render::create_all(&live.schema, db.backend())?
                .iter()
                .map(|s| format!("{};\n\n", s.sql))
                .collect();
            Ok(CliOutput { text: text_or_json(sql, json), code: 0 })
        }
        "history" => {
            let rows = crate::history::history(&db, &options.history_table, args.limit).await?;
            let json = serde_json::to_string_pretty(&rows).unwrap_or_default();
            let mut text = String::new();
            if rows.is_empty() {
                text.push_str(&format!("No applies recorded in {} yet.", options.history_table));
            }
            for r in &rows {
                let status = if r.success {
                    style.green("ok")
                } else {
                    style.red(&format!("FAILED after {} statement(s)", r.completed))
                };
                text.push_str(&format!(
                    "{}  {:<20} {}  {} statement(s), {} ms  plan {}{}{}\n",
                    r.applied_at,
                    r.mode,
                    status,
                    r.statement_count,
                    r.duration_ms,
                    r.plan_hash.chars().take(12).collect::<String>(),
                    r.app_version.as_deref().map(|v| format!("  app {v}")).unwrap_or_default(),
                    r.error.as_deref().map(|e| format!("\n    {}", style.red(e))).unwrap_or_default(),
                ));
            }
            Ok(CliOutput { text: text_or_json(text.trim_end().to_string(), json), code: 0 })
        }
        other => Err(usage_error(other, "unknown command")),
    }
}

/// [`run`] for every registered model, printing the output; returns the process exit
/// code (0, 1 as above, 2 on an error, which goes to standard error).
pub async fn main(db: impl IntoDb, args: impl IntoIterator<Item = String>) -> i32 {
    use std::io::Write;
    match run(db, &Models::registered(), args).await {
        Ok(out) => {
            // A reader that went away (`schema plan | head -1`) is not an error of ours.
            let mut stdout = std::io::stdout().lock();
            match writeln!(stdout, "{}", out.text).and_then(|()| stdout.flush()) {
                Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => {
                    let _ = writeln!(std::io::stderr(), "schemasync: could not write the output: {e}");
                    2
                }
                _ => out.code,
            }
        }
        Err(e) => {
            let _ = writeln!(std::io::stderr(), "schemasync: {e}");
            2
        }
    }
}
