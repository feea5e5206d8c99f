//! PostgreSQL catalog reads, from `pg_catalog`: one statement for the whole set of
//! schemas (tables, columns, constraints, indexes), which returns the catalog as one
//! JSON document, bounded by a lock timeout and a statement timeout in the same round
//! trip.

use super::{fk_action, Builder, Introspection, Limits, RawColumn, RawIndex};
use crate::dialect::Backend;
use crate::error::{Error, Result};
use crate::schema::normalize::parse_default;
use crate::schema::{ColumnType, EnumType, ForeignKey, Identity};
use serde::Deserialize;
use std::collections::HashMap;

/// Tables in the connection's current schema plus `schemas` (inlined as escaped
/// literals, so that the catalog query runs without binds on a pool or a connection).
fn scope(schemas: &[String]) -> String {
    let list: Vec<String> = schemas.iter().map(|s| crate::dialect::quote_literal(s, false)).collect();
    format!("(n.nspname = current_schema() OR n.nspname = ANY(ARRAY[{}]::text[]))", list.join(", "))
}

type TableRow = (String, String, i64, Option<String>);
/// The last field: the schema and name of an enum column's type, and whether the column
/// is an array of it.
type ColumnRow =
    (i64, i16, String, String, bool, Option<String>, String, String, Option<String>, Option<(String, String, bool)>);
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

/// The catalog as the one query returns it.
#[derive(Deserialize)]
struct Catalog {
    current_schema: String,
    search_path: Vec<String>,
    schemas: Vec<String>,
    /// `(schema, name, labels in order)` of the enum types in scope.
    enums: Vec<(String, String, Vec<String>)>,
    tables: Vec<TableRow>,
    columns: Vec<ColumnRow>,
    constraints: Vec<ConstraintRow>,
    indexes: Vec<IndexRow>,
}

/// `pg_description` rows of relations and their columns.
const DESCRIPTION: &str = "pg_catalog.pg_description ds ON ds.classoid = 'pg_catalog.pg_class'::regclass";

