//! SQLite catalog reads: `sqlite_schema` and the table-valued pragma functions, one
//! statement for the whole database, returning one row of JSON. Checks, AUTOINCREMENT and partial-index predicates
//! are only kept in the stored CREATE statements, so those are read from the SQL text
//! (see `sqlite_ddl`).

use super::sqlite_ddl::{self, TableDdl};
use super::{fetch, fk_action, Builder, Introspection, Limits, Meanwhile, RawColumn, RawIndex};
use crate::dialect::Backend;
use crate::error::{Error, Result};
use crate::schema::naming;
use crate::schema::normalize::parse_default;
use crate::schema::ForeignKey;
use std::collections::{BTreeMap, HashMap};

/// Catalog queries per introspection.
pub(super) const QUERIES: usize = 1;

const USER_TABLES: &str = "m.type = 'table' AND m.name NOT LIKE 'sqlite\\_%' ESCAPE '\\'";

fn catalog_err(what: &'static str, limits: &Limits) -> impl FnOnce(sqlx::Error) -> Error {
    super::catalog_err(Backend::Sqlite, what, limits)
}

/// An index's uniqueness, origin, columns (None for expressions) and SQL, row by row.
type IndexGroup = (bool, String, Vec<Option<String>>, Option<String>);
/// A foreign key's target, columns, referenced columns (None: the key) and actions.
type FkGroup = (String, Vec<String>, Vec<Option<String>>, String, String);
type ColumnRow = (String, String, String, i64, Option<String>, i64);
type IndexRow = (String, String, i64, String, i64, Option<String>, Option<String>);
type ForeignKeyRow = (String, i64, String, String, Option<String>, String, String);

/// The catalog as one statement returning one row of JSON: sqlx hands SQLite's rows
/// over one by one from the connection's thread, and thousands of small rows cost more
/// than the reading itself. Each part carries its order keys; the order is restored here.
/// `only`: the tables to read (as a JSON array literal), or every table.
fn query(only: Option<&str>) -> String {
    let scope = match only {
        Some(list) => format!("{USER_TABLES} AND m.name IN (SELECT value FROM json_each({list}))"),
        None => USER_TABLES.to_string(),
    };
    format!(
        "SELECT json_object(\
         'version', (SELECT schema_version FROM pragma_schema_version), \
         'tables', (SELECT json_group_array(json_array(m.name, m.sql)) FROM sqlite_schema m WHERE {scope}), \
         'columns', (SELECT json_group_array(json_array(m.name, p.name, p.type, p.\"notnull\", p.dflt_value, p.pk, p.cid)) \
            FROM sqlite_schema m JOIN pragma_table_xinfo(m.name) p WHERE {scope} AND p.hidden IN (0, 2, 3)), \
         'indexes', (SELECT json_group_array(json_array(m.name, il.name, il.\"unique\", il.origin, ii.seqno, ii.name)) \
            FROM sqlite_schema m JOIN pragma_index_list(m.name) il JOIN pragma_index_xinfo(il.name) ii \
            WHERE {scope} AND ii.key = 1), \
         'index_sql', (SELECT json_group_array(json_array(s.name, s.sql)) FROM sqlite_schema s WHERE s.type = 'index'), \
         'foreign_keys', (SELECT json_group_array(json_array(m.name, f.id, f.seq, f.\"table\", f.\"from\", f.\"to\", f.on_delete, f.on_update)) \
            FROM sqlite_schema m JOIN pragma_foreign_key_list(m.name) f WHERE {scope}))"
    )
}

/// Every stored CREATE TABLE and CREATE INDEX statement: `[type, name, table, sql]`.
/// Reading them costs no pragma, so it comes first when tables are [`Known`].
/// With the version of the schema it was read from (`PRAGMA schema_version`).
const STORED: &str = "SELECT json_object('version', (SELECT schema_version FROM pragma_schema_version), \
     'rows', (SELECT json_group_array(json_array(type, name, tbl_name, sql)) FROM sqlite_schema \
     WHERE type IN ('table', 'index') AND sql IS NOT NULL AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\'))";

/// The document [`STORED`] returns.
#[derive(serde::Deserialize)]
struct Stored {
    version: i64,
    rows: Vec<(String, String, String, String)>,
}

