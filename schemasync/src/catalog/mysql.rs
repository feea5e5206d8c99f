//! MySQL/MariaDB catalog reads, from `information_schema` of the current database: six
//! set-based queries (tables, columns, index columns, foreign key columns, foreign key
//! actions, checks), sent concurrently, then whether this user sees constraints (asked of
//! one table).

use super::{fetch, fk_action, raw_fetch, Builder, Introspection, Limits, RawColumn, RawIndex};
use crate::dialect::Backend;
use crate::error::{Error, Result};
use crate::schema::normalize::parse_default;
use crate::schema::ForeignKey;
use crate::schema::{ColumnType, DefaultValue};

use std::collections::BTreeMap;

/// Catalog queries per introspection: the six views, and whether this user sees
/// constraints (one more on MySQL 8, whose CHECK_CONSTRAINTS lacks TABLE_NAME).
pub(super) const QUERIES: usize = 7;

fn catalog_err(what: &'static str, limits: &Limits) -> impl FnOnce(sqlx::Error) -> Error {
    super::catalog_err(Backend::MySql, what, limits)
}

const TABLES: &str = "SELECT CAST(TABLE_NAME AS CHAR), CAST(TABLE_COMMENT AS CHAR), CAST(VERSION() AS CHAR) \
     FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() AND TABLE_TYPE = 'BASE TABLE'";

/// The constraints this user sees on `table` (a table with a key): a user with SELECT
/// alone sees none (MariaDB hides TABLE_CONSTRAINTS and REFERENTIAL_CONSTRAINTS from it).
/// One table by name: counting every table's constraints opens every table's definition
/// again, and costs as much as reading the columns.
fn visible_constraints_sql(table: &str) -> String {
    format!(
        "SELECT CAST(COUNT(*) AS SIGNED) FROM information_schema.TABLE_CONSTRAINTS \
         WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = {}",
        crate::dialect::quote_literal(table, true)
    )
}

/// A foreign key's columns, target, referenced columns and actions, gathered row by row.
type FkGroup = (Vec<String>, String, Vec<String>, Option<String>, Option<String>);
/// An index's uniqueness and parts, gathered row by row.
type IndexGroup = (bool, Vec<Result<String, String>>, String);
type ColumnRow = (String, String, String, String, Option<String>, String, Option<String>, Option<String>);
type IndexRow = (String, String, i64, Option<String>, String);
/// The actions are NULL where the user may not read REFERENTIAL_CONSTRAINTS.
type ForeignKeyRow = (String, String, String, String, String, Option<String>, Option<String>);

const COLUMNS: &str = "SELECT CAST(TABLE_NAME AS CHAR), CAST(COLUMN_NAME AS CHAR), CAST(COLUMN_TYPE AS CHAR), \
        CAST(IS_NULLABLE AS CHAR), CAST(COLUMN_DEFAULT AS CHAR), CAST(EXTRA AS CHAR), CAST(COLUMN_COMMENT AS CHAR), \
        CAST(GENERATION_EXPRESSION AS CHAR) \
     FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() ORDER BY TABLE_NAME, ORDINAL_POSITION";
const INDEXES: &str =
    "SELECT CAST(TABLE_NAME AS CHAR), CAST(INDEX_NAME AS CHAR), CAST(NON_UNIQUE AS SIGNED), CAST(COLUMN_NAME AS CHAR), \
        CAST(INDEX_TYPE AS CHAR) \
     FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = DATABASE() ORDER BY TABLE_NAME, INDEX_NAME, SEQ_IN_INDEX";
/// The actions come from [`ACTIONS`]: joining the two views in the server reads every
/// table's definition once per row (three times the cost of the two reads apart).
const FOREIGN_KEYS: &str =
    "SELECT CAST(k.TABLE_NAME AS CHAR), CAST(k.CONSTRAINT_NAME AS CHAR), CAST(k.COLUMN_NAME AS CHAR), \
        CAST(k.REFERENCED_TABLE_NAME AS CHAR), CAST(k.REFERENCED_COLUMN_NAME AS CHAR), \
        CAST(NULL AS CHAR), CAST(NULL AS CHAR) \
     FROM information_schema.KEY_COLUMN_USAGE k \
     WHERE k.TABLE_SCHEMA = DATABASE() AND k.REFERENCED_TABLE_NAME IS NOT NULL \
     ORDER BY k.TABLE_NAME, k.CONSTRAINT_NAME, k.ORDINAL_POSITION";
/// Foreign key actions, where the user may read them.
const ACTIONS: &str = "SELECT CAST(TABLE_NAME AS CHAR), CAST(CONSTRAINT_NAME AS CHAR), CAST(DELETE_RULE AS CHAR), \
        CAST(UPDATE_RULE AS CHAR) \
     FROM information_schema.REFERENTIAL_CONSTRAINTS WHERE CONSTRAINT_SCHEMA = DATABASE()";
