//! Models -> desired [`Schema`] for one backend: names chosen, custom types resolved,
//! defaults normalised, references checked, tables put in dependency order.

use super::{DefaultDef, TableDef, TypeDef};
use crate::dialect::Backend;
use crate::error::{Error, Result};
use crate::schema::normalize::{default_for, parse_default};
use crate::schema::{
    naming, Check, Column, ColumnType, DefaultValue, EnumType, ForeignKey, Index, IndexPart, PrimaryKey, Schema, Table,
    Unique,
};
use std::collections::{BTreeMap, HashMap};

/// Builds the desired schema of `defs` as `backend` will hold it.
///
/// Fails on two models with one table name, on a reference to a table or column no
/// model declares, and on a `sql_type` that has no type for `backend`.
pub fn build(defs: &[&'static TableDef], backend: Backend) -> Result<Schema> {
    let mut by_name: BTreeMap<(Option<&str>, &str), &TableDef> = BTreeMap::new();
    for def in defs {
        if let Some(first) = by_name.insert((def.schema, def.name), def) {
            if std::ptr::eq(first, *def) {
                continue;
            }
            return Err(Error::DuplicateTable {
                table: display(def.schema, def.name),
                first: first.rust_path(),
                second: def.rust_path(),
            });
        }
    }
    let mut tables = Vec::with_capacity(by_name.len());
    let d = crate::dialect::dialect(backend);
    let mut seen = Fragments::default();
    for def in by_name.values() {
        let t = table(def, backend, &mut seen)?;
        d.check_table(&t)?;
        tables.push(t);
    }
    let index: HashMap<(Option<&str>, &str), &Table> =
        tables.iter().map(|t| ((t.schema.as_deref(), t.name.as_str()), t)).collect();
    for (def, t) in by_name.values().zip(&tables) {
        check_references(def, t, &index)?;
    }
    let order = crate::schema::order::dependency_order(&tables);
    let mut slots: Vec<Option<Table>> = tables.into_iter().map(Some).collect();
    Ok(Schema {
        tables: order.tables.iter().filter_map(|&i| slots[i].take()).collect(),
        enums: enum_types(by_name.values().copied())?,
    })
}

/// The enum types the models' columns use, once each; two enums of one name with
/// different labels are an error.
fn enum_types<'a>(defs: impl Iterator<Item = &'a TableDef>) -> Result<Vec<EnumType>> {
    let mut out: Vec<(EnumType, &'static str)> = Vec::new();
    for def in defs {
        for c in def.columns {
            let mut ty = &c.ty;
            while let TypeDef::Array(of) = ty {
                ty = of;
            }
            let TypeDef::Enum(e) = ty else { continue };
            if e.as_text {
                continue;
            }
            let (schema, name) = pg_type_name(e.name);
            let found = EnumType {
                schema,
                name,
                labels: e.labels.iter().map(|l| l.to_string()).collect(),
                renamed: e.renamed.iter().map(|(a, b)| (a.to_string(), b.to_string())).collect(),
            };
            match out.iter().find(|(t, _)| t.schema == found.schema && t.name == found.name) {
                Some((t, _)) if t.labels == found.labels => {}
                Some((t, rust)) => {
                    return Err(Error::InvalidModel {
                        model: def.rust_path(),
                        table: def.name.to_string(),
                        message: format!(
                            "enums {rust} and {} are both stored as the type `{}`, with different labels ({} and {}); give one of them another #[sqlx(type_name = \"...\")]",
                            e.rust_type,
                            t.display_name(),
                            t.labels.join(", "),
                            found.labels.join(", ")
                        ),
                    })
                }
                None => out.push((found, e.rust_type)),
            }
        }
    }
    Ok(out.into_iter().map(|(t, _)| t).collect())
}

/// A type name as PostgreSQL reads it (sqlx looks an enum up by `$1::regtype`): an
/// unquoted part is folded to lower case, a `"quoted"` one is kept; `schema.name`.
pub(crate) fn pg_type_name(raw: &str) -> (Option<String>, String) {
    let mut parts = Vec::new();
    let mut part = String::new();
    let mut quoted = false;
    let mut chars = raw.trim().chars().peekable();
    while let Some(ch) = chars.next() {
        match ch {
            '"' if quoted && chars.peek() == Some(&'"') => {
                chars.next();
                part.push('"');
            }
            '"' => quoted = !quoted,
            '.' if !quoted => parts.push(std::mem::take(&mut part)),
            c if quoted => part.push(c),
            c => part.extend(c.to_lowercase()),
        }
    }
    parts.push(part);
    let name = parts.pop().unwrap_or_default();
    (parts.pop(), name)
}

fn display(schema: Option<&str>, name: &str) -> String {
    match schema {
        Some(s) => format!("{s}.{name}"),
        None => name.to_string(),
    }
}

/// SQL fragments already read during one build: models repeat the same few defaults
/// (`CURRENT_TIMESTAMP`, `now()`) on many tables, and each is tokenized once.
#[derive(Default)]
struct Fragments {
    /// Fragments found to be one expression this backend has.
    valid: std::collections::HashSet<&'static str>,
    /// `default_sql` values, parsed.
    defaults: HashMap<&'static str, Option<DefaultValue>>,
}

fn table(def: &TableDef, backend: Backend, seen: &mut Fragments) -> Result<Table> {
    let name = def.name.to_string();
    // Each field's default as SQL for this backend, checked before any SQL is sent.
    let mut defaults = Vec::with_capacity(def.columns.len());
    for c in def.columns {
        let sql = match c.default {
            Some(DefaultDef::Sql(sql)) => Some(sql),
            Some(DefaultDef::SqlPer(per)) => match per_backend(&per, backend) {
                Some(sql) => Some(sql),
                None => {
                    return Err(Error::InvalidModel {
                        model: def.rust_path(),
                        table: def.name.to_string(),
                        message: format!(
                            "field `{}` has a default_sql for other backends but none for {backend}; add `{} = \"...\"` (or `default = \"...\"`) to its default_sql(...)",
                            c.field,
                            backend.key()
                        ),
                    })
                }
            },
            _ => None,
        };
        if let Some(sql) = sql {
            if !seen.valid.contains(sql) {
                check_fragment(def, &format!("the default_sql of field `{}`", c.field), sql, backend)?;
                seen.valid.insert(sql);
            }
        }
        defaults.push(sql);
    }
    for c in def.checks {
        check_fragment(def, "the check", c.expr, backend)?;
    }
    for c in def.columns {
        let Some((expr, stored)) = c.generated else { continue };
        check_fragment(def, &format!("the generated expression of field `{}`", c.field), expr, backend)?;
        if !stored && backend == Backend::Postgres {
            return Err(Error::Unsupported {
                backend,
                table: def.name.to_string(),
                column: Some(c.name.to_string()),
                what: format!("a virtual generated column (field `{}` of {})", c.field, def.rust_path()),
                hint: "PostgreSQL before 18 computes generated columns only when a row is written: add `stored` to #[column(generated = \"...\", stored)]".into(),
            });
        }
    }
    for i in def.indexes {
        for e in i.exprs {
            check_fragment(def, "the index expression", e, backend)?;
        }
    }
    for i in def.indexes {
        if let Some(p) = i.predicate {
            check_fragment(def, "the index predicate", p, backend)?;
        }
    }
    let mut columns = Vec::with_capacity(def.columns.len());
    for (c, sql) in def.columns.iter().zip(defaults) {
        let ty = column_type(def, c.name, c.field, &c.ty, backend)?;
        let default = c.default.map(|d| match d {
            DefaultDef::Int(v) => DefaultValue::Int(v),
            DefaultDef::Float(f) => {
                crate::schema::normalize::number(f).unwrap_or_else(|| DefaultValue::Float(f.to_string()))
            }
            DefaultDef::Bool(b) => DefaultValue::Bool(b),
            DefaultDef::Str(s) => DefaultValue::Str(s.to_string()),
            DefaultDef::Sql(_) | DefaultDef::SqlPer(_) => sql
                .and_then(|s| seen.defaults.entry(s).or_insert_with(|| parse_default(s, backend)).clone())
                .unwrap_or(DefaultValue::Null),
        });
        let default = default_for(&ty, default);
        columns.push(Column {
            name: c.name.to_string(),
            ty,
            nullable: c.nullable,
            default,
            auto_increment: c.auto_increment,
            identity: c.identity,
            comment: c.comment.map(str::to_string),
            renamed_from: c.renamed_from.iter().map(|s| s.to_string()).collect(),
            generated: c
                .generated
                .map(|(expr, stored)| crate::schema::Generated { expr: expr.trim().to_string(), stored }),
        });
    }
    let strings = |cols: &[&str]| cols.iter().map(|c| c.to_string()).collect::<Vec<_>>();
    let primary_key = def.primary_key.map(|k| PrimaryKey {
        name: k.name.map(str::to_string).unwrap_or_else(|| naming::primary_key(&name)),
        columns: strings(k.columns),
    });
    let uniques = def
        .uniques
        .iter()
        .map(|k| Unique {
            name: k.name.map(str::to_string).unwrap_or_else(|| naming::unique(&name, k.columns)),
            columns: strings(k.columns),
        })
        .collect();
    let indexes = def
        .indexes
        .iter()
        .map(|i| Index {
            name: i.name.map(str::to_string).unwrap_or_else(|| {
                // An expression is named by its words: `lower(email)` -> `lower_email`.
                let mut parts: Vec<String> = i.columns.iter().map(|c| c.to_string()).collect();
                parts.extend(i.exprs.iter().map(|e| naming::words(e)));
                if i.unique {
                    naming::unique(&name, &parts)
                } else {
                    naming::index(&name, &parts)
                }
            }),
            columns: i
                .columns
                .iter()
                .map(|c| IndexPart::Column(c.to_string()))
                .chain(i.exprs.iter().map(|e| IndexPart::Expr(e.trim().to_string())))
                .collect(),
            unique: i.unique,
            predicate: i.predicate.map(|p| p.trim().to_string()),
            method: i.method.map(|m| m.trim().to_ascii_lowercase()),
        })
        .collect();
    let foreign_keys = def
        .foreign_keys
        .iter()
        .map(|f| ForeignKey {
            name: f.name.map(str::to_string).unwrap_or_else(|| naming::foreign_key(&name, f.columns)),
            columns: strings(f.columns),
            // A reference without a schema points into the referencing table's schema.
            ref_schema: f.ref_schema.or(def.schema).map(str::to_string),
            ref_table: f.ref_table.to_string(),
            ref_columns: strings(f.ref_columns),
            on_delete: f.on_delete,
            on_update: f.on_update,
        })
        .collect();
    let mut table_checks = 0;
    let checks = def
        .checks
        .iter()
        .map(|c| {
            let generated = || {
                let n = naming::check(&name, c.column, table_checks);
                if c.column.is_none() {
                    table_checks += 1;
                }
                n
            };
            Check { name: c.name.map(str::to_string).unwrap_or_else(generated), expr: c.expr.trim().to_string() }
        })
        .collect::<Vec<_>>();
    // An enum stored as text (`#[schemasync(as_text)]`) keeps its labels with a check.
    let d = crate::dialect::dialect(backend);
    let mut checks = checks;
    for c in def.columns {
        if let TypeDef::Enum(e) = c.ty {
            if e.as_text {
                let labels: Vec<String> = e.labels.iter().map(|l| d.literal(l)).collect();
                checks.push(Check {
                    name: naming::enum_check(&name, c.name),
                    expr: format!("{} IN ({})", d.quote_ident(c.name), labels.join(", ")),
                });
            }
        }
    }
    Ok(Table {
        schema: def.schema.map(str::to_string),
        name,
        columns,
        primary_key,
        uniques,
        indexes,
        foreign_keys,
        checks,
        comment: def.comment.map(str::to_string),
        renamed_from: def.renamed_from.iter().map(|s| s.to_string()).collect(),
        model: Some(def.rust_path()),
    })
}

/// Refuses an SQL fragment of a model (`check`, `where`, `default_sql`) that is not one
/// expression: it goes into DDL as written.
/// Refuses as well a fragment calling a function `backend` does not have, which some
/// servers accept in DDL and fail on at the first insert.
fn check_fragment(def: &TableDef, what: &str, sql: &str, backend: Backend) -> Result<()> {
    let invalid =
        |message: String| Error::InvalidModel { model: def.rust_path(), table: def.name.to_string(), message };
    if let Some(problem) = crate::schema::expr::fragment_problem(sql, backend) {
        return Err(invalid(format!("{what} `{sql}` must be one SQL expression, but {problem}")));
    }
    let foreign = crate::schema::expr::foreign_functions(sql, backend);
    if !foreign.is_empty() {
        return Err(invalid(format!(
            "{what} `{sql}` calls {} which {backend} does not have, so inserts would fail there. Write it per backend, like #[column(default_sql(postgres = \"gen_random_uuid()\", sqlite = \"lower(hex(randomblob(16)))\"))]",
            foreign.iter().map(|f| format!("`{f}()`")).collect::<Vec<_>>().join(", ")
        )));
    }
    Ok(())
}

/// The value of a per-backend attribute for `backend`, or its `default`.
fn per_backend(per: &super::CustomTypeDef, backend: Backend) -> Option<&'static str> {
    match backend {
        Backend::Postgres => per.postgres,
        Backend::MySql => per.mysql,
        Backend::Sqlite => per.sqlite,
    }
    .or(per.any)
}

