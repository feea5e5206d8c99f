//! Least privilege: a user that may only read sees the same schema as its owner (no
//! false drift, a no-op boot succeeds), a role that may not create schemas uses one
//! made for it, and no error shows the password.

#![allow(dead_code)] // the models here are only read through their table definitions

use schemasync::{Backend, Db, Mode, Models, Outcome, SyncOptions};
use schemasync_tests::{kitchen_sink, per_backend, TestDb};

mod models {
    use schemasync::Table;

    #[derive(Table)]
    #[table(name = "pv_items", schema = "pv_app")]
    pub struct Item {
        #[column(primary_key, auto_increment)]
        pub id: i64,
        #[column(len = 40)]
        pub name: String,
    }

    /// A keyed table with checks and no foreign key.
    #[derive(Table)]
    #[table(name = "pv_scores", check(expr = "points <= 100", name = "pv_scores_cap"))]
    pub struct Score {
        #[column(primary_key, auto_increment)]
        pub id: i64,
        #[column(check = "points >= 0")]
        pub points: i32,
    }

    /// A second version, with a column more.
    pub mod v2 {
        use schemasync::Table;

        #[derive(Table)]
        #[table(name = "pv_items", schema = "pv_app")]
        pub struct Item {
            #[column(primary_key, auto_increment)]
            pub id: i64,
            #[column(len = 40)]
            pub name: String,
            pub note: Option<String>,
        }
    }
}

/// A user granted SELECT alone (MariaDB hides foreign keys and checks from it in
/// `information_schema`; PostgreSQL shows it everything) reads the schema its owner
/// made without a false difference, and a boot with nothing to do succeeds. Asked to
/// change something, it fails saying what it lacks, and never shows its password.
async fn a_read_only_user_sees_no_false_drift(t: &TestDb) {
    if t.backend == Backend::Sqlite {
        return;
    }
    let models = kitchen_sink::models();
    models.create_all(&t.db).await.unwrap();
    let grants: &[&str] = match t.backend {
        Backend::Postgres => &["GRANT SELECT ON ALL TABLES IN SCHEMA public TO \"{user}\""],
        _ => &["GRANT SELECT ON {db}.* TO '{user}'@'%'"],
    };
    let user = t.user(grants).await;
    let db = Db::connect(&user.url).await.unwrap_or_else(|e| panic!("{e}"));
    let report = models.drift(&db).await.unwrap_or_else(|e| panic!("{e}"));
    assert!(report.in_sync, "{report}");
    let boot = models.sync(&db, &SyncOptions::new(Mode::Additive)).await.unwrap_or_else(|e| panic!("{e}"));
    assert!(matches!(boot.outcome, Outcome::NothingToDo), "{:?}", boot.outcome);

    let more = kitchen_sink::models().with::<models::Item>();
    let err = more.sync(&db, &SyncOptions::new(Mode::Additive)).await.unwrap_err();
    let text = format!("{err}\n{err:?}");
    assert!(text.to_lowercase().contains("denied"), "the error says what was refused: {text}");
    assert!(text.contains("may not do this: grant it"), "the error says what to do: {text}");
    assert!(!text.contains(&user.password), "{text}");
    db.close().await;
}

/// MariaDB hides constraints from a user without a privilege other than SELECT on the
/// database: all of them or none, and its checks too where its grants are per table. A
/// schema with foreign keys tells by their actions; one without asks one keyed table, in
/// one more request. Either way the checks and actions are read from SHOW CREATE TABLE,
/// and no user sees a false difference.
async fn mariadb_users_see_the_checks_of_a_schema_without_foreign_keys(t: &TestDb) {
    if t.backend != Backend::MySql {
        return;
    }
    let with_fks = kitchen_sink::models();
    let without_fks = Models::new().with::<models::Score>();
    with_fks.create_all(&t.db).await.unwrap();
    without_fks.create_all(&t.db).await.unwrap();
    let all = kitchen_sink::models().with::<models::Score>();
    assert_eq!(all.diff(&t.db).await.unwrap().queries, 6, "foreign keys tell: the six views alone");
    for grants in [
        &["GRANT SELECT ON {db}.* TO '{user}'@'%'"][..],
        &["GRANT SELECT ON {db}.pv_scores TO '{user}'@'%'"][..],
        &["GRANT SELECT, INSERT, UPDATE, DELETE ON {db}.* TO '{user}'@'%'"][..],
    ] {
        let user = t.user(grants).await;
        let db = Db::connect(&user.url).await.unwrap_or_else(|e| panic!("{e}"));
        let models = if grants[0].contains("pv_scores") { &without_fks } else { &all };
        let compared = models.diff(&db).await.unwrap_or_else(|e| panic!("{grants:?}: {e}"));
        assert!(compared.diff.is_empty(), "{grants:?}: {}", compared.report());
        // The table-level user sees one table, without foreign keys: it asks.
        let expected = if grants[0].contains("pv_scores") { 7 } else { 6 };
        assert_eq!(compared.queries, expected, "{grants:?}");
        db.close().await;
    }
}

/// A PostgreSQL role without CREATE on the database syncs models into a schema made for
/// it: `CREATE SCHEMA` is sent only for a schema that does not exist.
async fn a_role_that_cannot_create_schemas_uses_an_existing_one(t: &TestDb) {
    if t.backend != Backend::Postgres {
        return;
    }
    t.exec("CREATE SCHEMA pv_app").await;
    let user = t
        .user(&[
            "REVOKE CREATE ON DATABASE {db} FROM PUBLIC",
            "GRANT USAGE, CREATE ON SCHEMA pv_app TO \"{user}\"",
            "GRANT USAGE, CREATE ON SCHEMA public TO \"{user}\"",
        ])
        .await;
    let db = Db::connect(&user.url).await.unwrap_or_else(|e| panic!("{e}"));
    let options = SyncOptions::new(Mode::Additive);
    let first = Models::new().with::<models::Item>().sync(&db, &options).await.unwrap_or_else(|e| panic!("{e}"));
    assert!(first.plan.statements().iter().all(|s| !s.sql.contains("CREATE SCHEMA")), "{:?}", first.plan.statements());
    let second = Models::new().with::<models::v2::Item>().sync(&db, &options).await.unwrap_or_else(|e| panic!("{e}"));
    assert!(matches!(second.outcome, Outcome::Applied { .. }), "{:?}", second.outcome);
    Models::new().with::<models::v2::Item>().validate(&db).await.unwrap_or_else(|e| panic!("{e}"));
    db.close().await;

    // A schema that does not exist yet is created by a role that may.
    t.exec("DROP SCHEMA pv_app CASCADE").await;
    let created = Models::new().with::<models::Item>().sync(&t.db, &options).await.unwrap();
    assert!(
        created.plan.statements().iter().any(|s| s.sql.contains("CREATE SCHEMA")),
        "{:?}",
        created.plan.statements()
    );
}

per_backend!(
    a_read_only_user_sees_no_false_drift,
    mariadb_users_see_the_checks_of_a_schema_without_foreign_keys,
    a_role_that_cannot_create_schemas_uses_an_existing_one
);
