//! SQLite keeps each table's CREATE statement as written: a table whose stored
//! statements are the ones schemasync writes for its model is known by its text, and a
//! no-op comparison sends one catalog statement. Anything changed since, by hand or by
//! another tool, is read in full and compared as before.
//!
//! (In the test suite every such comparison is also checked against a full read:
//! `.cargo/config.toml` sets `SCHEMASYNC_CHECK_KNOWN_TABLES`.)

use schemasync::{Backend, Change, Mode, SyncOptions};
use schemasync_tests::{kitchen_sink, TestDb};

async fn sqlite() -> TestDb {
    TestDb::fresh(Backend::Sqlite).await.expect("SQLite is embedded")
}

fn kinds(changes: &[Change]) -> Vec<String> {
    let mut out: Vec<String> = changes
        .iter()
        .map(|c| format!("{} {}", serde_json::to_value(c).unwrap()["kind"].as_str().unwrap(), c.table()))
        .collect();
    out.sort();
    out
}

#[tokio::test]
async fn tables_schemasync_made_are_known_by_their_text() {
    let t = sqlite().await;
    let models = kitchen_sink::models();
    models.create_all(&t.db).await.unwrap();
    let compared = models.diff(&t.db).await.unwrap();
    assert!(compared.diff.is_empty(), "{:?}", compared.diff.changes);
    assert_eq!(compared.queries, 1, "every table known by its text: only the stored statements are read");
    assert_eq!(compared.actual.tables.len(), compared.desired.tables.len());

    // A sync that applies writes the history table; it is known by its text too.
    let mut extra = t.strings("SELECT name FROM sqlite_schema WHERE type = 'table' AND name LIKE 'ks_%'").await;
    extra.sort();
    t.exec(&format!("DROP TABLE {}", extra.last().unwrap())).await;
    let report = models.sync(&t.db, &SyncOptions::new(Mode::Additive)).await.unwrap();
    assert_eq!(report.created().len(), 1, "{report}");
    let compared = models.diff(&t.db).await.unwrap();
    assert!(compared.diff.is_empty(), "{:?}", compared.diff.changes);
    assert_eq!(compared.queries, 1);
}

#[tokio::test]
async fn a_table_altered_since_is_read_in_full() {
    let t = sqlite().await;
    let models = kitchen_sink::models();
    models.create_all(&t.db).await.unwrap();
    t.exec("ALTER TABLE ks_teams ADD COLUMN color TEXT").await;
    let compared = models.diff(&t.db).await.unwrap();
    assert_eq!(compared.queries, 2, "the stored statements, then the one table that no longer matches");
    assert_eq!(kinds(&compared.diff.changes), ["drop_column ks_teams"]);
}

#[tokio::test]
async fn indexes_dropped_or_added_by_hand_are_seen() {
    let t = sqlite().await;
    let models = kitchen_sink::models();
    models.create_all(&t.db).await.unwrap();
    let schema = models.schema(Backend::Sqlite).unwrap();
    let indexed = schema.tables.iter().find(|t| !t.indexes.is_empty()).expect("a model with an index");
    let index = &indexed.indexes[0].name;
    t.exec(&format!("DROP INDEX \"{index}\"")).await;
    let compared = models.diff(&t.db).await.unwrap();
    assert_eq!(kinds(&compared.diff.changes), [format!("add_index {}", indexed.name)]);

    let t = sqlite().await;
    models.create_all(&t.db).await.unwrap();
    let plain = schema.tables.iter().find(|t| t.indexes.is_empty()).expect("a model without an index");
    let column = &plain.columns[0].name;
    t.exec(&format!("CREATE INDEX by_hand ON \"{}\" (\"{column}\")", plain.name)).await;
    let compared = models.diff(&t.db).await.unwrap();
    assert_eq!(kinds(&compared.diff.changes), [format!("drop_index {}", plain.name)]);
}

#[tokio::test]
async fn the_same_table_written_otherwise_is_read_in_full_and_matches() {
    let t = sqlite().await;
    let models = kitchen_sink::models();
    // The create-all script with every statement on one line: the same tables, other text.
    for s in models.create_all_sql(Backend::Sqlite).unwrap() {
        t.exec(&s.sql.replace("\n  ", " ").replace('\n', " ")).await;
    }
    let compared = models.diff(&t.db).await.unwrap();
    assert!(compared.diff.is_empty(), "{:?}", compared.diff.changes);
    assert_eq!(compared.queries, 2);
}

#[tokio::test]
async fn an_index_filed_under_another_case_of_its_table_is_seen() {
    let t = sqlite().await;
    let models = kitchen_sink::models();
    models.create_all(&t.db).await.unwrap();
    // SQLite matches table names whatever their case: this index belongs to ks_teams.
    t.exec("CREATE INDEX by_hand ON ks_teams (title)").await;
    t.exec("PRAGMA writable_schema = ON; UPDATE sqlite_schema SET tbl_name = 'KS_TEAMS' WHERE name = 'by_hand'; PRAGMA writable_schema = OFF").await;
    let compared = models.diff(&t.db).await.unwrap();
    assert_eq!(kinds(&compared.diff.changes), ["drop_index ks_teams"]);
}

#[tokio::test]
async fn a_reference_to_a_table_named_in_another_case_finds_its_key() {
    let t = sqlite().await;
    let models = kitchen_sink::models();
    models.create_all(&t.db).await.unwrap();
    t.exec("CREATE TABLE hand_child (id INTEGER PRIMARY KEY, team_id INTEGER REFERENCES KS_TEAMS)").await;
    let found = schemasync::catalog::introspect(&t.db, &[]).await.unwrap();
    let child = found.schema.tables.iter().find(|t| t.name == "hand_child").unwrap();
    assert_eq!(child.foreign_keys[0].ref_columns, ["id"], "REFERENCES without columns names the parent's key");
    let compared = models.diff(&t.db).await.unwrap();
    assert!(compared.diff.changes.is_empty(), "{:?}", compared.diff.changes);
    assert_eq!(compared.diff.unmanaged.len(), 1);
}
