//! Reading what a database has. One file per backend; each reads the whole catalog in a
//! fixed number of queries, never one per table.

mod facts;
#[cfg(feature = "mysql")]
pub(crate) mod mysql;
#[cfg(feature = "mysql")]
mod mysql_ddl;
#[cfg(feature = "postgres")]
pub(crate) mod postgres;
#[cfg(feature = "sqlite")]
pub(crate) mod sqlite;
#[cfg(feature = "sqlite")]
mod sqlite_ddl;

pub(crate) use facts::{facts, validation};
pub use facts::{Facts, Violation};

use crate::db::Db;
use crate::dialect::{dialect, Backend};
use crate::error::Result;
use crate::schema::normalize::default_for;
use crate::schema::{
    Check, Column, ColumnType, DefaultValue, FkAction, ForeignKey, Index, IndexPart, PrimaryKey, Schema, Table, Unique,
};
use serde::Serialize;
use std::collections::HashMap;
use std::future::Future;
use std::time::Duration;

/// What a catalog read found.
#[derive(Debug, Clone, Serialize)]
pub struct Introspection {
    /// Every base table in scope. Tables in the default schema have `schema: None`.
    pub schema: Schema,
    /// PostgreSQL's `current_schema()`; `None` on backends without schemas.
    pub default_schema: Option<String>,
    /// PostgreSQL's `current_schemas(false)`: where unqualified type names are found.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub search_path: Vec<String>,
    /// Of the named schemas asked for, those that exist (PostgreSQL), tables or not.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub schemas: Vec<String>,
    /// How many catalog queries the read sent: a constant per backend (on SQLite, one
    /// more when some tables differ from what schemasync wrote for them).
    pub queries: usize,
    /// How long the client took to turn the catalog's rows into the IR (reading the
    /// catalog document included, waiting for the server not): a figure for benchmarks.
    #[serde(skip)]
    pub assembly: Duration,
}

pub use crate::options::Limits;

/// Reads every table of the connection's default schema (PostgreSQL: plus `schemas`)
/// into the IR, in a fixed number of queries, within [`Limits::default`].
pub async fn introspect(db: &Db, schemas: &[String]) -> Result<Introspection> {
    PoolSource(db).introspect(schemas, &Limits::default(), None).await
}

/// Tables whose definition the caller holds, with the statements that create them.
///
/// SQLite keeps every table's and index's CREATE statement as it was written (from the
/// name on), and reads its schema back from that text. A table whose stored statements
/// are, byte for byte, the ones schemasync writes for a model is that model's table, so
/// its pragmas need not be read: the catalog read takes the known table for it. A table
/// changed since (`ALTER TABLE`, an index added or dropped, another tool) no longer
/// matches its text and is read in full. Other backends keep no such text and ignore
/// this.
#[derive(Debug, Default)]
pub(crate) struct Known {
    pub(crate) tables: HashMap<String, KnownTable>,
}

/// One table of [`Known`].
#[derive(Debug)]
#[cfg_attr(not(feature = "sqlite"), allow(dead_code))]
pub(crate) struct KnownTable {
    /// The CREATE TABLE statement as SQLite stores it.
    pub(crate) create: String,
    /// Its CREATE INDEX statements as stored, sorted.
    pub(crate) indexes: Vec<String>,
    /// The table those statements make, as the comparison expects it.
    pub(crate) table: Table,
}

/// The caller's own work, which a catalog read on a pool runs once its main statement
/// is on the server (the models' schema is built while the server reads), and which
/// returns the [`Known`] tables (SQLite's first statement runs on SQLite's own thread
/// meanwhile). A read that cannot wait on the server for it does not run it; the caller
/// does the work afterwards. `None`: nothing to do, and every table is read.
pub(crate) type Meanwhile<'a> = Option<&'a (dyn Fn() -> Known + Sync)>;

