//! One app boot in a process of its own: connects, syncs a model set in a mode, and
//! prints one line of JSON with the outcome.
//!
//! ```text
//! boot_probe URL MODEL_SET MODE [--kill-at N]
//! ```
//!
//! `MODEL_SET` is a name from `model_sets.rs` (`kitchen_sink`, `kitchen_sink_v2`);
//! `MODE` is `additive`, `full` (any plan allowed), `create_all`, `rebuild` or
//! `validate`. The line is `{"outcome":"Applied","statements":N}`,
//! `{"outcome":"NothingToDo"}` or `{"outcome":"AppliedElsewhere"}` with exit code 0, or
//! `{"error":"..."}` with exit code 1 (2 for bad arguments). The readable report goes
//! to standard error.
//!
//! With `--kill-at N` the process sends itself SIGKILL when schemasync logs the N-th
//! `schemasync: applying` event, which it does just before sending each statement of
//! an apply: the process dies mid-apply as under `kill -9`, with N-1 statements sent.

#[path = "../model_sets.rs"]
mod model_sets;

use schemasync::{Db, Mode, Outcome, SyncOptions};
use std::io::Write;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;
use tracing::field::{Field, Visit};
use tracing_subscriber::layer::SubscriberExt;

/// Kills the process on the `at`-th "schemasync: applying" event.
struct KillAt {
    at: usize,
    seen: AtomicUsize,
}

/// An event's message.
#[derive(Default)]
struct Message(String);

impl Visit for Message {
    fn record_str(&mut self, field: &Field, value: &str) {
        if field.name() == "message" {
            self.0 = value.to_string();
        }
    }

    fn record_debug(&mut self, field: &Field, value: &dyn std::fmt::Debug) {
        if field.name() == "message" {
            self.0 = format!("{value:?}");
        }
    }
}

impl<S: tracing::Subscriber> tracing_subscriber::Layer<S> for KillAt {
    fn on_event(&self, event: &tracing::Event<'_>, _: tracing_subscriber::layer::Context<'_, S>) {
        let mut message = Message::default();
        event.record(&mut message);
        if message.0 != "schemasync: applying" || self.seen.fetch_add(1, Ordering::SeqCst) + 1 != self.at {
            return;
        }
        let _ = std::io::stdout().flush();
        let _ = std::process::Command::new("kill").args(["-9", &std::process::id().to_string()]).status();
        // SIGKILL is delivered at once; should `kill` be missing, die without unwinding.
        std::thread::sleep(Duration::from_secs(10));
        std::process::abort();
    }
}

/// A pool as a small app has one: four connections, so that many probes at once stay
/// within the server's connection limit.
async fn connect(url: &str) -> Result<Db, String> {
    use std::str::FromStr;
    let timeout = Duration::from_secs(30);
    let backend = schemasync::Backend::from_url(url).map_err(|e| e.to_string())?;
    let err = |e: sqlx::Error| format!("cannot connect: {e}");
    Ok(match backend {
        schemasync::Backend::Postgres => Db::from(
            &sqlx::postgres::PgPoolOptions::new()
                .max_connections(4)
                .acquire_timeout(timeout)
                .connect(url)
                .await
                .map_err(err)?,
        ),
        schemasync::Backend::MySql => Db::from(
            &sqlx::mysql::MySqlPoolOptions::new()
                .max_connections(4)
                .acquire_timeout(timeout)
                .connect(url)
                .await
                .map_err(err)?,
        ),
        schemasync::Backend::Sqlite => {
            let options = sqlx::sqlite::SqliteConnectOptions::from_str(url).map_err(err)?.create_if_missing(true);
            Db::from(
                &sqlx::sqlite::SqlitePoolOptions::new()
                    .max_connections(4)
                    .acquire_timeout(timeout)
                    .connect_with(options)
                    .await
                    .map_err(err)?,
            )
        }
    })
}

fn usage() -> ! {
    eprintln!("usage: boot_probe URL MODEL_SET MODE [--kill-at N]");
    std::process::exit(2);
}

fn fail(message: String) -> ! {
    println!("{}", serde_json::json!({ "error": message }));
    std::process::exit(1);
}

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (url, set, mode) = match &args[..] {
        [url, set, mode, ..] => (url, set, mode),
        _ => usage(),
    };
    let kill_at = match args.get(3).map(String::as_str) {
        None => None,
        Some("--kill-at") => Some(args.get(4).and_then(|n| n.parse::<usize>().ok()).unwrap_or_else(|| usage())),
        Some(_) => usage(),
    };
    let models = model_sets::by_name(set).unwrap_or_else(|| usage());
    let options = match mode.as_str() {
        "additive" => SyncOptions::new(Mode::Additive),
        "full" => SyncOptions::new(Mode::Full).allow_everything(),
        "create_all" => SyncOptions::new(Mode::CreateAll),
        "rebuild" => SyncOptions::new(Mode::Rebuild),
        "validate" => SyncOptions::new(Mode::Validate),
        _ => usage(),
    };
    if let Some(at) = kill_at {
        let layer = KillAt { at, seen: AtomicUsize::new(0) };
        tracing::subscriber::set_global_default(tracing_subscriber::registry().with(layer))
            .unwrap_or_else(|e| fail(format!("cannot install the tracing layer: {e}")));
    }

    let db = connect(url).await.unwrap_or_else(|e| fail(e));
    let report = models.sync(&db, &options).await.unwrap_or_else(|e| fail(e.to_string()));
    eprintln!("{report}");
    let line = match report.outcome {
        Outcome::Applied { statements, .. } => serde_json::json!({ "outcome": "Applied", "statements": statements }),
        Outcome::NothingToDo => serde_json::json!({ "outcome": "NothingToDo" }),
        Outcome::AppliedElsewhere => serde_json::json!({ "outcome": "AppliedElsewhere" }),
        Outcome::DryRun => serde_json::json!({ "outcome": "DryRun" }),
        other => serde_json::json!({ "outcome": format!("{other:?}") }),
    };
    println!("{line}");
    db.close().await;
}