/// MariaDB has TABLE_NAME in CHECK_CONSTRAINTS.
const CHECKS: &str = "SELECT CAST(TABLE_NAME AS CHAR), CAST(CONSTRAINT_NAME AS CHAR), CAST(CHECK_CLAUSE AS CHAR) \
     FROM information_schema.CHECK_CONSTRAINTS WHERE CONSTRAINT_SCHEMA = DATABASE()";
/// MySQL 8 does not, and names checks uniquely per schema: joined through TABLE_CONSTRAINTS.
const CHECKS_MYSQL8: &str =
    "SELECT CAST(tc.TABLE_NAME AS CHAR), CAST(cc.CONSTRAINT_NAME AS CHAR), CAST(cc.CHECK_CLAUSE AS CHAR) \
     FROM information_schema.CHECK_CONSTRAINTS cc JOIN information_schema.TABLE_CONSTRAINTS tc \
       ON tc.CONSTRAINT_SCHEMA = cc.CONSTRAINT_SCHEMA AND tc.CONSTRAINT_NAME = cc.CONSTRAINT_NAME \
     WHERE cc.CONSTRAINT_SCHEMA = DATABASE() AND tc.CONSTRAINT_TYPE = 'CHECK'";
const ROW_ESTIMATES: &str =
    "SELECT CAST(TABLE_NAME AS CHAR), CAST(TABLE_ROWS AS SIGNED) FROM information_schema.TABLES \
     WHERE TABLE_SCHEMA = DATABASE() AND TABLE_TYPE = 'BASE TABLE'";

type TableRow = (String, Option<String>, String);
type CheckRow = (String, String, String);
type Rows = (Vec<TableRow>, Vec<ColumnRow>, Vec<IndexRow>, Vec<ForeignKeyRow>, Vec<CheckRow>);

/// True when the checks query failed because this is MySQL 8, not MariaDB.
fn lacks_table_name(e: &sqlx::Error) -> bool {
    matches!(e, sqlx::Error::Database(d) if d.message().contains("TABLE_NAME"))
}

/// Reads the catalog on a pool: the six queries travel on separate connections at once.
pub(crate) async fn introspect(pool: &sqlx::MySqlPool, limits: &Limits) -> Result<Introspection> {
    let q = |sql: &str| super::bounded(Backend::MySql, sql, limits, false);
    let (tables, columns, indexes, fks, checks) = (q(TABLES), q(COLUMNS), q(INDEXES), q(FOREIGN_KEYS), q(CHECKS));
    let actions = q(ACTIONS);
    let (tables, columns, indexes, fks, actions, checks) = tokio::try_join!(
        async { raw_fetch(pool, &tables).await.map_err(catalog_err("tables", limits)) },
        async { raw_fetch(pool, &columns).await.map_err(catalog_err("columns", limits)) },
        async { raw_fetch(pool, &indexes).await.map_err(catalog_err("indexes", limits)) },
        async { raw_fetch(pool, &fks).await.map_err(catalog_err("foreign keys", limits)) },
        async { raw_fetch(pool, &actions).await.map_err(catalog_err("foreign key actions", limits)) },
        async {
            match raw_fetch(pool, &checks).await {
                Err(e) if lacks_table_name(&e) => {
                    raw_fetch(pool, &q(CHECKS_MYSQL8)).await.map_err(catalog_err("checks", limits))
                }
                other => other.map_err(catalog_err("checks", limits)),
            }
        },
    )?;
    let rows = (tables, columns, indexes, with_actions(fks, actions), checks);
    let mut conn = pool.acquire().await.map_err(catalog_err("a connection for table definitions", limits))?;
    complete(&mut conn, rows, limits).await
}

/// Foreign key rows with the actions of their constraint, where the user may read them.
fn with_actions(mut fks: Vec<ForeignKeyRow>, actions: Vec<(String, String, String, String)>) -> Vec<ForeignKeyRow> {
    let by_key: std::collections::HashMap<(String, String), (String, String)> =
        actions.into_iter().map(|(t, c, d, u)| ((t, c), (d, u))).collect();
    for fk in &mut fks {
        if let Some((d, u)) = by_key.get(&(fk.0.clone(), fk.1.clone())) {
            fk.5 = Some(d.clone());
            fk.6 = Some(u.clone());
        }
    }
    fks
}

