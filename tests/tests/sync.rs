//! The sync engine on each backend: modes, the plan, the safe apply and the history.

#![allow(dead_code)] // the models here are only read through their table definitions

use schemasync::plan::Disposition;
use schemasync::{Backend, Error, Mode, Models, Outcome, SyncOptions};
use schemasync_tests::{per_backend, TestDb};

mod v1 {
    use schemasync::Table;

    #[derive(Table)]
    #[table(name = "sy_customers")]
    pub struct Customer {
        #[column(primary_key, auto_increment)]
        pub id: i64,
        #[column(len = 100)]
        pub name: String,
        pub legacy_code: Option<String>,
    }
}

/// v1 plus a nullable column, a column with a default, an index and a new table, and
/// minus `legacy_code` (a destructive difference).
mod v2 {
    use schemasync::Table;

    #[derive(Table)]
    #[table(name = "sy_customers", index(name))]
    pub struct Customer {
        #[column(primary_key, auto_increment)]
        pub id: i64,
        #[column(len = 100)]
        pub name: String,
        pub nickname: Option<String>,
        #[column(default = 0)]
        pub loyalty_points: i32,
    }

    #[derive(Table)]
    #[table(name = "sy_orders")]
    pub struct Order {
        #[column(primary_key, auto_increment)]
        pub id: i64,
        #[column(references = "sy_customers(id)", on_delete = "cascade")]
        pub customer_id: i64,
        #[column(default = 0)]
        pub total_cents: i64,
    }
}

/// v1 plus a NOT NULL column without a default, and a new table.
mod required {
    use schemasync::Table;

    #[derive(Table)]
    #[table(name = "sy_customers")]
    pub struct Customer {
        #[column(primary_key, auto_increment)]
        pub id: i64,
        #[column(len = 100)]
        pub name: String,
        pub legacy_code: Option<String>,
        #[column(len = 20)]
        pub tier: String,
    }

    #[derive(Table)]
    #[table(name = "sy_audit")]
    pub struct Audit {
        #[column(primary_key, auto_increment)]
        pub id: i64,
    }
}

/// v1 plus a new table and a check the existing rows break: the plan creates the
/// table first, then fails on the check.
mod failing {
    use schemasync::Table;

    #[derive(Table)]
    #[table(name = "sy_notes")]
    pub struct Note {
        #[column(primary_key, auto_increment)]
        pub id: i64,
        pub body: Option<String>,
    }

    /// Every server refuses a check calling a function it does not have, and
    /// nothing in the catalog can foresee it: this step fails only when it runs.
    #[derive(Table)]
    #[table(name = "sy_zz_broken", check = "no_such_function(body) > 0")]
    pub struct Broken {
        #[column(primary_key, auto_increment)]
        pub id: i64,
        pub body: Option<String>,
    }
}

fn v1() -> Models {
    Models::new().with::<v1::Customer>()
}

fn v2() -> Models {
    Models::new().with::<v2::Customer>().with::<v2::Order>()
}

async fn seed_v1(t: &TestDb) {
    v1().create_all(&t.db).await.unwrap();
    t.exec("INSERT INTO sy_customers (name, legacy_code) VALUES ('Ada', 'A-1')").await;
    t.exec("INSERT INTO sy_customers (name, legacy_code) VALUES ('Grace', NULL)").await;
}

fn history(t: &TestDb) -> &'static str {
    let _ = t;
    "SELECT count(*) FROM schemasync_history"
}

