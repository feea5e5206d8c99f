//! Fidelity on schemas written by other people: two public sample databases, Chinook and
//! Sakila, loaded from their official DDL (tests/sql/samples, with the license headers),
//! and compared with Rust models transcribed from that same DDL, table by table, column
//! by column: type, nullability, default, primary key, unique keys, indexes (unique and
//! with access methods), foreign keys with their ON DELETE / ON UPDATE actions, checks.
//!
//! What this proves: on DDL that schemasync did not write, in the spellings each
//! project's authors chose (`character varying`, `NVARCHAR`, `INT(10) UNSIGNED`,
//! `nextval(...)` defaults, `('now'::text)::date`, `[bracketed]` SQLite names,
//! `BLOB SUB_TYPE TEXT`...), the diff finds nothing where nothing differs. Every table
//! the DDL has is declared by a model (so `unmanaged` is empty) except Sakila's
//! PostgreSQL inheritance children, which no model declares on purpose. Views,
//! triggers, functions, rules, sequences and domains are not compared.
//!
//! Where the DDL says something no model can say, the model comes as close as it can,
//! and the test asserts exactly the difference schemasync reports, with the reason.
//!
//! Models are transcribed literally, down to `ON DELETE NO ACTION` and index names
//! (names are not compared; they are kept to make the transcription easy to check).
//! `sql_type` is used only for types no Rust type maps to.

#![allow(dead_code)] // the models are only read through their table definitions
#![allow(clippy::duplicated_attributes)] // `index(a), index(a, b)`: one attribute, several indexes

use schemasync::{Backend, Change, Diff, Models};
use schemasync_tests::TestDb;

/// Loads `ddl`, the whole file in one call, into a fresh database on `backend` and
/// compares it with `models`. `None` when the server was skipped.
async fn load_and_diff(backend: Backend, ddl: &str, models: &Models) -> Option<(TestDb, Diff)> {
    let t = TestDb::fresh(backend).await?;
    t.exec(ddl).await;
    let compared = models.diff(&t.db).await.unwrap_or_else(|e| panic!("{backend}: {e}"));
    Some((t, compared.diff))
}

fn assert_in_sync(backend: Backend, diff: &Diff) {
    assert!(diff.changes.is_empty(), "{backend}: false differences:\n{:#?}", diff.changes);
}

fn unmanaged(diff: &Diff) -> Vec<String> {
    let mut names: Vec<String> = diff.unmanaged.iter().map(|t| t.to_string()).collect();
    names.sort();
    names
}

// ---------------------------------------------------------------------------------------
// Chinook (lerocha/chinook-database 1.4.x). PostgreSQL's port names everything in
// snake_case; the MySQL and SQLite ports in PascalCase, with the same structure.
// ---------------------------------------------------------------------------------------

pub mod chinook {
    /// `Chinook_PostgreSql.sql`.
    pub mod snake {
        use chrono::NaiveDateTime;
        use rust_decimal::Decimal;
        use schemasync::{Models, Table};

        #[derive(Table)]
        #[table(name = "album", index(artist_id, name = "album_artist_id_idx"))]
        pub struct Album {
            #[column(primary_key)]
            pub album_id: i32,
            #[column(len = 160)]
            pub title: String,
            #[column(references = "artist(artist_id)", on_delete = "no action", on_update = "no action")]
            pub artist_id: i32,
        }

        #[derive(Table)]
        #[table(name = "artist")]
        pub struct Artist {
            #[column(primary_key)]
            pub artist_id: i32,
            #[column(len = 120)]
            pub name: Option<String>,
        }

        #[derive(Table)]
        #[table(name = "customer", index(support_rep_id, name = "customer_support_rep_id_idx"))]
        pub struct Customer {
            #[column(primary_key)]
            pub customer_id: i32,
            #[column(len = 40)]
            pub first_name: String,
            #[column(len = 20)]
            pub last_name: String,
            #[column(len = 80)]
            pub company: Option<String>,
            #[column(len = 70)]
            pub address: Option<String>,
            #[column(len = 40)]
            pub city: Option<String>,
            #[column(len = 40)]
            pub state: Option<String>,
            #[column(len = 40)]
            pub country: Option<String>,
            #[column(len = 10)]
            pub postal_code: Option<String>,
            #[column(len = 24)]
            pub phone: Option<String>,
            #[column(len = 24)]
            pub fax: Option<String>,
            #[column(len = 60)]
            pub email: String,
            #[column(references = "employee(employee_id)", on_delete = "no action", on_update = "no action")]
            pub support_rep_id: Option<i32>,
        }

        #[derive(Table)]
        #[table(name = "employee", index(reports_to, name = "employee_reports_to_idx"))]
        pub struct Employee {
            #[column(primary_key)]
            pub employee_id: i32,
            #[column(len = 20)]
            pub last_name: String,
            #[column(len = 20)]
            pub first_name: String,
            #[column(len = 30)]
            pub title: Option<String>,
            #[column(references = "employee(employee_id)", on_delete = "no action", on_update = "no action")]
            pub reports_to: Option<i32>,
            pub birth_date: Option<NaiveDateTime>,
            pub hire_date: Option<NaiveDateTime>,
            #[column(len = 70)]
            pub address: Option<String>,
            #[column(len = 40)]
            pub city: Option<String>,
            #[column(len = 40)]
            pub state: Option<String>,
            #[column(len = 40)]
            pub country: Option<String>,
            #[column(len = 10)]
            pub postal_code: Option<String>,
            #[column(len = 24)]
            pub phone: Option<String>,
            #[column(len = 24)]
            pub fax: Option<String>,
            #[column(len = 60)]
            pub email: Option<String>,
        }

        #[derive(Table)]
        #[table(name = "genre")]
        pub struct Genre {
            #[column(primary_key)]
            pub genre_id: i32,
            #[column(len = 120)]
            pub name: Option<String>,
        }

        #[derive(Table)]
        #[table(name = "invoice", index(customer_id, name = "invoice_customer_id_idx"))]
        pub struct Invoice {
            #[column(primary_key)]
            pub invoice_id: i32,
            #[column(references = "customer(customer_id)", on_delete = "no action", on_update = "no action")]
            pub customer_id: i32,
            pub invoice_date: NaiveDateTime,
            #[column(len = 70)]
            pub billing_address: Option<String>,
            #[column(len = 40)]
            pub billing_city: Option<String>,
            #[column(len = 40)]
            pub billing_state: Option<String>,
            #[column(len = 40)]
            pub billing_country: Option<String>,
            #[column(len = 10)]
            pub billing_postal_code: Option<String>,
            #[column(precision = 10, scale = 2)]
            pub total: Decimal,
        }

