//! No false differences: schemas that match compare equal however the database (or the
//! tool that wrote it) spells them, and differences that change behaviour are seen.
//! Each case was a false difference or a false "same" once; each runs on every backend
//! it concerns.

#![allow(dead_code)] // the models here are only read through their table definitions

use schemasync::{Backend, Change, Error, Mode, Models, Outcome, SyncOptions};
use schemasync_tests::{per_backend, TestDb};

/// Creates the models' tables, then checks that a comparison finds nothing and that a
/// second additive sync sends nothing.
async fn created_then_in_sync(t: &TestDb, models: &Models) {
    models.sync(&t.db, &SyncOptions::new(Mode::Additive)).await.unwrap_or_else(|e| panic!("{}: {e}", t.backend));
    let compared = models.diff(&t.db).await.unwrap();
    assert!(compared.diff.is_empty(), "{}: phantom differences:\n{:#?}", t.backend, compared.diff.changes);
    let again = models.sync(&t.db, &SyncOptions::new(Mode::Additive)).await.unwrap();
    assert!(matches!(again.outcome, Outcome::NothingToDo) && again.plan.steps.is_empty(), "{again}");
}

mod partial {
    use schemasync::Table;

    /// A partial index on two columns (SQLite's reader once lost its WHERE).
    #[derive(Table)]
    #[table(name = "fi_partial", index(a, b, where = "a IS NOT NULL AND b <> 'x, (y)'"))]
    pub struct Plain {
        #[column(primary_key)]
        pub id: i64,
        #[column(len = 20)]
        pub a: Option<String>,
        #[column(len = 20)]
        pub b: Option<String>,
    }

    /// A unique partial index on two columns (MySQL has no partial indexes).
    #[derive(Table)]
    #[table(name = "fi_partial_unique", index(a, b, unique, where = "deleted_at IS NULL"))]
    pub struct Unique {
        #[column(primary_key)]
        pub id: i64,
        #[column(len = 20)]
        pub a: Option<String>,
        pub b: Option<i64>,
        pub deleted_at: Option<chrono::NaiveDateTime>,
    }
}

async fn partial_indexes_on_two_columns(t: &TestDb) {
    created_then_in_sync(t, &Models::new().with::<partial::Plain>()).await;
    if t.backend != Backend::MySql {
        created_then_in_sync(t, &Models::new().with::<partial::Unique>()).await;
    }
}

mod numbers {
    use schemasync::Table;

    /// Numbers in exponent form, which servers store in plain decimal.
    #[derive(Table)]
    #[table(
        name = "fi_numbers",
        check = "price < 1e6",
        check(expr = "ratio < 1.5e-3 OR ratio >= 2E0", name = "fi_numbers_ratio")
    )]
    pub struct Numbers {
        #[column(primary_key)]
        pub id: i64,
        #[column(default = 1e3)]
        pub big: f64,
        #[column(default = 1e3)]
        pub count: i64,
        #[column(precision = 12, scale = 2, default = 2.50e1)]
        pub price: rust_decimal::Decimal,
        #[column(default = 0.5)]
        pub ratio: f64,
    }
}

async fn numbers_in_exponent_form(t: &TestDb) {
    created_then_in_sync(t, &Models::new().with::<numbers::Numbers>()).await;
}

mod rewritten_checks {
    use schemasync::Table;

    /// Checks MariaDB stores in another spelling (`NOT (qty = 3)` as `qty <> 3`, `%` as
    /// `MOD`, `lower` as `lcase`...), PostgreSQL deparses (`IN` as `= ANY`, `BETWEEN`
    /// as two comparisons...), and SQLite keeps as written.
    #[derive(Table)]
    #[table(
        name = "fi_checks",
        check = "NOT (qty = 3)",
        check = "qty % 2 = 0",
        check = "NOT (qty > 100 AND qty < 200)",
        check = "qty BETWEEN -10 AND 1000",
        check = "kind IN ('a', 'b')",
        check = "kind NOT IN ('z')",
        check = "name <> 'it''s'",
        check = "length(name) > 0",
        check = "lower(name) <> 'x'",
        check = "name LIKE '%a%' OR name IS NULL",
        check = "flag = TRUE OR qty >= 0"
    )]
    pub struct Checked {
        #[column(primary_key)]
        pub id: i64,
        pub qty: i32,
        #[column(len = 10)]
        pub kind: String,
        #[column(len = 50)]
        pub name: Option<String>,
        pub flag: bool,
    }
}

