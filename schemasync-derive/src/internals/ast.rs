//! The validated model the code generator works from. Nothing here is re-parsed later.

use super::types::Logical;
use proc_macro2::Span;

/// A checked `#[derive(Table)]` struct.
pub struct Model {
    pub ident: syn::Ident,
    pub name: String,
    pub schema: Option<String>,
    pub comment: Option<String>,
    pub renamed_from: Vec<String>,
    pub columns: Vec<Column>,
    pub primary_key: Option<Key>,
    pub uniques: Vec<Key>,
    pub indexes: Vec<Index>,
    pub foreign_keys: Vec<ForeignKey>,
    pub checks: Vec<Check>,
}

/// The SQL type of a column, before a dialect is chosen.
pub enum ColumnType {
    Logical(Logical),
    Varchar(u32),
    Custom {
        any: Option<String>,
        postgres: Option<String>,
        mysql: Option<String>,
        sqlite: Option<String>,
    },
    /// Any other type: `<ty as SqlType>::TYPE`, resolved by the compiler, with the
    /// field's `len`, `precision` and `scale` applied (checked when it is evaluated).
    Trait {
        ty: Box<syn::Type>,
        len: Option<u32>,
        precision: Option<u8>,
        scale: Option<u8>,
    },
}

/// A default value as written in the attribute.
pub enum Default {
    Int(i64),
    Float(String),
    Bool(bool),
    Str(String),
    Sql(String),
    /// `default_sql(postgres = "...", mysql = "...", sqlite = "...", default = "...")`.
    SqlPer {
        any: Option<String>,
        postgres: Option<String>,
        mysql: Option<String>,
        sqlite: Option<String>,
    },
}

pub struct Column {
    pub field: String,
    pub name: String,
    pub span: Span,
    pub ty: ColumnType,
    pub nullable: bool,
    pub auto_increment: bool,
    /// `auto_increment = "always"`.
    pub identity_always: bool,
    pub default: Option<Default>,
    pub comment: Option<String>,
    pub renamed_from: Vec<String>,
    /// `generated = "..."` and whether `stored`.
    pub generated: Option<(String, bool)>,
}

/// A primary key or unique constraint over columns (column names, resolved).
pub struct Key {
    pub name: Option<String>,
    pub columns: Vec<String>,
}

pub struct Index {
    pub name: Option<String>,
    pub columns: Vec<String>,
    pub unique: bool,
    pub predicate: Option<String>,
    /// `using = "gin"`.
    pub method: Option<String>,
    /// `expr = "lower(email)"`.
    pub exprs: Vec<String>,
}

pub struct ForeignKey {
    pub name: Option<String>,
    pub columns: Vec<String>,
    pub ref_schema: Option<String>,
    pub ref_table: String,
    pub ref_columns: Vec<String>,
    pub on_delete: Option<String>,
    pub on_update: Option<String>,
}

pub struct Check {
    pub name: Option<String>,
    pub expr: String,
    /// The column a column-level `check` was written on.
    pub column: Option<String>,
}