/// The catalog document as [`query`] returns it.
#[derive(serde::Deserialize)]
#[allow(clippy::type_complexity)] // rows as the query returns them, named where read
struct Catalog {
    /// `PRAGMA schema_version` as this statement read it.
    version: i64,
    tables: Vec<TableRow>,
    /// A column row and its position (`cid`).
    columns: Vec<(String, String, String, i64, Option<String>, i64, i64)>,
    /// An index column row, without the index's SQL.
    indexes: Vec<(String, String, i64, String, i64, Option<String>)>,
    index_sql: Vec<(String, Option<String>)>,
    /// A foreign key column row and its position (`seq`).
    foreign_keys: Vec<(String, i64, i64, String, String, Option<String>, String, String)>,
}

type TableRow = (String, Option<String>);
type Rows = (Vec<TableRow>, Vec<ColumnRow>, Vec<IndexRow>, Vec<ForeignKeyRow>);

/// The document as the rows [`assemble`] reads, in catalog order, and the version of
/// the schema it was read from.
fn rows(text: &str) -> Result<(Rows, i64)> {
    let mut c: Catalog = parse(text, &query(None))?;
    c.tables.sort();
    c.columns.sort_by(|a, b| (&a.0, a.6).cmp(&(&b.0, b.6)));
    c.indexes.sort_by(|a, b| (&a.0, &a.1, a.4).cmp(&(&b.0, &b.1, b.4)));
    c.foreign_keys.sort_by(|a, b| (&a.0, a.1, a.2).cmp(&(&b.0, b.1, b.2)));
    let index_sql: HashMap<String, Option<String>> = c.index_sql.into_iter().collect();
    let columns = c.columns.into_iter().map(|(t, n, ty, nn, d, pk, _)| (t, n, ty, nn, d, pk)).collect();
    let indexes = c
        .indexes
        .into_iter()
        .map(|(t, n, u, o, seq, col)| {
            let sql = index_sql.get(&n).cloned().flatten();
            (t, n, u, o, seq, col, sql)
        })
        .collect();
    let fks = c.foreign_keys.into_iter().map(|(t, id, _, rt, from, to, d, u)| (t, id, rt, from, to, d, u)).collect();
    Ok(((c.tables, columns, indexes, fks), c.version))
}

/// Reads the catalog on a pool; see [`Known`](super::Known).
pub(crate) async fn introspect(
    pool: &sqlx::SqlitePool,
    limits: &Limits,
    known: Meanwhile<'_>,
) -> Result<Introspection> {
    let mut conn = pool.acquire().await.map_err(catalog_err("a connection", limits))?;
    introspect_on(&mut conn, limits, known).await
}

/// Reads the catalog on one connection (the one holding the schema lock, or one of the
/// pool's). With [`Known`](super::Known) tables: first the stored statements (the known
/// tables are worked out meanwhile), then the pragmas of the tables whose statements are
/// not the known ones, if any.
pub(crate) async fn introspect_on(
    conn: &mut sqlx::SqliteConnection,
    limits: &Limits,
    known: Meanwhile<'_>,
) -> Result<Introspection> {
    let Some(make_known) = known else { return whole(conn, limits).await };
    let (text, mut known) = tokio::join!(document(conn, STORED, limits), async { make_known() });
    let mut text = text?;
    let mut queries = 1;
    // Another connection may change the schema between the two statements: each says
    // which version of the schema it read, and a pair that differs is read again.
    for _ in 0..3 {
        let mut start = std::time::Instant::now();
        let stored: Stored = parse(&text, STORED)?;
        // An index belongs to its table whatever the case of the name it was given.
        let mut indexes: HashMap<String, Vec<&str>> = HashMap::new();
        for (_, _, table, sql) in stored.rows.iter().filter(|r| r.0 == "index") {
            indexes.entry(table.to_ascii_lowercase()).or_default().push(sql.as_str());
        }
        let (mut same, mut other) = (Vec::new(), Vec::new());
        for (_, name, _, sql) in stored.rows.iter().filter(|r| r.0 == "table") {
            let matches = known.tables.get(name).filter(|k| {
                let mut found = indexes.get(&name.to_ascii_lowercase()).cloned().unwrap_or_default();
                found.sort_unstable();
                k.create == *sql && found == k.indexes
            });
            match matches {
                Some(k) => same.push(&k.table),
                None => other.push(name.clone()),
            }
        }
        let mut found = if other.is_empty() {
            Introspection {
                schema: Default::default(),
                default_schema: None,
                search_path: Vec::new(),
                schemas: Vec::new(),
                queries,
                assembly: std::time::Duration::ZERO,
            }
        } else {
            let list = crate::dialect::quote_literal(&serde_json::to_string(&other).unwrap_or_default(), false);
            let spent = start.elapsed();
            #[cfg(test)]
            retry_tests::change_between(conn).await;
            let rest = document(conn, &query(Some(&list)), limits).await?;
            queries += 1;
            start = std::time::Instant::now() - spent;
            let (rows, version) = rows(&rest)?;
            if version != stored.version {
                text = document(conn, STORED, limits).await?;
                queries += 1;
                continue;
            }
            Introspection { queries, ..assemble(rows, &same)? }
        };
        // The known tables are moved into the result, not copied.
        let same: Vec<String> = same.iter().map(|t| t.name.clone()).collect();
        found.schema.tables.extend(same.iter().filter_map(|n| known.tables.remove(n)).map(|k| k.table));
        found.schema.tables.sort_by(|a, b| a.name.cmp(&b.name));
        found.assembly = start.elapsed();
        return Ok(found);
    }
    // The schema kept changing: one statement, one snapshot.
    whole(conn, limits).await
}