/// Additive mode applies only safe steps: rows inserted before the models gained
/// columns and a table are all there after, with the same values; the removed
/// column stays, reported as pending; no destructive statement is sent.
async fn additive_keeps_data(t: &TestDb) {
    seed_v1(t).await;
    let report = v2().sync(&t.db, &SyncOptions::new(Mode::Additive)).await.unwrap();
    assert!(matches!(report.outcome, Outcome::Applied { .. }), "{report}");
    let sent: Vec<String> = report.statements_sent().into_iter().map(|s| s.sql.to_uppercase()).collect();
    assert!(!sent.is_empty());
    for sql in &sent {
        assert!(!sql.contains("DROP ") && !sql.contains("MODIFY"), "additive sent a destructive statement: {sql}");
    }
    let rows = t.strings("SELECT name FROM sy_customers ORDER BY id").await;
    assert_eq!(rows, ["Ada", "Grace"]);
    assert_eq!(t.strings("SELECT legacy_code FROM sy_customers WHERE legacy_code IS NOT NULL").await, ["A-1"]);
    assert_eq!(t.count("SELECT count(*) FROM sy_customers WHERE nickname IS NULL AND loyalty_points = 0").await, 2);
    assert_eq!(t.count("SELECT count(*) FROM sy_orders").await, 0);
    let text = report.to_string();
    assert!(
        text.contains("drop column legacy_code") && text.contains("pending: not applied in additive mode"),
        "{text}"
    );
    assert!(text.contains("+ sy_orders: create table"), "{text}");
    assert_eq!(report.plan.counts().pending, 1, "{text}");
    // The drop is still the one difference left.
    let drift = v2().drift(&t.db).await.unwrap();
    assert_eq!(drift.changes.len(), 1, "{drift}");
}

/// A second sync finds nothing to do and sends no DDL.
async fn second_sync_sends_nothing(t: &TestDb) {
    seed_v1(t).await;
    let options = SyncOptions::new(Mode::Additive);
    v2().sync(&t.db, &options).await.unwrap();
    let rows = t.count(history(t)).await;
    let again = v2().sync(&t.db, &options).await.unwrap();
    assert!(matches!(again.outcome, Outcome::NothingToDo), "{again}");
    assert!(again.statements_sent().is_empty());
    assert!(again.plan.to_apply().next().is_none());
    assert_eq!(t.count(history(t)).await, rows, "a sync with nothing to do writes no history row");
}

/// Rebuild drops and re-creates the models' tables, but only when the models changed.
async fn rebuild_only_when_models_changed(t: &TestDb) {
    let rebuild = SyncOptions::new(Mode::Rebuild);
    let first = v1().sync(&t.db, &rebuild).await.unwrap();
    assert_eq!(first.created(), ["sy_customers"]);
    t.exec("INSERT INTO sy_customers (name) VALUES ('kept')").await;
    let same = v1().sync(&t.db, &rebuild).await.unwrap();
    assert!(matches!(same.outcome, Outcome::NothingToDo), "{same}");
    assert_eq!(t.strings("SELECT name FROM sy_customers").await, ["kept"], "unchanged models keep the data");
    let changed = v2().sync(&t.db, &rebuild).await.unwrap();
    assert_eq!(changed.dropped(), ["sy_customers"]);
    assert_eq!(changed.created(), ["sy_customers", "sy_orders"]);
    assert_eq!(t.count("SELECT count(*) FROM sy_customers").await, 0);
    v2().validate(&t.db).await.unwrap();
}

/// A table no model declares that references a model's table keeps rebuild and drop-all
/// from dropping it, on every backend: the error names the table and its foreign key,
/// and nothing is dropped.
async fn drops_are_refused_when_an_unmanaged_table_references_them(t: &TestDb) {
    seed_v1(t).await;
    t.exec(
        "CREATE TABLE sy_audit (id INTEGER PRIMARY KEY, customer_id BIGINT, \
         CONSTRAINT sy_audit_customer FOREIGN KEY (customer_id) REFERENCES sy_customers (id))",
    )
    .await;
    t.exec("INSERT INTO sy_audit (id, customer_id) VALUES (1, 1)").await;
    for (what, result) in [
        ("rebuild", v2().sync(&t.db, &SyncOptions::new(Mode::Rebuild)).await),
        ("drop-all", v1().drop_all(&t.db).await),
    ] {
        let err = result.unwrap_err();
        assert!(matches!(err, Error::Refused { .. }), "{what}: {err:?}");
        let text = err.to_string();
        assert!(text.contains("sy_audit") && text.contains("sy_audit_customer"), "{what}: {text}");
    }
    assert_eq!(t.count("SELECT count(*) FROM sy_customers").await, 2, "nothing was dropped");
    v1().validate(&t.db).await.unwrap();
    // Without the reference, rebuild goes ahead.
    t.exec("DROP TABLE sy_audit").await;
    v2().sync(&t.db, &SyncOptions::new(Mode::Rebuild)).await.unwrap();
    v2().validate(&t.db).await.unwrap();
}

