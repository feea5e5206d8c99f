//! A first deploy of a large schema: 2,000 tables created on a PostgreSQL with its
//! default settings, whose lock table cannot hold them in one transaction. The plan is
//! applied in batches; then a boot has nothing to do.

use schemasync::{Backend, Mode, Models, SyncOptions};
use schemasync_tests::{dynamic, TestDb};
use std::sync::atomic::{AtomicUsize, Ordering};
use tracing_subscriber::layer::SubscriberExt;

static BATCHES: AtomicUsize = AtomicUsize::new(0);

/// Counts the "batch committed" events.
struct CountBatches;

impl<S: tracing::Subscriber> tracing_subscriber::Layer<S> for CountBatches {
    fn on_event(&self, event: &tracing::Event<'_>, _: tracing_subscriber::layer::Context<'_, S>) {
        struct Message(bool);
        impl tracing::field::Visit for Message {
            fn record_debug(&mut self, field: &tracing::field::Field, value: &dyn std::fmt::Debug) {
                if field.name() == "message" {
                    self.0 |= format!("{value:?}").contains("batch committed");
                }
            }
        }
        let mut m = Message(false);
        event.record(&mut m);
        if m.0 {
            BATCHES.fetch_add(1, Ordering::SeqCst);
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_thousand_tables_on_a_default_postgres() {
    tracing::subscriber::set_global_default(tracing_subscriber::registry().with(CountBatches)).unwrap();
    let Some(t) = TestDb::fresh(Backend::Postgres).await else { return };
    let models = Models::new().with_defs(dynamic::wide_schema("sc_", 2000, false));
    let created = models.create_all(&t.db).await.unwrap();
    assert_eq!(created.created().len(), 2000);
    assert!(BATCHES.load(Ordering::SeqCst) >= 1, "the plan did not fit one transaction, so it went in batches");
    assert_eq!(t.count("SELECT count(*) FROM pg_tables WHERE tablename LIKE 'sc\\_%'").await, 2000);

    let again = models.sync(&t.db, &SyncOptions::new(Mode::Additive)).await.unwrap();
    assert!(again.plan.steps.is_empty(), "{again}");

    // A plan that changes existing tables is not split: it fits here (one lock per table).
    let wider = Models::new().with_defs(dynamic::wide_schema("sc_", 2000, true));
    let before = BATCHES.load(Ordering::SeqCst);
    let added = wider.sync(&t.db, &SyncOptions::new(Mode::Additive)).await.unwrap();
    assert_eq!(added.plan.to_apply().count(), 200);
    assert_eq!(BATCHES.load(Ordering::SeqCst), before, "an additive change is one transaction");

    // An index on every existing table is more than one transaction may hold, and it is
    // not split: refused before anything is sent, naming the setting.
    let indexed = Models::new().with_defs(dynamic::wide_schema_with("sc_", 2000, true, true));
    let err = indexed.sync(&t.db, &SyncOptions::new(Mode::Additive)).await.unwrap_err();
    assert!(matches!(err, schemasync::Error::TooManyLocks { .. }), "{err}");
    assert!(err.to_string().contains("max_locks_per_transaction"), "{err}");
    assert_eq!(t.count("SELECT count(*) FROM pg_indexes WHERE indexname LIKE 'sc\\_%\\_note\\_idx'").await, 0);
}
