//! Schema IR -> SQL. Pure functions: no I/O, and every backend difference comes from
//! the [`Dialect`] it is given.

mod change;

pub use change::{alter_column_sql, change_sql, rebuild_table};

use crate::dialect::{dialect, Backend, Dialect};
use crate::diff::{Change, Diff};
use crate::error::Result;
use crate::plan::order::dependency_order;
use crate::plan::{Mode, PlanInput};
use crate::schema::{ForeignKey, Index, IndexPart, Schema, Table};
use serde::{Deserialize, Serialize};

/// One SQL statement and the table it is about (for errors and reports).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Statement {
    pub sql: String,
    pub table: String,
}

impl Statement {
    fn new(sql: String, table: &Table) -> Self {
        Statement { sql, table: table.display_name() }
    }
}

/// CREATE TABLE (and its indexes and comments) for every table, parents first; foreign
/// keys that close a cycle are added at the end with ALTER TABLE. This is the plan of
/// create-all against an empty database.
///
/// Tables and indexes use IF NOT EXISTS, so the script can run on a database that has
/// some of them already.
pub fn create_all(schema: &Schema, backend: Backend) -> Result<Vec<Statement>> {
    let diff = Diff {
        changes: schema.tables.iter().map(|t| Change::CreateTable { table: t.clone() }).collect(),
        unmanaged: Vec::new(),
    };
    Ok(script(schema, backend, Mode::CreateAll, &Schema::default(), &diff)?.statements())
}

/// DROP TABLE for every table, children first. Only the tables in `schema` are named;
/// nothing else in the database is touched. This is the plan of drop-all against a
/// database that has all of them.
pub fn drop_all(schema: &Schema, backend: Backend) -> Result<Vec<Statement>> {
    Ok(script(schema, backend, Mode::DropAll, schema, &Diff::default())?.statements())
}

fn script(schema: &Schema, backend: Backend, mode: Mode, actual: &Schema, diff: &Diff) -> Result<crate::plan::Plan> {
    crate::plan::build(&PlanInput {
        backend,
        mode,
        models: schema,
        desired: schema,
        actual,
        diff,
        facts: &crate::plan::Facts::default(),
    })
}

/// Drop-all's statements: a guard before and after (MySQL turns foreign key checks off,
/// SQLite defers them; PostgreSQL drops a cycle's foreign keys first), and the order
/// in which to drop the tables, children first, as indexes into `schema.tables`.
pub struct DropScript {
    pub before: Vec<String>,
    pub order: Vec<usize>,
    pub after: Vec<String>,
}

/// The parts of drop-all for `schema`.
pub fn drop_all_parts(schema: &Schema, backend: Backend) -> DropScript {
    let d = dialect(backend);
    let order = dependency_order(&schema.tables);
    let (mut before, after) = d.drop_all_guard();
    if before.is_empty() && d.capabilities().alter_add_foreign_key {
        for &(ti, k) in &order.deferred {
            let table = &schema.tables[ti];
            before.push(d.drop_foreign_key(table, &table.foreign_keys[k].name));
        }
    }
    DropScript { before, order: order.tables.into_iter().rev().collect(), after }
}

/// CREATE TABLE for one table with its indexes and comments. The foreign keys listed
/// in `deferred` are left out, to be added once their target exists.
pub fn create_table(d: &dyn Dialect, table: &Table, deferred: &[usize]) -> Result<Vec<Statement>> {
    d.check_table(table)?;
    let mut lines = Vec::new();
    let mut inline_pk = false;
    for col in &table.columns {
        lines.push(column_definition(d, table, col)?);
        inline_pk |= col.auto_increment && d.inline_auto_increment_key();
    }
    if let (Some(pk), false) = (&table.primary_key, inline_pk) {
        lines.push(d.primary_key_clause(pk));
    }
    for u in &table.uniques {
        lines.push(format!("CONSTRAINT {} UNIQUE ({})", d.quote_ident(&u.name), d.ident_list(&u.columns)));
    }
    for (k, fk) in table.foreign_keys.iter().enumerate() {
        if !deferred.contains(&k) {
            lines.push(foreign_key_clause(d, fk));
        }
    }
    for c in &table.checks {
        lines.push(format!("CONSTRAINT {} CHECK ({})", d.quote_ident(&c.name), c.expr));
    }
    let mut out = vec![Statement::new(
        format!(
            "CREATE TABLE IF NOT EXISTS {} (\n  {}\n){}",
            d.table_name(table),
            lines.join(",\n  "),
            d.table_options(table)
        ),
        table,
    )];
    for idx in &table.indexes {
        out.push(Statement::new(create_index(d, table, idx), table));
    }
    out.extend(d.comment_statements(table).into_iter().map(|sql| Statement::new(sql, table)));
    Ok(out)
}

