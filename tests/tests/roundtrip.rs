#![allow(dead_code)] // the models here are only read through their table definitions
//! The central invariant, on each backend: create from the models, read the catalog,
//! diff -> nothing.

use schemasync_tests::{kitchen_sink, per_backend, TestDb};

async fn create_then_diff_is_empty(t: &TestDb) {
    let models = kitchen_sink::models();
    models.create_all(&t.db).await.unwrap();
    let compared = models.diff(&t.db).await.unwrap();
    assert!(compared.diff.is_empty(), "{}: phantom diff after create_all:\n{:#?}", t.backend, compared.diff.changes);
    assert!(compared.diff.unmanaged.is_empty(), "{:?}", compared.diff.unmanaged);
    assert_eq!(compared.actual.tables.len(), 6);
}

per_backend!(create_then_diff_is_empty);

/// Hand-written DDL equivalent to the models, written the way a DBA or another tool
/// would write it, also diffs empty.
async fn handwritten_schema_diffs_empty(t: &TestDb) {
    let sql = match t.backend {
        schemasync::Backend::Postgres => include_str!("../sql/handwritten_postgres.sql"),
        schemasync::Backend::MySql => include_str!("../sql/handwritten_mysql.sql"),
        schemasync::Backend::Sqlite => include_str!("../sql/handwritten_sqlite.sql"),
    };
    for statement in
        sql.split(";\n").map(str::trim).filter(|s| !s.is_empty() && !s.lines().all(|l| l.starts_with("--")))
    {
        t.exec(statement).await;
    }
    let compared = kitchen_sink::models().diff(&t.db).await.unwrap();
    assert!(
        compared.diff.is_empty() && compared.diff.unmanaged.is_empty(),
        "{}: the hand-written schema should match the models, but:\n{:#?}\nunmanaged: {:?}",
        t.backend,
        compared.diff.changes,
        compared.diff.unmanaged
    );
}

per_backend!(handwritten_schema_diffs_empty);

mod plain_keys {
    use schemasync::Table;

    /// A plain i32 primary key (no auto_increment): on SQLite an INTEGER PRIMARY KEY is
    /// the rowid and generates values by itself.
    #[derive(Table)]
    #[table(name = "rt_plain")]
    pub struct Plain {
        #[column(primary_key)]
        pub id: i32,
        pub note: Option<String>,
    }
}

/// A model whose key the backend makes generate values by itself is still in sync.
async fn implicit_rowid_key_is_not_drift(t: &TestDb) {
    let models = schemasync::Models::new().with::<plain_keys::Plain>();
    models.create_all(&t.db).await.unwrap();
    let compared = models.diff(&t.db).await.unwrap();
    assert!(compared.diff.is_empty(), "{}: {:#?}", t.backend, compared.diff.changes);
}

per_backend!(implicit_rowid_key_is_not_drift);

/// A snapshot: the live schema, read from the catalog and rendered as DDL
/// (`schema.sql`), recreates a database that matches the models.
async fn live_schema_exports_as_ddl(t: &TestDb) {
    let models = kitchen_sink::models();
    models.create_all(&t.db).await.unwrap();
    let live = models.introspect(&t.db).await.unwrap();
    let mut snapshot = live.schema.clone();
    snapshot.tables.retain(|t| t.name != "schemasync_history");
    let sql = schemasync::render::create_all(&snapshot, t.backend).unwrap();
    let json = serde_json::to_string(&snapshot).unwrap();
    assert!(json.contains("ks_users"), "the snapshot serialises");

    let copy = TestDb::fresh(t.backend).await.expect("a second database");
    let script: Vec<String> = sql.iter().map(|s| s.sql.clone()).collect();
    copy.exec(&script.join(";\n")).await;
    let compared = models.diff(&copy.db).await.unwrap();
    assert!(
        compared.diff.is_empty(),
        "{}: the exported DDL differs from the models:\n{:#?}",
        t.backend,
        compared.diff.changes
    );
}

per_backend!(live_schema_exports_as_ddl);