async fn checks_the_server_rewrites(t: &TestDb) {
    created_then_in_sync(t, &Models::new().with::<rewritten_checks::Checked>()).await;
}

mod sqlite_types {
    use schemasync::Table;

    /// A table as other tools write it for SQLite, with the type names SQLite's affinity
    /// rules name, and the model a user would write for it.
    #[derive(Table)]
    #[table(name = "fi_affinity")]
    pub struct Affinity {
        #[column(primary_key)]
        pub id: i64,
        #[column(len = 160)]
        pub a: String,
        #[column(len = 55)]
        pub b: Option<String>,
        pub c: Option<String>,
        pub d: Option<String>,
        pub e: Option<String>,
        pub f: Option<String>,
        pub g: Option<i32>,
        pub h: Option<i16>,
        pub i: Option<i32>,
        pub j: Option<i16>,
        pub k: Option<i64>,
        pub l: Option<i64>,
        pub m: Option<f64>,
        pub n: Option<f32>,
        #[column(precision = 10, scale = 2)]
        pub o: Option<rust_decimal::Decimal>,
        pub p: Option<chrono::NaiveDateTime>,
        pub q: Option<bool>,
        pub r: Option<chrono::NaiveDate>,
    }
}

/// SQLite compares what it enforces, the affinity: NVARCHAR(160) is the TEXT a
/// `len = 160` String declares, and never a "narrowing" to rebuild for.
async fn sqlite_type_names_other_tools_write(t: &TestDb) {
    if t.backend != Backend::Sqlite {
        return;
    }
    t.exec(
        "CREATE TABLE fi_affinity (id INTEGER NOT NULL PRIMARY KEY, a NVARCHAR(160) NOT NULL, b NCHAR(55), \
         c NATIVE CHARACTER(70), d VARYING CHARACTER(255), e CHARACTER(20), f CLOB, g INT, h TINYINT, i MEDIUMINT, \
         j INT2, k INT8, l UNSIGNED BIG INT, m DOUBLE PRECISION, n FLOAT, o DECIMAL(10,5), p DATETIME, q BOOLEAN, r DATE)",
    )
    .await;
    let models = Models::new().with::<sqlite_types::Affinity>();
    let compared = models.diff(&t.db).await.unwrap();
    assert!(compared.diff.is_empty(), "{:#?}", compared.diff.changes);
    let rebuild = models.sync(&t.db, &SyncOptions::new(Mode::Rebuild)).await.unwrap();
    assert!(matches!(rebuild.outcome, Outcome::NothingToDo), "a rebuild would wipe the data:\n{rebuild}");
    // A real change of affinity is still seen.
    t.exec("ALTER TABLE fi_affinity DROP COLUMN m; ALTER TABLE fi_affinity ADD COLUMN m TEXT").await;
    let compared = models.diff(&t.db).await.unwrap();
    let kinds: Vec<String> = compared.diff.changes.iter().map(|c| format!("{c:?}")).collect();
    assert!(
        compared.diff.changes.iter().any(|c| matches!(c, Change::AlterColumnType { column, .. } if column == "m")),
        "{kinds:#?}"
    );
}

per_backend!(
    partial_indexes_on_two_columns,
    numbers_in_exponent_form,
    checks_the_server_rewrites,
    sqlite_type_names_other_tools_write
);

mod qualified {
    use schemasync::Table;

