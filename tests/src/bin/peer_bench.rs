//! schemasync as one more adapter of the peer benchmark in `shared/bench/peers` (see
//! `bench/README.md`): the same generated schemas, the same three measurements, the
//! same JSON lines.
//!
//! ```text
//! schemasync-peer-bench run --spec FILE --db NAME [--runs R] [--warmup W] [--marker-noop]
//! schemasync-peer-bench compare --spec FILE --db NAME
//! ```
//!
//! `compare` diffs the spec's models against a database another tool made from the same
//! spec (`bench/orm_fidelity.sh`) and prints each difference, one per line.
//!
//! Models come from the spec at run time (their strings are leaked into `'static`
//! table definitions, as the derive would have made them at compile time). Statements
//! are counted from sqlx's own per-statement tracing events.

use schemasync::model::{ColumnDef, DefaultDef, ForeignKeyDef, IndexDef, KeyDef, TableDef, TypeDef};
use schemasync::schema::FkAction;
use schemasync::{Db, Mode, Models, Outcome, SyncOptions};
use serde_json::Value;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Instant;
use tracing_subscriber::layer::SubscriberExt;

static STATEMENTS: AtomicUsize = AtomicUsize::new(0);

struct Count;

impl<S: tracing::Subscriber> tracing_subscriber::Layer<S> for Count {
    fn on_event(&self, event: &tracing::Event<'_>, _: tracing_subscriber::layer::Context<'_, S>) {
        if event.metadata().target() == "sqlx::query" {
            STATEMENTS.fetch_add(1, Ordering::SeqCst);
        }
    }
}

fn leak(s: &str) -> &'static str {
    Box::leak(s.to_string().into_boxed_str())
}

fn leak_list(v: &Value) -> &'static [&'static str] {
    let items: Vec<&'static str> =
        v.as_array().map(|a| a.iter().filter_map(|x| x.as_str()).map(leak).collect()).unwrap_or_default();
    Box::leak(items.into_boxed_slice())
}

fn column(c: &Value) -> ColumnDef {
    let num = |k: &str| c[k].as_u64().unwrap_or(0);
    let ty = match c["type"].as_str().unwrap_or("") {
        "bigint" => TypeDef::BigInt,
        "integer" => TypeDef::Integer,
        "varchar" => TypeDef::Varchar(num("length") as u32),
        "text" => TypeDef::Text,
        "boolean" => TypeDef::Boolean,
        "timestamptz" => TypeDef::TimestampTz(None),
        "numeric" => TypeDef::Decimal(Some((num("precision") as u8, num("scale") as u8))),
        "double" => TypeDef::Double,
        other => panic!("unknown spec type {other}"),
    };
    let default = match c["default"]["kind"].as_str() {
        Some("int") => Some(DefaultDef::Int(c["default"]["value"].as_i64().unwrap_or(0))),
        Some("bool") => Some(DefaultDef::Bool(c["default"]["value"].as_bool().unwrap_or(false))),
        Some("now") => Some(DefaultDef::Sql("CURRENT_TIMESTAMP")),
        _ => None,
    };
    let name = leak(c["name"].as_str().unwrap_or(""));
    ColumnDef {
        field: name,
        name,
        ty,
        nullable: c["nullable"].as_bool().unwrap_or(true),
        auto_increment: c["identity"].as_bool().unwrap_or(false),
        identity: schemasync::__private::Identity::ByDefault,
        default,
        comment: None,
        renamed_from: &[],
        generated: None,
    }
}

