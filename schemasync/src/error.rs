//! The one error type. Every variant names what it is about (table, column, constraint,
//! statement) and says what to do. URLs are always shown with the password redacted.

use crate::backend::Backend;

/// Result with [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Everything that can go wrong in schemasync.
///
/// `Debug` prints the same readable message as `Display` (a drift report is not a wall
/// of the IR), so that `fn main() -> Result<(), Box<dyn std::error::Error>>` shows it
/// as it is meant to be read.
#[derive(thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// Two models declare the same table.
    #[error(
        "two models declare table `{table}`: {first} and {second}; give one of them another #[table(name = \"...\")]"
    )]
    DuplicateTable { table: String, first: String, second: String },

    /// A foreign key points at a table or column no model declares.
    #[error("model {model}, field `{field}`: references `{target}`, but {reason}")]
    MissingReference { model: String, field: String, target: String, reason: String },

    /// A model that cannot be turned into a table as written.
    #[error("model {model} (table `{table}`): {message}")]
    InvalidModel { model: String, table: String, message: String },

    /// Something the models ask for that this backend cannot do.
    #[error("{backend} cannot hold table `{table}`{}: {what}. {hint}", column.as_ref().map(|c| format!(", column `{c}`")).unwrap_or_default())]
    Unsupported { backend: Backend, table: String, column: Option<String>, what: String, hint: String },

    /// A database URL whose scheme is not a supported backend.
    #[error("cannot tell the database from URL `{url}`: it should start with postgres://, mysql:// (or mariadb://) or sqlite:")]
    UnknownScheme { url: String },

    /// The URL names a backend whose cargo feature is off.
    #[error("URL `{url}` is for {backend}, but schemasync was built without it; enable the `{}` feature of schemasync", backend.key())]
    BackendDisabled { backend: Backend, url: String },

    /// Could not connect: where to, and the real cause (refused, timed out, an unknown
    /// host, a rejected password...).
    #[error("could not connect to {target} ({url}): {cause}")]
    Connect { url: String, target: String, cause: String },

    /// A statement failed.
    #[error("{backend} rejected a statement{}: {source}{}\n  SQL: {sql}", if table.is_empty() { String::new() } else { format!(" for table `{table}`") }, privilege_hint(*backend, source))]
    Execute {
        backend: Backend,
        table: String,
        sql: String,
        #[source]
        source: sqlx::Error,
    },

    /// MySQL: a statement failed after others had been committed.
    #[error("{source}\n{completed} of {total} statements were applied before it, and {backend} cannot roll DDL back: the database is partly changed. The next sync re-reads the catalog and plans only what is still missing; see {history_table} where run_id = '{run_id}'")]
    PartiallyApplied {
        backend: Backend,
        completed: usize,
        total: usize,
        run_id: String,
        history_table: String,
        #[source]
        source: Box<Error>,
    },

    /// PostgreSQL: a plan of new objects too big for one transaction was applied in
    /// batches, and one failed: it was rolled back, the batches before it are committed.
    #[error("{source}\nThe plan takes more locks than one transaction may hold, so it was applied in {batches} batches: batch {batch} was rolled back, and the {completed} of {total} statements of the batches before it are committed. The next sync re-reads the catalog and plans only what is still missing; see {history_table} where run_id = '{run_id}'")]
    BatchFailed {
        backend: Backend,
        batch: usize,
        batches: usize,
        completed: usize,
        total: usize,
        run_id: String,
        history_table: String,
        #[source]
        source: Box<Error>,
    },

    /// PostgreSQL: a plan that changes existing objects takes more locks than one
    /// transaction may hold. Nothing was applied.
    #[error("{backend}: this plan takes about {locks} locks ({statements} statements) in one transaction, more than half the server's lock table ({budget} = max_locks_per_transaction × (max_connections + max_prepared_transactions)); nothing was applied. Raise max_locks_per_transaction (postgresql.conf, then restart the server), or apply the model change in smaller deploys. Only plans that create new objects are split into batches")]
    TooManyLocks { backend: Backend, statements: usize, locks: u64, budget: u64 },

    /// PostgreSQL: the plan was committed, with a foreign key or check added `NOT VALID`,
    /// but checking the table's existing rows against it then failed.
    #[error("{source}\nThe plan was applied and committed, but the existing rows of `{table}` were not checked against the constraint `{sql}` validates: it holds for new and changed rows only (NOT VALID). Fix the rows that break it, then run that statement; see {history_table} where run_id = '{run_id}'")]
    NotValidated {
        backend: Backend,
        table: String,
        sql: String,
        run_id: String,
        history_table: String,
        #[source]
        source: Box<Error>,
    },

    /// Another instance held the schema lock for longer than the timeout.
    #[error("waited {waited:?} for the {backend} schema lock `{lock}` and gave up: another instance is applying a plan or a long transaction holds it; raise SyncOptions::lock_timeout or look for the blocking session")]
    LockTimeout { backend: Backend, waited: std::time::Duration, lock: String },

    /// After a SQLite table rebuild, rows point at missing parents.
    #[error("the plan was rolled back: after rebuilding, {count} row(s) break foreign keys (first: table `{table}` row {} has no parent in `{parent}`); fix or delete those rows and sync again", rowid.map(|r| r.to_string()).unwrap_or_else(|| "?".into()))]
    ForeignKeyCheck { table: String, parent: String, rowid: Option<i64>, count: usize },

    /// Validate mode, or `assert_schema_matches`: the database differs from the models.
    #[error("the database does not match the models:\n{report}")]
    Drift { report: Box<crate::drift::DriftReport> },

    /// No model: nothing to compare, which is never "in sync".
    #[error("no #[derive(Table)] model is linked into this binary, so there is nothing to compare the database with. If the models live in another crate (a test file, a tool), link that crate with `use my_models as _;`, or name the models with `Models::new().with::<User>()`")]
    NoModels,

    /// Declared tables or columns are absent after the sync; the app would fail on them.
    #[error("the models declare {} that the database does not have after this sync; the app would fail when it uses them:\n{}\nTo start anyway (code deployed ahead of its schema), set SCHEMASYNC_ALLOW_ABSENT=1 or SyncOptions::allow_absent(true)", count_absent(items), crate::drift::absences_text(items))]
    Absent { items: Vec<crate::drift::Absence> },

    /// An apply did not reach the models: a schemasync bug, never to be repeated blindly.
    #[error("schemasync applied plan {hash} on {backend}, but reading the database back still finds differences it should have fixed, so it stopped{}. This is a schemasync bug: please report it with this report:\n{report}\nThe same plan will not be applied again; once schemasync is fixed (or to try once more), delete the history row with run_id '{run_id}' from {history_table}", if *rolled_back { " and rolled the plan back" } else { "" })]
    Unconverged {
        backend: Backend,
        hash: String,
        run_id: String,
        history_table: String,
        /// True when the plan was rolled back (transactional backends).
        rolled_back: bool,
        report: Box<crate::drift::DriftReport>,
    },

    /// A step cannot be applied as the models say; nothing was applied.
    #[error("refused to sync: {reason}. {fix}")]
    Refused { table: String, reason: String, fix: String },

    /// Full mode was asked for without permission to apply its destructive steps.
    #[error("full mode applies destructive steps and needs explicit permission: review the plan (dry run), then allow its hash {hash} ({how})\n{plan}")]
    NeedsPermission {
        hash: String,
        plan: String,
        /// How to allow it where the sync was started.
        how: String,
    },

    /// Versioned migrations that cannot be generated, read, applied or reverted.
    #[error("{}{what}; {hint}", if dir.is_empty() { String::new() } else { format!("migrations in {dir}: ") })]
    Migration {
        /// The migrations folder.
        dir: String,
        /// What went wrong, naming the file or version.
        what: String,
        /// What to do.
        hint: String,
    },

    /// Migrate mode: after the migrations, the database still differs from the models.
    #[error("the migrations do not produce the models' schema{}: a model change has no migration yet; run `schema migrate new <name>`, review the files, and deploy them\n{report}", if applied.is_empty() { String::new() } else { format!(" (applied now: {applied:?})") })]
    MigrationsBehind { applied: Vec<i64>, report: Box<crate::drift::DriftReport> },

    /// Command-line arguments that are not understood (clap's message, with usage).
    #[error("{message}")]
    Usage { message: String },

    /// The plan found under the lock is not the one that was reviewed.
    #[error("the plan changed since it was reviewed (reviewed {reviewed}, now {current}); nothing was applied; review the new plan:\n{plan}")]
    PlanChanged { reviewed: String, current: String, plan: String },

    /// A setting from the environment that schemasync cannot use.
    #[error("{variable}={value:?} is not understood: {hint}")]
    InvalidSetting { variable: String, value: String, hint: String },

    /// A stored definition in the catalog that schemasync could not read.
    #[error("cannot read the {backend} definition of {object}, so it cannot be compared safely; nothing was changed. Please report this with the definition:\n  {sql}")]
    CatalogText { backend: Backend, object: String, sql: String },

    /// A wait ran out: for a lock on a table, for a statement, for the server.
    #[error("{backend}: gave up after waiting {waited:?} for {what}; {hint}")]
    Timeout { backend: Backend, what: String, waited: std::time::Duration, hint: String },

    /// A catalog query failed.

    #[error("reading the {backend} catalog ({what}) failed: {source}; check that the user may read the catalog")]
    Catalog {
        backend: Backend,
        what: &'static str,
        #[source]
        source: sqlx::Error,
    },
}

