use schemasync::Table;

#[derive(Table)]
struct User {
    #[column(primary_key, lenght = 20)]
    id: i64,
}

fn main() {}
