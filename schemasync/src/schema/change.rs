//! The IR of differences: one typed [`Change`] per thing that differs between two
//! schemas, and the [`Diff`] that lists them. The diff computes these; the plan, the
//! renderer and the reports consume them.

use super::{
    Check, Column, ColumnType, DefaultValue, EnumType, ForeignKey, Generated, Identity, Index, PrimaryKey, Table,
    Unique,
};
use serde::{Deserialize, Serialize};

/// Which table a change is about.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct TableRef {
    pub schema: Option<String>,
    pub name: String,
}

impl TableRef {
    pub fn of(table: &Table) -> Self {
        TableRef { schema: table.schema.clone(), name: table.name.clone() }
    }

    /// An empty table with this name, for rendering statements that need only the name.
    pub fn to_table(&self) -> Table {
        let mut t = Table::new(self.name.clone());
        t.schema = self.schema.clone();
        t
    }
}

impl std::fmt::Display for TableRef {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.schema {
            Some(s) => write!(f, "{s}.{}", self.name),
            None => f.write_str(&self.name),
        }
    }
}

/// One difference between the models and the database, as a change to make.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
#[non_exhaustive]
pub enum Change {
    /// PostgreSQL: `CREATE TYPE ... AS ENUM`.
    CreateEnum {
        enum_type: EnumType,
    },
    /// PostgreSQL: `ALTER TYPE ... ADD VALUE`, each label after the one it follows in the
    /// models (`None`: before the first label there is).
    AddEnumLabels {
        enum_type: EnumType,
        added: Vec<(String, Option<String>)>,
    },
    /// PostgreSQL: `ALTER TYPE ... RENAME VALUE`, `(old, new)`.
    RenameEnumLabels {
        enum_type: EnumType,
        renames: Vec<(String, String)>,
    },
    /// PostgreSQL: labels removed or reordered. The type is made again and the columns
    /// that use it (`columns`) are converted to it.
    AlterEnumLabels {
        enum_type: EnumType,
        from: Vec<String>,
        columns: Vec<(TableRef, Column)>,
    },
    /// PostgreSQL: drop-all and rebuild drop the models' enum types after their tables.
    DropEnum {
        enum_type: EnumType,
    },
    CreateTable {
        table: Table,
    },
    /// Never produced by the diff (tables no model declares are left alone); used by
    /// drop-all and by rebuild mode, for the models' own tables.
    DropTable {
        table: Table,
    },
    RenameTable {
        table: TableRef,
        from: String,
    },
    AddColumn {
        table: TableRef,
        column: Column,
    },
    DropColumn {
        table: TableRef,
        column: Column,
    },
    RenameColumn {
        table: TableRef,
        from: String,
        to: String,
    },
    AlterColumnType {
        table: TableRef,
        column: String,
        from: ColumnType,
        to: ColumnType,
        widening: bool,
    },
    /// A generated column's expression or storage, or whether it is generated at all.
    AlterGenerated {
        table: TableRef,
        column: String,
        from: Option<Generated>,
        to: Option<Generated>,
    },
    AlterNullability {
        table: TableRef,
        column: String,
        nullable: bool,
    },
    AlterDefault {
        table: TableRef,
        column: String,
        from: Option<DefaultValue>,
        to: Option<DefaultValue>,
    },
    AlterAutoIncrement {
        table: TableRef,
        column: String,
        auto_increment: bool,
    },
    /// Same identity column, other kind: `GENERATED ALWAYS` or `BY DEFAULT` (PostgreSQL).
    AlterIdentity {
        table: TableRef,
        column: String,
        from: Identity,
        to: Identity,
    },
    AddPrimaryKey {
        table: TableRef,
        key: PrimaryKey,
    },
    DropPrimaryKey {
        table: TableRef,
        key: PrimaryKey,
    },
    AddUnique {
        table: TableRef,
        unique: Unique,
    },
    DropUnique {
        table: TableRef,
        unique: Unique,
    },
    AddIndex {
        table: TableRef,
        index: Index,
    },
    DropIndex {
        table: TableRef,
        index: Index,
    },
    AddForeignKey {
        table: TableRef,
        foreign_key: ForeignKey,
    },
    DropForeignKey {
        table: TableRef,
        foreign_key: ForeignKey,
    },
    /// Same columns and target, other ON DELETE / ON UPDATE.
    AlterForeignKey {
        table: TableRef,
        from: ForeignKey,
        to: ForeignKey,
    },
    AddCheck {
        table: TableRef,
        check: Check,
    },
    DropCheck {
        table: TableRef,
        check: Check,
    },
    SetTableComment {
        table: TableRef,
        from: Option<String>,
        to: Option<String>,
    },
    SetColumnComment {
        table: TableRef,
        column: String,
        from: Option<String>,
        to: Option<String>,
    },
}

