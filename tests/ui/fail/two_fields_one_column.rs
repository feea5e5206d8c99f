use schemasync::Table;

#[derive(Table)]
struct User {
    email: String,
    #[column(name = "email")]
    backup_email: String,
}

fn main() {}
