//! Rust enums as database enums on each backend: PostgreSQL `CREATE TYPE ... AS ENUM`,
//! MySQL `ENUM(...)`, SQLite `TEXT` with a check. Labels are what sqlx encodes; they
//! can be added (safe: applied in additive mode and usable at once), renamed (the rows
//! follow) and removed (pending, the rows holding them counted).

#![allow(dead_code)] // the models here are only read through their table definitions

use schemasync::plan::Disposition;
use schemasync::{Backend, Db, Error, Mode, Models, Outcome, SyncOptions};
use schemasync_tests::{per_backend, TestDb};

mod v1 {
    use schemasync::{SqlEnum, Table};

    #[derive(Debug, Clone, Copy, PartialEq, sqlx::Type, SqlEnum)]
    #[sqlx(type_name = "en_status", rename_all = "snake_case")]
    pub enum Status {
        Active,
        OnHold,
    }

    #[derive(Debug, Table, sqlx::FromRow)]
    #[table(name = "en_tickets")]
    pub struct Ticket {
        #[column(primary_key)]
        pub id: i64,
        #[column(default = "active")]
        pub status: Status,
        pub previous: Option<Status>,
    }
}

mod v2 {
    use schemasync::{SqlEnum, Table};

    /// A label added at the end.
    #[derive(Debug, Clone, Copy, PartialEq, sqlx::Type, SqlEnum)]
    #[sqlx(type_name = "en_status", rename_all = "snake_case")]
    pub enum Status {
        Active,
        OnHold,
        Closed,
    }

    #[derive(Debug, Table, sqlx::FromRow)]
    #[table(name = "en_tickets")]
    pub struct Ticket {
        #[column(primary_key)]
        pub id: i64,
        #[column(default = "active")]
        pub status: Status,
        pub previous: Option<Status>,
    }
}

mod v3 {
    use schemasync::{SqlEnum, Table};

    /// `on_hold` renamed `paused`.
    #[derive(Debug, Clone, Copy, PartialEq, sqlx::Type, SqlEnum)]
    #[sqlx(type_name = "en_status", rename_all = "snake_case")]
    pub enum Status {
        Active,
        #[schemasync(renamed_from = "on_hold")]
        Paused,
        Closed,
    }

    #[derive(Debug, Table, sqlx::FromRow)]
    #[table(name = "en_tickets")]
    pub struct Ticket {
        #[column(primary_key)]
        pub id: i64,
        #[column(default = "active")]
        pub status: Status,
        pub previous: Option<Status>,
    }
}

mod v4 {
    use schemasync::{SqlEnum, Table};

    /// `closed` removed.
    #[derive(Debug, Clone, Copy, PartialEq, sqlx::Type, SqlEnum)]
    #[sqlx(type_name = "en_status", rename_all = "snake_case")]
    pub enum Status {
        Active,
        Paused,
    }

    #[derive(Debug, Table, sqlx::FromRow)]
    #[table(name = "en_tickets")]
    pub struct Ticket {
        #[column(primary_key)]
        pub id: i64,
        #[column(default = "active")]
        pub status: Status,
        pub previous: Option<Status>,
    }
}

/// The expected statuses: the Rust variants, or on MySQL the stored labels.
fn labels(t: &TestDb, variants: &[&str], stored: &[&str]) -> Vec<String> {
    let list = if t.backend == Backend::MySql { stored } else { variants };
    list.iter().map(|s| s.to_string()).collect()
}

fn models<T: schemasync::Table>() -> Models {
    Models::new().with::<T>()
}

/// `INSERT INTO en_tickets (id, status) VALUES (id, status)` with the value bound as
/// sqlx encodes the enum.
async fn insert<S>(t: &TestDb, id: i64, status: S)
where
    S: for<'q> sqlx::Encode<'q, sqlx::Postgres> + sqlx::Type<sqlx::Postgres>,
    S: for<'q> sqlx::Encode<'q, sqlx::MySql> + sqlx::Type<sqlx::MySql>,
    S: for<'q> sqlx::Encode<'q, sqlx::Sqlite> + sqlx::Type<sqlx::Sqlite>,
    S: Send,
{
    let done = match &t.db {
        Db::Postgres(p) => sqlx::query("INSERT INTO en_tickets (id, status) VALUES ($1, $2)")
            .bind(id)
            .bind(status)
            .execute(p)
            .await
            .map(|_| ()),
        Db::MySql(p) => sqlx::query("INSERT INTO en_tickets (id, status) VALUES (?, ?)")
            .bind(id)
            .bind(status)
            .execute(p)
            .await
            .map(|_| ()),
        Db::Sqlite(p) => sqlx::query("INSERT INTO en_tickets (id, status) VALUES (?, ?)")
            .bind(id)
            .bind(status)
            .execute(p)
            .await
            .map(|_| ()),
        _ => unreachable!(),
    };
    done.unwrap_or_else(|e| panic!("insert {id}: {e}"));
}