/// What a wait that ran out was waiting for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Wait {
    /// A lock (PostgreSQL `lock_timeout`, MariaDB `lock_wait_timeout`, SQLite busy).
    Lock,
    /// The statement as a whole (`statement_timeout`, `max_statement_time`).
    Statement,
}

/// Whether `e` is a wait that ran out, and of which kind.
/// For a statement refused for want of a privilege: what to do about it.
fn privilege_hint(backend: Backend, e: &sqlx::Error) -> &'static str {
    let sqlx::Error::Database(db) = e else { return "" };
    let code = db.code();
    let code = code.as_deref().unwrap_or_default();
    let denied = match backend {
        // insufficient_privilege
        Backend::Postgres => code == "42501",
        // ER_DBACCESS_DENIED, ER_TABLEACCESS_DENIED, ER_COLUMNACCESS_DENIED, ER_SPECIFIC_ACCESS_DENIED
        Backend::MySql => matches!(code, "42000" | "28000") && db.message().contains("denied"),
        // SQLITE_READONLY, SQLITE_PERM, SQLITE_AUTH (and their extended codes)
        Backend::Sqlite => matches!(code.parse::<i64>().ok().map(|c| c & 0xff), Some(8) | Some(3) | Some(23)),
    };
    if denied {
        "\n  The database user may not do this: grant it what the README's \"Failure modes\" lists for this backend, or sync as the schema's owner"
    } else {
        ""
    }
}

