//! PostgreSQL catalog reads, from `pg_catalog`: four set-based queries for the whole
//! set of schemas (tables, columns, constraints, indexes), sent concurrently.

use super::{fetch, fk_action, Builder, Introspection, RawColumn, RawIndex};
use crate::dialect::Backend;
use crate::error::{Error, Result};
use crate::schema::normalize::parse_default;
use crate::schema::{ForeignKey, Identity};
use std::collections::HashMap;

/// Tables in the connection's current schema plus `schemas` (inlined as escaped
/// literals, so that every catalog query runs without binds on a pool or a connection).
fn scope(schemas: &[String]) -> String {
    let list: Vec<String> = schemas.iter().map(|s| crate::dialect::quote_literal(s, false)).collect();
    format!("(n.nspname = current_schema() OR n.nspname = ANY(ARRAY[{}]::text[]))", list.join(", "))
}

fn catalog_err(what: &'static str) -> impl FnOnce(sqlx::Error) -> Error {
    super::catalog_err(Backend::Postgres, what)
}

type TableRow = (String, Option<String>, Option<String>, Option<i64>, Option<String>, Vec<String>);
type ColumnRow = (i64, i16, String, String, bool, Option<String>, String, String, Option<String>);
type ConstraintRow = (
    i64,
    String,
    String,
    // NULL for a check that names no column (`CHECK (false)`).
    Option<Vec<i16>>,
    Option<String>,
    Option<String>,
    Option<Vec<String>>,
    String,
    String,
    Option<String>,
);
type IndexRow = (i64, String, bool, Vec<i16>, i16, Option<Vec<String>>, Option<String>, String);

/// `pg_description` rows of relations and their columns.
const DESCRIPTION: &str = "pg_catalog.pg_description ds ON ds.classoid = 'pg_catalog.pg_class'::regclass";

/// The four catalog queries for `schemas`.
fn queries(schemas: &[String]) -> [String; 4] {
    let scope = scope(schemas);
    // Always one row at least, so the current schema is known even with no tables.
    let tables_sql = format!(
        "SELECT cur.cs, n.nspname::text, c.relname::text, c.oid::int8, ds.description, cur.sp \
         FROM (SELECT current_schema()::text AS cs, current_schemas(false)::text[] AS sp) cur \
         LEFT JOIN (pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace) \
           ON c.relkind IN ('r', 'p') AND NOT c.relispartition AND {scope} \
         LEFT JOIN {DESCRIPTION} AND ds.objoid = c.oid AND ds.objsubid = 0"
    );
    // Key columns come back as attribute numbers and are named from the columns read
    // here; only checks and expression index columns are deparsed by the server.
    let columns_sql = format!(
        "SELECT a.attrelid::int8, a.attnum, a.attname::text, format_type(a.atttypid, a.atttypmod), a.attnotnull, \
                pg_get_expr(d.adbin, d.adrelid), a.attidentity::text, a.attgenerated::text, ds.description \
         FROM pg_catalog.pg_attribute a \
         JOIN pg_catalog.pg_class c ON c.oid = a.attrelid \
         JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace \
         LEFT JOIN pg_catalog.pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum \
         LEFT JOIN {DESCRIPTION} AND ds.objoid = a.attrelid AND ds.objsubid = a.attnum \
         WHERE a.attnum > 0 AND NOT a.attisdropped AND c.relkind IN ('r', 'p') AND NOT c.relispartition AND {scope} \
         ORDER BY a.attrelid, a.attnum"
    );
    let constraints_sql = format!(
        "SELECT con.conrelid::int8, con.conname::text, con.contype::text, con.conkey, fn.nspname::text, fc.relname::text, \
                CASE WHEN con.contype = 'f' THEN ARRAY(SELECT a.attname::text FROM unnest(con.confkey) WITH ORDINALITY k(num, ord) \
                      JOIN pg_catalog.pg_attribute a ON a.attrelid = con.confrelid AND a.attnum = k.num ORDER BY k.ord) END, \
                con.confdeltype::text, con.confupdtype::text, \
                CASE WHEN con.contype = 'c' THEN pg_get_constraintdef(con.oid) END \
         FROM pg_catalog.pg_constraint con \
         JOIN pg_catalog.pg_class c ON c.oid = con.conrelid \
         JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace \
         LEFT JOIN pg_catalog.pg_class fc ON fc.oid = con.confrelid \
         LEFT JOIN pg_catalog.pg_namespace fn ON fn.oid = fc.relnamespace \
         WHERE con.contype IN ('p', 'u', 'f', 'c') AND c.relkind IN ('r', 'p') AND {scope} ORDER BY 1, 2"
    );
    let indexes_sql = format!(
        "SELECT ix.indrelid::int8, ic.relname::text, ix.indisunique, string_to_array(ix.indkey::text, ' ')::int2[], ix.indnkeyatts, \
                CASE WHEN 0 = ANY(ix.indkey::int2[]) THEN \
                  ARRAY(SELECT pg_get_indexdef(ix.indexrelid, k + 1, true) FROM generate_series(0, ix.indnkeyatts - 1) k ORDER BY k) END, \
                pg_get_expr(ix.indpred, ix.indrelid, true), am.amname::text \
         FROM pg_catalog.pg_index ix \
         JOIN pg_catalog.pg_class ic ON ic.oid = ix.indexrelid \
         JOIN pg_catalog.pg_am am ON am.oid = ic.relam \
         JOIN pg_catalog.pg_class c ON c.oid = ix.indrelid \
         JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace \
         WHERE c.relkind IN ('r', 'p') AND NOT c.relispartition AND {scope} \
           AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_constraint con WHERE con.conindid = ix.indexrelid AND con.contype IN ('p', 'u', 'x')) \
         ORDER BY 1, 2"
    );
    [tables_sql, columns_sql, constraints_sql, indexes_sql]
}

