//! The `schema` command line for a named model set, in a process of its own, so that
//! tests can check what a shell sees: exit codes, standard output and a closed pipe.
//!
//! ```text
//! schema_cli URL MODEL_SET <schema arguments>...
//! ```

#[path = "../model_sets.rs"]
mod model_sets;

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let mut args = std::env::args().skip(1);
    let (Some(url), Some(set)) = (args.next(), args.next()) else {
        eprintln!("usage: schema_cli URL MODEL_SET <schema arguments>...");
        std::process::exit(1);
    };
    let Some(models) = model_sets::by_name(&set) else {
        eprintln!("schema_cli: no model set {set:?}");
        std::process::exit(1);
    };
    let db = match schemasync::Db::connect(&url).await {
        Ok(db) => db,
        Err(e) => {
            eprintln!("schema_cli: {e}");
            std::process::exit(1);
        }
    };
    std::process::exit(schemasync::cli::main_with(&db, &models, args).await);
}
