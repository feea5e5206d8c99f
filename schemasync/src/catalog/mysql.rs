//! MySQL/MariaDB catalog reads, from `information_schema` of the current database.

use super::ExistingTables;
use crate::dialect::Backend;
use crate::error::{Error, Result};

pub(super) async fn existing_tables(pool: &sqlx::MySqlPool) -> Result<ExistingTables> {
    let rows: Vec<(String,)> = sqlx::query_as(
        "SELECT CAST(TABLE_NAME AS CHAR) FROM information_schema.TABLES \
         WHERE TABLE_SCHEMA = DATABASE() AND TABLE_TYPE = 'BASE TABLE'",
    )
    .fetch_all(pool)
    .await
    .map_err(|source| Error::Catalog {
        backend: Backend::MySql,
        what: "tables",
        source,
    })?;
    Ok(ExistingTables {
        default_schema: String::new(),
        tables: rows.into_iter().map(|(t,)| (String::new(), t)).collect(),
    })
}
