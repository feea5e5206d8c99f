use schemasync::Table;

#[derive(sqlx::FromRow)]
struct Address {
    city: String,
}

#[derive(Table, sqlx::FromRow)]
struct User {
    id: i64,
    #[sqlx(flatten)]
    address: Address,
}

fn main() {}
