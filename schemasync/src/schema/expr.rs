//! One canonical spelling for SQL expressions (checks, index predicates and
//! expressions, generated columns, default expressions), so that what a catalog prints
//! back compares equal to what a model wrote.
//!
//! Expressions are read with `sqlparser`, in the backend's own dialect (so that
//! MariaDB's backslash escapes and PostgreSQL's `::` casts are understood), and printed
//! back from the tree in one form:
//!
//! - every operator is fully parenthesised, so grouping is exact, and `AND`/`OR` chains
//!   are flattened (`a AND (b AND c)` is `a AND b AND c`);
//! - casts are dropped, except that a quoted number cast to a number type is that
//!   number (PostgreSQL stores `1e6` as `'1000000'::numeric`);
//! - numbers are plain decimals (`1e3` is `1000`, `0.50` is `0.5`), `TRUE` is `1`;
//! - identifiers are unquoted and lower-cased, keywords and function names lower-cased;
//! - PostgreSQL's deparsed forms become SQL's: `x = ANY (ARRAY[..])` is `x IN (..)`,
//!   `~~` is `LIKE`; `BETWEEN` becomes two comparisons; a one-item `IN` is `=`;
//! - `NOT` is pushed inward as MariaDB does (`NOT (a = b)` is `a <> b`, De Morgan over
//!   `AND`/`OR`, `NOT flag` is `flag = 0`);
//! - `%`, `MOD` and `mod()` are one operator; MariaDB's `lcase`, `ucase`, `substr` and
//!   `octet_length` are `lower`, `upper`, `substring` and (MySQL's byte) `length`.
//!
//! An expression `sqlparser` cannot read is compared by its tokens, lower-cased
//! outside string literals.

use crate::backend::Backend;
use sqlparser::ast::{
    BinaryOperator as Op, CastKind, Expr, FunctionArg, FunctionArgExpr, FunctionArguments, Ident, ObjectName,
    UnaryOperator, Value,
};
use sqlparser::dialect::{Dialect, MySqlDialect, PostgreSqlDialect, SQLiteDialect};
use sqlparser::parser::Parser;
use sqlparser::tokenizer::{Token, Tokenizer};

/// The `sqlparser` dialect that reads `backend`'s SQL.
pub(crate) fn sql_dialect(backend: Backend) -> &'static dyn Dialect {
    match backend {
        Backend::Postgres => &PostgreSqlDialect {},
        Backend::MySql => &MySqlDialect {},
        Backend::Sqlite => &SQLiteDialect {},
    }
}

/// The tokens of `sql` in `backend`'s dialect, whitespace and comments left out.
/// MariaDB's infix `MOD` becomes `%`, which `sqlparser` reads.
pub(crate) fn tokens(sql: &str, backend: Backend) -> Option<Vec<Token>> {
    let all = Tokenizer::new(sql_dialect(backend), sql).tokenize().ok()?;
    let tokens: Vec<Token> = all.into_iter().filter(|t| !matches!(t, Token::Whitespace(_))).collect();
    let word = |t: Option<&Token>, k: &str| matches!(t, Some(Token::Word(w)) if w.quote_style.is_none() && w.value.eq_ignore_ascii_case(k));
    let mut out = Vec::with_capacity(tokens.len());
    let mut i = 0;
    while i < tokens.len() {
        let t = &tokens[i];
        // MariaDB's infix `a MOD b` (not the function `mod(a, b)`).
        if backend == Backend::MySql && word(Some(t), "mod") && tokens.get(i + 1) != Some(&Token::LParen) {
            out.push(Token::Mod);
            i += 1;
            continue;
        }
        // MariaDB prints a NOT it could not push inward as `!`: `!(flag is true)`.
        if backend == Backend::MySql && t == &Token::ExclamationMark {
            out.push(Token::make_keyword("NOT"));
            i += 1;
            continue;
        }
        // MariaDB records the connection's character set in a cast to CHAR:
        // `cast(x as char charset utf8mb3)`. Casts are not compared; neither is that.
        if backend == Backend::MySql
            && word(Some(t), "charset")
            && matches!(out.last(), Some(Token::Word(_) | Token::RParen))
            && matches!(tokens.get(i + 1), Some(Token::Word(_)))
        {
            i += 2;
            continue;
        }
        // PostgreSQL prints `trim(x)` as `TRIM(BOTH FROM x)`, which means the same.
        if word(Some(t), "both") && word(tokens.get(i + 1), "from") && out.last() == Some(&Token::LParen) {
            i += 2;
            continue;
        }
        out.push(t.clone());
        i += 1;
    }
    Some(out)
}

