//! [`Db`]: a connection pool of one of the supported backends, and running statements on it.

use crate::dialect::Backend;
use crate::error::{redact_url, Error, Result};

/// A sqlx pool of one of the supported backends. Build it from your own pool with
/// `Db::from(&pool)`, or from a URL with [`Db::connect`].
#[derive(Debug, Clone)]
#[non_exhaustive]
pub enum Db {
    #[cfg(feature = "postgres")]
    Postgres(sqlx::PgPool),
    #[cfg(feature = "mysql")]
    MySql(sqlx::MySqlPool),
    #[cfg(feature = "sqlite")]
    Sqlite(sqlx::SqlitePool),
}

#[cfg(feature = "postgres")]
impl From<&sqlx::PgPool> for Db {
    fn from(pool: &sqlx::PgPool) -> Self {
        Db::Postgres(pool.clone())
    }
}

#[cfg(feature = "mysql")]
impl From<&sqlx::MySqlPool> for Db {
    fn from(pool: &sqlx::MySqlPool) -> Self {
        Db::MySql(pool.clone())
    }
}

#[cfg(feature = "sqlite")]
impl From<&sqlx::SqlitePool> for Db {
    fn from(pool: &sqlx::SqlitePool) -> Self {
        Db::Sqlite(pool.clone())
    }
}

impl From<&Db> for Db {
    fn from(db: &Db) -> Self {
        db.clone()
    }
}

/// What schemasync's functions take as a database: a sqlx pool by reference (of a
/// backend enabled by its feature), a [`Db`], or a `&Db`.
#[diagnostic::on_unimplemented(
    message = "schemasync cannot use `{Self}` as a database",
    label = "not a pool of a backend this build of schemasync has",
    note = "enable schemasync's feature for the backend: `postgres`, `mysql` or `sqlite`, like schemasync = {{ version = \"0.1\", features = [\"postgres\"] }}",
    note = "pass the pool by reference (`&pool`), or a `Db`"
)]
pub trait IntoDb {
    fn into_db(self) -> Db;
}

/// Runs `$body` with `$pool` bound to the concrete sqlx pool inside `$db` (a `&Db`), for
/// the same code on every backend's pool type.
macro_rules! on_pool {
    ($db:expr, $pool:ident => $body:expr) => {
        match $db {
            #[cfg(not(any(feature = "postgres", feature = "mysql", feature = "sqlite")))]
            _ => unreachable!("no backend feature: the crate does not build"),
            #[cfg(feature = "postgres")]
            $crate::db::Db::Postgres($pool) => $body,
            #[cfg(feature = "mysql")]
            $crate::db::Db::MySql($pool) => $body,
            #[cfg(feature = "sqlite")]
            $crate::db::Db::Sqlite($pool) => $body,
        }
    };
}
pub(crate) use on_pool;

