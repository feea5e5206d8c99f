//! Properties of the expression and default canonicaliser, on each real server: random
//! check expressions and literal defaults are written as another tool would write
//! them, read back from the catalog, and must compare equal to the model that says the
//! same thing. 128 cases per backend and property in CI; `PROPTEST_CASES=5000` for a
//! long run.

use proptest::prelude::*;
use proptest::test_runner::{Config, TestCaseError, TestRunner};
use schemasync::model::{DefaultDef, TypeDef};
use schemasync::schema::expr::canonical;
use schemasync::{Backend, Models};
use schemasync_tests::{dynamic, TestDb};

fn cases() -> u32 {
    std::env::var("PROPTEST_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(128)
}

/// A number literal in one of the notations people write.
fn number() -> impl Strategy<Value = String> {
    prop_oneof![
        (0i64..2000).prop_map(|n| n.to_string()),
        (1i64..2000).prop_map(|n| format!("-{n}")),
        (0u32..1000, 0u32..100).prop_map(|(a, b)| format!("{a}.{b:02}")),
        (0u32..100).prop_map(|a| format!(".{a}")),
        (1u32..100, -3i32..6).prop_map(|(a, e)| format!("{a}e{e}")),
        (1u32..100, 0i32..4).prop_map(|(a, e)| format!("{}.{}E+{e}", a / 10, a % 10)),
    ]
}

/// A string literal's value: quotes, backslashes, `%`, unicode, a newline.
fn text_value() -> impl Strategy<Value = String> {
    proptest::collection::vec(
        prop_oneof![
            Just("a".to_string()),
            Just("Z".to_string()),
            Just("'".to_string()),
            Just("\\".to_string()),
            Just("%".to_string()),
            Just(" ".to_string()),
            Just("é".to_string()),
            Just("\n".to_string()),
            Just("x_y".to_string()),
        ],
        0..5,
    )
    .prop_map(|parts| parts.concat())
}

fn quoted(value: &str, backend: Backend) -> String {
    schemasync::dialect::quote_literal(value, backend == Backend::MySql)
}

/// A numeric expression over the table's number columns.
fn numeric() -> impl Strategy<Value = String> {
    let leaf = prop_oneof![Just("qty".to_string()), Just("price".to_string()), Just("ratio".to_string()), number()];
    leaf.prop_recursive(2, 6, 2, |inner| {
        prop_oneof![
            (inner.clone(), prop_oneof![Just("+"), Just("-"), Just("*")], inner.clone())
                .prop_map(|(a, op, b)| format!("{a} {op} {b}")),
            inner.clone().prop_map(|a| format!("({a})")),
            inner.clone().prop_map(|a| format!("CAST({a} AS DECIMAL(12,2))")),
            inner.prop_map(|a| format!("abs({a})")),
        ]
    })
}

/// A boolean expression, as text that every backend accepts (with `backend`'s quoting).
fn boolean(backend: Backend) -> impl Strategy<Value = String> {
    let cmp = prop_oneof![Just("="), Just("<>"), Just("!="), Just("<"), Just("<="), Just(">"), Just(">=")];
    let leaf = prop_oneof![
        (numeric(), cmp, numeric()).prop_map(|(a, op, b)| format!("{a} {op} {b}")),
        (prop_oneof![Just("qty"), Just("price")], number(), number(), any::<bool>())
            .prop_map(|(c, a, b, not)| { format!("{c} {}BETWEEN {a} AND {b}", if not { "NOT " } else { "" }) }),
        (proptest::collection::vec(text_value(), 1..4), any::<bool>()).prop_map(move |(items, not)| {
            let list: Vec<String> = items.iter().map(|v| quoted(v, backend)).collect();
            format!("kind {}IN ({})", if not { "NOT " } else { "" }, list.join(", "))
        }),
        (text_value(), any::<bool>()).prop_map(move |(v, not)| {
            format!("name {}LIKE {}", if not { "NOT " } else { "" }, quoted(&v, backend))
        }),
        (text_value(), prop_oneof![Just("="), Just("<>")])
            .prop_map(move |(v, op)| format!("name {op} {}", quoted(&v, backend))),
        prop_oneof![
            Just("name IS NULL".to_string()),
            Just("name IS NOT NULL".to_string()),
            Just("flag".to_string()),
            Just("flag = TRUE".to_string()),
            Just("flag = FALSE".to_string()),
            Just("flag IS TRUE".to_string()),
            Just("length(name) > 3".to_string()),
            Just("lower(name) <> name".to_string()),
            Just("qty % 2 = 0".to_string()),
            Just("coalesce(qty, 0) >= 0".to_string()),
            Just("CASE WHEN qty > 0 THEN 1 ELSE 0 END = 1".to_string()),
        ],
    ];
    leaf.prop_recursive(3, 8, 2, |inner| {
        prop_oneof![
            (inner.clone(), prop_oneof![Just("AND"), Just("OR")], inner.clone())
                .prop_map(|(a, op, b)| format!("{a} {op} {b}")),
            (inner.clone(), prop_oneof![Just("AND"), Just("OR")], inner.clone())
                .prop_map(|(a, op, b)| format!("({a}) {op} ({b})")),
            inner.clone().prop_map(|a| format!("NOT ({a})")),
            inner.prop_map(|a| format!("({a})")),
        ]
    })
}

fn column_types(backend: Backend) -> &'static str {
    match backend {
        Backend::Postgres => {
            "qty integer, price numeric(10,2), ratio double precision, name varchar(50), kind varchar(20), flag boolean"
        }
        Backend::MySql => {
            "qty int, price decimal(10,2), ratio double, name varchar(50), kind varchar(20), flag boolean"
        }
        Backend::Sqlite => {
            "qty INTEGER, price NUMERIC(10,2), ratio DOUBLE, name VARCHAR(50), kind VARCHAR(20), flag BOOLEAN"
        }
    }
}

