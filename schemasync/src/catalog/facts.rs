//! What the planner needs to know about the data, read only when a plan needs it.

use super::{CatalogSource, Limits};
use crate::dialect::{dialect, Dialect};
use crate::error::Result;
use crate::schema::{Change, Column, TableRef};
use std::collections::{HashMap, HashSet};

/// What the data says about the tables a plan touches (read only when needed).
#[derive(Debug, Clone, Default)]
pub struct Facts {
    /// Tables that hold at least one row.
    pub tables_with_rows: HashSet<TableRef>,
    /// Tables whose rows were checked (the others may or may not have rows).
    pub rows_checked: HashSet<TableRef>,

    /// Estimated rows, for tables that get a new index. Negative when the backend has
    /// no estimate (a PostgreSQL table never analyzed): minus the most rows the table
    /// can hold, as far as its size tells.
    pub row_estimates: HashMap<TableRef, i64>,
    /// From how many rows a table counts as big (an index build then locks for long).
    pub big_table_rows: i64,
    /// Rows that break a key, a foreign key, a check or NOT NULL a step would add, by
    /// [`Facts::key`] of the change: how many, and a query that lists them.
    pub violations: HashMap<String, Violation>,
    /// Tables with triggers (SQLite, read when a table may be rebuilt): a rebuild would
    /// drop them.
    pub triggers: HashSet<TableRef>,
    /// The named schemas that exist, when known: `CREATE SCHEMA` is only sent for the
    /// others (a role without CREATE on the database may use a schema it cannot create).
    pub schemas: Option<Vec<String>>,
}

/// Existing rows that break what a change adds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Violation {
    /// How many rows (for a key: how many duplicated values).
    pub count: i64,
    /// A query that lists them.
    pub list: String,
}

impl Facts {
    /// The key of `change` in [`Facts::violations`].
    pub fn key(change: &Change) -> String {
        format!("{change:?}")
    }
}

