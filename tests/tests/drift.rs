//! Drift made by hand with plain SQL, one kind per test, is reported as exactly the
//! expected change and nothing else. Each case starts from a fresh database made by
//! create_all from the kitchen-sink models.

use schemasync::{Backend, Change};
use schemasync_tests::{kitchen_sink, per_backend, TestDb};

/// A short, stable description of a change: `kind table object`.
fn summary(c: &Change) -> String {
    let kind = serde_json::to_value(c).unwrap()["kind"].as_str().unwrap().to_string();
    let object = match c {
        Change::CreateTable { .. } | Change::DropTable { .. } | Change::SetTableComment { .. } => String::new(),

        Change::RenameTable { from, .. } => format!("from {from}"),
        Change::AddColumn { column, .. } | Change::DropColumn { column, .. } => column.name.clone(),
        Change::RenameColumn { from, to, .. } => format!("{from} -> {to}"),
        Change::AlterColumnType { column, widening, .. } => format!("{column} widening={widening}"),
        Change::AlterNullability { column, nullable, .. } => format!("{column} nullable={nullable}"),
        Change::AlterDefault { column, .. }
        | Change::AlterAutoIncrement { column, .. }
        | Change::AlterIdentity { column, .. }
        | Change::SetColumnComment { column, .. } => column.clone(),
        Change::AddPrimaryKey { key, .. } | Change::DropPrimaryKey { key, .. } => key.columns.join(","),
        Change::AddUnique { unique, .. } | Change::DropUnique { unique, .. } => unique.columns.join(","),
        Change::AddIndex { index, .. } | Change::DropIndex { index, .. } => {
            index.columns.iter().filter_map(|p| p.as_column()).collect::<Vec<_>>().join(",")
        }
        Change::AddForeignKey { foreign_key, .. } | Change::DropForeignKey { foreign_key, .. } => {
            foreign_key.columns.join(",")
        }
        Change::AlterForeignKey { to, .. } => to.columns.join(","),
        Change::AddCheck { check, .. } | Change::DropCheck { check, .. } => check.expr.to_lowercase(),
        other => format!("{other:?}"),
    };
    format!("{kind} {} {object}", c.table()).trim().to_string()
}

/// Runs `sql` (statements separated by `;`) on a fresh kitchen-sink database and checks
/// the diff is exactly `expected`.
async fn drift(t: &TestDb, sql: &str, expected: &[&str]) {
    kitchen_sink::models().create_all(&t.db).await.unwrap();
    t.exec(sql).await;
    let compared = kitchen_sink::models().diff(&t.db).await.unwrap();
    let mut got: Vec<String> = compared.diff.changes.iter().map(summary).collect();
    got.sort();
    let mut want: Vec<String> = expected.iter().map(|s| s.to_string()).collect();
    want.sort();
    assert_eq!(got, want, "{}: after `{sql}`", t.backend);
    assert!(compared.diff.unmanaged.is_empty(), "{:?}", compared.diff.unmanaged);
}

/// SQLite can only change a column by dropping and adding it (or rebuilding the table).
fn by_backend<'a>(t: &TestDb, pg: &'a str, my: &'a str, lite: &'a str) -> &'a str {
    match t.backend {
        Backend::Postgres => pg,
        Backend::MySql => my,
        Backend::Sqlite => lite,
    }
}

async fn dropped_column(t: &TestDb) {
    drift(t, "ALTER TABLE ks_users DROP COLUMN weight", &["add_column ks_users weight"]).await;
}

async fn extra_column(t: &TestDb) {
    drift(t, "ALTER TABLE ks_teams ADD COLUMN color VARCHAR(10)", &["drop_column ks_teams color"]).await;
}

async fn widened_type(t: &TestDb) {
    // The database has varchar(40): the model's varchar(80) is a widening. SQLite
    // enforces no length (both are TEXT affinity), so there it is no difference at all.
    let sql = by_backend(
        t,
        "ALTER TABLE ks_teams ALTER COLUMN title TYPE varchar(40)",
        "ALTER TABLE ks_teams MODIFY title varchar(40) NOT NULL",
        "ALTER TABLE ks_users DROP COLUMN display_name; ALTER TABLE ks_users ADD COLUMN display_name VARCHAR(20)",
    );
    let expected: &[&str] =
        if t.backend == Backend::Sqlite { &[] } else { &["alter_column_type ks_teams title widening=true"] };
    drift(t, sql, expected).await;
}

async fn narrowed_type(t: &TestDb) {
    // The database has bigint: the model's smallint is a narrowing.
    let sql = by_backend(
        t,
        "ALTER TABLE ks_users ALTER COLUMN age TYPE bigint",
        "ALTER TABLE ks_users MODIFY age bigint NOT NULL",
        "ALTER TABLE ks_users DROP COLUMN weight; ALTER TABLE ks_users ADD COLUMN weight TEXT",
    );
    let expected = if t.backend == Backend::Sqlite {
        "alter_column_type ks_users weight widening=false"
    } else {
        "alter_column_type ks_users age widening=false"
    };
    drift(t, sql, &[expected]).await;
}