/// Runs `property` on `cases()` random values of `strategy`, on `backend`'s server.
fn run_on<S: Strategy>(backend: Backend, strategy: S, property: impl Fn(&TestDb, &S::Value) -> Result<(), String>)
where
    S::Value: std::fmt::Debug,
{
    let rt = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().expect("a runtime");
    let Some(t) = rt.block_on(TestDb::fresh(backend)) else { return };
    let _guard = rt.enter();
    let mut runner = TestRunner::new(Config { cases: cases(), failure_persistence: None, ..Config::default() });
    let result = runner.run(&strategy, |value| property(&t, &value).map_err(TestCaseError::fail));
    if let Err(e) = result {
        panic!("{backend}: {e}");
    }
    drop(t);
}

fn block_on<F: std::future::Future>(f: F) -> F::Output {
    tokio::task::block_in_place(|| tokio::runtime::Handle::current().block_on(f))
}

/// Creates a table with `check` as another tool would, reads it back, and compares.
fn check_round_trips(backend: Backend) {
    run_on(backend, boolean(backend), |t, check| {
        let sql = format!(
            "CREATE TABLE p_check (id INTEGER PRIMARY KEY, {}, CONSTRAINT p_c CHECK ({check}))",
            column_types(backend)
        );
        let created = block_on(async {
            match &t.db {
                schemasync::Db::Postgres(p) => sqlx::raw_sql(&sql).execute(p).await.map(|_| ()),
                schemasync::Db::MySql(p) => sqlx::raw_sql(&sql).execute(p).await.map(|_| ()),
                schemasync::Db::Sqlite(p) => sqlx::raw_sql(&sql).execute(p).await.map(|_| ()),
                _ => unreachable!(),
            }
        });
        if created.is_err() {
            return Ok(()); // the server refused it (a type mismatch): nothing to compare
        }
        let read = block_on(schemasync::catalog::introspect(&t.db, &[])).map_err(|e| e.to_string());
        block_on(t.exec("DROP TABLE p_check"));
        let read = read?;
        let table = &read.schema.tables[0];
        // SQLite reads `col IN ('a', ...)` on a text column as an enum of those labels.
        let folded = table.columns.iter().find_map(|c| match &c.ty {
            schemasync::schema::ColumnType::Enum { labels, .. } => {
                let list: Vec<String> = labels.iter().map(|l| quoted(l, backend)).collect();
                Some(format!("{} IN ({})", c.name, list.join(", ")))
            }
            _ => None,
        });
        let stored = table.checks.first().map(|c| c.expr.clone()).or(folded).unwrap_or_default();
        let (model, back) = (canonical(check, backend), canonical(&stored, backend));
        if model == back {
            Ok(())
        } else {
            Err(format!("model {check:?} -> {model:?}\nserver stored {stored:?} -> {back:?}"))
        }
    });
}

