use schemasync::Table;
use std::collections::HashMap;

#[derive(Table)]
struct User {
    id: i64,
    settings: HashMap<String, String>,
}

fn main() {}
