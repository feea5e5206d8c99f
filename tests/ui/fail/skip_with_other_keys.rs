use schemasync::Table;

#[derive(Table)]
struct User {
    id: i64,
    #[column(skip, len = 10)]
    cache: String,
}

fn main() {}