/// Validate writes nothing; it fails on drift with the full report and passes in sync.
async fn validate_reports_drift(t: &TestDb) {
    seed_v1(t).await;
    let before = t.table_names().await;
    assert!(v1().validate(&t.db).await.unwrap().in_sync);
    match v2().validate(&t.db).await {
        Err(Error::Drift { report }) => {
            let text = report.to_string();
            assert!(text.contains("sy_orders") && text.contains("missing from the database"), "{text}");
            assert!(text.contains("column nickname") && text.contains("column legacy_code"), "{text}");
        }
        other => panic!("expected drift, got {other:?}"),
    }
    let err = v2().sync(&t.db, &SyncOptions::new(Mode::Validate)).await.unwrap_err();
    assert!(matches!(err, Error::Drift { .. }));
    assert!(err.to_string().contains("does not match the models"));
    assert_eq!(t.table_names().await, before, "validate writes nothing");
}

/// A NOT NULL column without a default, for a table with rows, is refused with the
/// table, the column and a suggested fix; nothing at all is applied.
async fn not_null_without_default_is_refused(t: &TestDb) {
    seed_v1(t).await;
    let models = Models::new().with::<required::Customer>().with::<required::Audit>();
    let before = t.count(history(t)).await;
    let err = models.sync(&t.db, &SyncOptions::new(Mode::Additive)).await.unwrap_err();
    let msg = err.to_string();
    assert!(matches!(err, Error::Refused { .. }), "{err:?}");
    assert!(msg.contains("sy_customers") && msg.contains("`tier`") && msg.contains("default"), "{msg}");
    assert!(!t.table_names().await.contains(&"sy_audit".to_string()), "nothing may be applied");
    assert_eq!(t.count(history(t)).await, before);
    // On an empty table the same column is fine.
    t.exec("DELETE FROM sy_customers").await;
    models.sync(&t.db, &SyncOptions::new(Mode::Additive)).await.unwrap();
    models.validate(&t.db).await.unwrap();
}

/// A statement failing in the middle of a plan leaves PostgreSQL and SQLite exactly as
/// before; the history row says what failed. MySQL cannot roll DDL back; its history
/// row says how far the plan got.
async fn failing_statement(t: &TestDb) {
    seed_v1(t).await;
    let models = v1().with::<failing::Note>().with::<failing::Broken>();
    let err = models.sync(&t.db, &SyncOptions::new(Mode::Full).allow_everything()).await.unwrap_err();
    if t.backend == Backend::MySql {
        assert!(matches!(err, Error::PartiallyApplied { .. }), "{err:?}");
        assert!(err.to_string().contains("partly changed") && err.to_string().contains("run_id"), "{err}");
    } else {
        assert!(matches!(err, Error::Execute { .. }), "{err:?}");
    }

    let failed = "SELECT count(*) FROM schemasync_history WHERE success = FALSE";
    assert_eq!(t.count(failed).await, 1);
    let recorded = t.strings("SELECT error FROM schemasync_history WHERE success = FALSE").await;
    assert!(recorded[0].contains("sy_zz_broken"), "the history row names the failed statement: {}", recorded[0]);
    if t.backend == Backend::MySql {
        let completed = t.count("SELECT completed FROM schemasync_history WHERE success = FALSE").await;
        let total = t.count("SELECT statement_count FROM schemasync_history WHERE success = FALSE").await;
        assert!(completed >= 1 && completed < total, "completed {completed} of {total}");
    } else {
        v1().validate(&t.db).await.expect("the database is exactly as before");
        assert!(!t.table_names().await.contains(&"sy_notes".to_string()));
        assert_eq!(t.strings("SELECT name FROM sy_customers ORDER BY id").await, ["Ada", "Grace"]);
    }
}

mod strict {
    use schemasync::Table;

    /// v1 with a check 'Ada' does not pass and a `legacy_code` Grace has no value for.
    #[derive(Table)]
    #[table(name = "sy_customers", check = "length(name) > 3")]
    pub struct Customer {
        #[column(primary_key, auto_increment)]
        pub id: i64,
        #[column(len = 100)]
        pub name: String,
        pub legacy_code: String,
    }
}

