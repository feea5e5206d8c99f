//! MySQL and MariaDB.

use super::{render_default_common, split_type, Backend, Capabilities, ConstraintKind, Dialect};

use crate::error::{Error, Result};
use crate::schema::{Column, ColumnType, DefaultValue, IndexPart, PrimaryKey, Table};

pub struct MySql;

impl Dialect for MySql {
    fn backend(&self) -> Backend {
        Backend::MySql
    }

    fn capabilities(&self) -> Capabilities {
        Capabilities {
            transactional_ddl: false,
            schemas: false,
            partial_indexes: false,
            alter_add_foreign_key: true,
            comments: true,
            case_insensitive_idents: true,
            arrays: false,
            generated_not_null: false,
            enum_types: false,
            validate_later: false,
            implicit_fk_indexes: true,
        }
    }

    fn quote_char(&self) -> char {
        '`'
    }

    fn backslash_escapes(&self) -> bool {
        true
    }

    fn render_type(&self, ty: &ColumnType) -> String {
        match ty {
            ColumnType::SmallInt => "smallint".into(),
            ColumnType::Integer => "int".into(),
            ColumnType::BigInt => "bigint".into(),
            ColumnType::Real => "float".into(),
            ColumnType::Double => "double".into(),
            ColumnType::Boolean => "tinyint(1)".into(),
            ColumnType::Text => "longtext".into(),
            ColumnType::Varchar { len } => format!("varchar({len})"),
            ColumnType::Bytes => "longblob".into(),
            ColumnType::Date => "date".into(),
            ColumnType::Time { precision } => with_fsp("time", precision.unwrap_or(6)),
            // MySQL has no time-zone-aware type; sqlx stores DateTime<Utc> as UTC.
            ColumnType::Timestamp { precision } | ColumnType::TimestampTz { precision } => {
                with_fsp("datetime", precision.unwrap_or(6))
            }
            ColumnType::Uuid => "binary(16)".into(),
            ColumnType::Decimal { precision: Some(p), scale } => format!("decimal({p},{})", scale.unwrap_or(0)),
            ColumnType::Decimal { precision: None, .. } => "decimal(65,30)".into(),
            ColumnType::Json => "json".into(),
            // Refused by `check_table`; JSON is where such values go on MySQL.
            ColumnType::Array { .. } => "json".into(),
            ColumnType::Enum { labels, .. } => {
                format!("enum({})", labels.iter().map(|l| self.literal(l)).collect::<Vec<_>>().join(","))
            }
            ColumnType::Custom { sql } => sql.clone(),
        }
    }

    fn parse_type(&self, sql: &str) -> ColumnType {
        if let Some(labels) = enum_labels(sql) {
            return ColumnType::Enum { name: String::new(), labels, renamed: Vec::new() };
        }
        let (name, args, rest) = split_type(sql);
        // Display widths of integer types (`int(11)`, `year(4)`) are noise; the sign
        // (`unsigned`, `zerofill`) is not.
        let name = if name == "integer" { "int".to_string() } else { name };
        let integer = matches!(name.as_str(), "tinyint" | "smallint" | "mediumint" | "int" | "bigint");
        if rest.contains("unsigned") || rest.contains("zerofill") {
            return ColumnType::Custom { sql: format!("{name} {rest}") };
        }
        if integer && matches!(name.as_str(), "tinyint" | "mediumint") && args != [1] {
            return ColumnType::Custom { sql: name };
        }
        if name == "year" && matches!(args.as_slice(), [] | [4]) {
            return ColumnType::Custom { sql: "year".into() };
        }
        match (name.as_str(), args.as_slice()) {
            ("tinyint", [1]) | ("bool" | "boolean", _) => ColumnType::Boolean,
            ("smallint", _) => ColumnType::SmallInt,
            ("int" | "integer", _) => ColumnType::Integer,
            ("bigint", _) => ColumnType::BigInt,
            ("float", []) => ColumnType::Real,
            ("double" | "double precision" | "real", []) => ColumnType::Double,
            ("longtext", []) => ColumnType::Text,
            ("varchar", [len]) => ColumnType::Varchar { len: *len },
            ("longblob", []) => ColumnType::Bytes,
            ("date", []) => ColumnType::Date,
            ("time", []) => ColumnType::Time { precision: Some(0) },
            ("time", [p]) if *p <= 6 => ColumnType::Time { precision: Some(*p as u8) },
            ("datetime", []) => ColumnType::Timestamp { precision: Some(0) },
            ("datetime", [p]) if *p <= 6 => ColumnType::Timestamp { precision: Some(*p as u8) },
            ("binary", [16]) => ColumnType::Uuid,
            ("decimal" | "numeric", []) => ColumnType::Decimal { precision: Some(10), scale: Some(0) },
            ("decimal" | "numeric", [p]) => ColumnType::Decimal { precision: Some(*p as u8), scale: Some(0) },
            ("decimal" | "numeric", [p, s]) => ColumnType::Decimal { precision: Some(*p as u8), scale: Some(*s as u8) },
            ("json", []) => ColumnType::Json,
            _ => ColumnType::Custom { sql: crate::schema::normalize::collapse_expr(sql) },
        }
    }