    /// Types named with their schema, as pg_dump writes them.
    #[derive(Table)]
    #[table(name = "fi_qualified")]
    pub struct Qualified {
        #[column(primary_key)]
        pub id: i64,
        #[column(sql_type(postgres = "public.fi_mood", mysql = "varchar(10)", sqlite = "TEXT"))]
        pub mood: Option<String>,
        #[column(sql_type(postgres = "fi_extra.fi_color", mysql = "varchar(10)", sqlite = "TEXT"))]
        pub color: Option<String>,
    }
}

/// `public.fi_mood` in a model is the `fi_mood` the catalog reports, and so is a type of
/// another schema on the search path.
async fn schema_qualified_type_names(t: &TestDb) {
    if t.backend != Backend::Postgres {
        return;
    }
    let name = t.url.rsplit('/').next().unwrap().to_string();
    t.exec(&format!(
        "CREATE TYPE public.fi_mood AS ENUM ('sad', 'ok'); CREATE SCHEMA fi_extra; \
         CREATE TYPE fi_extra.fi_color AS ENUM ('red', 'green'); \
         ALTER DATABASE \"{name}\" SET search_path = \"$user\", public, fi_extra"
    ))
    .await;
    // A new pool: its sessions start with the new search path.
    let db = schemasync::Db::connect(&t.url).await.unwrap();
    let models = Models::new().with::<qualified::Qualified>();
    models.create_all(&db).await.unwrap();
    let compared = models.diff(&db).await.unwrap();
    assert!(compared.diff.is_empty(), "{:#?}", compared.diff.changes);
}

mod identity {
    use schemasync::Table;

    #[derive(Table)]
    #[table(name = "fi_identity")]
    pub struct Always {
        #[column(primary_key, auto_increment = "always")]
        pub id: i64,
        pub note: Option<String>,
    }

    pub mod by_default {
        use schemasync::Table;

        #[derive(Table)]
        #[table(name = "fi_identity")]
        pub struct ByDefault {
            #[column(primary_key, auto_increment)]
            pub id: i64,
            pub note: Option<String>,
        }
    }
}

/// GENERATED ALWAYS and BY DEFAULT behave differently on PostgreSQL, so they differ,
/// both ways; elsewhere both are the backend's one kind of auto-increment.
async fn identity_kinds(t: &TestDb) {
    let always = Models::new().with::<identity::Always>();
    let by_default = Models::new().with::<identity::by_default::ByDefault>();
    by_default.create_all(&t.db).await.unwrap();
    let compared = always.diff(&t.db).await.unwrap();
    if t.backend != Backend::Postgres {
        assert!(compared.diff.is_empty(), "{:#?}", compared.diff.changes);
        return;
    }
    assert!(
        matches!(
            compared.diff.changes.as_slice(),
            [Change::AlterIdentity { to: schemasync::schema::Identity::Always, .. }]
        ),
        "{:#?}",
        compared.diff.changes
    );
    always.sync(&t.db, &SyncOptions::new(Mode::Full).allow_everything()).await.unwrap();
    always.validate(&t.db).await.unwrap();
    t.exec("INSERT INTO fi_identity (note) VALUES ('generated')").await;
    let explicit = match &t.db {
        schemasync::Db::Postgres(p) => {
            sqlx::query("INSERT INTO fi_identity (id, note) VALUES (100, 'x')").execute(p).await
        }
        _ => unreachable!(),
    };
    assert!(explicit.is_err(), "GENERATED ALWAYS refuses an explicit id");
    let back = by_default.diff(&t.db).await.unwrap();
    assert!(
        matches!(
            back.diff.changes.as_slice(),
            [Change::AlterIdentity { to: schemasync::schema::Identity::ByDefault, .. }]
        ),
        "{:#?}",
        back.diff.changes
    );
    // Back to BY DEFAULT is safe: additive mode applies it.
    by_default.sync(&t.db, &SyncOptions::new(Mode::Additive)).await.unwrap();
    by_default.validate(&t.db).await.unwrap();
}