async fn nullability(t: &TestDb) {
    let sql = by_backend(
        t,
        "ALTER TABLE ks_users ALTER COLUMN display_name SET NOT NULL",
        "ALTER TABLE ks_users MODIFY display_name longtext NOT NULL",
        "ALTER TABLE ks_users DROP COLUMN display_name; ALTER TABLE ks_users ADD COLUMN display_name TEXT NOT NULL DEFAULT ''",
    );
    let mut expected = vec!["alter_nullability ks_users display_name nullable=true"];
    if t.backend == Backend::Sqlite {
        expected.push("alter_default ks_users display_name");
    }
    drift(t, sql, &expected).await;
}

async fn changed_default(t: &TestDb) {
    let sql = by_backend(
        t,
        "ALTER TABLE ks_users ALTER COLUMN score SET DEFAULT 5",
        "ALTER TABLE ks_users ALTER COLUMN score SET DEFAULT 5",
        "ALTER TABLE ks_users DROP COLUMN ratio; ALTER TABLE ks_users ADD COLUMN ratio REAL NOT NULL DEFAULT 2.5",
    );
    let expected =
        if t.backend == Backend::Sqlite { "alter_default ks_users ratio" } else { "alter_default ks_users score" };
    drift(t, sql, &[expected]).await;
}

async fn dropped_index(t: &TestDb) {
    let sql = by_backend(
        t,
        "DROP INDEX ks_users_recent",
        "DROP INDEX ks_users_recent ON ks_users",
        "DROP INDEX ks_users_recent",
    );
    drift(t, sql, &["add_index ks_users account_id,created_on"]).await;
}

async fn extra_unique_index(t: &TestDb) {
    // On MySQL a unique index is the unique key itself.
    let expected = if t.backend == Backend::MySql { "drop_unique ks_teams title" } else { "drop_index ks_teams title" };
    drift(t, "CREATE UNIQUE INDEX teams_title_uq ON ks_teams (title)", &[expected]).await;
}

async fn dropped_unique(t: &TestDb) {
    let sql = by_backend(
        t,
        "ALTER TABLE ks_accounts DROP CONSTRAINT ks_accounts_name_key",
        "DROP INDEX ks_accounts_name_key ON ks_accounts",
        // SQLite cannot drop a constraint: rebuild the (empty) table without it.
        "DROP TABLE ks_membership_notes; CREATE TABLE ks_membership_notes (id INTEGER PRIMARY KEY AUTOINCREMENT, account_id BIGINT NOT NULL, user_id INTEGER NOT NULL, body TEXT NOT NULL, FOREIGN KEY (account_id, user_id) REFERENCES ks_memberships ON DELETE CASCADE, UNIQUE (body), CHECK (length(body) > 0))",
    );
    let expected = if t.backend == Backend::Sqlite {
        "drop_unique ks_membership_notes body"
    } else {
        "add_unique ks_accounts name"
    };
    drift(t, sql, &[expected]).await;
}

async fn foreign_key_action(t: &TestDb) {
    let sql = by_backend(
        t,
        "ALTER TABLE ks_users DROP CONSTRAINT ks_users_account_id_fkey; ALTER TABLE ks_users ADD CONSTRAINT other_name FOREIGN KEY (account_id) REFERENCES ks_accounts (id) ON DELETE RESTRICT",
        "ALTER TABLE ks_users DROP FOREIGN KEY ks_users_account_id_fkey; ALTER TABLE ks_users ADD CONSTRAINT other_name FOREIGN KEY (account_id) REFERENCES ks_accounts (id) ON DELETE RESTRICT",
        "DROP TABLE ks_teams; CREATE TABLE ks_teams (id INTEGER PRIMARY KEY AUTOINCREMENT, title VARCHAR(80) NOT NULL, lead_user_id INTEGER REFERENCES ks_users (id) ON DELETE CASCADE ON UPDATE CASCADE)",
    );
    let expected = if t.backend == Backend::Sqlite {
        "alter_foreign_key ks_teams lead_user_id"
    } else {
        "alter_foreign_key ks_users account_id"
    };
    drift(t, sql, &[expected]).await;
}

async fn dropped_foreign_key(t: &TestDb) {
    let sql = by_backend(
        t,
        "ALTER TABLE ks_users DROP CONSTRAINT ks_users_team_id_fkey",
        "ALTER TABLE ks_users DROP FOREIGN KEY ks_users_team_id_fkey",
        "DROP TABLE ks_teams; CREATE TABLE ks_teams (id INTEGER PRIMARY KEY AUTOINCREMENT, title VARCHAR(80) NOT NULL, lead_user_id INTEGER)",
    );
    let expected = if t.backend == Backend::Sqlite {
        "add_foreign_key ks_teams lead_user_id"
    } else {
        "add_foreign_key ks_users team_id"
    };
    drift(t, sql, &[expected]).await;
}

