use schemasync::Table;

#[derive(Table)]
#[table(name = 5)]
struct User {
    #[column(len = "20")]
    email: String,
}

fn main() {}
