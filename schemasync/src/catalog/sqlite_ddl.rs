//! What SQLite keeps only in the text of its `CREATE TABLE` and `CREATE INDEX`
//! statements: checks, AUTOINCREMENT, generated columns, index expressions and
//! partial-index predicates. The text is split with `sqlparser`'s tokenizer, so
//! quotes, comments, brackets and commas inside literals never confuse it; each
//! expression is cut from the original text at the tokens' own positions.

use crate::backend::Backend;
use crate::schema::expr::sql_dialect;
use sqlparser::keywords::Keyword;
use sqlparser::tokenizer::{Location, Token, Tokenizer};

/// A token and the byte range of its text.
#[derive(Debug, Clone)]
struct Tok {
    token: Token,
    start: usize,
    end: usize,
}

/// Tokens of `sql` without whitespace and comments, with their byte ranges.
fn tokenize(sql: &str) -> Option<Vec<Tok>> {
    let spanned = Tokenizer::new(sql_dialect(Backend::Sqlite), sql).tokenize_with_location().ok()?;
    // Byte offset of each line start; columns count characters.
    let mut line_starts = vec![0usize];
    line_starts.extend(sql.match_indices('\n').map(|(i, _)| i + 1));
    // In ASCII text a column is a byte count; otherwise count characters (a scan of the
    // line, so only for text that needs it).
    let ascii = sql.is_ascii();
    let offset = |loc: Location| -> Option<usize> {
        let line_start = *line_starts.get(usize::try_from(loc.line).ok()?.checked_sub(1)?)?;
        let column = usize::try_from(loc.column).ok()?.checked_sub(1)?;
        let rest = sql.get(line_start..)?;
        if ascii {
            return Some(line_start + column.min(rest.len()));
        }
        Some(line_start + rest.char_indices().nth(column).map(|(i, _)| i).unwrap_or(rest.len()))
    };
    let mut out = Vec::with_capacity(spanned.len());
    for t in spanned {
        if matches!(t.token, Token::Whitespace(_) | Token::EOF) {
            continue;
        }
        out.push(Tok { start: offset(t.span.start)?, end: offset(t.span.end)?, token: t.token });
    }
    Some(out)
}

fn keyword(t: Option<&Tok>, k: Keyword) -> bool {
    matches!(t, Some(Tok { token: Token::Word(w), .. }) if w.keyword == k && w.quote_style.is_none())
}

/// An identifier's value, unquoted (`"a"`, `[a]`, `` `a` ``, `'a'` and `a` are all `a`).
fn name_of(t: &Tok) -> Option<String> {
    match &t.token {
        Token::Word(w) => Some(w.value.clone()),
        Token::SingleQuotedString(s) | Token::DoubleQuotedString(s) => Some(s.clone()),
        _ => None,
    }
}

/// The index of the `)` that closes the `(` at `open`.
fn closing(tokens: &[Tok], open: usize) -> Option<usize> {
    let mut depth = 0usize;
    for (i, t) in tokens.iter().enumerate().skip(open) {
        match t.token {
            Token::LParen => depth += 1,
            Token::RParen => {
                depth = depth.checked_sub(1)?;
                if depth == 0 {
                    return Some(i);
                }
            }
            _ => {}
        }
    }
    None
}

/// Splits `tokens[from..to]` at commas outside parentheses.
fn split_commas(tokens: &[Tok], from: usize, to: usize) -> Vec<(usize, usize)> {
    let mut parts = Vec::new();
    let (mut depth, mut start) = (0usize, from);
    for (i, t) in tokens.iter().enumerate().take(to).skip(from) {
        match t.token {
            Token::LParen => depth += 1,
            Token::RParen => depth = depth.saturating_sub(1),
            Token::Comma if depth == 0 => {
                parts.push((start, i));
                start = i + 1;
            }
            _ => {}
        }
    }
    if start < to {
        parts.push((start, to));
    }
    parts
}

/// The original text of `tokens[from..to]`.
fn text(sql: &str, tokens: &[Tok], from: usize, to: usize) -> String {
    match (tokens.get(from), to.checked_sub(1).and_then(|last| tokens.get(last))) {
        (Some(a), Some(b)) if from < to => sql.get(a.start..b.end).unwrap_or_default().trim().to_string(),
        _ => String::new(),
    }
}

/// A CHECK constraint as written: its name, the column it is written on, and its text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct DdlCheck {
    pub name: Option<String>,
    pub column: Option<String>,
    pub expr: String,
}

