use schemasync::Table;

#[derive(Table)]
#[table(nmae = "users")]
struct User {
    #[column(primary_key)]
    id: Option<i64>,
    #[column(len = 10)]
    age: i32,
    settings: std::collections::HashMap<String, String>,
    #[column(auto_increment)]
    code: String,
}

fn main() {}