impl Known {
    /// Adds `table`, made by `statements` (its CREATE TABLE, then its CREATE INDEX
    /// statements, as schemasync writes them).
    pub(crate) fn insert(&mut self, statements: Vec<String>, table: Table) {
        let mut stored = statements.iter().map(|s| stored_form(s));
        let Some(create) = stored.next() else { return };
        let mut indexes: Vec<String> = stored.collect();
        indexes.sort_unstable();
        self.tables.insert(table.name.clone(), KnownTable { create, indexes, table });
    }
}

/// A CREATE statement as SQLite stores it: `CREATE TABLE ` or `CREATE [UNIQUE] INDEX `,
/// then the statement as written from the name on (an `IF NOT EXISTS` is not kept).
fn stored_form(sql: &str) -> String {
    for kind in ["CREATE TABLE ", "CREATE INDEX ", "CREATE UNIQUE INDEX "] {
        if let Some(rest) = sql.strip_prefix(kind).and_then(|r| r.strip_prefix("IF NOT EXISTS ")) {
            return format!("{kind}{rest}");
        }
    }
    sql.to_string()
}

/// What the IR does not hold but a database may have around its tables, in words, for
/// the models generator to name: views, triggers, PostgreSQL exclusion constraints and
/// partitions. One query.
pub async fn left_out(db: &Db, schemas: &[String]) -> Result<Vec<String>> {
    let backend = db.backend();
    let sql = match backend {
        Backend::Postgres => {
            let list: Vec<String> = schemas.iter().map(|s| crate::dialect::quote_literal(s, false)).collect();
            let scope = format!("(n.nspname = current_schema() OR n.nspname = ANY(ARRAY[{}]::text[]))", list.join(", "));
            format!(
                "SELECT 'view ' || c.relname FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace \
                   WHERE c.relkind IN ('v', 'm') AND {scope} \
                 UNION ALL SELECT 'trigger ' || t.tgname || ' on table ' || c.relname FROM pg_catalog.pg_trigger t \
                   JOIN pg_catalog.pg_class c ON c.oid = t.tgrelid JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace \
                   WHERE NOT t.tgisinternal AND {scope} \
                 UNION ALL SELECT 'exclusion constraint ' || k.conname || ' on table ' || c.relname FROM pg_catalog.pg_constraint k \
                   JOIN pg_catalog.pg_class c ON c.oid = k.conrelid JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace \
                   WHERE k.contype = 'x' AND {scope} \
                 UNION ALL SELECT 'partition ' || c.relname || ' of table ' || p.relname FROM pg_catalog.pg_inherits i \
                   JOIN pg_catalog.pg_class c ON c.oid = i.inhrelid JOIN pg_catalog.pg_class p ON p.oid = i.inhparent \
                   JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace WHERE c.relispartition AND {scope} \
                 ORDER BY 1"
            )
        }
        Backend::MySql => "SELECT CAST(CONCAT('view ', TABLE_NAME) AS CHAR) FROM information_schema.VIEWS WHERE TABLE_SCHEMA = DATABASE() \
             UNION ALL SELECT CAST(CONCAT('trigger ', TRIGGER_NAME, ' on table ', EVENT_OBJECT_TABLE) AS CHAR) \
               FROM information_schema.TRIGGERS WHERE TRIGGER_SCHEMA = DATABASE() ORDER BY 1"
            .to_string(),
        Backend::Sqlite => "SELECT CASE type WHEN 'view' THEN 'view ' || name ELSE 'trigger ' || name || ' on table ' || tbl_name END \
             FROM sqlite_schema WHERE type IN ('view', 'trigger') ORDER BY 1"
            .to_string(),
    };
    let rows = PoolSource(db).strings(&sql).await;
    rows.map_err(|source| crate::error::Error::Execute { backend, table: String::new(), sql, source })
}

