//! What `#[derive(Table)]` emits: `const`-constructible, `'static` table definitions.
//!
//! These types mirror the attributes closely; [`crate::schema`] turns them into the
//! owned IR (names chosen, custom types resolved for a backend, defaults normalised).

mod build;
pub mod registry;
mod types;

pub use build::build;
pub use types::SqlType;
#[doc(hidden)]
pub use types::{integer, sized};

/// A model's table, as the derive wrote it.
#[derive(Debug)]
pub struct TableDef {
    /// The Rust type's name, for error messages.
    pub rust_type: &'static str,
    /// `module_path!()` of the model, for error messages.
    pub module_path: &'static str,
    pub name: &'static str,
    pub schema: Option<&'static str>,
    pub comment: Option<&'static str>,
    pub renamed_from: &'static [&'static str],
    pub columns: &'static [ColumnDef],
    pub primary_key: Option<KeyDef>,
    pub uniques: &'static [KeyDef],
    pub indexes: &'static [IndexDef],
    pub foreign_keys: &'static [ForeignKeyDef],
    pub checks: &'static [CheckDef],
}

impl TableDef {
    /// `path::to::Type`, for messages.
    pub fn rust_path(&self) -> String {
        format!("{}::{}", self.module_path, self.rust_type)
    }

    /// The Rust field behind a column name, for messages.
    pub fn field_of(&self, column: &str) -> &'static str {
        self.columns.iter().find(|c| c.name == column).map(|c| c.field).unwrap_or("?")
    }
}

/// One column of a model.
#[derive(Debug)]
pub struct ColumnDef {
    pub field: &'static str,
    pub name: &'static str,
    pub ty: TypeDef,
    pub nullable: bool,
    pub auto_increment: bool,
    /// `auto_increment = "always"`: PostgreSQL's `GENERATED ALWAYS AS IDENTITY`.
    pub identity: crate::schema::Identity,
    pub default: Option<DefaultDef>,
    pub comment: Option<&'static str>,
    pub renamed_from: &'static [&'static str],
    /// `#[column(generated = "price * qty", stored)]`: `(expression, stored)`.
    pub generated: Option<(&'static str, bool)>,
}

/// The SQL type a field asks for, before a backend is chosen.
#[derive(Debug, Clone, Copy)]
pub enum TypeDef {
    SmallInt,
    Integer,
    BigInt,
    Real,
    Double,
    Boolean,
    Text,
    Varchar(u32),
    Bytes,
    Date,
    /// Each time type with its digits of fractional seconds, or the default.
    Time(Option<u8>),
    Timestamp(Option<u8>),
    TimestampTz(Option<u8>),
    Uuid,
    /// `(precision, scale)`, or unconstrained.
    Decimal(Option<(u8, u8)>),
    Json,
    /// An array of a type: PostgreSQL's `T[]` (`Vec<T>`).
    Array(&'static TypeDef),
    /// An IP address (`std::net::IpAddr`): PostgreSQL's `inet`.
    Inet,
    /// An IP network (`ipnetwork::IpNetwork`): PostgreSQL's `inet`, which holds a host or
    /// a network as sqlx encodes it.
    Cidr,
    /// A fieldless enum (`#[derive(SqlEnum)]`).
    Enum(&'static EnumDef),
    Custom(CustomTypeDef),
}

/// A Rust enum stored as a database enum, as `#[derive(SqlEnum)]` reads it.
#[derive(Debug, Clone, Copy)]
pub struct EnumDef {
    /// The enum's Rust name, for messages.
    pub rust_type: &'static str,
    /// sqlx's `type_name` (the enum's name by default): PostgreSQL's type.
    pub name: &'static str,
    /// The labels, in declaration order, as sqlx encodes them.
    pub labels: &'static [&'static str],
    /// `(old, new)` for each `#[schemasync(renamed_from = "old")]`.
    pub renamed: &'static [(&'static str, &'static str)],
    /// `#[schemasync(as_text)]`: text with a check on every backend.
    pub as_text: bool,
}

/// `#[column(sql_type = ...)]`: one type for every backend, or one per backend.
#[derive(Debug, Clone, Copy)]
pub struct CustomTypeDef {
    pub any: Option<&'static str>,
    pub postgres: Option<&'static str>,
    pub mysql: Option<&'static str>,
    pub sqlite: Option<&'static str>,
}

/// A column default as written in the attribute.
#[derive(Debug, Clone, Copy)]
pub enum DefaultDef {
    Int(i64),
    /// The literal's digits, exactly as written.
    Float(&'static str),
    Bool(bool),
    Str(&'static str),
    /// `default_sql`: a raw SQL expression.
    Sql(&'static str),
    /// `default_sql(postgres = "...", ...)`: an expression per backend.
    SqlPer(CustomTypeDef),
}

/// Columns of a primary key or unique constraint; the name is chosen later if absent.
#[derive(Debug, Clone, Copy)]
pub struct KeyDef {
    pub name: Option<&'static str>,
    pub columns: &'static [&'static str],
}

#[derive(Debug, Clone, Copy)]
pub struct IndexDef {
    pub name: Option<&'static str>,
    pub columns: &'static [&'static str],
    pub unique: bool,
    pub predicate: Option<&'static str>,
    /// `using = "gin"`: the index access method.
    pub method: Option<&'static str>,
    /// `index(expr = "lower(email)")`: expressions indexed after the columns.
    pub exprs: &'static [&'static str],
}

#[derive(Debug, Clone, Copy)]
pub struct ForeignKeyDef {
    pub name: Option<&'static str>,
    pub columns: &'static [&'static str],
    pub ref_schema: Option<&'static str>,
    pub ref_table: &'static str,
    pub ref_columns: &'static [&'static str],
    pub on_delete: crate::schema::FkAction,
    pub on_update: crate::schema::FkAction,
}

#[derive(Debug, Clone, Copy)]
pub struct CheckDef {
    pub name: Option<&'static str>,
    pub expr: &'static str,
    /// Set when the check was written on a column.
    pub column: Option<&'static str>,
}

/// Implemented by `#[derive(Table)]`.
pub trait Table {
    /// The model's table definition.
    fn table_def() -> &'static TableDef;
}
