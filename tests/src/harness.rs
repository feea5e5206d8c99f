//! A fresh, uniquely named database per test, dropped afterwards (even when the test
//! panics), so tests run in parallel and can be re-run.
//!
//! PostgreSQL and MySQL tests are skipped, with a line on the terminal saying so, when
//! the server cannot be reached, unless `SCHEMASYNC_TEST_REQUIRE` names the backend
//! (`postgres,mysql` or `all`): then they fail. `.ci/run` sets it to `all`.
//! Server URLs: `SCHEMASYNC_TEST_POSTGRES_URL` (default
//! `postgres://postgres@127.0.0.1:5432/test`) and `SCHEMASYNC_TEST_MYSQL_URL` (default
//! `mysql://root@127.0.0.1:3306/test`).

use schemasync::{Backend, Db};
use std::io::Write;
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Mutex, OnceLock};
use std::time::Duration;

/// A database of its own for one test.
pub struct TestDb {
    pub db: Db,
    pub backend: Backend,
    /// The URL of this test's database.
    pub url: String,
    cleanup: Option<Cleanup>,
}

enum Cleanup {
    Server { admin_url: String, name: String, backend: Backend },
    File(std::path::PathBuf),
}

fn admin_url(backend: Backend) -> String {
    match backend {
        Backend::Postgres => std::env::var("SCHEMASYNC_TEST_POSTGRES_URL")
            .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/test".into()),
        Backend::MySql => {
            std::env::var("SCHEMASYNC_TEST_MYSQL_URL").unwrap_or_else(|_| "mysql://root@127.0.0.1:3306/test".into())
        }
        Backend::Sqlite => String::new(),
    }
}

/// True when `SCHEMASYNC_TEST_REQUIRE` makes `backend` mandatory.
pub fn required(backend: Backend) -> bool {
    let Ok(list) = std::env::var("SCHEMASYNC_TEST_REQUIRE") else {
        return false;
    };
    list.split(',').map(str::trim).any(|b| b.eq_ignore_ascii_case("all") || b.eq_ignore_ascii_case(backend.key()))
}

/// A name no other test (or earlier run) uses.
pub fn unique_name(prefix: &str) -> String {
    static COUNTER: AtomicU32 = AtomicU32::new(0);
    let nanos = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap_or_default().subsec_nanos();
    format!("{prefix}_{}_{}_{:x}", std::process::id(), COUNTER.fetch_add(1, Ordering::Relaxed), nanos)
}

/// `scheme://auth/db?query` with the database replaced.
fn with_database(url: &str, name: &str) -> String {
    let (base, query) = match url.split_once('?') {
        Some((b, q)) => (b, format!("?{q}")),
        None => (url, String::new()),
    };
    let authority_start = base.find("://").map(|i| i + 3).unwrap_or(0);
    let root = match base[authority_start..].find('/') {
        Some(i) => &base[..authority_start + i],
        None => base,
    };
    format!("{root}/{name}{query}")
}

fn say_skipped(backend: Backend, why: &str) {
    static SAID: OnceLock<Mutex<Vec<Backend>>> = OnceLock::new();
    let said = SAID.get_or_init(|| Mutex::new(Vec::new()));
    let mut said = said.lock().unwrap_or_else(|e| e.into_inner());
    if !said.contains(&backend) {
        said.push(backend);
        // Written to the real stderr, not through eprintln!, so the test harness does
        // not swallow it.
        let _ = writeln!(
            std::io::stderr(),
            "\n*** SKIPPED: {backend} tests in {} — {why}. Set SCHEMASYNC_TEST_REQUIRE={} to make this a failure.",
            std::env::args().next().unwrap_or_default().rsplit('/').next().unwrap_or_default(),
            backend.key()
        );
    }
}

async fn server_pool(backend: Backend, url: &str) -> Result<Db, String> {
    let timeout = Duration::from_secs(10);
    let result = match backend {
        Backend::Postgres => sqlx::postgres::PgPoolOptions::new()
            .acquire_timeout(timeout)
            .max_connections(10)
            .connect(url)
            .await
            .map(|p| Db::from(&p)),
        Backend::MySql => sqlx::mysql::MySqlPoolOptions::new()
            .acquire_timeout(timeout)
            .max_connections(10)
            .connect(url)
            .await
            .map(|p| Db::from(&p)),
        Backend::Sqlite => unreachable!("SQLite has no server"),
    };
    result.map_err(|e| format!("cannot connect to {}: {e}", schemasync::error::redact_url(url)))
}