/// A step the existing rows would make fail is never sent: full mode refuses it and
/// additive mode leaves it pending, both saying how many rows and how to list them.
async fn steps_existing_rows_break_are_not_sent(t: &TestDb) {
    seed_v1(t).await;
    let models = Models::new().with::<strict::Customer>();
    let dry = SyncOptions::new(Mode::Full).allow_everything().dry_run(true);
    let report = models.sync(&t.db, &dry).await.unwrap();
    let refused: Vec<_> = report
        .plan
        .steps
        .iter()
        .filter_map(|s| match &s.disposition {
            Disposition::Refused { reason, fix } => Some(format!("{reason} / {fix}")),
            _ => None,
        })
        .collect();
    assert!(!refused.is_empty(), "{}", report.plan);
    let all = refused.join("\n");
    assert!(all.contains("1 existing row(s) of sy_customers"), "{all}");
    assert!(all.contains("SELECT"), "the fix says how to list the rows: {all}");

    let err = models.sync(&t.db, &SyncOptions::new(Mode::Full).allow_everything()).await.unwrap_err();
    assert!(matches!(err, Error::Refused { .. }), "{err:?}");
    assert!(err.to_string().contains("sy_customers"), "{err}");
    assert_eq!(t.count("SELECT count(*) FROM schemasync_history WHERE success = FALSE").await, 0);

    let additive = models.sync(&t.db, &SyncOptions::new(Mode::Additive)).await.unwrap();
    let pending = additive.plan.steps.iter().filter(|s| matches!(s.disposition, Disposition::Pending { .. })).count();
    assert!(pending >= 1, "{}", additive.plan);
    v1().validate(&t.db).await.expect("nothing was changed");

    // Once the rows are fixed, the same models apply.
    t.exec("UPDATE sy_customers SET name = 'Ada Lovelace', legacy_code = 'A-0' WHERE name = 'Ada'").await;
    t.exec("UPDATE sy_customers SET legacy_code = 'G-1' WHERE legacy_code IS NULL").await;
    models.sync(&t.db, &SyncOptions::new(Mode::Full).allow_everything()).await.unwrap();
    models.validate(&t.db).await.expect("the models now match");
}

mod validated_later {
    use schemasync::Table;

    /// v1 with a check every row passes.
    #[derive(Table)]
    #[table(name = "sy_customers", check = "length(name) > 0")]
    pub struct Customer {
        #[column(primary_key, auto_increment)]
        pub id: i64,
        #[column(len = 100)]
        pub name: String,
        pub legacy_code: Option<String>,
    }

    /// v1 with a check calling a function the test defines: it passes while the
    /// constraint does not exist yet, and fails once it does.
    #[derive(Table)]
    #[table(name = "sy_customers", check = "sy_passes_until_added(id)")]
    pub struct Liar {
        #[column(primary_key, auto_increment)]
        pub id: i64,
        #[column(len = 100)]
        pub name: String,
        pub legacy_code: Option<String>,
    }
}

