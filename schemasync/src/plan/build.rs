//! Diff -> plan: group changes into steps, order them, classify them, let the mode
//! decide, and render each step's SQL.

pub use super::hazard::Facts;
use super::hazard::{classify, refused_add};
use super::order::dependency_order;
use super::{Disposition, Hazard, Mode, Plan, Step};
use crate::dialect::{dialect, Backend, Dialect};
use crate::diff::{Change, Diff, TableRef};
use crate::error::Result;
use crate::schema::{Schema, Table};
use sha2::{Digest, Sha256};

/// Everything a plan is built from. Pure data: the caller did the I/O.
pub struct PlanInput<'a> {
    pub backend: Backend,
    pub mode: Mode,
    /// The models' schema as built (rendering uses it).
    pub models: &'a Schema,
    /// The same, canonical for the backend (what the diff compared), table for table.
    pub desired: &'a Schema,
    /// What the catalog holds.
    pub actual: &'a Schema,
    pub diff: &'a Diff,
    pub facts: &'a Facts,
}

/// Execution phases: renames, drops of keys, new tables, columns, new keys, foreign keys.
fn phase(c: &Change) -> u8 {
    match c {
        Change::DropTable { .. } => 0,
        Change::DropEnum { .. } | Change::RenameEnumLabels { .. } | Change::AddEnumLabels { .. } => 1,
        Change::RenameTable { .. } => 1,
        Change::RenameColumn { .. } => 2,
        Change::DropForeignKey { .. } | Change::AlterForeignKey { .. } => 3,
        Change::DropCheck { .. }
        | Change::DropIndex { .. }
        | Change::DropUnique { .. }
        | Change::DropPrimaryKey { .. } => 4,
        Change::CreateEnum { .. } => 4,
        Change::CreateTable { .. } => 5,
        Change::AddColumn { .. } => 6,
        Change::AlterColumnType { .. }
        | Change::AlterGenerated { .. }
        | Change::AlterNullability { .. }
        | Change::AlterDefault { .. }
        | Change::AlterAutoIncrement { .. }
        | Change::AlterIdentity { .. }
        | Change::SetColumnComment { .. }
        | Change::AlterEnumLabels { .. } => 7,
        Change::DropColumn { .. } => 8,
        Change::AddPrimaryKey { .. } | Change::AddUnique { .. } | Change::AddIndex { .. } | Change::AddCheck { .. } => {
            9
        }
        Change::AddForeignKey { .. } => 10,
        Change::SetTableComment { .. } => 11,
    }
}

/// On SQLite, does this change need the table rebuilt?
fn needs_rebuild(d: &dyn Dialect, c: &Change) -> bool {
    if !d.rebuilds_for_constraints() {
        return false;
    }
    match c {
        Change::AddColumn { column, .. } => !d.can_add_column(column),
        Change::AddPrimaryKey { .. }
        | Change::DropPrimaryKey { .. }
        | Change::DropUnique { .. }
        | Change::AddForeignKey { .. }
        | Change::DropForeignKey { .. }
        | Change::AlterForeignKey { .. }
        | Change::AddCheck { .. }
        | Change::DropCheck { .. } => true,
        other => other.altered_column().is_some(),
    }
}

/// A step under construction.
struct Draft {
    table: TableRef,
    changes: Vec<Change>,
    rebuild: bool,
    /// Part of creating a table (its deferred foreign keys), for create-all.
    creates: bool,
    phase: u8,
    table_pos: usize,
}

