//! Changes in words, for plan lines and drift reports: `add column weight double
//! precision NULL`, or the object, the model's side and the database's side.

use crate::dialect::Dialect;
use crate::schema::{Change, Column, ColumnType, DefaultValue, FkAction, ForeignKey, Index, IndexPart};

use crate::drift::Difference;

fn ty(d: &dyn Dialect, t: &ColumnType) -> String {
    d.render_type(t)
}

fn default_text(d: &dyn Dialect, v: &Option<DefaultValue>, t: &ColumnType) -> String {
    match v {
        Some(v) => d.render_default(v, t),
        None => "no default".into(),
    }
}

/// `bigint NOT NULL DEFAULT 0`.
pub fn column_text(d: &dyn Dialect, c: &Column) -> String {
    let mut s = format!("{} {}", ty(d, &c.ty), if c.nullable { "NULL" } else { "NOT NULL" });
    if let Some(v) = &c.default {
        s.push_str(&format!(" DEFAULT {}", d.render_default(v, &c.ty)));
    }
    if c.auto_increment {
        s.push_str(" auto-increment");
    }
    s
}

fn cols(c: &[String]) -> String {
    format!("({})", c.join(", "))
}

pub(crate) fn index_text(i: &Index) -> String {
    let parts: Vec<String> = i
        .columns
        .iter()
        .map(|p| match p {
            IndexPart::Column(c) => c.clone(),
            IndexPart::Expr(e) => format!("({e})"),
        })
        .collect();
    let mut s = format!("{}index {} ({})", if i.unique { "unique " } else { "" }, i.name, parts.join(", "));
    if let Some(m) = &i.method {
        s.push_str(&format!(" USING {m}"));
    }
    if let Some(p) = &i.predicate {
        s.push_str(&format!(" WHERE {p}"));
    }
    s
}

pub(crate) fn fk_text(f: &ForeignKey) -> String {
    let target = match &f.ref_schema {
        Some(s) => format!("{s}.{}", f.ref_table),
        None => f.ref_table.clone(),
    };
    format!("foreign key {} -> {target}{}", cols(&f.columns), cols(&f.ref_columns))
}

fn actions(f: &ForeignKey) -> String {
    let a = |x: FkAction| x.sql();
    format!("ON DELETE {} ON UPDATE {}", a(f.on_delete), a(f.on_update))
}

/// `generated as (expr) stored`, or `not generated`.
fn generated_text(g: &Option<crate::schema::Generated>) -> String {
    match g {
        Some(g) => format!("generated as ({}) {}", g.expr, if g.stored { "stored" } else { "virtual" }),
        None => "not generated".into(),
    }
}

/// `('a', 'b')`.
fn labels(labels: &[String]) -> String {
    format!("({})", labels.iter().map(|l| format!("'{l}'")).collect::<Vec<_>>().join(", "))
}

fn quoted(s: &Option<String>) -> String {
    s.as_ref().map(|c| format!("'{c}'")).unwrap_or_else(|| "none".into())
}

