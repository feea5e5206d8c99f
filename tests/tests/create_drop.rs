//! create-all and drop-all on the three real backends, with the kitchen-sink models.

use schemasync::Backend;
use schemasync_tests::{kitchen_sink, per_backend, TestDb};

fn expected_tables(t: &TestDb) -> Vec<String> {
    let mut names: Vec<String> = ["ks_accounts", "ks_membership_notes", "ks_memberships", "ks_teams", "ks_users"]
        .iter()
        .map(|s| s.to_string())
        .collect();
    names.push(if t.backend == Backend::Postgres { "ks_audit.ks_events".into() } else { "ks_events".into() });
    // Every apply is recorded in schemasync's own history table.
    names.push("schemasync_history".into());
    names.sort();
    names
}

/// The kitchen-sink DDL executes, and makes exactly the models' tables.
async fn kitchen_sink_executes(t: &TestDb) {
    let applied = kitchen_sink::models().create_all(&t.db).await.unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(applied.created().len(), 6);
    assert!(applied.plan.in_sync.is_empty());
    assert_eq!(t.table_names().await, expected_tables(t));
}

/// A second create_all finds everything there and sends nothing.
async fn create_all_twice_creates_only_what_is_missing(t: &TestDb) {
    let models = kitchen_sink::models();
    models.create_all(&t.db).await.unwrap();
    let again = models.create_all(&t.db).await.unwrap();
    assert!(again.created().is_empty(), "{:?}", again.created());
    assert!(again.statements_sent().is_empty(), "{:?}", again.statements_sent());
    assert_eq!(again.plan.in_sync.len(), 6);

    // Remove one table by hand: only it comes back.
    t.exec("DROP TABLE ks_membership_notes").await;
    let third = models.create_all(&t.db).await.unwrap();
    assert_eq!(third.created(), ["ks_membership_notes"]);
    assert_eq!(t.table_names().await, expected_tables(t));
}

/// drop_all drops the models' tables, cycle included, and never an unmanaged one.
async fn drop_all_leaves_unmanaged_tables(t: &TestDb) {
    t.exec("CREATE TABLE not_ours (id INTEGER PRIMARY KEY, note VARCHAR(20))").await;
    let models = kitchen_sink::models();
    models.create_all(&t.db).await.unwrap();
    let dropped = models.drop_all(&t.db).await.unwrap();
    assert_eq!(dropped.dropped().len(), 6);
    // The history of what was applied stays.
    assert_eq!(t.table_names().await, ["not_ours", "schemasync_history"]);
    // Dropping again is harmless.
    let again = models.drop_all(&t.db).await.unwrap();
    assert!(again.dropped().is_empty());
    assert_eq!(t.table_names().await, ["not_ours", "schemasync_history"]);
    assert_eq!(t.strings("SELECT mode FROM schemasync_history ORDER BY id").await, ["create_all", "drop_all"]);
}

