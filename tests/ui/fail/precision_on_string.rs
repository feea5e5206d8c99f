use schemasync::Table;

#[derive(Table)]
struct Order {
    #[column(precision = 10, scale = 2)]
    total: String,
}

fn main() {}
