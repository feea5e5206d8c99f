//! PostgreSQL catalog reads, from `pg_catalog`.

use super::ExistingTables;
use crate::dialect::Backend;
use crate::error::{Error, Result};

pub(super) async fn existing_tables(
    pool: &sqlx::PgPool,
    schemas: &[String],
) -> Result<ExistingTables> {
    let rows: Vec<(String, String, String)> = sqlx::query_as(
        "SELECT n.nspname::text, c.relname::text, current_schema()::text \
         FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace \
         WHERE c.relkind IN ('r', 'p') AND (n.nspname = current_schema() OR n.nspname = ANY($1))",
    )
    .bind(schemas)
    .fetch_all(pool)
    .await
    .map_err(|source| Error::Catalog {
        backend: Backend::Postgres,
        what: "tables",
        source,
    })?;
    let default_schema = match rows.first() {
        Some(r) => r.2.clone(),
        None => sqlx::query_scalar::<_, Option<String>>("SELECT current_schema()::text")
            .fetch_one(pool)
            .await
            .map_err(|source| Error::Catalog {
                backend: Backend::Postgres,
                what: "current schema",
                source,
            })?
            .unwrap_or_else(|| "public".into()),
    };
    Ok(ExistingTables {
        default_schema,
        tables: rows.into_iter().map(|(s, t, _)| (s, t)).collect(),
    })
}
