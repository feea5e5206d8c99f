use schemasync::Table;

#[derive(Table)]
struct User {
    id: u64,
}

fn main() {}
