use schemasync::Table;

// The derive fails, but code that uses the trait still type-checks: one error only.
#[derive(Table)]
struct User {
    id: u32,
}

fn main() {
    let _ = <User as schemasync::Table>::table_def();
}
