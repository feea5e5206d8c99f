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
/// Ties are broken by (schema, name). Only references inside a cycle (a strongly
/// connected component of the reference graph) are ever deferred: within a cycle the
/// tables go by name, and a reference to a table of the same cycle that is not yet
/// placed waits. A self-reference never defers: it is valid inside CREATE TABLE.
pub fn dependency_order(tables: &[Table]) -> Order {
    let mut by_name: Vec<usize> = (0..tables.len()).collect();
    by_name.sort_by(|&a, &b| (&tables[a].schema, &tables[a].name).cmp(&(&tables[b].schema, &tables[b].name)));
    let index: std::collections::HashMap<(Option<&str>, &str), usize> =
        tables.iter().enumerate().map(|(i, t)| ((t.schema.as_deref(), t.name.as_str()), i)).collect();
    // deps[i] = (fk index, referenced table index) for references inside the set.
    let deps: Vec<Vec<(usize, usize)>> = tables
        .iter()
        .enumerate()
        .map(|(i, t)| {
            t.foreign_keys
                .iter()
                .enumerate()
                .filter_map(|(k, fk)| {
                    index
                        .get(&(fk.ref_schema.as_deref(), fk.ref_table.as_str()))
                        .copied()
                        .filter(|&r| r != i)
                        .map(|r| (k, r))
                })
                .collect()
        })
        .collect();
    let component = strongly_connected(&deps);
    // Each step places the first table by name whose references outside its own cycle
    // are all placed: a heap of the ready ones by name rank, and for each table how many
    // such references still wait (linear in tables and keys, not quadratic).
    let mut rank = vec![0; tables.len()];
    for (r, &i) in by_name.iter().enumerate() {
        rank[i] = r;
    }
    let mut waiting = vec![0usize; tables.len()];
    let mut dependents: Vec<Vec<usize>> = vec![Vec::new(); tables.len()];
    for (i, d) in deps.iter().enumerate() {
        for &(_, r) in d {
            if component[r] != component[i] {
                waiting[i] += 1;
                dependents[r].push(i);
            }
        }
    }
    let mut ready: std::collections::BinaryHeap<std::cmp::Reverse<(usize, usize)>> =
        (0..tables.len()).filter(|&i| waiting[i] == 0).map(|i| std::cmp::Reverse((rank[i], i))).collect();
    let mut placed = vec![false; tables.len()];
    let mut order = Order { tables: Vec::with_capacity(tables.len()), deferred: Vec::new() };
    while let Some(std::cmp::Reverse((_, next))) = ready.pop() {
        for &(k, r) in &deps[next] {
            if !placed[r] {
                order.deferred.push((next, k));
            }
        }
        placed[next] = true;
        order.tables.push(next);
        for &j in &dependents[next] {
            waiting[j] -= 1;
            if waiting[j] == 0 {
                ready.push(std::cmp::Reverse((rank[j], j)));
            }
        }
    }
    order
}

/// Tarjan's algorithm, iteratively: the component id of each node.
fn strongly_connected(deps: &[Vec<(usize, usize)>]) -> Vec<usize> {
    const UNSEEN: usize = usize::MAX;
    let n = deps.len();
    let (mut index, mut low, mut comp) = (vec![UNSEEN; n], vec![0; n], vec![UNSEEN; n]);
    let (mut on_stack, mut stack) = (vec![false; n], Vec::new());
    let (mut next_index, mut next_comp) = (0, 0);
    for root in 0..n {
        if index[root] != UNSEEN {
            continue;
        }
        // (node, position in its dependency list)
        let mut work = vec![(root, 0usize)];
        while let Some(&mut (v, ref mut pos)) = work.last_mut() {
            if *pos == 0 && index[v] == UNSEEN {
                index[v] = next_index;
                low[v] = next_index;
                next_index += 1;
                stack.push(v);
                on_stack[v] = true;
            }
            if let Some(&(_, w)) = deps[v].get(*pos) {
                *pos += 1;
                if index[w] == UNSEEN {
                    work.push((w, 0));
                } else if on_stack[w] {
                    low[v] = low[v].min(index[w]);
                }
                continue;
            }
            work.pop();
            if let Some(&(parent, _)) = work.last() {
                low[parent] = low[parent].min(low[v]);
            }
            if low[v] == index[v] {
                while let Some(w) = stack.pop() {
                    on_stack[w] = false;
                    comp[w] = next_comp;
                    if w == v {
                        break;
                    }
                }
                next_comp += 1;
            }
        }
    }
    comp
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
        let tables = vec![t("orders", &["users"]), t("users", &[]), t("audit", &[]), t("items", &["orders", "users"])];
        let o = dependency_order(&tables);
        assert_eq!(names(&tables, &o), ["audit", "users", "orders", "items"]);
        assert!(o.deferred.is_empty());
    }

    #[test]
    fn cycles_defer_the_closing_reference() {
        // a <-> b is a cycle; "aa" only depends on it and must not be taken as part of it.
        let tables = vec![t("b", &["a"]), t("a", &["b"]), t("c", &["c"]), t("aa", &["b"])];
        let o = dependency_order(&tables);
        assert_eq!(names(&tables, &o), ["a", "b", "aa", "c"]);
        assert_eq!(o.deferred, vec![(1, 0)]);
    }

    /// The plain rule, step by step: the first table by name whose references outside
    /// its cycle are placed. The ordering must be exactly this, however it is computed.
    fn by_the_rule(tables: &[Table]) -> Order {
        let mut by_name: Vec<usize> = (0..tables.len()).collect();
        by_name.sort_by(|&a, &b| (&tables[a].schema, &tables[a].name).cmp(&(&tables[b].schema, &tables[b].name)));
        let find = |name: &str| tables.iter().position(|t| t.name == name);
        let deps: Vec<Vec<(usize, usize)>> = tables
            .iter()
            .enumerate()
            .map(|(i, t)| {
                t.foreign_keys
                    .iter()
                    .enumerate()
                    .filter_map(|(k, fk)| find(&fk.ref_table).filter(|&r| r != i).map(|r| (k, r)))
                    .collect()
            })
            .collect();
        let component = strongly_connected(&deps);
        let mut placed = vec![false; tables.len()];
        let mut order = Order { tables: Vec::new(), deferred: Vec::new() };
        while let Some(next) = by_name
            .iter()
            .copied()
            .find(|&i| !placed[i] && deps[i].iter().all(|&(_, r)| placed[r] || component[r] == component[i]))
        {
            for &(k, r) in &deps[next] {
                if !placed[r] {
                    order.deferred.push((next, k));
                }
            }
            placed[next] = true;
            order.tables.push(next);
        }
        order
    }

    proptest::proptest! {
        #[test]
        fn the_order_is_the_rule(edges in proptest::collection::vec((0usize..12, 0usize..12), 0..30), n in 1usize..12) {
            let names: Vec<String> = (0..n).map(|i| format!("t{:02}", (i * 7) % 12)).collect();
            let mut tables: Vec<Table> = names.iter().map(|name| t(name, &[])).collect();
            for (from, to) in edges {
                if from < n && to < n {
                    let target = names[to].clone();
                    tables[from] = {
                        let mut refs: Vec<String> = tables[from].foreign_keys.iter().map(|f| f.ref_table.clone()).collect();
                        refs.push(target);
                        let refs: Vec<&str> = refs.iter().map(String::as_str).collect();
                        t(&names[from], &refs)
                    };
                }
            }
            let fast = dependency_order(&tables);
            proptest::prop_assert_eq!(fast.tables.len(), n);
            proptest::prop_assert_eq!(fast, by_the_rule(&tables));
        }
    }
}