async fn dropped_check(t: &TestDb) {
    let sql = by_backend(
        t,
        "ALTER TABLE ks_users DROP CONSTRAINT ks_users_age_nonneg",
        "ALTER TABLE ks_users DROP CONSTRAINT ks_users_age_nonneg",
        "DROP TABLE ks_membership_notes; CREATE TABLE ks_membership_notes (id INTEGER PRIMARY KEY AUTOINCREMENT, account_id BIGINT NOT NULL, user_id INTEGER NOT NULL, body TEXT NOT NULL, FOREIGN KEY (account_id, user_id) REFERENCES ks_memberships ON DELETE CASCADE)",
    );
    let expected = if t.backend == Backend::Sqlite {
        "add_check ks_membership_notes length(body) > 0"
    } else {
        "add_check ks_users age >= 0"
    };
    drift(t, sql, &[expected]).await;
}

async fn changed_comment(t: &TestDb) {
    let sql = match t.backend {
        Backend::Postgres => "COMMENT ON TABLE ks_accounts IS 'Customers'",
        Backend::MySql => "ALTER TABLE ks_accounts COMMENT 'Customers'",
        Backend::Sqlite => return, // SQLite keeps no comments; nothing to drift.
    };
    drift(t, sql, &["set_table_comment ks_accounts"]).await;
}

async fn renamed_table(t: &TestDb) {
    drift(t, "ALTER TABLE ks_accounts RENAME TO ks_tenants", &["rename_table ks_accounts from ks_tenants"]).await;
}

async fn renamed_column(t: &TestDb) {
    drift(t, "ALTER TABLE ks_users RENAME COLUMN external_id TO uid", &["rename_column ks_users uid -> external_id"])
        .await;
}

async fn dropped_table(t: &TestDb) {
    drift(t, "DROP TABLE ks_membership_notes", &["create_table ks_membership_notes"]).await;
}

async fn unmanaged_table_is_reported_not_changed(t: &TestDb) {
    kitchen_sink::models().create_all(&t.db).await.unwrap();
    t.exec("CREATE TABLE legacy_audit (id INTEGER PRIMARY KEY, note VARCHAR(20))").await;
    let compared = kitchen_sink::models().diff(&t.db).await.unwrap();
    assert!(compared.diff.changes.is_empty(), "{:#?}", compared.diff.changes);
    let unmanaged: Vec<String> = compared.diff.unmanaged.iter().map(|t| t.to_string()).collect();
    assert_eq!(unmanaged, ["legacy_audit"]);
}

per_backend!(
    dropped_column,
    extra_column,
    widened_type,
    narrowed_type,
    nullability,
    changed_default,
    dropped_index,
    extra_unique_index,
    dropped_unique,
    foreign_key_action,
    dropped_foreign_key,
    dropped_check,
    changed_comment,
    renamed_table,
    renamed_column,
    dropped_table,
    unmanaged_table_is_reported_not_changed,
);

/// The drift report shows, per table and per column, the model next to the database,
/// with counts, as text and as JSON; and one clear line when in sync.
async fn drift_report(t: &TestDb) {
    let models = kitchen_sink::models();
    models.create_all(&t.db).await.unwrap();
    let clean = models.drift(&t.db).await.unwrap();
    assert!(clean.in_sync);
    assert!(
        clean.to_string().starts_with(&format!("✓ in sync: the {} database matches all 6 table(s)", t.backend)),
        "{clean}"
    );

    let sql = by_backend(
        t,
        "ALTER TABLE ks_users DROP COLUMN weight; DROP INDEX ks_users_recent; ALTER TABLE ks_teams ALTER COLUMN title TYPE varchar(40); CREATE TABLE legacy_audit (id INTEGER)",
        "ALTER TABLE ks_users DROP COLUMN weight; DROP INDEX ks_users_recent ON ks_users; ALTER TABLE ks_teams MODIFY title varchar(40) NOT NULL; CREATE TABLE legacy_audit (id INTEGER)",
        "ALTER TABLE ks_users DROP COLUMN weight; DROP INDEX ks_users_recent; CREATE TABLE legacy_audit (id INTEGER)",
    );
    t.exec(sql).await;
    let report = models.drift(&t.db).await.unwrap();
    let text = report.to_string();
    assert!(!report.in_sync);
    assert!(text.contains("column weight"), "{text}");
    assert!(text.contains("database: missing"), "{text}");
    assert!(text.contains("index ks_users_recent (account_id, created_on)"), "{text}");
    assert!(text.contains("unmanaged, never touched: legacy_audit"), "{text}");
    assert!(text.contains("ks_accounts") && text.contains("in sync"), "{text}");
    let json: serde_json::Value = serde_json::from_str(&report.to_json()).unwrap();
    assert_eq!(json["in_sync"], false);
    assert_eq!(json["summary"]["unmanaged"], 1);
    assert_eq!(json["summary"]["tables"], 6);
    if t.backend == Backend::Postgres {
        assert!(text.contains("column title type  model: varchar(80)  database: varchar(40)  (widening)"), "{text}");
        insta::assert_snapshot!("drift_report_postgres", text);
    }
}

per_backend!(drift_report);
