//! One canonical spelling for SQL expressions (checks, index predicates and
//! expressions, default expressions), so that what a catalog prints back compares
//! equal to what a model wrote.
//!
//! PostgreSQL deparses `r BETWEEN 1 AND 5` as `((r >= 1) AND (r <= 5))` and adds casts
//! (`lower(a::text)`); MariaDB wraps names in backticks. The canonical form lower-cases
//! outside string literals, unquotes identifiers, drops `::type` casts and grouping
//! parentheses (keeping function-call parentheses), rewrites BETWEEN, and puts single
//! spaces between tokens. Grouping parentheses are dropped on purpose: `(a OR b) AND c`
//! and `a OR (b AND c)` then compare equal, a rare false "same" that is better than a
//! false difference on every boot.

/// The canonical form of an SQL expression.
pub fn canonical(sql: &str) -> String {
    let tokens = tokenize(sql);
    let tokens = drop_casts(tokens);
    let tokens = rewrite_postgres_forms(tokens);
    let tokens = drop_grouping_parens(tokens);
    let tokens = rewrite_between(tokens);
    tokens.join(" ")
}

fn tokenize(sql: &str) -> Vec<String> {
    let chars: Vec<char> = sql.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c.is_whitespace() {
            i += 1;
        } else if c == '\'' {
            // A string literal, kept verbatim; '' and \' stay inside it.
            let start = i;
            i += 1;
            while i < chars.len() {
                if chars[i] == '\\' && i + 1 < chars.len() {
                    i += 2;
                    continue;
                }
                if chars[i] == '\'' {
                    if chars.get(i + 1) == Some(&'\'') {
                        i += 2;
                        continue;
                    }
                    i += 1;
                    break;
                }
                i += 1;
            }
            out.push(chars[start..i].iter().collect());
        } else if c == '"' || c == '`' {
            let close = c;

            let start = i + 1;
            i += 1;
            while i < chars.len() && chars[i] != close {
                i += 1;
            }
            out.push(chars[start..i.min(chars.len())].iter().collect::<String>().to_lowercase());
            i += 1;
        } else if c.is_alphanumeric() || c == '_' || c == '.' || c == '$' {
            let start = i;
            while i < chars.len()
                && (chars[i].is_alphanumeric() || chars[i] == '_' || chars[i] == '.' || chars[i] == '$')
            {
                i += 1;
            }
            out.push(chars[start..i].iter().collect::<String>().to_lowercase());
        } else if "<>=!|&^~+-*/%:".contains(c) {
            let start = i;
            while i < chars.len() && "<>=!|&^~+-*/%:".contains(chars[i]) {
                i += 1;
            }
            let op: String = chars[start..i].iter().collect();
            out.push(if op == "!=" { "<>".into() } else { op });
        } else {
            out.push(c.to_string());
            i += 1;
        }
    }
    out
}

fn is_word(t: &str) -> bool {
    t.chars().next().is_some_and(|c| c.is_alphabetic() || c == '_')
}

/// Removes `::type`, including multi-word types and `(n)` arguments and `[]`.
fn drop_casts(tokens: Vec<String>) -> Vec<String> {
    const CONTINUE: &[&str] = &["varying", "precision", "with", "without", "time", "zone"];
    let mut out = Vec::with_capacity(tokens.len());
    let mut i = 0;
    while i < tokens.len() {
        if tokens[i] == "::" {
            i += 1;
            if i < tokens.len() && is_word(&tokens[i]) {
                i += 1;
            }
            while i < tokens.len() && CONTINUE.contains(&tokens[i].as_str()) {
                i += 1;
            }
            if tokens.get(i).map(String::as_str) == Some("(") {
                while i < tokens.len() && tokens[i] != ")" {
                    i += 1;
                }
                i += 1;
            }
            while tokens.get(i).map(String::as_str) == Some("[") && tokens.get(i + 1).map(String::as_str) == Some("]") {
                i += 2;
            }
            continue;
        }
        out.push(tokens[i].clone());
        i += 1;
    }
    out
}

/// PostgreSQL's deparsed spellings back to SQL's: `x = ANY (ARRAY[a, b])` is
/// `x IN (a, b)`, `x <> ALL (ARRAY[..])` is `x NOT IN (..)`, `~~` is LIKE, `~~*` ILIKE.
fn rewrite_postgres_forms(tokens: Vec<String>) -> Vec<String> {
    let mut out: Vec<String> = Vec::with_capacity(tokens.len());
    let mut i = 0;
    let at = |k: usize| tokens.get(k).map(String::as_str);
    while i < tokens.len() {
        let op = match (at(i), at(i + 1), at(i + 2)) {
            (Some("="), Some("any"), Some("(")) => Some(vec!["in"]),
            (Some("<>"), Some("all"), Some("(")) => Some(vec!["not", "in"]),
            _ => None,
        };
        if let Some(op) = op {
            // `(` then any extra `(`s, then `array [ items ]`, then as many `)`s.
            let mut j = i + 3;
            let mut extra = 0;
            while at(j) == Some("(") {
                extra += 1;
                j += 1;
            }
            if at(j) == Some("array") && at(j + 1) == Some("[") {
                j += 2;
                let mut depth = 0;
                let mut items = Vec::new();
                while j < tokens.len() {
                    match tokens[j].as_str() {
                        "[" | "(" => depth += 1,
                        "]" if depth == 0 => break,
                        "]" | ")" => depth -= 1,
                        _ => {}
                    }
                    items.push(tokens[j].clone());
                    j += 1;
                }
                let closes = (1..=extra + 1).all(|k| at(j + k) == Some(")"));
                if at(j) == Some("]") && closes {
                    out.extend(op.into_iter().map(str::to_string));
                    out.push("(".into());
                    out.extend(items);
                    out.push(")".into());
                    i = j + extra + 2;
                    continue;
                }
            }
        }
        match tokens[i].as_str() {
            "~~" => out.push("like".into()),
            "!~~" => out.extend(["not".to_string(), "like".to_string()]),
            "~~*" => out.push("ilike".into()),
            "!~~*" => out.extend(["not".to_string(), "ilike".to_string()]),
            other => out.push(other.to_string()),
        }
        i += 1;
    }
    out
}

