//! `#[derive(Table)]` for schemasync.
//!
//! The macro is split the way serde_derive is: `internals` parses and validates the
//! struct into a model, collecting every error with its span, and `expand` only
//! generates code from that validated model. Generated code refers to
//! `::schemasync::__private` alone, so users depend on `schemasync` and nothing else.

mod expand;
mod internals;
mod sql_type;

use proc_macro::TokenStream;

/// Derives table metadata for a named-field struct and registers it with schemasync.
///
/// Use it as `schemasync::Table`, whose documentation lists every attribute.
#[proc_macro_derive(Table, attributes(table, column))]
pub fn derive_table(input: TokenStream) -> TokenStream {
    let input = syn::parse_macro_input!(input as syn::DeriveInput);
    expand::derive(&input).into()
}

/// The column type of a fieldless enum, from sqlx's own attributes: PostgreSQL
/// `CREATE TYPE ... AS ENUM`, MySQL `ENUM(...)`, SQLite `TEXT` with a check.
///
/// Reads `#[sqlx(type_name = "...", rename_all = "...")]` on the enum and
/// `#[sqlx(rename = "...")]` on variants, so the labels are the strings sqlx encodes.
/// `#[schemasync(renamed_from = "old")]` on a variant renames a label;
/// `#[schemasync(as_text)]` on the enum stores it as text with a check everywhere. An
/// enum with `#[repr(i32)]` (and i16, i64) is stored as that integer, as sqlx does.
#[proc_macro_derive(SqlEnum, attributes(schemasync, sqlx))]
pub fn derive_sql_enum(input: TokenStream) -> TokenStream {
    let input = syn::parse_macro_input!(input as syn::DeriveInput);
    sql_type::derive_enum(&input).into()
}

/// The column type of a newtype, like `#[sqlx(transparent)] struct UserId(Uuid)`: the
/// type it wraps.
#[proc_macro_derive(SqlType)]
pub fn derive_sql_type(input: TokenStream) -> TokenStream {
    let input = syn::parse_macro_input!(input as syn::DeriveInput);
    sql_type::derive_newtype(&input).into()
}
