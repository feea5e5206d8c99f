//! MySQL/MariaDB catalog reads, from `information_schema` of the current database: six
//! set-based queries (tables, columns, index columns, foreign key columns, foreign key
//! actions, checks), sent at once on connections of their own (in one batch on the
//! connection that holds the schema lock); in a schema with a
//! keyed table but no foreign key, whether this user sees constraints (asked of that
//! table).

use super::{fetch, fk_action, raw_fetch, Builder, Introspection, Limits, Meanwhile, RawColumn, RawIndex};
use crate::dialect::Backend;
use crate::error::{Error, Result};
use crate::schema::normalize::parse_default;
use crate::schema::ForeignKey;
use crate::schema::{ColumnType, DefaultValue};

use std::collections::BTreeMap;

/// Catalog requests per introspection: the six views, each on a connection of its own
/// (on a pool; in one batch of six on one connection). MySQL 8, whose CHECK_CONSTRAINTS lacks
/// TABLE_NAME, reads its checks again in one more request. A schema with a keyed table but
/// no foreign key costs one more: whether this user sees constraints, asked of that table.
pub(super) const QUERIES: usize = 6;

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

/// The six catalog statements, by index: what each reads, and its text.
const TABLES_AT: usize = 0;
const COLUMNS_AT: usize = 1;
const INDEXES_AT: usize = 2;
const FOREIGN_KEYS_AT: usize = 3;
const ACTIONS_AT: usize = 4;
const CHECKS_AT: usize = 5;
const WHAT: [&str; 6] = ["tables", "columns", "indexes", "foreign keys", "foreign key actions", "checks"];
const STATEMENTS: [&str; 6] = [TABLES, COLUMNS, INDEXES, FOREIGN_KEYS, ACTIONS, CHECKS];

/// On a pool, each statement goes on a connection of its own, all at once, the most
/// costly first. Each view opens every table's definition, and a schema larger than the
/// server's `table_definition_cache` (400 by default) opens them from disk each time:
/// six server threads then finish well before two that run three statements each (at
/// 2,000 tables, 0.18 s against 0.27 s on a 2-core machine), and no later than them on
/// smaller schemas.
const BATCHES: [&[usize]; 6] =
    [&[COLUMNS_AT], &[INDEXES_AT], &[FOREIGN_KEYS_AT], &[ACTIONS_AT], &[CHECKS_AT], &[TABLES_AT]];

/// The rows of each of the six statements.
type Results = [Vec<sqlx::mysql::MySqlRow>; 6];

/// Runs the statements `at` on `conn` as one simple query (one round trip), each bounded
/// by `limits`, and returns each one's rows, with the number of requests sent. A failure
/// names the statement that failed. On MySQL 8, whose CHECK_CONSTRAINTS lacks TABLE_NAME,
/// the checks (last in a batch, so the statements before them have their rows) are read
/// again through TABLE_CONSTRAINTS, in one more request.
async fn run_batch(
    conn: &mut sqlx::MySqlConnection,
    at: &[usize],
    limits: &Limits,
) -> Result<(Vec<(usize, Vec<sqlx::mysql::MySqlRow>)>, usize)> {
    use futures_util::TryStreamExt;
    use sqlx::Executor;
    let sql: Vec<String> = at.iter().map(|&i| super::bounded(Backend::MySql, STATEMENTS[i], limits, false)).collect();
    let sql = sql.join(";\n");
    let mut out: Vec<(usize, Vec<sqlx::mysql::MySqlRow>)> = at.iter().map(|&i| (i, Vec::new())).collect();
    let mut done = 0;
    let mut stream = conn.fetch_many(sqlx::raw_sql(&sql));
    let failed = loop {
        match stream.try_next().await {
            Ok(Some(sqlx::Either::Left(_))) => done += 1,
            Ok(Some(sqlx::Either::Right(row))) => match out.get_mut(done) {
                Some((_, rows)) => rows.push(row),
                None => break Some(sqlx::Error::Protocol("more result sets than statements".into())),
            },
            Ok(None) => break None,
            Err(e) => break Some(e),
        }
    };
    drop(stream);
    let at_fault = at.get(done).or(at.last()).copied().unwrap_or(CHECKS_AT);
    match failed {
        Some(e) if at_fault == CHECKS_AT && done + 1 == at.len() && lacks_table_name(&e) => {
            let sql = super::bounded(Backend::MySql, CHECKS_MYSQL8, limits, false);
            let rows = conn.fetch_all(sqlx::raw_sql(&sql)).await.map_err(catalog_err("checks", limits))?;
            if let Some((_, checks)) = out.last_mut() {
                *checks = rows;
            }
            Ok((out, 2))
        }
        Some(e) => Err(catalog_err(WHAT[at_fault], limits)(e)),
        None if done < at.len() => {
            let e = sqlx::Error::Protocol(format!("{done} result sets for {} statements", at.len()));
            Err(catalog_err(WHAT[at_fault], limits)(e))
        }
        None => Ok((out, 1)),
    }
}