/// The tickets' statuses, read back through sqlx as the model's struct. On MySQL, sqlx
/// 0.8 cannot decode a derived enum from a NOT NULL `ENUM` column (its type check
/// compares the column's flags exactly, sqlx issue 3750), so the labels are read as
/// text there and matched by name.
async fn statuses<T, S>(t: &TestDb, status: fn(&T) -> S, label: fn(&S) -> String) -> Vec<String>
where
    T: for<'r> sqlx::FromRow<'r, sqlx::postgres::PgRow>
        + for<'r> sqlx::FromRow<'r, sqlx::sqlite::SqliteRow>
        + Send
        + Unpin,
{
    let sql = "SELECT id, status, previous FROM en_tickets ORDER BY id";
    let rows = match &t.db {
        Db::Postgres(p) => sqlx::query_as::<_, T>(sql).fetch_all(p).await,
        Db::Sqlite(p) => sqlx::query_as::<_, T>(sql).fetch_all(p).await,
        Db::MySql(_) => return t.strings("SELECT CAST(status AS CHAR) FROM en_tickets ORDER BY id").await,
        _ => unreachable!(),
    };
    rows.unwrap_or_else(|e| panic!("read tickets: {e}")).iter().map(|r| label(&status(r))).collect()
}

/// The enum as each backend stores it, rows through sqlx both ways, the default, and
/// validate in sync.
async fn an_enum_round_trips(t: &TestDb) {
    let m = models::<v1::Ticket>();
    let created = m.sync(&t.db, &SyncOptions::new(Mode::Additive)).await.unwrap();
    let sql: Vec<String> = created.statements_sent().into_iter().map(|s| s.sql).collect();
    let expected = match t.backend {
        Backend::Postgres => "CREATE TYPE \"en_status\" AS ENUM ('active', 'on_hold')",
        Backend::MySql => "enum('active','on_hold')",
        Backend::Sqlite => "CHECK (\"status\" IN ('active', 'on_hold'))",
    };
    assert!(sql.iter().any(|s| s.contains(expected)), "{sql:#?}");
    insert(t, 1, v1::Status::OnHold).await;
    t.exec("INSERT INTO en_tickets (id) VALUES (2)").await;
    let rows = statuses(t, |r: &v1::Ticket| r.status, |s| format!("{s:?}")).await;
    assert_eq!(rows, labels(t, &["OnHold", "Active"], &["on_hold", "active"]));
    m.validate(&t.db).await.expect("in sync");
    let again = m.sync(&t.db, &SyncOptions::new(Mode::Additive)).await.unwrap();
    assert!(matches!(again.outcome, Outcome::NothingToDo), "{again}");
    // A value that is not a label is refused by the database itself.
    let bad = match &t.db {
        Db::Postgres(p) => sqlx::query("INSERT INTO en_tickets (id, status) VALUES (3, 'nope')").execute(p).await.err(),
        Db::MySql(p) => sqlx::query("INSERT INTO en_tickets (id, status) VALUES (3, 'nope')").execute(p).await.err(),
        Db::Sqlite(p) => sqlx::query("INSERT INTO en_tickets (id, status) VALUES (3, 'nope')").execute(p).await.err(),
        _ => unreachable!(),
    };
    assert!(bad.is_some(), "'nope' is not a label");
}

/// A label added at the end is applied in additive mode, and an insert right after the
/// boot may use it.
async fn adding_a_label_is_safe(t: &TestDb) {
    models::<v1::Ticket>().sync(&t.db, &SyncOptions::new(Mode::Additive)).await.unwrap();
    insert(t, 1, v1::Status::OnHold).await;
    let report = models::<v2::Ticket>().sync(&t.db, &SyncOptions::new(Mode::Additive)).await.unwrap();
    assert!(matches!(report.outcome, Outcome::Applied { .. }), "{report}");
    assert!(report.plan.steps.iter().all(|s| s.disposition == Disposition::Apply), "{}", report.plan);
    insert(t, 2, v2::Status::Closed).await;
    let rows = statuses(t, |r: &v2::Ticket| r.status, |s| format!("{s:?}")).await;
    assert_eq!(rows, labels(t, &["OnHold", "Closed"], &["on_hold", "closed"]));
    models::<v2::Ticket>().validate(&t.db).await.expect("in sync");
}

/// A renamed label: pending in additive mode (old code still writes the old label);
/// applied in full mode, with the rows following.
async fn renaming_a_label_moves_the_rows(t: &TestDb) {
    models::<v2::Ticket>().sync(&t.db, &SyncOptions::new(Mode::Additive)).await.unwrap();
    insert(t, 1, v2::Status::OnHold).await;
    insert(t, 2, v2::Status::Closed).await;
    let additive = models::<v3::Ticket>().sync(&t.db, &SyncOptions::new(Mode::Additive)).await.unwrap();
    let pending: Vec<_> =
        additive.plan.steps.iter().filter(|s| matches!(s.disposition, Disposition::Pending { .. })).collect();
    assert!(!pending.is_empty(), "{}", additive.plan);
    assert!(pending.iter().any(|s| s.hazard_reason.contains("renames")), "{}", additive.plan);
    let full = SyncOptions::new(Mode::Full).allow_everything();
    models::<v3::Ticket>().sync(&t.db, &full).await.unwrap();
    let rows = statuses(t, |r: &v3::Ticket| r.status, |s| format!("{s:?}")).await;
    assert_eq!(rows, labels(t, &["Paused", "Closed"], &["paused", "closed"]));
    models::<v3::Ticket>().validate(&t.db).await.expect("in sync");
}

