//! The schema command line an app mounts in its own binary.

use schemasync::cli::{run, EXIT_DIFFERENCES, EXIT_OK};
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
    assert_eq!(plan.code, EXIT_DIFFERENCES, "changes to apply: {}", plan.text);
    assert!(plan.text.contains("Dry run") && plan.text.contains("create table"), "{}", plan.text);
    assert!(t.table_names().await.is_empty(), "plan writes nothing");

    let apply = cli("apply --mode additive --json").await.unwrap();
    let json: serde_json::Value = serde_json::from_str(&apply.text).unwrap();
    assert_eq!(json["outcome"], "applied");
    assert_eq!(cli("plan --check --mode=additive").await.unwrap().code, EXIT_OK);
    assert_eq!(cli("validate").await.unwrap().code, EXIT_OK);

    let export = cli("export").await.unwrap();
    assert!(export.text.contains("CREATE TABLE IF NOT EXISTS") && export.text.contains("ks_users"), "{}", export.text);
    assert!(!export.text.contains("schemasync_history"), "{}", export.text);
    let snapshot: serde_json::Value = serde_json::from_str(&cli("export --json").await.unwrap().text).unwrap();
    assert_eq!(snapshot["tables"].as_array().unwrap().len(), 6);

    let history = cli("history").await.unwrap();
    assert!(history.text.contains("additive") && history.text.contains("ok"), "{}", history.text);
    let line = history.text.lines().nth(1).unwrap();
    let at = &line[..19];
    assert!(
        at.len() == 19 && at.as_bytes()[4] == b'-' && at.as_bytes()[10] == b' ' && at.as_bytes()[13] == b':',
        "applied_at in UTC as YYYY-MM-DD HH:MM:SS: {line}"
    );
    let rows: serde_json::Value = serde_json::from_str(&cli("history --json --limit 5").await.unwrap().text).unwrap();
    assert_eq!(rows.as_array().unwrap().len(), 1);
    assert_eq!(rows[0]["success"], true);

    t.exec("ALTER TABLE ks_users DROP COLUMN weight").await;
    let validate = cli("validate").await.unwrap();
    assert_eq!(validate.code, EXIT_DIFFERENCES, "{}", validate.text);
    assert!(validate.text.contains("column weight"), "{}", validate.text);
    // Drift counts whether or not the mode would apply it: a pending step is a difference.
    let pending = cli("plan --check --mode create_all").await.unwrap();
    assert_eq!(pending.code, EXIT_DIFFERENCES, "{}", pending.text);
    assert_eq!(cli("drift").await.unwrap().code, EXIT_OK, "drift shows, it does not judge");

    // Full mode without permission: the hint is the command line's own flag.
    let err = cli("apply --mode full").await.unwrap_err();
    assert!(err.to_string().contains("--allow "), "{err}");
    assert!(!err.to_string().contains("SyncOptions::allow_plan"), "{err}");
}

per_backend!(the_commands);

#[tokio::test]
async fn help_is_not_an_error_and_mistakes_get_suggestions() {
    let db = schemasync::Db::connect("sqlite::memory:").await.unwrap();
    let models = kitchen_sink::models();
    for line in ["--help", "-h", "plan --help", "help apply", "migrate --help", "migrate new --help"] {
        let out = run(&db, &models, args(line)).await.unwrap();
        assert_eq!(out.code, EXIT_OK, "{line}");
        assert!(out.text.contains("Usage: schema"), "{line}: {}", out.text);
    }
    let help = run(&db, &models, args("--help")).await.unwrap().text;
    for needle in ["plan", "apply", "validate", "drift", "export", "history", "Exit codes", "2  differences"] {
        assert!(help.contains(needle), "{needle} in {help}");
    }
    for (bad, says) in [
        ("", "Usage: schema"),
        ("launch", "unrecognized subcommand 'launch'"),
        ("valdate", "a similar subcommand exists: 'validate'"),
        ("plan --mode rebiuld", "unknown mode \"rebiuld\""),
        ("plan --chek", "--check"),
        ("history --limit many", "invalid value 'many'"),
        ("export --backend oracle", "use postgres, mysql or sqlite"),
    ] {
        let err = run(&db, &models, args(bad)).await.unwrap_err();
        assert!(matches!(err, Error::Usage { .. }), "{bad}: {err:?}");
        assert!(err.to_string().contains(says), "{bad}: expected {says:?} in {err}");
    }
}

