//! Schema IR and plans -> SQL. Pure functions: no I/O. What every backend spells alike
//! comes from its [`Dialect`]; what a backend does its own way (altering a column,
//! rebuilding a SQLite table) is in one file per backend.

mod change;
mod mysql;
mod postgres;
mod sqlite;

pub use change::{alter_column_sql, change_sql};
use change::{validate_constraint, validated_later};
pub use sqlite::rebuild_table;

use crate::dialect::{dialect, Backend, Dialect};
use crate::error::Result;
pub use crate::plan::Statement;
use crate::plan::{Mode, Plan, PlanInput};
use crate::schema::order::dependency_order;
use crate::schema::{Change, Column, Diff, ForeignKey, Index, IndexPart, Schema, Table, TableRef};

/// What a backend does with changes its dialect alone cannot spell.
trait Renderer: Sync {
    /// Statements that change one column of an existing table to `column` (its whole
    /// desired definition), for the listed changes. `None` when the backend cannot alter
    /// a column in place (SQLite: the table is rebuilt).
    fn alter_column(
        &self,
        d: &dyn Dialect,
        table: &Table,
        column: &Column,
        changes: &[&Change],
    ) -> Result<Option<Vec<String>>>;
}

fn renderer(backend: Backend) -> &'static dyn Renderer {
    match backend {
        Backend::Postgres => &postgres::Postgres,
        Backend::MySql => &mysql::MySql,
        Backend::Sqlite => &sqlite::Sqlite,
    }
}

fn statement(sql: String, table: &Table) -> Statement {
    Statement { sql, table: table.display_name() }
}

