//! `schemasync models --url <url>`: models for an existing database, for a project that
//! has none yet. Install with `cargo install schemasync --features postgres,mysql`.

#[tokio::main(flavor = "current_thread")]
async fn main() {
    std::process::exit(schemasync::cli::standalone(std::env::args().skip(1)).await);
}