/// The catalog query for `schemas`: one JSON document. Key columns come back as
/// attribute numbers and are named from the columns read here; only checks and
/// expression index columns are deparsed by the server.
fn query(schemas: &[String]) -> String {
    let scope = scope(schemas);
    let agg = |fields: &str, from: &str, order: &str| {
        format!("(SELECT coalesce(json_agg(json_build_array({fields}) ORDER BY {order}), '[]') {from})")
    };
    let enums = agg(
        "n.nspname, t.typname, (SELECT array_agg(e.enumlabel::text ORDER BY e.enumsortorder) FROM pg_catalog.pg_enum e WHERE e.enumtypid = t.oid)",
        &format!(
            "FROM pg_catalog.pg_type t JOIN pg_catalog.pg_namespace n ON n.oid = t.typnamespace \
             WHERE t.typtype = 'e' AND {scope}"
        ),
        "n.nspname, t.typname",
    );
    let tables = agg(
        "n.nspname, c.relname, c.oid::int8, ds.description",
        &format!(
            "FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace \
             LEFT JOIN {DESCRIPTION} AND ds.objoid = c.oid AND ds.objsubid = 0 \
             WHERE c.relkind IN ('r', 'p') AND NOT c.relispartition AND {scope}"
        ),
        "c.oid",
    );
    let columns = agg(
        "a.attrelid::int8, a.attnum, a.attname, format_type(a.atttypid, a.atttypmod), a.attnotnull, \
         pg_get_expr(d.adbin, CASE WHEN a.attgenerated = '' THEN 0 ELSE d.adrelid END), a.attidentity, a.attgenerated, ds.description, \
         CASE WHEN ty.typtype = 'e' THEN json_build_array(tn.nspname, ty.typname, false) \
              WHEN et.typtype = 'e' THEN json_build_array(etn.nspname, et.typname, true) END",
        &format!(
            "FROM pg_catalog.pg_attribute a \
             JOIN pg_catalog.pg_class c ON c.oid = a.attrelid \
             JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace \
             JOIN pg_catalog.pg_type ty ON ty.oid = a.atttypid \
             JOIN pg_catalog.pg_namespace tn ON tn.oid = ty.typnamespace \
             LEFT JOIN pg_catalog.pg_type et ON et.oid = ty.typelem AND ty.typcategory = 'A' \
             LEFT JOIN pg_catalog.pg_namespace etn ON etn.oid = et.typnamespace \
             LEFT JOIN pg_catalog.pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum \
             LEFT JOIN {DESCRIPTION} AND ds.objoid = a.attrelid AND ds.objsubid = a.attnum \
             WHERE a.attnum > 0 AND NOT a.attisdropped AND c.relkind IN ('r', 'p') AND NOT c.relispartition AND {scope}"
        ),
        "a.attrelid, a.attnum",
    );
    let constraints = agg(
        "con.conrelid::int8, con.conname, con.contype, con.conkey, fn.nspname, fc.relname, \
         CASE WHEN con.contype = 'f' THEN ARRAY(SELECT a.attname::text FROM unnest(con.confkey) WITH ORDINALITY k(num, ord) \
               JOIN pg_catalog.pg_attribute a ON a.attrelid = con.confrelid AND a.attnum = k.num ORDER BY k.ord) END, \
         con.confdeltype, con.confupdtype, \
         CASE WHEN con.contype = 'c' THEN pg_get_constraintdef(con.oid) END",
        &format!(
            "FROM pg_catalog.pg_constraint con \
             JOIN pg_catalog.pg_class c ON c.oid = con.conrelid \
             JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace \
             LEFT JOIN pg_catalog.pg_class fc ON fc.oid = con.confrelid \
             LEFT JOIN pg_catalog.pg_namespace fn ON fn.oid = fc.relnamespace \
             WHERE con.contype IN ('p', 'u', 'f', 'c') AND c.relkind IN ('r', 'p') AND {scope}"
        ),
        "con.conrelid, con.conname",
    );
    let indexes = agg(
        "ix.indrelid::int8, ic.relname, ix.indisunique, ix.indkey::int2[], ix.indnkeyatts, \
         CASE WHEN 0 = ANY(ix.indkey::int2[]) THEN \
           ARRAY(SELECT pg_get_indexdef(ix.indexrelid, k + 1, true) FROM generate_series(0, ix.indnkeyatts - 1) k ORDER BY k) END, \
         pg_get_expr(ix.indpred, ix.indrelid, true), am.amname",
        &format!(
            "FROM pg_catalog.pg_index ix \
             JOIN pg_catalog.pg_class ic ON ic.oid = ix.indexrelid \
             JOIN pg_catalog.pg_am am ON am.oid = ic.relam \
             JOIN pg_catalog.pg_class c ON c.oid = ix.indrelid \
             JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace \
             WHERE c.relkind IN ('r', 'p') AND NOT c.relispartition AND {scope} \
               AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_constraint con WHERE con.conindid = ix.indexrelid AND con.contype IN ('p', 'u', 'x'))"
        ),
        "ix.indrelid, ic.relname",
    );
    format!(
        "SELECT json_build_object('current_schema', current_schema(), 'search_path', current_schemas(false), \
         'schemas', (SELECT coalesce(json_agg(n.nspname::text), '[]') FROM pg_catalog.pg_namespace n WHERE {scope}), \
         'enums', {enums}, \
         'tables', {tables}, 'columns', {columns}, 'constraints', {constraints}, 'indexes', {indexes})::text"
    )
}

/// The catalog statement, with its bounds (`in_transaction`: inside the plan's
/// transaction, whose own bounds apply).
pub(crate) fn catalog_sql(schemas: &[String], limits: &Limits, in_transaction: bool) -> String {
    super::bounded(Backend::Postgres, &query(schemas), limits, in_transaction)
}

