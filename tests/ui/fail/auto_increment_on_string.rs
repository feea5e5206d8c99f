use schemasync::Table;

#[derive(Table)]
struct User {
    #[column(primary_key, auto_increment)]
    id: String,
}

fn main() {}
