//! PostgreSQL catalog reads, from `pg_catalog`: four set-based queries for the whole
//! set of schemas (tables, columns, constraints, indexes), sent concurrently.

use super::{fk_action, Builder, Introspection, RawColumn, RawForeignKey, RawIndex};
use crate::dialect::Backend;
use crate::error::{Error, Result};
use crate::schema::normalize::parse_default;

/// Tables in the connection's current schema plus the schemas named in `$1`.
const SCOPE: &str = "(n.nspname = current_schema() OR n.nspname = ANY($1))";

fn catalog_err(what: &'static str) -> impl FnOnce(sqlx::Error) -> Error {
    move |source| Error::Catalog { backend: Backend::Postgres, what, source }
}

type TableRow = (String, Option<String>, Option<String>, Option<String>);
type ColumnRow = (String, String, String, String, bool, Option<String>, String, Option<String>);
type ConstraintRow =
    (String, String, String, String, Vec<String>, Option<String>, Option<String>, Vec<String>, String, String, String);
type IndexRow = (String, String, String, bool, Vec<String>, Vec<bool>, Option<String>);

pub(super) async fn introspect(pool: &sqlx::PgPool, schemas: &[String]) -> Result<Introspection> {
    // Always one row at least, so the current schema is known even with no tables.
    let tables_sql = "SELECT cur.cs, n.nspname::text, c.relname::text, obj_description(c.oid, 'pg_class') \
         FROM (SELECT current_schema()::text AS cs) cur \
         LEFT JOIN (pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace) \
           ON c.relkind IN ('r', 'p') AND NOT c.relispartition AND (n.nspname = cur.cs OR n.nspname = ANY($1)) \
         ORDER BY 2, 3";
    let columns_sql = format!(
        "SELECT n.nspname::text, c.relname::text, a.attname::text, format_type(a.atttypid, a.atttypmod), a.attnotnull, \
                pg_get_expr(d.adbin, d.adrelid), a.attidentity::text, col_description(c.oid, a.attnum) \
         FROM pg_catalog.pg_attribute a \
         JOIN pg_catalog.pg_class c ON c.oid = a.attrelid \
         JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace \
         LEFT JOIN pg_catalog.pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum \
         WHERE a.attnum > 0 AND NOT a.attisdropped AND c.relkind IN ('r', 'p') AND NOT c.relispartition AND {SCOPE} \
         ORDER BY 1, 2, a.attnum"
    );
    let constraints_sql = format!(
        "SELECT n.nspname::text, c.relname::text, con.conname::text, con.contype::text, \
                ARRAY(SELECT a.attname::text FROM unnest(con.conkey) WITH ORDINALITY k(num, ord) \
                      JOIN pg_catalog.pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = k.num ORDER BY k.ord), \
                fn.nspname::text, fc.relname::text, \
                ARRAY(SELECT a.attname::text FROM unnest(con.confkey) WITH ORDINALITY k(num, ord) \
                      JOIN pg_catalog.pg_attribute a ON a.attrelid = con.confrelid AND a.attnum = k.num ORDER BY k.ord), \
                con.confdeltype::text, con.confupdtype::text, pg_get_constraintdef(con.oid) \
         FROM pg_catalog.pg_constraint con \
         JOIN pg_catalog.pg_class c ON c.oid = con.conrelid \
         JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace \
         LEFT JOIN pg_catalog.pg_class fc ON fc.oid = con.confrelid \
         LEFT JOIN pg_catalog.pg_namespace fn ON fn.oid = fc.relnamespace \
         WHERE con.contype IN ('p', 'u', 'f', 'c') AND c.relkind IN ('r', 'p') AND {SCOPE} ORDER BY 1, 2, 3"
    );
    let indexes_sql = format!(
        "SELECT n.nspname::text, c.relname::text, ic.relname::text, ix.indisunique, \
                ARRAY(SELECT pg_get_indexdef(ix.indexrelid, k + 1, true) FROM generate_series(0, ix.indnkeyatts - 1) k ORDER BY k), \
                ARRAY(SELECT ix.indkey[k] = 0 FROM generate_series(0, ix.indnkeyatts - 1) k ORDER BY k), \
                pg_get_expr(ix.indpred, ix.indrelid, true) \
         FROM pg_catalog.pg_index ix \
         JOIN pg_catalog.pg_class ic ON ic.oid = ix.indexrelid \
         JOIN pg_catalog.pg_class c ON c.oid = ix.indrelid \
         JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace \
         WHERE c.relkind IN ('r', 'p') AND NOT c.relispartition AND {SCOPE} \
           AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_constraint con WHERE con.conindid = ix.indexrelid AND con.contype IN ('p', 'u', 'x')) \
         ORDER BY 1, 2, 3"
    );
    // Four independent reads; on a pool they travel on separate connections at once.
    let (tables, columns, constraints, indexes) = tokio::try_join!(
        async {
            sqlx::query_as::<_, TableRow>(tables_sql).bind(schemas).fetch_all(pool).await.map_err(catalog_err("tables"))
        },
        async {
            sqlx::query_as::<_, ColumnRow>(&columns_sql)
                .bind(schemas)
                .fetch_all(pool)
                .await
                .map_err(catalog_err("columns"))
        },
        async {
            sqlx::query_as::<_, ConstraintRow>(&constraints_sql)
                .bind(schemas)
                .fetch_all(pool)
                .await
                .map_err(catalog_err("constraints"))
        },
        async {
            sqlx::query_as::<_, IndexRow>(&indexes_sql)
                .bind(schemas)
                .fetch_all(pool)
                .await
                .map_err(catalog_err("indexes"))
        },
    )?;
    let default_schema = tables.first().map(|t| t.0.clone()).unwrap_or_else(|| "public".into());
    let schema_of = |s: String| if s == default_schema { None } else { Some(s) };

    let mut b = Builder::new(Backend::Postgres);
    for (_, s, t, comment) in tables {
        if let (Some(s), Some(t)) = (s, t) {
            b.table(schema_of(s), t, comment);
        }
    }
    for (s, t, name, ty, not_null, default, identity, comment) in columns {
        let serial = default.as_deref().is_some_and(|d| d.starts_with("nextval("));
        b.column(
            schema_of(s),
            &t,
            RawColumn {
                name,
                ty,
                nullable: !not_null,
                default: if serial { None } else { default.as_deref().and_then(parse_default) },
                auto_increment: serial || !identity.is_empty(),
                comment,
            },
        );
    }
    for (s, t, name, kind, cols, ref_schema, ref_table, ref_cols, on_delete, on_update, def) in constraints {
        let schema = schema_of(s);
        match kind.as_str() {
            "p" => b.primary_key(schema, &t, name, cols),
            "u" => b.unique(schema, &t, name, cols),
            "f" => b.foreign_key(
                schema,
                &t,
                RawForeignKey {
                    name,
                    columns: cols,
                    ref_schema: ref_schema.and_then(schema_of),
                    ref_table: ref_table.unwrap_or_default(),
                    ref_columns: ref_cols,
                    on_delete: fk_action(&on_delete),
                    on_update: fk_action(&on_update),
                },
            ),
            "c" => {
                let expr = def.strip_prefix("CHECK ").unwrap_or(&def);
                let expr = expr.strip_suffix(" NOT VALID").unwrap_or(expr);
                b.check(schema, &t, name, expr.to_string());
            }
            _ => {}
        }
    }
    for (s, t, name, unique, parts, is_expr, predicate) in indexes {
        let parts = parts.into_iter().zip(is_expr).map(|(p, e)| if e { Err(p) } else { Ok(unquote(&p)) }).collect();
        b.index(schema_of(s), &t, RawIndex { name, parts, unique, predicate });
    }
    Ok(Introspection { schema: b.finish(), default_schema: Some(default_schema), queries: QUERIES })
}

/// Catalog queries per introspection, whatever the number of tables.
pub(super) const QUERIES: usize = 4;

/// `"camelCol"` -> `camelCol`.
fn unquote(ident: &str) -> String {
    match ident.strip_prefix('"').and_then(|s| s.strip_suffix('"')) {
        Some(inner) => inner.replace("\"\"", "\""),
        None => ident.to_string(),
    }
}

/// `(schema, table, estimated rows)` from the planner statistics; the default schema is `None`.
pub(super) async fn row_estimates(pool: &sqlx::PgPool) -> Result<Vec<(Option<String>, String, i64)>> {
    let rows: Vec<(String, String, bool, i64)> = sqlx::query_as(
        "SELECT n.nspname::text, c.relname::text, n.nspname = current_schema(), GREATEST(c.reltuples, 0)::bigint \
         FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace WHERE c.relkind IN ('r', 'p')",
    )
    .fetch_all(pool)
    .await
    .map_err(catalog_err("row estimates"))?;
    Ok(rows.into_iter().map(|(s, t, default, n)| (if default { None } else { Some(s) }, t, n)).collect())
}