/// Why `sql`, put into DDL as written, is not one expression: a statement separator, a
/// comment or an unbalanced parenthesis outside string literals, or text that does
/// not even tokenize. `None` when it is safe to embed.
pub fn fragment_problem(sql: &str, backend: Backend) -> Option<String> {
    use sqlparser::tokenizer::Whitespace;
    let tokens = match Tokenizer::new(sql_dialect(backend), sql).tokenize() {
        Ok(t) => t,
        Err(e) => return Some(format!("it cannot be read as SQL ({e})")),
    };
    let mut depth = 0i64;
    for t in &tokens {
        match t {
            Token::SemiColon => return Some("it has a `;`, which would end the statement".into()),
            Token::Whitespace(Whitespace::SingleLineComment { .. } | Whitespace::MultiLineComment(_)) => {
                return Some("it has a comment, which could hide the rest of the statement".into())
            }
            Token::LParen => depth += 1,
            Token::RParen => {
                depth -= 1;
                if depth < 0 {
                    return Some("it closes a parenthesis it did not open".into());
                }
            }
            _ => {}
        }
    }
    (depth != 0).then(|| "it leaves a parenthesis open".to_string())
}

/// The functions `sql` calls that are known to belong to other backends and not to
/// `backend` (`gen_random_uuid()` on SQLite, `uuid()` on PostgreSQL): a default or check
/// that calls one is accepted by some servers when the table is made and fails on the
/// first insert.
pub fn foreign_functions(sql: &str, backend: Backend) -> Vec<String> {
    const POSTGRES: &[&str] = &[
        "gen_random_uuid",
        "uuid_generate_v4",
        "now",
        "clock_timestamp",
        "statement_timestamp",
        "transaction_timestamp",
        "timeofday",
        "to_char",
        "to_timestamp",
        "md5",
        "random",
        "nextval",
    ];
    const MYSQL: &[&str] = &[
        "uuid",
        "uuid_short",
        "now",
        "curdate",
        "curtime",
        "sysdate",
        "utc_timestamp",
        "utc_date",
        "rand",
        "md5",
        "unix_timestamp",
    ];
    const SQLITE: &[&str] = &["datetime", "strftime", "julianday", "randomblob", "random", "unixepoch"];
    let own: &[&str] = match backend {
        Backend::Postgres => POSTGRES,
        Backend::MySql => MYSQL,
        Backend::Sqlite => SQLITE,
    };
    let Some(tokens) = tokens(sql, backend) else { return Vec::new() };
    let mut out = Vec::new();
    let mut previous: Option<&Token> = None;
    for t in tokens.iter().filter(|t| !matches!(t, Token::Whitespace(_))) {
        if let (Some(Token::Word(w)), Token::LParen) = (previous, t) {
            let name = w.value.to_ascii_lowercase();
            let elsewhere =
                POSTGRES.contains(&name.as_str()) || MYSQL.contains(&name.as_str()) || SQLITE.contains(&name.as_str());
            if w.quote_style.is_none() && elsewhere && !own.contains(&name.as_str()) && !out.contains(&name) {
                out.push(name);
            }
        }
        previous = Some(t);
    }
    out
}

/// Parses one whole expression of `backend`'s dialect.
pub(crate) fn parse(sql: &str, backend: Backend) -> Option<Expr> {
    let tokens = tokens(sql, backend)?;
    let mut parser = Parser::new(sql_dialect(backend)).with_tokens(tokens);
    let expr = parser.parse_expr().ok()?;
    (parser.peek_token().token == Token::EOF).then_some(expr)
}

/// The canonical form of an SQL expression written for (or stored by) `backend`.
pub fn canonical(sql: &str, backend: Backend) -> String {
    match parse(sql, backend) {
        Some(expr) => Printer { backend }.expr(&expr),
        None => by_tokens(sql, backend),
    }
}

/// The fallback: tokens joined by one space, lower-cased outside string literals.
fn by_tokens(sql: &str, backend: Backend) -> String {
    match tokens(sql, backend) {
        Some(tokens) => tokens
            .iter()
            .map(|t| match t {
                Token::Word(w) => w.value.to_lowercase(),
                Token::SingleQuotedString(s) | Token::DoubleQuotedString(s) => quote(s),
                Token::Number(n, _) => canonical_number(n).unwrap_or_else(|| n.clone()),
                Token::Neq => "<>".into(),
                other => other.to_string(),
            })
            .collect::<Vec<_>>()
            .join(" "),
        None => sql.split_whitespace().collect::<Vec<_>>().join(" ").to_lowercase(),
    }
}

