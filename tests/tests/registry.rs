#![allow(dead_code)] // the models here are only read through their table definitions
//! The inventory registry: models in any module are found with no list to maintain,

//! the desired schema comes out in a deterministic, dependency-respecting order, and
//! broken model sets fail with errors that name the Rust types and fields.

use schemasync::{Backend, Error, Models, Table};

mod billing {
    pub mod invoices {
        use schemasync::Table;

        #[derive(Table)]
        #[table(name = "reg_invoices")]
        pub struct Invoice {
            #[column(primary_key)]
            pub id: i64,
            #[column(references = "reg_customers(id)")]
            pub customer_id: i64,
        }
    }
}

mod crm {
    use schemasync::Table;

    #[derive(Table)]
    #[table(name = "reg_customers")]
    pub struct Customer {
        #[column(primary_key)]
        pub id: i64,
    }

    pub fn nested() {
        #[derive(Table)]
        #[table(name = "reg_inside_fn")]
        #[allow(dead_code)]
        struct InsideAFunction {
            id: i64,
        }
    }
}

mod broken {
    use schemasync::Table;

    /// Same table name as crm::Customer.
    #[derive(Table)]
    #[table(name = "reg_customers")]
    pub struct CustomerCopy {
        #[column(primary_key)]
        pub id: i64,
    }

    #[derive(Table)]
    #[table(name = "reg_orders")]
    pub struct Order {
        #[column(primary_key)]
        pub id: i64,
        #[column(references = "reg_nowhere(id)")]
        pub target_id: i64,
    }

    #[derive(Table)]
    #[table(name = "reg_lines")]
    pub struct Line {
        #[column(primary_key)]
        pub id: i64,
        #[column(references = "reg_customers(uuid)")]
        pub customer_ref: i64,
    }

    #[derive(Table)]
    #[table(name = "reg_mismatch")]
    pub struct Mismatch {
        #[column(primary_key)]
        pub id: i64,
        #[column(references = "reg_customers(id)")]
        pub customer_id: i32,
    }

    #[derive(Table)]
    #[table(name = "reg_partial_types")]
    pub struct PartialTypes {
        #[column(primary_key)]
        pub id: i64,
        #[column(sql_type(postgres = "inet"))]
        pub ip: String,
    }
}

#[test]
fn models_in_every_module_are_registered() {
    let names: Vec<&str> = Models::registered().defs().iter().map(|d| d.name).collect();
    for expected in ["reg_invoices", "reg_customers", "reg_inside_fn", "reg_orders", "reg_lines"] {
        assert!(names.contains(&expected), "{expected} missing from {names:?}");
    }
    crm::nested();
}

#[test]
fn registered_order_is_deterministic() {
    let a: Vec<String> = Models::registered().defs().iter().map(|d| d.rust_path()).collect();
    let b: Vec<String> = Models::registered().defs().iter().map(|d| d.rust_path()).collect();
    assert_eq!(a, b);
    let mut sorted = a.clone();
    sorted.sort_by_key(|p| {
        let def = Models::registered().defs().iter().find(|d| &d.rust_path() == p).copied().unwrap();
        (def.schema, def.name, def.module_path)
    });
    assert_eq!(a, sorted);
}

#[test]
fn parents_come_before_children() {
    let schema =
        Models::new().with::<billing::invoices::Invoice>().with::<crm::Customer>().schema(Backend::Postgres).unwrap();
    let names: Vec<&str> = schema.tables.iter().map(|t| t.name.as_str()).collect();
    assert_eq!(names, ["reg_customers", "reg_invoices"]);
}

#[test]
fn duplicate_table_names_name_both_types() {
    let err = Models::new().with::<crm::Customer>().with::<broken::CustomerCopy>().schema(Backend::Sqlite).unwrap_err();
    assert!(matches!(err, Error::DuplicateTable { .. }), "{err:?}");
    let msg = err.to_string();
    assert!(msg.contains("registry::crm::Customer"), "{msg}");
    assert!(msg.contains("registry::broken::CustomerCopy"), "{msg}");
    assert!(msg.contains("reg_customers"), "{msg}");
}

#[test]
fn reference_to_a_missing_table_names_model_and_field() {
    let err = Models::new().with::<broken::Order>().schema(Backend::Postgres).unwrap_err();
    let msg = err.to_string();
    assert!(matches!(err, Error::MissingReference { .. }), "{err:?}");
    assert!(
        msg.contains("registry::broken::Order") && msg.contains("`target_id`") && msg.contains("reg_nowhere"),
        "{msg}"
    );
}

