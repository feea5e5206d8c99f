use schemasync::Table;

#[derive(Table)]
struct Order {
    #[column(references = "users(id)", on_delete = "explode")]
    user_id: i64,
}

fn main() {}