        #[derive(Table)]
        #[table(
            name = "invoice_line",
            index(invoice_id, name = "invoice_line_invoice_id_idx"),
            index(track_id, name = "invoice_line_track_id_idx")
        )]
        pub struct InvoiceLine {
            #[column(primary_key)]
            pub invoice_line_id: i32,
            #[column(references = "invoice(invoice_id)", on_delete = "no action", on_update = "no action")]
            pub invoice_id: i32,
            #[column(references = "track(track_id)", on_delete = "no action", on_update = "no action")]
            pub track_id: i32,
            #[column(precision = 10, scale = 2)]
            pub unit_price: Decimal,
            pub quantity: i32,
        }

        #[derive(Table)]
        #[table(name = "media_type")]
        pub struct MediaType {
            #[column(primary_key)]
            pub media_type_id: i32,
            #[column(len = 120)]
            pub name: Option<String>,
        }

        #[derive(Table)]
        #[table(name = "playlist")]
        pub struct Playlist {
            #[column(primary_key)]
            pub playlist_id: i32,
            #[column(len = 120)]
            pub name: Option<String>,
        }

        #[derive(Table)]
        #[table(
            name = "playlist_track",
            primary_key(playlist_id, track_id),
            index(playlist_id, name = "playlist_track_playlist_id_idx"),
            index(track_id, name = "playlist_track_track_id_idx")
        )]
        pub struct PlaylistTrack {
            #[column(references = "playlist(playlist_id)", on_delete = "no action", on_update = "no action")]
            pub playlist_id: i32,
            #[column(references = "track(track_id)", on_delete = "no action", on_update = "no action")]
            pub track_id: i32,
        }

        #[derive(Table)]
        #[table(
            name = "track",
            index(album_id, name = "track_album_id_idx"),
            index(genre_id, name = "track_genre_id_idx"),
            index(media_type_id, name = "track_media_type_id_idx")
        )]
        pub struct Track {
            #[column(primary_key)]
            pub track_id: i32,
            #[column(len = 200)]
            pub name: String,
            #[column(references = "album(album_id)", on_delete = "no action", on_update = "no action")]
            pub album_id: Option<i32>,
            #[column(references = "media_type(media_type_id)", on_delete = "no action", on_update = "no action")]
            pub media_type_id: i32,
            #[column(references = "genre(genre_id)", on_delete = "no action", on_update = "no action")]
            pub genre_id: Option<i32>,
            #[column(len = 220)]
            pub composer: Option<String>,
            pub milliseconds: i32,
            pub bytes: Option<i32>,
            #[column(precision = 10, scale = 2)]
            pub unit_price: Decimal,
        }

        pub fn models() -> Models {
            Models::new()
                .with::<Album>()
                .with::<Artist>()
                .with::<Customer>()
                .with::<Employee>()
                .with::<Genre>()
                .with::<Invoice>()
                .with::<InvoiceLine>()
                .with::<MediaType>()
                .with::<Playlist>()
                .with::<PlaylistTrack>()
                .with::<Track>()
        }
    }

    /// `Chinook_MySql.sql` and `Chinook_Sqlite.sql`: one model set for both. Columns are
    /// named by sqlx's `rename_all = "PascalCase"` (`album_id` is `AlbumId`).
    /// `NVARCHAR(n)` is MySQL's `varchar(n)` in a national character set (character sets
    /// are not compared) and SQLite's TEXT affinity, like the `len = n` String.
    /// `DATETIME` has no fraction on MySQL: `precision = 0`. SQLite's
    /// `[AlbumId] INTEGER NOT NULL ... PRIMARY KEY ([AlbumId])` is the rowid, which the
    /// model's `i32` key (SQLite `INTEGER`) is too.
    pub mod pascal {
        use chrono::NaiveDateTime;
        use rust_decimal::Decimal;
        use schemasync::{Models, Table};

        #[derive(Table, sqlx::FromRow)]
        #[table(name = "Album", index(artist_id, name = "IFK_AlbumArtistId"))]
        #[sqlx(rename_all = "PascalCase")]
        pub struct Album {
            #[column(primary_key)]
            pub album_id: i32,
            #[column(len = 160)]
            pub title: String,
            #[column(references = "Artist(ArtistId)", on_delete = "no action", on_update = "no action")]
            pub artist_id: i32,
        }

        #[derive(Table, sqlx::FromRow)]
        #[table(name = "Artist")]
        #[sqlx(rename_all = "PascalCase")]
        pub struct Artist {
            #[column(primary_key)]
            pub artist_id: i32,
            #[column(len = 120)]
            pub name: Option<String>,
        }

        #[derive(Table, sqlx::FromRow)]
        #[table(name = "Customer", index(support_rep_id, name = "IFK_CustomerSupportRepId"))]
        #[sqlx(rename_all = "PascalCase")]
        pub struct Customer {
            #[column(primary_key)]
            pub customer_id: i32,
            #[column(len = 40)]
            pub first_name: String,
            #[column(len = 20)]
            pub last_name: String,
            #[column(len = 80)]
            pub company: Option<String>,
            #[column(len = 70)]
            pub address: Option<String>,
            #[column(len = 40)]
            pub city: Option<String>,
            #[column(len = 40)]
            pub state: Option<String>,
            #[column(len = 40)]
            pub country: Option<String>,
            #[column(len = 10)]
            pub postal_code: Option<String>,
            #[column(len = 24)]
            pub phone: Option<String>,
            #[column(len = 24)]
            pub fax: Option<String>,
            #[column(len = 60)]
            pub email: String,
            #[column(references = "Employee(EmployeeId)", on_delete = "no action", on_update = "no action")]
            pub support_rep_id: Option<i32>,
        }

        #[derive(Table, sqlx::FromRow)]
        #[table(name = "Employee", index(reports_to, name = "IFK_EmployeeReportsTo"))]
        #[sqlx(rename_all = "PascalCase")]
        pub struct Employee {
            #[column(primary_key)]
            pub employee_id: i32,
            #[column(len = 20)]
            pub last_name: String,
            #[column(len = 20)]
            pub first_name: String,
            #[column(len = 30)]
            pub title: Option<String>,
            #[column(references = "Employee(EmployeeId)", on_delete = "no action", on_update = "no action")]
            pub reports_to: Option<i32>,
            #[column(precision = 0)]
            pub birth_date: Option<NaiveDateTime>,
            #[column(precision = 0)]
            pub hire_date: Option<NaiveDateTime>,
            #[column(len = 70)]
            pub address: Option<String>,
            #[column(len = 40)]
            pub city: Option<String>,
            #[column(len = 40)]
            pub state: Option<String>,
            #[column(len = 40)]
            pub country: Option<String>,
            #[column(len = 10)]
            pub postal_code: Option<String>,
            #[column(len = 24)]
            pub phone: Option<String>,
            #[column(len = 24)]
            pub fax: Option<String>,
            #[column(len = 60)]
            pub email: Option<String>,
        }

        #[derive(Table, sqlx::FromRow)]
        #[table(name = "Genre")]
        #[sqlx(rename_all = "PascalCase")]
        pub struct Genre {
            #[column(primary_key)]
            pub genre_id: i32,
            #[column(len = 120)]
            pub name: Option<String>,
        }

        #[derive(Table, sqlx::FromRow)]
        #[table(name = "Invoice", index(customer_id, name = "IFK_InvoiceCustomerId"))]
        #[sqlx(rename_all = "PascalCase")]
        pub struct Invoice {
            #[column(primary_key)]
            pub invoice_id: i32,
            #[column(references = "Customer(CustomerId)", on_delete = "no action", on_update = "no action")]
            pub customer_id: i32,
            #[column(precision = 0)]
            pub invoice_date: NaiveDateTime,
            #[column(len = 70)]
            pub billing_address: Option<String>,
            #[column(len = 40)]
            pub billing_city: Option<String>,
            #[column(len = 40)]
            pub billing_state: Option<String>,
            #[column(len = 40)]
            pub billing_country: Option<String>,
            #[column(len = 10)]
            pub billing_postal_code: Option<String>,
            #[column(precision = 10, scale = 2)]
            pub total: Decimal,
        }

        #[derive(Table, sqlx::FromRow)]
        #[table(
            name = "InvoiceLine",
            index(invoice_id, name = "IFK_InvoiceLineInvoiceId"),
            index(track_id, name = "IFK_InvoiceLineTrackId")
        )]
        #[sqlx(rename_all = "PascalCase")]
        pub struct InvoiceLine {
            #[column(primary_key)]
            pub invoice_line_id: i32,
            #[column(references = "Invoice(InvoiceId)", on_delete = "no action", on_update = "no action")]
            pub invoice_id: i32,
            #[column(references = "Track(TrackId)", on_delete = "no action", on_update = "no action")]
            pub track_id: i32,
            #[column(precision = 10, scale = 2)]
            pub unit_price: Decimal,
            pub quantity: i32,
        }

        #[derive(Table, sqlx::FromRow)]
        #[table(name = "MediaType")]
        #[sqlx(rename_all = "PascalCase")]
        pub struct MediaType {
            #[column(primary_key)]
            pub media_type_id: i32,
            #[column(len = 120)]
            pub name: Option<String>,
        }

        #[derive(Table, sqlx::FromRow)]
        #[table(name = "Playlist")]
        #[sqlx(rename_all = "PascalCase")]
        pub struct Playlist {
            #[column(primary_key)]
            pub playlist_id: i32,
            #[column(len = 120)]
            pub name: Option<String>,
        }

        #[derive(Table, sqlx::FromRow)]
        #[table(
            name = "PlaylistTrack",
            primary_key(playlist_id, track_id),
            index(playlist_id, name = "IFK_PlaylistTrackPlaylistId"),
            index(track_id, name = "IFK_PlaylistTrackTrackId")
        )]
        #[sqlx(rename_all = "PascalCase")]
        pub struct PlaylistTrack {
            #[column(references = "Playlist(PlaylistId)", on_delete = "no action", on_update = "no action")]
            pub playlist_id: i32,
            #[column(references = "Track(TrackId)", on_delete = "no action", on_update = "no action")]
            pub track_id: i32,
        }

        #[derive(Table, sqlx::FromRow)]
        #[table(
            name = "Track",
            index(album_id, name = "IFK_TrackAlbumId"),
            index(genre_id, name = "IFK_TrackGenreId"),
            index(media_type_id, name = "IFK_TrackMediaTypeId")
        )]
        #[sqlx(rename_all = "PascalCase")]
        pub struct Track {
            #[column(primary_key)]
            pub track_id: i32,
            #[column(len = 200)]
            pub name: String,
            #[column(references = "Album(AlbumId)", on_delete = "no action", on_update = "no action")]
            pub album_id: Option<i32>,
            #[column(references = "MediaType(MediaTypeId)", on_delete = "no action", on_update = "no action")]
            pub media_type_id: i32,
            #[column(references = "Genre(GenreId)", on_delete = "no action", on_update = "no action")]
            pub genre_id: Option<i32>,
            #[column(len = 220)]
            pub composer: Option<String>,
            pub milliseconds: i32,
            pub bytes: Option<i32>,
            #[column(precision = 10, scale = 2)]
            pub unit_price: Decimal,
        }

        pub fn models() -> Models {
            Models::new()
                .with::<Album>()
                .with::<Artist>()
                .with::<Customer>()
                .with::<Employee>()
                .with::<Genre>()
                .with::<Invoice>()
                .with::<InvoiceLine>()
                .with::<MediaType>()
                .with::<Playlist>()
                .with::<PlaylistTrack>()
                .with::<Track>()
        }
    }
}

