//! Catalog reads are batched: the number of queries one introspection sends is a small
//! constant per backend, the same for 5 tables as for 200. Counted from sqlx's own
//! per-statement tracing events, not from what schemasync reports about itself.
//!
//! One test function, backends in turn, so that no other test's queries are counted.

use schemasync::{catalog, Backend};
use schemasync_tests::TestDb;
use std::sync::atomic::{AtomicUsize, Ordering};
use tracing_subscriber::layer::SubscriberExt;

static QUERIES: AtomicUsize = AtomicUsize::new(0);
/// Transaction control and bounds around a catalog read (PostgreSQL reads the catalog in
/// a transaction of its own: BEGIN, SET LOCAL, the statement, COMMIT).
static CONTROL: AtomicUsize = AtomicUsize::new(0);

struct CountQueries;

/// Reads sqlx's `summary` field: the start of the statement.
struct Summary(String);

impl tracing::field::Visit for Summary {
    fn record_debug(&mut self, field: &tracing::field::Field, value: &dyn std::fmt::Debug) {
        if field.name() == "summary" {
            self.0 = format!("{value:?}");
        }
    }

    fn record_str(&mut self, field: &tracing::field::Field, value: &str) {
        if field.name() == "summary" {
            self.0 = value.to_string();
        }
    }
}

impl<S: tracing::Subscriber> tracing_subscriber::Layer<S> for CountQueries {
    fn on_event(&self, event: &tracing::Event<'_>, _: tracing_subscriber::layer::Context<'_, S>) {
        if event.metadata().target() != "sqlx::query" {
            return;
        }
        let mut summary = Summary(String::new());
        event.record(&mut summary);
        // A pool opening a connection sends set-up statements (SQLite PRAGMAs, MySQL's
        // SET sql_mode/time_zone/NAMES) that are not catalog reads; everything else is.
        // (A catalog read may start with its bounds: PostgreSQL's `SET LOCAL ..; SELECT`.)
        let statement = summary.0.trim_start_matches('"').trim_start().to_ascii_uppercase();
        let setup =
            ["PRAGMA", "SET SQL_MODE", "SET NAMES", "SET TIME_ZONE", "SET @@"].iter().any(|p| statement.starts_with(p));
        let control = ["BEGIN", "COMMIT", "ROLLBACK", "SET LOCAL"].iter().any(|p| statement.starts_with(p));
        if control {
            CONTROL.fetch_add(1, Ordering::SeqCst);
        } else if !setup {
            QUERIES.fetch_add(1, Ordering::SeqCst);
        }
    }
}

/// `n` tables, each with a primary key, a foreign key to the previous one, a unique
/// constraint, an index and a check: every kind of object the catalog reads.
fn tables_sql(backend: Backend, from: usize, to: usize) -> String {
    let mut sql = String::new();
    for i in from..to {
        let fk = if i > 0 { format!(", parent_id INTEGER REFERENCES qc_{:03} (id)", i - 1) } else { String::new() };
        sql.push_str(&format!(
            "CREATE TABLE qc_{i:03} (id INTEGER PRIMARY KEY, code VARCHAR(20) NOT NULL UNIQUE, n INTEGER DEFAULT 0 CHECK (n >= 0){fk});\n\
             CREATE INDEX qc_{i:03}_n ON qc_{i:03} (n);\n"
        ));
    }
    if backend == Backend::MySql {
        sql = sql.replace("INTEGER REFERENCES", "INTEGER, FOREIGN KEY (parent_id) REFERENCES");
    }
    sql
}

/// (catalog statements, transaction control statements, tables found).
async fn count_introspection(t: &TestDb) -> (usize, usize, usize) {
    // Warm up: opening pool connections sends set-up statements of its own.
    catalog::introspect(&t.db, &[]).await.unwrap();
    QUERIES.store(0, Ordering::SeqCst);
    CONTROL.store(0, Ordering::SeqCst);

    let found = catalog::introspect(&t.db, &[]).await.unwrap();
    (QUERIES.load(Ordering::SeqCst), CONTROL.load(Ordering::SeqCst), found.schema.tables.len())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn catalog_queries_do_not_grow_with_tables() {
    tracing::subscriber::set_global_default(tracing_subscriber::registry().with(CountQueries)).unwrap();
    for backend in [Backend::Sqlite, Backend::Postgres, Backend::MySql] {
        let Some(t) = TestDb::fresh(backend).await else {
            continue;
        };
        t.exec(&tables_sql(backend, 0, 5)).await;
        let (small, small_control, tables) = count_introspection(&t).await;
        assert_eq!(tables, 5);
        t.exec(&tables_sql(backend, 5, 200)).await;
        let (large, large_control, tables) = count_introspection(&t).await;
        assert_eq!(tables, 200);
        assert_eq!(small_control, large_control, "{backend}: transaction control grew with the tables");
        assert!(large_control <= 2, "{backend}: {large_control} control statements around one read");
        assert!(small > 0, "{backend}: no query was counted; is sqlx's statement logging on?");
        assert_eq!(small, large, "{backend}: {small} catalog queries for 5 tables but {large} for 200");
        assert_eq!(
            large,
            catalog::queries_per_introspection(backend),
            "{backend}: the README's documented count is wrong"
        );
        println!("{backend}: {large} catalog queries for 5 and for 200 tables");
    }
}
