//! The library's models. Each `#[derive(Table)]` registers itself: there is no list of
//! models to keep up to date anywhere.

use chrono::{DateTime, NaiveDate, Utc};
use schemasync::Table;

/// Someone who writes books.
#[derive(Debug, Table, sqlx::FromRow)]
#[table(name = "authors", comment = "People who write the books we lend")]
pub struct Author {
    #[column(primary_key, auto_increment)]
    pub id: i64,
    #[column(len = 120, unique)]
    pub name: String,
    /// Nullable: not every author has a bio yet.
    pub bio: Option<String>,
    #[column(default_sql = "CURRENT_TIMESTAMP")]
    pub created_at: DateTime<Utc>,
}

/// A title on the shelves.
#[derive(Debug, Table, sqlx::FromRow)]
#[table(name = "books", index(author_id, published_on))]
pub struct Book {
    #[column(primary_key, auto_increment)]
    pub id: i64,
    #[column(references = "authors(id)", on_delete = "cascade")]
    pub author_id: i64,
    #[column(len = 200, index)]
    pub title: String,
    #[column(len = 13, unique)]
    pub isbn: String,
    pub published_on: Option<NaiveDate>,
    #[column(default = 0, check = "price_cents >= 0")]
    pub price_cents: i32,
    #[column(default = true)]
    pub in_stock: bool,
}

/// A library member.
#[derive(Debug, Table, sqlx::FromRow)]
#[table(name = "members")]
pub struct Member {
    #[column(primary_key, auto_increment)]
    pub id: i64,
    #[column(len = 255, unique)]
    pub email: String,
    #[column(len = 80)]
    pub display_name: String,
    #[column(default_sql = "CURRENT_TIMESTAMP")]
    pub joined_at: DateTime<Utc>,
}

/// A book lent to a member; open until `returned_at` is set.
#[derive(Debug, Table, sqlx::FromRow)]
#[table(name = "loans", index(member_id, returned_at))]
pub struct Loan {
    #[column(primary_key, auto_increment)]
    pub id: i64,
    #[column(references = "books(id)")]
    pub book_id: i64,
    #[column(references = "members(id)", on_delete = "cascade")]
    pub member_id: i64,
    #[column(default_sql = "CURRENT_TIMESTAMP")]
    pub loaned_at: DateTime<Utc>,
    pub returned_at: Option<DateTime<Utc>>,
}

/// One review per member and book.
#[derive(Debug, Table, sqlx::FromRow)]
#[table(name = "reviews", primary_key(book_id, member_id))]
pub struct Review {
    #[column(references = "books(id)", on_delete = "cascade")]
    pub book_id: i64,
    #[column(references = "members(id)", on_delete = "cascade")]
    pub member_id: i64,
    #[column(check = "rating BETWEEN 1 AND 5")]
    pub rating: i16,
    pub body: Option<String>,
}