/// Builds the plan: its steps, their order, hazards and dispositions. The SQL of each
/// step (and so the plan's hash) is added by the renderer, `render::plan_sql`.
pub fn build(input: &PlanInput<'_>) -> Result<Plan> {
    let d = dialect(input.backend);
    let pos = |t: &TableRef| {
        input.desired.tables.iter().position(|x| x.schema == t.schema && x.name == t.name).unwrap_or(usize::MAX)
    };
    let mut drafts: Vec<Draft> = Vec::new();

    match input.mode {
        Mode::Rebuild | Mode::DropAll => {
            if input.mode == Mode::DropAll || !input.diff.is_empty() {
                let present: Vec<&Table> = input
                    .desired
                    .tables
                    .iter()
                    .zip(&input.models.tables)
                    .filter(|(want, _)| !input.diff.changes.iter().any(|c| matches!(c, Change::CreateTable { table } if table.name == want.name && table.schema == want.schema)))
                    .map(|(_, model)| model)
                    .collect();
                let dropped = Schema { tables: present.into_iter().cloned().collect(), enums: Vec::new() };
                // Children first: the creation order, reversed.
                let order: Vec<usize> = dependency_order(&dropped.tables).tables.into_iter().rev().collect();
                for (i, table) in order.iter().enumerate() {
                    let t = &dropped.tables[*table];
                    drafts.push(Draft {
                        table: TableRef::of(t),
                        changes: vec![Change::DropTable { table: t.clone() }],
                        rebuild: false,
                        creates: false,
                        phase: 0,
                        table_pos: i,
                    });
                }
                // The models' enum types go after their tables; others are left alone.
                let present = |e: &&crate::schema::EnumType| {
                    d.capabilities().enum_types
                        && input.actual.enums.iter().any(|a| a.schema == e.schema && a.name == e.name)
                };
                for (i, e) in input.desired.enums.iter().filter(present).enumerate() {
                    drafts.push(Draft {
                        table: TableRef { schema: e.schema.clone(), name: e.name.clone() },
                        changes: vec![Change::DropEnum { enum_type: e.clone() }],
                        rebuild: false,
                        creates: false,
                        phase: 1,
                        table_pos: i,
                    });
                }
            }
            if input.mode == Mode::Rebuild && !input.diff.is_empty() {
                for (i, e) in input.desired.enums.iter().filter(|_| d.capabilities().enum_types).enumerate() {
                    drafts.push(Draft {
                        table: TableRef { schema: e.schema.clone(), name: e.name.clone() },
                        changes: vec![Change::CreateEnum { enum_type: e.clone() }],
                        rebuild: false,
                        creates: true,
                        phase: 4,
                        table_pos: i,
                    });
                }
                for (i, t) in input.desired.tables.iter().enumerate() {
                    drafts.push(Draft {
                        table: TableRef::of(t),
                        changes: vec![Change::CreateTable { table: t.clone() }],
                        rebuild: false,
                        creates: true,
                        phase: 5,
                        table_pos: i,
                    });
                }
            }
        }
        _ => {
            // SQLite: tables whose changes need a rebuild take all their changes into it.
            let mut rebuilt: Vec<TableRef> = Vec::new();
            for c in &input.diff.changes {
                if needs_rebuild(d, c) && !rebuilt.contains(&c.table()) {
                    rebuilt.push(c.table());
                }
            }
            for c in &input.diff.changes {
                let table = c.table();
                // What can be done in place (a new column SQLite can add, an index, a
                // rename) is its own step, so that it never waits behind a rebuild.
                let keeps_own_step = !needs_rebuild(d, c);
                if rebuilt.contains(&table) && !keeps_own_step {
                    match drafts.iter_mut().find(|s| s.rebuild && s.table == table) {
                        Some(s) => s.changes.push(c.clone()),
                        None => drafts.push(Draft {
                            table: table.clone(),
                            changes: vec![c.clone()],
                            rebuild: true,
                            creates: false,
                            phase: 7,
                            table_pos: pos(&table),
                        }),
                    }
                    continue;
                }
                // One step per column for in-place alterations (one MODIFY on MySQL).
                if let Some(column) = c.altered_column() {
                    let same = |s: &Draft| {
                        s.table == table
                            && !s.rebuild
                            && s.changes.first().and_then(Change::altered_column) == Some(column)
                    };
                    if let Some(s) = drafts.iter_mut().find(|s| same(s)) {
                        s.changes.push(c.clone());
                        continue;
                    }
                }
                drafts.push(Draft {
                    table: table.clone(),
                    changes: vec![c.clone()],
                    rebuild: false,
                    creates: matches!(c, Change::CreateTable { .. } | Change::CreateEnum { .. }),
                    phase: phase(c),

                    table_pos: pos(&table),
                });
            }
        }
    }
    // New tables: parents first among themselves; a cycle's foreign keys wait.
    let created: Vec<Table> = drafts
        .iter()
        .filter_map(|s| match s.changes.first() {
            Some(Change::CreateTable { table }) => Some(table.clone()),
            _ => None,
        })
        .collect();
    let mut order = dependency_order(&created);
    // A new table's reference to an existing table whose keys or columns this plan
    // changes waits until those changes are made: it is added at the end.
    let changing: Vec<TableRef> =
        drafts.iter().filter(|s| !s.creates && changes_keys(s)).map(|s| s.table.clone()).collect();
    for (ti, t) in created.iter().enumerate() {
        for (k, fk) in t.foreign_keys.iter().enumerate() {
            let target = TableRef { schema: fk.ref_schema.clone(), name: fk.ref_table.clone() };
            let needs_change = changing.contains(&target) && !key_exists(input.actual, input.desired, fk);
            if needs_change && !order.deferred.contains(&(ti, k)) {
                order.deferred.push((ti, k));
            }
        }
    }
    for (rank, &i) in order.tables.iter().enumerate() {
        let r = TableRef::of(&created[i]);
        if let Some(s) = drafts.iter_mut().find(|s| s.creates_table(&r)) {
            s.table_pos = rank;
        }
    }
    if d.capabilities().alter_add_foreign_key {
        for &(ti, k) in &order.deferred {
            let t = &created[ti];
            drafts.push(Draft {
                table: TableRef::of(t),
                changes: vec![Change::AddForeignKey { table: TableRef::of(t), foreign_key: t.foreign_keys[k].clone() }],
                rebuild: false,
                creates: true,
                phase: 10,
                table_pos: pos(&TableRef::of(t)),
            });
        }
    }
    drafts.sort_by_key(|s| (s.phase, s.table_pos));

    let mut steps = Vec::with_capacity(drafts.len());
    for draft in drafts {
        let (hazard, hazard_reason) = draft
            .changes
            .iter()
            .map(|c| classify(c, input.backend, input.facts))
            .chain(draft.rebuild.then(|| rebuild_hazard(&draft.table, input.facts)))
            .max_by_key(|(h, _)| *h)
            .unwrap_or((Hazard::Safe, String::new()));
        let disposition = decide(input, &draft, hazard, &hazard_reason);
        let words =
            draft.changes.iter().map(|c| crate::diff::words::summarize(d, &as_modelled(c, input))).collect::<Vec<_>>();
        let summary =
            if draft.rebuild { format!("rebuild the table to {}", words.join("; ")) } else { words.join("; ") };

        let early = draft.changes.iter().any(|c| matches!(c, Change::AddEnumLabels { .. }));
        steps.push(Step {
            table: draft.table,
            summary,
            changes: draft.changes,
            rebuild: draft.rebuild,
            hazard,
            hazard_reason,
            disposition,
            sql: Vec::new(),
            validate: Vec::new(),
            early,
        });
    }

    wait_for_pending_renames(&mut steps);
    wait_for_referenced_keys(&mut steps, d.capabilities().alter_add_foreign_key, &|fk| {
        key_exists(input.actual, input.desired, fk)
    });
    let touched: Vec<TableRef> = steps.iter().map(|s| s.table.clone()).collect();
    let in_sync = if matches!(input.mode, Mode::Rebuild) && !input.diff.is_empty() || input.mode == Mode::DropAll {
        Vec::new()
    } else {
        input.desired.tables.iter().map(TableRef::of).filter(|t| !touched.contains(t)).map(|t| t.to_string()).collect()
    };
    Ok(Plan {
        backend: input.backend,
        mode: input.mode,
        hash: String::new(),
        steps,
        before: Vec::new(),
        after: Vec::new(),
        in_sync,
        unmanaged: input.diff.unmanaged.iter().map(|t| t.to_string()).collect(),
    })
}