fn column_type(def: &TableDef, column: &str, field: &str, ty: &TypeDef, backend: Backend) -> Result<ColumnType> {
    let unsupported = |what: &str, hint: &str| Error::Unsupported {
        backend,
        table: def.name.to_string(),
        column: Some(column.to_string()),
        what: format!("{what} (field `{field}` of {})", def.rust_path()),
        hint: hint.to_string(),
    };
    Ok(match *ty {
        TypeDef::SmallInt => ColumnType::SmallInt,
        TypeDef::Integer => ColumnType::Integer,
        TypeDef::BigInt => ColumnType::BigInt,
        TypeDef::Real => ColumnType::Real,
        TypeDef::Double => ColumnType::Double,
        TypeDef::Boolean => ColumnType::Boolean,
        TypeDef::Text => ColumnType::Text,
        TypeDef::Varchar(len) => ColumnType::Varchar { len },
        TypeDef::Bytes => ColumnType::Bytes,
        TypeDef::Date => ColumnType::Date,
        TypeDef::Time(precision) => ColumnType::Time { precision },
        TypeDef::Timestamp(precision) => ColumnType::Timestamp { precision },
        TypeDef::TimestampTz(precision) => ColumnType::TimestampTz { precision },
        TypeDef::Uuid => ColumnType::Uuid,
        TypeDef::Decimal(p) => ColumnType::Decimal { precision: p.map(|p| p.0), scale: p.map(|p| p.1) },
        TypeDef::Json => ColumnType::Json,
        TypeDef::Array(of) => ColumnType::Array { of: Box::new(column_type(def, column, field, of, backend)?) },
        // sqlx binds IpAddr as PostgreSQL's `inet` (with its `ipnetwork` or `ipnet`
        // feature) and as text on MySQL; a network only on PostgreSQL; neither on SQLite.
        TypeDef::Inet | TypeDef::Cidr if backend == Backend::Postgres => ColumnType::Custom { sql: "inet".into() },
        TypeDef::Inet if backend == Backend::MySql => ColumnType::Varchar { len: 45 },
        TypeDef::Inet | TypeDef::Cidr => {
            return Err(unsupported(
                "an IP address or network column",
                "sqlx binds IpAddr on PostgreSQL (inet) and MySQL (text), and IpNetwork on PostgreSQL only; here store the address as a String (its text form) with #[column(len = 45)]",
            ))
        }
        // `as_text`: text, with a check the table adds.
        TypeDef::Enum(e) if e.as_text => ColumnType::Text,
        TypeDef::Enum(e) => {
            let (schema, name) = pg_type_name(e.name);
            ColumnType::Enum {
                name: match schema {
                    Some(s) => format!("{s}.{name}"),
                    None => name,
                },
                labels: e.labels.iter().map(|l| l.to_string()).collect(),
                renamed: e.renamed.iter().map(|(a, b)| (a.to_string(), b.to_string())).collect(),
            }
        }
        TypeDef::Custom(custom) => {
            match per_backend(&custom, backend) {
                Some(sql) => crate::dialect::dialect(backend).parse_type(sql),
                None => {
                    return Err(Error::InvalidModel {
                        model: def.rust_path(),
                        table: def.name.to_string(),
                        message: format!(
                            "field `{field}` (column `{column}`) has a sql_type for other backends but none for {backend}; add `{}` = \"...\" or `default = \"...\"` to its sql_type(...)",
                            backend.key()
                        ),
                    })
                }
            }
        }
    })
}

