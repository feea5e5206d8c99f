//! How a sync runs: the [`Mode`] and the [`SyncOptions`] around it. Below the plan, the
//! apply and the public verbs, which all read them.

use serde::{Deserialize, Serialize};
use std::fmt;
use std::time::Duration;

/// What a sync is allowed to do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Mode {
    /// Create missing tables; change nothing else.
    CreateAll,
    /// Add missing columns; change nothing else.
    AddMissingColumns,
    /// Production: apply only safe steps, report the rest as pending.
    Additive,
    /// Development: when anything differs, drop the models' tables and create them again.
    Rebuild,
    /// Every step, destructive ones included; needs explicit permission.
    Full,
    /// Drop the models' tables.
    DropAll,
    /// Write nothing; fail when the database differs.
    Validate,
    /// Apply the pending versioned migrations (sqlx's migrator, feature `migrate`), then
    /// validate: fail when the database still differs from the models.
    Migrate,
}

impl Mode {
    /// The name used in `SCHEMASYNC_MODE` and in the history table.
    pub fn key(self) -> &'static str {
        match self {
            Mode::CreateAll => "create_all",
            Mode::AddMissingColumns => "add_missing_columns",
            Mode::Additive => "additive",
            Mode::Rebuild => "rebuild",
            Mode::Full => "full",
            Mode::DropAll => "drop_all",
            Mode::Validate => "validate",
            Mode::Migrate => "migrate",
        }
    }
}

impl Mode {
    /// Every mode a user may choose by name, as [`Mode::key`] spells it.
    pub const CHOOSABLE: [Mode; 7] = [
        Mode::Additive,
        Mode::Rebuild,
        Mode::Validate,
        Mode::Full,
        Mode::CreateAll,
        Mode::AddMissingColumns,
        Mode::Migrate,
    ];
}

/// A mode name that is not one of [`Mode::CHOOSABLE`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownMode(pub String);

impl fmt::Display for UnknownMode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let names: Vec<&str> = Mode::CHOOSABLE.iter().map(|m| m.key()).collect();
        write!(f, "unknown mode {:?}: use one of {}", self.0, names.join(", "))
    }
}

impl std::error::Error for UnknownMode {}

impl std::str::FromStr for Mode {
    type Err = UnknownMode;

    /// A mode by its key, in any case, with `-` or `_` (`create-all`, `ADDITIVE`).
    fn from_str(s: &str) -> Result<Mode, UnknownMode> {
        let key = s.trim().to_ascii_lowercase().replace('-', "_");
        Mode::CHOOSABLE.into_iter().find(|m| m.key() == key).ok_or_else(|| UnknownMode(s.to_string()))
    }
}

impl fmt::Display for Mode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.key())
    }
}

/// How long a catalog read may wait: for a lock on a table it reads (a DDL statement or
/// `LOCK TABLE` of another session holds one), and in all.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// PostgreSQL `lock_timeout`, MariaDB `lock_wait_timeout` for each catalog query.
    pub lock: Duration,
    /// PostgreSQL `statement_timeout`, MariaDB `max_statement_time`.
    pub statement: Duration,
}

impl Default for Limits {
    /// 5 s for a lock, 60 s in all.
    fn default() -> Self {
        Limits { lock: Duration::from_secs(5), statement: Duration::from_secs(60) }
    }
}

/// Permission for [`Mode::Full`] to apply destructive steps.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum Allow {
    /// No permission: full mode refuses to run.
    #[default]
    Nothing,
    /// The plan with this hash, as reviewed in a dry run; any other plan is refused.
    Plan(String),
    /// Whatever the plan is. For tests and throw-away databases.
    Everything,
}

/// Where [`Mode::Migrate`] finds the migrations.
#[derive(Debug, Clone, Default)]
pub enum MigrationSource {
    /// `$SCHEMASYNC_MIGRATIONS/<backend>`, else `migrations/<backend>` (`postgres`,
    /// `mysql`, `sqlite`), read when the sync runs.
    #[default]
    Default,
    /// A folder of sqlx migration files.
    Folder(std::path::PathBuf),
    /// Migrations embedded in the binary with `sqlx::migrate!()`.
    #[cfg(feature = "migrate")]
    Embedded(&'static sqlx::migrate::Migrator),
}

/// Called after each statement of an apply with `(done, total)`: for a progress bar.
#[derive(Clone)]
pub struct Progress(pub std::sync::Arc<dyn Fn(usize, usize) + Send + Sync>);

impl fmt::Debug for Progress {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Progress(..)")
    }
}