async fn admin_exec(backend: Backend, admin_url: &str, sql: &str) -> Result<(), String> {
    use sqlx::{Connection, Executor};
    // One plain connection: a refused connection fails at once instead of waiting out
    // a pool's acquire timeout.
    let run = async {
        match backend {
            Backend::Postgres => {
                let mut conn = sqlx::PgConnection::connect(admin_url).await?;
                conn.execute(sql).await?;
                conn.close().await
            }
            Backend::MySql => {
                let mut conn = sqlx::MySqlConnection::connect(admin_url).await?;
                conn.execute(sql).await?;
                conn.close().await
            }
            Backend::Sqlite => Ok(()),
        }
    };
    run.await.map_err(|e: sqlx::Error| format!("{} at {}: {e}", sql, schemasync::error::redact_url(admin_url)))
}

impl TestDb {
    /// A new empty database on `backend`, or `None` when the server is unreachable and
    /// not required (the skip is reported once per test binary).
    pub async fn fresh(backend: Backend) -> Option<TestDb> {
        // Once a server was found unreachable, the other tests of this binary skip at once.
        static UNREACHABLE: OnceLock<Mutex<Vec<Backend>>> = OnceLock::new();
        let unreachable = UNREACHABLE.get_or_init(|| Mutex::new(Vec::new()));
        if !required(backend) && unreachable.lock().unwrap_or_else(|e| e.into_inner()).contains(&backend) {
            return None;
        }
        match Self::try_fresh(backend).await {
            Ok(t) => Some(t),
            Err(why) if backend != Backend::Sqlite && !required(backend) => {
                say_skipped(backend, &why);
                unreachable.lock().unwrap_or_else(|e| e.into_inner()).push(backend);
                None
            }

            Err(why) => panic!("{backend} is required for these tests but {why}"),
        }
    }

    async fn try_fresh(backend: Backend) -> Result<TestDb, String> {
        if backend == Backend::Sqlite {
            let path = std::env::temp_dir().join(format!("{}.db", unique_name("schemasync")));
            let url = format!("sqlite://{}?mode=rwc", path.display());
            let db = Db::connect(&url).await.map_err(|e| e.to_string())?;
            return Ok(TestDb { db, backend, url, cleanup: Some(Cleanup::File(path)) });
        }
        let admin = admin_url(backend);
        let name = unique_name("ss");
        let quoted = if backend == Backend::MySql { format!("`{name}`") } else { format!("\"{name}\"") };
        admin_exec(backend, &admin, &format!("CREATE DATABASE {quoted}")).await?;
        let url = with_database(&admin, &name);
        let db = server_pool(backend, &url).await?;
        Ok(TestDb { db, backend, url, cleanup: Some(Cleanup::Server { admin_url: admin, name, backend }) })
    }

    /// Runs raw SQL, one or more statements separated by `;`, on one connection of this
    /// test's database (SQLite checks DDL against the connection's cached schema, so a
    /// script must not hop between pooled connections).
    pub async fn exec(&self, sql: &str) {
        let r = match &self.db {
            Db::Postgres(p) => sqlx::raw_sql(sql).execute(p).await.map(|_| ()),
            Db::MySql(p) => sqlx::raw_sql(sql).execute(p).await.map(|_| ()),
            Db::Sqlite(p) => sqlx::raw_sql(sql).execute(p).await.map(|_| ()),

            _ => unreachable!(),
        };
        if let Err(e) = r {
            panic!("{sql}\nfailed on {}: {e}", self.backend);
        }
    }

    /// The first column of every row of `sql`, as text.
    pub async fn strings(&self, sql: &str) -> Vec<String> {
        let r = match &self.db {
            Db::Postgres(p) => sqlx::query_scalar::<_, String>(sql).fetch_all(p).await,
            Db::MySql(p) => sqlx::query_scalar::<_, String>(sql).fetch_all(p).await,
            Db::Sqlite(p) => sqlx::query_scalar::<_, String>(sql).fetch_all(p).await,
            _ => unreachable!(),
        };
        r.unwrap_or_else(|e| panic!("{sql}\nfailed on {}: {e}", self.backend))
    }