/// Every table through the pragmas, in one statement.
async fn whole(conn: &mut sqlx::SqliteConnection, limits: &Limits) -> Result<Introspection> {
    let text = document(conn, &query(None), limits).await?;
    let start = std::time::Instant::now();
    let mut found = assemble(rows(&text)?.0, &[])?;
    found.assembly = start.elapsed();
    Ok(found)
}

/// The one row of JSON a catalog statement returns.
async fn document(conn: &mut sqlx::SqliteConnection, sql: &str, limits: &Limits) -> Result<String> {
    let text: Vec<(String,)> = fetch(&mut *conn, sql).await.map_err(catalog_err("the catalog", limits))?;
    Ok(text.into_iter().next().map(|t| t.0).unwrap_or_default())
}

fn parse<T: serde::de::DeserializeOwned>(text: &str, sql: &str) -> Result<T> {
    serde_json::from_str(text).map_err(|e| Error::CatalogText {
        backend: Backend::Sqlite,
        object: format!("the catalog document ({e})"),
        sql: sql.to_string(),
    })
}

/// The catalog's rows, as the IR. Each table's stored SQL is read once. `others`: the
/// tables known without being read, whose keys a foreign key of a table read may name.
fn assemble((tables, columns, indexes, fks): Rows, others: &[&crate::schema::Table]) -> Result<Introspection> {
    let mut b = Builder::new(Backend::Sqlite);
    let mut ddl: HashMap<String, TableDdl> = HashMap::with_capacity(tables.len());
    for (name, sql) in tables {
        let sql = sql.unwrap_or_default();
        let read = sqlite_ddl::table(&sql).ok_or_else(|| unreadable(format!("table `{name}`"), &sql))?;
        b.table(None, name.clone(), None);
        ddl.insert(name, read);
    }
    // Primary key columns in key order, with their declared types, per table: a rowid
    // key has no index to list.
    let mut pks: HashMap<&str, Vec<(i64, &str, &str)>> = HashMap::new();
    for (table, name, ty, _, _, pk) in &columns {
        if *pk > 0 {
            pks.entry(table.as_str()).or_default().push((*pk, name.as_str(), ty.as_str()));
        }
    }
    for key in pks.values_mut() {
        key.sort();
    }
    // Defaults already read: a schema repeats the same few many times.
    let mut defaults: HashMap<&str, Option<crate::schema::DefaultValue>> = HashMap::new();
    for (table, name, ty, not_null, default, _) in &columns {
        let key = pks.get(table.as_str()).map(Vec::as_slice).unwrap_or_default();
        // A single INTEGER PRIMARY KEY is the rowid: it generates values, AUTOINCREMENT or not.
        let rowid = key.len() == 1 && key[0].1 == name && key[0].2.eq_ignore_ascii_case("integer");
        let autoincrement =
            ddl.get(table).is_some_and(|d| d.autoincrement.iter().any(|c| c.eq_ignore_ascii_case(name)));
        b.column(
            None,
            table,
            RawColumn {
                name: name.clone(),
                ty: ty.clone(),
                // SQLite lets a rowid key be declared nullable; it never holds NULL.
                nullable: *not_null == 0 && !rowid,
                default: default
                    .as_deref()
                    .and_then(|d| defaults.entry(d).or_insert_with(|| parse_default(d, Backend::Sqlite)).clone()),
                auto_increment: rowid || autoincrement,
                identity: crate::schema::Identity::ByDefault,
                comment: None,
            },
        );
        let generated = ddl.get(table).and_then(|d| d.generated.iter().find(|g| g.column.eq_ignore_ascii_case(name)));
        if let (Some(g), Some(col)) = (generated, b.column_mut(None, table, name)) {
            col.generated = Some(crate::schema::Generated { expr: g.expr.clone(), stored: g.stored });
        }
    }
    let key_of: HashMap<String, Vec<String>> =
        pks.iter().map(|(t, key)| (t.to_string(), key.iter().map(|k| k.1.to_string()).collect())).collect();
    for (table, key) in &key_of {
        b.primary_key(None, table, naming::primary_key(table), key.clone());
    }
    // `REFERENCES parent` finds the parent whatever the case of its name, as SQLite does.
    let key_by_folded: HashMap<String, &Vec<String>> =
        key_of.iter().map(|(t, key)| (t.to_ascii_lowercase(), key)).collect();

    let mut grouped: BTreeMap<(String, String), IndexGroup> = BTreeMap::new();
    for (table, name, unique, origin, _, column, sql) in indexes {
        let entry = grouped.entry((table, name)).or_insert_with(|| (unique == 1, origin, Vec::new(), sql));
        entry.2.push(column);
    }
    for ((table, name), (unique, origin, columns, sql)) in grouped {
        match origin.as_str() {
            "pk" => {}
            "u" => {
                // SQLite names the index behind a UNIQUE constraint sqlite_autoindex_*;
                // the constraint's own name is not kept, so it gets the usual one.
                let columns: Vec<String> = columns.into_iter().flatten().collect();
                let name = if name.starts_with("sqlite_autoindex_") { naming::unique(&table, &columns) } else { name };
                b.unique(None, &table, name, columns)
            }
            _ => {
                let (parts_sql, predicate) = match sql.as_deref() {
                    Some(sql) => sqlite_ddl::index(sql)
                        .ok_or_else(|| unreadable(format!("index `{name}` of table `{table}`"), sql))?,
                    None => (Vec::new(), None),
                };
                let parts = columns
                    .iter()
                    .enumerate()
                    .map(|(i, c)| match c {
                        Some(c) => Ok(c.clone()),
                        None => Err(parts_sql.get(i).cloned().unwrap_or_default()),
                    })
                    .collect();
                b.index(None, &table, RawIndex { name, parts, unique, predicate, method: None });
            }
        }
    }

    let mut grouped_fks: BTreeMap<(String, i64), FkGroup> = BTreeMap::new();
    for (table, id, ref_table, from, to, on_delete, on_update) in fks {
        let e =
            grouped_fks.entry((table, id)).or_insert_with(|| (ref_table, Vec::new(), Vec::new(), on_delete, on_update));
        e.1.push(from);
        e.2.push(to);
    }
    for ((table, _), (ref_table, columns, to, on_delete, on_update)) in grouped_fks {
        // `REFERENCES parent` without columns means the parent's primary key.
        let ref_columns = if to.iter().all(Option::is_some) {
            to.into_iter().flatten().collect()
        } else {
            let known = || {
                let t = others.iter().find(|t| t.name.eq_ignore_ascii_case(&ref_table))?;
                Some(t.primary_key.as_ref()?.columns.clone())
            };
            key_by_folded.get(&ref_table.to_ascii_lowercase()).map(|k| k.to_vec()).or_else(known).unwrap_or_default()
        };
        b.foreign_key(
            None,
            &table,
            ForeignKey {
                name: naming::foreign_key(&table, &columns),
                columns,
                ref_schema: None,
                ref_table,
                ref_columns,
                on_delete: fk_action(&on_delete),
                on_update: fk_action(&on_update),
            },
        );
    }

    for (table, read) in &ddl {
        let mut unnamed = 0;
        for check in &read.checks {
            let name = check.name.clone().unwrap_or_else(|| {
                let n = naming::check(table, check.column.as_deref(), unnamed);
                if check.column.is_none() {
                    unnamed += 1;
                }
                n
            });
            b.check(None, table, name, check.expr.clone());
        }
    }
    let mut schema = b.finish();
    for t in &mut schema.tables {
        crate::dialect::fold_enum_checks(t);
    }
    Ok(Introspection {
        schema,
        default_schema: None,
        search_path: Vec::new(),
        schemas: Vec::new(),
        queries: QUERIES,
        assembly: std::time::Duration::ZERO,
    })
}

