//! Reads `#[table(...)]`, `#[column(...)]` and the `#[sqlx(...)]` keys we honour, and
//! checks them into an [`ast::Model`]. Every problem goes to the [`Ctxt`].

use super::ast::{self, Check, Column, ColumnType, ForeignKey, Index, Key, Model};
use super::ctxt::Ctxt;
use super::meta::{self, Item, Value};
use super::naming;
use super::types::{self, Logical, Recognised};
use super::MAX_IDENT_BYTES;
use proc_macro2::Span;
use std::collections::{BTreeMap, HashSet};
use syn::{Data, DeriveInput, Fields, Lit};

/// Parses and validates the whole input. `None` means errors were recorded.
pub fn model(cx: &Ctxt, input: &DeriveInput) -> Option<Model> {
    let fields = match &input.data {
        Data::Struct(s) => match &s.fields {
            Fields::Named(named) => named,
            Fields::Unnamed(_) => {
                cx.error_spanned_by(
                    &input.ident,
                    "#[derive(Table)] needs a struct with named fields; a tuple struct has no column names",
                );
                return None;
            }
            Fields::Unit => {
                cx.error_spanned_by(
                    &input.ident,
                    "#[derive(Table)] needs a struct with named fields; a unit struct has no columns",
                );
                return None;
            }
        },
        Data::Enum(e) => {
            cx.error_spanned_by(
                e.enum_token,
                "#[derive(Table)] works on structs with named fields, not on enums; store an enum in a column with `#[column(sql_type = \"...\")]` on a field instead",
            );
            return None;
        }
        Data::Union(u) => {
            cx.error_spanned_by(u.union_token, "#[derive(Table)] works on structs with named fields, not on unions");
            return None;
        }
    };
    if !input.generics.params.is_empty() {
        cx.error_spanned_by(
            &input.generics,
            "#[derive(Table)] does not support generic structs: a table has one fixed set of column types; write a concrete struct per table",
        );
        return None;
    }

    let table = TableAttrs::parse(cx, input);
    let rename_all = sqlx_rename_all(cx, input);

    let mut columns = Vec::new();
    let mut column_keys = ColumnLevel::default();
    let mut failed_fields = 0;
    for field in &fields.named {
        match column(cx, field, rename_all.as_deref()) {
            Field::Column(column, keys) => {
                column_keys.merge(keys, &column.name);
                columns.push(*column);
            }
            Field::Skipped => {}
            Field::Failed => failed_fields += 1,
        }
    }

    let name = table.name.clone().unwrap_or_else(|| naming::snake_case(&input.ident.to_string()));
    check_ident_len(cx, table.name_span.unwrap_or_else(|| input.ident.span()), "table name", &name);

    // Two fields, one column.
    let mut seen: BTreeMap<&str, &Column> = BTreeMap::new();
    for col in &columns {
        if let Some(first) = seen.insert(&col.name, col) {
            cx.error_at(
                col.span,
                format!(
                    "fields `{}` and `{}` both map to column `{}`; give one of them another name with #[column(name = \"...\")]",
                    first.field, col.field, col.name
                ),
            );
        }
    }
    if columns.is_empty() && failed_fields == 0 {
        cx.error_spanned_by(
            &input.ident,
            "a table needs at least one column, but every field is skipped or the struct is empty",
        );
    }

    let resolve = |cols: &[(String, Span)]| -> Vec<String> {
        cols.iter()
            .filter_map(|(field, span)| {
                match columns.iter().find(|c| &c.field == field).or_else(|| columns.iter().find(|c| &c.name == field)) {
                    Some(c) => Some(c.name.clone()),
                    None => {
                        cx.error_at(*span, format!("no field or column named `{field}` in this struct"));
                        None
                    }
                }
            })
            .collect()
    };

    // Primary key: table-level list or column flags, not both.
    let primary_key = match (&table.primary_key, column_keys.primary_key.is_empty()) {
        (Some((list, span)), false) => {
            cx.error_at(
                *span,
                "the primary key is declared twice: use either #[table(primary_key(...))] or #[column(primary_key)] on fields, not both",
            );
            Some(Key { name: table.primary_key_name.clone(), columns: resolve(list) })
        }
        (Some((list, _)), true) => Some(Key { name: table.primary_key_name.clone(), columns: resolve(list) }),
        (None, false) => Some(Key { name: table.primary_key_name.clone(), columns: column_keys.primary_key.clone() }),
        (None, true) => None,
    };
    if let (Some(pk), true) = (&primary_key, column_keys.primary_key.is_empty()) {
        // Column-level `primary_key` on an `Option` was reported on the field already.
        for col in &columns {
            if pk.columns.contains(&col.name) && col.nullable {
                cx.error_at(
                    col.span,
                    format!(
                        "column `{}` is in the primary key but its type is `Option`: primary key columns cannot be NULL; remove the `Option`",
                        col.name
                    ),
                );
            }
        }
    }
    let autos: Vec<&Column> = columns.iter().filter(|c| c.auto_increment).collect();
    if autos.len() > 1 {
        cx.error_at(autos[1].span, "only one column per table can be auto_increment");
    }

    let mut uniques: Vec<Key> = column_keys.uniques.into_iter().map(|c| Key { name: None, columns: vec![c] }).collect();
    uniques.extend(table.uniques.iter().map(|(name, cols)| Key { name: name.clone(), columns: resolve(cols) }));
    let mut indexes: Vec<Index> = column_keys
        .indexes
        .into_iter()
        .map(|c| Index { name: None, columns: vec![c], unique: false, predicate: None })
        .collect();
    indexes.extend(table.indexes.iter().map(|i| Index {
        name: i.name.clone(),
        columns: resolve(&i.columns),
        unique: i.unique,
        predicate: i.predicate.clone(),
    }));
    let mut foreign_keys = column_keys.foreign_keys;
    foreign_keys.extend(table.foreign_keys.iter().map(|f| {
        let columns_resolved = resolve(&f.columns);
        if columns_resolved.len() == f.columns.len() && f.ref_columns.len() != f.columns.len() {
            cx.error_at(
                f.span,
                format!(
                    "this foreign key has {} column(s) but references {} column(s); the two lists must have the same length",
                    f.columns.len(),
                    f.ref_columns.len()
                ),
            );
        }
        ForeignKey {
            name: f.name.clone(),
            columns: columns_resolved,
            ref_schema: f.ref_schema.clone(),
            ref_table: f.ref_table.clone(),
            ref_columns: f.ref_columns.clone(),
            on_delete: f.on_delete.clone(),
            on_update: f.on_update.clone(),
        }
    }));
    for fk in &foreign_keys {
        if fk.on_delete.as_deref() == Some("SET NULL") || fk.on_update.as_deref() == Some("SET NULL") {
            for c in columns.iter().filter(|c| fk.columns.contains(&c.name) && !c.nullable) {
                cx.error_at(
                    c.span,
                    format!(
                        "foreign key on `{}` says SET NULL but the column is NOT NULL; make the field an `Option` or choose another action",
                        c.name
                    ),
                );
            }
        }
    }
    let mut checks = column_keys.checks;
    checks.extend(table.checks.iter().cloned().map(|(name, expr)| Check { name, expr, column: None }));

    Some(Model {
        ident: input.ident.clone(),
        name,
        schema: table.schema,
        comment: table.comment,
        renamed_from: table.renamed_from,
        columns,
        primary_key,
        uniques,
        indexes,
        foreign_keys,
        checks,
    })
}

