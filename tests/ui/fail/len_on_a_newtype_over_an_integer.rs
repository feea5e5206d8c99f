use schemasync::{SqlType, Table};

#[derive(SqlType)]
struct Cents(i64);

#[derive(Table)]
#[table(name = "prices")]
struct Price {
    #[column(primary_key)]
    id: i64,
    #[column(len = 10)]
    amount: Cents,
}

fn main() {}
