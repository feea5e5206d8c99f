//! MySQL/MariaDB: GET_LOCK; no transaction (DDL commits implicitly), so the history
//! row follows the plan statement by statement.

use super::Session;
use crate::dialect::Backend;
use crate::error::{Error, Result};
use crate::sync::SyncOptions;
use sqlx::pool::PoolConnection;
use sqlx::MySql;
use std::future::Future;
use std::time::Duration;

pub(crate) struct MySqlSession {
    conn: PoolConnection<MySql>,
    name: String,
}

impl MySqlSession {
    pub fn new(conn: PoolConnection<MySql>) -> Self {
        MySqlSession { conn, name: String::new() }
    }
}

impl Session for MySqlSession {
    fn backend(&self) -> Backend {
        Backend::MySql
    }

    fn exec<'a>(&'a mut self, sql: &'a str) -> impl Future<Output = std::result::Result<(), sqlx::Error>> + Send + 'a {
        // Executor::execute returns a boxed Send future, which keeps sqlx's
        // higher-ranked Executor bounds out of this future's type.
        let conn: &'a mut sqlx::MySqlConnection = &mut self.conn;
        let run = sqlx::Executor::execute(conn, sqlx::raw_sql(sql));
        async move { run.await.map(|_| ()) }
    }

    async fn lock(&mut self, key: &str, timeout: Duration) -> Result<()> {
        // GET_LOCK is server-wide: the name includes the database. MariaDB caps it at 64 chars.
        let got: Option<i64> =
            sqlx::query_scalar("SELECT GET_LOCK(LEFT(CONCAT(?, ':', COALESCE(DATABASE(), '')), 64), ?)")
                .bind(key)
                .bind(timeout.as_secs_f64())
                .fetch_one(&mut *self.conn)
                .await
                .map_err(|source| Error::Execute {
                    backend: Backend::MySql,
                    table: String::new(),
                    sql: "GET_LOCK".into(),
                    source,
                })?;
        self.name = key.to_string();
        match got {
            Some(1) => Ok(()),
            _ => Err(Error::LockTimeout { backend: Backend::MySql, waited: timeout, lock: key.to_string() }),
        }
    }

    async fn unlock(&mut self) {
        let released = sqlx::query("DO RELEASE_LOCK(LEFT(CONCAT(?, ':', COALESCE(DATABASE(), '')), 64))")
            .bind(&self.name)
            .execute(&mut *self.conn)
            .await;
        if let Err(e) = released {
            tracing::warn!(error = %e, "schemasync: could not release GET_LOCK; closing the connection releases it");
        }
    }

    async fn begin(&mut self, _options: &SyncOptions) -> Result<()> {
        Ok(())
    }

    async fn commit(&mut self) -> Result<()> {
        Ok(())
    }

    async fn rollback(&mut self) {}

    fn transactional(&self) -> bool {
        false
    }
}