impl Change {
    /// The table the change is about.
    /// For an enum type's change: the type, by schema and name.
    pub fn table(&self) -> TableRef {
        match self {
            Change::CreateTable { table } | Change::DropTable { table } => TableRef::of(table),
            Change::CreateEnum { enum_type }
            | Change::AddEnumLabels { enum_type, .. }
            | Change::RenameEnumLabels { enum_type, .. }
            | Change::AlterEnumLabels { enum_type, .. }
            | Change::DropEnum { enum_type } => {
                TableRef { schema: enum_type.schema.clone(), name: enum_type.name.clone() }
            }

            Change::RenameTable { table, .. }
            | Change::AddColumn { table, .. }
            | Change::DropColumn { table, .. }
            | Change::RenameColumn { table, .. }
            | Change::AlterColumnType { table, .. }
            | Change::AlterGenerated { table, .. }
            | Change::AlterNullability { table, .. }
            | Change::AlterDefault { table, .. }
            | Change::AlterAutoIncrement { table, .. }
            | Change::AlterIdentity { table, .. }
            | Change::AddPrimaryKey { table, .. }
            | Change::DropPrimaryKey { table, .. }
            | Change::AddUnique { table, .. }
            | Change::DropUnique { table, .. }
            | Change::AddIndex { table, .. }
            | Change::DropIndex { table, .. }
            | Change::AddForeignKey { table, .. }
            | Change::DropForeignKey { table, .. }
            | Change::AlterForeignKey { table, .. }
            | Change::AddCheck { table, .. }
            | Change::DropCheck { table, .. }
            | Change::SetTableComment { table, .. }
            | Change::SetColumnComment { table, .. } => table.clone(),
        }
    }
}

impl Change {
    /// The enum type a change is about, if it is about one.
    pub fn enum_type(&self) -> Option<&EnumType> {
        match self {
            Change::CreateEnum { enum_type }
            | Change::AddEnumLabels { enum_type, .. }
            | Change::RenameEnumLabels { enum_type, .. }
            | Change::AlterEnumLabels { enum_type, .. }
            | Change::DropEnum { enum_type } => Some(enum_type),
            _ => None,
        }
    }

    /// The column a change alters in place (type, nullability, default, identity,
    /// comment), if it is such a change.
    pub fn altered_column(&self) -> Option<&str> {
        match self {
            Change::AlterColumnType { column, .. }
            | Change::AlterGenerated { column, .. }
            | Change::AlterNullability { column, .. }
            | Change::AlterDefault { column, .. }
            | Change::AlterAutoIncrement { column, .. }
            | Change::AlterIdentity { column, .. }
            | Change::SetColumnComment { column, .. } => Some(column),
            _ => None,
        }
    }
}

/// The result of a diff.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Diff {
    /// Changes that would make the database match the models.
    pub changes: Vec<Change>,
    /// Tables in the database that no model declares. Reported, never touched.
    pub unmanaged: Vec<TableRef>,
}

impl Diff {
    /// True when the database matches the models (unmanaged tables do not count).
    pub fn is_empty(&self) -> bool {
        self.changes.is_empty()
    }
}
