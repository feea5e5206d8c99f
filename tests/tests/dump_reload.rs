//! A schema another tool wrote: the kitchen sink, dumped with the backend's own tool
//! (`pg_dump --schema-only`, `mysqldump --no-data`, `sqlite3 .schema --nosys`) and loaded with
//! its own client into a fresh database, compares equal to the models. The dumps spell
//! everything their own way: schema-qualified names, `ALTER TABLE ONLY`, identity
//! sequences, `int(11)`, backticks, version comments.

use schemasync::Backend;
use schemasync_tests::{kitchen_sink, per_backend, TestDb};
use std::process::Command;

/// Runs a client program; a missing program fails with what to install.
fn run(program: &str, args: &[&str], stdin: Option<&str>) -> String {
    use std::io::Write;
    let mut cmd = Command::new(program);
    cmd.args(args).stdout(std::process::Stdio::piped()).stderr(std::process::Stdio::piped());
    if stdin.is_some() {
        cmd.stdin(std::process::Stdio::piped());
    }
    let mut child = cmd.spawn().unwrap_or_else(|e| {
        panic!("cannot run `{program}` ({e}); install the database's client tools (postgresql-client, mariadb-client, sqlite3)")
    });
    if let Some(input) = stdin {
        child.stdin.take().expect("stdin").write_all(input.as_bytes()).expect("write stdin");
    }
    let out = child.wait_with_output().expect("the program ends");
    assert!(out.status.success(), "`{program} {}` failed: {}", args.join(" "), String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).expect("UTF-8 output")
}

/// `scheme://user@host:port/db` -> (user, host, port, db).
fn parts(url: &str) -> (String, String, String, String) {
    let rest = url.split_once("://").map(|(_, r)| r).unwrap_or(url);
    let rest = rest.split('?').next().unwrap_or(rest);
    let (auth, path) = rest.split_once('/').expect("a database in the URL");
    let (user, hostport) = auth.rsplit_once('@').unwrap_or(("root", auth));
    let user = user.split(':').next().unwrap_or(user);
    let (host, port) = hostport.split_once(':').unwrap_or((hostport, ""));
    (user.to_string(), host.to_string(), port.to_string(), path.to_string())
}

fn sqlite_path(url: &str) -> String {
    url.trim_start_matches("sqlite://").split('?').next().unwrap_or_default().to_string()
}

/// The schema of `t` as the backend's own dump tool writes it.
fn dump(t: &TestDb) -> String {
    match t.backend {
        Backend::Postgres => run("pg_dump", &["--schema-only", "--no-owner", "--no-privileges", &t.url], None),
        Backend::MySql => {
            let (user, host, port, db) = parts(&t.url);
            let port = if port.is_empty() { "3306".to_string() } else { port };
            run("mysqldump", &["--no-data", "-h", &host, "-P", &port, "-u", &user, &db], None)
        }
        Backend::Sqlite => run("sqlite3", &[&sqlite_path(&t.url), ".schema --nosys"], None),
    }
}

/// Loads `script` into `t` with the backend's own client.
fn load(t: &TestDb, script: &str) {
    match t.backend {
        Backend::Postgres => {
            run("psql", &["-v", "ON_ERROR_STOP=1", "-q", &t.url], Some(script));
        }
        Backend::MySql => {
            let (user, host, port, db) = parts(&t.url);
            let port = if port.is_empty() { "3306".to_string() } else { port };
            run("mysql", &["-h", &host, "-P", &port, "-u", &user, &db], Some(script));
        }
        Backend::Sqlite => {
            run("sqlite3", &[&sqlite_path(&t.url)], Some(script));
        }
    }
}

async fn dumped_and_reloaded_schema_diffs_empty(t: &TestDb) {
    let models = kitchen_sink::models();
    models.create_all(&t.db).await.unwrap();
    let script = dump(t);
    assert!(script.contains("ks_users"), "{script}");
    let copy = TestDb::fresh(t.backend).await.expect("a second database");
    load(&copy, &script);
    let compared = models.diff(&copy.db).await.unwrap();
    assert!(
        compared.diff.is_empty(),
        "{}: the reloaded dump differs from the models:\n{:#?}\nthe dump:\n{script}",
        t.backend,
        compared.diff.changes
    );
    assert!(compared.diff.unmanaged.is_empty(), "{:?}", compared.diff.unmanaged);
}

per_backend!(dumped_and_reloaded_schema_diffs_empty);