/// Rows with every kitchen-sink type go in and come back through sqlx, so the DDL
/// types are the ones sqlx expects; defaults and the cycle's foreign keys work.
async fn rows_round_trip(t: &TestDb) {
    kitchen_sink::models().create_all(&t.db).await.unwrap();
    t.exec("INSERT INTO ks_accounts (name) VALUES ('acme')").await;
    t.exec("INSERT INTO ks_teams (title) VALUES ('core')").await;
    let uuid = match t.backend {
        Backend::Postgres => "'6f1c1c3e-64c4-4f7a-9a47-3f3fb2a1c0de'",
        Backend::MySql => "UNHEX('6f1c1c3e64c44f7a9a473f3fb2a1c0de')",
        Backend::Sqlite => "X'6f1c1c3e64c44f7a9a473f3fb2a1c0de'",
    };
    t.exec(&format!(
        "INSERT INTO ks_users (account_id, team_id, email, age, created_on, external_id) VALUES (1, 1, 'a@example.com', 30, '2024-05-01', {uuid})"
    ))
    .await;
    t.exec("UPDATE ks_teams SET lead_user_id = 1").await;
    t.exec("INSERT INTO ks_memberships (account_id, user_id) VALUES (1, 1)").await;
    t.exec("INSERT INTO ks_membership_notes (account_id, user_id, body) VALUES (1, 1, 'hello')").await;

    let sql = "SELECT * FROM ks_users";
    let user: Option<kitchen_sink::users::User> = match &t.db {
        schemasync::Db::Postgres(p) => Some(sqlx::query_as(sql).fetch_one(p).await.unwrap()),
        schemasync::Db::MySql(p) => Some(sqlx::query_as(sql).fetch_one(p).await.unwrap()),
        // sqlx has no rust_decimal support for SQLite; the columns are checked one by one.
        schemasync::Db::Sqlite(_) => None,
        _ => unreachable!(),
    };
    if let Some(user) = user {
        assert_eq!(user.email, "a@example.com");
        assert_eq!(user.score, 0, "default 0");
        assert_eq!(user.ratio, 1.5, "default 1.5");
        assert_eq!(user.motto, "it's \"quoted\" \\ ok", "string default escaped once");
        assert_eq!(user.balance, rust_decimal::Decimal::ZERO);
        assert_eq!(user.external_id.to_string(), "6f1c1c3e-64c4-4f7a-9a47-3f3fb2a1c0de");
    } else {
        let row = t.strings("SELECT email || '|' || score || '|' || ratio || '|' || motto || '|' || balance || '|' || hex(external_id) FROM ks_users").await;
        assert_eq!(row, ["a@example.com|0|1.5|it's \"quoted\" \\ ok|0|6F1C1C3E64C44F7A9A473F3FB2A1C0DE"]);
    }
    assert_eq!(t.strings("SELECT role FROM ks_memberships").await, ["member"]);

    // The check constraint is there.
    let bad = "INSERT INTO ks_users (account_id, email, age, created_on, external_id) VALUES (1, 'b@example.com', -1, '2024-05-01', X'00')";
    let rejected = match &t.db {
        schemasync::Db::Postgres(p) => sqlx::query(bad).execute(p).await.is_err(),
        schemasync::Db::MySql(p) => sqlx::query(bad).execute(p).await.is_err(),
        schemasync::Db::Sqlite(p) => sqlx::query(bad).execute(p).await.is_err(),
        _ => unreachable!(),
    };
    assert!(rejected, "age >= 0 must be enforced on {}", t.backend);

    // ON DELETE CASCADE goes from users to memberships, and on to their notes; SET NULL
    // clears the team's lead.
    t.exec("DELETE FROM ks_users").await;
    assert!(t.strings("SELECT role FROM ks_memberships").await.is_empty());
    assert!(t.strings("SELECT body FROM ks_membership_notes").await.is_empty());
    assert!(t.strings("SELECT title FROM ks_teams WHERE lead_user_id IS NULL").await == ["core"]);
    // Accounts have no cascade; with their users gone they can be deleted.
    t.exec("DELETE FROM ks_accounts").await;
}

per_backend!(
    kitchen_sink_executes,
    create_all_twice_creates_only_what_is_missing,
    drop_all_leaves_unmanaged_tables,
    rows_round_trip
);

/// `sqlite::memory:` works end to end: every pooled connection sees the same database.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn in_memory_sqlite_syncs() {
    let db = schemasync::Db::connect("sqlite::memory:").await.unwrap();
    let report =
        kitchen_sink::models().sync(&db, &schemasync::SyncOptions::new(schemasync::Mode::Additive)).await.unwrap();
    assert_eq!(report.created().len(), 6, "{report}");
    kitchen_sink::models().validate(&db).await.unwrap();
    let again =
        kitchen_sink::models().sync(&db, &schemasync::SyncOptions::new(schemasync::Mode::Additive)).await.unwrap();
    assert!(matches!(again.outcome, schemasync::Outcome::NothingToDo), "{again}");
}
