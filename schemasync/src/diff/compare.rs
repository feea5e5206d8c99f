//! The comparison itself. Everything is matched by a structural key.

use super::{is_widening, Change, Diff, DiffOptions, TableRef};
use crate::schema::expr::canonical;

thread_local! {
    /// Canonical forms already computed during the current [`diff`] call: a schema
    /// repeats the same few defaults, checks and index columns many times. Emptied when
    /// each call starts and ends, so nothing outlives one comparison.
    static CANONICAL: std::cell::RefCell<HashMap<String, String>> = std::cell::RefCell::new(HashMap::new());
}

/// An expression's canonical form, read in the compared backend's dialect.
fn canonical_in(o: &DiffOptions, sql: &str) -> String {
    if let Some(hit) = CANONICAL.with(|m| m.borrow().get(sql).cloned()) {
        return hit;
    }
    let form = canonical(sql, o.backend);
    CANONICAL.with(|m| m.borrow_mut().insert(sql.to_string(), form.clone()));
    form
}
use crate::schema::{Column, ColumnType, DefaultValue, Index, IndexPart, Schema, Table};
use std::collections::{HashMap, HashSet};

pub(super) fn diff(desired: &Schema, actual: &Schema, o: &DiffOptions) -> Diff {
    CANONICAL.with(|m| m.borrow_mut().clear());
    let diff = diff_uncached(desired, actual, o);
    CANONICAL.with(|m| m.borrow_mut().clear());
    diff
}

fn diff_uncached(desired: &Schema, actual: &Schema, o: &DiffOptions) -> Diff {
    let ident = |s: &str| o.ident(s);
    // The database's side, copied only when a rename is applied to it.
    let mut actual = std::borrow::Cow::Borrowed(actual);
    // Tables by (schema, name as compared): one lookup each instead of a scan.
    let key = |schema: &Option<String>, name: &str| (schema.clone(), ident(name));
    let index_of = |tables: &[Table]| -> HashMap<(Option<String>, String), usize> {
        tables.iter().enumerate().map(|(i, t)| (key(&t.schema, &t.name), i)).collect()
    };
    let desired_index = index_of(&desired.tables);
    let mut actual_index = index_of(&actual.tables);
    let find = |index: &HashMap<(Option<String>, String), usize>, schema: &Option<String>, name: &str| {
        index.get(&key(schema, name)).copied()
    };

    // 1. Renames the models declare and the database shows: the old name is there, the
    //    new one is not, and no model still uses the old one.
    let mut renames = Vec::new();
    for want in &desired.tables {
        if find(&actual_index, &want.schema, &want.name).is_some() {
            continue;
        }
        let old = want
            .renamed_from
            .iter()
            .filter(|old| find(&desired_index, &want.schema, old).is_none())
            .find(|old| find(&actual_index, &want.schema, old).is_some());
        if let Some(old) = old {
            renames.push(Change::RenameTable { table: TableRef::of(want), from: old.clone() });
            rename_table(actual.to_mut(), &want.schema, old, &want.name, o);
            if let Some(i) = actual_index.remove(&key(&want.schema, old)) {
                actual_index.insert(key(&want.schema, &want.name), i);
            }
        }
    }
    for want in &desired.tables {
        let Some(ti) = find(&actual_index, &want.schema, &want.name) else {
            continue;
        };
        for col in &want.columns {
            let have = &actual.tables[ti];
            if have.columns.iter().any(|c| o.same(&c.name, &col.name)) {
                continue;
            }
            let old = col
                .renamed_from
                .iter()
                .filter(|old| !want.columns.iter().any(|c| o.same(&c.name, old)))
                .find(|old| have.columns.iter().any(|c| o.same(&c.name, old)))
                .cloned();
            if let Some(old) = old {
                renames.push(Change::RenameColumn {
                    table: TableRef::of(want),
                    from: old.clone(),
                    to: col.name.clone(),
                });
                rename_column(actual.to_mut(), ti, &old, &col.name, o);
            }
        }
    }

    // 2. With the renames applied to the database's side, compare the enum types, then
    //    table by table.
    let mut out = Diff { changes: renames, unmanaged: Vec::new() };
    if o.enum_types {
        compare_enums(desired, &actual, &mut out.changes);
    }
    let mut matched = vec![false; actual.tables.len()];
    for want in &desired.tables {
        match find(&actual_index, &want.schema, &want.name) {
            Some(i) => {
                matched[i] = true;
                // A table equal to its model (as a known table is, or as the catalog
                // read it back) has nothing to compare.
                if !same_table(want, &actual.tables[i]) {
                    compare_table(want, &actual.tables[i], o, &mut out.changes);
                }
            }
            None => out.changes.push(Change::CreateTable { table: want.clone() }),
        }
    }
    out.unmanaged = actual.tables.iter().zip(matched).filter(|(_, m)| !m).map(|(t, _)| TableRef::of(t)).collect();
    out
}