mod methods {
    use schemasync::Table;

    #[derive(Table)]
    #[table(name = "fi_docs", index(doc, using = "gin"))]
    pub struct GinDocs {
        #[column(primary_key)]
        pub id: i64,
        pub doc: Option<serde_json::Value>,
    }

    #[derive(Table)]
    #[table(name = "fi_posts", index(body, using = "fulltext"))]
    pub struct FullText {
        #[column(primary_key)]
        pub id: i64,
        pub body: String,
    }

    #[derive(Table)]
    #[table(name = "fi_plain", index(body))]
    pub struct Plain {
        #[column(primary_key)]
        pub id: i64,
        #[column(len = 100)]
        pub body: String,
    }
}

/// An index's access method is compared: a GIN index is not the B-tree a model
/// declares. A method the backend lacks is refused before any SQL is sent.
async fn index_methods(t: &TestDb) {
    match t.backend {
        Backend::Postgres => {
            let models = Models::new().with::<methods::GinDocs>();
            created_then_in_sync(t, &models).await;
            t.exec("DROP INDEX fi_docs_doc_idx; CREATE INDEX fi_docs_doc_idx ON fi_docs USING btree (doc)").await;
            let compared = models.diff(&t.db).await.unwrap();
            assert_eq!(compared.diff.changes.len(), 2, "{:#?}", compared.diff.changes);
        }
        Backend::MySql => created_then_in_sync(t, &Models::new().with::<methods::FullText>()).await,
        Backend::Sqlite => {
            let err = Models::new().with::<methods::GinDocs>().create_all(&t.db).await.unwrap_err();
            let msg = err.to_string();
            assert!(
                matches!(err, Error::Unsupported { .. }) && msg.contains("fi_docs") && msg.contains("gin"),
                "{msg}"
            );
            assert!(t.table_names().await.is_empty(), "nothing is sent");
        }
    }
}

mod precision {
    use schemasync::Table;

    /// `DATETIME` and `TIME` with no fraction: a model can say it.
    #[derive(Table)]
    #[table(name = "fi_times")]
    pub struct Whole {
        #[column(primary_key)]
        pub id: i64,
        #[column(precision = 0, default_sql = "CURRENT_TIMESTAMP")]
        pub at: chrono::NaiveDateTime,
        #[column(precision = 0)]
        pub clock: Option<chrono::NaiveTime>,
        #[column(precision = 3)]
        pub stamp: Option<chrono::DateTime<chrono::Utc>>,
    }

    pub mod fine {
        use schemasync::Table;

        #[derive(Table)]
        #[table(name = "fi_times")]
        pub struct Fine {
            #[column(primary_key)]
            pub id: i64,
            #[column(default_sql = "CURRENT_TIMESTAMP")]
            pub at: chrono::NaiveDateTime,
            pub clock: Option<chrono::NaiveTime>,
            #[column(precision = 3)]
            pub stamp: Option<chrono::DateTime<chrono::Utc>>,
        }
    }
}

/// Fractional-seconds precision is compared; more digits is a widening.
async fn time_precision(t: &TestDb) {
    let whole = Models::new().with::<precision::Whole>();
    created_then_in_sync(t, &whole).await;
    if t.backend == Backend::MySql {
        let types = t
            .strings("SELECT CAST(COLUMN_TYPE AS CHAR) FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'fi_times' ORDER BY ORDINAL_POSITION")
            .await;
        assert_eq!(types[1..], ["datetime", "time", "datetime(3)"]);
    }
    let fine = Models::new().with::<precision::fine::Fine>().diff(&t.db).await.unwrap();
    if t.backend == Backend::Sqlite {
        assert!(fine.diff.is_empty(), "SQLite stores no precision: {:#?}", fine.diff.changes);
        return;
    }
    let widenings: Vec<bool> = fine
        .diff
        .changes
        .iter()
        .map(|c| match c {
            Change::AlterColumnType { widening, .. } => *widening,
            other => panic!("unexpected {other:?}"),
        })
        .collect();
    assert_eq!(widenings, [true, true], "{:#?}", fine.diff.changes);
}