pub(crate) fn timeout_of(backend: Backend, e: &sqlx::Error) -> Option<Wait> {
    let sqlx::Error::Database(db) = e else { return None };
    let code = db.code();
    let code = code.as_deref().unwrap_or_default();
    match backend {
        // lock_not_available; query_canceled (statement_timeout)
        Backend::Postgres => match code {
            "55P03" => Some(Wait::Lock),
            "57014" => Some(Wait::Statement),
            _ => None,
        },
        Backend::MySql => {
            #[cfg(feature = "mysql")]
            let number = db.try_downcast_ref::<sqlx::mysql::MySqlDatabaseError>().map(|e| e.number());
            #[cfg(not(feature = "mysql"))]
            let number: Option<u16> = None;
            match number {
                // ER_LOCK_WAIT_TIMEOUT (metadata and row locks)
                Some(1205) => Some(Wait::Lock),
                // MariaDB ER_STATEMENT_TIMEOUT; MySQL ER_QUERY_TIMEOUT
                Some(1969) | Some(3024) => Some(Wait::Statement),
                _ => None,
            }
        }
        // SQLITE_BUSY, SQLITE_LOCKED (and their extended codes)
        Backend::Sqlite => {
            let primary = code.parse::<i64>().ok().map(|c| c & 0xff);
            matches!(primary, Some(5) | Some(6)).then_some(Wait::Lock)
        }
    }
}

fn count_absent(items: &[crate::drift::Absence]) -> String {
    let tables = items.iter().filter(|a| a.column.is_none()).count();
    let columns = items.len() - tables;
    match (tables, columns) {
        (0, c) => format!("{c} column(s)"),
        (t, 0) => format!("{t} table(s)"),
        (t, c) => format!("{t} table(s) and {c} column(s)"),
    }
}

