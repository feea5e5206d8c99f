use schemasync::Table;

#[derive(Table)]
#[table(primary_key(a, b))]
struct Pair {
    #[column(primary_key)]
    a: i64,
    b: i64,
}

fn main() {}