/// `sql` with the waits of `limits` attached, sent in the same round trip: PostgreSQL
/// `SET LOCAL` in the query's own implicit transaction (outside a transaction only:
/// inside the plan's, its own bounds apply), MariaDB `SET STATEMENT .. FOR` and MySQL
/// optimizer hints. SQLite waits for its file lock as the connection's busy timeout
/// says.
pub(crate) fn bounded(backend: Backend, sql: &str, limits: &Limits, in_transaction: bool) -> String {
    let ms = |d: Duration| d.as_millis().clamp(1, i32::MAX as u128);
    let secs = |d: Duration| d.as_secs().max(1);
    match backend {
        Backend::Postgres if in_transaction => sql.to_string(),
        Backend::Postgres => format!(
            "SET LOCAL lock_timeout = '{}ms'; SET LOCAL statement_timeout = '{}ms'; {sql}",
            ms(limits.lock),
            ms(limits.statement)
        ),
        Backend::MySql => {
            let hinted = match sql.strip_prefix("SELECT ") {
                Some(rest) => format!(
                    "SELECT /*+ MAX_EXECUTION_TIME({}) SET_VAR(lock_wait_timeout={}) */ {rest}",
                    ms(limits.statement),
                    secs(limits.lock)
                ),
                None => sql.to_string(),
            };
            format!(
                "/*M! SET STATEMENT max_statement_time = {}, lock_wait_timeout = {} FOR */ {hinted}",
                secs(limits.statement),
                secs(limits.lock)
            )
        }
        Backend::Sqlite => sql.to_string(),
    }
}

/// Where catalog reads go: a pool, where they run at once on several connections, or
/// the one connection that holds the schema lock, where they run in turn (so a pool of
/// one connection can apply, and the re-read sees what the lock holder sees).
pub(crate) trait CatalogSource: Send {
    fn backend(&self) -> Backend;
    /// The whole catalog as the IR, each wait bounded by `limits`.
    fn introspect<'a>(
        &'a mut self,
        schemas: &'a [String],
        limits: &'a Limits,
        meanwhile: Meanwhile<'a>,
    ) -> impl Future<Output = Result<Introspection>> + Send + 'a;
    /// The first column of every row of `sql`, as text.
    fn strings<'a>(
        &'a mut self,
        sql: &'a str,
    ) -> impl Future<Output = std::result::Result<Vec<String>, sqlx::Error>> + Send + 'a;
    /// True inside the plan's transaction (its own bounds apply to reads there).
    fn in_transaction(&self) -> bool {
        false
    }
    /// `(schema, table, rows)`, estimated where the backend keeps estimates.
    fn row_estimates(&mut self) -> impl Future<Output = Result<Vec<(Option<String>, String, i64)>>> + Send + '_;
}

/// Catalog reads on a pool.
pub(crate) struct PoolSource<'a>(pub &'a Db);

