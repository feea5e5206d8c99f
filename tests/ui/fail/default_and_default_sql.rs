use schemasync::Table;

#[derive(Table)]
struct Order {
    #[column(default = 0, default_sql = "1 + 1")]
    total: i64,
}

fn main() {}