/// Keeps the parentheses of function calls (and of `IN (...)`), drops the rest.
fn drop_grouping_parens(tokens: Vec<String>) -> Vec<String> {
    const NOT_CALLS: &[&str] = &["and", "or", "not", "when", "then", "else", "case", "is", "like", "between"];
    let mut keep = vec![true; tokens.len()];
    let mut stack: Vec<(usize, bool)> = Vec::new();
    for (i, t) in tokens.iter().enumerate() {
        match t.as_str() {
            "(" => {
                let call = i > 0 && is_word(&tokens[i - 1]) && !NOT_CALLS.contains(&tokens[i - 1].as_str());
                stack.push((i, call));
            }
            ")" => {
                if let Some((open, call)) = stack.pop() {
                    if !call {
                        keep[open] = false;
                        keep[i] = false;
                    }
                }
            }
            _ => {}
        }
    }
    tokens.into_iter().zip(keep).filter_map(|(t, k)| k.then_some(t)).collect()
}

/// `x between a and b` -> `x >= a and x <= b`, for single-token operands.
fn rewrite_between(tokens: Vec<String>) -> Vec<String> {
    let mut out: Vec<String> = Vec::with_capacity(tokens.len());
    let mut i = 0;
    while i < tokens.len() {
        if tokens[i] == "between"
            && !out.is_empty()
            && i + 3 < tokens.len() + 1
            && tokens.get(i + 2).map(String::as_str) == Some("and")
        {
            if let (Some(x), Some(lo), Some(hi)) = (out.pop(), tokens.get(i + 1), tokens.get(i + 3)) {
                out.extend([x.clone(), ">=".into(), lo.clone(), "and".into(), x, "<=".into(), hi.clone()]);
                i += 4;
                continue;
            }
        }
        out.push(tokens[i].clone());
        i += 1;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::canonical;

    #[test]
    fn what_catalogs_print_back_matches_what_models_wrote() {
        assert_eq!(canonical("r BETWEEN 1 AND 5"), canonical("(((r >= 1) AND (r <= 5)))"));
        assert_eq!(canonical("r BETWEEN 1 AND 5"), canonical("`r` between 1 and 5"));
        assert_eq!(canonical("age >= 0"), canonical("(age >= 0)"));
        assert_eq!(canonical("age>=0"), canonical("age >= 0"));
        assert_eq!(canonical("length(body) > 0"), canonical("(length(body) > 0)"));
        assert_eq!(canonical("lower(a)"), canonical("lower((a)::text)"));
        assert_eq!(canonical("lower(a)"), canonical("lower(a::text)"));
        assert_eq!(canonical("kind = 'x'"), canonical("((kind)::text = 'x'::character varying::text)"));
        assert_eq!(canonical("deleted_at IS NULL"), canonical("(deleted_at IS NULL)"));
        assert_eq!(canonical("\"camelCol\" > 2"), canonical("camelcol > 2"));
        assert_eq!(canonical("a != b"), canonical("a <> b"));
        assert_eq!(canonical("x IN (1, 2)"), "x in ( 1 , 2 )");
        assert_eq!(canonical("kind IN ('a','b')"), canonical("((kind = ANY (ARRAY['a'::text, 'b'::text])))"));
        assert_eq!(canonical("m NOT IN (1, 2)"), canonical("((m <> ALL (ARRAY[1, 2])))"));
        assert_eq!(
            canonical("kind IN ('a', 'b')"),
            canonical("(((kind)::text = ANY ((ARRAY['a'::character varying, 'b'::character varying])::text[])))")
        );
        assert_eq!(canonical("n LIKE 'x%'"), canonical("(((n)::text ~~ 'x%'::text))"));
        assert_eq!(
            canonical("z NOT LIKE 'q%' AND z ILIKE 'Q%'"),
            canonical("(((z !~~ 'q%'::text) AND (z ~~* 'Q%'::text)))")
        );
    }

    #[test]
    fn real_differences_stay_different() {
        assert_ne!(canonical("age >= 0"), canonical("age > 0"));
        assert_ne!(canonical("kind = 'X'"), canonical("kind = 'x'"));
        assert_ne!(canonical("lower(a)"), canonical("upper(a)"));
    }
}
