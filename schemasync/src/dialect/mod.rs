//! What differs between backends, behind one trait with one file per backend.
//!
//! [`Backend::from_url`] is the one place a URL scheme becomes a backend, [`quote_ident`]
//! the one place an identifier is quoted, and [`quote_literal`] the one place a string
//! value is escaped.

mod mysql;
mod postgres;
mod sqlite;

#[cfg(feature = "sqlite")]
pub(crate) use sqlite::fold_enum_checks;

pub use crate::backend::Backend;
use crate::error::{Error, Result};
use crate::schema::{Column, ColumnType, DefaultValue, PrimaryKey, Table};

/// The one place a URL scheme becomes a backend.
impl Backend {
    /// Maps a database URL's scheme to its backend. The only function that does so.
    pub fn from_url(url: &str) -> Result<Backend> {
        let scheme = url.split(':').next().unwrap_or_default().to_ascii_lowercase();
        match scheme.as_str() {
            "postgres" | "postgresql" => Ok(Backend::Postgres),
            "mysql" | "mariadb" => Ok(Backend::MySql),
            "sqlite" => Ok(Backend::Sqlite),
            _ => Err(Error::UnknownScheme { url: crate::error::redact_url(url) }),
        }
    }
}

/// The dialect of a backend.
pub fn dialect(backend: Backend) -> &'static dyn Dialect {
    match backend {
        Backend::Postgres => &postgres::Postgres,
        Backend::MySql => &mysql::MySql,
        Backend::Sqlite => &sqlite::Sqlite,
    }
}

/// What a backend can do.
#[derive(Debug, Clone, Copy)]
pub struct Capabilities {
    /// DDL is transactional: a failed plan leaves nothing behind.
    pub transactional_ddl: bool,
    /// Tables may live in named schemas.
    pub schemas: bool,
    /// `CREATE INDEX ... WHERE`.
    pub partial_indexes: bool,
    /// `ALTER TABLE ... ADD CONSTRAINT ... FOREIGN KEY` (SQLite cannot).
    pub alter_add_foreign_key: bool,
    /// Table and column comments are stored.
    pub comments: bool,
    /// Column (and SQLite table) names compare case-insensitively.
    pub case_insensitive_idents: bool,
    /// The backend creates an index for every foreign key by itself (InnoDB).
    pub implicit_fk_indexes: bool,
    /// Columns may hold arrays (`integer[]`).
    pub arrays: bool,
    /// A generated column may be declared NOT NULL (not on MariaDB).
    pub generated_not_null: bool,
    /// Enum types are objects of their own (`CREATE TYPE ... AS ENUM`, PostgreSQL).
    pub enum_types: bool,
    /// A foreign key or check can be added `NOT VALID` and its rows checked later by
    /// `VALIDATE CONSTRAINT`, which blocks no writes (PostgreSQL).
    pub validate_later: bool,
}

/// How one backend spells things. Rendering is written once, in
/// terms of these methods.
pub trait Dialect: Sync {
    fn backend(&self) -> Backend;
    fn capabilities(&self) -> Capabilities;

    /// The identifier quote character: `"` or `` ` ``.
    fn quote_char(&self) -> char;

    /// True when `\` escapes inside string literals (MySQL without NO_BACKSLASH_ESCAPES).
    fn backslash_escapes(&self) -> bool {
        false
    }

    /// The DDL spelling of a logical type.
    fn render_type(&self, ty: &ColumnType) -> String;

    /// Reads a type as this backend spells it (a catalog's, or a `sql_type`) back into
    /// the logical type, collapsing aliases: `int4` is `integer`.
    fn parse_type(&self, sql: &str) -> ColumnType;

    /// The type this backend will really store for `ty`, as its catalog will report it.
    fn canonical_type(&self, ty: &ColumnType) -> ColumnType {
        self.parse_type(&self.render_type(ty))
    }

    /// A type as the catalog names it, given the schemas on the search path: PostgreSQL
    /// leaves out the schema of a type it can find there (`public.mood` is `mood`).
    fn unqualified_type(&self, ty: ColumnType, search_path: &[String]) -> ColumnType {
        let _ = search_path;
        ty
    }

    /// The action this backend reports for `action` (InnoDB: NO ACTION is RESTRICT).
    fn canonical_fk_action(&self, action: crate::schema::FkAction) -> crate::schema::FkAction {
        action
    }

    /// A default value as this backend holds it (SQLite: `TRUE` is `1`), applied to
    /// both sides of a comparison after [`crate::schema::normalize::default_for`].
    fn canonical_default(&self, value: DefaultValue) -> DefaultValue {
        value
    }

