//! How long a schema change stalls the other queries on a busy table.
//!
//! ```text
//! schemasync-lock-bench [postgres|mysql] [--reader-secs S] [--instances N]
//! ```
//!
//! A long reader holds a table open (a transaction that read it) for S seconds (default
//! 12). Meanwhile N instances (default 4) boot at once, each with its own pool, with
//! models that add a column to that table, and a client queries the table by its key
//! every 20 ms. Its DDL must wait for the reader, and while it waits, every later query
//! on the table queues behind it. The bench prints, for two settings of the same boot,
//! how long the client's queries were stalled: the longest single stall, the total, and
//! when (or whether) the column was added:
//!
//! - `retried`: the defaults, a 2 s lock wait per attempt, retried 5 times with
//!   jittered backoff;
//! - `one long wait`: one 10 s lock wait, no retry.
//!
//! Server URLs as for the tests: `SCHEMASYNC_TEST_POSTGRES_URL`,
//! `SCHEMASYNC_TEST_MYSQL_URL`. A database of its own is created and dropped.

use schemasync::model::{ColumnDef, KeyDef, TableDef, TypeDef};
use schemasync::schema::Identity;
use schemasync::{Backend, Db, Mode, Models, Outcome, SyncOptions};
use std::time::{Duration, Instant};

fn column(name: &'static str, ty: TypeDef, nullable: bool) -> ColumnDef {
    ColumnDef {
        field: name,
        name,
        ty,
        nullable,
        auto_increment: false,
        identity: Identity::ByDefault,
        default: None,
        comment: None,
        renamed_from: &[],
        generated: None,
    }
}

fn table(columns: &'static [ColumnDef]) -> &'static TableDef {
    Box::leak(Box::new(TableDef {
        rust_type: "Item",
        module_path: "lock_bench",
        name: "lb_items",
        schema: None,
        comment: None,
        renamed_from: &[],
        columns,
        primary_key: Some(KeyDef { name: None, columns: &["id"] }),
        uniques: &[],
        indexes: &[],
        foreign_keys: &[],
        checks: &[],
    }))
}

fn v1() -> Models {
    let cols: &'static [ColumnDef] =
        Box::leak(Box::new([column("id", TypeDef::BigInt, false), column("name", TypeDef::Varchar(40), false)]));
    Models::new().with_defs(vec![table(cols)])
}

fn v2() -> Models {
    let cols: &'static [ColumnDef] = Box::leak(Box::new([
        column("id", TypeDef::BigInt, false),
        column("name", TypeDef::Varchar(40), false),
        column("note", TypeDef::Text, true),
    ]));
    Models::new().with_defs(vec![table(cols)])
}

fn server_url(backend: Backend) -> String {
    match backend {
        Backend::Postgres => std::env::var("SCHEMASYNC_TEST_POSTGRES_URL")
            .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/test".into()),
        _ => std::env::var("SCHEMASYNC_TEST_MYSQL_URL").unwrap_or_else(|_| "mysql://root@127.0.0.1:3306/test".into()),
    }
}

fn with_database(url: &str, name: &str) -> String {
    let (base, query) = url.split_once('?').map(|(b, q)| (b, format!("?{q}"))).unwrap_or((url, String::new()));
    let start = base.find("://").map(|i| i + 3).unwrap_or(0);
    let root = base[start..].find('/').map(|i| &base[..start + i]).unwrap_or(base);
    format!("{root}/{name}{query}")
}

async fn exec(db: &Db, sql: &str) -> Result<(), sqlx::Error> {
    match db {
        Db::Postgres(p) => sqlx::raw_sql(sql).execute(p).await.map(|_| ()),
        Db::MySql(p) => sqlx::raw_sql(sql).execute(p).await.map(|_| ()),
        Db::Sqlite(p) => sqlx::raw_sql(sql).execute(p).await.map(|_| ()),
        _ => unreachable!("the three backends"),
    }
}

/// A connection that holds the table open in a transaction for `hold`.
async fn long_reader(db: &Db, hold: Duration) {
    let sql = "SELECT count(*) FROM lb_items";
    match db {
        Db::Postgres(p) => {
            let mut tx = p.begin().await.expect("a transaction");
            sqlx::raw_sql(sql).execute(&mut *tx).await.expect("the read");
            tokio::time::sleep(hold).await;
            tx.commit().await.expect("commit");
        }
        Db::MySql(p) => {
            let mut tx = p.begin().await.expect("a transaction");
            sqlx::raw_sql(sql).execute(&mut *tx).await.expect("the read");
            tokio::time::sleep(hold).await;
            tx.commit().await.expect("commit");
        }
        _ => unreachable!("server backends only"),
    }
}

/// Figures of one run.
struct Run {
    longest_stall: Duration,
    total_stall: Duration,
    window: Duration,
    applied_after: Option<Duration>,
    failures: Vec<String>,
}

