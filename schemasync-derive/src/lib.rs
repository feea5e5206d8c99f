//! `#[derive(Table)]` for schemasync.
//!
//! The macro is split the way serde_derive is: [`internals`] parses and validates the
//! struct into a model, collecting every error with its span, and [`expand`] only
//! generates code from that validated model. Generated code refers to
//! `::schemasync::__private` alone, so users depend on `schemasync` and nothing else.

mod expand;
mod internals;

use proc_macro::TokenStream;

/// Derives table metadata for a named-field struct and registers it with schemasync.
///
/// See the schemasync README for the attribute reference.
#[proc_macro_derive(Table, attributes(table, column))]
pub fn derive_table(input: TokenStream) -> TokenStream {
    let input = syn::parse_macro_input!(input as syn::DeriveInput);
    expand::derive(&input).into()
}