    /// A single number from `sql` (`SELECT count(*) ...`).
    pub async fn count(&self, sql: &str) -> i64 {
        let r = match &self.db {
            Db::Postgres(p) => sqlx::query_scalar::<_, i64>(sql).fetch_one(p).await,
            Db::MySql(p) => sqlx::query_scalar::<_, i64>(sql).fetch_one(p).await,
            Db::Sqlite(p) => sqlx::query_scalar::<_, i64>(sql).fetch_one(p).await,
            _ => unreachable!(),
        };
        r.unwrap_or_else(|e| panic!("{sql}\nfailed on {}: {e}", self.backend))
    }

    /// Takes schemasync's apply lock named `key` on a connection of its own and holds it
    /// until the returned value is dropped (the connection is then closed, which frees it).
    pub async fn hold_schema_lock(&self, key: &str) -> HeldLock {
        use sqlx::Acquire;
        let taken = match &self.db {
            Db::Postgres(p) => {
                use sha2::{Digest, Sha256};
                let digest = Sha256::digest(key.as_bytes());
                let id = i64::from_be_bytes(digest[..8].try_into().expect("8 bytes"));
                let mut conn = p.acquire().await.expect("a connection").detach();
                sqlx::query("SELECT pg_advisory_lock($1)")
                    .bind(id)
                    .execute(&mut conn)
                    .await
                    .map(|_| HeldLock::Postgres(conn))
            }
            Db::MySql(p) => {
                let mut conn = p.acquire().await.expect("a connection").detach();
                sqlx::query("DO GET_LOCK(LEFT(CONCAT(?, ':', COALESCE(DATABASE(), '')), 64), 0)")
                    .bind(key)
                    .execute(&mut conn)
                    .await
                    .map(|_| HeldLock::MySql(conn))
            }
            Db::Sqlite(p) => {
                let mut conn = p.acquire().await.expect("a connection").detach();
                let _ = conn.acquire().await;
                sqlx::raw_sql("BEGIN IMMEDIATE").execute(&mut conn).await.map(|_| HeldLock::Sqlite(conn))
            }
            _ => unreachable!(),
        };
        taken.unwrap_or_else(|e| panic!("could not take the lock on {}: {e}", self.backend))
    }

    /// A user of its own on this test's server (not SQLite), with a password full of
    /// URL-special characters, granted `grants` (`{user}` and `{db}` are filled in):
    /// its URL for this database. The user is dropped with the returned value.
    pub async fn user(&self, grants: &[&str]) -> TestUser {
        let Some(Cleanup::Server { admin_url, name: db, backend }) = &self.cleanup else {
            panic!("a user of its own needs a server");
        };
        let user = unique_name("u");
        let password = "Qm?rk#p@ss/w:rd%&";
        let encoded: String = password
            .bytes()
            .map(|b| if b.is_ascii_alphanumeric() { (b as char).to_string() } else { format!("%{b:02X}") })
            .collect();
        let (create, target) = match backend {
            Backend::Postgres => (format!("CREATE ROLE \"{user}\" LOGIN PASSWORD '{password}'"), format!("\"{db}\"")),
            _ => (format!("CREATE USER '{user}'@'%' IDENTIFIED BY '{password}'"), format!("`{db}`")),
        };
        admin_exec(*backend, admin_url, &create).await.unwrap_or_else(|e| panic!("{e}"));
        let mut on_db = Vec::new();
        for g in grants {
            let sql = g.replace("{user}", &user).replace("{db}", &target);
            // Grants on objects inside the database run there; the others on the server.
            if *backend == Backend::Postgres && !sql.contains(" DATABASE ") {
                on_db.push(sql);
            } else {
                admin_exec(*backend, admin_url, &sql).await.unwrap_or_else(|e| panic!("{e}"));
            }
        }
        if !on_db.is_empty() {
            admin_exec(*backend, &with_database(admin_url, db), &on_db.join("; "))
                .await
                .unwrap_or_else(|e| panic!("{e}"));
        }
        let scheme_end = self.url.find("://").map(|i| i + 3).unwrap_or(0);
        let host_start = self.url[scheme_end..].find('@').map(|i| scheme_end + i + 1).unwrap_or(scheme_end);
        let url = format!("{}{user}:{encoded}@{}", &self.url[..scheme_end], &self.url[host_start..]);
        TestUser {
            url,
            password: password.to_string(),
            drop: (*backend, admin_url.clone(), with_database(admin_url, db), user),
        }
    }

