//! The plan: the diff as ordered, typed steps, each with its hazard, what the mode
//! decided for it, and its SQL. One plan feeds the dry run, the JSON, apply and the
//! history table; nothing else decides what to change.

mod build;
mod hazard;
pub use crate::schema::order;

pub use build::{build, Facts, PlanInput};

use crate::dialect::Backend;
use crate::diff::{Change, TableRef};
pub use crate::options::Mode;
use crate::style::Style;
use serde::{Deserialize, Serialize};
use std::fmt;

/// How dangerous a step is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Hazard {
    /// Adds without touching existing data: a table, a nullable column or one with a
    /// default, an index, a foreign key.
    Safe,
    /// Locks or rewrites: a type widening, an index on a big table, a rename, a check
    /// or unique key that must validate every row.
    Locking,
    /// Can lose data or fail on it: drops, narrowing types, SET NOT NULL.
    Destructive,
}

/// What the mode decided for a step.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "status", rename_all = "snake_case")]
pub enum Disposition {
    /// Will be applied.
    Apply,
    /// Not applied in this mode; `fix` says how to get it applied.
    Pending { reason: String, fix: String },
    /// Cannot be applied as the models say; `fix` says what to change.
    Refused { reason: String, fix: String },
}

/// One step of a plan.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Step {
    pub table: TableRef,
    /// What the step does, in words.
    pub summary: String,
    /// The changes it carries out (several for a MySQL MODIFY or a SQLite rebuild).
    pub changes: Vec<Change>,
    /// Carried out by rebuilding the table (SQLite).
    pub rebuild: bool,
    pub hazard: Hazard,
    /// Why the step has its hazard class.
    pub hazard_reason: String,
    pub disposition: Disposition,
    /// The statements, in order.
    pub sql: Vec<String>,
    /// Statements run once the plan's transaction has committed, one at a time:
    /// PostgreSQL's `VALIDATE CONSTRAINT` for a foreign key or check that `sql` adds
    /// `NOT VALID` to an existing table, so that checking its rows blocks no writes.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub validate: Vec<String>,
    /// Run before the plan's transaction and committed at once: PostgreSQL's `ALTER TYPE
    /// ... ADD VALUE`, whose new label cannot be used in the transaction that adds it.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub early: bool,
}

/// The ordered steps that would make the database match the models, for one mode.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Plan {
    pub backend: Backend,
    pub mode: Mode,
    /// SHA-256 over the backend, mode, steps, dispositions and SQL: tie a reviewed
    /// plan to what is applied.
    pub hash: String,
    pub steps: Vec<Step>,
    /// Statements run before and after the steps (drop-all's foreign key guards).
    pub before: Vec<String>,
    pub after: Vec<String>,
    /// Models' tables that are already as the models say.
    pub in_sync: Vec<String>,
    /// Tables no model declares: never touched.
    pub unmanaged: Vec<String>,
}

/// One SQL statement and the table it is about (for errors and reports).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Statement {
    pub sql: String,
    pub table: String,
}

/// How many steps of each kind a plan has.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Counts {
    pub apply: usize,
    pub pending: usize,
    pub refused: usize,
    pub in_sync: usize,
}

impl Plan {
    /// Computes the hash, once every step has its SQL.
    pub fn seal(&mut self) {
        self.hash = build::hash(self);
    }

    /// The steps that will be applied.
    pub fn to_apply(&self) -> impl Iterator<Item = &Step> {
        self.steps.iter().filter(|s| s.disposition == Disposition::Apply)
    }

    /// True when nothing would be applied.
    pub fn nothing_to_apply(&self) -> bool {
        self.to_apply().next().is_none()
    }

    /// The refused steps.
    pub fn refused(&self) -> impl Iterator<Item = &Step> {
        self.steps.iter().filter(|s| matches!(s.disposition, Disposition::Refused { .. }))
    }

    /// How many of [`Plan::statements`] come first and are committed before the plan's
    /// transaction (see [`Step::early`]).
    pub fn early_statements(&self) -> usize {
        if self.nothing_to_apply() {
            return 0;
        }
        self.to_apply().filter(|s| s.early).map(|s| s.sql.len()).sum()
    }