impl Draft {
    fn creates_table(&self, t: &TableRef) -> bool {
        &self.table == t && matches!(self.changes.first(), Some(Change::CreateTable { .. }))
    }
}

/// For a dropped table: a table no model declares with a foreign key to it, and the
/// key's name.
fn referenced_from_unmanaged(input: &PlanInput<'_>, change: &Change) -> Option<(String, String)> {
    let d = dialect(input.backend);
    // Declared, or dropped by this plan too (a migration's down drops what its up made).
    let declared = |t: &Table| {
        input.desired.tables.iter().any(|m| m.schema == t.schema && d.same_name(&m.name, &t.name))
            || input.diff.changes.iter().any(|c| {
                matches!(c, Change::DropTable { table } if table.schema == t.schema && d.same_name(&table.name, &t.name))
            })
    };
    if let Change::DropEnum { enum_type } = change {
        // An enum type that a table no model declares still uses.
        let name = match &enum_type.schema {
            Some(s) => format!("{s}.{}", enum_type.name),
            None => enum_type.name.clone(),
        };
        let uses = |ty: &crate::schema::ColumnType| match ty {
            crate::schema::ColumnType::Enum { name: n, .. } => *n == name,
            crate::schema::ColumnType::Array { of } => {
                matches!(&**of, crate::schema::ColumnType::Enum { name: n, .. } if *n == name)
            }
            _ => false,
        };
        return input.actual.tables.iter().filter(|t| !declared(t)).find_map(|t| {
            let c = t.columns.iter().find(|c| uses(&c.ty))?;
            Some((TableRef::of(t).to_string(), format!("column {}", c.name)))
        });
    }
    let Change::DropTable { table } = change else { return None };
    input.actual.tables.iter().filter(|t| !declared(t)).find_map(|t| {
        let fk = t
            .foreign_keys
            .iter()
            .find(|fk| fk.ref_schema == table.schema && d.same_name(&fk.ref_table, &table.name))?;
        Some((TableRef::of(t).to_string(), format!("foreign key {}", fk.name)))
    })
}