/// `'it''s'`: a string value as a standard SQL literal.
fn quote(s: &str) -> String {
    format!("'{}'", s.replace('\'', "''"))
}

/// A number literal as a plain decimal: no exponent, no leading zeros in the integer
/// part, no trailing zeros in the fraction, no `+`, and `-0` is `0`. `None` when
/// `text` is not a decimal number.
pub fn canonical_number(text: &str) -> Option<String> {
    let s = text.trim();
    let (negative, s) = match s.strip_prefix('-') {
        Some(rest) => (true, rest.trim_start()),
        None => (false, s.strip_prefix('+').unwrap_or(s).trim_start()),
    };
    let (mantissa, exponent) = match s.find(['e', 'E']) {
        Some(i) => (&s[..i], Some(&s[i + 1..])),
        None => (s, None),
    };
    let exponent: i64 = match exponent {
        Some(e) => {
            let digits = e.strip_prefix(['+', '-']).unwrap_or(e);
            if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) || digits.len() > 6 {
                return None;
            }
            e.parse().ok()?
        }
        None => 0,
    };
    let (int, frac) = mantissa.split_once('.').unwrap_or((mantissa, ""));
    if (int.is_empty() && frac.is_empty()) || !int.bytes().chain(frac.bytes()).all(|b| b.is_ascii_digit()) {
        return None;
    }
    // All digits, and where the decimal point sits in them.
    let digits = format!("{int}{frac}");
    let point = int.len() as i64 + exponent;
    let (int_part, frac_part) = if point <= 0 {
        (String::new(), format!("{}{digits}", "0".repeat((-point) as usize)))
    } else if point as usize >= digits.len() {
        (format!("{digits}{}", "0".repeat(point as usize - digits.len())), String::new())
    } else {
        (digits[..point as usize].to_string(), digits[point as usize..].to_string())
    };
    let int_part = int_part.trim_start_matches('0');
    let frac_part = frac_part.trim_end_matches('0');
    let int_part = if int_part.is_empty() { "0" } else { int_part };
    let body = if frac_part.is_empty() { int_part.to_string() } else { format!("{int_part}.{frac_part}") };
    Some(if negative && body != "0" { format!("-{body}") } else { body })
}

/// A string literal's value, whatever its quoting (`E'..'`, `N'..'`, `_utf8mb4'..'`,
/// MySQL's `"..."`).
/// For a check `col IN ('a', 'b')` (SQLite's spelling of an enum): the column and the
/// labels, in order.
pub(crate) fn in_list_labels(sql: &str, backend: Backend) -> Option<(String, Vec<String>)> {
    let mut e = parse(sql, backend)?;
    while let Expr::Nested(inner) = e {
        e = *inner;
    }
    let Expr::InList { expr, list, negated: false } = e else { return None };
    let column = match *expr {
        Expr::Identifier(id) => id.value,
        _ => return None,
    };
    let labels = list.iter().map(|l| string_value(l).map(str::to_string)).collect::<Option<Vec<_>>>()?;
    Some((column, labels))
}

pub(crate) fn string_value(e: &Expr) -> Option<&str> {
    match e {
        Expr::Value(v) => match &v.value {
            Value::SingleQuotedString(s)
            | Value::DoubleQuotedString(s)
            | Value::EscapedStringLiteral(s)
            | Value::NationalStringLiteral(s)
            | Value::UnicodeStringLiteral(s)
            | Value::TripleSingleQuotedString(s) => Some(s),
            Value::DollarQuotedString(d) => Some(&d.value),
            _ => None,
        },
        Expr::TypedString(t) => match &t.value.value {
            Value::SingleQuotedString(s) | Value::DoubleQuotedString(s) => Some(s),
            _ => None,
        },
        Expr::Prefixed { prefix, value } if prefix.value.starts_with('_') => string_value(value),
        _ => None,
    }
}

