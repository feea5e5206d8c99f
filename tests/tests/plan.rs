//! The planner without a database: hazard classes, mode decisions, ordering and the
//! hash, from schemas built by hand around the kitchen-sink models.

use schemasync::diff::{diff, DiffOptions};
use schemasync::plan::{Disposition, Facts, Hazard, Mode, Plan, PlanInput};
use schemasync::render::plan as build;
use schemasync::schema::{ColumnType, Schema};
use schemasync::Backend;
use schemasync_tests::kitchen_sink;

/// The kitchen sink for `backend`, canonical, and a copy changed by `edit` playing the
/// database.
fn plan_for(backend: Backend, mode: Mode, facts: &Facts, edit: impl FnOnce(&mut Schema)) -> Plan {
    let models = kitchen_sink::models().schema(backend).unwrap();
    let desired = schemasync::dialect::canonicalize(&models, backend, None, &[]);
    let mut actual = desired.clone();
    edit(&mut actual);
    let d = diff(&desired, &actual, &DiffOptions::for_backend(backend));
    build(&PlanInput { backend, mode, models: &models, desired: &desired, actual: &actual, diff: &d, facts }).unwrap()
}

fn table<'a>(s: &'a mut Schema, name: &str) -> &'a mut schemasync::schema::Table {
    s.tables.iter_mut().find(|t| t.name == name).unwrap()
}

fn only_step(plan: &Plan) -> &schemasync::plan::Step {
    assert_eq!(plan.steps.len(), 1, "{plan}");
    &plan.steps[0]
}

#[test]
fn hazard_classes() {
    let facts = Facts::default();
    type Edit = Box<dyn FnOnce(&mut Schema)>;
    let cases: Vec<(&str, Edit, Hazard)> = vec![
        (
            "missing nullable column",
            Box::new(|s| table(s, "ks_users").columns.retain(|c| c.name != "weight")),
            Hazard::Safe,
        ),
        (
            "missing column with default",
            Box::new(|s| table(s, "ks_users").columns.retain(|c| c.name != "score")),
            Hazard::Safe,
        ),
        (
            "widening",
            Box::new(|s| {
                let c = table(s, "ks_teams").columns.iter_mut().find(|c| c.name == "title").unwrap();
                c.ty = ColumnType::Varchar { len: 40 };
            }),
            Hazard::Locking,
        ),
        (
            "narrowing",
            Box::new(|s| {
                let c = table(s, "ks_teams").columns.iter_mut().find(|c| c.name == "title").unwrap();
                c.ty = ColumnType::Text;
            }),
            Hazard::Destructive,
        ),
        (
            "set not null",
            Box::new(|s| {
                let c = table(s, "ks_users").columns.iter_mut().find(|c| c.name == "email").unwrap();
                c.nullable = true;
            }),
            Hazard::Destructive,
        ),
        (
            "extra column",
            Box::new(|s| {
                let mut extra = table(s, "ks_teams").columns[1].clone();
                extra.name = "old".into();
                table(s, "ks_teams").columns.push(extra);
            }),
            Hazard::Destructive,
        ),
        ("missing index", Box::new(|s| table(s, "ks_users").indexes.clear()), Hazard::Safe),
        ("missing foreign key", Box::new(|s| table(s, "ks_memberships").foreign_keys.clear()), Hazard::Safe),
        ("missing check", Box::new(|s| table(s, "ks_membership_notes").checks.clear()), Hazard::Locking),
    ];
    for (what, edit, hazard) in cases {
        let plan = plan_for(Backend::Postgres, Mode::Additive, &facts, edit);
        let worst = plan.steps.iter().map(|s| s.hazard).max().unwrap_or_else(|| panic!("{what}: no step"));
        assert_eq!(worst, hazard, "{what}:\n{plan}");
        for s in &plan.steps {
            let applied = s.disposition == Disposition::Apply;
            assert_eq!(applied, s.hazard == Hazard::Safe, "{what}: additive applies exactly the safe steps\n{plan}");
        }
    }
}

#[test]
fn an_index_on_a_big_table_is_locking() {
    let drop_index = |s: &mut Schema| table(s, "ks_users").indexes.retain(|i| i.name != "ks_users_recent");
    let users = schemasync::diff::TableRef { schema: None, name: "ks_users".into() };
    let small = Facts { big_table_rows: 1_000_000, row_estimates: [(users.clone(), 10)].into(), ..Default::default() };
    let big = Facts { big_table_rows: 1_000_000, row_estimates: [(users, 5_000_000)].into(), ..Default::default() };
    let plan = plan_for(Backend::Postgres, Mode::Additive, &small, drop_index);
    assert_eq!(only_step(&plan).hazard, Hazard::Safe);
    let plan = plan_for(Backend::Postgres, Mode::Additive, &big, drop_index);
    let step = only_step(&plan);
    assert_eq!(step.hazard, Hazard::Locking);
    assert!(step.hazard_reason.contains("5000000 rows"), "{}", step.hazard_reason);
    assert!(matches!(step.disposition, Disposition::Pending { .. }));
}

