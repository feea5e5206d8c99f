//! A small lending library whose schema is driven by schemasync.
//!
//! `cargo run -p example-app` uses a SQLite file, `example-app.db`, in the current
//! directory. Point `DATABASE_URL` at PostgreSQL or MySQL/MariaDB to use those instead.

mod models;

use models::{Book, Loan, Review};
use schemasync::{Backend, Db};
use std::process::ExitCode;

/// Runs `$body` with `$pool` bound to the concrete sqlx pool inside `$db`.
macro_rules! with_pool {
    ($db:expr, $pool:ident => $body:expr) => {
        match $db {
            Db::Postgres($pool) => $body,
            Db::MySql($pool) => $body,
            Db::Sqlite($pool) => $body,
            _ => unreachable!("example-app enables every backend"),
        }
    };
}

/// The n-th bind placeholder in this backend's syntax.
fn ph(db: &Db, n: usize) -> String {
    match db.backend() {
        Backend::Postgres => format!("${n}"),
        _ => "?".to_string(),
    }
}

#[tokio::main]
async fn main() -> ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(tracing_subscriber::EnvFilter::try_from_env("RUST_LOG").unwrap_or_else(|_| "warn".into()))
        .init();
    match run().await {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("example-app: {e}");
            ExitCode::FAILURE
        }
    }
}

async fn run() -> Result<(), Box<dyn std::error::Error>> {
    let url = std::env::var("DATABASE_URL").unwrap_or_else(|_| "sqlite://example-app.db".into());
    let db = Db::connect(&url).await?;
    println!("Connected to {} at {}.", db.backend(), schemasync::error::redact_url(&url));

    let created = schemasync::create_all(&db).await?;
    if created.created().is_empty() {
        println!("All {} tables were already there; nothing to create.", created.plan.in_sync.len());
    } else {
        println!("Created {} table(s): {}.", created.created().len(), created.created().join(", "));
    }

    seed(&db).await?;
    lend_a_book(&db).await?;
    report(&db).await?;
    Ok(())
}

/// Adds the first author, book and member once.
async fn seed(db: &Db) -> Result<(), sqlx::Error> {
    let authors: i64 = with_pool!(db, p => sqlx::query_scalar("SELECT COUNT(*) FROM authors").fetch_one(p).await?);
    if authors > 0 {
        return Ok(());
    }
    for sql in [
        "INSERT INTO authors (name, bio) VALUES ('Ursula K. Le Guin', 'Wrote Earthsea.')",
        "INSERT INTO books (author_id, title, isbn, published_on, price_cents) VALUES (1, 'A Wizard of Earthsea', '9780547773742', '1968-11-01', 1299)",
        "INSERT INTO books (author_id, title, isbn) VALUES (1, 'The Dispossessed', '9780061054884')",
        "INSERT INTO members (email, display_name) VALUES ('ged@example.com', 'Ged')",
        "INSERT INTO reviews (book_id, member_id, rating, body) VALUES (1, 1, 5, 'Still the best.')",
    ] {
        with_pool!(db, p => sqlx::query(sql).execute(p).await.map(|_| ())?);
    }
    println!("Added 1 author, 2 books, 1 member and 1 review.");
    Ok(())
}

/// Lends the first book in stock to member 1, with bound parameters.
async fn lend_a_book(db: &Db) -> Result<(), sqlx::Error> {
    let sql = format!("INSERT INTO loans (book_id, member_id) VALUES ({}, {})", ph(db, 1), ph(db, 2));
    with_pool!(db, p => sqlx::query(&sql).bind(1_i64).bind(1_i64).execute(p).await.map(|_| ())?);
    Ok(())
}

async fn report(db: &Db) -> Result<(), sqlx::Error> {
    let books: Vec<Book> = with_pool!(db, p => sqlx::query_as("SELECT * FROM books ORDER BY id").fetch_all(p).await?);
    let loans: Vec<Loan> = with_pool!(db, p => sqlx::query_as("SELECT * FROM loans ORDER BY id").fetch_all(p).await?);
    println!("The shelves hold {} book(s):", books.len());
    for b in &books {
        let published = b.published_on.map(|d| d.to_string()).unwrap_or_else(|| "date unknown".into());
        println!(
            "  - {} (ISBN {}, {published}, {} cents{})",
            b.title,
            b.isbn,
            b.price_cents,
            if b.in_stock { "" } else { ", out of stock" }
        );
    }
    let reviews: Vec<Review> = with_pool!(db, p => sqlx::query_as("SELECT * FROM reviews").fetch_all(p).await?);
    for r in &reviews {
        println!(
            "  Review of book {} by member {}: {}/5 {}",
            r.book_id,
            r.member_id,
            r.rating,
            r.body.as_deref().unwrap_or("")
        );
    }
    let open = loans.iter().filter(|l| l.returned_at.is_none()).count();

    let latest = loans.last().map(|l| l.loaned_at.format("%Y-%m-%d %H:%M:%S UTC").to_string()).unwrap_or_default();
    println!("{} loan(s) recorded, {open} still open; the latest was made at {latest}.", loans.len());
    Ok(())
}