#[tokio::test]
async fn chinook_postgres() {
    let ddl = include_str!("../sql/samples/chinook/postgres.sql");
    let Some((_t, diff)) = load_and_diff(Backend::Postgres, ddl, &chinook::snake::models()).await else { return };
    assert_in_sync(Backend::Postgres, &diff);
    assert!(diff.unmanaged.is_empty(), "{:?}", unmanaged(&diff));
}

#[tokio::test]
async fn chinook_mysql() {
    let ddl = include_str!("../sql/samples/chinook/mysql.sql");
    let Some((_t, diff)) = load_and_diff(Backend::MySql, ddl, &chinook::pascal::models()).await else { return };
    assert_in_sync(Backend::MySql, &diff);
    assert!(diff.unmanaged.is_empty(), "{:?}", unmanaged(&diff));
}

#[tokio::test]
async fn chinook_sqlite() {
    let ddl = include_str!("../sql/samples/chinook/sqlite.sql");
    let Some((_t, diff)) = load_and_diff(Backend::Sqlite, ddl, &chinook::pascal::models()).await else { return };
    assert_in_sync(Backend::Sqlite, &diff);
    assert!(diff.unmanaged.is_empty(), "{:?}", unmanaged(&diff));
}

// ---------------------------------------------------------------------------------------
// Sakila (jOOQ/sakila). Three ports that differ in more than spelling: PostgreSQL (the
// pagila dump) has `serial` keys, a domain, an enum type, `text[]`, `tsvector` and
// inheritance partitions; MySQL has unsigned integers, ENUM, SET, YEAR and
// `ON UPDATE CURRENT_TIMESTAMP`; SQLite has its own columns and checks. One model set
// per port.
// ---------------------------------------------------------------------------------------

pub mod sakila {
    /// `postgres-sakila-schema.sql`: an old pg_dump. `integer DEFAULT nextval('..._seq')`
    /// is a `serial` key: `auto_increment`. `now()` defaults are written as the dump has them.
    pub mod postgres {
        use chrono::{NaiveDate, NaiveDateTime};
        use rust_decimal::Decimal;
        use schemasync::{Models, Table};

        #[derive(Table)]
        #[table(name = "actor", index(last_name, name = "idx_actor_last_name"))]
        pub struct Actor {
            #[column(primary_key, auto_increment)]
            pub actor_id: i32,
            #[column(len = 45)]
            pub first_name: String,
            #[column(len = 45)]
            pub last_name: String,
            #[column(default_sql = "now()")]
            pub last_update: NaiveDateTime,
        }

        #[derive(Table)]
        #[table(name = "category")]
        pub struct Category {
            #[column(primary_key, auto_increment)]
            pub category_id: i32,
            #[column(len = 25)]
            pub name: String,
            #[column(default_sql = "now()")]
            pub last_update: NaiveDateTime,
        }

