//! Every wait has a limit, and the error says what was waited for: a table locked by
//! another session while the catalog is read or while DDL runs, a busy SQLite file, a
//! server that is not there. Each case must fail with its clear error within its
//! bound, never hang.

#![allow(dead_code)] // the models here are only read through their table definitions

use schemasync::{Backend, Db, Error, Mode, Models, SyncOptions};
use schemasync_tests::{per_backend, TestDb};
use std::time::{Duration, Instant};

mod models {
    use schemasync::Table;

    /// A default: PostgreSQL deparses it, and so waits for a lock on the table.
    #[derive(Table)]
    #[table(name = "bd_authors")]
    pub struct Author {
        #[column(primary_key, auto_increment)]
        pub id: i64,
        #[column(len = 80, default = "anonymous")]
        pub name: String,
    }

    pub mod v2 {
        use schemasync::Table;

        #[derive(Table)]
        #[table(name = "bd_authors")]
        pub struct Author {
            #[column(primary_key, auto_increment)]
            pub id: i64,
            #[column(len = 80, default = "anonymous")]
            pub name: String,
            pub bio: Option<String>,
        }
    }
}

fn v1() -> Models {
    Models::new().with::<models::Author>()
}

fn v2() -> Models {
    Models::new().with::<models::v2::Author>()
}

/// A connection of its own that runs `sql` (a lock, an open transaction) and keeps it
/// until dropped: dropping closes the connection, so the server lets go.
async fn hold(t: &TestDb, sql: &str) -> schemasync_tests::harness::HeldLock {
    use schemasync_tests::harness::HeldLock;
    use sqlx::Connection;
    match t.backend {
        Backend::Postgres => {
            let mut conn = sqlx::PgConnection::connect(&t.url).await.unwrap();
            sqlx::raw_sql(sql).execute(&mut conn).await.unwrap();
            HeldLock::Postgres(conn)
        }
        Backend::MySql => {
            let mut conn = sqlx::MySqlConnection::connect(&t.url).await.unwrap();
            sqlx::raw_sql(sql).execute(&mut conn).await.unwrap();
            HeldLock::MySql(conn)
        }
        Backend::Sqlite => {
            let mut conn = sqlx::SqliteConnection::connect(&t.url).await.unwrap();
            sqlx::raw_sql(sql).execute(&mut conn).await.unwrap();
            HeldLock::Sqlite(conn)
        }
    }
}

/// A boot reads the catalog while another session holds an exclusive lock on a table.
/// Columns, keys and plain indexes are read from the catalog alone, so a lock on a
/// model's table does not stop a no-op boot. A check's text is printed by the server,
/// which opens the table for it: behind such a lock the read gives up within the
/// catalog's lock bound and names the table and the way to find the blocker.
async fn catalog_read_behind_a_table_lock(t: &TestDb) {
    if t.backend != Backend::Postgres {
        return; // MariaDB's information_schema and SQLite's schema do not wait on table locks
    }
    v1().create_all(&t.db).await.unwrap();
    let options =
        SyncOptions::new(Mode::Additive).catalog_timeouts(Duration::from_millis(700), Duration::from_secs(30));
    let holder = hold(t, "BEGIN; LOCK TABLE bd_authors IN ACCESS EXCLUSIVE MODE").await;
    let report = v1().sync(&t.db, &options).await.expect("a lock on a model's table does not stop a no-op boot");
    assert!(report.plan.steps.is_empty(), "{report}");
    drop(holder);

    t.exec("CREATE TABLE bd_side (n integer CHECK (n > 0))").await;
    let holder = hold(t, "BEGIN; LOCK TABLE bd_side IN ACCESS EXCLUSIVE MODE").await;
    let started = Instant::now();
    let err = v1().sync(&t.db, &options).await.unwrap_err();
    let took = started.elapsed();
    let msg = err.to_string();
    assert!(matches!(err, Error::Timeout { .. }), "{err:?}");
    assert!(took < Duration::from_secs(10), "took {took:?}");
    assert!(
        msg.contains("bd_side") && msg.contains("AccessExclusiveLock") && msg.contains("pg_stat_activity"),
        "{msg}"
    );
    drop(holder);
}

