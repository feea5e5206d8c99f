//! A small lending library whose schema is driven by schemasync.
//!
//! `cargo run -p example-app` uses a SQLite file, `example-app.db`, in the current
//! directory. Point `DATABASE_URL` at PostgreSQL or MySQL/MariaDB to use those instead.
//!
//! At start it calls `sync_on_boot`: with `ENVIRONMENT=development` (or `dev`, `test`,
//! `local`) the tables are rebuilt when the models changed; with `production` (or
//! `prod`, `staging`), or with nothing set, only safe, additive steps are applied.

mod models;

use models::{Author, Book, Loan, Member, Review};
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

/// `println!` that ends quietly when the reader has gone away (`example-app | head -1`).
macro_rules! say {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let _ = writeln!(std::io::stdout(), $($arg)*);
    }};
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
        .with_env_filter(tracing_subscriber::EnvFilter::try_from_env("RUST_LOG").unwrap_or_else(|_| "error".into()))
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

    // `cargo run -p example-app -- schema plan|apply|validate|drift|export|history`
    let mut args = std::env::args().skip(1);
    if args.next().as_deref() == Some("schema") {
        std::process::exit(schemasync::cli::main(&db, args).await);
    }
    say!("Connected to {} at {}.", db.backend(), schemasync::error::redact_url(&url));

    // The mode comes from the environment; the plan and what was done are printed,
    // in color on a terminal.
    let options = schemasync::SyncOptions::from_env()?.app_version(env!("CARGO_PKG_VERSION"));
    let synced = schemasync::sync_on_boot_with(&db, options).await?;
    synced.print();
    if matches!(synced.outcome, schemasync::Outcome::DryRun) {
        say!("Dry run: the app stops here, before using tables that may not match yet.");
        return Ok(());
    }

    seed(&db).await?;
    lend_a_book(&db).await?;
    report(&db).await?;
    Ok(())
}

/// Adds the first author, books, member and review once. Every insert is an upsert on
/// its natural key, so that instances booting together never trip over each other.
async fn seed(db: &Db) -> Result<(), sqlx::Error> {
    let author = "(SELECT id FROM authors WHERE name = 'Ursula K. Le Guin')";
    let member = "(SELECT id FROM members WHERE email = 'ged@example.com')";
    let book = "(SELECT id FROM books WHERE isbn = '9780547773742')";
    let rows = [
        ("name", "INSERT INTO authors (name, bio) VALUES ('Ursula K. Le Guin', 'Wrote Earthsea.')".to_string()),
        ("isbn", format!("INSERT INTO books (author_id, title, isbn, published_on, price_cents) SELECT {author}, 'A Wizard of Earthsea', '9780547773742', '1968-11-01', 1299 WHERE 1 = 1")),
        ("isbn", format!("INSERT INTO books (author_id, title, isbn) SELECT {author}, 'The Dispossessed', '9780061054884' WHERE 1 = 1")),
        ("email", "INSERT INTO members (email, display_name) VALUES ('ged@example.com', 'Ged')".to_string()),
        ("rating", format!("INSERT INTO reviews (book_id, member_id, rating, body) SELECT {book}, {member}, 5, 'Still the best.' WHERE 1 = 1")),
    ];
    let mut added = 0;
    for (key, insert) in rows {
        let sql = match db.backend() {
            Backend::MySql => format!("{insert} ON DUPLICATE KEY UPDATE {key} = {key}"),
            _ => format!("{insert} ON CONFLICT DO NOTHING"),
        };
        added += with_pool!(db, p => sqlx::query(&sql).execute(p).await?.rows_affected());
    }
    if added > 0 {
        say!("Added 1 author, 2 books, 1 member and 1 review.");
    }
    Ok(())
}

/// Lends the first book in stock to member 1, with bound parameters.
async fn lend_a_book(db: &Db) -> Result<(), sqlx::Error> {
    let sql = format!("INSERT INTO loans (book_id, member_id) VALUES ({}, {})", ph(db, 1), ph(db, 2));
    with_pool!(db, p => sqlx::query(&sql).bind(1_i64).bind(1_i64).execute(p).await.map(|_| ())?);
    Ok(())
}

async fn report(db: &Db) -> Result<(), sqlx::Error> {
    let authors: Vec<Author> =
        with_pool!(db, p => sqlx::query_as("SELECT * FROM authors ORDER BY id").fetch_all(p).await?);
    let books: Vec<Book> = with_pool!(db, p => sqlx::query_as("SELECT * FROM books ORDER BY id").fetch_all(p).await?);
    let members: Vec<Member> =
        with_pool!(db, p => sqlx::query_as("SELECT * FROM members ORDER BY id").fetch_all(p).await?);
    let loans: Vec<Loan> = with_pool!(db, p => sqlx::query_as("SELECT * FROM loans ORDER BY id").fetch_all(p).await?);
    let reviews: Vec<Review> = with_pool!(db, p => sqlx::query_as("SELECT * FROM reviews").fetch_all(p).await?);
    let author = |id: i64| authors.iter().find(|a| a.id == id).map(|a| a.name.as_str()).unwrap_or("?");
    let title = |id: i64| books.iter().find(|b| b.id == id).map(|b| b.title.as_str()).unwrap_or("?");
    let member = |id: i64| members.iter().find(|m| m.id == id).map(|m| m.display_name.as_str()).unwrap_or("?");

    say!("The shelves hold {} book(s):", books.len());
    for b in &books {
        let published = b.published_on.map(|d| d.to_string()).unwrap_or_else(|| "date unknown".into());
        say!(
            "  - {} by {} (ISBN {}, {published}, {} cents{})",
            b.title,
            author(b.author_id),
            b.isbn,
            b.price_cents,
            if b.in_stock { "" } else { ", out of stock" }
        );
    }
    for a in &authors {
        say!(
            "  About {}: {} (listed since {})",
            a.name,
            a.bio.as_deref().unwrap_or("no bio yet"),
            a.created_at.format("%Y-%m-%d")
        );
    }
    for m in &members {
        say!("  Member {} <{}>, joined {}", m.display_name, m.email, m.joined_at.format("%Y-%m-%d"));
    }
    for r in &reviews {
        say!(
            "  {} rated {} {}/5: {}",
            member(r.member_id),
            title(r.book_id),
            r.rating,
            r.body.as_deref().unwrap_or("")
        );
    }
    let open = loans.iter().filter(|l| l.returned_at.is_none()).count();
    if let Some(last) = loans.last() {
        say!(
            "{} loan(s) recorded, {open} still open; the latest (#{}): {} to {} at {}.",
            loans.len(),
            last.id,
            title(last.book_id),
            member(last.member_id),
            last.loaned_at.format("%Y-%m-%d %H:%M:%S UTC")
        );
    }
    Ok(())
}
