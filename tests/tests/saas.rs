//! A small SaaS app's models, written as its developers write them for sqlx, with no
//! `sql_type` anywhere: a uuid newtype key with a database default, two enums (one with
//! `rename_all`), `text[]` tags, an `inet` column, JSON settings, a generated column,
//! an expression index, a GIN index and an identity ALWAYS key. On PostgreSQL they
//! sync, round-trip rows through `sqlx::query_as` and validate in sync; elsewhere, what
//! the backend cannot hold is an error naming it.

#![allow(dead_code)] // the models here are only read through their table definitions

use schemasync::{Backend, Db, Error, Mode, Models, Outcome, SyncOptions};
use schemasync_tests::{per_backend, TestDb};

mod app {
    use schemasync::{SqlEnum, SqlType, Table};
    use sqlx::types::{Json, Uuid};
    use std::net::IpAddr;

    #[derive(Debug, Clone, Copy, PartialEq, sqlx::Type, SqlType)]
    #[sqlx(transparent)]
    pub struct UserId(pub Uuid);

    #[derive(Debug, Clone, Copy, PartialEq, sqlx::Type, SqlEnum)]
    #[sqlx(type_name = "user_status", rename_all = "snake_case")]
    pub enum UserStatus {
        Active,
        Suspended,
        PendingReview,
    }

    #[derive(Debug, Clone, Copy, PartialEq, sqlx::Type, SqlEnum)]
    #[sqlx(type_name = "plan")]
    pub enum Plan {
        Free,
        Pro,
    }

    #[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
    pub struct Settings {
        pub theme: String,
        pub beta: bool,
    }

    #[derive(Debug, Table, sqlx::FromRow)]
    #[table(name = "sa_users", index(expr = "lower(email)", unique), index(tags, using = "gin"))]
    pub struct User {
        #[column(primary_key, default_sql = "gen_random_uuid()")]
        pub id: UserId,
        #[column(len = 200)]
        pub email: String,
        #[column(default = "active")]
        pub status: UserStatus,
        pub plan: Plan,
        pub tags: Vec<String>,
        pub last_ip: Option<IpAddr>,
        pub settings: Json<Settings>,
        pub first_name: String,
        pub last_name: String,
        #[column(generated = "first_name || ' ' || last_name", stored)]
        pub full_name: Option<String>,
    }

    #[derive(Debug, Table, sqlx::FromRow)]
    #[table(name = "sa_events")]
    pub struct Event {
        #[column(primary_key, auto_increment = "always")]
        pub id: i64,
        #[column(references = "sa_users(id)", on_delete = "cascade")]
        pub user_id: UserId,
        pub name: String,
    }
}

fn models() -> Models {
    Models::new().with::<app::User>().with::<app::Event>()
}

async fn a_saas_model_set_needs_no_sql_type(t: &TestDb) {
    if t.backend != Backend::Postgres {
        // Arrays, inet and a gen_random_uuid() default are PostgreSQL's: the sync says
        // which field cannot be held, and sends nothing.
        let err = models().sync(&t.db, &SyncOptions::new(Mode::Additive)).await.unwrap_err();
        let text = err.to_string();
        assert!(matches!(err, Error::Unsupported { .. } | Error::InvalidModel { .. }), "{err:?}");
        assert!(text.contains("sa_users") && text.contains(t.backend.to_string().split('/').next().unwrap()), "{text}");
        assert!(t.table_names().await.iter().all(|n| !n.starts_with("sa_")));
        return;
    }
    let report = models().sync(&t.db, &SyncOptions::new(Mode::Additive)).await.unwrap();
    assert!(matches!(report.outcome, Outcome::Applied { .. }), "{report}");
    models().validate(&t.db).await.expect("in sync");

    let Db::Postgres(pool) = &t.db else { unreachable!() };
    let settings = app::Settings { theme: "dark".into(), beta: true };
    let id: app::UserId = sqlx::query_scalar(
        "INSERT INTO sa_users (email, plan, tags, last_ip, settings, first_name, last_name) \
         VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
    )
    .bind("Ada@Example.com")
    .bind(app::Plan::Pro)
    .bind(vec!["admin".to_string(), "beta".to_string()])
    .bind("192.0.2.7".parse::<std::net::IpAddr>().unwrap())
    .bind(sqlx::types::Json(settings.clone()))
    .bind("Ada")
    .bind("Lovelace")
    .fetch_one(pool)
    .await
    .unwrap();
    sqlx::query("INSERT INTO sa_events (user_id, name) VALUES ($1, 'signed_up')").bind(id).execute(pool).await.unwrap();
    let user: app::User = sqlx::query_as("SELECT * FROM sa_users").fetch_one(pool).await.unwrap();
    assert_eq!(user.id, id);
    assert_eq!(user.status, app::UserStatus::Active, "the default");
    assert_eq!(user.plan, app::Plan::Pro);
    assert_eq!(user.tags, ["admin", "beta"]);
    assert_eq!(user.settings.0, settings);
    assert_eq!(user.full_name.as_deref(), Some("Ada Lovelace"), "generated");
    let event: app::Event = sqlx::query_as("SELECT * FROM sa_events").fetch_one(pool).await.unwrap();
    assert_eq!((event.user_id, event.name.as_str()), (id, "signed_up"));

    // The expression index is unique; the identity is ALWAYS.
    let dup = sqlx::query(
        "INSERT INTO sa_users (email, plan, tags, settings, first_name, last_name) \
         VALUES ('ada@example.com', 'free', '{}', '{}', 'A', 'L')",
    )
    .execute(pool)
    .await;
    assert!(dup.is_err(), "lower(email) is unique");
    let explicit =
        sqlx::query("INSERT INTO sa_events (id, user_id, name) VALUES (99, $1, 'x')").bind(id).execute(pool).await;
    assert!(explicit.is_err(), "GENERATED ALWAYS refuses an explicit id");
    let again = models().sync(&t.db, &SyncOptions::new(Mode::Additive)).await.unwrap();
    assert!(matches!(again.outcome, Outcome::NothingToDo), "{again}");
}

per_backend!(a_saas_model_set_needs_no_sql_type);