    fn canonical_fk_action(&self, action: crate::schema::FkAction) -> crate::schema::FkAction {
        // InnoDB checks immediately either way, and reports an unspecified action as RESTRICT.
        match action {
            crate::schema::FkAction::NoAction => crate::schema::FkAction::Restrict,
            other => other,
        }
    }

    fn render_default(&self, value: &DefaultValue, ty: &ColumnType) -> String {
        // The default's fractional digits must be the column's.
        let now = match self.canonical_type(ty) {
            ColumnType::Timestamp { precision: Some(p) } if p > 0 => format!("CURRENT_TIMESTAMP({p})"),
            _ => "CURRENT_TIMESTAMP".into(),
        };
        render_default_common(self, value, ("1", "0"), &now, true)
    }

    fn auto_increment_clause(&self, _table: &Table, _column: &Column) -> Result<String> {
        Ok("AUTO_INCREMENT".into())
    }

    fn primary_key_clause(&self, pk: &PrimaryKey) -> String {
        // MySQL names every primary key PRIMARY.
        format!("PRIMARY KEY ({})", self.ident_list(&pk.columns))
    }

    fn column_comment_clause(&self, comment: &str) -> Option<String> {
        Some(format!("COMMENT {}", self.literal(comment)))
    }

    fn table_options(&self, table: &Table) -> String {
        match &table.comment {
            Some(c) => format!(" COMMENT={}", self.literal(c)),
            None => String::new(),
        }
    }

    fn drop_foreign_key(&self, table: &Table, name: &str) -> String {
        format!("ALTER TABLE {} DROP FOREIGN KEY IF EXISTS {}", self.table_name(table), self.quote_ident(name))
    }

    fn drop_constraint(&self, table: &str, kind: ConstraintKind, name: &str) -> String {
        match kind {
            ConstraintKind::PrimaryKey => format!("ALTER TABLE {table} DROP PRIMARY KEY"),
            ConstraintKind::Unique => format!("ALTER TABLE {table} DROP INDEX IF EXISTS {}", self.quote_ident(name)),
            ConstraintKind::Check => {
                format!("ALTER TABLE {table} DROP CONSTRAINT IF EXISTS {}", self.quote_ident(name))
            }
        }
    }

    fn drop_index(&self, _schema: Option<&str>, table: &str, name: &str) -> String {
        format!("DROP INDEX IF EXISTS {} ON {table}", self.quote_ident(name))
    }

    fn add_column(&self, table: &str, definition: &str) -> String {
        format!("ALTER TABLE {table} ADD COLUMN IF NOT EXISTS {definition}")
    }

    fn drop_column(&self, table: &str, column: &str) -> String {
        format!("ALTER TABLE {table} DROP COLUMN IF EXISTS {}", self.quote_ident(column))
    }

    fn set_table_comment(&self, table: &str, comment: Option<&str>) -> Vec<String> {
        vec![format!("ALTER TABLE {table} COMMENT = {}", self.literal(comment.unwrap_or("")))]
    }

    fn cast_to_text(&self, expr: &str) -> String {
        format!("CAST({expr} AS CHAR)")
    }

    fn epoch_seconds(&self, expr: &str) -> String {
        format!("CAST(UNIX_TIMESTAMP({expr}) AS SIGNED)")
    }

