//! The documented, deterministic naming rules the derive applies. Case conversion is
//! `heck`'s, the crate sqlx's own derives use, so that a `FromRow` struct and its
//! table agree on every column name by construction.

use heck::{ToKebabCase, ToLowerCamelCase, ToShoutySnakeCase, ToSnakeCase, ToUpperCamelCase};

/// `UserAccount` -> `user_account`, `HTTPRequest` -> `http_request`: the default table
/// name. No pluralisation is applied.
pub fn snake_case(name: &str) -> String {
    name.trim_start_matches("r#").to_snake_case()
}

/// Applies a `#[sqlx(rename_all = "...")]` rule to a field name exactly as sqlx's
/// `FromRow` derive does; `None` for a rule sqlx does not know.
pub fn rename_all(rule: &str, field: &str) -> Option<String> {
    let s = field.trim_start_matches("r#");
    Some(match rule {
        "lowercase" => s.to_lowercase(),
        "snake_case" => s.to_snake_case(),
        "UPPERCASE" => s.to_uppercase(),
        "SCREAMING_SNAKE_CASE" => s.to_shouty_snake_case(),
        "kebab-case" => s.to_kebab_case(),
        "camelCase" => s.to_lower_camel_case(),
        "PascalCase" => s.to_upper_camel_case(),
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn snake_case_rules() {
        assert_eq!(snake_case("User"), "user");
        assert_eq!(snake_case("UserAccount"), "user_account");
        assert_eq!(snake_case("HTTPRequest"), "http_request");
        assert_eq!(snake_case("Order2Item"), "order2_item");
        assert_eq!(snake_case("already_snake"), "already_snake");
    }

    #[test]
    fn rename_all_rules() {
        assert_eq!(rename_all("camelCase", "created_at").unwrap(), "createdAt");
        assert_eq!(rename_all("PascalCase", "created_at").unwrap(), "CreatedAt");
        assert_eq!(rename_all("SCREAMING_SNAKE_CASE", "created_at").unwrap(), "CREATED_AT");
        assert_eq!(rename_all("camelCase", "r#type").unwrap(), "type");
        assert!(rename_all("Train-Case", "x").is_none());
    }
}
