//! One change -> its SQL, for a dialect. The plan calls these per step.

use super::{add_foreign_key, column_definition, create_index, create_table, Dialect};
use crate::dialect::ConstraintKind;
use crate::error::Result;
use crate::schema::{Change, ColumnType, Table, TableRef};

fn table_sql(d: &dyn Dialect, t: &TableRef) -> String {
    d.qualified(t.schema.as_deref(), &t.name)
}

/// The constraint a change adds to an existing table that can be added `NOT VALID` and
/// validated once the plan has committed (see [`crate::plan::Step::validate`]).
pub(crate) fn validated_later(change: &Change) -> Option<&str> {
    match change {
        Change::AddForeignKey { foreign_key, .. } => Some(&foreign_key.name),
        Change::AlterForeignKey { to, .. } => Some(&to.name),
        Change::AddCheck { check, .. } => Some(&check.name),
        _ => None,
    }
}

/// `ALTER TABLE .. VALIDATE CONSTRAINT ..` for [`validated_later`]'s constraint.
pub(crate) fn validate_constraint(d: &dyn Dialect, table: &TableRef, name: &str) -> String {
    format!("ALTER TABLE {} VALIDATE CONSTRAINT {}", table_sql(d, table), d.quote_ident(name))
}

/// The statements for one change. `model` is the models' table it is about (absent
/// only for tables no model declares), `deferred` the foreign keys of new tables that
/// are added in a later step. `schemas` lists the named schemas that exist, when known.
pub fn change_sql(
    d: &dyn Dialect,
    change: &Change,
    model: Option<&Table>,
    deferred: &[(TableRef, String)],
    schemas: Option<&[String]>,
) -> Result<Vec<String>> {
    let t = table_sql(d, &change.table());
    let lit = |l: &String| d.literal(l);
    Ok(match change {
        Change::CreateEnum { enum_type } => vec![format!(
            "CREATE TYPE {t} AS ENUM ({})",
            enum_type.labels.iter().map(lit).collect::<Vec<_>>().join(", ")
        )],
        Change::AddEnumLabels { enum_type, added } => {
            // A label with none before it goes before the first label there is.
            let new: Vec<&String> = added.iter().map(|(l, _)| l).collect();
            let first = enum_type.labels.iter().find(|l| !new.contains(l));
            added
                .iter()
                .map(|(label, after)| {
                    let place = match (after, first) {
                        (Some(a), _) => format!(" AFTER {}", lit(a)),
                        (None, Some(f)) => format!(" BEFORE {}", lit(f)),
                        (None, None) => String::new(),
                    };
                    format!("ALTER TYPE {t} ADD VALUE IF NOT EXISTS {}{place}", lit(label))
                })
                .collect()
        }
        Change::RenameEnumLabels { renames, .. } => renames
            .iter()
            .map(|(old, new)| format!("ALTER TYPE {t} RENAME VALUE {} TO {}", lit(old), lit(new)))
            .collect(),
        Change::AlterEnumLabels { enum_type, columns, .. } => {
            // The type is made again under its name, each column converted through text,
            // and the old type dropped. A column's default is of the old type: it is
            // dropped around the conversion and set again.
            let old = crate::schema::naming::fit(format!("{}__schemasync_old", enum_type.name));
            let old_t = d.qualified(enum_type.schema.as_deref(), &old);
            let mut out = vec![
                format!("ALTER TYPE {t} RENAME TO {}", d.quote_ident(&old)),
                format!(
                    "CREATE TYPE {t} AS ENUM ({})",
                    enum_type.labels.iter().map(lit).collect::<Vec<_>>().join(", ")
                ),
            ];
            for (table, column) in columns {
                let tt = table_sql(d, table);
                let c = d.quote_ident(&column.name);
                let mut ty = t.clone();
                if matches!(column.ty, ColumnType::Array { .. }) {
                    ty.push_str("[]");
                }
                if column.default.is_some() {
                    out.push(format!("ALTER TABLE {tt} ALTER COLUMN {c} DROP DEFAULT"));
                }
                out.push(format!("ALTER TABLE {tt} ALTER COLUMN {c} TYPE {ty} USING {c}::text::{ty}"));
                if let Some(default) = &column.default {
                    out.push(format!(
                        "ALTER TABLE {tt} ALTER COLUMN {c} SET DEFAULT {}",
                        d.render_default(default, &column.ty)
                    ));
                }
            }
            out.push(format!("DROP TYPE {old_t}"));
            out
        }
        Change::DropEnum { .. } => vec![format!("DROP TYPE IF EXISTS {t}")],
        Change::CreateTable { table } => {
            let table = model.unwrap_or(table);
            let here = TableRef::of(table);
            let later: Vec<usize> = table
                .foreign_keys
                .iter()
                .enumerate()
                .filter(|(_, fk)| deferred.iter().any(|(r, n)| r.name == here.name && n == &fk.name))
                .map(|(k, _)| k)
                .collect();
            let mut out = Vec::new();
            // The change's table is canonical: its schema is None for the default schema,
            // which exists and may not be creatable by a least-privileged role.
            let named_schema = match change {
                Change::CreateTable { table } => table.schema.as_ref(),
                _ => None,
            };
            let exists = |s: &String| schemas.is_some_and(|known| known.contains(s));
            if let (Some(schema), true) = (named_schema.filter(|s| !exists(s)), d.capabilities().schemas) {
                out.push(format!("CREATE SCHEMA IF NOT EXISTS {}", d.quote_ident(schema)));
            }
            out.extend(create_table(d, table, &later)?.into_iter().map(|s| s.sql));
            out
        }
        Change::DropTable { table } => vec![format!("DROP TABLE IF EXISTS {}", d.table_name(table))],
        Change::RenameTable { table, from } => {
            vec![format!(
                "ALTER TABLE {} RENAME TO {}",
                d.qualified(table.schema.as_deref(), from),
                d.quote_ident(&table.name)
            )]
        }
        Change::RenameColumn { from, to, .. } => {
            vec![format!("ALTER TABLE {t} RENAME COLUMN {} TO {}", d.quote_ident(from), d.quote_ident(to))]
        }
        Change::AddColumn { column, .. } => {
            let (col, owner) = match model.and_then(|m| m.column(&column.name).map(|c| (c, m))) {
                Some((c, m)) => (c.clone(), m.clone()),
                None => (column.clone(), change.table().to_table()),
            };
            let mut out = vec![d.add_column(&t, &column_definition(d, &owner, &col)?)];
            if let Some(comment) = &col.comment {
                // PostgreSQL stores column comments with a statement of their own.
                if let Some(sql) = super::renderer(d.backend())
                    .alter_column(
                        d,
                        &owner,
                        &col,
                        &[&Change::SetColumnComment {
                            table: change.table(),
                            column: col.name.clone(),
                            from: None,
                            to: Some(comment.clone()),
                        }],
                    )?
                    .filter(|_| d.column_comment_clause(comment).is_none())
                {
                    out.extend(sql);
                }
            }
            out
        }
        Change::DropColumn { column, .. } => vec![d.drop_column(&t, &column.name)],
        Change::AddPrimaryKey { key, .. } => vec![format!("ALTER TABLE {t} ADD {}", d.primary_key_clause(key))],
        Change::DropPrimaryKey { key, .. } => vec![d.drop_constraint(&t, ConstraintKind::PrimaryKey, &key.name)],
        Change::AddUnique { unique, .. } => vec![d.add_unique(&t, &unique.name, &unique.columns)],
        Change::DropUnique { unique, .. } => vec![d.drop_constraint(&t, ConstraintKind::Unique, &unique.name)],
        Change::AddIndex { index, .. } => {
            let owner = model.cloned().unwrap_or_else(|| change.table().to_table());
            vec![create_index(d, &owner, index)]
        }
        Change::DropIndex { index, table } => vec![d.drop_index(table.schema.as_deref(), &t, &index.name)],
        Change::AddForeignKey { foreign_key, table } => {
            let owner = table.to_table();
            vec![add_foreign_key(d, &owner, foreign_key)]
        }
        Change::DropForeignKey { foreign_key, table } => {
            let owner = table.to_table();
            vec![d.drop_foreign_key(&owner, &foreign_key.name)]
        }
        Change::AlterForeignKey { from, to, table } => {
            let owner = table.to_table();
            vec![d.drop_foreign_key(&owner, &from.name), add_foreign_key(d, &owner, to)]
        }
        Change::AddCheck { check, .. } => {
            // The models' own spelling, not the backend-canonical one used to compare.
            let expr = model
                .and_then(|m| m.checks.iter().find(|c| c.name == check.name))
                .map(|c| c.expr.clone())
                .unwrap_or_else(|| check.expr.clone());
            vec![format!("ALTER TABLE {t} ADD CONSTRAINT {} CHECK ({expr})", d.quote_ident(&check.name))]
        }
        Change::DropCheck { check, .. } => vec![d.drop_constraint(&t, ConstraintKind::Check, &check.name)],
        Change::SetTableComment { to, .. } => d.set_table_comment(&t, to.as_deref()),
        Change::AlterColumnType { column, .. }
        | Change::AlterGenerated { column, .. }
        | Change::AlterNullability { column, .. }
        | Change::AlterDefault { column, .. }
        | Change::AlterAutoIncrement { column, .. }
        | Change::AlterIdentity { column, .. }
        | Change::SetColumnComment { column, .. } => alter_column_sql(d, model, column, &[change])?,
    })
}

/// Changes to one column of an existing table, as one group (MySQL restates the whole
/// column once). Empty when the model has no such column.
pub fn alter_column_sql(
    d: &dyn Dialect,
    model: Option<&Table>,
    column: &str,
    changes: &[&Change],
) -> Result<Vec<String>> {
    match model.and_then(|m| m.column(column).map(|c| (m, c))) {
        Some((m, col)) => Ok(super::renderer(d.backend()).alter_column(d, m, col, changes)?.unwrap_or_default()),
        None => Ok(Vec::new()),
    }
}