/// `IntoDb` for the types that convert `Into<Db>`, one by one: a blanket impl would hide
/// the message above behind `From`'s.
macro_rules! into_db {
    ($($(#[$cfg:meta])* $ty:ty),* $(,)?) => {$(
        $(#[$cfg])*
        impl IntoDb for $ty {
            fn into_db(self) -> Db {
                self.into()
            }
        }
    )*};
}

into_db!(
    Db,
    &Db,
    #[cfg(feature = "postgres")]
    &sqlx::PgPool,
    #[cfg(feature = "mysql")]
    &sqlx::MySqlPool,
    #[cfg(feature = "sqlite")]
    &sqlx::SqlitePool,
);

impl Db {
    /// Connects to `url` (`postgres://`, `mysql://`, `mariadb://` or `sqlite:`), waiting
    /// at most 5 s (see [`Db::connect_timeout`]). A SQLite file is created when missing.
    /// Errors name the host and port and the real cause, never the password.
    pub async fn connect(url: &str) -> Result<Db> {
        Db::connect_timeout(url, std::time::Duration::from_secs(5)).await
    }

    /// [`Db::connect`], waiting at most `timeout` for the server (and, afterwards, for a
    /// free connection of the pool).
    pub async fn connect_timeout(url: &str, timeout: std::time::Duration) -> Result<Db> {
        use std::str::FromStr;
        let backend = Backend::from_url(url)?;
        let redacted = redact_url(url);
        let bad_url = |e: sqlx::Error| Error::Connect {
            url: redacted.clone(),
            target: "the server".into(),
            cause: format!("the URL cannot be read: {e}"),
        };
        match backend {
            #[cfg(feature = "postgres")]
            Backend::Postgres => {
                let options = sqlx::postgres::PgConnectOptions::from_str(url).map_err(bad_url)?;
                let target = format!("PostgreSQL at {}:{}", options.get_host(), options.get_port());
                Ok(Db::Postgres(pool::<sqlx::Postgres>(options, timeout, &redacted, target).await?))
            }
            #[cfg(feature = "mysql")]
            Backend::MySql => {
                let url = url.replacen("mariadb://", "mysql://", 1);
                let options = sqlx::mysql::MySqlConnectOptions::from_str(&url).map_err(bad_url)?;
                let target = format!("MySQL/MariaDB at {}:{}", options.get_host(), options.get_port());
                Ok(Db::MySql(pool::<sqlx::MySql>(options, timeout, &redacted, target).await?))
            }
            #[cfg(feature = "sqlite")]
            Backend::Sqlite => {
                let options =
                    sqlx::sqlite::SqliteConnectOptions::from_str(url).map_err(bad_url)?.create_if_missing(true);
                let target = format!("SQLite file {}", options.get_filename().display());
                Ok(Db::Sqlite(pool::<sqlx::Sqlite>(options, timeout, &redacted, target).await?))
            }
            #[allow(unreachable_patterns)]
            other => Err(Error::BackendDisabled { backend: other, url: redacted }),
        }
    }

    /// Which backend this is.
    pub fn backend(&self) -> Backend {
        match self {
            #[cfg(not(any(feature = "postgres", feature = "mysql", feature = "sqlite")))]
            _ => unreachable!("no backend feature: the crate does not build"),
            #[cfg(feature = "postgres")]
            Db::Postgres(_) => Backend::Postgres,
            #[cfg(feature = "mysql")]
            Db::MySql(_) => Backend::MySql,
            #[cfg(feature = "sqlite")]
            Db::Sqlite(_) => Backend::Sqlite,
        }
    }

    /// Closes the pool: waits for its connections to be returned, then closes them.
    pub async fn close(&self) {
        match self {
            #[cfg(not(any(feature = "postgres", feature = "mysql", feature = "sqlite")))]
            _ => unreachable!("no backend feature: the crate does not build"),
            #[cfg(feature = "postgres")]
            Db::Postgres(p) => p.close().await,
            #[cfg(feature = "mysql")]
            Db::MySql(p) => p.close().await,
            #[cfg(feature = "sqlite")]
            Db::Sqlite(p) => p.close().await,
        }
    }
}

/// Opens one connection first, bounded by `timeout`, so that a failure reports its real
/// cause (a pool would retry until its own timeout and say only that it timed out),
/// then the pool around it.
async fn pool<DB: sqlx::Database>(
    options: <DB::Connection as sqlx::Connection>::Options,
    timeout: std::time::Duration,
    url: &str,
    target: String,
) -> Result<sqlx::Pool<DB>> {
    use sqlx::ConnectOptions;
    let fail = |cause: String| Error::Connect { url: url.to_string(), target: target.clone(), cause };
    let no_answer = || {
        fail(format!("no answer within {timeout:?} (a firewall, a wrong host, or a server that is down); raise the timeout with Db::connect_timeout"))
    };
    // The pool's first connection and a probe connection are opened side by side: the
    // pool retries a refused connection until its timeout and then says only that it
    // timed out, while the probe says at once why it failed. A boot that succeeds waits
    // for one connection, not two in turn.
    let probe = tokio::time::timeout(timeout, options.connect());
    let pooled = sqlx::pool::PoolOptions::<DB>::new().acquire_timeout(timeout).connect_with(options.clone());
    tokio::pin!(probe, pooled);
    tokio::select! {
        pool = &mut pooled => match pool {
            Ok(pool) => Ok(pool),
            Err(e) => Err(match probe.await {
                Err(_) => no_answer(),
                Ok(Err(probe)) => fail(cause_of(&probe)),
                Ok(Ok(_)) => fail(cause_of(&e)),
            }),
        },
        probe = &mut probe => match probe {
            Err(_) => Err(no_answer()),
            Ok(Err(e)) => Err(fail(cause_of(&e))),
            Ok(Ok(conn)) => {
                let (pool, _) = tokio::join!(pooled, sqlx::Connection::close(conn));
                pool.map_err(|e| fail(cause_of(&e)))
            }
        },
    }
}

/// The cause of a failed connection, in words.
fn cause_of(e: &sqlx::Error) -> String {
    match e {
        sqlx::Error::Io(io) => match io.kind() {
            std::io::ErrorKind::ConnectionRefused => {
                "connection refused: nothing listens on that port (is the server running?)".into()
            }
            std::io::ErrorKind::TimedOut => "the connection timed out".into(),
            _ if io.to_string().contains("lookup") || io.to_string().contains("resolve") => {
                format!("the host name cannot be resolved ({io})")
            }
            _ => io.to_string(),
        },
        sqlx::Error::Database(db) => db.message().to_string(),
        sqlx::Error::PoolTimedOut => "timed out waiting for a connection".into(),
        other => other.to_string(),
    }
}