/// Field names as written in a table-level list, each with its span.
type FieldList = Vec<(String, Span)>;

/// Tracks keys already given in one attribute list, to reject duplicates.
struct Seen(HashSet<String>);

impl Seen {
    fn new() -> Self {
        Seen(HashSet::new())
    }

    /// True when the key is new; records a "duplicate" error otherwise.
    fn first(&mut self, cx: &Ctxt, item: &Item, what: &str) -> bool {
        if self.0.insert(item.name()) {
            true
        } else {
            cx.error_at(item.span(), format!("duplicate `{}` in #[{what}(...)]", item.name()));
            false
        }
    }
}

fn wrong_kind(cx: &Ctxt, item: &Item, expected: &str, example: &str) {
    cx.error_at(
        item.value_span(),
        format!("`{}` expects {expected}, like `{example}`, but found {}", item.name(), item.kind()),
    );
}

fn get_str(cx: &Ctxt, item: &Item, example: &str) -> Option<String> {
    match &item.value {
        Value::Lit(Lit::Str(s), _) => Some(s.value()),
        _ => {
            wrong_kind(cx, item, "a string", example);
            None
        }
    }
}

fn get_u32(cx: &Ctxt, item: &Item, example: &str) -> Option<u32> {
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

fn get_flag(cx: &Ctxt, item: &Item) -> bool {
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

fn get_list<'a>(cx: &Ctxt, item: &'a Item, example: &str) -> Option<&'a [Item]> {
    match &item.value {
        Value::List(items, _) => Some(items),
        _ => {
            wrong_kind(cx, item, "a list", example);
            None
        }
    }
}

