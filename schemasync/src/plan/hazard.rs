//! The hazard class of each change, with the reason in words.

use super::Hazard;
pub use crate::catalog::Facts;
use crate::dialect::Backend;
use crate::diff::{Change, EnumChange};
use crate::schema::ColumnType;

/// `'a', 'b'`.
fn quoted(labels: &[String]) -> String {
    labels.iter().map(|l| format!("'{l}'")).collect::<Vec<_>>().join(", ")
}

/// The hazard of one change.
pub fn classify(change: &Change, backend: Backend, facts: &Facts) -> (Hazard, String) {
    use Hazard::*;
    let table = change.table();
    let (h, why): (Hazard, String) = match change {
        Change::CreateTable { .. } => (Safe, "creates a new table".into()),
        Change::CreateEnum { .. } => (Safe, "creates an enum type".into()),
        Change::AddEnumLabels { .. } => (Safe, "adds enum label(s); no row changes".into()),
        Change::RenameEnumLabels { .. } => (
            Locking,
            "renames enum label(s): rows follow, but code still using an old label fails, such as instances of the previous release".into(),
        ),
        Change::AlterEnumLabels { .. } => (
            Destructive,
            "removes or reorders enum labels: the type is made again, and rows holding a removed label would have no value".into(),
        ),
        Change::DropEnum { .. } => (Destructive, "drops the enum type".into()),
        Change::DropTable { .. } => (Destructive, "drops the table and every row in it".into()),
        Change::RenameTable { .. } | Change::RenameColumn { .. } => (
            Locking,
            "a rename breaks code that still uses the old name, such as instances of the previous release".into(),
        ),
        Change::AddColumn { column, .. } => {
            if column.nullable {
                (Safe, "adds a nullable column".into())
            } else if column.default.is_some() || column.auto_increment {
                (Safe, "adds a column with a default".into())
            } else if facts.tables_with_rows.contains(&table) {
                (Destructive, "adds a NOT NULL column without a default to a table that has rows".into())
            } else {
                (Safe, "adds a NOT NULL column to an empty table".into())
            }
        }
        Change::DropColumn { .. } => (Destructive, "drops the column and its data".into()),
        Change::AlterColumnType {
            from: ColumnType::Enum { labels: from, .. },
            to: ColumnType::Enum { labels: to, renamed, .. },
            ..
        } => match crate::diff::enum_change(from, to, renamed) {
            // MySQL appends labels in place; in between, or on SQLite (a rebuild), the
            // rows are copied but none changes.
            Some(EnumChange::Added { labels, at_end }) => (
                if at_end || backend != Backend::MySql { Safe } else { Locking },
                format!("adds the enum label(s) {}; no row changes", quoted(&labels)),
            ),
            Some(EnumChange::Renamed(renames)) => (
                Locking,
                format!(
                    "renames the enum label(s) {}: rows follow, but code still using the old label fails",
                    renames.iter().map(|(a, b)| format!("'{a}' to '{b}'")).collect::<Vec<_>>().join(", ")
                ),
            ),
            Some(EnumChange::Removed { labels }) if labels.is_empty() => {
                (Destructive, "reorders the enum's labels, which changes how rows sort".into())
            }
            Some(EnumChange::Removed { labels }) => (
                Destructive,
                format!("removes the enum label(s) {}: rows holding them would have no value", quoted(&labels)),
            ),
            None => (Safe, "no change to the labels".into()),
        },
        Change::AlterColumnType { widening: true, .. } => {
            (Locking, "a widening type change; the table may be rewritten".into())
        }
        Change::AlterColumnType { widening: false, .. } => {
            (Destructive, "a narrowing or incompatible type change; values may not fit".into())
        }
        Change::AlterGenerated { from: Some(_), to: Some(_), .. } => {
            (Locking, "computes the generated column again for every row".into())
        }
        Change::AlterGenerated { from: Some(_), to: None, .. } if backend == Backend::Postgres => {
            (Safe, "stops computing the column; its values stay".into())
        }
        Change::AlterGenerated { .. } => {
            (Destructive, "replaces the column's values: generated columns are computed, plain ones hold data".into())
        }
        Change::AlterNullability { nullable: true, .. } if backend == Backend::Postgres => {
            (Safe, "allows NULL; existing rows are untouched".into())
        }
        Change::AlterNullability { nullable: true, .. } => (Locking, "allows NULL; the table may be rewritten".into()),
        Change::AlterNullability { nullable: false, .. } => {
            (Destructive, "sets NOT NULL, which fails (or blocks) if the column holds NULLs".into())
        }
        Change::AlterDefault { .. } => (Safe, "changes the default for future rows only".into()),
        Change::AlterAutoIncrement { .. } => (Locking, "changes how the column generates values".into()),
        Change::AlterIdentity { to: crate::schema::Identity::Always, .. } => {
            (Locking, "makes the identity ALWAYS: inserts that give an explicit value will fail".into())
        }
        Change::AlterIdentity { .. } => {
            (Safe, "makes the identity BY DEFAULT: inserts may give explicit values".into())
        }
        Change::AddPrimaryKey { .. } => (Locking, "builds a key over every row; fails on duplicates or NULLs".into()),
        Change::DropPrimaryKey { .. } => (Destructive, "removes the primary key; duplicates become possible".into()),
        Change::AddUnique { .. } => (Locking, "validates every row; fails if duplicates exist".into()),
        Change::DropUnique { .. } => (Locking, "removes a unique key; duplicates become possible".into()),
        Change::AddIndex { .. } => match facts.row_estimates.get(&table) {
            Some(&rows) if rows >= facts.big_table_rows => {
                (Locking, format!("builds an index over about {rows} rows, blocking writes meanwhile"))
            }
            Some(&rows) if rows < 0 && rows.checked_neg().is_none_or(|most| most >= facts.big_table_rows) => (
                Locking,
                "builds an index over a table of unknown size (never analyzed: run ANALYZE), blocking writes meanwhile"
                    .into(),
            ),
            _ => (Safe, "adds an index".into()),
        },
        Change::DropIndex { .. } => (Locking, "drops an index; queries using it slow down".into()),
        Change::AddForeignKey { .. } => (Safe, "adds a foreign key".into()),
        Change::DropForeignKey { .. } => (Locking, "drops a foreign key; references are no longer checked".into()),
        Change::AlterForeignKey { .. } => {
            (Locking, "replaces a foreign key to change its ON DELETE / ON UPDATE".into())
        }
        Change::AddCheck { .. } => (Locking, "validates every row; fails if a row breaks the check".into()),
        Change::DropCheck { .. } => (Locking, "drops a check; rows are no longer checked".into()),
        Change::SetTableComment { .. } | Change::SetColumnComment { .. } => (Safe, "changes a comment".into()),
    };
    (h, why)
}

/// True for a NOT NULL column without a default added to a table that has rows: it
/// cannot be added as the models say.
pub fn refused_add(change: &Change, facts: &Facts) -> Option<String> {
    match change {
        Change::AddColumn { table, column }
            if !column.nullable
                && column.default.is_none()
                && !column.auto_increment
                && facts.tables_with_rows.contains(table) =>
        {
            Some(column.name.clone())
        }
        _ => None,
    }
}
