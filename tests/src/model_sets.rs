//! Model sets by name, shared by the boot probe (`src/bin/boot_probe.rs`) and the
//! reliability tests that start it: both compile this file with `#[path]`, so that the
//! test checks the database against exactly the models the probe applied.

use schemasync::model::{ColumnDef, DefaultDef, TableDef, TypeDef};
use schemasync::{Models, Table};
use schemasync_tests::{dynamic, kitchen_sink};

/// A table the second version adds: a foreign key to an existing table, an index.
#[allow(dead_code)] // only its table definition is read
#[derive(Table)]
#[table(name = "ks_invoices", index(account_id, issued_on))]
pub struct Invoice {
    #[column(primary_key, auto_increment)]
    pub id: i64,
    #[column(references = "ks_accounts(id)", on_delete = "cascade")]
    pub account_id: i64,
    #[column(precision = 12, scale = 2, default = 0)]
    pub amount: rust_decimal::Decimal,
    pub issued_on: Option<chrono::NaiveDate>,
    pub note: Option<String>,
}

/// The model set called `name`: `kitchen_sink`, or `kitchen_sink_v2` (the kitchen sink
/// plus columns on two existing tables and a new table; an additive sync applies all
/// of it, in several statements).
pub fn by_name(name: &str) -> Option<Models> {
    match name {
        "kitchen_sink" => Some(kitchen_sink::models()),
        "kitchen_sink_v2" => Some(kitchen_sink_v2()),
        _ => None,
    }
}

fn kitchen_sink_v2() -> Models {
    let mut defs = Vec::new();
    for def in kitchen_sink::defs() {
        let extra = match def.name {
            "ks_accounts" => vec![
                dynamic::column("plan_note", TypeDef::Text, true, None),
                dynamic::column("seats", TypeDef::Integer, false, Some(DefaultDef::Int(5))),
            ],
            "ks_teams" => vec![dynamic::column("motto", TypeDef::Varchar(120), true, None)],
            _ => Vec::new(),
        };
        defs.push(if extra.is_empty() { def } else { with_columns(def, extra) });
    }
    defs.push(Invoice::table_def());
    Models::new().with_defs(defs)
}

/// `def` with `extra` columns after its own.
fn with_columns(def: &'static TableDef, extra: Vec<ColumnDef>) -> &'static TableDef {
    let mut columns: Vec<ColumnDef> = def.columns.iter().map(copy_column).collect();
    columns.extend(extra);
    Box::leak(Box::new(TableDef {
        rust_type: def.rust_type,
        module_path: def.module_path,
        name: def.name,
        schema: def.schema,
        comment: def.comment,
        renamed_from: def.renamed_from,
        columns: dynamic::leak_slice(columns),
        primary_key: def.primary_key,
        uniques: def.uniques,
        indexes: def.indexes,
        foreign_keys: def.foreign_keys,
        checks: def.checks,
    }))
}

fn copy_column(c: &ColumnDef) -> ColumnDef {
    ColumnDef {
        field: c.field,
        name: c.name,
        ty: c.ty,
        nullable: c.nullable,
        auto_increment: c.auto_increment,
        identity: c.identity,
        default: c.default,
        comment: c.comment,
        renamed_from: c.renamed_from,
        generated: c.generated,
    }
}
