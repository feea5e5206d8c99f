//! The central invariant, on each backend: create from the models, read the catalog,
//! diff -> nothing.

use schemasync_tests::{kitchen_sink, per_backend, TestDb};

async fn create_then_diff_is_empty(t: &TestDb) {
    let models = kitchen_sink::models();
    models.create_all(&t.db).await.unwrap();
    let compared = models.diff(&t.db).await.unwrap();
    assert!(
        compared.diff.is_empty(),
        "{}: phantom diff after create_all:\n{:#?}",
        t.backend,
        compared.diff.changes
    );
    assert!(
        compared.diff.unmanaged.is_empty(),
        "{:?}",
        compared.diff.unmanaged
    );
    assert_eq!(compared.actual.tables.len(), 6);
}

per_backend!(create_then_diff_is_empty);
