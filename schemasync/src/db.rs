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

impl Db {
    /// Connects to `url` (`postgres://`, `mysql://`, `mariadb://` or `sqlite:`). A
    /// SQLite file is created when missing. Errors never show the password.
    pub async fn connect(url: &str) -> Result<Db> {
        let backend = Backend::from_url(url)?;
        let connect_err = |source| Error::Connect { url: redact_url(url), source };
        match backend {
            #[cfg(feature = "postgres")]
            Backend::Postgres => Ok(Db::Postgres(sqlx::PgPool::connect(url).await.map_err(connect_err)?)),
            #[cfg(feature = "mysql")]
            Backend::MySql => {
                let url = url.replacen("mariadb://", "mysql://", 1);
                Ok(Db::MySql(sqlx::MySqlPool::connect(&url).await.map_err(connect_err)?))
            }
            #[cfg(feature = "sqlite")]
            Backend::Sqlite => {
                use std::str::FromStr;
                let options =
                    sqlx::sqlite::SqliteConnectOptions::from_str(url).map_err(connect_err)?.create_if_missing(true);
                Ok(Db::Sqlite(sqlx::SqlitePool::connect_with(options).await.map_err(connect_err)?))
            }
            #[allow(unreachable_patterns)]
            other => Err(Error::BackendDisabled { backend: other, url: redact_url(url) }),
        }
    }

    /// Which backend this is.
    pub fn backend(&self) -> Backend {
        match self {
            #[cfg(feature = "postgres")]
            Db::Postgres(_) => Backend::Postgres,
            #[cfg(feature = "mysql")]
            Db::MySql(_) => Backend::MySql,
            #[cfg(feature = "sqlite")]
            Db::Sqlite(_) => Backend::Sqlite,
        }
    }
}
