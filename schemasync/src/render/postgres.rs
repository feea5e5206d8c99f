//! PostgreSQL: a column is altered in place, one `ALTER COLUMN` per change.

use super::Renderer;
use crate::dialect::Dialect;
use crate::error::Result;
use crate::schema::{Change, Column, Table};

pub(super) struct Postgres;

impl Renderer for Postgres {
    fn alter_column(
        &self,
        d: &dyn Dialect,
        table: &Table,
        column: &Column,
        changes: &[&Change],
    ) -> Result<Option<Vec<String>>> {
        let t = d.table_name(table);
        let c = d.quote_ident(&column.name);
        // A generated column made plain keeps its values; any other change to how a
        // column is generated makes it again (PostgreSQL cannot change the expression).
        if let Some(Change::AlterGenerated { from, to, .. }) =
            changes.iter().find(|c| matches!(c, Change::AlterGenerated { .. }))
        {
            return Ok(Some(match (from, to) {
                (Some(_), None) => vec![format!("ALTER TABLE {t} ALTER COLUMN {c} DROP EXPRESSION")],
                _ => vec![
                    format!("ALTER TABLE {t} DROP COLUMN {c}"),
                    d.add_column(&t, &super::column_definition(d, table, column)?),
                ],
            }));
        }
        let mut out = Vec::new();
        // A new identity needs the old default gone first; an old identity must be gone
        // before a new default is set.
        let adds_identity =
            changes.iter().any(|c| matches!(c, Change::AlterAutoIncrement { auto_increment: true, .. }));
        let mut ordered: Vec<&&Change> = changes.iter().collect();
        ordered.sort_by_key(|c| match c {
            Change::AlterDefault { .. } if adds_identity => 0,
            Change::AlterAutoIncrement { .. } => 1,
            _ => 2,
        });
        for change in ordered {
            match change {
                Change::AlterColumnType { to, .. } => {
                    let ty = d.render_type(to);
                    out.push(format!("ALTER TABLE {t} ALTER COLUMN {c} TYPE {ty} USING {c}::{ty}"));
                }
                Change::AlterNullability { nullable: true, .. } => {
                    out.push(format!("ALTER TABLE {t} ALTER COLUMN {c} DROP NOT NULL"))
                }
                Change::AlterNullability { nullable: false, .. } => {
                    out.push(format!("ALTER TABLE {t} ALTER COLUMN {c} SET NOT NULL"))
                }
                Change::AlterDefault { to: Some(v), .. } => out
                    .push(format!("ALTER TABLE {t} ALTER COLUMN {c} SET DEFAULT {}", d.render_default(v, &column.ty))),
                Change::AlterDefault { to: None, .. } => {
                    out.push(format!("ALTER TABLE {t} ALTER COLUMN {c} DROP DEFAULT"))
                }
                Change::AlterAutoIncrement { auto_increment: true, .. } => out.push(format!(
                    "ALTER TABLE {t} ALTER COLUMN {c} ADD GENERATED {} AS IDENTITY",
                    column.identity.sql()
                )),
                Change::AlterIdentity { to, .. } => {
                    out.push(format!("ALTER TABLE {t} ALTER COLUMN {c} SET GENERATED {}", to.sql()))
                }
                Change::AlterAutoIncrement { auto_increment: false, .. } => {
                    out.push(format!("ALTER TABLE {t} ALTER COLUMN {c} DROP IDENTITY IF EXISTS"));
                    out.push(format!("ALTER TABLE {t} ALTER COLUMN {c} DROP DEFAULT"));
                }
                Change::SetColumnComment { to, .. } => out.push(format!(
                    "COMMENT ON COLUMN {t}.{c} IS {}",
                    to.as_deref().map(|s| d.literal(s)).unwrap_or_else(|| "NULL".into())
                )),
                _ => {}
            }
        }
        Ok(Some(out))
    }
}