/// True when `want` and `have` are the same table: equal in every part the database
/// keeps. The model's own notes on the table (its Rust type, its former names) are not
/// compared; table renames were applied to `have` already. (A column's former names are
/// part of the column: a table that declares some is compared in full.)
fn same_table(want: &Table, have: &Table) -> bool {
    // Destructured, so that a new field of `Table` must be placed on one side or the other.
    let Table {
        schema,
        name,
        columns,
        primary_key,
        uniques,
        indexes,
        foreign_keys,
        checks,
        comment,
        renamed_from: _,
        model: _,
    } = want;
    *schema == have.schema
        && *name == have.name
        && *columns == have.columns
        && *primary_key == have.primary_key
        && *uniques == have.uniques
        && *indexes == have.indexes
        && *foreign_keys == have.foreign_keys
        && *checks == have.checks
        && *comment == have.comment
}

/// The models' enum types against the database's (PostgreSQL). Types no model uses are
/// left alone, like tables.
fn compare_enums(desired: &Schema, actual: &Schema, out: &mut Vec<Change>) {
    for want in &desired.enums {
        let Some(have) = actual.enums.iter().find(|e| e.schema == want.schema && e.name == want.name) else {
            out.push(Change::CreateEnum { enum_type: want.clone() });
            continue;
        };
        match super::enum_change(&have.labels, &want.labels, &want.renamed) {
            None => {}
            Some(super::EnumChange::Added { labels, .. }) => {
                let added = labels
                    .iter()
                    .map(|l| {
                        let at = want.labels.iter().position(|x| x == l).unwrap_or(0);
                        (l.clone(), at.checked_sub(1).and_then(|i| want.labels.get(i)).cloned())
                    })
                    .collect();
                out.push(Change::AddEnumLabels { enum_type: want.clone(), added });
            }
            Some(super::EnumChange::Renamed(renames)) => {
                out.push(Change::RenameEnumLabels { enum_type: want.clone(), renames });
            }
            Some(super::EnumChange::Removed { .. }) => {
                let name = match &want.schema {
                    Some(s) => format!("{s}.{}", want.name),
                    None => want.name.clone(),
                };
                let uses = |ty: &ColumnType| match ty {
                    ColumnType::Enum { name: n, .. } => *n == name,
                    ColumnType::Array { of } => matches!(&**of, ColumnType::Enum { name: n, .. } if *n == name),
                    _ => false,
                };
                let columns = actual
                    .tables
                    .iter()
                    .flat_map(|t| t.columns.iter().filter(|c| uses(&c.ty)).map(move |c| (TableRef::of(t), c.clone())))
                    .collect();
                out.push(Change::AlterEnumLabels { enum_type: want.clone(), from: have.labels.clone(), columns });
            }
        }
    }
}

/// The database's side as it will be after `RENAME old TO new`: the table and every
/// foreign key pointing at it.
fn rename_table(actual: &mut Schema, schema: &Option<String>, old: &str, new: &str, o: &DiffOptions) {
    for t in &mut actual.tables {
        if t.schema == *schema && o.same(&t.name, old) {
            t.name = new.to_string();
        }
        for fk in &mut t.foreign_keys {
            if fk.ref_schema == *schema && o.same(&fk.ref_table, old) {
                fk.ref_table = new.to_string();
            }
        }
    }
}

/// The database's side after `RENAME COLUMN old TO new` on table `ti`: the column, and
/// every key, index and foreign key that names it, here or in referencing tables.
fn rename_column(actual: &mut Schema, ti: usize, old: &str, new: &str, o: &DiffOptions) {
    let swap = |cols: &mut Vec<String>| {
        for c in cols.iter_mut() {
            if o.same(c, old) {
                *c = new.to_string();
            }
        }
    };
    let (schema, name) = (actual.tables[ti].schema.clone(), actual.tables[ti].name.clone());
    let t = &mut actual.tables[ti];
    for c in &mut t.columns {
        if o.same(&c.name, old) {
            c.name = new.to_string();
        }
    }
    if let Some(pk) = &mut t.primary_key {
        swap(&mut pk.columns);
    }
    for u in &mut t.uniques {
        swap(&mut u.columns);
    }
    for i in &mut t.indexes {
        for p in &mut i.columns {
            if let IndexPart::Column(c) = p {
                if o.same(c, old) {
                    *c = new.to_string();
                }
            }
        }
    }
    for fk in &mut t.foreign_keys {
        swap(&mut fk.columns);
    }
    for other in &mut actual.tables {
        for fk in &mut other.foreign_keys {
            if fk.ref_schema == schema && o.same(&fk.ref_table, &name) {
                swap(&mut fk.ref_columns);
            }
        }
    }
}

