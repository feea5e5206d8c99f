use schemasync::Table;

#[derive(Table)]
#[table(name = "lines", index(expr = "lower(sku"))]
struct Line {
    #[column(primary_key, auto_incremnt)]
    id: i64,
    sku: String,
    #[column(generated = "price * 2", default = 0)]
    total: i64,
    #[column(stored)]
    price: i64,
}

fn main() {}
