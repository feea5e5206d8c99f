//! [`Backend`]: which database a schema is for. The one value every layer may name.

use serde::{Deserialize, Serialize};
use std::fmt;

/// A supported database backend.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Backend {
    Postgres,
    #[serde(rename = "mysql")]
    MySql,
    Sqlite,
}

impl Backend {
    /// The lower-case key used in attributes and features: `postgres`, `mysql`, `sqlite`.
    pub fn key(self) -> &'static str {
        match self {
            Backend::Postgres => "postgres",
            Backend::MySql => "mysql",
            Backend::Sqlite => "sqlite",
        }
    }
}

impl fmt::Display for Backend {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Backend::Postgres => "PostgreSQL",
            Backend::MySql => "MySQL/MariaDB",
            Backend::Sqlite => "SQLite",
        })
    }
}

impl std::str::FromStr for Backend {
    type Err = String;

    /// `postgres` (or `postgresql`, `pg`), `mysql` (or `mariadb`), `sqlite`.
    fn from_str(s: &str) -> Result<Backend, String> {
        match s.trim().to_ascii_lowercase().as_str() {
            "postgres" | "postgresql" | "pg" => Ok(Backend::Postgres),
            "mysql" | "mariadb" => Ok(Backend::MySql),
            "sqlite" => Ok(Backend::Sqlite),
            _ => Err(format!("unknown backend {s:?}: use postgres, mysql or sqlite")),
        }
    }
}
