//! `#[column(...)]` on a field.

use super::{bad_reference, fk_action, get_flag, get_sql, get_str, get_u32, parse_reference, wrong_kind, Seen};
use crate::internals::ast::{self, ColumnType};
use crate::internals::ctxt::Ctxt;
use crate::internals::meta::{self, Item, Value};
use proc_macro2::Span;
use syn::Lit;

#[derive(Default)]
pub struct ColumnAttrs {
    pub name: Option<(String, Span)>,
    pub primary_key: Option<Span>,
    pub auto_increment: Option<Span>,
    pub identity_always: bool,
    pub unique: bool,
    pub index: bool,
    pub len: Option<(u32, Span)>,
    pub precision: Option<(u32, Span)>,
    pub scale: Option<(u32, Span)>,
    pub default: Option<ast::Default>,
    pub default_span: Option<Span>,
    pub references: Option<(Option<String>, String, Vec<String>)>,
    pub references_span: Option<Span>,
    pub on_delete: Option<(String, Span)>,
    pub on_update: Option<(String, Span)>,
    pub check: Option<String>,
    pub comment: Option<String>,
    pub renamed_from: Vec<String>,
    pub skip: Option<Span>,
    pub sql_type: Option<ColumnType>,
    pub generated: Option<(String, Span)>,
    pub stored: Option<Span>,
    pub others: Vec<Span>,
}

pub fn column_attrs(cx: &Ctxt, field: &syn::Field) -> ColumnAttrs {
    let mut out = ColumnAttrs::default();
    let mut seen = Seen::new();
    for attr in field.attrs.iter().filter(|a| a.path().is_ident("column")) {
        let items = match meta::parse_attr(attr) {
            Ok(items) => items,
            Err(e) => {
                cx.syn_error(e);
                continue;
            }
        };
        for item in &items {
            if !seen.first(cx, item, "column") {
                continue;
            }
            let key = item.name();
            if key != "skip" {
                out.others.push(item.span());
            }
            match key.as_str() {
                "name" => out.name = get_str(cx, item, "name = \"email_address\"").map(|n| (n, item.value_span())),
                "primary_key" => out.primary_key = get_flag(cx, item).then(|| item.span()),
                "auto_increment" => {
                    // A bare flag, or the identity kind: `auto_increment = "always"`.
                    out.auto_increment = match &item.value {
                        Value::Flag => Some(item.span()),
                        Value::Lit(Lit::Str(s), span) => {
                            match s.value().trim().to_ascii_lowercase().replace('_', " ").as_str() {
                                "always" => {
                                    out.identity_always = true;
                                    Some(item.span())
                                }
                                "by default" => Some(item.span()),
                                other => {
                                    cx.error_at(*span, format!("unknown identity kind `{other}`; use `auto_increment` (by default) or `auto_increment = \"always\"`"));
                                    None
                                }
                            }
                        }
                        _ => {
                            wrong_kind(cx, item, "a flag or a string", "auto_increment = \"always\"");
                            None
                        }
                    }
                }
                "unique" => out.unique = get_flag(cx, item),
                "index" => out.index = get_flag(cx, item),
                "skip" => out.skip = get_flag(cx, item).then(|| item.span()),
                "len" => out.len = get_u32(cx, item, "len = 255").map(|v| (v, item.span())),
                "precision" => {
                    out.precision = match &item.value {
                        Value::Lit(Lit::Int(i), _) => i.base10_parse::<u32>().ok().map(|v| (v, item.span())),
                        _ => {
                            wrong_kind(cx, item, "a whole number", "precision = 12");
                            None
                        }
                    }
                }
                "scale" => {
                    out.scale = match &item.value {
                        Value::Lit(Lit::Int(i), _) => i.base10_parse::<u32>().ok().map(|v| (v, item.span())),
                        _ => {
                            wrong_kind(cx, item, "a whole number", "scale = 2");
                            None
                        }
                    }
                }
                "default" => {
                    if out.default.is_some() {
                        cx.error_at(
                            item.span(),
                            "use either `default` (a literal) or `default_sql` (an SQL expression), not both",
                        );
                    }
                    out.default_span = Some(item.span());
                    out.default = match &item.value {
                        Value::Lit(Lit::Int(i), span) => match i.base10_parse::<i64>() {
                            Ok(v) => Some(ast::Default::Int(v)),
                            Err(_) => {
                                cx.error_at(*span, "this default does not fit in a 64-bit integer");
                                None
                            }
                        },
                        Value::Lit(Lit::Float(f), _) => Some(ast::Default::Float(f.base10_digits().to_string())),
                        Value::Lit(Lit::Bool(b), _) => Some(ast::Default::Bool(b.value)),
                        Value::Lit(Lit::Str(s), _) => Some(ast::Default::Str(s.value())),
                        _ => {
                            cx.error_at(
                                item.value_span(),
                                format!(
                                    "`default` expects a literal number, string or bool, like `default = 0`, but found {}; for an SQL expression use `default_sql = \"...\"`",
                                    item.kind()
                                ),
                            );
                            None
                        }
                    }
                }
                "default_sql" => {
                    if out.default.is_some() {
                        cx.error_at(
                            item.span(),
                            "use either `default` (a literal) or `default_sql` (an SQL expression), not both",
                        );
                    }
                    out.default_span = Some(item.span());
                    out.default = match &item.value {
                        Value::List(..) => {
                            per_dialect(cx, item, "default_sql", "postgres = \"gen_random_uuid()\"", get_sql).map(
                                |(any, postgres, mysql, sqlite)| ast::Default::SqlPer { any, postgres, mysql, sqlite },
                            )
                        }
                        _ => get_sql(cx, item, "default_sql = \"CURRENT_TIMESTAMP\"").map(ast::Default::Sql),
                    }
                }
                "references" => {
                    out.references_span = Some(item.span());
                    if let Some(raw) = get_str(cx, item, "references = \"users(id)\"") {
                        match parse_reference(&raw) {
                            Some(r) if r.2.len() == 1 => out.references = Some(r),
                            Some(_) => cx.error_at(
                                item.value_span(),
                                "a column can reference one column; for a composite foreign key use #[table(foreign_key(columns(a, b), references = \"t(x, y)\"))]",
                            ),
                            None => bad_reference(cx, item, &raw),
                        }
                    }
                }
                "on_delete" => out.on_delete = fk_action(cx, item).map(|a| (a, item.span())),
                "on_update" => out.on_update = fk_action(cx, item).map(|a| (a, item.span())),
                "check" => out.check = get_sql(cx, item, "check = \"price >= 0\""),
                "comment" => out.comment = get_str(cx, item, "comment = \"...\""),
                "renamed_from" => out.renamed_from.extend(get_str(cx, item, "renamed_from = \"old_name\"")),
                "sql_type" => out.sql_type = sql_type(cx, item),
                "generated" => {
                    out.generated = get_sql(cx, item, "generated = \"price * qty\"").map(|g| (g, item.span()))
                }
                "stored" => out.stored = get_flag(cx, item).then(|| item.span()),
                _ => {
                    const KEYS: &[&str] = &[
                        "name",
                        "primary_key",
                        "auto_increment",
                        "unique",
                        "index",
                        "len",
                        "precision",
                        "scale",
                        "default",
                        "default_sql",
                        "references",
                        "on_delete",
                        "on_update",
                        "check",
                        "comment",
                        "renamed_from",
                        "skip",
                        "sql_type",
                        "generated",
                        "stored",
                    ];
                    cx.error_at(
                        item.span(),
                        format!(
                            "unknown key `{key}` in #[column(...)]{}; expected one of: {}",
                            super::did_you_mean(&key, KEYS),
                            KEYS.join(", ")
                        ),
                    )
                }
            }
        }
    }
    out
}

