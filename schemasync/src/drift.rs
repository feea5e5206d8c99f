//! The drift report as data: per table and per column, what the models say next to what
//! the database has, with the typed changes behind it. Built by the report module,
//! carried by `Error::Drift`, and rendered here as text or JSON.

use crate::backend::Backend;
use crate::schema::Change;
use crate::style::Style;
use serde::Serialize;
use std::fmt;

/// Per table and per column: what the models say next to what the database has.
#[derive(Debug, Clone, Serialize)]
pub struct DriftReport {
    pub backend: Backend,
    /// True when nothing differs (unmanaged tables do not count).
    pub in_sync: bool,
    pub tables: Vec<TableDrift>,
    /// Tables no model declares: reported, never touched.
    pub unmanaged: Vec<String>,
    pub summary: DriftSummary,
    /// The changes behind the report, for machines.
    pub changes: Vec<Change>,
}

#[derive(Debug, Clone, Serialize)]
pub struct TableDrift {
    pub table: String,
    /// The Rust model that declares it.
    pub model: Option<String>,
    pub status: TableStatus,
    pub differences: Vec<Difference>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum TableStatus {
    InSync,
    Differs,
    Missing,
}

/// One difference: the object, what the model says, what the database has.
#[derive(Debug, Clone, Serialize)]
pub struct Difference {
    pub object: String,
    pub model: String,
    pub database: String,
    /// widening / narrowing, renamed...
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

#[derive(Debug, Clone, Copy, Default, Serialize)]
pub struct DriftSummary {
    pub tables: usize,
    pub in_sync: usize,
    pub differing: usize,
    pub missing: usize,
    pub differences: usize,
    pub unmanaged: usize,
}

impl DriftReport {
    /// The report as pretty JSON.
    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"))
    }

    /// The report as text, colored with `style`.
    pub fn render(&self, style: Style) -> String {
        let mut out = String::new();
        let s = &self.summary;
        if self.in_sync {
            out.push_str(&style.green(&format!(
                "✓ in sync: the {} database matches all {} table(s) of the models",
                self.backend, s.tables
            )));
        } else {
            out.push_str(&style.bold(&format!(
                "✗ drift on {}: {} of {} table(s) differ ({} missing), {} difference(s)",
                self.backend,
                s.differing + s.missing,
                s.tables,
                s.missing,
                s.differences
            )));
        }
        out.push('\n');
        let width = self.tables.iter().map(|t| t.table.len()).max().unwrap_or(0);
        for t in &self.tables {
            let status = match t.status {
                TableStatus::InSync => style.green("in sync"),
                TableStatus::Missing => style.red("missing from the database"),
                TableStatus::Differs => style.yellow(&format!("{} difference(s)", t.differences.len())),
            };
            out.push_str(&format!("  {:width$}  {status}\n", t.table));
            if t.status == TableStatus::Missing {
                continue;
            }
            let object_width = t.differences.iter().map(|d| d.object.chars().count()).max().unwrap_or(0);
            for diff in &t.differences {
                let pad = " ".repeat(object_width.saturating_sub(diff.object.chars().count()));
                out.push_str(&format!(
                    "      {}{pad}  model: {}  database: {}{}\n",
                    diff.object,
                    style.cyan(&diff.model),
                    style.yellow(&diff.database),
                    diff.note.as_ref().map(|n| style.dim(&format!("  ({n})"))).unwrap_or_default()
                ));
            }
        }
        if !self.unmanaged.is_empty() {
            out.push_str(&style.dim(&format!("  unmanaged, never touched: {}\n", self.unmanaged.join(", "))));
        }
        out.push_str(&format!(
            "Summary: {} table(s) compared, {} in sync, {} differ, {} missing; {} difference(s); {} unmanaged table(s).",
            s.tables, s.in_sync, s.differing, s.missing, s.differences, s.unmanaged
        ));
        out
    }
}

impl fmt::Display for DriftReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.render(Style::PLAIN))
    }
}

/// A table or column the models declare that the database does not have after a sync,
/// and why: the step that would add it was pending or refused.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Absence {
    pub table: String,
    /// `None` when the whole table is absent.
    pub column: Option<String>,
    /// Why it was not added.
    pub reason: String,
    /// What to do.
    pub fix: String,
}

impl fmt::Display for Absence {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.column {
            Some(c) => write!(f, "column {}.{c}", self.table)?,
            None => write!(f, "table {}", self.table)?,
        }
        write!(f, ": {}. To add it: {}", self.reason, self.fix)
    }
}

/// One line per absence, for errors and reports.
pub fn absences_text(items: &[Absence]) -> String {
    items.iter().map(|a| format!("  - {a}")).collect::<Vec<_>>().join("\n")
}