/// What the mode makes of a step.
fn decide(input: &PlanInput<'_>, draft: &Draft, hazard: Hazard, hazard_reason: &str) -> Disposition {
    // A table no model declares references a table this plan drops: PostgreSQL and
    // SQLite would refuse the drop, MySQL (foreign key checks off for the drop) would
    // leave its rows pointing at nothing.
    if let Some((child, what)) = draft.changes.iter().find_map(|c| referenced_from_unmanaged(input, c)) {
        return Disposition::Refused {
            reason: format!(
                "table {child} uses {} ({what}), and no model declares {child}, so dropping {} would break it",
                draft.table, draft.table
            ),
            fix: format!("drop or change that {what} of {child} first, or declare {child} in a model"),
        };
    }
    let by_mode = decide_by_mode(input, draft, hazard, hazard_reason);
    // Existing rows break what the step adds: it would fail on them, and on MySQL leave
    // the plan half done. Pending where a mode applies what it can; refused in full mode.
    if by_mode == Disposition::Apply || matches!(input.mode, Mode::Additive) {
        let broken = draft.changes.iter().find_map(|c| input.facts.violations.get(&Facts::key(c)).map(|v| (c, v)));
        if let Some((change, v)) = broken {
            let what = crate::diff::words::summarize(dialect(input.backend), change);
            let reason = format!("{} existing row(s) of {} break it ({what})", v.count, draft.table);
            let fix = format!("list them with `{}`, fix or delete them, then sync again", v.list);
            return if input.mode == Mode::Full {
                Disposition::Refused { reason, fix }
            } else {
                Disposition::Pending { reason, fix }
            };
        }
    }
    // Refused in the modes that add columns: there it can never be applied as written.
    if matches!(input.mode, Mode::Additive | Mode::AddMissingColumns | Mode::Full) {
        if let Some(column) = draft.changes.iter().find_map(|c| refused_add(c, input.facts)) {
            return Disposition::Refused {
                reason: format!(
                    "table {} has rows, and new column `{column}` is NOT NULL without a default, so those rows would have no value",
                    draft.table
                ),
                fix: format!(
                    "Give the field a default (#[column(default = ...)] or #[column(default_sql = \"...\")]), or make it an Option<T> and fill it in before making it required; nothing was applied for `{}.{column}`",
                    draft.table
                ),
            };
        }
    }
    by_mode
}

/// What the mode alone makes of a step.
fn decide_by_mode(input: &PlanInput<'_>, draft: &Draft, hazard: Hazard, hazard_reason: &str) -> Disposition {
    let pending = |reason: String, fix: &str| Disposition::Pending { reason, fix: fix.to_string() };
    let review = "review the plan, then run with Mode::Full allowing its hash (SCHEMASYNC_MODE=full SCHEMASYNC_PLAN_HASH=<hash>)";
    match input.mode {
        Mode::Full | Mode::Rebuild | Mode::DropAll => Disposition::Apply,
        Mode::Validate => pending("validate writes nothing".into(), "run a sync in a mode that applies it"),
        Mode::Migrate => pending(
            "migrate mode changes the schema only through migration files".into(),
            "run `schema migrate new <name>`, review the files, and boot again",
        ),
        Mode::CreateAll => {
            if draft.creates {
                Disposition::Apply
            } else {
                pending("create_all only creates missing tables".into(), "run an additive sync, or full after review")
            }
        }
        Mode::AddMissingColumns => {
            // A new column's enum type is made with it.
            if draft.changes.iter().all(|c| matches!(c, Change::AddColumn { .. } | Change::CreateEnum { .. })) {
                Disposition::Apply
            } else {
                pending("add_missing_columns only adds columns".into(), "run an additive sync, or full after review")
            }
        }
        Mode::Additive => match hazard {
            Hazard::Safe => Disposition::Apply,
            Hazard::Locking => pending(format!("not applied in additive mode: {hazard_reason}"), review),
            Hazard::Destructive => pending(
                format!("not applied in additive mode: {hazard_reason}"),
                "back up first; migrate the data if values must change; then review the plan and run with Mode::Full allowing its hash",
            ),
        },
    }
}