/// Every foreign key must point at a declared table and at columns it has.
fn check_references(def: &TableDef, table: &Table, all: &HashMap<(Option<&str>, &str), &Table>) -> Result<()> {
    for fk in &table.foreign_keys {
        let field = fk.columns.first().map(|c| def.field_of(c)).unwrap_or("?");

        let target = all.get(&(fk.ref_schema.as_deref(), fk.ref_table.as_str())).copied();
        let Some(target) = target else {
            return Err(Error::MissingReference {
                model: def.rust_path(),
                field: field.to_string(),
                target: display(fk.ref_schema.as_deref(), &fk.ref_table),
                reason: format!(
                    "no model declares table `{}`; check the spelling in `references`, or derive Table for that model",
                    display(fk.ref_schema.as_deref(), &fk.ref_table)
                ),
            });
        };
        for (col, ref_col) in fk.columns.iter().zip(&fk.ref_columns) {
            let Some(target_col) = target.column(ref_col) else {
                return Err(Error::MissingReference {
                    model: def.rust_path(),
                    field: def.field_of(col).to_string(),
                    target: format!("{}({ref_col})", target.display_name()),
                    reason: format!(
                        "table `{}` (model {}) has no column `{ref_col}`",
                        target.display_name(),
                        target.model.as_deref().unwrap_or("?")
                    ),
                });
            };
            let own = table.column(col).map(|c| &c.ty);
            if let Some(own) = own {
                if !compatible_key_types(own, &target_col.ty) {
                    return Err(Error::InvalidModel {
                        model: def.rust_path(),
                        table: table.display_name(),
                        message: format!(
                            "foreign key {}: column `{col}` is {own:?} but `{}.{ref_col}` is {:?}; the database refuses a foreign key between different types, so give the field the same Rust type",
                            fk.name,
                            target.display_name(),
                            target_col.ty
                        ),
                    });
                }
            }
        }
    }
    Ok(())
}

fn compatible_key_types(a: &ColumnType, b: &ColumnType) -> bool {
    a == b
        || (matches!(a, ColumnType::Varchar { .. } | ColumnType::Text)
            && matches!(b, ColumnType::Varchar { .. } | ColumnType::Text))
        || matches!(a, ColumnType::Custom { .. })
        || matches!(b, ColumnType::Custom { .. })
}
