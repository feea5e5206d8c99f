//! PostgreSQL: a session-level advisory lock, and one transaction with bounded waits.

use super::{millis, Session};
use crate::dialect::Backend;
use crate::error::{Error, Result};
use crate::sync::SyncOptions;
use sqlx::pool::PoolConnection;
use sqlx::Postgres;
use std::future::Future;
use std::time::Duration;

pub(crate) struct PgSession {
    conn: PoolConnection<Postgres>,
    key: i64,
}

impl PgSession {
    pub fn new(conn: PoolConnection<Postgres>) -> Self {
        PgSession { conn, key: 0 }
    }
}

/// The advisory lock key for `name`: the first 8 bytes of its SHA-256.
fn lock_key(name: &str) -> i64 {
    use sha2::{Digest, Sha256};
    let digest = Sha256::digest(name.as_bytes());
    let mut bytes = [0u8; 8];
    bytes.copy_from_slice(&digest[..8]);
    i64::from_be_bytes(bytes)
}

impl Session for PgSession {
    fn backend(&self) -> Backend {
        Backend::Postgres
    }

    fn exec<'a>(&'a mut self, sql: &'a str) -> impl Future<Output = std::result::Result<(), sqlx::Error>> + Send + 'a {
        // Executor::execute returns a boxed Send future, which keeps sqlx's
        // higher-ranked Executor bounds out of this future's type.
        let conn: &'a mut sqlx::PgConnection = &mut self.conn;
        let run = sqlx::Executor::execute(conn, sqlx::raw_sql(sql));
        async move { run.await.map(|_| ()) }
    }

    async fn lock(&mut self, key: &str, timeout: Duration) -> Result<()> {
        self.key = lock_key(key);
        let set = format!("SET lock_timeout = '{}ms'", millis(timeout));
        let lock_err = |source| Error::Execute {
            backend: Backend::Postgres,
            table: String::new(),
            sql: "pg_advisory_lock".into(),
            source,
        };
        self.exec(&set).await.map_err(lock_err)?;
        let taken = sqlx::query("SELECT pg_advisory_lock($1)").bind(self.key).execute(&mut *self.conn).await;
        let _ = self.exec("RESET lock_timeout").await;
        match taken {
            Ok(_) => Ok(()),
            Err(sqlx::Error::Database(e)) if e.code().as_deref() == Some("55P03") => {
                Err(Error::LockTimeout { backend: Backend::Postgres, waited: timeout, lock: key.to_string() })
            }
            Err(e) => Err(lock_err(e)),
        }
    }

    async fn unlock(&mut self) {
        if let Err(e) = sqlx::query("SELECT pg_advisory_unlock($1)").bind(self.key).execute(&mut *self.conn).await {
            tracing::warn!(error = %e, "schemasync: could not release the advisory lock; closing the connection releases it");
        }
    }

    async fn begin(&mut self, options: &SyncOptions) -> Result<()> {
        let sql = format!(
            "BEGIN; SET LOCAL lock_timeout = '{}ms'; SET LOCAL statement_timeout = '{}ms'",
            millis(options.ddl_lock_timeout),
            millis(options.statement_timeout)
        );
        self.exec(&sql).await.map_err(|source| Error::Execute {
            backend: Backend::Postgres,
            table: String::new(),
            sql,
            source,
        })
    }

    async fn commit(&mut self) -> Result<()> {
        self.exec("COMMIT").await.map_err(|source| Error::Execute {
            backend: Backend::Postgres,
            table: String::new(),
            sql: "COMMIT".into(),
            source,
        })
    }

    async fn rollback(&mut self) {
        let _ = self.exec("ROLLBACK").await;
    }

    fn transactional(&self) -> bool {
        true
    }
}
