//! SQLite catalog reads: `sqlite_schema` and the table-valued pragma functions, four
//! queries for the whole database. Checks, AUTOINCREMENT and partial-index predicates
//! are only kept in the stored CREATE statements, so those are read from the SQL text.

use super::{fetch, fk_action, Builder, Introspection, RawColumn, RawIndex};
use crate::dialect::Backend;
use crate::error::{Error, Result};
use crate::schema::naming;
use crate::schema::normalize::parse_default;
use crate::schema::ForeignKey;
use std::collections::BTreeMap;

/// Catalog queries per introspection.
pub(super) const QUERIES: usize = 4;

const USER_TABLES: &str = "m.type = 'table' AND m.name NOT LIKE 'sqlite\\_%' ESCAPE '\\'";

fn catalog_err(what: &'static str) -> impl FnOnce(sqlx::Error) -> Error {
    super::catalog_err(Backend::Sqlite, what)
}

/// An index's uniqueness, origin, columns (None for expressions) and SQL, row by row.
type IndexGroup = (bool, String, Vec<Option<String>>, Option<String>);
/// A foreign key's target, columns, referenced columns (None: the key) and actions.
type FkGroup = (String, Vec<String>, Vec<Option<String>>, String, String);
type ColumnRow = (String, String, String, i64, Option<String>, i64);
type IndexRow = (String, String, i64, String, i64, Option<String>, Option<String>);
type ForeignKeyRow = (String, i64, String, String, Option<String>, String, String);

/// The four catalog queries.
fn queries() -> [String; 4] {
    let tables_sql = format!("SELECT m.name, m.sql FROM sqlite_schema m WHERE {USER_TABLES} ORDER BY m.name");
    let columns_sql = format!(
        "SELECT m.name, p.name, p.type, p.\"notnull\", p.dflt_value, p.pk \
         FROM sqlite_schema m JOIN pragma_table_info(m.name) p WHERE {USER_TABLES} ORDER BY m.name, p.cid"
    );
    let indexes_sql = format!(
        "SELECT m.name, il.name, il.\"unique\", il.origin, ii.seqno, ii.name, s.sql \
         FROM sqlite_schema m JOIN pragma_index_list(m.name) il JOIN pragma_index_xinfo(il.name) ii \
         LEFT JOIN sqlite_schema s ON s.type = 'index' AND s.name = il.name \
         WHERE {USER_TABLES} AND ii.key = 1 ORDER BY m.name, il.name, ii.seqno"
    );
    let fks_sql = format!(
        "SELECT m.name, f.id, f.\"table\", f.\"from\", f.\"to\", f.on_delete, f.on_update \
         FROM sqlite_schema m JOIN pragma_foreign_key_list(m.name) f WHERE {USER_TABLES} ORDER BY m.name, f.id, f.seq"
    );
    [tables_sql, columns_sql, indexes_sql, fks_sql]
}

type TableRow = (String, Option<String>);
type Rows = (Vec<TableRow>, Vec<ColumnRow>, Vec<IndexRow>, Vec<ForeignKeyRow>);

/// Reads the catalog on a pool: the four queries travel on separate connections at once.
pub(crate) async fn introspect(pool: &sqlx::SqlitePool) -> Result<Introspection> {
    let [tables_sql, columns_sql, indexes_sql, fks_sql] = queries();
    let rows = tokio::try_join!(
        async { fetch(pool, &tables_sql).await.map_err(catalog_err("tables")) },
        async { fetch(pool, &columns_sql).await.map_err(catalog_err("columns")) },
        async { fetch(pool, &indexes_sql).await.map_err(catalog_err("indexes")) },
        async { fetch(pool, &fks_sql).await.map_err(catalog_err("foreign keys")) },
    )?;
    Ok(assemble(rows))
}

/// Reads the catalog on one connection (the one holding the schema lock), in turn.
pub(crate) async fn introspect_on(conn: &mut sqlx::SqliteConnection) -> Result<Introspection> {
    let [tables_sql, columns_sql, indexes_sql, fks_sql] = queries();
    let tables = fetch(&mut *conn, &tables_sql).await.map_err(catalog_err("tables"))?;
    let columns = fetch(&mut *conn, &columns_sql).await.map_err(catalog_err("columns"))?;
    let indexes = fetch(&mut *conn, &indexes_sql).await.map_err(catalog_err("indexes"))?;
    let fks = fetch(&mut *conn, &fks_sql).await.map_err(catalog_err("foreign keys"))?;
    Ok(assemble((tables, columns, indexes, fks)))
}

