//! MySQL/MariaDB: `MODIFY COLUMN` restates the whole column, so all of a column's
//! changes are one statement.

use super::{column_definition, Renderer};
use crate::dialect::Dialect;
use crate::error::Result;
use crate::schema::{Change, Column, Table};

pub(super) struct MySql;

impl Renderer for MySql {
    fn alter_column(
        &self,
        d: &dyn Dialect,
        table: &Table,
        column: &Column,
        _changes: &[&Change],
    ) -> Result<Option<Vec<String>>> {
        let definition = column_definition(d, table, column)?;
        Ok(Some(vec![format!("ALTER TABLE {} MODIFY COLUMN {definition}", d.table_name(table))]))
    }
}