/// On PostgreSQL a check added to a table with rows goes in `NOT VALID` within the
/// plan's transaction, and its rows are validated after the commit, so that no write
/// waits for the scan. Elsewhere it is one statement.
async fn constraints_on_existing_tables_are_validated_after_commit(t: &TestDb) {
    seed_v1(t).await;
    let models = Models::new().with::<validated_later::Customer>();
    let full = SyncOptions::new(Mode::Full).allow_everything();
    let dry = models.sync(&t.db, &full.clone().dry_run(true)).await.unwrap();
    let step = dry.plan.to_apply().next().expect("a step adds the check");
    if t.backend == Backend::Postgres {
        assert!(step.sql.iter().any(|s| s.ends_with("NOT VALID")), "{:?}", step.sql);
        assert_eq!(step.validate.len(), 1, "{:?}", step.validate);
        assert!(step.validate[0].contains("VALIDATE CONSTRAINT"), "{:?}", step.validate);
    } else {
        assert!(step.validate.is_empty(), "{:?}", step.validate);
    }
    models.sync(&t.db, &full).await.unwrap();
    models.validate(&t.db).await.expect("the models match");
    let done = "SELECT count(*) FROM schemasync_history WHERE success = TRUE AND completed = statement_count";
    assert_eq!(t.count(done).await, t.count("SELECT count(*) FROM schemasync_history").await);
    if t.backend != Backend::Postgres {
        return;
    }
    let unchecked = "SELECT count(*) FROM pg_constraint WHERE conrelid = 'sy_customers'::regclass AND NOT convalidated";
    assert_eq!(t.count(unchecked).await, 0, "the check was validated");

    // A check the rows pass when it is planned and fail once it is added: the plan is
    // committed, the validation fails, and the error and the history row say so.
    t.exec("ALTER TABLE sy_customers DROP CONSTRAINT sy_customers_check").await;
    t.exec(
        "CREATE FUNCTION sy_passes_until_added(bigint) RETURNS boolean LANGUAGE sql AS \
         $$ SELECT NOT EXISTS (SELECT 1 FROM pg_constraint WHERE conrelid = 'sy_customers'::regclass AND contype = 'c') $$",
    )
    .await;
    let err = Models::new().with::<validated_later::Liar>().sync(&t.db, &full).await.unwrap_err();
    assert!(matches!(err, Error::NotValidated { .. }), "{err:?}");
    let text = err.to_string();
    assert!(
        text.contains("sy_customers") && text.contains("VALIDATE CONSTRAINT") && text.contains("NOT VALID"),
        "{text}"
    );
    assert_eq!(t.count(unchecked).await, 1, "the check is in place, not validated");
    let failed = t.strings("SELECT error FROM schemasync_history WHERE success = FALSE").await;
    assert_eq!(failed.len(), 1);
    assert!(failed[0].contains("VALIDATE CONSTRAINT"), "{}", failed[0]);
}

mod indexed {
    use schemasync::Table;

    /// v1 with an index on `name`.
    #[derive(Table)]
    #[table(name = "sy_customers", index(name))]
    pub struct Customer {
        #[column(primary_key, auto_increment)]
        pub id: i64,
        #[column(len = 100)]
        pub name: String,
        pub legacy_code: Option<String>,
    }
}

/// A PostgreSQL table never analyzed has no row estimate (`reltuples` is -1): an index
/// on it is not called safe when its size could hold a big table's rows.
async fn an_index_on_a_table_never_analyzed_is_not_safe(t: &TestDb) {
    if t.backend != Backend::Postgres {
        return;
    }
    seed_v1(t).await;
    t.exec("ALTER TABLE sy_customers SET (autovacuum_enabled = false)").await;
    t.exec("INSERT INTO sy_customers (name) SELECT 'n' || g FROM generate_series(1, 2000) g").await;
    let estimate = "SELECT count(*) FROM pg_class WHERE relname = 'sy_customers' AND reltuples < 0";
    assert_eq!(t.count(estimate).await, 1, "the table was never analyzed");
    let models = Models::new().with::<indexed::Customer>();
    let options = SyncOptions::new(Mode::Additive).big_table_rows(1_000);
    let report = models.sync(&t.db, &options).await.unwrap();
    let step = report.plan.steps.first().expect("a step adds the index");
    assert_eq!(step.hazard, schemasync::plan::Hazard::Locking, "{}", report.plan);
    assert!(step.hazard_reason.contains("unknown size"), "{}", step.hazard_reason);
    assert!(matches!(step.disposition, Disposition::Pending { .. }), "{}", report.plan);
    // Analyzed, the estimate is known and the same holds for the same reason in numbers.
    t.exec("ANALYZE sy_customers").await;
    let report = models.sync(&t.db, &options.clone().dry_run(true)).await.unwrap();
    let step = report.plan.steps.first().expect("a step adds the index");
    assert!(step.hazard_reason.contains("2002 rows"), "{}", step.hazard_reason);
    // A table too small to be big is safe even unanalyzed.
    let small = SyncOptions::new(Mode::Additive).big_table_rows(10_000_000);
    let report = models.sync(&t.db, &small).await.unwrap();
    assert!(matches!(report.outcome, Outcome::Applied { .. }), "{}", report.plan);
}