/// A removed label: pending in additive mode with the rows that hold it counted, refused
/// in full mode while rows hold it, applied once they do not.
async fn removing_a_label_counts_the_rows(t: &TestDb) {
    models::<v3::Ticket>().sync(&t.db, &SyncOptions::new(Mode::Additive)).await.unwrap();
    insert(t, 1, v3::Status::Paused).await;
    insert(t, 2, v3::Status::Closed).await;
    insert(t, 3, v3::Status::Closed).await;
    let additive = models::<v4::Ticket>().sync(&t.db, &SyncOptions::new(Mode::Additive)).await.unwrap();
    let reasons: Vec<String> = additive
        .plan
        .steps
        .iter()
        .filter_map(|s| match &s.disposition {
            Disposition::Pending { reason, .. } => Some(reason.clone()),
            _ => None,
        })
        .collect();
    assert!(reasons.iter().any(|r| r.contains("2 existing row(s)")), "{}", additive.plan);
    let full = SyncOptions::new(Mode::Full).allow_everything();
    let err = models::<v4::Ticket>().sync(&t.db, &full).await.unwrap_err();
    assert!(matches!(err, Error::Refused { .. }), "{err:?}");
    assert!(err.to_string().contains("closed"), "{err}");
    t.exec("DELETE FROM en_tickets WHERE status = 'closed'").await;
    models::<v4::Ticket>().sync(&t.db, &full).await.unwrap();
    let rows = statuses(t, |r: &v4::Ticket| r.status, |s| format!("{s:?}")).await;
    assert_eq!(rows, labels(t, &["Paused"], &["paused"]));
    models::<v4::Ticket>().validate(&t.db).await.expect("in sync");
}

/// Drop-all drops the models' enum type (PostgreSQL) with their tables, and a rebuild
/// makes it again.
async fn drop_all_and_rebuild_take_the_type_along(t: &TestDb) {
    models::<v1::Ticket>().create_all(&t.db).await.unwrap();
    models::<v2::Ticket>().sync(&t.db, &SyncOptions::new(Mode::Rebuild)).await.unwrap();
    models::<v2::Ticket>().validate(&t.db).await.expect("rebuilt");
    models::<v2::Ticket>().drop_all(&t.db).await.unwrap();
    assert!(!t.table_names().await.contains(&"en_tickets".to_string()));
    if t.backend == Backend::Postgres {
        assert_eq!(t.count("SELECT count(*) FROM pg_type WHERE typname = 'en_status'").await, 0);
    }
}

/// Another tool's spelling of the same enum compares equal: pg_dump's schema-qualified
/// type, MySQL's `enum(...)` as written by hand, SQLAlchemy's check on SQLite.
async fn an_enum_another_tool_made_is_in_sync(t: &TestDb) {
    let ddl = match t.backend {
        Backend::Postgres => {
            "CREATE TYPE public.en_status AS ENUM ('active', 'on_hold'); \
             CREATE TABLE public.en_tickets (id bigint NOT NULL PRIMARY KEY, \
             status public.en_status DEFAULT 'active'::public.en_status NOT NULL, previous public.en_status)"
        }
        Backend::MySql => {
            "CREATE TABLE en_tickets (id BIGINT NOT NULL PRIMARY KEY, \
             status ENUM('active', 'on_hold') NOT NULL DEFAULT 'active', previous ENUM('active','on_hold') NULL)"
        }
        Backend::Sqlite => {
            "CREATE TABLE en_tickets (id BIGINT NOT NULL PRIMARY KEY, \
             status VARCHAR(7) DEFAULT 'active' NOT NULL, previous VARCHAR(7), \
             CONSTRAINT status_enum CHECK (status IN ('active', 'on_hold')), \
             CONSTRAINT previous_enum CHECK (previous IN ('active', 'on_hold')))"
        }
    };
    t.exec(ddl).await;
    let compared = models::<v1::Ticket>().diff(&t.db).await.unwrap();
    assert!(compared.diff.is_empty(), "{:#?}", compared.diff.changes);
}

per_backend!(
    an_enum_round_trips,
    adding_a_label_is_safe,
    renaming_a_label_moves_the_rows,
    removing_a_label_counts_the_rows,
    drop_all_and_rebuild_take_the_type_along,
    an_enum_another_tool_made_is_in_sync,
);