/// The rows of the four queries, as the IR.
fn assemble((tables, columns, indexes, fks): Rows) -> Introspection {
    let mut b = Builder::new(Backend::Sqlite);
    let mut sql_of: BTreeMap<String, String> = BTreeMap::new();
    for (name, sql) in tables {
        b.table(None, name.clone(), None);
        sql_of.insert(name, sql.unwrap_or_default());
    }
    // Primary keys from table_info (a rowid key has no index to list).
    let mut pks: BTreeMap<String, Vec<(i64, String, String)>> = BTreeMap::new();
    for (table, name, _, _, _, pk) in &columns {
        if *pk > 0 {
            let ty = columns.iter().find(|c| &c.0 == table && &c.1 == name).map(|c| c.2.clone()).unwrap_or_default();
            pks.entry(table.clone()).or_default().push((*pk, name.clone(), ty));
        }
    }
    for (table, name, ty, not_null, default, _) in columns {
        let definition = sql_of.get(&table).map(|sql| split_definitions(sql)).unwrap_or_default();
        let key = pks.get(&table).map(Vec::as_slice).unwrap_or_default();
        // A single INTEGER PRIMARY KEY is the rowid: it generates values, AUTOINCREMENT or not.
        let rowid = key.len() == 1 && key[0].1 == name && key[0].2.eq_ignore_ascii_case("integer");
        let autoincrement = definition.iter().any(|d| {
            first_ident(d).is_some_and(|c| c.eq_ignore_ascii_case(&name))
                && d.to_ascii_uppercase().contains("AUTOINCREMENT")
        });
        b.column(
            None,
            &table,
            RawColumn {
                name,
                ty,
                // SQLite lets a rowid key be declared nullable; it never holds NULL.
                nullable: not_null == 0 && !rowid,
                default: default.as_deref().and_then(|d| parse_default(d, Backend::Sqlite)),
                auto_increment: rowid || autoincrement,
                comment: None,
            },
        );
    }
    for (table, mut key) in pks {
        key.sort();
        b.primary_key(None, &table, naming::primary_key(&table), key.into_iter().map(|k| k.1).collect());
    }

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
                let (parts_sql, predicate) = sql.as_deref().map(index_parts).unwrap_or_default();
                let parts = columns
                    .iter()
                    .enumerate()
                    .map(|(i, c)| match c {
                        Some(c) => Ok(c.clone()),
                        None => Err(parts_sql.get(i).cloned().unwrap_or_default()),
                    })
                    .collect();
                b.index(None, &table, RawIndex { name, parts, unique, predicate });
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
    let schema_so_far = b.peek_primary_keys();
    for ((table, _), (ref_table, columns, to, on_delete, on_update)) in grouped_fks {
        // `REFERENCES parent` without columns means the parent's primary key.
        let ref_columns = if to.iter().all(Option::is_some) {
            to.into_iter().flatten().collect()
        } else {
            schema_so_far.get(&ref_table).cloned().unwrap_or_default()
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

    for (table, sql) in &sql_of {
        let mut unnamed = 0;
        for definition in split_definitions(sql) {
            for (name, expr) in checks_in(&definition) {
                let column = first_ident(&definition).filter(|_| !starts_with_keyword(&definition));
                let name = name.unwrap_or_else(|| {
                    let n = naming::check(table, column.as_deref(), unnamed);
                    if column.is_none() {
                        unnamed += 1;
                    }
                    n
                });
                b.check(None, table, name, expr);
            }
        }
    }
    Introspection { schema: b.finish(), default_schema: None, queries: QUERIES }
}

/// The comma-separated definitions inside `CREATE TABLE name ( ... )`.
pub(crate) fn split_definitions(sql: &str) -> Vec<String> {
    let Some(open) = sql.find('(') else {
        return Vec::new();
    };
    let body = &sql[open + 1..];
    split_top_level(body, true)
}

/// Splits at top-level commas; with `stop_at_close`, ends at the unmatched `)`.
fn split_top_level(s: &str, stop_at_close: bool) -> Vec<String> {
    let mut out = Vec::new();
    let mut depth = 0i32;
    let mut quote: Option<char> = None;
    let mut current = String::new();
    for c in s.chars() {
        match quote {
            Some(q) => {
                current.push(c);
                if c == q {
                    quote = None;
                }
                continue;
            }
            None if matches!(c, '\'' | '"' | '`' | '[') => {
                quote = Some(if c == '[' { ']' } else { c });
                current.push(c);
                continue;
            }
            None => {}
        }
        match c {
            '(' => depth += 1,
            ')' if depth == 0 && stop_at_close => break,
            ')' => depth -= 1,
            ',' if depth == 0 => {
                out.push(current.trim().to_string());
                current.clear();
                continue;
            }
            _ => {}
        }
        current.push(c);
    }
    if !current.trim().is_empty() {
        out.push(current.trim().to_string());
    }
    out
}

/// The first identifier of a definition, unquoted.
fn first_ident(definition: &str) -> Option<String> {
    let d = definition.trim_start();
    let first = d.chars().next()?;
    if let Some(close) = match first {
        '"' => Some('"'),
        '`' => Some('`'),
        '[' => Some(']'),
        _ => None,
    } {
        let rest = &d[1..];
        return rest.find(close).map(|end| rest[..end].to_string());
    }
    Some(d.split(|c: char| c.is_whitespace() || c == '(').next()?.to_string())
}

fn starts_with_keyword(definition: &str) -> bool {
    let upper = definition.trim_start().to_ascii_uppercase();
    ["CONSTRAINT", "CHECK", "PRIMARY", "UNIQUE", "FOREIGN"].iter().any(|k| upper.starts_with(k))
}

/// Every `[CONSTRAINT name] CHECK (expr)` in one definition.
fn checks_in(definition: &str) -> Vec<(Option<String>, String)> {
    let upper = definition.to_ascii_uppercase();
    let mut out = Vec::new();
    let mut from = 0;
    while let Some(pos) = find_keyword(&upper, "CHECK", from) {
        let after = &definition[pos + 5..];
        let Some(open) = after.find('(') else { break };
        if !after[..open].trim().is_empty() {
            from = pos + 5;
            continue;
        }
        let inner = &after[open + 1..];
        let Some(end) = closing_paren(inner) else { break };
        let expr = &inner[..end];
        // A name written just before: `CONSTRAINT name CHECK`.
        let before: Vec<&str> = definition[..pos].split_whitespace().collect();
        let name = match before.as_slice() {
            [.., kw, name] if kw.eq_ignore_ascii_case("CONSTRAINT") => {
                Some(name.trim_matches(|c| c == '"' || c == '`' || c == '[' || c == ']').to_string())
            }
            _ => None,
        };
        out.push((name, expr.trim().to_string()));
        from = pos + 5 + open + 1 + end + 1;
    }
    out
}

/// The byte index of the `)` that closes an already opened parenthesis, outside quotes.
fn closing_paren(s: &str) -> Option<usize> {
    let mut depth = 0usize;
    let mut quote: Option<u8> = None;
    for (i, &c) in s.as_bytes().iter().enumerate() {
        match quote {
            Some(q) if c == q => quote = None,
            Some(_) => {}
            None => match c {
                b'\'' | b'"' | b'`' => quote = Some(c),
                b'(' => depth += 1,
                b')' if depth == 0 => return Some(i),
                b')' => depth -= 1,
                _ => {}
            },
        }
    }
    None
}

/// Finds `keyword` as a whole word outside quotes, at or after `from`.
fn find_keyword(upper: &str, keyword: &str, from: usize) -> Option<usize> {
    let bytes = upper.as_bytes();
    let mut quote: Option<u8> = None;
    let mut i = from;
    while i < bytes.len() {
        let c = bytes[i];
        match quote {
            Some(q) if c == q => quote = None,
            Some(_) => {}
            None if matches!(c, b'\'' | b'"' | b'`') => quote = Some(c),
            // Bytes, not str slicing: the SQL may hold non-ASCII text outside quotes.
            None if bytes[i..].starts_with(keyword.as_bytes()) => {
                let before_ok = i == 0 || !(bytes[i - 1].is_ascii_alphanumeric() || bytes[i - 1] == b'_');
                let after = bytes.get(i + keyword.len());
                let after_ok = after.is_none_or(|c| !(c.is_ascii_alphanumeric() || *c == b'_'));
                if before_ok && after_ok {
                    return Some(i);
                }
            }
            None => {}
        }
        i += 1;
    }
    None
}

/// The parts and the WHERE of `CREATE [UNIQUE] INDEX name ON t (parts) [WHERE pred]`.
fn index_parts(sql: &str) -> (Vec<String>, Option<String>) {
    let upper = sql.to_ascii_uppercase();
    let Some(on) = find_keyword(&upper, "ON", 0) else {
        return (Vec::new(), None);
    };
    let Some(open) = sql[on..].find('(').map(|i| on + i) else {
        return (Vec::new(), None);
    };
    let parts = split_top_level(&sql[open + 1..], true);
    let consumed: usize = parts.iter().map(|p| p.len() + 1).sum::<usize>();
    let predicate =
        find_keyword(&upper, "WHERE", (open + consumed).min(upper.len())).map(|w| sql[w + 5..].trim().to_string());
    (parts, predicate)
}

/// `(None, table, rows)`: SQLite keeps no estimates, so rows are counted.
pub(crate) async fn row_estimates_on(conn: &mut sqlx::SqliteConnection) -> Result<Vec<(Option<String>, String, i64)>> {
    let names_sql = format!("SELECT m.name FROM sqlite_schema m WHERE {USER_TABLES}");
    let names: Vec<(String,)> = fetch(&mut *conn, &names_sql).await.map_err(catalog_err("tables"))?;
    if names.is_empty() {
        return Ok(Vec::new());
    }
    let sql = names
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
    let rows: Vec<(String, i64)> = fetch(&mut *conn, &sql).await.map_err(catalog_err("row counts"))?;
    Ok(rows.into_iter().map(|(t, n)| (None, t, n)).collect())
}

/// [`row_estimates_on`] with a connection of the pool.
pub(crate) async fn row_estimates(pool: &sqlx::SqlitePool) -> Result<Vec<(Option<String>, String, i64)>> {
    let mut conn = pool.acquire().await.map_err(catalog_err("a connection for row counts"))?;
    row_estimates_on(&mut conn).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_checks_from_create_table() {
        let sql = r#"CREATE TABLE "t" (
  "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
  "age" SMALLINT NOT NULL CHECK (age >= 0),
  "note" TEXT DEFAULT 'a, (b)',
  CONSTRAINT "t_named" CHECK (length(note) > 0),
  CHECK (age < 200)
)"#;
        let defs = split_definitions(sql);
        assert_eq!(defs.len(), 5);
        assert_eq!(first_ident(&defs[1]).as_deref(), Some("age"));
        assert_eq!(checks_in(&defs[1]), vec![(None, "age >= 0".to_string())]);
        assert_eq!(checks_in(&defs[2]), vec![]);
        assert_eq!(checks_in(&defs[3]), vec![(Some("t_named".to_string()), "length(note) > 0".to_string())]);
        assert_eq!(checks_in(&defs[4]), vec![(None, "age < 200".to_string())]);
    }

    #[test]
    fn non_ascii_text_outside_quotes_is_no_panic() {
        let sql = "CREATE TABLE t (\n  -- clé étrangère\n  prénom TEXT CHECK (length(prénom) > 0)\n)";
        let defs = split_definitions(sql);
        assert!(defs.iter().any(|d| !checks_in(d).is_empty()), "{defs:?}");
        assert_eq!(find_keyword(&"é CHECK".to_ascii_uppercase(), "CHECK", 0), Some(3));
    }

    #[test]
    fn reads_index_parts_and_predicate() {
        let (parts, pred) = index_parts(r#"CREATE INDEX "i" ON "t" ("a", lower(b)) WHERE a IS NOT NULL"#);
        assert_eq!(parts, [r#""a""#, "lower(b)"]);
        assert_eq!(pred.as_deref(), Some("a IS NOT NULL"));
        assert_eq!(index_parts("CREATE INDEX i ON t (a)").1, None);
    }
}
