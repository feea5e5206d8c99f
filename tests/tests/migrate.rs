//! Versioned migrations generated from the models, run by sqlx's migrator: two
//! machines, each hazard in a file, and `migrate check` failing on what it must catch.

use schemasync::migrate::{check, Finding, Migrations, TODO_MARKER};
use schemasync::model::{ColumnDef, TableDef, TypeDef};
use schemasync::report::Style;
use schemasync::MigrationSource;
use schemasync::{migrator, Backend, Models};
use schemasync_tests::dynamic::{column, leak_slice, table};
use schemasync_tests::{per_backend, TestDb};
use std::path::{Path, PathBuf};

/// A folder of its own for one test's migrations.
struct Folder(PathBuf);

impl Folder {
    fn new(backend: Backend) -> Folder {
        let dir = std::env::temp_dir().join(schemasync_tests::harness::unique_name(&format!("mig_{}", backend.key())));
        Folder(dir)
    }
}

impl Drop for Folder {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn renamed(mut c: ColumnDef, from: &'static str) -> ColumnDef {
    c.renamed_from = leak_slice(vec![from]);
    c
}

/// The first version: people with a nick and an age, and notes.
fn v1() -> Models {
    Models::new().with_defs([
        table(
            "mg_people",
            vec![
                column("id", TypeDef::BigInt, false, None),
                column("name", TypeDef::Varchar(100), false, None),
                column("nick", TypeDef::Text, true, None),
                column("age", TypeDef::Integer, true, None),
            ],
            &[],
            vec![],
        ),
        table(
            "mg_notes",
            vec![column("id", TypeDef::BigInt, false, None), column("body", TypeDef::Text, true, None)],
            &[],
            vec![],
        ),
    ])
}

/// The second: `nick` renamed to `nickname`, a required `email` without a default,
/// `age` widened, and the notes model gone.
fn v2() -> Models {
    Models::new().with_defs([table(
        "mg_people",
        vec![
            column("id", TypeDef::BigInt, false, None),
            column("name", TypeDef::Varchar(100), false, None),
            renamed(column("nickname", TypeDef::Text, true, None), "nick"),
            column("age", TypeDef::BigInt, true, None),
            column("email", TypeDef::Varchar(200), false, None),
        ],
        &[],
        vec![],
    )])
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap()
}

/// Fills in the backfill block of `up`: every row gets an email made from its name.
fn fill_backfill(up: &Path, backend: Backend) {
    let concat = match backend {
        Backend::MySql => "CONCAT(name, '@example.com')",
        _ => "name || '@example.com'",
    };
    let text: String = read(up)
        .lines()
        .map(|l| {
            if l.contains(&format!("{TODO_MARKER}: UPDATE")) {
                format!("UPDATE mg_people SET email = {concat} WHERE email IS NULL;")
            } else if l.contains(TODO_MARKER) {
                "-- backfilled.".to_string()
            } else {
                l.to_string()
            }
        })
        .map(|l| l + "\n")
        .collect();
    std::fs::write(up, text).unwrap();
}

async fn in_sync(t: &TestDb, models: &Models) -> bool {
    let report = models.drift(&t.db).await.unwrap();
    if !report.in_sync {
        eprintln!("{report}");
    }
    report.in_sync
}

/// Machine A generates, machine B (a database with rows) runs the files; both end in
/// sync with the models, B keeps its rows, and reverting returns B to before.
async fn two_machines(b: &TestDb) {
    let folder = Folder::new(b.backend);
    let a = Migrations::new(&folder.0, b.backend);
    let source = MigrationSource::Folder(a.dir().to_path_buf());

    let init = a.generate(&v1(), "init").unwrap().expect("the first migration creates everything");
    assert!(!init.todo);
    assert!(a.generate(&v1(), "again").unwrap().is_none(), "nothing changed: nothing to write");
    assert_eq!(migrator::run(&b.db, &source).await.unwrap(), vec![init.version]);
    assert!(in_sync(b, &v1()).await);
    b.exec("INSERT INTO mg_people (id, name, nick, age) VALUES (1, 'ada', 'countess', 36), (2, 'alan', NULL, 41)")
        .await;
    b.exec("INSERT INTO mg_notes (id, body) VALUES (1, 'hello')").await;

    let evolve = a.generate(&v2(), "evolve").unwrap().expect("the models changed");
    assert!(evolve.todo, "a required column without a default needs a backfill");
    let up = read(&evolve.up);
    let down = read(&evolve.down);
    // The header, the hazards, and each case as it must be written.
    assert!(up.contains(&format!("-- parent: {}", init.version)), "{up}");
    assert!(up.contains(&format!("-- plan: {}", evolve.plan.hash)), "{up}");
    assert!(
        up.to_lowercase().contains("rename column \"nick\" to \"nickname\"")
            || up.contains("`nick` TO `nickname`")
            || up.contains("RENAME COLUMN `nick`"),
        "a rename, not a drop and an add:\n{up}"
    );
    assert!(up.contains("[DESTRUCTIVE] mg_notes: drop table"), "{up}");
    assert!(up.contains(TODO_MARKER), "{up}");
    let todo_at = up.find(TODO_MARKER).unwrap();
    let add_at = up.find("\"email\"").or_else(|| up.find("`email`")).unwrap();
    assert!(add_at < todo_at, "added nullable before the backfill:\n{up}");
    assert!(up[todo_at..].contains("email"), "made NOT NULL after the backfill:\n{up}");
    assert!(down.to_lowercase().contains("nickname") && down.contains("CREATE TABLE"), "{down}");
    // A type change (SQLite stores both integers alike: no step there).
    if b.backend != Backend::Sqlite {
        assert!(up.contains("[LOCKING] mg_people: change column age type"), "{up}");
    }
    if b.backend == Backend::Sqlite {
        assert!(up[todo_at..].contains("rebuild"), "SQLite makes a column NOT NULL by a rebuild:\n{up}");
    }

    // CI fails while the backfill is left to write.
    let found = check(&a, &v2(), None, None).await.unwrap();
    assert!(found.findings.iter().any(|f| matches!(f, Finding::Todo { .. })), "{:?}", found.findings);
    fill_backfill(&evolve.up, b.backend);
    let found = check(&a, &v2(), None, Some(&b.db)).await.unwrap();
    assert!(found.is_clean(), "{}", found.render(Style::PLAIN));
    let scratch = TestDb::fresh(b.backend).await.unwrap();
    let found = check(&a, &v2(), Some(&scratch.db), None).await.unwrap();
    assert!(found.is_clean(), "{}", found.render(Style::PLAIN));

    // Machine B runs it: in sync, rows kept, renamed column kept its values.
    assert_eq!(migrator::run(&b.db, &source).await.unwrap(), vec![evolve.version]);
    assert!(in_sync(b, &v2()).await);
    assert_eq!(b.count("SELECT COUNT(*) FROM mg_people").await, 2);
    assert_eq!(b.strings("SELECT nickname FROM mg_people WHERE id = 1").await, ["countess"]);
    assert_eq!(b.strings("SELECT email FROM mg_people WHERE id = 2").await, ["alan@example.com"]);
    let status = migrator::status(&b.db, &source).await.unwrap();
    assert!(status.iter().all(|s| s.applied_at.is_some() && s.checksum_ok), "{status:?}");

    // Reverting returns B to the first version, rows and all.
    assert_eq!(migrator::revert(&b.db, &source, None).await.unwrap(), vec![evolve.version]);
    assert!(in_sync(b, &v1()).await);
    assert_eq!(b.strings("SELECT nick FROM mg_people WHERE id = 1").await, ["countess"]);
    assert_eq!(b.count("SELECT COUNT(*) FROM mg_people").await, 2);
    assert_eq!(migrator::revert(&b.db, &source, Some(0)).await.unwrap(), vec![init.version]);
    assert!(!b.table_names().await.iter().any(|t| t.starts_with("mg_")), "{:?}", b.table_names().await);
}

per_backend!(two_machines);

/// `migrate check` fails on models ahead of the snapshot, two heads, a down that does
/// not revert, and a file edited after it was applied.
async fn check_catches(t: &TestDb) {
    let folder = Folder::new(t.backend);
    let m = Migrations::new(&folder.0, t.backend);
    let init = m.generate(&v1(), "init").unwrap().unwrap();

    // Models ahead of the snapshot.
    let found = check(&m, &v2(), None, None).await.unwrap();
    assert!(
        matches!(found.findings.as_slice(), [Finding::ModelsAhead { steps }] if !steps.is_empty()),
        "{:?}",
        found.findings
    );
    assert!(found.render(Style::PLAIN).contains("run `schema migrate new <name>`"));

    // Two heads: two branches each generated a migration after `init`.
    let snapshot = m.dir().join(schemasync::migrate::SNAPSHOT_FILE);
    let at_init = read(&snapshot);
    let branch_a = m.generate(&v2(), "branch_a").unwrap().unwrap();
    let aside = folder.0.join("aside");
    std::fs::create_dir_all(&aside).unwrap();
    for p in [&branch_a.up, &branch_a.down] {
        std::fs::rename(p, aside.join(p.file_name().unwrap())).unwrap();
    }
    std::fs::write(&snapshot, &at_init).unwrap();
    let branch_b = m.generate(&v2(), "branch_b").unwrap().unwrap();
    for p in [&branch_a.up, &branch_a.down] {
        std::fs::rename(aside.join(p.file_name().unwrap()), p).unwrap();
    }
    let found = check(&m, &v2(), None, None).await.unwrap();
    let heads = found.findings.iter().find_map(|f| match f {
        Finding::TwoHeads { parent, versions } => Some((*parent, versions.clone())),
        _ => None,
    });
    assert_eq!(heads, Some((Some(init.version), vec![branch_a.version, branch_b.version])), "{:?}", found.findings);
    for p in [&branch_a.up, &branch_a.down, &branch_b.up, &branch_b.down] {
        std::fs::remove_file(p).unwrap();
    }
    std::fs::write(&snapshot, &at_init).unwrap();

    // A down that does not revert: its DROP of the new column is gone.
    let wider = Models::new().with_defs([
        table(
            "mg_people",
            vec![
                column("id", TypeDef::BigInt, false, None),
                column("name", TypeDef::Varchar(100), false, None),
                column("nick", TypeDef::Text, true, None),
                column("age", TypeDef::Integer, true, None),
                column("city", TypeDef::Text, true, None),
            ],
            &[],
            vec![],
        ),
        notes(),
    ]);
    let add = m.generate(&wider, "add_city").unwrap().unwrap();
    let down: String = read(&add.down).lines().filter(|l| !l.contains("city")).map(|l| format!("{l}\n")).collect();
    std::fs::write(&add.down, down).unwrap();
    let scratch = TestDb::fresh(t.backend).await.unwrap();
    let found = check(&m, &wider, Some(&scratch.db), None).await.unwrap();
    let not_reverted = found.findings.iter().find_map(|f| match f {
        Finding::DownDoesNotRevert { version, differences } => Some((*version, differences.join("\n"))),
        _ => None,
    });
    let (version, differences) = not_reverted.unwrap_or_else(|| panic!("{:?}", found.findings));
    assert_eq!(version, add.version);
    assert!(differences.contains("city"), "{differences}");

    // An applied file edited afterwards.
    let source = MigrationSource::Folder(m.dir().to_path_buf());
    migrator::run(&t.db, &source).await.unwrap();
    std::fs::write(&init.up, read(&init.up) + "\n-- an afterthought\n").unwrap();
    let found = check(&m, &wider, None, Some(&t.db)).await.unwrap();
    assert!(
        found
            .findings
            .iter()
            .any(|f| matches!(f, Finding::EditedAfterApply { version, .. } if *version == init.version)),
        "{:?}",
        found.findings
    );
    let err = migrator::run(&t.db, &source).await.unwrap_err().to_string();
    assert!(err.contains(&init.version.to_string()) && err.contains("changed after it was applied"), "{err}");
}

fn notes() -> &'static TableDef {
    table(
        "mg_notes",
        vec![column("id", TypeDef::BigInt, false, None), column("body", TypeDef::Text, true, None)],
        &[],
        vec![],
    )
}

per_backend!(check_catches);