impl CatalogSource for PoolSource<'_> {
    fn backend(&self) -> Backend {
        self.0.backend()
    }

    #[cfg_attr(not(all(feature = "postgres", feature = "sqlite")), allow(unused_variables))]
    fn introspect<'a>(
        &'a mut self,
        schemas: &'a [String],
        limits: &'a Limits,
        meanwhile: Meanwhile<'a>,
    ) -> impl Future<Output = Result<Introspection>> + Send + 'a {
        let db = self.0;
        async move {
            match db {
                #[cfg(not(any(feature = "postgres", feature = "mysql", feature = "sqlite")))]
                _ => unreachable!("no backend feature: the crate does not build"),
                #[cfg(feature = "postgres")]
                Db::Postgres(pool) => {
                    let rows = postgres::fetch_on_pool(pool, schemas, limits, meanwhile).await;
                    let mut blockers = Vec::new();
                    if postgres::waited_for_lock(&rows) {
                        blockers = raw_strings(pool, &postgres::blockers_sql(schemas)).await.unwrap_or_default();
                    }
                    postgres::read_catalog(rows, limits, &blockers)
                }
                #[cfg(feature = "mysql")]
                Db::MySql(pool) => mysql::introspect(pool, limits, meanwhile).await,
                #[cfg(feature = "sqlite")]
                Db::Sqlite(pool) => sqlite::introspect(pool, limits, meanwhile).await,
            }
        }
    }

    fn strings<'a>(
        &'a mut self,
        sql: &'a str,
    ) -> impl Future<Output = std::result::Result<Vec<String>, sqlx::Error>> + Send + 'a {
        let db = self.0;
        async move {
            match db {
                #[cfg(not(any(feature = "postgres", feature = "mysql", feature = "sqlite")))]
                _ => unreachable!("no backend feature: the crate does not build"),
                #[cfg(feature = "postgres")]
                Db::Postgres(pool) => raw_strings(pool, sql).await,
                #[cfg(feature = "mysql")]
                Db::MySql(pool) => raw_strings(pool, sql).await,
                #[cfg(feature = "sqlite")]
                Db::Sqlite(pool) => raw_strings(pool, sql).await,
            }
        }
    }

    fn row_estimates(&mut self) -> impl Future<Output = Result<Vec<(Option<String>, String, i64)>>> + Send + '_ {
        let db = self.0;
        async move {
            match db {
                #[cfg(not(any(feature = "postgres", feature = "mysql", feature = "sqlite")))]
                _ => unreachable!("no backend feature: the crate does not build"),
                #[cfg(feature = "postgres")]
                Db::Postgres(pool) => {
                    let mut conn = pool.acquire().await.map_err(catalog_err(
                        Backend::Postgres,
                        "a connection for row estimates",
                        &Limits::default(),
                    ))?;
                    postgres::row_estimates(&mut conn, false).await
                }
                #[cfg(feature = "mysql")]
                Db::MySql(pool) => mysql::row_estimates(pool).await,
                #[cfg(feature = "sqlite")]
                Db::Sqlite(pool) => sqlite::row_estimates(pool).await,
            }
        }
    }
}

/// The catalog queries one introspection sends on `backend`.
pub fn queries_per_introspection(backend: Backend) -> usize {
    match backend {
        #[cfg(feature = "postgres")]
        Backend::Postgres => postgres::QUERIES,
        #[cfg(feature = "mysql")]
        Backend::MySql => mysql::QUERIES,
        #[cfg(feature = "sqlite")]
        Backend::Sqlite => sqlite::QUERIES,
        #[allow(unreachable_patterns)]
        _ => 0,
    }
}

/// Runs one catalog query, on a pool or a connection, and decodes its rows.
/// `Executor::fetch_all` returns a boxed `Send` future, which keeps sqlx's higher-ranked
/// bounds out of callers' futures.
pub(crate) fn fetch<'e, DB, E, R>(
    e: E,
    sql: &'e str,
) -> impl Future<Output = std::result::Result<Vec<R>, sqlx::Error>> + Send + 'e
where
    DB: sqlx::Database,
    for<'q> <DB as sqlx::Database>::Arguments<'q>: sqlx::IntoArguments<'q, DB>,
    E: sqlx::Executor<'e, Database = DB> + 'e,
    R: for<'r> sqlx::FromRow<'r, DB::Row> + Send + 'e,
{
    let rows = e.fetch_all(sqlx::query::<DB>(sql));
    async move { rows.await?.iter().map(R::from_row).collect() }
}

/// Runs `sql` as a simple query (several statements allowed, no prepared statement) and
/// decodes its rows; on a pool or a connection.
pub(crate) fn raw_fetch<'e, DB, E, R>(
    e: E,
    sql: &'e str,
) -> impl Future<Output = std::result::Result<Vec<R>, sqlx::Error>> + Send + 'e
where
    DB: sqlx::Database,
    E: sqlx::Executor<'e, Database = DB> + 'e,
    R: for<'r> sqlx::FromRow<'r, DB::Row> + Send + 'e,
{
    let rows = e.fetch_all(sqlx::raw_sql(sql));
    async move { rows.await?.iter().map(R::from_row).collect() }
}