/// A literal default: the column type (model and DDL) and the literal as the DDL
/// writes it and as a model attribute would give it.
#[derive(Debug, Clone)]
struct Literal {
    ty: TypeDef,
    sql_type: &'static str,
    text: String,
    default: DefaultDef,
}

fn literal(backend: Backend) -> impl Strategy<Value = Literal> {
    let int = prop_oneof![
        (-100000i64..100000).prop_map(|n| (n.to_string(), DefaultDef::Int(n))),
        (1i64..50, 0u32..4)
            .prop_map(|(m, e)| (format!("{m}e{e}"), DefaultDef::Float(dynamic::leak(&format!("{m}e{e}"))))),
    ];
    let decimal = (-99999i64..99999, 0u32..100).prop_map(|(a, b)| {
        let text = format!("{a}.{b:02}");
        (text.clone(), DefaultDef::Float(dynamic::leak(&text)))
    });
    let double = number().prop_map(|text| {
        let default = match text.parse::<i64>() {
            Ok(n) => DefaultDef::Int(n),
            Err(_) => DefaultDef::Float(dynamic::leak(&text)),
        };
        (text, default)
    });
    let string = text_value().prop_map(move |v| (quoted(&v, backend), DefaultDef::Str(dynamic::leak(&v))));
    let boolean = any::<bool>().prop_map(|b| (if b { "TRUE" } else { "FALSE" }.to_string(), DefaultDef::Bool(b)));
    let (int_t, dec_t, dbl_t, vc_t, bool_t) = match backend {
        Backend::Postgres => ("integer", "numeric(10,2)", "double precision", "varchar(50)", "boolean"),
        Backend::MySql => ("int", "decimal(10,2)", "double", "varchar(50)", "tinyint(1)"),
        Backend::Sqlite => ("INTEGER", "NUMERIC(10,2)", "DOUBLE", "VARCHAR(50)", "BOOLEAN"),
    };
    prop_oneof![
        int.prop_map(move |(text, default)| Literal { ty: TypeDef::Integer, sql_type: int_t, text, default }),
        decimal.prop_map(move |(text, default)| Literal {
            ty: TypeDef::Decimal(Some((10, 2))),
            sql_type: dec_t,
            text,
            default
        }),
        double.prop_map(move |(text, default)| Literal { ty: TypeDef::Double, sql_type: dbl_t, text, default }),
        string.prop_map(move |(text, default)| Literal { ty: TypeDef::Varchar(50), sql_type: vc_t, text, default }),
        boolean.prop_map(move |(text, default)| Literal { ty: TypeDef::Boolean, sql_type: bool_t, text, default }),
    ]
}

/// Creates a column with a literal default as another tool would, and compares it with
/// the model that declares the same default.
fn default_round_trips(backend: Backend) {
    run_on(backend, literal(backend), |t, lit| {
        let sql = format!(
            "CREATE TABLE p_default (id INTEGER PRIMARY KEY, c {} NOT NULL DEFAULT {})",
            lit.sql_type, lit.text
        );
        block_on(t.exec(&sql));
        let def = dynamic::table(
            "p_default",
            vec![
                dynamic::column("id", TypeDef::Integer, false, None),
                dynamic::column("c", lit.ty, false, Some(lit.default)),
            ],
            &[],
            Vec::new(),
        );
        let compared = block_on(Models::new().with_defs([def]).diff(&t.db)).map_err(|e| e.to_string());
        block_on(t.exec("DROP TABLE p_default"));
        let compared = compared?;
        if compared.diff.is_empty() {
            Ok(())
        } else {
            Err(format!("DEFAULT {} on {}: {:?}", lit.text, lit.sql_type, compared.diff.changes))
        }
    });
}

macro_rules! per_backend_property {
    ($($property:ident),*) => {$(
        mod $property {
            use super::*;
            #[test]
            fn postgres() {
                super::$property(Backend::Postgres)
            }
            #[test]
            fn mysql() {
                super::$property(Backend::MySql)
            }
            #[test]
            fn sqlite() {
                super::$property(Backend::Sqlite)
            }
        }
    )*};
}

per_backend_property!(check_round_trips, default_round_trips);