/// A stored CREATE statement that could not be read: an error, never a guess.
fn unreadable(object: String, sql: &str) -> Error {
    Error::CatalogText { backend: Backend::Sqlite, object, sql: sql.to_string() }
}

/// `(None, table, rows)`: SQLite keeps no estimates, so rows are counted.
pub(crate) async fn row_estimates_on(conn: &mut sqlx::SqliteConnection) -> Result<Vec<(Option<String>, String, i64)>> {
    let names_sql = format!("SELECT m.name FROM sqlite_schema m WHERE {USER_TABLES}");
    let names: Vec<(String,)> =
        fetch(&mut *conn, &names_sql).await.map_err(catalog_err("tables", &Limits::default()))?;
    if names.is_empty() {
        return Ok(Vec::new());
    }
    // SQLite allows at most 500 terms in one compound SELECT.
    let mut out = Vec::with_capacity(names.len());
    for chunk in names.chunks(400) {
        let sql = chunk
            .iter()
            .map(|(n,)| {
                format!(
                    "SELECT {}, count(*) FROM {}",
                    crate::dialect::quote_literal(n, false),
                    crate::dialect::quote_ident('"', n)
                )
            })
            .collect::<Vec<_>>()
            .join(" UNION ALL ");
        let rows: Vec<(String, i64)> =
            fetch(&mut *conn, &sql).await.map_err(catalog_err("row counts", &Limits::default()))?;
        out.extend(rows.into_iter().map(|(t, n)| (None, t, n)));
    }
    Ok(out)
}