    /// Every statement the apply would send, in order.
    pub fn statements(&self) -> Vec<Statement> {
        if self.nothing_to_apply() {
            return Vec::new();
        }
        let plain = |sql: &String| Statement { sql: sql.clone(), table: String::new() };
        let of = |step: &Step| {
            let table = step.table.to_string();
            step.sql.iter().map(move |sql| Statement { sql: sql.clone(), table: table.clone() }).collect::<Vec<_>>()
        };
        let mut out: Vec<_> = self.to_apply().filter(|s| s.early).flat_map(of).collect();
        out.extend(self.before.iter().map(plain));
        for step in self.to_apply().filter(|s| !s.early) {
            out.extend(of(step));
        }
        out.extend(self.after.iter().map(plain));
        out
    }

    /// The statements run after the plan's transaction has committed (see
    /// [`Step::validate`]), in order.
    pub fn validations(&self) -> Vec<Statement> {
        let mut out = Vec::new();
        for step in self.to_apply() {
            let table = step.table.to_string();
            out.extend(step.validate.iter().map(|sql| Statement { sql: sql.clone(), table: table.clone() }));
        }
        out
    }

    pub fn counts(&self) -> Counts {
        let mut c = Counts { in_sync: self.in_sync.len(), ..Default::default() };
        for s in &self.steps {
            match s.disposition {
                Disposition::Apply => c.apply += 1,
                Disposition::Pending { .. } => c.pending += 1,
                Disposition::Refused { .. } => c.refused += 1,
            }
        }
        c
    }

    /// The tables and columns the models declare that the database lacks once this
    /// plan's `Apply` steps are done (`applied`), or before any of them (`!applied`,
    /// a dry run), each with the reason it is missing and the fix.
    pub fn absences(&self, applied: bool) -> Vec<crate::drift::Absence> {
        let mut out = Vec::new();
        for step in &self.steps {
            let (reason, fix) = match &step.disposition {
                Disposition::Apply if applied => continue,
                Disposition::Apply => {
                    ("not applied yet (this was a dry run)".to_string(), "run the sync without dry run".to_string())
                }
                Disposition::Pending { reason, fix } | Disposition::Refused { reason, fix } => {
                    (format!("{}: {reason}", step.summary), fix.clone())
                }
            };
            let absence = |table: &TableRef, column: Option<&str>| crate::drift::Absence {
                table: table.to_string(),
                column: column.map(str::to_string),
                reason: reason.clone(),
                fix: fix.clone(),
            };
            for c in &step.changes {
                match c {
                    Change::CreateTable { table } => out.push(absence(&TableRef::of(table), None)),
                    Change::RenameTable { table, .. } => out.push(absence(table, None)),
                    Change::AddColumn { table, column } => out.push(absence(table, Some(&column.name))),
                    Change::RenameColumn { table, to, .. } => out.push(absence(table, Some(to))),
                    _ => {}
                }
            }
        }
        out
    }

    /// The plan as pretty JSON.
    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"))
    }

    /// The plan as text: each step marked will apply / pending / refused, the tables
    /// already there, and the counts.
    pub fn render(&self, style: Style) -> String {
        let mut out =
            format!("Plan for {} ({} mode), {}\n", self.backend, self.mode, style.dim(&format!("hash {}", &self.hash)));
        for t in &self.in_sync {
            out.push_str(&format!("  {} {t}: already there\n", style.green("✓")));
        }
        for s in &self.steps {
            let (mark, tail) = match &s.disposition {
                Disposition::Apply => (style.cyan("+"), style.dim(&format!("[{}]", hazard_word(s.hazard)))),
                Disposition::Pending { reason, fix } => {
                    (style.yellow("⚠"), style.yellow(&format!("pending: {reason}. To apply: {fix}")))
                }
                Disposition::Refused { reason, fix } => {
                    (style.red("✗"), style.red(&format!("refused: {reason}. {fix}")))
                }
            };
            out.push_str(&format!("  {mark} {}: {}  {tail}\n", s.table, s.summary));
        }
        for t in &self.unmanaged {
            out.push_str(&style.dim(&format!("  · {t}: not declared by any model, left alone\n")));
        }
        let c = self.counts();
        out.push_str(&format!(
            "{} to apply, {} pending, {} refused, {} table(s) already there, {} unmanaged",
            c.apply,
            c.pending,
            c.refused,
            c.in_sync,
            self.unmanaged.len()
        ));
        out
    }
}

fn hazard_word(h: Hazard) -> &'static str {
    match h {
        Hazard::Safe => "safe",
        Hazard::Locking => "locking",
        Hazard::Destructive => "destructive",
    }
}

impl fmt::Display for Plan {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.render(Style::PLAIN))
    }
}