#[test]
fn reference_to_a_missing_column_names_model_and_field() {
    let err = Models::new().with::<broken::Line>().with::<crm::Customer>().schema(Backend::MySql).unwrap_err();
    let msg = err.to_string();
    assert!(
        msg.contains("registry::broken::Line") && msg.contains("`customer_ref`") && msg.contains("no column `uuid`"),
        "{msg}"
    );
}

#[test]
fn reference_between_different_types_is_refused() {
    let err = Models::new().with::<broken::Mismatch>().with::<crm::Customer>().schema(Backend::MySql).unwrap_err();
    let msg = err.to_string();
    assert!(msg.contains("reg_mismatch") && msg.contains("customer_id") && msg.contains("same Rust type"), "{msg}");
}

#[test]
fn sql_type_without_this_backend_is_refused() {
    assert!(Models::new().with::<broken::PartialTypes>().schema(Backend::Postgres).is_ok());
    let err = Models::new().with::<broken::PartialTypes>().schema(Backend::Sqlite).unwrap_err().to_string();
    assert!(err.contains("field `ip`") && err.contains("`sqlite`"), "{err}");
}

#[test]
fn table_def_is_reachable_from_the_type() {
    let def = crm::Customer::table_def();
    assert_eq!(def.name, "reg_customers");
    assert_eq!(def.rust_type, "Customer");
}

#[allow(non_snake_case)]
mod tricky_names {
    /// Field names whose case conversion is easy to get wrong. sqlx's `FromRow` and
    /// `#[derive(Table)]` must agree on every column name.
    #[derive(schemasync::Table, sqlx::FromRow, Debug, PartialEq)]
    #[table(name = "reg_tricky")]
    #[sqlx(rename_all = "camelCase")]
    #[allow(non_snake_case)]
    pub struct Tricky {
        #[column(primary_key)]
        pub id: i64,
        pub x1Y: i64,
        pub HTTPRequest: i64,
        pub r#type: i64,
        pub created_at_2: i64,
    }

    #[derive(schemasync::Table, sqlx::FromRow, Debug, PartialEq)]
    #[table(name = "reg_tricky_screaming")]
    #[sqlx(rename_all = "SCREAMING_SNAKE_CASE")]
    #[allow(non_snake_case)]
    pub struct Screaming {
        #[column(primary_key)]
        pub id: i64,
        pub x1Y: i64,
        pub HTTPRequest: i64,
        pub r#type: i64,
    }
}

/// The table schemasync creates is the one sqlx reads: a row written through the
/// created columns decodes through `FromRow` with the same rename rule.
#[tokio::test]
async fn names_agree_with_sqlx_from_row() {
    use tricky_names::{Screaming, Tricky};
    let t = schemasync_tests::TestDb::fresh(Backend::Sqlite).await.expect("SQLite");
    let models = Models::new().with::<Tricky>().with::<Screaming>();
    models.create_all(&t.db).await.unwrap();
    let insert = |table: &str, def: &schemasync::model::TableDef| {
        let cols: Vec<String> = def.columns.iter().map(|c| format!("\"{}\"", c.name)).collect();
        let values: Vec<String> = (1..=def.columns.len()).map(|i| i.to_string()).collect();
        format!("INSERT INTO {table} ({}) VALUES ({})", cols.join(", "), values.join(", "))
    };
    t.exec(&insert("reg_tricky", Tricky::table_def())).await;
    t.exec(&insert("reg_tricky_screaming", Screaming::table_def())).await;
    let schemasync::Db::Sqlite(pool) = &t.db else { unreachable!() };
    let row: Tricky = sqlx::query_as("SELECT * FROM reg_tricky").fetch_one(pool).await.unwrap();
    assert_eq!(row, Tricky { id: 1, x1Y: 2, HTTPRequest: 3, r#type: 4, created_at_2: 5 });
    let row: Screaming = sqlx::query_as("SELECT * FROM reg_tricky_screaming").fetch_one(pool).await.unwrap();
    assert_eq!(row, Screaming { id: 1, x1Y: 2, HTTPRequest: 3, r#type: 4 });
}

/// A model built at run time gets the same refusal the derive gives at compile time:
/// an SQL fragment that is not one expression never reaches the database.
#[test]
fn an_sql_fragment_that_is_not_one_expression_is_refused() {
    use schemasync_tests::dynamic;
    let def = dynamic::table(
        "reg_victim",
        vec![dynamic::column("id", schemasync::model::TypeDef::BigInt, false, None)],
        &["1=1)); DROP TABLE victim; SELECT ((1"],
        Vec::new(),
    );
    for backend in [Backend::Postgres, Backend::MySql, Backend::Sqlite] {
        let err = Models::new().with_defs([def]).schema(backend).unwrap_err().to_string();
        assert!(err.contains("reg_victim") && err.contains("must be one SQL expression"), "{err}");
    }
}