fn compare_table(want: &Table, have: &Table, o: &DiffOptions, out: &mut Vec<Change>) {
    let t = TableRef::of(want);
    let ident = |s: &str| o.ident(s);
    let idents = |v: &[String]| v.iter().map(|s| ident(s)).collect::<Vec<_>>();

    // Columns, in the model's order (renames were applied to `have` already).
    let mut seen: HashSet<String> = HashSet::new();
    for col in &want.columns {
        let existing = have.columns.iter().find(|c| o.same(&c.name, &col.name));
        match existing {
            Some(c) => {
                seen.insert(ident(&c.name));
                let sole_key = want
                    .primary_key
                    .as_ref()
                    .is_some_and(|pk| pk.columns.len() == 1 && o.same(&pk.columns[0], &col.name));
                let rowid = o.rowid_keys && sole_key && col.ty.is_integer();
                compare_column(&t, col, c, o, rowid, out);
            }
            None => out.push(Change::AddColumn { table: t.clone(), column: col.clone() }),
        }
    }
    for c in &have.columns {
        if !seen.contains(&ident(&c.name)) {
            out.push(Change::DropColumn { table: t.clone(), column: c.clone() });
        }
    }

    // Primary key by columns.
    match (&want.primary_key, &have.primary_key) {
        (Some(w), Some(h)) if idents(&w.columns) == idents(&h.columns) => {}
        (w, h) => {
            if let Some(h) = h {
                out.push(Change::DropPrimaryKey { table: t.clone(), key: h.clone() });
            }
            if let Some(w) = w {
                out.push(Change::AddPrimaryKey { table: t.clone(), key: w.clone() });
            }
        }
    }

    // Unique keys: a UNIQUE constraint and a plain unique index on the same columns are one thing.
    let unique_key = |cols: &[String]| idents(cols);
    let plain_unique =
        |i: &Index| i.unique && i.predicate.is_none() && i.columns.iter().all(|p| p.as_column().is_some());
    let index_cols = |i: &Index| i.columns.iter().filter_map(|p| p.as_column().map(str::to_string)).collect::<Vec<_>>();
    let have_uniques: Vec<Vec<String>> = have
        .uniques
        .iter()
        .map(|u| unique_key(&u.columns))
        .chain(have.indexes.iter().filter(|i| plain_unique(i)).map(|i| unique_key(&index_cols(i))))
        .collect();
    let want_uniques: Vec<Vec<String>> = want
        .uniques
        .iter()
        .map(|u| unique_key(&u.columns))
        .chain(want.indexes.iter().filter(|i| plain_unique(i)).map(|i| unique_key(&index_cols(i))))
        .collect();
    for u in &want.uniques {
        if !have_uniques.contains(&unique_key(&u.columns)) {
            out.push(Change::AddUnique { table: t.clone(), unique: u.clone() });
        }
    }
    for u in &have.uniques {
        if !want_uniques.contains(&unique_key(&u.columns)) {
            out.push(Change::DropUnique { table: t.clone(), unique: u.clone() });
        }
    }

    // Other indexes by (parts, uniqueness, predicate); plain unique indexes were handled above.
    let index_key = |i: &Index| {
        let parts: Vec<String> = i
            .columns
            .iter()
            .map(|p| match p {
                IndexPart::Column(c) => canonical_in(o, c),
                IndexPart::Expr(e) => canonical_in(o, e),
            })
            .collect();
        (parts, i.unique, i.predicate.as_deref().map(|p| canonical_in(o, p)), i.method.clone())
    };
    let have_keys: Vec<_> = have.indexes.iter().map(index_key).collect();
    let want_keys: Vec<_> = want.indexes.iter().map(index_key).collect();
    for i in &want.indexes {
        let present = if plain_unique(i) {
            have_uniques.contains(&unique_key(&index_cols(i)))
        } else {
            have_keys.contains(&index_key(i))
        };
        if !present {
            out.push(Change::AddIndex { table: t.clone(), index: i.clone() });
        }
    }
    let implied_by_fk = |i: &Index| {
        o.implicit_fk_indexes
            && !i.unique
            && i.predicate.is_none()
            && i.columns.iter().all(|p| p.as_column().is_some())
            && have.foreign_keys.iter().any(|f| idents(&f.columns) == unique_key(&index_cols(i)))
    };
    for i in &have.indexes {
        let wanted = if plain_unique(i) {
            want_uniques.contains(&unique_key(&index_cols(i)))
        } else {
            want_keys.contains(&index_key(i))
        };
        if !wanted && !implied_by_fk(i) {
            out.push(Change::DropIndex { table: t.clone(), index: i.clone() });
        }
    }

    // Foreign keys by (columns, target); actions compared on a match.
    let fk_key = |f: &crate::schema::ForeignKey| {
        (idents(&f.columns), f.ref_schema.clone(), ident(&f.ref_table), idents(&f.ref_columns))
    };
    for w in &want.foreign_keys {
        match have.foreign_keys.iter().find(|h| fk_key(h) == fk_key(w)) {
            Some(h) if h.on_delete != w.on_delete || h.on_update != w.on_update => {
                out.push(Change::AlterForeignKey { table: t.clone(), from: h.clone(), to: w.clone() })
            }
            Some(_) => {}
            None => out.push(Change::AddForeignKey { table: t.clone(), foreign_key: w.clone() }),
        }
    }
    for h in &have.foreign_keys {
        if !want.foreign_keys.iter().any(|w| fk_key(w) == fk_key(h)) {
            out.push(Change::DropForeignKey { table: t.clone(), foreign_key: h.clone() });
        }
    }

    // Checks by expression.
    let have_checks: Vec<String> = have.checks.iter().map(|c| canonical_in(o, &c.expr)).collect();
    let want_checks: Vec<String> = want.checks.iter().map(|c| canonical_in(o, &c.expr)).collect();
    for c in &want.checks {
        if !have_checks.contains(&canonical_in(o, &c.expr)) {
            out.push(Change::AddCheck { table: t.clone(), check: c.clone() });
        }
    }
    for c in &have.checks {
        if !want_checks.contains(&canonical_in(o, &c.expr)) {
            out.push(Change::DropCheck { table: t.clone(), check: c.clone() });
        }
    }

    if want.comment != have.comment {
        out.push(Change::SetTableComment { table: t.clone(), from: have.comment.clone(), to: want.comment.clone() });
    }
}

