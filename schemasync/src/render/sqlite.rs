//! SQLite: a column cannot be altered in place; the table is rebuilt.

use super::{create_index, create_table, Renderer};
use crate::dialect::Dialect;
use crate::error::Result;
use crate::schema::{Change, Column, ColumnType, Schema, Table, TableRef};

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
///
/// A rebuild never carries out a change the plan does not apply: `applied` lists every
/// change the plan applies to this table, `step` those of the rebuild itself. A column,
/// index or unique key the models add comes with the rebuild only when its change is
/// applied; what the table has and the models do not (a column, an index) is kept
/// unless its drop is applied; a pending rename leaves the column under its old name.
pub fn rebuild_table(
    d: &dyn Dialect,
    model: &Table,
    actual: &Schema,
    table: &TableRef,
    applied: &[&Change],
    step: &[Change],
) -> Result<Vec<String>> {
    let have = actual
        .tables
        .iter()
        .find(|t| t.schema == table.schema && (t.name == model.name || model.renamed_from.contains(&t.name)));
    let same = |a: &str, b: &str| a.eq_ignore_ascii_case(b);
    let renamed_to = |name: &str| {
        applied.iter().find_map(|c| match c {
            Change::RenameColumn { from, to, .. } if same(to, name) => Some(from.clone()),
            _ => None,
        })
    };
    let added =
        |name: &str| applied.iter().any(|c| matches!(c, Change::AddColumn { column, .. } if same(&column.name, name)));
    let mut target = model.clone();
    target.columns.clear();
    // (column, copied from: the column's name in the table before the plan, if any)
    let mut sources: Vec<(String, Option<String>)> = Vec::new();
    let have_col = |name: &str| have.and_then(|h| h.columns.iter().find(|c| same(&c.name, name)));
    for c in &model.columns {
        if have_col(&c.name).is_some() {
            sources.push((c.name.clone(), Some(c.name.clone())));
        } else if let Some(old) = renamed_to(&c.name) {
            // Renamed by an earlier step of this plan: the rows are under the new name.
            sources.push((c.name.clone(), Some(old)));
        } else if added(&c.name) {
            sources.push((c.name.clone(), None));
        } else {
            continue;
        }
        target.columns.push(c.clone());
    }
    if let Some(h) = have {
        for c in &h.columns {
            let taken = sources.iter().any(|(_, from)| from.as_deref().is_some_and(|f| same(f, &c.name)));
            let dropped_here =
                step.iter().any(|x| matches!(x, Change::DropColumn { column, .. } if same(&column.name, &c.name)));
            if !taken && !dropped_here {
                sources.push((c.name.clone(), Some(c.name.clone())));
                target.columns.push(c.clone());
            }
        }
    }
    let has_column = |name: &str| target.columns.iter().any(|c| same(&c.name, name));
    let usable = |i: &crate::schema::Index| i.columns.iter().filter_map(|p| p.as_column()).all(has_column);
    let same_index = |a: &crate::schema::Index, b: &crate::schema::Index| {
        a.name == b.name || (a.columns == b.columns && a.unique == b.unique && a.predicate == b.predicate)
    };
    let in_db = |i: &crate::schema::Index| have.is_some_and(|h| h.indexes.iter().any(|x| same_index(x, i)));
    let index_added = |i: &crate::schema::Index| {
        applied.iter().any(|c| matches!(c, Change::AddIndex { index, .. } if same_index(index, i)))
    };
    target.indexes = model.indexes.iter().filter(|i| (in_db(i) || index_added(i)) && usable(i)).cloned().collect();
    let unique_in_db =
        |u: &crate::schema::Unique| have.is_some_and(|h| h.uniques.iter().any(|x| x.columns == u.columns));
    let unique_added = |u: &crate::schema::Unique| {
        applied.iter().any(|c| matches!(c, Change::AddUnique { unique, .. } if unique.columns == u.columns))
    };
    target.uniques.retain(|u| unique_in_db(u) || unique_added(u));
    if let Some(h) = have {
        for i in &h.indexes {
            let declared = model.indexes.iter().any(|m| same_index(m, i));
            let dropped = applied.iter().any(|c| matches!(c, Change::DropIndex { index, .. } if same_index(index, i)));
            if !declared && !dropped && usable(i) {
                target.indexes.push(i.clone());
            }
        }
        for u in &h.uniques {
            let declared = target.uniques.iter().any(|m| m.columns == u.columns);
            let dropped =
                applied.iter().any(|c| matches!(c, Change::DropUnique { unique, .. } if unique.columns == u.columns));
            if !declared && !dropped && u.columns.iter().all(|c| has_column(c)) {
                target.uniques.push(u.clone());
            }
        }
    }
    let model = &target;
    // Generated columns are computed again, never copied.
    let generated = |name: &str| model.column(name).is_some_and(|c| c.generated.is_some());
    let copied: Vec<String> = sources
        .iter()
        .filter(|(name, from)| from.is_some() && !generated(name))
        .map(|(name, _)| name.clone())
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
        // An enum column whose labels the models renamed: its rows take the new ones.
        let values: Vec<String> = copied
            .iter()
            .map(|name| {
                let q = d.quote_ident(name);
                let renamed = model.column(name).and_then(|c| match &c.ty {
                    ColumnType::Enum { renamed, .. } if !renamed.is_empty() => Some(renamed),
                    _ => None,
                });
                match renamed {
                    Some(renamed) => {
                        let cases: String = renamed
                            .iter()
                            .map(|(old, new)| format!(" WHEN {} THEN {}", d.literal(old), d.literal(new)))
                            .collect();
                        format!("CASE {q}{cases} ELSE {q} END")
                    }
                    None => q,
                }
            })
            .collect();
        out.push(format!(
            "INSERT INTO {} ({list}) SELECT {} FROM {}",
            d.table_name(&temp),
            values.join(", "),
            d.table_name(model)
        ));
    }
    out.push(format!("DROP TABLE {}", d.table_name(model)));
    out.push(format!("ALTER TABLE {} RENAME TO {}", d.table_name(&temp), d.quote_ident(&model.name)));
    for idx in &model.indexes {
        out.push(create_index(d, model, idx));
    }
    out.push("PRAGMA legacy_alter_table = OFF".to_string());
    Ok(out)
}
