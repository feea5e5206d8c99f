//! Reading attributes: `#[table(...)]` (table.rs), `#[column(...)]` (column.rs) and the
//! `#[sqlx(...)]` keys schemasync honours (sqlx.rs), with the helpers they share. Every
//! problem goes to the [`Ctxt`]; checks across attributes are in `check`.

mod column;
mod sqlx;
mod table;

pub use column::column_attrs;
pub use sqlx::{sqlx_field, sqlx_rename_all};
pub use table::TableAttrs;

use super::ctxt::Ctxt;
use super::meta::{Item, Value};
use super::MAX_IDENT_BYTES;
use proc_macro2::Span;
use std::collections::HashSet;
use syn::Lit;

/// Field names as written in a table-level list, each with its span.
pub type FieldList = Vec<(String, Span)>;

/// Tracks keys already given in one attribute list, to reject duplicates.
pub struct Seen(HashSet<String>);

impl Seen {
    pub fn new() -> Self {
        Seen(HashSet::new())
    }

    /// True when the key is new; records a "duplicate" error otherwise.
    pub fn first(&mut self, cx: &Ctxt, item: &Item, what: &str) -> bool {
        if self.0.insert(item.name()) {
            true
        } else {
            cx.error_at(item.span(), format!("duplicate `{}` in #[{what}(...)]", item.name()));
            false
        }
    }
}

pub fn wrong_kind(cx: &Ctxt, item: &Item, expected: &str, example: &str) {
    cx.error_at(
        item.value_span(),
        format!("`{}` expects {expected}, like `{example}`, but found {}", item.name(), item.kind()),
    );
}

pub fn get_str(cx: &Ctxt, item: &Item, example: &str) -> Option<String> {
    match &item.value {
        Value::Lit(Lit::Str(s), _) => Some(s.value()),
        _ => {
            wrong_kind(cx, item, "a string", example);
            None
        }
    }
}

/// A string holding an SQL expression (`check`, `where`, `default_sql`): it is put into
/// DDL as written, so a statement separator or an unbalanced parenthesis outside string
/// literals, quoted names and comments is refused; it could end the statement early.
pub fn get_sql(cx: &Ctxt, item: &Item, example: &str) -> Option<String> {
    let sql = get_str(cx, item, example)?;
    match sql_fragment_problem(&sql) {
        Some(problem) => {
            cx.error_at(item.value_span(), format!("`{}` must be one SQL expression, but {problem}", item.name()));
            None
        }
        None => Some(sql),
    }
}

/// Why `sql` is not one expression: a `;` or an unbalanced parenthesis outside quotes
/// and comments, or an unterminated quote or comment.
pub fn sql_fragment_problem(sql: &str) -> Option<String> {
    let mut depth = 0i32;
    let mut chars = sql.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\'' | '"' | '`' => {
                let mut closed = false;
                // Quotes inside are doubled (`'it''s'`), as standard SQL writes them.
                while let Some(d) = chars.next() {
                    if d == c {
                        if chars.peek() == Some(&c) {
                            chars.next();
                        } else {
                            closed = true;
                            break;
                        }
                    }
                }
                if !closed {
                    return Some(format!("it has an unterminated {c}quote"));
                }
            }
            '-' if chars.peek() == Some(&'-') => {
                return Some("it has a `--` comment, which would hide the rest of the statement".into())
            }
            '/' if chars.peek() == Some(&'*') => return Some("it has a `/*` comment".into()),
            '(' => depth += 1,
            ')' => {
                depth -= 1;
                if depth < 0 {
                    return Some("it closes a parenthesis it did not open".into());
                }
            }
            ';' => return Some("it has a `;`, which would end the statement".into()),
            _ => {}
        }
    }
    (depth != 0).then(|| "it leaves a parenthesis open".to_string())
}

pub fn get_u32(cx: &Ctxt, item: &Item, example: &str) -> Option<u32> {
    match &item.value {
        Value::Lit(Lit::Int(i), span) => match i.base10_parse::<u32>() {
            Ok(v) if v > 0 => Some(v),
            _ => {
                cx.error_at(*span, format!("`{}` must be a positive whole number", item.name()));
                None
            }
        },
        _ => {
            wrong_kind(cx, item, "a positive whole number", example);
            None
        }
    }
}