/// One change as "object, model, database, note".
pub fn describe(d: &dyn Dialect, c: &Change) -> Difference {
    let diff = |object: String, model: String, database: String| Difference { object, model, database, note: None };
    match c {
        Change::CreateEnum { enum_type } => {
            diff(format!("enum type {}", enum_type.display_name()), labels(&enum_type.labels), "missing".into())
        }
        Change::AddEnumLabels { enum_type, added } => {
            let added: Vec<String> = added.iter().map(|(l, _)| l.clone()).collect();
            let have: Vec<String> = enum_type.labels.iter().filter(|l| !added.contains(l)).cloned().collect();
            diff(format!("enum type {}", enum_type.display_name()), labels(&enum_type.labels), labels(&have))
        }
        Change::RenameEnumLabels { enum_type, renames } => Difference {
            note: Some("renamed_from".into()),
            ..diff(
                format!("enum type {} labels", enum_type.display_name()),
                labels(&renames.iter().map(|(_, b)| b.clone()).collect::<Vec<_>>()),
                labels(&renames.iter().map(|(a, _)| a.clone()).collect::<Vec<_>>()),
            )
        },
        Change::AlterEnumLabels { enum_type, from, .. } => {
            diff(format!("enum type {}", enum_type.display_name()), labels(&enum_type.labels), labels(from))
        }
        Change::DropEnum { enum_type } => {
            diff(format!("enum type {}", enum_type.display_name()), "to be dropped".into(), labels(&enum_type.labels))
        }
        Change::DropTable { table } => {
            diff("table".into(), "to be dropped".into(), format!("{} column(s)", table.columns.len()))
        }
        Change::CreateTable { table } => {
            diff("table".into(), format!("{} column(s)", table.columns.len()), "missing".into())
        }
        Change::RenameTable { table, from } => Difference {
            note: Some("renamed_from".into()),
            ..diff("table name".into(), table.name.clone(), from.clone())
        },
        Change::AddColumn { column, .. } => {
            diff(format!("column {}", column.name), column_text(d, column), "missing".into())
        }
        Change::DropColumn { column, .. } => {
            diff(format!("column {}", column.name), "not declared".into(), column_text(d, column))
        }
        Change::RenameColumn { from, to, .. } => Difference {
            note: Some("renamed_from".into()),
            ..diff(format!("column {to}"), format!("named {to}"), format!("named {from}"))
        },
        Change::AlterColumnType { column, from, to, widening, .. } => Difference {
            note: Some(if *widening { "widening".into() } else { "narrowing or incompatible".into() }),
            ..diff(format!("column {column} type"), ty(d, to), ty(d, from))
        },
        Change::AlterGenerated { column, from, to, .. } => {
            diff(format!("column {column} generated"), generated_text(to), generated_text(from))
        }
        Change::AlterNullability { column, nullable, .. } => {
            let (m, db) = if *nullable { ("NULL", "NOT NULL") } else { ("NOT NULL", "NULL") };
            diff(format!("column {column}"), m.into(), db.into())
        }
        Change::AlterDefault { column, from, to, .. } => {
            let t = ColumnType::Text;
            diff(format!("column {column} default"), default_text(d, to, &t), default_text(d, from, &t))
        }
        Change::AlterAutoIncrement { column, auto_increment, .. } => {
            let yes = |b: bool| if b { "auto-increment" } else { "not auto-increment" }.to_string();
            diff(format!("column {column}"), yes(*auto_increment), yes(!auto_increment))
        }
        Change::AlterIdentity { column, from, to, .. } => diff(
            format!("column {column} identity"),
            format!("GENERATED {} AS IDENTITY", to.sql()),
            format!("GENERATED {} AS IDENTITY", from.sql()),
        ),
        Change::AddPrimaryKey { key, .. } => diff("primary key".into(), cols(&key.columns), "missing".into()),
        Change::DropPrimaryKey { key, .. } => diff("primary key".into(), "not declared".into(), cols(&key.columns)),
        Change::AddUnique { unique, .. } => {
            diff(format!("unique {}", cols(&unique.columns)), "declared".into(), "missing".into())
        }
        Change::DropUnique { unique, .. } => {
            diff(format!("unique {}", cols(&unique.columns)), "not declared".into(), "present".into())
        }
        Change::AddIndex { index, .. } => diff(index_text(index), "declared".into(), "missing".into()),
        Change::DropIndex { index, .. } => diff(index_text(index), "not declared".into(), "present".into()),
        Change::AddForeignKey { foreign_key, .. } => diff(fk_text(foreign_key), actions(foreign_key), "missing".into()),
        Change::DropForeignKey { foreign_key, .. } => {
            diff(fk_text(foreign_key), "not declared".into(), actions(foreign_key))
        }
        Change::AlterForeignKey { from, to, .. } => diff(fk_text(to), actions(to), actions(from)),
        Change::AddCheck { check, .. } => diff(format!("check ({})", check.expr), "declared".into(), "missing".into()),
        Change::DropCheck { check, .. } => {
            diff(format!("check ({})", check.expr), "not declared".into(), "present".into())
        }
        Change::SetTableComment { from, to, .. } => diff("table comment".into(), quoted(to), quoted(from)),
        Change::SetColumnComment { column, from, to, .. } => {
            diff(format!("column {column} comment"), quoted(to), quoted(from))
        }
    }
}