/// The queries that count, and list, the rows breaking what `change` adds to an
/// existing table. `db_name` is where a table is in the database now (a table being
/// renamed is under its old name); `exists` says whether a table is there at all;
/// `added` lists the columns the same plan adds to the change's table: the existing rows
/// are read as they will be, each new column holding its default (or NULL).
pub(crate) fn validation(
    d: &dyn Dialect,
    change: &Change,
    db_name: &dyn Fn(&TableRef) -> TableRef,
    exists: &dyn Fn(&TableRef) -> bool,
    added: &[&Column],
) -> Option<(String, String)> {
    // Rows holding an enum label that goes away (PostgreSQL: in every column of the type).
    let gone = |from: &[String], to: &[String], renamed: &[(String, String)]| -> Vec<String> {
        from.iter().filter(|l| !to.contains(l) && !renamed.iter().any(|(old, _)| old == *l)).cloned().collect()
    };
    if let Change::AlterEnumLabels { enum_type, from, columns } = change {
        let labels = gone(from, &enum_type.labels, &enum_type.renamed);
        if labels.is_empty() || columns.is_empty() {
            return None;
        }
        let list = labels.iter().map(|l| d.literal(l)).collect::<Vec<_>>().join(", ");
        let holds = |c: &Column| match c.ty {
            crate::schema::ColumnType::Array { .. } => {
                format!("EXISTS (SELECT 1 FROM unnest({}) x WHERE x::text IN ({list}))", d.quote_ident(&c.name))
            }
            _ => format!("{}::text IN ({list})", d.quote_ident(&c.name)),
        };
        let counts: Vec<String> = columns
            .iter()
            .map(|(t, c)| {
                format!("(SELECT count(*) FROM {} WHERE {})", d.qualified(t.schema.as_deref(), &t.name), holds(c))
            })
            .collect();
        let lists: Vec<String> = columns
            .iter()
            .map(|(t, c)| format!("SELECT * FROM {} WHERE {}", d.qualified(t.schema.as_deref(), &t.name), holds(c)))
            .collect();
        return Some((format!("SELECT {}", d.cast_to_text(&counts.join(" + "))), lists.join("; ")));
    }
    let table = change.table();
    if !exists(&db_name(&table)) {
        return None;
    }
    let here = db_name(&table);
    let stored = d.qualified(here.schema.as_deref(), &here.name);
    // The rows as a source, under `alias` (or none, for the stored table alone).
    let source = |alias: Option<&str>| {
        if added.is_empty() {
            return match alias {
                Some(a) => format!("{stored} {a}"),
                None => stored.clone(),
            };
        }
        let news: Vec<String> = added
            .iter()
            .map(|c| {
                let value = match &c.default {
                    Some(v) if !c.auto_increment => d.render_default(v, &c.ty),
                    _ => "NULL".to_string(),
                };
                format!("{value} AS {}", d.quote_ident(&c.name))
            })
            .collect();
        format!("(SELECT s.*, {} FROM {stored} s) {}", news.join(", "), alias.unwrap_or("now_"))
    };
    let t = source(None);
    let q = |c: &str| d.quote_ident(c);
    let not_null = |cols: &[String], alias: &str| {
        cols.iter().map(|c| format!("{alias}{} IS NOT NULL", q(c))).collect::<Vec<_>>().join(" AND ")
    };
    let duplicates = |cols: &[String], predicate: Option<&str>, nulls_too: bool| {
        let list = cols.iter().map(|c| q(c)).collect::<Vec<_>>().join(", ");
        let mut filter = if nulls_too { "1 = 1".to_string() } else { not_null(cols, "") };
        if let Some(p) = predicate {
            filter = format!("{filter} AND ({p})");
        }
        let groups = format!("FROM {t} WHERE {filter} GROUP BY {list} HAVING count(*) > 1");
        let mut count = format!("SELECT {} FROM (SELECT 1 AS x {groups}) dup", d.cast_to_text("count(*)"));
        if nulls_too {
            let nulls = cols.iter().map(|c| format!("{} IS NULL", q(c))).collect::<Vec<_>>().join(" OR ");
            count = format!(
                "SELECT {} FROM (SELECT 1 AS x {groups} UNION ALL SELECT 1 AS x FROM {t} WHERE {nulls}) dup",
                d.cast_to_text("count(*)")
            );
        }
        (count, format!("SELECT {list}, count(*) {groups}"))
    };
    match change {
        Change::AddUnique { unique, .. } => Some(duplicates(&unique.columns, None, false)),
        Change::AddIndex { index, .. } if index.unique => {
            let cols: Option<Vec<String>> = index.columns.iter().map(|p| p.as_column().map(str::to_string)).collect();
            Some(duplicates(&cols?, index.predicate.as_deref(), false))
        }
        Change::AddPrimaryKey { key, .. } => Some(duplicates(&key.columns, None, true)),
        Change::AddForeignKey { foreign_key: fk, .. } => {
            let parent = TableRef { schema: fk.ref_schema.clone(), name: fk.ref_table.clone() };
            let mut filter = not_null(&fk.columns, "c.");
            if exists(&db_name(&parent)) {
                let p = db_name(&parent);
                let matches = fk
                    .columns
                    .iter()
                    .zip(&fk.ref_columns)
                    .map(|(c, r)| format!("p.{} = c.{}", q(r), q(c)))
                    .collect::<Vec<_>>()
                    .join(" AND ");
                filter = format!(
                    "{filter} AND NOT EXISTS (SELECT 1 FROM {} p WHERE {matches})",
                    d.qualified(p.schema.as_deref(), &p.name)
                );
            }
            Some((
                format!("SELECT {} FROM {} WHERE {filter}", d.cast_to_text("count(*)"), source(Some("c"))),
                format!("SELECT c.* FROM {} WHERE {filter}", source(Some("c"))),
            ))
        }
        Change::AddCheck { check, .. } => Some((
            format!("SELECT {} FROM {t} WHERE NOT ({})", d.cast_to_text("count(*)"), check.expr),
            format!("SELECT * FROM {t} WHERE NOT ({})", check.expr),
        )),
        Change::AlterColumnType {
            column,
            from: crate::schema::ColumnType::Enum { labels: from, .. },
            to: crate::schema::ColumnType::Enum { labels: to, renamed, .. },
            ..
        } => {
            let labels = gone(from, to, renamed);
            if labels.is_empty() {
                return None;
            }
            let list = labels.iter().map(|l| d.literal(l)).collect::<Vec<_>>().join(", ");
            Some((
                format!("SELECT {} FROM {t} WHERE {} IN ({list})", d.cast_to_text("count(*)"), q(column)),
                format!("SELECT * FROM {t} WHERE {} IN ({list})", q(column)),
            ))
        }
        Change::AlterNullability { column, nullable: false, .. } => Some((
            format!("SELECT {} FROM {t} WHERE {} IS NULL", d.cast_to_text("count(*)"), q(column)),
            format!("SELECT * FROM {t} WHERE {} IS NULL", q(column)),
        )),
        _ => None,
    }
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
    validations: &[(String, (String, String))],
    limits: &Limits,
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
        let sql = super::bounded(backend, &sql, limits, src.in_transaction());
        let hit = src.strings(&sql).await.map_err(super::catalog_err(
            backend,
            "whether the changed tables hold rows",
            limits,
        ))?;
        for (_, t) in hit.iter().filter_map(|k| k.parse::<usize>().ok()).filter_map(|i| check_rows.get(i)) {
            facts.tables_with_rows.insert(t.clone());
        }
        facts.rows_checked.extend(check_rows.iter().map(|(_, t)| t.clone()));
    }
    // One query per step that would validate existing rows: a key, a foreign key, a
    // check, NOT NULL. A query that cannot run (it names a column this plan adds) tells
    // nothing, and the step keeps its hazard.
    for (key, (count, list)) in validations {
        let sql = super::bounded(backend, count, limits, src.in_transaction());
        match src.strings(&sql).await {
            Ok(rows) => {
                let n = rows.first().and_then(|n| n.trim().parse::<i64>().ok()).unwrap_or(0);
                if n > 0 {
                    facts.violations.insert(key.clone(), Violation { count: n, list: list.clone() });
                }
            }
            Err(e) => {
                if crate::error::timeout_of(backend, &e).is_some() {
                    return Err(super::catalog_err(backend, "rows a new constraint would reject", limits)(e));
                }
                tracing::debug!(error = %e, sql = %count, "schemasync: a data check could not run");
            }
        }
    }
    if estimate {
        for (schema, name, n) in src.row_estimates().await? {
            facts.row_estimates.insert(TableRef { schema, name }, n);
        }
        if backend == crate::dialect::Backend::Sqlite {
            let sql = "SELECT DISTINCT tbl_name FROM sqlite_schema WHERE type = 'trigger'";
            let names = src.strings(sql).await.map_err(super::catalog_err(backend, "triggers", limits))?;
            facts.triggers.extend(names.into_iter().map(|name| TableRef { schema: None, name }));
        }
    }
    Ok(facts)
}