/// Full mode applies destructive steps only with permission: the hash of the plan
/// reviewed in a dry run. Another plan is refused.
async fn full_mode_needs_the_reviewed_hash(t: &TestDb) {
    seed_v1(t).await;
    let full = SyncOptions::new(Mode::Full);
    let err = v2().sync(&t.db, &full).await.unwrap_err();
    let hash = match &err {
        Error::NeedsPermission { hash, .. } => hash.clone(),
        other => panic!("expected NeedsPermission, got {other:?}"),
    };
    let reviewed = v2().sync(&t.db, &full.clone().dry_run(true)).await.unwrap();
    assert_eq!(reviewed.plan.hash, hash, "the dry run shows the same plan");
    assert!(matches!(reviewed.outcome, Outcome::DryRun));
    let wrong = v2().sync(&t.db, &full.clone().allow_plan("0".repeat(64))).await.unwrap_err();
    assert!(matches!(wrong, Error::PlanChanged { .. }), "{wrong:?}");
    let applied = v2().sync(&t.db, &full.clone().allow_plan(hash)).await.unwrap();
    assert!(matches!(applied.outcome, Outcome::Applied { .. }));
    v2().validate(&t.db).await.unwrap();
    assert_eq!(t.strings("SELECT name FROM sy_customers ORDER BY id").await, ["Ada", "Grace"]);
}

/// A dry run shows the plan, as text and JSON, and writes nothing.
async fn dry_run_writes_nothing(t: &TestDb) {
    seed_v1(t).await;
    let before = t.table_names().await;
    let report = v2().sync(&t.db, &SyncOptions::new(Mode::Additive).dry_run(true)).await.unwrap();
    assert!(matches!(report.outcome, Outcome::DryRun));
    assert_eq!(t.table_names().await, before);
    let json: serde_json::Value = serde_json::from_str(&report.to_json()).unwrap();
    assert_eq!(json["outcome"], "dry_run");
    assert_eq!(json["plan"]["mode"], "additive");
    assert!(json["plan"]["steps"].as_array().unwrap().iter().any(|s| s["disposition"]["status"] == "pending"));
    assert_eq!(json["plan"]["hash"].as_str().unwrap().len(), 64);
    let text = report.to_string();
    assert!(text.contains("Dry run: nothing was written."), "{text}");
    assert!(text.contains("to apply") && text.contains("pending"), "{text}");
}

/// add_missing_columns adds columns and nothing else.
async fn add_missing_columns_only_adds_columns(t: &TestDb) {
    seed_v1(t).await;
    let report = v2().add_missing_columns(&t.db).await.unwrap();
    assert!(matches!(report.outcome, Outcome::Applied { .. }), "{report}");
    assert!(!t.table_names().await.contains(&"sy_orders".to_string()));
    assert_eq!(t.count("SELECT count(*) FROM sy_customers WHERE loyalty_points = 0").await, 2);
    let left = v2().drift(&t.db).await.unwrap();
    assert!(!left.in_sync && left.changes.iter().all(|c| !matches!(c, schemasync::Change::AddColumn { .. })), "{left}");
}

/// A lock held elsewhere makes the sync wait, then fail with a clear error.
async fn lock_timeout_is_a_clear_error(t: &TestDb) {
    seed_v1(t).await;
    let held = t.hold_schema_lock("schemasync:schemasync_history").await;
    let options = SyncOptions::new(Mode::Additive).lock_timeout(std::time::Duration::from_millis(800));
    let started = std::time::Instant::now();
    let err = v2().sync(&t.db, &options).await.unwrap_err();
    assert!(matches!(err, Error::LockTimeout { .. }), "{err:?}");
    assert!(started.elapsed() >= std::time::Duration::from_millis(700));
    assert!(err.to_string().contains("schema lock") && err.to_string().contains("lock_timeout"), "{err}");
    drop(held);
}

