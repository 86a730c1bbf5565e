//! Tokenizer: longest-match symbols, case-insensitive word operators and keywords.
//!
//! The text is already XML-decoded (`<`, not `&lt;`).

use super::ast::{ByteRange, Number, Op};
use super::error::SyntaxError;

#[derive(Debug, Clone, PartialEq)]
pub(super) enum Tok {
    LParen,
    RParen,
    And,
    Or,
    /// `!` or the word `not`.
    Not {
        word: bool,
    },
    Rel(Op),
    Str(String),
    QuotedVar(String),
    Var(String),
    Number(Number),
    Null,
    Bool(bool),
}

#[derive(Debug, Clone, PartialEq)]
pub(super) struct Token {
    pub tok: Tok,
    pub span: ByteRange,
}

/// Symbols, longest first so that `=|` wins over `=`, `~/` over `~`, etc.
const SYMBOLS: &[(&str, Tok)] = &[
    ("=|", Tok::Rel(Op::StartsWith)),
    ("==", Tok::Rel(Op::Equals)),
    ("!=", Tok::Rel(Op::NotEquals)),
    (":=", Tok::Rel(Op::EqualsCaseInsensitive)),
    (">=", Tok::Rel(Op::GreaterThanOrEquals)),
    ("<=", Tok::Rel(Op::LesserThanOrEquals)),
    ("~~", Tok::Rel(Op::JavaRegex)),
    ("~/", Tok::Rel(Op::MatchesPath)),
    ("!~", Tok::Rel(Op::NotMatches)),
    ("&&", Tok::And),
    ("||", Tok::Or),
    ("=", Tok::Rel(Op::Equals)),
    (">", Tok::Rel(Op::GreaterThan)),
    ("<", Tok::Rel(Op::LesserThan)),
    ("~", Tok::Rel(Op::Matches)),
    ("!", Tok::Not { word: false }),
    ("(", Tok::LParen),
    (")", Tok::RParen),
];

/// Reserved words (compared lowercase); operators cannot be variable names.
fn keyword(lower: &str) -> Option<Tok> {
    Some(match lower {
        "and" => Tok::And,
        "or" => Tok::Or,
        "not" => Tok::Not { word: true },
        "equals" | "is" => Tok::Rel(Op::Equals),
        "notequals" | "isnot" => Tok::Rel(Op::NotEquals),
        "equalscaseinsensitive" => Tok::Rel(Op::EqualsCaseInsensitive),
        "greaterthan" => Tok::Rel(Op::GreaterThan),
        "greaterthanorequals" => Tok::Rel(Op::GreaterThanOrEquals),
        "lesserthan" => Tok::Rel(Op::LesserThan),
        "lesserthanorequals" => Tok::Rel(Op::LesserThanOrEquals),
        "javaregex" => Tok::Rel(Op::JavaRegex),
        "matches" | "like" => Tok::Rel(Op::Matches),
        "matchespath" | "likepath" => Tok::Rel(Op::MatchesPath),
        "startswith" => Tok::Rel(Op::StartsWith),
        "null" => Tok::Null,
        "true" => Tok::Bool(true),
        "false" => Tok::Bool(false),
        _ => return None,
    })
}

/// Variable names start with a letter or `_` and continue with letters, digits, `_`,
/// `-` and `.` (apigeelint's `[a-zA-Z][-a-zA-Z0-9_.]*`, plus a leading `_`).
fn is_word_start(c: char) -> bool {
    c.is_ascii_alphabetic() || c == '_'
}

fn is_word_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.')
}

/// Whether `name` can be written without single quotes.
pub(super) fn is_plain_variable_name(name: &str) -> bool {
    let mut chars = name.chars();
    chars.next().is_some_and(is_word_start)
        && chars.all(is_word_char)
        && keyword(&name.to_ascii_lowercase()).is_none()
}