/// SHA-256 over the backend, mode, steps, dispositions and SQL.
pub(super) fn hash(plan: &Plan) -> String {
    let mut h = Sha256::new();
    h.update(plan.backend.key());
    h.update([0]);
    h.update(plan.mode.key());
    for s in &plan.steps {
        h.update([1]);
        h.update(s.table.to_string());
        h.update([0]);
        h.update(s.summary.as_bytes());
        h.update([0]);
        h.update(serde_json::to_string(&s.disposition).unwrap_or_default());
        for sql in &s.sql {
            h.update([2]);
            h.update(sql.as_bytes());
        }
        for sql in &s.validate {
            h.update([4]);
            h.update(sql.as_bytes());
        }
    }
    for sql in plan.before.iter().chain(&plan.after) {
        h.update([3]);
        h.update(sql.as_bytes());
    }
    h.finalize().iter().map(|b| format!("{b:02x}")).collect()
}

/// A rebuild copies every row: of a table known to be empty it costs nothing, and of a
/// small one it is quick. It keeps the table's columns and indexes, but not its
/// triggers, so a table with triggers is never rebuilt as safe.
fn rebuild_hazard(table: &TableRef, facts: &Facts) -> (Hazard, String) {
    if facts.triggers.contains(table) {
        return (
            Hazard::Locking,
            "rebuilds the table (SQLite cannot alter it in place), which drops its triggers".into(),
        );
    }
    let rows = facts.row_estimates.get(table).copied().filter(|n| *n >= 0);
    if facts.rows_checked.contains(table) && !facts.tables_with_rows.contains(table) {
        (Hazard::Safe, "rebuilds an empty table (SQLite cannot alter it in place)".into())
    } else if let Some(n) = rows.filter(|n| *n < facts.big_table_rows) {
        (
            Hazard::Safe,
            format!("rebuilds a table of {n} row(s), copying them as they are (SQLite cannot alter it in place)"),
        )
    } else {
        (Hazard::Locking, "rebuilds the table, copying every row (SQLite cannot alter it in place)".into())
    }
}

/// The change as the models wrote it, for words: a new column is described with the
/// model's type (`SMALLINT`), not the type the backend compares it as (SQLite's `BIGINT`).
fn as_modelled(c: &Change, input: &PlanInput<'_>) -> Change {
    let model = |t: &TableRef| {
        let i = input.desired.tables.iter().position(|x| x.schema == t.schema && x.name == t.name)?;
        input.models.tables.get(i)
    };
    match c {
        Change::AddColumn { table, column } => match model(table).and_then(|m| m.column(&column.name)) {
            Some(col) => Change::AddColumn { table: table.clone(), column: col.clone() },
            None => c.clone(),
        },
        _ => c.clone(),
    }
}

/// Every other step on a table whose rename is not applied waits for it: its SQL uses
/// the new names, which do not exist until the rename runs.
fn wait_for_pending_renames(steps: &mut [Step]) {
    let waiting: Vec<(TableRef, String, String)> = steps
        .iter()
        .filter(|s| s.disposition != Disposition::Apply)
        .filter_map(|s| match s.changes.first() {
            Some(Change::RenameTable { table, from }) => {
                Some((table.clone(), format!("table {from} to {}", table.name), fix_of(s)))
            }
            Some(Change::RenameColumn { table, from, to }) => {
                Some((table.clone(), format!("column {from} to {to}"), fix_of(s)))
            }
            _ => None,
        })
        .collect();
    for step in steps.iter_mut() {
        let is_rename = matches!(step.changes.first(), Some(Change::RenameTable { .. } | Change::RenameColumn { .. }));
        if is_rename || step.disposition != Disposition::Apply {
            continue;
        }
        if let Some((_, what, fix)) = waiting.iter().find(|(t, _, _)| t == &step.table) {
            step.disposition = Disposition::Pending {
                reason: format!("waits for the rename of {what}, which is pending"),
                fix: fix.clone(),
            };
        }
    }
}