/// A number literal's canonical text, looking through casts, parentheses, a sign and
/// PostgreSQL's quoted constants (`'-5'::integer`, `'1000000'::numeric`).
pub(crate) fn number_value(e: &Expr) -> Option<String> {
    match e {
        Expr::Value(v) => match &v.value {
            Value::Number(n, _) => canonical_number(n),
            _ => None,
        },
        Expr::Nested(inner) => number_value(inner),
        Expr::UnaryOp { op: UnaryOperator::Minus, expr } => number_value(expr).map(|n| {
            if n == "0" || n.starts_with('-') {
                n.trim_start_matches('-').to_string()
            } else {
                format!("-{n}")
            }
        }),
        Expr::UnaryOp { op: UnaryOperator::Plus, expr } => number_value(expr),
        Expr::Cast { expr, data_type, .. } => {
            let numeric = is_number_type(&data_type.to_string());
            match number_value(expr) {
                Some(n) => Some(n),
                None if numeric => string_value(expr).and_then(canonical_number),
                None => None,
            }
        }
        _ => None,
    }
}

fn is_number_type(ty: &str) -> bool {
    let ty = ty.to_ascii_lowercase();
    ["int", "numeric", "decimal", "real", "double", "float", "serial"].iter().any(|k| ty.contains(k))
}

/// Looks through parentheses and casts (a cast of a literal keeps the literal).
fn strip(e: &Expr) -> &Expr {
    match e {
        Expr::Nested(inner) => strip(inner),
        Expr::Cast { expr, .. } => strip(expr),
        Expr::Prefixed { prefix, value } if prefix.value.starts_with('_') => strip(value),
        other => other,
    }
}

/// A boolean combination, flattened.
enum Node {
    And(Vec<Node>),
    Or(Vec<Node>),
    Leaf(String),
}

impl Node {
    fn join(and: bool, parts: Vec<Node>) -> Node {
        let mut flat = Vec::with_capacity(parts.len());
        for p in parts {
            match (and, p) {
                (true, Node::And(xs)) | (false, Node::Or(xs)) => flat.extend(xs),
                (_, other) => flat.push(other),
            }
        }
        if and {
            Node::And(flat)
        } else {
            Node::Or(flat)
        }
    }

    fn print(self) -> String {
        match self {
            Node::Leaf(s) => s,
            Node::And(xs) => format!("({})", xs.into_iter().map(Node::print).collect::<Vec<_>>().join(" and ")),
            Node::Or(xs) => format!("({})", xs.into_iter().map(Node::print).collect::<Vec<_>>().join(" or ")),
        }
    }
}

struct Printer {
    backend: Backend,
}

impl Printer {
    fn exprs(&self, list: &[Expr]) -> String {
        list.iter().map(|e| self.expr(e)).collect::<Vec<_>>().join(", ")
    }

    fn ident(i: &Ident) -> String {
        i.value.to_lowercase()
    }

    fn name(n: &ObjectName) -> String {
        n.0.iter()
            .map(|p| p.to_string().trim_matches(['"', '`', '[', ']']).to_lowercase())
            .collect::<Vec<_>>()
            .join(".")
    }