/// The first column of every row of a simple query, as text.
pub(crate) fn raw_strings<'e, DB, E>(
    e: E,
    sql: &'e str,
) -> impl Future<Output = std::result::Result<Vec<String>, sqlx::Error>> + Send + 'e
where
    DB: sqlx::Database,
    E: sqlx::Executor<'e, Database = DB> + 'e,
    (String,): for<'r> sqlx::FromRow<'r, DB::Row>,
{
    let rows = raw_fetch::<DB, E, (String,)>(e, sql);
    async move { Ok(rows.await?.into_iter().map(|(s,)| s).collect()) }
}

/// Wraps a failed catalog query of `backend` about `what`: a wait that ran out is an
/// [`Error::Timeout`](crate::error::Error::Timeout) that says what was waited for.
pub(crate) fn catalog_err(
    backend: Backend,
    what: &'static str,
    limits: &Limits,
) -> impl FnOnce(sqlx::Error) -> crate::error::Error {
    let limits = *limits;
    move |source| match crate::error::timeout_of(backend, &source) {
        Some(crate::error::Wait::Lock) => crate::error::Error::Timeout {
            backend,
            what: format!("a lock on a table, to read {what} of the catalog"),
            waited: limits.lock,
            hint: lock_hint(backend),
        },
        Some(crate::error::Wait::Statement) => crate::error::Error::Timeout {
            backend,
            what: format!("the catalog query for {what} to finish"),
            waited: limits.statement,
            hint: "the server is overloaded, or the catalog is very large; raise SyncOptions::catalog_timeouts".into(),
        },
        None => crate::error::Error::Catalog { backend, what, source },
    }
}

/// How to find who holds a lock, per backend.
pub(crate) fn lock_hint(backend: Backend) -> String {
    match backend {
        Backend::Postgres => "another session holds a lock on a table (a DDL statement, LOCK TABLE, or a long transaction); find it with `SELECT l.relation::regclass, l.mode, a.pid, a.state, a.query FROM pg_locks l JOIN pg_stat_activity a USING (pid) WHERE l.granted AND l.mode LIKE '%Exclusive%'`, then end that transaction or `SELECT pg_terminate_backend(pid)`".into(),
        Backend::MySql => "another session holds a metadata lock on a table (an open transaction that used it, or a DDL statement); find it with `SELECT * FROM information_schema.METADATA_LOCK_INFO` (MariaDB) or `SHOW PROCESSLIST`, then commit or kill that session".into(),
        Backend::Sqlite => "another connection holds the database file's write lock (an open write transaction); let it finish, or raise the busy timeout of your pool's SqliteConnectOptions".into(),
    }
}

/// A column as a catalog reports it, before normalisation.
pub(crate) struct RawColumn {
    pub name: String,
    /// The backend's own spelling of the type.
    pub ty: String,
    pub nullable: bool,
    pub default: Option<DefaultValue>,
    pub auto_increment: bool,
    /// PostgreSQL's identity kind, when there is one.
    pub identity: crate::schema::Identity,
    pub comment: Option<String>,
}

pub(crate) struct RawIndex {
    pub name: String,
    /// `Ok(column)` or `Err(expression)`.
    pub parts: Vec<Result<String, String>>,
    pub unique: bool,
    pub predicate: Option<String>,
    /// The access method as the catalog names it (`btree`, `gin`, MySQL's `BTREE`...).
    pub method: Option<String>,
}

/// Maps the actions as catalogs spell them (`CASCADE`, `SET NULL`, PostgreSQL's `c`,
/// `n`...) to [`FkAction`].
pub(crate) fn fk_action(raw: &str) -> FkAction {
    match raw.trim().to_ascii_uppercase().as_str() {
        "CASCADE" | "C" => FkAction::Cascade,
        "SET NULL" | "N" => FkAction::SetNull,
        "SET DEFAULT" | "D" => FkAction::SetDefault,
        "RESTRICT" | "R" => FkAction::Restrict,
        _ => FkAction::NoAction,
    }
}

