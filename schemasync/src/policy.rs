//! The mode `sync_on_boot` picks from the environment. Unset or unknown is additive,
//! never rebuild: forgetting to set ENVIRONMENT must not wipe production.

use crate::error::{Error, Result};
use crate::options::Mode;
use crate::options::SyncOptions;

impl SyncOptions {
    /// The options `sync_on_boot` uses: the mode from `SCHEMASYNC_MODE`, else from
    /// `ENVIRONMENT` or `APP_ENV`; unset or unknown gives additive, never rebuild.
    pub fn from_env() -> Result<SyncOptions> {
        options_from_env(&|k| std::env::var(k).ok())
    }
}

const MODES: &str = "additive, rebuild, validate, full, create_all, add_missing_columns, migrate";

/// Reads the options from environment variables through `get`.
pub(crate) fn options_from_env(get: &dyn Fn(&str) -> Option<String>) -> Result<SyncOptions> {
    let set = |k: &str| get(k).map(|v| v.trim().to_string()).filter(|v| !v.is_empty());
    let (mode, reason) = if let Some(value) = set("SCHEMASYNC_MODE") {
        let mode: Mode = value.parse().map_err(|_| Error::InvalidSetting {
            variable: "SCHEMASYNC_MODE".into(),
            value: value.clone(),
            hint: format!("use one of {MODES}, or unset it to choose from ENVIRONMENT / APP_ENV"),
        })?;
        (mode, format!("SCHEMASYNC_MODE={value}"))
    } else if let Some((var, value)) =
        set("ENVIRONMENT").map(|v| ("ENVIRONMENT", v)).or_else(|| set("APP_ENV").map(|v| ("APP_ENV", v)))
    {
        match value.to_ascii_lowercase().as_str() {
            "production" | "prod" | "staging" => (Mode::Additive, format!("{var}={value}")),
            "development" | "dev" | "test" | "local" => (Mode::Rebuild, format!("{var}={value}")),
            _ => (Mode::Additive, format!("{var}={value} is not a known environment, so the safe default")),
        }
    } else {
        (Mode::Additive, "no SCHEMASYNC_MODE, ENVIRONMENT or APP_ENV is set, so the safe default".into())
    };
    let mut options = SyncOptions::new(mode);
    options.reason = reason;
    if let Some(hash) = set("SCHEMASYNC_PLAN_HASH") {
        options.allow = crate::options::Allow::Plan(hash);
    }
    if let Some(v) = set("SCHEMASYNC_DRY_RUN") {
        options.dry_run = flag("SCHEMASYNC_DRY_RUN", v)?;
    }
    if let Some(v) = set("SCHEMASYNC_LOCK_TIMEOUT_SECS") {
        let secs = v.parse::<u64>().map_err(|_| Error::InvalidSetting {
            variable: "SCHEMASYNC_LOCK_TIMEOUT_SECS".into(),
            value: v.clone(),
            hint: "a whole number of seconds".into(),
        })?;
        options.lock_timeout = std::time::Duration::from_secs(secs);
    }
    if let Some(v) = set("SCHEMASYNC_ALLOW_ABSENT") {
        options.allow_absent = flag("SCHEMASYNC_ALLOW_ABSENT", v)?;
    }
    if let Some(v) = set("APP_VERSION") {
        options.app_version = Some(v);
    }
    Ok(options)
}

/// A yes/no setting; anything else is an error, never a guess.
fn flag(variable: &str, value: String) -> Result<bool> {
    match value.to_ascii_lowercase().as_str() {
        "1" | "true" | "yes" | "on" => Ok(true),
        "0" | "false" | "no" | "off" => Ok(false),
        _ => Err(Error::InvalidSetting {
            variable: variable.into(),
            value,
            hint: "use 1/true/yes/on or 0/false/no/off".into(),
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn mode(vars: &[(&str, &str)]) -> Result<(Mode, String)> {
        let get = |k: &str| vars.iter().find(|(n, _)| *n == k).map(|(_, v)| v.to_string());
        options_from_env(&get).map(|o| (o.mode, o.reason))
    }

    #[test]
    fn environment_names() {
        for prod in ["production", "prod", "staging", "PRODUCTION"] {
            assert_eq!(mode(&[("ENVIRONMENT", prod)]).unwrap().0, Mode::Additive, "{prod}");
        }
        for dev in ["development", "dev", "test", "local"] {
            assert_eq!(mode(&[("ENVIRONMENT", dev)]).unwrap().0, Mode::Rebuild, "{dev}");
        }
        assert_eq!(mode(&[("APP_ENV", "dev")]).unwrap().0, Mode::Rebuild);
        assert_eq!(mode(&[("ENVIRONMENT", "prod"), ("APP_ENV", "dev")]).unwrap().0, Mode::Additive);
    }

    #[test]
    fn unset_or_unknown_is_additive_never_rebuild() {
        let (m, why) = mode(&[]).unwrap();
        assert_eq!(m, Mode::Additive);
        assert!(why.contains("safe default"), "{why}");
        assert_eq!(mode(&[("ENVIRONMENT", "prdo")]).unwrap().0, Mode::Additive);
        assert_eq!(mode(&[("ENVIRONMENT", "")]).unwrap().0, Mode::Additive);
    }

    #[test]
    fn schemasync_mode_wins_and_typos_are_errors() {
        assert_eq!(mode(&[("SCHEMASYNC_MODE", "validate"), ("ENVIRONMENT", "dev")]).unwrap().0, Mode::Validate);
        assert_eq!(mode(&[("SCHEMASYNC_MODE", "add-missing-columns")]).unwrap().0, Mode::AddMissingColumns);
        let dry = |v: &str| {
            let get = |k: &str| (k == "SCHEMASYNC_DRY_RUN").then(|| v.to_string());
            options_from_env(&get).map(|o| o.dry_run)
        };
        assert!(dry("on").unwrap());
        assert!(!dry("off").unwrap());
        assert!(dry("maybe").is_err(), "an unknown value must not silently mean 'write'");
        let err = mode(&[("SCHEMASYNC_MODE", "rebiuld")]).unwrap_err().to_string();

        assert!(err.contains("SCHEMASYNC_MODE") && err.contains("additive, rebuild"), "{err}");
    }
}