/// Reads the catalog on one connection (the one holding the schema lock), in turn.
pub(crate) async fn introspect_on(conn: &mut sqlx::MySqlConnection, limits: &Limits) -> Result<Introspection> {
    let q = |sql: &str| super::bounded(Backend::MySql, sql, limits, false);
    let tables = raw_fetch(&mut *conn, &q(TABLES)).await.map_err(catalog_err("tables", limits))?;
    let columns = raw_fetch(&mut *conn, &q(COLUMNS)).await.map_err(catalog_err("columns", limits))?;
    let indexes = raw_fetch(&mut *conn, &q(INDEXES)).await.map_err(catalog_err("indexes", limits))?;
    let fks = raw_fetch(&mut *conn, &q(FOREIGN_KEYS)).await.map_err(catalog_err("foreign keys", limits))?;
    let actions = raw_fetch(&mut *conn, &q(ACTIONS)).await.map_err(catalog_err("foreign key actions", limits))?;
    let fks = with_actions(fks, actions);
    let checks = match raw_fetch(&mut *conn, &q(CHECKS)).await {
        Err(e) if lacks_table_name(&e) => {
            raw_fetch(&mut *conn, &q(CHECKS_MYSQL8)).await.map_err(catalog_err("checks", limits))?
        }
        other => other.map_err(catalog_err("checks", limits))?,
    };
    complete(conn, (tables, columns, indexes, fks, checks), limits).await
}

/// What a user with SELECT alone cannot read from `information_schema`: foreign key
/// actions (and, with table-level grants, checks). They are read from `SHOW CREATE
/// TABLE`, table by table, only for the tables that need it; never guessed.
async fn complete(conn: &mut sqlx::MySqlConnection, mut rows: Rows, limits: &Limits) -> Result<Introspection> {
    let (tables, _, indexes, fks, _) = &rows;
    // A table with a key, whose constraints this user sees unless SELECT is all it has;
    // then it sees no check either.
    let keyed = indexes.iter().find(|i| i.1 == "PRIMARY").map(|i| &i.0).or_else(|| fks.first().map(|f| &f.0));
    let hidden = match keyed {
        Some(table) => {
            let sql = super::bounded(Backend::MySql, &visible_constraints_sql(table), limits, false);
            let seen: Vec<(i64,)> =
                raw_fetch(&mut *conn, &sql).await.map_err(catalog_err("the constraints this user sees", limits))?;
            seen.first().is_none_or(|c| c.0 == 0)
        }
        None => false,
    };
    let mut need: Vec<String> = if hidden {
        tables.iter().map(|t| t.0.clone()).collect()
    } else {
        fks.iter().filter(|f| f.5.is_none() || f.6.is_none()).map(|f| f.0.clone()).collect()
    };
    need.sort();
    need.dedup();
    if need.is_empty() {
        return Ok(timed(rows));
    }
    tracing::info!(
        tables = need.len(),
        "schemasync: this MySQL/MariaDB user may not read foreign key actions or checks from information_schema (SELECT alone); reading SHOW CREATE TABLE for those tables. GRANT REFERENCES ON the database for one-query reads"
    );
    let mut actions: BTreeMap<(String, String), (String, String)> = BTreeMap::new();
    let mut checks: Vec<CheckRow> = Vec::new();
    for table in &need {
        let sql = super::bounded(
            Backend::MySql,
            &format!("SHOW CREATE TABLE {}", crate::dialect::quote_ident('`', table)),
            limits,
            false,
        );
        let shown: Vec<(String, String)> =
            raw_fetch(&mut *conn, &sql).await.map_err(catalog_err("a table definition", limits))?;
        let ddl = shown.into_iter().next().map(|r| r.1).unwrap_or_default();
        let read = super::mysql_ddl::read(&ddl).ok_or_else(|| Error::CatalogText {
            backend: Backend::MySql,
            object: format!(
                "table `{table}` (its foreign keys and checks are hidden from this user in information_schema)"
            ),
            sql: ddl.clone(),
        })?;
        for (name, on_delete, on_update) in read.foreign_keys {
            actions.insert((table.clone(), name), (on_delete, on_update));
        }
        checks.extend(read.checks.into_iter().map(|(name, expr)| (table.clone(), name, expr)));
    }
    for fk in rows.3.iter_mut() {
        if let Some((d, u)) = actions.get(&(fk.0.clone(), fk.1.clone())) {
            fk.5 = Some(d.clone());
            fk.6 = Some(u.clone());
        }
    }
    if hidden {
        rows.4 = checks;
    }
    Ok(timed(rows))
}

/// [`assemble`], timed.
fn timed(rows: Rows) -> Introspection {
    let start = std::time::Instant::now();
    let mut found = assemble(rows);
    found.assembly = start.elapsed();
    found
}

/// `(None, table, estimated rows)` from `information_schema.TABLES`, on a pool or a connection.
pub(crate) async fn row_estimates<'e, E>(e: E) -> Result<Vec<(Option<String>, String, i64)>>
where
    E: sqlx::Executor<'e, Database = sqlx::MySql> + 'e,
{
    let rows: Vec<(String, Option<i64>)> =
        fetch(e, ROW_ESTIMATES).await.map_err(catalog_err("row estimates", &Limits::default()))?;
    // No estimate: as big as can be (see `Facts::row_estimates`).
    Ok(rows.into_iter().map(|(t, n)| (None, t, n.unwrap_or(i64::MIN))).collect())
}