/// CREATE TABLE (and its indexes and comments) for every table, parents first; foreign
/// keys that close a cycle are added at the end with ALTER TABLE. This is the plan of
/// create-all against an empty database.
///
/// Tables and indexes use IF NOT EXISTS, so the script can run on a database that has
/// some of them already.
pub fn create_all(schema: &Schema, backend: Backend) -> Result<Vec<Statement>> {
    let enums = schema.enums.iter().filter(|_| dialect(backend).capabilities().enum_types);
    let diff = Diff {
        changes: enums
            .map(|e| Change::CreateEnum { enum_type: e.clone() })
            .chain(schema.tables.iter().map(|t| Change::CreateTable { table: t.clone() }))
            .collect(),
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

fn script(schema: &Schema, backend: Backend, mode: Mode, actual: &Schema, diff: &Diff) -> Result<Plan> {
    plan(&PlanInput {
        backend,
        mode,
        models: schema,
        desired: schema,
        actual,
        diff,
        facts: &crate::catalog::Facts::default(),
    })
}

/// The plan for `input`, with every step's SQL and the plan's hash.
pub fn plan(input: &PlanInput<'_>) -> Result<Plan> {
    let mut plan = crate::plan::build(input)?;
    plan_sql(&mut plan, input)?;
    Ok(plan)
}

/// Renders the SQL of every step of `plan` (built from `input`), the guards around
/// dropped tables, and seals the plan's hash.
pub fn plan_sql(plan: &mut Plan, input: &PlanInput<'_>) -> Result<()> {
    let d = dialect(input.backend);
    // The foreign keys of new tables that wait for a step of their own.
    let created: Vec<TableRef> = plan
        .steps
        .iter()
        .filter(|s| matches!(s.changes.first(), Some(Change::CreateTable { .. })))
        .map(|s| s.table.clone())
        .collect();
    let deferred: Vec<(TableRef, String)> = plan
        .steps
        .iter()
        .filter(|s| created.contains(&s.table))
        .filter_map(|s| match s.changes.first() {
            Some(Change::AddForeignKey { foreign_key, .. }) => Some((s.table.clone(), foreign_key.name.clone())),
            _ => None,
        })
        .collect();
    // What the plan applies, table by table: a rebuild carries out nothing else.
    let applied: Vec<(TableRef, Change)> = plan
        .steps
        .iter()
        .filter(|s| s.disposition == crate::plan::Disposition::Apply)
        .flat_map(|s| s.changes.iter().map(move |c| (s.table.clone(), c.clone())))
        .collect();
    for step in &mut plan.steps {
        // A constraint added to a table that already exists is checked against its rows
        // after the commit, where the backend can, so that no write waits for it.
        let later = d.capabilities().validate_later && !created.contains(&step.table);
        let here: Vec<&Change> = applied.iter().filter(|(t, _)| *t == step.table).map(|(_, c)| c).collect();
        (step.sql, step.validate) = step_sql(d, input, step, &deferred, later, &here)?;
    }
    let dropped: Vec<Table> = plan
        .steps
        .iter()
        .filter_map(|s| match s.changes.first() {
            Some(Change::DropTable { table }) => Some(table.clone()),
            _ => None,
        })
        .collect();
    if !dropped.is_empty() {
        let (mut before, after) = d.drop_all_guard();
        if before.is_empty() && d.capabilities().alter_add_foreign_key {
            // A cycle's foreign keys go first, so that no order of drops is blocked.
            for &(ti, k) in &dependency_order(&dropped).deferred {
                let table = &dropped[ti];
                before.push(d.drop_foreign_key(table, &table.foreign_keys[k].name));
            }
        }
        plan.before = before;
        plan.after = after;
    }
    plan.seal();
    Ok(())
}

/// The statements of one step, and those that validate its constraints after the
/// commit (`later`: the constraints are added `NOT VALID`).
fn step_sql(
    d: &dyn Dialect,
    input: &PlanInput<'_>,
    step: &crate::plan::Step,
    deferred: &[(TableRef, String)],
    later: bool,
    applied: &[&Change],
) -> Result<(Vec<String>, Vec<String>)> {
    let i = input.desired.tables.iter().position(|t| t.schema == step.table.schema && t.name == step.table.name);
    let model = i.and_then(|i| input.models.tables.get(i));
    if step.rebuild {
        let Some(model) = model else { return Ok(Default::default()) };
        return Ok((rebuild_table(d, model, input.actual, &step.table, applied, &step.changes)?, Vec::new()));
    }
    let Some(first) = step.changes.first() else { return Ok(Default::default()) };
    if let Some(column) = first.altered_column() {
        let changes: Vec<&Change> = step.changes.iter().collect();
        return Ok((alter_column_sql(d, model, column, &changes)?, Vec::new()));
    }
    let (mut out, mut validate) = (Vec::new(), Vec::new());
    for c in &step.changes {
        let mut sql = change_sql(d, c, model, deferred, input.facts.schemas.as_deref())?;
        if let (true, Some(name), Some(add)) = (later, validated_later(c), sql.last_mut()) {
            // The ADD CONSTRAINT is the change's last statement.
            add.push_str(" NOT VALID");
            validate.push(validate_constraint(d, &c.table(), name));
        }
        out.extend(sql);
    }
    Ok((out, validate))
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
    let mut out = vec![statement(
        format!(
            "CREATE TABLE IF NOT EXISTS {} (\n  {}\n){}",
            d.table_name(table),
            lines.join(",\n  "),
            d.table_options(table)
        ),
        table,
    )];
    for idx in &table.indexes {
        out.push(statement(create_index(d, table, idx), table));
    }
    out.extend(d.comment_statements(table).into_iter().map(|sql| statement(sql, table)));
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
    if let Some(g) = &col.generated {
        line.push_str(&format!(" GENERATED ALWAYS AS ({}) {}", g.expr, if g.stored { "STORED" } else { "VIRTUAL" }));
        // MariaDB takes no NULL or NOT NULL on a generated column.
        if d.capabilities().generated_not_null {
            line.push_str(if col.nullable { " NULL" } else { " NOT NULL" });
        }
    } else {
        line.push_str(if col.nullable { " NULL" } else { " NOT NULL" });
    }
    if let (Some(default), None) = (&col.default, &col.generated) {
        line.push_str(" DEFAULT ");
        line.push_str(&d.render_default(default, &col.ty));
    }
    if col.auto_increment {
        line.push(' ');
        line.push_str(&d.auto_increment_clause(table, col)?);
    }
    if let Some(check) = d.column_check(col) {
        line.push(' ');
        line.push_str(&check);
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
    let (kind, using) = idx.method.as_deref().map(|m| d.index_method_sql(m)).unwrap_or_default();
    let mut sql = format!(
        "CREATE {}{kind}INDEX IF NOT EXISTS {} ON {}{using} ({})",
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