/// The spec's tables as models; with `changed`, the spec's change applied.
fn models(spec: &Value, changed: bool) -> Models {
    let change_tables: Vec<&str> =
        spec["change"]["tables"].as_array().map(|a| a.iter().filter_map(|t| t.as_str()).collect()).unwrap_or_default();
    let mut defs = Vec::new();
    for t in spec["tables"].as_array().expect("spec tables") {
        let name = leak(t["name"].as_str().unwrap_or(""));
        let mut cols: Vec<ColumnDef> = t["columns"].as_array().unwrap().iter().map(column).collect();
        if changed && change_tables.contains(&name) {
            cols.push(column(&spec["change"]["column"]));
        }
        let pk: Vec<&'static str> = t["columns"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|c| c["primary_key"].as_bool() == Some(true))
            .filter_map(|c| c["name"].as_str())
            .map(leak)
            .collect();
        let uniques: Vec<KeyDef> = t["unique"]
            .as_array()
            .unwrap()
            .iter()
            .map(|u| KeyDef { name: Some(leak(u["name"].as_str().unwrap())), columns: leak_list(&u["columns"]) })
            .collect();
        let indexes: Vec<IndexDef> = t["indexes"]
            .as_array()
            .unwrap()
            .iter()
            .map(|i| IndexDef {
                name: Some(leak(i["name"].as_str().unwrap())),
                columns: leak_list(&i["columns"]),
                unique: false,
                predicate: None,
                method: None,
                exprs: &[],
            })
            .collect();
        let fks: Vec<ForeignKeyDef> = t["foreign_keys"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| ForeignKeyDef {
                name: Some(leak(f["name"].as_str().unwrap())),
                columns: leak_list(&f["columns"]),
                ref_schema: None,
                ref_table: leak(f["ref_table"].as_str().unwrap()),
                ref_columns: leak_list(&f["ref_columns"]),
                on_delete: FkAction::NoAction,
                on_update: FkAction::NoAction,
            })
            .collect();
        let def: &'static TableDef = Box::leak(Box::new(TableDef {
            rust_type: name,
            module_path: "peer_bench::spec",
            name,
            schema: None,
            comment: None,
            renamed_from: &[],
            columns: Box::leak(cols.into_boxed_slice()),
            primary_key: Some(KeyDef { name: None, columns: Box::leak(pk.into_boxed_slice()) }),
            uniques: Box::leak(uniques.into_boxed_slice()),
            indexes: Box::leak(indexes.into_boxed_slice()),
            foreign_keys: Box::leak(fks.into_boxed_slice()),
            checks: &[],
        }));
        defs.push(def);
    }
    Models::new().with_defs(defs)
}

/// Empties the schema, then vacuums the catalog as the harness does: autovacuum may be
/// off, and dead catalog rows from earlier resets would slow every later catalog read.
async fn reset(db: &Db) {
    if let Db::Postgres(p) = db {
        sqlx::raw_sql("DROP SCHEMA public CASCADE; CREATE SCHEMA public").execute(p).await.expect("reset the schema");
        sqlx::raw_sql(
            "VACUUM pg_catalog.pg_class, pg_catalog.pg_attribute, pg_catalog.pg_constraint, pg_catalog.pg_index, \
             pg_catalog.pg_type, pg_catalog.pg_depend, pg_catalog.pg_attrdef, pg_catalog.pg_description",
        )
        .execute(p)
        .await
        .expect("vacuum the catalog");
    }
}

async fn marker(db: &Db, what: &str) {
    if let Db::Postgres(p) = db {
        sqlx::query(&format!("select '{what}'")).execute(p).await.expect("marker");
    }
}

fn median(v: &mut [f64]) -> f64 {
    v.sort_by(|a, b| a.partial_cmp(b).unwrap());
    v[v.len() / 2]
}

