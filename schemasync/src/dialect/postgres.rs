//! PostgreSQL.

use super::{render_default_common, split_type, Backend, Capabilities, Dialect};
use crate::error::Result;
use crate::schema::{Column, ColumnType, DefaultValue, Table};

pub struct Postgres;

impl Dialect for Postgres {
    fn backend(&self) -> Backend {
        Backend::Postgres
    }

    fn epoch_seconds(&self, expr: &str) -> String {
        format!("CAST(EXTRACT(EPOCH FROM {expr}) AS BIGINT)")
    }

    fn capabilities(&self) -> Capabilities {
        Capabilities {
            transactional_ddl: true,
            schemas: true,
            partial_indexes: true,
            alter_add_foreign_key: true,
            comments: true,
            case_insensitive_idents: false,
            arrays: true,
            generated_not_null: true,
            enum_types: true,
            validate_later: true,
            implicit_fk_indexes: false,
        }
    }

    fn quote_char(&self) -> char {
        '"'
    }

    fn render_type(&self, ty: &ColumnType) -> String {
        match ty {
            ColumnType::SmallInt => "smallint".into(),
            ColumnType::Integer => "integer".into(),
            ColumnType::BigInt => "bigint".into(),
            ColumnType::Real => "real".into(),
            ColumnType::Double => "double precision".into(),
            ColumnType::Boolean => "boolean".into(),
            ColumnType::Text => "text".into(),
            ColumnType::Varchar { len } => format!("varchar({len})"),
            ColumnType::Bytes => "bytea".into(),
            ColumnType::Date => "date".into(),
            ColumnType::Time { precision } => with_precision("time", *precision),
            ColumnType::Timestamp { precision } => with_precision("timestamp", *precision),
            ColumnType::TimestampTz { precision } => with_precision("timestamptz", *precision),
            ColumnType::Uuid => "uuid".into(),
            ColumnType::Decimal { precision: Some(p), scale } => format!("numeric({p}, {})", scale.unwrap_or(0)),
            ColumnType::Decimal { precision: None, .. } => "numeric".into(),
            ColumnType::Json => "jsonb".into(),
            ColumnType::Array { of } => format!("{}[]", self.render_type(of)),
            ColumnType::Enum { name, .. } => match name.split_once('.') {
                Some((schema, name)) => format!("{}.{}", self.quote_ident(schema), self.quote_ident(name)),
                None => self.quote_ident(name),
            },
            ColumnType::Custom { sql } => sql.clone(),
        }
    }

    fn parse_type(&self, sql: &str) -> ColumnType {
        let collapsed = crate::schema::normalize::collapse_expr(sql);
        // Arrays of any dimension are reported as one: `integer[]`.
        if let Some(elem) = collapsed.strip_suffix("[]") {
            let elem = elem.trim_end_matches("[]").trim();
            return ColumnType::Array { of: Box::new(self.parse_type(elem)) };
        }
        let (name, args, rest) = split_type(sql);
        let full = if rest.is_empty() { name.clone() } else { format!("{name} {rest}") };
        match (full.as_str(), args.as_slice()) {
            ("smallint" | "int2" | "smallserial" | "serial2", []) => ColumnType::SmallInt,
            ("integer" | "int" | "int4" | "serial" | "serial4", []) => ColumnType::Integer,
            ("bigint" | "int8" | "bigserial" | "serial8", []) => ColumnType::BigInt,
            ("real" | "float4", []) => ColumnType::Real,
            ("double precision" | "float8" | "float", []) => ColumnType::Double,
            ("float", [p]) if *p <= 24 => ColumnType::Real,
            ("float", [_]) => ColumnType::Double,
            ("boolean" | "bool", []) => ColumnType::Boolean,
            ("text", []) => ColumnType::Text,
            ("varchar" | "character varying", [len]) => ColumnType::Varchar { len: *len },
            ("bytea", []) => ColumnType::Bytes,
            ("date", []) => ColumnType::Date,
            // PostgreSQL's default precision is 6: `timestamp` is `timestamp(6)`.
            ("time" | "time without time zone", [] | [6]) => ColumnType::Time { precision: None },
            ("time" | "time without time zone", [p]) if *p < 6 => ColumnType::Time { precision: Some(*p as u8) },
            ("timestamp" | "timestamp without time zone", [] | [6]) => ColumnType::Timestamp { precision: None },
            ("timestamp" | "timestamp without time zone", [p]) if *p < 6 => {
                ColumnType::Timestamp { precision: Some(*p as u8) }
            }
            ("timestamptz" | "timestamp with time zone", [] | [6]) => ColumnType::TimestampTz { precision: None },
            ("timestamptz" | "timestamp with time zone", [p]) if *p < 6 => {
                ColumnType::TimestampTz { precision: Some(*p as u8) }
            }
            ("uuid", []) => ColumnType::Uuid,
            ("numeric" | "decimal", []) => ColumnType::Decimal { precision: None, scale: None },
            ("numeric" | "decimal", [p]) => ColumnType::Decimal { precision: Some(*p as u8), scale: Some(0) },
            ("numeric" | "decimal", [p, s]) => ColumnType::Decimal { precision: Some(*p as u8), scale: Some(*s as u8) },
            ("jsonb", []) => ColumnType::Json,
            // Other types as format_type spells them, so that aliases compare equal.
            ("char" | "character" | "bpchar", [n]) => ColumnType::Custom { sql: format!("character({n})") },
            ("char" | "character", []) => ColumnType::Custom { sql: "character(1)".into() },
            ("varbit" | "bit varying", [n]) => ColumnType::Custom { sql: format!("bit varying({n})") },
            ("timetz" | "time with time zone", []) => ColumnType::Custom { sql: "time with time zone".into() },
            ("varchar" | "character varying", []) => ColumnType::Custom { sql: "character varying".into() },
            _ => ColumnType::Custom { sql: collapsed },
        }
    }

