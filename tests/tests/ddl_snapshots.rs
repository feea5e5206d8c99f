#![allow(dead_code)] // the models here are only read through their table definitions
//! The kitchen-sink create-all and drop-all scripts, per dialect, as reviewed snapshots.

use schemasync::Backend;
use schemasync_tests::kitchen_sink;

fn script(backend: Backend, drop: bool) -> String {
    let models = kitchen_sink::models();
    let statements = if drop { models.drop_all_sql(backend) } else { models.create_all_sql(backend) }
        .unwrap_or_else(|e| panic!("{backend}: {e}"));
    statements.iter().map(|s| format!("{};\n", s.sql)).collect::<Vec<_>>().join("\n")
}

#[test]
fn create_all_postgres() {
    insta::assert_snapshot!(script(Backend::Postgres, false));
}

#[test]
fn create_all_mysql() {
    insta::assert_snapshot!(script(Backend::MySql, false));
}

#[test]
fn create_all_sqlite() {
    insta::assert_snapshot!(script(Backend::Sqlite, false));
}

#[test]
fn drop_all_postgres() {
    insta::assert_snapshot!(script(Backend::Postgres, true));
}

#[test]
fn drop_all_mysql() {
    insta::assert_snapshot!(script(Backend::MySql, true));
}

#[test]
fn drop_all_sqlite() {
    insta::assert_snapshot!(script(Backend::Sqlite, true));
}

#[test]
fn desired_schema_ir() {
    let schema = kitchen_sink::models().schema(Backend::Postgres).unwrap();
    insta::assert_json_snapshot!(schema);
}

#[test]
fn scripts_are_deterministic() {
    for backend in [Backend::Postgres, Backend::MySql, Backend::Sqlite] {
        assert_eq!(script(backend, false), script(backend, false));
        let reversed = schemasync::Models::new().with_defs(kitchen_sink::defs().into_iter().rev());
        let a = reversed.create_all_sql(backend).unwrap();
        let b = kitchen_sink::models().create_all_sql(backend).unwrap();
        assert_eq!(a, b, "model order must not change the {backend} script");
    }
}

mod refused {
    use schemasync::Table;

    #[derive(Table)]
    #[table(name = "notes")]
    pub struct Note {
        #[column(primary_key, auto_increment)]
        pub id: i64,
        #[column(unique)]
        pub title: String,
    }

    #[derive(Table)]
    #[table(name = "pairs", primary_key(a, b))]
    pub struct Pair {
        #[column(auto_increment)]
        pub a: i64,
        pub b: i64,
    }
}

#[test]
fn mysql_refuses_a_key_on_an_unbounded_string_and_says_how_to_fix_it() {
    let models = schemasync::Models::new().with::<refused::Note>();
    assert!(models.create_all_sql(Backend::Postgres).is_ok());
    let err = models.create_all_sql(Backend::MySql).unwrap_err().to_string();
    assert!(
        err.contains("`notes`")
            && err.contains("column `title`")
            && err.contains("notes_title_key")
            && err.contains("len = 255"),
        "{err}"
    );
}

#[test]
fn sqlite_refuses_auto_increment_outside_a_sole_primary_key() {
    let models = schemasync::Models::new().with::<refused::Pair>();
    assert!(models.create_all_sql(Backend::Postgres).is_ok());
    let err = models.create_all_sql(Backend::Sqlite).unwrap_err().to_string();
    assert!(err.contains("`pairs`") && err.contains("column `a`") && err.contains("INTEGER PRIMARY KEY"), "{err}");
}
