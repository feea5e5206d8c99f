use schemasync::Table;

#[derive(Table)]
struct Order {
    #[column(on_delete = "cascade")]
    user_id: i64,
}

fn main() {}
