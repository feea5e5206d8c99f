use schemasync::Table;

#[derive(Table)]
struct Order {
    #[column(references = "users(id)", on_delete = "set null")]
    user_id: i64,
}

fn main() {}