    /// The names of the base tables in this database, sorted.
    pub async fn table_names(&self) -> Vec<String> {
        let sql = match self.backend {
            Backend::Postgres => "SELECT table_schema || '.' || table_name FROM information_schema.tables WHERE table_type = 'BASE TABLE' AND table_schema NOT IN ('pg_catalog', 'information_schema') ORDER BY 1",
            Backend::MySql => "SELECT CAST(table_name AS CHAR) FROM information_schema.tables WHERE table_schema = DATABASE() AND table_type = 'BASE TABLE' ORDER BY 1",
            Backend::Sqlite => "SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY 1",
        };
        let mut names: Vec<String> = self
            .strings(sql)
            .await
            .into_iter()
            .map(|n| n.strip_prefix("public.").map(str::to_string).unwrap_or(n))
            .collect();
        names.sort();
        names
    }
}

impl Drop for TestDb {
    fn drop(&mut self) {
        let Some(cleanup) = self.cleanup.take() else {
            return;
        };
        match cleanup {
            Cleanup::File(path) => {
                for suffix in ["", "-wal", "-shm", "-journal"] {
                    let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
                }
            }
            Cleanup::Server { admin_url, name, backend } => {
                let sql = match backend {
                    Backend::Postgres => format!("DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)"),
                    _ => format!("DROP DATABASE IF EXISTS `{name}`"),
                };
                // Our own runtime on our own thread: Drop cannot await.
                let handle = std::thread::spawn(move || {
                    let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().ok()?;
                    rt.block_on(admin_exec(backend, &admin_url, &sql)).err()
                });
                if let Ok(Some(err)) = handle.join() {
                    let _ = writeln!(std::io::stderr(), "warning: could not drop test database: {err}");
                }
            }
        }
    }
}

/// A user made by [`TestDb::user`], dropped with this value.
pub struct TestUser {
    /// Its URL for the test's database (the password percent-encoded).
    pub url: String,
    /// Its password, to check that no output shows it.
    pub password: String,
    drop: (Backend, String, String, String),
}

impl Drop for TestUser {
    fn drop(&mut self) {
        let (backend, admin_url, db_url, user) = self.drop.clone();
        let handle = std::thread::spawn(move || {
            let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().ok()?;
            rt.block_on(async {
                if backend == Backend::Postgres {
                    // What it owns and may do in the test's database goes first.
                    admin_exec(backend, &db_url, &format!("DROP OWNED BY \"{user}\" CASCADE")).await?;
                    admin_exec(backend, &admin_url, &format!("DROP ROLE IF EXISTS \"{user}\"")).await
                } else {
                    admin_exec(backend, &admin_url, &format!("DROP USER IF EXISTS '{user}'@'%'")).await
                }
            })
            .err()
        });
        if let Ok(Some(err)) = handle.join() {
            let _ = writeln!(std::io::stderr(), "warning: could not drop test user: {err}");
        }
    }
}

/// Generates one `#[tokio::test]` per backend for each async fn taking `&TestDb`:
/// `per_backend!(my_check);` gives `my_check::postgres`, `my_check::mysql` and
/// `my_check::sqlite`.
#[macro_export]
macro_rules! per_backend {
    ($($check:ident),* $(,)?) => {$(
        mod $check {
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn postgres() {
                if let Some(t) = $crate::TestDb::fresh($crate::Backend::Postgres).await {
                    super::$check(&t).await;
                }
            }
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn mysql() {
                if let Some(t) = $crate::TestDb::fresh($crate::Backend::MySql).await {
                    super::$check(&t).await;
                }
            }
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn sqlite() {
                if let Some(t) = $crate::TestDb::fresh($crate::Backend::Sqlite).await {
                    super::$check(&t).await;
                }
            }
        }
    )*};
}

/// A schema lock held by a test on a connection of its own; dropping it closes the
/// connection and frees the lock.
pub enum HeldLock {
    Postgres(sqlx::PgConnection),
    MySql(sqlx::MySqlConnection),
    Sqlite(sqlx::SqliteConnection),
}