per_backend!(schema_qualified_type_names, identity_kinds, index_methods, time_precision);

mod converge {
    use schemasync::Table;

    #[derive(Table)]
    #[table(name = "fi_converge")]
    pub struct Notes {
        #[column(primary_key)]
        pub id: i64,
        pub note: Option<String>,
    }
}

/// A false difference made on purpose (the catalog is told to hide a column that
/// exists) can cost one wasted apply at most: rebuild mode drops at most once, the
/// next boot refuses with the same error, and the data is kept.
async fn an_unconverged_apply_is_never_repeated(t: &TestDb) {
    let models = Models::new().with::<converge::Notes>();
    models.create_all(&t.db).await.unwrap();
    t.exec("INSERT INTO fi_converge (id, note) VALUES (1, 'kept')").await;
    let mut rebuild = SyncOptions::new(Mode::Rebuild);
    rebuild.test_hide_column = Some(("fi_converge".into(), "note".into()));

    let first = models.sync(&t.db, &rebuild).await.unwrap_err();
    let Error::Unconverged { rolled_back, ref report, .. } = first else { panic!("{first:?}") };
    let msg = first.to_string();
    assert!(msg.contains("schemasync bug") && msg.contains("column note") && msg.contains("run_id"), "{msg}");
    assert!(!report.in_sync);
    // Transactional backends roll the rebuild back; MySQL cannot, so its rows went once.
    let rows = t.count("SELECT count(*) FROM fi_converge").await;
    assert_eq!(rolled_back, t.backend != Backend::MySql);
    assert_eq!(rows, if rolled_back { 1 } else { 0 });
    t.exec("INSERT INTO fi_converge (id, note) VALUES (2, 'added after the first boot')").await;

    let second = models.sync(&t.db, &rebuild).await.unwrap_err();
    assert!(matches!(second, Error::Unconverged { .. }), "{second:?}");
    assert_eq!(t.count("SELECT count(*) FROM fi_converge WHERE id = 2").await, 1, "the second boot drops nothing");
    assert_eq!(t.count("SELECT count(*) FROM schemasync_history WHERE converged = FALSE").await, 1);
    // Without the false difference, all is well.
    assert!(models.validate(&t.db).await.unwrap().in_sync);
}

/// On SQLite, a new nullable column is added in place even when the same table has a
/// pending rebuild for something else.
async fn a_safe_step_never_waits_behind_a_pending_rebuild(t: &TestDb) {
    t.exec("CREATE TABLE fi_rebuild (id BIGINT PRIMARY KEY, qty INTEGER NOT NULL)").await;
    t.exec("INSERT INTO fi_rebuild (id, qty) VALUES (1, 5)").await;
    let models = Models::new().with::<rebuild::Later>();
    let report = models.sync(&t.db, &SyncOptions::new(Mode::Additive)).await.unwrap_or_else(|e| panic!("{e}"));
    assert!(matches!(report.outcome, Outcome::Applied { .. }), "{report}");
    assert!(report.absent.is_empty(), "{report}");
    assert_eq!(t.count("SELECT count(*) FROM fi_rebuild WHERE extra IS NULL AND qty = 5").await, 1);
    if t.backend == Backend::Sqlite {
        assert!(
            report.plan.steps.iter().any(|s| s.rebuild && s.disposition != schemasync::plan::Disposition::Apply),
            "{report}"
        );
    }
}

mod rebuild {
    use schemasync::Table;

    #[derive(Table)]
    #[table(name = "fi_rebuild", check = "qty >= 0")]
    pub struct Later {
        #[column(primary_key)]
        pub id: i64,
        pub qty: i32,
        pub extra: Option<String>,
    }
}

per_backend!(an_unconverged_apply_is_never_repeated, a_safe_step_never_waits_behind_a_pending_rebuild);
