//! schemasync against the floor of each backend, in one run.
//!
//! ```text
//! schemasync-bench [--backends postgres,mysql,sqlite] [--tables 100,500,2000] [--runs 5]
//! ```
//!
//! For each backend and each number of tables (the same app-like tables as the scale
//! test: a key, an indexed name, a note, an amount, a time, a foreign key to the table
//! before), in a database of its own:
//!
//! - **floor**: one statement that returns the whole catalog as JSON, on the same sqlx
//!   driver, fetched (median of `runs` after 2 untimed); on MariaDB, whose floor reads
//!   three views, also a **same-facts floor**, one statement reading the six views
//!   schemasync reads;
//! - **warm**: `Models::sync` in additive mode on the matching schema, on the pool that
//!   made it (median of `runs` after 2 untimed);
//! - **cold**: the same on a new pool (new server sessions): from `Db::connect` to the
//!   report; and the floor's query the same way, from `Db::connect`;
//! - **catalog read**: every table read through the catalog (no table taken as known),
//!   and of it the client's **assembly** of the rows into the IR (median);
//! - **models + diff**: building the models' schema, canonicalising, diffing (median);
//! - **compare**: `Models::diff`, the read and comparison a boot makes before it plans
//!   (on SQLite, tables are known by their stored statements) (median);
//! - **create**: `create_all` of the tables on an empty database (one run);
//! - **add**: a sync that adds a column to every tenth table (one run).
//!
//! Server URLs as for the tests: `SCHEMASYNC_TEST_POSTGRES_URL`,
//! `SCHEMASYNC_TEST_MYSQL_URL`. It prints one line per measurement and a table at the end.

use schemasync::{Backend, Db, Mode, Models, SyncOptions};
use schemasync_tests::{dynamic, TestDb};
use std::time::Instant;

const POSTGRES_FLOOR: &str = "SELECT json_build_object(\
 'columns', (SELECT json_agg(json_build_array(c.relname, a.attname, format_type(a.atttypid, a.atttypmod), a.attnotnull, \
   pg_get_expr(d.adbin, d.adrelid), a.attidentity)) FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid \
   JOIN pg_namespace n ON n.oid = c.relnamespace LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum \
   WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'p') AND a.attnum > 0 AND NOT a.attisdropped), \
 'constraints', (SELECT json_agg(json_build_array(c.relname, k.conname, k.contype, pg_get_constraintdef(k.oid))) \
   FROM pg_constraint k JOIN pg_class c ON c.oid = k.conrelid JOIN pg_namespace n ON n.oid = c.relnamespace \
   WHERE n.nspname = current_schema()), \
 'indexes', (SELECT json_agg(json_build_array(t.relname, i.relname, pg_get_indexdef(i.oid))) FROM pg_index x \
   JOIN pg_class i ON i.oid = x.indexrelid JOIN pg_class t ON t.oid = x.indrelid JOIN pg_namespace n ON n.oid = t.relnamespace \
   WHERE n.nspname = current_schema()))::text";

const MYSQL_FLOOR: &str = "SELECT CAST(JSON_OBJECT(\
 'columns', (SELECT JSON_ARRAYAGG(JSON_ARRAY(table_name, column_name, column_type, is_nullable, column_default, extra)) \
   FROM information_schema.columns WHERE table_schema = DATABASE()), \
 'keys', (SELECT JSON_ARRAYAGG(JSON_ARRAY(table_name, constraint_name, column_name, referenced_table_name, referenced_column_name)) \
   FROM information_schema.key_column_usage WHERE table_schema = DATABASE()), \
 'indexes', (SELECT JSON_ARRAYAGG(JSON_ARRAY(table_name, index_name, column_name, non_unique)) \
   FROM information_schema.statistics WHERE table_schema = DATABASE())) AS CHAR)";