/// The catalog statement on a pool, as a prepared statement (the connection keeps its
/// plan, so a later boot on it does not plan it again) inside a transaction of its own
/// whose `SET LOCAL` bounds its waits: three short round trips (BEGIN with the bounds,
/// the statement, COMMIT) instead of one that plans.
pub(crate) async fn fetch_on_pool(
    pool: &sqlx::PgPool,
    schemas: &[String],
    limits: &Limits,
    meanwhile: super::Meanwhile<'_>,
) -> std::result::Result<Vec<String>, sqlx::Error> {
    let ms = |d: std::time::Duration| d.as_millis().clamp(1, i32::MAX as u128);
    // BEGIN and the bounds travel in one round trip.
    let mut tx = pool
        .begin_with(format!(
            "BEGIN; SET LOCAL lock_timeout = '{}ms'; SET LOCAL statement_timeout = '{}ms'",
            ms(limits.lock),
            ms(limits.statement)
        ))
        .await?;
    let sql = query(schemas);
    // Prepared first (a round trip on a new connection, none once cached), so that the
    // statement itself goes out on the first poll; the caller's work runs while it is read.
    sqlx::Executor::prepare(&mut *tx, &sql).await?;
    let (rows, _) = tokio::join!(super::fetch::<_, _, (String,)>(&mut *tx, &sql), async { meanwhile.map(|f| f()) });
    let rows = rows?;
    tx.commit().await?;
    Ok(rows.into_iter().map(|(r,)| r).collect())
}

/// True when the catalog read gave up waiting for a lock: then [`blockers_sql`] says who.
pub(crate) fn waited_for_lock(rows: &std::result::Result<Vec<String>, sqlx::Error>) -> bool {
    matches!(rows, Err(e) if crate::error::timeout_of(Backend::Postgres, e) == Some(crate::error::Wait::Lock))
}

/// The strong locks other sessions hold on tables in scope: one line each, naming the
/// table, the lock, the session and what it is doing.
pub(crate) fn blockers_sql(schemas: &[String]) -> String {
    format!(
        "SELECT format('table %s is locked (%s) by pid %s, %s: %s', c.oid::regclass, l.mode, a.pid, a.state, left(a.query, 120)) \
         FROM pg_catalog.pg_locks l JOIN pg_catalog.pg_stat_activity a ON a.pid = l.pid \
         JOIN pg_catalog.pg_class c ON c.oid = l.relation JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace \
         WHERE l.granted AND l.pid <> pg_backend_pid() AND {} \
           AND l.mode IN ('AccessExclusiveLock', 'ExclusiveLock', 'ShareRowExclusiveLock', 'ShareLock') \
         ORDER BY c.relname",
        scope(schemas)
    )
}

/// The result of [`catalog_sql`] as the IR; `blockers` are the lines of
/// [`blockers_sql`] when the read gave up waiting for a lock.
pub(crate) fn read_catalog(
    rows: std::result::Result<Vec<String>, sqlx::Error>,
    limits: &Limits,
    blockers: &[String],
) -> Result<Introspection> {
    let rows = rows
        .map_err(super::catalog_err(Backend::Postgres, "tables, columns, keys and indexes", limits))
        .map_err(|e| match e {
            Error::Timeout { backend, what, waited, hint } if !blockers.is_empty() => {
                Error::Timeout { backend, what: format!("{what}: {}", blockers.join("; ")), waited, hint }
            }
            other => other,
        })?;
    let start = std::time::Instant::now();
    let json = rows.into_iter().next().unwrap_or_default();
    let catalog: Catalog = serde_json::from_str(&json).map_err(|e| Error::CatalogText {
        backend: Backend::Postgres,
        object: format!("the catalog document ({e})"),
        sql: json.chars().take(200).collect(),
    })?;
    let mut found = assemble(catalog);
    found.assembly = start.elapsed();
    Ok(found)
}

