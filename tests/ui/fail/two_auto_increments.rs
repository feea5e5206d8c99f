use schemasync::Table;

#[derive(Table)]
struct Counter {
    #[column(primary_key, auto_increment)]
    id: i64,
    #[column(auto_increment)]
    seq: i64,
}

fn main() {}