/// A change in a few words, for plan lines: `add column weight double precision NULL`.
pub fn summarize(d: &dyn Dialect, c: &Change) -> String {
    match c {
        Change::CreateEnum { enum_type } => {
            format!("create enum type {} {}", enum_type.display_name(), labels(&enum_type.labels))
        }
        Change::AddEnumLabels { enum_type, added } => format!(
            "add label(s) {} to enum type {}",
            added.iter().map(|(l, _)| format!("'{l}'")).collect::<Vec<_>>().join(", "),
            enum_type.display_name()
        ),
        Change::RenameEnumLabels { enum_type, renames } => format!(
            "rename label(s) {} of enum type {}",
            renames.iter().map(|(a, b)| format!("'{a}' to '{b}'")).collect::<Vec<_>>().join(", "),
            enum_type.display_name()
        ),
        Change::AlterEnumLabels { enum_type, from, .. } => format!(
            "change the labels of enum type {} from {} to {}",
            enum_type.display_name(),
            labels(from),
            labels(&enum_type.labels)
        ),
        Change::DropEnum { enum_type } => format!("drop enum type {}", enum_type.display_name()),
        Change::CreateTable { table } => format!("create table ({} columns)", table.columns.len()),
        Change::DropTable { .. } => "drop table".into(),
        Change::RenameTable { table, from } => format!("rename table {from} to {}", table.name),
        Change::AddColumn { column, .. } => format!("add column {} {}", column.name, column_text(d, column)),
        Change::DropColumn { column, .. } => format!("drop column {}", column.name),
        Change::RenameColumn { from, to, .. } => format!("rename column {from} to {to}"),
        Change::AlterColumnType { column, from, to, .. } => {
            format!("change column {column} type {} -> {}", ty(d, from), ty(d, to))
        }
        Change::AlterGenerated { column, to, .. } => format!("make column {column} {}", generated_text(to)),
        Change::AlterNullability { column, nullable: true, .. } => format!("allow NULL in column {column}"),
        Change::AlterNullability { column, nullable: false, .. } => format!("set column {column} NOT NULL"),
        Change::AlterDefault { column, to, .. } => {
            format!("set column {column} default to {}", default_text(d, to, &ColumnType::Text))
        }
        Change::AlterAutoIncrement { column, auto_increment, .. } => {
            format!("{} auto-increment on column {column}", if *auto_increment { "add" } else { "remove" })
        }
        Change::AlterIdentity { column, to, .. } => {
            format!("make column {column} GENERATED {} AS IDENTITY", to.sql())
        }
        Change::AddPrimaryKey { key, .. } => format!("add primary key {}", cols(&key.columns)),
        Change::DropPrimaryKey { key, .. } => format!("drop primary key {}", cols(&key.columns)),
        Change::AddUnique { unique, .. } => format!("add unique {} {}", unique.name, cols(&unique.columns)),
        Change::DropUnique { unique, .. } => format!("drop unique {} {}", unique.name, cols(&unique.columns)),
        Change::AddIndex { index, .. } => format!("add {}", index_text(index)),
        Change::DropIndex { index, .. } => format!("drop {}", index_text(index)),
        Change::AddForeignKey { foreign_key, .. } => format!("add {}", fk_text(foreign_key)),
        Change::DropForeignKey { foreign_key, .. } => format!("drop {}", fk_text(foreign_key)),
        Change::AlterForeignKey { to, .. } => format!("change {} to {}", fk_text(to), actions(to)),
        Change::AddCheck { check, .. } => format!("add check ({})", check.expr),
        Change::DropCheck { check, .. } => format!("drop check {} ({})", check.name, check.expr),
        Change::SetTableComment { to, .. } => format!("set table comment to {}", quoted(to)),
        Change::SetColumnComment { column, to, .. } => format!("set column {column} comment to {}", quoted(to)),
    }
}
