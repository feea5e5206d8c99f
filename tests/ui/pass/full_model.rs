use schemasync::Table;

#[derive(Table, sqlx::FromRow)]
#[table(
    name = "orders",
    schema = "shop",
    comment = "Orders",
    renamed_from = "purchases",
    unique(customer_id, number, name = "orders_number_per_customer"),
    index(created_at, where = "deleted_at IS NULL"),
    check(expr = "total >= 0", name = "orders_total_nonneg")
)]
#[sqlx(rename_all = "snake_case")]
struct Order {
    #[column(primary_key, auto_increment)]
    id: i64,
    #[column(references = "customers(id)", on_delete = "cascade", on_update = "no action")]
    customer_id: i64,
    #[column(len = 32, comment = "shown on invoices")]
    number: String,
    #[column(precision = 12, scale = 2, default = 0, check = "total < 1000000")]
    total: rust_decimal::Decimal,
    #[column(default = -1)]
    priority: i32,
    #[column(default_sql = "CURRENT_TIMESTAMP")]
    created_at: chrono::DateTime<chrono::Utc>,
    deleted_at: Option<chrono::NaiveDateTime>,
    #[sqlx(rename = "memo_text")]
    memo: Option<String>,
    #[column(sql_type(postgres = "inet", default = "varchar(45)"), renamed_from = "ip_addr")]
    ip: Option<String>,
    #[sqlx(skip)]
    cached: Option<String>,
}

#[derive(Table)]
#[table(name = "customers", schema = "shop")]
struct Customer {
    #[column(primary_key)]
    id: i64,
}

fn main() {
    let def = <Order as schemasync::Table>::table_def();
    assert_eq!(def.name, "orders");
    assert_eq!(def.columns.len(), 9);
    assert!(def.columns.iter().any(|c| c.name == "memo_text"));
    let _ = <Customer as schemasync::Table>::table_def();
}