/// Assembles catalog rows into the IR, with the same normalisation for every backend:
/// types through the dialect's parser, defaults made comparable for their type.
pub(crate) struct Builder {
    backend: Backend,
    tables: Vec<Table>,
    /// Where each table is in `tables`, by (schema, name).
    index: HashMap<(Option<String>, String), usize>,
    /// The table found last: rows come table by table, so most lookups are for it.
    last: Option<usize>,
    enums: Vec<crate::schema::EnumType>,
    /// Types already parsed: a catalog spells the same few types thousands of times.
    types: HashMap<String, ColumnType>,
}

impl Builder {
    pub fn new(backend: Backend) -> Self {
        Builder {
            backend,
            tables: Vec::new(),
            index: HashMap::new(),
            last: None,
            enums: Vec::new(),
            types: HashMap::new(),
        }
    }

    /// An enum type (PostgreSQL).
    #[cfg_attr(not(feature = "postgres"), allow(dead_code))]
    pub fn enum_type(&mut self, e: crate::schema::EnumType) {
        self.enums.push(e);
    }

    fn get(&mut self, schema: Option<String>, table: &str) -> Option<&mut Table> {
        let last = self.last.filter(|&i| self.tables[i].name == table && self.tables[i].schema == schema);
        let at = match last {
            Some(i) => i,
            None => *self.index.get(&(schema, table.to_string()))?,
        };
        self.last = Some(at);
        self.tables.get_mut(at)
    }

    pub fn table(&mut self, schema: Option<String>, name: String, comment: Option<String>) {
        let mut t = Table::new(name.clone());
        t.schema = schema.clone();
        t.comment = comment.filter(|c| !c.is_empty());
        match self.index.get(&(schema.clone(), name.clone())) {
            Some(&at) => self.tables[at] = t,
            None => {
                self.index.insert((schema, name), self.tables.len());
                self.tables.push(t);
            }
        }
    }

    pub fn column(&mut self, schema: Option<String>, table: &str, raw: RawColumn) {
        let d = dialect(self.backend);
        let ty = match self.types.get(&raw.ty) {
            Some(ty) => ty.clone(),
            None => {
                let ty = d.parse_type(&raw.ty);
                self.types.insert(raw.ty.clone(), ty.clone());
                ty
            }
        };
        let default =
            if raw.auto_increment { None } else { default_for(&ty, raw.default).map(|v| d.canonical_default(v)) };
        if let Some(t) = self.get(schema, table) {
            t.columns.push(Column {
                name: raw.name,
                ty,
                nullable: raw.nullable,
                default,
                auto_increment: raw.auto_increment,
                identity: raw.identity,
                comment: raw.comment.filter(|c| !c.is_empty()),
                renamed_from: Vec::new(),
                generated: None,
            });
        }
    }

    pub fn primary_key(&mut self, schema: Option<String>, table: &str, name: String, columns: Vec<String>) {
        if let Some(t) = self.get(schema, table) {
            t.primary_key = Some(PrimaryKey { name, columns });
        }
    }

    pub fn unique(&mut self, schema: Option<String>, table: &str, name: String, columns: Vec<String>) {
        if let Some(t) = self.get(schema, table) {
            t.uniques.push(Unique { name, columns });
        }
    }

    pub fn foreign_key(&mut self, schema: Option<String>, table: &str, mut fk: ForeignKey) {
        let d = dialect(self.backend);
        fk.on_delete = d.canonical_fk_action(fk.on_delete);
        fk.on_update = d.canonical_fk_action(fk.on_update);
        if let Some(t) = self.get(schema, table) {
            t.foreign_keys.push(fk);
        }
    }