/// Reads the catalog on a pool: the four queries travel on separate connections at once.
pub(crate) async fn introspect(pool: &sqlx::PgPool, schemas: &[String]) -> Result<Introspection> {
    let [tables_sql, columns_sql, constraints_sql, indexes_sql] = queries(schemas);
    let rows = tokio::try_join!(
        async { fetch(pool, &tables_sql).await.map_err(catalog_err("tables")) },
        async { fetch(pool, &columns_sql).await.map_err(catalog_err("columns")) },
        async { fetch(pool, &constraints_sql).await.map_err(catalog_err("constraints")) },
        async { fetch(pool, &indexes_sql).await.map_err(catalog_err("indexes")) },
    )?;
    Ok(assemble(rows))
}

/// Reads the catalog on one connection (the one holding the schema lock), in turn.
pub(crate) async fn introspect_on(conn: &mut sqlx::PgConnection, schemas: &[String]) -> Result<Introspection> {
    let [tables_sql, columns_sql, constraints_sql, indexes_sql] = queries(schemas);
    let tables = fetch(&mut *conn, &tables_sql).await.map_err(catalog_err("tables"))?;
    let columns = fetch(&mut *conn, &columns_sql).await.map_err(catalog_err("columns"))?;
    let constraints = fetch(&mut *conn, &constraints_sql).await.map_err(catalog_err("constraints"))?;
    let indexes = fetch(&mut *conn, &indexes_sql).await.map_err(catalog_err("indexes"))?;
    Ok(assemble((tables, columns, constraints, indexes)))
}

