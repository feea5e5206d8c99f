//! Normalisation, so that equal means equal: one spelling for each default value.
//!
//! Both sides of a diff go through here: the models' `default_sql` and whatever a
//! catalog returns (`'x'::text`, `now()`, `(0)`, `CURRENT_TIMESTAMP(6)`, `NULL`...).

use super::{ColumnType, DefaultValue};

/// Reads a default expression as written in DDL or returned by a catalog.
/// `None` means "no default" (an empty expression).
pub fn parse_default(sql: &str) -> Option<DefaultValue> {
    parse_default_with(sql, false)
}

/// [`parse_default`] where `\` escapes inside string literals (MySQL/MariaDB).
pub fn parse_default_with(sql: &str, backslash_escapes: bool) -> Option<DefaultValue> {
    let mut s = sql.trim();
    if s.is_empty() {
        return None;
    }
    loop {
        let before = s;
        s = strip_outer_parens(s).trim();
        s = strip_trailing_cast(s).trim();
        if s == before {
            break;
        }
    }
    Some(classify(s, backslash_escapes))
}

fn classify(s: &str, backslash_escapes: bool) -> DefaultValue {
    let lower = s.to_ascii_lowercase();
    match lower.as_str() {
        "null" => return DefaultValue::Null,
        "true" => return DefaultValue::Bool(true),
        "false" => return DefaultValue::Bool(false),
        "now()"
        | "current_timestamp"
        | "current_timestamp()"
        | "transaction_timestamp()"
        | "localtimestamp"
        | "localtimestamp()" => return DefaultValue::CurrentTimestamp,
        "current_date" | "current_date()" | "curdate()" => return DefaultValue::CurrentDate,
        "current_time" | "current_time()" | "curtime()" | "localtime" => return DefaultValue::CurrentTime,
        _ => {}
    }
    if let Some(inner) = lower.strip_prefix("current_timestamp(").and_then(|r| r.strip_suffix(')')) {
        if inner.chars().all(|c| c.is_ascii_digit()) {
            return DefaultValue::CurrentTimestamp;
        }
    }
    if let Some(inner) = lower.strip_prefix("now(").and_then(|r| r.strip_suffix(')')) {
        if inner.chars().all(|c| c.is_ascii_digit()) {
            return DefaultValue::CurrentTimestamp;
        }
    }
    if let Some(v) = number(s) {
        return v;
    }
    if let Some(text) = quoted_string(s, backslash_escapes) {
        return DefaultValue::Str(text);
    }
    DefaultValue::Expr(s.to_string())
}

/// A number literal in canonical form: integers as `Int`, others without trailing zeros.
pub fn number(s: &str) -> Option<DefaultValue> {
    let s = s.trim();
    let (neg, digits) = match s.strip_prefix('-') {
        Some(rest) => (true, rest.trim()),
        None => (false, s.strip_prefix('+').unwrap_or(s)),
    };
    if digits.is_empty() || !digits.chars().all(|c| c.is_ascii_digit() || c == '.') || digits.matches('.').count() > 1 {
        return None;
    }
    if digits == "." {
        return None;
    }
    let (int_part, frac) = digits.split_once('.').unwrap_or((digits, ""));
    let frac = frac.trim_end_matches('0');
    let int_part = int_part.trim_start_matches('0');
    let int_part = if int_part.is_empty() { "0" } else { int_part };
    if frac.is_empty() {
        let text = if neg && int_part != "0" { format!("-{int_part}") } else { int_part.to_string() };
        return match text.parse::<i64>() {
            Ok(v) => Some(DefaultValue::Int(v)),
            Err(_) => Some(DefaultValue::Float(text)),
        };
    }
    Some(DefaultValue::Float(format!("{}{int_part}.{frac}", if neg { "-" } else { "" })))
}