    /// A default value in DDL.
    fn render_default(&self, value: &DefaultValue, ty: &ColumnType) -> String;

    /// The text after the type and nullability that makes a column generate its values.
    fn auto_increment_clause(&self, table: &Table, column: &Column) -> Result<String>;

    /// The type an auto-increment column must be declared with, when the backend insists.
    fn auto_increment_type(&self) -> Option<&'static str> {
        None
    }

    /// True when the backend makes `column` generate values even though the model did
    /// not ask (SQLite: a sole INTEGER primary key is the rowid).
    fn implicit_auto_increment(&self, table: &Table, column: &Column) -> bool {
        let _ = (table, column);
        false
    }

    /// True when the primary key is written on the auto-increment column itself.
    fn inline_auto_increment_key(&self) -> bool {
        false
    }

    /// The table-level primary key clause.
    fn primary_key_clause(&self, pk: &PrimaryKey) -> String {
        format!("CONSTRAINT {} PRIMARY KEY ({})", self.quote_ident(&pk.name), self.ident_list(&pk.columns))
    }

    /// A check written on the column itself, for a type the backend keeps with one
    /// (SQLite: an enum's labels).
    fn column_check(&self, _column: &Column) -> Option<String> {
        None
    }

    /// Extra column text for a comment (MySQL writes comments inline).
    fn column_comment_clause(&self, _comment: &str) -> Option<String> {
        None
    }

    /// Text after the closing parenthesis of CREATE TABLE.
    fn table_options(&self, _table: &Table) -> String {
        String::new()
    }

    /// Statements that store comments after CREATE TABLE (PostgreSQL's COMMENT ON).
    fn comment_statements(&self, _table: &Table) -> Vec<String> {
        Vec::new()
    }

    /// Drops a foreign key; the table may be missing.
    fn drop_foreign_key(&self, table: &Table, name: &str) -> String;

    /// `ALTER TABLE t DROP ...` for a primary key, unique constraint or check.
    fn drop_constraint(&self, table: &str, kind: ConstraintKind, name: &str) -> String {
        let _ = kind;
        format!("ALTER TABLE {table} DROP CONSTRAINT {}", self.quote_ident(name))
    }

    /// Drops an index of `table` (`table` is the quoted, qualified table name).
    fn drop_index(&self, schema: Option<&str>, table: &str, name: &str) -> String {
        let _ = table;
        format!("DROP INDEX IF EXISTS {}", self.qualified(schema, name))
    }

    /// Adds a unique constraint to an existing table.
    fn add_unique(&self, table: &str, name: &str, columns: &[String]) -> String {
        format!("ALTER TABLE {table} ADD CONSTRAINT {} UNIQUE ({})", self.quote_ident(name), self.ident_list(columns))
    }

    /// `ADD COLUMN` (MySQL: `ADD COLUMN IF NOT EXISTS`, safe to re-run).
    fn add_column(&self, table: &str, definition: &str) -> String {
        format!("ALTER TABLE {table} ADD COLUMN {definition}")
    }

    /// `DROP COLUMN`.
    fn drop_column(&self, table: &str, column: &str) -> String {
        format!("ALTER TABLE {table} DROP COLUMN {}", self.quote_ident(column))
    }

    /// Can `ALTER TABLE ... ADD COLUMN` add this column (SQLite has limits)?
    fn can_add_column(&self, column: &Column) -> bool {
        let _ = column;
        true
    }

    /// Sets or clears a table comment on an existing table.
    fn set_table_comment(&self, table: &str, comment: Option<&str>) -> Vec<String> {
        let _ = (table, comment);
        Vec::new()
    }

    /// True when constraint changes need the table rebuilt (SQLite).
    fn rebuilds_for_constraints(&self) -> bool {
        false
    }

    /// True when the backend keeps each table's CREATE statement as it was written and
    /// reads its schema from that text (SQLite): a table made from a model is then known
    /// by its text, without its definition being read piece by piece.
    fn keeps_create_statements(&self) -> bool {
        false
    }

    /// Statements around a drop-all so that cycles and order cannot block it.
    fn drop_all_guard(&self) -> (Vec<String>, Vec<String>) {
        (Vec::new(), Vec::new())
    }

    /// Refuses a table this backend cannot hold, with the reason and the fix.
    fn check_table(&self, table: &Table) -> Result<()> {
        check_index_methods(self, table)
    }

    /// Index access methods this backend has besides its default B-tree.
    fn index_methods(&self) -> &'static [&'static str] {
        &[]
    }

    /// How `CREATE INDEX` names an access method: the words before `INDEX`, and the
    /// clause after the table name (PostgreSQL's ` USING gin`).
    fn index_method_sql(&self, method: &str) -> (String, String) {
        (String::new(), format!(" USING {method}"))
    }

    /// True when `a` and `b` name the same object here (PostgreSQL: exactly; MySQL
    /// table names and SQLite: whatever their case).
    fn same_name(&self, a: &str, b: &str) -> bool {
        a == b || (self.capabilities().case_insensitive_idents && a.eq_ignore_ascii_case(b))
    }

    /// Quotes an identifier. Every identifier in generated SQL goes through here.
    fn quote_ident(&self, name: &str) -> String {
        quote_ident(self.quote_char(), name)
    }

    /// `"schema"."table"` or `"table"`.
    fn table_name(&self, table: &Table) -> String {
        self.qualified(table.schema.as_deref(), &table.name)
    }

    fn qualified(&self, schema: Option<&str>, name: &str) -> String {
        match schema {
            Some(s) if self.capabilities().schemas => {
                format!("{}.{}", self.quote_ident(s), self.quote_ident(name))
            }
            _ => self.quote_ident(name),
        }
    }

    /// `"a", "b"`.
    fn ident_list(&self, names: &[String]) -> String {
        names.iter().map(|n| self.quote_ident(n)).collect::<Vec<_>>().join(", ")
    }

    /// `expr` converted to text (for reading values of any type as a string).
    fn cast_to_text(&self, expr: &str) -> String {
        format!("CAST({expr} AS TEXT)")
    }

    /// A timestamp column as whole seconds since 1970-01-01 UTC, whatever the session's
    /// time zone (SQLite: a UTC text timestamp).
    fn epoch_seconds(&self, expr: &str) -> String {
        format!("CAST(strftime('%s', {expr}) AS INTEGER)")
    }

    /// A string literal, escaped for this backend.
    fn literal(&self, value: &str) -> String {
        quote_literal(value, self.backslash_escapes())
    }
}

