//! `Matches` (glob), `MatchesPath` (path expressions) and `StartsWith`.
//! `JavaRegex` lives in `java_regex.rs`.

use super::truth::Truth;

/// `StartsWith` / `=|`: literal, case-sensitive prefix test.
pub fn starts_with(prefix: &str, value: &str) -> Truth {
    Truth::from(value.starts_with(prefix))
}

/// `Matches` / `Like` / `~`: `*` matches zero or more characters (including `/`), every
/// other character is literal, and the whole value must match (◐, as the samples show:
/// `"/*at"` matches `/cat`). Case-sensitive.
pub fn glob_matches(pattern: &str, value: &str) -> Truth {
    let p: Vec<char> = pattern.chars().collect();
    let v: Vec<char> = value.chars().collect();
    // Greedy scan remembering the last `*`: a later mismatch only ever needs to
    // retry from the last star, which keeps this O(|p|·|v|) at worst.
    let (mut i, mut j) = (0, 0);
    let mut star: Option<(usize, usize)> = None;
    while j < v.len() {
        if i < p.len() && p[i] == '*' {
            star = Some((i, j));
            i += 1;
        } else if i < p.len() && p[i] == v[j] {
            i += 1;
            j += 1;
        } else if let Some((si, sj)) = star {
            i = si + 1;
            j = sj + 1;
            star = Some((si, sj + 1));
        } else {
            return Truth::False;
        }
    }
    Truth::from(p[i..].iter().all(|&c| c == '*'))
}

/// One `/`-separated element of a MatchesPath pattern.
#[derive(Debug, PartialEq)]
enum Elem {
    Literal(String),
    /// `*` or `{name}`: exactly one element.
    One,
    /// `**`: several elements.
    Many,
}

/// `MatchesPath` / `LikePath` / `~/` (reference §5.6): `*` and `{name}` match exactly one
/// path element, `**` several, `%` makes the next character literal; case-sensitive.
///
/// `Unknown` for the cases the docs leave open (○, §8 question 4): `**` matching zero
/// elements, a trailing `/` present on one side only, an empty element matched by a
/// wildcard, an empty value, and wildcards mixed with text inside one element
/// (`/a*`, `{id}.json`, `blr**`) or a dangling `%`.
pub fn matches_path(pattern: &str, value: &str) -> Truth {
    let Some(elems) = parsed_path_pattern(pattern) else {
        return Truth::Unknown;
    };
    let strict = path_match_ignoring(&elems, value);
    if value.is_empty() {
        // Whether an empty suffix is matched as "" or as "/" is undocumented.
        strict.agree(path_match_ignoring(&elems, "/"))
    } else {
        strict
    }
}

/// Parsed path patterns by their text; `None` for one that does not parse.
type ParsedPatterns =
    std::cell::RefCell<rustc_hash::FxHashMap<Box<str>, Option<std::rc::Rc<[Elem]>>>>;

/// A pattern's elements, parsed once per thread: the engine matches the same patterns against
/// every request class of every state.
fn parsed_path_pattern(pattern: &str) -> Option<std::rc::Rc<[Elem]>> {
    thread_local! {
        static PARSED: ParsedPatterns = Default::default();
    }
    PARSED.with(|parsed| {
        if let Some(elems) = parsed.borrow().get(pattern) {
            return elems.clone();
        }
        let elems = path_pattern(pattern).map(std::rc::Rc::from);
        parsed.borrow_mut().insert(pattern.into(), elems.clone());
        elems
    })
}

/// Whether no path that starts with the whole elements of `base` and goes on (`base` + `/…`)
/// can match `pattern`: some literal element of the pattern, before any `**`, differs from the
/// base's element at its place. `false` when that is not certain.
pub fn path_pattern_excludes_base(pattern: &str, base: &str) -> bool {
    let Some(elems) = path_pattern(pattern) else {
        return false;
    };
    elems
        .iter()
        .zip(base.split('/'))
        .take_while(|(elem, _)| **elem != Elem::Many)
        .any(|(elem, part)| matches!(elem, Elem::Literal(s) if s != part))
}

