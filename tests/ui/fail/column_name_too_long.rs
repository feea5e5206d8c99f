use schemasync::Table;

#[derive(Table)]
struct User {
    id: i64,
    a_column_name_that_goes_on_and_on_well_past_what_postgres_allows_us: i32,
}

fn main() {}
