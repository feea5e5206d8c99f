//! `#[table(...)]` on the struct.

use super::{
    bad_reference, check_ident_len, field_list, fk_action, get_list, get_sql, get_str, parse_reference, wrong_kind,
    FieldList, Seen,
};
use crate::internals::ctxt::Ctxt;
use crate::internals::meta::{self, Item, Value};
use proc_macro2::Span;
use syn::DeriveInput;

pub struct TableIndex {
    pub name: Option<String>,
    pub columns: Vec<(String, Span)>,
    pub unique: bool,
    pub predicate: Option<String>,
    pub method: Option<String>,
    /// `expr = "lower(email)"`: expressions indexed after the columns.
    pub exprs: Vec<String>,
}

pub struct TableForeignKey {
    pub span: Span,
    pub name: Option<String>,
    pub columns: Vec<(String, Span)>,
    pub ref_schema: Option<String>,
    pub ref_table: String,
    pub ref_columns: Vec<String>,
    pub on_delete: Option<String>,
    pub on_update: Option<String>,
}

#[derive(Default)]
pub struct TableAttrs {
    pub name: Option<String>,
    pub name_span: Option<Span>,
    pub schema: Option<String>,
    pub comment: Option<String>,
    pub renamed_from: Vec<String>,
    pub primary_key: Option<(FieldList, Span)>,
    pub primary_key_name: Option<String>,
    pub uniques: Vec<(Option<String>, FieldList)>,
    pub indexes: Vec<TableIndex>,
    pub foreign_keys: Vec<TableForeignKey>,
    pub checks: Vec<(Option<String>, String)>,
}

