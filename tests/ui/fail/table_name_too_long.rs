use schemasync::Table;

#[derive(Table)]
#[table(name = "a_table_name_that_goes_on_and_on_well_past_what_postgres_allows_us")]
struct User {
    id: i64,
}

fn main() {}