/// `'it''s'` -> `it's`. Also reads `E'...'` and `N'...'` prefixes.
fn quoted_string(s: &str, backslash_escapes: bool) -> Option<String> {
    let s = s.strip_prefix(['E', 'e', 'N', 'n']).filter(|r| r.starts_with('\'')).unwrap_or(s);
    let inner = s.strip_prefix('\'')?.strip_suffix('\'')?;
    let mut out = String::with_capacity(inner.len());
    let mut chars = inner.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\\' && backslash_escapes {
            match chars.next()? {
                'n' => out.push('\n'),
                't' => out.push('\t'),
                'r' => out.push('\r'),
                '0' => out.push('\0'),
                other => out.push(other),
            }
            continue;
        }
        if c == '\'' {
            // Inside, a quote must be doubled; a lone one means this is not one literal.
            if chars.next() != Some('\'') {
                return None;
            }
        }
        out.push(c);
    }
    Some(out)
}

/// Removes one pair of parentheses wrapping the whole expression.
fn strip_outer_parens(s: &str) -> &str {
    let Some(inner) = s.strip_prefix('(').and_then(|r| r.strip_suffix(')')) else {
        return s;
    };
    // Only when the first '(' closes at the very end: "(a) + (b)" is left alone.
    let mut depth = 0i32;
    let mut in_quote = false;
    for c in inner.chars() {
        match c {
            '\'' => in_quote = !in_quote,
            '(' if !in_quote => depth += 1,
            ')' if !in_quote => {
                depth -= 1;
                if depth < 0 {
                    return s;
                }
            }
            _ => {}
        }
    }
    if depth == 0 {
        inner
    } else {
        s
    }
}

/// Removes a PostgreSQL `::type` cast at the end, outside quotes: `'x'::text` -> `'x'`.
fn strip_trailing_cast(s: &str) -> &str {
    let mut in_quote = false;
    let mut depth = 0i32;
    let mut last_cast = None;
    let bytes = s.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'\'' => in_quote = !in_quote,
            b'(' if !in_quote => depth += 1,
            b')' if !in_quote => depth -= 1,
            b':' if !in_quote && depth == 0 && bytes.get(i + 1) == Some(&b':') => {
                last_cast = Some(i);
                i += 1;
            }
            _ => {}
        }
        i += 1;
    }
    match last_cast {
        Some(at) => {
            let ty = &s[at + 2..];
            let type_like = !ty.is_empty() && ty.chars().all(|c| c.is_ascii_alphanumeric() || " _()[],\"".contains(c));
            if type_like {
                &s[..at]
            } else {
                s
            }
        }
        None => s,
    }
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
        out.extend(c.to_lowercase());
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
        assert_eq!(parse_default("'x'::text"), Some(Str("x".into())));
        assert_eq!(parse_default("'x'::character varying"), Some(Str("x".into())));
        assert_eq!(parse_default("('x')"), Some(Str("x".into())));
        assert_eq!(parse_default("'it''s'"), Some(Str("it's".into())));
        assert_eq!(parse_default("now()"), Some(CurrentTimestamp));
        assert_eq!(parse_default("CURRENT_TIMESTAMP"), Some(CurrentTimestamp));
        assert_eq!(parse_default("current_timestamp(6)"), Some(CurrentTimestamp));
        assert_eq!(parse_default("(CURRENT_TIMESTAMP)"), Some(CurrentTimestamp));
        assert_eq!(parse_default("NULL"), Some(Null));
        assert_eq!(parse_default("NULL::character varying"), Some(Null));
        assert_eq!(parse_default("(0)"), Some(Int(0)));
        assert_eq!(parse_default("'-1'::integer"), Some(Str("-1".into())));
        assert_eq!(parse_default("-1"), Some(Int(-1)));
        assert_eq!(parse_default("1.50"), Some(Float("1.5".into())));
        assert_eq!(parse_default("0.00"), Some(Int(0)));
        assert_eq!(parse_default("TRUE"), Some(Bool(true)));
        assert_eq!(parse_default(""), None);
        assert_eq!(parse_default_with(r"'it\'s \\ ok'", true), Some(Str(r"it's \ ok".into())));
        assert_eq!(parse_default(r"'it''s \ ok'::text"), Some(Str(r"it's \ ok".into())));

        assert_eq!(parse_default("lower( 'A' )"), Some(Expr("lower( 'A' )".into())));
        assert_eq!(parse_default("(a) + (b)"), Some(Expr("(a) + (b)".into())));
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