pub fn get_flag(cx: &Ctxt, item: &Item) -> bool {
    match &item.value {
        Value::Flag => true,
        _ => {
            cx.error_at(
                item.value_span(),
                format!("`{0}` is a flag and takes no value: write just `{0}`", item.name()),
            );
            false
        }
    }
}

pub fn get_list<'a>(cx: &Ctxt, item: &'a Item, example: &str) -> Option<&'a [Item]> {
    match &item.value {
        Value::List(items, _) => Some(items),
        _ => {
            wrong_kind(cx, item, "a list", example);
            None
        }
    }
}

pub fn check_ident_len(cx: &Ctxt, span: Span, what: &str, ident: &str) {
    if ident.is_empty() {
        cx.error_at(span, format!("the {what} must not be empty"));
    } else if ident.len() > MAX_IDENT_BYTES {
        cx.error_at(
            span,
            format!(
                "the {what} `{ident}` is {} bytes long; PostgreSQL allows at most {MAX_IDENT_BYTES} (MySQL 64), so it would be cut short and never match; choose a shorter name",
                ident.len()
            ),
        );
    }
}

/// A list of field names, each with its span.
pub fn field_list(cx: &Ctxt, items: &[Item], what: &str) -> Vec<(String, Span)> {
    let mut out = Vec::new();
    for item in items {
        match item.value {
            Value::Flag => out.push((item.name(), item.span())),
            _ => cx.error_at(item.span(), format!("`{what}(...)` lists field names, like `{what}(tenant_id, email)`")),
        }
    }
    out
}

pub fn fk_action(cx: &Ctxt, item: &Item) -> Option<String> {
    let raw = get_str(cx, item, "on_delete = \"cascade\"")?;
    let norm = raw.trim().to_ascii_uppercase().replace('_', " ");
    let norm = norm.split_whitespace().collect::<Vec<_>>().join(" ");
    match norm.as_str() {
        "CASCADE" | "RESTRICT" | "SET NULL" | "SET DEFAULT" | "NO ACTION" => Some(norm),
        _ => {
            cx.error_at(
                item.value_span(),
                format!("unknown foreign key action `{raw}`; use one of \"cascade\", \"restrict\", \"set null\", \"set default\", \"no action\""),
            );
            None
        }
    }
}

/// Parses `"table(col)"`, `"schema.table(a, b)"`.
pub fn parse_reference(raw: &str) -> Option<(Option<String>, String, Vec<String>)> {
    let raw = raw.trim();
    let open = raw.find('(')?;
    let inner = raw.strip_suffix(')')?.get(open + 1..)?;
    let target = raw[..open].trim();
    let (schema, table) = match target.split_once('.') {
        Some((s, t)) => (Some(s.trim().to_string()), t.trim().to_string()),
        None => (None, target.to_string()),
    };
    let cols: Vec<String> = inner.split(',').map(|c| c.trim().to_string()).collect();
    let valid = |s: &str| !s.is_empty() && !s.contains(|c: char| c.is_whitespace() || "()\"'`".contains(c));
    if !valid(&table) || cols.iter().any(|c| !valid(c)) || schema.as_deref().is_some_and(|s| !valid(s)) {
        return None;
    }
    Some((schema, table, cols))
}

pub fn bad_reference(cx: &Ctxt, item: &Item, raw: &str) {
    cx.error_at(
        item.value_span(),
        format!(
            "cannot read reference `{raw}`: write it as \"table(column)\", \"schema.table(column)\" or \"table(a, b)\""
        ),
    );
}

/// ` (did you mean `auto_increment`?)` when `key` is a near miss of one of `valid`.
pub fn did_you_mean(key: &str, valid: &[&str]) -> String {
    valid
        .iter()
        .map(|v| (strsim::jaro_winkler(key, v), v))
        .filter(|(score, _)| *score > 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, v)| format!(" (did you mean `{v}`?)"))
        .unwrap_or_default()
}