async fn one_run(backend: Backend, admin: &str, label: &str, options: SyncOptions, reader: Duration, n: usize) -> Run {
    let name = format!("lb_{}_{}", label.replace(' ', "_"), std::process::id());
    let admin_db = Db::connect(admin).await.expect("the server");
    let q = if backend == Backend::MySql { format!("`{name}`") } else { format!("\"{name}\"") };
    let _ = exec(&admin_db, &format!("DROP DATABASE IF EXISTS {q}")).await;
    exec(&admin_db, &format!("CREATE DATABASE {q}")).await.expect("create the database");
    let url = with_database(admin, &name);
    let db = Db::connect(&url).await.expect("the database");
    v1().create_all(&db).await.expect("v1");
    exec(&db, "INSERT INTO lb_items (id, name) VALUES (1, 'one'), (2, 'two')").await.expect("rows");

    let started = Instant::now();
    let reader_run = long_reader(&db, reader);

    // The client: one query by key every 20 ms until the reader is done and the boots end.
    let client = async {
        tokio::time::sleep(Duration::from_millis(200)).await;
        let mut longest = Duration::ZERO;
        let mut total = Duration::ZERO;
        let until = Instant::now() + reader + Duration::from_secs(60);
        while Instant::now() < until && !STOP.load(std::sync::atomic::Ordering::SeqCst) {
            let t = Instant::now();
            let _ = exec(&db, "SELECT name FROM lb_items WHERE id = 1").await;
            // A query on two rows by key takes well under 20 ms; the rest is waiting.
            let stalled = t.elapsed().saturating_sub(Duration::from_millis(20));
            longest = longest.max(stalled);
            total += stalled;
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        (longest, total)
    };

    let boots = async {
        tokio::time::sleep(Duration::from_millis(500)).await;
        let mut tasks = Vec::new();
        for _ in 0..n {
            let url = url.clone();
            let options = options.clone();
            tasks.push(tokio::spawn(async move {
                let db = Db::connect(&url).await.map_err(|e| e.to_string())?;
                let r = v2().sync(&db, &options).await.map(|r| r.outcome).map_err(|e| e.to_string());
                db.close().await;
                r.map(|o| (o, Instant::now()))
            }));
        }
        let mut failures = Vec::new();
        let mut applied_at = None;
        for task in tasks {
            match task.await.expect("a boot task") {
                Ok((Outcome::Applied { .. }, at)) => applied_at = Some(at),
                Ok(_) => {}
                Err(e) => failures.push(e.lines().next().unwrap_or_default().to_string()),
            }
        }
        (failures, applied_at)
    };
    let reader_then_boots = async {
        let ((), done) = tokio::join!(reader_run, boots);
        STOP.store(true, std::sync::atomic::Ordering::SeqCst);
        done
    };
    let ((failures, applied_at), (longest_stall, total_stall)) = tokio::join!(reader_then_boots, client);
    STOP.store(false, std::sync::atomic::Ordering::SeqCst);
    let window = started.elapsed();
    db.close().await;
    let _ = exec(&admin_db, &format!("DROP DATABASE IF EXISTS {q}")).await;
    Run { longest_stall, total_stall, window, applied_after: applied_at.map(|at| at - started), failures }
}

static STOP: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

#[tokio::main]
async fn main() {
    let mut args = std::env::args().skip(1);
    let mut backend = Backend::Postgres;
    let mut reader = Duration::from_secs(12);
    let mut n = 4;
    while let Some(a) = args.next() {
        match a.as_str() {
            "postgres" => backend = Backend::Postgres,
            "mysql" | "mariadb" => backend = Backend::MySql,
            "--reader-secs" => reader = Duration::from_secs(args.next().and_then(|v| v.parse().ok()).unwrap_or(12)),
            "--instances" => n = args.next().and_then(|v| v.parse().ok()).unwrap_or(4),
            other => {
                eprintln!("unknown argument `{other}`; usage: schemasync-lock-bench [postgres|mysql] [--reader-secs S] [--instances N]");
                std::process::exit(2);
            }
        }
    }
    let admin = server_url(backend);
    println!(
        "{backend}: a reader holds lb_items for {} s; {n} instances boot at once to add a column; a client queries the table every 20 ms",
        reader.as_secs()
    );
    println!(
        "{:<15} {:>14} {:>14} {:>14} {:>16}  failures",
        "setting", "longest stall", "total stall", "window", "column added at"
    );
    let settings = [
        ("retried", SyncOptions::new(Mode::Additive)),
        (
            "one long wait",
            SyncOptions::new(Mode::Additive)
                .ddl_timeouts(Duration::from_secs(10), Duration::from_secs(300))
                .ddl_retries(0),
        ),
    ];
    for (label, options) in settings {
        let r = one_run(backend, &admin, label, options, reader, n).await;
        println!(
            "{:<15} {:>12.1} s {:>12.1} s {:>12.1} s {:>16}  {}",
            label,
            r.longest_stall.as_secs_f64(),
            r.total_stall.as_secs_f64(),
            r.window.as_secs_f64(),
            r.applied_after.map(|d| format!("{:.1} s", d.as_secs_f64())).unwrap_or_else(|| "never".into()),
            if r.failures.is_empty() { "0".to_string() } else { format!("{}: {}", r.failures.len(), r.failures[0]) }
        );
    }
}