/// MariaDB's floor above reads three views; schemasync needs six: table comments, column
/// comments and generation expressions, foreign key actions and checks are elsewhere. This
/// one statement reads the same facts schemasync reads, for the same-facts ratio.
/// (`group_concat_max_len` bounds JSON_ARRAYAGG; raised so that 2,000 tables are not cut.)
const MYSQL_SAME_FACTS_FLOOR: &str = "/*M! SET STATEMENT group_concat_max_len = 1073741824 FOR */ SELECT CAST(JSON_OBJECT(\
 'tables', (SELECT JSON_ARRAYAGG(JSON_ARRAY(table_name, table_comment)) \
   FROM information_schema.tables WHERE table_schema = DATABASE() AND table_type = 'BASE TABLE'), \
 'columns', (SELECT JSON_ARRAYAGG(JSON_ARRAY(table_name, column_name, column_type, is_nullable, column_default, extra, \
   column_comment, generation_expression)) FROM information_schema.columns WHERE table_schema = DATABASE()), \
 'indexes', (SELECT JSON_ARRAYAGG(JSON_ARRAY(table_name, index_name, column_name, non_unique, index_type)) \
   FROM information_schema.statistics WHERE table_schema = DATABASE()), \
 'keys', (SELECT JSON_ARRAYAGG(JSON_ARRAY(table_name, constraint_name, column_name, referenced_table_name, referenced_column_name)) \
   FROM information_schema.key_column_usage WHERE table_schema = DATABASE() AND referenced_table_name IS NOT NULL), \
 'actions', (SELECT JSON_ARRAYAGG(JSON_ARRAY(table_name, constraint_name, delete_rule, update_rule)) \
   FROM information_schema.referential_constraints WHERE constraint_schema = DATABASE()), \
 'checks', (SELECT JSON_ARRAYAGG(JSON_ARRAY(table_name, constraint_name, check_clause)) \
   FROM information_schema.check_constraints WHERE constraint_schema = DATABASE())) AS CHAR)";

const SQLITE_FLOOR: &str = "SELECT json_object(\
 'columns', (SELECT json_group_array(json_array(m.name, c.name, c.type, c.\"notnull\", c.dflt_value, c.pk)) \
   FROM sqlite_schema m, pragma_table_xinfo(m.name) c WHERE m.type = 'table'), \
 'indexes', (SELECT json_group_array(json_array(m.name, il.name, il.\"unique\", ii.name)) \
   FROM sqlite_schema m, pragma_index_list(m.name) il, pragma_index_xinfo(il.name) ii WHERE m.type = 'table'), \
 'foreign_keys', (SELECT json_group_array(json_array(m.name, f.\"table\", f.\"from\", f.\"to\", f.on_delete)) \
   FROM sqlite_schema m, pragma_foreign_key_list(m.name) f WHERE m.type = 'table'), \
 'sql', (SELECT json_group_array(sql) FROM sqlite_schema))";

fn ms(t: Instant) -> f64 {
    t.elapsed().as_secs_f64() * 1000.0
}

fn median(v: &mut [f64]) -> f64 {
    v.sort_by(|a, b| a.total_cmp(b));
    v[v.len() / 2]
}

async fn floor(db: &Db) -> f64 {
    let t = Instant::now();
    let text: Option<String> = match db {
        Db::Postgres(p) => sqlx::query_scalar(POSTGRES_FLOOR).fetch_one(p).await.expect("floor"),
        Db::MySql(p) => sqlx::query_scalar(MYSQL_FLOOR).fetch_one(p).await.expect("floor"),
        Db::Sqlite(p) => sqlx::query_scalar(SQLITE_FLOOR).fetch_one(p).await.expect("floor"),
        _ => unreachable!("every backend is enabled"),
    };
    let took = ms(t);
    assert!(text.is_some_and(|t| t.len() > 10), "the floor query returned the catalog");
    took
}