/// Refuses what no backend-specific rule allows: arrays where there are none, index
/// methods the backend lacks.
pub(crate) fn check_index_methods(d: &(impl Dialect + ?Sized), table: &Table) -> Result<()> {
    if !d.capabilities().arrays {
        if let Some(c) = table.columns.iter().find(|c| matches!(c.ty, ColumnType::Array { .. })) {
            return Err(Error::Unsupported {
                backend: d.backend(),
                table: table.display_name(),
                column: Some(c.name.clone()),
                what: "an array column".into(),
                hint: format!("{} has no arrays; store the list as JSON (`sqlx::types::Json<Vec<T>>` with #[sqlx(json)]), or give the field a `sql_type` for this backend", d.backend()),
            });
        }
    }
    for idx in &table.indexes {
        let Some(method) = idx.method.as_deref() else { continue };
        if method != "btree" && !d.index_methods().contains(&method) {
            let has = if d.index_methods().is_empty() {
                "only B-tree indexes".to_string()
            } else {
                format!("btree, {}", d.index_methods().join(", "))
            };
            return Err(Error::Unsupported {
                backend: d.backend(),
                table: table.display_name(),
                column: None,
                what: format!("index `{}` using `{method}`", idx.name),
                hint: format!("{} has {has}; remove `using` or choose one of those", d.backend()),
            });
        }
    }
    Ok(())
}

/// Quotes an identifier with `quote`, doubling any quote character inside it.
pub fn quote_ident(quote: char, name: &str) -> String {
    let mut out = String::with_capacity(name.len() + 2);
    out.push(quote);
    for c in name.chars() {
        if c == quote {
            out.push(quote);
        }
        out.push(c);
    }
    out.push(quote);
    out
}

/// Quotes a string literal: `'` is doubled, and `\` too where it is an escape character.
pub fn quote_literal(value: &str, backslash_escapes: bool) -> String {
    let mut out = String::with_capacity(value.len() + 2);
    out.push('\'');
    for c in value.chars() {
        match c {
            '\'' => out.push_str("''"),
            '\\' if backslash_escapes => out.push_str("\\\\"),
            _ => out.push(c),
        }
    }
    out.push('\'');
    out
}