    fn drop_all_guard(&self) -> (Vec<String>, Vec<String>) {
        (vec!["SET FOREIGN_KEY_CHECKS = 0".into()], vec!["SET FOREIGN_KEY_CHECKS = 1".into()])
    }

    fn index_methods(&self) -> &'static [&'static str] {
        // InnoDB builds a B-tree when asked for HASH, so HASH is not offered.
        &["fulltext", "spatial"]
    }

    fn index_method_sql(&self, method: &str) -> (String, String) {
        (format!("{} ", method.to_ascii_uppercase()), String::new())
    }

    fn check_table(&self, table: &Table) -> Result<()> {
        super::check_index_methods(self, table)?;
        // MariaDB indexes columns only (MySQL 8's functional key parts are not read
        // back by its catalog as such).
        if let Some(i) = table.indexes.iter().find(|i| i.columns.iter().any(|p| p.as_column().is_none())) {
            return Err(Error::Unsupported {
                backend: Backend::MySql,
                table: table.display_name(),
                column: None,
                what: format!("the expression index `{}`", i.name),
                hint: "MariaDB indexes columns only: index a generated column holding the expression, like #[column(generated = \"lower(email)\", stored)] with #[column(index)]".into(),
            });
        }
        let unbounded = |col: &str| table.column(col).is_some_and(|c| self.canonical_type(&c.ty).is_unbounded());
        let keyed = table
            .primary_key
            .iter()
            .flat_map(|pk| pk.columns.iter().map(|c| (c.as_str(), pk.name.as_str())))
            .chain(table.uniques.iter().flat_map(|u| u.columns.iter().map(move |c| (c.as_str(), u.name.as_str()))))
            .chain(
                // A FULLTEXT or SPATIAL index takes a whole TEXT or geometry column.
                table
                    .indexes
                    .iter()
                    .filter(|i| i.method.is_none())
                    .flat_map(|i| i.columns.iter().filter_map(IndexPart::as_column).map(move |c| (c, i.name.as_str()))),
            )
            .chain(
                table.foreign_keys.iter().flat_map(|f| f.columns.iter().map(move |c| (c.as_str(), f.name.as_str()))),
            );
        for (col, key) in keyed {
            if unbounded(col) {
                return Err(Error::Unsupported {
                    backend: Backend::MySql,
                    table: table.display_name(),
                    column: Some(col.to_string()),
                    what: format!("key or index `{key}` on a TEXT/BLOB/JSON column"),
                    hint: "MySQL can only index a bounded column: give the String field a length with #[column(len = 255)]".into(),
                });
            }
        }
        for idx in &table.indexes {
            if idx.unique && idx.predicate.is_some() {
                return Err(Error::Unsupported {
                    backend: Backend::MySql,
                    table: table.display_name(),
                    column: None,
                    what: format!("unique partial index `{}`", idx.name),
                    hint: "MySQL has no partial indexes, and dropping the WHERE would make the constraint stricter; remove `where` or `unique`".into(),
                });
            }
        }
        Ok(())
    }
}

/// `datetime` for precision 0 (MySQL's default), `datetime(3)` otherwise.
fn with_fsp(name: &str, precision: u8) -> String {
    if precision == 0 {
        name.to_string()
    } else {
        format!("{name}({precision})")
    }
}

/// The labels of `enum('a','b''c')` as MySQL writes a column type (`''` and `\'` for a
/// quote); `None` for any other type.
fn enum_labels(sql: &str) -> Option<Vec<String>> {
    let s = sql.trim();
    let head = s.get(..5)?;
    if !head.eq_ignore_ascii_case("enum(") || !s.ends_with(')') {
        return None;
    }
    let body = &s[5..s.len() - 1];
    let mut labels = Vec::new();
    let mut chars = body.chars().peekable();
    loop {
        while chars.peek().is_some_and(|c| c.is_whitespace() || *c == ',') {
            chars.next();
        }
        match chars.next() {
            None => break,
            Some('\'') => {}
            Some(_) => return None,
        }
        let mut label = String::new();
        loop {
            match chars.next()? {
                '\'' if chars.peek() == Some(&'\'') => {
                    chars.next();
                    label.push('\'');
                }
                '\'' => break,
                '\\' => label.push(chars.next()?),
                c => label.push(c),
            }
        }
        labels.push(label);
    }
    Some(labels)
}