#[test]
fn an_index_on_a_table_of_unknown_size_is_locking_unless_it_is_small() {
    let drop_index = |s: &mut Schema| table(s, "ks_users").indexes.retain(|i| i.name != "ks_users_recent");
    let users = schemasync::diff::TableRef { schema: None, name: "ks_users".into() };
    let facts =
        |rows| Facts { big_table_rows: 1_000, row_estimates: [(users.clone(), rows)].into(), ..Default::default() };
    // Never analyzed, and its size could hold up to 5,000 rows: it may be big.
    let step_hazard = |rows| only_step(&plan_for(Backend::Postgres, Mode::Additive, &facts(rows), drop_index)).clone();
    let unknown = step_hazard(-5_000);
    assert_eq!(unknown.hazard, Hazard::Locking);
    assert!(unknown.hazard_reason.contains("unknown size"), "{}", unknown.hazard_reason);
    assert!(matches!(unknown.disposition, Disposition::Pending { .. }));
    // Never analyzed, but too small to hold 1,000 rows; MySQL's missing estimate is big.
    assert_eq!(step_hazard(-20).hazard, Hazard::Safe);
    assert_eq!(step_hazard(i64::MIN).hazard, Hazard::Locking);
}

#[test]
fn modes_decide() {
    let facts = Facts::default();
    let drift = |s: &mut Schema| {
        table(s, "ks_users").columns.retain(|c| c.name != "weight");
        let c = table(s, "ks_teams").columns.iter_mut().find(|c| c.name == "title").unwrap();
        c.ty = ColumnType::Text;
        s.tables.retain(|t| t.name != "ks_membership_notes");
    };
    let applied = |p: &Plan| p.to_apply().map(|s| s.summary.clone()).collect::<Vec<_>>();
    let create = plan_for(Backend::Postgres, Mode::CreateAll, &facts, drift);
    assert_eq!(applied(&create), ["create table (4 columns)"], "{create}");
    let add = plan_for(Backend::Postgres, Mode::AddMissingColumns, &facts, drift);
    assert_eq!(applied(&add), ["add column weight double precision NULL"], "{add}");
    let full = plan_for(Backend::Postgres, Mode::Full, &facts, drift);
    assert_eq!(full.to_apply().count(), full.steps.len(), "{full}");
    let validate = plan_for(Backend::Postgres, Mode::Validate, &facts, drift);
    assert_eq!(validate.to_apply().count(), 0);
}

#[test]
fn order_parents_first_and_keys_after_columns() {
    let facts = Facts::default();
    let plan = plan_for(Backend::MySql, Mode::Full, &facts, |s| {
        s.tables.retain(|t| t.name != "ks_users" && t.name != "ks_memberships");
        table(s, "ks_accounts").uniques.clear();
        table(s, "ks_accounts").columns.retain(|c| c.name != "name");
    });
    let position = |needle: &str| {
        plan.steps.iter().position(|s| s.summary.contains(needle)).unwrap_or_else(|| panic!("{needle}\n{plan}"))
    };
    assert!(position("add column name") < position("add unique"), "{plan}");
    let users = plan.steps.iter().position(|s| s.table.name == "ks_users").unwrap();
    let memberships = plan.steps.iter().position(|s| s.table.name == "ks_memberships").unwrap();
    assert!(users < memberships, "memberships reference users:\n{plan}");
}

#[test]
fn the_hash_is_stable_and_tied_to_the_plan() {
    let facts = Facts::default();
    let a = plan_for(Backend::Postgres, Mode::Full, &facts, |s| table(s, "ks_users").indexes.clear());
    let b = plan_for(Backend::Postgres, Mode::Full, &facts, |s| table(s, "ks_users").indexes.clear());
    assert_eq!(a.hash, b.hash);
    assert_eq!(a.hash.len(), 64);
    let other = plan_for(Backend::Postgres, Mode::Full, &facts, |s| table(s, "ks_teams").indexes.clear());
    let additive = plan_for(Backend::Postgres, Mode::Additive, &facts, |s| table(s, "ks_users").indexes.clear());
    let mysql = plan_for(Backend::MySql, Mode::Full, &facts, |s| table(s, "ks_users").indexes.clear());
    assert_ne!(a.hash, other.hash);
    assert_ne!(a.hash, additive.hash);
    assert_ne!(a.hash, mysql.hash);
}

#[test]
fn a_plan_round_trips_through_json() {
    let plan = plan_for(Backend::Sqlite, Mode::Additive, &Facts::default(), |s| table(s, "ks_users").checks.clear());
    let back: Plan = serde_json::from_str(&plan.to_json()).unwrap();
    assert_eq!(back.hash, plan.hash);
    assert_eq!(back.steps.len(), plan.steps.len());
    assert!(plan.steps[0].rebuild, "SQLite adds a check by rebuilding:\n{plan}");
}
