//! A binary with no `#[derive(Table)]` linked in: every verb that compares says so, and
//! says how to fix it, instead of "matches all 0 table(s)". This is what a test file of
//! a crate whose models live elsewhere sees.

//! (This file does not use the test harness: linking it would link its models.)

use schemasync::Error;

#[tokio::test]
async fn zero_models_is_an_error_not_in_sync() {
    let db = schemasync::Db::connect("sqlite::memory:").await.expect("SQLite in memory");
    let t = &db;
    assert!(schemasync::Models::registered().defs().is_empty());
    for err in [
        schemasync::validate(t).await.unwrap_err(),
        schemasync::drift(t).await.unwrap_err(),
        schemasync::sync_on_boot(t).await.unwrap_err(),
        schemasync::Models::new().create_all(t).await.unwrap_err(),
    ] {
        assert!(matches!(err, Error::NoModels), "{err:?}");
        let msg = err.to_string();
        assert!(msg.contains("no #[derive(Table)] model is linked") && msg.contains("use my_models as _;"), "{msg}");
    }
    let db = db.clone();
    let panic =
        tokio::spawn(async move { schemasync::assert_schema_matches(&db).await }).await.unwrap_err().into_panic();
    let message = panic.downcast_ref::<String>().cloned().unwrap_or_default();
    assert!(message.contains("no #[derive(Table)] model is linked"), "{message}");
}
