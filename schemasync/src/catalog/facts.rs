//! What the planner needs to know about the data, read only when a plan needs it.

use super::CatalogSource;
use crate::dialect::dialect;
use crate::error::Result;
use crate::schema::TableRef;
use std::collections::{HashMap, HashSet};

/// What the data says about the tables a plan touches (read only when needed).
#[derive(Debug, Clone, Default)]
pub struct Facts {
    /// Tables that hold at least one row.
    pub tables_with_rows: HashSet<TableRef>,
    /// Tables whose rows were checked (the others may or may not have rows).
    pub rows_checked: HashSet<TableRef>,

    /// Estimated rows, for tables that get a new index.
    pub row_estimates: HashMap<TableRef, i64>,
    /// From how many rows a table counts as big (an index build then locks for long).
    pub big_table_rows: i64,
}

/// Reads what the planner needs to know about the data, and only that: which of
/// `check_rows` hold rows (one query), and row estimates when `estimate` is set (one
/// query). Nothing is read when both are empty, so a boot with nothing to do sends
/// nothing here. `check_rows` pairs each table's name in the database with the name the
/// plan uses (they differ for a table being renamed).
pub(crate) async fn facts<S: CatalogSource>(
    src: &mut S,
    check_rows: &[(TableRef, TableRef)],
    estimate: bool,
    big_table_rows: i64,
) -> Result<Facts> {
    let mut facts = Facts { big_table_rows, ..Default::default() };
    let backend = src.backend();
    let d = dialect(backend);
    if !check_rows.is_empty() {
        let sql = check_rows
            .iter()
            .enumerate()
            .map(|(i, (t, _))| {
                format!(
                    "SELECT k FROM (SELECT '{i}' AS k FROM {} LIMIT 1) s{i}",
                    d.qualified(t.schema.as_deref(), &t.name)
                )
            })
            .collect::<Vec<_>>()
            .join(" UNION ALL ");
        let hit = src.strings(&sql).await.map_err(|source| crate::error::Error::Catalog {
            backend,
            what: "whether the changed tables hold rows",
            source,
        })?;
        for i in hit.iter().filter_map(|k| k.parse::<usize>().ok()) {
            facts.tables_with_rows.insert(check_rows[i].1.clone());
        }
        facts.rows_checked.extend(check_rows.iter().map(|(_, t)| t.clone()));
    }
    if estimate {
        for (schema, name, n) in src.row_estimates().await? {
            facts.row_estimates.insert(TableRef { schema, name }, n);
        }
    }
    Ok(facts)
}
