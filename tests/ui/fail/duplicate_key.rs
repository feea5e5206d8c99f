use schemasync::Table;

#[derive(Table)]
struct User {
    #[column(len = 20, len = 30)]
    email: String,
}

fn main() {}
