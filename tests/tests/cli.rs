//! The schema command line an app mounts in its own binary.

use schemasync::cli::run;
use schemasync::Error;
use schemasync_tests::{kitchen_sink, per_backend, TestDb};

fn args(line: &str) -> Vec<String> {
    line.split_whitespace().map(str::to_string).collect()
}

async fn the_commands(t: &TestDb) {
    let models = kitchen_sink::models();
    let cli = |line: &'static str| {
        let db = t.db.clone();
        let models = models.clone();
        async move { run(&db, &models, args(line)).await }
    };
    let plan = cli("plan --check --mode additive").await.unwrap();
    assert_eq!(plan.code, 1, "changes to apply: {}", plan.text);
    assert!(plan.text.contains("Dry run") && plan.text.contains("create table"), "{}", plan.text);
    assert!(t.table_names().await.is_empty(), "plan writes nothing");

    let apply = cli("apply --mode additive --json").await.unwrap();
    let json: serde_json::Value = serde_json::from_str(&apply.text).unwrap();
    assert_eq!(json["outcome"], "applied");
    assert_eq!(cli("plan --check --mode additive").await.unwrap().code, 0);
    assert_eq!(cli("validate").await.unwrap().code, 0);

    let export = cli("export").await.unwrap();
    assert!(export.text.contains("CREATE TABLE IF NOT EXISTS") && export.text.contains("ks_users"), "{}", export.text);
    assert!(!export.text.contains("schemasync_history"), "{}", export.text);
    let snapshot: serde_json::Value = serde_json::from_str(&cli("export --json").await.unwrap().text).unwrap();
    assert_eq!(snapshot["tables"].as_array().unwrap().len(), 6);

    let history = cli("history").await.unwrap();
    assert!(history.text.contains("additive") && history.text.contains("ok"), "{}", history.text);
    let rows: serde_json::Value = serde_json::from_str(&cli("history --json --limit 5").await.unwrap().text).unwrap();
    assert_eq!(rows.as_array().unwrap().len(), 1);
    assert_eq!(rows[0]["success"], true);

    t.exec("ALTER TABLE ks_users DROP COLUMN weight").await;
    let validate = cli("validate").await.unwrap();
    assert_eq!(validate.code, 1, "{}", validate.text);
    assert!(validate.text.contains("column weight"), "{}", validate.text);

    for bad in ["", "launch", "plan --mode rebiuld", "plan --frobnicate"] {
        let err = run(&t.db, &models, args(bad)).await.unwrap_err();
        assert!(matches!(err, Error::InvalidSetting { .. }), "{bad}: {err:?}");
        assert!(err.to_string().contains("usage:") || err.to_string().contains("SCHEMASYNC_MODE"), "{bad}: {err}");
    }
}

per_backend!(the_commands);
