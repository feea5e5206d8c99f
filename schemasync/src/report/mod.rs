//! What people and machines are shown: the drift report (models next to the database,
//! per table and per column), as text or JSON. Everything here is derived from one
//! [`Diff`]; nothing is compared twice.

pub use crate::drift::{Difference, DriftReport, DriftSummary, TableDrift, TableStatus};
pub use crate::style::Style;

use crate::dialect::{dialect, Backend};
use crate::diff::words::describe;
use crate::diff::{Change, Diff, TableRef};
use crate::schema::Schema;

impl DriftReport {
    /// Builds the report for `desired` (canonical for `backend`) and its diff.
    pub fn new(backend: Backend, desired: &Schema, diff: &Diff) -> DriftReport {
        let d = dialect(backend);
        let mut tables = Vec::new();
        let mut summary =
            DriftSummary { tables: desired.tables.len(), unmanaged: diff.unmanaged.len(), ..Default::default() };
        for t in &desired.tables {
            let here = TableRef::of(t);
            let changes: Vec<&Change> = diff.changes.iter().filter(|c| c.table() == here).collect();
            let status = if changes.iter().any(|c| matches!(c, Change::CreateTable { .. })) {
                summary.missing += 1;
                TableStatus::Missing
            } else if changes.is_empty() {
                summary.in_sync += 1;
                TableStatus::InSync
            } else {
                summary.differing += 1;
                TableStatus::Differs
            };
            let differences: Vec<Difference> = changes.iter().map(|c| describe(d, c)).collect();
            summary.differences += differences.len();
            tables.push(TableDrift { table: here.to_string(), model: t.model.clone(), status, differences });
        }
        DriftReport {
            backend,
            in_sync: diff.changes.is_empty(),
            tables,
            unmanaged: diff.unmanaged.iter().map(|t| t.to_string()).collect(),
            summary,
            changes: diff.changes.clone(),
        }
    }
}