/// How a sync runs.
#[derive(Debug, Clone)]
pub struct SyncOptions {
    pub mode: Mode,
    /// Plan only; never write.
    pub dry_run: bool,
    /// Permission for full mode.
    pub allow: Allow,
    /// How long to wait for another instance's lock.
    pub lock_timeout: Duration,
    /// PostgreSQL `lock_timeout` for each DDL statement.
    pub ddl_lock_timeout: Duration,
    /// How many times a DDL attempt that ran out of `ddl_lock_timeout` is tried again,
    /// after a jittered pause: short waits, retried, block a busy table's other queries
    /// far less than one long wait.
    pub ddl_retries: u32,
    /// PostgreSQL `statement_timeout` for each DDL statement.
    pub statement_timeout: Duration,
    /// The history table's name.
    pub history_table: String,
    /// Recorded in the history table.
    pub app_version: Option<String>,
    /// From how many rows an index build counts as locking.
    pub big_table_rows: i64,
    /// Why this mode was chosen (shown in the report and logs).
    pub reason: String,
    /// How long catalog reads may wait for a lock on a table, and in all.
    pub catalog_limits: Limits,
    /// Return `Ok` even when declared tables or columns are absent after the sync
    /// (pending or refused steps); they are then logged as warnings. Off by default:
    /// a sync in additive, rebuild or full mode fails, naming each one, so that an app
    /// stops at boot instead of failing later on a query.
    pub allow_absent: bool,
    /// Where [`Mode::Migrate`] finds the migrations.
    pub migrations: MigrationSource,
    /// Told after each statement of an apply (the command line draws a progress bar).
    pub progress: Option<Progress>,
    /// Test hook: the catalog never shows this `(table, column)`, a false difference
    /// made on purpose. Not a public API.
    #[doc(hidden)]
    pub test_hide_column: Option<(String, String)>,
}

impl Default for SyncOptions {
    fn default() -> Self {
        SyncOptions::new(Mode::Additive)
    }
}

impl SyncOptions {
    /// Defaults for `mode`: 60 s for the schema lock; for DDL, lock waits of 2 s retried
    /// 5 times, and 5 min statements; for catalog reads, 5 s lock waits and 60 s queries.
    pub fn new(mode: Mode) -> Self {
        SyncOptions {
            mode,
            dry_run: false,
            allow: Allow::Nothing,
            lock_timeout: Duration::from_secs(60),
            ddl_lock_timeout: Duration::from_secs(2),
            ddl_retries: 5,
            statement_timeout: Duration::from_secs(300),
            history_table: "schemasync_history".into(),
            app_version: None,
            big_table_rows: 1_000_000,
            reason: format!("{} mode was asked for", mode.key()),
            catalog_limits: Limits::default(),
            allow_absent: false,
            migrations: MigrationSource::Default,
            progress: None,
            test_hide_column: None,
        }
    }

    /// Calls `f(done, total)` after each statement of an apply.
    pub fn on_progress(mut self, f: impl Fn(usize, usize) + Send + Sync + 'static) -> Self {
        self.progress = Some(Progress(std::sync::Arc::new(f)));
        self
    }

    /// [`Mode::Migrate`]: the migrations are in this folder.
    pub fn migrations_dir(mut self, dir: impl Into<std::path::PathBuf>) -> Self {
        self.migrations = MigrationSource::Folder(dir.into());
        self
    }

    /// [`Mode::Migrate`]: the migrations embedded with `sqlx::migrate!("migrations/postgres")`.
    #[cfg(feature = "migrate")]
    pub fn migrator(mut self, migrator: &'static sqlx::migrate::Migrator) -> Self {
        self.migrations = MigrationSource::Embedded(migrator);
        self
    }

    pub fn dry_run(mut self, yes: bool) -> Self {
        self.dry_run = yes;
        self
    }

    /// Full mode may apply the plan with this hash (from a reviewed dry run).
    pub fn allow_plan(mut self, hash: impl Into<String>) -> Self {
        self.allow = Allow::Plan(hash.into());
        self
    }

    /// Full mode may apply whatever it finds. For tests and throw-away databases.
    pub fn allow_everything(mut self) -> Self {
        self.allow = Allow::Everything;
        self
    }

    pub fn lock_timeout(mut self, d: Duration) -> Self {
        self.lock_timeout = d;
        self
    }

    /// How many times a DDL attempt whose lock wait ran out is tried again.
    pub fn ddl_retries(mut self, retries: u32) -> Self {
        self.ddl_retries = retries;
        self
    }

    pub fn ddl_timeouts(mut self, lock: Duration, statement: Duration) -> Self {
        self.ddl_lock_timeout = lock;
        self.statement_timeout = statement;
        self
    }

    /// Bounds for catalog reads: the wait for a lock on a table, and the whole query.
    pub fn catalog_timeouts(mut self, lock: Duration, statement: Duration) -> Self {
        self.catalog_limits = Limits { lock, statement };
        self
    }

    pub fn history_table(mut self, name: impl Into<String>) -> Self {
        self.history_table = name.into();
        self
    }

    pub fn app_version(mut self, version: impl Into<String>) -> Self {
        self.app_version = Some(version.into());
        self
    }

    /// See [`SyncOptions::allow_absent`](field@SyncOptions::allow_absent).
    pub fn allow_absent(mut self, yes: bool) -> Self {
        self.allow_absent = yes;
        self
    }

    pub fn big_table_rows(mut self, rows: i64) -> Self {
        self.big_table_rows = rows;
        self
    }
}