    fn expr(&self, e: &Expr) -> String {
        if let Some(n) = number_value(e) {
            return n;
        }
        if let Some(s) = string_value(strip(e)) {
            return quote(s);
        }
        if let Some((x, pattern, escape, negated, word)) = like_parts(strip(e)) {
            return self.like(x, pattern, escape, negated, word);
        }
        match strip(e) {
            Expr::BinaryOp { op: Op::And | Op::Or, .. }
            | Expr::UnaryOp { op: UnaryOperator::Not, .. }
            | Expr::Between { .. } => self.boolean(e, false).print(),
            Expr::BinaryOp { left, op, right } => {
                format!("({} {} {})", self.expr(left), op_text(op), self.expr(right))
            }
            Expr::UnaryOp { op: UnaryOperator::Plus, expr } => self.expr(expr),
            Expr::UnaryOp { op, expr } => format!("({} {})", op.to_string().to_lowercase(), self.expr(expr)),
            Expr::Value(v) => match &v.value {
                Value::Boolean(true) => "1".into(),
                Value::Boolean(false) => "0".into(),
                Value::Null => "null".into(),
                other => other.to_string(),
            },
            Expr::Identifier(i) => Self::ident(i),
            Expr::CompoundIdentifier(parts) => parts.iter().map(Self::ident).collect::<Vec<_>>().join("."),
            Expr::InList { expr, list, negated } => self.in_list(expr, list, *negated),
            Expr::AnyOp { left, compare_op: Op::Eq, right, .. } if array_items(right).is_some() => {
                self.in_list(left, array_items(right).unwrap_or_default(), false)
            }
            Expr::AllOp { left, compare_op: Op::NotEq, right } if array_items(right).is_some() => {
                self.in_list(left, array_items(right).unwrap_or_default(), true)
            }
            Expr::IsNull(x) => format!("({} is null)", self.expr(x)),
            Expr::IsNotNull(x) => format!("({} is not null)", self.expr(x)),
            Expr::IsTrue(x) => format!("({} is true)", self.expr(x)),
            Expr::IsNotTrue(x) => format!("({} is not true)", self.expr(x)),
            Expr::IsFalse(x) => format!("({} is false)", self.expr(x)),
            Expr::IsNotFalse(x) => format!("({} is not false)", self.expr(x)),
            Expr::IsUnknown(x) => format!("({} is unknown)", self.expr(x)),
            Expr::IsNotUnknown(x) => format!("({} is not unknown)", self.expr(x)),
            Expr::IsDistinctFrom(a, b) => format!("({} is distinct from {})", self.expr(a), self.expr(b)),
            Expr::IsNotDistinctFrom(a, b) => format!("({} is not distinct from {})", self.expr(a), self.expr(b)),
            Expr::Function(f) => self.function(f),
            Expr::Case { operand, conditions, else_result, .. } => {
                let mut out = String::from("case");
                if let Some(op) = operand {
                    out.push_str(&format!(" {}", self.expr(op)));
                }
                for c in conditions {
                    out.push_str(&format!(" when {} then {}", self.expr(&c.condition), self.expr(&c.result)));
                }
                if let Some(e) = else_result {
                    out.push_str(&format!(" else {}", self.expr(e)));
                }
                out.push_str(" end");
                out
            }
            Expr::Collate { expr, collation } => format!("({} collate {})", self.expr(expr), Self::name(collation)),
            Expr::Trim {
                expr,
                trim_where: None | Some(sqlparser::ast::TrimWhereField::Both),
                trim_what: None,
                trim_characters: None,
            } => {
                format!("trim({})", self.expr(expr))
            }
            Expr::Substring { expr, substring_from, substring_for, .. } => {
                let mut args = vec![self.expr(expr)];
                args.extend(substring_from.iter().map(|e| self.expr(e)));
                args.extend(substring_for.iter().map(|e| self.expr(e)));
                format!("substring({})", args.join(", "))
            }
            Expr::Array(a) => format!("array[{}]", self.exprs(&a.elem)),
            Expr::Tuple(items) => format!("({})", self.exprs(items)),
            Expr::Cast {
                kind: CastKind::Cast | CastKind::TryCast | CastKind::SafeCast | CastKind::DoubleColon,
                expr,
                ..
            } => self.expr(expr),
            // Anything else as sqlparser prints it, lower-cased outside quotes.
            other => crate::schema::normalize::collapse_expr(&other.to_string()),
        }
    }

    /// `e` as a boolean combination, negated when `negate` is set, with NOT pushed in.
    fn boolean(&self, e: &Expr, negate: bool) -> Node {
        let e = strip(e);
        match e {
            Expr::BinaryOp { left, op: op @ (Op::And | Op::Or), right } => {
                // De Morgan: NOT (a AND b) is (NOT a) OR (NOT b).
                let and = matches!(op, Op::And) != negate;
                Node::join(and, vec![self.boolean(left, negate), self.boolean(right, negate)])
            }
            Expr::UnaryOp { op: UnaryOperator::Not, expr } => self.boolean(expr, !negate),
            Expr::Between { expr, negated, low, high } => {
                let x = self.expr(expr);
                let (lo, hi) = (self.expr(low), self.expr(high));
                if *negated != negate {
                    Node::join(false, vec![Node::Leaf(format!("({x} < {lo})")), Node::Leaf(format!("({x} > {hi})"))])
                } else {
                    Node::join(true, vec![Node::Leaf(format!("({x} >= {lo})")), Node::Leaf(format!("({x} <= {hi})"))])
                }
            }
            // MariaDB stores a bare boolean column among AND/OR as `flag <> 0`.
            Expr::Identifier(_) | Expr::CompoundIdentifier(_) if !negate => {
                Node::Leaf(format!("({} <> 0)", self.expr(e)))
            }
            _ if !negate => Node::Leaf(self.expr(e)),
            Expr::BinaryOp { left, op, right } if negated_comparison(op).is_some() => Node::Leaf(format!(
                "({} {} {})",
                self.expr(left),
                negated_comparison(op).unwrap_or("<>"),
                self.expr(right)
            )),
            Expr::InList { expr, list, negated } => Node::Leaf(self.in_list(expr, list, !negated)),
            Expr::AnyOp { left, compare_op: Op::Eq, right, .. } if array_items(right).is_some() => {
                Node::Leaf(self.in_list(left, array_items(right).unwrap_or_default(), true))
            }
            Expr::AllOp { left, compare_op: Op::NotEq, right } if array_items(right).is_some() => {
                Node::Leaf(self.in_list(left, array_items(right).unwrap_or_default(), false))
            }
            other if like_parts(other).is_some() => match like_parts(other) {
                Some((x, pattern, escape, negated, word)) => Node::Leaf(self.like(x, pattern, escape, !negated, word)),
                None => Node::Leaf(self.expr(other)),
            },
            Expr::IsNull(x) => Node::Leaf(format!("({} is not null)", self.expr(x))),
            Expr::IsNotNull(x) => Node::Leaf(format!("({} is null)", self.expr(x))),
            Expr::IsTrue(x) => Node::Leaf(format!("({} is not true)", self.expr(x))),
            Expr::IsNotTrue(x) => Node::Leaf(format!("({} is true)", self.expr(x))),
            Expr::IsFalse(x) => Node::Leaf(format!("({} is not false)", self.expr(x))),
            Expr::IsNotFalse(x) => Node::Leaf(format!("({} is false)", self.expr(x))),
            Expr::IsDistinctFrom(a, b) => {
                Node::Leaf(format!("({} is not distinct from {})", self.expr(a), self.expr(b)))
            }
            Expr::IsNotDistinctFrom(a, b) => {
                Node::Leaf(format!("({} is distinct from {})", self.expr(a), self.expr(b)))
            }
            // MariaDB stores `NOT flag` as `flag = 0`.
            other => Node::Leaf(format!("({} = 0)", self.expr(other))),
        }
    }

