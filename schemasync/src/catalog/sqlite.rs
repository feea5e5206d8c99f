//! SQLite catalog reads, from `sqlite_schema` and the table-valued pragma functions.

use super::ExistingTables;
use crate::dialect::Backend;
use crate::error::{Error, Result};

pub(super) async fn existing_tables(pool: &sqlx::SqlitePool) -> Result<ExistingTables> {
    let rows: Vec<(String,)> = sqlx::query_as(
        "SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\'",
    )
    .fetch_all(pool)
    .await
    .map_err(|source| Error::Catalog { backend: Backend::Sqlite, what: "tables", source })?;
    Ok(ExistingTables {
        default_schema: String::new(),
        tables: rows.into_iter().map(|(t,)| (String::new(), t)).collect(),
    })
}