/// The rows of the queries, as the IR.
fn assemble((tables, columns, indexes, fks, checks): Rows) -> Introspection {
    let mariadb = tables.first().is_none_or(|t| t.2.to_ascii_lowercase().contains("mariadb"));

    let mut b = Builder::new(Backend::MySql);
    for (name, comment, _) in tables {
        b.table(None, name, comment);
    }
    // Defaults already read: a schema repeats the same few many times.
    let mut defaults: std::collections::HashMap<String, Option<DefaultValue>> = std::collections::HashMap::new();
    for (table, name, ty, nullable, default, extra, comment, generation) in columns {
        let extra = extra.to_ascii_lowercase();
        let generated = match generation.filter(|g| !g.trim().is_empty()) {
            Some(expr) if extra.contains("generated") && !extra.contains("default_generated") => {
                Some(crate::schema::Generated {
                    expr,
                    stored: extra.contains("stored") || extra.contains("persistent"),
                })
            }
            _ => None,
        };
        let column = name.clone();
        let default = match default {
            None => None,
            // MySQL 8 prints string defaults unquoted, and marks expressions DEFAULT_GENERATED.
            Some(raw) if !mariadb && !extra.contains("default_generated") && raw != "NULL" => {
                crate::schema::normalize::number(&raw).or(Some(DefaultValue::Str(raw)))
            }
            Some(raw) => match defaults.get(&raw) {
                Some(parsed) => parsed.clone(),
                None => {
                    let parsed = parse_default(&raw, Backend::MySql);
                    defaults.insert(raw, parsed.clone());
                    parsed
                }
            },
        };
        b.column(
            None,
            &table,
            RawColumn {
                name,
                ty,
                nullable: nullable == "YES",
                default,
                auto_increment: extra.contains("auto_increment"),
                identity: crate::schema::Identity::ByDefault,
                comment,
            },
        );
        if let (Some(g), Some(col)) = (generated, b.column_mut(None, &table, &column)) {
            col.generated = Some(g);
            col.default = None;
        }
    }
    // MariaDB's JSON is LONGTEXT plus CHECK (json_valid(`col`)) named after the column.
    for (table, name, clause) in &checks {
        let expected = format!("json_valid(`{name}`)");
        if clause.trim().eq_ignore_ascii_case(&expected) {
            if let Some(col) = b.column_mut(None, table, name) {
                col.ty = ColumnType::Json;
                continue;
            }
        }
        b.check(None, table, name.clone(), clause.clone());
    }

    let mut grouped_fks: BTreeMap<(String, String), FkGroup> = BTreeMap::new();
    for (table, name, col, ref_table, ref_col, on_delete, on_update) in fks {
        let entry = grouped_fks
            .entry((table, name))
            .or_insert_with(|| (Vec::new(), ref_table, Vec::new(), on_delete, on_update));
        entry.0.push(col);
        entry.2.push(ref_col);
    }
    for ((table, name), (columns, ref_table, ref_columns, on_delete, on_update)) in grouped_fks {
        b.foreign_key(
            None,
            &table,
            ForeignKey {
                name,
                columns,
                ref_schema: None,
                ref_table,
                ref_columns,
                on_delete: fk_action(on_delete.as_deref().unwrap_or("RESTRICT")),
                on_update: fk_action(on_update.as_deref().unwrap_or("RESTRICT")),
            },
        );
    }

    let mut grouped_indexes: BTreeMap<(String, String), IndexGroup> = BTreeMap::new();
    for (table, name, non_unique, column, method) in indexes {
        let entry = grouped_indexes.entry((table, name)).or_insert_with(|| (non_unique == 0, Vec::new(), method));
        entry.1.push(column.ok_or_else(|| "(expression)".to_string()));
    }
    for ((table, name), (unique, parts, method)) in grouped_indexes {
        if name == "PRIMARY" {
            let cols = parts.into_iter().filter_map(|p| p.ok()).collect();
            b.primary_key(None, &table, name, cols);
        } else if unique && parts.iter().all(|p| p.is_ok()) && method.eq_ignore_ascii_case("btree") {
            b.unique(None, &table, name, parts.into_iter().filter_map(|p| p.ok()).collect());
        } else {
            b.index(None, &table, RawIndex { name, parts, unique, predicate: None, method: Some(method) });
        }
    }
    Introspection {
        schema: b.finish(),
        default_schema: None,
        search_path: Vec::new(),
        schemas: Vec::new(),
        queries: QUERIES,
        assembly: std::time::Duration::ZERO,
    }
}
