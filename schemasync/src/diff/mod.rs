//! The diff: a pure function from (desired, actual) to typed changes. No I/O, no SQL.
//!
//! Both schemas must already be in canonical form for one backend (see
//! [`crate::dialect::canonicalize`] for the models' side; catalogs produce it). Objects
//! are matched by structure, never by name: a primary key by its columns, a unique key
//! by its columns (constraint or unique index alike), an index by its parts, uniqueness
//! and predicate, a foreign key by its columns and target, a check by its expression.

mod compare;
pub mod words;

pub use crate::schema::change::{Change, Diff, TableRef};
use crate::schema::{ColumnType, Schema};

/// How to compare.
#[derive(Debug, Clone)]
pub struct DiffOptions {
    /// Whose SQL the expressions are (checks, predicates, defaults are read in its dialect).
    pub backend: crate::dialect::Backend,
    /// Identifiers compare case-insensitively (MySQL columns, SQLite).
    pub fold_case: bool,
    /// A sole integer primary key may generate values although the model did not ask
    /// (SQLite: an `INTEGER PRIMARY KEY` is the rowid, and other tools write it for
    /// every integer key). The other way round is a difference.
    pub rowid_keys: bool,
    /// A non-unique index on exactly a foreign key's columns may exist without being
    /// declared: the backend made it for the key (MySQL/InnoDB).
    pub implicit_fk_indexes: bool,
    /// Enum types are objects of their own, compared by their labels (PostgreSQL).
    pub enum_types: bool,
}

impl DiffOptions {
    /// An identifier as compared: lower-cased where the backend folds case.
    pub fn ident(&self, s: &str) -> String {
        if self.fold_case {
            // The same as `to_lowercase`, without its per-character work on ASCII names.
            if s.is_ascii() {
                s.to_ascii_lowercase()
            } else {
                s.to_lowercase()
            }
        } else {
            s.to_string()
        }
    }

    /// Whether two identifiers name the same thing: [`DiffOptions::ident`] of both,
    /// equal, without building either.
    pub fn same(&self, a: &str, b: &str) -> bool {
        if !self.fold_case {
            a == b
        } else if a.is_ascii() && b.is_ascii() {
            a.eq_ignore_ascii_case(b)
        } else {
            a.to_lowercase() == b.to_lowercase()
        }
    }

    /// The options that fit a backend's behaviour.
    pub fn for_backend(backend: crate::dialect::Backend) -> Self {
        let caps = crate::dialect::dialect(backend).capabilities();
        DiffOptions {
            backend,
            fold_case: caps.case_insensitive_idents,
            implicit_fk_indexes: caps.implicit_fk_indexes,
            rowid_keys: backend == crate::dialect::Backend::Sqlite,
            enum_types: caps.enum_types,
        }
    }
}

/// Compares the desired schema with the actual one.
pub fn diff(desired: &Schema, actual: &Schema, options: &DiffOptions) -> Diff {
    compare::diff(desired, actual, options)
}

/// What changes between two lists of enum labels, the models' renames applied first.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EnumChange {
    /// Labels added, the others kept in their order; `at_end`: all of them after the
    /// last old label.
    Added { labels: Vec<String>, at_end: bool },
    /// Labels renamed (`old`, `new`), nothing else.
    Renamed(Vec<(String, String)>),
    /// Labels removed or reordered (renames, if any, included): rows may hold a label
    /// that goes away.
    Removed { labels: Vec<String> },
}

/// Compares the labels an enum has (`from`) with those it should have (`to`), reading
/// `renamed` (`(old, new)`) as renames; `None` when they are the same.
pub fn enum_change(from: &[String], to: &[String], renamed: &[(String, String)]) -> Option<EnumChange> {
    if from == to {
        return None;
    }
    let renames: Vec<(String, String)> = renamed
        .iter()
        .filter(|(old, new)| from.contains(old) && !from.contains(new) && to.contains(new))
        .cloned()
        .collect();
    let mapped: Vec<String> = from
        .iter()
        .map(|l| renames.iter().find(|(old, _)| old == l).map(|(_, new)| new.clone()).unwrap_or_else(|| l.clone()))
        .collect();
    if mapped == to {
        return Some(EnumChange::Renamed(renames));
    }
    // Added only: the old labels are `to` in order, with others between or after.
    let mut rest = to.iter();
    let kept_in_order = mapped.iter().all(|l| rest.any(|t| t == l));
    if renames.is_empty() && kept_in_order {
        let added: Vec<String> = to.iter().filter(|l| !mapped.contains(l)).cloned().collect();
        let at_end = to.starts_with(&mapped);
        return Some(EnumChange::Added { labels: added, at_end });
    }
    Some(EnumChange::Removed { labels: mapped.iter().filter(|l| !to.contains(l)).cloned().collect() })
}