fn fix_of(step: &Step) -> String {
    match &step.disposition {
        Disposition::Pending { fix, .. } | Disposition::Refused { fix, .. } => fix.clone(),
        Disposition::Apply => String::new(),
    }
}

/// Does this change add or move keys or columns that a foreign key may point at?
fn touches_keys(c: &Change) -> bool {
    matches!(
        c,
        Change::CreateTable { .. }
            | Change::AddColumn { .. }
            | Change::AddUnique { .. }
            | Change::AddPrimaryKey { .. }
            | Change::RenameColumn { .. }
            | Change::RenameTable { .. }
            | Change::AddIndex { index: crate::schema::Index { unique: true, .. }, .. }
    )
}

/// Does this step of an existing table change keys or columns a reference may need?
fn changes_keys(s: &Draft) -> bool {
    s.rebuild || s.changes.iter().any(touches_keys)
}

/// A step that needs a key of another table waits while that table's key or column
/// changes are not applied: a foreign key to them would be refused by the database.
/// Where foreign keys cannot be added later (SQLite), a new table's inline references
/// make the whole table wait.
fn wait_for_referenced_keys(
    steps: &mut [Step],
    deferrable: bool,
    already_there: &dyn Fn(&crate::schema::ForeignKey) -> bool,
) {
    loop {
        let waiting: Vec<TableRef> = steps
            .iter()
            .filter(|s| s.disposition != Disposition::Apply)
            .filter(|s| s.rebuild || s.changes.iter().any(touches_keys))
            .map(|s| s.table.clone())
            .collect();
        let mut moved = false;
        for step in steps.iter_mut().filter(|s| s.disposition == Disposition::Apply) {
            let needs: Vec<TableRef> = step
                .changes
                .iter()
                .flat_map(|c| match c {
                    Change::AddForeignKey { foreign_key, .. } | Change::AlterForeignKey { to: foreign_key, .. } => {
                        vec![foreign_key]
                    }
                    Change::CreateTable { table } if !deferrable => table.foreign_keys.iter().collect(),
                    _ => Vec::new(),
                })
                .filter(|fk| !already_there(fk))
                .map(|fk| TableRef { schema: fk.ref_schema.clone(), name: fk.ref_table.clone() })
                .filter(|t| t != &step.table)
                .collect();
            if let Some(target) = needs.iter().find(|t| waiting.contains(t)) {
                step.disposition = Disposition::Pending {
                    reason: format!("waits for pending changes to table {target}, which it references"),
                    fix: format!("apply the pending steps of {target} first (full mode after review)"),
                };
                moved = true;
            }
        }
        if !moved {
            break;
        }
    }
}

/// Is the key a foreign key points at already in the database: the target table under
/// its name (or a name it is renamed from), with a primary key, unique constraint or
/// plain unique index on exactly the referenced columns?
fn key_exists(actual: &Schema, desired: &Schema, fk: &crate::schema::ForeignKey) -> bool {
    let fold = |v: &[String]| v.iter().map(|c| c.to_lowercase()).collect::<Vec<_>>();
    let want = fold(&fk.ref_columns);
    let old_names: Vec<&String> = desired
        .tables
        .iter()
        .filter(|t| t.schema == fk.ref_schema && t.name == fk.ref_table)
        .flat_map(|t| t.renamed_from.iter())
        .collect();
    let Some(table) = actual
        .tables
        .iter()
        .find(|t| t.schema == fk.ref_schema && (t.name == fk.ref_table || old_names.contains(&&t.name)))
    else {
        return false;
    };
    table.primary_key.as_ref().is_some_and(|pk| fold(&pk.columns) == want)
        || table.uniques.iter().any(|u| fold(&u.columns) == want)
        || table.indexes.iter().any(|i| {
            i.unique
                && i.predicate.is_none()
                && fold(&i.columns.iter().filter_map(|p| p.as_column().map(str::to_string)).collect::<Vec<_>>()) == want
        })
}
