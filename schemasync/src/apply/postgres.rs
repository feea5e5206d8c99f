//! PostgreSQL: a session-level advisory lock, and one transaction with bounded waits.

use super::{exec_on, millis, Held, Session};
use crate::catalog::{CatalogSource, Introspection};
use crate::dialect::Backend;
use crate::error::{Error, Result};
use crate::options::SyncOptions;
use sqlx::pool::PoolConnection;
use sqlx::Postgres;
use std::future::Future;
use std::time::Duration;

pub(crate) struct PgSession {
    conn: Held<Postgres>,
    key: i64,
    /// The plan's transaction is open: catalog reads run under its bounds.
    in_transaction: bool,
}

impl PgSession {
    pub fn new(conn: PoolConnection<Postgres>) -> Self {
        PgSession { conn: Held::new(conn), key: 0, in_transaction: false }
    }

    fn err(what: &str, hint: &str, source: sqlx::Error) -> Error {
        Error::Execute { backend: Backend::Postgres, table: String::new(), sql: format!("{what} ({hint})"), source }
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

/// Catalog reads on the connection that holds the lock.
impl CatalogSource for PgSession {
    fn backend(&self) -> Backend {
        Backend::Postgres
    }

    async fn introspect(
        &mut self,
        schemas: &[String],
        limits: &crate::catalog::Limits,
        _meanwhile: crate::catalog::Meanwhile<'_>,
    ) -> Result<Introspection> {
        let sql = crate::catalog::postgres::catalog_sql(schemas, limits, self.in_transaction);
        let rows = crate::catalog::raw_strings(self.conn.get(), &sql).await;
        let mut blockers = Vec::new();
        if crate::catalog::postgres::waited_for_lock(&rows) && !self.in_transaction {
            let who = crate::catalog::postgres::blockers_sql(schemas);
            blockers = crate::catalog::raw_strings(self.conn.get(), &who).await.unwrap_or_default();
        }
        crate::catalog::postgres::read_catalog(rows, limits, &blockers)
    }

    fn in_transaction(&self) -> bool {
        self.in_transaction
    }

    fn strings<'a>(
        &'a mut self,
        sql: &'a str,
    ) -> impl Future<Output = std::result::Result<Vec<String>, sqlx::Error>> + Send + 'a {
        crate::catalog::raw_strings(self.conn.get(), sql)
    }

    fn row_estimates(&mut self) -> impl Future<Output = Result<Vec<(Option<String>, String, i64)>>> + Send + '_ {
        crate::catalog::postgres::row_estimates(self.conn.get(), self.in_transaction)
    }
}

impl Session for PgSession {
    fn exec<'a>(&'a mut self, sql: &'a str) -> impl Future<Output = std::result::Result<(), sqlx::Error>> + Send + 'a {
        exec_on::<Postgres>(self.conn.get(), sql)
    }

    async fn lock(&mut self, key: &str, timeout: Duration) -> Result<()> {
        self.key = lock_key(key);
        let set = format!("SET lock_timeout = '{}ms'", millis(timeout));
        self.exec(&set).await.map_err(|e| Self::err(&set, "before taking the schema lock", e))?;
        self.conn.dirty = true;
        let taken = sqlx::query("SELECT pg_advisory_lock($1)").bind(self.key).execute(&mut *self.conn.get()).await;
        let _ = self.exec("RESET lock_timeout").await;
        match taken {
            Ok(_) => Ok(()),
            Err(sqlx::Error::Database(e)) if e.code().as_deref() == Some("55P03") => {
                self.conn.dirty = false;
                Err(Error::LockTimeout { backend: Backend::Postgres, waited: timeout, lock: key.to_string() })
            }
            Err(e) => Err(Self::err("SELECT pg_advisory_lock(..)", "taking the schema lock", e)),
        }
    }

    async fn unlock(&mut self) {
        match sqlx::query("SELECT pg_advisory_unlock($1)").bind(self.key).execute(&mut *self.conn.get()).await {
            Ok(_) => self.conn.dirty = false,
            Err(e) => {
                tracing::warn!(error = %e, "schemasync: could not release the advisory lock; the connection will be closed")
            }
        }
    }

    async fn begin(&mut self, options: &SyncOptions) -> Result<()> {
        let sql = format!(
            "BEGIN; SET LOCAL lock_timeout = '{}ms'; SET LOCAL statement_timeout = '{}ms'",
            millis(options.ddl_lock_timeout),
            millis(options.statement_timeout)
        );
        if let Err(e) = self.exec(&sql).await {
            let _ = self.exec("ROLLBACK").await;
            return Err(Self::err(&sql, "starting the plan's transaction", e));
        }
        self.in_transaction = true;
        Ok(())
    }

    async fn commit(&mut self) -> Result<()> {
        let done = self.exec("COMMIT").await.map_err(|e| Self::err("COMMIT", "committing the plan", e));
        self.in_transaction = false;
        done
    }

    async fn rollback(&mut self) {
        let _ = self.exec("ROLLBACK").await;
        self.in_transaction = false;
    }

    async fn blockers(&mut self) -> Vec<String> {
        let sql = crate::catalog::postgres::blockers_sql(&[]);
        crate::catalog::raw_strings(self.conn.get(), &sql).await.unwrap_or_default()
    }

    async fn last_run(&mut self, table: &str) -> Result<Option<super::LastRun>> {
        let sql = super::last_run_sql(Backend::Postgres, table);
        let rows = crate::catalog::fetch(self.conn.get(), &sql).await;
        super::last_run_from(Backend::Postgres, table, &sql, rows)
    }

    fn transactional(&self) -> bool {
        true
    }
}