/// `"name" type NULL|NOT NULL [DEFAULT ..] [identity] [COMMENT ..]`, as in CREATE TABLE,
/// ADD COLUMN and MySQL's MODIFY.
pub fn column_definition(d: &dyn Dialect, table: &Table, col: &crate::schema::Column) -> Result<String> {
    let mut line = format!("{} ", d.quote_ident(&col.name));
    match (col.auto_increment, d.auto_increment_type()) {
        (true, Some(ty)) => line.push_str(ty),
        _ => line.push_str(&d.render_type(&col.ty)),
    }
    line.push_str(if col.nullable { " NULL" } else { " NOT NULL" });
    if let Some(default) = &col.default {
        line.push_str(" DEFAULT ");
        line.push_str(&d.render_default(default, &col.ty));
    }
    if col.auto_increment {
        line.push(' ');
        line.push_str(&d.auto_increment_clause(table, col)?);
    }
    if let Some(comment) = col.comment.as_deref().and_then(|c| d.column_comment_clause(c)) {
        line.push(' ');
        line.push_str(&comment);
    }
    Ok(line)
}

/// `CREATE [UNIQUE] INDEX IF NOT EXISTS`, with its WHERE where the backend has partial indexes.
pub fn create_index(d: &dyn Dialect, table: &Table, idx: &Index) -> String {
    let parts: Vec<String> = idx
        .columns
        .iter()
        .map(|p| match p {
            IndexPart::Column(c) => d.quote_ident(c),
            IndexPart::Expr(e) => format!("({e})"),
        })
        .collect();
    let mut sql = format!(
        "CREATE {}INDEX IF NOT EXISTS {} ON {} ({})",
        if idx.unique { "UNIQUE " } else { "" },
        d.quote_ident(&idx.name),
        d.table_name(table),
        parts.join(", ")
    );
    if let (Some(pred), true) = (&idx.predicate, d.capabilities().partial_indexes) {
        sql.push_str(" WHERE ");
        sql.push_str(pred);
    }
    sql
}

/// `CONSTRAINT "n" FOREIGN KEY (...) REFERENCES "t" (...) [ON DELETE ...] [ON UPDATE ...]`.
pub fn foreign_key_clause(d: &dyn Dialect, fk: &ForeignKey) -> String {
    let mut sql = format!(
        "CONSTRAINT {} FOREIGN KEY ({}) REFERENCES {} ({})",
        d.quote_ident(&fk.name),
        d.ident_list(&fk.columns),
        d.qualified(fk.ref_schema.as_deref(), &fk.ref_table),
        d.ident_list(&fk.ref_columns)
    );
    for (what, action) in [("DELETE", fk.on_delete), ("UPDATE", fk.on_update)] {
        if action != crate::schema::FkAction::NoAction {
            sql.push_str(&format!(" ON {what} {}", action.sql()));
        }
    }
    sql
}

/// ALTER TABLE ... ADD CONSTRAINT ... FOREIGN KEY.
pub fn add_foreign_key(d: &dyn Dialect, table: &Table, fk: &ForeignKey) -> String {
    format!("ALTER TABLE {} ADD {}", d.table_name(table), foreign_key_clause(d, fk))
}
