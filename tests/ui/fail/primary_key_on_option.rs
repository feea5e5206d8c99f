use schemasync::Table;

#[derive(Table)]
struct User {
    #[column(primary_key)]
    id: Option<i64>,
}

fn main() {}