impl TableAttrs {
    pub fn parse(cx: &Ctxt, input: &DeriveInput) -> Self {
        let mut out = TableAttrs::default();
        let mut seen = Seen::new();
        for attr in input.attrs.iter().filter(|a| a.path().is_ident("table")) {
            let items = match meta::parse_attr(attr) {
                Ok(items) => items,
                Err(e) => {
                    cx.syn_error(e);
                    continue;
                }
            };
            for item in &items {
                let key = item.name();
                let repeatable = matches!(key.as_str(), "unique" | "index" | "check" | "foreign_key");
                if !repeatable && !seen.first(cx, item, "table") {
                    continue;
                }
                match key.as_str() {
                    "name" => {
                        out.name = get_str(cx, item, "name = \"users\"");
                        out.name_span = Some(item.value_span());
                    }
                    "schema" => {
                        out.schema = get_str(cx, item, "schema = \"app\"");
                        if let Some(s) = &out.schema {
                            check_ident_len(cx, item.value_span(), "schema name", s);
                        }
                    }
                    "comment" => out.comment = get_str(cx, item, "comment = \"...\""),
                    "renamed_from" => out.renamed_from.extend(get_str(cx, item, "renamed_from = \"old_name\"")),
                    "primary_key" => {
                        if let Some(list) = get_list(cx, item, "primary_key(tenant_id, id)") {
                            let mut cols = Vec::new();
                            for it in list {
                                if it.name() == "name" && !matches!(it.value, Value::Flag) {
                                    out.primary_key_name = get_str(cx, it, "name = \"users_pk\"");
                                } else {
                                    cols.extend(field_list(cx, std::slice::from_ref(it), "primary_key"));
                                }
                            }
                            if cols.is_empty() {
                                cx.error_at(item.span(), "primary_key(...) needs at least one field");
                            }
                            out.primary_key = Some((cols, item.span()));
                        }
                    }
                    "unique" => {
                        if let Some(list) = get_list(cx, item, "unique(tenant_id, email)") {
                            let mut name = None;
                            let mut cols = Vec::new();
                            for it in list {
                                if it.name() == "name" && !matches!(it.value, Value::Flag) {
                                    name = get_str(cx, it, "name = \"users_email_key\"");
                                } else {
                                    cols.extend(field_list(cx, std::slice::from_ref(it), "unique"));
                                }
                            }
                            if cols.is_empty() {
                                cx.error_at(item.span(), "unique(...) needs at least one field");
                            }
                            check_opt_len(cx, item.span(), &name);
                            out.uniques.push((name, cols));
                        }
                    }
                    "index" => {
                        if let Some(idx) = parse_index(cx, item) {
                            out.indexes.push(idx);
                        }
                    }
                    "foreign_key" => {
                        if let Some(fk) = parse_table_fk(cx, item) {
                            out.foreign_keys.push(fk);
                        }
                    }
                    "check" => match &item.value {
                        Value::Lit(..) => {
                            out.checks.extend(get_sql(cx, item, "check = \"price >= 0\"").map(|e| (None, e)))
                        }
                        Value::List(list, _) => {
                            let mut name = None;
                            let mut expr = None;
                            let mut seen = Seen::new();
                            for it in list {
                                if !seen.first(cx, it, "check") {
                                    continue;
                                }
                                match it.name().as_str() {
                                    "name" => name = get_str(cx, it, "name = \"price_positive\""),
                                    "expr" => expr = get_sql(cx, it, "expr = \"price >= 0\""),
                                    _ => cx.error_at(
                                        it.span(),
                                        format!("unknown key `{}` in check(...); expected `expr` or `name`", it.name()),
                                    ),
                                }
                            }
                            check_opt_len(cx, item.span(), &name);
                            match expr {
                                Some(e) => out.checks.push((name, e)),
                                None => cx.error_at(item.span(), "check(...) needs `expr = \"...\"`"),
                            }
                        }
                        _ => wrong_kind(cx, item, "a string or a list", "check = \"price >= 0\""),
                    },
                    _ => {
                        const KEYS: &[&str] = &[
                            "name",
                            "schema",
                            "comment",
                            "renamed_from",
                            "primary_key",
                            "unique",
                            "index",
                            "foreign_key",
                            "check",
                        ];
                        cx.error_at(
                            item.span(),
                            format!(
                                "unknown key `{key}` in #[table(...)]{}; expected one of: {}",
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
}

fn check_opt_len(cx: &Ctxt, span: Span, name: &Option<String>) {
    if let Some(n) = name {
        check_ident_len(cx, span, "constraint name", n);
    }
}

fn parse_index(cx: &Ctxt, item: &Item) -> Option<TableIndex> {
    let list = get_list(cx, item, "index(created_at, name = \"...\", unique, where = \"...\")")?;
    let mut idx =
        TableIndex { name: None, columns: Vec::new(), unique: false, predicate: None, method: None, exprs: Vec::new() };
    let mut seen = Seen::new();
    for it in list {
        match (it.name().as_str(), &it.value) {
            ("name", v) if !matches!(v, Value::Flag) => {
                if seen.first(cx, it, "index") {
                    idx.name = get_str(cx, it, "name = \"orders_recent_idx\"");
                }
            }
            ("where", _) => {
                if seen.first(cx, it, "index") {
                    idx.predicate = get_sql(cx, it, "where = \"deleted_at IS NULL\"");
                }
            }
            ("expr", _) => idx.exprs.extend(get_sql(cx, it, "expr = \"lower(email)\"")),
            ("using", _) => {
                if seen.first(cx, it, "index") {
                    idx.method = get_str(cx, it, "using = \"gin\"").map(|m| m.trim().to_ascii_lowercase());
                    if let Some(m) = &idx.method {
                        const METHODS: &[&str] =
                            &["btree", "hash", "gin", "gist", "brin", "spgist", "fulltext", "spatial"];
                        if !METHODS.contains(&m.as_str()) {
                            cx.error_at(
                                it.value_span(),
                                format!("unknown index method `{m}`; use one of {}", METHODS.join(", ")),
                            );
                        }
                    }
                }
            }
            ("unique", Value::Flag) => {
                if seen.first(cx, it, "index") {
                    idx.unique = true;
                }
            }
            ("columns", Value::List(cols, _)) => idx.columns.extend(field_list(cx, cols, "columns")),
            (_, Value::Flag) => idx.columns.push((it.name(), it.span())),
            _ => cx.error_at(
                it.span(),
                format!(
                    "unknown key `{}` in index(...); expected field names, `expr`, `name`, `unique`, `where` or `using`",
                    it.name()
                ),
            ),
        }
    }
    if idx.columns.is_empty() && idx.exprs.is_empty() {
        cx.error_at(item.span(), "index(...) needs at least one field or `expr = \"...\"`");
    }
    check_opt_len(cx, item.span(), &idx.name);
    Some(idx)
}

fn parse_table_fk(cx: &Ctxt, item: &Item) -> Option<TableForeignKey> {
    let list = get_list(cx, item, "foreign_key(columns(a, b), references = \"t(x, y)\")")?;
    let mut seen = Seen::new();
    let mut fk = TableForeignKey {
        span: item.span(),
        name: None,
        columns: Vec::new(),
        ref_schema: None,
        ref_table: String::new(),
        ref_columns: Vec::new(),
        on_delete: None,
        on_update: None,
    };
    let mut has_ref = false;
    for it in list {
        if !seen.first(cx, it, "foreign_key") {
            continue;
        }
        match it.name().as_str() {
            "columns" => {
                if let Some(cols) = get_list(cx, it, "columns(a, b)") {
                    fk.columns = field_list(cx, cols, "columns");
                }
            }
            "references" => {
                if let Some(raw) = get_str(cx, it, "references = \"orders(id)\"") {
                    match parse_reference(&raw) {
                        Some((schema, table, cols)) => {
                            has_ref = true;
                            fk.ref_schema = schema;
                            fk.ref_table = table;
                            fk.ref_columns = cols;
                        }
                        None => bad_reference(cx, it, &raw),
                    }
                }
            }
            "on_delete" => fk.on_delete = fk_action(cx, it),
            "on_update" => fk.on_update = fk_action(cx, it),
            "name" => fk.name = get_str(cx, it, "name = \"orders_customer_fkey\""),
            other => cx.error_at(
                it.span(),
                format!("unknown key `{other}` in foreign_key(...); expected columns, references, on_delete, on_update or name"),
            ),
        }
    }
    if fk.columns.is_empty() {
        cx.error_at(item.span(), "foreign_key(...) needs `columns(...)`");
    }
    if !has_ref {
        cx.error_at(item.span(), "foreign_key(...) needs `references = \"table(column, ...)\"`");
        return None;
    }
    check_opt_len(cx, item.span(), &fk.name);
    Some(fk)
}
