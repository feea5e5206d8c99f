//! The kitchen sink: every supported type and attribute, spread over several modules,
//! with a composite primary key, a composite foreign key, a cycle, a partial index, a
//! custom per-dialect type and a table in its own PostgreSQL schema.

use schemasync::model::TableDef;
use schemasync::{Models, Table};

pub mod accounts {
    use schemasync::Table;

    /// A tenant.
    #[derive(Debug, Table, sqlx::FromRow)]
    #[table(name = "ks_accounts", comment = "Tenants of the app", renamed_from = "ks_tenants")]
    pub struct Account {
        #[column(primary_key, auto_increment)]
        pub id: i64,
        #[column(len = 100, unique, comment = "Shown in the UI")]
        pub name: String,
        #[column(default = true)]
        pub active: bool,
        #[column(default_sql = "CURRENT_TIMESTAMP")]
        pub created_at: chrono::DateTime<chrono::Utc>,
    }
}

pub mod users {
    use schemasync::Table;

    /// A user: every scalar type, defaults of each kind, sqlx renames and skips.
    #[derive(Debug, Table, sqlx::FromRow)]
    #[table(
        name = "ks_users",
        unique(account_id, email),
        index(account_id, created_on, name = "ks_users_recent"),
        index(last_login, where = "last_login IS NOT NULL"),
        check(expr = "age >= 0", name = "ks_users_age_nonneg")
    )]
    pub struct User {
        #[column(primary_key, auto_increment)]
        pub id: i32,
        #[column(references = "ks_accounts(id)", on_delete = "cascade")]
        pub account_id: i64,
        #[column(references = "ks_teams(id)", on_delete = "set null", index)]
        pub team_id: Option<i64>,
        #[column(len = 255, check = "email LIKE '%@%'")]
        pub email: String,
        #[sqlx(rename = "display_name")]
        pub display: Option<String>,
        #[column(default = 0, check = "score >= 0")]
        pub score: i16,
        pub age: i16,
        #[column(default = 1.5)]
        pub ratio: f32,
        pub weight: Option<f64>,
        #[column(default = "it's \"quoted\" \\ ok")]
        pub motto: String,
        pub avatar: Option<Vec<u8>>,
        pub created_on: chrono::NaiveDate,
        pub wake_up: Option<chrono::NaiveTime>,
        pub last_login: Option<chrono::NaiveDateTime>,
        #[column(renamed_from = "uid")]
        pub external_id: uuid::Uuid,
        #[column(precision = 12, scale = 2, default = 0)]
        pub balance: rust_decimal::Decimal,
        pub prefs: Option<serde_json::Value>,
        pub tags: Option<sqlx::types::Json<Vec<String>>>,
        #[column(sql_type(postgres = "inet", mysql = "varchar(45)", sqlite = "TEXT"))]
        pub ip: Option<String>,
        #[column(skip)]
        #[sqlx(skip)]
        pub cache: Option<String>,
    }
}

pub mod teams {
    use schemasync::{SqlEnum, Table};

    /// A database enum, its labels as sqlx encodes them.
    #[derive(Debug, Clone, Copy, PartialEq, sqlx::Type, SqlEnum)]
    #[sqlx(type_name = "ks_team_state", rename_all = "lowercase")]
    pub enum TeamState {
        Open,
        Closed,
    }

    /// Teams and users reference each other: a cycle.
    #[derive(Debug, Table, sqlx::FromRow)]
    #[table(name = "ks_teams")]
    pub struct Team {
        #[column(primary_key, auto_increment)]
        pub id: i64,
        #[column(len = 80)]
        pub title: String,
        #[column(references = "ks_users(id)", on_delete = "set null", on_update = "cascade")]
        pub lead_user_id: Option<i32>,
    }

    /// A composite primary key, and a foreign key per part.
    #[derive(Debug, Table, sqlx::FromRow)]
    #[table(name = "ks_memberships", primary_key(account_id, user_id))]
    pub struct Membership {
        #[column(references = "ks_accounts(id)")]
        pub account_id: i64,
        #[column(references = "ks_users(id)", on_delete = "cascade")]
        pub user_id: i32,
        #[column(len = 20, default = "member")]
        pub role: String,
        /// An enum column.
        #[column(default = "open")]
        pub state: TeamState,
        /// A generated column.
        #[column(generated = "length(role)", stored)]
        pub role_len: Option<i32>,
    }

    /// A composite foreign key.
    #[derive(Debug, Table, sqlx::FromRow)]
    #[table(
        name = "ks_membership_notes",
        foreign_key(
            columns(account_id, user_id),
            references = "ks_memberships(account_id, user_id)",
            on_delete = "cascade"
        ),
        check = "length(body) > 0"
    )]
    pub struct MembershipNote {
        /// PostgreSQL's `GENERATED ALWAYS AS IDENTITY`: no explicit ids on insert.
        #[column(primary_key, auto_increment = "always")]
        pub id: i64,
        pub account_id: i64,
        pub user_id: i32,
        pub body: String,
    }
}

pub mod events {
    use schemasync::Table;

    /// `time` crate types, a UUID key, and a table in its own PostgreSQL schema.
    #[derive(Debug, Table, sqlx::FromRow)]
    #[table(name = "ks_events", schema = "ks_audit", index(day, at, unique, name = "ks_events_day_at_key"))]
    #[sqlx(rename_all = "camelCase")]
    pub struct Event {
        #[column(primary_key)]
        pub id: uuid::Uuid,
        pub starts_at: time::OffsetDateTime,
        pub local_at: Option<time::PrimitiveDateTime>,
        pub day: time::Date,
        pub at: time::Time,
        #[column(len = 40, default_sql = "'created'", check = "kind IN ('created', 'updated', 'deleted')")]
        pub kind: String,

        #[column(precision = 6)]
        pub amount: Option<rust_decimal::Decimal>,
        pub raw: Option<serde_json::Value>,
    }
}

/// Every kitchen-sink table definition.
pub fn defs() -> Vec<&'static TableDef> {
    vec![
        accounts::Account::table_def(),
        users::User::table_def(),
        teams::Team::table_def(),
        teams::Membership::table_def(),
        teams::MembershipNote::table_def(),
        events::Event::table_def(),
    ]
}

/// The kitchen-sink model set.
pub fn models() -> Models {
    Models::new().with_defs(defs())
}
