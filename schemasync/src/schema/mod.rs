//! The owned, dialect-neutral schema IR. Models build the *desired* schema; catalogs
//! read the *actual* one; the diff compares two of these.

pub mod change;
pub mod expr;

pub mod naming;
pub mod normalize;
pub mod order;

pub use change::{Change, Diff, TableRef};

use serde::{Deserialize, Serialize};

/// A set of tables, in dependency order when built from models.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Schema {
    pub tables: Vec<Table>,
}

impl Schema {
    /// Finds a table by schema and name.
    pub fn table(&self, schema: Option<&str>, name: &str) -> Option<&Table> {
        self.tables.iter().find(|t| t.name == name && t.schema.as_deref() == schema)
    }
}

/// A table. `schema: None` means the connection's default schema.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Table {
    pub schema: Option<String>,
    pub name: String,
    pub columns: Vec<Column>,
    pub primary_key: Option<PrimaryKey>,
    pub uniques: Vec<Unique>,
    pub indexes: Vec<Index>,
    pub foreign_keys: Vec<ForeignKey>,
    pub checks: Vec<Check>,
    pub comment: Option<String>,
    /// Former names (`renamed_from`), so a rename is not seen as drop and create.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub renamed_from: Vec<String>,
    /// The Rust model behind this table, when it came from one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub model: Option<String>,
}

impl Table {
    /// A table with only a name, for building by hand.
    pub fn new(name: impl Into<String>) -> Self {
        Table {
            schema: None,
            name: name.into(),
            columns: Vec::new(),
            primary_key: None,
            uniques: Vec::new(),
            indexes: Vec::new(),
            foreign_keys: Vec::new(),
            checks: Vec::new(),
            comment: None,
            renamed_from: Vec::new(),
            model: None,
        }
    }

    pub fn column(&self, name: &str) -> Option<&Column> {
        self.columns.iter().find(|c| c.name == name)
    }

    /// `schema.name` or `name`, for messages.
    pub fn display_name(&self) -> String {
        match &self.schema {
            Some(s) => format!("{s}.{}", self.name),
            None => self.name.clone(),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Column {
    pub name: String,
    #[serde(rename = "type")]
    pub ty: ColumnType,
    pub nullable: bool,
    pub default: Option<DefaultValue>,
    /// Identity (PostgreSQL), AUTO_INCREMENT (MySQL) or AUTOINCREMENT (SQLite).
    pub auto_increment: bool,
    pub comment: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub renamed_from: Vec<String>,
}

/// Canonical logical column types.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum ColumnType {
    SmallInt,
    Integer,
    BigInt,
    Real,
    Double,
    Boolean,
    Text,
    Varchar {
        len: u32,
    },
    Bytes,
    Date,
    Time,
    Timestamp,
    TimestampTz,
    Uuid,
    Decimal {
        precision: Option<u8>,
        scale: Option<u8>,
    },
    Json,
    /// A type schemasync has no logical name for, as the backend spells it (lower case).
    Custom {
        sql: String,
    },
}

impl ColumnType {
    pub fn is_integer(&self) -> bool {
        matches!(self, ColumnType::SmallInt | ColumnType::Integer | ColumnType::BigInt)
    }

    /// Text, bytes and JSON: types MySQL cannot index without a prefix length.
    pub fn is_unbounded(&self) -> bool {
        matches!(self, ColumnType::Text | ColumnType::Bytes | ColumnType::Json)
    }
}

/// Normalised default values: equal defaults compare equal whatever their spelling.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "kind", content = "value")]
pub enum DefaultValue {
    Null,
    Bool(bool),
    Int(i64),
    /// A non-integer number, as canonical decimal text.
    Float(String),
    Str(String),
    CurrentTimestamp,
    CurrentDate,
    CurrentTime,
    /// Any other SQL expression, as written; compared after `normalize::collapse_expr`.
    Expr(String),
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PrimaryKey {
    pub name: String,
    pub columns: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Unique {
    pub name: String,
    pub columns: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Index {
    pub name: String,
    pub columns: Vec<IndexPart>,
    pub unique: bool,
    /// The WHERE clause of a partial index.
    pub predicate: Option<String>,
}

/// A column, or an expression the catalog reports verbatim.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum IndexPart {
    Column(String),
    Expr(String),
}

impl IndexPart {
    pub fn as_column(&self) -> Option<&str> {
        match self {
            IndexPart::Column(c) => Some(c),
            IndexPart::Expr(_) => None,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ForeignKey {
    pub name: String,
    pub columns: Vec<String>,
    pub ref_schema: Option<String>,
    pub ref_table: String,
    pub ref_columns: Vec<String>,
    pub on_delete: FkAction,
    pub on_update: FkAction,
}

/// ON DELETE / ON UPDATE actions.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FkAction {
    #[default]
    NoAction,
    Restrict,
    Cascade,
    SetNull,
    SetDefault,
}

impl FkAction {
    pub fn sql(self) -> &'static str {
        match self {
            FkAction::NoAction => "NO ACTION",
            FkAction::Restrict => "RESTRICT",
            FkAction::Cascade => "CASCADE",
            FkAction::SetNull => "SET NULL",
            FkAction::SetDefault => "SET DEFAULT",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Check {
    pub name: String,
    pub expr: String,
}