/// DDL behind a long reader: each attempt waits only `ddl_lock_timeout`, the plan is
/// tried again after a pause, and when every attempt ran out the error names the
/// table, the statement and the number of attempts, and the history row says so.
async fn ddl_behind_a_long_reader(t: &TestDb) {
    if t.backend == Backend::Sqlite {
        return; // SQLite's writer lock is the schema lock: see lock_timeout_is_a_clear_error
    }
    v1().create_all(&t.db).await.unwrap();
    let read = match t.backend {
        Backend::Postgres => "BEGIN; SELECT count(*) FROM bd_authors",
        _ => "START TRANSACTION; SELECT count(*) FROM bd_authors",
    };
    let holder = hold(t, read).await;
    let per_attempt = Duration::from_millis(if t.backend == Backend::MySql { 1000 } else { 300 });
    let options = SyncOptions::new(Mode::Additive).ddl_timeouts(per_attempt, Duration::from_secs(60)).ddl_retries(2);
    let started = Instant::now();
    let err = v2().sync(&t.db, &options).await.unwrap_err();
    let took = started.elapsed();
    let msg = err.to_string();
    assert!(matches!(err, Error::Timeout { .. }), "{err:?}");
    assert!(msg.contains("bd_authors") && msg.contains("3 time(s)") && msg.contains("ADD COLUMN"), "{msg}");
    assert!(took < Duration::from_secs(20), "took {took:?}");
    let recorded = t.strings("SELECT error FROM schemasync_history WHERE success = FALSE").await;
    assert!(recorded.iter().any(|e| e.contains("3 time(s)")), "{recorded:?}");
    drop(holder);
    // Once the reader is gone, the same sync goes through.
    tokio::time::sleep(Duration::from_millis(200)).await;
    v2().sync(&t.db, &options).await.unwrap();
    v2().validate(&t.db).await.unwrap();
}

/// SQLite: a catalog read while another connection holds the file's exclusive lock
/// waits the pool's busy timeout and says what it waited for (not "check that the user
/// may read the catalog").
async fn sqlite_busy_file(t: &TestDb) {
    if t.backend != Backend::Sqlite {
        return;
    }
    v1().create_all(&t.db).await.unwrap();
    let holder = hold(t, "BEGIN EXCLUSIVE").await;
    use std::str::FromStr;
    let options =
        sqlx::sqlite::SqliteConnectOptions::from_str(&t.url).unwrap().busy_timeout(Duration::from_millis(300));
    let pool = sqlx::sqlite::SqlitePoolOptions::new().connect_with(options).await.unwrap();
    let started = Instant::now();
    let err = v1().diff(&pool).await.unwrap_err();
    let msg = err.to_string();
    assert!(matches!(err, Error::Timeout { .. }), "{err:?}");
    assert!(msg.contains("write lock") && !msg.contains("may read the catalog"), "{msg}");
    assert!(started.elapsed() < Duration::from_secs(5));
    drop(holder);
}

per_backend!(catalog_read_behind_a_table_lock, ddl_behind_a_long_reader, sqlite_busy_file);

/// A server that is not there: a clear error within the connect timeout, naming the
/// host, the port and the cause.
#[tokio::test]
async fn an_unreachable_server_is_a_clear_error() {
    for (url, backend) in
        [("postgres://app:s3cret@127.0.0.1:1/db", "PostgreSQL"), ("mysql://app:s3cret@127.0.0.1:1/db", "MySQL")]
    {
        let started = Instant::now();
        let err = Db::connect_timeout(url, Duration::from_secs(2)).await.unwrap_err();
        let msg = err.to_string();
        assert!(started.elapsed() < Duration::from_secs(5), "{:?}", started.elapsed());
        assert!(msg.contains(backend) && msg.contains("127.0.0.1:1") && msg.contains("refused"), "{msg}");
        assert!(!msg.contains("s3cret") && !format!("{err:?}").contains("s3cret"), "{msg}");
    }
    let err = Db::connect_timeout("postgres://app@no-such-host.invalid/db", Duration::from_secs(3)).await.unwrap_err();
    assert!(err.to_string().contains("no-such-host.invalid"), "{err}");
}