    fn in_list(&self, expr: &Expr, list: &[Expr], negated: bool) -> String {
        let x = self.expr(expr);
        match list {
            [one] => format!("({x} {} {})", if negated { "<>" } else { "=" }, self.expr(one)),
            _ => format!("({x} {}in ({}))", if negated { "not " } else { "" }, self.exprs(list)),
        }
    }

    fn like(&self, expr: &Expr, pattern: &Expr, escape: Option<&Expr>, negated: bool, word: &str) -> String {
        let mut out =
            format!("({} {}{word} {}", self.expr(expr), if negated { "not " } else { "" }, self.expr(pattern));
        if let Some(esc) = escape {
            out.push_str(&format!(" escape {}", self.expr(esc)));
        }
        out.push(')');
        out
    }

    fn function(&self, f: &sqlparser::ast::Function) -> String {
        let mut name = Self::name(&f.name);
        let args: Vec<String> = match &f.args {
            FunctionArguments::None => Vec::new(),
            FunctionArguments::Subquery(q) => vec![q.to_string().to_lowercase()],
            FunctionArguments::List(list) => list
                .args
                .iter()
                .map(|a| match a {
                    FunctionArg::Unnamed(FunctionArgExpr::Expr(e)) => self.expr(e),
                    other => other.to_string().to_lowercase(),
                })
                .collect(),
        };
        if name == "mod" && args.len() == 2 {
            return format!("({} % {})", args[0], args[1]);
        }
        if self.backend == Backend::MySql {
            // MariaDB stores these under other names.
            name = match name.as_str() {
                "lcase" => "lower".into(),
                "ucase" => "upper".into(),
                "substr" => "substring".into(),
                // MySQL's LENGTH counts bytes; MariaDB stores it as OCTET_LENGTH.
                "octet_length" => "length".into(),
                "now" | "localtimestamp" => "current_timestamp".into(),
                "curdate" => "current_date".into(),
                "curtime" => "current_time".into(),
                _ => name,
            };
        }
        format!("{name}({})", args.join(", "))
    }
}

/// `x [NOT] LIKE p [ESCAPE e]` in any spelling, PostgreSQL's `~~` and `!~~` included:
/// the operand, the pattern, the escape, whether negated, and `like` or `ilike`.
fn like_parts(e: &Expr) -> Option<(&Expr, &Expr, Option<&Expr>, bool, &'static str)> {
    match e {
        Expr::Like { negated, expr, pattern, escape_char, .. } => {
            Some((expr, pattern, escape_char.as_deref(), *negated, "like"))
        }
        Expr::ILike { negated, expr, pattern, escape_char, .. } => {
            Some((expr, pattern, escape_char.as_deref(), *negated, "ilike"))
        }
        Expr::BinaryOp { left, op, right } => match op {
            Op::PGLikeMatch => Some((left, right, None, false, "like")),
            Op::PGNotLikeMatch => Some((left, right, None, true, "like")),
            Op::PGILikeMatch => Some((left, right, None, false, "ilike")),
            Op::PGNotILikeMatch => Some((left, right, None, true, "ilike")),
            _ => None,
        },
        _ => None,
    }
}

