//! Models built at run time, for property tests: the same `'static` table definitions
//! `#[derive(Table)]` makes at compile time, with their strings leaked.

use schemasync::model::{CheckDef, ColumnDef, DefaultDef, IndexDef, KeyDef, TableDef, TypeDef};
use schemasync::schema::Identity;

/// A string for the life of the test process.
pub fn leak(s: &str) -> &'static str {
    Box::leak(s.to_string().into_boxed_str())
}

/// A slice for the life of the test process.
pub fn leak_slice<T>(v: Vec<T>) -> &'static [T] {
    Box::leak(v.into_boxed_slice())
}

/// A column as a field would declare it.
pub fn column(name: &str, ty: TypeDef, nullable: bool, default: Option<DefaultDef>) -> ColumnDef {
    let name = leak(name);
    ColumnDef {
        field: name,
        name,
        ty,
        nullable,
        auto_increment: false,
        identity: Identity::ByDefault,
        default,
        comment: None,
        renamed_from: &[],
        generated: None,
    }
}

/// A table with a primary key on its first column.
pub fn table(name: &str, columns: Vec<ColumnDef>, checks: &[&str], indexes: Vec<IndexDef>) -> &'static TableDef {
    let name = leak(name);
    let key = leak_slice(vec![columns[0].name]);
    let checks = checks.iter().map(|c| CheckDef { name: None, expr: leak(c), column: None }).collect();
    Box::leak(Box::new(TableDef {
        rust_type: name,
        module_path: "schemasync_tests::dynamic",
        name,
        schema: None,
        comment: None,
        renamed_from: &[],
        columns: leak_slice(columns),
        primary_key: Some(KeyDef { name: None, columns: key }),
        uniques: &[],
        indexes: leak_slice(indexes),
        foreign_keys: &[],
        checks: leak_slice(checks),
    }))
}
