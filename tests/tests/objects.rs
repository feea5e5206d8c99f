//! Objects real schemas have: generated (computed) columns and expression indexes, on
//! each backend that has them, compared with what another tool writes; and a model set
//! like a small SaaS app's, with no `sql_type` at all, on PostgreSQL.

#![allow(dead_code)] // the models here are only read through their table definitions

use schemasync::{Backend, Db, Error, Mode, Models, SyncOptions};
use schemasync_tests::{per_backend, TestDb};

mod computed {
    use schemasync::Table;

    #[derive(Table)]
    #[table(name = "ob_lines", index(expr = "lower(sku)", unique))]
    pub struct Line {
        #[column(primary_key)]
        pub id: i64,
        #[column(len = 40)]
        pub sku: String,
        pub price: i64,
        pub qty: i64,
        #[column(generated = "price * qty", stored)]
        pub total: Option<i64>,
    }

    pub mod v2 {
        use schemasync::Table;

        /// The generated expression changed.
        #[derive(Table)]
        #[table(name = "ob_lines", index(expr = "lower(sku)", unique))]
        pub struct Line {
            #[column(primary_key)]
            pub id: i64,
            #[column(len = 40)]
            pub sku: String,
            pub price: i64,
            pub qty: i64,
            #[column(generated = "price * qty + 1", stored)]
            pub total: Option<i64>,
        }
    }

    /// MariaDB indexes columns only: the same lookup through a generated column.
    #[derive(Table)]
    #[table(name = "ob_lines")]
    pub struct MyLine {
        #[column(primary_key)]
        pub id: i64,
        #[column(len = 40)]
        pub sku: String,
        pub price: i64,
        pub qty: i64,
        #[column(generated = "price * qty", stored)]
        pub total: Option<i64>,
        #[column(generated = "lower(sku)", unique, len = 40)]
        pub sku_key: Option<String>,
    }

    pub mod my_v2 {
        use schemasync::Table;

        #[derive(Table)]
        #[table(name = "ob_lines")]
        pub struct MyLine {
            #[column(primary_key)]
            pub id: i64,
            #[column(len = 40)]
            pub sku: String,
            pub price: i64,
            pub qty: i64,
            #[column(generated = "price * qty + 1", stored)]
            pub total: Option<i64>,
            #[column(generated = "lower(sku)", unique, len = 40)]
            pub sku_key: Option<String>,
        }
    }
}

fn lines(t: &TestDb) -> Models {
    match t.backend {
        Backend::MySql => Models::new().with::<computed::MyLine>(),
        _ => Models::new().with::<computed::Line>(),
    }
}

fn lines_v2(t: &TestDb) -> Models {
    match t.backend {
        Backend::MySql => Models::new().with::<computed::my_v2::MyLine>(),
        _ => Models::new().with::<computed::v2::Line>(),
    }
}

/// The database computes the column; the expression index (or, on MariaDB, the unique
/// generated column) is enforced; the read-back compares equal; a new expression is
/// applied in full mode and computes every row again.
async fn generated_columns_and_expression_indexes(t: &TestDb) {
    lines(t).sync(&t.db, &SyncOptions::new(Mode::Additive)).await.unwrap();
    lines(t).validate(&t.db).await.expect("in sync after create");
    t.exec("INSERT INTO ob_lines (id, sku, price, qty) VALUES (1, 'AB-1', 3, 4)").await;
    assert_eq!(t.count("SELECT total FROM ob_lines WHERE id = 1").await, 12);
    let duplicate = match &t.db {
        Db::Postgres(p) => {
            sqlx::query("INSERT INTO ob_lines (id, sku, price, qty) VALUES (2, 'ab-1', 1, 1)").execute(p).await.err()
        }
        Db::MySql(p) => {
            sqlx::query("INSERT INTO ob_lines (id, sku, price, qty) VALUES (2, 'ab-1', 1, 1)").execute(p).await.err()
        }
        Db::Sqlite(p) => {
            sqlx::query("INSERT INTO ob_lines (id, sku, price, qty) VALUES (2, 'ab-1', 1, 1)").execute(p).await.err()
        }
        _ => unreachable!(),
    };
    assert!(duplicate.is_some(), "lower(sku) is unique");

    let additive = lines_v2(t).sync(&t.db, &SyncOptions::new(Mode::Additive)).await.unwrap();
    let step =
        additive.plan.steps.iter().find(|s| s.summary.contains("generated")).expect("a step changes the expression");
    assert!(step.hazard_reason.contains("computes the generated column again"), "{}", additive.plan);
    lines_v2(t).sync(&t.db, &SyncOptions::new(Mode::Full).allow_everything()).await.unwrap();
    lines_v2(t).validate(&t.db).await.expect("in sync after the change");
    assert_eq!(t.count("SELECT total FROM ob_lines WHERE id = 1").await, 13);
}