/// A generated column: `col AS (expr) [STORED | VIRTUAL]`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct DdlGenerated {
    pub column: String,
    pub expr: String,
    pub stored: bool,
}

/// What a stored CREATE TABLE says beyond the pragmas.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct TableDdl {
    pub checks: Vec<DdlCheck>,
    /// Columns declared `AUTOINCREMENT`.
    pub autoincrement: Vec<String>,
    pub generated: Vec<DdlGenerated>,
}

/// Whether a stored `CREATE TABLE` may hold a check or a generated column (`CHECK`,
/// `GENERATED`, or the word `AS`). Only a text that may is tokenized: a
/// false "may" costs time, never a wrong answer.
fn may_say_more(sql: &str) -> bool {
    let lower = sql.to_ascii_lowercase();
    if lower.contains("check") || lower.contains("generated") {
        return true;
    }
    lower.match_indices("as").any(|(i, _)| {
        let before = lower[..i].chars().next_back();
        let after = lower[i + 2..].chars().next();
        let word = |c: Option<char>| c.is_some_and(|c| c.is_alphanumeric() || c == '_');
        // `AS (expr)` of a generated column, or `AS SELECT`, which has no column list.
        !word(before) && !word(after)
    })
}

/// Reads a stored `CREATE TABLE`. `None` when the text cannot be tokenized or has no
/// column list (`CREATE TABLE .. AS SELECT`).
pub(crate) fn table(sql: &str) -> Option<TableDdl> {
    if !may_say_more(sql) {
        // No check and no generated column; AUTOINCREMENT is only allowed on an INTEGER
        // PRIMARY KEY, which the pragmas already show as generating its values.
        return sql.contains('(').then(TableDdl::default);
    }
    let tokens = tokenize(sql)?;
    let open = tokens.iter().position(|t| t.token == Token::LParen)?;
    let close = closing(&tokens, open)?;
    let mut out = TableDdl::default();
    for (from, to) in split_commas(&tokens, open + 1, close) {
        let first = tokens.get(from)?;
        let table_level = [Keyword::CONSTRAINT, Keyword::CHECK, Keyword::PRIMARY, Keyword::UNIQUE, Keyword::FOREIGN]
            .iter()
            .any(|k| keyword(Some(first), *k));
        let column = if table_level { None } else { name_of(first) };
        let mut pending_name: Option<String> = None;
        let mut i = if table_level { from } else { from + 1 };
        while i < to {
            let t = &tokens[i];
            if keyword(Some(t), Keyword::CONSTRAINT) {
                // The name belongs to the constraint right after it; only a CHECK's is kept.
                let named_check = i + 2 < to && keyword(tokens.get(i + 2), Keyword::CHECK);
                pending_name = tokens.get(i + 1).filter(|_| named_check).and_then(name_of);
                i += 2;
                continue;
            }
            if keyword(Some(t), Keyword::CHECK) && tokens.get(i + 1).map(|t| &t.token) == Some(&Token::LParen) {
                let end = closing(&tokens, i + 1)?;
                out.checks.push(DdlCheck {
                    name: pending_name.take(),
                    column: column.clone(),
                    expr: text(sql, &tokens, i + 2, end),
                });
                i = end + 1;
                continue;
            }
            if keyword(Some(t), Keyword::AUTOINCREMENT) {
                out.autoincrement.extend(column.clone());
            }
            // `[GENERATED ALWAYS] AS (expr) [STORED | VIRTUAL]`
            if keyword(Some(t), Keyword::AS) && tokens.get(i + 1).map(|t| &t.token) == Some(&Token::LParen) {
                let end = closing(&tokens, i + 1)?;
                if let Some(col) = &column {
                    let stored = keyword(tokens.get(end + 1).filter(|_| end + 1 < to), Keyword::STORED);
                    out.generated.push(DdlGenerated {
                        column: col.clone(),
                        expr: text(sql, &tokens, i + 2, end),
                        stored,
                    });
                }
                i = end + 1;
                continue;
            }
            if t.token == Token::LParen {
                // A type's arguments, a DEFAULT (...) or a key's column list.
                i = closing(&tokens, i)? + 1;
                continue;
            }
            i += 1;
        }
    }
    Some(out)
}

