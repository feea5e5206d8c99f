//! The documented, deterministic naming rules the derive applies.

/// `UserAccount` -> `user_account`, `HTTPRequest` -> `http_request`, `Order2Item` -> `order2_item`.
///
/// An underscore goes before an upper-case letter that follows a lower-case letter or
/// digit, and before the last upper-case letter of a run that is followed by a
/// lower-case letter. Everything is then lower-cased. No pluralisation is applied.
pub fn snake_case(name: &str) -> String {
    let chars: Vec<char> = name.trim_start_matches("r#").chars().collect();
    let mut out = String::with_capacity(name.len() + 4);
    for (i, &c) in chars.iter().enumerate() {
        if c.is_uppercase() && i > 0 {
            let prev = chars[i - 1];
            let next_lower = chars.get(i + 1).is_some_and(|n| n.is_lowercase());
            if prev != '_' && (prev.is_lowercase() || prev.is_ascii_digit() || (prev.is_uppercase() && next_lower)) {
                out.push('_');
            }
        }
        out.extend(c.to_lowercase());
    }
    out
}

/// Applies a `#[sqlx(rename_all = "...")]` rule to a field name, as sqlx does.
pub fn rename_all(rule: &str, field: &str) -> Option<String> {
    let snake = snake_case(field);
    let words: Vec<&str> = snake.split('_').filter(|w| !w.is_empty()).collect();
    let capitalise = |w: &str| {
        let mut c = w.chars();
        match c.next() {
            Some(first) => first.to_uppercase().chain(c).collect::<String>(),
            None => String::new(),
        }
    };
    Some(match rule {
        "snake_case" => snake,
        "lowercase" => field.to_lowercase(),
        "UPPERCASE" => field.to_uppercase(),
        "SCREAMING_SNAKE_CASE" => snake.to_uppercase(),
        "kebab-case" => snake.replace('_', "-"),
        "camelCase" => {
            let mut out = String::new();
            for (i, w) in words.iter().enumerate() {
                out.push_str(&if i == 0 { w.to_string() } else { capitalise(w) });
            }
            out
        }
        "PascalCase" => words.iter().map(|w| capitalise(w)).collect(),
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
        assert!(rename_all("Train-Case", "x").is_none());
    }
}
