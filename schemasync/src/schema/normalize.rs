//! Normalisation, so that equal means equal: one spelling for each default value.
//!
//! Both sides of a diff go through here: the models' `default_sql` and whatever a
//! catalog returns (`'x'::text`, `now()`, `(0)`, `CURRENT_TIMESTAMP(6)`, `NULL`...).

use super::{expr, ColumnType, DefaultValue};
use crate::backend::Backend;
use sqlparser::ast::{Expr as SqlExpr, FunctionArguments, Value};

/// Reads a default expression as written in DDL for `backend` or returned by its
/// catalog. `None` means "no default" (an empty expression).
pub fn parse_default(sql: &str, backend: Backend) -> Option<DefaultValue> {
    let text = sql.trim();
    if text.is_empty() {
        return None;
    }
    Some(match expr::parse(text, backend) {
        Some(e) => classify(&e).unwrap_or_else(|| DefaultValue::Expr(text.to_string())),
        None => DefaultValue::Expr(text.to_string()),
    })
}

/// A parsed default as a [`DefaultValue`]; `None` for an expression of any other kind.
fn classify(e: &SqlExpr) -> Option<DefaultValue> {
    if let Some(n) = expr::number_value(e) {
        return number(&n);
    }
    if let Some(s) = expr::string_value(e) {
        return Some(DefaultValue::Str(s.to_string()));
    }
    match e {
        SqlExpr::Nested(inner) => classify(inner),
        // `'x'::text` is the string `x`, but a cast of a cast is computed when a row is
        // written: `('now'::text)::date` is today's date, not the text `now`.
        SqlExpr::Cast { expr: inner, .. } if is_cast(inner) => None,
        SqlExpr::Cast { expr: inner, .. } => classify(inner),
        SqlExpr::Value(v) => match &v.value {
            Value::Null => Some(DefaultValue::Null),
            Value::Boolean(b) => Some(DefaultValue::Bool(*b)),
            _ => None,
        },
        SqlExpr::Function(f) => {
            let name = f.name.to_string().to_ascii_lowercase();
            // No arguments, or one precision argument: `now()`, `CURRENT_TIMESTAMP(6)`.
            let simple = match &f.args {
                FunctionArguments::None => true,
                FunctionArguments::List(l) => {
                    l.args.is_empty()
                        || (l.args.len() == 1 && l.args[0].to_string().bytes().all(|b| b.is_ascii_digit()))
                }
                FunctionArguments::Subquery(_) => false,
            };
            if !simple {
                return None;
            }
            match name.as_str() {
                "now" | "current_timestamp" | "transaction_timestamp" | "localtimestamp" => {
                    Some(DefaultValue::CurrentTimestamp)
                }
                "current_date" | "curdate" => Some(DefaultValue::CurrentDate),
                "current_time" | "curtime" | "localtime" => Some(DefaultValue::CurrentTime),
                _ => None,
            }
        }
        _ => None,
    }
}

fn is_cast(e: &SqlExpr) -> bool {
    match e {
        SqlExpr::Nested(inner) => is_cast(inner),
        SqlExpr::Cast { .. } => true,
        _ => false,
    }
}

/// A number literal in canonical form: integers as `Int`, others as plain decimals
/// (`1e3` is `Int(1000)`, `1.50` is `Float("1.5")`).
pub fn number(s: &str) -> Option<DefaultValue> {
    let text = expr::canonical_number(s)?;
    Some(match text.parse::<i64>() {
        Ok(v) if !text.contains('.') => DefaultValue::Int(v),
        _ => DefaultValue::Float(text),
    })
}

/// Lower-cases outside quotes (`'...'`, `"..."`, `` `...` ``) and collapses runs of whitespace.
pub fn collapse_expr(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut quote: Option<char> = None;
    let mut last_space = false;
    for c in s.trim().chars() {
        match quote {
            Some(q) => {
                out.push(c);
                if c == q {
                    quote = None;
                }
                last_space = false;
                continue;
            }
            None if c == '\'' || c == '"' || c == '`' => {
                quote = Some(c);
                out.push(c);
                last_space = false;
                continue;
            }
            None => {}
        }
        if c.is_whitespace() {
            if !last_space {
                out.push(' ');
            }
            last_space = true;
            continue;
        }
        last_space = false;
        if c.is_ascii() {
            out.push(c.to_ascii_lowercase());
        } else {
            out.extend(c.to_lowercase());
        }
    }
    out
}

