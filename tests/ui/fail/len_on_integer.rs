use schemasync::Table;

#[derive(Table)]
struct User {
    #[column(len = 10)]
    age: i32,
}

fn main() {}
