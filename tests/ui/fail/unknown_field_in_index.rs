use schemasync::Table;

#[derive(Table)]
#[table(index(created, name = "orders_created_idx"), unique(emial))]
struct Order {
    id: i64,
    created_at: i64,
    email: String,
}

fn main() {}