    pub fn check(&mut self, schema: Option<String>, table: &str, name: String, expr: String) {
        if let Some(t) = self.get(schema, table) {
            t.checks.push(Check { name, expr });
        }
    }

    pub fn index(&mut self, schema: Option<String>, table: &str, raw: RawIndex) {
        if let Some(t) = self.get(schema, table) {
            t.indexes.push(Index {
                name: raw.name,
                columns: raw.parts.into_iter().map(|p| p.map_or_else(IndexPart::Expr, IndexPart::Column)).collect(),
                unique: raw.unique,
                predicate: raw.predicate.filter(|p| !p.trim().is_empty()),
                method: raw.method.map(|m| m.to_ascii_lowercase()).filter(|m| m != "btree"),
            });
        }
    }

    /// A column's type, to adjust after the fact (MariaDB's JSON is `longtext` + a check).
    pub fn column_mut(&mut self, schema: Option<String>, table: &str, column: &str) -> Option<&mut Column> {
        self.get(schema, table)?.columns.iter_mut().find(|c| c.name == column)
    }

    pub fn finish(self) -> Schema {
        let mut tables = self.tables;
        tables.sort_unstable_by(|a, b| (&a.schema, &a.name).cmp(&(&b.schema, &b.name)));
        Schema { tables, enums: self.enums }
    }
}

/// The catalog's text is parsed by schemasync (SQLite's stored DDL, MariaDB's
/// `SHOW CREATE TABLE`, type names, defaults and expressions of every backend): no text
/// a server could hold may make it panic.
#[cfg(test)]
mod no_panic {
    use crate::dialect::Backend;
    use proptest::prelude::*;

    /// Text made of SQL's pieces, in any order, unbalanced or not.
    fn sqlish() -> impl Strategy<Value = String> {
        let piece = prop_oneof![
            Just("CREATE TABLE ".to_string()),
            Just("CREATE UNIQUE INDEX i ON t ".to_string()),
            Just("CONSTRAINT ".to_string()),
            Just("CHECK ".to_string()),
            Just("PRIMARY KEY ".to_string()),
            Just("FOREIGN KEY ".to_string()),
            Just("REFERENCES ".to_string()),
            Just("GENERATED ALWAYS AS ".to_string()),
            Just("WHERE ".to_string()),
            Just("DEFAULT ".to_string()),
            Just("COLLATE ".to_string()),
            Just("DESC".to_string()),
            Just("(".to_string()),
            Just(")".to_string()),
            Just(",".to_string()),
            Just("'".to_string()),
            Just("\"".to_string()),
            Just("`".to_string()),
            Just("::".to_string()),
            Just("-".to_string()),
            Just("e".to_string()),
            Just(".".to_string()),
            Just(" ".to_string()),
            Just("--".to_string()),
            Just("/*".to_string()),
            Just("é".to_string()),
            "[a-z0-9_]{1,6}",
            "[0-9]{1,3}",
        ];
        proptest::collection::vec(piece, 0..24).prop_map(|p| p.concat())
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(512))]
        #[test]
        fn parsers_never_panic(text in sqlish()) {
            #[cfg(feature = "sqlite")]
            let _ = (super::sqlite_ddl::table(&text), super::sqlite_ddl::index(&text));
            #[cfg(feature = "mysql")]
            let _ = super::mysql_ddl::read(&text);
            let _ = crate::dialect::split_type(&text);
            let _ = crate::schema::expr::canonical_number(&text);
            let _ = crate::schema::normalize::collapse_expr(&text);
            for backend in [Backend::Postgres, Backend::MySql, Backend::Sqlite] {
                let _ = crate::schema::expr::canonical(&text, backend);
                let _ = crate::schema::expr::fragment_problem(&text, backend);
                let _ = crate::schema::normalize::parse_default(&text, backend);
                let d = crate::dialect::dialect(backend);
                let _ = d.parse_type(&text);
            }
        }
    }
}
