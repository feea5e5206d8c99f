//! Foreign-key-aware ordering: parents before children, deterministically, with the
//! foreign keys of a cycle set aside to be added after the tables exist.

use crate::schema::Table;

/// Tables in creation order, and the foreign keys that must wait until all exist.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Order {
    /// Indexes into the input slice, parents first.
    pub tables: Vec<usize>,
    /// `(table index, foreign key index)` pairs that close a cycle.
    pub deferred: Vec<(usize, usize)>,
}

impl Order {
    pub fn is_deferred(&self, table: usize, fk: usize) -> bool {
        self.deferred.contains(&(table, fk))
    }
}

/// Orders `tables` so that every table comes after the tables it references.
///
/// Ties are broken by (schema, name). When only cycles remain, the first remaining
/// table by name is placed next and its references to tables not yet placed are
/// deferred. A self-reference never defers: it is valid inside CREATE TABLE.
pub fn dependency_order(tables: &[Table]) -> Order {
    let mut by_name: Vec<usize> = (0..tables.len()).collect();
    by_name.sort_by(|&a, &b| {
        (&tables[a].schema, &tables[a].name).cmp(&(&tables[b].schema, &tables[b].name))
    });
    let find = |schema: &Option<String>, name: &str| {
        tables
            .iter()
            .position(|t| &t.schema == schema && t.name == name)
    };
    // deps[i] = (fk index, referenced table index) for references inside the set.
    let deps: Vec<Vec<(usize, usize)>> = tables
        .iter()
        .enumerate()
        .map(|(i, t)| {
            t.foreign_keys
                .iter()
                .enumerate()
                .filter_map(|(k, fk)| {
                    find(&fk.ref_schema, &fk.ref_table)
                        .filter(|&r| r != i)
                        .map(|r| (k, r))
                })
                .collect()
        })
        .collect();
    let mut placed = vec![false; tables.len()];
    let mut order = Order {
        tables: Vec::with_capacity(tables.len()),
        deferred: Vec::new(),
    };
    while order.tables.len() < tables.len() {
        let ready = by_name
            .iter()
            .copied()
            .find(|&i| !placed[i] && deps[i].iter().all(|&(_, r)| placed[r]));
        let next = match ready {
            Some(i) => i,
            None => {
                let Some(i) = by_name.iter().copied().find(|&i| !placed[i]) else {
                    break;
                };
                for &(k, r) in &deps[i] {
                    if !placed[r] {
                        order.deferred.push((i, k));
                    }
                }
                i
            }
        };
        placed[next] = true;
        order.tables.push(next);
    }
    order
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::schema::{FkAction, ForeignKey, Table};

    fn t(name: &str, refs: &[&str]) -> Table {
        let mut t = Table::new(name);
        for r in refs {
            t.foreign_keys.push(ForeignKey {
                name: format!("{name}_{r}_fkey"),
                columns: vec![format!("{r}_id")],
                ref_schema: None,
                ref_table: r.to_string(),
                ref_columns: vec!["id".into()],
                on_delete: FkAction::NoAction,
                on_update: FkAction::NoAction,
            });
        }
        t
    }

    fn names(tables: &[Table], o: &Order) -> Vec<String> {
        o.tables.iter().map(|&i| tables[i].name.clone()).collect()
    }

    #[test]
    fn parents_first_ties_by_name() {
        let tables = vec![
            t("orders", &["users"]),
            t("users", &[]),
            t("audit", &[]),
            t("items", &["orders", "users"]),
        ];
        let o = dependency_order(&tables);
        assert_eq!(names(&tables, &o), ["audit", "users", "orders", "items"]);
        assert!(o.deferred.is_empty());
    }

    #[test]
    fn cycles_defer_the_closing_reference() {
        let tables = vec![t("a", &["b"]), t("b", &["a"]), t("c", &["c"])];
        let o = dependency_order(&tables);
        assert_eq!(names(&tables, &o), ["c", "a", "b"]);
        assert_eq!(o.deferred, vec![(0, 0)]);
    }
}
