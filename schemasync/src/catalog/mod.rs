//! Reading what a database has. One file per backend; each reads the whole catalog in a
//! fixed number of queries, never one per table.

#[cfg(feature = "mysql")]
mod mysql;
#[cfg(feature = "postgres")]
mod postgres;
#[cfg(feature = "sqlite")]
mod sqlite;

use crate::db::Db;
use crate::error::Result;
use crate::schema::Table;
use std::collections::HashSet;

/// The tables that exist, by (schema, name). `schema` is the backend's schema name on
/// PostgreSQL and empty elsewhere.
#[derive(Debug, Default, Clone)]
pub struct ExistingTables {
    /// PostgreSQL's `current_schema()`; where tables without `schema` live.
    pub default_schema: String,
    pub tables: HashSet<(String, String)>,
}

impl ExistingTables {
    /// True when the table a model declares is already there.
    pub fn contains(&self, table: &Table) -> bool {
        let schema = table
            .schema
            .clone()
            .unwrap_or_else(|| self.default_schema.clone());
        self.tables.contains(&(schema, table.name.clone()))
            || (self.default_schema.is_empty()
                && self.tables.contains(&(String::new(), table.name.clone())))
    }
}

/// Lists the base tables in the schemas `tables` live in. One query.
#[cfg_attr(not(feature = "postgres"), allow(unused_variables))]
pub(crate) async fn existing_tables(db: &Db, tables: &[Table]) -> Result<ExistingTables> {
    match db {
        #[cfg(feature = "postgres")]
        Db::Postgres(pool) => {
            let schemas: Vec<String> = tables.iter().filter_map(|t| t.schema.clone()).collect();
            postgres::existing_tables(pool, &schemas).await
        }
        #[cfg(feature = "mysql")]
        Db::MySql(pool) => mysql::existing_tables(pool).await,
        #[cfg(feature = "sqlite")]
        Db::Sqlite(pool) => sqlite::existing_tables(pool).await,
    }
}