/// The items of `ARRAY[..]` behind parentheses and casts.
fn array_items(e: &Expr) -> Option<&[Expr]> {
    match strip(e) {
        Expr::Array(a) => Some(&a.elem),
        _ => None,
    }
}

/// The comparison that is true exactly when `op` is false.
fn negated_comparison(op: &Op) -> Option<&'static str> {
    Some(match op {
        Op::Eq => "<>",
        Op::NotEq => "=",
        Op::Lt => ">=",
        Op::LtEq => ">",
        Op::Gt => "<=",
        Op::GtEq => "<",
        _ => return None,
    })
}

fn op_text(op: &Op) -> String {
    match op {
        Op::NotEq => "<>".into(),
        Op::Modulo => "%".into(),
        Op::PGLikeMatch => "like".into(),
        Op::PGILikeMatch => "ilike".into(),
        Op::PGNotLikeMatch => "not like".into(),
        Op::PGNotILikeMatch => "not ilike".into(),
        other => other.to_string().to_lowercase(),
    }
}

#[cfg(test)]
mod tests {
    use super::{canonical, canonical_number};
    use crate::backend::Backend::{self, MySql, Postgres, Sqlite};

    fn same(backend: Backend, model: &str, stored: &str) {
        assert_eq!(canonical(model, backend), canonical(stored, backend), "{backend}: {model:?} vs {stored:?}");
    }

    #[test]
    fn numbers() {
        for (a, b) in [
            ("1e3", "1000"),
            ("1E6", "1000000"),
            ("1.5e-3", "0.0015"),
            ("0.50", "0.5"),
            (".5", "0.5"),
            ("5.", "5"),
            ("00007", "7"),
            ("-0.0", "0"),
            ("+5", "5"),
            ("1000000.0", "1000000"),
            ("1.50e2", "150"),
            ("1e20", "100000000000000000000"),
            ("-1.5", "-1.5"),
        ] {
            assert_eq!(canonical_number(a).as_deref(), Some(b), "{a}");
        }
        assert_eq!(canonical_number("0x10"), None);
        assert_eq!(canonical_number("abc"), None);
        assert_eq!(canonical_number("1e"), None);
    }

    #[test]
    fn postgres_spellings() {
        same(Postgres, "r BETWEEN 1 AND 5", "(((r >= 1) AND (r <= 5)))");
        same(Postgres, "qty NOT BETWEEN 1 AND 5", "(((qty < 1) OR (qty > 5)))");
        same(Postgres, "price < 1e6", "((price < '1000000'::numeric))");
        same(Postgres, "qty >= -5", "((qty >= '-5'::integer))");
        same(Postgres, "qty < 1e3", "(((qty)::numeric < '1000'::numeric))");
        same(Postgres, "ratio < 1.5e-3", "((ratio < (0.0015)::double precision))");
        same(
            Postgres,
            "kind IN ('a', 'b')",
            "(((kind)::text = ANY ((ARRAY['a'::character varying, 'b'::character varying])::text[])))",
        );
        same(
            Postgres,
            "kind NOT IN ('a','b')",
            "(((kind)::text <> ALL ((ARRAY['a'::character varying, 'b'::character varying])::text[])))",
        );
        same(Postgres, "kind IN ('a')", "(((kind)::text = 'a'::text))");
        same(Postgres, "name NOT LIKE 'x%'", "(((name)::text !~~ 'x%'::text))");
        same(Postgres, "name ILIKE 'x%'", "(((name)::text ~~* 'x%'::text))");
        same(Postgres, "lower(a)", "lower((a)::text)");
        same(Postgres, "qty > 0 AND qty < 10 AND qty <> 5", "(((qty > 0) AND (qty < 10) AND (qty <> 5)))");
        same(Postgres, "(qty > 0 AND qty < 10) OR qty = 100", "((((qty > 0) AND (qty < 10)) OR (qty = 100)))");
        same(Postgres, "qty IS NOT DISTINCT FROM 5", "((NOT (qty IS DISTINCT FROM 5)))");
        same(Postgres, "trim(name) <> ''", "((TRIM(BOTH FROM name) <> ''::text))");
        same(Postgres, "substring(name, 1, 1) <> 'x'", "((\"substring\"((name)::text, 1, 1) <> 'x'::text))");
        same(Postgres, "coalesce(qty, 0) >= 0", "((COALESCE(qty, 0) >= 0))");
        same(
            Postgres,
            "CASE WHEN qty > 0 THEN 1 ELSE 0 END = 1",
            "((\nCASE\n    WHEN (qty > 0) THEN 1\n    ELSE 0\nEND = 1))",
        );
        same(Postgres, "-qty < 0", "(((- qty) < 0))");
        same(Postgres, "qty > +5", "((qty > (+ 5)))");
        same(Postgres, "price * 2 >= price", "(((price * (2)::numeric) >= price))");
        same(Postgres, "ratio < 1.5E+3", "((ratio < ('1500'::numeric)::double precision))");
        same(Postgres, "d > DATE '2020-01-01'", "((d > '2020-01-01'::date))");
        same(Postgres, "\"camelCol\" > 2", "camelcol > 2");
        same(Postgres, "a != b", "a <> b");
    }