/// Makes a default comparable for a column of type `ty`: `1` on a boolean is `true`,
/// `'42'` on an integer is `42`, an explicit `NULL` on a nullable column is no default.
pub fn default_for(ty: &ColumnType, value: Option<DefaultValue>) -> Option<DefaultValue> {
    let value = value?;
    Some(match (ty, value) {
        (_, DefaultValue::Null) => return None,
        (ColumnType::Boolean, DefaultValue::Int(0)) => DefaultValue::Bool(false),
        (ColumnType::Boolean, DefaultValue::Int(1)) => DefaultValue::Bool(true),
        (ColumnType::Boolean, DefaultValue::Str(s)) => match s.to_ascii_lowercase().as_str() {
            "t" | "true" | "1" | "y" | "yes" | "on" => DefaultValue::Bool(true),
            "f" | "false" | "0" | "n" | "no" | "off" => DefaultValue::Bool(false),
            _ => DefaultValue::Str(s),
        },
        (
            ColumnType::SmallInt
            | ColumnType::Integer
            | ColumnType::BigInt
            | ColumnType::Real
            | ColumnType::Double
            | ColumnType::Decimal { .. },
            DefaultValue::Str(s),
        ) => number(&s).unwrap_or(DefaultValue::Str(s)),
        (_, DefaultValue::Float(f)) => number(&f).unwrap_or(DefaultValue::Float(f)),
        (_, v) => v,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use DefaultValue::*;

    #[test]
    fn spellings_of_the_same_default() {
        let pg = |s| parse_default(s, Backend::Postgres);
        let my = |s| parse_default(s, Backend::MySql);
        assert_eq!(pg("'x'::text"), Some(Str("x".into())));
        assert_eq!(pg("'x'::character varying"), Some(Str("x".into())));
        assert_eq!(pg("('x')"), Some(Str("x".into())));
        assert_eq!(pg("'it''s'"), Some(Str("it's".into())));
        assert_eq!(pg("now()"), Some(CurrentTimestamp));
        assert_eq!(pg("CURRENT_TIMESTAMP"), Some(CurrentTimestamp));
        assert_eq!(pg("current_timestamp(6)"), Some(CurrentTimestamp));
        assert_eq!(pg("(CURRENT_TIMESTAMP)"), Some(CurrentTimestamp));
        assert_eq!(my("current_timestamp()"), Some(CurrentTimestamp));
        assert_eq!(my("curdate()"), Some(CurrentDate));
        assert_eq!(pg("NULL"), Some(Null));
        assert_eq!(pg("NULL::character varying"), Some(Null));
        assert_eq!(pg("(0)"), Some(Int(0)));
        assert_eq!(pg("'-1'::integer"), Some(Int(-1)));
        assert_eq!(pg("'1000'::numeric"), Some(Int(1000)));
        assert_eq!(pg("-1"), Some(Int(-1)));
        assert_eq!(pg("1.50"), Some(Float("1.5".into())));
        assert_eq!(pg("0.00"), Some(Int(0)));
        assert_eq!(pg("1e3"), Some(Int(1000)));
        assert_eq!(pg("TRUE"), Some(Bool(true)));
        assert_eq!(pg(""), None);
        assert_eq!(my(r"'it\'s \\ ok'"), Some(Str(r"it's \ ok".into())));
        assert_eq!(my("'it''s'"), Some(Str("it's".into())));
        assert_eq!(my("'a\\nb'"), Some(Str("a\nb".into())));
        assert_eq!(pg(r"'it''s \ ok'::text"), Some(Str(r"it's \ ok".into())));
        assert_eq!(pg("'2020-01-01'::date"), Some(Str("2020-01-01".into())));
        assert_eq!(pg("('now'::text)::date"), Some(Expr("('now'::text)::date".into())));
        assert_eq!(pg("('1500'::numeric)::double precision"), Some(Int(1500)));

        assert_eq!(pg("lower( 'A' )"), Some(Expr("lower( 'A' )".into())));
        assert_eq!(pg("(a) + (b)"), Some(Expr("(a) + (b)".into())));
    }

    #[test]
    fn type_aware_defaults() {
        assert_eq!(default_for(&ColumnType::Boolean, Some(Int(1))), Some(Bool(true)));
        assert_eq!(default_for(&ColumnType::Boolean, Some(Str("f".into()))), Some(Bool(false)));
        assert_eq!(default_for(&ColumnType::Integer, Some(Str("-1".into()))), Some(Int(-1)));
        assert_eq!(default_for(&ColumnType::Text, Some(Null)), None);
        assert_eq!(
            default_for(&ColumnType::Decimal { precision: Some(12), scale: Some(2) }, Some(Str("0.00".into()))),
            Some(Int(0))
        );
    }
}
