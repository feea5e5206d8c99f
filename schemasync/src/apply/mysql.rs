//! MySQL/MariaDB: GET_LOCK; no transaction (DDL commits implicitly), so the history
//! row follows the plan statement by statement.

use super::{exec_on, Held, Session};
use crate::catalog::{CatalogSource, Introspection};
use crate::dialect::Backend;
use crate::error::{Error, Result};
use crate::options::SyncOptions;
use sqlx::pool::PoolConnection;
use sqlx::MySql;
use std::future::Future;
use std::time::Duration;

/// GET_LOCK is server-wide, so the name includes the database; MariaDB caps it at 64.
const LOCK_NAME: &str = "LEFT(CONCAT(?, ':', COALESCE(DATABASE(), '')), 64)";

pub(crate) struct MySqlSession {
    conn: Held<MySql>,
    name: String,
}

impl MySqlSession {
    pub fn new(conn: PoolConnection<MySql>) -> Self {
        MySqlSession { conn: Held::new(conn), name: String::new() }
    }
}

/// Catalog reads on the connection that holds the lock.
impl CatalogSource for MySqlSession {
    fn backend(&self) -> Backend {
        Backend::MySql
    }

    async fn introspect(
        &mut self,
        _schemas: &[String],
        limits: &crate::catalog::Limits,
        _meanwhile: crate::catalog::Meanwhile<'_>,
    ) -> Result<Introspection> {
        crate::catalog::mysql::introspect_on(self.conn.get(), limits).await
    }

    fn strings<'a>(
        &'a mut self,
        sql: &'a str,
    ) -> impl Future<Output = std::result::Result<Vec<String>, sqlx::Error>> + Send + 'a {
        crate::catalog::raw_strings(self.conn.get(), sql)
    }

    fn row_estimates(&mut self) -> impl Future<Output = Result<Vec<(Option<String>, String, i64)>>> + Send + '_ {
        crate::catalog::mysql::row_estimates(self.conn.get())
    }
}

impl Session for MySqlSession {
    fn exec<'a>(&'a mut self, sql: &'a str) -> impl Future<Output = std::result::Result<(), sqlx::Error>> + Send + 'a {
        exec_on::<MySql>(self.conn.get(), sql)
    }

    async fn lock(&mut self, key: &str, timeout: Duration) -> Result<()> {
        self.name = key.to_string();
        self.conn.dirty = true;
        let got: Option<i64> = sqlx::query_scalar(&format!("SELECT GET_LOCK({LOCK_NAME}, ?)"))
            .bind(key)
            .bind(timeout.as_secs_f64())
            .fetch_one(&mut *self.conn.get())
            .await
            .map_err(|source| Error::Execute {
                backend: Backend::MySql,
                table: String::new(),
                sql: "SELECT GET_LOCK(..) (taking the schema lock)".into(),
                source,
            })?;
        match got {
            Some(1) => Ok(()),
            _ => {
                self.conn.dirty = false;
                Err(Error::LockTimeout { backend: Backend::MySql, waited: timeout, lock: key.to_string() })
            }
        }
    }

    async fn unlock(&mut self) {
        // The connection goes back to the pool with the server's own lock waits.
        let _ = self.exec("SET SESSION lock_wait_timeout = DEFAULT, innodb_lock_wait_timeout = DEFAULT").await;
        match sqlx::query(&format!("DO RELEASE_LOCK({LOCK_NAME})"))
            .bind(&self.name)
            .execute(&mut *self.conn.get())
            .await
        {
            Ok(_) => self.conn.dirty = false,
            Err(e) => {
                tracing::warn!(error = %e, "schemasync: could not release GET_LOCK; the connection will be closed")
            }
        }
    }

    /// No transaction (DDL commits by itself); the session's DDL lock waits are bounded.
    async fn begin(&mut self, options: &SyncOptions) -> Result<()> {
        let secs = options.ddl_lock_timeout.as_secs().max(1);
        let sql = format!("SET SESSION lock_wait_timeout = {secs}, innodb_lock_wait_timeout = {secs}");
        self.exec(&sql).await.map_err(|source| Error::Execute {
            backend: Backend::MySql,
            table: String::new(),
            sql: sql.clone(),
            source,
        })
    }

    async fn commit(&mut self) -> Result<()> {
        Ok(())
    }

    async fn rollback(&mut self) {}

    async fn last_run(&mut self, table: &str) -> Result<Option<super::LastRun>> {
        let sql = super::last_run_sql(Backend::MySql, table);
        let rows = crate::catalog::fetch(self.conn.get(), &sql).await;
        super::last_run_from(Backend::MySql, table, &sql, rows)
    }

    fn transactional(&self) -> bool {
        false
    }
}