        #[derive(Table)]
        #[table(
            name = "film",
            index(fulltext, using = "gist", name = "film_fulltext_idx"),
            index(language_id, name = "idx_fk_language_id"),
            index(original_language_id, name = "idx_fk_original_language_id"),
            index(title, name = "idx_title")
        )]
        pub struct Film {
            #[column(primary_key, auto_increment)]
            pub film_id: i32,
            #[column(len = 255)]
            pub title: String,
            pub description: Option<String>,
            /// The domain `year` (an integer with a check).
            #[column(sql_type = "year")]
            pub release_year: Option<i32>,
            #[column(references = "language(language_id)", on_update = "cascade", on_delete = "restrict")]
            pub language_id: i32,
            #[column(references = "language(language_id)", on_update = "cascade", on_delete = "restrict")]
            pub original_language_id: Option<i32>,
            #[column(default = 3)]
            pub rental_duration: i16,
            #[column(precision = 4, scale = 2, default = 4.99)]
            pub rental_rate: Decimal,
            pub length: Option<i16>,
            #[column(precision = 5, scale = 2, default = 19.99)]
            pub replacement_cost: Decimal,
            /// The enum type `mpaa_rating`; the dump's default is `'G'::mpaa_rating`.
            #[column(sql_type = "mpaa_rating", default = "G")]
            pub rating: Option<String>,
            #[column(default_sql = "now()")]
            pub last_update: NaiveDateTime,
            #[column(sql_type = "text[]")]
            pub special_features: Option<Vec<String>>,
            #[column(sql_type = "tsvector")]
            pub fulltext: String,
        }

        #[derive(Table)]
        #[table(name = "film_actor", primary_key(actor_id, film_id), index(film_id, name = "idx_fk_film_id"))]
        pub struct FilmActor {
            #[column(references = "actor(actor_id)", on_update = "cascade", on_delete = "restrict")]
            pub actor_id: i32,
            #[column(references = "film(film_id)", on_update = "cascade", on_delete = "restrict")]
            pub film_id: i32,
            #[column(default_sql = "now()")]
            pub last_update: NaiveDateTime,
        }

        #[derive(Table)]
        #[table(name = "film_category", primary_key(film_id, category_id))]
        pub struct FilmCategory {
            #[column(references = "film(film_id)", on_update = "cascade", on_delete = "restrict")]
            pub film_id: i32,
            #[column(references = "category(category_id)", on_update = "cascade", on_delete = "restrict")]
            pub category_id: i32,
            #[column(default_sql = "now()")]
            pub last_update: NaiveDateTime,
        }

        #[derive(Table)]
        #[table(name = "address", index(city_id, name = "idx_fk_city_id"))]
        pub struct Address {
            #[column(primary_key, auto_increment)]
            pub address_id: i32,
            #[column(len = 50)]
            pub address: String,
            #[column(len = 50)]
            pub address2: Option<String>,
            #[column(len = 20)]
            pub district: String,
            #[column(references = "city(city_id)", on_update = "cascade", on_delete = "restrict")]
            pub city_id: i32,
            #[column(len = 10)]
            pub postal_code: Option<String>,
            #[column(len = 20)]
            pub phone: String,
            #[column(default_sql = "now()")]
            pub last_update: NaiveDateTime,
        }

        #[derive(Table)]
        #[table(name = "city", index(country_id, name = "idx_fk_country_id"))]
        pub struct City {
            #[column(primary_key, auto_increment)]
            pub city_id: i32,
            #[column(len = 50)]
            pub city: String,
            #[column(references = "country(country_id)", on_update = "cascade", on_delete = "restrict")]
            pub country_id: i32,
            #[column(default_sql = "now()")]
            pub last_update: NaiveDateTime,
        }

        #[derive(Table)]
        #[table(name = "country")]
        pub struct Country {
            #[column(primary_key, auto_increment)]
            pub country_id: i32,
            #[column(len = 50)]
            pub country: String,
            #[column(default_sql = "now()")]
            pub last_update: NaiveDateTime,
        }

        #[derive(Table)]
        #[table(
            name = "customer",
            index(address_id, name = "idx_fk_address_id"),
            index(store_id, name = "idx_fk_store_id"),
            index(last_name, name = "idx_last_name")
        )]
        pub struct Customer {
            #[column(primary_key, auto_increment)]
            pub customer_id: i32,
            #[column(references = "store(store_id)", on_update = "cascade", on_delete = "restrict")]
            pub store_id: i32,
            #[column(len = 45)]
            pub first_name: String,
            #[column(len = 45)]
            pub last_name: String,
            #[column(len = 50)]
            pub email: Option<String>,
            #[column(references = "address(address_id)", on_update = "cascade", on_delete = "restrict")]
            pub address_id: i32,
            #[column(default = true)]
            pub activebool: bool,
            /// How old pg_dumps write `CURRENT_DATE`.
            #[column(default_sql = "('now'::text)::date")]
            pub create_date: NaiveDate,
            #[column(default_sql = "now()")]
            pub last_update: Option<NaiveDateTime>,
            pub active: Option<i32>,
        }

        #[derive(Table)]
        #[table(name = "inventory", index(store_id, film_id, name = "idx_store_id_film_id"))]
        pub struct Inventory {
            #[column(primary_key, auto_increment)]
            pub inventory_id: i32,
            #[column(references = "film(film_id)", on_update = "cascade", on_delete = "restrict")]
            pub film_id: i32,
            #[column(references = "store(store_id)", on_update = "cascade", on_delete = "restrict")]
            pub store_id: i32,
            #[column(default_sql = "now()")]
            pub last_update: NaiveDateTime,
        }

        #[derive(Table)]
        #[table(name = "language")]
        pub struct Language {
            #[column(primary_key, auto_increment)]
            pub language_id: i32,
            #[column(sql_type = "character(20)")]
            pub name: String,
            #[column(default_sql = "now()")]
            pub last_update: NaiveDateTime,
        }

        /// The parent of the `payment_p2007_*` inheritance children, which no model
        /// declares: they are unmanaged.
        #[derive(Table)]
        #[table(
            name = "payment",
            index(customer_id, name = "idx_fk_customer_id"),
            index(staff_id, name = "idx_fk_staff_id")
        )]
        pub struct Payment {
            #[column(primary_key, auto_increment)]
            pub payment_id: i32,
            #[column(references = "customer(customer_id)", on_update = "cascade", on_delete = "restrict")]
            pub customer_id: i32,
            #[column(references = "staff(staff_id)", on_update = "cascade", on_delete = "restrict")]
            pub staff_id: i32,
            /// The DDL says `rental_id integer NOT NULL` with `ON DELETE SET NULL`: a
            /// deleted rental would make the delete fail on the NOT NULL. A model
            /// cannot say that (the derive refuses SET NULL on a NOT NULL column), so
            /// the model keeps the action and makes the column nullable; the test
            /// expects exactly that nullability difference.
            #[column(references = "rental(rental_id)", on_update = "cascade", on_delete = "set null")]
            pub rental_id: Option<i32>,
            #[column(precision = 5, scale = 2)]
            pub amount: Decimal,
            pub payment_date: NaiveDateTime,
        }

        #[derive(Table)]
        #[table(
            name = "rental",
            index(inventory_id, name = "idx_fk_inventory_id"),
            index(
                rental_date,
                inventory_id,
                customer_id,
                unique,
                name = "idx_unq_rental_rental_date_inventory_id_customer_id"
            )
        )]
        pub struct Rental {
            #[column(primary_key, auto_increment)]
            pub rental_id: i32,
            pub rental_date: NaiveDateTime,
            #[column(references = "inventory(inventory_id)", on_update = "cascade", on_delete = "restrict")]
            pub inventory_id: i32,
            #[column(references = "customer(customer_id)", on_update = "cascade", on_delete = "restrict")]
            pub customer_id: i32,
            pub return_date: Option<NaiveDateTime>,
            #[column(references = "staff(staff_id)", on_update = "cascade", on_delete = "restrict")]
            pub staff_id: i32,
            #[column(default_sql = "now()")]
            pub last_update: NaiveDateTime,
        }

        #[derive(Table)]
        #[table(name = "staff")]
        pub struct Staff {
            #[column(primary_key, auto_increment)]
            pub staff_id: i32,
            #[column(len = 45)]
            pub first_name: String,
            #[column(len = 45)]
            pub last_name: String,
            #[column(references = "address(address_id)", on_update = "cascade", on_delete = "restrict")]
            pub address_id: i32,
            #[column(len = 50)]
            pub email: Option<String>,
            /// The one foreign key of the dump declared without actions.
            #[column(references = "store(store_id)")]
            pub store_id: i32,
            #[column(default = true)]
            pub active: bool,
            #[column(len = 16)]
            pub username: String,
            #[column(len = 40)]
            pub password: Option<String>,
            #[column(default_sql = "now()")]
            pub last_update: NaiveDateTime,
            pub picture: Option<Vec<u8>>,
        }

        #[derive(Table)]
        #[table(name = "store", index(manager_staff_id, unique, name = "idx_unq_manager_staff_id"))]
        pub struct Store {
            #[column(primary_key, auto_increment)]
            pub store_id: i32,
            #[column(references = "staff(staff_id)", on_update = "cascade", on_delete = "restrict")]
            pub manager_staff_id: i32,
            #[column(references = "address(address_id)", on_update = "cascade", on_delete = "restrict")]
            pub address_id: i32,
            #[column(default_sql = "now()")]
            pub last_update: NaiveDateTime,
        }

        pub fn models() -> Models {
            Models::new()
                .with::<Actor>()
                .with::<Category>()
                .with::<Film>()
                .with::<FilmActor>()
                .with::<FilmCategory>()
                .with::<Address>()
                .with::<City>()
                .with::<Country>()
                .with::<Customer>()
                .with::<Inventory>()
                .with::<Language>()
                .with::<Payment>()
                .with::<Rental>()
                .with::<Staff>()
                .with::<Store>()
        }
    }

    /// `mysql-sakila-schema.sql` (Sakila 0.8, MariaDB). Unsigned integers, `TEXT`, `YEAR`,
    /// `ENUM`, `SET`, `CHAR`, `MEDIUMBLOB` and `TIMESTAMP` have no Rust mapping, so they
    /// are `sql_type`s; `DATETIME` is a chrono time with `precision = 0`.
    /// `ON UPDATE CURRENT_TIMESTAMP` cannot be declared by a model and is not compared.
    /// The keys are `INT UNSIGNED NOT NULL AUTO_INCREMENT`: an integer field with
    /// `auto_increment` and `sql_type = "int unsigned"`.
    pub mod mysql {
        use chrono::{DateTime, NaiveDateTime, Utc};
        use rust_decimal::Decimal;
        use schemasync::{Models, Table};

        #[derive(Table)]
        #[table(name = "actor", index(last_name, name = "idx_actor_last_name"))]
        pub struct Actor {
            #[column(primary_key, auto_increment, sql_type = "int unsigned")]
            pub actor_id: i64,
            #[column(len = 45)]
            pub first_name: String,
            #[column(len = 45)]
            pub last_name: String,
            #[column(sql_type = "timestamp", default_sql = "CURRENT_TIMESTAMP")]
            pub last_update: DateTime<Utc>,
        }

        #[derive(Table)]
        #[table(name = "address", index(city_id, name = "idx_fk_city_id"))]
        pub struct Address {
            #[column(primary_key, auto_increment, sql_type = "int unsigned")]
            pub address_id: i64,
            #[column(len = 50)]
            pub address: String,
            #[column(len = 50)]
            pub address2: Option<String>,
            #[column(len = 20)]
            pub district: String,
            #[column(
                sql_type = "int unsigned",
                references = "city(city_id)",
                on_delete = "restrict",
                on_update = "cascade"
            )]
            pub city_id: i64,
            #[column(len = 10)]
            pub postal_code: Option<String>,
            #[column(len = 20)]
            pub phone: String,
            #[column(sql_type = "timestamp", default_sql = "CURRENT_TIMESTAMP")]
            pub last_update: DateTime<Utc>,
        }

        #[derive(Table)]
        #[table(name = "category")]
        pub struct Category {
            #[column(primary_key, auto_increment, sql_type = "int unsigned")]
            pub category_id: i64,
            #[column(len = 25)]
            pub name: String,
            #[column(sql_type = "timestamp", default_sql = "CURRENT_TIMESTAMP")]
            pub last_update: DateTime<Utc>,
        }

        #[derive(Table)]
        #[table(name = "city", index(country_id, name = "idx_fk_country_id"))]
        pub struct City {
            #[column(primary_key, auto_increment, sql_type = "int unsigned")]
            pub city_id: i64,
            #[column(len = 50)]
            pub city: String,
            #[column(
                sql_type = "int unsigned",
                references = "country(country_id)",
                on_delete = "restrict",
                on_update = "cascade"
            )]
            pub country_id: i64,
            #[column(sql_type = "timestamp", default_sql = "CURRENT_TIMESTAMP")]
            pub last_update: DateTime<Utc>,
        }

        #[derive(Table)]
        #[table(name = "country")]
        pub struct Country {
            #[column(primary_key, auto_increment, sql_type = "int unsigned")]
            pub country_id: i64,
            #[column(len = 50)]
            pub country: String,
            #[column(sql_type = "timestamp", default_sql = "CURRENT_TIMESTAMP")]
            pub last_update: DateTime<Utc>,
        }

        #[derive(Table)]
        #[table(
            name = "customer",
            index(store_id, name = "idx_fk_store_id"),
            index(address_id, name = "idx_fk_address_id"),
            index(last_name, name = "idx_last_name")
        )]
        pub struct Customer {
            #[column(primary_key, auto_increment, sql_type = "int unsigned")]
            pub customer_id: i64,
            #[column(
                sql_type = "int unsigned",
                references = "store(store_id)",
                on_delete = "restrict",
                on_update = "cascade"
            )]
            pub store_id: i64,
            #[column(len = 45)]
            pub first_name: String,
            #[column(len = 45)]
            pub last_name: String,
            #[column(len = 50)]
            pub email: Option<String>,
            #[column(
                sql_type = "int unsigned",
                references = "address(address_id)",
                on_delete = "restrict",
                on_update = "cascade"
            )]
            pub address_id: i64,
            #[column(default = true)]
            pub active: bool,
            #[column(precision = 0)]
            pub create_date: NaiveDateTime,
            /// `TIMESTAMP` without NOT NULL: nullable (explicit_defaults_for_timestamp).
            #[column(sql_type = "timestamp", default_sql = "CURRENT_TIMESTAMP")]
            pub last_update: Option<DateTime<Utc>>,
        }

        #[derive(Table)]
        #[table(
            name = "film",
            index(title, name = "idx_title"),
            index(language_id, name = "idx_fk_language_id"),
            index(original_language_id, name = "idx_fk_original_language_id")
        )]
        pub struct Film {
            #[column(primary_key, auto_increment, sql_type = "int unsigned")]
            pub film_id: i64,
            #[column(len = 255)]
            pub title: String,
            #[column(sql_type = "text")]
            pub description: Option<String>,
            /// `YEAR`, as the DDL writes it (MariaDB reports `year(4)`, the same type).
            #[column(sql_type = "year")]
            pub release_year: Option<i16>,
            #[column(
                sql_type = "int unsigned",
                references = "language(language_id)",
                on_delete = "restrict",
                on_update = "cascade"
            )]
            pub language_id: i64,
            #[column(
                sql_type = "int unsigned",
                references = "language(language_id)",
                on_delete = "restrict",
                on_update = "cascade"
            )]
            pub original_language_id: Option<i64>,
            #[column(sql_type = "tinyint unsigned", default = 3)]
            pub rental_duration: i16,
            #[column(precision = 4, scale = 2, default = 4.99)]
            pub rental_rate: Decimal,
            #[column(sql_type = "smallint unsigned")]
            pub length: Option<i32>,
            #[column(precision = 5, scale = 2, default = 19.99)]
            pub replacement_cost: Decimal,
            #[column(sql_type = "ENUM('G','PG','PG-13','R','NC-17')", default = "G")]
            pub rating: Option<String>,
            #[column(sql_type = "SET('Trailers','Commentaries','Deleted Scenes','Behind the Scenes')")]
            pub special_features: Option<String>,
            #[column(sql_type = "timestamp", default_sql = "CURRENT_TIMESTAMP")]
            pub last_update: DateTime<Utc>,
        }

        #[derive(Table)]
        #[table(name = "film_actor", primary_key(actor_id, film_id), index(film_id, name = "idx_fk_film_id"))]
        pub struct FilmActor {
            #[column(
                sql_type = "int unsigned",
                references = "actor(actor_id)",
                on_delete = "restrict",
                on_update = "cascade"
            )]
            pub actor_id: i64,
            #[column(
                sql_type = "int unsigned",
                references = "film(film_id)",
                on_delete = "restrict",
                on_update = "cascade"
            )]
            pub film_id: i64,
            #[column(sql_type = "timestamp", default_sql = "CURRENT_TIMESTAMP")]
            pub last_update: DateTime<Utc>,
        }

        #[derive(Table)]
        #[table(name = "film_category", primary_key(film_id, category_id))]
        pub struct FilmCategory {
            #[column(
                sql_type = "int unsigned",
                references = "film(film_id)",
                on_delete = "restrict",
                on_update = "cascade"
            )]
            pub film_id: i64,
            #[column(
                sql_type = "int unsigned",
                references = "category(category_id)",
                on_delete = "restrict",
                on_update = "cascade"
            )]
            pub category_id: i64,
            #[column(sql_type = "timestamp", default_sql = "CURRENT_TIMESTAMP")]
            pub last_update: DateTime<Utc>,
        }

        #[derive(Table)]
        #[table(name = "film_text", index(title, description, using = "fulltext", name = "idx_title_description"))]
        pub struct FilmText {
            #[column(primary_key)]
            pub film_id: i32,
            #[column(len = 255)]
            pub title: String,
            #[column(sql_type = "text")]
            pub description: Option<String>,
        }

        #[derive(Table)]
        #[table(
            name = "inventory",
            index(film_id, name = "idx_fk_film_id"),
            index(store_id, film_id, name = "idx_store_id_film_id")
        )]
        pub struct Inventory {
            #[column(primary_key, auto_increment, sql_type = "int unsigned")]
            pub inventory_id: i64,
            #[column(
                sql_type = "int unsigned",
                references = "film(film_id)",
                on_delete = "restrict",
                on_update = "cascade"
            )]
            pub film_id: i64,
            #[column(
                sql_type = "int unsigned",
                references = "store(store_id)",
                on_delete = "restrict",
                on_update = "cascade"
            )]
            pub store_id: i64,
            #[column(sql_type = "timestamp", default_sql = "CURRENT_TIMESTAMP")]
            pub last_update: DateTime<Utc>,
        }

        #[derive(Table)]
        #[table(name = "language")]
        pub struct Language {
            #[column(primary_key, auto_increment, sql_type = "int unsigned")]
            pub language_id: i64,
            #[column(sql_type = "char(20)")]
            pub name: String,
            #[column(sql_type = "timestamp", default_sql = "CURRENT_TIMESTAMP")]
            pub last_update: DateTime<Utc>,
        }

        #[derive(Table)]
        #[table(
            name = "payment",
            index(staff_id, name = "idx_fk_staff_id"),
            index(customer_id, name = "idx_fk_customer_id")
        )]
        pub struct Payment {
            #[column(primary_key, auto_increment, sql_type = "int unsigned")]
            pub payment_id: i64,
            #[column(
                sql_type = "int unsigned",
                references = "customer(customer_id)",
                on_delete = "restrict",
                on_update = "cascade"
            )]
            pub customer_id: i64,
            #[column(
                sql_type = "int unsigned",
                references = "staff(staff_id)",
                on_delete = "restrict",
                on_update = "cascade"
            )]
            pub staff_id: i64,
            #[column(references = "rental(rental_id)", on_delete = "set null", on_update = "cascade")]
            pub rental_id: Option<i32>,
            #[column(precision = 5, scale = 2)]
            pub amount: Decimal,
            #[column(precision = 0)]
            pub payment_date: NaiveDateTime,
            #[column(sql_type = "timestamp", default_sql = "CURRENT_TIMESTAMP")]
            pub last_update: Option<DateTime<Utc>>,
        }

        #[derive(Table)]
        #[table(
            name = "rental",
            unique(rental_date, inventory_id, customer_id),
            index(inventory_id, name = "idx_fk_inventory_id"),
            index(customer_id, name = "idx_fk_customer_id"),
            index(staff_id, name = "idx_fk_staff_id")
        )]
        pub struct Rental {
            /// The one signed key: `INT NOT NULL AUTO_INCREMENT`, which a model can say.
            #[column(primary_key, auto_increment)]
            pub rental_id: i32,
            #[column(precision = 0)]
            pub rental_date: NaiveDateTime,
            #[column(
                sql_type = "int unsigned",
                references = "inventory(inventory_id)",
                on_delete = "restrict",
                on_update = "cascade"
            )]
            pub inventory_id: i64,
            #[column(
                sql_type = "int unsigned",
                references = "customer(customer_id)",
                on_delete = "restrict",
                on_update = "cascade"
            )]
            pub customer_id: i64,
            #[column(precision = 0)]
            pub return_date: Option<NaiveDateTime>,
            #[column(
                sql_type = "int unsigned",
                references = "staff(staff_id)",
                on_delete = "restrict",
                on_update = "cascade"
            )]
            pub staff_id: i64,
            #[column(sql_type = "timestamp", default_sql = "CURRENT_TIMESTAMP")]
            pub last_update: DateTime<Utc>,
        }

        #[derive(Table)]
        #[table(
            name = "staff",
            index(store_id, name = "idx_fk_store_id"),
            index(address_id, name = "idx_fk_address_id")
        )]
        pub struct Staff {
            #[column(primary_key, auto_increment, sql_type = "int unsigned")]
            pub staff_id: i64,
            #[column(len = 45)]
            pub first_name: String,
            #[column(len = 45)]
            pub last_name: String,
            #[column(
                sql_type = "int unsigned",
                references = "address(address_id)",
                on_delete = "restrict",
                on_update = "cascade"
            )]
            pub address_id: i64,
            #[column(sql_type = "mediumblob")]
            pub picture: Option<Vec<u8>>,
            #[column(len = 50)]
            pub email: Option<String>,
            #[column(
                sql_type = "int unsigned",
                references = "store(store_id)",
                on_delete = "restrict",
                on_update = "cascade"
            )]
            pub store_id: i64,
            #[column(default = true)]
            pub active: bool,
            #[column(len = 16)]
            pub username: String,
            /// `VARCHAR(40) BINARY`: BINARY picks a binary collation; collations are not compared.
            #[column(len = 40)]
            pub password: Option<String>,
            #[column(sql_type = "timestamp", default_sql = "CURRENT_TIMESTAMP")]
            pub last_update: DateTime<Utc>,
        }

        #[derive(Table)]
        #[table(
            name = "store",
            unique(manager_staff_id, name = "idx_unique_manager"),
            index(address_id, name = "idx_fk_address_id")
        )]
        pub struct Store {
            #[column(primary_key, auto_increment, sql_type = "int unsigned")]
            pub store_id: i64,
            #[column(
                sql_type = "int unsigned",
                references = "staff(staff_id)",
                on_delete = "restrict",
                on_update = "cascade"
            )]
            pub manager_staff_id: i64,
            #[column(
                sql_type = "int unsigned",
                references = "address(address_id)",
                on_delete = "restrict",
                on_update = "cascade"
            )]
            pub address_id: i64,
            #[column(sql_type = "timestamp", default_sql = "CURRENT_TIMESTAMP")]
            pub last_update: DateTime<Utc>,
        }

        pub fn models() -> Models {
            Models::new()
                .with::<Actor>()
                .with::<Address>()
                .with::<Category>()
                .with::<City>()
                .with::<Country>()
                .with::<Customer>()
                .with::<Film>()
                .with::<FilmActor>()
                .with::<FilmCategory>()
                .with::<FilmText>()
                .with::<Inventory>()
                .with::<Language>()
                .with::<Payment>()
                .with::<Rental>()
                .with::<Staff>()
                .with::<Store>()
        }
    }

    /// `sqlite-sakila-schema.sql`: its own port. Every `INTEGER NOT NULL` sole key is the
    /// rowid, as the model's `i32` key is. `TIMESTAMP` has NUMERIC affinity like the
    /// model's `DATETIME`; `BLOB SUB_TYPE TEXT` (an InterBase spelling) has TEXT affinity,
    /// since SQLite's rule for `TEXT` comes before its rule for `BLOB`, so it is a String.
    /// The `last_update` columns have no default: triggers set them.
    pub mod sqlite {
        use chrono::NaiveDateTime;
        use rust_decimal::Decimal;
        use schemasync::{Models, Table};

        #[derive(Table)]
        #[table(name = "actor", index(last_name, name = "idx_actor_last_name"))]
        pub struct Actor {
            #[column(primary_key)]
            pub actor_id: i32,
            #[column(len = 45)]
            pub first_name: String,
            #[column(len = 45)]
            pub last_name: String,
            pub last_update: NaiveDateTime,
        }

        #[derive(Table)]
        #[table(name = "country")]
        pub struct Country {
            #[column(primary_key)]
            pub country_id: i32,
            #[column(len = 50)]
            pub country: String,
            pub last_update: Option<NaiveDateTime>,
        }

        #[derive(Table)]
        #[table(name = "city", index(country_id, name = "idx_fk_country_id"))]
        pub struct City {
            #[column(primary_key)]
            pub city_id: i32,
            #[column(len = 50)]
            pub city: String,
            #[column(references = "country(country_id)", on_delete = "no action", on_update = "cascade")]
            pub country_id: i32,
            pub last_update: NaiveDateTime,
        }

        #[derive(Table)]
        #[table(name = "address", index(city_id, name = "idx_fk_city_id"))]
        pub struct Address {
            #[column(primary_key)]
            pub address_id: i32,
            #[column(len = 50)]
            pub address: String,
            #[column(len = 50)]
            pub address2: Option<String>,
            #[column(len = 20)]
            pub district: String,
            #[column(references = "city(city_id)", on_delete = "no action", on_update = "cascade")]
            pub city_id: i32,
            #[column(len = 10)]
            pub postal_code: Option<String>,
            #[column(len = 20)]
            pub phone: String,
            pub last_update: NaiveDateTime,
        }

        #[derive(Table)]
        #[table(name = "language")]
        pub struct Language {
            #[column(primary_key)]
            pub language_id: i32,
            #[column(sql_type = "CHAR(20)")]
            pub name: String,
            pub last_update: NaiveDateTime,
        }

        #[derive(Table)]
        #[table(name = "category")]
        pub struct Category {
            #[column(primary_key)]
            pub category_id: i32,
            #[column(len = 25)]
            pub name: String,
            pub last_update: NaiveDateTime,
        }

        #[derive(Table)]
        #[table(
            name = "customer",
            index(store_id, name = "idx_customer_fk_store_id"),
            index(address_id, name = "idx_customer_fk_address_id"),
            index(last_name, name = "idx_customer_last_name")
        )]
        pub struct Customer {
            #[column(primary_key)]
            pub customer_id: i32,
            #[column(references = "store(store_id)", on_delete = "no action", on_update = "cascade")]
            pub store_id: i32,
            #[column(len = 45)]
            pub first_name: String,
            #[column(len = 45)]
            pub last_name: String,
            #[column(len = 50)]
            pub email: Option<String>,
            #[column(references = "address(address_id)", on_delete = "no action", on_update = "cascade")]
            pub address_id: i32,
            #[column(sql_type = "CHAR(1)", default = "Y")]
            pub active: String,
            pub create_date: NaiveDateTime,
            pub last_update: NaiveDateTime,
        }

        #[derive(Table)]
        #[table(
            name = "film",
            check(
                name = "CHECK_special_features",
                expr = "special_features is null or special_features like '%Trailers%' or special_features like '%Commentaries%' or special_features like '%Deleted Scenes%' or special_features like '%Behind the Scenes%'"
            ),
            check(name = "CHECK_special_rating", expr = "rating in ('G','PG','PG-13','R','NC-17')"),
            index(language_id, name = "idx_fk_language_id"),
            index(original_language_id, name = "idx_fk_original_language_id")
        )]
        pub struct Film {
            #[column(primary_key)]
            pub film_id: i32,
            #[column(len = 255)]
            pub title: String,
            pub description: Option<String>,
            #[column(len = 4)]
            pub release_year: Option<String>,
            #[column(references = "language(language_id)")]
            pub language_id: i32,
            #[column(references = "language(language_id)")]
            pub original_language_id: Option<i32>,
            #[column(default = 3)]
            pub rental_duration: i16,
            #[column(precision = 4, scale = 2, default = 4.99)]
            pub rental_rate: Decimal,
            pub length: Option<i16>,
            #[column(precision = 5, scale = 2, default = 19.99)]
            pub replacement_cost: Decimal,
            #[column(len = 10, default = "G")]
            pub rating: Option<String>,
            #[column(len = 100)]
            pub special_features: Option<String>,
            pub last_update: NaiveDateTime,
        }

        #[derive(Table)]
        #[table(
            name = "film_actor",
            primary_key(actor_id, film_id),
            index(film_id, name = "idx_fk_film_actor_film"),
            index(actor_id, name = "idx_fk_film_actor_actor")
        )]
        pub struct FilmActor {
            #[column(references = "actor(actor_id)", on_delete = "no action", on_update = "cascade")]
            pub actor_id: i32,
            #[column(references = "film(film_id)", on_delete = "no action", on_update = "cascade")]
            pub film_id: i32,
            pub last_update: NaiveDateTime,
        }

        #[derive(Table)]
        #[table(
            name = "film_category",
            primary_key(film_id, category_id),
            index(film_id, name = "idx_fk_film_category_film"),
            index(category_id, name = "idx_fk_film_category_category")
        )]
        pub struct FilmCategory {
            #[column(references = "film(film_id)", on_delete = "no action", on_update = "cascade")]
            pub film_id: i32,
            #[column(references = "category(category_id)", on_delete = "no action", on_update = "cascade")]
            pub category_id: i32,
            pub last_update: NaiveDateTime,
        }

        #[derive(Table)]
        #[table(name = "film_text")]
        pub struct FilmText {
            #[column(primary_key)]
            pub film_id: i32,
            #[column(len = 255)]
            pub title: String,
            pub description: Option<String>,
        }

        #[derive(Table)]
        #[table(
            name = "inventory",
            index(film_id, name = "idx_fk_film_id"),
            index(store_id, film_id, name = "idx_fk_film_id_store_id")
        )]
        pub struct Inventory {
            #[column(primary_key)]
            pub inventory_id: i32,
            #[column(references = "film(film_id)", on_delete = "no action", on_update = "cascade")]
            pub film_id: i32,
            #[column(references = "store(store_id)", on_delete = "no action", on_update = "cascade")]
            pub store_id: i32,
            pub last_update: NaiveDateTime,
        }

        #[derive(Table)]
        #[table(
            name = "staff",
            index(store_id, name = "idx_fk_staff_store_id"),
            index(address_id, name = "idx_fk_staff_address_id")
        )]
        pub struct Staff {
            #[column(primary_key)]
            pub staff_id: i32,
            #[column(len = 45)]
            pub first_name: String,
            #[column(len = 45)]
            pub last_name: String,
            #[column(references = "address(address_id)", on_delete = "no action", on_update = "cascade")]
            pub address_id: i32,
            pub picture: Option<Vec<u8>>,
            #[column(len = 50)]
            pub email: Option<String>,
            #[column(references = "store(store_id)", on_delete = "no action", on_update = "cascade")]
            pub store_id: i32,
            #[column(default = 1)]
            pub active: i16,
            #[column(len = 16)]
            pub username: String,
            #[column(len = 40)]
            pub password: Option<String>,
            pub last_update: NaiveDateTime,
        }

        #[derive(Table)]
        #[table(
            name = "store",
            index(manager_staff_id, name = "idx_store_fk_manager_staff_id"),
            index(address_id, name = "idx_fk_store_address")
        )]
        pub struct Store {
            #[column(primary_key)]
            pub store_id: i32,
            #[column(references = "staff(staff_id)")]
            pub manager_staff_id: i32,
            #[column(references = "address(address_id)")]
            pub address_id: i32,
            pub last_update: NaiveDateTime,
        }

        #[derive(Table)]
        #[table(
            name = "payment",
            index(staff_id, name = "idx_fk_staff_id"),
            index(customer_id, name = "idx_fk_customer_id")
        )]
        pub struct Payment {
            #[column(primary_key)]
            pub payment_id: i32,
            #[column(references = "customer(customer_id)")]
            pub customer_id: i32,
            #[column(references = "staff(staff_id)")]
            pub staff_id: i32,
            #[column(references = "rental(rental_id)", on_delete = "set null", on_update = "cascade")]
            pub rental_id: Option<i32>,
            #[column(precision = 5, scale = 2)]
            pub amount: Decimal,
            pub payment_date: NaiveDateTime,
            pub last_update: NaiveDateTime,
        }

        #[derive(Table)]
        #[table(
            name = "rental",
            index(inventory_id, name = "idx_rental_fk_inventory_id"),
            index(customer_id, name = "idx_rental_fk_customer_id"),
            index(staff_id, name = "idx_rental_fk_staff_id"),
            index(rental_date, inventory_id, customer_id, unique, name = "idx_rental_uq")
        )]
        pub struct Rental {
            #[column(primary_key)]
            pub rental_id: i32,
            pub rental_date: NaiveDateTime,
            #[column(references = "inventory(inventory_id)")]
            pub inventory_id: i32,
            #[column(references = "customer(customer_id)")]
            pub customer_id: i32,
            pub return_date: Option<NaiveDateTime>,
            #[column(references = "staff(staff_id)")]
            pub staff_id: i32,
            pub last_update: NaiveDateTime,
        }

        pub fn models() -> Models {
            Models::new()
                .with::<Actor>()
                .with::<Country>()
                .with::<City>()
                .with::<Address>()
                .with::<Language>()
                .with::<Category>()
                .with::<Customer>()
                .with::<Film>()
                .with::<FilmActor>()
                .with::<FilmCategory>()
                .with::<FilmText>()
                .with::<Inventory>()
                .with::<Staff>()
                .with::<Store>()
                .with::<Payment>()
                .with::<Rental>()
        }
    }
}

