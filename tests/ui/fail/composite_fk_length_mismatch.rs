use schemasync::Table;

#[derive(Table)]
#[table(foreign_key(columns(a, b), references = "pairs(a)"))]
struct Child {
    a: i64,
    b: i64,
}

fn main() {}