/// Default-value rendering shared by the dialects; they differ only in booleans,
/// timestamps and whether expressions need parentheses.
pub(crate) fn render_default_common(
    d: &dyn Dialect,
    value: &DefaultValue,
    bools: (&str, &str),
    now: &str,
    wrap_expr: bool,
) -> String {
    match value {
        DefaultValue::Null => "NULL".into(),
        DefaultValue::Bool(true) => bools.0.into(),
        DefaultValue::Bool(false) => bools.1.into(),
        DefaultValue::Int(v) => v.to_string(),
        DefaultValue::Float(f) => f.clone(),
        DefaultValue::Str(s) => d.literal(s),
        DefaultValue::CurrentTimestamp => now.into(),
        DefaultValue::CurrentDate if wrap_expr => "(CURRENT_DATE)".into(),
        DefaultValue::CurrentDate => "CURRENT_DATE".into(),
        DefaultValue::CurrentTime if wrap_expr => "(CURRENT_TIME)".into(),
        DefaultValue::CurrentTime => "CURRENT_TIME".into(),
        DefaultValue::Expr(e) if wrap_expr => format!("({e})"),
        DefaultValue::Expr(e) => e.clone(),
    }
}

/// Splits `name(args) rest` into lower-case `name`, its numeric arguments and `rest`.
pub(crate) fn split_type(sql: &str) -> (String, Vec<u32>, String) {
    let collapsed = crate::schema::normalize::collapse_expr(sql);
    let s = collapsed.trim();
    match (s.find('('), s.find(')')) {
        (Some(open), Some(close)) if close > open => {
            let name = s[..open].trim().to_string();
            let args = s[open + 1..close].split(',').filter_map(|a| a.trim().parse().ok()).collect();
            (name, args, s[close + 1..].trim().to_string())
        }
        // `int unsigned`, `double precision`: the first word is the name.
        _ => match s.split_once(' ') {
            Some((name, rest)) => (name.to_string(), Vec::new(), rest.trim().to_string()),
            None => (s.to_string(), Vec::new(), String::new()),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn url_schemes() {
        assert_eq!(Backend::from_url("postgres://u@h/db").unwrap(), Backend::Postgres);
        assert_eq!(Backend::from_url("postgresql://u@h/db").unwrap(), Backend::Postgres);
        assert_eq!(Backend::from_url("mysql://u@h/db").unwrap(), Backend::MySql);
        assert_eq!(Backend::from_url("mariadb://u@h/db").unwrap(), Backend::MySql);
        assert_eq!(Backend::from_url("sqlite://app.db").unwrap(), Backend::Sqlite);
        assert_eq!(Backend::from_url("sqlite::memory:").unwrap(), Backend::Sqlite);
        let err = Backend::from_url("oracle://scott:tiger@h/db").unwrap_err().to_string();
        assert!(err.contains("oracle://***@h/db"), "{err}");
        assert!(!err.contains("tiger"));
    }

    #[test]
    fn quoting() {
        assert_eq!(quote_ident('"', "a\"b"), "\"a\"\"b\"");
        assert_eq!(quote_ident('`', "a`b"), "`a``b`");
        assert_eq!(quote_literal("it's \\", false), "'it''s \\'");
        assert_eq!(quote_literal("it's \\", true), "'it''s \\\\'");
    }

    #[test]
    fn aliases_collapse() {
        let pg = dialect(Backend::Postgres);
        for (a, b) in [
            ("int4", "integer"),
            ("int8", "bigint"),
            ("serial", "integer"),
            ("bigserial", "bigint"),
            ("character varying(20)", "varchar(20)"),
            ("timestamp with time zone", "timestamptz"),
            ("bool", "boolean"),
        ] {
            assert_eq!(pg.parse_type(a), pg.parse_type(b), "{a} vs {b}");
        }
        let my = dialect(Backend::MySql);
        assert_eq!(my.parse_type("tinyint(1)"), ColumnType::Boolean);
        assert_eq!(my.parse_type("int(11)"), ColumnType::Integer);
        assert_eq!(my.parse_type("bigint(20) unsigned"), ColumnType::Custom { sql: "bigint unsigned".into() });
        let lite = dialect(Backend::Sqlite);
        assert_eq!(lite.canonical_type(&ColumnType::Integer), lite.canonical_type(&ColumnType::BigInt));
        // Affinity: what other tools write compares by what SQLite enforces.
        let text = lite.parse_type("TEXT");
        for ty in [
            "NVARCHAR(160)",
            "NCHAR(55)",
            "NATIVE CHARACTER(70)",
            "VARYING CHARACTER(255)",
            "CHARACTER(20)",
            "CLOB",
            "VARCHAR(40)",
        ] {
            assert_eq!(lite.parse_type(ty), text, "{ty}");
        }
        for ty in
            ["INT", "TINYINT", "MEDIUMINT", "INT2", "INT8", "UNSIGNED BIG INT", "BIGINT", "SMALLINT", "FLOATING POINT"]
        {
            assert_eq!(lite.parse_type(ty), ColumnType::BigInt, "{ty}");
        }
        for ty in ["REAL", "DOUBLE", "DOUBLE PRECISION", "FLOAT"] {
            assert_eq!(lite.parse_type(ty), ColumnType::Double, "{ty}");
        }
        for ty in ["NUMERIC", "DECIMAL(10,5)", "BOOLEAN", "DATE", "DATETIME", "UUID", "JSON"] {
            assert_eq!(lite.parse_type(ty), lite.parse_type("NUMERIC"), "{ty}");
        }
        assert_eq!(lite.parse_type("BLOB"), lite.parse_type(""));
        assert_ne!(lite.parse_type("BLOB"), text);
    }
}

/// The desired schema as `backend` will really hold it, ready to compare with what its
/// catalog returns: types as the backend stores them, the default schema written as
/// `None`, comments dropped where they are not stored, partial index predicates
/// dropped where there are no partial indexes, defaults made comparable for their type.
pub fn canonicalize(
    desired: &crate::schema::Schema,
    backend: Backend,
    default_schema: Option<&str>,
    search_path: &[String],
) -> crate::schema::Schema {
    use crate::schema::normalize::default_for;
    let d = dialect(backend);
    let caps = d.capabilities();
    let schema_of = |s: &Option<String>| match s {
        Some(s) if caps.schemas && Some(s.as_str()) != default_schema => Some(s.clone()),
        _ => None,
    };
    let mut out = desired.clone();
    // Canonical types already worked out: models use the same few types many times.
    let mut types: Vec<(ColumnType, ColumnType)> = Vec::new();
    let mut canonical_type = |ty: &ColumnType| match types.iter().find(|(from, _)| from == ty) {
        Some((_, to)) => to.clone(),
        None => {
            let to = d.unqualified_type(d.canonical_type(ty), search_path);
            types.push((ty.clone(), to.clone()));
            to
        }
    };
    for t in &mut out.tables {
        t.schema = schema_of(&t.schema);
        if !caps.comments {
            t.comment = None;
        }
        let implicit: Vec<bool> = t.columns.iter().map(|c| d.implicit_auto_increment(t, c)).collect();
        for i in &mut t.indexes {
            i.method = i.method.take().filter(|m| m != "btree");
        }
        for (c, implicit) in t.columns.iter_mut().zip(implicit) {
            c.auto_increment |= implicit;
            if backend != Backend::Postgres {
                // Only PostgreSQL refuses explicit values for a generated key.
                c.identity = crate::schema::Identity::ByDefault;
            }
            // PostgreSQL compares an enum column by its type's name (the labels are the
            // type's); the others by its labels. Renames stay for the diff to read.
            let enum_canonical = |ty: &ColumnType| match ty {
                ColumnType::Enum { name, labels, renamed } => Some(match backend {
                    Backend::Postgres => {
                        let name = match name.split_once('.') {
                            Some((s, n)) if Some(s) == default_schema => n.to_string(),
                            _ => name.clone(),
                        };
                        ColumnType::Enum { name, labels: Vec::new(), renamed: renamed.clone() }
                    }
                    _ => ColumnType::Enum { name: String::new(), labels: labels.clone(), renamed: renamed.clone() },
                }),
                _ => None,
            };
            c.ty = match &c.ty {
                ColumnType::Array { of } if matches!(**of, ColumnType::Enum { .. }) => {
                    ColumnType::Array { of: Box::new(enum_canonical(of).unwrap_or_else(|| (**of).clone())) }
                }
                ty => enum_canonical(ty).unwrap_or_else(|| canonical_type(ty)),
            };
            c.default = if c.auto_increment {
                None
            } else {
                default_for(&c.ty, c.default.take()).map(|v| d.canonical_default(v))
            };

            if !caps.comments {
                c.comment = None;
            }
            if c.generated.is_some() {
                c.default = None;
                if !caps.generated_not_null {
                    c.nullable = true;
                }
            }
        }
        for fk in &mut t.foreign_keys {
            fk.ref_schema = schema_of(&fk.ref_schema);
            fk.on_delete = d.canonical_fk_action(fk.on_delete);
            fk.on_update = d.canonical_fk_action(fk.on_update);
        }
        if !caps.partial_indexes {
            for i in &mut t.indexes {
                i.predicate = None;
            }
        }
        if backend == Backend::Sqlite {
            sqlite::fold_enum_checks(t);
        }
    }
    if caps.enum_types {
        for e in &mut out.enums {
            e.schema = schema_of(&e.schema);
        }
    } else {
        out.enums.clear();
    }
    out
}

/// The kinds of table constraint that are dropped by name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ConstraintKind {
    PrimaryKey,
    Unique,
    Check,
}
