//! SQLite: BEGIN IMMEDIATE is the lock and the transaction. Foreign key enforcement is
//! off for the plan (a table rebuild drops and recreates tables) and the touched
//! tables are checked before commit.

use super::{exec_on, millis, Held, Session};
use crate::catalog::{CatalogSource, Introspection};
use crate::dialect::Backend;
use crate::error::{Error, Result};
use crate::options::SyncOptions;
use sqlx::pool::PoolConnection;
use sqlx::Sqlite;
use std::future::Future;
use std::time::Duration;

pub(crate) struct SqliteSession {
    conn: Held<Sqlite>,
    open: bool,
    scope: Vec<String>,
}

impl SqliteSession {
    pub fn new(conn: PoolConnection<Sqlite>) -> Self {
        SqliteSession { conn: Held::new(conn), open: false, scope: Vec::new() }
    }

    fn err(sql: &str, source: sqlx::Error) -> Error {
        Error::Execute { backend: Backend::Sqlite, table: String::new(), sql: sql.into(), source }
    }
}

/// Catalog reads on the connection that holds the lock.
impl CatalogSource for SqliteSession {
    fn backend(&self) -> Backend {
        Backend::Sqlite
    }

    async fn introspect(
        &mut self,
        _schemas: &[String],
        limits: &crate::catalog::Limits,
        meanwhile: crate::catalog::Meanwhile<'_>,
    ) -> Result<Introspection> {
        crate::catalog::sqlite::introspect_on(self.conn.get(), limits, meanwhile).await
    }

    fn strings<'a>(
        &'a mut self,
        sql: &'a str,
    ) -> impl Future<Output = std::result::Result<Vec<String>, sqlx::Error>> + Send + 'a {
        crate::catalog::raw_strings(self.conn.get(), sql)
    }

    fn row_estimates(&mut self) -> impl Future<Output = Result<Vec<(Option<String>, String, i64)>>> + Send + '_ {
        crate::catalog::sqlite::row_estimates_on(self.conn.get())
    }
}

impl Session for SqliteSession {
    fn exec<'a>(&'a mut self, sql: &'a str) -> impl Future<Output = std::result::Result<(), sqlx::Error>> + Send + 'a {
        exec_on::<Sqlite>(self.conn.get(), sql)
    }

    async fn lock(&mut self, key: &str, timeout: Duration) -> Result<()> {
        // PRAGMA foreign_keys is a no-op inside a transaction, so it goes first.
        let setup = format!("PRAGMA foreign_keys = OFF; PRAGMA busy_timeout = {}", millis(timeout));
        self.conn.dirty = true;
        self.exec(&setup).await.map_err(|e| Self::err(&setup, e))?;
        match self.exec("BEGIN IMMEDIATE").await {
            Ok(()) => {
                self.open = true;
                Ok(())
            }
            Err(sqlx::Error::Database(e)) if e.message().contains("locked") || e.message().contains("busy") => {
                if self.exec("PRAGMA foreign_keys = ON").await.is_ok() {
                    self.conn.dirty = false;
                }
                Err(Error::LockTimeout { backend: Backend::Sqlite, waited: timeout, lock: key.to_string() })
            }
            Err(e) => Err(Self::err("BEGIN IMMEDIATE", e)),
        }
    }

    async fn unlock(&mut self) {
        if self.open {
            let _ = self.exec("ROLLBACK").await;
            self.open = false;
        }
        if self.exec("PRAGMA foreign_keys = ON").await.is_ok() {
            self.conn.dirty = false;
        }
    }

    async fn begin(&mut self, _options: &SyncOptions) -> Result<()> {
        if !self.open {
            self.exec("BEGIN IMMEDIATE").await.map_err(|e| Self::err("BEGIN IMMEDIATE", e))?;
            self.open = true;
        }
        Ok(())
    }

    fn set_scope(&mut self, tables: Vec<String>) {
        self.scope = tables;
    }

    async fn commit(&mut self) -> Result<()> {
        let broken: Vec<(String, Option<i64>, String)> =
            sqlx::query_as("SELECT \"table\", rowid, parent FROM pragma_foreign_key_check")
                .fetch_all(&mut *self.conn.get())
                .await
                .map_err(|e| Self::err("PRAGMA foreign_key_check", e))?;
        // Only rows the plan could have broken: in, or pointing at, a table it touched.
        let broken: Vec<_> =
            broken.into_iter().filter(|(t, _, p)| self.scope.iter().any(|s| s == t || s == p)).collect();
        if let Some((table, rowid, parent)) = broken.first() {
            return Err(Error::ForeignKeyCheck {
                table: table.clone(),
                parent: parent.clone(),
                rowid: *rowid,
                count: broken.len(),
            });
        }
        self.exec("COMMIT").await.map_err(|e| Self::err("COMMIT", e))?;
        self.open = false;
        Ok(())
    }

    async fn rollback(&mut self) {
        if self.open {
            let _ = self.exec("ROLLBACK").await;
            self.open = false;
        }
    }

    async fn last_run(&mut self, table: &str) -> Result<Option<super::LastRun>> {
        let sql = super::last_run_sql(Backend::Sqlite, table);
        let rows = crate::catalog::fetch(self.conn.get(), &sql).await;
        super::last_run_from(Backend::Sqlite, table, &sql, rows)
    }

    fn transactional(&self) -> bool {
        true
    }
}
