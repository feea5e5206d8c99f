use schemasync::Table;

#[derive(Table)]
struct Marker;

fn main() {}