/// The catalog document, as the IR.
fn assemble(catalog: Catalog) -> Introspection {
    let Catalog { current_schema: default_schema, search_path, schemas, enums, tables, columns, constraints, indexes } =
        catalog;
    let schema_of = |s: String| if s == default_schema { None } else { Some(s) };

    let mut b = Builder::new(Backend::Postgres);
    for (s, name, labels) in enums {
        b.enum_type(EnumType { schema: schema_of(s), name, labels, renamed: Vec::new() });
    }
    // oid -> (schema, table); (oid, attnum) -> column name.
    let mut relations: HashMap<i64, (Option<String>, String)> = HashMap::with_capacity(tables.len());
    for (s, t, oid, comment) in tables {
        let schema = schema_of(s);
        relations.insert(oid, (schema.clone(), t.clone()));
        b.table(schema, t, comment);
    }
    let mut attnames: HashMap<(i64, i16), String> = HashMap::with_capacity(columns.len());
    // Defaults already read: a schema repeats the same few many times.
    let mut defaults: HashMap<String, Option<crate::schema::DefaultValue>> = HashMap::new();
    for (oid, num, name, ty, not_null, default, identity, generated, comment, enum_type) in columns {
        let Some((schema, table)) = relations.get(&oid) else { continue };
        attnames.insert((oid, num), name.clone());
        let serial = default.as_deref().is_some_and(|d| d.starts_with("nextval("));
        // A generated column's expression is stored where defaults are; it is not one.
        let generation = if generated.is_empty() { None } else { default.clone() };
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
                    default.and_then(|d| {
                        defaults.entry(d).or_insert_with_key(|d| parse_default(d, Backend::Postgres)).clone()
                    })
                },
                auto_increment: serial || !identity.is_empty(),
                identity: if identity == "a" { Identity::Always } else { Identity::ByDefault },
                comment,
            },
        );
        if let Some(expr) = generation {
            if let Some(c) = attnames.get(&(oid, num)).and_then(|n| b.column_mut(schema.clone(), table, n)) {
                c.generated = Some(crate::schema::Generated { expr, stored: generated == "s" });
            }
        }
        if let Some((type_schema, type_name, array)) = enum_type {
            let name = match schema_of(type_schema) {
                Some(s) => format!("{s}.{type_name}"),
                None => type_name,
            };
            if let Some(c) = attnames.get(&(oid, num)).and_then(|n| b.column_mut(schema.clone(), table, n)) {
                let ty = ColumnType::Enum { name, labels: Vec::new(), renamed: Vec::new() };
                c.ty = if array { ColumnType::Array { of: Box::new(ty) } } else { ty };
            }
        }
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
    Introspection {
        schema: b.finish(),
        default_schema: Some(default_schema),
        search_path,
        schemas,
        queries: QUERIES,
        assembly: std::time::Duration::ZERO,
    }
}

/// Catalog queries per introspection, whatever the number of tables.
pub(super) const QUERIES: usize = 1;

/// `(schema, table, estimated rows)` from the planner statistics; the default schema is
/// `None`. A table never analyzed (`reltuples` is -1) has no estimate: its count is
/// negative, minus the most rows its size can hold (a heap row takes at least 28
/// bytes), so that the planner treats it as big unless it cannot be. On a pool or a
/// connection; `in_transaction`: the caller's transaction bounds the waits.
pub(crate) async fn row_estimates(
    conn: &mut sqlx::PgConnection,
    in_transaction: bool,
) -> Result<Vec<(Option<String>, String, i64)>> {
    const SQL: &str = "SELECT n.nspname::text, c.relname::text, n.nspname = current_schema(), \
         CASE WHEN c.reltuples >= 0 THEN c.reltuples::bigint \
              ELSE -GREATEST(pg_catalog.pg_relation_size(c.oid) / 28, 1) END \
         FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace WHERE c.relkind IN ('r', 'p')";
    let limits = Limits::default();
    let sql = super::bounded(Backend::Postgres, SQL, &limits, in_transaction);
    let rows: Vec<(String, String, bool, i64)> =
        super::raw_fetch(conn, &sql).await.map_err(super::catalog_err(Backend::Postgres, "row estimates", &limits))?;
    Ok(rows.into_iter().map(|(s, t, default, n)| (if default { None } else { Some(s) }, t, n)).collect())
}