/// `rowid`: the column is a sole integer key the backend may make generate values.
fn compare_column(t: &TableRef, want: &Column, have: &Column, o: &DiffOptions, rowid: bool, out: &mut Vec<Change>) {
    let column = want.name.clone();
    // The models' label renames are not part of the type.
    // A type named by `sql_type` may be the enum type the catalog reports (schema
    // qualification aside).
    let bare = |n: &str| n.rsplit('.').next().unwrap_or_default().trim_matches('"').to_string();
    let same_type = match (&want.ty, &have.ty) {
        (ColumnType::Enum { name: a, labels: la, .. }, ColumnType::Enum { name: b, labels: lb, .. }) => {
            a == b && la == lb
        }
        (ColumnType::Custom { sql }, ColumnType::Enum { name, labels, .. })
        | (ColumnType::Enum { name, labels, .. }, ColumnType::Custom { sql })
            if labels.is_empty() =>
        {
            bare(sql) == bare(name)
        }
        (a, b) => a == b,
    };
    if !same_type {
        out.push(Change::AlterColumnType {
            table: t.clone(),
            column: column.clone(),
            from: have.ty.clone(),
            to: want.ty.clone(),
            widening: is_widening(&have.ty, &want.ty),
        });
    }
    let same_generated = match (&want.generated, &have.generated) {
        (None, None) => true,
        (Some(a), Some(b)) => a.stored == b.stored && canonical_in(o, &a.expr) == canonical_in(o, &b.expr),
        _ => false,
    };
    if !same_generated {
        out.push(Change::AlterGenerated {
            table: t.clone(),
            column: column.clone(),
            from: have.generated.clone(),
            to: want.generated.clone(),
        });
    }
    if want.nullable != have.nullable {
        out.push(Change::AlterNullability { table: t.clone(), column: column.clone(), nullable: want.nullable });
    }
    let extra_rowid = rowid && have.auto_increment && !want.auto_increment;
    if want.auto_increment != have.auto_increment && !extra_rowid {
        out.push(Change::AlterAutoIncrement {
            table: t.clone(),
            column: column.clone(),
            auto_increment: want.auto_increment,
        });
    }
    if want.auto_increment && have.auto_increment && want.identity != have.identity {
        out.push(Change::AlterIdentity {
            table: t.clone(),
            column: column.clone(),
            from: have.identity,
            to: want.identity,
        });
    }
    if !same_default(want.default.as_ref(), have.default.as_ref(), o) {
        out.push(Change::AlterDefault {
            table: t.clone(),
            column: column.clone(),
            from: have.default.clone(),
            to: want.default.clone(),
        });
    }
    if want.comment != have.comment {
        out.push(Change::SetColumnComment {
            table: t.clone(),
            column,
            from: have.comment.clone(),
            to: want.comment.clone(),
        });
    }
}

fn same_default(a: Option<&DefaultValue>, b: Option<&DefaultValue>, o: &DiffOptions) -> bool {
    match (a, b) {
        (Some(DefaultValue::Expr(x)), Some(DefaultValue::Expr(y))) => canonical_in(o, x) == canonical_in(o, y),
        (a, b) => a == b,
    }
}