per_backend!(
    additive_keeps_data,
    second_sync_sends_nothing,
    rebuild_only_when_models_changed,
    validate_reports_drift,
    not_null_without_default_is_refused,
    failing_statement,
    drops_are_refused_when_an_unmanaged_table_references_them,
    steps_existing_rows_break_are_not_sent,
    constraints_on_existing_tables_are_validated_after_commit,
    an_index_on_a_table_never_analyzed_is_not_safe,
    full_mode_needs_the_reviewed_hash,
    dry_run_writes_nothing,
    add_missing_columns_only_adds_columns,
    lock_timeout_is_a_clear_error,
);

mod renamed {
    use schemasync::Table;

    #[derive(Table)]
    #[table(name = "sy_clients", renamed_from = "sy_customers")]
    pub struct Client {
        #[column(primary_key, auto_increment)]
        pub id: i64,
        #[column(len = 100)]
        pub name: String,
        #[column(renamed_from = "legacy_code")]
        pub code: Option<String>,
        pub note: Option<String>,
    }
}

/// A declared rename is not applied in additive mode, and neither is anything that
/// needs the new name; full mode applies them in order, and the rows follow.
async fn steps_wait_for_a_pending_rename(t: &TestDb) {
    seed_v1(t).await;
    let models = Models::new().with::<renamed::Client>();
    // By default a sync that leaves a declared table absent fails, naming it.
    let err = models.sync(&t.db, &SyncOptions::new(Mode::Additive)).await.unwrap_err();
    assert!(matches!(err, Error::Absent { .. }), "{err:?}");
    let msg = err.to_string();
    assert!(msg.contains("table sy_clients") && msg.contains("rename table sy_customers to sy_clients"), "{msg}");
    let additive = models.sync(&t.db, &SyncOptions::new(Mode::Additive).allow_absent(true)).await.unwrap();
    assert!(additive.absent.iter().any(|a| a.table == "sy_clients" && a.column.is_none()), "{additive}");
    assert!(matches!(additive.outcome, Outcome::NothingToDo), "{additive}");
    assert_eq!(additive.plan.counts().pending, additive.plan.steps.len(), "{additive}");
    assert!(additive.to_string().contains("waits for"), "{additive}");
    let create_only = models.create_all(&t.db).await.unwrap();
    assert!(matches!(create_only.outcome, Outcome::NothingToDo), "{create_only}");
    let full = models.sync(&t.db, &SyncOptions::new(Mode::Full).allow_everything()).await.unwrap();
    assert!(matches!(full.outcome, Outcome::Applied { .. }), "{full}");
    models.validate(&t.db).await.unwrap();
    assert_eq!(t.strings("SELECT code FROM sy_clients WHERE code IS NOT NULL").await, ["A-1"]);
}

per_backend!(steps_wait_for_a_pending_rename);

/// SQLite rebuilds a table to change it; a view on that table must not block it, and
/// the rows come through.
async fn sqlite_rebuild_keeps_views_and_rows(t: &TestDb) {
    if t.backend != Backend::Sqlite {
        return; // PostgreSQL and MySQL alter in place.
    }
    seed_v1(t).await;
    t.exec("CREATE VIEW sy_names AS SELECT name FROM sy_customers").await;
    let models = Models::new().with::<checked::Customer>();
    let report = models.sync(&t.db, &SyncOptions::new(Mode::Full).allow_everything()).await.unwrap();
    assert!(report.plan.steps.iter().any(|s| s.rebuild), "{report}");
    models.validate(&t.db).await.unwrap();
    assert_eq!(t.strings("SELECT name FROM sy_names ORDER BY name").await, ["Ada", "Grace"]);
}

mod checked {
    use schemasync::Table;

    /// v1 plus a check: SQLite must rebuild the table to add it.
    #[derive(Table)]
    #[table(name = "sy_customers", check = "length(name) > 0")]
    pub struct Customer {
        #[column(primary_key, auto_increment)]
        pub id: i64,
        #[column(len = 100)]
        pub name: String,
        pub legacy_code: Option<String>,
    }
}

per_backend!(sqlite_rebuild_keeps_views_and_rows);

mod keyed {
    use schemasync::Table;

