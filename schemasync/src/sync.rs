//! The public entry points: which models, and the verbs that act on a database.

use crate::catalog;
use crate::db::Db;
use crate::dialect::{dialect, Backend};
use crate::error::Result;
use crate::model::{registry, Table, TableDef};
use crate::render::{self, Statement};
use crate::schema::{self, Schema};
use serde::Serialize;

/// A set of models: every registered one, or a chosen few.
#[derive(Debug, Clone, Default)]
pub struct Models {
    defs: Vec<&'static TableDef>,
}

impl Models {
    /// Every `#[derive(Table)]` struct linked into this binary.
    pub fn registered() -> Models {
        Models { defs: registry::registered() }
    }

    /// No models; add some with [`Models::with`].
    pub fn new() -> Models {
        Models::default()
    }

    /// Adds the model `T`.
    pub fn with<T: Table>(mut self) -> Models {
        self.defs.push(T::table_def());
        self
    }

    /// Adds table definitions directly.
    pub fn with_defs(mut self, defs: impl IntoIterator<Item = &'static TableDef>) -> Models {
        self.defs.extend(defs);
        self
    }

    /// The table definitions in this set.
    pub fn defs(&self) -> &[&'static TableDef] {
        &self.defs
    }

    /// The desired schema for `backend`, in dependency order. Fails on duplicate
    /// tables and on references to tables or columns no model declares.
    pub fn schema(&self, backend: Backend) -> Result<Schema> {
        schema::build(&self.defs, backend)
    }

    /// The create-all script for `backend`, without touching a database.
    pub fn create_all_sql(&self, backend: Backend) -> Result<Vec<Statement>> {
        render::create_all(&self.schema(backend)?, backend)
    }

    /// The drop-all script for `backend`, without touching a database.
    pub fn drop_all_sql(&self, backend: Backend) -> Result<Vec<Statement>> {
        Ok(render::drop_all(&self.schema(backend)?, backend))
    }

    /// Reads the database's catalog for the schemas these models use.
    pub async fn introspect(&self, db: impl Into<Db>) -> Result<crate::catalog::Introspection> {
        let db = db.into();
        let mut schemas: Vec<String> = self.defs.iter().filter_map(|d| d.schema.map(str::to_string)).collect();
        schemas.sort();
        schemas.dedup();
        catalog::introspect(&db, &schemas).await
    }

    /// Compares the models with the database: one catalog read, then the pure diff.
    pub async fn diff(&self, db: impl Into<Db>) -> Result<Compared> {
        let db = db.into();
        let backend = db.backend();
        let desired = self.schema(backend)?;
        let found = self.introspect(&db).await?;
        let desired = crate::dialect::canonicalize(&desired, backend, found.default_schema.as_deref());
        let options = crate::diff::DiffOptions::for_backend(backend);

        let diff = crate::diff::diff(&desired, &found.schema, &options);
        Ok(Compared { backend, desired, actual: found.schema, diff, queries: found.queries })
    }

    /// The drift report: per table and per column, the models next to the database.
    pub async fn drift(&self, db: impl Into<Db>) -> Result<crate::report::DriftReport> {
        let compared = self.diff(db).await?;
        Ok(compared.report())
    }

    /// Creates the tables that do not exist yet, with their constraints and indexes.

    /// Tables that exist are left as they are (like SQLAlchemy's `create_all`).
    pub async fn create_all(&self, db: impl Into<Db>) -> Result<Applied> {
        let db = db.into();
        let backend = db.backend();
        let desired = self.schema(backend)?;
        let existing = catalog::existing_tables(&db, &desired.tables).await?;
        let (present, missing): (Vec<_>, Vec<_>) = desired.tables.into_iter().partition(|t| existing.contains(t));
        let statements = render::create_all(&Schema { tables: missing.clone() }, backend)?;
        db.run(&statements, dialect(backend).capabilities().transactional_ddl).await?;
        let applied = Applied {
            backend,
            created: missing.iter().map(|t| t.display_name()).collect(),
            dropped: Vec::new(),
            unchanged: present.iter().map(|t| t.display_name()).collect(),
            statements,
        };
        tracing::info!(
            created = applied.created.len(),
            unchanged = applied.unchanged.len(),
            "schemasync: create_all done"
        );
        Ok(applied)
    }

    /// Drops the models' tables, children first. Tables no model declares are never
    /// touched (like SQLAlchemy's `drop_all`).
    pub async fn drop_all(&self, db: impl Into<Db>) -> Result<Applied> {
        let db = db.into();
        let backend = db.backend();
        let desired = self.schema(backend)?;
        let existing = catalog::existing_tables(&db, &desired.tables).await?;
        let statements = render::drop_all(&desired, backend);
        db.run(&statements, dialect(backend).capabilities().transactional_ddl).await?;
        let (dropped, absent): (Vec<_>, Vec<_>) = desired.tables.iter().partition(|t| existing.contains(t));
        let applied = Applied {
            backend,
            created: Vec::new(),
            dropped: dropped.iter().map(|t| t.display_name()).collect(),
            unchanged: absent.iter().map(|t| t.display_name()).collect(),
            statements,
        };
        tracing::info!(dropped = applied.dropped.len(), "schemasync: drop_all done");
        Ok(applied)
    }
}

/// What a verb did.
#[derive(Debug, Clone, Serialize)]
pub struct Applied {
    pub backend: Backend,
    /// Tables created.
    pub created: Vec<String>,
    /// Tables dropped.
    pub dropped: Vec<String>,
    /// Tables left alone (already there for create-all, absent for drop-all).
    pub unchanged: Vec<String>,
    /// Every statement sent, in order.
    pub statements: Vec<Statement>,
}

/// [`Models::create_all`] for every registered model.
pub async fn create_all(db: impl Into<Db>) -> Result<Applied> {
    Models::registered().create_all(db).await
}

/// [`Models::drop_all`] for every registered model.
pub async fn drop_all(db: impl Into<Db>) -> Result<Applied> {
    Models::registered().drop_all(db).await
}

/// The models and the database side by side, and what differs.
#[derive(Debug, Clone, Serialize)]
pub struct Compared {
    pub backend: Backend,
    /// The models' schema, canonical for this backend.
    pub desired: Schema,
    /// What the catalog holds.
    pub actual: Schema,
    pub diff: crate::diff::Diff,
    /// Catalog queries sent.
    pub queries: usize,
}

impl Compared {
    /// The drift report of this comparison.
    pub fn report(&self) -> crate::report::DriftReport {
        crate::report::DriftReport::new(self.backend, &self.desired, &self.diff)
    }
}

/// [`Models::drift`] for every registered model.
pub async fn drift(db: impl Into<Db>) -> Result<crate::report::DriftReport> {
    Models::registered().drift(db).await
}