    fn unqualified_type(&self, ty: ColumnType, search_path: &[String]) -> ColumnType {
        let ColumnType::Custom { sql } = &ty else { return ty };
        // `schema.name` or `"schema".name`, outside any quotes of the name itself.
        let (schema, rest) = match sql.strip_prefix('"') {
            Some(quoted) => match quoted.split_once("\".") {
                Some((s, rest)) => (s.replace("\"\"", "\""), rest),
                None => return ty,
            },
            None => match sql.split_once('.') {
                Some((s, rest)) if !s.contains(['(', ' ', '"']) => (s.to_string(), rest),
                _ => return ty,
            },
        };
        if search_path.iter().any(|p| p == &schema) && !rest.is_empty() {
            ColumnType::Custom { sql: rest.to_string() }
        } else {
            ty
        }
    }

    fn render_default(&self, value: &DefaultValue, _ty: &ColumnType) -> String {
        render_default_common(self, value, ("true", "false"), "CURRENT_TIMESTAMP", false)
    }

    fn auto_increment_clause(&self, _table: &Table, column: &Column) -> Result<String> {
        Ok(format!("GENERATED {} AS IDENTITY", column.identity.sql()))
    }

    fn comment_statements(&self, table: &Table) -> Vec<String> {
        let name = self.table_name(table);
        let mut out = Vec::new();
        if let Some(c) = &table.comment {
            out.push(format!("COMMENT ON TABLE {name} IS {}", self.literal(c)));
        }
        for col in &table.columns {
            if let Some(c) = &col.comment {
                out.push(format!("COMMENT ON COLUMN {name}.{} IS {}", self.quote_ident(&col.name), self.literal(c)));
            }
        }
        out
    }

    fn set_table_comment(&self, table: &str, comment: Option<&str>) -> Vec<String> {
        vec![format!(
            "COMMENT ON TABLE {table} IS {}",
            comment.map(|s| self.literal(s)).unwrap_or_else(|| "NULL".into())
        )]
    }

    fn index_methods(&self) -> &'static [&'static str] {
        &["hash", "gin", "gist", "brin", "spgist"]
    }

    fn drop_foreign_key(&self, table: &Table, name: &str) -> String {
        format!("ALTER TABLE IF EXISTS {} DROP CONSTRAINT IF EXISTS {}", self.table_name(table), self.quote_ident(name))
    }
}

/// `timestamp` for the default precision (6), `timestamp(0)` otherwise.
fn with_precision(name: &str, precision: Option<u8>) -> String {
    match precision {
        Some(p) if p < 6 => format!("{name}({p})"),
        _ => name.to_string(),
    }
}