/// The parts and the WHERE of a stored `CREATE [UNIQUE] INDEX name ON t (parts) [WHERE pred]`:
/// each part's text (a column name, unquoted, or an expression as written) and the
/// predicate's text.
pub(crate) fn index(sql: &str) -> Option<(Vec<String>, Option<String>)> {
    let tokens = tokenize(sql)?;
    let on = tokens.iter().position(|t| keyword(Some(t), Keyword::ON))?;
    let open = on + tokens[on..].iter().position(|t| t.token == Token::LParen)?;
    let close = closing(&tokens, open)?;
    let parts = split_commas(&tokens, open + 1, close)
        .into_iter()
        .map(|(from, to)| {
            // `col`, `col COLLATE x`, `col DESC`: a column; anything else: an expression.
            let is_column = matches!(tokens[from].token, Token::Word(_) | Token::DoubleQuotedString(_))
                && (from + 1 == to
                    || keyword(tokens.get(from + 1), Keyword::COLLATE)
                    || keyword(tokens.get(from + 1), Keyword::ASC)
                    || keyword(tokens.get(from + 1), Keyword::DESC));
            let end = (from..to)
                .find(|&i| {
                    i > from
                        && (keyword(tokens.get(i), Keyword::ASC)
                            || keyword(tokens.get(i), Keyword::DESC)
                            || keyword(tokens.get(i), Keyword::COLLATE))
                })
                .unwrap_or(to);
            if is_column {
                name_of(&tokens[from]).unwrap_or_default()
            } else {
                text(sql, &tokens, from, end)
            }
        })
        .collect();
    let predicate = keyword(tokens.get(close + 1), Keyword::WHERE).then(|| text(sql, &tokens, close + 2, tokens.len()));
    Some((parts, predicate))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn checks_autoincrement_and_generated_columns() {
        let sql = r#"CREATE TABLE "t" (
  "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
  "age" SMALLINT NOT NULL CHECK (age >= 0),
  "note" TEXT DEFAULT 'a, (b) CHECK (x)' CONSTRAINT "note_ok" CHECK (length(note) > 0),
  price NUMERIC(10, 2),
  total NUMERIC GENERATED ALWAYS AS (price * 2) STORED,
  [half] REAL AS (price / 2),
  -- a comment, with (parentheses) and CHECK (nothing)
  CONSTRAINT "t_named" CHECK (length(note) > 0 AND note <> 'it''s'),
  CHECK (age < 200)
)"#;
        let ddl = table(sql).unwrap();
        assert_eq!(ddl.autoincrement, ["id"]);
        assert_eq!(
            ddl.checks,
            vec![
                DdlCheck { name: None, column: Some("age".into()), expr: "age >= 0".into() },
                DdlCheck { name: Some("note_ok".into()), column: Some("note".into()), expr: "length(note) > 0".into() },
                DdlCheck {
                    name: Some("t_named".into()),
                    column: None,
                    expr: "length(note) > 0 AND note <> 'it''s'".into()
                },
                DdlCheck { name: None, column: None, expr: "age < 200".into() },
            ]
        );
        assert_eq!(
            ddl.generated,
            vec![
                DdlGenerated { column: "total".into(), expr: "price * 2".into(), stored: true },
                DdlGenerated { column: "half".into(), expr: "price / 2".into(), stored: false },
            ]
        );
    }

    #[test]
    fn non_ascii_text_is_cut_at_character_boundaries() {
        let sql = "CREATE TABLE t (\n  -- clé étrangère\n  prénom TEXT CHECK (length(prénom) > 0 AND prénom <> 'é')\n)";
        let ddl = table(sql).unwrap();
        assert_eq!(ddl.checks[0].expr, "length(prénom) > 0 AND prénom <> 'é'");
        assert_eq!(ddl.checks[0].column.as_deref(), Some("prénom"));
    }

    #[test]
    fn index_parts_and_predicate() {
        let (parts, pred) =
            index(r#"CREATE INDEX "i" ON "t" ("a", lower(b), c DESC) WHERE a IS NOT NULL AND b <> 'x, y'"#).unwrap();
        assert_eq!(parts, ["a", "lower(b)", "c"]);
        assert_eq!(pred.as_deref(), Some("a IS NOT NULL AND b <> 'x, y'"));
        assert_eq!(index("CREATE INDEX i ON t (a)").unwrap().1, None);
        // Two columns and a WHERE: the partial index that used to lose its predicate.
        let (parts, pred) = index(r#"CREATE UNIQUE INDEX "x" ON "t" ("a", "b") WHERE deleted_at IS NULL"#).unwrap();
        assert_eq!(parts, ["a", "b"]);
        assert_eq!(pred.as_deref(), Some("deleted_at IS NULL"));
    }
}