/// The typed rows of one statement.
fn decode<R>(results: &Results, at: usize, limits: &Limits) -> Result<Vec<R>>
where
    R: for<'r> sqlx::FromRow<'r, sqlx::mysql::MySqlRow>,
{
    results[at].iter().map(R::from_row).collect::<std::result::Result<_, _>>().map_err(catalog_err(WHAT[at], limits))
}

/// The six statements' rows as [`Rows`], with the foreign keys' actions joined.
fn typed(results: &Results, limits: &Limits) -> Result<Rows> {
    let fks = decode(results, FOREIGN_KEYS_AT, limits)?;
    let actions = decode(results, ACTIONS_AT, limits)?;
    Ok((
        decode(results, TABLES_AT, limits)?,
        decode(results, COLUMNS_AT, limits)?,
        decode(results, INDEXES_AT, limits)?,
        with_actions(fks, actions),
        decode(results, CHECKS_AT, limits)?,
    ))
}

/// Reads the catalog on a pool: the statements travel as [`BATCHES`], on connections of
/// their own at once, and the caller's work ([`Meanwhile`]) runs once all are on the
/// server.
pub(crate) async fn introspect(
    pool: &sqlx::MySqlPool,
    limits: &Limits,
    meanwhile: Meanwhile<'_>,
) -> Result<Introspection> {
    let sent = Sent::default();
    let batch = |at: &'static [usize]| {
        let sent = &sent;
        async move {
            let what = WHAT[at[0]];
            let mut conn = pool.acquire().await.map_err(catalog_err(what, limits))?;
            // The batch is written on its first poll, in the same poll as this count.
            sent.arrived();
            run_batch(&mut conn, at, limits).await
        }
    };
    let [b0, b1, b2, b3, b4, b5] = BATCHES;
    let (r0, r1, r2, r3, r4, r5, ()) =
        tokio::try_join!(batch(b0), batch(b1), batch(b2), batch(b3), batch(b4), batch(b5), async {
            if let Some(work) = meanwhile {
                sent.all(BATCHES.len()).await;
                work();
            }
            Ok(())
        })?;
    let mut results: Results = Default::default();
    let mut requests = 0;
    for (batch, sent) in [r0, r1, r2, r3, r4, r5] {
        requests += sent;
        for (at, rows) in batch {
            results[at] = rows;
        }
    }
    let rows = typed(&results, limits)?;
    drop(results);
    let mut conn = pool.acquire().await.map_err(catalog_err("a connection for table definitions", limits))?;
    complete(&mut conn, rows, limits, requests).await
}

/// Counts the statements that have a connection.
#[derive(Default)]
struct Sent {
    count: std::sync::atomic::AtomicUsize,
    changed: tokio::sync::Notify,
}

impl Sent {
    fn arrived(&self) {
        self.count.fetch_add(1, std::sync::atomic::Ordering::AcqRel);
        self.changed.notify_one();
    }

    /// Waits until `n` statements have a connection.
    async fn all(&self, n: usize) {
        while self.count.load(std::sync::atomic::Ordering::Acquire) < n {
            self.changed.notified().await;
        }
    }
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

/// Reads the catalog on one connection (the one holding the schema lock): the six
/// statements in one round trip.
pub(crate) async fn introspect_on(conn: &mut sqlx::MySqlConnection, limits: &Limits) -> Result<Introspection> {
    let all = [TABLES_AT, COLUMNS_AT, INDEXES_AT, FOREIGN_KEYS_AT, ACTIONS_AT, CHECKS_AT];
    let mut results: Results = Default::default();
    let (batch, sent) = run_batch(&mut *conn, &all, limits).await?;
    for (at, rows) in batch {
        results[at] = rows;
    }
    let rows = typed(&results, limits)?;
    drop(results);
    complete(conn, rows, limits, sent).await
}

/// What a user with SELECT alone cannot read from `information_schema`: foreign key
/// actions (and, with table-level grants, checks). They are read from `SHOW CREATE
/// TABLE`, table by table, only for the tables that need it; never guessed.
async fn complete(
    conn: &mut sqlx::MySqlConnection,
    mut rows: Rows,
    limits: &Limits,
    requests: usize,
) -> Result<Introspection> {
    let (tables, _, indexes, fks, _) = &rows;
    // A user without a privilege other than SELECT on the database (or global) sees no
    // constraint in TABLE_CONSTRAINTS and REFERENTIAL_CONSTRAINTS, whatever its table
    // grants: all of them or none. Then its foreign keys' actions, and (with table-level
    // grants) its checks, are hidden, and are read from SHOW CREATE TABLE. The foreign
    // keys' actions tell; with no foreign key, one table with a key is asked.
    let keyed = indexes.iter().find(|i| i.1 == "PRIMARY").map(|i| &i.0);
    let mut probed = false;
    let hidden = match keyed {
        _ if !fks.is_empty() => fks.iter().all(|f| f.5.is_none()),
        Some(table) => {
            probed = true;
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
    let timed = |rows| {
        let mut found = timed(rows);
        found.queries = requests + usize::from(probed);
        found
    };
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