/// Is `from` -> `to` a widening (no value can be lost)?
pub fn is_widening(from: &ColumnType, to: &ColumnType) -> bool {
    use ColumnType::*;
    match (from, to) {
        (Enum { labels: a, .. }, Enum { labels: b, renamed, .. }) => {
            matches!(enum_change(a, b, renamed), None | Some(EnumChange::Added { .. }))
        }
        (SmallInt, Integer | BigInt) | (Integer, BigInt) | (Real, Double) => true,
        (Varchar { len: a }, Varchar { len: b }) => b >= a,
        (Varchar { .. }, Text) => true,
        (Decimal { precision: Some(p1), scale: s1 }, Decimal { precision: Some(p2), scale: s2 }) => {
            let (s1, s2) = (s1.unwrap_or(0), s2.unwrap_or(0));
            s2 >= s1 && p2.saturating_sub(s2) >= p1.saturating_sub(s1)
        }
        (Decimal { .. }, Decimal { precision: None, .. }) => true,
        (Time { precision: a }, Time { precision: b })
        | (Timestamp { precision: a }, Timestamp { precision: b })
        | (TimestampTz { precision: a }, TimestampTz { precision: b }) => b.unwrap_or(6) >= a.unwrap_or(6),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::schema::{Column, Table};
    use ColumnType::*;

    #[test]
    fn enum_changes() {
        let v = |l: &[&str]| l.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        let r = |a: &str, b: &str| (a.to_string(), b.to_string());
        assert_eq!(enum_change(&v(&["a", "b"]), &v(&["a", "b"]), &[]), None);
        assert_eq!(
            enum_change(&v(&["a", "b"]), &v(&["a", "b", "c"]), &[]),
            Some(EnumChange::Added { labels: v(&["c"]), at_end: true })
        );
        assert_eq!(
            enum_change(&v(&["a", "b"]), &v(&["a", "x", "b"]), &[]),
            Some(EnumChange::Added { labels: v(&["x"]), at_end: false })
        );
        assert_eq!(
            enum_change(&v(&["a", "old"]), &v(&["a", "new"]), &[r("old", "new")]),
            Some(EnumChange::Renamed(vec![r("old", "new")]))
        );
        assert_eq!(
            enum_change(&v(&["a", "b"]), &v(&["b", "a"]), &[]),
            Some(EnumChange::Removed { labels: vec![] }),
            "a reorder loses no label but changes the order rows sort in"
        );
        assert_eq!(enum_change(&v(&["a", "b"]), &v(&["a"]), &[]), Some(EnumChange::Removed { labels: v(&["b"]) }));
        assert!(is_widening(
            &Enum { name: String::new(), labels: v(&["a"]), renamed: vec![] },
            &Enum { name: String::new(), labels: v(&["a", "b"]), renamed: vec![] }
        ));
    }

    #[test]
    fn widening_is_what_loses_no_value() {
        assert!(is_widening(&SmallInt, &BigInt));
        assert!(is_widening(&Integer, &BigInt));
        assert!(!is_widening(&BigInt, &Integer));
        assert!(is_widening(&Varchar { len: 50 }, &Varchar { len: 100 }));
        assert!(!is_widening(&Varchar { len: 100 }, &Varchar { len: 50 }));
        assert!(is_widening(&Varchar { len: 100 }, &Text));
        assert!(!is_widening(&Text, &Varchar { len: 100 }));
        let d = |p, s| Decimal { precision: Some(p), scale: Some(s) };
        assert!(is_widening(&d(10, 2), &d(12, 2)));
        assert!(is_widening(&d(10, 2), &d(12, 4)));
        assert!(!is_widening(&d(10, 2), &d(10, 4)), "fewer integer digits");
        assert!(!is_widening(&Double, &Real));
        let ts = |p| Timestamp { precision: Some(p) };
        assert!(!is_widening(&ts(6), &TimestampTz { precision: None }), "changes meaning, not width");
        assert!(is_widening(&ts(0), &ts(6)), "datetime to datetime(6) loses nothing");
        assert!(!is_widening(&ts(6), &ts(0)), "datetime(6) to datetime drops fractions");
    }

    #[test]
    fn renames_are_not_drop_and_create() {
        let mut old = Table::new("tenants");
        old.columns.push(Column { nullable: false, ..Column::new("uid", Uuid) });
        let mut new = old.clone();
        new.name = "accounts".into();
        new.renamed_from = vec!["tenants".into()];
        new.columns[0].name = "external_id".into();
        new.columns[0].renamed_from = vec!["uid".into()];
        let d = diff(
            &Schema { tables: vec![new], enums: Vec::new() },
            &Schema { tables: vec![old], enums: Vec::new() },
            &DiffOptions::for_backend(crate::dialect::Backend::Postgres),
        );
        assert_eq!(
            d.changes,
            vec![
                Change::RenameTable {
                    table: TableRef { schema: None, name: "accounts".into() },
                    from: "tenants".into()
                },
                Change::RenameColumn {
                    table: TableRef { schema: None, name: "accounts".into() },
                    from: "uid".into(),
                    to: "external_id".into()
                },
            ]
        );
        assert!(d.unmanaged.is_empty());
    }
}