/// The same-facts floor, where the floor reads fewer facts than schemasync (MariaDB).
async fn same_facts_floor(db: &Db) -> Option<f64> {
    let Db::MySql(p) = db else { return None };
    let t = Instant::now();
    let text: Option<String> = sqlx::query_scalar(MYSQL_SAME_FACTS_FLOOR).fetch_one(p).await.expect("floor");
    let took = ms(t);
    assert!(text.is_some_and(|t| t.len() > 10), "the same-facts floor query returned the catalog");
    Some(took)
}

/// Times of the client's work in one no-op: build the models' schema, read the catalog
/// (its query and the assembly), canonicalise, diff; then the boot's own comparison.
/// Returns (client ms, catalog ms, assembly ms, compare ms).
async fn client_phases(db: &Db, models: &Models) -> (f64, f64, f64, f64) {
    let backend = db.backend();
    let t = Instant::now();
    let schema = models.schema(backend).expect("models");
    let build = ms(t);
    let t = Instant::now();
    let found = schemasync::catalog::introspect(db, &[]).await.expect("catalog");
    let read = ms(t);
    let t = Instant::now();
    let desired =
        schemasync::dialect::canonicalize(&schema, backend, found.default_schema.as_deref(), &found.search_path);
    let diff = schemasync::diff::diff(&desired, &found.schema, &schemasync::diff::DiffOptions::for_backend(backend));
    let compare = ms(t);
    assert!(diff.changes.is_empty(), "{backend}: the no-op found differences: {:?}", diff.changes.first());
    let t = Instant::now();
    let compared = models.diff(db).await.expect("compare");
    let boot = ms(t);
    assert!(compared.diff.is_empty(), "{backend}: the boot's comparison found differences");
    (build + compare, read, found.assembly.as_secs_f64() * 1000.0, boot)
}

struct Row {
    backend: Backend,
    n: usize,
    floor: f64,
    same_facts: Option<f64>,
    warm: f64,
    spread: (f64, f64),
    cold: f64,
    floor_cold: f64,
    client: f64,
    catalog: f64,
    assembly: f64,
    compare: f64,
    create: f64,
    add: f64,
}

async fn measure(backend: Backend, n: usize, runs: usize) -> Option<Row> {
    let t = TestDb::fresh(backend).await?;
    let base = Models::new().with_defs(dynamic::wide_schema("bench_", n, false));
    let added = Models::new().with_defs(dynamic::wide_schema("bench_", n, true));
    let additive = SyncOptions::new(Mode::Additive);

    let start = Instant::now();
    base.create_all(&t.db).await.expect("create_all");
    let create = ms(start);
    if let Db::Postgres(p) = &t.db {
        // Settle the new catalog rows as later boots find them.
        sqlx::raw_sql("VACUUM ANALYZE pg_catalog.pg_class, pg_catalog.pg_attribute, pg_catalog.pg_constraint, pg_catalog.pg_index, pg_catalog.pg_attrdef")
            .execute(p)
            .await
            .expect("vacuum");
    }
    println!("{backend} N={n}: create_all {create:.0} ms");

    let (mut floors, mut warms, mut clients, mut catalogs) = (Vec::new(), Vec::new(), Vec::new(), Vec::new());
    let (mut assemblies, mut compares) = (Vec::new(), Vec::new());
    let mut same_facts = Vec::new();
    for i in 0..runs + 2 {
        let f = floor(&t.db).await;
        let full = same_facts_floor(&t.db).await;
        let start = Instant::now();
        let report = base.sync(&t.db, &additive).await.expect("no-op");
        let w = ms(start);
        assert!(report.plan.steps.is_empty(), "{backend}: the no-op has steps");
        let (client, catalog, assembly, compare) = client_phases(&t.db, &base).await;
        if i >= 2 {
            floors.push(f);
            same_facts.extend(full);
            warms.push(w);
            clients.push(client);
            catalogs.push(catalog);
            assemblies.push(assembly);
            compares.push(compare);
        }
    }
    let (mut colds, mut floor_colds) = (Vec::new(), Vec::new());
    for _ in 0..runs.min(3) {
        let start = Instant::now();
        let db = Db::connect(&t.url).await.expect("connect");
        floor(&db).await;
        floor_colds.push(ms(start));
        db.close().await;
        let start = Instant::now();
        let db = Db::connect(&t.url).await.expect("connect");
        let report = base.sync(&db, &additive).await.expect("cold no-op");
        colds.push(ms(start));
        assert!(report.plan.steps.is_empty());
        db.close().await;
    }
    let start = Instant::now();
    let report = added.sync(&t.db, &additive).await.expect("add");
    let add = ms(start);
    assert_eq!(report.plan.to_apply().count(), n.div_ceil(10), "one step per table that gets a column");
    let spread = (warms.iter().copied().fold(f64::MAX, f64::min), warms.iter().copied().fold(0.0, f64::max));
    let row = Row {
        backend,
        n,
        floor: median(&mut floors),
        same_facts: (!same_facts.is_empty()).then(|| median(&mut same_facts)),
        warm: median(&mut warms),
        spread,
        cold: median(&mut colds),
        floor_cold: median(&mut floor_colds),
        client: median(&mut clients),
        catalog: median(&mut catalogs),
        assembly: median(&mut assemblies),
        compare: median(&mut compares),
        create,
        add,
    };
    println!(
        "{backend} N={n}: floor {:.1} ms, no-op warm {:.1} ms ({:.1}-{:.1}), cold {:.1} ms, assembly {:.1} ms, client {:.1} ms, compare {:.1} ms, add {:.0} ms",
        row.floor, row.warm, row.spread.0, row.spread.1, row.cold, row.assembly, row.client, row.compare, row.add
    );
    Some(row)
}

