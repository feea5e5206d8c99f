//! Reliability on each backend: sixteen app processes booting at once on one database,
//! an apply killed with SIGKILL halfway, identifiers no one should use, and random
//! model evolutions over tables that hold rows, synced in additive mode.
//!
//! Every case is bounded: a probe process that runs longer than [`PROBE_TIMEOUT`] is
//! killed and fails its test, and every test body runs under [`TEST_TIMEOUT`]. The
//! evolution property runs 200 cases per backend; `PROPTEST_CASES=10000` for a long run.

#[path = "../src/model_sets.rs"]
mod model_sets;

use proptest::prelude::*;
use proptest::sample::Index;
use proptest::test_runner::{Config, TestCaseError, TestRunner};
use schemasync::dialect::{dialect, quote_ident, quote_literal};
use schemasync::model::{DefaultDef, ForeignKeyDef, IndexDef, KeyDef, TableDef, TypeDef};
use schemasync::plan::{Disposition, Hazard};
use schemasync::schema::FkAction;
use schemasync::{Backend, Change, Db, Mode, Models, Outcome, SyncOptions};
use schemasync_tests::dynamic::{self, leak, leak_slice};
use schemasync_tests::{kitchen_sink, per_backend, TestDb};
use std::future::Future;
use std::os::unix::process::ExitStatusExt;
use std::process::{Command, ExitStatus, Stdio};
use std::time::{Duration, Instant};

/// The longest a probe process may run.
const PROBE_TIMEOUT: Duration = Duration::from_secs(120);
/// The longest a test body may run.
const TEST_TIMEOUT: Duration = Duration::from_secs(300);
/// The longest one case of the evolution property may run.
const CASE_TIMEOUT: Duration = Duration::from_secs(60);

/// Runs `body`, failing the test when it takes longer than `limit`.
async fn within<F: Future>(limit: Duration, what: &str, body: F) -> F::Output {
    match tokio::time::timeout(limit, body).await {
        Ok(out) => out,
        Err(_) => panic!("{what} did not finish within {limit:?}"),
    }
}

/// A probe process that has exited.
struct Finished {
    status: ExitStatus,
    stdout: String,
    stderr: String,
}

impl Finished {
    /// The JSON line it printed (null when it printed none).
    fn json(&self) -> serde_json::Value {
        self.stdout.lines().last().and_then(|l| serde_json::from_str(l).ok()).unwrap_or(serde_json::Value::Null)
    }

    fn outcome(&self) -> String {
        self.json()["outcome"].as_str().unwrap_or("").to_string()
    }
}

impl std::fmt::Display for Finished {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}; stdout: {}; stderr:\n{}", self.status, self.stdout.trim(), self.stderr.trim())
    }
}