/// The command line as a shell runs it: exit codes, and a reader that goes away.
#[test]
fn exit_codes_and_a_closed_pipe() {
    use std::process::{Command, Stdio};
    let dir = std::env::temp_dir().join(format!("schemasync-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let url = format!("sqlite://{}?mode=rwc", dir.join("app.db").display());
    let schema = |line: &str| {
        let out = Command::new(env!("CARGO_BIN_EXE_schema_cli"))
            .args([url.as_str(), "kitchen_sink"])
            .args(line.split_whitespace())
            .env_remove("SCHEMASYNC_MODE")
            .env("NO_COLOR", "1")
            .output()
            .unwrap();
        let text = format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
        (out.status.code(), text)
    };
    let (code, help) = schema("--help");
    assert_eq!(code, Some(0), "{help}");
    assert!(help.contains("Exit codes") && !help.contains("\x1b["), "{help}");
    assert_eq!(schema("validate").0, Some(2), "differences");
    assert_eq!(schema("plan --check").0, Some(2), "differences");
    assert_eq!(schema("plna").0, Some(1), "a usage error is an error");
    assert_eq!(schema("apply").0, Some(0), "done");
    assert_eq!(schema("validate").0, Some(0), "in sync");
    assert_eq!(schema("plan --check").0, Some(0), "in sync");

    // Versioned migrations: generated, checked clean, then models ahead of them.
    let migrations = dir.join("migrations");
    let dir_arg = format!("--dir={}", migrations.display());
    let (code, text) = schema(&format!("migrate new init {dir_arg}"));
    assert_eq!(code, Some(0), "{text}");
    assert_eq!(schema(&format!("migrate check {dir_arg}")).0, Some(0));
    assert_eq!(schema(&format!("migrate new !!! {dir_arg}")).0, Some(1), "a name that is no name");
    let ahead = Command::new(env!("CARGO_BIN_EXE_schema_cli"))
        .args([url.as_str(), "kitchen_sink_v2", "migrate", "check", &dir_arg])
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&ahead.stdout);
    assert_eq!(ahead.status.code(), Some(2), "{text}");
    assert!(text.contains("models changed since the last migration"), "{text}");

    // `schema export --models | head -1`: the reader is gone before the output comes.
    let mut child = Command::new(env!("CARGO_BIN_EXE_schema_cli"))
        .args([url.as_str(), "kitchen_sink", "export", "--models", "--json"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take());
    let out = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
    let _ = std::fs::remove_dir_all(&dir);
}

/// `schema models`: the models of an existing database, as source; never a password.
#[tokio::test]
async fn models_from_an_existing_database() {
    let Some(t) = TestDb::fresh(schemasync::Backend::Postgres).await else { return };
    let models = kitchen_sink::models();
    let empty = run(&t.db, &models, args("models")).await.unwrap_err().to_string();
    assert!(empty.contains("has no tables") && empty.contains("--schema"), "{empty}");
    models.create_all(&t.db).await.unwrap();

    let url = t.url.replacen("postgres://postgres@", "postgres://postgres:s3cret@", 1);
    let line = format!("models --url {url} --tables ks_users,ks_accounts");
    let out = run(&t.db, &models, args(&line)).await.unwrap();
    assert_eq!(out.code, EXIT_OK);
    assert!(out.text.contains("pub struct KsUsers {") && out.text.contains("pub struct KsAccounts {"), "{}", out.text);
    assert!(!out.text.contains("pub struct KsTeams"), "only the tables asked for");
    assert!(!out.text.contains("s3cret") && out.notes.iter().all(|n| !n.contains("s3cret")), "{}", out.text);
    let header = out.text.lines().next().unwrap();
    assert!(header.contains("from database ss_") && header.contains("(PostgreSQL)"), "{header}");

    let unknown = run(&t.db, &models, args("models --tables ks_userz")).await.unwrap_err().to_string();
    assert!(unknown.contains("ks_userz"), "{unknown}");

    let dir = std::env::temp_dir().join(schemasync_tests::harness::unique_name("models_out"));
    std::fs::create_dir_all(&dir).unwrap();
    let line = vec!["models".into(), "--schema".into(), "ks_audit".into(), "--out".into(), dir.display().to_string()];
    let out = run(&t.db, &models, line).await.unwrap();
    assert!(out.text.contains("Wrote 6 model(s)"), "{}", out.text);
    assert!(std::fs::read_to_string(dir.join("models.rs")).unwrap().contains("pub fn models()"));
    let _ = std::fs::remove_dir_all(&dir);
}
