use schemasync::Table;

#[derive(Table)]
struct Pair(i64, String);

fn main() {}