/// `scheme://user:secret@host/db` -> `scheme://user:***@host/db`: a URL safe to print.
///
/// The password ends at the *last* `@` of the URL, whatever it holds (`/`, `?`, `#`,
/// `@` and `:` included), so that no part of it is ever shown; a `@` in the query
/// string makes this redact more than needed, never less. `password=`-like query
/// parameters are redacted too, and so is a URL whose scheme was forgotten.
pub fn redact_url(url: &str) -> String {
    // Only a database scheme is surely one: `app://pw@host` may be `app:` and the
    // password `//pw` written without a scheme, so everything before its `@` is hidden.
    const SCHEMES: &[&str] = &["postgres", "postgresql", "mysql", "mariadb", "sqlite"];
    let (scheme, rest) = match url.find("://") {
        Some(i) if SCHEMES.iter().any(|s| url[..i].eq_ignore_ascii_case(s)) => (&url[..i + 3], &url[i + 3..]),
        Some(i) => match url.rfind('@').filter(|&at| at > i) {
            Some(at) => {
                // The host, path and query, redacted as those of a known scheme.
                let tail = redact_url(&format!("sqlite://{}", &url[at + 1..]));
                let tail = tail.strip_prefix("sqlite://").unwrap_or(&tail);
                return format!("{}***@{tail}", &url[..i + 3]);
            }
            None => (&url[..i + 3], &url[i + 3..]),
        },
        None => ("", url),
    };
    // A user name holds no '/', '?' or '#': an '@' after one of those is in the path or
    // the query, not the end of a password.
    let user_end = rest.find([':', '@']).unwrap_or(rest.len());
    let authority = !rest[..user_end].contains(['/', '?', '#']);
    let (main, query) = match rest.rfind('@').filter(|_| authority) {
        Some(at) => {
            // `user:secret@host...`: the user name ends at the first ':'.
            let user_end = rest[..at].find(':').unwrap_or(at);
            let hidden = if user_end < at { ":***" } else { "" };
            let after = &rest[at..];
            let (host, query) = match after.find('?') {
                Some(q) => (&after[..q], Some(&after[q + 1..])),
                None => (after, None),
            };
            (format!("{}{hidden}{host}", &rest[..user_end]), query)
        }
        None => match rest.find('?') {
            Some(q) => (rest[..q].to_string(), Some(&rest[q + 1..])),
            None => (rest.to_string(), None),
        },
    };
    let mut out = format!("{scheme}{main}");
    if let Some(query) = query {
        let redacted: Vec<String> = query
            .split('&')
            .map(|kv| match kv.split_once('=') {
                Some((k, _)) if k.to_ascii_lowercase().contains("pass") || k.eq_ignore_ascii_case("pwd") => {
                    format!("{k}=***")
                }
                _ => kv.to_string(),
            })
            .collect();
        out.push('?');
        out.push_str(&redacted.join("&"));
    }
    out
}

impl std::fmt::Debug for Error {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        std::fmt::Display::fmt(self, f)
    }
}

#[cfg(test)]
mod tests {
    use super::redact_url;

    /// `main() -> Result<(), Box<dyn Error>>` prints `Debug`: the message, not the IR.
    #[test]
    fn debug_is_the_message() {
        let e = super::Error::NeedsPermission {
            hash: "abc".into(),
            plan: "drop table t".into(),
            how: "--allow abc".into(),
        };
        assert_eq!(format!("{e:?}"), e.to_string());
        assert!(!format!("{e:?}").contains("NeedsPermission {"), "{e:?}");
    }

    #[test]
    fn passwords_never_show() {
        assert_eq!(redact_url("postgres://app:s3cr3t@db:5432/prod"), "postgres://app:***@db:5432/prod");
        assert_eq!(redact_url("mysql://root@localhost/test"), "mysql://root@localhost/test");
        assert_eq!(redact_url("postgres://h/db?user=a&password=x"), "postgres://h/db?user=a&password=***");
        assert_eq!(redact_url("sqlite://app.db?mode=rwc"), "sqlite://app.db?mode=rwc");
        assert_eq!(redact_url("postgres://a:p@ss@h/db"), "postgres://a:***@h/db");
        assert_eq!(redact_url("postgres://app:pa/ss@db/x"), "postgres://app:***@db/x");
        assert_eq!(redact_url("app:s3cret@db/prod"), "app:***@db/prod");
        assert_eq!(redact_url("postgres://h/db?sslpassword=k&user=u"), "postgres://h/db?sslpassword=***&user=u");
        assert_eq!(redact_url("postgres://user:Qm?rk#pw@host/db"), "postgres://user:***@host/db");
        assert_eq!(redact_url("mysql://user:Qm?rk#pw@host/db?ssl=1"), "mysql://user:***@host/db?ssl=1");
        assert_eq!(redact_url("postgres://user:a:b@host/db"), "postgres://user:***@host/db");
        assert_eq!(redact_url("app://pw@host/db"), "app://***@host/db");
        assert_eq!(redact_url("oracle://scott:tiger@h/db?password=x"), "oracle://***@h/db?password=***");
    }

    proptest::proptest! {
        /// No URL shape shows any part of its password, whatever characters it holds.
        #[test]
        fn random_passwords_never_show(pw in "[ -~é€]{8,24}", form in 0usize..5) {
            proptest::prop_assume!(!pw.contains("***") && !pw.contains('&'));
            let url = match form {
                0 => format!("postgres://app:{pw}@db.example.com:5432/prod"),
                1 => format!("mysql://app:{pw}@db.example.com/prod?ssl-mode=REQUIRED"),
                2 => format!("app:{pw}@db.example.com/prod"),
                3 => format!("postgres://db.example.com/prod?user=app&password={pw}"),
                _ => format!("postgresql://app:{pw}@[::1]:5432/prod?application_name=x"),
            };
            let shown = redact_url(&url);
            proptest::prop_assert!(!shown.contains(&pw), "{shown}");
        }
    }
}