/// Starts the boot probe once per argument list, all at once, and waits for every one
/// of them, at most [`PROBE_TIMEOUT`]: one still running then is killed, and the test
/// fails. Output goes to files, so that no probe ever blocks on a full pipe.
fn run_probes(runs: &[Vec<String>]) -> Vec<Finished> {
    let dir = std::env::temp_dir().join(schemasync_tests::harness::unique_name("boot_probe"));
    std::fs::create_dir_all(&dir).expect("a directory for the probes' output");
    let mut children = Vec::new();
    for (i, args) in runs.iter().enumerate() {
        let out = dir.join(format!("{i}.out"));
        let err = dir.join(format!("{i}.err"));
        let child = Command::new(env!("CARGO_BIN_EXE_boot_probe"))
            .args(args)
            .env("RUST_BACKTRACE", "0")
            .stdin(Stdio::null())
            .stdout(std::fs::File::create(&out).expect("an output file"))
            .stderr(std::fs::File::create(&err).expect("an output file"))
            .spawn()
            .expect("the boot probe starts");
        children.push((child, out, err, None::<ExitStatus>));
    }
    let deadline = Instant::now() + PROBE_TIMEOUT;
    loop {
        for (child, _, _, status) in children.iter_mut().filter(|c| c.3.is_none()) {
            *status = child.try_wait().expect("the probe's status");
        }
        if children.iter().all(|c| c.3.is_some()) {
            break;
        }
        if Instant::now() > deadline {
            let mut hung = 0;
            for (child, _, _, _) in children.iter_mut().filter(|c| c.3.is_none()) {
                let _ = child.kill();
                let _ = child.wait();
                hung += 1;
            }
            let _ = std::fs::remove_dir_all(&dir);
            panic!("{hung} of {} probe(s) still ran after {PROBE_TIMEOUT:?}; killed", runs.len());
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    let finished = children
        .into_iter()
        .map(|(_, out, err, status)| Finished {
            status: status.expect("exited"),
            stdout: std::fs::read_to_string(out).unwrap_or_default(),
            stderr: std::fs::read_to_string(err).unwrap_or_default(),
        })
        .collect();
    let _ = std::fs::remove_dir_all(&dir);
    finished
}

/// [`run_probes`] from an async test.
fn probes(runs: &[Vec<String>]) -> Vec<Finished> {
    tokio::task::block_in_place(|| run_probes(runs))
}

fn args(t: &TestDb, set: &str, mode: &str, extra: &[&str]) -> Vec<String> {
    let mut v = vec![t.url.clone(), set.to_string(), mode.to_string()];
    v.extend(extra.iter().map(|s| s.to_string()));
    v
}

fn v2() -> Models {
    model_sets::by_name("kitchen_sink_v2").expect("the model set")
}

// ---------------------------------------------------------------------------------
// Sixteen processes boot at once.

/// Sixteen processes boot at once on one empty database, each with its own pool: all
/// of them succeed, exactly one applies the plan (the others find it applied while
/// they waited for the lock, or find nothing to do), the history holds exactly that
/// one run, and the schema matches the models.
async fn sixteen_processes_boot_at_once(t: &TestDb) {
    within(TEST_TIMEOUT, "sixteen boots", async {
        let runs = vec![args(t, "kitchen_sink", "additive", &[]); 16];
        let done = probes(&runs);
        for (i, p) in done.iter().enumerate() {
            assert!(p.status.success(), "probe {i} on {} failed: {p}", t.backend);
        }
        let outcomes: Vec<String> = done.iter().map(Finished::outcome).collect();
        assert_eq!(outcomes.iter().filter(|o| *o == "Applied").count(), 1, "{outcomes:?}");
        assert!(
            outcomes.iter().all(|o| ["Applied", "AppliedElsewhere", "NothingToDo"].contains(&o.as_str())),
            "{outcomes:?}"
        );
        assert_eq!(t.count("SELECT count(*) FROM schemasync_history WHERE success = TRUE").await, 1);
        assert_eq!(t.count("SELECT count(*) FROM schemasync_history").await, 1, "no failed run is recorded");
        kitchen_sink::models().validate(&t.db).await.unwrap_or_else(|e| panic!("{}: {e}", t.backend));
    })
    .await
}

// ---------------------------------------------------------------------------------
// `kill -9` in the middle of an apply.

/// The kitchen sink, with rows in the two tables the second version alters.
async fn seed_v1(t: &TestDb) {
    kitchen_sink::models().create_all(&t.db).await.unwrap_or_else(|e| panic!("{e}"));
    t.exec("INSERT INTO ks_accounts (name) VALUES ('Ada')").await;
    t.exec("INSERT INTO ks_accounts (name) VALUES ('Grace')").await;
    t.exec("INSERT INTO ks_teams (title) VALUES ('Core')").await;
}

/// A process applying the second version's plan (several statements) is killed with
/// SIGKILL just before its statement `kill_at` (1-based). PostgreSQL and SQLite are
/// exactly as before (the transaction never committed); MariaDB, whose DDL is not
/// transactional, keeps what ran and a history row that says the run was interrupted,
/// how far it got and what came next. A normal boot then applies what is left, the
/// models match, the rows are there, and one more sync has nothing to do.
async fn kill_and_recover(t: &TestDb, kill_at: usize) {
    let v1 = kitchen_sink::models();
    let additive = SyncOptions::new(Mode::Additive);
    let planned = v2().sync(&t.db, &additive.clone().dry_run(true)).await.unwrap_or_else(|e| panic!("{e}"));
    let statements = planned.plan.statements();
    let total = statements.len() + planned.plan.validations().len();
    let done = kill_at - 1;
    assert!(kill_at <= statements.len(), "the kill must come within the plan: {}", planned.plan);
    let runs_before = t.count("SELECT count(*) FROM schemasync_history").await;
    let differences = |db: &Db| {
        let db = db.clone();
        async move { v2().diff(&db).await.unwrap_or_else(|e| panic!("{e}")).diff.changes }
    };
    let differed = differences(&t.db).await;
    let at = format!("{}, killed before statement {kill_at} of {total}", t.backend);

    let killed = probes(&[args(t, "kitchen_sink_v2", "additive", &["--kill-at", &kill_at.to_string()])]);
    let killed = &killed[0];
    assert_eq!(killed.status.signal(), Some(9), "{at}: the probe must die by SIGKILL: {killed}");
    assert!(killed.stdout.trim().is_empty(), "{at}: a killed probe reports nothing: {killed}");

    let names = "SELECT name FROM ks_accounts ORDER BY id";
    assert_eq!(t.strings(names).await, ["Ada", "Grace"], "{at}");
    let history = "SELECT count(*) FROM schemasync_history";
    if t.backend == Backend::MySql {
        assert_eq!(t.count(history).await, runs_before + 1, "{at}: the killed run has its history row");
        let failed = "FROM schemasync_history WHERE success = FALSE";
        assert_eq!(t.count(&format!("SELECT count(*) {failed}")).await, 1, "{at}");
        assert_eq!(t.count(&format!("SELECT completed {failed}")).await, done as i64, "{at}");
        assert_eq!(t.count(&format!("SELECT statement_count {failed}")).await, total as i64, "{at}");
        assert_eq!(t.count(&format!("SELECT count(*) {failed} AND converged IS NULL")).await, 1, "{at}");
        let error = t.strings(&format!("SELECT error {failed} AND error IS NOT NULL")).await;
        assert_eq!(error.len(), 1, "{at}: the row says what happened");
        let error = &error[0];
        assert!(error.contains("interrupted"), "{at}: {error}");
        assert!(error.contains(&format!("{done} of {total} statement(s) done")), "{at}: {error}");
        assert!(error.contains(&statements[done].sql), "{at}: the row names the next statement: {error}");
        if done > 0 {
            assert_ne!(differences(&t.db).await, differed, "{at}: what the statements that ran did stays");
        }
    } else {
        v1.validate(&t.db).await.unwrap_or_else(|e| panic!("{at}: the database is not as before: {e}"));
        assert_eq!(differences(&t.db).await, differed, "{at}");
        assert!(!t.table_names().await.iter().any(|n| n == "ks_invoices"), "{at}: {:?}", t.table_names().await);
        assert_eq!(t.count(history).await, runs_before, "{at}: nothing of the killed run was committed");
    }

    let rerun = probes(&[args(t, "kitchen_sink_v2", "additive", &[])]);
    let rerun = &rerun[0];
    assert!(rerun.status.success(), "{at}: the boot after the kill failed: {rerun}");
    assert_eq!(rerun.outcome(), "Applied", "{at}: {rerun}");
    let sent = rerun.json()["statements"].as_u64().unwrap_or(0) as usize;
    if t.backend == Backend::MySql {
        assert!(sent > 0 && sent <= total - done, "{at}: only what is left is applied, sent {sent}: {rerun}");
    } else {
        assert_eq!(sent, total, "{at}: the whole plan is applied: {rerun}");
    }
    v2().validate(&t.db).await.unwrap_or_else(|e| panic!("{at}: {e}"));
    assert_eq!(t.strings(names).await, ["Ada", "Grace"], "{at}");
    assert_eq!(t.count("SELECT count(*) FROM ks_accounts WHERE seats = 5").await, 2, "{at}");
    let again = v2().sync(&t.db, &additive).await.unwrap_or_else(|e| panic!("{at}: {e}"));
    assert!(matches!(again.outcome, Outcome::NothingToDo), "{at}: {again}");
    assert_eq!(t.count("SELECT count(*) FROM schemasync_history WHERE success = TRUE").await, 2, "{at}");
}

/// [`kill_and_recover`] with the kill before the third statement, then before every
/// other statement of the plan, each on a database of its own.
async fn killed_mid_apply(t: &TestDb) {
    within(TEST_TIMEOUT, "the killed applies", async {
        seed_v1(t).await;
        kill_and_recover(t, 3).await;
        let planned = v2().sync(&t.db, &SyncOptions::new(Mode::Additive).dry_run(true)).await;
        assert!(matches!(planned.map(|r| r.plan.steps.len()), Ok(0)), "the first database converged");
        let count = {
            let fresh = TestDb::fresh(t.backend).await.expect("the server answered a moment ago");
            seed_v1(&fresh).await;
            let dry = SyncOptions::new(Mode::Additive).dry_run(true);
            v2().sync(&fresh.db, &dry).await.unwrap_or_else(|e| panic!("{e}")).plan.statements().len()
        };
        assert!(count >= 4, "the plan has several statements: {count}");
        for kill_at in (1..=count).filter(|&k| k != 3) {
            let fresh = TestDb::fresh(t.backend).await.expect("the server answered a moment ago");
            seed_v1(&fresh).await;
            kill_and_recover(&fresh, kill_at).await;
        }
    })
    .await
}

per_backend!(sixteen_processes_boot_at_once, killed_mid_apply);

// ---------------------------------------------------------------------------------
// Identifiers no one should use.

fn column(name: &str, ty: TypeDef, nullable: bool, default: Option<DefaultDef>) -> schemasync::model::ColumnDef {
    dynamic::column(name, ty, nullable, default)
}

fn index(columns: &[&str]) -> IndexDef {
    IndexDef {
        name: None,
        columns: leak_slice(columns.iter().map(|c| leak(c)).collect()),
        unique: false,
        predicate: None,
        method: None,
        exprs: &[],
    }
}

/// `def` with unique keys and foreign keys.
fn with_keys(def: &'static TableDef, uniques: Vec<KeyDef>, foreign_keys: Vec<ForeignKeyDef>) -> &'static TableDef {
    Box::leak(Box::new(TableDef {
        rust_type: def.rust_type,
        module_path: def.module_path,
        name: def.name,
        schema: def.schema,
        comment: def.comment,
        renamed_from: def.renamed_from,
        columns: def.columns,
        primary_key: def.primary_key,
        uniques: leak_slice(uniques),
        indexes: def.indexes,
        foreign_keys: leak_slice(foreign_keys),
        checks: def.checks,
    }))
}

/// Reserved words, all three quote characters, spaces, mixed case, unicode and SQL's
/// statement and comment characters, as table, column, index, unique key, foreign key
/// and check names (the generated ones are made from them): created, read back equal,
/// used by a row, synced again with nothing to do, and dropped.
async fn hostile_identifiers_round_trip(t: &TestDb) {
    within(TEST_TIMEOUT, "the hostile identifiers", async {
        let d = dialect(t.backend);
        let q = |name: &str| quote_ident(d.quote_char(), name);
        let order = "order";
        let weird = "Wé\"ird 'ta`ble 表";
        let (select, group, mixed, naive, han, punct) =
            ("select", "group", "MiXeD Case", "naïve_ünïcode", "表", "a;b--c/*d*/");
        let (from, dq, sq, bt, parent) = ("From", "col \"dq\"", "col 'sq'", "col `bt`", "order ref");
        let leading = " leading space";
        // MariaDB refuses a column name that ends with a space; the other two keep one.
        let trailing = (t.backend != Backend::MySql).then_some("trailing space ");

        let mut order_columns = vec![
            column(select, TypeDef::BigInt, false, None),
            column(group, TypeDef::Varchar(40), false, None),
            column(mixed, TypeDef::Integer, false, Some(DefaultDef::Int(0))),
            column(naive, TypeDef::Integer, true, None),
            column(han, TypeDef::Text, true, None),
            column(punct, TypeDef::Varchar(20), true, Some(DefaultDef::Str("it's -- \"x\""))),
            column(leading, TypeDef::Integer, true, None),
        ];
        if let Some(trailing) = trailing {
            order_columns.push(column(trailing, TypeDef::Integer, true, None));
        }
        let order_checks = [
            format!("{} >= 0 AND {} <> ''", q(mixed), q(group)),
            format!("{} IS NULL OR {} > -1", q(naive), q(naive)),
            format!("{} IS NULL OR {} <> '--'", q(punct), q(punct)),
        ];
        let order_checks: Vec<&str> = order_checks.iter().map(String::as_str).collect();
        let order_def =
            dynamic::table(order, order_columns, &order_checks, vec![index(&[group, mixed]), index(&[naive])]);
        let order_def =
            with_keys(order_def, vec![KeyDef { name: None, columns: leak_slice(vec![leak(punct)]) }], vec![]);

        let weird_columns = vec![
            column(from, TypeDef::Integer, false, None),
            column(dq, TypeDef::Varchar(30), true, None),
            column(sq, TypeDef::Varchar(30), true, None),
            column(bt, TypeDef::Integer, true, Some(DefaultDef::Int(7))),
            column(parent, TypeDef::BigInt, false, None),
        ];
        let weird_checks = [format!("length({}) < 30", q(sq)), format!("{} IS NULL OR {} >= 0", q(bt), q(bt))];
        let weird_checks: Vec<&str> = weird_checks.iter().map(String::as_str).collect();
        let weird_def = dynamic::table(weird, weird_columns, &weird_checks, vec![index(&[dq, sq])]);
        let fk = ForeignKeyDef {
            name: None,
            columns: leak_slice(vec![leak(parent)]),
            ref_schema: None,
            ref_table: leak(order),
            ref_columns: leak_slice(vec![leak(select)]),
            on_delete: FkAction::Cascade,
            on_update: FkAction::NoAction,
        };
        let weird_def = with_keys(weird_def, vec![], vec![fk]);
        let models = Models::new().with_defs([order_def, weird_def]);

        let created = models.create_all(&t.db).await.unwrap_or_else(|e| panic!("{}: create_all: {e}", t.backend));
        assert_eq!(created.created().len(), 2, "{created}");
        let compared = models.diff(&t.db).await.unwrap_or_else(|e| panic!("{e}"));
        assert!(compared.diff.is_empty(), "{}: read back differently:\n{}", t.backend, compared.report());

        let lit = |s: &str| quote_literal(s, t.backend == Backend::MySql);
        let mut names = vec![q(select), q(group), q(mixed), q(naive), q(han), q(punct), q(leading)];
        let mut values =
            vec!["1".to_string(), lit("g'1"), "2".into(), "3".into(), lit("表 \"x\""), lit("y;z"), "4".into()];
        if let Some(trailing) = trailing {
            names.push(q(trailing));
            values.push("5".into());
        }
        t.exec(&format!("INSERT INTO {} ({}) VALUES ({})", q(order), names.join(", "), values.join(", "))).await;
        t.exec(&format!(
            "INSERT INTO {} ({}, {}, {}, {}) VALUES (10, {}, {}, 1)",
            q(weird),
            q(from),
            q(dq),
            q(sq),
            q(parent),
            lit("a\"b"),
            lit("c'd")
        ))
        .await;
        assert_eq!(t.strings(&format!("SELECT {} FROM {}", q(han), q(order))).await, ["表 \"x\""]);
        assert_eq!(t.count(&format!("SELECT count(*) FROM {} WHERE {} = 7", q(weird), q(bt))).await, 1, "the default");

        let history = t.count("SELECT count(*) FROM schemasync_history").await;
        let again = models.sync(&t.db, &SyncOptions::new(Mode::Additive)).await.unwrap_or_else(|e| panic!("{e}"));
        assert!(matches!(again.outcome, Outcome::NothingToDo) && again.plan.steps.is_empty(), "{again}");
        assert_eq!(t.count("SELECT count(*) FROM schemasync_history").await, history);
        models.validate(&t.db).await.unwrap_or_else(|e| panic!("{e}"));

        let dropped = models.drop_all(&t.db).await.unwrap_or_else(|e| panic!("{}: drop_all: {e}", t.backend));
        assert_eq!(dropped.dropped().len(), 2, "{dropped}");
        assert_eq!(t.table_names().await, ["schemasync_history"]);
    })
    .await
}

per_backend!(hostile_identifiers_round_trip);

// ---------------------------------------------------------------------------------
// Random evolutions of models over tables with rows, in additive mode.

fn cases() -> u32 {
    std::env::var("PROPTEST_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(200)
}

/// A column type.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Ty {
    SmallInt,
    Integer,
    BigInt,
    Double,
    Boolean,
    Text,
    Varchar(u32),
    Decimal,
    Date,
}

impl Ty {
    fn def(self) -> TypeDef {
        match self {
            Ty::SmallInt => TypeDef::SmallInt,
            Ty::Integer => TypeDef::Integer,
            Ty::BigInt => TypeDef::BigInt,
            Ty::Double => TypeDef::Double,
            Ty::Boolean => TypeDef::Boolean,
            Ty::Text => TypeDef::Text,
            Ty::Varchar(n) => TypeDef::Varchar(n),
            Ty::Decimal => TypeDef::Decimal(Some((10, 2))),
            Ty::Date => TypeDef::Date,
        }
    }

    /// MariaDB indexes only bounded columns (and schemasync refuses such a model).
    fn indexable(self) -> bool {
        self != Ty::Text
    }
}

/// A value of a column's type.
#[derive(Debug, Clone, PartialEq)]
enum Val {
    Int(i64),
    /// A number's digits, as written.
    Num(String),
    Bool(bool),
    Str(String),
}

impl Val {
    fn sql(&self, backend: Backend) -> String {
        match self {
            Val::Int(n) => n.to_string(),
            Val::Num(s) => s.clone(),
            Val::Bool(b) => if *b { "TRUE" } else { "FALSE" }.to_string(),
            Val::Str(s) => quote_literal(s, backend == Backend::MySql),
        }
    }

    fn default(&self) -> DefaultDef {
        match self {
            Val::Int(n) => DefaultDef::Int(*n),
            Val::Num(s) => DefaultDef::Float(leak(s)),
            Val::Bool(b) => DefaultDef::Bool(*b),
            Val::Str(s) => DefaultDef::Str(leak(s)),
        }
    }
}

/// A column: its rows' values come from `values` and `nulls`, one each per row.
#[derive(Debug, Clone)]
struct Col {
    name: String,
    ty: Ty,
    nullable: bool,
    default: Option<Val>,
    values: Vec<Val>,
    nulls: Vec<bool>,
}

/// An index: its columns, and whether it is unique.
#[derive(Debug, Clone, PartialEq)]
struct Idx {
    columns: Vec<String>,
    unique: bool,
}

/// A table: a key column `id` and `rows` rows with ids 1, 2, ...; `refs` are foreign
/// keys, each from a column to another table's key.
#[derive(Debug, Clone)]
struct Tab {
    name: String,
    key: Ty,
    cols: Vec<Col>,
    indexes: Vec<Idx>,
    refs: Vec<(String, String)>,
    rows: usize,
}

/// One change to the models.
#[derive(Debug, Clone)]
enum Evolution {
    AddNullable(Index, Col),
    AddWithDefault(Index, Col),
    AddTable(Tab),
    /// The models no longer declare a table: it is left alone, rows and all.
    RemoveTable(Index),
    /// An index on one or two columns, unique or not: a unique one over duplicate
    /// values must be left pending, never fail halfway.
    AddIndex(Index, Index, Option<Index>, bool),
    DropIndex(Index, Index),
    /// A new nullable column referencing another table's key.
    AddReference(Index, Index),
    DropColumn(Index, Index),
    WidenVarchar(Index, Index, bool),
    WidenInteger(Index, Index),
    MakeNullable(Index, Index),
    ChangeDefault(Index, Index, Option<Index>),
}

#[derive(Debug, Clone)]
struct Case {
    tables: Vec<Tab>,
    evolutions: Vec<Evolution>,
}

/// Text with quotes, a backslash, spaces and letters MariaDB's default collation holds
/// equal (`a`/`A`, `e`/`é`/`E`), so that a unique index may meet duplicates it sees and
/// other backends do not.
fn text(max: usize) -> impl Strategy<Value = String> {
    let chars = prop::sample::select(vec!['a', 'A', 'e', 'é', 'E', 'Z', ' ', '\'', '"', '\\', '表', '%', '_']);
    proptest::collection::vec(chars, 0..=max.min(6)).prop_map(|c| c.into_iter().collect())
}

fn value(ty: Ty) -> BoxedStrategy<Val> {
    match ty {
        Ty::SmallInt => prop_oneof![-3i64..3, -32768i64..=32767].prop_map(Val::Int).boxed(),
        Ty::Integer => {
            prop_oneof![-1000i64..1000, Just(i64::from(i32::MIN)), Just(i64::from(i32::MAX))].prop_map(Val::Int).boxed()
        }
        Ty::BigInt => prop_oneof![-1000i64..1000, any::<i64>()].prop_map(Val::Int).boxed(),
        Ty::Double => prop_oneof![
            (-1000i64..1000).prop_map(Val::Int),
            (-1000i32..1000, 0u32..1000).prop_map(|(a, b)| Val::Num(format!("{a}.{b:03}"))),
        ]
        .boxed(),
        Ty::Decimal => {
            (-99_999_999i64..99_999_999, 0u32..100).prop_map(|(a, b)| Val::Num(format!("{a}.{b:02}"))).boxed()
        }
        Ty::Boolean => any::<bool>().prop_map(Val::Bool).boxed(),
        Ty::Text => text(16).prop_map(Val::Str).boxed(),
        Ty::Varchar(n) => text(n as usize).prop_map(Val::Str).boxed(),
        Ty::Date => prop::sample::select(vec!["2024-02-29", "1999-12-31", "2000-01-01", "1970-01-01"])
            .prop_map(|d| Val::Str(d.to_string()))
            .boxed(),
    }
}

fn ty() -> impl Strategy<Value = Ty> {
    prop_oneof![
        Just(Ty::SmallInt),
        Just(Ty::Integer),
        Just(Ty::BigInt),
        Just(Ty::Double),
        Just(Ty::Boolean),
        Just(Ty::Text),
        (1u32..60).prop_map(Ty::Varchar),
        Just(Ty::Decimal),
        Just(Ty::Date),
    ]
}

fn col() -> impl Strategy<Value = Col> {
    ty().prop_flat_map(|ty| {
        (
            Just(ty),
            any::<bool>(),
            proptest::option::of(value(ty)),
            proptest::collection::vec(value(ty), 3),
            proptest::collection::vec(any::<bool>(), 3),
        )
    })
    .prop_map(|(ty, nullable, default, values, nulls)| Col {
        name: String::new(),
        ty,
        nullable,
        default,
        values,
        nulls,
    })
}

fn tab() -> impl Strategy<Value = Tab> {
    (
        prop_oneof![Just(Ty::Integer), Just(Ty::BigInt)],
        proptest::collection::vec(col(), 1..5),
        1usize..=3,
        proptest::option::of((any::<Index>(), proptest::option::of(any::<Index>()))),
    )
        .prop_map(|(key, mut cols, rows, index)| {
            for (i, c) in cols.iter_mut().enumerate() {
                c.name = format!("c{i}");
            }
            let mut t = Tab { name: String::new(), key, cols, indexes: Vec::new(), refs: Vec::new(), rows };
            if let Some((first, second)) = index {
                add_index(&mut t, &first, second.as_ref(), false);
            }
            t
        })
}

fn evolution() -> impl Strategy<Value = Evolution> {
    use Evolution::*;
    let i = any::<Index>;
    prop_oneof![
        3 => (i(), col()).prop_map(|(t, c)| AddNullable(t, c)),
        3 => (i(), col()).prop_map(|(t, c)| AddWithDefault(t, c)),
        2 => tab().prop_map(AddTable),
        1 => i().prop_map(RemoveTable),
        3 => (i(), i(), proptest::option::of(i()), any::<bool>()).prop_map(|(t, c, d, u)| AddIndex(t, c, d, u)),
        1 => (i(), i()).prop_map(|(t, x)| DropIndex(t, x)),
        2 => (i(), i()).prop_map(|(t, to)| AddReference(t, to)),
        2 => (i(), i()).prop_map(|(t, c)| DropColumn(t, c)),
        2 => (i(), i(), any::<bool>()).prop_map(|(t, c, text)| WidenVarchar(t, c, text)),
        1 => (i(), i()).prop_map(|(t, c)| WidenInteger(t, c)),
        1 => (i(), i()).prop_map(|(t, c)| MakeNullable(t, c)),
        2 => (i(), i(), proptest::option::of(i())).prop_map(|(t, c, v)| ChangeDefault(t, c, v)),
    ]
}

fn case() -> impl Strategy<Value = Case> {
    (proptest::collection::vec(tab(), 1..=3), proptest::collection::vec(evolution(), 1..=3)).prop_map(
        |(mut tables, evolutions)| {
            for (i, t) in tables.iter_mut().enumerate() {
                t.name = format!("rp_t{i}");
            }
            Case { tables, evolutions }
        },
    )
}

/// Adds an index on one or two indexable columns, unless the table has one on the
/// same columns already.
fn add_index(t: &mut Tab, first: &Index, second: Option<&Index>, unique: bool) {
    let usable: Vec<String> = t.cols.iter().filter(|c| c.ty.indexable()).map(|c| c.name.clone()).collect();
    if usable.is_empty() {
        return;
    }
    let mut columns = vec![first.get(&usable).clone()];
    if let Some(second) = second {
        let other = second.get(&usable);
        if !columns.contains(other) {
            columns.push(other.clone());
        }
    }
    if !t.indexes.iter().any(|i| i.columns == columns) {
        t.indexes.push(Idx { columns, unique });
    }
}

/// The column of `t` that `which` picks among those `keep` accepts.
fn pick<'a>(t: &'a mut Tab, which: &Index, keep: impl Fn(&Tab, &Col) -> bool) -> Option<&'a mut Col> {
    let chosen: Vec<usize> = (0..t.cols.len()).filter(|&i| keep(t, &t.cols[i])).collect();
    if chosen.is_empty() {
        return None;
    }
    let i = *which.get(&chosen);
    Some(&mut t.cols[i])
}

fn indexed(t: &Tab, c: &Col) -> bool {
    t.indexes.iter().any(|i| i.columns.contains(&c.name))
}

fn referencing(t: &Tab, c: &Col) -> bool {
    t.refs.iter().any(|(from, _)| from == &c.name)
}

/// The models after the case's evolutions. New columns are `n0`, `n1`, ...; new tables
/// `rp_new0`, ... (they get no rows).
fn evolve(case: &Case) -> Vec<Tab> {
    let mut tables = case.tables.clone();
    let (mut new_columns, mut new_tables) = (0, 0);
    for e in &case.evolutions {
        let n = tables.len();
        let table = |i: &Index| i.index(n);
        match e {
            Evolution::AddNullable(t, c) | Evolution::AddWithDefault(t, c) => {
                let mut c = c.clone();
                c.name = format!("n{new_columns}");
                new_columns += 1;
                if matches!(e, Evolution::AddNullable(..)) {
                    c.nullable = true;
                } else {
                    c.nullable = false;
                    c.default = Some(c.default.unwrap_or_else(|| c.values[0].clone()));
                }
                tables[table(t)].cols.push(c);
            }
            Evolution::AddTable(t) => {
                let mut t = t.clone();
                t.name = format!("rp_new{new_tables}");
                t.rows = 0;
                new_tables += 1;
                tables.push(t);
            }
            Evolution::RemoveTable(t) => {
                if n > 1 {
                    let gone = tables.remove(table(t)).name;
                    for other in &mut tables {
                        other.refs.retain(|(_, to)| to != &gone);
                    }
                }
            }
            Evolution::AddIndex(t, first, second, unique) => {
                add_index(&mut tables[table(t)], first, second.as_ref(), *unique);
            }
            Evolution::DropIndex(t, which) => {
                let t = &mut tables[table(t)];
                if !t.indexes.is_empty() {
                    t.indexes.remove(which.index(t.indexes.len()));
                }
            }
            Evolution::AddReference(from, to) => {
                let (from, to) = (table(from), table(to));
                let (target, key) = (tables[to].name.clone(), tables[to].key);
                let name = format!("n{new_columns}");
                new_columns += 1;
                let values = vec![Val::Int(1); 3];
                let column =
                    Col { name: name.clone(), ty: key, nullable: true, default: None, values, nulls: vec![true; 3] };
                tables[from].cols.push(column);
                tables[from].refs.push((name, target));
            }
            Evolution::DropColumn(t, c) => {
                let t = &mut tables[table(t)];
                if let Some(name) = pick(t, c, |_, _| true).map(|c| c.name.clone()) {
                    t.cols.retain(|c| c.name != name);
                    t.indexes.retain(|i| !i.columns.contains(&name));
                    t.refs.retain(|(from, _)| from != &name);
                }
            }
            Evolution::WidenVarchar(t, c, to_text) => {
                let t = &mut tables[table(t)];
                let keep = |t: &Tab, c: &Col| matches!(c.ty, Ty::Varchar(_)) && !(*to_text && indexed(t, c));
                if let Some(c) = pick(t, c, keep) {
                    c.ty = match c.ty {
                        Ty::Varchar(_) if *to_text => Ty::Text,
                        Ty::Varchar(n) => Ty::Varchar(n + 20),
                        other => other,
                    };
                }
            }
            Evolution::WidenInteger(t, c) => {
                // A referencing column keeps the type of the key it references.
                let keep = |t: &Tab, c: &Col| matches!(c.ty, Ty::SmallInt | Ty::Integer) && !referencing(t, c);
                if let Some(c) = pick(&mut tables[table(t)], c, keep) {
                    c.ty = if c.ty == Ty::SmallInt { Ty::Integer } else { Ty::BigInt };
                }
            }
            Evolution::MakeNullable(t, c) => {
                if let Some(c) = pick(&mut tables[table(t)], c, |_, c| !c.nullable) {
                    c.nullable = true;
                }
            }
            Evolution::ChangeDefault(t, c, to) => {
                // A column added NOT NULL keeps a default: without one, the rows already
                // there would have no value, and the sync is refused (as it must be).
                let keep = |_: &Tab, c: &Col| to.is_some() || c.nullable || !c.name.starts_with('n');
                if let Some(c) = pick(&mut tables[table(t)], c, keep) {
                    c.default = to.as_ref().map(|i| i.get(&c.values).clone());
                }
            }
        }
    }
    tables
}

/// The models of `tables`, built at run time.
fn models_of(tables: &[Tab]) -> Models {
    let defs = tables.iter().map(|t| {
        let mut columns = vec![dynamic::column("id", t.key.def(), false, None)];
        columns.extend(
            t.cols
                .iter()
                .map(|c| dynamic::column(&c.name, c.ty.def(), c.nullable, c.default.as_ref().map(Val::default))),
        );
        let indexes = t
            .indexes
            .iter()
            .map(|i| IndexDef { unique: i.unique, ..index(&i.columns.iter().map(String::as_str).collect::<Vec<_>>()) })
            .collect();
        let def = dynamic::table(&t.name, columns, &[], indexes);
        let refs = t
            .refs
            .iter()
            .map(|(from, to)| ForeignKeyDef {
                name: None,
                columns: leak_slice(vec![leak(from)]),
                ref_schema: None,
                ref_table: leak(to),
                ref_columns: leak_slice(vec!["id"]),
                on_delete: FkAction::NoAction,
                on_update: FkAction::NoAction,
            })
            .collect();
        with_keys(def, Vec::new(), refs)
    });
    Models::new().with_defs(defs.collect::<Vec<_>>())
}

/// Every row of `t`: ids 1, 2, ...; a nullable column's value is NULL where `nulls` says.
fn insert_sql(t: &Tab, backend: Backend) -> Option<String> {
    if t.rows == 0 {
        return None;
    }
    let q = |n: &str| quote_ident(dialect(backend).quote_char(), n);
    let mut names = vec![q("id")];
    names.extend(t.cols.iter().map(|c| q(&c.name)));
    let rows: Vec<String> = (0..t.rows)
        .map(|r| {
            let mut values = vec![(r + 1).to_string()];
            values.extend(t.cols.iter().map(|c| {
                if c.nullable && c.nulls[r] {
                    "NULL".to_string()
                } else {
                    c.values[r].sql(backend)
                }
            }));
            format!("({})", values.join(", "))
        })
        .collect();
    Some(format!("INSERT INTO {} ({}) VALUES {}", q(&t.name), names.join(", "), rows.join(", ")))
}

/// The first column of every row of `sql`, as text or NULL, on an unprepared statement
/// (the tables change from case to case).
async fn texts(db: &Db, sql: &str) -> Result<Vec<Option<String>>, String> {
    let rows = match db {
        Db::Postgres(p) => sqlx::query_scalar(sql).persistent(false).fetch_all(p).await,
        Db::MySql(p) => sqlx::query_scalar(sql).persistent(false).fetch_all(p).await,
        Db::Sqlite(p) => sqlx::query_scalar(sql).persistent(false).fetch_all(p).await,
        _ => unreachable!(),
    };
    rows.map_err(|e| format!("{sql}: {e}"))
}

/// Each original column's values, as text, in key order, per table.
async fn snapshot(db: &Db, backend: Backend, tables: &[Tab]) -> Result<Vec<Vec<Vec<Option<String>>>>, String> {
    let d = dialect(backend);
    let q = |n: &str| quote_ident(d.quote_char(), n);
    let mut out = Vec::new();
    for t in tables {
        let mut columns = Vec::new();
        for name in std::iter::once("id").chain(t.cols.iter().map(|c| c.name.as_str())) {
            let sql = format!("SELECT {} FROM {} ORDER BY {}", d.cast_to_text(&q(name)), q(&t.name), q("id"));
            columns.push(texts(db, &sql).await?);
        }
        out.push(columns);
    }
    Ok(out)
}

/// Drops every table, the history table too: each case starts from an empty database.
/// PostgreSQL's catalog is vacuumed now and then, so that the dead rows of dropped
/// tables do not slow every later catalog read.
async fn reset(t: &TestDb, nth: u32) {
    match t.backend {
        Backend::Postgres => {
            t.exec("DROP SCHEMA public CASCADE; CREATE SCHEMA public").await;
            if nth % 50 == 49 {
                t.exec(
                    "VACUUM pg_catalog.pg_class, pg_catalog.pg_attribute, pg_catalog.pg_constraint, \
                     pg_catalog.pg_index, pg_catalog.pg_type, pg_catalog.pg_depend, pg_catalog.pg_attrdef",
                )
                .await;
            }
        }
        _ => {
            let q = |n: &str| quote_ident(dialect(t.backend).quote_char(), n);
            let names: Vec<String> = t.table_names().await.iter().map(|n| q(n)).collect();
            if names.is_empty() {
                return;
            }
            // Foreign keys between the tables must not stop the drops (the script runs on
            // one connection); SQLite drops one table per statement.
            if t.backend == Backend::MySql {
                t.exec(&format!(
                    "SET FOREIGN_KEY_CHECKS = 0; DROP TABLE {}; SET FOREIGN_KEY_CHECKS = 1",
                    names.join(", ")
                ))
                .await;
            } else {
                let drops: Vec<String> = names.iter().map(|n| format!("DROP TABLE {n}")).collect();
                t.exec(&format!("PRAGMA foreign_keys = OFF; {}; PRAGMA foreign_keys = ON", drops.join("; "))).await;
            }
        }
    }
}

/// One case: the models created in an empty database, rows in every table, the
/// evolved models synced in additive mode, and the properties checked.
async fn evolution_case(t: &TestDb, case: &Case) -> Result<(), String> {
    let (db, backend) = (&t.db, t.backend);
    let v1 = models_of(&case.tables);
    let after = evolve(case);
    let v2 = models_of(&after);
    let additive = SyncOptions::new(Mode::Additive);

    v1.create_all(db).await.map_err(|e| format!("create_all: {e}"))?;
    let created = v1.diff(db).await.map_err(|e| e.to_string())?;
    if !created.diff.is_empty() {
        return Err(format!("the models read back differently right after create_all:\n{}", created.report()));
    }
    for table in &case.tables {
        if let Some(sql) = insert_sql(table, backend) {
            let inserted = match db {
                Db::Postgres(p) => sqlx::raw_sql(&sql).execute(p).await.map(|_| ()),
                Db::MySql(p) => sqlx::raw_sql(&sql).execute(p).await.map(|_| ()),
                Db::Sqlite(p) => sqlx::raw_sql(&sql).execute(p).await.map(|_| ()),
                _ => unreachable!(),
            };
            inserted.map_err(|e| format!("{sql}: {e}"))?;
        }
    }
    let before = snapshot(db, backend, &case.tables).await?;

    let report = v2.sync(db, &additive).await.map_err(|e| format!("additive sync: {e}"))?;

    // (1) Nothing destructive is sent, and every step applied is a safe one. A SQLite
    //     rebuild drops the old table once its rows are copied into the new one; the rows
    //     are checked below.
    let rebuild_sql: Vec<&String> = report.plan.to_apply().filter(|s| s.rebuild).flat_map(|s| &s.sql).collect();
    for st in report.statements_sent() {
        let sql = st.sql.to_uppercase();
        if rebuild_sql.contains(&&st.sql) && !sql.contains("DROP COLUMN") {
            continue;
        }
        if sql.contains("DROP TABLE") || sql.contains("DROP COLUMN") {
            return Err(format!("additive sent a destructive statement: {}\n{report}", st.sql));
        }
    }
    if let Some(step) = report.plan.to_apply().find(|s| s.hazard != Hazard::Safe) {
        return Err(format!("additive applied a {:?} step: {}\n{report}", step.hazard, step.summary));
    }

    // (2) No row is lost or changed.
    let now = snapshot(db, backend, &case.tables).await?;
    if now != before {
        return Err(format!("rows changed:\nbefore {before:?}\nafter  {now:?}\n{report}"));
    }

    // (3) It converged: one more sync has nothing to send, and what still differs is
    // exactly what the plan left pending.
    let again = v2.sync(db, &additive).await.map_err(|e| format!("second additive sync: {e}"))?;
    if !matches!(again.outcome, Outcome::NothingToDo) || !again.statements_sent().is_empty() {
        return Err(format!("the second sync did something:\n{again}\nafter the first:\n{report}"));
    }
    let pending: Vec<&Change> = report
        .plan
        .steps
        .iter()
        .filter(|s| matches!(s.disposition, Disposition::Pending { .. }))
        .flat_map(|s| &s.changes)
        .collect();
    let left = v2.diff(db).await.map_err(|e| e.to_string())?;
    let unexpected: Vec<&Change> = left.diff.changes.iter().filter(|c| !pending.contains(c)).collect();
    let vanished: Vec<&&Change> = pending.iter().filter(|c| !left.diff.changes.contains(c)).collect();
    if !unexpected.is_empty() || !vanished.is_empty() {
        return Err(format!(
            "after the sync, differences not left pending: {unexpected:?}\npending ones that are gone: {vanished:?}\n{report}"
        ));
    }
    Ok(())
}

/// Runs the evolution property on `backend`, on one database emptied before each case.
fn evolutions_keep_rows(backend: Backend) {
    let rt = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().expect("a runtime");
    let Some(t) = rt.block_on(TestDb::fresh(backend)) else { return };
    // Shrinking a failure is bounded too: at most two minutes, then the smallest case
    // found so far is reported.
    let config = Config { cases: cases(), failure_persistence: None, max_shrink_time: 120_000, ..Config::default() };
    let mut runner = TestRunner::new(config);
    let nth = std::sync::atomic::AtomicU32::new(0);
    let result = runner.run(&case(), |case| {
        let n = nth.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        rt.block_on(async {
            within(CASE_TIMEOUT, "one evolution case", async {
                reset(&t, n).await;
                evolution_case(&t, &case).await
            })
            .await
        })
        .map_err(TestCaseError::fail)
    });
    if let Err(e) = result {
        panic!("{backend}: {e}");
    }
    drop(t);
}

mod evolutions_keep_rows {
    use super::*;

    #[test]
    fn postgres() {
        evolutions_keep_rows(Backend::Postgres)
    }

    #[test]
    fn mysql() {
        evolutions_keep_rows(Backend::MySql)
    }

    #[test]
    fn sqlite() {
        evolutions_keep_rows(Backend::Sqlite)
    }
}

// ---------------------------------------------------------------------------------
// A unique index or a foreign key over a column the same sync adds.

mod new_column {
    #![allow(dead_code)] // the models here are only read through their table definitions
    use schemasync::Table;

    #[derive(Table)]
    #[table(name = "rn_items")]
    pub struct Item {
        #[column(primary_key)]
        pub id: i64,
        pub code: i32,
    }

    /// A new column with a default, unique together with `code`: the rows already there
    /// all get the default, so two rows with the same code break the index.
    pub mod unique_default {
        use schemasync::Table;

        #[derive(Table)]
        #[table(name = "rn_items", index(code, batch, unique))]
        pub struct Item {
            #[column(primary_key)]
            pub id: i64,
            pub code: i32,
            #[column(default = 0)]
            pub batch: i32,
        }
    }

    /// A new nullable column without a default, unique together with `code`: the rows
    /// already there get NULL, which no unique index compares equal, so the index fits.
    pub mod unique_null {
        use schemasync::Table;

        #[derive(Table)]
        #[table(name = "rn_items", index(code, note, unique))]
        pub struct Item {
            #[column(primary_key)]
            pub id: i64,
            pub code: i32,
            #[column(len = 20)]
            pub note: Option<String>,
        }
    }

    /// A new column with a default that references a new, empty table: the rows
    /// already there all point at a parent that does not exist.
    pub mod reference_default {
        use schemasync::Table;

        #[derive(Table)]
        #[table(name = "rn_parents")]
        pub struct Parent {
            #[column(primary_key)]
            pub id: i64,
        }

        #[derive(Table)]
        #[table(name = "rn_items")]
        pub struct Item {
            #[column(primary_key)]
            pub id: i64,
            pub code: i32,
            #[column(default = 1, references = "rn_parents(id)")]
            pub parent_id: Option<i64>,
        }
    }
}

/// What an additive sync of `models` does to `rn_items` holding two rows with the
/// same code: `None` when it behaves as additive mode promises (it succeeds, whatever
/// the rows would break is left pending, no failed run is recorded, and one more sync
/// has nothing to do), else what went wrong.
async fn new_column_case(backend: Backend, what: &str, models: Models) -> Option<String> {
    let t = TestDb::fresh(backend).await?;
    Models::new().with::<new_column::Item>().create_all(&t.db).await.unwrap_or_else(|e| panic!("{e}"));
    t.exec("INSERT INTO rn_items (id, code) VALUES (1, 7)").await;
    t.exec("INSERT INTO rn_items (id, code) VALUES (2, 7)").await;
    let additive = SyncOptions::new(Mode::Additive);
    let first = match models.sync(&t.db, &additive).await {
        Ok(report) => report,
        Err(e) => return Some(format!("{backend}, {what}: the additive sync failed: {e}")),
    };
    let failed = t.count("SELECT count(*) FROM schemasync_history WHERE success = FALSE").await;
    if failed > 0 {
        return Some(format!("{backend}, {what}: {failed} failed run(s) recorded\n{first}"));
    }
    match models.sync(&t.db, &additive).await {
        Ok(again) if matches!(again.outcome, Outcome::NothingToDo) => None,
        Ok(again) => Some(format!("{backend}, {what}: the second sync did something:\n{again}\nafter:\n{first}")),
        Err(e) => Some(format!("{backend}, {what}: the second sync failed: {e}\nafter:\n{first}")),
    }
}

/// Additive mode checks a step's existing rows before it sends anything, and leaves
/// the step pending when they would break it. A unique index or a foreign key over a
/// column the same plan adds must be judged by the values that column will give the
/// rows already there (its default, or NULL). Were the check run on the table as it is,
/// PostgreSQL would fail every boot on the unique index and commit the foreign key NOT
/// VALID with an error, MariaDB would stop half done, and SQLite, which reads an unknown
/// double-quoted name as a string, would leave a fitting index pending.
async fn a_new_column_under_a_unique_index_or_reference(backend: Backend) {
    use new_column::*;
    within(TEST_TIMEOUT, "the new-column cases", async {
        let cases = [
            ("a unique index over a new column with a default", Models::new().with::<unique_default::Item>()),
            ("a unique index over a new nullable column", Models::new().with::<unique_null::Item>()),
            (
                "a foreign key over a new column with a default",
                Models::new().with::<reference_default::Parent>().with::<reference_default::Item>(),
            ),
        ];
        let mut wrong = Vec::new();
        for (what, models) in cases {
            wrong.extend(new_column_case(backend, what, models).await);
        }
        assert!(wrong.is_empty(), "{}", wrong.join("\n\n"));
    })
    .await
}

mod a_new_column_under_a_unique_index_or_reference {
    use super::*;

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn postgres() {
        super::a_new_column_under_a_unique_index_or_reference(Backend::Postgres).await
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn mysql() {
        super::a_new_column_under_a_unique_index_or_reference(Backend::MySql).await
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn sqlite() {
        super::a_new_column_under_a_unique_index_or_reference(Backend::Sqlite).await
    }
}