#[tokio::test]
async fn sakila_postgres() {
    let ddl = include_str!("../sql/samples/sakila/postgres.sql");
    let Some((_t, diff)) = load_and_diff(Backend::Postgres, ddl, &sakila::postgres::models()).await else { return };
    // The one real difference: see `sakila::postgres::Payment::rental_id`.
    assert!(
        matches!(
            diff.changes.as_slice(),
            [Change::AlterNullability { table, column, nullable: true }]
                if table.name == "payment" && column == "rental_id"
        ),
        "{:#?}",
        diff.changes
    );
    let partitions: Vec<String> = (1..=6).map(|m| format!("payment_p2007_{m:02}")).collect();
    assert_eq!(unmanaged(&diff), partitions);
}

#[tokio::test]
async fn sakila_mysql() {
    let ddl = include_str!("../sql/samples/sakila/mysql.sql");
    let Some((_t, diff)) = load_and_diff(Backend::MySql, ddl, &sakila::mysql::models()).await else { return };
    assert_in_sync(Backend::MySql, &diff);
    assert!(diff.unmanaged.is_empty(), "{:?}", unmanaged(&diff));
}

#[tokio::test]
async fn sakila_sqlite() {
    let ddl = include_str!("../sql/samples/sakila/sqlite.sql");
    let Some((_t, diff)) = load_and_diff(Backend::Sqlite, ddl, &sakila::sqlite::models()).await else { return };
    assert_in_sync(Backend::Sqlite, &diff);
    assert!(diff.unmanaged.is_empty(), "{:?}", unmanaged(&diff));
}