#[tokio::main(flavor = "current_thread")]
async fn main() {
    tracing::subscriber::set_global_default(tracing_subscriber::registry().with(Count)).expect("subscriber");
    let args: Vec<String> = std::env::args().collect();
    let arg = |k: &str| args.iter().position(|a| a == k).and_then(|i| args.get(i + 1)).cloned();
    match args.get(1).map(String::as_str) {
        Some("setup") => return,
        Some("run") | Some("compare") => {}
        _ => {
            eprintln!("usage: schemasync-peer-bench setup SPEC | run --spec FILE --db NAME [--runs R --warmup W --marker-noop] | compare --spec FILE --db NAME");
            std::process::exit(2);
        }
    }
    let spec: Value =
        serde_json::from_str(&std::fs::read_to_string(arg("--spec").expect("--spec")).expect("read spec"))
            .expect("spec JSON");
    let dbname = arg("--db").expect("--db");
    let runs: usize = arg("--runs").and_then(|r| r.parse().ok()).unwrap_or(5);
    let warmup: usize = arg("--warmup").and_then(|r| r.parse().ok()).unwrap_or(1);
    let env = |k: &str, d: &str| std::env::var(k).unwrap_or_else(|_| d.to_string());
    let url = format!(
        "postgres://{}@{}:{}/{dbname}",
        env("PGUSER", "postgres"),
        env("PGHOST", "127.0.0.1"),
        env("PGPORT", "5432")
    );
    let db = Db::connect(&url).await.expect("connect");
    let base = models(&spec, false);
    let changed = models(&spec, true);
    let additive = SyncOptions::new(Mode::Additive);
    let n = spec["n"].as_u64().unwrap_or(0);

    if args.get(1).map(String::as_str) == Some("compare") {
        let compared = base.diff(&db).await.expect("compare");
        for change in &compared.diff.changes {
            println!("{}", serde_json::to_string(change).expect("JSON"));
        }
        eprintln!(
            "{} difference(s), {} unmanaged table(s)",
            compared.diff.changes.len(),
            compared.diff.unmanaged.len()
        );
        return;
    }

    if args.iter().any(|a| a == "--marker-noop") {
        reset(&db).await;
        base.create_all(&db).await.expect("create");
        base.sync(&db, &additive).await.expect("warm");
        marker(&db, "BENCH_MARK_BEGIN schemasync-sync").await;
        base.sync(&db, &additive).await.expect("noop");
        marker(&db, "BENCH_MARK_END schemasync-sync").await;
        return;
    }

    let mut notes: Vec<String> = Vec::new();
    let (mut create, mut noop, mut add) = (Vec::new(), Vec::new(), Vec::new());
    let (mut create_statements, mut noop_statements, mut add_statements, mut noop_diffs) = (0, 0, 0, 0);
    for i in 0..warmup + runs {
        reset(&db).await;
        STATEMENTS.store(0, Ordering::SeqCst);
        let t = Instant::now();
        let created = base.create_all(&db).await.expect("create_all");
        let ms = t.elapsed().as_secs_f64() * 1000.0;
        create_statements = STATEMENTS.load(Ordering::SeqCst);
        if created.created().len() as u64 != n {
            notes.push(format!("create_all created {} of {n} tables", created.created().len()));
        }

        // A boot on a settled schema, as the floor's query is timed: the first catalog
        // read right after the DDL also pays for the server's hint bits on the new
        // catalog rows, which no later boot sees. Two untimed boots, then the median of
        // five.
        let mut samples = Vec::new();
        let mut again = None;
        for j in 0..7 {
            STATEMENTS.store(0, Ordering::SeqCst);
            let t = Instant::now();
            let report = base.sync(&db, &additive).await.expect("no-op sync");
            if j >= 2 {
                samples.push(t.elapsed().as_secs_f64() * 1000.0);
            }
            again = Some(report);
        }
        let again = again.expect("seven boots");
        let noop_ms = median(&mut samples);
        noop_statements = STATEMENTS.load(Ordering::SeqCst);
        noop_diffs = again.plan.steps.len();
        if !matches!(again.outcome, Outcome::NothingToDo) {
            notes.push(format!("no-op sync did something: {:?}", again.outcome));
        }

        reset(&db).await;
        base.create_all(&db).await.expect("base schema");
        STATEMENTS.store(0, Ordering::SeqCst);
        let t = Instant::now();
        let added = changed.sync(&db, &additive).await.expect("add sync");
        let add_ms = t.elapsed().as_secs_f64() * 1000.0;
        add_statements = STATEMENTS.load(Ordering::SeqCst);
        let expected = spec["change"]["tables"].as_array().map(|a| a.len()).unwrap_or(0);
        if added.plan.to_apply().count() != expected {
            notes.push(format!("add sync applied {} steps, expected {expected}", added.plan.to_apply().count()));
        }
        if i >= warmup {
            create.push(ms);
            noop.push(noop_ms);
            add.push(add_ms);
        }
    }
    reset(&db).await;
    notes.sort();
    notes.dedup();
    let line = serde_json::json!({
        "peer": "schemasync-sync",
        "n": n,
        "runs": runs,
        "version": format!("schemasync {}", env!("CARGO_PKG_VERSION")),
        "create_ms": median(&mut create.clone()),
        "noop_ms": median(&mut noop.clone()),
        "add_ms": median(&mut add.clone()),
        "noop_statements": noop_statements,
        "noop_diffs": noop_diffs,
        "create_statements": create_statements,
        "add_statements": add_statements,
        "how": {
            "create": "Models::create_all: catalog read, plan, lock, one transaction, history row",
            "noop": "Models::sync(Additive) on a matching, settled schema (median of 5 after 2 untimed): one catalog statement, diff, plan; nothing to apply, so no lock",
            "add": "Models::sync(Additive) with the changed models: read, plan, lock, re-read, one transaction, history row"
        },
        "samples": {"create": create, "noop": noop, "add": add},
        "notes": notes,
    });
    println!("{line}");
}