fn list(flag: &str, default: &str) -> Vec<String> {
    let args: Vec<String> = std::env::args().collect();
    let value = args.iter().position(|a| a == flag).and_then(|i| args.get(i + 1)).map_or(default, String::as_str);
    value.split(',').map(str::to_string).collect()
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    let backends: Vec<Backend> = list("--backends", "postgres,mysql,sqlite")
        .iter()
        .map(|b| b.parse().unwrap_or_else(|e| panic!("{e}")))
        .collect();
    let sizes: Vec<usize> =
        list("--tables", "100,500,2000").iter().map(|n| n.parse().expect("a number of tables")).collect();
    let runs: usize = list("--runs", "5")[0].parse().expect("a number of runs");
    let mut rows = Vec::new();
    for &backend in &backends {
        for &n in &sizes {
            match measure(backend, n, runs).await {
                Some(row) => rows.push(row),
                None => println!("{backend}: server not reachable, skipped"),
            }
        }
    }
    println!("\n| backend | tables | floor (1 query) | no-op warm | warm / floor | same-facts floor | warm / same-facts floor | no-op cold | cold / warm | floor cold | cold / floor cold | full catalog read | of it, assembly | models + diff | boot's compare | create_all | add a column to 1 in 10 |");
    println!("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
    for r in &rows {
        println!(
            "| {} | {} | {:.1} ms | {:.1} ms ({:.1}–{:.1}) | {:.2}x | {} | {} | {:.1} ms | {:.2}x | {:.1} ms | {:.2}x | {:.1} ms | {:.1} ms | {:.1} ms | {:.1} ms | {:.0} ms | {:.0} ms |",
            r.backend,
            r.n,
            r.floor,
            r.warm,
            r.spread.0,
            r.spread.1,
            r.warm / r.floor,
            r.same_facts.map_or("–".to_string(), |f| format!("{f:.1} ms")),
            r.same_facts.map_or("–".to_string(), |f| format!("{:.2}x", r.warm / f)),
            r.cold,
            r.cold / r.warm,
            r.floor_cold,
            r.cold / r.floor_cold,
            r.catalog,
            r.assembly,
            r.client,
            r.compare,
            r.create,
            r.add
        );
    }
}
