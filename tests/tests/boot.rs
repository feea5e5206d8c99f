//! `sync_on_boot`, as an app calls it: the registered models of this binary, the mode
//! from the environment. Every test here runs with SCHEMASYNC_MODE, ENVIRONMENT and
//! APP_ENV unset, so that no test depends on the machine's environment.

#![allow(dead_code)] // the models here are only read through their table definitions

use schemasync::{Db, Mode, Outcome};
use schemasync_tests::{per_backend, TestDb};

mod models {
    use schemasync::Table;

    #[derive(Table)]
    #[table(name = "bt_accounts")]
    pub struct Account {
        #[column(primary_key, auto_increment)]
        pub id: i64,
        #[column(len = 80, unique)]
        pub email: String,
        #[column(renamed_from = "nick")]
        pub nickname: Option<String>,
    }

    #[derive(Table)]
    #[table(name = "bt_sessions", index(account_id, expires_at))]
    pub struct Session {
        #[column(primary_key, auto_increment)]
        pub id: i64,
        #[column(references = "bt_accounts(id)", on_delete = "cascade")]
        pub account_id: i64,
        pub expires_at: chrono::NaiveDateTime,
    }
}

fn clear_environment() {
    for var in ["SCHEMASYNC_MODE", "ENVIRONMENT", "APP_ENV", "SCHEMASYNC_PLAN_HASH", "SCHEMASYNC_DRY_RUN"] {
        std::env::remove_var(var);
    }
}

/// With no environment set, boot is additive: it creates what is missing, leaves a
/// column the models dropped (pending), and keeps every row.
async fn unset_environment_is_additive(t: &TestDb) {
    clear_environment();
    t.exec("CREATE TABLE bt_accounts (id BIGINT PRIMARY KEY, email VARCHAR(80) NOT NULL UNIQUE, old_flag INTEGER)")
        .await;
    t.exec("INSERT INTO bt_accounts (id, email, old_flag) VALUES (1, 'a@example.com', 7)").await;
    let report = schemasync::sync_on_boot(&t.db).await.unwrap();
    assert_eq!(report.mode, Mode::Additive);
    assert!(report.reason.contains("safe default"), "{}", report.reason);
    assert!(matches!(report.outcome, Outcome::Applied { .. }), "{report}");
    assert_eq!(t.strings("SELECT email FROM bt_accounts").await, ["a@example.com"]);
    assert_eq!(t.count("SELECT count(*) FROM bt_accounts WHERE old_flag = 7").await, 1, "additive never drops");
    assert!(t.table_names().await.contains(&"bt_sessions".to_string()));
    let text = report.to_string();
    assert!(text.contains("drop column old_flag") && text.contains("pending"), "{text}");
}

/// Eight instances boot at once, each with its own pool: the plan is applied once (one
/// history row), all of them succeed, and the schema is right.
async fn concurrent_boots_apply_once(t: &TestDb) {
    clear_environment();
    let mut boots = Vec::new();
    for _ in 0..8 {
        let url = t.url.clone();
        boots.push(tokio::spawn(async move {
            let db = Db::connect(&url).await.expect("connect");
            schemasync::sync_on_boot(&db).await
        }));
    }
    let mut applied = 0;
    for boot in boots {
        let report =
            boot.await.expect("the boot task").unwrap_or_else(|e| panic!("a boot failed on {}: {e}", t.backend));
        if matches!(report.outcome, Outcome::Applied { .. }) {
            applied += 1;
        }
    }
    assert_eq!(applied, 1, "exactly one instance applies the plan");
    assert_eq!(t.count("SELECT count(*) FROM schemasync_history").await, 1);
    schemasync::assert_schema_matches(&t.db).await;
}

/// `assert_schema_matches` passes in sync and panics with the drift report otherwise.
async fn assert_schema_matches_panics_with_the_report(t: &TestDb) {
    clear_environment();
    schemasync::sync_on_boot(&t.db).await.unwrap();
    schemasync::assert_schema_matches(&t.db).await;
    t.exec("ALTER TABLE bt_accounts DROP COLUMN nickname").await;
    let db = t.db.clone();
    let outcome = tokio::spawn(async move { schemasync::assert_schema_matches(&db).await }).await;
    let panic = outcome.expect_err("drift must panic").into_panic();
    let message = panic.downcast_ref::<String>().cloned().unwrap_or_default();
    assert!(message.contains("column nickname") && message.contains("database: missing"), "{message}");
}

/// A boot that leaves a declared column absent (its rename is pending in additive mode)
/// fails at once, naming the column, the reason and the fix, instead of letting the app
/// fail at its first query; with the opt-out it starts and logs a warning.
async fn a_pending_rename_fails_the_boot(t: &TestDb) {
    clear_environment();
    t.exec("CREATE TABLE bt_accounts (id BIGINT PRIMARY KEY, email VARCHAR(80) NOT NULL UNIQUE, nick TEXT)").await;
    let err = schemasync::sync_on_boot(&t.db).await.unwrap_err();
    let msg = err.to_string();
    assert!(matches!(err, schemasync::Error::Absent { .. }), "{err:?}");
    assert!(
        msg.contains("column bt_accounts.nickname")
            && msg.contains("rename column nick to nickname")
            && msg.contains("SCHEMASYNC_ALLOW_ABSENT"),
        "{msg}"
    );
    let report = schemasync::sync_on_boot_with(&t.db, schemasync::SyncOptions::from_env().unwrap().allow_absent(true))
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(report.absent.len(), 1, "{report}");
    assert!(report.to_string().contains("Absent from the database"), "{report}");
    assert!(t.table_names().await.contains(&"bt_sessions".to_string()), "the rest was applied");
}

per_backend!(
    unset_environment_is_additive,
    concurrent_boots_apply_once,
    assert_schema_matches_panics_with_the_report,
    a_pending_rename_fails_the_boot
);
