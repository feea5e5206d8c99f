use schemasync::Table;

#[derive(Table)]
struct Order {
    #[column(default = compute())]
    total: i64,
}

fn main() {}
