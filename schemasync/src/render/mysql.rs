//! MySQL/MariaDB: `MODIFY COLUMN` restates the whole column, so all of a column's
//! changes are one statement.

use super::{column_definition, Renderer};
use crate::dialect::Dialect;
use crate::diff::EnumChange;
use crate::error::Result;
use crate::schema::{Change, Column, ColumnType, Table};

pub(super) struct MySql;

impl Renderer for MySql {
    fn alter_column(
        &self,
        d: &dyn Dialect,
        table: &Table,
        column: &Column,
        changes: &[&Change],
    ) -> Result<Option<Vec<String>>> {
        let t = d.table_name(table);
        // How a column is generated changes: made again (MariaDB cannot modify it).
        if changes.iter().any(|c| matches!(c, Change::AlterGenerated { .. })) {
            return Ok(Some(vec![
                format!("ALTER TABLE {t} DROP COLUMN {}", d.quote_ident(&column.name)),
                d.add_column(&t, &column_definition(d, table, column)?),
            ]));
        }
        let modify = |column: &Column| -> Result<String> {
            Ok(format!("ALTER TABLE {t} MODIFY COLUMN {}", column_definition(d, table, column)?))
        };
        // Renamed enum labels: the column takes both spellings, the rows move to the new
        // ones, and the old ones go. Each statement can run again after a failure.
        let renames = changes.iter().find_map(|c| match c {
            Change::AlterColumnType {
                from: ColumnType::Enum { labels: from, .. },
                to: ColumnType::Enum { labels: to, renamed, .. },
                ..
            } => match crate::diff::enum_change(from, to, renamed) {
                Some(EnumChange::Renamed(renames)) => Some((from.clone(), renames)),
                _ => None,
            },
            _ => None,
        });
        if let Some((from, renames)) = renames {
            let mut both = column.clone();
            if let ColumnType::Enum { labels, .. } = &mut both.ty {
                let mut all = from.clone();
                all.extend(renames.iter().map(|(_, new)| new.clone()).filter(|l| !from.contains(l)));
                *labels = all;
            }
            let c = d.quote_ident(&column.name);
            let cases: String =
                renames.iter().map(|(old, new)| format!(" WHEN {} THEN {}", d.literal(old), d.literal(new))).collect();
            let olds: Vec<String> = renames.iter().map(|(old, _)| d.literal(old)).collect();
            return Ok(Some(vec![
                modify(&both)?,
                format!("UPDATE {t} SET {c} = CASE {c}{cases} END WHERE {c} IN ({})", olds.join(", ")),
                modify(column)?,
            ]));
        }
        Ok(Some(vec![modify(column)?]))
    }
}
