use schemasync::{SqlEnum, SqlType};


#[derive(SqlEnum)]
struct NotAnEnum {
    a: i32,
}

#[derive(SqlEnum)]
#[schemasync(as_txt)]
enum WithFields {
    Plain,
    Carries(i32),
    #[sqlx(rename = "Plain")]
    Plain2,
}

#[derive(SqlType)]
struct TwoFields(i32, i32);

fn main() {}