/// [`row_estimates_on`] with a connection of the pool.
pub(crate) async fn row_estimates(pool: &sqlx::SqlitePool) -> Result<Vec<(Option<String>, String, i64)>> {
    let mut conn = pool.acquire().await.map_err(catalog_err("a connection for row counts", &Limits::default()))?;
    row_estimates_on(&mut conn).await
}

/// The read of two statements when the schema changes between them (as another
/// connection may change it): a seam runs DDL on the connection just before the second.
#[cfg(test)]
mod retry_tests {
    use super::*;
    use sqlx::Connection;
    use std::cell::RefCell;

    thread_local! {
        /// DDL to run before each second statement, one entry per read pair.
        static CHANGES: RefCell<Vec<String>> = const { RefCell::new(Vec::new()) };
    }

    pub(super) async fn change_between(conn: &mut sqlx::SqliteConnection) {
        let next = CHANGES.with(|c| {
            let mut changes = c.borrow_mut();
            (!changes.is_empty()).then(|| changes.remove(0))
        });
        if let Some(sql) = next {
            // Through `Executor`, whose boxed future keeps sqlx's bounds out of the read's.
            sqlx::Executor::execute(&mut *conn, sqlx::raw_sql(&sql)).await.expect("the change between the statements");
        }
    }

    async fn read(changes: &[&str]) -> (Introspection, Vec<String>) {
        let mut conn = sqlx::SqliteConnection::connect("sqlite::memory:").await.unwrap();
        sqlx::raw_sql("CREATE TABLE a (id INTEGER PRIMARY KEY); CREATE TABLE b (id INTEGER PRIMARY KEY, x TEXT)")
            .execute(&mut conn)
            .await
            .unwrap();
        CHANGES.with(|c| *c.borrow_mut() = changes.iter().map(|s| s.to_string()).collect());
        // No table is known: every one is read by the second statement.
        let none = || super::super::Known::default();
        let found = introspect_on(&mut conn, &Limits::default(), Some(&none)).await.unwrap();
        let b = found.schema.tables.iter().find(|t| t.name == "b").expect("table b");
        let columns = b.columns.iter().map(|c| c.name.clone()).collect();
        (found, columns)
    }

    #[tokio::test]
    async fn a_schema_unchanged_between_the_statements_is_read_once() {
        let (found, columns) = read(&[]).await;
        assert_eq!(found.queries, 2);
        assert_eq!(columns, ["id", "x"]);
    }

    #[tokio::test]
    async fn a_change_between_the_statements_makes_the_pair_read_again() {
        let (found, columns) = read(&["ALTER TABLE b ADD COLUMN y TEXT"]).await;
        // The stored statements, the pragmas (another version), both again.
        assert_eq!(found.queries, 4);
        assert_eq!(columns, ["id", "x", "y"], "the second pair reads the schema as it is now");
    }

    #[tokio::test]
    async fn a_schema_that_keeps_changing_is_read_in_one_statement() {
        let changes =
            ["ALTER TABLE b ADD COLUMN y TEXT", "ALTER TABLE b ADD COLUMN z TEXT", "ALTER TABLE b ADD COLUMN w TEXT"];
        let (_, columns) = read(&changes).await;
        assert_eq!(columns, ["id", "x", "y", "z", "w"], "the last read is one snapshot of every change");
        assert!(CHANGES.with(|c| c.borrow().is_empty()));
    }
}
