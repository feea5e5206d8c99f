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

/// `n` tables as an app of that size has them, for benchmarks and scale tests: a
/// generated key, a required name with an index, a nullable note, an amount with a
/// default, a creation time, and (after the first) a foreign key to the table before.
/// With `extra`, every tenth table has one more nullable column.
pub fn wide_schema(prefix: &str, n: usize, extra: bool) -> Vec<&'static TableDef> {
    wide_schema_with(prefix, n, extra, false)
}

/// [`wide_schema`], and with `note_index` an index on every table's note as well.
pub fn wide_schema_with(prefix: &str, n: usize, extra: bool, note_index: bool) -> Vec<&'static TableDef> {
    use schemasync::model::ForeignKeyDef;
    use schemasync::schema::FkAction;
    (0..n)
        .map(|i| {
            let name = format!("{prefix}{i:04}");
            let mut columns = vec![
                ColumnDef { auto_increment: true, ..column("id", TypeDef::BigInt, false, None) },
                column("name", TypeDef::Varchar(100), false, None),
                column("note", TypeDef::Text, true, None),
                column("amount", TypeDef::Decimal(Some((12, 2))), false, Some(DefaultDef::Int(0))),
                column("created_at", TypeDef::TimestampTz(None), false, Some(DefaultDef::Sql("CURRENT_TIMESTAMP"))),
            ];
            if i > 0 {
                columns.push(column("parent_id", TypeDef::BigInt, true, None));
            }
            if extra && i % 10 == 0 {
                columns.push(column("added", TypeDef::Integer, true, None));
            }
            let index = IndexDef {
                name: None,
                columns: leak_slice(vec!["name"]),
                unique: false,
                predicate: None,
                method: None,
                exprs: &[],
            };
            let mut indexes = vec![index];
            if note_index {
                indexes.push(IndexDef { columns: leak_slice(vec!["note"]), ..index });
            }
            let def = table(&name, columns, &[], indexes);
            if i == 0 {
                return def;
            }
            let fk = ForeignKeyDef {
                name: None,
                columns: leak_slice(vec!["parent_id"]),
                ref_schema: None,
                ref_table: leak(&format!("{prefix}{:04}", i - 1)),
                ref_columns: leak_slice(vec!["id"]),
                on_delete: FkAction::SetNull,
                on_update: FkAction::NoAction,
            };
            &*Box::leak(Box::new(TableDef { foreign_keys: leak_slice(vec![fk]), ..*def }))
        })
        .collect()
}