    #[test]
    fn mariadb_spellings() {
        same(MySql, "NOT (qty = 3)", "`qty` <> 3");
        same(MySql, "NOT (qty < 3)", "`qty` >= 3");
        same(MySql, "qty % 2 = 0", "`qty` MOD 2 = 0");
        same(MySql, "mod(qty, 2) = 0", "`qty` MOD 2 = 0");
        same(MySql, "length(name) > 0", "octet_length(`name`) > 0");
        same(MySql, "lower(name) = name", "lcase(`name`) = `name`");
        same(MySql, "substring(name, 1, 1) <> 'x'", "substr(`name`,1,1) <> 'x'");
        same(MySql, "flag = true", "`flag` = 1");
        same(MySql, "NOT flag", "`flag` = 0");
        same(MySql, "NOT (qty > 0 AND qty < 5)", "`qty` <= 0 or `qty` >= 5");
        same(MySql, "NOT (qty > 0 OR qty < -5)", "`qty` <= 0 and `qty` >= -5");
        same(MySql, "NOT (NOT (qty = 3))", "`qty` = 3");
        same(MySql, "name = 'it''s'", "`name` = 'it\\'s'");
        same(MySql, "kind IN ('a')", "`kind` = 'a'");
        same(MySql, "NOT (name LIKE 'x%')", "`name`  not like 'x%'");
        same(MySql, "price < 1e6", "`price` < 1000000.0");
        same(MySql, "qty BETWEEN 1 AND 5", "`qty` between 1 and 5");
        same(MySql, "r BETWEEN 1 AND 5", "(`r` >= 1 and `r` <= 5)");
        same(MySql, "(qty > 0 AND qty < 10) OR qty = 100", "`qty` > 0 and `qty` < 10 or `qty` = 100");
        same(MySql, "CAST(qty AS CHAR) <> ''", "cast(`qty` as char charset utf8mb3) <> ''");
        same(MySql, "name = \"dq\"", "`name` = 'dq'");
        same(MySql, "NOT ((flag IS TRUE) AND (qty = qty))", "!(`flag` is true) or `qty` <> `qty`");
    }

    #[test]
    fn sqlite_is_read_as_written() {
        same(Sqlite, "length(body) > 0", "length( \"body\" )>0");
        same(Sqlite, "kind IN ('a','b')", "\"kind\" in ( 'a' , 'b' )");
    }

    #[test]
    fn real_differences_stay_different() {
        for b in [Postgres, MySql, Sqlite] {
            assert_ne!(canonical("age >= 0", b), canonical("age > 0", b));
            assert_ne!(canonical("kind = 'X'", b), canonical("kind = 'x'", b));
            assert_ne!(canonical("lower(a)", b), canonical("upper(a)", b));
            assert_ne!(canonical("(a OR b) AND c", b), canonical("a OR (b AND c)", b));
            assert_ne!(canonical("price < 1e6", b), canonical("price < 1e5", b));
            assert_ne!(canonical("a - (b - c)", b), canonical("(a - b) - c", b));
        }
        // MySQL's LENGTH counts bytes; CHAR_LENGTH counts characters.
        assert_ne!(canonical("length(a)", MySql), canonical("char_length(a)", MySql));
    }

    #[test]
    fn unreadable_text_compares_by_tokens() {
        assert_eq!(canonical("a @@@ b", Postgres), canonical("A  @@@  B", Postgres));
    }
}
