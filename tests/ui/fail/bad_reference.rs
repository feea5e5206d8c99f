use schemasync::Table;

#[derive(Table)]
struct Order {
    #[column(references = "users.id")]
    user_id: i64,
}

fn main() {}
