use schemasync::Table;

#[derive(Table)]
#[table(name = "victims", check = "1=1)); DROP TABLE victim; SELECT ((1", index(id, where = "id > 0 -- comment"))]
struct Victim {
    #[column(primary_key, check = "id > (0")]
    id: i64,
    #[column(default_sql = "now(); DELETE FROM users")]
    at: Option<i64>,
}

fn main() {}