/// The same objects written by hand, as another tool would, compare equal.
async fn generated_columns_another_tool_made_are_in_sync(t: &TestDb) {
    let ddl = match t.backend {
        Backend::Postgres => {
            "CREATE TABLE ob_lines (id bigint PRIMARY KEY, sku character varying(40) NOT NULL, price bigint NOT NULL, \
             qty bigint NOT NULL, total bigint GENERATED ALWAYS AS ((price * qty)) STORED); \
             CREATE UNIQUE INDEX ob_lines_sku_lower ON ob_lines (lower((sku)::text))"
        }
        Backend::MySql => {
            "CREATE TABLE ob_lines (id BIGINT NOT NULL PRIMARY KEY, sku VARCHAR(40) NOT NULL, price BIGINT NOT NULL, \
             qty BIGINT NOT NULL, total BIGINT AS (`price` * `qty`) PERSISTENT, \
             sku_key VARCHAR(40) AS (LOWER(`sku`)) VIRTUAL, UNIQUE KEY uq_sku (sku_key))"
        }
        Backend::Sqlite => {
            "CREATE TABLE ob_lines (id INTEGER PRIMARY KEY, sku VARCHAR(40) NOT NULL, price INTEGER NOT NULL, \
             qty INTEGER NOT NULL, total INTEGER AS (price*qty) STORED); \
             CREATE UNIQUE INDEX ob_sku ON ob_lines (LOWER(sku))"
        }
    };
    t.exec(ddl).await;
    let compared = lines(t).diff(&t.db).await.unwrap();
    assert!(compared.diff.is_empty(), "{:#?}", compared.diff.changes);
}

mod refused {
    use schemasync::Table;

    /// PostgreSQL 15 has stored generated columns only.
    #[derive(Table)]
    #[table(name = "ob_virtual")]
    pub struct Virtual {
        #[column(primary_key)]
        pub id: i64,
        pub price: i64,
        #[column(generated = "price * 2")]
        pub double: Option<i64>,
    }

    /// MariaDB indexes columns only.
    #[derive(Table)]
    #[table(name = "ob_expr", index(expr = "lower(name)"))]
    pub struct Expr {
        #[column(primary_key)]
        pub id: i64,
        #[column(len = 40)]
        pub name: String,
    }
}

/// What a backend cannot hold is an error naming the table, the column or index and
/// what to do, before anything is sent.
async fn what_a_backend_lacks_is_a_clear_error(t: &TestDb) {
    let (models, what) = match t.backend {
        Backend::Postgres => (Models::new().with::<refused::Virtual>(), "add `stored`"),
        Backend::MySql => (Models::new().with::<refused::Expr>(), "index a generated column"),
        Backend::Sqlite => return,
    };
    let err = models.sync(&t.db, &SyncOptions::new(Mode::Additive)).await.unwrap_err();
    assert!(matches!(err, Error::Unsupported { .. }), "{err:?}");
    assert!(err.to_string().contains(what), "{err}");
    assert!(t.table_names().await.iter().all(|n| !n.starts_with("ob_")), "nothing was created");
}

per_backend!(
    generated_columns_and_expression_indexes,
    generated_columns_another_tool_made_are_in_sync,
    what_a_backend_lacks_is_a_clear_error,
);
