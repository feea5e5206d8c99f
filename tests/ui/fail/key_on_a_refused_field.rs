use schemasync::Table;

#[derive(Table)]
#[table(name = "counters", index(hits))]
struct Counter {
    #[column(primary_key)]
    id: i64,
    hits: u32,
}

fn main() {}