pub(super) fn lex(text: &str) -> Result<Vec<Token>, SyntaxError> {
    let mut tokens = Vec::new();
    let mut pos = 0;
    while let Some(c) = text[pos..].chars().next() {
        if c.is_whitespace() {
            pos += c.len_utf8();
            continue;
        }
        let start = pos;
        let rest = &text[pos..];
        let tok = if c == '"' || c == '\'' {
            let close = rest[1..].find(c).ok_or_else(|| {
                let what = if c == '"' {
                    "string"
                } else {
                    "quoted variable name"
                };
                SyntaxError::new(format!("unterminated {what}"), start..text.len())
            })?;
            let body = rest[1..1 + close].to_string();
            pos += close + 2;
            if c == '"' {
                Tok::Str(body)
            } else if body.is_empty() {
                return Err(SyntaxError::new("empty quoted variable name", start..pos));
            } else {
                Tok::QuotedVar(body)
            }
        } else if c.is_ascii_digit()
            || (c == '-' && rest[1..].starts_with(|d: char| d.is_ascii_digit()))
        {
            let (n, len) = lex_number(rest).map_err(|m| {
                let end = start + rest.find(|c| !is_word_char(c)).unwrap_or(rest.len());
                SyntaxError::new(m, start..end)
            })?;
            pos += len;
            Tok::Number(n)
        } else if is_word_start(c) {
            let len = rest.find(|c| !is_word_char(c)).unwrap_or(rest.len());
            let word = &rest[..len];
            pos += len;
            keyword(&word.to_ascii_lowercase()).unwrap_or_else(|| Tok::Var(word.to_string()))
        } else if let Some((sym, tok)) = SYMBOLS.iter().find(|(s, _)| rest.starts_with(s)) {
            pos += sym.len();
            tok.clone()
        } else {
            let span = start..start + c.len_utf8();
            return Err(SyntaxError::new(
                format!("unexpected character `{c}`"),
                span,
            ));
        };
        tokens.push(Token {
            tok,
            span: start..pos,
        });
    }
    Ok(tokens)
}

/// `-?digits(.digits)?[fFdDlL]?`, which must not run on into a name character.
/// Returns the number and its length in bytes.
fn lex_number(s: &str) -> Result<(Number, usize), String> {
    let digits = |from: usize| {
        s[from..]
            .find(|c: char| !c.is_ascii_digit())
            .map_or(s.len(), |i| from + i)
    };
    let sign = usize::from(s.starts_with('-'));
    let mut end = digits(sign);
    let mut decimal = false;
    if s[end..].starts_with('.') && s[end + 1..].starts_with(|c: char| c.is_ascii_digit()) {
        decimal = true;
        end = digits(end + 1);
    }
    let body = &s[..end];
    let suffix = s[end..].chars().next().filter(|c| "fFdDlL".contains(*c));
    let len = end + suffix.map_or(0, char::len_utf8);
    if s[len..].starts_with(is_word_char) {
        return Err(format!(
            "invalid number `{}`",
            &s[..s.find(|c| !is_word_char(c)).unwrap_or(s.len())]
        ));
    }
    let out_of_range = || format!("number `{}` out of range", &s[..len]);
    let number = match suffix.map(|c| c.to_ascii_lowercase()) {
        Some('l') if decimal => return Err(format!("invalid number `{}`", &s[..len])),
        Some('l') => Number::Long(body.parse().map_err(|_| out_of_range())?),
        Some('f') => Number::Float(finite(body.parse::<f32>().ok()).ok_or_else(out_of_range)?),
        Some(_) => Number::Double(finite(body.parse::<f64>().ok()).ok_or_else(out_of_range)?),
        None if decimal => {
            Number::Double(finite(body.parse::<f64>().ok()).ok_or_else(out_of_range)?)
        }
        None => Number::Int(body.parse().map_err(|_| out_of_range())?),
    };
    Ok((number, len))
}

fn finite<T: Into<f64> + Copy>(x: Option<T>) -> Option<T> {
    x.filter(|v| (*v).into().is_finite())
}