fn check_ident_len(cx: &Ctxt, span: Span, what: &str, ident: &str) {
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
fn field_list(cx: &Ctxt, items: &[Item], what: &str) -> Vec<(String, Span)> {
    let mut out = Vec::new();
    for item in items {
        match item.value {
            Value::Flag => out.push((item.name(), item.span())),
            _ => cx.error_at(item.span(), format!("`{what}(...)` lists field names, like `{what}(tenant_id, email)`")),
        }
    }
    out
}

fn fk_action(cx: &Ctxt, item: &Item) -> Option<String> {
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
fn parse_reference(raw: &str) -> Option<(Option<String>, String, Vec<String>)> {
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

struct TableIndex {
    name: Option<String>,
    columns: Vec<(String, Span)>,
    unique: bool,
    predicate: Option<String>,
}

struct TableForeignKey {
    span: Span,
    name: Option<String>,
    columns: Vec<(String, Span)>,
    ref_schema: Option<String>,
    ref_table: String,
    ref_columns: Vec<String>,
    on_delete: Option<String>,
    on_update: Option<String>,
}

#[derive(Default)]
struct TableAttrs {
    name: Option<String>,
    name_span: Option<Span>,
    schema: Option<String>,
    comment: Option<String>,
    renamed_from: Vec<String>,
    primary_key: Option<(FieldList, Span)>,
    primary_key_name: Option<String>,
    uniques: Vec<(Option<String>, FieldList)>,
    indexes: Vec<TableIndex>,
    foreign_keys: Vec<TableForeignKey>,
    checks: Vec<(Option<String>, String)>,
}

impl TableAttrs {
    fn parse(cx: &Ctxt, input: &DeriveInput) -> Self {
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
                        Value::Lit(..) => out.checks.extend(get_str(cx, item, "check = \"price >= 0\"").map(|e| (None, e))),
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
                                    "expr" => expr = get_str(cx, it, "expr = \"price >= 0\""),
                                    _ => cx.error_at(it.span(), format!("unknown key `{}` in check(...); expected `expr` or `name`", it.name())),
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
                    _ => cx.error_at(
                        item.span(),
                        format!(
                            "unknown key `{key}` in #[table(...)]; expected one of: name, schema, comment, renamed_from, primary_key, unique, index, foreign_key, check"
                        ),
                    ),
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
    let mut idx = TableIndex { name: None, columns: Vec::new(), unique: false, predicate: None };
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
                    idx.predicate = get_str(cx, it, "where = \"deleted_at IS NULL\"");
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
                format!("unknown key `{}` in index(...); expected field names, `name`, `unique` or `where`", it.name()),
            ),
        }
    }
    if idx.columns.is_empty() {
        cx.error_at(item.span(), "index(...) needs at least one field");
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

fn bad_reference(cx: &Ctxt, item: &Item, raw: &str) {
    cx.error_at(
        item.value_span(),
        format!(
            "cannot read reference `{raw}`: write it as \"table(column)\", \"schema.table(column)\" or \"table(a, b)\""
        ),
    );
}

/// Column-level keys that become table-level constraints.
#[derive(Default)]
struct ColumnLevel {
    primary_key: Vec<String>,
    uniques: Vec<String>,
    indexes: Vec<String>,
    foreign_keys: Vec<ForeignKey>,
    checks: Vec<Check>,
}

impl ColumnLevel {
    fn merge(&mut self, other: ColumnLevel, _column: &str) {
        self.primary_key.extend(other.primary_key);
        self.uniques.extend(other.uniques);
        self.indexes.extend(other.indexes);
        self.foreign_keys.extend(other.foreign_keys);
        self.checks.extend(other.checks);
    }
}

/// `#[sqlx(rename_all = "...")]` on the struct.
fn sqlx_rename_all(cx: &Ctxt, input: &DeriveInput) -> Option<String> {
    let mut rule = None;
    for attr in input.attrs.iter().filter(|a| a.path().is_ident("sqlx")) {
        let Ok(items) = meta::parse_attr(attr) else {
            continue;
        };
        for item in items.iter().filter(|i| i.name() == "rename_all") {
            if let Value::Lit(Lit::Str(s), span) = &item.value {
                if naming::rename_all(&s.value(), "x").is_none() {
                    cx.error_at(*span, format!("schemasync does not know the sqlx rename rule `{}`", s.value()));
                } else {
                    rule = Some(s.value());
                }
            }
        }
    }
    rule
}

/// What `#[sqlx(...)]` on a field says that changes the column.
#[derive(Default)]
struct SqlxField {
    rename: Option<String>,
    skip: bool,
    json: bool,
    flatten: bool,
}

/// What became of one field.
enum Field {
    Column(Box<Column>, ColumnLevel),
    Skipped,
    /// An error was recorded for it.
    Failed,
}

fn sqlx_field(cx: &Ctxt, field: &syn::Field) -> SqlxField {
    let mut out = SqlxField::default();
    for attr in field.attrs.iter().filter(|a| a.path().is_ident("sqlx")) {
        let Ok(items) = meta::parse_attr(attr) else {
            continue;
        };
        for item in &items {
            match item.name().as_str() {
                "rename" => {
                    if let Value::Lit(Lit::Str(s), _) = &item.value {
                        out.rename = Some(s.value());
                    }
                }
                "skip" => out.skip = true,
                "json" => out.json = true,
                "flatten" => {
                    out.flatten = true;
                    cx.error_at(
                        item.span(),
                        "#[sqlx(flatten)] is not supported by #[derive(Table)]: list the columns in this struct, or mark the field #[column(skip)] and derive Table on the inner struct",
                    )
                }

                _ => {}
            }
        }
    }
    out
}

#[derive(Default)]
struct ColumnAttrs {
    name: Option<(String, Span)>,
    primary_key: Option<Span>,
    auto_increment: Option<Span>,
    unique: bool,
    index: bool,
    len: Option<(u32, Span)>,
    precision: Option<(u32, Span)>,
    scale: Option<(u32, Span)>,
    default: Option<ast::Default>,
    default_span: Option<Span>,
    references: Option<(Option<String>, String, Vec<String>)>,
    references_span: Option<Span>,
    on_delete: Option<(String, Span)>,
    on_update: Option<(String, Span)>,
    check: Option<String>,
    comment: Option<String>,
    renamed_from: Vec<String>,
    skip: Option<Span>,
    sql_type: Option<ColumnType>,
    others: Vec<Span>,
}

fn column_attrs(cx: &Ctxt, field: &syn::Field) -> ColumnAttrs {
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
                "auto_increment" => out.auto_increment = get_flag(cx, item).then(|| item.span()),
                "unique" => out.unique = get_flag(cx, item),
                "index" => out.index = get_flag(cx, item),
                "skip" => out.skip = get_flag(cx, item).then(|| item.span()),
                "len" => out.len = get_u32(cx, item, "len = 255").map(|v| (v, item.span())),
                "precision" => out.precision = get_u32(cx, item, "precision = 12").map(|v| (v, item.span())),
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
                        cx.error_at(item.span(), "use either `default` (a literal) or `default_sql` (an SQL expression), not both");
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
                        cx.error_at(item.span(), "use either `default` (a literal) or `default_sql` (an SQL expression), not both");
                    }
                    out.default_span = Some(item.span());
                    out.default = get_str(cx, item, "default_sql = \"CURRENT_TIMESTAMP\"").map(ast::Default::Sql)
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
                "check" => out.check = get_str(cx, item, "check = \"price >= 0\""),
                "comment" => out.comment = get_str(cx, item, "comment = \"...\""),
                "renamed_from" => out.renamed_from.extend(get_str(cx, item, "renamed_from = \"old_name\"")),
                "sql_type" => out.sql_type = sql_type(cx, item),
                _ => cx.error_at(
                    item.span(),
                    format!(
                        "unknown key `{key}` in #[column(...)]; expected one of: name, primary_key, auto_increment, unique, index, len, precision, scale, default, default_sql, references, on_delete, on_update, check, comment, renamed_from, skip, sql_type"
                    ),
                ),
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
        Value::List(list, _) => {
            let (mut any, mut postgres, mut mysql, mut sqlite) = (None, None, None, None);
            let mut seen = Seen::new();
            for it in list {
                if !seen.first(cx, it, "sql_type") {
                    continue;
                }
                let slot = match it.name().as_str() {
                    "postgres" => &mut postgres,
                    "mysql" => &mut mysql,
                    "sqlite" => &mut sqlite,
                    "default" => &mut any,
                    other => {
                        cx.error_at(it.span(), format!("unknown dialect `{other}` in sql_type(...); expected postgres, mysql, sqlite or default"));
                        continue;
                    }
                };
                *slot = get_str(cx, it, "postgres = \"inet\"");
            }
            Some(ColumnType::Custom { any, postgres, mysql, sqlite })
        }
        _ => {
            wrong_kind(cx, item, "a string or a per-dialect list", "sql_type = \"inet\"");
            None
        }
    }
}

/// Checks one field.
fn column(cx: &Ctxt, field: &syn::Field, rename_all: Option<&str>) -> Field {
    let Some(ident) = field.ident.as_ref() else {
        return Field::Failed;
    };
    let field_name = ident.to_string().trim_start_matches("r#").to_string();
    let attrs = column_attrs(cx, field);
    let sqlx = sqlx_field(cx, field);
    if let Some(span) = attrs.skip {
        if let Some(other) = attrs.others.first() {
            cx.error_at(*other, "a skipped field has no column, so it takes no other #[column] settings");
            let _ = span;
        }
        return Field::Skipped;
    }
    if sqlx.skip {
        return Field::Skipped;
    }
    if sqlx.flatten {
        return Field::Failed;
    }

    let (name, name_span) = match &attrs.name {
        Some((n, span)) => (n.clone(), *span),
        None => (
            sqlx.rename
                .clone()
                .or_else(|| rename_all.and_then(|r| naming::rename_all(r, &field_name)))
                .unwrap_or_else(|| field_name.clone()),
            ident.span(),
        ),
    };
    check_ident_len(cx, name_span, "column name", &name);

    let (nullable, inner) = types::unwrap_option(&field.ty);
    let span = ident.span();
    let recognised = if sqlx.json { Recognised::Known(Logical::Json) } else { types::recognise(inner) };
    let ty = match (attrs.sql_type, recognised) {
        (Some(custom), _) => custom,
        (None, Recognised::Known(Logical::Text)) if attrs.len.is_some() => {
            ColumnType::Varchar(attrs.len.map(|l| l.0).unwrap_or(0))
        }
        (None, Recognised::Known(Logical::Decimal)) => {
            let precision = attrs.precision.map(|p| p.0);
            let scale = attrs.scale.map(|s| s.0);
            match (precision, scale) {
                (Some(p), s) if p <= 65 && s.unwrap_or(0) <= p.min(30) => {
                    ColumnType::Decimal(Some((p as u8, s.unwrap_or(0) as u8)))
                }
                (Some(_), _) => {
                    cx.error_at(span, "decimal precision must be at most 65 and scale at most 30 and no larger than the precision (MySQL's limits)");
                    ColumnType::Decimal(None)
                }
                (None, Some(_)) => {
                    cx.error_at(span, "`scale` needs `precision` too, like `precision = 12, scale = 2`");
                    ColumnType::Decimal(None)
                }
                (None, None) => ColumnType::Decimal(None),
            }
        }
        (None, Recognised::Known(l)) => ColumnType::Logical(l),
        (None, Recognised::Rejected(reason)) => {
            cx.error_spanned_by(inner, format!("field `{field_name}`: {reason}"));
            return Field::Failed;
        }
        (None, Recognised::Unknown) => {
            cx.error_spanned_by(
                inner,
                format!(
                    "field `{field_name}`: schemasync does not know the SQL type for `{}`; add #[column(sql_type = \"...\")], or per dialect #[column(sql_type(postgres = \"...\", mysql = \"...\", sqlite = \"...\"))]",
                    quote::ToTokens::to_token_stream(inner).to_string().replace(' ', "")
                ),
            );
            return Field::Failed;
        }
    };
    let logical = match &ty {
        ColumnType::Logical(l) => Some(*l),
        ColumnType::Varchar(_) => Some(Logical::Text),
        ColumnType::Decimal(_) => Some(Logical::Decimal),
        ColumnType::Custom { .. } => None,
    };

    if let (Some((_, len_span)), false) = (attrs.len, matches!(ty, ColumnType::Varchar(_))) {
        if !matches!(ty, ColumnType::Custom { .. }) {
            cx.error_at(len_span, format!("`len` sets a varchar length, but field `{field_name}` is not a String"));
        }
    }
    if logical != Some(Logical::Decimal) && !matches!(ty, ColumnType::Custom { .. }) {
        if let Some((_, s)) = attrs.precision.iter().chain(attrs.scale.iter()).next() {
            cx.error_at(
                *s,
                format!(
                    "`precision` and `scale` apply to rust_decimal::Decimal, but field `{field_name}` is not a Decimal"
                ),
            );
        }
    }
    if let Some(auto) = attrs.auto_increment {
        if !logical.is_some_and(|l| l.is_integer()) {
            cx.error_at(
                auto,
                format!("`auto_increment` needs an integer field (i16, i32 or i64), but `{field_name}` is not one"),
            );
        }
        if nullable {
            cx.error_at(auto, format!("`auto_increment` field `{field_name}` cannot be an `Option`"));
        }
        if attrs.default.is_some() {
            cx.error_at(auto, "`auto_increment` and `default` cannot be combined: the database generates the value");
        }
    }
    if let (Some(pk), true) = (attrs.primary_key, nullable) {
        cx.error_at(pk, format!("`primary_key` on `{field_name}`, whose type is `Option`: primary key columns cannot be NULL; remove the `Option`"));
    }
    if attrs.references.is_none() {
        for (_, s) in attrs.on_delete.iter().chain(attrs.on_update.iter()) {
            cx.error_at(*s, "`on_delete` and `on_update` need `references = \"table(column)\"` on the same field");
        }
    }

    let mut keys = ColumnLevel::default();
    if attrs.primary_key.is_some() {
        keys.primary_key.push(name.clone());
    }
    if attrs.unique {
        keys.uniques.push(name.clone());
    }
    if attrs.index {
        keys.indexes.push(name.clone());
    }
    if let Some((ref_schema, ref_table, ref_columns)) = attrs.references {
        keys.foreign_keys.push(ForeignKey {
            name: None,
            columns: vec![name.clone()],
            ref_schema,
            ref_table,
            ref_columns,
            on_delete: attrs.on_delete.map(|a| a.0),
            on_update: attrs.on_update.map(|a| a.0),
        });
    }
    if let Some(expr) = attrs.check {
        keys.checks.push(Check { name: None, expr, column: Some(name.clone()) });
    }

    Field::Column(
        Box::new(Column {
            field: field_name,
            name,
            span,
            ty,
            nullable,
            auto_increment: attrs.auto_increment.is_some(),
            default: attrs.default,
            comment: attrs.comment,
            renamed_from: attrs.renamed_from,
        }),
        keys,
    )
}