    /// v1 plus a unique `code`, which a new table references.
    #[derive(Table)]
    #[table(name = "sy_customers")]
    pub struct Customer {
        #[column(primary_key, auto_increment)]
        pub id: i64,
        #[column(len = 100)]
        pub name: String,
        pub legacy_code: Option<String>,
        #[column(len = 20, unique)]
        pub code: Option<String>,
    }

    #[derive(Table)]
    #[table(name = "sy_vouchers")]
    pub struct Voucher {
        #[column(primary_key, auto_increment)]
        pub id: i64,
        #[column(len = 20, references = "sy_customers(code)")]
        pub customer_code: Option<String>,
    }
}

/// A foreign key to a key the same plan adds comes after it; while that key is pending
/// (additive mode), so is everything that needs it.
async fn a_foreign_key_waits_for_the_key_it_references(t: &TestDb) {
    seed_v1(t).await;
    let models = Models::new().with::<keyed::Customer>().with::<keyed::Voucher>();
    let additive = models
        .sync(&t.db, &SyncOptions::new(Mode::Additive).allow_absent(true))
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let text = additive.to_string();
    assert!(text.contains("waits for"), "{text}");
    if t.backend == Backend::Sqlite {
        // SQLite declares foreign keys in CREATE TABLE: the new table itself waits.
        assert!(additive.absent.iter().any(|a| a.table == "sy_vouchers"), "{text}");
    }
    let full =
        models.sync(&t.db, &SyncOptions::new(Mode::Full).allow_everything()).await.unwrap_or_else(|e| panic!("{e}"));
    assert!(matches!(full.outcome, Outcome::Applied { .. }), "{full}");
    models.validate(&t.db).await.unwrap();
    t.exec("UPDATE sy_customers SET code = 'ADA' WHERE name = 'Ada'").await;
    t.exec("INSERT INTO sy_vouchers (customer_code) VALUES ('ADA')").await;
}

per_backend!(a_foreign_key_waits_for_the_key_it_references);

/// A pool of one connection can apply: under the lock the catalog is read on the very
/// connection that holds it.
async fn a_one_connection_pool_applies(t: &TestDb) {
    seed_v1(t).await;
    let db = match t.backend {
        Backend::Postgres => schemasync::Db::from(
            &sqlx::postgres::PgPoolOptions::new().max_connections(1).connect(&t.url).await.unwrap(),
        ),
        Backend::MySql => schemasync::Db::from(
            &sqlx::mysql::MySqlPoolOptions::new().max_connections(1).connect(&t.url).await.unwrap(),
        ),
        Backend::Sqlite => schemasync::Db::from(
            &sqlx::sqlite::SqlitePoolOptions::new().max_connections(1).connect(&t.url).await.unwrap(),
        ),
    };
    let options = SyncOptions::new(Mode::Additive).lock_timeout(std::time::Duration::from_secs(5));
    let report = tokio::time::timeout(std::time::Duration::from_secs(20), v2().sync(&db, &options))
        .await
        .expect("a one-connection pool must not wait for itself")
        .unwrap();
    assert!(matches!(report.outcome, Outcome::Applied { .. }), "{report}");
    assert_eq!(v2().drift(&db).await.unwrap().changes.len(), 1, "only the pending drop is left");
}

per_backend!(a_one_connection_pool_applies);

/// A long apply can be followed: the callback hears each statement, and the last call
/// says all of them are done.
async fn progress_is_reported(t: &TestDb) {
    use std::sync::{Arc, Mutex};
    let heard: Arc<Mutex<Vec<(usize, usize)>>> = Arc::default();
    let log = heard.clone();
    let options = schemasync::SyncOptions::new(schemasync::Mode::CreateAll)
        .on_progress(move |done, total| log.lock().unwrap().push((done, total)));
    let report = schemasync_tests::kitchen_sink::models().sync(&t.db, &options).await.unwrap();
    let heard = heard.lock().unwrap().clone();
    assert!(!heard.is_empty(), "no progress was reported");
    let (done, total) = *heard.last().unwrap();
    assert_eq!(done, total, "{heard:?}");
    assert_eq!(total, report.plan.statements().len(), "every statement of the plan: {heard:?}");
    assert!(heard.windows(2).all(|w| w[0].0 < w[1].0), "{heard:?}");
}

per_backend!(progress_is_reported);
