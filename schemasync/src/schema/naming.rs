//! Deterministic constraint and index names, following PostgreSQL's own conventions so
//! that schemas made by other tools compare equal: `<table>_pkey`, `<table>_<cols>_key`,
//! `<table>_<cols>_idx`, `<table>_<cols>_fkey`, `<table>_<col>_check`.

/// The longest identifier we generate (PostgreSQL's limit; MySQL allows 64).
pub const MAX_IDENT_LEN: usize = 63;

pub fn primary_key(table: &str) -> String {
    fit(format!("{table}_pkey"))
}

pub fn unique(table: &str, columns: &[impl AsRef<str>]) -> String {
    fit(format!("{table}_{}_key", join(columns)))
}

pub fn index(table: &str, columns: &[impl AsRef<str>]) -> String {
    fit(format!("{table}_{}_idx", join(columns)))
}

pub fn foreign_key(table: &str, columns: &[impl AsRef<str>]) -> String {
    fit(format!("{table}_{}_fkey", join(columns)))
}

/// `<table>_<col>_check` for a column check; `<table>_check`, `<table>_check1`, ... otherwise.
pub fn check(table: &str, column: Option<&str>, nth: usize) -> String {
    match (column, nth) {
        (Some(c), _) => fit(format!("{table}_{c}_check")),
        (None, 0) => fit(format!("{table}_check")),
        (None, n) => fit(format!("{table}_check{n}")),
    }
}

/// `<table>_<col>_enum`: the check that keeps an enum's labels where it is stored as text.
pub fn enum_check(table: &str, column: &str) -> String {
    fit(format!("{table}_{column}_enum"))
}

/// The words of an expression, joined by `_`, for a name: `lower(email)` -> `lower_email`.
pub fn words(expr: &str) -> String {
    expr.split(|c: char| !(c.is_alphanumeric() || c == '_'))
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect::<Vec<_>>()
        .join("_")
}

fn join(columns: &[impl AsRef<str>]) -> String {
    columns.iter().map(|c| c.as_ref()).collect::<Vec<_>>().join("_")
}

/// Leaves a name of at most [`MAX_IDENT_LEN`] bytes alone; shortens a longer one to a
/// prefix plus `_` and an 8-hex-digit hash of the full name, 63 bytes in all.
pub fn fit(name: String) -> String {
    if name.len() <= MAX_IDENT_LEN {
        return name;
    }
    let hash = format!("{:08x}", fnv1a32(name.as_bytes()));
    let mut cut = MAX_IDENT_LEN - hash.len() - 1;
    while !name.is_char_boundary(cut) {
        cut -= 1;
    }
    format!("{}_{hash}", &name[..cut])
}

/// FNV-1a, 32 bits: small, stable across versions and platforms.
fn fnv1a32(bytes: &[u8]) -> u32 {
    let mut h: u32 = 0x811c_9dc5;
    for b in bytes {
        h ^= u32::from(*b);
        h = h.wrapping_mul(0x0100_0193);
    }
    h
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn postgres_style_names() {
        assert_eq!(primary_key("users"), "users_pkey");
        assert_eq!(unique("users", &["email"]), "users_email_key");
        assert_eq!(index("orders", &["user_id", "created_at"]), "orders_user_id_created_at_idx");
        assert_eq!(foreign_key("orders", &["user_id"]), "orders_user_id_fkey");
        assert_eq!(check("orders", Some("total"), 0), "orders_total_check");
        assert_eq!(check("orders", None, 0), "orders_check");
        assert_eq!(check("orders", None, 2), "orders_check2");
    }

    #[test]
    fn long_names_are_shortened_deterministically() {
        let long = "a_table_with_a_rather_long_name_for_testing";
        let name = index(long, &["first_long_column", "second_long_column"]);
        assert_eq!(name.len(), MAX_IDENT_LEN);
        assert_eq!(name, index(long, &["first_long_column", "second_long_column"]));
        assert_ne!(name, index(long, &["first_long_column", "second_long_columns"]));
        assert!(name.starts_with("a_table_with_a_rather_long_name_for_testing_first_"));
    }

    #[test]
    fn shortening_respects_char_boundaries() {
        let name = fit("é".repeat(40));
        assert!(name.len() <= MAX_IDENT_LEN);
    }
}
