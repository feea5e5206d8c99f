//! Checks: the attributes of the struct and its fields, read by `attr`, checked
//! against each other and against the field types into an [`ast::Model`].

use super::ast::{Check, Column, ColumnType, ForeignKey, Index, Key, Model};
use super::attr::{check_ident_len, column_attrs, sqlx_field, sqlx_rename_all, TableAttrs};
use super::ctxt::Ctxt;
use super::naming;
use super::types::{self, Logical, Recognised};
use proc_macro2::Span;
use std::collections::BTreeMap;
use syn::{Data, DeriveInput, Fields};

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
    // Fields whose type was refused: already reported, so keys that name them are not
    // reported again as naming nothing.
    let mut failed: Vec<String> = Vec::new();
    for field in &fields.named {
        match column(cx, field, rename_all.as_deref()) {
            Field::Column(column, keys) => {
                column_keys.merge(keys, &column.name);
                columns.push(*column);
            }
            Field::Skipped => {}
            Field::Failed => failed.extend(field.ident.as_ref().map(|i| i.to_string())),
        }
    }
    let failed_fields = failed.len();

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
                    None if failed.contains(field) => None,
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
        .map(|c| Index {
            name: None,
            columns: vec![c],
            unique: false,
            predicate: None,
            method: None,
            exprs: Vec::new(),
        })
        .collect();
    indexes.extend(table.indexes.iter().map(|i| Index {
        name: i.name.clone(),
        columns: resolve(&i.columns),
        unique: i.unique,
        predicate: i.predicate.clone(),
        method: i.method.clone(),
        exprs: i.exprs.clone(),
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

/// What became of one field.
enum Field {
    Column(Box<Column>, ColumnLevel),
    Skipped,
    /// An error was recorded for it.
    Failed,
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
        (None, Recognised::Known(l)) => ColumnType::Logical(l),
        (None, Recognised::Rejected(reason)) => {
            cx.error_spanned_by(inner, format!("field `{field_name}`: {reason}"));
            return Field::Failed;
        }
        (None, Recognised::Unknown) => {
            let small = |v: Option<(u32, proc_macro2::Span)>, what: &str| match v {
                Some((n, _)) if n <= u32::from(u8::MAX) => Some(n as u8),
                Some((_, s)) => {
                    cx.error_at(s, format!("`{what}` is at most 255"));
                    None
                }
                None => None,
            };
            ColumnType::Trait {
                ty: Box::new(inner.clone()),
                len: attrs.len.map(|l| l.0),
                precision: small(attrs.precision, "precision"),
                scale: small(attrs.scale, "scale"),
            }
        }
    };
    let known = |l: Logical| {
        matches!(&ty, ColumnType::Logical(x) if *x == l) || matches!(&ty, ColumnType::Varchar(_)) && l == Logical::Text
    };
    let primitive = matches!(ty, ColumnType::Logical(_) | ColumnType::Varchar(_));

    if let (Some((_, len_span)), true, false) = (attrs.len, primitive, known(Logical::Text)) {
        cx.error_at(len_span, format!("`len` sets a varchar length, but field `{field_name}` is not a String"));
    }
    if primitive {
        if let Some((_, s)) = attrs.precision.iter().chain(attrs.scale.iter()).next() {
            cx.error_at(
                *s,
                format!(
                    "`precision` applies to rust_decimal::Decimal and to times, `scale` to Decimal; field `{field_name}` is neither"
                ),
            );
        }
    }
    if let Some(auto) = attrs.auto_increment {
        // An integer field may have a `sql_type` of its own (`int unsigned`); a type
        // resolved through SqlType is checked when its definition is evaluated.
        let rust_integer = matches!(types::recognise(inner), Recognised::Known(l) if l.is_integer());
        let integer = match &ty {
            ColumnType::Logical(l) => l.is_integer(),
            ColumnType::Trait { .. } => true,
            _ => rust_integer,
        };
        if !integer {
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
    if let Some((_, span)) = &attrs.generated {
        let clash = [
            (attrs.default.is_some(), "`default`"),
            (attrs.auto_increment.is_some(), "`auto_increment`"),
            (attrs.primary_key.is_some(), "`primary_key`"),
        ];
        for (_, what) in clash.iter().filter(|(on, _)| *on) {
            cx.error_at(*span, format!("a generated column is computed by the database; it cannot also have {what}"));
        }
    } else if let Some(span) = attrs.stored {
        cx.error_at(span, "`stored` goes with `generated = \"...\"`");
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
            identity_always: attrs.identity_always,
            default: attrs.default,
            comment: attrs.comment,
            renamed_from: attrs.renamed_from,
            generated: attrs.generated.map(|(g, _)| (g, attrs.stored.is_some())),
        }),
        keys,
    )
}