fn sql_type(cx: &Ctxt, item: &Item) -> Option<ColumnType> {
    match &item.value {
        Value::Lit(Lit::Str(s), _) => {
            Some(ColumnType::Custom { any: Some(s.value()), postgres: None, mysql: None, sqlite: None })
        }
        Value::List(..) => per_dialect(cx, item, "sql_type", "postgres = \"inet\"", get_str)
            .map(|(any, postgres, mysql, sqlite)| ColumnType::Custom { any, postgres, mysql, sqlite }),
        _ => {
            wrong_kind(cx, item, "a string or a per-dialect list", "sql_type = \"inet\"");
            None
        }
    }
}

/// One value per dialect: `key(postgres = "...", mysql = "...", sqlite = "...",
/// default = "...")`, each read with `get`: `(default, postgres, mysql, sqlite)`.
type PerDialect = (Option<String>, Option<String>, Option<String>, Option<String>);

fn per_dialect(
    cx: &Ctxt,
    item: &Item,
    key: &str,
    example: &str,
    get: fn(&Ctxt, &Item, &str) -> Option<String>,
) -> Option<PerDialect> {
    let Value::List(list, _) = &item.value else { return None };
    let (mut any, mut postgres, mut mysql, mut sqlite) = (None, None, None, None);
    let mut seen = Seen::new();
    for it in list {
        if !seen.first(cx, it, key) {
            continue;
        }
        let slot = match it.name().as_str() {
            "postgres" => &mut postgres,
            "mysql" => &mut mysql,
            "sqlite" => &mut sqlite,
            "default" => &mut any,
            other => {
                cx.error_at(
                    it.span(),
                    format!("unknown dialect `{other}` in {key}(...); expected postgres, mysql, sqlite or default"),
                );
                continue;
            }
        };
        *slot = get(cx, it, example);
    }
    Some((any, postgres, mysql, sqlite))
}
