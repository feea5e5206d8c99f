//! SQLite. Declared types are kept as written, but compared by the affinity SQLite
//! derives from them, which is all it enforces.

use super::{render_default_common, Backend, Capabilities, Dialect};
use crate::error::{Error, Result};
use crate::schema::{Column, ColumnType, DefaultValue, Table};

pub struct Sqlite;

impl Dialect for Sqlite {
    fn backend(&self) -> Backend {
        Backend::Sqlite
    }

    fn capabilities(&self) -> Capabilities {
        Capabilities {
            transactional_ddl: true,
            schemas: false,
            partial_indexes: true,
            alter_add_foreign_key: false,
            comments: false,
            case_insensitive_idents: true,
            arrays: false,
            generated_not_null: true,
            enum_types: false,
            validate_later: false,
            implicit_fk_indexes: false,
        }
    }

    fn quote_char(&self) -> char {
        '"'
    }

    fn render_type(&self, ty: &ColumnType) -> String {
        match ty {
            ColumnType::SmallInt => "SMALLINT".into(),
            ColumnType::Integer => "INTEGER".into(),
            ColumnType::BigInt => "BIGINT".into(),
            ColumnType::Real => "REAL".into(),
            ColumnType::Double => "DOUBLE".into(),
            ColumnType::Boolean => "BOOLEAN".into(),
            ColumnType::Text => "TEXT".into(),
            ColumnType::Varchar { len } => format!("VARCHAR({len})"),
            ColumnType::Bytes => "BLOB".into(),
            ColumnType::Date => "DATE".into(),
            ColumnType::Time { .. } => "TIME".into(),
            ColumnType::Timestamp { .. } => "DATETIME".into(),
            ColumnType::TimestampTz { .. } => "TIMESTAMPTZ".into(),
            ColumnType::Uuid => "UUID".into(),
            ColumnType::Decimal { precision: Some(p), scale } => format!("NUMERIC({p}, {})", scale.unwrap_or(0)),
            ColumnType::Decimal { precision: None, .. } => "NUMERIC".into(),
            ColumnType::Json => "JSON".into(),
            // Refused by `check_table`.
            ColumnType::Array { .. } => "JSON".into(),
            // The labels are kept by a check on the column (see `column_check`).
            ColumnType::Enum { .. } => "TEXT".into(),
            ColumnType::Custom { sql } => sql.clone(),
        }
    }

    /// SQLite enforces a column's *affinity*, not its declared name: the declared type
    /// is read by SQLite's own rules (section 3.1 of its datatype documentation), in
    /// order: a name containing `INT` is INTEGER; `CHAR`, `CLOB` or `TEXT`, TEXT; `BLOB`
    /// or no name, BLOB; `REAL`, `FLOA` or `DOUB`, REAL; anything else NUMERIC. The
    /// length in `VARCHAR(40)` is not enforced, so it is not compared.
    fn parse_type(&self, sql: &str) -> ColumnType {
        let name = sql.to_ascii_uppercase();
        if name.contains("INT") {
            ColumnType::BigInt
        } else if name.contains("CHAR") || name.contains("CLOB") || name.contains("TEXT") {
            ColumnType::Text
        } else if name.contains("BLOB") || name.trim().is_empty() {
            ColumnType::Bytes
        } else if name.contains("REAL") || name.contains("FLOA") || name.contains("DOUB") {
            ColumnType::Double
        } else {
            ColumnType::Decimal { precision: None, scale: None }
        }
    }

    fn canonical_default(&self, value: DefaultValue) -> DefaultValue {
        // SQLite has no booleans: TRUE and FALSE are the integers 1 and 0.
        match value {
            DefaultValue::Bool(b) => DefaultValue::Int(i64::from(b)),
            other => other,
        }
    }

    fn render_default(&self, value: &DefaultValue, _ty: &ColumnType) -> String {
        render_default_common(self, value, ("TRUE", "FALSE"), "CURRENT_TIMESTAMP", true)
    }

    fn auto_increment_clause(&self, table: &Table, column: &Column) -> Result<String> {
        let sole_key = table.primary_key.as_ref().is_some_and(|pk| pk.columns == [column.name.clone()]);
        if !sole_key {
            return Err(Error::Unsupported {
                backend: Backend::Sqlite,
                table: table.display_name(),
                column: Some(column.name.clone()),
                what: "auto_increment on a column that is not the whole primary key".into(),
                hint: "SQLite can only generate values for an INTEGER PRIMARY KEY; make this column the only primary key, or drop auto_increment".into(),
            });
        }
        Ok("PRIMARY KEY AUTOINCREMENT".into())
    }

    fn column_check(&self, column: &Column) -> Option<String> {
        let ColumnType::Enum { labels, .. } = &column.ty else { return None };
        let labels: Vec<String> = labels.iter().map(|l| self.literal(l)).collect();
        Some(format!("CHECK ({} IN ({}))", self.quote_ident(&column.name), labels.join(", ")))
    }

    fn auto_increment_type(&self) -> Option<&'static str> {
        Some("INTEGER")
    }

    fn implicit_auto_increment(&self, table: &Table, column: &Column) -> bool {
        let sole_key =
            table.primary_key.as_ref().is_some_and(|pk| pk.columns.len() == 1 && pk.columns[0] == column.name);
        sole_key && self.render_type(&column.ty).eq_ignore_ascii_case("INTEGER")
    }

    fn inline_auto_increment_key(&self) -> bool {
        true
    }

    fn drop_foreign_key(&self, _table: &Table, _name: &str) -> String {
        // SQLite cannot drop a constraint; drop-all relies on deferred checks instead.
        String::new()
    }

    fn add_unique(&self, table: &str, name: &str, columns: &[String]) -> String {
        // A unique index is the same key, and SQLite can add one without a rebuild.
        format!(
            "CREATE UNIQUE INDEX IF NOT EXISTS {} ON {table} ({})",
            self.quote_ident(name),
            self.ident_list(columns)
        )
    }

    fn can_add_column(&self, column: &Column) -> bool {
        // SQLite's ADD COLUMN takes no key, no NOT NULL without a default, and only
        // constant defaults.
        let constant_default = !matches!(
            column.default,
            Some(
                DefaultValue::CurrentTimestamp
                    | DefaultValue::CurrentDate
                    | DefaultValue::CurrentTime
                    | DefaultValue::Expr(_)
            )
        );
        !column.auto_increment && constant_default && (column.nullable || column.default.is_some())
    }

    fn rebuilds_for_constraints(&self) -> bool {
        true
    }

    fn keeps_create_statements(&self) -> bool {
        true
    }

    fn drop_all_guard(&self) -> (Vec<String>, Vec<String>) {
        (vec!["PRAGMA defer_foreign_keys = ON".into()], Vec::new())
    }
}

/// SQLite's enum: a `TEXT` column with a check `"col" IN ('a', 'b')`, read as the enum
/// type it stands for (and the check as part of it), on both sides of a comparison: a
/// check written that way by hand on a text column is the same thing.
pub(crate) fn fold_enum_checks(table: &mut Table) {
    table.checks.retain(|check| {
        let Some((column, labels)) = crate::schema::expr::in_list_labels(&check.expr, Backend::Sqlite) else {
            return true;
        };
        let col = table.columns.iter_mut().find(|c| c.name.eq_ignore_ascii_case(&column));
        match col {
            Some(c) if matches!(c.ty, ColumnType::Text) => {
                c.ty = ColumnType::Enum { name: String::new(), labels, renamed: Vec::new() };
                false
            }
            _ => true,
        }
    });
}
