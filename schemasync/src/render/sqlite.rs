//! SQLite: a column cannot be altered in place; the table is rebuilt.

use super::{create_index, create_table, Renderer};
use crate::dialect::Dialect;
use crate::error::Result;
use crate::schema::{Change, Column, Schema, Table, TableRef};

pub(super) struct Sqlite;

impl Renderer for Sqlite {
    fn alter_column(
        &self,
        _d: &dyn Dialect,
        _table: &Table,
        _column: &Column,
        _changes: &[&Change],
    ) -> Result<Option<Vec<String>>> {
        Ok(None)
    }
}

/// Rebuilds a table as the model says (SQLite's way to change a table): a new table,
/// the rows copied over for the columns both have, the old one dropped, the new one
/// renamed, and its indexes created. Runs inside the plan's transaction, with foreign
/// key enforcement off and a foreign key check before commit (the apply sees to both).
pub fn rebuild_table(d: &dyn Dialect, model: &Table, actual: &Schema, table: &TableRef) -> Result<Vec<String>> {
    let have = actual
        .tables
        .iter()
        .find(|t| t.schema == table.schema && (t.name == model.name || model.renamed_from.contains(&t.name)));
    let copied: Vec<String> = model
        .columns
        .iter()
        .filter(|c| {
            have.is_some_and(|h| {
                h.columns.iter().any(|hc| {
                    hc.name.eq_ignore_ascii_case(&c.name)
                        || c.renamed_from.iter().any(|r| r.eq_ignore_ascii_case(&hc.name))
                })
            })
        })
        .map(|c| c.name.clone())
        .collect();
    let mut temp = model.clone();
    temp.name = format!("_schemasync_new_{}", model.name);
    temp.indexes.clear();
    // Legacy renames leave views, triggers and other tables' references to the old name
    // as they are, which is what a rebuild (drop, then rename into place) needs.
    let mut out = vec!["PRAGMA legacy_alter_table = ON".to_string()];
    out.extend(create_table(d, &temp, &[])?.into_iter().map(|s| s.sql));
    let list = d.ident_list(&copied);
    if !copied.is_empty() {
        out.push(format!("INSERT INTO {} ({list}) SELECT {list} FROM {}", d.table_name(&temp), d.table_name(model)));
    }
    out.push(format!("DROP TABLE {}", d.table_name(model)));
    out.push(format!("ALTER TABLE {} RENAME TO {}", d.table_name(&temp), d.quote_ident(&model.name)));
    for idx in &model.indexes {
        out.push(create_index(d, model, idx));
    }
    out.push("PRAGMA legacy_alter_table = OFF".to_string());
    Ok(out)
}