/// The first non-empty literal element every path matching `pattern` has, with its place
/// (`/r1/*` → `(1, "r1")`): found before any `**`, so the places of two patterns line up, and two
/// patterns with different literals at the same place match no path in common.
pub fn path_pattern_anchor(pattern: &str) -> Option<(usize, String)> {
    path_pattern(pattern)?
        .into_iter()
        .enumerate()
        .take_while(|(_, elem)| *elem != Elem::Many)
        .find_map(|(place, elem)| match elem {
            Elem::Literal(text) if !text.is_empty() => Some((place, text)),
            _ => None,
        })
}

/// The match with and without one trailing `/` on both sides, `Unknown` if they differ.
fn path_match_ignoring(elems: &[Elem], value: &str) -> Truth {
    let strict = path_match(elems, value);
    let pattern_slash = elems.len() > 1 && elems.last() == Some(&Elem::Literal(String::new()));
    let value_slash = value.ends_with('/');
    if !pattern_slash && !value_slash {
        return strict;
    }
    let elems = if pattern_slash {
        &elems[..elems.len() - 1]
    } else {
        elems
    };
    let value = value.strip_suffix('/').unwrap_or(value);
    strict.agree(path_match(elems, value))
}

/// Splits a pattern into elements; `None` if some element has undocumented meaning.
fn path_pattern(pattern: &str) -> Option<Vec<Elem>> {
    let mut elems = Vec::new();
    let mut chars = pattern.chars();
    // Text of the current element, with each character's "was escaped" flag.
    let mut cur: Vec<(char, bool)> = Vec::new();
    loop {
        match chars.next() {
            Some('%') => match chars.next()? {
                '/' => return None,
                c => cur.push((c, true)),
            },
            Some('/') => elems.push(path_elem(&std::mem::take(&mut cur))?),
            Some(c) => cur.push((c, false)),
            None => {
                elems.push(path_elem(&cur)?);
                return Some(elems);
            }
        }
    }
}

fn path_elem(chars: &[(char, bool)]) -> Option<Elem> {
    let special = |&(c, escaped): &(char, bool)| !escaped && matches!(c, '*' | '{' | '}');
    let raw: String = chars.iter().map(|(c, _)| c).collect();
    let any_escaped = chars.iter().any(|(_, e)| *e);
    if !chars.iter().any(special) {
        return Some(Elem::Literal(raw));
    }
    if any_escaped {
        return None;
    }
    match raw.as_str() {
        "*" => Some(Elem::One),
        "**" => Some(Elem::Many),
        _ if raw.len() > 2
            && raw.starts_with('{')
            && raw.ends_with('}')
            && !raw[1..raw.len() - 1].contains(['*', '{', '}']) =>
        {
            Some(Elem::One)
        }
        _ => None,
    }
}

/// Kleene match of pattern elements against the value's `/`-separated elements.
///
/// `row[j]` holds the truth of "elements `i..` match value elements `j..`", computed
/// from the last pattern element backwards. `**` uses
/// `many(j) = nonempty(j) ∧ (next[j+1] ∨ many(j+1))`, which is linear because Kleene
/// `and`/`or` distribute.
fn path_match(elems: &[Elem], value: &str) -> Truth {
    let parts: Vec<&str> = value.split('/').collect();
    let n = parts.len();
    let nonempty = |j: usize| {
        if parts[j].is_empty() {
            Truth::Unknown
        } else {
            Truth::True
        }
    };
    let mut next: Vec<Truth> = (0..=n).map(|j| Truth::from(j == n)).collect();
    for elem in elems.iter().rev() {
        let mut row = vec![Truth::False; n + 1];
        match elem {
            Elem::Literal(s) => {
                for j in 0..n {
                    if parts[j] == s {
                        row[j] = next[j + 1];
                    }
                }
            }
            Elem::One => {
                for j in 0..n {
                    row[j] = nonempty(j).and(next[j + 1]);
                }
            }
            Elem::Many => {
                let mut many = Truth::False;
                // Zero elements is undocumented: at best Unknown.
                row[n] = Truth::Unknown.and(next[n]);
                for j in (0..n).rev() {
                    many = nonempty(j).and(next[j + 1].or(many));
                    row[j] = many.or(Truth::Unknown.and(next[j]));
                }
            }
        }
        next = row;
    }
    next[0]
}
