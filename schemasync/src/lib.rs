//! # schemasync
//!
//! Your Rust models drive the database schema, on PostgreSQL, MySQL/MariaDB and SQLite.
//! `#[derive(Table)]` turns a struct into table metadata, registered so that no model
//! can be forgotten; the runtime reads the live catalog, compares it with the models,
//! and turns the difference into one typed [`Plan`]: what a dry run shows, what the JSON
//! holds, what is applied under a lock and recorded in a history table.
//!
//! ## 1. Models
//!
//! Derive [`Table`] next to `sqlx::FromRow`; the column names agree with sqlx's by
//! construction. Every attribute is documented on the [`Table`] derive.
//!
//! ```
//! use schemasync::{Backend, Models, Table};
//!
//! #[derive(Table)]
//! #[table(name = "users")]
//! struct User {
//!     #[column(primary_key, auto_increment)]
//!     id: i64,
//!     #[column(len = 255, unique)]
//!     email: String,
//!     nickname: Option<String>, // Option<T>: the column is nullable
//! }
//!
//! // The create-all script, with no database.
//! let sql = Models::new().with::<User>().create_all_sql(Backend::Postgres).unwrap();
//! assert!(sql[0].sql.starts_with(r#"CREATE TABLE IF NOT EXISTS "users""#));
//! ```
//!
//! ## 2. Sync on boot
//!
//! [`sync_on_boot`] picks the mode from the environment (`SCHEMASYNC_MODE`, else
//! `ENVIRONMENT` / `APP_ENV`): additive in production and when nothing is set, rebuild
//! in development. It returns a [`SyncReport`] saying what was planned and done, and
//! [`SyncReport::print`] shows it in colour on a terminal.
//!
//! ```
//! # use schemasync::Table;
//! # #[derive(Table)]
//! # #[table(name = "users")]
//! # struct User { #[column(primary_key, auto_increment)] id: i64, #[column(len = 255)] email: String }
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> Result<(), Box<dyn std::error::Error>> {
//! let db = schemasync::Db::connect("sqlite::memory:").await?;
//! let report = schemasync::sync_on_boot(&db).await?;
//! assert_eq!(report.created(), ["users"]);
//! // The second boot finds nothing to do.
//! assert!(schemasync::sync_on_boot(&db).await?.plan.steps.is_empty());
//! # Ok(()) }
//! ```
//!
//! ## 3. Modes
//!
//! Choose one in code with [`SyncOptions`]: [`Mode::Additive`] applies only safe
//! steps and reports the rest as pending, [`Mode::Rebuild`] drops and recreates the
//! models' tables when they differ (development), [`Mode::Full`] applies every step
//! once the plan's hash is allowed, [`Mode::Validate`] writes nothing, and
//! [`Mode::Migrate`] applies reviewed migration files (feature `migrate`, see
//! `migrate::Migrations`) and then validates. A dry run plans and writes nothing:
//!
//! ```no_run
//! use schemasync::{Mode, SyncOptions};
//! # async fn run(pool: sqlx::PgPool) -> schemasync::Result<()> {
//! let options = SyncOptions::new(Mode::Full).dry_run(true);
//! let report = schemasync::sync(&pool, &options).await?;
//! println!("{report}"); // the plan, each step with its hazard; then allow_plan(hash)
//! # Ok(()) }
//! ```
//!
//! ## 4. Validate in tests
//!
//! [`assert_schema_matches`] panics with the readable drift report when the database
//! differs from the models; [`validate`] returns it as [`Error::Drift`].
//!
//! ```no_run
//! #[tokio::test]
//! async fn database_matches_models() {
//!     let pool = sqlx::PgPool::connect(&std::env::var("DATABASE_URL").unwrap()).await.unwrap();
//!     schemasync::assert_schema_matches(&pool).await;
//! }
//! ```
//!
//! ## 5. The command line
//!
//! With the default `cli` feature, [`cli::main`] gives your own binary a `schema`
//! subcommand, where your models are linked: `plan`, `apply`, `validate`, `drift`,
//! `export` and `history`, with exit codes 0 (in sync or done), 1 (error) and 2
//! (differences).
//!
//! ```no_run
//! # #[tokio::main] async fn main() -> schemasync::Result<()> {
//! let db = schemasync::Db::connect(&std::env::var("DATABASE_URL").unwrap()).await?;
//! let mut args = std::env::args().skip(1);
//! if args.next().as_deref() == Some("schema") {
//!     std::process::exit(schemasync::cli::main(&db, args).await);
//! }
//! # Ok(()) }
//! ```
//!
//! ## Features
//!
//! `sqlite` (default), `postgres`, `mysql`: the backends. `derive` (default): the derives.
//! `cli` (default): the command line. `migrate`: versioned migration files run by sqlx's
//! migrator. `chrono`, `time`, `uuid`, `rust_decimal`, `json`,
//! `ipnetwork`, `ipnet`: field types, as in sqlx. `tls-rustls`: TLS connections.
//!
//! The pipeline: models -> [`schema::Schema`] (the IR) -> [`diff`] -> [`plan`] ->
//! [`render`] (SQL for a [`dialect::Dialect`]) -> an apply on a [`Db`].

// Without a backend only the error below is worth reading.
#![cfg_attr(not(any(feature = "postgres", feature = "mysql", feature = "sqlite")), allow(unused, dead_code))]
#![forbid(unsafe_code)]

mod apply;
mod backend;
pub mod catalog;
#[cfg(feature = "cli")]
pub mod cli;
mod db;
pub mod dialect;
pub mod diff;
mod drift;
mod history;

#[cfg(not(any(feature = "postgres", feature = "mysql", feature = "sqlite")))]
compile_error!(
    "schemasync needs at least one backend: enable its `postgres`, `mysql` or `sqlite` feature, like schemasync = { version = \"0.1\", features = [\"postgres\"] }"
);

pub mod error;
pub mod generate;
#[cfg(feature = "migrate")]
pub mod migrate;
#[cfg(feature = "migrate")]
pub mod migrator;
pub mod model;
mod options;
pub mod plan;
mod policy;
pub mod render;
pub mod report;
pub mod schema;
mod style;
mod sync;

pub use catalog::Introspection;
pub use db::Db;
pub use dialect::Backend;
pub use diff::{Change, Diff};
pub use history::{history, HistoryEntry};
pub use report::DriftReport;

pub use error::{Error, Result};
pub use model::{SqlType, Table};
pub use options::{MigrationSource, Progress};
pub use plan::{Mode, Plan};
pub use sync::{
    add_missing_columns, assert_schema_matches, create_all, drift, drop_all, sync, sync_on_boot, sync_on_boot_with,
    validate, Allow, Compared, Models, Outcome, SyncOptions, SyncReport,
};

#[cfg(feature = "derive")]
#[doc = include_str!("../doc/table.md")]
pub use schemasync_derive::Table;
#[cfg(feature = "derive")]
pub use schemasync_derive::{SqlEnum, SqlType};

/// What code generated by `#[derive(Table)]` may use. Not a public API.
#[doc(hidden)]
pub mod __private {
    pub use crate::model::registry::Registration;
    pub use crate::model::{
        integer, sized, CheckDef, ColumnDef, CustomTypeDef, DefaultDef, EnumDef, ForeignKeyDef, IndexDef, KeyDef,
        SqlType, Table, TableDef, TypeDef,
    };
    pub use crate::schema::{FkAction, Identity};
    pub use inventory;
}