/// The rows of the four queries, as the IR.
fn assemble(
    (tables, columns, constraints, indexes): (Vec<TableRow>, Vec<ColumnRow>, Vec<ConstraintRow>, Vec<IndexRow>),
) -> Introspection {
    let default_schema = tables.first().map(|t| t.0.clone()).unwrap_or_else(|| "public".into());
    let search_path = tables.first().map(|t| t.5.clone()).unwrap_or_default();
    let schema_of = |s: String| if s == default_schema { None } else { Some(s) };

    let mut b = Builder::new(Backend::Postgres);
    // oid -> (schema, table); (oid, attnum) -> column name.
    let mut relations: HashMap<i64, (Option<String>, String)> = HashMap::with_capacity(tables.len());
    for (_, s, t, oid, comment, _) in tables {
        if let (Some(s), Some(t), Some(oid)) = (s, t, oid) {
            let schema = schema_of(s);
            relations.insert(oid, (schema.clone(), t.clone()));
            b.table(schema, t, comment);
        }
    }
    let mut attnames: HashMap<(i64, i16), String> = HashMap::with_capacity(columns.len());
    for (oid, num, name, ty, not_null, default, identity, generated, comment) in columns {
        let Some((schema, table)) = relations.get(&oid) else { continue };
        attnames.insert((oid, num), name.clone());
        let serial = default.as_deref().is_some_and(|d| d.starts_with("nextval("));
        // A generated column's expression is stored where defaults are; it is not one.
        let default = if generated.is_empty() { default } else { None };
        b.column(
            schema.clone(),
            table,
            RawColumn {
                name,
                ty,
                nullable: !not_null,
                default: if serial {
                    None
                } else {
                    default.as_deref().and_then(|d| parse_default(d, Backend::Postgres))
                },
                auto_increment: serial || !identity.is_empty(),
                identity: if identity == "a" { Identity::Always } else { Identity::ByDefault },
                comment,
            },
        );
    }
    let names = |oid: i64, nums: &[i16]| -> Vec<String> {
        nums.iter().map(|n| attnames.get(&(oid, *n)).cloned().unwrap_or_else(|| format!("#{n}"))).collect()
    };
    for (oid, name, kind, keys, ref_schema, ref_table, ref_cols, on_delete, on_update, def) in constraints {
        let Some((schema, table)) = relations.get(&oid).cloned() else { continue };
        let cols = names(oid, keys.as_deref().unwrap_or_default());
        match kind.as_str() {
            "p" => b.primary_key(schema, &table, name, cols),
            "u" => b.unique(schema, &table, name, cols),
            "f" => b.foreign_key(
                schema,
                &table,
                ForeignKey {
                    name,
                    columns: cols,
                    ref_schema: ref_schema.and_then(schema_of),
                    ref_table: ref_table.unwrap_or_default(),
                    ref_columns: ref_cols.unwrap_or_default(),
                    on_delete: fk_action(&on_delete),
                    on_update: fk_action(&on_update),
                },
            ),
            "c" => {
                let def = def.unwrap_or_default();
                let expr = def.strip_prefix("CHECK ").unwrap_or(&def);
                let expr = expr.strip_suffix(" NOT VALID").unwrap_or(expr);
                let expr = expr.strip_suffix(" NO INHERIT").unwrap_or(expr);
                b.check(schema, &table, name, expr.to_string());
            }
            _ => {}
        }
    }
    for (oid, name, unique, keys, key_count, deparsed, predicate, method) in indexes {
        let Some((schema, table)) = relations.get(&oid).cloned() else { continue };
        let parts = keys
            .iter()
            .take(key_count.max(0) as usize)
            .enumerate()
            .map(|(k, num)| match num {
                0 => Err(deparsed.as_ref().and_then(|d| d.get(k)).cloned().unwrap_or_default()),
                n => Ok(names(oid, &[*n]).remove(0)),
            })
            .collect();
        b.index(schema, &table, RawIndex { name, parts, unique, predicate, method: Some(method) });
    }
    Introspection { schema: b.finish(), default_schema: Some(default_schema), search_path, queries: QUERIES }
}

/// Catalog queries per introspection, whatever the number of tables.
pub(super) const QUERIES: usize = 4;

/// `(schema, table, estimated rows)` from the planner statistics; the default schema is
/// `None`. On a pool or a connection.
pub(crate) async fn row_estimates<'e, E>(e: E) -> Result<Vec<(Option<String>, String, i64)>>
where
    E: sqlx::Executor<'e, Database = sqlx::Postgres> + 'e,
{
    const SQL: &str = "SELECT n.nspname::text, c.relname::text, n.nspname = current_schema(), GREATEST(c.reltuples, 0)::bigint \
         FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace WHERE c.relkind IN ('r', 'p')";
    let rows: Vec<(String, String, bool, i64)> = fetch(e, SQL).await.map_err(catalog_err("row estimates"))?;
    Ok(rows.into_iter().map(|(s, t, default, n)| (if default { None } else { Some(s) }, t, n)).collect())
}
