//! What `SHOW CREATE TABLE` says that `information_schema` hides from a user with
//! SELECT alone: foreign key actions and checks. Read with `sqlparser`.

use sqlparser::ast::{ColumnOption, ReferentialAction, Statement, TableConstraint};
use sqlparser::dialect::MySqlDialect;
use sqlparser::parser::Parser;

/// A table's foreign keys `(name, on delete, on update)` and checks `(name, expression)`.
pub(crate) struct TableDdl {
    pub foreign_keys: Vec<(String, String, String)>,
    pub checks: Vec<(String, String)>,
}

fn action(a: Option<ReferentialAction>) -> String {
    match a {
        Some(ReferentialAction::Cascade) => "CASCADE",
        Some(ReferentialAction::SetNull) => "SET NULL",
        Some(ReferentialAction::SetDefault) => "SET DEFAULT",
        Some(ReferentialAction::NoAction) => "NO ACTION",
        // What information_schema reports for an action not written.
        Some(ReferentialAction::Restrict) | None => "RESTRICT",
    }
    .to_string()
}

/// Reads a `SHOW CREATE TABLE` text; `None` when it cannot be parsed.
pub(crate) fn read(ddl: &str) -> Option<TableDdl> {
    let statements = Parser::parse_sql(&MySqlDialect {}, ddl).ok()?;
    let Some(Statement::CreateTable(ct)) = statements.into_iter().next() else { return None };
    let mut out = TableDdl { foreign_keys: Vec::new(), checks: Vec::new() };
    for c in &ct.constraints {
        match c {
            TableConstraint::ForeignKey(fk) => out.foreign_keys.push((
                fk.name.as_ref().map(|n| n.value.clone()).unwrap_or_default(),
                action(fk.on_delete),
                action(fk.on_update),
            )),
            TableConstraint::Check(check) => out
                .checks
                .push((check.name.as_ref().map(|n| n.value.clone()).unwrap_or_default(), check.expr.to_string())),
            _ => {}
        }
    }
    // A column's own check is named after the column (MariaDB).
    for col in &ct.columns {
        for opt in &col.options {
            if let ColumnOption::Check(check) = &opt.option {
                out.checks.push((col.name.value.clone(), check.expr.to_string()));
            }
        }
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    #[test]
    fn reads_what_select_alone_hides() {
        let ddl = "CREATE TABLE `child` (\n  `id` int(11) NOT NULL,\n  `parent_id` int(11) DEFAULT NULL,\n  `qty` int(11) DEFAULT NULL CHECK (`qty` > 0),\n  PRIMARY KEY (`id`),\n  KEY `fk_child_parent` (`parent_id`),\n  CONSTRAINT `fk_child_parent` FOREIGN KEY (`parent_id`) REFERENCES `parent` (`id`) ON DELETE CASCADE ON UPDATE SET NULL,\n  CONSTRAINT `chk_child` CHECK (`qty` < 100)\n) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_general_ci";
        let read = super::read(ddl).expect("parses");
        assert_eq!(read.foreign_keys, [("fk_child_parent".to_string(), "CASCADE".to_string(), "SET NULL".to_string())]);
        assert_eq!(read.checks.len(), 2);
    }
}
